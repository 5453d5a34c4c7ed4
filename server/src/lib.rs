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

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tower::Layer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

pub mod access;
pub mod cluster;
pub mod demo;
pub mod errors;
pub mod fetch;
pub mod listen;
pub mod proc;
pub mod serve;
pub mod session;
pub mod tls;

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
        let allowed_hosts = access::allowed_hosts(&config.host, config.port);
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

/// The whole application for `state`: the API (token required), the seed's demo
/// routes, and the static playground and package, with COOP/COEP on every response
/// so the page is cross-origin isolated (set by [`access::guard`], one layer for all).
pub fn app(state: AppState) -> Router {
    // Only static files are worth compressing; API answers are small or streamed.
    let pkg = CompressionLayer::new().layer(ServeDir::new(&state.config.pkg_dir));
    let web = CompressionLayer::new()
        .layer(ServeDir::new(&state.config.web_dir).append_index_html_on_directories(true));
    Router::new()
        .nest("/api", session::api_routes(state.clone()))
        .merge(demo::routes())
        .nest_service("/ferrode", pkg)
        .fallback_service(web)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            access::guard,
        ))
        .with_state(state)
}
