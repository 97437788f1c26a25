//! Candidate base-station sites: terrain high points, a regular grid,
//! existing structures and user lists, and the filters that drop unusable
//! ones (sea, steep ground, far from a road).
//!
//! All positions are in the DEM's projected CRS. Every generator returns its
//! candidates in a fixed order (row-major for grids) with stable ids, and
//! [`filter_candidates`] keeps that order, so results are deterministic.

use crate::{Crs, Dem, Error, FiberNetwork, Households, Result, fiber_coverage};

/// Where a candidate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CandidateSource {
    /// A terrain high point ([`high_points`]).
    HighPoint,
    /// A node of a regular grid ([`grid_candidates`]).
    Grid,
    /// An existing structure (tower, rooftop, existing site).
    Structure,
    /// A position given by the user.
    User,
}

/// A candidate site: id, position (DEM CRS) and origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Stable id (`hp-<row>-<col>`, `grid-<row>-<col>`, or the given id).
    pub id: String,
    /// Position in the DEM's projected CRS.
    pub xy: [f64; 2],
    /// Where the candidate comes from.
    pub source: CandidateSource,
}

/// Terrain high points: DEM cells that are higher than every other valid cell
/// within `radius_m` (centre distance) and at least `min_relief_m` above the
/// lowest valid cell within `radius_m`; in row-major order, ids `hp-<row>-<col>`.
///
/// The second test is *local relief* (the height range within a window, as in
/// the "relative relief" maps of geomorphometry), a simple, documented stand-in
/// for topographic prominence (which would need the key saddle, a global
/// computation): a peak passing it rises at least `min_relief_m` above some
/// point within `radius_m`, so it is at least that prominent within the
/// window. A flat top of equal cells yields its first cell in row-major order
/// only (ties go to the earlier cell), so a plateau gives one candidate.
/// Missing cells are ignored; the window is clipped at the DEM's edge.
///
/// Errors: `radius_m` not finite and > 0 or `min_relief_m` not finite and ≥ 0
/// ([`Error::InvalidParameter`]).
///
/// ```
/// use bbcov_core::{Crs, Dem, GeoTransform, high_points};
/// use ndarray::Array2;
/// // A cone peaking at cell (5, 5), 10 m cells.
/// let z = Array2::from_shape_fn((11, 11), |(r, c)| 100.0 - 5.0 * ((r as f32 - 5.0).hypot(c as f32 - 5.0)));
/// let dem = Dem::new(z, GeoTransform::new(0.0, 110.0, 10.0, 10.0), Crs::Projected { epsg: 6670 }, None)?;
/// let peaks = high_points(&dem, 30.0, 10.0)?;
/// assert_eq!(peaks.len(), 1);
/// assert_eq!((peaks[0].id.as_str(), peaks[0].xy), ("hp-5-5", [55.0, 55.0]));
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn high_points(dem: &Dem, radius_m: f64, min_relief_m: f64) -> Result<Vec<Candidate>> {
    if !(radius_m.is_finite() && radius_m > 0.0) {
        return Err(Error::InvalidParameter {
            name: "radius_m",
            value: radius_m,
            expected: "a finite radius > 0 m".into(),
        });
    }
    if !(min_relief_m.is_finite() && min_relief_m >= 0.0) {
        return Err(Error::InvalidParameter {
            name: "min_relief_m",
            value: min_relief_m,
            expected: "a finite height >= 0 m".into(),
        });
    }
    let t = dem.transform();
    let z = dem.heights();
    let (rows, cols) = (dem.rows(), dem.cols());
    let rr = ((radius_m / t.dy).floor() as usize).min(rows);
    let rc = ((radius_m / t.dx).floor() as usize).min(cols);
    let mut out = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            let h = z[(r, c)];
            if h.is_nan() {
                continue;
            }
            // Ties: an equal cell earlier in row-major order wins.
            let beats = |wr: usize, wc: usize| {
                let v = z[(wr, wc)];
                v > h || (v == h && (wr, wc) < (r, c))
            };
            // Cheap pre-test: a high point is at least a maximum of its 3 × 3
            // neighbourhood (when the radius reaches the neighbours).
            let near = |wr: usize, wc: usize| {
                ((wc as f64 - c as f64) * t.dx).hypot((wr as f64 - r as f64) * t.dy) <= radius_m
            };
            let neighbour_beats = (r.saturating_sub(1)..=(r + 1).min(rows - 1)).any(|wr| {
                (c.saturating_sub(1)..=(c + 1).min(cols - 1))
                    .any(|wc| (wr, wc) != (r, c) && near(wr, wc) && beats(wr, wc))
            });
            if neighbour_beats {
                continue;
            }
            let mut is_max = true;
            let mut lowest = h;
            'window: for wr in r.saturating_sub(rr)..=(r + rr).min(rows - 1) {
                for wc in c.saturating_sub(rc)..=(c + rc).min(cols - 1) {
                    if (wr, wc) == (r, c) {
                        continue;
                    }
                    let v = z[(wr, wc)];
                    if v.is_nan() || !near(wr, wc) {
                        continue;
                    }
                    if beats(wr, wc) {
                        is_max = false;
                        break 'window;
                    }
                    lowest = lowest.min(v);
                }
            }
            if is_max && f64::from(h - lowest) >= min_relief_m {
                out.push(Candidate {
                    id: format!("hp-{r}-{c}"),
                    xy: dem.cell_centre(r, c),
                    source: CandidateSource::HighPoint,
                });
            }
        }
    }
    Ok(out)
}

