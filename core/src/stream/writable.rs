//! The writable side: Node's `WritableState` rules as an explicit machine.

use std::collections::VecDeque;

use super::lifecycle::Lifecycle;
use super::{counted_size, default_high_water_mark, Chunk};
use crate::NodeError;

/// Options of a writable side (Node's constructor options of the same names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WritableOptions {
    /// Count chunks as 1 each instead of by length.
    pub object_mode: bool,
    /// Queued size at which `write()` starts returning false.
    pub high_water_mark: Option<usize>,
    /// Destroy once 'finish' has been delivered.
    pub auto_destroy: bool,
    /// Deliver 'close' when destroyed.
    pub emit_close: bool,
    /// The sink has a `_final` step that must complete before 'finish'.
    pub has_final: bool,
}

impl Default for WritableOptions {
    fn default() -> Self {
        Self {
            object_mode: false,
            high_water_mark: None,
            auto_destroy: true,
            emit_close: true,
            has_final: false,
        }
    }
}

/// What the embedder must deliver or do, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WritableEvent {
    /// 'drain': the queue emptied after `write()` returned false.
    Drain,
    /// Run the sink's `_final`, then call `final_done`.
    Final,
    /// 'prefinish'.
    Prefinish,
    /// 'finish': everything was written after `end()`.
    Finish,
    /// 'error'.
    Error(NodeError),
    /// 'close'.
    Close,
}

/// The writable side of a stream: writes queue here and go to the sink one at a time.
#[derive(Debug, Clone)]
pub struct WritableState<C> {
    object_mode: bool,
    high_water_mark: usize,
    auto_destroy: bool,
    emit_close: bool,
    has_final: bool,
    buffered: VecDeque<C>,
    length: usize,
    writing: Option<usize>,
    corked: u32,
    need_drain: bool,
    ending: bool,
    ended: bool,
    final_called: bool,
    prefinished: bool,
    finished: bool,
    life: Lifecycle,
    events: VecDeque<WritableEvent>,
}

impl<C: Chunk> WritableState<C> {
    /// A fresh writable side with Node's defaults for the unset options.
    pub fn new(opts: WritableOptions) -> Self {
        Self {
            object_mode: opts.object_mode,
            high_water_mark: opts
                .high_water_mark
                .unwrap_or_else(|| default_high_water_mark(opts.object_mode)),
            auto_destroy: opts.auto_destroy,
            emit_close: opts.emit_close,
            has_final: opts.has_final,
            buffered: VecDeque::new(),
            length: 0,
            writing: None,
            corked: 0,
            need_drain: false,
            ending: false,
            ended: false,
            final_called: false,
            prefinished: false,
            finished: false,
            life: Lifecycle::default(),
            events: VecDeque::new(),
        }
    }

    fn size_of(&self, chunk: &C) -> usize {
        counted_size(self.object_mode, chunk)
    }

    /// Queued plus in-flight size (Node's `writableLength`).
    pub fn length(&self) -> usize {
        self.length
    }
    /// Sum of queued chunk sizes plus the write in flight (equals `length()`).
    pub fn accounted_size(&self) -> usize {
        self.buffered.iter().map(|c| self.size_of(c)).sum::<usize>() + self.writing.unwrap_or(0)
    }
    /// Chunks waiting behind the one in flight.
    pub fn buffered_chunks(&self) -> usize {
        self.buffered.len()
    }
    /// Node's `writableNeedDrain`.
    pub fn need_drain(&self) -> bool {
        !self.life.destroyed && !self.ending && self.need_drain
    }
    /// A write is in flight.
    pub fn writing(&self) -> bool {
        self.writing.is_some()
    }
    /// Node's `writableCorked`.
    pub fn corked(&self) -> u32 {
        self.corked
    }
    /// `end()` was called (Node's `writableEnded`).
    pub fn ending(&self) -> bool {
        self.ending
    }
    /// 'finish' was queued (Node's `writableFinished`).
    pub fn finished(&self) -> bool {
        self.finished
    }
    /// The highWaterMark.
    pub fn high_water_mark(&self) -> usize {
        self.high_water_mark
    }
    /// Destroy/error/close state.
    pub fn lifecycle(&self) -> &Lifecycle {
        &self.life
    }

    /// Next event to deliver, if any.
    pub fn poll_event(&mut self) -> Option<WritableEvent> {
        self.events.pop_front()
    }

    /// Node's `write(chunk)`: queues the chunk; returns false once the queue
    /// reaches the highWaterMark (wait for `Drain`). After `end()` it is
    /// `ERR_STREAM_WRITE_AFTER_END`, after `destroy()` `ERR_STREAM_DESTROYED`;
    /// both error the stream as Node does.
    pub fn write(&mut self, chunk: C) -> Result<bool, NodeError> {
        let err = if self.ending {
            Some(NodeError::new(
                "ERR_STREAM_WRITE_AFTER_END",
                "write after end",
            ))
        } else if self.life.destroyed {
            Some(NodeError::new(
                "ERR_STREAM_DESTROYED",
                "Cannot call write after a stream was destroyed",
            ))
        } else {
            None
        };
        if let Some(err) = err {
            self.error(err.clone());
            return Err(err);
        }
        let size = self.size_of(&chunk);
        self.length = self.length.saturating_add(size);
        // As Node reports it for a sink that completes later; an empty queue
        // never signals backpressure, even with a 0 mark.
        let below = self.length < self.high_water_mark || self.length == 0;
        if !below {
            self.need_drain = true;
        }
        self.buffered.push_back(chunk);
        Ok(below && self.life.errored.is_none() && !self.life.destroyed)
    }

