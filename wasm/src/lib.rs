//! # bbcov-wasm
//!
//! WebAssembly bindings of [`bbcov_core`] for the browser map (and Node).
//! Thin: every function converts its JavaScript arguments, calls the core and
//! converts the result back; errors become JavaScript `Error`s with the same
//! message as in Rust (see [`error`]). Built without the `parallel` feature
//! (no threads); results are the native build's, bit for bit in a projected
//! CRS and to about 2e-9 m in lon/lat (last-bit differences of sin, cos, ...
//! between glibc and Rust's libm in the local transverse Mercator frame).
//!
//! | JavaScript | core | module |
//! |---|---|---|
//! | `new Households(x, y, {epsg, weights, ids, areas})` | [`bbcov_core::Households`] | `households` |
//! | `new FiberNetwork(coords, offsets, {epsg, ids})`, `FiberNetwork.fromLines(lines, {epsg, ids})` | [`bbcov_core::FiberNetwork`] | `fiber` |
//! | `fiberCoverage(households, fiber, maxDropM = 300)` | [`bbcov_core::fiber_coverage`] | `fiber` |
//! | `summarize(households, served, by?)` | [`bbcov_core::summarize`] | `analysis` |
//! | `meshEncode(lon, lat, level)`, `meshAggregate(lon, lat, level, weights?)`, `meshBounds(code)` | [`bbcov_core::mesh`] | `mesh` |
//! | `new Dem(heights, width, height, geotransform, epsg, nodata?)` | [`bbcov_core::Dem`] | `dem` |
//! | `new Site(id, x, y, options)`, `siteCoverage(dem, site, options)`, `siteCoveragePart(dem, site, options, part, parts)`, `householdSignal(dem, sites, households, options)` | [`bbcov_core::Site`], [`bbcov_core::site_coverage`], [`bbcov_core::radio::site_coverage_part`], [`bbcov_core::household_signal`] | `radio` |
//! | `planSites(dem, households, demand, fiber, existing, options, onProgress)` | [`bbcov_core::high_points`], [`bbcov_core::grid_candidates`], [`bbcov_core::filter_candidates`], [`bbcov_core::siting::coverage_sets_from_radio`], [`bbcov_core::backhaul()`], [`bbcov_core::siting::max_covering_with`] (budgeted, target share) | `siting` (feature `siting`) |
//!
//! Coordinates are lon/lat degrees when `epsg` is left out, else metres in
//! the projected CRS `epsg` (as in the Python bindings).

mod analysis;
mod dem;
pub mod error;
mod fiber;
mod households;
mod input;
mod mesh;
mod radio;
#[cfg(feature = "siting")]
mod siting;

use wasm_bindgen::prelude::*;

pub use analysis::summarize;
pub use dem::JsDem;
pub use fiber::{JsFiberNetwork, fiber_coverage};
pub use households::JsHouseholds;
pub use mesh::{mesh_aggregate, mesh_bounds, mesh_encode};
pub use radio::{JsSite, household_signal, site_coverage, site_coverage_part};
#[cfg(feature = "siting")]
pub use siting::plan_sites;

/// A panic is a bug in bbcov, never a reaction to bad input: report it as a
/// JavaScript `Error` (name `BbcovError`) instead of an opaque wasm trap.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        wasm_bindgen::throw_val(error::internal(&info.to_string()));
    }));
}

