//! `bbcov plan`: the whole pipeline on a region file — fiber, radio of the
//! existing towers, unserved households, candidate sites with backhaul
//! costs, and a siting plan with its optimality gap.

use std::path::{Path, PathBuf};
use std::time::Instant;

use bbcov_core::siting::{SitingPlan, budgeted_covering, coverage_sets_from_radio, max_covering, target_covering};
use bbcov_core::{
    CoverageOptions, Dem, Households, SquareCoverageOptions, SquareUniverse, Technology, base_station_square_share, best_server,
    fiber_availability, population_coverage_by_square,
};
use bbcov_core::{
    Antenna, BackhaulKind, BackhaulOptions, Candidate, CandidateFilter, CandidateSource, listed_candidates, CostTable, FiberOptions, Hub, Site,
    fiber_coverage_with, filter_candidates, grid_candidates, high_points, household_signal,
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

/// Plans a region whose file names a DEM and towers; writes the results to `out`.
pub fn plan_region(config: &RegionConfig, out: &Path, quiet: bool) -> Result<(), Box<dyn std::error::Error>> {
    let (Some(dem_path), Some(towers_path)) = (&config.dem, &config.towers) else {
        return Err("a plan needs `dem` and `towers` in the region file".into());
    };
    let say = crate::sayer(quiet);
    let p = &config.plan;
    let r = &config.radio;

    // Everything in the DEM's projected CRS.
    let dem = read_dem(dem_path, &DemSpec::default())?;
    let crs = dem.crs();
    let households = config.households_input()?.load_in(Some(crs), &say)?;
    let fiber_spec = LayerSpec { layer: config.fiber_layer.clone(), crs: config.fiber_crs.clone(), target: Some(crs), ..Default::default() };
    let fiber = read_fiber(&config.fiber, &fiber_spec)?;
    let towers = read_sites(towers_path, None, crs)?;

    let bar = Bar::new(quiet);
    let fiber_served = fiber_coverage_with(&households, &fiber, &FiberOptions { max_drop_m: config.max_drop_m }, &bar)?.served();
    let radio = r.household_options()?;
    let t = Instant::now();
    let existing = household_signal(&dem, &towers, &households, &radio)?;
    let unserved: Vec<usize> = (0..households.len()).filter(|&i| !fiber_served[i] && !existing[i].covered).collect();
    let unserved_weight: f64 = unserved.iter().map(|&i| households.weights()[i]).sum();
    say(format!("{} of {} household points unserved ({unserved_weight} households) in {:.2} s", unserved.len(), households.len(), t.elapsed().as_secs_f64()));

    // Candidates: terrain high points and a grid, on land, not too steep, near a road.
    let mut candidates = high_points(&dem, p.high_point_radius_m, p.high_point_relief_m)?;
    if p.grid_spacing_m > 0.0 {
        candidates.extend(grid_candidates(dem.bounds(), p.grid_spacing_m)?);
    }
    let roads = match &config.roads {
        Some(path) => Some(read_fiber(path, &LayerSpec { target: Some(crs), ..Default::default() })?),
        None => None,
    };
    let filter = CandidateFilter {
        on_land: true,
        max_slope_deg: Some(p.max_slope_deg),
        max_road_distance_m: roads.as_ref().map(|_| p.max_road_distance_m),
    };
    if p.towers_as_candidates {
        let positions: Vec<[f64; 2]> = towers.iter().map(Site::position).collect();
        let ids: Vec<String> = towers.iter().map(|s| format!("tower-{}", s.id())).collect();
        candidates.extend(listed_candidates(&positions, Some(&ids), CandidateSource::Structure)?);
    }
    if let Some(path) = &p.candidates {
        let listed = read_households(path, &LayerSpec { id_field: Some("id".into()), target: Some(crs), ..Default::default() })?;
        candidates.extend(listed_candidates(listed.coords(), listed.ids(), CandidateSource::User)?);
    }
    let candidates = filter_candidates(&candidates, &dem, roads.as_ref(), &filter)?;
    if candidates.is_empty() {
        return Err("no candidate site is left after the filters (on land, slope, road distance); relax [plan] max_slope_deg or max_road_distance_m".into());
    }
    let sites = candidate_sites(&candidates, config)?;
    say(format!("{} candidate sites", sites.len()));

    let t = Instant::now();
    let bar = Bar::new(quiet);
    let sets = coverage_sets_from_radio(&dem, &sites, &households, &unserved, &radio, &bar)?;
    bar.finish();
    say(format!("coverage sets in {:.2} s", t.elapsed().as_secs_f64()));

    let defaults = CostTable::default();
    let costs = CostTable {
        site_capex: p.site_capex.unwrap_or(defaults.site_capex),
        fiber_capex_per_km: p.fiber_capex_per_km.unwrap_or(defaults.fiber_capex_per_km),
        microwave_link_capex: p.microwave_link_capex.unwrap_or(defaults.microwave_link_capex),
        years: p.years.unwrap_or(defaults.years),
        ..defaults
    };
    let hubs: Vec<Hub> = towers.iter().map(|s| Hub { id: s.id().to_owned(), xy: s.position(), antenna_height_m: s.height_m() }).collect();
    let backhaul = bbcov_core::backhaul(&dem, &candidates, &fiber, &hubs, &BackhaulOptions { costs, ..Default::default() })?;
    let best: Vec<_> = backhaul.iter().map(|b| b.best(costs.years)).collect();
    let lifetime: Vec<f64> = best.iter().map(|b| b.lifetime_cost(costs.years)).collect();
    let locked: Vec<usize> = p
        .locked
        .iter()
        .map(|id| candidates.iter().position(|c| &c.id == id).ok_or_else(|| format!("[plan] locked: no candidate {id:?} (see candidates.gpkg of a previous run)")))
        .collect::<Result<_, _>>()?;
    let sets = sets.with_costs(lifetime.clone())?.with_locked(&locked)?;

    let t = Instant::now();
    let plan = match (p.target_share, p.budget, p.sites) {
        (Some(share), _, _) => target_covering(&sets, share)?,
        (None, Some(budget), _) => budgeted_covering(&sets, budget)?,
        (None, None, n) => max_covering(&sets, n.unwrap_or(5))?,
    };
    say(format!("plan in {:.2} s", t.elapsed().as_secs_f64()));

    write_outputs(out, &candidates, &sites, &sets, &best, &plan, &households, &unserved, crs, &hubs)?;
    let mut summary = summary_json(config, &candidates, &best, &plan, &costs, unserved_weight, households.total_weight());
    let t = Instant::now();
    let new_sites: Vec<Site> = plan.new_sites().iter().map(|&j| sites[j].clone()).collect();
    summary["metrics"] = regulator_metrics(&dem, &households, &fiber_served, &towers, &new_sites, &r.coverage_options()?)?;
    say(format!("regulator metrics in {:.2} s", t.elapsed().as_secs_f64()));
    std::fs::write(out.join("plan.json"), serde_json::to_string_pretty(&summary)?).map_err(|e| format!("plan.json: {e}"))?;
    print_plan(&candidates, &best, &plan, unserved_weight, &costs);
    print_metrics(&summary["metrics"]);
    Ok(())
}

/// A new omni site at every candidate, as the `[plan]` table describes it.
fn candidate_sites(candidates: &[Candidate], config: &RegionConfig) -> Result<Vec<Site>, Box<dyn std::error::Error>> {
    let p = &config.plan;
    let technology = bbcov_core::Technology::from_label(&p.technology, p.frequency_mhz).ok_or_else(|| {
        format!("[plan] technology {:?}: use 4G, 5G or local5G", bbcov_core::Technology::normalize_label(&p.technology))
    })?;
    let bandwidth = p.bandwidth_mhz.unwrap_or(20.0);
    let antenna = Antenna::omni(0.0)?;
    candidates
        .iter()
        .map(|c| Site::new(c.id.clone(), c.xy, p.mast_height_m, technology, p.frequency_mhz, bandwidth, p.eirp_dbm, 0.0, antenna).map_err(|e| format!("[plan] new sites: {e}").into()))
        .collect()
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
fn regulator_metrics(
    dem: &Dem,
    households: &Households,
    fiber_served: &[bool],
    towers: &[Site],
    new_sites: &[Site],
    options: &CoverageOptions,
) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let fiber = fiber_availability(households, fiber_served, None)?.pop().expect("a total row");
    let households_lonlat = to_lonlat(households.crs(), households.coords())?;
    let is_5g = |s: &&Site| s.technology() != Technology::Lte;
    let before: Vec<Site> = towers.iter().filter(is_5g).cloned().collect();
    let after: Vec<Site> = before.iter().chain(new_sites.iter().filter(is_5g)).cloned().collect();
    let mut out = serde_json::Map::new();
    out.insert("fiber_availability_rate".into(), json!(fiber.served_rate()));
    for (label, sites) in [("before", &before), ("after", &after)] {
        let population = population_coverage(dem, households, &households_lonlat, sites, options)?;
        let positions: Vec<[f64; 2]> = sites.iter().map(Site::position).collect();
        let sites_lonlat = to_lonlat(dem.crs(), &positions)?;
        let technologies: Vec<Technology> = sites.iter().map(Site::technology).collect();
        let squares = base_station_square_share(&households_lonlat, &sites_lonlat, &technologies, SquareUniverse::WithHouseholds)?;
        out.insert(
            label.into(),
            json!({
                "5g_sites": sites.len(),
                "5g_population_coverage_by_500m_square": population,
                "10km_squares_with_5g_station": squares.with_station.len(),
                "10km_squares_with_households": squares.squares.len(),
                "10km_square_share": squares.rate(),
            }),
        );
    }
    Ok(serde_json::Value::Object(out))
}

/// Share of the household weight in 500 m squares that the 5G sites cover
/// (best-server RSRP at or above the threshold) on at least half their area.
fn population_coverage(
    dem: &Dem,
    households: &Households,
    households_lonlat: &[[f64; 2]],
    sites: &[Site],
    options: &CoverageOptions,
) -> Result<f64, Box<dyn std::error::Error>> {
    if sites.is_empty() {
        return Ok(0.0);
    }
    let map = best_server(dem, sites, options, 0.5, 7.0, &())?;
    let t = *map.transform();
    let (rows, cols) = map.shape();
    let centres: Vec<[f64; 2]> = (0..rows).flat_map(|r| (0..cols).map(move |c| t.cell_centre(r, c))).collect();
    let lonlat = to_lonlat(map.crs(), &centres)?;
    let unproject = |p: [f64; 2]| {
        let c = (((p[0] - t.origin_x) / t.dx).floor().max(0.0) as usize).min(cols - 1);
        let r = (((t.origin_y - p[1]) / t.dy).floor().max(0.0) as usize).min(rows - 1);
        lonlat[r * cols + c]
    };
    let coverage = population_coverage_by_square(households_lonlat, households.weights(), map.covered(), &t, &unproject, &SquareCoverageOptions::default())?;
    Ok(coverage.rate())
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
