// Input layers: households, fiber routes and existing sites from GeoJSON or
// CSV, turned into bbcov's `Households` and `FiberNetwork` (wasm) plus the
// lon/lat features the map draws. The wasm constructors validate: bad
// coordinates, weights, empty layers are refused with the Rust message.
import { FiberNetwork, Households } from './bbcov.js';
import { epsgFromName, isGeographic, projection } from './crs.js';
import { parseCsv } from './csv.js';

const ID_FIELDS = ['hh_id', 'id', 'household_id', 'building_id', 'fid'];
const WEIGHT_FIELDS = ['households', 'weight', 'n_households', 'hh'];
/** Fields always treated as area keys when present. */
const AREA_FIELDS = ['municipality', 'island', 'village', 'town', 'city', 'prefecture', 'district', 'area', 'region'];
/** Other text fields become area keys when they have at most this many values. */
const MAX_AREA_VALUES = 1000;
const ROUTE_ID_FIELDS = ['route_id', 'id', 'name', 'cable_id'];

/** Parses JSON text; the error says where it breaks. */
export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON (${e.message})`);
  }
}

/** The features of a GeoJSON FeatureCollection (or a single Feature) and its CRS. */
function geojsonFeatures(json) {
  if (json?.type === 'Feature') json = { type: 'FeatureCollection', features: [json] };
  if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new Error(`not a GeoJSON FeatureCollection (no "features" array)`);
  }
  const epsg = epsgFromName(json.crs?.properties?.name);
  return { features: json.features, epsg: isGeographic(epsg) ? undefined : epsg };
}

/** The geometry type of the first feature that has one: decides which layer a GeoJSON file is. */
export function geojsonKind(json) {
  const { features } = geojsonFeatures(json);
  const type = features.find((f) => f?.geometry)?.geometry.type;
  if (type === 'Point' || type === 'MultiPoint') return 'households';
  if (type === 'LineString' || type === 'MultiLineString') return 'fiber';
  if (type === undefined) throw new Error(`the GeoJSON has no geometries`);
  throw new Error(`${type} features; the map takes households (Point) and fiber routes (LineString)`);
}

const num = (v) => (v === null || v === undefined || v === '' ? NaN : Number(v));
const isNumeric = (v) => typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));

/** Id, weight and area-key fields among `fields`, given a getter `value(i, field)` over `n` records. */
function detectFields(fields, n, value) {
  const lower = new Map(fields.map((f) => [f.toLowerCase(), f]));
  const pick = (names) => names.map((x) => lower.get(x)).find(Boolean);
  const idField = pick(ID_FIELDS);
  const weightField = pick(WEIGHT_FIELDS);
  const areaFields = fields.filter((f) => {
    if (f === idField || f === weightField) return false;
    if (AREA_FIELDS.includes(f.toLowerCase())) return true;
    const values = new Set();
    for (let i = 0; i < n; i++) {
      const v = value(i, f);
      if (v === null || v === undefined || v === '') continue;
      if (isNumeric(v) || typeof v !== 'string') return false;
      values.add(v);
      if (values.size > MAX_AREA_VALUES) return false;
    }
    return values.size > 0;
  });
  return { idField, weightField, areaFields };
}

/**
 * bbcov `Households` from columns: `x`, `y` (lon/lat, or metres in `epsg`),
 * the attribute records `props` and the file name. Returns the layer model
 * the app keeps: the wasm object, lon/lat for drawing, the fields used.
 */
function makeHouseholds({ x, y, epsg, props, fields, source }) {
  const n = x.length;
  const { idField, weightField, areaFields } = detectFields(fields, n, (i, f) => props[i][f]);
  const str = (v) => (v === null || v === undefined ? '' : String(v));
  const ids = idField ? props.map((p) => str(p[idField])) : undefined;
  const weights = weightField ? Float64Array.from(props, (p) => num(p[weightField])) : undefined;
  const areas = Object.fromEntries(areaFields.map((f) => [f, props.map((p) => str(p[f]))]));
  const wasm = new Households(x, y, { epsg, weights, ids, areas });
  let lon = x, lat = y;
  if (epsg !== undefined) {
    try {
      const { toLonLat } = projection(epsg);
      lon = new Float64Array(n);
      lat = new Float64Array(n);
      for (let i = 0; i < n; i++) [lon[i], lat[i]] = toLonLat([x[i], y[i]]);
    } catch (e) {
      wasm.free();
      throw new Error(`${e.message}`);
    }
  }
  return {
    wasm, source, epsg, n, lon, lat, ids, weights, props, fields, idField, weightField, areaFields,
    total: wasm.totalWeight,
  };
}

/** Households from a GeoJSON FeatureCollection of Points. */
export function householdsFromGeoJson(json, source) {
  const { features, epsg } = geojsonFeatures(json);
  const n = features.length;
  const x = new Float64Array(n), y = new Float64Array(n);
  const props = new Array(n);
  const fields = new Set();
  features.forEach((f, i) => {
    const g = f?.geometry;
    if (!g) throw new Error(`feature ${i} has no geometry`);
    if (g.type !== 'Point') {
      throw new Error(`feature ${i} is a ${g.type}; households are Points (one per building or household)`);
    }
    const c = Array.isArray(g.coordinates) ? g.coordinates : [];
    x[i] = num(c[0]);
    y[i] = num(c[1]);
    props[i] = f.properties ?? {};
    for (const k of Object.keys(props[i])) fields.add(k);
  });
  return makeHouseholds({ x, y, epsg, props, fields: [...fields], source });
}

/** Households from CSV text with lon and lat columns (degrees). */
export function householdsFromCsv(text, source) {
  const { header, rows } = parseCsv(text);
  const col = (...names) => header.findIndex((h) => names.includes(h.toLowerCase()));
  const ilon = col('lon', 'lng', 'longitude'), ilat = col('lat', 'latitude');
  if (ilon < 0 || ilat < 0) {
    throw new Error(`a households CSV needs lon and lat columns (degrees); the header is ${header.join(',')}`);
  }
  const x = Float64Array.from(rows, (r) => num(r[ilon]));
  const y = Float64Array.from(rows, (r) => num(r[ilat]));
  const keep = header.map((_, k) => k).filter((k) => k !== ilon && k !== ilat);
  const fields = keep.map((k) => header[k]);
  const props = rows.map((r) => Object.fromEntries(keep.map((k) => [header[k], r[k]])));
  return makeHouseholds({ x, y, epsg: undefined, props, fields, source });
}

/**
 * bbcov `FiberNetwork` from a GeoJSON FeatureCollection of LineStrings and
 * MultiLineStrings (each part a line, with the feature's id), with the
 * lon/lat features to draw.
 */
export function fiberFromGeoJson(json, source) {
  const { features, epsg } = geojsonFeatures(json);
  const fields = [...new Set(features.flatMap((f) => Object.keys(f?.properties ?? {})))];
  const idField = ROUTE_ID_FIELDS.map((k) => fields.find((f) => f.toLowerCase() === k)).find(Boolean);
  const lines = [], ids = [], featureOfLine = [];
  features.forEach((f, i) => {
    const g = f?.geometry;
    if (!g) throw new Error(`feature ${i} has no geometry`);
    const parts = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : null;
    if (!parts || !Array.isArray(parts)) {
      throw new Error(`feature ${i} is a ${g.type}; fiber routes are LineStrings or MultiLineStrings`);
    }
    const id = idField ? String(f.properties?.[idField] ?? i) : String(i);
    for (const part of parts) {
      lines.push(part);
      ids.push(id);
      featureOfLine.push(i);
    }
  });
  const wasm = FiberNetwork.fromLines(lines, { epsg, ids });
  let display = features;
  if (epsg !== undefined) {
    try {
      const { toLonLat } = projection(epsg);
      const reproject = (line) => line.map(toLonLat);
      display = features.map((f) => ({
        ...f,
        geometry: {
          type: f.geometry.type,
          coordinates: f.geometry.type === 'LineString' ? reproject(f.geometry.coordinates) : f.geometry.coordinates.map(reproject),
        },
      }));
    } catch (e) {
      wasm.free();
      throw new Error(`${e.message}`);
    }
  }
  return {
    wasm, source, epsg, ids, featureOfLine, idField,
    features: { type: 'FeatureCollection', features: display.map((f) => ({ type: 'Feature', properties: f.properties ?? {}, geometry: f.geometry })) },
    lengthKm: lengthKm(display),
  };
}

/** Length (km) of lon/lat lines on a sphere, for the panel. */
function lengthKm(features) {
  const rad = Math.PI / 180, R = 6371.0088;
  let total = 0;
  const line = (coords) => {
    for (let i = 1; i < coords.length; i++) {
      const [a, b] = [coords[i - 1], coords[i]];
      const dlat = (b[1] - a[1]) * rad, dlon = (b[0] - a[0]) * rad;
      const h = Math.sin(dlat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dlon / 2) ** 2;
      total += 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
    }
  };
  for (const f of features) {
    if (f.geometry.type === 'LineString') line(f.geometry.coordinates);
    else f.geometry.coordinates.forEach(line);
  }
  return total;
}

/** Existing sites (towers) from CSV: `site_id,lon,lat,height_m,technology,...`, as lon/lat Point features. */
export function sitesFromCsv(text, source) {
  const { header, rows } = parseCsv(text);
  const ilon = header.indexOf('lon'), ilat = header.indexOf('lat');
  if (ilon < 0 || ilat < 0) throw new Error(`a sites CSV needs lon and lat columns (degrees)`);
  const features = rows.map((r, i) => {
    const lon = num(r[ilon]), lat = num(r[ilat]);
    if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) {
      throw new Error(`row ${i + 1}: invalid coordinate (${r[ilon]}, ${r[ilat]})`);
    }
    const properties = Object.fromEntries(header.map((h, k) => [h, r[k]]));
    properties.sector = properties.azimuth !== undefined && properties.azimuth !== '' ? 1 : 0;
    properties.azimuth = num(properties.azimuth) || 0;
    return { type: 'Feature', properties, geometry: { type: 'Point', coordinates: [lon, lat] } };
  });
  return { source, features: { type: 'FeatureCollection', features } };
}

/** Whether CSV text is a sites (towers) table rather than households. */
export function isSitesCsv(text) {
  const first = text.slice(0, text.indexOf('\n') >>> 0).toLowerCase();
  return /(^|,)\s*site_id\s*(,|$)/.test(first);
}

