//! ITM point-to-point for every receiver along one ray of a radial sweep,
//! with the profile analysis of each receiver in O(log n) (plus the bounded
//! Δh resampling) instead of O(n).
//!
//! Along a ray every receiver's profile is a prefix of the same terrain
//! samples z_0 (the site's ground), z_1, … (the ray's crossings), closed by
//! the receiver's own ground z_m; [`super::p2p`] on such a profile
//! (Hufford 1999, *The ITS Irregular Terrain Model, version 1.2.2: The
//! Algorithm*, "Alg", §1–3, subroutines `qlrpfl`, `hzns`, `zlsq1`, `dlthx`)
//! makes four passes over it. Here:
//!
//! * the mean elevation h_sys (`qlrpfl`'s `zsys`) and the least-squares
//!   lines (`zlsq1`, integer ends with half weight) come from prefix sums of
//!   z_i and i·z_i: O(1) each;
//! * Δh (`dlthx`) resamples at most 245 points whatever the path length, and
//!   is computed by the same code as in `p2p`; its interdecile range is
//!   selected around the previous receiver's deciles (a guess only: the
//!   selection is exact whatever the guess, see `terrain::delta_h_hinted`);
//! * the horizons (`hzns`): in profile intervals i (spacing ξ, path of m
//!   intervals, κ = ξ²/(2a)), ξ·θ₁(i) = (z_i − z_tx)/i − κ·i and
//!   ξ·θ₂(i) = (z_i − z_rx)/(m − i) − κ·(m − i). With u_i = z_i − κ̂·i² for a
//!   fixed κ̂ ≥ κ these are ξ·θ₁ = (u_i − z_tx)/i + (κ̂ − κ)·i and
//!   ξ·θ₂ = (u_i − U)/(m − i) − 2κ̂m + (κ̂ − κ)·(m − i), U = z_rx − κ̂m²: the
//!   slopes from (0, z_tx) and (m, U) to the points (i, u_i), whose maxima lie
//!   on the upper convex hull of those points, kept incrementally with
//!   Andrew's monotone chain (A. M. Andrew, "Another efficient algorithm for
//!   convex hulls in two dimensions", Information Processing Letters 9(5),
//!   1979) and searched by bisection (the slope from an outside point is
//!   unimodal along the hull), as in `radio/radial_diffraction.rs`.
//!
//!   κ is not constant along a ray: a = 1/γ_e follows N_s, which follows
//!   h_sys, and ξ = d/m follows the receiver cell's distance. A point that is
//!   below a chord of the hull for κ̂ is below it for every κ ≤ κ̂ (lowering κ
//!   adds the convex (κ̂ − κ)·i², which only lowers a point relative to the
//!   chords over it), so the hull for κ̂ = the largest κ of the ray holds
//!   every horizon candidate of every receiver; around the vertex where the
//!   κ̂ slope peaks, the vertices whose slope is within (κ̂ − κ)·m of the
//!   best are evaluated exactly, with `hzns`'s tie-breaking (the first
//!   strictly larger angle wins; the other terminal wins ties).
//!
//! The reference attenuation and variability are [`super::Prepared`]'s, with
//! the frequency, ground and climate terms computed once per map. The result
//! equals [`super::p2p`] on the same profile up to floating-point rounding
//! (tested on every prefix of random and adversarial rays).

use super::terrain;
use super::{ItmParams, Prepared, Quantiles};
use crate::Result;

/// Receivers nearer than this many intervals are analysed as `p2p` does
/// (their profile is short, and ξ = d/m varies most there).
const DIRECT_BELOW: usize = 32;

/// Relative slack of the horizon search's pruning, far above rounding.
const SLACK: f64 = 1e-9;

