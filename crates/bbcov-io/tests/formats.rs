//! The vector formats of bbcov-io: a layer written in one format reads back
//! with the same coordinates and attributes in every other.

use bbcov_core::Crs;
use bbcov_io::{Column, ColumnData, LayerSpec, read_households, write_points};

fn spec() -> LayerSpec {
    LayerSpec { weight_field: Some("weight".into()), id_field: Some("id".into()), area_fields: vec!["island".into()], ..Default::default() }
}

#[test]
fn geopackage_geojson_flatgeobuf_csv_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let coords = vec![[-12_345.5, 34_567.25], [-12_000.0, 35_000.0], [-11_000.125, 36_000.5]];
    let columns = vec![
        Column { name: "id".into(), data: ColumnData::Text(vec!["a".into(), "b".into(), "c".into()]) },
        Column { name: "weight".into(), data: ColumnData::F64(vec![1.0, 2.5, 4.0]) },
        Column { name: "island".into(), data: ColumnData::Text(vec!["Fukue".into(), "Hisaka".into(), "Fukue".into()]) },
    ];
    for ext in ["gpkg", "geojson", "fgb", "csv"] {
        let path = dir.path().join(format!("hh.{ext}"));
        write_points(&path, "households", Crs::Projected { epsg: 6669 }, &coords, &columns).unwrap();
        let spec = LayerSpec { crs: (ext == "csv").then(|| "EPSG:6669".into()), ..spec() };
        let hh = read_households(&path, &spec).unwrap_or_else(|e| panic!("{ext}: {e}"));
        assert_eq!(hh.crs(), Crs::Projected { epsg: 6669 }, "{ext}");
        assert_eq!(hh.coords(), coords.as_slice(), "{ext}");
        assert_eq!(hh.weights(), [1.0, 2.5, 4.0], "{ext}");
        assert_eq!(hh.ids().unwrap(), ["a", "b", "c"], "{ext}");
        assert_eq!(hh.area("island").unwrap().value(1), "Hisaka", "{ext}");
    }
}

/// Shapefiles are read through GDAL like any other layer (written here with GDAL).
#[test]
fn shapefile_households() {
    use gdal::vector::{FieldDefn, Geometry, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hh.shp");
    {
        let mut ds = gdal::DriverManager::get_driver_by_name("ESRI Shapefile").unwrap().create_vector_only(&path).unwrap();
        let srs = gdal::spatial_ref::SpatialRef::from_epsg(6670).unwrap();
        let layer = ds.create_layer(LayerOptions { name: "hh", srs: Some(&srs), ty: OGRwkbGeometryType::wkbPoint, options: None }).unwrap();
        FieldDefn::new("n", OGRFieldType::OFTInteger).unwrap().add_to_layer(&layer).unwrap();
        for (i, (x, y)) in [(100.0, 200.0), (300.0, 400.0)].into_iter().enumerate() {
            let mut p = Geometry::empty(OGRwkbGeometryType::wkbPoint).unwrap();
            p.add_point_2d((x, y));
            let mut f = gdal::vector::Feature::new(layer.defn()).unwrap();
            f.set_geometry(p).unwrap();
            f.set_field_integer(0, i as i32 + 2).unwrap();
            f.create(&layer).unwrap();
        }
    }
    let hh = read_households(&path, &LayerSpec { weight_field: Some("n".into()), ..Default::default() }).unwrap();
    assert_eq!(hh.crs(), Crs::Projected { epsg: 6670 });
    assert_eq!(hh.coords(), [[100.0, 200.0], [300.0, 400.0]]);
    assert_eq!(hh.weights(), [2.0, 3.0]);
}
