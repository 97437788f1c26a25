// Coordinate reference systems the map can draw: lon/lat, Japan Plane
// Rectangular CS I-XIX (JGD2011 and JGD2000), UTM (WGS84, JGD2011, JGD2000)
// and Web Mercator, by EPSG code. bbcov computes in the CRS of the data (the
// core takes the EPSG code); proj4 is only used to draw projected layers and
// a DEM on the lon/lat map. Shared by the browser and the build step.
import proj4 from 'proj4';

/** EPSG codes read as lon/lat degrees (JGD2011 and WGS84 agree to well under a metre). */
const GEOGRAPHIC = new Set([4326, 4258, 4269, 4612, 4019, 6668]);

/** Origins (latitude, longitude) of Japan Plane Rectangular CS zones I to XIX. */
const JPRCS_ORIGINS = [
  [33, 129.5], [33, 131], [36, 132 + 1 / 6], [33, 133.5], [36, 134 + 1 / 3],
  [36, 136], [36, 137 + 1 / 6], [36, 138.5], [36, 139 + 5 / 6], [40, 140 + 5 / 6],
  [44, 140.25], [44, 142.25], [44, 144.25], [26, 142], [26, 127.5],
  [26, 124], [26, 131], [20, 136], [26, 154],
];

const tm = (lat0, lon0, k) =>
  `+proj=tmerc +lat_0=${lat0} +lon_0=${lon0} +k=${k} +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs`;
const utm = (zone, south, ellps = 'WGS84') =>
  `+proj=utm +zone=${zone}${south ? ' +south' : ''} +ellps=${ellps} +units=m +no_defs`;

/** The proj4 definition of a projected CRS, or undefined when the map does not know it. */
export function projDefinition(epsg) {
  if (epsg >= 6669 && epsg <= 6687) return tm(...JPRCS_ORIGINS[epsg - 6669], 0.9999); // JGD2011 / JPRCS
  if (epsg >= 2443 && epsg <= 2461) return tm(...JPRCS_ORIGINS[epsg - 2443], 0.9999); // JGD2000 / JPRCS
  if (epsg >= 32601 && epsg <= 32660) return utm(epsg - 32600, false);
  if (epsg >= 32701 && epsg <= 32760) return utm(epsg - 32700, true);
  if (epsg >= 6688 && epsg <= 6692) return utm(epsg - 6688 + 51, false, 'GRS80'); // JGD2011 / UTM 51N-55N
  if (epsg >= 3097 && epsg <= 3101) return utm(epsg - 3097 + 51, false, 'GRS80'); // JGD2000 / UTM 51N-55N
  if (epsg === 3857) return proj4.defs('EPSG:3857');
  return undefined;
}

/** Whether `epsg` is a lon/lat CRS (coordinates in degrees). */
export function isGeographic(epsg) {
  return epsg === undefined || epsg === null || GEOGRAPHIC.has(epsg);
}

/** The EPSG code named by a CRS string: "EPSG:6670", "urn:ogc:def:crs:EPSG::6670", CRS84 (4326). */
export function epsgFromName(name) {
  if (typeof name !== 'string') return undefined;
  if (/CRS:?84$/i.test(name)) return 4326;
  const m = /EPSG:{1,2}(\d+)$/i.exec(name) ?? /EPSG\/\d*\/?(\d+)$/i.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The name of a CRS for messages. */
export function crsLabel(epsg) {
  return isGeographic(epsg) ? 'lon/lat degrees' : `EPSG:${epsg}`;
}

/**
 * Converters between `epsg` and lon/lat: `toLonLat([x, y])` and
 * `fromLonLat([lon, lat])`. Throws an Error with a clear message for a
 * projected CRS the map does not know.
 */
export function projection(epsg) {
  if (isGeographic(epsg)) return { toLonLat: (p) => [p[0], p[1]], fromLonLat: (p) => [p[0], p[1]] };
  const def = projDefinition(epsg);
  if (!def) {
    throw new Error(
      `EPSG:${epsg} is not a CRS the map can draw (it knows lon/lat, Japan Plane Rectangular CS, UTM and Web Mercator): ` +
        'reproject the file, e.g. with ogr2ogr or gdalwarp -t_srs EPSG:6670',
    );
  }
  const converter = proj4(def, 'WGS84');
  return { toLonLat: (p) => converter.forward([p[0], p[1]]), fromLonLat: (p) => converter.inverse([p[0], p[1]]) };
}

/**
 * The lon/lat corners of a north-up grid of `width` x `height` cells with
 * GDAL's geotransform `gt` in `epsg`, in the order MapLibre image sources
 * take them: top left, top right, bottom right, bottom left (outer cell edges).
 */
export function gridCorners(width, height, gt, epsg) {
  const { toLonLat } = projection(epsg);
  const [x0, dx, , y0, , dy] = gt;
  return [
    [x0, y0],
    [x0 + width * dx, y0],
    [x0 + width * dx, y0 + height * dy],
    [x0, y0 + height * dy],
  ].map(toLonLat);
}
