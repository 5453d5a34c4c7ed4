//! Message digests by Node/OpenSSL name: md5, sha1, sha2, sha3, shake, ripemd160.

use digest::{Digest, ExtendableOutput, Update, XofReader};

use crate::NodeError;

/// A digest algorithm that `createHash` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum HashAlgorithm {
    /// MD5.
    Md5 = 0,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// SHA-512/224.
    Sha512_224,
    /// SHA-512/256.
    Sha512_256,
    /// SHA3-224.
    Sha3_224,
    /// SHA3-256.
    Sha3_256,
    /// SHA3-384.
    Sha3_384,
    /// SHA3-512.
    Sha3_512,
    /// SHAKE128 (extendable output, 16 bytes by default as in Node).
    Shake128,
    /// SHAKE256 (extendable output, 32 bytes by default as in Node).
    Shake256,
    /// RIPEMD-160.
    Ripemd160,
}

/// Every algorithm, in id order.
pub const ALL_HASHES: [HashAlgorithm; 15] = [
    HashAlgorithm::Md5,
    HashAlgorithm::Sha1,
    HashAlgorithm::Sha224,
    HashAlgorithm::Sha256,
    HashAlgorithm::Sha384,
    HashAlgorithm::Sha512,
    HashAlgorithm::Sha512_224,
    HashAlgorithm::Sha512_256,
    HashAlgorithm::Sha3_224,
    HashAlgorithm::Sha3_256,
    HashAlgorithm::Sha3_384,
    HashAlgorithm::Sha3_512,
    HashAlgorithm::Shake128,
    HashAlgorithm::Shake256,
    HashAlgorithm::Ripemd160,
];

