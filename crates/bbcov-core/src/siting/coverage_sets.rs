//! Coverage sets: which demand points each candidate site covers, with demand
//! weights, candidate costs and the existing sites that are locked in.

use rstar::{RTree, primitives::GeomWithData};

use crate::{Error, Progress, Result};

/// The input of every site-selection problem: a sparse demand × candidate
/// incidence, stored per candidate (compressed sparse rows: for candidate `j`,
/// the sorted demand indices it covers), plus a weight per demand point
/// (households or people), a cost per candidate (1 unless given) and the
/// candidates that are existing sites, locked into every plan.
///
/// Coverage is anything the caller decides: a radio model's "RSRP above the
/// threshold", a drive time, or the plain distance radius of
/// [`within_radius`](CoverageSets::within_radius).
///
/// ```
/// use bbcov_core::siting::CoverageSets;
/// // 4 demand points; candidate 0 covers points 0 and 1, candidate 1 covers 1, 2 and 3.
/// let sets = CoverageSets::from_lists(vec![5.0, 1.0, 2.0, 2.0], &[vec![0, 1], vec![3, 1, 2]])?
///     .with_costs(vec![10.0, 25.0])?
///     .with_locked(&[1])?;
/// assert_eq!(sets.covered_by(1), [1, 2, 3]);
/// assert_eq!(sets.covered_weight(&[0, 1])?, 10.0);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageSets {
    weights: Vec<f64>,
    offsets: Vec<usize>,
    demand: Vec<u32>,
    costs: Vec<f64>,
    locked: Vec<usize>,
}

impl CoverageSets {
    /// Coverage sets from one list of covered demand indices per candidate
    /// (in any order; repeated indices count once).
    ///
    /// Errors: no candidates ([`Error::EmptyLayer`]), a negative, NaN or
    /// infinite weight ([`Error::InvalidWeight`]), a demand index out of range
    /// ([`Error::InvalidCoverageSets`]).
    pub fn from_lists<L: AsRef<[usize]>>(weights: Vec<f64>, lists: &[L]) -> Result<Self> {
        let mut offsets = Vec::with_capacity(lists.len() + 1);
        offsets.push(0);
        let mut demand = Vec::with_capacity(lists.iter().map(|l| l.as_ref().len()).sum());
        for list in lists {
            demand.extend(list.as_ref().iter().map(|&i| u32::try_from(i).unwrap_or(u32::MAX)));
            offsets.push(demand.len());
        }
        // Report the offending index as given, even beyond u32.
        for (j, list) in lists.iter().enumerate() {
            if let Some(&i) = list.as_ref().iter().find(|&&i| i >= weights.len()) {
                return Err(out_of_range(j, i, weights.len()));
            }
        }
        Self::from_csr(weights, offsets, demand)
    }

    /// Coverage sets from compressed sparse rows: candidate `j` covers
    /// `demand[offsets[j]..offsets[j + 1]]` (in any order; repeats count once).
    /// `offsets` has one entry more than there are candidates and starts at 0.
    pub fn from_csr(weights: Vec<f64>, offsets: Vec<usize>, mut demand: Vec<u32>) -> Result<Self> {
        if offsets.len() < 2 {
            return Err(Error::EmptyLayer { layer: "candidate sites".into() });
        }
        if offsets[0] != 0 || offsets.windows(2).any(|w| w[0] > w[1]) || offsets.last() != Some(&demand.len()) {
            return Err(Error::InvalidCoverageSets {
                reason: format!(
                    "offsets must start at 0, never decrease and end at the number of entries ({}); got {} offsets starting at {} and ending at {}",
                    demand.len(),
                    offsets.len(),
                    offsets[0],
                    offsets[offsets.len() - 1]
                ),
            });
        }
        if weights.len() > u32::MAX as usize {
            return Err(Error::InvalidCoverageSets {
                reason: format!("{} demand points; at most {} are supported", weights.len(), u32::MAX),
            });
        }
        check_weights(&weights)?;
        let n = weights.len();
        for j in 0..offsets.len() - 1 {
            let list = &mut demand[offsets[j]..offsets[j + 1]];
            if let Some(&i) = list.iter().find(|&&i| i as usize >= n) {
                return Err(out_of_range(j, i as usize, n));
            }
            list.sort_unstable();
        }
        // Drop repeats, compacting the lists in place.
        let mut compact_offsets = Vec::with_capacity(offsets.len());
        compact_offsets.push(0);
        let mut write = 0;
        for j in 0..offsets.len() - 1 {
            let mut last = None;
            for read in offsets[j]..offsets[j + 1] {
                let i = demand[read];
                if last != Some(i) {
                    demand[write] = i;
                    write += 1;
                    last = Some(i);
                }
            }
            compact_offsets.push(write);
        }
        demand.truncate(write);
        let candidates = compact_offsets.len() - 1;
        Ok(CoverageSets { weights, offsets: compact_offsets, demand, costs: vec![1.0; candidates], locked: Vec::new() })
    }

