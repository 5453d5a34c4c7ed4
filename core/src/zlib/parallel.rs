//! Block-parallel gzip and deflate (pigz's approach), sans threads.
//!
//! The input is cut into blocks. Each block is raw-deflated on its own, primed
//! with the previous block's last 32 KiB as a preset dictionary (so matches
//! still reach back across the cut), and ends with a sync flush (the last one
//! with finish), which leaves every block's output byte-aligned. The blocks'
//! outputs concatenated after the wrapper's header form one valid deflate
//! stream; the trailer's CRC-32 / Adler-32 is combined from per-block checks.
//!
//! This module only plans and joins; who runs the blocks (a rayon pool in the
//! threaded wasm build, a plain loop in tests) is the embedder's choice: it
//! passes a `map` function that turns every [`BlockJob`] into a [`BlockOut`].

use super::flate::FlateOptions;
use super::tuned::{Compressor, Outcome};
use super::Mode;
use crate::NodeError;

/// Smallest block size accepted (smaller blocks lose too much ratio).
pub const MIN_BLOCK: usize = 32 * 1024;
/// Block size used when the caller has no opinion.
pub const DEFAULT_BLOCK: usize = 512 * 1024;

/// One block to compress: its input range and the dictionary range before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockJob {
    /// Start of the block in the input.
    pub start: usize,
    /// End (exclusive) of the block in the input.
    pub end: usize,
    /// Start of the preset dictionary (it ends at `start`).
    pub dict_start: usize,
    /// Whether this is the last block (ends the deflate stream).
    pub last: bool,
}

/// What compressing one block produced.
#[derive(Clone, Debug, Default)]
pub struct BlockOut {
    /// Raw deflate bytes of the block (byte-aligned at both ends).
    pub data: Vec<u8>,
    /// The block input's own CRC-32 (gzip) or Adler-32 (zlib), from the initial value.
    pub check: u32,
}

fn init_failed() -> NodeError {
    NodeError::new("ERR_ZLIB_INITIALIZATION_FAILED", "Initialization failed")
}

/// Whether these options can take the parallel path: a deflate or gzip
/// compressor with options in Node's ranges and no preset dictionary.
pub fn supported(mode: Mode, opts: &FlateOptions) -> bool {
    matches!(mode, Mode::Gzip | Mode::Deflate)
        && (-1..=9).contains(&opts.level)
        && (1..=9).contains(&opts.mem_level)
        && (0..=4).contains(&opts.strategy)
        && (9..=15).contains(&opts.window_bits)
        && opts.dictionary.is_empty()
}

/// Cuts `len` input bytes into blocks of `block` bytes (at least [`MIN_BLOCK`]).
pub fn plan(len: usize, block: usize, window_bits: i32) -> Vec<BlockJob> {
    let block = block.max(MIN_BLOCK);
    let window = 1usize << window_bits.clamp(9, 15);
    let mut jobs = Vec::with_capacity(len / block + 1);
    let mut start = 0usize;
    loop {
        let end = start.saturating_add(block).min(len);
        jobs.push(BlockJob {
            start,
            end,
            dict_start: start.saturating_sub(window),
            last: end == len,
        });
        if end == len {
            return jobs;
        }
        start = end;
    }
}

