//! The compute behind Node's `crypto` module: digests, HMAC, key derivation and
//! symmetric ciphers, all on RustCrypto primitives.

pub mod cipher;
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
