// Radio planning: sites as bbcov `Site`s in the DEM's CRS, their coverage
// (bbcov `siteCoverage`, one RSRP window per site) drawn as one canvas over
// the DEM (best RSRP per cell, coloured by band), and the radio service of
// every household (bbcov `householdSignal`, one site at a time so that an
// edit recomputes only that site; the best RSRP serves, as in the core).
import { Households, householdSignal, Site, siteCoverage, siteCoveragePart } from './bbcov.js';

/** Settings of the radio computation (as `bbcov radio --model diffraction --radius 15000 --indoor true`). */
export const RADIO = { radiusM: 15000, model: 'diffraction', indoor: true, thresholdDbm: -110 };

/** RSRP bands (dBm, lower bound) and their colours; below the last: not drawn. */
export const RSRP_BANDS = [
  [-80, [26, 152, 80]],
  [-90, [102, 189, 99]],
  [-100, [217, 239, 139]],
  [-110, [254, 224, 139]],
];

/** The bands' colours as opaque RGBA pixels for a Uint32Array view of ImageData (little-endian). */
const BAND_PIXELS = RSRP_BANDS.map(([, [r, g, b]]) => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0);

/** Technologies of the editor: label, CSV/bbcov name. */
export const TECHNOLOGIES = ['4G', '5G', 'local5G'];

const num = (v) => (v === null || v === undefined || v === '' ? undefined : Number(v));

/** A planning site from the properties of a sites CSV row (lon/lat) and the DEM's converter. */
export function siteFromProperties(p, lonLat, fromLonLat, k) {
  const azimuth = num(p.azimuth_deg ?? (p.sector ? p.azimuth : undefined));
  return {
    id: String(p.site_id || p.id || `site-${k + 1}`),
    lon: lonLat[0],
    lat: lonLat[1],
    heightM: num(p.height_m),
    technology: p.technology || '4G',
    frequencyMhz: num(p.frequency_mhz),
    bandwidthMhz: num(p.bandwidth_mhz),
    eirpDbm: num(p.eirp_dbm),
    txPowerDbm: num(p.tx_power_dbm),
    gainDbi: num(p.gain_dbi),
    downtiltDeg: num(p.downtilt_deg),
    azimuthDeg: Number.isFinite(azimuth) ? azimuth : null,
    operator: p.operator,
    ...xyOf(lonLat, fromLonLat),
  };
}

const xyOf = (lonLat, fromLonLat) => {
  const [x, y] = fromLonLat(lonLat);
  return { x, y };
};

/**
 * The bbcov `Site` of a planning site (throws with the Rust message);
 * `SiteClass`: the `Site` of another instance of bbcov (the siting worker's).
 */
export function wasmSite(s, SiteClass = Site) {
  const opts = { heightM: s.heightM, technology: s.technology, frequencyMhz: s.frequencyMhz };
  if (s.bandwidthMhz !== undefined) opts.bandwidthMhz = s.bandwidthMhz;
  if (s.txPowerDbm !== undefined && s.eirpDbm === undefined) opts.txPowerDbm = s.txPowerDbm;
  else opts.eirpDbm = s.eirpDbm;
  if (s.gainDbi !== undefined) opts.gainDbi = s.gainDbi;
  if (s.downtiltDeg !== undefined) opts.downtiltDeg = s.downtiltDeg;
  if (s.azimuthDeg !== null && s.azimuthDeg !== undefined) opts.azimuthDeg = s.azimuthDeg;
  return new SiteClass(s.id, s.x, s.y, opts);
}

/** bbcov `Households` of the households layer in the DEM's CRS (householdSignal computes there). */
export function householdsInDemCrs(hh, terrain) {
  const x = new Float64Array(hh.n), y = new Float64Array(hh.n);
  for (let i = 0; i < hh.n; i++) [x[i], y[i]] = terrain.fromLonLat([hh.lon[i], hh.lat[i]]);
  return new Households(x, y, { epsg: terrain.epsg, weights: hh.weights });
}

