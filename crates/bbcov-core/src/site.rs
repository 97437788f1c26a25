//! Base-station sites: where the antenna is, what it transmits, and how a
//! total EIRP becomes a reference-signal power (RSRP) at a receiver.

use crate::{Antenna, Error, Result};

/// Radio access technology of a site, which fixes its resource-block grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Technology {
    /// 4G LTE (15 kHz subcarriers).
    Lte,
    /// 5G NR in FR1 (sub-6 GHz, including local 5G at 4.6–4.9 GHz) with 30 kHz subcarriers.
    NrFr1,
    /// 5G NR in FR2 (millimetre wave, including local 5G at 28 GHz) with 120 kHz subcarriers.
    NrFr2,
}

impl Technology {
    /// Transmission bandwidth in resource blocks for a channel bandwidth:
    /// 3GPP TS 36.101 Table 5.6-1 (LTE), TS 38.101-1 Table 5.3.2-1 (NR FR1,
    /// 30 kHz SCS) and TS 38.101-2 Table 5.3.2-1 (NR FR2, 120 kHz SCS).
    ///
    /// ```
    /// use bbcov_core::Technology;
    /// assert_eq!(Technology::Lte.resource_blocks(20.0)?, 100);
    /// assert_eq!(Technology::NrFr1.resource_blocks(100.0)?, 273);
    /// assert!(Technology::NrFr1.resource_blocks(7.0).is_err());
    /// # Ok::<(), bbcov_core::Error>(())
    /// ```
    pub fn resource_blocks(self, bandwidth_mhz: f64) -> Result<u32> {
        let table: &[(f64, u32)] = match self {
            Technology::Lte => &[(1.4, 6), (3.0, 15), (5.0, 25), (10.0, 50), (15.0, 75), (20.0, 100)],
            Technology::NrFr1 => &[
                (5.0, 11),
                (10.0, 24),
                (15.0, 38),
                (20.0, 51),
                (25.0, 65),
                (30.0, 78),
                (40.0, 106),
                (50.0, 133),
                (60.0, 162),
                (70.0, 189),
                (80.0, 217),
                (90.0, 245),
                (100.0, 273),
            ],
            Technology::NrFr2 => &[(50.0, 32), (100.0, 66), (200.0, 132), (400.0, 264)],
        };
        table.iter().find(|(bw, _)| (bw - bandwidth_mhz).abs() < 1e-9).map(|&(_, n)| n).ok_or_else(|| Error::InvalidParameter {
            name: "bandwidth_mhz",
            value: bandwidth_mhz,
            expected: format!(
                "a {} channel bandwidth: one of {} MHz",
                self.name(),
                table.iter().map(|(bw, _)| bw.to_string()).collect::<Vec<_>>().join(", ")
            ),
        })
    }

    /// The technology a planner's label names, case, spaces, `-` and `_`
    /// ignored: `4G`/`LTE`; `5G`/`NR`/`local5G`/`5G SA`/`5G NSA`, in FR2 at
    /// 24.25 GHz and above (TS 38.104 §5.1), FR1 below. `None` for any other label.
    ///
    /// ```
    /// use bbcov_core::Technology;
    /// assert_eq!(Technology::from_label("local 5G", 4_800.0), Some(Technology::NrFr1));
    /// assert_eq!(Technology::from_label("5G", 28_000.0), Some(Technology::NrFr2));
    /// assert_eq!(Technology::from_label("LTE", 800.0), Some(Technology::Lte));
    /// assert_eq!(Technology::from_label("3G", 2_100.0), None);
    /// ```
    pub fn from_label(label: &str, frequency_mhz: f64) -> Option<Technology> {
        match Technology::normalize_label(label).as_str() {
            "4g" | "lte" => Some(Technology::Lte),
            "5g" | "nr" | "local5g" | "5gsa" | "5gnsa" if frequency_mhz >= 24_250.0 => Some(Technology::NrFr2),
            "5g" | "nr" | "local5g" | "5gsa" | "5gnsa" => Some(Technology::NrFr1),
            _ => None,
        }
    }

    /// A label lower-cased, without spaces, `-` and `_`, as [`from_label`](Self::from_label) compares it.
    pub fn normalize_label(label: &str) -> String {
        label.to_ascii_lowercase().replace([' ', '-', '_'], "")
    }

