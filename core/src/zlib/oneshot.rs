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
    // limit was crossed.
    let cap = max_output.saturating_add(1);
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
        if len > max_output {
            out.truncate(base);
            return Err(too_large(max_output));
        }
        if p.produced < room || room == 0 {
            break;
        }
        // Output full: offer more room, doubling, never past the limit.
        want = want
            .saturating_mul(2)
            .max(len.saturating_add(chunk))
            .min(cap);
    }
    out.truncate(base + len);
    Ok(())
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