/// The version of bbcov.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Options of `new Households`. */
export interface HouseholdsOptions {
  /** EPSG code of the projected CRS of x/y (metres); leave out for lon/lat degrees. */
  epsg?: number | null;
  /** Households (or people) per point; 1 per point when left out. */
  weights?: Float64Array | number[] | null;
  /** One id per point. */
  ids?: string[] | null;
  /** Area keys: for each key name, one value per point. */
  areas?: Record<string, string[]> | null;
}
/** Options of `new FiberNetwork` and `FiberNetwork.fromLines`. */
export interface FiberNetworkOptions {
  /** EPSG code of the projected CRS (metres); leave out for lon/lat degrees. */
  epsg?: number | null;
  /** One id per line. */
  ids?: string[] | null;
}
/** The result of `fiberCoverage`. */
export interface FiberCoverage {
  /** Distance (m) from each household to the nearest route. */
  distances: Float64Array;
  /** 1 where the household is within `maxDropM`, else 0. */
  served: Uint8Array;
  /** Index of each household's nearest line in the network. */
  nearestRoutes: Uint32Array;
  /** Number of household points. */
  count: number;
  /** Number of served household points. */
  servedCount: number;
  /** The drop limit (m). */
  maxDropM: number;
}
/** One row of `summarize`. */
export interface AreaSummary {
  area: string;
  points: number;
  weight: number;
  servedPoints: number;
  servedWeight: number;
  unservedWeight: number;
  /** Served share of the weight in [0, 1]. */
  servedRate: number;
}
/** Options of `new Site` (as the columns of the CLI's sites CSV). */
export interface SiteOptions {
  heightM: number;
  /** "4G"/"LTE", "5G"/"NR"/"local5G" (FR1 or FR2 by frequency); "4G" when left out. */
  technology?: string;
  frequencyMhz: number;
  bandwidthMhz?: number;
  txPowerDbm?: number;
  eirpDbm?: number;
  gainDbi?: number;
  /** Sector bearing (degrees); leave out (or omni: true) for an omni antenna. */
  azimuthDeg?: number | null;
  omni?: boolean;
  downtiltDeg?: number;
  feederLossDb?: number;
}
/** Options of `siteCoverage`. */
export interface CoverageOptions {
  radiusM?: number;
  model?: "diffraction" | "itm";
  rxHeightM?: number;
  thresholdDbm?: number;
}
/** Options of `householdSignal`. */
export interface HouseholdSignalOptions extends CoverageOptions {
  /** TR 38.901 O2I low-loss penetration (true by default, as the CLI). */
  indoor?: boolean;
  load?: number;
  noiseFigureDb?: number;
}
/** The result of `siteCoverage`: a window of the DEM. */
export interface SiteCoverage {
  rsrp: Float32Array;
  rows: number;
  cols: number;
  geotransform: Float64Array;
  demOffset: [number, number];
  thresholdDbm: number;
  coveredCount: number;
}
/** The result of `householdSignal`. */
export interface HouseholdSignals {
  rsrp: Float64Array;
  covered: Uint8Array;
  servingSite: Int32Array;
  coveredCount: number;
}
/** Options of `planSites`: the `[plan]` and `[radio]` tables of a region file. */
export interface PlanOptions extends HouseholdSignalOptions {
  /** Maximal covering with this many new sites (5 when neither budget nor targetShare is given). */
  sites?: number;
  /** Budgeted covering: the new sites' capex + years × opex, backhaul included. */
  budget?: number;
  /** The cheapest plan serving this share (0–1] of the demand. */
  targetShare?: number;
  /** Offer the existing sites' structures as candidates (true). */
  towersAsCandidates?: boolean;
  highPointRadiusM?: number;
  highPointReliefM?: number;
  /** Spacing of the grid of candidates (m; 0: none). */
  gridSpacingM?: number;
  maxSlopeDeg?: number;
  /** New sites: "5G" (default), "4G" or "local5G", 1800 MHz, 20 MHz, 60 dBm EIRP, 40 m mast. */
  technology?: string;
  frequencyMhz?: number;
  bandwidthMhz?: number;
  eirpDbm?: number;
  mastHeightM?: number;
  siteCapex?: number;
  fiberCapexPerKm?: number;
  microwaveLinkCapex?: number;
  years?: number;
}
/** One new site of a `planSites` plan, in greedy order. */
export interface PlannedSite {
  id: string;
  /** Position in the DEM's CRS (m). */
  x: number;
  y: number;
  source: "high point" | "grid" | "existing structure" | "user";
  /** Demand weight this site adds to the sites before it. */
  newHouseholds: number;
  /** Demand weight it would serve alone. */
  coverableHouseholds: number;
  backhaul: "fiber" | "microwave";
  backhaulKm: number;
  /** The microwave hop's far end (an existing site or a candidate); "" for fiber. */
  backhaulTo: string;
  capex: number;
  opexPerYear: number;
}
/** The result of `planSites`. */
export interface SitingResult {
  problem: string;
  sites: PlannedSite[];
  /** Demand weight the plan serves. */
  newlyServed: number;
  demandWeight: number;
  coverableWeight: number;
  /** Upper bound (covering) or lower bound (target share) on the optimum. */
  bound: number;
  gap: number;
  /** Lifetime cost (capex + years × opex) of the new sites. */
  cost: number;
  capex: number;
  years: number;
  candidates: number;
  /** 1 where the demand point is served by the plan. */
  covered: Uint8Array;
}
/** The result of `meshAggregate`. */
export interface MeshTotals {
  /** Grid-square codes (all digits), in code order. */
  codes: string[];
  /** Total weight per code. */
  totals: Float64Array;
}
"#;
