//! The report as one self-contained HTML file: inline CSS, maps embedded
//! as `data:` URLs, no script, no external resource, so it opens offline
//! and prints to an A4 PDF (page numbers in the bottom margin, table
//! headers repeated on every page, rows never split).
//!
//! ```
//! # fn demo(report: &bbcov_report::Report) {
//! use bbcov_report::{html, Lang};
//! let page: String = html::render_html(report, Lang::Ja);
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! # }
//! ```

use std::fmt::Write as _;

use crate::i18n::{Lang, Msg, key_label};
use crate::model::{Assumption, Report};
use crate::tables::{Cell, Table, report_tables, unserved_after_plan};

/// Escapes text for HTML element content and attribute values.
///
/// ```
/// assert_eq!(bbcov_report::html::escape("A&B <x> \"y\" 'z'"), "A&amp;B &lt;x&gt; &quot;y&quot; &#39;z&#39;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Standard base64 (RFC 4648 §4, with `=` padding) of `bytes`.
///
/// ```
/// assert_eq!(bbcov_report::html::base64(b"bbcov"), "YmJjb3Y=");
/// assert_eq!(bbcov_report::html::base64(b""), "");
/// ```
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

const STYLE: &str = r#"
@page {
  size: A4;
  margin: 18mm 16mm 20mm 16mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-family: "Noto Sans CJK JP", "Noto Sans JP", sans-serif; font-size: 9pt; color: #555; }
}
@page :first { @bottom-center { content: none; } }
:root { --accent: #1d4e89; --rule: #c9d3de; --shade: #eef2f6; }
html { font-family: "Noto Sans CJK JP", "Noto Sans JP", sans-serif; font-size: 10pt; line-height: 1.6; color: #1a1a1a; }
html:lang(ja) { line-break: strict; word-break: normal; overflow-wrap: anywhere; }
body { margin: 0 auto; max-width: 190mm; padding: 0 4mm; }
h1, h2, h3 { color: var(--accent); line-height: 1.3; break-after: avoid; }
h1 { font-size: 24pt; margin: 0 0 6mm; }
h2 { font-size: 15pt; border-bottom: 2px solid var(--accent); padding-bottom: 1mm; margin: 8mm 0 4mm; }
h3 { font-size: 11.5pt; margin: 6mm 0 2mm; }
section.new-page { break-before: page; }
.title-page { min-height: 240mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
.title-page .doc-type { font-size: 14pt; color: #444; margin: 0 0 2mm; letter-spacing: 0.05em; }
.title-page dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 6mm; font-size: 11pt; }
.title-page dt { color: #555; }
.title-page dd { margin: 0; }
.title-page nav ol { padding-left: 6mm; }
.title-page nav a { color: inherit; text-decoration: none; }
.note { color: #444; font-size: 9pt; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; margin: 4mm 0; }
.card { border: 1px solid var(--rule); border-left: 4px solid var(--accent); padding: 2mm 3mm; break-inside: avoid; }
.card .label { font-size: 8.5pt; color: #444; }
.card .value { font-size: 15pt; font-weight: bold; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 5mm; font-size: 9pt; }
caption { text-align: left; font-weight: bold; color: var(--accent); padding-bottom: 1mm; caption-side: top; }
thead { display: table-header-group; }
tfoot { display: table-row-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.keep { break-inside: avoid; }
td:first-child { white-space: nowrap; }
th, td { border: 1px solid var(--rule); padding: 1mm 2mm; vertical-align: top; }
th { background: var(--shade); font-weight: bold; text-align: center; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td, tr.total td { font-weight: bold; background: #f7f9fb; border-top: 2px solid var(--accent); }
table.wide { font-size: 7.5pt; }
table.wide th, table.wide td { padding: 0.6mm 1.2mm; }
table.wide td { white-space: nowrap; }
table.wide th { min-width: 2.8em; }
figure { margin: 4mm 0; break-inside: avoid; text-align: center; }
figure img { display: block; margin: 0 auto; width: auto; height: auto; max-width: 100%; max-height: 105mm; border: 1px solid var(--rule); image-rendering: auto; }
figcaption { font-size: 9pt; color: #333; margin-top: 1mm; }
@media screen { body { padding: 8mm; } section { margin-top: 12mm; } .title-page { min-height: 0; } }
"#;

/// The report as one self-contained HTML document in `lang`.
///
/// Sections: title block (region, date, contents), summary with key
/// figures, regulator metrics today and with the plan, a table per
/// municipality and per island, the maps, the site plan, the scenario
/// comparison and the appendix of assumptions and data sources. Every
/// table is one of [`report_tables`], so the CSV/XLSX files hold the same
/// numbers.
pub fn render_html(report: &Report, lang: Lang) -> String {
    let tables = report_tables(report, lang);
    let table = |key: &str| tables.iter().find(|t| t.key == key);
    let m = |msg: Msg| escape(lang.msg(msg));
    let mut h = String::with_capacity(
        64 * 1024
            + report
                .maps
                .iter()
                .map(|m| m.png.len() * 4 / 3)
                .sum::<usize>(),
    );

    let title = format!("{} — {}", lang.msg(Msg::Title), report.region);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"bbcov\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        code = lang.code(),
        title = escape(&title),
    );

    // Title block and contents.
    let chapters: [(&str, Msg); 7] = [
        ("summary", Msg::Summary),
        ("metrics", Msg::Metrics),
        ("areas", Msg::Municipalities),
        ("maps", Msg::Maps),
        ("plan", Msg::SitePlan),
        ("scenarios", Msg::Scenarios),
        ("appendix", Msg::Appendix),
    ];
    let _ = write!(
        h,
        "<header class=\"title-page\">\n<p class=\"doc-type\">{doc}</p>\n<h1>{region}</h1>\n<dl>\n<dt>{rl}</dt><dd>{region}</dd>\n<dt>{dl}</dt><dd>{date}</dd>\n</dl>\n\
         <p class=\"note\">{by}</p>\n<nav>\n<h3>{contents}</h3>\n<ol>\n",
        doc = m(Msg::Title),
        region = escape(&report.region),
        rl = m(Msg::Region),
        dl = m(Msg::GeneratedOn),
        date = escape(&lang.date(&report.generated_on)),
        by = m(Msg::GeneratedBy),
        contents = m(Msg::Contents),
    );
    for (id, msg) in chapters {
        let label = if id == "areas" {
            format!("{} / {}", lang.msg(msg), lang.msg(Msg::Islands))
        } else {
            lang.msg(msg).to_string()
        };
        let _ = writeln!(h, "<li><a href=\"#{id}\">{}</a></li>", escape(&label));
    }
    h.push_str("</ol>\n</nav>\n</header>\n");

    // 1. Summary.
    let s = &report.summary;
    let p = &report.plan;
    let share = |part: f64| {
        if s.households > 0.0 {
            part / s.households
        } else {
            f64::NAN
        }
    };
    let cards = [
        (Msg::Households, lang.households(s.households)),
        (
            Msg::FiberRate,
            lang.percent(s.metrics_before.fiber_availability_rate),
        ),
        (Msg::RadioRate, lang.percent(share(s.radio_any))),
        (Msg::Unserved, lang.households(s.services.none)),
        (Msg::NewlyServed, lang.households(p.newly_served)),
        (
            Msg::UnservedAfter,
            lang.households(unserved_after_plan(report)),
        ),
        (Msg::NewSites, lang.integer(p.sites.len() as u64)),
        (Msg::PlanCapex, lang.yen(p.capex)),
        (
            Msg::CostPerNewHousehold,
            lang.yen(if p.newly_served > 0.0 {
                p.capex / p.newly_served
            } else {
                f64::NAN
            }),
        ),
    ];
    let _ = write!(
        h,
        "<section class=\"new-page\" id=\"summary\">\n<h2>1. {}</h2>\n<div class=\"cards\">\n",
        m(Msg::Summary)
    );
    for (label, value) in cards {
        let _ = writeln!(
            h,
            "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{}</div></div>",
            m(label),
            escape(&value)
        );
    }
    h.push_str("</div>\n");
    for key in ["key_figures", "radio_by_technology", "services"] {
        if let Some(t) = table(key) {
            table_html(&mut h, t, lang, "");
        }
    }
    h.push_str("</section>\n");

    // 2. Regulator metrics.
    let _ = write!(
        h,
        "<section id=\"metrics\">\n<h2>2. {}</h2>\n",
        m(Msg::Metrics)
    );
    if let Some(t) = table("metrics") {
        table_html(&mut h, t, lang, "");
    }
    h.push_str("</section>\n");

    // 3. Municipalities and islands.
    let _ = write!(
        h,
        "<section class=\"new-page\" id=\"areas\">\n<h2>3. {} / {}</h2>\n",
        m(Msg::Municipalities),
        m(Msg::Islands)
    );
    for key in ["municipalities", "islands"] {
        if let Some(t) = table(key) {
            table_html(&mut h, t, lang, "");
        }
    }
    h.push_str("</section>\n");

    // 4. Maps.
    let _ = write!(
        h,
        "<section class=\"new-page\" id=\"maps\">\n<h2>4. {}</h2>\n",
        m(Msg::Maps)
    );
    if report.maps.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", m(Msg::NoRows));
    }
    for (i, map) in report.maps.iter().enumerate() {
        let caption = key_label(lang, &map.key);
        let number = match lang {
            Lang::Ja => format!("{}{}　", lang.msg(Msg::Figure), i + 1),
            Lang::En => format!("{} {}: ", lang.msg(Msg::Figure), i + 1),
        };
        let _ = writeln!(
            h,
            "<figure id=\"map-{key}\">\n<img src=\"data:image/png;base64,{data}\" width=\"{w}\" height=\"{hgt}\" alt=\"{alt}\">\n\
             <figcaption>{number}{caption}</figcaption>\n</figure>",
            key = escape(&map.key),
            data = base64(&map.png),
            w = map.width,
            hgt = map.height,
            alt = escape(&caption),
            number = escape(&number),
            caption = escape(&caption),
        );
    }
    h.push_str("</section>\n");

    // 5. Site plan.
    let _ = write!(
        h,
        "<section class=\"new-page\" id=\"plan\">\n<h2>5. {}</h2>\n",
        m(Msg::SitePlan)
    );
    if let Some(t) = table("plan_summary") {
        table_html(&mut h, t, lang, "");
    }
    if let Some(t) = table("sites") {
        table_html(&mut h, t, lang, "wide");
    }
    let _ = writeln!(h, "<p class=\"note\">{}</p>", m(Msg::CostNote));
    h.push_str("</section>\n");

    // 6. Scenarios.
    let _ = write!(
        h,
        "<section id=\"scenarios\">\n<h2>6. {}</h2>\n",
        m(Msg::Scenarios)
    );
    if let Some(t) = table("scenarios") {
        table_html(&mut h, t, lang, "");
    }
    let _ = writeln!(h, "<p class=\"note\">{}</p>", m(Msg::CostNote));
    h.push_str("</section>\n");

    // 7. Appendix.
    let _ = write!(
        h,
        "<section class=\"new-page\" id=\"appendix\">\n<h2>{}</h2>\n",
        m(Msg::Appendix)
    );
    let a = &report.assumptions;
    for (msg, items) in [
        (Msg::Models, &a.models),
        (Msg::Thresholds, &a.thresholds),
        (Msg::Costs, &a.costs),
    ] {
        assumptions_html(&mut h, lang, msg, items);
    }
    if let Some(t) = table("sources") {
        table_html(&mut h, t, lang, "");
    }
    h.push_str("</section>\n</body>\n</html>\n");
    h
}

/// Appends one assumptions sub-table (item, value).
fn assumptions_html(h: &mut String, lang: Lang, title: Msg, items: &[Assumption]) {
    let _ = writeln!(h, "<h3>{}</h3>", escape(lang.msg(title)));
    if items.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", escape(lang.msg(Msg::NoRows)));
        return;
    }
    let _ = writeln!(
        h,
        "<table{}>\n<thead><tr><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        if items.len() <= KEEP_TOGETHER_ROWS {
            " class=\"keep\""
        } else {
            ""
        },
        escape(lang.msg(Msg::Item)),
        escape(lang.msg(Msg::Value))
    );
    for item in items {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(&key_label(lang, &item.key)),
            escape(&item.value)
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

/// Tables with at most this many rows are never split across pages.
const KEEP_TOGETHER_ROWS: usize = 20;

/// Appends a table: caption, repeated header, rows, totals row.
fn table_html(h: &mut String, table: &Table, lang: Lang, class: &str) {
    let _ = write!(h, "<table id=\"table-{}\"", escape(table.key));
    // A short table moves to the next page whole rather than leave a few rows behind.
    let keep = if table.all_rows().count() <= KEEP_TOGETHER_ROWS {
        "keep"
    } else {
        ""
    };
    let classes = [class, keep]
        .iter()
        .filter(|c| !c.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if !classes.is_empty() {
        let _ = write!(h, " class=\"{}\"", escape(&classes));
    }
    let _ = write!(
        h,
        ">\n<caption>{}</caption>\n<thead><tr>",
        escape(&table.title)
    );
    for column in &table.columns {
        let _ = write!(h, "<th scope=\"col\">{}</th>", escape(&column.label));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    if table.rows.is_empty() {
        let _ = writeln!(
            h,
            "<tr><td colspan=\"{}\">{}</td></tr>",
            table.columns.len().max(1),
            escape(lang.msg(Msg::NoRows))
        );
    }
    let row_html = |h: &mut String, row: &[Cell], class: &str| {
        h.push_str(class);
        for cell in row {
            let class = if cell.is_numeric() {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(h, "<td{class}>{}</td>", escape(&cell.display(lang)));
        }
        h.push_str("</tr>\n");
    };
    for row in &table.rows {
        row_html(h, row, "<tr>");
    }
    h.push_str("</tbody>\n");
    if let Some(total) = &table.total {
        // Printed once after the rows, not repeated on every page like a <tfoot>.
        h.push_str("<tbody>\n");
        row_html(h, total, "<tr class=\"total\">");
        h.push_str("</tbody>\n");
    }
    h.push_str("</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(base64(input.as_bytes()), expected);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn escape_leaves_japanese_alone() {
        assert_eq!(escape("五島市 & 新上五島町"), "五島市 &amp; 新上五島町");
    }
}
