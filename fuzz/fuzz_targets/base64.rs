//! Base64: the lenient decoder never panics, agrees with the naive reference
//! on any input, and encode/decode round-trip for both alphabets.
#![no_main]
use ferrode_core::buffer::base64;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = base64::decode(data);
    assert_eq!(decoded, base64::reference::decode(data));
    assert!(decoded.len() <= base64::decoded_len_max(data.len()));
    // A destination too short keeps a correct prefix.
    let mut short = vec![0u8; decoded.len() / 2];
    let n = base64::decode_into(data, &mut short);
    assert_eq!(short[..n], decoded[..n]);
    for url in [false, true] {
        let enc = base64::encode(data, url).expect("small input");
        assert_eq!(enc, base64::reference::encode(data, url));
        assert_eq!(base64::decode(&enc), data);
    }
});
