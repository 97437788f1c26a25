//! Target-share covering (partial set cover): the cheapest set of new sites
//! (the fewest, with unit costs) that covers a target share of the demand weight.

use super::bound::{Capacity, max_cover_upper_bound, min_cost_lower_bound};
use super::cover_count::CoverCount;
use super::greedy::{Limit, Rank, lazy_greedy};
use super::local_search::{Goal, improve};
use super::max_covering::solve;
use super::plan::{Iterations, SitingPlan, SitingProblem, assemble};
use super::reduction::Reduced;
use super::{CoverageSets, SitingOptions, integral, upper_bound_total};
use crate::{Error, Progress, Result};

/// Drop-and-repair attempts (unequal costs) per [`SitingOptions::restarts`].
const REPAIRS_PER_RESTART: usize = 8;

/// Target-share covering with the default options and no progress reporting.
///
/// ```
/// use bbcov_core::siting::{CoverageSets, target_covering};
/// let sets = CoverageSets::from_lists(vec![5.0, 3.0, 1.0, 1.0], &[vec![0, 2], vec![1], vec![3], vec![0, 1]])?;
/// let plan = target_covering(&sets, 0.8)?; // 8 of 10
/// assert_eq!((plan.sites.as_slice(), plan.objective, plan.bound), (&[3][..], 1.0, 1.0));
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn target_covering(sets: &CoverageSets, share: f64) -> Result<SitingPlan> {
    target_covering_with(sets, share, &SitingOptions::default(), &())
}

