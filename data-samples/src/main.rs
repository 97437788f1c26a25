//! `make-sample-region`: writes the bbcov sample region ("Sample Islands").
//!
//! ```text
//! cargo run --release -p bbcov-samples -- --out data-samples/region
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use bbcov_samples::export::{MAX_DROP_M, write_region};
use bbcov_samples::fiber::{FiberKind, length_m};
use bbcov_samples::roads::RoadClass;
use bbcov_samples::{Config, DEFAULT_SEED, Region};
use clap::Parser;

/// Generate the deterministic bbcov sample region.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Output folder (created if missing; existing files are replaced).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/region"))]
    out: PathBuf,
    /// Seed of the generator.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let start = Instant::now();
    let region = Region::generate(Config {
        seed: args.seed,
        ..Config::default()
    });
    let generated = start.elapsed();
    let written = match write_region(&region, &args.out) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (lo, hi) = region.dem.range();
    let km = |m: f64| m / 1000.0;
    println!(
        "{} (seed {}) -> {}",
        bbcov_samples::archipelago::REGION_NAME,
        args.seed,
        args.out.display()
    );
    println!(
        "  DEM          {} x {} px at {} m, {:.0} to {:.0} m, {:.1} % land",
        region.dem.width,
        region.dem.height,
        region.dem.pixel_m,
        lo,
        hi,
        100.0 * region.dem.land_fraction()
    );
    println!(
        "  households   {} in {} buildings, {} residents, {} villages on {} islands",
        region.households(),
        region.buildings.len(),
        region.population(),
        region.villages.len(),
        region.islands.len()
    );
    println!(
        "  roads        {} features, {:.1} km main + {:.1} km local",
        region.roads.roads.len(),
        km(region.roads.length_m(RoadClass::Main)),
        km(region.roads.length_m(RoadClass::Local))
    );
    println!(
        "  fiber        {} routes: {:.1} km backbone, {:.1} km access, {:.1} km submarine",
        region.fiber.len(),
        km(length_m(&region.fiber, FiberKind::Backbone)),
        km(length_m(&region.fiber, FiberKind::Access)),
        km(length_m(&region.fiber, FiberKind::Submarine))
    );
    match region.fiber_availability(MAX_DROP_M as f64) {
        Ok(rows) => {
            let rows: Vec<String> = rows
                .iter()
                .map(|r| format!("{} {:.1} %", r.area, 100.0 * r.served_rate()))
                .collect();
            println!(
                "  fiber reach  households within {MAX_DROP_M} m (bbcov-core): {}",
                rows.join(", ")
            );
        }
        Err(e) => println!("  fiber reach  not computed: {e}"),
    }
    println!("  towers       {}", region.towers.len());
    println!("  land         {} polygons", region.land.len());
    let mut total = 0;
    for w in &written {
        println!("  {:<16} {:>10} bytes", w.name, w.bytes);
        total += w.bytes;
    }
    println!(
        "  total {:.2} MB; generated in {:.2} s, written in {:.2} s",
        total as f64 / 1e6,
        generated.as_secs_f64(),
        (start.elapsed() - generated).as_secs_f64()
    );
    ExitCode::SUCCESS
}
