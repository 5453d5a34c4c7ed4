//! Access control, without a socket: the token (401), `Host` against DNS
//! rebinding and `Origin` against other sites (403), `--no-exec`, the workdir
//! boundary, body limits, and the seed's demo routes.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use ferrode_server::{app, Config, State};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

fn config() -> Config {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut c = Config::new(root.join("web"), root.join("wasm"), TOKEN.into());
    c.port = 8787;
    c
}

fn router(c: Config) -> Router {
    app(State::new(c))
}

async fn status(r: Router, req: Request<Body>) -> StatusCode {
    r.oneshot(req).await.unwrap().status()
}

async fn json_of(r: Router, req: Request<Body>) -> (StatusCode, Value) {
    let res = r.oneshot(req).await.unwrap();
    let st = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (st, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn get(uri: &str) -> axum::http::request::Builder {
    Request::get(uri).header(header::HOST, "127.0.0.1:8787")
}

#[tokio::test]
async fn api_without_token_is_401() {
    assert_eq!(
        status(
            router(config()),
            get("/api/info").body(Body::empty()).unwrap()
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
    let wrong = get("/api/info")
        .header("x-ferrode-token", "nope")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        status(router(config()), wrong).await,
        StatusCode::UNAUTHORIZED
    );
    let ws = get("/api/ws")
        .header(header::UPGRADE, "websocket")
        .header(header::CONNECTION, "upgrade")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .body(Body::empty())
        .unwrap();
    assert_eq!(status(router(config()), ws).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn token_by_header_or_subprotocol_never_by_query_or_cookie() {
    let by_header = get("/api/info")
        .header("x-ferrode-token", TOKEN)
        .body(Body::empty())
        .unwrap();
    assert_eq!(status(router(config()), by_header).await, StatusCode::OK);
    let by_protocol = get("/api/info")
        .header(
            "sec-websocket-protocol",
            format!("ferrode, ferrode-token.{TOKEN}"),
        )
        .body(Body::empty())
        .unwrap();
    assert_eq!(status(router(config()), by_protocol).await, StatusCode::OK);
    // A URL ends up in logs and Referer headers: the token is never read from one.
    let by_query = get(&format!("/api/info?token={TOKEN}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        status(router(config()), by_query).await,
        StatusCode::UNAUTHORIZED
    );
    // Cookies are not separated by port: any server on the host would get one.
    let by_cookie = get("/api/info")
        .header(header::COOKIE, format!("a=b; ferrode_token={TOKEN}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        status(router(config()), by_cookie).await,
        StatusCode::UNAUTHORIZED
    );
    let res = router(config())
        .oneshot(
            get(&format!("/?token={TOKEN}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!res.headers().contains_key(header::SET_COOKIE));
}

#[tokio::test]
async fn static_files_are_public() {
    assert_eq!(
        status(router(config()), get("/").body(Body::empty()).unwrap()).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn rebinding_host_is_403() {
    for host in [
        "evil.example:8787",
        "127.0.0.1:9999",
        "localhost.evil.example:8787",
    ] {
        let req = Request::get("/api/info")
            .header(header::HOST, host)
            .header("x-ferrode-token", TOKEN)
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            status(router(config()), req).await,
            StatusCode::FORBIDDEN,
            "{host}"
        );
    }
    let page = Request::get("/")
        .header(header::HOST, "evil.example:8787")
        .body(Body::empty())
        .unwrap();
    assert_eq!(status(router(config()), page).await, StatusCode::FORBIDDEN);
    let ok = Request::get("/api/info")
        .header(header::HOST, "localhost:8787")
        .header("x-ferrode-token", TOKEN)
        .body(Body::empty())
        .unwrap();
    assert_eq!(status(router(config()), ok).await, StatusCode::OK);
}

#[tokio::test]
async fn foreign_origin_is_403() {
    for origin in [
        "http://evil.example",
        "http://127.0.0.1:9999",
        "https://127.0.0.1:8787",
        "null",
    ] {
        let req = get("/api/info")
            .header(header::ORIGIN, origin)
            .header("x-ferrode-token", TOKEN)
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            status(router(config()), req).await,
            StatusCode::FORBIDDEN,
            "{origin}"
        );
    }
    let same = get("/api/info")
        .header(header::ORIGIN, "http://127.0.0.1:8787")
        .header("x-ferrode-token", TOKEN)
        .body(Body::empty())
        .unwrap();
    assert_eq!(status(router(config()), same).await, StatusCode::OK);
}

fn spawn_sync(body: Value) -> Request<Body> {
    Request::post("/api/spawn-sync")
        .header(header::HOST, "127.0.0.1:8787")
        .header("x-ferrode-token", TOKEN)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn no_exec_refuses_spawns() {
    let mut c = config();
    c.exec = false;
    let (st, v) = json_of(router(c), spawn_sync(json!({ "file": "true" }))).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["error"]["code"], "ERR_FERRODE_EXEC_DISABLED");
    assert_eq!(v["pid"], 0);
}

#[tokio::test]
async fn cwd_outside_workdir_is_refused() {
    let dir = std::env::temp_dir().join(format!("ferrode-access-test-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let mut c = config();
    c.workdir = dir.clone();
    for cwd in ["..", "/", "sub/../..", "/etc"] {
        let (_, v) = json_of(
            router(c.clone()),
            spawn_sync(json!({ "file": "pwd", "cwd": cwd })),
        )
        .await;
        assert_eq!(v["error"]["code"], "EACCES", "{cwd}: {v}");
        assert_eq!(v["error"]["syscall"], "spawnSync pwd");
    }
    let (_, v) = json_of(
        router(c.clone()),
        spawn_sync(json!({ "file": "pwd", "cwd": "sub" })),
    )
    .await;
    assert_eq!(v["status"], 0, "{v}");
    let out = base64_decode(v["stdout"].as_str().unwrap());
    assert_eq!(
        String::from_utf8(out).unwrap().trim_end(),
        dir.join("sub").canonicalize().unwrap().to_str().unwrap()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

#[tokio::test]
async fn oversized_body_is_413() {
    let mut c = config();
    c.limits.max_body = 1024;
    let big = json!({ "file": "true", "input": "A".repeat(4096) });
    assert_eq!(
        status(router(c), spawn_sync(big)).await,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

#[tokio::test]
async fn spawn_sync_reports_exit_code_and_output_limits() {
    let (_, v) = json_of(
        router(config()),
        spawn_sync(json!({ "file": "exit 3", "shell": true })),
    )
    .await;
    assert_eq!(v["status"], 3);
    assert!(v.get("error").is_none());
    let (_, v) = json_of(
        router(config()),
        spawn_sync(json!({ "file": "head -c 5000 /dev/zero", "shell": true, "maxBuffer": 100 })),
    )
    .await;
    assert_eq!(v["error"]["code"], "ENOBUFS", "{v}");
    assert_eq!(v["error"]["message"], "spawnSync /bin/sh ENOBUFS");
    let (_, v) = json_of(
        router(config()),
        spawn_sync(json!({ "file": "sleep", "args": ["5"], "timeout": 100 })),
    )
    .await;
    assert_eq!(v["error"]["code"], "ETIMEDOUT", "{v}");
    assert_eq!(v["signal"], "SIGTERM");
    let (_, v) = json_of(
        router(config()),
        spawn_sync(json!({ "file": "cat", "input": "aGVsbG8=" })),
    )
    .await;
    assert_eq!(base64_decode(v["stdout"].as_str().unwrap()), b"hello");
    let (_, v) = json_of(
        router(config()),
        spawn_sync(json!({ "file": "no-such-cmd-ferrode" })),
    )
    .await;
    assert_eq!(v["error"]["code"], "ENOENT");
    assert_eq!(
        v["error"]["message"],
        "spawnSync no-such-cmd-ferrode ENOENT"
    );
    assert_eq!(v["error"]["errno"], -2);
}

#[tokio::test]
async fn demo_routes_are_mounted_only_with_the_flag() {
    let res = router(config())
        .oneshot(
            get("/hello")
                .header("x-ferrode-token", TOKEN)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

fn demo_config() -> Config {
    let mut c = config();
    c.demo_routes = true;
    c
}

#[tokio::test]
async fn demo_routes_answer_like_the_seed() {
    let get = |uri: &str| get(uri).header("x-ferrode-token", TOKEN);
    let (st, v) = json_of(
        router(demo_config()),
        get("/hello").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v, json!({ "message": "Hello, World!" }));
    let echo = Request::post("/hello")
        .header(header::HOST, "127.0.0.1:8787")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from("ping"))
        .unwrap();
    let res = router(demo_config()).oneshot(echo).await.unwrap();
    assert_eq!(res.into_body().collect().await.unwrap().to_bytes(), "ping");
    let res = router(demo_config())
        .oneshot(get("/slow?n=1000").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        res.into_body().collect().await.unwrap().to_bytes(),
        "slow response: 1000"
    );
    let res = router(demo_config())
        .oneshot(get("/fast").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        res.into_body().collect().await.unwrap().to_bytes(),
        "fast response"
    );
}
