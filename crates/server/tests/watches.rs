//! Watches end to end on the seeds: the service on a loopback port, a
//! webhook receiver on another, and the Reuters story `003` with its
//! uncredited rewrite `000`.
//!
//! The receiver checks each delivery's Standard Webhooks signature,
//! answers 500 to the first attempt of each id and 200 after, and keeps
//! what it got, so the test sees a retry with the same id and a valid
//! signature. A copy that credits Reuters and a copy by a licensed outlet
//! raise no alert.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use unspun_engine::Engine;
use unspun_server::watches::webhook::{self, DeliveryPolicy};
use unspun_server::watches::AlertConfig;
use unspun_server::{router, Config};
use unspun_store::{EmbeddedStore, Store};

const REWRITE: &str = "000_8f16aa07f174a1e7";
const REUTERS: &str = "003_741671edce2820d1";
const TOKEN: &str = "watch-token";

/// One delivery as the receiver got it.
#[derive(Clone, Debug)]
struct Received {
    id: String,
    timestamp: i64,
    signature: String,
    body: String,
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
}

async fn receive(
    axum::extract::State(r): axum::extract::State<Receiver>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let got = Received {
        id: h("webhook-id"),
        timestamp: h("webhook-timestamp").parse().unwrap_or(0),
        signature: h("webhook-signature"),
        body,
    };
    let mut all = r.got.lock().unwrap();
    let first = !all.iter().any(|g| g.id == got.id);
    all.push(got);
    if first {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

/// Serves `app` on a loopback port; returns its base URL.
async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// A blocking HTTP call on a blocking thread (ureq is blocking).
async fn call(method: &'static str, url: String, body: Option<Value>) -> (u16, String) {
    tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let auth = format!("Bearer {TOKEN}");
        let mut resp = match (method, body) {
            ("GET", _) => agent.get(&url).call(),
            ("POST", Some(b)) => agent
                .post(&url)
                .header("authorization", &auth)
                .header("content-type", "application/json")
                .send(b.to_string().as_bytes()),
            ("PUT", Some(b)) => agent
                .put(&url)
                .header("authorization", &auth)
                .header("content-type", "application/json")
                .send(b.to_string().as_bytes()),
            _ => unreachable!(),
        }
        .unwrap();
        let status = resp.status().as_u16();
        (status, resp.body_mut().read_to_string().unwrap())
    })
    .await
    .unwrap()
}

fn article_json(a: &unspun_article::Article) -> Value {
    json!({
        "id": a.id.to_string(),
        "text": a.text,
        "date": a.date.map(|d| d.to_string()),
        "source": a.source,
    })
}

