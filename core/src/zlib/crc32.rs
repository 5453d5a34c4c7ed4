//! CRC-32 (the gzip/zlib polynomial, reflected 0xEDB88320).
//!
//! WebAssembly has no carry-less multiply, so the folding methods native zlib
//! uses are out of reach. Two table methods remain:
//!
//! - slicing-by-16: sixteen 1 KiB tables let one step fold 16 input bytes
//!   with 16 independent lookups. Every index is a `u8`, so the lookups
//!   cannot go out of bounds. Measured in Node 20 on wasm32 (+simd128): as
//!   fast as zlib-rs's portable braid on large inputs (about 2-2.5 GB/s),
//!   and far faster on short ones (64 B: 2.1 GB/s against 31 MB/s; 1 KiB:
//!   2.5 GB/s against 0.5 GB/s), where the braid's per-call cost dominates.
//! - sixteen lanes (wasm `simd128` only, blocks of [`BLOCK`] bytes): the
//!   block is cut into 16 segments whose CRCs advance side by side, one byte
//!   of each per step, in the 16 lanes of a vector. The CRC register of the
//!   16 lanes is held as four vectors, one per byte of the register, and
//!   the byte-table lookup becomes two 16-entry lookups (`i8x16.swizzle`)
//!   per register byte, because the table is linear: `T[i] = T[i & 15] ^
//!   T[i & 0xf0]`. The 16 segment CRCs are then joined with a table that
//!   advances a register over [`LANE`] zero bytes. That is about half the
//!   instructions per byte of slicing-by-16.
//!
//! The lane method is also written for scalars ([`lanes_scalar`]): the tests
//! check it against the bitwise reference, and the wasm build against
//! Node's own `zlib.crc32` (tests/node/zlib-crc32-lanes.test.mjs).

const POLY: u32 = 0xedb8_8320;

const fn make_tables() -> [[u32; 256]; 16] {
    let mut t = [[0u32; 256]; 16];
    let mut b = 0;
    while b < 256 {
        let mut c = b as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { POLY ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        t[0][b] = c;
        b += 1;
    }
    let mut k = 1;
    while k < 16 {
        let mut b = 0;
        while b < 256 {
            let prev = t[k - 1][b];
            t[k][b] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            b += 1;
        }
        k += 1;
    }
    t
}

static TABLES: [[u32; 256]; 16] = make_tables();

/// The CRC-32 of `data` continuing from `crc` (0 to start), as zlib's
/// `crc32(crc, data, len)` and Node's `zlib.crc32(data, crc)`.
pub fn crc32(crc: u32, data: &[u8]) -> u32 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        let mut c = !crc;
        let mut blocks = data.chunks_exact(BLOCK);
        for b in &mut blocks {
            if let Ok(block) = b.try_into() {
                c = simd::lanes(c, block);
            }
        }
        !slice16(c, blocks.remainder())
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        !slice16(!crc, data)
    }
}

