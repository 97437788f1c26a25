// The terrain layer: a DEM (read by dem.js) checked by bbcov's `Dem`
// (wasm), and drawn as a shaded-relief image (land by height, sea by depth)
// that MapLibre places by its four lon/lat corners.
import { Dem } from './bbcov.js';
import { gridCorners, isGeographic, projection } from './crs.js';

export { readGeoTiff } from './dem.js';

/** Largest side (pixels) of the drawn image; bigger DEMs are drawn at a coarser step. */
const MAX_IMAGE_SIDE = 4096;

/**
 * A DEM for the map: bbcov's `Dem` (which refuses bad grids with the Rust
 * message), the lon/lat corners, converters to and from its CRS, and the
 * shaded-relief canvas. `corners` may be given (the build step computes the
 * sample's); else they come from the geotransform.
 */
export function makeTerrain(grid, source, corners) {
  // A lon/lat DEM goes in without a code: bbcov refuses it, saying why and what to do.
  const epsg = isGeographic(grid.epsg) ? undefined : grid.epsg;
  const dem = new Dem(grid.heights, grid.width, grid.height, grid.geotransform, epsg, grid.nodata);
  try {
    const proj = projection(grid.epsg);
    return {
      dem,
      source,
      epsg: grid.epsg,
      width: grid.width,
      height: grid.height,
      ...proj,
      corners: corners ?? gridCorners(grid.width, grid.height, grid.geotransform, grid.epsg),
      canvas: shadedRelief(grid),
    };
  } catch (e) {
    dem.free();
    throw e;
  }
}

/** Elevation (m) -> colour of land: pale lowland greens to light browns, near white on high peaks. */
const LAND = [
  [0, [221, 232, 200]],
  [40, [210, 225, 186]],
  [120, [224, 222, 182]],
  [250, [222, 204, 164]],
  [400, [206, 186, 154]],
  [700, [190, 176, 160]],
  [1500, [242, 240, 236]],
];
/** Depth (m, positive) -> colour of the sea: light blue on the shore to the colour of the map's background. */
const SEA = [
  [0, [190, 224, 240]],
  [8, [168, 210, 234]],
  [30, [142, 192, 224]],
  [80, [120, 172, 210]],
  [1000, [90, 140, 185]],
];
/** The deep-sea colour, also the map background, so that the DEM's edge does not show. */
export const SEA_BACKGROUND = 'rgb(119, 171, 209)';

function ramp(stops, v, out) {
  if (v <= stops[0][0]) { out.set(stops[0][1]); return; }
  for (let k = 1; k < stops.length; k++) {
    const [v1, c1] = stops[k];
    if (v <= v1) {
      const [v0, c0] = stops[k - 1];
      const t = (v - v0) / (v1 - v0);
      for (let j = 0; j < 3; j++) out[j] = c0[j] + t * (c1[j] - c0[j]);
      return;
    }
  }
  out.set(stops[stops.length - 1][1]);
}

/**
 * Shaded relief of the grid on a canvas: hypsometric tints times a hillshade
 * (Horn's gradient, light from the north-west at 45°, heights exaggerated
 * 2x), sea tinted by depth with a faint relief; missing cells transparent.
 */
export function shadedRelief({ heights, width, height, geotransform, nodata }) {
  const step = Math.max(1, Math.ceil(Math.max(width, height) / MAX_IMAGE_SIDE));
  const w = Math.ceil(width / step), h = Math.ceil(height / step);
  const dx = Math.abs(geotransform[1]) * step, dy = Math.abs(geotransform[5]) * step;
  const missing = (v) => Number.isNaN(v) || (nodata !== undefined && v === nodata);
  const at = (r, c) => {
    const v = heights[Math.min(r * step, height - 1) * width + Math.min(c * step, width - 1)];
    return missing(v) ? NaN : v;
  };
  // Sub-sampled grid once, so the 3x3 windows read a compact array.
  const z = new Float32Array(w * h);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) z[r * w + c] = at(r, c);

  const exaggeration = 2;
  const alt = Math.PI / 4, az = (315 * Math.PI) / 180;
  const [lx, ly, lz] = [Math.sin(az) * Math.cos(alt), Math.cos(az) * Math.cos(alt), Math.sin(alt)];
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  const px = img.data;
  const colour = new Float32Array(3);
  const get = (r, c, fallback) => {
    const v = z[Math.min(h - 1, Math.max(0, r)) * w + Math.min(w - 1, Math.max(0, c))];
    return Number.isNaN(v) ? fallback : v;
  };
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const o = 4 * (r * w + c);
      const e = z[r * w + c];
      if (Number.isNaN(e)) { px[o + 3] = 0; continue; }
      const a = get(r - 1, c - 1, e), b = get(r - 1, c, e), cc = get(r - 1, c + 1, e);
      const d = get(r, c - 1, e), f = get(r, c + 1, e);
      const g = get(r + 1, c - 1, e), hh = get(r + 1, c, e), i = get(r + 1, c + 1, e);
      const dzdx = (exaggeration * (cc + 2 * f + i - (a + 2 * d + g))) / (8 * dx);
      const dzdy = (exaggeration * (a + 2 * b + cc - (g + 2 * hh + i))) / (8 * dy); // row 0 is north
      const norm = Math.hypot(dzdx, dzdy, 1);
      const shade = Math.max(0, (-dzdx * lx - dzdy * ly + lz) / norm); // 0.71 on flat ground
      let k;
      if (e >= 0) {
        ramp(LAND, e, colour);
        k = 0.42 + 0.82 * shade;
      } else {
        ramp(SEA, -e, colour);
        k = 0.9 + 0.14 * shade;
      }
      px[o] = Math.min(255, colour[0] * k);
      px[o + 1] = Math.min(255, colour[1] * k);
      px[o + 2] = Math.min(255, colour[2] * k);
      px[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  canvas.edgeColour = edgeColour(px, w, h);
  return canvas;
}

/** The mean colour of the image's border (CSS), for the map background, so that the DEM's edge blends in. */
function edgeColour(px, w, h) {
  const sum = [0, 0, 0];
  let n = 0;
  const add = (r, c) => {
    const o = 4 * (r * w + c);
    if (px[o + 3] === 0) return;
    for (let j = 0; j < 3; j++) sum[j] += px[o + j];
    n++;
  };
  for (let c = 0; c < w; c++) { add(0, c); add(h - 1, c); }
  for (let r = 1; r < h - 1; r++) { add(r, 0); add(r, w - 1); }
  return n ? `rgb(${sum.map((v) => Math.round(v / n)).join(', ')})` : SEA_BACKGROUND;
}
