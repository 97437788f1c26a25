//! JIS X 0410 grid squares over numpy arrays.

use bbcov_core::mesh::{self, MeshLevel};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::error::{invalid_input, to_py};
use crate::gil::enter;
use crate::households::points;

/// Codes and totals of [`mesh_aggregate`].
type CodeTotals<'py> = (Bound<'py, PyArray1<u64>>, Bound<'py, PyArray1<f64>>);

fn level(py: Python<'_>, text: &str) -> PyResult<MeshLevel> {
    text.parse().map_err(|message: String| invalid_input(py, message))
}

/// The code (as an integer) of the square of `level` that contains each
/// point (`lon[i]`, `lat[i]`), in degrees.
#[pyfunction]
#[pyo3(signature = (lon, lat, level = "1km"))]
pub fn mesh_encode<'py>(
    py: Python<'py>,
    lon: PyReadonlyArray1<'py, f64>,
    lat: PyReadonlyArray1<'py, f64>,
    level: &str,
) -> PyResult<Bound<'py, PyArray1<u64>>> {
    let level = self::level(py, level)?;
    let points = points(&lon, &lat, "grid-square").map_err(|e| to_py(py, e))?;
    let codes = enter(py, false, |_| Ok(mesh::encode_all(&points, level)?.iter().map(|c| c.value()).collect()))?;
    Ok(PyArray1::from_vec(py, codes))
}

/// Like [`mesh_encode`], with codes as their full digit strings (leading zeros kept).
#[pyfunction]
#[pyo3(signature = (lon, lat, level = "1km"))]
pub fn mesh_encode_str<'py>(
    py: Python<'py>,
    lon: PyReadonlyArray1<'py, f64>,
    lat: PyReadonlyArray1<'py, f64>,
    level: &str,
) -> PyResult<Vec<String>> {
    let level = self::level(py, level)?;
    let points = points(&lon, &lat, "grid-square").map_err(|e| to_py(py, e))?;
    enter(py, false, |_| Ok(mesh::encode_all(&points, level)?.iter().map(ToString::to_string).collect()))
}

/// Total weight (a count without weights) per square of `level` holding at
/// least one point, as (codes, totals) in code order.
#[pyfunction]
#[pyo3(signature = (lon, lat, weights = None, level = "1km"))]
pub fn mesh_aggregate<'py>(
    py: Python<'py>,
    lon: PyReadonlyArray1<'py, f64>,
    lat: PyReadonlyArray1<'py, f64>,
    weights: Option<PyReadonlyArray1<'py, f64>>,
    level: &str,
) -> PyResult<CodeTotals<'py>> {
    let level = self::level(py, level)?;
    let points = points(&lon, &lat, "grid-square").map_err(|e| to_py(py, e))?;
    let weights = weights.map(|w| w.as_array().to_vec());
    let (codes, totals): (Vec<u64>, Vec<f64>) = enter(py, false, |_| {
        Ok(mesh::aggregate(&points, weights.as_deref(), level)?.into_iter().map(|(c, w)| (c.value(), w)).unzip())
    })?;
    Ok((PyArray1::from_vec(py, codes), PyArray1::from_vec(py, totals)))
}
