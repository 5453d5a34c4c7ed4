//! Base64: the lenient decoder never panics, agrees with the naive reference
//! on any input (whole or fed in pieces), and encode/decode round-trip for
//! both alphabets.
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
    // Fed in pieces (cut where the first two bytes say), the streaming
    // decoder gives the same bytes.
    if let [a, b, ..] = *data {
        let len = data.len();
        let (c1, c2) = (usize::from(a) * len / 256, usize::from(b) * len / 256);
        let (c1, c2) = (c1.min(c2), c1.max(c2));
        let mut d = base64::Decoder::new();
        let mut out = Vec::new();
        for piece in [&data[..c1], &data[c1..c2], &data[c2..]] {
            let mut buf = vec![0u8; base64::decoded_len_max(piece.len()) + 3];
            let n = d.feed(piece, &mut buf);
            out.extend_from_slice(&buf[..n]);
        }
        let mut tail = [0u8; 2];
        let n = d.finish(&mut tail);
        out.extend_from_slice(&tail[..n]);
        assert_eq!(out, decoded);
    }
    for url in [false, true] {
        let enc = base64::encode(data, url).expect("small input");
        assert_eq!(enc, base64::reference::encode(data, url));
        assert_eq!(base64::decode(&enc), data);
    }
});
