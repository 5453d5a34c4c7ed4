//! Table-driven AES: CBC encryption (the one mode where every block waits for
//! the one before it), CBC decryption and the CTR keystream of CTR and GCM.
//!
//! Why this exists next to the `aes` crate: on wasm32 the `aes` crate runs its
//! constant-time fixsliced software backend, which gets its speed from
//! encrypting several blocks at once. CBC encryption cannot feed it more than
//! one block at a time, so it ran at about a quarter of @noble/ciphers' speed
//! (a T-table AES in JavaScript). This is the classic "T-table" formulation of
//! FIPS-197 (SubBytes, ShiftRows and MixColumns folded into four 256-entry
//! tables of 32-bit words), which is several times faster per block.
//!
//! Side channel, stated plainly: table lookups indexed by key-dependent state
//! are not constant-time. An attacker who shares the CPU cache with the process
//! (same machine, co-resident code that can time memory accesses) may recover
//! key bits from access timing. The `aes` crate avoids that and is still used
//! for every other mode and for decryption; this path trades that property for
//! speed in CBC encryption only, like OpenSSL's non-AES-NI fallback and most
//! JavaScript AES implementations do. The tables are computed from the
//! definition of the S-box at compile time, and the tests check this code
//! against the `aes` crate on random keys and blocks.

/// Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.
const fn xtime(b: u8) -> u8 {
    (b << 1) ^ (if b & 0x80 != 0 { 0x1b } else { 0 })
}

/// Multiplication in GF(2^8).
const fn gmul(mut a: u8, mut b: u8) -> u8 {
    let mut p = 0u8;
    while b != 0 {
        if b & 1 != 0 {
            p ^= a;
        }
        a = xtime(a);
        b >>= 1;
    }
    p
}

/// The AES S-box from its definition: the multiplicative inverse in GF(2^8)
/// followed by the affine map (FIPS-197 section 5.1.1).
const fn make_sbox() -> [u8; 256] {
    let mut sbox = [0u8; 256];
    let mut x = 0usize;
    while x < 256 {
        // The inverse as x^254 (0 maps to 0).
        let mut inv = 1u8;
        let mut k = 0;
        while k < 254 {
            inv = gmul(inv, x as u8);
            k += 1;
        }
        if x == 0 {
            inv = 0;
        }
        let s = inv
            ^ inv.rotate_left(1)
            ^ inv.rotate_left(2)
            ^ inv.rotate_left(3)
            ^ inv.rotate_left(4)
            ^ 0x63;
        sbox[x] = s;
        x += 1;
    }
    sbox
}

const SBOX: [u8; 256] = make_sbox();

/// T0[x] = the column (2·S[x], S[x], S[x], 3·S[x]); T1..T3 are its byte
/// rotations. Columns are little-endian words (row 0 in the low byte), so
/// loading and storing blocks needs no byte swaps on wasm32.
const fn make_table(rot: u32) -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut x = 0usize;
    while x < 256 {
        let s = SBOX[x];
        let w = u32::from_le_bytes([gmul(s, 2), s, s, gmul(s, 3)]);
        t[x] = w.rotate_left(8 * rot);
        x += 1;
    }
    t
}

static T0: [u32; 256] = make_table(0);
static T1: [u32; 256] = make_table(1);
static T2: [u32; 256] = make_table(2);
static T3: [u32; 256] = make_table(3);

const fn make_inv_sbox() -> [u8; 256] {
    let mut inv = [0u8; 256];
    let mut x = 0usize;
    while x < 256 {
        inv[SBOX[x] as usize] = x as u8;
        x += 1;
    }
    inv
}

const INV_SBOX: [u8; 256] = make_inv_sbox();

/// Td0[x] = the column (0e·Si[x], 09·Si[x], 0d·Si[x], 0b·Si[x]) (InvSubBytes and
/// InvMixColumns of one byte); Td1..Td3 are its byte rotations.
const fn make_inv_table(rot: u32) -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut x = 0usize;
    while x < 256 {
        let s = INV_SBOX[x];
        let w = u32::from_le_bytes([gmul(s, 0x0e), gmul(s, 0x09), gmul(s, 0x0d), gmul(s, 0x0b)]);
        t[x] = w.rotate_left(8 * rot);
        x += 1;
    }
    t
}

