//! TLS by rustls: the client side for outbound HTTPS (the web's roots plus any
//! `--extra-ca`), with certificate failures mapped to Node's (OpenSSL's) codes,
//! and the server side for `https.createServer({ key, cert })` in the page.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, ServerConfig,
    SignatureScheme,
};
use serde_json::{json, Value};

use crate::errors::error;

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Reads every certificate of a PEM file (for `--extra-ca`).
pub fn load_pem_certs(path: &std::path::Path) -> std::io::Result<Vec<CertificateDer<'static>>> {
    let bytes = std::fs::read(path)?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })?;
    if certs.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: no PEM certificate", path.display()),
        ));
    }
    Ok(certs)
}

/// How OpenSSL (and so Node) names a chain that leads to no trusted root; rustls
/// has one "unknown issuer" for all of them. Carried through rustls as an
/// "other" certificate error, mapped to Node's error by [`cert_error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChainError {
    /// A lone self-signed certificate.
    DepthZeroSelfSigned,
    /// A lone certificate from an unknown issuer.
    UnableToVerifyLeaf,
    /// A chain that ends in a self-signed certificate nobody trusts.
    SelfSignedInChain,
    /// A chain that ends in a certificate from an unknown issuer.
    UnableToGetIssuerLocally,
}

impl ChainError {
    /// Classifies a chain the web's verifier refused as unknown.
    fn of(end_entity: &[u8], intermediates: &[CertificateDer<'_>]) -> Self {
        match intermediates.last() {
            None if self_issued(end_entity) => ChainError::DepthZeroSelfSigned,
            None => ChainError::UnableToVerifyLeaf,
            Some(top) if self_issued(top) => ChainError::SelfSignedInChain,
            Some(_) => ChainError::UnableToGetIssuerLocally,
        }
    }

    /// OpenSSL's code and message.
    fn code_message(self) -> (&'static str, &'static str) {
        match self {
            ChainError::DepthZeroSelfSigned => {
                ("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate")
            }
            ChainError::UnableToVerifyLeaf => (
                "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
                "unable to verify the first certificate",
            ),
            ChainError::SelfSignedInChain => (
                "SELF_SIGNED_CERT_IN_CHAIN",
                "self-signed certificate in certificate chain",
            ),
            ChainError::UnableToGetIssuerLocally => (
                "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
                "unable to get local issuer certificate",
            ),
        }
    }
}

impl std::fmt::Display for ChainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code_message().1)
    }
}

impl std::error::Error for ChainError {}

/// Node's `code` and message for a certificate rustls refused while connecting
/// to `host`: every certificate error is mapped here.
fn cert_error(ce: &CertificateError, host: &str) -> (String, String) {
    let owned = |(code, message): (&str, &str)| (code.to_owned(), message.to_owned());
    match ce {
        CertificateError::Other(other) => match other.0.downcast_ref::<ChainError>() {
            // Node 24 adds a hint to the untrusted-chain errors (Node itself runs
            // without --use-system-ca here).
            Some(chain) => {
                let (code, message) = chain.code_message();
                (
                    code.to_owned(),
                    format!("{message}; if the root CA is installed locally, try running Node.js with --use-system-ca"),
                )
            }
            None => ("ERR_TLS_CERT_INVALID".to_owned(), other.to_string()),
        },
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            owned(("CERT_HAS_EXPIRED", "certificate has expired"))
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            owned(("CERT_NOT_YET_VALID", "certificate is not yet valid"))
        }
        CertificateError::NotValidForNameContext { presented, .. } => {
            // rustls hands the names over as `DnsName("x")` / `IpAddress(1.2.3.4)`;
            // Node prints OpenSSL's `DNS:x, IP Address:1.2.3.4`.
            let parsed: Vec<(bool, String)> = presented.iter().filter_map(|n| altname(n)).collect();
            let msg = if host.parse::<std::net::IpAddr>().is_ok() {
                let ips: Vec<&str> = parsed
                    .iter()
                    .filter(|(ip, _)| *ip)
                    .map(|(_, n)| n.as_str())
                    .collect();
                format!(
                    "Hostname/IP does not match certificate's altnames: IP: {host} is not in the cert's list: {}",
                    ips.join(", ")
                )
            } else {
                let names: Vec<String> = parsed
                    .iter()
                    .map(|(ip, n)| {
                        if *ip {
                            format!("IP Address:{n}")
                        } else {
                            format!("DNS:{n}")
                        }
                    })
                    .collect();
                format!(
                    "Hostname/IP does not match certificate's altnames: Host: {host}. is not in the cert's altnames: {}",
                    names.join(", ")
                )
            };
            ("ERR_TLS_CERT_ALTNAME_INVALID".into(), msg)
        }
        CertificateError::NotValidForName => (
            "ERR_TLS_CERT_ALTNAME_INVALID".into(),
            format!("Hostname/IP does not match certificate's altnames: Host: {host}."),
        ),
        other => ("ERR_TLS_CERT_INVALID".into(), format!("{other:?}")),
    }
}

