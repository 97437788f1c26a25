//! The rays of a radial sweep around a site (Franklin & Ray's R2 layout, as
//! in [`viewshed`](crate::viewshed())): which cells each ray owns, and the
//! terrain it crosses.
//!
//! The window around the site's cell is split into four wedges (east, west,
//! south, north); in each, rays advance one cell along the major axis per
//! step and go to minor offsets j = −a..=a at the wedge's extent a. At major
//! step m ray j is at minor position m·j/a, tracked exactly in integers
//! (j·m = q·a + r, 0 ≤ r < a). A cell at (m, cy) belongs to the ray
//! round(cy·a/m) (half away from zero), the ray that passes nearest to its
//! centre; east and west hold the diagonals |cy| = m, so every cell of the
//! window but the site's own belongs to exactly one ray.

use crate::{Dem, Error, Result};

/// One ray: its wedge and its minor offset at the wedge's edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ray {
    wedge: u8,
    j: i32,
}

/// A wedge of rays.
#[derive(Debug, Clone, Copy)]
struct Wedge {
    /// (row, column) step of one major / minor step.
    major: (i64, i64),
    minor: (i64, i64),
    /// Metres per major / minor step.
    major_m: f64,
    minor_m: f64,
    /// Major steps to the window's edge.
    extent: i64,
    /// Minor offsets inside the window (negative side, positive side).
    window_minor: (i64, i64),
    /// Minor offsets inside the DEM.
    dem_minor: (i64, i64),
    /// Whether |minor| = major belongs to this wedge.
    diagonals: bool,
}

/// The cell a ray owns on one grid line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OwnedCell {
    /// DEM row and column.
    pub(crate) row: usize,
    pub(crate) col: usize,
    /// Offset of its centre from the site's cell centre (m).
    pub(crate) east_m: f64,
    pub(crate) north_m: f64,
}

/// What a ray meets at one major step m.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Step {
    /// Major step (1 = the grid line next to the site).
    pub(crate) m: usize,
    /// Terrain height where the ray crosses this grid line (linear between
    /// the two nearest cell centres on it); NaN when a touched cell is missing.
    pub(crate) crossing: f64,
    /// A missing cell the crossing touches.
    pub(crate) missing_cell: Option<(usize, usize)>,
    /// The cell on this grid line that the ray owns, if within the radius.
    pub(crate) cell: Option<OwnedCell>,
}

/// The rays around one site on one DEM, and the window they cover.
#[derive(Debug, Clone)]
pub(crate) struct Radials {
    /// DEM (row, column) of the site's cell.
    pub(crate) site: (usize, usize),
    /// DEM (row, column) of the window's north-west cell, and its shape.
    pub(crate) window_origin: (usize, usize),
    pub(crate) window_shape: (usize, usize),
    radius_m: f64,
    cols: usize,
    wedges: [Wedge; 4],
    pub(crate) rays: Vec<Ray>,
}

impl Radials {
    /// The window of cells whose centres lie within `radius_m` of the site's
    /// cell centre, and its rays. When it does not fit in the DEM: an error
    /// naming the largest radius that fits, or with `clip` the part inside.
    pub(crate) fn new(dem: &Dem, site: (usize, usize), radius_m: f64, clip: bool) -> Result<Self> {
        if !(radius_m.is_finite() && radius_m > 0.0) {
            return Err(Error::InvalidParameter {
                name: "radius_m",
                value: radius_m,
                expected: "a finite radius > 0 m".into(),
            });
        }
        let t = dem.transform();
        let (rows, cols) = (dem.rows(), dem.cols());
        let (or, oc) = site;
        // Cells whose centre can lie within the radius: floor(r / pixel) each
        // way; the window reaches ceil(r / pixel) where the DEM allows, as
        // the viewshed's does, so that both trace the same rays.
        let reach = |d: f64, round: fn(f64) -> f64| round(radius_m / d).min(1e15) as usize;
        let (need_r, need_c) = (reach(t.dy, f64::floor), reach(t.dx, f64::floor));
        let (reach_r, reach_c) = (reach(t.dy, f64::ceil), reach(t.dx, f64::ceil));
        let room = [(or, t.dy, "north"), (rows - 1 - or, t.dy, "south"), (oc, t.dx, "west"), (cols - 1 - oc, t.dx, "east")];
        let (north, south) = (or.min(reach_r), (rows - 1 - or).min(reach_r));
        let (west, east) = (oc.min(reach_c), (cols - 1 - oc).min(reach_c));
        if !clip && (north.min(south) < need_r || west.min(east) < need_c) {
            let (cells, pixel, side) = room
                .iter()
                .copied()
                .min_by(|a, b| (a.0 as f64 * a.1).total_cmp(&(b.0 as f64 * b.1)))
                .unwrap_or((0, 1.0, "north"));
            return Err(Error::InvalidParameter {
                name: "radius_m",
                value: radius_m,
                expected: format!(
                    "a radius the DEM holds around the site: its cell is {cells} cells ({} m) from the DEM's {side} \
                     edge; extend the DEM, reduce the radius or clip the map to the DEM (`clip_to_dem`)",
                    cells as f64 * pixel
                ),
            });
        }
        let wedge = |major, minor, major_m, minor_m, extent: usize, window_minor, dem_minor, diagonals| Wedge {
            major,
            minor,
            major_m,
            minor_m,
            extent: extent as i64,
            window_minor,
            dem_minor,
            diagonals,
        };
        let dem_rows = (or as i64, (rows - 1 - or) as i64);
        let dem_cols = (oc as i64, (cols - 1 - oc) as i64);
        let (win_rows, win_cols) = ((north as i64, south as i64), (west as i64, east as i64));
        let wedges = [
            wedge((0, 1), (1, 0), t.dx, t.dy, east, win_rows, dem_rows, true),
            wedge((0, -1), (1, 0), t.dx, t.dy, west, win_rows, dem_rows, true),
            wedge((1, 0), (0, 1), t.dy, t.dx, south, win_cols, dem_cols, false),
            wedge((-1, 0), (0, 1), t.dy, t.dx, north, win_cols, dem_cols, false),
        ];
        let rays = wedges
            .iter()
            .enumerate()
            .flat_map(|(w, wedge)| {
                let a = wedge.extent as i32;
                (-a..=a).filter(move |_| a > 0).map(move |j| Ray { wedge: w as u8, j })
            })
            .collect();
        Ok(Radials {
            site,
            window_origin: (or - north, oc - west),
            window_shape: (north + south + 1, west + east + 1),
            radius_m,
            cols,
            wedges,
            rays,
        })
    }

