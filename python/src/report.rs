//! `region_report`: the whole analysis of a region ([`bbcov_core::analyze_region`])
//! and its report ([`bbcov_report::assemble`], [`bbcov_report::write_report`]),
//! as `bbcov report` makes them. `bbcov.report` (Python) reads the region
//! file and its layers with geopandas / rasterio and calls this.

use bbcov_core::{Crs, RegionError, RegionInputs, RegionSettings, analyze_region};
use bbcov_report::region_file::{defaults_json, table_from_json};
use bbcov_report::{DataSource, Lang, PlanTable, RadioTable, RegionTable, ReportInputs, ReportTable, assemble, write_report};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;

use crate::error::invalid_input;
use crate::fiber::PyFiberNetwork;
use crate::gil::enter;
use crate::households::{PyHouseholds, epsg_of};
use crate::radio::{PyDem, PySite, site_list};

/// A table of the region file (`radio`, `plan` or `report`; a dict as
/// `tomllib` reads it, or `None` when absent) read with the schema of
/// `bbcov report` ([`bbcov_report::region_file`]): the same defaults, the
/// same keys, unknown ones refused, errors naming the table and the key.
pub(crate) fn region_table<T: RegionTable>(py: Python<'_>, table: &Bound<'_, PyAny>) -> PyResult<T> {
    let json = py.import("json")?.call_method1("dumps", (table,)).map_err(|e| invalid_input(py, format!("[{}] {}", T::NAME, e.value(py))))?;
    table_from_json(&json.extract::<String>()?).map_err(|e| invalid_input(py, e.to_string()))
}

/// The defaults of the region file's `[radio]`, `[plan]` and `[report]`
/// tables (`bbcov_report::region_file`), as a dict of dicts.
#[pyfunction]
pub fn region_defaults<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (defaults_json(),))
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
/// All layers must be in the DEM's projected CRS. `radio`, `plan` and
/// `report` are the region file's tables (see [`region_table`]). `sources`
/// are `(key, file, crs, records, date)` of the input files; a date in
/// `[report] dates` replaces theirs.
#[pyfunction]
#[pyo3(signature = (households, fiber, dem, towers, *, roads = None, candidates = None, max_drop_m, radio, plan, report,
    municipality_field, island_field, region, generated_on, sources, to_lonlat,
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
    radio: &Bound<'_, PyAny>,
    plan: &Bound<'_, PyAny>,
    report: &Bound<'_, PyAny>,
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
    let radio: RadioTable = region_table(py, radio)?;
    let plan: PlanTable = region_table(py, plan)?;
    let report: ReportTable = region_table(py, report)?;
    let settings = RegionSettings {
        max_drop_m,
        radio: radio.settings().map_err(|e| invalid_input(py, e.to_string()))?,
        plan: plan.settings(),
        radio_by_technology: true,
        coverage_map: true,
        fiber_extension: Some(report.fiber_extension(&households.get().0)),
    };
    let sources: Vec<DataSource> = sources
        .into_iter()
        .map(|(key, file, crs, records, date)| DataSource { date: report.date(&key).map_or(date, str::to_owned), key, file, crs, records })
        .collect();
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
