//! Who may use the server: the `Host`/`Origin` checks against DNS rebinding and
//! cross-site pages (403), and the access token for the API (401).
//!
//! Static files (the page and the package) are public so the printed URL loads.
//! The printed URL carries the token in its fragment (`#token=`), which browsers
//! never send; the page reads it and sends it itself. No cookie ever carries it:
//! cookies are not separated by port, so any other server on the same host would
//! receive it. Every `/api/` request needs the token in the `x-ferrode-token`
//! header or as a WebSocket subprotocol `ferrode-token.T` (never in a URL, where
//! logs and Referer headers would keep it). The demo routes (`--demo-routes`) need
//! the token or a same-origin fetch (`Sec-Fetch-Site: same-origin`).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Name of the header that may carry the token.
pub const HEADER: &str = "x-ferrode-token";
/// The WebSocket subprotocol the server selects; the page offers it with `ferrode-token.T`.
pub const WS_PROTOCOL: &str = "ferrode";
/// Prefix of the WebSocket subprotocol that carries the token.
pub const WS_TOKEN_PREFIX: &str = "ferrode-token.";

/// The `host:port` forms this server answers to: `localhost`, the bound address and,
/// for a loopback or wildcard bind, the loopback addresses; `extra` adds the
/// addresses of the machine's interfaces (a wildcard bind with `--allow-network`).
pub fn allowed_hosts(host: &str, port: u16) -> Vec<String> {
    allowed_hosts_with(host, port, &[])
}

/// [`allowed_hosts`] plus the `host:port` forms of `extra` addresses.
pub fn allowed_hosts_with(host: &str, port: u16, extra: &[std::net::IpAddr]) -> Vec<String> {
    fn form(ip: std::net::IpAddr, port: u16) -> String {
        match ip {
            std::net::IpAddr::V6(v6) => format!("[{v6}]:{port}"),
            ip => format!("{ip}:{port}"),
        }
    }
    let mut hosts = vec![format!("localhost:{port}")];
    let parsed = host.parse::<std::net::IpAddr>();
    match parsed {
        Ok(ip) => hosts.push(form(ip, port)),
        Err(_) => hosts.push(format!("{}:{port}", host.to_ascii_lowercase())),
    }
    let loopback_or_any =
        host == "localhost" || parsed.is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified());
    if loopback_or_any {
        hosts.push(format!("127.0.0.1:{port}"));
        hosts.push(format!("[::1]:{port}"));
    }
    for &ip in extra {
        hosts.push(form(ip, port));
    }
    hosts.sort();
    hosts.dedup();
    hosts
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

/// Whether `headers` carry `token`: the `x-ferrode-token` header, or a
/// `ferrode-token.T` entry of `Sec-WebSocket-Protocol` (a browser's WebSocket can
/// set no other header). Compared in constant time.
pub fn header_token(headers: &HeaderMap, token: &str) -> bool {
    if headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| same(t, token))
    {
        return true;
    }
    headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|p| p.trim().strip_prefix(WS_TOKEN_PREFIX))
        .any(|t| same(t, token))
}

/// Whether a browser says the request comes from this origin's own page
/// (`Sec-Fetch-Site: same-origin`; a cross-site `<img>` or `fetch` says `cross-site`).
pub fn same_origin_fetch(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"same-origin"))
}

/// The middleware: 403 for a foreign `Host` or `Origin`, 401 for an API call
/// without the token, 403 for a demo route neither authenticated nor same-origin.
pub async fn guard(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    // A request body left unread (refused here, ignored or stalled in the handler)
    // closes the connection after the answer.
    let (req, body_done) = crate::bodies::track(req);
    let res = match check(&state, &req) {
        Ok(()) => next.run(req).await,
        Err((status, why)) => refuse(status, why),
    };
    isolate(crate::bodies::close_if_unread(res, body_done.as_ref()))
}

/// The rules of [`guard`]: `Err` is the refusal's status and reason.
fn check(state: &AppState, req: &Request<Body>) -> Result<(), (StatusCode, &'static str)> {
    let cfg = &state.config;
    check_host_origin(
        req.headers(),
        req.uri().authority().is_some(),
        &state.allowed_hosts,
    )
    .map_err(|why| (StatusCode::FORBIDDEN, why))?;
    let path = req.uri().path();
    if path.starts_with("/api/") {
        if !header_token(req.headers(), &cfg.token) {
            return Err((
                StatusCode::UNAUTHORIZED,
                "unauthorized: missing or wrong token\n",
            ));
        }
    } else if cfg.demo_routes
        && crate::demo::is_demo_path(path)
        && !header_token(req.headers(), &cfg.token)
        && !same_origin_fetch(req.headers())
    {
        return Err((
            StatusCode::FORBIDDEN,
            "forbidden: demo routes need the token or a same-origin fetch\n",
        ));
    }
    Ok(())
}
