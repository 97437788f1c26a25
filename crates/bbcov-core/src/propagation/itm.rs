//! Longley-Rice Irregular Terrain Model (ITM) version 1.2.2, point-to-point
//! mode: basic transmission loss over a terrain profile, 20 MHz – 20 GHz.
//!
//! Implemented from G. A. Hufford, *The ITS Irregular Terrain Model, version
//! 1.2.2: The Algorithm* (NTIA/ITS, 1999; "Alg" in the doc comments, cited by
//! equation number) and Hufford, Longley & Kissick, *A Guide to the Use of
//! the ITS Irregular Terrain Model in the Area Prediction Mode*, NTIA Report
//! 82-100 (1982), following the constants and checks of the NTIA/ITS
//! reference implementation (github NTIA/itm), against whose published test
//! cases it is tested (`tests/itm_reference.rs`: all five official cases
//! agree within the reference's printed precision, 0.005 dB).
//!
//! The computation has the three steps of the Algorithm:
//!
//! 1. preparation (`qlrps`, `qlrpfl`, Alg §1–3): surface refractivity at the
//!    mean path elevation, effective earth curvature, ground impedance;
//!    horizons, effective heights and terrain irregularity Δh from the
//!    profile;
//! 2. the reference attenuation A_ref (`lrprop`, Alg §4): line of sight,
//!    diffraction or troposcatter;
//! 3. variability (`avar`, Alg §5): the quantile of the loss for the wanted
//!    fractions of time, locations and situations in one of seven radio
//!    climates.
//!
//! The loss is A = A_fs + A_var, A_fs the free-space loss
//! 32.45 + 20·log₁₀ f(MHz) + 20·log₁₀ d(km).
//!
//! Inputs outside the model's hard limits are refused with
//! [`Error::OutOfValidityRange`] or [`Error::InvalidParameter`] (the reference's
//! error codes); inputs outside the recommended range are computed and flagged
//! in [`Warnings`] (the reference's warning bits, same values).
//!
//! Nothing here allocates per path: the profile is borrowed and all work
//! buffers are on the stack, so [`p2p`] can be called for hundreds of
//! thousands of profiles from any number of threads. A coverage map does
//! not call it per cell: along each ray of its sweep, `radial::RadialItm`
//! gives every cell the same result from prefix sums and an incremental
//! convex hull of the ray's profile (O(log n) per cell instead of O(n)),
//! with the path-independent terms computed once per map.
//!
//! Not covered: the area prediction mode (`qlra`) and the extensions of later
//! ITM versions.
//!
//! ```
//! use bbcov_core::propagation::itm::{ItmParams, Profile, Quantiles, PropagationMode, p2p};
//! // A 40 km path over low ground with a 150 m ridge in the middle.
//! let z: Vec<f64> = (0..=400)
//!     .map(|i| 20.0 + 150.0 * (-((i as f64 - 200.0) / 15.0).powi(2)).exp())
//!     .collect();
//! let profile = Profile::new(&z, 100.0)?;
//! let params = ItmParams::new(3500.0, 30.0, 1.5);
//! let r = p2p(&params, &profile, Quantiles::MEDIAN)?;
//! assert_eq!(r.intermediate.mode, PropagationMode::Diffraction);
//! assert!(r.a_db > r.intermediate.a_fs_db + 20.0); // the ridge costs more than 20 dB
//! assert!(r.warnings.is_empty());
//! # Ok::<(), bbcov_core::Error>(())
//! ```

mod attenuation;
mod ground;
mod radial;
mod terrain;
mod variability;

use std::fmt;
use std::ops::{BitOr, BitOrAssign};

pub use variability::inverse_ccdf;

pub(crate) use radial::RadialItm;

use crate::{Error, Result};
use attenuation::{FrequencyTerms, Link, reference_attenuation};
use terrain::PathGeometry;
use variability::{ClimateConstants, VariabilityInput, variability_loss, variability_loss_with};

/// Model name used in error messages.
pub(crate) const MODEL: &str = "ITM (Longley-Rice) point-to-point";

/// Radio climate (TN101 §10; Alg §5), with the reference's codes 1–7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Climate {
    Equatorial = 1,
    ContinentalSubtropical = 2,
    MaritimeSubtropical = 3,
    Desert = 4,
    /// The usual choice for mid-latitude land paths.
    ContinentalTemperate = 5,
    MaritimeTemperateOverLand = 6,
    MaritimeTemperateOverSea = 7,
}

impl Climate {
    /// All climates in code order.
    pub const ALL: [Climate; 7] = [
        Climate::Equatorial,
        Climate::ContinentalSubtropical,
        Climate::MaritimeSubtropical,
        Climate::Desert,
        Climate::ContinentalTemperate,
        Climate::MaritimeTemperateOverLand,
        Climate::MaritimeTemperateOverSea,
    ];

    /// The climate of a reference code 1–7.
    pub fn from_code(code: i32) -> Result<Self> {
        usize::try_from(code)
            .ok()
            .and_then(|c| c.checked_sub(1))
            .and_then(|i| Self::ALL.get(i).copied())
            .ok_or_else(|| Error::InvalidParameter {
                name: "climate",
                value: code as f64,
                expected: "a radio climate code 1 (equatorial) to 7 (maritime temperate over sea)"
                    .into(),
            })
    }

    /// The reference code 1–7.
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// Antenna polarization (reference codes 0 and 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Polarization {
    Horizontal,
    Vertical,
}

