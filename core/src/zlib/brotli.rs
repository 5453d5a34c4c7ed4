//! Brotli compression and decompression with Node 20's handle behaviour:
//! operations `BROTLI_OPERATION_PROCESS/FLUSH/FINISH/EMIT_METADATA`, encoder
//! and decoder parameters by number, and Node's errors (`ERR__ERROR_FORMAT_*`
//! "Decompression failed" with the decoder's error number, `Z_BUF_ERROR`
//! "unexpected end of file" when the input stops early).

use super::{Mode, Progress};
use crate::NodeError;
use ::brotli::enc::encode::{
    BrotliEncoderDestroyInstance, BrotliEncoderOperation, BrotliEncoderParameter,
    BrotliEncoderStateStruct,
};
use ::brotli::{
    interface, BrotliDecompressStream, BrotliResult, BrotliState, HeapAlloc, HuffmanCode,
};
use brotli_decompressor::{BrotliDecoderErrorCode, BrotliDecoderParameter};
use pool::PoolAlloc;

pub mod pool;

type Decoder = BrotliState<HeapAlloc<u8>, HeapAlloc<u32>, HeapAlloc<HuffmanCode>>;
type Encoder = BrotliEncoderStateStruct<PoolAlloc>;

const BROTLI_OPERATION_FINISH: i32 = 2;
/// The largest window used at qualities 10 and 11 (see `make_engine`).
const MAX_HEAVY_LGWIN: u32 = 24;

enum Engine {
    Encode(Box<Encoder>),
    Decode(Box<Decoder>),
}

impl Drop for Engine {
    fn drop(&mut self) {
        // The encoder's blocks go back to the pool (dropping them would
        // free them): the next compression reuses them without clearing.
        if let Engine::Encode(enc) = self {
            BrotliEncoderDestroyInstance(enc);
        }
    }
}

/// One brotli stream.
pub struct Brotli {
    mode: Mode,
    params: Vec<(u32, u32)>,
    engine: Engine,
}

fn init_failed() -> NodeError {
    NodeError::new("ERR_ZLIB_INITIALIZATION_FAILED", "Initialization failed")
}

fn encoder_param(key: u32) -> Option<BrotliEncoderParameter> {
    use BrotliEncoderParameter::*;
    Some(match key {
        0 => BROTLI_PARAM_MODE,
        1 => BROTLI_PARAM_QUALITY,
        2 => BROTLI_PARAM_LGWIN,
        3 => BROTLI_PARAM_LGBLOCK,
        4 => BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING,
        5 => BROTLI_PARAM_SIZE_HINT,
        6 => BROTLI_PARAM_LARGE_WINDOW,
        _ => return None,
    })
}

/// The name Node gives a decoder error: `ERR_` followed by the C library's
/// error string, which is the constant's name without `BROTLI_DECODER`.
fn decoder_error_code(code: BrotliDecoderErrorCode) -> &'static str {
    use BrotliDecoderErrorCode::*;
    match code {
        BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE => "ERR__ERROR_FORMAT_EXUBERANT_NIBBLE",
        BROTLI_DECODER_ERROR_FORMAT_RESERVED => "ERR__ERROR_FORMAT_RESERVED",
        BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE => {
            "ERR__ERROR_FORMAT_EXUBERANT_META_NIBBLE"
        }
        BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET => {
            "ERR__ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET"
        }
        BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME => "ERR__ERROR_FORMAT_SIMPLE_HUFFMAN_SAME",
        BROTLI_DECODER_ERROR_FORMAT_CL_SPACE => "ERR__ERROR_FORMAT_CL_SPACE",
        BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE => "ERR__ERROR_FORMAT_HUFFMAN_SPACE",
        BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT => "ERR__ERROR_FORMAT_CONTEXT_MAP_REPEAT",
        BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1 => "ERR__ERROR_FORMAT_BLOCK_LENGTH_1",
        BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2 => "ERR__ERROR_FORMAT_BLOCK_LENGTH_2",
        BROTLI_DECODER_ERROR_FORMAT_TRANSFORM => "ERR__ERROR_FORMAT_TRANSFORM",
        BROTLI_DECODER_ERROR_FORMAT_DICTIONARY => "ERR__ERROR_FORMAT_DICTIONARY",
        BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS => "ERR__ERROR_FORMAT_WINDOW_BITS",
        BROTLI_DECODER_ERROR_FORMAT_PADDING_1 => "ERR__ERROR_FORMAT_PADDING_1",
        BROTLI_DECODER_ERROR_FORMAT_PADDING_2 => "ERR__ERROR_FORMAT_PADDING_2",
        BROTLI_DECODER_ERROR_FORMAT_DISTANCE => "ERR__ERROR_FORMAT_DISTANCE",
        BROTLI_DECODER_ERROR_FORMAT_BLOCK_SWITCH => "ERR__ERROR_FORMAT_BLOCK_SWITCH",
        BROTLI_DECODER_ERROR_COMPOUND_DICTIONARY => "ERR__ERROR_COMPOUND_DICTIONARY",
        BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET => "ERR__ERROR_DICTIONARY_NOT_SET",
        BROTLI_DECODER_ERROR_INVALID_ARGUMENTS => "ERR__ERROR_INVALID_ARGUMENTS",
        BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES => "ERR__ERROR_ALLOC_CONTEXT_MODES",
        BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS => "ERR__ERROR_ALLOC_TREE_GROUPS",
        BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP => "ERR__ERROR_ALLOC_CONTEXT_MAP",
        BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1 => "ERR__ERROR_ALLOC_RING_BUFFER_1",
        BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2 => "ERR__ERROR_ALLOC_RING_BUFFER_2",
        BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES => "ERR__ERROR_ALLOC_BLOCK_TYPE_TREES",
        BROTLI_DECODER_ERROR_UNREACHABLE => "ERR__ERROR_UNREACHABLE",
        BROTLI_DECODER_NO_ERROR => "ERR_NO_ERROR",
        BROTLI_DECODER_SUCCESS => "ERR_SUCCESS",
        BROTLI_DECODER_NEEDS_MORE_INPUT => "ERR_NEEDS_MORE_INPUT",
        BROTLI_DECODER_NEEDS_MORE_OUTPUT => "ERR_NEEDS_MORE_OUTPUT",
    }
}

