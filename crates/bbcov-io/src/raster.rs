//! Rasters: DEMs in (GeoTIFF or anything GDAL reads, warped to a projected
//! CRS when needed) and result grids out (Cloud-Optimized GeoTIFF with
//! overviews, contour polygons).

use std::ffi::CString;
use std::path::Path;

use bbcov_core::{Crs, Dem, GeoTransform};
use gdal::raster::GdalType;
use gdal::{Dataset, DriverManager};
use ndarray::ArrayView2;

use crate::error::GdalContext;
use crate::srs::{parse_crs, spatial_ref_of};
use crate::{IoError, Result};

/// How to read a DEM.
#[derive(Debug, Clone, Default)]
pub struct DemSpec {
    /// Band to read (1-based; default 1).
    pub band: Option<usize>,
    /// CRS of the file when it has none, or to override it (`EPSG:4326`, ...).
    pub crs: Option<String>,
    /// Projected CRS (EPSG code) to deliver the DEM in. Default: the file's own
    /// CRS when it is projected, else the WGS 84 UTM zone of its centre.
    pub target_epsg: Option<u32>,
    /// Pixel size (m) when warping; default: GDAL's estimate from the source.
    pub resolution_m: Option<f64>,
}

/// Reads a DEM. Lon/lat (or otherwise mismatched) rasters are warped with
/// bilinear resampling to the target CRS; cells outside the source and nodata
/// cells stay missing (never 0 m).
pub fn read_dem(path: &Path, spec: &DemSpec) -> Result<Dem> {
    if !path.exists() {
        return Err(IoError::Open { path: path.into(), message: "no such file".into() });
    }
    let source = Dataset::open(path).map_err(|e| IoError::Open { path: path.into(), message: e.to_string() })?;
    if source.raster_count() == 0 {
        return Err(IoError::Open { path: path.into(), message: "the file has no raster band".into() });
    }
    let srs = match (&spec.crs, source.spatial_ref()) {
        (Some(text), _) => parse_crs(text)?,
        (None, Ok(srs)) => srs,
        (None, Err(_)) => return Err(IoError::NoCrs { path: path.into() }),
    };
    let own_epsg = srs.is_projected().then(|| srs.auth_code().ok()).flatten().and_then(|c| u32::try_from(c).ok());
    let target = match (spec.target_epsg, own_epsg) {
        (Some(t), _) => t,
        (None, Some(own)) => own,
        (None, None) => utm_zone_of(&source, &srs, path)?,
    };
    let warped;
    let dataset = if own_epsg == Some(target) && spec.crs.is_none() && spec.resolution_m.is_none() {
        &source
    } else {
        warped = warp(&source, path, spec, target)?;
        &warped
    };
    let band_index = spec.band.unwrap_or(1);
    if band_index == 0 || band_index > dataset.raster_count() {
        return Err(IoError::Open { path: path.into(), message: format!("no band {band_index} (the file has {})", dataset.raster_count()) });
    }
    let band = dataset.rasterband(band_index).at(path)?;
    let (cols, rows) = band.size();
    let nodata = band.no_data_value().map(|v| v as f32);
    let buffer = band.read_as::<f32>((0, 0), (cols, rows), (cols, rows), None).at(path)?;
    let transform = GeoTransform::from_gdal(dataset.geo_transform().at(path)?)?;
    let (_, data) = buffer.into_shape_and_vec();
    Ok(Dem::from_vec(rows, cols, data, transform, Crs::Projected { epsg: target }, nodata)?)
}

/// The WGS 84 / UTM zone (EPSG:326zz north, 327zz south) of a raster's centre.
fn utm_zone_of(ds: &Dataset, srs: &gdal::spatial_ref::SpatialRef, path: &Path) -> Result<u32> {
    let gt = ds.geo_transform().at(path)?;
    let (cols, rows) = ds.raster_size();
    let mut centre = [[gt[0] + gt[1] * cols as f64 / 2.0, gt[3] + gt[5] * rows as f64 / 2.0]];
    crate::srs::Reprojection::plan(srs, Some(Crs::LonLat))?.apply(&mut centre)?;
    let [lon, lat] = centre[0];
    let zone = (((lon + 180.0) / 6.0).floor() as u32 % 60) + 1;
    Ok(if lat >= 0.0 { 32600 + zone } else { 32700 + zone })
}

