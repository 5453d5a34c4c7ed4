//! Symmetric ciphers as Node's `Cipheriv`/`Decipheriv` drive them: streaming
//! `update`/`final` with OpenSSL's buffering (PKCS#7 padding, the held-back last
//! block when decrypting), and the AEADs' AAD and tags.
//!
//! The primitives come from RustCrypto (`aes`, `cbc`, `ctr`, `ofb`, `cfb-mode`,
//! `cfb8`, `chacha20`, `ghash`, `poly1305`); GCM and ChaCha20-Poly1305 are composed from them
//! here because Node streams ciphertext out of `update()` while the `aead` crates only work on
//! whole messages, and CCM because the `ccm` crate fixes its nonce and tag lengths at compile
//! time. The compositions are checked against `aes-gcm`, `chacha20poly1305` and `ccm` in the tests.

use aes::{Aes128, Aes192, Aes256};
use cipher::consts::U16;
use cipher::{
    Array, BlockCipherDecrypt, BlockCipherEncClosure, BlockCipherEncrypt, BlockModeDecrypt,
    BlockModeEncrypt, BlockSizeUser, InnerIvInit, KeyInit, KeyIvInit, StreamCipher,
};
use subtle::ConstantTimeEq;
use universal_hash::UniversalHash;

use crate::NodeError;

/// The mode of a cipher, as `getCipherInfo()` names it (`stream` for ChaCha20-Poly1305).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// CBC with PKCS#7 padding by default.
    Cbc,
    /// ECB with PKCS#7 padding by default.
    Ecb,
    /// CTR with a 128-bit big-endian counter.
    Ctr,
    /// OFB.
    Ofb,
    /// CFB-128.
    Cfb,
    /// CFB-8.
    Cfb8,
    /// GCM.
    Gcm,
    /// CCM (one message per cipher, lengths fixed up front).
    Ccm,
    /// ChaCha20-Poly1305 (RFC 8439).
    ChaCha20Poly1305,
}

impl Mode {
    /// The `mode` string of `getCipherInfo()`.
    pub fn node_name(self) -> &'static str {
        match self {
            Mode::Cbc => "cbc",
            Mode::Ecb => "ecb",
            Mode::Ctr => "ctr",
            Mode::Ofb => "ofb",
            Mode::Cfb | Mode::Cfb8 => "cfb",
            Mode::Gcm => "gcm",
            Mode::Ccm => "ccm",
            Mode::ChaCha20Poly1305 => "stream",
        }
    }

    /// Whether the mode authenticates (has AAD and a tag).
    pub fn is_aead(self) -> bool {
        matches!(self, Mode::Gcm | Mode::Ccm | Mode::ChaCha20Poly1305)
    }
}

/// One cipher as OpenSSL describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CipherSpec {
    /// The name `getCiphers()` lists.
    pub listed: &'static str,
    /// The canonical name `getCipherInfo()` reports.
    pub name: &'static str,
    /// OpenSSL's NID.
    pub nid: u32,
    /// The mode.
    pub mode: Mode,
    /// Key length in bytes.
    pub key_len: usize,
    /// Default IV length in bytes (0: none).
    pub iv_len: usize,
    /// Block size reported by `getCipherInfo()` (0 when OpenSSL reports none).
    pub block_size: usize,
}

const fn spec(
    listed: &'static str,
    name: &'static str,
    nid: u32,
    mode: Mode,
    key_len: usize,
    iv_len: usize,
    block_size: usize,
) -> CipherSpec {
    CipherSpec {
        listed,
        name,
        nid,
        mode,
        key_len,
        iv_len,
        block_size,
    }
}

