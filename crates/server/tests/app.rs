//! The web app's pages, in process, on the seeds: what a reader sees must
//! be what the trace JSON says, and hostile article text must stay text.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use tower::ServiceExt;
use unspun_engine::Engine;
use unspun_report::TraceReport;
use unspun_server::app::check::{sentence_reuse, Reuse};
use unspun_server::{router, Config};
use unspun_store::{EmbeddedStore, OnConflict};

const REWRITE: &str = "000_8f16aa07f174a1e7";
const REUTERS: &str = "003_741671edce2820d1";

struct App {
    store_dir: std::path::PathBuf,
    _dir: tempfile::TempDir,
    engine: Arc<Engine>,
    router: Router,
}

/// The service over a store holding the seeds `ids`.
fn app(ids: &[&str]) -> App {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    let engine = Arc::new(Engine::new(Arc::new(
        EmbeddedStore::open(&store_dir).unwrap(),
    )));
    engine
        .ingest_batch(
            ids.iter().map(|id| common::seed(id)).collect(),
            OnConflict::Reject,
        )
        .unwrap();
    let config = Config {
        graph_state: Some(unspun_graph::state_path(&store_dir)),
        ..Config::default()
    };
    App {
        router: router(engine.clone(), config),
        engine,
        store_dir,
        _dir: dir,
    }
}

async fn send(app: &App, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

async fn get(app: &App, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// The number in `data-count` of the legend entry of `class`, or 0.
fn legend_count(page: &str, class: &str) -> usize {
    let key = format!("data-reuse=\"{class}\" data-count=\"");
    page.find(&key)
        .map(|i| {
            page[i + key.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn the_seed_rewrite_page_shows_what_its_trace_says() {
    let app = app(&[REUTERS, REWRITE]);
    let (status, headers, page) = get(&app, &format!("/check?id={REWRITE}")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));

    // The colours count what the trace JSON says, sentence by sentence.
    let trace = app
        .engine
        .trace_id(&unspun_article::ArticleId::new(REWRITE).unwrap())
        .unwrap();
    let report = TraceReport::from_trace(&trace);
    let reuse = sentence_reuse(&report);
    assert_eq!(reuse.len(), report.sentences.len());
    let new = report
        .sentences
        .iter()
        .filter(|s| s.source.is_none())
        .count();
    assert_eq!(legend_count(&page, "new"), new);
    for r in Reuse::ALL {
        let n = reuse.iter().filter(|x| **x == r).count();
        assert_eq!(legend_count(&page, r.class()), n, "{r:?}");
        // One span per sentence of that class.
        let spans = page.matches(&format!("class=\"s {}\"", r.class())).count();
        assert_eq!(spans, n, "{r:?} spans");
    }
    // The rewrite does not credit Reuters: its reused sentences are
    // uncredited, and the card says so.
    assert!(legend_count(&page, "rewritten-uncredited") > 10, "{page}");
    assert!(page.contains("no credit to Reuters"));

    // What the seed's bars expect, on the page: the three misquotes, Kyiv
    // become Ukraine, the dropped sentence.
    assert_eq!(page.matches("quote_altered</b>").count(), 3, "misquotes");
    assert!(page.contains("&quot;Kyiv&quot; became &quot;Ukraine&quot;"));
    assert!(page.contains("sentence_dropped"));
    // The source card links to its side-by-side table.
    assert!(page.contains("href=\"#src0\""));
    assert!(page.contains("id=\"src0\""));
    // Exports of a stored article.
    assert!(page.contains(&format!("/v1/articles/{REWRITE}/trace?format=csv")));
}

#[tokio::test]
async fn a_pasted_text_is_checked_and_hostile_text_stays_text() {
    let app = app(&[REUTERS]);
    let hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    let rewrite = common::seed(REWRITE);
    let text = format!(
        "{}\n\n{hostile} is what the page must not run.",
        rewrite.text
    );
    let form = format!(
        "text={}&title={}&source=&date=2025-04-26",
        urlencode(&text),
        urlencode(hostile)
    );
    let (status, _, page) = send(
        &app,
        Request::post("/check")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(REUTERS), "the source is found");
    assert!(!page.contains("<script>alert"), "no raw script");
    assert!(!page.contains("<img src=x"), "no raw tag");
    assert!(page.contains("&lt;script&gt;alert"));
    // Nothing was stored.
    assert_eq!(app.engine.store().stats().unwrap().articles, 1);

    // A blank text is sent back to the form with the reason.
    let (status, _, page) = send(
        &app,
        Request::post("/check")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("text=%20%20"))
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("class=\"error\""), "{page}");
}

#[tokio::test]
async fn the_other_pages_answer_and_say_what_is_missing() {
    let app = app(&[REUTERS]);
    let (status, _, page) = get(&app, "/").await;
    assert_eq!(status, 200);
    assert!(page.contains("action=\"/check\""));
    // No graph yet: the outlets page says how to build it.
    let (status, _, page) = get(&app, "/outlets").await;
    assert_eq!(status, 200);
    assert!(page.contains("unspun graph"), "{page}");
    let (status, _, page) = get(&app, "/watches").await;
    assert_eq!(status, 200);
    assert!(page.contains("No watches yet"));
    // An unknown id is an error page with its status.
    let (status, _, page) = get(&app, "/check?id=nope").await;
    assert_eq!(status, 404);
    assert!(page.contains("nope"), "{page}");
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[tokio::test]
async fn the_review_queue_and_the_story_come_from_the_saved_graph() {
    let app = app(&[REUTERS, REWRITE]);
    let (_, _, page) = get(&app, "/review").await;
    assert!(page.contains("unspun graph"), "no graph yet: {page}");
    let mut state = unspun_graph::GraphState::new();
    state.update(&app.engine, &|_, _| {}).unwrap();
    state.graph(&app.engine).unwrap();
    state
        .save(&unspun_graph::state_path(&app.store_dir))
        .unwrap();

    // The uncredited rewrite waits in the queue with a verdict form.
    let (status, _, page) = get(&app, "/review").await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("data-pair=\"{REWRITE} {REUTERS}\"")),
        "{page}"
    );
    assert!(page.contains(&format!("/v1/pairs/{REWRITE}/{REUTERS}/verdict")));
    assert!(page.contains("no credit"));
    // Once reviewed, it leaves the queue (and shows under ?reviewed=true).
    app.engine
        .store()
        .add_verdict(
            &unspun_article::ArticleId::new(REWRITE).unwrap(),
            &unspun_article::ArticleId::new(REUTERS).unwrap(),
            unspun_store::VerdictKind::Confirmed,
            "read both",
        )
        .unwrap();
    let (_, _, page) = get(&app, "/review").await;
    assert!(!page.contains(&format!("data-pair=\"{REWRITE} {REUTERS}\"")));
    let (_, _, page) = get(&app, "/review?reviewed=true").await;
    assert!(page.contains("read both"));

    // The story: both articles on the axis, one arrow that opens the side
    // by side.
    let (status, _, page) = get(&app, &format!("/stories/{REWRITE}")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page.matches("<circle").count(), 2);
    assert!(
        page.contains(&format!(
            "href=\"/check?id={REWRITE}&amp;source={REUTERS}\""
        )),
        "{page}"
    );
    // And the check page opens at that source.
    let (_, _, page) = get(&app, &format!("/check?id={REWRITE}&source={REUTERS}")).await;
    assert!(page.contains("data-open=\"#src0\""), "{page}");
    // An article not in the graph.
    let (status, _, _) = get(&app, "/stories/nope").await;
    assert_eq!(status, 404);
}
