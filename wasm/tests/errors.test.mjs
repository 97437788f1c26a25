// Bad input throws a JavaScript Error carrying the Rust message, never a
// wasm trap (WebAssembly.RuntimeError), and the module keeps working after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { bbcov } from './bbcov.mjs';

const EPSG = 6670;

/** Asserts that `fn` throws an Error (not a trap) with `name` and `message` (string: exact). */
function throwsRust(fn, name, message, props = {}) {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err !== undefined, 'expected an error');
  assert.ok(!(err instanceof WebAssembly.RuntimeError), `a wasm trap: ${err}`);
  assert.ok(err instanceof Error, `not an Error: ${err}`);
  assert.equal(err.name, name);
  if (message instanceof RegExp) assert.match(err.message, message);
  else assert.equal(err.message, message);
  for (const [key, value] of Object.entries(props)) assert.equal(err[key], value, key);
}

test('a NaN coordinate names the record', () => {
  throwsRust(
    () => new bbcov.Households(Float64Array.of(129, NaN), Float64Array.of(33, 33)),
    'InvalidInputError',
    'households: record 1: invalid coordinate (NaN, 33): coordinates must be finite numbers (got NaN or infinity)',
    { layer: 'households', index: 1, id: null },
  );
  throwsRust(
    () => new bbcov.Households(Float64Array.of(129, 129), Float64Array.of(33, 95), { ids: ['a', 'b'] }),
    'InvalidInputError',
    'households: record 1 (id "b"): invalid coordinate (129, 95): latitude outside [-90, 90]',
    { index: 1, id: 'b' },
  );
  throwsRust(
    () => bbcov.FiberNetwork.fromLines([[[0, 0], [1, 1]], [[0, 0], [NaN, 1]]], { epsg: EPSG }),
    'InvalidInputError',
    'fiber routes: record 1: invalid coordinate (NaN, 1): coordinates must be finite numbers (got NaN or infinity)',
    { layer: 'fiber routes', index: 1 },
  );
  // A non-number in a plain array becomes NaN on the way in, and is refused the same way.
  throwsRust(
    () => new bbcov.Households([129, 'x'], [33, 33]),
    'InvalidInputError',
    /^households: record 1: invalid coordinate \(NaN, 33\)/,
  );
});

test('an empty layer is refused', () => {
  throwsRust(() => new bbcov.Households(new Float64Array(), new Float64Array()), 'EmptyLayerError', 'households: the layer is empty', {
    layer: 'households',
  });
  throwsRust(() => bbcov.FiberNetwork.fromLines([]), 'EmptyLayerError', 'fiber routes: the layer is empty');
  throwsRust(() => new bbcov.FiberNetwork(new Float64Array(), Uint32Array.of(0)), 'EmptyLayerError', 'fiber routes: the layer is empty');
});

