//! The report's three maps as PNG images, drawn in pure Rust (deterministic:
//! the same analysis gives the same bytes).
//!
//! Every map is [`MAP_WIDTH`] pixels wide over the DEM's extent, north up,
//! on a background shaded from the DEM (sea light blue, land by elevation
//! with a hillshade, nodata grey), with fiber routes, a scale bar and a
//! north arrow:
//!
//! | key | content |
//! |---|---|
//! | `coverage` | best-server covered area of the existing sites (blue tint), existing sites (black triangles), households by service: fiber (purple), radio (blue), both (green), none (red) |
//! | `unserved` | unserved households (red, area ∝ households) over the other households (grey) |
//! | `plan` | unserved households newly served by the plan (green) or still unserved (red), the fiber extension's spurs (orange), the proposed sites (white discs numbered in plan order) |

use bbcov_core::{Dem, RegionOutcome, Service};

use crate::assemble::ReportInputs;
use crate::model::MapImage;

/// Width of every map (px).
pub const MAP_WIDTH: u32 = 1200;

/// Errors of drawing the maps.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MapError {
    /// PNG encoding failed.
    #[error("map {key}: PNG encoding failed: {message}")]
    Encode { key: String, message: String },
    /// The DEM's extent is degenerate.
    #[error("map: the DEM's extent is empty")]
    EmptyExtent,
}

type Rgb = [u8; 3];

const SEA: Rgb = [200, 224, 242];
const NODATA: Rgb = [214, 214, 214];
const FIBER: Rgb = [120, 40, 140];
const RADIO: Rgb = [30, 100, 200];
const BOTH: Rgb = [30, 150, 70];
const NONE: Rgb = [215, 40, 40];
const GREY: Rgb = [150, 150, 150];
const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];
const SPUR: Rgb = [240, 140, 0];

/// The legend of a map: `(item key, colour)` in drawing order, for the
/// renderer to print beside the image (the PNG itself holds no words). Item
/// keys: `fiber_route`, `covered_area`, `existing_site`, `fiber_only`,
/// `radio_only`, `both`, `none`, `other_households`, `newly_served`,
/// `still_unserved`, `fiber_spur`, `proposed_site`.
///
/// ```
/// assert_eq!(bbcov_report::maps::legend("plan").len(), 5);
/// assert!(bbcov_report::maps::legend("elsewhere").is_empty());
/// ```
pub fn legend(key: &str) -> &'static [(&'static str, [u8; 3])] {
    match key {
        "coverage" => &[
            ("covered_area", [190, 208, 236]),
            ("fiber_route", FIBER),
            ("existing_site", BLACK),
            ("fiber_only", FIBER),
            ("radio_only", RADIO),
            ("both", BOTH),
            ("none", NONE),
        ],
        "unserved" => &[("fiber_route", FIBER), ("other_households", GREY), ("none", NONE)],
        "plan" => &[("fiber_route", FIBER), ("fiber_spur", SPUR), ("newly_served", BOTH), ("still_unserved", NONE), ("proposed_site", WHITE)],
        _ => &[],
    }
}

/// How a legend item is drawn on the map, for its swatch beside the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    /// A tinted area.
    Area,
    /// A line (route).
    Line,
    /// A household dot.
    Dot,
    /// A site triangle.
    Triangle,
    /// A numbered disc with a black ring.
    Disc,
}

/// The symbol of a legend item of [`legend`].
///
/// ```
/// use bbcov_report::maps::{Symbol, symbol};
/// assert_eq!(symbol("fiber_route"), Symbol::Line);
/// assert_eq!(symbol("none"), Symbol::Dot);
/// ```
pub fn symbol(item: &str) -> Symbol {
    match item {
        "covered_area" => Symbol::Area,
        "fiber_route" | "fiber_spur" => Symbol::Line,
        "existing_site" => Symbol::Triangle,
        "proposed_site" => Symbol::Disc,
        _ => Symbol::Dot,
    }
}

/// The legend item keys of every map, for translations.
pub const LEGEND_KEYS: &[&str] = &[
    "covered_area",
    "fiber_route",
    "existing_site",
    "fiber_only",
    "radio_only",
    "both",
    "none",
    "other_households",
    "newly_served",
    "still_unserved",
    "fiber_spur",
    "proposed_site",
];

/// An RGB raster with drawing primitives, in map coordinates.
struct Canvas {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
    /// West, north edge and metres per pixel.
    x0: f64,
    y0: f64,
    scale: f64,
}

