//! `bbcov radio`: best-server coverage of sites over a DEM.

use std::path::PathBuf;
use std::time::Instant;

use bbcov_core::{CoverageOptions, Dem, RadioModel, Site, Technology, best_server, household_signal, summarize};
use bbcov_io::{Column, ColumnData, DemSpec, check_output_path, household_columns, read_dem, read_sites, write_cog, write_contour_polygons, write_points};
use bbcov_report::ModelName;

use crate::inputs::{HouseholdFields, HouseholdsInput};
use crate::progress::Bar;
use crate::table;

/// Propagation model of `--model`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelChoice {
    /// Longley-Rice ITM 1.2.2 over the terrain profile (maritime temperate climate).
    Itm,
    /// Free space + ITU-R P.526 Bullington diffraction over the terrain profile.
    Diffraction,
    /// 3GPP TR 38.901 rural macro, LOS/NLOS from the terrain.
    Rma,
    /// 3GPP TR 38.901 urban macro.
    Uma,
    /// 3GPP TR 38.901 urban micro (street canyon).
    Umi,
}

impl ModelChoice {
    /// The model of bbcov-report's region-file schema (the `[radio] model` names).
    pub fn name(self) -> ModelName {
        match self {
            ModelChoice::Itm => ModelName::Itm,
            ModelChoice::Diffraction => ModelName::Diffraction,
            ModelChoice::Rma => ModelName::Rma,
            ModelChoice::Uma => ModelName::Uma,
            ModelChoice::Umi => ModelName::Umi,
        }
    }

    pub fn model(self, extrapolate: bool) -> RadioModel {
        self.name().model(extrapolate)
    }
}

/// Where the radio signal of the sites reaches over the terrain.
#[derive(clap::Args)]
pub struct RadioArgs {
    /// DEM: GeoTIFF or any raster GDAL reads; lon/lat DEMs are warped to a projected CRS.
    #[arg(long)]
    dem: PathBuf,
    /// CRS of the DEM when the file has none, or to override it.
    #[arg(long)]
    dem_crs: Option<String>,
    /// Projected CRS (EPSG code) to compute in (default: the DEM's own, or its UTM zone).
    #[arg(long)]
    dem_target_epsg: Option<u32>,
    /// Sites CSV (site_id, lon/lat or x/y, height_m, technology, frequency_mhz, tx_power_dbm or eirp_dbm, ...).
    #[arg(long)]
    sites: PathBuf,
    /// CRS of x/y site columns.
    #[arg(long)]
    sites_crs: Option<String>,
    /// Only the sites of this technology (lte, nr-fr1, nr-fr2).
    #[arg(long, value_parser = parse_technology)]
    technology: Option<Technology>,
    /// Propagation model.
    #[arg(long, value_enum, default_value = "itm")]
    model: ModelChoice,
    /// Apply the model outside its validity range instead of refusing.
    #[arg(long)]
    extrapolate: bool,
    /// Radius of each site's map (m).
    #[arg(long, default_value_t = 15_000.0)]
    radius: f64,
    /// Receiver height above ground (m).
    #[arg(long, default_value_t = 1.5)]
    rx_height: f64,
    /// RSRP threshold of coverage (dBm); default per technology (-110).
    #[arg(long, allow_hyphen_values = true)]
    threshold: Option<f64>,
    /// Cell load of interfering sites for SINR, in [0, 1].
    #[arg(long, default_value_t = 0.5)]
    load: f64,
    /// Receiver noise figure (dB).
    #[arg(long, default_value_t = 7.0)]
    noise_figure: f64,
    /// Output: best-server RSRP (dBm) as a Cloud-Optimized GeoTIFF.
    #[arg(long, short)]
    output: PathBuf,
    /// Also write the serving-site index (0-based, 4294967295 = none) as a COG.
    #[arg(long)]
    server_output: Option<PathBuf>,
    /// Also write SINR (dB) as a COG.
    #[arg(long)]
    sinr_output: Option<PathBuf>,
    /// Also write RSRP bands (-120/-110/-100/-90 dBm) as polygons (.gpkg, .geojson).
    #[arg(long)]
    contours: Option<PathBuf>,
    /// Households to evaluate (RSRP at each, with indoor loss); needs --households-output.
    #[arg(long)]
    households: Option<PathBuf>,
    #[command(flatten)]
    household_fields: HouseholdFields,
    /// Output of the households with rsrp_dbm, serving_site, sinr_db, radio_covered.
    #[arg(long)]
    households_output: Option<PathBuf>,
    /// Indoor penetration: 3GPP TR 38.901 O2I low-loss model (default) or none.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    indoor: bool,
}

