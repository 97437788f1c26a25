//! Lazy greedy (Minoux's accelerated greedy): add the candidate with the best
//! marginal gain (or gain per cost) until a limit is reached, re-evaluating
//! only the candidates whose stale value could still be the best.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::cover_count::CoverCount;
use super::reduction::Reduced;
use crate::{Error, Progress, Result};

/// What the greedy ranks candidates by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Rank {
    /// Marginal covered weight (maximal covering with p sites).
    Gain,
    /// Marginal covered weight per unit cost; free sites first (budgeted covering).
    GainPerCost,
    /// Like `GainPerCost`, with the gain capped at the weight still needed to
    /// reach `need` (partial set cover: a cheap site that finishes the job
    /// beats an expensive one that overshoots).
    CappedGainPerCost { need: f64 },
}

/// When the greedy stops.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Limit {
    /// At most this many sites in the state (those already in it included).
    pub sites: usize,
    /// The chosen sites' total cost may not exceed this.
    pub budget: f64,
    /// Stop once the covered weight reaches this.
    pub need: f64,
}

/// Heap entry: a candidate's value as of round `round` (stale when older).
#[derive(Debug, Clone, Copy)]
struct Entry {
    tier: u8,
    value: f64,
    k: usize,
    round: usize,
}

impl Ord for Entry {
    /// Higher tier, then higher value, then lower index first.
    fn cmp(&self, other: &Self) -> Ordering {
        self.tier.cmp(&other.tier).then(self.value.total_cmp(&other.value)).then(other.k.cmp(&self.k))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}

/// Greedy from the current `state`: repeatedly adds the candidate ranked
/// best by `rank` among those that fit the budget and add weight, until
/// `limit` is reached or nothing adds weight. Returns the added sites with
/// their marginal gains, in order.
///
/// Lazy evaluation (Minoux 1978, "Accelerated greedy algorithms for
/// maximizing submodular set functions", Optimization Techniques, LNCS 7,
/// pp. 234–243): coverage is submodular, so a candidate's gain only shrinks
/// as sites are added; a max-heap holds each candidate's last computed value,
/// and only the top is re-evaluated. A freshly evaluated candidate that is
/// still on top is the true best. Ties go to the lowest index, exactly as a
/// plain greedy scanning all candidates would choose.
pub(crate) fn lazy_greedy(
    r: &Reduced,
    state: &mut CoverCount,
    rank: Rank,
    limit: Limit,
    progress: &dyn Progress,
) -> Result<Vec<(usize, f64)>> {
    let tol = 1e-12 * r.total;
    let key = |gain: f64, k: usize, covered: f64| -> (u8, f64) {
        let gain = match rank {
            Rank::CappedGainPerCost { need } => gain.min((need - covered).max(0.0)),
            _ => gain,
        };
        match rank {
            Rank::Gain => (0, gain),
            _ if r.cost[k] == 0.0 => (1, gain),
            _ => (0, gain / r.cost[k]),
        }
    };
    let mut heap: BinaryHeap<Entry> = (0..r.candidates())
        .filter(|&k| !state.is_chosen[k])
        .filter_map(|k| {
            let g = state.gain(r, k);
            let (tier, value) = key(g, k, state.covered);
            (g > 0.0).then_some(Entry { tier, value, k, round: 0 })
        })
        .collect();
    let mut picks = Vec::new();
    progress.begin("siting: greedy", limit.sites.saturating_sub(state.chosen.len()).min(r.candidates()) as u64);
    while state.chosen.len() < limit.sites && state.covered < limit.need - tol {
        if progress.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let Some(top) = heap.pop() else { break };
        if state.cost + r.cost[top.k] > limit.budget * (1.0 + 1e-12) {
            continue; // the budget only shrinks: it will never fit
        }
        if top.round == picks.len() {
            let gain = state.gain(r, top.k);
            state.add(r, top.k);
            picks.push((top.k, gain));
            progress.advance(1);
            continue;
        }
        let g = state.gain(r, top.k);
        if g > 0.0 {
            let (tier, value) = key(g, top.k, state.covered);
            heap.push(Entry { tier, value, k: top.k, round: picks.len() });
        }
    }
    Ok(picks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::siting::CoverageSets;

    /// Plain greedy: scan every candidate each round.
    fn plain(r: &Reduced, p: usize) -> Vec<usize> {
        let mut s = CoverCount::new(r);
        for _ in 0..p {
            let best = (0..r.candidates())
                .filter(|&k| !s.is_chosen[k])
                .map(|k| (s.gain(r, k), k))
                .fold((0.0, usize::MAX), |b, (g, k)| if g > b.0 { (g, k) } else { b });
            if best.1 == usize::MAX {
                break;
            }
            s.add(r, best.1);
        }
        s.chosen
    }

    #[test]
    fn lazy_equals_plain_greedy_with_ties() {
        // Many equal weights to exercise tie-breaking.
        let lists: Vec<Vec<usize>> =
            (0..60).map(|j| (0..200).filter(|i| (i * 7 + j * 13) % 11 < 3 || i % 60 == j).collect()).collect();
        let sets = CoverageSets::from_lists(vec![1.0; 200], &lists).unwrap();
        let r = Reduced::new(&sets);
        for p in [1, 3, 8, 20] {
            let mut s = CoverCount::new(&r);
            let limit = Limit { sites: p, budget: f64::INFINITY, need: f64::INFINITY };
            let picks = lazy_greedy(&r, &mut s, Rank::Gain, limit, &()).unwrap();
            assert_eq!(picks.iter().map(|x| x.0).collect::<Vec<_>>(), plain(&r, p), "p = {p}");
        }
    }
}