/// Waits until the matcher has judged every stored article.
async fn matched_everything(store: &dyn Store) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let last = store
            .list(&Default::default(), None, 1000)
            .unwrap()
            .last()
            .map(|a| a.key.0);
        if store.matched_through().unwrap() >= last {
            return;
        }
        assert!(Instant::now() < deadline, "the matcher did not catch up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The service with alerts on, over a new store, and a webhook receiver;
/// a watch on Reuters posting to the receiver. Returns the service's base
/// URL, the store (kept open by the service), the receiver, the watch id
/// and its secret.
async fn service_with_a_reuters_watch() -> (
    tempfile::TempDir,
    String,
    Arc<EmbeddedStore>,
    Receiver,
    u64,
    String,
) {
    let receiver = Receiver::default();
    let hook = serve(
        Router::new()
            .route("/hook", post(receive))
            .with_state(receiver.clone()),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(EmbeddedStore::open(&dir.path().join("store")).unwrap());
    let engine = Arc::new(Engine::new(store.clone()));
    let app = router(
        engine,
        Config {
            token: Some(TOKEN.into()),
            alerts: Some(AlertConfig {
                poll: Duration::from_millis(200),
                delivery: DeliveryPolicy {
                    retries: vec![Duration::from_secs(1); 3],
                    timeout: Duration::from_secs(10),
                    // The receiver is on loopback.
                    allow_private: true,
                    ..DeliveryPolicy::default()
                },
            }),
            allow_private_webhooks: true,
            ..Config::default()
        },
    );
    let base = serve(app).await;
    // The matcher's first pass sets where matching starts.
    matched_everything(store.as_ref()).await;
    let (status, body) = call(
        "POST",
        format!("{base}/v1/watches"),
        Some(json!({"name": "Reuters pickups", "outlet": "Reuters",
                    "webhook": {"url": format!("{hook}/hook")}})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let watch = created["watch"]["id"].as_u64().unwrap();
    // Reads show the webhook URL cut to its scheme and host.
    let (_, listed) = call("GET", format!("{base}/v1/watches/{watch}"), None).await;
    let listed: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed["rules"]["webhook"]["url"], format!("{hook}/…"));
    (dir, base, store, receiver, watch, secret)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credited_copy_or_a_licensed_partner_raises_no_alert() {
    let (_dir, base, store, receiver, watch, _) = service_with_a_reuters_watch().await;
    let (status, body) = call(
        "PUT",
        format!("{base}/v1/licensed/Partner%20Daily"),
        Some(json!({"reason": "syndication contract"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let reuters = common::seed(REUTERS);
    let rewrite = common::seed(REWRITE);
    // The rewrite as a licensed partner publishes it, and a copy of the
    // Reuters story that credits Reuters.
    let mut licensed = article_json(&rewrite);
    licensed["id"] = json!("licensed-copy");
    licensed["source"] = json!("Partner Daily");
    let mut credited = article_json(&reuters);
    credited["id"] = json!("credited-copy");
    credited["source"] = json!("Honest Herald");
    credited["text"] = json!(format!("Reuters reported on Saturday:\n\n{}", reuters.text));
    let (status, body) = call(
        "POST",
        format!("{base}/v1/articles"),
        Some(json!([article_json(&reuters), licensed, credited])),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    matched_everything(store.as_ref()).await;
    assert_eq!(store.watch_matches(watch, None, 100).unwrap(), vec![]);
    // Both are reuse of the watched story: the licence and the credit are
    // what keep them out.
    let changes_against_reuters = |trace: &Value| -> Vec<String> {
        let s = trace["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == REUTERS)
            .unwrap_or_else(|| panic!("Reuters is a source: {trace:#}"));
        assert!(["copy", "rewrite"].contains(&s["relation"].as_str().unwrap()));
        s["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["type"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, body) = call(
        "POST",
        format!("{base}/v1/traces"),
        Some(json!({"id": "licensed-copy"})),
    )
    .await;
    let licensed_trace: Value = serde_json::from_str(&body).unwrap();
    assert!(changes_against_reuters(&licensed_trace).contains(&"attribution_missing".to_string()));
    let (_, body) = call(
        "POST",
        format!("{base}/v1/traces"),
        Some(json!({"id": "credited-copy"})),
    )
    .await;
    let credited_trace: Value = serde_json::from_str(&body).unwrap();
    assert!(!changes_against_reuters(&credited_trace).contains(&"attribution_missing".to_string()));
    // And nothing was sent.
    assert!(receiver.got.lock().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uncredited_copy_of_a_watched_outlet_alerts_once_signed_and_retried() {
    let (_dir, base, store, receiver, watch, secret) = service_with_a_reuters_watch().await;
    let reuters = common::seed(REUTERS);
    let rewrite = common::seed(REWRITE);
    let (status, body) = call(
        "POST",
        format!("{base}/v1/articles"),
        Some(json!([article_json(&reuters), article_json(&rewrite)])),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    matched_everything(store.as_ref()).await;

    // One match: the uncredited rewrite.
    let (status, body) = call("GET", format!("{base}/v1/watches/{watch}/matches"), None).await;
    assert_eq!(status, 200, "{body}");
    let page: Value = serde_json::from_str(&body).unwrap();
    let matches = page["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 1, "{page:#}");
    assert_eq!(matches[0]["article"], REWRITE);
    assert_eq!(matches[0]["source"], REUTERS);
    assert_eq!(matches[0]["alert"]["credited"], false);
    assert!(matches[0]["alert"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["type"] == "quote_altered"));

    // The same as CSV.
    let (status, csv) = call(
        "GET",
        format!("{base}/v1/watches/{watch}/matches?format=csv"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(csv.starts_with("seq,matched_at,article,"), "{csv}");
    assert!(
        csv.contains(&format!(",{REWRITE},")) && csv.contains(",false,"),
        "{csv}"
    );

    // The webhook: refused once, then accepted, under one id, both
    // attempts signed with the watch's secret.
    let deadline = Instant::now() + Duration::from_secs(30);
    let got = loop {
        let got = receiver.got.lock().unwrap().clone();
        if got.len() >= 2 {
            break got;
        }
        assert!(Instant::now() < deadline, "no retry arrived: {got:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].id, got[1].id, "a retry keeps its id");
    for g in &got {
        assert_eq!(
            webhook::sign(&secret, &g.id, g.timestamp, &g.body).as_deref(),
            Some(g.signature.as_str()),
            "the signature verifies"
        );
        assert!(
            webhook::sign("whsec_AAAA", &g.id, g.timestamp, &g.body).as_deref()
                != Some(g.signature.as_str())
        );
        let b: Value = serde_json::from_str(&g.body).unwrap();
        assert_eq!(b["type"], "watch.match");
        assert_eq!(b["data"]["article"]["id"], REWRITE);
    }
    // The delivery log says so.
    let deadline = Instant::now() + Duration::from_secs(10);
    let log = loop {
        let (_, body) = call("GET", format!("{base}/v1/watches/{watch}/deliveries"), None).await;
        let log: Value = serde_json::from_str(&body).unwrap();
        if log["deliveries"][0]["state"] == "delivered" {
            break log;
        }
        assert!(Instant::now() < deadline, "not marked delivered: {log:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let d = &log["deliveries"][0];
    assert_eq!(d["attempts"], 2);
    assert_eq!(d["log"][0]["status"], 500);
    assert_eq!(d["log"][1]["status"], 200);

    // Redelivery sends the same id again (the receiver would drop it).
    let id = d["id"].as_str().unwrap();
    let (status, body) = call(
        "POST",
        format!("{base}/v1/watches/{watch}/deliveries/{id}/redeliver"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while receiver.got.lock().unwrap().len() < 3 {
        assert!(Instant::now() < deadline, "no redelivery");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(receiver.got.lock().unwrap()[2].id, id);

    // The Atom feed has the match.
    let (status, xml) = call("GET", format!("{base}/v1/watches/{watch}/feed"), None).await;
    assert_eq!(status, 200);
    let feed: atom_syndication::Feed = xml.parse().unwrap();
    assert_eq!(feed.entries().len(), 1);
    assert!(feed.entries()[0]
        .summary()
        .unwrap()
        .as_str()
        .contains("without credit"));

    // Ingesting the same articles again raises nothing new.
    let (status, _) = call(
        "POST",
        format!("{base}/v1/articles"),
        Some(json!([article_json(&rewrite)])),
    )
    .await;
    assert_eq!(status, 200);
    matched_everything(store.as_ref()).await;
    assert_eq!(store.watch_matches(watch, None, 100).unwrap().len(), 1);
}

#[test]
fn watches_and_their_matches_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let spec = r#"{"outlet":"Reuters"}"#;
    {
        let store = EmbeddedStore::open(&path).unwrap();
        let w = store.create_watch(spec, Some("whsec_AAAA")).unwrap();
        store.record_matches(&[], Some(0)).unwrap();
        let found = store
            .record_matches(
                &[unspun_store::NewMatch {
                    watch: w.id,
                    article: unspun_article::ArticleId::new(REWRITE).unwrap(),
                    source: unspun_article::ArticleId::new(REUTERS).unwrap(),
                    payload: "{}".into(),
                    delivery_id: Some("msg_restart".into()),
                }],
                Some(2),
            )
            .unwrap();
        assert_eq!(found.len(), 1);
        // Dropped without any shutdown: what was committed must be there.
        std::mem::forget(store);
    }
    let store = EmbeddedStore::open_read_only(&path).unwrap();
    let watches = store.watches().unwrap();
    assert_eq!(watches.len(), 1);
    assert_eq!(watches[0].spec, spec);
    assert_eq!(store.matched_through().unwrap(), Some(2));
    assert_eq!(
        store.watch_matches(watches[0].id, None, 10).unwrap().len(),
        1
    );
    let d = store.deliveries(watches[0].id, 10).unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].id, "msg_restart");
}

/// A delivery moved while it was being sent keeps its new state: a stale
/// attempt is logged and nothing more; a redelivery starts a new round; a
/// deleted watch's delivery stays given up.
#[test]
fn attempts_do_not_undo_a_redelivery_or_a_deletion() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir.path().join("store")).unwrap();
    let w = store
        .create_watch(r#"{"outlet":"Reuters"}"#, Some("whsec_AAAA"))
        .unwrap();
    store
        .record_matches(
            &[unspun_store::NewMatch {
                watch: w.id,
                article: unspun_article::ArticleId::new(REWRITE).unwrap(),
                source: unspun_article::ArticleId::new(REUTERS).unwrap(),
                payload: "{}".into(),
                delivery_id: Some("msg_a".into()),
            }],
            Some(0),
        )
        .unwrap();
    let due = store.due_deliveries(i64::MAX, 10).unwrap();
    assert_eq!(due.len(), 1);
    let first = due[0].clone();
    let fail = |retry: Option<i64>| unspun_store::AttemptOutcome {
        status: Some(500),
        error: Some("answered 500".into()),
        accepted: false,
        retry_at: retry,
    };
    store.record_attempt(&first, &fail(Some(i64::MAX))).unwrap();
    let d = &store.deliveries(w.id, 10).unwrap()[0];
    assert_eq!(
        (d.attempts, d.state),
        (1, unspun_store::DeliveryState::Pending)
    );
    // A redelivery while an attempt (read before it) is in flight.
    assert!(store.redeliver(w.id, "msg_a").unwrap());
    store.record_attempt(&first, &fail(None)).unwrap();
    let d = &store.deliveries(w.id, 10).unwrap()[0];
    assert_eq!(
        d.state,
        unspun_store::DeliveryState::Pending,
        "the redelivery stands"
    );
    assert_eq!((d.attempts, d.round_start, d.log.len()), (1, 1, 2));
    // Deleted: a late attempt does not bring it back.
    let current = d.clone();
    assert!(store.delete_watch(w.id).unwrap());
    store.record_attempt(&current, &fail(Some(0))).unwrap();
    let rows = store.deliveries(w.id, 10).unwrap();
    assert_eq!(rows[0].state, unspun_store::DeliveryState::Failed);
    assert!(store.due_deliveries(i64::MAX, 10).unwrap().is_empty());
    assert!(
        !store.redeliver(w.id, "msg_a").unwrap(),
        "no redelivery for a deleted watch"
    );
}