/// Names (lowercase) OpenSSL accepts for each algorithm, as Node 20 resolves them.
/// The ones `getHashes()` lists are marked with `true`.
const NAMES: &[(&str, HashAlgorithm, bool)] = &[
    ("rsa-md5", HashAlgorithm::Md5, true),
    ("rsa-ripemd160", HashAlgorithm::Ripemd160, true),
    ("rsa-sha1", HashAlgorithm::Sha1, true),
    ("rsa-sha1-2", HashAlgorithm::Sha1, true),
    ("rsa-sha224", HashAlgorithm::Sha224, true),
    ("rsa-sha256", HashAlgorithm::Sha256, true),
    ("rsa-sha3-224", HashAlgorithm::Sha3_224, true),
    ("rsa-sha3-256", HashAlgorithm::Sha3_256, true),
    ("rsa-sha3-384", HashAlgorithm::Sha3_384, true),
    ("rsa-sha3-512", HashAlgorithm::Sha3_512, true),
    ("rsa-sha384", HashAlgorithm::Sha384, true),
    ("rsa-sha512", HashAlgorithm::Sha512, true),
    ("rsa-sha512/224", HashAlgorithm::Sha512_224, true),
    ("rsa-sha512/256", HashAlgorithm::Sha512_256, true),
    (
        "id-rsassa-pkcs1-v1_5-with-sha3-224",
        HashAlgorithm::Sha3_224,
        true,
    ),
    (
        "id-rsassa-pkcs1-v1_5-with-sha3-256",
        HashAlgorithm::Sha3_256,
        true,
    ),
    (
        "id-rsassa-pkcs1-v1_5-with-sha3-384",
        HashAlgorithm::Sha3_384,
        true,
    ),
    (
        "id-rsassa-pkcs1-v1_5-with-sha3-512",
        HashAlgorithm::Sha3_512,
        true,
    ),
    ("md5", HashAlgorithm::Md5, true),
    ("md5withrsaencryption", HashAlgorithm::Md5, true),
    ("ripemd", HashAlgorithm::Ripemd160, true),
    ("ripemd160", HashAlgorithm::Ripemd160, true),
    ("ripemd160withrsa", HashAlgorithm::Ripemd160, true),
    ("rmd160", HashAlgorithm::Ripemd160, true),
    ("sha1", HashAlgorithm::Sha1, true),
    ("sha1withrsaencryption", HashAlgorithm::Sha1, true),
    ("sha224", HashAlgorithm::Sha224, true),
    ("sha224withrsaencryption", HashAlgorithm::Sha224, true),
    ("sha256", HashAlgorithm::Sha256, true),
    ("sha256withrsaencryption", HashAlgorithm::Sha256, true),
    ("sha3-224", HashAlgorithm::Sha3_224, true),
    ("sha3-256", HashAlgorithm::Sha3_256, true),
    ("sha3-384", HashAlgorithm::Sha3_384, true),
    ("sha3-512", HashAlgorithm::Sha3_512, true),
    ("sha384", HashAlgorithm::Sha384, true),
    ("sha384withrsaencryption", HashAlgorithm::Sha384, true),
    ("sha512", HashAlgorithm::Sha512, true),
    ("sha512-224", HashAlgorithm::Sha512_224, true),
    (
        "sha512-224withrsaencryption",
        HashAlgorithm::Sha512_224,
        true,
    ),
    ("sha512-256", HashAlgorithm::Sha512_256, true),
    (
        "sha512-256withrsaencryption",
        HashAlgorithm::Sha512_256,
        true,
    ),
    ("sha512withrsaencryption", HashAlgorithm::Sha512, true),
    ("shake128", HashAlgorithm::Shake128, true),
    ("shake256", HashAlgorithm::Shake256, true),
    ("ssl3-md5", HashAlgorithm::Md5, true),
    ("ssl3-sha1", HashAlgorithm::Sha1, true),
    // Accepted by OpenSSL 3 but not listed by getHashes().
    ("sha-1", HashAlgorithm::Sha1, false),
    ("sha-224", HashAlgorithm::Sha224, false),
    ("sha2-224", HashAlgorithm::Sha224, false),
    ("sha-256", HashAlgorithm::Sha256, false),
    ("sha2-256", HashAlgorithm::Sha256, false),
    ("sha-384", HashAlgorithm::Sha384, false),
    ("sha2-384", HashAlgorithm::Sha384, false),
    ("sha-512", HashAlgorithm::Sha512, false),
    ("sha2-512", HashAlgorithm::Sha512, false),
    ("sha-512/224", HashAlgorithm::Sha512_224, false),
    ("sha2-512/224", HashAlgorithm::Sha512_224, false),
    ("sha-512/256", HashAlgorithm::Sha512_256, false),
    ("sha2-512/256", HashAlgorithm::Sha512_256, false),
    ("shake-128", HashAlgorithm::Shake128, false),
    ("shake-256", HashAlgorithm::Shake256, false),
    ("ripemd-160", HashAlgorithm::Ripemd160, false),
    ("1.2.840.113549.2.5", HashAlgorithm::Md5, false),
    ("1.3.14.3.2.26", HashAlgorithm::Sha1, false),
    ("2.16.840.1.101.3.4.2.1", HashAlgorithm::Sha256, false),
    ("2.16.840.1.101.3.4.2.2", HashAlgorithm::Sha384, false),
    ("2.16.840.1.101.3.4.2.3", HashAlgorithm::Sha512, false),
    ("2.16.840.1.101.3.4.2.4", HashAlgorithm::Sha224, false),
    ("2.16.840.1.101.3.4.2.5", HashAlgorithm::Sha512_224, false),
    ("2.16.840.1.101.3.4.2.6", HashAlgorithm::Sha512_256, false),
    ("2.16.840.1.101.3.4.2.7", HashAlgorithm::Sha3_224, false),
    ("2.16.840.1.101.3.4.2.8", HashAlgorithm::Sha3_256, false),
    ("2.16.840.1.101.3.4.2.9", HashAlgorithm::Sha3_384, false),
    ("2.16.840.1.101.3.4.2.10", HashAlgorithm::Sha3_512, false),
    ("2.16.840.1.101.3.4.2.11", HashAlgorithm::Shake128, false),
    ("2.16.840.1.101.3.4.2.12", HashAlgorithm::Shake256, false),
    ("1.3.36.3.2.1", HashAlgorithm::Ripemd160, false),
];

