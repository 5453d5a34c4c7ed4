//! Latin-1 (`'latin1'`, `'binary'`) and Node's `'ascii'` decoding.
//!
//! Latin-1 maps byte `b` to U+00`b` and back through the low 8 bits of each
//! UTF-16 code unit; Node's `'ascii'` decoding clears each byte's top bit.

/// Whether every byte is below 0x80.
pub fn is_ascii(src: &[u8]) -> bool {
    // OR-reducing fixed blocks vectorises (simd128 on wasm); the early exit
    // per block keeps a non-ASCII prefix cheap.
    let mut blocks = src.chunks_exact(64);
    for b in &mut blocks {
        if b.iter().fold(0u8, |a, &x| a | x) & 0x80 != 0 {
            return false;
        }
    }
    blocks.remainder().iter().all(|&b| b < 0x80)
}

/// Writes `src[i] & 0x7f` into `dst` (as many as fit); returns the count.
pub fn mask_ascii_into(src: &[u8], dst: &mut [u8]) -> usize {
    let n = src.len().min(dst.len());
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = s & 0x7f;
    }
    n
}

/// Node's `'ascii'` decoding as bytes: every top bit cleared.
pub fn mask_ascii(src: &[u8]) -> Vec<u8> {
    src.iter().map(|&b| b & 0x7f).collect()
}

/// Latin-1 decoding as UTF-16 code units.
pub fn widen(src: &[u8]) -> Vec<u16> {
    src.iter().map(|&b| u16::from(b)).collect()
}

/// Latin-1 encoding of UTF-16 code units: the low 8 bits of each.
pub fn narrow(units: &[u16]) -> Vec<u8> {
    units.iter().map(|&u| u as u8).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::testrng::Rng;

    #[test]
    fn ascii_and_latin1() {
        let mut rng = Rng::new(5);
        for len in 0..300 {
            let mut src = rng.bytes_from(len, b"abc\x7f");
            assert!(is_ascii(&src));
            if len > 0 {
                let at = rng.below(len);
                src[at] |= 0x80;
                assert!(!is_ascii(&src));
            }
            assert!(mask_ascii(&src).iter().all(|&b| b < 0x80));
            let mut dst = vec![0; len];
            assert_eq!(mask_ascii_into(&src, &mut dst), len);
            assert_eq!(dst, mask_ascii(&src));
            assert_eq!(narrow(&widen(&src)), src);
        }
        assert_eq!(narrow(&[0x100, 0x141, 0xffff, 0x61]), [0, 0x41, 0xff, 0x61]);
    }
}
