//! Known-answer tests from the standards (data in `tests/vectors/crypto/`) and
//! the streaming AEADs against the one-shot `aes-gcm` / `chacha20poly1305` crates.

use super::cipher::{Cipher, CIPHERS};
use super::hash::{digest, HashAlgorithm, Hasher};
use super::{hmac, kdf};
use serde_json::Value;

macro_rules! vectors {
    ($name:literal) => {{
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/vectors/crypto/",
            $name,
            ".json"
        ));
        let v: Value = serde_json::from_str(text).expect("vector file is JSON");
        v.as_array().expect("vector file is an array").clone()
    }};
}

fn hex(v: &Value, key: &str) -> Vec<u8> {
    let s = v[key].as_str().unwrap_or_else(|| panic!("{key} missing"));
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn alg(v: &Value) -> HashAlgorithm {
    HashAlgorithm::from_name(v["alg"].as_str().expect("alg")).expect("known alg")
}

/// A small deterministic generator for chunkings and inputs.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
    fn chunks(&mut self, data: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < data.len() {
            let n = 1 + self.below(40.min(data.len() - i));
            out.push(data[i..i + n].to_vec());
            i += n;
        }
        out
    }
}

#[test]
fn hash_known_answers() {
    for v in vectors!("hash") {
        let a = alg(&v);
        let expected = hex(&v, "out");
        let msg = hex(&v, "msg").repeat(v["repeat"].as_u64().unwrap_or(1) as usize);
        assert_eq!(digest(a, &msg, expected.len()).unwrap(), expected, "{v}");
        // The same through many small updates.
        let mut h = Hasher::new(a);
        for chunk in msg.chunks(7) {
            h.update(chunk);
        }
        assert_eq!(h.finalize(expected.len()).unwrap(), expected, "{v}");
    }
}

#[test]
fn hmac_known_answers() {
    for v in vectors!("hmac") {
        assert_eq!(
            hmac::hmac(alg(&v), &hex(&v, "key"), &hex(&v, "msg")).unwrap(),
            hex(&v, "out"),
            "{v}"
        );
    }
}

#[test]
fn pbkdf2_known_answers() {
    for v in vectors!("pbkdf2") {
        let out = hex(&v, "out");
        let got = kdf::pbkdf2(
            alg(&v),
            &hex(&v, "password"),
            &hex(&v, "salt"),
            v["iterations"].as_u64().unwrap() as u32,
            out.len(),
        )
        .unwrap();
        assert_eq!(got, out, "{v}");
    }
}

#[test]
fn scrypt_known_answers() {
    for v in vectors!("scrypt") {
        let out = hex(&v, "out");
        let got = kdf::scrypt(
            &hex(&v, "password"),
            &hex(&v, "salt"),
            v["N"].as_u64().unwrap(),
            v["r"].as_u64().unwrap() as u32,
            v["p"].as_u64().unwrap() as u32,
            1 << 30,
            out.len(),
        )
        .unwrap();
        assert_eq!(got, out, "{v}");
    }
}

#[test]
fn scrypt_rejects_bad_params() {
    assert!(kdf::scrypt(b"", b"", 3, 8, 1, 1 << 25, 16).is_err());
    assert!(kdf::scrypt(b"", b"", 0, 8, 1, 1 << 25, 16).is_err());
    assert!(kdf::scrypt(b"", b"", 16384, 0, 1, 1 << 25, 16).is_err());
    // 128 * N * r = 16 MiB + 1 KiB > 16 MiB.
    assert_eq!(
        kdf::scrypt(b"", b"", 16384, 8, 1, 16 << 20, 16)
            .unwrap_err()
            .code,
        "ERR_CRYPTO_INVALID_SCRYPT_PARAMS"
    );
}

#[test]
fn hkdf_known_answers() {
    for v in vectors!("hkdf") {
        let out = hex(&v, "out");
        let got = kdf::hkdf(
            alg(&v),
            &hex(&v, "ikm"),
            &hex(&v, "salt"),
            &hex(&v, "info"),
            out.len(),
        )
        .unwrap();
        assert_eq!(got, out, "{v}");
    }
    assert!(kdf::hkdf(HashAlgorithm::Sha256, b"k", b"", b"", 255 * 32 + 1).is_err());
}

