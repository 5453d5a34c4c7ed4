//! The ferrode companion server.
//!
//! It serves the playground (`web/`) and the built npm package (`wasm/`) with
//! the cross-origin isolation headers that let the page use the threaded
//! build, and does for the page what a browser cannot: outbound HTTP/HTTPS,
//! real listening ports (HTTP, HTTPS, TCP) whose handlers run in the page,
//! outbound TCP, and child processes. The wire protocol is documented in
//! `server/PROTOCOL.md`.
//!
//! Run it with `./scripts/run.sh` from the repository root, or directly:
//! `ferrode-server --web-dir web --pkg-dir wasm --port 8787`. It prints the URL
//! to open, with a fresh access token. `--cluster N` runs N worker processes
//! sharing the port (SO_REUSEPORT) and replaces any that dies.
//!
//! [`app`] builds the whole router, so most tests drive it without a socket;
//! [`serve`] is the accept loop with the slow-client and connection limits.
//!
//! Layers, each using only those below it: [`session`] (the WebSocket and the
//! API routes) parses every page message with [`protocol`] and hands each to a
//! channel kind ([`proc`], [`listen`], [`fetch`]); those use the channel types
//! ([`channel`]), the shared wire helpers ([`wire`]) and, for processes, the
//! owned children ([`child`]). The demo routes ([`demo`]) are mounted only with
//! `--demo-routes`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;

pub mod access;
pub mod bodies;
pub mod channel;
pub mod child;
pub mod cluster;
pub mod demo;
pub mod errors;
pub mod fetch;
pub mod listen;
pub mod proc;
pub mod protocol;
pub mod serve;
pub mod session;
pub mod static_files;
pub mod tls;
pub mod wire;

/// Limits that keep one page from exhausting the machine.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Child processes running at once (whole server).
    pub max_processes: usize,
    /// Longest a child process may run before it is killed.
    pub max_run_time: Duration,
    /// Most bytes one child process may write to stdout plus stderr.
    pub max_output: u64,
    /// Time a child gets between SIGTERM and SIGKILL when its page goes away.
    pub kill_grace: Duration,
    /// Largest API request body (spawn-sync input and JSON).
    pub max_body: usize,
    /// Time a client gets to send a request's head, and each piece of its body.
    pub read_timeout: Duration,
    /// Connections served at once per listening socket.
    pub max_connections: usize,
    /// Connections served at once per listening socket from one peer address.
    pub max_connections_per_peer: usize,
    /// Channels (processes, sockets, exchanges, listeners) one session may hold open.
    pub max_channels: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_processes: 64,
            max_run_time: Duration::from_secs(600),
            max_output: 256 * 1024 * 1024,
            kill_grace: Duration::from_secs(2),
            max_body: 16 * 1024 * 1024,
            read_timeout: Duration::from_secs(10),
            max_connections: 4096,
            max_connections_per_peer: 1024,
            max_channels: 1024,
        }
    }
}

/// What the server needs to know to build its routes.
#[derive(Debug, Clone)]
pub struct Config {
    /// Folder of the playground page.
    pub web_dir: PathBuf,
    /// Folder of the npm package (`js/` and the built `pkg/`), served at `/ferrode/`.
    pub pkg_dir: PathBuf,
    /// The access token the printed URL carries.
    pub token: String,
    /// The host the server is bound to (an IP address or name), for the `Host`/`Origin` checks
    /// and for the ports the page listens on.
    pub host: String,
    /// The port the server is bound to, for the `Host`/`Origin` checks.
    pub port: u16,
    /// Whether child processes may be started.
    pub exec: bool,
    /// Where child processes run; a `cwd` resolving outside it is refused.
    pub workdir: PathBuf,
    /// Extra CA certificates (PEM) trusted for outbound HTTPS.
    pub extra_ca: Vec<rustls_pki_types::CertificateDer<'static>>,
    /// Resource limits.
    pub limits: Limits,
    /// Whether the seed's demo routes (`/hello`, `/slow`, `/fast`) are mounted (`--demo-routes`).
    pub demo_routes: bool,
    /// More addresses requests may name in `Host` (the interfaces of a wildcard
    /// bind with `--allow-network`).
    pub extra_hosts: Vec<std::net::IpAddr>,
}

