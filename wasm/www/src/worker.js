// The radio worker: computes the coverage and household signal of many sites
// (the existing towers at load) off the main thread, with its own instance of
// bbcov's wasm. Messages in: { grid, households: { x, y, epsg } | null, sites };
// out: { k, n, cov, hhRsrp, eirpDbm, error } per site, then { done: true }.
import init, { Dem, Households } from '../../pkg/web/bbcov_wasm.js';
import { computeSite } from './radio.js';

const ready = init({ module_or_path: new URL('bbcov_wasm_bg.wasm', self.location.href) });

self.onmessage = async ({ data }) => {
  await ready;
  const { grid, households, sites } = data;
  let dem, hhDem = null;
  try {
    dem = new Dem(grid.heights, grid.width, grid.height, grid.geotransform, grid.epsg, grid.nodata);
    if (households) hhDem = new Households(households.x, households.y, { epsg: households.epsg });
  } catch (e) {
    self.postMessage({ done: true, error: e.message });
    return;
  }
  sites.forEach((s, k) => {
    let error;
    try {
      computeSite(s, { dem }, hhDem);
    } catch (e) {
      error = e.message;
    }
    const transfer = [s.cov?.rsrp.buffer, s.hhRsrp?.buffer].filter(Boolean);
    self.postMessage({ k, n: sites.length, cov: s.cov ?? null, hhRsrp: s.hhRsrp ?? null, eirpDbm: s.eirpDbm, error }, transfer);
  });
  dem.free();
  hhDem?.free();
  self.postMessage({ done: true });
};