/// Slicing-by-16 on the raw register `c` (no pre- or post-inversion).
fn slice16(mut c: u32, data: &[u8]) -> u32 {
    let t = &TABLES;
    let mut blocks = data.chunks_exact(16);
    for b in &mut blocks {
        let lo = c ^ u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        c = t[15][(lo & 0xff) as usize]
            ^ t[14][((lo >> 8) & 0xff) as usize]
            ^ t[13][((lo >> 16) & 0xff) as usize]
            ^ t[12][(lo >> 24) as usize]
            ^ t[11][b[4] as usize]
            ^ t[10][b[5] as usize]
            ^ t[9][b[6] as usize]
            ^ t[8][b[7] as usize]
            ^ t[7][b[8] as usize]
            ^ t[6][b[9] as usize]
            ^ t[5][b[10] as usize]
            ^ t[4][b[11] as usize]
            ^ t[3][b[12] as usize]
            ^ t[2][b[13] as usize]
            ^ t[1][b[14] as usize]
            ^ t[0][b[15] as usize];
    }
    for &b in blocks.remainder() {
        c = t[0][((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    c
}

/// Bytes of each of the 16 segments of a lane block.
pub const LANE: usize = 256;
/// Bytes of a lane block.
pub const BLOCK: usize = 16 * LANE;

/// The raw register `c` after `n` zero bytes, bit by bit.
#[cfg_attr(
    not(all(target_arch = "wasm32", target_feature = "simd128")),
    allow(dead_code)
)]
const fn zero_bytes(mut c: u32, n: usize) -> u32 {
    let mut i = 0;
    while i < n * 8 {
        c = if c & 1 != 0 { POLY ^ (c >> 1) } else { c >> 1 };
        i += 1;
    }
    c
}

/// `SKIP[k][b]`: the register `b << 8k` after [`LANE`] zero bytes. Advancing
/// is linear, so four lookups advance any register.
#[cfg_attr(
    not(all(target_arch = "wasm32", target_feature = "simd128")),
    allow(dead_code)
)]
const fn make_skip() -> [[u32; 256]; 4] {
    let mut cols = [0u32; 32];
    let mut j = 0;
    while j < 32 {
        cols[j] = zero_bytes(1 << j, LANE);
        j += 1;
    }
    let mut t = [[0u32; 256]; 4];
    let mut k = 0;
    while k < 4 {
        let mut b = 0;
        while b < 256 {
            let mut v = 0u32;
            let mut bit = 0;
            while bit < 8 {
                if b & (1 << bit) != 0 {
                    v ^= cols[8 * k + bit];
                }
                bit += 1;
            }
            t[k][b] = v;
            b += 1;
        }
        k += 1;
    }
    t
}

#[cfg_attr(
    not(all(target_arch = "wasm32", target_feature = "simd128")),
    allow(dead_code)
)]
static SKIP: [[u32; 256]; 4] = make_skip();

/// Joins the raw registers of the 16 segments of a block: segment 0's
/// started from the running register, the others from zero.
#[cfg_attr(
    not(all(target_arch = "wasm32", target_feature = "simd128")),
    allow(dead_code)
)]
fn join(r: &[u32; 16]) -> u32 {
    let s = &SKIP;
    r.iter().skip(1).fold(r[0], |c, &next| {
        s[0][(c & 0xff) as usize]
            ^ s[1][((c >> 8) & 0xff) as usize]
            ^ s[2][((c >> 16) & 0xff) as usize]
            ^ s[3][(c >> 24) as usize]
            ^ next
    })
}

/// [`join`] on the 16 lane registers held as four planes (`planes[k][i]`:
/// byte `k` of lane `i`'s register), as both lane methods end.
#[cfg_attr(
    not(all(target_arch = "wasm32", target_feature = "simd128")),
    allow(dead_code)
)]
fn join_planes(planes: &[[u8; 16]; 4]) -> u32 {
    let r: [u32; 16] = core::array::from_fn(|i| {
        u32::from_le_bytes([planes[0][i], planes[1][i], planes[2][i], planes[3][i]])
    });
    join(&r)
}

/// `NIBBLES[k][n]` = byte `k` of `T[n]` and `NIBBLES[4 + k][n]` = byte `k` of
/// `T[n << 4]`, for `n` < 16: the 16-entry tables the lanes look up.
const fn make_nibbles() -> [[u8; 16]; 8] {
    let t = make_tables();
    let mut n8 = [[0u8; 16]; 8];
    let mut n = 0;
    while n < 16 {
        let mut k = 0;
        while k < 4 {
            n8[k][n] = (t[0][n] >> (8 * k)) as u8;
            n8[4 + k][n] = (t[0][n << 4] >> (8 * k)) as u8;
            k += 1;
        }
        n += 1;
    }
    n8
}

#[cfg_attr(
    not(all(target_arch = "wasm32", target_feature = "simd128")),
    allow(dead_code)
)]
const NIBBLES: [[u8; 16]; 8] = make_nibbles();

