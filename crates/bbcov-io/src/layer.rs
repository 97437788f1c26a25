//! Reading households and fiber routes from vector files (GeoPackage,
//! GeoJSON, Shapefile, FlatGeobuf, CSV, anything GDAL reads).

use std::path::Path;

use bbcov_core::{Crs, FiberNetwork, Households};
use gdal::Dataset;
use gdal::spatial_ref::SpatialRef;
use gdal::vector::{Feature, FieldValue, LayerAccess, OGRwkbGeometryType as Wkb, geometry_type_flatten, geometry_type_to_name};

use crate::srs::{Reprojection, parse_crs};
use crate::{IoError, Result, csv_points};

/// Which layer and fields of a file to read, and in which CRS to deliver it.
///
/// ```no_run
/// use bbcov_io::{LayerSpec, read_households};
/// let spec = LayerSpec { weight_field: Some("households".into()), area_fields: vec!["island".into()], ..Default::default() };
/// let hh = read_households("data-samples/region/households.gpkg".as_ref(), &spec)?;
/// # Ok::<(), bbcov_io::IoError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct LayerSpec {
    /// Layer name, for files with several layers (default: the first).
    pub layer: Option<String>,
    /// CRS of the data (`EPSG:6668`, ...): required for CSV files with x/y
    /// columns and for layers without a CRS; overrides the file's CRS otherwise.
    pub crs: Option<String>,
    /// Field holding a record id.
    pub id_field: Option<String>,
    /// Field holding the weight (households or people per point); default 1 per point.
    pub weight_field: Option<String>,
    /// Fields to aggregate results by (municipality, island, ...).
    pub area_fields: Vec<String>,
    /// CRS to deliver the coordinates in. Default: the file's CRS when it is
    /// projected with an EPSG code, otherwise lon/lat.
    pub target: Option<Crs>,
}

/// Reads household points. Each record must be a Point (or a MultiPoint of
/// one point). CSV files are read directly (see [`LayerSpec::crs`]).
pub fn read_households(path: &Path, spec: &LayerSpec) -> Result<Households> {
    if is_csv(path) {
        return csv_points::read_households(path, spec);
    }
    let source = VectorSource::open(path, spec)?;
    let fields = source.field_indices(spec)?;
    let n = source.count_hint();
    let mut xy = Vec::with_capacity(n);
    let mut table = FieldTable::new(&fields, n);
    for (i, feature) in source.layer().features().enumerate() {
        let record = || record_label(i, &feature);
        let geom = feature.geometry().ok_or_else(|| IoError::BadGeometry { path: path.into(), record: record(), message: "no geometry".into() })?;
        let kind = geometry_type_flatten(geom.geometry_type());
        let point = match kind {
            Wkb::wkbPoint if !geom.is_empty() => geom.get_point(0),
            Wkb::wkbMultiPoint if geom.geometry_count() == 1 => geom.get_geometry(0).get_point(0),
            _ => {
                let found = if geom.is_empty() { "an empty geometry".to_string() } else { geometry_type_to_name(kind) };
                return Err(IoError::BadGeometry { path: path.into(), record: record(), message: format!("expected a Point, found {found}") });
            }
        };
        xy.push([point.0, point.1]);
        table.push(path, &feature, i)?;
    }
    source.reprojection.apply(&mut xy)?;
    table.into_households(source.reprojection.crs, xy)
}

