//! Writes a [`Region`] to files: GeoTIFF DEM, GeoPackage and GeoJSON layers,
//! CSV tables and the `region.toml` that points at them. Everything is written
//! into a temporary folder first and moved into place at the end, so an
//! interrupted run leaves no half-written file behind.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use gdal::DriverManager;
use gdal::raster::{Buffer, RasterCreationOptions};
use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use gdal::vector::{
    Feature, Geometry, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType,
};

use crate::archipelago::{self, EPSG_GEOGRAPHIC, EPSG_PROJECTED};
use crate::region::Region;
use crate::terrain::NODATA;

/// Maximum drop length written to `region.toml`, metres.
pub const MAX_DROP_M: u32 = 300;

/// Failure while writing the region.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// GDAL refused an operation.
    #[error("GDAL: {0}")]
    Gdal(#[from] gdal::errors::GdalError),
    /// A file system operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// A file written, with its size.
#[derive(Debug, Clone)]
pub struct Written {
    /// File name inside the output folder.
    pub name: &'static str,
    /// Size in bytes.
    pub bytes: u64,
}

type Result<T> = std::result::Result<T, ExportError>;

fn io<T>(path: &Path, r: std::io::Result<T>) -> Result<T> {
    r.map_err(|source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes every file of the region into `out` (created if missing).
pub fn write_region(region: &Region, out: &Path) -> Result<Vec<Written>> {
    io(out, fs::create_dir_all(out))?;
    let staging = out.join(format!(".partial-{}", std::process::id()));
    if staging.exists() {
        io(&staging, fs::remove_dir_all(&staging))?;
    }
    io(&staging, fs::create_dir(&staging))?;
    let result = write_all(region, &staging).and_then(|names| {
        let mut written = Vec::new();
        for name in names {
            let (from, to) = (staging.join(name), out.join(name));
            let bytes = io(&from, fs::metadata(&from))?.len();
            io(&to, fs::rename(&from, &to))?;
            written.push(Written { name, bytes });
        }
        Ok(written)
    });
    // Best effort: the staging folder is empty on success, partial on failure.
    let _ = fs::remove_dir_all(&staging);
    result
}

fn write_all(region: &Region, dir: &Path) -> Result<Vec<&'static str>> {
    // Fixed GeoPackage timestamps: the same input gives the same bytes.
    gdal::config::set_config_option("OGR_CURRENT_DATE", "2024-06-01T00:00:00.000Z")?;
    let projected = SpatialRef::from_epsg(EPSG_PROJECTED)?;
    let mut projected_gis = SpatialRef::from_epsg(EPSG_PROJECTED)?;
    projected_gis.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let mut geographic = SpatialRef::from_epsg(EPSG_GEOGRAPHIC)?;
    geographic.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let to_lonlat = CoordTransform::new(&projected_gis, &geographic)?;
    let lonlat = |pts: &[(f64, f64)]| -> Result<Vec<(f64, f64)>> {
        let mut xs: Vec<f64> = pts.iter().map(|p| p.0).collect();
        let mut ys: Vec<f64> = pts.iter().map(|p| p.1).collect();
        to_lonlat.transform_coords(&mut xs, &mut ys, &mut [])?;
        Ok(xs.into_iter().zip(ys).collect())
    };

    write_dem(region, &dir.join("dem.tif"), &projected)?;

    // Households (one point per building).
    let b_xy: Vec<(f64, f64)> = region.buildings.iter().map(|b| (b.x, b.y)).collect();
    let b_ll = lonlat(&b_xy)?;
    let village_of = |b: &crate::settlements::Building| &region.villages[b.village];
    let hh_fields = [
        ("hh_id", OGRFieldType::OFTString),
        ("households", OGRFieldType::OFTInteger),
        ("population", OGRFieldType::OFTInteger),
        ("municipality", OGRFieldType::OFTString),
        ("island", OGRFieldType::OFTString),
        ("village", OGRFieldType::OFTString),
    ];
    let hh_features = region.buildings.iter().zip(&b_ll).map(|(b, &p)| {
        let isl = region.island_of(b);
        (
            point(p),
            vec![
                Value::Str(b.id.clone()),
                Value::Int(b.households as i32),
                Value::Int(b.population as i32),
                Value::Str(isl.municipality.into()),
                Value::Str(isl.name.into()),
                Value::Str(village_of(b).name.clone()),
            ],
        )
    });
    write_layer(
        &dir.join("households.gpkg"),
        "GPKG",
        "households",
        &geographic,
        OGRwkbGeometryType::wkbPoint,
        &[],
        &hh_fields,
        hh_features,
    )?;
    let mut csv = String::from("hh_id,lon,lat,households,population,municipality,island,village\n");
    for (b, p) in region.buildings.iter().zip(&b_ll) {
        let isl = region.island_of(b);
        let v = village_of(b);
        writeln!(
            csv,
            "{},{:.7},{:.7},{},{},{},{},{}",
            b.id, p.0, p.1, b.households, b.population, isl.municipality, isl.name, v.name
        )
        .expect("write to String");
    }
    write_text(&dir.join("households.csv"), &csv)?;

    // Villages.
    let v_xy: Vec<(f64, f64)> = region.villages.iter().map(|v| (v.x, v.y)).collect();
    let v_ll = lonlat(&v_xy)?;
    let mut csv =
        String::from("village,lon,lat,households,population,buildings,municipality,island\n");
    for (i, (v, p)) in region.villages.iter().zip(&v_ll).enumerate() {
        let isl = &region.islands[v.island];
        let buildings = region.buildings.iter().filter(|b| b.village == i).count();
        writeln!(
            csv,
            "{},{:.7},{:.7},{},{},{},{},{}",
            v.name, p.0, p.1, v.households, v.population, buildings, isl.municipality, isl.name
        )
        .expect("write to String");
    }
    write_text(&dir.join("villages.csv"), &csv)?;

    // Roads.
    let road_fields = [
        ("road_id", OGRFieldType::OFTString),
        ("class", OGRFieldType::OFTString),
        ("island", OGRFieldType::OFTString),
    ];
    let road_features = region.roads.roads.iter().map(|r| {
        (
            line(&r.line),
            vec![
                Value::Str(r.id.clone()),
                Value::Str(r.class.as_str().into()),
                Value::Str(region.islands[r.island].name.into()),
            ],
        )
    });
    write_layer(
        &dir.join("roads.gpkg"),
        "GPKG",
        "roads",
        &projected_gis,
        OGRwkbGeometryType::wkbLineString,
        &[],
        &road_fields,
        road_features,
    )?;

    // Fiber, in EPSG:6670 (GeoPackage) and EPSG:4326 (GeoJSON, RFC 7946).
    let fiber_fields = [
        ("route_id", OGRFieldType::OFTString),
        ("kind", OGRFieldType::OFTString),
        ("island", OGRFieldType::OFTString),
    ];
    let fiber_features = || {
        region.fiber.iter().map(|f| {
            (
                line(&f.line),
                vec![
                    Value::Str(f.id.clone()),
                    Value::Str(f.kind.as_str().into()),
                    f.island
                        .map_or(Value::Null, |i| Value::Str(region.islands[i].name.into())),
                ],
            )
        })
    };
    let ls = OGRwkbGeometryType::wkbLineString;
    write_layer(
        &dir.join("fiber.gpkg"),
        "GPKG",
        "fiber",
        &projected_gis,
        ls,
        &[],
        &fiber_fields,
        fiber_features(),
    )?;
    let rfc7946: &[&str] = &["RFC7946=YES", "COORDINATE_PRECISION=7"];
    write_layer(
        &dir.join("fiber.geojson"),
        "GeoJSON",
        "fiber",
        &projected_gis,
        ls,
        rfc7946,
        &fiber_fields,
        fiber_features(),
    )?;

    // Towers.
    let t_xy: Vec<(f64, f64)> = region.towers.iter().map(|t| (t.x, t.y)).collect();
    let t_ll = lonlat(&t_xy)?;
    let mut csv = String::from(
        "site_id,lon,lat,height_m,technology,frequency_mhz,eirp_dbm,azimuth,operator\n",
    );
    for (t, p) in region.towers.iter().zip(&t_ll) {
        let azimuth = t.azimuth_deg.map(|a| a.to_string()).unwrap_or_default();
        writeln!(
            csv,
            "{},{:.7},{:.7},{},{},{},{},{},{}",
            t.site_id,
            p.0,
            p.1,
            t.height_m,
            t.technology.as_str(),
            t.frequency_mhz,
            t.eirp_dbm,
            azimuth,
            t.operator
        )
        .expect("write to String");
    }
    write_text(&dir.join("towers.csv"), &csv)?;

    // Land polygons.
    let land_fields = [
        ("island", OGRFieldType::OFTString),
        ("municipality", OGRFieldType::OFTString),
        ("area_km2", OGRFieldType::OFTReal),
    ];
    let mut land_features = Vec::new();
    for p in &region.land {
        let mut poly = Geometry::empty(OGRwkbGeometryType::wkbPolygon)?;
        for ring in &p.rings {
            let mut r = Geometry::empty(OGRwkbGeometryType::wkbLinearRing)?;
            for &pt in ring {
                r.add_point_2d(pt);
            }
            poly.add_geometry(r)?;
        }
        let isl = p.island.map(|i| &region.islands[i]);
        land_features.push((
            poly,
            vec![
                isl.map_or(Value::Null, |i| Value::Str(i.name.into())),
                isl.map_or(Value::Null, |i| Value::Str(i.municipality.into())),
                Value::Real((p.area_m2 / 1e4).round() / 100.0),
            ],
        ));
    }
    let poly = OGRwkbGeometryType::wkbPolygon;
    write_layer(
        &dir.join("land.geojson"),
        "GeoJSON",
        "land",
        &projected_gis,
        poly,
        rfc7946,
        &land_fields,
        land_features.into_iter(),
    )?;

    write_text(&dir.join("region.toml"), &region_toml(region))?;

    Ok(vec![
        "dem.tif",
        "households.gpkg",
        "households.csv",
        "villages.csv",
        "roads.gpkg",
        "fiber.gpkg",
        "fiber.geojson",
        "towers.csv",
        "land.geojson",
        "region.toml",
    ])
}

/// The configuration file the `bbcov` CLI reads; paths relative to it.
pub fn region_toml(region: &Region) -> String {
    format!(
        r#"# {name}: the bbcov sample region (fictional), generated by
# `cargo run --release -p bbcov-samples` with seed {seed}. Paths are relative to this file.
# CRSs: dem, roads and fiber EPSG:{proj} (JGD2011 / Japan Plane Rectangular CS II);
# households and towers EPSG:{geo} (JGD2011 lon/lat).
name = "{name}"
households = "households.gpkg"
households_layer = "households"
weight_field = "households"
id_field = "hh_id"
area_fields = ["municipality", "island", "village"]
fiber = "fiber.gpkg"
fiber_layer = "fiber"
dem = "dem.tif"
towers = "towers.csv"
roads = "roads.gpkg"
land = "land.geojson"
max_drop_m = {drop}
"#,
        name = archipelago::REGION_NAME,
        seed = region.config.seed,
        proj = EPSG_PROJECTED,
        geo = EPSG_GEOGRAPHIC,
        drop = MAX_DROP_M,
    )
}

fn write_text(path: &Path, text: &str) -> Result<()> {
    io(path, fs::write(path, text))
}

/// GeoTIFF, Float32, DEFLATE with the floating-point predictor, 256 x 256 tiles.
fn write_dem(region: &Region, path: &Path, srs: &SpatialRef) -> Result<()> {
    let dem = &region.dem;
    let driver = DriverManager::get_driver_by_name("GTiff")?;
    let options = RasterCreationOptions::from_iter([
        "COMPRESS=DEFLATE",
        "PREDICTOR=3",
        "ZLEVEL=9",
        "TILED=YES",
        "BLOCKXSIZE=256",
        "BLOCKYSIZE=256",
    ]);
    let mut ds = driver
        .create_with_band_type_with_options::<f32, _>(path, dem.width, dem.height, 1, &options)?;
    ds.set_geo_transform(&dem.geo_transform())?;
    ds.set_spatial_ref(srs)?;
    {
        use gdal::Metadata;
        ds.set_metadata_item(
            "TIFFTAG_IMAGEDESCRIPTION",
            "Sample Islands synthetic terrain and bathymetry (bbcov)",
            "",
        )?;
        ds.set_metadata_item("TIFFTAG_SOFTWARE", "bbcov make-sample-region", "")?;
        let mut band = ds.rasterband(1)?;
        band.set_no_data_value(Some(NODATA as f64))?;
        band.set_description("elevation")?;
        // SAFETY: the band handle is valid while `band` lives; the string is NUL-terminated.
        unsafe { gdal_sys::GDALSetRasterUnitType(band.c_rasterband(), c"metre".as_ptr()) };
        let mut buffer = Buffer::new((dem.width, dem.height), dem.elevation.clone());
        band.write((0, 0), (dem.width, dem.height), &mut buffer)?;
    }
    ds.close()?;
    Ok(())
}

/// An attribute value.
enum Value {
    Str(String),
    Int(i32),
    Real(f64),
    Null,
}

fn point(p: (f64, f64)) -> Geometry {
    let mut g = Geometry::empty(OGRwkbGeometryType::wkbPoint).expect("GDAL creates an empty point");
    g.add_point_2d(p);
    g
}

fn line(pts: &[(f64, f64)]) -> Geometry {
    let mut g =
        Geometry::empty(OGRwkbGeometryType::wkbLineString).expect("GDAL creates an empty line");
    for &p in pts {
        g.add_point_2d(p);
    }
    g
}

/// Creates a one-layer vector dataset with `driver` at `path`.
#[allow(clippy::too_many_arguments)]
fn write_layer(
    path: &Path,
    driver: &str,
    name: &str,
    srs: &SpatialRef,
    ty: OGRwkbGeometryType::Type,
    layer_options: &[&str],
    fields: &[(&str, OGRFieldType::Type)],
    features: impl Iterator<Item = (Geometry, Vec<Value>)>,
) -> Result<()> {
    let drv = DriverManager::get_driver_by_name(driver)?;
    let mut ds = drv.create_vector_only(path)?;
    let transactional = driver == "GPKG";
    let fill = |ds: &mut gdal::Dataset| -> Result<()> {
        let options = (!layer_options.is_empty()).then_some(layer_options);
        let layer = ds.create_layer(LayerOptions {
            name,
            srs: Some(srs),
            ty,
            options,
        })?;
        layer.create_defn_fields(fields)?;
        for (geometry, values) in features {
            let mut f = Feature::new(layer.defn())?;
            for (i, v) in values.iter().enumerate() {
                match v {
                    Value::Str(s) => f.set_field_string(i, s)?,
                    Value::Int(n) => f.set_field_integer(i, *n)?,
                    Value::Real(x) => f.set_field_double(i, *x)?,
                    Value::Null => f.set_field_null(i)?,
                }
            }
            f.set_geometry(geometry)?;
            f.create(&layer)?;
        }
        Ok(())
    };
    if transactional {
        let mut txn = ds.start_transaction()?;
        fill(&mut txn)?;
        txn.commit()?;
    } else {
        fill(&mut ds)?;
    }
    ds.close()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use gdal::Dataset;

    use super::*;
    use crate::region::{Config, DEFAULT_SEED};

    #[test]
    fn writes_readable_files_with_stable_bytes() {
        let region = Region::generate(Config {
            seed: DEFAULT_SEED,
            pixel_m: 150.0,
            cell_m: 300.0,
        });
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let written = write_region(&region, a.path()).unwrap();
        write_region(&region, b.path()).unwrap();
        assert_eq!(written.len(), 10);
        let mut names: Vec<String> = fs::read_dir(a.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert!(
            !names.iter().any(|n| n.starts_with(".partial")),
            "staging folder left: {names:?}"
        );
        for name in [
            "dem.tif",
            "households.csv",
            "villages.csv",
            "towers.csv",
            "region.toml",
            "land.geojson",
            "fiber.geojson",
        ] {
            assert_eq!(
                fs::read(a.path().join(name)).unwrap(),
                fs::read(b.path().join(name)).unwrap(),
                "{name} differs"
            );
        }

        let dem = Dataset::open(a.path().join("dem.tif")).unwrap();
        assert_eq!(
            dem.spatial_ref().unwrap().auth_code().unwrap(),
            EPSG_PROJECTED as i32
        );
        assert_eq!(dem.raster_size(), (region.dem.width, region.dem.height));
        let band = dem.rasterband(1).unwrap();
        assert_eq!(band.no_data_value(), Some(NODATA as f64));
        let data = band.read_band_as::<f32>().unwrap();
        assert_eq!(data.data(), region.dem.elevation.as_slice());

        let hh = Dataset::open(a.path().join("households.gpkg")).unwrap();
        let mut layer = hh.layer_by_name("households").unwrap();
        assert_eq!(layer.feature_count() as usize, region.buildings.len());
        assert_eq!(
            layer.spatial_ref().unwrap().auth_code().unwrap(),
            EPSG_GEOGRAPHIC as i32
        );
        let first = layer.features().next().unwrap();
        let (lon, lat, _) = first.geometry().unwrap().get_point(0);
        assert!(
            (128.5..129.2).contains(&lon) && (32.5..33.1).contains(&lat),
            "lon/lat order: {lon} {lat}"
        );
        let weight = first
            .field_as_integer(first.field_index("households").unwrap())
            .unwrap();
        assert_eq!(weight, Some(region.buildings[0].households as i32));

        let fiber = Dataset::open(a.path().join("fiber.gpkg")).unwrap();
        assert_eq!(
            fiber.layer_by_name("fiber").unwrap().feature_count() as usize,
            region.fiber.len()
        );
        let csv = fs::read_to_string(a.path().join("households.csv")).unwrap();
        assert_eq!(csv.lines().count(), region.buildings.len() + 1);
        assert!(
            fs::read_to_string(a.path().join("region.toml"))
                .unwrap()
                .contains("max_drop_m = 300")
        );
    }
}
