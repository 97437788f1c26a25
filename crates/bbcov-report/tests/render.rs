//! The renderers on a hand-made report of a fictional region: HTML in both
//! languages, CSV and XLSX tables, and the PDF checked with poppler
//! (pdftotext, pdfinfo, pdffonts, pdftoppm) when Chromium is installed.
//!
//! Artifacts (PDFs, page-1 PNGs, tables) go to
//! `target/tmp/bbcov-report/` (Cargo's `CARGO_TARGET_TMPDIR`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use bbcov_report::{
    Assumption, AssumptionValue, Assumptions, DataSource, Format, Lang, MapImage, Msg, Phrase,
    PhraseArg, Plan, PlannedSite,
    RegulatorMetrics, Report, Scenario, ServiceCounts, Summary, TechnologyCoverage,
    html::render_html, render, report_tables, write_tables,
};

// ---------------------------------------------------------------- fixture

/// CRC-32 (IEEE) as PNG chunks need it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A tiny RGB PNG of `w` × `h` pixels with a colour gradient, zlib "stored" (uncompressed).
fn tiny_png(w: u32, h: u32, tint: u8) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..h {
        raw.push(0); // filter: none
        for x in 0..w {
            raw.extend_from_slice(&[(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, tint]);
        }
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    let mut zlib = vec![0x78, 0x01, 0x01];
    zlib.extend_from_slice(&(raw.len() as u16).to_le_bytes());
    zlib.extend_from_slice(&(!(raw.len() as u16)).to_le_bytes());
    zlib.extend_from_slice(&raw);
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        png.extend_from_slice(&body);
        png.extend_from_slice(&crc32(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &zlib);
    chunk(b"IEND", &[]);
    png
}

fn assumption(key: &str, value: AssumptionValue) -> Assumption {
    Assumption {
        key: key.into(),
        value,
    }
}

fn quantity(value: f64, unit: &str) -> AssumptionValue {
    AssumptionValue::Quantity {
        value,
        unit: unit.into(),
    }
}

fn name(text: &str) -> AssumptionValue {
    AssumptionValue::Name { text: text.into() }
}

fn phrase(key: &str, args: Vec<PhraseArg>) -> AssumptionValue {
    AssumptionValue::Phrases {
        items: vec![Phrase::new(key, args)],
    }
}

fn area(
    name: &str,
    households: f64,
    fiber: f64,
    radio: f64,
    unserved: f64,
    unserved_after_plan: f64,
) -> bbcov_report::AreaRow {
    bbcov_report::AreaRow {
        name: name.into(),
        households,
        fiber,
        radio,
        unserved,
        unserved_after_plan,
    }
}

#[allow(clippy::too_many_arguments)]
fn site(
    id: &str,
    lon: f64,
    lat: f64,
    tech: &str,
    covered: f64,
    new: f64,
    backhaul: &str,
    km: f64,
    capex: f64,
    opex: f64,
) -> PlannedSite {
    PlannedSite {
        id: id.into(),
        lon,
        lat,
        technology: tech.into(),
        mast_height_m: 40.0,
        covered_households: covered,
        new_households: new,
        backhaul: backhaul.into(),
        backhaul_km: km,
        capex,
        opex_per_year: opex,
        cost_per_new_household: if new > 0.0 { capex / new } else { f64::NAN },
    }
}

/// A fictional island region whose numbers add up: 12,345 households,
/// 145 unserved, a 3-site plan that newly serves 110 of them.
fn sample_report() -> Report {
    let metrics_before = RegulatorMetrics {
        fiber_availability_rate: 11_336.0 / 12_345.0,
        five_g_sites: 4,
        population_coverage_500m: 0.612,
        squares_10km_with_5g: 6,
        squares_10km_with_households: 9,
    };
    let metrics_after = RegulatorMetrics {
        five_g_sites: 6,
        population_coverage_500m: 0.774,
        squares_10km_with_5g: 8,
        ..metrics_before
    };
    let sites = vec![
        site(
            "C-017",
            128.84012,
            32.69544,
            "5G",
            80.0,
            70.0,
            "fiber",
            2.5,
            42_500_000.0,
            1_750_000.0,
        ),
        site(
            "HP-003",
            128.91230,
            32.74411,
            "5G",
            50.0,
            40.0,
            "microwave",
            12.3,
            33_000_000.0,
            1_800_000.0,
        ),
        site(
            "T-2 <co-located>",
            129.00001,
            32.80002,
            "local5G",
            10.0,
            0.0,
            "microwave",
            3.1,
            24_000_000.0,
            1_800_000.0,
        ),
    ];
    let capex: f64 = sites.iter().map(|s| s.capex).sum();
    let opex: f64 = sites.iter().map(|s| s.opex_per_year).sum();
    Report {
        region: "架空諸島 Sample Islands".into(),
        generated_on: "2026-11-23".into(),
        summary: Summary {
            households: 12_345.0,
            fiber: 11_336.0,
            radio: vec![
                TechnologyCoverage {
                    technology: "4G".into(),
                    sites: 12,
                    households: 11_800.0,
                },
                TechnologyCoverage {
                    technology: "5G".into(),
                    sites: 4,
                    households: 7_500.0,
                },
                TechnologyCoverage {
                    technology: "local5G".into(),
                    sites: 1,
                    households: 300.0,
                },
            ],
            radio_any: 11_900.0,
            services: ServiceCounts {
                fiber_only: 300.0,
                radio_only: 864.0,
                both: 11_036.0,
                none: 145.0,
            },
            metrics_before,
            metrics_after,
        },
        municipalities: vec![
            area("港町 & 浜村", 6_000.0, 5_700.0, 5_900.0, 40.0, 10.0),
            area("北島町", 4_000.0, 3_636.0, 3_800.0, 65.0, 20.0),
            area("Nishi-mura", 2_345.0, 2_000.0, 2_200.0, 40.0, 5.0),
        ],
        islands: vec![
            area("大島", 8_000.0, 7_500.0, 7_800.0, 100.0, 25.0),
            area("小島 <北>", 4_345.0, 3_836.0, 4_100.0, 45.0, 10.0),
        ],
        plan: Plan {
            problem: "max_covering".into(),
            newly_served: 110.0,
            capex,
            lifetime_cost: capex + 10.0 * opex,
            years: 10,
            bound: 122.0,
            gap: (122.0 - 110.0) / 122.0,
            sites,
        },
        scenarios: vec![
            Scenario {
                key: "baseline".into(),
                served: 12_200.0,
                unserved: 145.0,
                newly_served: 0.0,
                capex: 0.0,
                cost_per_newly_served: f64::NAN,
            },
            Scenario {
                key: "fiber_extension".into(),
                served: 12_260.0,
                unserved: 85.0,
                newly_served: 60.0,
                capex: 180_000_000.0,
                cost_per_newly_served: 3_000_000.0,
            },
            Scenario {
                key: "new_sites".into(),
                served: 12_310.0,
                unserved: 35.0,
                newly_served: 110.0,
                capex,
                cost_per_newly_served: capex / 110.0,
            },
            Scenario {
                key: "combined".into(),
                served: 12_335.0,
                unserved: 10.0,
                newly_served: 135.0,
                capex: capex + 180_000_000.0,
                cost_per_newly_served: (capex + 180_000_000.0) / 135.0,
            },
        ],
        maps: ["coverage", "unserved", "plan"]
            .iter()
            .enumerate()
            .map(|(i, key)| MapImage {
                key: (*key).into(),
                png: tiny_png(160, 120, 60 * i as u8),
                width: 160,
                height: 120,
                metres_per_pixel: 250.0,
            })
            .collect(),
        assumptions: Assumptions {
            models: vec![
                assumption("propagation_model", name("ITM (Longley-Rice) 1.2.2")),
                assumption("k_factor", quantity(4.0 / 3.0, "")),
                assumption("rx_height", quantity(1.5, "m")),
                assumption(
                    "indoor_loss",
                    phrase("indoor_tr38901_low", vec![PhraseArg::Number(0.0)]),
                ),
                assumption(
                    "technology",
                    AssumptionValue::Key {
                        key: "local5G".into(),
                    },
                ),
                assumption(
                    "candidates",
                    AssumptionValue::Phrases {
                        items: vec![
                            Phrase::new(
                                "candidates_high_points",
                                vec![PhraseArg::Number(1_500.0), PhraseArg::Number(30.0)],
                            ),
                            Phrase::new("candidates_towers", vec![]),
                        ],
                    },
                ),
                assumption("load", AssumptionValue::Share { value: 0.5 }),
            ],
            thresholds: vec![
                assumption("max_drop", quantity(300.0, "m")),
                assumption("rsrp_threshold_5G", quantity(-110.0, "dBm")),
                assumption(
                    "square_500m_rule",
                    phrase("square_500m_at_least", vec![PhraseArg::Number(50.0)]),
                ),
                assumption(
                    "fiber_extension",
                    AssumptionValue::Phrases {
                        items: vec![
                            Phrase::new(
                                "extension_clusters_by_field",
                                vec![PhraseArg::Key("village".into())],
                            ),
                            Phrase::new(
                                "extension_spur",
                                vec![PhraseArg::Number(2_000.0), PhraseArg::Number(1.3)],
                            ),
                        ],
                    },
                ),
                assumption("custom_margin_db", quantity(3.0, "dB")),
            ],
            costs: vec![
                assumption("site_capex", AssumptionValue::Money { value: 3.0e7 }),
                assumption(
                    "fiber_capex_per_km",
                    AssumptionValue::Money { value: 5.0e6 },
                ),
                assumption(
                    "microwave_link_capex",
                    AssumptionValue::Money { value: 3.0e6 },
                ),
                assumption("years", AssumptionValue::Years { value: 10.0 }),
                assumption("currency", phrase("costs_illustrative", vec![])),
            ],
            sources: vec![
                DataSource {
                    key: "households".into(),
                    file: "households.gpkg".into(),
                    crs: "EPSG:6668".into(),
                    records: 4_821,
                    date: "2025-10-01".into(),
                },
                DataSource {
                    key: "fiber".into(),
                    file: "fiber.gpkg".into(),
                    crs: "EPSG:6669".into(),
                    records: 312,
                    date: "2026-03-31".into(),
                },
                DataSource {
                    key: "dem".into(),
                    file: "dem.tif".into(),
                    crs: "EPSG:6669".into(),
                    records: 1_440_000,
                    date: String::new(),
                },
            ],
        },
    }
}

/// The text of an HTML fragment, tags removed.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn artifacts(sub: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("bbcov-report")
        .join(sub);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------- HTML

#[test]
fn html_is_one_self_contained_file_in_each_language() {
    let report = sample_report();
    for lang in Lang::ALL {
        let html = render_html(&report, lang);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
        // Nothing to fetch: no URLs, no external scripts, styles or images.
        let lower = html.to_lowercase();
        for bad in [
            "http:",
            "https:",
            "src=\"/",
            "href=\"/",
            "src=\"file",
            "<script",
            "<link",
            "url(",
            "@import",
            "//fonts",
        ] {
            assert!(!lower.contains(bad), "{lang}: HTML contains {bad:?}");
        }
        assert_eq!(
            html.matches("src=\"data:image/png;base64,").count(),
            report.maps.len()
        );
        // Print layout.
        assert!(html.contains("size: A4"));
        assert!(html.contains("counter(page) \" / \" counter(pages)"));
        assert!(html.contains("\"Noto Sans CJK JP\", \"Noto Sans JP\", sans-serif"));
        // Every heading and table title, translated.
        for msg in [
            Msg::Title,
            Msg::Summary,
            Msg::Metrics,
            Msg::Municipalities,
            Msg::Islands,
            Msg::Maps,
            Msg::SitePlan,
            Msg::Scenarios,
            Msg::Appendix,
            Msg::Models,
            Msg::Thresholds,
            Msg::Costs,
            Msg::Sources,
        ] {
            let text = bbcov_report::html::escape(lang.msg(msg));
            assert!(
                html.contains(&text),
                "{lang}: missing heading {msg:?} = {text}"
            );
        }
        for table in report_tables(&report, lang) {
            assert!(
                html.contains(&bbcov_report::html::escape(&table.title)),
                "{lang}: missing table {}",
                table.key
            );
        }
        for key in [
            "fiber_extension",
            "new_sites",
            "combined",
            "coverage",
            "unserved",
            "plan",
            "max_covering",
        ] {
            assert!(
                html.contains(bbcov_report::key_label(lang, key).as_ref()),
                "{lang}: key {key} not translated"
            );
        }
        // Unknown assumption keys fall back to the key itself.
        assert!(html.contains("custom_margin_db"));
        // Names are data: escaped, never markup.
        assert!(html.contains("港町 &amp; 浜村"));
        assert!(html.contains("小島 &lt;北&gt;"));
        assert!(html.contains("T-2 &lt;co-located&gt;"));
        assert!(
            !html.contains("<北>")
                && !html.contains("<co-located>")
                && !html.contains("港町 & 浜村")
        );
        // Page 1 tells the story: the key figures are in the title block.
        let title_page = &html[..html.find("</header>").unwrap()];
        let capex = report.plan.capex;
        for figure in [
            lang.households(12_345.0),
            lang.percent(11_336.0 / 12_345.0),
            lang.percent(11_900.0 / 12_345.0),
            lang.households(145.0),
            lang.households(35.0),
            lang.yen(capex),
            match lang {
                Lang::Ja => "3局".to_string(),
                Lang::En => "3 sites".to_string(),
            },
        ] {
            assert!(
                title_page.contains(&bbcov_report::html::escape(&figure)),
                "{lang}: {figure} not on page 1"
            );
        }
        // Every map has a legend: a swatch and a translated label per item,
        // counts from the report, and a caption with data dates, CRS and scale.
        assert_eq!(html.matches("<ul class=\"legend\"").count(), 3, "{lang}");
        for map in ["coverage", "unserved", "plan"] {
            let at = html.find(&format!("id=\"map-{map}\"")).unwrap();
            let figure = &html[at..at + html[at..].find("</figure>").unwrap()];
            for (item, [r, g, b]) in bbcov_report::maps::legend(map) {
                let label = bbcov_report::key_label(lang, item);
                assert!(
                    figure.contains(&bbcov_report::html::escape(&label)),
                    "{lang} {map}: {item}"
                );
                assert!(
                    figure.contains(&format!("#{r:02x}{g:02x}{b:02x}")),
                    "{lang} {map}: colour of {item}"
                );
            }
            assert!(figure.contains("EPSG:6669"), "{lang} {map}: CRS");
            assert!(
                figure.contains(&lang.date("2025-10-01")),
                "{lang} {map}: date"
            );
            // 160 px × 250 m = 40 km printed 117.3 mm wide (88 mm high): 1:340,000.
            assert!(figure.contains("1:340,000"), "{lang} {map}: scale");
        }
        let legend_counts = [
            ("coverage", lang.households(864.0)),
            ("coverage", lang.households(11_036.0)),
            ("unserved", lang.households(12_200.0)),
            ("plan", lang.households(110.0)),
            ("plan", lang.households(35.0)),
        ];
        for (map, count) in legend_counts {
            let at = html.find(&format!("id=\"map-{map}\"")).unwrap();
            let figure = &html[at..at + html[at..].find("</figure>").unwrap()];
            assert!(figure.contains(&count), "{lang} {map}: count {count}");
        }
        // Key figures as the language writes them; NaN cost prints as a dash.
        assert!(html.contains(&lang.households(12_345.0)));
        assert!(html.contains(&lang.percent(11_336.0 / 12_345.0)));
        assert!(html.contains(&lang.yen(99_500_000.0)));
        assert!(html.contains(">–</td>"));
    }
    let ja = render_html(&report, Lang::Ja);
    // The Japanese appendix and map captions are Japanese: no English word
    // (lower-case run of 4+ letters) outside names and unknown keys.
    for (from, to) in [
        ("id=\"maps\"", "id=\"plan\""),
        ("id=\"appendix\"", "id=\"table-sources\""),
    ] {
        let start = ja.find(from).unwrap();
        let start = start + ja[start..].find('>').unwrap();
        let part = &ja[start..ja.find(to).unwrap()];
        let text = strip_tags(part);
        let english: Vec<&str> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .filter(|w| {
                w.len() >= 4
                    && !w.contains('_')
                    && *w != "bbcov"
                    && w.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            })
            .collect();
        assert!(english.is_empty(), "ja: English in {from}: {english:?}");
    }
    for term in [
        "1,500m",
        "地形の高所（半径1,500m、比高30m）、既設鉄塔",
        "クラスタ：集落単位の未整備世帯",
        "3,000万円",
        "10年",
        "ローカル5G",
        "50.0%",
        "-110dBm",
        "凡例",
    ] {
        assert!(ja.contains(term), "ja: missing {term}");
    }
    for term in [
        "世帯",
        "光ファイバ整備率",
        "未整備世帯",
        "基地局",
        "5G人口カバー率",
        "5G基盤展開率",
        "整備率",
        "9,950万円",
        "2026年11月23日",
    ] {
        assert!(ja.contains(term), "ja: missing {term}");
    }
    let en = render_html(&report, Lang::En);
    for term in [
        "terrain high points (radius 1,500 m, relief 30 m); existing towers",
        "clusters: unserved households by village",
        "¥30,000,000",
        "10 years",
        "-110 dBm",
    ] {
        assert!(en.contains(term), "en: missing {term}");
    }
    for term in [
        "Fiber availability rate",
        "Unserved households",
        "¥99,500,000",
        "12,345 households",
    ] {
        assert!(en.contains(term), "en: missing {term}");
    }
    std::fs::write(artifacts("html").join("report-ja.html"), ja).unwrap();
    std::fs::write(artifacts("html").join("report-en.html"), en).unwrap();
}

#[test]
fn render_writes_html_and_refuses_unknown_formats() {
    let report = sample_report();
    let out = artifacts("render").join("nested/report.html");
    render(&report, Lang::En, Format::from_path(&out).unwrap(), &out).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("Sample Islands"));
    let err = Format::from_path(Path::new("report.docx"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("report.docx") && err.contains(".html or .pdf"),
        "{err}"
    );
    let err = "fr".parse::<Lang>().unwrap_err().to_string();
    assert!(err.contains("\"fr\""), "{err}");
}

#[test]
fn nan_and_empty_reports_render_without_panicking() {
    let mut report = sample_report();
    report.summary.households = f64::NAN;
    report.summary.metrics_before.fiber_availability_rate = f64::INFINITY;
    report.plan.sites.clear();
    report.plan.newly_served = 0.0;
    report.municipalities.clear();
    report.islands.clear();
    report.scenarios.clear();
    report.maps.clear();
    report.assumptions = Assumptions::default();
    for lang in Lang::ALL {
        let html = render_html(&report, lang);
        assert!(html.contains(lang.msg(Msg::NoRows)));
        assert!(!html.contains("NaN") && !html.contains("inf"), "{lang}");
        let dir = artifacts(&format!("empty-{lang}"));
        let files = write_tables(&report, lang, &dir).unwrap();
        assert_eq!(files.len(), report_tables(&report, lang).len() + 1);
    }
}

// ---------------------------------------------------------------- tables

fn zip_entry(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn tables_are_written_as_csv_and_one_workbook() {
    let report = sample_report();
    for lang in Lang::ALL {
        let dir = artifacts(&format!("tables-{lang}"));
        let files = write_tables(&report, lang, &dir).unwrap();
        let tables = report_tables(&report, lang);
        assert_eq!(tables.len(), 11);
        assert_eq!(files.len(), tables.len() + 1);
        for (table, file) in tables.iter().zip(&files) {
            assert_eq!(
                file.file_name().unwrap().to_str().unwrap(),
                format!("{}.csv", table.key)
            );
            let bytes = std::fs::read(file).unwrap();
            assert!(
                bytes.starts_with("\u{feff}".as_bytes()),
                "{}: no BOM",
                file.display()
            );
            let text = String::from_utf8(bytes).unwrap();
            let lines: Vec<&str> = text
                .trim_start_matches('\u{feff}')
                .split("\r\n")
                .filter(|l| !l.is_empty())
                .collect();
            assert_eq!(
                lines.len(),
                1 + table.rows.len() + usize::from(table.total.is_some()),
                "{}",
                table.key
            );
            assert_eq!(
                lines[0].split(',').count(),
                table.columns.len(),
                "{}",
                table.key
            );
        }
        let municipalities = std::fs::read_to_string(dir.join("municipalities.csv")).unwrap();
        assert_eq!(municipalities.lines().count(), 1 + 3 + 1);
        assert!(
            municipalities.contains("港町 & 浜村,6000,5700,95,5900,40,10"),
            "{municipalities}"
        );
        let total = lang.msg(Msg::Total);
        assert!(
            municipalities.contains(&format!("{total},12345,11336,")),
            "{municipalities}"
        );
        let header = match lang {
            Lang::Ja => "市町村,世帯数（世帯）",
            Lang::En => "Municipality,Households (households)",
        };
        assert!(municipalities.contains(header), "{municipalities}");
        let sites = std::fs::read_to_string(dir.join("sites.csv")).unwrap();
        // NaN cost per household is an empty cell.
        assert!(sites.contains(",24000000,1800000,\r\n"), "{sites}");

        // The workbook: a sheet per table, a row per CSV line, numbers as numbers.
        let xlsx = files.last().unwrap();
        assert_eq!(xlsx.file_name().unwrap(), "tables.xlsx");
        let workbook = zip_entry(xlsx, "xl/workbook.xml");
        assert_eq!(workbook.matches("<sheet ").count(), tables.len());
        for (i, table) in tables.iter().enumerate() {
            let sheet = zip_entry(xlsx, &format!("xl/worksheets/sheet{}.xml", i + 1));
            assert_eq!(
                sheet.matches("<row ").count(),
                1 + table.rows.len() + usize::from(table.total.is_some()),
                "sheet of {}",
                table.key
            );
        }
        let municipalities_sheet = zip_entry(xlsx, "xl/worksheets/sheet5.xml");
        assert!(
            municipalities_sheet.contains("<v>6000</v>")
                && municipalities_sheet.contains("<v>12345</v>")
        );
        let strings = zip_entry(xlsx, "xl/sharedStrings.xml");
        assert!(
            strings.contains("港町 &amp; 浜村") && strings.contains(lang.msg(Msg::Municipality))
        );
    }
}

// ---------------------------------------------------------------- PDF

fn tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Parses a number as the renderer writes it: `12,345`, `91.8%`, `¥99,500,000`,
/// `9,950万円`, `12億3,457万円`, `8,000円`. Returns the value and how
/// precisely the text states it.
fn parse_figure(token: &str) -> Option<(f64, f64)> {
    let digits = |s: &str| -> Option<f64> {
        let s = s.replace(',', "");
        if s.is_empty() {
            Some(0.0)
        } else {
            s.parse().ok()
        }
    };
    if let Some(p) = token.strip_suffix('%') {
        return Some((digits(p)? / 100.0, 0.0005 + 1e-9));
    }
    if let Some(y) = token.strip_prefix('¥') {
        return Some((digits(y)?, 0.5));
    }
    if let Some(rest) = token.strip_suffix("万円") {
        let (oku, man) = rest.split_once('億').unwrap_or(("", rest));
        return Some((digits(oku)? * 1e8 + digits(man)? * 1e4, 5_000.0));
    }
    if let Some(oku) = token.strip_suffix("億円") {
        return Some((digits(oku)? * 1e8, 5_000.0));
    }
    if let Some(yen) = token.strip_suffix('円') {
        return Some((digits(yen)?, 0.5));
    }
    if token.starts_with(|c: char| c.is_ascii_digit())
        && token
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return Some((digits(token)?, 0.5));
    }
    None
}

/// The figure printed right after `label` in a table row of the PDF text:
/// `label` must start a cell (line start or after two spaces).
fn figure_after(text: &str, label: &str) -> Option<(f64, f64)> {
    for line in text.lines() {
        let mut from = 0;
        while let Some(i) = line[from..].find(label) {
            let at = from + i;
            from = at + label.len();
            let starts_cell =
                line[..at].trim_end_matches(' ').is_empty() || line[..at].ends_with("  ");
            if !starts_cell {
                continue;
            }
            let rest = &line[from..];
            if !rest.starts_with("  ") {
                continue;
            }
            if let Some(found) = rest.split_whitespace().next().and_then(parse_figure) {
                return Some(found);
            }
        }
    }
    None
}

/// The `/FontName`s of the PDF's font descriptors, in plain objects and in
/// Flate-compressed streams (object streams).
fn font_names(pdf: &[u8]) -> Vec<String> {
    fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    }
    let mut texts = vec![pdf.to_vec()];
    let mut at = 0;
    while let Some(start) = find(pdf, b"stream", at) {
        let body = start + b"stream".len();
        let body = if pdf.get(body..body + 2) == Some(b"\r\n") {
            body + 2
        } else {
            body + 1
        };
        let Some(end) = find(pdf, b"endstream", body) else {
            break;
        };
        let mut inflated = Vec::new();
        if flate2::read::ZlibDecoder::new(&pdf[body..end])
            .read_to_end(&mut inflated)
            .is_ok()
        {
            texts.push(inflated);
        }
        at = end + b"endstream".len();
    }
    let mut names = Vec::new();
    for text in &texts {
        let mut from = 0;
        while let Some(i) = find(text, b"/FontName", from) {
            let rest = &text[i + b"/FontName".len()..];
            let name: String = String::from_utf8_lossy(rest)
                .trim_start()
                .trim_start_matches('/')
                .chars()
                .take_while(|c| !c.is_whitespace() && !"/<>[]()".contains(*c))
                .collect();
            names.push(name);
            from = i + 1;
        }
    }
    names.sort();
    names.dedup();
    names
}

#[test]
fn pdf_in_both_languages_matches_the_json_summary() {
    let report = sample_report();
    if let Err(e) = bbcov_report::pdf::find_chromium() {
        eprintln!("SKIPPED pdf test: {e}");
        return;
    }
    if !(tool("pdftotext") && tool("pdfinfo") && tool("pdffonts") && tool("pdftoppm")) {
        eprintln!(
            "SKIPPED pdf test: poppler-utils (pdftotext, pdfinfo, pdffonts, pdftoppm) is not installed"
        );
        return;
    }
    // The JSON summary is what the numbers must match.
    let json: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
    let num = |pointer: &str| {
        json.pointer(pointer)
            .and_then(serde_json::Value::as_f64)
            .unwrap_or_else(|| panic!("{pointer}"))
    };
    let households = num("/summary/households");
    let dir = artifacts("pdf");
    for lang in Lang::ALL {
        let pdf = dir.join(format!("report-{lang}.pdf"));
        render(&report, lang, Format::Pdf, &pdf).unwrap();
        let pdf_s = pdf.to_str().unwrap();

        let text = run("pdftotext", &["-layout", "-enc", "UTF-8", pdf_s, "-"]);
        std::fs::write(dir.join(format!("report-{lang}.txt")), &text).unwrap();
        assert!(
            text.contains(json["region"].as_str().unwrap()),
            "{lang}: region name missing"
        );
        assert!(
            text.contains(&lang.households(households)),
            "{lang}: households {}",
            lang.households(households)
        );
        assert!(text.contains(&lang.date("2026-11-23")));
        for name in ["港町 & 浜村", "北島町", "小島 <北>", "T-2 <co-located>"] {
            assert!(text.contains(name), "{lang}: {name} missing");
        }

        let figures: [(Msg, f64); 8] = [
            (Msg::Households, households),
            (Msg::FiberHouseholds, num("/summary/fiber")),
            (Msg::RadioHouseholds, num("/summary/radio_any")),
            (Msg::Unserved, num("/summary/services/none")),
            (Msg::NewlyServed, num("/plan/newly_served")),
            (Msg::PlanCapex, num("/plan/capex")),
            (
                Msg::FiberRate,
                num("/summary/metrics_before/fiber_availability_rate"),
            ),
            (
                Msg::PopulationCoverage500m,
                num("/summary/metrics_before/population_coverage_500m"),
            ),
        ];
        for (msg, expected) in figures {
            let label = lang.msg(msg);
            let (value, precision) = figure_after(&text, label)
                .unwrap_or_else(|| panic!("{lang}: no figure after {label:?} in\n{text}"));
            assert!(
                (value - expected).abs() <= precision,
                "{lang}: {label}: PDF says {value}, JSON {expected}"
            );
        }
        let cost = num("/plan/capex") / num("/plan/newly_served");
        assert!(
            text.contains(&lang.yen(cost)),
            "{lang}: cost per household {}",
            lang.yen(cost)
        );

        // A4, several pages, numbered.
        let info = run("pdfinfo", &[pdf_s]);
        let size = info
            .lines()
            .find(|l| l.starts_with("Page size:"))
            .expect("page size");
        let dims: Vec<f64> = size
            .split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect();
        assert!(
            dims.len() >= 2 && (dims[0] - 595.0).abs() < 1.5 && (dims[1] - 842.0).abs() < 1.5,
            "{lang}: {size}"
        );
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|p| p.trim().parse().ok())
            .expect("pages");
        assert!(pages >= 2, "{lang}: {pages} pages");
        // Page numbers "n / N" from page 2 on (the title page has none).
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            compact.contains(&format!("2/{pages}"))
                && compact.contains(&format!("{pages}/{pages}")),
            "{lang}: no page numbers"
        );

        // Every font is embedded, and it is Noto Sans CJK JP. Chromium (Skia)
        // embeds CFF-flavoured OpenType fonts such as Noto Sans CJK as Type 3
        // glyph programs, so pdffonts shows no name: the font descriptors do.
        let fonts = run("pdffonts", &[pdf_s]);
        let mut lines = fonts.lines();
        let header = lines.next().unwrap_or_default();
        let emb = header.find("emb").expect("pdffonts header");
        let fonts: Vec<&str> = lines.skip(1).filter(|l| !l.trim().is_empty()).collect();
        assert!(!fonts.is_empty(), "{lang}: no fonts");
        for font in &fonts {
            assert_eq!(
                font.get(emb..emb + 3),
                Some("yes"),
                "{lang}: font not embedded: {font}"
            );
        }
        let names = font_names(&std::fs::read(&pdf).unwrap());
        assert!(
            names.iter().any(|n| n.contains("NotoSansCJKjp")),
            "{lang}: no Noto Sans CJK JP font in the PDF (install fonts-noto-cjk); fonts: {names:?}"
        );

        // Page 1 as PNG, kept as an artifact.
        let prefix = dir.join(format!("report-{lang}-page"));
        run(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                pdf_s,
                prefix.to_str().unwrap(),
            ],
        );
        let page1 = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                name.starts_with(&format!("report-{lang}-page-"))
                    && name.ends_with(".png")
                    && name.trim_end_matches(".png").ends_with('1')
            })
            .expect("page 1 PNG");
        let png = std::fs::read(&page1).unwrap();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 1_000,
            "{}",
            page1.display()
        );
        eprintln!("{lang}: {pages} pages, page 1 at {}", page1.display());
    }
}
