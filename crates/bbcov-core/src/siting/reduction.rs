//! The reduced problem every solver works on: demand already covered by the
//! locked-in sites removed, demand no free candidate covers removed, and demand
//! points covered by exactly the same candidates merged into one class.

use std::collections::HashMap;

use super::CoverageSets;

/// A covering instance over the free (not locked-in) candidates and the demand
/// classes they can still gain. Candidate `k` here is `ids[k]` in the
/// [`CoverageSets`].
#[derive(Debug, Clone)]
pub(crate) struct Reduced {
    /// Original index of each free candidate.
    pub ids: Vec<usize>,
    /// Cost of each free candidate.
    pub cost: Vec<f64>,
    /// CSR: classes covered by free candidate k are `classes[offsets[k]..offsets[k + 1]]`, sorted.
    offsets: Vec<usize>,
    classes: Vec<u32>,
    /// Weight of each demand class.
    pub weight: Vec<f64>,
    /// Weight covered by the locked-in sites.
    pub base: f64,
    /// Weight of all demand.
    pub total: f64,
}

impl Reduced {
    pub fn new(sets: &CoverageSets) -> Self {
        let n_demand = sets.demand_points();
        let weights = sets.weights();
        let total: f64 = weights.iter().sum();
        let mut gone = sets.covered_mask(sets.locked()).expect("locked sites were checked");
        let base = weights.iter().zip(&gone).filter(|(_, g)| **g).map(|(w, _)| w).sum();
        // Zero weights can never change an objective.
        for (g, w) in gone.iter_mut().zip(weights) {
            *g |= *w == 0.0;
        }
        let mut is_locked = vec![false; sets.candidates()];
        for &j in sets.locked() {
            is_locked[j] = true;
        }
        let ids: Vec<usize> = (0..sets.candidates()).filter(|&j| !is_locked[j]).collect();
        // Transpose to demand -> free candidates (local indices, ascending).
        let mut count = vec![0u32; n_demand + 1];
        for &j in &ids {
            for &i in sets.covered_by(j) {
                if !gone[i as usize] {
                    count[i as usize + 1] += 1;
                }
            }
        }
        let mut start: Vec<usize> = Vec::with_capacity(n_demand + 1);
        let mut acc = 0usize;
        for c in &count {
            acc += *c as usize;
            start.push(acc);
        }
        let mut fill = start.clone();
        let mut by_demand = vec![0u32; acc];
        for (k, &j) in ids.iter().enumerate() {
            for &i in sets.covered_by(j) {
                let i = i as usize;
                if !gone[i] {
                    by_demand[fill[i]] = k as u32;
                    fill[i] += 1;
                }
            }
        }
        // Merge demand points with identical candidate lists, in demand order.
        let mut class_of: HashMap<&[u32], u32> = HashMap::new();
        let mut weight = Vec::new();
        let mut class_lists: Vec<&[u32]> = Vec::new();
        for i in 0..n_demand {
            let list = &by_demand[start[i]..start[i + 1]];
            if list.is_empty() {
                continue;
            }
            let next = weight.len() as u32;
            let c = *class_of.entry(list).or_insert(next);
            if c == next {
                weight.push(0.0);
                class_lists.push(list);
            }
            weight[c as usize] += weights[i];
        }
        // Back to candidate -> classes; classes come out ascending.
        let mut offsets = vec![0usize; ids.len() + 1];
        for list in &class_lists {
            for &k in *list {
                offsets[k as usize + 1] += 1;
            }
        }
        for k in 0..ids.len() {
            offsets[k + 1] += offsets[k];
        }
        let mut fill = offsets.clone();
        let mut classes = vec![0u32; offsets[ids.len()]];
        for (c, list) in class_lists.iter().enumerate() {
            for &k in *list {
                classes[fill[k as usize]] = c as u32;
                fill[k as usize] += 1;
            }
        }
        let cost = ids.iter().map(|&j| sets.costs()[j]).collect();
        Reduced { ids, cost, offsets, classes, weight, base, total }
    }

    /// Number of free candidates.
    pub fn candidates(&self) -> usize {
        self.ids.len()
    }

    /// Number of demand classes.
    pub fn classes(&self) -> usize {
        self.weight.len()
    }

    /// Classes covered by free candidate `k`.
    pub fn covers(&self, k: usize) -> &[u32] {
        &self.classes[self.offsets[k]..self.offsets[k + 1]]
    }

    /// Number of (class, candidate) pairs.
    pub fn pairs(&self) -> usize {
        self.classes.len()
    }

    /// Weight the free candidates can add to the locked-in coverage.
    pub fn gainable(&self) -> f64 {
        self.weight.iter().sum()
    }

    /// Weight covered by the free candidates `chosen` (beyond the locked-in coverage).
    pub fn covered(&self, chosen: &[usize]) -> f64 {
        let mut hit = vec![false; self.classes()];
        for &k in chosen {
            for &c in self.covers(k) {
                hit[c as usize] = true;
            }
        }
        self.weight.iter().zip(&hit).filter(|(_, h)| **h).map(|(w, _)| w).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_identical_demand_and_drops_locked_coverage() {
        // Demand 0 and 2 are covered by the same candidates {0, 1}; demand 3 by locked 2 only;
        // demand 4 by nobody; demand 1 by 1 and the locked 2 (gone).
        let sets = CoverageSets::from_lists(vec![1.0, 2.0, 3.0, 4.0, 5.0], &[vec![0, 2], vec![0, 1, 2], vec![1, 3]])
            .unwrap()
            .with_locked(&[2])
            .unwrap();
        let r = Reduced::new(&sets);
        assert_eq!(r.ids, [0, 1]);
        assert_eq!((r.base, r.total), (6.0, 15.0));
        assert_eq!(r.weight, [4.0]);
        assert_eq!((r.covers(0), r.covers(1)), (&[0u32][..], &[0u32][..]));
        assert_eq!(r.covered(&[1]), 4.0);
    }
}