/// The names `getHashes()` returns, in Node's (sorted) order, with Node's spelling.
pub fn listed_hash_names() -> Vec<&'static str> {
    const LISTED: &[&str] = &[
        "RSA-MD5",
        "RSA-RIPEMD160",
        "RSA-SHA1",
        "RSA-SHA1-2",
        "RSA-SHA224",
        "RSA-SHA256",
        "RSA-SHA3-224",
        "RSA-SHA3-256",
        "RSA-SHA3-384",
        "RSA-SHA3-512",
        "RSA-SHA384",
        "RSA-SHA512",
        "RSA-SHA512/224",
        "RSA-SHA512/256",
        "id-rsassa-pkcs1-v1_5-with-sha3-224",
        "id-rsassa-pkcs1-v1_5-with-sha3-256",
        "id-rsassa-pkcs1-v1_5-with-sha3-384",
        "id-rsassa-pkcs1-v1_5-with-sha3-512",
        "md5",
        "md5WithRSAEncryption",
        "ripemd",
        "ripemd160",
        "ripemd160WithRSA",
        "rmd160",
        "sha1",
        "sha1WithRSAEncryption",
        "sha224",
        "sha224WithRSAEncryption",
        "sha256",
        "sha256WithRSAEncryption",
        "sha3-224",
        "sha3-256",
        "sha3-384",
        "sha3-512",
        "sha384",
        "sha384WithRSAEncryption",
        "sha512",
        "sha512-224",
        "sha512-224WithRSAEncryption",
        "sha512-256",
        "sha512-256WithRSAEncryption",
        "sha512WithRSAEncryption",
        "shake128",
        "shake256",
        "ssl3-md5",
        "ssl3-sha1",
    ];
    debug_assert!(LISTED.iter().all(|n| NAMES
        .iter()
        .any(|(k, _, l)| *l && k.eq_ignore_ascii_case(n))));
    LISTED.to_vec()
}

impl HashAlgorithm {
    /// Resolves a name case-insensitively, as OpenSSL does.
    pub fn from_name(name: &str) -> Option<Self> {
        NAMES
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, a, _)| a)
    }

    /// The algorithm with this numeric id (its position in [`ALL_HASHES`]).
    pub fn from_id(id: u8) -> Option<Self> {
        ALL_HASHES.get(usize::from(id)).copied()
    }

    /// The digest size in bytes (Node's default for the XOFs).
    pub fn output_len(self) -> usize {
        match self {
            Self::Md5 => 16,
            Self::Sha1 | Self::Ripemd160 => 20,
            Self::Sha224 | Self::Sha512_224 | Self::Sha3_224 => 28,
            Self::Sha256 | Self::Sha512_256 | Self::Sha3_256 => 32,
            Self::Sha384 | Self::Sha3_384 => 48,
            Self::Sha512 | Self::Sha3_512 => 64,
            Self::Shake128 => 16,
            Self::Shake256 => 32,
        }
    }

    /// The internal block size in bytes (what HMAC pads keys to).
    pub fn block_len(self) -> usize {
        match self {
            Self::Md5 | Self::Sha1 | Self::Sha224 | Self::Sha256 | Self::Ripemd160 => 64,
            Self::Sha384 | Self::Sha512 | Self::Sha512_224 | Self::Sha512_256 => 128,
            Self::Sha3_224 => 144,
            Self::Sha3_256 | Self::Shake256 => 136,
            Self::Sha3_384 => 104,
            Self::Sha3_512 => 72,
            Self::Shake128 => 168,
        }
    }

    /// Whether the output length can be chosen (SHAKE).
    pub fn is_xof(self) -> bool {
        matches!(self, Self::Shake128 | Self::Shake256)
    }
}

