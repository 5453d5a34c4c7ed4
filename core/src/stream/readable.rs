//! The readable side: Node's `ReadableState` rules as an explicit machine.

use std::collections::VecDeque;

use super::lifecycle::Lifecycle;
use super::{counted_size, default_high_water_mark, Chunk};
use crate::NodeError;

/// Largest highWaterMark `read(n)` may grow to (1 GiB), as in Node.
pub const MAX_HIGH_WATER_MARK: usize = 0x4000_0000;

/// Options of a readable side (Node's constructor options of the same names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadableOptions {
    /// Count chunks as 1 each instead of by length.
    pub object_mode: bool,
    /// Buffer size (bytes, or objects) above which the source is not asked for more.
    pub high_water_mark: Option<usize>,
    /// Destroy once 'end' has been delivered.
    pub auto_destroy: bool,
    /// Deliver 'close' when destroyed.
    pub emit_close: bool,
}

impl Default for ReadableOptions {
    fn default() -> Self {
        Self {
            object_mode: false,
            high_water_mark: None,
            auto_destroy: true,
            emit_close: true,
        }
    }
}

/// What the embedder must deliver to the consumer, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadableEvent<C> {
    /// A chunk for 'data' listeners (flowing mode).
    Data(C),
    /// 'readable': data (or the end) can be read with `read()`.
    Readable,
    /// 'pause' (flowing switched off).
    Pause,
    /// 'resume' (flowing switched on).
    Resume,
    /// 'end': everything was consumed after EOF.
    End,
    /// 'error'.
    Error(NodeError),
    /// 'close'.
    Close,
}

/// The readable side of a stream: the buffer between a source (`push`) and a
/// consumer (`read`, or `Data` events in flowing mode).
#[derive(Debug, Clone)]
pub struct ReadableState<C> {
    object_mode: bool,
    high_water_mark: usize,
    auto_destroy: bool,
    emit_close: bool,
    buffer: VecDeque<C>,
    length: usize,
    flowing: Option<bool>,
    ended: bool,
    end_emitted: bool,
    reading: bool,
    need_readable: bool,
    emitted_readable: bool,
    life: Lifecycle,
    events: VecDeque<ReadableEvent<C>>,
}

impl<C: Chunk> ReadableState<C> {
    /// A fresh readable side with Node's defaults for the unset options.
    pub fn new(opts: ReadableOptions) -> Self {
        Self {
            object_mode: opts.object_mode,
            high_water_mark: opts
                .high_water_mark
                .unwrap_or_else(|| default_high_water_mark(opts.object_mode)),
            auto_destroy: opts.auto_destroy,
            emit_close: opts.emit_close,
            buffer: VecDeque::new(),
            length: 0,
            flowing: None,
            ended: false,
            end_emitted: false,
            reading: false,
            need_readable: false,
            emitted_readable: false,
            life: Lifecycle::default(),
            events: VecDeque::new(),
        }
    }

    fn size_of(&self, chunk: &C) -> usize {
        counted_size(self.object_mode, chunk)
    }

    /// Buffered length: bytes, or objects in objectMode.
    pub fn length(&self) -> usize {
        self.length
    }
    /// Number of chunks in the buffer.
    pub fn buffered_chunks(&self) -> usize {
        self.buffer.len()
    }
    /// Sum of the sizes of the buffered chunks (equals `length()`; for invariant checks).
    pub fn buffered_size(&self) -> usize {
        self.buffer.iter().map(|c| self.size_of(c)).sum()
    }
    /// The current highWaterMark (grows when `read(n)` asks for more).
    pub fn high_water_mark(&self) -> usize {
        self.high_water_mark
    }
    /// Node's `readableFlowing`: `None` before any consumer, then true/false.
    pub fn flowing(&self) -> Option<bool> {
        self.flowing
    }
    /// EOF was pushed.
    pub fn ended(&self) -> bool {
        self.ended
    }
    /// 'end' was queued (Node's `readableEnded`).
    pub fn end_emitted(&self) -> bool {
        self.end_emitted
    }
    /// The source was asked for data and has not pushed yet.
    pub fn reading(&self) -> bool {
        self.reading
    }
    /// Destroy/error/close state.
    pub fn lifecycle(&self) -> &Lifecycle {
        &self.life
    }

