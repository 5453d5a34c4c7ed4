//! Base64 as Node's `Buffer` speaks it.
//!
//! Encoding: the standard alphabet with `=` padding (`'base64'`) or the URL
//! alphabet without padding (`'base64url'`). Decoding is Node's lenient
//! decoder for both names: characters of either alphabet are accepted (mixed),
//! every other character is skipped, decoding stops at the first `=`, and a
//! final group of one character is dropped. Input characters are looked up by
//! their low 8 bits, as Node does with two-byte strings; callers that pass
//! UTF-16 text give each code unit's low byte.

use super::simd::{block, block_mut, V};
use super::{scaled_len, string_too_long};
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

/// Per low nibble: the high-nibble classes in which that character is NOT
/// in either alphabet (bit k = high nibble class k of [`HI_CLASS`]).
const LO_CLASS: [u8; 16] = [
    0x25, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x23, 0x3a, 0x3b, 0x3a, 0x3b, 0x32,
];
/// Class bit of each high nibble: 2, 3, 4 and 6 (same valid low nibbles),
/// 5, 7, and 0x20 for nibbles with no base64 characters.
const HI_CLASS: [u8; 16] = [
    0x20, 0x20, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
];
/// Added to the high nibble by low nibble, so that characters that need
/// another offset than the rest of their high nibble get a slot of their
/// own in [`ROLL`]: '+' (0x2b) stays in slot 2, '-' (0x2d) goes to 8,
/// '/' (0x2f) to 11 and '_' (0x5f) to 14; 'M', 'm', 'O', 'o' move along
/// with them to slots that hold their letters' offsets.
const SLOT_ADJUST: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 9];
/// Offset from character to sextet per slot (high nibble + [`SLOT_ADJUST`]).
const ROLL: [u8; 16] = [
    0, 0, 19,  // '+' -> 62
    4,   // '0'..'9' -> 52..
    191, // -65: 'A'..'O'
    191, // -65: 'P'..'Z'
    185, // -71: 'a'..'o'
    185, // -71: 'p'..'z'
    17,  // '-' -> 62
    0, 191, // 'M'
    16,  // '/' -> 63
    185, // 'm'
    191, // 'O'
    224, // '_' -> 63
    185, // 'o'
];

