//! `Dem`, `Site`, `radio_coverage` (best server of many sites) and `household_signal`.

use bbcov_core::{
    Antenna, AntennaPattern, BestServerMap, CoverageOptions, Dem, GeoTransform, HouseholdRadioOptions, IndoorLoss, RadioModel, SectorPattern, Site, Technology, best_server, household_signal,
};
use bbcov_report::ModelName;
use numpy::{PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::error::invalid_input;
use crate::gil::enter;
use crate::households::{PyHouseholds, crs_of, epsg_of};

/// A terrain model on a north-up grid in a projected CRS (see `bbcov.Dem`).
#[pyclass(module = "bbcov._bbcov", name = "Dem", frozen)]
pub struct PyDem(pub(crate) Dem);

#[pymethods]
impl PyDem {
    /// Validates and builds a DEM from heights (rows × cols, row 0 north),
    /// GDAL's six-number geotransform, the EPSG code of its projected CRS
    /// (`None`: lon/lat, which is refused) and an optional nodata value.
    #[new]
    #[pyo3(signature = (heights, geotransform, *, epsg, nodata = None))]
    fn new(
        py: Python<'_>,
        heights: PyReadonlyArray2<'_, f32>,
        geotransform: [f64; 6],
        epsg: Option<u32>,
        nodata: Option<f32>,
    ) -> PyResult<Self> {
        let view = heights.as_array();
        let (rows, cols) = view.dim();
        let values: Vec<f32> = view.iter().copied().collect();
        enter(py, false, move |_| {
            let transform = GeoTransform::from_gdal(geotransform)?;
            Dem::from_vec(rows, cols, values, transform, crs_of(epsg), nodata).map(PyDem)
        })
    }

    /// (rows, cols).
    #[getter]
    fn shape(&self) -> (usize, usize) {
        (self.0.rows(), self.0.cols())
    }

    /// GDAL geotransform (x0, dx, 0, y0, 0, -dy).
    #[getter]
    fn geotransform(&self) -> [f64; 6] {
        self.0.transform().to_gdal()
    }

    /// EPSG code of the projected CRS.
    #[getter]
    fn epsg(&self) -> Option<u32> {
        epsg_of(self.0.crs())
    }

    /// Number of missing (nodata) cells.
    #[getter]
    fn missing_count(&self) -> usize {
        self.0.missing_count()
    }

    /// Number of cells given below 0 m, read as the sea surface (0 m).
    #[getter]
    fn below_sea_level_count(&self) -> usize {
        self.0.below_sea_level_count()
    }

    /// (x_min, y_min, x_max, y_max).
    #[getter]
    fn bounds(&self) -> [f64; 4] {
        self.0.bounds()
    }

    /// Heights (copy; NaN where missing).
    #[getter]
    fn heights<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f32>> {
        PyArray2::from_owned_array(py, self.0.heights().to_owned())
    }

    fn __repr__(&self) -> String {
        format!("Dem({} x {} cells, {})", self.0.cols(), self.0.rows(), self.0.crs())
    }
}

/// The technology of a sites-table value, as the CLI's sites CSV reads it.
fn technology(py: Python<'_>, text: &str, frequency_mhz: f64) -> PyResult<Technology> {
    let key = Technology::normalize_label(text);
    match key.as_str() {
        "nrfr2" => Ok(Technology::NrFr2),
        "nrfr1" => Ok(Technology::NrFr1),
        _ => Technology::from_label(text, frequency_mhz)
            .ok_or_else(|| invalid_input(py, format!("unknown technology {key:?}; use 4G/LTE, 5G/NR or local5G"))),
    }
}

/// A base-station site (one sector or omni antenna; see `bbcov.Site`).
#[pyclass(module = "bbcov._bbcov", name = "Site", frozen)]
pub struct PySite(pub(crate) Site);

#[pymethods]
impl PySite {
    /// A site at (x, y) in the DEM's projected CRS, with the defaults of the
    /// `bbcov` command's sites CSV: bandwidth LTE 20 / NR FR1 100 / NR FR2
    /// 400 MHz; gain 8 dBi (TR 38.901 sector) with an azimuth, 0 (omni)
    /// without; `tx_power_dbm` or `eirp_dbm` (= tx power + gain − feeder loss).
    #[new]
    #[pyo3(signature = (id, x, y, height_m, technology, frequency_mhz, *, bandwidth_mhz = None, tx_power_dbm = None,
        eirp_dbm = None, azimuth_deg = None, downtilt_deg = 0.0, gain_dbi = None, feeder_loss_db = 0.0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        id: String,
        x: f64,
        y: f64,
        height_m: f64,
        technology: &str,
        frequency_mhz: f64,
        bandwidth_mhz: Option<f64>,
        tx_power_dbm: Option<f64>,
        eirp_dbm: Option<f64>,
        azimuth_deg: Option<f64>,
        downtilt_deg: f64,
        gain_dbi: Option<f64>,
        feeder_loss_db: f64,
    ) -> PyResult<Self> {
        let tech = self::technology(py, technology, frequency_mhz)?;
        let bandwidth = bandwidth_mhz.unwrap_or(match tech {
            Technology::Lte => 20.0,
            Technology::NrFr1 => 100.0,
            Technology::NrFr2 => 400.0,
        });
        let gain = gain_dbi.unwrap_or(if azimuth_deg.is_some() { Antenna::TR_38901_MAX_GAIN_DBI } else { 0.0 });
        let tx_power = match (tx_power_dbm, eirp_dbm) {
            (Some(_), Some(_)) => return Err(invalid_input(py, format!("site {id:?}: give tx_power_dbm or eirp_dbm, not both"))),
            (Some(p), None) => p,
            (None, Some(eirp)) => eirp - gain + feeder_loss_db,
            (None, None) => return Err(invalid_input(py, format!("site {id:?}: give tx_power_dbm or eirp_dbm"))),
        };
        enter(py, false, move |_| {
            let antenna = match azimuth_deg {
                Some(az) => Antenna::new(AntennaPattern::Sector(SectorPattern::TR_38901), gain, az, downtilt_deg)?,
                None => Antenna::new(AntennaPattern::Omni, gain, 0.0, downtilt_deg)?,
            };
            Site::new(id, [x, y], height_m, tech, frequency_mhz, bandwidth, tx_power, feeder_loss_db, antenna).map(PySite)
        })
    }

    #[getter]
    fn id(&self) -> String {
        self.0.id().to_owned()
    }

    #[getter]
    fn x(&self) -> f64 {
        self.0.position()[0]
    }

    #[getter]
    fn y(&self) -> f64 {
        self.0.position()[1]
    }

    #[getter]
    fn height_m(&self) -> f64 {
        self.0.height_m()
    }

    /// "LTE", "NR FR1" or "NR FR2" (the core's name).
    #[getter]
    fn technology(&self) -> String {
        self.0.technology().name().to_owned()
    }

    #[getter]
    fn frequency_mhz(&self) -> f64 {
        self.0.frequency_mhz()
    }

    #[getter]
    fn bandwidth_mhz(&self) -> f64 {
        self.0.bandwidth_mhz()
    }

    #[getter]
    fn tx_power_dbm(&self) -> f64 {
        self.0.tx_power_dbm()
    }

    /// Peak EIRP (dBm).
    #[getter]
    fn eirp_dbm(&self) -> f64 {
        self.0.eirp_dbm()
    }

    /// dB between the total power and the power per resource element (RSRP).
    #[getter]
    fn rsrp_offset_db(&self) -> f64 {
        self.0.rsrp_offset_db()
    }

    fn __repr__(&self) -> String {
        let p = self.0.position();
        format!("Site({:?}, {} {} MHz at ({}, {}), EIRP {:.1} dBm)", self.0.id(), self.0.technology().name(), self.0.frequency_mhz(), p[0], p[1], self.0.eirp_dbm())
    }
}

