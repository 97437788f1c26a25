// The bbcov planners' map: loads the bundled sample region (or the planner's
// own files, dropped on the page), computes fiber coverage and the summary
// in the browser with bbcov's wasm build, and draws everything on an offline
// MapLibre map. Nothing is fetched from outside the page's own folder.
import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';

import { fiberCoverage, initBbcov, summarize, version } from './bbcov.js';
import { download, planCsv, planGeoJson } from './export.js';
import {
  fiberFromGeoJson, geojsonKind, householdsFromCsv, householdsFromGeoJson, isSitesCsv, parseJson, sitesFromCsv,
} from './layers.js';
import { crsLabel } from './crs.js';
import {
  createMap, FIBER_COLOUR, refreshCoverage, setCoverage, setData, setTerrain, setVisible, showPopup, SITE_COLOURS, STATUS_COLOURS,
} from './map.js';
import {
  computeSite, coveragePixels, drawCoverage, householdRadio, householdsInDemCrs, makeCoverageCanvas, mergeCoverageParts, RADIO, RSRP_BANDS,
  siteCoverageOf, siteFromProperties, siteHouseholdRsrp, union, wasmSite, windowOf,
} from './radio.js';
import { makeTerrain, readGeoTiff } from './terrain.js';
import { setUpPlanPanel } from './plan-panel.js';
import { RadioWorkers } from './radio-workers.js';

const $ = (sel) => document.querySelector(sel);
const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const pct = (r) => (Number.isFinite(r) ? `${(100 * r).toFixed(1)} %` : '—');
const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Everything on the map. Layers are replaced whole when a file is loaded. */
const state = {
  map: null,
  region: null,
  households: null, // layers.js model, with .wasm = bbcov Households
  fiber: null, // layers.js model, with .wasm = bbcov FiberNetwork
  terrain: null, // terrain.js model, with .dem = bbcov Dem
  sites: null,
  coast: null,
  maxDropM: 300,
  by: null, // area key of the summary
  coverage: null, // fiberCoverage result
  rows: null, // summarize result
  error: null, // why coverage could not be computed
  status: [], // per household: fiber / radio / both / none
  householdFeatures: null,
  radioSites: [], // planning sites (radio.js), existing towers first
  hhDem: null, // bbcov Households in the DEM's CRS (for householdSignal)
  radio: null, // householdRadio result: best RSRP, serving site, covered
  radioNote: '', // why some sites could not be computed
  coverageCanvas: null,
  radioWorkers: null, // RadioWorkers kept after load (towers at load; then each edit's sweep, or its households)
  // true: an edited site's sweep is split between the radio workers, its
  // households computed here meanwhile; false: swept here, its households in
  // a worker meanwhile. The split is the faster on 2 cores (wasm/README.md, Performance).
  splitSweep: true,
  mode: 'view', // or 'add': a click on the map places a site
  selected: -1, // index of the site in the editor
  lastTiming: null, // timings (ms) of the last site recompute
  planned: 0, // number of sites added on the page (for ids)
  plan: null, // siting plan (plan-panel.js): { result, options, demand, elapsedMs, stale }
};

/** The "Plan new sites" panel (set up in main). */
let planPanel = null;

/** Household status from its fiber and radio service (radio: later phase, undefined for now). */
function statusOf(fiber, radio) {
  if (fiber && radio) return 'both';
  if (fiber) return 'fiber';
  if (radio) return 'radio';
  return 'none';
}

// ---- messages ---------------------------------------------------------------

let messageTimer;
/** Shows a message over the map: `kind` error (stays) or info (fades). */
function showMessage(kind, title, details = []) {
  const box = $('#message');
  clearTimeout(messageTimer);
  box.className = `message ${kind}`;
  box.innerHTML = `<button class="close" aria-label="Close">×</button><strong>${escape(title)}</strong>` +
    details.map((d) => `<p class="detail">${escape(d)}</p>`).join('');
  box.hidden = false;
  box.querySelector('.close').onclick = () => { box.hidden = true; };
  if (kind === 'info') messageTimer = setTimeout(() => { box.hidden = true; }, 6000);
}

// ---- computation --------------------------------------------------------------

/**
 * Fiber coverage, status and summary from the current layers; updates map
 * and panels. Returns the error when the layers do not go together (e.g.
 * different CRSs), which the caller shows.
 */
function recompute() {
  const { households: hh, fiber } = state;
  state.coverage = null;
  state.rows = null;
  state.error = null;
  if (hh && fiber) {
    try {
      state.coverage = fiberCoverage(hh.wasm, fiber.wasm, state.maxDropM);
      state.rows = summarize(hh.wasm, state.coverage.served, state.by ?? undefined);
    } catch (e) {
      state.coverage = null;
      state.error = e;
    }
  }
  state.status = statuses();
  if (state.householdFeatures) {
    state.householdFeatures.features.forEach((f, i) => { f.properties.status = state.status[i]; });
    state.map.removeFeatureState({ source: 'households' });
    setData(state.map, 'households', state.householdFeatures);
  }
  renderSummary();
  renderLegend();
  $('#export-geojson').disabled = $('#export-csv').disabled = !state.coverage;
  return state.error;
}

/** Every household's status from the fiber coverage and the radio service. */
function statuses() {
  const hh = state.households;
  if (!hh) return [];
  const radio = state.radio && state.radio.covered.length === hh.n ? state.radio.covered : null;
  const served = state.coverage?.served;
  return Array.from({ length: hh.n }, (_, i) => (served ? statusOf(served[i] === 1, radio ? radio[i] === 1 : false) : 'unknown'));
}

