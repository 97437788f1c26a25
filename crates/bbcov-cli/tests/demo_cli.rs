//! `bbcov demo` on the bundled sample region, and region-file errors.

use std::path::PathBuf;
use std::process::Command;

fn region() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/region/region.toml");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("SKIPPED: sample region not generated (run `make sample`)");
        None
    }
}

/// The demo's total equals the household count summed independently from
/// the sample's CSV copy, and every household lands in the output layer.
#[test]
fn demo_on_the_sample_region() {
    let Some(region) = region() else { return };
    let out = tempfile::tempdir().unwrap();
    // The sample's region file with a quicker radio model (the test runs a debug build).
    let text = std::fs::read_to_string(&region).unwrap();
    let quick = region.with_file_name(".region-test-quick.toml");
    std::fs::write(&quick, format!("{text}\n[radio]\nmodel = \"diffraction\"\nradius_m = 4000\n\n[plan]\nsites = 2\n")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_bbcov"))
        .args(["demo", "--quiet", "--region", quick.to_str().unwrap(), "-o", out.path().to_str().unwrap()])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&quick);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("Siting plan") && out.path().join("plan.json").exists(), "{stdout}");

    let csv = std::fs::read_to_string(region.with_file_name("households.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "households").unwrap();
    let total: u64 = csv.lines().skip(1).map(|l| l.split(',').nth(col).unwrap().parse::<u64>().unwrap()).sum();
    let points = csv.lines().count() - 1;
    let total_row = stdout.lines().find(|l| l.starts_with("total")).expect("a total row");
    let printed: u64 = total_row.split_whitespace().nth(1).unwrap().replace(',', "").parse().unwrap();
    assert_eq!(printed, total, "{stdout}");

    let hh = bbcov_io::read_households(&out.path().join("fiber.gpkg"), &Default::default()).unwrap();
    assert_eq!(hh.len(), points);
}

#[test]
fn region_file_errors_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("region.toml");
    std::fs::write(&path, "households = \"h.gpkg\"\nfiber = \"f.gpkg\"\nmax_drop = 300\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_bbcov")).args(["demo", "--region", path.to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("unknown field `max_drop`"), "{stderr}");
}
