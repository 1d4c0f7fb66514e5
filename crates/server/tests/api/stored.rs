//! What the store keeps: articles listed by outlet and date, and verdicts
//! and licences that survive a restart.

use super::*;

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
