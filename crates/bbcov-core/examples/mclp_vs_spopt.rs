//! Side-by-side run of `bbcov_core::siting::max_covering` against the spopt
//! peer (PySAL spopt MCLP + CBC, ../shared/peers) on the peer's own input:
//! 10,000 weighted demand points, 500 candidates, covered iff the euclidean
//! distance is at most 3,000 m, p = 5 and p = 20.
//!
//! ```sh
//! # the peers' input (seeded; byte-identical on every run):
//! cp -r ../shared/peers /tmp/peers && (cd /tmp/peers && PYTHON gen/mclp_data.py)
//! cargo run --release -p bbcov-core --example mclp_vs_spopt -- /tmp/peers [PYTHON] [--no-peer]
//! ```
//!
//! PEERS is a copy of the peers directory holding `data/mclp/demand_10k.csv`
//! and `candidates_500.csv`. With a Python that has spopt and PuLP (PYTHON, or
//! `$PEER_PYTHON`, or `PEERS/.venv/bin/python`), the peer runs in the same
//! invocation (`run/mclp_spopt.py --p P`) and the measured ratio is printed
//! next to the ratio to the published seconds (RESULTS.md).
//!
//! bbcov's time, like the peer's `seconds`, excludes reading the CSV files and
//! includes building the coverage (the peer: distance matrix, model build and
//! solve; bbcov: coverage sets by radius and the solve, bound included). It is
//! the median of 7 runs on rayon's global pool (set RAYON_NUM_THREADS=1 for a
//! single thread; CBC ran single-threaded).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use bbcov_core::siting::{CoverageSets, SitingPlan, max_covering};

const RADIUS_M: f64 = 3000.0;
/// (p, proven optimum, spopt seconds) from ../shared/peers/RESULTS.md.
const PUBLISHED: [(usize, f64, f64); 2] = [(5, 29_955.0, 46.95), (20, 57_502.0, 60.92)];
const RUNS: usize = 7;

type BoxError = Box<dyn std::error::Error>;

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let no_peer = args.iter().any(|a| a == "--no-peer");
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let peers = PathBuf::from(positional.first().map(|s| s.as_str()).unwrap_or("/tmp/peers"));
    let data = peers.join("data/mclp");
    let (demand, weights) = read_points(&data.join("demand_10k.csv"), true)?;
    let (candidates, _) = read_points(&data.join("candidates_500.csv"), false)?;
    let python = positional
        .get(1)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("PEER_PYTHON").map(PathBuf::from))
        .or_else(|| Some(peers.join(".venv/bin/python")).filter(|p| p.exists()))
        .filter(|_| !no_peer);
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!(
        "MCLP {} demand points (total weight {}), {} candidates, r = {RADIUS_M} m; {} threads available (RAYON_NUM_THREADS={})",
        demand.len(),
        weights.iter().sum::<f64>(),
        candidates.len(),
        threads,
        std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "unset".into())
    );
    for (p, optimum, spopt_s) in PUBLISHED {
        let mut times = Vec::with_capacity(RUNS);
        let mut build_times = Vec::with_capacity(RUNS);
        let mut plan: Option<SitingPlan> = None;
        for _ in 0..RUNS {
            let t0 = Instant::now();
            let sets = CoverageSets::within_radius(&demand, weights.clone(), &candidates, RADIUS_M)?;
            let built = t0.elapsed().as_secs_f64();
            let solved = max_covering(&sets, p)?;
            times.push(t0.elapsed().as_secs_f64());
            build_times.push(built);
            if let Some(previous) = &plan {
                assert_eq!(previous, &solved, "runs must give identical plans");
            }
            plan = Some(solved);
        }
        let plan = plan.expect("at least one run");
        let t = median(times);
        let check = CoverageSets::within_radius(&demand, weights.clone(), &candidates, RADIUS_M)?
            .covered_weight(&plan.sites)?;
        assert_eq!(check, plan.covered_weight, "objective = recomputed covered weight");
        let mut sorted = plan.sites.clone();
        sorted.sort_unstable();
        println!("\np = {p}: sites {sorted:?}");
        println!(
            "  bbcov   covered {} ({:.2} % of weight) = {:.3} % of spopt's proven optimum {optimum}; bound {} (gap {:.3} %{}); \
             {} greedy sites, {} moves, {} bound iterations",
            plan.covered_weight,
            100.0 * plan.covered_share(),
            100.0 * plan.covered_weight / optimum,
            plan.bound,
            100.0 * plan.gap,
            if plan.is_proven_optimal() { ", proven optimal" } else { "" },
            plan.iterations.greedy,
            plan.iterations.moves,
            plan.iterations.bound,
        );
        println!(
            "  time    {:.4} s (coverage sets {:.4} s + solve {:.4} s; median of {RUNS}); published spopt {spopt_s} s -> {:.0}x faster",
            t,
            median(build_times.clone()),
            t - median(build_times),
            spopt_s / t
        );
        if let Some(python) = &python {
            match run_peer(&peers, python, p) {
                Ok((seconds, objective)) => println!(
                    "  spopt   measured now: {seconds:.2} s, objective {objective} -> {:.0}x faster (bbcov {:.3} % of spopt's objective)",
                    seconds / t,
                    100.0 * plan.covered_weight / objective
                ),
                Err(e) => println!("  spopt   not run: {e}"),
            }
        }
    }
    Ok(())
}

/// Reads `id,x,y[,weight]` rows.
fn read_points(path: &Path, with_weight: bool) -> Result<(Vec<[f64; 2]>, Vec<f64>), BoxError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: {e} (generate it with gen/mclp_data.py)", path.display()))?;
    let mut points = Vec::new();
    let mut weights = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let field = |i: usize| -> Result<f64, BoxError> {
            Ok(f.get(i).ok_or_else(|| format!("{}:{}: missing field {i}", path.display(), n + 1))?.trim().parse()?)
        };
        points.push([field(1)?, field(2)?]);
        if with_weight {
            weights.push(field(3)?);
        }
    }
    Ok((points, weights))
}

/// Runs the peer once; returns its `seconds` and objective.
fn run_peer(peers: &Path, python: &Path, p: usize) -> Result<(f64, f64), BoxError> {
    let out = Command::new(python).current_dir(peers).args(["run/mclp_spopt.py", "--p", &p.to_string()]).output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().rev().find(|l| l.contains("\"seconds\"")).ok_or_else(|| {
        format!("no result line (exit {:?}): {}", out.status.code(), String::from_utf8_lossy(&out.stderr).trim())
    })?;
    Ok((json_number(line, "\"seconds\":")?, json_number(line, "\"objective\":")?))
}

/// The number after `key` in a flat JSON line (std only: no JSON parser in bbcov-core).
fn json_number(line: &str, key: &str) -> Result<f64, BoxError> {
    let at = line.find(key).ok_or_else(|| format!("no {key} in {line}"))? + key.len();
    let rest = line[at..].trim_start();
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    Ok(rest[..end].trim().parse()?)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
