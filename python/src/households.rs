//! `Households`: numpy columns in, a validated [`bbcov_core::Households`] out.

use bbcov_core::{Crs, Error, Households};
use numpy::ndarray::{ArrayView1, ArrayView2};
use numpy::{PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::gil::enter;

/// The core CRS of a layer: `None` for lon/lat degrees, else a projected EPSG code.
pub(crate) fn crs_of(epsg: Option<u32>) -> Crs {
    epsg.map_or(Crs::LonLat, |epsg| Crs::Projected { epsg })
}

pub(crate) fn epsg_of(crs: Crs) -> Option<u32> {
    match crs {
        Crs::LonLat => None,
        Crs::Projected { epsg } => Some(epsg),
    }
}

/// Interleaves two coordinate columns (any strides) into points.
pub(crate) fn points(x: &PyReadonlyArray1<'_, f64>, y: &PyReadonlyArray1<'_, f64>, what: &str) -> Result<Vec<[f64; 2]>, Error> {
    let (x, y) = (x.as_array(), y.as_array());
    if x.len() != y.len() {
        return Err(Error::LengthMismatch { what: format!("{what} y coordinates"), expected: x.len(), got: y.len() });
    }
    Ok(x.iter().zip(y.iter()).map(|(&x, &y)| [x, y]).collect())
}

/// Weighted household points (see `bbcov.Households`, which builds this from
/// GeoDataFrames and arrays in any CRS).
#[pyclass(module = "bbcov._bbcov", name = "Households", frozen)]
pub struct PyHouseholds(pub(crate) Households);

#[pymethods]
impl PyHouseholds {
    /// Validates and builds a households layer from coordinates in lon/lat
    /// degrees (`epsg=None`) or in the projected CRS `epsg` (metres).
    #[new]
    #[pyo3(signature = (x, y, *, epsg = None, weight = None, ids = None, areas = Vec::new()))]
    fn new(
        py: Python<'_>,
        x: PyReadonlyArray1<'_, f64>,
        y: PyReadonlyArray1<'_, f64>,
        epsg: Option<u32>,
        weight: Option<PyReadonlyArray1<'_, f64>>,
        ids: Option<Vec<String>>,
        areas: Vec<(String, Vec<String>)>,
    ) -> PyResult<Self> {
        let xy = points(&x, &y, "household").map_err(|e| crate::error::to_py(py, e))?;
        let weight = weight.map(|w| w.as_array().to_vec());
        enter(py, false, move |_| {
            let mut hh = Households::new(crs_of(epsg), xy, weight, ids)?;
            for (name, values) in areas {
                hh = hh.with_area(&name, values)?;
            }
            Ok(PyHouseholds(hh))
        })
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    /// EPSG code of the projected CRS, or `None` for lon/lat degrees.
    #[getter]
    fn epsg(&self) -> Option<u32> {
        epsg_of(self.0.crs())
    }

    /// Coordinates, shape (n, 2): x/y or lon/lat (read-only view, no copy).
    #[getter]
    fn coords<'py>(slf: Bound<'py, Self>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let coords = slf.get().0.coords();
        let view = ArrayView2::from_shape((coords.len(), 2), coords.as_flattened())
            .map_err(|e| crate::error::internal(slf.py(), &e.to_string()))?;
        // SAFETY: `slf` is frozen and owns the coordinates, which are never
        // reallocated; it becomes the array's base, so it outlives the view.
        let array = unsafe { PyArray2::borrow_from_array(&view, slf.clone().into_any()) };
        array.readwrite().make_nonwriteable();
        Ok(array)
    }

    /// Weight per point (read-only view, no copy).
    #[getter]
    fn weights<'py>(slf: Bound<'py, Self>) -> Bound<'py, PyArray1<f64>> {
        let view = ArrayView1::from(slf.get().0.weights());
        // SAFETY: as for `coords`.
        let array = unsafe { PyArray1::borrow_from_array(&view, slf.clone().into_any()) };
        array.readwrite().make_nonwriteable();
        array
    }

    /// Sum of the weights.
    #[getter]
    fn total_weight(&self) -> f64 {
        self.0.total_weight()
    }

    /// Ids, when the layer has them.
    #[getter]
    fn ids(&self) -> Option<Vec<String>> {
        self.0.ids().map(<[String]>::to_vec)
    }

    /// Names of the area key columns.
    #[getter]
    fn area_names(&self) -> Vec<String> {
        self.0.areas().iter().map(|a| a.name().to_owned()).collect()
    }

    /// The area key column `name` as (labels, codes): household `i` is in `labels[codes[i]]`.
    fn area<'py>(&self, py: Python<'py>, name: &str) -> PyResult<(Vec<String>, Bound<'py, PyArray1<u32>>)> {
        let col = self.0.area(name).map_err(|e| crate::error::to_py(py, e))?;
        Ok((col.labels().to_vec(), PyArray1::from_slice(py, col.codes())))
    }

    fn __repr__(&self) -> String {
        format!("Households({} points, weight {}, {})", self.0.len(), self.0.total_weight(), self.0.crs())
    }
}
