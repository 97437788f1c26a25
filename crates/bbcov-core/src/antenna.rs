//! Base-station antenna patterns: the sector element pattern of 3GPP TR 38.901
//! V17.0.0 §7.3, Table 7.3-1, or an omnidirectional antenna, pointed by
//! azimuth and mechanical downtilt (the rotation of §7.1.3).

use crate::{Error, Result};

/// The parameters of the TR 38.901 Table 7.3-1 element pattern.
///
/// In the antenna's own frame (zenith angle θ' from straight up, so the
/// boresight is at θ' = 90°, and azimuth φ' from the boresight):
///
/// - vertical cut A_V(θ') = -min(12 ((θ' - 90°)/θ3dB)², SLA_V);
/// - horizontal cut A_H(φ') = -min(12 (φ'/φ3dB)², A_max);
/// - pattern A(θ', φ') = -min(-(A_V(θ') + A_H(φ')), A_max),
///
/// in dB relative to the maximum directional gain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SectorPattern {
    /// Horizontal half-power beamwidth φ3dB (degrees).
    pub horizontal_beamwidth_deg: f64,
    /// Vertical half-power beamwidth θ3dB (degrees).
    pub vertical_beamwidth_deg: f64,
    /// Maximum attenuation A_max (dB), the front-to-back ratio.
    pub max_attenuation_db: f64,
    /// Side-lobe level limit of the vertical cut SLA_V (dB).
    pub side_lobe_limit_db: f64,
}

impl SectorPattern {
    /// The values of TR 38.901 Table 7.3-1: φ3dB = θ3dB = 65°, A_max = SLA_V = 30 dB.
    pub const TR_38901: SectorPattern = SectorPattern {
        horizontal_beamwidth_deg: 65.0,
        vertical_beamwidth_deg: 65.0,
        max_attenuation_db: 30.0,
        side_lobe_limit_db: 30.0,
    };

    /// A(θ', φ') (dB, ≤ 0) of Table 7.3-1 at zenith angle `theta_deg` and
    /// azimuth `phi_deg` (from the boresight, in -180..=180) of the antenna frame.
    pub fn relative_gain_db(&self, theta_deg: f64, phi_deg: f64) -> f64 {
        let vertical =
            -(12.0 * ((theta_deg - 90.0) / self.vertical_beamwidth_deg).powi(2)).min(self.side_lobe_limit_db);
        let horizontal = -(12.0 * (phi_deg / self.horizontal_beamwidth_deg).powi(2)).min(self.max_attenuation_db);
        -(-(vertical + horizontal)).min(self.max_attenuation_db)
    }

    fn check(&self) -> Result<()> {
        for (name, value, max) in [
            ("horizontal_beamwidth_deg", self.horizontal_beamwidth_deg, 360.0),
            ("vertical_beamwidth_deg", self.vertical_beamwidth_deg, 180.0),
        ] {
            if !(value > 0.0 && value <= max) {
                return Err(Error::InvalidParameter {
                    name,
                    value,
                    expected: format!("a beamwidth in (0, {max}] degrees"),
                });
            }
        }
        for (name, value) in
            [("max_attenuation_db", self.max_attenuation_db), ("side_lobe_limit_db", self.side_lobe_limit_db)]
        {
            if !(value.is_finite() && value >= 0.0) {
                return Err(Error::InvalidParameter { name, value, expected: "a finite attenuation >= 0 dB".into() });
            }
        }
        Ok(())
    }
}

/// Radiation pattern of an antenna.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AntennaPattern {
    /// The same gain in every direction.
    Omni,
    /// The TR 38.901 Table 7.3-1 sector pattern.
    Sector(SectorPattern),
}

