//! Site selection: `CoverageSets` and the covering problems of `bbcov_core::siting`,
//! candidate sites (`bbcov_core::{high_points, grid_candidates, listed_candidates,
//! filter_candidates}`), backhaul costs (`bbcov_core::backhaul`), the per-site
//! costs of a plan (`bbcov_core::siting::site_costs`), and the whole pipeline
//! of `bbcov plan` (`plan_region`: `bbcov_core::analyze_region`).

use bbcov_core::siting::SitingOptions;
use bbcov_core::siting::{
    CoverageSets, SiteCost, SitingPlan, SitingProblem, budgeted_covering_with, coverage_sets_from_radio, max_covering_with, site_costs,
    target_covering_with,
};
use bbcov_core::{
    BackhaulKind, BackhaulOption, BackhaulOptions, Candidate, CandidateFilter, CandidateSource, CostTable, Crs, HopEnd, HouseholdRadioOptions,
    Hub, IndoorLoss, MicrowaveOptions, PlanSettings, RegionError, RegionInputs, RegionSettings, SquareMetrics, analyze_region,
    filter_candidates, grid_candidates, high_points, listed_candidates,
};
use bbcov_report::{PlanTable, RadioTable};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::fiber::PyFiberNetwork;
use crate::gil::enter;
use crate::households::{PyHouseholds, points};
use crate::radio::{PyDem, PySite, coverage_options, site_list};
use crate::report::region_table;

/// Which demand points each candidate site covers (see `bbcov.siting.CoverageSets`).
#[pyclass(module = "bbcov._bbcov", name = "CoverageSets", frozen)]
pub struct PyCoverageSets(pub(crate) CoverageSets);

#[pymethods]
impl PyCoverageSets {
    /// From one array of covered demand indices per candidate, demand weights,
    /// optional candidate costs and locked-in (existing) candidates.
    #[new]
    #[pyo3(signature = (lists, weights, *, costs = None, locked = None))]
    fn new(py: Python<'_>, lists: Vec<Vec<usize>>, weights: Vec<f64>, costs: Option<Vec<f64>>, locked: Option<Vec<usize>>) -> PyResult<Self> {
        enter(py, false, move |_| {
            let sets = CoverageSets::from_lists(weights, &lists)?;
            finish(sets, costs, locked).map(PyCoverageSets)
        })
    }

    /// Candidate `j` covers the demand points within `radius_m` of it (planar metres).
    #[staticmethod]
    #[pyo3(signature = (demand_x, demand_y, weights, candidates_x, candidates_y, radius_m, *, costs = None, locked = None, progress = false))]
    #[allow(clippy::too_many_arguments)]
    fn within_radius(
        py: Python<'_>,
        demand_x: PyReadonlyArray1<'_, f64>,
        demand_y: PyReadonlyArray1<'_, f64>,
        weights: Vec<f64>,
        candidates_x: PyReadonlyArray1<'_, f64>,
        candidates_y: PyReadonlyArray1<'_, f64>,
        radius_m: f64,
        costs: Option<Vec<f64>>,
        locked: Option<Vec<usize>>,
        progress: bool,
    ) -> PyResult<Self> {
        let demand = points(&demand_x, &demand_y, "demand").map_err(|e| crate::error::to_py(py, e))?;
        let candidates = points(&candidates_x, &candidates_y, "candidate").map_err(|e| crate::error::to_py(py, e))?;
        enter(py, progress, move |p| {
            let sets = CoverageSets::within_radius_with(&demand, weights, &candidates, radius_m, p)?;
            finish(sets, costs, locked).map(PyCoverageSets)
        })
    }

