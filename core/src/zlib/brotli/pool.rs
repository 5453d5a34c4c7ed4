//! A recycling allocator for the brotli encoder.
//!
//! The `brotli` crate gets all its working memory through its `Allocator<T>`
//! trait, and its standard allocator builds every block with `vec![0; n]`:
//! each compression clears megabytes again (its output storage alone is
//! reallocated, and cleared, once per input block while a metablock grows:
//! about 1 GiB of clearing for a 16 MiB input at quality 5). The C library
//! allocates without clearing and clears only what its hashers need.
//!
//! [`PoolAlloc`] keeps the blocks the encoder frees (per element type, in a
//! per-thread pool bounded by [`MAX_POOLED_BYTES`]) and hands them back on the
//! next allocation without clearing them: memory is always initialised (safe
//! Rust, no `unsafe`), only stale. That is correct only because the encoder
//! never reads a block before writing it; the tests below check it by
//! compressing with every block filled with garbage and comparing the output
//! with the crate's standard allocator, byte for byte.

use ::brotli::enc::cluster::HistogramPair;
use ::brotli::enc::command::Command;
use ::brotli::enc::entropy_encode::HuffmanTree;
use ::brotli::enc::histogram::{
    ContextType, HistogramCommand, HistogramDistance, HistogramLiteral,
};
use ::brotli::enc::{
    floatX, s16, v8, Allocator, BrotliAlloc, SliceWrapper, SliceWrapperMut, StaticCommand,
    ZopfliNode, PDF,
};
use std::cell::{Cell, RefCell};
use std::thread::LocalKey;

/// The most memory the pools of one thread keep between compressions (a
/// 16 MiB quality-5 compression with Node's defaults leaves 44 MiB of blocks:
/// output storage, commands, ring buffer; a 2^24 window about twice that).
pub const MAX_POOLED_BYTES: usize = 96 << 20;
/// The most free blocks kept per element type (the encoder holds a few dozen
/// at a time; the pool is searched linearly).
const MAX_BLOCKS_PER_TYPE: usize = 32;

thread_local! {
    static POOLED_BYTES: Cell<usize> = const { Cell::new(0) };
    /// Test hook: when not zero, the seed of the garbage every block is
    /// filled with when handed out (fresh or recycled).
    #[cfg(test)]
    static POISON: Cell<u64> = const { Cell::new(0) };
}

/// One allocation: a vector that may be longer than the block it serves, so a
/// recycled vector keeps its length and is never cleared or shrunk.
pub struct Block<T> {
    buf: Vec<T>,
    len: usize,
}

impl<T> Default for Block<T> {
    fn default() -> Self {
        Self {
            buf: Vec::new(),
            len: 0,
        }
    }
}

impl<T> SliceWrapper<T> for Block<T> {
    fn slice(&self) -> &[T] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

impl<T> SliceWrapperMut<T> for Block<T> {
    fn slice_mut(&mut self) -> &mut [T] {
        match self.buf.get_mut(..self.len) {
            Some(s) => s,
            None => &mut [],
        }
    }
}

/// Free vectors of one element type.
pub struct Shelf<T> {
    free: Vec<Vec<T>>,
}

impl<T> Shelf<T> {
    const fn new() -> Self {
        Self { free: Vec::new() }
    }

    /// The free vector that best serves `len` elements: the shortest at least
    /// that long, else the longest (which the caller lengthens).
    fn take(&mut self, len: usize) -> Option<Vec<T>> {
        let mut best: Option<(usize, usize)> = None;
        let mut longest: Option<(usize, usize)> = None;
        for (i, v) in self.free.iter().enumerate() {
            let n = v.len();
            if n >= len && best.is_none_or(|(_, b)| n < b) {
                best = Some((i, n));
            }
            if longest.is_none_or(|(_, l)| n > l) {
                longest = Some((i, n));
            }
        }
        let (i, _) = best.or(longest)?;
        Some(self.free.swap_remove(i))
    }
}

/// An element type the encoder allocates: where its pool lives (`None`: not
/// pooled, every block is fresh) and, for the tests, a garbage value.
pub trait Slot: Clone + Default + 'static {
    /// This type's per-thread pool, if its blocks are recycled.
    fn shelf() -> Option<&'static LocalKey<RefCell<Shelf<Self>>>>;
    /// A value unlike the default, drawn from `rng`.
    fn garbage(rng: &mut u64) -> Self;
}

