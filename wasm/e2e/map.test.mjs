// The planners' map (wasm/www/dist, built by scripts/build-web.sh) in Debian's
// headless Chromium: it loads the sample region offline with no console
// errors, its summary agrees with the sample file and with the native CLI,
// it exports the plan, refuses malformed uploads with a clear message and
// takes dropped layers. Screenshots go to wasm/e2e/artifacts/ for review.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { dist, errorsOf, fromWww, launch, root, serve } from './browser.mjs';
import { bbcov } from '../tests/bbcov.mjs';
import { nativeBbcov as native } from '../tests/native.mjs';

const region = join(root, 'data-samples/region');
const artifacts = join(root, 'wasm/e2e/artifacts');
const MAX_DROP_M = 300;

// ---- independent expectations ----------------------------------------------------

/** Minimal CSV reading for the sample's plain files (no quoted fields). */
function readCsv(path) {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n').map((l) => l.split(','));
  return { header, rows, col: (name) => header.indexOf(name) };
}

/** The sum of the `households` column of the sample's households.csv. */
function sampleHouseholdTotal() {
  const { rows, col } = readCsv(join(region, 'households.csv'));
  const i = col('households');
  assert.ok(i >= 0, 'households.csv has a households column');
  return rows.reduce((sum, r) => sum + Number(r[i]), 0);
}

/**
 * `bbcov fiber` on the files the page loads (households.csv, fiber.geojson):
 * its summary by municipality (from the table it prints) and its per-household output.
 */
