// The plan as files: every household with its attributes, its distance to
// fiber, whether fiber serves it and its status, as GeoJSON (RFC 7946,
// lon/lat) and CSV (the columns of `bbcov fiber` plus `status`; the nearest route by its id).
// With a siting plan, households get `covered_by_plan` (1: unserved now and
// served by the proposed sites) and the GeoJSON ends with the proposed sites
// (`feature: "proposed_site"`; their own CSV: siting.js).
import { toCsv } from './csv.js';
import { proposedFeatures } from './siting.js';

/** Column names added to the household attributes (as in the CLI's output). */
const RESULT_FIELDS = ['fiber_distance_m', 'fiber_served', 'nearest_route_id', 'status'];

function results(plan, i) {
  const { coverage, fiber, status } = plan;
  return [coverage.distances[i], coverage.served[i], fiber.ids[coverage.nearestRoutes[i]], status[i]];
}

/** Per household: 1 where the siting plan newly serves it, else 0; null without a plan. */
function coveredByPlan(plan) {
  if (!plan.plan) return null;
  const { demand, result } = plan.plan;
  const covered = new Uint8Array(plan.households.n);
  demand.forEach((i, k) => { covered[i] = result.covered[k]; });
  return covered;
}

/** The households with status as a GeoJSON FeatureCollection (text). */
export function planGeoJson(plan) {
  const { households: hh } = plan;
  const features = new Array(hh.n);
  const byPlan = coveredByPlan(plan);
  for (let i = 0; i < hh.n; i++) {
    const properties = { ...hh.props[i] };
    results(plan, i).forEach((v, k) => { properties[RESULT_FIELDS[k]] = v; });
    if (byPlan) properties.covered_by_plan = byPlan[i];
    features[i] = { type: 'Feature', properties, geometry: { type: 'Point', coordinates: [hh.lon[i], hh.lat[i]] } };
  }
  if (plan.plan) features.push(...proposedFeatures(plan.plan, plan.terrain.toLonLat));
  const doc = {
    type: 'FeatureCollection',
    bbcov: {
      max_drop_m: plan.coverage.maxDropM,
      households: hh.source,
      fiber: plan.fiber.source,
      version: plan.version,
      ...(plan.plan ? { siting: sitingSummary(plan.plan) } : {}),
    },
    features,
  };
  return JSON.stringify(doc);
}

/** The households with status as CSV (text): lon, lat, the attributes, then the results. */
export function planCsv(plan) {
  const { households: hh } = plan;
  const byPlan = coveredByPlan(plan);
  const header = ['lon', 'lat', ...hh.fields, ...RESULT_FIELDS, ...(byPlan ? ['covered_by_plan'] : [])];
  const rows = new Array(hh.n);
  for (let i = 0; i < hh.n; i++) {
    rows[i] = [hh.lon[i], hh.lat[i], ...hh.fields.map((f) => hh.props[i][f]), ...results(plan, i), ...(byPlan ? [byPlan[i]] : [])];
  }
  return toCsv(header, rows);
}

/** The siting plan's figures for the GeoJSON's `bbcov` member. */
function sitingSummary({ result: r, options, stale }) {
  return {
    problem: r.problem, new_sites: r.sites.length, newly_served: r.newlyServed, unserved_before: r.demandWeight,
    bound: r.bound, gap: r.gap, lifetime_cost: r.cost, capex: r.capex, years: r.years, candidates: r.candidates,
    new_site: { technology: options.technology, frequency_mhz: options.frequencyMhz, eirp_dbm: options.eirpDbm, height_m: options.mastHeightM },
    stale,
  };
}

/** Offers `text` as a download named `name`. */
export function download(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
