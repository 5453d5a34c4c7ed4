//! Ports the page listens on (`net`, `http`, `https` servers whose handlers
//! run in the page), outbound TCP (`net.connect`), and the byte pump between
//! a socket and a session channel (data, half-close, close).
//!
//! Listeners that name the same `group` share one port: connections go
//! round-robin to them (how the page's cluster workers share a port). Any
//! other listen on a taken port fails with EADDRINUSE, as in Node.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Either, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

use crate::channel::{Handle, In};
use crate::errors::{error, io_code, listen_error};
use crate::protocol::{ConnectMsg, ListenMsg};
use crate::wire::{addr_json, dial, family, header_pairs, pump, tokio_stream_lite};
use crate::AppState;

/// What a page's server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Net,
    Http,
    Https,
}

/// One page listener attached to a port.
#[derive(Debug, Clone)]
struct Member {
    handle: Handle,
    listen_id: u32,
}

#[derive(Debug)]
struct Port {
    kind: Kind,
    group: Option<String>,
    members: Mutex<Vec<Member>>,
    next: AtomicUsize,
    stop: watch::Sender<bool>,
}

impl Port {
    /// The next live member, round-robin.
    fn pick(&self) -> Option<Member> {
        let mut members = self.members.lock().ok()?;
        members.retain(|m| !m.handle.is_closed());
        if members.is_empty() {
            return None;
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % members.len();
        members.get(i).cloned()
    }
}

/// Ports opened for pages.
#[derive(Debug, Default)]
pub struct Ports {
    map: Mutex<HashMap<u16, Arc<Port>>>,
}

fn bind(host: &str, port: u16) -> Result<TcpListener, Value> {
    let ip: std::net::IpAddr = host
        .parse()
        .or_else(|_| {
            if host == "localhost" {
                Ok("127.0.0.1".parse())
            } else {
                Err(())
            }
            .and_then(|r| r.map_err(|_| ()))
        })
        .map_err(|_| listen_error("EADDRNOTAVAIL", host, port))?;
    let addr = SocketAddr::new(ip, port);
    let shown = ip.to_string();
    let err = |e: std::io::Error| listen_error(io_code(&e).0, &shown, port);
    let sock = socket2::Socket::new(
        socket2::Domain::for_address(addr),
        socket2::Type::STREAM,
        None,
    )
    .map_err(err)?;
    sock.set_reuse_address(true).map_err(err)?;
    sock.bind(&addr.into()).map_err(err)?;
    sock.listen(1024).map_err(err)?;
    sock.set_nonblocking(true).map_err(err)?;
    TcpListener::from_std(sock.into()).map_err(err)
}

/// Handles a `listen` message: binds (or joins the group on) the port and runs
/// until the page unlistens or goes away.
pub async fn listen(
    state: AppState,
    handle: Handle,
    id: u32,
    v: ListenMsg,
    mut rx: mpsc::Receiver<In>,
) {
    let kind = match v.kind.as_deref().unwrap_or("net") {
        "net" => Kind::Net,
        "http" => Kind::Http,
        "https" => Kind::Https,
        other => {
            handle
                .error(
                    id,
                    crate::channel::protocol_error(&format!("unknown listen kind {other:?}")),
                )
                .await;
            handle.close(id);
            return;
        }
    };
    let port = match &v.port {
        None | Some(Value::Null) => Some(0),
        Some(p) => p.as_u64().and_then(|p| u16::try_from(p).ok()),
    };
    let Some(port) = port else {
        let err = error(
            "ERR_SOCKET_BAD_PORT",
            format!(
                "options.port should be >= 0 and < 65536. Received {}.",
                v.port.clone().unwrap_or(Value::Null)
            ),
            json!({}),
        );
        handle.error(id, err).await;
        handle.close(id);
        return;
    };
    let tls = if kind == Kind::Https {
        let key = v.key.as_deref().unwrap_or_default();
        let cert = v.cert.as_deref().unwrap_or_default();
        match crate::tls::server_config(key, cert) {
            Ok(c) => Some(tokio_rustls::TlsAcceptor::from(c)),
            Err(e) => {
                handle.error(id, e).await;
                handle.close(id);
                return;
            }
        }
    } else {
        None
    };
    let group = v.group();
    let host = state.config.host.clone();
    let member = Member {
        handle: handle.clone(),
        listen_id: id,
    };
    let joined = {
        let Ok(mut map) = state.ports.map.lock() else {
            return;
        };
        match map.get(&port) {
            Some(p) if port != 0 => {
                if p.group.is_some() && p.group == group && p.kind == kind {
                    if let Ok(mut m) = p.members.lock() {
                        m.push(member.clone());
                    }
                    Ok((port, p.clone(), None))
                } else {
                    Err(listen_error("EADDRINUSE", &host, port))
                }
            }
            _ => match bind(&host, port) {
                Ok(listener) => {
                    let actual = listener.local_addr().map(|a| a.port()).unwrap_or(port);
                    let (stop, _) = watch::channel(false);
                    let p = Arc::new(Port {
                        kind,
                        group: group.clone(),
                        members: Mutex::new(vec![member.clone()]),
                        next: AtomicUsize::new(0),
                        stop,
                    });
                    map.insert(actual, p.clone());
                    Ok((actual, p, Some(listener)))
                }
                Err(e) => Err(e),
            },
        }
    };
    let (port, shared, listener) = match joined {
        Ok(x) => x,
        Err(e) => {
            handle.error(id, e).await;
            handle.close(id);
            return;
        }
    };
    if let Some(listener) = listener {
        tokio::spawn(accept_loop(state.clone(), listener, shared.clone(), tls));
    }
    let family = if host.contains(':') { "IPv6" } else { "IPv4" };
    handle
        .send(
            json!({ "t": "listening", "id": id, "address": host, "family": family, "port": port }),
        )
        .await;
    // Stay until the page unlistens (or goes away).
    loop {
        match rx.recv().await {
            Some(In::Destroy) | None => break,
            Some(_) => {}
        }
    }
    let last = shared.members.lock().map(|mut m| {
        m.retain(|x| !(x.listen_id == id && std::ptr::eq(x.handle.id_ptr(), handle.id_ptr())));
        m.retain(|x| !x.handle.is_closed());
        m.is_empty()
    });
    if last.unwrap_or(true) {
        if let Ok(mut map) = state.ports.map.lock() {
            if map.get(&port).is_some_and(|p| Arc::ptr_eq(p, &shared)) {
                map.remove(&port);
            }
        }
        let _ = shared.stop.send(true);
    }
    handle.send(json!({ "t": "close", "id": id })).await;
    handle.close(id);
}

async fn accept_loop(
    state: AppState,
    listener: TcpListener,
    port: Arc<Port>,
    tls: Option<tokio_rustls::TlsAcceptor>,
) {
    let mut stop = port.stop.subscribe();
    let permits = Arc::new(tokio::sync::Semaphore::new(
        state.config.limits.max_connections,
    ));
    loop {
        let (stream, peer) = tokio::select! {
            _ = stop.changed() => break,
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(member) = port.pick() else {
            // Every page behind this port has gone: nobody will accept again.
            break;
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let local = stream.local_addr().ok();
        let (state, tls, kind) = (state.clone(), tls.clone(), port.kind);
        tokio::spawn(async move {
            match kind {
                Kind::Net => incoming_tcp(member, stream, peer, local).await,
                Kind::Http => serve_http(&state, member, stream, peer).await,
                Kind::Https => {
                    let Some(tls) = tls else { return };
                    let timeout = state.config.limits.read_timeout;
                    if let Ok(Ok(s)) = tokio::time::timeout(timeout, tls.accept(stream)).await {
                        serve_http(&state, member, s, peer).await;
                    }
                }
            }
            drop(permit);
        });
    }
}

async fn incoming_tcp(
    member: Member,
    stream: TcpStream,
    peer: SocketAddr,
    local: Option<SocketAddr>,
) {
    let Some((cid, rx)) = member.handle.open_server() else {
        return;
    };
    let mut msg = json!({ "t": "connection", "id": member.listen_id, "conn": cid });
    if let Value::Object(m) = &mut msg {
        m.extend(addr_json("remote", Some(peer)));
        m.extend(addr_json("local", local));
    }
    if !member.handle.send(msg).await {
        return;
    }
    pump(stream, &member.handle, cid, rx).await;
}

/// Handles a `connect` message: an outbound TCP connection, then the pump.
pub async fn connect(
    _state: AppState,
    handle: Handle,
    id: u32,
    v: ConnectMsg,
    rx: mpsc::Receiver<In>,
) {
    let host = v.host.clone().unwrap_or_else(|| "localhost".to_owned());
    let Some(port) = v
        .port
        .as_ref()
        .and_then(Value::as_u64)
        .and_then(|p| u16::try_from(p).ok())
    else {
        let err = error(
            "ERR_SOCKET_BAD_PORT",
            format!(
                "Port should be >= 0 and < 65536. Received {}.",
                v.port.as_ref().unwrap_or(&Value::Null)
            ),
            json!({}),
        );
        handle.error(id, err).await;
        handle
            .send(json!({ "t": "close", "id": id, "hadError": true }))
            .await;
        handle.close(id);
        return;
    };
    let timeout = crate::protocol::millis(v.timeout.as_ref());
    match dial(&host, port, timeout).await {
        Ok(stream) => {
            let _ = stream.set_nodelay(true);
            let mut msg = json!({ "t": "connect", "id": id });
            if let Value::Object(m) = &mut msg {
                m.extend(addr_json("remote", stream.peer_addr().ok()));
                m.extend(addr_json("local", stream.local_addr().ok()));
            }
            handle.send(msg).await;
            pump(stream, &handle, id, rx).await;
        }
        Err(e) => {
            handle.error(id, e).await;
            handle
                .send(json!({ "t": "close", "id": id, "hadError": true }))
                .await;
            handle.close(id);
        }
    }
}

type TunnelBody = Either<
    http_body_util::combinators::MapErr<
        http_body_util::Full<Bytes>,
        fn(std::convert::Infallible) -> std::io::Error,
    >,
    StreamBody<tokio_stream_lite::Rx>,
>;

async fn serve_http<S>(state: &AppState, member: Member, io: S, peer: SocketAddr)
where
    S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let svc = service_fn(move |req: Request<Incoming>| {
        let member = member.clone();
        async move { exchange(member, req, peer).await }
    });
    let mut b = http1::Builder::new();
    b.timer(TokioTimer::new())
        .header_read_timeout(state.config.limits.read_timeout)
        .keep_alive(true);
    let _ = b.serve_connection(TokioIo::new(io), svc).await;
}

fn never(n: std::convert::Infallible) -> std::io::Error {
    match n {}
}

/// Sends `close` for an exchange however it ends (finished, or the client went away).
struct CloseGuard(Handle, u32, bool);

impl Drop for CloseGuard {
    fn drop(&mut self) {
        let (h, id) = (self.0.clone(), self.1);
        h.close(id);
        if self.2 {
            // The page ended the response: it knows the exchange is over.
            return;
        }
        // Not at runtime shutdown: there is nobody left to tell.
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                h.send(json!({ "t": "close", "id": id })).await;
            });
        }
    }
}