impl Canvas {
    fn px(&self, xy: [f64; 2]) -> (f64, f64) {
        ((xy[0] - self.x0) / self.scale, (self.y0 - xy[1]) / self.scale)
    }

    fn blend(&mut self, x: i64, y: i64, c: Rgb, alpha: f64) {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return;
        }
        let at = (y as usize * self.width as usize + x as usize) * 3;
        for (channel, &target) in self.pixels[at..at + 3].iter_mut().zip(&c) {
            let old = f64::from(*channel);
            *channel = (old + (f64::from(target) - old) * alpha).round() as u8;
        }
    }

    fn disc(&mut self, cx: f64, cy: f64, r: f64, c: Rgb) {
        let (x0, x1, y0, y1) = ((cx - r).floor() as i64, (cx + r).ceil() as i64, (cy - r).floor() as i64, (cy + r).ceil() as i64);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let d = ((x as f64 + 0.5 - cx).powi(2) + (y as f64 + 0.5 - cy).powi(2)).sqrt();
                if d <= r {
                    self.blend(x, y, c, 1.0);
                }
            }
        }
    }

    fn line(&mut self, a: (f64, f64), b: (f64, f64), width: f64, c: Rgb) {
        let steps = ((b.0 - a.0).hypot(b.1 - a.1) * 2.0).ceil().max(1.0) as usize;
        for k in 0..=steps {
            let t = k as f64 / steps as f64;
            self.disc(a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, width / 2.0, c);
        }
    }

    fn rect(&mut self, x: i64, y: i64, w: i64, h: i64, c: Rgb, alpha: f64) {
        for yy in y..y + h {
            for xx in x..x + w {
                self.blend(xx, yy, c, alpha);
            }
        }
    }

    fn triangle(&mut self, cx: f64, cy: f64, r: f64, c: Rgb) {
        let (x0, x1, y0, y1) = ((cx - r).floor() as i64, (cx + r).ceil() as i64, (cy - r).floor() as i64, (cy + r).ceil() as i64);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let (dx, dy) = (x as f64 + 0.5 - cx, y as f64 + 0.5 - cy);
                // Upward triangle: apex at (cx, cy - r), base at cy + r.
                let t = (dy + r) / (2.0 * r);
                if (0.0..=1.0).contains(&t) && dx.abs() <= t * r {
                    self.blend(x, y, c, 1.0);
                }
            }
        }
    }

    /// Text from [`glyph`]s, `size` px per font pixel, top-left at (x, y).
    fn text(&mut self, x: i64, y: i64, text: &str, size: i64, c: Rgb) {
        for (k, ch) in text.chars().enumerate() {
            let Some(rows) = glyph(ch) else { continue };
            let gx = x + k as i64 * 6 * size;
            for (r, bits) in rows.iter().enumerate() {
                for col in 0..5 {
                    if bits & (0x10 >> col) != 0 {
                        self.rect(gx + col * size, y + r as i64 * size, size, size, c, 1.0);
                    }
                }
            }
        }
    }

    fn text_width(text: &str, size: i64) -> i64 {
        text.chars().count() as i64 * 6 * size - size
    }
}

/// A 5 × 7 bitmap glyph (rows top to bottom, bit 4 = leftmost column), for
/// the digits, `k`, `m` and `N`.
fn glyph(c: char) -> Option<[u8; 7]> {
    Some(match c {
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        'k' => [0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12],
        'm' => [0x00, 0x00, 0x1A, 0x15, 0x15, 0x11, 0x11],
        'N' => [0x11, 0x19, 0x15, 0x13, 0x11, 0x11, 0x11],
        _ => return None,
    })
}

