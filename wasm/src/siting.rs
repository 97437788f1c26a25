//! `planSites`: where new base stations should go for the unserved
//! households, chained as `bbcov plan` chains it (candidates, their radio
//! coverage sets, backhaul costs, then the siting problem), with progress.

use bbcov_core::siting::{CoverageSets, SitingOptions, SitingPlan, SitingProblem, coverage_sets_from_radio};
use bbcov_core::siting::{budgeted_covering_with, max_covering_with, target_covering_with};
use bbcov_core::{
    Antenna, BackhaulKind, BackhaulOption, BackhaulOptions, Candidate, CandidateFilter, CandidateSource, CostTable,
    HopEnd, Hub, Progress, Site, Technology, backhaul, filter_candidates, grid_candidates, high_points,
    listed_candidates,
};
use js_sys::{Array, Function, Object, Uint8Array};
use std::cell::Cell;
use wasm_bindgen::prelude::*;

use crate::dem::JsDem;
use crate::error::{JsResult, invalid_input, to_js};
use crate::fiber::JsFiberNetwork;
use crate::households::JsHouseholds;
use crate::input::{Options, set};
use crate::radio::{household_options, sites_from_js};

/// The options `planSites` knows: the `[plan]` and `[radio]` tables of a
/// region file, in camelCase.
const PLAN_OPTIONS: [&str; 24] = [
    "sites",
    "budget",
    "targetShare",
    "towersAsCandidates",
    "highPointRadiusM",
    "highPointReliefM",
    "gridSpacingM",
    "maxSlopeDeg",
    "technology",
    "frequencyMhz",
    "bandwidthMhz",
    "eirpDbm",
    "mastHeightM",
    "siteCapex",
    "fiberCapexPerKm",
    "microwaveLinkCapex",
    "years",
    "radiusM",
    "model",
    "rxHeightM",
    "thresholdDbm",
    "indoor",
    "load",
    "noiseFigureDb",
];

/// A [`Progress`] that calls a JavaScript function `(stage, done, total)`
/// when a stage begins and as its work advances.
struct JsProgress {
    callback: Option<Function>,
    done: Cell<u64>,
    total: Cell<u64>,
    stage: Cell<&'static str>,
}

// Progress must be Sync because the core's parallel build calls it from
// worker threads. This crate is built without threads (no `atomics` target
// feature, no `parallel` feature): the progress never leaves its thread.
#[cfg(target_feature = "atomics")]
compile_error!("JsProgress is only sound without wasm threads");
// SAFETY: see above; there is exactly one thread.
unsafe impl Sync for JsProgress {}

impl JsProgress {
    fn new(callback: Option<Function>) -> Self {
        JsProgress { callback, done: Cell::new(0), total: Cell::new(0), stage: Cell::new("") }
    }

    /// Starts a stage named by the bindings (the core's stages name themselves).
    fn stage(&self, stage: &'static str, total: u64) {
        self.stage.set(stage);
        self.done.set(0);
        self.total.set(total);
        self.post();
    }

    fn post(&self) {
        if let Some(f) = &self.callback {
            // A throwing callback must not stop the plan: its error is dropped.
            let _ = f.call3(
                &JsValue::NULL,
                &JsValue::from_str(self.stage.get()),
                &JsValue::from_f64(self.done.get() as f64),
                &JsValue::from_f64(self.total.get() as f64),
            );
        }
    }
}

impl Progress for JsProgress {
    /// The candidates' coverage is a stage of its own, one unit per
    /// candidate; the solvers' inner steps (greedy, bound, local search)
    /// stay within "solving".
    fn begin(&self, stage: &str, total: u64) {
        if stage == COVERAGE_STAGE {
            self.stage(COVERAGE_STAGE, total);
        }
    }

    fn advance(&self, n: u64) {
        if self.stage.get() == COVERAGE_STAGE {
            self.done.set(self.done.get() + n);
            self.post();
        }
    }
}

/// The stage of [`coverage_sets_from_radio`].
const COVERAGE_STAGE: &str = "candidate coverage";

/// The new sites at every candidate: omni masts as the `[plan]` table describes them.
fn candidate_sites(candidates: &[Candidate], o: &Options) -> JsResult<Vec<Site>> {
    let label = o.string("technology")?.unwrap_or_else(|| "5G".into());
    let frequency = o.number("frequencyMhz")?.unwrap_or(1_800.0);
    let technology = Technology::from_label(&label, frequency).ok_or_else(|| {
        invalid_input(format!("planSites: technology {:?}: use 4G, 5G or local5G", Technology::normalize_label(&label)))
    })?;
    let bandwidth = o.number("bandwidthMhz")?.unwrap_or(20.0);
    let eirp = o.number("eirpDbm")?.unwrap_or(60.0);
    let mast = o.number("mastHeightM")?.unwrap_or(40.0);
    let antenna = Antenna::omni(0.0).map_err(to_js)?;
    candidates
        .iter()
        .map(|c| {
            Site::new(c.id.clone(), c.xy, mast, technology, frequency, bandwidth, eirp, 0.0, antenna)
                .map_err(|e| invalid_input(format!("planSites: new sites: {e}")))
        })
        .collect()
}

