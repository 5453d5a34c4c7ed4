//! `ferrode-server`: see the library docs for what it does.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use ferrode_server::{app, cluster, new_token, serve::serve_threads, Config, State};
use tokio::net::TcpListener;

/// The ferrode companion server.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to bind. Loopback by default: the API gives the page real ports and
    /// processes. Any other address is refused without --allow-network.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Allow a --host that is not loopback: anyone on the network who learns the
    /// token can then run commands as you.
    #[arg(long)]
    allow_network: bool,
    /// Mount the seed's demo routes (/hello, /slow, /fast; token or same-origin
    /// fetch required), for the load tests and benchmarks.
    #[arg(long)]
    demo_routes: bool,
    /// Port to bind (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Folder of the playground page.
    #[arg(long, default_value = "web")]
    web_dir: PathBuf,
    /// Folder of the npm package (served at /ferrode/).
    #[arg(long, default_value = "wasm")]
    pkg_dir: PathBuf,
    /// Run N worker processes sharing the port (SO_REUSEPORT); dead workers are replaced.
    #[arg(long, value_name = "N")]
    cluster: Option<usize>,
    /// Refuse to start child processes.
    #[arg(long)]
    no_exec: bool,
    /// Where child processes run (default: a fresh scratch folder, removed at exit).
    #[arg(long, value_name = "DIR")]
    workdir: Option<PathBuf>,
    /// Trust this CA certificate (PEM) for outbound HTTPS, in addition to the web's roots.
    #[arg(long, value_name = "FILE")]
    extra_ca: Vec<PathBuf>,
    /// Child processes allowed to run at once.
    #[arg(long, default_value_t = 64)]
    max_processes: usize,
    /// Longest a child process may run, in seconds.
    #[arg(long, default_value_t = 600)]
    max_run_time: u64,
    /// Seconds a child gets between SIGTERM and SIGKILL when its page disconnects.
    #[arg(long, default_value_t = 2.0)]
    kill_grace: f64,
    /// Connections one peer address may hold open at once.
    #[arg(long, default_value_t = 1024)]
    max_connections_per_peer: usize,
    /// Channels (processes, sockets, requests, listeners) one page session may hold open.
    #[arg(long, default_value_t = 1024)]
    max_channels: usize,
    /// Seconds a client gets to send a request head (slow clients are cut off).
    #[arg(long, default_value_t = 10.0)]
    read_timeout: f64,
    /// Threads serving requests in each process (default: one per core), each an event
    /// loop of its own that keeps the connections it is given. 1 runs everything on one
    /// thread, as Node does.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
}

