//! The accept loop: HTTP/1.1 with upgrades (WebSocket), a deadline for each
//! request head so slow clients cannot hold the server, a cap on connections,
//! and graceful shutdown (in-flight requests finish).
//!
//! Connections are served by event loops of one thread each (current-thread
//! runtimes, no work stealing): the caller's runtime and `threads - 1` more. The
//! caller accepts and deals the connections out in turn, so each loop keeps its
//! connections for their whole life and a request never crosses threads. On a
//! loopback benchmark this needed fewer CPU cycles per request than one
//! work-stealing runtime over the same cores.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::response::Response;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch, OwnedSemaphorePermit, Semaphore};

use crate::Limits;

/// How long shutdown waits for the connections in flight.
const DRAIN: Duration = Duration::from_secs(10);

/// Serves `router` (the [`crate::app`], possibly wrapped, as in
/// [`crate::demo::FastHello`]) on `listener` from the caller's runtime alone until
/// `shutdown` resolves, then waits (up to 10 s) for the connections in flight.
pub async fn serve<S>(
    listener: TcpListener,
    router: S,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()>
where
    S: AppService,
{
    serve_threads(listener, router, limits, shutdown, 1).await
}

/// What the loops serve: the [`crate::app`], possibly wrapped (as in
/// [`crate::demo::FastHello`]), cloned for each connection.
pub trait AppService:
    tower::Service<
        hyper::Request<Incoming>,
        Response = Response<Body>,
        Error = Infallible,
        Future: Send + 'static,
    > + Clone
    + Send
    + 'static
{
}

impl<S> AppService for S where
    S: tower::Service<
            hyper::Request<Incoming>,
            Response = Response<Body>,
            Error = Infallible,
            Future: Send + 'static,
        > + Clone
        + Send
        + 'static
{
}

/// Connections open per peer address.
type PeerCounts = Arc<Mutex<HashMap<IpAddr, usize>>>;

/// One connection's slots: of the whole cap and of its peer's; given back when dropped.
pub struct ConnSlot {
    _permit: OwnedSemaphorePermit,
    peers: PeerCounts,
    ip: IpAddr,
}

impl ConnSlot {
    /// Takes a slot for a connection from `ip`, unless that peer holds `max` already.
    fn take(
        permit: OwnedSemaphorePermit,
        peers: &PeerCounts,
        ip: IpAddr,
        max: usize,
    ) -> Option<Self> {
        let mut map = peers.lock().ok()?;
        let n = map.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(ConnSlot {
            _permit: permit,
            peers: peers.clone(),
            ip,
        })
    }
}

impl Drop for ConnSlot {
    fn drop(&mut self) {
        if let Ok(mut map) = self.peers.lock() {
            if let Some(n) = map.get_mut(&self.ip) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    map.remove(&self.ip);
                }
            }
        }
    }
}

/// A connection handed to another event loop, with its slots of the connection caps.
type Handoff = (std::net::TcpStream, ConnSlot);

