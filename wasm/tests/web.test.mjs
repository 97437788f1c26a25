// The browser builds (wasm/pkg/web, the page's ES module, and
// wasm/pkg/web-siting, the same with `planSites` for the siting worker)
// instantiate and compute the same as the Node build. Node cannot import it in place (a .js ES module
// outside a "type": "module" package), so the glue is copied to a .mjs file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { bbcov } from './bbcov.mjs';

for (const [name, siting] of [['web', false], ['web-siting', true]]) test(`the ${name} build loads and gives the same result as the Node build`, async () => {
  const pkg = fileURLToPath(new URL(`../pkg/${name}/`, import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'bbcov-web-'));
  try {
    copyFileSync(join(pkg, 'bbcov_wasm.js'), join(dir, 'bbcov_wasm.mjs'));
    const web = await import(pathToFileURL(join(dir, 'bbcov_wasm.mjs')).href);
    web.initSync({ module: readFileSync(join(pkg, 'bbcov_wasm_bg.wasm')) });
    assert.equal(web.version(), bbcov.version());
    assert.equal(typeof web.planSites, siting ? 'function' : 'undefined', 'planSites only in the siting build');
    const lon = Float64Array.of(128.84, 128.86, 128.9), lat = Float64Array.of(32.7, 32.72, 32.69);
    const lines = [[[128.83, 32.701], [128.85, 32.701]]];
    const run = (m) => m.fiberCoverage(new m.Households(lon, lat, { weights: [12, 3, 1] }), m.FiberNetwork.fromLines(lines), 300);
    const a = run(web), b = run(bbcov);
    assert.deepEqual(a.distances, b.distances);
    assert.deepEqual(Array.from(a.served), [1, 0, 0]);
    assert.throws(() => new web.Households(Float64Array.of(NaN), Float64Array.of(0)), {
      name: 'InvalidInputError',
      message: 'households: record 0: invalid coordinate (NaN, 0): coordinates must be finite numbers (got NaN or infinity)',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
