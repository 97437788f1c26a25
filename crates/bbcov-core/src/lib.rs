//! # bbcov-core
//!
//! The model and algorithms of bbcov, a broadband coverage engine: which
//! households fiber reaches, where radio reaches over terrain, who is left
//! unserved, and where new base stations should go. Pure Rust: no file I/O, no
//! C libraries, no global state; it builds for `wasm32-unknown-unknown`.
//! Multithreading (rayon) sits behind the default feature `parallel`; results
//! are identical with and without it.
//!
//! ## Operations
//!
//! | operation | function / type | module |
//! |---|---|---|
//! | lon/lat ↔ local metres (transverse Mercator) | [`LocalFrame`] | `projection` |
//! | common frame of several layers | [`StudyFrame::resolve`] | `frame` |
//! | households with weights and area keys | [`Households`] | `households` |
//! | fiber routes | [`FiberNetwork`] | `fiber_network` |
//! | distance to fiber, served flag | [`fiber_coverage`], [`fiber_coverage_with`] | `fiber` |
//! | served / unserved per area; fiber / radio / both / none per area | [`summarize`], [`summarize_services`] | `analysis` |
//! | regulator metrics: fiber availability rate, population coverage by 500 m square, share of 10 km squares with a 5G station | [`fiber_availability`], [`population_coverage_by_square`], [`base_station_square_share`] | `metrics` |
//! | JIS X 0410 grid squares | [`mesh`] | `mesh` |
//! | elevation grid, bilinear sampling, nodata | [`Dem`], [`GeoTransform`] | `dem` |
//! | terrain profile, earth bulge (effective radius k) | [`terrain_profile`], [`earth_bulge_m`] | `profile` |
//! | viewshed (R2 rays), line of sight (R3) | [`viewshed()`], [`line_of_sight`] | [`viewshed`](mod@viewshed) |
//! | radio coverage of a site (path loss, RSRP, LOS), best server with SINR and throughput, household RSRP | [`site_coverage`], [`best_server`], [`household_signal`] | [`radio`] |
//! | candidate sites: terrain high points, grid, listed structures; land / slope (Horn) / road-distance filters | [`high_points`], [`grid_candidates`], [`listed_candidates`], [`filter_candidates`], [`slope_deg`] | `candidates` |
//! | backhaul per candidate: fiber extension or microwave hop with 60 % first-Fresnel clearance, costed | [`backhaul`], [`fresnel_radius_m`], [`fresnel_clearance_ratio`], [`CostTable`] | `backhaul` |
//! | the whole analysis of a region (fiber, radio, unserved, candidates, backhaul, plan, metrics, fiber extension scenario) | [`analyze_region`], [`fiber_extension`] | `region` |
//! | base-station siting: maximal / budgeted / target-share covering with optimality gap | [`siting::max_covering`], [`siting::budgeted_covering`], [`siting::target_covering`] | `siting` |
//!
//! ## Example
//!
//! ```
//! use bbcov_core::{Crs, FiberNetwork, Households, fiber_coverage, summarize};
//! let hh = Households::new(Crs::LonLat, vec![[128.840, 32.700], [128.860, 32.720]], Some(vec![12.0, 3.0]), None)?;
//! let fiber = FiberNetwork::new(Crs::LonLat, vec![vec![[128.83, 32.701], [128.85, 32.701]]], None)?;
//! let cov = fiber_coverage(&hh, &fiber, 300.0)?;
//! let total = summarize(&hh, &cov.served(), None)?.pop().unwrap();
//! assert_eq!((total.served_weight, total.weight), (12.0, 15.0));
//! # Ok::<(), bbcov_core::Error>(())
//! ```

mod analysis;
pub mod antenna;
mod backhaul;
mod candidates;
mod crs;
mod dem;
mod error;
mod fiber;
mod fiber_network;
mod frame;
mod households;
mod metrics;
pub mod mesh;
mod parallel;
mod profile;
mod progress;
pub mod propagation;
mod projection;
pub mod radio;
mod region;
mod site;
pub mod siting;
pub mod viewshed;

pub use analysis::{AreaSummary, Service, ServiceSummary, summarize, summarize_services};
pub use antenna::{Antenna, AntennaPattern, SectorPattern};
pub use backhaul::{
    BackhaulKind, BackhaulOption, BackhaulOptions, CandidateBackhaul, CostTable, HopEnd, Hub, MicrowaveOptions,
    SPEED_OF_LIGHT_M_PER_S, backhaul, fresnel_clearance_ratio, fresnel_radius_m,
};
pub use candidates::{
    Candidate, CandidateFilter, CandidateSource, filter_candidates, grid_candidates, high_points, listed_candidates, slope_deg,
};
pub use crs::Crs;
pub use dem::{
    Dem, GeoTransform, MAX_DEM_CELLS, MAX_DEM_SIDE, MAX_PLAUSIBLE_ELEVATION_M, MIN_PLAUSIBLE_ELEVATION_M,
    PIXEL_SIZE_RANGE_M,
};
pub use error::{Error, Result};
pub use fiber::{FiberCoverage, FiberOptions, fiber_coverage, fiber_coverage_with};
pub use fiber_network::FiberNetwork;
pub use frame::StudyFrame;
pub use households::{AreaColumn, Households};
pub use metrics::{
    PopulationCoverage, SquareCoverage, SquareCoverageOptions, SquareUniverse, StationSquareShare, base_station_square_share,
    fiber_availability, population_coverage_by_square,
};
pub use profile::{
    EARTH_RADIUS_M, MAX_PROFILE_SAMPLES, Profile, STANDARD_K_FACTOR, earth_bulge_m, effective_earth_radius_m,
    terrain_profile,
};
pub use progress::Progress;
pub use propagation::{LinkGeometry, PathLossModel};
pub use projection::{Ellipsoid, LocalFrame, MAX_FRAME_HALF_WIDTH_KM};
pub use radio::{
    BestServerMap, CoverageMap, CoverageOptions, HouseholdRadioOptions, HouseholdSignal, IndoorLoss, ItmSettings,
    MissingTerrainPolicy, NO_SERVER, RadioModel, ThroughputModel, best_server, household_signal,
    noise_per_resource_element_dbm, site_coverage,
};
pub use region::{
    FiberExtension, FiberExtensionSettings, FiberSpur, PlanSettings, RadioSettings, RegionError, RegionInputs, RegionOutcome,
    RegionSettings, SquareMetrics, TechnologyRadio, ToLonLat, analyze_region, fiber_extension, technology_key,
};
pub use site::{Site, Technology};
pub use viewshed::{
    MissingTerrain, Viewshed, ViewshedOptions, Visibility, line_of_sight, viewshed, viewshed_with,
};
