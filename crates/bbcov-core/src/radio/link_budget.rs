//! Noise per resource element, SINR and the attenuated Shannon bound that
//! turns it into a throughput estimate.

use crate::{Error, Result, Technology};

/// Thermal noise power spectral density at 290 K: k·T = −174 dBm/Hz
/// (10·log10(1.380649e-23 J/K × 290 K × 1000 mW/W) = −173.98 dBm/Hz, ITU-R P.372).
pub(crate) const THERMAL_NOISE_DBM_PER_HZ: f64 = -174.0;

/// Noise power (dBm) in one resource element of `technology` (one
/// subcarrier, the bandwidth RSRP is measured in, 3GPP TS 36.214 §5.1.1 /
/// TS 38.215 §5.1.1): N = −174 dBm/Hz + 10·log10(Δf) + NF, with Δf the
/// subcarrier spacing in Hz and NF the receiver noise figure (dB).
///
/// ```
/// use bbcov_core::{Technology, noise_per_resource_element_dbm};
/// // 15 kHz LTE subcarrier: −174 + 41.76 = −132.24 dBm, plus a 9 dB noise figure.
/// assert!((noise_per_resource_element_dbm(Technology::Lte, 9.0)? + 123.24).abs() < 0.005);
/// assert!((noise_per_resource_element_dbm(Technology::NrFr1, 0.0)? + 129.23).abs() < 0.005);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn noise_per_resource_element_dbm(technology: Technology, noise_figure_db: f64) -> Result<f64> {
    check_noise_figure(noise_figure_db)?;
    Ok(THERMAL_NOISE_DBM_PER_HZ + 10.0 * (technology.subcarrier_spacing_khz() * 1e3).log10() + noise_figure_db)
}

pub(crate) fn check_noise_figure(noise_figure_db: f64) -> Result<()> {
    if (0.0..=30.0).contains(&noise_figure_db) {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "noise_figure_db",
            value: noise_figure_db,
            expected: "a receiver noise figure in [0, 30] dB (7 to 9 dB is typical of handsets)".into(),
        })
    }
}

pub(crate) fn check_load(load: f64) -> Result<()> {
    if (0.0..=1.0).contains(&load) {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "load",
            value: load,
            expected: "the fraction of resource elements the interfering cells transmit on, in [0, 1]".into(),
        })
    }
}

/// SINR (dB) of a signal `s_mw` against interference `i_mw` and noise `n_mw` (linear, mW).
pub(crate) fn sinr_db(s_mw: f64, i_mw: f64, n_mw: f64) -> f64 {
    10.0 * (s_mw / (i_mw + n_mw)).log10()
}

/// dBm to mW: 10^(dBm/10), as e^(dBm·ln 10/10) (exp is cheaper than powf).
#[inline]
pub(crate) fn mw(dbm: f64) -> f64 {
    (dbm * (std::f64::consts::LN_10 / 10.0)).exp()
}

/// The attenuated and truncated Shannon bound of 3GPP TR 36.942 (V8.2.0)
/// Annex A.2, which approximates the spectral efficiency of a link with
/// adaptive modulation and coding:
///
/// - Thr = 0 for SINR < SINR_MIN;
/// - Thr = α·log2(1 + SINR) for SINR_MIN ≤ SINR < SINR_MAX;
/// - Thr = Thr_MAX = α·log2(1 + SINR_MAX) for SINR ≥ SINR_MAX,
///
/// in bit/s/Hz. TR 36.942 Table A.1 (downlink): α = 0.6 (implementation
/// losses), SINR_MIN = −10 dB, Thr_MAX = 4.4 bit/s/Hz (reached at SINR_MAX =
/// 22.05 dB): [`ThroughputModel::TR_36942_DOWNLINK`]. The default keeps
/// α = 0.6 and SINR_MIN = −10 dB but caps at SINR_MAX = 30 dB (Thr_MAX =
/// 5.98 bit/s/Hz), the parameterisation of ITU-R sharing studies of IMT
/// (e.g. the SHARC simulator's `attenuation_factor`, `sinr_min`, `sinr_max`
/// for the downlink), which allows 256QAM in LTE and NR.
///
/// ```
/// use bbcov_core::ThroughputModel;
/// let m = ThroughputModel::default();
/// assert_eq!(m.spectral_efficiency(-10.5), 0.0);
/// assert!((m.spectral_efficiency(0.0) - 0.6).abs() < 1e-12); // 0.6·log2(2)
/// assert!((m.spectral_efficiency(40.0) - 0.6 * 1001f64.log2()).abs() < 1e-12);
/// let a1 = ThroughputModel::TR_36942_DOWNLINK;
/// assert!((a1.spectral_efficiency(35.0) - 4.4).abs() < 1e-3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThroughputModel {
    /// Attenuation factor α (0 < α ≤ 1).
    pub alpha: f64,
    /// Below this SINR (dB) the throughput is 0.
    pub sinr_min_db: f64,
    /// Above this SINR (dB) the throughput stays at α·log2(1 + SINR_MAX).
    pub sinr_max_db: f64,
}

impl Default for ThroughputModel {
    fn default() -> Self {
        ThroughputModel { alpha: 0.6, sinr_min_db: -10.0, sinr_max_db: 30.0 }
    }
}

