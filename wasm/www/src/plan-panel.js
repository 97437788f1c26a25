// The "Plan new sites" panel: the goal (number of sites, budget or share of
// the unserved), a run in the siting worker with a progress bar and a
// Cancel button, and the plan: proposed sites on the map and in a table
// with the households each newly serves, their backhaul and cost.
import { download } from './export.js';
import { setData, showPopup } from './map.js';
import { CancelledError, planInput, proposedCsv, proposedFeatures, SitingRunner, STAGES } from './siting.js';

const $ = (sel) => document.querySelector(sel);
const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const money = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The goal of the form as `planSites` options; throws a message for a bad value. */
function goalOf(form) {
  const goal = form.goal.value;
  const value = Number(form[goal].value);
  if (form[goal].value === '' || !Number.isFinite(value)) throw new Error(`give a number for the ${goal === 'sites' ? 'number of sites' : goal === 'budget' ? 'budget' : 'share'}`);
  if (goal === 'targetShare') return { targetShare: value / 100 };
  return { [goal]: value };
}

/**
 * Sets up the panel. `app`: `{ state, map, radio, addSite }` (the page's
 * state, the MapLibre map, the radio settings and the page's `addSite(lonLat,
 * props, xy)`). The plan lands in `state.plan`: `{ result, options, demand,
 * elapsedMs, stale }`; `onPlan()` is called when it changes.
 */
