//! `bbcov fiber`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use bbcov_core::{FiberNetwork, FiberOptions, Households, fiber_coverage_with, summarize};
use bbcov_io::{Column, ColumnData, check_output_path, household_columns, write_points};

use crate::inputs::{FiberInput, HouseholdsInput};
use crate::progress::Bar;
use crate::table;

/// Households within `--max-drop` metres of a fiber route are served.
#[derive(clap::Args)]
pub struct FiberArgs {
    #[command(flatten)]
    households: HouseholdsInput,
    #[command(flatten)]
    fiber: FiberInput,
    /// Maximum drop length (m): households at most this far from a route are served.
    #[arg(long, default_value_t = 300.0)]
    max_drop: f64,
    /// Output: households with fiber_distance_m, fiber_served, nearest_route (.gpkg, .geojson, .fgb or .csv).
    #[arg(long, short)]
    output: PathBuf,
}

pub fn run(args: &FiberArgs, quiet: bool) -> Result<(), Box<dyn std::error::Error>> {
    check_output_path(&args.output)?;
    let say = crate::sayer(quiet);
    let households = args.households.load(&say)?;
    let fiber = args.fiber.load(&households, &say)?;
    analyze(&households, &fiber, args.max_drop, &args.output, &args.households.summary_keys(), quiet).map(drop)
}

/// Computes fiber coverage, writes the households with the result columns
/// to `output`, prints a summary table per key, and returns the served flags.
pub fn analyze(
    households: &Households,
    fiber: &FiberNetwork,
    max_drop_m: f64,
    output: &Path,
    keys: &[String],
    quiet: bool,
) -> Result<Vec<bool>, Box<dyn std::error::Error>> {
    let say = crate::sayer(quiet);
    let t = Instant::now();
    let bar = Bar::new(quiet);
    let coverage = fiber_coverage_with(households, fiber, &FiberOptions { max_drop_m }, &bar)?;
    bar.finish();
    say(format!("fiber coverage in {:.2} s", t.elapsed().as_secs_f64()));

    let t = Instant::now();
    let route_ids = fiber.ids();
    let served = coverage.served();
    let mut columns = household_columns(households);
    columns.push(Column { name: "fiber_distance_m".into(), data: ColumnData::F64(coverage.distances_m().to_vec()) });
    columns.push(Column { name: "fiber_served".into(), data: ColumnData::Bool(served.clone()) });
    columns.push(Column {
        name: "nearest_route".into(),
        data: ColumnData::Text(
            coverage
                .nearest_routes()
                .iter()
                .map(|&r| route_ids.map_or_else(|| r.to_string(), |ids| ids[r as usize].clone()))
                .collect(),
        ),
    });
    write_points(output, "households", households.crs(), households.coords(), &columns)?;
    say(format!("wrote {} in {:.2} s", output.display(), t.elapsed().as_secs_f64()));

    println!("Fiber coverage, drop limit {max_drop_m} m");
    if keys.is_empty() {
        print!("{}", table::render("area", &summarize(households, &served, None)?));
    }
    for key in keys {
        println!();
        print!("{}", table::render(key, &summarize(households, &served, Some(key))?));
    }
    Ok(served)
}
