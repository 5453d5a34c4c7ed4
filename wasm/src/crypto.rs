//! Bindings of `ferrode_core::crypto`: digests, HMAC, KDFs, ciphers.
//!
//! Algorithms cross as small integer ids (see `hashId`) so hot paths avoid
//! re-parsing names; the JS side resolves names once.

use ferrode_core::crypto::{cipher, hash, hmac, kdf};
use ferrode_core::NodeError;
use wasm_bindgen::prelude::*;

use crate::error::{js_result, JsResult};

fn alg_of(id: u8) -> Result<hash::HashAlgorithm, NodeError> {
    hash::HashAlgorithm::from_id(id)
        .ok_or_else(|| NodeError::new("", "Digest method not supported"))
}

/// The id of a digest name (case-insensitive), or -1 when unsupported.
#[wasm_bindgen(js_name = hashId)]
pub fn hash_id(name: &str) -> i32 {
    hash::HashAlgorithm::from_name(name).map_or(-1, |a| i32::from(a as u8))
}

/// Default output length of a digest id (0 for unknown ids).
#[wasm_bindgen(js_name = hashOutputLength)]
pub fn hash_output_length(id: u8) -> usize {
    hash::HashAlgorithm::from_id(id).map_or(0, |a| a.output_len())
}

/// Whether the digest id is an extendable-output function.
#[wasm_bindgen(js_name = hashIsXof)]
pub fn hash_is_xof(id: u8) -> bool {
    hash::HashAlgorithm::from_id(id).is_some_and(|a| a.is_xof())
}

/// `getHashes()`, newline-separated.
#[wasm_bindgen(js_name = hashNames)]
pub fn hash_names() -> String {
    hash::listed_hash_names().join("\n")
}

/// One-shot digest of bytes.
#[wasm_bindgen(js_name = hashOnce)]
pub fn hash_once(id: u8, data: &[u8], out_len: usize) -> JsResult<Vec<u8>> {
    js_result(alg_of(id).and_then(|a| hash::digest(a, data, out_len)))
}

/// One-shot digest of a string's UTF-8 bytes (no intermediate copy in JS).
#[wasm_bindgen(js_name = hashOnceStr)]
pub fn hash_once_str(id: u8, data: &str, out_len: usize) -> JsResult<Vec<u8>> {
    js_result(alg_of(id).and_then(|a| hash::digest(a, data.as_bytes(), out_len)))
}

/// A running digest (`Hash` in Node).
#[wasm_bindgen]
pub struct HashState(hash::Hasher);

#[wasm_bindgen]
impl HashState {
    /// A fresh digest of algorithm `id`.
    #[wasm_bindgen(constructor)]
    pub fn new(id: u8) -> JsResult<HashState> {
        js_result(alg_of(id).map(|a| HashState(hash::Hasher::new(a))))
    }

    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// Feeds a string's UTF-8 bytes.
    #[wasm_bindgen(js_name = updateStr)]
    pub fn update_str(&mut self, data: &str) {
        self.0.update(data.as_bytes());
    }

    /// An independent copy.
    pub fn copy(&self) -> HashState {
        HashState(self.0.clone())
    }

    /// The digest; the state stays usable (JS marks it finalized).
    pub fn digest(&self, out_len: usize) -> JsResult<Vec<u8>> {
        js_result(self.0.clone().finalize(out_len))
    }
}

/// A running HMAC.
#[wasm_bindgen]
pub struct HmacState(hmac::HmacState);

#[wasm_bindgen]
impl HmacState {
    /// A fresh HMAC of digest `id` with `key`.
    #[wasm_bindgen(constructor)]
    pub fn new(id: u8, key: &[u8]) -> JsResult<HmacState> {
        js_result(
            alg_of(id)
                .and_then(|a| hmac::HmacState::new(a, key))
                .map(HmacState),
        )
    }

    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// Feeds a string's UTF-8 bytes.
    #[wasm_bindgen(js_name = updateStr)]
    pub fn update_str(&mut self, data: &str) {
        self.0.update(data.as_bytes());
    }

    /// The MAC.
    pub fn digest(&self) -> Vec<u8> {
        self.0.clone().finalize()
    }
}

