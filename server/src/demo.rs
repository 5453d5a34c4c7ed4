//! The seed's demo routes, served natively: `GET /hello` (JSON greeting),
//! `POST /hello` (echoes the body), `/slow` (a CPU-bound loop) and `/fast`.
//!
//! They are not part of the production app: only `--demo-routes` mounts them
//! (the load test and `bench/server.sh` pass it), and then each request needs
//! the token or a same-origin fetch ([`crate::access::guard`]). `/slow` runs at
//! most [`SLOW_CONCURRENCY`] loops at once (503 beyond) and stops its loop when
//! the client goes away.

use std::convert::Infallible;
use std::future::ready;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::future::Either;
use tower::Service;

/// The body of `GET /hello`.
pub const HELLO: &str = r#"{"message":"Hello, World!"}"#;

/// Paths of the demo routes (the guard asks for the token or same-origin on them).
pub const PATHS: &[&str] = &["/hello", "/slow", "/fast"];

/// Loops of `/slow` that may run at once (whole process); more get 503.
pub const SLOW_CONCURRENCY: usize = 2;

/// Whether `path` is one of the demo routes.
pub fn is_demo_path(path: &str) -> bool {
    PATHS.contains(&path)
}

/// The routes; [`crate::app`] mounts them only with `--demo-routes`.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/hello", get(hello).post(echo))
        .route("/slow", get(slow))
        .route("/fast", get(fast))
}

async fn hello() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], HELLO)
}

/// `GET /hello` answered before the router: the route the load benchmarks hit,
/// without the router's matching, the middleware's boxing and header rebuilds.
/// It applies the same `Host`/`Origin` rule and the same token-or-same-origin
/// rule as [`crate::access::guard`] and answers with the same status, headers and body as
/// the routed `/hello`; every other request goes to `inner` (the whole [`crate::app`]).
#[derive(Clone)]
pub struct FastHello<S> {
    inner: S,
    allowed: Arc<[String]>,
    token: Arc<str>,
    /// Without `--demo-routes` every request goes to `inner` (which has no `/hello`).
    enabled: bool,
}

impl<S> FastHello<S> {
    /// Wraps `inner` (the [`crate::app`] of `state`).
    pub fn new(inner: S, state: &crate::State) -> Self {
        FastHello {
            inner,
            allowed: state.allowed_hosts.as_slice().into(),
            token: state.config.token.as_str().into(),
            enabled: state.config.demo_routes,
        }
    }
}

/// The headers of the `GET /hello` answer, built once by the same steps as the
/// routed answer's ([`crate::access::isolate`], the length of the body).
fn hello_headers() -> &'static HeaderMap {
    static HEADERS: OnceLock<HeaderMap> = OnceLock::new();
    HEADERS.get_or_init(|| {
        let mut res = Response::new(Body::empty());
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let mut res = crate::access::isolate(res);
        res.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(HELLO.len()));
        std::mem::take(res.headers_mut())
    })
}

fn hello_response() -> Response {
    let mut res = Response::new(Body::from(HELLO));
    *res.headers_mut() = hello_headers().clone();
    res
}

impl<S, B> Service<Request<B>> for FastHello<S>
where
    S: Service<Request<B>, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<std::future::Ready<Result<Response, Infallible>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        // With a query it takes the routed path (the router answers it the same way).
        if self.enabled
            && req.method() == Method::GET
            && req.uri().path() == "/hello"
            && req.uri().query().is_none()
        {
            let checked = crate::access::check_host_origin(
                req.headers(),
                req.uri().authority().is_some(),
                &self.allowed,
            )
            .and_then(|()| {
                if crate::access::header_token(req.headers(), &self.token)
                    || crate::access::same_origin_fetch(req.headers())
                {
                    Ok(())
                } else {
                    Err("forbidden: demo routes need the token or a same-origin fetch\n")
                }
            });
            let res = match checked {
                Ok(()) => hello_response(),
                Err(why) => {
                    let mut res = crate::access::refuse(StatusCode::FORBIDDEN, why);
                    // The router states the length of a sized body; so does this path.
                    if let Some(n) = axum::body::HttpBody::size_hint(res.body()).exact() {
                        res.headers_mut()
                            .insert(header::CONTENT_LENGTH, HeaderValue::from(n));
                    }
                    res
                }
            };
            return Either::Left(ready(Ok(res)));
        }
        Either::Right(self.inner.call(req))
    }
}

async fn echo(body: Bytes) -> Bytes {
    body
}

#[derive(serde::Deserialize)]
struct SlowQuery {
    /// Iterations; the seed's three billion by default, capped at that.
    n: Option<u64>,
}

/// Sets its flag when dropped: the handler's future is dropped when the client goes.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn slow_permits() -> Arc<tokio::sync::Semaphore> {
    static PERMITS: OnceLock<Arc<tokio::sync::Semaphore>> = OnceLock::new();
    PERMITS
        .get_or_init(|| Arc::new(tokio::sync::Semaphore::new(SLOW_CONCURRENCY)))
        .clone()
}

async fn slow(Query(q): Query<SlowQuery>) -> Response {
    const SEED: u64 = 3_000_000_000;
    let n = q.n.unwrap_or(SEED).min(SEED);
    let Ok(permit) = slow_permits().try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "busy: too many /slow requests at once\n",
        )
            .into_response();
    };
    let cancel = Arc::new(AtomicBool::new(false));
    let _guard = CancelOnDrop(cancel.clone());
    // Like the seed this occupies a CPU for the whole loop; it runs on the blocking
    // pool so this process's other connections keep being served, and it stops
    // (freeing its slot) soon after the client has gone.
    let counter = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut counter = 0u64;
        for i in 0..n {
            if i & 0xF_FFFF == 0 && cancel.load(Ordering::Relaxed) {
                return None;
            }
            counter = std::hint::black_box(counter + 1);
        }
        Some(counter)
    })
    .await
    .ok()
    .flatten()
    .unwrap_or(0);
    format!("slow response: {counter}").into_response()
}

async fn fast() -> &'static str {
    "fast response"
}