    /// Candidate `j` covers the households `demand` (indices into
    /// `households`; all when `None`) where site `j` alone reaches the RSRP
    /// threshold (`bbcov_core::siting::coverage_sets_from_radio`, options as
    /// `household_signal_arrays`), with optional candidate costs and locked-in candidates.
    #[staticmethod]
    #[pyo3(signature = (dem, sites, households, demand = None, *, radius_m = 10_000.0, model = "itm", rx_height_m = 1.5,
        threshold_dbm = None, load = 0.5, noise_figure_db = 7.0, indoor = true, extrapolate = false, costs = None, locked = None, progress = false))]
    #[allow(clippy::too_many_arguments)]
    fn from_radio(
        py: Python<'_>,
        dem: &Bound<'_, PyDem>,
        sites: Vec<Bound<'_, PySite>>,
        households: &Bound<'_, PyHouseholds>,
        demand: Option<Vec<usize>>,
        radius_m: f64,
        model: &str,
        rx_height_m: f64,
        threshold_dbm: Option<f64>,
        load: f64,
        noise_figure_db: f64,
        indoor: bool,
        extrapolate: bool,
        costs: Option<Vec<f64>>,
        locked: Option<Vec<usize>>,
        progress: bool,
    ) -> PyResult<Self> {
        let options = coverage_options(py, radius_m, model, extrapolate, rx_height_m, threshold_dbm)?;
        let mut hopts = HouseholdRadioOptions::from_coverage(&options).with_load(load, noise_figure_db);
        if indoor {
            hopts = hopts.with_indoor_loss(IndoorLoss::Tr38901LowLoss { indoor_distance_m: 0.0 });
        }
        let sites = site_list(&sites);
        let (dem, households) = (&dem.get().0, &households.get().0);
        let demand = demand.unwrap_or_else(|| (0..households.len()).collect());
        enter(py, progress, |p| {
            let sets = coverage_sets_from_radio(dem, &sites, households, &demand, &hopts, p)?;
            finish(sets, costs, locked).map(PyCoverageSets)
        })
    }

    #[getter]
    fn demand_points(&self) -> usize {
        self.0.demand_points()
    }

    #[getter]
    fn candidates(&self) -> usize {
        self.0.candidates()
    }

    #[getter]
    fn total_weight(&self) -> f64 {
        self.0.total_weight()
    }

    /// Demand indices covered by candidate `j`.
    fn covered_by<'py>(&self, py: Python<'py>, j: usize) -> PyResult<Bound<'py, PyArray1<u32>>> {
        if j >= self.0.candidates() {
            return Err(crate::error::invalid_input(py, format!("candidate {j} does not exist: there are {} candidate sites", self.0.candidates())));
        }
        Ok(PyArray1::from_slice(py, self.0.covered_by(j)))
    }

    /// Whether each demand point is covered by the candidates `sites`.
    fn covered_mask<'py>(&self, py: Python<'py>, sites: Vec<usize>) -> PyResult<Bound<'py, PyArray1<bool>>> {
        let mask = self.0.covered_mask(&sites).map_err(|e| crate::error::to_py(py, e))?;
        Ok(PyArray1::from_vec(py, mask))
    }

    fn __repr__(&self) -> String {
        format!("CoverageSets({} demand points, {} candidates, {} pairs)", self.0.demand_points(), self.0.candidates(), self.0.pairs())
    }
}

fn finish(mut sets: CoverageSets, costs: Option<Vec<f64>>, locked: Option<Vec<usize>>) -> bbcov_core::Result<CoverageSets> {
    if let Some(costs) = costs {
        sets = sets.with_costs(costs)?;
    }
    if let Some(locked) = locked {
        sets = sets.with_locked(&locked)?;
    }
    Ok(sets)
}

