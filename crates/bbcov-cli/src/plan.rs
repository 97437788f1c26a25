//! `bbcov plan`: the whole pipeline on a region file — fiber, radio of the
//! existing towers, unserved households, candidate sites with backhaul
//! costs, and a siting plan with its optimality gap.

use std::path::{Path, PathBuf};
use std::time::Instant;

use bbcov_core::siting::SitingPlan;
use bbcov_core::{
    BackhaulKind, Candidate, CostTable, Crs, Dem, FiberNetwork, Households, Hub, RegionInputs, RegionOutcome, RegionSettings, Site, SquareMetrics,
    analyze_region,
};
use bbcov_io::{Column, ColumnData, DemSpec, LayerSpec, household_columns, read_dem, read_fiber, read_households, read_sites, to_lonlat, write_points};
use serde_json::json;

use crate::config::RegionConfig;
use crate::progress::Bar;

/// Plan new base stations for the households that neither fiber nor the existing towers serve.
#[derive(clap::Args)]
pub struct PlanArgs {
    /// Region file (TOML) with `dem`, `towers` and a `[plan]` table.
    #[arg(long)]
    config: PathBuf,
    /// Output folder: plan.gpkg, candidates.gpkg, unserved.gpkg, plan.json.
    #[arg(long, short, default_value = "out")]
    output: PathBuf,
}

pub fn run(args: &PlanArgs, quiet: bool) -> Result<(), Box<dyn std::error::Error>> {
    let config = RegionConfig::read(&args.config)?;
    if config.dem.is_none() || config.towers.is_none() {
        return Err(format!("{}: a plan needs `dem` and `towers` in the region file", args.config.display()).into());
    }
    std::fs::create_dir_all(&args.output).map_err(|e| format!("{}: {e}", args.output.display()))?;
    plan_region(&config, &args.output, quiet)?;
    println!("\nResults in {}/ (plan.gpkg, candidates.gpkg, unserved.gpkg, plan.json)", args.output.display());
    Ok(())
}

/// The layers of a region file, read into the DEM's projected CRS.
pub struct RegionLayers {
    pub households: Households,
    pub fiber: FiberNetwork,
    pub dem: Dem,
    pub towers: Vec<Site>,
    pub roads: Option<FiberNetwork>,
    /// The `[plan] candidates` layer: positions and ids.
    pub listed: Option<(Vec<[f64; 2]>, Vec<String>)>,
}

impl RegionLayers {
    /// Reads the layers of a region file that names a DEM and towers.
    pub fn read(config: &RegionConfig, say: &dyn Fn(String)) -> Result<Self, Box<dyn std::error::Error>> {
        let (Some(dem_path), Some(towers_path)) = (&config.dem, &config.towers) else {
            return Err("a plan needs `dem` and `towers` in the region file".into());
        };
        // Everything in the DEM's projected CRS.
        let dem = read_dem(dem_path, &DemSpec::default())?;
        let crs = dem.crs();
        let households = config.households_input()?.load_in(Some(crs), say)?;
        let fiber_spec = LayerSpec { layer: config.fiber_layer.clone(), crs: config.fiber_crs.clone(), target: Some(crs), ..Default::default() };
        let fiber = read_fiber(&config.fiber, &fiber_spec)?;
        let towers = read_sites(towers_path, None, crs)?;
        let roads = match &config.roads {
            Some(path) => Some(read_fiber(path, &LayerSpec { target: Some(crs), ..Default::default() })?),
            None => None,
        };
        let listed = match &config.plan.candidates {
            Some(path) => {
                let listed = read_households(path, &LayerSpec { id_field: Some("id".into()), target: Some(crs), ..Default::default() })?;
                let ids = listed.ids().map(<[String]>::to_vec).ok_or_else(|| format!("{}: no `id` field", path.display()))?;
                Some((listed.coords().to_vec(), ids))
            }
            None => None,
        };
        Ok(RegionLayers { households, fiber, dem, towers, roads, listed })
    }

