//! UTF-8: validation agrees with the naive table-driven reference and with
//! std; lossy decoding re-encodes to the input exactly when it is valid;
//! encoding the input's UTF-16 view never panics and writes whole characters.
#![no_main]
use ferrode_core::buffer::utf8;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let valid = utf8::is_utf8(data);
    assert_eq!(valid, utf8::reference::is_utf8(data));
    assert_eq!(valid, std::str::from_utf8(data).is_ok());
    let text = utf8::decode_lossy(data);
    assert_eq!(valid, text.as_bytes() == data);
    // Treat the input as UTF-16 code units (lone surrogates included).
    let units: Vec<u16> = data
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    let full = utf8::encode_utf16(&units);
    let cap = data.first().map_or(0, |&b| usize::from(b));
    let mut dst = vec![0u8; cap];
    let (read, written) = utf8::encode_utf16_into(&units, &mut dst);
    assert_eq!(dst[..written], full.as_bytes()[..written]);
    assert!(read <= units.len());
    assert!(written == full.len() || cap - written < 4);
});
