//! From the analysis of a region ([`bbcov_core::analyze_region`]) to the
//! content of its report ([`Report`]): the summary, one row per
//! municipality and per island, the plan with its costs, the scenarios, the
//! maps and the assumptions.
//!
//! ## Scenarios
//!
//! Every scenario counts household weight against the same baseline: a
//! household is *served* when fiber reaches it (within the drop distance of
//! a route) or the radio of a site reaches it (best-server RSRP at or above
//! the threshold, with indoor loss).
//!
//! | key | served | capex |
//! |---|---|---|
//! | `baseline` | fiber or existing sites | 0 |
//! | `fiber_extension` | baseline, or within the drop distance of the network extended by [`bbcov_core::fiber_extension`] (one straight spur per cluster of unserved households, × detour factor, to clusters at most the extension distance away) | spur route km × `fiber_capex_per_km` |
//! | `new_sites` | baseline, or covered by the plan's sites | sum of the plan's site capex (site + backhaul) |
//! | `combined` | any of the above | fiber extension + new sites |
//!
//! Only capital costs are compared between scenarios (the plan's lifetime
//! cost is in [`Plan::lifetime_cost`]); `combined` counts a household that
//! both would serve once, and its capex assumes both are built as planned
//! on their own (the plan is not re-optimised after the extension).

use bbcov_core::{
    BackhaulKind, CostTable, Households, RegionOutcome, RegionSettings, Site, SquareCoverageOptions, SquareMetrics, Technology,
    summarize, summarize_services, technology_key,
};

use std::path::{Path, PathBuf};

use crate::i18n::Lang;
use crate::maps::{MapError, render_maps};
use crate::render::{Format, render};
use crate::tables::write_tables;
use crate::model::{
    AreaRow, Assumption, AssumptionValue, Assumptions, DataSource, Phrase, PhraseArg, Plan, PlannedSite, RegulatorMetrics, Report, Scenario,
    ServiceCounts, Summary, TechnologyCoverage,
};

/// What a report is assembled from, besides the analysis itself.
#[derive(Clone, Copy)]
pub struct ReportInputs<'a> {
    /// Name of the region.
    pub region: &'a str,
    /// Date of the report, `YYYY-MM-DD`.
    pub generated_on: &'a str,
    /// The households as analysed (weights, area fields).
    pub households: &'a Households,
    /// The existing sites.
    pub towers: &'a [Site],
    /// The fiber routes (drawn on the maps).
    pub fiber: &'a bbcov_core::FiberNetwork,
    /// The DEM (for the maps' land and sea).
    pub dem: &'a bbcov_core::Dem,
    /// The settings the analysis ran with.
    pub settings: &'a RegionSettings,
    /// Area field of the per-municipality table (`None`: no table).
    pub municipality_key: Option<&'a str>,
    /// Area field of the per-island table (`None`: no table).
    pub island_key: Option<&'a str>,
    /// The input files (for the appendix).
    pub sources: &'a [DataSource],
    /// Render the maps (PNG) too.
    pub maps: bool,
    /// `(lon, lat)` of points in the DEM's CRS, for the plan's site positions.
    pub to_lonlat: &'a bbcov_core::ToLonLat<'a>,
}

