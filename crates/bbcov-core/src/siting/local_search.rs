//! Swap local search (vertex substitution): replace one chosen site by one
//! that is not chosen, add a site, or drop one, whenever that improves the
//! plan, until no such move does.

use std::ops::Range;

use super::cover_count::CoverCount;
use super::reduction::Reduced;
use crate::{Error, Progress, Result};

/// What a move must improve, under which constraint.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Goal {
    /// More covered weight with at most this many chosen sites.
    Cover { sites: usize },
    /// More covered weight with a total cost within the budget.
    CoverWithin { budget: f64 },
    /// Lower cost while the covered weight stays at least `need`.
    Cheaper { need: f64 },
}

/// A move: take `k` in (if any) and `out` out (if any).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Move {
    /// What the move improves (covered weight or cost saved), then a tie-breaker (covered weight).
    score: (f64, f64),
    k: usize,
    out: usize,
}

const NONE: usize = usize::MAX;

impl Move {
    /// Higher score first, then lower `k`, then lower `out` (deterministic).
    fn better_than(&self, other: &Option<Move>) -> bool {
        match other {
            None => true,
            Some(o) => {
                let by_score = self.score.0.total_cmp(&o.score.0).then(self.score.1.total_cmp(&o.score.1));
                by_score.then(o.k.cmp(&self.k)).then(o.out.cmp(&self.out)).is_gt()
            }
        }
    }
}

/// Candidates evaluated per parallel work item (the split does not change the result).
const CHUNK: usize = 32;