/// Reads fiber routes. Each record must be a LineString or MultiLineString
/// (each part becomes a line with the record's id); Z and M are ignored.
pub fn read_fiber(path: &Path, spec: &LayerSpec) -> Result<FiberNetwork> {
    let source = VectorSource::open(path, spec)?;
    let id_field = spec.id_field.as_deref().map(|f| source.field_index(f)).transpose()?;
    let mut lines = Vec::new();
    let mut ids = Vec::new();
    for (i, feature) in source.layer().features().enumerate() {
        let record = || record_label(i, &feature);
        let geom = feature.geometry().ok_or_else(|| IoError::BadGeometry { path: path.into(), record: record(), message: "no geometry".into() })?;
        let id = match id_field {
            Some(f) => field_string(path, &feature, f, i)?,
            None => feature.fid().map(|f| f.to_string()).unwrap_or_else(|| i.to_string()),
        };
        let mut push = |g: &gdal::vector::Geometry| {
            let mut pts = Vec::new();
            g.get_points(&mut pts);
            let mut line: Vec<[f64; 2]> = pts.into_iter().map(|(x, y, _)| [x, y]).collect();
            source.reprojection.apply(&mut line)?;
            lines.push(line);
            ids.push(id.clone());
            Ok::<(), IoError>(())
        };
        match geometry_type_flatten(geom.geometry_type()) {
            Wkb::wkbLineString => push(geom)?,
            Wkb::wkbMultiLineString => {
                for k in 0..geom.geometry_count() {
                    push(&geom.get_geometry(k))?;
                }
            }
            other => {
                return Err(IoError::BadGeometry {
                    path: path.into(),
                    record: record(),
                    message: format!("expected a LineString or MultiLineString, found {}", geometry_type_to_name(other)),
                });
            }
        }
    }
    Ok(FiberNetwork::new(source.reprojection.crs, lines, Some(ids))?)
}

pub(crate) fn is_csv(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// "record 12 (FID 13)": the position in the layer and GDAL's feature id.
fn record_label(i: usize, feature: &Feature) -> String {
    match feature.fid() {
        Some(fid) => format!("record {i} (FID {fid})"),
        None => format!("record {i}"),
    }
}

/// An open vector layer with its reprojection planned.
struct VectorSource {
    dataset: Dataset,
    layer_index: usize,
    path: std::path::PathBuf,
    reprojection: Reprojection,
}

impl VectorSource {
    fn open(path: &Path, spec: &LayerSpec) -> Result<Self> {
        if !path.exists() {
            return Err(IoError::Open { path: path.into(), message: "no such file".into() });
        }
        let dataset = Dataset::open(path).map_err(|e| IoError::Open { path: path.into(), message: e.to_string() })?;
        let names: Vec<String> = dataset.layers().map(|l| l.name()).collect();
        let layer_index = match &spec.layer {
            Some(name) => names.iter().position(|n| n == name).ok_or_else(|| IoError::NoLayer {
                path: path.into(),
                layer: name.clone(),
                available: names.join(", "),
            })?,
            None if names.is_empty() => return Err(IoError::Open { path: path.into(), message: "the file has no vector layer".into() }),
            None => 0,
        };
        let layer = dataset.layer(layer_index).map_err(|e| IoError::Open { path: path.into(), message: e.to_string() })?;
        if layer.feature_count() == 0 {
            return Err(bbcov_core::Error::EmptyLayer { layer: format!("{} (layer {:?})", path.display(), layer.name()) }.into());
        }
        let srs: SpatialRef = match (&spec.crs, layer.spatial_ref()) {
            (Some(text), _) => parse_crs(text)?,
            (None, Some(srs)) => srs,
            (None, None) => return Err(IoError::NoCrs { path: path.into() }),
        };
        let reprojection = Reprojection::plan(&srs, spec.target)?;
        Ok(VectorSource { dataset, layer_index, path: path.into(), reprojection })
    }

    fn layer(&self) -> gdal::vector::Layer<'_> {
        self.dataset.layer(self.layer_index).expect("the layer was opened before")
    }

    fn count_hint(&self) -> usize {
        self.layer().feature_count() as usize
    }

    fn field_index(&self, name: &str) -> Result<usize> {
        let path = self.path.clone();
        let layer = self.layer();
        let defn = layer.defn();
        let names: Vec<String> = defn.fields().map(|f| f.name()).collect();
        names.iter().position(|n| n == name).ok_or_else(|| IoError::MissingField { path, field: name.into(), available: names.join(", ") })
    }

    fn field_indices(&self, spec: &LayerSpec) -> Result<Fields> {
        Ok(Fields {
            id: spec.id_field.as_deref().map(|f| self.field_index(f)).transpose()?.map(|i| (spec.id_field.clone().unwrap(), i)),
            weight: spec.weight_field.as_deref().map(|f| self.field_index(f)).transpose()?.map(|i| (spec.weight_field.clone().unwrap(), i)),
            areas: spec.area_fields.iter().map(|f| Ok((f.clone(), self.field_index(f)?))).collect::<Result<_>>()?,
        })
    }
}

