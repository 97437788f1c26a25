//! The whole analysis of a region in one call: fiber coverage, the radio
//! signal of the existing towers at every household, the unserved
//! households, candidate sites with their backhaul and costs, a siting plan
//! with the coverage and costs of each of its sites, the regulator-style
//! metrics before and after it, and (on request) the per-technology radio
//! coverage, the best-server coverage map and a fiber extension scenario.
//!
//! [`analyze_region`] is what `bbcov plan` and `bbcov report` run and what
//! the Python `bbcov.report` and `bbcov.siting.plan_sites` run through the
//! extension module, so that they agree number for number. It takes layers
//! already in memory (in one projected CRS: the DEM's), plain settings, and
//! a caller-supplied [`ToLonLat`] for the JIS X 0410 grid squares of the
//! regulator metrics: the core has no EPSG database, so the CLI passes
//! PROJ's (bbcov-io) and Python pyproj's.

use crate::siting::{
    CoverageSets, SiteCost, SitingOptions, SitingPlan, budgeted_covering_with, coverage_sets_from_radio, max_covering_with, site_costs,
    target_covering_with,
};
use crate::{
    Antenna, BackhaulOption, BackhaulOptions, BestServerMap, Candidate, CandidateBackhaul, CandidateFilter, CandidateSource, CostTable,
    CoverageOptions, Crs, Dem, Error, FiberCoverage, FiberNetwork, FiberOptions, HouseholdRadioOptions, HouseholdSignal,
    Households, Hub, IndoorLoss, MicrowaveOptions, Progress, Site, SquareCoverageOptions, SquareUniverse, Technology,
    base_station_square_share, best_server, fiber_availability, fiber_coverage_with, filter_candidates, grid_candidates,
    high_points, household_signal, listed_candidates, population_coverage_by_square,
};

/// Unprojects points of a CRS to lon/lat degrees (JGD2011 / WGS 84), for the
/// grid-square codes of the regulator metrics. Supplied by the caller: the
/// CLI passes bbcov-io's `to_lonlat` (PROJ), Python pyproj's transformer.
pub type ToLonLat<'a> = dyn Fn(Crs, &[[f64; 2]]) -> Result<Vec<[f64; 2]>, String> + Sync + 'a;

/// Errors of [`analyze_region`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RegionError {
    /// An error of one of the core's computations.
    #[error(transparent)]
    Core(#[from] Error),
    /// `[plan] technology` names no technology.
    #[error("[plan] technology {label:?}: use 4G, 5G or local5G")]
    UnknownTechnology { label: String },
    /// A new site cannot be built from the `[plan]` settings.
    #[error("[plan] new sites: {0}")]
    NewSite(Error),
    /// A locked-in candidate id that no candidate has.
    #[error("[plan] locked: no candidate {id:?} (see candidates.gpkg of a previous run)")]
    UnknownLocked { id: String },
    /// The candidate filters left nothing.
    #[error(
        "no candidate site is left after the filters (on land, slope, road distance); relax [plan] max_slope_deg or max_road_distance_m"
    )]
    NoCandidates,
    /// The caller's [`ToLonLat`] failed.
    #[error("to lon/lat: {0}")]
    Projection(String),
}

/// Settings of the radio part: the coverage options of the maps and the
/// household signal (model, radius, receiver height, threshold, k), indoor
/// loss at households, and the interference load and noise figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RadioSettings {
    /// Model, radius, receiver height, RSRP threshold, k factor.
    pub coverage: CoverageOptions,
    /// 3GPP TR 38.901 O2I low-loss penetration at households (outdoor when false).
    pub indoor: bool,
    /// Cell load of interfering sites for SINR, in [0, 1].
    pub load: f64,
    /// Receiver noise figure (dB).
    pub noise_figure_db: f64,
}

impl RadioSettings {
    /// The household-signal options: [`HouseholdRadioOptions::from_coverage`],
    /// the load and noise figure, and TR 38.901 O2I low-loss indoor
    /// penetration (0 m inside) when `indoor`.
    ///
    /// ```
    /// use bbcov_core::{CoverageOptions, IndoorLoss, RadioModel, RadioSettings};
    /// let s = RadioSettings { coverage: CoverageOptions::new(8_000.0, RadioModel::diffraction()), indoor: true, load: 0.5, noise_figure_db: 7.0 };
    /// assert_eq!(s.household_options().indoor_loss, IndoorLoss::Tr38901LowLoss { indoor_distance_m: 0.0 });
    /// ```
    pub fn household_options(&self) -> HouseholdRadioOptions {
        let options = HouseholdRadioOptions::from_coverage(&self.coverage).with_load(self.load, self.noise_figure_db);
        if self.indoor { options.with_indoor_loss(IndoorLoss::Tr38901LowLoss { indoor_distance_m: 0.0 }) } else { options }
    }
}