impl Polarization {
    /// 0 = horizontal, 1 = vertical.
    pub fn from_code(code: i32) -> Result<Self> {
        match code {
            0 => Ok(Polarization::Horizontal),
            1 => Ok(Polarization::Vertical),
            _ => Err(Error::InvalidParameter {
                name: "polarization",
                value: code as f64,
                expected: "0 (horizontal) or 1 (vertical)".into(),
            }),
        }
    }
}

/// How time, location and situation variability combine (Alg §5; NTIA 82-100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VariabilityMode {
    /// One confidence figure combines all three (code 0).
    SingleMessage = 0,
    /// Reliability = time; confidence = location and situation (code 1).
    Accidental = 1,
    /// Reliability = time and location together (code 2).
    Mobile = 2,
    /// Reliability = time at a fraction of locations (code 3).
    Broadcast = 3,
}

/// The mode of variability `mdvar`: a [`VariabilityMode`], optionally without
/// location variability (code + 10, e.g. for a fixed known receiver site) or
/// without direct situation variability (code + 20, for interference).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mdvar {
    pub mode: VariabilityMode,
    /// Location variability is included (false: code + 10).
    pub location_variability: bool,
    /// Direct situation variability is included (false: code + 20).
    pub situation_variability: bool,
}

impl Mdvar {
    /// A mode with all variabilities included.
    pub const fn new(mode: VariabilityMode) -> Self {
        Mdvar {
            mode,
            location_variability: true,
            situation_variability: true,
        }
    }

    /// From a reference code: 0–3, +10 without location, +20 without
    /// situation variability (so 0–3, 10–13, 20–23, 30–33).
    ///
    /// ```
    /// use bbcov_core::propagation::itm::{Mdvar, VariabilityMode};
    /// let m = Mdvar::from_code(12)?;
    /// assert_eq!(m.mode, VariabilityMode::Mobile);
    /// assert!(!m.location_variability && m.situation_variability);
    /// assert_eq!(m.code(), 12);
    /// assert!(Mdvar::from_code(4).is_err());
    /// # Ok::<(), bbcov_core::Error>(())
    /// ```
    pub fn from_code(code: i32) -> Result<Self> {
        let mode = match code.rem_euclid(10) {
            0 => VariabilityMode::SingleMessage,
            1 => VariabilityMode::Accidental,
            2 => VariabilityMode::Mobile,
            _ => VariabilityMode::Broadcast,
        };
        if !(0..=33).contains(&code) || code % 10 > 3 {
            return Err(Error::InvalidParameter {
                name: "mdvar",
                value: code as f64,
                expected:
                    "a mode of variability 0-3 (single message, accidental, mobile, broadcast), \
                           plus 10 without location and/or 20 without situation variability"
                        .into(),
            });
        }
        Ok(Mdvar {
            mode,
            location_variability: code % 20 < 10,
            situation_variability: code < 20,
        })
    }

    /// The reference code.
    pub fn code(self) -> i32 {
        self.mode as i32
            + if self.location_variability { 0 } else { 10 }
            + if self.situation_variability { 0 } else { 20 }
    }
}

/// Dominant propagation mechanism of the path (reference codes 1–3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PropagationMode {
    LineOfSight = 1,
    Diffraction = 2,
    Troposcatter = 3,
}

/// Warning flags: inputs or intermediate values outside the range where the
/// model is recommended; the result is computed but should be used with care.
/// Bit values are those of the reference implementation.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Warnings(u16);

impl Warnings {
    /// Transmitter height outside [1, 1000] m.
    pub const TX_TERMINAL_HEIGHT: Warnings = Warnings(0x0001);
    /// Receiver height outside [1, 1000] m.
    pub const RX_TERMINAL_HEIGHT: Warnings = Warnings(0x0002);
    /// Frequency outside [40, 10 000] MHz.
    pub const FREQUENCY: Warnings = Warnings(0x0004);
    /// Path longer than 1000 km.
    pub const PATH_DISTANCE_TOO_BIG_1: Warnings = Warnings(0x0008);
    /// Path longer than 2000 km.
    pub const PATH_DISTANCE_TOO_BIG_2: Warnings = Warnings(0x0010);
    /// Path shorter than |h_e1 − h_e2|/0.2 (steep path).
    pub const PATH_DISTANCE_TOO_SMALL_1: Warnings = Warnings(0x0020);
    /// Path shorter than 1 km.
    pub const PATH_DISTANCE_TOO_SMALL_2: Warnings = Warnings(0x0040);
    /// Transmitter horizon angle beyond ±200 mrad (small-angle approximations break down).
    pub const TX_HORIZON_ANGLE: Warnings = Warnings(0x0080);
    /// Receiver horizon angle beyond ±200 mrad.
    pub const RX_HORIZON_ANGLE: Warnings = Warnings(0x0100);
    /// Transmitter horizon nearer than 1/10 of the smooth-earth horizon.
    pub const TX_HORIZON_DISTANCE_1: Warnings = Warnings(0x0200);
    /// Receiver horizon nearer than 1/10 of the smooth-earth horizon.
    pub const RX_HORIZON_DISTANCE_1: Warnings = Warnings(0x0400);
    /// Transmitter horizon farther than 3 times the smooth-earth horizon.
    pub const TX_HORIZON_DISTANCE_2: Warnings = Warnings(0x0800);
    /// Receiver horizon farther than 3 times the smooth-earth horizon.
    pub const RX_HORIZON_DISTANCE_2: Warnings = Warnings(0x1000);
    /// A time, location or situation deviate beyond ±3.1 (far in a tail).
    pub const EXTREME_VARIABILITIES: Warnings = Warnings(0x2000);
    /// Surface refractivity N_s below 250 N-units.
    pub const SURFACE_REFRACTIVITY: Warnings = Warnings(0x4000);

