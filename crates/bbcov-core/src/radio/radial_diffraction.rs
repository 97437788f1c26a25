//! Bullington diffraction (ITU-R P.526-15 §4.5.1) for every receiver along
//! one ray, in O(log n) per receiver instead of O(n).
//!
//! [`bullington`](crate::propagation::bullington) takes, for a profile of n
//! samples with effective heights y_i = h_i + x_i (d − x_i)/(2 a_e):
//! S_tim = max (y_i − y_ts)/x_i, S_tr = (y_rs − y_ts)/d,
//! S_rim = max (y_i − y_rs)/(d − x_i) over the intermediate samples, and then
//! either the principal edge of largest ν (line-of-sight paths, eq. (26)) or
//! the intersection of the two horizon rays (trans-horizon paths).
//!
//! Along a ray every receiver's profile is a prefix of the same samples, but
//! y_i depends on the path length d through the bulge. With u_i = h_i − c x_i²
//! (c = 1/(2 a_e)), y_i = u_i + c·d·x_i: a shear that maps lines to lines and
//! keeps heights above lines, so slopes just shift by c·d:
//! S_tim = max (u_i − y_ts)/x_i + c d (a running maximum) and
//! S_rim = max (u_i − U_rs)/(d − x_i) − c d with U_rs = y_rs − c d², the
//! tangent from the receiver to the upper convex hull of the (x_i, u_i) —
//! found by binary search on a hull kept incrementally (Andrew's monotone
//! chain). On line-of-sight paths the principal edge is the sample of
//! largest ν = h·√(2d/(λ x (d − x))), h its height above the direct line:
//! every sample lies below the hull, whose height above the line is concave
//! (peak found by binary search), so a range of samples has ν at most the
//! hull's largest height over the range times the smallest √(…) over it;
//! and, since a sample beats ν* < 0 only above ν*·r(x) (r = 1/√(…), a
//! fraction of the Fresnel radius), a range whose hull height + |ν*|·r
//! (concave) stays below 0 by its end tangents holds none that beats ν*:
//! the tighter bound near the receiver, where r changes fastest. The samples
//! strictly under one hull edge (a valley, a bay; its two vertices are
//! evaluated apart) are bounded both by the edge and by the line through the
//! largest u of the aligned block of samples holding them (a max segment
//! tree filled as samples are pushed), u_i − y_ts − s·x_i ≤ max u − y_ts − s·x_i:
//! the smaller of two lines, concave, so both bounds above apply. Ranges whose
//! bound is below −0.78 (J(ν) = 0) or below the best ν found are skipped,
//! the others halved down to a few samples, which are evaluated exactly as
//! `bullington` does; the search starts from the previous receiver's
//! principal edge, often the next one's too. The result equals
//! `bullington` on the same profile up to rounding (tested); the cost is
//! O(log n) per receiver on trans-horizon paths and grows with the number of
//! near-grazing samples on line-of-sight ones.

use crate::profile::curvature_per_m;
use crate::propagation::{SPEED_OF_LIGHT_M_PER_S, bullington_loss_db, diffraction_parameter, knife_edge_loss_db};

/// The ν below which J(ν) = 0 ([`knife_edge_loss_db`]).
const NU_CLEAR: f64 = -0.78;

/// Blocks of at most this many samples are scanned rather than bounded.
const SCAN_BLOCK: usize = 16;

/// Bullington's construction along one ray.
#[derive(Debug, Clone)]
pub(crate) struct RadialBullington {
    spacing_m: f64,
    /// 1 / (2·a_e).
    c: f64,
    /// Top of the transmitting antenna: ground + height (y_ts).
    tx_top: f64,
    f_mhz: f64,
    /// Upper hull of (x_i, u_i), x increasing.
    hull: Vec<[f64; 2]>,
    /// The sample index i of each hull vertex.
    hull_index: Vec<usize>,
    /// max (u_i − y_ts) / x_i.
    tim: f64,
    /// The largest u_i of aligned blocks of samples.
    block_max: BlockMax,
    /// The principal edge of the last line-of-sight receiver (0: none).
    last_edge: usize,
}

