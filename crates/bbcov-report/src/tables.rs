//! Every table of the report, as data: shown in the HTML/PDF, and written
//! as one CSV file per table and one XLSX workbook with a sheet per table.
//!
//! The CSV files are UTF-8 **with a byte-order mark**, comma-separated with
//! CRLF line ends, so that Excel in a Japanese locale (which otherwise reads
//! CSV as Shift_JIS) opens them with the right characters. Numbers are
//! written as plain numbers (no separators, no units; the unit is in the
//! header): counts and money in full, percentages as percent values
//! (`91.8`), empty cells for values that are not finite. In the workbook,
//! numbers are numeric cells with a display format (`#,##0`, `0.0%`).
//!
//! ```no_run
//! # fn demo(report: &bbcov_report::Report) -> bbcov_report::Result<()> {
//! use bbcov_report::{write_tables, Lang};
//! let files = write_tables(report, Lang::Ja, std::path::Path::new("out/tables"))?;
//! // out/tables/municipalities.csv, ..., out/tables/tables.xlsx
//! # Ok(()) }
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use crate::error::{Error, Result};
use crate::i18n::{Lang, Msg, key_label};
use crate::model::{AreaRow, Assumption, Report};

/// File name of the workbook that [`write_tables`] writes.
pub const WORKBOOK_FILE: &str = "tables.xlsx";

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, printed as it is.
    Text(String),
    /// A household count (a weight: may be fractional), shown rounded.
    Count(f64),
    /// An exact integer (sites, squares, records).
    Integer(u64),
    /// A share 0–1, shown as a percentage with one decimal.
    Percent(f64),
    /// An amount in yen.
    Yen(f64),
    /// A number shown with this many decimals.
    Decimal(f64, usize),
    /// Nothing.
    Empty,
}

impl Cell {
    /// The cell as the report shows it in `lang`.
    ///
    /// ```
    /// use bbcov_report::{Cell, Lang};
    /// assert_eq!(Cell::Yen(3.0e7).display(Lang::Ja), "3,000万円");
    /// assert_eq!(Cell::Percent(0.5).display(Lang::En), "50.0%");
    /// ```
    pub fn display(&self, lang: Lang) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(v) => lang.count(*v),
            Cell::Integer(v) => lang.integer(*v),
            Cell::Percent(v) => lang.percent(*v),
            Cell::Yen(v) => lang.yen(*v),
            Cell::Decimal(v, digits) => lang.decimal(*v, *digits),
            Cell::Empty => String::new(),
        }
    }

    /// The cell as a CSV field: numbers plain (percentages as percent values).
    ///
    /// ```
    /// use bbcov_report::Cell;
    /// assert_eq!(Cell::Count(1234.0).csv(), "1234");
    /// assert_eq!(Cell::Percent(0.918).csv(), "91.8");
    /// assert_eq!(Cell::Yen(f64::NAN).csv(), "");
    /// ```
    pub fn csv(&self) -> String {
        let field = match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(v) | Cell::Yen(v) => plain_number(*v),
            Cell::Decimal(v, _) => plain_number(*v),
            Cell::Percent(v) => plain_number((v * 100.0 * 1e6).round() / 1e6),
            Cell::Integer(v) => v.to_string(),
            Cell::Empty => String::new(),
        };
        csv_quote(&field)
    }

    /// Whether the cell holds a number (right-aligned in tables).
    pub fn is_numeric(&self) -> bool {
        !matches!(self, Cell::Text(_) | Cell::Empty)
    }
}

/// The shortest decimal that reads back as `v`; empty when not finite.
fn plain_number(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if v == 0.0 {
        return "0".into();
    }
    // `{}` never uses an exponent for f64 and round-trips.
    format!("{v}")
}

/// Quotes a CSV field when it needs it (RFC 4180).
fn csv_quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// A column: its label and, for the CSV/XLSX header, its unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: String,
    /// Unit shown after the label in CSV/XLSX headers (the report's cells carry it themselves).
    pub unit: Option<String>,
}

