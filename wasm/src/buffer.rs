//! Bindings of `ferrode_core::buffer` for `wasm/js/internal/buffer-native.js`.
//!
//! Data crosses through two per-thread scratch areas in wasm memory instead of
//! wasm-bindgen's per-call allocations: JS asks for an input area of `len`
//! bytes (`bufferInput`), fills it directly (a `set` or `TextEncoder.encodeInto`
//! into the memory), calls an operation with the lengths, and reads the result
//! from the output area (`bufferOutput`), decoding ASCII results to a string
//! with `TextDecoder` straight from memory. That is one copy each way and no
//! allocation once the areas have grown. Any call may grow the memory, so JS
//! re-reads `memory.buffer` after every call.

use crate::error::{js_result, to_js, JsResult};
use ferrode_core::buffer::{base64, bytes, hex, latin1, search, utf16, utf8};
use ferrode_core::NodeError;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static BASE64_DECODER: RefCell<base64::Decoder> = RefCell::new(base64::Decoder::new());
}

/// Grows `v` to at least `len` bytes (never shrinks: the area is reused).
/// Fails with Node's `ERR_MEMORY_ALLOCATION_FAILED` instead of aborting
/// (which would trap and poison the module) when memory runs out.
fn ensure(v: &mut Vec<u8>, len: usize) -> JsResult<()> {
    if v.len() < len {
        v.try_reserve_exact(len - v.len()).map_err(|_| {
            to_js(NodeError::new(
                "ERR_MEMORY_ALLOCATION_FAILED",
                "Failed to allocate memory",
            ))
        })?;
        v.resize(len, 0);
    }
    Ok(())
}

/// Runs `f` on the first `len` input bytes and the output area grown to
/// `out_len` bytes.
fn with_io<R>(len: usize, out_len: usize, f: impl FnOnce(&[u8], &mut [u8]) -> R) -> JsResult<R> {
    INPUT.with_borrow(|input| {
        OUTPUT.with_borrow_mut(|out| {
            ensure(out, out_len)?;
            let src = input.get(..len).unwrap_or_default();
            Ok(f(src, out.as_mut_slice()))
        })
    })
}

/// Runs `f` on the first `len` input bytes.
fn with_input<R>(len: usize, f: impl FnOnce(&[u8]) -> R) -> R {
    INPUT.with_borrow(|input| f(input.get(..len).unwrap_or_default()))
}

/// The module's memory, for JS to read and write the scratch areas.
#[wasm_bindgen(js_name = bufferMemory)]
pub fn buffer_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Makes the input area hold at least `len` bytes; returns its address.
#[wasm_bindgen(js_name = bufferInput)]
pub fn buffer_input(len: usize) -> JsResult<usize> {
    INPUT.with_borrow_mut(|v| {
        ensure(v, len)?;
        Ok(v.as_ptr() as usize)
    })
}

/// Address of the output area (valid until the next call).
#[wasm_bindgen(js_name = bufferOutput)]
pub fn buffer_output() -> usize {
    OUTPUT.with_borrow(|v| v.as_ptr() as usize)
}

/// Base64 (or unpadded base64url) of the input; returns the output length.
#[wasm_bindgen(js_name = bufferBase64Encode)]
pub fn base64_encode(len: usize, url: bool) -> JsResult<usize> {
    let out_len = js_result(base64::encoded_len(len, url))?;
    with_io(len, out_len, |src, dst| base64::encode_into(src, url, dst))
}

/// Base64 (or unpadded base64url) of the input's first `len` bytes, written
/// at `at` in the output area grown to `total` bytes (earlier output kept);
/// returns the bytes written. Lets JS encode a large input in slices that
/// stay in the cache between being copied in and being read. `len` must be
/// a multiple of 3 except for the last slice.
#[wasm_bindgen(js_name = bufferBase64EncodeAt)]
pub fn base64_encode_at(len: usize, url: bool, at: usize, total: usize) -> JsResult<usize> {
    encode_at(len, at, total, |src, dst| {
        base64::encode_into(src, url, dst)
    })
}

/// Lowercase hex of the input's first `len` bytes, written at `at` in the
/// output area grown to `total` bytes; returns the bytes written.
#[wasm_bindgen(js_name = bufferHexEncodeAt)]
pub fn hex_encode_at(len: usize, at: usize, total: usize) -> JsResult<usize> {
    encode_at(len, at, total, hex::encode_into)
}

fn encode_at(
    len: usize,
    at: usize,
    total: usize,
    f: impl FnOnce(&[u8], &mut [u8]) -> usize,
) -> JsResult<usize> {
    INPUT.with_borrow(|input| {
        OUTPUT.with_borrow_mut(|out| {
            ensure(out, total)?;
            let src = input.get(..len).unwrap_or_default();
            let dst = out.get_mut(at..total).unwrap_or_default();
            Ok(f(src, dst))
        })
    })
}

