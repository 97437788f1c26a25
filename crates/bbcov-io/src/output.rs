//! Writing point layers with result columns.

use std::path::{Path, PathBuf};

use bbcov_core::{Crs, Households};
use gdal::DriverManager;
use gdal::vector::{Feature, FieldDefn, Geometry, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType};

use crate::error::GdalContext;
use crate::srs::spatial_ref_of;
use crate::{IoError, Result};

/// One attribute column of an output layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Field name.
    pub name: String,
    /// One value per point.
    pub data: ColumnData,
}

/// Values of a [`Column`].
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Real numbers.
    F64(Vec<f64>),
    /// Integers.
    I64(Vec<i64>),
    /// Flags, written as integers 0/1 (booleans where the format has them).
    Bool(Vec<bool>),
    /// Text.
    Text(Vec<String>),
}

impl ColumnData {
    fn len(&self) -> usize {
        match self {
            ColumnData::F64(v) => v.len(),
            ColumnData::I64(v) => v.len(),
            ColumnData::Bool(v) => v.len(),
            ColumnData::Text(v) => v.len(),
        }
    }

    fn csv_value(&self, i: usize) -> String {
        match self {
            ColumnData::F64(v) => format_real(v[i]),
            ColumnData::I64(v) => v[i].to_string(),
            ColumnData::Bool(v) => u8::from(v[i]).to_string(),
            ColumnData::Text(v) => v[i].clone(),
        }
    }
}

/// Shortest text that reads back as the same f64 (Rust's `Display`), empty for NaN.
fn format_real(v: f64) -> String {
    if v.is_nan() { String::new() } else { v.to_string() }
}

/// The attributes of a households layer as output columns: id, weight, area keys.
pub fn household_columns(households: &Households) -> Vec<Column> {
    let mut columns = Vec::new();
    if let Some(ids) = households.ids() {
        columns.push(Column { name: "id".into(), data: ColumnData::Text(ids.to_vec()) });
    }
    columns.push(Column { name: "weight".into(), data: ColumnData::F64(households.weights().to_vec()) });
    for area in households.areas() {
        let values = (0..households.len()).map(|i| area.value(i).to_owned()).collect();
        columns.push(Column { name: area.name().into(), data: ColumnData::Text(values) });
    }
    columns
}

/// Output formats, chosen by file extension.
const SUPPORTED: &str = ".gpkg, .geojson, .json, .fgb or .csv";

/// Writes points in `crs` with attribute columns to `path` (format by
/// extension: GeoPackage, GeoJSON, FlatGeobuf or CSV). The file appears only
/// when complete: it is written under a temporary name and renamed.
///
/// CSV files get `lon`,`lat` columns for lon/lat points and `x`,`y` otherwise.
pub fn write_points(path: &Path, layer_name: &str, crs: Crs, coords: &[[f64; 2]], columns: &[Column]) -> Result<()> {
    if let Some(c) = columns.iter().find(|c| c.data.len() != coords.len()) {
        return Err(bbcov_core::Error::LengthMismatch { what: format!("output column {:?}", c.name), expected: coords.len(), got: c.data.len() }.into());
    }
    let driver = check_output_path(path)?;
    let partial = partial_path(path);
    let written = match driver {
        None => write_csv(&partial, crs, coords, columns),
        Some(driver) => write_gdal(&partial, driver, layer_name, crs, coords, columns),
    };
    finish(written, &partial, path)
}

/// Moves a completely written `partial` file to `path`, or removes it when writing failed.
pub(crate) fn finish(written: Result<()>, partial: &Path, path: &Path) -> Result<()> {
    match written.and_then(|()| std::fs::rename(partial, path).map_err(|source| IoError::Os { path: path.into(), source })) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(partial);
            Err(e)
        }
    }
}

/// Checks, before any work is done, that `path` has a supported extension and
/// lies in an existing directory; returns the GDAL driver (`None` for CSV).
pub fn check_output_path(path: &Path) -> Result<Option<&'static str>> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    let driver = match ext.as_str() {
        "gpkg" => Some("GPKG"),
        "geojson" | "json" => Some("GeoJSON"),
        "fgb" => Some("FlatGeobuf"),
        "csv" => None,
        _ => return Err(IoError::UnsupportedFormat { path: path.into(), supported: SUPPORTED }),
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(IoError::Os { path: path.into(), source: std::io::Error::new(std::io::ErrorKind::NotFound, "the output directory does not exist") });
    }
    Ok(driver)
}

