//! Terrain-profile analysis of the point-to-point mode: horizons, effective
//! heights and the terrain irregularity parameter Δh, extracted from a profile
//! of equally spaced elevations (subroutine `qlrpfl` and its helpers `hzns`,
//! `zlsq1`, `dlthx`).
//!
//! Sources: Hufford, *The ITS Irregular Terrain Model, version 1.2.2: The
//! Algorithm* (1999), "Alg", §3; Longley & Rice, ESSA Tech. Report ERL 79-ITS 67
//! (1968), "ERL 79-ITS 67"; NBS Technical Note 101, "TN101"; Hufford, Longley &
//! Kissick, NTIA Report 82-100 (1982), "NTIA 82-100".
//!
//! Elevations are `z[0..=np]` (np intervals of `xi` metres), the body of the
//! ITM `pfl` array. Nothing here allocates: Δh uses fixed-size stack arrays.

/// Largest number of resampled points in the Δh computation (10·25 − 5).
const DELTA_H_MAX_POINTS: usize = 245;

/// `fdim(a, b)`: a − b when a > b, else 0.
pub(crate) fn dim(a: f64, b: f64) -> f64 {
    if a > b { a - b } else { 0.0 }
}

/// Mean elevation of the profile, leaving out the first and last 10% of the
/// points; it scales the refractivity to the path (`zsys` in `qlrpfl`).
pub(crate) fn mean_system_height(z: &[f64]) -> f64 {
    let np = z.len() - 1;
    let p10 = (0.1 * np as f64) as usize;
    let body = &z[p10..=np - p10];
    body.iter().sum::<f64>() / body.len() as f64
}

/// Horizon angles (rad) and distances (m) of the two terminals (`hzns`).
///
/// Start from the line-of-sight values [TN101 Eq 6.15]
/// θ_1 = (z_2 − z_1)/d − d/(2a), θ_2 = −(z_2 − z_1)/d − d/(2a), with z_j the
/// antenna tip elevations; then every intermediate profile point whose
/// elevation angle (earth curvature 1/a included) exceeds the current horizon
/// becomes the horizon.
pub(crate) fn find_horizons(z: &[f64], xi: f64, a_e: f64, h: [f64; 2]) -> ([f64; 2], [f64; 2]) {
    let np = z.len() - 1;
    let d = np as f64 * xi;
    let z_tx = z[0] + h[0];
    let z_rx = z[np] + h[1];
    let mut theta = [
        (z_rx - z_tx) / d - d / (2.0 * a_e),
        -(z_rx - z_tx) / d - d / (2.0 * a_e),
    ];
    let mut d_hzn = [d, d];
    // Distances are accumulated as in the reference implementation, so that
    // ties between equal angles are broken the same way.
    let (mut d_tx, mut d_rx) = (0.0, d);
    for &zi in &z[1..np] {
        d_tx += xi;
        d_rx -= xi;
        let theta_tx = (zi - z_tx) / d_tx - d_tx / (2.0 * a_e);
        let theta_rx = -(z_rx - zi) / d_rx - d_rx / (2.0 * a_e);
        if theta_tx > theta[0] {
            theta[0] = theta_tx;
            d_hzn[0] = d_tx;
        }
        if theta_rx > theta[1] {
            theta[1] = theta_rx;
            d_hzn[1] = d_rx;
        }
    }
    (theta, d_hzn)
}

