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
use crate::maps::{Symbol, legend, symbol};
use crate::model::{Assumption, AssumptionValue, MapImage, Report};
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
/* Japanese headings, labels and captions break between phrases, not inside words. */
html:lang(ja) :is(h1, h2, h3, th, caption, figcaption, .card .label, .legend li, nav li) { word-break: auto-phrase; overflow-wrap: break-word; }
body { margin: 0 auto; max-width: 190mm; padding: 0 4mm; }
h1, h2, h3 { color: var(--accent); line-height: 1.3; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 24pt; margin: 0 0 4mm; }
h2 { font-size: 15pt; border-bottom: 2px solid var(--accent); padding-bottom: 1mm; margin: 8mm 0 4mm; }
h3 { font-size: 11.5pt; margin: 6mm 0 2mm; }
section.new-page { break-before: page; }
.title-page { padding-top: 20mm; break-after: page; }
.title-page .doc-type { font-size: 14pt; color: #444; margin: 0 0 2mm; letter-spacing: 0.05em; }
.title-page dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 6mm; font-size: 11pt; margin: 0 0 6mm; }
.title-page dt { color: #555; }
.title-page dd { margin: 0; }
.title-page nav ol { padding-left: 6mm; columns: 2; column-gap: 10mm; margin: 0; }
.title-page nav a { color: inherit; text-decoration: none; }
.title-page > .note { margin-top: 6mm; }
.key-figures { border: 1.5px solid var(--accent); background: #f7f9fc; padding: 1mm 4mm 3mm; margin: 0 0 6mm; break-inside: avoid; }
.key-figures h3 { margin: 2mm 0 1mm; }
.key-figures .story { font-size: 11pt; margin: 2mm 0 1mm; }
.key-figures .note { margin: 0; }
.key-figures .card .value { font-size: 15pt; }
.note { color: #444; font-size: 9pt; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; margin: 3mm 0; }
.card { border: 1px solid var(--rule); border-left: 4px solid var(--accent); background: #fff; padding: 2mm 3mm; break-inside: avoid; }
.card .label { font-size: 8.5pt; color: #444; line-height: 1.35; }
.card .value { font-size: 14pt; font-weight: bold; font-variant-numeric: tabular-nums; line-height: 1.4; }
.card.wide { grid-column: span 2; }
.card .sub { font-size: 8.5pt; color: #444; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 5mm; font-size: 9pt; }
caption { text-align: left; font-weight: bold; color: var(--accent); padding-bottom: 1mm; caption-side: top; }
thead { display: table-header-group; }
tfoot { display: table-row-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.keep { break-inside: avoid; }
td:first-child { white-space: nowrap; }
th, td { border: 1px solid var(--rule); padding: 0.7mm 2mm; vertical-align: top; line-height: 1.45; }
table.no-caption caption { display: none; }
th { background: var(--shade); font-weight: bold; text-align: center; vertical-align: bottom; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td, tr.total td { font-weight: bold; background: #f7f9fb; border-top: 2px solid var(--accent); }
table.wide { font-size: 7pt; }
table.wide th, table.wide td { padding: 0.6mm 0.9mm; }
table.wide td { white-space: nowrap; }
table.wide th { min-width: 2.4em; }
figure { margin: 3mm 0 5mm; break-inside: avoid; text-align: center; }
figure img { display: block; margin: 0 auto; max-width: 100%; height: auto; border: 1px solid var(--rule); image-rendering: auto; }
.legend { list-style: none; display: flex; flex-wrap: wrap; justify-content: center; gap: 0.6mm 4mm; margin: 1.5mm 0 0; padding: 0; font-size: 8pt; line-height: 1.4; }
.legend li { display: inline-flex; align-items: center; gap: 1mm; white-space: nowrap; }
.legend .swatch { flex: none; }
.legend .count { color: #555; font-variant-numeric: tabular-nums; }
figcaption { font-size: 9pt; color: #333; margin-top: 1mm; }
figcaption .title { font-weight: bold; }
figcaption .source { font-size: 7.5pt; color: #555; }
@media print { body { padding: 0; max-width: none; } }
@media screen { body { padding: 8mm; } section { margin-top: 12mm; } .title-page { padding-top: 0; } }
"#;

/// The report as one self-contained HTML document in `lang`.
///
/// Sections: title page (region, date, a key-figures box with the story in
/// one sentence, contents; kept as page 1), summary tables, regulator
/// metrics today and with the plan, a table per municipality and per
/// island, the coverage and unserved maps, the site plan with its map, the
/// scenario comparison and the appendix of assumptions and data sources.
/// Every map has a legend (swatches of [`crate::maps::legend`], translated
/// labels, counts from the report) and a caption naming its data and their
/// dates, the CRS and the printed scale. Every
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

    // Title page: what, where, when, the key figures and the contents.
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
        "<header class=\"title-page\">\n<p class=\"doc-type\">{doc}</p>\n<h1>{region}</h1>\n<dl>\n<dt>{rl}</dt><dd>{region}</dd>\n<dt>{dl}</dt><dd>{date}</dd>\n</dl>\n",
        doc = m(Msg::Title),
        region = escape(&report.region),
        rl = m(Msg::Region),
        dl = m(Msg::GeneratedOn),
        date = escape(&lang.date(&report.generated_on)),
    );
    key_figures_box(&mut h, report, lang);
    let _ = write!(h, "<nav>\n<h3>{}</h3>\n<ol>\n", m(Msg::Contents));
    for (id, msg) in chapters {
        let label = if id == "areas" {
            format!("{} / {}", lang.msg(msg), lang.msg(Msg::Islands))
        } else {
            lang.msg(msg).to_string()
        };
        let _ = writeln!(h, "<li><a href=\"#{id}\">{}</a></li>", escape(&label));
    }
    let _ = write!(h, "</ol>\n</nav>\n<p class=\"note\">{}</p>\n</header>\n", m(Msg::GeneratedBy));

    // 1. Summary (the key figures are on the title page).
    let _ = write!(h, "<section class=\"new-page\" id=\"summary\">\n<h2>1. {}</h2>\n", m(Msg::Summary));
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
        // Its title is the section's heading.
        table_html(&mut h, t, lang, "no-caption");
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

    // 4. Maps (the plan's map goes with the site plan, beside its table).
    let _ = write!(h, "<section class=\"new-page\" id=\"maps\">\n<h2>4. {}</h2>\n", m(Msg::Maps));
    if report.maps.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", m(Msg::NoRows));
    }
    let mut figures = 0;
    for map in report.maps.iter().filter(|m| m.key != "plan") {
        figures += 1;
        figure_html(&mut h, report, lang, map, figures);
    }
    h.push_str("</section>\n");

    // 5. Site plan.
    let _ = write!(h, "<section class=\"new-page\" id=\"plan\">\n<h2>5. {}</h2>\n", m(Msg::SitePlan));
    if let Some(t) = table("plan_summary") {
        table_html(&mut h, t, lang, "");
    }
    if let Some(t) = table("sites") {
        table_html(&mut h, t, lang, "wide");
    }
    let _ = writeln!(h, "<p class=\"note\">{}</p>", m(Msg::CostNote));
    for map in report.maps.iter().filter(|m| m.key == "plan") {
        figures += 1;
        figure_html(&mut h, report, lang, map, figures);
    }
    h.push_str("</section>\n");

    // 6. Scenarios.
    let _ = write!(
        h,
        "<section id=\"scenarios\">\n<h2>6. {}</h2>\n",
        m(Msg::Scenarios)
    );
    if let Some(t) = table("scenarios") {
        table_html(&mut h, t, lang, "no-caption");
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

/// `n sites` / `n局`.
fn sites_text(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En if n == 1 => "1 site".into(),
        Lang::En => format!("{} sites", lang.integer(n as u64)),
        Lang::Ja => format!("{}局", lang.integer(n as u64)),
    }
}

/// Share of the region's households, NaN without households.
fn share_of(report: &Report, part: f64) -> f64 {
    let total = report.summary.households;
    if total > 0.0 { part / total } else { f64::NAN }
}

/// The key figures of the title page: six cards and one sentence that
/// tells the story (unserved today, what the plan does, at what cost).
fn key_figures_box(h: &mut String, report: &Report, lang: Lang) {
    let s = &report.summary;
    let p = &report.plan;
    let after = unserved_after_plan(report);
    let arrow = |a: String, b: String| format!("{a} → {b}");
    // (label, value, detail, class): the unserved card spans two columns.
    let cards: [(Msg, String, String, &str); 5] = [
        (Msg::Households, lang.households(s.households), String::new(), ""),
        (Msg::FiberRate, lang.percent(s.metrics_before.fiber_availability_rate), lang.households(s.fiber), ""),
        (Msg::RadioRate, lang.percent(share_of(report, s.radio_any)), lang.households(s.radio_any), ""),
        (
            Msg::UnservedTodayAfter,
            arrow(lang.households(s.services.none), lang.households(after)),
            arrow(lang.percent(share_of(report, s.services.none)), lang.percent(share_of(report, after))),
            " wide",
        ),
        (Msg::PlanSitesCapex, sites_text(lang, p.sites.len()), lang.yen(p.capex), ""),
    ];
    let _ = write!(h, "<section class=\"key-figures\" aria-label=\"{}\">\n<h3>{}</h3>\n<div class=\"cards\">\n", escape(lang.msg(Msg::KeyFigures)), escape(lang.msg(Msg::KeyFigures)));
    for (label, value, sub, class) in cards {
        let sub = if sub.is_empty() { String::new() } else { format!("<div class=\"sub\">{}</div>", escape(&sub)) };
        let _ = writeln!(h, "<div class=\"card{class}\"><div class=\"label\">{}</div><div class=\"value\">{}</div>{sub}</div>", escape(lang.msg(label)), escape(&value));
    }
    h.push_str("</div>\n");
    let unserved = lang.households(s.services.none);
    let share = lang.percent(share_of(report, s.services.none));
    let total = lang.households(s.households);
    let mut story = match lang {
        Lang::En => format!("Of {total}, {unserved} ({share}) can use neither fiber nor mobile radio today."),
        Lang::Ja => format!("{total}のうち、光ファイバ・携帯電話のいずれも利用できない未整備世帯は{unserved}（{share}）である。"),
    };
    if !p.sites.is_empty() {
        let (n, capex, newly, left) = (sites_text(lang, p.sites.len()), lang.yen(p.capex), lang.households(p.newly_served), lang.households(after));
        story.push_str(&match lang {
            Lang::En => format!(" The {n} proposed here (capital cost {capex}) would serve {newly} of them, leaving {left} unserved."),
            Lang::Ja => format!("本計画の新設基地局{n}（整備費{capex}）により{newly}が新たに整備され、未整備世帯は{left}となる。"),
        });
    }
    // Page 1 may travel alone: say where its costs come from.
    let illustrative = report.assumptions.costs.iter().any(|a| {
        a.key == "currency" && matches!(&a.value, AssumptionValue::Phrases { items } if items.iter().any(|p| p.key == "costs_illustrative"))
    });
    let cost_note = if illustrative { Msg::IllustrativeCostsNote } else { Msg::CostNote };
    let _ = write!(
        h,
        "<p class=\"story\">{}</p>\n<p class=\"note\">{}</p>\n</section>\n",
        escape(&story),
        escape(lang.msg(cost_note))
    );
}

/// Printed width of a map (mm): the page's width, or less so that its height stays within [`MAP_MAX_HEIGHT_MM`].
const MAP_MAX_WIDTH_MM: f64 = 170.0;
/// Printed height limit of a map (mm): two maps with their legends fit on a page.
const MAP_MAX_HEIGHT_MM: f64 = 88.0;

/// The scale of a map printed `width_mm` wide, rounded to two significant digits: 1:N.
fn print_scale(metres_per_pixel: f64, width_px: u32, width_mm: f64) -> f64 {
    let n = metres_per_pixel * f64::from(width_px) / (width_mm / 1000.0);
    if !(n.is_finite() && n > 0.0) {
        return f64::NAN;
    }
    let magnitude = 10f64.powf(n.log10().floor() - 1.0);
    (n / magnitude).round() * magnitude
}

/// The count shown beside a legend item, where the report has it.
fn legend_count(report: &Report, lang: Lang, map: &str, item: &str) -> Option<String> {
    let s = &report.summary;
    let c = &s.services;
    Some(match (map, item) {
        ("coverage", "fiber_only") => lang.households(c.fiber_only),
        ("coverage", "radio_only") => lang.households(c.radio_only),
        ("coverage", "both") => lang.households(c.both),
        ("coverage" | "unserved", "none") => lang.households(c.none),
        ("coverage", "existing_site") => sites_text(lang, s.radio.iter().map(|t| t.sites).sum()),
        ("unserved", "other_households") => lang.households(s.households - c.none),
        ("plan", "newly_served") => lang.households(report.plan.newly_served),
        ("plan", "still_unserved") => lang.households(unserved_after_plan(report)),
        ("plan", "proposed_site") => sites_text(lang, report.plan.sites.len()),
        _ => return None,
    })
}

/// An inline SVG swatch of a legend item, drawn as the map draws it.
fn swatch(item: &str, [r, g, b]: [u8; 3]) -> String {
    let fill = format!("#{r:02x}{g:02x}{b:02x}");
    let shape = match symbol(item) {
        Symbol::Area => format!("<rect x=\"1\" y=\"2\" width=\"16\" height=\"10\" fill=\"{fill}\" stroke=\"#7a8ca8\" stroke-width=\"0.6\"/>"),
        Symbol::Line => format!("<line x1=\"1\" y1=\"7\" x2=\"17\" y2=\"7\" stroke=\"{fill}\" stroke-width=\"2.5\"/>"),
        Symbol::Dot => format!("<circle cx=\"9\" cy=\"7\" r=\"4\" fill=\"{fill}\"/>"),
        Symbol::Triangle => format!("<polygon points=\"9,1 15,13 3,13\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"0.8\"/>"),
        Symbol::Disc => format!("<circle cx=\"9\" cy=\"7\" r=\"5.5\" fill=\"{fill}\" stroke=\"#000\" stroke-width=\"1.4\"/>"),
    };
    format!("<svg class=\"swatch\" width=\"18\" height=\"14\" viewBox=\"0 0 18 14\" aria-hidden=\"true\">{shape}</svg>")
}

/// A map as a figure: the image at a known printed size, its legend (with
/// counts), and a caption that says what it shows, from which data of
/// which date, in which CRS and at which scale.
fn figure_html(h: &mut String, report: &Report, lang: Lang, map: &MapImage, number: usize) {
    let title = key_label(lang, &map.key);
    let aspect = f64::from(map.width.max(1)) / f64::from(map.height.max(1));
    let width_mm = MAP_MAX_WIDTH_MM.min(MAP_MAX_HEIGHT_MM * aspect);
    let _ = write!(
        h,
        "<figure id=\"map-{key}\" class=\"map\">\n<img src=\"data:image/png;base64,{data}\" width=\"{w}\" height=\"{hgt}\" style=\"width: {width_mm:.1}mm\" alt=\"{alt}\">\n",
        key = escape(&map.key),
        data = base64(&map.png),
        w = map.width,
        hgt = map.height,
        alt = escape(&title),
    );
    let items = legend(&map.key);
    if !items.is_empty() {
        let _ = write!(h, "<ul class=\"legend\" aria-label=\"{}\">", escape(lang.msg(Msg::Legend)));
        for (item, colour) in items {
            let count = legend_count(report, lang, &map.key, item).map(|c| format!(" <span class=\"count\">{}</span>", escape(&c))).unwrap_or_default();
            let _ = write!(h, "<li>{}<span>{}</span>{count}</li>", swatch(item, *colour), escape(&key_label(lang, item)));
        }
        h.push_str("</ul>\n");
    }
    let number = match lang {
        Lang::Ja => format!("{}{}　", lang.msg(Msg::Figure), number),
        Lang::En => format!("{} {}: ", lang.msg(Msg::Figure), number),
    };
    // The layers drawn on the map, with the dates of their data.
    let layers: &[&str] = match map.key.as_str() {
        "coverage" => &["households", "fiber", "towers"],
        _ => &["households", "fiber"],
    };
    let sources = &report.assumptions.sources;
    let data: Vec<String> = layers
        .iter()
        .filter_map(|key| sources.iter().find(|s| s.key == *key))
        .map(|s| {
            let label = key_label(lang, &s.key);
            match (lang, s.date.is_empty()) {
                (_, true) => label.into_owned(),
                (Lang::En, false) => format!("{label} ({})", lang.date(&s.date)),
                (Lang::Ja, false) => format!("{label}（{}時点）", lang.date(&s.date)),
            }
        })
        .collect();
    let crs = sources.iter().find(|s| s.key == "dem").map(|s| key_label(lang, &s.crs).into_owned()).filter(|c| !c.is_empty());
    let scale = print_scale(map.metres_per_pixel, map.width, width_mm);
    let mut note = Vec::new();
    if !data.is_empty() {
        let sep = if lang == Lang::Ja { "、" } else { ", " };
        note.push(match lang {
            Lang::En => format!("{}: {}", lang.msg(Msg::MapData), data.join(sep)),
            Lang::Ja => format!("{}：{}", lang.msg(Msg::MapData), data.join(sep)),
        });
    }
    note.push(lang.msg(Msg::MapBackground).to_string());
    let mut frame = Vec::new();
    if let Some(crs) = crs {
        frame.push(match lang {
            Lang::En => format!("{} {crs}", lang.msg(Msg::Crs)),
            Lang::Ja => format!("{}：{crs}", lang.msg(Msg::Crs)),
        });
    }
    frame.push(lang.msg(Msg::NorthUp).to_string());
    if scale.is_finite() {
        frame.push(match lang {
            Lang::En => format!("scale about 1:{} printed on A4 (see the scale bar)", lang.count(scale)),
            Lang::Ja => format!("縮尺 約1:{}（A4印刷時、図中のスケールバー参照）", lang.count(scale)),
        });
    }
    let frame = frame.join(if lang == Lang::Ja { "、" } else { ", " });
    // English sentences start with a capital.
    let mut chars = frame.chars();
    note.push(chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default());
    let note = match lang {
        Lang::En => note.join(". ") + ".",
        Lang::Ja => note.join("。") + "。",
    };
    let _ = writeln!(
        h,
        "<figcaption><span class=\"title\">{}{}</span><br><span class=\"source\">{}</span></figcaption>\n</figure>",
        escape(&number),
        escape(&title),
        escape(&note)
    );
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
            escape(&lang.value(&item.value))
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