static TD0: [u32; 256] = make_inv_table(0);
static TD1: [u32; 256] = make_inv_table(1);
static TD2: [u32; 256] = make_inv_table(2);
static TD3: [u32; 256] = make_inv_table(3);

/// InvMixColumns of one column word (Td of S cancels the inverse S-box).
fn inv_mix_column(w: u32) -> u32 {
    let [a, b, c, d] = w.to_le_bytes();
    TD0[usize::from(SBOX[usize::from(a)])]
        ^ TD1[usize::from(SBOX[usize::from(b)])]
        ^ TD2[usize::from(SBOX[usize::from(c)])]
        ^ TD3[usize::from(SBOX[usize::from(d)])]
}

fn sub_word(w: u32) -> u32 {
    let [a, b, c, d] = w.to_le_bytes();
    u32::from_le_bytes([
        SBOX[usize::from(a)],
        SBOX[usize::from(b)],
        SBOX[usize::from(c)],
        SBOX[usize::from(d)],
    ])
}

/// An expanded AES encryption key (128, 192 or 256 bits).
#[derive(Clone)]
pub struct TableAes {
    /// Round keys, 4 words per round, rounds + 1 of them.
    rk: [u32; 60],
    rounds: usize,
}

impl std::fmt::Debug for TableAes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableAes")
            .field("rounds", &self.rounds)
            .finish_non_exhaustive()
    }
}

