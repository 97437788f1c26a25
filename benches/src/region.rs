//! A seeded synthetic region for the fiber benches: clustered households and a
//! fiber network of exactly 10,000 segments, in the spirit of the peers'
//! generator (`gen/fiber_data.py`), but made in Rust so `cargo bench` needs no
//! Python and no files.
//!
//! 100 × 100 km in EPSG:32652 (UTM 52N); 150 towns with Pareto (Zipf-like)
//! sizes and Gaussian spread (σ = 200 m … 2 km); 12 % of the households
//! scattered uniformly. Routes: a minimum spanning tree of the towns plus 15
//! shortcuts (trunks) and 4–40 radial feeders per town, each a wandering
//! polyline; segments are shared out by length so that there are exactly
//! [`N_SEGMENTS`] in total. The same seed gives the same region on every
//! machine (only integer arithmetic and IEEE basic operations, `ln`, `sqrt`,
//! `sin`/`cos`, which are deterministic on one platform).

/// EPSG code of the coordinates (WGS 84 / UTM zone 52N).
pub const EPSG: u32 = 32652;
/// Lower-left corner (m) and width (m) of the region.
pub const ORIGIN: [f64; 2] = [430_000.0, 3_580_000.0];
/// Width and height of the region (m).
pub const WIDTH_M: f64 = 100_000.0;
/// Number of towns.
pub const N_TOWNS: usize = 150;
/// Total number of route segments.
pub const N_SEGMENTS: usize = 10_000;
/// Seed of the benches.
pub const SEED: u64 = 20240601;

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, seedable PRNG, good
/// enough for synthetic test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform integer in [0, n).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = 1.0 - self.unit(); // (0, 1]
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Pareto (Lomax) with shape `a`, as numpy's `Generator.pareto`.
    pub fn pareto(&mut self, a: f64) -> f64 {
        (1.0 - self.unit()).powf(-1.0 / a) - 1.0
    }
}

/// Towns: centres, share of the clustered households, spread σ (m).
#[derive(Debug, Clone)]
pub struct Towns {
    /// Town centres.
    pub centre: Vec<[f64; 2]>,
    /// Share of the clustered households (sums to 1).
    pub share: Vec<f64>,
    /// Gaussian spread (m).
    pub sigma: Vec<f64>,
}

impl Towns {
    /// [`N_TOWNS`] towns.
    pub fn generate(rng: &mut Rng) -> Self {
        let centre: Vec<[f64; 2]> = (0..N_TOWNS)
            .map(|_| {
                [
                    ORIGIN[0] + rng.uniform(5_000.0, WIDTH_M - 5_000.0),
                    ORIGIN[1] + rng.uniform(5_000.0, WIDTH_M - 5_000.0),
                ]
            })
            .collect();
        let pop: Vec<f64> = (0..N_TOWNS).map(|_| rng.pareto(1.2) + 1.0).collect();
        let min = pop.iter().copied().fold(f64::INFINITY, f64::min);
        let total: f64 = pop.iter().sum();
        Towns {
            centre,
            share: pop.iter().map(|p| p / total).collect(),
            sigma: pop.iter().map(|p| (200.0 + 200.0 * (p / min).sqrt()).min(2_000.0)).collect(),
        }
    }
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (b[0] - a[0]).hypot(b[1] - a[1])
}

/// Routes: exactly [`N_SEGMENTS`] segments in total.
pub fn routes(rng: &mut Rng, towns: &Towns) -> Vec<Vec<[f64; 2]>> {
    let xy = &towns.centre;
    let n = xy.len();
    let mut ends: Vec<([f64; 2], [f64; 2])> = Vec::new();
    // Trunks: Prim's minimum spanning tree of the towns …
    let mut inside = vec![false; n];
    let mut best = vec![(f64::INFINITY, 0usize); n];
    let mut current = 0;
    inside[0] = true;
    for _ in 1..n {
        for j in 0..n {
            let d = dist(xy[current], xy[j]);
            if !inside[j] && d < best[j].0 {
                best[j] = (d, current);
            }
        }
        let j = (0..n).filter(|&j| !inside[j]).min_by(|&a, &b| best[a].0.total_cmp(&best[b].0)).unwrap();
        inside[j] = true;
        ends.push((xy[best[j].1], xy[j]));
        current = j;
    }
    // … plus 15 shortcuts from a town to one of its 2nd–4th nearest.
    for _ in 0..15 {
        let i = rng.below(n);
        let mut by_distance: Vec<usize> = (0..n).collect();
        by_distance.sort_by(|&a, &b| dist(xy[i], xy[a]).total_cmp(&dist(xy[i], xy[b])));
        ends.push((xy[i], xy[by_distance[2 + rng.below(3)]]));
    }
    // Feeders: 4 to 40 radial lines per town, more in bigger towns.
    let max_share = towns.share.iter().copied().fold(0.0, f64::max);
    for ((&c, &share), &sigma) in xy.iter().zip(&towns.share).zip(&towns.sigma) {
        for _ in 0..4 + (36.0 * (share / max_share).sqrt()) as usize {
            let ang = rng.uniform(0.0, std::f64::consts::TAU);
            let r = sigma * rng.uniform(0.3, 2.5);
            ends.push((c, [c[0] + r * ang.cos(), c[1] + r * ang.sin()]));
        }
    }
    // Segments shared out by length, exactly N_SEGMENTS in total.
    let length: Vec<f64> = ends.iter().map(|&(a, b)| dist(a, b)).collect();
    let total: f64 = length.iter().sum();
    let mut k: Vec<usize> = length.iter().map(|l| ((l / total * N_SEGMENTS as f64).floor() as usize).max(1)).collect();
    let mut longest: Vec<usize> = (0..k.len()).collect();
    longest.sort_by(|&a, &b| length[b].total_cmp(&length[a]));
    let mut sum: usize = k.iter().sum();
    for &i in longest.iter().cycle() {
        match sum.cmp(&N_SEGMENTS) {
            std::cmp::Ordering::Less => {
                k[i] += 1;
                sum += 1;
            }
            std::cmp::Ordering::Greater if k[i] > 1 => {
                k[i] -= 1;
                sum -= 1;
            }
            std::cmp::Ordering::Greater => {}
            std::cmp::Ordering::Equal => break,
        }
    }
    ends.iter().zip(&k).map(|(&(a, b), &k)| polyline(rng, a, b, k)).collect()
}