function runNative(maxDropM) {
  const dir = mkdtempSync(join(tmpdir(), 'bbcov-e2e-'));
  try {
    const out = join(dir, 'fiber.csv');
    const stdout = execFileSync(native, [
      'fiber', '--quiet',
      '--households', join(region, 'households.csv'), '--weight-field', 'households', '--id-field', 'hh_id',
      '--fiber', join(region, 'fiber.geojson'), '--by', 'municipality', '--max-drop', String(maxDropM), '-o', out,
    ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // Rows of "name  households  served  unserved  served %" between the header and the last rule.
    const rows = {};
    for (const line of stdout.split('\n')) {
      const m = /^(.+?)\s+([\d,.]+)\s+([\d,.]+)\s+([\d,.]+)\s+([\d.]+)\s*$/.exec(line);
      if (m) rows[m[1].trim()] = { households: num(m[2]), served: num(m[3]), unserved: num(m[4]) };
    }
    assert.ok(rows.total, `no total row in the output of bbcov fiber:\n${stdout}`);
    const csv = readCsv(out);
    const [id, served, distance] = ['id', 'fiber_served', 'fiber_distance_m'].map(csv.col);
    const households = new Map(csv.rows.map((r) => [r[id], { served: Number(r[served]), distance: Number(r[distance]) }]));
    return { rows, households };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const num = (text) => Number(String(text).replaceAll(',', ''));

/** A small Float32 GeoTIFF (a tilted plane, 50 m to 50 - width + height m) with the GeoKeys `keys`, from geotiff.js. */
function geotiff(width, height, keys) {
  const values = Float32Array.from({ length: width * height }, (_, i) => 50 + (i % width) - Math.floor(i / width));
  const buffer = fromWww('geotiff').writeArrayBuffer(values, {
    width, height, BitsPerSample: [32], SampleFormat: [3], GTRasterTypeGeoKey: 1, GDAL_NODATA: '-9999', ...keys,
  });
  return Buffer.from(buffer);
}

// ---- the page --------------------------------------------------------------------

let server, browser, page;

/** The summary table as { area: { households, served, unserved } }, and the headline figures. */
async function summary() {
  return page.evaluate(() => {
    const n = (el) => Number(el.textContent.replaceAll(',', ''));
    const rows = {};
    for (const tr of document.querySelectorAll('#summary-table tbody tr')) {
      const [households, served, unserved] = [...tr.querySelectorAll('td')].map(n);
      rows[tr.dataset.area] = { households, served, unserved };
    }
    const kpi = (id) => n(document.querySelector(`[data-testid="${id}"]`));
    return { rows, total: kpi('total-households'), served: kpi('fiber-served'), radioOnly: kpi('radio-only'), unserved: kpi('unserved') };
  });
}

/**
 * Drops files (`{ name, text }` or `{ name, bytes }`) on the map as a user
 * would (a DataTransfer on drag and drop events); waits until they are read.
 */
async function drop(files) {
  const loads = await page.evaluate(() => Number(document.documentElement.dataset.loads));
  const encoded = files.map((f) => ({ name: f.name, base64: Buffer.from(f.bytes ?? f.text).toString('base64') }));
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name));
    const target = document.querySelector('#map');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, encoded);
  await page.waitForFunction((n) => Number(document.documentElement.dataset.loads) > n, loads);
}

/** The message box: kind (error / info), title and detail lines. */
async function message() {
  return page.evaluate(() => {
    const box = document.querySelector('#message');
    return {
      visible: !box.hidden,
      kind: box.classList.contains('error') ? 'error' : 'info',
      title: box.querySelector('strong')?.textContent,
      details: [...box.querySelectorAll('.detail')].map((p) => p.textContent),
    };
  });
}

before(async () => {
  if (!existsSync(join(dist, 'index.html'))) throw new Error('wasm/www/dist is missing: run scripts/build-web.sh');
  server = await serve();
  browser = await launch();
  page = browser.page;
  await page.goto(server.url);
  await page.waitForFunction(() => ['ready', 'error'].includes(document.documentElement.dataset.state), null, { timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the page loads the sample region offline with no console errors', async () => {
  assert.equal(await page.evaluate(() => document.documentElement.dataset.state), 'ready', JSON.stringify(await message()));
  assert.deepEqual(errorsOf(page), []);
  const outside = page.requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(outside, [], 'every request stays on the page\'s own server');
  // The page serves the sample region's own files.
  for (const f of ['households.csv', 'fiber.geojson', 'dem.tif']) {
    assert.ok(readFileSync(join(dist, 'data', f)).equals(readFileSync(join(region, f))), `dist/data/${f} is stale: run scripts/build-web.sh`);
  }
  // Every layer is on the map: the DEM image, coastline, fiber, households, sites.
  const layers = await page.evaluate(() => document.querySelectorAll('#sources .v em').length);
  assert.equal(layers, 0, 'no layer is missing in the data panel');
});

test('the summary shows the sample\'s household total', async () => {
  const expected = sampleHouseholdTotal();
  const s = await summary();
  assert.equal(s.total, expected);
  assert.equal(s.rows.total.households, expected);
  // Fiber (with or without radio), radio only, and unserved (neither) add up to the total.
  assert.equal(s.served + s.radioOnly + s.unserved, expected);
});

test('fiber-served households equal the native CLI\'s on the same files', async (t) => {
  if (!native) {
    t.skip('no native bbcov binary (target/release/bbcov or target/debug/bbcov): build it with `cargo build -p bbcov-cli`');
    return;
  }
  for (const maxDrop of [MAX_DROP_M, 500, MAX_DROP_M]) {
    await page.evaluate((v) => {
      const slider = document.querySelector('#max-drop');
      slider.value = String(v);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    }, maxDrop);
    await page.waitForFunction((v) => document.querySelector('#max-drop-value').textContent === `${v} m`, maxDrop);
    await page.waitForFunction((v) => document.querySelector('.legend li')?.textContent.includes(`${v} m`), maxDrop);
    const expected = runNative(maxDrop).rows;
    const s = await summary();
    t.diagnostic(`drop ${maxDrop} m: ${s.served} of ${s.total} households served (CLI: ${expected.total.served})`);
    assert.equal(s.served, expected.total.served, `served at ${maxDrop} m`);
    assert.deepEqual(s.rows, expected, `summary by municipality at ${maxDrop} m`);
  }
});

test('a screenshot of the map is saved for review', async () => {
  mkdirSync(artifacts, { recursive: true });
  await page.mouse.move(900, 450);
  await page.screenshot({ path: join(artifacts, 'map.png') });
  // A closer look: the main town, with a household's popup open.
  const point = await page.evaluate(() => new Promise((resolve) => {
    const { map } = window.bbcovApp;
    map.jumpTo({ center: [128.8155, 32.7125], zoom: 14.2 });
    map.once('idle', () => {
      const f = map.queryRenderedFeatures({ layers: ['households-circle'] }).find((x) => ['fiber', 'both'].includes(x.properties.status));
      const p = map.project(f.geometry.coordinates), r = map.getCanvas().getBoundingClientRect();
      resolve({ x: p.x + r.left, y: p.y + r.top });
    });
  }));
  await page.mouse.click(point.x, point.y);
  await page.waitForSelector('.maplibregl-popup');
  await page.screenshot({ path: join(artifacts, 'map-detail.png') });
  await page.evaluate(() => new Promise((resolve) => {
    const { map, fitToData } = window.bbcovApp;
    document.querySelector('.maplibregl-popup-close-button')?.click();
    map.once('idle', resolve);
    fitToData();
  }));
  assert.ok(statSync(join(artifacts, 'map.png')).size > 50_000, 'the screenshot shows a map');
});

test('the plan exports as CSV and GeoJSON with every household\'s status', async (t) => {
  const fetchDownload = async (button) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
  };
  const csv = await fetchDownload('#export-csv');
  assert.equal(csv.name, 'households-plan.csv');
  const [header, ...lines] = csv.text.trim().split('\n');
  const cols = header.split(',');
  for (const c of ['lon', 'lat', 'hh_id', 'households', 'municipality', 'fiber_distance_m', 'fiber_served', 'nearest_route_id', 'status']) {
    assert.ok(cols.includes(c), `column ${c} in ${header}`);
  }
  const rows = lines.map((l) => l.split(','));
  const col = (name) => cols.indexOf(name);
  const sample = readCsv(join(region, 'households.csv'));
  assert.equal(rows.length, sample.rows.length);
  const total = rows.reduce((s, r) => s + Number(r[col('households')]), 0);
  assert.equal(total, sampleHouseholdTotal());
  const fiberStatus = (st) => st === 'fiber' || st === 'both';
  for (const r of rows) {
    assert.ok(['fiber', 'radio', 'both', 'none'].includes(r[col('status')]));
    assert.equal(fiberStatus(r[col('status')]), r[col('fiber_served')] === '1');
  }
  const servedWeight = rows.reduce((s, r) => s + (fiberStatus(r[col('status')]) ? Number(r[col('households')]) : 0), 0);
  assert.equal(servedWeight, (await summary()).served);

  if (native) {
    const expected = runNative(MAX_DROP_M).households;
    let worst = 0;
    for (const r of rows) {
      const e = expected.get(r[col('hh_id')]);
      assert.equal(Number(r[col('fiber_served')]), e.served, `household ${r[col('hh_id')]}`);
      worst = Math.max(worst, Math.abs(Number(r[col('fiber_distance_m')]) - e.distance));
    }
    t.diagnostic(`largest distance difference from the native CLI: ${worst} m`);
    assert.ok(worst <= 1e-6, `distances differ from the native CLI by up to ${worst} m`);
  }

  const geojson = await fetchDownload('#export-geojson');
  assert.equal(geojson.name, 'households-plan.geojson');
  const fc = JSON.parse(geojson.text);
  assert.equal(fc.type, 'FeatureCollection');
  assert.equal(fc.features.length, sample.rows.length);
  assert.equal(fc.bbcov.max_drop_m, MAX_DROP_M);
  const f0 = fc.features[0];
  assert.equal(f0.geometry.type, 'Point');
  assert.deepEqual(f0.geometry.coordinates, [Number(sample.rows[0][sample.col('lon')]), Number(sample.rows[0][sample.col('lat')])]);
  assert.ok(['fiber', 'radio', 'both', 'none'].includes(f0.properties.status));
});

test('a malformed upload shows a clear message and keeps the layers', async () => {
  const before = await summary();

  await drop([{ name: 'broken.geojson', text: '{"type": "FeatureCollection", "features": [' }]);
  let m = await message();
  assert.ok(m.visible);
  assert.equal(m.kind, 'error');
  assert.equal(m.title, 'Could not load broken.geojson');
  assert.match(m.details[0], /^not valid JSON \(.+\)$/);

  // Invalid data: the message is bbcov's own (the Rust message), as the Node build gives it.
  const bad = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { hh_id: 'A', households: 1 }, geometry: { type: 'Point', coordinates: [128.8, 32.7] } },
      { type: 'Feature', properties: { hh_id: 'B', households: 2 }, geometry: { type: 'Point', coordinates: [200, 32.7] } },
    ],
  };
  let rust;
  try {
    new bbcov.Households(Float64Array.of(128.8, 200), Float64Array.of(32.7, 32.7), { weights: [1, 2], ids: ['A', 'B'] });
  } catch (e) {
    rust = e.message;
  }
  assert.match(rust, /^households: record 1 \(id "B"\): invalid coordinate \(200, 32.7\)/);
  await drop([{ name: 'bad-households.geojson', text: JSON.stringify(bad) }]);
  m = await message();
  assert.equal(m.kind, 'error');
  assert.equal(m.title, 'Could not load bad-households.geojson');
  assert.deepEqual(m.details, [rust]);

  // Fiber routes with a zero-length line, a geometry of the wrong kind, a file that is no GeoTIFF.
  const zeroLength = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { route_id: 'R1' }, geometry: { type: 'LineString', coordinates: [[128.8, 32.7], [128.8, 32.7]] } }] };
  await drop([{ name: 'routes.geojson', text: JSON.stringify(zeroLength) }]);
  m = await message();
  assert.deepEqual(m.details, ['fiber routes: record 0 (id "R1"): invalid geometry: zero-length line (all points are the same)']);
  await drop([{ name: 'areas.geojson', text: JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } }] }) }]);
  assert.match((await message()).details[0], /^Polygon features; the map takes households \(Point\) and fiber routes \(LineString\)$/);
  await drop([{ name: 'dem.tif', text: 'this is not a GeoTIFF' }]);
  m = await message();
  assert.equal(m.title, 'Could not load dem.tif');
  assert.match(m.details[0], /^not a readable GeoTIFF/);
  // A lon/lat DEM: bbcov's refusal, as the Node build words it.
  let demError;
  try {
    new bbcov.Dem(new Float32Array(12), 4, 3, [128.8, 0.001, 0, 32.8, 0, -0.001]);
  } catch (e) {
    demError = e.message;
  }
  assert.match(demError, /^DEM: a lon\/lat DEM is not supported/);
  await drop([{ name: 'lonlat.tif', bytes: geotiff(4, 3, { ModelPixelScale: [0.001, 0.001, 0], ModelTiepoint: [0, 0, 0, 128.8, 32.8, 0], GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4326 }) }]);
  assert.deepEqual((await message()).details, [demError]);

  assert.deepEqual(await summary(), before, 'a failed upload leaves the layers as they were');
  assert.deepEqual(errorsOf(page), [], 'refused uploads log no console errors');
  await page.click('#message .close');
});