    /// The next chunk to hand to the sink (Node calls `_write`), if the sink is
    /// free and the stream is not corked, errored or destroyed.
    pub fn next_write(&mut self) -> Option<C> {
        if self.writing.is_some()
            || self.corked > 0
            || self.life.destroyed
            || self.life.errored.is_some()
        {
            return None;
        }
        let chunk = self.buffered.pop_front()?;
        self.writing = Some(self.size_of(&chunk));
        Some(chunk)
    }

    /// The sink finished the write in flight (Node's `_write` callback).
    /// Calling it with nothing in flight is `ERR_MULTIPLE_CALLBACK`.
    pub fn write_done(&mut self, result: Result<(), NodeError>) -> Result<(), NodeError> {
        let Some(size) = self.writing.take() else {
            let err = NodeError::new("ERR_MULTIPLE_CALLBACK", "Callback called multiple times");
            self.error(err.clone());
            return Err(err);
        };
        self.length = self.length.saturating_sub(size);
        if let Err(err) = result {
            self.error(err);
            return Ok(());
        }
        if self.buffered.is_empty()
            && self.length == 0
            && self.need_drain
            && !self.ending
            && !self.life.destroyed
        {
            self.need_drain = false;
            self.events.push_back(WritableEvent::Drain);
        }
        self.finish_maybe();
        Ok(())
    }

    /// Node's `cork()`.
    pub fn cork(&mut self) {
        self.corked = self.corked.saturating_add(1);
    }

    /// Node's `uncork()`.
    pub fn uncork(&mut self) {
        self.corked = self.corked.saturating_sub(1);
    }

    /// Node's `end()`. After 'finish' it is `ERR_STREAM_ALREADY_FINISHED`,
    /// after `destroy()` `ERR_STREAM_DESTROYED`; a second `end()` before
    /// 'finish' does nothing.
    pub fn end(&mut self) -> Result<(), NodeError> {
        if self.corked > 0 {
            self.corked = 0;
        }
        if self.life.errored.is_none() && !self.ending {
            self.ending = true;
            self.finish_maybe();
            self.ended = true;
            return Ok(());
        }
        if self.finished {
            return Err(NodeError::new(
                "ERR_STREAM_ALREADY_FINISHED",
                "Cannot call end after a stream was finished",
            ));
        }
        if self.life.destroyed {
            return Err(NodeError::new(
                "ERR_STREAM_DESTROYED",
                "Cannot call end after a stream was destroyed",
            ));
        }
        Ok(())
    }

    /// The sink's `_final` completed.
    pub fn final_done(&mut self, result: Result<(), NodeError>) -> Result<(), NodeError> {
        if !self.final_called || self.prefinished {
            let err = NodeError::new("ERR_MULTIPLE_CALLBACK", "Callback called multiple times");
            self.error(err.clone());
            return Err(err);
        }
        match result {
            Err(err) => self.error(err),
            Ok(()) => {
                if self.need_finish() {
                    self.prefinished = true;
                    self.events.push_back(WritableEvent::Prefinish);
                    self.finish();
                }
            }
        }
        Ok(())
    }

    fn need_finish(&self) -> bool {
        self.ending
            && !self.life.destroyed
            && self.length == 0
            && self.buffered.is_empty()
            && self.writing.is_none()
            && !self.finished
            && self.life.errored.is_none()
    }

    fn finish_maybe(&mut self) {
        if !self.need_finish() {
            return;
        }
        if !self.prefinished && !self.final_called {
            if self.has_final {
                self.final_called = true;
                self.events.push_back(WritableEvent::Final);
                return;
            }
            self.prefinished = true;
            self.events.push_back(WritableEvent::Prefinish);
        }
        if self.prefinished {
            self.finish();
        }
    }

    fn finish(&mut self) {
        self.finished = true;
        self.events.push_back(WritableEvent::Finish);
        if self.auto_destroy {
            self.destroy(None);
        }
    }

    /// An error from the sink: fails queued writes and auto-destroys (or only
    /// records and reports it, without autoDestroy).
    pub fn error(&mut self, err: NodeError) {
        if self.life.destroyed {
            return;
        }
        if self.auto_destroy {
            self.destroy(Some(err));
        } else {
            let unreported = self.life.report(err);
            self.drop_queue();
            if let Some(e) = unreported {
                self.events.push_back(WritableEvent::Error(e));
            }
        }
    }

    fn drop_queue(&mut self) {
        let dropped: usize = self.buffered.iter().map(|c| self.size_of(c)).sum();
        self.buffered.clear();
        self.length = self.length.saturating_sub(dropped);
    }

    /// Node's `destroy([err])`: queued writes fail, then 'error' (if any) and 'close'.
    pub fn destroy(&mut self, err: Option<NodeError>) {
        if self.life.destroyed {
            return;
        }
        self.drop_queue();
        let teardown = self.life.destroy(err, self.emit_close);
        self.events
            .extend(teardown.events(WritableEvent::Error, WritableEvent::Close));
    }
}