/// `dir/.name.partial.ext`: same directory (so the rename is atomic), same extension (so GDAL picks the format).
pub(crate) fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    path.with_file_name(format!(".{stem}.partial.{ext}"))
}

fn write_csv(path: &Path, crs: Crs, coords: &[[f64; 2]], columns: &[Column]) -> Result<()> {
    let os = |e: csv::Error| IoError::Gdal { path: path.into(), message: e.to_string() };
    let mut w = csv::Writer::from_path(path).map_err(os)?;
    let (xn, yn) = if crs == Crs::LonLat { ("lon", "lat") } else { ("x", "y") };
    w.write_record([xn, yn].into_iter().chain(columns.iter().map(|c| c.name.as_str()))).map_err(os)?;
    let mut row = Vec::with_capacity(columns.len() + 2);
    for (i, p) in coords.iter().enumerate() {
        row.clear();
        row.push(format_real(p[0]));
        row.push(format_real(p[1]));
        row.extend(columns.iter().map(|c| c.data.csv_value(i)));
        w.write_record(&row).map_err(os)?;
    }
    w.flush().map_err(|source| IoError::Os { path: path.into(), source })
}

fn write_gdal(path: &Path, driver: &str, layer_name: &str, crs: Crs, coords: &[[f64; 2]], columns: &[Column]) -> Result<()> {
    let _ = std::fs::remove_file(path);
    let mut dataset = DriverManager::get_driver_by_name(driver).at(path)?.create_vector_only(path).at(path)?;
    // One transaction where the format has them (GeoPackage: much faster);
    // GeoJSON and FlatGeobuf are written straight.
    if driver == "GPKG" {
        let mut tx = dataset.start_transaction().at(path)?;
        write_layer(&mut tx, path, layer_name, crs, coords, columns, &[])?;
        tx.commit().at(path)?;
    } else {
        // FlatGeobuf's spatial index would reorder the records: keep the input order.
        let options: &[&str] = if driver == "FlatGeobuf" { &["SPATIAL_INDEX=NO"] } else { &[] };
        write_layer(&mut dataset, path, layer_name, crs, coords, columns, options)?;
    }
    dataset.close().at(path)
}

fn write_layer(
    dataset: &mut gdal::Dataset,
    path: &Path,
    layer_name: &str,
    crs: Crs,
    coords: &[[f64; 2]],
    columns: &[Column],
    options: &[&str],
) -> Result<()> {
    let srs = spatial_ref_of(crs)?;
    let layer = dataset
        .create_layer(LayerOptions { name: layer_name, srs: Some(&srs), ty: OGRwkbGeometryType::wkbPoint, options: Some(options) })
        .at(path)?;
    for c in columns {
        let ty = match c.data {
            ColumnData::F64(_) => OGRFieldType::OFTReal,
            ColumnData::I64(_) => OGRFieldType::OFTInteger64,
            ColumnData::Bool(_) => OGRFieldType::OFTInteger,
            ColumnData::Text(_) => OGRFieldType::OFTString,
        };
        FieldDefn::new(&c.name, ty).at(path)?.add_to_layer(&layer).at(path)?;
    }
    for (i, p) in coords.iter().enumerate() {
        let mut point = Geometry::empty(OGRwkbGeometryType::wkbPoint).at(path)?;
        point.add_point_2d((p[0], p[1]));
        let mut feature = Feature::new(layer.defn()).at(path)?;
        feature.set_geometry(point).at(path)?;
        for (f, c) in columns.iter().enumerate() {
            match &c.data {
                ColumnData::F64(v) if v[i].is_nan() => feature.set_field_null(f),
                ColumnData::F64(v) => feature.set_field_double(f, v[i]),
                ColumnData::I64(v) => feature.set_field_integer64(f, v[i]),
                ColumnData::Bool(v) => feature.set_field_integer(f, i32::from(v[i])),
                ColumnData::Text(v) => feature.set_field_string(f, &v[i]),
            }
            .at(path)?;
        }
        feature.create(&layer).at(path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_files_sit_next_to_the_target() {
        assert_eq!(partial_path(Path::new("/a/b/out.gpkg")), Path::new("/a/b/.out.partial.gpkg"));
    }

    #[test]
    fn unknown_extension_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.xyz");
        let err = write_points(&path, "x", Crs::LonLat, &[[129.0, 33.0]], &[]).unwrap_err();
        assert!(matches!(err, IoError::UnsupportedFormat { .. }), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