/// Which siting problem to solve and how new sites look: the `[plan]` table
/// of a region file, as numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSettings {
    /// Maximal covering with this many sites (locked ones included; 5 when neither budget nor target is set).
    pub sites: Option<usize>,
    /// Budgeted covering: total capex + opex over `costs.years` of new sites and backhaul.
    pub budget: Option<f64>,
    /// Fewest-cost plan reaching this share (0–1] of the unserved households.
    pub target_share: Option<f64>,
    /// Candidate ids that must be in the plan.
    pub locked: Vec<String>,
    /// Offer the existing towers' structures as candidates (ids `tower-<id>`).
    pub towers_as_candidates: bool,
    /// Terrain high points: higher than everything within this radius (m)...
    pub high_point_radius_m: f64,
    /// ...and at least this much above the lowest point within it (m).
    pub high_point_relief_m: f64,
    /// Spacing of a regular grid of candidates (m); 0 for none.
    pub grid_spacing_m: f64,
    /// Candidates steeper than this are dropped (degrees).
    pub max_slope_deg: f64,
    /// Candidates farther than this from a road are dropped (m; only with roads).
    pub max_road_distance_m: f64,
    /// Technology label of new sites (`5G`, `4G`, `local5G`).
    pub technology: String,
    pub frequency_mhz: f64,
    /// Channel bandwidth (MHz); 20 when `None`.
    pub bandwidth_mhz: Option<f64>,
    pub eirp_dbm: f64,
    pub mast_height_m: f64,
    /// Costs of sites and backhaul (illustrative defaults, see [`CostTable`]).
    pub costs: CostTable,
    /// Microwave hops of backhaul (`None`: fiber extensions only).
    pub microwave: Option<MicrowaveOptions>,
}

impl Default for PlanSettings {
    /// Five 5G sites at 1.8 GHz, 20 MHz, EIRP 60 dBm on 40 m masts, chosen
    /// among terrain high points (1.5 km radius, 30 m relief), a 2 km grid and
    /// the existing towers, on land, at most 30° steep and 1 km from a road.
    fn default() -> Self {
        PlanSettings {
            sites: None,
            budget: None,
            target_share: None,
            locked: Vec::new(),
            towers_as_candidates: true,
            high_point_radius_m: 1_500.0,
            high_point_relief_m: 30.0,
            grid_spacing_m: 2_000.0,
            max_slope_deg: 30.0,
            max_road_distance_m: 1_000.0,
            technology: "5G".into(),
            frequency_mhz: 1_800.0,
            bandwidth_mhz: Some(20.0),
            eirp_dbm: 60.0,
            mast_height_m: 40.0,
            costs: CostTable::default(),
            microwave: Some(MicrowaveOptions::default()),
        }
    }
}

/// The fiber extension scenario (see [`fiber_extension`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FiberExtensionSettings {
    /// Longest spur (straight line, m) built to reach a cluster; 2,000 m by default.
    pub max_extension_m: f64,
    /// Area key whose values form the clusters (e.g. `village`); `None`: square cells of `cluster_cell_m`.
    pub cluster_key: Option<String>,
    /// Side (m) of the square cells of the projected CRS that form the clusters without a key; 500 m by default.
    pub cluster_cell_m: f64,
    /// Route length / straight-line length of a spur (≥ 1); 1.3 as for backhaul ([`BackhaulOptions`]).
    pub detour_factor: f64,
}

impl Default for FiberExtensionSettings {
    fn default() -> Self {
        FiberExtensionSettings {
            max_extension_m: 2_000.0,
            cluster_key: None,
            cluster_cell_m: 500.0,
            detour_factor: BackhaulOptions::default().detour_factor,
        }
    }
}

/// Everything [`analyze_region`] needs besides the layers.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionSettings {
    /// Fiber drop limit (m): households at most this far from a route have fiber.
    pub max_drop_m: f64,
    pub radio: RadioSettings,
    pub plan: PlanSettings,
    /// Also compute which households each technology's sites cover on their own (one more household-signal run per technology).
    pub radio_by_technology: bool,
    /// Also compute the best-server map of all existing sites (for maps).
    pub coverage_map: bool,
    /// Also compute the fiber extension scenario.
    pub fiber_extension: Option<FiberExtensionSettings>,
}

/// The layers of a region, all in one projected CRS (the DEM's).
#[derive(Debug, Clone, Copy)]
pub struct RegionInputs<'a> {
    pub households: &'a Households,
    pub fiber: &'a FiberNetwork,
    pub dem: &'a Dem,
    /// The existing base stations (also the microwave hubs of backhaul).
    pub towers: &'a [Site],
    /// Roads, for the candidates' road-distance filter.
    pub roads: Option<&'a FiberNetwork>,
    /// The user's own candidate positions and their ids.
    pub listed_candidates: Option<(&'a [[f64; 2]], &'a [String])>,
}

/// Regulator-style figures for one set of 5G sites.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SquareMetrics {
    /// The 5G sites counted.
    pub five_g_sites: usize,
    /// Share of the household weight in 500 m squares at least half covered by 5G (best-server RSRP ≥ threshold).
    pub population_coverage_500m: f64,
    /// 10 km squares with households that hold a 5G station.
    pub squares_10km_with_5g: usize,
    /// 10 km squares with households.
    pub squares_10km_with_households: usize,
}

impl SquareMetrics {
    /// Squares with a station / squares with households (0 without squares).
    pub fn square_share(&self) -> f64 {
        if self.squares_10km_with_households == 0 { 0.0 } else { self.squares_10km_with_5g as f64 / self.squares_10km_with_households as f64 }
    }
}

/// Which households the existing sites of one technology cover on their own.
#[derive(Debug, Clone, PartialEq)]
pub struct TechnologyRadio {
    /// Report key: `4G`, `5G` or `local5G` (see [`technology_key`]).
    pub key: &'static str,
    /// Number of existing sites with this key.
    pub sites: usize,
    /// Covered flag per household.
    pub covered: Vec<bool>,
}