    const MESSAGES: [(Warnings, &'static str); 15] = [
        (
            Self::TX_TERMINAL_HEIGHT,
            "TX terminal height outside [1, 1000] m",
        ),
        (
            Self::RX_TERMINAL_HEIGHT,
            "RX terminal height outside [1, 1000] m",
        ),
        (Self::FREQUENCY, "frequency outside [40, 10000] MHz"),
        (Self::PATH_DISTANCE_TOO_BIG_1, "path distance above 1000 km"),
        (Self::PATH_DISTANCE_TOO_BIG_2, "path distance above 2000 km"),
        (
            Self::PATH_DISTANCE_TOO_SMALL_1,
            "path distance below |h_e1 - h_e2| / 0.2",
        ),
        (Self::PATH_DISTANCE_TOO_SMALL_2, "path distance below 1 km"),
        (Self::TX_HORIZON_ANGLE, "TX horizon angle beyond 200 mrad"),
        (Self::RX_HORIZON_ANGLE, "RX horizon angle beyond 200 mrad"),
        (
            Self::TX_HORIZON_DISTANCE_1,
            "TX horizon distance below 1/10 of the smooth-earth horizon",
        ),
        (
            Self::RX_HORIZON_DISTANCE_1,
            "RX horizon distance below 1/10 of the smooth-earth horizon",
        ),
        (
            Self::TX_HORIZON_DISTANCE_2,
            "TX horizon distance above 3 times the smooth-earth horizon",
        ),
        (
            Self::RX_HORIZON_DISTANCE_2,
            "RX horizon distance above 3 times the smooth-earth horizon",
        ),
        (
            Self::EXTREME_VARIABILITIES,
            "a time/location/situation quantile is far in the tail (|z| > 3.1)",
        ),
        (
            Self::SURFACE_REFRACTIVITY,
            "surface refractivity below 250 N-units",
        ),
    ];

    /// No warning.
    pub const fn empty() -> Self {
        Warnings(0)
    }

    /// The reference's bit mask.
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// Flags from the reference's bit mask (unknown bits are dropped).
    pub const fn from_bits_truncate(bits: u16) -> Self {
        Warnings(bits & 0x7fff)
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether all flags of `other` are set.
    pub const fn contains(self, other: Warnings) -> bool {
        self.0 & other.0 == other.0
    }

    /// One message per set flag.
    pub fn messages(self) -> impl Iterator<Item = &'static str> {
        Self::MESSAGES
            .into_iter()
            .filter(move |(w, _)| self.contains(*w))
            .map(|(_, m)| m)
    }
}

impl BitOr for Warnings {
    type Output = Warnings;
    fn bitor(self, rhs: Warnings) -> Warnings {
        Warnings(self.0 | rhs.0)
    }
}

impl BitOrAssign for Warnings {
    fn bitor_assign(&mut self, rhs: Warnings) {
        self.0 |= rhs.0;
    }
}

impl fmt::Debug for Warnings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Warnings({:#06x}: {self})", self.0)
    }
}

impl fmt::Display for Warnings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no warnings");
        }
        for (i, m) in self.messages().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(m)?;
        }
        Ok(())
    }
}

/// Link parameters of the point-to-point mode (everything but the terrain
/// and the wanted quantiles).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItmParams {
    /// Transmitter structural height above ground (m): valid [0.5, 3000], recommended [1, 1000].
    pub h_tx_m: f64,
    /// Receiver structural height above ground (m): valid [0.5, 3000], recommended [1, 1000].
    pub h_rx_m: f64,
    pub climate: Climate,
    /// Surface refractivity reduced to sea level N₀ (N-units): valid [250, 400]; 301 is typical.
    pub n_0: f64,
    /// Frequency (MHz): valid [20, 20 000], recommended [40, 10 000].
    pub f_mhz: f64,
    pub polarization: Polarization,
    /// Relative permittivity of the ground ε (≥ 1; 15 for average ground, 80 for sea water).
    pub epsilon: f64,
    /// Ground conductivity σ (S/m, > 0; 0.005 for average ground, 5 for sea water).
    pub sigma: f64,
    pub mdvar: Mdvar,
}

impl ItmParams {
    /// Typical parameters for a land path: continental temperate climate,
    /// N₀ = 301, vertical polarization, average ground (ε = 15, σ = 0.005 S/m),
    /// broadcast mode of variability.
    pub fn new(f_mhz: f64, h_tx_m: f64, h_rx_m: f64) -> Self {
        ItmParams {
            h_tx_m,
            h_rx_m,
            climate: Climate::ContinentalTemperate,
            n_0: 301.0,
            f_mhz,
            polarization: Polarization::Vertical,
            epsilon: 15.0,
            sigma: 0.005,
            mdvar: Mdvar::new(VariabilityMode::Broadcast),
        }
    }

