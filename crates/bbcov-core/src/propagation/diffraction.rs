//! Diffraction over terrain, Recommendation ITU-R P.526-15 (10/2019)
//! "Propagation by diffraction": the knife-edge loss J(ν) (§4.1), the single
//! dominant knife edge, the Bullington equivalent knife edge of a general path
//! (§4.5.1) and Deygout's principal-edge construction with up to three edges
//! (J. Deygout, "Multiple knife-edge diffraction of microwaves", IEEE Trans.
//! Antennas Propag. AP-14(4), pp. 480-489, 1966).
//!
//! A terrain profile is given raw, as sample distances and ground heights
//! above sea level, plus the effective Earth radius factor k: the Earth bulge
//! d_i (d - d_i) / (2 k R), R = 6371 km, is added here (the 500 C_e d_i (d - d_i)
//! term of P.526 §4.5.1 in metres; [`earth_bulge_m`](crate::earth_bulge_m)).
//! A profile whose heights already include the bulge is passed with
//! `k_factor = f64::INFINITY`. A DEM [`Profile`](crate::Profile) composes as
//! `TerrainProfile::new(p.distances_m(), p.heights_m(), tx_m, rx_m, k)`.

use super::decibels::decibels;
use super::free_space::SPEED_OF_LIGHT_M_PER_S;
use super::validity::{non_negative, positive};
use crate::profile::curvature_per_m;
use crate::{Error, Result};

/// Knife-edge diffraction loss J(ν) (dB), ITU-R P.526-15 §4.1, eq. (31):
///
/// J(ν) = 6.9 + 20 log10(√((ν - 0.1)² + 1) + ν - 0.1)
///
/// the approximation of the Fresnel-integral loss (eq. (30)) that P.526 gives
/// for ν > -0.78; for ν ≤ -0.78 (the first Fresnel zone essentially clear)
/// the loss is 0 dB, as in P.1812 §4.3.1. J(0) = 6.03 dB (exactly 6.02 from
/// eq. (30)): a knife edge grazing the line of sight halves the field.
///
/// ```
/// use bbcov_core::propagation::knife_edge_loss_db;
/// assert!((knife_edge_loss_db(0.0) - 6.03).abs() < 0.005);
/// assert_eq!(knife_edge_loss_db(-1.0), 0.0);
/// ```
pub fn knife_edge_loss_db(nu: f64) -> f64 {
    if nu > -0.78 {
        let t = nu - 0.1;
        6.9 + 2.0 * decibels((t * t + 1.0).sqrt() + t)
    } else {
        0.0
    }
}

/// Diffraction parameter ν = h √(2/λ (1/d1 + 1/d2)), ITU-R P.526-15 §4.1,
/// eq. (26): `h_m` is the height of the edge above the straight line between
/// the terminals (negative below it), `d1_m` and `d2_m` the distances from the
/// edge to each terminal.
///
/// ```
/// use bbcov_core::propagation::diffraction_parameter;
/// // An edge 10 m above the line, 5 km from each end, at 300 MHz (λ ≈ 1 m): ν ≈ 0.283.
/// let nu = diffraction_parameter(10.0, 5_000.0, 5_000.0, 300.0);
/// assert!((nu - 0.283).abs() < 0.001);
/// ```
pub fn diffraction_parameter(h_m: f64, d1_m: f64, d2_m: f64, frequency_mhz: f64) -> f64 {
    let wavelength_m = SPEED_OF_LIGHT_M_PER_S / (frequency_mhz * 1e6);
    h_m * (2.0 / wavelength_m * (1.0 / d1_m + 1.0 / d2_m)).sqrt()
}

/// A terrain profile between a transmitter (first sample) and a receiver
/// (last sample), validated.
///
/// ```
/// use bbcov_core::{STANDARD_K_FACTOR, propagation::TerrainProfile};
/// let d = [0.0, 2_500.0, 5_000.0, 7_500.0, 10_000.0];
/// let h = [12.0, 40.0, 95.0, 30.0, 8.0];
/// let profile = TerrainProfile::new(&d, &h, 30.0, 1.5, STANDARD_K_FACTOR)?;
/// assert_eq!(profile.length_m(), 10_000.0);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TerrainProfile<'a> {
    distances_m: &'a [f64],
    heights_m: &'a [f64],
    tx_height_m: f64,
    rx_height_m: f64,
    k_factor: f64,
}

