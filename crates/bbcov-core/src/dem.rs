//! Digital elevation model: a north-up grid of ground heights in a projected
//! metric CRS, with missing data (nodata) kept apart from sea level.

use ndarray::{Array2, ArrayView2};

use crate::{Crs, Error, Result};

/// Largest number of rows or columns a [`Dem`] accepts.
pub const MAX_DEM_SIDE: usize = 1 << 20;
/// Largest number of cells a [`Dem`] accepts (2³¹, 8 GiB of `f32`).
pub const MAX_DEM_CELLS: usize = 1 << 31;
/// Lowest plausible elevation (m): below the Challenger Deep (−10,935 m).
pub const MIN_PLAUSIBLE_ELEVATION_M: f32 = -11_500.0;
/// Highest plausible elevation (m): above Mount Everest (8,849 m).
pub const MAX_PLAUSIBLE_ELEVATION_M: f32 = 9_000.0;
/// Pixel sizes (m) a [`Dem`] accepts: from 1 cm (a smaller one is most likely
/// in degrees, not metres) to 100 km.
pub const PIXEL_SIZE_RANGE_M: (f64, f64) = (0.01, 100_000.0);

/// A north-up geotransform: where the grid lies in its CRS.
///
/// Column `c`, row `r` covers x in `[origin_x + c·dx, origin_x + (c+1)·dx]`
/// and y in `[origin_y − (r+1)·dy, origin_y − r·dy]`: `origin` is the
/// north-west *corner* of the north-west cell (GDAL's convention), rows run
/// south and both pixel sizes are positive. GDAL's six numbers map with
/// [`GeoTransform::from_gdal`].
///
/// ```
/// use bbcov_core::GeoTransform;
/// let t = GeoTransform::from_gdal([500_000.0, 30.0, 0.0, 3_600_000.0, 0.0, -30.0])?;
/// assert_eq!(t.cell_centre(0, 0), [500_015.0, 3_599_985.0]);
/// assert_eq!(t.to_gdal(), [500_000.0, 30.0, 0.0, 3_600_000.0, 0.0, -30.0]);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoTransform {
    /// x of the west edge of column 0 (CRS units, metres).
    pub origin_x: f64,
    /// y of the north edge of row 0.
    pub origin_y: f64,
    /// Pixel width (> 0).
    pub dx: f64,
    /// Pixel height (> 0; rows run south).
    pub dy: f64,
}

impl GeoTransform {
    /// A north-up transform from the north-west corner and the pixel sizes.
    pub fn new(origin_x: f64, origin_y: f64, dx: f64, dy: f64) -> Self {
        GeoTransform { origin_x, origin_y, dx, dy }
    }

    /// From GDAL's geotransform `[x0, dx, rx, y0, ry, −dy]`: refuses rotated
    /// or sheared grids (`rx`, `ry` ≠ 0) and south-up grids (`gt[5]` > 0;
    /// flip the rows first).
    pub fn from_gdal(gt: [f64; 6]) -> Result<Self> {
        if gt[2] != 0.0 || gt[4] != 0.0 {
            return Err(Error::InvalidDem {
                reason: format!(
                    "rotated or sheared geotransform (terms {} and {}); warp the DEM to a north-up grid first",
                    gt[2], gt[4]
                ),
            });
        }
        if gt[5].is_nan() || gt[5] >= 0.0 {
            return Err(Error::InvalidDem {
                reason: format!("geotransform pixel height {} is not negative: the DEM is not north-up", gt[5]),
            });
        }
        Ok(GeoTransform { origin_x: gt[0], origin_y: gt[3], dx: gt[1], dy: -gt[5] })
    }

    /// GDAL's six numbers.
    pub fn to_gdal(&self) -> [f64; 6] {
        [self.origin_x, self.dx, 0.0, self.origin_y, 0.0, -self.dy]
    }

    /// Coordinates of the centre of cell (`row`, `col`).
    pub fn cell_centre(&self, row: usize, col: usize) -> [f64; 2] {
        [self.origin_x + (col as f64 + 0.5) * self.dx, self.origin_y - (row as f64 + 0.5) * self.dy]
    }

    /// Fractional (column, row) of a point, measured from the centre of cell (0, 0).
    pub(crate) fn grid_position(&self, x: f64, y: f64) -> (f64, f64) {
        ((x - self.origin_x) / self.dx - 0.5, (self.origin_y - y) / self.dy - 0.5)
    }

