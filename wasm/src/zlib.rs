//! Bindings of `ferrode_core::zlib`: one handle type for every zlib and brotli
//! mode, driven from `wasm/js/zlib.js`. Argument validation happens in JS;
//! the core re-checks ranges so that nothing from JS can make it panic.

use crate::error::{js_result, JsResult};
#[cfg(feature = "brotli")]
use ferrode_core::zlib::brotli::Brotli;
use ferrode_core::zlib::flate::{Flate, FlateOptions};
use ferrode_core::zlib::{oneshot, Codec, Mode};
use wasm_bindgen::prelude::*;

/// A zlib/brotli stream: Node's `_handle`, without being exposed as one.
#[wasm_bindgen]
pub struct ZlibHandle {
    codec: Codec,
    /// The output of the last `processWholeKept`, until JS copies it out.
    kept: Vec<u8>,
}

/// Kept output capacity a handle holds on to between calls: enough for the
/// small inputs where an allocation per call shows, little for idle handles.
const KEEP_CAPACITY: usize = 64 * 1024;

fn limit(max_output: f64) -> usize {
    if max_output.is_finite() && max_output >= 0.0 {
        max_output as usize
    } else {
        usize::MAX
    }
}

#[wasm_bindgen]
impl ZlibHandle {
    /// Creates a handle. `brotli_params` holds `key, value` pairs.
    #[wasm_bindgen(constructor)]
    pub fn new(
        mode: i32,
        level: i32,
        window_bits: i32,
        mem_level: i32,
        strategy: i32,
        dictionary: &[u8],
        brotli_params: &[u32],
    ) -> JsResult<ZlibHandle> {
        let mode = js_result(Mode::from_node(mode))?;
        #[cfg(not(feature = "brotli"))]
        let _ = brotli_params;
        let codec = match mode {
            // Without the feature, brotli lives in its own module (wasm/brotli)
            // and Flate::new rejects the brotli modes.
            #[cfg(feature = "brotli")]
            Mode::BrotliDecode | Mode::BrotliEncode => {
                let params = brotli_params
                    .chunks_exact(2)
                    .map(|kv| (kv[0], kv[1]))
                    .collect();
                Codec::Brotli(js_result(Brotli::new(mode, params))?)
            }
            _ => Codec::Flate(js_result(Flate::new(
                mode,
                FlateOptions {
                    level,
                    window_bits,
                    mem_level,
                    strategy,
                    dictionary: dictionary.to_vec(),
                },
            ))?),
        };
        Ok(ZlibHandle {
            codec,
            kept: Vec::new(),
        })
    }

    /// Processes all of `input` with `flush` and returns what came out, in
    /// one buffer; fails with `ERR_BUFFER_TOO_LARGE` past `max_output` bytes
    /// (pass `Infinity` for no limit).
    pub fn process(
        &mut self,
        input: &[u8],
        flush: i32,
        chunk: usize,
        max_output: f64,
    ) -> JsResult<Vec<u8>> {
        js_result(oneshot::run(
            &mut self.codec,
            input,
            flush,
            chunk,
            limit(max_output),
        ))
    }

    /// As `process` for one whole input that is all there will be (Node's
    /// `*Sync` functions and callback forms): well-formed input to a fresh
    /// decoder takes the core's one-shot fast path, and on success the
    /// handle is reset for its next use, saving a call. After an error only
    /// `free` may follow. The output stays in the handle: this returns its
    /// length and `keptPtr` its address in the module's memory; JS copies it
    /// into a buffer it allocates itself (one copy, into memory it need not
    /// zero first), then calls `dropKept`.
    #[wasm_bindgen(js_name = processWholeKept)]
    pub fn process_whole_kept(
        &mut self,
        input: &[u8],
        flush: i32,
        chunk: usize,
        max_output: f64,
    ) -> JsResult<usize> {
        self.kept.clear();
        js_result(oneshot::run_whole_into(
            &mut self.codec,
            input,
            flush,
            chunk,
            limit(max_output),
            &mut self.kept,
        ))?;
        js_result(self.codec.reset())?;
        Ok(self.kept.len())
    }

    /// Where the output of the last `processWholeKept` starts.
    #[wasm_bindgen(js_name = keptPtr)]
    pub fn kept_ptr(&self) -> usize {
        self.kept.as_ptr() as usize
    }

    /// Forgets the kept output, and frees its buffer when it is large.
    #[wasm_bindgen(js_name = dropKept)]
    pub fn drop_kept(&mut self) {
        if self.kept.capacity() > KEEP_CAPACITY {
            self.kept = Vec::new();
        } else {
            self.kept.clear();
        }
    }

    /// Node's `_handle.writeSync(flush, in, inOff, inLen, out, outOff,
    /// outLen)` for the deflate family, with the offsets already applied by
    /// JS ([`Codec::write_sync`]).
    #[wasm_bindgen(js_name = writeSync)]
    pub fn write_sync(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
        state: &mut [u32],
    ) -> JsResult<()> {
        js_result(self.codec.write_sync(flush, input, output, state))
    }

    /// Node's `reset()`.
    pub fn reset(&mut self) -> JsResult<()> {
        js_result(self.codec.reset())
    }

    /// Prepares a compressor for `params()` in mid-stream (streams only).
    #[wasm_bindgen(js_name = enableParams)]
    pub fn enable_params(&mut self) {
        // Irrefutable when the core is built without brotli (the npm package).
        #[allow(irrefutable_let_patterns)]
        if let Codec::Flate(f) = &mut self.codec {
            f.enable_params();
        }
    }

    /// Node's `rejectGarbageAfterEnd: true` (streams only): gunzip stops at
    /// the end of the first member instead of decoding what follows as more
    /// members, so that JS sees the input left over and rejects it.
    #[wasm_bindgen(js_name = rejectGarbageAfterEnd)]
    pub fn reject_garbage_after_end(&mut self) {
        #[allow(irrefutable_let_patterns)]
        if let Codec::Flate(f) = &mut self.codec {
            f.set_reject_garbage_after_end(true);
        }
    }

    /// Node's `params(level, strategy)` for the deflate family.
    pub fn params(&mut self, level: i32, strategy: i32) -> JsResult<()> {
        // Brotli handles have no params(); the wildcard also keeps this
        // exhaustive whichever features the core was built with.
        #[allow(unreachable_patterns)]
        match &mut self.codec {
            Codec::Flate(f) => js_result(f.params(level, strategy)),
            _ => Ok(()),
        }
    }
}

/// The module's memory, for JS to copy kept output out of.
#[wasm_bindgen(js_name = zlibMemory)]
pub fn zlib_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Node's `zlib.crc32(data, value)`.
#[wasm_bindgen(js_name = zlibCrc32)]
pub fn crc32(data: &[u8], value: u32) -> u32 {
    ferrode_core::zlib::crc32(data, value)
}
