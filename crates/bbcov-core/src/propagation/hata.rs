//! Okumura-Hata median path loss: M. Hata, "Empirical formula for propagation
//! loss in land mobile radio services", IEEE Trans. Veh. Technol. VT-29(3),
//! pp. 317-325, Aug. 1980, a fit to Okumura's 1968 Tokyo measurements; as
//! restated in the COST 231 Final Report (Damosso, ed., 1999), §4.4.1,
//! eq. (4.4.1).

use super::LinkGeometry;
use super::validity::Validity;
use crate::{Error, Result};

/// The environment classes of Hata (1980).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HataEnvironment {
    /// Urban area, small or medium-sized city: the reference formula.
    UrbanSmallMediumCity,
    /// Urban area, large city: the large-city mobile antenna correction a(hm).
    UrbanLargeCity,
    /// Suburban area: the urban (small/medium city) loss less 2 [log10(f/28)]² + 5.4 dB.
    Suburban,
    /// Open area: the urban (small/medium city) loss less 4.78 (log10 f)² - 18.33 log10 f + 40.94 dB.
    OpenArea,
}

/// Okumura-Hata median basic transmission loss (dB):
///
/// L = 69.55 + 26.16 log10 f - 13.82 log10 hb - a(hm) + (44.9 - 6.55 log10 hb) log10 d
///
/// with f in MHz, d the horizontal distance in km, hb and hm the base-station
/// and mobile antenna heights in m (COST 231 Final Report eq. (4.4.1), after
/// Hata 1980), and the mobile antenna correction
///
/// - small/medium city: a(hm) = (1.1 log10 f - 0.7) hm - (1.56 log10 f - 0.8);
/// - large city: a(hm) = 8.29 (log10 1.54 hm)² - 1.1 for f <= 200 MHz,
///   3.2 (log10 11.75 hm)² - 4.97 for f >= 400 MHz.
///
/// Suburban and open areas apply Hata's corrections to the small/medium city
/// loss (see [`HataEnvironment`]).
///
/// Validity (Hata 1980): f 150-1500 MHz, hb 30-200 m, hm 1-10 m, d 1-20 km;
/// Hata gives no large-city correction between 200 and 400 MHz. Outside these
/// ranges [`loss_db`](Self::loss_db) fails with
/// [`Error::OutOfValidityRange`](crate::Error::OutOfValidityRange) unless
/// `extrapolate` is set, in which case the formula is applied as is (and the
/// large-city correction switches at 300 MHz).
///
/// ```
/// use bbcov_core::propagation::{Hata, HataEnvironment, LinkGeometry};
/// let link = LinkGeometry { distance_2d_m: 2_000.0, tx_height_m: 30.0, rx_height_m: 1.0, frequency_mhz: 869.0 };
/// let urban = Hata::new(HataEnvironment::UrbanSmallMediumCity).loss_db(&link)?;
/// assert!((urban - 137.88).abs() < 0.01);
/// // 3.5 GHz is far outside the model:
/// let err = Hata::new(HataEnvironment::Suburban).loss_db(&LinkGeometry { frequency_mhz: 3500.0, ..link }).unwrap_err();
/// assert!(err.to_string().contains("frequency_mhz = 3500"));
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hata {
    /// Environment class.
    pub environment: HataEnvironment,
    /// Apply the formula outside its validity range instead of failing.
    pub extrapolate: bool,
}

impl Hata {
    /// Name of the model in error messages.
    pub const NAME: &'static str = "Okumura-Hata";

    /// The model for `environment`, refusing links outside its validity range.
    pub fn new(environment: HataEnvironment) -> Self {
        Hata { environment, extrapolate: false }
    }

    /// The same model, applied outside its validity range too.
    pub fn extrapolating(self) -> Self {
        Hata { extrapolate: true, ..self }
    }

