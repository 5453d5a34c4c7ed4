//! WebAssembly bindings of `ferrode-core`.
//!
//! This crate is the thin boundary between JavaScript and the core: it converts
//! arguments, calls the core, and turns `NodeError`s into JS errors that carry
//! Node's `code`. Argument validation happens once, in `wasm/js/internal/`.
//!
//! Built twice by `scripts/build.sh`: single-threaded on stable Rust, and with
//! the `threads` feature on a pinned nightly with shared memory.

pub mod buffer;
pub mod crypto;
pub mod error;
pub mod parallel;
pub mod zlib;

use wasm_bindgen::prelude::*;

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// Whether this module is the multi-threaded build.
#[wasm_bindgen(js_name = isThreadedBuild)]
pub fn is_threaded_build() -> bool {
    cfg!(feature = "threads")
}

/// Number of threads in the pool: 0 in the single-threaded build.
#[wasm_bindgen(js_name = poolSize)]
pub fn pool_size() -> usize {
    #[cfg(feature = "threads")]
    {
        rayon::current_num_threads()
    }
    #[cfg(not(feature = "threads"))]
    {
        0
    }
}

/// Proves the pool really runs work on several threads: counts the distinct
/// rayon worker indices seen while mapping over `tasks` items.
#[wasm_bindgen(js_name = threadsUsed)]
pub fn threads_used(tasks: usize) -> usize {
    #[cfg(feature = "threads")]
    {
        use rayon::prelude::*;
        use std::collections::BTreeSet;
        let seen: BTreeSet<usize> = (0..tasks)
            .into_par_iter()
            .map(|i| {
                // A little work per item so the pool spreads the items out.
                let mut x = i as u64;
                for _ in 0..400_000 {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                }
                std::hint::black_box(x);
                rayon::current_thread_index().unwrap_or(usize::MAX)
            })
            .collect();
        seen.len()
    }
    #[cfg(not(feature = "threads"))]
    {
        let _ = tasks;
        1
    }
}
