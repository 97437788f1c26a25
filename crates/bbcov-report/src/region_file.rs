//! The settings tables of a region file — `[radio]`, `[plan]` and
//! `[report]` — with their defaults, the keys they accept and their
//! conversion to bbcov-core's settings. One schema for every reader: `bbcov`
//! deserializes them from the TOML file, `bbcov.report` and
//! `bbcov.siting.plan_sites` (Python) hand them over as JSON
//! ([`table_from_json`]).
//!
//! ```toml
//! [radio]
//! model = "itm"                # itm, diffraction, rma, uma or umi
//! radius_m = 8000
//!
//! [plan]
//! sites = 5
//! technology = "5G"
//!
//! [report]
//! fiber_extension_m = 2000
//! dates = { households = "2020-10-01" }
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;

use bbcov_core::propagation::Tr38901Scenario;
use bbcov_core::propagation::itm::Climate;
use bbcov_core::{
    CostTable, CoverageOptions, FiberExtensionSettings, Households, HouseholdRadioOptions, ItmSettings, PlanSettings, RadioModel, RadioSettings,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A value of a region file's table that cannot be used; the message names the table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("[{table}] {message}")]
pub struct TableError {
    /// `radio`, `plan` or `report`.
    pub table: &'static str,
    /// What is wrong, starting with the key when there is one.
    pub message: String,
}

/// A table of a region file: its schema and defaults.
pub trait RegionTable: DeserializeOwned + Default {
    /// The table's name in the region file (`radio` for `[radio]`).
    const NAME: &'static str;
}

impl RegionTable for RadioTable {
    const NAME: &'static str = "radio";
}

impl RegionTable for PlanTable {
    const NAME: &'static str = "plan";
}

impl RegionTable for ReportTable {
    const NAME: &'static str = "report";
}

/// A table of a region file from its JSON text (an object; `null` for an
/// absent table gives its defaults). Errors name the table and the key, as
/// the TOML reader's do; unknown keys are refused.
pub fn table_from_json<T: RegionTable>(json: &str) -> Result<T, TableError> {
    let error = |e: serde_json::Error| TableError { table: T::NAME, message: e.to_string() };
    // Through a `Value`: its errors carry no position in the (one-line) JSON text.
    let value: serde_json::Value = serde_json::from_str(json).map_err(error)?;
    if value.is_null() {
        return Ok(T::default());
    }
    serde_json::from_value(value).map_err(error)
}

/// Propagation model of `[radio] model` and of `bbcov radio --model`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelName {
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

impl ModelName {
    /// Every model, in the order of their names in messages.
    pub const ALL: [ModelName; 5] = [ModelName::Itm, ModelName::Diffraction, ModelName::Rma, ModelName::Uma, ModelName::Umi];

    /// The name in a region file.
    pub fn name(self) -> &'static str {
        match self {
            ModelName::Itm => "itm",
            ModelName::Diffraction => "diffraction",
            ModelName::Rma => "rma",
            ModelName::Uma => "uma",
            ModelName::Umi => "umi",
        }
    }

    /// The core's model; `extrapolate` applies it outside its validity range instead of refusing.
    pub fn model(self, extrapolate: bool) -> RadioModel {
        let model = match self {
            ModelName::Itm => RadioModel::Itm(ItmSettings { climate: Climate::MaritimeTemperateOverLand, ..ItmSettings::default() }),
            ModelName::Diffraction => RadioModel::diffraction(),
            ModelName::Rma => RadioModel::tr38901(Tr38901Scenario::RMa),
            ModelName::Uma => RadioModel::tr38901(Tr38901Scenario::UMa),
            ModelName::Umi => RadioModel::tr38901(Tr38901Scenario::UMiStreetCanyon),
        };
        if extrapolate { model.extrapolating() } else { model }
    }
}

impl FromStr for ModelName {
    type Err = String;