test('dropped households replace the layer and are computed against the routes', async () => {
  const features = [
    [128.8150701, 32.7097472, 'T1', 3, 'Town A'], // the main town's fiber hub
    [128.8134, 32.7301, 'T2', 2, 'Town A'],
    [128.6, 32.95, 'T3', 1, 'Town B'], // far out at sea from every route
  ].map(([lon, lat, id, households, municipality]) => ({
    type: 'Feature', properties: { hh_id: id, households, municipality }, geometry: { type: 'Point', coordinates: [lon, lat] },
  }));
  // The expectation, from the Node build of bbcov with the same routes.
  const fiberJson = JSON.parse(readFileSync(join(region, 'fiber.geojson'), 'utf8'));
  const lines = fiberJson.features.flatMap((f) => (f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates));
  const hh = new bbcov.Households(
    Float64Array.from(features, (f) => f.geometry.coordinates[0]),
    Float64Array.from(features, (f) => f.geometry.coordinates[1]),
    { weights: features.map((f) => f.properties.households) },
  );
  const cov = bbcov.fiberCoverage(hh, bbcov.FiberNetwork.fromLines(lines), MAX_DROP_M);
  const expectedServed = features.reduce((s, f, i) => s + (cov.served[i] ? f.properties.households : 0), 0);

  await page.setInputFiles('#file-input', {
    name: 'my-households.geojson', mimeType: 'application/geo+json',
    buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })),
  });
  await page.waitForFunction(() => document.querySelector('#sources').textContent.includes('my-households.geojson'));
  const m = await message();
  assert.equal(m.kind, 'info');
  assert.match(m.details[0], /^Households my-households\.geojson: 3 points, 6 households/);
  const s = await summary();
  assert.equal(s.total, 6);
  assert.equal(s.served, expectedServed);
  assert.deepEqual(Object.keys(s.rows), ['Town A', 'Town B', 'total']);
  assert.deepEqual(errorsOf(page), []);
});