/// A regular grid of candidates over `bounds = [x_min, y_min, x_max, y_max]`:
/// the centres of `spacing_m` squares tiling the box from its north-west
/// corner (`x_min + (j + ½)·s`, `y_max − (i + ½)·s`, kept while inside the
/// box), row-major from the north-west, ids `grid-<i>-<j>`.
///
/// Errors: a non-finite or inverted box, a spacing not finite and > 0, or
/// more than 10⁷ nodes ([`Error::InvalidParameter`]).
///
/// ```
/// use bbcov_core::grid_candidates;
/// let g = grid_candidates([0.0, 0.0, 1000.0, 500.0], 500.0)?;
/// assert_eq!(g.iter().map(|c| c.xy).collect::<Vec<_>>(), [[250.0, 250.0], [750.0, 250.0]]);
/// assert_eq!(g[1].id, "grid-0-1");
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn grid_candidates(bounds: [f64; 4], spacing_m: f64) -> Result<Vec<Candidate>> {
    const MAX_NODES: f64 = 1e7;
    if !(spacing_m.is_finite() && spacing_m > 0.0) {
        return Err(Error::InvalidParameter {
            name: "spacing_m",
            value: spacing_m,
            expected: "a finite spacing > 0 m".into(),
        });
    }
    let [x0, y0, x1, y1] = bounds;
    if !(bounds.iter().all(|v| v.is_finite()) && x1 >= x0 && y1 >= y0) {
        return Err(Error::InvalidParameter {
            name: "bounds",
            value: f64::NAN,
            expected: format!(
                "finite [x_min, y_min, x_max, y_max] with min <= max, got {bounds:?}"
            ),
        });
    }
    let (nx, ny) = (
        ((x1 - x0) / spacing_m).floor(),
        ((y1 - y0) / spacing_m).floor(),
    );
    if nx * ny > MAX_NODES {
        return Err(Error::InvalidParameter {
            name: "spacing_m",
            value: spacing_m,
            expected: format!("a spacing giving at most {MAX_NODES} grid nodes"),
        });
    }
    let mut out = Vec::new();
    for i in 0..ny as usize {
        for j in 0..nx as usize {
            let xy = [
                x0 + (j as f64 + 0.5) * spacing_m,
                y1 - (i as f64 + 0.5) * spacing_m,
            ];
            out.push(Candidate {
                id: format!("grid-{i}-{j}"),
                xy,
                source: CandidateSource::Grid,
            });
        }
    }
    Ok(out)
}

