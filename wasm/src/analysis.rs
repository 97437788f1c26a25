//! `summarize`: served / unserved weight per area.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use crate::error::{JsResult, to_js};
use crate::households::JsHouseholds;
use crate::input::set;

/// Served and total weight per value of the area key `by`, sorted by area,
/// then a `"total"` row (the total row only when `by` is left out). `served`
/// has one flag per household (non-zero = served), e.g. `fiberCoverage(...).served`.
#[wasm_bindgen(unchecked_return_type = "AreaSummary[]")]
pub fn summarize(households: &JsHouseholds, served: &[u8], by: Option<String>) -> JsResult<Array> {
    let served: Vec<bool> = served.iter().map(|&s| s != 0).collect();
    let rows = bbcov_core::summarize(&households.0, &served, by.as_deref()).map_err(to_js)?;
    Ok(rows
        .iter()
        .map(|r| {
            let row = Object::new();
            set(&row, "area", r.area.as_str());
            set(&row, "points", r.points as f64);
            set(&row, "weight", r.weight);
            set(&row, "servedPoints", r.served_points as f64);
            set(&row, "servedWeight", r.served_weight);
            set(&row, "unservedWeight", r.unserved_weight());
            set(&row, "servedRate", r.served_rate());
            JsValue::from(row)
        })
        .collect())
}
