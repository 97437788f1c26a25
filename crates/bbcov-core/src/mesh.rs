//! JIS X 0410 grid squares (being written).
