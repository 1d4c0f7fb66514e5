//! The graph endpoints on the seeds (the Reuters story `003`, its rewrite
//! `000`, which names Reuters only as the source of a document, not as the
//! source of the story: no credit) and an uncredited word-for-word copy of
//! the Reuters story by another outlet, with the graph built as `unspun
//! graph` builds and saves it.

mod common;

use common::seed;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request};
use serde_json::Value;
use tower::ServiceExt;
use unspun_article::{Article, ArticleId};
use unspun_engine::Engine;
use unspun_graph::{state_path, GraphState};
use unspun_server::{router, Config};
use unspun_store::{EmbeddedStore, OnConflict};

const REWRITE: &str = "000_8f16aa07f174a1e7";
const REUTERS: &str = "003_741671edce2820d1";
const COPY: &str = "daily-copy";

async fn get(app: &axum::Router, uri: &str, accept: &str) -> (u16, String, String) {
    let res = app
        .clone()
        .oneshot(
            Request::get(uri)
                .header(header::ACCEPT, accept)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = res.status().as_u16();
    let ct = res.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, ct, String::from_utf8(body.to_vec()).unwrap())
}

async fn json(app: &axum::Router, uri: &str) -> Value {
    let (status, _, body) = get(app, uri, "application/json").await;
    assert_eq!(status, 200, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn pairs_stories_and_outlets_of_the_saved_graph() {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    let engine = Arc::new(Engine::new(Arc::new(
        EmbeddedStore::open(&store_dir).unwrap(),
    )));
    let reuters = seed(REUTERS);
    let mut copy = Article::new(ArticleId::new(COPY).unwrap(), reuters.text.clone());
    copy.date = chrono::NaiveDate::from_ymd_opt(2025, 4, 27);
    copy.source = Some("Example Daily".into());
    engine
        .ingest_batch(vec![reuters, seed(REWRITE), copy], OnConflict::Reject)
        .unwrap();
    let config = Config {
        graph_state: Some(state_path(&store_dir)),
        ..Config::default()
    };
    let app = router(engine.clone(), config);

    // Before `unspun graph` ran: a 409 problem that says what to do.
    let (status, ct, body) = get(&app, "/v1/outlets", "application/json").await;
    assert_eq!(
        (status, ct.as_str()),
        (409, "application/problem+json"),
        "{body}"
    );
    assert!(body.contains("unspun graph"), "{body}");

    // Built and saved as `unspun graph` does.
    let mut state = GraphState::new();
    state.update(&engine, &|_, _| {}).unwrap();
    state.graph(&engine).unwrap();
    state.save(&state_path(&store_dir)).unwrap();

    let all = json(&app, "/v1/pairs").await;
    let pairs = all["pairs"].as_array().unwrap();
    let edge = |d: &str| pairs.iter().find(|p| p["derived"] == d).cloned();
    let rewrite = edge(REWRITE).expect("the rewrite's edge");
    assert_eq!(rewrite["source"], REUTERS);
    // "texts reviewed by Reuters" is no credit: the graph says what the
    // trace's attribution check says.
    assert_eq!(rewrite["credited"], false);
    let copied = edge(COPY).expect("the copy's edge");
    assert_eq!(copied["source"], REUTERS);
    assert_eq!(copied["relation"], "copy");
    assert_eq!(copied["credited"], false);

    // The same pairs as CSV: a header and one row per pair, read back.
    let (status, kind, csv) = get(&app, "/v1/pairs?format=csv", "*/*").await;
    assert_eq!(status, 200, "{csv}");
    assert!(kind.starts_with("text/csv"), "{kind}");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        &header[..4],
        ["derived", "derived_outlet", "derived_date", "source"]
    );
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), pairs.len());
    let row = records
        .iter()
        .find(|r| &r[0] == REWRITE)
        .expect("the rewrite's row");
    assert_eq!(&row[3], REUTERS);
    assert_eq!(&row[11], "false", "credited");
    let (status, _, csv) = get(&app, "/v1/outlets?format=csv", "*/*").await;
    assert_eq!(status, 200);
    assert!(csv.starts_with("outlet,articles,derived,"), "{csv}");
    assert!(csv.contains("\nReuters,"), "{csv}");
    let (status, _, csv) = get(&app, &format!("/v1/stories/{REWRITE}?format=csv"), "*/*").await;
    assert_eq!(status, 200);
    assert!(csv.contains(&format!("{REWRITE},")), "{csv}");
    let (status, _, _) = get(&app, "/v1/outlets?format=xml", "*/*").await;
    assert_eq!(status, 400);
    assert_eq!(all["graph_articles"], 3);
    assert_eq!(all["store_articles"], 3);
    assert_eq!(all["next_cursor"], Value::Null);

    // Filters.
    let ids = |v: &Value| -> Vec<String> {
        v["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["derived"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&json(&app, "/v1/pairs?relation=copy").await), [COPY]);
    assert_eq!(
        ids(&json(&app, "/v1/pairs?outlet=Example%20Daily").await),
        [COPY]
    );
    assert_eq!(
        ids(&json(&app, "/v1/pairs?uncredited=true").await),
        [REWRITE, COPY]
    );
    assert_eq!(
        ids(&json(&app, "/v1/pairs?uncredited=true&outlet=Example%20Daily").await),
        [COPY]
    );
    assert!(ids(&json(&app, "/v1/pairs?source_outlet=Reuters").await).len() == 2);
    assert_eq!(
        ids(&json(&app, "/v1/pairs?change_type=quote_altered").await),
        [REWRITE]
    );
    assert_eq!(ids(&json(&app, "/v1/pairs?since=2025-04-27").await), [COPY]);

    // Paging: one at a time, the cursor carries on where the page ended.
    let first = json(&app, "/v1/pairs?limit=1").await;
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let second = json(&app, &format!("/v1/pairs?limit=1&cursor={cursor}")).await;
    assert_eq!(second["next_cursor"], Value::Null);
    let mut paged = ids(&first);
    paged.extend(ids(&second));
    assert_eq!(paged, ids(&all));

    // NDJSON: every match, one edge per line.
    let (status, ct, body) = get(&app, "/v1/pairs", "application/x-ndjson").await;
    assert_eq!((status, ct.as_str()), (200, "application/x-ndjson"));
    let lines: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);

    // Refusals name the parameter.
    for (query, field) in [
        ("relation=related", "relation"),
        ("uncredited=yes", "uncredited"),
        ("limit=0", "limit"),
        ("cursor=zz", "cursor"),
        ("order=asc", "order"),
    ] {
        let (status, _, body) = get(&app, &format!("/v1/pairs?{query}"), "application/json").await;
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!((status, v["field"].as_str()), (400, Some(field)), "{query}");
    }

    // A story: the three articles, both edges.
    let story = json(&app, &format!("/v1/stories/{REWRITE}")).await;
    assert_eq!(story["articles"].as_array().unwrap().len(), 3, "{story}");
    assert_eq!(story["edges"].as_array().unwrap().len(), 2);
    let (status, _, _) = get(&app, "/v1/stories/nowhere", "application/json").await;
    assert_eq!(status, 404);

    // Outlets: Reuters is republished by the others, both of which took it
    // without credit.
    let outlets = json(&app, "/v1/outlets").await;
    let line = |name: &str| {
        outlets["outlets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["outlet"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {outlets}"))
    };
    assert_eq!(line("Reuters")["republished_by_others"], 2);
    assert_eq!(line("Example Daily")["derived"], 1);
    assert_eq!(line("Example Daily")["credit_missing"], 1);
    assert_eq!(line("(unknown)")["credit_missing"], 1);
}

