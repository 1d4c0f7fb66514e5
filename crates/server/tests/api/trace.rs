//! Tracing through the API: the seeds as the engine traces them, a bad
//! record in a batch, and a large batch run as a job.

use super::*;

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
