//! Fiber coverage: the distance from every household to the nearest fiber
//! route, and whether it lies within the drop limit.

use rstar::{RTree, primitives::GeomWithData, primitives::Line};

use crate::frame::bounds;
use crate::parallel::map_chunks;
use crate::{Error, FiberNetwork, Households, Progress, Result, StudyFrame};

/// Options of [`fiber_coverage_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FiberOptions {
    /// A household is served when it is at most this far (m) from a route.
    pub max_drop_m: f64,
}

/// Per-household result of a fiber coverage computation.
#[derive(Debug, Clone, PartialEq)]
pub struct FiberCoverage {
    distance_m: Vec<f64>,
    route: Vec<u32>,
    max_drop_m: f64,
}

impl FiberCoverage {
    /// Distance (m) from each household to the nearest route.
    pub fn distances_m(&self) -> &[f64] {
        &self.distance_m
    }

    /// Index (into the network's lines) of each household's nearest route.
    pub fn nearest_routes(&self) -> &[u32] {
        &self.route
    }

    /// The drop limit the coverage was computed with.
    pub fn max_drop_m(&self) -> f64 {
        self.max_drop_m
    }

    /// Whether household `i` is within the drop limit.
    pub fn is_served(&self, i: usize) -> bool {
        self.distance_m[i] <= self.max_drop_m
    }

    /// Served flag per household.
    pub fn served(&self) -> Vec<bool> {
        (0..self.distance_m.len()).map(|i| self.is_served(i)).collect()
    }

    /// Number of served household points.
    pub fn served_count(&self) -> usize {
        self.distance_m.iter().filter(|&&d| d <= self.max_drop_m).count()
    }
}

/// Fiber coverage with the default options and no progress reporting.
///
/// ```
/// use bbcov_core::{Crs, FiberNetwork, Households, fiber_coverage};
/// let crs = Crs::Projected { epsg: 6670 };
/// let hh = Households::new(crs, vec![[0.0, 100.0], [500.0, -400.0], [2000.0, 0.0]], None, None)?;
/// let fiber = FiberNetwork::new(crs, vec![vec![[0.0, 0.0], [1000.0, 0.0]]], None)?;
/// let cov = fiber_coverage(&hh, &fiber, 300.0)?;
/// assert_eq!(cov.distances_m(), [100.0, 400.0, 1000.0]);
/// assert_eq!(cov.served(), [true, false, false]);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn fiber_coverage(households: &Households, fiber: &FiberNetwork, max_drop_m: f64) -> Result<FiberCoverage> {
    fiber_coverage_with(households, fiber, &FiberOptions { max_drop_m }, &())
}

