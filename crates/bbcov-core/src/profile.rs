//! Terrain profiles between two points and the earth-curvature correction
//! with an effective earth radius.

use crate::{Dem, Error, Result};

/// Mean earth radius (m) used with the effective earth radius factor: 6 371 km
/// (ITU-R P.452-17 eq. (6a), ITU-R P.1812, ITU-R P.834).
pub const EARTH_RADIUS_M: f64 = 6_371_000.0;

/// The standard effective earth radius factor k = 4/3 (median refractivity
/// gradient ΔN ≈ −40 N-units/km, k₅₀ = 157 / (157 − ΔN), ITU-R P.452-17 eq. (5);
/// ITU-R P.526-15 §1 takes the resulting ≈ 8 500 km radius when nothing better is known).
pub const STANDARD_K_FACTOR: f64 = 4.0 / 3.0;

/// Most samples one profile may have.
pub const MAX_PROFILE_SAMPLES: usize = 10_000_000;

/// Effective earth radius a_e = k · 6 371 km, in metres (ITU-R P.452-17 eq. (6a)).
///
/// `k_factor` must be > 0; `f64::INFINITY` is a flat earth (a_e = ∞, no bulge).
///
/// ```
/// use bbcov_core::{effective_earth_radius_m, STANDARD_K_FACTOR};
/// let a_e = effective_earth_radius_m(STANDARD_K_FACTOR)?;
/// assert!((a_e - 8_494_667.0).abs() < 1.0); // ≈ 8 500 km (ITU-R P.526-15 §1)
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn effective_earth_radius_m(k_factor: f64) -> Result<f64> {
    check_k(k_factor)?;
    Ok(k_factor * EARTH_RADIUS_M)
}

/// Earth bulge (m) at a point `d1_m` from one end and `d2_m` from the other
/// end of a path: h = d₁·d₂ / (2·a_e), with a_e = k · 6 371 km.
///
/// This is the height by which the curved (effective) earth rises above the
/// chord between the two ends; adding it to the terrain heights lets the
/// straight line between the antennas be tested against a flat-earth profile.
/// It is the term 500·C_e·d_i·(d − d_i) (d in km, C_e = 1/a_e in km⁻¹, result
/// in m) of ITU-R P.452-17 eq. (14) and ITU-R P.1812 (Bullington
/// construction), the parabolic approximation of the sphere, accurate while
/// d ≪ a_e. In microwave path engineering it is written h = d₁·d₂ / (12.74·k)
/// with d in km.
///
/// ```
/// use bbcov_core::{earth_bulge_m, STANDARD_K_FACTOR};
/// // Mid-point of a 50 km path with k = 4/3: 25 × 25 / (12.742 × 4/3) = 36.79 m.
/// let h = earth_bulge_m(25_000.0, 25_000.0, STANDARD_K_FACTOR)?;
/// assert!((h - 36.79).abs() < 0.01);
/// assert_eq!(earth_bulge_m(25_000.0, 25_000.0, f64::INFINITY)?, 0.0);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn earth_bulge_m(d1_m: f64, d2_m: f64, k_factor: f64) -> Result<f64> {
    check_k(k_factor)?;
    for (name, d) in [("d1_m", d1_m), ("d2_m", d2_m)] {
        if !(d.is_finite() && d >= 0.0) {
            return Err(Error::InvalidParameter { name, value: d, expected: "a finite distance >= 0 m".into() });
        }
    }
    Ok(d1_m * d2_m * curvature_per_m(k_factor))
}

/// 1 / (2·a_e) in m⁻¹ (0 for a flat earth); `k_factor` must be checked.
pub(crate) fn curvature_per_m(k_factor: f64) -> f64 {
    0.5 / (k_factor * EARTH_RADIUS_M)
}

pub(crate) fn check_k(k_factor: f64) -> Result<()> {
    if k_factor > 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "k_factor",
            value: k_factor,
            expected: "an effective earth radius factor > 0 (4/3 standard, infinity for a flat earth)".into(),
        })
    }
}

