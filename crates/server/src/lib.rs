//! # unspun-server: the HTTP API of unspun (`unspun serve`)
//!
//! A thin axum layer over [`unspun_engine::Engine`]: it reads requests,
//! runs the engine, and renders with `unspun-report`, exactly as the
//! command line does, so a trace through the API is byte for byte the JSON
//! of `unspun trace --json`. Nothing about what a trace says is decided
//! here.
//!
//! API v1 ([`router`]; the OpenAPI 3.1 document is [`openapi`], served at
//! `/openapi.json` and committed as `docs/openapi.json`):
//!
//! | endpoint | what |
//! |---|---|
//! | `POST /v1/articles` | store articles (JSON, or JSON Lines); bearer token |
//! | `GET /v1/jobs/{id}` | a large ingest's progress and results |
//! | `GET /v1/articles` | list stored articles by outlet and date, cursor paging |
//! | `GET /v1/articles/{id}` | a stored article |
//! | `POST /v1/traces` | trace a stored id or a posted text |
//! | `GET /v1/articles/{id}/trace` | a stored article's trace, JSON or `?format=html` |
//! | `POST /v1/pairs/{article}/{source}/verdict` | a reviewer's verdict on a pair; bearer token |
//! | `GET /v1/pairs/{article}/{source}/verdicts` | a pair's verdict in force and history |
//! | `GET /v1/licensed`, `PUT`/`DELETE /v1/licensed/{outlet}` | the licensed outlets (writes: bearer token) |
//! | `GET /v1/pairs` | the graph's pairs, filtered; pages, or NDJSON |
//! | `POST /v1/graph`, `GET /v1/graph` | bring the derivation graph up to date (as `unspun graph`), and follow it |
//! | `GET /v1/stories/{id}` | one story's graph |
//! | `GET /v1/outlets` | the per-outlet table |
//! | `POST /v1/watches`, `GET /v1/watches[/{id}]`, `DELETE /v1/watches/{id}` | watches on an outlet or its stories (writes: bearer token) |
//! | `GET /v1/watches/{id}/matches`, `.../feed` | a watch's alerts, as JSON pages or Atom |
//! | `GET /v1/watches/{id}/deliveries`, `POST .../deliveries/{d}/redeliver`, `POST .../test` | its webhook deliveries (Standard Webhooks) |
//! | `GET /healthz` | liveness |
//!
//! Every error is `application/problem+json` (RFC 9457), axum's own
//! rejections included ([`problem`]). Around the routes: a body size limit,
//! a request timeout, gzip, `x-request-id` (kept from the client or made),
//! and a tracing span per request.
//!
//! The [`Engine`] is `Send + Sync` and all its methods take `&self` (the
//! store serialises its writes itself), so it is shared as an `Arc` without
//! a lock; each trace or ingest runs on tokio's blocking pool, because it is
//! CPU-bound and does blocking file I/O.
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use axum::body::Body;
//! use axum::http::Request;
//! use tower::ServiceExt;
//! use unspun_engine::Engine;
//! use unspun_server::{router, Config};
//! use unspun_store::EmbeddedStore;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let dir = tempfile::tempdir().unwrap();
//! let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));
//! let app = router(Arc::new(engine), Config::default());
//! let response = app
//!     .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
//!     .await
//!     .unwrap();
//! assert_eq!(response.status(), 200);
//! # });
//! ```
#![deny(missing_docs)]

pub mod api;
pub mod app;
pub mod export;
pub mod graph;
pub mod graph_build;
pub mod input;
pub mod jobs;
pub mod listing;
pub mod problem;
pub mod query;
pub mod review;
pub mod watches;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use unspun_engine::Engine;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use problem::{ApiError, Problem};

/// Settings of the service.
#[derive(Clone)]
pub struct Config {
    /// The bearer token writes need. `None`: writes are refused (see
    /// [`ApiError::WritesDisabled`]). Not "open on loopback": any web page
    /// a local browser opens can post to a loopback port, so a loopback
    /// bind alone does not tell a trusted client.
    pub token: Option<String>,
    /// The largest request body, in bytes. Default 16 MiB: a JSON Lines
    /// batch of a few thousand articles, and more than the 10 MiB the
    /// file readers accept for one article.
    pub body_limit: usize,
    /// How long a request may take before it is answered 503. Default 60 s.
    /// The engine work of a timed-out request still runs to its end on its
    /// blocking thread (it cannot be interrupted); only the answer is given
    /// up.
    pub timeout: Duration,
    /// The derivation graph's state file, as `unspun graph` saves it
    /// (`unspun_graph::state_path` of the store directory), for the graph
    /// endpoints. `None`: they answer 409.
    pub graph_state: Option<std::path::PathBuf>,
    /// Run the watches in the background (matching new articles, sending
    /// webhooks). `None`: watches can be made and read, but nothing is
    /// matched or sent (the default, for embedding the router in tests and
    /// other services; `unspun serve` turns it on).
    pub alerts: Option<watches::AlertConfig>,
    /// Ingest bodies of more records than this become a job (202, followed
    /// at `GET /v1/jobs/{id}`). Default 1,000.
    pub job_threshold: usize,
    /// The most ingest jobs running at once; more are refused with 429.
    /// Default 4.
    pub max_jobs: usize,
    /// The server's public URL (`https://unspun.newsroom.example`), for
    /// links in feeds. `None`: links relative to the server.
    pub public_url: Option<String>,
    /// Allow webhooks to loopback, private and link-local addresses.
    /// Default false: a watch's webhook is a request the server makes on
    /// a client's behalf, which must not reach the server's own network.
    pub allow_private_webhooks: bool,
}

