//! The deflate family (deflate, inflate, gzip, gunzip, raw, unzip) with the
//! behaviour of Node 20's zlib handle: concatenated gzip members, trailing
//! zero padding, unzip's header sniffing, dictionaries, and Node's error codes
//! and messages (`Z_DATA_ERROR` "incorrect header check", `Z_BUF_ERROR`
//! "unexpected end of file", `Z_NEED_DICT` "Missing dictionary" ...).

use super::tuned::{Compressor, Outcome};
use super::{Mode, Progress};
use crate::NodeError;
use zlib_rs::{Inflate, InflateError, InflateFlush, Status};

/// `Z_FINISH`.
const Z_FINISH: i32 = 4;
const GZIP_ID1: u8 = 0x1f;
const GZIP_ID2: u8 = 0x8b;

/// Options of the deflate family, already validated and defaulted as Node does
/// in JS (`level` -1..=9, `window_bits` 8..=15 or 0 for inflate, `mem_level`
/// 1..=9, `strategy` 0..=4).
#[derive(Clone, Debug)]
pub struct FlateOptions {
    /// Compression level, -1 for the default (6).
    pub level: i32,
    /// Base-two log of the window size.
    pub window_bits: i32,
    /// Memory level of the compressor.
    pub mem_level: i32,
    /// `Z_DEFAULT_STRATEGY` .. `Z_FIXED`.
    pub strategy: i32,
    /// Preset dictionary (empty for none).
    pub dictionary: Vec<u8>,
}

impl Default for FlateOptions {
    fn default() -> Self {
        Self {
            level: -1,
            window_bits: 15,
            mem_level: 8,
            strategy: 0,
            dictionary: Vec::new(),
        }
    }
}

enum Engine {
    Deflate(Compressor),
    Inflate(Inflate),
}

/// One deflate-family stream.
pub struct Flate {
    initial_mode: Mode,
    mode: Mode,
    opts: FlateOptions,
    engine: Engine,
    gzip_id_bytes_read: u8,
    fed: bool,
    /// Whether `write` ran since creation or the last reset (the engine may
    /// hold state a reset must clear).
    touched: bool,
    splice: Option<Box<Splice>>,
    /// The raw decoder of [`Flate::inflate_whole`], kept between uses
    /// because resetting it costs far less than making one.
    whole: Option<Box<Inflate>>,
    /// Node's `rejectGarbageAfterEnd`: bytes after the end of a gzip member
    /// are left unread (for the embedder to reject) instead of being decoded
    /// as the next member.
    reject_garbage_after_end: bool,
}

/// What a compressor needs to change level or strategy in mid-stream, which
/// zlib-rs's safe API cannot do (its `set_level` fails once data went
/// through and ignores the strategy). After a sync flush the deflate stream
/// is byte aligned, so a fresh raw compressor primed with the last 32 KiB as
/// its dictionary continues it seamlessly; the zlib or gzip trailer is then
/// written here, from checksums kept since the start.
struct Splice {
    /// Adler-32 (zlib) or CRC-32 (gzip) of all input so far.
    check: u32,
    /// Input bytes so far (gzip's ISIZE is this modulo 2^32).
    total: u64,
    /// The most recent input, up to 32 KiB: the next compressor's dictionary.
    window: Vec<u8>,
    /// Whether the current engine is a raw continuation.
    continued: bool,
    /// Trailer bytes still to be written.
    trailer: Vec<u8>,
    /// Whether the trailer was made (it is made once).
    trailer_made: bool,
}

const WINDOW: usize = 32 * 1024;

impl Splice {
    fn new(mode: Mode, dictionary: &[u8]) -> Self {
        let mut window = Vec::with_capacity(2 * WINDOW);
        window.extend_from_slice(&dictionary[dictionary.len().saturating_sub(WINDOW)..]);
        Self {
            check: if mode == Mode::Deflate { 1 } else { 0 },
            total: 0,
            window,
            continued: false,
            trailer: Vec::new(),
            trailer_made: false,
        }
    }

    fn feed(&mut self, mode: Mode, data: &[u8]) {
        match mode {
            Mode::Deflate => self.check = zlib_rs::adler32::adler32(self.check, data),
            Mode::Gzip => self.check = super::crc32::crc32(self.check, data),
            _ => {}
        }
        self.total = self.total.wrapping_add(data.len() as u64);
        let tail = &data[data.len().saturating_sub(WINDOW)..];
        self.window.extend_from_slice(tail);
        if self.window.len() > WINDOW {
            let cut = self.window.len() - WINDOW;
            self.window.drain(..cut);
        }
    }

    fn make_trailer(&mut self, mode: Mode) {
        match mode {
            Mode::Deflate => self.trailer = self.check.to_be_bytes().to_vec(),
            Mode::Gzip => {
                let mut t = self.check.to_le_bytes().to_vec();
                t.extend_from_slice(&(self.total as u32).to_le_bytes());
                self.trailer = t;
            }
            _ => {}
        }
    }
}

/// The message zlib-rs 0.6 leaves when its fast decoding loop finds an error:
/// it overwrites the real one (see [`Flate::diagnose`]).
pub const MASKED_MESSAGE: &str = "repeated call with bad state";

