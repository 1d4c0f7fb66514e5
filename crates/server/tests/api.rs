//! Handler tests in process (`tower::ServiceExt::oneshot`) on the seeds:
//! the Reuters story `003` and its uncredited rewrite `000`.

mod common;

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

#[tokio::test]
async fn the_seeds_through_the_api_trace_as_the_engine_does() {
    let app = app();
    let reuters = seed(REUTERS);
    // One article as a JSON object, in the JSON Lines field names.
    let r = app
        .post(
            "/v1/articles",
            "application/json",
            serde_json::to_vec(&reuters).unwrap(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(v["stored"], 1);
    assert_eq!(v["results"][0]["id"], REUTERS);
    assert_eq!(v["results"][0]["status"], "stored");
    // Again: nothing changes.
    let r = app
        .post(
            "/v1/articles",
            "application/json",
            serde_json::to_vec(&vec![&reuters]).unwrap(),
        )
        .await;
    assert_eq!(r.json()["unchanged"], 1);

    let r = app.get(&format!("/v1/articles/{REUTERS}")).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["text"], reuters.text.as_str());
    assert_eq!(v["date"], "2025-04-26");
    assert_eq!(v["source"], "Reuters");
    assert_eq!(v["revision"], 1);

    // The rewrite, posted as text: the trace is the engine's, rendered as
    // `unspun trace --json` renders it, and names Reuters.
    let rewrite = seed(REWRITE);
    let r = app
        .post(
            "/v1/traces",
            "application/json",
            serde_json::to_vec(&json!({
                "id": REWRITE,
                "text": rewrite.text,
                "date": "2025-04-26",
            }))
            .unwrap(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.content_type(), "application/json");
    // Posted, the text's provenance is the API, not the seed's file.
    let mut posted = rewrite.clone();
    posted.extraction = Some(unspun_article::read::extraction::API.to_string());
    let expected = report_json(&app.engine.trace(posted).unwrap());
    assert_eq!(r.text(), expected);
    let got = r.json();
    assert_eq!(got["sources"][0]["id"], REUTERS);
    assert_eq!(got["sources"][0]["relation"], "rewrite");
    assert_eq!(got["article"]["in_store"], false);

    // Stored through JSON Lines, then traced by id both ways.
    let line = serde_json::to_string(&rewrite).unwrap();
    let r = app
        .post("/v1/articles", "application/x-ndjson", format!("{line}\n"))
        .await;
    assert_eq!(r.json()["stored"], 1);
    let by_id = app.engine.trace_id(&rewrite.id).unwrap();
    let expected = report_json(&by_id);
    let r = app
        .post(
            "/v1/traces",
            "application/json",
            format!(r#"{{"id": "{REWRITE}"}}"#),
        )
        .await;
    assert_eq!(r.text(), expected);
    let r = app.get(&format!("/v1/articles/{REWRITE}/trace")).await;
    assert_eq!(r.text(), expected);
    assert_eq!(r.json()["article"]["in_store"], true);
    assert_eq!(r.json()["dropped"].as_array().unwrap().len(), 1);

    // The HTML page is `trace --html`'s, with a policy that forbids scripts.
    let r = app
        .get(&format!("/v1/articles/{REWRITE}/trace?format=html"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), "text/html; charset=utf-8");
    assert_eq!(String::from_utf8(r.body).unwrap(), render_html(&by_id));
    assert!(r.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));

    // CSV: one row per match, the rows of the report of the same trace, as
    // a download.
    let r = app
        .get(&format!("/v1/articles/{REWRITE}/trace?format=csv"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), "text/csv; charset=utf-8");
    assert_eq!(
        r.headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"trace-{REWRITE}.csv\"")
    );
    let csv = String::from_utf8(r.body).unwrap();
    assert_eq!(
        csv,
        unspun_report::render_csv(&TraceReport::from_trace(&by_id))
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("article_id,source_id,"), "{csv}");
    // The seed rewrite's 14 matched groups against the Reuters story.
    assert!(lines.len() > 10, "{csv}");
    assert!(lines[1..]
        .iter()
        .all(|l| l.starts_with(&format!("{REWRITE},{REUTERS},"))));

    let r = app
        .get(&format!("/v1/articles/{REWRITE}/trace?format=xml"))
        .await;
    assert_eq!(r.problem(400)["field"], "format");
}

#[tokio::test]
async fn a_bad_record_is_named_and_does_not_stop_the_batch() {
    let app = app();
    let body = concat!(
        r#"{"id": "a", "text": "Ministers met in Brussels on Tuesday.", "date": "2025-05-02"}"#,
        "\n",
        r#"{"id": "b", "text": "broken"#,
        "\n\n",
        r#"{"id": "c", "text": "A bad date.", "date": "yesterday"}"#,
        "\n",
        r#"{"text": "No id."}"#,
        "\n",
        r#"{"id": "a", "text": "Same id, other text."}"#,
        "\n",
        r#"{"id": 42, "text": "An integer id, as in JSON Lines files."}"#,
        "\n",
        r#"{"id": "business/001", "text": "An id with a slash, as directories give."}"#,
    );
    let r = app.post("/v1/articles", "application/x-ndjson", body).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    let seen: Vec<(u64, u64, &str, Option<&str>)> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["record"].as_u64().unwrap(),
                r["line"].as_u64().unwrap(),
                r["status"].as_str().unwrap(),
                r["field"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (1, 1, "stored", None),
            (2, 2, "error", None),
            (3, 4, "error", Some("date")),
            (4, 5, "error", Some("id")),
            (5, 6, "conflict", None),
            (6, 7, "stored", None),
            (7, 8, "stored", None),
        ]
    );
    assert!(v["results"][1]["detail"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));
    assert_eq!(
        (&v["stored"], &v["errors"], &v["conflicts"]),
        (&json!(3), &json!(3), &json!(1))
    );
    // The conflict kept the stored version; `replace` updates it.
    assert_eq!(
        app.get("/v1/articles/a").await.json()["text"],
        "Ministers met in Brussels on Tuesday."
    );
    let r = app
        .post(
            "/v1/articles?on_conflict=replace",
            "application/json",
            r#"{"id": "a", "text": "Same id, other text."}"#,
        )
        .await;
    assert_eq!(r.json()["replaced"], 1);
    let v = app.get("/v1/articles/a").await.json();
    assert_eq!(
        (&v["text"], &v["revision"]),
        (&json!("Same id, other text."), &json!(2))
    );
    assert_eq!(app.get("/v1/articles/42").await.status, 200);
    // A slash in an id is percent-encoded in the path.
    let v = app.get("/v1/articles/business%2F001").await.json();
    assert_eq!(v["id"], "business/001");
}

