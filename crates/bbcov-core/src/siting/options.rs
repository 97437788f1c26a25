//! Options of the site-selection solvers.

/// Options of the site-selection solvers. The defaults suit instances up to
/// tens of thousands of demand points and thousands of candidates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SitingOptions {
    /// Improve the greedy plan by swap local search (default true).
    pub local_search: bool,
    /// Most local-search moves per start (default 10,000).
    pub max_moves: usize,
    /// Most iterations of the bound's multiplier optimisation (default 2,000;
    /// it usually stops earlier, at the LP bound or at a proof of optimality;
    /// 0 skips it, leaving the trivial bound: all coverable weight, or zero cost).
    pub bound_iterations: usize,
    /// Extra local-search starts from the best plans the bound meets on its
    /// way (Lagrangian heuristic; default 8). With unequal costs, the
    /// target-share problem also makes up to 8 times this many drop-and-repair attempts.
    pub restarts: usize,
}

impl Default for SitingOptions {
    fn default() -> Self {
        SitingOptions { local_search: true, max_moves: 10_000, bound_iterations: 2000, restarts: 8 }
    }
}
