//! Conversion of JavaScript arguments: CRS, coordinate columns, options
//! objects, string arrays. Refusals name the argument.

use bbcov_core::{Crs, Error};
use js_sys::{Array, Float64Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{JsResult, invalid_input, to_js};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The options object of `new Households` (TypeScript interface `HouseholdsOptions`).
    #[wasm_bindgen(typescript_type = "HouseholdsOptions")]
    pub type HouseholdsOptions;
    /// The options object of `FiberNetwork` (TypeScript interface `FiberNetworkOptions`).
    #[wasm_bindgen(typescript_type = "FiberNetworkOptions")]
    pub type FiberNetworkOptions;
}

/// The core CRS: lon/lat degrees when `epsg` is missing, else the projected CRS `epsg`.
pub(crate) fn crs_of(epsg: Option<f64>) -> JsResult<Crs> {
    match epsg {
        None => Ok(Crs::LonLat),
        Some(e) if e.fract() == 0.0 && e >= 1.0 && e <= f64::from(u32::MAX) => Ok(Crs::Projected { epsg: e as u32 }),
        Some(e) => Err(invalid_input(format!(
            "epsg = {e} is not an EPSG code: give a positive integer, or leave it out for lon/lat degrees"
        ))),
    }
}

/// The EPSG code of a projected CRS; `None` (undefined) for lon/lat.
pub(crate) fn epsg_of(crs: Crs) -> Option<u32> {
    match crs {
        Crs::LonLat => None,
        Crs::Projected { epsg } => Some(epsg),
    }
}

/// Points from two coordinate columns of the same length.
pub(crate) fn points(x: &[f64], y: &[f64], what: &str) -> JsResult<Vec<[f64; 2]>> {
    if x.len() != y.len() {
        return Err(to_js(Error::LengthMismatch {
            what: format!("{what} y coordinates"),
            expected: x.len(),
            got: y.len(),
        }));
    }
    Ok(x.iter().zip(y).map(|(&x, &y)| [x, y]).collect())
}

/// An options object: `undefined`/`null` or a plain object whose keys are all in `known`.
pub(crate) struct Options {
    object: Option<Object>,
    what: &'static str,
}

impl Options {
    pub(crate) fn new(value: Option<JsValue>, what: &'static str, known: &[&str]) -> JsResult<Self> {
        let object = value.filter(|v| !v.is_undefined() && !v.is_null());
        if let Some(obj) = &object {
            if !obj.is_object() || Array::is_array(obj) {
                return Err(invalid_input(format!("{what}: options must be an object")));
            }
            for key in Object::keys(obj.unchecked_ref::<Object>()).iter() {
                let key = key.as_string().unwrap_or_default();
                if !known.contains(&key.as_str()) {
                    return Err(invalid_input(format!("{what}: unknown option {key:?}; known: {}", known.join(", "))));
                }
            }
        }
        Ok(Options { object: object.map(JsCast::unchecked_into), what })
    }

    /// The option `key`; `None` when absent, `undefined` or `null`.
    fn get(&self, key: &str) -> Option<JsValue> {
        let obj = self.object.as_ref()?;
        let v = Reflect::get(obj, &JsValue::from_str(key)).ok()?;
        (!v.is_undefined() && !v.is_null()).then_some(v)
    }

    /// The CRS named by the option `epsg`.
    pub(crate) fn crs(&self) -> JsResult<Crs> {
        match self.get("epsg") {
            None => crs_of(None),
            Some(v) => match v.as_f64() {
                Some(e) => crs_of(Some(e)),
                None => Err(invalid_input(format!("{}: epsg must be a number", self.what))),
            },
        }
    }

    /// A number option; `None` when absent.
    pub(crate) fn number(&self, key: &str) -> JsResult<Option<f64>> {
        let Some(v) = self.get(key) else { return Ok(None) };
        v.as_f64().map(Some).ok_or_else(|| invalid_input(format!("{}: {key} must be a number", self.what)))
    }

    /// A string option; `None` when absent.
    pub(crate) fn string(&self, key: &str) -> JsResult<Option<String>> {
        let Some(v) = self.get(key) else { return Ok(None) };
        v.as_string().map(Some).ok_or_else(|| invalid_input(format!("{}: {key} must be a string", self.what)))
    }

    /// A boolean option; `None` when absent.
    pub(crate) fn boolean(&self, key: &str) -> JsResult<Option<bool>> {
        let Some(v) = self.get(key) else { return Ok(None) };
        v.as_bool().map(Some).ok_or_else(|| invalid_input(format!("{}: {key} must be true or false", self.what)))
    }

    /// A numeric column: a Float64Array or an array of numbers.
    pub(crate) fn numbers(&self, key: &str) -> JsResult<Option<Vec<f64>>> {
        let Some(v) = self.get(key) else { return Ok(None) };
        if let Some(a) = v.dyn_ref::<Float64Array>() {
            return Ok(Some(a.to_vec()));
        }
        if Array::is_array(&v) {
            return Ok(Some(Float64Array::new(&v).to_vec()));
        }
        Err(invalid_input(format!("{}: {key} must be a Float64Array or an array of numbers", self.what)))
    }

    /// A string column.
    pub(crate) fn strings(&self, key: &str) -> JsResult<Option<Vec<String>>> {
        self.get(key).map(|v| strings(&v, &format!("{}: {key}", self.what))).transpose()
    }

    /// Named string columns, in the object's key order.
    pub(crate) fn string_columns(&self, key: &str) -> JsResult<Vec<(String, Vec<String>)>> {
        let Some(v) = self.get(key) else { return Ok(Vec::new()) };
        let what = format!("{}: {key}", self.what);
        if !v.is_object() || Array::is_array(&v) {
            return Err(invalid_input(format!("{what} must be an object of string arrays, one per key")));
        }
        Object::entries(v.unchecked_ref())
            .iter()
            .map(|entry| {
                let entry: Array = entry.unchecked_into();
                let name = entry.get(0).as_string().unwrap_or_default();
                let values = strings(&entry.get(1), &format!("{what}.{name}"))?;
                Ok((name, values))
            })
            .collect()
    }
}

/// An array of strings.
pub(crate) fn strings(value: &JsValue, what: &str) -> JsResult<Vec<String>> {
    if !Array::is_array(value) {
        return Err(invalid_input(format!("{what} must be an array of strings")));
    }
    let array: &Array = value.unchecked_ref();
    array
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_string().ok_or_else(|| invalid_input(format!("{what}[{i}] is not a string (convert with String())")))
        })
        .collect()
}

/// A JavaScript array of strings.
pub(crate) fn string_array<'a>(values: impl IntoIterator<Item = &'a str>) -> Array {
    values.into_iter().map(JsValue::from_str).collect()
}

/// Sets `key` on a result object.
pub(crate) fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), &value.into());
}
