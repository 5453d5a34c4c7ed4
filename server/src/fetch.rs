//! Outbound HTTP and HTTPS requests for the page (`http.request`,
//! `https.request`): the request head and streamed body come from the page,
//! the response head and streamed body go back; failures carry Node's codes.

use bytes::Bytes;
use http_body_util::{BodyExt, Either, Empty, StreamBody};
use hyper::body::Frame;
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::channel::{Handle, In};
use crate::errors::error;
use crate::protocol::RequestMsg;
use crate::wire::{dial, header_pairs, tokio_stream_lite};
use crate::AppState;

/// Handles a `request` message until the exchange is over, then sends `close`.
pub async fn request(
    state: AppState,
    handle: Handle,
    id: u32,
    v: RequestMsg,
    mut rx: mpsc::Receiver<In>,
) {
    if let Err(e) = run(&state, &handle, id, &v, &mut rx).await {
        handle.error(id, e).await;
    }
    handle.send(json!({ "t": "close", "id": id })).await;
    handle.close(id);
}

fn hang_up() -> Value {
    error("ECONNRESET", "socket hang up".into(), json!({}))
}

/// The page's headers: `[[name, value], ...]` or `{ name: value | [values] }`.
fn headers(v: Option<&Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match v {
        Some(Value::Array(pairs)) => {
            for p in pairs {
                if let (Some(k), Some(val)) = (p.get(0).and_then(Value::as_str), p.get(1)) {
                    out.push((
                        k.to_owned(),
                        val.as_str().map(str::to_owned).unwrap_or(val.to_string()),
                    ));
                }
            }
        }
        Some(Value::Object(m)) => {
            for (k, val) in m {
                match val {
                    Value::Array(vs) => {
                        for x in vs {
                            out.push((
                                k.clone(),
                                x.as_str().map(str::to_owned).unwrap_or(x.to_string()),
                            ));
                        }
                    }
                    Value::String(s) => out.push((k.clone(), s.clone())),
                    other => out.push((k.clone(), other.to_string())),
                }
            }
        }
        _ => {}
    }
    out
}

trait Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin> Io for T {}

