//! The compute behind Node's `crypto` module: digests, HMAC, key derivation and
//! symmetric ciphers, on RustCrypto primitives, except AES in CBC, CTR and GCM,
//! which run a table-driven AES and GHASH for speed (see `aes_table` and
//! `ghash_table` for why and their cost).

pub mod aes_table;
pub mod cipher;
pub mod ghash_table;
pub mod hash;
pub mod hmac;
pub mod kdf;

#[cfg(test)]
mod tests;

use subtle::ConstantTimeEq;

/// Constant-time equality of two equally long byte strings.
pub fn timing_safe_equal(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}
