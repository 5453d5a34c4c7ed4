//! A 16-byte vector type with the few operations the encoders need.
//!
//! One algorithm, two backends (zlib-rs style): on wasm32 built with
//! `+simd128` each operation is one simd128 instruction; elsewhere the same
//! operations are emulated lane by lane. The encoders are written once
//! against this type, so native tests and fuzzing exercise exactly the
//! algorithm that runs in the browser.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;

    /// Sixteen bytes in a simd128 register.
    #[derive(Clone, Copy)]
    pub(crate) struct V(v128);

    impl V {
        #[inline(always)]
        pub(crate) fn load(src: &[u8; 16]) -> V {
            // SAFETY: `src` is a valid reference to 16 readable bytes, and
            // wasm loads have no alignment requirement.
            V(unsafe { v128_load(src.as_ptr().cast::<v128>()) })
        }
        #[inline(always)]
        pub(crate) fn store(self, dst: &mut [u8; 16]) {
            // SAFETY: `dst` is a valid, exclusive reference to 16 writable
            // bytes, and wasm stores have no alignment requirement.
            unsafe { v128_store(dst.as_mut_ptr().cast::<v128>(), self.0) }
        }
        #[inline(always)]
        pub(crate) fn splat(b: u8) -> V {
            V(u8x16_splat(b))
        }
        #[inline(always)]
        pub(crate) fn splat32(x: u32) -> V {
            V(u32x4_splat(x))
        }
        #[inline(always)]
        pub(crate) fn from_array(a: [u8; 16]) -> V {
            V::load(&a)
        }
        /// `table[idx[i]]`, or 0 where `idx[i] >= 16`.
        #[inline(always)]
        pub(crate) fn swizzle(self, idx: V) -> V {
            V(i8x16_swizzle(self.0, idx.0))
        }
        #[inline(always)]
        pub(crate) fn add(self, o: V) -> V {
            V(u8x16_add(self.0, o.0))
        }
        #[inline(always)]
        pub(crate) fn sub_sat(self, o: V) -> V {
            V(u8x16_sub_sat(self.0, o.0))
        }
        #[inline(always)]
        pub(crate) fn sub(self, o: V) -> V {
            V(u8x16_sub(self.0, o.0))
        }
        /// 0xff where `self > o` (signed bytes: one instruction on x64,
        /// where the unsigned compare takes three), else 0.
        #[inline(always)]
        pub(crate) fn gt_i8(self, o: V) -> V {
            V(i8x16_gt(self.0, o.0))
        }
        #[inline(always)]
        pub(crate) fn eq(self, o: V) -> V {
            V(u8x16_eq(self.0, o.0))
        }
        #[inline(always)]
        pub(crate) fn and(self, o: V) -> V {
            V(v128_and(self.0, o.0))
        }
        #[inline(always)]
        pub(crate) fn or(self, o: V) -> V {
            V(v128_or(self.0, o.0))
        }
        /// Every byte shifted right by 4.
        #[inline(always)]
        pub(crate) fn shr4_u8(self) -> V {
            V(u8x16_shr(self.0, 4))
        }
        /// Each little-endian u16 lane shifted left.
        #[inline(always)]
        pub(crate) fn shl16(self, n: u32) -> V {
            V(u16x8_shl(self.0, n))
        }
        /// Each little-endian u16 lane shifted right (logical).
        #[inline(always)]
        pub(crate) fn shr16(self, n: u32) -> V {
            V(u16x8_shr(self.0, n))
        }
        /// Each u16 lane multiplied by `o`'s, keeping the low 16 bits.
        #[inline(always)]
        pub(crate) fn mul16(self, o: V) -> V {
            V(i16x8_mul(self.0, o.0))
        }
        /// Each i32 lane = lo16 * o.lo16 + hi16 * o.hi16 (signed 16-bit lanes).
        #[inline(always)]
        pub(crate) fn dot16(self, o: V) -> V {
            V(i32x4_dot_i16x8(self.0, o.0))
        }
        /// Whether every byte is non-zero.
        #[inline(always)]
        pub(crate) fn all_set(self) -> bool {
            u8x16_all_true(self.0)
        }
        /// Whether any bit is set.
        #[inline(always)]
        pub(crate) fn any_set(self) -> bool {
            v128_any_true(self.0)
        }
        /// Bytes 0..8 of `self` and `o` interleaved: s0 o0 s1 o1 ...
        #[inline(always)]
        pub(crate) fn zip_lo(self, o: V) -> V {
            V(u8x16_shuffle::<
                0,
                16,
                1,
                17,
                2,
                18,
                3,
                19,
                4,
                20,
                5,
                21,
                6,
                22,
                7,
                23,
            >(self.0, o.0))
        }
        /// Bytes 8..16 of `self` and `o` interleaved.
        #[inline(always)]
        pub(crate) fn zip_hi(self, o: V) -> V {
            V(u8x16_shuffle::<
                8,
                24,
                9,
                25,
                10,
                26,
                11,
                27,
                12,
                28,
                13,
                29,
                14,
                30,
                15,
                31,
            >(self.0, o.0))
        }
        /// The low byte of each u16 lane of `self`, then of `o` (values < 256).
        #[inline(always)]
        pub(crate) fn narrow16(self, o: V) -> V {
            V(u8x16_narrow_i16x8(self.0, o.0))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    /// Sixteen bytes, operated on lane by lane.
    #[derive(Clone, Copy)]
    pub(crate) struct V([u8; 16]);

    fn map(a: [u8; 16], f: impl Fn(usize, u8) -> u8) -> V {
        let mut out = [0u8; 16];
        for (i, o) in out.iter_mut().enumerate() {
            *o = f(i, a[i]);
        }
        V(out)
    }

    fn lanes32(a: [u8; 16], f: impl Fn(u32) -> u32) -> V {
        let mut out = [0u8; 16];
        for (o, i) in out.chunks_exact_mut(4).zip(a.chunks_exact(4)) {
            let x = u32::from_le_bytes([i[0], i[1], i[2], i[3]]);
            o.copy_from_slice(&f(x).to_le_bytes());
        }
        V(out)
    }

    fn lanes16(a: [u8; 16], f: impl Fn(u16) -> u16) -> V {
        let mut out = [0u8; 16];
        for (o, i) in out.chunks_exact_mut(2).zip(a.chunks_exact(2)) {
            o.copy_from_slice(&f(u16::from_le_bytes([i[0], i[1]])).to_le_bytes());
        }
        V(out)
    }

    impl V {
        pub(crate) fn load(src: &[u8; 16]) -> V {
            V(*src)
        }
        pub(crate) fn store(self, dst: &mut [u8; 16]) {
            *dst = self.0;
        }
        pub(crate) fn splat(b: u8) -> V {
            V([b; 16])
        }
        pub(crate) fn splat32(x: u32) -> V {
            lanes32([0; 16], |_| x)
        }
        pub(crate) fn from_array(a: [u8; 16]) -> V {
            V(a)
        }
        pub(crate) fn swizzle(self, idx: V) -> V {
            map(idx.0, |_, i| {
                self.0.get(usize::from(i)).copied().unwrap_or(0)
            })
        }
        pub(crate) fn add(self, o: V) -> V {
            map(self.0, |i, x| x.wrapping_add(o.0[i]))
        }
        pub(crate) fn sub_sat(self, o: V) -> V {
            map(self.0, |i, x| x.saturating_sub(o.0[i]))
        }
        pub(crate) fn sub(self, o: V) -> V {
            map(self.0, |i, x| x.wrapping_sub(o.0[i]))
        }
        pub(crate) fn gt_i8(self, o: V) -> V {
            map(
                self.0,
                |i, x| if (x as i8) > (o.0[i] as i8) { 0xff } else { 0 },
            )
        }
        pub(crate) fn eq(self, o: V) -> V {
            map(self.0, |i, x| if x == o.0[i] { 0xff } else { 0 })
        }
        pub(crate) fn and(self, o: V) -> V {
            map(self.0, |i, x| x & o.0[i])
        }
        pub(crate) fn or(self, o: V) -> V {
            map(self.0, |i, x| x | o.0[i])
        }
        pub(crate) fn shr4_u8(self) -> V {
            map(self.0, |_, x| x >> 4)
        }
        pub(crate) fn shl16(self, n: u32) -> V {
            lanes16(self.0, |x| x << n)
        }
        pub(crate) fn shr16(self, n: u32) -> V {
            lanes16(self.0, |x| x >> n)
        }
        pub(crate) fn mul16(self, o: V) -> V {
            let mut out = [0u8; 16];
            for ((r, a), b) in out
                .chunks_exact_mut(2)
                .zip(self.0.chunks_exact(2))
                .zip(o.0.chunks_exact(2))
            {
                let x = u16::from_le_bytes([a[0], a[1]]);
                let y = u16::from_le_bytes([b[0], b[1]]);
                r.copy_from_slice(&x.wrapping_mul(y).to_le_bytes());
            }
            V(out)
        }
        pub(crate) fn dot16(self, o: V) -> V {
            let mut out = [0u8; 16];
            for ((r, a), b) in out
                .chunks_exact_mut(4)
                .zip(self.0.chunks_exact(4))
                .zip(o.0.chunks_exact(4))
            {
                let lane = |v: &[u8], k: usize| i32::from(i16::from_le_bytes([v[k], v[k + 1]]));
                let x = lane(a, 0)
                    .wrapping_mul(lane(b, 0))
                    .wrapping_add(lane(a, 2).wrapping_mul(lane(b, 2)));
                r.copy_from_slice(&x.to_le_bytes());
            }
            V(out)
        }
        pub(crate) fn all_set(self) -> bool {
            self.0.iter().all(|&x| x != 0)
        }
        pub(crate) fn any_set(self) -> bool {
            self.0.iter().any(|&x| x != 0)
        }
        pub(crate) fn zip_lo(self, o: V) -> V {
            map(self.0, |i, _| {
                if i % 2 == 0 {
                    self.0[i / 2]
                } else {
                    o.0[i / 2]
                }
            })
        }
        pub(crate) fn zip_hi(self, o: V) -> V {
            map(self.0, |i, _| {
                if i % 2 == 0 {
                    self.0[8 + i / 2]
                } else {
                    o.0[8 + i / 2]
                }
            })
        }
        pub(crate) fn narrow16(self, o: V) -> V {
            map(self.0, |i, _| {
                let src = if i < 8 { &self.0 } else { &o.0 };
                let j = (i % 8) * 2;
                let v = u16::from_le_bytes([src[j], src[j + 1]]);
                v.min(255) as u8
            })
        }
    }
}

pub(crate) use imp::V;

/// The first 16 bytes of `s` as an array reference, if there are 16.
#[inline(always)]
pub(crate) fn block(s: &[u8]) -> Option<&[u8; 16]> {
    s.get(..16).and_then(|b| b.try_into().ok())
}

/// The first 16 bytes of `s` as a mutable array reference, if there are 16.
#[inline(always)]
pub(crate) fn block_mut(s: &mut [u8]) -> Option<&mut [u8; 16]> {
    s.get_mut(..16).and_then(|b| b.try_into().ok())
}