/// A plan as a dict of plain values.
fn plan_dict<'py>(py: Python<'py>, plan: &SitingPlan) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let problem = match plan.problem {
        SitingProblem::MaxCovering { .. } => "max_covering",
        SitingProblem::BudgetedCovering { .. } => "budgeted_covering",
        SitingProblem::TargetShare { .. } => "target_covering",
    };
    d.set_item("problem", problem)?;
    d.set_item("sites", plan.sites.clone())?;
    d.set_item("new_sites", plan.new_sites().to_vec())?;
    d.set_item("locked", plan.locked)?;
    d.set_item("marginal_gain", plan.marginal_gain.clone())?;
    d.set_item("covered_weight", plan.covered_weight)?;
    d.set_item("total_weight", plan.total_weight)?;
    d.set_item("covered_share", plan.covered_share())?;
    d.set_item("cost", plan.cost)?;
    d.set_item("objective", plan.objective)?;
    d.set_item("bound", plan.bound)?;
    d.set_item("gap", plan.gap)?;
    d.set_item("proven_optimal", plan.is_proven_optimal())?;
    Ok(d)
}

/// At most `p` sites (locked-in included) covering the most weight.
#[pyfunction]
#[pyo3(signature = (sets, p, *, progress = false))]
pub fn max_covering<'py>(py: Python<'py>, sets: &Bound<'_, PyCoverageSets>, p: usize, progress: bool) -> PyResult<Bound<'py, PyDict>> {
    let sets = &sets.get().0;
    let plan = enter(py, progress, |pr| max_covering_with(sets, p, &SitingOptions::default(), pr))?;
    plan_dict(py, &plan)
}

/// New sites costing at most `budget` covering the most weight.
#[pyfunction]
#[pyo3(signature = (sets, budget, *, progress = false))]
pub fn budgeted_covering<'py>(py: Python<'py>, sets: &Bound<'_, PyCoverageSets>, budget: f64, progress: bool) -> PyResult<Bound<'py, PyDict>> {
    let sets = &sets.get().0;
    let plan = enter(py, progress, |pr| budgeted_covering_with(sets, budget, &SitingOptions::default(), pr))?;
    plan_dict(py, &plan)
}

/// The least-cost new sites covering at least `share` of the weight.
#[pyfunction]
#[pyo3(signature = (sets, share, *, progress = false))]
pub fn target_covering<'py>(py: Python<'py>, sets: &Bound<'_, PyCoverageSets>, share: f64, progress: bool) -> PyResult<Bound<'py, PyDict>> {
    let sets = &sets.get().0;
    let plan = enter(py, progress, |pr| target_covering_with(sets, share, &SitingOptions::default(), pr))?;
    plan_dict(py, &plan)
}

fn source_label(source: CandidateSource) -> &'static str {
    // The labels of `bbcov plan`'s candidates.gpkg (`{:?}` of the source).
    match source {
        CandidateSource::HighPoint => "HighPoint",
        CandidateSource::Grid => "Grid",
        CandidateSource::Structure => "Structure",
        CandidateSource::User => "User",
    }
}

/// Candidate sites as `bbcov plan` makes them: terrain high points (when
/// `high_point_radius_m` is given), a grid (`grid_spacing_m` > 0), listed
/// structures and user positions, in that order, then filtered (on land,
/// slope, road distance). Returns (ids, x, y, sources) in the DEM's CRS.
#[pyfunction]
#[pyo3(signature = (dem, *, high_point_radius_m = None, high_point_relief_m = 30.0, grid_spacing_m = 0.0, structures = None,
    user = None, roads = None, on_land = true, max_slope_deg = None, max_road_distance_m = None))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub fn candidate_sites<'py>(
    py: Python<'py>,
    dem: &Bound<'_, PyDem>,
    high_point_radius_m: Option<f64>,
    high_point_relief_m: f64,
    grid_spacing_m: f64,
    structures: Option<(Vec<f64>, Vec<f64>, Vec<String>)>,
    user: Option<(Vec<f64>, Vec<f64>, Vec<String>)>,
    roads: Option<Bound<'_, PyFiberNetwork>>,
    on_land: bool,
    max_slope_deg: Option<f64>,
    max_road_distance_m: Option<f64>,
) -> PyResult<(Vec<String>, Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>, Vec<&'static str>)> {
    let dem = &dem.get().0;
    let roads = roads.as_ref().map(|r| &r.get().0);
    let filter = CandidateFilter { on_land, max_slope_deg, max_road_distance_m };
    let kept = enter(py, false, |_| {
        let mut candidates: Vec<Candidate> = Vec::new();
        if let Some(radius) = high_point_radius_m {
            candidates.extend(high_points(dem, radius, high_point_relief_m)?);
        }
        if grid_spacing_m > 0.0 {
            candidates.extend(grid_candidates(dem.bounds(), grid_spacing_m)?);
        }
        for (list, source) in [(&structures, CandidateSource::Structure), (&user, CandidateSource::User)] {
            if let Some((x, y, ids)) = list {
                if x.len() != y.len() {
                    return Err(bbcov_core::Error::LengthMismatch { what: "candidate y coordinates".into(), expected: x.len(), got: y.len() });
                }
                let positions: Vec<[f64; 2]> = x.iter().zip(y).map(|(&x, &y)| [x, y]).collect();
                candidates.extend(listed_candidates(&positions, Some(ids), source)?);
            }
        }
        filter_candidates(&candidates, dem, roads, &filter)
    })?;
    let ids = kept.iter().map(|c| c.id.clone()).collect();
    let x = PyArray1::from_iter(py, kept.iter().map(|c| c.xy[0]));
    let y = PyArray1::from_iter(py, kept.iter().map(|c| c.xy[1]));
    let sources = kept.iter().map(|c| source_label(c.source)).collect();
    Ok((ids, x, y, sources))
}

