//! Site selection through the public API: invariants of every plan (the
//! objective is the recomputed covered weight, constraints hold, local search
//! never loses to the greedy, the bound is on the right side of the optimum),
//! agreement with brute-force enumeration on small instances, locked-in
//! sites, identical results on any number of threads, progress and
//! cancellation, and the error messages for infeasible or bad input.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use bbcov_core::siting::{
    CoverageSets, SitingOptions, SitingPlan, SitingProblem, budgeted_covering, budgeted_covering_with, max_covering,
    max_covering_with, target_covering, target_covering_with,
};
use bbcov_core::{Error, Progress};
use proptest::prelude::*;

/// xorshift64*: a tiny deterministic generator for test instances.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Clustered demand and candidates in a square, covered within `radius`.
fn clustered(seed: u64, demand: usize, candidates: usize, side: f64, radius: f64) -> CoverageSets {
    let mut rng = Rng(seed.max(1));
    let centres: Vec<[f64; 2]> = (0..12).map(|_| [rng.unit() * side, rng.unit() * side]).collect();
    let near = |rng: &mut Rng| {
        let c = centres[rng.below(centres.len() as u64) as usize];
        [c[0] + (rng.unit() - 0.5) * side / 5.0, c[1] + (rng.unit() - 0.5) * side / 5.0]
    };
    let points: Vec<[f64; 2]> = (0..demand).map(|_| near(&mut rng)).collect();
    let weights: Vec<f64> = (0..demand).map(|_| 1.0 + rng.below(30) as f64).collect();
    let sites: Vec<[f64; 2]> = (0..candidates)
        .map(|j| if j % 3 == 0 { [rng.unit() * side, rng.unit() * side] } else { near(&mut rng) })
        .collect();
    CoverageSets::within_radius(&points, weights, &sites, radius).unwrap()
}

/// A small random instance: weights (integer or not), costs, random incidence.
fn small(seed: u64, demand: usize, candidates: usize, integral: bool) -> CoverageSets {
    let mut rng = Rng(seed.max(1));
    let weights: Vec<f64> =
        (0..demand).map(|_| if integral { rng.below(10) as f64 } else { rng.unit() * 10.0 }).collect();
    let lists: Vec<Vec<usize>> =
        (0..candidates).map(|_| (0..demand).filter(|_| rng.below(100) < 30).collect()).collect();
    let costs: Vec<f64> = (0..candidates).map(|_| 1.0 + rng.below(5) as f64).collect();
    CoverageSets::from_lists(weights, &lists).unwrap().with_costs(costs).unwrap()
}

/// Every subset of the free candidates as (sites including the locked ones, covered weight, cost).
fn all_plans(sets: &CoverageSets) -> Vec<(Vec<usize>, f64, f64)> {
    let free: Vec<usize> = (0..sets.candidates()).filter(|j| !sets.locked().contains(j)).collect();
    (0u32..1 << free.len())
        .map(|mask| {
            let new: Vec<usize> =
                free.iter().enumerate().filter(|(b, _)| mask >> b & 1 == 1).map(|(_, &j)| j).collect();
            let cost = new.iter().map(|&j| sets.costs()[j]).sum();
            let mut sites = sets.locked().to_vec();
            sites.extend(&new);
            let covered = sets.covered_weight(&sites).unwrap();
            (sites, covered, cost)
        })
        .collect()
}

