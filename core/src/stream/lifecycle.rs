//! The destroy / error / close life cycle both stream sides share.

use crate::NodeError;

/// Where a stream is in its life: alive, destroyed (with or without an
/// error), and whether 'error' and 'close' have been delivered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lifecycle {
    /// `destroy()` was called (or an error auto-destroyed the stream).
    pub destroyed: bool,
    /// The first error the stream saw; later ones are dropped, as in Node.
    pub errored: Option<NodeError>,
    /// The destroy step has completed (Node's `closed`).
    pub closed: bool,
    /// 'error' was queued for delivery (at most once).
    pub error_emitted: bool,
    /// 'close' was queued for delivery (at most once).
    pub close_emitted: bool,
}

/// What destroying asks the embedder to deliver, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Teardown {
    /// Nothing: the stream was already destroyed.
    None,
    /// Deliver 'error' (if given) and then 'close' (if `emit_close`).
    Deliver(Option<NodeError>, bool),
}

impl Lifecycle {
    /// Records `err` as the stream's error unless it already has one.
    pub(crate) fn record(&mut self, err: &NodeError) {
        if self.errored.is_none() {
            self.errored = Some(err.clone());
        }
    }

    /// Records `err` for a stream that does not auto-destroy; returns it when
    /// 'error' is still to be delivered (at most once).
    pub(crate) fn report(&mut self, err: NodeError) -> Option<NodeError> {
        self.record(&err);
        if self.error_emitted {
            return None;
        }
        self.error_emitted = true;
        Some(err)
    }

    /// Destroys: a second call is a no-op, as Node's `destroy()` is.
    pub(crate) fn destroy(&mut self, err: Option<NodeError>, emit_close: bool) -> Teardown {
        if self.destroyed {
            return Teardown::None;
        }
        self.destroyed = true;
        if let Some(e) = &err {
            self.record(e);
        }
        self.closed = true;
        let error = match err {
            Some(e) if !self.error_emitted => {
                self.error_emitted = true;
                Some(e)
            }
            _ => None,
        };
        let close = emit_close && !self.close_emitted;
        self.close_emitted = true;
        Teardown::Deliver(error, close)
    }
}

impl Teardown {
    /// The events to deliver, in order, built by `error` and `close` of the
    /// side's own event type.
    pub(crate) fn events<E>(
        self,
        error: impl FnOnce(NodeError) -> E,
        close: E,
    ) -> impl Iterator<Item = E> {
        let (err, emit_close) = match self {
            Teardown::None => (None, false),
            Teardown::Deliver(err, emit_close) => (err, emit_close),
        };
        err.map(error)
            .into_iter()
            .chain(emit_close.then_some(close))
    }
}