async fn run(
    state: &AppState,
    handle: &Handle,
    id: u32,
    v: &RequestMsg,
    rx: &mut mpsc::Receiver<In>,
) -> Result<(), Value> {
    let https = match v.protocol.as_deref().unwrap_or("http:") {
        "http:" => false,
        "https:" => true,
        other => {
            return Err(error(
                "ERR_INVALID_PROTOCOL",
                format!("Protocol \"{other}\" not supported. Expected \"http:\""),
                json!({}),
            ))
        }
    };
    let host = v
        .hostname
        .as_deref()
        .or(v.host.as_deref())
        .unwrap_or("localhost")
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let default_port = if https { 443 } else { 80 };
    let port = match &v.port {
        None | Some(Value::Null) => default_port,
        Some(p) => p
            .as_u64()
            .or_else(|| p.as_str().and_then(|s| s.parse().ok()))
            .and_then(|p| u16::try_from(p).ok())
            .ok_or_else(|| {
                error(
                    "ERR_SOCKET_BAD_PORT",
                    format!("Port should be >= 0 and < 65536. Received {p}."),
                    json!({}),
                )
            })?,
    };
    let method = v.method.as_deref().unwrap_or("GET").to_ascii_uppercase();
    let method = hyper::Method::from_bytes(method.as_bytes()).map_err(|_| {
        error(
            "ERR_INVALID_HTTP_TOKEN",
            format!("Method must be a valid HTTP token [\"{method}\"]"),
            json!({}),
        )
    })?;
    let path = v.path.as_deref().unwrap_or("/").to_owned();
    let hdrs = headers(v.headers.as_ref());
    let timeout = crate::protocol::millis(v.timeout.as_ref());

    let tcp = dial(&host, port, timeout).await?;
    let _ = tcp.set_nodelay(true);
    let io: Box<dyn Io> = if https {
        let reject = v.reject_unauthorized.unwrap_or(true);
        let cfg = if reject {
            state.tls.verify.clone()
        } else {
            state.tls.any.clone()
        };
        let cfg =
            cfg.ok_or_else(|| error("ERR_SSL_INTERNAL", "TLS is not available".into(), json!({})))?;
        let sni = v.servername.as_deref().unwrap_or(&host).to_owned();
        let name = rustls::pki_types::ServerName::try_from(sni).map_err(|e| {
            error(
                "ERR_INVALID_ARG_VALUE",
                format!("bad servername: {e}"),
                json!({}),
            )
        })?;
        let tls = tokio_rustls::TlsConnector::from(cfg)
            .connect(name, tcp)
            .await
            .map_err(|e| crate::tls::handshake_error(&e, &host))?;
        Box::new(tls)
    } else {
        Box::new(tcp)
    };
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|_| hang_up())?;
    let conn = tokio::spawn(conn);

    // The first event from the page says whether a body follows (Node sends no
    // body framing for a request ended without writes).
    let first = loop {
        match rx.recv().await {
            Some(In::Data(b)) => break Some(b),
            Some(In::End) => break None,
            Some(In::Destroy) | None => {
                conn.abort();
                return Ok(());
            }
            Some(_) => {}
        }
    };
    let (body_tx, body) =
        match first {
            None => (
                None,
                Either::Left(Empty::<Bytes>::new().map_err(
                    |never: std::convert::Infallible| -> std::io::Error { match never {} },
                )),
            ),
            Some(b) => {
                let (tx, brx) = mpsc::channel::<Result<Frame<Bytes>, std::io::Error>>(16);
                let _ = tx.send(Ok(Frame::data(b))).await;
                (
                    Some(tx),
                    Either::Right(StreamBody::new(tokio_stream_lite::Rx(brx))),
                )
            }
        };
    let mut req = Request::builder().method(method).uri(&path);
    let has_host = hdrs.iter().any(|(k, _)| k.eq_ignore_ascii_case("host"));
    for (k, val) in &hdrs {
        req = req.header(k.as_str(), val.as_str());
    }
    if !has_host {
        let h = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.clone()
        };
        let h = if port == default_port {
            h
        } else {
            format!("{h}:{port}")
        };
        req = req.header(hyper::header::HOST, h);
    }
    let req = req.body(body).map_err(|e| {
        error(
            "ERR_INVALID_ARG_VALUE",
            format!("bad request head: {e}"),
            json!({}),
        )
    })?;
    let mut body_tx = body_tx;
    let send = sender.send_request(req);
    tokio::pin!(send);
    let res = loop {
        tokio::select! {
            r = &mut send => break r.map_err(|_| hang_up())?,
            m = rx.recv() => match m {
                Some(In::Data(b)) => {
                    if let Some(tx) = &body_tx {
                        let _ = tx.send(Ok(Frame::data(b))).await;
                    }
                }
                Some(In::End) => body_tx = None,
                Some(In::Destroy) | None => {
                    conn.abort();
                    return Ok(());
                }
                Some(_) => {}
            },
        }
    };
    let reason = res
        .extensions()
        .get::<hyper::ext::ReasonPhrase>()
        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
        .or_else(|| res.status().canonical_reason().map(str::to_owned))
        .unwrap_or_default();
    let version = if res.version() == hyper::Version::HTTP_10 {
        "1.0"
    } else {
        "1.1"
    };
    handle
        .send(json!({
            "t": "response", "id": id, "statusCode": res.status().as_u16(), "statusMessage": reason,
            "httpVersion": version, "headers": header_pairs(res.headers()),
        }))
        .await;
    let mut body = res.into_body();
    loop {
        tokio::select! {
            f = body.frame() => match f {
                Some(Ok(f)) => {
                    if let Ok(d) = f.into_data() {
                        if !handle.data(id, 0, &d).await {
                            return Ok(());
                        }
                    }
                }
                Some(Err(_)) => {
                    handle.send(json!({ "t": "aborted", "id": id })).await;
                    return Err(error("ECONNRESET", "aborted".into(), json!({})));
                }
                None => break,
            },
            m = rx.recv() => match m {
                Some(In::Data(b)) => {
                    if let Some(tx) = &body_tx {
                        let _ = tx.send(Ok(Frame::data(b))).await;
                    }
                }
                Some(In::End) => body_tx = None,
                Some(In::Destroy) | None => return Ok(()),
                Some(_) => {}
            },
        }
    }
    handle.send(json!({ "t": "end", "id": id })).await;
    Ok(())
}
