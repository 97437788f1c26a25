//! The synthetic digital elevation model: island relief (ridges, valleys,
//! coastal plains) and bathymetry, on a north-up grid in EPSG:6670.

use rayon::prelude::*;

use crate::archipelago::{self, Island};
use crate::noise::Noise;

/// Code of sea pixels in [`Dem::island`].
pub const SEA: u8 = u8::MAX;
/// Nodata value declared in the GeoTIFF (never used inside the grid).
pub const NODATA: f32 = -9999.0;

/// An elevation grid (metres, sea negative) with the island id of every land pixel.
#[derive(Debug, Clone, PartialEq)]
pub struct Dem {
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Pixel size in metres (square pixels).
    pub pixel_m: f64,
    /// Upper-left corner (easting, northing) in EPSG:6670.
    pub origin: (f64, f64),
    /// Elevations, row-major from the north-west corner, in metres; land > 0, sea < 0.
    pub elevation: Vec<f32>,
    /// Island index of each land pixel (into [`archipelago::islands`]), [`SEA`] for sea.
    pub island: Vec<u8>,
}

impl Dem {
    /// Generates the archipelago's terrain for `seed` at `pixel_m` resolution.
    pub fn generate(islands: &[Island], seed: u64, pixel_m: f64) -> Dem {
        let width = (archipelago::WIDTH_M / pixel_m).round() as usize;
        let height = (archipelago::HEIGHT_M / pixel_m).round() as usize;
        let origin = archipelago::ORIGIN;
        let model = Relief::new(islands, seed);
        let centre = archipelago::centre();
        let mut elevation = vec![0f32; width * height];
        let mut island = vec![SEA; width * height];
        elevation
            .par_chunks_mut(width)
            .zip(island.par_chunks_mut(width))
            .enumerate()
            .for_each(|(row, (elev_row, island_row))| {
                let y_km = (origin.1 - (row as f64 + 0.5) * pixel_m - centre.1) / 1000.0;
                for col in 0..width {
                    let x_km = (origin.0 + (col as f64 + 0.5) * pixel_m - centre.0) / 1000.0;
                    let (h, id) = model.at(x_km, y_km);
                    elev_row[col] = h;
                    island_row[col] = id;
                }
            });
        Dem {
            width,
            height,
            pixel_m,
            origin,
            elevation,
            island,
        }
    }

    /// GDAL geotransform (north-up).
    pub fn geo_transform(&self) -> [f64; 6] {
        [
            self.origin.0,
            self.pixel_m,
            0.0,
            self.origin.1,
            0.0,
            -self.pixel_m,
        ]
    }

    /// Centre of pixel (col, row) in EPSG:6670.
    pub fn pixel_centre(&self, col: usize, row: usize) -> (f64, f64) {
        (
            self.origin.0 + (col as f64 + 0.5) * self.pixel_m,
            self.origin.1 - (row as f64 + 0.5) * self.pixel_m,
        )
    }

    /// Elevation of pixel (col, row).
    pub fn at(&self, col: usize, row: usize) -> f32 {
        self.elevation[row * self.width + col]
    }

    /// Bilinear elevation at (x, y) in EPSG:6670; outside the grid, the nearest edge value.
    pub fn sample(&self, x: f64, y: f64) -> f64 {
        let fx = ((x - self.origin.0) / self.pixel_m - 0.5).clamp(0.0, (self.width - 1) as f64);
        let fy = ((self.origin.1 - y) / self.pixel_m - 0.5).clamp(0.0, (self.height - 1) as f64);
        let (c0, r0) = (fx.floor() as usize, fy.floor() as usize);
        let (c1, r1) = ((c0 + 1).min(self.width - 1), (r0 + 1).min(self.height - 1));
        let (tx, ty) = (fx - c0 as f64, fy - r0 as f64);
        let v = |c: usize, r: usize| self.at(c, r) as f64;
        let top = v(c0, r0) + tx * (v(c1, r0) - v(c0, r0));
        let bottom = v(c0, r1) + tx * (v(c1, r1) - v(c0, r1));
        top + ty * (bottom - top)
    }

    /// Whether (x, y) is land (bilinear elevation above 0 m).
    pub fn is_land(&self, x: f64, y: f64) -> bool {
        self.sample(x, y) > 0.0
    }

    /// Pixel (col, row) containing (x, y), if inside the grid.
    pub fn pixel_of(&self, x: f64, y: f64) -> Option<(usize, usize)> {
        let fx = (x - self.origin.0) / self.pixel_m;
        let fy = (self.origin.1 - y) / self.pixel_m;
        (fx >= 0.0 && fy >= 0.0 && fx < self.width as f64 && fy < self.height as f64)
            .then_some((fx as usize, fy as usize))
    }

    /// Island index at (x, y) (nearest pixel), `None` at sea or outside.
    pub fn island_at(&self, x: f64, y: f64) -> Option<usize> {
        let (c, r) = self.pixel_of(x, y)?;
        let id = self.island[r * self.width + c];
        (id != SEA).then_some(id as usize)
    }

    /// Terrain slope (rise over run) at (x, y), by central differences one pixel apart.
    pub fn slope(&self, x: f64, y: f64) -> f64 {
        let d = self.pixel_m;
        let gx = (self.sample(x + d, y) - self.sample(x - d, y)) / (2.0 * d);
        let gy = (self.sample(x, y + d) - self.sample(x, y - d)) / (2.0 * d);
        (gx * gx + gy * gy).sqrt()
    }

