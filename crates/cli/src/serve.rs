//! `unspun serve`: the HTTP API (crate `unspun-server`) over the store,
//! with the engine set up as `trace` sets it up.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use unspun_engine::EngineBuilder;
use unspun_store::{EmbeddedStore, Store};

use crate::models::{change_detector, semantics, ModelChoice};

/// The flags of `unspun serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on. Loopback by default: the API is reachable from
    /// other machines only when asked for (e.g. `--bind 0.0.0.0:8080`).
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// A file holding the bearer token that writes (`POST /v1/articles`)
    /// need. Else the environment variable UNSPUN_TOKEN; with neither,
    /// writes are refused and reads work.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// The largest request body, in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    max_body_bytes: usize,
    /// Seconds a request may take before it is answered 503.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    timeout_secs: u64,
    /// Allow webhooks to loopback, private and link-local addresses (a
    /// receiver on this machine or the newsroom's own network). Off by
    /// default: a webhook is a request the server makes for a client.
    #[arg(long)]
    allow_private_webhooks: bool,
    /// The server's public URL, for links in the watches' Atom feeds (else
    /// they are relative to the server).
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Extra places for the change detector's gazetteer (as for `trace`).
    #[arg(long, value_name = "FILE")]
    gazetteer: Option<PathBuf>,
    #[command(flatten)]
    model: ModelChoice,
}

/// The write token: `--token-file` first (an explicit flag wins over the
/// environment), then UNSPUN_TOKEN. Surrounding white space (a file's
/// final newline) is not part of it.
fn token(file: Option<&Path>) -> Result<Option<String>> {
    let raw = match file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the token file {}", path.display()))?,
        ),
        None => std::env::var("UNSPUN_TOKEN").ok(),
    };
    match raw.map(|t| t.trim().to_string()) {
        Some(t) if t.is_empty() => match file {
            Some(path) => bail!("the token file {} is empty", path.display()),
            None => bail!("UNSPUN_TOKEN is set but empty"),
        },
        other => Ok(other),
    }
}

pub fn serve(dir: &Path, args: ServeArgs) -> Result<ExitCode> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("warn,tower_http=info,unspun_server=info")
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only on a terminal: escape codes would litter a log file.
        .with_ansi(std::io::stderr().is_terminal())
        .init();

    let token = token(args.token_file.as_deref())?;
    // Opened for writing (and created if missing), so that articles can be
    // ingested through the API; the store takes its write lock at the
    // first write, so `unspun trace` and other readers still work beside it.
    let store = Arc::new(
        EmbeddedStore::open(dir)
            .with_context(|| format!("cannot open or create the store at {}", dir.display()))?,
    );
    let articles = store.stats()?.articles;
    crate::upgrade::note_if_outdated(dir, store.as_ref())?;
    let (semantics, lexical_only) = semantics(&args.model)?;
    let engine = EngineBuilder::new(store)
        .semantics(semantics)
        .lexical_only(lexical_only)
        .change_detector(change_detector(
            &args.model.models.models,
            args.gazetteer.as_deref(),
            lexical_only,
        )?)
        .build();
    if token.is_none() {
        eprintln!("note: no token (--token-file or UNSPUN_TOKEN): writes are refused, reads work");
    }
    let config = unspun_server::Config {
        token,
        body_limit: args.max_body_bytes,
        timeout: Duration::from_secs(args.timeout_secs),
        graph_state: Some(unspun_graph::state_path(dir)),
        // Watches are matched against every article stored from now on
        // (through the API or `unspun ingest`), and webhooks sent.
        alerts: Some(unspun_server::watches::AlertConfig {
            delivery: unspun_server::watches::webhook::DeliveryPolicy {
                allow_private: args.allow_private_webhooks,
                ..Default::default()
            },
            ..Default::default()
        }),
        allow_private_webhooks: args.allow_private_webhooks,
        public_url: args.public_url.clone(),
        ..unspun_server::Config::default()
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        // Inside the runtime: the router starts the watch matcher and the
        // webhook deliverer on it.
        let app = unspun_server::router(Arc::new(engine), config);
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        let addr = listener.local_addr()?;
        // On stdout, one line, flushed: scripts (and the tests) read the
        // port of `--bind 127.0.0.1:0` from it.
        println!("listening on http://{addr}");
        use std::io::Write;
        std::io::stdout().flush()?;
        eprintln!(
            "serving {} ({articles} articles); API description at http://{addr}/openapi.json",
            dir.display()
        );
        unspun_server::serve(listener, app, unspun_server::shutdown_signal())
            .await
            .context("the server failed")?;
        eprintln!("shut down");
        Ok(ExitCode::SUCCESS)
    })
}