/// Every supported cipher under each name Node accepts, in `getCiphers()` order.
pub const CIPHERS: &[CipherSpec] = &[
    spec("aes-128-cbc", "aes-128-cbc", 419, Mode::Cbc, 16, 16, 16),
    spec("aes-128-ccm", "id-aes128-ccm", 896, Mode::Ccm, 16, 12, 1),
    spec("aes-128-cfb", "aes-128-cfb", 421, Mode::Cfb, 16, 16, 1),
    spec("aes-128-cfb8", "aes-128-cfb8", 653, Mode::Cfb8, 16, 16, 1),
    spec("aes-128-ctr", "aes-128-ctr", 904, Mode::Ctr, 16, 16, 1),
    spec("aes-128-ecb", "aes-128-ecb", 418, Mode::Ecb, 16, 0, 16),
    spec("aes-128-gcm", "id-aes128-gcm", 895, Mode::Gcm, 16, 12, 1),
    spec("aes-128-ofb", "aes-128-ofb", 420, Mode::Ofb, 16, 16, 1),
    spec("aes-192-cbc", "aes-192-cbc", 423, Mode::Cbc, 24, 16, 16),
    spec("aes-192-ccm", "id-aes192-ccm", 899, Mode::Ccm, 24, 12, 1),
    spec("aes-192-cfb", "aes-192-cfb", 425, Mode::Cfb, 24, 16, 1),
    spec("aes-192-cfb8", "aes-192-cfb8", 654, Mode::Cfb8, 24, 16, 1),
    spec("aes-192-ctr", "aes-192-ctr", 905, Mode::Ctr, 24, 16, 1),
    spec("aes-192-ecb", "aes-192-ecb", 422, Mode::Ecb, 24, 0, 16),
    spec("aes-192-gcm", "id-aes192-gcm", 898, Mode::Gcm, 24, 12, 1),
    spec("aes-192-ofb", "aes-192-ofb", 424, Mode::Ofb, 24, 16, 1),
    spec("aes-256-cbc", "aes-256-cbc", 427, Mode::Cbc, 32, 16, 16),
    spec("aes-256-ccm", "id-aes256-ccm", 902, Mode::Ccm, 32, 12, 1),
    spec("aes-256-cfb", "aes-256-cfb", 429, Mode::Cfb, 32, 16, 1),
    spec("aes-256-cfb8", "aes-256-cfb8", 655, Mode::Cfb8, 32, 16, 1),
    spec("aes-256-ctr", "aes-256-ctr", 906, Mode::Ctr, 32, 16, 1),
    spec("aes-256-ecb", "aes-256-ecb", 426, Mode::Ecb, 32, 0, 16),
    spec("aes-256-gcm", "id-aes256-gcm", 901, Mode::Gcm, 32, 12, 1),
    spec("aes-256-ofb", "aes-256-ofb", 428, Mode::Ofb, 32, 16, 1),
    spec("aes128", "aes-128-cbc", 419, Mode::Cbc, 16, 16, 16),
    spec("aes192", "aes-192-cbc", 423, Mode::Cbc, 24, 16, 16),
    spec("aes256", "aes-256-cbc", 427, Mode::Cbc, 32, 16, 16),
    spec(
        "chacha20-poly1305",
        "chacha20-poly1305",
        1018,
        Mode::ChaCha20Poly1305,
        32,
        12,
        0,
    ),
    spec("id-aes128-CCM", "id-aes128-ccm", 896, Mode::Ccm, 16, 12, 1),
    spec("id-aes128-GCM", "id-aes128-gcm", 895, Mode::Gcm, 16, 12, 1),
    spec("id-aes192-CCM", "id-aes192-ccm", 899, Mode::Ccm, 24, 12, 1),
    spec("id-aes192-GCM", "id-aes192-gcm", 898, Mode::Gcm, 24, 12, 1),
    spec("id-aes256-CCM", "id-aes256-ccm", 902, Mode::Ccm, 32, 12, 1),
    spec("id-aes256-GCM", "id-aes256-gcm", 901, Mode::Gcm, 32, 12, 1),
];

/// Looks a cipher up by name, case-insensitively as OpenSSL does.
pub fn find_cipher(name: &str) -> Option<&'static CipherSpec> {
    CIPHERS.iter().find(|c| c.listed.eq_ignore_ascii_case(name))
}

/// Looks a cipher up by NID.
pub fn find_cipher_by_nid(nid: u32) -> Option<&'static CipherSpec> {
    CIPHERS.iter().find(|c| c.nid == nid)
}

/// Whether `len` is an authentication tag length Node accepts for `mode`.
pub fn valid_tag_len(mode: Mode, len: usize) -> bool {
    match mode {
        Mode::Gcm => len == 4 || len == 8 || (12..=16).contains(&len),
        Mode::Ccm => (4..=16).contains(&len) && len % 2 == 0,
        Mode::ChaCha20Poly1305 => (1..=16).contains(&len),
        _ => false,
    }
}

/// Whether `len` is an IV length the cipher accepts.
pub fn valid_iv_len(spec: &CipherSpec, len: usize) -> bool {
    match spec.mode {
        // OpenSSL takes any non-empty GCM IV (hashed with GHASH when not 12 bytes).
        Mode::Gcm => len > 0,
        // CCM's nonce is 15 - L bytes for a length field of L = 2..=8 bytes.
        Mode::Ccm => (7..=13).contains(&len),
        _ => len == spec.iv_len,
    }
}

fn invalid_state(op: &str) -> NodeError {
    NodeError::new(
        "ERR_CRYPTO_INVALID_STATE",
        format!("Invalid state for operation {op}"),
    )
}

fn ossl(code: &'static str, message: &'static str) -> NodeError {
    NodeError::new(code, message)
}

fn wrong_final_block_length() -> NodeError {
    ossl(
        "ERR_OSSL_WRONG_FINAL_BLOCK_LENGTH",
        "error:1C80006B:Provider routines::wrong final block length",
    )
}

fn bad_decrypt() -> NodeError {
    ossl(
        "ERR_OSSL_BAD_DECRYPT",
        "error:1C800064:Provider routines::bad decrypt",
    )
}

fn auth_failed() -> NodeError {
    // Node throws this one without a code.
    NodeError::new("", "Unsupported state or unable to authenticate data")
}

fn keystream_exhausted() -> NodeError {
    NodeError::new(
        "ERR_OUT_OF_RANGE",
        "The cipher's keystream is exhausted for this key and IV",
    )
}

/// The per-mode transform behind a cipher. `apply` works in place; block modes
/// only ever get whole blocks.
trait Core {
    fn apply(&mut self, buf: &mut [u8]) -> Result<(), NodeError>;
    fn aad(&mut self, _aad: &[u8]) {}
    fn tag(&mut self) -> [u8; 16] {
        [0; 16]
    }
}

/// A block cipher the modes can be built on.
trait Aes:
    BlockCipherEncrypt + BlockCipherDecrypt + BlockSizeUser<BlockSize = U16> + KeyInit + Clone + 'static
{
}
impl Aes for Aes128 {}
impl Aes for Aes192 {}
impl Aes for Aes256 {}

fn blocks(buf: &mut [u8]) -> &mut [Array<u8, U16>] {
    Array::slice_as_chunks_mut(buf).0
}

