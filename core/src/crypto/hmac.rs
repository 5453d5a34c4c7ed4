//! HMAC over every fixed-size digest of [`super::hash`].

use hmac::{Hmac, KeyInit, Mac};

use super::hash::HashAlgorithm;
use crate::NodeError;

/// A running HMAC.
#[derive(Clone)]
pub enum HmacState {
    /// HMAC-MD5.
    Md5(Hmac<md5::Md5>),
    /// HMAC-SHA1.
    Sha1(Hmac<sha1::Sha1>),
    /// HMAC-SHA224.
    Sha224(Hmac<sha2::Sha224>),
    /// HMAC-SHA256.
    Sha256(Hmac<sha2::Sha256>),
    /// HMAC-SHA384.
    Sha384(Hmac<sha2::Sha384>),
    /// HMAC-SHA512.
    Sha512(Hmac<sha2::Sha512>),
    /// HMAC-SHA512/224.
    Sha512_224(Hmac<sha2::Sha512_224>),
    /// HMAC-SHA512/256.
    Sha512_256(Hmac<sha2::Sha512_256>),
    /// HMAC-SHA3-224.
    Sha3_224(Hmac<sha3::Sha3_224>),
    /// HMAC-SHA3-256.
    Sha3_256(Hmac<sha3::Sha3_256>),
    /// HMAC-SHA3-384.
    Sha3_384(Hmac<sha3::Sha3_384>),
    /// HMAC-SHA3-512.
    Sha3_512(Hmac<sha3::Sha3_512>),
    /// HMAC-RIPEMD160.
    Ripemd160(Hmac<ripemd::Ripemd160>),
}

macro_rules! each {
    ($self:expr, $h:ident => $e:expr) => {
        match $self {
            HmacState::Md5($h) => $e,
            HmacState::Sha1($h) => $e,
            HmacState::Sha224($h) => $e,
            HmacState::Sha256($h) => $e,
            HmacState::Sha384($h) => $e,
            HmacState::Sha512($h) => $e,
            HmacState::Sha512_224($h) => $e,
            HmacState::Sha512_256($h) => $e,
            HmacState::Sha3_224($h) => $e,
            HmacState::Sha3_256($h) => $e,
            HmacState::Sha3_384($h) => $e,
            HmacState::Sha3_512($h) => $e,
            HmacState::Ripemd160($h) => $e,
        }
    };
}

fn unsupported() -> NodeError {
    // What Node 20 throws for HMAC over an extendable-output function.
    NodeError::new("", "error:00000000:lib(0)::reason(0)")
}

impl HmacState {
    /// A fresh HMAC with `key` (any length, as HMAC allows).
    pub fn new(alg: HashAlgorithm, key: &[u8]) -> Result<Self, NodeError> {
        fn k<M: KeyInit>(key: &[u8]) -> Result<M, NodeError> {
            // HMAC takes keys of every length; this cannot fail, but stay panic-free.
            M::new_from_slice(key)
                .map_err(|_| NodeError::new("ERR_CRYPTO_INVALID_KEYLEN", "Invalid key length"))
        }
        Ok(match alg {
            HashAlgorithm::Md5 => Self::Md5(k(key)?),
            HashAlgorithm::Sha1 => Self::Sha1(k(key)?),
            HashAlgorithm::Sha224 => Self::Sha224(k(key)?),
            HashAlgorithm::Sha256 => Self::Sha256(k(key)?),
            HashAlgorithm::Sha384 => Self::Sha384(k(key)?),
            HashAlgorithm::Sha512 => Self::Sha512(k(key)?),
            HashAlgorithm::Sha512_224 => Self::Sha512_224(k(key)?),
            HashAlgorithm::Sha512_256 => Self::Sha512_256(k(key)?),
            HashAlgorithm::Sha3_224 => Self::Sha3_224(k(key)?),
            HashAlgorithm::Sha3_256 => Self::Sha3_256(k(key)?),
            HashAlgorithm::Sha3_384 => Self::Sha3_384(k(key)?),
            HashAlgorithm::Sha3_512 => Self::Sha3_512(k(key)?),
            HashAlgorithm::Ripemd160 => Self::Ripemd160(k(key)?),
            HashAlgorithm::Shake128 | HashAlgorithm::Shake256 => return Err(unsupported()),
        })
    }

    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        each!(self, h => h.update(data))
    }

    /// The MAC.
    pub fn finalize(self) -> Vec<u8> {
        each!(self, h => h.finalize().into_bytes().to_vec())
    }
}

/// One-shot HMAC.
pub fn hmac(alg: HashAlgorithm, key: &[u8], data: &[u8]) -> Result<Vec<u8>, NodeError> {
    let mut h = HmacState::new(alg, key)?;
    h.update(data);
    Ok(h.finalize())
}