/**
 * After a radio change (the fiber coverage as it was): the statuses, the
 * changed households on the map (only those, as feature states: restyled
 * on the next frame, where new data would be retiled in MapLibre's worker
 * first), the headline and the legend.
 */
function refreshStatuses() {
  const next = statuses();
  next.forEach((st, i) => {
    if (st === state.status[i] || !state.householdFeatures) return;
    state.householdFeatures.features[i].properties.status = st;
    state.map.setFeatureState({ source: 'households', id: i }, { status: st });
  });
  state.status = next;
  renderSummary();
  renderLegend();
}

/** Recomputes after a setting changed; shows the error if there is one. */
function recomputeAndReport() {
  const error = recompute();
  if (error) showMessage('error', 'Fiber coverage could not be computed', [error.message]);
}

// ---- panels -------------------------------------------------------------------

function renderSummary() {
  const rows = state.rows;
  const total = rows?.[rows.length - 1]; // summarize ends with the total row
  const hh = state.households;
  $('#kpi-total').textContent = hh ? fmt.format(total?.weight ?? hh.total) : '—';
  $('#kpi-served').textContent = total ? fmt.format(total.servedWeight) : '—';
  const weightOf = (status) => state.status.reduce((sum, st, i) => sum + (st === status ? (hh.weights ? hh.weights[i] : 1) : 0), 0);
  $('#kpi-radio').textContent = total ? fmt.format(weightOf('radio')) : '—';
  $('#kpi-unserved').textContent = total ? fmt.format(weightOf('none')) : '—';
  $('#kpi-rate').textContent = total ? pct(total.servedRate) : '—';
  $('#kpi-rate-bar').style.width = total ? `${(100 * total.servedRate).toFixed(1)}%` : '0';
  $('#max-drop-value').textContent = `${state.maxDropM} m`;

  const select = $('#summary-by');
  const keys = hh?.areaFields ?? [];
  select.innerHTML = ['', ...keys].map((k) => `<option value="${escape(k)}"${k === (state.by ?? '') ? ' selected' : ''}>${k ? escape(k) : 'total only'}</option>`).join('');

  const table = $('#summary-table');
  if (!rows) {
    table.innerHTML = `<tbody><tr><td class="empty">${hh ? (state.fiber ? 'No result' : 'Load fiber routes to compute coverage') : 'Load households'}</td></tr></tbody>`;
    return;
  }
  const body = rows.map((r, k) => {
    const isTotal = k === rows.length - 1;
    return `<tr class="${isTotal ? 'total' : 'area'}" data-area="${isTotal ? 'total' : escape(r.area)}">
      <th scope="row">${isTotal ? 'Total' : escape(r.area || '(blank)')}</th>
      <td>${fmt.format(r.weight)}</td><td>${fmt.format(r.servedWeight)}</td><td>${fmt.format(r.unservedWeight)}</td>
      <td class="rate">${pct(r.servedRate)}<span class="bar"><span style="width:${(100 * r.servedRate).toFixed(1)}%"></span></span></td></tr>`;
  }).join('');
  table.innerHTML = `<thead><tr><th scope="col">${escape(state.by ?? 'Area')}</th><th scope="col">Households</th>
    <th scope="col">Fiber</th><th scope="col">Unserved</th><th scope="col">Fiber&nbsp;%</th></tr></thead><tbody>${body}</tbody>`;
}

function renderLegend() {
  const counts = {};
  const hh = state.households;
  state.status.forEach((s, i) => { counts[s] = (counts[s] ?? 0) + (hh.weights ? hh.weights[i] : 1); });
  const statusLabels = { fiber: `Fiber within ${state.maxDropM} m`, radio: 'Radio only', both: 'Fiber and radio', none: 'Unserved', unknown: 'Not computed' };
  $('#legend-households').innerHTML = Object.keys(statusLabels).filter((s) => counts[s] !== undefined).map((s) =>
    `<li><span class="dot" style="background:${STATUS_COLOURS[s]}"></span>${statusLabels[s]}<span class="count">${fmt.format(counts[s])}</span></li>`).join('');
  const fiber = state.fiber;
  const kinds = fiber ? [...new Set(fiber.features.features.map((f) => f.properties.kind).filter(Boolean))] : [];
  const kindLabels = { backbone: 'Backbone', access: 'Access', submarine: 'Submarine cable' };
  $('#legend-fiber').innerHTML = fiber
    ? (kinds.length ? kinds : ['route']).map((k) => `<li><span class="line ${escape(k)}" style="--c:${FIBER_COLOUR}"></span>${escape(kindLabels[k] ?? 'Fiber route')}</li>`).join('') +
      `<li class="muted">${fmt.format(fiber.lengthKm)} km in ${fmt.format(fiber.features.features.length)} routes</li>`
    : '<li class="muted">none loaded</li>';
  $('#legend-coverage').innerHTML = RSRP_BANDS.map(([lo, [r, g, b]], k) =>
    `<li><span class="swatch" style="background:rgb(${r},${g},${b})"></span>${k ? `${lo} to ${RSRP_BANDS[k - 1][0]}` : `≥ ${lo}`} dBm</li>`).join('');
  const techs = state.sites ? [...new Set(state.sites.features.features.map((f) => f.properties.technology))] : [];
  const techLabels = { '4G': '4G', '5G': '5G', local5G: 'Local 5G' };
  $('#legend-sites').innerHTML = techs.length
    ? techs.map((t) => `<li><span class="ring" style="--c:${SITE_COLOURS[t] ?? SITE_COLOURS.other}"></span>${escape(techLabels[t] ?? t ?? 'other')}</li>`).join('')
    : '<li class="muted">none loaded</li>';
}