impl RadialBullington {
    /// A ray with samples `spacing_m` apart, transmitter antenna top
    /// `tx_top_m` above sea level over sample 0, effective earth radius
    /// factor `k_factor` (checked by the caller), at `f_mhz`.
    pub(crate) fn new(spacing_m: f64, k_factor: f64, tx_top_m: f64, f_mhz: f64, capacity: usize) -> Self {
        RadialBullington {
            spacing_m,
            c: curvature_per_m(k_factor),
            tx_top: tx_top_m,
            f_mhz,
            hull: Vec::with_capacity(capacity.min(4096)),
            hull_index: Vec::with_capacity(capacity.min(4096)),
            tim: f64::NEG_INFINITY,
            block_max: BlockMax::new(),
            last_edge: 0,
        }
    }

    /// Adds sample `i` (≥ 1, in order) of ground height `h` as an intermediate point.
    pub(crate) fn push(&mut self, i: usize, h: f64) {
        let x = i as f64 * self.spacing_m;
        let u = h - self.c * x * x;
        self.tim = larger(self.tim, (u - self.tx_top) / x);
        while let [.., o, a] = self.hull[..] {
            // Drop `a` unless o → a → p turns right (a strictly above the chord o–p).
            if (a[0] - o[0]) * (u - o[1]) - (a[1] - o[1]) * (x - o[0]) >= 0.0 {
                self.hull.pop();
                self.hull_index.pop();
            } else {
                break;
            }
        }
        self.hull.push([x, u]);
        self.hull_index.push(i);
        self.block_max.push(i, u);
    }

