//! `fiber_coverage` on a seeded synthetic region (see `bbcov_benches::region`):
//! 100k, 1M and 5M clustered households against a 10,000-segment network,
//! drop limit 500 m. Each iteration is the whole call, index building included.
//!
//! Run: `cargo bench -p bbcov-benches --bench fiber` (a few minutes);
//! one size: `cargo bench -p bbcov-benches --bench fiber -- 1M`.

use std::time::Duration;

use bbcov_benches::region::{EPSG, region};
use bbcov_core::{Crs, FiberNetwork, Households, fiber_coverage};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

const D_M: f64 = 500.0;

fn fiber(c: &mut Criterion) {
    let crs = Crs::Projected { epsg: EPSG };
    let mut group = c.benchmark_group("fiber_coverage");
    for (name, n, samples, seconds) in [("100k", 100_000, 20, 5), ("1M", 1_000_000, 10, 10), ("5M", 5_000_000, 10, 20)]
    {
        let (xy, routes) = region(n);
        let households = Households::new(crs, xy, None, None).unwrap();
        let fiber = FiberNetwork::new(crs, routes, None).unwrap();
        group.sample_size(samples).measurement_time(Duration::from_secs(seconds)).warm_up_time(Duration::from_secs(1));
        group.sampling_mode(if n >= 1_000_000 { SamplingMode::Flat } else { SamplingMode::Auto });
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &(households, fiber), |b, (hh, fiber)| {
            b.iter(|| fiber_coverage(hh, fiber, D_M).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, fiber);
criterion_main!(benches);
