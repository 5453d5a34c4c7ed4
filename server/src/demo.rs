//! The seed's demo routes, served natively: `GET /hello` (JSON greeting),
//! `POST /hello` (echoes the body), `/slow` (a CPU-bound loop) and `/fast`.

use axum::body::Bytes;
use axum::extract::Query;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

/// The routes, public (they give nothing away and run nothing from outside).
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/hello", get(hello).post(echo))
        .route("/slow", get(slow))
        .route("/fast", get(fast))
}

async fn hello() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"message":"Hello, World!"}"#,
    )
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
