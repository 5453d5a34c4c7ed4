//! The state machines of Node's streams, sans-I/O.
//!
//! [`ReadableState`] is the buffer between a source and its consumer (Node's
//! `Readable`): chunks counted in bytes or as objects against a
//! `highWaterMark`, flowing or paused, `ended` (EOF pushed) and `endEmitted`,
//! and whether the source should be asked for more. [`WritableState`] is the
//! queue between `write()`/`end()` and a sink (Node's `Writable`): buffered
//! writes, one write in flight, `needDrain`, cork, `ending`/`finished`.
//! Both share the destroy/error/close life cycle of [`Lifecycle`].
//!
//! Whoever embeds them performs the I/O and the event delivery: they call the
//! input methods (`push`, `read`, `write`, `write_done` ...) and drain the
//! events the machine queued with `poll_event`, delivering each as Node would
//! on a later tick. Illegal transitions return Node's error (`ERR_STREAM_*`)
//! and move the machine to its errored/destroyed state; nothing here panics.
//!
//! The JavaScript streams in `wasm/js/internal/streams/` follow the same rules
//! in JS (see the note at the top of `wasm/js/stream.js`), and a shared
//! scripted scenario (`testdata/scenario.json`) is replayed by both.

mod lifecycle;
mod readable;
mod writable;

pub use lifecycle::Lifecycle;
pub use readable::{ReadableEvent, ReadableOptions, ReadableState};
pub use writable::{WritableEvent, WritableOptions, WritableState};

/// Node 20's default highWaterMark for byte streams (16 KiB).
pub const DEFAULT_HIGH_WATER_MARK: usize = 16 * 1024;
/// Node 20's default highWaterMark for objectMode streams (16 objects).
pub const DEFAULT_OBJECT_HIGH_WATER_MARK: usize = 16;

/// Node's default highWaterMark of a side (`getDefaultHighWaterMark`).
fn default_high_water_mark(object_mode: bool) -> usize {
    if object_mode {
        DEFAULT_OBJECT_HIGH_WATER_MARK
    } else {
        DEFAULT_HIGH_WATER_MARK
    }
}

/// What `chunk` counts for against a highWaterMark: 1 in objectMode, else its length.
fn counted_size<C: Chunk>(object_mode: bool, chunk: &C) -> usize {
    if object_mode {
        1
    } else {
        chunk.len()
    }
}

/// A chunk as the state machines see it: something with a length that can be
/// split and joined (bytes, strings). In objectMode every chunk counts as 1
/// and is never split or joined, so any type can implement these trivially.
pub trait Chunk: Sized {
    /// Length in bytes (or characters for decoded strings).
    fn len(&self) -> usize;
    /// Whether the chunk is empty (empty chunks are not buffered in byte mode).
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Splits off the first `n` units; `n` is at most `len()`.
    fn split_front(&mut self, n: usize) -> Self;
    /// Joins chunks in order into one.
    fn concat(parts: Vec<Self>) -> Self;
}

impl Chunk for Vec<u8> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn split_front(&mut self, n: usize) -> Self {
        let n = n.min(Vec::len(self));
        let rest = self.split_off(n);
        std::mem::replace(self, rest)
    }
    fn concat(parts: Vec<Self>) -> Self {
        parts.concat()
    }
}

impl Chunk for String {
    fn len(&self) -> usize {
        String::len(self)
    }
    fn split_front(&mut self, n: usize) -> Self {
        // Split on a char boundary at or before n, so the split never fails.
        let mut n = n.min(String::len(self));
        while n > 0 && !self.is_char_boundary(n) {
            n -= 1;
        }
        let rest = self.split_off(n);
        std::mem::replace(self, rest)
    }
    fn concat(parts: Vec<Self>) -> Self {
        parts.concat()
    }
}

#[cfg(test)]
mod tests;
