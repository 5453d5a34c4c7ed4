//! Drives a codec over a whole input into one buffer, as Node's `*Sync`
//! functions and its stream `write`s do: keep calling while the output fills
//! up, stop when a call leaves room. The buffer never grows past
//! `max_output + 1` bytes, so `maxOutputLength` stops a decompression bomb
//! before it allocates beyond the limit.

use super::flate::MASKED_MESSAGE;
use super::{Codec, Mode};
use crate::NodeError;

/// Node's `ERR_BUFFER_TOO_LARGE` for `maxOutputLength`.
pub fn too_large(max_output: usize) -> NodeError {
    NodeError::new(
        "ERR_BUFFER_TOO_LARGE",
        format!("Cannot create a Buffer larger than {max_output} bytes"),
    )
}

fn out_of_memory() -> NodeError {
    NodeError::with_errno("Z_MEM_ERROR", "Out of memory", -4)
}

/// Processes all of `input` with `flush` and returns everything the codec
/// produced. `chunk` is the least output room offered per call (Node's
/// `chunkSize`); `max_output` is `maxOutputLength`.
pub fn run(
    codec: &mut Codec,
    input: &[u8],
    flush: i32,
    chunk: usize,
    max_output: usize,
) -> Result<Vec<u8>, NodeError> {
    let mut out = Vec::new();
    run_into(codec, input, flush, chunk, max_output, &mut out)?;
    Ok(out)
}

/// As [`run`], appending to `out` (whose previous contents count towards
/// nothing: the limit is on what this call adds).
pub fn run_into(
    codec: &mut Codec,
    input: &[u8],
    flush: i32,
    chunk: usize,
    max_output: usize,
    out: &mut Vec<u8>,
) -> Result<(), NodeError> {
    let chunk = chunk.max(64);
    let base = out.len();
    let fresh = matches!(codec, Codec::Flate(f) if f.is_fresh());
    // The most this call may ever hold: one byte past the limit tells us the
    // limit was crossed, but only at the end of the `chunk`-sized piece Node
    // would have been filling: an error the codec finds within that piece
    // comes first in Node (it checks the size after each piece).
    let cap = round_up(max_output.saturating_add(1), chunk);
    let guess = if codec.mode().compresses() {
        input.len() / 2 + 1024
    } else if let Some(size) = gzip_size_hint(codec.mode(), input) {
        // A single gzip member states its size in its last four bytes: room
        // for exactly that (and a little) saves growing and copying.
        size.saturating_add(256)
    } else {
        input.len().saturating_mul(4).saturating_add(1024)
    };
    // Small inputs get a small first buffer: zeroing a whole chunk would cost
    // more than decoding 64 bytes.
    let mut want = guess.max(64).min(cap);
    let mut pos = 0usize;
    let mut len = 0usize;
    loop {
        let room = want.saturating_sub(len);
        let end = base.checked_add(want).ok_or_else(out_of_memory)?;
        if out.len() < end {
            out.try_reserve_exact(end - out.len())
                .map_err(|_| out_of_memory())?;
            out.resize(end, 0);
        }
        let rest_in = input.get(pos..).unwrap_or(&[]);
        let slot = out.get_mut(base + len..end).unwrap_or(&mut []);
        let res = codec.write(flush, rest_in, slot);
        let p = match res {
            Ok(p) => p,
            Err(mut e) => {
                out.truncate(base);
                if let (true, Codec::Flate(f)) = (fresh && e.message == MASKED_MESSAGE, &*codec) {
                    if let Some(real) = f.diagnose(flush, input) {
                        e = real;
                    }
                }
                return Err(e);
            }
        };
        pos = pos.saturating_add(p.consumed).min(input.len());
        len = len.saturating_add(p.produced).min(want);
        if p.produced < room || room == 0 || len >= cap {
            break;
        }
        // Output full: offer more room, doubling, never past the limit.
        want = want
            .saturating_mul(2)
            .max(len.saturating_add(chunk))
            .min(cap);
    }
    if len > max_output {
        out.truncate(base);
        return Err(too_large(max_output));
    }
    out.truncate(base + len);
    Ok(())
}

/// `n` rounded up to a multiple of `step` (saturating).
fn round_up(n: usize, step: usize) -> usize {
    let step = step.max(1);
    n.div_ceil(step).saturating_mul(step).max(n)
}

/// As [`run_into`] for one whole input in one call, as Node's `*Sync`
/// functions make: a fresh deflate-family decoder finishing with `Z_FINISH`
/// first tries [`Flate::inflate_whole`](super::flate::Flate::inflate_whole),
/// the fast path for well-formed input, and falls back to [`run_into`] for
/// everything else. The codec is left in a state only a `reset` should follow.
/// `out`'s spare capacity is reused (a handle that keeps one buffer between
/// calls saves an allocation per call); on error `out` is as it was.
pub fn run_whole_into(
    codec: &mut Codec,
    input: &[u8],
    flush: i32,
    chunk: usize,
    max_output: usize,
    out: &mut Vec<u8>,
) -> Result<(), NodeError> {
    if let (4, Codec::Flate(f)) = (flush, &mut *codec) {
        if f.inflate_whole(input, max_output, out) {
            return Ok(());
        }
    }
    run_into(codec, input, flush, chunk, max_output, out)
}