function renderSites() {
  const list = $('#site-list');
  const features = state.sites?.features.features ?? [];
  $('#site-count').textContent = features.length ? `${features.length}` : '';
  list.innerHTML = features.map((f, k) => {
    const p = f.properties;
    const s = state.radioSites[k];
    const bits = [p.frequency_mhz && `${p.frequency_mhz} MHz`, p.height_m && `${p.height_m} m mast`, p.sector ? `${Math.round(p.azimuth)}°` : 'omni'].filter(Boolean);
    return `<li><button data-site="${k}" class="${k === state.selected ? 'selected' : ''}" title="${escape(s?.error ?? '')}"><span class="ring" style="--c:${SITE_COLOURS[p.technology] ?? SITE_COLOURS.other}"></span>
      <span class="site-id">${escape(p.site_id ?? `site ${k + 1}`)}</span><span class="tech">${escape(p.technology ?? '')}</span>
      <span class="site-meta">${escape(bits.join(' · '))}${p.operator ? ` · ${escape(p.operator)}` : ''}</span></button></li>`;
  }).join('') || '<li class="muted">No sites loaded</li>';
  $('#radio-note').textContent = `Radio: diffraction model (free space + Bullington), ${RADIO.radiusM / 1000} km radius, ` +
    `RSRP ≥ ${RADIO.thresholdDbm} dBm indoors (TR 38.901 low-loss).${state.radioNote ? ` ${state.radioNote}` : ''}`;
}

function renderSources() {
  const items = [
    ['DEM', state.terrain && `${state.terrain.source} (${state.terrain.width} × ${state.terrain.height}, EPSG:${state.terrain.epsg})`],
    ['Households', state.households && `${state.households.source} (${fmt.format(state.households.n)} points, ${crsLabel(state.households.epsg)})`],
    ['Fiber', state.fiber && `${state.fiber.source} (${fmt.format(state.fiber.features.features.length)} routes, ${crsLabel(state.fiber.epsg)})`],
    ['Sites', state.sites && `${state.sites.source} (${state.sites.features.features.length})`],
    ['Coastline', state.coast && state.coast.source],
  ];
  $('#sources').innerHTML = items.map(([k, v]) => `<li><span class="k">${k}</span><span class="v">${v ? escape(v) : '<em>none</em>'}</span></li>`).join('');
}

// ---- layers -------------------------------------------------------------------

function setHouseholds(hh) {
  state.households?.wasm.free();
  state.households = hh;
  state.by = hh.areaFields.includes('municipality') ? 'municipality' : hh.areaFields[0] ?? null;
  state.householdFeatures = {
    type: 'FeatureCollection',
    features: Array.from({ length: hh.n }, (_, i) => ({
      type: 'Feature',
      id: i, // for feature states (refreshStatuses)
      properties: { i, status: 'unknown', w: Math.min(4, Math.max(1, hh.weights ? hh.weights[i] : 1)) },
      geometry: { type: 'Point', coordinates: [hh.lon[i], hh.lat[i]] },
    })),
  };
}

function setFiber(fiber) {
  state.fiber?.wasm.free();
  state.fiber = fiber;
  setData(state.map, 'fiber', fiber.features);
}

function setSites(sites) {
  state.sites = sites;
  setData(state.map, 'sites', sites.features);
  renderSites();
}

function setDem(terrain) {
  state.terrain?.dem.free();
  state.terrain = terrain;
  setTerrain(state.map, terrain);
  demBounds = terrain.dem.bounds();
}

/** Fits the map to the loaded data. */
function fitToData() {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const add = (lon, lat) => { w = Math.min(w, lon); e = Math.max(e, lon); s = Math.min(s, lat); n = Math.max(n, lat); };
  if (state.terrain) state.terrain.corners.forEach(([lon, lat]) => add(lon, lat));
  else if (state.households) for (let i = 0; i < state.households.n; i++) add(state.households.lon[i], state.households.lat[i]);
  if (Number.isFinite(w)) state.map.fitBounds([[w, s], [e, n]], { padding: 30, duration: 0 });
}


// ---- radio --------------------------------------------------------------------

const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The sites layer (map, list, legend) from the planning sites. */
function syncSites() {
  const features = state.radioSites.map((s, k) => ({
    type: 'Feature',
    properties: {
      k, site_id: s.id, technology: s.technology, height_m: s.heightM, frequency_mhz: s.frequencyMhz,
      eirp_dbm: s.eirpDbm === undefined ? undefined : Math.round(s.eirpDbm * 100) / 100,
      sector: s.azimuthDeg === null ? 0 : 1, azimuth: s.azimuthDeg ?? 0,
      ...(s.operator ? { operator: s.operator } : {}), ...(s.planned ? { planned: 'added on this page' } : {}),
    },
    geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
  }));
  state.sites = { source: state.sites?.source ?? 'sites added on this page', features: { type: 'FeatureCollection', features } };
  setData(state.map, 'sites', state.sites.features);
  renderSites();
}

/**
 * Household radio service from the sites' signals, then statuses and
 * panels; `fiber`: recompute the fiber coverage too (after a layer changed).
 */
function updateHouseholdRadio({ fiber = false } = {}) {
  const hh = state.households;
  state.radio = hh && state.hhDem ? householdRadio(state.radioSites, hh.n) : null;
  if (fiber || !state.coverage || state.status.length !== (hh?.n ?? 0)) return recompute();
  refreshStatuses();
  return null;
}

/** Sets a site's results from a computation (here or in a worker). */
function setSiteResult(s, r) {
  s.cov = r.cov ?? null;
  s.hhRsrp = r.hhRsrp ?? null;
  if (r.eirpDbm !== undefined) s.eirpDbm = r.eirpDbm;
  s.error = r.error;
}