/// The background: sea, land shaded by elevation and a hillshade from the north-west, nodata grey.
fn background(dem: &Dem) -> Result<Canvas, MapError> {
    let [x_min, y_min, x_max, y_max] = dem.bounds();
    if !(x_max > x_min && y_max > y_min) {
        return Err(MapError::EmptyExtent);
    }
    let width = MAP_WIDTH;
    let scale = (x_max - x_min) / f64::from(width);
    let height = ((y_max - y_min) / scale).round().max(1.0) as u32;
    let mut canvas = Canvas { width, height, pixels: vec![0; width as usize * height as usize * 3], x0: x_min, y0: y_max, scale };
    let heights = dem.heights();
    let max_h = heights.iter().filter(|h| h.is_finite() && Some(**h) != dem.nodata()).fold(1.0f32, |m, &h| m.max(h));
    let t = dem.transform();
    let (rows, cols) = (dem.rows(), dem.cols());
    for py in 0..height {
        for px in 0..width {
            let (x, y) = (x_min + (f64::from(px) + 0.5) * scale, y_max - (f64::from(py) + 0.5) * scale);
            let c = (((x - t.origin_x) / t.dx).floor().max(0.0) as usize).min(cols - 1);
            let r = (((t.origin_y - y) / t.dy).floor().max(0.0) as usize).min(rows - 1);
            let colour = match dem.height_at_cell(r, c) {
                None => NODATA,
                Some(h) if h <= 0.0 => SEA,
                Some(h) => {
                    let at = |rr: usize, cc: usize| dem.height_at_cell(rr, cc).map_or(h, |v| v.max(0.0));
                    let (dzdx, dzdy) = (
                        (at(r, (c + 1).min(cols - 1)) - at(r, c.saturating_sub(1))) as f64 / (2.0 * t.dx),
                        (at(r.saturating_sub(1), c) - at((r + 1).min(rows - 1), c)) as f64 / (2.0 * t.dy),
                    );
                    // Lambertian shade, light from the north-west at 45°.
                    let n = (dzdx * dzdx + dzdy * dzdy + 1.0).sqrt();
                    let shade = ((-dzdx + dzdy) * std::f64::consts::FRAC_1_SQRT_2 * 0.707 + 0.707) / n;
                    let e = f64::from(h / max_h).clamp(0.0, 1.0);
                    let base = [236.0 - 60.0 * e, 232.0 - 40.0 * e, 200.0 - 50.0 * e];
                    let k = (0.75 + 0.35 * shade).clamp(0.5, 1.1);
                    [(base[0] * k).min(255.0) as u8, (base[1] * k).min(255.0) as u8, (base[2] * k).min(255.0) as u8]
                }
            };
            let at = (py as usize * width as usize + px as usize) * 3;
            canvas.pixels[at..at + 3].copy_from_slice(&colour);
        }
    }
    Ok(canvas)
}

/// Scale bar (bottom left) and north arrow (top right).
fn furniture(canvas: &mut Canvas) {
    let width_m = canvas.scale * f64::from(canvas.width);
    // A round length near a fifth of the map's width.
    let target = width_m / 5.0;
    let magnitude = 10f64.powf(target.log10().floor());
    let length = [1.0, 2.0, 5.0, 10.0].iter().map(|f| f * magnitude).filter(|l| *l <= target).fold(magnitude, f64::max);
    let px = (length / canvas.scale).round() as i64;
    let (x, y) = (20i64, i64::from(canvas.height) - 30);
    canvas.rect(x - 8, y - 24, px + 16, 46, WHITE, 0.8);
    canvas.rect(x, y, px / 2, 8, BLACK, 1.0);
    canvas.rect(x + px / 2, y, px - px / 2, 8, WHITE, 1.0);
    canvas.rect(x, y, px, 1, BLACK, 1.0);
    canvas.rect(x, y + 7, px, 1, BLACK, 1.0);
    canvas.rect(x + px - 1, y, 1, 8, BLACK, 1.0);
    let label = if length >= 1000.0 { format!("{}km", (length / 1000.0).round()) } else { format!("{}m", length.round()) };
    canvas.text(x, y - 20, &label, 2, BLACK);
    let (nx, ny) = (i64::from(canvas.width) - 40, 20i64);
    canvas.rect(nx - 14, ny - 6, 28, 62, WHITE, 0.8);
    canvas.triangle(nx as f64, ny as f64 + 14.0, 12.0, BLACK);
    canvas.text(nx - 5, ny + 32, "N", 2, BLACK);
}

fn routes(canvas: &mut Canvas, fiber: &bbcov_core::FiberNetwork) {
    for line in fiber.lines() {
        for w in line.windows(2) {
            let (a, b) = (canvas.px(w[0]), canvas.px(w[1]));
            canvas.line(a, b, 2.0, FIBER);
        }
    }
}

/// Radius (px) of a household dot: area ∝ weight, 1.5 to 6 px.
fn dot(weight: f64) -> f64 {
    (1.5 * weight.max(0.0).sqrt()).clamp(1.5, 6.0)
}

