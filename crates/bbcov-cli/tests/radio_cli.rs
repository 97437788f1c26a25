//! `bbcov radio` end to end on the sample region, and its input errors.

use std::path::PathBuf;
use std::process::{Command, Output};

fn region() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/region");
    if dir.join("dem.tif").exists() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: sample region not generated (run `make sample`)");
        None
    }
}

fn bbcov(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bbcov")).arg("radio").args(args).arg("--quiet").output().unwrap()
}

/// The households written with their RSRP agree with the summary: a
/// household is radio-covered exactly when its indoor RSRP reaches -110 dBm.
#[test]
fn radio_on_the_sample_region() {
    let Some(region) = region() else { return };
    let out = tempfile::tempdir().unwrap();
    let p = |name: &str| region.join(name).to_string_lossy().into_owned();
    let o = |name: &str| out.path().join(name).to_string_lossy().into_owned();
    let result = bbcov(&[
        "--dem", &p("dem.tif"), "--sites", &p("towers.csv"), "--technology", "lte", "--model", "diffraction", "--radius", "3000",
        "-o", &o("rsrp.tif"), "--contours", &o("bands.gpkg"),
        "--households", &p("households.gpkg"), "--weight-field", "households", "--households-output", &o("hh.csv"),
    ]);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    assert!(out.path().join("rsrp.tif").exists() && out.path().join("bands.gpkg").exists());
    let csv = std::fs::read_to_string(out.path().join("hh.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (rsrp, covered) = (col("rsrp_dbm"), col("radio_covered"));
    let mut n_covered = 0;
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let r: f64 = f[rsrp].parse().unwrap_or(f64::NEG_INFINITY);
        assert_eq!(f[covered] == "1", r >= -110.0, "{line}");
        n_covered += usize::from(f[covered] == "1");
    }
    assert!(n_covered > 0);

    // The RSRP map holds dBm in (-250, 0) where computed, its nodata elsewhere.
    let ds = gdal::Dataset::open(out.path().join("rsrp.tif")).unwrap();
    let band = ds.rasterband(1).unwrap();
    let nodata = band.no_data_value();
    let values = band.read_band_as::<f64>().unwrap();
    let computed: Vec<f64> = values.data().iter().copied().filter(|v| !v.is_nan() && Some(*v) != nodata).collect();
    assert!(!computed.is_empty() && computed.iter().all(|v| (-250.0..0.0).contains(v)));
}

#[test]
fn sites_outside_the_dem_and_bad_outputs_are_refused() {
    let Some(region) = region() else { return };
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("sites.csv");
    std::fs::write(&sites, "site_id,lon,lat,height_m,technology,frequency_mhz,eirp_dbm\nfar,135.0,35.0,30,4G,800,60\n").unwrap();
    let dem = region.join("dem.tif").to_string_lossy().into_owned();
    let out = dir.path().join("rsrp.tif").to_string_lossy().into_owned();
    let r = bbcov(&["--dem", &dem, "--sites", sites.to_str().unwrap(), "--model", "diffraction", "-o", &out]);
    assert_eq!(r.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(stderr.contains("far") && stderr.contains("DEM"), "{stderr}");
    assert!(!dir.path().join("rsrp.tif").exists());

    let r = bbcov(&["--dem", &dem, "--sites", sites.to_str().unwrap(), "-o", &dir.path().join("x.png").to_string_lossy()]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("GeoTIFF"));
}
