// A radio worker (src/radio-workers.js runs two): holds bbcov's `Dem` and
// the households (in the DEM's CRS) in its own wasm instance and computes,
// off the main thread, sites' coverage windows and RSRP at every household.
//
// In:  { init: { grid, households: { x, y, epsg } | null } } once, then
//      { id, site } (a planning site, radio.js) per site, or
//      { id, site, part, parts } for part of a site's coverage (no households),
//      or { id, site, householdsOnly: true } for its RSRP at the households only.
// Out: { id, cov, hhRsrp, eirpDbm, coverageMs, householdsMs, error } per site
//      (the arrays' buffers transferred), or { id, error } when not initialised.
import init, { Dem, Households } from '../../pkg/web/bbcov_wasm.js';
import { siteCoverageOf, siteCoveragePartOf, siteHouseholdRsrp } from './radio.js';

const ready = init({ module_or_path: new URL('bbcov_wasm_bg.wasm', self.location.href) });

let dem = null, households = null, initError = null;

function setUp({ grid, households: hh }) {
  dem?.free();
  households?.free();
  dem = households = initError = null;
  try {
    dem = new Dem(grid.heights, grid.width, grid.height, grid.geotransform, grid.epsg, grid.nodata);
    if (hh) households = new Households(hh.x, hh.y, { epsg: hh.epsg });
  } catch (e) {
    initError = e.message;
  }
}

/**
 * One site: the coverage window, then (with households) their RSRP; errors
 * as messages, a households' error beside the coverage.
 */
function run(site) {
  let out;
  try {
    const t0 = performance.now();
    const { cov, eirpDbm } = siteCoverageOf(site, dem);
    out = { cov, eirpDbm, coverageMs: performance.now() - t0 };
  } catch (e) {
    return { error: e.message };
  }
  return households ? { ...out, ...runHouseholds(site) } : out;
}

/** Part `part` of `parts` of a site's coverage window; errors as messages. */
function runPart(site, part, parts) {
  try {
    const t0 = performance.now();
    const { cov, eirpDbm } = siteCoveragePartOf(site, dem, part, parts);
    return { cov, eirpDbm, coverageMs: performance.now() - t0 };
  } catch (e) {
    return { error: e.message };
  }
}

/** A site's RSRP at every household only; errors as messages. */
function runHouseholds(site) {
  if (!households) return { error: 'the radio worker has no households' };
  try {
    const t0 = performance.now();
    return { hhRsrp: siteHouseholdRsrp(site, dem, households), householdsMs: performance.now() - t0 };
  } catch (e) {
    return { error: e.message };
  }
}

self.onmessage = async ({ data }) => {
  await ready;
  if (data.init) {
    setUp(data.init);
    return;
  }
  if (initError || !dem) {
    self.postMessage({ id: data.id, error: initError ?? 'the radio worker has no DEM' });
    return;
  }
  const out = data.householdsOnly ? runHouseholds(data.site)
    : data.parts ? runPart(data.site, data.part, data.parts) : run(data.site);
  const transfer = [out.cov?.rsrp.buffer, out.hhRsrp?.buffer].filter(Boolean);
  self.postMessage({ id: data.id, ...out }, transfer);
};
