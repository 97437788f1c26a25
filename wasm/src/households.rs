//! `Households`: coordinate columns in, a validated [`bbcov_core::Households`] out.

use bbcov_core::Households;
use js_sys::{Array, Float64Array};
use wasm_bindgen::prelude::*;

use crate::error::{JsResult, to_js};
use crate::input::{HouseholdsOptions, Options, epsg_of, points, string_array, strings};

/// Weighted household points with optional ids and area keys.
#[wasm_bindgen(js_name = Households)]
pub struct JsHouseholds(pub(crate) Households);

#[wasm_bindgen(js_class = Households)]
impl JsHouseholds {
    /// Validates and builds a households layer from coordinate columns: lon/lat
    /// degrees, or metres in the projected CRS `options.epsg`. Throws on an
    /// empty layer, a NaN or out-of-range coordinate, a bad weight or a column
    /// of the wrong length; the message names the first offending record.
    #[wasm_bindgen(constructor)]
    pub fn new(x: &[f64], y: &[f64], options: Option<HouseholdsOptions>) -> JsResult<JsHouseholds> {
        let options = Options::new(options.map(JsValue::from), "households", &["epsg", "weights", "ids", "areas"])?;
        let xy = points(x, y, "household")?;
        let mut hh =
            Households::new(options.crs()?, xy, options.numbers("weights")?, options.strings("ids")?).map_err(to_js)?;
        for (name, values) in options.string_columns("areas")? {
            hh = hh.with_area(&name, values).map_err(to_js)?;
        }
        Ok(JsHouseholds(hh))
    }

    /// A copy with the area key `name` added (or replaced): one value per household.
    #[wasm_bindgen(js_name = withArea)]
    pub fn with_area(
        &self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "string[]")] values: JsValue,
    ) -> JsResult<JsHouseholds> {
        let values = strings(&values, &format!("area key {name:?}"))?;
        self.0.clone().with_area(name, values).map(JsHouseholds).map_err(to_js)
    }

    /// Number of household points.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.0.len()
    }

    /// EPSG code of the projected CRS, or `undefined` for lon/lat degrees.
    #[wasm_bindgen(getter)]
    pub fn epsg(&self) -> Option<u32> {
        epsg_of(self.0.crs())
    }

    /// Sum of the weights.
    #[wasm_bindgen(getter, js_name = totalWeight)]
    pub fn total_weight(&self) -> f64 {
        self.0.total_weight()
    }

    /// x (longitude) of every point.
    pub fn x(&self) -> Float64Array {
        self.0.coords().iter().map(|p| p[0]).collect::<Vec<_>>().as_slice().into()
    }

    /// y (latitude) of every point.
    pub fn y(&self) -> Float64Array {
        self.0.coords().iter().map(|p| p[1]).collect::<Vec<_>>().as_slice().into()
    }

    /// Weight of every point.
    pub fn weights(&self) -> Float64Array {
        self.0.weights().into()
    }

    /// Ids, or `undefined` when the layer has none.
    #[wasm_bindgen(unchecked_return_type = "string[] | undefined")]
    pub fn ids(&self) -> JsValue {
        self.0.ids().map_or(JsValue::UNDEFINED, |ids| string_array(ids.iter().map(String::as_str)).into())
    }

    /// Names of the area keys.
    #[wasm_bindgen(js_name = areaNames, unchecked_return_type = "string[]")]
    pub fn area_names(&self) -> Array {
        string_array(self.0.areas().iter().map(|a| a.name()))
    }
}
