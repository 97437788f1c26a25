//! I/O (being written).