/// What every plan must satisfy, whatever the problem.
fn check_plan(sets: &CoverageSets, plan: &SitingPlan) {
    assert_eq!(plan.covered_weight, sets.covered_weight(&plan.sites).unwrap(), "objective = recomputed covered weight");
    assert_eq!(&plan.sites[..plan.locked], sets.locked(), "locked-in sites first");
    let mut unique = plan.sites.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), plan.sites.len(), "no site twice");
    assert_eq!(plan.marginal_gain.len(), plan.sites.len());
    let gains: f64 = plan.marginal_gain.iter().sum();
    assert!(
        (gains - plan.covered_weight).abs() <= 1e-9 * plan.total_weight.max(1.0),
        "gains {gains} vs {}",
        plan.covered_weight
    );
    assert!(plan.marginal_gain[plan.locked..].windows(2).all(|w| w[0] >= w[1]), "new sites in greedy order");
    let cost: f64 = plan.new_sites().iter().map(|&j| sets.costs()[j]).sum();
    assert!((cost - plan.cost).abs() <= 1e-9 * cost.max(1.0));
    assert!((0.0..=1.0).contains(&plan.gap));
    match plan.problem {
        SitingProblem::MaxCovering { p } => {
            assert!(plan.sites.len() <= p);
            assert!(plan.bound >= plan.objective);
        }
        SitingProblem::BudgetedCovering { budget } => {
            assert!(plan.cost <= budget * (1.0 + 1e-12));
            assert!(plan.bound >= plan.objective);
        }
        SitingProblem::TargetShare { share } => {
            assert!(plan.covered_weight >= share * sets.total_weight() - 1e-9 * sets.total_weight());
            assert!(plan.bound <= plan.objective);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Maximal covering against all subsets: OPT lies between the plan and
    /// its upper bound, within the stated gap.
    #[test]
    fn max_covering_brackets_the_brute_force_optimum(
        seed in 1u64..u64::MAX, demand in 0usize..25, candidates in 1usize..10, p in 0usize..5, integral in any::<bool>(), lock in 0usize..3,
    ) {
        let sets = small(seed, demand, candidates, integral).with_locked(&(0..lock.min(candidates)).collect::<Vec<_>>()).unwrap();
        let p = p.clamp(sets.locked().len(), candidates);
        let plan = max_covering(&sets, p).unwrap();
        check_plan(&sets, &plan);
        let optimum = all_plans(&sets).into_iter().filter(|(s, _, _)| s.len() <= p).map(|(_, w, _)| w).fold(0.0, f64::max);
        let eps = 1e-9 * sets.total_weight().max(1.0);
        prop_assert!(plan.covered_weight <= optimum + eps);
        prop_assert!(plan.bound >= optimum - eps, "bound {} < optimum {optimum}", plan.bound);
        prop_assert!(optimum - plan.covered_weight <= plan.gap * plan.bound + eps);
    }

    /// Budgeted covering against all affordable subsets.
    #[test]
    fn budgeted_covering_brackets_the_brute_force_optimum(
        seed in 1u64..u64::MAX, demand in 0usize..25, candidates in 1usize..10, budget in 5.0f64..15.0, integral in any::<bool>(), lock in 0usize..2,
    ) {
        let sets = small(seed, demand, candidates, integral).with_locked(&(0..lock.min(candidates)).collect::<Vec<_>>()).unwrap();
        let plan = budgeted_covering(&sets, budget).unwrap();
        check_plan(&sets, &plan);
        let optimum = all_plans(&sets).into_iter().filter(|(_, _, c)| *c <= budget).map(|(_, w, _)| w).fold(0.0, f64::max);
        let eps = 1e-9 * sets.total_weight().max(1.0);
        prop_assert!(plan.covered_weight <= optimum + eps);
        prop_assert!(plan.bound >= optimum - eps, "bound {} < optimum {optimum}", plan.bound);
    }

    /// Target share against all subsets that reach it: the cheapest cost lies
    /// between the lower bound and the plan's cost.
    #[test]
    fn target_covering_brackets_the_brute_force_optimum(
        seed in 1u64..u64::MAX, demand in 1usize..25, candidates in 1usize..10, share in 0.0f64..1.0, unit_costs in any::<bool>(),
    ) {
        let mut sets = small(seed, demand, candidates, true);
        if unit_costs {
            sets = sets.with_costs(vec![1.0; candidates]).unwrap();
        }
        let share = share * sets.coverable_weight() / sets.total_weight().max(1.0);
        let plan = target_covering(&sets, share).unwrap();
        check_plan(&sets, &plan);
        let target = share * sets.total_weight() - 1e-9 * sets.total_weight();
        let optimum = all_plans(&sets).into_iter().filter(|(_, w, _)| *w >= target).map(|(_, _, c)| c).fold(f64::INFINITY, f64::min);
        prop_assert!(plan.cost >= optimum - 1e-9);
        prop_assert!(plan.bound <= optimum + 1e-9, "bound {} > optimum {optimum}", plan.bound);
    }
}

/// Greedy alone: no local search, no bound, no restarts.
const GREEDY_ONLY: SitingOptions =
    SitingOptions { local_search: false, max_moves: 0, bound_iterations: 0, restarts: 0 };

#[test]
fn local_search_never_loses_to_the_greedy() {
    for seed in 1..6 {
        let sets = clustered(seed, 1500, 120, 30_000.0, 2_000.0);
        for p in [3, 10, 25] {
            let greedy = max_covering_with(&sets, p, &GREEDY_ONLY, &()).unwrap();
            let plan = max_covering(&sets, p).unwrap();
            check_plan(&sets, &greedy);
            check_plan(&sets, &plan);
            assert!(plan.covered_weight >= greedy.covered_weight, "seed {seed} p {p}");
            assert_eq!(greedy.bound, sets.coverable_weight(), "without iterations the bound is the trivial one");
        }
        let costs: Vec<f64> = (0..120).map(|j| 1.0 + (j % 7) as f64).collect();
        let sets = sets.with_costs(costs).unwrap();
        for budget in [5.0, 20.0, 60.0] {
            let greedy = budgeted_covering_with(&sets, budget, &GREEDY_ONLY, &()).unwrap();
            let plan = budgeted_covering(&sets, budget).unwrap();
            check_plan(&sets, &plan);
            assert!(plan.covered_weight >= greedy.covered_weight, "seed {seed} budget {budget}");
        }
        for share in [0.3, 0.6, 0.8] {
            let share = share * sets.coverable_weight() / sets.total_weight();
            let greedy = target_covering_with(&sets, share, &GREEDY_ONLY, &()).unwrap();
            let plan = target_covering(&sets, share).unwrap();
            check_plan(&sets, &greedy);
            check_plan(&sets, &plan);
            assert!(plan.cost <= greedy.cost, "seed {seed} share {share}");
            assert_eq!(greedy.bound, 0.0);
        }
    }
}

/// Church & ReVelle's motivation for the swap: greedy's first pick (the big
/// middle set) is in no optimal pair; the plan finds the optimum and proves it.
#[test]
fn swap_and_bound_beat_the_greedy_trap() {
    let sets =
        CoverageSets::from_lists(vec![1.0; 10], &[vec![2, 3, 4, 5, 6, 7], vec![0, 1, 2, 3, 4], vec![5, 6, 7, 8, 9]])
            .unwrap();
    assert_eq!(max_covering_with(&sets, 2, &GREEDY_ONLY, &()).unwrap().covered_weight, 8.0);
    let plan = max_covering(&sets, 2).unwrap();
    assert_eq!((plan.sites.as_slice(), plan.marginal_gain.as_slice()), (&[1, 2][..], &[5.0, 5.0][..]));
    assert!(plan.is_proven_optimal());
}

#[test]
fn locked_sites_count_as_chosen_and_are_free() {
    let base = clustered(7, 800, 60, 20_000.0, 2_000.0);
    let costs: Vec<f64> = (0..60).map(|j| 2.0 + (j % 5) as f64).collect();
    let sets = base.with_costs(costs).unwrap().with_locked(&[41, 3]).unwrap();
    let plan = max_covering(&sets, 6).unwrap();
    check_plan(&sets, &plan);
    assert_eq!((&plan.sites[..2], plan.locked, plan.new_sites().len()), (&[41, 3][..], 2, 4));
    assert_eq!(
        plan.marginal_gain[..2],
        [
            sets.covered_weight(&[41]).unwrap(),
            sets.covered_weight(&[41, 3]).unwrap() - sets.covered_weight(&[41]).unwrap()
        ]
    );
    // p = number of locked sites: the plan is exactly them.
    let plan = max_covering(&sets, 2).unwrap();
    assert_eq!((plan.sites.as_slice(), plan.gap), (&[41, 3][..], 0.0));
    // The budget pays for new sites only.
    let plan = budgeted_covering(&sets, 4.0).unwrap();
    check_plan(&sets, &plan);
    assert!(plan.cost <= 4.0 && plan.sites.len() >= 3);
    // A target the locked sites reach alone needs no new site.
    let share = sets.covered_weight(&[41, 3]).unwrap() / sets.total_weight();
    let plan = target_covering(&sets, share).unwrap();
    assert_eq!((plan.sites.as_slice(), plan.cost, plan.gap), (&[41, 3][..], 0.0, 0.0));
}

#[test]
fn degenerate_inputs_give_empty_or_trivial_plans() {
    let sets = CoverageSets::from_lists(vec![], &[Vec::<usize>::new(), vec![]]).unwrap();
    let plan = max_covering(&sets, 1).unwrap();
    assert_eq!((plan.sites.len(), plan.covered_weight, plan.bound, plan.gap), (0, 0.0, 0.0, 0.0));
    assert_eq!(target_covering(&sets, 1.0).unwrap().sites.len(), 0);
    let sets = small(3, 20, 6, true);
    let plan = max_covering(&sets, 0).unwrap();
    assert_eq!((plan.sites.len(), plan.bound, plan.gap), (0, 0.0, 0.0));
    let plan = target_covering(&sets, 0.0).unwrap();
    assert_eq!((plan.sites.len(), plan.cost), (0, 0.0));
    // Every candidate locked in: nothing to choose.
    let sets = sets.clone().with_locked(&[0, 1, 2, 3, 4, 5]).unwrap();
    let plan = budgeted_covering(&sets, 0.0).unwrap();
    assert_eq!((plan.sites.len(), plan.cost, plan.covered_weight), (6, 0.0, sets.coverable_weight()));
    // Free sites are always affordable.
    let sets = small(4, 20, 5, true).with_costs(vec![0.0, 3.0, 0.0, 3.0, 3.0]).unwrap();
    let plan = budgeted_covering(&sets, 0.0).unwrap();
    check_plan(&sets, &plan);
    assert!(plan.new_sites().iter().all(|&j| j == 0 || j == 2));
}

/// FNV-1a over the plan's sites and the bits of its objective, bound and gap.
fn fingerprint(plan: &SitingPlan) -> u64 {
    let words = plan.sites.iter().map(|&s| s as u64).chain([
        plan.covered_weight.to_bits(),
        plan.bound.to_bits(),
        plan.gap.to_bits(),
    ]);
    words.fold(0xcbf2_9ce4_8422_2325, |h, w| (h ^ w).wrapping_mul(0x0100_0000_01b3))
}

/// The same plans on 1, 2 and 4 threads (with `parallel`), and the same
/// fingerprints with and without the feature (`cargo test --no-default-features`).
/// The instance is large enough (over 250,000 coverage pairs after merging)
/// for the bound to split its work across threads.
#[test]
fn identical_on_any_number_of_threads() {
    let sets = clustered(11, 25_000, 1_000, 40_000.0, 3_000.0);
    let costs: Vec<f64> = (0..1_000).map(|j| 1.0 + (j % 9) as f64).collect();
    let sets = sets.with_costs(costs).unwrap().with_locked(&[5]).unwrap();
    assert!(sets.pairs() > 600_000, "{} pairs", sets.pairs());
    let options = SitingOptions { bound_iterations: 40, restarts: 2, ..SitingOptions::default() };
    let run = || {
        [
            max_covering_with(&sets, 15, &options, &()).unwrap(),
            budgeted_covering_with(&sets, 40.0, &options, &()).unwrap(),
            target_covering_with(&sets, 0.5, &options, &()).unwrap(),
        ]
    };
    let reference = run();
    for plan in &reference {
        check_plan(&sets, plan);
    }
    let prints: Vec<u64> = reference.iter().map(fingerprint).collect();
    assert_eq!(prints, EXPECTED_FINGERPRINTS, "plans changed (or differ between builds)");
    #[cfg(feature = "parallel")]
    for threads in [1, 2, 4] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        assert_eq!(pool.install(run), reference, "{threads} threads");
    }
}

