//! Whole-buffer byte operations: `Buffer.compare`, `buf.equals`, `buf.fill`.

use super::simd::{block, V};
use crate::NodeError;
use std::cmp::Ordering;

/// -1, 0 or 1: the first differing byte decides, then the length.
pub fn compare(a: &[u8], b: &[u8]) -> i32 {
    let n = a.len().min(b.len());
    let (a0, b0) = (
        a.get(..n).unwrap_or_default(),
        b.get(..n).unwrap_or_default(),
    );
    let order = match first_mismatch(a0, b0) {
        Some(i) => a0.get(i).cmp(&b0.get(i)),
        None => a.len().cmp(&b.len()),
    };
    match order {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

/// Same length and same bytes.
pub fn equals(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && first_mismatch(a, b).is_none()
}

/// Index of the first differing byte of two equally long slices.
///
/// `memcmp` on wasm is a byte loop (compiler-builtins); this compares 64
/// bytes per step with vector compares and only then looks at single bytes.
fn first_mismatch(a: &[u8], b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let (Some(x), Some(y)) = (a.get(i..i + 64), b.get(i..i + 64)) {
        let mut same = V::splat(0xff);
        for (p, q) in x.chunks_exact(16).zip(y.chunks_exact(16)) {
            if let (Some(p), Some(q)) = (block(p), block(q)) {
                same = same.and(V::load(p).eq(V::load(q)));
            }
        }
        if !same.all_set() {
            break;
        }
        i += 64;
    }
    let (x, y) = (
        a.get(i..).unwrap_or_default(),
        b.get(i..).unwrap_or_default(),
    );
    x.iter().zip(y).position(|(p, q)| p != q).map(|k| i + k)
}

/// Repeats `pattern` over `target[start..end]`, starting with its first byte.
pub fn fill(target: &mut [u8], pattern: &[u8], start: usize, end: usize) -> Result<(), NodeError> {
    if start > end || end > target.len() {
        return Err(NodeError::new(
            "ERR_OUT_OF_RANGE",
            format!(
                "The value of \"end\" is out of range. It must be >= {start} and <= {}. Received {end}",
                target.len()
            ),
        ));
    }
    let region = target.get_mut(start..end).unwrap_or_default();
    match pattern {
        [] => Err(NodeError::new(
            "ERR_INVALID_ARG_VALUE",
            "The argument 'value' is invalid. Received ''",
        )),
        [b] => {
            region.fill(*b);
            Ok(())
        }
        _ => {
            // Copy the pattern once, then keep doubling what is already there.
            let first = pattern.len().min(region.len());
            region[..first].copy_from_slice(&pattern[..first]);
            let mut filled = first;
            while filled < region.len() {
                let n = filled.min(region.len() - filled);
                region.copy_within(..n, filled);
                filled += n;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::testrng::Rng;

    #[test]
    fn compare_and_equals() {
        let mut rng = Rng::new(9);
        for round in 0..10_000 {
            // Long equal-ish pairs reach the 64-byte vector steps.
            let max = if round % 10 == 0 { 300 } else { 6 };
            let n = rng.below(max);
            let a = rng.bytes_from(n, b"ab");
            let mut b = if round % 3 == 0 {
                a.clone()
            } else {
                let n = rng.below(max);
                rng.bytes_from(n, b"ab")
            };
            if round % 2 == 0 && !b.is_empty() {
                let at = rng.below(b.len());
                b[at] ^= 3;
            }
            // Reference: first difference, then length.
            let want = a
                .iter()
                .zip(&b)
                .find(|(x, y)| x != y)
                .map(|(x, y)| if x < y { -1 } else { 1 })
                .unwrap_or((a.len() as i32 - b.len() as i32).signum());
            assert_eq!(compare(&a, &b), want);
            assert_eq!(equals(&a, &b), want == 0);
        }
    }

    #[test]
    fn fill_repeats_pattern() {
        let mut rng = Rng::new(10);
        for _ in 0..5_000 {
            let len = rng.below(40);
            let mut t = rng.bytes_from(len, &[]);
            let orig = t.clone();
            let pat = {
                let n = 1 + rng.below(7);
                rng.bytes_from(n, &[])
            };
            let start = rng.below(len + 1);
            let end = start + rng.below(len - start + 1);
            fill(&mut t, &pat, start, end).unwrap();
            for i in 0..len {
                let want = if i >= start && i < end {
                    pat[(i - start) % pat.len()]
                } else {
                    orig[i]
                };
                assert_eq!(t[i], want);
            }
        }
        let mut t = [0u8; 4];
        assert_eq!(
            fill(&mut t, b"a", 3, 2).unwrap_err().code,
            "ERR_OUT_OF_RANGE"
        );
        assert_eq!(
            fill(&mut t, b"a", 0, 5).unwrap_err().code,
            "ERR_OUT_OF_RANGE"
        );
        assert_eq!(
            fill(&mut t, b"", 0, 1).unwrap_err().code,
            "ERR_INVALID_ARG_VALUE"
        );
    }
}
