//! # bbcov-samples
//!
//! Generates the bbcov sample region, "Sample Islands": a fictional archipelago
//! west of Kyushu (a 45 x 35 km box around 32.8 N, 128.85 E) with a main island,
//! two medium islands and two islets, their terrain and bathymetry, villages and
//! households, roads, fiber (with gaps and a submarine cable) and existing base
//! stations. Everything follows from one seed: the same seed gives the same
//! region, and the same DEM and CSV bytes.
//!
//! ## Operations
//!
//! | step | function / type | module |
//! |---|---|---|
//! | islands, municipalities, region box | [`archipelago::islands`] | `archipelago` |
//! | seeded random numbers | [`prng::Rng`] | `prng` |
//! | gradient noise, fBm, ridged multifractal | [`noise::Noise`] | `noise` |
//! | terrain and bathymetry | [`terrain::Dem::generate`] | `terrain` |
//! | coarse grid for siting and routing | [`land_grid::LandGrid`] | `land_grid` |
//! | villages and household points | [`settlements::site_villages`], [`settlements::place_buildings`] | `settlements` |
//! | road network (least-cost paths) | [`roads::RoadNetwork::build`] | `roads` |
//! | fiber routes and submarine cable | [`fiber::lay_fiber`] | `fiber` |
//! | existing base stations | [`towers::erect_towers`] | `towers` |
//! | coastline polygons (marching squares) | [`coastline::land_polygons`] | `coastline` |
//! | the whole region in memory | [`Region::generate`] | `region` |
//! | files (GeoTIFF, GeoPackage, GeoJSON, CSV, TOML) | [`export::write_region`] | `export` |

pub mod archipelago;
pub mod coastline;
pub mod export;
pub mod fiber;
pub mod land_grid;
pub mod noise;
pub mod prng;
pub mod region;
pub mod roads;
pub mod settlements;
pub mod terrain;
pub mod towers;

pub use region::{Config, DEFAULT_SEED, Region};