impl Column {
    fn new(lang: Lang, label: Msg, unit: Option<Msg>) -> Self {
        Column {
            label: lang.msg(label).to_string(),
            unit: unit.map(|u| lang.msg(u).to_string()),
        }
    }

    /// The header of the column in CSV/XLSX: `Capital cost (JPY)` / `整備費（円）`.
    pub fn header(&self, lang: Lang) -> String {
        match (&self.unit, lang) {
            (None, _) => self.label.clone(),
            (Some(u), Lang::Ja) => format!("{}（{u}）", self.label),
            (Some(u), Lang::En) => format!("{} ({u})", self.label),
        }
    }
}

/// One table of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// File stem of its CSV file (ASCII): `municipalities`, `sites`, ...
    pub key: &'static str,
    /// Its title in the report's language (also the XLSX sheet name, ≤ 31 characters).
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// A totals row, shown last.
    pub total: Option<Vec<Cell>>,
}

impl Table {
    /// The data rows followed by the totals row.
    pub fn all_rows(&self) -> impl Iterator<Item = &Vec<Cell>> {
        self.rows.iter().chain(self.total.as_ref())
    }

    /// The table as CSV text (no byte-order mark; [`write_tables`] adds it).
    pub fn to_csv(&self, lang: Lang) -> String {
        let mut out = String::new();
        let header: Vec<String> = self
            .columns
            .iter()
            .map(|c| csv_quote(&c.header(lang)))
            .collect();
        out.push_str(&header.join(","));
        out.push_str("\r\n");
        for row in self.all_rows() {
            let fields: Vec<String> = row.iter().map(Cell::csv).collect();
            out.push_str(&fields.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

/// Every table of the report in `lang`, in the order of the report.
///
/// Keys: `key_figures`, `radio_by_technology`, `services`, `metrics`,
/// `municipalities`, `islands`, `plan_summary`, `sites`, `scenarios`,
/// `assumptions`, `sources`.
pub fn report_tables(report: &Report, lang: Lang) -> Vec<Table> {
    vec![
        key_figures(report, lang),
        radio_by_technology(report, lang),
        services(report, lang),
        metrics(report, lang),
        areas(
            &report.municipalities,
            "municipalities",
            Msg::Municipalities,
            Msg::Municipality,
            lang,
        ),
        areas(&report.islands, "islands", Msg::Islands, Msg::Island, lang),
        plan_summary(report, lang),
        sites(report, lang),
        scenarios(report, lang),
        assumptions(report, lang),
        sources(report, lang),
    ]
}

fn ratio(part: f64, whole: f64) -> f64 {
    if whole > 0.0 { part / whole } else { f64::NAN }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn label(lang: Lang, msg: Msg) -> Cell {
    Cell::Text(lang.msg(msg).to_string())
}

/// Households after the plan: unserved today minus those it newly serves.
pub(crate) fn unserved_after_plan(report: &Report) -> f64 {
    (report.summary.services.none - report.plan.newly_served).max(0.0)
}

fn key_figures(report: &Report, lang: Lang) -> Table {
    let s = &report.summary;
    let p = &report.plan;
    let rows = vec![
        vec![
            label(lang, Msg::Households),
            Cell::Count(s.households),
            Cell::Empty,
        ],
        vec![
            label(lang, Msg::FiberHouseholds),
            Cell::Count(s.fiber),
            Cell::Percent(ratio(s.fiber, s.households)),
        ],
        vec![
            label(lang, Msg::RadioHouseholds),
            Cell::Count(s.radio_any),
            Cell::Percent(ratio(s.radio_any, s.households)),
        ],
        vec![
            label(lang, Msg::Unserved),
            Cell::Count(s.services.none),
            Cell::Percent(ratio(s.services.none, s.households)),
        ],
        vec![
            label(lang, Msg::NewSites),
            Cell::Integer(p.sites.len() as u64),
            Cell::Empty,
        ],
        vec![
            label(lang, Msg::NewlyServed),
            Cell::Count(p.newly_served),
            Cell::Percent(ratio(p.newly_served, s.households)),
        ],
        vec![
            label(lang, Msg::UnservedAfter),
            Cell::Count(unserved_after_plan(report)),
            Cell::Percent(ratio(unserved_after_plan(report), s.households)),
        ],
        vec![label(lang, Msg::PlanCapex), Cell::Yen(p.capex), Cell::Empty],
        vec![
            label(lang, Msg::CostPerNewHousehold),
            Cell::Yen(ratio(p.capex, p.newly_served)),
            Cell::Empty,
        ],
    ];
    Table {
        key: "key_figures",
        title: lang.msg(Msg::KeyFigures).into(),
        columns: vec![
            Column::new(lang, Msg::Item, None),
            Column::new(lang, Msg::Value, None),
            Column::new(lang, Msg::Share, Some(Msg::UnitPercent)),
        ],
        rows,
        total: None,
    }
}

fn radio_by_technology(report: &Report, lang: Lang) -> Table {
    let s = &report.summary;
    let rows = s
        .radio
        .iter()
        .map(|t| {
            vec![
                text(key_label(lang, &t.technology)),
                Cell::Integer(t.sites as u64),
                Cell::Count(t.households),
                Cell::Percent(ratio(t.households, s.households)),
            ]
        })
        .collect();
    let sites: u64 = s.radio.iter().map(|t| t.sites as u64).sum();
    Table {
        key: "radio_by_technology",
        title: lang.msg(Msg::RadioByTechnology).into(),
        columns: vec![
            Column::new(lang, Msg::Technology, None),
            Column::new(lang, Msg::ExistingSites, None),
            Column::new(lang, Msg::CoveredHouseholds, Some(Msg::UnitHouseholds)),
            Column::new(lang, Msg::CoverageRate, Some(Msg::UnitPercent)),
        ],
        rows,
        // Sites of several technologies may cover the same household: the
        // total is the households any site covers, not the sum.
        total: Some(vec![
            label(lang, Msg::Total),
            Cell::Integer(sites),
            Cell::Count(s.radio_any),
            Cell::Percent(ratio(s.radio_any, s.households)),
        ]),
    }
}

fn services(report: &Report, lang: Lang) -> Table {
    let s = &report.summary;
    let c = s.services;
    let row = |msg, v: f64| {
        vec![
            label(lang, msg),
            Cell::Count(v),
            Cell::Percent(ratio(v, s.households)),
        ]
    };
    let sum = c.fiber_only + c.radio_only + c.both + c.none;
    Table {
        key: "services",
        title: lang.msg(Msg::Services).into(),
        columns: vec![
            Column::new(lang, Msg::Service, None),
            Column::new(lang, Msg::Households, Some(Msg::UnitHouseholds)),
            Column::new(lang, Msg::Share, Some(Msg::UnitPercent)),
        ],
        rows: vec![
            row(Msg::FiberOnly, c.fiber_only),
            row(Msg::RadioOnly, c.radio_only),
            row(Msg::Both, c.both),
            row(Msg::NoService, c.none),
        ],
        total: Some(row(Msg::Total, sum)),
    }
}

fn metrics(report: &Report, lang: Lang) -> Table {
    let (b, a) = (
        &report.summary.metrics_before,
        &report.summary.metrics_after,
    );
    let squares = |m: &crate::model::RegulatorMetrics| {
        ratio(
            m.squares_10km_with_5g as f64,
            m.squares_10km_with_households as f64,
        )
    };
    Table {
        key: "metrics",
        title: lang.msg(Msg::Metrics).into(),
        columns: vec![
            Column::new(lang, Msg::Metric, None),
            Column::new(lang, Msg::Before, None),
            Column::new(lang, Msg::After, None),
        ],
        rows: vec![
            vec![
                label(lang, Msg::FiberRate),
                Cell::Percent(b.fiber_availability_rate),
                Cell::Percent(a.fiber_availability_rate),
            ],
            vec![
                label(lang, Msg::FiveGSites),
                Cell::Integer(b.five_g_sites as u64),
                Cell::Integer(a.five_g_sites as u64),
            ],
            vec![
                label(lang, Msg::PopulationCoverage500m),
                Cell::Percent(b.population_coverage_500m),
                Cell::Percent(a.population_coverage_500m),
            ],
            vec![
                label(lang, Msg::Squares10kmWith5g),
                Cell::Integer(b.squares_10km_with_5g as u64),
                Cell::Integer(a.squares_10km_with_5g as u64),
            ],
            vec![
                label(lang, Msg::Squares10kmWithHouseholds),
                Cell::Integer(b.squares_10km_with_households as u64),
                Cell::Integer(a.squares_10km_with_households as u64),
            ],
            vec![
                label(lang, Msg::BaseDeploymentRate),
                Cell::Percent(squares(b)),
                Cell::Percent(squares(a)),
            ],
        ],
        total: None,
    }
}

fn areas(rows: &[AreaRow], key: &'static str, title: Msg, name: Msg, lang: Lang) -> Table {
    let row = |name: Cell, r: &AreaRow| {
        vec![
            name,
            Cell::Count(r.households),
            Cell::Count(r.fiber),
            Cell::Percent(ratio(r.fiber, r.households)),
            Cell::Count(r.radio),
            Cell::Count(r.unserved),
            Cell::Count(r.unserved_after_plan),
        ]
    };
    let sum = |f: fn(&AreaRow) -> f64| rows.iter().map(f).sum::<f64>();
    let total = AreaRow {
        name: String::new(),
        households: sum(|r| r.households),
        fiber: sum(|r| r.fiber),
        radio: sum(|r| r.radio),
        unserved: sum(|r| r.unserved),
        unserved_after_plan: sum(|r| r.unserved_after_plan),
    };
    Table {
        key,
        title: lang.msg(title).into(),
        columns: vec![
            Column::new(lang, name, None),
            Column::new(lang, Msg::Households, Some(Msg::UnitHouseholds)),
            Column::new(lang, Msg::Fiber, Some(Msg::UnitHouseholds)),
            Column::new(lang, Msg::FiberRate, Some(Msg::UnitPercent)),
            Column::new(lang, Msg::Radio, Some(Msg::UnitHouseholds)),
            Column::new(lang, Msg::UnservedShort, Some(Msg::UnitHouseholds)),
            Column::new(lang, Msg::UnservedAfterShort, Some(Msg::UnitHouseholds)),
        ],
        rows: rows.iter().map(|r| row(text(&r.name), r)).collect(),
        total: (!rows.is_empty()).then(|| row(label(lang, Msg::Total), &total)),
    }
}

fn plan_summary(report: &Report, lang: Lang) -> Table {
    let p = &report.plan;
    let lifetime = match lang {
        Lang::En => format!(
            "{} ({} {})",
            lang.msg(Msg::LifetimeCost),
            p.years,
            lang.msg(Msg::Years)
        ),
        Lang::Ja => format!(
            "{}（{}{}）",
            lang.msg(Msg::LifetimeCost),
            p.years,
            lang.msg(Msg::Years)
        ),
    };
    Table {
        key: "plan_summary",
        title: lang.msg(Msg::PlanSummary).into(),
        columns: vec![
            Column::new(lang, Msg::Item, None),
            Column::new(lang, Msg::Value, None),
        ],
        rows: vec![
            vec![label(lang, Msg::Problem), text(key_label(lang, &p.problem))],
            vec![
                label(lang, Msg::NewSites),
                Cell::Integer(p.sites.len() as u64),
            ],
            vec![label(lang, Msg::NewlyServed), Cell::Count(p.newly_served)],
            vec![label(lang, Msg::PlanCapex), Cell::Yen(p.capex)],
            vec![text(lifetime), Cell::Yen(p.lifetime_cost)],
            vec![
                label(lang, Msg::CostPerNewHousehold),
                Cell::Yen(ratio(p.capex, p.newly_served)),
            ],
            vec![label(lang, Msg::Bound), Cell::Count(p.bound)],
            vec![label(lang, Msg::Gap), Cell::Percent(p.gap)],
        ],
        total: None,
    }
}

fn sites(report: &Report, lang: Lang) -> Table {
    let p = &report.plan;
    let rows = p
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                Cell::Integer(i as u64 + 1),
                text(&s.id),
                text(key_label(lang, &s.technology)),
                Cell::Decimal(s.lon, 4),
                Cell::Decimal(s.lat, 4),
                Cell::Decimal(s.mast_height_m, 0),
                Cell::Count(s.covered_households),
                Cell::Count(s.new_households),
                text(key_label(lang, &s.backhaul)),
                Cell::Decimal(s.backhaul_km, 1),
                Cell::Yen(s.capex),
                Cell::Yen(s.opex_per_year),
                Cell::Yen(s.cost_per_new_household),
            ]
        })
        .collect();
    let sum = |f: fn(&crate::model::PlannedSite) -> f64| p.sites.iter().map(f).sum::<f64>();
    let (new, capex) = (sum(|s| s.new_households), sum(|s| s.capex));
    let total = vec![
        label(lang, Msg::Total),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Count(new),
        Cell::Empty,
        Cell::Decimal(sum(|s| s.backhaul_km), 1),
        Cell::Yen(capex),
        Cell::Yen(sum(|s| s.opex_per_year)),
        Cell::Yen(ratio(capex, new)),
    ];
    Table {
        key: "sites",
        title: lang.msg(Msg::PlanSites).into(),
        columns: vec![
            Column::new(lang, Msg::Number, None),
            Column::new(lang, Msg::SiteId, None),
            Column::new(lang, Msg::Technology, None),
            Column::new(lang, Msg::Longitude, Some(Msg::UnitDegrees)),
            Column::new(lang, Msg::Latitude, Some(Msg::UnitDegrees)),
            Column::new(lang, Msg::MastHeight, Some(Msg::UnitM)),
            Column::new(lang, Msg::SiteCovered, Some(Msg::UnitHouseholds)),
            Column::new(lang, Msg::SiteNew, Some(Msg::UnitHouseholds)),
            Column::new(lang, Msg::Backhaul, None),
            Column::new(lang, Msg::BackhaulKm, Some(Msg::UnitKm)),
            Column::new(lang, Msg::Capex, Some(Msg::UnitYen)),
            Column::new(lang, Msg::OpexPerYear, Some(Msg::UnitYen)),
            Column::new(lang, Msg::CostPerNew, Some(Msg::UnitYen)),
        ],
        total: (!p.sites.is_empty()).then_some(total),
        rows,
    }
}

fn scenarios(report: &Report, lang: Lang) -> Table {
    Table {
        key: "scenarios",
        title: lang.msg(Msg::Scenarios).into(),
        columns: vec![
            Column::new(lang, Msg::Scenario, None),
            Column::new(lang, Msg::Served, Some(Msg::UnitHouseholds)),
            Column::new(lang, Msg::UnservedShort, Some(Msg::UnitHouseholds)),
            Column::new(lang, Msg::ServiceRate, Some(Msg::UnitPercent)),
            Column::new(lang, Msg::NewlyServedShort, Some(Msg::UnitHouseholds)),
            Column::new(lang, Msg::Capex, Some(Msg::UnitYen)),
            Column::new(lang, Msg::CostPerNew, Some(Msg::UnitYen)),
        ],
        rows: report
            .scenarios
            .iter()
            .map(|s| {
                vec![
                    text(key_label(lang, &s.key)),
                    Cell::Count(s.served),
                    Cell::Count(s.unserved),
                    Cell::Percent(ratio(s.served, s.served + s.unserved)),
                    Cell::Count(s.newly_served),
                    Cell::Yen(s.capex),
                    Cell::Yen(s.cost_per_newly_served),
                ]
            })
            .collect(),
        total: None,
    }
}

fn assumptions(report: &Report, lang: Lang) -> Table {
    let a = &report.assumptions;
    let section = |msg: Msg, items: &[Assumption]| -> Vec<Vec<Cell>> {
        items
            .iter()
            .map(|x| {
                vec![
                    label(lang, msg),
                    text(key_label(lang, &x.key)),
                    text(lang.value(&x.value)),
                ]
            })
            .collect()
    };
    let mut rows = section(Msg::Models, &a.models);
    rows.extend(section(Msg::Thresholds, &a.thresholds));
    rows.extend(section(Msg::Costs, &a.costs));
    Table {
        key: "assumptions",
        title: lang.msg(Msg::Appendix).into(),
        columns: vec![
            Column::new(lang, Msg::Section, None),
            Column::new(lang, Msg::Item, None),
            Column::new(lang, Msg::Value, None),
        ],
        rows,
        total: None,
    }
}

fn sources(report: &Report, lang: Lang) -> Table {
    Table {
        key: "sources",
        title: lang.msg(Msg::Sources).into(),
        columns: vec![
            Column::new(lang, Msg::Layer, None),
            Column::new(lang, Msg::File, None),
            Column::new(lang, Msg::Crs, None),
            Column::new(lang, Msg::Records, None),
            Column::new(lang, Msg::DataDate, None),
        ],
        rows: report
            .assumptions
            .sources
            .iter()
            .map(|s| {
                vec![
                    text(key_label(lang, &s.key)),
                    text(&s.file),
                    text(key_label(lang, &s.crs)),
                    Cell::Integer(s.records),
                    text(lang.date(&s.date)),
                ]
            })
            .collect(),
        total: None,
    }
}

/// Writes every table of the report as `DIR/<key>.csv` (UTF-8 with BOM)
/// and all of them as sheets of `DIR/tables.xlsx`, headers in `lang`;
/// creates `dir` if needed. Returns the files written, CSV files in report
/// order then the workbook.
pub fn write_tables(report: &Report, lang: Lang, dir: &Path) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tables = report_tables(report, lang);
    let mut written = Vec::with_capacity(tables.len() + 1);
    for table in &tables {
        let path = dir.join(format!("{}.csv", table.key));
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend_from_slice(table.to_csv(lang).as_bytes());
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    let path = dir.join(WORKBOOK_FILE);
    write_xlsx(&tables, lang, &path)?;
    written.push(path);
    Ok(written)
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`,
/// unique within the workbook.
fn sheet_name(title: &str, used: &[String]) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'').to_string();
    let base: String = clean.chars().take(31).collect();
    let base = if base.is_empty() {
        "Sheet".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while used.iter().any(|u| u.to_lowercase() == name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = base
            .chars()
            .take(31 - suffix.chars().count())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    name
}

/// Writes the tables as one workbook, a sheet per table.
pub fn write_xlsx(tables: &[Table], lang: Lang, path: &Path) -> Result<()> {
    let xlsx = |source| Error::Xlsx {
        path: path.to_path_buf(),
        source,
    };
    let mut workbook = Workbook::new();
    let font = match lang {
        Lang::Ja => "Yu Gothic",
        Lang::En => "Calibri",
    };
    let base = Format::new().set_font_name(font);
    let header = base
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color("#E8EEF4");
    let bold = base.clone().set_bold();
    let integer = base.clone().set_num_format("#,##0");
    let percent = base.clone().set_num_format("0.0%");
    let mut used = Vec::new();
    for table in tables {
        let sheet = workbook.add_worksheet();
        let name = sheet_name(&table.title, &used);
        sheet.set_name(&name).map_err(xlsx)?;
        used.push(name);
        for (c, column) in table.columns.iter().enumerate() {
            let col = c as u16;
            sheet
                .write_string_with_format(0, col, column.header(lang), &header)
                .map_err(xlsx)?;
            let width = table
                .all_rows()
                .map(|r| {
                    r.get(c)
                        .map_or(0, |cell| cell.display(lang).chars().count())
                })
                .max()
                .unwrap_or(0);
            let width = width.max(column.header(lang).chars().count().min(24));
            // CJK characters are twice as wide.
            let factor = if lang == Lang::Ja { 2.0 } else { 1.2 };
            sheet
                .set_column_width(col, (width as f64 * factor).clamp(8.0, 60.0))
                .map_err(xlsx)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
        let total_row = table.total.as_ref();
        for (r, row) in table.all_rows().enumerate() {
            let row_index = r as u32 + 1;
            let is_total = total_row.is_some_and(|t| std::ptr::eq(t, row));
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                let result = match cell {
                    Cell::Text(s) if is_total => sheet
                        .write_string_with_format(row_index, col, s, &bold)
                        .map(|_| ()),
                    Cell::Text(s) => sheet
                        .write_string_with_format(row_index, col, s, &base)
                        .map(|_| ()),
                    Cell::Count(v) | Cell::Yen(v) if v.is_finite() => sheet
                        .write_number_with_format(row_index, col, *v, &integer)
                        .map(|_| ()),
                    Cell::Integer(v) => sheet
                        .write_number_with_format(row_index, col, *v as f64, &integer)
                        .map(|_| ()),
                    Cell::Percent(v) if v.is_finite() => sheet
                        .write_number_with_format(row_index, col, *v, &percent)
                        .map(|_| ()),
                    Cell::Decimal(v, digits) if v.is_finite() => {
                        let pattern = if *digits == 0 {
                            "#,##0".to_string()
                        } else {
                            format!("#,##0.{}", "0".repeat(*digits))
                        };
                        sheet
                            .write_number_with_format(
                                row_index,
                                col,
                                *v,
                                &base.clone().set_num_format(pattern),
                            )
                            .map(|_| ())
                    }
                    _ => Ok(()),
                };
                result.map_err(xlsx)?;
            }
        }
    }
    workbook.save(path).map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_plain_and_quoted() {
        assert_eq!(Cell::Text("a, \"b\"".into()).csv(), "\"a, \"\"b\"\"\"");
        assert_eq!(Cell::Count(12.5).csv(), "12.5");
        assert_eq!(Cell::Count(-0.0).csv(), "0");
        assert_eq!(Cell::Percent(0.123456789).csv(), "12.345679");
        assert_eq!(Cell::Integer(7).csv(), "7");
        assert_eq!(Cell::Decimal(f64::INFINITY, 2).csv(), "");
        assert_eq!(Cell::Yen(1e21).csv(), "1000000000000000000000");
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let long = "A very long title: with [brackets] and / slashes and more";
        let first = sheet_name(long, &[]);
        assert!(
            first.chars().count() <= 31 && !first.contains(['[', ']', ':', '/']),
            "{first}"
        );
        let second = sheet_name(long, std::slice::from_ref(&first));
        assert_ne!(first, second);
        assert!(second.chars().count() <= 31, "{second}");
        assert_eq!(sheet_name("", &[]), "Sheet");
    }

    #[test]
    fn headers_carry_units() {
        let c = Column::new(Lang::Ja, Msg::Capex, Some(Msg::UnitYen));
        assert_eq!(c.header(Lang::Ja), "整備費（円）");
        let c = Column::new(Lang::En, Msg::Capex, Some(Msg::UnitYen));
        assert_eq!(c.header(Lang::En), "Capital cost (JPY)");
    }
}
