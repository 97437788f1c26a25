//! # bbcov-io
//!
//! Files in and out of [`bbcov_core`], native only: vector layers through GDAL
//! (GeoPackage, GeoJSON, Shapefile, FlatGeobuf, ...), CSV directly, and
//! reprojection through PROJ (via GDAL's OGR spatial references; any EPSG
//! code, e.g. the JGD2011 plane rectangular systems EPSG:6669–6687).
//!
//! | operation | function |
//! |---|---|
//! | households from a vector file or CSV | [`read_households`] |
//! | fiber routes from a vector file | [`read_fiber`] |
//! | parse a user-given CRS | [`parse_crs`] |
//! | project points back to lon/lat | [`to_lonlat`] |
//! | write points with result columns (GeoPackage, GeoJSON, FlatGeobuf, CSV) | [`write_points`] |
//! | DEM from GeoTIFF (warped to a projected CRS if needed) | [`read_dem`] |
//! | result grid as Cloud-Optimized GeoTIFF | [`write_cog`] |
//! | polygons of a grid between levels (coverage bands) | [`write_contour_polygons`] |
//! | base-station sites from CSV | [`read_sites`] |
//!
//! Outputs are written to a temporary file next to the target and renamed
//! into place when complete: a failed run leaves no half-written file.

mod csv_points;
mod error;
mod layer;
mod output;
mod raster;
mod sites;
mod srs;

pub use error::{IoError, Result};
pub use layer::{LayerSpec, read_fiber, read_households};
pub use output::{Column, ColumnData, check_output_path, household_columns, write_points};
pub use raster::{DemSpec, read_dem, write_cog, write_contour_polygons};
pub use sites::read_sites;
pub use srs::{parse_crs, spatial_ref_of, to_lonlat};

/// Routes GDAL's own diagnostics for a command-line program: warnings go to
/// stderr as `warning: GDAL: ...`, errors are not printed (they reach the
/// caller as [`IoError`]s carrying the same text).
pub fn route_gdal_messages() {
    gdal::config::set_error_handler(|kind, _, message| {
        if kind == gdal::errors::CplErrType::Warning {
            eprintln!("warning: GDAL: {message}");
        }
    });
}
