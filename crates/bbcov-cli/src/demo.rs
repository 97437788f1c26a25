//! `bbcov demo`: the whole analysis on a region file (by default the bundled sample region).

use std::path::PathBuf;

use crate::config::RegionConfig;

/// Run the analysis on a region file and write the results to a folder.
#[derive(clap::Args)]
pub struct DemoArgs {
    /// Region file (TOML).
    #[arg(long, default_value = "data-samples/region/region.toml")]
    region: PathBuf,
    /// Output folder.
    #[arg(long, short, default_value = "out")]
    output: PathBuf,
}

pub fn run(args: &DemoArgs, quiet: bool) -> Result<(), Box<dyn std::error::Error>> {
    if !args.region.exists() {
        return Err(format!(
            "{}: no such region file (generate the sample region with `make sample`, or pass --region)",
            args.region.display()
        )
        .into());
    }
    let config = RegionConfig::read(&args.region)?;
    std::fs::create_dir_all(&args.output).map_err(|e| format!("{}: {e}", args.output.display()))?;
    let say = crate::sayer(quiet);
    println!("Region: {}", config.name.as_deref().unwrap_or("(unnamed)"));
    let households_input = config.households_input()?;
    let households = households_input.load(&say)?;
    let fiber = config.fiber_input().load(&households, &say)?;
    crate::fiber::analyze(&households, &fiber, config.max_drop_m, &args.output.join("fiber.gpkg"), &households_input.summary_keys(), quiet)?;
    println!("\nResults in {}/", args.output.display());
    Ok(())
}
