//! Region files (TOML): the layers of a study region and its parameters.
//!
//! ```toml
//! name = "Sample Islands"
//! households = "households.gpkg"      # paths are relative to this file
//! households_layer = "households"
//! weight_field = "households"
//! id_field = "hh_id"
//! area_fields = ["municipality", "island"]
//! fiber = "fiber.gpkg"
//! dem = "dem.tif"
//! towers = "towers.csv"
//! max_drop_m = 300
//! ```

use std::path::{Path, PathBuf};

use bbcov_core::{CostTable, CoverageOptions, FiberExtensionSettings, HouseholdRadioOptions, PlanSettings, RadioSettings};
use clap::ValueEnum;
use serde::Deserialize;

use crate::inputs::{FiberInput, HouseholdFields, HouseholdsInput};
use crate::radio::ModelChoice;

/// A region file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionConfig {
    pub name: Option<String>,
    pub households: PathBuf,
    pub households_layer: Option<String>,
    pub households_crs: Option<String>,
    pub weight_field: Option<String>,
    pub id_field: Option<String>,
    #[serde(default)]
    pub area_fields: Vec<String>,
    pub mesh: Option<String>,
    pub fiber: PathBuf,
    pub fiber_layer: Option<String>,
    pub fiber_crs: Option<String>,
    pub dem: Option<PathBuf>,
    pub towers: Option<PathBuf>,
    pub roads: Option<PathBuf>,
    pub land: Option<PathBuf>,
    #[serde(default = "default_max_drop")]
    pub max_drop_m: f64,
    /// Radio coverage of the towers over the DEM.
    #[serde(default)]
    pub radio: RadioConfig,
    /// Siting of new base stations for the unserved households.
    #[serde(default)]
    pub plan: PlanConfig,
    /// Settings of `bbcov report`.
    #[serde(default)]
    pub report: ReportConfig,
}

/// The `[plan]` table of a region file: which problem to solve, where
/// candidates come from, what a new site transmits, what things cost.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlanConfig {
    /// Maximal covering with this many new sites (default when neither budget nor target is set: 5).
    pub sites: Option<usize>,
    /// Budgeted covering: total capex + opex over `years` of new sites and their backhaul.
    pub budget: Option<f64>,
    /// Fewest-cost plan reaching this share (0–1] of the unserved households.
    pub target_share: Option<f64>,
    /// Candidate ids that must be in the plan (sites already decided).
    pub locked: Vec<String>,
    /// Also offer the existing towers' structures as candidates (co-location).
    pub towers_as_candidates: bool,
    /// A point layer of user candidate positions with an `id` field (relative to this file).
    pub candidates: Option<PathBuf>,
    /// Terrain high points: higher than everything within this radius (m)...
    pub high_point_radius_m: f64,
    /// ...and at least this much above the lowest point within it (m).
    pub high_point_relief_m: f64,
    /// Spacing of a regular grid of candidates (m); 0 for none.
    pub grid_spacing_m: f64,
    /// Candidates steeper than this are dropped (degrees).
    pub max_slope_deg: f64,
    /// Candidates farther than this from a road are dropped (m; needs `roads`).
    pub max_road_distance_m: f64,
    /// New sites: technology (`5G`, `4G`, `local5G`), frequency, bandwidth, EIRP, mast height.
    pub technology: String,
    pub frequency_mhz: f64,
    pub bandwidth_mhz: Option<f64>,
    pub eirp_dbm: f64,
    pub mast_height_m: f64,
    /// Costs (illustrative defaults of bbcov-core's `CostTable` unless given).
    pub site_capex: Option<f64>,
    pub fiber_capex_per_km: Option<f64>,
    pub microwave_link_capex: Option<f64>,
    pub years: Option<f64>,
}

impl Default for PlanConfig {
    /// The defaults of bbcov-core's [`PlanSettings`], no user candidates.
    fn default() -> Self {
        let d = PlanSettings::default();
        PlanConfig {
            sites: d.sites,
            budget: d.budget,
            target_share: d.target_share,
            locked: d.locked,
            towers_as_candidates: d.towers_as_candidates,
            candidates: None,
            high_point_radius_m: d.high_point_radius_m,
            high_point_relief_m: d.high_point_relief_m,
            grid_spacing_m: d.grid_spacing_m,
            max_slope_deg: d.max_slope_deg,
            max_road_distance_m: d.max_road_distance_m,
            technology: d.technology,
            frequency_mhz: d.frequency_mhz,
            bandwidth_mhz: d.bandwidth_mhz,
            eirp_dbm: d.eirp_dbm,
            mast_height_m: d.mast_height_m,
            site_capex: None,
            fiber_capex_per_km: None,
            microwave_link_capex: None,
            years: None,
        }
    }
}

impl PlanConfig {
    /// The core's settings of this table; costs not given are the core's illustrative defaults.
    pub fn settings(&self) -> PlanSettings {
        let defaults = CostTable::default();
        PlanSettings {
            sites: self.sites,
            budget: self.budget,
            target_share: self.target_share,
            locked: self.locked.clone(),
            towers_as_candidates: self.towers_as_candidates,
            high_point_radius_m: self.high_point_radius_m,
            high_point_relief_m: self.high_point_relief_m,
            grid_spacing_m: self.grid_spacing_m,
            max_slope_deg: self.max_slope_deg,
            max_road_distance_m: self.max_road_distance_m,
            technology: self.technology.clone(),
            frequency_mhz: self.frequency_mhz,
            bandwidth_mhz: self.bandwidth_mhz,
            eirp_dbm: self.eirp_dbm,
            mast_height_m: self.mast_height_m,
            costs: CostTable {
                site_capex: self.site_capex.unwrap_or(defaults.site_capex),
                fiber_capex_per_km: self.fiber_capex_per_km.unwrap_or(defaults.fiber_capex_per_km),
                microwave_link_capex: self.microwave_link_capex.unwrap_or(defaults.microwave_link_capex),
                years: self.years.unwrap_or(defaults.years),
                ..defaults
            },
            microwave: Some(bbcov_core::MicrowaveOptions::default()),
        }
    }
}