/**
 * Computes one site (an edit); on failure keeps the reason on the site.
 * Resolves to timings or undefined. With the radio workers and
 * `state.splitSweep`, the sweep is split between them (every other ray
 * each, `siteCoveragePart`) while the households' signal is computed here;
 * without `state.splitSweep`, the sweep runs here while one worker computes
 * the households' signal; without workers, or when one failed, all of it here.
 */
async function computeOne(s) {
  const workers = state.radioWorkers;
  if (workers && !workers.failure) {
    const timing = await (state.splitSweep ? computeSplit(s, workers) : computeBeside(s, workers));
    if (timing !== null) return timing;
  }
  return computeHere(s);
}

/**
 * One site's sweep in the radio workers, halves merged (bit for bit
 * `siteCoverage`), its households' signal computed here meanwhile.
 * Resolves to timings (`coverageMs`: the split sweep's wall time with the
 * merge, `householdsMs`: the households' signal during it), undefined on a
 * bbcov error, null when a worker failed (the caller computes here).
 */
async function computeSplit(s, workers) {
  const t0 = performance.now();
  const parts = workers.coverageParts(s);
  let hhRsrp = null, hhError;
  try {
    // A failure (e.g. a household outside the DEM) leaves the coverage drawn.
    hhRsrp = state.hhDem ? siteHouseholdRsrp(s, state.terrain.dem, state.hhDem) : null;
  } catch (e) {
    hhError = e.message;
  }
  const householdsMs = performance.now() - t0;
  const results = await parts;
  if (results.some((r) => r.failed)) return null;
  const failed = results.find((r) => r.error);
  if (failed) {
    Object.assign(s, { cov: null, hhRsrp: null, error: failed.error });
    return undefined;
  }
  const tm = performance.now();
  Object.assign(s, { cov: mergeCoverageParts(results.map((r) => r.cov)), eirpDbm: results[0].eirpDbm, hhRsrp, error: hhError });
  const t1 = performance.now();
  return {
    coverageMs: t1 - t0, householdsMs, workerSweepMs: results.map((r) => Math.round(r.coverageMs)), mergeMs: t1 - tm, split: results.length,
  };
}

/**
 * One site's sweep here while a radio worker computes its households'
 * signal (each on its own core). Resolves to timings (`householdsMs`: the
 * wait for the worker after the sweep), undefined on a bbcov error, null
 * when the worker failed (the caller computes all of it here).
 */
async function computeBeside(s, workers) {
  const t0 = performance.now();
  const households = state.hhDem ? workers.households(s) : Promise.resolve({ hhRsrp: null });
  s.hhRsrp = null;
  try {
    const { cov, eirpDbm } = siteCoverageOf(s, state.terrain.dem);
    Object.assign(s, { cov, eirpDbm, error: undefined });
  } catch (e) {
    Object.assign(s, { cov: null, error: e.message });
    await households; // the worker's answer to this job, not a later one's
    return undefined;
  }
  const t1 = performance.now();
  const r = await households;
  if (r.failed) return null;
  // A households failure (e.g. one outside the DEM) leaves the coverage drawn.
  if (r.error) s.error = r.error;
  else s.hhRsrp = r.hhRsrp;
  return { coverageMs: t1 - t0, householdsMs: performance.now() - t1, workerHouseholdsMs: r.householdsMs };
}

/** One site on this thread (as at load without workers). */
function computeHere(s) {
  s.cov = null;
  try {
    const timing = computeSite(s, state.terrain, state.hhDem);
    s.error = undefined;
    return timing;
  } catch (e) {
    s.hhRsrp = null;
    s.error = e.message;
    return undefined;
  }
}

function noteErrors() {
  const failed = state.radioSites.filter((s) => s.error);
  state.radioNote = failed.length ? `${failed.length} site(s) could not be computed: ${failed[0].id}: ${failed[0].error}` : '';
}

/**
 * Starts the radio workers (src/radio-workers.js) on the DEM and households
 * and computes every site there, each worker every other site, the page
 * staying responsive; resolves to true when done, false when the workers
 * could not compute (the caller then computes here).
 */
async function computeInWorkers(t, progress) {
  const hh = state.hhDem;
  let workers;
  try {
    workers = new RadioWorkers(t.grid, hh ? { x: hh.x(), y: hh.y(), epsg: t.epsg } : null);
  } catch {
    return false;
  }
  const sites = state.radioSites;
  let done = 0;
  progress(0, sites.length);
  let ok = false;
  try {
    await workers.computeAll(sites, (k, r) => {
      setSiteResult(sites[k], r);
      progress(Math.min(++done, sites.length - 1), sites.length);
    });
    ok = true;
    return true;
  } catch {
    return false;
  } finally {
    if (ok) state.radioWorkers = workers; // edits are computed there too (computeOne)
    else workers.terminate();
  }
}

/**
 * (Re)builds the radio part from the layers: planning sites from the sites
 * layer, households in the DEM's CRS, every site's coverage and signal (one
 * at a time, with progress), the coverage layer and the statuses.
 */
async function rebuildRadio(progress = () => {}) {
  const t = state.terrain, hh = state.households;
  state.radioWorkers?.terminate();
  state.radioWorkers = null;
  state.hhDem?.free();
  state.hhDem = null;
  state.radio = null;
  state.radioNote = '';
  if (!t) {
    state.radioSites = [];
    setCoverage(state.map, null);
    return;
  }
  const features = state.sites?.features.features ?? [];
  state.radioSites = features.map((f, k) => siteFromProperties(f.properties, f.geometry.coordinates, t.fromLonLat, k));
  if (hh) {
    try {
      state.hhDem = householdsInDemCrs(hh, t);
    } catch (e) {
      state.radioNote = `households: ${e.message}`;
    }
  }
  let inWorker = false;
  if (t.grid && typeof Worker !== 'undefined') inWorker = await computeInWorkers(t, progress);
  for (let k = 0; !inWorker && k < state.radioSites.length; k++) {
    progress(k, state.radioSites.length);
    await nextFrame();
    computeHere(state.radioSites[k]);
  }
  state.radioWorker = inWorker;
  noteErrors();
  state.coverageCanvas = makeCoverageCanvas(t);
  drawCoverage(state.coverageCanvas, state.radioSites);
  setCoverage(state.map, state.coverageCanvas, t.corners);
  setVisible(state.map, ['coverage'], document.querySelector('input[data-layer="coverage"]')?.checked ?? true);
  syncSites();
  updateHouseholdRadio({ fiber: true });
}