/// Length of the encoding of `len` bytes.
pub fn encoded_len(len: usize, url: bool) -> Result<usize, NodeError> {
    if url {
        scaled_len(len, 4, 3)
    } else {
        len.div_ceil(3).checked_mul(4).ok_or_else(string_too_long)
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
    let consts = EncodeConsts::new(url);
    // Vector loops: 12 input bytes (16 readable) make 16 characters; four
    // blocks per step while there is room, so they share the constants.
    let mut i = 0;
    let mut o = 0;
    while let (Some(s), Some(d)) = (src.get(i..i + 52), dst.get_mut(o..o + 64)) {
        let (d01, d23) = d.split_at_mut(32);
        let (d0, d1) = d01.split_at_mut(16);
        let (d2, d3) = d23.split_at_mut(16);
        let dsts = [d0, d1, d2, d3];
        for (k, d) in dsts.into_iter().enumerate() {
            if let (Some(s), Some(d)) = (s.get(12 * k..).and_then(block), block_mut(d)) {
                encode_block(s, &consts).store(d);
            }
        }
        i += 48;
        o += 64;
    }
    while let (Some(s), Some(d)) = (
        src.get(i..).and_then(block),
        dst.get_mut(o..).and_then(block_mut),
    ) {
        encode_block(s, &consts).store(d);
        i += 12;
        o += 16;
    }
    let o_vec = o;
    let src = src.get(i..).unwrap_or_default();
    let dst = dst.get_mut(o..).unwrap_or_default();
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
        return o_vec + o; // dst ran out before the input did
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
    o_vec + o
}

/// The vectors [`encode_block`] needs, made once per call.
///
/// Each goes through `black_box` so that the compiler keeps it in a local:
/// otherwise LLVM re-emits every `v128.const` at each use inside the loop,
/// and V8 builds each such constant with several instructions every time.
#[derive(Clone, Copy)]
struct EncodeConsts {
    spread: V,
    hi_bits: V,
    hi_mul: V,
    lo_bits: V,
    lo_mul: V,
    c51: V,
    c25: V,
    offsets: V,
}

impl EncodeConsts {
    fn new(url: bool) -> Self {
        use core::hint::black_box;
        let (c62, c63) = if url { (b'-', b'_') } else { (b'+', b'/') };
        let d = |c: u8, base: u8| c.wrapping_sub(base);
        let mut offsets = [d(b'0', 52); 16];
        offsets[0] = b'A';
        offsets[1] = d(b'a', 26);
        offsets[12] = d(c62, 62);
        offsets[13] = d(c63, 63);
        EncodeConsts {
            // Each u32 lane gets one 3-byte group a, b, c as the u16 lanes
            // a<<8 | b (low) and b<<8 | c (high).
            spread: black_box(V::from_array([
                1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,
            ])),
            // Sextets 0 and 2 sit at bits 10..16 of the low u16 and 6..12 of
            // the high one: the multiply lifts the second to match.
            hi_bits: black_box(V::splat32(0x0fc0_fc00)),
            hi_mul: black_box(V::splat32(0x0010_0001)),
            // Sextets 1 and 3 at bits 4..10 and 0..6: moved to 8..14.
            lo_bits: black_box(V::splat32(0x003f_03f0)),
            lo_mul: black_box(V::splat32(0x0100_0010)),
            c51: black_box(V::splat(51)),
            c25: black_box(V::splat(25)),
            offsets: black_box(V::from_array(offsets)),
        }
    }
}

/// Encodes the first 12 of 16 bytes into 16 characters.
#[inline(always)]
fn encode_block(src: &[u8; 16], k: &EncodeConsts) -> V {
    let v = V::load(src).swizzle(k.spread);
    // The lane's four sextets go to its four bytes, first one lowest: two
    // per u16 lane, one in each byte.
    let s = v
        .and(k.hi_bits)
        .mul16(k.hi_mul)
        .shr16(10)
        .or(v.and(k.lo_bits).mul16(k.lo_mul));
    // Sextet to ASCII by adding an offset chosen per range: 0..26 'A'..
    // (slot 0), 26..52 'a'.. (slot 1), 52..62 '0'.. (slots 2..12), then the
    // two alphabet-specific ones (12, 13). Sextets are below 64, so the
    // signed compare is exact.
    let range = s.sub_sat(k.c51).sub(s.gt_i8(k.c25));
    s.add(k.offsets.swizzle(range))
}

/// The vectors [`decode_lanes`] needs, made once per call (kept in locals
/// by `black_box`, as [`EncodeConsts`] explains).
#[derive(Clone, Copy)]
struct DecodeConsts {
    low_nibble: V,
    lo_class: V,
    hi_class: V,
    slot_adjust: V,
    roll: V,
    pair_hi: V,
    pair_mul: V,
    gather: V,
}

impl DecodeConsts {
    fn new() -> Self {
        use core::hint::black_box;
        DecodeConsts {
            low_nibble: black_box(V::splat(0x0f)),
            lo_class: black_box(V::from_array(LO_CLASS)),
            hi_class: black_box(V::from_array(HI_CLASS)),
            slot_adjust: black_box(V::from_array(SLOT_ADJUST)),
            roll: black_box(V::from_array(ROLL)),
            pair_hi: black_box(V::splat32(0x0fc0_0fc0)),
            pair_mul: black_box(V::splat32(0x0001_1000)),
            // The three bytes of each lane out in order.
            gather: black_box(V::from_array([
                2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 0x80, 0x80, 0x80, 0x80,
            ])),
        }
    }
}

/// Decodes 16 characters into 12 bytes (in the first 12 lanes), or `None`
/// when any of them is not in either alphabet.
#[inline(always)]
fn decode_block(src: &[u8; 16], k: &DecodeConsts) -> Option<V> {
    let (v, bad) = decode_lanes(src, k);
    if bad.any_set() {
        None
    } else {
        Some(v)
    }
}

/// Decodes 16 characters into 12 bytes (in the first 12 lanes), with a
/// vector that is non-zero when any character is not in either alphabet
/// (the bytes are then meaningless).
#[inline(always)]
fn decode_lanes(src: &[u8; 16], k: &DecodeConsts) -> (V, V) {
    // Classify by nibbles with two table lookups (a bit set in both tables
    // = not base64), then add the offset of the character's slot.
    let c = V::load(src);
    // The high nibble by a 16-bit shift and a mask (two instructions on
    // x64; V8 builds the 8-bit shift's mask anew each time).
    let hi = c.shr16(4).and(k.low_nibble);
    let lo = c.and(k.low_nibble);
    let bad = k.lo_class.swizzle(lo).and(k.hi_class.swizzle(hi));
    let slot = hi.add(k.slot_adjust.swizzle(lo));
    let x = c.add(k.roll.swizzle(slot));
    // Two sextets per u16 lane (first lowest) to s0<<6 | s1, then two such
    // 12-bit pairs per u32 lane to s0<<18 | s1<<12 | s2<<6 | s3 ...
    let v = x.shl16(6).and(k.pair_hi).or(x.shr16(8)).dot16(k.pair_mul);
    // ... and the three bytes of each lane out in order.
    (v.swizzle(k.gather), bad)
}

/// Decodes 64 characters into 48 bytes at the start of `dst` (which needs 52:
/// each block stores 16 lanes), or returns false, writing nothing
/// meaningful, when any character is not in either alphabet.
#[inline(always)]
fn decode_4_blocks(src: &[u8], dst: &mut [u8], k: &DecodeConsts) -> bool {
    let (Some(s0), Some(s1), Some(s2), Some(s3)) = (
        src.get(..16).and_then(block),
        src.get(16..).and_then(block),
        src.get(32..).and_then(block),
        src.get(48..).and_then(block),
    ) else {
        return false;
    };
    let (v0, b0) = decode_lanes(s0, k);
    let (v1, b1) = decode_lanes(s1, k);
    let (v2, b2) = decode_lanes(s2, k);
    let (v3, b3) = decode_lanes(s3, k);
    if b0.or(b1).or(b2).or(b3).any_set() {
        return false;
    }
    for (k, v) in [v0, v1, v2, v3].into_iter().enumerate() {
        if let Some(d) = dst.get_mut(12 * k..).and_then(block_mut) {
            v.store(d);
        }
    }
    true
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
    let mut decoder = Decoder::new();
    let n = decoder.feed(src, dst);
    n + decoder.finish(dst.get_mut(n..).unwrap_or_default())
}

/// Node's lenient decoder over an input that arrives in pieces: the pieces
/// decode to the bytes their concatenation decodes to with [`decode`].
///
/// It lets a caller decode a long string slice by slice while each slice is
/// still in the cache. A group of four characters split between pieces waits
/// for the next one; [`Decoder::finish`] writes the bytes of a final group
/// of two or three characters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Decoder {
    /// Sextets of the incomplete group, first one highest.
    acc: u32,
    /// How many sextets `acc` holds (0..=3).
    pending: u32,
    /// Set at the first `=`, or when a destination was too short (the rest
    /// of the output would be out of place): later input is ignored.
    stopped: bool,
}

