//! The compute behind Node's `buffer` module: encodings, search, compare, fill.
//!
//! Every function here is total: any input bytes give a defined answer that
//! matches what Node's `Buffer` computes, and nothing panics. Functions that
//! allocate from an input-derived size check that size and return
//! `ERR_BUFFER_TOO_LARGE` / `ERR_STRING_TOO_LONG` rather than overflow.
//!
//! Each optimised algorithm has a naive reference implementation in its
//! module's `reference` submodule; tests (and the fuzz targets in `fuzz/`)
//! compare the two.

pub mod base64;
pub mod bytes;
pub mod hex;
pub mod latin1;
pub mod search;
mod simd;
pub mod utf16;
pub mod utf8;

#[cfg(test)]
pub(crate) mod testrng;

use crate::NodeError;

/// `len * num / den` rounded up, or `ERR_STRING_TOO_LONG` when it overflows.
pub(crate) fn scaled_len(len: usize, num: usize, den: usize) -> Result<usize, NodeError> {
    len.checked_mul(num)
        .and_then(|x| x.checked_add(den - 1))
        .map(|x| x / den)
        .ok_or_else(string_too_long)
}

/// Node's error for a string (an encoder's output) longer than V8 allows.
pub(crate) fn string_too_long() -> NodeError {
    NodeError::new(
        "ERR_STRING_TOO_LONG",
        "Cannot create a string longer than 0x1fffffe8 characters",
    )
}

/// Node's error for an output that cannot be allocated.
pub(crate) fn too_large() -> NodeError {
    NodeError::new(
        "ERR_BUFFER_TOO_LARGE",
        "Cannot create a Buffer larger than the maximum size",
    )
}
