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
//!
//! The `[radio]`, `[plan]` and `[report]` tables are bbcov-report's
//! [`bbcov_report::region_file`] tables, which `bbcov.report` (Python) reads too.

use std::path::{Path, PathBuf};

use bbcov_core::{CoverageOptions, HouseholdRadioOptions, RadioSettings};
use bbcov_report::{PlanTable, RadioTable, ReportTable};
use serde::Deserialize;

use crate::inputs::{FiberInput, HouseholdFields, HouseholdsInput};

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
    pub radio: RadioTable,
    /// Siting of new base stations for the unserved households.
    #[serde(default)]
    pub plan: PlanTable,
    /// Settings of `bbcov report`.
    #[serde(default)]
    pub report: ReportTable,
}

/// Household-signal options from coverage options: TR 38.901 O2I low-loss
/// indoor penetration when `indoor`, and the interference load and noise figure
/// (see [`RadioSettings::household_options`]).
pub fn household_options(coverage: &CoverageOptions, indoor: bool, load: f64, noise_figure_db: f64) -> HouseholdRadioOptions {
    RadioSettings { coverage: *coverage, indoor, load, noise_figure_db }.household_options()
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