impl<'a> TerrainProfile<'a> {
    /// A profile of ground heights `heights_m` (m above sea level, without
    /// the Earth bulge) at `distances_m` (m, strictly increasing, from the
    /// transmitter end), with the antennas `tx_height_m` above the first
    /// sample and `rx_height_m` above the last, and effective Earth radius
    /// factor `k_factor` (> 0; [`STANDARD_K_FACTOR`](crate::STANDARD_K_FACTOR) for the standard
    /// atmosphere, `f64::INFINITY` when the heights already include the bulge).
    ///
    /// Fails when the two slices differ in length, hold fewer than two
    /// samples or a non-finite value, when the distances do not increase, or
    /// on a negative antenna height or a k that is not > 0.
    pub fn new(
        distances_m: &'a [f64],
        heights_m: &'a [f64],
        tx_height_m: f64,
        rx_height_m: f64,
        k_factor: f64,
    ) -> Result<Self> {
        if heights_m.len() != distances_m.len() {
            return Err(Error::LengthMismatch {
                what: "terrain profile heights".into(),
                expected: distances_m.len(),
                got: heights_m.len(),
            });
        }
        if distances_m.len() < 2 {
            return Err(Error::InvalidParameter {
                name: "terrain profile samples",
                value: distances_m.len() as f64,
                expected: "at least 2 (the two terminals)".into(),
            });
        }
        if let Some(&d) = distances_m.iter().find(|d| !d.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "terrain profile distance",
                value: d,
                expected: "finite".into(),
            });
        }
        if let Some(w) = distances_m.windows(2).find(|w| w[1] <= w[0]) {
            return Err(Error::InvalidParameter {
                name: "terrain profile distance",
                value: w[1],
                expected: format!("strictly increasing distances (after {})", w[0]),
            });
        }
        if let Some(&h) = heights_m.iter().find(|h| !h.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "terrain profile height",
                value: h,
                expected: "finite".into(),
            });
        }
        non_negative("tx_height_m", tx_height_m, "m")?;
        non_negative("rx_height_m", rx_height_m, "m")?;
        if k_factor.is_nan() || k_factor <= 0.0 {
            return Err(Error::InvalidParameter {
                name: "k_factor",
                value: k_factor,
                expected: "> 0 (4/3 for the standard atmosphere; infinity for a profile that already includes the Earth bulge)"
                    .into(),
            });
        }
        Ok(TerrainProfile { distances_m, heights_m, tx_height_m, rx_height_m, k_factor })
    }

    /// Path length (m).
    pub fn length_m(&self) -> f64 {
        self.distances_m[self.distances_m.len() - 1] - self.distances_m[0]
    }

    /// Distances from the transmitter (m) and effective heights (m): the
    /// antenna tops at the two ends, ground plus Earth bulge in between.
    fn flattened(&self) -> (Vec<f64>, Vec<f64>) {
        let n = self.distances_m.len();
        let total = self.length_m();
        let x: Vec<f64> = self.distances_m.iter().map(|d| d - self.distances_m[0]).collect();
        let c = curvature_per_m(self.k_factor);
        let mut y: Vec<f64> = x.iter().zip(self.heights_m).map(|(&x, &h)| h + x * (total - x) * c).collect();
        y[0] = self.heights_m[0] + self.tx_height_m;
        y[n - 1] = self.heights_m[n - 1] + self.rx_height_m;
        (x, y)
    }
}

/// A diffracting edge: a profile sample and its diffraction parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KnifeEdge {
    /// Index of the sample in the profile.
    pub index: usize,
    /// Distance from the transmitter (m).
    pub distance_m: f64,
    /// Diffraction parameter ν, eq. (26), relative to the line between the
    /// ends of the (sub-)path the edge was found in.
    pub nu: f64,
    /// J(ν) (dB), eq. (31).
    pub loss_db: f64,
}

