//! Page-side HTTP and HTTPS servers behind the companion, reached by a Rust client
//! (reqwest, rustls). The page is a test client speaking the WebSocket protocol of
//! `server/PROTOCOL.md`: it listens, receives each request's head and body, and
//! answers with what it saw, so the client checks that method, path, headers and
//! body crossed the tunnel both ways (one-message and streamed responses, a
//! fixed-length and a chunked body, TLS terminated by the companion).

use std::collections::HashMap;
use std::time::Duration;

use ferrode_server::{app, serve::serve, Config, State};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

#[path = "support/certs.rs"]
mod certs;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

/// Starts the companion on a loopback port; returns the port.
async fn companion() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut c = Config::new(root.join("web"), root.join("wasm"), TOKEN.into());
    c.port = port;
    let state = State::new(c);
    let limits = state.config.limits.clone();
    tokio::spawn(async move { serve(listener, app(state), &limits, std::future::pending()).await });
    port
}

/// What the page answers for one request: a JSON echo of what it received.
fn echo(head: &Value, body: &[u8]) -> String {
    let headers: HashMap<String, String> = head["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_ascii_lowercase(),
                p[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    json!({
        "method": head["method"],
        "url": head["url"],
        "x-test": headers.get("x-test"),
        "body": String::from_utf8_lossy(body),
    })
    .to_string()
}

/// Connects as the page, listens with `listen` (a `{ t: "listen" }` message
/// without `t`/`id`) and serves requests in the background; returns the port.
/// Requests whose path starts with `/stream` get a streamed, chunked answer
/// (binary frames, then `end`); the others a one-message answer.
async fn page(companion_port: u16, listen: Value) -> u16 {
    let mut req = format!("ws://127.0.0.1:{companion_port}/api/ws")
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("x-ferrode-token", TOKEN.parse().unwrap());
    req.headers_mut().insert(
        "origin",
        format!("http://127.0.0.1:{companion_port}")
            .parse()
            .unwrap(),
    );
    let (ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let (mut tx, mut rx) = ws.split();
    let hello: Value = match rx.next().await.unwrap().unwrap() {
        Message::Text(t) => serde_json::from_str(&t).unwrap(),
        m => panic!("expected hello, got {m:?}"),
    };
    assert_eq!(hello["t"], "hello");
    let mut msg = listen;
    msg["t"] = json!("listen");
    msg["id"] = json!(1);
    tx.send(Message::text(msg.to_string())).await.unwrap();
    let listening: Value = match rx.next().await.unwrap().unwrap() {
        Message::Text(t) => serde_json::from_str(&t).unwrap(),
        m => panic!("expected listening, got {m:?}"),
    };
    assert_eq!(listening["t"], "listening", "{listening}");
    let port = u16::try_from(listening["port"].as_u64().unwrap()).unwrap();

    // One task writes, so answers from any request go out in order.
    let (out, mut outq) = mpsc::unbounded_channel::<Message>();
    tokio::spawn(async move {
        while let Some(m) = outq.recv().await {
            if tx.send(m).await.is_err() {
                break;
            }
        }
    });
    tokio::spawn(async move {
        let mut open: HashMap<u32, (Value, Vec<u8>)> = HashMap::new();
        while let Some(Ok(m)) = rx.next().await {
            let done = match m {
                Message::Text(t) => {
                    let v: Value = serde_json::from_str(&t).unwrap();
                    match v["t"].as_str() {
                        Some("request") => {
                            let ch = u32::try_from(v["req"].as_u64().unwrap()).unwrap();
                            let ended = v["end"] == json!(true);
                            open.insert(ch, (v, Vec::new()));
                            ended.then_some(ch)
                        }
                        Some("end") => v["id"].as_u64().and_then(|i| u32::try_from(i).ok()),
                        _ => None,
                    }
                }
                Message::Binary(b) if b.len() >= 5 => {
                    let ch = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
                    if let Some((_, body)) = open.get_mut(&ch) {
                        body.extend_from_slice(&b[5..]);
                    }
                    None
                }
                _ => None,
            };
            let Some(ch) = done else { continue };
            let Some((head, body)) = open.remove(&ch) else {
                continue;
            };
            let answer = echo(&head, &body);
            let streamed = head["url"].as_str().unwrap().starts_with("/stream");
            let headers = json!([["content-type", "application/json"], ["x-page", "yes"]]);
            if streamed {
                let respond =
                    json!({ "t": "respond", "id": ch, "status": 201, "headers": headers });
                let _ = out.send(Message::text(respond.to_string()));
                // Two pieces, to make the chunked body really come in parts.
                let (a, b) = answer.as_bytes().split_at(answer.len() / 2);
                for piece in [a, b] {
                    let mut frame = ch.to_be_bytes().to_vec();
                    frame.push(0);
                    frame.extend_from_slice(piece);
                    let _ = out.send(Message::binary(frame));
                }
                let _ = out.send(Message::text(json!({ "t": "end", "id": ch }).to_string()));
            } else {
                let respond = json!({
                    "t": "respond", "id": ch, "status": 200, "headers": headers,
                    "data": answer, "end": true,
                });
                let _ = out.send(Message::text(respond.to_string()));
            }
        }
    });
    port
}

/// Checks one exchange: GET and POST, one-message and streamed answers.
async fn exchanges(client: &reqwest::Client, base: &str) {
    let res = client
        .get(format!("{base}/hello?x=1"))
        .header("x-test", "one")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-page"], "yes");
    assert_eq!(res.headers()["content-type"], "application/json");
    let v: Value = serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(
        v,
        json!({ "method": "GET", "url": "/hello?x=1", "x-test": "one", "body": "" })
    );

    let body = "a body that crosses the tunnel ".repeat(1000);
    let res = client
        .post(format!("{base}/stream/echo"))
        .header("x-test", "two")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    // No content-length from the page: HTTP/1.1 chunked, as Node's http does.
    assert_eq!(res.headers()["transfer-encoding"], "chunked");
    let v: Value = serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(
        v,
        json!({ "method": "POST", "url": "/stream/echo", "x-test": "two", "body": body })
    );
}

#[tokio::test]
async fn reqwest_reaches_a_tunnelled_http_server() {
    let port = page(companion().await, json!({ "kind": "http", "port": 0 })).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    exchanges(&client, &format!("http://127.0.0.1:{port}")).await;
    // Keep-alive: several requests on the client's pooled connection.
    for _ in 0..5 {
        exchanges(&client, &format!("http://127.0.0.1:{port}")).await;
    }
}

#[tokio::test]
async fn reqwest_reaches_a_tunnelled_https_server_with_tls_at_the_companion() {
    // A CA and a leaf for localhost: the client trusts the CA only.
    let certs::Pki { ca, leaf, leaf_key } = certs::ca_and_leaf();
    let listen = json!({
        "kind": "https", "port": 0,
        "key": leaf_key.serialize_pem(), "cert": leaf.pem(),
    });
    let port = page(companion().await, listen).await;

    let trusting = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(ca.pem().as_bytes()).unwrap())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    exchanges(&trusting, &format!("https://localhost:{port}")).await;

    // Without the CA the handshake fails on the client: TLS really is end to end.
    let strict = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let err = strict
        .get(format!("https://localhost:{port}/hello"))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
}