/// Terrain high points and a grid, on land and not too steep, then the
/// existing sites' structures (ids `tower-<id>`): `bbcov plan`'s candidates
/// without the road filter (the map has no road layer).
fn candidates(dem: &bbcov_core::Dem, existing: &[Site], o: &Options) -> JsResult<Vec<Candidate>> {
    let radius = o.number("highPointRadiusM")?.unwrap_or(1_500.0);
    let relief = o.number("highPointReliefM")?.unwrap_or(30.0);
    let spacing = o.number("gridSpacingM")?.unwrap_or(2_000.0);
    let mut all = high_points(dem, radius, relief).map_err(to_js)?;
    if spacing > 0.0 {
        all.extend(grid_candidates(dem.bounds(), spacing).map_err(to_js)?);
    }
    if o.boolean("towersAsCandidates")?.unwrap_or(true) && !existing.is_empty() {
        let positions: Vec<[f64; 2]> = existing.iter().map(Site::position).collect();
        let ids: Vec<String> = existing.iter().map(|s| format!("tower-{}", s.id())).collect();
        all.extend(listed_candidates(&positions, Some(&ids), CandidateSource::Structure).map_err(to_js)?);
    }
    let filter = CandidateFilter {
        on_land: true,
        max_slope_deg: Some(o.number("maxSlopeDeg")?.unwrap_or(30.0)),
        max_road_distance_m: None,
    };
    let kept = filter_candidates(&all, dem, None, &filter).map_err(to_js)?;
    if kept.is_empty() {
        return Err(invalid_input(
            "no candidate site is left after the filters (on land, slope); relax maxSlopeDeg or the high-point settings",
        ));
    }
    Ok(kept)
}

/// The cost table: the core's illustrative defaults unless given.
fn cost_table(o: &Options) -> JsResult<CostTable> {
    let d = CostTable::default();
    Ok(CostTable {
        site_capex: o.number("siteCapex")?.unwrap_or(d.site_capex),
        fiber_capex_per_km: o.number("fiberCapexPerKm")?.unwrap_or(d.fiber_capex_per_km),
        microwave_link_capex: o.number("microwaveLinkCapex")?.unwrap_or(d.microwave_link_capex),
        years: o.number("years")?.unwrap_or(d.years),
        ..d
    })
}

/// The problem of the options: `targetShare`, else `budget`, else `sites` (5).
fn solve(sets: &CoverageSets, o: &Options, progress: &JsProgress) -> JsResult<SitingPlan> {
    let options = SitingOptions::default();
    let plan = match (o.number("targetShare")?, o.number("budget")?, o.number("sites")?) {
        (Some(share), _, _) => target_covering_with(sets, share, &options, progress),
        (None, Some(budget), _) => budgeted_covering_with(sets, budget, &options, progress),
        (None, None, n) => {
            let n = n.unwrap_or(5.0);
            if !(n.fract() == 0.0 && n >= 0.0) {
                return Err(invalid_input(format!("planSites: sites = {n} is not a number of sites")));
            }
            max_covering_with(sets, n as usize, &options, progress)
        }
    };
    plan.map_err(to_js)
}

