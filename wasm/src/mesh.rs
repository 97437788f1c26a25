//! JIS X 0410 grid squares over typed arrays.

use bbcov_core::mesh::{self, MeshCode, MeshLevel};
use js_sys::{Array, Float64Array, Object};
use wasm_bindgen::prelude::*;

use crate::error::{JsResult, invalid_input, to_js};
use crate::input::{points, set, string_array};

fn level(text: &str) -> JsResult<MeshLevel> {
    text.parse().map_err(invalid_input)
}

/// The code (all digits) of the square of `level` (`80km`, `10km`, `1km`,
/// `500m`, `250m` or `125m`) that contains each point (`lon[i]`, `lat[i]`).
#[wasm_bindgen(js_name = meshEncode, unchecked_return_type = "string[]")]
pub fn mesh_encode(lon: &[f64], lat: &[f64], level: &str) -> JsResult<Array> {
    let level = self::level(level)?;
    let codes = mesh::encode_all(&points(lon, lat, "grid-square")?, level).map_err(to_js)?;
    let codes: Vec<String> = codes.iter().map(ToString::to_string).collect();
    Ok(string_array(codes.iter().map(String::as_str)))
}

/// Total weight (a count without weights) per square of `level` holding at
/// least one point, in code order.
#[wasm_bindgen(js_name = meshAggregate, unchecked_return_type = "MeshTotals")]
pub fn mesh_aggregate(lon: &[f64], lat: &[f64], level: &str, weights: Option<Vec<f64>>) -> JsResult<Object> {
    let level = self::level(level)?;
    let totals = mesh::aggregate(&points(lon, lat, "grid-square")?, weights.as_deref(), level).map_err(to_js)?;
    let codes: Vec<String> = totals.keys().map(ToString::to_string).collect();
    let values: Vec<f64> = totals.values().copied().collect();
    let out = Object::new();
    set(&out, "codes", string_array(codes.iter().map(String::as_str)));
    set(&out, "totals", Float64Array::from(values.as_slice()));
    Ok(out)
}

/// The extent `[west, south, east, north]` (degrees) of the square `code`.
#[wasm_bindgen(js_name = meshBounds)]
pub fn mesh_bounds(code: &str) -> JsResult<Float64Array> {
    let code: MeshCode = code.parse().map_err(to_js)?;
    let [[west, south], [east, north]] = code.bounds();
    Ok(Float64Array::from(&[west, south, east, north][..]))
}