const EXPECTED_FINGERPRINTS: [u64; 3] = [1969975982564707553, 18105589997971996943, 13454584478600006373];

#[test]
fn progress_is_reported_and_cancellation_stops() {
    #[derive(Default)]
    struct Log {
        stages: Mutex<Vec<String>>,
        units: AtomicU64,
    }
    impl Progress for Log {
        fn begin(&self, stage: &str, _total: u64) {
            let mut stages = self.stages.lock().unwrap();
            if stages.last().map(String::as_str) != Some(stage) {
                stages.push(stage.to_string());
            }
        }
        fn advance(&self, n: u64) {
            self.units.fetch_add(n, Ordering::Relaxed);
        }
    }
    let sets = clustered(5, 2_000, 100, 30_000.0, 2_500.0);
    let log = Log::default();
    max_covering_with(&sets, 10, &SitingOptions::default(), &log).unwrap();
    let stages = log.stages.lock().unwrap().clone();
    assert_eq!(stages[..3], ["siting: greedy", "siting: local search", "siting: bound"]);
    assert!(log.units.load(Ordering::Relaxed) > 10);

    struct CancelAfter(AtomicU64);
    impl Progress for CancelAfter {
        fn is_cancelled(&self) -> bool {
            self.0.fetch_add(1, Ordering::Relaxed) >= 5
        }
    }
    let cancel = || CancelAfter(AtomicU64::new(0));
    let options = SitingOptions::default();
    assert_eq!(max_covering_with(&sets, 10, &options, &cancel()), Err(Error::Cancelled));
    assert_eq!(budgeted_covering_with(&sets, 10.0, &options, &cancel()), Err(Error::Cancelled));
    assert_eq!(target_covering_with(&sets, 0.5, &options, &cancel()), Err(Error::Cancelled));
    let points = [[0.0, 0.0]; 10];
    assert_eq!(
        CoverageSets::within_radius_with(&points, vec![1.0; 10], &points, 1.0, &CancelAfter(AtomicU64::new(6))),
        Err(Error::Cancelled)
    );
}

