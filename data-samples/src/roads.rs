//! The road network: on each island, villages are joined one by one to the
//! growing network by least-cost paths over the land grid (sea impassable, steep
//! grades and high ground expensive), so roads share trunks as real ones do.
//! Roads towards the larger villages are `main`, the rest `local`.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use crate::archipelago::Island;
use crate::land_grid::LandGrid;
use crate::settlements::{Building, Village};
use crate::terrain::Dem;

/// Road class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoadClass {
    /// Trunk road between the larger villages.
    Main,
    /// Road to a smaller village.
    Local,
}

impl RoadClass {
    /// Attribute value written to the files.
    pub fn as_str(self) -> &'static str {
        match self {
            RoadClass::Main => "main",
            RoadClass::Local => "local",
        }
    }
}

/// The path built to join one village to the network: land-grid cells from the
/// village to the junction with the network (the junction cell included).
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Island index.
    pub island: usize,
    /// Village the segment starts at.
    pub village: usize,
    /// Cells from the village to the junction.
    pub cells: Vec<usize>,
    /// Segment and cell index the junction lies on; `None` when it joins at the island's main town.
    pub parent: Option<(usize, usize)>,
    /// The segment is `main` from this cell index to its junction end (`cells.len() - 1`: not at all).
    pub main_from: usize,
}

/// A road feature: one class of one segment, as a polyline in EPSG:6670.
#[derive(Debug, Clone, PartialEq)]
pub struct Road {
    /// Unique id, e.g. `R-KZ-007`.
    pub id: String,
    /// Road class.
    pub class: RoadClass,
    /// Island index.
    pub island: usize,
    /// Index of the segment it comes from (`None` for a village street).
    pub segment: Option<usize>,
    /// The village whose street this is (`None` for roads between villages).
    pub street_of: Option<usize>,
    /// Vertices (easting, northing).
    pub line: Vec<(f64, f64)>,
}

/// The roads of the archipelago.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadNetwork {
    /// Segments in construction order (a parent always precedes its children).
    pub segments: Vec<Segment>,
    /// Road features.
    pub roads: Vec<Road>,
}

/// Moves on the land grid: 8 neighbours and 8 knight moves (smoother bearings).
const MOVES: [(isize, isize); 16] = [
    (1, 0),
    (-1, 0),
    (0, 1),
    (0, -1),
    (1, 1),
    (1, -1),
    (-1, 1),
    (-1, -1),
    (2, 1),
    (2, -1),
    (-2, 1),
    (-2, -1),
    (1, 2),
    (1, -2),
    (-1, 2),
    (-1, -2),
];

impl RoadNetwork {
    /// Builds the roads of every island: roads between villages, then village streets.
    pub fn build(
        dem: &Dem,
        grid: &LandGrid,
        islands: &[Island],
        villages: &[Village],
        buildings: &[Building],
    ) -> RoadNetwork {
        let mut segments = Vec::new();
        for (id, _) in islands.iter().enumerate() {
            let members: Vec<usize> = (0..villages.len())
                .filter(|&v| villages[v].island == id)
                .collect();
            let Some(&root) = members.first() else {
                continue;
            };
            let first = segments.len();
            join_villages(grid, villages, &members, &mut segments);
            // Main roads: towards villages of at least 12 % of the main town's size (and >= 60 households).
            let threshold = (villages[root].households as f64 * 0.12).max(60.0);
            for s in first..segments.len() {
                if villages[segments[s].village].households as f64 >= threshold {
                    mark_main(&mut segments, s, 0);
                }
            }
        }
        let mut roads = Vec::new();
        let mut numbers = vec![0usize; islands.len()];
        for (s, seg) in segments.iter().enumerate() {
            let last = seg.cells.len() - 1;
            let parts = [
                (RoadClass::Local, 0, seg.main_from),
                (RoadClass::Main, seg.main_from, last),
            ];
            for (class, a, b) in parts {
                if b <= a {
                    continue;
                }
                let raw: Vec<(f64, f64)> =
                    seg.cells[a..=b].iter().map(|&c| grid.centre(c)).collect();
                numbers[seg.island] += 1;
                roads.push(Road {
                    id: format!("R-{}-{:03}", islands[seg.island].code, numbers[seg.island]),
                    class,
                    island: seg.island,
                    segment: Some(s),
                    street_of: None,
                    line: smooth_on_land(dem, &raw),
                });
            }
        }
        for (v, line) in village_streets(dem, villages, buildings) {
            let island = villages[v].island;
            numbers[island] += 1;
            roads.push(Road {
                id: format!("R-{}-{:03}", islands[island].code, numbers[island]),
                class: RoadClass::Local,
                island,
                segment: None,
                street_of: Some(v),
                line,
            });
        }
        RoadNetwork { segments, roads }
    }