/** The coverage window of a planning site over bbcov `dem`: `{ cov, eirpDbm }` (throws with bbcov's message). */
export function siteCoverageOf(s, dem) {
  const site = wasmSite(s);
  try {
    const cov = siteCoverage(dem, site, { radiusM: RADIO.radiusM, model: RADIO.model, thresholdDbm: RADIO.thresholdDbm });
    return { cov, eirpDbm: site.eirpDbm };
  } finally {
    site.free();
  }
}

/** Part `part` of `parts` of a planning site's coverage window (bbcov `siteCoveragePart`): `{ cov, eirpDbm }`. */
export function siteCoveragePartOf(s, dem, part, parts) {
  const site = wasmSite(s);
  try {
    const cov = siteCoveragePart(dem, site, { radiusM: RADIO.radiusM, model: RADIO.model, thresholdDbm: RADIO.thresholdDbm }, part, parts);
    return { cov, eirpDbm: site.eirpDbm };
  } finally {
    site.free();
  }
}

/**
 * The parts of one site's coverage (`siteCoveragePart` windows, all the
 * same) as its `siteCoverage` window, in the first part's arrays: a cell is
 * computed by exactly one part and NaN in the others, so each part's
 * non-NaN cells are copied (bit for bit the whole window's).
 */
export function mergeCoverageParts(covs) {
  const [cov, ...rest] = covs;
  const a = cov.rsrp;
  let covered = cov.coveredCount;
  for (const other of rest) {
    if (other.rows !== cov.rows || other.cols !== cov.cols || other.demOffset[0] !== cov.demOffset[0] || other.demOffset[1] !== cov.demOffset[1]) {
      throw new Error('coverage parts of different windows');
    }
    const b = other.rsrp;
    for (let i = 0; i < b.length; i++) {
      const v = b[i];
      if (v === v) a[i] = v;
    }
    covered += other.coveredCount;
  }
  cov.coveredCount = covered;
  return cov;
}

/** The RSRP (dBm, indoors) of a planning site at every household of bbcov `households` (throws with bbcov's message). */
export function siteHouseholdRsrp(s, dem, households) {
  const site = wasmSite(s);
  try {
    return householdSignal(dem, [site], households, {
      radiusM: RADIO.radiusM, model: RADIO.model, indoor: RADIO.indoor, thresholdDbm: RADIO.thresholdDbm,
    }).rsrp;
  } finally {
    site.free();
  }
}

/**
 * Computes one site on this thread: its coverage window and its RSRP at
 * every household. Sets `s.cov` and `s.hhRsrp`; returns timings (ms). Throws
 * with bbcov's message (after setting `s.cov` when only the households part failed).
 */
export function computeSite(s, terrain, hhDem) {
  const t0 = performance.now();
  const { cov, eirpDbm } = siteCoverageOf(s, terrain.dem);
  const t1 = performance.now();
  s.cov = cov;
  s.hhRsrp = null;
  s.eirpDbm = eirpDbm;
  // Households: a failure (e.g. a household outside the DEM) leaves the coverage drawn.
  s.hhRsrp = hhDem ? siteHouseholdRsrp(s, terrain.dem, hhDem) : null;
  return { coverageMs: t1 - t0, householdsMs: performance.now() - t1 };
}

/**
 * Radio service per household from the sites' RSRP: the best RSRP (ties to
 * the first site, as the core) and covered where it reaches the threshold.
 */
export function householdRadio(sites, n) {
  const best = new Float64Array(n).fill(-Infinity);
  const serving = new Int32Array(n).fill(-1);
  sites.forEach((s, k) => {
    const r = s.hhRsrp;
    if (!r) return;
    for (let i = 0; i < n; i++) if (r[i] > best[i]) { best[i] = r[i]; serving[i] = k; }
  });
  const covered = new Uint8Array(n);
  for (let i = 0; i < n; i++) covered[i] = best[i] >= RADIO.thresholdDbm ? 1 : 0;
  return { rsrp: best, serving, covered };
}

