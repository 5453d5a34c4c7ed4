//! One page's WebSocket session: a multiplexer of channels (processes,
//! sockets, HTTP exchanges, listeners) over one connection, and the HTTP API
//! routes. Everything a session opened is ended when its socket goes away.
//!
//! Text frames carry JSON control messages `{"t": type, "id": channel, ...}`;
//! binary frames carry bytes: a 4-byte big-endian channel id, one byte for the
//! stream (0 data/stdin, 1 stdout, 2 stderr), then the payload. See PROTOCOL.md.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::channel::{protocol_error, Handle, In, OpenError, Out, SERVER_IDS};
use crate::protocol::PageMessage;
use crate::AppState;

/// Version of the wire protocol, sent in the `hello` message.
pub const PROTOCOL_VERSION: u32 = 1;
/// Largest WebSocket message accepted from the page.
pub const MAX_MESSAGE: usize = 16 * 1024 * 1024;

/// The `/api` routes (the access guard sits in front of them).
pub fn api_routes(state: AppState) -> Router<AppState> {
    let max = state.config.limits.max_body;
    Router::new()
        .route("/ws", get(ws))
        .route("/info", get(info))
        .route("/spawn-sync", post(spawn_sync))
        .layer(DefaultBodyLimit::max(max))
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
    Json(crate::proc::spawn_sync(&state, req).await)
}

async fn ws(State(state): State<AppState>, upgrade: WebSocketUpgrade) -> Response {
    upgrade
        // The page offers `ferrode` and `ferrode-token.T`; only `ferrode` is echoed.
        .protocols([crate::access::WS_PROTOCOL])
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| run(state, socket))
        .into_response()
}

/// Runs one session until the page goes away, then ends what it opened.
async fn run(state: AppState, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::channel::<Out>(256);
    let handle = Handle::new(tx, state.config.limits.max_channels);
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
            Message::Text(text) => match crate::protocol::parse(text.as_str()) {
                Ok(m) => dispatch(&state, &handle, m).await,
                Err(bad) => {
                    handle.error(bad.id, bad.error).await;
                    if bad.opens && bad.id != 0 && handle.sender(bad.id).is_none() {
                        handle
                            .send(json!({ "t": "close", "id": bad.id, "hadError": true }))
                            .await;
                    }
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
    handle.clear();
    let children = handle.children.take();
    drop(handle);
    writer.abort();
    crate::child::end_all(children, state.config.limits.kill_grace).await;
}

async fn dispatch(state: &AppState, handle: &Handle, m: PageMessage) {
    let id = match &m {
        PageMessage::Spawn { id, .. }
        | PageMessage::Listen { id, .. }
        | PageMessage::Connect { id, .. }
        | PageMessage::Request { id, .. }
        | PageMessage::End { id }
        | PageMessage::Destroy { id }
        | PageMessage::Unlisten { id }
        | PageMessage::Kill { id, .. }
        | PageMessage::Respond { id, .. } => *id,
    };
    let opens = matches!(
        m,
        PageMessage::Spawn { .. }
            | PageMessage::Listen { .. }
            | PageMessage::Connect { .. }
            | PageMessage::Request { .. }
    );
    if opens {
        if id >= SERVER_IDS {
            handle
                .error(id, protocol_error("page channel ids must be below 2^31"))
                .await;
            return;
        }
        let rx = match handle.try_open(id) {
            Ok(rx) => rx,
            Err(why) => {
                let err = match why {
                    OpenError::TooMany => crate::errors::error(
                        "EMFILE",
                        format!(
                            "too many channels open on this session (--max-channels {})",
                            state.config.limits.max_channels
                        ),
                        json!({ "errno": -24 }),
                    ),
                    _ => protocol_error("channel id already in use"),
                };
                handle.error(id, err).await;
                if why == OpenError::TooMany {
                    handle
                        .send(json!({ "t": "close", "id": id, "hadError": true }))
                        .await;
                }
                return;
            }
        };
        let (state, handle) = (state.clone(), handle.clone());
        let task = match m {
            PageMessage::Spawn { spec, .. } => {
                tokio::spawn(crate::proc::spawn(state, handle, id, spec, rx))
            }
            PageMessage::Listen { opts, .. } => {
                tokio::spawn(crate::listen::listen(state, handle, id, opts, rx))
            }
            PageMessage::Connect { opts, .. } => {
                tokio::spawn(crate::listen::connect(state, handle, id, opts, rx))
            }
            PageMessage::Request { opts, .. } => {
                tokio::spawn(crate::fetch::request(state, handle, id, opts, rx))
            }
            _ => return,
        };
        drop(task);
        return;
    }
    let msg = match m {
        PageMessage::End { .. } => In::End,
        PageMessage::Destroy { .. } | PageMessage::Unlisten { .. } => In::Destroy,
        PageMessage::Kill { signal, .. } => {
            let sig = signal.unwrap_or(json!("SIGTERM"));
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
        PageMessage::Respond { head, .. } => In::Respond(head),
        _ => return,
    };
    if let Some(tx) = handle.sender(id) {
        let _ = tx.send(msg).await;
    }
}
