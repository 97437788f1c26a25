// The MapLibre map: a blank style (background only: no tiles, no glyphs, no
// sprite, nothing fetched from outside), the shaded-relief DEM as a canvas
// source, the coastline, fiber routes, households by status and the sites.
import { Map as MapLibreMap, NavigationControl, Popup, ScaleControl, setWorkerUrl } from 'maplibre-gl';

import { SEA_BACKGROUND } from './terrain.js';

/** Colours of household status (radio and both are for the radio phase). */
export const STATUS_COLOURS = {
  fiber: '#14967f',
  radio: '#3a6ea5',
  both: '#6a4c93',
  none: '#e0383e',
  unknown: '#8a8f98',
};
/** Fiber route colour. */
export const FIBER_COLOUR = '#7a3cb0';
/** Colours of site technology. */
export const SITE_COLOURS = { '4G': '#1f3b63', '5G': '#e8590c', local5G: '#c88a00', other: '#495057' };
/** Colour of the sites a siting plan proposes. */
export const PROPOSED_COLOUR = '#d9480f';

const EMPTY = { type: 'FeatureCollection', features: [] };

/** Creates the map in `container`; resolves when the style is loaded. */
export function createMap(container, { bounds }) {
  setWorkerUrl(new URL('maplibre-gl-worker.mjs', document.baseURI).href);
  const map = new MapLibreMap({
    container,
    style: {
      version: 8,
      name: 'bbcov blank',
      sources: {},
      layers: [{ id: 'background', type: 'background', paint: { 'background-color': SEA_BACKGROUND } }],
    },
    bounds,
    fitBoundsOptions: { padding: 24 },
    attributionControl: { compact: true, customAttribution: 'bbcov · data: the loaded files' },
    maxPitch: 0,
    // Sites and labels appear at once: no 300 ms symbol fade after each
    // edit, whose frames (software-rendered in headless Chromium) would
    // compete with the next sweep.
    fadeDuration: 0,
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new ScaleControl({ maxWidth: 140, unit: 'metric' }), 'bottom-right');
  return new Promise((resolve, reject) => {
    map.once('load', () => {
      addLayers(map);
      resolve(map);
    });
    map.once('error', (e) => reject(e.error ?? new Error('the map failed to load')));
  });
}

function addLayers(map) {
  addSiteIcons(map);
  map.addSource('coast', { type: 'geojson', data: EMPTY });
  map.addSource('fiber', { type: 'geojson', data: EMPTY });
  map.addSource('households', { type: 'geojson', data: EMPTY });
  map.addSource('sites', { type: 'geojson', data: EMPTY });
  map.addSource('proposed', { type: 'geojson', data: EMPTY });

  map.addLayer({
    id: 'coast-line', type: 'line', source: 'coast',
    paint: { 'line-color': '#4d6f86', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.6, 14, 1.4], 'line-opacity': 0.85 },
  });
  const kind = ['get', 'kind'];
  map.addLayer({
    id: 'fiber-casing', type: 'line', source: 'fiber',
    filter: ['!=', kind, 'submarine'],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': '#ffffff',
      'line-opacity': 0.75,
      'line-width': ['interpolate', ['linear'], ['zoom'], 9, ['match', kind, 'backbone', 3.5, 2.2], 14, ['match', kind, 'backbone', 7, 4.5]],
    },
  });
  map.addLayer({
    id: 'fiber-line', type: 'line', source: 'fiber',
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': FIBER_COLOUR,
      'line-width': ['interpolate', ['linear'], ['zoom'], 9, ['match', kind, 'backbone', 2, 'submarine', 1.6, 1], 14, ['match', kind, 'backbone', 4.5, 'submarine', 3, 2.5]],
      'line-dasharray': ['match', kind, 'submarine', ['literal', [2, 1.5]], ['literal', [1, 0]]],
    },
  });
  // A household's status: its feature state, set when a radio edit changed
  // it (restyled at once, without retiling the layer), else its property.
  // The drawing order (a layout property) keeps the property's status.
  const status = ['coalesce', ['feature-state', 'status'], ['get', 'status']];
  map.addLayer({
    id: 'households-circle', type: 'circle', source: 'households',
    layout: { 'circle-sort-key': ['match', ['get', 'status'], 'none', 2, 'unknown', 0, 1] },
    paint: {
      'circle-color': ['match', status, ...Object.entries(STATUS_COLOURS).flat(), STATUS_COLOURS.unknown],
      'circle-radius': ['interpolate', ['linear'], ['zoom'],
        9, ['+', 1.3, ['*', 0.3, ['get', 'w']]],
        12, ['+', 2.2, ['*', 0.4, ['get', 'w']]],
        16, ['+', 4, ['*', 0.8, ['get', 'w']]]],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 9, 0.2, 12, 0.6, 16, 1.2],
      'circle-opacity': 0.9,
    },
  });
  map.addLayer({
    id: 'sites-symbol', type: 'symbol', source: 'sites',
    layout: {
      'icon-image': ['concat', 'site-', ['match', ['get', 'technology'], ['4G', '5G', 'local5G'], ['get', 'technology'], 'other'],
        ['case', ['==', ['get', 'sector'], 1], '-sector', '']],
      'icon-rotate': ['case', ['==', ['get', 'sector'], 1], ['get', 'azimuth'], 0],
      'icon-rotation-alignment': 'map',
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
      'icon-size': ['interpolate', ['linear'], ['zoom'], 9, 0.75, 14, 1.1],
    },
  });
  addProposedLayer(map);
}

