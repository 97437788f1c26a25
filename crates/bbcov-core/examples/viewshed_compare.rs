//! Side-by-side check of `bbcov_core::viewshed` against gdal_viewshed, driven by
//! `benches/viewshed_vs_gdal.sh` (bbcov-core has no file I/O and no GDAL, so
//! the exchange is plain-text ESRI ASCII grids, written and read here with std only).
//!
//! ```sh
//! viewshed_compare write DIR [SIZE] [CELL_M]   # DIR/dem.asc + DIR/params.sh (observer, radius, heights)
//! viewshed_compare compare DIR GDAL.asc [GDAL_SECONDS] [GDAL_OVERHEAD_SECONDS]
//! viewshed_compare time DIR [RUNS]             # bbcov only: median time of RUNS viewsheds
//! ```
//!
//! `compare` reads DIR/dem.asc back, times `viewshed` (median of 7 runs, on
//! rayon's global pool: set RAYON_NUM_THREADS to pin the thread count), reads
//! gdal_viewshed's output (255 visible, 0 invisible, 1 out of range) and
//! prints the agreement, the disagreements arbitrated by the exact R3
//! sightline (`line_of_sight`), and the time ratio.

#[path = "../tests/synthetic_terrain/mod.rs"]
mod synthetic_terrain;

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use bbcov_core::{Crs, Dem, GeoTransform, ViewshedOptions, Visibility, line_of_sight, viewshed};

/// The job of the peer baselines (../shared/peers): transmitter 30 m, receiver 1.5 m, r = 30 km.
const OBSERVER_M: f64 = 30.0;
const TARGET_M: f64 = 1.5;
const RADIUS_M: f64 = 30_000.0;
/// gdal_viewshed -cc 0.75 (k = 4/3).
const CURVATURE_COEFFICIENT: f64 = 0.75;
/// GDAL divides by twice the SRS's semi-major axis (WGS 84 for UTM 52N), not 2 × 6 371 km.
const GDAL_SPHERE_RADIUS_M: f64 = 6_378_137.0;
const NODATA: f64 = -9999.0;

type BoxError = Box<dyn std::error::Error>;

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    match (arg(0), arg(1)) {
        (Some("write"), Some(dir)) => {
            let size = arg(2).map(str::parse).transpose()?.unwrap_or(2101);
            let cell = arg(3).map(str::parse).transpose()?.unwrap_or(30.0);
            write(Path::new(dir), size, cell)
        }
        (Some("time"), Some(dir)) => {
            let (dem, observer, options) = load(Path::new(dir))?;
            let runs: usize = arg(2).map(str::parse).transpose()?.unwrap_or(20);
            let mut times = Vec::with_capacity(runs);
            for _ in 0..runs {
                times.push(time_viewshed(&dem, observer, &options, 1)?.0);
            }
            let fastest = times.iter().copied().fold(f64::INFINITY, f64::min);
            println!("median of {runs}: {:.4} s, fastest {fastest:.4} s", median(times));
            Ok(())
        }
        (Some("compare"), Some(dir)) => {
            let gdal = arg(2).ok_or("compare needs gdal_viewshed's output as an ASCII grid")?;
            let gdal_s: Option<f64> = arg(3).map(str::parse).transpose()?;
            let overhead_s: Option<f64> = arg(4).map(str::parse).transpose()?;
            compare(Path::new(dir), Path::new(gdal), gdal_s, overhead_s)
        }
        _ => Err("usage: viewshed_compare write DIR [SIZE] [CELL_M] | compare DIR GDAL.asc [GDAL_S] [OVERHEAD_S]".into()),
    }
}

fn write(dir: &Path, size: usize, cell: f64) -> Result<(), BoxError> {
    fs::create_dir_all(dir)?;
    let dem = synthetic_terrain::island_dem(size, cell, 42);
    write_asc(&dir.join("dem.asc"), &dem)?;
    // The observer on the highest cell within 1 km of the centre (where a mast
    // would go), a quarter cell off its centre: both tools take the cell
    // containing the point.
    let reach = (1_000.0 / cell).round() as usize;
    let (centre, heights) = (size / 2, dem.heights());
    let around = (centre.saturating_sub(reach)..=(centre + reach).min(size - 1)).flat_map(|r| {
        (centre.saturating_sub(reach)..=(centre + reach).min(size - 1)).map(move |c| (r, c))
    });
    let (r, c) = around.max_by(|&p, &q| heights[p].total_cmp(&heights[q]).then(q.cmp(&p))).ok_or("empty DEM")?;
    let [x, y] = dem.cell_centre(r, c);
    let (ox, oy) = (x - 0.25 * cell, y + 0.25 * cell);
    let ground = dem.height_at_cell(r, c).ok_or("the observer's cell has no height")?;
    let land = dem.heights().iter().filter(|&&z| z > 0.0).count() as f64 / (size * size) as f64;
    fs::write(
        dir.join("params.sh"),
        format!(
            "OX={ox}\nOY={oy}\nOZ={OBSERVER_M}\nTZ={TARGET_M}\nMD={RADIUS_M}\nCC={CURVATURE_COEFFICIENT}\nSIZE={size}\nCELL={cell}\n"
        ),
    )?;
    println!(
        "synthetic DEM {size} x {size} at {cell} m: {:.1} % land, highest {:.0} m; observer ({ox}, {oy}) on {ground} m",
        100.0 * land,
        dem.heights().iter().fold(0.0f32, |a, &b| a.max(b))
    );
    Ok(())
}