    /// Median basic transmission loss (dB) of `link`.
    pub fn loss_db(&self, link: &LinkGeometry) -> Result<f64> {
        link.check()?;
        let v = Validity { model: Self::NAME, extrapolate: self.extrapolate };
        let (f, hm, d_km) = hata_inputs(&v, link, (150.0, 1500.0))?;
        let log_f = f.log10();
        let urban_small = urban_db_without_mobile_correction(69.55, 26.16, link, d_km) - a_small_medium_city(f, hm);
        Ok(match self.environment {
            HataEnvironment::UrbanSmallMediumCity => urban_small,
            HataEnvironment::UrbanLargeCity => {
                if f > 200.0 && f < 400.0 && !self.extrapolate {
                    return Err(Error::OutOfValidityRange {
                        model: Self::NAME,
                        parameter: "frequency_mhz",
                        value: f,
                        range: "[150, 200] or [400, 1500] MHz for the large-city correction (set `extrapolate` to \
                                switch between its two formulas at 300 MHz)"
                            .into(),
                    });
                }
                let a_large = if f < 300.0 {
                    8.29 * (1.54 * hm).log10().powi(2) - 1.1
                } else {
                    3.2 * (11.75 * hm).log10().powi(2) - 4.97
                };
                urban_small + a_small_medium_city(f, hm) - a_large
            }
            HataEnvironment::Suburban => urban_small - 2.0 * (f / 28.0).log10().powi(2) - 5.4,
            HataEnvironment::OpenArea => urban_small - 4.78 * log_f * log_f + 18.33 * log_f - 40.94,
        })
    }
}

/// Checks the inputs shared by Okumura-Hata and COST-231 Hata and returns
/// (f MHz, hm m, d km).
pub(super) fn hata_inputs(v: &Validity, link: &LinkGeometry, f_range: (f64, f64)) -> Result<(f64, f64, f64)> {
    super::validity::positive("distance_2d_m", link.distance_2d_m, "m")?;
    super::validity::positive("tx_height_m", link.tx_height_m, "m")?;
    super::validity::positive("rx_height_m", link.rx_height_m, "m")?;
    let (f, hb, hm, d_km) = (link.frequency_mhz, link.tx_height_m, link.rx_height_m, link.distance_2d_m / 1e3);
    v.check("frequency_mhz", f, f_range.0, f_range.1, "MHz")?;
    v.check("tx_height_m", hb, 30.0, 200.0, "m")?;
    v.check("rx_height_m", hm, 1.0, 10.0, "m")?;
    v.check("distance_km", d_km, 1.0, 20.0, "km")?;
    Ok((f, hm, d_km))
}

/// A + B log10 f - 13.82 log10 hb + (44.9 - 6.55 log10 hb) log10 d: the part
/// of the Hata and COST-231 Hata formulas without the mobile antenna
/// correction.
pub(super) fn urban_db_without_mobile_correction(a: f64, b: f64, link: &LinkGeometry, d_km: f64) -> f64 {
    let log_hb = link.tx_height_m.log10();
    a + b * link.frequency_mhz.log10() - 13.82 * log_hb + (44.9 - 6.55 * log_hb) * d_km.log10()
}