/** The proposed sites of a siting plan: a dashed ring around a star, above the sites. */
function addProposedLayer(map) {
  const ratio = 2, size = 34, c = size / 2;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size * ratio;
  const ctx = canvas.getContext('2d');
  ctx.scale(ratio, ratio);
  ctx.beginPath();
  ctx.arc(c, c, 12, 0, 2 * Math.PI);
  ctx.fillStyle = 'rgba(255, 255, 255, 0.92)';
  ctx.fill();
  ctx.setLineDash([4, 2.5]);
  ctx.lineWidth = 3;
  ctx.strokeStyle = PROPOSED_COLOUR;
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const r = k % 2 ? 3.2 : 7.5, a = -Math.PI / 2 + (k * Math.PI) / 5;
    ctx[k ? 'lineTo' : 'moveTo'](c + r * Math.cos(a), c + r * Math.sin(a));
  }
  ctx.closePath();
  ctx.fillStyle = PROPOSED_COLOUR;
  ctx.fill();
  map.addImage('site-proposed', ctx.getImageData(0, 0, size * ratio, size * ratio), { pixelRatio: ratio });
  map.addLayer({
    id: 'proposed-symbol', type: 'symbol', source: 'proposed',
    layout: {
      'icon-image': 'site-proposed',
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
      'icon-size': ['interpolate', ['linear'], ['zoom'], 9, 0.8, 14, 1.15],
    },
  });
}

/** Site icons drawn on a canvas (no sprite to fetch): a mast in a ring, with a pointer for sectored sites. */
function addSiteIcons(map) {
  const ratio = 2, size = 30;
  for (const [tech, colour] of Object.entries(SITE_COLOURS)) {
    for (const sector of [false, true]) {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = size * ratio;
      const ctx = canvas.getContext('2d');
      ctx.scale(ratio, ratio);
      const c = size / 2, r = 8.5;
      if (sector) { // a beam pointing north, rotated to the azimuth by the layer
        ctx.beginPath();
        ctx.moveTo(c - 5.5, c - r + 1.5);
        ctx.lineTo(c, 0.8);
        ctx.lineTo(c + 5.5, c - r + 1.5);
        ctx.closePath();
        ctx.fillStyle = colour;
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = 1.5;
        ctx.stroke();
        ctx.fill();
      }
      ctx.beginPath();
      ctx.arc(c, c, r, 0, 2 * Math.PI);
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      ctx.lineWidth = 3;
      ctx.strokeStyle = colour;
      ctx.stroke();
      // The mast: a narrow triangle with a dot on top.
      ctx.beginPath();
      ctx.moveTo(c - 3.2, c + 5);
      ctx.lineTo(c, c - 3);
      ctx.lineTo(c + 3.2, c + 5);
      ctx.lineWidth = 1.6;
      ctx.strokeStyle = '#1d232b';
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(c, c - 3.6, 1.7, 0, 2 * Math.PI);
      ctx.fillStyle = '#1d232b';
      ctx.fill();
      const data = ctx.getImageData(0, 0, size * ratio, size * ratio);
      map.addImage(`site-${tech}${sector ? '-sector' : ''}`, data, { pixelRatio: ratio });
    }
  }
}