pub fn run(args: &RadioArgs, quiet: bool) -> Result<(), Box<dyn std::error::Error>> {
    for raster in [Some(&args.output), args.server_output.as_ref(), args.sinr_output.as_ref()].into_iter().flatten() {
        if !raster.extension().is_some_and(|e| e.eq_ignore_ascii_case("tif") || e.eq_ignore_ascii_case("tiff")) {
            return Err(format!("{}: raster outputs are GeoTIFFs (.tif)", raster.display()).into());
        }
    }
    for vector in [args.contours.as_ref(), args.households_output.as_ref()].into_iter().flatten() {
        check_output_path(vector)?;
    }
    if args.households.is_some() != args.households_output.is_some() {
        return Err("--households and --households-output go together".into());
    }
    let say = crate::sayer(quiet);
    let t = Instant::now();
    let dem = read_dem(&args.dem, &DemSpec { crs: args.dem_crs.clone(), target_epsg: args.dem_target_epsg, ..Default::default() })?;
    say(format!(
        "read DEM {} x {} ({}, {} missing cells, {} below 0 m read as the sea surface) in {:.2} s",
        dem.cols(),
        dem.rows(),
        dem.crs(),
        dem.missing_count(),
        dem.below_sea_level_count(),
        t.elapsed().as_secs_f64()
    ));
    let mut sites = read_sites(&args.sites, args.sites_crs.as_deref(), dem.crs())?;
    if let Some(technology) = args.technology {
        sites.retain(|s| s.technology() == technology);
        if sites.is_empty() {
            return Err(format!("{}: no {} site", args.sites.display(), technology.name()).into());
        }
    }
    say(format!("read {} sites", sites.len()));

    let mut options = CoverageOptions::new(args.radius, args.model.model(args.extrapolate)).with_receiver_height(args.rx_height).with_clip_to_dem(true);
    if let Some(threshold) = args.threshold {
        options = options.with_rsrp_threshold(threshold);
    }
    let t = Instant::now();
    let bar = Bar::new(quiet);
    let map = best_server(&dem, &sites, &options, args.load, args.noise_figure, &bar)?;
    bar.finish();
    say(format!("best-server map {} x {} in {:.2} s", map.shape().1, map.shape().0, t.elapsed().as_secs_f64()));

    write_cog(&args.output, map.rsrp_dbm(), map.transform(), map.crs(), Some(f64::NAN))?;
    if let Some(path) = &args.server_output {
        write_cog(path, map.server(), map.transform(), map.crs(), Some(f64::from(bbcov_core::NO_SERVER)))?;
    }
    if let Some(path) = &args.sinr_output {
        write_cog(path, map.sinr_db(), map.transform(), map.crs(), Some(f64::NAN))?;
    }
    if let Some(path) = &args.contours {
        write_contour_polygons(path, map.rsrp_dbm(), map.transform(), map.crs(), &[-120.0, -110.0, -100.0, -90.0, -80.0])?;
    }
    let cell_km2 = map.transform().dx * map.transform().dy / 1e6;
    println!("Radio coverage ({}), radius {} m, receiver {} m", options.model.name(), args.radius, args.rx_height);
    println!("covered area: {:.1} km² ({} cells at RSRP ≥ threshold)", map.covered_count() as f64 * cell_km2, map.covered_count());
    print_sites(&sites, &map, cell_km2);

    if let (Some(path), Some(output)) = (&args.households, &args.households_output) {
        let input = HouseholdsInput { path: path.clone(), fields: args.household_fields.clone() };
        households_report(&dem, &sites, &input, output, &options, args, &say)?;
    }
    Ok(())
}

fn parse_technology(text: &str) -> Result<Technology, String> {
    match text.to_ascii_lowercase().as_str() {
        "lte" | "4g" => Ok(Technology::Lte),
        "nr-fr1" | "nr" | "5g" => Ok(Technology::NrFr1),
        "nr-fr2" | "mmwave" => Ok(Technology::NrFr2),
        other => Err(format!("unknown technology {other:?}: use lte, nr-fr1 or nr-fr2")),
    }
}

fn print_sites(sites: &[Site], map: &bbcov_core::BestServerMap, cell_km2: f64) {
    let mut served = vec![0usize; sites.len()];
    for (&s, &c) in map.server().iter().zip(map.covered().iter()) {
        if c && (s as usize) < sites.len() {
            served[s as usize] += 1;
        }
    }
    println!("\n{:<12} {:>8} {:>8}  {:>10}  {:>13}", "site", "tech", "MHz", "EIRP dBm", "best km²");
    for (site, n) in sites.iter().zip(served) {
        println!(
            "{:<12} {:>8} {:>8}  {:>10.1}  {:>13.1}",
            site.id(),
            site.technology().name(),
            site.frequency_mhz(),
            site.eirp_dbm(),
            n as f64 * cell_km2
        );
    }
}

fn households_report(
    dem: &Dem,
    sites: &[Site],
    input: &HouseholdsInput,
    output: &std::path::Path,
    options: &CoverageOptions,
    args: &RadioArgs,
    say: &dyn Fn(String),
) -> Result<(), Box<dyn std::error::Error>> {
    let households = input.load_in(Some(dem.crs()), say)?;
    let hopts = crate::config::household_options(options, args.indoor, args.load, args.noise_figure);
    let t = Instant::now();
    let signals = household_signal(dem, sites, &households, &hopts)?;
    say(format!("household signal for {} points in {:.2} s", households.len(), t.elapsed().as_secs_f64()));
    let covered: Vec<bool> = signals.iter().map(|s| s.covered).collect();
    let mut columns = household_columns(&households);
    columns.push(Column { name: "rsrp_dbm".into(), data: ColumnData::F64(signals.iter().map(|s| s.rsrp_dbm).collect()) });
    columns.push(Column {
        name: "serving_site".into(),
        data: ColumnData::Text(signals.iter().map(|s| s.serving_site.map(|i| sites[i].id().to_owned()).unwrap_or_default()).collect()),
    });
    columns.push(Column { name: "sinr_db".into(), data: ColumnData::F64(signals.iter().map(|s| s.sinr_db).collect()) });
    columns.push(Column { name: "radio_covered".into(), data: ColumnData::Bool(covered.clone()) });
    write_points(output, "households", households.crs(), households.coords(), &columns)?;
    println!("\nHouseholds with RSRP at or above the threshold (indoor loss {}):", if args.indoor { "TR 38.901 O2I low-loss" } else { "none" });
    let keys = input.summary_keys();
    if keys.is_empty() {
        print!("{}", table::render("area", &summarize(&households, &covered, None)?));
    }
    for key in &keys {
        print!("{}", table::render(key, &summarize(&households, &covered, Some(key))?));
    }
    Ok(())
}