    /// Length (m) of one major step along `ray`.
    pub(crate) fn step_m(&self, ray: Ray) -> f64 {
        let w = &self.wedges[ray.wedge as usize];
        (ray.j as f64 / w.extent as f64 * w.minor_m).hypot(w.major_m)
    }

    /// Most major steps of any ray (the largest wedge extent).
    pub(crate) fn max_steps(&self) -> usize {
        self.wedges.iter().map(|w| w.extent as usize).max().unwrap_or(0)
    }

    /// Walks `ray` outwards over the heights `z` (the DEM's row-major data),
    /// calling `visit` at every major step until the ray leaves the window or
    /// the radius.
    pub(crate) fn trace(&self, z: &[f32], ray: Ray, mut visit: impl FnMut(&Step) -> Result<()>) -> Result<()> {
        let w = &self.wedges[ray.wedge as usize];
        let (a, j) = (w.extent, ray.j as i64);
        let (site_row, site_col) = (self.site.0 as i64, self.site.1 as i64);
        let radius2 = self.radius_m * self.radius_m;
        let inv_a = 1.0 / a as f64;
        // A cell owned at step m is within half a minor step of the ray's point there.
        let (step_m, half_minor) = (self.step_m(ray), 0.5 * w.minor_m);
        let (mut q, mut r) = (0i64, 0i64);
        for m in 1..=a {
            r += j;
            if r >= a {
                r -= a;
                q += 1;
            } else if r < 0 {
                r += a;
                q -= 1;
            }
            // The nearest cell: j·m / a rounded half away from zero.
            let cy = if 2 * r > a || (2 * r == a && q >= 0) { q + 1 } else { q };
            let mf = m as f64;
            if cy < -w.window_minor.0 || cy > w.window_minor.1 || mf * step_m - half_minor > self.radius_m {
                break;
            }
            let cell_at = |c: i64| {
                let row = site_row + m * w.major.0 + c * w.minor.0;
                let col = site_col + m * w.major.1 + c * w.minor.1;
                (row as usize, col as usize)
            };
            // Owned if round(cy·a / m) = j (half away from zero); cy·a/m − j = e / 2m.
            let e = 2 * ((cy - q) * a - r);
            let in_wedge = if w.diagonals { cy.abs() <= m } else { cy.abs() < m };
            let mut cell = None;
            if in_wedge && (e.abs() < m || (e == m && j < 0) || (e == -m && j > 0)) {
                let (along, across) = (mf * w.major_m, cy as f64 * w.minor_m);
                if along * along + across * across <= radius2 {
                    let (row, col) = cell_at(cy);
                    let east_m = (col as f64 - site_col as f64) * if w.major.1 != 0 { w.major_m } else { w.minor_m };
                    let south_m = (row as f64 - site_row as f64) * if w.major.0 != 0 { w.major_m } else { w.minor_m };
                    cell = Some(OwnedCell { row, col, east_m, north_m: -south_m });
                }
            }
            // The terrain where the ray crosses this grid line.
            let height = |c: i64| {
                let (row, col) = cell_at(c);
                (z[row * self.cols + col], (row, col))
            };
            let (crossing, missing_cell) = if r == 0 || q + 1 > w.dem_minor.1 {
                let (h, rc) = height(q);
                (h as f64, h.is_nan().then_some(rc))
            } else if q < -w.dem_minor.0 {
                let (h, rc) = height(q + 1);
                (h as f64, h.is_nan().then_some(rc))
            } else {
                let ((h0, rc0), (h1, rc1)) = (height(q), height(q + 1));
                let (h0, h1) = (h0 as f64, h1 as f64);
                let missing = if h0.is_nan() { Some(rc0) } else if h1.is_nan() { Some(rc1) } else { None };
                (h0 + (h1 - h0) * (r as f64 * inv_a), missing)
            };
            visit(&Step { m: m as usize, crossing, missing_cell, cell })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Crs, GeoTransform};
    use ndarray::Array2;

    fn dem(rows: usize, cols: usize, dx: f64, dy: f64) -> Dem {
        Dem::new(Array2::zeros((rows, cols)), GeoTransform::new(0.0, 1e5, dx, dy), Crs::Projected { epsg: 32652 }, None)
            .unwrap()
    }

    /// Every cell within the radius but the site's is owned by exactly one ray.
    #[test]
    fn every_cell_in_range_is_owned_once() {
        for (rows, cols, dx, dy, radius) in [
            (21, 21, 10.0, 10.0, 100.0),
            (31, 41, 10.0, 10.0, 150.0),
            (41, 25, 30.0, 10.0, 200.0),
            (25, 41, 10.0, 30.0, 200.0),
            (9, 9, 10.0, 10.0, 1e4),
        ] {
            let d = dem(rows, cols, dx, dy);
            for site in [(rows / 2, cols / 2), (0, 0), (rows - 1, cols / 3), (2, cols - 1)] {
                let plan = Radials::new(&d, site, radius, true).unwrap();
                let mut owned = Array2::<u32>::zeros((rows, cols));
                for &ray in &plan.rays {
                    plan.trace(d.data(), ray, |s| {
                        if let Some(c) = s.cell {
                            owned[(c.row, c.col)] += 1;
                            let (e, n) = ((c.col as f64 - site.1 as f64) * dx, (site.0 as f64 - c.row as f64) * dy);
                            assert_eq!((c.east_m, c.north_m), (e, n));
                        }
                        Ok(())
                    })
                    .unwrap();
                }
                for ((r, c), &n) in owned.indexed_iter() {
                    let dist = ((r as f64 - site.0 as f64) * dy).hypot((c as f64 - site.1 as f64) * dx);
                    let expected = u32::from(dist <= radius && (r, c) != site);
                    assert_eq!(n, expected, "{rows}x{cols} {dx}x{dy} site {site:?} r {radius}: cell ({r}, {c})");
                }
            }
        }
    }

    #[test]
    fn window_must_fit_unless_clipped() {
        let d = dem(21, 21, 10.0, 10.0);
        let plan = Radials::new(&d, (10, 10), 100.0, false).unwrap();
        assert_eq!((plan.window_origin, plan.window_shape), ((0, 0), (21, 21)));
        let plan = Radials::new(&d, (10, 10), 55.0, false).unwrap();
        assert_eq!((plan.window_origin, plan.window_shape), ((4, 4), (13, 13)));
        // 8 cells from the edge hold a 85 m radius (the 9th ring is beyond it).
        let plan = Radials::new(&d, (8, 10), 85.0, false).unwrap();
        assert_eq!((plan.window_origin, plan.window_shape), ((0, 1), (18, 19)));
        let e = Radials::new(&d, (3, 10), 100.0, false).unwrap_err();
        assert!(e.to_string().contains("3 cells (30 m) from the DEM's north edge"), "{e}");
        let plan = Radials::new(&d, (3, 10), 100.0, true).unwrap();
        assert_eq!((plan.window_origin, plan.window_shape), ((0, 0), (14, 21)));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(Radials::new(&d, (10, 10), bad, true).is_err());
        }
    }