    /// The layers as the core's pipeline takes them.
    pub fn inputs(&self) -> RegionInputs<'_> {
        RegionInputs {
            households: &self.households,
            fiber: &self.fiber,
            dem: &self.dem,
            towers: &self.towers,
            roads: self.roads.as_ref(),
            listed_candidates: self.listed.as_ref().map(|(xy, ids)| (xy.as_slice(), ids.as_slice())),
        }
    }
}

/// The core's settings of a region file: drop limit, `[radio]`, `[plan]`; the report's extras off.
pub fn region_settings(config: &RegionConfig) -> Result<RegionSettings, Box<dyn std::error::Error>> {
    Ok(RegionSettings {
        max_drop_m: config.max_drop_m,
        radio: config.radio.settings()?,
        plan: config.plan.settings(),
        radio_by_technology: false,
        coverage_map: false,
        fiber_extension: None,
    })
}

/// Runs bbcov-core's [`analyze_region`] with a progress bar, PROJ's lon/lat
/// and one timed line per stage on stderr.
pub fn analyze(layers: &RegionLayers, settings: &RegionSettings, quiet: bool) -> Result<RegionOutcome, Box<dyn std::error::Error>> {
    let say = crate::sayer(quiet);
    let bar = Bar::new(quiet);
    let last = std::cell::Cell::new(Instant::now());
    let log = |message: &str| {
        say(format!("{message} in {:.2} s", last.get().elapsed().as_secs_f64()));
        last.set(Instant::now());
    };
    let lonlat = |crs: Crs, points: &[[f64; 2]]| to_lonlat(crs, points).map_err(|e| e.to_string());
    let outcome = analyze_region(&layers.inputs(), settings, &lonlat, &bar, &log)?;
    bar.finish();
    Ok(outcome)
}

/// Plans a region whose file names a DEM and towers; writes the results to `out`.
pub fn plan_region(config: &RegionConfig, out: &Path, quiet: bool) -> Result<(), Box<dyn std::error::Error>> {
    let say = crate::sayer(quiet);
    let layers = RegionLayers::read(config, &say)?;
    let settings = region_settings(config)?;
    let outcome = analyze(&layers, &settings, quiet)?;
    write_plan(config, &layers, &outcome, out)
}