/// The fiber extension scenario's result.
#[derive(Debug, Clone, PartialEq)]
pub struct FiberExtension {
    /// The spurs built: from the nearest point of the network to the cluster's weighted centre.
    pub spurs: Vec<FiberSpur>,
    /// Route km (straight length × detour factor) of all spurs.
    pub km: f64,
    /// `km × fiber_capex_per_km`.
    pub capex: f64,
    /// Per household: within the drop distance of the extended network.
    pub served: Vec<bool>,
}

/// One spur of [`FiberExtension`].
#[derive(Debug, Clone, PartialEq)]
pub struct FiberSpur {
    /// The cluster's name (its area value, or the household's index).
    pub cluster: String,
    /// Start (on the network) and end (the cluster's centre).
    pub from: [f64; 2],
    pub to: [f64; 2],
    /// Route km (straight length × detour factor).
    pub km: f64,
}

/// Everything [`analyze_region`] computes.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionOutcome {
    /// Distance to fiber per household.
    pub fiber: FiberCoverage,
    /// Per household: within the drop distance of a route.
    pub fiber_served: Vec<bool>,
    /// Per household: the signal of the existing sites.
    pub radio: Vec<HouseholdSignal>,
    /// Per household: best-server RSRP of the existing sites at or above the threshold.
    pub radio_covered: Vec<bool>,
    /// Per technology key present among the towers (when asked).
    pub radio_by_technology: Vec<TechnologyRadio>,
    /// Indices of the households neither fiber nor the existing sites serve.
    pub unserved: Vec<usize>,
    /// The candidates after the filters, and a new site at each.
    pub candidates: Vec<Candidate>,
    pub candidate_sites: Vec<Site>,
    /// Unserved households (demand points, in `unserved` order) each candidate covers.
    pub sets: CoverageSets,
    /// The microwave hubs (the towers).
    pub hubs: Vec<Hub>,
    /// Both backhaul alternatives of every candidate (fiber extension, microwave hop if feasible).
    pub backhaul_options: Vec<CandidateBackhaul>,
    /// The cheaper backhaul of every candidate over `costs.years`.
    pub backhaul: Vec<BackhaulOption>,
    /// The costs used.
    pub costs: CostTable,
    /// The plan (indices into `candidates`).
    pub plan: SitingPlan,
    /// Per unserved household (in `unserved` order): covered by the plan's sites.
    pub plan_covered: Vec<bool>,
    /// The plan's sites in plan order with their coverage and costs ([`site_costs`]).
    pub site_costs: Vec<SiteCost>,
    /// Fiber availability rate (household weight within the drop distance / all).
    pub fiber_availability_rate: f64,
    /// Regulator metrics of the existing 5G sites, and with the plan's new 5G sites.
    pub metrics_before: SquareMetrics,
    pub metrics_after: SquareMetrics,
    /// Best-server map of all existing sites (when asked).
    pub coverage_map: Option<BestServerMap>,
    /// The fiber extension scenario (when asked).
    pub fiber_extension: Option<FiberExtension>,
}

impl RegionOutcome {
    /// Weight of the households the plan newly serves.
    pub fn newly_served(&self) -> f64 {
        self.plan.covered_weight
    }

    /// Per household: covered by the plan's new sites (false for the households that were served already).
    pub fn plan_served(&self, households: usize) -> Vec<bool> {
        let mut served = vec![false; households];
        for (&i, &c) in self.unserved.iter().zip(&self.plan_covered) {
            served[i] = c;
        }
        served
    }
}

/// The report key of a site's technology: `4G` for LTE; `local5G` for NR in
/// the Japanese local 5G bands (4.6–4.9 GHz, 28.2–29.1 GHz); `5G` for other NR.
///
/// ```
/// use bbcov_core::{Antenna, Site, Technology, technology_key};
/// let site = |t, f| Site::new("s", [0.0, 0.0], 30.0, t, f, 20.0, 60.0, 0.0, Antenna::omni(0.0).unwrap()).unwrap();
/// assert_eq!(technology_key(&site(Technology::Lte, 800.0)), "4G");
/// assert_eq!(technology_key(&site(Technology::NrFr1, 3_700.0)), "5G");
/// assert_eq!(technology_key(&site(Technology::NrFr1, 4_800.0)), "local5G");
/// ```
pub fn technology_key(site: &Site) -> &'static str {
    let f = site.frequency_mhz();
    match site.technology() {
        Technology::Lte => "4G",
        _ if (4_600.0..=4_900.0).contains(&f) || (28_200.0..=29_100.0).contains(&f) => "local5G",
        _ => "5G",
    }
}