/// Fiber coverage: for each household, the planar distance to the nearest
/// route segment in the study frame (see [`StudyFrame`]), the index of that
/// route, and the served flag (distance ≤ `max_drop_m`).
///
/// The distance is exact, not an approximation by a search radius. Households
/// are sorted along a Z-order (Morton) curve, which turns every square of a
/// quadtree over them into a contiguous run. For a square with centre c and
/// half-diagonal h, the segments that can be nearest to any point in it are
/// those within d₀ + 2h of c, d₀ being c's own nearest distance (triangle
/// inequality). Top-level squares take that list from an R-tree of segments;
/// a square whose list is still long is split in four, and each quarter
/// filters its list from its parent's (the quarter's list is a subset: its
/// centre is h/2 from c and its d₀ at most d₀ + h/2). Each household finally
/// scans a list of a few segments. Ties go to the lowest segment index, so the
/// result does not depend on the number of threads.
pub fn fiber_coverage_with(
    households: &Households,
    fiber: &FiberNetwork,
    options: &FiberOptions,
    progress: &dyn Progress,
) -> Result<FiberCoverage> {
    let max_drop_m = options.max_drop_m;
    if !(max_drop_m.is_finite() && max_drop_m >= 0.0) {
        return Err(Error::InvalidParameter {
            name: "max_drop_m",
            value: max_drop_m,
            expected: "a finite distance >= 0 m".into(),
        });
    }
    let frame = StudyFrame::resolve(&[
        (crate::households::LAYER, households.crs(), bounds(households.coords())),
        (crate::fiber_network::LAYER, fiber.crs(), bounds(fiber.coords())),
    ])?;
    let projected;
    let points: &[[f64; 2]] = match frame {
        StudyFrame::Projected { .. } => households.coords(),
        StudyFrame::Local(_) => {
            projected = crate::parallel::map(households.coords(), |&p| frame.project(p));
            &projected
        }
    };
    let index = SegmentIndex::new(fiber, &frame);
    let tree = Quadtree::new(points);
    progress.begin("fiber coverage", points.len() as u64);
    let per_square = map_chunks(&tree.top_squares(), |square| {
        if progress.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let (centre, half_diagonal) = tree.geometry(square);
        let candidates = index.candidates(centre, half_diagonal);
        let mut nearest = Vec::with_capacity(square.range.len());
        tree.solve(square, &candidates, &mut nearest);
        progress.advance(square.range.len() as u64);
        Ok(nearest)
    })?;
    let mut distance_m = vec![0.0; points.len()];
    let mut route = vec![0; points.len()];
    for (&(_, i), (d, seg)) in tree.sorted.iter().zip(per_square.into_iter().flatten()) {
        distance_m[i as usize] = d;
        route[i as usize] = index.route_of[seg as usize];
    }
    Ok(FiberCoverage { distance_m, route, max_drop_m })
}

type Segment = GeomWithData<Line<[f64; 2]>, u32>;

/// R-tree of the network's segments in the study frame.
struct SegmentIndex {
    tree: RTree<Segment>,
    /// Route (line) index of each segment.
    route_of: Vec<u32>,
}

impl SegmentIndex {
    fn new(fiber: &FiberNetwork, frame: &StudyFrame) -> Self {
        let mut segments = Vec::with_capacity(fiber.coords().len());
        let mut route_of = Vec::with_capacity(fiber.coords().len());
        for (r, line) in fiber.lines().enumerate() {
            for w in line.windows(2).filter(|w| w[0] != w[1]) {
                segments.push(Segment::new(Line::new(frame.project(w[0]), frame.project(w[1])), segments.len() as u32));
                route_of.push(r as u32);
            }
        }
        SegmentIndex { tree: RTree::bulk_load(segments), route_of }
    }

    /// Every segment that can be the nearest one to some point within
    /// `half_diagonal` of `centre`.
    fn candidates(&self, centre: [f64; 2], half_diagonal: f64) -> Vec<(Line<[f64; 2]>, u32)> {
        let nearest = self.tree.nearest_neighbor(&centre).expect("a network has at least one segment");
        let reach = reach(segment_distance(centre, nearest.geom()), half_diagonal, centre);
        self.tree.locate_within_distance(centre, reach * reach).map(|s| (*s.geom(), s.data)).collect()
    }
}

/// d₀ + 2h, widened by a few ulps of the coordinates so rounding never drops a candidate.
fn reach(d0: f64, half_diagonal: f64, centre: [f64; 2]) -> f64 {
    d0 + 2.0 * half_diagonal + 1e-9 * (1.0 + centre[0].abs() + centre[1].abs())
}

/// (distance, segment) of the nearest candidate; ties go to the lowest segment index.
fn nearest_of(p: [f64; 2], candidates: &[(Line<[f64; 2]>, u32)]) -> (f64, u32) {
    let (d2, seg) = candidates.iter().fold((f64::INFINITY, u32::MAX), |best, (line, seg)| {
        let d2 = segment_distance2(p, line);
        if d2 < best.0 || (d2 == best.0 && *seg < best.1) { (d2, *seg) } else { best }
    });
    (d2.sqrt(), seg)
}

/// Euclidean distance from `p` to the segment `line`.
fn segment_distance(p: [f64; 2], line: &Line<[f64; 2]>) -> f64 {
    segment_distance2(p, line).sqrt()
}

