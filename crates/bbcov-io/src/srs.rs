//! Coordinate reference systems: from GDAL/PROJ definitions to the core's [`Crs`].

use bbcov_core::Crs;
use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};

use crate::{IoError, Result};

/// Parses a CRS given by a user: `EPSG:6670`, `6670`, or any definition PROJ
/// accepts (WKT, PROJJSON, `+proj=` strings).
pub fn parse_crs(text: &str) -> Result<SpatialRef> {
    let t = text.trim();
    let code = t.strip_prefix("EPSG:").or_else(|| t.strip_prefix("epsg:")).unwrap_or(t);
    let srs = match code.parse::<u32>() {
        Ok(epsg) => SpatialRef::from_epsg(epsg),
        Err(_) => SpatialRef::from_definition(t),
    };
    let mut srs = srs.map_err(|e| IoError::Crs { crs: text.into(), message: format!("unknown coordinate reference system ({e})") })?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(srs)
}

/// The EPSG code of a projected CRS, if it has one (directly or by identification).
fn projected_epsg(srs: &SpatialRef) -> Option<u32> {
    let code = |s: &SpatialRef| (s.auth_name().as_deref() == Some("EPSG")).then(|| s.auth_code().ok()).flatten();
    let mut copy = srs.clone();
    code(srs).or_else(|| copy.auto_identify_epsg().ok().and_then(|_| code(&copy))).and_then(|c| u32::try_from(c).ok())
}

/// How a layer's coordinates reach the core.
pub(crate) struct Reprojection {
    /// The CRS the coordinates are delivered in.
    pub crs: Crs,
    transform: Option<CoordTransform>,
    label: String,
}

impl Reprojection {
    /// Plans how to deliver coordinates of `source` in `target` (or, with no
    /// target, in the source CRS when it is projected with an EPSG code, else lon/lat).
    pub fn plan(source: &SpatialRef, target: Option<Crs>) -> Result<Self> {
        let label = source.name().unwrap_or_else(|| "unnamed CRS".into());
        let mut source = source.clone();
        source.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
        let source_epsg = source.is_projected().then(|| projected_epsg(&source)).flatten();
        if !source.is_projected() && !source.is_geographic() {
            return Err(IoError::Crs { crs: label, message: "neither geographic nor projected (geocentric or engineering CRSs are not supported)".into() });
        }
        if source.is_projected() && (source.linear_units() - 1.0).abs() > 1e-9 {
            return Err(IoError::Crs {
                crs: label,
                message: format!("linear unit is {} m, not metres; reproject the layer or give a target CRS", source.linear_units()),
            });
        }
        let target = target.unwrap_or(match source_epsg {
            Some(epsg) => Crs::Projected { epsg },
            None => Crs::LonLat,
        });
        let keep = match target {
            Crs::Projected { epsg } => source_epsg == Some(epsg),
            Crs::LonLat => false,
        };
        let transform = if keep {
            None
        } else {
            let target_srs = match target {
                Crs::LonLat => parse_crs("EPSG:4326")?,
                Crs::Projected { epsg } => parse_crs(&format!("EPSG:{epsg}"))?,
            };
            Some(CoordTransform::new(&source, &target_srs).map_err(|e| IoError::Crs {
                crs: label.clone(),
                message: format!("no transformation to {target}: {e}"),
            })?)
        };
        Ok(Reprojection { crs: target, transform, label })
    }

    /// Transforms points in place.
    pub fn apply(&self, points: &mut [[f64; 2]]) -> Result<()> {
        let Some(t) = &self.transform else { return Ok(()) };
        for chunk in points.chunks_mut(65_536) {
            let mut xs: Vec<f64> = chunk.iter().map(|p| p[0]).collect();
            let mut ys: Vec<f64> = chunk.iter().map(|p| p[1]).collect();
            t.transform_coords(&mut xs, &mut ys, &mut []).map_err(|e| IoError::Crs {
                crs: self.label.clone(),
                message: format!("reprojection failed (coordinates outside the CRS's area?): {e}"),
            })?;
            for ((p, x), y) in chunk.iter_mut().zip(xs).zip(ys) {
                *p = [x, y];
            }
        }
        Ok(())
    }
}

/// A GDAL spatial reference for a core CRS (lon/lat is written as EPSG:4326).
pub fn spatial_ref_of(crs: Crs) -> Result<SpatialRef> {
    match crs {
        Crs::LonLat => parse_crs("EPSG:4326"),
        Crs::Projected { epsg } => parse_crs(&format!("EPSG:{epsg}")),
    }
}

/// Unprojects points of `crs` to lon/lat (EPSG:4326), e.g. to compute grid-square codes.
pub fn to_lonlat(crs: Crs, points: &[[f64; 2]]) -> Result<Vec<[f64; 2]>> {
    let mut out = points.to_vec();
    if let Crs::Projected { .. } = crs {
        Reprojection::plan(&spatial_ref_of(crs)?, Some(Crs::LonLat))?.apply(&mut out)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// JGD2011 / Japan Plane Rectangular CS II (EPSG:6670) has its origin at
    /// 33° N, 131° E (MLIT notification No. 9 of 2002, table of the 19 systems):
    /// the origin maps to (0, 0).
    #[test]
    fn plane_rectangular_origin() {
        let r = Reprojection::plan(&parse_crs("EPSG:6668").unwrap(), Some(Crs::Projected { epsg: 6670 })).unwrap();
        let mut p = [[131.0, 33.0]];
        r.apply(&mut p).unwrap();
        assert!(p[0][0].abs() < 1e-3 && p[0][1].abs() < 1e-3, "{p:?}");
    }

    #[test]
    fn unknown_epsg_is_a_clear_error() {
        let err = parse_crs("EPSG:999999").unwrap_err();
        assert!(err.to_string().contains("unknown coordinate reference system"), "{err}");
    }

    #[test]
    fn projected_layers_keep_their_coordinates() {
        let r = Reprojection::plan(&parse_crs("EPSG:32652").unwrap(), None).unwrap();
        assert!(r.transform.is_none());
        assert_eq!(r.crs, Crs::Projected { epsg: 32652 });
        let r = Reprojection::plan(&parse_crs("EPSG:6668").unwrap(), None).unwrap();
        assert_eq!(r.crs, Crs::LonLat);
    }
}