/// Runs the whole analysis of a region.
///
/// 1. fiber: households within `max_drop_m` of a route ([`fiber_coverage_with`]);
/// 2. radio: best-server RSRP of the towers at every household with indoor loss ([`household_signal`]);
/// 3. unserved: neither;
/// 4. candidates: terrain high points, a grid, the towers' structures and the
///    listed positions, kept when on land, not too steep and near a road;
///    a new omni site at each as `[plan]` describes;
/// 5. coverage sets of the candidates over the unserved households
///    ([`coverage_sets_from_radio`]), the cheaper backhaul of each (fiber
///    extension or microwave hop to a tower) over `costs.years`, locked sites;
/// 6. the plan: target share, else budget, else `sites` (5) sites, and its
///    sites' coverage and cost rows ([`site_costs`]);
/// 7. metrics: fiber availability; 5G population coverage by 500 m square and
///    10 km squares with a 5G station, for the existing 5G sites and with the
///    plan's new 5G sites;
/// 8. on request: coverage by technology, the best-server map, the fiber extension.
///
/// `log` receives one line at the end of each stage; `progress` drives a bar
/// per stage (a stage whose computation reports no progress of its own counts
/// as one unit) and may cancel, at the latest at the end of a stage.
///
/// ```
/// use bbcov_core::*;
/// use ndarray::Array2;
/// let crs = Crs::Projected { epsg: 6670 };
/// // A flat 6 km × 4 km island, fiber along the south, one 5G tower in the west.
/// let dem = Dem::new(Array2::from_elem((40, 60), 20.0), GeoTransform::new(0.0, 4_000.0, 100.0, 100.0), crs, None)?;
/// let hh = Households::new(crs, vec![[500.0, 2_000.0], [3_000.0, 250.0], [5_300.0, 3_500.0]], Some(vec![3.0, 4.0, 5.0]), None)?;
/// let fiber = FiberNetwork::new(crs, vec![vec![[100.0, 100.0], [5_900.0, 100.0]]], None)?;
/// let towers = [Site::new("T1", [600.0, 2_000.0], 30.0, Technology::NrFr1, 3_700.0, 20.0, 60.0, 0.0, Antenna::omni(0.0)?)?];
/// let settings = RegionSettings {
///     max_drop_m: 300.0,
///     radio: RadioSettings { coverage: CoverageOptions::new(1_500.0, RadioModel::diffraction()).with_clip_to_dem(true), indoor: false, load: 0.5, noise_figure_db: 7.0 },
///     plan: PlanSettings { sites: Some(1), grid_spacing_m: 1_000.0, ..Default::default() },
///     radio_by_technology: false,
///     coverage_map: false,
///     fiber_extension: None,
/// };
/// let inputs = RegionInputs { households: &hh, fiber: &fiber, dem: &dem, towers: &towers, roads: None, listed_candidates: None };
/// // A plane stand-in for PROJ (1 m = 1e-5°); the CLI passes bbcov-io's `to_lonlat`.
/// let lonlat = |_: Crs, p: &[[f64; 2]]| Ok(p.iter().map(|q| [130.0 + q[0] * 1e-5, 33.0 + q[1] * 1e-5]).collect());
/// let o = analyze_region(&inputs, &settings, &lonlat, &(), &|_| {})?;
/// assert_eq!(o.unserved, [2]); // fiber serves the second, the tower the first
/// assert_eq!(o.newly_served(), 5.0); // one new site reaches the third
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn analyze_region(
    inputs: &RegionInputs<'_>,
    settings: &RegionSettings,
    to_lonlat: &ToLonLat<'_>,
    progress: &dyn Progress,
    log: &dyn Fn(&str),
) -> Result<RegionOutcome, RegionError> {
    let RegionInputs { households, fiber, dem, towers, roads, listed_candidates: listed } = *inputs;
    let p = &settings.plan;
    let household_options = settings.radio.household_options();

    let fiber_coverage = fiber_coverage_with(households, fiber, &FiberOptions { max_drop_m: settings.max_drop_m }, progress)?;
    let fiber_served = fiber_coverage.served();
    let radio = stage(progress, "household signal", || household_signal(dem, towers, households, &household_options))?;
    let radio_covered: Vec<bool> = radio.iter().map(|s| s.covered).collect();
    let unserved: Vec<usize> = (0..households.len()).filter(|&i| !fiber_served[i] && !radio_covered[i]).collect();
    let unserved_weight = unserved.iter().fold(0.0, |sum, &i| sum + households.weights()[i]);
    log(&format!("{} of {} household points unserved ({unserved_weight} households)", unserved.len(), households.len()));

    // Candidates: terrain high points and a grid, on land, not too steep, near a road.
    let mut candidates = high_points(dem, p.high_point_radius_m, p.high_point_relief_m)?;
    if p.grid_spacing_m > 0.0 {
        candidates.extend(grid_candidates(dem.bounds(), p.grid_spacing_m)?);
    }
    let filter = CandidateFilter { on_land: true, max_slope_deg: Some(p.max_slope_deg), max_road_distance_m: roads.map(|_| p.max_road_distance_m) };
    if p.towers_as_candidates {
        let positions: Vec<[f64; 2]> = towers.iter().map(Site::position).collect();
        let ids: Vec<String> = towers.iter().map(|s| format!("tower-{}", s.id())).collect();
        candidates.extend(listed_candidates(&positions, Some(&ids), CandidateSource::Structure)?);
    }
    if let Some((coords, ids)) = listed {
        candidates.extend(listed_candidates(coords, Some(ids), CandidateSource::User)?);
    }
    let candidates = filter_candidates(&candidates, dem, roads, &filter)?;
    if candidates.is_empty() {
        return Err(RegionError::NoCandidates);
    }
    let candidate_sites = candidate_sites(&candidates, p)?;
    log(&format!("{} candidate sites", candidate_sites.len()));

    let sets = coverage_sets_from_radio(dem, &candidate_sites, households, &unserved, &household_options, progress)?;
    log("coverage sets");

    let costs = p.costs;
    let hubs: Vec<Hub> = towers.iter().map(|s| Hub { id: s.id().to_owned(), xy: s.position(), antenna_height_m: s.height_m() }).collect();
    let backhaul_options =
        stage(progress, "backhaul", || crate::backhaul(dem, &candidates, fiber, &hubs, &BackhaulOptions { costs, microwave: p.microwave, ..Default::default() }))?;
    let backhaul: Vec<BackhaulOption> = backhaul_options.iter().map(|b| b.best(costs.years)).collect();
    let lifetime: Vec<f64> = backhaul.iter().map(|b| b.lifetime_cost(costs.years)).collect();
    let locked: Vec<usize> = p
        .locked
        .iter()
        .map(|id| candidates.iter().position(|c| &c.id == id).ok_or_else(|| RegionError::UnknownLocked { id: id.clone() }))
        .collect::<Result<_, _>>()?;
    let sets = sets.with_costs(lifetime)?.with_locked(&locked)?;
    let solver = SitingOptions::default();
    let plan = match (p.target_share, p.budget, p.sites) {
        (Some(share), _, _) => target_covering_with(&sets, share, &solver, progress)?,
        (None, Some(budget), _) => budgeted_covering_with(&sets, budget, &solver, progress)?,
        (None, None, n) => max_covering_with(&sets, n.unwrap_or(5), &solver, progress)?,
    };
    let plan_covered = sets.covered_mask(&plan.sites)?;
    let site_costs = site_costs(&sets, &plan.sites, &plan.marginal_gain, plan.locked, &backhaul, costs.years)?;
    log("plan");

    let fiber_availability_rate = fiber_availability(households, &fiber_served, None)?.pop().map_or(0.0, |t| t.served_rate());
    let new_sites: Vec<Site> = plan.new_sites().iter().map(|&j| candidate_sites[j].clone()).collect();
    let households_lonlat = to_lonlat(households.crs(), households.coords()).map_err(RegionError::Projection)?;
    let is_5g = |s: &&Site| s.technology() != Technology::Lte;
    let before: Vec<Site> = towers.iter().filter(is_5g).cloned().collect();
    let after: Vec<Site> = before.iter().chain(new_sites.iter().filter(is_5g)).cloned().collect();
    let metrics_before = square_metrics(dem, households, &households_lonlat, &before, &settings.radio, to_lonlat, progress)?;
    let metrics_after = square_metrics(dem, households, &households_lonlat, &after, &settings.radio, to_lonlat, progress)?;
    log("regulator metrics");

    let mut radio_by_technology = Vec::new();
    if settings.radio_by_technology {
        for key in ["4G", "5G", "local5G"] {
            let group: Vec<Site> = towers.iter().filter(|s| technology_key(s) == key).cloned().collect();
            if group.is_empty() {
                continue;
            }
            let signal = stage(progress, &format!("household signal ({key})"), || household_signal(dem, &group, households, &household_options))?;
            let covered = signal.iter().map(|s| s.covered).collect();
            radio_by_technology.push(TechnologyRadio { key, sites: group.len(), covered });
        }
        log("radio coverage by technology");
    }
    let coverage_map = if settings.coverage_map && !towers.is_empty() {
        let map = best_server(dem, towers, &settings.radio.coverage, settings.radio.load, settings.radio.noise_figure_db, progress)?;
        log("coverage map");
        Some(map)
    } else {
        None
    };
    let fiber_extension = match &settings.fiber_extension {
        Some(extension) => {
            let e = fiber_extension(households, fiber, &unserved, settings.max_drop_m, extension, &costs)?;
            log(&format!("fiber extension: {} spurs, {:.1} km", e.spurs.len(), e.km));
            Some(e)
        }
        None => None,
    };

    Ok(RegionOutcome {
        fiber: fiber_coverage,
        fiber_served,
        radio,
        radio_covered,
        radio_by_technology,
        unserved,
        candidates,
        candidate_sites,
        sets,
        hubs,
        backhaul_options,
        backhaul,
        costs,
        plan,
        plan_covered,
        site_costs,
        fiber_availability_rate,
        metrics_before,
        metrics_after,
        coverage_map,
        fiber_extension,
    })
}

