//! bbcov `fiber_coverage` on the peers' fiber input files, printing one JSON
//! line shaped like the peer runners' (`common.emit`): `seconds`,
//! `load_seconds` and the `result_summary` of `fiber_common.summary`.
//!
//! `seconds` is the `fiber_coverage` call only (index building included),
//! `load_seconds` is reading the files and building the layers, as for the
//! peers (their `seconds` excludes reading the GeoParquet files), and
//! `build_seconds` the part of it that builds the layers from coordinates
//! already in memory (`Households::new`, `FiberNetwork::new`: validation).
//!
//! Usage:
//!   fiber_peer_input --data DIR --size 1M [--d 500] [--threads N]
//!   fiber_peer_input --households households_1M.csv --routes routes.geojson [--d 500]
//!
//! Inputs: `households_<size>.csv` with columns `id,x,y` and `routes.geojson`
//! (LineString / MultiLineString features), both in the same projected CRS
//! (EPSG:32652 for the peers' data; the GeoJSON `crs` member is honoured).

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use bbcov_benches::summary::{FiberSummary, json_f64};
use bbcov_core::{Crs, FiberNetwork, Households, fiber_coverage};

type Error = Box<dyn std::error::Error>;
/// Polylines as lists of x/y vertices.
type Lines = Vec<Vec<[f64; 2]>>;

struct Args {
    households: PathBuf,
    routes: PathBuf,
    size: String,
    d_m: f64,
    threads: Option<usize>,
}

fn parse_args() -> Result<Args, Error> {
    let mut data = None;
    let (mut size, mut households, mut routes, mut d_m, mut threads) = (None, None, None, 500.0, None);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--data" => data = Some(PathBuf::from(value()?)),
            "--size" => size = Some(value()?),
            "--households" => households = Some(PathBuf::from(value()?)),
            "--routes" => routes = Some(PathBuf::from(value()?)),
            "--d" => d_m = value()?.parse()?,
            "--threads" => threads = Some(value()?.parse()?),
            "-h" | "--help" => {
                println!(
                    "usage: fiber_peer_input (--data DIR --size SIZE | --households CSV --routes GEOJSON) [--d 500] [--threads N]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?} (try --help)").into()),
        }
    }
    let households = match (&households, &data, &size) {
        (Some(h), _, _) => h.clone(),
        (None, Some(dir), Some(size)) => dir.join(format!("households_{size}.csv")),
        _ => return Err("give --data DIR --size SIZE, or --households CSV --routes GEOJSON".into()),
    };
    let routes = match (routes, &data) {
        (Some(r), _) => r,
        (None, Some(dir)) => dir.join("routes.geojson"),
        (None, None) => return Err("give --routes GEOJSON (or --data DIR)".into()),
    };
    let size =
        size.unwrap_or_else(|| households.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
    Ok(Args { households, routes, size, d_m, threads })
}

/// `id,x,y` rows: the x/y columns (the ids are not needed for the summary).
fn read_households(path: &Path) -> Result<Vec<[f64; 2]>, Error> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let header = reader.byte_headers()?.clone();
    let column = |name: &[u8]| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{}: no column {:?}", path.display(), String::from_utf8_lossy(name)))
    };
    let (cx, cy) = (column(b"x")?, column(b"y")?);
    let mut xy = Vec::with_capacity((std::fs::metadata(path)?.len() / 28) as usize);
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record)? {
        let field = |i: usize| -> Result<f64, Error> {
            let s = std::str::from_utf8(&record[i])?;
            s.parse().map_err(|e| format!("{}: line {}: {s:?}: {e}", path.display(), reader.position().line()).into())
        };
        xy.push([field(cx)?, field(cy)?]);
    }
    Ok(xy)
}

/// LineString / MultiLineString features, and the EPSG code of the `crs`
/// member when there is one.
fn read_routes(path: &Path) -> Result<(Lines, Option<u32>), Error> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc: serde_json::Value = serde_json::from_reader(BufReader::new(file))?;
    let epsg = doc
        .pointer("/crs/properties/name")
        .and_then(|v| v.as_str())
        .and_then(|name| name.rsplit(':').next())
        .and_then(|code| code.parse().ok());
    let features = doc["features"].as_array().ok_or("GeoJSON without a features array")?;
    let point = |p: &serde_json::Value| -> Result<[f64; 2], Error> {
        match (p.get(0).and_then(|v| v.as_f64()), p.get(1).and_then(|v| v.as_f64())) {
            (Some(x), Some(y)) => Ok([x, y]),
            _ => Err(format!("bad position {p}").into()),
        }
    };
    let line = |l: &serde_json::Value| -> Result<Vec<[f64; 2]>, Error> {
        l.as_array().ok_or("a line's coordinates are not an array")?.iter().map(point).collect()
    };
    let mut lines = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let geometry = &f["geometry"];
        let coords = &geometry["coordinates"];
        match geometry["type"].as_str() {
            Some("LineString") => lines.push(line(coords)?),
            Some("MultiLineString") => {
                for l in coords.as_array().ok_or("bad MultiLineString")? {
                    lines.push(line(l)?);
                }
            }
            other => return Err(format!("feature {i}: expected a LineString, got {other:?}").into()),
        }
    }
    Ok((lines, epsg))
}

fn run() -> Result<(), Error> {
    let args = parse_args()?;
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new().num_threads(n).build_global()?;
    }
    let t0 = Instant::now();
    let xy = read_households(&args.households)?;
    let (lines, epsg) = read_routes(&args.routes)?;
    let crs = Crs::Projected { epsg: epsg.unwrap_or(32652) };
    let t_build = Instant::now();
    let households = Households::new(crs, xy, None, None)?;
    let fiber = FiberNetwork::new(crs, lines, None)?;
    let build_seconds = t_build.elapsed().as_secs_f64();
    let load_seconds = t0.elapsed().as_secs_f64();

    let (t1, cpu1) = (Instant::now(), process_cpu_seconds());
    let coverage = fiber_coverage(&households, &fiber, args.d_m)?;
    let seconds = t1.elapsed().as_secs_f64();
    let cpu_seconds = process_cpu_seconds().zip(cpu1).map(|(b, a)| b - a);

    let t2 = Instant::now();
    let summary = FiberSummary::new(coverage.distances_m(), args.d_m);
    let summary_seconds = t2.elapsed().as_secs_f64();
    let r3 = |x: f64| json_f64((x * 1000.0).round() / 1000.0);
    println!(
        "{{\"job\": \"fiber-coverage\", \"peer\": \"bbcov-fiber_coverage\", \"size\": {}, \"seconds\": {}, \"cpu_seconds\": {}, \
         \"load_seconds\": {}, \"build_seconds\": {}, \"summary_seconds\": {}, \"threads\": {}, \"segments\": {}, \"result_summary\": {}}}",
        serde_json::Value::from(args.size.as_str()),
        r3(seconds),
        cpu_seconds.map_or("null".into(), r3),
        r3(load_seconds),
        r3(build_seconds),
        r3(summary_seconds),
        rayon::current_num_threads(),
        fiber.segment_count(),
        summary.to_json()
    );
    Ok(())
}

/// User + system CPU time of this process so far (all threads), from
/// `/proc/self/stat` (Linux; in USER_HZ = 100 ticks per second); `None` elsewhere.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name "(…)": state is field 3, utime 14, stime 15.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let utime: f64 = fields.next()?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fiber_peer_input: {e}");
            ExitCode::FAILURE
        }
    }
}
