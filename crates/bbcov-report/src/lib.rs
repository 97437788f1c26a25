//! Coverage reports for negotiators (prefecture staff, operators,
//! ministries): what a region's households get from fiber and radio, what a
//! siting plan adds and costs, and the assumptions behind every number.
//!
//! [`Report`] is the content, independent of language and format; it is
//! rendered to one self-contained HTML file, to an A4 PDF, and to one CSV
//! and XLSX file per table, in Japanese or English.

pub mod assemble;
pub mod error;
pub mod html;
pub mod i18n;
pub mod maps;
pub mod model;
pub mod pdf;
pub mod region_file;
pub mod render;
pub mod tables;

pub use assemble::{AssembleError, ReportFiles, ReportInputs, assemble, write_report};
pub use error::{Error, Result};
pub use i18n::{Lang, Msg, key_label};
pub use model::*;
pub use region_file::{ModelName, PlanTable, RadioTable, RegionTable, ReportTable, TableError};
pub use render::{Format, render, render_pdf, write_html};
pub use tables::{Cell, Column, Table, report_tables, write_tables};
