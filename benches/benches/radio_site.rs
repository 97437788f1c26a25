//! One site's radio coverage (`site_coverage`, free space + Bullington
//! diffraction, 15 km radius) on the sample region's 30 m DEM: the sweep the
//! browser map reruns when a planner moves a site (about 0.6–1.0 M cells per
//! site). Five sites at fixed places on the DEM (coast, hills, open sea in
//! view), a 40 m omni LTE 800 MHz antenna each; one thread, as in the
//! browser, and all of the machine's threads.
//!
//! Run: `cargo bench -p bbcov-benches --bench radio_site` (after `make sample`,
//! which writes `data-samples/region/dem.tif`; without it the bench says so
//! and measures nothing). `BBCOV_BENCH_DEM=path.tif` runs it on another DEM.

use std::path::Path;
use std::time::Duration;

use bbcov_core::{Antenna, CoverageOptions, RadioModel, Site, Technology, site_coverage};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const DEM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../data-samples/region/dem.tif");
/// Sites as fractions (east, north) of the DEM's extent.
const SITES: [(f64, f64); 5] = [(0.5, 0.5), (0.4, 0.6), (0.6, 0.4), (0.3, 0.3), (0.55, 0.45)];

fn radio_site(c: &mut Criterion) {
    let path = std::env::var("BBCOV_BENCH_DEM").unwrap_or_else(|_| DEM.to_owned());
    if !Path::new(&path).exists() {
        eprintln!("radio_site: skipped, {path} is missing (run `make sample`)");
        return;
    }
    let dem = bbcov_io::read_dem(Path::new(&path), &Default::default()).expect("a readable DEM");
    let [x0, y0, x1, y1] = dem.bounds();
    let options = CoverageOptions::new(15_000.0, RadioModel::Diffraction { extrapolate: false }).with_clip_to_dem(true);
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a one-thread pool");
    let mut group = c.benchmark_group("site_coverage_diffraction_15km");
    group.sample_size(10).measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    for (k, (fx, fy)) in SITES.into_iter().enumerate() {
        let position = [x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)];
        let site = Site::new(format!("s{k}"), position, 40.0, Technology::Lte, 800.0, 20.0, 46.0, 0.0, Antenna::omni(15.0).unwrap())
            .expect("a valid site");
        let cells = site_coverage(&dem, &site, &options, &()).expect("the site's coverage").computed_count();
        group.throughput(Throughput::Elements(cells as u64));
        group.bench_with_input(BenchmarkId::new("1 thread", k), &site, |b, site| {
            b.iter(|| one_thread.install(|| site_coverage(&dem, site, &options, &()).unwrap()))
        });
        group.bench_with_input(BenchmarkId::new("all threads", k), &site, |b, site| {
            b.iter(|| site_coverage(&dem, site, &options, &()).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, radio_site);
criterion_main!(benches);