/// Least-squares straight line through the profile points between distances
/// `d_start` and `d_end` (`zlsq1`): returns the line's elevation at the two
/// ends of the whole profile, (z at x = 0, z at x = np·xi).
///
/// The end points of the fitted stretch get half weight (trapezoidal sums), as
/// in the reference implementation.
pub(crate) fn least_squares_fit(z: &[f64], xi: f64, d_start: f64, d_end: f64) -> (f64, f64) {
    let np = (z.len() - 1) as i64;
    let mut i_start = dim(d_start / xi, 0.0) as i64;
    let mut i_end = np - dim(np as f64, d_end / xi) as i64;
    if i_end <= i_start {
        i_start = dim(i_start as f64, 1.0) as i64;
        i_end = np - dim(np as f64, (i_end + 1) as f64) as i64;
    }
    // Out-of-profile distances are clamped (the callers never produce them,
    // but a panic on any input is not an option).
    let i_start = i_start.clamp(0, np) as usize;
    let i_end = i_end.clamp(0, np) as usize;
    let x_length = i_end as f64 - i_start as f64;

    let mut mid = -0.5 * x_length;
    let mid_end = i_end as f64 + mid;
    let mut sum_y = 0.5 * (z[i_start] + z[i_end]);
    let mut scaled_sum_y = 0.5 * (z[i_start] - z[i_end]) * mid;
    if i_end > i_start + 1 {
        for &zi in &z[i_start + 1..i_end] {
            mid += 1.0;
            sum_y += zi;
            scaled_sum_y += zi * mid;
        }
    }
    sum_y /= x_length;
    scaled_sum_y = scaled_sum_y * 12.0 / ((x_length * x_length + 2.0) * x_length);
    (
        sum_y - scaled_sum_y * mid_end,
        sum_y + scaled_sum_y * (np as f64 - mid_end),
    )
}

/// Terrain-roughness factor (1 − 0.8·e^(−d/50 km)) of the interdecile range:
/// Δh(d) = Δh·(1 − 0.8·e^(−d/D)), D = 50 km [Alg 3.9; ERL 79-ITS 67, Eq 3].
pub(crate) fn terrain_roughness(d_m: f64, delta_h_m: f64) -> f64 {
    delta_h_m * (1.0 - 0.8 * (-d_m / 50e3).exp())
}

/// Terrain irregularity parameter Δh (m) of the stretch [d_start, d_end] of the
/// profile (`dlthx`).
///
/// The stretch is resampled at n = 10·p10 − 5 equally spaced points (p10 =
/// clamp(⌊0.1·(x_end − x_start + 8)⌋, 4, 25), x in profile intervals) by linear
/// interpolation; a least-squares line is removed; the interdecile range of the
/// residuals is Δh(d) and is inverted to the asymptotic Δh with
/// [ERL 79-ITS 67, Eq 3]: Δh = Δh(d)/(1 − 0.8·e^(−d/50 km)).
/// Fewer than two intervals give Δh = 0.
pub(crate) fn delta_h(z: &[f64], xi: f64, d_start: f64, d_end: f64) -> f64 {
    let np = (z.len() - 1) as i64;
    let mut x_start = d_start / xi;
    let x_end = d_end / xi;
    if x_end - x_start < 2.0 || (x_end - x_start).is_nan() {
        return 0.0;
    }
    let p10 = ((0.1 * (x_end - x_start + 8.0)) as i64).clamp(4, 25);
    let n = (10 * p10 - 5) as usize;
    let p10 = p10 as usize;
    let p90 = n - p10;
    let np_s = (n - 1) as f64;
    let step = (x_end - x_start) / np_s;

    let mut s = [0.0; DELTA_H_MAX_POINTS];
    let mut i = x_start as i64;
    x_start -= (i + 1) as f64;
    for sj in s.iter_mut().take(n) {
        while x_start > 0.0 && i + 1 < np {
            x_start -= 1.0;
            i += 1;
        }
        let k = i.clamp(0, np - 1) as usize;
        *sj = z[k + 1] + (z[k + 1] - z[k]) * x_start;
        x_start += step;
    }
    let s = &mut s[..n];

    let (mut fit, fit_end) = least_squares_fit(s, 1.0, 0.0, np_s);
    let slope = (fit_end - fit) / np_s;
    for sj in s.iter_mut() {
        *sj -= fit;
        fit += slope;
    }
    // q10: the p10-th largest residual; q90: the (p90 + 1)-th largest.
    let q10 = nth_largest(s, p10 - 1);
    let q90 = nth_largest(s, p90);
    (q10 - q90) / (1.0 - 0.8 * (-(d_end - d_start) / 50e3).exp())
}