/// The core model of a model name (any case), as the region file and `bbcov radio` map them.
fn model(py: Python<'_>, name: &str, extrapolate: bool) -> PyResult<RadioModel> {
    let name: ModelName = name.parse().map_err(|e: String| invalid_input(py, e))?;
    Ok(name.model(extrapolate))
}

pub(crate) fn coverage_options(py: Python<'_>, radius_m: f64, model_name: &str, extrapolate: bool, rx_height_m: f64, threshold_dbm: Option<f64>) -> PyResult<CoverageOptions> {
    let mut options = CoverageOptions::new(radius_m, model(py, model_name, extrapolate)?).with_receiver_height(rx_height_m).with_clip_to_dem(true);
    if let Some(t) = threshold_dbm {
        options = options.with_rsrp_threshold(t);
    }
    Ok(options)
}

pub(crate) fn site_list(sites: &[Bound<'_, PySite>]) -> Vec<Site> {
    sites.iter().map(|s| s.get().0.clone()).collect()
}

/// The best server of many sites over a DEM (see `bbcov.RadioCoverage`).
#[pyclass(module = "bbcov._bbcov", name = "BestServerMap", frozen)]
pub struct PyBestServerMap(BestServerMap);

/// A read-only numpy view of an array owned by `owner` (no copy).
fn view2<'py, T: numpy::Element>(owner: &Bound<'py, PyBestServerMap>, view: numpy::ndarray::ArrayView2<'_, T>) -> Bound<'py, PyArray2<T>> {
    // SAFETY: `owner` is frozen and owns the map's arrays, which are never
    // reallocated; it becomes the array's base, so it outlives the view.
    let array = unsafe { PyArray2::borrow_from_array(&view, owner.clone().into_any()) };
    array.readwrite().make_nonwriteable();
    array
}

#[pymethods]
impl PyBestServerMap {
    /// Best-server RSRP (dBm; NaN where not computed), read-only view.
    #[getter]
    fn rsrp_dbm<'py>(slf: Bound<'py, Self>) -> Bound<'py, PyArray2<f32>> {
        view2(&slf, slf.get().0.rsrp_dbm())
    }

    /// Index of the best server (4294967295 = none), read-only view.
    #[getter]
    fn server<'py>(slf: Bound<'py, Self>) -> Bound<'py, PyArray2<u32>> {
        view2(&slf, slf.get().0.server())
    }

    /// SINR (dB) of the best server, read-only view.
    #[getter]
    fn sinr_db<'py>(slf: Bound<'py, Self>) -> Bound<'py, PyArray2<f32>> {
        view2(&slf, slf.get().0.sinr_db())
    }

    /// Throughput estimate (Mbit/s), read-only view.
    #[getter]
    fn throughput_mbps<'py>(slf: Bound<'py, Self>) -> Bound<'py, PyArray2<f32>> {
        view2(&slf, slf.get().0.throughput_mbps())
    }

    /// RSRP at or above the threshold, read-only view.
    #[getter]
    fn covered<'py>(slf: Bound<'py, Self>) -> Bound<'py, PyArray2<bool>> {
        view2(&slf, slf.get().0.covered())
    }


    /// GDAL geotransform of the map's window.
    #[getter]
    fn geotransform(&self) -> [f64; 6] {
        self.0.transform().to_gdal()
    }

    #[getter]
    fn epsg(&self) -> Option<u32> {
        epsg_of(self.0.crs())
    }

    /// (row, col) of the map's first cell in the DEM.
    #[getter]
    fn dem_offset(&self) -> (usize, usize) {
        self.0.dem_offset()
    }

    #[getter]
    fn covered_count(&self) -> usize {
        self.0.covered_count()
    }
}