/// Errors of [`assemble`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AssembleError {
    /// A core computation (summaries by area key) failed.
    #[error(transparent)]
    Core(#[from] bbcov_core::Error),
    /// The analysis lacks a part the report needs.
    #[error("the analysis has no {0}: run analyze_region with it switched on")]
    Missing(&'static str),
    /// The caller's lon/lat conversion failed.
    #[error("to lon/lat: {0}")]
    Projection(String),
    /// A map could not be drawn.
    #[error(transparent)]
    Map(#[from] MapError),
}

/// Assembles the report of an analysed region.
///
/// Invariants (tested): the rows of each area table add up to the region's
/// totals; every scenario's served + unserved is the household total; the
/// plan's sites' new households add up to its newly served households; the
/// fiber availability rate is core's [`bbcov_core::fiber_availability`].
///
/// Errors: an area key the households lack, an analysis without the fiber
/// extension or per-technology coverage ([`AssembleError::Missing`]), a map
/// that cannot be drawn.
///
/// ```
/// use bbcov_core::*;
/// use bbcov_report::{ReportInputs, assemble};
/// use ndarray::Array2;
/// let crs = Crs::Projected { epsg: 6670 };
/// let dem = Dem::new(Array2::from_elem((40, 60), 20.0), GeoTransform::new(0.0, 4_000.0, 100.0, 100.0), crs, None)?;
/// let hh = Households::new(crs, vec![[500.0, 2_000.0], [3_000.0, 250.0], [5_300.0, 3_500.0]], Some(vec![3.0, 4.0, 5.0]), None)?
///     .with_area("municipality", vec!["West".into(), "West".into(), "East".into()])?;
/// let fiber = FiberNetwork::new(crs, vec![vec![[100.0, 100.0], [5_900.0, 100.0]]], None)?;
/// let towers = [Site::new("T1", [600.0, 2_000.0], 30.0, Technology::NrFr1, 3_700.0, 20.0, 60.0, 0.0, Antenna::omni(0.0)?)?];
/// let settings = RegionSettings {
///     max_drop_m: 300.0,
///     radio: RadioSettings { coverage: CoverageOptions::new(1_500.0, RadioModel::diffraction()).with_clip_to_dem(true), indoor: false, load: 0.5, noise_figure_db: 7.0 },
///     plan: PlanSettings { sites: Some(1), grid_spacing_m: 1_000.0, ..Default::default() },
///     radio_by_technology: true,
///     coverage_map: false,
///     fiber_extension: Some(FiberExtensionSettings::default()),
/// };
/// let inputs = RegionInputs { households: &hh, fiber: &fiber, dem: &dem, towers: &towers, roads: None, listed_candidates: None };
/// let lonlat = |_: Crs, p: &[[f64; 2]]| Ok(p.iter().map(|q| [130.0 + q[0] * 1e-5, 33.0 + q[1] * 1e-5]).collect());
/// let outcome = analyze_region(&inputs, &settings, &lonlat, &(), &|_| {})?;
/// let report = assemble(&outcome, &ReportInputs {
///     region: "Example", generated_on: "2026-01-01", households: &hh, towers: &towers, fiber: &fiber, dem: &dem,
///     settings: &settings, municipality_key: Some("municipality"), island_key: None, sources: &[], maps: false, to_lonlat: &lonlat,
/// })?;
/// assert_eq!((report.summary.households, report.summary.services.none, report.plan.newly_served), (12.0, 5.0, 5.0));
/// assert_eq!(report.municipalities.iter().map(|m| m.unserved).sum::<f64>(), 5.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn assemble(outcome: &RegionOutcome, inputs: &ReportInputs<'_>) -> Result<Report, AssembleError> {
    let hh = inputs.households;
    let extension = outcome.fiber_extension.as_ref().ok_or(AssembleError::Missing("fiber extension scenario"))?;
    if !inputs.towers.is_empty() && outcome.radio_by_technology.is_empty() {
        return Err(AssembleError::Missing("radio coverage by technology"));
    }
    let n = hh.len();
    let plan_served = outcome.plan_served(n);
    let after_plan: Vec<bool> = (0..n).map(|i| outcome.fiber_served[i] || outcome.radio_covered[i] || plan_served[i]).collect();
    let total = hh.total_weight();

    let services = summarize_services(hh, &outcome.fiber_served, &outcome.radio_covered, None)?.pop().ok_or(AssembleError::Missing("total row"))?;
    let radio_any = services.radio_only + services.both;
    let radio = outcome
        .radio_by_technology
        .iter()
        .map(|t| Ok(TechnologyCoverage { technology: t.key.to_owned(), sites: t.sites, households: weight_of(hh, &t.covered) }))
        .collect::<Result<Vec<_>, AssembleError>>()?;
    let metrics = |m: &SquareMetrics| RegulatorMetrics {
        fiber_availability_rate: outcome.fiber_availability_rate,
        five_g_sites: m.five_g_sites,
        population_coverage_500m: m.population_coverage_500m,
        squares_10km_with_5g: m.squares_10km_with_5g,
        squares_10km_with_households: m.squares_10km_with_households,
    };
    let summary = Summary {
        households: total,
        fiber: services.fiber_only + services.both,
        radio,
        radio_any,
        services: ServiceCounts { fiber_only: services.fiber_only, radio_only: services.radio_only, both: services.both, none: services.none },
        metrics_before: metrics(&outcome.metrics_before),
        metrics_after: metrics(&outcome.metrics_after),
    };

    let area_rows = |key: Option<&str>| -> Result<Vec<AreaRow>, AssembleError> {
        let Some(key) = key else { return Ok(Vec::new()) };
        let rows = summarize_services(hh, &outcome.fiber_served, &outcome.radio_covered, Some(key))?;
        let after = summarize(hh, &after_plan, Some(key))?;
        // Both lists are sorted by area and end with the total row, which is left out.
        Ok(rows[..rows.len() - 1]
            .iter()
            .zip(&after)
            .map(|(r, a)| AreaRow {
                name: r.area.clone(),
                households: r.weight,
                fiber: r.fiber_only + r.both,
                radio: r.radio_only + r.both,
                unserved: r.none,
                unserved_after_plan: a.unserved_weight(),
            })
            .collect())
    };
    let municipalities = area_rows(inputs.municipality_key)?;
    let islands = area_rows(inputs.island_key)?;

    let plan = plan_of(outcome, inputs)?;

    // Scenarios.
    let baseline_served = total - services.none;
    let extension_served: Vec<bool> = (0..n).map(|i| extension.served[i] || outcome.fiber_served[i] || outcome.radio_covered[i]).collect();
    let combined: Vec<bool> = (0..n).map(|i| extension_served[i] || after_plan[i]).collect();
    let scenario = |key: &str, served: f64, capex: f64| Scenario {
        key: key.to_owned(),
        served,
        unserved: total - served,
        newly_served: served - baseline_served,
        capex,
        cost_per_newly_served: if served - baseline_served > 0.0 { capex / (served - baseline_served) } else { f64::NAN },
    };
    let scenarios = vec![
        scenario("baseline", baseline_served, 0.0),
        scenario("fiber_extension", weight_of(hh, &extension_served), extension.capex),
        scenario("new_sites", weight_of(hh, &after_plan), plan.capex),
        scenario("combined", weight_of(hh, &combined), extension.capex + plan.capex),
    ];

    let maps = if inputs.maps { render_maps(outcome, inputs)? } else { Vec::new() };
    Ok(Report {
        region: inputs.region.to_owned(),
        generated_on: inputs.generated_on.to_owned(),
        summary,
        municipalities,
        islands,
        plan,
        scenarios,
        maps,
        assumptions: assumptions(outcome, inputs),
    })
}

/// The files [`write_report`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFiles {
    /// The report (HTML or PDF).
    pub report: PathBuf,
    /// `<name>.json` beside it: the report's numbers (the [`Report`] without its maps).
    pub json: PathBuf,
    /// `<name>-tables/`: one CSV per table and `tables.xlsx`.
    pub tables: Vec<PathBuf>,
}

