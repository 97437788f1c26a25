//! Maximal covering (MCLP): the `p` sites that cover the most demand weight.

use super::bound::{Capacity, max_cover_upper_bound};
use super::cover_count::CoverCount;
use super::greedy::{Limit, Rank, lazy_greedy};
use super::local_search::{Goal, improve};
use super::plan::{Iterations, SitingPlan, SitingProblem, assemble};
use super::reduction::Reduced;
use super::{CoverageSets, SitingOptions, integral, upper_bound_total};
use crate::{Error, Progress, Result};

/// Maximal covering with the default options and no progress reporting.
///
/// ```
/// use bbcov_core::siting::{CoverageSets, max_covering};
/// // Greedy takes the big middle site 0 first; swapping it out covers everything.
/// let sets = CoverageSets::from_lists(vec![1.0; 10], &[vec![2, 3, 4, 5, 6, 7], vec![0, 1, 2, 3, 4], vec![5, 6, 7, 8, 9]])?;
/// let plan = max_covering(&sets, 2)?;
/// assert_eq!((plan.sites.as_slice(), plan.covered_weight, plan.gap), (&[1, 2][..], 10.0, 0.0));
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn max_covering(sets: &CoverageSets, p: usize) -> Result<SitingPlan> {
    max_covering_with(sets, p, &SitingOptions::default(), &())
}

/// Maximal covering location problem (Church & ReVelle 1974, "The maximal
/// covering location problem", Papers of the Regional Science Association
/// 32, pp. 101–118): choose at most `p` sites, the locked-in ones included,
/// to maximise the weight of the demand covered by at least one of them.
///
/// 1. Lazy greedy (Minoux 1978), which alone guarantees 1 − 1/e of the
///    optimum (Nemhauser, Wolsey & Fisher 1978);
/// 2. best-improvement swap local search (Teitz & Bart 1968);
/// 3. an upper bound by Lagrangian relaxation of the coverage constraints
///    (Galvão & ReVelle 1996), the multipliers optimised by a primal-dual
///    method that reaches the LP bound (see `bound.rs`), whose relaxed and
///    rounded primal solutions seed further local searches (the Lagrangian
///    heuristic of the same paper).
///
/// A site that would add no weight is not added, so a plan can have fewer
/// than `p` sites when everything coverable is covered. With integer weights
/// the bound is rounded down to an integer.
///
/// Errors ([`Error::Infeasible`]): `p` below the number of locked-in sites,
/// or above the number of candidates.
pub fn max_covering_with(
    sets: &CoverageSets,
    p: usize,
    options: &SitingOptions,
    progress: &dyn Progress,
) -> Result<SitingPlan> {
    let locked = sets.locked().len();
    let n = sets.candidates();
    let problem = || format!("maximal covering with p = {p}");
    if p < locked {
        return Err(Error::Infeasible {
            problem: problem(),
            reason: format!(
                "{locked} existing sites are locked in and count towards p, so p must be at least {locked} ({} more)",
                locked - p
            ),
        });
    }
    if p > n {
        return Err(Error::Infeasible {
            problem: problem(),
            reason: format!("there are only {n} candidate sites (locked-in ones included), {} fewer than p", p - n),
        });
    }
    let r = Reduced::new(sets);
    let integral_weights = integral(sets.weights());
    let solved = solve(&r, p - locked, integral_weights, options, progress)?;
    let (best, bound, iterations) = (solved.plan, solved.bound, solved.iterations);
    Ok(assemble(sets, &r, SitingProblem::MaxCovering { p }, &best.chosen, bound, iterations))
}

/// A maximal-covering solution on the reduced problem.
pub(crate) struct Solved {
    pub plan: CoverCount,
    /// Upper bound on the whole covered weight (locked-in coverage included).
    pub bound: f64,
    pub iterations: Iterations,
}

/// Greedy, local search, bound and local search from the bound's plans, for
/// at most `m` free sites.
pub(crate) fn solve(
    r: &Reduced,
    m: usize,
    integral_weights: bool,
    options: &SitingOptions,
    progress: &dyn Progress,
) -> Result<Solved> {
    let mut iterations = Iterations::default();
    let mut best = CoverCount::new(r);
    let unlimited = Limit { sites: m, budget: f64::INFINITY, need: f64::INFINITY };
    iterations.greedy = lazy_greedy(r, &mut best, Rank::Gain, unlimited, progress)?.len();
    let goal = Goal::Cover { sites: m };
    if options.local_search {
        iterations.moves += improve(r, &mut best, goal, options.max_moves, progress)?;
    }
    let ub = max_cover_upper_bound(
        r,
        Capacity::Sites(m),
        &best.chosen,
        integral_weights,
        options.bound_iterations,
        options.restarts,
        progress,
    )?;
    iterations.bound = ub.iterations;
    let bound = upper_bound_total(r, ub.value, integral_weights);
    let tol = 1e-12 * r.total;
    for (covered, plan) in ub.plans.iter().take(options.restarts) {
        if r.base + best.covered >= bound - tol {
            break;
        }
        let mut s = CoverCount::with(r, plan);
        if options.local_search {
            iterations.moves += improve(r, &mut s, goal, options.max_moves, progress)?;
        } else if *covered <= best.covered {
            continue;
        }
        if s.covered > best.covered + tol {
            best = s;
        }
    }
    Ok(Solved { plan: best, bound, iterations })
}
