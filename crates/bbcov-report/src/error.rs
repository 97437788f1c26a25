//! The errors of rendering a report.

use std::path::PathBuf;
use std::time::Duration;

/// Result of the report renderers.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong when rendering a report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A language code other than `ja` or `en`.
    #[error("unknown report language {0:?}: expected \"ja\" or \"en\"")]
    UnknownLang(String),

    /// An output path whose extension is neither `.html`/`.htm` nor `.pdf`.
    #[error("cannot tell the report format of {}: expected an output file ending in .html or .pdf", path.display())]
    UnknownFormat { path: PathBuf },

    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// No headless browser to print the PDF with.
    #[error(
        "no Chromium to print the PDF with: install it (Debian: `apt-get install chromium fonts-noto-cjk`) \
         or set BBCOV_CHROMIUM to the browser's executable (tried {tried})"
    )]
    ChromiumNotFound { tried: String },

    /// The browser ran but failed.
    #[error("{} failed to print the PDF ({status}): {stderr}", browser.display())]
    ChromiumFailed {
        browser: PathBuf,
        status: String,
        stderr: String,
    },

    /// The browser did not finish in time.
    #[error("{} did not finish printing the PDF within {} s", browser.display(), timeout.as_secs())]
    ChromiumTimeout { browser: PathBuf, timeout: Duration },

    /// The browser exited without writing a PDF.
    #[error("{} is not a PDF file (the browser wrote no PDF)", path.display())]
    NotAPdf { path: PathBuf },

    /// Writing the XLSX workbook failed.
    #[error("{}: writing the workbook failed: {source}", path.display())]
    Xlsx {
        path: PathBuf,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
}

impl Error {
    /// An I/O error on `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