/// The backhaul of every candidate (`bbcov_core::backhaul`): the fiber
/// extension, the shortest feasible microwave hop, and the cheaper of the two
/// over the cost table's years (see `bbcov.siting.Backhaul`).
#[pyclass(module = "bbcov._bbcov", name = "Backhaul", frozen)]
pub struct PyBackhaul {
    ids: Vec<String>,
    hub_ids: Vec<String>,
    options: Vec<bbcov_core::CandidateBackhaul>,
    best: Vec<BackhaulOption>,
    years: f64,
}

#[pymethods]
impl PyBackhaul {
    /// Computes the backhaul of the candidates `(ids, x, y)` (DEM CRS) to the
    /// `fiber` routes or, by a microwave hop, to a hub `(ids, x, y,
    /// antenna heights)` or a fiber-connected candidate. `costs`: the
    /// `CostTable` fields (missing ones take the core's defaults);
    /// `microwave`: the `MicrowaveOptions` fields, or `None` for fiber only.
    #[new]
    #[pyo3(signature = (dem, candidates, fiber, hubs, *, costs, microwave, detour_factor = 1.3, max_drop_m = 300.0))]
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn new(
        py: Python<'_>,
        dem: &Bound<'_, PyDem>,
        candidates: (Vec<String>, Vec<f64>, Vec<f64>),
        fiber: &Bound<'_, PyFiberNetwork>,
        hubs: (Vec<String>, Vec<f64>, Vec<f64>, Vec<f64>),
        costs: std::collections::HashMap<String, f64>,
        microwave: Option<std::collections::HashMap<String, f64>>,
        detour_factor: f64,
        max_drop_m: f64,
    ) -> PyResult<Self> {
        let (ids, x, y) = candidates;
        let (hub_ids, hx, hy, hh) = hubs;
        if x.len() != ids.len() || y.len() != ids.len() {
            return Err(crate::error::invalid_input(py, format!("candidates: {} ids, {} x and {} y coordinates", ids.len(), x.len(), y.len())));
        }
        if hx.len() != hub_ids.len() || hy.len() != hub_ids.len() || hh.len() != hub_ids.len() {
            return Err(crate::error::invalid_input(py, format!("hubs: {} ids, {} x, {} y and {} heights", hub_ids.len(), hx.len(), hy.len(), hh.len())));
        }
        let costs = cost_table(py, &costs)?;
        let microwave = microwave.map(|m| microwave_options(py, &m)).transpose()?;
        let candidates: Vec<Candidate> =
            ids.iter().zip(x.iter().zip(&y)).map(|(id, (&x, &y))| Candidate { id: id.clone(), xy: [x, y], source: CandidateSource::User }).collect();
        let hubs: Vec<Hub> = (0..hub_ids.len()).map(|i| Hub { id: hub_ids[i].clone(), xy: [hx[i], hy[i]], antenna_height_m: hh[i] }).collect();
        let options = BackhaulOptions { detour_factor, max_drop_m, microwave, costs };
        let (dem, fiber) = (&dem.get().0, &fiber.get().0);
        let all = enter(py, false, |_| bbcov_core::backhaul(dem, &candidates, fiber, &hubs, &options))?;
        let best = all.iter().map(|b| b.best(costs.years)).collect();
        Ok(PyBackhaul { ids, hub_ids, options: all, best, years: costs.years })
    }