    /// The same grid with its origin moved to cell (`row`, `col`).
    pub(crate) fn shifted(&self, row: usize, col: usize) -> Self {
        GeoTransform {
            origin_x: self.origin_x + col as f64 * self.dx,
            origin_y: self.origin_y - row as f64 * self.dy,
            ..*self
        }
    }
}

/// A digital elevation model: ground heights (m) on a north-up grid.
///
/// - **CRS**: a projected metric CRS ([`Crs::Projected`]). Lon/lat DEMs are
///   refused: profiles and viewsheds measure distances in metres along the
///   grid, and a degree grid is neither square nor metric. Reproject first
///   (the readers do: `gdalwarp -t_srs EPSG:6670 -r bilinear`, rasterio's
///   `reproject`), to the same projected CRS as the other layers.
/// - **Missing data** is never an elevation: NaN cells and cells equal to
///   `nodata` are *missing* (stored as NaN), and every operation that needs
///   one reports it ([`Error::MissingElevation`] or a `Unknown` class), never
///   reading it as 0 m. Sea at 0 m is an elevation like any other.
/// - **Sea surface**: elevations below 0 m (the sea floor of a
///   topo-bathymetric grid such as GEBCO's, the Okushiri grid or the sample
///   region's) are read as the sea surface, 0 m: radio waves and sightlines
///   travel over the water, and a receiver at sea floats on it, as in
///   SRTM-based tools, whose grids hold 0 m at sea. Land below sea level
///   (polders, a few metres at most in Japan) is raised to 0 m with it;
///   [`Dem::below_sea_level_count`] says how many cells were.
/// - **Validation**: the grid is non-empty, at most [`MAX_DEM_SIDE`] per side
///   and [`MAX_DEM_CELLS`] in all; the transform is finite with pixel sizes in
///   [`PIXEL_SIZE_RANGE_M`] and the whole extent within the CRS's valid range;
///   every non-missing elevation is finite and within
///   [[`MIN_PLAUSIBLE_ELEVATION_M`], [`MAX_PLAUSIBLE_ELEVATION_M`]] (an
///   undeclared void value such as −32768 is refused with a hint to
///   pass it as `nodata`).
///
/// ```
/// use bbcov_core::{Crs, Dem, GeoTransform};
/// use ndarray::array;
/// let dem = Dem::new(
///     array![[10.0, 20.0], [30.0, -9999.0]],
///     GeoTransform::new(500_000.0, 3_600_000.0, 30.0, 30.0),
///     Crs::Projected { epsg: 32652 },
///     Some(-9999.0),
/// )?;
/// assert_eq!(dem.height_at_cell(0, 1), Some(20.0));
/// assert_eq!(dem.height_at_cell(1, 1), None); // nodata
/// assert_eq!(dem.missing_count(), 1);
///
/// // The sea floor of a topo-bathymetric grid is read as the sea surface.
/// let bathy = Dem::new(
///     array![[12.0, -35.5]],
///     GeoTransform::new(500_000.0, 3_600_000.0, 30.0, 30.0),
///     Crs::Projected { epsg: 32652 },
///     None,
/// )?;
/// assert_eq!(bathy.height_at_cell(0, 1), Some(0.0));
/// assert_eq!(bathy.below_sea_level_count(), 1);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Dem {
    /// Row-major (standard layout), row 0 north; missing cells are NaN.
    heights: Array2<f32>,
    transform: GeoTransform,
    crs: Crs,
    nodata: Option<f32>,
    missing: usize,
    /// Cells given below 0 m, now at the sea surface.
    below_sea_level: usize,
}