    /// Coverage by distance: candidate `j` covers demand point `i` when their
    /// planar euclidean distance, `hypot(dx, dy)`, is at most `radius`
    /// (coordinates in a projected metric CRS; the same test as
    /// `numpy.hypot(dx, dy) <= radius`, so results match a numpy/spopt set-up
    /// point for point). For tests, benchmarks and quick studies; the radio
    /// model produces coverage over terrain.
    ///
    /// ```
    /// use bbcov_core::siting::CoverageSets;
    /// let demand = [[0.0, 0.0], [3000.0, 0.0], [3000.0, 4000.0]];
    /// let candidates = [[0.0, 0.0], [3000.0, 4000.0]];
    /// let sets = CoverageSets::within_radius(&demand, vec![1.0; 3], &candidates, 3000.0)?;
    /// assert_eq!((sets.covered_by(0), sets.covered_by(1)), (&[0, 1][..], &[2][..]));
    /// # Ok::<(), bbcov_core::Error>(())
    /// ```
    pub fn within_radius(demand: &[[f64; 2]], weights: Vec<f64>, candidates: &[[f64; 2]], radius: f64) -> Result<Self> {
        Self::within_radius_with(demand, weights, candidates, radius, &())
    }

    /// [`within_radius`](CoverageSets::within_radius) with progress reporting and cancellation.
    pub fn within_radius_with(
        demand: &[[f64; 2]],
        weights: Vec<f64>,
        candidates: &[[f64; 2]],
        radius: f64,
        progress: &dyn Progress,
    ) -> Result<Self> {
        if !(radius.is_finite() && radius >= 0.0) {
            return Err(Error::InvalidParameter {
                name: "radius",
                value: radius,
                expected: "a finite distance >= 0".into(),
            });
        }
        if weights.len() != demand.len() {
            return Err(Error::LengthMismatch {
                what: "demand weights".into(),
                expected: demand.len(),
                got: weights.len(),
            });
        }
        if demand.len() > u32::MAX as usize {
            return Err(Error::InvalidCoverageSets {
                reason: format!("{} demand points; at most {} are supported", demand.len(), u32::MAX),
            });
        }
        check_points("demand points", demand)?;
        check_points("candidate sites", candidates)?;
        let tree = RTree::bulk_load(
            demand.iter().enumerate().map(|(i, &p)| GeomWithData::new(p, i as u32)).collect::<Vec<_>>(),
        );
        // Search a hair wider than the radius, then apply the exact test.
        let reach = radius * (1.0 + 1e-9) + 1e-9;
        progress.begin("siting: coverage sets", candidates.len() as u64);
        let lists = crate::parallel::map_chunks(candidates, |&c| {
            if progress.is_cancelled() {
                return Err(Error::Cancelled);
            }
            let mut list: Vec<u32> = tree
                .locate_within_distance(c, reach * reach)
                .filter(|p| (p.geom()[0] - c[0]).hypot(p.geom()[1] - c[1]) <= radius)
                .map(|p| p.data)
                .collect();
            list.sort_unstable();
            progress.advance(1);
            Ok(list)
        })?;
        let mut offsets = Vec::with_capacity(lists.len() + 1);
        offsets.push(0);
        let mut flat = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        for list in lists {
            flat.extend(list);
            offsets.push(flat.len());
        }
        Self::from_csr(weights, offsets, flat)
    }