/// `gdalwarp -t_srs EPSG:target -r bilinear -dstnodata nan -ot Float32 -of MEM`.
fn warp(source: &Dataset, path: &Path, spec: &DemSpec, target: u32) -> Result<Dataset> {
    let mut args = vec!["-of".to_string(), "MEM".into(), "-t_srs".into(), format!("EPSG:{target}"), "-r".into(), "bilinear".into()];
    args.extend(["-dstnodata".into(), "nan".into(), "-ot".into(), "Float32".into()]);
    if let Some(text) = &spec.crs {
        let wkt = parse_crs(text)?.to_wkt().at(path)?;
        args.extend(["-s_srs".into(), wkt]);
    }
    if let Some(res) = spec.resolution_m {
        if !(res.is_finite() && res > 0.0) {
            return Err(bbcov_core::Error::InvalidParameter { name: "resolution_m", value: res, expected: "a pixel size > 0 m".into() }.into());
        }
        args.extend(["-tr".into(), res.to_string(), res.to_string()]);
    }
    let c_args: Vec<CString> = args.iter().map(|a| CString::new(a.as_str()).expect("no NUL in arguments")).collect();
    let mut argv: Vec<*mut std::ffi::c_char> = c_args.iter().map(|a| a.as_ptr() as *mut _).collect();
    argv.push(std::ptr::null_mut());
    let empty = CString::new("").expect("no NUL");
    // SAFETY: argv is a NULL-terminated array of valid C strings that outlive
    // the calls; the options are freed after use; the source handle is valid
    // for the call and GDALWarp returns a new dataset that we own.
    unsafe {
        let options = gdal_sys::GDALWarpAppOptionsNew(argv.as_mut_ptr(), std::ptr::null_mut());
        if options.is_null() {
            return Err(IoError::Gdal { path: path.into(), message: "invalid warp options".into() });
        }
        let mut src = source.c_dataset();
        let mut usage_error = 0;
        let out = gdal_sys::GDALWarp(empty.as_ptr(), std::ptr::null_mut(), 1, &mut src, options, &mut usage_error);
        gdal_sys::GDALWarpAppOptionsFree(options);
        if out.is_null() {
            let message = gdal::errors::GdalError::NullPointer { method_name: "GDALWarp", msg: last_gdal_message() }.to_string();
            return Err(IoError::Gdal { path: path.into(), message: format!("cannot reproject the DEM to EPSG:{target}: {message}") });
        }
        Ok(Dataset::from_c_dataset(out))
    }
}

fn last_gdal_message() -> String {
    // SAFETY: CPLGetLastErrorMsg returns a pointer to a static, NUL-terminated buffer.
    unsafe { std::ffi::CStr::from_ptr(gdal_sys::CPLGetLastErrorMsg()).to_string_lossy().into_owned() }
}

/// Writes a single-band grid (row 0 north) as a Cloud-Optimized GeoTIFF
/// (DEFLATE, internal tiles, overviews), through a temporary file.
pub fn write_cog<T: GdalType + Copy>(path: &Path, grid: ArrayView2<T>, transform: &GeoTransform, crs: Crs, nodata: Option<f64>) -> Result<()> {
    let (rows, cols) = grid.dim();
    let mem = DriverManager::get_driver_by_name("MEM").at(path)?;
    let mut ds = mem.create_with_band_type::<T, _>("", cols, rows, 1).at(path)?;
    ds.set_geo_transform(&transform.to_gdal()).at(path)?;
    ds.set_spatial_ref(&spatial_ref_of(crs)?).at(path)?;
    {
        let mut band = ds.rasterband(1).at(path)?;
        band.set_no_data_value(nodata).at(path)?;
        let data: Vec<T> = grid.iter().copied().collect();
        let mut buffer = gdal::raster::Buffer::new((cols, rows), data);
        band.write((0, 0), (cols, rows), &mut buffer).at(path)?;
    }
    let partial = crate::output::partial_path(path);
    let cog = DriverManager::get_driver_by_name("COG").at(path)?;
    let mut options = gdal::raster::RasterCreationOptions::new();
    for option in ["COMPRESS=DEFLATE", "OVERVIEWS=AUTO", "BLOCKSIZE=256"] {
        options.add_string(option).at(path)?;
    }
    let written = ds.create_copy(&cog, &partial, &options).and_then(|out| out.close());
    crate::output::finish(written.at(path), &partial, path)
}

