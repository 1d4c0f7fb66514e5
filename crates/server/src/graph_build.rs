//! Bringing the derivation graph up to date through the API:
//! `POST /v1/graph` starts what `unspun graph` does (trace the new and
//! changed articles, derive the graph, save its state in the store) on a
//! worker thread, and `GET /v1/graph` says how far it got. The graph
//! endpoints and pages read the saved state, so they show the new graph as
//! soon as it is saved. One build runs at a time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::WriteAccess;
use crate::problem::{ApiError, Problem};
use crate::query::now;
use crate::AppState;

/// Where a graph build stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum BuildState {
    /// No build since the server started.
    Idle,
    /// Tracing and deriving.
    Running,
    /// Saved: the graph endpoints show it.
    Done,
    /// Stopped; see `error`.
    Failed,
}

/// The last graph build of this server.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GraphBuild {
    /// Where it stands.
    pub state: BuildState,
    /// Articles to trace (new or changed since the last build), once known.
    pub to_trace: usize,
    /// Of those, traced so far.
    pub traced: usize,
    /// When it started (RFC 3339, UTC).
    pub started: Option<String>,
    /// When it ended.
    pub finished: Option<String>,
    /// Articles and `derived_from` edges of the graph saved, once done.
    pub articles: Option<usize>,
    /// `derived_from` edges.
    pub edges: Option<usize>,
    /// Why it failed.
    pub error: Option<String>,
    /// The similarity mode the server's builds trace in (its `--model`:
    /// `lexical`, `static` or `minilm`); a graph saved in another mode (by
    /// `unspun graph --model`) is traced again whole.
    pub mode: String,
}

/// The build status shared by the handlers and the worker.
#[derive(Debug)]
pub struct GraphBuilds {
    status: Mutex<GraphBuild>,
    traced: AtomicUsize,
    to_trace: AtomicUsize,
}

impl Default for GraphBuilds {
    fn default() -> GraphBuilds {
        GraphBuilds {
            status: Mutex::new(GraphBuild {
                state: BuildState::Idle,
                to_trace: 0,
                traced: 0,
                started: None,
                finished: None,
                articles: None,
                edges: None,
                error: None,
                mode: String::new(),
            }),
            traced: AtomicUsize::new(0),
            to_trace: AtomicUsize::new(0),
        }
    }
}

impl GraphBuilds {
    /// The status, with the server's similarity mode.
    fn report(&self, state: &AppState) -> GraphBuild {
        GraphBuild {
            mode: state.engine.mode().as_str().to_string(),
            ..self.snapshot()
        }
    }

    fn snapshot(&self) -> GraphBuild {
        let mut s = self
            .status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if s.state == BuildState::Running {
            s.traced = self.traced.load(Ordering::Relaxed);
            s.to_trace = self.to_trace.load(Ordering::Relaxed);
        }
        s
    }
}

/// Starts bringing the derivation graph up to date (as `unspun graph`):
/// 202 with the build's status, followed at `GET /v1/graph`.
#[utoipa::path(post, path = "/v1/graph", tag = "graph",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Started; follow it at GET /v1/graph", body = GraphBuild),
        (status = 401, description = "No bearer token, or the wrong one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Writes are disabled", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A build is running already, or the server has no store directory to save a graph in", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn post_graph(
    _: WriteAccess,
    State(state): State<AppState>,
) -> Result<Response, ApiError> {
    let Some(path) = state.config.graph_state.clone() else {
        return Err(ApiError::Conflict(
            "this server was started without a store directory to save a graph in".into(),
        ));
    };
    let builds = state.graph_builds.clone();
    {
        let mut s = builds.status.lock().unwrap_or_else(|p| p.into_inner());
        if s.state == BuildState::Running {
            return Err(ApiError::Conflict(
                "a graph build is running already: follow it at GET /v1/graph".into(),
            ));
        }
        *s = GraphBuild {
            state: BuildState::Running,
            started: Some(now()),
            ..GraphBuilds::default().snapshot()
        };
        builds.traced.store(0, Ordering::Relaxed);
        builds.to_trace.store(0, Ordering::Relaxed);
    }
    let engine = state.engine.clone();
    let worker = builds.clone();
    tokio::task::spawn_blocking(move || {
        let progress = |done: usize, total: usize| {
            worker.traced.store(done, Ordering::Relaxed);
            worker.to_trace.store(total, Ordering::Relaxed);
        };
        let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let graph = unspun_graph::GraphState::update_saved(&path, &engine, &progress)
                .map_err(|e| e.to_string())?;
            Ok::<_, String>((graph.nodes.len(), graph.edges.len()))
        }))
        .unwrap_or_else(|_| Err("the graph build panicked".into()));
        let mut s = worker.status.lock().unwrap_or_else(|p| p.into_inner());
        s.finished = Some(now());
        s.traced = worker.traced.load(Ordering::Relaxed);
        s.to_trace = worker.to_trace.load(Ordering::Relaxed);
        match built {
            Ok((articles, edges)) => {
                s.state = BuildState::Done;
                s.articles = Some(articles);
                s.edges = Some(edges);
            }
            Err(e) => {
                tracing::error!(error = %e, "graph build failed");
                s.state = BuildState::Failed;
                s.error = Some(e);
            }
        }
    });
    Ok((StatusCode::ACCEPTED, Json(builds.report(&state))).into_response())
}

/// The last graph build of this server: running (with progress), done or
/// failed; `idle` when none was started since the server started.
#[utoipa::path(get, path = "/v1/graph", tag = "graph",
    responses((status = 200, description = "The last build", body = GraphBuild)))]
pub async fn get_graph(State(state): State<AppState>) -> Json<GraphBuild> {
    Json(state.graph_builds.report(&state))
}

/// Shared by the handlers.
pub type SharedBuilds = Arc<GraphBuilds>;
