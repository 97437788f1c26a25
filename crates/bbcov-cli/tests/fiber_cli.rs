//! The `bbcov fiber` command end to end: outputs, summaries and bad input.

use std::path::Path;
use std::process::{Command, Output};

use bbcov_io::{LayerSpec, read_households};

fn bbcov(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bbcov")).args(args).arg("--quiet").output().expect("bbcov runs")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// A route along y = 0 from x = 0 to 1000 m in JGD2011 / CS II (EPSG:6670).
const ROUTE_6670: &str = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::6670"}},
"features":[{"type":"Feature","properties":{"route":"R1"},"geometry":{"type":"LineString","coordinates":[[0,0],[1000,0]]}}]}"#;

#[test]
fn distances_summary_and_output() {
    let dir = tempfile::tempdir().unwrap();
    let fiber = write(dir.path(), "fiber.geojson", ROUTE_6670);
    let hh = write(dir.path(), "hh.csv", "id,x,y,n,town\na,500,250,3,North\nb,500,-400,2,South\nc,1300,400,1,North\n");
    let out = dir.path().join("out.gpkg");
    let o = bbcov(&["fiber", "--households", &hh, "--households-crs", "EPSG:6670", "--weight-field", "n", "--id-field", "id", "--by", "town", "--fiber", &fiber, "--max-drop", "300", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    // North: a (3, served at 250 m) + c (1, 500 m away); South: b (2, 400 m).
    assert!(stdout.contains("North           4       3         1      75.0"), "{stdout}");
    assert!(stdout.contains("total           6       3         3      50.0"), "{stdout}");

    let back = read_households(&out, &LayerSpec { weight_field: Some("fiber_distance_m".into()), id_field: Some("id".into()), ..Default::default() }).unwrap();
    assert_eq!(back.ids().unwrap(), ["a", "b", "c"]);
    assert_eq!(back.weights(), [250.0, 400.0, 500.0]);
}

/// Households in JGD2011 lon/lat, routes in JGD2011 / CS II metres: the
/// command reprojects the routes. The CS II origin is 33° N, 131° E, so a
/// household 0.002° north of it is 221.8 m (meridian arc on GRS80) from a route
/// through the origin along the x axis, give or take CS II's scale 0.9999.
#[test]
fn reprojects_routes_to_the_households_crs() {
    let dir = tempfile::tempdir().unwrap();
    let fiber = write(dir.path(), "fiber.geojson", &ROUTE_6670.replace("[[0,0],[1000,0]]", "[[-1000,0],[1000,0]]"));
    let hh = write(dir.path(), "hh.csv", "lon,lat\n131.0,33.002\n");
    let out = dir.path().join("out.csv");
    let o = bbcov(&["fiber", "--households", &hh, "--fiber", &fiber, "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    let d: f64 = text.lines().nth(1).unwrap().split(',').nth(3).unwrap().parse().unwrap();
    assert!((d - 221.81).abs() < 0.05, "{text}");
}

fn assert_refused(args: &[&str], needle: &str, dir: &Path) {
    let o = bbcov(args);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
    let leftovers: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().contains("out")).collect();
    assert!(leftovers.is_empty(), "files left behind: {leftovers:?}");
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fiber = write(d, "fiber.geojson", ROUTE_6670);
    let good = write(d, "good.csv", "x,y\n1,2\n");
    let out = d.join("out.gpkg");
    let out = out.to_str().unwrap();
    fn run<'a>(hh: &'a str, fiber: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
        [&["fiber", "--households", hh, "--fiber", fiber, "-o", out, "--households-crs", "EPSG:6670"][..], extra].concat()
    }

    let nan = write(d, "nan.csv", "x,y\n1,2\nNaN,5\n");
    assert_refused(&run(&nan, &fiber, out, &[]), "line 3", d);
    let empty = write(d, "empty.csv", "x,y\n");
    assert_refused(&run(&empty, &fiber, out, &[]), "empty", d);
    let negative = write(d, "neg.csv", "x,y,w\n1,2,-3\n");
    assert_refused(&run(&negative, &fiber, out, &["--weight-field", "w"]), "invalid weight -3", d);
    assert_refused(&run(&good, &fiber, out, &["--weight-field", "nope"]), "no field \"nope\"", d);
    let zero = write(d, "zero.geojson", &ROUTE_6670.replace("[[0,0],[1000,0]]", "[[5,5],[5,5]]"));
    assert_refused(&["fiber", "--households", &good, "--households-crs", "EPSG:6670", "--fiber", &zero, "-o", out], "zero-length line", d);
    assert_refused(&run(&good, &fiber, out, &["--fiber-crs", "EPSG:999999"]), "unknown coordinate reference system", d);
    let garbage = write(d, "garbage.gpkg", "this is not a geopackage");
    assert_refused(&["fiber", "--households", &garbage, "--fiber", &fiber, "-o", out], "cannot open", d);
    assert_refused(&run(&good, &fiber, out, &["--max-drop=-5"]), "max_drop_m = -5", d);
    let xy_no_crs = ["fiber", "--households", &good, "--fiber", &fiber, "-o", out];
    assert_refused(&xy_no_crs, "no coordinate reference system", d);
    let far = write(d, "far.csv", "lon,lat\n129,33\n200,33\n");
    assert_refused(&["fiber", "--households", &far, "--fiber", &fiber, "-o", out], "longitude outside", d);
}

/// `--mesh 500m` summarizes by 1/2 grid square: Tokyo Tower (35.658581 N,
/// 139.745433 E) lies in 533935992 (Statistics Bureau definition; the code
/// published for it in the jismesh documentation).
#[test]
fn summary_by_grid_square() {
    let dir = tempfile::tempdir().unwrap();
    let hh = write(dir.path(), "hh.csv", "lon,lat\n139.745433,35.658581\n");
    let fiber = write(dir.path(), "f.csv", "id,WKT\n1,\"LINESTRING (139.74 35.65, 139.75 35.65)\"\n");
    let out = dir.path().join("out.csv");
    let o = bbcov(&["fiber", "--households", &hh, "--fiber", &fiber, "--fiber-crs", "EPSG:4326", "--mesh", "500m", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("533935992"), "{stdout}");
    assert!(std::fs::read_to_string(&out).unwrap().contains("mesh_500m"));
}
