//! Radio coverage over terrain: the path loss and RSRP of a base-station site
//! on every DEM cell within a radius, the best server of many sites with its
//! SINR and a throughput estimate, and the signal at each household.
//!
//! | operation | function / type | module |
//! |---|---|---|
//! | propagation model of a map, validity per site | [`RadioModel`], [`ItmSettings`] | `model` |
//! | path loss, RSRP and line of sight of one site on a grid | [`site_coverage`], [`CoverageMap`], [`CoverageOptions`] | `coverage` |
//! | part of a site's rays (for workers), merged back bit for bit | [`site_coverage_part`], [`CoverageMap::merge_part`] | `coverage` |
//! | best server, SINR, throughput of many sites | [`best_server`], [`BestServerMap`] | `best_server` |
//! | noise per resource element, attenuated Shannon bound | [`noise_per_resource_element_dbm`], [`ThroughputModel`] | `link_budget` |
//! | outdoor-to-indoor penetration loss (TR 38.901 §7.4.3) | [`IndoorLoss`] | `indoor` |
//! | RSRP, SINR and covered flag at each household | [`household_signal`], [`HouseholdSignal`] | `household` |
//!
//! # Link budget
//!
//! RSRP (dBm) = P_tx − L_feeder + G(θ, φ) − 10·log10(12·N_RB) − L_path, with
//! G the antenna gain towards the receiver (bearing and elevation angle,
//! [`Antenna::gain_towards_dbi`](crate::Antenna::gain_towards_dbi)), the
//! power spread evenly over the 12·N_RB subcarriers
//! ([`Site::rsrp_offset_db`](crate::Site::rsrp_offset_db)) and L_path the
//! basic transmission loss of the [`RadioModel`]. The receiver is
//! `receiver_height_m` above the ground of its cell (households: above the
//! bilinear ground at the household), with a 0 dBi antenna.
//!
//! # The radial sweep
//!
//! [`site_coverage`] evaluates every cell on a ray from the site, as SPLAT!
//! and Franklin & Ray's R2 viewshed do: one ray from the centre of the site's
//! cell to the centre of every cell on the edge of the square window around
//! it, the terrain sampled once per ray where the ray crosses the grid lines
//! through the cell centres (linear interpolation between the two nearest
//! centres on that line; the same rays and samples as
//! [`viewshed`](crate::viewshed())). Each cell is computed exactly once, by the
//! ray that passes nearest to its centre (at most half a cell away at the
//! window's edge, m/(2a) cells at m cells from the site in a window of
//! half-width a), on that ray's profile up to the cell: the profile's samples
//! are the ray's, its last point is the cell's own ground, and the distance
//! is the exact distance between the two cell centres (ITM; the diffraction
//! geometry takes the ray's length to the cell's grid line, within 1/(2a) of
//! it). No cell takes a value from a neighbour. Rays are independent and run
//! in parallel with the `parallel` feature; each cell is written by its one
//! ray, so the map does not depend on the number of threads.
//!
//! ITM is kept incrementally along each ray (`RadialItm`: prefix sums for the
//! mean elevation and the least-squares lines, an upper hull for the
//! horizons, the path-independent terms once per map), equal to one
//! [`itm::p2p`](crate::propagation::itm::p2p) per cell on the prefix of its
//! ray's profile up to rounding, at a bounded cost per cell (ITM's Δh
//! resamples at most 245 points); Bullington diffraction is kept incrementally
//! along the ray (an upper convex hull of the samples, O(log n) per cell on
//! trans-horizon paths); TR 38.901 needs only the line of sight, which comes
//! from [`viewshed_with`](crate::viewshed_with) (identical rays), and then
//! one logarithm per cell.
//!
//! The site stands at the centre of the cell that holds its position (as in
//! [`viewshed`](crate::viewshed()), gdal_viewshed and SPLAT!'s grid);
//! [`household_signal`] uses exact positions and an exact profile per
//! household instead.
//!
//! # Near the site
//!
//! The models do not describe the near field: a cell or household nearer
//! (horizontally) than the model's minimum distance (10 m for TR 38.901; for
//! ITM and diffraction, only the site's own cell, at distance 0) gets the
//! free-space loss (ITU-R P.525) over the straight distance from the antenna
//! to the receiver (at least 1 m).
//!
//! # Missing terrain
//!
//! A path that crosses missing terrain (DEM nodata) is an error by default
//! ([`MissingTerrainPolicy::Error`], [`Error::MissingElevation`]
//! naming the cell); with [`MissingTerrainPolicy::Unknown`] its cell gets NaN
//! (unknown) path loss and RSRP and an `Unknown` line-of-sight class unless
//! known terrain already hides it. Missing terrain is never read as sea level.

mod best_server;
mod coverage;
mod household;
mod indoor;
mod link_budget;
mod model;
mod radial_diffraction;
mod sweep;

pub use best_server::{BestServerMap, NO_SERVER, best_server};
pub use coverage::{CoverageMap, CoverageOptions, MissingTerrainPolicy, site_coverage, site_coverage_part};
pub use household::{HouseholdRadioOptions, HouseholdSignal, household_signal};
pub use indoor::IndoorLoss;
pub use link_budget::{ThroughputModel, noise_per_resource_element_dbm};
pub use model::{ItmSettings, RadioModel};

use crate::Error;

/// Wraps an error of one site's computation in [`Error::Site`] (cancellation
/// and errors already naming the site pass through).
pub(crate) fn for_site(site_id: &str) -> impl Fn(Error) -> Error + '_ {
    move |e| match e {
        Error::Cancelled | Error::Site { .. } => e,
        e => Error::Site { site: site_id.to_string(), source: Box::new(e) },
    }
}