#[derive(Debug)]
struct Abandoned;

impl std::fmt::Display for Abandoned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the page destroyed the response")
    }
}

impl std::error::Error for Abandoned {}

/// One request through the tunnel: head and body to the page, its response back.
async fn exchange(
    member: Member,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Result<Response<TunnelBody>, Abandoned> {
    let handle = member.handle.clone();
    let Some((rid, mut rx)) = handle.open_server() else {
        return Err(Abandoned);
    };
    let mut guard = CloseGuard(handle.clone(), rid, false);
    let version = match req.version() {
        hyper::Version::HTTP_10 => "1.0",
        _ => "1.1",
    };
    let url = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/")
        .to_owned();
    let (parts, mut body) = req.into_parts();
    // A request without a body says so in its head: one message instead of two.
    let empty = hyper::body::Body::is_end_stream(&body);
    let head = json!({
        "t": "request", "id": member.listen_id, "req": rid,
        "method": parts.method.as_str(), "url": url, "httpVersion": version,
        "headers": header_pairs(&parts.headers),
        "remoteAddress": peer.ip().to_string(), "remotePort": peer.port(), "remoteFamily": family(&peer),
        "end": empty,
    });
    if !handle.send(head).await {
        return Err(Abandoned);
    }
    let h = handle.clone();
    let upload = tokio::spawn(async move {
        if empty {
            return;
        }
        while let Some(frame) = body.frame().await {
            match frame {
                Ok(f) => {
                    if let Ok(data) = f.into_data() {
                        if !h.data(rid, 0, &data).await {
                            return;
                        }
                    }
                }
                Err(_) => {
                    h.send(json!({ "t": "aborted", "id": rid })).await;
                    return;
                }
            }
        }
        h.send(json!({ "t": "end", "id": rid })).await;
    });
    // Wait for the page's head; bytes cannot come before it.
    let head = loop {
        match rx.recv().await {
            Some(In::Respond(v)) => break v,
            Some(In::Destroy) | None => {
                upload.abort();
                return Err(Abandoned);
            }
            Some(_) => {}
        }
    };
    let status = head
        .status
        .as_ref()
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| hyper::StatusCode::from_u16(s).ok())
        .unwrap_or(hyper::StatusCode::OK);
    // A head with `end: true` (and optional UTF-8 `data`) is the whole response.
    let whole = head.end.unwrap_or(false);
    let (tx, body) = if whole {
        let data = head.data.as_deref().unwrap_or_default();
        let full = http_body_util::Full::new(Bytes::copy_from_slice(data.as_bytes()))
            .map_err(never as fn(std::convert::Infallible) -> std::io::Error);
        (None, Either::Left(full))
    } else {
        let (tx, rx_body) = mpsc::channel(16);
        (
            Some(tx),
            Either::Right(StreamBody::new(tokio_stream_lite::Rx(rx_body))),
        )
    };
    let mut res = Response::new(body);
    *res.status_mut() = status;
    if let Some(Value::Array(pairs)) = &head.headers {
        for p in pairs {
            let (Some(k), Some(v)) = (
                p.get(0).and_then(Value::as_str),
                p.get(1).and_then(Value::as_str),
            ) else {
                continue;
            };
            if let (Ok(k), Ok(v)) = (
                hyper::header::HeaderName::from_bytes(k.as_bytes()),
                hyper::header::HeaderValue::from_str(v),
            ) {
                res.headers_mut().append(k, v);
            }
        }
    }
    if let Some(reason) = head.status_message.as_deref() {
        if status.canonical_reason() != Some(reason) {
            if let Ok(r) = hyper::ext::ReasonPhrase::try_from(reason.as_bytes().to_vec()) {
                res.extensions_mut().insert(r);
            }
        }
    }
    let Some(tx) = tx else {
        guard.2 = true;
        upload.abort();
        return Ok(res);
    };
    tokio::spawn(async move {
        let mut guard = guard;
        loop {
            let msg = tokio::select! {
                m = rx.recv() => m,
                // The client went away (hyper dropped the body).
                _ = tx.closed() => break,
            };
            match msg {
                Some(In::Data(b)) => {
                    if tx.send(Ok(Frame::data(b))).await.is_err() {
                        break;
                    }
                }
                Some(In::End) => {
                    guard.2 = true;
                    break;
                }
                Some(In::Destroy) | None => {
                    let _ = tx.send(Err(std::io::Error::other(Abandoned))).await;
                    break;
                }
                Some(_) => {}
            }
        }
        upload.abort();
    });
    Ok(res)
}
