//! Test certificates made on the fly (rcgen): a CA and a leaf for `localhost`
//! that it signed. Shared by the unit tests of `src/tls.rs` and the integration
//! tests (each includes this file as a module with `#[path]`).

// Each test crate uses a part of what is here.
#![allow(dead_code)]

/// A CA and a leaf it signed, with the leaf's key.
pub struct Pki {
    /// The CA certificate (self-signed, `CN=ferrode test CA`).
    pub ca: rcgen::Certificate,
    /// The leaf certificate, for `localhost`.
    pub leaf: rcgen::Certificate,
    /// The leaf's private key.
    pub leaf_key: rcgen::KeyPair,
}

/// Makes a fresh CA and a leaf for `localhost` signed by it.
pub fn ca_and_leaf() -> Pki {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "ferrode test CA");
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["localhost".into()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();
    Pki { ca, leaf, leaf_key }
}
