// Loads the Node build of the wasm package (wasm/pkg/node, made by
// scripts/build-wasm.sh) and offers helpers shared by the tests.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const path = fileURLToPath(new URL('../pkg/node/bbcov_wasm.js', import.meta.url));
if (!existsSync(path)) {
  throw new Error(`${path} is missing: run scripts/build-wasm.sh first`);
}
export const bbcov = createRequire(import.meta.url)(path);

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Planar distance from p to segment ab (closest point by projection). */
export function segmentDistance([px, py], [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Brute-force distance from p to the nearest segment of any line. */
export function nearestDistance(p, lines) {
  let best = Infinity;
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) best = Math.min(best, segmentDistance(p, line[i - 1], line[i]));
  }
  return best;
}