/// Writes a plan's layers and plan.json to `out` and prints the plan and the regulator metrics.
pub fn write_plan(config: &RegionConfig, layers: &RegionLayers, o: &RegionOutcome, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let unserved_weight = o.unserved.iter().fold(0.0, |sum, &i| sum + layers.households.weights()[i]);
    write_outputs(out, &o.candidates, &o.candidate_sites, &o.sets, &o.backhaul, &o.plan, &layers.households, &o.unserved, layers.dem.crs(), &o.hubs)?;
    let mut summary = summary_json(config, &o.candidates, &o.backhaul, &o.plan, &o.costs, unserved_weight, layers.households.total_weight());
    summary["metrics"] = metrics_json(o);
    std::fs::write(out.join("plan.json"), serde_json::to_string_pretty(&summary)?).map_err(|e| format!("plan.json: {e}"))?;
    print_plan(&o.candidates, &o.backhaul, &o.plan, unserved_weight, &o.costs);
    print_metrics(&summary["metrics"]);
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_outputs(
    out: &Path,
    candidates: &[Candidate],
    sites: &[Site],
    sets: &bbcov_core::siting::CoverageSets,
    best: &[bbcov_core::BackhaulOption],
    plan: &SitingPlan,
    households: &bbcov_core::Households,
    unserved: &[usize],
    crs: bbcov_core::Crs,
    hubs: &[Hub],
) -> Result<(), Box<dyn std::error::Error>> {
    let coverable: Vec<f64> = (0..candidates.len()).map(|j| sets.covered_weight(&[j])).collect::<Result<_, _>>()?;
    let describe = |j: usize| match best[j].kind {
        BackhaulKind::Fiber { km } => ("fiber".to_owned(), km, String::new()),
        BackhaulKind::Microwave { to, km, .. } => (
            "microwave".to_owned(),
            km,
            match to {
                bbcov_core::HopEnd::Hub(h) => hubs[h].id.clone(),
                bbcov_core::HopEnd::Candidate(c) => candidates[c].id.clone(),
            },
        ),
    };
    let columns_of = |indices: &[usize], extra: Vec<Column>| {
        let (kinds, kms, tos): (Vec<_>, Vec<_>, Vec<_>) = indices.iter().map(|&j| describe(j)).fold((vec![], vec![], vec![]), |mut acc, (k, km, to)| {
            acc.0.push(k);
            acc.1.push(km);
            acc.2.push(to);
            acc
        });
        let mut columns = vec![
            Column { name: "site_id".into(), data: ColumnData::Text(indices.iter().map(|&j| sites[j].id().to_owned()).collect()) },
            Column { name: "source".into(), data: ColumnData::Text(indices.iter().map(|&j| format!("{:?}", candidates[j].source)).collect()) },
            Column { name: "coverable_households".into(), data: ColumnData::F64(indices.iter().map(|&j| coverable[j]).collect()) },
            Column { name: "backhaul".into(), data: ColumnData::Text(kinds) },
            Column { name: "backhaul_km".into(), data: ColumnData::F64(kms) },
            Column { name: "backhaul_to".into(), data: ColumnData::Text(tos) },
            Column { name: "capex".into(), data: ColumnData::F64(indices.iter().map(|&j| best[j].capex).collect()) },
            Column { name: "opex_per_year".into(), data: ColumnData::F64(indices.iter().map(|&j| best[j].opex_per_year).collect()) },
        ];
        columns.extend(extra);
        columns
    };
    let all: Vec<usize> = (0..candidates.len()).collect();
    let chosen: Vec<bool> = all.iter().map(|j| plan.sites.contains(j)).collect();
    let xy = |indices: &[usize]| indices.iter().map(|&j| candidates[j].xy).collect::<Vec<_>>();
    write_points(&out.join("candidates.gpkg"), "candidates", crs, &xy(&all), &columns_of(&all, vec![Column { name: "chosen".into(), data: ColumnData::Bool(chosen) }]))?;
    let order = vec![
        Column { name: "order".into(), data: ColumnData::I64((1..=plan.sites.len() as i64).collect()) },
        Column { name: "new_households".into(), data: ColumnData::F64(plan.marginal_gain.clone()) },
    ];
    write_points(&out.join("plan.gpkg"), "plan", crs, &xy(&plan.sites), &columns_of(&plan.sites, order))?;

    let mask = sets.covered_mask(&plan.sites)?;
    let mut columns: Vec<Column> = household_columns(households).into_iter().map(|c| subset(c, unserved)).collect();
    columns.push(Column { name: "covered_by_plan".into(), data: ColumnData::Bool(mask) });
    let coords: Vec<[f64; 2]> = unserved.iter().map(|&i| households.coords()[i]).collect();
    write_points(&out.join("unserved.gpkg"), "unserved", crs, &coords, &columns)?;
    Ok(())
}

/// The rows `indices` of a column.
fn subset(column: Column, indices: &[usize]) -> Column {
    let data = match column.data {
        ColumnData::F64(v) => ColumnData::F64(indices.iter().map(|&i| v[i]).collect()),
        ColumnData::I64(v) => ColumnData::I64(indices.iter().map(|&i| v[i]).collect()),
        ColumnData::Bool(v) => ColumnData::Bool(indices.iter().map(|&i| v[i]).collect()),
        ColumnData::Text(v) => ColumnData::Text(indices.iter().map(|&i| v[i].clone()).collect()),
    };
    Column { name: column.name, data }
}

fn summary_json(
    config: &RegionConfig,
    candidates: &[Candidate],
    best: &[bbcov_core::BackhaulOption],
    plan: &SitingPlan,
    costs: &CostTable,
    unserved_weight: f64,
    total_weight: f64,
) -> serde_json::Value {
    let capex: f64 = plan.sites.iter().map(|&j| best[j].capex).sum();
    let newly_served = plan.covered_weight;
    json!({
        "region": config.name,
        "households": total_weight,
        "unserved_before": unserved_weight,
        "unserved_after": unserved_weight - newly_served,
        "problem": format!("{:?}", plan.problem),
        "new_sites": plan.new_sites().len(),
        "locked_sites": plan.locked,
        "newly_served": newly_served,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "capex": capex,
        "lifetime_cost": plan.cost,
        "years": costs.years,
        "capex_per_newly_served_household": if newly_served > 0.0 { capex / newly_served } else { f64::NAN },
        "candidates": candidates.len(),
        "sites": plan.sites.iter().zip(&plan.marginal_gain).map(|(&j, gain)| json!({
            "id": candidates[j].id,
            "x": candidates[j].xy[0],
            "y": candidates[j].xy[1],
            "new_households": gain,
            "backhaul": match best[j].kind { BackhaulKind::Fiber { .. } => "fiber", BackhaulKind::Microwave { .. } => "microwave" },
            "capex": best[j].capex,
            "opex_per_year": best[j].opex_per_year,
        })).collect::<Vec<_>>(),
        "cost_table_note": "illustrative default costs unless set in [plan]; not real prices",
    })
}

fn print_plan(candidates: &[Candidate], best: &[bbcov_core::BackhaulOption], plan: &SitingPlan, unserved_weight: f64, costs: &CostTable) {
    println!("Siting plan ({:?}): {} new sites, {} of {} unserved households covered", plan.problem, plan.sites.len(), plan.covered_weight, unserved_weight);
    println!("bound {} (gap {:.2} %), lifetime cost {:.0} over {} years", plan.bound, 100.0 * plan.gap, plan.cost, costs.years);
    println!("\n{:<16} {:>8} {:>10} {:>9} {:>15}", "site", "new hh", "backhaul", "km", "capex");
    for (&j, gain) in plan.sites.iter().zip(&plan.marginal_gain) {
        let (kind, km) = match best[j].kind {
            BackhaulKind::Fiber { km } => ("fiber", km),
            BackhaulKind::Microwave { km, .. } => ("microwave", km),
        };
        println!("{:<16} {:>8} {:>10} {:>9.2} {:>15.0}", candidates[j].id, gain, kind, km, best[j].capex);
    }
}

/// Regulator-style metrics before and after the plan: fiber availability,
/// 5G population coverage by 500 m square, share of 10 km squares with a 5G station.
fn metrics_json(o: &RegionOutcome) -> serde_json::Value {
    let figures = |m: &SquareMetrics| {
        json!({
            "5g_sites": m.five_g_sites,
            "5g_population_coverage_by_500m_square": m.population_coverage_500m,
            "10km_squares_with_5g_station": m.squares_10km_with_5g,
            "10km_squares_with_households": m.squares_10km_with_households,
            "10km_square_share": m.square_share(),
        })
    };
    json!({
        "fiber_availability_rate": o.fiber_availability_rate,
        "before": figures(&o.metrics_before),
        "after": figures(&o.metrics_after),
    })
}

fn print_metrics(metrics: &serde_json::Value) {
    println!("\nRegulator-style metrics");
    println!("  fiber availability (households): {:.1} %", 100.0 * metrics["fiber_availability_rate"].as_f64().unwrap_or(0.0));
    for label in ["before", "after"] {
        let m = &metrics[label];
        println!(
            "  {label:<6} 5G sites {:>3}: population coverage by 500 m square {:>5.1} %, 10 km squares with a 5G station {}/{}",
            m["5g_sites"],
            100.0 * m["5g_population_coverage_by_500m_square"].as_f64().unwrap_or(0.0),
            m["10km_squares_with_5g_station"],
            m["10km_squares_with_households"]
        );
    }
}
