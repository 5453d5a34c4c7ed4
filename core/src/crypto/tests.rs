//! Known-answer tests from the standards (data in `tests/vectors/crypto/`) and
//! the streaming AEADs against the one-shot `aes-gcm` / `chacha20poly1305` crates,
//! and CCM against the `ccm` crate.

use super::cipher::{Cipher, Mode, CIPHERS};
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

#[test]
fn hkdf_matches_hkdf_crate_for_every_digest() {
    fn reference<D: ::hmac::EagerHash>(ikm: &[u8], salt: &[u8], info: &[u8], len: usize) -> Vec<u8>
    where
        ::hmac::Hmac<D>: hkdf::HmacImpl,
    {
        let mut out = vec![0u8; len];
        hkdf::Hkdf::<D>::new(Some(salt), ikm)
            .expand(info, &mut out)
            .unwrap();
        out
    }
    let mut rng = Rng(5869);
    for round in 0..40 {
        let ikm = {
            let n = rng.below(200);
            rng.bytes(n)
        };
        let salt = {
            let n = rng.below(200);
            rng.bytes(n)
        };
        let info = {
            let n = rng.below(100);
            rng.bytes(n)
        };
        let len = 1 + rng.below(600);
        let cases: [(HashAlgorithm, Vec<u8>); 13] = [
            (
                HashAlgorithm::Md5,
                reference::<md5::Md5>(&ikm, &salt, &info, len),
            ),
            (
                HashAlgorithm::Sha1,
                reference::<sha1::Sha1>(&ikm, &salt, &info, len),
            ),
            (
                HashAlgorithm::Sha224,
                reference::<sha2::Sha224>(&ikm, &salt, &info, len),
            ),
            (
                HashAlgorithm::Sha256,
                reference::<sha2::Sha256>(&ikm, &salt, &info, len),
            ),
            (
                HashAlgorithm::Sha384,
                reference::<sha2::Sha384>(&ikm, &salt, &info, len),
            ),
            (
                HashAlgorithm::Sha512,
                reference::<sha2::Sha512>(&ikm, &salt, &info, len),
            ),
            (
                HashAlgorithm::Sha512_224,
                reference::<sha2::Sha512_224>(&ikm, &salt, &info, len),
            ),
            (
                HashAlgorithm::Sha512_256,
                reference::<sha2::Sha512_256>(&ikm, &salt, &info, len),
            ),
            (
                HashAlgorithm::Sha3_224,
                reference::<sha3::Sha3_224>(&ikm, &salt, &info, len),
            ),
            (
                HashAlgorithm::Sha3_256,
                reference::<sha3::Sha3_256>(&ikm, &salt, &info, len),
            ),
            (
                HashAlgorithm::Sha3_384,
                reference::<sha3::Sha3_384>(&ikm, &salt, &info, len),
            ),
            (
                HashAlgorithm::Sha3_512,
                reference::<sha3::Sha3_512>(&ikm, &salt, &info, len),
            ),
            (
                HashAlgorithm::Ripemd160,
                reference::<ripemd::Ripemd160>(&ikm, &salt, &info, len),
            ),
        ];
        for (alg, want) in cases {
            let got = kdf::hkdf(alg, &ikm, &salt, &info, len);
            assert_eq!(got.ok(), Some(want), "{alg:?} round {round}");
        }
    }
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
        enc.set_aad(&aad, None).unwrap();
        assert_eq!(run(&mut enc, &rng.chunks(&pt)).unwrap(), ct, "{v}");
        assert_eq!(enc.auth_tag().unwrap(), tag, "{v}");
        let mut dec = Cipher::new(name, &key, Some(&iv), false, None).unwrap();
        dec.set_aad(&aad, None).unwrap();
        dec.set_auth_tag(&tag, false).unwrap();
        assert_eq!(run(&mut dec, &rng.chunks(&ct)).unwrap(), pt, "{v}");
        let mut bad = tag.clone();
        bad[0] ^= 1;
        let mut dec = Cipher::new(name, &key, Some(&iv), false, None).unwrap();
        dec.set_aad(&aad, None).unwrap();
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
            enc.set_aad(&piece, None).unwrap();
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
        enc.set_aad(&aad, None).unwrap();
        let mut got = run(&mut enc, &rng.chunks(&pt)).unwrap();
        got.extend(enc.auth_tag().unwrap());
        assert_eq!(got, reference, "round {round}");
    }
}