// By hand, so that the token never reaches a log through `{:?}`.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("body_limit", &self.body_limit)
            .field("timeout", &self.timeout)
            .field("graph_state", &self.graph_state)
            .field("alerts", &self.alerts)
            .field("job_threshold", &self.job_threshold)
            .field("max_jobs", &self.max_jobs)
            .field("public_url", &self.public_url)
            .field("allow_private_webhooks", &self.allow_private_webhooks)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            token: None,
            body_limit: 16 * 1024 * 1024,
            timeout: Duration::from_secs(60),
            graph_state: None,
            alerts: None,
            job_threshold: 1000,
            max_jobs: 4,
            public_url: None,
            allow_private_webhooks: false,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The engine over the store.
    pub engine: Arc<Engine>,
    /// The settings.
    pub config: Arc<Config>,
    /// The engine's trace mode label, for `/healthz`.
    pub mode: &'static str,
    /// The derivation graph as last saved, for the graph endpoints.
    pub graph: Arc<graph::GraphCache>,
    /// Wakes the watch matcher and the webhook deliverer.
    pub wake: Arc<watches::Wake>,
    /// The ingest jobs.
    pub jobs: jobs::SharedJobs,
    /// The last graph build.
    pub graph_builds: graph_build::SharedBuilds,
}

// The design above relies on it: fail the build, not the server, if the
// engine ever stops being shareable across threads.
const _: fn() = || {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<Engine>();
};

/// The OpenAPI document's top level: what the handlers' annotations do not
/// say.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "unspun API",
        description = "Trace news articles to their sources, sentence by sentence, with what the rewrite changed. Errors are application/problem+json (RFC 9457).",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "articles", description = "The stored corpus"),
        (name = "traces", description = "Where an article came from"),
        (name = "review", description = "Reviewers' verdicts on pairs, and licensed outlets"),
        (name = "graph", description = "The derivation graph: pairs, stories, outlets"),
        (name = "watches", description = "Watches on an outlet's stories: matches, Atom feed, webhooks"),
        (name = "service", description = "The service itself"),
    )
)]
struct ApiDoc;

/// Declares the `bearer` security scheme that writes name.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The documented routes, with their OpenAPI description.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(api::healthz))
        .routes(routes!(api::post_articles, listing::list_articles))
        .routes(routes!(api::get_article))
        .routes(routes!(api::get_job))
        .routes(routes!(api::get_trace))
        .routes(routes!(api::post_trace))
        .routes(routes!(graph::get_pairs))
        .routes(routes!(graph_build::post_graph, graph_build::get_graph))
        .routes(routes!(graph::get_story))
        .routes(routes!(graph::get_outlets))
        .routes(routes!(review::post_verdict))
        .routes(routes!(review::get_verdicts))
        .routes(routes!(review::get_licensed))
        .routes(routes!(review::put_licensed, review::delete_licensed))
        .routes(routes!(watches::post_watch, watches::list_watches))
        .routes(routes!(watches::get_watch, watches::delete_watch))
        .routes(routes!(watches::get_matches))
        .routes(routes!(watches::get_feed))
        .routes(routes!(watches::get_deliveries))
        .routes(routes!(watches::redeliver))
        .routes(routes!(watches::test_send))
}

/// The OpenAPI 3.1 document of the API, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_routes().split_for_parts().1
}

/// [`openapi`] as the pretty-printed JSON committed in `docs/openapi.json`.
pub fn openapi_json() -> String {
    let mut s = openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    s.push('\n');
    s
}

/// The service: API v1, `/healthz` and `/openapi.json`, with its layers.
/// With [`Config::alerts`] set, also starts the watch matcher and the
/// webhook deliverer on the current tokio runtime (so it must be called
/// inside one).
pub fn router(engine: Arc<Engine>, config: Config) -> Router {
    let mode = engine.mode_label();
    let wake = Arc::new(watches::Wake::default());
    if let Some(alerts) = &config.alerts {
        watches::spawn_background(engine.clone(), alerts.clone(), wake.clone());
    }
    let state = AppState {
        jobs: Default::default(),
        graph_builds: Default::default(),
        wake,
        engine,
        graph: Arc::new(graph::GraphCache::new(config.graph_state.clone())),
        config: Arc::new(config.clone()),
        mode,
    };
    let (routes, doc) = api_routes().split_for_parts();
    let doc = Arc::new(doc);
    routes
        .merge(app::routes())
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .fallback(api::no_route)
        .method_not_allowed_fallback(|| async {
            Problem::plain(
                StatusCode::METHOD_NOT_ALLOWED,
                "this path does not accept this method",
            )
        })
        .with_state(state)
        // Layers run outside in: the last added sees the request first.
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            config.timeout,
        ))
        .layer(axum::middleware::from_fn(problem::plain_errors_as_problems))
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), uri = %req.uri(), request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Serves `app` on `listener` until `shutdown` completes, then finishes the
/// requests in flight (graceful shutdown).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes on Ctrl-C (SIGINT) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, never complete this branch:
        // SIGTERM still works.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn the_token_is_not_printed() {
        let c = Config {
            token: Some("hunter2".into()),
            ..Config::default()
        };
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("hunter2") && shown.contains("<redacted>"),
            "{shown}"
        );
    }
}
