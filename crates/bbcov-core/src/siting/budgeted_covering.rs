//! Budgeted maximal covering: the sites that cover the most demand weight
//! within a budget.

use super::bound::{Capacity, max_cover_upper_bound};
use super::cover_count::CoverCount;
use super::greedy::{Limit, Rank, lazy_greedy};
use super::local_search::{Goal, improve};
use super::plan::{Iterations, SitingPlan, SitingProblem, assemble};
use super::reduction::Reduced;
use super::{CoverageSets, SitingOptions, integral, upper_bound_total};
use crate::{Error, Progress, Result};

/// Budgeted covering with the default options and no progress reporting.
///
/// ```
/// use bbcov_core::siting::{CoverageSets, budgeted_covering};
/// let sets = CoverageSets::from_lists(vec![4.0, 3.0, 3.0, 1.0], &[vec![0], vec![1, 2], vec![0, 3]])?
///     .with_costs(vec![2.0, 3.0, 4.0])?;
/// let plan = budgeted_covering(&sets, 5.0)?;
/// assert_eq!((plan.sites.as_slice(), plan.covered_weight, plan.cost), (&[1, 0][..], 10.0, 5.0));
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn budgeted_covering(sets: &CoverageSets, budget: f64) -> Result<SitingPlan> {
    budgeted_covering_with(sets, budget, &SitingOptions::default(), &())
}

/// Budgeted maximum coverage (Khuller, Moss & Naor 1999, "The budgeted
/// maximum coverage problem", Information Processing Letters 70(1),
/// pp. 39–45): new sites whose costs sum to at most `budget` (locked-in sites
/// are free), covering the most demand weight.
///
/// The better of the greedy by covered weight per cost (skipping sites that
/// no longer fit) and the best single affordable site, which together
/// guarantee ½(1 − 1/e) of the optimum (Khuller et al. 1999, §3), each
/// improved by swap and add moves that keep the budget; an upper bound by
/// Lagrangian relaxation with the linear knapsack relaxation of the budget.
///
/// Errors: a negative or non-finite budget ([`Error::InvalidParameter`]); a
/// budget below the cheapest candidate ([`Error::Infeasible`], saying by how much).
pub fn budgeted_covering_with(
    sets: &CoverageSets,
    budget: f64,
    options: &SitingOptions,
    progress: &dyn Progress,
) -> Result<SitingPlan> {
    if !(budget.is_finite() && budget >= 0.0) {
        return Err(Error::InvalidParameter { name: "budget", value: budget, expected: "a finite cost >= 0".into() });
    }
    let r = Reduced::new(sets);
    let cheapest = (0..r.candidates()).min_by(|&a, &b| r.cost[a].total_cmp(&r.cost[b]).then(a.cmp(&b)));
    if let Some(k) = cheapest
        && r.cost[k] > budget
    {
        return Err(Error::Infeasible {
            problem: format!("budgeted covering with budget {budget}"),
            reason: format!(
                "the cheapest candidate site ({}) costs {}, {} more than the budget",
                r.ids[k],
                r.cost[k],
                r.cost[k] - budget
            ),
        });
    }
    let mut iterations = Iterations::default();
    let goal = Goal::CoverWithin { budget };
    let mut best = CoverCount::new(&r);
    let limit = Limit { sites: r.candidates(), budget, need: f64::INFINITY };
    iterations.greedy = lazy_greedy(&r, &mut best, Rank::GainPerCost, limit, progress)?.len();
    if options.local_search {
        iterations.moves += improve(&r, &mut best, goal, options.max_moves, progress)?;
    }
    // The best single affordable site (Khuller et al.'s second candidate plan).
    let empty = CoverCount::new(&r);
    let single = (0..r.candidates())
        .filter(|&k| r.cost[k] <= budget)
        .map(|k| (empty.gain(&r, k), k))
        .fold(None, |b: Option<(f64, usize)>, (g, k)| if b.is_none_or(|b| g > b.0) { Some((g, k)) } else { b });
    let tol = 1e-12 * r.total;
    let mut starts: Vec<Vec<usize>> = single.map(|(_, k)| vec![k]).into_iter().collect();
    let integral_weights = integral(sets.weights());
    let ub = max_cover_upper_bound(
        &r,
        Capacity::Budget(budget),
        &best.chosen,
        integral_weights,
        options.bound_iterations,
        options.restarts,
        progress,
    )?;
    iterations.bound = ub.iterations;
    let bound = upper_bound_total(&r, ub.value, integral_weights);
    starts.extend(ub.plans.into_iter().take(options.restarts).map(|(_, plan)| plan));
    for plan in starts {
        if r.base + best.covered >= bound - tol {
            break;
        }
        let mut s = CoverCount::with(&r, &plan);
        if options.local_search {
            iterations.moves += improve(&r, &mut s, goal, options.max_moves, progress)?;
        }
        if s.covered > best.covered + tol {
            best = s;
        }
    }
    Ok(assemble(sets, &r, SitingProblem::BudgetedCovering { budget }, &best.chosen, bound, iterations))
}