#[tokio::test]
async fn every_error_is_a_problem() {
    let app = app();
    // Malformed JSON, on both JSON endpoints.
    let p = app
        .post("/v1/articles", "application/json", "{\"id\": ")
        .await
        .problem(400);
    assert_eq!(p["type"], "urn:unspun:problem:invalid-json");
    app.post("/v1/traces", "application/json", "[1,")
        .await
        .problem(400);
    // Schema violations name the field; nothing is clamped or guessed.
    let p = app
        .post("/v1/traces", "application/json", r#"{"text": "  "}"#)
        .await
        .problem(400);
    assert_eq!(p["field"], "text");
    let p = app
        .post(
            "/v1/traces",
            "application/json",
            r#"{"id": "x", "date": "2025-01-01"}"#,
        )
        .await
        // Fits the schema; breaks a rule across fields.
        .problem(422);
    assert_eq!(p["field"], "date");
    let p = app
        .post(
            "/v1/traces",
            "application/json",
            r#"{"text": "Fine.", "date": "2025-02-30"}"#,
        )
        .await
        // Shaped like a date, but no day.
        .problem(422);
    assert_eq!(p["field"], "date");
    // An empty batch stores nothing, and says so.
    let r = app.post("/v1/articles", "application/json", "[]").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["results"], json!([]));
    let p = app
        .post("/v1/articles", "application/json", "\"text\"")
        .await
        .problem(400);
    assert_eq!(p["field"], "body");
    let p = app
        .post(
            "/v1/articles?on_conflict=overwrite",
            "application/json",
            r#"{"id":"a","text":"A."}"#,
        )
        .await
        .problem(400);
    assert_eq!(p["field"], "on_conflict");
    let p = app
        .get("/v1/articles/x/trace?format=pdf")
        .await
        .problem(400);
    assert_eq!(p["field"], "format");
    let p = app.get("/v1/articles/%20x/trace").await.problem(400);
    assert_eq!(p["field"], "id");
    // Unknown ids and routes, wrong methods and media types.
    let p = app.get("/v1/articles/nope").await.problem(404);
    assert_eq!(p["type"], "urn:unspun:problem:article-not-found");
    app.get("/v1/articles/nope/trace").await.problem(404);
    app.post("/v1/traces", "application/json", r#"{"id": "nope"}"#)
        .await
        .problem(404);
    app.get("/v2/nothing").await.problem(404);
    let r = app
        .send(Request::delete("/v1/traces").body(Body::empty()).unwrap())
        .await;
    r.problem(405);
    let p = app
        .post("/v1/articles", "text/plain", "hello")
        .await
        .problem(415);
    assert_eq!(p["type"], "urn:unspun:problem:unsupported-media-type");
    app.post("/v1/traces", "application/x-ndjson", "{}")
        .await
        .problem(415);
}

#[tokio::test]
async fn writes_need_the_token() {
    let app = app();
    let body = r#"{"id": "a", "text": "Ministers met in Brussels on Tuesday."}"#;
    let post = |auth: Option<&str>| {
        let mut req =
            Request::post("/v1/articles").header(header::CONTENT_TYPE, "application/json");
        if let Some(a) = auth {
            req = req.header(header::AUTHORIZATION, a);
        }
        req.body(Body::from(body)).unwrap()
    };
    let r = app.send(post(None)).await;
    let p = r.problem(401);
    assert_eq!(p["type"], "urn:unspun:problem:unauthorized");
    assert!(r.headers[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    app.send(post(Some("Bearer wrong"))).await.problem(401);
    app.send(post(Some(TOKEN))).await.problem(401);
    assert_eq!(
        app.get("/v1/articles/a").await.status,
        404,
        "nothing was stored"
    );
    assert_eq!(
        app.send(post(Some(&format!("Bearer {TOKEN}"))))
            .await
            .status,
        200
    );
    // Reads are open.
    assert_eq!(app.get("/v1/articles/a").await.status, 200);

    // Without a configured token, writes are refused with how to set one.
    let closed = app_with(Config::default());
    let p = closed
        .send(post(Some("Bearer anything")))
        .await
        .problem(403);
    assert!(
        p["detail"].as_str().unwrap().contains("UNSPUN_TOKEN"),
        "{p}"
    );
}

#[tokio::test]
async fn an_oversize_body_is_a_413_problem() {
    let app = app_with(Config {
        token: Some(TOKEN.into()),
        body_limit: 1000,
        ..Config::default()
    });
    let text = "word ".repeat(400);
    let body = serde_json::to_vec(&json!({"id": "big", "text": text})).unwrap();
    // The token is checked before the body is read.
    let r = app
        .send(
            Request::post("/v1/articles")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.clone()))
                .unwrap(),
        )
        .await;
    r.problem(401);
    let p = app
        .post("/v1/articles", "application/json", body.clone())
        .await
        .problem(413);
    assert_eq!(p["type"], "urn:unspun:problem:body-too-large");
    assert!(p["detail"].as_str().unwrap().contains("1000 bytes"), "{p}");
    // Also when the size is not announced: a streamed body is cut at the limit.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        body.chunks(100).map(|c| Ok(c.to_vec())).collect();
    let stream = futures_util::stream::iter(chunks);
    let r = app
        .send(
            Request::post("/v1/traces")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(stream))
                .unwrap(),
        )
        .await;
    r.problem(413);
}