/// Squared distance from `p` to the segment `line`: the projection of p on
/// the segment's supporting line, clamped to the segment (the same
/// construction as GEOS `Distance::pointToSegment`).
fn segment_distance2(p: [f64; 2], line: &Line<[f64; 2]>) -> f64 {
    let [ax, ay] = line.from;
    let [bx, by] = line.to;
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = (((p[0] - ax) * dx + (p[1] - ay) * dy) / len2).clamp(0.0, 1.0);
    let (ex, ey) = (p[0] - (ax + t * dx), p[1] - (ay + t * dy));
    ex * ex + ey * ey
}

/// Bits per axis of the Morton codes: the finest square is 1/65,536 of the extent.
const MORTON_BITS: u32 = 16;
/// A square is split while it has more candidates than this...
const MAX_CANDIDATES: usize = 16;
/// ...and more households than this.
const MIN_SPLIT_POINTS: usize = 4;
/// Top-level squares (the unit of parallel work) aim at this many households each.
const TOP_SQUARE_POINTS: f64 = 4096.0;

/// A square of the quadtree: its level, its Morton prefix and the run of
/// sorted households inside it.
struct Square {
    level: u32,
    prefix: u32,
    range: std::ops::Range<usize>,
}

/// Households sorted along a Z-order curve over their bounding square.
struct Quadtree {
    origin: [f64; 2],
    side: f64,
    /// (Morton code, household index), sorted.
    sorted: Vec<(u32, u32)>,
    /// Household coordinates in the same (curve) order, so that the scans
    /// read memory sequentially.
    points: Vec<[f64; 2]>,
    top_level: u32,
}

impl Quadtree {
    fn new(points: &[[f64; 2]]) -> Self {
        let [lo, hi] = bounds(points);
        let side = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1.0);
        let cells = f64::from(1u32 << MORTON_BITS);
        let quantize = |v: f64, o: f64| (((v - o) / side * cells) as u32).min((1 << MORTON_BITS) - 1);
        let mut sorted: Vec<(u32, u32)> =
            points.iter().enumerate().map(|(i, p)| (morton(quantize(p[0], lo[0]), quantize(p[1], lo[1])), i as u32)).collect();
        crate::parallel::sort_unstable(&mut sorted);
        let points = crate::parallel::map(&sorted, |&(_, i)| points[i as usize]);
        let top_level = ((points.len() as f64 / TOP_SQUARE_POINTS).log(4.0).ceil().max(0.0) as u32).min(MORTON_BITS);
        Quadtree { origin: lo, side, sorted, points, top_level }
    }

    /// The non-empty squares of the top level, in curve order.
    fn top_squares(&self) -> Vec<Square> {
        let shift = 2 * (MORTON_BITS - self.top_level);
        let mut squares = Vec::new();
        let mut start = 0;
        while start < self.sorted.len() {
            let prefix = self.sorted[start].0.checked_shr(shift).unwrap_or(0);
            let end = start + self.sorted[start..].partition_point(|&(code, _)| code.checked_shr(shift).unwrap_or(0) == prefix);
            squares.push(Square { level: self.top_level, prefix, range: start..end });
            start = end;
        }
        squares
    }

    /// Centre and half-diagonal of a square.
    fn geometry(&self, square: &Square) -> ([f64; 2], f64) {
        let size = self.side / f64::from(1u32 << square.level);
        let (qx, qy) = demorton(square.prefix);
        let centre = [self.origin[0] + (f64::from(qx) + 0.5) * size, self.origin[1] + (f64::from(qy) + 0.5) * size];
        (centre, size * std::f64::consts::FRAC_1_SQRT_2)
    }

    /// Appends the nearest (distance, segment) of every household of `square`,
    /// in curve order, given the candidates of the square.
    fn solve(&self, square: &Square, candidates: &[(Line<[f64; 2]>, u32)], out: &mut Vec<(f64, u32)>) {
        let run = &self.points[square.range.clone()];
        if candidates.len() <= MAX_CANDIDATES || run.len() <= MIN_SPLIT_POINTS || square.level == MORTON_BITS {
            out.extend(run.iter().map(|&p| nearest_of(p, candidates)));
            return;
        }
        let shift = 2 * (MORTON_BITS - square.level - 1);
        let mut start = square.range.start;
        while start < square.range.end {
            let prefix = self.sorted[start].0 >> shift;
            let end = start + self.sorted[start..square.range.end].partition_point(|&(code, _)| code >> shift == prefix);
            let child = Square { level: square.level + 1, prefix, range: start..end };
            let (centre, half_diagonal) = self.geometry(&child);
            let d0 = candidates.iter().map(|(line, _)| segment_distance2(centre, line)).fold(f64::INFINITY, f64::min).sqrt();
            let reach = reach(d0, half_diagonal, centre);
            let reach2 = reach * reach;
            let kept: Vec<_> = candidates.iter().filter(|(line, _)| segment_distance2(centre, line) <= reach2).copied().collect();
            self.solve(&child, &kept, out);
            start = end;
        }
    }
}