    /// Checks the parameters against the model's limits (the reference's
    /// `ValidateInputs`): hard limits are errors, recommended ranges warnings.
    pub fn validate(&self) -> Result<Warnings> {
        let mut w = Warnings::empty();
        for (h, name, flag) in [
            (self.h_tx_m, "h_tx_m", Warnings::TX_TERMINAL_HEIGHT),
            (self.h_rx_m, "h_rx_m", Warnings::RX_TERMINAL_HEIGHT),
        ] {
            out_of_range(
                name,
                h,
                0.5,
                3000.0,
                "[0.5, 3000] m (recommended [1, 1000] m)",
            )?;
            if !(1.0..=1000.0).contains(&h) {
                w |= flag;
            }
        }
        out_of_range("n_0", self.n_0, 250.0, 400.0, "[250, 400] N-units")?;
        out_of_range(
            "f_mhz",
            self.f_mhz,
            20.0,
            20_000.0,
            "[20, 20000] MHz (recommended [40, 10000] MHz)",
        )?;
        if !(40.0..=10_000.0).contains(&self.f_mhz) {
            w |= Warnings::FREQUENCY;
        }
        if !(self.epsilon >= 1.0 && self.epsilon.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "epsilon",
                value: self.epsilon,
                expected: "a finite relative permittivity >= 1".into(),
            });
        }
        if !(self.sigma > 0.0 && self.sigma.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "sigma",
                value: self.sigma,
                expected: "a finite ground conductivity > 0 S/m".into(),
            });
        }
        Ok(w)
    }
}

fn out_of_range(parameter: &'static str, value: f64, lo: f64, hi: f64, range: &str) -> Result<()> {
    if (lo..=hi).contains(&value) {
        Ok(())
    } else {
        Err(Error::OutOfValidityRange {
            model: MODEL,
            parameter,
            value,
            range: range.into(),
        })
    }
}

/// A terrain profile: elevations (m above sea level) at equally spaced points
/// from the transmitter (first) to the receiver (last), like the body of the
/// ITM `pfl` array. Borrowed, not copied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile<'a> {
    elevations_m: &'a [f64],
    spacing_m: f64,
}

impl<'a> Profile<'a> {
    /// A profile of at least two finite elevations `spacing_m` (> 0) apart.
    pub fn new(elevations_m: &'a [f64], spacing_m: f64) -> Result<Self> {
        if !(spacing_m > 0.0 && spacing_m.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "profile spacing",
                value: spacing_m,
                expected: "a finite distance > 0 m between profile points".into(),
            });
        }
        if elevations_m.len() < 2 {
            return Err(Error::InvalidParameter {
                name: "profile points",
                value: elevations_m.len() as f64,
                expected: "at least 2 elevations (transmitter and receiver ground)".into(),
            });
        }
        if let Some(bad) = elevations_m.iter().find(|z| !z.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "profile elevation",
                value: *bad,
                expected: "finite elevations (fill DEM nodata before building profiles)".into(),
            });
        }
        Ok(Profile {
            elevations_m,
            spacing_m,
        })
    }

    /// From the reference's `pfl` array: `[np, xi, z_0, …, z_np]` (np
    /// intervals of xi metres, np + 1 elevations).
    ///
    /// ```
    /// use bbcov_core::propagation::itm::Profile;
    /// let pfl = [4.0, 250.0, 10.0, 12.0, 30.0, 12.0, 10.0];
    /// let p = Profile::from_pfl(&pfl)?;
    /// assert_eq!((p.intervals(), p.distance_m()), (4, 1000.0));
    /// assert!(Profile::from_pfl(&[5.0, 250.0, 10.0, 12.0]).is_err());
    /// # Ok::<(), bbcov_core::Error>(())
    /// ```
    pub fn from_pfl(pfl: &'a [f64]) -> Result<Self> {
        let (Some(&np), Some(&xi)) = (pfl.first(), pfl.get(1)) else {
            return Err(Error::LengthMismatch {
                what: "ITM pfl array".into(),
                expected: 2,
                got: pfl.len(),
            });
        };
        if !(np >= 1.0 && np.fract() == 0.0 && np < 1e9) {
            return Err(Error::InvalidParameter {
                name: "pfl[0] (number of intervals)",
                value: np,
                expected: "a whole number >= 1".into(),
            });
        }
        let points = np as usize + 1;
        if pfl.len() - 2 != points {
            return Err(Error::LengthMismatch {
                what: "ITM pfl elevations".into(),
                expected: points,
                got: pfl.len() - 2,
            });
        }
        Profile::new(&pfl[2..], xi)
    }

    /// Elevations (m).
    pub fn elevations_m(&self) -> &'a [f64] {
        self.elevations_m
    }

    /// Distance between consecutive points (m).
    pub fn spacing_m(&self) -> f64 {
        self.spacing_m
    }

    /// Number of intervals (points − 1).
    pub fn intervals(&self) -> usize {
        self.elevations_m.len() - 1
    }

    /// Path length (m).
    pub fn distance_m(&self) -> f64 {
        self.intervals() as f64 * self.spacing_m
    }
}

/// The quantiles wanted, in percent (strictly between 0 and 100).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantiles {
    /// Loss not exceeded for `time`% of the time at `location`% of the
    /// locations in `situation`% of the situations (how they combine depends
    /// on the [`Mdvar`] mode).
    TimeLocationSituation {
        time: f64,
        location: f64,
        situation: f64,
    },
    /// Reliability and confidence (the reference's `ITM_P2P_CR`: time =
    /// reliability, location = 50, situation = confidence).
    ConfidenceReliability { confidence: f64, reliability: f64 },
}

impl Quantiles {
    /// The median: 50% time, locations and situations.
    pub const MEDIAN: Quantiles = Quantiles::TimeLocationSituation {
        time: 50.0,
        location: 50.0,
        situation: 50.0,
    };

