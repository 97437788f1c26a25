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
    // The reference accumulates the distances (d_tx += xi, d_rx -= xi); they
    // are computed as i·xi and d − i·xi here, which differs only by rounding,
    // so that the radial sweep (`super::radial`), which jumps to a point,
    // finds the same distances and breaks ties between equal angles the
    // same way (the first strictly larger angle wins).
    for (i, &zi) in z.iter().enumerate().take(np).skip(1) {
        let d_tx = i as f64 * xi;
        let d_rx = d - d_tx;
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
    let np = z.len() - 1;
    let (i_start, i_end) = fit_range(np, xi, d_start, d_end);
    let mut mid = -0.5 * (i_end as f64 - i_start as f64);
    let mut sum_y = 0.0;
    let mut scaled_sum_y = 0.0;
    if i_end > i_start + 1 {
        for &zi in &z[i_start + 1..i_end] {
            mid += 1.0;
            sum_y += zi;
            scaled_sum_y += zi * mid;
        }
    }
    fit_from_sums(
        np,
        i_start,
        i_end,
        z[i_start],
        z[i_end],
        sum_y,
        scaled_sum_y,
    )
}

/// The profile indices (i_start, i_end) of the stretch that [`least_squares_fit`]
/// fits between distances `d_start` and `d_end` (`zlsq1`'s integer ends;
/// widened by one interval each way when empty), clamped to 0..=np.
pub(crate) fn fit_range(np: usize, xi: f64, d_start: f64, d_end: f64) -> (usize, usize) {
    let np = np as i64;
    let mut i_start = dim(d_start / xi, 0.0) as i64;
    let mut i_end = np - dim(np as f64, d_end / xi) as i64;
    if i_end <= i_start {
        i_start = dim(i_start as f64, 1.0) as i64;
        i_end = np - dim(np as f64, (i_end + 1) as f64) as i64;
    }
    // Out-of-profile distances are clamped (the callers never produce them,
    // but a panic on any input is not an option).
    (i_start.clamp(0, np) as usize, i_end.clamp(0, np) as usize)
}