fn out_of_range(name: &str, range: &str, got: i32) -> NodeError {
    NodeError::new(
        "ERR_OUT_OF_RANGE",
        format!(
            "The value of \"options.{name}\" is out of range. It must be {range}. Received {got}"
        ),
    )
}

/// The compressor for validated options, or Node's initialization error.
fn compressor(
    level: i32,
    window_bits: i32,
    mem_level: i32,
    strategy: i32,
) -> Result<Compressor, NodeError> {
    Compressor::new(level, window_bits, mem_level, strategy)
        .ok_or_else(|| NodeError::new("ERR_ZLIB_INITIALIZATION_FAILED", "Initialization failed"))
}

/// Node's error for a zlib return code: `code` named after the constant, the
/// engine's message when it set one, else `fallback`.
fn zlib_error(errno: i32, msg: Option<&str>, fallback: &str) -> NodeError {
    let code = match errno {
        2 => "Z_NEED_DICT",
        1 => "Z_STREAM_END",
        -1 => "Z_ERRNO",
        -2 => "Z_STREAM_ERROR",
        -3 => "Z_DATA_ERROR",
        -4 => "Z_MEM_ERROR",
        -5 => "Z_BUF_ERROR",
        -6 => "Z_VERSION_ERROR",
        _ => "Z_UNKNOWN_ERROR",
    };
    let message = match msg {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => fallback.to_string(),
    };
    NodeError::with_errno(code, message, errno)
}

impl Flate {
    /// Creates a stream for one of the deflate-family modes. Options outside
    /// Node's ranges are refused with `ERR_OUT_OF_RANGE` (the engine would
    /// otherwise refuse them by panicking).
    pub fn new(mode: Mode, opts: FlateOptions) -> Result<Self, NodeError> {
        if !(-1..=9).contains(&opts.level) {
            return Err(out_of_range("level", ">= -1 and <= 9", opts.level));
        }
        if !(1..=9).contains(&opts.mem_level) {
            return Err(out_of_range("memLevel", ">= 1 and <= 9", opts.mem_level));
        }
        if !(0..=4).contains(&opts.strategy) {
            return Err(out_of_range("strategy", ">= 0 and <= 4", opts.strategy));
        }
        let wb_ok = match mode {
            Mode::Inflate | Mode::Gunzip | Mode::Unzip => {
                opts.window_bits == 0 || (8..=15).contains(&opts.window_bits)
            }
            Mode::Gzip => (9..=15).contains(&opts.window_bits),
            Mode::Deflate | Mode::DeflateRaw | Mode::InflateRaw => {
                (8..=15).contains(&opts.window_bits)
            }
            Mode::BrotliDecode | Mode::BrotliEncode => false,
        };
        if !wb_ok {
            if matches!(mode, Mode::BrotliDecode | Mode::BrotliEncode) {
                return Err(NodeError::new(
                    "ERR_INVALID_ARG_VALUE",
                    "The argument 'mode' is invalid. Received a brotli mode",
                ));
            }
            let min = if mode == Mode::Gzip { 9 } else { 8 };
            return Err(out_of_range(
                "windowBits",
                &format!(">= {min} and <= 15"),
                opts.window_bits,
            ));
        }
        let engine = Self::make_engine(mode, &opts)?;
        let mut this = Self {
            initial_mode: mode,
            mode,
            opts,
            engine,
            gzip_id_bytes_read: 0,
            fed: false,
            touched: false,
            splice: None,
            whole: None,
            reject_garbage_after_end: false,
        };
        this.apply_dictionary()?;
        Ok(this)
    }

    fn make_engine(mode: Mode, opts: &FlateOptions) -> Result<Engine, NodeError> {
        let wb = opts.window_bits;
        Ok(match mode {
            Mode::Deflate | Mode::Gzip | Mode::DeflateRaw => {
                // zlib widens an 8-bit window to 9 bits when compressing (its
                // 256-byte window is broken); do it here so every mode agrees.
                let bits = wb.max(9);
                let window_bits = match mode {
                    Mode::Gzip => bits + 16,
                    Mode::DeflateRaw => -bits,
                    _ => bits,
                };
                Engine::Deflate(compressor(
                    opts.level,
                    window_bits,
                    opts.mem_level,
                    opts.strategy,
                )?)
            }
            Mode::Inflate => Engine::Inflate(Inflate::new(true, wb as u8)),
            Mode::Gunzip => Engine::Inflate(Inflate::new(true, (wb + 16) as u8)),
            Mode::Unzip => Engine::Inflate(Inflate::new(true, (wb + 32) as u8)),
            Mode::InflateRaw => Engine::Inflate(Inflate::new(false, wb as u8)),
            Mode::BrotliDecode | Mode::BrotliEncode => {
                return Err(NodeError::new(
                    "ERR_INVALID_ARG_VALUE",
                    "The argument 'mode' is invalid. Received a brotli mode",
                ))
            }
        })
    }