/// The edge of largest ν between samples `a` and `b` (exclusive), ties to the
/// lowest index; `None` when there is no sample between them.
fn principal_edge(x: &[f64], y: &[f64], a: usize, b: usize, frequency_mhz: f64) -> Option<KnifeEdge> {
    let span = x[b] - x[a];
    ((a + 1)..b)
        .map(|i| {
            let (d1, d2) = (x[i] - x[a], x[b] - x[i]);
            let line = (y[a] * d2 + y[b] * d1) / span;
            let nu = diffraction_parameter(y[i] - line, d1, d2, frequency_mhz);
            KnifeEdge { index: i, distance_m: x[i], nu, loss_db: knife_edge_loss_db(nu) }
        })
        .fold(None, |best: Option<KnifeEdge>, e| match best {
            Some(b) if b.nu >= e.nu => Some(b),
            _ => Some(e),
        })
}

/// The single dominant knife edge: the profile sample of largest ν
/// (eq. (26)) relative to the line between the antennas, and its loss J(ν)
/// (P.526-15 §4.1, eq. (31)). `None` for a profile with no sample between the
/// terminals.
///
/// ```
/// use bbcov_core::propagation::{TerrainProfile, single_knife_edge};
/// // A 60 m ridge half-way along a flat 10 km path, antennas 10 m high.
/// let profile = TerrainProfile::new(&[0.0, 5_000.0, 10_000.0], &[0.0, 60.0, 0.0], 10.0, 10.0, f64::INFINITY)?;
/// let edge = single_knife_edge(&profile, 300.0)?.unwrap();
/// assert_eq!(edge.index, 1);
/// assert!((edge.nu - 1.415).abs() < 0.001 && (edge.loss_db - 16.35).abs() < 0.01);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn single_knife_edge(profile: &TerrainProfile<'_>, frequency_mhz: f64) -> Result<Option<KnifeEdge>> {
    positive("frequency_mhz", frequency_mhz, "MHz")?;
    let (x, y) = profile.flattened();
    Ok(principal_edge(&x, &y, 0, x.len() - 1, frequency_mhz))
}

/// Result of the Bullington method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bullington {
    /// Whether the path is line of sight (no sample rises above the line
    /// between the antennas): then the equivalent edge is the sample of
    /// largest ν, otherwise the intersection of the two horizon rays.
    pub line_of_sight: bool,
    /// Distance of the equivalent (Bullington) edge from the transmitter (m);
    /// NaN for a profile with no sample between the terminals.
    pub distance_m: f64,
    /// Diffraction parameter of the equivalent edge; -∞ for a profile with no
    /// sample between the terminals.
    pub nu: f64,
    /// Knife-edge loss of the equivalent edge, Luc = J(ν) (dB).
    pub knife_edge_loss_db: f64,
    /// Bullington diffraction loss Lb = Luc + [1 - exp(-Luc/6)] (10 + 0.02 d),
    /// d in km (dB).
    pub loss_db: f64,
}