    /// Next event to deliver, if any. Taking a `Readable` counts as
    /// delivering it: as after Node's 'readable', the next push may ask again.
    pub fn poll_event(&mut self) -> Option<ReadableEvent<C>> {
        let ev = self.events.pop_front()?;
        if matches!(ev, ReadableEvent::Readable) {
            self.emitted_readable = false;
            self.need_readable =
                self.flowing != Some(true) && !self.ended && self.length <= self.high_water_mark;
        }
        Some(ev)
    }

    /// Whether the source should be asked for more now (Node calls `_read`).
    pub fn wants_read(&self) -> bool {
        !self.ended
            && !self.reading
            && !self.life.destroyed
            && self.life.errored.is_none()
            && (self.length < self.high_water_mark
                || (self.flowing == Some(true) && self.length == 0))
    }

    /// Marks a read request as sent to the source; returns the size to ask for.
    pub fn start_read(&mut self) -> Option<usize> {
        if !self.wants_read() {
            return None;
        }
        self.reading = true;
        if self.length == 0 {
            self.need_readable = true;
        }
        Some(self.high_water_mark)
    }

    /// Node's `push(chunk)`: buffers (or hands straight to a flowing consumer).
    /// Returns whether the source may push more (below the highWaterMark).
    /// Pushing after EOF is `ERR_STREAM_PUSH_AFTER_EOF` and errors the stream.
    pub fn push(&mut self, chunk: C) -> Result<bool, NodeError> {
        if self.ended {
            let err = NodeError::new("ERR_STREAM_PUSH_AFTER_EOF", "stream.push() after EOF");
            self.error(err.clone());
            return Err(err);
        }
        if self.life.destroyed || self.life.errored.is_some() {
            return Ok(false);
        }
        self.reading = false;
        let size = self.size_of(&chunk);
        if self.object_mode || size > 0 {
            if self.flowing == Some(true) && self.length == 0 {
                self.events.push_back(ReadableEvent::Data(chunk));
            } else {
                self.length = self.length.saturating_add(size);
                self.buffer.push_back(chunk);
                if self.need_readable {
                    self.emit_readable();
                }
                self.flow();
            }
        }
        Ok(self.length < self.high_water_mark || self.length == 0)
    }

    /// Node's `push(null)`: EOF. A second EOF is ignored.
    pub fn push_eof(&mut self) {
        if self.ended || self.life.destroyed {
            return;
        }
        self.reading = false;
        self.ended = true;
        if self.flowing == Some(true) {
            self.flow();
        } else {
            self.emit_readable();
        }
        self.maybe_end();
    }

    fn emit_readable(&mut self) {
        self.need_readable = false;
        if !self.emitted_readable && !self.life.destroyed && (self.length > 0 || self.ended) {
            self.emitted_readable = true;
            self.events.push_back(ReadableEvent::Readable);
        }
    }

    fn flow(&mut self) {
        while self.flowing == Some(true) && !self.life.destroyed {
            match self.buffer.pop_front() {
                Some(chunk) => {
                    let size = self.size_of(&chunk);
                    self.length = self.length.saturating_sub(size);
                    self.events.push_back(ReadableEvent::Data(chunk));
                }
                None => break,
            }
        }
        self.maybe_end();
    }

    fn maybe_end(&mut self) {
        if self.ended
            && self.length == 0
            && !self.end_emitted
            && self.life.errored.is_none()
            && !self.life.destroyed
            && self.flowing == Some(true)
        {
            self.end_emitted = true;
            self.events.push_back(ReadableEvent::End);
            if self.auto_destroy {
                self.destroy(None);
            }
        }
    }

    /// Node's `read(n)` in paused mode: `None` reads one chunk's worth (all
    /// buffered bytes, or one object). Returns `Ok(None)` when not enough is
    /// buffered yet. Asking for more than 1 GiB is `ERR_OUT_OF_RANGE`.
    pub fn read(&mut self, n: Option<usize>) -> Result<Option<C>, NodeError> {
        if let Some(n) = n {
            if n > self.high_water_mark {
                self.high_water_mark = grow_high_water_mark(n)?;
            }
        }
        self.emitted_readable = false;
        if self.life.destroyed {
            return Ok(None);
        }
        let want = match n {
            _ if self.length == 0 => 0,
            _ if self.object_mode => 1,
            None => self.length,
            Some(0) => 0,
            Some(n) if n <= self.length => n,
            Some(_) if self.ended => self.length,
            Some(_) => 0,
        };
        if want == 0 {
            if self.length == 0 && !self.ended {
                self.need_readable = true;
            }
            if self.ended && self.length == 0 && !self.end_emitted {
                self.end_now();
            }
            return Ok(None);
        }
        let chunk = self.take(want);
        if let Some(c) = &chunk {
            let size = self.size_of(c);
            self.length = self.length.saturating_sub(size);
        }
        if self.length == 0 {
            if self.ended {
                self.end_now();
            } else {
                self.need_readable = true;
            }
        }
        Ok(chunk)
    }