/// The lane method on scalars, step for step what [`simd::lanes`] does in
/// vectors (`planes[k][i]`: byte `k` of lane `i`'s register; a swizzle is a
/// lookup in a 16-entry table). Takes and returns the raw register.
#[cfg(test)]
fn lanes_scalar(c: u32, block: &[u8; BLOCK]) -> u32 {
    let mut planes = [[0u8; 16]; 4];
    for (k, plane) in planes.iter_mut().enumerate() {
        plane[0] = (c >> (8 * k)) as u8;
    }
    for t in 0..LANE {
        for i in 0..16 {
            let idx = planes[0][i] ^ block[i * LANE + t];
            let (lo, hi) = (usize::from(idx & 15), usize::from(idx >> 4));
            let look = |k: usize| NIBBLES[k][lo] ^ NIBBLES[4 + k][hi];
            planes[0][i] = look(0) ^ planes[1][i];
            planes[1][i] = look(1) ^ planes[2][i];
            planes[2][i] = look(2) ^ planes[3][i];
            planes[3][i] = look(3);
        }
    }
    join_planes(&planes)
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use super::{join_planes, BLOCK, LANE, NIBBLES};
    use core::arch::wasm32::*;

    fn table(n: &[u8; 16]) -> v128 {
        u8x16(
            n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], n[10], n[11], n[12], n[13],
            n[14], n[15],
        )
    }

    /// One round of the transpose: vector `2i + h` takes the bytes of half
    /// `h` of vectors `i` and `i + 8`, interleaved. Seen as an 8-bit address
    /// (4 bits of vector, 4 of byte), every byte moves to the address rotated
    /// left by one bit; four rounds swap the two halves of the address.
    #[inline(always)]
    #[rustfmt::skip]
    fn round(v: [v128; 16]) -> [v128; 16] {
        let [v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15] = v;
        let lo = |x, y| i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(x, y);
        let hi = |x, y| i8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(x, y);
        [
            lo(v0, v8), hi(v0, v8), lo(v1, v9), hi(v1, v9),
            lo(v2, v10), hi(v2, v10), lo(v3, v11), hi(v3, v11),
            lo(v4, v12), hi(v4, v12), lo(v5, v13), hi(v5, v13),
            lo(v6, v14), hi(v6, v14), lo(v7, v15), hi(v7, v15),
        ]
    }

    /// `[v[0][j], .., v[15][j]]` for each byte `j` in turn. Kept in named
    /// vectors, not loops over arrays: in loops the vectors went through
    /// memory.
    #[inline(always)]
    fn transpose(v: [v128; 16]) -> [v128; 16] {
        round(round(round(round(v))))
    }

    /// The 16 bytes of `block` at `at` (`at + 16 <= BLOCK`).
    #[inline(always)]
    fn load(block: &[u8; BLOCK], at: usize) -> v128 {
        let Some(bytes) = block.get(at..at.saturating_add(16)) else {
            return u8x16_splat(0);
        };
        // SAFETY: `bytes` is 16 readable bytes (the range was checked), and
        // v128_load has no alignment requirement.
        unsafe { v128_load(bytes.as_ptr().cast::<v128>()) }
    }

    /// See the module documentation; takes and returns the raw register.
    pub(super) fn lanes(c: u32, block: &[u8; BLOCK]) -> u32 {
        let [tl0, tl1, tl2, tl3, th0, th1, th2, th3] = NIBBLES.map(|n| table(&n));
        // Lane 0 starts from the running register, the other lanes from zero.
        let [mut p0, mut p1, mut p2, mut p3] =
            c.to_le_bytes().map(|b| u32x4(u32::from(b), 0, 0, 0));
        let low = u8x16_splat(0x0f);
        for t in (0..LANE).step_by(16) {
            let v: [v128; 16] = core::array::from_fn(|i| load(block, i * LANE + t));
            // One byte of every segment per step, written out for each of
            // the 16 steps (a loop here ran slower).
            macro_rules! steps {
                ($($w:expr),*) => {$(
                    let idx = v128_xor(p0, $w);
                    let lo = v128_and(idx, low);
                    let hi = u8x16_shr(idx, 4);
                    let look =
                        |l: v128, h: v128| v128_xor(u8x16_swizzle(l, lo), u8x16_swizzle(h, hi));
                    p0 = v128_xor(look(tl0, th0), p1);
                    p1 = v128_xor(look(tl1, th1), p2);
                    p2 = v128_xor(look(tl2, th2), p3);
                    p3 = look(tl3, th3);
                )*};
            }
            let w = transpose(v);
            #[rustfmt::skip]
            steps!(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], w[12], w[13], w[14], w[15]);
        }
        let mut planes = [[0u8; 16]; 4];
        for (plane, p) in planes.iter_mut().zip([p0, p1, p2, p3]) {
            // SAFETY: `plane` is 16 writable bytes, and v128_store has no
            // alignment requirement.
            unsafe { v128_store(plane.as_mut_ptr().cast::<v128>(), p) };
        }
        join_planes(&planes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bit by bit, straight from the definition: the reference.
    fn naive(crc: u32, data: &[u8]) -> u32 {
        let mut c = !crc;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 { POLY ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }

    fn pseudo_random(n: usize, seed: u64) -> Vec<u8> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn known_answers() {
        assert_eq!(crc32(0, b""), 0);
        assert_eq!(crc32(0, b"123456789"), 0xcbf4_3926);
        assert_eq!(
            crc32(0, b"The quick brown fox jumps over the lazy dog"),
            0x414f_a339
        );
        // Node: zlib.crc32('hello', 42)
        assert_eq!(crc32(42, b"hello"), naive(42, b"hello"));
    }

    #[test]
    fn matches_the_reference_and_zlib_rs_at_every_length_offset_and_start() {
        let data = pseudo_random(1000, 7);
        for start in [0u32, 1, 0xffff_ffff, 0x1234_5678] {
            for off in 0..17 {
                for len in (0..data.len() - off).step_by(13) {
                    let s = &data[off..off + len];
                    let want = naive(start, s);
                    assert_eq!(crc32(start, s), want, "start {start} off {off} len {len}");
                    assert_eq!(zlib_rs::crc32::crc32(start, s), want);
                }
            }
        }
    }

    #[test]
    fn lanes_match_the_reference() {
        for seed in 1..6u64 {
            let data = pseudo_random(BLOCK, seed);
            let block: &[u8; BLOCK] = data.as_slice().try_into().unwrap();
            for start in [
                0u32,
                1,
                0xffff_ffff,
                0x1234_5678,
                (seed as u32).wrapping_mul(0x9e37_79b9),
            ] {
                let want = naive(start, &data);
                assert_eq!(
                    !lanes_scalar(!start, block),
                    want,
                    "seed {seed} start {start}"
                );
            }
        }
        // Structured blocks: zeros, ones, a single set bit in each segment.
        for pattern in 0..18usize {
            let mut data = vec![0u8; BLOCK];
            match pattern {
                16 => data.fill(0xff),
                17 => {}
                i => data[i * LANE + 7] = 0x80,
            }
            let block: &[u8; BLOCK] = data.as_slice().try_into().unwrap();
            assert_eq!(
                !lanes_scalar(!7, block),
                naive(7, &data),
                "pattern {pattern}"
            );
        }
    }

    #[test]
    fn lane_sized_inputs_match_the_reference() {
        let data = pseudo_random(3 * BLOCK + 100, 5);
        for len in [BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 17, 3 * BLOCK + 100] {
            for off in [0usize, 1, 15] {
                let s = &data[off..len.min(data.len() - off) + off];
                assert_eq!(crc32(3, s), naive(3, s), "len {len} off {off}");
            }
        }
    }

    #[test]
    fn chunked_equals_whole() {
        let data = pseudo_random(100_000, 99);
        let whole = crc32(0, &data);
        for piece in [1usize, 3, 15, 16, 17, 1000, 65_537] {
            let c = data.chunks(piece).fold(0, crc32);
            assert_eq!(c, whole, "piece {piece}");
        }
    }
}