/// One-shot HMAC.
#[wasm_bindgen(js_name = hmacOnce)]
pub fn hmac_once(id: u8, key: &[u8], data: &[u8]) -> JsResult<Vec<u8>> {
    js_result(alg_of(id).and_then(|a| hmac::hmac(a, key, data)))
}

/// PBKDF2-HMAC.
#[wasm_bindgen]
pub fn pbkdf2(
    id: u8,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    keylen: usize,
) -> JsResult<Vec<u8>> {
    js_result(alg_of(id).and_then(|a| kdf::pbkdf2(a, password, salt, iterations, keylen)))
}

/// Checks scrypt parameters without deriving (for the async form's early errors).
#[wasm_bindgen(js_name = scryptCheck)]
pub fn scrypt_check(n: f64, r: u32, p: u32, maxmem: f64) -> JsResult<()> {
    js_result(kdf::check_scrypt(n as u64, r, p, maxmem as u64).map(|_| ()))
}

/// scrypt. `n` and `maxmem` arrive as JS numbers (integers up to 2^53).
#[wasm_bindgen]
pub fn scrypt(
    password: &[u8],
    salt: &[u8],
    n: f64,
    r: u32,
    p: u32,
    maxmem: f64,
    keylen: usize,
) -> JsResult<Vec<u8>> {
    js_result(kdf::scrypt(
        password,
        salt,
        n as u64,
        r,
        p,
        maxmem as u64,
        keylen,
    ))
}

/// HKDF.
#[wasm_bindgen]
pub fn hkdf(id: u8, ikm: &[u8], salt: &[u8], info: &[u8], keylen: usize) -> JsResult<Vec<u8>> {
    js_result(alg_of(id).and_then(|a| kdf::hkdf(a, ikm, salt, info, keylen)))
}

/// `timingSafeEqual` on equal-length inputs.
#[wasm_bindgen(js_name = timingSafeEqual)]
pub fn timing_safe_equal(a: &[u8], b: &[u8]) -> bool {
    ferrode_core::crypto::timing_safe_equal(a, b)
}

