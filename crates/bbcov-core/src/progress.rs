//! Progress reporting and cancellation for long computations.

/// Receives progress of a long computation and may cancel it.
///
/// Implementations must be cheap and thread-safe: with the `parallel` feature
/// [`advance`](Progress::advance) is called from worker threads. The CLI
/// drives a progress bar with it, the Python bindings tqdm and Ctrl-C.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// struct Count(AtomicU64);
/// impl bbcov_core::Progress for Count {
///     fn advance(&self, n: u64) { self.0.fetch_add(n, Ordering::Relaxed); }
/// }
/// ```
pub trait Progress: Sync {
    /// A stage starts with `total` units of work.
    fn begin(&self, _stage: &str, _total: u64) {}
    /// `n` more units are done.
    fn advance(&self, _n: u64) {}
    /// Polled between units of work; returning `true` stops the computation
    /// with [`Error::Cancelled`](crate::Error::Cancelled).
    fn is_cancelled(&self) -> bool {
        false
    }
}

/// No progress reporting.
impl Progress for () {}
