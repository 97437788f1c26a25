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
/// The distance is exact (not an approximation by a search radius): households
/// are bucketed into grid cells; for each cell the routes that can be nearest
/// to any point of it are those within d₀ + 2h of its centre, where d₀ is the
/// centre's nearest distance and h the cell's half-diagonal (triangle
/// inequality), found in an R-tree of segments; each household then scans only
/// that short list. Ties go to the lowest segment index, so the result does not
/// depend on the number of threads.
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
    let points: Vec<[f64; 2]> = match frame {
        StudyFrame::Projected { .. } => households.coords().to_vec(),
        StudyFrame::Local(_) => crate::parallel::map(households.coords(), |&p| frame.project(p)),
    };
    let tree = SegmentIndex::new(fiber, &frame);
    let grid = CellGrid::new(&points);
    progress.begin("fiber coverage", points.len() as u64);
    let per_cell = map_chunks(&grid.cells, |cell| {
        if progress.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let members = &grid.order[cell.clone()];
        let candidates = tree.candidates(grid.centre_of(members[0], &points), grid.half_diagonal);
        let nearest = members.iter().map(|&i| nearest_of(points[i as usize], &candidates)).collect::<Vec<_>>();
        progress.advance(members.len() as u64);
        Ok(nearest)
    })?;
    let mut distance_m = vec![0.0; points.len()];
    let mut route = vec![0; points.len()];
    for (&i, (d, seg)) in grid.order.iter().zip(per_cell.into_iter().flatten()) {
        distance_m[i as usize] = d;
        route[i as usize] = tree.route_of[seg as usize];
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
        let d0 = segment_distance(centre, &nearest.geom());
        // Widen by a few ulps of the coordinates so rounding never drops a candidate.
        let reach = d0 + 2.0 * half_diagonal + 1e-9 * (1.0 + centre[0].abs() + centre[1].abs());
        self.tree.locate_within_distance(centre, reach * reach).map(|s| (*s.geom(), s.data)).collect()
    }
}

/// (distance, segment) of the nearest candidate; ties go to the lowest segment index.
fn nearest_of(p: [f64; 2], candidates: &[(Line<[f64; 2]>, u32)]) -> (f64, u32) {
    candidates.iter().fold((f64::INFINITY, u32::MAX), |best, (line, seg)| {
        let d = segment_distance(p, line);
        if d < best.0 || (d == best.0 && *seg < best.1) { (d, *seg) } else { best }
    })
}

/// Euclidean distance from `p` to the segment `line`: the projection of p on
/// the segment's supporting line, clamped to the segment (e.g. O'Rourke,
/// "Computational Geometry in C", 2nd ed., §1.5 / 7.x; the same formula as
/// GEOS `Distance::pointToSegment`).
fn segment_distance(p: [f64; 2], line: &Line<[f64; 2]>) -> f64 {
    let [ax, ay] = line.from;
    let [bx, by] = line.to;
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = (((p[0] - ax) * dx + (p[1] - ay) * dy) / len2).clamp(0.0, 1.0);
    (p[0] - (ax + t * dx)).hypot(p[1] - (ay + t * dy))
}

/// Households bucketed into square cells of a regular grid.
struct CellGrid {
    origin: [f64; 2],
    size: f64,
    half_diagonal: f64,
    /// Household indices sorted by cell.
    order: Vec<u32>,
    /// Ranges of `order`, one per non-empty cell.
    cells: Vec<std::ops::Range<usize>>,
}

/// Households per cell the grid aims for (on the bounding box, so clustered
/// layers get more per non-empty cell).
const HOUSEHOLDS_PER_CELL: f64 = 32.0;

impl CellGrid {
    fn new(points: &[[f64; 2]]) -> Self {
        let [lo, hi] = bounds(points);
        let area = ((hi[0] - lo[0]) * (hi[1] - lo[1])).max(1.0);
        let size = (area * HOUSEHOLDS_PER_CELL / points.len() as f64).sqrt().max(10.0);
        let cols = ((hi[0] - lo[0]) / size).floor() as u64 + 1;
        let key = |p: &[f64; 2]| {
            let cx = ((p[0] - lo[0]) / size) as u64;
            let cy = ((p[1] - lo[1]) / size) as u64;
            cy * cols + cx
        };
        let mut keyed: Vec<(u64, u32)> = points.iter().enumerate().map(|(i, p)| (key(p), i as u32)).collect();
        crate::parallel::sort_unstable(&mut keyed);
        let mut cells = Vec::new();
        let mut start = 0;
        for i in 1..=keyed.len() {
            if i == keyed.len() || keyed[i].0 != keyed[start].0 {
                cells.push(start..i);
                start = i;
            }
        }
        CellGrid {
            origin: lo,
            size,
            half_diagonal: size * std::f64::consts::FRAC_1_SQRT_2,
            order: keyed.into_iter().map(|(_, i)| i).collect(),
            cells,
        }
    }

    /// Centre of the cell that holds household `i`.
    fn centre_of(&self, i: u32, points: &[[f64; 2]]) -> [f64; 2] {
        let p = points[i as usize];
        let c = |k: usize| self.origin[k] + (((p[k] - self.origin[k]) / self.size).floor() + 0.5) * self.size;
        [c(0), c(1)]
    }
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