    /// Sets the cost of building each candidate site (finite, >= 0). Costs
    /// weigh the budgeted and the target-share problems; locked-in sites exist
    /// already and their cost is never charged.
    pub fn with_costs(mut self, costs: Vec<f64>) -> Result<Self> {
        if costs.len() != self.candidates() {
            return Err(Error::LengthMismatch {
                what: "candidate costs".into(),
                expected: self.candidates(),
                got: costs.len(),
            });
        }
        if let Some((j, c)) = costs.iter().enumerate().find(|(_, c)| !(c.is_finite() && **c >= 0.0)) {
            return Err(Error::InvalidCoverageSets {
                reason: format!("candidate {j} has cost {c}: costs must be finite and >= 0"),
            });
        }
        self.costs = costs;
        Ok(self)
    }

    /// Locks existing sites into every plan (candidate indices; repeats count
    /// once). They count as already chosen: a plan with `p` sites has these
    /// plus `p - locked` new ones.
    pub fn with_locked(mut self, locked: &[usize]) -> Result<Self> {
        let mut seen = vec![false; self.candidates()];
        let mut list = Vec::with_capacity(locked.len());
        for &j in locked {
            if j >= self.candidates() {
                return Err(Error::InvalidCoverageSets {
                    reason: format!(
                        "locked-in site {j} does not exist: there are {} candidate sites",
                        self.candidates()
                    ),
                });
            }
            if !std::mem::replace(&mut seen[j], true) {
                list.push(j);
            }
        }
        self.locked = list;
        Ok(self)
    }

    /// Number of demand points.
    pub fn demand_points(&self) -> usize {
        self.weights.len()
    }