/// The `[report]` table of a region file: the fiber extension scenario and
/// the dates of the input data, for `bbcov report`.
///
/// ```toml
/// [report]
/// fiber_extension_m = 2000          # longest spur to an unserved cluster (m)
/// cluster_field = "village"         # households' field that forms clusters
/// cluster_cell_m = 500              # without one: square cells of this side (m)
/// dates = { households = "2020-10-01", dem = "2024-04-01" }
/// ```
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportConfig {
    /// Longest straight spur (m) built to reach a cluster of unserved households.
    pub fiber_extension_m: f64,
    /// Households' area field whose values form the clusters (default: `village` when the
    /// households have it, else every household point on its own).
    pub cluster_field: Option<String>,
    /// Without a cluster field: side (m) of the square cells that form the clusters.
    pub cluster_cell_m: f64,
    /// Date of each layer's data (`households`, `fiber`, `dem`, `towers`, `roads`, `land`), `YYYY-MM-DD`;
    /// a layer without one is dated by its file's modification time.
    pub dates: std::collections::BTreeMap<String, String>,
}

impl Default for ReportConfig {
    fn default() -> Self {
        let d = FiberExtensionSettings::default();
        ReportConfig { fiber_extension_m: d.max_extension_m, cluster_field: None, cluster_cell_m: d.cluster_cell_m, dates: Default::default() }
    }
}

/// The `[radio]` table of a region file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RadioConfig {
    /// `itm`, `diffraction`, `rma`, `uma` or `umi`.
    pub model: String,
    pub radius_m: f64,
    pub rx_height_m: f64,
    /// RSRP threshold (dBm); default per technology.
    pub threshold_dbm: Option<f64>,
    /// TR 38.901 O2I low-loss indoor penetration at households.
    pub indoor: bool,
    pub load: f64,
    pub noise_figure_db: f64,
}

impl RadioConfig {
    /// The coverage-map options of this table.
    pub fn coverage_options(&self) -> Result<CoverageOptions, Box<dyn std::error::Error>> {
        let model = ModelChoice::from_str(&self.model, true).map_err(|e| format!("[radio] model: {e}"))?.model(false);
        let options = CoverageOptions::new(self.radius_m, model).with_receiver_height(self.rx_height_m).with_clip_to_dem(true);
        Ok(match self.threshold_dbm {
            Some(t) => options.with_rsrp_threshold(t),
            None => options,
        })
    }

    /// The household-signal options of this table (indoor loss, load, noise figure).
    pub fn household_options(&self) -> Result<HouseholdRadioOptions, Box<dyn std::error::Error>> {
        Ok(self.settings()?.household_options())
    }

    /// The core's radio settings of this table.
    pub fn settings(&self) -> Result<RadioSettings, Box<dyn std::error::Error>> {
        Ok(RadioSettings { coverage: self.coverage_options()?, indoor: self.indoor, load: self.load, noise_figure_db: self.noise_figure_db })
    }
}

/// Household-signal options from coverage options: TR 38.901 O2I low-loss
/// indoor penetration when `indoor`, and the interference load and noise figure
/// (see [`RadioSettings::household_options`]).
pub fn household_options(coverage: &CoverageOptions, indoor: bool, load: f64, noise_figure_db: f64) -> HouseholdRadioOptions {
    RadioSettings { coverage: *coverage, indoor, load, noise_figure_db }.household_options()
}

impl Default for RadioConfig {
    fn default() -> Self {
        RadioConfig { model: "itm".into(), radius_m: 8_000.0, rx_height_m: 1.5, threshold_dbm: None, indoor: true, load: 0.5, noise_figure_db: 7.0 }
    }
}

fn default_max_drop() -> f64 {
    300.0
}

impl RegionConfig {
    /// Reads a region file; relative paths are resolved against its directory.
    pub fn read(path: &Path) -> Result<Self, Box<dyn std::error::Error>> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut config: RegionConfig = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let resolve = |p: &mut PathBuf| *p = base.join(&*p);
        resolve(&mut config.households);
        resolve(&mut config.fiber);
        for p in [&mut config.dem, &mut config.towers, &mut config.roads, &mut config.land, &mut config.plan.candidates].into_iter().flatten() {
            resolve(p);
        }
        Ok(config)
    }

    pub fn households_input(&self) -> Result<HouseholdsInput, Box<dyn std::error::Error>> {
        Ok(HouseholdsInput {
            path: self.households.clone(),
            fields: HouseholdFields {
                layer: self.households_layer.clone(),
                crs: self.households_crs.clone(),
                weight_field: self.weight_field.clone(),
                id_field: self.id_field.clone(),
                area_fields: self.area_fields.clone(),
                mesh: self.mesh.as_deref().map(str::parse).transpose().map_err(|e: String| format!("mesh: {e}"))?,
            },
        })
    }

    pub fn fiber_input(&self) -> FiberInput {
        FiberInput { path: self.fiber.clone(), layer: self.fiber_layer.clone(), crs: self.fiber_crs.clone() }
    }
}
