//! The fiber plant: backbone along main roads and access fiber along local
//! roads where the operator has built, with the gaps real islands have (remote
//! hamlets, whole islands without fiber), plus one submarine cable.

use crate::archipelago::{CABLE_ISLAND, FiberPlan, Island};
use crate::land_grid::LandGrid;
use crate::roads::{RoadClass, RoadNetwork, line_length};
use crate::settlements::Village;
use crate::terrain::Dem;

/// Kind of fiber route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FiberKind {
    /// Trunk along main roads.
    Backbone,
    /// Distribution along local roads.
    Access,
    /// Submarine cable between islands.
    Submarine,
}

impl FiberKind {
    /// Attribute value written to the files.
    pub fn as_str(self) -> &'static str {
        match self {
            FiberKind::Backbone => "backbone",
            FiberKind::Access => "access",
            FiberKind::Submarine => "submarine",
        }
    }
}

/// One fiber route as a polyline in EPSG:6670.
#[derive(Debug, Clone, PartialEq)]
pub struct FiberRoute {
    /// Unique id, e.g. `F-BB-003`.
    pub id: String,
    /// Route kind.
    pub kind: FiberKind,
    /// Island index (`None` for the submarine cable).
    pub island: Option<usize>,
    /// Vertices (easting, northing).
    pub line: Vec<(f64, f64)>,
}

/// Lays fiber along the roads per each island's [`FiberPlan`] and the submarine
/// cable from the main island (0) to [`CABLE_ISLAND`].
///
/// A road part carries fiber only if the point where it joins the network does,
/// so every fibered road is connected to the island's main town.
pub fn lay_fiber(
    dem: &Dem,
    grid: &LandGrid,
    islands: &[Island],
    villages: &[Village],
    net: &RoadNetwork,
) -> Vec<FiberRoute> {
    let segs = &net.segments;
    // Whether the local part [0, main_from] and the main part [main_from, end] of each segment carry fiber.
    let mut local = vec![false; segs.len()];
    let mut main = vec![false; segs.len()];
    let root_of = |island: usize| {
        villages
            .iter()
            .position(|v| v.island == island)
            .expect("island has a village")
    };
    for (s, seg) in segs.iter().enumerate() {
        let FiberPlan::Built {
            max_km,
            min_households,
        } = islands[seg.island].fiber
        else {
            continue;
        };
        let root = &villages[root_of(seg.island)];
        let within = |(x, y): (f64, f64)| (x - root.x).hypot(y - root.y) <= max_km * 1000.0;
        let joined = match seg.parent {
            None => true,
            Some((p, idx)) => {
                if idx >= segs[p].main_from {
                    main[p]
                } else {
                    local[p]
                }
            }
        };
        let last = seg.cells.len() - 1;
        if seg.main_from < last {
            main[s] = joined && within(grid.centre(seg.cells[seg.main_from]));
        }
        let village = &villages[seg.village];
        let feeds = if seg.main_from < last {
            main[s]
        } else {
            joined
        };
        local[s] = seg.main_from > 0
            && feeds
            && village.households >= min_households
            && within((village.x, village.y));
    }
    // Whether each village centre is on fiber (then its streets get access fiber too).
    let mut village_on = vec![false; villages.len()];
    for (id, isl) in islands.iter().enumerate() {
        if matches!(isl.fiber, FiberPlan::Built { .. }) {
            village_on[root_of(id)] = true;
        }
    }
    for (s, seg) in segs.iter().enumerate() {
        let last = seg.cells.len() - 1;
        village_on[seg.village] = if last == 0 {
            match seg.parent {
                None => village_on[seg.village],
                Some((p, idx)) => {
                    if idx >= segs[p].main_from {
                        main[p]
                    } else {
                        local[p]
                    }
                }
            }
        } else if seg.main_from == 0 {
            main[s]
        } else {
            local[s]
        };
    }
    let mut routes = Vec::new();
    let (mut nb, mut na) = (0, 0);
    for road in &net.roads {
        let fibered = match (road.segment, road.street_of, road.class) {
            (Some(s), _, RoadClass::Main) => main[s],
            (Some(s), _, RoadClass::Local) => local[s],
            (None, Some(v), _) => village_on[v],
            (None, None, _) => false,
        };
        if !fibered {
            continue;
        }
        let (kind, id) = match road.class {
            RoadClass::Main => {
                nb += 1;
                (FiberKind::Backbone, format!("F-BB-{nb:03}"))
            }
            RoadClass::Local => {
                na += 1;
                (FiberKind::Access, format!("F-AC-{na:03}"))
            }
        };
        routes.push(FiberRoute {
            id,
            kind,
            island: Some(road.island),
            line: road.line.clone(),
        });
    }
    if let Some(line) = submarine_cable(dem, &routes, 0, CABLE_ISLAND) {
        routes.push(FiberRoute {
            id: "F-SUB-001".into(),
            kind: FiberKind::Submarine,
            island: None,
            line,
        });
    }
    routes
}