impl Dem {
    /// A DEM from a grid of heights (row 0 north), its transform, CRS and
    /// optional nodata value; validated as described on [`Dem`].
    pub fn new(heights: Array2<f32>, transform: GeoTransform, crs: Crs, nodata: Option<f32>) -> Result<Self> {
        let (rows, cols) = heights.dim();
        check_geometry(rows, cols, &transform, crs)?;
        let mut heights = if heights.is_standard_layout() { heights } else { heights.as_standard_layout().into_owned() };
        let (mut missing, mut below_sea_level) = (0, 0);
        for ((r, c), z) in heights.indexed_iter_mut() {
            if z.is_nan() || Some(*z) == nodata {
                *z = f32::NAN;
                missing += 1;
            } else if !(MIN_PLAUSIBLE_ELEVATION_M..=MAX_PLAUSIBLE_ELEVATION_M).contains(z) {
                return Err(Error::InvalidDem {
                    reason: format!(
                        "cell (row {r}, column {c}) has elevation {z} m, outside the plausible range \
                         [{MIN_PLAUSIBLE_ELEVATION_M}, {MAX_PLAUSIBLE_ELEVATION_M}] m; if it marks missing data, \
                         pass it as nodata{}",
                        nodata.map(|v| format!(" (the declared nodata is {v})")).unwrap_or_default()
                    ),
                });
            } else if *z < 0.0 {
                *z = 0.0;
                below_sea_level += 1;
            }
        }
        Ok(Dem { heights, transform, crs, nodata, missing, below_sea_level })
    }

    /// A DEM from row-major heights (`rows × cols` values, row 0 north), as
    /// bindings and readers hand them over.
    pub fn from_vec(
        rows: usize,
        cols: usize,
        heights: Vec<f32>,
        transform: GeoTransform,
        crs: Crs,
        nodata: Option<f32>,
    ) -> Result<Self> {
        if rows.checked_mul(cols) != Some(heights.len()) {
            return Err(Error::LengthMismatch {
                what: format!("DEM heights for {rows} rows × {cols} columns"),
                expected: rows.saturating_mul(cols),
                got: heights.len(),
            });
        }
        let heights = Array2::from_shape_vec((rows, cols), heights).map_err(|e| Error::InvalidDem { reason: e.to_string() })?;
        Dem::new(heights, transform, crs, nodata)
    }

    /// Number of rows (north to south).
    pub fn rows(&self) -> usize {
        self.heights.nrows()
    }

    /// Number of columns (west to east).
    pub fn cols(&self) -> usize {
        self.heights.ncols()
    }

