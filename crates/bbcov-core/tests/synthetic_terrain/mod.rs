//! Deterministic synthetic island terrain, shared by the viewshed tests and
//! `examples/viewshed_compare.rs` (std and ndarray only, no random crate):
//! Gaussian islands + fractal value noise + ridges, cut at sea level 0 and
//! quantised to 1/16 m so that it round-trips exactly through text formats.

#![allow(dead_code)]

use bbcov_core::{Crs, Dem, GeoTransform};
use ndarray::Array2;

/// The CRS the synthetic DEMs claim (WGS 84 / UTM 52N, the Goto islands' zone).
pub const CRS: Crs = Crs::Projected { epsg: 32652 };

/// splitmix64's finaliser (Steele, Lea & Flood 2014).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Uniform in [0, 1) for a lattice point.
fn lattice(ix: i64, iy: i64, salt: u64) -> f64 {
    (mix(ix as u64 ^ mix(iy as u64 ^ mix(salt))) >> 11) as f64 / (1u64 << 53) as f64
}

/// Smoothly interpolated lattice noise in [0, 1).
fn value_noise(x: f64, y: f64, salt: u64) -> f64 {
    let (x0, y0) = (x.floor(), y.floor());
    let s = |t: f64| t * t * (3.0 - 2.0 * t);
    let (fx, fy) = (s(x - x0), s(y - y0));
    let (ix, iy) = (x0 as i64, y0 as i64);
    let top = lattice(ix, iy, salt) * (1.0 - fx) + lattice(ix + 1, iy, salt) * fx;
    let bottom = lattice(ix, iy + 1, salt) * (1.0 - fx) + lattice(ix + 1, iy + 1, salt) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// Fractal sum of `octaves` octaves of noise, roughly in [−1, 1].
fn fbm(x: f64, y: f64, octaves: u32, salt: u64) -> f64 {
    let (mut sum, mut amp, mut freq) = (0.0, 0.5, 1.0);
    for o in 0..octaves {
        sum += amp * (2.0 * value_noise(x * freq, y * freq, salt.wrapping_add(o as u64)) - 1.0);
        amp *= 0.5;
        freq *= 2.03;
    }
    sum * 1.9
}

/// A Gaussian-like bump e^(−x) ≈ (1 − x/8)⁸ (0 beyond x = 8), with IEEE
/// multiplications only, so the terrain does not depend on the platform's libm.
fn bump(x: f64) -> f64 {
    let t = (1.0 - x / 8.0).max(0.0);
    let t2 = t * t;
    let t4 = t2 * t2;
    t4 * t4
}

/// Terrain height (m) at (x, y) metres from the centre of a square of side
/// `extent_m`: a central island, `n_islands` others, rough hills and ridges.
pub fn height_at(x: f64, y: f64, extent_m: f64, seed: u64) -> f64 {
    let half = extent_m / 2.0;
    let sigma0 = 0.12 * extent_m;
    let mut h = 420.0 * bump((x * x + y * y) / (2.0 * sigma0 * sigma0));
    for k in 0..10u64 {
        let r = |i: u64| lattice(k as i64, i as i64, seed ^ 0xA5A5);
        let (cx, cy) = ((2.0 * r(0) - 1.0) * half, (2.0 * r(1) - 1.0) * half);
        let sigma = (0.03 + 0.07 * r(2)) * extent_m;
        let peak = 120.0 + 330.0 * r(3);
        h += peak * bump(((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2.0 * sigma * sigma));
    }
    let scale = extent_m / 10.0;
    h += 170.0 * fbm(x / scale, y / scale, 7, seed);
    let ridge = 1.0 - fbm(x / (0.6 * scale), y / (0.6 * scale), 5, seed ^ 0x5EED).abs();
    h += 140.0 * ridge * ridge - 70.0;
    (h - 120.0).max(0.0)
}

/// A `size × size` synthetic DEM with `cell_m` pixels centred on (500 000,
/// 3 600 000) in UTM 52N; heights quantised to 1/16 m.
pub fn island_dem(size: usize, cell_m: f64, seed: u64) -> Dem {
    let extent = size as f64 * cell_m;
    let z = Array2::from_shape_fn((size, size), |(r, c)| {
        let x = (c as f64 + 0.5) * cell_m - extent / 2.0;
        let y = extent / 2.0 - (r as f64 + 0.5) * cell_m;
        ((height_at(x, y, extent, seed) * 16.0).round() / 16.0) as f32
    });
    Dem::new(z, transform(size, cell_m), CRS, None).expect("synthetic DEM is valid")
}

/// The geotransform of [`island_dem`].
pub fn transform(size: usize, cell_m: f64) -> GeoTransform {
    let half = size as f64 * cell_m / 2.0;
    GeoTransform::new(500_000.0 - half, 3_600_000.0 + half, cell_m, cell_m)
}