/// The submarine cable between fibered points of island `from` and island `to`:
/// the shortest landing pair whose straight line leaves `from`, crosses only sea and
/// reaches `to`, densified every 500 m (straight in EPSG:6670).
fn submarine_cable(
    dem: &Dem,
    routes: &[FiberRoute],
    from: usize,
    to: usize,
) -> Option<Vec<(f64, f64)>> {
    let points = |isl: usize| -> Vec<(f64, f64)> {
        routes
            .iter()
            .filter(|r| r.island == Some(isl))
            .flat_map(|r| r.line.iter().copied())
            .collect()
    };
    let (a, b) = (points(from), points(to));
    let mut pairs: Vec<(f64, usize, usize)> = Vec::with_capacity(a.len() * b.len());
    for (i, p) in a.iter().enumerate() {
        for (j, q) in b.iter().enumerate() {
            pairs.push(((p.0 - q.0).hypot(p.1 - q.1), i, j));
        }
    }
    pairs.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    for &(_, i, j) in pairs.iter().take(5000) {
        let (p, q) = (a[i], b[j]);
        if crosses_cleanly(dem, p, q, from, to) {
            let n = ((p.0 - q.0).hypot(p.1 - q.1) / 500.0).ceil().max(1.0) as usize;
            return Some(
                (0..=n)
                    .map(|k| {
                        let t = k as f64 / n as f64;
                        (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1))
                    })
                    .collect(),
            );
        }
    }
    None
}

/// The line p -> q runs over island `from`, then sea only, then island `to` (sampled
/// every 10 m), with at most [`MAX_SHORE_M`] over land at either end.
fn crosses_cleanly(dem: &Dem, p: (f64, f64), q: (f64, f64), from: usize, to: usize) -> bool {
    let len = (p.0 - q.0).hypot(p.1 - q.1);
    let steps = (len / 10.0).ceil().max(1.0) as usize;
    let shore = (MAX_SHORE_M / len * steps as f64).ceil() as usize;
    // 0: on `from`, 1: at sea, 2: on `to`.
    let mut phase = 0;
    for k in 0..=steps {
        let t = k as f64 / steps as f64;
        let (x, y) = (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1));
        let here = if dem.is_land(x, y) {
            dem.island_at(x, y)
        } else {
            None
        };
        phase = match (phase, here) {
            (0, Some(i)) if i == from && k <= shore => 0,
            (0 | 1, None) => 1,
            (1 | 2, Some(i)) if i == to && k + shore >= steps => 2,
            _ => return false,
        };
    }
    phase == 2
}

/// Longest stretch of the submarine cable over land at each end (landing station to beach), metres.
const MAX_SHORE_M: f64 = 400.0;

/// Total length of the routes of `kind`, metres.
pub fn length_m(routes: &[FiberRoute], kind: FiberKind) -> f64 {
    routes
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| line_length(&r.line))
        .sum()
}
