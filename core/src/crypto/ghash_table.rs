//! GHASH (NIST SP 800-38D) with Shoup's 8-bit tables, for AES-GCM.
//!
//! Why: wasm32 has no carry-less multiply, and the `ghash`/`polyval` crates'
//! constant-time software multiply held AES-GCM below @noble/ciphers' speed
//! once the AES part got faster (see `aes_table`). This is the classic
//! table-driven method of Shoup (256 multiples of H, one lookup per input
//! byte and a 256-entry reduction table).
//!
//! Side channel, stated plainly: the lookups are indexed by the running hash
//! value, so like the table AES they are not constant-time with respect to
//! cache timing. The tests check this code against the `ghash` crate.

/// One GF(2^128) element in GCM's bit order: `hi` holds the first 8 bytes
/// (big-endian), `lo` the last 8.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct U128 {
    hi: u64,
    lo: u64,
}

impl U128 {
    fn from_bytes(b: &[u8; 16]) -> Self {
        let mut hi = [0u8; 8];
        let mut lo = [0u8; 8];
        hi.copy_from_slice(&b[..8]);
        lo.copy_from_slice(&b[8..]);
        Self {
            hi: u64::from_be_bytes(hi),
            lo: u64::from_be_bytes(lo),
        }
    }

    fn to_bytes(self) -> [u8; 16] {
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&self.hi.to_be_bytes());
        out[8..].copy_from_slice(&self.lo.to_be_bytes());
        out
    }

    fn xor(self, o: Self) -> Self {
        Self {
            hi: self.hi ^ o.hi,
            lo: self.lo ^ o.lo,
        }
    }

    /// Multiplication by x: a right shift in GCM's reflected bit order, reduced
    /// by R = 0xe1 || 0^120.
    fn mul_x(self) -> Self {
        let carry = 0u64.wrapping_sub(self.lo & 1) & (0xe1u64 << 56);
        Self {
            hi: (self.hi >> 1) ^ carry,
            lo: (self.hi << 63) | (self.lo >> 1),
        }
    }
}

/// What shifting out a byte costs after eight shifts: bit j of the byte left
/// at step j + 1 and was reduced by R, then shifted 7 - j more times.
const fn make_rem8() -> [u64; 256] {
    let mut t = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut v = 0u64;
        let mut j = 0;
        while j < 8 {
            if i & (1 << j) != 0 {
                v ^= 0xe100u64 >> (7 - j);
            }
            j += 1;
        }
        t[i] = v << 48;
        i += 1;
    }
    t
}

const REM8: [u64; 256] = make_rem8();

/// A running GHASH with its key's table.
#[derive(Clone)]
pub struct GhashTable {
    /// table[n] = H times the byte n read in GCM's bit order (table[0x80] = H).
    table: [U128; 256],
    acc: U128,
    pending: [u8; 16],
    pending_len: usize,
}

impl std::fmt::Debug for GhashTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GhashTable").finish_non_exhaustive()
    }
}

impl GhashTable {
    /// A GHASH keyed by the hash subkey H = E(K, 0^128).
    pub fn new(h: &[u8; 16]) -> Self {
        let mut table = [U128::default(); 256];
        let mut v = U128::from_bytes(h);
        let mut bit = 0x80usize;
        while bit > 0 {
            table[bit] = v;
            v = v.mul_x();
            bit >>= 1;
        }
        for n in 1..256usize {
            let high = 1usize << (31 - (n as u32).leading_zeros());
            if n != high {
                table[n] = table[high].xor(table[n ^ high]);
            }
        }
        Self {
            table,
            acc: U128::default(),
            pending: [0; 16],
            pending_len: 0,
        }
    }

    /// acc = (acc ^ block) · H.
    #[inline]
    fn mul_block(&mut self, block: &[u8; 16]) {
        let x = U128::from_bytes(block).xor(self.acc).to_bytes();
        let t = &self.table;
        // Bytes from the last to the first: multiply by x^8 (shift and reduce), add the next.
        let mut z = t[usize::from(x[15])];
        for &byte in x[..15].iter().rev() {
            let rem = (z.lo & 0xff) as usize;
            z.lo = (z.hi << 56) | (z.lo >> 8);
            z.hi = (z.hi >> 8) ^ REM8[rem];
            let e = t[usize::from(byte)];
            z.hi ^= e.hi;
            z.lo ^= e.lo;
        }
        self.acc = z;
    }

    /// Feeds bytes of one section (AAD or ciphertext); call `pad` between sections.
    pub fn absorb(&mut self, mut data: &[u8]) {
        if self.pending_len > 0 {
            let take = (16 - self.pending_len).min(data.len());
            let (head, rest) = data.split_at(take);
            if let Some(dst) = self
                .pending
                .get_mut(self.pending_len..self.pending_len + take)
            {
                dst.copy_from_slice(head);
            }
            self.pending_len += take;
            data = rest;
            if self.pending_len < 16 {
                return;
            }
            let block = self.pending;
            self.mul_block(&block);
            self.pending_len = 0;
        }
        let mut chunks = data.chunks_exact(16);
        for chunk in &mut chunks {
            if let Ok(block) = <&[u8; 16]>::try_from(chunk) {
                self.mul_block(block);
            }
        }
        let rest = chunks.remainder();
        if let Some(dst) = self.pending.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.pending_len = rest.len();
    }

    /// Ends a section: a partial block is zero-padded and hashed.
    pub fn pad(&mut self) {
        if self.pending_len > 0 {
            let mut block = [0u8; 16];
            if let (Some(dst), Some(src)) = (
                block.get_mut(..self.pending_len),
                self.pending.get(..self.pending_len),
            ) {
                dst.copy_from_slice(src);
            }
            self.mul_block(&block);
            self.pending_len = 0;
        }
    }

    /// Hashes a whole block (the lengths block) after `pad`, and returns the value.
    pub fn finish_with(&mut self, block: &[u8; 16]) -> [u8; 16] {
        self.pad();
        self.mul_block(block);
        self.acc.to_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ghash::universal_hash::UniversalHash;

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| self.next() as u8).collect()
        }
    }

    #[test]
    fn agrees_with_the_ghash_crate_on_random_keys_sections_and_chunkings() {
        let mut rng = Rng(0x6ac);
        for round in 0..300 {
            let h: [u8; 16] = rng.bytes(16).try_into().unwrap();
            let aad_len = (rng.next() % 70) as usize;
            let aad = rng.bytes(aad_len);
            let ct_len = (rng.next() % 300) as usize;
            let ct = rng.bytes(ct_len);
            let lens: [u8; 16] = rng.bytes(16).try_into().unwrap();

            let mut reference = ghash::GHash::new(&h.into());
            reference.update_padded(&aad);
            reference.update_padded(&ct);
            reference.update(&[lens.into()]);
            let want: [u8; 16] = reference.finalize().into();

            let mut ours = GhashTable::new(&h);
            let mut at = 0;
            while at < aad.len() {
                let n = 1 + (rng.next() % 20) as usize;
                let end = (at + n).min(aad.len());
                ours.absorb(&aad[at..end]);
                at = end;
            }
            ours.pad();
            let mut at = 0;
            while at < ct.len() {
                let n = 1 + (rng.next() % 40) as usize;
                let end = (at + n).min(ct.len());
                ours.absorb(&ct[at..end]);
                at = end;
            }
            assert_eq!(ours.finish_with(&lens), want, "round {round}");
        }
    }
}
