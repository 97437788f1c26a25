// fiberCoverage in wasm: exact distances on hand-made cases, agreement with
// an independent brute force, and with the native CLI on the same input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bbcov, nearestDistance, random } from './bbcov.mjs';
import { nativeBbcov as native } from './native.mjs';

const EPSG = 6670; // JGD2011 / Japan Plane Rectangular CS II (metres)

test('distances from an L-shaped route in a projected CRS are exact', () => {
  // Route 0: west-east from (1000, 2000) to (4000, 2000), then north to (4000, 6000).
  // Route 1: a 3-4-5 diagonal from (0, 10000) to (3000, 14000).
  const lines = [
    [[1000, 2000], [4000, 2000], [4000, 6000]],
    [[0, 10000], [3000, 14000]],
  ];
  const cases = [
    // [x, y, distance, route]
    [2500, 2150, 150, 0], // north of the first leg
    [2500, 1700.5, 299.5, 0], // south of it
    [4250, 4000, 250, 0], // east of the second leg
    [700, 1600, 500, 0], // beyond the west end: a 300-400-500 triangle
    [4030, 6040, 50, 0], // beyond the north end: 30-40-50
    [1340, 12120, 200, 1], // 200 m off the diagonal: (1500, 12000) + 200 * (-0.8, 0.6)
    [-600, 9200, 1000, 1], // beyond its south end: 600-800-1000
  ];
  const hh = new bbcov.Households(
    Float64Array.from(cases, (c) => c[0]),
    Float64Array.from(cases, (c) => c[1]),
    { epsg: EPSG, ids: cases.map((_, i) => `h${i}`) },
  );
  const fiber = bbcov.FiberNetwork.fromLines(lines, { epsg: EPSG, ids: ['a', 'b'] });
  assert.equal(fiber.length, 2);
  assert.equal(fiber.segmentCount, 3);
  assert.equal(fiber.lengthM, 3000 + 4000 + 5000);
  const cov = bbcov.fiberCoverage(hh, fiber, 300);
  assert.ok(cov.distances instanceof Float64Array);
  assert.ok(cov.served instanceof Uint8Array);
  assert.ok(cov.nearestRoutes instanceof Uint32Array);
  cases.forEach(([x, y, d, route], i) => {
    assert.ok(Math.abs(cov.distances[i] - d) <= 1e-9, `household ${i} at (${x}, ${y}): ${cov.distances[i]} != ${d}`);
    assert.equal(cov.nearestRoutes[i], route, `household ${i}`);
    assert.equal(cov.served[i], d <= 300 ? 1 : 0, `household ${i}`);
  });
  // Axis-aligned and integer-triangle distances are exact in floating point.
  assert.deepEqual(Array.from(cov.distances.slice(0, 5)), [150, 299.5, 250, 500, 50]);
  assert.equal(cov.count, cases.length);
  assert.equal(cov.servedCount, 5);
  assert.equal(cov.maxDropM, 300);
  // The default drop limit is 300 m, as in the CLI and Python.
  assert.deepEqual(bbcov.fiberCoverage(hh, fiber).served, cov.served);

  // The same network from flat coordinates + offsets.
  const flat = new bbcov.FiberNetwork(Float64Array.from(lines.flat(2)), Uint32Array.from([0, 3, 5]), { epsg: EPSG });
  assert.deepEqual(bbcov.fiberCoverage(hh, flat, 300).distances, cov.distances);
});

test('distances equal an independent brute force on random input', () => {
  const rand = random(7);
  const lines = Array.from({ length: 12 }, () =>
    Array.from({ length: 2 + Math.floor(rand() * 5) }, () => [rand() * 20000 - 2000, rand() * 20000 - 2000]),
  );
  const n = 3000;
  const x = Float64Array.from({ length: n }, () => rand() * 16000);
  const y = Float64Array.from({ length: n }, () => rand() * 16000);
  const hh = new bbcov.Households(x, y, { epsg: EPSG });
  const cov = bbcov.fiberCoverage(hh, bbcov.FiberNetwork.fromLines(lines, { epsg: EPSG }), 500);
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(cov.distances[i] - nearestDistance([x[i], y[i]], lines)));
  assert.ok(worst <= 1e-9, `largest difference ${worst} m`);
});