/// Partial set covering, the location set covering problem (Toregas, Swain,
/// ReVelle & Bergman 1971, "The location of emergency service facilities",
/// Operations Research 19(6), pp. 1363–1373) relaxed to a target share: the
/// least-cost new sites (the fewest with the default unit costs) that, with
/// the locked-in sites, cover at least `share` of the total weight.
/// `share = 1` asks for everything.
///
/// 1. Greedy by covered weight per cost, the gain capped at the weight still
///    needed (Slavík 1997, "Improved performance of the greedy algorithm for
///    partial cover", Information Processing Letters 64(5), pp. 251–254);
/// 2. redundancy elimination and cost-reducing swaps that keep the target;
/// 3. a lower bound on the cost by Lagrangian relaxation (Beasley 1990, "A
///    Lagrangian heuristic for set-covering problems", Naval Research
///    Logistics 37(1), pp. 151–164, here with the target-share constraint),
///    rounded up when all costs are integers; as in Beasley's heuristic, the
///    relaxed solutions completed greedily are plans, improved by the same
///    local search;
/// 4. with equal costs, the fewest sites: with k sites chosen, solve the
///    maximal covering problem for k − 1 sites (as [`max_covering`](super::max_covering));
///    if it reaches the target, take it and repeat; if its upper bound (or
///    that for k − 2 sites) is below the target, k (or k − 1) is a lower
///    bound (the link between the two problems: Church & ReVelle 1976,
///    "Theoretical and computational links between the p-median, location
///    set-covering, and the maximal covering location problem", Geographical
///    Analysis 8(4), pp. 406–415). With unequal costs, chosen sites are
///    dropped in turn (dearest first) and the plan repaired greedily, kept
///    when cheaper.
///
/// On OR-Library's set-covering instance 4.1 (share 1) this finds and proves
/// the published optimum, 429 (see `tests/siting_orlib.rs`).
///
/// Errors: a share outside [0, 1] ([`Error::InvalidParameter`]); a target no
/// set of candidates reaches ([`Error::Infeasible`], with the largest
/// reachable share and the shortfall).
pub fn target_covering_with(
    sets: &CoverageSets,
    share: f64,
    options: &SitingOptions,
    progress: &dyn Progress,
) -> Result<SitingPlan> {
    if !(0.0..=1.0).contains(&share) {
        return Err(Error::InvalidParameter {
            name: "share",
            value: share,
            expected: "a share between 0 and 1".into(),
        });
    }
    let total = sets.total_weight();
    let tol = 1e-12 * total;
    let target = share * total;
    let reachable = sets.coverable_weight();
    if reachable < target - tol {
        let pct = |w: f64| if total > 0.0 { 100.0 * w / total } else { 0.0 };
        return Err(Error::Infeasible {
            problem: format!("covering a target share of {share}"),
            reason: format!(
                "all {} candidate sites together cover {reachable} of the total weight {total} ({:.3} %), {} ({:.3} percentage points) short of the target {target} ({:.3} %)",
                sets.candidates(),
                pct(reachable),
                target - reachable,
                pct(target - reachable),
                pct(target)
            ),
        });
    }
    let r = Reduced::new(sets);
    let problem = SitingProblem::TargetShare { share };
    let need = target - r.base;
    let mut iterations = Iterations::default();
    if need <= tol {
        return Ok(assemble(sets, &r, problem, &[], 0.0, iterations));
    }
    let reached = |s: &CoverCount| s.covered >= need - tol;
    let mut best = CoverCount::new(&r);
    let limit = Limit { sites: r.candidates(), budget: f64::INFINITY, need };
    iterations.greedy = lazy_greedy(&r, &mut best, Rank::CappedGainPerCost { need }, limit, progress)?.len();
    best.refresh(&r);
    let cheaper = Goal::Cheaper { need };
    if options.local_search {
        iterations.moves += improve(&r, &mut best, cheaper, options.max_moves, progress)?;
    }
    let integral_costs = integral(&r.cost);
    let cost_tol = 1e-12 * r.cost.iter().fold(0.0f64, |a, &c| a.max(c));
    let lb = min_cost_lower_bound(
        &r,
        need,
        best.cost,
        integral_costs,
        options.bound_iterations,
        options.restarts,
        progress,
    )?;
    iterations.bound = lb.iterations;
    let mut lower = if integral_costs { (lb.value - cost_tol).ceil() } else { lb.value };
    // Local search from the cheapest plans of the Lagrangian heuristic.
    for (_, plan) in &lb.plans {
        if best.cost <= lower + cost_tol {
            break;
        }
        let mut s = CoverCount::with(&r, plan);
        if options.local_search {
            iterations.moves += improve(&r, &mut s, cheaper, options.max_moves, progress)?;
        }
        if reached(&s) && s.cost < best.cost - cost_tol {
            best = s;
        }
    }
    let equal_costs = r.cost.windows(2).all(|w| w[0] == w[1]) && r.cost.first().is_some_and(|&c| c > 0.0);
    if options.local_search && equal_costs {
        // Fewest sites: the least k whose maximal covering reaches the target.
        // A bound below the target at k − 1 proves k optimal.
        let unit = r.cost[0];
        let integral_weights = integral(sets.weights());
        while best.cost > lower + cost_tol && !best.chosen.is_empty() {
            let k = best.chosen.len() - 1;
            let solved = solve(&r, k, integral_weights, options, progress)?;
            iterations.greedy += solved.iterations.greedy;
            iterations.moves += solved.iterations.moves;
            iterations.bound += solved.iterations.bound;
            if reached(&solved.plan) {
                best = solved.plan;
                iterations.moves += improve(&r, &mut best, cheaper, options.max_moves, progress)?;
                continue;
            }
            if solved.bound - r.base < need - tol {
                lower = lower.max((k + 1) as f64 * unit);
            } else if k >= 1 && (k as f64) * unit > lower + cost_tol {
                // k − 1 sites might still be too few: then k is the lower bound.
                let mut start = CoverCount::new(&r);
                let limit = Limit { sites: k - 1, budget: f64::INFINITY, need: f64::INFINITY };
                lazy_greedy(&r, &mut start, Rank::Gain, limit, progress)?;
                let ub = max_cover_upper_bound(
                    &r,
                    Capacity::Sites(k - 1),
                    &start.chosen,
                    integral_weights,
                    options.bound_iterations,
                    0,
                    progress,
                )?;
                iterations.bound += ub.iterations;
                if upper_bound_total(&r, ub.value, integral_weights) - r.base < need - tol {
                    lower = lower.max(k as f64 * unit);
                }
            }
            break;
        }
    } else if options.local_search {
        // Drop each chosen site in turn (dearest first), repair greedily; keep when cheaper.
        let mut attempts = 0;
        while best.cost > lower + cost_tol && attempts < REPAIRS_PER_RESTART * options.restarts.max(1) {
            let mut order: Vec<usize> = best.chosen.clone();
            order.sort_unstable_by(|&a, &b| r.cost[b].total_cmp(&r.cost[a]).then(a.cmp(&b)));
            let mut found = None;
            for k in order.into_iter().take(REPAIRS_PER_RESTART * options.restarts.max(1) - attempts) {
                if progress.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                attempts += 1;
                let mut s = best.clone();
                s.remove(&r, k);
                s.is_chosen[k] = true; // keep the greedy from putting it straight back
                lazy_greedy(&r, &mut s, Rank::CappedGainPerCost { need }, limit, progress)?;
                s.is_chosen[k] = false;
                let mut s = CoverCount::with(&r, &s.chosen);
                iterations.moves += improve(&r, &mut s, cheaper, options.max_moves, progress)?;
                if reached(&s) && s.cost < best.cost - cost_tol {
                    found = Some(s);
                    break;
                }
            }
            match found {
                Some(s) => best = s,
                None => break,
            }
        }
    }
    Ok(assemble(sets, &r, problem, &best.chosen, lower, iterations))
}
