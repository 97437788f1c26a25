//! Outdoor-to-indoor (O2I) penetration loss: 3GPP TR 38.901 V17.0.0 §7.4.3.1,
//! Tables 7.4.3-1 (materials) and 7.4.3-2 (building penetration models).

use crate::{Error, Result};

/// The extra loss (dB) between the signal outside a building and the
/// receiver inside it, added to the path loss of a household.
///
/// TR 38.901 §7.4.3.1: PL = PL_b + PL_tw + PL_in (+ a Gaussian term of
/// standard deviation σ_P, left out here: the maps are medians), with f in GHz:
///
/// - materials (Table 7.4.3-1): standard multi-pane glass
///   L_glass = 2 + 0.2 f, IRR (coated) glass L_IIRglass = 23 + 0.3 f,
///   concrete L_concrete = 5 + 4 f;
/// - low-loss buildings (Table 7.4.3-2): PL_tw = 5 − 10 log10(0.3·10^(−L_glass/10)
///   + 0.7·10^(−L_concrete/10)), σ_P = 4.4 dB;
/// - high-loss buildings: PL_tw = 5 − 10 log10(0.7·10^(−L_IIRglass/10)
///   + 0.3·10^(−L_concrete/10)), σ_P = 6.5 dB;
/// - inside the building PL_in = 0.5·d_2D-in (dB, d in m). TR 38.901 draws
///   d_2D-in at random (the smaller of two uniform draws in 0–25 m for UMa and
///   UMi, 0–10 m for RMa, means 8.3 m and 3.3 m); here it is given.
///
/// The model is defined for 0.5–100 GHz; a frequency outside is refused.
///
/// ```
/// use bbcov_core::IndoorLoss;
/// // 3.5 GHz, low-loss building, 5 m inside: 12.70 + 2.5 dB.
/// let l = IndoorLoss::Tr38901LowLoss { indoor_distance_m: 5.0 }.loss_db(3_500.0)?;
/// assert!((l - 15.20).abs() < 0.005);
/// assert_eq!(IndoorLoss::Fixed(12.0).loss_db(700.0)?, 12.0);
/// assert_eq!(IndoorLoss::None.loss_db(28_000.0)?, 0.0);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum IndoorLoss {
    /// Outdoor receivers.
    #[default]
    None,
    /// A fixed loss (dB, ≥ 0).
    Fixed(f64),
    /// TR 38.901 low-loss building (standard glass, concrete).
    Tr38901LowLoss {
        /// Distance from the wall to the receiver inside (m, ≥ 0).
        indoor_distance_m: f64,
    },
    /// TR 38.901 high-loss building (IRR glass, concrete).
    Tr38901HighLoss {
        /// Distance from the wall to the receiver inside (m, ≥ 0).
        indoor_distance_m: f64,
    },
}

impl IndoorLoss {
    /// Frequency range (MHz) of the TR 38.901 O2I models.
    pub const TR_38901_RANGE_MHZ: (f64, f64) = (500.0, 100_000.0);

    /// The loss (dB) at `f_mhz`.
    pub fn loss_db(&self, f_mhz: f64) -> Result<f64> {
        let f = f_mhz / 1e3;
        let (glass_share, glass_db, indoor_m) = match *self {
            IndoorLoss::None => return Ok(0.0),
            IndoorLoss::Fixed(db) => {
                return if db.is_finite() && db >= 0.0 {
                    Ok(db)
                } else {
                    Err(Error::InvalidParameter { name: "indoor_loss", value: db, expected: "a finite loss >= 0 dB".into() })
                };
            }
            IndoorLoss::Tr38901LowLoss { indoor_distance_m } => (0.3, 2.0 + 0.2 * f, indoor_distance_m),
            IndoorLoss::Tr38901HighLoss { indoor_distance_m } => (0.7, 23.0 + 0.3 * f, indoor_distance_m),
        };
        if !(indoor_m.is_finite() && indoor_m >= 0.0) {
            return Err(Error::InvalidParameter {
                name: "indoor_distance_m",
                value: indoor_m,
                expected: "a finite distance >= 0 m from the wall".into(),
            });
        }
        let (lo, hi) = Self::TR_38901_RANGE_MHZ;
        if !(lo..=hi).contains(&f_mhz) {
            return Err(Error::OutOfValidityRange {
                model: "3GPP TR 38.901 O2I penetration loss",
                parameter: "frequency_mhz",
                value: f_mhz,
                range: format!("[{lo}, {hi}] MHz"),
            });
        }
        let concrete_db = 5.0 + 4.0 * f;
        let wall = 5.0
            - 10.0
                * (glass_share * 10f64.powf(-glass_db / 10.0) + (1.0 - glass_share) * 10f64.powf(-concrete_db / 10.0))
                    .log10();
        Ok(wall + 0.5 * indoor_m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Table 7.4.3-2 evaluated by hand (f in GHz):
    /// 3.5 GHz low loss: L_glass = 2.7, L_concrete = 19,
    /// PL_tw = 5 − 10 log10(0.3·10^−0.27 + 0.7·10^−1.9) = 5 − 10 log10(0.16989) = 12.6975 dB;
    /// high loss: L_IIRglass = 24.05, PL_tw = 5 − 10 log10(0.7·10^−2.405 + 0.3·10^−1.9) = 26.8498 dB.
    #[test]
    fn table_7_4_3_2_values() {
        let low = |f: f64, d: f64| IndoorLoss::Tr38901LowLoss { indoor_distance_m: d }.loss_db(f).unwrap();
        let high = |f: f64, d: f64| IndoorLoss::Tr38901HighLoss { indoor_distance_m: d }.loss_db(f).unwrap();
        for (f, lo, hi) in [
            (700.0, 10.236_703, 17.746_576),
            (2_000.0, 11.825_320, 22.425_320),
            (3_500.0, 12.697_503, 26.849_786),
            (4_800.0, 13.113_282, 29.366_597),
            (28_000.0, 17.828_787, 37.949_020),
        ] {
            assert!((low(f, 0.0) - lo).abs() < 1e-5, "{f}: {}", low(f, 0.0));
            assert!((high(f, 0.0) - hi).abs() < 1e-5, "{f}: {}", high(f, 0.0));
        }
        // The inside loss 0.5 dB/m: the RMa mean depth 10/3 m adds 1.67 dB.
        assert!((low(3_500.0, 10.0 / 3.0) - low(3_500.0, 0.0) - 5.0 / 3.0).abs() < 1e-12);
        // Above a few GHz the concrete share vanishes: PL_tw → 5 + L_glass + 10 log10(1/0.3).
        let f = 60.0;
        let asymptote = 5.0 + (2.0 + 0.2 * f) + 10.0 * (1.0f64 / 0.3).log10();
        assert!((low(f * 1e3, 0.0) - asymptote).abs() < 1e-6);
    }

    #[test]
    fn refuses_bad_input() {
        assert!(IndoorLoss::Tr38901LowLoss { indoor_distance_m: 1.0 }.loss_db(400.0).is_err());
        assert!(IndoorLoss::Tr38901HighLoss { indoor_distance_m: -1.0 }.loss_db(3_500.0).is_err());
        assert!(IndoorLoss::Fixed(f64::NAN).loss_db(3_500.0).is_err());
        assert!(IndoorLoss::Fixed(-3.0).loss_db(3_500.0).is_err());
        assert_eq!(IndoorLoss::default(), IndoorLoss::None);
    }
}