/// A base-station antenna: pattern, maximum gain and pointing.
///
/// Directions are geographic: azimuths are bearings in degrees clockwise from
/// north, elevations degrees above the horizontal (negative below).
///
/// ```
/// use bbcov_core::Antenna;
/// // A TR 38.901 sector (8 dBi) facing east, tilted 6° down.
/// let a = Antenna::sector(90.0, 6.0)?;
/// assert!((a.gain_dbi(90.0, -6.0) - 8.0).abs() < 1e-12); // on the boresight
/// assert!((a.gain_dbi(270.0, 0.0) - (8.0 - 30.0)).abs() < 1e-9); // behind: front-to-back ratio
/// // Without tilt, 3 dB down at half the 65° beamwidth.
/// assert!((Antenna::sector(90.0, 0.0)?.gain_dbi(90.0 + 32.5, 0.0) - 5.0).abs() < 1e-9);
/// // Towards a house 500 m east and 40 m below the antenna:
/// let g = a.gain_towards_dbi([500.0, 0.0, -40.0]);
/// assert!((g - a.gain_dbi(90.0, (-40f64).atan2(500.0).to_degrees())).abs() < 1e-12);
/// assert_eq!(Antenna::omni(2.15)?.gain_dbi(12.0, -3.0), 2.15);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Antenna {
    pattern: AntennaPattern,
    max_gain_dbi: f64,
    azimuth_deg: f64,
    downtilt_deg: f64,
}

impl Antenna {
    /// Maximum directional gain of the TR 38.901 Table 7.3-1 element (dBi).
    pub const TR_38901_MAX_GAIN_DBI: f64 = 8.0;

    /// An antenna with `pattern` and maximum gain `max_gain_dbi`, its
    /// boresight at bearing `azimuth_deg` and tilted `downtilt_deg` below the
    /// horizontal (mechanical tilt; negative for an uptilt).
    ///
    /// Fails on a non-finite gain or azimuth, a tilt outside [-90°, 90°], or
    /// a sector pattern with a beamwidth outside (0°, 360°] (horizontal) or
    /// (0°, 180°] (vertical) or a negative attenuation limit.
    pub fn new(pattern: AntennaPattern, max_gain_dbi: f64, azimuth_deg: f64, downtilt_deg: f64) -> Result<Self> {
        if let AntennaPattern::Sector(p) = &pattern {
            p.check()?;
        }
        if !max_gain_dbi.is_finite() {
            return Err(Error::InvalidParameter {
                name: "max_gain_dbi",
                value: max_gain_dbi,
                expected: "finite".into(),
            });
        }
        if !azimuth_deg.is_finite() {
            return Err(Error::InvalidParameter { name: "azimuth_deg", value: azimuth_deg, expected: "finite".into() });
        }
        if !(-90.0..=90.0).contains(&downtilt_deg) {
            return Err(Error::InvalidParameter {
                name: "downtilt_deg",
                value: downtilt_deg,
                expected: "a tilt in [-90, 90] degrees".into(),
            });
        }
        Ok(Antenna { pattern, max_gain_dbi, azimuth_deg: azimuth_deg.rem_euclid(360.0), downtilt_deg })
    }

    /// An omnidirectional antenna of gain `gain_dbi` (0 for isotropic).
    pub fn omni(gain_dbi: f64) -> Result<Self> {
        Self::new(AntennaPattern::Omni, gain_dbi, 0.0, 0.0)
    }

    /// A TR 38.901 sector antenna (Table 7.3-1 pattern, 8 dBi) pointed at
    /// bearing `azimuth_deg` with mechanical downtilt `downtilt_deg`.
    pub fn sector(azimuth_deg: f64, downtilt_deg: f64) -> Result<Self> {
        Self::new(
            AntennaPattern::Sector(SectorPattern::TR_38901),
            Self::TR_38901_MAX_GAIN_DBI,
            azimuth_deg,
            downtilt_deg,
        )
    }

    /// The pattern.
    pub fn pattern(&self) -> AntennaPattern {
        self.pattern
    }

    /// Maximum gain (dBi).
    pub fn max_gain_dbi(&self) -> f64 {
        self.max_gain_dbi
    }

    /// Boresight bearing (degrees clockwise from north, in [0, 360)).
    pub fn azimuth_deg(&self) -> f64 {
        self.azimuth_deg
    }