struct CbcEnc<C: Aes>(cbc::Encryptor<C>);
impl<C: Aes> Core for CbcEnc<C> {
    fn apply(&mut self, buf: &mut [u8]) -> Result<(), NodeError> {
        self.0.encrypt_blocks(blocks(buf));
        Ok(())
    }
}
struct CbcDec<C: Aes>(cbc::Decryptor<C>);
impl<C: Aes> Core for CbcDec<C> {
    fn apply(&mut self, buf: &mut [u8]) -> Result<(), NodeError> {
        self.0.decrypt_blocks(blocks(buf));
        Ok(())
    }
}
struct EcbEnc<C: Aes>(C);
impl<C: Aes> Core for EcbEnc<C> {
    fn apply(&mut self, buf: &mut [u8]) -> Result<(), NodeError> {
        self.0.encrypt_blocks(blocks(buf));
        Ok(())
    }
}
struct EcbDec<C: Aes>(C);
impl<C: Aes> Core for EcbDec<C> {
    fn apply(&mut self, buf: &mut [u8]) -> Result<(), NodeError> {
        self.0.decrypt_blocks(blocks(buf));
        Ok(())
    }
}
struct Stream<S: StreamCipher>(S);
impl<S: StreamCipher> Core for Stream<S> {
    fn apply(&mut self, buf: &mut [u8]) -> Result<(), NodeError> {
        self.0
            .try_apply_keystream(buf)
            .map_err(|_| keystream_exhausted())
    }
}
struct CfbEnc<C: Aes>(cfb_mode::BufEncryptor<C>);
impl<C: Aes> Core for CfbEnc<C> {
    fn apply(&mut self, buf: &mut [u8]) -> Result<(), NodeError> {
        self.0.encrypt(buf);
        Ok(())
    }
}
struct CfbDec<C: Aes>(cfb_mode::BufDecryptor<C>);
impl<C: Aes> Core for CfbDec<C> {
    fn apply(&mut self, buf: &mut [u8]) -> Result<(), NodeError> {
        self.0.decrypt(buf);
        Ok(())
    }
}
struct Cfb8Enc<C: Aes>(cfb8::Encryptor<C>);
impl<C: Aes> Core for Cfb8Enc<C> {
    fn apply(&mut self, buf: &mut [u8]) -> Result<(), NodeError> {
        self.0.encrypt_blocks(Array::slice_as_chunks_mut(buf).0);
        Ok(())
    }
}
struct Cfb8Dec<C: Aes>(cfb8::Decryptor<C>);
impl<C: Aes> Core for Cfb8Dec<C> {
    fn apply(&mut self, buf: &mut [u8]) -> Result<(), NodeError> {
        self.0.decrypt_blocks(Array::slice_as_chunks_mut(buf).0);
        Ok(())
    }
}

/// Feeds a universal hash (GHASH, Poly1305) byte strings of any length, padding
/// each section (AAD, then ciphertext) with zeros to a block boundary.
struct Absorber<U: UniversalHash<BlockSize = U16>> {
    uhf: U,
    pending: [u8; 16],
    pending_len: usize,
}

impl<U: UniversalHash<BlockSize = U16>> Absorber<U> {
    fn new(uhf: U) -> Self {
        Self {
            uhf,
            pending: [0; 16],
            pending_len: 0,
        }
    }

    fn absorb(&mut self, mut data: &[u8]) {
        if self.pending_len > 0 {
            let take = (16 - self.pending_len).min(data.len());
            let (head, rest) = data.split_at(take);
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(head);
            self.pending_len += take;
            data = rest;
            if self.pending_len < 16 {
                return;
            }
            self.uhf.update(&[Array(self.pending)]);
            self.pending_len = 0;
        }
        let (full, rest) = Array::<u8, U16>::slice_as_chunks(data);
        self.uhf.update(full);
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    fn pad(&mut self) {
        if self.pending_len > 0 {
            self.uhf.update_padded(&self.pending[..self.pending_len]);
            self.pending_len = 0;
        }
    }
}

/// Streaming AES-GCM (NIST SP 800-38D).
struct Gcm<C: Aes> {
    ctr: ctr::Ctr32BE<C>,
    ghash: Absorber<ghash::GHash>,
    ek_j0: [u8; 16],
    aad_len: u64,
    ct_len: u64,
    in_data: bool,
    encrypt: bool,
}

impl<C: Aes> Gcm<C> {
    fn new(key: &[u8], iv: &[u8], encrypt: bool) -> Result<Self, NodeError> {
        let cipher = C::new_from_slice(key).map_err(|_| invalid_key_len())?;
        let mut h = Array::<u8, U16>::default();
        cipher.encrypt_block(&mut h);
        let j0: [u8; 16] = if iv.len() == 12 {
            let mut j = [0u8; 16];
            j[..12].copy_from_slice(iv);
            j[15] = 1;
            j
        } else {
            let mut g = ghash::GHash::new(&h);
            g.update_padded(iv);
            let mut lens = [0u8; 16];
            let bits = (iv.len() as u64).wrapping_mul(8);
            lens[8..].copy_from_slice(&bits.to_be_bytes());
            g.update(&[Array(lens)]);
            g.finalize().0
        };
        let mut ek_j0 = Array(j0);
        cipher.encrypt_block(&mut ek_j0);
        let mut counter = j0;
        let c32 = u32::from_be_bytes([j0[12], j0[13], j0[14], j0[15]]).wrapping_add(1);
        counter[12..].copy_from_slice(&c32.to_be_bytes());
        Ok(Self {
            ctr: ctr::Ctr32BE::<C>::from_core(ctr::CtrCore::inner_iv_init(cipher, &Array(counter))),
            ghash: Absorber::new(ghash::GHash::new(&h)),
            ek_j0: ek_j0.0,
            aad_len: 0,
            ct_len: 0,
            in_data: false,
            encrypt,
        })
    }
}

impl<C: Aes> Core for Gcm<C> {
    fn aad(&mut self, aad: &[u8]) {
        self.aad_len = self.aad_len.wrapping_add(aad.len() as u64);
        self.ghash.absorb(aad);
    }