    /// Lowest and highest elevation.
    pub fn range(&self) -> (f32, f32) {
        self.elevation
            .iter()
            .fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)))
    }

    /// Share of pixels that are land.
    pub fn land_fraction(&self) -> f64 {
        self.elevation.iter().filter(|&&v| v > 0.0).count() as f64 / self.elevation.len() as f64
    }
}

/// The relief model: island shape fields, their mountain profile and the sea floor.
struct Relief<'a> {
    islands: &'a [Island],
    warp_x: Noise,
    warp_y: Noise,
    coast: Noise,
    ridges: Noise,
    hills: Noise,
    seabed: Noise,
}

impl<'a> Relief<'a> {
    fn new(islands: &'a [Island], seed: u64) -> Self {
        let n = |k: u64| Noise::new(seed.wrapping_mul(31).wrapping_add(k));
        Relief {
            islands,
            warp_x: n(1),
            warp_y: n(2),
            coast: n(3),
            ridges: n(4),
            hills: n(5),
            seabed: n(6),
        }
    }

    /// Elevation (quantised to 1/16 m, land >= 0.5 m, sea <= -0.5 m) and island id at
    /// (x, y) km from the box centre.
    fn at(&self, x: f64, y: f64) -> (f32, u8) {
        // Domain warp (large bays and headlands) and fine coastline detail shared by all islands.
        let wx = self.warp_x.fbm(x / 5.0, y / 5.0, 4);
        let wy = self.warp_y.fbm(x / 5.0, y / 5.0, 4);
        let detail = self.coast.fbm(x / 1.5, y / 1.5, 5);
        // Ridges and valleys; they also shape the coast: ridges run out into headlands,
        // valleys drown into inlets (a ria coast).
        let ridge = self.ridges.ridged(x / 3.5, y / 3.5, 6);
        let indent = 0.32 * (ridge - 0.4) + 0.12 * detail;
        // Shape field: about 1 at an island's centre, 0 on its coast, negative at sea.
        let (mut shape, mut id) = (f64::MIN, 0usize);
        for (i, isl) in self.islands.iter().enumerate() {
            let dx = x + isl.warp_km * wx - isl.centre_km.0;
            let dy = y + isl.warp_km * wy - isl.centre_km.1;
            let (ux, uy) = isl.major_axis;
            let u = (dx * ux + dy * uy) / isl.semi_axes_km.0;
            let v = (-dx * uy + dy * ux) / isl.semi_axes_km.1;
            let s = 1.0 - (u * u + v * v).sqrt() + indent;
            if s > shape {
                (shape, id) = (s, i);
            }
        }
        let h = if shape > 0.0 {
            let relief = self.islands[id].relief_m;
            // Coastal plain: the mountain profile only starts a little inland.
            let p = ((shape - 0.04) / 0.85).clamp(0.0, 1.0);
            let massif = relief * p * p.sqrt() * (0.22 + 0.95 * ridge);
            let hills = 35.0 * p.sqrt() * self.hills.fbm(x / 0.8, y / 0.8, 5);
            let plain = 1.5 + 30.0 * shape.min(0.3);
            (plain + massif + hills).max(0.5)
        } else {
            // Sea floor: deepens away from the coast towards a shelf of 80-100 m.
            let t = -shape * 3.0;
            let f = t / (1.0 + t);
            let depth = 1.0 + 95.0 * f + 14.0 * f * self.seabed.fbm(x / 6.0, y / 6.0, 3);
            -depth.max(0.5)
        };
        // 1/16 m steps keep the low mantissa bits zero, so DEFLATE compresses well.
        let q = ((h * 16.0).round() / 16.0) as f32;
        (q, if shape > 0.0 { id as u8 } else { SEA })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarse_dem_has_islands_and_sea() {
        let islands = archipelago::islands();
        let dem = Dem::generate(&islands, 1, 300.0);
        assert_eq!((dem.width, dem.height), (150, 117));
        let (lo, hi) = dem.range();
        assert!(lo < -50.0 && hi > 200.0, "{lo} {hi}");
        assert!(dem.elevation.iter().all(|v| v.abs() >= 0.5 && *v != NODATA));
        let land = dem.land_fraction();
        assert!((0.1..0.5).contains(&land), "{land}");
        // Land pixels carry an island id, sea pixels none.
        for (h, id) in dem.elevation.iter().zip(&dem.island) {
            assert_eq!(*h > 0.0, *id != SEA);
        }
        // The main island's centre is land, the box corner is sea.
        let c = archipelago::centre();
        let main = &islands[0];
        assert!(dem.is_land(
            c.0 + main.centre_km.0 * 1000.0,
            c.1 + main.centre_km.1 * 1000.0
        ));
        assert!(!dem.is_land(archipelago::ORIGIN.0 + 10.0, archipelago::ORIGIN.1 - 10.0));
    }

    #[test]
    fn bilinear_sampling_hits_pixel_centres() {
        let dem = Dem::generate(&archipelago::islands(), 1, 300.0);
        let (x, y) = dem.pixel_centre(40, 50);
        assert_eq!(dem.sample(x, y), dem.at(40, 50) as f64);
        assert_eq!(dem.pixel_of(x, y), Some((40, 50)));
    }
}
