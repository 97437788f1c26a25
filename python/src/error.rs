//! bbcov-core errors as Python exceptions.
//!
//! The exception classes are defined in Python (`bbcov/exceptions.py`)
//! because some derive from two bases (`InvalidInputError(BbcovError,
//! ValueError)`); here each core error variant is mapped to one of them, with
//! the same message text as in Rust, and record-level errors carry `layer`,
//! `index` and `id` attributes.

use bbcov_core::Error;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::PyType;

/// The exception class `name` of `bbcov.exceptions`.
fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    Ok(py.import("bbcov.exceptions")?.getattr(name)?.cast_into()?)
}

/// An exception of class `name` with `message`; `attrs` are set on it.
fn raise(py: Python<'_>, name: &str, message: String, attrs: &[(&str, Py<PyAny>)]) -> PyErr {
    let err = match class(py, name) {
        Ok(cls) => PyErr::from_type(cls, message),
        // Only when the native module is imported without its package.
        Err(_) if name == "BbcovError" || name == "CancelledError" => PyRuntimeError::new_err(message),
        Err(_) => PyValueError::new_err(message),
    };
    let value = err.value(py);
    for (key, v) in attrs {
        // Setting an attribute on a fresh exception instance cannot fail in practice;
        // if it ever does, the exception is still worth more than the attribute.
        let _ = value.setattr(*key, v.bind(py));
    }
    err
}

/// `bbcov.InvalidInputError` for an input the bindings refuse before reaching the core.
pub(crate) fn invalid_input(py: Python<'_>, message: impl Into<String>) -> PyErr {
    raise(py, "InvalidInputError", message.into(), &[])
}

/// `bbcov.BbcovError` for a panic (a bug): the interpreter goes on.
pub(crate) fn internal(py: Python<'_>, message: &str) -> PyErr {
    raise(py, "BbcovError", format!("internal error in bbcov (please report it): {message}"), &[])
}

/// Maps a core error to its exception class, with the same message.
pub(crate) fn to_py(py: Python<'_>, err: Error) -> PyErr {
    let attr = |key: &'static str, value: Py<PyAny>| (key, value);
    let text = |s: &String| s.clone().into_py_any(py).unwrap_or_else(|_| py.None());
    let attrs = match &err {
        Error::InvalidCoordinate { layer, index, id, .. }
        | Error::InvalidWeight { layer, index, id, .. }
        | Error::InvalidGeometry { layer, index, id, .. } => vec![
            attr("layer", text(layer)),
            attr("index", index.into_py_any(py).unwrap_or_else(|_| py.None())),
            attr("id", id.as_ref().map_or_else(|| py.None(), text)),
        ],
        Error::EmptyLayer { layer } => vec![attr("layer", text(layer))],
        _ => vec![],
    };
    raise(py, class_name(&err), err.to_string(), &attrs)
}

/// The `bbcov.exceptions` class of a core error.
fn class_name(err: &Error) -> &'static str {
    match err {
        Error::InvalidCoordinate { .. }
        | Error::InvalidWeight { .. }
        | Error::InvalidGeometry { .. }
        | Error::LengthMismatch { .. }
        | Error::InvalidParameter { .. }
        | Error::InvalidMeshCode { .. }
        | Error::InvalidCoverageSets { .. }
        | Error::Infeasible { .. } => "InvalidInputError",
        Error::EmptyLayer { .. } => "EmptyLayerError",
        Error::CrsMismatch { .. } => "CrsMismatchError",
        Error::StudyAreaTooLarge { .. } => "StudyAreaTooLargeError",
        Error::UnknownAreaKey { .. } => "UnknownAreaKeyError",
        Error::OutOfValidityRange { .. } => "OutOfValidityRangeError",
        Error::InvalidDem { .. } | Error::OutsideDem { .. } | Error::MissingElevation { .. } => "DemError",
        Error::Cancelled => "CancelledError",
        // bbcov_core::Error is #[non_exhaustive]. A variant that wraps another
        // core error as its `source` (e.g. the error of one site) takes the
        // class of what it wraps; any other is still a BbcovError.
        _ => match wrapped(err) {
            Some(inner) => class_name(inner),
            None => "BbcovError",
        },
    }
}

/// The core error `err` wraps as its source, if any.
fn wrapped(err: &Error) -> Option<&Error> {
    let source = std::error::Error::source(err)?;
    source.downcast_ref::<Error>().or_else(|| source.downcast_ref::<Box<Error>>().map(|b| &**b))
}
