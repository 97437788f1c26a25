// The radio bindings: Site, siteCoverage and householdSignal on a small
// synthetic DEM (flat ground), and their errors as JS Errors with the Rust message.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { bbcov } from './bbcov.mjs';

// Flat ground at 10 m, 30 m cells, 201 x 201, in EPSG:6670.
const N = 201, CELL = 30, X0 = -200000, Y0 = -20000;
const dem = () => new bbcov.Dem(new Float32Array(N * N).fill(10), N, N, [X0, CELL, 0, Y0, 0, -CELL], 6670);
const centre = [X0 + CELL * 100.5, Y0 - CELL * 100.5];

test('a Site reads like a row of the CLI\'s sites CSV', () => {
  const omni = new bbcov.Site('a', ...centre, { heightM: 30, technology: '4G', frequencyMhz: 800, eirpDbm: 60 });
  assert.equal(omni.technology, 'LTE');
  assert.equal(omni.eirpDbm, 60);
  assert.equal(omni.azimuthDeg, undefined);
  const sector = new bbcov.Site('b', ...centre, { heightM: 30, technology: '5G', frequencyMhz: 3700, eirpDbm: 65, azimuthDeg: 90 });
  assert.equal(sector.technology, 'NR FR1');
  assert.equal(sector.gainDbi, 8);
  assert.equal(sector.txPowerDbm, 57);
  assert.equal(sector.bandwidthMhz, 100);
  assert.equal(new bbcov.Site('c', ...centre, { heightM: 10, technology: 'local5G', frequencyMhz: 28000, txPowerDbm: 30 }).technology, 'NR FR2');
});

test('siteCoverage: the RSRP window with its geotransform; householdSignal agrees near the site', () => {
  const d = dem();
  const site = new bbcov.Site('a', ...centre, { heightM: 30, technology: '4G', frequencyMhz: 800, eirpDbm: 60 });
  const cov = bbcov.siteCoverage(d, site, { radiusM: 1500, model: 'diffraction' });
  assert.equal(cov.rsrp.length, cov.rows * cov.cols);
  assert.equal(cov.rows, 101);
  assert.deepEqual(Array.from(cov.geotransform), [X0 + 50 * CELL, CELL, 0, Y0 - 50 * CELL, 0, -CELL]);
  assert.deepEqual(cov.demOffset, [50, 50]);
  assert.ok(Number.isNaN(cov.rsrp[0]), 'the corner is beyond the radius');
  const mid = cov.rsrp[50 * cov.cols + 80]; // 900 m east
  assert.ok(mid < -40 && mid > -110, `${mid}`);
  // A household at that cell's centre, outdoors: the same free-space RSRP within a few hundredths of a dB.
  const hh = new bbcov.Households(Float64Array.of(centre[0] + 900, centre[0] + 2500), Float64Array.of(centre[1], centre[1]), { epsg: 6670 });
  const sig = bbcov.householdSignal(d, [site], hh, { radiusM: 1500, model: 'diffraction', indoor: false });
  assert.ok(Math.abs(sig.rsrp[0] - mid) < 0.05, `${sig.rsrp[0]} vs ${mid}`);
  assert.deepEqual(Array.from(sig.servingSite), [0, -1]);
  assert.deepEqual(Array.from(sig.covered), [1, 0]);
  // The Site stays usable after being passed in an array.
  assert.equal(site.id, 'a');
  const indoor = bbcov.householdSignal(d, [site], hh, { radiusM: 1500, model: 'diffraction', indoor: true });
  assert.ok(indoor.rsrp[0] < sig.rsrp[0]);
});

test('siteCoveragePart: the parts, merged by the page\'s rule, are siteCoverage bit for bit', () => {
  // Rough terrain so that diffraction, line of sight and shadow all occur.
  const heights = new Float32Array(N * N).map((_, i) => 10 + 60 * Math.sin((i % N) / 7) * Math.cos(Math.floor(i / N) / 11) ** 2);
  const d = new bbcov.Dem(heights, N, N, [X0, CELL, 0, Y0, 0, -CELL], 6670);
  const site = new bbcov.Site('a', centre[0] + 400, centre[1] - 250, { heightM: 25, technology: '4G', frequencyMhz: 800, eirpDbm: 60 });
  for (const model of ['diffraction', 'itm']) {
    const options = { radiusM: 2500, model };
    const whole = bbcov.siteCoverage(d, site, options);
    for (const parts of [2, 3]) {
      const covs = Array.from({ length: parts }, (_, p) => bbcov.siteCoveragePart(d, site, options, p, parts));
      const merged = Float32Array.from(covs[0].rsrp);
      for (const cov of covs.slice(1)) {
        assert.deepEqual([cov.rows, cov.cols, cov.demOffset], [whole.rows, whole.cols, whole.demOffset]);
        cov.rsrp.forEach((v, i) => { if (v === v) merged[i] = v; });
        assert.ok(cov.rsrp.some((v) => v === v) && cov.rsrp.some((v, i) => v !== v && whole.rsrp[i] === whole.rsrp[i]));
      }
      assert.deepEqual(new Uint32Array(merged.buffer), new Uint32Array(Float32Array.from(whole.rsrp).buffer), `${model}, ${parts} parts`);
      assert.equal(covs.reduce((n, c) => n + c.coveredCount, 0), whole.coveredCount);
    }
  }
  assert.throws(() => bbcov.siteCoveragePart(d, site, { radiusM: 2500 }, 2, 2), { name: 'InvalidInputError', message: /part/ });
});

test('radio errors are JS Errors with the Rust message', () => {
  assert.throws(() => new bbcov.Site('x', ...centre, { heightM: 30, technology: '4G', frequencyMhz: 28000, eirpDbm: 60 }), {
    name: 'InvalidInputError', message: /frequency_mhz.*MHz for LTE/,
  });
  assert.throws(() => new bbcov.Site('x', ...centre, { heightM: 30, frequencyMhz: 800 }), { name: 'InvalidInputError', message: /eirpDbm/ });
  const far = new bbcov.Site('far', 0, 0, { heightM: 30, frequencyMhz: 800, eirpDbm: 60 });
  assert.throws(() => bbcov.siteCoverage(dem(), far, { radiusM: 1000 }), (e) => e instanceof Error && /far/.test(e.message));
  assert.throws(() => bbcov.siteCoverage(dem(), far, { model: 'hata' }), { name: 'InvalidInputError', message: /unknown radio model "hata"/ });
  assert.throws(() => bbcov.householdSignal(dem(), [{}], new bbcov.Households(Float64Array.of(0), Float64Array.of(0), { epsg: 6670 })), {
    message: /sites\[0\] is not a Site/,
  });
});