/**
 * Recomputes site `k` after a change (`before`: its coverage window before
 * the change, redrawn too), the household statuses and the coverage layer;
 * resolves with the timings (ms) once the map has drawn it.
 */
function recomputeSite(k, before) {
  const s = state.radioSites[k];
  const run = radioQueue.then(() => recomputeNow(s, before));
  radioQueue = run.catch(() => {});
  return run;
}

/** Site recomputes, one at a time (an edit's sweep is awaited in the workers). */
let radioQueue = Promise.resolve();

async function recomputeNow(s, before) {
  const t0 = performance.now();
  // The window drawn now (an earlier queued edit may have moved it).
  before = union(before, windowOf(s.cov));
  const timing = (await computeOne(s)) ?? { coverageMs: NaN, householdsMs: NaN };
  noteErrors();
  const t1 = performance.now();
  updateHouseholdRadio();
  const t2 = performance.now();
  const drawn = drawCoverage(state.coverageCanvas, state.radioSites, union(before, windowOf(s.cov)));
  // The sites' layer after the sweep: set before, MapLibre retiled it during
  // the sweep and drew it as soon as the sweep ended, a frame (~80 ms drawn
  // in software here) before the households' signal from the radio worker
  // could be read. The list shows the site's error.
  syncSites();
  const part = drawn && { x: drawn.c0, y: drawn.r0, ...coveragePixels(state.coverageCanvas, drawn) };
  const tp = performance.now();
  await refreshCoverage(state.map, part);
  const t3 = performance.now();
  state.lastTiming = {
    ...timing, statusMs: t2 - t1, drawMs: t3 - t2, paintMs: tp - t2, mapMs: t3 - tp, totalMs: t3 - t0, siteId: s.id, error: s.error,
  };
  renderEditor();
  planPanel?.markStale();
  return state.lastTiming;
}

/**
 * Adds a site at lon/lat (defaults: a 30 m omni 4G mast at 800 MHz, 60 dBm
 * EIRP; `props` as a sites CSV row); `xy`: its exact position in the DEM's
 * CRS when known (a proposed site). Resolves with the timings.
 */
async function addSite(lonLat, props = {}, xy = null) {
  const t = state.terrain;
  if (!t) throw new Error('load a DEM first: sites are computed over the terrain');
  state.planned += 1;
  const p = {
    site_id: `NEW-${String(state.planned).padStart(2, '0')}`, height_m: 30, technology: '4G', frequency_mhz: 800, eirp_dbm: 60, ...props,
  };
  const s = siteFromProperties(p, lonLat, t.fromLonLat, state.radioSites.length);
  if (xy) [s.x, s.y] = xy;
  s.planned = true;
  const site = wasmSite(s); // refuses a bad site with bbcov's message before it is added
  site.free();
  state.radioSites.push(s);
  state.selected = state.radioSites.length - 1;
  const timing = await recomputeSite(state.selected, null);
  if (s.error) {
    state.radioSites.pop();
    state.selected = -1;
    syncSites();
    updateHouseholdRadio();
    renderEditor();
    throw new Error(s.error);
  }
  return timing;
}

/** Moves site `k` to lon/lat. */
function moveSite(k, lonLat) {
  const s = state.radioSites[k];
  const before = windowOf(s.cov);
  const [x, y] = state.terrain.fromLonLat(lonLat);
  Object.assign(s, { lon: lonLat[0], lat: lonLat[1], x, y });
  return recomputeSite(k, before);
}

/** Changes site `k` (heightM, eirpDbm, frequencyMhz, technology, azimuthDeg: null for omni); throws bbcov's message. */
function editSite(k, patch) {
  const s = state.radioSites[k];
  const next = { ...s, ...patch };
  if (patch.eirpDbm !== undefined) next.txPowerDbm = undefined;
  if (patch.technology !== undefined && patch.technology !== s.technology) next.bandwidthMhz = undefined;
  if ('azimuthDeg' in patch && (patch.azimuthDeg === null) !== (s.azimuthDeg === null)) next.gainDbi = undefined;
  wasmSite(next).free(); // throws on a bad value, leaving the site as it was
  const before = windowOf(s.cov);
  Object.assign(s, next);
  return recomputeSite(k, before);
}

/** Deletes site `k`. */
async function deleteSite(k) {
  const [s] = state.radioSites.splice(k, 1);
  state.selected = -1;
  noteErrors();
  updateHouseholdRadio();
  drawCoverage(state.coverageCanvas, state.radioSites, windowOf(s.cov));
  syncSites();
  renderEditor();
  planPanel?.markStale();
  await refreshCoverage(state.map);
}

function setMode(mode) {
  state.mode = mode;
  $('#add-site').setAttribute('aria-pressed', String(mode === 'add'));
  $('#map-wrap').classList.toggle('map-adding', mode === 'add');
  $('#site-hint').textContent = mode === 'add'
    ? 'Click on the map to place the new site (Esc to cancel).'
    : 'Drag a site on the map to move it; click it to edit.';
}