/// A running digest.
#[derive(Clone)]
pub enum Hasher {
    /// MD5.
    Md5(md5::Md5),
    /// SHA-1.
    Sha1(sha1::Sha1),
    /// SHA-224.
    Sha224(sha2::Sha224),
    /// SHA-256.
    Sha256(sha2::Sha256),
    /// SHA-384.
    Sha384(sha2::Sha384),
    /// SHA-512.
    Sha512(sha2::Sha512),
    /// SHA-512/224.
    Sha512_224(sha2::Sha512_224),
    /// SHA-512/256.
    Sha512_256(sha2::Sha512_256),
    /// SHA3-224.
    Sha3_224(sha3::Sha3_224),
    /// SHA3-256.
    Sha3_256(sha3::Sha3_256),
    /// SHA3-384.
    Sha3_384(sha3::Sha3_384),
    /// SHA3-512.
    Sha3_512(sha3::Sha3_512),
    /// SHAKE128.
    Shake128(sha3::Shake128),
    /// SHAKE256.
    Shake256(sha3::Shake256),
    /// RIPEMD-160.
    Ripemd160(ripemd::Ripemd160),
}

macro_rules! each_fixed {
    ($self:expr, $h:ident => $fixed:expr, $xof:ident => $x:expr) => {
        match $self {
            Hasher::Md5($h) => $fixed,
            Hasher::Sha1($h) => $fixed,
            Hasher::Sha224($h) => $fixed,
            Hasher::Sha256($h) => $fixed,
            Hasher::Sha384($h) => $fixed,
            Hasher::Sha512($h) => $fixed,
            Hasher::Sha512_224($h) => $fixed,
            Hasher::Sha512_256($h) => $fixed,
            Hasher::Sha3_224($h) => $fixed,
            Hasher::Sha3_256($h) => $fixed,
            Hasher::Sha3_384($h) => $fixed,
            Hasher::Sha3_512($h) => $fixed,
            Hasher::Ripemd160($h) => $fixed,
            Hasher::Shake128($xof) => $x,
            Hasher::Shake256($xof) => $x,
        }
    };
}

impl Hasher {
    /// A fresh digest of `alg`.
    pub fn new(alg: HashAlgorithm) -> Self {
        match alg {
            HashAlgorithm::Md5 => Self::Md5(Default::default()),
            HashAlgorithm::Sha1 => Self::Sha1(Default::default()),
            HashAlgorithm::Sha224 => Self::Sha224(Default::default()),
            HashAlgorithm::Sha256 => Self::Sha256(Default::default()),
            HashAlgorithm::Sha384 => Self::Sha384(Default::default()),
            HashAlgorithm::Sha512 => Self::Sha512(Default::default()),
            HashAlgorithm::Sha512_224 => Self::Sha512_224(Default::default()),
            HashAlgorithm::Sha512_256 => Self::Sha512_256(Default::default()),
            HashAlgorithm::Sha3_224 => Self::Sha3_224(Default::default()),
            HashAlgorithm::Sha3_256 => Self::Sha3_256(Default::default()),
            HashAlgorithm::Sha3_384 => Self::Sha3_384(Default::default()),
            HashAlgorithm::Sha3_512 => Self::Sha3_512(Default::default()),
            HashAlgorithm::Shake128 => Self::Shake128(Default::default()),
            HashAlgorithm::Shake256 => Self::Shake256(Default::default()),
            HashAlgorithm::Ripemd160 => Self::Ripemd160(Default::default()),
        }
    }