fn write_asc(path: &Path, dem: &Dem) -> Result<(), BoxError> {
    let t = dem.transform();
    let mut w = BufWriter::new(fs::File::create(path)?);
    writeln!(w, "ncols {}\nnrows {}", dem.cols(), dem.rows())?;
    writeln!(w, "xllcorner {}\nyllcorner {}", t.origin_x, t.origin_y - dem.rows() as f64 * t.dy)?;
    writeln!(w, "cellsize {}\nNODATA_value {NODATA}", t.dx)?;
    for row in dem.heights().rows() {
        let mut line = String::with_capacity(row.len() * 9);
        for (i, z) in row.iter().enumerate() {
            if i > 0 {
                line.push(' ');
            }
            if z.is_nan() { line.push_str("-9999") } else { line.push_str(&z.to_string()) }
        }
        writeln!(w, "{line}")?;
    }
    Ok(())
}

/// An ESRI ASCII grid: transform, nodata and the values (row 0 north).
struct AsciiGrid {
    rows: usize,
    cols: usize,
    transform: GeoTransform,
    nodata: Option<f64>,
    values: Vec<f64>,
}

fn read_asc(path: &Path) -> Result<AsciiGrid, BoxError> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut tokens = text.split_ascii_whitespace().peekable();
    let (mut rows, mut cols, mut cell, mut dx, mut dy) = (0, 0, None, None, None);
    let (mut x0, mut y0, mut centre, mut nodata) = (0.0, 0.0, false, None);
    while let Some(key) = tokens.next_if(|t| t.starts_with(|c: char| c.is_ascii_alphabetic())) {
        let value: f64 = tokens.next().ok_or("truncated header")?.parse()?;
        match key.to_ascii_lowercase().as_str() {
            "ncols" => cols = value as usize,
            "nrows" => rows = value as usize,
            "xllcorner" => x0 = value,
            "yllcorner" => y0 = value,
            "xllcenter" => (x0, centre) = (value, true),
            "yllcenter" => (y0, centre) = (value, true),
            "cellsize" => cell = Some(value),
            "dx" => dx = Some(value),
            "dy" => dy = Some(value),
            "nodata_value" => nodata = Some(value),
            other => return Err(format!("unknown header key {other}").into()),
        }
    }
    let (dx, dy) = (dx.or(cell).ok_or("no cellsize")?, dy.or(cell).ok_or("no cellsize")?);
    let (x0, y0) = if centre { (x0 - dx / 2.0, y0 - dy / 2.0) } else { (x0, y0) };
    let values = tokens.map(str::parse).collect::<Result<Vec<f64>, _>>()?;
    if values.len() != rows * cols {
        return Err(format!("{}: {} values for {rows} x {cols}", path.display(), values.len()).into());
    }
    let transform = GeoTransform::new(x0, y0 + rows as f64 * dy, dx, dy);
    Ok(AsciiGrid { rows, cols, transform, nodata, values })
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// The DEM written by `write`, the observer and the options matching gdal_viewshed's.
fn load(dir: &Path) -> Result<(Dem, [f64; 2], ViewshedOptions), BoxError> {
    let params = fs::read_to_string(dir.join("params.sh"))?;
    let param = |key: &str| -> Result<f64, BoxError> {
        let line = params.lines().find_map(|l| l.strip_prefix(&format!("{key}="))).ok_or(format!("no {key}"))?;
        Ok(line.parse()?)
    };
    let grid = read_asc(&dir.join("dem.asc"))?;
    let heights = grid.values.iter().map(|&z| if Some(z) == grid.nodata { f32::NAN } else { z as f32 }).collect();
    let dem = Dem::from_vec(grid.rows, grid.cols, heights, grid.transform, Crs::Projected { epsg: 32652 }, None)?;
    let k_gdal = GDAL_SPHERE_RADIUS_M / (param("CC")? * bbcov_core::EARTH_RADIUS_M);
    let options = ViewshedOptions::new(param("OZ")?, param("TZ")?, param("MD")?).with_k_factor(k_gdal);
    Ok((dem, [param("OX")?, param("OY")?], options))
}

/// Median wall time of `runs` viewsheds (after one warm-up run), and the result.
fn time_viewshed(dem: &Dem, observer: [f64; 2], options: &ViewshedOptions, runs: usize) -> Result<(f64, bbcov_core::Viewshed), BoxError> {
    let mut vs = viewshed(dem, observer, options)?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let t0 = Instant::now();
        vs = viewshed(dem, observer, options)?;
        times.push(t0.elapsed().as_secs_f64());
    }
    Ok((median(times), vs))
}

