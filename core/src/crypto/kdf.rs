//! Key derivation: PBKDF2 (RFC 8018), scrypt (RFC 7914), HKDF (RFC 5869).

use core::marker::PhantomData;

use digest::{Output, OutputSizeUser};

use super::hash::HashAlgorithm;
use super::hmac::HmacState;
use crate::NodeError;

macro_rules! with_digest {
    ($alg:expr, $D:ident => $e:expr, xof => $x:expr) => {
        match $alg {
            HashAlgorithm::Md5 => {
                type $D = md5::Md5;
                $e
            }
            HashAlgorithm::Sha1 => {
                type $D = sha1::Sha1;
                $e
            }
            HashAlgorithm::Sha224 => {
                type $D = sha2::Sha224;
                $e
            }
            HashAlgorithm::Sha256 => {
                type $D = sha2::Sha256;
                $e
            }
            HashAlgorithm::Sha384 => {
                type $D = sha2::Sha384;
                $e
            }
            HashAlgorithm::Sha512 => {
                type $D = sha2::Sha512;
                $e
            }
            HashAlgorithm::Sha512_224 => {
                type $D = sha2::Sha512_224;
                $e
            }
            HashAlgorithm::Sha512_256 => {
                type $D = sha2::Sha512_256;
                $e
            }
            HashAlgorithm::Sha3_224 => {
                type $D = sha3::Sha3_224;
                $e
            }
            HashAlgorithm::Sha3_256 => {
                type $D = sha3::Sha3_256;
                $e
            }
            HashAlgorithm::Sha3_384 => {
                type $D = sha3::Sha3_384;
                $e
            }
            HashAlgorithm::Sha3_512 => {
                type $D = sha3::Sha3_512;
                $e
            }
            HashAlgorithm::Ripemd160 => {
                type $D = ripemd::Ripemd160;
                $e
            }
            HashAlgorithm::Shake128 | HashAlgorithm::Shake256 => $x,
        }
    };
}

/// PBKDF2-HMAC: `keylen` bytes from `password`, `salt` and `iterations` (>= 1).
pub fn pbkdf2(
    alg: HashAlgorithm,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    keylen: usize,
) -> Result<Vec<u8>, NodeError> {
    let mut out = vec![0u8; keylen];
    if keylen == 0 {
        return Ok(out);
    }
    with_digest!(alg, D => pbkdf2::pbkdf2_hmac::<D>(password, salt, iterations, &mut out),
        xof => return Err(NodeError::new("ERR_CRYPTO_INVALID_DIGEST", format!("Invalid digest: {alg:?}"))));
    Ok(out)
}

/// Node's scrypt parameter error.
pub fn invalid_scrypt_params() -> NodeError {
    NodeError::new("ERR_CRYPTO_INVALID_SCRYPT_PARAMS", "Invalid scrypt params")
}

/// Checks scrypt's parameters in OpenSSL 3's order and with its errors: N a
/// power of two >= 2, r and p non-zero, then the memory limits
/// (`128*r*p + 128*r*(N+2)` bytes under `maxmem`). Returns log2(N).
pub fn check_scrypt(n: u64, r: u32, p: u32, maxmem: u64) -> Result<u8, NodeError> {
    if r == 0 || p == 0 || n < 2 || !n.is_power_of_two() {
        return Err(invalid_scrypt_params());
    }
    let memory_limit = || {
        NodeError::new(
            "ERR_CRYPTO_INVALID_SCRYPT_PARAMS",
            "Invalid scrypt params: error:030000AC:digital envelope routines::memory limit exceeded",
        )
    };
    const PR_MAX: u64 = (1 << 30) - 1;
    let (r, p) = (u64::from(r), u64::from(p));
    if p > PR_MAX / r {
        return Err(memory_limit());
    }
    if 16 * r <= 63 && n >= 1u64 << (16 * r) {
        return Err(memory_limit());
    }
    let b_len = u128::from(p) * 128 * u128::from(r);
    if b_len > i32::MAX as u128 {
        return Err(memory_limit());
    }
    let v_len = 128 * u128::from(r) * (u128::from(n) + 2);
    if b_len + v_len > u128::from(maxmem) {
        return Err(memory_limit());
    }
    u8::try_from(n.trailing_zeros()).map_err(|_| invalid_scrypt_params())
}