/// ITM along one ray; see the [module documentation](self).
#[derive(Debug, Clone)]
pub(crate) struct RadialItm {
    prepared: Prepared,
    /// The profile: the site's ground then the crossings (finite).
    z: Vec<f64>,
    /// Prefix sums: `sum_z[k]` = Σ_{i<k} z_i, `sum_iz[k]` = Σ_{i<k} i·z_i.
    sum_z: Vec<f64>,
    sum_iz: Vec<f64>,
    /// Upper hull of (i, z_i − κ̂·i²) over the points 1..`pushed`.
    hull: Vec<(f64, f64)>,
    pushed: usize,
    kappa_hat: f64,
    /// The residual deciles of the last Δh, a guess for the next.
    hint: terrain::DecileHint,
    /// Per step m: (z_m, ξ, N_s, γ_e) of the receiver announced to `start_ray`.
    refractivity: Vec<[f64; 4]>,
}

impl RadialItm {
    /// A sweep with link parameters `params` (checked) at `quantiles` (checked).
    pub(crate) fn new(params: &ItmParams, quantiles: Quantiles) -> Result<Self> {
        Ok(RadialItm {
            prepared: Prepared::new(params, quantiles)?,
            z: Vec::new(),
            sum_z: Vec::new(),
            sum_iz: Vec::new(),
            hull: Vec::new(),
            pushed: 0,
            kappa_hat: 0.0,
            hint: terrain::DecileHint::default(),
            refractivity: Vec::new(),
        })
    }

    /// Starts a ray: `ground` is the site's ground elevation (m), `crossings`
    /// the finite terrain heights of steps 1, 2, … and `receivers` the
    /// (m, receiver ground z_m, spacing ξ = d/m) of the receivers that
    /// [`loss_db`](Self::loss_db) will be asked for, m ≤ `crossings.len()` + 1.
    pub(crate) fn start_ray(
        &mut self,
        ground: f64,
        crossings: &[f64],
        receivers: impl Iterator<Item = (usize, f64, f64)>,
    ) {
        self.z.clear();
        self.z.push(ground);
        self.z.extend_from_slice(crossings);
        self.sum_z.clear();
        self.sum_iz.clear();
        let (mut s0, mut s1) = (0.0, 0.0);
        self.sum_z.push(0.0);
        self.sum_iz.push(0.0);
        for (i, &zi) in self.z.iter().enumerate() {
            s0 += zi;
            s1 += i as f64 * zi;
            self.sum_z.push(s0);
            self.sum_iz.push(s1);
        }
        self.hull.clear();
        self.pushed = 0;
        self.hint = terrain::DecileHint::default();
        // κ̂: the largest κ = ξ²·γ_e/2 of the receivers analysed with the hull
        // (their N_s and γ_e are kept for `loss_db`).
        self.refractivity.clear();
        self.refractivity.resize(self.z.len() + 1, [f64::NAN; 4]);
        let mut kappa_hat: f64 = 0.0;
        for (m, z_m, xi) in receivers {
            if m >= DIRECT_BELOW && m < self.z.len() + 1 {
                let (n_s, gamma_e) = self.prepared.refractivity(self.mean_system_height(m, z_m));
                self.refractivity[m] = [z_m, xi, n_s, gamma_e];
                let kappa = 0.5 * xi * xi * gamma_e;
                if kappa.is_finite() {
                    kappa_hat = kappa_hat.max(kappa);
                }
            }
        }
        self.kappa_hat = kappa_hat * (1.0 + 1e-12);
    }

    /// Elevation of profile point i of the receiver at m.
    #[inline]
    fn z_at(&self, i: usize, m: usize, z_m: f64) -> f64 {
        if i == m { z_m } else { self.z[i] }
    }

    /// `terrain::mean_system_height` of the profile of the receiver at m.
    fn mean_system_height(&self, m: usize, z_m: f64) -> f64 {
        let p10 = (0.1 * m as f64) as usize;
        let last = m - p10;
        let sum = if last == m {
            self.sum_z[m] - self.sum_z[p10] + z_m
        } else {
            self.sum_z[last + 1] - self.sum_z[p10]
        };
        sum / (last - p10 + 1) as f64
    }