impl Decoder {
    /// A decoder at the start of an input.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the input has ended for this decoder (a `=` was seen, or a
    /// destination was too short): later pieces add nothing.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Decodes the next piece of the input into `dst`, which should hold
    /// [`decoded_len_max`]`(src.len()) + 3` bytes; returns the bytes written.
    /// When `dst` is shorter, the output stops at the last whole group that
    /// fits and the decoder stops.
    pub fn feed(&mut self, src: &[u8], dst: &mut [u8]) -> usize {
        if self.stopped {
            return 0;
        }
        let mut i = 0;
        let mut o = 0;
        if self.pending > 0 {
            // Complete the group the previous piece left open.
            i = self.fill_group(src, 0);
            if self.pending < 4 {
                return 0;
            }
            match self.put_group(dst) {
                Some(n) => o = n,
                None => return 0,
            }
        }
        let consts = DecodeConsts::new();
        loop {
            // Vector path: sixteen valid characters make twelve bytes.
            // Four blocks per step share the constants; each block stores all
            // 16 lanes (the last 4 are overwritten next), so dst needs 4 bytes
            // of slack.
            while let (Some(s), Some(d)) = (src.get(i..i + 64), dst.get_mut(o..o + 52)) {
                if !decode_4_blocks(s, d, &consts) {
                    break;
                }
                i += 64;
                o += 48;
            }
            while let (Some(s), Some(d)) = (
                src.get(i..).and_then(block),
                dst.get_mut(o..).and_then(block_mut),
            ) {
                let Some(v) = decode_block(s, &consts) else {
                    break;
                };
                v.store(d);
                i += 16;
                o += 12;
            }
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
            i = self.fill_group(src, i);
            if self.pending < 4 {
                return o; // the piece or the input ended inside a group
            }
            let Some(d) = dst.get_mut(o..) else {
                self.stop();
                return o;
            };
            match self.put_group(d) {
                Some(n) => o += n,
                None => return o,
            }
        }
    }

