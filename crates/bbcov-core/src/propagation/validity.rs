//! Validity ranges of the empirical models: every model refuses inputs
//! outside the range its source states, unless the caller asked to
//! extrapolate.

use crate::{Error, Result};

/// The validity checks of one model evaluation.
pub(crate) struct Validity {
    pub(crate) model: &'static str,
    pub(crate) extrapolate: bool,
}

impl Validity {
    /// `value` must lie in `[lo, hi]` (in `unit`), unless extrapolating.
    pub(crate) fn check(&self, parameter: &'static str, value: f64, lo: f64, hi: f64, unit: &str) -> Result<()> {
        if self.extrapolate || (lo..=hi).contains(&value) {
            Ok(())
        } else {
            Err(Error::OutOfValidityRange {
                model: self.model,
                parameter,
                value,
                range: format!("[{lo}, {hi}] {unit} (set `extrapolate` to apply the formula anyway)"),
            })
        }
    }

    /// `value` must equal `expected` (a parameter the source fixes), unless extrapolating.
    pub(crate) fn check_fixed(&self, parameter: &'static str, value: f64, expected: f64, unit: &str) -> Result<()> {
        if self.extrapolate || (value - expected).abs() <= 1e-9 * expected.abs() {
            Ok(())
        } else {
            Err(Error::OutOfValidityRange {
                model: self.model,
                parameter,
                value,
                range: format!(
                    "{{{expected}}} {unit}: the model is defined for this value only (set `extrapolate` to apply the formula anyway)"
                ),
            })
        }
    }
}

/// `value` must be finite and > 0: a physical length or frequency that the
/// formulas take the logarithm of. Checked even when extrapolating.
pub(crate) fn positive(name: &'static str, value: f64, unit: &str) -> Result<()> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter { name, value, expected: format!("a finite value > 0 {unit}") })
    }
}

/// `value` must be finite and >= 0.
pub(crate) fn non_negative(name: &'static str, value: f64, unit: &str) -> Result<()> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter { name, value, expected: format!("a finite value >= 0 {unit}") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_out_of_range_unless_extrapolating() {
        let strict = Validity { model: "M", extrapolate: false };
        assert!(strict.check("f", 150.0, 150.0, 1500.0, "MHz").is_ok());
        assert!(strict.check("f", 1500.0, 150.0, 1500.0, "MHz").is_ok());
        let err = strict.check("f", 2000.0, 150.0, 1500.0, "MHz").unwrap_err();
        assert_eq!(
            err.to_string(),
            "M: f = 2000 is outside the model's validity range [150, 1500] MHz (set `extrapolate` to apply the formula anyway)"
        );
        assert!(strict.check("f", f64::NAN, 150.0, 1500.0, "MHz").is_err());
        assert!(strict.check_fixed("hBS", 25.0, 25.0, "m").is_ok());
        assert!(strict.check_fixed("hBS", 30.0, 25.0, "m").is_err());
        let lax = Validity { model: "M", extrapolate: true };
        assert!(lax.check("f", 2000.0, 150.0, 1500.0, "MHz").is_ok());
        assert!(lax.check_fixed("hBS", 30.0, 25.0, "m").is_ok());
        assert!(positive("d", 0.0, "m").is_err());
        assert!(positive("d", f64::INFINITY, "m").is_err());
        assert!(non_negative("d", 0.0, "m").is_ok());
    }
}