impl TableAes {
    /// Expands a 16-, 24- or 32-byte key (FIPS-197 section 5.2); `None` for other lengths.
    pub fn new(key: &[u8]) -> Option<Self> {
        let nk = match key.len() {
            16 => 4,
            24 => 6,
            32 => 8,
            _ => return None,
        };
        let rounds = nk + 6;
        let total = 4 * (rounds + 1);
        let mut rk = [0u32; 60];
        for (w, chunk) in rk.iter_mut().zip(key.chunks_exact(4)) {
            *w = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        let mut rcon = 1u8;
        for i in nk..total {
            let mut t = rk[i - 1];
            if i % nk == 0 {
                // RotWord moves the first byte (the low one here) to the end.
                t = sub_word(t.rotate_right(8)) ^ u32::from(rcon);
                rcon = xtime(rcon);
            } else if nk > 6 && i % nk == 4 {
                t = sub_word(t);
            }
            rk[i] = rk[i - nk] ^ t;
        }
        Some(Self { rk, rounds })
    }

    /// Encrypts one block held as four little-endian column words.
    #[inline]
    pub fn encrypt_words(&self, s: [u32; 4]) -> [u32; 4] {
        match self.rounds {
            10 => self.encrypt_rounds::<10>(s),
            12 => self.encrypt_rounds::<12>(s),
            _ => self.encrypt_rounds::<14>(s),
        }
    }

    /// The cipher for a round count known at compile time, so the round loop
    /// unrolls and every round-key index is a constant inside `rk`'s 60 words.
    #[inline(always)]
    fn encrypt_rounds<const R: usize>(&self, s: [u32; 4]) -> [u32; 4] {
        let rk = &self.rk;
        let [mut s0, mut s1, mut s2, mut s3] =
            [s[0] ^ rk[0], s[1] ^ rk[1], s[2] ^ rk[2], s[3] ^ rk[3]];
        let t = |a: u32, b: u32, c: u32, d: u32, k: u32| {
            T0[a as u8 as usize]
                ^ T1[(b >> 8) as u8 as usize]
                ^ T2[(c >> 16) as u8 as usize]
                ^ T3[(d >> 24) as usize]
                ^ k
        };
        let mut round = 1;
        while round < R {
            let r = 4 * round;
            let n0 = t(s0, s1, s2, s3, rk[r]);
            let n1 = t(s1, s2, s3, s0, rk[r + 1]);
            let n2 = t(s2, s3, s0, s1, rk[r + 2]);
            let n3 = t(s3, s0, s1, s2, rk[r + 3]);
            (s0, s1, s2, s3) = (n0, n1, n2, n3);
            round += 1;
        }
        let last = |a: u32, b: u32, c: u32, d: u32, k: u32| {
            u32::from_le_bytes([
                SBOX[a as u8 as usize],
                SBOX[(b >> 8) as u8 as usize],
                SBOX[(c >> 16) as u8 as usize],
                SBOX[(d >> 24) as usize],
            ]) ^ k
        };
        let r = 4 * R;
        [
            last(s0, s1, s2, s3, rk[r]),
            last(s1, s2, s3, s0, rk[r + 1]),
            last(s2, s3, s0, s1, rk[r + 2]),
            last(s3, s0, s1, s2, rk[r + 3]),
        ]
    }

    /// Encrypts one 16-byte block in place.
    pub fn encrypt_block(&self, block: &mut [u8; 16]) {
        let out = self.encrypt_words(load(block));
        store(block, out);
    }
}

fn load(b: &[u8; 16]) -> [u32; 4] {
    [
        u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        u32::from_le_bytes([b[4], b[5], b[6], b[7]]),
        u32::from_le_bytes([b[8], b[9], b[10], b[11]]),
        u32::from_le_bytes([b[12], b[13], b[14], b[15]]),
    ]
}

fn store(b: &mut [u8; 16], w: [u32; 4]) {
    for (dst, word) in b.chunks_exact_mut(4).zip(w) {
        dst.copy_from_slice(&word.to_le_bytes());
    }
}

/// CBC encryption with the table AES: the chaining value stays in registers.
#[derive(Clone, Debug)]
pub struct CbcTableEncryptor {
    aes: TableAes,
    chain: [u32; 4],
}

impl CbcTableEncryptor {
    /// A CBC encryptor for `key` (16, 24 or 32 bytes) and a 16-byte `iv`.
    pub fn new(key: &[u8], iv: &[u8]) -> Option<Self> {
        let iv: &[u8; 16] = iv.try_into().ok()?;
        Some(Self {
            aes: TableAes::new(key)?,
            chain: load(iv),
        })
    }

    /// Encrypts whole blocks in place; a trailing partial block is left untouched
    /// (callers only pass whole blocks).
    pub fn encrypt_blocks(&mut self, buf: &mut [u8]) {
        match self.aes.rounds {
            10 => self.encrypt_blocks_n::<10>(buf),
            12 => self.encrypt_blocks_n::<12>(buf),
            _ => self.encrypt_blocks_n::<14>(buf),
        }
    }

    fn encrypt_blocks_n<const R: usize>(&mut self, buf: &mut [u8]) {
        let mut chain = self.chain;
        for block in buf.chunks_exact_mut(16) {
            let Ok(block) = <&mut [u8; 16]>::try_from(block) else {
                continue;
            };
            let p = load(block);
            chain = self.aes.encrypt_rounds::<R>([
                p[0] ^ chain[0],
                p[1] ^ chain[1],
                p[2] ^ chain[2],
                p[3] ^ chain[3],
            ]);
            store(block, chain);
        }
        self.chain = chain;
    }
}

/// An expanded AES decryption key: the equivalent inverse cipher of FIPS-197
/// section 5.3.5 (round keys reversed, InvMixColumns applied to the middle ones).
#[derive(Clone)]
pub struct TableAesDec {
    dk: [u32; 60],
    rounds: usize,
}

impl std::fmt::Debug for TableAesDec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableAesDec")
            .field("rounds", &self.rounds)
            .finish_non_exhaustive()
    }
}