/** The edit form of the selected site. */
function renderEditor() {
  const form = $('#site-editor');
  const s = state.radioSites[state.selected];
  if (!s) { form.hidden = true; return; }
  form.hidden = false;
  const timing = state.lastTiming && state.lastTiming.siteId === s.id && Number.isFinite(state.lastTiming.totalMs)
    ? ` · computed in ${Math.round(state.lastTiming.totalMs)} ms` : '';
  $('#editor-title').textContent = `${s.id}${timing}`;
  form.technology.value = ['4G', '5G', 'local5G'].includes(s.technology) ? s.technology : '4G';
  form.frequencyMhz.value = s.frequencyMhz;
  form.heightM.value = s.heightM;
  form.eirpDbm.value = Math.round(s.eirpDbm * 100) / 100;
  form.omni.checked = s.azimuthDeg === null;
  form.azimuthDeg.disabled = s.azimuthDeg === null;
  form.azimuthDeg.value = s.azimuthDeg ?? '';
  const error = $('#editor-error');
  error.hidden = !s.error;
  error.textContent = s.error ?? '';
}

function selectSite(k) {
  state.selected = k;
  renderSites();
  renderEditor();
}

async function guarded(action) {
  const error = $('#editor-error');
  try {
    error.hidden = true;
    return await action();
  } catch (e) {
    error.hidden = false;
    error.textContent = e.message;
    return undefined;
  }
}

function setUpSiteEditor(map) {
  $('#add-site').onclick = () => setMode(state.mode === 'add' ? 'view' : 'add');
  window.addEventListener('keydown', (e) => { if (e.key === 'Escape' && state.mode === 'add') setMode('view'); });
  const form = $('#site-editor');
  form.omni.onchange = () => {
    form.azimuthDeg.disabled = form.omni.checked;
    if (!form.omni.checked && form.azimuthDeg.value === '') form.azimuthDeg.value = '0';
  };
  form.onsubmit = (e) => {
    e.preventDefault();
    const k = state.selected;
    if (k < 0) return;
    guarded(() => editSite(k, {
      technology: form.technology.value,
      frequencyMhz: Number(form.frequencyMhz.value),
      heightM: Number(form.heightM.value),
      eirpDbm: Number(form.eirpDbm.value),
      azimuthDeg: form.omni.checked ? null : Number(form.azimuthDeg.value),
    }));
  };
  $('#site-delete').onclick = () => { if (state.selected >= 0) deleteSite(state.selected); };
  $('#site-close').onclick = () => selectSite(-1);

  // Drag a site: press on its icon, move, release (the map does not pan meanwhile).
  let drag = null;
  map.on('mousedown', 'sites-symbol', (e) => {
    if (state.mode === 'add' || !e.features?.length) return;
    e.preventDefault();
    drag = { k: e.features[0].properties.k, moved: false };
    map.getCanvas().style.cursor = 'grabbing';
  });
  map.on('mousemove', (e) => {
    if (!drag) return;
    drag.moved = true;
    drag.lngLat = [e.lngLat.lng, e.lngLat.lat];
    const f = state.sites.features.features[drag.k];
    f.geometry.coordinates = drag.lngLat;
    setData(map, 'sites', state.sites.features);
  });
  map.on('mouseup', () => {
    if (!drag) return;
    const { k, moved, lngLat } = drag;
    drag = null;
    map.getCanvas().style.cursor = '';
    if (moved) {
      state.selected = k;
      guarded(() => moveSite(k, lngLat));
    }
  });
}

// ---- files --------------------------------------------------------------------

/** Reads one file into the layer it holds; returns a line for the message, throws with the reason. */
async function loadFile(file) {
  const name = file.name;
  const ext = name.toLowerCase().split('.').pop();
  if (ext === 'tif' || ext === 'tiff') {
    const grid = await readGeoTiff(await file.arrayBuffer());
    setDem(Object.assign(makeTerrain(grid, name), { grid }));
    return `DEM ${name}: ${grid.width} × ${grid.height} cells, EPSG:${grid.epsg}`;
  }
  if (ext === 'geojson' || ext === 'json') {
    const json = parseJson(await file.text());
    if (geojsonKind(json) === 'households') {
      const hh = householdsFromGeoJson(json, name);
      setHouseholds(hh);
      return householdsLine(hh);
    }
    const fiber = fiberFromGeoJson(json, name);
    setFiber(fiber);
    return `Fiber routes ${name}: ${fmt.format(fiber.features.features.length)} routes, ${fmt.format(fiber.lengthKm)} km`;
  }
  if (ext === 'csv') {
    const text = await file.text();
    if (isSitesCsv(text)) {
      setSites(sitesFromCsv(text, name));
      return `Sites ${name}: ${state.sites.features.features.length}`;
    }
    const hh = householdsFromCsv(text, name);
    setHouseholds(hh);
    return householdsLine(hh);
  }
  throw new Error('unsupported file type: drop a GeoTIFF DEM (.tif), GeoJSON households or fiber routes (.geojson), or a CSV of households (lon, lat) or sites (site_id, lon, lat)');
}

function householdsLine(hh) {
  const weight = hh.weightField ? `weights from "${hh.weightField}"` : 'no weight field: 1 household per point';
  return `Households ${hh.source}: ${fmt.format(hh.n)} points, ${fmt.format(hh.total)} households (${weight})` +
    (hh.areaFields.length ? `; areas: ${hh.areaFields.join(', ')}` : '');
}