/// Best-improvement swap local search from `state` (Teitz & Bart 1968,
/// "Heuristic methods for estimating the generalized vertex median of a
/// weighted graph", Operations Research 16(5), pp. 955–961: the
/// substitution of one chosen vertex by one unchosen vertex, applied to
/// covering as in Church & ReVelle 1974). Each pass evaluates every move
/// exactly and applies the best one; returns the number of moves applied.
///
/// The value of swapping chosen `j` for unchosen `k` is
/// `gain(k) − loss(j) + shared(j, k)`, where `gain(k)` is the weight only `k`
/// would newly cover, `loss(j)` the weight only `j` covers, and `shared(j, k)`
/// the weight covered by `j` alone that `k` also covers. One pass costs
/// O(pairs + candidates × chosen) (the bookkeeping of Whitaker 1983's fast
/// interchange, here for coverage): every candidate's list is read once,
/// attributing each singly covered class to its only covering site.
pub(crate) fn improve(
    r: &Reduced,
    state: &mut CoverCount,
    goal: Goal,
    max_moves: usize,
    progress: &dyn Progress,
) -> Result<usize> {
    let tol = 1e-12 * r.total;
    let cost_tol = 1e-12 * r.cost.iter().fold(0.0f64, |a, &c| a.max(c));
    let n = r.candidates();
    let chunks: Vec<Range<usize>> = (0..n.div_ceil(CHUNK)).map(|c| c * CHUNK..((c + 1) * CHUNK).min(n)).collect();
    let mut moves = 0;
    progress.begin("siting: local search", 0);
    while moves < max_moves {
        if progress.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let chosen = state.chosen.clone();
        let mut pos = vec![NONE; n];
        for (p, &j) in chosen.iter().enumerate() {
            pos[j] = p;
        }
        let loss: Vec<f64> = chosen.iter().map(|&j| state.loss(r, j)).collect();
        let st = &*state;
        let best_per_chunk = crate::parallel::map(&chunks, |range| {
            let mut shared = vec![0.0; chosen.len()];
            let mut touched = Vec::new();
            let mut best: Option<Move> = None;
            for k in range.clone() {
                if st.is_chosen[k] {
                    continue;
                }
                let mut gain = 0.0;
                for &c in r.covers(k) {
                    let c = c as usize;
                    match st.count[c] {
                        0 => gain += r.weight[c],
                        1 => {
                            let p = pos[st.owner(c)];
                            if shared[p] == 0.0 {
                                touched.push(p);
                            }
                            shared[p] += r.weight[c];
                        }
                        _ => {}
                    }
                }
                let mut consider = |out: usize, delta: f64| {
                    let cost_after = st.cost + r.cost[k] - if out == NONE { 0.0 } else { r.cost[out] };
                    let score = match goal {
                        Goal::Cover { sites } => {
                            let fits = out != NONE || chosen.len() < sites;
                            (fits && delta > tol).then_some((delta, 0.0))
                        }
                        Goal::CoverWithin { budget } => {
                            (delta > tol && cost_after <= budget * (1.0 + 1e-12)).then_some((delta, 0.0))
                        }
                        Goal::Cheaper { need } => {
                            let saved = st.cost - cost_after;
                            (saved > cost_tol && st.covered + delta >= need - tol).then_some((saved, delta))
                        }
                    };
                    if let Some(score) = score {
                        let m = Move { score, k, out };
                        if m.better_than(&best) {
                            best = Some(m);
                        }
                    }
                };
                consider(NONE, gain);
                for (p, &j) in chosen.iter().enumerate() {
                    consider(j, gain - loss[p] + shared[p]);
                }
                for p in touched.drain(..) {
                    shared[p] = 0.0;
                }
            }
            best
        });
        let mut best: Option<Move> = None;
        for m in best_per_chunk.into_iter().flatten() {
            if m.better_than(&best) {
                best = Some(m);
            }
        }
        // Dropping a site (cost goal only): saves its cost, loses its unique coverage.
        if let Goal::Cheaper { need } = goal {
            for (p, &j) in chosen.iter().enumerate() {
                if r.cost[j] > cost_tol && state.covered - loss[p] >= need - tol {
                    let m = Move { score: (r.cost[j], -loss[p]), k: NONE, out: j };
                    if m.better_than(&best) {
                        best = Some(m);
                    }
                }
            }
        }
        let Some(m) = best else { break };
        if m.out != NONE {
            state.remove(r, m.out);
        }
        if m.k != NONE {
            state.add(r, m.k);
        }
        moves += 1;
        progress.advance(1);
    }
    state.refresh(r);
    Ok(moves)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::siting::CoverageSets;

    #[test]
    fn swap_finds_the_pair_greedy_misses() {
        // The big middle set 0 attracts greedy; sets 1 and 2 together cover more.
        let sets = CoverageSets::from_lists(
            vec![1.0; 10],
            &[vec![2, 3, 4, 5, 6, 7], vec![0, 1, 2, 3, 4], vec![5, 6, 7, 8, 9]],
        )
        .unwrap();
        let r = Reduced::new(&sets);
        let mut s = CoverCount::with(&r, &[0, 1]);
        assert_eq!(s.covered, 8.0);
        let moves = improve(&r, &mut s, Goal::Cover { sites: 2 }, 100, &()).unwrap();
        assert_eq!((moves, s.covered), (1, 10.0));
        let mut chosen = s.chosen.clone();
        chosen.sort();
        assert_eq!(chosen, [1, 2]);
    }

    #[test]
    fn cheaper_drops_redundant_and_swaps_to_cheaper_sites() {
        let sets = CoverageSets::from_lists(vec![1.0; 4], &[vec![0, 1], vec![2, 3], vec![0, 1, 2, 3], vec![0, 1]])
            .unwrap()
            .with_costs(vec![5.0, 5.0, 20.0, 1.0])
            .unwrap();
        let r = Reduced::new(&sets);
        let mut s = CoverCount::with(&r, &[0, 1, 2]);
        improve(&r, &mut s, Goal::Cheaper { need: 4.0 }, 100, &()).unwrap();
        let mut chosen = s.chosen.clone();
        chosen.sort();
        assert_eq!((chosen, s.cost, s.covered), (vec![1, 3], 6.0, 4.0));
    }
}