    /// The heights (m); missing cells are NaN.
    pub fn heights(&self) -> ArrayView2<'_, f32> {
        self.heights.view()
    }

    /// The geotransform.
    pub fn transform(&self) -> &GeoTransform {
        &self.transform
    }

    /// The CRS (always projected).
    pub fn crs(&self) -> Crs {
        self.crs
    }

    /// The nodata value the DEM was built with (its cells are now NaN).
    pub fn nodata(&self) -> Option<f32> {
        self.nodata
    }

    /// Number of missing cells.
    pub fn missing_count(&self) -> usize {
        self.missing
    }

    /// Number of cells given below 0 m, read as the sea surface (0 m).
    pub fn below_sea_level_count(&self) -> usize {
        self.below_sea_level
    }

    /// Extent `[x_min, y_min, x_max, y_max]` (outer cell edges).
    pub fn bounds(&self) -> [f64; 4] {
        let t = &self.transform;
        [
            t.origin_x,
            t.origin_y - self.rows() as f64 * t.dy,
            t.origin_x + self.cols() as f64 * t.dx,
            t.origin_y,
        ]
    }

    /// Height of cell (`row`, `col`); `None` when the cell is missing or
    /// outside the grid.
    pub fn height_at_cell(&self, row: usize, col: usize) -> Option<f32> {
        self.heights.get((row, col)).copied().filter(|z| !z.is_nan())
    }

    /// Centre of cell (`row`, `col`).
    pub fn cell_centre(&self, row: usize, col: usize) -> [f64; 2] {
        self.transform.cell_centre(row, col)
    }

    /// The cell (`row`, `col`) that contains a point; `None` outside the
    /// extent. A point on an edge shared by two cells belongs to the east /
    /// south one; the east and south outer edges belong to the last column / row.
    pub fn cell_of(&self, x: f64, y: f64) -> Option<(usize, usize)> {
        let [x_min, y_min, x_max, y_max] = self.bounds();
        if !(x >= x_min && x <= x_max && y >= y_min && y <= y_max) {
            return None;
        }
        let (u, v) = self.transform.grid_position(x, y);
        let col = ((u + 0.5).floor().max(0.0) as usize).min(self.cols() - 1);
        let row = ((v + 0.5).floor().max(0.0) as usize).min(self.rows() - 1);
        Some((row, col))
    }

    /// Ground height (m) at a point by bilinear interpolation between the four
    /// surrounding cell centres.
    ///
    /// - At a cell centre it is that cell's height exactly.
    /// - In the outer half-cell ring (between the outermost centres and the
    ///   extent's edge) the grid is extended flat: the nearest edge cells are
    ///   used, so the whole extent [`bounds`](Dem::bounds) can be sampled.
    /// - Outside the extent: [`Error::OutsideDem`].
    /// - A sample *touches* every cell that gets a non-zero weight; if one of
    ///   them is missing the sample is missing: [`Error::MissingElevation`]
    ///   naming that cell. A sample at the centre of a valid cell next to a
    ///   missing one is therefore valid.
    ///
    /// ```
    /// use bbcov_core::{Crs, Dem, GeoTransform};
    /// use ndarray::array;
    /// let dem = Dem::new(array![[0.0, 10.0], [20.0, f32::NAN]], GeoTransform::new(0.0, 20.0, 10.0, 10.0),
    ///                    Crs::Projected { epsg: 32652 }, None)?;
    /// assert_eq!(dem.sample(10.0, 15.0)?, 5.0); // half-way between the two northern centres
    /// assert_eq!(dem.sample(5.0, 5.0)?, 20.0); // the centre of the valid south-west cell
    /// assert!(dem.sample(10.0, 10.0).is_err()); // touches the missing cell
    /// assert!(dem.sample(25.0, 10.0).is_err()); // outside
    /// # Ok::<(), bbcov_core::Error>(())
    /// ```
    pub fn sample(&self, x: f64, y: f64) -> Result<f64> {
        self.sample_named(x, y, "point")
    }

    /// [`sample`](Dem::sample), naming the point `what` in an [`Error::OutsideDem`].
    pub(crate) fn sample_named(&self, x: f64, y: f64, what: &str) -> Result<f64> {
        let [x_min, y_min, x_max, y_max] = self.bounds();
        if !(x >= x_min && x <= x_max && y >= y_min && y <= y_max) {
            return Err(self.outside(what, x, y));
        }
        let (u, v) = self.transform.grid_position(x, y);
        let cols = self.cols();
        let (c0, fu) = stencil(u, cols);
        let (r0, fv) = stencil(v, self.rows());
        let data = self.data();
        let mut sum = 0.0;
        for (dr, wr) in [(0, 1.0 - fv), (1, fv)] {
            for (dc, wc) in [(0, 1.0 - fu), (1, fu)] {
                let w = wr * wc;
                if w == 0.0 {
                    continue;
                }
                let (row, col) = (r0 + dr, c0 + dc);
                let z = data[row * cols + col];
                if z.is_nan() {
                    return Err(Error::MissingElevation { x, y, row, col, context: None });
                }
                sum += w * z as f64;
            }
        }
        Ok(sum)
    }

    /// The [`Error::OutsideDem`] for a point.
    pub(crate) fn outside(&self, what: &str, x: f64, y: f64) -> Error {
        let [x_min, y_min, x_max, y_max] = self.bounds();
        Error::OutsideDem { what: what.into(), x, y, x_min, x_max, y_min, y_max }
    }

    /// The heights as a row-major slice (the grid is kept in standard layout).
    pub(crate) fn data(&self) -> &[f32] {
        self.heights.as_slice().expect("Dem keeps its grid in standard (row-major) layout")
    }
}

/// First index and weight of the second one for linear interpolation at
/// fractional index `u` on an axis of `n` cells, clamped to the outermost centres.
pub(crate) fn stencil(u: f64, n: usize) -> (usize, f64) {
    if n == 1 {
        return (0, 0.0);
    }
    let u = u.clamp(0.0, (n - 1) as f64);
    // u ≥ 0: truncation is the floor (one instruction, where `floor` may be a call).
    let i = (u as usize).min(n - 2);
    (i, u - i as f64)
}