/// One presented name as (is an IP address, the name), from rustls' `DnsName("x")`
/// or `IpAddress(x)` form (a bare name is taken as it is).
fn altname(n: &str) -> Option<(bool, String)> {
    if let Some(d) = n
        .strip_prefix("DnsName(\"")
        .and_then(|d| d.strip_suffix("\")"))
    {
        return Some((false, d.to_owned()));
    }
    if let Some(ip) = n
        .strip_prefix("IpAddress(")
        .and_then(|d| d.strip_suffix(')'))
    {
        return Some((true, ip.to_owned()));
    }
    if n.contains('(') {
        return None;
    }
    Some((n.parse::<std::net::IpAddr>().is_ok(), n.to_owned()))
}

/// Verifies like the web's verifier, but tells apart the unknown-issuer cases
/// that OpenSSL names differently; with `reject_unauthorized` false (Node's
/// `rejectUnauthorized: false`) it accepts any certificate but still checks the
/// handshake's signatures.
#[derive(Debug)]
struct NodeVerifier {
    inner: Arc<WebPkiServerVerifier>,
    reject_unauthorized: bool,
}

/// One DER element: (tag, the whole TLV, its contents, what follows it).
type Tlv<'a> = (u8, &'a [u8], &'a [u8], &'a [u8]);

/// Reads one DER TLV at the start of `b`.
fn tlv(b: &[u8]) -> Option<Tlv<'_>> {
    let tag = *b.first()?;
    let first = *b.get(1)?;
    let (len, hdr) = if first < 0x80 {
        (usize::from(first), 2usize)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | usize::from(*b.get(2 + i)?);
        }
        (len, 2 + n)
    };
    let end = hdr.checked_add(len)?;
    Some((tag, b.get(..end)?, b.get(hdr..end)?, b.get(end..)?))
}

/// Whether a certificate names itself as its issuer (OpenSSL's "self-signed"
/// classification for chain errors), by comparing the DER of both names.
pub fn self_issued(cert: &[u8]) -> bool {
    let parse = || -> Option<bool> {
        let (_, _, certificate, _) = tlv(cert)?;
        let (_, _, tbs, _) = tlv(certificate)?;
        let mut rest = tbs;
        let (tag, _, _, r) = tlv(rest)?;
        if tag == 0xa0 {
            rest = r; // explicit version
        }
        let (_, _, _, r) = tlv(rest)?; // serial
        let (_, _, _, r) = tlv(r)?; // signature algorithm
        let (_, issuer, _, r) = tlv(r)?;
        let (_, _, _, r) = tlv(r)?; // validity
        let (_, subject, _, _) = tlv(r)?;
        Some(issuer == subject)
    };
    parse().unwrap_or(false)
}

impl ServerCertVerifier for NodeVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if !self.reject_unauthorized {
            return Ok(ServerCertVerified::assertion());
        }
        match self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer
                | CertificateError::Other(_)
                | CertificateError::BadSignature,
            )) => Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                rustls::OtherError(Arc::new(ChainError::of(end_entity, intermediates))),
            ))),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Client configurations for outbound HTTPS.
#[derive(Debug, Clone)]
pub struct ClientTls {
    /// Verifies certificates (the default, `rejectUnauthorized: true`).
    pub verify: Option<Arc<ClientConfig>>,
    /// Accepts any certificate (`rejectUnauthorized: false`).
    pub any: Option<Arc<ClientConfig>>,
}