/// Writes a report as `bbcov report` and `bbcov.report` do: the report
/// itself in `lang` as the format of `output`'s extension (`.html` or
/// `.pdf`), its numbers as `<name>.json` beside it (language-neutral), and
/// its tables as `<name>-tables/<table>.csv` and `tables.xlsx`.
///
/// ```no_run
/// # fn demo(report: &bbcov_report::Report) -> bbcov_report::Result<()> {
/// let files = bbcov_report::assemble::write_report(report, bbcov_report::Lang::Ja, std::path::Path::new("out/report.pdf"))?;
/// assert!(files.json.ends_with("report.json"));
/// # Ok(()) }
/// ```
pub fn write_report(report: &Report, lang: Lang, output: &Path) -> crate::Result<ReportFiles> {
    let format = Format::from_path(output)?;
    render(report, lang, format, output)?;
    let stem = output.file_stem().and_then(|s| s.to_str()).unwrap_or("report");
    let dir = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let json = dir.join(format!("{stem}.json"));
    let text = serde_json::to_string_pretty(report).map_err(|e| crate::Error::Io { path: json.clone(), source: std::io::Error::other(e) })?;
    std::fs::write(&json, text).map_err(|e| crate::Error::Io { path: json.clone(), source: e })?;
    let tables = write_tables(report, lang, &dir.join(format!("{stem}-tables")))?;
    Ok(ReportFiles { report: output.to_path_buf(), json, tables })
}

