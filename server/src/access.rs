//! Who may use the server: the `Host`/`Origin` checks against DNS rebinding and
//! cross-site pages (403), and the access token for the API (401).
//!
//! Static files (the page and the package) are public so the printed URL loads;
//! `?token=` on any request sets an HttpOnly, SameSite=Strict cookie, and every
//! `/api/` request needs that cookie, the `x-ferrode-token` header or `?token=`.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Name of the cookie that carries the token.
pub const COOKIE: &str = "ferrode_token";
/// Name of the header that may carry the token.
pub const HEADER: &str = "x-ferrode-token";

/// The `host:port` forms this server answers to.
pub fn allowed_hosts(host: &str, port: u16) -> Vec<String> {
    let mut hosts = vec![format!("localhost:{port}")];
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => hosts.push(format!("[{v6}]:{port}")),
        Ok(ip) => hosts.push(format!("{ip}:{port}")),
        Err(_) => hosts.push(format!("{}:{port}", host.to_ascii_lowercase())),
    }
    if host == "127.0.0.1" || host == "::1" || host == "localhost" {
        hosts.push(format!("127.0.0.1:{port}"));
        hosts.push(format!("[::1]:{port}"));
    }
    hosts
}

fn query_token(query: Option<&str>) -> Option<&str> {
    query?.split('&').find_map(|kv| kv.strip_prefix("token="))
}

fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

/// Compares in time independent of where the strings differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub(crate) fn refuse(status: StatusCode, why: &'static str) -> Response {
    isolate(
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            why,
        )
            .into_response(),
    )
}

/// The headers every response carries: cross-origin isolation (COOP/COEP/CORP) so
/// the page may use SharedArrayBuffer, and revalidation unless a route chose caching.
pub(crate) fn isolate(mut res: Response) -> Response {
    // Names made once, not parsed from strings on every response.
    const COOP: HeaderName = HeaderName::from_static("cross-origin-opener-policy");
    const COEP: HeaderName = HeaderName::from_static("cross-origin-embedder-policy");
    const CORP: HeaderName = HeaderName::from_static("cross-origin-resource-policy");
    let h = res.headers_mut();
    h.insert(COOP, HeaderValue::from_static("same-origin"));
    h.insert(COEP, HeaderValue::from_static("require-corp"));
    h.insert(CORP, HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    res
}

/// The `Host`/`Origin` rule, shared by [`guard`] and the native `/hello` fast path
/// ([`crate::demo::FastHello`]): `Err` carries the 403's reason. Allocates nothing.
pub fn check_host_origin(
    headers: &HeaderMap,
    has_authority: bool,
    allowed: &[String],
) -> Result<(), &'static str> {
    match headers.get(header::HOST).map(|h| h.as_bytes()) {
        Some(h) if allowed.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(h)) => {}
        // HTTP/1.0 clients may omit Host; the URI then carries no authority either.
        None if !has_authority => {}
        _ => return Err("forbidden: unknown Host\n"),
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let ok = origin
            .to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|o| allowed.iter().any(|a| a.eq_ignore_ascii_case(o)));
        if !ok {
            return Err("forbidden: cross-origin request\n");
        }
    }
    Ok(())
}

/// The middleware: 403 for a foreign `Host` or `Origin`, 401 for an API call
/// without the token; sets the cookie when `?token=` is right.
pub async fn guard(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let cfg = &state.config;
    if let Err(why) = check_host_origin(
        req.headers(),
        req.uri().authority().is_some(),
        &state.allowed_hosts,
    ) {
        return refuse(StatusCode::FORBIDDEN, why);
    }
    let from_query = query_token(req.uri().query()).is_some_and(|t| same(t, &cfg.token));
    let authed = from_query
        || cookie_token(req.headers()).is_some_and(|t| same(t, &cfg.token))
        || req
            .headers()
            .get(HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| same(t, &cfg.token));
    if req.uri().path().starts_with("/api/") && !authed {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "unauthorized: missing or wrong token\n",
        );
    }
    let mut res = next.run(req).await;
    if from_query {
        let cookie = format!("{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/", cfg.token);
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    isolate(res)
}