    fn apply(&mut self, buf: &mut [u8]) -> Result<(), NodeError> {
        if !self.in_data {
            self.ghash.pad();
            self.in_data = true;
        }
        if !self.encrypt {
            self.ghash.absorb(buf);
        }
        self.ctr
            .try_apply_keystream(buf)
            .map_err(|_| keystream_exhausted())?;
        if self.encrypt {
            self.ghash.absorb(buf);
        }
        self.ct_len = self.ct_len.wrapping_add(buf.len() as u64);
        Ok(())
    }

    fn tag(&mut self) -> [u8; 16] {
        self.ghash.pad();
        let mut lens = [0u8; 16];
        lens[..8].copy_from_slice(&self.aad_len.wrapping_mul(8).to_be_bytes());
        lens[8..].copy_from_slice(&self.ct_len.wrapping_mul(8).to_be_bytes());
        self.ghash.uhf.update(&[Array(lens)]);
        let s = self.ghash.uhf.clone().finalize();
        let mut tag = [0u8; 16];
        for (t, (a, b)) in tag.iter_mut().zip(s.iter().zip(self.ek_j0.iter())) {
            *t = a ^ b;
        }
        tag
    }
}

/// Streaming ChaCha20-Poly1305 (RFC 8439).
struct ChaChaPoly {
    cipher: chacha20::ChaCha20,
    mac: Absorber<poly1305::Poly1305>,
    aad_len: u64,
    ct_len: u64,
    in_data: bool,
    encrypt: bool,
}

impl ChaChaPoly {
    fn new(key: &[u8], iv: &[u8], encrypt: bool) -> Result<Self, NodeError> {
        let mut cipher =
            chacha20::ChaCha20::new_from_slices(key, iv).map_err(|_| invalid_key_len())?;
        // Block 0 of the keystream is the one-time Poly1305 key; data starts at block 1.
        let mut block0 = [0u8; 64];
        cipher.apply_keystream(&mut block0);
        let mac =
            poly1305::Poly1305::new_from_slice(&block0[..32]).map_err(|_| invalid_key_len())?;
        Ok(Self {
            cipher,
            mac: Absorber::new(mac),
            aad_len: 0,
            ct_len: 0,
            in_data: false,
            encrypt,
        })
    }
}

impl Core for ChaChaPoly {
    fn aad(&mut self, aad: &[u8]) {
        self.aad_len = self.aad_len.wrapping_add(aad.len() as u64);
        self.mac.absorb(aad);
    }

    fn apply(&mut self, buf: &mut [u8]) -> Result<(), NodeError> {
        if !self.in_data {
            self.mac.pad();
            self.in_data = true;
        }
        if !self.encrypt {
            self.mac.absorb(buf);
        }
        self.cipher
            .try_apply_keystream(buf)
            .map_err(|_| keystream_exhausted())?;
        if self.encrypt {
            self.mac.absorb(buf);
        }
        self.ct_len = self.ct_len.wrapping_add(buf.len() as u64);
        Ok(())
    }

    fn tag(&mut self) -> [u8; 16] {
        self.mac.pad();
        let mut lens = [0u8; 16];
        lens[..8].copy_from_slice(&self.aad_len.to_le_bytes());
        lens[8..].copy_from_slice(&self.ct_len.to_le_bytes());
        self.mac.uhf.update(&[Array(lens)]);
        self.mac.uhf.clone().finalize().0
    }
}

/// One of the three AES key sizes behind one type, so that CCM's code (sequential
/// CBC-MAC and CTR over whole messages, not worth a copy per key size) is built
/// once. Encryption is delegated to the `aes` crate's own backend unchanged.
#[derive(Clone)]
enum AnyAes {
    Aes128(Aes128),
    Aes192(Aes192),
    Aes256(Aes256),
}

impl BlockSizeUser for AnyAes {
    type BlockSize = U16;
}

impl BlockCipherEncrypt for AnyAes {
    fn encrypt_with_backend(&self, f: impl BlockCipherEncClosure<BlockSize = U16>) {
        match self {
            AnyAes::Aes128(c) => c.encrypt_with_backend(f),
            AnyAes::Aes192(c) => c.encrypt_with_backend(f),
            AnyAes::Aes256(c) => c.encrypt_with_backend(f),
        }
    }
}

/// A nonce or tag length Node would have refused before any data came.
fn ccm_bad_size() -> NodeError {
    invalid_state("update")
}

/// CBC-MAC: the last block of a CBC encryption under a zero IV, by the `cbc` crate.
struct CbcMac {
    cbc: cbc::Encryptor<AnyAes>,
    last: Array<u8, U16>,
}

impl CbcMac {
    fn new(cipher: &AnyAes) -> Self {
        Self {
            cbc: cbc::Encryptor::inner_iv_init(cipher.clone(), &Array::default()),
            last: Array::default(),
        }
    }

    fn block(&mut self, block: &[u8; 16]) {
        self.last = Array(*block);
        self.cbc.encrypt_block(&mut self.last);
    }

