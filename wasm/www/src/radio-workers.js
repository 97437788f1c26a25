// Two radio workers (src/worker.js, bundled as radio-worker.js), each with
// its own wasm instance holding the DEM and the households, compute many
// sites (the towers at load) off the page's thread, each every other site.
// At load a job is a whole site (bbcov siteCoverage and householdSignal);
// after, an edited site's sweep is split between both (siteCoveragePart,
// every other ray each), and its parts merge into siteCoverage's window bit
// for bit (each cell belongs to one ray); or the page sweeps it and one
// worker computes its households' signal meanwhile.

/** A worker answering `{ id, site }` jobs in order. */
class RadioWorker {
  #worker;
  #pending = new Map();
  #next = 0;
  #failure = null;

  constructor(url, init, onFailure) {
    this.#worker = new Worker(url, { type: 'module' });
    this.#worker.onmessage = ({ data }) => {
      const resolve = this.#pending.get(data.id);
      this.#pending.delete(data.id);
      resolve?.(data);
    };
    this.#worker.onerror = (e) => {
      e.preventDefault?.();
      onFailure(e.message ?? 'the radio worker failed');
    };
    // The DEM's heights are copied: the page keeps them (siting worker, a later rebuild).
    this.#worker.postMessage({ init });
  }

  /**
   * Computes the planning site `site` (with `job` `{ part, parts }`, that
   * part of its coverage only; `{ householdsOnly: true }`, its RSRP at the households only).
   */
  run(site, job = {}) {
    const id = this.#next++;
    if (this.#failure) return Promise.resolve({ id, failed: this.#failure });
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#worker.postMessage({ id, site: plain(site), ...job });
    });
  }

  /** Fails every pending and later job with `message`. */
  fail(message) {
    this.#failure ??= message;
    for (const [id, resolve] of this.#pending) {
      this.#pending.delete(id);
      resolve({ id, failed: message });
    }
  }

  terminate() {
    this.#worker.terminate();
    this.fail('the radio workers were replaced');
  }
}

/** A planning site without its computed arrays (what a worker needs). */
const plain = ({ cov, hhRsrp, ...s }) => s;

/** The pair of radio workers for one DEM and one households layer. */
export class RadioWorkers {
  #workers;
  /** Why the workers stopped working; null while they work. */
  failure = null;

  /**
   * Starts two workers on `grid` (dem.js) and `households` ({ x, y, epsg }
   * in the DEM's CRS, or null). Throws when the page cannot start workers.
   */
  constructor(grid, households) {
    const url = new URL('radio-worker.js', document.baseURI);
    const onFailure = (message) => {
      this.failure ??= message;
      this.#workers.forEach((w) => w.fail(message));
    };
    this.#workers = [0, 1].map(() => new RadioWorker(url, { grid, households }, onFailure));
  }

  /**
   * Many sites, each worker every other one; `onSite(k, result)` as each
   * arrives. Resolves when all are done; rejects when a worker failed.
   */
  async computeAll(sites, onSite) {
    await Promise.all(this.#workers.map(async (w, part) => {
      for (let k = part; k < sites.length; k += this.#workers.length) {
        const r = await w.run(sites[k]);
        if (r.failed) throw new Error(r.failed);
        onSite(k, r);
      }
    }));
  }

  /**
   * The coverage of one site split between the workers (bbcov
   * `siteCoveragePart`: worker p traces every n-th ray from ray p): resolves
   * to the parts' results `{ cov, eirpDbm, coverageMs } | { error } | { failed }`
   * in part order; `mergeCoverageParts` (radio.js) joins them.
   */
  coverageParts(site) {
    const parts = this.#workers.length;
    return Promise.all(this.#workers.map((w, part) => w.run(site, { part, parts })));
  }

  /**
   * One site's RSRP at every household (bbcov `householdSignal`) in one
   * worker, while the page sweeps its coverage: resolves to
   * `{ hhRsrp, householdsMs } | { error } | { failed }`.
   */
  households(site) {
    return this.#workers[0].run(site, { householdsOnly: true });
  }

  terminate() {
    this.#workers.forEach((w) => w.terminate());
  }
}
