//! `FiberNetwork` and `fiberCoverage`.

use bbcov_core::FiberNetwork;
use js_sys::{Array, Float64Array, Object, Uint8Array, Uint32Array};
use wasm_bindgen::prelude::*;

use crate::error::{JsResult, invalid_input, to_js};
use crate::households::JsHouseholds;
use crate::input::{FiberNetworkOptions, Options, epsg_of, set, string_array};

/// Name of the layer in the bindings' own messages, as in the core's.
const LAYER: &str = "fiber routes";

/// Drop limit (m) of `fiberCoverage` when none is given (as in the CLI and Python).
const DEFAULT_MAX_DROP_M: f64 = 300.0;

/// Fiber routes as polylines.
#[wasm_bindgen(js_name = FiberNetwork)]
pub struct JsFiberNetwork(pub(crate) FiberNetwork);

const OPTIONS: [&str; 2] = ["epsg", "ids"];

fn build(lines: Vec<Vec<[f64; 2]>>, options: Option<FiberNetworkOptions>) -> JsResult<JsFiberNetwork> {
    let options = Options::new(options.map(JsValue::from), LAYER, &OPTIONS)?;
    FiberNetwork::new(options.crs()?, lines, options.strings("ids")?).map(JsFiberNetwork).map_err(to_js)
}

#[wasm_bindgen(js_class = FiberNetwork)]
impl JsFiberNetwork {
    /// Validates and builds a network from flat arrays (GeoArrow style): the
    /// vertices of all lines interleaved as x0, y0, x1, y1, ... in `coords`,
    /// and line `i` = vertices `offsets[i]` to `offsets[i + 1]` (exclusive),
    /// so `offsets` rises from 0 to the number of vertices. Throws on an
    /// empty network, a line of fewer than 2 points or of zero length, or a
    /// bad coordinate, naming the line.
    #[wasm_bindgen(constructor)]
    pub fn new(coords: &[f64], offsets: &[u32], options: Option<FiberNetworkOptions>) -> JsResult<JsFiberNetwork> {
        if coords.len() % 2 != 0 {
            return Err(invalid_input(format!(
                "{LAYER}: coords must hold x, y pairs (an even number of values), got {} values",
                coords.len()
            )));
        }
        let n = coords.len() / 2;
        let valid = offsets.first() == Some(&0)
            && offsets.last().map(|&o| o as usize) == Some(n)
            && offsets.windows(2).all(|w| w[0] <= w[1]);
        if !valid {
            return Err(invalid_input(format!("{LAYER}: offsets must rise from 0 to the number of vertices ({n})")));
        }
        let lines = offsets
            .windows(2)
            .map(|w| coords[2 * w[0] as usize..2 * w[1] as usize].chunks_exact(2).map(|p| [p[0], p[1]]).collect())
            .collect();
        build(lines, options)
    }

    /// Validates and builds a network from GeoJSON-style lines: an array of
    /// LineString coordinate arrays `[[x, y], ...]` (extra ordinates such as z
    /// are ignored). Give a MultiLineString as several lines with the same id.
    #[wasm_bindgen(js_name = fromLines)]
    pub fn from_lines(
        #[wasm_bindgen(unchecked_param_type = "number[][][]")] lines: JsValue,
        options: Option<FiberNetworkOptions>,
    ) -> JsResult<JsFiberNetwork> {
        let shape = |what: String| invalid_input(format!("{LAYER}: {what}"));
        if !Array::is_array(&lines) {
            return Err(shape("lines must be an array of LineString coordinate arrays [[x, y], ...]".into()));
        }
        let lines: &Array = lines.unchecked_ref();
        let lines = lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                if !Array::is_array(&line) {
                    return Err(shape(format!("line {i} is not an array of [x, y] points")));
                }
                Array::from(&line)
                    .iter()
                    .enumerate()
                    .map(|(j, p)| {
                        let xy = Array::is_array(&p)
                            .then(|| Array::from(&p))
                            .and_then(|p| Some([p.get(0).as_f64()?, p.get(1).as_f64()?]));
                        xy.ok_or_else(|| shape(format!("line {i}, point {j} is not an [x, y] pair of numbers")))
                    })
                    .collect()
            })
            .collect::<JsResult<Vec<Vec<[f64; 2]>>>>()?;
        build(lines, options)
    }

    /// Number of lines.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.0.len()
    }

    /// EPSG code of the projected CRS, or `undefined` for lon/lat degrees.
    #[wasm_bindgen(getter)]
    pub fn epsg(&self) -> Option<u32> {
        epsg_of(self.0.crs())
    }

    /// Number of non-degenerate segments.
    #[wasm_bindgen(getter, js_name = segmentCount)]
    pub fn segment_count(&self) -> usize {
        self.0.segment_count()
    }

    /// Total planar length (m); `undefined` for lon/lat networks.
    #[wasm_bindgen(getter, js_name = lengthM)]
    pub fn length_m(&self) -> Option<f64> {
        self.0.length_m()
    }

    /// Ids, or `undefined` when the network has none.
    #[wasm_bindgen(unchecked_return_type = "string[] | undefined")]
    pub fn ids(&self) -> JsValue {
        self.0.ids().map_or(JsValue::UNDEFINED, |ids| string_array(ids.iter().map(String::as_str)).into())
    }
}

/// Distance (m) from every household to the nearest fiber route, and whether
/// it is within `maxDropM` (default 300 m). Both layers must be in the same
/// CRS; lon/lat layers are measured in a local transverse Mercator frame,
/// exactly as in the native build.
#[wasm_bindgen(js_name = fiberCoverage, unchecked_return_type = "FiberCoverage")]
pub fn fiber_coverage(households: &JsHouseholds, fiber: &JsFiberNetwork, max_drop_m: Option<f64>) -> JsResult<Object> {
    let cov =
        bbcov_core::fiber_coverage(&households.0, &fiber.0, max_drop_m.unwrap_or(DEFAULT_MAX_DROP_M)).map_err(to_js)?;
    let served: Vec<u8> = cov.served().into_iter().map(u8::from).collect();
    let out = Object::new();
    set(&out, "distances", Float64Array::from(cov.distances_m()));
    set(&out, "served", Uint8Array::from(served.as_slice()));
    set(&out, "nearestRoutes", Uint32Array::from(cov.nearest_routes()));
    set(&out, "count", cov.distances_m().len() as f64);
    set(&out, "servedCount", cov.served_count() as f64);
    set(&out, "maxDropM", cov.max_drop_m());
    Ok(out)
}