/// Field name and index of each attribute to read.
struct Fields {
    id: Option<(String, usize)>,
    weight: Option<(String, usize)>,
    areas: Vec<(String, usize)>,
}

/// Attributes read so far.
struct FieldTable<'a> {
    fields: &'a Fields,
    ids: Vec<String>,
    weights: Vec<f64>,
    areas: Vec<Vec<String>>,
}

impl<'a> FieldTable<'a> {
    fn new(fields: &'a Fields, n: usize) -> Self {
        FieldTable {
            fields,
            ids: Vec::with_capacity(if fields.id.is_some() { n } else { 0 }),
            weights: Vec::with_capacity(if fields.weight.is_some() { n } else { 0 }),
            areas: vec![Vec::with_capacity(n); fields.areas.len()],
        }
    }

    fn push(&mut self, path: &Path, feature: &Feature, i: usize) -> Result<()> {
        if let Some((_, f)) = self.fields.id {
            self.ids.push(field_string(path, feature, f, i)?);
        }
        if let Some((name, f)) = &self.fields.weight {
            let value = feature.field(*f).ok().flatten();
            let w = match value {
                Some(FieldValue::IntegerValue(v)) => v as f64,
                Some(FieldValue::Integer64Value(v)) => v as f64,
                Some(FieldValue::RealValue(v)) => v,
                Some(FieldValue::StringValue(s)) => s.trim().parse().map_err(|_| bad(path, i, feature, name, format!("{s:?} is not a number")))?,
                None => return Err(bad(path, i, feature, name, "missing (null) weight".into())),
                Some(other) => return Err(bad(path, i, feature, name, format!("unsupported field type {:?}", other.ogr_field_type()))),
            };
            self.weights.push(w);
        }
        for (k, (_, f)) in self.fields.areas.iter().enumerate() {
            self.areas[k].push(field_string(path, feature, *f, i)?);
        }
        Ok(())
    }

    fn into_households(self, crs: Crs, xy: Vec<[f64; 2]>) -> Result<Households> {
        let weights = self.fields.weight.is_some().then_some(self.weights);
        let ids = self.fields.id.is_some().then_some(self.ids);
        let mut hh = Households::new(crs, xy, weights, ids)?;
        for ((name, _), values) in self.fields.areas.iter().zip(self.areas) {
            hh = hh.with_area(name, values)?;
        }
        Ok(hh)
    }
}

fn bad(path: &Path, i: usize, feature: &Feature, field: &str, message: String) -> IoError {
    IoError::BadValue { path: path.into(), record: record_label(i, feature), field: field.into(), message }
}

/// A field as text: integers without decimals, nulls as "".
fn field_string(path: &Path, feature: &Feature, f: usize, i: usize) -> Result<String> {
    let value = feature.field(f).map_err(|e| IoError::BadValue {
        path: path.into(),
        record: record_label(i, feature),
        field: f.to_string(),
        message: e.to_string(),
    })?;
    Ok(match value {
        None => String::new(),
        Some(FieldValue::StringValue(s)) => s,
        Some(FieldValue::IntegerValue(v)) => v.to_string(),
        Some(FieldValue::Integer64Value(v)) => v.to_string(),
        Some(FieldValue::RealValue(v)) => v.to_string(),
        Some(other) => format!("{other:?}"),
    })
}
