//! Wire helpers shared by the channel kinds: dialing with Node's errors, the
//! byte pump between a socket and a channel, address fields, header pairs and a
//! body-frame stream. They depend on the channel types only, never on a channel
//! kind, so `listen` and `fetch` both use them without importing each other.

use std::net::SocketAddr;

use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use crate::channel::{Handle, In};
use crate::errors::{connect_error, error, io_code, lookup_error};

/// Node's `family` name of an address.
pub fn family(addr: &SocketAddr) -> &'static str {
    if addr.is_ipv4() {
        "IPv4"
    } else {
        "IPv6"
    }
}

/// The `PREFIXAddress`, `PREFIXPort` and `PREFIXFamily` fields of an address.
pub fn addr_json(prefix: &str, a: Option<SocketAddr>) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    if let Some(a) = a {
        m.insert(format!("{prefix}Address"), json!(a.ip().to_string()));
        m.insert(format!("{prefix}Port"), json!(a.port()));
        m.insert(format!("{prefix}Family"), json!(family(&a)));
    }
    m
}

/// Moves bytes both ways between `stream` and channel `id` until both sides
/// are done: `end` from the page half-closes the socket; the peer's FIN
/// becomes an `end` message; then a `close` message ends the channel.
pub async fn pump<S>(stream: S, handle: &Handle, id: u32, mut rx: mpsc::Receiver<In>)
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    let (mut r, mut w) = tokio::io::split(stream);
    let h = handle.clone();
    let mut reader = tokio::spawn(async move {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match r.read(&mut buf).await {
                Ok(0) => {
                    h.send(json!({ "t": "end", "id": id })).await;
                    return false;
                }
                Ok(n) => {
                    if !h.data(id, 0, buf.get(..n).unwrap_or_default()).await {
                        return false;
                    }
                }
                Err(e) => {
                    let (code, errno, _) = io_code(&e);
                    let err = error(
                        code,
                        format!("read {code}"),
                        json!({ "errno": errno, "syscall": "read" }),
                    );
                    h.error(id, err).await;
                    return true;
                }
            }
        }
    });
    let (mut read_done, mut write_done, mut had_error) = (false, false, false);
    while !(read_done && write_done) {
        tokio::select! {
            r = &mut reader, if !read_done => {
                read_done = true;
                if r.unwrap_or(true) {
                    had_error = true;
                    write_done = true;
                }
            }
            m = rx.recv(), if !write_done => match m {
                Some(In::Data(b)) => {
                    if let Err(e) = w.write_all(&b).await {
                        let (code, errno, _) = io_code(&e);
                        let err = error(code, format!("write {code}"), json!({ "errno": errno, "syscall": "write" }));
                        handle.error(id, err).await;
                        had_error = true;
                        write_done = true;
                        reader.abort();
                        read_done = true;
                    }
                }
                Some(In::End) => {
                    let _ = w.shutdown().await;
                    write_done = true;
                }
                Some(In::Destroy) | None => {
                    reader.abort();
                    read_done = true;
                    write_done = true;
                }
                Some(_) => {}
            },
        }
    }
    drop(w);
    handle
        .send(json!({ "t": "close", "id": id, "hadError": had_error }))
        .await;
    handle.close(id);
}

/// Resolves `host` and connects to the first address that answers, with
/// Node's errors (ENOTFOUND, ECONNREFUSED, ETIMEDOUT ...).
pub async fn dial(
    host: &str,
    port: u16,
    timeout: Option<std::time::Duration>,
) -> Result<TcpStream, Value> {
    let addrs: Vec<SocketAddr> = match tokio::net::lookup_host((host, port)).await {
        Ok(a) => a.collect(),
        Err(_) => return Err(lookup_error(host)),
    };
    let mut last = lookup_error(host);
    for addr in addrs {
        let attempt = TcpStream::connect(addr);
        let r = match timeout {
            Some(t) => match tokio::time::timeout(t, attempt).await {
                Ok(r) => r,
                Err(_) => Err(std::io::Error::from_raw_os_error(libc::ETIMEDOUT)),
            },
            None => attempt.await,
        };
        match r {
            Ok(s) => return Ok(s),
            Err(e) => last = connect_error(&e, &addr.ip().to_string(), port),
        }
    }
    Err(last)
}

/// A tiny adapter: an mpsc receiver as a `Stream` of body frames.
pub mod tokio_stream_lite {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use bytes::Bytes;
    use hyper::body::Frame;
    use tokio::sync::mpsc;

    /// Receives body frames.
    pub struct Rx(pub mpsc::Receiver<Result<Frame<Bytes>, std::io::Error>>);

    impl futures_util::Stream for Rx {
        type Item = Result<Frame<Bytes>, std::io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            self.0.poll_recv(cx)
        }
    }
}

/// Headers as `[[name, value], ...]` (values as UTF-8, lossy).
pub fn header_pairs(h: &hyper::HeaderMap) -> Value {
    Value::Array(
        h.iter()
            .map(|(k, v)| json!([k.as_str(), String::from_utf8_lossy(v.as_bytes())]))
            .collect(),
    )
}
