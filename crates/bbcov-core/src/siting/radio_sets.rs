//! Coverage sets from the radio model: which households each candidate site
//! would serve, computed over the terrain (not a distance circle).

use crate::siting::CoverageSets;
use crate::{Error, HouseholdRadioOptions, Households, Progress, Result, Site, household_signal};

/// The coverage sets of `candidates` over the households `demand` (indices
/// into `households`, e.g. the unserved ones): candidate `j` covers demand
/// point `k` when the RSRP of site `j` alone at household `demand[k]`
/// ([`household_signal`], indoor loss and threshold of `options`) reaches the
/// threshold. Demand weights are the households' weights. Candidates are
/// evaluated in parallel (with the `parallel` feature); the sets do not depend
/// on the thread count. Progress counts candidates; cancellation is honoured
/// between candidates.
///
/// ```
/// use bbcov_core::{Antenna, Crs, Dem, GeoTransform, HouseholdRadioOptions, Households, RadioModel, Site, Technology};
/// use bbcov_core::siting::{coverage_sets_from_radio, max_covering};
/// use ndarray::Array2;
/// let crs = Crs::Projected { epsg: 32652 };
/// let dem = Dem::new(Array2::zeros((201, 201)), GeoTransform::new(0.0, 2010.0, 10.0, 10.0), crs, None)?;
/// let site = |id: &str, x: f64| Site::new(id, [x, 1005.0], 30.0, Technology::Lte, 1800.0, 20.0, 20.0, 0.0, Antenna::omni(0.0).unwrap());
/// let candidates = [site("west", 205.0)?, site("east", 1805.0)?];
/// let hh = Households::new(crs, vec![[105.0, 1005.0], [1705.0, 1005.0], [1905.0, 1005.0]], None, None)?;
/// let options = HouseholdRadioOptions::new(500.0, RadioModel::diffraction());
/// let sets = coverage_sets_from_radio(&dem, &candidates, &hh, &[0, 1, 2], &options, &())?;
/// assert_eq!(sets.covered_by(0), [0]);
/// assert_eq!(sets.covered_by(1), [1, 2]);
/// assert_eq!(max_covering(&sets, 1)?.sites, [1]);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn coverage_sets_from_radio(
    dem: &crate::Dem,
    candidates: &[Site],
    households: &Households,
    demand: &[usize],
    options: &HouseholdRadioOptions,
    progress: &dyn Progress,
) -> Result<CoverageSets> {
    if let Some(&i) = demand.iter().find(|&&i| i >= households.len()) {
        return Err(Error::InvalidParameter {
            name: "demand",
            value: i as f64,
            expected: format!("household indices below {}", households.len()),
        });
    }
    let weights: Vec<f64> = demand.iter().map(|&i| households.weights()[i]).collect();
    if demand.is_empty() {
        return CoverageSets::from_lists(weights, &vec![Vec::<usize>::new(); candidates.len()]);
    }
    let points = Households::new(households.crs(), demand.iter().map(|&i| households.coords()[i]).collect(), Some(weights.clone()), None)?;
    // Only the covered flags are read.
    let options = &options.with_line_of_sight(false);
    progress.begin("candidate coverage", candidates.len() as u64);
    let lists = crate::parallel::map_chunks(candidates, |site| {
        if progress.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let signals = household_signal(dem, std::slice::from_ref(site), &points, options)?;
        progress.advance(1);
        Ok(signals.iter().enumerate().filter(|(_, s)| s.covered).map(|(k, _)| k).collect::<Vec<usize>>())
    })?;
    CoverageSets::from_lists(weights, &lists)
}
