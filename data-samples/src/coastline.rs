//! Land polygons from the DEM's 0 m contour by marching squares (linear
//! interpolation along cell edges, saddles resolved by the cell-centre mean),
//! simplified with Douglas-Peucker.

use std::collections::HashMap;

use crate::roads::simplify;
use crate::terrain::{Dem, SEA};

/// One land polygon in EPSG:6670: the exterior ring (counter-clockwise) then holes
/// (clockwise); rings are closed (first vertex repeated last).
#[derive(Debug, Clone, PartialEq)]
pub struct LandPolygon {
    /// Island index of the land it encloses (`None` for a rock outside any island's shape).
    pub island: Option<usize>,
    /// Exterior ring then holes.
    pub rings: Vec<Vec<(f64, f64)>>,
    /// Area in square metres (exterior minus holes).
    pub area_m2: f64,
}

/// Traces the 0 m contour of `dem` into land polygons, simplified with `tolerance_m`,
/// dropping polygons smaller than `min_area_m2`.
pub fn land_polygons(dem: &Dem, tolerance_m: f64, min_area_m2: f64) -> Vec<LandPolygon> {
    let (w, h) = (dem.width as isize, dem.height as isize);
    // Values outside the grid count as sea, so every contour closes.
    let z = |c: isize, r: isize| -> f64 {
        if c < 0 || r < 0 || c >= w || r >= h {
            -1.0
        } else {
            dem.at(c as usize, r as usize) as f64
        }
    };
    let point = |c: f64, r: f64| {
        (
            dem.origin.0 + (c + 0.5) * dem.pixel_m,
            dem.origin.1 - (r + 0.5) * dem.pixel_m,
        )
    };
    // Edge keys: horizontal edge from node (c, r) to (c + 1, r), vertical from (c, r) to (c, r + 1).
    let key = |c: isize, r: isize, vertical: bool| {
        (((r + 1) * (w + 2) + (c + 1)) as usize) * 2 + vertical as usize
    };
    // Crossing on an edge between node a (value za) and b (value zb), as (point, land node).
    let crossing = |(ca, ra): (isize, isize), (cb, rb): (isize, isize)| {
        let (za, zb) = (z(ca, ra), z(cb, rb));
        let t = (za / (za - zb)).clamp(0.001, 0.999);
        let p = point(
            ca as f64 + t * (cb - ca) as f64,
            ra as f64 + t * (rb - ra) as f64,
        );
        let land = if za > 0.0 { (ca, ra) } else { (cb, rb) };
        (p, land)
    };
    // Oriented segments: start edge key -> (end edge key, start point, land node of the start edge).
    let mut next: HashMap<usize, (usize, (f64, f64))> = HashMap::new();
    let mut land_node: HashMap<usize, (isize, isize)> = HashMap::new();
    for r in -1..h {
        for c in -1..w {
            let corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)]; // TL TR BR BL
            let land: Vec<bool> = corners.iter().map(|&(cc, rr)| z(cc, rr) > 0.0).collect();
            let n_land = land.iter().filter(|&&l| l).count();
            if n_land == 0 || n_land == 4 {
                continue;
            }
            // Edges: top (TL-TR), right (TR-BR), bottom (BL-BR), left (TL-BL).
            let edges = [
                (key(c, r, false), corners[0], corners[1]),
                (key(c + 1, r, true), corners[1], corners[2]),
                (key(c, r + 1, false), corners[3], corners[2]),
                (key(c, r, true), corners[0], corners[3]),
            ];
            let crosses = |e: usize| land[CORNERS_OF_EDGE[e].0] != land[CORNERS_OF_EDGE[e].1];
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            let crossing_edges: Vec<usize> = (0..4).filter(|&e| crosses(e)).collect();
            if crossing_edges.len() == 2 {
                pairs.push((crossing_edges[0], crossing_edges[1]));
            } else {
                // Saddle: cut off the corners of the minority type at the cell centre.
                let centre_land = corners.iter().map(|&(cc, rr)| z(cc, rr)).sum::<f64>() > 0.0;
                for k in 0..4 {
                    if land[k] != centre_land {
                        pairs.push(EDGES_OF_CORNER[k]);
                    }
                }
            }
            for (e1, e2) in pairs {
                let (p1, l1) = crossing(edges[e1].1, edges[e1].2);
                let (p2, l2) = crossing(edges[e2].1, edges[e2].2);
                let lp = point(l1.0 as f64, l1.1 as f64);
                // Land on the left (y up): cross((p2 - p1), (L1 - p1)) > 0.
                let cross = (p2.0 - p1.0) * (lp.1 - p1.1) - (p2.1 - p1.1) * (lp.0 - p1.0);
                let (k1, k2) = (edges[e1].0, edges[e2].0);
                if cross > 0.0 {
                    next.insert(k1, (k2, p1));
                    land_node.insert(k1, l1);
                } else {
                    next.insert(k2, (k1, p2));
                    land_node.insert(k2, l2);
                }
            }
        }
    }
    // Link segments into rings, in a deterministic order.
    let mut starts: Vec<usize> = next.keys().copied().collect();
    starts.sort_unstable();
    let mut seen = std::collections::HashSet::new();
    // (ring, a land node next to its first vertex)
    let mut rings: Vec<(Ring, (isize, isize))> = Vec::new();
    for s in starts {
        if seen.contains(&s) {
            continue;
        }
        let mut ring = Vec::new();
        let mut k = s;
        while seen.insert(k) {
            let Some(&(to, p)) = next.get(&k) else { break };
            ring.push(p);
            k = to;
        }
        if ring.len() >= 3 {
            ring.push(ring[0]);
            rings.push((ring, land_node[&s]));
        }
    }
    // Exteriors (counter-clockwise, positive area) get the holes that lie inside them.
    let mut polygons: Vec<LandPolygon> = Vec::new();
    let mut holes = Vec::new();
    for (ring, node) in rings {
        let area = signed_area(&ring);
        let ring = simplify(&ring, tolerance_m);
        if ring.len() < 4 {
            continue;
        }
        if area > 0.0 {
            let id = dem.island[node.1 as usize * dem.width + node.0 as usize];
            polygons.push(LandPolygon {
                island: (id != SEA).then_some(id as usize),
                rings: vec![ring],
                area_m2: area,
            });
        } else {
            holes.push((ring, area));
        }
    }
    for (hole, area) in holes {
        let probe = hole[0];
        // The smallest exterior containing the hole.
        let owner = polygons
            .iter_mut()
            .filter(|p| contains(&p.rings[0], probe))
            .min_by(|a, b| a.area_m2.total_cmp(&b.area_m2));
        if let Some(p) = owner {
            p.rings.push(hole);
            p.area_m2 += area;
        }
    }
    polygons.retain(|p| p.area_m2 >= min_area_m2);
    polygons.sort_by(|a, b| b.area_m2.total_cmp(&a.area_m2));
    polygons
}