fn next(rng: &mut u64) -> u64 {
    // xorshift64: the tests need varied bytes, not quality.
    let mut x = *rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *rng = x;
    x
}

macro_rules! pooled {
    ($($ty:ty => |$rng:ident| $garbage:expr;)*) => {$(
        impl Slot for $ty {
            fn shelf() -> Option<&'static LocalKey<RefCell<Shelf<Self>>>> {
                thread_local! {
                    static SHELF: RefCell<Shelf<$ty>> = const { RefCell::new(Shelf::new()) };
                }
                Some(&SHELF)
            }
            #[allow(clippy::cast_possible_truncation)]
            fn garbage($rng: &mut u64) -> Self {
                $garbage
            }
        }
    )*};
}

macro_rules! fresh {
    ($($ty:ty),*) => {$(
        impl Slot for $ty {
            fn shelf() -> Option<&'static LocalKey<RefCell<Shelf<Self>>>> {
                None
            }
            fn garbage(_: &mut u64) -> Self {
                Self::default()
            }
        }
    )*};
}

pooled! {
    u8 => |rng| next(rng) as u8;
    i32 => |rng| next(rng) as i32;
    u64 => |rng| next(rng);
    floatX => |rng| (next(rng) % 100_000) as floatX / 7.0;
    Command => |rng| Command {
        insert_len_: next(rng) as u32,
        copy_len_: next(rng) as u32,
        dist_extra_: next(rng) as u32,
        cmd_prefix_: next(rng) as u16,
        dist_prefix_: next(rng) as u16,
    };
    HistogramPair => |rng| HistogramPair {
        idx1: next(rng) as u32,
        idx2: next(rng) as u32,
        cost_combo: 77.0,
        cost_diff: -3.5,
    };
    HuffmanTree => |rng| HuffmanTree {
        total_count_: next(rng) as u32,
        index_left_: next(rng) as i16,
        index_right_or_value_: next(rng) as i16,
    };
    ZopfliNode => |rng| ZopfliNode {
        length: next(rng) as u32,
        distance: next(rng) as u32,
        dcode_insert_length: next(rng) as u32,
        ..ZopfliNode::default()
    };
    ContextType => |rng| match next(rng) % 3 {
        0 => ContextType::CONTEXT_MSB6,
        1 => ContextType::CONTEXT_UTF8,
        _ => ContextType::CONTEXT_SIGNED,
    };
}

// The hash tables (u16 heads, u32 positions): the crate marks a new hasher
// as prepared, relying on zeroed memory where C clears it. Rare or tiny types
// (and opaque ones: no garbage can be built for them). All always fresh.
fresh!(
    u16,
    u32,
    HistogramLiteral,
    HistogramCommand,
    HistogramDistance,
    v8,
    s16,
    PDF,
    StaticCommand
);

/// The encoder's allocator: recycles freed blocks through the per-thread
/// pools instead of clearing new ones.
#[derive(Default, Clone, Copy, Debug)]
pub struct PoolAlloc;

impl<T: Slot> Allocator<T> for PoolAlloc {
    type AllocatedMemory = Block<T>;

    fn alloc_cell(&mut self, len: usize) -> Block<T> {
        if len == 0 {
            return Block::default();
        }
        let reused = T::shelf().and_then(|s| s.with(|s| s.borrow_mut().take(len)));
        let buf = match reused {
            Some(mut buf) => {
                let bytes = pooled_bytes::<T>(&buf);
                POOLED_BYTES.with(|p| p.set(p.get().saturating_sub(bytes)));
                if buf.len() < len {
                    // Only the new tail is written; the rest stays stale.
                    buf.resize(len, T::default());
                }
                buf
            }
            None => vec![T::default(); len],
        };
        #[cfg(test)]
        let buf = poison(buf, len);
        Block { buf, len }
    }

    fn free_cell(&mut self, block: Block<T>) {
        let Some(shelf) = T::shelf() else { return };
        let buf = block.buf;
        let bytes = pooled_bytes::<T>(&buf);
        if bytes == 0 {
            return;
        }
        let total = POOLED_BYTES.with(Cell::get);
        if total.saturating_add(bytes) > MAX_POOLED_BYTES {
            return;
        }
        shelf.with(|s| {
            let mut s = s.borrow_mut();
            if s.free.len() < MAX_BLOCKS_PER_TYPE {
                s.free.push(buf);
                POOLED_BYTES.with(|p| p.set(total.saturating_add(bytes)));
            }
        });
    }
}