    /// Bullington's loss (dB, in excess of free space) for a receiver at
    /// sample `m` whose antenna top is `rx_top_m` above sea level, after
    /// samples 1..m have been pushed; `heights[i]` is the ground height of
    /// sample i (read only for line-of-sight paths near grazing).
    pub(crate) fn loss_db(&mut self, heights: &[f64], m: usize, rx_top_m: f64) -> f64 {
        if self.hull.is_empty() || m < 2 {
            return 0.0; // no sample between the terminals
        }
        let (s, c, f) = (self.spacing_m, self.c, self.f_mhz);
        let d = m as f64 * s;
        let (y_ts, y_rs) = (self.tx_top, rx_top_m);
        let s_tim = self.tim + c * d;
        let s_tr = (y_rs - y_ts) / d;
        let u_rs = y_rs - c * d * d;
        let [x_rim, u_rim] = self.hull[tangent_from(&self.hull, d, u_rs)];
        let rim = (u_rim - u_rs) / (d - x_rim);
        let s_rim = rim - c * d;
        let nu = if s_tim < s_tr || s_tim + s_rim <= 0.0 {
            // Line of sight: the principal edge. Its height above the direct
            // line is at most that of the highest hull vertex above the line.
            let slope = (u_rs - y_ts) / d;
            let clearance = |[x, u]: [f64; 2]| u - (y_ts + slope * x);
            let peak = peak_on_hull(&self.hull, clearance);
            let above = clearance(self.hull[peak]);
            let nu_bound = above * diffraction_parameter(1.0, 0.5 * d, 0.5 * d, f);
            if above < 0.0 && nu_bound < NU_CLEAR * (1.0 + 1e-9) {
                return 0.0;
            }
            // Only samples with ν > −0.78 matter: for a sample below the line
            // (clearance h < 0) that is h²·2d < 0.78²·λ·x·(d − x), tested
            // without a square root; ν is computed exactly for those.
            let tau = NU_CLEAR * (1.0 + 1e-6);
            let (two_d, lambda_tau2) = (2.0 * d, tau * tau * SPEED_OF_LIGHT_M_PER_S / (f * 1e6));
            // Height above the direct line: h + bulge − (y_ts (d − x) + y_rs x)/d,
            // without the quotient per sample. `scan` keeps the best ν so far and its sample.
            let tilt = (y_rs - y_ts) / d;
            let scan = |from: usize, to: usize, (best, edge): &mut (f64, usize)| {
                for (i, &h) in (from..=to).zip(&heights[from..=to]) {
                    let x = i as f64 * s;
                    let clearance = h - y_ts + x * ((d - x) * c - tilt);
                    if clearance >= 0.0 || clearance * clearance * two_d < lambda_tau2 * x * (d - x) {
                        let nu = diffraction_parameter(clearance, x, d - x, f);
                        if nu > *best {
                            (*best, *edge) = (nu, i);
                        }
                    }
                }
            };
            // Samples between hull vertices t0 and t1 lie below the hull,
            // whose clearance is concave (largest at `peak`) and linear along
            // each edge: their clearance is at most the hull's on
            // [x_t0, x_t1], and their ν at most that times the smallest
            // √(2d/(λ x (d − x))) there (at the point nearest mid-path).
            // Under one edge, a block of samples is also bounded by its
            // largest u. Ranges whose bound cannot beat the best ν so far
            // (or −0.78) are skipped, the others halved (vertex ranges down
            // to single edges, then the tree's blocks under an edge) until a
            // few samples are left to scan.
            let mut best = (f64::NEG_INFINITY, 0);
            let previous = self.last_edge;
            if (1..m).contains(&previous) {
                scan(previous, previous, &mut best);
            }
            let hull = &self.hull;
            let last = hull.len() - 1;
            let index = &self.hull_index;
            // h_max·w(xn) < ν_min (both negative) ⟺ h_max²·w(xn)² > ν_min², w² = (2/λ)(1/x + 1/(d − x)),
            // compared without the quotient (xn (d − xn) > 0): rounding can
            // only flip ranges whose bound is within rounding of ν_min, 1e-9
            // below the best ν (or below −0.78), which cannot change the result.
            let two_over_lambda_d = 2.0 * f * 1e6 / SPEED_OF_LIGHT_M_PER_S * d;
            let prunes = |h_max: f64, xa: f64, xb: f64, best: f64| {
                let xn = smaller(larger(0.5 * d, xa), xb);
                let nu_min = larger(best, NU_CLEAR) - 1e-9;
                h_max < 0.0 && (nu_min >= 0.0 || h_max * h_max * two_over_lambda_d > nu_min * nu_min * (xn * (d - xn)))
            };
            // A sample beats ν_min < 0 only if its clearance exceeds ν_min·r(x),
            // r = 1/w = √(λ x (d − x)/(2d)) (a fraction of the Fresnel radius):
            // none under a concave stretch of clearance h on [xa, xb] (the
            // hull between two vertices, or one edge) does when
            // F = h + |ν_min|·r, concave too, stays < 0 there. F is at most
            // the tangents at both ends (from h's one-sided slopes ga, gb),
            // so at most F(xa) where it falls from xa, F(xb) where it rises to
            // xb, else the tangents' crossing. Tighter than `prunes` where
            // the Fresnel radius changes fast: near the receiver.
            let lambda_over_2d = SPEED_OF_LIGHT_M_PER_S / (f * 1e6) / (2.0 * d);
            let fresnel_prunes = |[xa, ha, ga]: [f64; 3], [xb, hb, gb]: [f64; 3], best: f64| {
                let nu_min = larger(best, NU_CLEAR) - 1e-9;
                if nu_min >= 0.0 {
                    return false;
                }
                let a = -nu_min;
                // F and its slope at x, h and its slope there being `h`, `g`.
                let at = |x: f64, h: f64, g: f64| {
                    let r = (lambda_over_2d * x * (d - x)).sqrt();
                    (h + a * r, g + a * lambda_over_2d * (d - 2.0 * x) / (2.0 * r))
                };
                let ((fa, ga), (fb, gb)) = (at(xa, ha, ga), at(xb, hb, gb));
                let most = if ga <= 0.0 {
                    fa
                } else if gb >= 0.0 {
                    fb
                } else {
                    let x = (fb - fa + ga * xa - gb * xb) / (ga - gb);
                    fa + ga * (x - xa)
                };
                most < 0.0
            };
            // The clearance along hull edge t, and its slope.
            let edge_slope = |t: usize| (hull[t + 1][1] - hull[t][1]) / (hull[t + 1][0] - hull[t][0]) - slope;
            // Indices as u32 keep the stack small (it is initialized per receiver).
            #[derive(Clone, Copy)]
            enum Task {
                /// Hull vertices t0..=t1 and the samples between them.
                Vertices(u32, u32),
                /// Samples lo..=hi strictly under hull edge t, within block k of `block_max`.
                Under(u32, u32, u32, u32),
            }
            let mut stack = [Task::Vertices(0, 0); 64];
            let mut depth = 0;
            if last == 0 {
                scan(1, m - 1, &mut best);
            } else {
                stack[0] = Task::Vertices(0, last as u32);
                depth = 1;
            }
            while depth > 0 {
                depth -= 1;
                match stack[depth] {
                    Task::Vertices(t0, t1) => {
                        let (t0, t1) = (t0 as usize, t1 as usize);
                        let top = if t1 <= peak { t1 } else if t0 >= peak { t0 } else { peak };
                        if prunes(clearance(hull[top]), hull[t0][0], hull[t1][0], best.0)
                            || fresnel_prunes(
                                [hull[t0][0], clearance(hull[t0]), edge_slope(t0)],
                                [hull[t1][0], clearance(hull[t1]), edge_slope(t1 - 1)],
                                best.0,
                            )
                        {
                            continue;
                        }
                        if t1 == t0 + 1 {
                            // One edge: its few samples scanned, or its two
                            // vertices and then the samples strictly under it.
                            let (i0, i1) = (index[t0], index[t1]);
                            if i1 - i0 <= SCAN_BLOCK {
                                scan(i0, i1, &mut best);
                            } else {
                                scan(i0, i0, &mut best);
                                scan(i1, i1, &mut best);
                                let (lo, hi) = (i0 + 1, i1 - 1);
                                let k = self.block_max.covering(lo, hi);
                                stack[depth] = Task::Under(t0 as u32, k as u32, lo as u32, hi as u32);
                                depth += 1;
                            }
                            continue;
                        }
                        if depth + 2 > stack.len() {
                            scan(index[t0], index[t1], &mut best);
                            continue;
                        }
                        let mid = (t0 + t1) / 2;
                        // The half holding the peak first: the likeliest to raise `best`.
                        let (first, second) = if peak <= mid { ((t0, mid), (mid, t1)) } else { ((mid, t1), (t0, mid)) };
                        stack[depth] = Task::Vertices(second.0 as u32, second.1 as u32);
                        stack[depth + 1] = Task::Vertices(first.0 as u32, first.1 as u32);
                        depth += 2;
                    }
                    Task::Under(t, k, lo, hi) => {
                        let (t, k, lo, hi) = (t as usize, k as usize, lo as usize, hi as usize);
                        // The samples' clearance is at most both edge t's
                        // (below the hull) and that of their largest u
                        // (u_max − y_ts − slope·x): two lines, whose minimum
                        // is concave, with one-sided slopes at the ends.
                        let (xa, ca, g) = (hull[t][0], clearance(hull[t]), edge_slope(t));
                        let top = self.block_max.tree[k] - y_ts;
                        let (x0, x1) = (lo as f64 * s, hi as f64 * s);
                        let (e0, e1) = (ca + g * (x0 - xa), ca + g * (x1 - xa));
                        let (f0, f1) = (top - slope * x0, top - slope * x1);
                        let (h0, g0) = if e0 <= f0 { (e0, g) } else { (f0, -slope) };
                        let (h1, g1) = if e1 <= f1 { (e1, g) } else { (f1, -slope) };
                        if prunes(smaller(larger(e0, e1), larger(f0, f1)), x0, x1, best.0)
                            || fresnel_prunes([x0, h0, g0], [x1, h1, g1], best.0)
                        {
                            continue;
                        }
                        if hi - lo < SCAN_BLOCK || depth + 2 > stack.len() {
                            scan(lo, hi, &mut best);
                            continue;
                        }
                        // The children's parts of lo..=hi, the one of the larger u first.
                        let split = self.block_max.block(2 * k + 1).0;
                        let left = (2 * k, lo, hi.min(split - 1));
                        let right = (2 * k + 1, lo.max(split), hi);
                        let tree = &self.block_max.tree;
                        let (first, second) = if tree[left.0] >= tree[right.0] { (left, right) } else { (right, left) };
                        for (k, lo, hi) in [second, first] {
                            if lo <= hi {
                                stack[depth] = Task::Under(t as u32, k as u32, lo as u32, hi as u32);
                                depth += 1;
                            }
                        }
                    }
                }
            }
            self.last_edge = best.1;
            best.0
        } else {
            let d_b = (y_rs - y_ts + s_rim * d) / (s_tim + s_rim);
            let h_b = y_ts + s_tim * d_b - (y_ts * (d - d_b) + y_rs * d_b) / d;
            diffraction_parameter(h_b, d_b, d - d_b, f)
        };
        bullington_loss_db(knife_edge_loss_db(nu), d)
    }
}