test('summarize counts served weight per area', () => {
  const hh = new bbcov.Households(Float64Array.of(0, 0, 0), Float64Array.of(100, 500, 50), {
    epsg: EPSG,
    weights: [2, 1, 4],
    areas: { island: ['Ojika', 'Fukue', 'Ojika'] },
  });
  const fiber = bbcov.FiberNetwork.fromLines([[[-10, 0], [10, 0]]], { epsg: EPSG });
  const { served } = bbcov.fiberCoverage(hh, fiber, 300);
  assert.deepEqual(Array.from(served), [1, 0, 1]);
  const rows = bbcov.summarize(hh, served, 'island');
  assert.deepEqual(rows.map((r) => [r.area, r.points, r.servedWeight, r.weight]), [
    ['Fukue', 1, 0, 1],
    ['Ojika', 2, 6, 6],
    ['total', 3, 6, 7],
  ]);
  assert.equal(rows[2].servedRate, 6 / 7);
  assert.equal(rows[2].unservedWeight, 1);
  assert.deepEqual(bbcov.summarize(hh, served).map((r) => r.area), ['total']);
});

test('mesh codes and DEM sampling', () => {
  // Tokyo Tower, 1/2 mesh (see bbcov-core's mesh docs).
  assert.deepEqual(bbcov.meshEncode(Float64Array.of(139.745433), Float64Array.of(35.658581), '500m'), ['533935992']);
  const agg = bbcov.meshAggregate(
    Float64Array.of(139.745433, 139.746, 135.759363),
    Float64Array.of(35.658581, 35.659, 34.987574),
    '1km',
    Float64Array.of(3, 2, 5),
  );
  assert.deepEqual(agg.codes, ['52353680', '53393599']);
  assert.deepEqual(Array.from(agg.totals), [5, 5]);
  const [west, south, east, north] = bbcov.meshBounds('53393599');
  assert.ok(Math.abs(west - 139.7375) < 1e-9 && Math.abs(east - 139.75) < 1e-9);
  assert.ok(Math.abs(south - 35.658333) < 1e-6 && Math.abs(north - 35.666667) < 1e-6);

  // A 2 x 2 grid as geotiff.js delivers it: origin (0, 20), 10 m pixels, nodata -9999.
  const dem = new bbcov.Dem(Float32Array.of(0, 10, 20, -9999), 2, 2, [0, 10, 0, 20, 0, -10], 32652, -9999);
  assert.deepEqual([dem.rows, dem.cols, dem.epsg, dem.missingCount], [2, 2, 32652, 1]);
  assert.deepEqual(Array.from(dem.bounds()), [0, 0, 20, 20]);
  assert.equal(dem.sample(10, 15), 5);
  assert.equal(dem.sample(5, 5), 20);
  assert.equal(dem.heightAtCell(1, 1), undefined);
  assert.throws(() => dem.sample(10, 10), { name: 'DemError', message: /no elevation at \(10, 10\).*nodata/ });
});