impl TableAesDec {
    /// Expands a 16-, 24- or 32-byte key; `None` for other lengths.
    pub fn new(key: &[u8]) -> Option<Self> {
        let enc = TableAes::new(key)?;
        let rounds = enc.rounds;
        let mut dk = [0u32; 60];
        for r in 0..=rounds {
            for j in 0..4 {
                let w = enc.rk[4 * (rounds - r) + j];
                dk[4 * r + j] = if r == 0 || r == rounds {
                    w
                } else {
                    inv_mix_column(w)
                };
            }
        }
        Some(Self { dk, rounds })
    }

    #[inline(always)]
    fn decrypt_rounds<const R: usize>(&self, s: [u32; 4]) -> [u32; 4] {
        let dk = &self.dk;
        let [mut s0, mut s1, mut s2, mut s3] =
            [s[0] ^ dk[0], s[1] ^ dk[1], s[2] ^ dk[2], s[3] ^ dk[3]];
        // Row i of output column j comes from column j - i (InvShiftRows).
        let t = |a: u32, b: u32, c: u32, d: u32, k: u32| {
            TD0[a as u8 as usize]
                ^ TD1[(b >> 8) as u8 as usize]
                ^ TD2[(c >> 16) as u8 as usize]
                ^ TD3[(d >> 24) as usize]
                ^ k
        };
        let mut round = 1;
        while round < R {
            let r = 4 * round;
            let n0 = t(s0, s3, s2, s1, dk[r]);
            let n1 = t(s1, s0, s3, s2, dk[r + 1]);
            let n2 = t(s2, s1, s0, s3, dk[r + 2]);
            let n3 = t(s3, s2, s1, s0, dk[r + 3]);
            (s0, s1, s2, s3) = (n0, n1, n2, n3);
            round += 1;
        }
        let last = |a: u32, b: u32, c: u32, d: u32, k: u32| {
            u32::from_le_bytes([
                INV_SBOX[a as u8 as usize],
                INV_SBOX[(b >> 8) as u8 as usize],
                INV_SBOX[(c >> 16) as u8 as usize],
                INV_SBOX[(d >> 24) as usize],
            ]) ^ k
        };
        let r = 4 * R;
        [
            last(s0, s3, s2, s1, dk[r]),
            last(s1, s0, s3, s2, dk[r + 1]),
            last(s2, s1, s0, s3, dk[r + 2]),
            last(s3, s2, s1, s0, dk[r + 3]),
        ]
    }

    /// Decrypts one 16-byte block in place.
    pub fn decrypt_block(&self, block: &mut [u8; 16]) {
        let out = match self.rounds {
            10 => self.decrypt_rounds::<10>(load(block)),
            12 => self.decrypt_rounds::<12>(load(block)),
            _ => self.decrypt_rounds::<14>(load(block)),
        };
        store(block, out);
    }
}

/// CBC decryption with the table AES.
#[derive(Clone, Debug)]
pub struct CbcTableDecryptor {
    aes: TableAesDec,
    chain: [u32; 4],
}

impl CbcTableDecryptor {
    /// A CBC decryptor for `key` (16, 24 or 32 bytes) and a 16-byte `iv`.
    pub fn new(key: &[u8], iv: &[u8]) -> Option<Self> {
        let iv: &[u8; 16] = iv.try_into().ok()?;
        Some(Self {
            aes: TableAesDec::new(key)?,
            chain: load(iv),
        })
    }

    /// Decrypts whole blocks in place (callers only pass whole blocks).
    pub fn decrypt_blocks(&mut self, buf: &mut [u8]) {
        match self.aes.rounds {
            10 => self.decrypt_blocks_n::<10>(buf),
            12 => self.decrypt_blocks_n::<12>(buf),
            _ => self.decrypt_blocks_n::<14>(buf),
        }
    }

    fn decrypt_blocks_n<const R: usize>(&mut self, buf: &mut [u8]) {
        let mut chain = self.chain;
        for block in buf.chunks_exact_mut(16) {
            let Ok(block) = <&mut [u8; 16]>::try_from(block) else {
                continue;
            };
            let c = load(block);
            let p = self.aes.decrypt_rounds::<R>(c);
            store(
                block,
                [
                    p[0] ^ chain[0],
                    p[1] ^ chain[1],
                    p[2] ^ chain[2],
                    p[3] ^ chain[3],
                ],
            );
            chain = c;
        }
        self.chain = chain;
    }
}

