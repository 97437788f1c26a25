//! `bbcov demo`: the whole analysis on a region file (by default the bundled sample region),
//! ending with the siting plan and the coverage report (`report.html`, in English).

use std::path::{Path, PathBuf};

use bbcov_core::{RegionOutcome, RegionSettings, Service, Site, Technology, household_signal, summarize, summarize_services};
use bbcov_io::{Column, ColumnData, household_columns, write_cog, write_points};

use crate::config::RegionConfig;
use crate::table;

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
    let keys = households_input.summary_keys();
    let fiber_served = crate::fiber::analyze(&households, &fiber, config.max_drop_m, &args.output.join("fiber.gpkg"), &keys, quiet)?;
    if config.dem.is_some() && config.towers.is_some() {
        // One analysis for the radio outputs, the plan and the report (HTML: no browser needed).
        let layers = crate::plan::RegionLayers::read(&config, &say)?;
        let settings = crate::report::report_settings(&config, &layers)?;
        let outcome = crate::plan::analyze(&layers, &settings, quiet)?;
        radio(&config, &layers, &settings, &outcome, &fiber_served, &args.output, &keys)?;
        println!();
        crate::plan::write_plan(&config, &layers, &outcome, &args.output)?;
        println!();
        crate::report::write(&config, &layers, &settings, &outcome, bbcov_report::Lang::En, &args.output.join("report.html"), quiet)?;
    }
    println!("\nResults in {}/", args.output.display());
    Ok(())
}

/// Radio coverage of the towers, the households' signal, and who is served by
/// what, from the region's analysis (its best-server map and household signal).
fn radio(
    config: &RegionConfig,
    layers: &crate::plan::RegionLayers,
    settings: &RegionSettings,
    outcome: &RegionOutcome,
    fiber_served: &[bool],
    out: &Path,
    keys: &[String],
) -> Result<(), Box<dyn std::error::Error>> {
    let r = &config.radio;
    let options = &settings.radio.coverage;
    let (dem, sites, households) = (&layers.dem, &layers.towers, &layers.households);
    let map = outcome.coverage_map.as_ref().ok_or("the analysis made no coverage map (no towers)")?;
    write_cog(&out.join("rsrp.tif"), map.rsrp_dbm(), map.transform(), map.crs(), Some(f64::NAN))?;

    let hopts = settings.radio.household_options();
    let signals = &outcome.radio;
    let radio_covered = &outcome.radio_covered;
    let mut columns = household_columns(households);
    columns.push(Column { name: "fiber_served".into(), data: ColumnData::Bool(fiber_served.to_vec()) });
    columns.push(Column { name: "rsrp_dbm".into(), data: ColumnData::F64(signals.iter().map(|s| s.rsrp_dbm).collect()) });
    columns.push(Column {
        name: "serving_site".into(),
        data: ColumnData::Text(signals.iter().map(|s| s.serving_site.map(|i| sites[i].id().to_owned()).unwrap_or_default()).collect()),
    });
    columns.push(Column { name: "radio_covered".into(), data: ColumnData::Bool(radio_covered.clone()) });
    columns.push(Column {
        name: "service".into(),
        data: ColumnData::Text(fiber_served.iter().zip(radio_covered).map(|(&f, &r)| Service::of(f, r).name().to_owned()).collect()),
    });
    // Radio coverage per technology: each technology's sites on their own.
    let mut per_technology = Vec::new();
    for technology in [Technology::Lte, Technology::NrFr1, Technology::NrFr2] {
        let group: Vec<Site> = sites.iter().filter(|s| s.technology() == technology).cloned().collect();
        let covered: Vec<bool> = if group.is_empty() {
            vec![false; households.len()]
        } else {
            household_signal(dem, &group, households, &hopts)?.iter().map(|s| s.covered).collect()
        };
        let name = format!("radio_{}", technology.name().to_ascii_lowercase().replace(' ', "_"));
        columns.push(Column { name, data: ColumnData::Bool(covered.clone()) });
        per_technology.push((technology, group.len(), covered));
    }
    write_points(&out.join("households.gpkg"), "households", households.crs(), households.coords(), &columns)?;

    let cell_km2 = map.transform().dx * map.transform().dy / 1e6;
    println!(
        "\nRadio coverage ({}), {} sites, radius {} m: {:.1} km² at RSRP at or above the threshold",
        options.model.name(),
        sites.len(),
        r.radius_m,
        map.covered_count() as f64 * cell_km2
    );
    for (technology, n, covered) in &per_technology {
        let total = summarize(households, covered, None)?.pop().expect("a total row");
        println!("  {:<7} {n:>2} sites: {:>7} of {} households covered ({:.1} %)", technology.name(), total.served_weight, total.weight, 100.0 * total.served_rate());
    }
    for key in keys.iter().map(|k| Some(k.as_str())).chain(keys.is_empty().then_some(None)) {
        println!();
        print!("{}", table::render_services(key.unwrap_or("area"), &summarize_services(households, fiber_served, radio_covered, key)?));
    }
    Ok(())
}