    /// `terrain::least_squares_fit` of the profile of the receiver at m, from the prefix sums.
    fn fit(&self, m: usize, z_m: f64, xi: f64, d_start: f64, d_end: f64) -> (f64, f64) {
        let (a, b) = terrain::fit_range(m, xi, d_start, d_end);
        let (sum, centred) = if b > a + 1 {
            let s0 = self.sum_z[b] - self.sum_z[a + 1];
            let s1 = self.sum_iz[b] - self.sum_iz[a + 1];
            (s0, s1 - 0.5 * (a + b) as f64 * s0)
        } else {
            (0.0, 0.0)
        };
        terrain::fit_from_sums(
            m,
            a,
            b,
            self.z_at(a, m, z_m),
            self.z_at(b, m, z_m),
            sum,
            centred,
        )
    }

    /// Adds profile points to the hull up to m − 1.
    fn extend_hull(&mut self, m: usize) {
        while self.pushed + 1 < m && self.pushed + 1 < self.z.len() {
            self.pushed += 1;
            let x = self.pushed as f64;
            let u = self.z[self.pushed] - self.kappa_hat * x * x;
            while let [.., o, a] = self.hull[..] {
                // Drop `a` unless o → a → p turns right (a strictly above the chord o–p).
                if (a.0 - o.0) * (u - o.1) - (a.1 - o.1) * (x - o.0) >= 0.0 {
                    self.hull.pop();
                } else {
                    break;
                }
            }
            self.hull.push((x, u));
        }
    }

    /// The horizons (θ, d_L) of the receiver at m as `terrain::find_horizons`
    /// finds them, from the hull.
    fn horizons(&self, m: usize, z_m: f64, xi: f64, a_e: f64) -> ([f64; 2], [f64; 2]) {
        let h = self.prepared.heights();
        let d = m as f64 * xi;
        let z_tx = self.z[0] + h[0];
        let z_rx = z_m + h[1];
        let mut theta = [
            (z_rx - z_tx) / d - d / (2.0 * a_e),
            -(z_rx - z_tx) / d - d / (2.0 * a_e),
        ];
        let mut d_hzn = [d, d];
        let hull = &self.hull;
        if hull.is_empty() {
            return (theta, d_hzn);
        }
        let kappa = xi * xi / (2.0 * a_e);
        let delta = (self.kappa_hat - kappa).max(0.0);
        let mf = m as f64;
        // Exact angles as `find_horizons` computes them; candidate i replaces
        // the best only if strictly larger, or equal at a smaller i.
        let tx_angle = |i: f64| {
            let d_tx = i * xi;
            (self.z[i as usize] - z_tx) / d_tx - d_tx / (2.0 * a_e)
        };
        let rx_angle = |i: f64| {
            let d_rx = d - i * xi;
            -(z_rx - self.z[i as usize]) / d_rx - d_rx / (2.0 * a_e)
        };

        // Transmitter: g(v) = (u − z_tx)/x; ξ·θ₁ = g + Δ·x.
        let g_tx = |v: (f64, f64)| (v.1 - z_tx) / v.0;
        let peak = peak_on_hull(hull, g_tx);
        let mut best = (f64::NEG_INFINITY, f64::INFINITY); // (angle, i)
        let consider = |best: &mut (f64, f64), angle: f64, i: f64| {
            if angle > best.0 || (angle == best.0 && i < best.1) {
                *best = (angle, i);
            }
        };
        consider(&mut best, tx_angle(hull[peak].0), hull[peak].0);
        let slack = |b: f64| b - SLACK * (1.0 + b.abs());
        for &v in &hull[peak + 1..] {
            if g_tx(v) + delta * (mf - 1.0) < slack(best.0 * xi) {
                break;
            }
            consider(&mut best, tx_angle(v.0), v.0);
        }
        for &v in hull[..peak].iter().rev() {
            if g_tx(v) + delta * v.0 < slack(best.0 * xi) {
                break;
            }
            consider(&mut best, tx_angle(v.0), v.0);
        }
        if best.0 > theta[0] {
            theta[0] = best.0;
            d_hzn[0] = best.1 * xi;
        }

        // Receiver: g(v) = (u − U)/(m − x); ξ·θ₂ = g − 2κ̂m + Δ·(m − x).
        let u_rx = z_rx - self.kappa_hat * mf * mf;
        let shift = 2.0 * self.kappa_hat * mf;
        let g_rx = |v: (f64, f64)| (v.1 - u_rx) / (mf - v.0);
        let peak = peak_on_hull(hull, g_rx);
        let mut best = (f64::NEG_INFINITY, f64::INFINITY);
        consider(&mut best, rx_angle(hull[peak].0), hull[peak].0);
        for &v in &hull[peak + 1..] {
            if g_rx(v) - shift + delta * (mf - v.0) < slack(best.0 * xi) {
                break;
            }
            consider(&mut best, rx_angle(v.0), v.0);
        }
        for &v in hull[..peak].iter().rev() {
            if g_rx(v) - shift + delta * (mf - 1.0) < slack(best.0 * xi) {
                break;
            }
            consider(&mut best, rx_angle(v.0), v.0);
        }
        if best.0 > theta[1] {
            theta[1] = best.0;
            d_hzn[1] = d - best.1 * xi;
        }
        (theta, d_hzn)
    }