impl BrotliAlloc for PoolAlloc {}

fn pooled_bytes<T>(buf: &Vec<T>) -> usize {
    buf.capacity().saturating_mul(core::mem::size_of::<T>())
}

/// The bytes the pools of this thread hold now.
pub fn pooled_total() -> usize {
    POOLED_BYTES.with(Cell::get)
}

#[cfg(test)]
fn poison<T: Slot>(mut buf: Vec<T>, len: usize) -> Vec<T> {
    let seed = POISON.with(Cell::get);
    if seed != 0 && T::shelf().is_some() {
        let mut rng = seed;
        for x in buf.iter_mut().take(len) {
            *x = T::garbage(&mut rng);
        }
        POISON.with(|p| p.set(next(&mut rng) | 1));
    }
    buf
}

/// Test hook: fill every block handed out on this thread with garbage drawn
/// from `seed` (0: off).
#[cfg(test)]
pub fn set_poison(seed: u64) {
    POISON.with(|p| p.set(seed));
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::brotli::enc::encode::{
        BrotliEncoderDestroyInstance, BrotliEncoderOperation, BrotliEncoderParameter,
        BrotliEncoderStateStruct,
    };
    use ::brotli::enc::StandardAlloc;
    use ::brotli::{interface, InputPair, InputReferenceMut};

    /// Compression settings and how the input is fed.
    #[derive(Clone, Debug)]
    struct Case {
        params: Vec<(BrotliEncoderParameter, u32)>,
        /// Input piece sizes, each followed by a flush when its flag is set.
        pieces: Vec<(usize, bool)>,
        out_room: usize,
    }

    fn compress<A: BrotliAlloc>(alloc: A, case: &Case, input: &[u8]) -> Vec<u8> {
        let mut enc = BrotliEncoderStateStruct::new(alloc);
        for &(p, v) in &case.params {
            assert!(enc.set_parameter(p, v));
        }
        let mut out = Vec::new();
        let mut room = vec![0u8; case.out_room];
        let mut pos = 0;
        let mut pieces = case.pieces.iter().copied().chain([(usize::MAX, false)]);
        loop {
            let (n, flush) = pieces.next().unwrap();
            let end = pos + n.min(input.len() - pos);
            let last = end == input.len();
            let op = if last {
                BrotliEncoderOperation::BROTLI_OPERATION_FINISH
            } else if flush {
                BrotliEncoderOperation::BROTLI_OPERATION_FLUSH
            } else {
                BrotliEncoderOperation::BROTLI_OPERATION_PROCESS
            };
            let chunk = &input[pos..end];
            let mut off = 0;
            loop {
                let (mut avail_in, mut avail_out, mut out_off) = (chunk.len() - off, room.len(), 0);
                let mut nop = |_: &mut interface::PredictionModeContextMap<InputReferenceMut>,
                               _: &mut [interface::StaticCommand],
                               _: InputPair,
                               _: &mut A| ();
                assert!(enc.compress_stream(
                    op,
                    &mut avail_in,
                    chunk,
                    &mut off,
                    &mut avail_out,
                    &mut room,
                    &mut out_off,
                    &mut None,
                    &mut nop,
                ));
                out.extend_from_slice(&room[..out_off]);
                let done = off == chunk.len() && !enc.has_more_output();
                let settled = match op {
                    BrotliEncoderOperation::BROTLI_OPERATION_FINISH => enc.is_finished(),
                    _ => done,
                };
                if settled && done {
                    break;
                }
            }
            pos = end;
            if last {
                break;
            }
        }
        BrotliEncoderDestroyInstance(&mut enc);
        out
    }

    fn text(rng: &mut u64, n: usize) -> Vec<u8> {
        const WORDS: &[&str] = &[
            "fn ", "let ", "mut ", "self", "return ", "match ", "{\n", "}\n", "    ", "impl ",
            "Vec<u8>", "the ", "brotli ", "window ", "(", ")", ";\n", "0x", "=> ", "é", "字",
        ];
        let mut v = Vec::with_capacity(n + 16);
        while v.len() < n {
            let w = WORDS[(next(rng) % WORDS.len() as u64) as usize];
            v.extend_from_slice(w.as_bytes());
            if next(rng) % 9 == 0 {
                v.extend_from_slice(format!("{}", next(rng) % 1000).as_bytes());
            }
        }
        v.truncate(n);
        v
    }

    fn input(rng: &mut u64) -> Vec<u8> {
        let n = match next(rng) % 6 {
            0 => (next(rng) % 64) as usize,
            1 | 2 => (next(rng) % 5000) as usize,
            3 | 4 => (next(rng) % 70_000) as usize,
            _ => 70_000 + (next(rng) % 200_000) as usize,
        };
        match next(rng) % 4 {
            0 => (0..n).map(|_| next(rng) as u8).collect(),
            1 => text(rng, n),
            2 => {
                // Long repeats at varied distances, some beyond small windows.
                let seed = text(rng, 3000);
                let mut v = Vec::with_capacity(n);
                while v.len() < n {
                    let at = (next(rng) % 2900) as usize;
                    let len = 1 + (next(rng) % 100) as usize;
                    v.extend_from_slice(&seed[at..(at + len).min(seed.len())]);
                    if next(rng) % 5 == 0 {
                        v.push(next(rng) as u8);
                    }
                }
                v.truncate(n);
                v
            }
            _ => {
                // Binary with runs.
                let mut v = Vec::with_capacity(n);
                while v.len() < n {
                    let b = next(rng) as u8;
                    let run = 1 + (next(rng) % 40) as usize;
                    v.extend(std::iter::repeat_n(b, run));
                }
                v.truncate(n);
                v
            }
        }
    }

    fn case(rng: &mut u64, len: usize, quality: u32) -> Case {
        use BrotliEncoderParameter::*;
        let lgwin = [10, 16, 18, 22, 24][(next(rng) % 5) as usize];
        let mut params = vec![
            (BROTLI_PARAM_QUALITY, quality),
            (BROTLI_PARAM_LGWIN, lgwin),
            (BROTLI_PARAM_MODE, (next(rng) % 3) as u32),
        ];
        match next(rng) % 4 {
            0 => params.push((BROTLI_PARAM_SIZE_HINT, len as u32)),
            1 => params.push((BROTLI_PARAM_SIZE_HINT, (1 << 22) + 1)),
            _ => {}
        }
        if next(rng) % 4 == 0 {
            params.push((BROTLI_PARAM_LGBLOCK, 16 + (next(rng) % 9) as u32));
        }
        if next(rng) % 6 == 0 {
            params.push((BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING, 1));
        }
        let mut pieces = Vec::new();
        if next(rng) % 2 == 0 {
            let mut left = len;
            while left > 0 {
                let n = 1 + (next(rng) % (1 + len as u64 / 3)) as usize;
                pieces.push((n, next(rng) % 3 == 0));
                left = left.saturating_sub(n);
            }
        }
        let out_room = [16, 1000, 1 << 16, len + 1024][(next(rng) % 4) as usize];
        Case {
            params,
            pieces,
            out_room,
        }
    }

    /// The output with blocks full of garbage, fresh and recycled, equals the
    /// output with the crate's zero-filled blocks, at every quality. More
    /// cases: `FERRODE_BROTLI_POOL_CASES=600` (and `FERRODE_BROTLI_POOL_SEED`).
    #[test]
    fn stale_blocks_never_change_the_output() {
        let cases: usize = std::env::var("FERRODE_BROTLI_POOL_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(48);
        let seed: u64 = std::env::var("FERRODE_BROTLI_POOL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x9e37_79b9_7f4a_7c15);
        let mut rng = seed | 1;
        for i in 0..cases {
            let quality = (i % 12) as u32;
            let mut data = input(&mut rng);
            if quality >= 10 {
                // Qualities 10 and 11 cost ~100x more per byte.
                data.truncate(12_000);
            }
            let c = case(&mut rng, data.len(), quality);
            let want = compress(StandardAlloc::default(), &c, &data);
            for round in 0..2 {
                set_poison(next(&mut rng) | 1);
                let got = compress(PoolAlloc, &c, &data);
                set_poison(0);
                assert!(
                    got == want,
                    "case {i} round {round}: {} input bytes, {c:?}",
                    data.len()
                );
            }
        }
    }

    #[test]
    fn pools_stay_bounded_and_recycle() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let c = Case {
            params: vec![(BrotliEncoderParameter::BROTLI_PARAM_QUALITY, 5)],
            pieces: vec![],
            out_room: 1 << 20,
        };
        let first = compress(PoolAlloc, &c, &data);
        let held = pooled_total();
        assert!(held > 0 && held <= MAX_POOLED_BYTES);
        assert_eq!(compress(PoolAlloc, &c, &data), first);
        assert!(pooled_total() <= MAX_POOLED_BYTES);
    }
}
