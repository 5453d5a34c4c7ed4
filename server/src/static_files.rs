//! The static folders: the playground page (`web/`, at `/`) and the npm package
//! (`wasm/`, at `/ferrode/`).
//!
//! Two rules sit in front of tower-http's `ServeDir`:
//! - nothing resolving outside the folder is served: a symbolic link inside it
//!   that points out of it gives 404, like a missing file;
//! - under `/ferrode/` only what `npm pack` would publish is served: the
//!   package.json `files` list plus `package.json`, `README*` and `LICENSE*`
//!   (no `files` list: everything, as npm does). Folders are never redirected
//!   (a request for one is 404), so `/ferrode/js` cannot send the page to `/js/`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::Layer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// What one static folder may serve.
#[derive(Debug)]
struct Rules {
    /// The folder, resolved (`None` when it does not exist: everything is 404).
    root: Option<PathBuf>,
    /// The package's published paths (`dir/` entries are prefixes); `None`: all.
    files: Option<Vec<String>>,
}

/// The playground page: every file of `dir` that resolves inside it, `index.html` for folders.
pub fn web(dir: &Path) -> Router {
    let rules = Rules {
        root: dir.canonicalize().ok(),
        files: None,
    };
    let serve =
        CompressionLayer::new().layer(ServeDir::new(dir).append_index_html_on_directories(true));
    Router::new()
        .fallback_service(serve)
        .layer(axum::middleware::from_fn_with_state(Arc::new(rules), check))
}

/// The npm package: the files `npm pack` would publish from `dir`.
pub fn package(dir: &Path) -> Router {
    let rules = Rules {
        root: dir.canonicalize().ok(),
        files: published(dir),
    };
    let serve =
        CompressionLayer::new().layer(ServeDir::new(dir).append_index_html_on_directories(false));
    Router::new()
        .fallback_service(serve)
        .layer(axum::middleware::from_fn_with_state(Arc::new(rules), check))
}

/// The `files` list of `dir/package.json`, normalised (`./` and leading `/`
/// dropped); `None` when there is no such list.
fn published(dir: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(dir.join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let files = json.get("files")?.as_array()?;
    Some(
        files
            .iter()
            .filter_map(|f| f.as_str())
            .map(|f| {
                f.trim_start_matches("./")
                    .trim_start_matches('/')
                    .to_owned()
            })
            .collect(),
    )
}

/// Whether npm publishes `rel` (a path inside the package, no leading slash).
fn is_published(files: &[String], rel: &str) -> bool {
    let top = rel.split('/').next().unwrap_or_default();
    let always = rel == "package.json"
        || (!rel.contains('/')
            && ["readme", "license", "licence"]
                .iter()
                .any(|p| top.to_ascii_lowercase().starts_with(p)));
    always
        || files.iter().any(|f| match f.strip_suffix('/') {
            Some(dir) => rel.starts_with(dir) && rel.as_bytes().get(dir.len()) == Some(&b'/'),
            None => {
                rel == f
                    || (rel.starts_with(f.as_str()) && rel.as_bytes().get(f.len()) == Some(&b'/'))
            }
        })
}

/// Percent-decodes a URL path; `None` for bad escapes or non-UTF-8 results.
fn decode(path: &str) -> Option<String> {
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "").into_response()
}

/// The middleware: 404 for what the rules do not allow; the rest goes to `ServeDir`.
async fn check(State(rules): State<Arc<Rules>>, req: Request<Body>, next: Next) -> Response {
    let Some(root) = &rules.root else {
        return not_found();
    };
    let Some(path) = decode(req.uri().path()) else {
        return not_found();
    };
    let rel = path.trim_start_matches('/');
    if rel
        .split('/')
        .any(|seg| seg == ".." || seg.contains('\\') || seg.contains('\0'))
    {
        return not_found();
    }
    if let Some(files) = &rules.files {
        if !is_published(files, rel.trim_end_matches('/')) {
            return not_found();
        }
    }
    // Symbolic links are followed only while they stay inside the folder.
    if let Ok(real) = root.join(rel).canonicalize() {
        if !real.starts_with(root) {
            return not_found();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_files_follow_npm() {
        let files = vec![
            "js/".to_owned(),
            "pkg/st/ferrode_wasm.js".to_owned(),
            "types".to_owned(),
        ];
        assert!(is_published(&files, "js/index.js"));
        assert!(is_published(&files, "types/buffer.d.cts"));
        assert!(is_published(&files, "pkg/st/ferrode_wasm.js"));
        assert!(is_published(&files, "package.json"));
        assert!(is_published(&files, "README.md"));
        assert!(!is_published(&files, "src/lib.rs"));
        assert!(!is_published(&files, "Cargo.toml"));
        assert!(!is_published(&files, "jsx/a.js"));
        assert!(!is_published(&files, "pkg/st/other.wasm"));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(decode("/a%2Fb").as_deref(), Some("/a/b"));
        assert_eq!(decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(decode("/%zz"), None);
    }
}
