//! `region_report`: the whole analysis of a region ([`bbcov_core::analyze_region`])
//! and its report ([`bbcov_report::assemble`], [`bbcov_report::write_report`]),
//! as `bbcov report` makes them. `bbcov.report` (Python) reads the region
//! file and its layers with geopandas / rasterio and calls this.

use bbcov_core::{CostTable, Crs, FiberExtensionSettings, PlanSettings, RadioSettings, RegionError, RegionInputs, RegionSettings, analyze_region};
use bbcov_report::{DataSource, Lang, ReportInputs, assemble, write_report};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::invalid_input;
use crate::fiber::PyFiberNetwork;
use crate::gil::enter;
use crate::households::{PyHouseholds, epsg_of};
use crate::radio::{PyDem, PySite, coverage_options, site_list};

const PLAN_KEYS: &[&str] = &[
    "sites",
    "budget",
    "target_share",
    "locked",
    "towers_as_candidates",
    "high_point_radius_m",
    "high_point_relief_m",
    "grid_spacing_m",
    "max_slope_deg",
    "max_road_distance_m",
    "technology",
    "frequency_mhz",
    "bandwidth_mhz",
    "eirp_dbm",
    "mast_height_m",
    "site_capex",
    "fiber_capex_per_km",
    "microwave_link_capex",
    "years",
];

/// Refuses keys of a region-file table that it does not have (as the CLI's `deny_unknown_fields`).
fn check_keys(py: Python<'_>, table: &str, dict: &Bound<'_, PyDict>, known: &[&str]) -> PyResult<()> {
    for key in dict.keys() {
        let key: String = key.extract()?;
        if !known.contains(&key.as_str()) {
            return Err(invalid_input(py, format!("[{table}]: unknown field `{key}`, expected one of {}", known.join(", "))));
        }
    }
    Ok(())
}

fn get<'py, T: FromPyObjectOwned<'py>>(dict: &Bound<'py, PyDict>, key: &str) -> PyResult<Option<T>> {
    match dict.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(v.extract().map_err(Into::into)?)),
        _ => Ok(None),
    }
}

/// The `[plan]` table as core settings; missing keys take [`PlanSettings::default`].
pub(crate) fn plan_settings(py: Python<'_>, plan: &Bound<'_, PyDict>) -> PyResult<PlanSettings> {
    check_keys(py, "plan", plan, PLAN_KEYS)?;
    let d = PlanSettings::default();
    let c = CostTable::default();
    Ok(PlanSettings {
        sites: get(plan, "sites")?,
        budget: get(plan, "budget")?,
        target_share: get(plan, "target_share")?,
        locked: get(plan, "locked")?.unwrap_or_default(),
        towers_as_candidates: get(plan, "towers_as_candidates")?.unwrap_or(d.towers_as_candidates),
        high_point_radius_m: get(plan, "high_point_radius_m")?.unwrap_or(d.high_point_radius_m),
        high_point_relief_m: get(plan, "high_point_relief_m")?.unwrap_or(d.high_point_relief_m),
        grid_spacing_m: get(plan, "grid_spacing_m")?.unwrap_or(d.grid_spacing_m),
        max_slope_deg: get(plan, "max_slope_deg")?.unwrap_or(d.max_slope_deg),
        max_road_distance_m: get(plan, "max_road_distance_m")?.unwrap_or(d.max_road_distance_m),
        technology: get(plan, "technology")?.unwrap_or(d.technology),
        frequency_mhz: get(plan, "frequency_mhz")?.unwrap_or(d.frequency_mhz),
        bandwidth_mhz: get::<f64>(plan, "bandwidth_mhz")?.or(d.bandwidth_mhz),
        eirp_dbm: get(plan, "eirp_dbm")?.unwrap_or(d.eirp_dbm),
        mast_height_m: get(plan, "mast_height_m")?.unwrap_or(d.mast_height_m),
        costs: CostTable {
            site_capex: get(plan, "site_capex")?.unwrap_or(c.site_capex),
            fiber_capex_per_km: get(plan, "fiber_capex_per_km")?.unwrap_or(c.fiber_capex_per_km),
            microwave_link_capex: get(plan, "microwave_link_capex")?.unwrap_or(c.microwave_link_capex),
            years: get(plan, "years")?.unwrap_or(c.years),
            ..c
        },
        microwave: d.microwave,
    })
}

/// `[radio]` as core settings; every key is required (`bbcov.report` fills in the CLI's defaults).
pub(crate) fn radio_settings(py: Python<'_>, radio: &Bound<'_, PyDict>) -> PyResult<RadioSettings> {
    let keys = ["model", "radius_m", "rx_height_m", "threshold_dbm", "indoor", "load", "noise_figure_db"];
    check_keys(py, "radio", radio, &keys)?;
    let need = |key: &str| -> PyResult<Bound<'_, PyAny>> {
        radio.get_item(key)?.ok_or_else(|| invalid_input(py, format!("[radio]: `{key}` is missing")))
    };
    let model: String = need("model")?.extract()?;
    let coverage = coverage_options(py, need("radius_m")?.extract()?, &model, false, need("rx_height_m")?.extract()?, get(radio, "threshold_dbm")?)?;
    Ok(RadioSettings { coverage, indoor: need("indoor")?.extract()?, load: need("load")?.extract()?, noise_figure_db: need("noise_figure_db")?.extract()? })
}

