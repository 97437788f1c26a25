// Builds the offline map into dist/ (run by scripts/build-web.sh after `npm ci`):
//
//   dist/index.html, app.js (+ chunks/), app.css   the page, bundled by esbuild
//   dist/radio-worker.js                            the radio worker (towers' coverage at load)
//   dist/siting-worker.js                           the siting worker (Plan new sites)
//   dist/maplibre-gl-worker.mjs                     MapLibre's worker (loaded by URL)
//   dist/bbcov_wasm_bg.wasm                         bbcov's wasm module (wasm/pkg/web)
//   dist/bbcov_wasm_siting_bg.wasm                  bbcov's module with siting (wasm/pkg/web-siting), for the siting worker
//   dist/data/                                      the sample region + region.json
//
// region.json is the manifest the page starts from: the region's name and
// drop limit (from region.toml), the files, and the DEM's four lon/lat
// corners, computed here from the GeoTIFF's geotransform with proj4 (the
// MapLibre image source takes corners, not a CRS).
//
//   node build.mjs [--region DIR] [--out DIR]
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { gridCorners } from './src/crs.js';
import { readGeoTiff } from './src/dem.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? resolve(process.argv[i + 1]) : fallback;
};
const regionDir = arg('--region', join(root, 'data-samples/region'));
const out = arg('--out', join(here, 'dist'));
const pkg = join(root, 'wasm/pkg/web');
const pkgSiting = join(root, 'wasm/pkg/web-siting');

function fail(message) {
  console.error(`build-web: ${message}`);
  process.exit(1);
}

/** The page's files from the sample region (the browser reads CSV and GeoJSON, not GeoPackage). */
const FILES = { dem: 'dem.tif', households: 'households.csv', fiber: 'fiber.geojson', sites: 'towers.csv', land: 'land.geojson' };

for (const dir of [pkg, pkgSiting]) {
  if (!existsSync(join(dir, 'bbcov_wasm_bg.wasm'))) fail(`${relative(root, dir)} is missing: run scripts/build-wasm.sh first`);
}
for (const f of [...Object.values(FILES), 'region.toml']) {
  if (!existsSync(join(regionDir, f))) {
    fail(`${relative(root, join(regionDir, f))} is missing: generate the sample region with \`cargo run --release -p bbcov-samples\``);
  }
}

/** The few keys the page needs from region.toml (flat `key = value` lines). */
function readRegionToml(path) {
  const values = {};
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    const m = /^([A-Za-z_][\w-]*)\s*=\s*(.+)$/.exec(line);
    if (!m || line.startsWith('#')) continue;
    try {
      values[m[1]] = JSON.parse(m[2]);
    } catch {
      values[m[1]] = m[2];
    }
  }
  return values;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'data'), { recursive: true });

// 1. The page: JS and CSS bundled (decoders geotiff.js loads on demand become chunks).
const result = await build({
  entryPoints: {
    app: join(here, 'src/main.js'),
    'radio-worker': join(here, 'src/worker.js'),
    'siting-worker': join(here, 'src/siting-worker.js'),
  },
  bundle: true,
  format: 'esm',
  splitting: true,
  minify: true,
  target: ['chrome111', 'firefox115', 'safari16.4'],
  outdir: out,
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
});
copyFileSync(join(here, 'index.html'), join(out, 'index.html'));

// 2. MapLibre's worker, loaded by URL (setWorkerUrl); its source map stays behind.
const worker = readFileSync(join(here, 'node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs'), 'utf8');
writeFileSync(join(out, 'maplibre-gl-worker.mjs'), worker.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));

// 3. bbcov's wasm modules (the JS glue is in the bundles).
copyFileSync(join(pkg, 'bbcov_wasm_bg.wasm'), join(out, 'bbcov_wasm_bg.wasm'));
copyFileSync(join(pkgSiting, 'bbcov_wasm_bg.wasm'), join(out, 'bbcov_wasm_siting_bg.wasm'));

// 4. The sample region and its manifest.
for (const f of Object.values(FILES)) copyFileSync(join(regionDir, f), join(out, 'data', f));
const toml = readRegionToml(join(regionDir, 'region.toml'));
const tif = readFileSync(join(regionDir, FILES.dem));
const grid = await readGeoTiff(tif.buffer.slice(tif.byteOffset, tif.byteOffset + tif.byteLength));
const corners = gridCorners(grid.width, grid.height, grid.geotransform, grid.epsg);
const round = (v) => Math.round(v * 1e9) / 1e9;
const lons = corners.map((c) => c[0]), lats = corners.map((c) => c[1]);
const manifest = {
  name: toml.name ?? 'Sample region',
  max_drop_m: Number(toml.max_drop_m ?? 300),
  files: FILES,
  dem: {
    epsg: grid.epsg,
    width: grid.width,
    height: grid.height,
    geotransform: grid.geotransform,
    // Top left, top right, bottom right, bottom left (outer cell edges), lon/lat.
    corners: corners.map(([lon, lat]) => [round(lon), round(lat)]),
  },
  bounds: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)].map(round),
};
writeFileSync(join(out, 'data/region.json'), JSON.stringify(manifest, null, 2) + '\n');

// 5. Sizes.
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
};
walk(out);
const kib = (b) => `${(b / 1024).toFixed(1).padStart(8)} KiB`;
let total = 0, totalGz = 0;
console.log(`build-web: ${relative(root, out)}/ (size, gzip -9)`);
for (const path of files.sort()) {
  const data = readFileSync(path);
  const gz = gzipSync(data, { level: 9 }).length;
  total += data.length;
  totalGz += gz;
  if (data.length > 20 * 1024) console.log(`  ${relative(out, path).padEnd(34)}${kib(data.length)}${kib(gz)}`);
}
console.log(`  ${`all ${files.length} files`.padEnd(34)}${kib(total)}${kib(totalGz)}`);
if (Object.keys(result.metafile.outputs).length === 0) fail('esbuild wrote nothing');