    /// Time / location / situation percentages.
    pub const fn tls(time: f64, location: f64, situation: f64) -> Self {
        Quantiles::TimeLocationSituation {
            time,
            location,
            situation,
        }
    }

    /// Confidence / reliability percentages.
    pub const fn cr(confidence: f64, reliability: f64) -> Self {
        Quantiles::ConfidenceReliability {
            confidence,
            reliability,
        }
    }

    /// Standard normal deviates (z_T, z_L, z_S) of the quantiles, after
    /// checking that every percentage is strictly between 0 and 100.
    fn deviates(self) -> Result<[f64; 3]> {
        let (t, l, s, names) = match self {
            Quantiles::TimeLocationSituation {
                time,
                location,
                situation,
            } => (time, location, situation, ["time", "location", "situation"]),
            Quantiles::ConfidenceReliability {
                confidence,
                reliability,
            } => (
                reliability,
                50.0,
                confidence,
                ["reliability", "location", "confidence"],
            ),
        };
        // The reference checks situation, time, location in this order.
        for (v, name) in [(s, names[2]), (t, names[0]), (l, names[1])] {
            if !(v > 0.0 && v < 100.0) {
                return Err(Error::InvalidParameter {
                    name,
                    value: v,
                    expected: "a percentage strictly between 0 and 100".into(),
                });
            }
        }
        Ok([
            inverse_ccdf(t / 100.0),
            inverse_ccdf(l / 100.0),
            inverse_ccdf(s / 100.0),
        ])
    }
}

/// Intermediate values of a point-to-point prediction (the reference's
/// `IntermediateValues`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntermediateValues {
    /// Horizon elevation angles of transmitter and receiver (rad).
    pub theta_hzn_rad: [f64; 2],
    /// Horizon distances of transmitter and receiver (m).
    pub d_hzn_m: [f64; 2],
    /// Effective antenna heights (m).
    pub h_e_m: [f64; 2],
    /// Surface refractivity at the path's mean elevation (N-units).
    pub n_s: f64,
    /// Terrain irregularity parameter Δh (m).
    pub delta_h_m: f64,
    /// Reference attenuation relative to free space (dB).
    pub a_ref_db: f64,
    /// Free-space basic transmission loss (dB).
    pub a_fs_db: f64,
    /// Path length (km).
    pub d_km: f64,
    /// Dominant propagation mechanism.
    pub mode: PropagationMode,
}

/// Result of [`p2p`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct P2pResult {
    /// Basic transmission loss A (dB) at the wanted quantiles.
    pub a_db: f64,
    /// Warnings raised by the inputs and the path.
    pub warnings: Warnings,
    pub intermediate: IntermediateValues,
    /// Warnings that do not depend on the quantiles.
    path_warnings: Warnings,
    variability: VariabilityInput,
}

impl P2pResult {
    /// Basic transmission loss (dB) and warnings of the same path at other
    /// quantiles, without recomputing the terrain and reference attenuation
    /// (e.g. a reliability/confidence table).
    pub fn loss_at(&self, quantiles: Quantiles) -> Result<(f64, Warnings)> {
        let [z_t, z_l, z_s] = quantiles.deviates()?;
        let (a_var, extreme) = variability_loss(z_t, z_l, z_s, &self.variability);
        let mut w = self.path_warnings;
        if extreme {
            w |= Warnings::EXTREME_VARIABILITIES;
        }
        finite(a_var + self.intermediate.a_fs_db).map(|a| (a, w))
    }
}

fn finite(a_db: f64) -> Result<f64> {
    if a_db.is_finite() {
        Ok(a_db)
    } else {
        Err(Error::InvalidParameter {
            name: "profile",
            value: a_db,
            expected: "a terrain profile on which ITM gives a finite loss (degenerate geometry)"
                .into(),
        })
    }
}

/// Free-space basic transmission loss (dB): 32.45 + 20·log₁₀ f(MHz) +
/// 20·log₁₀ d(km) (ITU-R P.525-4, Eq 4).
///
/// ```
/// use bbcov_core::propagation::itm::free_space_loss_db;
/// assert!((free_space_loss_db(1000.0, 1000.0) - 92.45).abs() < 1e-12);
/// ```
pub fn free_space_loss_db(d_m: f64, f_mhz: f64) -> f64 {
    32.45 + 20.0 * f_mhz.log10() + 20.0 * (d_m / 1000.0).log10()
}

/// ITM point-to-point prediction: basic transmission loss over `profile`
/// (transmitter at the first point) at the wanted `quantiles`, with the
/// intermediate values and warnings of the reference implementation
/// (`ITM_P2P_TLS_Ex` / `ITM_P2P_CR_Ex`).
///
/// Steps (Alg §1–5):
/// * mean elevation h_sys of the profile without its first and last 10%;
///   N_s = N₀·exp(−h_sys/9460 m) [Alg 1.2]; effective earth curvature
///   γ_e = 157·10⁻⁹·(1 − 0.04665·exp(N_s/179.3)) m⁻¹ [Alg 1.3]; ground
///   impedance Z_g [Alg 1.4–1.5];
/// * horizons, effective heights, Δh (Alg §3, `qlrpfl`);
/// * reference attenuation A_ref (Alg §4) and variability (Alg §5);
/// * A = A_fs + A_var.
///
/// Errors: parameters outside the model's limits (see [`ItmParams::validate`]),
/// percentages outside (0, 100), and the reference's internal checks (surface
/// refractivity outside [150, 400] N-units, effective earth radius outside
/// [4000, 13333] km, ground impedance with Re Z_g ≤ |Im Z_g|).
pub fn p2p(params: &ItmParams, profile: &Profile<'_>, quantiles: Quantiles) -> Result<P2pResult> {
    let prepared = Prepared::new(params, quantiles)?;
    let z = profile.elevations_m;
    let (n_s, gamma_e) = prepared.refractivity(terrain::mean_system_height(z));
    let geometry = terrain::analyze_profile(z, profile.spacing_m, gamma_e, prepared.heights());
    prepared.predict(geometry, n_s, gamma_e)
}

