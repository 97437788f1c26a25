//! How many chosen sites cover each demand class, and which one when it is
//! exactly one: the state that greedy and local search update incrementally.

use super::reduction::Reduced;

/// Chosen free candidates and, per demand class, the number of chosen sites
/// covering it and the sum of their indices (which is the covering site
/// itself when the count is 1).
#[derive(Debug, Clone)]
pub(crate) struct CoverCount {
    pub count: Vec<u32>,
    owner_sum: Vec<u64>,
    pub chosen: Vec<usize>,
    pub is_chosen: Vec<bool>,
    /// Covered weight beyond the locked-in coverage (kept up to date incrementally).
    pub covered: f64,
    /// Cost of the chosen sites.
    pub cost: f64,
}

impl CoverCount {
    pub fn new(r: &Reduced) -> Self {
        CoverCount {
            count: vec![0; r.classes()],
            owner_sum: vec![0; r.classes()],
            chosen: Vec::new(),
            is_chosen: vec![false; r.candidates()],
            covered: 0.0,
            cost: 0.0,
        }
    }

    /// The state with exactly `chosen` selected.
    pub fn with(r: &Reduced, chosen: &[usize]) -> Self {
        let mut s = Self::new(r);
        for &k in chosen {
            s.add(r, k);
        }
        s.covered = r.covered(&s.chosen);
        s
    }

    /// Weight that adding `k` would newly cover.
    pub fn gain(&self, r: &Reduced, k: usize) -> f64 {
        r.covers(k).iter().filter(|&&c| self.count[c as usize] == 0).map(|&c| r.weight[c as usize]).sum()
    }

    /// Weight that removing the chosen `k` would uncover.
    pub fn loss(&self, r: &Reduced, k: usize) -> f64 {
        r.covers(k).iter().filter(|&&c| self.count[c as usize] == 1).map(|&c| r.weight[c as usize]).sum()
    }

    /// The only chosen site covering class `c` (meaningful when `count[c] == 1`).
    pub fn owner(&self, c: usize) -> usize {
        self.owner_sum[c] as usize
    }

    pub fn add(&mut self, r: &Reduced, k: usize) {
        debug_assert!(!self.is_chosen[k]);
        let mut gained = 0.0;
        for &c in r.covers(k) {
            let c = c as usize;
            if self.count[c] == 0 {
                gained += r.weight[c];
            }
            self.count[c] += 1;
            self.owner_sum[c] += k as u64;
        }
        self.covered += gained;
        self.cost += r.cost[k];
        self.is_chosen[k] = true;
        self.chosen.push(k);
    }

    pub fn remove(&mut self, r: &Reduced, k: usize) {
        debug_assert!(self.is_chosen[k]);
        let mut lost = 0.0;
        for &c in r.covers(k) {
            let c = c as usize;
            self.count[c] -= 1;
            self.owner_sum[c] -= k as u64;
            if self.count[c] == 0 {
                lost += r.weight[c];
            }
        }
        self.covered -= lost;
        self.cost -= r.cost[k];
        self.is_chosen[k] = false;
        self.chosen.retain(|&x| x != k);
    }

    /// Recomputes the covered weight and cost exactly (no incremental drift).
    pub fn refresh(&mut self, r: &Reduced) {
        self.covered = r.covered(&self.chosen);
        let mut sorted = self.chosen.clone();
        sorted.sort_unstable();
        self.cost = sorted.iter().map(|&k| r.cost[k]).sum();
    }
}