export function setUpPlanPanel({ state, map, radio, addSite, onPlan = () => {} }) {
  const runner = new SitingRunner();
  const form = $('#plan-form');
  const ui = {
    run: $('#plan-run'), cancel: $('#plan-cancel'), progress: $('#plan-progress'), bar: $('#plan-bar'),
    stage: $('#plan-stage'), error: $('#plan-error'), result: $('#plan-result'),
  };
  const root = document.documentElement;

  // The progress line stays after a run (Done, Cancelled); its bar only while running.
  const setBusy = (busy) => {
    ui.run.disabled = busy;
    ui.cancel.hidden = !busy;
    ui.bar.hidden = !busy;
    if (busy) ui.progress.hidden = false;
    root.dataset.planning = busy ? 'running' : 'idle';
  };
  const showError = (message) => {
    ui.error.hidden = !message;
    ui.error.textContent = message ?? '';
  };
  const onProgress = ({ stage, done, total }) => {
    ui.bar.max = Math.max(total, 1);
    ui.bar.value = done;
    ui.stage.textContent = `${STAGES[stage] ?? stage}${total > 1 ? ` · ${done} of ${total}` : ''}`;
    state.planProgress = [...(state.planProgress ?? []), { stage, done, total }];
  };

  form.addEventListener('input', (e) => {
    // Typing in a goal's box selects that goal.
    if (e.target.type === 'number') form.goal.value = e.target.name;
  });
  form.onsubmit = async (e) => {
    e.preventDefault();
    showError(null);
    let input, settings;
    try {
      if (!state.terrain) throw new Error('load a DEM first: candidates and coverage are computed over the terrain');
      if (!state.households || !state.hhDem) throw new Error('load households first');
      if (!state.fiber) throw new Error('load fiber routes first: they are the backhaul and decide who is unserved');
      if (!state.coverage) throw new Error('the fiber coverage is not computed: see the message above');
      settings = goalOf(form);
      input = planInput(state, settings, radio);
      if (!input.demand.length) throw new Error('no household is unserved: nothing to plan');
    } catch (err) {
      showError(err.message);
      return;
    }
    setBusy(true);
    state.planProgress = [];
    onProgress({ stage: 'candidates', done: 0, total: 1 });
    const t0 = performance.now();
    try {
      const result = await runner.run(input, onProgress);
      state.plan = { result, options: input.options, demand: input.demand, elapsedMs: performance.now() - t0, stale: false };
      render();
      onPlan();
    } catch (err) {
      if (err instanceof CancelledError) ui.stage.textContent = 'Cancelled';
      else {
        ui.stage.textContent = 'Failed';
        showError(err.message);
      }
    } finally {
      setBusy(false);
    }
  };
  ui.cancel.onclick = () => runner.cancel();
  $('#plan-clear').onclick = () => {
    state.plan = null;
    render();
    onPlan();
  };
  $('#plan-add').onclick = async () => {
    const plan = state.plan;
    if (!plan || plan.stale) return;
    // The proposed sites become sites on the map (with their coverage), one at a time.
    ui.run.disabled = $('#plan-add').disabled = true;
    showError(null);
    try {
      for (const f of proposedFeatures(plan, state.terrain.toLonLat)) {
        const s = plan.result.sites[f.properties.order - 1];
        const p = f.properties;
        await addSite(f.geometry.coordinates, {
          site_id: p.site_id, height_m: p.height_m, technology: p.technology, frequency_mhz: p.frequency_mhz,
          bandwidth_mhz: plan.options.bandwidthMhz, eirp_dbm: p.eirp_dbm,
        }, [s.x, s.y]);
      }
    } catch (err) {
      showError(err.message);
    } finally {
      ui.run.disabled = false;
      render();
    }
  };
  $('#export-plan-csv').onclick = () => {
    if (!state.plan) return;
    download(proposedCsv(state.plan, state.terrain.toLonLat), 'proposed-sites.csv', 'text/csv');
  };
  $('#plan-table').addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-k]');
    const f = row && proposedFeatures(state.plan, state.terrain.toLonLat)[Number(row.dataset.k)];
    if (!f) return;
    map.flyTo({ center: f.geometry.coordinates, zoom: Math.max(map.getZoom(), 12) });
    showPopup(map, f.geometry.coordinates, proposedPopup(f.properties));
  });
  map.on('click', 'proposed-symbol', (e) => {
    const f = e.features?.[0];
    if (f) showPopup(map, f.geometry.coordinates, proposedPopup(f.properties));
  });

  /** The plan on the map and in the panel. */
  function render() {
    const plan = state.plan;
    ui.result.hidden = !plan;
    setData(map, 'proposed', plan ? { type: 'FeatureCollection', features: proposedFeatures(plan, state.terrain.toLonLat) } : null);
    if (!plan) return;
    const r = plan.result;
    $('#plan-add').disabled = plan.stale;
    const summary = $('#plan-summary');
    summary.classList.toggle('stale', plan.stale);
    summary.innerHTML = `<strong data-testid="plan-newly-served">${fmt.format(r.newlyServed)}</strong> of ${fmt.format(r.demandWeight)} unserved households newly served by
      ${r.sites.length} new site${r.sites.length === 1 ? '' : 's'} (${escape(r.problem)}; ${r.candidates} candidates; optimum at most ${fmt.format(r.bound)}${r.gap > 0 ? `, gap ${(100 * r.gap).toFixed(2)} %` : ', proven optimal'}),
      ${money.format(r.cost)} over ${r.years} years. Computed in ${(plan.elapsedMs / 1000).toFixed(1)} s.
      ${plan.stale ? '<br><em>Sites or layers changed since: plan again for an up-to-date plan.</em>' : ''}`;
    $('#plan-table').innerHTML = `<thead><tr><th>#</th><th>Site</th><th>New hh</th><th>Backhaul</th><th>Capex</th></tr></thead><tbody>${
      r.sites.map((s, k) => `<tr data-k="${k}"><td>${k + 1}</td><td>${escape(s.id)}</td><td>${fmt.format(s.newHouseholds)}</td>
        <td>${escape(s.backhaul)} ${fmt.format(s.backhaulKm)} km</td><td>${money.format(s.capex)}</td></tr>`).join('')
    }<tr class="total"><td></td><td>Total</td><td>${fmt.format(r.newlyServed)}</td><td></td><td>${money.format(r.capex)}</td></tr></tbody>`;
  }

  setBusy(false);
  return {
    runner,
    render,
    /** Marks the plan as made for other sites or layers than the current ones. */
    markStale() {
      if (state.plan && !state.plan.stale) {
        state.plan.stale = true;
        render();
      }
    },
  };
}

function proposedPopup(p) {
  const rows = [
    ['new households', fmt.format(p.new_households)], ['households it covers alone', fmt.format(p.coverable_households)],
    ['backhaul', `${p.backhaul} ${fmt.format(p.backhaul_km)} km${p.backhaul_to ? ` to ${p.backhaul_to}` : ''}`],
    ['capex', money.format(p.capex)], ['opex / year', money.format(p.opex_per_year)],
    ['site', `${p.technology} ${p.frequency_mhz} MHz, ${p.eirp_dbm} dBm EIRP, ${p.height_m} m mast`], ['candidate', p.source],
  ].map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('');
  return `<h3>Proposed site ${escape(p.order)}: ${escape(p.site_id)}</h3><p class="muted">From the siting plan (not yet a site on the map)</p><table>${rows}</table>`;
}