/// The largest of each aligned block of values pushed in order: a max
/// segment tree (leaf `leaves + i` is value i, node k the larger of nodes 2k
/// and 2k + 1, −∞ where nothing is pushed), its leaves doubled as values
/// come. A push climbs only while it raises a node.
#[derive(Debug, Clone)]
struct BlockMax {
    tree: Vec<f64>,
    leaves: usize,
}

impl BlockMax {
    /// Leaves at first.
    const INITIAL_LEAVES: usize = 64;

    fn new() -> Self {
        BlockMax { tree: vec![f64::NEG_INFINITY; 2 * Self::INITIAL_LEAVES], leaves: Self::INITIAL_LEAVES }
    }

    /// Sets value `i` (−∞ before).
    fn push(&mut self, i: usize, v: f64) {
        if i >= self.leaves {
            let leaves = (i + 1).next_power_of_two();
            let mut tree = vec![f64::NEG_INFINITY; 2 * leaves];
            tree[leaves..leaves + self.leaves].copy_from_slice(&self.tree[self.leaves..]);
            for k in (1..leaves).rev() {
                tree[k] = larger(tree[2 * k], tree[2 * k + 1]);
            }
            (self.tree, self.leaves) = (tree, leaves);
        }
        let mut k = self.leaves + i;
        self.tree[k] = v;
        while k > 1 && self.tree[k / 2] < v {
            k /= 2;
            self.tree[k] = v;
        }
    }