    /// Subcarrier spacing (kHz).
    pub fn subcarrier_spacing_khz(self) -> f64 {
        match self {
            Technology::Lte => 15.0,
            Technology::NrFr1 => 30.0,
            Technology::NrFr2 => 120.0,
        }
    }

    /// Default RSRP threshold (dBm) for a usable service: -110 dBm, a common
    /// planning edge for both LTE and NR (configurable per analysis).
    pub fn default_rsrp_threshold_dbm(self) -> f64 {
        -110.0
    }

    /// Short name: `LTE`, `NR FR1`, `NR FR2`.
    pub fn name(self) -> &'static str {
        match self {
            Technology::Lte => "LTE",
            Technology::NrFr1 => "NR FR1",
            Technology::NrFr2 => "NR FR2",
        }
    }

    /// Frequencies (MHz) the technology is defined for: LTE bands 450 MHz–6 GHz
    /// (TS 36.101 Table 5.5-1), NR FR1 410–7125 MHz and FR2 24.25–52.6 GHz
    /// (TS 38.104 §5.1).
    pub fn frequency_range_mhz(self) -> (f64, f64) {
        match self {
            Technology::Lte => (450.0, 6_000.0),
            Technology::NrFr1 => (410.0, 7_125.0),
            Technology::NrFr2 => (24_250.0, 52_600.0),
        }
    }
}

/// A transmitting site (one sector or one omni antenna).
///
/// ```
/// use bbcov_core::{Antenna, Site, Technology};
/// // Local 5G at 4.8 GHz, 100 MHz, 30 W (44.8 dBm) into an 8 dBi sector, 2 dB feeder loss.
/// let site = Site::new("goto-01", [12_000.0, -3_000.0], 30.0, Technology::NrFr1, 4_800.0, 100.0, 44.77, 2.0, Antenna::sector(120.0, 3.0)?)?;
/// assert!((site.eirp_dbm() - 50.77).abs() < 1e-9);
/// // 273 resource blocks × 12 subcarriers = 3,276: the RSRP is 35.15 dB below the total power.
/// assert!((site.rsrp_offset_db() - 35.153).abs() < 1e-3);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    id: String,
    position: [f64; 2],
    height_m: f64,
    technology: Technology,
    frequency_mhz: f64,
    bandwidth_mhz: f64,
    tx_power_dbm: f64,
    feeder_loss_db: f64,
    antenna: Antenna,
    resource_blocks: u32,
}