/// `POST /v1/graph` builds and saves the graph as `unspun graph` does, on a
/// worker; `GET /v1/graph` follows it; the graph endpoints then show it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graph_is_built_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    let engine = Arc::new(Engine::new(Arc::new(
        EmbeddedStore::open(&store_dir).unwrap(),
    )));
    engine
        .ingest_batch(vec![seed(REUTERS), seed(REWRITE)], OnConflict::Reject)
        .unwrap();
    let app = router(
        engine,
        Config {
            token: Some("t".into()),
            graph_state: Some(state_path(&store_dir)),
            ..Config::default()
        },
    );
    let idle = json(&app, "/v1/graph").await;
    assert_eq!(idle["state"], "idle");
    // The engine here is lexical; the status says so.
    assert_eq!(idle["mode"], "lexical");
    let post = |app: axum::Router| async move {
        app.oneshot(
            Request::post("/v1/graph")
                .header(header::AUTHORIZATION, "Bearer t")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap()
        .status()
        .as_u16()
    };
    assert_eq!(post(app.clone()).await, 202);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let done = loop {
        let s = json(&app, "/v1/graph").await;
        if s["state"] != "running" {
            break s;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the build did not end: {s}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["articles"], 2);
    assert_eq!(done["edges"], 1);
    // The saved state records the mode its traces used.
    let saved = GraphState::load(&state_path(&store_dir)).unwrap();
    assert_eq!(saved.mode(), Some("lexical"));
    let pairs = json(&app, "/v1/pairs").await;
    assert_eq!(pairs["pairs"][0]["derived"], REWRITE, "{pairs}");
    // Without the token: refused.
    let r = app
        .clone()
        .oneshot(Request::post("/v1/graph").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}