    /// A model by its name, ignoring ASCII case.
    fn from_str(text: &str) -> Result<Self, String> {
        ModelName::ALL.into_iter().find(|m| m.name().eq_ignore_ascii_case(text)).ok_or_else(|| {
            let names: Vec<_> = ModelName::ALL.iter().map(|m| m.name()).collect();
            format!("unknown radio model {text:?}: use {} or {}", names[..names.len() - 1].join(", "), names[names.len() - 1])
        })
    }
}

/// The `[radio]` table: the model and options of the towers' coverage maps
/// and of the households' signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RadioTable {
    /// `itm`, `diffraction`, `rma`, `uma` or `umi` (any case).
    pub model: String,
    /// Radius of each site's map (m).
    pub radius_m: f64,
    /// Receiver height above ground (m).
    pub rx_height_m: f64,
    /// RSRP threshold (dBm); default per technology.
    pub threshold_dbm: Option<f64>,
    /// TR 38.901 O2I low-loss indoor penetration at households.
    pub indoor: bool,
    /// Cell load of interfering sites for SINR, in [0, 1].
    pub load: f64,
    /// Receiver noise figure (dB).
    pub noise_figure_db: f64,
}

impl Default for RadioTable {
    fn default() -> Self {
        RadioTable { model: "itm".into(), radius_m: 8_000.0, rx_height_m: 1.5, threshold_dbm: None, indoor: true, load: 0.5, noise_figure_db: 7.0 }
    }
}

impl RadioTable {
    /// The model of `model`.
    pub fn model_name(&self) -> Result<ModelName, TableError> {
        self.model.parse().map_err(|e| TableError { table: "radio", message: format!("model: {e}") })
    }

    /// The coverage-map options of this table (clipped to the DEM).
    pub fn coverage_options(&self) -> Result<CoverageOptions, TableError> {
        let model = self.model_name()?.model(false);
        let options = CoverageOptions::new(self.radius_m, model).with_receiver_height(self.rx_height_m).with_clip_to_dem(true);
        Ok(match self.threshold_dbm {
            Some(t) => options.with_rsrp_threshold(t),
            None => options,
        })
    }

    /// The core's radio settings of this table.
    pub fn settings(&self) -> Result<RadioSettings, TableError> {
        Ok(RadioSettings { coverage: self.coverage_options()?, indoor: self.indoor, load: self.load, noise_figure_db: self.noise_figure_db })
    }

    /// The household-signal options of this table (indoor loss, load, noise figure).
    pub fn household_options(&self) -> Result<HouseholdRadioOptions, TableError> {
        Ok(self.settings()?.household_options())
    }
}

/// The `[plan]` table: which problem to solve, where candidates come from,
/// what a new site transmits, what things cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlanTable {
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
    /// A point layer of user candidate positions with an `id` field (relative
    /// to the region file; read by the caller, not part of [`PlanSettings`]).
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
    /// Costs (illustrative defaults of bbcov-core's [`CostTable`] unless given).
    pub site_capex: Option<f64>,
    pub fiber_capex_per_km: Option<f64>,
    pub microwave_link_capex: Option<f64>,
    pub years: Option<f64>,
}

impl Default for PlanTable {
    /// The defaults of bbcov-core's [`PlanSettings`], no user candidates.
    fn default() -> Self {
        let d = PlanSettings::default();
        PlanTable {
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

impl PlanTable {
    /// The core's settings of this table; costs not given are the core's
    /// illustrative defaults, backhaul by fiber or a microwave hop.
    pub fn settings(&self) -> PlanSettings {
        let d = PlanSettings::default();
        let costs = d.costs;
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
                site_capex: self.site_capex.unwrap_or(costs.site_capex),
                fiber_capex_per_km: self.fiber_capex_per_km.unwrap_or(costs.fiber_capex_per_km),
                microwave_link_capex: self.microwave_link_capex.unwrap_or(costs.microwave_link_capex),
                years: self.years.unwrap_or(costs.years),
                ..costs
            },
            microwave: d.microwave,
        }
    }
}

/// The `[report]` table: the fiber extension scenario and the dates of the
/// input data, for `bbcov report`.
///
/// ```toml
/// [report]
/// fiber_extension_m = 2000          # longest spur to an unserved cluster (m)
/// cluster_field = "village"         # households' field that forms clusters
/// cluster_cell_m = 500              # without one: square cells of this side (m)
/// dates = { households = "2020-10-01", dem = "2024-04-01" }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportTable {
    /// Longest straight spur (m) built to reach a cluster of unserved households.
    pub fiber_extension_m: f64,
    /// Households' area field whose values form the clusters (default: `village` when the
    /// households have it, else every household point on its own).
    pub cluster_field: Option<String>,
    /// Without a cluster field: side (m) of the square cells that form the clusters.
    pub cluster_cell_m: f64,
    /// Date of each layer's data (`households`, `fiber`, `dem`, `towers`, `roads`, `land`), `YYYY-MM-DD`;
    /// a layer without one is dated by its file's modification time.
    pub dates: BTreeMap<String, String>,
}