impl Brotli {
    /// Creates an encoder (`Mode::BrotliEncode`) or decoder
    /// (`Mode::BrotliDecode`) with Node's `params` as `(key, value)` pairs.
    /// Keys 0..=8 are the ones Node accepts; an unknown or refused one fails
    /// like Node's `ERR_ZLIB_INITIALIZATION_FAILED`.
    pub fn new(mode: Mode, params: Vec<(u32, u32)>) -> Result<Self, NodeError> {
        let engine = Self::make_engine(mode, &params)?;
        Ok(Self {
            mode,
            params,
            engine,
        })
    }

    fn make_engine(mode: Mode, params: &[(u32, u32)]) -> Result<Engine, NodeError> {
        match mode {
            Mode::BrotliEncode => {
                let mut enc = Box::new(Encoder::new(PoolAlloc));
                let (mut quality, mut lgwin) = (11u32, 22u32);
                for &(key, value) in params {
                    match key {
                        1 => quality = value,
                        2 => lgwin = value,
                        _ => {}
                    }
                    match key {
                        // NPOSTFIX and NDIRECT: accepted by Node's encoder but
                        // not settable on this one; they only tune the output.
                        7 | 8 => continue,
                        _ => {}
                    }
                    let p = encoder_param(key).ok_or_else(init_failed)?;
                    if !enc.set_parameter(p, value) {
                        return Err(init_failed());
                    }
                }
                // At quality 10 and 11 this encoder allocates 8 bytes per
                // window byte up front (C sizes it to the input when it can):
                // a large window of 2^30 would need 8 GiB, which wasm32 cannot
                // have. Cap such windows at 2^24 (128 MiB): the output stays
                // valid brotli, with a smaller window than Node's would declare.
                if quality >= 10 && lgwin > MAX_HEAVY_LGWIN {
                    enc.set_parameter(BrotliEncoderParameter::BROTLI_PARAM_LGWIN, MAX_HEAVY_LGWIN);
                }
                Ok(Engine::Encode(enc))
            }
            Mode::BrotliDecode => {
                let mut dec = Box::new(Decoder::new(
                    HeapAlloc::<u8>::new(0),
                    HeapAlloc::<u32>::new(0),
                    HeapAlloc::<HuffmanCode>::new(HuffmanCode::default()),
                ));
                for &(key, value) in params {
                    let p = match key {
                        0 => BrotliDecoderParameter::BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION,
                        1 => BrotliDecoderParameter::BROTLI_DECODER_PARAM_LARGE_WINDOW,
                        _ => return Err(init_failed()),
                    };
                    if !dec.set_parameter(p, value) {
                        return Err(init_failed());
                    }
                }
                Ok(Engine::Decode(dec))
            }
            _ => Err(NodeError::new(
                "ERR_INVALID_ARG_VALUE",
                "The argument 'mode' is invalid. Received a zlib mode",
            )),
        }
    }

    /// The mode of this stream.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Starts over with the same parameters.
    pub fn reset(&mut self) -> Result<(), NodeError> {
        let engine = Self::make_engine(self.mode, &self.params)?;
        drop(std::mem::replace(&mut self.engine, engine));
        Ok(())
    }