/// Candidates from a list of positions (existing structures or user sites),
/// in input order; ids default to `<prefix>-<index>` with prefix `structure`
/// or `user`.
///
/// Errors: `ids` of another length ([`Error::LengthMismatch`]); a non-finite
/// coordinate ([`Error::InvalidCoordinate`]).
///
/// ```
/// use bbcov_core::{CandidateSource, listed_candidates};
/// let c = listed_candidates(&[[1.0, 2.0]], None, CandidateSource::Structure)?;
/// assert_eq!(c[0].id, "structure-0");
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn listed_candidates(
    positions: &[[f64; 2]],
    ids: Option<&[String]>,
    source: CandidateSource,
) -> Result<Vec<Candidate>> {
    if let Some(got) = ids.map(<[String]>::len).filter(|&n| n != positions.len()) {
        return Err(Error::LengthMismatch {
            what: "candidate ids".into(),
            expected: positions.len(),
            got,
        });
    }
    let prefix = match source {
        CandidateSource::HighPoint => "hp",
        CandidateSource::Grid => "grid",
        CandidateSource::Structure => "structure",
        CandidateSource::User => "user",
    };
    positions
        .iter()
        .enumerate()
        .map(|(i, &[x, y])| {
            let id = ids.map_or_else(|| format!("{prefix}-{i}"), |ids| ids[i].clone());
            if !(x.is_finite() && y.is_finite()) {
                return Err(Error::InvalidCoordinate {
                    layer: "candidates".into(),
                    index: i,
                    id: Some(id),
                    x,
                    y,
                    reason: "not finite",
                });
            }
            Ok(Candidate {
                id,
                xy: [x, y],
                source,
            })
        })
        .collect()
}

/// Slope (degrees) of DEM cell (`row`, `col`) by Horn's (1981) third-order
/// finite difference over the 3 × 3 neighbourhood a b c / d e f / g h i:
/// ∂z/∂x = ((c + 2f + i) − (a + 2d + g)) / (8·Δx),
/// ∂z/∂y = ((a + 2b + c) − (g + 2h + i)) / (8·Δy),
/// slope = atan(√((∂z/∂x)² + (∂z/∂y)²)) (B. K. P. Horn, "Hill shading and the
/// reflectance map", Proc. IEEE 69(1), 1981, pp. 14–47; the formula of GDAL's
/// `gdaldem slope` default). `None` on the DEM's edge or when a neighbour is
/// missing.
///
/// ```
/// use bbcov_core::{Crs, Dem, GeoTransform, slope_deg};
/// use ndarray::Array2;
/// // z = 0.1·x: a 10 % grade, atan(0.1) = 5.711°.
/// let z = Array2::from_shape_fn((3, 3), |(_, c)| c as f32 * 3.0);
/// let dem = Dem::new(z, GeoTransform::new(0.0, 90.0, 30.0, 30.0), Crs::Projected { epsg: 6670 }, None)?;
/// assert!((slope_deg(&dem, 1, 1).unwrap() - 5.7106).abs() < 1e-3);
/// assert_eq!(slope_deg(&dem, 0, 1), None);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn slope_deg(dem: &Dem, row: usize, col: usize) -> Option<f64> {
    if row == 0 || col == 0 || row + 1 >= dem.rows() || col + 1 >= dem.cols() {
        return None;
    }
    let z = |dr: usize, dc: usize| {
        dem.height_at_cell(row + dr - 1, col + dc - 1)
            .map(f64::from)
    };
    let (a, b, c) = (z(0, 0)?, z(0, 1)?, z(0, 2)?);
    let (d, f) = (z(1, 0)?, z(1, 2)?);
    let (g, h, i) = (z(2, 0)?, z(2, 1)?, z(2, 2)?);
    let t = dem.transform();
    let dzdx = ((c + 2.0 * f + i) - (a + 2.0 * d + g)) / (8.0 * t.dx);
    let dzdy = ((a + 2.0 * b + c) - (g + 2.0 * h + i)) / (8.0 * t.dy);
    Some(dzdx.hypot(dzdy).atan().to_degrees())
}