/// The end of [`least_squares_fit`] from its sums over the interior points
/// i_start < i < i_end: `sum_y` = Σ z_i and `centred_sum` =
/// Σ z_i·(i − (i_start + i_end)/2); the end points `z_start`, `z_end` get half
/// weight (trapezoidal sums).
pub(crate) fn fit_from_sums(
    np: usize,
    i_start: usize,
    i_end: usize,
    z_start: f64,
    z_end: f64,
    sum_y: f64,
    centred_sum: f64,
) -> (f64, f64) {
    let x_length = i_end as f64 - i_start as f64;
    let mid = -0.5 * x_length;
    let mid_end = i_end as f64 + mid;
    let sum_y = (0.5 * (z_start + z_end) + sum_y) / x_length;
    let scaled_sum_y = (0.5 * (z_start - z_end) * mid + centred_sum) * 12.0
        / ((x_length * x_length + 2.0) * x_length);
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
#[cfg(test)]
pub(crate) fn delta_h(z: &[f64], xi: f64, d_start: f64, d_end: f64) -> f64 {
    delta_h_hinted(z, xi, d_start, d_end, &mut DecileHint::default())
}

/// The residual deciles (q10, q90) of the last [`delta_h_hinted`]: along a
/// ray the next receiver's are close, which lets the selection look at a
/// few candidates only (the result never depends on the hint).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct DecileHint(Option<(f64, f64)>);

/// [`delta_h`] with the deciles of a similar profile as a hint, updated.
pub(crate) fn delta_h_hinted(
    z: &[f64],
    xi: f64,
    d_start: f64,
    d_end: f64,
    hint: &mut DecileHint,
) -> f64 {
    let np = (z.len() - 1) as i64;
    let x_start = d_start / xi;
    let x_end = d_end / xi;
    if x_end - x_start < 2.0 || (x_end - x_start).is_nan() {
        return 0.0;
    }
    let p10 = ((0.1 * (x_end - x_start + 8.0)) as i64).clamp(4, 25);
    let n = (10 * p10 - 5) as usize;
    let p10 = p10 as usize;
    let np_s = (n - 1) as f64;
    let step = (x_end - x_start) / np_s;

    // Sample j at x = x_start + j·step, linear between the profile points
    // i = ⌊x⌋ and i + 1 (extrapolated from the last interval past its end):
    // the reference walks i forward as x grows, with the same values up to
    // rounding. The sums of the least-squares line through the samples
    // (`zlsq1` over all n, half weight at both ends) are taken on the way.
    let mut s = [0.0; DELTA_H_MAX_POINTS];
    let last = (np - 1).max(0);
    // Every index below is at most `last` + 1 = np (profiles have np ≥ 1).
    let z = &z[..(last + 2) as usize];
    let mid_first = -0.5 * np_s;
    let (mut sum_y, mut centred_sum) = (0.0, 0.0);
    for (j, sj) in s.iter_mut().enumerate().take(n) {
        let x = x_start + j as f64 * step;
        let i = (x as i64).clamp(0, last) as usize;
        let (z0, z1) = (z[i], z[i + 1]);
        *sj = z0 + (z1 - z0) * (x - i as f64);
        sum_y += *sj;
        centred_sum += *sj * (mid_first + j as f64);
    }
    let s = &mut s[..n];
    // The sums over the interior points 1..n−1 (the ends get half weight in the fit).
    let (first, end) = (s[0], s[n - 1]);
    let sum_y = sum_y - first - end;
    let centred_sum = centred_sum - first * mid_first - end * (mid_first + np_s);

    let (fit, fit_end) = fit_from_sums(n - 1, 0, n - 1, first, end, sum_y, centred_sum);
    let slope = (fit_end - fit) / np_s;
    // q10: the p10-th largest residual; q90: the (p90 + 1)-th largest, i.e.
    // the p10-th smallest (p90 = n − p10). The residuals from the line are
    // taken (and stored) on the selection's first pass.
    let (q10, q90) = kth_extremes(s, (fit, slope), p10, hint.0);
    hint.0 = Some((q10, q90));
    (q10 - q90) / (1.0 - 0.8 * (-(d_end - d_start) / 50e3).exp())
}

/// Most candidates [`kth_extremes`] selects from.
const MAX_CANDIDATES: usize = 64;

/// The k-th largest and the k-th smallest of the residuals r_j = v_j −
/// (a + b·j) of `v` from the line (a, b) = `line` (accumulated as a, a + b,
/// …), which replace `v` (reordered), for 1 ≤ k ≤ len, exactly, given a
/// guess (q_hi, q_lo) of both (the last profile's).
///
/// One branch-free pass takes the residuals and gathers those at or above
/// q_hi − 0.02·r (r = q_hi − q_lo) and at or below q_lo + 0.02·r. If a set
/// holds at least k values (and at most 64), the k-th largest of all is the
/// k-th largest of the set — with the guess close, one of its few smallest,
/// found by a few minimum scans; else the set at 0.15·r is gathered and used
/// the same way. Otherwise, or without a guess, a quickselect (which
/// mispredicts about half of its comparisons on the ~245 residuals of
/// `delta_h`). The order statistics are values, so every path gives the same.
fn kth_extremes(
    v: &mut [f64],
    line: (f64, f64),
    k: usize,
    guess: Option<(f64, f64)>,
) -> (f64, f64) {
    let n = v.len();
    let k = k.clamp(1, n);
    let (mut fit, slope) = line;
    let (mut top, mut bottom) = (None, None);
    match guess {
        None => {
            for x in v.iter_mut() {
                *x -= fit;
                fit += slope;
            }
        }
        Some((q_hi, q_lo)) => {
            let r = (q_hi - q_lo).abs();
            let (a, b) = (q_hi - 0.02 * r, q_lo + 0.02 * r);
            let mut hi = [0.0; MAX_CANDIDATES + 1];
            let mut lo = [0.0; MAX_CANDIDATES + 1];
            let (mut nh, mut nl) = (0usize, 0usize);
            for x in v.iter_mut() {
                *x -= fit;
                fit += slope;
                let x = *x;
                hi[nh.min(MAX_CANDIDATES)] = x;
                lo[nl.min(MAX_CANDIDATES)] = x;
                nh += usize::from(x >= a);
                nl += usize::from(x <= b);
            }
            let usable = |c: usize| (k..=MAX_CANDIDATES).contains(&c);
            if !usable(nh) {
                nh = gather(v, &mut hi, |x| x >= q_hi - 0.15 * r);
            }
            if usable(nh) {
                // The k-th largest of nh values is their (nh − k + 1)-th smallest.
                top = Some(kth_smallest_of_few(&mut hi[..nh], nh - k));
            }
            if !usable(nl) {
                nl = gather(v, &mut lo, |x| x <= q_lo + 0.15 * r);
            }
            if usable(nl) {
                // The k-th smallest of nl values is their (nl − k + 1)-th largest.
                for x in lo[..nl].iter_mut() {
                    *x = -*x;
                }
                bottom = Some(-kth_smallest_of_few(&mut lo[..nl], nl - k));
            }
        }
    }
    let top = top.unwrap_or_else(|| *v.select_nth_unstable_by(n - k, f64::total_cmp).1);
    let bottom = bottom.unwrap_or_else(|| *v.select_nth_unstable_by(k - 1, f64::total_cmp).1);
    (top, bottom)
}

/// The values of `v` that pass `keep`, in `out` (at most its length − 1 of
/// them, without branches); their number, or `out.len()` when more pass.
fn gather(v: &[f64], out: &mut [f64], keep: impl Fn(f64) -> bool) -> usize {
    let last = out.len() - 1;
    let mut c = 0;
    for &x in v {
        out[c.min(last)] = x;
        c += usize::from(keep(x));
    }
    c.min(out.len())
}

/// The value of rank `e` (0-based, ascending) of a few values (reordered):
/// e + 1 minimum scans when e is small, else a quickselect.
fn kth_smallest_of_few(c: &mut [f64], e: usize) -> f64 {
    if e >= 8 || e >= c.len() {
        let e = e.min(c.len() - 1);
        return *c.select_nth_unstable_by(e, f64::total_cmp).1;
    }
    let mut len = c.len();
    let mut min = c[0];
    for _ in 0..=e {
        // Position of the minimum, with selects rather than branches.
        let (mut at, mut low) = (0, c[0]);
        for (i, &x) in c[..len].iter().enumerate().skip(1) {
            let less = x < low;
            at = if less { i } else { at };
            low = if less { x } else { low };
        }
        min = low;
        len -= 1;
        c.swap(at, len);
    }
    min
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
    let (theta_hzn, d_hzn) = find_horizons(z, xi, 1.0 / gamma_e, h);
    analyze_with_horizons(
        z,
        xi,
        gamma_e,
        h,
        (theta_hzn, d_hzn),
        |d_start, d_end| least_squares_fit(z, xi, d_start, d_end),
        &mut DecileHint::default(),
    )
}

/// [`analyze_profile`] given the horizons of [`find_horizons`] and a
/// [`least_squares_fit`] of the same profile (the radial sweep computes both
/// incrementally, [`super::radial`]).
pub(crate) fn analyze_with_horizons(
    z: &[f64],
    xi: f64,
    gamma_e: f64,
    h: [f64; 2],
    horizons: ([f64; 2], [f64; 2]),
    fit: impl Fn(f64, f64) -> (f64, f64),
    hint: &mut DecileHint,
) -> PathGeometry {
    let np = z.len() - 1;
    let d = np as f64 * xi;
    let a_e = 1.0 / gamma_e;
    let (mut theta_hzn, mut d_hzn) = horizons;

    let d_start = (15.0 * h[0]).min(0.1 * d_hzn[0]);
    let d_end = d - (15.0 * h[1]).min(0.1 * d_hzn[1]);
    let delta_h_m = delta_h_hinted(z, xi, d_start, d_end, hint);

    let mut h_e = [0.0; 2];
    if d_hzn[0] + d_hzn[1] > 1.5 * d {
        let (fit_tx, fit_rx) = fit(d_start, d_end);
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
        let (fit_tx, _) = fit(d_start, 0.9 * d_hzn[0]);
        h_e[0] = h[0] + dim(z[0], fit_tx);
        let (_, fit_rx) = fit(d - 0.9 * d_hzn[1], d_end);
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
    fn kth_extremes_are_the_order_statistics() {
        let mut seed = 12345u64;
        for n in [4, 7, 35, 95, 245] {
            for k in [1, 3, 4, 10, 25] {
                if k > n {
                    continue;
                }
                let v: Vec<f64> = (0..n)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        ((seed >> 40) % 50) as f64 - 20.0 // many ties
                    })
                    .collect();
                let mut sorted = v.clone();
                sorted.sort_by(f64::total_cmp);
                let want = (sorted[n - k], sorted[k - 1]);
                // Good, poor, inverted and no guesses.
                for guess in [
                    None,
                    Some(want),
                    Some((want.0 + 1.0, want.1 - 1.0)),
                    Some((want.0 - 3.0, want.1 + 3.0)),
                    Some((-5.0, 5.0)),
                    Some((50.0, -50.0)),
                ] {
                    assert_eq!(
                        kth_extremes(&mut v.clone(), (0.0, 0.0), k, guess),
                        want,
                        "n {n} k {k} {guess:?}"
                    );
                    // The same values above a sloping line.
                    let mut sloped: Vec<f64> = v
                        .iter()
                        .enumerate()
                        .map(|(j, x)| x + 3.0 + 0.5 * j as f64)
                        .collect();
                    assert_eq!(
                        kth_extremes(&mut sloped, (3.0, 0.5), k, guess),
                        want,
                        "n {n} k {k} {guess:?}"
                    );
                }
            }
        }
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