impl ClientTls {
    /// Trusts the web's roots (webpki-roots) plus `extra`.
    pub fn new(extra: &[CertificateDer<'static>]) -> Self {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for c in extra {
            if let Err(e) = roots.add(c.clone()) {
                tracing::warn!("extra CA not usable: {e}");
            }
        }
        let Ok(inner) =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider()).build()
        else {
            return ClientTls {
                verify: None,
                any: None,
            };
        };
        let build = |reject_unauthorized: bool| {
            let verifier = NodeVerifier {
                inner: inner.clone(),
                reject_unauthorized,
            };
            let mut cfg = ClientConfig::builder_with_provider(provider())
                .with_safe_default_protocol_versions()
                .ok()?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
                .with_no_client_auth();
            cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
            Some(Arc::new(cfg))
        };
        ClientTls {
            verify: build(true),
            any: build(false),
        }
    }
}

/// Node's error for a failed TLS handshake (`io` came out of tokio-rustls).
pub fn handshake_error(e: &std::io::Error, host: &str) -> Value {
    let tls = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    let (code, message) = match tls {
        Some(rustls::Error::InvalidCertificate(ce)) => cert_error(ce, host),
        Some(other) => ("ERR_SSL_HANDSHAKE_FAILURE".into(), other.to_string()),
        None => return crate::errors::error(crate::errors::io_code(e).0, format!("Client network socket disconnected before secure TLS connection was established ({e})"), json!({ "host": host })),
    };
    error(&code, message, json!({ "host": host }))
}

/// A server configuration from the page's `key` and `cert` (PEM).
pub fn server_config(key: &str, cert: &str) -> Result<Arc<ServerConfig>, Value> {
    let pem_err = |what: &str, e: String| {
        error(
            "ERR_OSSL_PEM_NO_START_LINE",
            format!("error:0480006C:PEM routines::no start line ({what}: {e})"),
            json!({ "library": "PEM routines", "reason": "no start line" }),
        )
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert.as_bytes())
        .collect::<Result<_, _>>()
        .map_err(|e| pem_err("cert", e.to_string()))?;
    if certs.is_empty() {
        return Err(pem_err("cert", "no certificate".into()));
    }
    let key =
        PrivateKeyDer::from_pem_slice(key.as_bytes()).map_err(|e| pem_err("key", e.to_string()))?;
    let mut cfg = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| error("ERR_SSL_INTERNAL", e.to_string(), json!({})))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            error(
                "ERR_OSSL_X509_KEY_VALUES_MISMATCH",
                format!("error:05800074:x509 certificate routines::key values mismatch ({e})"),
                json!({}),
            )
        })?;
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(cfg))
}

#[cfg(test)]
#[path = "../tests/support/certs.rs"]
mod certs;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_issued_tells_self_signed_from_ca_signed() {
        let own = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        assert!(self_issued(own.cert.der()));
        let pki = certs::ca_and_leaf();
        assert!(!self_issued(pki.leaf.der()));
        assert!(self_issued(pki.ca.der()));
    }

    #[test]
    fn chains_get_openssl_codes_and_messages() {
        let own = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let pki = certs::ca_and_leaf();
        let (ca, leaf) = (pki.ca.der().clone(), pki.leaf.der().clone());
        let cases = [
            (
                own.cert.der().clone(),
                vec![],
                "DEPTH_ZERO_SELF_SIGNED_CERT",
                "self-signed certificate",
            ),
            (
                leaf.clone(),
                vec![],
                "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
                "unable to verify the first certificate",
            ),
            (
                leaf.clone(),
                vec![ca],
                "SELF_SIGNED_CERT_IN_CHAIN",
                "self-signed certificate in certificate chain",
            ),
            (
                leaf.clone(),
                vec![leaf.clone()],
                "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
                "unable to get local issuer certificate",
            ),
        ];
        for (end_entity, chain, code, message) in cases {
            let chain = ChainError::of(&end_entity, &chain);
            let refused = CertificateError::Other(rustls::OtherError(Arc::new(chain)));
            let node = cert_error(&refused, "localhost");
            let hint =
                "; if the root CA is installed locally, try running Node.js with --use-system-ca";
            assert_eq!(node, (code.to_owned(), format!("{message}{hint}")));
        }
        let expired = cert_error(&CertificateError::Expired, "localhost");
        assert_eq!(expired.0, "CERT_HAS_EXPIRED");
    }

    #[test]
    fn garbage_is_not_self_issued() {
        for b in [
            &[][..],
            &[0x30],
            &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
            &[0x30, 0x03, 0x30, 0x01],
        ] {
            assert!(!self_issued(b));
        }
    }
}