#[tokio::test]
async fn a_request_over_the_timeout_is_a_503_problem() {
    let app = app_with(Config {
        timeout: std::time::Duration::from_millis(50),
        ..Config::default()
    });
    // A body that never ends: the request cannot finish before the timeout.
    let never = futures_util::stream::pending::<Result<Vec<u8>, std::io::Error>>();
    let r = app
        .send(
            Request::post("/v1/traces")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(never))
                .unwrap(),
        )
        .await;
    let p = r.problem(503);
    assert!(p["detail"].as_str().unwrap().contains("timeout"), "{p}");
}

#[tokio::test]
async fn request_ids_gzip_health_and_the_served_openapi() {
    let app = app();
    let r = app.get("/healthz").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
    assert_eq!(r.json()["mode"], "lexical");
    assert!(!r.headers["x-request-id"].is_empty(), "an id is made");
    let r = app
        .send(
            Request::get("/healthz")
                .header("x-request-id", "abc-123")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        r.headers["x-request-id"], "abc-123",
        "the client's id is kept"
    );
    // Problems carry the id too.
    assert!(app
        .get("/v1/articles/nope")
        .await
        .headers
        .contains_key("x-request-id"));

    let r = app
        .send(
            Request::get("/openapi.json")
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.headers[header::CONTENT_ENCODING], "gzip");
    let r = app.get("/openapi.json").await;
    assert_eq!(
        r.json(),
        serde_json::to_value(unspun_server::openapi()).unwrap()
    );
    assert_eq!(r.json()["openapi"], "3.1.0");
}