impl ThroughputModel {
    /// TR 36.942 Table A.1, downlink: α = 0.6, SINR_MIN = −10 dB, Thr_MAX =
    /// 4.4 bit/s/Hz, i.e. SINR_MAX = 10·log10(2^(4.4/0.6) − 1) = 22.05 dB.
    pub const TR_36942_DOWNLINK: ThroughputModel =
        ThroughputModel { alpha: 0.6, sinr_min_db: -10.0, sinr_max_db: 22.048_519_507_401_807 };

    /// Spectral efficiency (bit/s/Hz) at `sinr_db`; 0 for a NaN SINR.
    pub fn spectral_efficiency(&self, sinr_db: f64) -> f64 {
        if sinr_db.is_nan() || sinr_db < self.sinr_min_db {
            return 0.0;
        }
        let sinr = sinr_db.min(self.sinr_max_db);
        self.alpha * (1.0 + 10f64.powf(sinr / 10.0)).log2()
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if !(self.alpha > 0.0 && self.alpha <= 1.0) {
            return Err(Error::InvalidParameter {
                name: "alpha",
                value: self.alpha,
                expected: "an attenuation factor in (0, 1] (0.6 for the downlink, TR 36.942 Table A.1)".into(),
            });
        }
        if !(self.sinr_min_db.is_finite() && self.sinr_max_db.is_finite() && self.sinr_min_db < self.sinr_max_db) {
            return Err(Error::InvalidParameter {
                name: "sinr_max_db",
                value: self.sinr_max_db,
                expected: format!("a finite SINR above sinr_min_db = {} dB", self.sinr_min_db),
            });
        }
        Ok(())
    }
}

/// Occupied transmission bandwidth (Hz) of a carrier: 12·N_RB subcarriers of Δf
/// (18 MHz of a 20 MHz LTE channel, 98.28 MHz of a 100 MHz NR FR1 channel).
pub(crate) fn occupied_bandwidth_hz(site: &crate::Site) -> f64 {
    // rsrp_offset_db = 10·log10(12·N_RB).
    10f64.powf(site.rsrp_offset_db() / 10.0) * site.technology().subcarrier_spacing_khz() * 1e3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Antenna, Site};

    /// k·T at 290 K is −173.98 dBm/Hz; per 15 kHz −132.2 dBm (the figure of LTE link budgets).
    #[test]
    fn thermal_noise() {
        let kt = 10.0 * (1.380_649e-23 * 290.0 * 1e3f64).log10();
        assert!((kt - THERMAL_NOISE_DBM_PER_HZ).abs() < 0.03, "{kt}");
        assert!((noise_per_resource_element_dbm(Technology::Lte, 0.0).unwrap() + 132.24).abs() < 0.01);
        assert!((noise_per_resource_element_dbm(Technology::NrFr2, 0.0).unwrap() + 123.21).abs() < 0.01);
        assert!(noise_per_resource_element_dbm(Technology::Lte, -1.0).is_err());
        assert!(noise_per_resource_element_dbm(Technology::Lte, f64::NAN).is_err());
    }

    #[test]
    fn shannon_bound_table_a1() {
        let m = ThroughputModel::TR_36942_DOWNLINK;
        // Thr_MAX = 4.4 bit/s/Hz at and above SINR_MAX.
        assert!((m.spectral_efficiency(m.sinr_max_db) - 4.4).abs() < 1e-9);
        assert!((m.spectral_efficiency(50.0) - 4.4).abs() < 1e-9);
        // At SINR_MIN: 0.6·log2(1.1) = 0.0825; just below it: 0.
        assert!((m.spectral_efficiency(-10.0) - 0.6 * 1.1f64.log2()).abs() < 1e-12);
        assert_eq!(m.spectral_efficiency(-10.000_001), 0.0);
        assert_eq!(m.spectral_efficiency(f64::NAN), 0.0);
        // 10 dB: 0.6·log2(11) = 2.0757.
        assert!((m.spectral_efficiency(10.0) - 2.0757).abs() < 1e-4);
        let d = ThroughputModel::default();
        assert!((d.spectral_efficiency(30.0) - 5.98).abs() < 0.005);
        assert!(d.validate().is_ok());
        assert!(ThroughputModel { alpha: 0.0, ..d }.validate().is_err());
        assert!(ThroughputModel { sinr_max_db: -20.0, ..d }.validate().is_err());
        // Monotone in SINR.
        let v: Vec<f64> = (-200..=400).map(|i| d.spectral_efficiency(f64::from(i) / 10.0)).collect();
        assert!(v.windows(2).all(|w| w[1] >= w[0]));
    }

    #[test]
    fn milliwatts() {
        assert_eq!(mw(0.0), 1.0);
        for dbm in [-140.0, -97.3, 3.0, 30.0, 46.0] {
            assert!((mw(dbm) / 10f64.powf(dbm / 10.0) - 1.0).abs() < 1e-13, "{dbm}");
        }
    }

    #[test]
    fn occupied_bandwidth() {
        let lte = Site::new("a", [0.0, 0.0], 30.0, Technology::Lte, 2100.0, 20.0, 46.0, 0.0, Antenna::omni(0.0).unwrap()).unwrap();
        assert!((occupied_bandwidth_hz(&lte) - 18e6).abs() < 1.0);
        let nr = Site::new("b", [0.0, 0.0], 30.0, Technology::NrFr1, 3500.0, 100.0, 46.0, 0.0, Antenna::omni(0.0).unwrap()).unwrap();
        assert!((occupied_bandwidth_hz(&nr) - 98.28e6).abs() < 10.0);
    }
}