    /// Along an axis the crossings are the cell heights themselves; half-way
    /// between two centres they are the mean.
    #[test]
    fn crossings_interpolate_between_centres() {
        let z = Array2::from_shape_fn((5, 9), |(r, c)| (10 * r + c) as f32);
        let d = Dem::new(z, GeoTransform::new(0.0, 50.0, 10.0, 10.0), Crs::Projected { epsg: 32652 }, None).unwrap();
        let plan = Radials::new(&d, (2, 4), 40.0, true).unwrap();
        let east = plan.rays.iter().copied().find(|r| r.wedge == 0 && r.j == 0).unwrap();
        let mut seen = vec![];
        plan.trace(d.data(), east, |s| {
            seen.push(s.crossing);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [25.0, 26.0, 27.0, 28.0]);
        // East wedge extent 4; ray j = 2 is at minor 0.5 after one step: between rows 2 and 3.
        let ray = plan.rays.iter().copied().find(|r| r.wedge == 0 && r.j == 2).unwrap();
        let mut first = None;
        plan.trace(d.data(), ray, |s| {
            first.get_or_insert(s.crossing);
            Ok(())
        })
        .unwrap();
        assert_eq!(first, Some(30.0));
        assert!((plan.step_m(ray) - 10.0f64.hypot(5.0)).abs() < 1e-12);
    }
}