    fn __len__(&self) -> usize {
        self.best.len()
    }

    /// Evaluation horizon (years) of the lifetime costs.
    #[getter]
    fn years(&self) -> f64 {
        self.years
    }

    /// One list per column, one entry per candidate: the chosen option
    /// (`backhaul`, `backhaul_km`, `backhaul_to`, `clearance_ratio`, `capex`,
    /// `opex_per_year`, `lifetime_cost`) and both alternatives' lifetime costs
    /// (`fiber_km`, `fiber_lifetime_cost`, `microwave_lifetime_cost`; NaN: no feasible hop).
    fn columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let described: Vec<_> = self.best.iter().map(|o| self.describe(o)).collect();
        d.set_item("backhaul", described.iter().map(|d| d.0).collect::<Vec<_>>())?;
        d.set_item("backhaul_km", described.iter().map(|d| d.1).collect::<Vec<_>>())?;
        d.set_item("backhaul_to", described.iter().map(|d| d.2.clone()).collect::<Vec<_>>())?;
        d.set_item("clearance_ratio", described.iter().map(|d| d.3).collect::<Vec<_>>())?;
        d.set_item("capex", self.best.iter().map(|o| o.capex).collect::<Vec<_>>())?;
        d.set_item("opex_per_year", self.best.iter().map(|o| o.opex_per_year).collect::<Vec<_>>())?;
        d.set_item("lifetime_cost", self.best.iter().map(|o| o.lifetime_cost(self.years)).collect::<Vec<_>>())?;
        let fiber_km = self.options.iter().map(|o| match o.fiber.kind {
            BackhaulKind::Fiber { km } => km,
            BackhaulKind::Microwave { .. } => f64::NAN,
        });
        d.set_item("fiber_km", fiber_km.collect::<Vec<_>>())?;
        d.set_item("fiber_lifetime_cost", self.options.iter().map(|o| o.fiber.lifetime_cost(self.years)).collect::<Vec<_>>())?;
        let mw = self.options.iter().map(|o| o.microwave.map_or(f64::NAN, |m| m.lifetime_cost(self.years)));
        d.set_item("microwave_lifetime_cost", mw.collect::<Vec<_>>())?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let microwave = self.best.iter().filter(|o| matches!(o.kind, BackhaulKind::Microwave { .. })).count();
        format!("Backhaul({} candidates: {} fiber, {} microwave; {} years)", self.best.len(), self.best.len() - microwave, microwave, self.years)
    }
}

impl PyBackhaul {
    /// (kind, km, far end id, clearance ratio) of an option.
    fn describe(&self, option: &BackhaulOption) -> (&'static str, f64, String, f64) {
        match option.kind {
            BackhaulKind::Fiber { km } => ("fiber", km, String::new(), f64::NAN),
            BackhaulKind::Microwave { to, km, clearance_ratio } => {
                let end = match to {
                    HopEnd::Hub(h) => self.hub_ids[h].clone(),
                    HopEnd::Candidate(c) => self.ids[c].clone(),
                };
                ("microwave", km, end, clearance_ratio)
            }
        }
    }
}

