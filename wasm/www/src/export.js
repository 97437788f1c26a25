// The plan as files: every household with its attributes, its distance to
// fiber, whether fiber serves it and its status, as GeoJSON (RFC 7946,
// lon/lat) and CSV (the columns of `bbcov fiber` plus `status`; the nearest route by its id).
import { toCsv } from './csv.js';

/** Column names added to the household attributes (as in the CLI's output). */
const RESULT_FIELDS = ['fiber_distance_m', 'fiber_served', 'nearest_route_id', 'status'];

function results(plan, i) {
  const { coverage, fiber, status } = plan;
  return [coverage.distances[i], coverage.served[i], fiber.ids[coverage.nearestRoutes[i]], status[i]];
}

/** The households with status as a GeoJSON FeatureCollection (text). */
export function planGeoJson(plan) {
  const { households: hh } = plan;
  const features = new Array(hh.n);
  for (let i = 0; i < hh.n; i++) {
    const properties = { ...hh.props[i] };
    results(plan, i).forEach((v, k) => { properties[RESULT_FIELDS[k]] = v; });
    features[i] = { type: 'Feature', properties, geometry: { type: 'Point', coordinates: [hh.lon[i], hh.lat[i]] } };
  }
  const doc = {
    type: 'FeatureCollection',
    bbcov: {
      max_drop_m: plan.coverage.maxDropM,
      households: hh.source,
      fiber: plan.fiber.source,
      version: plan.version,
    },
    features,
  };
  return JSON.stringify(doc);
}

/** The households with status as CSV (text): lon, lat, the attributes, then the results. */
export function planCsv(plan) {
  const { households: hh } = plan;
  const header = ['lon', 'lat', ...hh.fields, ...RESULT_FIELDS];
  const rows = new Array(hh.n);
  for (let i = 0; i < hh.n; i++) {
    rows[i] = [hh.lon[i], hh.lat[i], ...hh.fields.map((f) => hh.props[i][f]), ...results(plan, i)];
  }
  return toCsv(header, rows);
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