    /// Runs the codec once over `input` into `output` with Node's operation
    /// number (`BROTLI_OPERATION_*`).
    pub fn write(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<Progress, NodeError> {
        let mut avail_in = input.len();
        let mut in_off = 0usize;
        let mut avail_out = output.len();
        let mut out_off = 0usize;
        match &mut self.engine {
            Engine::Encode(enc) => {
                let op = match flush {
                    1 => BrotliEncoderOperation::BROTLI_OPERATION_FLUSH,
                    2 => BrotliEncoderOperation::BROTLI_OPERATION_FINISH,
                    3 => BrotliEncoderOperation::BROTLI_OPERATION_EMIT_METADATA,
                    _ => BrotliEncoderOperation::BROTLI_OPERATION_PROCESS,
                };
                let mut total = None;
                let mut nop =
                    |_: &mut interface::PredictionModeContextMap<::brotli::InputReferenceMut>,
                     _: &mut [interface::StaticCommand],
                     _: ::brotli::InputPair,
                     _: &mut PoolAlloc| ();
                let ok = enc.compress_stream(
                    op,
                    &mut avail_in,
                    input,
                    &mut in_off,
                    &mut avail_out,
                    output,
                    &mut out_off,
                    &mut total,
                    &mut nop,
                );
                if !ok {
                    return Err(NodeError::with_errno(
                        "ERR_BROTLI_COMPRESSION_FAILED",
                        "Compression failed",
                        -1,
                    ));
                }
            }
            Engine::Decode(dec) => {
                let mut total = 0usize;
                let res = BrotliDecompressStream(
                    &mut avail_in,
                    &mut in_off,
                    input,
                    &mut avail_out,
                    &mut out_off,
                    output,
                    &mut total,
                    dec,
                );
                match res {
                    BrotliResult::ResultFailure => {
                        let code = dec.error_code;
                        return Err(NodeError::with_errno(
                            decoder_error_code(code),
                            "Decompression failed",
                            code as i32,
                        ));
                    }
                    BrotliResult::NeedsMoreInput if flush == BROTLI_OPERATION_FINISH => {
                        return Err(NodeError::with_errno(
                            "Z_BUF_ERROR",
                            "unexpected end of file",
                            -5,
                        ));
                    }
                    _ => {}
                }
            }
        }
        Ok(Progress {
            consumed: in_off.min(input.len()),
            produced: out_off.min(output.len()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zlib::oneshot::finish;
    use crate::zlib::Codec;

    fn go(mode: Mode, params: Vec<(u32, u32)>, input: &[u8]) -> Result<Vec<u8>, NodeError> {
        let mut c = Codec::Brotli(Brotli::new(mode, params)?);
        finish(&mut c, input, usize::MAX)
    }

    #[test]
    fn round_trip_at_every_quality() {
        let data: Vec<u8> = (0..50_000u32)
            .map(|i| (i % 97) as u8 ^ (i / 1000) as u8)
            .collect();
        for q in 0..=11 {
            let z = go(Mode::BrotliEncode, vec![(1, q), (2, 18)], &data).unwrap();
            assert_eq!(go(Mode::BrotliDecode, vec![], &z).unwrap(), data);
        }
        assert_eq!(go(Mode::BrotliEncode, vec![], b"").unwrap(), vec![0x3b]);
    }

    #[test]
    fn reset_recycles_without_changing_the_output() {
        let data: Vec<u8> = (0..200_000u32)
            .map(|i| b"recycled blocks "[(i % 16) as usize] ^ (i / 5000) as u8)
            .collect();
        for q in [1, 5, 9] {
            let params = vec![(1, q)];
            let fresh = go(Mode::BrotliEncode, params.clone(), &data).unwrap();
            let mut c = Codec::Brotli(Brotli::new(Mode::BrotliEncode, params).unwrap());
            for _ in 0..3 {
                assert!(finish(&mut c, &data, usize::MAX).unwrap() == fresh);
                c.reset().unwrap();
                assert!(pool::pooled_total() > 0);
            }
            assert_eq!(go(Mode::BrotliDecode, vec![], &fresh).unwrap(), data);
        }
    }

    #[test]
    fn large_windows_at_high_quality_stay_bounded() {
        let data = b"large window data ".repeat(100);
        let z = go(Mode::BrotliEncode, vec![(2, 30), (6, 1)], &data).unwrap();
        assert_eq!(go(Mode::BrotliDecode, vec![(1, 1)], &z).unwrap(), data);
    }

    #[test]
    fn node_errors() {
        let e = go(Mode::BrotliDecode, vec![], &[0xff, 0xff, 0xff, 0xff]).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str(), e.errno),
            (
                "ERR__ERROR_FORMAT_PADDING_2",
                "Decompression failed",
                Some(-15)
            )
        );
        let e = go(Mode::BrotliDecode, vec![], &[]).unwrap_err();
        assert_eq!((e.code, e.errno), ("Z_BUF_ERROR", Some(-5)));
        let e = go(Mode::BrotliDecode, vec![(6, 1)], b"").err().unwrap();
        assert_eq!(e.code, "ERR_ZLIB_INITIALIZATION_FAILED");
        let e = go(Mode::BrotliEncode, vec![(4, 5)], b"x").unwrap_err();
        assert_eq!(e.message, "Initialization failed");
    }
}