/// Writes polygons of a grid between fixed levels (e.g. RSRP bands
/// -120/-110/-100/-90 dBm) to a vector file (.gpkg, .geojson, .fgb) with fields
/// `min` and `max` (`GDALContourGenerateEx`, `POLYGONIZE=YES`). NaN cells are
/// left out. Written through a temporary file.
pub fn write_contour_polygons(path: &Path, grid: ArrayView2<f32>, transform: &GeoTransform, crs: Crs, levels: &[f64]) -> Result<()> {
    if levels.is_empty() || levels.iter().any(|l| !l.is_finite()) || levels.windows(2).any(|w| w[0] >= w[1]) {
        return Err(IoError::BadValue {
            path: path.into(),
            record: "contour levels".into(),
            field: "levels".into(),
            message: format!("levels must be finite and increasing, got {levels:?}"),
        });
    }
    let driver = crate::output::check_output_path(path)?.ok_or_else(|| IoError::UnsupportedFormat { path: path.into(), supported: ".gpkg, .geojson, .json or .fgb" })?;
    const NODATA: f32 = -1.0e30;
    let (rows, cols) = grid.dim();
    let mem = DriverManager::get_driver_by_name("MEM").at(path)?;
    let mut raster = mem.create_with_band_type::<f32, _>("", cols, rows, 1).at(path)?;
    raster.set_geo_transform(&transform.to_gdal()).at(path)?;
    let srs = spatial_ref_of(crs)?;
    raster.set_spatial_ref(&srs).at(path)?;
    let mut band = raster.rasterband(1).at(path)?;
    band.set_no_data_value(Some(f64::from(NODATA))).at(path)?;
    let data: Vec<f32> = grid.iter().map(|v| if v.is_nan() { NODATA } else { *v }).collect();
    band.write((0, 0), (cols, rows), &mut gdal::raster::Buffer::new((cols, rows), data)).at(path)?;

    let partial = crate::output::partial_path(path);
    let _ = std::fs::remove_file(&partial);
    let written = (|| {
        let mut out = DriverManager::get_driver_by_name(driver).at(path)?.create_vector_only(&partial).at(path)?;
        let layer = out
            .create_layer(gdal::vector::LayerOptions {
                name: "contours",
                srs: Some(&srs),
                ty: gdal::vector::OGRwkbGeometryType::wkbMultiPolygon,
                options: None,
            })
            .at(path)?;
        for name in ["id", "min", "max"] {
            let ty = if name == "id" { gdal::vector::OGRFieldType::OFTInteger } else { gdal::vector::OGRFieldType::OFTReal };
            gdal::vector::FieldDefn::new(name, ty).at(path)?.add_to_layer(&layer).at(path)?;
        }
        let mut options = gdal::cpl::CslStringList::new();
        let fixed = levels.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(",");
        for option in [format!("FIXED_LEVELS={fixed}"), "POLYGONIZE=YES".into(), "ID_FIELD=0".into(), "ELEV_FIELD_MIN=1".into(), "ELEV_FIELD_MAX=2".into(), format!("NODATA={NODATA}")] {
            options.add_string(&option).at(path)?;
        }
        // SAFETY: the band and layer handles are alive for the call; the
        // option list is a valid NULL-terminated CSL owned by `options`.
        let err = unsafe {
            use gdal::vector::LayerAccess;
            gdal_sys::GDALContourGenerateEx(band.c_rasterband(), layer.c_layer() as *mut _, options.as_ptr(), None, std::ptr::null_mut())
        };
        if err != gdal_sys::CPLErr::CE_None {
            return Err(IoError::Gdal { path: path.into(), message: format!("contouring failed: {}", last_gdal_message()) });
        }
        out.close().at(path)
    })();
    crate::output::finish(written, &partial, path)
}
