//! Radio propagation: path loss between a base station and a terminal.
//!
//! | model | function / type | source | validity |
//! |---|---|---|---|
//! | free space | [`free_space_loss_db`], [`FreeSpace`] | ITU-R P.525-4 eq. (4) | far field |
//! | Okumura-Hata (urban, suburban, open) | [`Hata`] | Hata 1980; COST 231 eq. (4.4.1) | 150-1500 MHz, hb 30-200 m, hm 1-10 m, 1-20 km |
//! | COST-231 Hata | [`Cost231Hata`] | COST 231 Final Report eq. (4.4.3) | 1500-2000 MHz, hb 30-200 m, hm 1-10 m, 1-20 km |
//! | RMa / UMa / UMi-Street Canyon, LOS and NLOS | [`Tr38901`] | 3GPP TR 38.901 Table 7.4.1-1 | 0.5-30 GHz (RMa), 0.5-100 GHz; 10 m-5 km (RMa LOS 10 km) |
//! | LOS probability | [`los_probability`] | 3GPP TR 38.901 Table 7.4.2-1 | |
//! | knife-edge loss J(ν) | [`knife_edge_loss_db`], [`diffraction_parameter`] | ITU-R P.526-15 eqs. (31), (26) | ν > -0.78 (0 dB below) |
//! | single dominant knife edge | [`single_knife_edge`] | ITU-R P.526-15 §4.1 | |
//! | Bullington equivalent knife edge | [`bullington`] | ITU-R P.526-15 §4.5.1 | |
//! | Deygout, up to 3 edges | [`deygout`] | Deygout 1966 | |
//! | Longley-Rice irregular terrain model | [`itm`] | NTIA ITM | |
//!
//! The site-general models take a [`LinkGeometry`] and refuse links outside
//! their validity range with [`Error::OutOfValidityRange`](crate::Error::OutOfValidityRange)
//! unless their `extrapolate` flag is set; [`PathLossModel`] chooses one per
//! link. The terrain methods take a [`TerrainProfile`] (distances and ground
//! heights, Earth curvature through the effective radius factor k).
//!
//! ```
//! use bbcov_core::propagation::{LinkGeometry, LosCondition, PathLossModel, Tr38901, Tr38901Scenario};
//! let model = PathLossModel::Tr38901(Tr38901::new(Tr38901Scenario::RMa, LosCondition::Nlos));
//! let link = LinkGeometry { distance_2d_m: 3_000.0, tx_height_m: 35.0, rx_height_m: 1.5, frequency_mhz: 3_500.0 };
//! let loss = model.loss_db(&link)?;
//! assert!(loss > 120.0 && loss < 160.0);
//! # Ok::<(), bbcov_core::Error>(())
//! ```

mod cost231;
mod decibels;
mod diffraction;
mod free_space;
mod hata;
pub mod itm;
mod link;
mod tr38901;
mod validity;

pub use cost231::Cost231Hata;
pub use diffraction::{
    Bullington, Deygout, KnifeEdge, TerrainProfile, bullington, deygout, diffraction_parameter, knife_edge_loss_db,
    single_knife_edge,
};
pub(crate) use diffraction::bullington_loss_db;
pub(crate) use free_space::FreeSpaceAt;
pub use free_space::{FreeSpace, SPEED_OF_LIGHT_M_PER_S, free_space_loss_db};
pub use hata::{Hata, HataEnvironment};
pub use link::{LinkGeometry, PathLossModel};
pub use tr38901::{LosCondition, Tr38901, Tr38901Scenario, los_probability};
