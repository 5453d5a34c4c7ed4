//! Hex: the decoder never panics, agrees with the naive reference, and
//! encode/decode round-trip.
#![no_main]
use ferrode_core::buffer::hex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = hex::decode(data);
    assert_eq!(decoded, hex::reference::decode(data));
    let enc = hex::encode(data).expect("small input");
    assert_eq!(enc, hex::reference::encode(data));
    assert_eq!(hex::decode(&enc), data);
});