/// Sum of the weights of the flagged households.
fn weight_of(households: &Households, flags: &[bool]) -> f64 {
    households.weights().iter().zip(flags).filter(|(_, f)| **f).fold(0.0, |sum, (w, _)| sum + w)
}

/// The plan's sites with their coverage, backhaul and costs.
fn plan_of(outcome: &RegionOutcome, inputs: &ReportInputs<'_>) -> Result<Plan, AssembleError> {
    let plan = &outcome.plan;
    let positions: Vec<[f64; 2]> = plan.sites.iter().map(|&j| outcome.candidates[j].xy).collect();
    let lonlat = (inputs.to_lonlat)(inputs.dem.crs(), &positions).map_err(AssembleError::Projection)?;
    let sites = plan
        .sites
        .iter()
        .zip(&plan.marginal_gain)
        .zip(&lonlat)
        .map(|((&j, &gain), ll)| {
            let site = &outcome.candidate_sites[j];
            let b = &outcome.backhaul[j];
            let (backhaul, km) = match b.kind {
                BackhaulKind::Fiber { km } => ("fiber", km),
                BackhaulKind::Microwave { km, .. } => ("microwave", km),
            };
            Ok(PlannedSite {
                id: outcome.candidates[j].id.clone(),
                lon: ll[0],
                lat: ll[1],
                technology: technology_key(site).to_owned(),
                mast_height_m: site.height_m(),
                covered_households: outcome.sets.covered_weight(&[j])?,
                new_households: gain,
                backhaul: backhaul.to_owned(),
                backhaul_km: km,
                capex: b.capex,
                opex_per_year: b.opex_per_year,
                cost_per_new_household: if gain > 0.0 { b.capex / gain } else { f64::NAN },
            })
        })
        .collect::<Result<Vec<_>, AssembleError>>()?;
    let problem = match plan.problem {
        bbcov_core::siting::SitingProblem::MaxCovering { .. } => "max_covering",
        bbcov_core::siting::SitingProblem::BudgetedCovering { .. } => "budgeted_covering",
        bbcov_core::siting::SitingProblem::TargetShare { .. } => "target_covering",
    };
    Ok(Plan {
        problem: problem.to_owned(),
        newly_served: plan.covered_weight,
        capex: sites.iter().fold(0.0, |sum, s| sum + s.capex),
        sites,
        lifetime_cost: plan.cost,
        years: outcome.costs.years.round() as u32,
        bound: plan.bound,
        gap: plan.gap,
    })
}

fn item(key: &str, value: AssumptionValue) -> Assumption {
    Assumption { key: key.to_owned(), value }
}

fn quantity(value: f64, unit: &str) -> AssumptionValue {
    AssumptionValue::Quantity { value, unit: unit.to_owned() }
}

fn phrases(items: Vec<Phrase>) -> AssumptionValue {
    AssumptionValue::Phrases { items }
}

fn phrase(key: &str, args: Vec<PhraseArg>) -> AssumptionValue {
    phrases(vec![Phrase::new(key, args)])
}

use PhraseArg::Number as N;