fn encode(key: &str, canvas: &Canvas) -> Result<MapImage, MapError> {
    let mut png_bytes = Vec::new();
    let failed = |e: png::EncodingError| MapError::Encode { key: key.to_owned(), message: e.to_string() };
    {
        let mut encoder = png::Encoder::new(&mut png_bytes, canvas.width, canvas.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Default);
        let mut writer = encoder.write_header().map_err(failed)?;
        writer.write_image_data(&canvas.pixels).map_err(failed)?;
        writer.finish().map_err(failed)?;
    }
    Ok(MapImage { key: key.to_owned(), png: png_bytes, width: canvas.width, height: canvas.height, metres_per_pixel: canvas.scale })
}

/// Draws the `coverage`, `unserved` and `plan` maps of an analysed region.
///
/// Needs the DEM and, for the coverage tint, the analysis's best-server map
/// (`coverage_map`; without it the tint is left out).
pub fn render_maps(outcome: &RegionOutcome, inputs: &ReportInputs<'_>) -> Result<Vec<MapImage>, MapError> {
    let base = background(inputs.dem)?;
    let hh = inputs.households;
    let points: Vec<(f64, f64)> = hh.coords().iter().map(|&p| base.px(p)).collect();
    let weights = hh.weights();
    let fiber_net = inputs.fiber;

    // Coverage.
    let mut canvas = Canvas { pixels: base.pixels.clone(), ..base };
    if let Some(map) = &outcome.coverage_map {
        let t = *map.transform();
        let covered = map.covered();
        let (rows, cols) = map.shape();
        for py in 0..canvas.height {
            for px in 0..canvas.width {
                let (x, y) = (canvas.x0 + (f64::from(px) + 0.5) * canvas.scale, canvas.y0 - (f64::from(py) + 0.5) * canvas.scale);
                let (c, r) = ((x - t.origin_x) / t.dx, (t.origin_y - y) / t.dy);
                if c >= 0.0 && r >= 0.0 && (c as usize) < cols && (r as usize) < rows && covered[(r as usize, c as usize)] {
                    canvas.blend(i64::from(px), i64::from(py), RADIO, 0.28);
                }
            }
        }
    }
    routes(&mut canvas, fiber_net);
    for (i, &(x, y)) in points.iter().enumerate() {
        let colour = match Service::of(outcome.fiber_served[i], outcome.radio_covered[i]) {
            Service::Fiber => FIBER,
            Service::Radio => RADIO,
            Service::Both => BOTH,
            Service::None => NONE,
        };
        canvas.disc(x, y, dot(weights[i]), colour);
    }
    for site in inputs.towers {
        let (x, y) = canvas.px(site.position());
        canvas.triangle(x, y, 8.0, WHITE);
        canvas.triangle(x, y + 1.0, 6.0, BLACK);
    }
    furniture(&mut canvas);
    let coverage = encode("coverage", &canvas)?;

    // Unserved.
    let mut canvas = Canvas { pixels: base.pixels.clone(), ..base };
    routes(&mut canvas, fiber_net);
    let mut unserved = vec![false; hh.len()];
    for &i in &outcome.unserved {
        unserved[i] = true;
    }
    for (i, &(x, y)) in points.iter().enumerate() {
        if !unserved[i] {
            canvas.disc(x, y, 1.5, GREY);
        }
    }
    for &i in &outcome.unserved {
        canvas.disc(points[i].0, points[i].1, dot(weights[i]) + 0.5, NONE);
    }
    furniture(&mut canvas);
    let unserved_map = encode("unserved", &canvas)?;

    // Plan.
    let mut canvas = Canvas { pixels: base.pixels.clone(), ..base };
    routes(&mut canvas, fiber_net);
    if let Some(extension) = &outcome.fiber_extension {
        for spur in &extension.spurs {
            let (a, b) = (canvas.px(spur.from), canvas.px(spur.to));
            canvas.line(a, b, 3.0, SPUR);
        }
    }
    for (&i, &covered) in outcome.unserved.iter().zip(&outcome.plan_covered) {
        canvas.disc(points[i].0, points[i].1, dot(weights[i]), if covered { BOTH } else { NONE });
    }
    for (k, &j) in outcome.plan.sites.iter().enumerate() {
        let (x, y) = canvas.px(outcome.candidates[j].xy);
        let label = (k + 1).to_string();
        let r = 7.0 + 5.0 * label.len() as f64;
        canvas.disc(x, y, r + 2.0, BLACK);
        canvas.disc(x, y, r, WHITE);
        let w = Canvas::text_width(&label, 2);
        canvas.text(x.round() as i64 - w / 2, y.round() as i64 - 7, &label, 2, BLACK);
    }
    furniture(&mut canvas);
    let plan = encode("plan", &canvas)?;
    Ok(vec![coverage, unserved_map, plan])
}
