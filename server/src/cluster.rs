//! `--cluster N`: the primary process forks N workers of the same binary that
//! share one port through SO_REUSEPORT, and replaces any worker that dies, as
//! the seed's cluster article describes. The primary never accepts itself.

use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncBufReadExt;
use tokio::process::{Child, Command};

/// Environment variable that marks a worker process (its value is unused).
pub const WORKER_ENV: &str = "FERRODE_CLUSTER_WORKER";

/// Reads the token a worker's primary writes to its stdin (one line). The
/// environment is not used: every process a page starts would inherit it.
pub fn read_token() -> std::io::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let t = line.trim().to_owned();
    if t.is_empty() {
        return Err(std::io::Error::other(
            "a cluster worker needs its token on stdin",
        ));
    }
    Ok(t)
}

/// A listening socket with SO_REUSEPORT, as every worker binds it.
pub fn reuseport_listener(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let sock = bind_reuseport(addr)?;
    sock.listen(1024)?;
    sock.set_nonblocking(true)?;
    Ok(sock.into())
}

/// A TCP socket bound to `addr` with SO_REUSEADDR and SO_REUSEPORT, not yet
/// listening: the primary and every worker bind the same port this way.
fn bind_reuseport(addr: SocketAddr) -> std::io::Result<socket2::Socket> {
    let sock = socket2::Socket::new(
        socket2::Domain::for_address(addr),
        socket2::Type::STREAM,
        None,
    )?;
    sock.set_reuse_address(true)?;
    sock.set_reuse_port(true)?;
    sock.bind(&addr.into())?;
    Ok(sock)
}

/// Reserves `addr` for the cluster (binds with SO_REUSEPORT but does not listen,
/// so the kernel never routes a connection to the primary) and says which port it got.
pub fn reserve(addr: SocketAddr) -> std::io::Result<(socket2::Socket, SocketAddr)> {
    let sock = bind_reuseport(addr)?;
    let local = sock
        .local_addr()?
        .as_socket()
        .ok_or_else(|| std::io::Error::other("not an IP socket"))?;
    Ok((sock, local))
}

/// Starts one worker and waits (up to 30 s) until it says it is serving.
async fn fork(args: &[String], token: &str) -> std::io::Result<Child> {
    let exe = std::env::current_exe()?;
    let mut child = Command::new(exe)
        .args(args)
        .env(WORKER_ENV, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        use tokio::io::AsyncWriteExt;
        stdin.write_all(format!("{token}\n").as_bytes()).await?;
        // Dropped: the worker's stdin ends.
    }
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| std::io::Error::other("no stdout"))?;
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let ready = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if line.starts_with("worker ") && line.ends_with(" started") {
                return true;
            }
        }
        false
    })
    .await;
    // Keep draining so the worker never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    match ready {
        Ok(true) => Ok(child),
        _ => Err(std::io::Error::other("worker did not start")),
    }
}

/// Runs the primary: N workers, replaced when they die, until `shutdown`
/// resolves; then SIGTERM to every worker and a wait for them. `on_ready` runs once
/// the first N workers are serving.
pub async fn primary(
    n: usize,
    worker_args: Vec<String>,
    token: String,
    on_ready: impl FnOnce(),
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let mut workers: Vec<Child> = Vec::with_capacity(n);
    // Pids kept aside: a reaped child no longer knows its own.
    let mut pids: Vec<u32> = Vec::with_capacity(n);
    for _ in 0..n {
        let w = fork(&worker_args, &token).await?;
        let pid = w.id().unwrap_or(0);
        eprintln!("worker {pid} started");
        workers.push(w);
        pids.push(pid);
    }
    on_ready();
    tokio::pin!(shutdown);
    loop {
        // Wait for any worker to exit (or for shutdown).
        let died = {
            let waits = workers.iter_mut().enumerate().map(|(i, w)| {
                Box::pin(async move {
                    let st = w.wait().await;
                    (i, st)
                })
            });
            tokio::select! {
                _ = &mut shutdown => None,
                ((i, st), _, _) = futures_util::future::select_all(waits) => Some((i, st)),
            }
        };
        let Some((i, _status)) = died else { break };
        let old = pids.get(i).copied().unwrap_or(0);
        eprintln!("worker {old} died, starting a new one");
        loop {
            match fork(&worker_args, &token).await {
                Ok(w) => {
                    let pid = w.id().unwrap_or(0);
                    eprintln!("worker {pid} started");
                    if let (Some(slot), Some(p)) = (workers.get_mut(i), pids.get_mut(i)) {
                        *slot = w;
                        *p = pid;
                    }
                    break;
                }
                Err(e) => {
                    eprintln!("could not start a worker: {e}; retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
    }
    for w in &workers {
        if let Some(pid) = w.id().and_then(|p| i32::try_from(p).ok()) {
            // SAFETY: kill(2) on our own child's pid; no memory is involved.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
    }
    for w in &mut workers {
        let _ = tokio::time::timeout(Duration::from_secs(15), w.wait()).await;
    }
    Ok(())
}