/// Interleaves the bits of x (even positions) and y (odd positions).
fn morton(x: u32, y: u32) -> u32 {
    spread(x) | (spread(y) << 1)
}

/// Splits a Morton prefix back into x and y.
fn demorton(code: u32) -> (u32, u32) {
    (compact(code), compact(code >> 1))
}

fn spread(v: u32) -> u32 {
    let mut v = v & 0xFFFF;
    v = (v | (v << 8)) & 0x00FF_00FF;
    v = (v | (v << 4)) & 0x0F0F_0F0F;
    v = (v | (v << 2)) & 0x3333_3333;
    (v | (v << 1)) & 0x5555_5555
}

fn compact(v: u32) -> u32 {
    let mut v = v & 0x5555_5555;
    v = (v | (v >> 1)) & 0x3333_3333;
    v = (v | (v >> 2)) & 0x0F0F_0F0F;
    v = (v | (v >> 4)) & 0x00FF_00FF;
    (v | (v >> 8)) & 0xFFFF
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Crs;
    use proptest::prelude::*;

    const CRS: Crs = Crs::Projected { epsg: 32652 };

    fn brute_force(points: &[[f64; 2]], lines: &[Vec<[f64; 2]>]) -> Vec<f64> {
        points
            .iter()
            .map(|&p| {
                lines
                    .iter()
                    .flat_map(|l| l.windows(2))
                    .filter(|w| w[0] != w[1])
                    .map(|w| segment_distance(p, &Line::new(w[0], w[1])))
                    .fold(f64::INFINITY, f64::min)
            })
            .collect()
    }

    #[test]
    fn morton_round_trip() {
        for (x, y) in [(0, 0), (1, 0), (0, 1), (65535, 65535), (12345, 54321)] {
            assert_eq!(demorton(morton(x, y)), (x, y));
        }
        assert_eq!(morton(1, 0), 1);
        assert_eq!(morton(0, 1), 2);
    }

    #[test]
    fn distance_to_segment_interior_and_ends() {
        let l = Line::new([0.0, 0.0], [10.0, 0.0]);
        assert_eq!(segment_distance([5.0, 3.0], &l), 3.0);
        assert_eq!(segment_distance([13.0, 4.0], &l), 5.0);
        assert_eq!(segment_distance([-3.0, -4.0], &l), 5.0);
    }

    #[test]
    fn ties_go_to_the_lowest_route() {
        let hh = Households::new(CRS, vec![[0.0, 0.0]], None, None).unwrap();
        let lines = vec![vec![[-5.0, 10.0], [5.0, 10.0]], vec![[-5.0, -10.0], [5.0, -10.0]]];
        let cov = fiber_coverage(&hh, &FiberNetwork::new(CRS, lines, None).unwrap(), 10.0).unwrap();
        assert_eq!((cov.distances_m()[0], cov.nearest_routes()[0]), (10.0, 0));
        assert!(cov.is_served(0));
    }

    #[test]
    fn rejects_bad_drop_limit_and_mixed_crs() {
        let hh = Households::new(CRS, vec![[0.0, 0.0]], None, None).unwrap();
        let fiber = FiberNetwork::new(CRS, vec![vec![[0.0, 0.0], [1.0, 0.0]]], None).unwrap();
        assert!(matches!(fiber_coverage(&hh, &fiber, f64::NAN), Err(Error::InvalidParameter { .. })));
        assert!(matches!(fiber_coverage(&hh, &fiber, -1.0), Err(Error::InvalidParameter { .. })));
        let lonlat = FiberNetwork::new(Crs::LonLat, vec![vec![[129.0, 33.0], [129.1, 33.0]]], None).unwrap();
        assert!(matches!(fiber_coverage(&hh, &lonlat, 300.0), Err(Error::CrsMismatch { .. })));
    }

    /// In lon/lat, 0.001° of longitude at 33° N is ν·cos φ·Δλ = 93.453 m on
    /// GRS80 (Snyder 1987, eqs. 4-20 and 4-21): a household that far east of a
    /// north-south route is 93.45 m from it.
    #[test]
    fn lonlat_inputs_are_measured_in_metres() {
        let hh = Households::new(Crs::LonLat, vec![[129.001, 33.0]], None, None).unwrap();
        let fiber = FiberNetwork::new(Crs::LonLat, vec![vec![[129.0, 32.99], [129.0, 33.01]]], None).unwrap();
        let d = fiber_coverage(&hh, &fiber, 300.0).unwrap().distances_m()[0];
        assert!((d - 93.453).abs() < 0.01, "d = {d}");
    }

    /// Many clustered households (several top-level squares and deep splits)
    /// against a dense network: still exactly the brute-force distances.
    #[test]
    fn equals_brute_force_on_a_large_clustered_layer() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let towns: Vec<[f64; 2]> = (0..20).map(|_| [next() * 50_000.0, next() * 50_000.0]).collect();
        let points: Vec<[f64; 2]> = (0..40_000)
            .map(|i| {
                let t = towns[i % towns.len()];
                let spread = if i % 7 == 0 { 20_000.0 } else { 800.0 };
                [t[0] + (next() - 0.5) * spread, t[1] + (next() - 0.5) * spread]
            })
            .collect();
        let lines: Vec<Vec<[f64; 2]>> = (0..120)
            .map(|k| {
                let t = towns[k % towns.len()];
                let mut p = t;
                (0..6).map(|_| { p = [p[0] + (next() - 0.5) * 900.0, p[1] + (next() - 0.5) * 900.0]; p }).collect()
            })
            .collect();
        let hh = Households::new(CRS, points.clone(), None, None).unwrap();
        let cov = fiber_coverage(&hh, &FiberNetwork::new(CRS, lines.clone(), None).unwrap(), 500.0).unwrap();
        assert_eq!(cov.distances_m(), brute_force(&points, &lines).as_slice());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The cell-pruned search gives exactly the brute-force distances.
        #[test]
        fn equals_brute_force(
            pts in prop::collection::vec((0.0..20_000.0f64, 0.0..20_000.0f64), 1..400),
            lines in prop::collection::vec(prop::collection::vec((-2_000.0..22_000.0f64, -2_000.0..22_000.0f64), 2..6), 1..12),
        ) {
            let points: Vec<[f64; 2]> = pts.into_iter().map(|(x, y)| [x, y]).collect();
            let lines: Vec<Vec<[f64; 2]>> = lines.into_iter().map(|l| l.into_iter().map(|(x, y)| [x, y]).collect()).collect();
            let hh = Households::new(CRS, points.clone(), None, None).unwrap();
            let cov = fiber_coverage(&hh, &FiberNetwork::new(CRS, lines.clone(), None).unwrap(), 500.0).unwrap();
            let expected = brute_force(&points, &lines);
            prop_assert_eq!(cov.distances_m(), expected.as_slice());
        }
    }
}