/// Runs a computation that reports no progress of its own as one stage of
/// one unit (so that a bar names it), then stops with [`Error::Cancelled`]
/// if `progress` asked to while it ran.
fn stage<T>(progress: &dyn Progress, name: &str, f: impl FnOnce() -> Result<T, Error>) -> Result<T, RegionError> {
    progress.begin(name, 1);
    let value = f()?;
    progress.advance(1);
    if progress.is_cancelled() { Err(Error::Cancelled.into()) } else { Ok(value) }
}

/// A new omni site at every candidate, as `[plan]` describes it.
fn candidate_sites(candidates: &[Candidate], p: &PlanSettings) -> Result<Vec<Site>, RegionError> {
    let technology = Technology::from_label(&p.technology, p.frequency_mhz)
        .ok_or_else(|| RegionError::UnknownTechnology { label: Technology::normalize_label(&p.technology) })?;
    let bandwidth = p.bandwidth_mhz.unwrap_or(20.0);
    let antenna = Antenna::omni(0.0).map_err(RegionError::NewSite)?;
    candidates
        .iter()
        .map(|c| {
            Site::new(c.id.clone(), c.xy, p.mast_height_m, technology, p.frequency_mhz, bandwidth, p.eirp_dbm, 0.0, antenna)
                .map_err(RegionError::NewSite)
        })
        .collect()
}

/// 5G population coverage by 500 m square and 10 km squares with a 5G station, for `sites`.
fn square_metrics(
    dem: &Dem,
    households: &Households,
    households_lonlat: &[[f64; 2]],
    sites: &[Site],
    radio: &RadioSettings,
    to_lonlat: &ToLonLat<'_>,
    progress: &dyn Progress,
) -> Result<SquareMetrics, RegionError> {
    let population = population_coverage(dem, households, households_lonlat, sites, radio, to_lonlat, progress)?;
    let positions: Vec<[f64; 2]> = sites.iter().map(Site::position).collect();
    let sites_lonlat = to_lonlat(dem.crs(), &positions).map_err(RegionError::Projection)?;
    let technologies: Vec<Technology> = sites.iter().map(Site::technology).collect();
    let squares = base_station_square_share(households_lonlat, &sites_lonlat, &technologies, SquareUniverse::WithHouseholds)?;
    Ok(SquareMetrics {
        five_g_sites: sites.len(),
        population_coverage_500m: population,
        squares_10km_with_5g: squares.with_station.len(),
        squares_10km_with_households: squares.squares.len(),
    })
}