// ---- agreement with the native build (the `bbcov` CLI) ----

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `bbcov fiber` on households and routes; returns its output CSV as rows of fields. */
function runNative(households, lines, crsArgs) {
  const dir = mkdtempSync(join(tmpdir(), 'bbcov-wasm-'));
  try {
    const [xn, yn] = crsArgs.length ? ['x', 'y'] : ['lon', 'lat'];
    const csv = [`id,${xn},${yn}`, ...households.map(([x, y], i) => `h${i},${x},${y}`)].join('\n');
    writeFileSync(join(dir, 'households.csv'), csv + '\n');
    const geojson = {
      type: 'FeatureCollection',
      features: lines.map((coordinates, i) => ({
        type: 'Feature',
        properties: { id: `r${i}` },
        geometry: { type: 'LineString', coordinates },
      })),
    };
    writeFileSync(join(dir, 'routes.geojson'), JSON.stringify(geojson));
    const out = join(dir, 'out.csv');
    execFileSync(native, [
      'fiber', '--quiet',
      '--households', join(dir, 'households.csv'), '--id-field', 'id',
      '--fiber', join(dir, 'routes.geojson'),
      '--max-drop', '300', '-o', out,
      ...crsArgs,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split(','));
    const col = (name) => {
      const i = header.indexOf(name);
      assert.ok(i >= 0, `no column ${name} in the CLI output (${header})`);
      return rows.map((r) => r[i]);
    };
    return { ids: col('id'), distances: col('fiber_distance_m').map(Number), served: col('fiber_served').map(Number) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Largest difference (m) allowed between wasm and native distances: none.
 * bbcov-core uses only correctly rounded arithmetic and sqrt in the distance
 * code and takes every transcendental function of its projection from the
 * portable `libm` crate on every target, so both builds give the same bits.
 */
const TOLERANCE_M = { projected: 0, lonlat: 0 };

function compareWithNative(t, households, lines, epsg) {
  if (!native) {
    t.skip('no native bbcov binary (target/release/bbcov or target/debug/bbcov): build it with `cargo build -p bbcov-cli`');
    return;
  }
  const crsArgs = epsg ? ['--households-crs', `EPSG:${epsg}`, '--fiber-crs', `EPSG:${epsg}`] : [];
  const expected = runNative(households, lines, crsArgs);
  const hh = new bbcov.Households(
    Float64Array.from(households, (p) => p[0]),
    Float64Array.from(households, (p) => p[1]),
    { epsg },
  );
  const cov = bbcov.fiberCoverage(hh, bbcov.FiberNetwork.fromLines(lines, { epsg }), 300);
  assert.deepEqual(expected.ids, households.map((_, i) => `h${i}`), 'the CLI keeps the input order');
  let worst = 0, identical = 0;
  for (let i = 0; i < households.length; i++) {
    const diff = Math.abs(cov.distances[i] - expected.distances[i]);
    worst = Math.max(worst, diff);
    if (diff === 0) identical++;
  }
  t.diagnostic(`${native.startsWith(root) ? native.slice(root.length) : native}: ${identical} of ${households.length} distances bit-identical, largest difference ${worst} m`);
  const tolerance = epsg ? TOLERANCE_M.projected : TOLERANCE_M.lonlat;
  assert.ok(worst <= tolerance, `largest difference from the native build: ${worst} m (tolerance ${tolerance} m)`);
  assert.deepEqual(Array.from(cov.served), expected.served);
}

test('same distances as the native CLI, projected CRS', (t) => {
  const rand = random(42);
  // Coordinates with at most 2 decimals, written and read back exactly.
  const r = (v) => Math.round(v * 100) / 100;
  const households = Array.from({ length: 2000 }, () => [r(-20000 + rand() * 15000), r(30000 + rand() * 15000)]);
  const lines = Array.from({ length: 8 }, () =>
    Array.from({ length: 2 + Math.floor(rand() * 6) }, () => [r(-21000 + rand() * 17000), r(29000 + rand() * 17000)]),
  );
  compareWithNative(t, households, lines, EPSG);
});

test('same distances as the native CLI, lon/lat (local transverse Mercator frame)', (t) => {
  const rand = random(1234);
  // Around Fukue island (Goto); 7 decimals of a degree (about 1 cm).
  const r = (v) => Math.round(v * 1e7) / 1e7;
  const households = Array.from({ length: 2000 }, () => [r(128.7 + rand() * 0.2), r(32.6 + rand() * 0.2)]);
  const lines = Array.from({ length: 8 }, () =>
    Array.from({ length: 2 + Math.floor(rand() * 6) }, () => [r(128.68 + rand() * 0.24), r(32.58 + rand() * 0.24)]),
  );
  compareWithNative(t, households, lines, undefined);
});