/// scrypt: `keylen` bytes. `n` must be a power of two (checked by [`check_scrypt`]).
pub fn scrypt(
    password: &[u8],
    salt: &[u8],
    n: u64,
    r: u32,
    p: u32,
    maxmem: u64,
    keylen: usize,
) -> Result<Vec<u8>, NodeError> {
    let log_n = check_scrypt(n, r, p, maxmem)?;
    let mut out = vec![0u8; keylen];
    if keylen == 0 {
        return Ok(out);
    }
    let params = scrypt::Params::new(log_n, r, p).map_err(|_| invalid_scrypt_params())?;
    scrypt::scrypt(password, salt, &params, &mut out).map_err(|_| invalid_scrypt_params())?;
    Ok(out)
}

/// The largest HKDF output: 255 hash lengths.
pub fn hkdf_max_len(alg: HashAlgorithm) -> usize {
    255 * alg.output_len()
}

/// HKDF extract-and-expand, by the `hkdf` crate over [`HmacState`]: the crate's
/// code is built once per digest as a thin loop around the one run-time HMAC
/// (not with a copy of each digest inlined: those were ~36 KB of the wasm for
/// a function that runs a handful of HMACs).
pub fn hkdf(
    alg: HashAlgorithm,
    ikm: &[u8],
    salt: &[u8],
    info: &[u8],
    keylen: usize,
) -> Result<Vec<u8>, NodeError> {
    let mut out = vec![0u8; keylen];
    let too_long = || NodeError::new("ERR_CRYPTO_INVALID_KEYLEN", "Invalid key length");
    with_digest!(alg, D => hkdf::GenericHkdf::<DynHmac<D>>::new(Some(salt), ikm)
            .expand(info, &mut out)
            .map_err(|_| too_long())?,
        xof => return Err(NodeError::new("ERR_CRYPTO_INVALID_DIGEST", format!("Invalid digest: {alg:?}"))));
    Ok(out)
}

/// The digest `D` names, for [`DynHmac`].
trait Named {
    const ALG: HashAlgorithm;
}

macro_rules! named {
    ($($d:ty => $alg:ident),*) => {
        $(impl Named for $d {
            const ALG: HashAlgorithm = HashAlgorithm::$alg;
        })*
    };
}

named!(md5::Md5 => Md5, sha1::Sha1 => Sha1, sha2::Sha224 => Sha224, sha2::Sha256 => Sha256,
    sha2::Sha384 => Sha384, sha2::Sha512 => Sha512, sha2::Sha512_224 => Sha512_224,
    sha2::Sha512_256 => Sha512_256, sha3::Sha3_224 => Sha3_224, sha3::Sha3_256 => Sha3_256,
    sha3::Sha3_384 => Sha3_384, sha3::Sha3_512 => Sha3_512, ripemd::Ripemd160 => Ripemd160);

/// [`HmacState`] for digest `D`, typed by `D`'s output size as `hkdf` wants.
struct DynHmac<D>(Option<HmacState>, PhantomData<D>);

impl<D> Clone for DynHmac<D> {
    fn clone(&self) -> Self {
        Self(self.0.clone(), PhantomData)
    }
}

impl<D: OutputSizeUser> OutputSizeUser for DynHmac<D> {
    type OutputSize = D::OutputSize;
}

impl<D: OutputSizeUser + Named> hkdf::HmacImpl for DynHmac<D> {
    fn new_from_slice(key: &[u8]) -> Self {
        // `Named` digests are all fixed-size, which HMAC always accepts: never None.
        Self(HmacState::new(D::ALG, key).ok(), PhantomData)
    }

    fn update(&mut self, data: &[u8]) {
        if let Some(h) = &mut self.0 {
            h.update(data);
        }
    }

    fn finalize(self) -> Output<Self> {
        let mut out = Output::<Self>::default();
        if let Some(h) = self.0 {
            for (o, b) in out.iter_mut().zip(h.finalize()) {
                *o = b;
            }
        }
        out
    }
}
