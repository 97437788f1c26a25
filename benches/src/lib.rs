//! Inputs and result summaries shared by the bbcov benches and the runners
//! that compare bbcov with peer tools on the same files.
//!
//! | what | module |
//! |---|---|
//! | seeded synthetic region: clustered households, 10,000-segment fiber network | [`region`] |
//! | the peers' fiber result summary (counts, sum, numpy percentiles) | [`summary`] |

pub mod region;
pub mod summary;