/// Raw-deflates one block of `input` as `job` describes; `check` is computed
/// for `mode` (CRC-32 for gzip, Adler-32 for deflate).
pub fn compress_block(
    mode: Mode,
    opts: &FlateOptions,
    input: &[u8],
    job: BlockJob,
) -> Result<BlockOut, NodeError> {
    let block = input.get(job.start..job.end).ok_or_else(init_failed)?;
    let dict = input
        .get(job.dict_start..job.start)
        .ok_or_else(init_failed)?;
    let mut d = Compressor::new(
        opts.level,
        -opts.window_bits.clamp(9, 15),
        opts.mem_level,
        opts.strategy,
    )
    .ok_or_else(init_failed)?;
    if !dict.is_empty() && !d.set_dictionary(dict) {
        return Err(init_failed());
    }
    // Z_FINISH for the last block, Z_SYNC_FLUSH for the others.
    let flush = if job.last { 4 } else { 2 };
    // Deflate's worst case is a little over the input; start near it.
    let mut out = vec![0u8; zlib_rs::compress_bound(block.len()).saturating_add(64)];
    let mut produced = 0usize;
    let mut consumed = 0usize;
    loop {
        let rest_in = block.get(consumed..).unwrap_or_default();
        let rest_out = out.get_mut(produced..).unwrap_or_default();
        let (status, c, p) = d.compress(rest_in, rest_out, flush);
        if let Outcome::Error(errno) = status {
            let msg = d.error_message().unwrap_or("stream error");
            return Err(NodeError::with_errno(
                "Z_STREAM_ERROR",
                msg.to_string(),
                errno,
            ));
        }
        consumed += c;
        produced += p;
        let out_full = produced == out.len();
        let done = match status {
            Outcome::StreamEnd => true,
            // A sync flush is complete once all input is in and room is left over.
            _ => !job.last && consumed == block.len() && !out_full,
        };
        if done {
            break;
        }
        if out_full {
            let grow = out.len() / 2 + 1024;
            out.resize(out.len() + grow, 0);
        }
    }
    out.truncate(produced);
    let check = match mode {
        Mode::Gzip => zlib_rs::crc32::crc32(0, block),
        _ => zlib_rs::adler32::adler32(1, block),
    };
    Ok(BlockOut { data: out, check })
}

/// The wrapper's header exactly as the single-stream compressor writes it.
fn header(mode: Mode, opts: &FlateOptions) -> Result<Vec<u8>, NodeError> {
    let bits = opts.window_bits.clamp(9, 15);
    let wb = if mode == Mode::Gzip { bits + 16 } else { bits };
    let mut d =
        Compressor::new(opts.level, wb, opts.mem_level, opts.strategy).ok_or_else(init_failed)?;
    let mut out = [0u8; 64];
    if let (Outcome::Error(_), _, _) = d.compress(&[], &mut out, 4) {
        return Err(init_failed());
    }
    let n = if mode == Mode::Gzip { 10 } else { 2 };
    out.get(..n).map(<[u8]>::to_vec).ok_or_else(init_failed)
}

/// Compresses `input` for `mode` (gzip or deflate) in blocks of `block`
/// bytes; `map` compresses the jobs (in any order or in parallel) and returns
/// their outputs in job order. The result is one stream, byte for byte what a
/// zlib inflater accepts as a single gzip member / zlib stream.
pub fn compress<M>(
    mode: Mode,
    opts: &FlateOptions,
    input: &[u8],
    block: usize,
    map: M,
) -> Result<Vec<u8>, NodeError>
where
    M: FnOnce(&[BlockJob]) -> Vec<Result<BlockOut, NodeError>>,
{
    if !supported(mode, opts) {
        return Err(NodeError::new(
            "ERR_INVALID_ARG_VALUE",
            "The parallel compressor supports gzip and deflate without a dictionary",
        ));
    }
    let jobs = plan(input.len(), block, opts.window_bits);
    let outs = map(&jobs);
    if outs.len() != jobs.len() {
        return Err(init_failed());
    }
    let head = header(mode, opts)?;
    let mut total = head.len() + 8;
    for o in outs.iter().flatten() {
        total = total.saturating_add(o.data.len());
    }
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&head);
    let mut check = if mode == Mode::Gzip { 0u32 } else { 1u32 };
    for (job, o) in jobs.iter().zip(outs) {
        let o = o?;
        let len = (job.end - job.start) as u64;
        check = if mode == Mode::Gzip {
            zlib_rs::crc32::crc32_combine(check, o.check, len)
        } else {
            zlib_rs::adler32::adler32_combine(check, o.check, len)
        };
        out.extend_from_slice(&o.data);
    }
    if mode == Mode::Gzip {
        out.extend_from_slice(&check.to_le_bytes());
        // ISIZE is the input length modulo 2^32.
        out.extend_from_slice(&((input.len() as u64 & 0xffff_ffff) as u32).to_le_bytes());
    } else {
        out.extend_from_slice(&check.to_be_bytes());
    }
    Ok(out)
}