/// Mobile antenna height correction for a small or medium-sized city (Hata 1980).
pub(super) fn a_small_medium_city(f_mhz: f64, hm: f64) -> f64 {
    let log_f = f_mhz.log10();
    (1.1 * log_f - 0.7) * hm - (1.56 * log_f - 0.8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(distance_km: f64, hb: f64, hm: f64, f_mhz: f64) -> LinkGeometry {
        LinkGeometry { distance_2d_m: distance_km * 1e3, tx_height_m: hb, rx_height_m: hm, frequency_mhz: f_mhz }
    }

    /// Reference values of the ns-3 Okumura-Hata test suite
    /// (src/propagation/test/okumura-hata-test-suite.cc, computed with the
    /// Octave scripts in src/propagation/test/reference/): 869 MHz, 2 km,
    /// hb = 30 m, hm = 1 m.
    #[test]
    fn matches_ns3_reference_values() {
        let l = link(2.0, 30.0, 1.0, 869.0);
        for (env, expected) in [
            (HataEnvironment::UrbanLargeCity, 137.93),
            (HataEnvironment::UrbanSmallMediumCity, 137.88),
            (HataEnvironment::Suburban, 128.03),
        ] {
            let got = Hata::new(env).loss_db(&l).unwrap();
            assert!((got - expected).abs() < 0.006, "{env:?}: {got} vs {expected}");
        }
    }

    /// Hata's formulas are normalised to Okumura's reference mobile height of
    /// 1.5 m: there every mobile antenna correction is (nearly) zero, so all
    /// urban variants agree within 0.06 dB at any frequency of the model.
    #[test]
    fn mobile_corrections_vanish_at_1_5_m() {
        for f in [150.0, 180.0, 450.0, 900.0, 1500.0] {
            let l = link(5.0, 50.0, 1.5, f);
            let small = Hata::new(HataEnvironment::UrbanSmallMediumCity).loss_db(&l).unwrap();
            let large = Hata::new(HataEnvironment::UrbanLargeCity).loss_db(&l).unwrap();
            assert!((small - large).abs() < 0.06, "{f} MHz: {small} vs {large}");
            assert!(a_small_medium_city(f, 1.5).abs() < 0.06);
        }
    }

    #[test]
    fn urban_loses_more_than_suburban_than_open() {
        for f in [150.0, 450.0, 900.0, 1500.0] {
            for d in [1.0, 5.0, 20.0] {
                let l = link(d, 50.0, 1.5, f);
                let loss = |env| Hata::new(env).loss_db(&l).unwrap();
                let (u, s, o) = (
                    loss(HataEnvironment::UrbanSmallMediumCity),
                    loss(HataEnvironment::Suburban),
                    loss(HataEnvironment::OpenArea),
                );
                assert!(u > s && s > o, "{f} MHz {d} km: {u} {s} {o}");
            }
        }
    }

    /// The distance slope is 44.9 - 6.55 log10 hb dB per decade: 35.23 dB for hb = 30 m.
    #[test]
    fn distance_slope_per_decade() {
        let m = Hata::new(HataEnvironment::UrbanSmallMediumCity);
        let step = m.loss_db(&link(10.0, 30.0, 1.5, 900.0)).unwrap() - m.loss_db(&link(1.0, 30.0, 1.5, 900.0)).unwrap();
        assert!((step - (44.9 - 6.55 * 30f64.log10())).abs() < 1e-9);
        assert!((step - 35.225).abs() < 1e-3);
    }

    #[test]
    fn refuses_links_outside_its_validity_range() {
        let m = Hata::new(HataEnvironment::UrbanSmallMediumCity);
        for (l, parameter) in [
            (link(0.5, 30.0, 1.5, 900.0), "distance_km"),
            (link(25.0, 30.0, 1.5, 900.0), "distance_km"),
            (link(5.0, 20.0, 1.5, 900.0), "tx_height_m"),
            (link(5.0, 30.0, 12.0, 900.0), "rx_height_m"),
            (link(5.0, 30.0, 1.5, 2000.0), "frequency_mhz"),
        ] {
            match m.loss_db(&l) {
                Err(Error::OutOfValidityRange { model: "Okumura-Hata", parameter: p, .. }) => assert_eq!(p, parameter),
                other => panic!("{l:?}: {other:?}"),
            }
            assert!(m.extrapolating().loss_db(&l).unwrap().is_finite());
        }
        // No large-city correction between 200 and 400 MHz.
        let large = Hata::new(HataEnvironment::UrbanLargeCity);
        let err = large.loss_db(&link(5.0, 30.0, 3.0, 300.0)).unwrap_err();
        assert!(err.to_string().contains("for the large-city correction"), "{err}");
        assert!(large.extrapolating().loss_db(&link(5.0, 30.0, 3.0, 300.0)).is_ok());
        assert!(large.loss_db(&link(5.0, 30.0, 3.0, 200.0)).is_ok());
        // Extrapolating is the same formula: continuous across the range limit.
        let inside = m.loss_db(&link(1.0, 30.0, 1.5, 900.0)).unwrap();
        let outside = m.extrapolating().loss_db(&link(0.999_999, 30.0, 1.5, 900.0)).unwrap();
        assert!((inside - outside).abs() < 1e-4);
        // Zero heights are not physical even when extrapolating.
        assert!(matches!(m.extrapolating().loss_db(&link(5.0, 30.0, 0.0, 900.0)), Err(Error::InvalidParameter { .. })));
    }
}
