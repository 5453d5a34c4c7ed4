//! The native `GET /hello` fast path ([`FastHello`]) answers exactly as the routed
//! `/hello` of [`app`] does, applies the same `Host`/`Origin` rule, and hands
//! every other request (other paths, methods, a query) to the app. The demo
//! routes are mounted with `--demo-routes` only, and need the token or a
//! same-origin fetch.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::response::Response;
use ferrode_server::demo::FastHello;
use ferrode_server::{app, Config, State};
use http_body_util::BodyExt;
use tower::ServiceExt;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

fn state() -> ferrode_server::AppState {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut c = Config::new(root.join("web"), root.join("wasm"), TOKEN.into());
    c.port = 8787;
    c.demo_routes = true;
    State::new(c)
}

/// Status, headers and body of `req` answered by the app alone and by the fast path in front of it.
async fn both(req: impl Fn() -> Request<Body>) -> [(StatusCode, HeaderMap, Vec<u8>); 2] {
    async fn parts(res: Response) -> (StatusCode, HeaderMap, Vec<u8>) {
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        (status, headers, body)
    }
    let st = state();
    let routed = parts(app(st.clone()).oneshot(req()).await.unwrap()).await;
    let fast = FastHello::new(app(st.clone()), &st);
    let fast = parts(fast.oneshot(req()).await.unwrap()).await;
    [routed, fast]
}

fn get(uri: &str, host: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::HOST, host)
        .header("x-ferrode-token", TOKEN)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn hello_is_the_same_response_either_way() {
    let [routed, fast] = both(|| get("/hello", "127.0.0.1:8787")).await;
    assert_eq!(routed.0, StatusCode::OK);
    assert_eq!(routed, fast);
    assert_eq!(fast.2, br#"{"message":"Hello, World!"}"#);
    assert_eq!(fast.1[header::CONTENT_TYPE], "application/json");
    assert_eq!(fast.1["cross-origin-embedder-policy"], "require-corp");
    // Host is compared without regard to case, as before.
    let [routed, fast] = both(|| get("/hello", "LocalHost:8787")).await;
    assert_eq!(routed.0, StatusCode::OK);
    assert_eq!(routed, fast);
}

#[tokio::test]
async fn hello_refuses_rebinding_host_and_foreign_origin_like_the_guard() {
    let [routed, fast] = both(|| get("/hello", "evil.example:8787")).await;
    assert_eq!(routed.0, StatusCode::FORBIDDEN);
    assert_eq!(routed, fast);
    let [routed, fast] = both(|| get("/hello", "127.0.0.1:9999")).await;
    assert_eq!(routed.0, StatusCode::FORBIDDEN);
    assert_eq!(routed, fast);
    let foreign = || {
        Request::get("/hello")
            .header(header::HOST, "127.0.0.1:8787")
            .header(header::ORIGIN, "http://evil.example")
            .header("x-ferrode-token", TOKEN)
            .body(Body::empty())
            .unwrap()
    };
    let [routed, fast] = both(foreign).await;
    assert_eq!(routed.0, StatusCode::FORBIDDEN);
    assert_eq!(routed, fast);
    let own = || {
        Request::get("/hello")
            .header(header::HOST, "127.0.0.1:8787")
            .header(header::ORIGIN, "http://localhost:8787")
            .header("x-ferrode-token", TOKEN)
            .body(Body::empty())
            .unwrap()
    };
    let [routed, fast] = both(own).await;
    assert_eq!(routed.0, StatusCode::OK);
    assert_eq!(routed, fast);
}

#[tokio::test]
async fn everything_else_goes_to_the_app() {
    // A query takes the routed path; no cookie is ever set.
    let [routed, fast] = both(|| get(&format!("/hello?token={TOKEN}"), "127.0.0.1:8787")).await;
    assert!(!fast.1.contains_key(header::SET_COOKIE));
    assert_eq!(routed, fast);
    let [routed, fast] = both(|| get("/fast", "127.0.0.1:8787")).await;
    assert_eq!(fast.2, b"fast response");
    assert_eq!(routed, fast);
    let [routed, fast] = both(|| {
        Request::get("/api/info")
            .header(header::HOST, "127.0.0.1:8787")
            .body(Body::empty())
            .unwrap()
    })
    .await;
    assert_eq!(fast.0, StatusCode::UNAUTHORIZED);
    assert_eq!(routed, fast);
    let post = || {
        Request::post("/hello")
            .header(header::HOST, "127.0.0.1:8787")
            .header("x-ferrode-token", TOKEN)
            .body(Body::from("echo me"))
            .unwrap()
    };
    let [routed, fast] = both(post).await;
    assert_eq!(fast.2, b"echo me");
    assert_eq!(routed, fast);
}

#[tokio::test]
async fn hello_needs_the_token_or_a_same_origin_fetch_like_the_guard() {
    let bare = || {
        Request::get("/hello")
            .header(header::HOST, "127.0.0.1:8787")
            .body(Body::empty())
            .unwrap()
    };
    let [routed, fast] = both(bare).await;
    assert_eq!(routed.0, StatusCode::FORBIDDEN);
    assert_eq!(routed, fast);
    let cross = || {
        Request::get("/hello")
            .header(header::HOST, "127.0.0.1:8787")
            .header("sec-fetch-site", "cross-site")
            .body(Body::empty())
            .unwrap()
    };
    let [routed, fast] = both(cross).await;
    assert_eq!(routed.0, StatusCode::FORBIDDEN);
    assert_eq!(routed, fast);
    let same = || {
        Request::get("/hello")
            .header(header::HOST, "127.0.0.1:8787")
            .header("sec-fetch-site", "same-origin")
            .body(Body::empty())
            .unwrap()
    };
    let [routed, fast] = both(same).await;
    assert_eq!(routed.0, StatusCode::OK);
    assert_eq!(routed, fast);
}
