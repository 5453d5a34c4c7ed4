//! ferrode-core: the portable heart of ferrode.
//!
//! Pure Rust, sans-I/O: no sockets, threads, timers or JavaScript types. Each
//! module computes what one of Node's core modules computes (encodings, codecs,
//! hashes, state machines) and is driven by whoever embeds it: the JS event loop
//! through `ferrode-wasm`, or tokio in `ferrode-server`.
//!
//! Every function that takes bytes from outside returns `Result<_, NodeError>`
//! and never panics: a panic inside WebAssembly traps and poisons the module for
//! the rest of the page's life.

pub mod buffer;
pub mod crypto;
pub mod error;
pub mod events;
pub mod stream;
pub mod zlib;

pub use error::NodeError;