/// A `k`-segment path from `a` to `b` with a smooth random sideways wander
/// (a Brownian bridge scaled to 8 % of the length), rounded to 0.01 m.
fn polyline(rng: &mut Rng, a: [f64; 2], b: [f64; 2], k: usize) -> Vec<[f64; 2]> {
    let mut walk = Vec::with_capacity(k + 1);
    let mut s = 0.0;
    for _ in 0..=k {
        s += rng.normal();
        walk.push(s);
    }
    let (w0, wk) = (walk[0], walk[k]);
    for (i, w) in walk.iter_mut().enumerate() {
        *w -= w0 + (i as f64 / k as f64) * (wk - w0);
    }
    let v = [b[0] - a[0], b[1] - a[1]];
    let len = dist(a, b);
    let normal = [-v[1] / len, v[0] / len];
    let amp = 0.08 * len / walk.iter().fold(1e-9f64, |m, w| m.max(w.abs()));
    let round = |x: f64| (x * 100.0).round() / 100.0;
    let mut line: Vec<[f64; 2]> = walk
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let t = i as f64 / k as f64;
            [round(a[0] + t * v[0] + amp * w * normal[0]), round(a[1] + t * v[1] + amp * w * normal[1])]
        })
        .collect();
    line.dedup(); // a very short feeder could round two vertices together
    line
}

/// `n` households: 88 % around the towns (town drawn by share, Gaussian
/// spread), 12 % uniform over the region; clipped to it, rounded to 0.01 m,
/// in random order.
pub fn households(rng: &mut Rng, n: usize, towns: &Towns) -> Vec<[f64; 2]> {
    let n_rural = (0.12 * n as f64) as usize;
    let mut cumulative: Vec<f64> = towns
        .share
        .iter()
        .scan(0.0, |s, w| {
            *s += w;
            Some(*s)
        })
        .collect();
    *cumulative.last_mut().unwrap() = f64::INFINITY;
    let round = |x: f64| (x * 100.0).round() / 100.0;
    let clip = |x: f64, lo: f64| round(x.clamp(lo, lo + WIDTH_M));
    let mut pts: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let (x, y) = if i < n - n_rural {
                let u = rng.unit();
                let t = cumulative.partition_point(|&c| c <= u);
                let (c, s) = (towns.centre[t], towns.sigma[t]);
                (c[0] + rng.normal() * s, c[1] + rng.normal() * s)
            } else {
                (ORIGIN[0] + rng.uniform(0.0, WIDTH_M), ORIGIN[1] + rng.uniform(0.0, WIDTH_M))
            };
            [clip(x, ORIGIN[0]), clip(y, ORIGIN[1])]
        })
        .collect();
    for i in (1..n).rev() {
        pts.swap(i, rng.below(i + 1)); // Fisher–Yates
    }
    pts
}

/// A whole region: `(households, routes)` for `n` households, from [`SEED`].
/// The routes do not depend on `n`.
pub fn region(n: usize) -> (Vec<[f64; 2]>, Vec<Vec<[f64; 2]>>) {
    let mut rng = Rng::new(SEED);
    let towns = Towns::generate(&mut rng);
    let routes = routes(&mut rng, &towns);
    let households = households(&mut Rng::new(SEED ^ n as u64), n, &towns);
    (households, routes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_ten_thousand_segments_and_deterministic() {
        let (hh, routes) = region(10_000);
        let segments: usize = routes.iter().map(|l| l.windows(2).filter(|w| w[0] != w[1]).count()).sum();
        assert_eq!(segments, N_SEGMENTS);
        assert_eq!(hh.len(), 10_000);
        assert!(hh.iter().all(|p| (0..2).all(|k| p[k] >= ORIGIN[k] && p[k] <= ORIGIN[k] + WIDTH_M)));
        assert_eq!(region(10_000), (hh, routes));
    }
}
