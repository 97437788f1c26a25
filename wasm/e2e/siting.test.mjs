// Siting on the map in Debian's headless Chromium: "Plan sites" runs
// bbcov's planSites in a Web Worker with progress; the plan (sites, the
// households each newly serves, the total) equals the native `bbcov plan`
// on the same files and settings; the proposed sites are on the map and in
// the exports; Cancel stops a run, the panel returns to idle and the next
// run still works; added to the map as sites, the proposed sites serve
// exactly the households the plan says.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { dist, errorsOf, launch, root, serve } from './browser.mjs';
import { nativeBbcov as native } from '../tests/native.mjs';

const region = join(root, 'data-samples/region');
const artifacts = join(root, 'wasm/e2e/artifacts');
const SITES = 3;

/**
 * `bbcov plan` on the files the page loads, with the page's settings: the
 * radio of the map (diffraction, 15 km, -110 dBm indoors), the drop limit of
 * the region, no road layer (the map has none), `sites` new sites.
 */
function nativePlan(sites) {
  const dir = mkdtempSync(join(tmpdir(), 'bbcov-e2e-plan-'));
  try {
    const toml = (p) => JSON.stringify(join(region, p));
    writeFileSync(join(dir, 'region.toml'), [
      'name = "Sample Islands"',
      `households = ${toml('households.csv')}`, 'weight_field = "households"', 'id_field = "hh_id"',
      `fiber = ${toml('fiber.geojson')}`, `dem = ${toml('dem.tif')}`, `towers = ${toml('towers.csv')}`, 'max_drop_m = 300',
      '[radio]', 'model = "diffraction"', 'radius_m = 15000', 'threshold_dbm = -110', 'indoor = true',
      '[plan]', `sites = ${sites}`, '',
    ].join('\n'));
    execFileSync(native, ['plan', '--config', join(dir, 'region.toml'), '-o', join(dir, 'out')], { stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(readFileSync(join(dir, 'out/plan.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let server, browser, page;

before(async () => {
  if (!existsSync(join(dist, 'index.html'))) throw new Error('wasm/www/dist is missing: run scripts/build-web.sh');
  server = await serve();
  browser = await launch();
  page = browser.page;
  await page.goto(server.url);
  await page.waitForFunction(() => ['ready', 'error'].includes(document.documentElement.dataset.state), null, { timeout: 120_000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs the form with `sites` new sites; resolves with the plan and the progress events. */
async function planSites(sites) {
  await page.check('#plan-form input[name="goal"][value="sites"]');
  await page.fill('#plan-form input[name="sites"]', String(sites));
  const before = await page.evaluate(() => window.bbcovApp.state.plan);
  await page.click('#plan-run');
  await page.waitForFunction((prev) => document.documentElement.dataset.planning === 'idle' && window.bbcovApp.state.plan !== prev,
    before, { timeout: 120_000 });
  return page.evaluate(() => {
    const { plan, planProgress } = window.bbcovApp.state;
    return { result: { ...plan.result, covered: Array.from(plan.result.covered) }, elapsedMs: plan.elapsedMs, progress: planProgress };
  });
}

let first;

test('"Plan sites" runs in a worker with progress and shows the proposed sites', async (t) => {
  assert.equal(await page.evaluate(() => document.documentElement.dataset.state), 'ready');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.planning), 'idle');
  first = await planSites(SITES);
  const { result: r, progress } = first;
  t.diagnostic(`plan of ${SITES} sites in ${first.elapsedMs.toFixed(0)} ms: ${r.sites.map((s) => `${s.id} +${s.newHouseholds}`).join(', ')}; ${r.newlyServed} of ${r.demandWeight} newly served, gap ${r.gap}`);
  // Progress: every stage in order, one event per candidate at most, ending at the total.
  const stages = [...new Set(progress.map((p) => p.stage))];
  assert.deepEqual(stages, ['candidates', 'candidate coverage', 'backhaul', 'solving', 'done']);
  const coverage = progress.filter((p) => p.stage === 'candidate coverage');
  t.diagnostic(`${progress.length} progress events, ${coverage.length} during the candidates' coverage`);
  assert.ok(coverage.length >= 2, 'progress during the coverage of the candidates');
  assert.ok(coverage.every((p, k) => k === 0 || p.done >= coverage[k - 1].done));
  assert.deepEqual(coverage.at(-1), { stage: 'candidate coverage', done: r.candidates, total: r.candidates });
  // The demand is the page's unserved households.
  const unserved = await page.evaluate(() => Number(document.querySelector('[data-testid="unserved"]').textContent.replaceAll(',', '')));
  assert.equal(r.demandWeight, unserved);
  assert.equal(r.sites.length, SITES);
  assert.equal(r.sites.reduce((s, x) => s + x.newHouseholds, 0), r.newlyServed);
  // In the panel and on the map.
  assert.equal(await page.locator('#plan-table tbody tr[data-k]').count(), SITES);
  assert.match(await page.textContent('[data-testid="plan-newly-served"]'), new RegExp(`^${r.newlyServed}$`));
  await page.evaluate(() => new Promise((resolve) => { const { map, fitToData } = window.bbcovApp; map.once('idle', resolve); fitToData(); }));
  const drawn = await page.evaluate(() => window.bbcovApp.map.queryRenderedFeatures({ layers: ['proposed-symbol'] }).map((f) => f.properties.site_id));
  assert.deepEqual(drawn.sort(), r.sites.map((s) => s.id).sort());
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'siting-plan.png') });
  assert.deepEqual(errorsOf(page), []);
});

test('the plan equals the native `bbcov plan` with the same settings', async (t) => {
  if (!native) { t.skip('no native bbcov binary'); return; }
  const expected = nativePlan(SITES);
  const r = first.result;
  t.diagnostic(`native: ${expected.sites.map((s) => `${s.id} +${s.new_households}`).join(', ')}; ${expected.newly_served} of ${expected.unserved_before} newly served`);
  assert.equal(r.demandWeight, expected.unserved_before, 'unserved households before the plan');
  assert.equal(r.candidates, expected.candidates, 'number of candidates');
  assert.deepEqual(r.sites.map((s) => [s.id, s.newHouseholds, s.backhaul]), expected.sites.map((s) => [s.id, s.new_households, s.backhaul]));
  assert.equal(r.newlyServed, expected.newly_served);
  assert.equal(r.bound, expected.bound);
  // Costs depend on distances to fiber (proj4 in the page, PROJ natively: equal to ~1e-9 m).
  r.sites.forEach((s, k) => assert.ok(Math.abs(s.capex - expected.sites[k].capex) <= 1e-6 * expected.sites[k].capex, `${s.id} capex ${s.capex} vs ${expected.sites[k].capex}`));
  assert.ok(Math.abs(r.cost - expected.lifetime_cost) <= 1e-6 * expected.lifetime_cost, `lifetime cost ${r.cost} vs ${expected.lifetime_cost}`);
});

test('the exports hold the proposed sites and the households they serve', async () => {
  const fetchDownload = async (button) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
  };
  const r = first.result;
  const sites = await fetchDownload('#export-plan-csv');
  assert.equal(sites.name, 'proposed-sites.csv');
  const [header, ...rows] = sites.text.trim().split('\n').map((l) => l.split(','));
  for (const c of ['site_id', 'lon', 'lat', 'height_m', 'technology', 'frequency_mhz', 'eirp_dbm', 'new_households', 'backhaul', 'capex']) {
    assert.ok(header.includes(c), `column ${c}`);
  }
  assert.deepEqual(rows.map((row) => [row[header.indexOf('site_id')], Number(row[header.indexOf('new_households')])]),
    r.sites.map((s) => [s.id, s.newHouseholds]));
  const geojson = JSON.parse((await fetchDownload('#export-geojson')).text);
  const proposed = geojson.features.filter((f) => f.properties.feature === 'proposed_site');
  assert.deepEqual(proposed.map((f) => f.properties.site_id), r.sites.map((s) => s.id));
  assert.equal(geojson.bbcov.siting.newly_served, r.newlyServed);
  const households = geojson.features.filter((f) => f.properties.feature !== 'proposed_site');
  const served = households.reduce((s, f) => s + (f.properties.covered_by_plan ? Number(f.properties.households) : 0), 0);
  assert.equal(served, r.newlyServed);
  assert.ok(households.every((f) => !f.properties.covered_by_plan || f.properties.status === 'none'));
  const csv = (await fetchDownload('#export-csv')).text.trim().split('\n');
  const cols = csv[0].split(',');
  assert.equal(cols.at(-1), 'covered_by_plan');
});

test('Cancel stops a run: the panel returns to idle, the plan stays, and the next run still works', async (t) => {
  // Cancel as soon as the coverage of the candidates reports progress.
  await page.evaluate(() => {
    const stage = document.querySelector('#plan-stage');
    const observer = new MutationObserver(() => {
      if (stage.textContent.startsWith('Coverage of each candidate')) {
        observer.disconnect();
        document.querySelector('#plan-cancel').click();
      }
    });
    observer.observe(stage, { childList: true, characterData: true, subtree: true });
  });
  await page.fill('#plan-form input[name="sites"]', '2');
  await page.click('#plan-run');
  await page.waitForFunction(() => document.querySelector('#plan-stage').textContent === 'Cancelled', null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.planning), 'idle');
  assert.ok(await page.isHidden('#plan-cancel'));
  assert.ok(await page.isEnabled('#plan-run'));
  assert.ok(await page.isHidden('#plan-error'));
  assert.equal(await page.evaluate(() => window.bbcovApp.planPanel.runner.busy), false);
  const kept = await page.evaluate(() => window.bbcovApp.state.plan.result.sites.map((s) => s.id));
  assert.deepEqual(kept, first.result.sites.map((s) => s.id), 'the previous plan stays');
  // A new run (in a fresh worker) gives the same plan as the first.
  const again = await planSites(SITES);
  t.diagnostic(`after the cancel: a new run in ${again.elapsedMs.toFixed(0)} ms`);
  assert.deepEqual(again.result, first.result);
  assert.deepEqual(errorsOf(page), []);
});

test('"Add to sites" puts the proposed sites on the map: the unserved count drops by what the plan newly serves', async (t) => {
  const unserved = () => page.evaluate(() => Number(document.querySelector('[data-testid="unserved"]').textContent.replaceAll(',', '')));
  const before = await unserved();
  const n = await page.evaluate(() => window.bbcovApp.state.radioSites.length);
  await page.click('#plan-add');
  await page.waitForFunction((n) => window.bbcovApp.state.radioSites.length === n && !document.querySelector('#plan-run').disabled,
    n + SITES, { timeout: 120_000 });
  const added = await page.evaluate(() => window.bbcovApp.state.radioSites.filter((s) => s.planned).map((s) => [s.id, s.error ?? null]));
  assert.deepEqual(added, first.result.sites.map((s) => [s.id, null]));
  const after = await unserved();
  t.diagnostic(`unserved ${before} -> ${after} with the proposed sites (the plan: ${first.result.newlyServed} newly served)`);
  assert.equal(after, before - first.result.newlyServed);
  assert.ok(await page.evaluate(() => window.bbcovApp.state.plan.stale), 'the plan is out of date once sites changed');
  assert.ok(await page.isDisabled('#plan-add'));
  assert.deepEqual(errorsOf(page), []);
});
