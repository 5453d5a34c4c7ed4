//! Hex as Node's `Buffer` speaks it: lowercase out; in, pairs are decoded from
//! the start until the first pair that is not two hex digits (either case),
//! and an odd trailing digit is dropped. Characters are looked up by their
//! low 8 bits, as Node does with two-byte strings.

use super::simd::{block, block_mut, V};
use crate::NodeError;

const DIGITS: &[u8; 16] = b"0123456789abcdef";
/// Marks a byte that is not a hex digit in [`NIBBLE`].
const INVALID: u8 = 0xff;

/// Value of each hex digit, or [`INVALID`].
static NIBBLE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 16 {
        t[DIGITS[i] as usize] = i as u8;
        t[DIGITS[i].to_ascii_uppercase() as usize] = i as u8;
        i += 1;
    }
    t
};

/// Both characters of every byte's encoding.
static PAIRS: [[u8; 2]; 256] = {
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    t
};

/// Length of the encoding of `len` bytes (`ERR_STRING_TOO_LONG` on overflow).
pub fn encoded_len(len: usize) -> Result<usize, NodeError> {
    len.checked_mul(2).ok_or_else(super::string_too_long)
}

/// Encodes `src` as lowercase hex.
pub fn encode(src: &[u8]) -> Result<Vec<u8>, NodeError> {
    let mut out = vec![0u8; encoded_len(src.len())?];
    encode_into(src, &mut out);
    Ok(out)
}

/// Encodes into `dst`; returns the bytes written (two per input byte, as
/// many as fit).
pub fn encode_into(src: &[u8], dst: &mut [u8]) -> usize {
    // Vector loop: 16 bytes make 32 characters.
    let digits = V::load(DIGITS);
    let mut n = 0;
    while let (Some(s), Some(d)) = (src.get(n / 2..).and_then(block), dst.get_mut(n..n + 32)) {
        let b = V::load(s);
        let hi = digits.swizzle(b.shr4_u8());
        let lo = digits.swizzle(b.and(V::splat(15)));
        let (d0, d1) = d.split_at_mut(16);
        if let (Some(d0), Some(d1)) = (block_mut(d0), block_mut(d1)) {
            hi.zip_lo(lo).store(d0);
            hi.zip_hi(lo).store(d1);
        }
        n += 32;
    }
    let src = src.get(n / 2..).unwrap_or_default();
    let dst = dst.get_mut(n..).unwrap_or_default();
    for (&b, d) in src.iter().zip(dst.chunks_exact_mut(2)) {
        d.copy_from_slice(&PAIRS[b as usize]);
        n += 2;
    }
    n
}

/// Decodes like Node's `Buffer.from(str, 'hex')`.
pub fn decode(src: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; src.len() / 2];
    let n = decode_into(src, &mut out);
    out.truncate(n);
    out
}

/// Decodes into `dst` (as many bytes as fit); returns the bytes written.
pub fn decode_into(src: &[u8], dst: &mut [u8]) -> usize {
    let mut n = 0;
    // Vector loop: 64 valid characters make 32 bytes. One validity check per
    // step; a step with any bad character is redone by the scalar loops,
    // which find exactly where decoding stops.
    while let (Some(s), Some(d)) = (src.get(n * 2..n * 2 + 64), dst.get_mut(n..n + 32)) {
        let (Some(s0), Some(s1), Some(s2), Some(s3)) = (
            block(s),
            s.get(16..).and_then(block),
            s.get(32..).and_then(block),
            s.get(48..).and_then(block),
        ) else {
            break;
        };
        let (v0, b0) = nibbles(s0);
        let (v1, b1) = nibbles(s1);
        let (v2, b2) = nibbles(s2);
        let (v3, b3) = nibbles(s3);
        if b0.or(b1).or(b2).or(b3).any_set() {
            break;
        }
        let (d0, d1) = d.split_at_mut(16);
        if let (Some(d0), Some(d1)) = (block_mut(d0), block_mut(d1)) {
            pack(v0, v1).store(d0);
            pack(v2, v3).store(d1);
        }
        n += 32;
    }
    // Eight pairs at a time while they are all valid, then pair by pair.
    let start = n;
    for (s, d) in src
        .get(start * 2..)
        .unwrap_or_default()
        .chunks_exact(16)
        .zip(dst.get_mut(start..).unwrap_or_default().chunks_exact_mut(8))
    {
        let mut bad = 0u8;
        let mut tmp = [0u8; 8];
        for (t, p) in tmp.iter_mut().zip(s.chunks_exact(2)) {
            let (hi, lo) = (NIBBLE[p[0] as usize], NIBBLE[p[1] as usize]);
            bad |= hi | lo;
            *t = (hi << 4) | (lo & 15);
        }
        if bad & 0x80 != 0 {
            break;
        }
        d.copy_from_slice(&tmp);
        n += 8;
    }
    let rest = src.get(n * 2..).unwrap_or_default();
    let out = dst.get_mut(n..).unwrap_or_default();
    for (p, d) in rest.chunks_exact(2).zip(out.iter_mut()) {
        let (hi, lo) = (NIBBLE[p[0] as usize], NIBBLE[p[1] as usize]);
        if hi > 15 || lo > 15 {
            break;
        }
        *d = (hi << 4) | lo;
        n += 1;
    }
    n
}

