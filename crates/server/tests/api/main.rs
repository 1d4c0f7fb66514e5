//! Handler tests in process (`tower::ServiceExt::oneshot`) on the seeds:
//! the Reuters story `003` and its uncredited rewrite `000`.

#[path = "../common/mod.rs"]
mod common;
mod errors;
mod stored;
mod trace;

use common::seed;
use std::sync::Arc;
use unspun_article::ArticleId;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use tower::ServiceExt;
use unspun_engine::Engine;
use unspun_report::{render_html, TraceReport};
use unspun_server::{router, Config};
use unspun_store::EmbeddedStore;

const REWRITE: &str = "000_8f16aa07f174a1e7";
const REUTERS: &str = "003_741671edce2820d1";
const TOKEN: &str = "s3cret-token";

struct App {
    _dir: tempfile::TempDir,
    engine: Arc<Engine>,
    router: Router,
}

fn app_with(config: Config) -> App {
    let dir = tempfile::tempdir().unwrap();
    let engine = Arc::new(Engine::new(Arc::new(
        EmbeddedStore::open(&dir.path().join("store")).unwrap(),
    )));
    App {
        router: router(engine.clone(), config),
        engine,
        _dir: dir,
    }
}

fn app() -> App {
    app_with(Config {
        token: Some(TOKEN.into()),
        ..Config::default()
    })
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

/// The JSON `unspun trace --json` prints for `trace` (without its newline).
fn report_json(trace: &unspun_engine::Trace) -> String {
    serde_json::to_string(&TraceReport::from_trace(trace)).unwrap()
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    /// Asserts a problem+json answer of `status` and returns it.
    fn problem(&self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.content_type(), "application/problem+json");
        let p = self.json();
        assert_eq!(p["status"], status);
        for f in ["type", "title", "detail"] {
            assert!(p[f].is_string(), "problem without {f}: {p}");
        }
        p
    }
}

impl App {
    async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    async fn post(&self, uri: &str, content_type: &str, body: impl Into<Body>) -> Reply {
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, content_type)
                .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .body(body.into())
                .unwrap(),
        )
        .await
    }
}
