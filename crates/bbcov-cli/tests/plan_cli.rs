//! `bbcov plan` on the sample region: the plan's figures agree with its own
//! layers, and infeasible requests are refused with the shortfall.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn region() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/region");
    if dir.join("region.toml").exists() {
        Some(dir.canonicalize().unwrap())
    } else {
        eprintln!("SKIPPED: sample region not generated (run `make sample`)");
        None
    }
}

/// The sample's region file with absolute paths and `extra` appended to its `[plan]` table.
fn config(region: &Path, dir: &Path, plan: &str) -> PathBuf {
    let text = std::fs::read_to_string(region.join("region.toml")).unwrap();
    let text: String = text
        .lines()
        .map(|l| match l.split_once(" = \"") {
            Some((key, value)) if value.ends_with(".gpkg\"") || value.ends_with(".tif\"") || value.ends_with(".csv\"") || value.ends_with(".geojson\"") => {
                format!("{key} = \"{}/{}", region.display(), value)
            }
            _ => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let path = dir.join("region.toml");
    std::fs::write(&path, format!("{text}\n\n[radio]\nmodel = \"diffraction\"\nradius_m = 5000\n\n[plan]\n{plan}\n")).unwrap();
    path
}

fn plan(config: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bbcov")).args(["plan", "--quiet", "--config", config.to_str().unwrap(), "-o", out.to_str().unwrap()]).output().unwrap()
}

#[test]
fn plan_figures_match_its_layers() {
    let Some(region) = region() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = plan(&config(&region, dir.path(), "sites = 3\nlocked = [\"grid-12-6\"]"), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    let f = |k: &str| summary[k].as_f64().unwrap();
    assert_eq!((summary["new_sites"].as_u64(), summary["locked_sites"].as_u64()), (Some(2), Some(1)), "p = 3 counts the locked site");
    assert_eq!(summary["sites"][0]["id"], "grid-12-6", "the locked site comes first");
    assert!(f("bound") >= f("objective") && f("gap") >= 0.0);
    assert!(f("newly_served") <= f("unserved_before"));

    // The unserved layer, read back independently: its weight is the plan's
    // "unserved_before", and the part flagged as covered is "newly_served".
    let ds = gdal::Dataset::open(out.join("unserved.gpkg")).unwrap();
    let mut layer = ds.layer(0).unwrap();
    use gdal::vector::LayerAccess;
    let (mut total, mut covered) = (0.0, 0.0);
    for feature in layer.features() {
        let w = feature.field_as_double(feature.field_index("weight").unwrap()).unwrap().unwrap();
        total += w;
        if feature.field_as_integer(feature.field_index("covered_by_plan").unwrap()).unwrap() == Some(1) {
            covered += w;
        }
    }
    assert_eq!(total, f("unserved_before"));
    assert_eq!(covered, f("newly_served"));
    // New 5G sites never lower the regulator's coverage figures.
    let m = &summary["metrics"];
    let metric = |when: &str, key: &str| m[when][key].as_f64().unwrap();
    for key in ["5g_population_coverage_by_500m_square", "10km_square_share"] {
        assert!(metric("after", key) >= metric("before", key), "{key}: {m}");
        assert!((0.0..=1.0).contains(&metric("after", key)));
    }
    let sites: f64 = summary["sites"].as_array().unwrap().iter().map(|s| s["new_households"].as_f64().unwrap()).sum();
    assert_eq!(sites, covered);
}

#[test]
fn infeasible_requests_say_by_how_much() {
    let Some(region) = region() else { return };
    let dir = tempfile::tempdir().unwrap();
    let o = plan(&config(&region, dir.path(), "budget = 1000"), &dir.path().join("out"));
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("budget") && stderr.contains("more than"), "{stderr}");
    let o = plan(&config(&region, dir.path(), "locked = [\"nowhere\"]"), &dir.path().join("out3"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no candidate \"nowhere\""));
    let o = plan(&config(&region, dir.path(), "target_share = 1.0"), &dir.path().join("out2"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.code() == Some(2) && stderr.contains("short of"), "{stderr}");
}

/// A user's own candidate list: its positions enter the plan (here locked in).
#[test]
fn user_candidates_are_offered() {
    let Some(region) = region() else { return };
    let dir = tempfile::tempdir().unwrap();
    let towers = std::fs::read_to_string(region.join("towers.csv")).unwrap();
    let first: Vec<&str> = towers.lines().nth(1).unwrap().split(',').collect();
    std::fs::write(dir.path().join("mine.csv"), format!("id,lon,lat\nmy-1,{},{}\n", first[1], first[2])).unwrap();
    let cfg = config(&region, dir.path(), &format!("sites = 2\nlocked = [\"my-1\"]\ncandidates = \"{}\"", dir.path().join("mine.csv").display()));
    let out = dir.path().join("out");
    let o = plan(&cfg, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(summary["sites"][0]["id"], "my-1");
}
