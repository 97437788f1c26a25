//! DEMs in and result grids out.

use std::path::PathBuf;

use bbcov_core::{Crs, Dem, GeoTransform};
use bbcov_io::{DemSpec, IoError, read_dem, write_cog};
use ndarray::Array2;

fn okushiri() -> Option<PathBuf> {
    let shared = std::env::var_os("BBCOV_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let path = shared.join("data/real/dem_okushiri_aonae_nthmp/okushiri_aonae_AO15_topobathy.tif");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("SKIPPED: Okushiri DEM not found at {} (set BBCOV_SHARED)", path.display());
        None
    }
}

/// A written COG reads back cell for cell, nodata stays missing, and the file
/// has overviews.
#[test]
fn cog_round_trip_keeps_nodata_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grid.tif");
    let mut grid = Array2::from_shape_fn((600, 700), |(r, c)| (r as f32 * 0.5 - c as f32 * 0.25).sin() * 100.0 - 20.0);
    grid[[10, 20]] = -9999.0;
    let transform = GeoTransform::new(-20_000.0, 40_000.0, 30.0, 30.0);
    write_cog(&path, grid.view(), &transform, Crs::Projected { epsg: 6670 }, Some(-9999.0)).unwrap();

    let dem = read_dem(&path, &DemSpec::default()).unwrap();
    assert_eq!((dem.rows(), dem.cols()), (600, 700));
    assert_eq!(dem.crs(), Crs::Projected { epsg: 6670 });
    assert_eq!(dem.transform(), &transform);
    assert_eq!(dem.height_at_cell(10, 20), None);
    assert_eq!(dem.missing_count(), 1);
    // Cells below 0 m read as the sea surface, the others as written.
    let below = grid.iter().filter(|&&h| h < 0.0 && h != -9999.0).count();
    assert!(below > 0 && dem.below_sea_level_count() == below);
    for (r, c) in [(599, 3), (0, 0), (300, 350), (123, 456)] {
        assert_eq!(dem.height_at_cell(r, c), Some(grid[[r, c]].max(0.0)), "({r}, {c})");
    }

    let ds = gdal::Dataset::open(&path).unwrap();
    assert!(ds.rasterband(1).unwrap().overview_count().unwrap() >= 1, "a COG of 700 x 600 has overviews");
}

/// Real topo-bathymetry of Aonae, Okushiri (NTHMP benchmark BP09): lon/lat
/// without a CRS tag. It must be refused without a CRS, and warped to UTM 54N
/// with one: the bathymetry is read as the sea surface (0 m), land is clipped
/// at +50 m as the data's documentation says, and the warp's empty corners
/// are missing, not sea level.
#[test]
fn okushiri_topobathy_is_warped_not_zero_filled() {
    let Some(path) = okushiri() else { return };
    let err = read_dem(&path, &DemSpec::default()).unwrap_err();
    assert!(matches!(err, IoError::NoCrs { .. }), "{err}");

    let dem: Dem = read_dem(&path, &DemSpec { crs: Some("EPSG:4326".into()), resolution_m: Some(20.0), ..Default::default() }).unwrap();
    assert_eq!(dem.crs(), Crs::Projected { epsg: 32654 });
    let heights: Vec<f32> = dem.heights().iter().copied().filter(|h| !h.is_nan()).collect();
    let max = heights.iter().copied().fold(f32::MIN, f32::max);
    let min = heights.iter().copied().fold(f32::MAX, f32::min);
    assert!((max - 50.0).abs() < 1e-3, "max {max}");
    // Most of the grid is sea floor (down to about −90 m), now the sea surface.
    assert_eq!(min, 0.0);
    assert!(dem.below_sea_level_count() > heights.len() / 2, "{} of {}", dem.below_sea_level_count(), heights.len());
    // The source is a lon/lat rectangle; in UTM it is slightly rotated, so the
    // corners of the warped grid have no data and must be missing.
    assert!(dem.missing_count() > 0);
    assert!(dem.height_at_cell(0, 0).is_none() || dem.height_at_cell(dem.rows() - 1, dem.cols() - 1).is_none());
    // Extent: 0.0657° of longitude at 42.05° N is about 5.43 km.
    let width_m = dem.cols() as f64 * 20.0;
    assert!((width_m - 5_430.0).abs() < 200.0, "width {width_m}");
}

#[test]
fn missing_file_and_bad_band_are_clear_errors() {
    let err = read_dem("no/such/dem.tif".as_ref(), &DemSpec::default()).unwrap_err();
    assert!(err.to_string().contains("no such file"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.tif");
    write_cog(&path, Array2::<f32>::zeros((4, 4)).view(), &GeoTransform::new(0.0, 0.0, 10.0, 10.0), Crs::Projected { epsg: 6670 }, None).unwrap();
    let err = read_dem(&path, &DemSpec { band: Some(2), ..Default::default() }).unwrap_err();
    assert!(err.to_string().contains("no band 2"), "{err}");
}