/// How a CTR counter block advances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CounterWidth {
    /// The whole block is one 128-bit big-endian counter (OpenSSL's CTR mode; wraps).
    Full128,
    /// Only the last 32 bits count (GCM's inc32); the keystream ends before the counter comes back round.
    Low32,
}

/// CTR keystream on the table AES (for GCM and CTR mode: the `aes` crate's
/// constant-time backend is several times slower on wasm32, see the module doc).
#[derive(Clone, Debug)]
pub struct CtrTable {
    aes: TableAes,
    counter: u128,
    width: CounterWidth,
    /// Blocks left before a 32-bit counter would repeat (`Low32` only).
    blocks_left: u64,
    ks: [u8; 16],
    /// Bytes of `ks` already used (16: none left).
    used: usize,
}

impl CtrTable {
    /// A keystream for `key` starting at counter block `iv` (16 bytes).
    pub fn new(key: &[u8], iv: &[u8], width: CounterWidth) -> Option<Self> {
        let iv: [u8; 16] = iv.try_into().ok()?;
        Some(Self {
            aes: TableAes::new(key)?,
            counter: u128::from_be_bytes(iv),
            width,
            blocks_left: 1 << 32,
            ks: [0; 16],
            used: 16,
        })
    }

    /// The next keystream block as little-endian words.
    #[inline]
    fn next_block<const R: usize>(&mut self) -> [u32; 4] {
        let block = self.counter.to_be_bytes();
        self.counter = match self.width {
            CounterWidth::Full128 => self.counter.wrapping_add(1),
            CounterWidth::Low32 => {
                let low = (self.counter as u32).wrapping_add(1);
                (self.counter & !0xffff_ffffu128) | u128::from(low)
            }
        };
        self.aes.encrypt_rounds::<R>(load(&block))
    }

    /// New keystream blocks that `len` more bytes need.
    fn blocks_for(&self, len: usize) -> u64 {
        (len.saturating_sub(16 - self.used) as u64).div_ceil(16)
    }

    /// Whether `len` more bytes of keystream exist (a 32-bit counter has 2^32 blocks).
    pub fn can_apply(&self, len: usize) -> bool {
        self.width == CounterWidth::Full128 || self.blocks_for(len) <= self.blocks_left
    }

    /// XORs the keystream into `buf`; false (and `buf` untouched) when a 32-bit
    /// counter would run past its 2^32 blocks.
    pub fn apply_keystream(&mut self, buf: &mut [u8]) -> bool {
        if !self.can_apply(buf.len()) {
            return false;
        }
        if self.width == CounterWidth::Low32 {
            self.blocks_left -= self.blocks_for(buf.len());
        }
        match self.aes.rounds {
            10 => self.apply_n::<10>(buf),
            12 => self.apply_n::<12>(buf),
            _ => self.apply_n::<14>(buf),
        }
        true
    }

    fn apply_n<const R: usize>(&mut self, buf: &mut [u8]) {
        // Leftover keystream from the last call first.
        let take = (16 - self.used).min(buf.len());
        let (head, rest) = buf.split_at_mut(take);
        for (b, k) in head.iter_mut().zip(self.ks.iter().skip(self.used)) {
            *b ^= k;
        }
        self.used += take;
        let mut chunks = rest.chunks_exact_mut(16);
        for chunk in &mut chunks {
            let Ok(block) = <&mut [u8; 16]>::try_from(chunk) else {
                continue;
            };
            let k = self.next_block::<R>();
            let p = load(block);
            store(block, [p[0] ^ k[0], p[1] ^ k[1], p[2] ^ k[2], p[3] ^ k[3]]);
        }
        let tail = chunks.into_remainder();
        if !tail.is_empty() {
            let k = self.next_block::<R>();
            store(&mut self.ks, k);
            for (b, k) in tail.iter_mut().zip(self.ks.iter()) {
                *b ^= k;
            }
            self.used = tail.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::cipher::{Array, BlockCipherEncrypt, BlockModeEncrypt, KeyInit, KeyIvInit};

    struct Rng(u64);
    impl Rng {
        fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n)
                .map(|_| {
                    self.0 ^= self.0 << 13;
                    self.0 ^= self.0 >> 7;
                    self.0 ^= self.0 << 17;
                    self.0 as u8
                })
                .collect()
        }
    }