/** Shows the shaded-relief canvas at its lon/lat corners (replacing the previous DEM). */
export function setTerrain(map, terrain) {
  if (map.getLayer('terrain')) map.removeLayer('terrain');
  if (map.getSource('terrain')) map.removeSource('terrain');
  if (!terrain) return;
  map.setPaintProperty('background', 'background-color', terrain.canvas.edgeColour ?? SEA_BACKGROUND);
  map.addSource('terrain', { type: 'canvas', canvas: terrain.canvas, coordinates: terrain.corners, animate: false });
  // Bilinear between the corners: a projected grid is not a perspective view.
  map.getSource('terrain').setWarp?.('flat');
  map.addLayer(
    { id: 'terrain', type: 'raster', source: 'terrain', paint: { 'raster-fade-duration': 0, 'raster-resampling': 'linear' } },
    'coast-line',
  );
}

/** Replaces the data of a GeoJSON source. */
export function setData(map, source, data) {
  map.getSource(source).setData(data ?? EMPTY);
}

/** Shows or hides the layers of a group. */
export function setVisible(map, layers, visible) {
  for (const id of layers) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}

/** A popup with HTML `html` at `lngLat`. */
export function showPopup(map, lngLat, html) {
  return new Popup({ maxWidth: '320px', closeButton: true, className: 'bbcov-popup' }).setLngLat(lngLat).setHTML(html).addTo(map);
}

/** Shows the radio coverage canvas at the DEM's corners, over the terrain, under the coastline (replacing the previous one). */
export function setCoverage(map, canvas, corners) {
  if (map.getLayer('coverage')) map.removeLayer('coverage');
  if (map.getSource('coverage')) map.removeSource('coverage');
  if (!canvas) return;
  map.addSource('coverage', { type: 'canvas', canvas, coordinates: corners, animate: false });
  map.getSource('coverage').setWarp?.('flat');
  map.addLayer(
    { id: 'coverage', type: 'raster', source: 'coverage', paint: { 'raster-fade-duration': 0, 'raster-opacity': 0.55, 'raster-resampling': 'nearest' } },
    'coast-line',
  );
}

/**
 * Uploads the coverage canvas again after it was drawn on; resolves when the
 * map has rendered it. With `part` ({ x, y, width, height, data }: raw RGBA
 * of the redrawn rectangle, radio.js `coveragePixels`) only that part of the
 * source's texture is replaced, when the source has one (MapLibre 6's
 * canvas source keeps it as `texture`); else the whole canvas is uploaded
 * (7 MB on the sample region: with software WebGL that alone made a frame
 * 2–3 times as long). Its pixels are opaque or transparent black, the same
 * premultiplied or not.
 */
export function refreshCoverage(map, part = null) {
  const source = map.getSource('coverage');
  if (!source) return Promise.resolve();
  const texture = source.texture;
  const partial = part && typeof texture?.update === 'function' && texture.size?.[0] === source.canvas?.width
    && texture.size?.[1] === source.canvas?.height;
  if (partial) {
    texture.update({ width: part.width, height: part.height, data: part.data }, { premultiply: false }, { x: part.x, y: part.y });
    map.triggerRepaint();
  } else {
    source.play();
  }
  return new Promise((resolve) => {
    map.once('render', () => {
      source.pause();
      resolve();
    });
  });
}