/// Per high nibble: its class bit (0x01 for '0'..'9', 0x02 for 'A'..'F' and
/// 'a'..'f', 0x04 for nibbles with no hex digit).
const HI_CLASS: [u8; 16] = [4, 4, 4, 1, 2, 4, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4];
/// Per low nibble: the classes in which it is NOT a hex digit (0x01: not
/// 0..9; 0x02: not 1..6, the letters' low nibbles; 0x04: always).
const LO_BAD: [u8; 16] = [6, 4, 4, 4, 4, 4, 4, 6, 6, 6, 7, 7, 7, 7, 7, 7];
/// Per high nibble: what to add to the low nibble to get the digit's value.
const HI_ADD: [u8; 16] = [0, 0, 0, 0, 9, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// The nibble value of each of 16 characters, with a vector that is non-zero
/// when any of them is not a hex digit (the values are then meaningless).
#[inline(always)]
fn nibbles(src: &[u8; 16]) -> (V, V) {
    let c = V::load(src);
    let lo = c.and(V::splat(0x0f));
    let hi = c.shr4_u8();
    let bad = V::from_array(LO_BAD)
        .swizzle(lo)
        .and(V::from_array(HI_CLASS).swizzle(hi));
    (lo.add(V::from_array(HI_ADD).swizzle(hi)), bad)
}

/// Sixteen bytes from two vectors of nibbles: each u16 lane holds the high
/// nibble in its low byte and the low nibble in its high byte.
#[inline(always)]
fn pack(a: V, b: V) -> V {
    let byte = |v: V| v.shl16(4).and(V::splat32(0x00f0_00f0)).or(v.shr16(8));
    byte(a).narrow16(byte(b))
}

/// Naive references the optimised code is tested (and fuzzed) against.
pub mod reference {
    /// `format!`-based encoder.
    pub fn encode(src: &[u8]) -> Vec<u8> {
        src.iter()
            .flat_map(|b| format!("{b:02x}").into_bytes())
            .collect()
    }

    /// Pair by pair with `u8::from_str_radix`; stops at the first bad pair.
    pub fn decode(src: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for p in src.chunks_exact(2) {
            let ok = p.iter().all(u8::is_ascii_hexdigit);
            let Some(b) = std::str::from_utf8(p)
                .ok()
                .filter(|_| ok)
                .and_then(|s| u8::from_str_radix(s, 16).ok())
            else {
                break;
            };
            out.push(b);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::testrng::Rng;

    #[test]
    fn node_corners() {
        let v: [(&str, &[u8]); 7] = [
            ("abc", &[0xab]),
            ("zz12", b""),
            ("12zz34", &[0x12]),
            ("1z", b""),
            ("1", b""),
            ("AB", &[0xab]),
            (
                "0123456789abcdefABCDEF",
                &[
                    1, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef,
                ],
            ),
        ];
        for (s, want) in v {
            assert_eq!(decode(s.as_bytes()), want, "{s:?}");
        }
        assert_eq!(encode(&[0, 0x0f, 0xf0, 0xff]).unwrap(), b"000ff0ff");
    }

    #[test]
    fn vector_step_agrees_with_table_on_every_byte() {
        // Every byte value in every lane of a 64-character step: decoding
        // stops exactly where the scalar table says, with the same values.
        for lane in 0..64 {
            for c in 0..=255u8 {
                let mut chars = [b'a'; 64];
                chars[lane] = c;
                assert_eq!(
                    decode(&chars),
                    reference::decode(&chars),
                    "{c:#x} in lane {lane}"
                );
            }
        }
    }

    #[test]
    fn matches_reference() {
        let mut rng = Rng::new(4);
        for round in 0..20_000 {
            let len = rng.below(if round % 10 == 0 { 200 } else { 40 });
            let alpha: &[u8] = match round % 3 {
                0 => b"0123456789abcdefABCDEF",
                1 => b"0123456789abcdefABCDEFgG \x00\xff",
                _ => b"",
            };
            let src = rng.bytes_from(len, alpha);
            assert_eq!(decode(&src), reference::decode(&src), "{src:?}");
            let bytes = rng.bytes_from(len, &[]);
            let enc = encode(&bytes).unwrap();
            assert_eq!(enc, reference::encode(&bytes));
            assert_eq!(decode(&enc), bytes);
        }
    }
}