    /// Total length of the roads of `class`, metres.
    pub fn length_m(&self, class: RoadClass) -> f64 {
        self.roads
            .iter()
            .filter(|r| r.class == class)
            .map(|r| line_length(&r.line))
            .sum()
    }
}

/// Marks segment `s` main from cell index `from` on, and its ancestors up to the main town.
fn mark_main(segments: &mut [Segment], s: usize, from: usize) {
    let mut cur = Some((s, from));
    while let Some((s, idx)) = cur {
        if segments[s].main_from <= idx {
            break;
        }
        segments[s].main_from = idx;
        cur = segments[s].parent;
    }
}

/// Prim-like growth: starting from the island's main town (`members[0]`), repeatedly
/// joins the unconnected village nearest (by path cost) to the network so far.
fn join_villages(
    grid: &LandGrid,
    villages: &[Village],
    members: &[usize],
    segments: &mut Vec<Segment>,
) {
    let n = grid.cols * grid.rows;
    // Network cells -> where they lie (segment, index), `None` for the main town's cell.
    let mut network: BTreeMap<usize, Option<(usize, usize)>> = BTreeMap::new();
    network.insert(villages[members[0]].cell, None);
    let mut waiting: BTreeMap<usize, usize> = members[1..]
        .iter()
        .map(|&v| (villages[v].cell, v))
        .collect();
    let mut dist = vec![f64::INFINITY; n];
    let mut prev = vec![usize::MAX; n];
    while !waiting.is_empty() {
        dist.fill(f64::INFINITY);
        prev.fill(usize::MAX);
        let mut heap = BinaryHeap::new();
        for &c in network.keys() {
            dist[c] = 0.0;
            heap.push(Reverse((0u64, c)));
        }
        let mut reached = None;
        while let Some(Reverse((bits, i))) = heap.pop() {
            let d = f64::from_bits(bits);
            if d > dist[i] {
                continue;
            }
            if waiting.contains_key(&i) {
                reached = Some(i);
                break;
            }
            for &(dc, dr) in &MOVES {
                let Some(j) = grid.offset(i, dc, dr) else {
                    continue;
                };
                if !passable(grid, i, dc, dr) {
                    continue;
                }
                let nd = d + step_cost(grid, i, j, dc, dr);
                if nd < dist[j] {
                    dist[j] = nd;
                    prev[j] = i;
                    heap.push(Reverse((nd.to_bits(), j)));
                }
            }
        }
        let Some(target) = reached else {
            // Unreachable villages (cannot happen on a mainland patch): leave them off-road.
            break;
        };
        let village = waiting.remove(&target).expect("target is waiting");
        let mut cells = vec![target];
        let mut c = target;
        while dist[c] > 0.0 {
            c = prev[c];
            cells.push(c);
        }
        let junction = *cells.last().expect("path has cells");
        let parent = network[&junction];
        let s = segments.len();
        let last = cells.len() - 1;
        for (k, &cell) in cells[..last].iter().enumerate() {
            network.insert(cell, Some((s, k)));
        }
        segments.push(Segment {
            island: villages[village].island,
            village,
            cells,
            parent,
            main_from: last,
        });
    }
}

/// Size of the blocks a village's streets reach, metres.
const BLOCK_M: f64 = 200.0;
/// Longest street edge considered, metres.
const MAX_STREET_M: f64 = 450.0;