    /// The inflate engine for a fresh gzip member, keeping the header setting
    /// the stream was created with (gunzip, or unzip's auto-detection).
    fn fresh_member_engine(&self) -> Engine {
        let wb = self.opts.window_bits;
        let bits = if self.initial_mode == Mode::Unzip {
            wb + 32
        } else {
            wb + 16
        };
        Engine::Inflate(Inflate::new(true, bits as u8))
    }

    /// Dictionaries are given to the compressor (and the raw decompressor) up
    /// front; zlib-wrapped inflate asks for it when the header says so.
    fn apply_dictionary(&mut self) -> Result<(), NodeError> {
        if self.opts.dictionary.is_empty() {
            return Ok(());
        }
        match (&mut self.engine, self.mode) {
            (Engine::Deflate(d), Mode::Deflate | Mode::DeflateRaw) => {
                if d.set_dictionary(&self.opts.dictionary) {
                    Ok(())
                } else {
                    Err(NodeError::new(
                        "ERR_ZLIB_INITIALIZATION_FAILED",
                        "Initialization failed",
                    ))
                }
            }
            (Engine::Inflate(i), Mode::InflateRaw) => i
                .set_dictionary(&self.opts.dictionary)
                .map(|_| ())
                .map_err(|_| {
                    NodeError::new("ERR_ZLIB_INITIALIZATION_FAILED", "Initialization failed")
                }),
            _ => Ok(()),
        }
    }

    /// Makes a compressor ready for `params()` in mid-stream (streams call
    /// this; one-shot use does not pay for the bookkeeping).
    pub fn enable_params(&mut self) {
        if matches!(self.engine, Engine::Deflate(_)) {
            self.splice = Some(Box::new(Splice::new(
                self.initial_mode,
                &self.opts.dictionary,
            )));
        }
    }

    /// Node's `rejectGarbageAfterEnd: true`: a gunzip (or unzip of gzip data)
    /// stops at the end of the first member and leaves what follows unread,
    /// as zlib does for the other modes.
    pub fn set_reject_garbage_after_end(&mut self, on: bool) {
        self.reject_garbage_after_end = on;
    }

    /// Whether no input has been written since creation or the last reset.
    pub fn is_fresh(&self) -> bool {
        !self.fed
    }

    /// Decodes a whole input in one go (Node's `*Sync` functions with the
    /// default `Z_FINISH`), appending to `out` at most `limit` bytes. It
    /// covers the common case only: a fresh decoder, a 32 KiB window, no
    /// dictionary, well-formed gzip members (no header CRC), zlib streams
    /// that declare a 32 KiB window, and raw streams. It decodes them with a
    /// raw decoder that is reset rather than rebuilt, and checks the gzip
    /// CRC-32 / zlib Adler-32 trailer itself, chunk by chunk while the output
    /// is still in cache. Returns `false`, with `out` as it was, for anything
    /// else (other options, a corrupt or truncated input, the limit reached):
    /// the caller then runs the careful path, which reports Node's exact error.
    pub fn inflate_whole(&mut self, input: &[u8], limit: usize, out: &mut Vec<u8>) -> bool {
        if self.touched
            || self.initial_mode.compresses()
            || !self.opts.dictionary.is_empty()
            || !matches!(self.opts.window_bits, 0 | 15)
        {
            return false;
        }
        let base = out.len();
        let end = base.saturating_add(limit);
        let raw = self
            .whole
            .get_or_insert_with(|| Box::new(Inflate::new(false, 15)));
        let gzip = input.starts_with(&[GZIP_ID1, GZIP_ID2]);
        let ok = match self.initial_mode {
            Mode::InflateRaw => whole_member(raw, Wrap::Raw, input, end, true, out).is_some(),
            Mode::Inflate => whole_member(raw, Wrap::Zlib, input, end, true, out).is_some(),
            Mode::Unzip if !gzip => whole_member(raw, Wrap::Zlib, input, end, true, out).is_some(),
            Mode::Gunzip | Mode::Unzip => {
                // Members follow each other until the input ends or a zero
                // byte starts padding, which Node ignores with all after it.
                let mut pos = 0usize;
                loop {
                    let rest = input.get(pos..).unwrap_or(&[]);
                    match whole_member(raw, Wrap::Gzip, rest, end, pos == 0, out) {
                        Some(n) => pos = pos.saturating_add(n),
                        None => break false,
                    }
                    if input.get(pos).is_none_or(|&b| b == 0) {
                        break true;
                    }
                }
            }
            _ => false,
        };
        if !ok {
            out.truncate(base);
        }
        ok
    }

    /// Finds the message zlib-rs's fast decoding loop hid behind
    /// [`MASKED_MESSAGE`]: decodes `input` again from the start on a fresh
    /// stream with less than 260 bytes of output room per call, which keeps
    /// zlib-rs on its careful path, whose messages are zlib's. Only called
    /// after an error, with everything the stream was given.
    pub fn diagnose(&self, flush: i32, input: &[u8]) -> Option<NodeError> {
        let mut fresh = Flate::new(self.initial_mode, self.opts.clone()).ok()?;
        let mut scratch = [0u8; 256];
        let mut pos = 0usize;
        loop {
            let rest = input.get(pos..).unwrap_or(&[]);
            match fresh.write(flush, rest, &mut scratch) {
                Err(e) => return Some(e),
                Ok(p) if p.consumed == 0 && p.produced == 0 => return None,
                Ok(p) => pos += p.consumed,
            }
        }
    }

