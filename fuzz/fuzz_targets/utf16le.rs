//! UTF-16LE: decode/encode round-trip the even prefix, and lone-surrogate
//! detection agrees with std's strict UTF-16 decoder.
#![no_main]
use ferrode_core::buffer::{latin1, utf16};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let units = utf16::decode(data);
    assert_eq!(units.len(), data.len() / 2);
    assert_eq!(
        utf16::encode(&units).expect("small input"),
        data[..data.len() / 2 * 2]
    );
    let lone = char::decode_utf16(units.iter().copied()).any(|r| r.is_err());
    assert_eq!(utf16::has_lone_surrogate(data), lone);
    // Latin-1 and ASCII views of the same bytes.
    assert_eq!(latin1::narrow(&latin1::widen(data)), data);
    assert_eq!(latin1::is_ascii(data), data.is_ascii());
});
