//! The seed's demo routes, served natively: `GET /hello` (JSON greeting),
//! `POST /hello` (echoes the body), `/slow` (a CPU-bound loop) and `/fast`.

use std::convert::Infallible;
use std::future::ready;
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

/// The routes, public (they give nothing away and run nothing from outside).
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
/// It applies the same `Host`/`Origin` rule as [`crate::access::guard`] (the
/// route needs no token) and answers with the same status, headers and body as
/// the routed `/hello`; every other request goes to `inner` (the whole [`crate::app`]).
#[derive(Clone)]
pub struct FastHello<S> {
    inner: S,
    allowed: Arc<[String]>,
}

impl<S> FastHello<S> {
    /// Wraps `inner`; `allowed` is the server's `host:port` list ([`crate::State::allowed_hosts`]).
    pub fn new(inner: S, allowed: &[String]) -> Self {
        FastHello {
            inner,
            allowed: allowed.into(),
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
        // With a query (`?token=` sets the cookie in the guard) it takes the routed path.
        if req.method() == Method::GET
            && req.uri().path() == "/hello"
            && req.uri().query().is_none()
        {
            let checked = crate::access::check_host_origin(
                req.headers(),
                req.uri().authority().is_some(),
                &self.allowed,
            );
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

async fn slow(Query(q): Query<SlowQuery>) -> String {
    const SEED: u64 = 3_000_000_000;
    let n = q.n.unwrap_or(SEED).min(SEED);
    // Like the seed this occupies a CPU for the whole loop; it runs on the blocking
    // pool so this process's other connections keep being served.
    let counter = tokio::task::spawn_blocking(move || {
        let mut counter = 0u64;
        for _ in 0..n {
            counter = std::hint::black_box(counter + 1);
        }
        counter
    })
    .await
    .unwrap_or(0);
    format!("slow response: {counter}")
}

async fn fast() -> &'static str {
    "fast response"
}