    /// Whole blocks of `data`, the last one padded with zeros.
    fn padded(&mut self, data: &[u8]) {
        let mut chunks = data.chunks_exact(16);
        for chunk in chunks.by_ref() {
            let mut b = [0u8; 16];
            b.copy_from_slice(chunk);
            self.block(&b);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 16];
            b[..rest.len()].copy_from_slice(rest);
            self.block(&b);
        }
    }
}

/// AES-CCM (NIST SP 800-38C, RFC 3610) over a whole message: the formatting of
/// SP 800-38C A.2 around CBC-MAC (`cbc` crate) and the CTR keystream (`ctr`
/// crate), with the nonce and tag lengths read at run time. Node allows one
/// update() per CCM cipher, so the message is always whole. (The `ccm` crate
/// takes both lengths as types: its 49 builds were ~100 KB of the wasm; it is
/// the reference this is checked against in the tests, for every length pair.)
struct CcmAes(AnyAes);

impl CcmAes {
    fn new(key: &[u8]) -> Result<Self, NodeError> {
        let bad = |_| invalid_key_len();
        Ok(Self(match key.len() {
            16 => AnyAes::Aes128(Aes128::new_from_slice(key).map_err(bad)?),
            24 => AnyAes::Aes192(Aes192::new_from_slice(key).map_err(bad)?),
            _ => AnyAes::Aes256(Aes256::new_from_slice(key).map_err(bad)?),
        }))
    }

    /// Checks the lengths; returns L, the size of the message length field.
    fn length_field(nonce: &[u8], tag_len: usize, msg_len: usize) -> Result<usize, NodeError> {
        if !(7..=13).contains(&nonce.len()) {
            return Err(invalid_iv());
        }
        if !(4..=16).contains(&tag_len) || tag_len % 2 != 0 {
            return Err(ccm_bad_size());
        }
        let l = 15 - nonce.len();
        if l < 8 && (msg_len as u64) >> (8 * l) != 0 {
            return Err(invalid_message_len());
        }
        Ok(l)
    }

    /// The unencrypted MAC T of `msg` (SP 800-38C 6.1 steps 1-4).
    fn mac(&self, nonce: &[u8], aad: &[u8], msg: &[u8], tag_len: usize, l: usize) -> [u8; 16] {
        let mut mac = CbcMac::new(&self.0);
        let mut b0 = [0u8; 16];
        // Flags: Adata, (t - 2) / 2, L - 1; lengths checked by `length_field`.
        b0[0] = (u8::from(!aad.is_empty()) << 6) | (((tag_len as u8 - 2) / 2) << 3) | (l as u8 - 1);
        b0[1..16 - l].copy_from_slice(nonce);
        b0[16 - l..].copy_from_slice(&(msg.len() as u64).to_be_bytes()[8 - l..]);
        mac.block(&b0);
        if !aad.is_empty() {
            // The AAD length in 2, 6 or 10 bytes, then the AAD, padded as one string.
            let len = aad.len() as u64;
            let mut first = [0u8; 16];
            let header = if len < 0xFF00 {
                first[..2].copy_from_slice(&(len as u16).to_be_bytes());
                2
            } else if len <= u64::from(u32::MAX) {
                first[..2].copy_from_slice(&[0xFF, 0xFE]);
                first[2..6].copy_from_slice(&(len as u32).to_be_bytes());
                6
            } else {
                first[..2].copy_from_slice(&[0xFF, 0xFF]);
                first[2..10].copy_from_slice(&len.to_be_bytes());
                10
            };
            let (head, rest) = aad.split_at(aad.len().min(16 - header));
            first[header..header + head.len()].copy_from_slice(head);
            mac.block(&first);
            mac.padded(rest);
        }
        mac.padded(msg);
        mac.last.0
    }

    /// The keystream from counter block 0 (A0 = flags L - 1, the nonce, a zero counter).
    fn ctr(&self, nonce: &[u8], l: usize) -> ctr::Ctr64BE<AnyAes> {
        // The counter occupies the last L bytes and never carries out of them (a
        // message has fewer than 2^(8L) / 16 blocks), so a 64-bit counter over
        // the block's last 8 bytes gives the same keystream for every L.
        let mut a0 = [0u8; 16];
        a0[0] = l as u8 - 1;
        a0[1..16 - l].copy_from_slice(nonce);
        ctr::Ctr64BE::from_core(ctr::CtrCore::inner_iv_init(self.0.clone(), &Array(a0)))
    }

    /// Encrypts `buf` in place and returns the `tag_len`-byte tag.
    fn seal(
        &self,
        nonce: &[u8],
        aad: &[u8],
        buf: &mut [u8],
        tag_len: usize,
    ) -> Result<Vec<u8>, NodeError> {
        let l = Self::length_field(nonce, tag_len, buf.len())?;
        let mut tag = self.mac(nonce, aad, buf, tag_len, l);
        let mut ctr = self.ctr(nonce, l);
        ctr.try_apply_keystream(&mut tag)
            .and_then(|()| ctr.try_apply_keystream(buf))
            .map_err(|_| invalid_message_len())?;
        Ok(tag[..tag_len].to_vec())
    }