#[test]
fn infeasible_problems_say_what_and_by_how_much() {
    let sets = CoverageSets::from_lists(vec![5.0, 3.0, 2.0, 10.0], &[vec![0], vec![0, 1], vec![1]])
        .unwrap()
        .with_costs(vec![80.0, 120.0, 95.0])
        .unwrap();
    assert_eq!(
        max_covering(&sets, 4).unwrap_err().to_string(),
        "maximal covering with p = 4 is infeasible: there are only 3 candidate sites (locked-in ones included), 1 fewer than p"
    );
    let locked = sets.clone().with_locked(&[0, 2]).unwrap();
    assert_eq!(
        max_covering(&locked, 1).unwrap_err().to_string(),
        "maximal covering with p = 1 is infeasible: 2 existing sites are locked in and count towards p, so p must be at least 2 (1 more)"
    );
    assert_eq!(
        budgeted_covering(&sets, 50.0).unwrap_err().to_string(),
        "budgeted covering with budget 50 is infeasible: the cheapest candidate site (0) costs 80, 30 more than the budget"
    );
    // The cheapest *free* site counts: 0 is locked in.
    assert!(
        budgeted_covering(&sets.clone().with_locked(&[0]).unwrap(), 90.0)
            .unwrap_err()
            .to_string()
            .contains("(2) costs 95, 5 more")
    );
    // Only 10 of 20 is coverable: demand 2 and 3 are covered by nobody.
    let e = target_covering(&sets, 0.6).unwrap_err();
    assert!(matches!(e, Error::Infeasible { .. }));
    assert_eq!(
        e.to_string(),
        "covering a target share of 0.6 is infeasible: all 3 candidate sites together cover 8 of the total weight 20 \
         (40.000 %), 4 (20.000 percentage points) short of the target 12 (60.000 %)"
    );
    assert!(target_covering(&sets, 0.4).is_ok());
}

