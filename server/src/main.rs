//! `ferrode-server`: see the library docs for what it does.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use ferrode_server::{app, new_token, Config};
use tokio::net::TcpListener;

/// The ferrode companion server.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to bind. Loopback by default: the API gives the page real ports and processes.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to bind (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Folder of the playground page.
    #[arg(long, default_value = "web")]
    web_dir: PathBuf,
    /// Folder of the npm package (served at /ferrode/).
    #[arg(long, default_value = "wasm")]
    pkg_dir: PathBuf,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "ferrode_server=info,tower_http=warn".into()),
        )
        .init();
    let args = Args::parse();
    let token = new_token()?;
    let config = Config {
        web_dir: args.web_dir,
        pkg_dir: args.pkg_dir,
        token: token.clone(),
    };
    let listener = TcpListener::bind((args.host.as_str(), args.port)).await?;
    let addr: SocketAddr = listener.local_addr()?;
    // The one line scripts and tests read to find the server.
    println!("ferrode companion listening on http://{addr}/?token={token}");
    axum::serve(listener, app(config))
        .with_graceful_shutdown(shutdown_signal())
        .await
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