/** Loads dropped or chosen files; a file that fails leaves its layer as it was. */
async function loadFiles(files) {
  document.documentElement.dataset.state = 'busy';
  const done = [], failed = [];
  // The DEM last: it is the slowest, and the layers show meanwhile.
  const ordered = [...files].sort((a, b) => /\.tiff?$/i.test(a.name) - /\.tiff?$/i.test(b.name));
  for (const file of ordered) {
    try {
      done.push(await loadFile(file));
    } catch (e) {
      failed.push([file.name, e]);
    }
  }
  if (done.length) {
    await rebuildRadio();
    planPanel?.markStale();
  }
  const error = recompute();
  renderSources();
  if (done.length && failed.length === 0) fitToData();
  if (error && !failed.length) {
    showMessage('error', `Loaded ${done.length === 1 ? 'the file' : `${done.length} files`}, but fiber coverage could not be computed`, [error.message, ...done]);
    $('#message').dataset.errorName = error.name ?? 'Error';
  } else if (failed.length) {
    const [name, e] = failed[0];
    const title = failed.length === 1 ? `Could not load ${name}` : `Could not load ${failed.map(([n]) => n).join(', ')}`;
    showMessage('error', title, [...failed.map(([n, err]) => (failed.length === 1 ? err.message : `${n}: ${err.message}`)), ...done]);
    $('#message').dataset.errorName = e.name ?? 'Error';
  } else if (done.length) {
    showMessage('info', done.length === 1 ? 'Loaded' : `Loaded ${done.length} files`, done);
  }
  document.documentElement.dataset.state = 'ready';
  document.documentElement.dataset.loads = String(Number(document.documentElement.dataset.loads ?? 0) + 1);
}

function setUpDropZone() {
  const overlay = $('#drop-overlay');
  let depth = 0;
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  window.addEventListener('dragenter', (e) => { if (hasFiles(e)) { depth++; overlay.hidden = false; } });
  window.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) overlay.hidden = true; });
  window.addEventListener('dragover', (e) => { if (hasFiles(e)) e.preventDefault(); });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    if (e.dataTransfer?.files.length) loadFiles(e.dataTransfer.files);
  });
  const input = $('#file-input');
  $('#open-files').onclick = () => input.click();
  input.onchange = () => { if (input.files.length) loadFiles(input.files).finally(() => { input.value = ''; }); };
}

// ---- map interaction ------------------------------------------------------------

let demBounds = null;

function elevationAt(lngLat) {
  const t = state.terrain;
  if (!t) return '';
  const [x, y] = t.fromLonLat([lngLat.lng, lngLat.lat]);
  const [x0, y0, x1, y1] = demBounds;
  if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) return ' · outside the DEM';
  try {
    const h = t.dem.sample(x, y);
    return h >= 0 ? ` · ${h.toFixed(0)} m` : ` · sea, ${(-h).toFixed(0)} m deep`;
  } catch {
    return ' · no elevation';
  }
}

function householdPopup(i) {
  const hh = state.households;
  const p = hh.props[i];
  const cov = state.coverage;
  const rows = hh.fields.filter((f) => f !== hh.idField).map((f) => `<tr><th>${escape(f)}</th><td>${escape(p[f])}</td></tr>`).join('');
  const status = state.status[i];
  const fiberLine = cov
    ? `<p class="status" style="--c:${STATUS_COLOURS[status]}">${cov.served[i] ? 'Fiber available' : 'No fiber'}: ${fmt.format(Math.round(cov.distances[i]))} m to route ${escape(state.fiber.ids[cov.nearestRoutes[i]])} (limit ${state.maxDropM} m)</p>`
    : '';
  const radio = state.radio;
  const site = radio && radio.serving[i] >= 0 ? state.radioSites[radio.serving[i]] : null;
  const radioLine = radio
    ? `<p class="status">${radio.covered[i] ? 'Radio coverage' : 'No radio coverage'}${site ? `: ${radio.rsrp[i].toFixed(1)} dBm indoors from ${escape(site.id)}` : ''}</p>`
    : '';
  return `<h3>${escape(hh.idField ? p[hh.idField] : `Household ${i + 1}`)}</h3>${fiberLine}${radioLine}<table>${rows}</table>`;
}

function sitePopup(p) {
  const rows = Object.entries(p).filter(([k, v]) => k !== 'sector' && k !== 'site_id' && k !== 'k' && v !== undefined).map(([k, v]) =>
    `<tr><th>${escape(k)}</th><td>${escape(k === 'azimuth' && !p.sector ? 'omni' : v)}</td></tr>`).join('');
  const s = state.radioSites[p.k];
  const line = s?.error ? `Not computed: ${escape(s.error)}` : `${s?.planned ? 'Planned site' : 'Existing site'}; edit it in the Sites panel, drag it to move it`;
  return `<h3>${escape(p.site_id ?? 'Site')}</h3><p class="muted">${line}</p><table>${rows}</table>`;
}