impl Site {
    /// A site at `position` (x, y in the DEM's projected CRS) with its antenna
    /// `height_m` above ground; total transmit power `tx_power_dbm` over the
    /// channel, `feeder_loss_db` between transmitter and antenna.
    ///
    /// Fails on non-finite values, a height outside (0, 500] m, a frequency
    /// outside the technology's range, a bandwidth not in its table, a
    /// power outside [-30, 80] dBm or a negative feeder loss.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: impl Into<String>,
        position: [f64; 2],
        height_m: f64,
        technology: Technology,
        frequency_mhz: f64,
        bandwidth_mhz: f64,
        tx_power_dbm: f64,
        feeder_loss_db: f64,
        antenna: Antenna,
    ) -> Result<Self> {
        let id = id.into();
        if !(position[0].is_finite() && position[1].is_finite()) {
            return Err(Error::InvalidCoordinate {
                layer: "sites".into(),
                index: 0,
                id: Some(id),
                x: position[0],
                y: position[1],
                reason: "coordinates must be finite numbers (got NaN or infinity)",
            });
        }
        let check = |name: &'static str, value: f64, lo: f64, hi: f64, unit: &str| {
            if (lo..=hi).contains(&value) && !(name == "height_m" && value == 0.0) {
                Ok(())
            } else {
                Err(Error::InvalidParameter { name, value, expected: format!("site {id:?}: a value in [{lo}, {hi}] {unit}") })
            }
        };
        check("height_m", height_m, 0.0, 500.0, "m above ground")?;
        let (f_lo, f_hi) = technology.frequency_range_mhz();
        check("frequency_mhz", frequency_mhz, f_lo, f_hi, &format!("MHz for {}", technology.name()))?;
        check("tx_power_dbm", tx_power_dbm, -30.0, 80.0, "dBm")?;
        check("feeder_loss_db", feeder_loss_db, 0.0, 30.0, "dB")?;
        let resource_blocks = technology.resource_blocks(bandwidth_mhz)?;
        Ok(Site { id, position, height_m, technology, frequency_mhz, bandwidth_mhz, tx_power_dbm, feeder_loss_db, antenna, resource_blocks })
    }

    /// Site id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Position (x, y) in the DEM's CRS.
    pub fn position(&self) -> [f64; 2] {
        self.position
    }

    /// Antenna height above ground (m).
    pub fn height_m(&self) -> f64 {
        self.height_m
    }

    /// Technology.
    pub fn technology(&self) -> Technology {
        self.technology
    }

    /// Carrier frequency (MHz).
    pub fn frequency_mhz(&self) -> f64 {
        self.frequency_mhz
    }

    /// Channel bandwidth (MHz).
    pub fn bandwidth_mhz(&self) -> f64 {
        self.bandwidth_mhz
    }

    /// The antenna.
    pub fn antenna(&self) -> &Antenna {
        &self.antenna
    }

    /// The same site at another position (for interactive planning).
    pub fn with_position(mut self, position: [f64; 2]) -> Self {
        self.position = position;
        self
    }

    /// Total transmit power at the antenna port (dBm).
    pub fn tx_power_dbm(&self) -> f64 {
        self.tx_power_dbm
    }

    /// Peak EIRP (dBm): transmit power − feeder loss + maximum antenna gain.
    pub fn eirp_dbm(&self) -> f64 {
        self.tx_power_dbm - self.feeder_loss_db + self.antenna.max_gain_dbi()
    }

    /// EIRP (dBm) towards a bearing and elevation angle (degrees).
    pub fn eirp_towards_dbm(&self, bearing_deg: f64, elevation_deg: f64) -> f64 {
        self.tx_power_dbm - self.feeder_loss_db + self.antenna.gain_dbi(bearing_deg, elevation_deg)
    }

    /// 10·log10(12·N_RB): how far the power of one resource element (what
    /// RSRP measures, 3GPP TS 36.214 §5.1.1 / TS 38.215 §5.1.1) lies below the
    /// total power, assuming the power is spread evenly over all subcarriers.
    pub fn rsrp_offset_db(&self) -> f64 {
        10.0 * (12.0 * self.resource_blocks as f64).log10()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 3GPP TS 36.101 Table 5.6-1 and TS 38.101-1/-2 Table 5.3.2-1.
    #[test]
    fn resource_block_tables() {
        assert_eq!(Technology::Lte.resource_blocks(1.4).unwrap(), 6);
        assert_eq!(Technology::Lte.resource_blocks(10.0).unwrap(), 50);
        assert_eq!(Technology::NrFr1.resource_blocks(40.0).unwrap(), 106);
        assert_eq!(Technology::NrFr1.resource_blocks(20.0).unwrap(), 51);
        assert_eq!(Technology::NrFr2.resource_blocks(400.0).unwrap(), 264);
        assert!(Technology::NrFr2.resource_blocks(20.0).is_err());
    }

    /// 20 MHz LTE has 1,200 subcarriers: RSRP = total power − 30.79 dB.
    #[test]
    fn lte_rsrp_offset() {
        let s = Site::new("a", [0.0, 0.0], 30.0, Technology::Lte, 2_100.0, 20.0, 46.0, 0.0, Antenna::omni(0.0).unwrap()).unwrap();
        assert!((s.rsrp_offset_db() - 30.792).abs() < 1e-3);
    }

    #[test]
    fn refuses_out_of_range_sites() {
        let omni = Antenna::omni(0.0).unwrap();
        let site = |h: f64, f: f64, t: Technology| Site::new("s1", [0.0, 0.0], h, t, f, 20.0, 40.0, 0.0, omni);
        assert!(site(0.0, 2_100.0, Technology::Lte).is_err());
        assert!(site(30.0, 28_000.0, Technology::Lte).unwrap_err().to_string().contains("MHz for LTE"));
        assert!(site(30.0, 3_500.0, Technology::NrFr1).is_ok());
        assert!(site(f64::NAN, 3_500.0, Technology::NrFr1).is_err());
        let err = Site::new("s2", [f64::NAN, 0.0], 30.0, Technology::Lte, 2_100.0, 20.0, 40.0, 0.0, omni).unwrap_err();
        assert!(err.to_string().contains("s2"), "{err}");
    }
}