    /// The mode the stream was created with.
    pub fn initial_mode(&self) -> Mode {
        self.initial_mode
    }

    /// Node's `reset()`: same options, fresh state. Unzip detects gzip or zlib
    /// again on the next input (Node's handle would keep what it detected
    /// first, which would make a reused handle mistake zlib data for gzip).
    pub fn reset(&mut self) -> Result<(), NodeError> {
        if !self.touched && self.mode == self.initial_mode {
            // Nothing went through the engine: it is as new (one-shot calls
            // served by `inflate_whole` end here, which keeps them cheap).
            return Ok(());
        }
        self.touched = false;
        self.fed = false;
        self.mode = self.initial_mode;
        self.gzip_id_bytes_read = 0;
        let continued = self.splice.as_ref().is_some_and(|sp| sp.continued);
        match &mut self.engine {
            // deflateReset keeps the settings and the allocations.
            Engine::Deflate(d) if !continued => d.reset(),
            // inflateReset keeps the window's allocation too, but zlib-rs's
            // safe API can only reset to a 32 KiB window with a zlib header
            // or none: use it where that is the stream's own setting (a
            // zlib stream declares at most 32 KiB, so 0 means the same).
            Engine::Inflate(i)
                if (self.initial_mode == Mode::Inflate
                    && matches!(self.opts.window_bits, 0 | 15))
                    || (self.initial_mode == Mode::InflateRaw && self.opts.window_bits == 15) =>
            {
                i.reset(self.initial_mode == Mode::Inflate)
            }
            _ => self.engine = Self::make_engine(self.initial_mode, &self.opts)?,
        }
        if self.splice.is_some() {
            self.splice = Some(Box::new(Splice::new(
                self.initial_mode,
                &self.opts.dictionary,
            )));
        }
        self.apply_dictionary()
    }

    /// Node's `params(level, strategy)`: changes the compression level of a
    /// running compressor. zlib-rs's safe API changes the level only; the
    /// strategy stays the one given at creation when it was the default, and
    /// falls back to the default otherwise (the output stays valid deflate).
    pub fn params(&mut self, level: i32, strategy: i32) -> Result<(), NodeError> {
        if !(-1..=9).contains(&level) {
            return Err(out_of_range("level", ">= -1 and <= 9", level));
        }
        if !(0..=4).contains(&strategy) {
            return Err(out_of_range("strategy", ">= 0 and <= 4", strategy));
        }
        if matches!(self.engine, Engine::Inflate(_)) {
            return Ok(());
        }
        self.opts.level = level;
        self.opts.strategy = strategy;
        if !self.touched {
            // The engine never ran (so no header went out either): start
            // over with the new settings. Once it ran, even on no input (a
            // flush before any write), its header is out and the stream
            // continues as below.
            self.engine = Self::make_engine(self.initial_mode, &self.opts)?;
            return self.apply_dictionary();
        }
        let Some(splice) = self.splice.as_mut() else {
            return Err(zlib_error(-2, None, "Failed to set parameters"));
        };
        let bits = self.opts.window_bits.max(9);
        let Some(mut raw) = Compressor::new(level, -bits, self.opts.mem_level, strategy) else {
            return Err(zlib_error(-2, None, "Failed to set parameters"));
        };
        if !splice.window.is_empty() && !raw.set_dictionary(&splice.window) {
            return Err(zlib_error(-2, None, "Failed to set parameters"));
        }
        splice.continued = true;
        self.engine = Engine::Deflate(raw);
        Ok(())
    }