    /// The algorithm of this digest.
    pub fn algorithm(&self) -> HashAlgorithm {
        match self {
            Self::Md5(_) => HashAlgorithm::Md5,
            Self::Sha1(_) => HashAlgorithm::Sha1,
            Self::Sha224(_) => HashAlgorithm::Sha224,
            Self::Sha256(_) => HashAlgorithm::Sha256,
            Self::Sha384(_) => HashAlgorithm::Sha384,
            Self::Sha512(_) => HashAlgorithm::Sha512,
            Self::Sha512_224(_) => HashAlgorithm::Sha512_224,
            Self::Sha512_256(_) => HashAlgorithm::Sha512_256,
            Self::Sha3_224(_) => HashAlgorithm::Sha3_224,
            Self::Sha3_256(_) => HashAlgorithm::Sha3_256,
            Self::Sha3_384(_) => HashAlgorithm::Sha3_384,
            Self::Sha3_512(_) => HashAlgorithm::Sha3_512,
            Self::Shake128(_) => HashAlgorithm::Shake128,
            Self::Shake256(_) => HashAlgorithm::Shake256,
            Self::Ripemd160(_) => HashAlgorithm::Ripemd160,
        }
    }

    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        each_fixed!(self, h => Digest::update(h, data), x => Update::update(x, data))
    }

    /// Finishes into `out`. For the fixed-size digests `out.len()` must be the
    /// digest size (checked by [`check_output_len`]); SHAKE fills any length.
    pub fn finalize_into(self, out: &mut [u8]) -> Result<(), NodeError> {
        let alg = self.algorithm();
        check_output_len(alg, out.len())?;
        each_fixed!(self,
            h => out.copy_from_slice(&h.finalize()),
            x => x.finalize_xof().read(out));
        Ok(())
    }

    /// Finishes with `len` bytes of output.
    pub fn finalize(self, len: usize) -> Result<Vec<u8>, NodeError> {
        check_output_len(self.algorithm(), len)?;
        let mut out = vec![0u8; len];
        self.finalize_into(&mut out)?;
        Ok(out)
    }
}

/// Checks an `outputLength` the way Node does: free for SHAKE, the digest
/// size for everything else.
pub fn check_output_len(alg: HashAlgorithm, len: usize) -> Result<(), NodeError> {
    if alg.is_xof() || len == alg.output_len() {
        Ok(())
    } else {
        Err(NodeError::new(
            "ERR_OSSL_EVP_NOT_XOF_OR_INVALID_LENGTH",
            "error:030000B2:digital envelope routines::not XOF or invalid length",
        ))
    }
}

/// One-shot digest of `data` with `len` bytes of output.
pub fn digest(alg: HashAlgorithm, data: &[u8], len: usize) -> Result<Vec<u8>, NodeError> {
    let mut h = Hasher::new(alg);
    h.update(data);
    h.finalize(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_case_insensitively() {
        assert_eq!(
            HashAlgorithm::from_name("RSA-SHA256"),
            Some(HashAlgorithm::Sha256)
        );
        assert_eq!(
            HashAlgorithm::from_name("Sha512-224"),
            Some(HashAlgorithm::Sha512_224)
        );
        assert_eq!(HashAlgorithm::from_name("sha512/256"), None);
        assert_eq!(HashAlgorithm::from_name(""), None);
        assert_eq!(listed_hash_names().len(), 46);
    }

    #[test]
    fn ids_round_trip() {
        for (i, a) in ALL_HASHES.iter().enumerate() {
            assert_eq!(HashAlgorithm::from_id(i as u8), Some(*a));
            assert_eq!(*a as u8, i as u8);
            assert_eq!(Hasher::new(*a).algorithm(), *a);
        }
        assert_eq!(HashAlgorithm::from_id(200), None);
    }

    #[test]
    fn wrong_output_len_is_an_error_not_a_panic() {
        assert!(digest(HashAlgorithm::Sha256, b"", 31).is_err());
        assert_eq!(
            digest(HashAlgorithm::Shake128, b"", 0).unwrap(),
            Vec::<u8>::new()
        );
        assert_eq!(
            digest(HashAlgorithm::Shake256, b"", 100).unwrap().len(),
            100
        );
    }
}