    /// Decrypts `buf` in place; `Ok(false)` (and `buf` zeroed) when the tag does not match.
    fn open(
        &self,
        nonce: &[u8],
        aad: &[u8],
        buf: &mut [u8],
        tag: &[u8],
    ) -> Result<bool, NodeError> {
        let l = Self::length_field(nonce, tag.len(), buf.len())?;
        let mut s0 = [0u8; 16];
        let mut ctr = self.ctr(nonce, l);
        ctr.try_apply_keystream(&mut s0)
            .and_then(|()| ctr.try_apply_keystream(buf))
            .map_err(|_| invalid_message_len())?;
        let mut expected = self.mac(nonce, aad, buf, tag.len(), l);
        for (e, s) in expected.iter_mut().zip(s0) {
            *e ^= s;
        }
        let ok = bool::from(expected[..tag.len()].ct_eq(tag));
        if !ok {
            buf.fill(0);
        }
        Ok(ok)
    }
}

/// Where a CCM cipher is in Node's one-message protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CcmStep {
    /// No data yet.
    Waiting,
    /// The one update ran (encrypt: the tag is known; decrypt: it checked out).
    Done,
    /// Encrypt: the first update failed, so OpenSSL never made a tag.
    NoTag,
    /// Encrypt: a second update was refused after the first succeeded.
    Refused,
    /// Decrypt: authentication failed (or data came twice); final() throws.
    AuthFailed,
}

/// AES-CCM as Node 20 drives it: `authTagLength` required, the plaintext length
/// given to `setAAD` up front, and a single `update()` per message.
struct CcmState {
    block: CcmAes,
    nonce: Vec<u8>,
    aad: Vec<u8>,
    plaintext_len: Option<u64>,
    step: CcmStep,
}

impl CcmState {
    /// Node's CheckCCMMessageLength: the message must fit the L-byte length field.
    fn check_len(&self, len: u64) -> Result<(), NodeError> {
        let l = 15usize.saturating_sub(self.nonce.len());
        if l < 8 && len > (1u64 << (8 * l)) - 1 {
            return Err(invalid_message_len());
        }
        Ok(())
    }
}

fn invalid_message_len() -> NodeError {
    NodeError::new("ERR_CRYPTO_INVALID_MESSAGELEN", "Invalid message length")
}

fn ccm_unsupported_update() -> NodeError {
    NodeError::new("", "Trying to add data in unsupported state")
}

/// Stands in for the streaming core of a CCM cipher, whose work `CcmState` does.
struct NoStream;
impl Core for NoStream {
    fn apply(&mut self, _buf: &mut [u8]) -> Result<(), NodeError> {
        Err(invalid_state("update"))
    }
}

fn invalid_key_len() -> NodeError {
    NodeError::new("ERR_CRYPTO_INVALID_KEYLEN", "Invalid key length")
}

fn invalid_iv() -> NodeError {
    NodeError::new("ERR_CRYPTO_INVALID_IV", "Invalid initialization vector")
}