    /// Basic transmission loss (dB) of the receiver at step m (its ground
    /// z_m, profile spacing ξ = d/m), as [`super::p2p`] gives it on the
    /// profile z_0 … z_{m−1}, z_m. Receivers come in non-decreasing m.
    pub(crate) fn loss_db(&mut self, m: usize, z_m: f64, xi: f64) -> Result<f64> {
        Ok(self.geometry_and_predict(m, z_m, xi)?.a_db)
    }

    fn geometry_and_predict(&mut self, m: usize, z_m: f64, xi: f64) -> Result<super::P2pResult> {
        if m == 0 || m > self.z.len() {
            return Err(crate::Error::InvalidParameter {
                name: "receiver step",
                value: m as f64,
                expected: "a step within the ray's terrain (internal)".into(),
            });
        }
        let h = self.prepared.heights();
        let (n_s, gamma_e) = match self.refractivity.get(m) {
            Some(&[z, x, n_s, gamma_e]) if z == z_m && x == xi => (n_s, gamma_e),
            _ => self.prepared.refractivity(self.mean_system_height(m, z_m)),
        };
        let a_e = 1.0 / gamma_e;
        let kappa = xi * xi / (2.0 * a_e);
        // The receiver's ground closes the profile (restored below).
        let saved = if m < self.z.len() {
            Some(std::mem::replace(&mut self.z[m], z_m))
        } else {
            self.z.push(z_m);
            None
        };
        // The hull serves receivers in order of m with κ ≤ κ̂; any other is analysed directly.
        let geometry =
            if m < DIRECT_BELOW || kappa.is_nan() || kappa > self.kappa_hat || self.pushed >= m {
                terrain::analyze_profile(&self.z[..=m], xi, gamma_e, h)
            } else {
                self.extend_hull(m);
                let horizons = self.horizons(m, z_m, xi, a_e);
                let mut hint = self.hint;
                let geometry = terrain::analyze_with_horizons(
                    &self.z[..=m],
                    xi,
                    gamma_e,
                    h,
                    horizons,
                    |d_start, d_end| self.fit(m, z_m, xi, d_start, d_end),
                    &mut hint,
                );
                self.hint = hint;
                geometry
            };
        match saved {
            Some(z) => self.z[m] = z,
            None => {
                self.z.pop();
            }
        }
        self.prepared.predict(geometry, n_s, gamma_e)
    }
}