    #[test]
    fn sbox_matches_fips_197_spot_values() {
        // FIPS-197 figure 7: S(00) = 63, S(53) = ed, S(ff) = 16.
        assert_eq!((SBOX[0x00], SBOX[0x53], SBOX[0xff]), (0x63, 0xed, 0x16));
    }

    #[test]
    fn fips_197_appendix_c_vectors() {
        let pt: [u8; 16] = core::array::from_fn(|i| (i as u8) * 0x11);
        let key: Vec<u8> = (0u8..32).collect();
        let want = [
            "69c4e0d86a7b0430d8cdb78070b4c55a",
            "dda97ca4864cdfe06eaf70a0ec0d7191",
            "8ea2b7ca516745bfeafc49904b496089",
        ];
        for (klen, want) in [16, 24, 32].into_iter().zip(want) {
            let mut b = pt;
            TableAes::new(&key[..klen]).unwrap().encrypt_block(&mut b);
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            assert_eq!(hex, want, "AES-{}", klen * 8);
        }
    }

    #[test]
    fn agrees_with_the_aes_crate_on_random_keys_and_blocks() {
        let mut rng = Rng(0x5eed);
        for round in 0..300 {
            for klen in [16, 24, 32] {
                let key = rng.bytes(klen);
                let block: [u8; 16] = rng.bytes(16).try_into().unwrap();
                let mut ours = block;
                TableAes::new(&key).unwrap().encrypt_block(&mut ours);
                let mut theirs = Array(block);
                match klen {
                    16 => aes::Aes128::new_from_slice(&key)
                        .unwrap()
                        .encrypt_block(&mut theirs),
                    24 => aes::Aes192::new_from_slice(&key)
                        .unwrap()
                        .encrypt_block(&mut theirs),
                    _ => aes::Aes256::new_from_slice(&key)
                        .unwrap()
                        .encrypt_block(&mut theirs),
                }
                assert_eq!(ours, theirs.0, "round {round} AES-{}", klen * 8);
            }
        }
    }

    #[test]
    fn ctr_agrees_with_the_ctr_crate_across_chunkings() {
        use aes::cipher::StreamCipher;
        let mut rng = Rng(99);
        for klen in [16, 24, 32] {
            for width in [CounterWidth::Full128, CounterWidth::Low32] {
                let key = rng.bytes(klen);
                let mut iv = rng.bytes(16);
                // Start near the wrap to check how each width carries.
                iv[12..].copy_from_slice(&[0xff, 0xff, 0xff, 0xfd]);
                let data = rng.bytes(300);
                let mut ours = data.clone();
                let mut ctr = CtrTable::new(&key, &iv, width).unwrap();
                let mut at = 0;
                for step in [0, 1, 15, 16, 17, 3, 100, 148] {
                    let end = (at + step).min(ours.len());
                    assert!(ctr.apply_keystream(&mut ours[at..end]));
                    at = end;
                }
                let mut theirs = data.clone();
                macro_rules! reference {
                    ($aes:ty) => {
                        match width {
                            CounterWidth::Full128 => {
                                ctr::Ctr128BE::<$aes>::new_from_slices(&key, &iv)
                                    .unwrap()
                                    .apply_keystream(&mut theirs)
                            }
                            CounterWidth::Low32 => ctr::Ctr32BE::<$aes>::new_from_slices(&key, &iv)
                                .unwrap()
                                .apply_keystream(&mut theirs),
                        }
                    };
                }
                match klen {
                    16 => reference!(aes::Aes128),
                    24 => reference!(aes::Aes192),
                    _ => reference!(aes::Aes256),
                }
                assert_eq!(ours, theirs, "AES-{} {width:?}", klen * 8);
            }
        }
        // A 32-bit counter gives 2^32 blocks, then refuses.
        let mut ctr = CtrTable::new(&[0; 16], &[0; 16], CounterWidth::Low32).unwrap();
        ctr.blocks_left = 2;
        assert!(ctr.apply_keystream(&mut [0u8; 20]));
        assert!(!ctr.apply_keystream(&mut [0u8; 13]));
        assert!(ctr.apply_keystream(&mut [0u8; 12]));
    }

