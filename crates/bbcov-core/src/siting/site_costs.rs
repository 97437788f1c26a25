//! Per-site costs of a plan: what each chosen site covers and adds, its
//! backhaul, and its cost per newly served household.

use crate::siting::CoverageSets;
use crate::{BackhaulOption, Error, Result};

/// One site of a plan with its coverage and costs ([`site_costs`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SiteCost {
    /// Candidate index.
    pub candidate: usize,
    /// Whether the site was locked in (an existing or decided site).
    pub locked: bool,
    /// Weight the site covers on its own (its coverage set's weight).
    pub covered_weight: f64,
    /// Weight the site adds to the sites before it in the plan (the plan's marginal gain).
    pub new_weight: f64,
    /// The site's backhaul option (site cost included).
    pub backhaul: BackhaulOption,
    /// capex + years · opex of the option.
    pub lifetime_cost: f64,
    /// `lifetime_cost / new_weight`; NaN when the site adds no weight.
    pub cost_per_new_weight: f64,
}

/// The sites of a plan (`sites`, with the plan's `marginal_gain` as
/// `new_weight`, in plan order) with their coverage and the costs of their
/// backhaul option (`backhaul[j]` for candidate `j`, e.g. the
/// [`CandidateBackhaul::best`](crate::CandidateBackhaul::best) of each
/// candidate), over `years`. The first `locked` sites are flagged as locked in.
///
/// Errors: `sites` and `new_weight` of different lengths, or `backhaul` not
/// one option per candidate ([`Error::LengthMismatch`]); a site that is not a
/// candidate, or `years` not finite and ≥ 0 ([`Error::InvalidParameter`]).
///
/// ```
/// use bbcov_core::CostTable;
/// use bbcov_core::siting::{CoverageSets, max_covering, site_costs};
/// let sets = CoverageSets::from_lists(vec![1.0, 2.0, 3.0], &[vec![0, 1], vec![1, 2]])?;
/// let plan = max_covering(&sets, 2)?;
/// let table = CostTable::default();
/// let options = [table.fiber(2.0), table.fiber(0.0)];
/// let rows = site_costs(&sets, &plan.sites, &plan.marginal_gain, plan.locked, &options, table.years)?;
/// assert_eq!(rows[0].candidate, 1);
/// assert_eq!((rows[0].covered_weight, rows[0].new_weight), (5.0, 5.0));
/// assert_eq!(rows[0].lifetime_cost, 30_000_000.0 + 10.0 * 1_500_000.0);
/// assert_eq!(rows[1].new_weight, 1.0);
/// assert_eq!(rows[1].cost_per_new_weight, rows[1].lifetime_cost / 1.0);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn site_costs(
    sets: &CoverageSets,
    sites: &[usize],
    new_weight: &[f64],
    locked: usize,
    backhaul: &[BackhaulOption],
    years: f64,
) -> Result<Vec<SiteCost>> {
    if new_weight.len() != sites.len() {
        return Err(Error::LengthMismatch { what: "new weights of the plan's sites".into(), expected: sites.len(), got: new_weight.len() });
    }
    if backhaul.len() != sets.candidates() {
        return Err(Error::LengthMismatch { what: "backhaul options (one per candidate)".into(), expected: sets.candidates(), got: backhaul.len() });
    }
    if !(years.is_finite() && years >= 0.0) {
        return Err(Error::InvalidParameter { name: "years", value: years, expected: "a finite number of years >= 0".into() });
    }
    sites
        .iter()
        .zip(new_weight)
        .enumerate()
        .map(|(k, (&j, &new))| {
            if j >= sets.candidates() {
                return Err(Error::InvalidParameter {
                    name: "site",
                    value: j as f64,
                    expected: format!("a candidate index below {}", sets.candidates()),
                });
            }
            let option = backhaul[j];
            let lifetime_cost = option.lifetime_cost(years);
            Ok(SiteCost {
                candidate: j,
                locked: k < locked,
                covered_weight: sets.covered_weight(&[j])?,
                new_weight: new,
                backhaul: option,
                lifetime_cost,
                cost_per_new_weight: if new > 0.0 { lifetime_cost / new } else { f64::NAN },
            })
        })
        .collect()
}