fn host_addr(host: &str, port: u16) -> std::io::Result<SocketAddr> {
    use std::net::ToSocketAddrs;
    (host, port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::other(format!("cannot resolve {host}")))
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    // Each event loop is a current-thread runtime (see `serve::serve_threads`); this
    // one also accepts, handles signals and, in a cluster primary, minds the workers.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "ferrode_server=info,tower_http=warn".into()),
        )
        .init();
    let is_worker = std::env::var_os(cluster::WORKER_ENV).is_some();
    // A worker reads its primary's token from its stdin (never the environment,
    // which every process the page starts would inherit).
    let token = if is_worker {
        cluster::read_token()?
    } else {
        new_token()?
    };
    // A scratch workdir belongs to whoever made it (the primary in a cluster);
    // only this user may enter it.
    let (workdir, scratch) = match &args.workdir {
        Some(d) => (d.clone(), false),
        None => {
            use std::os::unix::fs::DirBuilderExt;
            let d = std::env::temp_dir().join(format!("ferrode-work-{}", &new_token()?[..12]));
            std::fs::DirBuilder::new().mode(0o700).create(&d)?;
            (d, true)
        }
    };
    let mut extra_ca = Vec::new();
    for f in &args.extra_ca {
        extra_ca.extend(ferrode_server::tls::load_pem_certs(f)?);
    }
    let addr = host_addr(&args.host, args.port)?;
    let extra_hosts = if addr.ip().is_loopback() {
        Vec::new()
    } else if !args.allow_network {
        eprintln!(
            "ferrode-server: refusing to bind {}: it is not a loopback address, and the \
             companion runs commands for whoever holds its token. Pass --allow-network \
             to do it anyway.",
            addr.ip()
        );
        std::process::exit(2);
    } else {
        let extra = if addr.ip().is_unspecified() {
            ferrode_server::net_util::interface_addrs()
        } else {
            Vec::new()
        };
        if !is_worker {
            eprintln!(
                "\n!!! WARNING: ferrode-server is reachable from the network on {} (--allow-network).\n\
                 !!! Anyone who learns the token can run commands on this machine as this user.\n",
                addr.ip(),
            );
        }
        extra
    };

    if let Some(n) = args.cluster.filter(|_| !is_worker) {
        let (_reserved, local) = cluster::reserve(addr)?;
        let mut wargs = vec![
            "--host".to_owned(),
            args.host.clone(),
            "--port".into(),
            local.port().to_string(),
            "--web-dir".into(),
            args.web_dir.display().to_string(),
            "--pkg-dir".into(),
            args.pkg_dir.display().to_string(),
            "--workdir".into(),
            workdir.display().to_string(),
            "--max-processes".into(),
            args.max_processes.to_string(),
            "--max-run-time".into(),
            args.max_run_time.to_string(),
            "--kill-grace".into(),
            args.kill_grace.to_string(),
            "--read-timeout".into(),
            args.read_timeout.to_string(),
            "--max-connections-per-peer".into(),
            args.max_connections_per_peer.to_string(),
            "--max-channels".into(),
            args.max_channels.to_string(),
        ];
        if args.allow_network {
            wargs.push("--allow-network".into());
        }
        if args.demo_routes {
            wargs.push("--demo-routes".into());
        }
        if let Some(t) = args.threads {
            wargs.push("--threads".into());
            wargs.push(t.to_string());
        }
        if args.no_exec {
            wargs.push("--no-exec".into());
        }
        for f in &args.extra_ca {
            wargs.push("--extra-ca".into());
            wargs.push(f.display().to_string());
        }
        eprintln!("primary {} starting {n} workers", std::process::id());
        let r = cluster::primary(
            n.max(1),
            wargs,
            token.clone(),
            || println!("ferrode companion listening on http://{local}/#token={token}"),
            shutdown_signal(),
        )
        .await;
        if scratch {
            let _ = std::fs::remove_dir_all(&workdir);
        }
        return r;
    }

    let std_listener = if is_worker {
        cluster::reuseport_listener(addr)?
    } else {
        let l = std::net::TcpListener::bind(addr)?;
        l.set_nonblocking(true)?;
        l
    };
    let listener = TcpListener::from_std(std_listener)?;
    let local: SocketAddr = listener.local_addr()?;
    let mut config = Config::new(args.web_dir, args.pkg_dir, token.clone());
    config.host = local.ip().to_string();
    config.port = local.port();
    config.exec = !args.no_exec;
    config.workdir = workdir.clone();
    config.extra_ca = extra_ca;
    config.limits.max_processes = args.max_processes;
    config.limits.max_run_time = Duration::from_secs(args.max_run_time);
    config.limits.kill_grace = Duration::from_secs_f64(args.kill_grace.clamp(0.0, 60.0));
    config.limits.read_timeout = Duration::from_secs_f64(args.read_timeout.clamp(0.1, 3600.0));
    config.limits.max_connections_per_peer = args.max_connections_per_peer.max(1);
    config.limits.max_channels = args.max_channels.max(1);
    config.demo_routes = args.demo_routes;
    // With a port of 0 the Host list needs the port actually bound.
    config.extra_hosts = extra_hosts;
    let state = State::new(config);
    if args.allow_network && !is_worker && !addr.ip().is_loopback() {
        eprintln!(
            "!!! Requests must name one of these hosts: {}\n",
            state.allowed_hosts.join(", ")
        );
    }
    if is_worker {
        println!("worker {} started", std::process::id());
    } else {
        // The one line scripts and tests read to find the server.
        println!("ferrode companion listening on http://{local}/#token={token}");
    }
    let limits = state.config.limits.clone();
    let svc = ferrode_server::demo::FastHello::new(app(state.clone()), &state);
    let threads = match args.threads {
        Some(n) => usize::from(n),
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    serve_threads(listener, svc, &limits, shutdown_signal(), threads).await?;
    // Children of every page end with the server.
    state.procs.end_all(limits.kill_grace).await;
    if scratch && !is_worker {
        let _ = std::fs::remove_dir_all(&workdir);
    }
    Ok(())
}

/// Resolves on SIGINT or SIGTERM so in-flight requests can finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
