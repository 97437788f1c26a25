//! The error type of bbcov-core.

use crate::Crs;

/// Everything that can go wrong in bbcov-core.
///
/// Every variant names the offending input (layer, record index, id when the
/// layer has ids) so that a message can be acted on without a debugger.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A coordinate is NaN, infinite or outside the valid range of its CRS.
    #[error("{layer}: record {index}{}: invalid coordinate ({x}, {y}): {reason}", fmt_id(.id))]
    InvalidCoordinate {
        layer: String,
        index: usize,
        id: Option<String>,
        x: f64,
        y: f64,
        reason: &'static str,
    },
    /// A weight (households, people) is negative, NaN or infinite.
    #[error("{layer}: record {index}{}: invalid weight {value}: weights must be finite and >= 0", fmt_id(.id))]
    InvalidWeight { layer: String, index: usize, id: Option<String>, value: f64 },
    /// A geometry is empty, degenerate (zero length) or otherwise unusable.
    #[error("{layer}: record {index}{}: invalid geometry: {reason}", fmt_id(.id))]
    InvalidGeometry { layer: String, index: usize, id: Option<String>, reason: String },
    /// A layer has no records at all.
    #[error("{layer}: the layer is empty")]
    EmptyLayer { layer: String },
    /// Two inputs are in different coordinate reference systems.
    #[error("coordinate reference systems differ: {left_layer} is in {left}, {right_layer} is in {right}; reproject one of them")]
    CrsMismatch { left_layer: String, left: Crs, right_layer: String, right: Crs },
    /// A column has a different length from the layer it belongs to.
    #[error("{what}: expected {expected} values (one per record), got {got}")]
    LengthMismatch { what: String, expected: usize, got: usize },
    /// A parameter is outside its valid range.
    #[error("{name} = {value} is out of range: {expected}")]
    InvalidParameter { name: &'static str, value: f64, expected: String },
    /// The inputs span more than the local metric frame can represent accurately.
    #[error("the study area spans {span_km:.0} km from its central meridian; at most {max_km:.0} km is supported in one local frame (split the region or use a projected CRS)")]
    StudyAreaTooLarge { span_km: f64, max_km: f64 },
    /// No area column of that name exists.
    #[error("no area key named {name:?}; available: {available}")]
    UnknownAreaKey { name: String, available: String },
    /// A JIS X 0410 grid-square code that cannot be decoded.
    #[error("invalid JIS X 0410 grid-square code {code:?}: {reason}")]
    InvalidMeshCode { code: String, reason: String },
    /// An input is outside the range over which a model is valid.
    #[error("{model}: {parameter} = {value} is outside the model's validity range {range}")]
    OutOfValidityRange { model: &'static str, parameter: &'static str, value: f64, range: String },
    /// The caller cancelled the computation (see [`Progress::is_cancelled`](crate::Progress::is_cancelled)).
    #[error("cancelled")]
    Cancelled,
    /// A DEM is unusable: empty or absurdly large grid, bad geotransform, a
    /// lon/lat CRS, or an implausible elevation (an undeclared nodata value).
    #[error("DEM: {reason}")]
    InvalidDem { reason: String },
    /// A point lies outside the DEM's extent.
    #[error("{what} ({x}, {y}) is outside the DEM, which covers x {x_min} to {x_max}, y {y_min} to {y_max}")]
    OutsideDem { what: String, x: f64, y: f64, x_min: f64, x_max: f64, y_min: f64, y_max: f64 },
    /// The DEM has no elevation (nodata) where one is needed.
    #[error("no elevation at ({x}, {y}){}: DEM cell (row {row}, column {col}) is nodata", fmt_context(.context))]
    MissingElevation { x: f64, y: f64, row: usize, col: usize, context: Option<String> },
    /// A radio computation failed for one base-station site; `source` names
    /// the parameter, model range or location.
    #[error("site {site:?}: {source}")]
    Site { site: String, source: Box<Error> },
    /// Site-selection input that is inconsistent: a demand index out of
    /// range, a bad candidate cost, an unknown locked-in site.
    #[error("coverage sets: {reason}")]
    InvalidCoverageSets { reason: String },
    /// A siting problem has no feasible solution; `reason` says what is
    /// missing and by how much.
    #[error("{problem} is infeasible: {reason}")]
    Infeasible { problem: String, reason: String },
}

fn fmt_context(context: &Option<String>) -> String {
    context.as_ref().map(|c| format!(" ({c})")).unwrap_or_default()
}

fn fmt_id(id: &Option<String>) -> String {
    id.as_ref().map(|id| format!(" (id {id:?})")).unwrap_or_default()
}

/// Result alias of bbcov-core.
pub type Result<T, E = Error> = std::result::Result<T, E>;