fn build_aes<C: Aes>(
    mode: Mode,
    key: &[u8],
    iv: &[u8],
    encrypt: bool,
) -> Result<Box<dyn Core>, NodeError> {
    let cipher = C::new_from_slice(key).map_err(|_| invalid_key_len())?;
    let iv_err = |_| invalid_iv();
    Ok(match (mode, encrypt) {
        (Mode::Cbc, true) => Box::new(CbcEnc(
            cbc::Encryptor::<C>::inner_iv_slice_init(cipher, iv).map_err(iv_err)?,
        )),
        (Mode::Cbc, false) => Box::new(CbcDec(
            cbc::Decryptor::<C>::inner_iv_slice_init(cipher, iv).map_err(iv_err)?,
        )),
        (Mode::Ecb, true) => Box::new(EcbEnc(cipher)),
        (Mode::Ecb, false) => Box::new(EcbDec(cipher)),
        (Mode::Ctr, _) => Box::new(Stream(ctr::Ctr128BE::<C>::from_core(
            ctr::CtrCore::inner_iv_slice_init(cipher, iv).map_err(iv_err)?,
        ))),
        (Mode::Ofb, _) => Box::new(Stream(ofb::Ofb::<C>::from_core(
            ofb::OfbCore::inner_iv_slice_init(cipher, iv).map_err(iv_err)?,
        ))),
        (Mode::Cfb, true) => Box::new(CfbEnc(
            cfb_mode::BufEncryptor::<C>::inner_iv_slice_init(cipher, iv).map_err(iv_err)?,
        )),
        (Mode::Cfb, false) => Box::new(CfbDec(
            cfb_mode::BufDecryptor::<C>::inner_iv_slice_init(cipher, iv).map_err(iv_err)?,
        )),
        (Mode::Cfb8, true) => Box::new(Cfb8Enc(
            cfb8::Encryptor::<C>::inner_iv_slice_init(cipher, iv).map_err(iv_err)?,
        )),
        (Mode::Cfb8, false) => Box::new(Cfb8Dec(
            cfb8::Decryptor::<C>::inner_iv_slice_init(cipher, iv).map_err(iv_err)?,
        )),
        (Mode::Gcm, _) => Box::new(Gcm::<C>::new(key, iv, encrypt)?),
        (Mode::ChaCha20Poly1305, _) => Box::new(ChaChaPoly::new(key, iv, encrypt)?),
        (Mode::Ccm, _) => Box::new(NoStream),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Created; AAD may still be set.
    Fresh,
    /// Data went through `update`.
    Updating,
    /// `final` ran.
    Finished,
}

/// A `Cipheriv` or `Decipheriv` in progress.
pub struct Cipher {
    core: Box<dyn Core>,
    spec: &'static CipherSpec,
    encrypt: bool,
    padding: bool,
    /// Bytes waiting for a whole block (block modes only).
    pending: Vec<u8>,
    tag_len: usize,
    /// Encrypt: the tag after `final`; decrypt: the tag set by `setAuthTag`.
    tag: Option<Vec<u8>>,
    phase: Phase,
    /// The CCM state (CCM ciphers only).
    ccm: Option<CcmState>,
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cipher")
            .field("name", &self.spec.name)
            .field("encrypt", &self.encrypt)
            .finish_non_exhaustive()
    }
}

impl Cipher {
    /// Creates a cipher like `createCipheriv`/`createDecipheriv`. `auth_tag_len`
    /// is the `authTagLength` option (AEADs only; 16 by default).
    pub fn new(
        name: &str,
        key: &[u8],
        iv: Option<&[u8]>,
        encrypt: bool,
        auth_tag_len: Option<usize>,
    ) -> Result<Self, NodeError> {
        let spec = find_cipher(name)
            .ok_or_else(|| NodeError::new("ERR_CRYPTO_UNKNOWN_CIPHER", "Unknown cipher"))?;
        // Node checks the IV, then the tag length, then the key length.
        let iv = match iv {
            Some(iv) if !iv.is_empty() => {
                if !valid_iv_len(spec, iv.len()) {
                    return Err(invalid_iv());
                }
                iv
            }
            _ if spec.iv_len != 0 => return Err(invalid_iv()),
            _ => &[][..],
        };
        let tag_len = match auth_tag_len {
            None if spec.mode == Mode::Ccm => {
                return Err(NodeError::new(
                    "ERR_CRYPTO_INVALID_AUTH_TAG",
                    format!("authTagLength required for {name}"),
                ));
            }
            Some(n) if spec.mode.is_aead() => {
                if !valid_tag_len(spec.mode, n) {
                    return Err(NodeError::new(
                        "ERR_CRYPTO_INVALID_AUTH_TAG",
                        format!("Invalid authentication tag length: {n}"),
                    ));
                }
                n
            }
            _ => 16,
        };
        if key.len() != spec.key_len {
            return Err(invalid_key_len());
        }
        let core = match spec.key_len {
            16 => build_aes::<Aes128>(spec.mode, key, iv, encrypt)?,
            24 => build_aes::<Aes192>(spec.mode, key, iv, encrypt)?,
            _ => build_aes::<Aes256>(spec.mode, key, iv, encrypt)?,
        };
        let ccm = if spec.mode == Mode::Ccm {
            Some(CcmState {
                block: CcmAes::new(key)?,
                nonce: iv.to_vec(),
                aad: Vec::new(),
                plaintext_len: None,
                step: CcmStep::Waiting,
            })
        } else {
            None
        };
        Ok(Self {
            core,
            spec,
            encrypt,
            padding: true,
            pending: Vec::new(),
            tag_len,
            tag: None,
            phase: Phase::Fresh,
            ccm,
        })
    }

    /// The cipher's description.
    pub fn spec(&self) -> &'static CipherSpec {
        self.spec
    }

    fn block_mode(&self) -> bool {
        matches!(self.spec.mode, Mode::Cbc | Mode::Ecb)
    }

    /// `setAutoPadding(auto)`.
    pub fn set_auto_padding(&mut self, padding: bool) -> Result<(), NodeError> {
        if self.phase == Phase::Finished {
            return Err(invalid_state("setAutoPadding"));
        }
        self.padding = padding;
        Ok(())
    }

    /// `setAAD(buffer, { plaintextLength })`: before any data, AEADs only.
    /// CCM needs `plaintext_len`; a second call replaces the first, as in OpenSSL.
    pub fn set_aad(&mut self, aad: &[u8], plaintext_len: Option<u64>) -> Result<(), NodeError> {
        if !self.spec.mode.is_aead() || self.phase != Phase::Fresh {
            return Err(invalid_state("setAAD"));
        }
        if let Some(ccm) = &mut self.ccm {
            let len = plaintext_len.ok_or_else(|| {
                NodeError::new(
                    "ERR_MISSING_ARGS",
                    "options.plaintextLength required for CCM mode with AAD",
                )
            })?;
            ccm.check_len(len)?;
            ccm.plaintext_len = Some(len);
            ccm.aad = aad.to_vec();
            return Ok(());
        }
        self.core.aad(aad);
        Ok(())
    }

    /// `setAuthTag(tag)` (decipher).
    pub fn set_auth_tag(&mut self, tag: &[u8], explicit_tag_len: bool) -> Result<(), NodeError> {
        if self.encrypt
            || !self.spec.mode.is_aead()
            || self.tag.is_some()
            || self.phase == Phase::Finished
        {
            return Err(invalid_state("setAuthTag"));
        }
        let ok = match self.spec.mode {
            Mode::Gcm => {
                valid_tag_len(Mode::Gcm, tag.len())
                    && (!explicit_tag_len || tag.len() == self.tag_len)
            }
            // ChaCha20-Poly1305's tag must have the length set at creation (16 by default).
            _ => tag.len() == self.tag_len,
        };
        if !ok {
            return Err(NodeError::new(
                "ERR_CRYPTO_INVALID_AUTH_TAG",
                format!("Invalid authentication tag length: {}", tag.len()),
            ));
        }
        self.tag = Some(tag.to_vec());
        Ok(())
    }

    /// `getAuthTag()` (cipher, after `final`).
    pub fn auth_tag(&self) -> Result<Vec<u8>, NodeError> {
        match (&self.tag, self.encrypt, self.phase) {
            (Some(t), true, Phase::Finished) => Ok(t.clone()),
            _ => Err(invalid_state("getAuthTag")),
        }
    }

    /// `update(data)`: the bytes ready so far.
    pub fn update(&mut self, data: &[u8]) -> Result<Vec<u8>, NodeError> {
        if self.phase == Phase::Finished {
            return Err(NodeError::new(
                "",
                "Trying to add data in unsupported state",
            ));
        }
        self.phase = Phase::Updating;
        if self.ccm.is_some() {
            return self.ccm_update(data);
        }
        if !self.block_mode() {
            let mut out = data.to_vec();
            self.core.apply(&mut out)?;
            return Ok(out);
        }
        let mut out = std::mem::take(&mut self.pending);
        out.extend_from_slice(data);
        let total = out.len();
        // Decrypting with padding holds back the last whole block for final().
        let mut ready = total - total % 16;
        if !self.encrypt && self.padding && ready == total && ready > 0 {
            ready -= 16;
        }
        self.pending = out.split_off(ready);
        self.core.apply(&mut out)?;
        Ok(out)
    }

    /// `final()`: the last bytes; checks padding or the tag.
    pub fn finalize(&mut self) -> Result<Vec<u8>, NodeError> {
        if self.phase == Phase::Finished {
            return Err(NodeError::new("ERR_CRYPTO_INVALID_STATE", "Invalid state"));
        }
        self.phase = Phase::Finished;
        if let Some(ccm) = &self.ccm {
            return match ccm.step {
                CcmStep::Done => Ok(Vec::new()),
                // Decrypting, Node only reports what update() found: without data there is nothing to check.
                CcmStep::Waiting if !self.encrypt => Ok(Vec::new()),
                CcmStep::Waiting | CcmStep::NoTag => Err(ossl(
                    "ERR_OSSL_TAG_NOT_SET",
                    "error:1C800077:Provider routines::tag not set",
                )),
                CcmStep::Refused | CcmStep::AuthFailed => Err(auth_failed()),
            };
        }
        if self.spec.mode.is_aead() {
            let full = self.core.tag();
            let tag = full.get(..self.tag_len).unwrap_or(&full);
            if self.encrypt {
                self.tag = Some(tag.to_vec());
                return Ok(Vec::new());
            }
            let ok = match &self.tag {
                Some(expected) => {
                    let n = expected.len().min(16);
                    bool::from(full[..n].ct_eq(expected))
                }
                None => false,
            };
            return if ok {
                Ok(Vec::new())
            } else {
                Err(auth_failed())
            };
        }
        if !self.block_mode() {
            return Ok(Vec::new());
        }
        let mut last = std::mem::take(&mut self.pending);
        if self.encrypt {
            if self.padding {
                let n = 16 - last.len() % 16;
                last.resize(last.len() + n, n as u8);
            } else if last.len() % 16 != 0 {
                return Err(wrong_final_block_length());
            }
            self.core.apply(&mut last)?;
            return Ok(last);
        }
        if !self.padding {
            if last.len() % 16 != 0 {
                return Err(wrong_final_block_length());
            }
            self.core.apply(&mut last)?;
            return Ok(last);
        }
        if last.len() != 16 {
            return Err(wrong_final_block_length());
        }
        self.core.apply(&mut last)?;
        let n = usize::from(last[15]);
        if n == 0 || n > 16 || !last[16 - n..].iter().all(|&b| usize::from(b) == n) {
            return Err(bad_decrypt());
        }
        last.truncate(16 - n);
        Ok(last)
    }
}