/// A closed ring of vertices.
type Ring = Vec<(f64, f64)>;

/// Corner indices (TL 0, TR 1, BR 2, BL 3) at the ends of edges top, right, bottom, left.
const CORNERS_OF_EDGE: [(usize, usize); 4] = [(0, 1), (1, 2), (3, 2), (0, 3)];
/// The two edges meeting at each corner.
const EDGES_OF_CORNER: [(usize, usize); 4] = [(0, 3), (0, 1), (1, 2), (2, 3)];

/// Shoelace area of a closed ring (positive when counter-clockwise with y up).
pub fn signed_area(ring: &[(f64, f64)]) -> f64 {
    0.5 * ring
        .windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum::<f64>()
}

/// Even-odd point-in-ring test.
pub fn contains(ring: &[(f64, f64)], p: (f64, f64)) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.1 > p.1) != (b.1 > p.1) && p.0 < a.0 + (p.1 - a.1) / (b.1 - a.1) * (b.0 - a.0) {
            inside = !inside;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square_dem(values: Vec<f32>, n: usize) -> Dem {
        Dem {
            width: n,
            height: n,
            pixel_m: 10.0,
            origin: (0.0, 100.0),
            island: values
                .iter()
                .map(|&v| if v > 0.0 { 0 } else { SEA })
                .collect(),
            elevation: values,
        }
    }

    #[test]
    fn single_land_pixel_gives_one_ccw_diamond() {
        let mut v = vec![-1.0f32; 25];
        v[12] = 1.0;
        let polys = land_polygons(&square_dem(v, 5), 0.0, 0.0);
        assert_eq!(polys.len(), 1);
        let ring = &polys[0].rings[0];
        assert_eq!(ring.len(), 5);
        assert!(signed_area(ring) > 0.0);
        // Centre pixel (2, 2) is at (25, 75); crossings half way to its neighbours.
        assert!(contains(ring, (25.0, 75.0)));
        assert!((polys[0].area_m2 - 50.0).abs() < 1e-9);
        assert_eq!(polys[0].island, Some(0));
    }

    #[test]
    fn lake_becomes_a_hole() {
        let n = 7;
        let mut v = vec![-1.0f32; n * n];
        for r in 1..6 {
            for c in 1..6 {
                v[r * n + c] = 1.0;
            }
        }
        v[3 * n + 3] = -1.0;
        let polys = land_polygons(&square_dem(v, n), 0.0, 0.0);
        assert_eq!(polys.len(), 1);
        assert_eq!(polys[0].rings.len(), 2);
        assert!(signed_area(&polys[0].rings[1]) < 0.0);
    }
}