/// Ground heights sampled along the straight line between two points of a [`Dem`].
///
/// ```
/// use bbcov_core::{Crs, Dem, GeoTransform, terrain_profile};
/// use ndarray::Array2;
/// // A 100 x 100 m plane rising 1 m per 10 m eastwards (height = 0.1 x).
/// let z = Array2::from_shape_fn((10, 10), |(_, c)| c as f32 + 0.5);
/// let dem = Dem::new(z, GeoTransform::new(0.0, 100.0, 10.0, 10.0), Crs::Projected { epsg: 32652 }, None)?;
/// let p = terrain_profile(&dem, [5.0, 50.0], [95.0, 50.0], 20.0)?;
/// assert_eq!(p.distances_m(), [0.0, 18.0, 36.0, 54.0, 72.0, 90.0]);
/// let expected = [0.5, 2.3, 4.1, 5.9, 7.7, 9.5];
/// assert!(p.heights_m().iter().zip(expected).all(|(h, e)| (h - e).abs() < 1e-6));
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    points: Vec<[f64; 2]>,
    distances_m: Vec<f64>,
    heights_m: Vec<f64>,
}

impl Profile {
    /// The sample points (CRS coordinates), first = start, last = end.
    pub fn points(&self) -> &[[f64; 2]] {
        &self.points
    }

    /// Distance (m) of each sample from the start.
    pub fn distances_m(&self) -> &[f64] {
        &self.distances_m
    }

    /// Ground height (m) at each sample (bilinear, see [`Dem::sample`]).
    pub fn heights_m(&self) -> &[f64] {
        &self.heights_m
    }

    /// Number of samples (at least 1).
    pub fn len(&self) -> usize {
        self.distances_m.len()
    }

    /// Always false: a profile has at least its start point.
    pub fn is_empty(&self) -> bool {
        self.distances_m.is_empty()
    }

    /// Length of the path (m).
    pub fn length_m(&self) -> f64 {
        self.distances_m.last().copied().unwrap_or(0.0)
    }

    /// Heights (m) with the earth bulge added: h_i + d_i·(d − d_i) / (2·a_e)
    /// (see [`earth_bulge_m`]), so that line of sight between the two ends is
    /// a straight line above these heights. Zero at both ends.
    ///
    /// ```
    /// use bbcov_core::{Crs, Dem, GeoTransform, terrain_profile};
    /// use ndarray::Array2;
    /// let dem = Dem::new(Array2::zeros((1, 2000)), GeoTransform::new(0.0, 25.0, 25.0, 25.0),
    ///                    Crs::Projected { epsg: 32652 }, None)?;
    /// let p = terrain_profile(&dem, [0.0, 12.5], [50_000.0, 12.5], 25_000.0)?;
    /// let h = p.heights_with_bulge_m(4.0 / 3.0)?;
    /// assert_eq!((h[0], h[2]), (0.0, 0.0));
    /// assert!((h[1] - 36.79).abs() < 0.01); // sea rises 36.8 m mid-path
    /// # Ok::<(), bbcov_core::Error>(())
    /// ```
    pub fn heights_with_bulge_m(&self, k_factor: f64) -> Result<Vec<f64>> {
        check_k(k_factor)?;
        let c = curvature_per_m(k_factor);
        let d = self.length_m();
        Ok(self.distances_m.iter().zip(&self.heights_m).map(|(&di, &h)| h + di * (d - di) * c).collect())
    }
}

