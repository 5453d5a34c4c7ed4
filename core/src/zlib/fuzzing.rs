//! Shared driver of the zlib fuzz targets (`fuzz/fuzz_targets/zlib_*.rs`):
//! feeds fuzzer bytes to a decoder in fuzzer-chosen pieces and output room,
//! with a bounded output, the way Node's streams and `*Sync` functions do.

#[cfg(feature = "brotli")]
use super::brotli::Brotli;
use super::flate::{Flate, FlateOptions};
use super::{oneshot, Codec, Mode};

/// Output is capped so a decompression bomb cannot exhaust the fuzzer's memory.
const MAX_OUTPUT: usize = 8 << 20;

/// Decodes `data` with `mode`; the first two bytes pick the window size,
/// the dictionary, the write size and the finishing flush. Never panics.
pub fn decode(mode: Mode, data: &[u8]) {
    let (head, body) = data.split_at(data.len().min(2));
    let a = head.first().copied().unwrap_or(0);
    let b = head.get(1).copied().unwrap_or(0);
    let mut codec = match mode {
        #[cfg(feature = "brotli")]
        Mode::BrotliDecode => {
            let params = if a & 1 == 1 { vec![(1, 1)] } else { Vec::new() };
            match Brotli::new(mode, params) {
                Ok(c) => Codec::Brotli(c),
                Err(_) => return,
            }
        }
        _ => {
            let window_bits = match a % 9 {
                0 if mode != Mode::InflateRaw => 0,
                n => 7 + i32::from(n),
            };
            let dictionary = if a & 0x80 != 0 {
                body.get(..body.len().min(64)).unwrap_or(&[]).to_vec()
            } else {
                Vec::new()
            };
            let opts = FlateOptions {
                window_bits,
                dictionary,
                ..Default::default()
            };
            match Flate::new(mode, opts) {
                Ok(f) => Codec::Flate(f),
                Err(_) => return,
            }
        }
    };
    let piece = 1 + usize::from(b & 0x3f) * 37;
    let finish = if mode == Mode::BrotliDecode { 2 } else { 4 };
    let flush = if b & 0x40 != 0 { 2 } else { 0 };
    let mut total = 0usize;
    for chunk in body.chunks(piece) {
        match oneshot::run(&mut codec, chunk, flush, 64, MAX_OUTPUT) {
            Ok(out) => total += out.len(),
            Err(_) => return,
        }
        if total > MAX_OUTPUT {
            return;
        }
    }
    let _ = oneshot::run(&mut codec, &[], finish, 64, MAX_OUTPUT);
    let _ = codec.reset();
    let careful = oneshot::finish(&mut codec, body, MAX_OUTPUT);
    // The one-shot fast path must be invisible: same bytes, same error.
    let _ = codec.reset();
    let limit = if b & 0x80 != 0 { 1000 } else { MAX_OUTPUT };
    let mut out = Vec::new();
    let whole =
        oneshot::run_whole_into(&mut codec, body, finish, 16 * 1024, limit, &mut out).map(|()| out);
    let _ = codec.reset();
    let again = oneshot::run(&mut codec, body, finish, 16 * 1024, limit);
    assert_eq!(whole, again, "fast path differs from the careful path");
    if limit == MAX_OUTPUT {
        assert_eq!(whole, careful, "fast path differs from oneshot::finish");
    }
}