    fn end_now(&mut self) {
        if !self.end_emitted && self.life.errored.is_none() && !self.life.destroyed {
            self.end_emitted = true;
            self.events.push_back(ReadableEvent::End);
            if self.auto_destroy {
                self.destroy(None);
            }
        }
    }

    fn take(&mut self, want: usize) -> Option<C> {
        if self.object_mode {
            return self.buffer.pop_front();
        }
        let first_len = self.buffer.front().map(|c| c.len())?;
        if want < first_len {
            return self.buffer.front_mut().map(|c| c.split_front(want));
        }
        if want == first_len {
            return self.buffer.pop_front();
        }
        let mut parts = Vec::new();
        let mut need = want;
        while need > 0 {
            let Some(front) = self.buffer.front_mut() else {
                break;
            };
            let len = front.len();
            if len <= need {
                need -= len;
                if let Some(c) = self.buffer.pop_front() {
                    parts.push(c);
                }
            } else {
                parts.push(front.split_front(need));
                need = 0;
            }
        }
        Some(C::concat(parts))
    }

    /// Node's `resume()`: flowing on; buffered chunks become `Data` events
    /// (and after EOF, `End`).
    pub fn resume(&mut self) {
        if self.flowing != Some(true) {
            self.flowing = Some(true);
            // Nothing is delivered after 'close'.
            if !self.life.destroyed {
                self.events.push_back(ReadableEvent::Resume);
            }
        }
        self.flow();
    }

    /// A 'readable' listener was added: paused mode, and 'readable' is wanted
    /// as soon as there is data (or the end).
    pub fn on_readable(&mut self) {
        if self.end_emitted {
            return;
        }
        self.flowing = Some(false);
        self.need_readable = true;
        self.emitted_readable = false;
        if self.length > 0 || self.ended {
            self.emit_readable();
        }
    }

    /// Node's `pause()`: flowing off.
    pub fn pause(&mut self) {
        if self.flowing != Some(false) {
            self.flowing = Some(false);
            if !self.life.destroyed {
                self.events.push_back(ReadableEvent::Pause);
            }
        }
    }

    /// An error from the source: auto-destroys (or only records, without autoDestroy).
    pub fn error(&mut self, err: NodeError) {
        if self.life.destroyed {
            return;
        }
        if self.auto_destroy {
            self.destroy(Some(err));
        } else if let Some(e) = self.life.report(err) {
            self.events.push_back(ReadableEvent::Error(e));
        }
    }

    /// Node's `destroy([err])`: 'error' (if any) then 'close'; idempotent.
    pub fn destroy(&mut self, err: Option<NodeError>) {
        let teardown = self.life.destroy(err, self.emit_close);
        self.events
            .extend(teardown.events(ReadableEvent::Error, ReadableEvent::Close));
    }
}

/// Node's computeNewHighWaterMark: the next power of two, at most 1 GiB.
fn grow_high_water_mark(n: usize) -> Result<usize, NodeError> {
    if n > MAX_HIGH_WATER_MARK {
        return Err(NodeError::new(
            "ERR_OUT_OF_RANGE",
            format!(
                "The value of \"size\" is out of range. It must be <= 1GiB. Received {}",
                with_separators(n)
            ),
        ));
    }
    Ok(n.checked_next_power_of_two().unwrap_or(MAX_HIGH_WATER_MARK))
}

/// Node prints integers above 2**32 with `_` every three digits.
fn with_separators(n: usize) -> String {
    let s = n.to_string();
    if (n as u128) <= (1u128 << 32) {
        return s;
    }
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && (bytes.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(char::from(*b));
    }
    out
}