    /// Writes the bytes of a final incomplete group (two or three sextets
    /// make one or two bytes; one makes none) into `dst`; returns how many.
    /// The decoder is then at the end of its input.
    pub fn finish(&mut self, dst: &mut [u8]) -> usize {
        let acc = self.acc;
        let bytes: ([u8; 2], usize) = match self.pending {
            3 => ([(acc >> 10) as u8, (acc >> 2) as u8], 2),
            2 => ([(acc >> 4) as u8, 0], 1),
            _ => ([0; 2], 0),
        };
        self.stop();
        let (b, k) = bytes;
        match dst.get_mut(..k) {
            Some(d) => {
                d.copy_from_slice(&b[..k]);
                k
            }
            None => 0,
        }
    }

    /// Takes characters from `src[i..]` into the open group until it holds
    /// four sextets, a `=` stops the input, or `src` ends; returns the index
    /// after the last character taken.
    fn fill_group(&mut self, src: &[u8], mut i: usize) -> usize {
        while self.pending < 4 {
            let Some(&c) = src.get(i) else {
                break;
            };
            i += 1;
            if c == b'=' {
                self.stopped = true;
                break;
            }
            let v = DECODE[c as usize];
            if v != INVALID {
                self.acc = (self.acc << 6) | u32::from(v);
                self.pending += 1;
            }
        }
        i
    }

    /// Writes the complete group (four sextets) as three bytes at the start
    /// of `dst`; None (and the decoder stops) when they do not fit.
    fn put_group(&mut self, dst: &mut [u8]) -> Option<usize> {
        let acc = self.acc;
        self.acc = 0;
        self.pending = 0;
        match dst.get_mut(..3) {
            Some(d) => {
                d.copy_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
                Some(3)
            }
            None => {
                self.stop();
                None
            }
        }
    }

