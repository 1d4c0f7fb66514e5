//! Errors and limits: problem+json answers, the bearer token, body size,
//! timeouts, request ids, gzip, health, the served OpenAPI document and
//! webhook addresses.

use super::*;

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
