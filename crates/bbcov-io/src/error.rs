//! The error type of bbcov-io.

use std::path::PathBuf;

/// Everything that can go wrong reading or writing bbcov's files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IoError {
    /// The file cannot be opened or is not in a format GDAL recognises.
    #[error("{}: cannot open: {message}", path.display())]
    Open { path: PathBuf, message: String },
    /// The file has no layer of that name.
    #[error("{}: no layer {layer:?}; layers: {available}", path.display())]
    NoLayer { path: PathBuf, layer: String, available: String },
    /// A field (column) named in the options does not exist.
    #[error("{}: no field {field:?}; fields: {available}", path.display())]
    MissingField { path: PathBuf, field: String, available: String },
    /// A value cannot be read as what it should be.
    #[error("{}: {record}: field {field:?}: {message}", path.display())]
    BadValue { path: PathBuf, record: String, field: String, message: String },
    /// A geometry of the wrong type, or missing.
    #[error("{}: {record}: {message}", path.display())]
    BadGeometry { path: PathBuf, record: String, message: String },
    /// The layer has no coordinate reference system and none was given.
    #[error("{}: the layer has no coordinate reference system; give one (e.g. --crs EPSG:6668)", path.display())]
    NoCrs { path: PathBuf },
    /// A CRS that PROJ does not know, or that cannot be used.
    #[error("{crs}: {message}")]
    Crs { crs: String, message: String },
    /// The output format cannot be chosen from the file name.
    #[error("{}: unsupported format (use {supported})", path.display())]
    UnsupportedFormat { path: PathBuf, supported: &'static str },
    /// Any other GDAL failure.
    #[error("{}: {message}", path.display())]
    Gdal { path: PathBuf, message: String },
    /// An operating system error.
    #[error("{}: {source}", path.display())]
    Os { path: PathBuf, source: std::io::Error },
    /// The data is read but the model refuses it.
    #[error(transparent)]
    Core(#[from] bbcov_core::Error),
}

/// Result alias of bbcov-io.
pub type Result<T, E = IoError> = std::result::Result<T, E>;

/// Attaches a path to a GDAL error.
pub(crate) trait GdalContext<T> {
    fn at(self, path: &std::path::Path) -> Result<T>;
}

impl<T> GdalContext<T> for std::result::Result<T, gdal::errors::GdalError> {
    fn at(self, path: &std::path::Path) -> Result<T> {
        self.map_err(|e| IoError::Gdal { path: path.to_owned(), message: e.to_string() })
    }
}