/// Runs the jobs one after another (the reference for parallel embedders).
pub fn map_sequential<'a>(
    mode: Mode,
    opts: &'a FlateOptions,
    input: &'a [u8],
) -> impl FnOnce(&[BlockJob]) -> Vec<Result<BlockOut, NodeError>> + 'a {
    move |jobs| {
        jobs.iter()
            .map(|j| compress_block(mode, opts, input, *j))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zlib::oneshot;
    use crate::zlib::{flate::Flate, Codec};

    fn inflate(mode: Mode, data: &[u8]) -> Vec<u8> {
        let m = if mode == Mode::Gzip {
            Mode::Gunzip
        } else {
            Mode::Inflate
        };
        let mut c = Codec::Flate(Flate::new(m, FlateOptions::default()).unwrap());
        oneshot::finish(&mut c, data, usize::MAX).unwrap()
    }

    fn single(mode: Mode, opts: &FlateOptions, data: &[u8]) -> Vec<u8> {
        let mut c = Codec::Flate(Flate::new(mode, opts.clone()).unwrap());
        oneshot::finish(&mut c, data, usize::MAX).unwrap()
    }

    fn text(n: usize) -> Vec<u8> {
        let words = [
            "stream ", "buffer ", "worker ", "thread ", "zlib\n", "crypto, ", "the ",
        ];
        let mut seed = 12345u32;
        let mut v = Vec::with_capacity(n + 16);
        while v.len() < n {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            v.extend_from_slice(words[(seed >> 16) as usize % words.len()].as_bytes());
        }
        v.truncate(n);
        v
    }

    #[test]
    fn round_trips_and_stays_close_in_size() {
        for mode in [Mode::Gzip, Mode::Deflate] {
            for (len, block) in [
                (0, MIN_BLOCK),
                (1, MIN_BLOCK),
                (MIN_BLOCK, MIN_BLOCK),
                (300_000, 40_000),
            ] {
                let data = text(len);
                let opts = FlateOptions::default();
                let par = compress(
                    mode,
                    &opts,
                    &data,
                    block,
                    map_sequential(mode, &opts, &data),
                )
                .unwrap();
                assert_eq!(inflate(mode, &par), data, "{mode:?} {len}");
                let one = single(mode, &opts, &data);
                assert_eq!(par[..2], one[..2]);
                if len >= MIN_BLOCK {
                    let ratio = par.len() as f64 / one.len() as f64;
                    assert!(
                        ratio < 1.02,
                        "{mode:?} {len}: {} vs {}",
                        par.len(),
                        one.len()
                    );
                }
            }
        }
    }

    #[test]
    fn levels_strategies_and_windows_round_trip() {
        let data = text(200_000);
        for level in [-1, 0, 1, 9] {
            for strategy in 0..=4 {
                for window_bits in [9, 12, 15] {
                    let opts = FlateOptions {
                        level,
                        strategy,
                        window_bits,
                        ..FlateOptions::default()
                    };
                    let par = compress(
                        Mode::Gzip,
                        &opts,
                        &data,
                        MIN_BLOCK,
                        map_sequential(Mode::Gzip, &opts, &data),
                    )
                    .unwrap();
                    assert_eq!(
                        inflate(Mode::Gzip, &par),
                        data,
                        "{level} {strategy} {window_bits}"
                    );
                }
            }
        }
    }

    #[test]
    fn refuses_what_it_cannot_do() {
        let opts = FlateOptions {
            dictionary: vec![1, 2, 3],
            ..FlateOptions::default()
        };
        let err = compress(Mode::Deflate, &opts, b"x", MIN_BLOCK, |_| Vec::new()).unwrap_err();
        assert_eq!(err.code, "ERR_INVALID_ARG_VALUE");
        let opts = FlateOptions::default();
        assert!(compress(Mode::DeflateRaw, &opts, b"x", MIN_BLOCK, |_| Vec::new()).is_err());
        // A map that loses jobs is an error, not a short stream.
        assert!(compress(Mode::Gzip, &opts, b"x", MIN_BLOCK, |_| Vec::new()).is_err());
    }

    #[test]
    fn plan_covers_the_input() {
        let jobs = plan(1_000_001, 100_000, 15);
        assert_eq!(jobs.len(), 11);
        assert_eq!(
            jobs[0],
            BlockJob {
                start: 0,
                end: 100_000,
                dict_start: 0,
                last: false
            }
        );
        assert_eq!(jobs[1].dict_start, 100_000 - 32768);
        assert!(jobs.windows(2).all(|w| w[0].end == w[1].start));
        assert!(jobs.last().unwrap().last);
    }
}