/// The value of rank `k` (0-based) in descending order; reorders `v`.
fn nth_largest(v: &mut [f64], k: usize) -> f64 {
    let idx = v.len() - 1 - k;
    *v.select_nth_unstable_by(idx, f64::total_cmp).1
}

/// What `qlrpfl` extracts from a profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PathGeometry {
    /// Horizon elevation angles (rad).
    pub theta_hzn: [f64; 2],
    /// Horizon distances (m).
    pub d_hzn_m: [f64; 2],
    /// Effective antenna heights (m).
    pub h_e_m: [f64; 2],
    /// Terrain irregularity parameter Δh (m).
    pub delta_h_m: f64,
    /// Path length (m).
    pub d_m: f64,
}

/// Horizons, effective heights and Δh of a profile (`qlrpfl`, Alg §3).
///
/// * Δh is taken over the profile without the first and last
///   min(15·h_j, 0.1·d_Lj) metres ("consideration of terrain elevations should
///   begin at a point about 15 times the tower height", NTIA 82-100, p. 25).
/// * Trans-horizon paths (d_L1 + d_L2 ≤ 1.5·d): the effective height of each
///   terminal is its height above a least-squares line fitted to the terrain in
///   front of it, up to 0.9 of its horizon distance.
/// * Line-of-sight paths: both effective heights come from one line over the
///   whole path, and the horizon distances and angles are replaced by the
///   area-mode empirical ones [Alg 3.3–3.4 (area mode, `qlra`)]:
///   d_Lj = √(2·h_ej·a)·exp(−0.07·√(Δh/max(h_ej, 5 m))),
///   θ_ej = (0.65·Δh·(d_Lsj/d_Lj − 1) − 2·h_ej)/d_Lsj, d_Lsj = √(2·h_ej·a);
///   where d_L1 + d_L2 ≤ d the effective heights are first scaled by (d/(d_L1 + d_L2))².
pub(crate) fn analyze_profile(z: &[f64], xi: f64, gamma_e: f64, h: [f64; 2]) -> PathGeometry {
    let np = z.len() - 1;
    let d = np as f64 * xi;
    let a_e = 1.0 / gamma_e;
    let (mut theta_hzn, mut d_hzn) = find_horizons(z, xi, a_e, h);

    let d_start = (15.0 * h[0]).min(0.1 * d_hzn[0]);
    let d_end = d - (15.0 * h[1]).min(0.1 * d_hzn[1]);
    let delta_h_m = delta_h(z, xi, d_start, d_end);

    let mut h_e = [0.0; 2];
    if d_hzn[0] + d_hzn[1] > 1.5 * d {
        let (fit_tx, fit_rx) = least_squares_fit(z, xi, d_start, d_end);
        h_e = [h[0] + dim(z[0], fit_tx), h[1] + dim(z[np], fit_rx)];
        let horizon =
            |h_e: f64| (2.0 * h_e * a_e).sqrt() * (-0.07 * (delta_h_m / h_e.max(5.0)).sqrt()).exp();
        d_hzn = [horizon(h_e[0]), horizon(h_e[1])];
        let combined = d_hzn[0] + d_hzn[1];
        if combined <= d {
            let q = (d / combined).powi(2);
            for i in 0..2 {
                h_e[i] *= q;
                d_hzn[i] = horizon(h_e[i]);
            }
        }
        for i in 0..2 {
            let q = (2.0 * h_e[i] * a_e).sqrt();
            theta_hzn[i] = (0.65 * delta_h_m * (q / d_hzn[i] - 1.0) - 2.0 * h_e[i]) / q;
        }
    } else {
        let (fit_tx, _) = least_squares_fit(z, xi, d_start, 0.9 * d_hzn[0]);
        h_e[0] = h[0] + dim(z[0], fit_tx);
        let (_, fit_rx) = least_squares_fit(z, xi, d - 0.9 * d_hzn[1], d_end);
        h_e[1] = h[1] + dim(z[np], fit_rx);
    }
    PathGeometry {
        theta_hzn,
        d_hzn_m: d_hzn,
        h_e_m: h_e,
        delta_h_m,
        d_m: d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn fit_of_a_straight_line_is_exact() {
        let z: Vec<f64> = (0..=20).map(|i| 100.0 + 2.5 * i as f64).collect();
        let (y0, y1) = least_squares_fit(&z, 30.0, 0.0, 600.0);
        assert_relative_eq!(y0, 100.0, epsilon = 1e-9);
        assert_relative_eq!(y1, 150.0, epsilon = 1e-9);
        // A sub-range of a straight line still gives the same line.
        let (y0, y1) = least_squares_fit(&z, 30.0, 95.0, 400.0);
        assert_relative_eq!(y0, 100.0, epsilon = 1e-9);
        assert_relative_eq!(y1, 150.0, epsilon = 1e-9);
    }

    #[test]
    fn fit_of_a_symmetric_bump_is_flat() {
        let z = [0.0, 0.0, 10.0, 0.0, 0.0];
        let (y0, y1) = least_squares_fit(&z, 1.0, 0.0, 4.0);
        // Trapezoidal mean: (0/2 + 0 + 10 + 0 + 0/2) / 4.
        assert_relative_eq!(y0, 2.5, epsilon = 1e-12);
        assert_relative_eq!(y1, 2.5, epsilon = 1e-12);
    }

    #[test]
    fn flat_terrain_has_no_irregularity() {
        let z = vec![42.0; 101];
        assert_eq!(delta_h(&z, 100.0, 150.0, 9850.0), 0.0);
        assert_eq!(delta_h(&z, 100.0, 0.0, 150.0), 0.0); // < 2 intervals
    }

    #[test]
    fn irregularity_of_a_square_wave() {
        // Alternating ±10 m blocks of 10 points: the deciles of the residuals
        // are about ±10 m, so Δh(d) ≈ 20 m and Δh ≈ 20 / (1 − 0.8·e^(−d/50 km))
        // (not exactly: resampling and the fitted line blur the blocks).
        let z: Vec<f64> = (0..=400)
            .map(|i| if (i / 10) % 2 == 0 { 10.0 } else { -10.0 })
            .collect();
        let d = 400.0 * 50.0;
        let dh = delta_h(&z, 50.0, 0.0, d);
        let want = 20.0 / (1.0 - 0.8 * (-d / 50e3f64).exp());
        assert_relative_eq!(dh, want, max_relative = 0.05);
        // Δh is linear in the terrain amplitude and blind to a slope.
        let z2: Vec<f64> = z
            .iter()
            .enumerate()
            .map(|(i, h)| 3.0 * h + 0.25 * i as f64)
            .collect();
        assert_relative_eq!(delta_h(&z2, 50.0, 0.0, d), 3.0 * dh, max_relative = 1e-9);
        let ramp: Vec<f64> = (0..=400).map(|i| 0.25 * i as f64).collect();
        assert!(delta_h(&ramp, 50.0, 0.0, d).abs() < 1e-9);
    }

    #[test]
    fn horizons_of_smooth_earth_are_the_other_terminal() {
        let z = vec![0.0; 11];
        let a = 8.5e6;
        let (theta, d) = find_horizons(&z, 100.0, a, [10.0, 10.0]);
        assert_eq!(d, [1000.0, 1000.0]);
        assert_relative_eq!(theta[0], -1000.0 / (2.0 * a), epsilon = 1e-15);
    }

    #[test]
    fn a_ridge_is_the_horizon_of_both_ends() {
        let mut z = vec![0.0; 101];
        z[40] = 200.0;
        let (theta, d) = find_horizons(&z, 100.0, 8.5e6, [10.0, 10.0]);
        assert_eq!(d, [4000.0, 6000.0]);
        assert!(theta[0] > 0.04 && theta[1] > 0.03);
    }

    #[test]
    fn mean_height_skips_the_ends() {
        let mut z = vec![10.0; 21];
        z[0] = 1000.0;
        z[1] = 1000.0;
        z[20] = 1000.0;
        assert_eq!(mean_system_height(&z), 10.0);
    }
}