/** The coverage canvas: one pixel per DEM cell, transparent where no site reaches the lowest band. */
export function makeCoverageCanvas(terrain) {
  const canvas = document.createElement('canvas');
  canvas.width = terrain.width;
  canvas.height = terrain.height;
  return canvas;
}

/**
 * Redraws the cells of `rect` ({ r0, c0, r1, c1 } in DEM cells, exclusive
 * ends; the whole DEM when left out) from the best RSRP of all sites. The
 * canvas keeps one ImageData and one best-RSRP buffer of its size: a redraw
 * writes only the rect's pixels and puts only that rect (no allocation).
 * Returns the rect drawn (within the canvas), null when empty.
 */
export function drawCoverage(canvas, sites, rect) {
  const W = canvas.width, H = canvas.height;
  const full = rect ?? { r0: 0, c0: 0, r1: H, c1: W };
  const r0 = Math.max(0, full.r0), c0 = Math.max(0, full.c0), r1 = Math.min(H, full.r1), c1 = Math.min(W, full.c1);
  const h = r1 - r0, w = c1 - c0;
  if (h <= 0 || w <= 0) return null;
  if (!canvas.bbcovPixels) {
    const img = new ImageData(W, H);
    // One 32-bit write per pixel (RGBA bytes in memory order: little-endian words).
    canvas.bbcovPixels = { img, px: new Uint32Array(img.data.buffer), best: new Float32Array(W * H) };
  }
  const { img, px, best } = canvas.bbcovPixels;
  for (let r = r0; r < r1; r++) best.fill(-Infinity, r * W + c0, r * W + c1);
  for (const s of sites) {
    const cov = s.cov;
    if (!cov) continue;
    const [or, oc] = cov.demOffset;
    const ra = Math.max(r0, or), rb = Math.min(r1, or + cov.rows);
    const ca = Math.max(c0, oc), cb = Math.min(c1, oc + cov.cols);
    const rsrp = cov.rsrp;
    for (let r = ra; r < rb; r++) {
      const src = (r - or) * cov.cols - oc, dst = r * W;
      for (let c = ca; c < cb; c++) {
        const v = rsrp[src + c];
        if (v > best[dst + c]) best[dst + c] = v;
      }
    }
  }
  const [[t0], [t1], [t2], [t3]] = RSRP_BANDS;
  const [k0, k1, k2, k3] = BAND_PIXELS;
  for (let r = r0; r < r1; r++) {
    for (let i = r * W + c0, end = r * W + c1; i < end; i++) {
      const v = best[i];
      px[i] = v >= t3 ? (v >= t0 ? k0 : v >= t1 ? k1 : v >= t2 ? k2 : k3) : 0;
    }
  }
  canvas.getContext('2d').putImageData(img, 0, 0, c0, r0, w, h);
  return { r0, c0, r1, c1 };
}

/**
 * The pixels of `rect` (drawn by `drawCoverage`) as raw RGBA rows, for an
 * upload of that part of the map's texture only.
 */
export function coveragePixels(canvas, { r0, c0, r1, c1 }) {
  const { img } = canvas.bbcovPixels;
  const w = c1 - c0, data = new Uint8Array(w * (r1 - r0) * 4);
  for (let r = r0; r < r1; r++) data.set(img.data.subarray((r * canvas.width + c0) * 4, (r * canvas.width + c1) * 4), (r - r0) * w * 4);
  return { width: w, height: r1 - r0, data };
}

/** The DEM cells of a site's coverage window. */
export function windowOf(cov) {
  if (!cov) return null;
  const [r0, c0] = cov.demOffset;
  return { r0, c0, r1: r0 + cov.rows, c1: c0 + cov.cols };
}

/** The union of windows (null ones ignored). */
export function union(...rects) {
  const rs = rects.filter(Boolean);
  if (!rs.length) return null;
  return {
    r0: Math.min(...rs.map((r) => r.r0)), c0: Math.min(...rs.map((r) => r.c0)),
    r1: Math.max(...rs.map((r) => r.r1)), c1: Math.max(...rs.map((r) => r.c1)),
  };
}
