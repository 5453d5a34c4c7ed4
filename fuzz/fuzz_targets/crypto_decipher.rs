//! Decipher: any ciphertext, IV, tag and AAD, fed in any pieces and with the
//! calls in any order, ends in output or a Node-shaped error, never a panic.
//! Bad padding, forged tags and out-of-order calls are what a page can send.
#![no_main]
use ferrode_core::crypto::cipher::{Cipher, CIPHERS};
use libfuzzer_sys::fuzz_target;

/// Takes `n` bytes off the front of `data` (fewer when it runs out).
fn take<'a>(data: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, rest) = data.split_at(n.min(data.len()));
    *data = rest;
    head
}

fuzz_target!(|input: &[u8]| {
    let mut data = input;
    let [pick, iv_len, tag_opt, flags, cut, ops] = match take(&mut data, 6) {
        &[a, b, c, d, e, f] => [a, b, c, d, e, f],
        _ => return,
    };
    let spec = &CIPHERS[usize::from(pick) % CIPHERS.len()];
    // Keys are fixed-length by spec; the IV and the tag length are fuzzed,
    // including lengths the cipher refuses.
    let key = vec![0x5a; spec.key_len];
    let iv = take(&mut data, usize::from(iv_len % 33)).to_vec();
    let iv_arg = if flags & 1 == 1 { None } else { Some(&iv[..]) };
    let tag_len = if flags & 2 == 2 {
        Some(usize::from(tag_opt % 20))
    } else {
        None
    };
    let encrypt = flags & 4 == 4;
    let Ok(mut c) = Cipher::new(spec.listed, &key, iv_arg, encrypt, tag_len) else {
        return;
    };
    if flags & 8 == 8 {
        let _ = c.set_auto_padding(false);
    }
    // Each op byte picks a call; the rest of the input is the ciphertext,
    // AAD and tags those calls consume.
    for op in [ops & 3, (ops >> 2) & 3, (ops >> 4) & 3, (ops >> 6) & 3] {
        let piece = take(&mut data, usize::from(cut));
        let _ = match op {
            0 => c.set_aad(piece, Some(piece.len() as u64)).map(|_| ()),
            1 => c.set_auth_tag(piece, flags & 16 == 16).map(|_| ()),
            2 => c.update(piece).map(|_| ()),
            _ => c.auth_tag().map(|_| ()),
        };
    }
    let _ = c.update(data);
    let _ = c.finalize();
    // After final every call must still answer, not panic.
    let _ = c.update(b"late");
    let _ = c.finalize();
    let _ = c.auth_tag();
});
