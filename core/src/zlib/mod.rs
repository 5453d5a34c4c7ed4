//! Node's `zlib` module as sans-I/O codecs.
//!
//! Each codec is a streaming state machine shaped like the handle under Node's
//! zlib streams: `write(flush, input, output)` consumes some input, fills some
//! output, and reports how much of each it used. The embedder drives it (the JS
//! event loop through `ferrode-wasm`), decides chunk sizes and owns the buffers.
//!
//! - [`flate`]: deflate, inflate, gzip, gunzip, raw deflate/inflate and unzip on
//!   the pure-Rust zlib-rs engine, with Node's error codes and messages.
//! - [`tuned`]: the compressor of [`flate`] and [`parallel`], running zlib's
//!   algorithm and limits for each of Node's levels.
//! - [`brotli`]: brotli compress/decompress on the `brotli` crate.
//! - [`crc32`]: `zlib.crc32(data, value)`, also the check of gzip members on
//!   the one-shot path.
//! - [`oneshot`]: drives a codec over a whole input into one growing buffer,
//!   bounded by `maxOutputLength`, as Node's `*Sync` functions do.

#[cfg(feature = "brotli")]
pub mod brotli;
pub mod crc32;
pub mod flate;
#[doc(hidden)]
pub mod fuzzing;
pub mod oneshot;
pub mod parallel;
pub mod tuned;

use crate::NodeError;

/// Node's `zlib.crc32(data, value)`: the CRC-32 of `data` continuing from `value`.
pub fn crc32(data: &[u8], value: u32) -> u32 {
    crc32::crc32(value, data)
}

/// Node's mode numbers (`zlib.constants.DEFLATE` ... `BROTLI_ENCODE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// zlib-wrapped deflate.
    Deflate = 1,
    /// zlib-wrapped inflate.
    Inflate = 2,
    /// gzip compression.
    Gzip = 3,
    /// gzip decompression (concatenated members too).
    Gunzip = 4,
    /// Raw deflate.
    DeflateRaw = 5,
    /// Raw inflate.
    InflateRaw = 6,
    /// Inflate of either gzip or zlib data, detected from the header.
    Unzip = 7,
    /// Brotli decompression.
    BrotliDecode = 8,
    /// Brotli compression.
    BrotliEncode = 9,
}

impl Mode {
    /// The mode for Node's number, or an `ERR_INVALID_ARG_VALUE` error.
    pub fn from_node(n: i32) -> Result<Self, NodeError> {
        Ok(match n {
            1 => Mode::Deflate,
            2 => Mode::Inflate,
            3 => Mode::Gzip,
            4 => Mode::Gunzip,
            5 => Mode::DeflateRaw,
            6 => Mode::InflateRaw,
            7 => Mode::Unzip,
            8 => Mode::BrotliDecode,
            9 => Mode::BrotliEncode,
            _ => {
                return Err(NodeError::new(
                    "ERR_INVALID_ARG_VALUE",
                    format!("The argument 'mode' is invalid. Received {n}"),
                ))
            }
        })
    }

    /// Whether this mode compresses.
    pub fn compresses(self) -> bool {
        matches!(
            self,
            Mode::Deflate | Mode::Gzip | Mode::DeflateRaw | Mode::BrotliEncode
        )
    }
}

/// What one `write` call did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Input bytes consumed.
    pub consumed: usize,
    /// Output bytes written.
    pub produced: usize,
}

/// Either codec behind one interface, which is what a Node zlib handle is.
pub enum Codec {
    /// A deflate-family codec.
    Flate(flate::Flate),
    /// A brotli codec.
    #[cfg(feature = "brotli")]
    Brotli(brotli::Brotli),
}

impl Codec {
    /// Processes `input` into `output` with Node's flush value.
    pub fn write(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<Progress, NodeError> {
        match self {
            Codec::Flate(c) => c.write(flush, input, output),
            #[cfg(feature = "brotli")]
            Codec::Brotli(c) => c.write(flush, input, output),
        }
    }

    /// One step of Node's `_handle.writeSync` (offsets already applied): as
    /// [`Codec::write`], then the output space and input left afterwards go
    /// to `state[0]` and `state[1]` (Node's `_writeState`), which is left as
    /// it was on error.
    pub fn write_sync(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
        state: &mut [u32],
    ) -> Result<(), NodeError> {
        let progress = self.write(flush, input, output)?;
        let left =
            |len: usize, used: usize| u32::try_from(len.saturating_sub(used)).unwrap_or(u32::MAX);
        if let [avail_out, avail_in, ..] = state {
            *avail_out = left(output.len(), progress.produced);
            *avail_in = left(input.len(), progress.consumed);
        }
        Ok(())
    }

    /// Starts over with the same options (Node's `reset()`).
    pub fn reset(&mut self) -> Result<(), NodeError> {
        match self {
            Codec::Flate(c) => c.reset(),
            #[cfg(feature = "brotli")]
            Codec::Brotli(c) => c.reset(),
        }
    }

    /// The mode this codec was created with.
    pub fn mode(&self) -> Mode {
        match self {
            Codec::Flate(c) => c.initial_mode(),
            #[cfg(feature = "brotli")]
            Codec::Brotli(c) => c.mode(),
        }
    }
}