    #[test]
    fn decryption_inverts_encryption_and_agrees_with_the_aes_crate() {
        use aes::cipher::BlockCipherDecrypt;
        let mut rng = Rng(0xdec);
        for round in 0..300 {
            for klen in [16, 24, 32] {
                let key = rng.bytes(klen);
                let block: [u8; 16] = rng.bytes(16).try_into().unwrap();
                let mut ours = block;
                TableAesDec::new(&key).unwrap().decrypt_block(&mut ours);
                let mut theirs = Array(block);
                match klen {
                    16 => aes::Aes128::new_from_slice(&key)
                        .unwrap()
                        .decrypt_block(&mut theirs),
                    24 => aes::Aes192::new_from_slice(&key)
                        .unwrap()
                        .decrypt_block(&mut theirs),
                    _ => aes::Aes256::new_from_slice(&key)
                        .unwrap()
                        .decrypt_block(&mut theirs),
                }
                assert_eq!(ours, theirs.0, "round {round} AES-{}", klen * 8);
                TableAes::new(&key).unwrap().encrypt_block(&mut ours);
                assert_eq!(ours, block);
            }
        }
        let mut rng = Rng(5);
        for klen in [16, 24, 32] {
            let key = rng.bytes(klen);
            let iv = rng.bytes(16);
            let data = rng.bytes(16 * 9);
            let mut buf = data.clone();
            CbcTableEncryptor::new(&key, &iv)
                .unwrap()
                .encrypt_blocks(&mut buf);
            let mut dec = CbcTableDecryptor::new(&key, &iv).unwrap();
            let (a, b) = buf.split_at_mut(16 * 4);
            dec.decrypt_blocks(a);
            dec.decrypt_blocks(b);
            assert_eq!(buf, data);
        }
    }

    #[test]
    fn cbc_agrees_with_the_cbc_crate() {
        let mut rng = Rng(77);
        for klen in [16, 24, 32] {
            for blocks in [0, 1, 2, 7, 64] {
                let key = rng.bytes(klen);
                let iv = rng.bytes(16);
                let data = rng.bytes(16 * blocks);
                let mut ours = data.clone();
                let mut enc = CbcTableEncryptor::new(&key, &iv).unwrap();
                // In two calls, to check the chaining value carries over.
                let (a, b) = ours.split_at_mut(16 * (blocks / 2));
                enc.encrypt_blocks(a);
                enc.encrypt_blocks(b);
                let mut theirs = data.clone();
                let (chunks, _) = Array::slice_as_chunks_mut(&mut theirs);
                match klen {
                    16 => cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &iv)
                        .unwrap()
                        .encrypt_blocks(chunks),
                    24 => cbc::Encryptor::<aes::Aes192>::new_from_slices(&key, &iv)
                        .unwrap()
                        .encrypt_blocks(chunks),
                    _ => cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &iv)
                        .unwrap()
                        .encrypt_blocks(chunks),
                }
                assert_eq!(ours, theirs, "AES-{} {blocks} blocks", klen * 8);
            }
        }
        assert!(TableAes::new(&[0; 20]).is_none());
        assert!(CbcTableEncryptor::new(&[0; 16], &[0; 15]).is_none());
    }
}