/// Calls the Python `to_lonlat(epsg | None, x, y) -> (lon, lat)` from the
/// core's worker thread (attaching to the interpreter for the call).
pub(crate) fn lonlat_via(callback: &Py<PyAny>, crs: Crs, points: &[[f64; 2]]) -> Result<Vec<[f64; 2]>, String> {
    Python::attach(|py| {
        let x = PyArray1::from_iter(py, points.iter().map(|p| p[0]));
        let y = PyArray1::from_iter(py, points.iter().map(|p| p[1]));
        let result = callback.bind(py).call1((epsg_of(crs), x, y)).map_err(|e| e.to_string())?;
        let (lon, lat) = result.extract::<(PyReadonlyArray1<'_, f64>, PyReadonlyArray1<'_, f64>)>().map_err(|e| e.to_string())?;
        let (lon, lat) = (lon.as_array(), lat.as_array());
        if lon.len() != points.len() || lat.len() != points.len() {
            return Err(format!("to_lonlat returned {} / {} values for {} points", lon.len(), lat.len(), points.len()));
        }
        Ok(lon.iter().zip(lat.iter()).map(|(&a, &b)| [a, b]).collect())
    })
}

/// The report of a region: runs the analysis, assembles the report, writes
/// it to `output` (with `<name>.json` and `<name>-tables/` beside it) when
/// given, and returns the report's numbers as JSON text.
///
/// All layers must be in the DEM's projected CRS. `sources` are
/// `(key, file, crs, records, date)` of the input files.
#[pyfunction]
#[pyo3(signature = (households, fiber, dem, towers, *, roads = None, candidates = None, max_drop_m, radio, plan,
    fiber_extension_m, cluster_field, cluster_cell_m, municipality_field, island_field, region, generated_on, sources, to_lonlat,
    lang = "ja", output = None, progress = false))]
#[allow(clippy::too_many_arguments)]
pub fn region_report(
    py: Python<'_>,
    households: &Bound<'_, PyHouseholds>,
    fiber: &Bound<'_, PyFiberNetwork>,
    dem: &Bound<'_, PyDem>,
    towers: Vec<Bound<'_, PySite>>,
    roads: Option<Bound<'_, PyFiberNetwork>>,
    candidates: Option<(Vec<[f64; 2]>, Vec<String>)>,
    max_drop_m: f64,
    radio: &Bound<'_, PyDict>,
    plan: &Bound<'_, PyDict>,
    fiber_extension_m: f64,
    cluster_field: Option<String>,
    cluster_cell_m: f64,
    municipality_field: Option<String>,
    island_field: Option<String>,
    region: String,
    generated_on: String,
    sources: Vec<(String, String, String, u64, String)>,
    to_lonlat: Py<PyAny>,
    lang: &str,
    output: Option<std::path::PathBuf>,
    progress: bool,
) -> PyResult<String> {
    let lang: Lang = lang.parse().map_err(|e: bbcov_report::Error| invalid_input(py, e.to_string()))?;
    if let Some(out) = &output {
        bbcov_report::Format::from_path(out).map_err(|e| invalid_input(py, e.to_string()))?;
    }
    let settings = RegionSettings {
        max_drop_m,
        radio: radio_settings(py, radio)?,
        plan: plan_settings(py, plan)?,
        radio_by_technology: true,
        coverage_map: true,
        fiber_extension: Some(FiberExtensionSettings { max_extension_m: fiber_extension_m, cluster_key: cluster_field, cluster_cell_m, ..Default::default() }),
    };
    let sources: Vec<DataSource> = sources.into_iter().map(|(key, file, crs, records, date)| DataSource { key, file, crs, records, date }).collect();
    let towers = site_list(&towers);
    let (households, fiber, dem) = (&households.get().0, &fiber.get().0, &dem.get().0);
    let roads = roads.as_ref().map(|r| &r.get().0);
    let lonlat = move |crs: Crs, points: &[[f64; 2]]| lonlat_via(&to_lonlat, crs, points);
    // Errors outside the core's own (settings, projection, assembly, rendering) come back as text.
    let run = |p: &dyn bbcov_core::Progress| -> bbcov_core::Result<Result<String, (&'static str, String)>> {
        let inputs = RegionInputs {
            households,
            fiber,
            dem,
            towers: &towers,
            roads,
            listed_candidates: candidates.as_ref().map(|(xy, ids)| (xy.as_slice(), ids.as_slice())),
        };
        let outcome = match analyze_region(&inputs, &settings, &lonlat, p, &|_| {}) {
            Ok(o) => o,
            Err(RegionError::Core(e)) => return Err(e),
            Err(e) => return Ok(Err(("input", e.to_string()))),
        };
        let report_inputs = ReportInputs {
            region: &region,
            generated_on: &generated_on,
            households,
            towers: &towers,
            fiber,
            dem,
            settings: &settings,
            municipality_key: municipality_field.as_deref(),
            island_key: island_field.as_deref(),
            sources: &sources,
            maps: output.is_some(),
            to_lonlat: &lonlat,
        };
        let report = match assemble(&outcome, &report_inputs) {
            Ok(r) => r,
            Err(bbcov_report::AssembleError::Core(e)) => return Err(e),
            Err(e) => return Ok(Err(("input", e.to_string()))),
        };
        if let Some(out) = &output
            && let Err(e) = write_report(&report, lang, out)
        {
            return Ok(Err(("os", e.to_string())));
        }
        Ok(serde_json::to_string_pretty(&report).map_err(|e| ("os", e.to_string())))
    };
    let outcome = enter(py, progress, |p| {
        // The worker keeps one Python thread state for the whole run: the
        // `to_lonlat` calls attach to it (pyproj 3.7 keeps a per-thread PROJ
        // context that a transient thread state would free between calls,
        // pyproj#1622), and it is detached while Rust computes.
        Python::attach(|py| py.detach(|| run(p)))
    })?;
    outcome.map_err(|(kind, message)| if kind == "os" { PyOSError::new_err(message) } else { invalid_input(py, message) })
}
