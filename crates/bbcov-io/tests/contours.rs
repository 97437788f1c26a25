//! Coverage bands as polygons.

use bbcov_core::{Crs, GeoTransform};
use bbcov_io::write_contour_polygons;
use gdal::vector::LayerAccess;
use ndarray::Array2;

/// A west-to-east ramp from -130 to -80 dBm over 5 km: the band between -110
/// and -100 dBm is the strip 2–3 km from the west edge, 1 km × 2 km = 2 km².
#[test]
fn bands_of_a_ramp_have_the_expected_areas() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bands.gpkg");
    let (rows, cols, pixel) = (200, 500, 10.0);
    let mut grid = Array2::from_shape_fn((rows, cols), |(_, c)| -130.0 + 50.0 * (c as f32 + 0.5) / cols as f32);
    grid[[0, 0]] = f32::NAN;
    let transform = GeoTransform::new(0.0, 2000.0, pixel, pixel);
    write_contour_polygons(&path, grid.view(), &transform, Crs::Projected { epsg: 6670 }, &[-120.0, -110.0, -100.0, -90.0]).unwrap();

    let ds = gdal::Dataset::open(&path).unwrap();
    let mut layer = ds.layer(0).unwrap();
    let mut area_of_band = 0.0;
    for feature in layer.features() {
        let min = feature.field_as_double(feature.field_index("min").unwrap()).unwrap().unwrap();
        if (min + 110.0).abs() < 1e-9 {
            area_of_band += feature.geometry().unwrap().area();
        }
    }
    // Contours follow cell centres, so the band edges are within one pixel.
    assert!((area_of_band - 2.0e6).abs() < 2.0 * 2000.0 * pixel, "area {area_of_band}");
}

#[test]
fn levels_must_increase() {
    let dir = tempfile::tempdir().unwrap();
    let err = write_contour_polygons(&dir.path().join("b.gpkg"), Array2::<f32>::zeros((3, 3)).view(), &GeoTransform::new(0.0, 0.0, 1.0, 1.0), Crs::Projected { epsg: 6670 }, &[-100.0, -110.0])
        .unwrap_err();
    assert!(err.to_string().contains("increasing"), "{err}");
}