impl Cipher {
    /// CCM's update(): the whole message at once; only the first call carries data.
    fn ccm_update(&mut self, data: &[u8]) -> Result<Vec<u8>, NodeError> {
        let encrypt = self.encrypt;
        let tag_len = self.tag_len;
        let expected = self.tag.clone();
        let Some(ccm) = &mut self.ccm else {
            return Err(invalid_state("update"));
        };
        ccm.check_len(data.len() as u64)?;
        if ccm.step != CcmStep::Waiting {
            if encrypt {
                // OpenSSL refuses more data; an empty call changes nothing here.
                if data.is_empty() && ccm.step == CcmStep::Done {
                    return Ok(Vec::new());
                }
                if ccm.step == CcmStep::Done {
                    ccm.step = CcmStep::Refused;
                }
                return Err(ccm_unsupported_update());
            }
            ccm.step = CcmStep::AuthFailed;
            return Ok(Vec::new());
        }
        let length_ok = ccm.plaintext_len.is_none_or(|n| n == data.len() as u64);
        if encrypt {
            if !length_ok {
                ccm.step = CcmStep::NoTag;
                return Err(ccm_unsupported_update());
            }
            let mut out = data.to_vec();
            let tag = ccm.block.seal(&ccm.nonce, &ccm.aad, &mut out, tag_len)?;
            ccm.step = CcmStep::Done;
            self.tag = Some(tag);
            return Ok(out);
        }
        // Decrypt: Node reports a failure at final(); update() then gives no bytes.
        let Some(expected) = expected.filter(|_| length_ok) else {
            ccm.step = CcmStep::AuthFailed;
            return Ok(Vec::new());
        };
        let mut out = data.to_vec();
        if ccm.block.open(&ccm.nonce, &ccm.aad, &mut out, &expected)? {
            ccm.step = CcmStep::Done;
            Ok(out)
        } else {
            out.fill(0);
            ccm.step = CcmStep::AuthFailed;
            Ok(Vec::new())
        }
    }
}
