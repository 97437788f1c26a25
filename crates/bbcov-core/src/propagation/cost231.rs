//! COST-231 Hata: the extension of Okumura-Hata to 1500-2000 MHz, COST 231
//! Final Report "Digital mobile radio towards future generation systems"
//! (Damosso, ed., European Commission, 1999), §4.4.1, eq. (4.4.3).

use super::LinkGeometry;
use super::hata::{a_small_medium_city, hata_inputs, urban_db_without_mobile_correction};
use super::validity::Validity;
use crate::Result;

/// COST-231 Hata median basic transmission loss (dB), COST 231 Final Report
/// §4.4.1, eq. (4.4.3):
///
/// L = 46.3 + 33.9 log10 f - 13.82 log10 hb - a(hm) + (44.9 - 6.55 log10 hb) log10 d + Cm
///
/// with f in MHz, d the horizontal distance in km, hb and hm in m, a(hm) the
/// small/medium-city correction of Hata (1980) (see [`Hata`](super::Hata)),
/// and Cm = 0 dB for medium-sized cities and suburban centres with moderate
/// tree density, 3 dB for metropolitan centres.
///
/// Validity: f 1500-2000 MHz, hb 30-200 m, hm 1-10 m, d 1-20 km; outside
/// it [`loss_db`](Self::loss_db) fails with
/// [`Error::OutOfValidityRange`](crate::Error::OutOfValidityRange) unless
/// `extrapolate` is set.
///
/// ```
/// use bbcov_core::propagation::{Cost231Hata, LinkGeometry};
/// let link = LinkGeometry { distance_2d_m: 1_000.0, tx_height_m: 30.0, rx_height_m: 1.5, frequency_mhz: 1800.0 };
/// let medium = Cost231Hata::new(false).loss_db(&link)?;
/// let metro = Cost231Hata::new(true).loss_db(&link)?;
/// assert!((metro - medium - 3.0).abs() < 1e-12);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost231Hata {
    /// Metropolitan centre (Cm = 3 dB) rather than a medium-sized city or
    /// suburban centre (Cm = 0 dB).
    pub metropolitan_centre: bool,
    /// Apply the formula outside its validity range instead of failing.
    pub extrapolate: bool,
}

impl Cost231Hata {
    /// Name of the model in error messages.
    pub const NAME: &'static str = "COST-231 Hata";

    /// The model, refusing links outside its validity range.
    pub fn new(metropolitan_centre: bool) -> Self {
        Cost231Hata { metropolitan_centre, extrapolate: false }
    }

    /// The same model, applied outside its validity range too.
    pub fn extrapolating(self) -> Self {
        Cost231Hata { extrapolate: true, ..self }
    }

    /// Median basic transmission loss (dB) of `link`.
    pub fn loss_db(&self, link: &LinkGeometry) -> Result<f64> {
        link.check()?;
        let v = Validity { model: Self::NAME, extrapolate: self.extrapolate };
        let (f, hm, d_km) = hata_inputs(&v, link, (1500.0, 2000.0))?;
        let cm = if self.metropolitan_centre { 3.0 } else { 0.0 };
        Ok(urban_db_without_mobile_correction(46.3, 33.9, link, d_km) - a_small_medium_city(f, hm) + cm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::propagation::{Hata, HataEnvironment};

    /// ns-3 COST-231 reference value (src/propagation/test/okumura-hata-test-suite.cc,
    /// "COST231 OH Urban small city and suburban"): 2114 MHz, 2 km, hb = 30 m,
    /// hm = 1 m, Cm = 0 -> 150.64 dB. 2114 MHz is above the model's range, so
    /// this also checks that `extrapolate` applies the same formula.
    #[test]
    fn matches_ns3_reference_value() {
        let link = LinkGeometry { distance_2d_m: 2_000.0, tx_height_m: 30.0, rx_height_m: 1.0, frequency_mhz: 2114.0 };
        assert!(matches!(
            Cost231Hata::new(false).loss_db(&link),
            Err(Error::OutOfValidityRange { parameter: "frequency_mhz", .. })
        ));
        let got = Cost231Hata::new(false).extrapolating().loss_db(&link).unwrap();
        assert!((got - 150.64).abs() < 0.006, "{got}");
    }

    /// At 1500 MHz, where the two models meet, COST-231 (Cm = 0) and
    /// Okumura-Hata (small/medium city) differ only by their constants:
    /// 46.3 + 33.9 log f - (69.55 + 26.16 log f) = 1.33 dB at 1500 MHz.
    #[test]
    fn meets_okumura_hata_at_1500_mhz() {
        let link = LinkGeometry { distance_2d_m: 5_000.0, tx_height_m: 40.0, rx_height_m: 1.5, frequency_mhz: 1500.0 };
        let cost = Cost231Hata::new(false).loss_db(&link).unwrap();
        let hata = Hata::new(HataEnvironment::UrbanSmallMediumCity).loss_db(&link).unwrap();
        let expected = 46.3 - 69.55 + (33.9 - 26.16) * 1500f64.log10();
        assert!((cost - hata - expected).abs() < 1e-9);
        assert!((cost - hata - 1.33).abs() < 0.01, "{}", cost - hata);
    }

    #[test]
    fn refuses_links_outside_its_validity_range() {
        let link = LinkGeometry { distance_2d_m: 5_000.0, tx_height_m: 40.0, rx_height_m: 1.5, frequency_mhz: 1800.0 };
        assert!(Cost231Hata::new(true).loss_db(&link).is_ok());
        for bad in [
            LinkGeometry { frequency_mhz: 900.0, ..link },
            LinkGeometry { distance_2d_m: 30_000.0, ..link },
            LinkGeometry { tx_height_m: 10.0, ..link },
            LinkGeometry { rx_height_m: 0.5, ..link },
        ] {
            let err = Cost231Hata::new(true).loss_db(&bad).unwrap_err();
            assert!(err.to_string().starts_with("COST-231 Hata: "), "{err}");
        }
    }
}