/// Like [`serve`], with `threads` event loops (at least one): the caller's runtime
/// and `threads - 1` threads running a current-thread runtime each. Returns once
/// the connections in flight are done (or after 10 s) and the extra threads ended.
pub async fn serve_threads<S>(
    listener: TcpListener,
    router: S,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
    threads: usize,
) -> std::io::Result<()>
where
    S: AppService,
{
    let (stop_tx, stop_rx) = watch::channel(false);
    // Sent once the connections are drained: the extra loops may then end.
    let (done_tx, done_rx) = watch::channel(false);
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let peers: PeerCounts = Arc::default();
    let builder = http1_builder(limits);
    let mut loops: Vec<mpsc::UnboundedSender<Handoff>> = Vec::new();
    let mut joins = Vec::new();
    for i in 1..threads.max(1) {
        let (tx, rx) = mpsc::unbounded_channel();
        let (router, builder, stop, done) = (
            router.clone(),
            builder.clone(),
            stop_rx.clone(),
            done_rx.clone(),
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let join = std::thread::Builder::new()
            .name(format!("ferrode-http-{i}"))
            .spawn(move || {
                rt.block_on(event_loop(rx, router, builder, stop, done));
                // A /slow loop on the blocking pool is not waited for.
                rt.shutdown_timeout(Duration::from_secs(1));
            })?;
        loops.push(tx);
        joins.push(join);
    }
    tokio::pin!(shutdown);
    let mut next = 0usize;
    loop {
        let permit = tokio::select! {
            _ = &mut shutdown => break,
            p = permits.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
        };
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => break,
            r = listener.accept() => match r {
                Ok(s) => s,
                Err(e) => {
                    // EMFILE and friends: back off instead of spinning.
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(permit) =
            ConnSlot::take(permit, &peers, peer.ip(), limits.max_connections_per_peer)
        else {
            // This peer holds its share: close at once (its other connections go on).
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        // Dealt out in turn: slot 0 is this loop.
        let slot = next;
        next = (next + 1) % (loops.len() + 1);
        let (stream, permit) = match slot.checked_sub(1).and_then(|i| loops.get(i)) {
            None => (stream, permit),
            Some(tx) => match hand_off(stream, permit, tx) {
                None => continue,
                Some(back) => back,
            },
        };
        spawn_connection(stream, permit, &router, &builder, &stop_rx);
    }
    drop(listener);
    drop(loops);
    let _ = stop_tx.send(true);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(DRAIN, permits.acquire_many(all)).await;
    let _ = done_tx.send(true);
    let _ = tokio::task::spawn_blocking(move || {
        for j in joins {
            let _ = j.join();
        }
    })
    .await;
    Ok(())
}

/// Gives a connection to another loop; returns it when that loop is gone.
fn hand_off(
    stream: TcpStream,
    permit: ConnSlot,
    tx: &mpsc::UnboundedSender<Handoff>,
) -> Option<(TcpStream, ConnSlot)> {
    let stream = match stream.into_std() {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!("hand-off: {e}");
            return None;
        }
    };
    match tx.send((stream, permit)) {
        Ok(()) => None,
        Err(mpsc::error::SendError((s, p))) => TcpStream::from_std(s).ok().map(|s| (s, p)),
    }
}

fn http1_builder(limits: &Limits) -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.read_timeout)
        .keep_alive(true)
        // Responses here are small: one flattened write() costs less than
        // hyper queueing head and body for a writev().
        .writev(false);
    builder
}

/// One extra event loop: serves the connections handed to it until the acceptor
/// stops, then keeps running until `done` (the connections drained).
async fn event_loop<S>(
    mut rx: mpsc::UnboundedReceiver<Handoff>,
    router: S,
    builder: http1::Builder,
    stop: watch::Receiver<bool>,
    mut done: watch::Receiver<bool>,
) where
    S: AppService,
{
    while let Some((stream, permit)) = rx.recv().await {
        match TcpStream::from_std(stream) {
            Ok(s) => spawn_connection(s, permit, &router, &builder, &stop),
            Err(e) => tracing::warn!("hand-off: {e}"),
        }
    }
    let _ = done.wait_for(|d| *d).await;
}

/// Serves one connection on the current runtime; on `stop` it finishes the
/// request in flight and closes. The permit is held until the connection ends.
fn spawn_connection<S>(
    stream: TcpStream,
    permit: ConnSlot,
    router: &S,
    builder: &http1::Builder,
    stop: &watch::Receiver<bool>,
) where
    S: AppService,
{
    let svc = TowerToHyperService::new(router.clone());
    let conn = builder
        .serve_connection(TokioIo::new(stream), svc)
        .with_upgrades();
    let mut stop = stop.clone();
    tokio::spawn(async move {
        tokio::pin!(conn);
        tokio::select! {
            _ = conn.as_mut() => {}
            _ = stop.changed() => {
                // Finish the request in flight, then close.
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
        }
        drop(permit);
    });
}
