// Reading a DEM from a GeoTIFF with geotiff.js (in the browser, and in Node
// for the build step that writes the sample DEM's corners).
import { fromArrayBuffer } from 'geotiff';

/**
 * Reads a single-band GeoTIFF DEM: `{ heights, width, height, geotransform,
 * epsg, nodata }`, with GDAL's geotransform `[x0, dx, 0, y0, 0, dy]` for
 * the outer cell edges. Throws an Error saying why for anything that is not
 * a georeferenced single-band GeoTIFF.
 */
export async function readGeoTiff(buffer) {
  let image;
  try {
    image = await (await fromArrayBuffer(buffer)).getImage();
  } catch (e) {
    throw new Error(`not a readable GeoTIFF (${e.message})`);
  }
  const bands = image.getSamplesPerPixel();
  if (bands !== 1) throw new Error(`a DEM has one band of heights; this GeoTIFF has ${bands}`);
  let origin, resolution;
  try {
    origin = image.getOrigin();
    resolution = image.getResolution();
  } catch {
    throw new Error(`the GeoTIFF is not georeferenced (no tie point and pixel scale)`);
  }
  const keys = image.getGeoKeys() ?? {};
  const code = keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey;
  if (!code || code === 32767) {
    throw new Error(`the GeoTIFF names no EPSG code for its CRS; write it with one, e.g. gdalwarp -t_srs EPSG:6670`);
  }
  const [rx, ry] = resolution;
  let [ox, oy] = origin;
  // GDAL's convention: a PixelIsPoint tie point is a cell centre.
  if (!image.pixelIsArea()) { ox -= rx / 2; oy -= ry / 2; }
  let raster;
  try {
    [raster] = await image.readRasters();
  } catch (e) {
    throw new Error(`the GeoTIFF's pixels cannot be decoded (${e.message})`);
  }
  const nodata = image.getGDALNoData();
  return {
    heights: raster instanceof Float32Array ? raster : Float32Array.from(raster),
    width: image.getWidth(),
    height: image.getHeight(),
    geotransform: [ox, rx, 0, oy, 0, ry],
    epsg: code,
    nodata: nodata ?? undefined,
  };
}