fn run(c: &mut Cipher, chunks: &[Vec<u8>]) -> Result<Vec<u8>, crate::NodeError> {
    let mut out = Vec::new();
    for ch in chunks {
        out.extend(c.update(ch)?);
    }
    out.extend(c.finalize()?);
    Ok(out)
}

#[test]
fn aes_known_answers_in_every_chunking() {
    let mut rng = Rng(0x9e3779b97f4a7c15);
    for v in vectors!("aes") {
        let name = v["cipher"].as_str().unwrap();
        let (key, iv, pt, ct) = (hex(&v, "key"), hex(&v, "iv"), hex(&v, "pt"), hex(&v, "ct"));
        let iv = if iv.is_empty() { None } else { Some(&iv[..]) };
        for _ in 0..20 {
            let mut enc = Cipher::new(name, &key, iv, true, None).unwrap();
            enc.set_auto_padding(v["padding"].as_bool().unwrap())
                .unwrap();
            assert_eq!(run(&mut enc, &rng.chunks(&pt)).unwrap(), ct, "{v}");
            let mut dec = Cipher::new(name, &key, iv, false, None).unwrap();
            dec.set_auto_padding(v["padding"].as_bool().unwrap())
                .unwrap();
            assert_eq!(run(&mut dec, &rng.chunks(&ct)).unwrap(), pt, "{v}");
        }
    }
}

#[test]
fn aead_known_answers_and_tamper() {
    let mut rng = Rng(7);
    for v in vectors!("aead") {
        let name = v["cipher"].as_str().unwrap();
        let (key, iv, aad, pt, ct, tag) = (
            hex(&v, "key"),
            hex(&v, "iv"),
            hex(&v, "aad"),
            hex(&v, "pt"),
            hex(&v, "ct"),
            hex(&v, "tag"),
        );
        let mut enc = Cipher::new(name, &key, Some(&iv), true, None).unwrap();
        enc.set_aad(&aad).unwrap();
        assert_eq!(run(&mut enc, &rng.chunks(&pt)).unwrap(), ct, "{v}");
        assert_eq!(enc.auth_tag().unwrap(), tag, "{v}");
        let mut dec = Cipher::new(name, &key, Some(&iv), false, None).unwrap();
        dec.set_aad(&aad).unwrap();
        dec.set_auth_tag(&tag, false).unwrap();
        assert_eq!(run(&mut dec, &rng.chunks(&ct)).unwrap(), pt, "{v}");
        let mut bad = tag.clone();
        bad[0] ^= 1;
        let mut dec = Cipher::new(name, &key, Some(&iv), false, None).unwrap();
        dec.set_aad(&aad).unwrap();
        dec.set_auth_tag(&bad, false).unwrap();
        let err = run(&mut dec, std::slice::from_ref(&ct)).unwrap_err();
        assert_eq!(
            err.message,
            "Unsupported state or unable to authenticate data"
        );
    }
}

#[test]
fn streaming_gcm_matches_aes_gcm_crate() {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let mut rng = Rng(12345);
    for round in 0..200 {
        let key = rng.bytes(32);
        let iv = rng.bytes(12);
        let aad = {
            let n = rng.below(50);
            rng.bytes(n)
        };
        let pt = {
            let n = rng.below(300);
            rng.bytes(n)
        };
        let reference = aes_gcm::Aes256Gcm::new_from_slice(&key)
            .unwrap()
            .encrypt(
                (&iv[..]).try_into().unwrap(),
                Payload {
                    msg: &pt,
                    aad: &aad,
                },
            )
            .unwrap();
        let mut enc = Cipher::new("aes-256-gcm", &key, Some(&iv), true, None).unwrap();
        // Feed the AAD in pieces too: OpenSSL concatenates them.
        for piece in rng.chunks(&aad) {
            enc.set_aad(&piece).unwrap();
        }
        let mut got = run(&mut enc, &rng.chunks(&pt)).unwrap();
        got.extend(enc.auth_tag().unwrap());
        assert_eq!(got, reference, "round {round}");
    }
}