fn compare(dir: &Path, gdal_path: &Path, gdal_s: Option<f64>, overhead_s: Option<f64>) -> Result<(), BoxError> {
    let (dem, observer, matched) = load(dir)?;
    let standard = matched.with_k_factor(4.0 / 3.0);
    let runs = 7;
    let (ours_s, vs) = time_viewshed(&dem, observer, &matched, runs)?;
    let in_range = vs.count(Visibility::Visible) + vs.count(Visibility::Invisible);
    let threads = std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "all".into());
    println!(
        "bbcov viewshed: {} x {} window, {in_range} cells within {} m, {:.2} % visible; median of {runs}: {:.4} s ({threads} threads, {} cores)",
        vs.codes().nrows(),
        vs.codes().ncols(),
        matched.radius_m,
        100.0 * vs.count(Visibility::Visible) as f64 / in_range as f64,
        ours_s,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );

    let gdal = read_asc(gdal_path)?;
    let agreement = |vs: &bbcov_core::Viewshed| {
        let mut n = [[0usize; 2]; 2]; // [ours visible][gdal visible]
        let mut range_mismatch = 0;
        let mut disagreeing = Vec::new();
        for r in 0..gdal.rows {
            for c in 0..gdal.cols {
                let [x, y] = gdal.transform.cell_centre(r, c);
                let g = gdal.values[r * gdal.cols + c];
                let ours = vs.at(x, y);
                match (g as u8, ours) {
                    (1, Some(Visibility::OutOfRange) | None) => {}
                    (1, _) | (_, Some(Visibility::OutOfRange) | None) => range_mismatch += 1,
                    (g, Some(o)) => {
                        let (ov, gv) = (o == Visibility::Visible, g == 255);
                        n[ov as usize][gv as usize] += 1;
                        if ov != gv {
                            disagreeing.push(([x, y], ov));
                        }
                    }
                }
            }
        }
        (n, range_mismatch, disagreeing)
    };
    let (n, range_mismatch, disagreeing) = agreement(&vs);
    let total = n[0][0] + n[0][1] + n[1][0] + n[1][1];
    let same = n[0][0] + n[1][1];
    println!(
        "gdal_viewshed: {} x {} window, {:.2} % visible",
        gdal.rows,
        gdal.cols,
        100.0 * (n[0][1] + n[1][1]) as f64 / total as f64
    );
    println!(
        "AGREEMENT with gdal_viewshed: {:.3} % of {total} cells in range (both visible {}, both hidden {}, only bbcov visible {}, only GDAL visible {}; {range_mismatch} cells in range for only one)",
        100.0 * same as f64 / total as f64,
        n[1][1],
        n[0][0],
        n[1][0],
        n[0][1],
    );
    // Who is right where they differ? The exact R3 sightline decides.
    let r3_sides_with_ours = disagreeing
        .iter()
        .filter(|&&(p, ours_visible)| {
            line_of_sight(&dem, vs.observer(), p, &matched).map(|v| (v == Visibility::Visible) == ours_visible).unwrap_or(false)
        })
        .count();
    println!(
        "  of the {} disagreements, the exact R3 sightline agrees with bbcov on {r3_sides_with_ours} and with GDAL on {}",
        disagreeing.len(),
        disagreeing.len() - r3_sides_with_ours
    );
    // R2 (the sweep) and GDAL against R3 on a regular sample of the cells in range.
    let (mut sampled, mut r2_ok, mut gdal_ok) = (0, 0, 0);
    let stride = (total / 150_000).max(1);
    for (i, ((r, c), &code)) in vs.codes().indexed_iter().enumerate() {
        if i % stride != 0 || code > 1 {
            continue;
        }
        let p = vs.transform().cell_centre(r, c);
        let exact = line_of_sight(&dem, vs.observer(), p, &matched)?;
        let (u, v) = ((p[0] - gdal.transform.origin_x) / gdal.transform.dx, (gdal.transform.origin_y - p[1]) / gdal.transform.dy);
        let g = gdal.values[v as usize * gdal.cols + u as usize];
        sampled += 1;
        r2_ok += usize::from(exact.code() == code);
        gdal_ok += usize::from((g == 255.0) == (exact == Visibility::Visible));
    }
    println!(
        "  against R3 on {sampled} sampled cells: bbcov {:.3} %, GDAL {:.3} %",
        100.0 * r2_ok as f64 / sampled as f64,
        100.0 * gdal_ok as f64 / sampled as f64
    );
    let (n4, _, _) = agreement(&viewshed(&dem, observer, &standard)?);
    println!(
        "  with k = 4/3 on a 6371 km earth instead of GDAL's 6378.137 km sphere: {:.3} % agreement",
        100.0 * (n4[0][0] + n4[1][1]) as f64 / total as f64
    );
    if let Some(g) = gdal_s {
        print!("TIMES: gdal_viewshed {g:.3} s (process, median), bbcov {ours_s:.4} s: bbcov {:.1}x faster", g / ours_s);
        if let Some(o) = overhead_s {
            let compute = (g - o).max(1e-6);
            print!("; GDAL minus its {o:.3} s start/IO overhead: {compute:.3} s, ratio {:.1}x", compute / ours_s);
        }
        println!();
    }
    Ok(())
}
