//! One page's WebSocket session: a multiplexer of channels (processes,
//! sockets, HTTP exchanges, listeners) over one connection, and the HTTP API
//! routes. Everything a session opened is ended when its socket goes away.
//!
//! Text frames carry JSON control messages `{"t": type, "id": channel, ...}`;
//! binary frames carry bytes: a 4-byte big-endian channel id, one byte for the
//! stream (0 data/stdin, 1 stdout, 2 stderr), then the payload. See PROTOCOL.md.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::{BufMut, Bytes, BytesMut};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::AppState;

/// Version of the wire protocol, sent in the `hello` message.
pub const PROTOCOL_VERSION: u32 = 1;
/// First channel id the server allocates (page ids stay below it).
pub const SERVER_IDS: u32 = 0x8000_0000;
/// Largest WebSocket message accepted from the page.
pub const MAX_MESSAGE: usize = 16 * 1024 * 1024;

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
    Respond(Value),
}

/// What channel tasks hold of their session.
#[derive(Clone, Debug)]
pub struct Handle {
    out: mpsc::Sender<Out>,
    chans: Arc<Mutex<HashMap<u32, mpsc::Sender<In>>>>,
    next: Arc<AtomicU32>,
    /// Process groups started by this session, ended with it.
    pub pgids: Arc<Mutex<Vec<i32>>>,
}

impl Handle {
    fn new(out: mpsc::Sender<Out>) -> Self {
        Handle {
            out,
            chans: Arc::default(),
            next: Arc::new(AtomicU32::new(SERVER_IDS)),
            pgids: Arc::default(),
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

    /// Registers channel `id` (chosen by the page); None if it is taken.
    pub fn open(&self, id: u32) -> Option<mpsc::Receiver<In>> {
        let (tx, rx) = mpsc::channel(64);
        let mut chans = self.chans.lock().ok()?;
        if chans.contains_key(&id) || self.out.is_closed() {
            return None;
        }
        chans.insert(id, tx);
        Some(rx)
    }

    /// Registers a channel with a server-chosen id.
    pub fn open_server(&self) -> Option<(u32, mpsc::Receiver<In>)> {
        for _ in 0..16 {
            let id = self.next.fetch_add(1, Ordering::Relaxed) | SERVER_IDS;
            if let Some(rx) = self.open(id) {
                return Some((id, rx));
            }
            if self.out.is_closed() {
                return None;
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

    fn sender(&self, id: u32) -> Option<mpsc::Sender<In>> {
        self.chans.lock().ok()?.get(&id).cloned()
    }
}

/// The `/api` routes (the access guard sits in front of them).
pub fn api_routes(state: AppState) -> Router<AppState> {
    let max = state.config.limits.max_body;
    Router::new()
        .route("/ws", get(ws))
        .route("/info", get(info))
        .route("/spawn-sync", post(spawn_sync))
        .layer(DefaultBodyLimit::max(max))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            state.config.limits.read_timeout,
        ))
}

async fn info(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "protocol": PROTOCOL_VERSION,
        "version": env!("CARGO_PKG_VERSION"),
        "exec": state.config.exec,
        "host": state.config.host,
        "pid": std::process::id(),
    }))
}

async fn spawn_sync(State(state): State<AppState>, Json(req): Json<Value>) -> Json<Value> {
    Json(crate::proc::spawn_sync(&state, &req).await)
}

async fn ws(State(state): State<AppState>, upgrade: WebSocketUpgrade) -> Response {
    upgrade
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| run(state, socket))
        .into_response()
}

