//! Site selection: `CoverageSets` and the covering problems of `bbcov_core::siting`.

use bbcov_core::siting::{CoverageSets, SitingPlan, SitingProblem, budgeted_covering_with, max_covering_with, target_covering_with};
use bbcov_core::siting::SitingOptions;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::gil::enter;
use crate::households::points;

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
