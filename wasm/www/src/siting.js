// Siting on the page: runs bbcov's `planSites` (as `bbcov plan`) in a Web
// Worker (src/siting-worker.js, bundled as siting-worker.js) with progress,
// and cancels by terminating the worker (a fresh one serves the next run).
// Also the inputs of a plan from the page's layers, and the proposed sites
// as GeoJSON and CSV.
import { toCsv } from './csv.js';

/** What the new sites are, as the `[plan]` defaults of a region file. */
export const NEW_SITE = { technology: '5G', frequencyMhz: 1800, bandwidthMhz: 20, eirpDbm: 60, mastHeightM: 40 };

/** Stage names of `planSites` as the progress line shows them. */
export const STAGES = {
  candidates: 'Finding candidate sites',
  'candidate coverage': 'Coverage of each candidate',
  backhaul: 'Backhaul (fiber or microwave) of each candidate',
  solving: 'Choosing the sites',
  working: 'Working',
  done: 'Done',
};

/** A cancelled run rejects with this error. */
export class CancelledError extends Error {
  constructor() {
    super('siting cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * The siting worker: one run at a time; `cancel()` terminates the worker
 * (the wasm computation cannot be interrupted otherwise) and the next run
 * starts a fresh one.
 */
export class SitingRunner {
  #worker = null;
  /** The run in progress: `{ reject }`; messages of any other run are ignored. */
  #run = null;

  /** Whether a run is in progress. */
  get busy() {
    return this.#run !== null;
  }

  /**
   * Runs `planSites` on `input` (see `planInput`); `onProgress({ stage,
   * done, total })` as the worker reports. Resolves with the result;
   * rejects with bbcov's error (name and Rust message) or a CancelledError.
   */
  run(input, onProgress) {
    if (this.busy) return Promise.reject(new Error('a siting run is already in progress'));
    return new Promise((resolve, reject) => {
      const worker = this.#spawn();
      const run = { reject };
      this.#run = run;
      const finish = (settle, value) => {
        if (this.#run !== run) return; // cancelled meanwhile
        this.#run = null;
        settle(value);
      };
      worker.onmessage = ({ data }) => {
        if (this.#run !== run) return;
        if (data.progress) onProgress?.(data.progress);
        else if (data.result) finish(resolve, data.result);
        else if (data.error) finish(reject, Object.assign(new Error(data.error.message), { name: data.error.name }));
      };
      worker.onerror = (e) => {
        e.preventDefault?.();
        if (this.#run !== run) return;
        this.#drop();
        finish(reject, new Error(`the siting worker failed: ${e.message ?? 'unknown error'}`));
      };
      // The DEM's heights are copied (the page keeps drawing from them).
      worker.postMessage(input);
    });
  }

  /** Stops the run in progress: terminates the worker; the run's promise rejects with a CancelledError. */
  cancel() {
    const run = this.#run;
    if (!run) return;
    this.#run = null;
    this.#drop();
    run.reject(new CancelledError());
  }

  #spawn() {
    this.#worker ??= new Worker(new URL('siting-worker.js', document.baseURI), { type: 'module' });
    return this.#worker;
  }

  #drop() {
    this.#worker?.terminate();
    this.#worker = null;
  }
}

/**
 * The input of a siting run from the page's state: the DEM grid, the
 * households in the DEM's CRS with the unserved ones (status "none") as
 * demand, the fiber routes in the DEM's CRS, the current sites (existing
 * and added: hubs for microwave hops and candidate structures) and the
 * options (`settings`: sites, budget or targetShare; `radio`: the page's
 * radio settings).
 */
export function planInput(state, settings, radio) {
  const t = state.terrain, hh = state.households;
  const x = state.hhDem.x(), y = state.hhDem.y();
  const demand = Uint32Array.from(state.status.flatMap((s, i) => (s === 'none' ? [i] : [])));
  // Fiber: the drawn (lon/lat) routes in the DEM's CRS, one line per part.
  const coords = [], offsets = [0];
  for (const f of state.fiber.features.features) {
    const g = f.geometry;
    for (const part of g.type === 'LineString' ? [g.coordinates] : g.coordinates) {
      for (const p of part) coords.push(...t.fromLonLat(p));
      offsets.push(coords.length / 2);
    }
  }
  const existing = state.radioSites.map(({ cov, hhRsrp, ...s }) => s);
  return {
    grid: t.grid,
    households: { x, y, weights: hh.weights ?? undefined, epsg: t.epsg },
    demand,
    fiber: { coords: Float64Array.from(coords), offsets: Uint32Array.from(offsets), epsg: t.epsg },
    existing,
    options: {
      ...NEW_SITE, ...settings,
      radiusM: radio.radiusM, model: radio.model, indoor: radio.indoor, thresholdDbm: radio.thresholdDbm,
    },
  };
}

/** The proposed sites as GeoJSON features (lon/lat), in plan order. */
export function proposedFeatures(plan, toLonLat) {
  return plan.result.sites.map((s, k) => ({
    type: 'Feature',
    properties: {
      feature: 'proposed_site', order: k + 1, site_id: s.id, source: s.source,
      new_households: s.newHouseholds, coverable_households: s.coverableHouseholds,
      backhaul: s.backhaul, backhaul_km: round(s.backhaulKm, 3), backhaul_to: s.backhaulTo,
      capex: round(s.capex, 0), opex_per_year: round(s.opexPerYear, 0),
      technology: plan.options.technology, frequency_mhz: plan.options.frequencyMhz,
      eirp_dbm: plan.options.eirpDbm, height_m: plan.options.mastHeightM,
    },
    geometry: { type: 'Point', coordinates: toLonLat([s.x, s.y]).map((v) => round(v, 9)) },
  }));
}

/** Columns of the proposed sites CSV: a sites CSV the page (and `bbcov radio`) reads back, plus the plan's figures. */
const SITE_COLUMNS = [
  'site_id', 'lon', 'lat', 'height_m', 'technology', 'frequency_mhz', 'eirp_dbm', 'order', 'source', 'new_households',
  'coverable_households', 'backhaul', 'backhaul_km', 'backhaul_to', 'capex', 'opex_per_year',
];

/** The proposed sites as CSV text. */
export function proposedCsv(plan, toLonLat) {
  const rows = proposedFeatures(plan, toLonLat).map(({ properties: p, geometry: { coordinates: [lon, lat] } }) =>
    SITE_COLUMNS.map((c) => (c === 'lon' ? lon : c === 'lat' ? lat : p[c])));
  return toCsv(SITE_COLUMNS, rows);
}

const round = (v, digits) => Math.round(v * 10 ** digits) / 10 ** digits;
