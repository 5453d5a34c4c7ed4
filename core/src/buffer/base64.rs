//! Base64 as Node's `Buffer` speaks it.
//!
//! Encoding: the standard alphabet with `=` padding (`'base64'`) or the URL
//! alphabet without padding (`'base64url'`). Decoding is Node's lenient
//! decoder for both names: characters of either alphabet are accepted (mixed),
//! every other character is skipped, decoding stops at the first `=`, and a
//! final group of one character is dropped. Input characters are looked up by
//! their low 8 bits, as Node does with two-byte strings; callers that pass
//! UTF-16 text give each code unit's low byte.

use super::{scaled_len, too_large};
use crate::NodeError;

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// Marks a byte outside both alphabets in [`DECODE`].
const INVALID: u8 = 0xff;

/// Sextet value of each byte in either alphabet, or [`INVALID`].
static DECODE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        t[STD[i] as usize] = i as u8;
        t[URL[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Length of the encoding of `len` bytes.
pub fn encoded_len(len: usize, url: bool) -> Result<usize, NodeError> {
    if url {
        scaled_len(len, 4, 3)
    } else {
        len.div_ceil(3).checked_mul(4).ok_or_else(too_large)
    }
}

/// Encodes `src` as base64 (`url = false`, padded) or base64url (unpadded).
pub fn encode(src: &[u8], url: bool) -> Result<Vec<u8>, NodeError> {
    let mut out = vec![0u8; encoded_len(src.len(), url)?];
    let n = encode_into(src, url, &mut out);
    out.truncate(n);
    Ok(out)
}

/// Encodes into `dst`, which must hold [`encoded_len`] bytes; returns the
/// bytes written (fewer only if `dst` is too short: whole groups only).
pub fn encode_into(src: &[u8], url: bool, dst: &mut [u8]) -> usize {
    let table = if url { URL } else { STD };
    let mut o = 0;
    let mut groups = src.chunks_exact(3);
    // Four output characters per three input bytes; the chunked form lets the
    // compiler drop the bounds checks inside.
    for (g, d) in (&mut groups).zip(dst.chunks_exact_mut(4)) {
        let v = (u32::from(g[0]) << 16) | (u32::from(g[1]) << 8) | u32::from(g[2]);
        d[0] = table[(v >> 18) as usize & 63];
        d[1] = table[(v >> 12) as usize & 63];
        d[2] = table[(v >> 6) as usize & 63];
        d[3] = table[v as usize & 63];
        o += 4;
    }
    let rest = groups.remainder();
    if o / 4 * 3 + rest.len() != src.len() {
        return o; // dst ran out before the input did
    }
    let tail: ([u8; 4], usize) = match *rest {
        [a] => {
            let v = u32::from(a);
            let t = [
                table[(v >> 2) as usize],
                table[((v << 4) & 63) as usize],
                b'=',
                b'=',
            ];
            (t, if url { 2 } else { 4 })
        }
        [a, b] => {
            let v = (u32::from(a) << 8) | u32::from(b);
            let t = [
                table[(v >> 10) as usize & 63],
                table[(v >> 4) as usize & 63],
                table[((v << 2) & 63) as usize],
                b'=',
            ];
            (t, if url { 3 } else { 4 })
        }
        _ => ([0; 4], 0),
    };
    let (chars, n) = tail;
    if let Some(d) = dst.get_mut(o..o + n) {
        d.copy_from_slice(&chars[..n]);
        o += n;
    }
    o
}

/// An upper bound of the decoded length of `len` input characters.
pub fn decoded_len_max(len: usize) -> usize {
    // Every three output bytes take four valid input characters.
    len / 4 * 3 + (len % 4) * 3 / 4
}

/// Decodes like Node's `Buffer.from(str, 'base64')` (see the module docs).
pub fn decode(src: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; decoded_len_max(src.len())];
    let n = decode_into(src, &mut out);
    out.truncate(n);
    out
}

/// Decodes into `dst` (which should hold [`decoded_len_max`] bytes; output
/// that does not fit is dropped); returns the bytes written.
pub fn decode_into(src: &[u8], dst: &mut [u8]) -> usize {
    let mut i = 0;
    let mut o = 0;
    loop {
        // Fast path: eight valid characters make six bytes.
        while let (Some(s), Some(d)) = (src.get(i..i + 8), dst.get_mut(o..o + 6)) {
            let mut acc: u64 = 0;
            let mut bad = 0u8;
            for &c in s {
                let v = DECODE[c as usize];
                bad |= v;
                acc = (acc << 6) | u64::from(v & 63);
            }
            if bad & 0x80 != 0 {
                break;
            }
            d.copy_from_slice(&acc.to_be_bytes()[2..8]);
            i += 8;
            o += 6;
        }
        // Slow path: one group of four valid characters, skipping junk.
        let mut acc: u32 = 0;
        let mut n = 0;
        let mut stop = false;
        while n < 4 {
            let Some(&c) = src.get(i) else {
                stop = true;
                break;
            };
            i += 1;
            if c == b'=' {
                stop = true;
                break;
            }
            let v = DECODE[c as usize];
            if v != INVALID {
                acc = (acc << 6) | u32::from(v);
                n += 1;
            }
        }
        let bytes: ([u8; 3], usize) = match n {
            4 => ([(acc >> 16) as u8, (acc >> 8) as u8, acc as u8], 3),
            3 => ([(acc >> 10) as u8, (acc >> 2) as u8, 0], 2),
            2 => ([(acc >> 4) as u8, 0, 0], 1),
            _ => ([0; 3], 0),
        };
        let (b, k) = bytes;
        match dst.get_mut(o..o + k) {
            Some(d) => d.copy_from_slice(&b[..k]),
            None => return o,
        }
        o += k;
        if stop || n < 4 {
            return o;
        }
    }
}

/// Naive references the optimised code is tested (and fuzzed) against.
pub mod reference {
    /// Encodes bit by bit.
    pub fn encode(src: &[u8], url: bool) -> Vec<u8> {
        let table = if url { super::URL } else { super::STD };
        let mut out = Vec::new();
        let mut bits = 0u32;
        let mut nbits = 0;
        for &b in src {
            bits = (bits << 8) | u32::from(b);
            nbits += 8;
            while nbits >= 6 {
                nbits -= 6;
                out.push(table[((bits >> nbits) & 63) as usize]);
            }
        }
        if nbits > 0 {
            out.push(table[((bits << (6 - nbits)) & 63) as usize]);
        }
        while !url && out.len() % 4 != 0 {
            out.push(b'=');
        }
        out
    }

    /// Keeps the valid characters before the first `=`, then decodes whole
    /// bytes bit by bit (a trailing group of one character gives nothing).
    pub fn decode(src: &[u8]) -> Vec<u8> {
        let sextets: Vec<u8> = src
            .iter()
            .take_while(|&&c| c != b'=')
            .filter_map(|&c| super::STD.iter().chain(super::URL).position(|&a| a == c))
            .map(|p| (p % 64) as u8)
            .collect();
        let mut out = Vec::new();
        let mut bits = 0u32;
        let mut nbits = 0;
        for s in sextets {
            bits = (bits << 6) | u32::from(s);
            nbits += 6;
            if nbits >= 8 {
                nbits -= 8;
                out.push((bits >> nbits) as u8);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::testrng::Rng;

    #[test]
    fn rfc4648_vectors() {
        let v = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, b64) in v {
            assert_eq!(encode(plain.as_bytes(), false).unwrap(), b64.as_bytes());
            assert_eq!(
                encode(plain.as_bytes(), true).unwrap(),
                b64.trim_end_matches('=').as_bytes()
            );
            assert_eq!(decode(b64.as_bytes()), plain.as_bytes());
        }
    }

    #[test]
    fn node_lenient_corners() {
        // Expected values as printed by Node 20's Buffer.from(s, 'base64').
        let v: [(&str, &[u8]); 10] = [
            ("QQ", b"A"),
            ("Q", b""),
            ("QUJ", b"AB"),
            ("Q U J D", b"ABC"),
            ("QU=JD", b"A"),
            ("Q-_/+A", &[0x43, 0xef, 0xff, 0xf8]),
            ("QQ=QUJD", b"A"),
            ("=QUJD", b""),
            ("QUJDQ", b"ABC"),
            ("QUJD\x00\x7f!!QQ", b"ABCA"),
        ];
        for (s, want) in v {
            assert_eq!(decode(s.as_bytes()), want, "{s:?}");
        }
    }

    #[test]
    fn encode_matches_reference() {
        let mut rng = Rng::new(1);
        for len in 0..200 {
            let src = rng.bytes_from(len, &[]);
            for url in [false, true] {
                assert_eq!(encode(&src, url).unwrap(), reference::encode(&src, url));
            }
        }
    }

    #[test]
    fn decode_matches_reference_on_noisy_input() {
        let mut rng = Rng::new(2);
        let alphabets: [&[u8]; 3] = [
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_",
            b"QUJDabc09+/-_= \n\t\r!.\x00\x80\xff",
            b"",
        ];
        for round in 0..20_000 {
            let len = rng.below(if round % 10 == 0 { 300 } else { 40 });
            let src = rng.bytes_from(len, alphabets[round % 3]);
            assert_eq!(decode(&src), reference::decode(&src), "{src:?}");
            assert!(decode(&src).len() <= decoded_len_max(len));
        }
    }

    #[test]
    fn round_trip_and_short_destinations() {
        let mut rng = Rng::new(3);
        for len in 0..100 {
            let src = rng.bytes_from(len, &[]);
            for url in [false, true] {
                let enc = encode(&src, url).unwrap();
                assert_eq!(decode(&enc), src);
                for cut in 0..enc.len() {
                    let mut small = vec![0; cut];
                    let n = encode_into(&src, url, &mut small);
                    assert_eq!(small[..n], enc[..n]);
                }
            }
            let enc = encode(&src, false).unwrap();
            for cut in 0..len {
                let mut small = vec![0; cut];
                let n = decode_into(&enc, &mut small);
                assert!(n <= cut);
                assert_eq!(small[..n], src[..n]);
            }
        }
    }
}