/// Filters of [`filter_candidates`]; `None` switches a filter off.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CandidateFilter {
    /// Keep only candidates on land: inside the DEM, ground (bilinear,
    /// [`Dem::sample`]) known and > 0 m.
    pub on_land: bool,
    /// Keep only candidates whose cell's slope ([`slope_deg`]) is known and ≤ this (degrees).
    pub max_slope_deg: Option<f64>,
    /// Keep only candidates at most this far (m) from a road (needs `roads`).
    pub max_road_distance_m: Option<f64>,
}

/// The candidates that pass every filter that is on, in input order.
///
/// Road distance is the exact planar distance to the nearest road segment,
/// computed by [`fiber_coverage`] with the roads as the network and the
/// candidates as households; the roads must be in the DEM's CRS.
///
/// Errors: a slope or distance limit not finite and ≥ 0, or a road filter
/// without `roads` ([`Error::InvalidParameter`]); CRS errors of the road
/// layer.
///
/// ```
/// use bbcov_core::{CandidateFilter, CandidateSource, Crs, Dem, FiberNetwork, GeoTransform, filter_candidates, listed_candidates};
/// use ndarray::array;
/// let crs = Crs::Projected { epsg: 6670 };
/// let dem = Dem::new(array![[0.0, 10.0, 10.0], [0.0, 10.0, 10.0], [0.0, 10.0, 10.0]], GeoTransform::new(0.0, 300.0, 100.0, 100.0), crs, None)?;
/// let c = listed_candidates(&[[50.0, 150.0], [150.0, 150.0], [250.0, 250.0]], None, CandidateSource::User)?;
/// let roads = FiberNetwork::new(crs, vec![vec![[0.0, 100.0], [300.0, 100.0]]], None)?;
/// let filter = CandidateFilter { on_land: true, max_slope_deg: None, max_road_distance_m: Some(100.0) };
/// let kept = filter_candidates(&c, &dem, Some(&roads), &filter)?;
/// assert_eq!(kept.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["user-1"]); // sea, land, too far
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn filter_candidates(
    candidates: &[Candidate],
    dem: &Dem,
    roads: Option<&FiberNetwork>,
    filter: &CandidateFilter,
) -> Result<Vec<Candidate>> {
    for (name, v) in [
        ("max_slope_deg", filter.max_slope_deg),
        ("max_road_distance_m", filter.max_road_distance_m),
    ] {
        if let Some(v) = v.filter(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(Error::InvalidParameter {
                name,
                value: v,
                expected: "a finite value >= 0".into(),
            });
        }
    }
    let mut keep = vec![true; candidates.len()];
    if filter.on_land {
        for (k, c) in keep.iter_mut().zip(candidates) {
            *k &= dem.sample(c.xy[0], c.xy[1]).is_ok_and(|h| h > 0.0);
        }
    }
    if let Some(max) = filter.max_slope_deg {
        for (k, c) in keep.iter_mut().zip(candidates) {
            *k &= dem
                .cell_of(c.xy[0], c.xy[1])
                .and_then(|(r, col)| slope_deg(dem, r, col))
                .is_some_and(|s| s <= max);
        }
    }
    if let Some(max) = filter.max_road_distance_m {
        let roads = roads.ok_or_else(|| Error::InvalidParameter {
            name: "max_road_distance_m",
            value: max,
            expected: "a road layer to measure the distance to".into(),
        })?;
        let distances = distances_to_network(candidates, dem.crs(), roads)?;
        for (k, d) in keep.iter_mut().zip(distances) {
            *k &= d <= max;
        }
    }
    Ok(candidates
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(c, _)| c.clone())
        .collect())
}

