//! bbcov-core errors as JavaScript `Error`s.
//!
//! The message is the Rust message (`Display`), unchanged. `name` is the
//! class the Python bindings raise for the same error (`InvalidInputError`,
//! `EmptyLayerError`, `CrsMismatchError`, `DemError`, ...), and record-level
//! errors carry `layer`, `index` and `id` properties, so a caller can tell
//! errors apart without parsing messages.

use bbcov_core::Error;
use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// Result of a binding: the error is a JavaScript `Error`.
pub type JsResult<T> = Result<T, JsValue>;

/// An `Error` named `name` with `message` and the properties `props`.
fn js_error(name: &str, message: &str, props: &[(&str, JsValue)]) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name(name);
    for (key, value) in props {
        // Setting a property on a fresh Error cannot fail.
        let _ = Reflect::set(&err, &JsValue::from_str(key), value);
    }
    err.into()
}

/// `InvalidInputError` for an argument the bindings refuse before reaching the core.
pub(crate) fn invalid_input(message: impl AsRef<str>) -> JsValue {
    js_error("InvalidInputError", message.as_ref(), &[])
}

/// `BbcovError` for a panic (a bug).
pub(crate) fn internal(message: &str) -> JsValue {
    js_error("BbcovError", &format!("internal error in bbcov (please report it): {message}"), &[])
}

/// A core error as a JavaScript `Error` with the same message.
pub fn to_js(err: Error) -> JsValue {
    let record = |layer: &String, index: &usize, id: &Option<String>| {
        vec![
            ("layer", JsValue::from_str(layer)),
            ("index", JsValue::from_f64(*index as f64)),
            ("id", id.as_deref().map_or(JsValue::NULL, JsValue::from_str)),
        ]
    };
    let (name, props) = match &err {
        Error::InvalidCoordinate { layer, index, id, .. }
        | Error::InvalidWeight { layer, index, id, .. }
        | Error::InvalidGeometry { layer, index, id, .. } => ("InvalidInputError", record(layer, index, id)),
        Error::EmptyLayer { layer } => ("EmptyLayerError", vec![("layer", JsValue::from_str(layer))]),
        Error::CrsMismatch { .. } => ("CrsMismatchError", vec![]),
        Error::StudyAreaTooLarge { .. } => ("StudyAreaTooLargeError", vec![]),
        Error::UnknownAreaKey { .. } => ("UnknownAreaKeyError", vec![]),
        Error::LengthMismatch { .. }
        | Error::InvalidParameter { .. }
        | Error::InvalidMeshCode { .. }
        | Error::Infeasible { .. } => ("InvalidInputError", vec![]),
        Error::OutOfValidityRange { .. } => ("OutOfValidityRangeError", vec![]),
        Error::InvalidDem { .. } | Error::OutsideDem { .. } | Error::MissingElevation { .. } => ("DemError", vec![]),
        Error::Cancelled => ("CancelledError", vec![]),
        // bbcov_core::Error is #[non_exhaustive]: a variant added later is still a BbcovError.
        _ => ("BbcovError", vec![]),
    };
    js_error(name, &err.to_string(), &props)
}