/// The ISIZE field of a gzip stream's last member, when `input` looks like a
/// whole gzip stream and the size is plausible (deflate expands at most ~1032x).
fn gzip_size_hint(mode: Mode, input: &[u8]) -> Option<usize> {
    if !matches!(mode, Mode::Gunzip | Mode::Unzip) || input.len() < 18 || input[..2] != [0x1f, 0x8b]
    {
        return None;
    }
    let tail: [u8; 4] = input[input.len() - 4..].try_into().ok()?;
    let size = u32::from_le_bytes(tail) as usize;
    (size <= input.len().saturating_mul(1032)).then_some(size)
}

/// A one-call convenience: a fresh codec of `mode` over `input` with
/// `Z_FINISH`/`BROTLI_OPERATION_FINISH`.
pub fn finish(codec: &mut Codec, input: &[u8], max_output: usize) -> Result<Vec<u8>, NodeError> {
    let flush = match codec.mode() {
        Mode::BrotliDecode | Mode::BrotliEncode => 2,
        _ => 4,
    };
    run(codec, input, flush, 16 * 1024, max_output)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zlib::flate::{Flate, FlateOptions};

    /// [`run_whole_into`] into a fresh buffer, finishing (`Z_FINISH`) in
    /// 16 KiB chunks.
    fn whole(codec: &mut Codec, input: &[u8], max_output: usize) -> Result<Vec<u8>, NodeError> {
        let mut out = Vec::new();
        run_whole_into(codec, input, 4, 16 * 1024, max_output, &mut out).map(|()| out)
    }

    #[test]
    fn max_output_stops_a_bomb_within_the_limit() {
        let mut c = Codec::Flate(Flate::new(Mode::Deflate, FlateOptions::default()).unwrap());
        let zeros = vec![0u8; 50 << 20];
        let bomb = finish(&mut c, &zeros, usize::MAX).unwrap();
        assert!(bomb.len() < 100_000);
        let mut d = Codec::Flate(Flate::new(Mode::Inflate, FlateOptions::default()).unwrap());
        let mut out = Vec::new();
        let e = run_into(&mut d, &bomb, 4, 16 * 1024, 1 << 20, &mut out).unwrap_err();
        assert_eq!(e.code, "ERR_BUFFER_TOO_LARGE");
        assert_eq!(
            e.message,
            "Cannot create a Buffer larger than 1048576 bytes"
        );
        assert!(
            out.capacity() <= (1 << 20) + 1 + 16 * 1024,
            "{}",
            out.capacity()
        );
    }

    fn xorshift(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    fn compress(mode: Mode, level: i32, data: &[u8]) -> Vec<u8> {
        let opts = FlateOptions {
            level,
            ..Default::default()
        };
        finish(
            &mut Codec::Flate(Flate::new(mode, opts).unwrap()),
            data,
            usize::MAX,
        )
        .unwrap()
    }

    /// A gzip member with the optional header fields zlib-rs's compressor
    /// never writes (extra field, name, comment, header CRC).
    fn fancy_gzip(data: &[u8], flags: u8) -> Vec<u8> {
        let raw = compress(Mode::DeflateRaw, 6, data);
        let mut g = vec![0x1f, 0x8b, 8, flags, 1, 2, 3, 4, 0, 3];
        if flags & 4 != 0 {
            g.extend_from_slice(&[3, 0, b'a', b'b', b'c']);
        }
        if flags & 8 != 0 {
            g.extend_from_slice(b"name.txt\0");
        }
        if flags & 16 != 0 {
            g.extend_from_slice(b"a comment\0");
        }
        if flags & 2 != 0 {
            let crc = zlib_rs::crc32::crc32(0, &g) as u16;
            g.extend_from_slice(&crc.to_le_bytes());
        }
        g.extend_from_slice(&raw);
        g.extend_from_slice(&zlib_rs::crc32::crc32(0, data).to_le_bytes());
        g.extend_from_slice(&(data.len() as u32).to_le_bytes());
        g
    }

    /// The whole-input fast path must be invisible: for every input, valid
    /// or not, it gives what the careful path gives (bytes or error).
    #[test]
    fn whole_path_equals_careful_path() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let text: Vec<u8> = (0..20_000u32)
            .map(|i| {
                b"the quick brown fox jumps over the lazy dog "[(i % 44) as usize]
                    ^ ((i / 7919) as u8 & 3)
            })
            .collect();
        let mut cases: Vec<(Mode, Vec<u8>)> = Vec::new();
        for len in [0usize, 1, 64, 1000, 20_000] {
            let d = &text[..len];
            for level in [0, 1, 6] {
                cases.push((Mode::Gunzip, compress(Mode::Gzip, level, d)));
                cases.push((Mode::Unzip, compress(Mode::Gzip, level, d)));
                cases.push((Mode::Inflate, compress(Mode::Deflate, level, d)));
                cases.push((Mode::Unzip, compress(Mode::Deflate, level, d)));
                cases.push((Mode::InflateRaw, compress(Mode::DeflateRaw, level, d)));
            }
            for flags in [2u8, 28, 32] {
                cases.push((Mode::Gunzip, fancy_gzip(d, flags)));
            }
        }
        let base = cases.clone();
        for (mode, z) in &base {
            // Concatenated members, zero padding, garbage, truncation, corruption.
            let mut two = z.clone();
            two.extend_from_slice(z);
            cases.push((*mode, two.clone()));
            let mut padded = z.clone();
            padded.extend_from_slice(&[0, 0, 0, 9, 9]);
            cases.push((*mode, padded));
            let mut garbage = z.clone();
            garbage.extend_from_slice(b"garbage");
            cases.push((*mode, garbage));
            two.push(0x1f);
            cases.push((*mode, two));
            for _ in 0..3 {
                let mut t = z.clone();
                let cut = (xorshift(&mut seed) as usize) % (z.len() + 1);
                t.truncate(cut);
                cases.push((*mode, t));
                let mut c = z.clone();
                if !c.is_empty() {
                    let at = (xorshift(&mut seed) as usize) % c.len();
                    c[at] ^= 1 << (xorshift(&mut seed) % 8);
                    cases.push((*mode, c));
                }
            }
        }
        cases.push((Mode::Gunzip, Vec::new()));
        cases.push((Mode::Inflate, vec![0x78]));
        cases.push((Mode::Inflate, vec![0x78, 0xbb, 0, 0, 0, 1]));
        for (i, (mode, z)) in cases.iter().enumerate() {
            for limit in [usize::MAX, 19_999] {
                let mut careful = Codec::Flate(Flate::new(*mode, FlateOptions::default()).unwrap());
                let want = run(&mut careful, z, 4, 16 * 1024, limit);
                let mut fast = Codec::Flate(Flate::new(*mode, FlateOptions::default()).unwrap());
                let got = whole(&mut fast, z, limit);
                assert_eq!(
                    got,
                    want,
                    "case {i} ({mode:?}, {} bytes, limit {limit})",
                    z.len()
                );
                // A reused handle gives the same again.
                fast.reset().unwrap();
                assert_eq!(whole(&mut fast, z, limit), want);
            }
        }
    }

    #[test]
    fn whole_path_takes_well_formed_input() {
        let data = b"hello hello hello hello".repeat(100);
        for (mode, z) in [
            (Mode::Gunzip, compress(Mode::Gzip, 6, &data)),
            (Mode::Gunzip, fancy_gzip(&data, 28)),
            (Mode::Unzip, compress(Mode::Gzip, 6, &data)),
            (Mode::Unzip, compress(Mode::Deflate, 6, &data)),
            (Mode::Inflate, compress(Mode::Deflate, 1, &data)),
            (Mode::InflateRaw, compress(Mode::DeflateRaw, 9, &data)),
        ] {
            let mut f = Flate::new(mode, FlateOptions::default()).unwrap();
            let mut out = b"kept".to_vec();
            assert!(f.inflate_whole(&z, usize::MAX, &mut out), "{mode:?}");
            assert_eq!(&out[..4], b"kept");
            assert_eq!(&out[4..], &data[..]);
        }
    }

    #[test]
    fn whole_path_bomb_stays_within_the_limit() {
        let bomb = compress(Mode::Gzip, 9, &vec![0u8; 50 << 20]);
        let mut d = Codec::Flate(Flate::new(Mode::Gunzip, FlateOptions::default()).unwrap());
        let e = whole(&mut d, &bomb, 1 << 20).unwrap_err();
        assert_eq!(e.code, "ERR_BUFFER_TOO_LARGE");
    }

    #[test]
    fn exact_limit_is_allowed() {
        let mut c = Codec::Flate(Flate::new(Mode::Gzip, FlateOptions::default()).unwrap());
        let gz = finish(&mut c, &[7u8; 1000], usize::MAX).unwrap();
        let mut d = Codec::Flate(Flate::new(Mode::Gunzip, FlateOptions::default()).unwrap());
        assert_eq!(finish(&mut d, &gz, 1000).unwrap(), vec![7u8; 1000]);
        d.reset().unwrap();
        assert_eq!(
            finish(&mut d, &gz, 999).unwrap_err().code,
            "ERR_BUFFER_TOO_LARGE"
        );
    }
}
