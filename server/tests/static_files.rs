//! The router serves the page and the package with the isolation headers,
//! tested without a socket.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ferrode_server::{app, AppState, Config, State};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn state() -> AppState {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    State::new(Config::new(root.join("web"), root.join("wasm"), "t".into()))
}

#[tokio::test]
async fn index_has_isolation_headers() {
    let res = app(state())
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cross-origin-opener-policy"], "same-origin");
    assert_eq!(
        res.headers()["cross-origin-embedder-policy"],
        "require-corp"
    );
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("<title>ferrode"));
}

#[tokio::test]
async fn package_files_are_served_with_js_mime() {
    let res = app(state())
        .oneshot(
            Request::get("/ferrode/js/index.js")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("text/javascript"), "{ct}");
}

#[tokio::test]
async fn missing_file_is_404() {
    let res = app(state())
        .oneshot(Request::get("/nope.js").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn wasm_has_its_mime_and_big_files_are_compressed() {
    let dir = std::env::temp_dir().join(format!("ferrode-static-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("m.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("big.js"), "export const x = 1;\n".repeat(500)).unwrap();
    let st = State::new(Config::new(dir.clone(), dir.clone(), "t".into()));
    let res = app(st.clone())
        .oneshot(Request::get("/ferrode/m.wasm").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "application/wasm");
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert_eq!(res.headers()["cross-origin-resource-policy"], "same-origin");
    let res = app(st)
        .oneshot(
            Request::get("/big.js")
                .header("accept-encoding", "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert!(body.len() < 1000, "{} bytes", body.len());
    std::fs::remove_dir_all(&dir).unwrap();
}
