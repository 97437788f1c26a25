//! Data parallelism behind the `parallel` feature: rayon when it is on, plain
//! iterators when it is off (wasm32). Both give the same results in the same order.

#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// Maps `f` over `items`, keeping order.
pub(crate) fn map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync + Send) -> Vec<U> {
    #[cfg(feature = "parallel")]
    return items.par_iter().map(f).collect();
    #[cfg(not(feature = "parallel"))]
    return items.iter().map(f).collect();
}

/// Maps a fallible `f` over `items`, keeping order; any error stops the map and is returned.
pub(crate) fn map_chunks<T: Sync, U: Send, E: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<U, E> + Sync + Send,
) -> Result<Vec<U>, E> {
    #[cfg(feature = "parallel")]
    return items.par_iter().map(f).collect();
    #[cfg(not(feature = "parallel"))]
    return items.iter().map(f).collect();
}

/// Sorts in place (unstable sort; the keys are unique where order matters).
pub(crate) fn sort_unstable<T: Ord + Send>(items: &mut [T]) {
    #[cfg(feature = "parallel")]
    items.par_sort_unstable();
    #[cfg(not(feature = "parallel"))]
    items.sort_unstable();
}