function setUpInteraction(map) {
  for (const layer of ['households-circle', 'sites-symbol', 'proposed-symbol']) {
    map.on('mouseenter', layer, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', layer, () => { map.getCanvas().style.cursor = ''; });
  }
  map.on('click', (e) => {
    if (state.mode === 'add') {
      setMode('view');
      guarded(() => addSite([e.lngLat.lng, e.lngLat.lat]));
      return;
    }
    if (map.queryRenderedFeatures(e.point, { layers: ['proposed-symbol'] }).length) return; // plan-panel.js shows it
    const [site] = map.queryRenderedFeatures(e.point, { layers: ['sites-symbol'] });
    if (site) {
      selectSite(site.properties.k);
      showPopup(map, site.geometry.coordinates, sitePopup(site.properties));
      return;
    }
    const [hh] = map.queryRenderedFeatures(e.point, { layers: ['households-circle'] });
    if (hh) showPopup(map, hh.geometry.coordinates, householdPopup(hh.properties.i));
  });
  const readout = $('#readout');
  map.on('mousemove', (e) => {
    const { lng, lat } = e.lngLat;
    readout.textContent = `${Math.abs(lat).toFixed(5)}° ${lat >= 0 ? 'N' : 'S'}, ${Math.abs(lng).toFixed(5)}° ${lng >= 0 ? 'E' : 'W'}${elevationAt(e.lngLat)}`;
  });
  map.getCanvas().addEventListener('mouseleave', () => { readout.textContent = ''; });

  $('#site-list').addEventListener('click', (e) => {
    const button = e.target.closest('button[data-site]');
    if (!button) return;
    const f = state.sites.features.features[Number(button.dataset.site)];
    selectSite(Number(button.dataset.site));
    map.flyTo({ center: f.geometry.coordinates, zoom: Math.max(map.getZoom(), 13) });
    showPopup(map, f.geometry.coordinates, sitePopup(f.properties));
  });
  $('#summary-table').addEventListener('click', (e) => {
    const row = e.target.closest('tr.area');
    const hh = state.households;
    if (!row || !hh || !state.by) return;
    const values = hh.props.map((p) => String(p[state.by] ?? ''));
    let w = Infinity, s = Infinity, east = -Infinity, n = -Infinity;
    values.forEach((v, i) => {
      if (v !== row.dataset.area) return;
      w = Math.min(w, hh.lon[i]); east = Math.max(east, hh.lon[i]); s = Math.min(s, hh.lat[i]); n = Math.max(n, hh.lat[i]);
    });
    if (Number.isFinite(w)) map.fitBounds([[w, s], [east, n]], { padding: 60, maxZoom: 15 });
  });
  const groups = {
    households: ['households-circle'],
    fiber: ['fiber-casing', 'fiber-line'],
    sites: ['sites-symbol', 'proposed-symbol'],
    terrain: ['terrain', 'coast-line'],
    coverage: ['coverage'],
  };
  document.querySelectorAll('input[data-layer]').forEach((box) => {
    box.addEventListener('change', () => setVisible(map, groups[box.dataset.layer], box.checked));
  });
}

function setUpControls() {
  const slider = $('#max-drop');
  let pending = false;
  slider.addEventListener('input', () => {
    state.maxDropM = Number(slider.value);
    $('#max-drop-value').textContent = `${state.maxDropM} m`;
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; recomputeAndReport(); });
  });
  $('#summary-by').addEventListener('change', (e) => {
    state.by = e.target.value || null;
    recomputeAndReport();
  });
  const stem = () => (state.households?.source ?? 'households').replace(/\.[^.]+$/, '');
  const plan = () => ({ ...state, version: version() });
  $('#export-geojson').onclick = () => download(planGeoJson(plan()), `${stem()}-plan.geojson`, 'application/geo+json');
  $('#export-csv').onclick = () => download(planCsv(plan()), `${stem()}-plan.csv`, 'text/csv');
}

// ---- start --------------------------------------------------------------------

async function fetchOk(url, as) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res[as]();
}

async function loadSample(region) {
  const base = new URL('data/', document.baseURI);
  const url = (f) => new URL(f, base).href;
  const [demBuffer, householdsText, fiberText, sitesText, landText] = await Promise.all([
    fetchOk(url(region.files.dem), 'arrayBuffer'),
    fetchOk(url(region.files.households), 'text'),
    fetchOk(url(region.files.fiber), 'text'),
    fetchOk(url(region.files.sites), 'text'),
    fetchOk(url(region.files.land), 'text'),
  ]);
  setHouseholds(householdsFromCsv(householdsText, region.files.households));
  setFiber(fiberFromGeoJson(parseJson(fiberText), region.files.fiber));
  setSites(sitesFromCsv(sitesText, region.files.sites));
  state.coast = { source: region.files.land, features: parseJson(landText) };
  setData(state.map, 'coast', state.coast.features);
  const grid = await readGeoTiff(demBuffer);
  setDem(Object.assign(makeTerrain(grid, region.files.dem, region.dem.corners), { grid }));
}

async function main() {
  const root = document.documentElement;
  try {
    const [region] = await Promise.all([fetchOk('data/region.json', 'json'), initBbcov()]);
    state.region = region;
    state.maxDropM = region.max_drop_m ?? 300;
    $('#max-drop').value = String(state.maxDropM);
    $('#region-name').textContent = region.name;
    document.title = `${region.name} · bbcov map`;
    $('#version').textContent = `bbcov ${version()}`;
    const [w, s, e, n] = region.bounds;
    state.map = await createMap($('#map'), { bounds: [[w, s], [e, n]] });
    // For the browser tests and the console.
    planPanel = setUpPlanPanel({ state, map: state.map, radio: RADIO, addSite });
    window.bbcovApp = {
      map: state.map, state, fitToData, addSite, moveSite, editSite, deleteSite, selectSite, setMode, planPanel, radio: { siteCoverageOf, siteHouseholdRsrp },
    };
    setUpInteraction(state.map);
    setUpControls();
    setUpDropZone();
    setUpSiteEditor(state.map);
    await loadSample(region);
    recomputeAndReport();
    const loading = $('#loading');
    await rebuildRadio((k, n) => {
      loading.innerHTML = `<div class="spinner"></div>Computing the radio coverage of the sites… ${k + 1} of ${n}`;
    });
    recomputeAndReport();
    renderSources();
    state.map.once('idle', () => {
      $('#loading').hidden = true;
      root.dataset.state = 'ready';
      root.dataset.loads = '0';
    });
  } catch (e) {
    $('#loading').hidden = true;
    root.dataset.state = 'error';
    showMessage('error', 'The map could not start', [e.message]);
  }
}

main();