fn cost_table(py: Python<'_>, fields: &std::collections::HashMap<String, f64>) -> PyResult<CostTable> {
    let mut t = CostTable::default();
    for (name, &value) in fields {
        let slot = match name.as_str() {
            "site_capex" => &mut t.site_capex,
            "fiber_capex_per_km" => &mut t.fiber_capex_per_km,
            "microwave_link_capex" => &mut t.microwave_link_capex,
            "site_opex_per_year" => &mut t.site_opex_per_year,
            "fiber_opex_per_km_year" => &mut t.fiber_opex_per_km_year,
            "microwave_link_opex_per_year" => &mut t.microwave_link_opex_per_year,
            "years" => &mut t.years,
            other => return Err(crate::error::invalid_input(py, format!("unknown cost table field {other:?}"))),
        };
        *slot = value;
    }
    Ok(t)
}

fn microwave_options(py: Python<'_>, fields: &std::collections::HashMap<String, f64>) -> PyResult<MicrowaveOptions> {
    let mut m = MicrowaveOptions::default();
    for (name, &value) in fields {
        let slot = match name.as_str() {
            "frequency_ghz" => &mut m.frequency_ghz,
            "max_hop_m" => &mut m.max_hop_m,
            "min_clearance_ratio" => &mut m.min_clearance_ratio,
            "k_factor" => &mut m.k_factor,
            "step_m" => &mut m.step_m,
            "antenna_height_m" => &mut m.antenna_height_m,
            other => return Err(crate::error::invalid_input(py, format!("unknown microwave option {other:?}"))),
        };
        *slot = value;
    }
    Ok(m)
}

/// The defaults of bbcov-core's `CostTable` and `MicrowaveOptions`, as dicts.
#[pyfunction]
pub fn backhaul_defaults<'py>(py: Python<'py>) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    let (t, m) = (CostTable::default(), MicrowaveOptions::default());
    let costs = PyDict::new(py);
    for (k, v) in [
        ("site_capex", t.site_capex),
        ("fiber_capex_per_km", t.fiber_capex_per_km),
        ("microwave_link_capex", t.microwave_link_capex),
        ("site_opex_per_year", t.site_opex_per_year),
        ("fiber_opex_per_km_year", t.fiber_opex_per_km_year),
        ("microwave_link_opex_per_year", t.microwave_link_opex_per_year),
        ("years", t.years),
    ] {
        costs.set_item(k, v)?;
    }
    let microwave = PyDict::new(py);
    for (k, v) in [
        ("frequency_ghz", m.frequency_ghz),
        ("max_hop_m", m.max_hop_m),
        ("min_clearance_ratio", m.min_clearance_ratio),
        ("k_factor", m.k_factor),
        ("step_m", m.step_m),
        ("antenna_height_m", m.antenna_height_m),
    ] {
        microwave.set_item(k, v)?;
    }
    Ok((costs, microwave))
}

/// The plan's sites with their coverage and backhaul costs
/// (`bbcov_core::siting::site_costs`), one list per column.
#[pyfunction]
#[pyo3(signature = (sets, sites, new_weight, locked, backhaul))]
pub fn plan_site_costs<'py>(
    py: Python<'py>,
    sets: &Bound<'_, PyCoverageSets>,
    sites: Vec<usize>,
    new_weight: Vec<f64>,
    locked: usize,
    backhaul: &Bound<'_, PyBackhaul>,
) -> PyResult<Bound<'py, PyDict>> {
    let (sets, b) = (&sets.get().0, backhaul.get());
    let rows = site_costs(sets, &sites, &new_weight, locked, &b.best, b.years).map_err(|e| crate::error::to_py(py, e))?;
    site_cost_columns(py, &rows, b)
}