/// Bullington diffraction loss over a general terrain path, ITU-R P.526-15
/// §4.5.1 (the same construction as ITU-R P.1812-4 §4.3.1, eqs. (13)-(21)),
/// with distances in m:
///
/// 1. Stim = max (g_i - h_ts)/d_i, the steepest slope from the transmitter
///    antenna (height h_ts above sea level) to a sample of effective height g_i
///    (ground plus Earth bulge); Str = (h_rs - h_ts)/d, the slope of the direct line.
/// 2. Line of sight (Stim < Str): the equivalent edge is the sample of largest
///    ν, ν_max = max [g_i - (h_ts (d - d_i) + h_rs d_i)/d] √(2d/(λ d_i (d - d_i))).
/// 3. Otherwise Srim = max (g_i - h_rs)/(d - d_i), and the Bullington point,
///    where the two horizon rays meet, is at d_b = (h_rs - h_ts + Srim d)/(Stim + Srim),
///    with ν_b = [h_ts + Stim d_b - (h_ts (d - d_b) + h_rs d_b)/d] √(2d/(λ d_b (d - d_b))).
/// 4. Luc = J(ν) (eq. (31)), and Lb = Luc + [1 - exp(-Luc/6)] (10 + 0.02 d_km).
///
/// [`Bullington::knife_edge_loss_db`] (Luc) is the pure equivalent-knife-edge
/// loss; [`Bullington::loss_db`] (Lb) adds P.526's empirical correction for
/// the rounding of real terrain. The spherical-Earth part of the complete
/// "delta-Bullington" method (§4.5.2) is not included.
///
/// ```
/// use bbcov_core::{STANDARD_K_FACTOR, propagation::{TerrainProfile, bullington}};
/// let d = [0.0, 2_500.0, 5_000.0, 7_500.0, 10_000.0];
/// let h = [12.0, 40.0, 95.0, 30.0, 8.0];
/// let profile = TerrainProfile::new(&d, &h, 30.0, 1.5, STANDARD_K_FACTOR)?;
/// let b = bullington(&profile, 900.0)?;
/// assert!(!b.line_of_sight && b.loss_db > b.knife_edge_loss_db && b.knife_edge_loss_db > 20.0);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn bullington(profile: &TerrainProfile<'_>, frequency_mhz: f64) -> Result<Bullington> {
    positive("frequency_mhz", frequency_mhz, "MHz")?;
    let (x, y) = profile.flattened();
    let n = x.len() - 1;
    let (d, h_ts, h_rs) = (x[n], y[0], y[n]);
    let inner = 1..n;
    let s_tim = inner.clone().map(|i| (y[i] - h_ts) / x[i]).fold(f64::NEG_INFINITY, f64::max);
    let s_tr = (h_rs - h_ts) / d;
    let s_rim = inner.map(|i| (y[i] - h_rs) / (d - x[i])).fold(f64::NEG_INFINITY, f64::max);
    // A sample exactly on the direct line makes both horizon rays the line
    // itself (Stim + Srim = 0): that is the grazing line-of-sight case.
    let (line_of_sight, distance_m, nu) = if s_tim < s_tr || s_tim + s_rim <= 0.0 {
        match principal_edge(&x, &y, 0, n, frequency_mhz) {
            Some(e) => (true, e.distance_m, e.nu),
            None => (true, f64::NAN, f64::NEG_INFINITY),
        }
    } else {
        let d_b = (h_rs - h_ts + s_rim * d) / (s_tim + s_rim);
        let h_b = h_ts + s_tim * d_b - (h_ts * (d - d_b) + h_rs * d_b) / d;
        (false, d_b, diffraction_parameter(h_b, d_b, d - d_b, frequency_mhz))
    };
    let luc = knife_edge_loss_db(nu);
    Ok(Bullington { line_of_sight, distance_m, nu, knife_edge_loss_db: luc, loss_db: bullington_loss_db(luc, d) })
}

/// Bullington's loss from the knife-edge loss of the equivalent edge over a
/// path of `d_m` metres: Lb = Luc + [1 − exp(−Luc/6)] (10 + 0.02 d_km),
/// ITU-R P.526-15 §4.5.1 (step 4 of [`bullington`]); 0 where Luc = 0 (no
/// exponential then).
#[inline]
pub(crate) fn bullington_loss_db(luc: f64, d_m: f64) -> f64 {
    if luc == 0.0 {
        return 0.0;
    }
    luc + (1.0 - (-luc / 6.0).exp()) * (10.0 + 0.02 * d_m / 1e3)
}

/// Result of the Deygout construction.
#[derive(Debug, Clone, PartialEq)]
pub struct Deygout {
    /// The edges that diffract (ν > -0.78), principal edge first, then the
    /// secondary edges of the transmitter-side and receiver-side sub-paths.
    pub edges: Vec<KnifeEdge>,
    /// Total diffraction loss, the sum of the edges' J(ν) (dB).
    pub loss_db: f64,
}

