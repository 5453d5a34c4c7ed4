//! Request bodies that must not hold a connection: a body the handler did not
//! read to its end (ignored, refused, or stalled past the read timeout) closes
//! the connection after the response (`Connection: close`), since hyper would
//! otherwise wait, without any deadline, for the rest of it before the next request.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, Request};
use axum::response::Response;
use hyper::body::Frame;

/// A body that notes when it has been read to its end.
struct Tracked {
    inner: Body,
    done: Arc<AtomicBool>,
}

impl hyper::body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let r = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(None) = r {
            self.done.store(true, Ordering::Relaxed);
        }
        r
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// Wraps `req`'s body (if it has one); the flag says whether it was read to its end.
pub fn track(req: Request<Body>) -> (Request<Body>, Option<Arc<AtomicBool>>) {
    if hyper::body::Body::is_end_stream(req.body()) {
        return (req, None);
    }
    let done = Arc::new(AtomicBool::new(false));
    let (parts, inner) = req.into_parts();
    let body = Body::new(Tracked {
        inner,
        done: done.clone(),
    });
    (Request::from_parts(parts, body), Some(done))
}

/// Marks `res` to close its connection when the request body was left unread.
pub fn close_if_unread(mut res: Response, done: Option<&Arc<AtomicBool>>) -> Response {
    if done.is_some_and(|d| !d.load(Ordering::Relaxed))
        && !res.headers().contains_key(header::UPGRADE)
    {
        res.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    res
}