/// Exact distance (m) from each candidate to the nearest line of `network`
/// (via [`fiber_coverage`]); empty for no candidates.
pub(crate) fn distances_to_network(
    candidates: &[Candidate],
    crs: Crs,
    network: &FiberNetwork,
) -> Result<Vec<f64>> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let points = Households::new(crs, candidates.iter().map(|c| c.xy).collect(), None, None)?;
    Ok(fiber_coverage(&points, network, 0.0)?
        .distances_m()
        .to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GeoTransform;
    use ndarray::Array2;

    const CRS: Crs = Crs::Projected { epsg: 6670 };

    fn dem(z: Array2<f32>) -> Dem {
        Dem::new(z, GeoTransform::new(0.0, 1000.0, 10.0, 10.0), CRS, None).unwrap()
    }

    #[test]
    fn two_peaks_relief_and_radius() {
        // Flat 0 m with a 50 m peak at (3, 3) and a 20 m peak at (3, 8).
        let mut z = Array2::zeros((7, 12));
        z[(3, 3)] = 50.0;
        z[(3, 8)] = 20.0;
        let d = dem(z);
        let ids = |r, p| {
            high_points(&d, r, p)
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(20.0, 10.0), ["hp-3-3", "hp-3-8"]);
        assert_eq!(ids(20.0, 30.0), ["hp-3-3"]); // relief 20 m < 30 m
        assert_eq!(ids(60.0, 10.0), ["hp-3-3"]); // the 20 m peak sees the 50 m one within 60 m
        assert!(high_points(&d, 0.0, 1.0).is_err());
        assert!(high_points(&d, 10.0, f64::NAN).is_err());
    }

    #[test]
    fn plateau_gives_one_candidate_and_nan_is_skipped() {
        let mut z = Array2::zeros((5, 5));
        z[(2, 2)] = 30.0;
        z[(2, 3)] = 30.0;
        z[(0, 0)] = f32::NAN;
        let p = high_points(&dem(z), 15.0, 5.0).unwrap();
        assert_eq!(
            p.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["hp-2-2"]
        );
    }

    #[test]
    fn horn_slope_of_a_diagonal_plane() {
        // z = 100 + 0.3·x + 0.4·y (y north = −row; above the sea surface):
        // gradient 0.5, atan(0.5) = 26.565°.
        let z = Array2::from_shape_fn((3, 3), |(r, c)| {
            (100.0 + 0.3 * 10.0 * c as f64 - 0.4 * 10.0 * r as f64) as f32
        });
        let s = slope_deg(&dem(z), 1, 1).unwrap();
        assert!((s - 26.565_051).abs() < 1e-4, "{s}");
        let mut z = Array2::zeros((3, 3));
        z[(0, 0)] = f32::NAN;
        assert_eq!(slope_deg(&dem(z), 1, 1), None);
    }

    #[test]
    fn filters_keep_order_and_check_parameters() {
        let z = Array2::from_shape_fn((10, 10), |(_, c)| {
            if c < 3 {
                0.0
            } else {
                5.0 + 100.0 * f32::from(c >= 7) * (c as f32 - 7.0)
            }
        });
        let d = dem(z);
        let c = grid_candidates(d.bounds(), 20.0).unwrap();
        assert_eq!(c.len(), 25);
        let land = filter_candidates(
            &c,
            &d,
            None,
            &CandidateFilter {
                on_land: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(land.iter().all(|c| c.xy[0] >= 30.0) && land.len() == 20);
        let flat = filter_candidates(
            &c,
            &d,
            None,
            &CandidateFilter {
                max_slope_deg: Some(5.0),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(flat.iter().all(|c| c.xy[0] < 70.0) && !flat.is_empty());
        let bad = CandidateFilter {
            max_road_distance_m: Some(10.0),
            ..Default::default()
        };
        assert!(filter_candidates(&c, &d, None, &bad).is_err());
        let bad = CandidateFilter {
            max_slope_deg: Some(-1.0),
            ..Default::default()
        };
        assert!(filter_candidates(&c, &d, None, &bad).is_err());
        assert!(grid_candidates([0.0, 0.0, -1.0, 1.0], 1.0).is_err());
        assert!(listed_candidates(&[[f64::NAN, 0.0]], None, CandidateSource::User).is_err());
        assert!(listed_candidates(&[[0.0, 0.0]], Some(&[]), CandidateSource::User).is_err());
    }
}