fn check_geometry(rows: usize, cols: usize, t: &GeoTransform, crs: Crs) -> Result<()> {
    let invalid = |reason: String| Err(Error::InvalidDem { reason });
    if rows == 0 || cols == 0 {
        return invalid(format!("the grid is empty ({rows} rows × {cols} columns)"));
    }
    if rows > MAX_DEM_SIDE || cols > MAX_DEM_SIDE || rows.saturating_mul(cols) > MAX_DEM_CELLS {
        return invalid(format!(
            "{rows} rows × {cols} columns is too large: at most {MAX_DEM_SIDE} per side and {MAX_DEM_CELLS} cells; \
             clip the DEM to the study area"
        ));
    }
    if let Crs::LonLat = crs {
        return invalid(
            "a lon/lat DEM is not supported: profiles and viewsheds need a metric grid; reproject it to the \
             projected CRS of the study (UTM, JGD2011 plane rectangular), e.g. gdalwarp -t_srs EPSG:6670 -r bilinear"
                .into(),
        );
    }
    if !(t.origin_x.is_finite() && t.origin_y.is_finite()) {
        return invalid(format!("geotransform origin ({}, {}) is not finite", t.origin_x, t.origin_y));
    }
    let (lo, hi) = PIXEL_SIZE_RANGE_M;
    for (name, d) in [("dx", t.dx), ("dy", t.dy)] {
        if !(d >= lo && d <= hi) {
            let hint = if d > 0.0 && d < lo { " (degrees? the DEM must be in a projected metric CRS)" } else { "" };
            return invalid(format!("pixel size {name} = {d} m is outside [{lo}, {hi}] m{hint}"));
        }
    }
    let [x1, y1] = [t.origin_x + cols as f64 * t.dx, t.origin_y - rows as f64 * t.dy];
    for (x, y) in [(t.origin_x, t.origin_y), (x1, y1)] {
        if let Err(reason) = crs.check(x, y) {
            return invalid(format!("corner ({x}, {y}) of the extent: {reason}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    const CRS: Crs = Crs::Projected { epsg: 32652 };

    fn t10() -> GeoTransform {
        GeoTransform::new(1000.0, 2000.0, 10.0, 10.0)
    }

    #[test]
    fn validates_grid_transform_and_crs() {
        let z = || array![[1.0f32, 2.0], [3.0, 4.0]];
        assert!(Dem::new(z(), t10(), CRS, None).is_ok());
        assert!(matches!(Dem::new(Array2::zeros((0, 3)), t10(), CRS, None), Err(Error::InvalidDem { .. })));
        assert!(matches!(Dem::new(z(), t10(), Crs::LonLat, None), Err(Error::InvalidDem { .. })));
        for bad in [
            GeoTransform::new(f64::NAN, 0.0, 10.0, 10.0),
            GeoTransform::new(0.0, f64::INFINITY, 10.0, 10.0),
            GeoTransform::new(0.0, 0.0, -10.0, 10.0),
            GeoTransform::new(0.0, 0.0, 10.0, 0.0),
            GeoTransform::new(0.0, 0.0, 0.000_277, 0.000_277),
            GeoTransform::new(0.0, 0.0, f64::NAN, 10.0),
            GeoTransform::new(2e7, 0.0, 10.0, 10.0),
        ] {
            let e = Dem::new(z(), bad, CRS, None).unwrap_err();
            assert!(matches!(e, Error::InvalidDem { .. }), "{bad:?}: {e}");
        }
        let e = Dem::new(z(), GeoTransform::new(0.0, 0.0, 0.000_277, 0.000_277), CRS, None).unwrap_err();
        assert!(e.to_string().contains("degrees"), "{e}");
        let huge = Dem::from_vec(MAX_DEM_SIDE + 1, 0, vec![], t10(), CRS, None).unwrap_err();
        assert!(matches!(huge, Error::InvalidDem { .. }), "{huge}");
        let short = Dem::from_vec(2, 2, vec![1.0; 3], t10(), CRS, None).unwrap_err();
        assert!(matches!(short, Error::LengthMismatch { expected: 4, got: 3, .. }));
    }

    #[test]
    fn undeclared_void_values_are_refused_with_a_hint() {
        let e = Dem::new(array![[1.0f32, -32768.0]], t10(), CRS, None).unwrap_err();
        assert!(e.to_string().contains("row 0, column 1") && e.to_string().contains("nodata"), "{e}");
        assert!(Dem::new(array![[1.0f32, f32::INFINITY]], t10(), CRS, None).is_err());
        let dem = Dem::new(array![[1.0f32, -32768.0]], t10(), CRS, Some(-32768.0)).unwrap();
        assert_eq!((dem.missing_count(), dem.height_at_cell(0, 1)), (1, None));
    }

    /// The sea floor is read as the sea surface; declared nodata below 0 m
    /// stays missing, never becoming sea.
    #[test]
    fn sea_floor_is_the_sea_surface_and_nodata_stays_missing() {
        let dem = Dem::new(array![[-11_000.0f32, -0.5, 0.0, 3.5], [-9999.0, f32::NAN, -1.0, 2.0]], t10(), CRS, Some(-9999.0))
            .unwrap();
        assert_eq!(dem.below_sea_level_count(), 3);
        assert_eq!(dem.missing_count(), 2);
        let row = |r| (0..4).map(|c| dem.height_at_cell(r, c)).collect::<Vec<_>>();
        assert_eq!(row(0), [Some(0.0), Some(0.0), Some(0.0), Some(3.5)]);
        assert_eq!(row(1), [None, None, Some(0.0), Some(2.0)]);
    }

    #[test]
    fn gdal_transform_round_trip_and_refusals() {
        let gt = [500_000.0, 30.0, 0.0, 3_600_000.0, 0.0, -30.0];
        assert_eq!(GeoTransform::from_gdal(gt).unwrap().to_gdal(), gt);
        assert!(GeoTransform::from_gdal([0.0, 30.0, 1.0, 0.0, 0.0, -30.0]).is_err());
        assert!(GeoTransform::from_gdal([0.0, 30.0, 0.0, 0.0, 0.0, 30.0]).is_err());
    }

    #[test]
    fn non_standard_layout_is_copied_in_row_major_order() {
        let z = array![[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0]];
        let dem = Dem::new(z.t().to_owned().reversed_axes(), t10(), CRS, None).unwrap();
        let fortran = Dem::new(z.t().as_standard_layout().t().to_owned(), t10(), CRS, None).unwrap();
        assert_eq!(dem.data(), &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(fortran.data(), dem.data());
    }

    #[test]
    fn cells_of_points_and_edges() {
        let dem = Dem::new(Array2::zeros((3, 4)), t10(), CRS, None).unwrap();
        assert_eq!(dem.bounds(), [1000.0, 1970.0, 1040.0, 2000.0]);
        assert_eq!(dem.cell_of(1000.0, 2000.0), Some((0, 0)));
        assert_eq!(dem.cell_of(1010.0, 1990.0), Some((1, 1)));
        assert_eq!(dem.cell_of(1040.0, 1970.0), Some((2, 3)));
        assert_eq!(dem.cell_of(1040.1, 1980.0), None);
        assert_eq!(dem.cell_of(f64::NAN, 1980.0), None);
        assert_eq!(dem.cell_centre(2, 3), [1035.0, 1975.0]);
    }

    #[test]
    fn bilinear_inside_at_edges_and_next_to_nodata() {
        // centres at x = 1005, 1015, 1025; y = 1995, 1985
        let dem = Dem::new(array![[0.0f32, 10.0, f32::NAN], [20.0, 30.0, 40.0]], t10(), CRS, None).unwrap();
        assert_eq!(dem.sample(1010.0, 1990.0).unwrap(), 15.0);
        assert_eq!(dem.sample(1007.5, 1995.0).unwrap(), 2.5);
        assert_eq!(dem.sample(1015.0, 1995.0).unwrap(), 10.0);
        // outer half-cell ring: flat extension of the edge cells
        assert_eq!(dem.sample(1000.0, 2000.0).unwrap(), 0.0);
        assert_eq!(dem.sample(1030.0, 1980.0).unwrap(), 40.0);
        assert_eq!(dem.sample(1000.0, 1990.0).unwrap(), 10.0);
        // touching the missing cell (0, 2)
        let e = dem.sample(1016.0, 1995.0).unwrap_err();
        assert!(matches!(e, Error::MissingElevation { row: 0, col: 2, .. }), "{e}");
        assert!(dem.sample(1025.0, 1990.0).is_err());
        assert_eq!(dem.sample(1025.0, 1985.0).unwrap(), 40.0);
        assert!(matches!(dem.sample(999.0, 1990.0), Err(Error::OutsideDem { .. })));
        assert!(matches!(dem.sample(1010.0, f64::NAN), Err(Error::OutsideDem { .. })));
    }

    #[test]
    fn single_cell_dem_is_flat() {
        let dem = Dem::new(array![[7.0f32]], t10(), CRS, None).unwrap();
        assert_eq!(dem.sample(1001.0, 1999.0).unwrap(), 7.0);
        assert_eq!(dem.sample(1010.0, 1990.0).unwrap(), 7.0);
    }
}