test('other core errors keep their message', () => {
  const hh = new bbcov.Households(Float64Array.of(0, 10), Float64Array.of(0, 10), { epsg: EPSG });
  const fiber = bbcov.FiberNetwork.fromLines([[[0, 0], [1, 0]]], { epsg: EPSG });
  throwsRust(() => bbcov.fiberCoverage(hh, fiber, NaN), 'InvalidInputError',
    'max_drop_m = NaN is out of range: a finite distance >= 0 m');
  throwsRust(() => bbcov.fiberCoverage(hh, fiber, -1), 'InvalidInputError', 'max_drop_m = -1 is out of range: a finite distance >= 0 m');
  const lonlat = bbcov.FiberNetwork.fromLines([[[129, 33], [129.1, 33]]]);
  throwsRust(() => bbcov.fiberCoverage(hh, lonlat, 300), 'CrsMismatchError', /^coordinate reference systems differ: .*EPSG:6670.*lon\/lat degrees|lon\/lat degrees.*EPSG:6670/);
  throwsRust(
    () => bbcov.FiberNetwork.fromLines([[[1, 1], [1, 1]]], { epsg: EPSG, ids: ['r7'] }),
    'InvalidInputError',
    'fiber routes: record 0 (id "r7"): invalid geometry: zero-length line (all points are the same)',
  );
  throwsRust(
    () => new bbcov.Households(Float64Array.of(0, 1), Float64Array.of(0)),
    'InvalidInputError',
    'household y coordinates: expected 2 values (one per record), got 1',
  );
  throwsRust(
    () => new bbcov.Households(Float64Array.of(0, 1), Float64Array.of(0, 1), { epsg: EPSG, weights: [1, 2, 3] }),
    'InvalidInputError',
    'household weights: expected 2 values (one per record), got 3',
  );
  throwsRust(
    () => new bbcov.Households(Float64Array.of(0, 1), Float64Array.of(0, 1), { epsg: EPSG, weights: [1, -2] }),
    'InvalidInputError',
    'households: record 1: invalid weight -2: weights must be finite and >= 0',
  );
  throwsRust(() => bbcov.summarize(hh, Uint8Array.of(1, 0), 'town'), 'UnknownAreaKeyError', 'no area key named "town"; available: none');
  throwsRust(() => bbcov.summarize(hh, Uint8Array.of(1)), 'InvalidInputError', 'served flags: expected 2 values (one per record), got 1');
  throwsRust(
    () => bbcov.meshEncode(Float64Array.of(139.7), Float64Array.of(35.6), '300m'),
    'InvalidInputError',
    'unknown grid-square level "300m"; use one of 80km, 10km, 1km, 500m, 250m, 125m',
  );
  throwsRust(
    () => bbcov.meshEncode(Float64Array.of(2.35), Float64Array.of(48.85), '1km'),
    'InvalidInputError',
    /^grid square: record 0: invalid coordinate \(2.35, 48.85\)/,
  );
  throwsRust(() => bbcov.meshBounds('5339x'), 'InvalidInputError', /^invalid JIS X 0410 grid-square code "5339x"/);
  // DEMs: a lon/lat CRS, an undeclared void value, a size mismatch, a short geotransform.
  const gt = [0, 10, 0, 20, 0, -10];
  throwsRust(() => new bbcov.Dem(Float32Array.of(1, 2, 3, 4), 2, 2, gt), 'DemError', /^DEM: /);
  throwsRust(() => new bbcov.Dem(Float32Array.of(1, 2, 3, -32768), 2, 2, gt, 32652), 'DemError', /^DEM: cell \(row 1, column 1\) has elevation -32768 m/);
  throwsRust(() => new bbcov.Dem(Float32Array.of(1, 2, 3), 2, 2, gt, 32652), 'InvalidInputError',
    'DEM heights for 2 rows × 2 columns: expected 4 values (one per record), got 3');
  throwsRust(() => new bbcov.Dem(Float32Array.of(1, 2, 3, 4), 2, 2, [0, 10, 0, 20], 32652), 'InvalidInputError',
    'DEM geotransform: expected 6 values (one per record), got 4');
});

test('argument errors of the bindings name the argument', () => {
  const x = Float64Array.of(0), y = Float64Array.of(0);
  throwsRust(() => new bbcov.Households(x, y, { weight: [1] }), 'InvalidInputError',
    'households: unknown option "weight"; known: epsg, weights, ids, areas');
  throwsRust(() => new bbcov.Households(x, y, { epsg: -1 }), 'InvalidInputError',
    'epsg = -1 is not an EPSG code: give a positive integer, or leave it out for lon/lat degrees');
  throwsRust(() => new bbcov.Households(x, y, { epsg: 6670, ids: [7] }), 'InvalidInputError',
    'households: ids[0] is not a string (convert with String())');
  throwsRust(() => new bbcov.FiberNetwork(Float64Array.of(0, 0, 1), Uint32Array.of(0, 1)), 'InvalidInputError',
    'fiber routes: coords must hold x, y pairs (an even number of values), got 3 values');
  throwsRust(() => new bbcov.FiberNetwork(Float64Array.of(0, 0, 1, 1), Uint32Array.of(0, 3)), 'InvalidInputError',
    'fiber routes: offsets must rise from 0 to the number of vertices (2)');
  throwsRust(() => bbcov.FiberNetwork.fromLines([[[0, 0], ['a', 1]]], { epsg: 6670 }), 'InvalidInputError',
    'fiber routes: line 0, point 1 is not an [x, y] pair of numbers');
});

test('the module keeps working after errors', () => {
  for (let i = 0; i < 100; i++) {
    assert.throws(() => new bbcov.Households(Float64Array.of(NaN), Float64Array.of(0)));
  }
  const hh = new bbcov.Households(Float64Array.of(0), Float64Array.of(100), { epsg: EPSG });
  const fiber = bbcov.FiberNetwork.fromLines([[[-10, 0], [10, 0]]], { epsg: EPSG });
  assert.deepEqual(Array.from(bbcov.fiberCoverage(hh, fiber, 300).distances), [100]);
});