/// Everything of a point-to-point prediction that does not depend on the
/// path: the checked parameters and their warnings, the quantiles' normal
/// deviates, the ground impedance Z_g and the frequency and climate terms
/// of `lrprop` and `avar` (the parts of `qlrps` and `avar` that the
/// reference recomputes on every call, `avar` because p2p sets lvar = 5).
/// [`p2p`] builds one per call, [`RadialItm`] one per coverage map.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prepared {
    params: ItmParams,
    warnings: Warnings,
    deviates: [f64; 3],
    freq: FrequencyTerms,
    climate: ClimateConstants,
    /// 32.45 + 20·log₁₀ f(MHz) of the free-space loss.
    a_fs_at_1km: f64,
}

impl Prepared {
    pub(crate) fn new(params: &ItmParams, quantiles: Quantiles) -> Result<Self> {
        let warnings = params.validate()?;
        let deviates = quantiles.deviates()?;
        let vertical = params.polarization == Polarization::Vertical;
        let z_g = ground::surface_impedance(params.f_mhz, params.epsilon, params.sigma, vertical);
        Ok(Prepared {
            params: *params,
            warnings,
            deviates,
            freq: FrequencyTerms::new(params.f_mhz, z_g),
            climate: ClimateConstants::new(params.f_mhz, params.climate),
            a_fs_at_1km: 32.45 + 20.0 * params.f_mhz.log10(),
        })
    }

    /// Structural antenna heights (transmitter, receiver), m.
    pub(crate) fn heights(&self) -> [f64; 2] {
        [self.params.h_tx_m, self.params.h_rx_m]
    }

    /// Surface refractivity N_s = N₀·exp(−h_sys/9460 m) at the mean path
    /// elevation h_sys [Alg 1.2] and the effective earth curvature
    /// γ_e = 157·10⁻⁹·(1 − 0.04665·exp(N_s/179.3)) m⁻¹ [Alg 1.3].
    pub(crate) fn refractivity(&self, h_sys: f64) -> (f64, f64) {
        let n_0 = self.params.n_0;
        let n_s = if h_sys == 0.0 {
            n_0
        } else {
            n_0 * (-h_sys / 9460.0).exp()
        };
        (n_s, 157e-9 * (1.0 - 0.04665 * (n_s / 179.3).exp()))
    }

