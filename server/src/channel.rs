//! The channel types of a session: what the page sends to one channel ([`In`]),
//! frames for the page ([`Out`]), and the [`Handle`] every channel task holds of
//! its session (send, data, error, open and close channels). Channel kinds
//! (`proc`, `listen`, `fetch`) depend on this module, never on `session`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use bytes::{BufMut, Bytes, BytesMut};
use serde_json::{json, Value};
use tokio::sync::mpsc;

/// First channel id the server allocates (page ids stay below it).
pub const SERVER_IDS: u32 = 0x8000_0000;

/// A frame for the page.
#[derive(Debug)]
pub enum Out {
    /// A JSON control message.
    Text(String),
    /// A binary data frame (header included).
    Binary(Bytes),
}

/// A message from the page for one channel.
#[derive(Debug)]
pub enum In {
    /// Bytes (stdin, socket data, request or response body).
    Data(Bytes),
    /// End of the page's side (stdin closed, socket half-closed, body ended).
    End,
    /// A signal for a process.
    Kill(i32),
    /// Tear the channel down now.
    Destroy,
    /// The page's response head for an incoming HTTP request.
    Respond(crate::protocol::RespondMsg),
}

/// What channel tasks hold of their session.
#[derive(Clone, Debug)]
pub struct Handle {
    out: mpsc::Sender<Out>,
    chans: Arc<Mutex<HashMap<u32, mpsc::Sender<In>>>>,
    next: Arc<AtomicU32>,
    /// Child processes started by this session, ended with it.
    pub children: Arc<crate::child::Children>,
    /// Most channels open at once.
    max_channels: usize,
}

/// Why a channel could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// The id is in use.
    Taken,
    /// The session holds its maximum of channels.
    TooMany,
    /// The page is gone.
    Gone,
}

impl Handle {
    /// A handle for a session whose frames go to `out`.
    pub fn new(out: mpsc::Sender<Out>, max_channels: usize) -> Self {
        Handle {
            out,
            chans: Arc::default(),
            next: Arc::new(AtomicU32::new(SERVER_IDS)),
            children: Arc::default(),
            max_channels,
        }
    }

    /// Sends a JSON message; false when the page is gone.
    pub async fn send(&self, v: Value) -> bool {
        self.out.send(Out::Text(v.to_string())).await.is_ok()
    }

    /// Sends bytes on channel `id`, stream `stream`; false when the page is gone.
    pub async fn data(&self, id: u32, stream: u8, payload: &[u8]) -> bool {
        let mut b = BytesMut::with_capacity(5 + payload.len());
        b.put_u32(id);
        b.put_u8(stream);
        b.extend_from_slice(payload);
        self.out.send(Out::Binary(b.freeze())).await.is_ok()
    }

    /// Sends an `error` message for channel `id`.
    pub async fn error(&self, id: u32, error: Value) -> bool {
        self.send(json!({ "t": "error", "id": id, "error": error }))
            .await
    }

    /// Resolves when the page has gone away.
    pub async fn closed(&self) {
        self.out.closed().await
    }

    /// Whether the page has gone away.
    pub fn is_closed(&self) -> bool {
        self.out.is_closed()
    }

    /// Registers channel `id` (chosen by the page).
    pub fn try_open(&self, id: u32) -> Result<mpsc::Receiver<In>, OpenError> {
        let (tx, rx) = mpsc::channel(64);
        let mut chans = self.chans.lock().map_err(|_| OpenError::Gone)?;
        if self.out.is_closed() {
            return Err(OpenError::Gone);
        }
        if chans.contains_key(&id) {
            return Err(OpenError::Taken);
        }
        if chans.len() >= self.max_channels {
            return Err(OpenError::TooMany);
        }
        chans.insert(id, tx);
        Ok(rx)
    }

    /// Registers channel `id`; None if it cannot be opened.
    pub fn open(&self, id: u32) -> Option<mpsc::Receiver<In>> {
        self.try_open(id).ok()
    }

    /// Registers a channel with a server-chosen id (None when the page is gone or
    /// the session holds its maximum of channels).
    pub fn open_server(&self) -> Option<(u32, mpsc::Receiver<In>)> {
        for _ in 0..16 {
            let id = self.next.fetch_add(1, Ordering::Relaxed) | SERVER_IDS;
            match self.try_open(id) {
                Ok(rx) => return Some((id, rx)),
                Err(OpenError::Taken) => {}
                Err(_) => return None,
            }
        }
        None
    }

    /// Identity of the session (equal for clones of one handle).
    pub fn id_ptr(&self) -> *const () {
        Arc::as_ptr(&self.chans) as *const ()
    }

    /// Forgets channel `id`.
    pub fn close(&self, id: u32) {
        if let Ok(mut chans) = self.chans.lock() {
            chans.remove(&id);
        }
    }

    /// The sender of channel `id`, if open.
    pub fn sender(&self, id: u32) -> Option<mpsc::Sender<In>> {
        self.chans.lock().ok()?.get(&id).cloned()
    }
}

/// An error about the protocol itself (not Node's, so a ferrode code).
pub fn protocol_error(msg: &str) -> Value {
    crate::errors::error("ERR_FERRODE_PROTOCOL", msg.to_owned(), json!({}))
}

impl Handle {
    /// Forgets every channel (the page is gone): their tasks see their receivers end.
    pub fn clear(&self) {
        if let Ok(mut chans) = self.chans.lock() {
            chans.clear();
        }
    }
}