    /// Mechanical downtilt (degrees below the horizontal).
    pub fn downtilt_deg(&self) -> f64 {
        self.downtilt_deg
    }

    /// Gain (dBi) towards a target at bearing `azimuth_deg` (clockwise from
    /// north) and `elevation_deg` above the horizontal, seen from the antenna.
    ///
    /// The direction is turned into the antenna's frame by the rotation of
    /// TR 38.901 §7.1.3, eqs. (7.1-7) and (7.1-8), with bearing α = the
    /// antenna azimuth, downtilt β and slant γ = 0:
    /// θ' = arccos(cos β cos θ + sin β cos(φ - α) sin θ),
    /// φ' = arg(cos β sin θ cos(φ - α) - sin β cos θ + j sin(φ - α) sin θ),
    /// θ = 90° - elevation the zenith angle; then the pattern is evaluated there.
    pub fn gain_dbi(&self, azimuth_deg: f64, elevation_deg: f64) -> f64 {
        let pattern = match &self.pattern {
            AntennaPattern::Omni => return self.max_gain_dbi,
            AntennaPattern::Sector(p) => p,
        };
        let theta = (90.0 - elevation_deg).to_radians();
        // TR 38.901 azimuths run counter-clockwise, bearings clockwise.
        let dphi = -(azimuth_deg - self.azimuth_deg).to_radians();
        let beta = self.downtilt_deg.to_radians();
        let (sin_t, cos_t) = theta.sin_cos();
        let (sin_b, cos_b) = beta.sin_cos();
        let theta_local = (cos_b * cos_t + sin_b * dphi.cos() * sin_t).clamp(-1.0, 1.0).acos();
        let phi_local = (dphi.sin() * sin_t).atan2(cos_b * sin_t * dphi.cos() - sin_b * cos_t);
        self.max_gain_dbi + pattern.relative_gain_db(theta_local.to_degrees(), phi_local.to_degrees())
    }