/// Node-lenient base64 decode of the input; returns the output length.
#[wasm_bindgen(js_name = bufferBase64Decode)]
pub fn base64_decode(len: usize) -> JsResult<usize> {
    with_io(len, base64::decoded_len_max(len), base64::decode_into)
}

/// Starts a base64 decode fed slice by slice ([`base64_decode_feed`]).
#[wasm_bindgen(js_name = bufferBase64DecodeStart)]
pub fn base64_decode_start() {
    BASE64_DECODER.with_borrow_mut(|d| *d = base64::Decoder::new());
}

/// Decodes the input's first `len` characters as the next slice of the
/// started decode, into the start of the output area; returns the bytes
/// written, negated minus one once the decode has stopped (a `=`): JS then
/// feeds no more slices. Decoding a long string slice by slice keeps each
/// slice in the cache between being written in and being decoded.
#[wasm_bindgen(js_name = bufferBase64DecodeFeed)]
pub fn base64_decode_feed(len: usize) -> JsResult<f64> {
    let out_len = base64::decoded_len_max(len).saturating_add(3);
    BASE64_DECODER.with_borrow_mut(|d| {
        let n = with_io(len, out_len, |src, dst| d.feed(src, dst))?;
        Ok(if d.stopped() {
            -(n as f64) - 1.0
        } else {
            n as f64
        })
    })
}

/// Ends the started decode: writes the bytes of a final incomplete group to
/// the start of the output area; returns how many (0..=2).
#[wasm_bindgen(js_name = bufferBase64DecodeFinish)]
pub fn base64_decode_finish() -> JsResult<usize> {
    BASE64_DECODER.with_borrow_mut(|d| with_io(0, 2, |_, dst| d.finish(dst)))
}

/// Lowercase hex of the input; returns the output length.
#[wasm_bindgen(js_name = bufferHexEncode)]
pub fn hex_encode(len: usize) -> JsResult<usize> {
    let out_len = js_result(hex::encoded_len(len))?;
    with_io(len, out_len, hex::encode_into)
}

/// Node's hex decode of the input; returns the output length.
#[wasm_bindgen(js_name = bufferHexDecode)]
pub fn hex_decode(len: usize) -> JsResult<usize> {
    with_io(len, len / 2, hex::decode_into)
}

/// The input with every top bit cleared (Node's 'ascii'); returns the length.
#[wasm_bindgen(js_name = bufferAsciiMask)]
pub fn ascii_mask(len: usize) -> JsResult<usize> {
    with_io(len, len, latin1::mask_ascii_into)
}

/// Whether the input is all ASCII.
#[wasm_bindgen(js_name = bufferIsAscii)]
pub fn is_ascii(len: usize) -> bool {
    with_input(len, latin1::is_ascii)
}

/// Whether the input is valid UTF-8.
#[wasm_bindgen(js_name = bufferIsUtf8)]
pub fn is_utf8(len: usize) -> bool {
    with_input(len, utf8::is_utf8)
}

/// Whether the input, read as UTF-16LE, has a lone surrogate.
#[wasm_bindgen(js_name = bufferHasLoneSurrogate)]
pub fn has_lone_surrogate(len: usize) -> bool {
    with_input(len, utf16::has_lone_surrogate)
}

/// Input = haystack (`hay_len` bytes) then needle (`needle_len`): the first
/// match at or after `from`, or -1.
#[wasm_bindgen(js_name = bufferIndexOf)]
pub fn index_of(hay_len: usize, needle_len: usize, from: usize) -> f64 {
    with_input(hay_len.saturating_add(needle_len), |src| {
        let (hay, needle) = src.split_at(hay_len.min(src.len()));
        search::index_of(hay, needle, from).map_or(-1.0, |i| i as f64)
    })
}

/// Like [`index_of`], the last match at or before `from`.
#[wasm_bindgen(js_name = bufferLastIndexOf)]
pub fn last_index_of(hay_len: usize, needle_len: usize, from: usize) -> f64 {
    with_input(hay_len.saturating_add(needle_len), |src| {
        let (hay, needle) = src.split_at(hay_len.min(src.len()));
        search::last_index_of(hay, needle, from).map_or(-1.0, |i| i as f64)
    })
}

/// Input = `a` (`a_len` bytes) then `b`: -1, 0 or 1.
#[wasm_bindgen(js_name = bufferCompare)]
pub fn compare(a_len: usize, b_len: usize) -> i32 {
    with_input(a_len.saturating_add(b_len), |src| {
        let (a, b) = src.split_at(a_len.min(src.len()));
        bytes::compare(a, b)
    })
}