/// The per-site cost rows as one list per column (`candidate`, `site_id`,
/// `locked`, `covered_households`, `new_households`, `backhaul`,
/// `backhaul_km`, `backhaul_to`, `capex`, `opex_per_year`, `lifetime_cost`,
/// `cost_per_new_household`).
fn site_cost_columns<'py>(py: Python<'py>, rows: &[SiteCost], b: &PyBackhaul) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let described: Vec<_> = rows.iter().map(|r| b.describe(&r.backhaul)).collect();
    d.set_item("candidate", rows.iter().map(|r| r.candidate).collect::<Vec<_>>())?;
    d.set_item("site_id", rows.iter().map(|r| b.ids[r.candidate].clone()).collect::<Vec<_>>())?;
    d.set_item("locked", rows.iter().map(|r| r.locked).collect::<Vec<_>>())?;
    d.set_item("covered_households", rows.iter().map(|r| r.covered_weight).collect::<Vec<_>>())?;
    d.set_item("new_households", rows.iter().map(|r| r.new_weight).collect::<Vec<_>>())?;
    d.set_item("backhaul", described.iter().map(|d| d.0).collect::<Vec<_>>())?;
    d.set_item("backhaul_km", described.iter().map(|d| d.1).collect::<Vec<_>>())?;
    d.set_item("backhaul_to", described.iter().map(|d| d.2.clone()).collect::<Vec<_>>())?;
    d.set_item("capex", rows.iter().map(|r| r.backhaul.capex).collect::<Vec<_>>())?;
    d.set_item("opex_per_year", rows.iter().map(|r| r.backhaul.opex_per_year).collect::<Vec<_>>())?;
    d.set_item("lifetime_cost", rows.iter().map(|r| r.lifetime_cost).collect::<Vec<_>>())?;
    d.set_item("cost_per_new_household", rows.iter().map(|r| r.cost_per_new_weight).collect::<Vec<_>>())?;
    Ok(d)
}

/// The regulator figures of one set of 5G sites, with `plan.json`'s keys.
fn metrics_dict<'py>(py: Python<'py>, m: &SquareMetrics) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("5g_sites", m.five_g_sites)?;
    d.set_item("5g_population_coverage_by_500m_square", m.population_coverage_500m)?;
    d.set_item("10km_squares_with_5g_station", m.squares_10km_with_5g)?;
    d.set_item("10km_squares_with_households", m.squares_10km_with_households)?;
    d.set_item("10km_square_share", m.square_share())?;
    Ok(d)
}

/// The pipeline of `bbcov plan` (`bbcov_core::analyze_region`)
/// on layers in the DEM's projected CRS: `radio` and `plan` as the region
/// file's `[radio]` and `[plan]` tables (`bbcov_report::region_file`, read
/// as `region_report` reads them; `plan`'s costs replaced by `costs`), `costs` the
/// `CostTable` fields, `microwave` the `MicrowaveOptions` fields (`None`:
/// fiber backhaul only), `to_lonlat(epsg | None, x, y) -> (lon, lat)` for the
/// grid-square metrics. Returns a dict: `plan`, `sets` (`CoverageSets`),
/// `backhaul` (`Backhaul`), the candidates (`candidate_ids`, `candidate_x`,
/// `candidate_y`, `candidate_sources`, `coverable`), `site_costs` (the plan's
/// rows, one list per column), `unserved` (household indices),
/// `covered_by_plan` (per unserved household), `unserved_weight` and
/// `metrics` (as `plan.json`'s). `progress` draws a tqdm bar; Ctrl-C cancels.
#[pyfunction]
#[pyo3(signature = (households, fiber, dem, towers, *, roads = None, candidates = None, max_drop_m, radio, plan, costs, microwave,
    to_lonlat, progress = false))]
