//! Household points from CSV files, read directly (much faster than through
//! GDAL for millions of rows).
//!
//! Coordinates come from the first pair of columns named `lon`/`lat`,
//! `lng`/`lat`, `longitude`/`latitude` (case-insensitive; CRS EPSG:4326 unless
//! [`LayerSpec::crs`] says otherwise) or `x`/`y` (CRS required).

use std::path::Path;

use bbcov_core::Households;

use crate::srs::{Reprojection, parse_crs};
use crate::{IoError, LayerSpec, Result};

const COORDINATE_COLUMNS: [(&str, &str, bool); 4] =
    [("lon", "lat", true), ("lng", "lat", true), ("longitude", "latitude", true), ("x", "y", false)];

pub(crate) fn read_households(path: &Path, spec: &LayerSpec) -> Result<Households> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| IoError::Open { path: path.into(), message: e.to_string() })?;
    let headers = reader.headers().map_err(|e| IoError::Open { path: path.into(), message: e.to_string() })?.clone();
    let available = || headers.iter().collect::<Vec<_>>().join(", ");
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let required = |name: &str| column(name).ok_or_else(|| IoError::MissingField { path: path.into(), field: name.into(), available: available() });
    let (xc, yc, geographic) = COORDINATE_COLUMNS
        .iter()
        .find_map(|&(x, y, geo)| Some((column(x)?, column(y)?, geo)))
        .ok_or_else(|| IoError::MissingField { path: path.into(), field: "lon/lat or x/y".into(), available: available() })?;
    let srs = match (&spec.crs, geographic) {
        (Some(text), _) => parse_crs(text)?,
        (None, true) => parse_crs("EPSG:4326")?,
        (None, false) => return Err(IoError::NoCrs { path: path.into() }),
    };
    let reprojection = Reprojection::plan(&srs, spec.target)?;
    let id = spec.id_field.as_deref().map(required).transpose()?;
    let weight = spec.weight_field.as_deref().map(required).transpose()?;
    let areas: Vec<usize> = spec.area_fields.iter().map(|f| required(f)).collect::<Result<_>>()?;

    let mut xy = Vec::new();
    let mut ids = Vec::new();
    let mut weights = Vec::new();
    let mut area_values: Vec<Vec<String>> = vec![Vec::new(); areas.len()];
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => line += 1,
            Err(e) => return Err(IoError::Open { path: path.into(), message: e.to_string() }),
        }
        let number = |c: usize| -> Result<f64> {
            let text = record.get(c).unwrap_or("");
            text.parse().map_err(|_| IoError::BadValue {
                path: path.into(),
                record: format!("line {line}"),
                field: headers[c].to_string(),
                message: format!("{text:?} is not a number"),
            })
        };
        xy.push([number(xc)?, number(yc)?]);
        if let Some(c) = weight {
            weights.push(number(c)?);
        }
        if let Some(c) = id {
            ids.push(record[c].to_string());
        }
        for (values, &c) in area_values.iter_mut().zip(&areas) {
            values.push(record[c].to_string());
        }
    }
    if xy.is_empty() {
        return Err(bbcov_core::Error::EmptyLayer { layer: path.display().to_string() }.into());
    }
    // Check before reprojection so that an error shows the value in the file.
    let source_crs = if geographic || srs.is_geographic() { bbcov_core::Crs::LonLat } else { reprojection.crs };
    if let Some((i, reason)) = xy.iter().enumerate().find_map(|(i, &[x, y])| source_crs.check(x, y).err().map(|r| (i, r))) {
        return Err(IoError::BadValue {
            path: path.into(),
            record: format!("line {}", i + 2),
            field: format!("{}/{}", &headers[xc], &headers[yc]),
            message: format!("invalid coordinate ({}, {}): {reason}", xy[i][0], xy[i][1]),
        });
    }
    reprojection.apply(&mut xy)?;
    let mut hh = Households::new(reprojection.crs, xy, weight.map(|_| weights), id.map(|_| ids))?;
    for (name, values) in spec.area_fields.iter().zip(area_values) {
        hh = hh.with_area(name, values)?;
    }
    Ok(hh)
}
