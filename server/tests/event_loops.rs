//! `serve_threads` with several event loops, on real sockets: connections dealt
//! to every loop are served (keep-alive included), the 403 rule holds on each,
//! and on shutdown a request in flight on another loop than the acceptor's
//! finishes before `serve_threads` returns; the port is closed afterwards.

use std::time::Duration;

use ferrode_server::demo::FastHello;
use ferrode_server::{app, serve::serve_threads, Config, State};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

/// Sends one request on `conn` and reads one response (its head and a body of
/// `content-length` bytes).
async fn exchange(conn: &mut TcpStream, request: &str) -> (u16, String) {
    conn.write_all(request.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = conn.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed before the response ended");
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let head = &text[..end];
            let len: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .expect("content-length");
            if buf.len() >= end + 4 + len {
                let status = head[9..12].parse().unwrap();
                return (status, text[end + 4..end + 4 + len].to_owned());
            }
        }
    }
}

#[tokio::test]
async fn every_loop_serves_and_shutdown_drains_them() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut c = Config::new(root.join("web"), root.join("wasm"), TOKEN.into());
    c.port = port;
    c.demo_routes = true;
    let state = State::new(c);
    let limits = state.config.limits.clone();
    let svc = FastHello::new(app(state.clone()), &state);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let stop = async {
            let _ = stop_rx.await;
        };
        serve_threads(listener, svc, &limits, stop, 3).await
    });

    let hello = format!(
        "GET /hello HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nx-ferrode-token: {TOKEN}\r\n\r\n"
    );
    let rebinding =
        format!("GET /hello HTTP/1.1\r\nHost: evil.example\r\nx-ferrode-token: {TOKEN}\r\n\r\n");
    // Connections are dealt out in turn: six of them reach each of the three loops twice.
    let mut conns = Vec::new();
    for _ in 0..6 {
        let mut conn = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let (status, body) = exchange(&mut conn, &hello).await;
        assert_eq!(
            (status, body.as_str()),
            (200, r#"{"message":"Hello, World!"}"#)
        );
        conns.push(conn);
    }
    for conn in &mut conns {
        // Keep-alive on every loop, and the Host rule on every loop.
        assert_eq!(exchange(conn, &hello).await.0, 200);
        assert_eq!(exchange(conn, &rebinding).await.0, 403);
    }

    // The seventh goes to the acceptor's loop, the eighth to the second loop: a
    // request in flight there when shutdown comes still gets its answer.
    let mut seventh = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    assert_eq!(exchange(&mut seventh, &hello).await.0, 200);
    let mut slow = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let request = format!(
        "GET /slow?n=20000000 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nx-ferrode-token: {TOKEN}\r\n\r\n"
    );
    let answer = tokio::spawn(async move { exchange(&mut slow, &request).await });
    tokio::time::sleep(Duration::from_millis(20)).await;
    stop_tx.send(()).unwrap();
    let (status, body) = answer.await.unwrap();
    assert_eq!((status, body.as_str()), (200, "slow response: 20000000"));
    tokio::time::timeout(Duration::from_secs(15), server)
        .await
        .expect("serve_threads returns after the drain")
        .unwrap()
        .unwrap();
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err());
}