#[tokio::test]
async fn stored_articles_are_listed_by_outlet_and_date_a_page_at_a_time() {
    let app = app();
    // The seeds and three more, by JSON Lines.
    let mut lines = vec![
        serde_json::to_string(&seed(REUTERS)).unwrap(),
        serde_json::to_string(&seed(REWRITE)).unwrap(),
    ];
    for (id, date, source) in [
        ("wire-1", "2025-04-27", "Reuters"),
        ("blog-1", "2025-04-28", "Example Blog"),
        ("wire-2", "2025-04-29", "Reuters"),
    ] {
        lines.push(
            json!({"id": id, "date": date, "source": source,
                   "text": format!("{id}: the central bank raised rates by a quarter point.")})
            .to_string(),
        );
    }
    let r = app
        .post("/v1/articles", "application/x-ndjson", lines.join("\n"))
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["stored"], 5);

    let ids = |v: &Value| -> Vec<String> {
        v["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    // Every article, two per page, in the order stored; the last page has
    // no cursor.
    let first = app.get("/v1/articles?limit=2").await;
    assert_eq!(first.status, 200);
    let first = first.json();
    assert_eq!(ids(&first), [REUTERS, REWRITE]);
    assert_eq!(first["articles"][0]["source"], "Reuters");
    assert_eq!(first["articles"][0]["revision"], 1);
    assert!(
        first["articles"][0].get("text").is_none(),
        "no bodies in a list"
    );
    let mut seen = ids(&first);
    let mut cursor = first["next_cursor"].as_str().unwrap().to_string();
    loop {
        let page = app
            .get(&format!("/v1/articles?limit=2&cursor={cursor}"))
            .await
            .json();
        seen.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(seen, [REUTERS, REWRITE, "wire-1", "blog-1", "wire-2"]);

    // One outlet in a date range.
    let page = app
        .get("/v1/articles?outlet=Reuters&since=2025-04-27&until=2025-04-29")
        .await
        .json();
    assert_eq!(ids(&page), ["wire-1", "wire-2"]);
    assert_eq!(page["next_cursor"], Value::Null);
    // An outlet name with a space, percent-encoded.
    let page = app.get("/v1/articles?outlet=Example%20Blog").await.json();
    assert_eq!(ids(&page), ["blog-1"]);

    // Out of range, malformed and unknown parameters: 400 problems naming
    // the parameter.
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("since=2025-13-01", "since"),
        ("cursor=xyz", "cursor"),
        ("sort=date", "sort"),
    ] {
        let r = app.get(&format!("/v1/articles?{query}")).await;
        let problem = r.problem(400);
        assert_eq!(problem["field"], field, "{query}: {problem}");
    }
    // A rule across parameters: 422.
    let r = app
        .get("/v1/articles?since=2025-04-29&until=2025-04-27")
        .await;
    assert_eq!(r.problem(422)["field"], "since");
}

impl App {
    /// The same store, opened again by a new engine and router: a restart.
    fn restarted(self) -> App {
        let App { _dir, engine, .. } = self;
        drop(engine);
        let engine = Arc::new(Engine::new(Arc::new(
            EmbeddedStore::open(&_dir.path().join("store")).unwrap(),
        )));
        App {
            router: router(
                engine.clone(),
                Config {
                    token: Some(TOKEN.into()),
                    ..Config::default()
                },
            ),
            engine,
            _dir,
        }
    }

    async fn send_with_token(&self, method: &str, uri: &str, body: Value) -> Reply {
        self.send(
            Request::builder()
                .method(method)
                .uri(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }
}

#[tokio::test]
async fn verdicts_and_licences_are_kept_shown_in_traces_and_survive_a_restart() {
    let app = app();
    let lines = [seed(REUTERS), seed(REWRITE)]
        .iter()
        .map(|a| serde_json::to_string(a).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let r = app
        .post("/v1/articles", "application/x-ndjson", lines)
        .await;
    assert_eq!(r.status, 200);

    let verdict_uri = format!("/v1/pairs/{REWRITE}/{REUTERS}/verdict");
    // Without a token: refused. Invalid verdicts and reasons: named.
    let r = app
        .send(
            Request::post(verdict_uri.as_str())
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"verdict": "confirmed", "reason": "x"}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    r.problem(401);
    for (body, field) in [
        (json!({"verdict": "maybe", "reason": "x"}), "verdict"),
        (json!({"verdict": "confirmed"}), "reason"),
        (json!({"verdict": "confirmed", "reason": "   "}), "reason"),
        (
            json!({"verdict": "confirmed", "reason": "r".repeat(2001)}),
            "reason",
        ),
        (
            json!({"verdict": "confirmed", "reason": "x", "by": "me"}),
            "by",
        ),
    ] {
        let r = app
            .send_with_token("POST", &verdict_uri, body.clone())
            .await;
        assert_eq!(r.problem(400)["field"], field, "{body}");
    }
    let r = app
        .send_with_token(
            "POST",
            &format!("/v1/pairs/{REWRITE}/not-stored/verdict"),
            json!({"verdict": "confirmed", "reason": "x"}),
        )
        .await;
    r.problem(404);

    // Two verdicts: the last is in force, both are history.
    let r = app
        .send_with_token(
            "POST",
            &verdict_uri,
            json!({"verdict": "confirmed", "reason": "the Reuters quotes, reworded"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["verdict"], "confirmed");
    let r = app
        .send_with_token(
            "POST",
            &verdict_uri,
            json!({"verdict": "licensed", "reason": "syndication agreement"}),
        )
        .await;
    assert_eq!(r.status, 201);
    let r = app
        .send_with_token(
            "PUT",
            "/v1/licensed/Reuters",
            json!({"reason": "wire contract"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["outlets"][0]["outlet"], "Reuters");

    // After a restart all of it is there, and the trace carries it.
    let app = app.restarted();
    let v = app
        .get(&format!("/v1/pairs/{REWRITE}/{REUTERS}/verdicts"))
        .await
        .json();
    assert_eq!(v["current"]["verdict"], "licensed");
    let history: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["confirmed", "licensed"]);
    assert_eq!(
        app.get("/v1/licensed").await.json()["outlets"][0]["reason"],
        "wire contract"
    );
    let trace = app
        .get(&format!("/v1/articles/{REWRITE}/trace"))
        .await
        .json();
    let review = &trace["sources"][0]["review"];
    assert_eq!(trace["sources"][0]["id"], REUTERS);
    assert_eq!(review["verdict"], "licensed");
    assert_eq!(review["reason"], "syndication agreement");
    assert_eq!(review["verdicts"], 2);
    assert_eq!(review["licensed_outlet"], true);
    let html = app
        .get(&format!("/v1/articles/{REWRITE}/trace?format=html"))
        .await
        .text();
    assert!(
        html.contains("review: licensed: syndication agreement (")
            && html.contains("2 verdicts); outlet licensed</div>"),
        "{html}"
    );
    let csv = app
        .get(&format!("/v1/articles/{REWRITE}/trace?format=csv"))
        .await
        .text();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .ends_with("licensed: syndication agreement; licensed outlet"),
        "{csv}"
    );

    // The licence taken back; a second removal is an error naming it.
    let r = app
        .send_with_token("DELETE", "/v1/licensed/Reuters", json!({}))
        .await;
    assert_eq!(r.status, 204);
    let r = app
        .send_with_token("DELETE", "/v1/licensed/Reuters", json!({}))
        .await;
    assert!(r.problem(404)["detail"]
        .as_str()
        .unwrap()
        .contains("not licensed"));
    let trace = app
        .get(&format!("/v1/articles/{REWRITE}/trace"))
        .await
        .json();
    assert_eq!(trace["sources"][0]["review"]["licensed_outlet"], false);
}

#[tokio::test]
async fn a_large_batch_becomes_a_job_followed_to_its_end() {
    let app = app_with(Config {
        token: Some(TOKEN.into()),
        job_threshold: 2,
        ..Config::default()
    });
    // Three records (one bad) are over the threshold of 2: a job.
    let body = [
        json!({"id": REUTERS, "text": seed(REUTERS).text, "source": "Reuters", "date": "2025-04-26"}),
        json!({"id": REWRITE, "text": seed(REWRITE).text, "date": "2025-04-26"}),
        json!({"id": "", "text": "no id"}),
    ]
    .iter()
    .map(|v| format!("{v}\n"))
    .collect::<String>();
    let r = app.post("/v1/articles", "application/x-ndjson", body).await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    let job = r.json();
    let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
    assert_eq!(location, format!("/v1/jobs/{}", job["id"]));
    assert_eq!(job["total"], 3);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let done = loop {
        let j = app.get(&location).await.json();
        if j["state"] != "running" {
            break j;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the job did not end: {j}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["processed"], 3);
    assert_eq!(done["counts"]["stored"], 2);
    assert_eq!(done["counts"]["errors"], 1);
    let results = done["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[2]["field"], "id");
    assert!(app
        .engine
        .store()
        .key_of(&ArticleId::new(REWRITE).unwrap())
        .unwrap()
        .is_some());
    // Small bodies can ask for a job too; unknown jobs are 404.
    let r = app
        .post(
            "/v1/articles?job=true",
            "application/json",
            json!({"id": "x", "text": "X."}).to_string(),
        )
        .await;
    assert_eq!(r.status, 202);
    app.get("/v1/jobs/999").await.problem(404);
    app.get("/v1/jobs/0").await.problem(400);
    // With no job allowed to run, a large body is refused, not queued.
    let busy = app_with(Config {
        token: Some(TOKEN.into()),
        max_jobs: 0,
        ..Config::default()
    });
    let r = busy
        .post(
            "/v1/articles?job=true",
            "application/json",
            json!({"id": "x", "text": "X."}).to_string(),
        )
        .await;
    assert!(r.problem(429)["detail"]
        .as_str()
        .unwrap()
        .contains("jobs are running"));
}

#[tokio::test]
async fn a_webhook_to_the_servers_own_network_is_refused_unless_allowed() {
    let app = app();
    let body = json!({"outlet": "Reuters", "webhook": {"url": "http://169.254.169.254/latest"}});
    let r = app
        .post("/v1/watches", "application/json", body.to_string())
        .await;
    let p = r.problem(422);
    assert_eq!(p["field"], "webhook.url");
    assert!(p["detail"]
        .as_str()
        .unwrap()
        .contains("--allow-private-webhooks"));
    let app = app_with(Config {
        token: Some(TOKEN.into()),
        allow_private_webhooks: true,
        ..Config::default()
    });
    let r = app
        .post("/v1/watches", "application/json", body.to_string())
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
}