/// The cipher table, one cipher per line:
/// `listed name,canonical name,nid,mode,keyLength,ivLength,blockSize`.
#[wasm_bindgen(js_name = cipherTable)]
pub fn cipher_table() -> String {
    cipher::CIPHERS
        .iter()
        .map(|c| {
            format!(
                "{},{},{},{},{},{},{}",
                c.listed,
                c.name,
                c.nid,
                c.mode.node_name(),
                c.key_len,
                c.iv_len,
                c.block_size
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A `Cipheriv` / `Decipheriv`.
#[wasm_bindgen]
pub struct CipherState(cipher::Cipher);

#[wasm_bindgen]
impl CipherState {
    /// Creates a cipher; `iv` is `undefined` for a null IV, `auth_tag_len` < 0 when not given.
    #[wasm_bindgen(constructor)]
    pub fn new(
        name: &str,
        key: &[u8],
        iv: Option<Vec<u8>>,
        encrypt: bool,
        auth_tag_len: i32,
    ) -> JsResult<CipherState> {
        let tag = usize::try_from(auth_tag_len).ok();
        js_result(cipher::Cipher::new(name, key, iv.as_deref(), encrypt, tag).map(CipherState))
    }

    /// Bytes in, the bytes ready so far out.
    pub fn update(&mut self, data: &[u8]) -> JsResult<Vec<u8>> {
        js_result(self.0.update(data))
    }

    /// The last bytes; checks padding or the tag.
    #[wasm_bindgen(js_name = final)]
    pub fn finalize(&mut self) -> JsResult<Vec<u8>> {
        js_result(self.0.finalize())
    }

    /// `setAutoPadding`.
    #[wasm_bindgen(js_name = setAutoPadding)]
    pub fn set_auto_padding(&mut self, on: bool) -> JsResult<()> {
        js_result(self.0.set_auto_padding(on))
    }

    /// `setAAD`; `plaintext_len` < 0 when the option was not given.
    #[wasm_bindgen(js_name = setAAD)]
    pub fn set_aad(&mut self, aad: &[u8], plaintext_len: f64) -> JsResult<()> {
        let len = (plaintext_len >= 0.0).then_some(plaintext_len as u64);
        js_result(self.0.set_aad(aad, len))
    }

    /// `setAuthTag`; `explicit` when `authTagLength` was given at creation.
    #[wasm_bindgen(js_name = setAuthTag)]
    pub fn set_auth_tag(&mut self, tag: &[u8], explicit: bool) -> JsResult<()> {
        js_result(self.0.set_auth_tag(tag, explicit))
    }

    /// `getAuthTag`.
    #[wasm_bindgen(js_name = getAuthTag)]
    pub fn get_auth_tag(&self) -> JsResult<Vec<u8>> {
        js_result(self.0.auth_tag())
    }
}

// A reusable buffer in wasm memory for the small one-shot paths: JS writes the
// input straight into it and reads the digest back from it, so a small digest
// costs one call into wasm and no allocation.
thread_local! {
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The wasm memory (JS views the scratch buffer through it).
#[wasm_bindgen(js_name = cryptoMemory)]
pub fn crypto_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Makes the scratch buffer at least `len` bytes and returns its address.
/// The address stays valid until the next call with a larger `len`.
#[wasm_bindgen(js_name = cryptoScratch)]
pub fn crypto_scratch(len: usize) -> usize {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() < len {
            s.resize(len.max(256), 0);
        }
        s.as_mut_ptr() as usize
    })
}

/// Digests `scratch[..in_len]` and writes the `out_len`-byte result to `scratch[..out_len]`.
#[wasm_bindgen(js_name = hashScratch)]
pub fn hash_scratch(id: u8, in_len: usize, out_len: usize) -> JsResult<()> {
    js_result(SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        let alg = alg_of(id)?;
        let input = s
            .get(..in_len)
            .ok_or_else(|| NodeError::new("ERR_OUT_OF_RANGE", "scratch input too long"))?;
        let mut h = hash::Hasher::new(alg);
        h.update(input);
        // Digests up to 64 bytes (all but long SHAKE outputs) need no allocation.
        let mut small = [0u8; 64];
        let heap;
        let out: &[u8] = match small.get_mut(..out_len) {
            Some(buf) => {
                h.finalize_into(buf)?;
                buf
            }
            None => {
                heap = h.finalize(out_len)?;
                &heap
            }
        };
        let dst = s
            .get_mut(..out_len)
            .ok_or_else(|| NodeError::new("ERR_OUT_OF_RANGE", "scratch too small"))?;
        dst.copy_from_slice(out);
        Ok(())
    }))
}

// The keyed HMAC state of the last small one-shot HMAC: users often MAC many
// small messages with one key (a new createHmac each time), and the keyed
// state saves two of the five compressions of HMAC-SHA256 over 64 bytes.
thread_local! {
    static LAST_HMAC_KEY: std::cell::RefCell<Option<(u8, Vec<u8>, hmac::HmacState)>> =
        const { std::cell::RefCell::new(None) };
}

/// HMAC of `scratch[key_len..key_len + in_len]` keyed by `scratch[..key_len]`;
/// the MAC is written to `scratch[..]` and its length returned.
#[wasm_bindgen(js_name = hmacScratch)]
pub fn hmac_scratch(id: u8, key_len: usize, in_len: usize) -> JsResult<usize> {
    js_result(SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        let alg = alg_of(id)?;
        let end = key_len
            .checked_add(in_len)
            .ok_or_else(|| NodeError::new("ERR_OUT_OF_RANGE", "scratch input too long"))?;
        let (key, data) = s
            .get(..end)
            .ok_or_else(|| NodeError::new("ERR_OUT_OF_RANGE", "scratch input too long"))?
            .split_at(key_len);
        let mut state = LAST_HMAC_KEY.with(|cell| -> Result<hmac::HmacState, NodeError> {
            let mut cell = cell.borrow_mut();
            if let Some((cached_id, cached_key, keyed)) = cell.as_ref() {
                if *cached_id == id && ferrode_core::crypto::timing_safe_equal(cached_key, key) {
                    return Ok(keyed.clone());
                }
            }
            let keyed = hmac::HmacState::new(alg, key)?;
            *cell = Some((id, key.to_vec(), keyed.clone()));
            Ok(keyed)
        })?;
        state.update(data);
        let out = state.finalize();
        let dst = s
            .get_mut(..out.len())
            .ok_or_else(|| NodeError::new("ERR_OUT_OF_RANGE", "scratch too small"))?;
        dst.copy_from_slice(&out);
        Ok(out.len())
    }))
}
