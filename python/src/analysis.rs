//! `summarize`: served / unserved weight per area, as columns for pandas.

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::gil::enter;
use crate::households::PyHouseholds;

/// Served and total weight per value of the area key `by` (sorted by area,
/// then a `"total"` row; the total row only when `by` is None), as a dict of
/// columns: area, points, weight, served_points, served_weight,
/// unserved_weight, served_rate.
#[pyfunction]
#[pyo3(signature = (households, served, by = None))]
pub fn summarize<'py>(
    py: Python<'py>,
    households: &Bound<'py, PyHouseholds>,
    served: PyReadonlyArray1<'py, bool>,
    by: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let households = &households.get().0;
    let served = served.as_array().to_vec();
    let rows = enter(py, false, |_| bbcov_core::summarize(households, &served, by.as_deref()))?;
    let columns = PyDict::new(py);
    columns.set_item("area", rows.iter().map(|r| r.area.clone()).collect::<Vec<_>>())?;
    columns.set_item("points", PyArray1::from_iter(py, rows.iter().map(|r| r.points as i64)))?;
    columns.set_item("weight", PyArray1::from_iter(py, rows.iter().map(|r| r.weight)))?;
    columns.set_item("served_points", PyArray1::from_iter(py, rows.iter().map(|r| r.served_points as i64)))?;
    columns.set_item("served_weight", PyArray1::from_iter(py, rows.iter().map(|r| r.served_weight)))?;
    columns.set_item("unserved_weight", PyArray1::from_iter(py, rows.iter().map(|r| r.unserved_weight())))?;
    columns.set_item("served_rate", PyArray1::from_iter(py, rows.iter().map(|r| r.served_rate())))?;
    Ok(columns)
}
