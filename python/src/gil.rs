//! The one way the bindings call into bbcov-core: [`enter`].
//!
//! Arguments are extracted and converted while attached to the interpreter
//! (holding the GIL); the core then runs on a scoped worker thread (which may
//! fan out to rayon) and never touches Python. Meanwhile the calling thread
//! waits detached, waking every [`POLL`] to re-attach, run Python's signal
//! handlers (Ctrl-C) and move a tqdm bar from the atomic counters the core
//! advances. A signal sets the cancel flag the core polls, so Ctrl-C stops a
//! long computation within one unit of work and raises `KeyboardInterrupt`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use bbcov_core::Progress;
use pyo3::prelude::*;

use crate::error;

/// How often the waiting thread re-attaches to check signals and draw progress.
const POLL: Duration = Duration::from_millis(100);

/// Seconds a computation runs before its tqdm bar appears (none for quick calls).
const BAR_DELAY_S: f64 = 0.5;

/// Runs `f` (a call into bbcov-core) detached from the interpreter and maps
/// its outcome: `Ok` as is, a core error to its `bbcov` exception, Ctrl-C to
/// `KeyboardInterrupt` (or whatever the signal handler raised), a panic to
/// `bbcov.BbcovError`. With `show_progress`, the core's progress drives a
/// `tqdm.auto.tqdm` bar.
pub(crate) fn enter<T, F>(py: Python<'_>, show_progress: bool, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce(&dyn Progress) -> bbcov_core::Result<T> + Send,
{
    let monitor = Monitor::default();
    let mut bar = Bar::new(show_progress);
    let mut interrupt: Option<PyErr> = None;
    let outcome = std::thread::scope(|scope| {
        let worker = std::thread::Builder::new().name("bbcov".into()).spawn_scoped(scope, || {
            let outcome = catch_unwind(AssertUnwindSafe(|| f(&monitor)));
            monitor.finish();
            outcome
        });
        let worker = match worker {
            Ok(worker) => worker,
            Err(e) => return Err(error::internal(py, &format!("cannot start a worker thread: {e}"))),
        };
        loop {
            let finished = py.detach(|| monitor.wait(POLL));
            if interrupt.is_none()
                && let Err(e) = py.check_signals()
            {
                interrupt = Some(e);
                monitor.cancel.store(true, Ordering::Relaxed);
            }
            bar.sync(py, &monitor);
            if finished {
                break;
            }
        }
        // The worker has signalled that it is done: joining does not block for long.
        let joined = py.detach(|| worker.join());
        Ok(joined.unwrap_or_else(Err))
    });
    bar.close(py);
    if let Some(e) = interrupt {
        return Err(e);
    }
    match outcome? {
        Ok(result) => result.map_err(|e| error::to_py(py, e)),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into());
            Err(error::internal(py, &message))
        }
    }
}

/// Progress and cancellation shared between the worker (and its rayon
/// threads) and the waiting thread: atomics only, no Python.
#[derive(Default)]
struct Monitor {
    /// Incremented by every `begin`, so the waiting thread sees a new stage.
    stage_count: AtomicU64,
    stage: Mutex<String>,
    total: AtomicU64,
    done: AtomicU64,
    cancel: AtomicBool,
    finished: Mutex<bool>,
    finished_changed: Condvar,
}

impl Monitor {
    fn finish(&self) {
        *self.finished.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.finished_changed.notify_all();
    }

    /// Waits at most `timeout` for the worker to finish; true when it has.
    fn wait(&self, timeout: Duration) -> bool {
        let finished = self.finished.lock().unwrap_or_else(PoisonError::into_inner);
        let (finished, _) = self
            .finished_changed
            .wait_timeout_while(finished, timeout, |finished| !*finished)
            .unwrap_or_else(PoisonError::into_inner);
        *finished
    }
}

impl Progress for Monitor {
    fn begin(&self, stage: &str, total: u64) {
        *self.stage.lock().unwrap_or_else(PoisonError::into_inner) = stage.to_owned();
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
        self.stage_count.fetch_add(1, Ordering::Release);
    }

    fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// A tqdm bar drawn from the calling thread. Any failure of tqdm (not
/// installed, closed output) turns the bar off; it never fails the computation.
struct Bar<'py> {
    enabled: bool,
    bar: Option<Bound<'py, PyAny>>,
    stage_count: u64,
    shown: u64,
}

impl<'py> Bar<'py> {
    fn new(enabled: bool) -> Self {
        Bar { enabled, bar: None, stage_count: 0, shown: 0 }
    }

    fn sync(&mut self, py: Python<'py>, monitor: &Monitor) {
        if self.enabled && self.try_sync(py, monitor).is_err() {
            self.enabled = false;
            self.bar = None;
        }
    }

    fn try_sync(&mut self, py: Python<'py>, monitor: &Monitor) -> PyResult<()> {
        let stage_count = monitor.stage_count.load(Ordering::Acquire);
        if stage_count != self.stage_count {
            self.close(py);
            let stage = monitor.stage.lock().unwrap_or_else(PoisonError::into_inner).clone();
            let kwargs = pyo3::types::PyDict::new(py);
            kwargs.set_item("total", monitor.total.load(Ordering::Relaxed))?;
            kwargs.set_item("desc", stage)?;
            kwargs.set_item("delay", BAR_DELAY_S)?;
            kwargs.set_item("dynamic_ncols", true)?;
            let tqdm = py.import("tqdm.auto")?.getattr("tqdm")?;
            self.bar = Some(tqdm.call((), Some(&kwargs))?);
            self.stage_count = stage_count;
            self.shown = 0;
        }
        if let Some(bar) = &self.bar {
            let done = monitor.done.load(Ordering::Relaxed);
            if done > self.shown {
                bar.call_method1("update", (done - self.shown,))?;
                self.shown = done;
            }
        }
        Ok(())
    }

    fn close(&mut self, _py: Python<'py>) {
        if let Some(bar) = self.bar.take()
            && bar.call_method0("close").is_err()
        {
            self.enabled = false;
        }
    }
}