/// The propagation model as a phrase (its name is English in core).
fn model_value(model: &bbcov_core::RadioModel) -> AssumptionValue {
    use bbcov_core::{RadioModel, propagation::Tr38901Scenario};
    match model {
        RadioModel::Itm(_) => phrase("model_itm", vec![]),
        RadioModel::Diffraction { .. } => phrase("model_diffraction", vec![]),
        RadioModel::Tr38901 { scenario, .. } => {
            let name = match scenario {
                Tr38901Scenario::RMa => "RMa",
                Tr38901Scenario::UMa => "UMa",
                Tr38901Scenario::UMiStreetCanyon => "UMi-Street Canyon",
            };
            phrase("model_tr38901", vec![PhraseArg::Text(name.to_owned())])
        }
        other => AssumptionValue::Name { text: other.name().to_owned() },
    }
}

/// Models, thresholds, costs and sources, as printed in the appendix.
fn assumptions(outcome: &RegionOutcome, inputs: &ReportInputs<'_>) -> Assumptions {
    let s = inputs.settings;
    let c = &s.radio.coverage;
    let p = &s.plan;
    let hh = s.radio.household_options();
    let indoor = match hh.indoor_loss {
        bbcov_core::IndoorLoss::None => phrase("indoor_none", vec![]),
        bbcov_core::IndoorLoss::Fixed(db) => quantity(db, "dB"),
        bbcov_core::IndoorLoss::Tr38901LowLoss { indoor_distance_m } => phrase("indoor_tr38901_low", vec![N(indoor_distance_m)]),
        bbcov_core::IndoorLoss::Tr38901HighLoss { indoor_distance_m } => phrase("indoor_tr38901_high", vec![N(indoor_distance_m)]),
    };
    let mut candidates = vec![Phrase::new("candidates_high_points", vec![N(p.high_point_radius_m), N(p.high_point_relief_m)])];
    if p.grid_spacing_m > 0.0 {
        candidates.push(Phrase::new("candidates_grid", vec![N(p.grid_spacing_m)]));
    }
    if p.towers_as_candidates {
        candidates.push(Phrase::new("candidates_towers", vec![]));
    }
    let mut filters = vec![Phrase::new("filter_land_slope", vec![N(p.max_slope_deg)])];
    if inputs.sources.iter().any(|d| d.key == "roads") {
        filters.push(Phrase::new("filter_road", vec![N(p.max_road_distance_m)]));
    }
    let models = vec![
        item("propagation_model", model_value(&c.model)),
        item("k_factor", quantity(c.k_factor, "")),
        item("rx_height", quantity(c.receiver_height_m, "m")),
        item("indoor_loss", indoor),
        item("radius", quantity(c.radius_m, "m")),
        item("terrain", phrase("terrain_sea_surface", vec![N(inputs.dem.below_sea_level_count() as f64)])),
        item("load", AssumptionValue::Share { value: s.radio.load }),
        item("noise_figure", quantity(s.radio.noise_figure_db, "dB")),
        item("technology", AssumptionValue::Key { key: p.technology.clone() }),
        item("frequency", quantity(p.frequency_mhz, "MHz")),
        item("bandwidth", quantity(p.bandwidth_mhz.unwrap_or(20.0), "MHz")),
        item("eirp", quantity(p.eirp_dbm, "dBm")),
        item("mast_height", quantity(p.mast_height_m, "m")),
        item("candidates", phrases(candidates)),
        item("candidate_filters", phrases(filters)),
        item("candidate_count", AssumptionValue::Count { value: outcome.candidates.len() as f64 }),
        item("solver", phrase("solver_greedy", vec![])),
    ];
    let threshold = |t: Technology| quantity(c.rsrp_threshold_dbm.unwrap_or_else(|| t.default_rsrp_threshold_dbm()), "dBm");
    let squares = SquareCoverageOptions::default();
    let mut thresholds = vec![
        item("max_drop", quantity(s.max_drop_m, "m")),
        item("rsrp_threshold_4G", threshold(Technology::Lte)),
        item("rsrp_threshold_5G", threshold(Technology::NrFr1)),
        item("rsrp_threshold_local5G", threshold(Technology::NrFr1)),
        item(
            "square_500m_rule",
            phrase(if squares.inclusive { "square_500m_at_least" } else { "square_500m_more_than" }, vec![N(100.0 * squares.threshold)]),
        ),
        item("square_10km_rule", phrase("square_10km", vec![])),
        item("fresnel_clearance", {
            let m = bbcov_core::MicrowaveOptions::default();
            phrase("fresnel", vec![N(100.0 * m.min_clearance_ratio), N(m.k_factor)])
        }),
    ];
    if let Some(e) = &s.fiber_extension {
        let cluster = match &e.cluster_key {
            Some(key) => Phrase::new("extension_clusters_by_field", vec![PhraseArg::Key(key.clone())]),
            None => Phrase::new("extension_clusters_by_square", vec![N(e.cluster_cell_m)]),
        };
        thresholds.push(item(
            "fiber_extension",
            phrases(vec![cluster, Phrase::new("extension_spur", vec![N(e.max_extension_m), N(e.detour_factor)])]),
        ));
    }
    let t = &outcome.costs;
    let defaults = CostTable::default();
    let money = |value: f64| AssumptionValue::Money { value };
    let costs = vec![
        item("site_capex", money(t.site_capex)),
        item("fiber_capex_per_km", money(t.fiber_capex_per_km)),
        item("microwave_link_capex", money(t.microwave_link_capex)),
        item("site_opex_per_year", money(t.site_opex_per_year)),
        item("fiber_opex_per_km_year", money(t.fiber_opex_per_km_year)),
        item("microwave_link_opex_per_year", money(t.microwave_link_opex_per_year)),
        item("years", AssumptionValue::Years { value: t.years }),
        item("currency", phrase(if *t == defaults { "costs_illustrative" } else { "costs_given" }, vec![])),
    ];
    Assumptions { models, thresholds, costs, sources: inputs.sources.to_vec() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bbcov_core::{
        Antenna, CoverageOptions, Crs, Dem, FiberExtensionSettings, FiberNetwork, GeoTransform, PlanSettings, RadioModel, RadioSettings,
        RegionInputs, analyze_region, fiber_availability,
    };
    use ndarray::Array2;

    const CRS: Crs = Crs::Projected { epsg: 6670 };

    fn lonlat(_: Crs, p: &[[f64; 2]]) -> Result<Vec<[f64; 2]>, String> {
        Ok(p.iter().map(|q| [130.0 + q[0] * 1e-5, 33.0 + q[1] * 1e-5]).collect())
    }

    /// Two islands of one DEM (sea in between, a nodata corner), fiber on the
    /// west island, an LTE and a 5G tower; households in two municipalities.
    fn region() -> (Households, FiberNetwork, Dem, Vec<Site>) {
        let mut heights = Array2::from_elem((50, 80), 30.0f32);
        for r in 0..50 {
            for c in 36..44 {
                heights[(r, c)] = -5.0;
            }
        }
        heights[(0, 0)] = -9999.0;
        let dem = Dem::new(heights, GeoTransform::new(0.0, 5_000.0, 100.0, 100.0), CRS, Some(-9999.0)).unwrap();
        let xy = vec![
            [500.0, 2_000.0],
            [800.0, 2_300.0],
            [2_000.0, 450.0],
            [3_000.0, 300.0],
            [3_300.0, 2_400.0],
            [5_500.0, 3_000.0],
            [6_000.0, 3_200.0],
            [7_200.0, 800.0],
            [7_400.0, 600.0],
        ];
        let hh = Households::new(CRS, xy, Some(vec![3.0, 2.0, 4.0, 1.0, 2.0, 5.0, 6.0, 2.0, 3.0]), None)
            .unwrap()
            .with_area("municipality", ["West", "West", "West", "West", "West", "East", "East", "East", "East"].map(String::from).to_vec())
            .unwrap()
            .with_area("island", ["A", "A", "A", "A", "A", "B", "B", "B", "B"].map(String::from).to_vec())
            .unwrap()
            .with_area("village", ["a", "a", "b", "b", "c", "d", "d", "e", "e"].map(String::from).to_vec())
            .unwrap();
        let fiber = FiberNetwork::new(CRS, vec![vec![[100.0, 200.0], [3_400.0, 200.0]]], None).unwrap();
        let omni = Antenna::omni(0.0).unwrap();
        let towers = vec![
            Site::new("T1", [600.0, 2_100.0], 30.0, bbcov_core::Technology::Lte, 800.0, 20.0, 60.0, 0.0, omni).unwrap(),
            Site::new("T2", [7_300.0, 700.0], 30.0, bbcov_core::Technology::NrFr1, 3_700.0, 20.0, 60.0, 0.0, omni).unwrap(),
        ];
        (hh, fiber, dem, towers)
    }

    fn settings() -> RegionSettings {
        RegionSettings {
            max_drop_m: 300.0,
            radio: RadioSettings {
                coverage: CoverageOptions::new(1_000.0, RadioModel::diffraction()).with_clip_to_dem(true),
                indoor: false,
                load: 0.5,
                noise_figure_db: 7.0,
            },
            plan: PlanSettings { sites: Some(2), grid_spacing_m: 1_000.0, high_point_relief_m: 1.0, ..Default::default() },
            radio_by_technology: true,
            coverage_map: true,
            fiber_extension: Some(FiberExtensionSettings { cluster_key: Some("village".into()), max_extension_m: 2_500.0, ..Default::default() }),
        }
    }

    fn report(maps: bool) -> (Report, Households, RegionOutcome) {
        let (hh, fiber, dem, towers) = region();
        let s = settings();
        let inputs = RegionInputs { households: &hh, fiber: &fiber, dem: &dem, towers: &towers, roads: None, listed_candidates: None };
        let outcome = analyze_region(&inputs, &s, &lonlat, &(), &|_| {}).unwrap();
        let sources = [DataSource { key: "households".into(), file: "hh.gpkg".into(), crs: "EPSG:6668".into(), records: 9, date: "2024-06-01".into() }];
        let report_inputs = ReportInputs {
            region: "Test",
            generated_on: "2026-01-02",
            households: &hh,
            towers: &towers,
            fiber: &fiber,
            dem: &dem,
            settings: &s,
            municipality_key: Some("municipality"),
            island_key: Some("island"),
            sources: &sources,
            maps,
            to_lonlat: &lonlat,
        };
        let report = assemble(&outcome, &report_inputs).unwrap();
        (report, hh, outcome)
    }

    #[test]
    fn the_report_adds_up() {
        let (r, hh, outcome) = report(false);
        let total = hh.total_weight();
        assert_eq!(r.summary.households, 28.0);
        let s = &r.summary.services;
        assert_eq!(s.fiber_only + s.radio_only + s.both + s.none, total);
        // Area rows add up to the region's totals.
        for rows in [&r.municipalities, &r.islands] {
            assert_eq!(rows.len(), 2);
            let sum = |f: fn(&AreaRow) -> f64| rows.iter().map(f).sum::<f64>();
            assert_eq!(sum(|a| a.households), total);
            assert_eq!(sum(|a| a.fiber), r.summary.fiber);
            assert_eq!(sum(|a| a.radio), r.summary.radio_any);
            assert_eq!(sum(|a| a.unserved), s.none);
            assert_eq!(sum(|a| a.unserved_after_plan), s.none - r.plan.newly_served);
        }
        assert_eq!(r.municipalities.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["East", "West"]);
        // Scenarios: served + unserved = households; the plan's sites' new households = newly served.
        assert_eq!(r.scenarios.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(), ["baseline", "fiber_extension", "new_sites", "combined"]);
        for sc in &r.scenarios {
            assert_eq!(sc.served + sc.unserved, total, "{sc:?}");
        }
        assert_eq!(r.plan.sites.iter().map(|p| p.new_households).sum::<f64>(), r.plan.newly_served);
        assert_eq!(r.scenarios[2].newly_served, r.plan.newly_served);
        assert_eq!(r.scenarios[2].capex, r.plan.capex);
        assert!(r.plan.newly_served > 0.0);
        let combined = &r.scenarios[3];
        assert!(combined.served >= r.scenarios[1].served.max(r.scenarios[2].served));
        assert_eq!(combined.capex, r.scenarios[1].capex + r.scenarios[2].capex);
        // The fiber extension reaches village c (2.1 km north of the fiber's end... within 2.5 km).
        assert!(r.scenarios[1].newly_served > 0.0, "{:?}", r.scenarios[1]);
        let extension = outcome.fiber_extension.as_ref().unwrap();
        assert!((r.scenarios[1].capex - extension.km * 5_000_000.0).abs() < 1e-6);
        // The fiber rate is core's fiber_availability.
        let rate = fiber_availability(&hh, &outcome.fiber_served, None).unwrap().pop().unwrap().served_rate();
        assert_eq!(r.summary.metrics_before.fiber_availability_rate, rate);
        assert_eq!(r.summary.fiber / total, rate);
        // Per technology: one 4G, one 5G site.
        assert_eq!(r.summary.radio.iter().map(|t| (t.technology.as_str(), t.sites)).collect::<Vec<_>>(), [("4G", 1), ("5G", 1)]);
        assert!(r.assumptions.costs.iter().any(|a| a.key == "currency" && a.value == phrase("costs_illustrative", vec![])));
        assert_eq!(r.assumptions.sources.len(), 1);
        // The JSON round-trips (NaN costs aside, which serde writes as null).
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"fiber_extension\""));
    }

    #[test]
    fn assumptions_are_language_neutral_and_translated() {
        let (r, ..) = report(false);
        let a = &r.assumptions;
        let known_phrase = |key: &str| crate::i18n::PHRASES.iter().any(|(k, _, _)| *k == key);
        let known_key = |key: &str| crate::i18n::KNOWN_KEYS.iter().any(|(k, _, _)| *k == key);
        for item in a.models.iter().chain(&a.thresholds).chain(&a.costs) {
            assert!(known_key(&item.key), "no label for {}", item.key);
            match &item.value {
                AssumptionValue::Phrases { items } => {
                    for p in items {
                        assert!(known_phrase(&p.key), "{}: no phrase {}", item.key, p.key);
                        for arg in &p.args {
                            if let PhraseArg::Key(k) = arg {
                                assert!(known_key(k), "{}: no label for {k}", item.key);
                            }
                        }
                    }
                }
                AssumptionValue::Key { key } => assert!(known_key(key), "{}: no label for {key}", item.key),
                AssumptionValue::Name { text } => panic!("{}: untranslated name {text}", item.key),
                _ => {}
            }
            // Japanese values hold no English word.
            let ja = Lang::Ja.value(&item.value);
            let english: Vec<&str> =
                ja.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 4 && w.starts_with(|c: char| c.is_ascii_lowercase()) && *w != "bbcov").collect();
            assert!(english.is_empty(), "{}: {ja}", item.key);
        }
        let extension = a.thresholds.iter().find(|t| t.key == "fiber_extension").unwrap();
        assert_eq!(Lang::Ja.value(&extension.value), "クラスタ：集落単位の未整備世帯、網から2,500m以内のクラスタの重心へ直線の引込線を1本（経路長＝直線距離×1.3）");
        assert_eq!(Lang::En.value(&a.models[1].value), "1.333");
        assert_eq!(Lang::Ja.value(&a.costs[0].value), "3,000万円");
    }

    #[test]
    fn maps_are_pngs_and_deterministic() {
        let (a, ..) = report(true);
        let (b, ..) = report(true);
        assert_eq!(a.maps.iter().map(|m| m.key.as_str()).collect::<Vec<_>>(), ["coverage", "unserved", "plan"]);
        for (m, n) in a.maps.iter().zip(&b.maps) {
            assert_eq!(m.png, n.png, "{} differs between runs", m.key);
            assert_eq!((m.width, m.height), (1_200, 750));
            let decoder = png::Decoder::new(std::io::Cursor::new(&m.png));
            let info = decoder.read_info().unwrap().info().clone();
            assert_eq!((info.width, info.height), (1_200, 750));
        }
    }
}