test('a dropped GeoTIFF replaces the terrain, placed by its corners', async () => {
  const [x0, y0, cell, width, height] = [-200000, -20000, 30, 40, 30];
  await drop([{ name: 'small-dem.tif', bytes: geotiff(width, height, {
    ModelPixelScale: [cell, cell, 0], ModelTiepoint: [0, 0, 0, x0, y0, 0], GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 6670,
  }) }]);
  const m = await message();
  assert.equal(m.kind, 'info', JSON.stringify(m));
  assert.deepEqual(m.details, [`DEM small-dem.tif: ${width} × ${height} cells, EPSG:6670`]);
  // Corners from the geotransform, as gdaltransform gives them (EPSG:6670 -> lon/lat, to 1e-9 degree).
  const corners = await page.evaluate(() => window.bbcovApp.map.getSource('terrain').coordinates);
  const expected = [ // gdaltransform -s_srs EPSG:6670 -t_srs EPSG:6668 (GDAL 3.6, PROJ 9.1)
    [128.864654289916, 32.8014319418526], [128.877458740539, 32.8016497206529],
    [128.877651518108, 32.7935391395268], [128.864848228288, 32.7933214280447],
  ];
  corners.forEach(([lon, lat], k) => {
    assert.ok(Math.abs(lon - expected[k][0]) < 1e-9 && Math.abs(lat - expected[k][1]) < 1e-9, `corner ${k}: ${lon}, ${lat}`);
  });
  assert.match(await page.textContent('#sources'), /small-dem\.tif \(40 × 30, EPSG:6670\)/);
  assert.deepEqual(errorsOf(page), []);
});