#[test]
fn bad_input_is_rejected_with_its_place() {
    let e = CoverageSets::from_lists::<Vec<usize>>(vec![1.0], &[]).unwrap_err();
    assert_eq!(e.to_string(), "candidate sites: the layer is empty");
    let e = CoverageSets::from_lists(vec![1.0, -2.0], &[vec![0]]).unwrap_err();
    assert_eq!(e.to_string(), "demand points: record 1: invalid weight -2: weights must be finite and >= 0");
    assert!(matches!(CoverageSets::from_lists(vec![f64::NAN], &[vec![0]]), Err(Error::InvalidWeight { index: 0, .. })));
    let e = CoverageSets::from_lists(vec![1.0; 3], &[vec![0, 1], vec![7]]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "coverage sets: candidate 1 covers demand index 7, out of range: there are 3 demand points (indices 0 to 2)"
    );
    let sets = CoverageSets::from_lists(vec![1.0; 3], &[vec![0, 1], vec![2]]).unwrap();
    let e = sets.clone().with_costs(vec![1.0, f64::NAN]).unwrap_err();
    assert_eq!(e.to_string(), "coverage sets: candidate 1 has cost NaN: costs must be finite and >= 0");
    assert!(matches!(sets.clone().with_costs(vec![-1.0, 1.0]), Err(Error::InvalidCoverageSets { .. })));
    for share in [f64::NAN, -0.1, 1.5] {
        assert!(matches!(target_covering(&sets, share), Err(Error::InvalidParameter { name: "share", .. })));
    }
    for budget in [f64::NAN, -1.0, f64::INFINITY] {
        assert!(matches!(budgeted_covering(&sets, budget), Err(Error::InvalidParameter { name: "budget", .. })));
    }
    assert!(matches!(sets.covered_weight(&[2]), Err(Error::InvalidCoverageSets { .. })));
}