impl Config {
    /// A configuration with the defaults for everything but the folders and token
    /// (loopback, port 0, child processes on, workdir = the system's temp folder).
    pub fn new(web_dir: PathBuf, pkg_dir: PathBuf, token: String) -> Self {
        Config {
            web_dir,
            pkg_dir,
            token,
            host: "127.0.0.1".into(),
            port: 0,
            exec: true,
            workdir: std::env::temp_dir(),
            extra_ca: Vec::new(),
            limits: Limits::default(),
            demo_routes: false,
            extra_hosts: Vec::new(),
        }
    }
}

/// Shared state of one server process.
#[derive(Debug)]
pub struct State {
    /// The configuration it was started with.
    pub config: Config,
    /// Listening ports opened for pages, shared round-robin between page workers.
    pub ports: listen::Ports,
    /// Running child processes (whole server), for the count limit and for the kill at exit.
    pub procs: proc::Registry,
    /// TLS settings for outbound HTTPS.
    pub tls: tls::ClientTls,
    /// The `host:port` forms requests may name (see [`access`]), computed once.
    pub allowed_hosts: Vec<String>,
}

/// A handle to the shared state.
pub type AppState = Arc<State>;

impl State {
    /// Builds the state for `config`.
    pub fn new(config: Config) -> AppState {
        let tls = tls::ClientTls::new(&config.extra_ca);
        let allowed_hosts =
            access::allowed_hosts_with(&config.host, config.port, &config.extra_hosts);
        Arc::new(State {
            allowed_hosts,
            config,
            ports: listen::Ports::default(),
            procs: proc::Registry::default(),
            tls,
        })
    }
}

/// A fresh random access token: 128 bits as 32 hex digits.
pub fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The whole application for `state`: the API (token required), the static
/// playground and package, with COOP/COEP on every response so the page is
/// cross-origin isolated (set by [`access::guard`], one layer for all), and, with
/// `--demo-routes` only, the seed's demo routes. Every request body must keep
/// arriving: each piece within the read timeout.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new().nest("/api", session::api_routes(state.clone()));
    if state.config.demo_routes {
        router = router.merge(demo::routes());
    }
    router
        .nest_service("/ferrode", static_files::package(&state.config.pkg_dir))
        .fallback_service(static_files::web(&state.config.web_dir))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            state.config.limits.read_timeout,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            access::guard,
        ))
        .with_state(state)
}

/// Small helpers about the machine's network.
pub mod net_util {
    /// The IP addresses of the machine's interfaces (for the `Host` list of a
    /// wildcard bind); empty if they cannot be read.
    pub fn interface_addrs() -> Vec<std::net::IpAddr> {
        let mut out = Vec::new();
        let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
        // SAFETY: getifaddrs fills `head` with a list we free below with freeifaddrs.
        if unsafe { libc::getifaddrs(&mut head) } != 0 {
            return out;
        }
        let mut cur = head;
        while !cur.is_null() {
            // SAFETY: `cur` is a node of the list getifaddrs returned, not yet freed.
            let ifa = unsafe { &*cur };
            if !ifa.ifa_addr.is_null() {
                // SAFETY: ifa_addr points to a sockaddr whose family says its real type.
                let family = i32::from(unsafe { (*ifa.ifa_addr).sa_family });
                if family == libc::AF_INET {
                    // SAFETY: an AF_INET address is a sockaddr_in.
                    let sin = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in) };
                    out.push(std::net::IpAddr::from(
                        u32::from_be(sin.sin_addr.s_addr).to_be_bytes(),
                    ));
                } else if family == libc::AF_INET6 {
                    // SAFETY: an AF_INET6 address is a sockaddr_in6.
                    let sin6 = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in6) };
                    let ip = std::net::Ipv6Addr::from(sin6.sin6_addr.s6_addr);
                    // Link-local addresses need a zone in a Host header: skip them.
                    if ip.segments()[0] & 0xffc0 != 0xfe80 {
                        out.push(std::net::IpAddr::V6(ip));
                    }
                }
            }
            cur = ifa.ifa_next;
        }
        // SAFETY: `head` came from getifaddrs and is freed once.
        unsafe { libc::freeifaddrs(head) };
        out.sort();
        out.dedup();
        out
    }
}