#[test]
fn every_cipher_round_trips_and_bad_input_errors() {
    let mut rng = Rng(4242);
    // CCM takes one update per message and a required tag length: tested below.
    for spec in CIPHERS.iter().filter(|s| s.mode != Mode::Ccm) {
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
        if spec.mode != Mode::Gcm {
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

#[test]
fn ccm_known_answers_from_sp800_38c_and_rfc3610() {
    for v in vectors!("ccm") {
        let name = v["name"].as_str().expect("name");
        let key = hex(&v, "key");
        let nonce = hex(&v, "nonce");
        let aad = hex(&v, "aad");
        let pt = hex(&v, "pt");
        let want = hex(&v, "ct");
        let tag_len = v["tagLength"].as_u64().expect("tagLength") as usize;
        let alg = format!("aes-{}-ccm", key.len() * 8);
        let mut enc = Cipher::new(&alg, &key, Some(&nonce), true, Some(tag_len)).unwrap();
        enc.set_aad(&aad, Some(pt.len() as u64)).unwrap();
        let mut got = enc.update(&pt).unwrap();
        got.extend(enc.finalize().unwrap());
        got.extend(enc.auth_tag().unwrap());
        assert_eq!(got, want, "{name}");

        let (ct, tag) = want.split_at(pt.len());
        let mut dec = Cipher::new(&alg, &key, Some(&nonce), false, Some(tag_len)).unwrap();
        dec.set_auth_tag(tag, true).unwrap();
        dec.set_aad(&aad, Some(pt.len() as u64)).unwrap();
        assert_eq!(dec.update(ct).unwrap(), pt, "{name}");
        assert!(dec.finalize().unwrap().is_empty(), "{name}");

        // A flipped tag bit: update() gives nothing and final() throws.
        let mut bad = tag.to_vec();
        bad[0] ^= 1;
        let mut dec = Cipher::new(&alg, &key, Some(&nonce), false, Some(tag_len)).unwrap();
        dec.set_auth_tag(&bad, true).unwrap();
        dec.set_aad(&aad, Some(pt.len() as u64)).unwrap();
        assert!(dec.update(ct).unwrap().is_empty(), "{name}");
        assert_eq!(
            dec.finalize().unwrap_err().message,
            "Unsupported state or unable to authenticate data"
        );
    }
}

#[test]
fn ccm_follows_nodes_one_message_protocol() {
    let key = [7u8; 32];
    let nonce = [1u8; 13];
    let err = Cipher::new("aes-256-ccm", &key, Some(&nonce), true, None).unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (
            "ERR_CRYPTO_INVALID_AUTH_TAG",
            "authTagLength required for aes-256-ccm"
        )
    );
    for bad in [3, 5, 18] {
        let err = Cipher::new("aes-256-ccm", &key, Some(&nonce), true, Some(bad)).unwrap_err();
        assert_eq!(err.code, "ERR_CRYPTO_INVALID_AUTH_TAG");
    }
    for bad in [6, 14] {
        let err =
            Cipher::new("aes-256-ccm", &key, Some(&[0u8; 16][..bad]), true, Some(16)).unwrap_err();
        assert_eq!(err.code, "ERR_CRYPTO_INVALID_IV");
    }
    // A 13-byte nonce leaves a 2-byte length: 65535 bytes at most.
    let mut enc = Cipher::new("aes-256-ccm", &key, Some(&nonce), true, Some(16)).unwrap();
    assert_eq!(
        enc.set_aad(b"x", Some(65536)).unwrap_err().code,
        "ERR_CRYPTO_INVALID_MESSAGELEN"
    );
    assert_eq!(
        enc.set_aad(b"x", None).unwrap_err().code,
        "ERR_MISSING_ARGS"
    );
    assert_eq!(
        enc.update(&[0u8; 65536]).unwrap_err().code,
        "ERR_CRYPTO_INVALID_MESSAGELEN"
    );
    // One update per message; a second one with data is refused and final() then throws.
    let mut enc = Cipher::new("aes-256-ccm", &key, Some(&nonce), true, Some(16)).unwrap();
    enc.update(b"hello").unwrap();
    assert!(enc.update(b"").unwrap().is_empty());
    assert_eq!(
        enc.update(b"more").unwrap_err().message,
        "Trying to add data in unsupported state"
    );
    assert!(enc.finalize().is_err());
    // No data at all: OpenSSL never computed a tag.
    let mut enc = Cipher::new("aes-256-ccm", &key, Some(&nonce), true, Some(16)).unwrap();
    assert_eq!(enc.finalize().unwrap_err().code, "ERR_OSSL_TAG_NOT_SET");
    // plaintextLength must match the data.
    let mut enc = Cipher::new("aes-256-ccm", &key, Some(&nonce), true, Some(16)).unwrap();
    enc.set_aad(b"aad", Some(6)).unwrap();
    assert!(enc.update(b"hello").is_err());
    assert_eq!(enc.finalize().unwrap_err().code, "ERR_OSSL_TAG_NOT_SET");
    // Decrypting without a tag fails at final().
    let mut dec = Cipher::new("aes-256-ccm", &key, Some(&nonce), false, Some(16)).unwrap();
    assert!(dec.update(b"hello").unwrap().is_empty());
    assert!(dec.finalize().is_err());
    // Every key size and tag length round-trips.
    let mut rng = Rng(77);
    for alg in ["aes-128-ccm", "aes-192-ccm", "aes-256-ccm"] {
        for tag_len in [4, 6, 8, 10, 12, 14, 16] {
            let klen = if alg.contains("128") {
                16
            } else if alg.contains("192") {
                24
            } else {
                32
            };
            let key = rng.bytes(klen);
            let nonce_len = 7 + rng.below(7);
            let nonce = rng.bytes(nonce_len);
            let pt = {
                let n = rng.below(200);
                rng.bytes(n)
            };
            let aad = {
                let n = rng.below(40);
                rng.bytes(n)
            };
            let mut enc = Cipher::new(alg, &key, Some(&nonce), true, Some(tag_len)).unwrap();
            enc.set_aad(&aad, Some(pt.len() as u64)).unwrap();
            let ct = enc.update(&pt).unwrap();
            enc.finalize().unwrap();
            let tag = enc.auth_tag().unwrap();
            assert_eq!(tag.len(), tag_len);
            let mut dec = Cipher::new(alg, &key, Some(&nonce), false, Some(tag_len)).unwrap();
            dec.set_aad(&aad, Some(pt.len() as u64)).unwrap();
            dec.set_auth_tag(&tag, true).unwrap();
            assert_eq!(dec.update(&ct).unwrap(), pt);
            dec.finalize().unwrap();
        }
    }
}

/// The `ccm` crate's output (ciphertext then tag) for one nonce size `N` and tag size `M`.
fn ccm_reference<C, M, N>(key: &[u8], nonce: &[u8], aad: &[u8], pt: &[u8]) -> Vec<u8>
where
    C: cipher::BlockCipherEncrypt + cipher::BlockSizeUser<BlockSize = cipher::consts::U16>,
    C: cipher::KeyInit,
    M: ccm::TagSize + cipher::array::ArraySize,
    N: ccm::NonceSize + cipher::array::ArraySize,
{
    use ccm::aead::{Aead, KeyInit, Payload};
    ccm::Ccm::<C, M, N>::new_from_slice(key)
        .unwrap()
        .encrypt(nonce.try_into().unwrap(), Payload { msg: pt, aad })
        .unwrap()
}

/// `ccm_reference` for run-time key, nonce and tag lengths.
fn ccm_reference_for(key: &[u8], nonce: &[u8], tag_len: usize, aad: &[u8], pt: &[u8]) -> Vec<u8> {
    use cipher::consts::{U10, U11, U12, U13, U14, U16, U4, U6, U7, U8, U9};
    macro_rules! by_tag {
        ($c:ty, $n:ty) => {
            match tag_len {
                4 => ccm_reference::<$c, U4, $n>(key, nonce, aad, pt),
                6 => ccm_reference::<$c, U6, $n>(key, nonce, aad, pt),
                8 => ccm_reference::<$c, U8, $n>(key, nonce, aad, pt),
                10 => ccm_reference::<$c, U10, $n>(key, nonce, aad, pt),
                12 => ccm_reference::<$c, U12, $n>(key, nonce, aad, pt),
                14 => ccm_reference::<$c, U14, $n>(key, nonce, aad, pt),
                16 => ccm_reference::<$c, U16, $n>(key, nonce, aad, pt),
                _ => unreachable!("tag length {tag_len}"),
            }
        };
    }
    macro_rules! by_nonce {
        ($c:ty) => {
            match nonce.len() {
                7 => by_tag!($c, U7),
                8 => by_tag!($c, U8),
                9 => by_tag!($c, U9),
                10 => by_tag!($c, U10),
                11 => by_tag!($c, U11),
                12 => by_tag!($c, U12),
                13 => by_tag!($c, U13),
                n => unreachable!("nonce length {n}"),
            }
        };
    }
    match key.len() {
        16 => by_nonce!(aes::Aes128),
        24 => by_nonce!(aes::Aes192),
        _ => by_nonce!(aes::Aes256),
    }
}

#[test]
fn ccm_matches_ccm_crate_for_every_nonce_and_tag_length() {
    let mut rng = Rng(4242);
    // AAD lengths around the block size and the 2-byte/6-byte length header switch.
    let aad_lens = [0usize, 1, 13, 14, 15, 16, 17, 31, 0xFEFF, 0xFF00, 0xFF0B];
    for (key_len, alg) in [
        (16, "aes-128-ccm"),
        (24, "aes-192-ccm"),
        (32, "aes-256-ccm"),
    ] {
        for nonce_len in 7..=13 {
            for tag_len in (4..=16).step_by(2) {
                for round in 0..3 {
                    let key = rng.bytes(key_len);
                    // Nonces of 0xFF bytes too: a counter carrying into the nonce would show.
                    let nonce = if round == 0 {
                        vec![0xFF; nonce_len]
                    } else {
                        rng.bytes(nonce_len)
                    };
                    let aad = {
                        let n = aad_lens[rng.below(aad_lens.len())];
                        rng.bytes(n)
                    };
                    let pt = {
                        let n = [0, 1, 15, 16, 17, 64, 100 + rng.below(300)][rng.below(7)];
                        rng.bytes(n)
                    };
                    let want = ccm_reference_for(&key, &nonce, tag_len, &aad, &pt);
                    let what = format!(
                        "{alg} nonce {nonce_len} tag {tag_len} aad {} pt {}",
                        aad.len(),
                        pt.len()
                    );

                    let mut enc =
                        Cipher::new(alg, &key, Some(&nonce), true, Some(tag_len)).unwrap();
                    enc.set_aad(&aad, Some(pt.len() as u64)).unwrap();
                    let mut got = enc.update(&pt).unwrap();
                    got.extend(enc.finalize().unwrap());
                    got.extend(enc.auth_tag().unwrap());
                    assert_eq!(got, want, "{what}");

                    let (ct, tag) = want.split_at(pt.len());
                    let mut dec =
                        Cipher::new(alg, &key, Some(&nonce), false, Some(tag_len)).unwrap();
                    dec.set_auth_tag(tag, true).unwrap();
                    dec.set_aad(&aad, Some(pt.len() as u64)).unwrap();
                    assert_eq!(dec.update(ct).unwrap(), pt, "{what}");
                    assert!(dec.finalize().unwrap().is_empty(), "{what}");

                    // Any flipped bit of the ciphertext or the tag fails authentication.
                    let mut bad = want.clone();
                    let at = rng.below(bad.len());
                    bad[at] ^= 1 << rng.below(8);
                    let (ct, tag) = bad.split_at(pt.len());
                    let mut dec =
                        Cipher::new(alg, &key, Some(&nonce), false, Some(tag_len)).unwrap();
                    dec.set_auth_tag(tag, true).unwrap();
                    dec.set_aad(&aad, Some(pt.len() as u64)).unwrap();
                    assert!(dec.update(ct).unwrap().is_empty(), "{what}");
                    assert!(dec.finalize().is_err(), "{what}");
                }
            }
        }
    }
}

#[test]
fn ccm_message_length_limit_follows_the_length_field() {
    // A 13-byte nonce leaves L = 2: 65535 bytes go through, 65536 do not.
    let key = [3u8; 16];
    let nonce = [9u8; 13];
    let pt = vec![0x5Au8; 65535];
    let want = ccm_reference_for(&key, &nonce, 8, b"", &pt);
    let mut enc = Cipher::new("aes-128-ccm", &key, Some(&nonce), true, Some(8)).unwrap();
    let mut got = enc.update(&pt).unwrap();
    got.extend(enc.finalize().unwrap());
    got.extend(enc.auth_tag().unwrap());
    assert_eq!(got, want);
    let mut enc = Cipher::new("aes-128-ccm", &key, Some(&nonce), true, Some(8)).unwrap();
    assert_eq!(
        enc.update(&[0u8; 65536]).unwrap_err().code,
        "ERR_CRYPTO_INVALID_MESSAGELEN"
    );
}
