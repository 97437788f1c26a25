//! `bbcov report`: the coverage report of a region for negotiators — the
//! analysis of `bbcov plan` plus coverage by technology, a fiber extension
//! scenario and maps, rendered as self-contained HTML or an A4 PDF in
//! Japanese or English, with every table as CSV and XLSX and the numbers as
//! JSON.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use bbcov_core::{Crs, RegionOutcome, RegionSettings};
use bbcov_io::to_lonlat;
use bbcov_report::{DataSource, Format, Lang, ReportInputs, assemble, write_report};
use gdal::Dataset;
use gdal::vector::LayerAccess;

use crate::config::RegionConfig;
use crate::plan::{RegionLayers, analyze, region_settings};

/// Make the coverage report of a region: HTML or PDF (by the output's extension), tables, JSON.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// Region file (TOML) with `dem` and `towers`; `[radio]`, `[plan]` and `[report]` tables are optional.
    #[arg(long)]
    config: PathBuf,
    /// Language of the report: ja or en.
    #[arg(long, default_value = "ja")]
    lang: String,
    /// Output: report.html (self-contained) or report.pdf (A4, needs Chromium). Beside it go
    /// `<name>.json` (the report's numbers) and `<name>-tables/` (one CSV per table and tables.xlsx).
    #[arg(long, short)]
    output: PathBuf,
}

pub fn run(args: &ReportArgs, quiet: bool) -> Result<(), Box<dyn std::error::Error>> {
    let lang: Lang = args.lang.parse()?;
    // Refused before the analysis: a bad language or extension costs nothing.
    Format::from_path(&args.output)?;
    let config = RegionConfig::read(&args.config)?;
    if config.dem.is_none() || config.towers.is_none() {
        return Err(format!("{}: a report needs `dem` and `towers` in the region file", args.config.display()).into());
    }
    let say = crate::sayer(quiet);
    let layers = RegionLayers::read(&config, &say)?;
    let settings = report_settings(&config, &layers)?;
    let outcome = analyze(&layers, &settings, quiet)?;
    write(&config, &layers, &settings, &outcome, lang, &args.output, quiet)
}

/// The analysis settings of a report: the plan's, plus coverage by
/// technology, the best-server map and the fiber extension scenario
/// (`[report]`; clusters by `village` when the households have it).
pub fn report_settings(config: &RegionConfig, layers: &RegionLayers) -> Result<RegionSettings, Box<dyn std::error::Error>> {
    let mut settings = region_settings(config)?;
    settings.radio_by_technology = true;
    settings.coverage_map = true;
    settings.fiber_extension = Some(config.report.fiber_extension(&layers.households));
    Ok(settings)
}

/// Assembles the report of an analysed region and writes it to `output`
/// (with `<name>.json` and `<name>-tables/` beside it).
pub fn write(
    config: &RegionConfig,
    layers: &RegionLayers,
    settings: &RegionSettings,
    outcome: &RegionOutcome,
    lang: Lang,
    output: &Path,
    quiet: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let sources = data_sources(config)?;
    let area = |name: &'static str| config.area_fields.iter().any(|f| f == name).then_some(name);
    let lonlat = |crs: Crs, points: &[[f64; 2]]| to_lonlat(crs, points).map_err(|e| e.to_string());
    let today = date_of(SystemTime::now());
    let inputs = ReportInputs {
        region: config.name.as_deref().unwrap_or("(unnamed region)"),
        generated_on: &today,
        households: &layers.households,
        towers: &layers.towers,
        fiber: &layers.fiber,
        dem: &layers.dem,
        settings,
        municipality_key: area("municipality"),
        island_key: area("island"),
        sources: &sources,
        maps: true,
        to_lonlat: &lonlat,
    };
    let report = assemble(outcome, &inputs)?;
    crate::sayer(quiet)("report assembled".into());
    let files = write_report(&report, lang, output)?;
    let s = &report.summary;
    println!("Report of {} ({}): {}", report.region, lang, output.display());
    println!(
        "  {} households, fiber {:.1} %, unserved {} -> {} with {} new sites (capex {:.0})",
        s.households,
        100.0 * s.metrics_before.fiber_availability_rate,
        s.services.none,
        s.services.none - report.plan.newly_served,
        report.plan.sites.len(),
        report.plan.capex
    );
    println!("  numbers: {}; tables: {} files", files.json.display(), files.tables.len());
    Ok(())
}

/// The input files of the report's appendix: file name, CRS, records and
/// date (`[report] dates`, else the file's modification date, UTC).
fn data_sources(config: &RegionConfig) -> Result<Vec<DataSource>, Box<dyn std::error::Error>> {
    let mut sources = Vec::new();
    let mut layers: Vec<(&str, &Path, Option<&str>)> = vec![("households", &config.households, config.households_layer.as_deref()), ("fiber", &config.fiber, config.fiber_layer.as_deref())];
    if let Some(p) = &config.dem {
        layers.push(("dem", p, None));
    }
    if let Some(p) = &config.towers {
        layers.push(("towers", p, None));
    }
    if let Some(p) = &config.roads {
        layers.push(("roads", p, None));
    }
    for (key, path, layer) in layers {
        let (crs, records) = describe(key, path, layer)?;
        let date = match config.report.date(key) {
            Some(d) => d.to_owned(),
            None => std::fs::metadata(path).and_then(|m| m.modified()).map(date_of).map_err(|e| format!("{}: {e}", path.display()))?,
        };
        let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        sources.push(DataSource { key: key.into(), file, crs, records, date });
    }
    Ok(sources)
}

/// CRS (`EPSG:<code>`, `lon/lat` for CSV coordinates) and record count
/// (features, or cells of a raster) of a file.
fn describe(key: &str, path: &Path, layer: Option<&str>) -> Result<(String, u64), Box<dyn std::error::Error>> {
    let fail = |e: gdal::errors::GdalError| format!("{}: {e}", path.display());
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok(("lon/lat".into(), text.lines().skip(1).filter(|l| !l.trim().is_empty()).count() as u64));
    }
    let ds = Dataset::open(path).map_err(fail)?;
    let name = |srs: Option<gdal::spatial_ref::SpatialRef>| match srs {
        Some(srs) => match (srs.auth_name(), srs.auth_code()) {
            (Some(a), Ok(c)) => format!("{a}:{c}"),
            _ => srs.name().unwrap_or_default(),
        },
        None => String::new(),
    };
    if key == "dem" {
        let (cols, rows) = ds.raster_size();
        return Ok((name(ds.spatial_ref().ok()), (cols * rows) as u64));
    }
    let l = match layer {
        Some(n) => ds.layer_by_name(n).map_err(fail)?,
        None => ds.layer(0).map_err(fail)?,
    };
    Ok((name(l.spatial_ref()), l.feature_count()))
}

/// `YYYY-MM-DD` (UTC) of a time.
fn date_of(time: SystemTime) -> String {
    let days = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil date from days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_are_civil() {
        assert_eq!(date_of(UNIX_EPOCH), "1970-01-01");
        assert_eq!(date_of(UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29");
        assert_eq!(date_of(UNIX_EPOCH + Duration::from_secs(1_795_478_399)), "2026-11-23");
    }
}
