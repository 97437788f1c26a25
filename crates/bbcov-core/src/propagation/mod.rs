//! Propagation models (being written).
