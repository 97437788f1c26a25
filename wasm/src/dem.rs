//! `Dem`: an elevation grid as geotiff.js delivers it.

use bbcov_core::{Dem, Error, GeoTransform};
use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

use crate::error::{JsResult, to_js};
use crate::input::{crs_of, epsg_of};

/// A digital elevation model: ground heights (m) on a north-up grid in a
/// projected metric CRS.
#[wasm_bindgen(js_name = Dem)]
pub struct JsDem(pub(crate) Dem);

#[wasm_bindgen(js_class = Dem)]
impl JsDem {
    /// A DEM from row-major heights (`height` rows of `width` values, row 0
    /// north), GDAL's geotransform `[x0, dx, 0, y0, 0, -dy]` (with geotiff.js:
    /// `[ox, rx, 0, oy, 0, ry]` from `image.getOrigin()` and
    /// `image.getResolution()`), the EPSG code of its projected CRS and the
    /// nodata value (`image.getGDALNoData()`). Cells equal to `nodata`, and NaN
    /// cells, are missing data, never 0 m. Throws on a lon/lat CRS, a rotated
    /// or south-up transform, a size mismatch or an implausible elevation.
    #[wasm_bindgen(constructor)]
    pub fn new(
        heights: Vec<f32>,
        width: u32,
        height: u32,
        geotransform: &[f64],
        epsg: Option<f64>,
        nodata: Option<f32>,
    ) -> JsResult<JsDem> {
        let gt: [f64; 6] = geotransform.try_into().map_err(|_| {
            to_js(Error::LengthMismatch { what: "DEM geotransform".into(), expected: 6, got: geotransform.len() })
        })?;
        let transform = GeoTransform::from_gdal(gt).map_err(to_js)?;
        Dem::from_vec(height as usize, width as usize, heights, transform, crs_of(epsg)?, nodata)
            .map(JsDem)
            .map_err(to_js)
    }

    /// Number of rows (north to south).
    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> usize {
        self.0.rows()
    }

    /// Number of columns (west to east).
    #[wasm_bindgen(getter)]
    pub fn cols(&self) -> usize {
        self.0.cols()
    }

    /// EPSG code of the CRS.
    #[wasm_bindgen(getter)]
    pub fn epsg(&self) -> Option<u32> {
        epsg_of(self.0.crs())
    }

    /// Number of missing (nodata) cells.
    #[wasm_bindgen(getter, js_name = missingCount)]
    pub fn missing_count(&self) -> usize {
        self.0.missing_count()
    }

    /// Number of cells given below 0 m, read as the sea surface (0 m).
    #[wasm_bindgen(getter, js_name = belowSeaLevelCount)]
    pub fn below_sea_level_count(&self) -> usize {
        self.0.below_sea_level_count()
    }

    /// Extent `[x_min, y_min, x_max, y_max]` (outer cell edges).
    pub fn bounds(&self) -> Float64Array {
        Float64Array::from(&self.0.bounds()[..])
    }

    /// Height of cell (`row`, `col`); `undefined` when missing or outside the grid.
    #[wasm_bindgen(js_name = heightAtCell)]
    pub fn height_at_cell(&self, row: usize, col: usize) -> Option<f32> {
        self.0.height_at_cell(row, col)
    }

    /// Ground height (m) at (`x`, `y`) by bilinear interpolation; throws outside
    /// the DEM or where a touched cell is missing.
    pub fn sample(&self, x: f64, y: f64) -> JsResult<f64> {
        self.0.sample(x, y).map_err(to_js)
    }
}