/// The siting plan for the households `demand` (indices into `households`,
/// in the DEM's CRS: those neither fiber nor the `existing` sites serve),
/// as `bbcov plan` makes it: candidates (terrain high points and a grid on
/// land and not too steep, and the existing sites' structures; no road
/// filter), the households each would serve on its own (`householdSignal`
/// of a new omni site there), backhaul costs (fiber extension to `fiber`,
/// in the DEM's CRS, or a microwave hop to an existing site or a
/// fiber-connected candidate), and the problem: `sites` new sites (5),
/// a `budget`, or a `targetShare` of the demand.
///
/// `onProgress(stage, done, total)` is called as the work advances; stages
/// "candidates", "candidate coverage" (one unit per candidate), "backhaul"
/// and "solving". Returns `{ problem, sites: [{ id, x, y, source,
/// newHouseholds, coverableHouseholds, backhaul, backhaulKm, backhaulTo,
/// capex, opexPerYear }], newlyServed, demandWeight, bound, gap, cost,
/// candidates, covered: Uint8Array (per demand point) }`.
#[wasm_bindgen(js_name = planSites, unchecked_return_type = "SitingResult")]
pub fn plan_sites(
    dem: &JsDem,
    households: &JsHouseholds,
    demand: &[u32],
    fiber: &JsFiberNetwork,
    #[wasm_bindgen(unchecked_param_type = "Site[]")] existing: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PlanOptions | undefined")] options: JsValue,
    #[wasm_bindgen(unchecked_param_type = "(stage: string, done: number, total: number) => void")] on_progress: Option<
        Function,
    >,
) -> JsResult<Object> {
    let o = Options::new(Some(options), "planSites", &PLAN_OPTIONS)?;
    let progress = JsProgress::new(on_progress);
    let dem = &dem.0;
    let existing = sites_from_js(&existing, "planSites")?;
    let radio = household_options(&o)?;
    let costs = cost_table(&o)?;
    let demand: Vec<usize> = demand.iter().map(|&i| i as usize).collect();

    progress.stage("candidates", 1);
    let candidates = candidates(dem, &existing, &o)?;
    let sites = candidate_sites(&candidates, &o)?;
    let sets = coverage_sets_from_radio(dem, &sites, &households.0, &demand, &radio, &progress).map_err(to_js)?;

    progress.stage("backhaul", 1);
    let hubs: Vec<Hub> = existing
        .iter()
        .map(|s| Hub { id: s.id().to_owned(), xy: s.position(), antenna_height_m: s.height_m() })
        .collect();
    let options = BackhaulOptions { costs, ..Default::default() };
    let best: Vec<BackhaulOption> = backhaul(dem, &candidates, &fiber.0, &hubs, &options)
        .map_err(to_js)?
        .iter()
        .map(|b| b.best(costs.years))
        .collect();
    let lifetime: Vec<f64> = best.iter().map(|b| b.lifetime_cost(costs.years)).collect();
    let sets = sets.with_costs(lifetime).map_err(to_js)?;

    progress.stage("solving", 1);
    let plan = solve(&sets, &o, &progress)?;
    progress.stage("done", 1);

    let describe = |j: usize| match best[j].kind {
        BackhaulKind::Fiber { km } => ("fiber", km, String::new()),
        BackhaulKind::Microwave { to, km, .. } => (
            "microwave",
            km,
            match to {
                HopEnd::Hub(h) => hubs[h].id.clone(),
                HopEnd::Candidate(c) => candidates[c].id.clone(),
            },
        ),
    };
    let rows = Array::new();
    for (&j, &gain) in plan.new_sites().iter().zip(&plan.marginal_gain[plan.locked..]) {
        let (kind, km, to) = describe(j);
        let row = Object::new();
        set(&row, "id", candidates[j].id.as_str());
        set(&row, "x", candidates[j].xy[0]);
        set(&row, "y", candidates[j].xy[1]);
        set(&row, "source", source_name(candidates[j].source));
        set(&row, "newHouseholds", gain);
        set(&row, "coverableHouseholds", sets.covered_weight(&[j]).map_err(to_js)?);
        set(&row, "backhaul", kind);
        set(&row, "backhaulKm", km);
        set(&row, "backhaulTo", to.as_str());
        set(&row, "capex", best[j].capex);
        set(&row, "opexPerYear", best[j].opex_per_year);
        rows.push(&row);
    }
    let covered: Vec<u8> = sets.covered_mask(&plan.sites).map_err(to_js)?.into_iter().map(u8::from).collect();
    let out = Object::new();
    set(&out, "problem", problem_name(&plan.problem).as_str());
    set(&out, "sites", rows);
    set(&out, "newlyServed", plan.covered_weight);
    set(&out, "demandWeight", plan.total_weight);
    set(&out, "bound", plan.bound);
    set(&out, "gap", plan.gap);
    set(&out, "cost", plan.cost);
    set(&out, "capex", plan.new_sites().iter().map(|&j| best[j].capex).sum::<f64>());
    set(&out, "years", costs.years);
    set(&out, "candidates", candidates.len() as f64);
    set(&out, "covered", Uint8Array::from(covered.as_slice()));
    set(&out, "coverableWeight", sets.coverable_weight());
    Ok(out)
}

fn source_name(source: CandidateSource) -> &'static str {
    match source {
        CandidateSource::HighPoint => "high point",
        CandidateSource::Grid => "grid",
        CandidateSource::Structure => "existing structure",
        CandidateSource::User => "user",
    }
}

fn problem_name(problem: &SitingProblem) -> String {
    match problem {
        SitingProblem::MaxCovering { p } => format!("maximal covering, {p} sites"),
        SitingProblem::BudgetedCovering { budget } => format!("budgeted covering, budget {budget}"),
        SitingProblem::TargetShare { share } => format!("target share {share}"),
    }
}