    fn stop(&mut self) {
        self.stopped = true;
        self.acc = 0;
        self.pending = 0;
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
    fn vector_blocks_take_clean_input() {
        let mut rng = Rng::new(11);
        for _ in 0..1000 {
            let src = rng.bytes_from(12, &[]);
            let mut padded = [0u8; 16];
            padded[..12].copy_from_slice(&src);
            let mut chars = [0u8; 16];
            encode_block(&padded, &EncodeConsts::new(false)).store(&mut chars);
            assert_eq!(chars[..], reference::encode(&src, false)[..]);
            let mut out = [0u8; 16];
            decode_block(&chars, &DecodeConsts::new())
                .expect("clean block")
                .store(&mut out);
            assert_eq!(out[..12], src[..]);
        }
        assert!(decode_block(b"QUJDQUJDQUJDQUJ=", &DecodeConsts::new()).is_none());
        // Every byte value in every lane: accepted exactly when the scalar
        // table knows it, with the same sextet.
        for lane in 0..16 {
            for c in 0..=255u8 {
                let mut chars = *b"AAAAAAAAAAAAAAAA";
                chars[lane] = c;
                let got = decode_block(&chars, &DecodeConsts::new());
                assert_eq!(
                    got.is_some(),
                    DECODE[c as usize] != INVALID,
                    "{c:#x} in lane {lane}"
                );
                if let Some(v) = got {
                    let mut out = [0u8; 16];
                    v.store(&mut out);
                    let want = reference::decode(&chars);
                    assert_eq!(out[..12], want[..], "{c:#x} in lane {lane}");
                }
            }
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

    /// Feeds `src` to a [`Decoder`] in pieces that end at `cuts`.
    fn decode_in_pieces(src: &[u8], cuts: &[usize]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut d = Decoder::new();
        let mut start = 0;
        for &end in cuts.iter().chain([&src.len()]) {
            let piece = &src[start..end.max(start)];
            let mut buf = vec![0u8; decoded_len_max(piece.len()) + 3];
            let n = d.feed(piece, &mut buf);
            out.extend_from_slice(&buf[..n]);
            start = end.max(start);
        }
        let mut tail = [0u8; 2];
        let n = d.finish(&mut tail);
        out.extend_from_slice(&tail[..n]);
        out
    }

    #[test]
    fn pieces_decode_like_the_whole() {
        let mut rng = Rng::new(4);
        let alphabets: [&[u8]; 3] = [
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_",
            b"QUJDabc09+/-_= \n\t\r!.\x00\x80\xff",
            b"QUJDQUJDQUJDQUJDQUJDQUJDQUJD \n",
        ];
        for round in 0..5_000 {
            let len = rng.below(if round % 10 == 0 { 400 } else { 60 });
            let src = rng.bytes_from(len, alphabets[round % 3]);
            let mut cuts: Vec<usize> = (0..rng.below(5)).map(|_| rng.below(len + 1)).collect();
            cuts.sort_unstable();
            assert_eq!(
                decode_in_pieces(&src, &cuts),
                reference::decode(&src),
                "{src:?} cut at {cuts:?}"
            );
        }
        // Clean input cut at every position, as JS slices a long string.
        let plain: Vec<u8> = (0..=255u8).cycle().take(300).collect();
        let enc = encode(&plain, false).unwrap();
        for cut in 0..=enc.len() {
            assert_eq!(decode_in_pieces(&enc, &[cut]), plain, "cut at {cut}");
        }
    }

    #[test]
    fn decoder_stops_at_padding_across_pieces() {
        let mut d = Decoder::new();
        let mut buf = [0u8; 16];
        assert_eq!(d.feed(b"QU", &mut buf), 0);
        assert!(!d.stopped());
        assert_eq!(d.feed(b"=", &mut buf), 0);
        assert!(d.stopped());
        assert_eq!(d.feed(b"QUJD", &mut buf), 0);
        assert_eq!(d.finish(&mut buf), 1);
        assert_eq!(buf[0], b'A');
        // A destination too short stops the decoder after a correct prefix.
        let mut d = Decoder::new();
        let mut small = [0u8; 4];
        assert_eq!(d.feed(b"QUJDQUJD", &mut small), 3);
        assert!(d.stopped());
        assert_eq!(d.finish(&mut small), 0);
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