/// Index of the vertex where `g` (unimodal along the hull) peaks: bisection.
fn peak_on_hull(hull: &[(f64, f64)], g: impl Fn((f64, f64)) -> f64) -> usize {
    let (mut lo, mut hi) = (0, hull.len() - 1);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if g(hull[mid + 1]) >= g(hull[mid]) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::propagation::itm::{Climate, Mdvar, Profile, VariabilityMode, p2p};
    use proptest::prelude::*;

    /// Every receiver along a ray against `p2p` on its profile; `jitter`
    /// perturbs each receiver's spacing (the cell's distance is not m·ξ).
    fn check_ray(ground: &[f64], receivers: &[f64], spacing: f64, jitter: f64, params: &ItmParams) {
        let quantiles = Quantiles::MEDIAN;
        let mut radial = RadialItm::new(params, quantiles).unwrap();
        let xi =
            |m: usize| spacing * (1.0 + jitter * ((m * 7919 % 13) as f64 / 13.0 - 0.5) / m as f64);
        let rx: Vec<(usize, f64, f64)> = (1..ground.len())
            .map(|m| (m, receivers[m], xi(m)))
            .collect();
        radial.start_ray(ground[0], &ground[1..], rx.iter().copied());
        let mut profile = ground.to_vec();
        for &(m, z_m, xi) in &rx {
            profile[m] = z_m;
            let want = p2p(
                params,
                &Profile::new(&profile[..=m], xi).unwrap(),
                quantiles,
            );
            profile[m] = ground[m];
            let got = radial.geometry_and_predict(m, z_m, xi);
            match (want, got) {
                (Ok(w), Ok(g)) => {
                    let (wi, gi) = (w.intermediate, g.intermediate);
                    assert!(
                        (w.a_db - g.a_db).abs() <= 1e-6,
                        "m = {m}: {} vs {} dB\np2p {wi:?}\nradial {gi:?}\n{ground:?}",
                        g.a_db,
                        w.a_db
                    );
                    assert_eq!(wi.mode, gi.mode, "m = {m}");
                    for j in 0..2 {
                        assert!(
                            (wi.d_hzn_m[j] - gi.d_hzn_m[j]).abs() <= 1e-6 * wi.d_hzn_m[j],
                            "m = {m}: {wi:?} {gi:?}"
                        );
                        assert!(
                            (wi.theta_hzn_rad[j] - gi.theta_hzn_rad[j]).abs() <= 1e-12,
                            "m = {m}: {wi:?} {gi:?}"
                        );
                        assert!(
                            (wi.h_e_m[j] - gi.h_e_m[j]).abs() <= 1e-7 * (1.0 + wi.h_e_m[j]),
                            "m = {m}: {wi:?} {gi:?}"
                        );
                    }
                    assert!(
                        (wi.delta_h_m - gi.delta_h_m).abs() <= 1e-7 * (1.0 + wi.delta_h_m),
                        "m = {m}"
                    );
                    assert_eq!(w.warnings, g.warnings, "m = {m}");
                }
                (Err(w), Err(g)) => assert_eq!(w.to_string(), g.to_string()),
                (w, g) => panic!("m = {m}: p2p {w:?}, radial {g:?}"),
            }
        }
    }

    fn splat_params(f_mhz: f64, h_tx: f64, h_rx: f64) -> ItmParams {
        ItmParams {
            climate: Climate::MaritimeTemperateOverLand,
            mdvar: Mdvar::from_code(12).unwrap(),
            ..ItmParams::new(f_mhz, h_tx, h_rx)
        }
    }

    #[test]
    fn adversarial_rays_match_p2p() {
        let params = splat_params(3500.0, 30.0, 1.5);
        // Flat sea: every point is on the hull.
        let sea = vec![0.0; 400];
        check_ray(&sea, &sea, 90.0, 0.0, &params);
        check_ray(
            &sea,
            &sea,
            30.0,
            0.4,
            &ItmParams {
                epsilon: 80.0,
                sigma: 5.0,
                ..params
            },
        );
        // A single ridge, receivers on the ground and on towers.
        let ridge: Vec<f64> = (0..500)
            .map(|i| 20.0 + 300.0 * (-((i as f64 - 120.0) / 10.0).powi(2)).exp())
            .collect();
        check_ray(&ridge, &ridge, 90.0, 0.3, &params);
        let towers: Vec<f64> = ridge.iter().map(|z| z + 50.0).collect();
        check_ray(&ridge, &towers, 90.0, 0.3, &params);
        // Ties: a staircase of equal plateaus and a straight slope.
        let stairs: Vec<f64> = (0..300).map(|i| 10.0 * (i / 25) as f64).collect();
        check_ray(&stairs, &stairs, 60.0, 0.0, &params);
        let slope: Vec<f64> = (0..300).map(|i| 500.0 - 1.5 * i as f64).collect();
        check_ray(&slope, &slope, 30.0, 0.0, &params);
        // Very short rays: 1 to 3 intervals.
        for n in 2..=4 {
            check_ray(
                &ridge[100..100 + n],
                &ridge[100..100 + n],
                90.0,
                0.0,
                &params,
            );
        }
        // A valley seen from a hill, other modes of variability and quantiles.
        let valley: Vec<f64> = (0..600)
            .map(|i| 400.0 - 350.0 * (i as f64 / 200.0 * std::f64::consts::PI).sin().abs())
            .collect();
        let broadcast = ItmParams {
            mdvar: Mdvar::new(VariabilityMode::Broadcast),
            ..ItmParams::new(700.0, 50.0, 10.0)
        };
        check_ray(&valley, &valley, 30.0, 0.5, &broadcast);
    }

    /// Receivers out of order, beyond the ray's terrain or never announced
    /// are still `p2p` on their profile, or an error, never a panic.
    #[test]
    fn unannounced_and_out_of_order_receivers() {
        let params = splat_params(900.0, 20.0, 2.0);
        let ground: Vec<f64> = (0..120)
            .map(|i| 50.0 + 40.0 * (i as f64 / 9.0).sin())
            .collect();
        let mut radial = RadialItm::new(&params, Quantiles::MEDIAN).unwrap();
        radial.start_ray(ground[0], &ground[1..], std::iter::empty());
        for m in [100, 40, 119, 33, 2, 1, 119] {
            let want = p2p(
                &params,
                &Profile::new(&ground[..=m], 75.0).unwrap(),
                Quantiles::MEDIAN,
            )
            .unwrap();
            let got = radial.loss_db(m, ground[m], 75.0).unwrap();
            assert!(
                (got - want.a_db).abs() <= 1e-6,
                "m = {m}: {got} vs {}",
                want.a_db
            );
        }
        // One past the last crossing closes the profile with the receiver's ground.
        let mut profile = ground.clone();
        profile.push(70.0);
        let want = p2p(
            &params,
            &Profile::new(&profile, 75.0).unwrap(),
            Quantiles::MEDIAN,
        )
        .unwrap();
        assert!((radial.loss_db(120, 70.0, 75.0).unwrap() - want.a_db).abs() <= 1e-6);
        assert!(radial.loss_db(121, 70.0, 75.0).is_err());
        assert!(radial.loss_db(0, 70.0, 75.0).is_err());
        // A ray without terrain: the first receiver only.
        radial.start_ray(10.0, &[], std::iter::once((1, 12.0, 30.0)));
        let want = p2p(
            &params,
            &Profile::new(&[10.0, 12.0], 30.0).unwrap(),
            Quantiles::MEDIAN,
        )
        .unwrap();
        assert!((radial.loss_db(1, 12.0, 30.0).unwrap() - want.a_db).abs() <= 1e-9);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn random_rays_match_p2p(
            ground in prop::collection::vec(0.0..600.0f64, 2..200),
            smooth in 0usize..4,
            spacing in 10.0..200.0f64,
            jitter in 0.0..0.5f64,
            h_tx in 1.0..100.0f64,
            h_rx in 1.0..20.0f64,
            f in 40.0..10_000.0f64,
        ) {
            // Smoothing by running means makes horizons near-grazing and hulls long.
            let mut z = ground.clone();
            for _ in 0..smooth {
                z = (0..z.len()).map(|i| (z[i.saturating_sub(1)] + z[i] + z[(i + 1).min(z.len() - 1)]) / 3.0).collect();
            }
            let rx: Vec<f64> = z.iter().zip(&ground).map(|(a, b)| 0.5 * (a + b)).collect();
            check_ray(&z, &rx, spacing, jitter, &splat_params(f, h_tx, h_rx));
        }
    }
}
