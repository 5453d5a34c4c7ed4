//! Byte-string search for `buf.indexOf` / `buf.lastIndexOf` / `buf.includes`.
//!
//! The fast path is `memchr::memmem` (a SIMD prefilter on a rare byte pair,
//! simd128 on wasm, then Two-Way); the naive reference beside it is what the
//! property tests and fuzz targets compare it with.

/// First index `>= from` where `needle` occurs in `hay`. An empty needle
/// matches at `from` when `from <= hay.len()`.
pub fn index_of(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let tail = hay.get(from..)?;
    memchr::memmem::find(tail, needle).map(|i| i + from)
}

/// Last index `<= from` where `needle` occurs in `hay`.
pub fn last_index_of(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let end = from.saturating_add(needle.len()).min(hay.len());
    memchr::memmem::rfind(hay.get(..end)?, needle)
}

/// Naive references the optimised code is tested (and fuzzed) against.
pub mod reference {
    /// Tries every position from `from` upwards.
    pub fn index_of(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
        (from..=hay.len()).find(|&i| hay.get(i..i + needle.len()) == Some(needle))
    }

    /// Tries every position from `from` downwards.
    pub fn last_index_of(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
        let start = from.min(hay.len());
        (0..=start)
            .rev()
            .find(|&i| hay.get(i..i + needle.len()) == Some(needle))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::testrng::Rng;

    #[test]
    fn matches_reference() {
        let mut rng = Rng::new(8);
        for round in 0..30_000 {
            let alpha: &[u8] = if round % 2 == 0 {
                b"ab"
            } else {
                b"abcd\x00\xff"
            };
            let hay = {
                let n = rng.below(if round % 20 == 0 { 500 } else { 60 });
                rng.bytes_from(n, alpha)
            };
            let needle = {
                let n = rng.below(6);
                rng.bytes_from(n, alpha)
            };
            let from = rng.below(hay.len() + 3);
            assert_eq!(
                index_of(&hay, &needle, from),
                reference::index_of(&hay, &needle, from),
                "{hay:?} {needle:?} {from}"
            );
            assert_eq!(
                last_index_of(&hay, &needle, from),
                reference::last_index_of(&hay, &needle, from),
                "{hay:?} {needle:?} {from}"
            );
        }
        assert_eq!(last_index_of(b"abc", b"c", usize::MAX), Some(2));
        assert_eq!(index_of(b"abc", b"", 3), Some(3));
        assert_eq!(index_of(b"abc", b"", 4), None);
    }
}
