//! `bbcov report` on the sample region, in Japanese and English: the JSON
//! numbers add up, the PDF's text (pdftotext) holds the key figures of the
//! JSON as the report formats them, and page 1 is kept as a PNG
//! (pdftoppm) in `out/report-artifacts/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use bbcov_report::Lang;
use serde_json::Value;

fn region() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/region");
    if dir.join("region.toml").exists() {
        Some(dir.canonicalize().unwrap())
    } else {
        eprintln!("SKIPPED: sample region not generated (run `make sample`)");
        None
    }
}

/// The sample's region file with absolute paths, a quicker radio model (the
/// test runs a debug build) and three new sites.
fn config(region: &Path, dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(region.join("region.toml")).unwrap();
    let text: String = text
        .lines()
        .map(|l| match l.split_once(" = \"") {
            Some((key, value)) if [".gpkg\"", ".tif\"", ".csv\"", ".geojson\""].iter().any(|e| value.ends_with(e)) => {
                format!("{key} = \"{}/{}", region.display(), value)
            }
            _ => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let path = dir.join("region.toml");
    std::fs::write(&path, format!("{text}\n\n[radio]\nmodel = \"diffraction\"\nradius_m = 4000\n\n[plan]\nsites = 3\n")).unwrap();
    path
}

fn report(config: &Path, lang: &str, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bbcov"))
        .args(["report", "--quiet", "--config", config.to_str().unwrap(), "--lang", lang, "-o", out.to_str().unwrap()])
        .output()
        .unwrap()
}

fn t_text_contains(text: &[u8], needle: &str) -> bool {
    String::from_utf8_lossy(text).contains(needle)
}

/// Whether a command-line tool runs.
fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// The figures the report's reader checks first, formatted as the report prints them.
fn key_figures(json: &Value, lang: Lang) -> Vec<String> {
    let s = &json["summary"];
    let unserved = f(&s["services"]["none"]);
    vec![
        lang.count(f(&s["households"])),
        lang.percent(f(&s["metrics_before"]["fiber_availability_rate"])),
        lang.count(unserved),
        lang.count(unserved - f(&json["plan"]["newly_served"])),
        lang.count(f(&json["plan"]["newly_served"])),
        lang.yen(f(&json["plan"]["capex"])),
    ]
}

/// The key figures of page 1 (the PNG artifact), as the report prints them:
/// households, fiber availability rate, radio coverage, unserved today and
/// with the plan, the plan's sites and capital cost.
fn page1_figures(json: &Value, lang: Lang) -> Vec<String> {
    let s = &json["summary"];
    let households = f(&s["households"]);
    let unserved = f(&s["services"]["none"]);
    let sites = json["plan"]["sites"].as_array().unwrap().len();
    vec![
        lang.households(households),
        lang.percent(f(&s["metrics_before"]["fiber_availability_rate"])),
        lang.percent(f(&s["radio_any"]) / households),
        lang.households(unserved),
        lang.households(unserved - f(&json["plan"]["newly_served"])),
        match lang {
            Lang::Ja => format!("{sites}局"),
            Lang::En => format!("{sites} sites"),
        },
        lang.yen(f(&json["plan"]["capex"])),
    ]
}

/// The JSON's own invariants: area rows add up to the totals; every
/// scenario's served + unserved is the total; the sites' new households add up
/// to the plan's newly served households.
fn check_numbers(json: &Value) {
    let s = &json["summary"];
    let total = f(&s["households"]);
    let sv = &s["services"];
    assert_eq!(f(&sv["fiber_only"]) + f(&sv["radio_only"]) + f(&sv["both"]) + f(&sv["none"]), total);
    assert_eq!(f(&s["fiber"]) / total, f(&s["metrics_before"]["fiber_availability_rate"]));
    for table in ["municipalities", "islands"] {
        let rows = json[table].as_array().unwrap();
        assert!(!rows.is_empty(), "{table}");
        let sum = |k: &str| rows.iter().map(|r| f(&r[k])).sum::<f64>();
        assert_eq!(sum("households"), total, "{table}");
        assert_eq!(sum("unserved"), f(&sv["none"]), "{table}");
        assert_eq!(sum("unserved_after_plan"), f(&sv["none"]) - f(&json["plan"]["newly_served"]), "{table}");
    }
    let scenarios = json["scenarios"].as_array().unwrap();
    let keys: Vec<&str> = scenarios.iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["baseline", "fiber_extension", "new_sites", "combined"]);
    for sc in scenarios {
        assert_eq!(f(&sc["served"]) + f(&sc["unserved"]), total, "{sc}");
    }
    let sites = json["plan"]["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 3);
    assert_eq!(sites.iter().map(|s| f(&s["new_households"])).sum::<f64>(), f(&json["plan"]["newly_served"]));
    assert_eq!(f(&scenarios[2]["newly_served"]), f(&json["plan"]["newly_served"]));
    assert!(json["assumptions"]["sources"].as_array().unwrap().iter().any(|s| s["key"] == "households" && s["crs"] == "EPSG:6668"));
}

#[test]
fn report_in_both_languages() {
    let Some(region) = region() else { return };
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&region, dir.path());
    let pdf_tools = bbcov_report::pdf::find_chromium().is_ok() && have("pdftotext") && have("pdftoppm");
    if !pdf_tools {
        eprintln!("SKIPPED (PDF part): Chromium, pdftotext or pdftoppm missing (scripts/setup.sh installs them); checking the HTML report only");
    }
    let artifacts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../out/report-artifacts");
    let mut numbers = Vec::new();
    for (code, lang) in [("ja", Lang::Ja), ("en", Lang::En)] {
        let ext = if pdf_tools { "pdf" } else { "html" };
        let out = dir.path().join(format!("report-{code}.{ext}"));
        let o = report(&cfg, code, &out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let json: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join(format!("report-{code}.json"))).unwrap()).unwrap();
        check_numbers(&json);
        let tables = dir.path().join(format!("report-{code}-tables"));
        assert!(tables.join("tables.xlsx").exists() && tables.join("municipalities.csv").exists());

        let text = if pdf_tools {
            let t = Command::new("pdftotext").args(["-layout", out.to_str().unwrap(), "-"]).output().unwrap();
            assert!(t.status.success());
            let page1 = dir.path().join(format!("report-{code}-page1"));
            let p = Command::new("pdftoppm")
                .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", out.to_str().unwrap(), page1.to_str().unwrap()])
                .output()
                .unwrap();
            assert!(p.status.success(), "{}", String::from_utf8_lossy(&p.stderr));
            let png = page1.with_extension("png");
            assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
            std::fs::create_dir_all(&artifacts).unwrap();
            std::fs::copy(&png, artifacts.join(format!("report-{code}-page1.png"))).unwrap();
            // Page 1 alone tells the story: its key figures are the JSON's.
            let p1 = Command::new("pdftotext").args(["-layout", "-f", "1", "-l", "1", out.to_str().unwrap(), "-"]).output().unwrap();
            assert!(p1.status.success());
            let page1_text = String::from_utf8(p1.stdout).unwrap();
            for figure in page1_figures(&json, lang) {
                assert!(page1_text.contains(&figure), "{code}: {figure:?} is not on page 1:\n{page1_text}");
            }
            // Japanese throughout: no English phrase of the appendix or the map captions.
            if lang == Lang::Ja {
                for english in ["terrain", "illustrative", "outdoor", "spur", "lon/lat", "Data:", "north up"] {
                    assert!(!t_text_contains(&t.stdout, english), "ja: {english:?} in the report");
                }
            }
            String::from_utf8(t.stdout).unwrap()
        } else {
            std::fs::read_to_string(&out).unwrap()
        };
        for figure in key_figures(&json, lang) {
            assert!(text.contains(&figure), "{code}: {figure:?} is not in the report:\n{text}");
        }
        for m in json["municipalities"].as_array().unwrap() {
            let name = m["name"].as_str().unwrap();
            // pdftotext may wrap a name in a narrow column: check its first word.
            assert!(text.contains(name.split(' ').next().unwrap()), "{code}: {name}");
        }
        numbers.push(json);
    }
    // The numbers do not depend on the language.
    assert_eq!(numbers[0], numbers[1]);
}

#[test]
fn bad_language_or_extension_is_refused() {
    let Some(region) = region() else { return };
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&region, dir.path());
    let o = report(&cfg, "fr", &dir.path().join("r.html"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown report language \"fr\""), "{}", String::from_utf8_lossy(&o.stderr));
    let o = report(&cfg, "en", &dir.path().join("r.docx"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(".html or .pdf"), "{}", String::from_utf8_lossy(&o.stderr));
}