/// The terrain profile from `from` to `to` (DEM CRS coordinates): samples at
/// equal spacing no larger than `step_m`, the first at `from` and the last
/// exactly at `to` (n = ⌈d / step⌉ intervals; a zero-length path has one
/// sample). Heights are bilinear samples of the DEM ([`Dem::sample`]).
///
/// Errors: `step_m` not finite and > 0, or one giving more than
/// [`MAX_PROFILE_SAMPLES`]: [`Error::InvalidParameter`]; an end outside the
/// DEM: [`Error::OutsideDem`]; a sample touching a missing cell:
/// [`Error::MissingElevation`] naming the first such sample (index, distance
/// from the start) and how many samples are missing.
pub fn terrain_profile(dem: &Dem, from: [f64; 2], to: [f64; 2], step_m: f64) -> Result<Profile> {
    if !(step_m.is_finite() && step_m > 0.0) {
        return Err(Error::InvalidParameter { name: "step_m", value: step_m, expected: "a finite step > 0 m".into() });
    }
    for (what, [x, y]) in [("profile start", from), ("profile end", to)] {
        if dem.cell_of(x, y).is_none() {
            return Err(dem.outside(what, x, y));
        }
    }
    let length = (to[0] - from[0]).hypot(to[1] - from[1]);
    let intervals = (length / step_m).ceil();
    if intervals >= MAX_PROFILE_SAMPLES as f64 {
        return Err(Error::InvalidParameter {
            name: "step_m",
            value: step_m,
            expected: format!("a step giving at most {MAX_PROFILE_SAMPLES} samples over the {length} m path"),
        });
    }
    let n = intervals as usize;
    let (lo, hi) = ([from[0].min(to[0]), from[1].min(to[1])], [from[0].max(to[0]), from[1].max(to[1])]);
    let mut points = Vec::with_capacity(n + 1);
    let mut distances_m = Vec::with_capacity(n + 1);
    for i in 0..=n {
        let t = if n == 0 { 0.0 } else { i as f64 / n as f64 };
        // Clamped to the segment's box so rounding never steps outside the DEM.
        let p = [0, 1].map(|k| (from[k] + t * (to[k] - from[k])).clamp(lo[k], hi[k]));
        points.push(if i == n { to } else { p });
        distances_m.push(t * length);
    }
    let mut heights_m = Vec::with_capacity(n + 1);
    let mut first_missing = None;
    let mut missing = 0;
    for (i, &[x, y]) in points.iter().enumerate() {
        match dem.sample(x, y) {
            Ok(h) => heights_m.push(h),
            Err(Error::MissingElevation { row, col, .. }) => {
                missing += 1;
                first_missing.get_or_insert((i, row, col));
                heights_m.push(f64::NAN);
            }
            Err(e) => return Err(e),
        }
    }
    if let Some((i, row, col)) = first_missing {
        let [x, y] = points[i];
        let total = points.len();
        let context = format!(
            "profile sample {i} of {total}, {:.1} m from the start; {missing} of the {total} samples touch nodata",
            distances_m[i]
        );
        return Err(Error::MissingElevation { x, y, row, col, context: Some(context) });
    }
    Ok(Profile { points, distances_m, heights_m })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Crs, GeoTransform};
    use ndarray::Array2;

    const CRS: Crs = Crs::Projected { epsg: 32652 };

    fn plane() -> Dem {
        // height = 0.1·x + 0.2·(100 − y) at the cell centres, so bilinear is exact.
        let z = Array2::from_shape_fn((10, 10), |(r, c)| (c as f32 + 0.5) + 2.0 * (r as f32 + 0.5));
        Dem::new(z, GeoTransform::new(0.0, 100.0, 10.0, 10.0), CRS, None).unwrap()
    }

    #[test]
    fn effective_radius_and_bulge_against_published_values() {
        // ITU-R P.526-15 §1: k = 4/3 gives "an equivalent Earth radius of 8 500 km".
        let a_e = effective_earth_radius_m(STANDARD_K_FACTOR).unwrap();
        assert!((a_e / 8_500_000.0 - 1.0).abs() < 1e-3);
        // h = d1·d2 / (12.74·k) (m, km): 10 mi = 16.0934 km each side, k = 4/3 → 15.25 m
        // (50 ft in the US form h[ft] = d1·d2 / (1.5·k) with d in miles).
        let h = earth_bulge_m(16_093.44, 16_093.44, STANDARD_K_FACTOR).unwrap();
        assert!((h - 15.24).abs() < 0.02, "h = {h}");
        // ITU-R P.452-17 eq. (14) form: 500·C_e·d_i·(d − d_i), d in km.
        let (d, di) = (40.0, 12.0);
        let p452 = 500.0 / (6371.0 * STANDARD_K_FACTOR) * di * (d - di);
        assert!((earth_bulge_m(12_000.0, 28_000.0, STANDARD_K_FACTOR).unwrap() - p452).abs() < 1e-9);
    }

    #[test]
    fn refuses_bad_k_and_distances() {
        for k in [0.0, -1.0, f64::NAN, f64::NEG_INFINITY] {
            assert!(matches!(effective_earth_radius_m(k), Err(Error::InvalidParameter { name: "k_factor", .. })));
        }
        assert!(earth_bulge_m(-1.0, 10.0, 4.0 / 3.0).is_err());
        assert!(earth_bulge_m(1.0, f64::NAN, 4.0 / 3.0).is_err());
    }

    #[test]
    fn profile_samples_evenly_and_ends_exactly() {
        let dem = plane();
        let p = terrain_profile(&dem, [5.0, 95.0], [95.0, 5.0], 10.0).unwrap();
        assert_eq!(p.len(), 14); // 127.3 m / 10 m → 13 intervals
        assert_eq!(p.points()[13], [95.0, 5.0]);
        assert!((p.length_m() - 90.0 * 2f64.sqrt()).abs() < 1e-9);
        for (&[x, y], &h) in p.points().iter().zip(p.heights_m()) {
            assert!((h - (0.1 * x + 0.2 * (100.0 - y))).abs() < 1e-4, "({x}, {y}): {h}");
        }
        let one = terrain_profile(&dem, [50.0, 50.0], [50.0, 50.0], 10.0).unwrap();
        assert_eq!((one.len(), one.length_m()), (1, 0.0));
    }

    #[test]
    fn profile_errors_name_where() {
        let dem = plane();
        assert!(matches!(terrain_profile(&dem, [5.0, 5.0], [95.0, 5.0], 0.0), Err(Error::InvalidParameter { .. })));
        assert!(matches!(terrain_profile(&dem, [5.0, 5.0], [95.0, 5.0], 1e-6), Err(Error::InvalidParameter { .. })));
        let e = terrain_profile(&dem, [5.0, 5.0], [105.0, 5.0], 10.0).unwrap_err();
        assert!(matches!(e, Error::OutsideDem { .. }) && e.to_string().contains("profile end"), "{e}");
        let mut z = dem.heights().to_owned();
        z[(9, 4)] = -9999.0;
        let holed = Dem::new(z, *dem.transform(), CRS, Some(-9999.0)).unwrap();
        // Samples every 6 m from x = 5: those at x = 41, 47, 53 touch the hole centred at x = 45.
        let e = terrain_profile(&holed, [5.0, 5.0], [95.0, 5.0], 6.0).unwrap_err();
        let Error::MissingElevation { row: 9, col: 4, context: Some(c), .. } = &e else { panic!("{e}") };
        assert!(c.contains("sample 6 of 16, 36.0 m") && c.contains("3 of the 16"), "{e}");
        // Sampling exactly at the valid neighbours' centres (x = 35, 55) does not touch it.
        assert!(terrain_profile(&holed, [35.0, 5.0], [55.0, 5.0], 20.0).is_ok());
    }

    #[test]
    fn bulge_is_zero_at_ends_and_symmetric() {
        let dem = Dem::new(Array2::zeros((1, 400)), GeoTransform::new(0.0, 100.0, 100.0, 100.0), CRS, None).unwrap();
        let p = terrain_profile(&dem, [0.0, 50.0], [40_000.0, 50.0], 1_000.0).unwrap();
        let h = p.heights_with_bulge_m(STANDARD_K_FACTOR).unwrap();
        assert_eq!((h[0], h[40]), (0.0, 0.0));
        assert!((h[10] - h[30]).abs() < 1e-9);
        assert!((h[20] - earth_bulge_m(20_000.0, 20_000.0, STANDARD_K_FACTOR).unwrap()).abs() < 1e-9);
        assert_eq!(p.heights_with_bulge_m(f64::INFINITY).unwrap(), vec![0.0; 41]);
    }
}
