//! UTF-8 as Node's `Buffer` speaks it: decoding replaces each maximal invalid
//! subpart with U+FFFD (the WHATWG rule, which is also Rust's), encoding
//! turns lone surrogates into U+FFFD (EF BF BD), and `buffer.isUtf8` is
//! strict validation.

/// Whether `src` is valid UTF-8 (no surrogates, no overlongs, <= U+10FFFF).
pub fn is_utf8(src: &[u8]) -> bool {
    // Pure-ASCII prefixes are common and checked much faster block-wise.
    let ascii = src
        .chunks_exact(64)
        .take_while(|b| b.iter().fold(0u8, |a, &x| a | x) < 0x80)
        .count()
        * 64;
    std::str::from_utf8(src.get(ascii..).unwrap_or_default()).is_ok()
}

/// Decodes with replacement characters for invalid sequences.
pub fn decode_lossy(src: &[u8]) -> String {
    String::from_utf8_lossy(src).into_owned()
}

/// Encodes UTF-16 code units; lone surrogates become U+FFFD.
pub fn encode_utf16(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Encodes as many whole characters of `units` as fit into `dst`, like
/// Node's `buf.write(str)`; returns `(code units read, bytes written)`.
pub fn encode_utf16_into(units: &[u16], dst: &mut [u8]) -> (usize, usize) {
    let mut read = 0;
    let mut written = 0;
    for r in char::decode_utf16(units.iter().copied()) {
        let (c, n_units) = match r {
            Ok(c) => (c, c.len_utf16()),
            Err(_) => (char::REPLACEMENT_CHARACTER, 1),
        };
        let Some(d) = dst.get_mut(written..written + c.len_utf8()) else {
            break;
        };
        c.encode_utf8(d);
        written += c.len_utf8();
        read += n_units;
    }
    (read, written)
}

/// Naive references the optimised code is tested (and fuzzed) against.
pub mod reference {
    /// A byte-by-byte validator written from the Unicode table of well-formed
    /// byte sequences (Unicode 15, table 3-7).
    pub fn is_utf8(src: &[u8]) -> bool {
        let mut i = 0;
        while let Some(&b) = src.get(i) {
            let (len, lo, hi) = match b {
                0x00..=0x7f => (1, 0x80, 0xbf),
                0xc2..=0xdf => (2, 0x80, 0xbf),
                0xe0 => (3, 0xa0, 0xbf),
                0xe1..=0xec | 0xee..=0xef => (3, 0x80, 0xbf),
                0xed => (3, 0x80, 0x9f),
                0xf0 => (4, 0x90, 0xbf),
                0xf1..=0xf3 => (4, 0x80, 0xbf),
                0xf4 => (4, 0x80, 0x8f),
                _ => return false,
            };
            for k in 1..len {
                let Some(&c) = src.get(i + k) else {
                    return false;
                };
                let (l, h) = if k == 1 { (lo, hi) } else { (0x80, 0xbf) };
                if c < l || c > h {
                    return false;
                }
            }
            i += len;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::testrng::Rng;

    #[test]
    fn validation_matches_reference() {
        let mut rng = Rng::new(7);
        let alpha: &[u8] =
            b"a\x7f\x80\x8f\x90\x9f\xa0\xbf\xc0\xc1\xc2\xdf\xe0\xed\xee\xef\xf0\xf4\xf5\xff";
        for round in 0..50_000 {
            let len = rng.below(if round % 10 == 0 { 200 } else { 12 });
            let src = rng.bytes_from(len, if round % 2 == 0 { alpha } else { b"" });
            assert_eq!(is_utf8(&src), reference::is_utf8(&src), "{src:?}");
        }
        let long_ascii = vec![b'a'; 1000];
        assert!(is_utf8(&long_ascii));
        let mut bad = long_ascii.clone();
        bad[700] = 0xff;
        assert!(!is_utf8(&bad));
    }

    #[test]
    fn write_whole_characters_only() {
        let s: Vec<u16> = "a\u{e9}\u{20ac}\u{1f600}".encode_utf16().collect();
        let full = encode_utf16(&s);
        for cap in 0..=full.len() {
            let mut dst = vec![0; cap];
            let (read, written) = encode_utf16_into(&s, &mut dst);
            assert!(full.as_bytes()[..written] == dst[..written]);
            let whole = String::from_utf16(&s[..read]).unwrap();
            assert_eq!(whole.len(), written);
            assert!(cap - written < 4);
        }
        assert_eq!(
            encode_utf16(&[0xd800, 0x61, 0xdc00]).as_bytes(),
            b"\xef\xbf\xbda\xef\xbf\xbd"
        );
    }
}