    /// Runs the codec once over `input` into `output` (Node's handle `write`).
    pub fn write(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<Progress, NodeError> {
        self.fed |= !input.is_empty();
        self.touched = true;
        match &mut self.engine {
            Engine::Deflate(d) => {
                // Node validated `flush` (0..=5); anything else is no flush.
                let dflush = if (0..=5).contains(&flush) { flush } else { 0 };
                if let Some(sp) = self.splice.as_mut().filter(|sp| !sp.trailer.is_empty()) {
                    // The rest of a trailer from an earlier call goes first.
                    let n = sp.trailer.len().min(output.len());
                    output[..n].copy_from_slice(&sp.trailer[..n]);
                    sp.trailer.drain(..n);
                    return Ok(Progress {
                        consumed: 0,
                        produced: n,
                    });
                }
                let (res, consumed, produced) = d.compress(input, output, dflush);
                let mut progress = Progress { consumed, produced };
                if let Some(sp) = self.splice.as_mut() {
                    sp.feed(
                        self.initial_mode,
                        &input[..progress.consumed.min(input.len())],
                    );
                    if dflush == 3 {
                        // A full flush makes what follows decodable on its
                        // own: a later continuation must not reach behind it.
                        sp.window.clear();
                    }
                    if sp.continued && matches!(res, Outcome::StreamEnd) && !sp.trailer_made {
                        // The raw continuation ended: append the wrapper's trailer once.
                        sp.make_trailer(self.initial_mode);
                        sp.trailer_made = true;
                        let room = output.len() - progress.produced;
                        let n = sp.trailer.len().min(room);
                        output[progress.produced..progress.produced + n]
                            .copy_from_slice(&sp.trailer[..n]);
                        sp.trailer.drain(..n);
                        progress.produced += n;
                    }
                }
                match res {
                    Outcome::StreamEnd => Ok(progress),
                    Outcome::Ok | Outcome::BufError => {
                        if flush == Z_FINISH && progress.produced < output.len() {
                            Err(zlib_error(-5, d.error_message(), "unexpected end of file"))
                        } else {
                            Ok(progress)
                        }
                    }
                    Outcome::Error(errno) => {
                        Err(zlib_error(errno, d.error_message(), "Zlib error"))
                    }
                }
            }
            Engine::Inflate(_) => self.inflate(flush, input, output),
        }
    }

    fn inflate(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<Progress, NodeError> {
        if self.mode == Mode::Unzip && !input.is_empty() {
            self.sniff_gzip(input);
        }
        let iflush = match flush {
            2 => InflateFlush::SyncFlush,
            4 => InflateFlush::Finish,
            5 => InflateFlush::Block,
            _ => InflateFlush::NoFlush,
        };
        let mut p = Progress::default();
        let mut res = self.inflate_step(iflush, input, output, &mut p);
        if self.mode != Mode::InflateRaw
            && matches!(res, Err(InflateError::NeedDict { .. }))
            && !self.opts.dictionary.is_empty()
        {
            if let Engine::Inflate(i) = &mut self.engine {
                res = match i.set_dictionary(&self.opts.dictionary) {
                    Ok(_) => self.inflate_step(iflush, input, output, &mut p),
                    // A dictionary whose checksum is not the one the header
                    // asks for: Node reports it as a bad dictionary.
                    Err(InflateError::DataError) => Err(InflateError::NeedDict { dict_id: 0 }),
                    Err(e) => Err(e),
                };
            }
        }
        // More input after the end of a gzip member: another member follows,
        // unless it is zero padding, which Node ignores.
        while self.mode == Mode::Gunzip
            && !self.reject_garbage_after_end
            && matches!(res, Ok(Status::StreamEnd))
            && input.get(p.consumed).is_some_and(|&b| b != 0)
        {
            self.engine = self.fresh_member_engine();
            res = self.inflate_step(iflush, input, output, &mut p);
        }
        let msg = match &self.engine {
            Engine::Inflate(i) => i.error_message(),
            Engine::Deflate(d) => d.error_message(),
        };
        match res {
            Ok(Status::StreamEnd) => Ok(p),
            Ok(Status::Ok | Status::BufError) => {
                if flush == Z_FINISH && p.produced < output.len() {
                    Err(zlib_error(-5, msg, "unexpected end of file"))
                } else {
                    Ok(p)
                }
            }
            Err(InflateError::NeedDict { .. }) => Err(NodeError::with_errno(
                "Z_NEED_DICT",
                if self.opts.dictionary.is_empty() {
                    "Missing dictionary"
                } else {
                    "Bad dictionary"
                },
                2,
            )),
            Err(e) => {
                let errno = match e {
                    InflateError::StreamError => -2,
                    InflateError::DataError => -3,
                    InflateError::MemError => -4,
                    InflateError::NeedDict { .. } => 2,
                };
                Err(zlib_error(errno, msg, "Zlib error"))
            }
        }
    }

    /// One inflate call on what is left of `input`/`output` after `p`.
    fn inflate_step(
        &mut self,
        flush: InflateFlush,
        input: &[u8],
        output: &mut [u8],
        p: &mut Progress,
    ) -> Result<Status, InflateError> {
        let Engine::Inflate(i) = &mut self.engine else {
            return Err(InflateError::StreamError);
        };
        let rest_in = input.get(p.consumed..).unwrap_or(&[]);
        let rest_out = output.get_mut(p.produced..).unwrap_or(&mut []);
        let (in0, out0) = (i.total_in(), i.total_out());
        let res = i.decompress(rest_in, rest_out, flush);
        p.consumed += (i.total_in() - in0) as usize;
        p.produced += (i.total_out() - out0) as usize;
        res
    }

    /// Unzip decides between gzip and zlib from the first two bytes, which may
    /// arrive in separate writes.
    fn sniff_gzip(&mut self, input: &[u8]) {
        let mut at = 0;
        if self.gzip_id_bytes_read == 0 {
            if input.first() == Some(&GZIP_ID1) {
                self.gzip_id_bytes_read = 1;
                at = 1;
            } else {
                self.mode = Mode::Inflate;
                return;
            }
        }
        if self.gzip_id_bytes_read == 1 {
            match input.get(at) {
                None => {}
                Some(&GZIP_ID2) => {
                    self.gzip_id_bytes_read = 2;
                    self.mode = Mode::Gunzip;
                }
                Some(_) => self.mode = Mode::Inflate,
            }
        }
    }
}

/// The wrapper around a deflate stream, for [`Flate::inflate_whole`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wrap {
    Raw,
    Zlib,
    Gzip,
}

/// Output room zlib-rs's fast decoding loop wants (the longest match, 258,
/// and a little).
const FAST_LOOP_ROOM: usize = 320;

/// Output room per decoder call on the whole-input path: small enough that
/// the checksum reads the bytes while they are still in cache.
const WHOLE_STEP: usize = 256 * 1024;

/// The length of a gzip header at the start of `input` when it is one that
/// needs no checking beyond its layout (no header CRC, no reserved flags).
fn plain_gzip_header(input: &[u8]) -> Option<usize> {
    let h = input.get(..10)?;
    if h[..3] != [GZIP_ID1, GZIP_ID2, 8] || h[3] & 0xe2 != 0 {
        return None;
    }
    let flags = h[3];
    let mut pos = 10usize;
    if flags & 4 != 0 {
        let xlen = input.get(pos..pos + 2)?;
        pos += 2 + usize::from(u16::from_le_bytes([xlen[0], xlen[1]]));
    }
    for bit in [8u8, 16] {
        if flags & bit != 0 {
            let nul = memchr::memchr(0, input.get(pos..)?)?;
            pos += nul + 1;
        }
    }
    (pos <= input.len()).then_some(pos)
}

/// Decodes one wrapped stream from the start of `input` onto `out`, never
/// letting `out` grow past `end` bytes. Returns the input bytes it used, or
/// `None` when the stream is not one this path handles or is not valid.
fn whole_member(
    raw: &mut Inflate,
    wrap: Wrap,
    input: &[u8],
    end: usize,
    first: bool,
    out: &mut Vec<u8>,
) -> Option<usize> {
    let mut pos = match wrap {
        Wrap::Raw => 0,
        Wrap::Zlib => {
            let (cmf, flg) = (*input.first()?, *input.get(1)?);
            // Deflate with a 32 KiB window, no preset dictionary.
            let ok =
                cmf == 0x78 && flg & 0x20 == 0 && (u16::from(cmf) << 8 | u16::from(flg)) % 31 == 0;
            ok.then_some(2)?
        }
        Wrap::Gzip => plain_gzip_header(input)?,
    };
    let start = out.len();
    // A lone gzip member states its size in its last four bytes.
    let stated = match wrap {
        Wrap::Gzip => input
            .len()
            .checked_sub(4)
            .and_then(|at| input.get(at..))
            .and_then(|t| t.try_into().ok())
            .map(|t: [u8; 4]| u32::from_le_bytes(t) as usize)
            .filter(|&n| n <= input.len().saturating_mul(1032)),
        _ => None,
    };
    // Beyond the stated size, room for the decoder's fast loop, which
    // runs only with 258 bytes of output space free (without it, small
    // inputs went through the general loop: 64 B gunzips measured about
    // 10% slower end to end).
    let guess = match stated {
        Some(n) => n.saturating_add(FAST_LOOP_ROOM),
        None => input.len().saturating_mul(4).saturating_add(1024),
    };
    // Only the first member sizes the buffer (later ones grow it by
    // doubling, below). try_reserve_exact counts from the length: a buffer
    // with that much spare capacity (one reused between calls) is left alone.
    if first {
        out.try_reserve_exact(guess.min(end.saturating_sub(start)).max(64))
            .ok()?;
    }
    raw.reset(false);
    let mut check: u32 = if wrap == Wrap::Zlib { 1 } else { 0 };
    loop {
        if out.len() >= end {
            // At the limit before the end: the careful path says what Node says.
            return None;
        }
        if out.len() == out.capacity() {
            // Double, but never past the limit (a bomb stays bounded).
            let more = out.len().max(64 * 1024).min(end - out.len());
            out.try_reserve_exact(more).ok()?;
        }
        let len = out.len();
        // Raw streams have no check to compute, so no reason to stop early
        // (each stop also copies the last 32 KiB into the decoder's window).
        let step = if wrap == Wrap::Raw {
            usize::MAX
        } else {
            WHOLE_STEP
        };
        let room = (end - len).min(step);
        let spare = out.spare_capacity_mut();
        let spare_len = spare.len().min(room);
        let slot = spare.get_mut(..spare_len)?;
        let rest = input.get(pos..)?;
        let (in0, out0) = (raw.total_in(), raw.total_out());
        let res = raw.decompress_uninit(rest, slot, InflateFlush::NoFlush);
        let produced = usize::try_from(raw.total_out() - out0).ok()?.min(spare_len);
        let consumed = usize::try_from(raw.total_in() - in0).ok()?.min(rest.len());
        // SAFETY: the decoder initialised the first `produced` bytes of the
        // spare capacity it was given (`decompress_uninit`'s contract), and
        // `produced` is at most that capacity.
        unsafe { out.set_len(len + produced) };
        pos += consumed;
        let fresh = out.get(len..)?;
        check = match wrap {
            Wrap::Raw => 0,
            Wrap::Zlib => zlib_rs::adler32::adler32(check, fresh),
            Wrap::Gzip => super::crc32::crc32(check, fresh),
        };
        match res {
            Ok(Status::StreamEnd) => break,
            // Room left but no end: the input stopped early.
            Ok(_) if produced < spare_len => return None,
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    let trailer = |n: usize| -> Option<&[u8]> { input.get(pos..pos.checked_add(n)?) };
    match wrap {
        Wrap::Raw => {}
        Wrap::Zlib => {
            let t = trailer(4)?;
            if u32::from_be_bytes([t[0], t[1], t[2], t[3]]) != check {
                return None;
            }
            pos += 4;
        }
        Wrap::Gzip => {
            let t = trailer(8)?;
            let size = (out.len() - start) as u32;
            if u32::from_le_bytes([t[0], t[1], t[2], t[3]]) != check
                || u32::from_le_bytes([t[4], t[5], t[6], t[7]]) != size
            {
                return None;
            }
            pos += 8;
        }
    }
    Some(pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zlib::oneshot::run;
    use crate::zlib::Codec;

    fn codec(mode: Mode, opts: FlateOptions) -> Codec {
        Codec::Flate(Flate::new(mode, opts).expect("valid options"))
    }

    fn once(mode: Mode, opts: FlateOptions, input: &[u8]) -> Result<Vec<u8>, NodeError> {
        let mut c = codec(mode, opts);
        run(&mut c, input, 4, 16 * 1024, usize::MAX)
    }

    #[test]
    fn round_trips_every_mode_and_option() {
        let data: Vec<u8> = (0..20_000u32)
            .map(|i| (i * 7 % 251) as u8 ^ (i / 300) as u8)
            .collect();
        for (c, d) in [
            (Mode::Deflate, Mode::Inflate),
            (Mode::Gzip, Mode::Gunzip),
            (Mode::DeflateRaw, Mode::InflateRaw),
            (Mode::Gzip, Mode::Unzip),
            (Mode::Deflate, Mode::Unzip),
        ] {
            for level in -1..=9 {
                for strategy in 0..=4 {
                    for wb in [9, 15] {
                        for mem in [1, 9] {
                            let opts = FlateOptions {
                                level,
                                window_bits: wb,
                                mem_level: mem,
                                strategy,
                                dictionary: Vec::new(),
                            };
                            let z = once(c, opts.clone(), &data).expect("compress");
                            let back = once(
                                d,
                                FlateOptions {
                                    window_bits: 15,
                                    ..opts
                                },
                                &z,
                            )
                            .expect("decompress");
                            assert_eq!(back, data);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_node_accepted_window_size_constructs() {
        for wb in 8..=15 {
            for mode in [
                Mode::Deflate,
                Mode::DeflateRaw,
                Mode::Inflate,
                Mode::InflateRaw,
            ] {
                let o = FlateOptions {
                    window_bits: wb,
                    ..Default::default()
                };
                assert!(Flate::new(mode, o).is_ok());
            }
        }
        for mode in [Mode::Inflate, Mode::Gunzip, Mode::Unzip] {
            let o = FlateOptions {
                window_bits: 0,
                ..Default::default()
            };
            assert!(Flate::new(mode, o).is_ok());
        }
        let o = FlateOptions {
            window_bits: 8,
            ..Default::default()
        };
        assert_eq!(
            Flate::new(Mode::Gzip, o).err().map(|e| e.code),
            Some("ERR_OUT_OF_RANGE")
        );
    }

    #[test]
    fn node_error_messages() {
        let e = once(Mode::Gunzip, FlateOptions::default(), b"hello there").unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str(), e.errno),
            ("Z_DATA_ERROR", "incorrect header check", Some(-3))
        );
        let e = once(Mode::InflateRaw, FlateOptions::default(), &[0, 5, 0, 0, 0]).unwrap_err();
        assert_eq!(e.message, "invalid stored block lengths");
        let e = once(
            Mode::InflateRaw,
            FlateOptions::default(),
            &[0x63, 0, 0x42, 0],
        )
        .unwrap_err();
        assert_eq!(e.message, "invalid distance too far back");
        let e = once(Mode::Inflate, FlateOptions::default(), &[]).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str(), e.errno),
            ("Z_BUF_ERROR", "unexpected end of file", Some(-5))
        );
        let gz = once(Mode::Gzip, FlateOptions::default(), b"hello world").unwrap();
        let mut bad = gz.clone();
        let n = bad.len();
        bad[n - 5] ^= 1;
        let e = once(Mode::Gunzip, FlateOptions::default(), &bad).unwrap_err();
        assert_eq!(e.message, "incorrect data check");
    }

    #[test]
    fn params_in_mid_stream_keep_one_valid_stream() {
        let data: Vec<u8> = (0..100_000u32)
            .map(|i| (i % 251) as u8 ^ (i / 977) as u8)
            .collect();
        for (c, d) in [
            (Mode::Deflate, Mode::Inflate),
            (Mode::Gzip, Mode::Gunzip),
            (Mode::DeflateRaw, Mode::InflateRaw),
        ] {
            for dict in [Vec::new(), data[..3000].to_vec()] {
                if c == Mode::Gzip && !dict.is_empty() {
                    continue;
                }
                let opts = FlateOptions {
                    dictionary: dict.clone(),
                    ..Default::default()
                };
                let mut f = Flate::new(c, opts.clone()).unwrap();
                f.enable_params();
                let mut codec = Codec::Flate(f);
                let mut z = run(&mut codec, &data[..40_000], 2, 64, usize::MAX).unwrap();
                if let Codec::Flate(f) = &mut codec {
                    f.params(1, 2).unwrap();
                }
                z.extend(run(&mut codec, &data[40_000..70_000], 2, 64, usize::MAX).unwrap());
                if let Codec::Flate(f) = &mut codec {
                    f.params(9, 0).unwrap();
                }
                // Finish with a tiny output room so the trailer spans calls.
                z.extend(run(&mut codec, &data[70_000..], 4, 64, usize::MAX).unwrap());
                let back = once(
                    d,
                    FlateOptions {
                        dictionary: dict,
                        ..Default::default()
                    },
                    &z,
                )
                .unwrap();
                assert_eq!(back, data, "{c:?}");
            }
        }
    }

    #[test]
    fn unzip_detects_again_after_reset() {
        let gz = once(Mode::Gzip, FlateOptions::default(), b"ab").unwrap();
        let z = once(Mode::Deflate, FlateOptions::default(), b"cd").unwrap();
        let mut c = codec(Mode::Unzip, FlateOptions::default());
        assert_eq!(run(&mut c, &z, 4, 16384, usize::MAX).unwrap(), b"cd");
        c.reset().unwrap();
        let with_garbage = [gz, vec![0x27]].concat();
        let e = run(&mut c, &with_garbage, 4, 16384, usize::MAX).unwrap_err();
        assert_eq!(e.message, "unexpected end of file");
    }

    #[test]
    fn gzip_members_padding_and_garbage() {
        let gz = once(Mode::Gzip, FlateOptions::default(), b"ab").unwrap();
        let two = [gz.clone(), gz.clone()].concat();
        assert_eq!(
            once(Mode::Gunzip, FlateOptions::default(), &two).unwrap(),
            b"abab"
        );
        assert_eq!(
            once(Mode::Unzip, FlateOptions::default(), &two).unwrap(),
            b"abab"
        );
        let padded = [gz.clone(), vec![0; 4]].concat();
        assert_eq!(
            once(Mode::Gunzip, FlateOptions::default(), &padded).unwrap(),
            b"ab"
        );
        let garbage = [gz.clone(), b"xyz".to_vec()].concat();
        let e = once(Mode::Gunzip, FlateOptions::default(), &garbage).unwrap_err();
        assert_eq!(e.message, "incorrect header check");
    }

    #[test]
    fn dictionaries() {
        let dict = b"hello dictionary".to_vec();
        let opts = FlateOptions {
            dictionary: dict.clone(),
            ..Default::default()
        };
        let z = once(Mode::Deflate, opts.clone(), b"hello dictionary hello").unwrap();
        assert_eq!(
            once(Mode::Inflate, opts, &z).unwrap(),
            b"hello dictionary hello"
        );
        let e = once(Mode::Inflate, FlateOptions::default(), &z).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str(), e.errno),
            ("Z_NEED_DICT", "Missing dictionary", Some(2))
        );
        let wrong = FlateOptions {
            dictionary: b"nope".to_vec(),
            ..Default::default()
        };
        let e = once(Mode::Inflate, wrong, &z).unwrap_err();
        assert_eq!(e.message, "Bad dictionary");
        let raw = FlateOptions {
            dictionary: dict,
            ..Default::default()
        };
        let z = once(Mode::DeflateRaw, raw.clone(), b"hello dictionary!").unwrap();
        assert_eq!(
            once(Mode::InflateRaw, raw, &z).unwrap(),
            b"hello dictionary!"
        );
    }
}

#[cfg(test)]
mod masked_tests {
    use super::*;
    use crate::zlib::oneshot::run;
    use crate::zlib::Codec;

    #[test]
    fn fast_path_errors_keep_zlibs_message() {
        // A raw deflate stream whose first match reaches before the start of
        // the output, long enough for zlib-rs's fast loop to find it.
        let mut c = Codec::Flate(Flate::new(Mode::DeflateRaw, FlateOptions::default()).unwrap());
        let text: Vec<u8> = b"the quick brown fox jumps over the lazy dog; ".repeat(40);
        let mut z = run(&mut c, &text, 4, 16384, usize::MAX).unwrap();
        let mut seen = 0;
        for i in 0..z.len() {
            for bit in 0..8 {
                z[i] ^= 1 << bit;
                let mut d =
                    Codec::Flate(Flate::new(Mode::InflateRaw, FlateOptions::default()).unwrap());
                if let Err(e) = run(&mut d, &z, 4, 16384, usize::MAX) {
                    assert_ne!(e.message, MASKED_MESSAGE);
                    seen += 1;
                }
                z[i] ^= 1 << bit;
            }
        }
        assert!(seen > 0);
    }
}