/// Runs one session until the page goes away, then ends what it opened.
async fn run(state: AppState, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::channel::<Out>(256);
    let handle = Handle::new(tx);
    let writer = tokio::spawn(async move {
        while let Some(out) = rx.recv().await {
            let msg = match out {
                Out::Text(s) => Message::Text(s.into()),
                Out::Binary(b) => Message::Binary(b),
            };
            if sink.send(msg).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });
    handle
        .send(json!({
            "t": "hello",
            "protocol": PROTOCOL_VERSION,
            "exec": state.config.exec,
            "pid": std::process::id(),
        }))
        .await;
    while let Some(Ok(msg)) = stream.next().await {
        match msg {
            Message::Text(text) => match serde_json::from_str::<Value>(text.as_str()) {
                Ok(v) => dispatch(&state, &handle, v).await,
                Err(e) => {
                    handle
                        .error(0, protocol_error(&format!("bad JSON: {e}")))
                        .await;
                }
            },
            Message::Binary(b) => {
                if b.len() < 5 {
                    handle
                        .error(0, protocol_error("binary frame shorter than its header"))
                        .await;
                    continue;
                }
                let id = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
                if let Some(tx) = handle.sender(id) {
                    let _ = tx.send(In::Data(b.slice(5..))).await;
                }
            }
            Message::Close(_) => break,
            _ => {}
        }
    }
    // The page is gone: dropping the channels ends every task of the session.
    if let Ok(mut chans) = handle.chans.lock() {
        chans.clear();
    }
    let pgids = handle.pgids.lock().map(|g| g.clone()).unwrap_or_default();
    drop(handle);
    writer.abort();
    crate::proc::end_groups(pgids, state.config.limits.kill_grace).await;
}

/// An error about the protocol itself (not Node's, so a ferrode code).
pub fn protocol_error(msg: &str) -> Value {
    crate::errors::error("ERR_FERRODE_PROTOCOL", msg.to_owned(), json!({}))
}

async fn dispatch(state: &AppState, handle: &Handle, v: Value) {
    let Some(t) = v.get("t").and_then(Value::as_str) else {
        handle
            .error(0, protocol_error("message without \"t\""))
            .await;
        return;
    };
    let id = v
        .get("id")
        .and_then(Value::as_u64)
        .and_then(|i| u32::try_from(i).ok());
    let Some(id) = id else {
        handle
            .error(0, protocol_error("message without a valid \"id\""))
            .await;
        return;
    };
    let opens = matches!(t, "spawn" | "listen" | "connect" | "request");
    if opens {
        if id >= SERVER_IDS {
            handle
                .error(id, protocol_error("page channel ids must be below 2^31"))
                .await;
            return;
        }
        let Some(rx) = handle.open(id) else {
            handle
                .error(id, protocol_error("channel id already in use"))
                .await;
            return;
        };
        let (state, handle) = (state.clone(), handle.clone());
        match t {
            "spawn" => drop(tokio::spawn(crate::proc::spawn(state, handle, id, v, rx))),
            "listen" => drop(tokio::spawn(crate::listen::listen(
                state, handle, id, v, rx,
            ))),
            "connect" => drop(tokio::spawn(crate::listen::connect(
                state, handle, id, v, rx,
            ))),
            _ => drop(tokio::spawn(crate::fetch::request(
                state, handle, id, v, rx,
            ))),
        }
        return;
    }
    let msg = match t {
        "end" => In::End,
        "destroy" | "unlisten" => In::Destroy,
        "kill" => {
            let sig = v.get("signal").cloned().unwrap_or(json!("SIGTERM"));
            match crate::proc::signal_number(&sig) {
                Some(n) => In::Kill(n),
                None => {
                    let err = crate::errors::error(
                        "ERR_UNKNOWN_SIGNAL",
                        format!(
                            "Unknown signal: {}",
                            sig.as_str().map(str::to_owned).unwrap_or(sig.to_string())
                        ),
                        json!({}),
                    );
                    handle.error(id, err).await;
                    return;
                }
            }
        }
        "respond" => In::Respond(v),
        other => {
            handle
                .error(
                    id,
                    protocol_error(&format!("unknown message type {other:?}")),
                )
                .await;
            return;
        }
    };
    if let Some(tx) = handle.sender(id) {
        let _ = tx.send(msg).await;
    }
}
