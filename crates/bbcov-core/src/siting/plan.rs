//! A site-selection plan: the chosen sites, what each adds, and how far from
//! optimal the plan can be.

use super::CoverageSets;
use super::reduction::Reduced;

/// Which problem a plan solves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SitingProblem {
    /// Maximal covering: at most `p` sites (locked-in ones included), most covered weight.
    MaxCovering { p: usize },
    /// Budgeted maximal covering: new sites costing at most `budget`, most covered weight.
    BudgetedCovering { budget: f64 },
    /// Partial set cover: reach `share` of the total weight at the least cost
    /// (the fewest new sites with unit costs).
    TargetShare { share: f64 },
}

impl SitingProblem {
    /// Whether the objective is maximised (covered weight) rather than minimised (cost).
    pub fn maximizes(&self) -> bool {
        !matches!(self, SitingProblem::TargetShare { .. })
    }
}

/// Work done to make a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Iterations {
    /// Sites added by the greedy.
    pub greedy: usize,
    /// Local-search moves applied (swaps, additions, removals), all starts together.
    pub moves: usize,
    /// Iterations of the bound's multiplier optimisation.
    pub bound: usize,
}

/// A site-selection plan.
///
/// `sites` lists the locked-in sites first (in the order they were locked),
/// then the new sites in greedy order: each new site is the one adding the
/// most weight to those before it, and `marginal_gain[i]` is what site `i`
/// adds to sites `0..i`. The gains sum to `covered_weight` (up to rounding).
#[derive(Debug, Clone, PartialEq)]
pub struct SitingPlan {
    /// The problem solved.
    pub problem: SitingProblem,
    /// Chosen candidate indices: locked-in first, then new sites.
    pub sites: Vec<usize>,
    /// How many leading entries of `sites` are locked-in existing sites.
    pub locked: usize,
    /// Weight each site adds to the sites listed before it.
    pub marginal_gain: Vec<f64>,
    /// Weight covered by the plan (locked-in sites included).
    pub covered_weight: f64,
    /// Total demand weight.
    pub total_weight: f64,
    /// Cost of the new sites (locked-in sites are not charged).
    pub cost: f64,
    /// The objective: `covered_weight` when maximising, `cost` when minimising.
    pub objective: f64,
    /// A bound on the optimal objective: an upper bound when maximising, a
    /// lower bound when minimising. No plan can do better than it.
    pub bound: f64,
    /// Relative optimality gap: `(bound − objective) / bound` when
    /// maximising, `(objective − bound) / objective` when minimising; 0 when
    /// the plan is proven optimal. The optimum lies within this fraction of
    /// the objective.
    pub gap: f64,
    /// Work done.
    pub iterations: Iterations,
}

impl SitingPlan {
    /// The new sites (without the locked-in ones).
    pub fn new_sites(&self) -> &[usize] {
        &self.sites[self.locked..]
    }

    /// Covered share of the total weight, in [0, 1]; 0 when the total is 0.
    pub fn covered_share(&self) -> f64 {
        if self.total_weight > 0.0 { self.covered_weight / self.total_weight } else { 0.0 }
    }

    /// Whether the bound proves the plan optimal.
    pub fn is_proven_optimal(&self) -> bool {
        self.gap <= 0.0
    }
}

/// Builds a plan from the chosen free candidates (reduced indices): orders
/// them greedily, computes marginal gains, the covered weight and the gap.
pub(crate) fn assemble(
    sets: &CoverageSets,
    r: &Reduced,
    problem: SitingProblem,
    chosen: &[usize],
    bound: f64,
    iterations: Iterations,
) -> SitingPlan {
    let locked = sets.locked();
    let mut sites: Vec<usize> = locked.to_vec();
    let mut marginal_gain = Vec::with_capacity(locked.len() + chosen.len());
    let mut hit = vec![false; sets.demand_points()];
    for &j in locked {
        let mut gain = 0.0;
        for &i in sets.covered_by(j) {
            if !std::mem::replace(&mut hit[i as usize], true) {
                gain += sets.weights()[i as usize];
            }
        }
        marginal_gain.push(gain);
    }
    // New sites in greedy order among themselves (ties: lowest candidate index).
    let mut left: Vec<usize> = chosen.to_vec();
    left.sort_unstable();
    let mut taken = vec![false; r.classes()];
    while !left.is_empty() {
        let gain_of = |k: usize| -> f64 {
            r.covers(k).iter().filter(|&&c| !taken[c as usize]).map(|&c| r.weight[c as usize]).sum()
        };
        let (at, gain) = left
            .iter()
            .enumerate()
            .map(|(at, &k)| (at, gain_of(k)))
            .fold((0, f64::NEG_INFINITY), |b, (at, g)| if g > b.1 { (at, g) } else { b });
        let k = left.remove(at);
        for &c in r.covers(k) {
            taken[c as usize] = true;
        }
        sites.push(r.ids[k]);
        marginal_gain.push(gain);
    }
    let covered_weight = sets.covered_weight(&sites).unwrap_or(0.0);
    let mut new_ids: Vec<usize> = sites[locked.len()..].to_vec();
    new_ids.sort_unstable();
    let cost: f64 = new_ids.iter().map(|&j| sets.costs()[j]).sum();
    let objective = if problem.maximizes() { covered_weight } else { cost };
    // A bound computed in floating point may sit a hair on the wrong side of
    // the objective; the objective itself is always a valid bound-side value.
    let (bound, gap) = if problem.maximizes() {
        let bound = bound.max(objective);
        (bound, if bound > 0.0 { (bound - objective) / bound } else { 0.0 })
    } else {
        let bound = bound.min(objective).max(0.0);
        (bound, if objective > 0.0 { (objective - bound) / objective } else { 0.0 })
    };
    // Below this the difference is rounding in the sums, not a gap.
    let gap = if gap < 1e-12 { 0.0 } else { gap };
    SitingPlan {
        problem,
        sites,
        locked: locked.len(),
        marginal_gain,
        covered_weight,
        total_weight: r.total,
        cost,
        objective,
        bound,
        gap,
        iterations,
    }
}
