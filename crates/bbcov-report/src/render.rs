//! Rendering a report to a file: the format from the output's extension,
//! HTML written directly, PDF printed from the HTML by headless Chromium.
//!
//! ```no_run
//! # fn demo(report: &bbcov_report::Report) -> bbcov_report::Result<()> {
//! use std::path::Path;
//! use bbcov_report::{render, Format, Lang};
//! let out = Path::new("report.pdf");
//! render(report, Lang::Ja, Format::from_path(out)?, out)?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::html::render_html;
use crate::i18n::Lang;
use crate::model::Report;
use crate::pdf::{PdfOptions, html_file_to_pdf, temp_dir};

/// Output format of a report.
///
/// ```
/// use std::path::Path;
/// use bbcov_report::Format;
/// assert_eq!(Format::from_path(Path::new("out/report.PDF")).unwrap(), Format::Pdf);
/// assert_eq!(Format::from_path(Path::new("report.html")).unwrap(), Format::Html);
/// assert!(Format::from_path(Path::new("report.docx")).is_err());
/// assert_eq!("pdf".parse::<Format>().unwrap(), Format::Pdf);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// One self-contained HTML file.
    Html,
    /// An A4 PDF printed by headless Chromium.
    Pdf,
}

impl Format {
    /// The format named by the path's extension: `.html`/`.htm` or `.pdf` (any case).
    pub fn from_path(path: &Path) -> Result<Self> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        ext.parse().map_err(|_| Error::UnknownFormat {
            path: path.to_path_buf(),
        })
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "html" | "htm" => Ok(Format::Html),
            "pdf" => Ok(Format::Pdf),
            _ => Err(Error::UnknownFormat { path: s.into() }),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// Renders `report` in `lang` as `format` to `out`, creating its directory.
/// PDF uses [`PdfOptions::default`] (see [`render_pdf`] for others).
pub fn render(report: &Report, lang: Lang, format: Format, out: &Path) -> Result<()> {
    match format {
        Format::Html => write_html(report, lang, out),
        Format::Pdf => render_pdf(report, lang, out, &PdfOptions::default()),
    }
}

/// Writes the self-contained HTML report to `out`.
pub fn write_html(report: &Report, lang: Lang, out: &Path) -> Result<()> {
    create_parent(out)?;
    std::fs::write(out, render_html(report, lang)).map_err(|e| Error::io(out, e))
}

/// Prints the report to the PDF file `out` with headless Chromium; the
/// HTML goes through a temporary directory that is removed afterwards.
pub fn render_pdf(report: &Report, lang: Lang, out: &Path, options: &PdfOptions) -> Result<()> {
    create_parent(out)?;
    let dir = temp_dir("bbcov-report")?;
    let html = dir.join(format!("report-{}.html", lang.code()));
    let result = std::fs::write(&html, render_html(report, lang))
        .map_err(|e| Error::io(&html, e))
        .and_then(|()| html_file_to_pdf(&html, out, options));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn create_parent(out: &Path) -> Result<()> {
    match out.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
        }
        _ => Ok(()),
    }
}
