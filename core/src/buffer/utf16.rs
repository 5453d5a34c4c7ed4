//! UTF-16LE (`'utf16le'`, `'ucs2'`) as Node's `Buffer` speaks it: bytes pair
//! up into code units (an odd trailing byte is ignored) and lone surrogates
//! pass through unchanged in both directions.

use crate::NodeError;

/// The code units of `src` (pairs of little-endian bytes).
pub fn decode(src: &[u8]) -> Vec<u16> {
    src.chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect()
}

/// Whether the code units in `src` (little-endian pairs) contain a surrogate
/// that is not part of a high-low pair. Platform UTF-16 decoders replace
/// those with U+FFFD where Node keeps them.
pub fn has_lone_surrogate(src: &[u8]) -> bool {
    let mut units = src
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]));
    while let Some(u) = units.next() {
        match u {
            0xD800..=0xDBFF => match units.next() {
                Some(0xDC00..=0xDFFF) => {}
                _ => return true,
            },
            0xDC00..=0xDFFF => return true,
            _ => {}
        }
    }
    false
}

/// Each code unit as two little-endian bytes.
pub fn encode(units: &[u16]) -> Result<Vec<u8>, NodeError> {
    units.len().checked_mul(2).ok_or_else(super::too_large)?;
    Ok(units.iter().flat_map(|u| u.to_le_bytes()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::testrng::Rng;

    /// Reference: std's strict UTF-16 decoder finds the same lone surrogates.
    fn lone_reference(src: &[u8]) -> bool {
        char::decode_utf16(decode(src)).any(|r| r.is_err())
    }

    #[test]
    fn round_trip_and_surrogates() {
        let mut rng = Rng::new(6);
        for round in 0..20_000 {
            let len = rng.below(60);
            let alpha: &[u8] = if round % 2 == 0 {
                b"\x00\x41\xd8\xdc\xdf\xdb"
            } else {
                b""
            };
            let src = rng.bytes_from(len, alpha);
            let units = decode(&src);
            assert_eq!(units.len(), len / 2);
            assert_eq!(encode(&units).unwrap(), src[..len / 2 * 2]);
            assert_eq!(has_lone_surrogate(&src), lone_reference(&src), "{src:?}");
        }
        assert!(has_lone_surrogate(&[0x00, 0xd8]));
        assert!(!has_lone_surrogate(&[0x3d, 0xd8, 0x00, 0xde]));
        assert!(has_lone_surrogate(&[0x00, 0xde, 0x3d, 0xd8]));
    }
}