/// Share of the household weight in 500 m squares that the sites cover
/// (best-server RSRP at or above the threshold) on at least half their area.
fn population_coverage(
    dem: &Dem,
    households: &Households,
    households_lonlat: &[[f64; 2]],
    sites: &[Site],
    radio: &RadioSettings,
    to_lonlat: &ToLonLat<'_>,
    progress: &dyn Progress,
) -> Result<f64, RegionError> {
    if sites.is_empty() {
        return Ok(0.0);
    }
    let map = best_server(dem, sites, &radio.coverage, radio.load, radio.noise_figure_db, progress)?;
    let t = *map.transform();
    let (rows, cols) = map.shape();
    let centres: Vec<[f64; 2]> = (0..rows).flat_map(|r| (0..cols).map(move |c| t.cell_centre(r, c))).collect();
    let lonlat = to_lonlat(map.crs(), &centres).map_err(RegionError::Projection)?;
    let unproject = |p: [f64; 2]| {
        let c = (((p[0] - t.origin_x) / t.dx).floor().max(0.0) as usize).min(cols - 1);
        let r = (((t.origin_y - p[1]) / t.dy).floor().max(0.0) as usize).min(rows - 1);
        lonlat[r * cols + c]
    };
    let coverage = population_coverage_by_square(households_lonlat, households.weights(), map.covered(), &t, &unproject, &SquareCoverageOptions::default())?;
    Ok(coverage.rate())
}

/// The fiber extension scenario: fiber is extended to every cluster of
/// unserved households that a short spur can reach.
///
/// Model (an estimate to discuss, not a route design):
/// - clusters are the values of `cluster_key` among the `unserved`
///   households, or without a key the `cluster_cell_m` square cells of the
///   projected CRS they fall in (named `cell <column>_<row>`);
/// - a cluster's target is the weighted centre of its unserved households;
///   the spur runs straight from the nearest point of the network to it and
///   is built when that straight length is at most `max_extension_m`
///   (targets already within the drop distance get no spur);
/// - its route length is the straight length × `detour_factor` (routes
///   follow roads), and it costs `fiber_capex_per_km` of `costs` per route km
///   (no site cost; operating costs are not counted);
/// - served: every household within `max_drop_m` of the extended network
///   (network + spurs), computed like the baseline ([`fiber_coverage_with`]).
///
/// ```
/// use bbcov_core::{CostTable, Crs, FiberExtensionSettings, FiberNetwork, Households, fiber_extension};
/// let crs = Crs::Projected { epsg: 6670 };
/// let fiber = FiberNetwork::new(crs, vec![vec![[0.0, 0.0], [1_000.0, 0.0]]], None)?;
/// // Two unserved households 1 km north of the route, one 10 km away.
/// let hh = Households::new(crs, vec![[400.0, 1_000.0], [600.0, 1_000.0], [500.0, 10_000.0]], None, None)?;
/// let settings = FiberExtensionSettings { max_extension_m: 2_000.0, cluster_key: None, cluster_cell_m: 100.0, detour_factor: 1.0 };
/// let e = fiber_extension(&hh, &fiber, &[0, 1, 2], 300.0, &settings, &CostTable::default())?;
/// assert_eq!(e.served, [true, true, false]);
/// assert_eq!(e.spurs.len(), 2);
/// assert!((e.km - 2.0).abs() < 1e-9 && (e.capex - 10_000_000.0).abs() < 1e-3);
/// # Ok::<(), bbcov_core::Error>(())
/// ```
pub fn fiber_extension(
    households: &Households,
    fiber: &FiberNetwork,
    unserved: &[usize],
    max_drop_m: f64,
    settings: &FiberExtensionSettings,
    costs: &CostTable,
) -> Result<FiberExtension, Error> {
    if !(settings.max_extension_m.is_finite() && settings.max_extension_m >= 0.0) {
        return Err(Error::InvalidParameter { name: "max_extension_m", value: settings.max_extension_m, expected: "a finite distance >= 0 m".into() });
    }
    if !(settings.detour_factor.is_finite() && settings.detour_factor >= 1.0) {
        return Err(Error::InvalidParameter { name: "detour_factor", value: settings.detour_factor, expected: "a finite factor >= 1".into() });
    }
    if let Some(&i) = unserved.iter().find(|&&i| i >= households.len()) {
        return Err(Error::InvalidParameter { name: "unserved", value: i as f64, expected: format!("household indices below {}", households.len()) });
    }
    if settings.cluster_key.is_none() && !(settings.cluster_cell_m.is_finite() && settings.cluster_cell_m > 0.0) {
        return Err(Error::InvalidParameter { name: "cluster_cell_m", value: settings.cluster_cell_m, expected: "a finite cell side > 0 m".into() });
    }
    if households.crs() != fiber.crs() {
        return Err(Error::CrsMismatch { left_layer: "households".into(), left: households.crs(), right_layer: "fiber".into(), right: fiber.crs() });
    }
    if households.crs() == Crs::LonLat {
        return Err(Error::InvalidParameter {
            name: "households CRS",
            value: f64::NAN,
            expected: "a projected CRS in metres for spur lengths (reproject the households and routes, e.g. to the DEM's CRS)".into(),
        });
    }
    // Clusters in order of first appearance among the unserved households.
    let column = settings.cluster_key.as_deref().map(|k| households.area(k)).transpose()?;
    let mut clusters: Vec<(String, [f64; 3])> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for &i in unserved {
        let [x, y] = households.coords()[i];
        let name = match column {
            Some(c) => c.value(i).to_owned(),
            None => format!("cell {}_{}", (x / settings.cluster_cell_m).floor(), (y / settings.cluster_cell_m).floor()),
        };
        let k = *index.entry(name.clone()).or_insert_with(|| {
            clusters.push((name, [0.0; 3]));
            clusters.len() - 1
        });
        let w = households.weights()[i];
        let acc = &mut clusters[k].1;
        acc[0] += w * x;
        acc[1] += w * y;
        acc[2] += w;
    }
    let mut spurs = Vec::new();
    for (name, [sx, sy, sw]) in clusters {
        if sw <= 0.0 {
            continue;
        }
        let target = [sx / sw, sy / sw];
        let (from, d) = nearest_on_network(fiber, target);
        if d > max_drop_m && d <= settings.max_extension_m {
            spurs.push(FiberSpur { cluster: name, from, to: target, km: d / 1_000.0 * settings.detour_factor });
        }
    }
    // A fold from +0, not `sum` (which gives -0 for no spurs).
    let km = spurs.iter().fold(0.0, |sum, s| sum + s.km);
    let served = if spurs.is_empty() {
        fiber_coverage_with(households, fiber, &FiberOptions { max_drop_m }, &())?.served()
    } else {
        let mut lines: Vec<Vec<[f64; 2]>> = fiber.lines().map(<[[f64; 2]]>::to_vec).collect();
        lines.extend(spurs.iter().map(|s| vec![s.from, s.to]));
        let extended = FiberNetwork::new(fiber.crs(), lines, None)?;
        fiber_coverage_with(households, &extended, &FiberOptions { max_drop_m }, &())?.served()
    };
    Ok(FiberExtension { spurs, km, capex: km * costs.fiber_capex_per_km, served })
}

