//! `bbcov._bbcov`: the native module behind the `bbcov` Python package.
//!
//! Bindings only convert and dispatch: every computation is a call into
//! bbcov-core made through [`gil::enter`], which runs it detached from the
//! interpreter, reports progress to tqdm and turns Ctrl-C into cancellation;
//! every core error becomes an exception of the `bbcov.BbcovError` hierarchy
//! ([`error`]). The Python-facing API (GeoDataFrames, CRS handling with
//! pyproj) lives in `python/bbcov/`; this module is private.
//!
//! | Python (`bbcov._bbcov`) | bbcov-core |
//! |---|---|
//! | `Households` | [`bbcov_core::Households`] |
//! | `FiberNetwork` | [`bbcov_core::FiberNetwork`] |
//! | `fiber_coverage`, `FiberCoverage` | [`bbcov_core::fiber_coverage_with`], [`bbcov_core::FiberCoverage`] |
//! | `summarize` | [`bbcov_core::summarize`] |
//! | `mesh_encode`, `mesh_encode_str`, `mesh_aggregate` | [`bbcov_core::mesh::encode_all`], [`bbcov_core::mesh::aggregate`] |
//! | `Dem`, `Site` | [`bbcov_core::Dem`], [`bbcov_core::Site`] |
//! | `radio_coverage`, `BestServerMap` | [`bbcov_core::best_server`], [`bbcov_core::BestServerMap`] |
//! | `household_signal_arrays` | [`bbcov_core::household_signal`] |
//! | `CoverageSets`, `max_covering`, `budgeted_covering`, `target_covering` | [`bbcov_core::siting`] |
//! | `candidate_sites`, `Backhaul`, `plan_site_costs` | [`bbcov_core::filter_candidates`], [`bbcov_core::backhaul`], [`bbcov_core::siting::site_costs`] |
//! | `plan_region`, `region_report` | [`bbcov_core::analyze_region`] (+ `bbcov_report`) |
//! | `region_defaults` | [`bbcov_report::region_file`] (the region file's `[radio]`, `[plan]`, `[report]`) |

mod analysis;
mod error;
mod fiber;
mod gil;
mod households;
mod mesh;
mod radio;
mod report;
mod siting;

use pyo3::prelude::*;

#[pymodule]
fn _bbcov(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // `bbcov/__init__.py` warns when this is "debug" (a debug build is 10-50x slower).
    m.add("__build_profile__", if cfg!(debug_assertions) { "debug" } else { "release" })?;
    m.add_class::<households::PyHouseholds>()?;
    m.add_class::<fiber::PyFiberNetwork>()?;
    m.add_class::<fiber::PyFiberCoverage>()?;
    m.add_function(wrap_pyfunction!(fiber::fiber_coverage, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::summarize, m)?)?;
    m.add_function(wrap_pyfunction!(mesh::mesh_encode, m)?)?;
    m.add_function(wrap_pyfunction!(mesh::mesh_encode_str, m)?)?;
    m.add_function(wrap_pyfunction!(mesh::mesh_aggregate, m)?)?;
    m.add_class::<radio::PyDem>()?;
    m.add_class::<radio::PySite>()?;
    m.add_class::<radio::PyBestServerMap>()?;
    m.add_function(wrap_pyfunction!(radio::radio_coverage, m)?)?;
    m.add_function(wrap_pyfunction!(radio::household_signal_arrays, m)?)?;
    m.add_class::<siting::PyCoverageSets>()?;
    m.add_function(wrap_pyfunction!(siting::max_covering, m)?)?;
    m.add_function(wrap_pyfunction!(siting::budgeted_covering, m)?)?;
    m.add_function(wrap_pyfunction!(siting::target_covering, m)?)?;
    m.add_function(wrap_pyfunction!(siting::candidate_sites, m)?)?;
    m.add_class::<siting::PyBackhaul>()?;
    m.add_function(wrap_pyfunction!(siting::backhaul_defaults, m)?)?;
    m.add_function(wrap_pyfunction!(siting::plan_site_costs, m)?)?;
    m.add_function(wrap_pyfunction!(siting::plan_region, m)?)?;
    m.add_function(wrap_pyfunction!(report::region_report, m)?)?;
    m.add_function(wrap_pyfunction!(report::region_defaults, m)?)?;
    Ok(())
}
