//! Coordinate reference systems as the core sees them.

use std::fmt;

/// The coordinate reference system of a layer handed to the core.
///
/// The core knows no EPSG database: readers (bbcov-io, the Python package, the
/// browser) reproject whatever they read either to geographic lon/lat on the
/// GRS80/WGS84 ellipsoid (WGS84, JGD2000, JGD2011 agree to well under a metre)
/// or keep a projected metric CRS and pass its EPSG code along. Layers in a
/// projected CRS are computed on as they are (planar distances, as GIS tools
/// do); lon/lat layers are projected to a [`LocalFrame`](crate::LocalFrame)
/// centred on the study area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crs {
    /// Longitude and latitude in degrees (x = longitude, y = latitude).
    LonLat,
    /// A projected CRS with metre units, identified by its EPSG code.
    Projected {
        /// EPSG code, e.g. 6670 (JGD2011 / Japan Plane Rectangular CS II) or 32652 (UTM 52N).
        epsg: u32,
    },
}

impl Crs {
    /// Checks one coordinate pair for this CRS: finite, and for lon/lat within
    /// [-180, 180] x [-90, 90]; for projected CRSs within 10,000 km of the false origin.
    pub fn check(&self, x: f64, y: f64) -> Result<(), &'static str> {
        if !x.is_finite() || !y.is_finite() {
            return Err("coordinates must be finite numbers (got NaN or infinity)");
        }
        match self {
            Crs::LonLat if !(-180.0..=180.0).contains(&x) => Err("longitude outside [-180, 180]"),
            Crs::LonLat if !(-90.0..=90.0).contains(&y) => Err("latitude outside [-90, 90]"),
            Crs::Projected { .. } if x.abs() > 1e7 || y.abs() > 1e7 => {
                Err("projected coordinate more than 10,000 km from the origin (wrong CRS or units?)")
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Crs::LonLat => f.write_str("lon/lat degrees"),
            Crs::Projected { epsg } => write!(f, "EPSG:{epsg}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_nan_and_out_of_range() {
        assert!(Crs::LonLat.check(f64::NAN, 0.0).is_err());
        assert!(Crs::LonLat.check(181.0, 0.0).is_err());
        assert!(Crs::LonLat.check(129.0, 91.0).is_err());
        assert!(Crs::LonLat.check(129.0, 33.0).is_ok());
        assert!(Crs::Projected { epsg: 6670 }.check(1e8, 0.0).is_err());
        assert!(Crs::Projected { epsg: 6670 }.check(-12_000.0, 35_000.0).is_ok());
    }
}