/// The point of the network nearest to `p`, and its distance.
fn nearest_on_network(fiber: &FiberNetwork, p: [f64; 2]) -> ([f64; 2], f64) {
    let mut best = (p, f64::INFINITY);
    for line in fiber.lines() {
        for w in line.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 { (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
            let q = [a[0] + t * dx, a[1] + t * dy];
            let d = (p[0] - q[0]).hypot(p[1] - q[1]);
            if d < best.1 {
                best = (q, d);
            }
        }
        if line.len() == 1 {
            let d = (p[0] - line[0][0]).hypot(p[1] - line[0][1]);
            if d < best.1 {
                best = (line[0], d);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{GeoTransform, RadioModel};
    use ndarray::Array2;

    const CRS: Crs = Crs::Projected { epsg: 6670 };

    /// A flat island 6 km × 4 km, fiber along its southern edge, one 5G tower
    /// in the west; households in the west (radio), along the fiber, and in the
    /// north-east (unserved).
    fn region() -> (Households, FiberNetwork, Dem, Vec<Site>) {
        let dem = Dem::new(Array2::from_elem((40, 60), 20.0), GeoTransform::new(0.0, 4_000.0, 100.0, 100.0), CRS, None).unwrap();
        let xy = vec![[500.0, 2_000.0], [700.0, 2_100.0], [3_000.0, 250.0], [4_000.0, 300.0], [5_200.0, 3_500.0], [5_500.0, 3_600.0]];
        let hh = Households::new(CRS, xy, Some(vec![3.0, 2.0, 4.0, 1.0, 5.0, 6.0]), None)
            .unwrap()
            .with_area("village", ["a", "a", "b", "b", "c", "c"].map(String::from).to_vec())
            .unwrap();
        let fiber = FiberNetwork::new(CRS, vec![vec![[100.0, 100.0], [5_900.0, 100.0]]], None).unwrap();
        let tower = Site::new("T1", [600.0, 2_000.0], 30.0, Technology::NrFr1, 3_700.0, 20.0, 60.0, 0.0, Antenna::omni(0.0).unwrap()).unwrap();
        (hh, fiber, dem, vec![tower])
    }

    fn settings() -> RegionSettings {
        RegionSettings {
            max_drop_m: 300.0,
            radio: RadioSettings { coverage: CoverageOptions::new(1_500.0, RadioModel::diffraction()).with_clip_to_dem(true), indoor: false, load: 0.5, noise_figure_db: 7.0 },
            plan: PlanSettings { sites: Some(1), grid_spacing_m: 1_000.0, high_point_relief_m: 1.0, ..Default::default() },
            radio_by_technology: true,
            coverage_map: true,
            fiber_extension: Some(FiberExtensionSettings { cluster_key: Some("village".into()), ..Default::default() }),
        }
    }

    /// A plane stand-in for PROJ: 1 m = 1e-5 degrees around (130 E, 33 N).
    fn lonlat(_: Crs, p: &[[f64; 2]]) -> Result<Vec<[f64; 2]>, String> {
        Ok(p.iter().map(|q| [130.0 + q[0] * 1e-5, 33.0 + q[1] * 1e-5]).collect())
    }

    #[test]
    fn the_pipeline_adds_up() {
        let (hh, fiber, dem, towers) = region();
        let inputs = RegionInputs { households: &hh, fiber: &fiber, dem: &dem, towers: &towers, roads: None, listed_candidates: None };
        let o = analyze_region(&inputs, &settings(), &lonlat, &(), &|_| {}).unwrap();
        assert_eq!(o.fiber_served, [false, false, true, true, false, false]);
        assert_eq!(o.radio_covered[..2], [true, true]);
        assert_eq!(o.unserved, [4, 5]);
        assert_eq!(o.radio_by_technology.len(), 1);
        assert_eq!((o.radio_by_technology[0].key, o.radio_by_technology[0].sites), ("5G", 1));
        assert_eq!(o.fiber_availability_rate, 5.0 / 21.0);
        // The plan's newly served weight is the part of the unserved weight its mask flags.
        let flagged: f64 = o.unserved.iter().zip(&o.plan_covered).filter(|(_, c)| **c).map(|(&i, _)| hh.weights()[i]).sum();
        assert_eq!(flagged, o.newly_served());
        assert_eq!(o.newly_served(), 11.0, "one new 5G site covers the north-east");
        // One cost row per plan site, adding up to the plan.
        assert_eq!(o.site_costs.iter().map(|r| r.candidate).collect::<Vec<_>>(), o.plan.sites);
        assert_eq!(o.site_costs.iter().map(|r| r.new_weight).sum::<f64>(), o.newly_served());
        let lifetime: f64 = o.site_costs.iter().map(|r| r.lifetime_cost).sum();
        assert!((lifetime - o.plan.cost).abs() <= 1e-9 * o.plan.cost, "{lifetime} vs {}", o.plan.cost);
        assert_eq!(o.backhaul_options.len(), o.candidates.len());
        assert!(o.metrics_after.population_coverage_500m >= o.metrics_before.population_coverage_500m);
        assert_eq!(o.metrics_after.five_g_sites, 2);
        assert!(o.coverage_map.is_some());
        // Village c is 3.4 km from the route: beyond the 2 km extension.
        assert!(o.fiber_extension.unwrap().spurs.is_empty());
    }

    #[test]
    fn unknown_locked_candidates_are_named() {
        let (hh, fiber, dem, towers) = region();
        let inputs = RegionInputs { households: &hh, fiber: &fiber, dem: &dem, towers: &towers, roads: None, listed_candidates: None };
        let mut s = settings();
        s.plan.locked = vec!["nowhere".into()];
        let e = analyze_region(&inputs, &s, &lonlat, &(), &|_| {}).unwrap_err();
        assert!(e.to_string().contains("no candidate \"nowhere\""), "{e}");
        s.plan.locked.clear();
        s.plan.technology = "3G".into();
        assert_eq!(analyze_region(&inputs, &s, &lonlat, &(), &|_| {}).unwrap_err(), RegionError::UnknownTechnology { label: "3g".into() });
        let failing = |_: Crs, _: &[[f64; 2]]| Err("no PROJ".to_owned());
        s.plan.technology = "5G".into();
        assert_eq!(analyze_region(&inputs, &s, &failing, &(), &|_| {}).unwrap_err(), RegionError::Projection("no PROJ".into()));
    }

    #[test]
    fn fiber_extension_reaches_near_clusters_only() {
        let (hh, fiber, ..) = region();
        let settings = FiberExtensionSettings { max_extension_m: 4_000.0, cluster_key: Some("village".into()), cluster_cell_m: 500.0, detour_factor: 1.5 };
        let e = fiber_extension(&hh, &fiber, &[0, 1, 4, 5], 300.0, &settings, &CostTable::default()).unwrap();
        // Village a's centre (580, 2040) is 1.94 km from the route, c's (5364, 3555) 3.46 km.
        assert_eq!(e.spurs.iter().map(|s| s.cluster.as_str()).collect::<Vec<_>>(), ["a", "c"]);
        assert!((e.spurs[0].km - 1.94 * 1.5).abs() < 1e-9, "{:?}", e.spurs[0]);
        assert_eq!(e.served, [true, true, true, true, true, true]);
        assert!((e.capex - e.km * 5_000_000.0).abs() < 1e-6);
        let none = fiber_extension(&hh, &fiber, &[0, 1, 4, 5], 300.0, &FiberExtensionSettings { max_extension_m: 100.0, ..settings }, &CostTable::default()).unwrap();
        assert_eq!((none.spurs.len(), none.km), (0, 0.0));
        assert_eq!(none.served, [false, false, true, true, false, false]);
        // Without a key, 1 km cells: the two western households share one cell and one spur.
        let cells = FiberExtensionSettings { cluster_key: None, cluster_cell_m: 1_000.0, ..settings };
        let e = fiber_extension(&hh, &fiber, &[0, 1], 300.0, &cells, &CostTable::default()).unwrap();
        assert_eq!(e.spurs.iter().map(|s| s.cluster.as_str()).collect::<Vec<_>>(), ["cell 0_2"]);
        assert_eq!(e.served[..2], [true, true]);
        let lonlat = Households::new(Crs::LonLat, vec![[130.0, 33.0]], None, None).unwrap();
        let fiber_ll = FiberNetwork::new(Crs::LonLat, vec![vec![[130.0, 33.1], [130.1, 33.1]]], None).unwrap();
        assert!(fiber_extension(&lonlat, &fiber_ll, &[0], 300.0, &cells, &CostTable::default()).is_err(), "spur lengths need metres");
    }
}
