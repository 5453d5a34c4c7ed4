//! The ferrode companion server.
//!
//! It serves the playground (`web/`) and the built npm package (`wasm/`) with
//! the cross-origin isolation headers that let the page use the threaded
//! build, and (as it grows) does for the page what a browser cannot: real
//! ports, raw TCP, child processes.
//!
//! Run it with `./scripts/run.sh` from the repository root, or directly:
//! `ferrode-server --web-dir web --pkg-dir wasm --port 8787`. It prints the URL
//! to open, with a fresh access token.
//!
//! [`app`] builds the whole router, so tests drive it without a socket.

use std::path::PathBuf;

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// What the server needs to know to build its routes.
#[derive(Debug, Clone)]
pub struct Config {
    /// Folder of the playground page.
    pub web_dir: PathBuf,
    /// Folder of the npm package (`js/` and the built `pkg/`), served at `/ferrode/`.
    pub pkg_dir: PathBuf,
    /// The access token the printed URL carries.
    pub token: String,
}

/// A fresh random access token: 128 bits as 32 hex digits.
pub fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The whole application: static playground and package, with COOP/COEP on
/// every response so the page is cross-origin isolated.
pub fn app(config: Config) -> Router {
    let pkg = ServeDir::new(&config.pkg_dir);
    let web = ServeDir::new(&config.web_dir).append_index_html_on_directories(true);
    Router::new()
        .nest_service("/ferrode", pkg)
        .fallback_service(web)
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-embedder-policy"),
            HeaderValue::from_static("require-corp"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(CompressionLayer::new())
}
