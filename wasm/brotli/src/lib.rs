//! Brotli bindings of `ferrode-core` as a wasm module of their own.
//!
//! Brotli's encoder dictionary and tables were most of the single wasm
//! module's size, so the npm package keeps them here: `wasm/js/zlib.js` loads
//! this module next to the main one and hands it the brotli modes. The handle
//! has the same methods as the main module's `ZlibHandle`.

use ferrode_core::zlib::brotli::Brotli;
use ferrode_core::zlib::{oneshot, Codec, Mode};
use ferrode_core::NodeError;
use wasm_bindgen::prelude::*;

/// `{ code, message, errno? }`, which `fromNative` in JS turns into Node's error
/// (the same shape as the main module's `wasm/src/error.rs`).
fn to_js(err: NodeError) -> JsValue {
    let obj = js_sys::Object::new();
    // Reflect::set on a fresh plain object with string keys cannot fail.
    let _ = js_sys::Reflect::set(&obj, &"code".into(), &err.code.into());
    let _ = js_sys::Reflect::set(&obj, &"message".into(), &err.message.into());
    if let Some(errno) = err.errno {
        let _ = js_sys::Reflect::set(&obj, &"errno".into(), &errno.into());
    }
    obj.into()
}

/// A brotli stream: Node's `_handle` for `BrotliCompress`/`BrotliDecompress`.
#[wasm_bindgen]
pub struct BrotliHandle {
    codec: Codec,
}

#[wasm_bindgen]
impl BrotliHandle {
    /// Creates a handle for Node's mode number; `params` holds `key, value` pairs.
    #[wasm_bindgen(constructor)]
    pub fn new(mode: i32, params: &[u32]) -> Result<BrotliHandle, JsValue> {
        let mode = Mode::from_node(mode).map_err(to_js)?;
        if !matches!(mode, Mode::BrotliDecode | Mode::BrotliEncode) {
            return Err(to_js(NodeError::new(
                "ERR_INVALID_ARG_VALUE",
                "The argument 'mode' is invalid. Received a zlib mode",
            )));
        }
        let params = params.chunks_exact(2).map(|kv| (kv[0], kv[1])).collect();
        let codec = Codec::Brotli(Brotli::new(mode, params).map_err(to_js)?);
        Ok(BrotliHandle { codec })
    }

    /// Processes all of `input` with `flush` and returns what came out; fails
    /// with `ERR_BUFFER_TOO_LARGE` past `max_output` bytes (`Infinity`: no limit).
    pub fn process(
        &mut self,
        input: &[u8],
        flush: i32,
        chunk: usize,
        max_output: f64,
    ) -> Result<Vec<u8>, JsValue> {
        let limit = if max_output.is_finite() && max_output >= 0.0 {
            max_output as usize
        } else {
            usize::MAX
        };
        oneshot::run(&mut self.codec, input, flush, chunk, limit).map_err(to_js)
    }

    /// Node's `_handle.writeSync(flush, in, inOff, inLen, out, outOff,
    /// outLen)` with the offsets already applied by JS and `flush` a brotli
    /// operation ([`Codec::write_sync`]).
    #[wasm_bindgen(js_name = writeSync)]
    pub fn write_sync(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
        state: &mut [u32],
    ) -> Result<(), JsValue> {
        self.codec
            .write_sync(flush, input, output, state)
            .map_err(to_js)
    }

    /// Node's `reset()`.
    pub fn reset(&mut self) -> Result<(), JsValue> {
        self.codec.reset().map_err(to_js)
    }

    /// Brotli has no mid-stream `params()`: nothing to prepare.
    #[wasm_bindgen(js_name = enableParams)]
    pub fn enable_params(&mut self) {}

    /// Brotli has no `params(level, strategy)`: a no-op, as in the main module.
    pub fn params(&mut self, _level: i32, _strategy: i32) {}
}