    /// Number of candidate sites (locked-in ones included).
    pub fn candidates(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Weight of each demand point.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Cost of each candidate site.
    pub fn costs(&self) -> &[f64] {
        &self.costs
    }

    /// The locked-in sites, in the order given.
    pub fn locked(&self) -> &[usize] {
        &self.locked
    }

    /// Sorted demand indices covered by candidate `j`. Panics if `j` is out of range.
    pub fn covered_by(&self, j: usize) -> &[u32] {
        &self.demand[self.offsets[j]..self.offsets[j + 1]]
    }

    /// Number of (demand, candidate) coverage pairs.
    pub fn pairs(&self) -> usize {
        self.demand.len()
    }

    /// Total demand weight.
    pub fn total_weight(&self) -> f64 {
        self.weights.iter().sum()
    }

    /// Weight of the demand covered by at least one of `sites` (candidate
    /// indices; the locked-in sites count only if listed). Sums in demand
    /// order, so equal sets give bit-identical results.
    pub fn covered_weight(&self, sites: &[usize]) -> Result<f64> {
        let covered = self.covered_mask(sites)?;
        Ok(self.weights.iter().zip(&covered).filter(|(_, c)| **c).map(|(w, _)| w).sum())
    }

    /// Weight covered by every candidate together: the most any plan can reach.
    pub fn coverable_weight(&self) -> f64 {
        let all: Vec<usize> = (0..self.candidates()).collect();
        self.covered_weight(&all).unwrap_or(0.0)
    }

    /// Whether each demand point is covered by at least one of `sites`.
    pub fn covered_mask(&self, sites: &[usize]) -> Result<Vec<bool>> {
        let mut covered = vec![false; self.weights.len()];
        for &j in sites {
            if j >= self.candidates() {
                return Err(Error::InvalidCoverageSets {
                    reason: format!("site {j} does not exist: there are {} candidate sites", self.candidates()),
                });
            }
            for &i in self.covered_by(j) {
                covered[i as usize] = true;
            }
        }
        Ok(covered)
    }
}

fn out_of_range(candidate: usize, index: usize, n: usize) -> Error {
    Error::InvalidCoverageSets {
        reason: format!(
            "candidate {candidate} covers demand index {index}, out of range: there are {n} demand points (indices 0 to {})",
            n.saturating_sub(1)
        ),
    }
}

fn check_weights(weights: &[f64]) -> Result<()> {
    match weights.iter().enumerate().find(|(_, w)| !(w.is_finite() && **w >= 0.0)) {
        Some((index, &value)) => Err(Error::InvalidWeight { layer: "demand points".into(), index, id: None, value }),
        None => Ok(()),
    }
}

fn check_points(layer: &str, points: &[[f64; 2]]) -> Result<()> {
    if layer == "candidate sites" && points.is_empty() {
        return Err(Error::EmptyLayer { layer: layer.into() });
    }
    match points.iter().enumerate().find(|(_, p)| !(p[0].is_finite() && p[1].is_finite())) {
        Some((index, p)) => Err(Error::InvalidCoordinate {
            layer: layer.into(),
            index,
            id: None,
            x: p[0],
            y: p[1],
            reason: "coordinates must be finite",
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_deduplicated() {
        let sets = CoverageSets::from_lists(vec![1.0; 4], &[vec![3, 1, 3, 0], vec![]]).unwrap();
        assert_eq!(sets.covered_by(0), [0, 1, 3]);
        assert_eq!(sets.covered_by(1), [] as [u32; 0]);
        assert_eq!(sets.pairs(), 3);
        assert_eq!(sets.coverable_weight(), 3.0);
    }

    #[test]
    fn bad_inputs_are_named() {
        let e = CoverageSets::from_lists(vec![1.0; 2], &[vec![0], vec![2]]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "coverage sets: candidate 1 covers demand index 2, out of range: there are 2 demand points (indices 0 to 1)"
        );
        let e = CoverageSets::from_lists(vec![1.0, f64::NAN], &[vec![0]]).unwrap_err();
        assert!(matches!(e, Error::InvalidWeight { index: 1, .. }), "{e}");
        let e = CoverageSets::from_lists(vec![1.0, -2.0], &[vec![0]]).unwrap_err();
        assert!(matches!(e, Error::InvalidWeight { index: 1, .. }), "{e}");
        let e = CoverageSets::from_lists::<Vec<usize>>(vec![1.0], &[]).unwrap_err();
        assert_eq!(e.to_string(), "candidate sites: the layer is empty");
        let sets = CoverageSets::from_lists(vec![1.0], &[vec![0], vec![0]]).unwrap();
        let e = sets.clone().with_costs(vec![1.0, -3.0]).unwrap_err();
        assert_eq!(e.to_string(), "coverage sets: candidate 1 has cost -3: costs must be finite and >= 0");
        assert!(matches!(sets.clone().with_costs(vec![1.0, f64::NAN]), Err(Error::InvalidCoverageSets { .. })));
        assert!(matches!(sets.clone().with_costs(vec![1.0]), Err(Error::LengthMismatch { .. })));
        let e = sets.clone().with_locked(&[5]).unwrap_err();
        assert_eq!(e.to_string(), "coverage sets: locked-in site 5 does not exist: there are 2 candidate sites");
        assert!(matches!(
            CoverageSets::from_csr(vec![1.0], vec![0, 2], vec![0]),
            Err(Error::InvalidCoverageSets { .. })
        ));
        assert!(matches!(
            CoverageSets::within_radius(&[[0.0, 0.0]], vec![1.0], &[[0.0, 0.0]], f64::NAN),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(matches!(
            CoverageSets::within_radius(&[[0.0, f64::INFINITY]], vec![1.0], &[[0.0, 0.0]], 1.0),
            Err(Error::InvalidCoordinate { .. })
        ));
        assert!(matches!(
            CoverageSets::within_radius(&[[0.0, 0.0]], vec![1.0], &[], 1.0),
            Err(Error::EmptyLayer { .. })
        ));
    }

    #[test]
    fn locked_sites_keep_their_order_once() {
        let sets =
            CoverageSets::from_lists(vec![1.0], &[vec![0], vec![0], vec![]]).unwrap().with_locked(&[2, 0, 2]).unwrap();
        assert_eq!(sets.locked(), [2, 0]);
    }

    #[test]
    fn radius_matches_brute_force_hypot() {
        let demand: Vec<[f64; 2]> =
            (0..400).map(|k| [(k * 37 % 101) as f64 * 50.0, (k * 53 % 97) as f64 * 50.0]).collect();
        let candidates: Vec<[f64; 2]> =
            (0..30).map(|k| [(k * 17 % 29) as f64 * 170.0, (k * 11 % 31) as f64 * 160.0]).collect();
        let sets = CoverageSets::within_radius(&demand, vec![1.0; 400], &candidates, 1000.0).unwrap();
        for (j, c) in candidates.iter().enumerate() {
            let expected: Vec<u32> = (0..demand.len() as u32)
                .filter(|&i| (demand[i as usize][0] - c[0]).hypot(demand[i as usize][1] - c[1]) <= 1000.0)
                .collect();
            assert_eq!(sets.covered_by(j), expected.as_slice());
        }
    }
}