impl Default for ReportTable {
    fn default() -> Self {
        let d = FiberExtensionSettings::default();
        ReportTable { fiber_extension_m: d.max_extension_m, cluster_field: None, cluster_cell_m: d.cluster_cell_m, dates: BTreeMap::new() }
    }
}

impl ReportTable {
    /// The fiber extension scenario of this table for `households`: clusters
    /// by `cluster_field`, else by `village` when the households have it.
    pub fn fiber_extension(&self, households: &Households) -> FiberExtensionSettings {
        let village = households.area("village").is_ok().then(|| "village".to_owned());
        FiberExtensionSettings {
            max_extension_m: self.fiber_extension_m,
            cluster_key: self.cluster_field.clone().or(village),
            cluster_cell_m: self.cluster_cell_m,
            ..Default::default()
        }
    }

    /// The date of a layer's data given in `dates`.
    pub fn date(&self, layer: &str) -> Option<&str> {
        self.dates.get(layer).map(String::as_str)
    }
}

/// The defaults of the three tables as one JSON object (`radio`, `plan`,
/// `report`), for bindings that show them as keyword defaults.
pub fn defaults_json() -> String {
    serde_json::json!({ "radio": RadioTable::default(), "plan": PlanTable::default(), "report": ReportTable::default() }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absent_or_empty_table_takes_the_defaults() {
        assert_eq!(table_from_json::<RadioTable>("null").unwrap(), RadioTable::default());
        assert_eq!(table_from_json::<PlanTable>("{}").unwrap(), PlanTable::default());
        assert_eq!(PlanTable::default().settings(), PlanSettings::default());
    }

    #[test]
    fn json_tables_take_integers_and_refuse_unknown_keys() {
        let radio: RadioTable = table_from_json(r#"{"model": "Diffraction", "radius_m": 4000}"#).unwrap();
        assert_eq!(radio.radius_m, 4_000.0);
        assert_eq!(radio.model_name().unwrap(), ModelName::Diffraction);
        let e = table_from_json::<PlanTable>(r#"{"site": 3}"#).unwrap_err();
        assert!(e.to_string().starts_with("[plan] unknown field `site`, expected one of"), "{e}");
        let e = table_from_json::<ReportTable>(r#"{"fiber_extension_m": "far"}"#).unwrap_err();
        assert!(e.to_string().starts_with("[report] invalid type: string \"far\""), "{e}");
    }

    #[test]
    fn a_bad_model_names_the_table_and_key() {
        let radio = RadioTable { model: "hata".into(), ..Default::default() };
        assert_eq!(radio.settings().unwrap_err().to_string(), "[radio] model: unknown radio model \"hata\": use itm, diffraction, rma, uma or umi");
    }

    #[test]
    fn defaults_are_one_json_object() {
        let d: serde_json::Value = serde_json::from_str(&defaults_json()).unwrap();
        assert_eq!(d["plan"]["high_point_radius_m"], 1_500.0);
        assert_eq!(d["radio"]["model"], "itm");
        assert_eq!(d["report"]["cluster_cell_m"], 500.0);
    }
}
