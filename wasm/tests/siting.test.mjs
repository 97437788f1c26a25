// planSites: the siting chain of `bbcov plan` on a small synthetic island
// with two hills (each hill top is a candidate, each has a village below
// it), its progress callback, and its errors as JS Errors with the Rust message.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { bbcov } from './bbcov.mjs';

// 301 x 301 cells of 30 m in EPSG:6670: land at 5 m with two hills
// (80 m at cell (80, 80), 60 m at cell (220, 220)).
const N = 301, CELL = 30, X0 = -200000, Y0 = -20000, EPSG = 6670;
const HILLS = [[80, 80, 80], [220, 220, 60]];
function heights() {
  const z = new Float32Array(N * N);
  for (let r = 0; r < N; r++) {
    for (let c = 0; c < N; c++) {
      z[r * N + c] = 5 + HILLS.reduce((h, [hr, hc, top]) => h + top * Math.exp(-((r - hr) ** 2 + (c - hc) ** 2) / (2 * 20 ** 2)), 0);
    }
  }
  return z;
}
const dem = () => new bbcov.Dem(heights(), N, N, [X0, CELL, 0, Y0, 0, -CELL], EPSG);
const centre = (r, c) => [X0 + CELL * (c + 0.5), Y0 - CELL * (r + 0.5)];

/** 30 households around the first hill, 10 around the second, within 600 m of the tops. */
function villages() {
  const x = [], y = [];
  HILLS.forEach(([r, c], k) => {
    const [cx, cy] = centre(r, c);
    for (let i = 0; i < (k === 0 ? 30 : 10); i++) {
      const a = (2 * Math.PI * i) / (k === 0 ? 30 : 10);
      x.push(cx + 400 * Math.cos(a) + 3 * i);
      y.push(cy + 600 * Math.sin(a));
    }
  });
  return new bbcov.Households(Float64Array.from(x), Float64Array.from(y), { epsg: EPSG });
}
// A fiber route along the south edge.
const fiber = () => new bbcov.FiberNetwork(Float64Array.of(X0 + 100, Y0 - 8900, X0 + 8900, Y0 - 8900), Uint32Array.of(0, 2), { epsg: EPSG });
const all = Uint32Array.from({ length: 40 }, (_, i) => i);
const OPTIONS = { radiusM: 2000, model: 'diffraction', gridSpacingM: 0 };

test('planSites chooses the hill with the bigger village first, then the other', () => {
  const d = dem(), hh = villages(), f = fiber();
  const one = bbcov.planSites(d, hh, all, f, [], { ...OPTIONS, sites: 1 });
  assert.equal(one.candidates, 2, 'the two hill tops');
  assert.deepEqual(one.sites.map((s) => [s.id, s.newHouseholds, s.source]), [['hp-80-80', 30, 'high point']]);
  assert.deepEqual([one.sites[0].x, one.sites[0].y], centre(80, 80));
  assert.equal(one.newlyServed, 30);
  assert.equal(one.demandWeight, 40);
  assert.equal(one.gap, 0);
  assert.deepEqual(Array.from(one.covered), [...Array(30).fill(1), ...Array(10).fill(0)]);
  const two = bbcov.planSites(d, hh, all, f, [], { ...OPTIONS, sites: 2 });
  assert.deepEqual(two.sites.map((s) => [s.id, s.newHouseholds]), [['hp-80-80', 30], ['hp-220-220', 10]]);
  assert.equal(two.newlyServed, 40);
  for (const s of two.sites) {
    assert.ok(['fiber', 'microwave'].includes(s.backhaul));
    assert.ok(s.capex >= 30e6, `capex ${s.capex} includes the site`);
  }
  // A target share of 0.7 needs only the first hill; a budget for one site (about 63 million
  // over 10 years with the default costs) takes the bigger village; a smaller one is refused.
  assert.deepEqual(bbcov.planSites(d, hh, all, f, [], { ...OPTIONS, targetShare: 0.7 }).sites.map((s) => s.id), ['hp-80-80']);
  const budget = bbcov.planSites(d, hh, all, f, [], { ...OPTIONS, budget: 100e6 });
  assert.deepEqual(budget.sites.map((s) => s.id), ['hp-80-80']);
  assert.ok(budget.cost <= 100e6);
  assert.throws(() => bbcov.planSites(d, hh, all, f, [], { ...OPTIONS, budget: 1e6 }), { name: 'InvalidInputError', message: /infeasible.*more than the budget/ });
  // Demand is a subset: the second village only.
  const south = bbcov.planSites(d, hh, Uint32Array.from({ length: 10 }, (_, i) => 30 + i), f, [], { ...OPTIONS, sites: 1 });
  assert.deepEqual(south.sites.map((s) => [s.id, s.newHouseholds]), [['hp-220-220', 10]]);
});

test('planSites reports progress stage by stage, one unit per candidate', () => {
  const calls = [];
  const plan = bbcov.planSites(dem(), villages(), all, fiber(), [], { ...OPTIONS, sites: 1 }, (stage, done, total) => calls.push([stage, done, total]));
  const stages = [...new Set(calls.map(([s]) => s))];
  assert.deepEqual(stages, ['candidates', 'candidate coverage', 'backhaul', 'solving', 'done']);
  const coverage = calls.filter(([s]) => s === 'candidate coverage');
  assert.deepEqual(coverage.at(-1), ['candidate coverage', plan.candidates, plan.candidates]);
});

test('existing sites are hubs and candidate structures', () => {
  const [x, y] = centre(150, 150);
  const tower = new bbcov.Site('T1', x, y, { heightM: 30, technology: '4G', frequencyMhz: 800, eirpDbm: 60 });
  const plan = bbcov.planSites(dem(), villages(), all, fiber(), [tower], { ...OPTIONS, sites: 2 });
  assert.equal(plan.candidates, 3);
  assert.equal(tower.id, 'T1', 'the Site stays usable');
});

test('planSites errors are JS Errors with the Rust message', () => {
  const d = dem(), hh = villages(), f = fiber();
  assert.throws(() => bbcov.planSites(d, hh, all, f, [], { sites: 1, colour: 'red' }), {
    name: 'InvalidInputError', message: /planSites: unknown option "colour"/,
  });
  assert.throws(() => bbcov.planSites(d, hh, all, f, [], { ...OPTIONS, sites: 1.5 }), { name: 'InvalidInputError', message: /sites = 1.5/ });
  assert.throws(() => bbcov.planSites(d, hh, all, f, [], { ...OPTIONS, technology: '3G' }), { message: /technology "3g"/ });
  assert.throws(() => bbcov.planSites(d, hh, all, f, [], { ...OPTIONS, targetShare: 1.5 }), { name: 'InvalidInputError', message: /share/ });
  assert.throws(() => bbcov.planSites(d, hh, Uint32Array.of(99), f, [], OPTIONS), { message: /demand/ });
  assert.throws(() => bbcov.planSites(d, hh, all, f, [{}], OPTIONS), { message: /sites\[0\] is not a Site/ });
  assert.throws(() => bbcov.planSites(d, hh, all, f, [], { ...OPTIONS, maxSlopeDeg: 0, highPointReliefM: 1000 }), {
    message: /no candidate site is left/,
  });
  // A progress callback that throws does not break the plan.
  assert.equal(bbcov.planSites(d, hh, all, f, [], { ...OPTIONS, sites: 1 }, () => { throw new Error('boom'); }).newlyServed, 30);
});