    /// Gain (dBi) towards a target offset `[east, north, up]` metres from the
    /// antenna; the antenna's own direction (a zero offset) counts as the boresight.
    pub fn gain_towards_dbi(&self, offset_m: [f64; 3]) -> f64 {
        let [east, north, up] = offset_m;
        let horizontal = east.hypot(north);
        if horizontal == 0.0 && up == 0.0 {
            return self.gain_dbi(self.azimuth_deg, -self.downtilt_deg);
        }
        self.gain_dbi(east.atan2(north).to_degrees(), up.atan2(horizontal).to_degrees())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// TR 38.901 Table 7.3-1 at its defining points: 3 dB down at half the
    /// beamwidth, 12 dB down at the full beamwidth, floors at A_max and SLA_V.
    #[test]
    fn table_7_3_1_values() {
        let p = SectorPattern::TR_38901;
        assert_eq!(p.relative_gain_db(90.0, 0.0), 0.0);
        assert!((p.relative_gain_db(90.0, 32.5) + 3.0).abs() < 1e-12);
        assert!((p.relative_gain_db(90.0, -65.0) + 12.0).abs() < 1e-12);
        assert!((p.relative_gain_db(90.0 + 32.5, 0.0) + 3.0).abs() < 1e-12);
        assert!((p.relative_gain_db(90.0 - 65.0, 0.0) + 12.0).abs() < 1e-12);
        assert_eq!(p.relative_gain_db(90.0, 180.0), -30.0);
        // Straight down from the boresight: 12 (90/65)² = 23.0 dB, under SLA_V.
        assert!((p.relative_gain_db(180.0, 0.0) + 12.0 * (90.0f64 / 65.0).powi(2)).abs() < 1e-12);
        // Combined attenuations are capped at A_max.
        assert_eq!(p.relative_gain_db(150.0, 90.0), -30.0);
        assert!((p.relative_gain_db(90.0 + 32.5, 32.5) + 6.0).abs() < 1e-12);
        let a = Antenna::sector(0.0, 0.0).unwrap();
        assert_eq!(a.gain_dbi(0.0, 0.0), 8.0);
        assert!((a.gain_dbi(0.0, -90.0) - (8.0 - 23.0)).abs() < 0.01);
        assert!((a.gain_dbi(180.0, 0.0) + 22.0).abs() < 1e-12);
    }

    /// A mechanical downtilt β moves the boresight to elevation -β; at the
    /// horizon on the boresight azimuth the loss is 12 (β/θ3dB)².
    #[test]
    fn downtilt_moves_the_beam_down() {
        for beta in [2.0, 6.0, 10.0] {
            let a = Antenna::sector(135.0, beta).unwrap();
            assert!((a.gain_dbi(135.0, -beta) - 8.0).abs() < 1e-9);
            assert!((a.gain_dbi(135.0, 0.0) - (8.0 - 12.0 * (beta / 65.0).powi(2))).abs() < 1e-9);
            assert!(a.gain_dbi(135.0, -beta) > a.gain_dbi(135.0, -beta + 1.0));
            assert!(a.gain_dbi(135.0, -beta) > a.gain_dbi(135.0, -beta - 1.0));
        }
        let up = Antenna::sector(0.0, -5.0).unwrap();
        assert!((up.gain_dbi(0.0, 5.0) - 8.0).abs() < 1e-9);
    }

    #[test]
    fn omni_is_the_same_everywhere() {
        let a = Antenna::omni(0.0).unwrap();
        for (az, el) in [(0.0, 0.0), (123.0, -45.0), (359.0, 80.0)] {
            assert_eq!(a.gain_dbi(az, el), 0.0);
        }
        assert_eq!(a.gain_towards_dbi([0.0, 0.0, 0.0]), 0.0);
    }

    #[test]
    fn gain_towards_uses_geographic_bearings() {
        let a = Antenna::sector(90.0, 0.0).unwrap(); // facing east
        assert_eq!(a.gain_towards_dbi([100.0, 0.0, 0.0]), 8.0);
        assert!((a.gain_towards_dbi([0.0, 100.0, 0.0]) - (8.0 - 12.0 * (90.0f64 / 65.0).powi(2))).abs() < 1e-9);
        assert!((a.gain_towards_dbi([-100.0, 0.0, 0.0]) + 22.0).abs() < 1e-9);
        assert_eq!(a.gain_towards_dbi([0.0, 0.0, 0.0]), 8.0);
    }

    #[test]
    fn refuses_bad_parameters() {
        assert!(Antenna::sector(f64::NAN, 0.0).is_err());
        assert!(Antenna::sector(0.0, 95.0).is_err());
        assert!(Antenna::omni(f64::INFINITY).is_err());
        let bad = SectorPattern { horizontal_beamwidth_deg: 0.0, ..SectorPattern::TR_38901 };
        assert!(matches!(
            Antenna::new(AntennaPattern::Sector(bad), 8.0, 0.0, 0.0),
            Err(Error::InvalidParameter { name: "horizontal_beamwidth_deg", .. })
        ));
        let bad = SectorPattern { side_lobe_limit_db: -1.0, ..SectorPattern::TR_38901 };
        assert!(Antenna::new(AntennaPattern::Sector(bad), 8.0, 0.0, 0.0).is_err());
        assert_eq!(Antenna::sector(-90.0, 0.0).unwrap().azimuth_deg(), 270.0);
    }

    proptest! {
        /// The pattern is symmetric about the boresight azimuth, never above
        /// the maximum gain and never below it by more than A_max.
        #[test]
        fn symmetric_and_bounded(az in 0.0..360.0f64, tilt in -15.0..15.0f64, d in 0.0..180.0f64, el in -90.0..90.0f64) {
            let a = Antenna::sector(az, tilt).unwrap();
            let (left, right) = (a.gain_dbi(az - d, el), a.gain_dbi(az + d, el));
            prop_assert!((left - right).abs() < 1e-9);
            prop_assert!((8.0 - 30.0 - 1e-12..=8.0 + 1e-12).contains(&left));
        }
    }
}