test('layers in different CRSs: the page says so with bbcov\'s message', async () => {
  // Fiber routes in EPSG:6670 (a GeoJSON "crs" member, as GDAL writes it) against lon/lat households.
  const routes = {
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::6670' } },
    features: [{ type: 'Feature', properties: { route_id: 'P1' }, geometry: { type: 'LineString', coordinates: [[-200000, -20000], [-199000, -20500]] } }],
  };
  let expected;
  try {
    bbcov.fiberCoverage(
      new bbcov.Households(Float64Array.of(128.8), Float64Array.of(32.7)),
      bbcov.FiberNetwork.fromLines(routes.features.map((f) => f.geometry.coordinates), { epsg: 6670 }),
      MAX_DROP_M,
    );
  } catch (e) {
    expected = e.message;
  }
  assert.match(expected, /^coordinate reference systems differ/);
  await drop([{ name: 'projected-routes.geojson', text: JSON.stringify(routes) }]);
  const m = await message();
  assert.equal(m.kind, 'error');
  assert.equal(m.title, 'Loaded the file, but fiber coverage could not be computed');
  assert.equal(m.details[0], expected);
  assert.match(await page.textContent('#sources'), /projected-routes\.geojson \(1 routes, EPSG:6670\)/);
  assert.ok(await page.isDisabled('#export-csv'), 'nothing to export without coverage');
  assert.deepEqual(errorsOf(page), []);
});