    /// The prediction over a path of `geometry` (Alg §4–5): reference
    /// attenuation, free-space loss and variability.
    pub(crate) fn predict(
        &self,
        geometry: PathGeometry,
        n_s: f64,
        gamma_e: f64,
    ) -> Result<P2pResult> {
        let params = &self.params;
        let mut warnings = self.warnings;
        let [z_t, z_l, z_s] = self.deviates;
        let link = Link::with_terms(geometry, self.heights(), &self.freq, 1.0 / gamma_e, n_s);
        let (a_ref_db, mode) = reference_attenuation(&link, &mut warnings)?;
        let a_fs_db = self.a_fs_at_1km + 20.0 * (geometry.d_m / 1000.0).log10();

        let variability = VariabilityInput {
            h_e_m: geometry.h_e_m,
            delta_h_m: geometry.delta_h_m,
            f_mhz: params.f_mhz,
            d_m: geometry.d_m,
            a_ref_db,
            climate: params.climate,
            mdvar: params.mdvar,
        };
        let (a_var, extreme) = variability_loss_with(&self.climate, z_t, z_l, z_s, &variability);
        let path_warnings = warnings;
        if extreme {
            warnings |= Warnings::EXTREME_VARIABILITIES;
        }
        Ok(P2pResult {
            a_db: finite(a_var + a_fs_db)?,
            warnings,
            intermediate: IntermediateValues {
                theta_hzn_rad: geometry.theta_hzn,
                d_hzn_m: geometry.d_hzn_m,
                h_e_m: geometry.h_e_m,
                n_s,
                delta_h_m: geometry.delta_h_m,
                a_ref_db,
                a_fs_db,
                d_km: geometry.d_m / 1000.0,
                mode,
            },
            path_warnings,
            variability,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    /// The terrain of the reference's command-line example (NTIA/itm
    /// `tests/cmd_examples/pfl.txt`): 142 intervals of 25.6 m rising from
    /// 1692 m to 1710 m.
    fn example_pfl() -> Vec<f64> {
        let steps: [(f64, usize); 19] = [
            (1692.0, 2),
            (1693.0, 6),
            (1694.0, 9),
            (1695.0, 8),
            (1696.0, 6),
            (1697.0, 10),
            (1698.0, 10),
            (1699.0, 6),
            (1700.0, 7),
            (1701.0, 6),
            (1702.0, 8),
            (1703.0, 9),
            (1704.0, 8),
            (1705.0, 10),
            (1706.0, 9),
            (1707.0, 7),
            (1708.0, 8),
            (1709.0, 5),
            (1710.0, 8),
        ];
        let mut pfl = vec![142.0, 25.6];
        for (z, n) in steps {
            pfl.extend(std::iter::repeat_n(z, n));
        }
        pfl.push(1709.0);
        pfl
    }

    fn example_params() -> ItmParams {
        ItmParams {
            h_tx_m: 15.0,
            h_rx_m: 3.0,
            climate: Climate::ContinentalTemperate,
            n_0: 301.0,
            f_mhz: 3500.0,
            polarization: Polarization::Vertical,
            epsilon: 15.0,
            sigma: 0.005,
            mdvar: Mdvar::from_code(1).unwrap(),
        }
    }

    #[test]
    fn reference_command_line_example() {
        // NTIA/itm cmd_examples/o_p2ptls.txt (values printed rounded).
        let pfl = example_pfl();
        assert_eq!(pfl.len(), 145);
        let profile = Profile::from_pfl(&pfl).unwrap();
        let r = p2p(&example_params(), &profile, Quantiles::MEDIAN).unwrap();
        let iv = r.intermediate;
        assert!((r.a_db - 114.5).abs() <= 0.05, "{}", r.a_db);
        assert!((iv.a_fs_db - 114.5).abs() <= 0.05);
        assert!((iv.d_km - 3.635).abs() <= 0.0005);
        assert!((iv.theta_hzn_rad[0] * 1e3 + 1.949).abs() <= 0.0005);
        assert!((iv.theta_hzn_rad[1] * 1e3 + 0.856).abs() <= 0.0005);
        assert!((iv.d_hzn_m[0] - 14868.0).abs() <= 0.5);
        assert!((iv.d_hzn_m[1] - 6494.0).abs() <= 0.5);
        assert!((iv.h_e_m[0] - 15.0).abs() <= 0.05);
        assert!((iv.h_e_m[1] - 3.0).abs() <= 0.05);
        assert!((iv.n_s - 251.5).abs() <= 0.05);
        assert!((iv.delta_h_m - 3.2).abs() <= 0.05);
        assert!(iv.a_ref_db.abs() <= 0.05);
        assert_eq!(iv.mode, PropagationMode::LineOfSight);
        assert!(r.warnings.is_empty(), "{}", r.warnings);
    }

    #[test]
    fn reference_confidence_reliability_table() {
        // NTIA/itm cmd_examples/o_p2pcr_tbl.txt: rows reliability, columns confidence.
        let pfl = example_pfl();
        let profile = Profile::from_pfl(&pfl).unwrap();
        let r = p2p(&example_params(), &profile, Quantiles::cr(50.0, 50.0)).unwrap();
        let table = [
            (10.0, [110.9, 117.2, 129.1]),
            (65.0, [110.9, 117.4, 129.2]),
            (90.0, [110.9, 117.5, 129.3]),
        ];
        for (rel, row) in table {
            for (conf, want) in [10.0, 60.0, 90.0].into_iter().zip(row) {
                let (a, w) = r.loss_at(Quantiles::cr(conf, rel)).unwrap();
                assert!(
                    (a - want).abs() <= 0.05,
                    "reliability {rel} confidence {conf}: {a} vs {want}"
                );
                assert!(w.is_empty());
                let direct = p2p(&example_params(), &profile, Quantiles::cr(conf, rel)).unwrap();
                assert_eq!(direct.a_db, a);
            }
        }
    }

    #[test]
    fn inputs_outside_the_hard_limits_are_refused() {
        let pfl = example_pfl();
        let profile = Profile::from_pfl(&pfl).unwrap();
        let ok = example_params();
        let cases: [(ItmParams, &str); 8] = [
            (ItmParams { h_tx_m: 0.4, ..ok }, "h_tx_m"),
            (
                ItmParams {
                    h_rx_m: 3001.0,
                    ..ok
                },
                "h_rx_m",
            ),
            (ItmParams { n_0: 200.0, ..ok }, "n_0"),
            (ItmParams { f_mhz: 19.0, ..ok }, "f_mhz"),
            (
                ItmParams {
                    f_mhz: 20_001.0,
                    ..ok
                },
                "f_mhz",
            ),
            (
                ItmParams {
                    f_mhz: f64::NAN,
                    ..ok
                },
                "f_mhz",
            ),
            (ItmParams { epsilon: 0.5, ..ok }, "epsilon"),
            (ItmParams { sigma: 0.0, ..ok }, "sigma"),
        ];
        for (params, name) in cases {
            let err = p2p(&params, &profile, Quantiles::MEDIAN).unwrap_err();
            match &err {
                Error::OutOfValidityRange { parameter, .. } => assert_eq!(*parameter, name),
                Error::InvalidParameter { name: n, .. } => assert_eq!(*n, name),
                other => panic!("unexpected {other:?}"),
            }
            assert!(err.to_string().contains(name), "{err}");
        }
        for (q, name) in [
            (Quantiles::tls(0.0, 50.0, 50.0), "time"),
            (Quantiles::tls(50.0, 100.0, 50.0), "location"),
            (Quantiles::tls(50.0, 50.0, f64::NAN), "situation"),
            (Quantiles::cr(50.0, 100.0), "reliability"),
            (Quantiles::cr(-1.0, 50.0), "confidence"),
        ] {
            let err = p2p(&ok, &profile, q).unwrap_err();
            assert!(
                matches!(err, Error::InvalidParameter { name: n, .. } if n == name),
                "{err:?}"
            );
        }
    }

    #[test]
    fn soft_limits_raise_warnings() {
        let pfl = example_pfl();
        let profile = Profile::from_pfl(&pfl).unwrap();
        let p = ItmParams {
            h_tx_m: 0.8,
            f_mhz: 30.0,
            ..example_params()
        };
        let r = p2p(&p, &profile, Quantiles::tls(50.0, 50.0, 99.99)).unwrap();
        assert!(
            r.warnings
                .contains(Warnings::TX_TERMINAL_HEIGHT | Warnings::FREQUENCY)
        );
        assert!(r.warnings.contains(Warnings::EXTREME_VARIABILITIES));
        assert!(!r.warnings.contains(Warnings::RX_TERMINAL_HEIGHT));
        assert!(r.warnings.to_string().contains("frequency"));
        let (_, w) = r.loss_at(Quantiles::MEDIAN).unwrap();
        assert!(!w.contains(Warnings::EXTREME_VARIABILITIES) && w.contains(Warnings::FREQUENCY));
    }

    #[test]
    fn bad_profiles_are_refused() {
        assert!(Profile::new(&[1.0], 10.0).is_err());
        assert!(Profile::new(&[1.0, 2.0], 0.0).is_err());
        assert!(Profile::new(&[1.0, f64::NAN], 10.0).is_err());
        assert!(Profile::from_pfl(&[]).is_err());
        assert!(Profile::from_pfl(&[1.5, 10.0, 0.0, 0.0]).is_err());
        assert!(Profile::from_pfl(&[1.0, 10.0, 0.0, 0.0]).is_ok());
    }

    #[test]
    fn below_sea_level_refractivity_is_checked() {
        // Mean path elevation −2000 m raises N_s above 400 N-units.
        let z = vec![-2000.0; 51];
        let profile = Profile::new(&z, 100.0).unwrap();
        let p = ItmParams {
            n_0: 390.0,
            ..ItmParams::new(900.0, 10.0, 10.0)
        };
        let err = p2p(&p, &profile, Quantiles::MEDIAN).unwrap_err();
        assert!(
            matches!(err, Error::OutOfValidityRange { value, .. } if value > 400.0),
            "{err:?}"
        );
    }

    #[test]
    fn codes_round_trip() {
        for c in Climate::ALL {
            assert_eq!(Climate::from_code(c.code()).unwrap(), c);
        }
        assert!(Climate::from_code(0).is_err() && Climate::from_code(8).is_err());
        assert!(Climate::from_code(i32::MIN).is_err() && Climate::from_code(i32::MAX).is_err());
        for code in (0..=33).filter(|c| c % 10 <= 3) {
            assert_eq!(Mdvar::from_code(code).unwrap().code(), code);
        }
        for code in [-1, 4, 9, 14, 24, 34, 40] {
            assert!(Mdvar::from_code(code).is_err(), "{code}");
        }
        assert_eq!(Polarization::from_code(1).unwrap(), Polarization::Vertical);
        assert!(Polarization::from_code(2).is_err());
        assert_eq!(
            Warnings::from_bits_truncate(0x2004).bits(),
            (Warnings::FREQUENCY | Warnings::EXTREME_VARIABILITIES).bits()
        );
    }

    #[test]
    fn smooth_sea_path_is_line_of_sight_near_free_space() {
        let z = vec![0.0; 201];
        let profile = Profile::new(&z, 10.0).unwrap();
        let p = ItmParams {
            epsilon: 80.0,
            sigma: 5.0,
            ..ItmParams::new(900.0, 30.0, 10.0)
        };
        let r = p2p(&p, &profile, Quantiles::MEDIAN).unwrap();
        assert_eq!(r.intermediate.mode, PropagationMode::LineOfSight);
        assert_eq!(r.intermediate.n_s, 301.0);
        assert_relative_eq!(r.intermediate.d_km, 2.0);
        assert!((r.a_db - r.intermediate.a_fs_db).abs() < 10.0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Never a panic, and a finite loss or a clear error, on random terrain.
        #[test]
        fn random_terrain_gives_a_finite_loss_or_an_error(
            z in proptest::collection::vec(-50.0f64..2000.0, 2..300),
            spacing in 1.0f64..500.0,
            f in 20.0f64..20_000.0,
            h_tx in 0.5f64..300.0,
            h_rx in 0.5f64..300.0,
            t in 1.0f64..99.0,
        ) {
            let profile = Profile::new(&z, spacing).unwrap();
            let p = ItmParams::new(f, h_tx, h_rx);
            if let Ok(r) = p2p(&p, &profile, Quantiles::tls(t, 50.0, 50.0)) {
                prop_assert!(r.a_db.is_finite());
                prop_assert!(r.intermediate.a_ref_db >= 0.0);
            }
        }

        /// A higher time percentage never gives a smaller loss.
        #[test]
        fn loss_grows_with_time_percentage(t1 in 1.0f64..98.0, dt in 0.0f64..1.0) {
            let pfl = example_pfl();
            let profile = Profile::from_pfl(&pfl).unwrap();
            let p = ItmParams { mdvar: Mdvar::new(VariabilityMode::Broadcast), ..example_params() };
            let r = p2p(&p, &profile, Quantiles::MEDIAN).unwrap();
            let (a1, _) = r.loss_at(Quantiles::tls(t1, 50.0, 50.0)).unwrap();
            let (a2, _) = r.loss_at(Quantiles::tls(t1 + dt, 50.0, 50.0)).unwrap();
            prop_assert!(a2 >= a1 - 1e-9);
        }
    }
}