/// Best server, RSRP, SINR and coverage of `sites` on the DEM cells (the
/// `bbcov radio` command's computation). `progress` draws a tqdm bar; Ctrl-C cancels.
#[pyfunction]
#[pyo3(signature = (dem, sites, *, radius_m = 10_000.0, model = "itm", rx_height_m = 1.5, threshold_dbm = None, load = 0.5,
    noise_figure_db = 7.0, extrapolate = false, progress = false))]
#[allow(clippy::too_many_arguments)]
pub fn radio_coverage(
    py: Python<'_>,
    dem: &Bound<'_, PyDem>,
    sites: Vec<Bound<'_, PySite>>,
    radius_m: f64,
    model: &str,
    rx_height_m: f64,
    threshold_dbm: Option<f64>,
    load: f64,
    noise_figure_db: f64,
    extrapolate: bool,
    progress: bool,
) -> PyResult<PyBestServerMap> {
    let options = coverage_options(py, radius_m, model, extrapolate, rx_height_m, threshold_dbm)?;
    let sites = site_list(&sites);
    let dem = &dem.get().0;
    enter(py, progress, |p| best_server(dem, &sites, &options, load, noise_figure_db, p).map(PyBestServerMap))
}

/// RSRP, serving site index (-1: none), SINR and covered flag at each
/// household (exact positions and profiles), as `bbcov radio --households`.
#[pyfunction]
#[pyo3(signature = (dem, sites, households, *, radius_m = 10_000.0, model = "itm", rx_height_m = 1.5, threshold_dbm = None,
    load = 0.5, noise_figure_db = 7.0, indoor = true, extrapolate = false, progress = false))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub fn household_signal_arrays<'py>(
    py: Python<'py>,
    dem: &Bound<'_, PyDem>,
    sites: Vec<Bound<'_, PySite>>,
    households: &Bound<'_, PyHouseholds>,
    radius_m: f64,
    model: &str,
    rx_height_m: f64,
    threshold_dbm: Option<f64>,
    load: f64,
    noise_figure_db: f64,
    indoor: bool,
    extrapolate: bool,
    progress: bool,
) -> PyResult<(Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<i64>>, Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<bool>>)> {
    let options = coverage_options(py, radius_m, model, extrapolate, rx_height_m, threshold_dbm)?;
    let mut hopts = HouseholdRadioOptions::from_coverage(&options).with_load(load, noise_figure_db);
    if indoor {
        hopts = hopts.with_indoor_loss(IndoorLoss::Tr38901LowLoss { indoor_distance_m: 0.0 });
    }
    let sites = site_list(&sites);
    let (dem, households) = (&dem.get().0, &households.get().0);
    let signals = enter(py, progress, |_| household_signal(dem, &sites, households, &hopts))?;
    let rsrp: Vec<f64> = signals.iter().map(|s| s.rsrp_dbm).collect();
    let server: Vec<i64> = signals.iter().map(|s| s.serving_site.map_or(-1, |i| i as i64)).collect();
    let sinr: Vec<f64> = signals.iter().map(|s| s.sinr_db).collect();
    let covered: Vec<bool> = signals.iter().map(|s| s.covered).collect();
    Ok((PyArray1::from_vec(py, rsrp), PyArray1::from_vec(py, server), PyArray1::from_vec(py, sinr), PyArray1::from_vec(py, covered)))
}