/// Streets inside each village: a minimum spanning tree over the village centre and
/// one building per 200 m block (the one nearest the block's household-weighted
/// centroid), using only straight edges up to 450 m that stay on land; the tree is
/// cut into polylines at its branch points.
fn village_streets(
    dem: &Dem,
    villages: &[Village],
    buildings: &[Building],
) -> Vec<(usize, Vec<(f64, f64)>)> {
    let mut streets = Vec::new();
    for (v, village) in villages.iter().enumerate() {
        let mut blocks: BTreeMap<(i64, i64), Vec<&Building>> = BTreeMap::new();
        for b in buildings.iter().filter(|b| b.village == v) {
            let key = (
                ((b.x - village.x) / BLOCK_M).floor() as i64,
                ((b.y - village.y) / BLOCK_M).floor() as i64,
            );
            blocks.entry(key).or_default().push(b);
        }
        let mut nodes = vec![(village.x, village.y)];
        for members in blocks.values() {
            let w: f64 = members.iter().map(|b| b.households as f64).sum();
            let cx = members
                .iter()
                .map(|b| b.x * b.households as f64)
                .sum::<f64>()
                / w;
            let cy = members
                .iter()
                .map(|b| b.y * b.households as f64)
                .sum::<f64>()
                / w;
            let rep = members
                .iter()
                .min_by(|a, b| {
                    (a.x - cx)
                        .hypot(a.y - cy)
                        .total_cmp(&(b.x - cx).hypot(b.y - cy))
                })
                .expect("blocks are non-empty");
            if (rep.x - village.x).hypot(rep.y - village.y) > 1.0 {
                nodes.push((rep.x, rep.y));
            }
        }
        // Prim's algorithm from the centre with lazily checked edges.
        let n = nodes.len();
        let mut in_tree = vec![false; n];
        let mut best = vec![(f64::INFINITY, usize::MAX); n];
        let mut parent = vec![usize::MAX; n];
        best[0].0 = 0.0;
        loop {
            let next = (0..n)
                .filter(|&j| !in_tree[j] && best[j].0.is_finite())
                .min_by(|&a, &b| best[a].0.total_cmp(&best[b].0));
            let Some(u) = next else { break };
            in_tree[u] = true;
            parent[u] = best[u].1;
            for j in 0..n {
                if in_tree[j] {
                    continue;
                }
                let d = (nodes[u].0 - nodes[j].0).hypot(nodes[u].1 - nodes[j].1);
                if d <= MAX_STREET_M && d < best[j].0 && line_on_land(dem, &[nodes[u], nodes[j]]) {
                    best[j] = (d, u);
                }
            }
        }
        let mut children = vec![Vec::new(); n];
        for j in 1..n {
            if parent[j] != usize::MAX {
                children[parent[j]].push(j);
            }
        }
        // Polylines: follow the first child, start a new line at every other child.
        let mut stack = vec![(0usize, vec![0usize])];
        while let Some((u, mut path)) = stack.pop() {
            let mut u = u;
            loop {
                let kids = &children[u];
                for &k in kids.iter().skip(1) {
                    stack.push((k, vec![u, k]));
                }
                match kids.first() {
                    Some(&k) => {
                        path.push(k);
                        u = k;
                    }
                    None => break,
                }
            }
            if path.len() >= 2 {
                streets.push((v, path.iter().map(|&i| nodes[i]).collect()));
            }
        }
    }
    streets
}

/// A move may only pass through mainland cells: every cell of the move's bounding block.
fn passable(grid: &LandGrid, i: usize, dc: isize, dr: isize) -> bool {
    for r in dr.min(0)..=dr.max(0) {
        for c in dc.min(0)..=dc.max(0) {
            match grid.offset(i, c, r) {
                Some(j) if grid.mainland[j] => {}
                _ => return false,
            }
        }
    }
    true
}