    /// The smallest node whose block holds values `lo..=hi`.
    fn covering(&self, lo: usize, hi: usize) -> usize {
        (lo + self.leaves) >> (usize::BITS - (lo ^ hi).leading_zeros())
    }

    /// The values `lo..=hi` of node `k`.
    fn block(&self, k: usize) -> (usize, usize) {
        let size = self.leaves >> k.ilog2();
        let lo = k * size - self.leaves;
        (lo, lo + size - 1)
    }
}

/// The larger of two numbers that are not NaN: a comparison, cheaper than
/// `f64::max`'s NaN handling (notably in wasm) in the loops above.
#[inline]
fn larger(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

/// The smaller of two numbers that are not NaN (see [`larger`]).
#[inline]
fn smaller(a: f64, b: f64) -> f64 {
    if a < b { a } else { b }
}

/// Index of the hull vertex of steepest slope (u − u_r)/(d − x) seen from
/// the point (d, u_r) right of the hull: binary search on the unimodal slope,
/// whose comparisons are cross-multiplied (d − x > 0) to spare the quotients.
fn tangent_from(hull: &[[f64; 2]], d: f64, u_r: f64) -> usize {
    let (mut lo, mut hi) = (0, hull.len() - 1);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let ([x0, u0], [x1, u1]) = (hull[mid], hull[mid + 1]);
        if (u1 - u_r) * (d - x0) >= (u0 - u_r) * (d - x1) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Index of the vertex where `g` (unimodal along the hull) peaks: binary search.
fn peak_on_hull(hull: &[[f64; 2]], g: impl Fn([f64; 2]) -> f64) -> usize {
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
    use crate::STANDARD_K_FACTOR;
    use crate::propagation::{TerrainProfile, bullington};
    use proptest::prelude::*;

    /// Every prefix of a ray against `bullington` on the same profile.
    fn check_ray(ground: &[f64], spacing: f64, h_tx: f64, h_rx: f64, k: f64, f: f64) {
        let mut ray = RadialBullington::new(spacing, k, ground[0] + h_tx, f, ground.len());
        for m in 1..ground.len() {
            let got = ray.loss_db(ground, m, ground[m] + h_rx);
            let d: Vec<f64> = (0..=m).map(|i| i as f64 * spacing).collect();
            let want = bullington(&TerrainProfile::new(&d, &ground[..=m], h_tx, h_rx, k).unwrap(), f).unwrap().loss_db;
            assert!((got - want).abs() < 1e-6 * (1.0 + want), "m = {m}: {got} vs {want} ({ground:?})");
            ray.push(m, ground[m]);
        }
    }

    #[test]
    fn sea_ridge_and_valley_rays_match_bullington() {
        // The sea: every sample is on the hull (u = −c x² is concave).
        check_ray(&vec![0.0; 400], 100.0, 30.0, 1.5, STANDARD_K_FACTOR, 900.0);
        // A 150 m ridge at 4 km, flat earth and k = 4/3.
        let ridge: Vec<f64> = (0..300).map(|i| 150.0 * (-((i as f64 - 40.0) / 4.0).powi(2)).exp()).collect();
        check_ray(&ridge, 100.0, 30.0, 1.5, f64::INFINITY, 3500.0);
        check_ray(&ridge, 100.0, 30.0, 1.5, STANDARD_K_FACTOR, 3500.0);
        // A valley: the site on a hill looking down and up again.
        let valley: Vec<f64> = (0..300).map(|i| 300.0 - 250.0 * (i as f64 / 150.0 * std::f64::consts::PI).sin().abs()).collect();
        check_ray(&valley, 50.0, 20.0, 1.5, STANDARD_K_FACTOR, 700.0);
    }

    /// Long hull edges over many samples (a bay, then the sea floor of a
    /// topo-bathymetric DEM, with small noise) exercise the block bounds and
    /// the tree's growth past its first leaves.
    #[test]
    fn rays_under_long_hull_edges_match_bullington() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut noise = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let profile: Vec<f64> = (0..700)
            .map(|i| {
                let x = i as f64;
                let ground = if x < 60.0 { 110.0 - 1.8 * x } else { -60.0 * ((x - 60.0) / 640.0 * std::f64::consts::PI).sin() };
                ground + 2.0 * noise()
            })
            .collect();
        check_ray(&profile, 30.0, 40.0, 1.5, STANDARD_K_FACTOR, 800.0);
        check_ray(&profile, 42.4, 10.0, 10.0, STANDARD_K_FACTOR, 3500.0);
    }

    /// Every node of the block maxima is the largest of its block, through
    /// the tree's growth and with skipped values (−∞); the covering node is
    /// the smallest block holding a range.
    #[test]
    fn block_maxima_are_the_largest_of_their_blocks() {
        let mut tree = BlockMax::new();
        let mut values = vec![f64::NEG_INFINITY; 300];
        for i in (1..300).filter(|i| i % 17 != 5) {
            values[i] = ((i * 7919) % 263) as f64 - 100.0;
            tree.push(i, values[i]);
        }
        assert_eq!(tree.leaves, 512);
        for k in 1..2 * tree.leaves {
            let (lo, hi) = tree.block(k);
            let want = values.iter().take(hi + 1).skip(lo).copied().fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(tree.tree[k], want, "node {k}: block {lo}..={hi}");
        }
        for (lo, hi) in [(1, 1), (60, 70), (64, 127), (3, 298), (130, 131)] {
            let k = tree.covering(lo, hi);
            let (a, b) = tree.block(k);
            assert!(a <= lo && hi <= b, "{lo}..={hi} in {a}..={b}");
            for child in [2 * k, 2 * k + 1].into_iter().filter(|&c| c < 2 * tree.leaves) {
                let (a, b) = tree.block(child);
                assert!(!(a <= lo && hi <= b), "{lo}..={hi} fits in child {a}..={b}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn random_rays_match_bullington(
            ground in prop::collection::vec(0.0..400.0f64, 2..120),
            spacing in 10.0..500.0f64,
            h_tx in 1.0..80.0f64,
            h_rx in 1.0..20.0f64,
            f in 100.0..6000.0f64,
            flat in any::<bool>(),
        ) {
            let k = if flat { f64::INFINITY } else { STANDARD_K_FACTOR };
            check_ray(&ground, spacing, h_tx, h_rx, k, f);
        }
    }
}