#[allow(clippy::too_many_arguments)]
pub fn plan_region<'py>(
    py: Python<'py>,
    households: &Bound<'_, PyHouseholds>,
    fiber: &Bound<'_, PyFiberNetwork>,
    dem: &Bound<'_, PyDem>,
    towers: Vec<Bound<'_, PySite>>,
    roads: Option<Bound<'_, PyFiberNetwork>>,
    candidates: Option<(Vec<[f64; 2]>, Vec<String>)>,
    max_drop_m: f64,
    radio: &Bound<'_, PyAny>,
    plan: &Bound<'_, PyAny>,
    costs: std::collections::HashMap<String, f64>,
    microwave: Option<std::collections::HashMap<String, f64>>,
    to_lonlat: Py<PyAny>,
    progress: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let radio: RadioTable = region_table(py, radio)?;
    let plan: PlanTable = region_table(py, plan)?;
    let settings = RegionSettings {
        max_drop_m,
        radio: radio.settings().map_err(|e| crate::error::invalid_input(py, e.to_string()))?,
        plan: PlanSettings { costs: cost_table(py, &costs)?, microwave: microwave.map(|m| microwave_options(py, &m)).transpose()?, ..plan.settings() },
        radio_by_technology: false,
        coverage_map: false,
        fiber_extension: None,
    };
    let towers = site_list(&towers);
    let (households, fiber, dem) = (&households.get().0, &fiber.get().0, &dem.get().0);
    let roads = roads.as_ref().map(|r| &r.get().0);
    let lonlat = move |crs: Crs, points: &[[f64; 2]]| crate::report::lonlat_via(&to_lonlat, crs, points);
    let inputs = RegionInputs {
        households,
        fiber,
        dem,
        towers: &towers,
        roads,
        listed_candidates: candidates.as_ref().map(|(xy, ids)| (xy.as_slice(), ids.as_slice())),
    };
    let outcome = enter(py, progress, |p| {
        // As `region_report`: one Python thread state on the worker for the
        // `to_lonlat` calls (pyproj's per-thread PROJ context), detached while Rust computes.
        Python::attach(|py| {
            py.detach(|| match analyze_region(&inputs, &settings, &lonlat, p, &|_| {}) {
                Ok(o) => Ok(Ok(o)),
                Err(RegionError::Core(e)) => Err(e),
                Err(e) => Ok(Err(e.to_string())),
            })
        })
    })?;
    let o = outcome.map_err(|message| crate::error::invalid_input(py, message))?;

    let coverable: Vec<f64> = (0..o.candidates.len()).map(|j| o.sets.covered_weight(&[j])).collect::<Result<_, _>>().map_err(|e| crate::error::to_py(py, e))?;
    let unserved_weight = o.unserved.iter().fold(0.0, |sum, &i| sum + households.weights()[i]);
    let backhaul = PyBackhaul {
        ids: o.candidates.iter().map(|c| c.id.clone()).collect(),
        hub_ids: o.hubs.iter().map(|h| h.id.clone()).collect(),
        options: o.backhaul_options,
        best: o.backhaul,
        years: o.costs.years,
    };
    let d = PyDict::new(py);
    d.set_item("plan", plan_dict(py, &o.plan)?)?;
    d.set_item("site_costs", site_cost_columns(py, &o.site_costs, &backhaul)?)?;
    d.set_item("candidate_ids", backhaul.ids.clone())?;
    d.set_item("candidate_x", PyArray1::from_iter(py, o.candidates.iter().map(|c| c.xy[0])))?;
    d.set_item("candidate_y", PyArray1::from_iter(py, o.candidates.iter().map(|c| c.xy[1])))?;
    d.set_item("candidate_sources", o.candidates.iter().map(|c| source_label(c.source)).collect::<Vec<_>>())?;
    d.set_item("coverable", coverable)?;
    d.set_item("unserved", o.unserved)?;
    d.set_item("covered_by_plan", o.plan_covered)?;
    d.set_item("unserved_weight", unserved_weight)?;
    let metrics = PyDict::new(py);
    metrics.set_item("fiber_availability_rate", o.fiber_availability_rate)?;
    metrics.set_item("before", metrics_dict(py, &o.metrics_before)?)?;
    metrics.set_item("after", metrics_dict(py, &o.metrics_after)?)?;
    d.set_item("metrics", metrics)?;
    d.set_item("sets", Bound::new(py, PyCoverageSets(o.sets))?)?;
    d.set_item("backhaul", Bound::new(py, backhaul)?)?;
    Ok(d)
}
