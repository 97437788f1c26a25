//! `FiberNetwork`, `fiber_coverage` and its result `FiberCoverage`.

use bbcov_core::{FiberCoverage, FiberNetwork, FiberOptions, fiber_coverage_with};
use numpy::ndarray::ArrayView1;
use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::error::invalid_input;
use crate::gil::enter;
use crate::households::{PyHouseholds, crs_of, epsg_of};

/// Fiber routes as polylines (see `bbcov.FiberNetwork`, which builds this
/// from a GeoDataFrame of LineStrings / MultiLineStrings).
#[pyclass(module = "bbcov._bbcov", name = "FiberNetwork", frozen)]
pub struct PyFiberNetwork(pub(crate) FiberNetwork);

#[pymethods]
impl PyFiberNetwork {
    /// Validates and builds a network from the vertices `coords` (shape
    /// (n, 2)) of all lines: line `i` is `coords[offsets[i]:offsets[i + 1]]`.
    /// Coordinates are lon/lat degrees (`epsg=None`) or in the projected CRS `epsg`.
    #[new]
    #[pyo3(signature = (coords, offsets, *, epsg = None, ids = None))]
    fn new(
        py: Python<'_>,
        coords: PyReadonlyArray2<'_, f64>,
        offsets: PyReadonlyArray1<'_, i64>,
        epsg: Option<u32>,
        ids: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let coords = coords.as_array();
        let offsets = offsets.as_array();
        if coords.ncols() != 2 {
            return Err(invalid_input(py, format!("fiber routes: coords must have shape (n, 2), got {:?}", coords.shape())));
        }
        let n = coords.nrows() as i64;
        let valid = offsets.first() == Some(&0)
            && offsets.last() == Some(&n)
            && offsets.iter().zip(offsets.iter().skip(1)).all(|(a, b)| a <= b);
        if !valid {
            return Err(invalid_input(py, format!("fiber routes: offsets must rise from 0 to the number of vertices ({n})")));
        }
        let lines: Vec<Vec<[f64; 2]>> = offsets
            .iter()
            .zip(offsets.iter().skip(1))
            .map(|(&a, &b)| (a as usize..b as usize).map(|i| [coords[[i, 0]], coords[[i, 1]]]).collect())
            .collect();
        enter(py, false, move |_| FiberNetwork::new(crs_of(epsg), lines, ids).map(PyFiberNetwork))
    }

    /// Number of lines.
    fn __len__(&self) -> usize {
        self.0.len()
    }

    /// EPSG code of the projected CRS, or `None` for lon/lat degrees.
    #[getter]
    fn epsg(&self) -> Option<u32> {
        epsg_of(self.0.crs())
    }

    /// Number of non-degenerate segments.
    #[getter]
    fn segment_count(&self) -> usize {
        self.0.segment_count()
    }

    /// Total planar length in metres; `None` for lon/lat networks.
    #[getter]
    fn length_m(&self) -> Option<f64> {
        self.0.length_m()
    }

    /// Ids, when the network has them.
    #[getter]
    fn ids(&self) -> Option<Vec<String>> {
        self.0.ids().map(<[String]>::to_vec)
    }

    fn __repr__(&self) -> String {
        format!("FiberNetwork({} lines, {} segments, {})", self.0.len(), self.0.segment_count(), self.0.crs())
    }
}

/// Per-household fiber coverage (see `bbcov.FiberCoverage`).
#[pyclass(module = "bbcov._bbcov", name = "FiberCoverage", frozen)]
pub struct PyFiberCoverage(FiberCoverage);

#[pymethods]
impl PyFiberCoverage {
    fn __len__(&self) -> usize {
        self.0.distances_m().len()
    }

    /// Distance (m) from each household to the nearest route (read-only view, no copy).
    #[getter]
    fn distance_m<'py>(slf: Bound<'py, Self>) -> Bound<'py, PyArray1<f64>> {
        let view = ArrayView1::from(slf.get().0.distances_m());
        // SAFETY: `slf` is frozen and owns the distances, which are never
        // reallocated; it becomes the array's base, so it outlives the view.
        let array = unsafe { PyArray1::borrow_from_array(&view, slf.clone().into_any()) };
        array.readwrite().make_nonwriteable();
        array
    }

    /// Index of each household's nearest line in the network (read-only view, no copy).
    #[getter]
    fn nearest_line<'py>(slf: Bound<'py, Self>) -> Bound<'py, PyArray1<u32>> {
        let view = ArrayView1::from(slf.get().0.nearest_routes());
        // SAFETY: as for `distance_m`.
        let array = unsafe { PyArray1::borrow_from_array(&view, slf.clone().into_any()) };
        array.readwrite().make_nonwriteable();
        array
    }

    /// Served flag per household (distance <= max_drop_m).
    #[getter]
    fn served<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<bool>> {
        PyArray1::from_vec(py, self.0.served())
    }

    /// The drop limit the coverage was computed with.
    #[getter]
    fn max_drop_m(&self) -> f64 {
        self.0.max_drop_m()
    }

    /// Number of served household points.
    #[getter]
    fn served_count(&self) -> usize {
        self.0.served_count()
    }

    fn __repr__(&self) -> String {
        format!("FiberCoverage({} of {} points within {} m)", self.0.served_count(), self.0.distances_m().len(), self.0.max_drop_m())
    }
}

/// Distance from every household to the nearest fiber route and whether it
/// is within `max_drop_m`. Both layers must be in the same CRS (the Python
/// wrapper reprojects the routes). `progress` draws a tqdm bar; Ctrl-C cancels.
#[pyfunction]
#[pyo3(signature = (households, fiber, max_drop_m = 300.0, *, progress = false))]
pub fn fiber_coverage(
    py: Python<'_>,
    households: &Bound<'_, PyHouseholds>,
    fiber: &Bound<'_, PyFiberNetwork>,
    max_drop_m: f64,
    progress: bool,
) -> PyResult<PyFiberCoverage> {
    let (households, fiber) = (&households.get().0, &fiber.get().0);
    enter(py, progress, |p| fiber_coverage_with(households, fiber, &FiberOptions { max_drop_m }, p).map(PyFiberCoverage))
}