/// Deygout's multiple knife-edge construction (Deygout 1966), limited to
/// three edges: the principal edge is the sample of largest ν over the whole
/// path (eq. (26)); if it diffracts (ν > -0.78), the sample of largest ν in
/// each of the two sub-paths, transmitter to principal edge and principal edge
/// to receiver, is a secondary edge, its ν taken relative to the line between
/// the ends of its sub-path. The loss is the sum of J(ν) (P.526-15 eq. (31))
/// over the principal and secondary edges, without empirical correction.
///
/// ```
/// use bbcov_core::propagation::{TerrainProfile, deygout, single_knife_edge};
/// // Two ridges on a flat 3 km path.
/// let profile = TerrainProfile::new(&[0.0, 1_000.0, 2_000.0, 3_000.0], &[0.0, 20.0, 18.0, 0.0], 0.0, 0.0, f64::INFINITY)?;
/// let dey = deygout(&profile, 300.0)?;
/// assert_eq!(dey.edges.iter().map(|e| e.index).collect::<Vec<_>>(), [1, 2]);
/// assert!(dey.loss_db > single_knife_edge(&profile, 300.0)?.unwrap().loss_db);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn deygout(profile: &TerrainProfile<'_>, frequency_mhz: f64) -> Result<Deygout> {
    positive("frequency_mhz", frequency_mhz, "MHz")?;
    let (x, y) = profile.flattened();
    let n = x.len() - 1;
    let diffracts = |e: &KnifeEdge| e.nu > -0.78;
    let mut edges = Vec::with_capacity(3);
    if let Some(p) = principal_edge(&x, &y, 0, n, frequency_mhz).filter(diffracts) {
        edges.push(p);
        edges.extend(principal_edge(&x, &y, 0, p.index, frequency_mhz).filter(diffracts));
        edges.extend(principal_edge(&x, &y, p.index, n, frequency_mhz).filter(diffracts));
    }
    let loss_db = edges.iter().map(|e| e.loss_db).sum();
    Ok(Deygout { edges, loss_db })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EARTH_RADIUS_M, STANDARD_K_FACTOR};
    use proptest::prelude::*;

    /// Fresnel integrals C(x), S(x) (P.526-15 §2.7) by their power series,
    /// accurate to ~1e-12 for |x| <= 3.
    fn fresnel(x: f64) -> (f64, f64) {
        let (mut c, mut s) = (0.0, 0.0);
        let a = std::f64::consts::FRAC_PI_2 * x * x;
        let mut term = x; // (π/2)^k x^(2k+1) / k!
        for k in 0..80 {
            let value = term / (2 * k + 1) as f64;
            match k % 4 {
                0 => c += value,
                1 => s += value,
                2 => c -= value,
                _ => s -= value,
            }
            term *= a / (k + 1) as f64;
        }
        (c, s)
    }

    /// The exact knife-edge loss, P.526-15 eq. (30).
    fn exact_loss_db(nu: f64) -> f64 {
        let (c, s) = fresnel(nu);
        -20.0 * (((1.0 - c - s).powi(2) + (c - s).powi(2)).sqrt() / 2.0).log10()
    }

    /// The series reproduces Abramowitz & Stegun, Handbook of Mathematical
    /// Functions, Table 7.7: C(1) = 0.7798934004, S(1) = 0.4382591474,
    /// C(2) = 0.4882534061, S(2) = 0.3434156784.
    #[test]
    fn fresnel_series_matches_abramowitz_stegun() {
        let (c, s) = fresnel(1.0);
        assert!((c - 0.779_893_400_4).abs() < 1e-9 && (s - 0.438_259_147_4).abs() < 1e-9, "{c} {s}");
        let (c, s) = fresnel(2.0);
        assert!((c - 0.488_253_406_1).abs() < 1e-9 && (s - 0.343_415_678_4).abs() < 1e-9, "{c} {s}");
    }

    /// P.526-15: J(0) = 6.02 dB from eq. (30) (the grazing edge halves the
    /// field, 20 log10 2), 6.03 dB from the approximation (31); J(-0.78) ≈ 0;
    /// and eq. (31) stays within 0.11 dB of eq. (30) over -0.78 < ν <= 3.
    #[test]
    fn knife_edge_loss_matches_p526() {
        assert!((exact_loss_db(0.0) - 20.0 * 2f64.log10()).abs() < 1e-12);
        assert!((knife_edge_loss_db(0.0) - 6.0329).abs() < 1e-4);
        assert!(knife_edge_loss_db(-0.78).abs() < 0.01);
        assert_eq!(knife_edge_loss_db(-0.7801), 0.0);
        for (nu, exact) in [(1.0, 13.86), (2.0, 19.09), (2.4, 20.62), (3.0, 22.52)] {
            assert!((exact_loss_db(nu) - exact).abs() < 0.005, "exact J({nu}) = {}", exact_loss_db(nu));
            assert!((knife_edge_loss_db(nu) - exact).abs() < 0.11, "J({nu}) = {}", knife_edge_loss_db(nu));
        }
        let mut worst: f64 = 0.0;
        for i in -77..=300 {
            let nu = f64::from(i) / 100.0;
            worst = worst.max((knife_edge_loss_db(nu) - exact_loss_db(nu)).abs());
        }
        assert!(worst < 0.11, "{worst}");
        // Monotonic: a higher edge never costs less.
        let losses: Vec<f64> = (-78..500).map(|i| knife_edge_loss_db(f64::from(i) / 100.0)).collect();
        assert!(losses.windows(2).all(|w| w[1] >= w[0]));
    }

    /// ν by eq. (26) equals the other forms of P.526-15 §4.1: eq. (28)
    /// ν = √(2hθ/λ) with θ = h/d1 + h/d2 (small angles).
    #[test]
    fn diffraction_parameter_forms_agree() {
        let (h, d1, d2, f) = (25.0, 1_000.0, 1_000.0, 900.0);
        let lambda = SPEED_OF_LIGHT_M_PER_S / (f * 1e6);
        let theta = h / d1 + h / d2;
        let nu = diffraction_parameter(h, d1, d2, f);
        assert!((nu - (2.0 * h * theta / lambda).sqrt()).abs() < 1e-12);
        assert!((nu - 2.739).abs() < 1e-3);
        assert_eq!(diffraction_parameter(-h, d1, d2, f), -nu);
    }

    fn flat<'a>(d: &'a [f64], h: &'a [f64], tx: f64, rx: f64) -> TerrainProfile<'a> {
        TerrainProfile::new(d, h, tx, rx, f64::INFINITY).unwrap()
    }

    /// With one sample between the terminals, Bullington's equivalent edge is
    /// that sample, so Bullington's Luc, the single knife edge and Deygout agree.
    #[test]
    fn one_edge_all_methods_agree() {
        let d = [0.0, 3_000.0, 10_000.0];
        for ridge in [-30.0, 5.0, 20.0, 80.0, 300.0] {
            let h = [10.0, ridge, 50.0];
            let p = flat(&d, &h, 20.0, 3.0);
            let single = single_knife_edge(&p, 700.0).unwrap().unwrap();
            let b = bullington(&p, 700.0).unwrap();
            let dey = deygout(&p, 700.0).unwrap();
            assert!((b.knife_edge_loss_db - single.loss_db).abs() < 1e-9, "{ridge}: {b:?} {single:?}");
            assert!((dey.loss_db - single.loss_db).abs() < 1e-12, "{ridge}");
            assert!((b.distance_m - 3_000.0).abs() < 1e-6);
            // The line passes 30 m + 0.3 (53 - 30) = 36.9 m above sea level at 3 km.
            assert_eq!(b.line_of_sight, ridge < 36.9);
            let expected_nu = diffraction_parameter(ridge - 36.9, 3_000.0, 7_000.0, 700.0);
            assert!((single.nu - expected_nu).abs() < 1e-9);
            let correction = (1.0 - (-b.knife_edge_loss_db / 6.0).exp()) * (10.0 + 0.02 * 10.0);
            assert!((b.loss_db - b.knife_edge_loss_db - correction).abs() < 1e-12);
        }
    }

    /// Two equal 20 m ridges at 1 and 2 km on a flat 3 km path, antennas at
    /// ground level, 300 MHz, worked by hand with eq. (26).
    #[test]
    fn two_ridges_by_hand() {
        let d = [0.0, 1_000.0, 2_000.0, 3_000.0];
        let p = flat(&d, &[0.0, 20.0, 20.0, 0.0], 0.0, 0.0);
        // Deygout: both ridges have ν(20 m, 1 km, 2 km); the tie goes to the
        // first. The second is then 10 m above the line from the first ridge
        // top (20 m at 1 km) to the receiver (0 m at 3 km), 1 km from each end.
        let dey = deygout(&p, 300.0).unwrap();
        let nu_p = diffraction_parameter(20.0, 1_000.0, 2_000.0, 300.0);
        let nu_s = diffraction_parameter(10.0, 1_000.0, 1_000.0, 300.0);
        assert_eq!(dey.edges.len(), 2);
        assert_eq!((dey.edges[0].index, dey.edges[1].index), (1, 2));
        assert!((dey.edges[0].nu - nu_p).abs() < 1e-12 && (dey.edges[1].nu - nu_s).abs() < 1e-12);
        assert!((dey.loss_db - knife_edge_loss_db(nu_p) - knife_edge_loss_db(nu_s)).abs() < 1e-12);
        // Bullington: Stim = Srim = 20/1000, the horizon rays meet 30 m up at 1.5 km.
        let b = bullington(&p, 300.0).unwrap();
        assert!(!b.line_of_sight);
        assert!((b.distance_m - 1_500.0).abs() < 1e-9);
        assert!((b.nu - diffraction_parameter(30.0, 1_500.0, 1_500.0, 300.0)).abs() < 1e-12);
        let luc = knife_edge_loss_db(b.nu);
        assert!((b.loss_db - (luc + (1.0 - (-luc / 6.0).exp()) * 10.06)).abs() < 1e-12);
    }

    /// Deygout uses at most three edges: principal plus one per side.
    #[test]
    fn deygout_uses_at_most_three_edges() {
        let d: Vec<f64> = (0..=8).map(|i| f64::from(i) * 1_000.0).collect();
        let h = [0.0, 30.0, 10.0, 40.0, 15.0, 60.0, 5.0, 35.0, 0.0];
        let dey = deygout(&flat(&d, &h, 10.0, 10.0), 900.0).unwrap();
        assert_eq!(dey.edges.len(), 3);
        assert_eq!(dey.edges[0].index, 5);
    }

    /// The Earth bulge of a 50 km sea path with k = 4/3 hides the 10 m
    /// antennas from each other (radio horizons 13 km each); on a flat Earth
    /// the path is clear of the first Fresnel zone apart from grazing loss.
    #[test]
    fn earth_bulge_obstructs_long_sea_paths() {
        let d: Vec<f64> = (0..=50).map(|i| f64::from(i) * 1_000.0).collect();
        let sea = vec![0.0; d.len()];
        let curved = TerrainProfile::new(&d, &sea, 10.0, 10.0, STANDARD_K_FACTOR).unwrap();
        let b = bullington(&curved, 900.0).unwrap();
        assert!(!b.line_of_sight && b.knife_edge_loss_db > 10.0 && b.loss_db > 20.0, "{b:?}");
        // The bulge at mid-path is 25 km · 25 km / (2 · 4/3 · 6371 km) = 36.8 m.
        let bulge = 25e3 * 25e3 / (2.0 * STANDARD_K_FACTOR * EARTH_RADIUS_M);
        assert!((bulge - 36.79).abs() < 0.01);
        // A profile that already includes the bulge, with k = infinity, is the same path.
        let bulged: Vec<f64> = d.iter().map(|x| x * (50e3 - x) / (2.0 * STANDARD_K_FACTOR * EARTH_RADIUS_M)).collect();
        let same = bullington(&TerrainProfile::new(&d, &bulged, 10.0, 10.0, f64::INFINITY).unwrap(), 900.0).unwrap();
        assert!((same.loss_db - b.loss_db).abs() < 1e-9);
        let flat_earth = bullington(&flat(&d, &sea, 10.0, 10.0), 900.0).unwrap();
        assert!(flat_earth.line_of_sight && flat_earth.knife_edge_loss_db < 6.0, "{flat_earth:?}");
    }

    #[test]
    fn no_sample_between_the_terminals_costs_nothing() {
        let p = flat(&[0.0, 1_000.0], &[0.0, 0.0], 10.0, 10.0);
        assert_eq!(single_knife_edge(&p, 900.0).unwrap(), None);
        let b = bullington(&p, 900.0).unwrap();
        assert!(b.line_of_sight && b.loss_db == 0.0 && b.nu == f64::NEG_INFINITY);
        assert_eq!(deygout(&p, 900.0).unwrap(), Deygout { edges: vec![], loss_db: 0.0 });
    }

    #[test]
    fn refuses_bad_profiles() {
        let d = [0.0, 1.0, 2.0];
        let h = [0.0, 0.0, 0.0];
        assert!(matches!(TerrainProfile::new(&d, &h[..2], 1.0, 1.0, 4.0 / 3.0), Err(Error::LengthMismatch { .. })));
        assert!(TerrainProfile::new(&d[..1], &h[..1], 1.0, 1.0, 4.0 / 3.0).is_err());
        assert!(TerrainProfile::new(&[0.0, 2.0, 1.0], &h, 1.0, 1.0, 4.0 / 3.0).is_err());
        assert!(TerrainProfile::new(&[0.0, 1.0, 1.0], &h, 1.0, 1.0, 4.0 / 3.0).is_err());
        assert!(TerrainProfile::new(&d, &[0.0, f64::NAN, 0.0], 1.0, 1.0, 4.0 / 3.0).is_err());
        assert!(TerrainProfile::new(&d, &h, -1.0, 1.0, 4.0 / 3.0).is_err());
        assert!(TerrainProfile::new(&d, &h, 1.0, 1.0, 0.0).is_err());
        assert!(TerrainProfile::new(&d, &h, 1.0, 1.0, f64::NAN).is_err());
        let p = TerrainProfile::new(&d, &h, 1.0, 1.0, f64::INFINITY).unwrap();
        assert!(matches!(bullington(&p, 0.0), Err(Error::InvalidParameter { name: "frequency_mhz", .. })));
    }

    fn reversed(d: &[f64], h: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let end = d[d.len() - 1];
        (d.iter().rev().map(|x| end - x).collect(), h.iter().rev().copied().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Reciprocity: every method gives the same loss from either end; and
        /// Deygout never loses less than the single dominant edge.
        #[test]
        fn reciprocal_and_ordered(
            heights in prop::collection::vec(0.0..300.0f64, 3..40),
            step in 50.0..2_000.0f64,
            tx in 1.0..60.0f64,
            rx in 1.0..60.0f64,
            f in 100.0..6_000.0f64,
        ) {
            let d: Vec<f64> = (0..heights.len()).map(|i| i as f64 * step).collect();
            let forward = TerrainProfile::new(&d, &heights, tx, rx, STANDARD_K_FACTOR).unwrap();
            let (rd, rh) = reversed(&d, &heights);
            let backward = TerrainProfile::new(&rd, &rh, rx, tx, STANDARD_K_FACTOR).unwrap();
            let tol = 1e-6;
            let (b1, b2) = (bullington(&forward, f).unwrap(), bullington(&backward, f).unwrap());
            prop_assert!((b1.loss_db - b2.loss_db).abs() < tol, "{:?} {:?}", b1, b2);
            let (s1, s2) = (single_knife_edge(&forward, f).unwrap().unwrap(), single_knife_edge(&backward, f).unwrap().unwrap());
            prop_assert!((s1.loss_db - s2.loss_db).abs() < tol);
            let (g1, g2) = (deygout(&forward, f).unwrap(), deygout(&backward, f).unwrap());
            prop_assert!((g1.loss_db - g2.loss_db).abs() < tol, "{:?} {:?}", g1, g2);
            prop_assert!(g1.loss_db >= s1.loss_db - 1e-12);
            prop_assert!(b1.loss_db >= b1.knife_edge_loss_db && b1.knife_edge_loss_db >= 0.0);
        }
    }
}