#[test]
fn streaming_chacha_poly_matches_crate() {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let mut rng = Rng(999);
    for round in 0..200 {
        let key = rng.bytes(32);
        let iv = rng.bytes(12);
        let aad = {
            let n = rng.below(50);
            rng.bytes(n)
        };
        let pt = {
            let n = rng.below(300);
            rng.bytes(n)
        };
        let reference = chacha20poly1305::ChaCha20Poly1305::new_from_slice(&key)
            .unwrap()
            .encrypt(
                (&iv[..]).try_into().unwrap(),
                Payload {
                    msg: &pt,
                    aad: &aad,
                },
            )
            .unwrap();
        let mut enc = Cipher::new("chacha20-poly1305", &key, Some(&iv), true, None).unwrap();
        enc.set_aad(&aad).unwrap();
        let mut got = run(&mut enc, &rng.chunks(&pt)).unwrap();
        got.extend(enc.auth_tag().unwrap());
        assert_eq!(got, reference, "round {round}");
    }
}

#[test]
fn every_cipher_round_trips_and_bad_input_errors() {
    let mut rng = Rng(4242);
    for spec in CIPHERS {
        for _ in 0..10 {
            let key = rng.bytes(spec.key_len);
            let iv = rng.bytes(spec.iv_len);
            let iv = if spec.iv_len == 0 {
                None
            } else {
                Some(&iv[..])
            };
            let pt = {
                let n = rng.below(100);
                rng.bytes(n)
            };
            let mut enc = Cipher::new(spec.listed, &key, iv, true, None).unwrap();
            let ct = run(&mut enc, &rng.chunks(&pt)).unwrap();
            let mut dec = Cipher::new(spec.listed, &key, iv, false, None).unwrap();
            if spec.mode.is_aead() {
                dec.set_auth_tag(&enc.auth_tag().unwrap(), false).unwrap();
            }
            assert_eq!(
                run(&mut dec, &rng.chunks(&ct)).unwrap(),
                pt,
                "{}",
                spec.listed
            );
        }
        let key = rng.bytes(spec.key_len + 1);
        let good_iv = rng.bytes(spec.iv_len);
        assert_eq!(
            Cipher::new(spec.listed, &key, Some(&good_iv), true, None)
                .unwrap_err()
                .code,
            "ERR_CRYPTO_INVALID_KEYLEN"
        );
        let key = rng.bytes(spec.key_len);
        let iv = rng.bytes(spec.iv_len + 1);
        if spec.mode != super::cipher::Mode::Gcm {
            assert_eq!(
                Cipher::new(spec.listed, &key, Some(&iv), true, None)
                    .unwrap_err()
                    .code,
                "ERR_CRYPTO_INVALID_IV"
            );
        }
    }
    assert_eq!(
        Cipher::new("aes-999-cbc", &[], None, true, None)
            .unwrap_err()
            .code,
        "ERR_CRYPTO_UNKNOWN_CIPHER"
    );
}

#[test]
fn cbc_bad_padding_and_lengths() {
    let key = [1u8; 16];
    let iv = [2u8; 16];
    let mut dec = Cipher::new("aes-128-cbc", &key, Some(&iv), false, None).unwrap();
    assert_eq!(
        run(&mut dec, &[vec![0u8; 16]]).unwrap_err().code,
        "ERR_OSSL_BAD_DECRYPT"
    );
    let mut dec = Cipher::new("aes-128-cbc", &key, Some(&iv), false, None).unwrap();
    assert_eq!(
        run(&mut dec, &[vec![0u8; 17]]).unwrap_err().code,
        "ERR_OSSL_WRONG_FINAL_BLOCK_LENGTH"
    );
    let mut enc = Cipher::new("aes-128-cbc", &key, Some(&iv), true, None).unwrap();
    enc.set_auto_padding(false).unwrap();
    assert_eq!(
        run(&mut enc, &[vec![0u8; 5]]).unwrap_err().code,
        "ERR_OSSL_WRONG_FINAL_BLOCK_LENGTH"
    );
    assert_eq!(enc.finalize().unwrap_err().code, "ERR_CRYPTO_INVALID_STATE");
}
