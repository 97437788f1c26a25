// The siting worker: plans new sites (bbcov `planSites`, as `bbcov plan`)
// off the main thread, posting progress as it goes. It loads bbcov's siting
// module (wasm/pkg/web-siting: the page's module plus siting, copied as
// bbcov_wasm_siting_bg.wasm), so the page's own module stays small.
// Cancelling is terminating it (src/siting.js).
//
// In:  { grid, households: { x, y, weights, epsg }, demand, fiber: { coords, offsets, epsg }, existing, options }
// Out: { progress: { stage, done, total } }..., then { result } or { error: { name, message } }.
import init, { Dem, FiberNetwork, Households, planSites, Site } from '../../pkg/web-siting/bbcov_wasm.js';
import { wasmSite } from './radio.js';

const ready = init({ module_or_path: new URL('bbcov_wasm_siting_bg.wasm', self.location.href) });

/** Progress messages, at most one per 50 ms within a stage (and every stage's first and last). */
function progressPoster() {
  let last = 0, lastStage = '';
  return (stage, done, total) => {
    const now = performance.now();
    if (stage === lastStage && done < total && now - last < 50) return;
    last = now;
    lastStage = stage;
    self.postMessage({ progress: { stage, done, total } });
  };
}

self.onmessage = async ({ data }) => {
  await ready;
  const owned = [];
  const own = (o) => { owned.push(o); return o; };
  try {
    const { grid, households: hh, demand, fiber, existing, options } = data;
    const dem = own(new Dem(grid.heights, grid.width, grid.height, grid.geotransform, grid.epsg, grid.nodata));
    const households = own(new Households(hh.x, hh.y, { epsg: hh.epsg, weights: hh.weights }));
    const network = own(new FiberNetwork(fiber.coords, fiber.offsets, { epsg: fiber.epsg }));
    const sites = existing.map((s) => own(wasmSite(s, Site)));
    const result = planSites(dem, households, demand, network, sites, options, progressPoster());
    self.postMessage({ result }, [result.covered.buffer]);
  } catch (e) {
    self.postMessage({ error: { name: e?.name ?? 'Error', message: e?.message ?? String(e) } });
  } finally {
    owned.forEach((o) => o.free());
  }
};