/// Travel cost of a move: length, times a penalty growing with the square of the
/// grade (7 % doubles it) and a milder one for height (roads keep low).
fn step_cost(grid: &LandGrid, i: usize, j: usize, dc: isize, dr: isize) -> f64 {
    let len = grid.cell_m * ((dc * dc + dr * dr) as f64).sqrt();
    let (hi, hj) = (grid.elevation[i], grid.elevation[j]);
    let grade = (hj - hi).abs() / len / 0.07;
    let high = 1.0 + (0.5 * (hi + hj)).max(0.0) / 250.0;
    len * (1.0 + grade * grade) * high
}

/// Length of a polyline, metres.
pub fn line_length(line: &[(f64, f64)]) -> f64 {
    line.windows(2)
        .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
        .sum()
}

/// Whether every point of the polyline, sampled every 10 m, is on land.
pub fn line_on_land(dem: &Dem, line: &[(f64, f64)]) -> bool {
    line.windows(2).all(|w| {
        let len = (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
        let steps = (len / 10.0).ceil().max(1.0) as usize;
        (0..=steps).all(|k| {
            let t = k as f64 / steps as f64;
            dem.is_land(
                w[0].0 + t * (w[1].0 - w[0].0),
                w[0].1 + t * (w[1].1 - w[0].1),
            )
        })
    })
}

/// Chaikin corner cutting (two rounds, ends kept) then Douglas-Peucker at 5 m;
/// falls back to the raw cell-centre line if smoothing would touch the sea.
fn smooth_on_land(dem: &Dem, raw: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut line = raw.to_vec();
    for _ in 0..2 {
        line = chaikin(&line);
    }
    let line = simplify(&line, 5.0);
    if line_on_land(dem, &line) {
        line
    } else {
        simplify(raw, 0.1)
    }
}

fn chaikin(line: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if line.len() < 3 {
        return line.to_vec();
    }
    let mut out = Vec::with_capacity(2 * line.len());
    out.push(line[0]);
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        out.push((0.75 * a.0 + 0.25 * b.0, 0.75 * a.1 + 0.25 * b.1));
        out.push((0.25 * a.0 + 0.75 * b.0, 0.25 * a.1 + 0.75 * b.1));
    }
    out.push(*line.last().expect("non-empty"));
    // The first and last cut points sit right next to the kept ends; drop them.
    out.remove(1);
    out.remove(out.len() - 2);
    out
}

/// Douglas-Peucker simplification with tolerance `tol` metres (ends kept).
pub fn simplify(line: &[(f64, f64)], tol: f64) -> Vec<(f64, f64)> {
    if line.len() < 3 {
        return line.to_vec();
    }
    let mut keep = vec![false; line.len()];
    keep[0] = true;
    keep[line.len() - 1] = true;
    let mut stack = vec![(0, line.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (pa, pb) = (line[a], line[b]);
        let (dx, dy) = (pb.0 - pa.0, pb.1 - pa.1);
        let len = dx.hypot(dy);
        let mut best = (0.0, 0);
        for (k, p) in line.iter().enumerate().take(b).skip(a + 1) {
            let d = if len == 0.0 {
                (p.0 - pa.0).hypot(p.1 - pa.1)
            } else {
                ((p.0 - pa.0) * dy - (p.1 - pa.1) * dx).abs() / len
            };
            if d > best.0 {
                best = (d, k);
            }
        }
        if best.0 > tol {
            keep[best.1] = true;
            stack.push((a, best.1));
            stack.push((best.1, b));
        }
    }
    line.iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| *p)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplify_drops_collinear_points_and_keeps_corners() {
        let line = [(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (2.0, 5.0)];
        assert_eq!(
            simplify(&line, 0.5),
            vec![(0.0, 0.0), (2.0, 0.0), (2.0, 5.0)]
        );
    }

    #[test]
    fn chaikin_keeps_ends() {
        let line = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0)];
        let c = chaikin(&line);
        assert_eq!(c.first(), Some(&(0.0, 0.0)));
        assert_eq!(c.last(), Some(&(4.0, 4.0)));
        assert_eq!(c, vec![(0.0, 0.0), (3.0, 0.0), (4.0, 1.0), (4.0, 4.0)]);
    }
}
