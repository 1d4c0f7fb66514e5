//! Watches: what a newsroom asks to be told about, and the alerts.
//!
//! A watch guards an outlet, or some of its stories, with rules
//! ([`rules::WatchSpec`]). The [`matcher`] traces every article stored
//! after the watch exists and records the pairs that match; each match
//! appears in `GET /v1/watches/{id}/matches`, in the watch's Atom feed
//! ([`atom`]) and, when the watch has a webhook, is posted there by the
//! Standard Webhooks scheme with retries and a delivery log ([`webhook`]).
//! Watches, matches and deliveries live in the store, so a restart (or a
//! `kill -9`) keeps them.
//!
//! | endpoint | what |
//! |---|---|
//! | `POST /v1/watches` | create a watch (bearer token); answers its webhook secret once |
//! | `GET /v1/watches`, `GET /v1/watches/{id}` | the live watches |
//! | `DELETE /v1/watches/{id}` | delete one (bearer token) |
//! | `GET /v1/watches/{id}/matches` | its matches, a page at a time |
//! | `GET /v1/watches/{id}/feed` | its matches as Atom |
//! | `GET /v1/watches/{id}/deliveries` | its webhook deliveries and every attempt |
//! | `POST /v1/watches/{id}/deliveries/{delivery}/redeliver` | send one again (bearer token) |
//! | `POST /v1/watches/{id}/test` | a test send to its webhook (bearer token) |

pub mod atom;
pub mod matcher;
pub mod rules;
pub mod webhook;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::Notify;
use unspun_engine::Engine;
use unspun_store::{Delivery, Watch, WatchMatch};
use utoipa::{IntoParams, ToSchema};

use crate::api::{blocking, Params, WriteAccess};
use crate::input::{self, Body};
use crate::problem::{ApiError, Problem};
use crate::query;
use crate::AppState;
use rules::WatchSpec;

/// How the service runs its watches in the background.
#[derive(Clone, Debug)]
pub struct AlertConfig {
    /// How often the matcher looks for articles stored by other processes
    /// (an ingest through the API wakes it at once).
    pub poll: Duration,
    /// How webhook deliveries are retried.
    pub delivery: webhook::DeliveryPolicy,
}

impl Default for AlertConfig {
    fn default() -> AlertConfig {
        AlertConfig {
            poll: Duration::from_secs(5),
            delivery: webhook::DeliveryPolicy::default(),
        }
    }
}

/// Wakes the background matcher and deliverer.
#[derive(Debug, Default)]
pub struct Wake {
    matcher: Notify,
    deliverer: Notify,
}

impl Wake {
    /// Articles were stored: look for matches now.
    pub fn articles_stored(&self) {
        self.matcher.notify_one();
    }

    /// A delivery is due now.
    pub fn delivery_due(&self) {
        self.deliverer.notify_one();
    }
}

/// Starts the matcher and the deliverer on the current tokio runtime.
/// They run until the runtime stops.
pub fn spawn_background(engine: Arc<Engine>, config: AlertConfig, wake: Arc<Wake>) {
    let (e, w, poll) = (engine.clone(), wake.clone(), config.poll);
    tokio::spawn(async move {
        loop {
            let engine = e.clone();
            let found =
                tokio::task::spawn_blocking(move || matcher::match_new(&engine, 10_000)).await;
            match found {
                Ok(Ok(m)) if !m.is_empty() => {
                    tracing::info!(matches = m.len(), "watch matcher: new matches");
                    w.delivery_due();
                    continue;
                }
                Ok(Ok(_)) => {}
                Ok(Err(err)) => tracing::error!(error = %err, "watch matcher failed"),
                Err(err) => tracing::error!(error = %err, "watch matcher panicked"),
            }
            let _ = tokio::time::timeout(poll, w.matcher.notified()).await;
        }
    });
    tokio::spawn(async move {
        loop {
            let engine = engine.clone();
            let policy = config.delivery.clone();
            let sent = tokio::task::spawn_blocking(move || {
                webhook::deliver_due(engine.store().as_ref(), &policy)
            })
            .await;
            match sent {
                Ok(Ok(n)) if n > 0 => continue,
                Ok(Ok(_)) => {}
                Ok(Err(err)) => tracing::error!(error = %err, "webhook deliverer failed"),
                Err(err) => tracing::error!(error = %err, "webhook deliverer panicked"),
            }
            // Retries are due by the second: look again within one.
            let _ = tokio::time::timeout(Duration::from_secs(1), wake.deliverer.notified()).await;
        }
    });
}

/// A watch as the API shows it (never its secret).
#[derive(Serialize, ToSchema)]
pub struct WatchRecord {
    /// Its id.
    pub id: u64,
    /// When it was created (RFC 3339, UTC).
    pub created: String,
    /// Its rules.
    pub rules: WatchSpec,
}

/// The answer to `POST /v1/watches`.
#[derive(Serialize, ToSchema)]
pub struct CreatedWatch {
    /// The watch.
    pub watch: WatchRecord,
    /// The secret its webhook deliveries are signed with (`whsec_...`),
    /// shown only here; null without a webhook.
    pub secret: Option<String>,
}

/// The live watches.
#[derive(Serialize, ToSchema)]
pub struct WatchList {
    /// By id.
    pub watches: Vec<WatchRecord>,
}

/// One match of a watch.
#[derive(Serialize, ToSchema)]
pub struct MatchRecord {
    /// Order of matching, across watches.
    pub seq: u64,
    /// The new article that reuses.
    pub article: String,
    /// The watched story it reuses.
    pub source: String,
    /// When it was matched (RFC 3339, UTC).
    pub at: String,
    /// The alert: relation, coverage, credit, changes, the article and the
    /// story, and the path of the trace.
    #[schema(value_type = Object)]
    pub alert: Value,
}

/// A page of matches.
#[derive(Serialize, ToSchema)]
pub struct MatchPage {
    /// Oldest first.
    pub matches: Vec<MatchRecord>,
    /// Give as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// One attempt at a delivery.
#[derive(Serialize, ToSchema)]
pub struct AttemptRecord {
    /// 1 for the first.
    pub attempt: u32,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The receiver's HTTP status, or null when it did not answer.
    pub status: Option<u16>,
    /// What went wrong, or null.
    pub error: Option<String>,
}

/// A webhook delivery and its log.
#[derive(Serialize, ToSchema)]
pub struct DeliveryRecord {
    /// Sent as `webhook-id`, the same on every retry.
    pub id: String,
    /// The match it announces; null for a test send.
    pub match_seq: Option<u64>,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Attempts made.
    pub attempts: u32,
    /// When it is next tried (RFC 3339, UTC), while pending.
    pub next_attempt: Option<String>,
    /// Every attempt, oldest first.
    pub log: Vec<AttemptRecord>,
}

/// A watch's deliveries.
#[derive(Serialize, ToSchema)]
pub struct DeliveryList {
    /// Newest first (at most 100).
    pub deliveries: Vec<DeliveryRecord>,
}

fn record(w: &Watch) -> Result<WatchRecord, ApiError> {
    let mut rules: WatchSpec = serde_json::from_str(&w.spec)
        .map_err(|e| ApiError::Internal(format!("watch {}: stored rules: {e}", w.id)))?;
    // A webhook URL is often a credential itself (a chat service's
    // incoming-webhook URL, a `?token=`): reads show its scheme and host.
    if let Some(hook) = &mut rules.webhook {
        hook.url = redacted_url(&hook.url);
    }
    Ok(WatchRecord {
        id: w.id,
        created: w.created.clone(),
        rules,
    })
}

/// `url` cut to its scheme and host, the rest replaced by `/…`
/// (`https://hooks.example/services/T0/B0/secret` → `https://hooks.example/…`).
fn redacted_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Credentials in the authority (`user:pass@host`) go too.
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let cut = &rest[authority.len()..];
    if cut.is_empty() || cut == "/" {
        // Nothing to hide past the host; never longer than what was given
        // (the schema bounds it).
        return format!("{scheme}://{host}{cut}");
    }
    format!("{scheme}://{host}/…")
}

fn delivery_record(d: Delivery) -> DeliveryRecord {
    let pending = d.state == unspun_store::DeliveryState::Pending;
    DeliveryRecord {
        state: serde_json::to_value(d.state)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        next_attempt: pending
            .then(|| chrono::DateTime::from_timestamp(d.next_at, 0))
            .flatten()
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        id: d.id,
        match_seq: d.match_seq,
        attempts: d.attempts,
        log: d
            .log
            .into_iter()
            .map(|a| AttemptRecord {
                attempt: a.attempt,
                at: a.at,
                status: a.status,
                error: a.error,
            })
            .collect(),
    }
}

fn match_record(m: WatchMatch) -> MatchRecord {
    MatchRecord {
        seq: m.seq,
        article: m.article.to_string(),
        source: m.source.to_string(),
        at: m.at,
        alert: serde_json::from_str(&m.payload).unwrap_or(Value::Null),
    }
}

/// The path's watch id, validated.
fn watch_id(path: Result<Path<String>, PathRejection>) -> Result<u64, ApiError> {
    crate::api::numeric_path_id(path, "watch")
}

/// The live watch `id`, or 404.
fn live(engine: &Engine, id: u64) -> Result<Watch, ApiError> {
    engine
        .store()
        .watch(id)?
        .ok_or_else(|| ApiError::NoSuchThing(format!("no watch {id}")))
}

/// Creates a watch. Articles stored from now on are matched against it.
#[utoipa::path(post, path = "/v1/watches", tag = "watches",
    request_body(content = WatchSpec, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The watch, and its webhook secret (shown only here)", body = CreatedWatch),
        (status = 400, description = "Invalid rules", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token, or the wrong one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Writes are disabled", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither an outlet nor stories to guard, or a webhook to a loopback, private or link-local address (see --allow-private-webhooks), or to a host that does not resolve", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn post_watch(
    _: WriteAccess,
    State(state): State<AppState>,
    body: Body,
) -> Result<Response, ApiError> {
    let map = input::json_object(&body, "a watch is one JSON object: send application/json")?;
    let spec = WatchSpec::from_json(Value::Object(map))?;
    if let Some(hook) = &spec.webhook {
        let url = hook.url.clone();
        let allow = state.config.allow_private_webhooks;
        tokio::task::spawn_blocking(move || webhook::check_destination(&url, allow))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?
            .map_err(|why| ApiError::unprocessable("webhook.url", why))?;
    }
    let secret = spec.webhook.as_ref().map(|_| webhook::new_secret());
    let spec_json = serde_json::to_string(&spec).expect("a watch serialises");
    let (watch, secret) = blocking(&state, move |engine| {
        let w = engine.store().create_watch(&spec_json, secret.as_deref())?;
        Ok((record(&w)?, secret))
    })
    .await?;
    // A watch created before any matcher ran sets where matching starts.
    state.wake.articles_stored();
    Ok((StatusCode::CREATED, Json(CreatedWatch { watch, secret })).into_response())
}

/// The live watches.
#[utoipa::path(get, path = "/v1/watches", tag = "watches",
    responses((status = 200, description = "The live watches, by id", body = WatchList)))]
pub async fn list_watches(State(state): State<AppState>) -> Result<Json<WatchList>, ApiError> {
    let watches = blocking(&state, |engine| {
        engine.store().watches()?.iter().map(record).collect()
    })
    .await?;
    Ok(Json(WatchList { watches }))
}

/// One watch.
#[utoipa::path(get, path = "/v1/watches/{id}", tag = "watches",
    params(("id" = u32, Path, description = "The watch id", minimum = 1, maximum = 2147483647)),
    responses(
        (status = 200, description = "The watch", body = WatchRecord),
        (status = 400, description = "Not a watch id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live watch with this id", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_watch(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<WatchRecord>, ApiError> {
    let id = watch_id(id)?;
    let w = blocking(&state, move |engine| record(&live(engine, id)?)).await?;
    Ok(Json(w))
}

/// Deletes a watch. Its matches and delivery log stay; its pending
/// deliveries are given up.
#[utoipa::path(delete, path = "/v1/watches/{id}", tag = "watches",
    params(("id" = u32, Path, description = "The watch id", minimum = 1, maximum = 2147483647)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Not a watch id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token, or the wrong one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Writes are disabled", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live watch with this id", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_watch(
    _: WriteAccess,
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let id = watch_id(id)?;
    blocking(&state, move |engine| {
        if engine.store().delete_watch(id)? {
            Ok(StatusCode::NO_CONTENT)
        } else {
            Err(ApiError::NoSuchThing(format!("no watch {id}")))
        }
    })
    .await
}

/// Matches per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 100;
/// The most matches one page may ask for.
pub const MAX_LIMIT: usize = 1000;

/// Parameters of `GET /v1/watches/{id}/matches`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
// Documents the parameters; read by `get_matches`.
pub struct MatchParams {
    /// Matches per page, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the page before.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// `json` (default) or `csv`: the page's matches, one row each.
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// A watch's matches, oldest first, a page at a time.
#[utoipa::path(get, path = "/v1/watches/{id}/matches", tag = "watches",
    params(("id" = u32, Path, description = "The watch id", minimum = 1, maximum = 2147483647), MatchParams),
    responses(
        (status = 200, description = "A page of matches: JSON, or CSV with `format=csv`", content(
            (MatchPage = "application/json"),
            (String = "text/csv"))),
        (status = 400, description = "Invalid parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live watch with this id", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_matches(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    params: Params,
) -> Result<Response, ApiError> {
    let id = watch_id(id)?;
    let axum::extract::Query(map) = params.map_err(|r| ApiError::field("query", r.body_text()))?;
    query::only_known(&map, &["limit", "cursor", "format"])?;
    let csv = crate::export::wants_csv(&map)?;
    let limit = query::limit(&map, DEFAULT_LIMIT, MAX_LIMIT)?;
    let after = map
        .get("cursor")
        .map(|c| query::key_cursor(c))
        .transpose()?;
    let (matches, full) = blocking(&state, move |engine| {
        live(engine, id)?;
        let m = engine.store().watch_matches(id, after, limit)?;
        let full = m.len() == limit;
        Ok((m, full))
    })
    .await?;
    let next_cursor = full
        .then(|| matches.last().map(|m| m.seq.to_string()))
        .flatten();
    if csv {
        return Ok(matches_csv(id, matches));
    }
    Ok(Json(MatchPage {
        matches: matches.into_iter().map(match_record).collect(),
        next_cursor,
    })
    .into_response())
}

/// A page of matches as CSV, one row each.
fn matches_csv(watch: u64, matches: Vec<WatchMatch>) -> Response {
    let rows = matches
        .into_iter()
        .map(|m| {
            let a: Value = serde_json::from_str(&m.payload).unwrap_or(Value::Null);
            let field = |p: &str| match a.pointer(p) {
                Some(Value::String(s)) => s.clone(),
                None | Some(Value::Null) => String::new(),
                Some(v) => v.to_string(),
            };
            let changes = a
                .get("changes")
                .and_then(Value::as_array)
                .map(|cs| {
                    cs.iter()
                        .filter_map(|c| c.get("type").and_then(Value::as_str))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            vec![
                m.seq.to_string(),
                m.at.clone(),
                m.article.to_string(),
                field("/article/source"),
                field("/article/date"),
                m.source.to_string(),
                field("/relation"),
                field("/coverage"),
                field("/credited"),
                changes,
            ]
        })
        .collect();
    crate::export::csv_response(
        &format!("watch-{watch}-matches"),
        &[
            "seq",
            "matched_at",
            "article",
            "article_outlet",
            "article_date",
            "source",
            "relation",
            "coverage",
            "credited",
            "changes",
        ],
        rows,
    )
}

/// The most entries a feed holds (the newest).
const FEED_ENTRIES: usize = 200;

/// A watch's latest matches as an Atom feed.
#[utoipa::path(get, path = "/v1/watches/{id}/feed", tag = "watches",
    params(("id" = u32, Path, description = "The watch id", minimum = 1, maximum = 2147483647)),
    responses(
        (status = 200, description = "Atom (RFC 4287): one entry per match, the latest 200", body = String, content_type = "application/atom+xml"),
        (status = 400, description = "Not a watch id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live watch with this id", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_feed(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = watch_id(id)?;
    let (watch, matches) = blocking(&state, move |engine| {
        let w = live(engine, id)?;
        let all = engine.store().latest_matches(id, FEED_ENTRIES)?;
        Ok((w, all))
    })
    .await?;
    let name = record(&watch)?
        .rules
        .name
        .or_else(|| record(&watch).ok().and_then(|r| r.rules.outlet))
        .unwrap_or_else(|| "stories".into());
    // Links are relative to the server (feed readers resolve them against
    // the feed's own address), or under the configured public URL: never
    // built from a client's Host header.
    let base = state.config.public_url.clone().unwrap_or_default();
    let xml = atom::feed(&watch, &name, &matches, base.trim_end_matches('/'));
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        xml,
    )
        .into_response())
}

/// A watch's webhook deliveries, newest first, with every attempt.
#[utoipa::path(get, path = "/v1/watches/{id}/deliveries", tag = "watches",
    params(("id" = u32, Path, description = "The watch id", minimum = 1, maximum = 2147483647)),
    responses(
        (status = 200, description = "The latest 100 deliveries", body = DeliveryList),
        (status = 400, description = "Not a watch id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live watch with this id", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_deliveries(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<DeliveryList>, ApiError> {
    let id = watch_id(id)?;
    let deliveries = blocking(&state, move |engine| {
        live(engine, id)?;
        Ok(engine.store().deliveries(id, 100)?)
    })
    .await?;
    Ok(Json(DeliveryList {
        deliveries: deliveries.into_iter().map(delivery_record).collect(),
    }))
}

/// Sends a delivery again (same id, so a receiver that handled it drops
/// it), now.
#[utoipa::path(post, path = "/v1/watches/{id}/deliveries/{delivery}/redeliver", tag = "watches",
    params(("id" = u32, Path, description = "The watch id", minimum = 1, maximum = 2147483647), ("delivery" = String, Path, description = "The delivery id")),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Queued to be sent now"),
        (status = 400, description = "Not a watch id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token, or the wrong one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Writes are disabled", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such watch or delivery", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn redeliver(
    _: WriteAccess,
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path((id, delivery)) = path.map_err(|r| ApiError::field("path", r.body_text()))?;
    let id = watch_id(Ok(Path(id)))?;
    blocking(&state, move |engine| {
        live(engine, id)?;
        if engine.store().redeliver(id, &delivery)? {
            Ok(())
        } else {
            Err(ApiError::NoSuchThing(format!(
                "watch {id} has no delivery {delivery:?}"
            )))
        }
    })
    .await?;
    state.wake.delivery_due();
    Ok(StatusCode::ACCEPTED)
}

/// Queues a test send to the watch's webhook (type `watch.test`); its
/// outcome is in the deliveries.
#[utoipa::path(post, path = "/v1/watches/{id}/test", tag = "watches",
    params(("id" = u32, Path, description = "The watch id", minimum = 1, maximum = 2147483647)),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Queued; see the watch's deliveries", body = DeliveryRecord),
        (status = 400, description = "Not a watch id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token, or the wrong one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Writes are disabled", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live watch with this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The watch has no webhook", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn test_send(
    _: WriteAccess,
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = watch_id(id)?;
    let d = blocking(&state, move |engine| {
        let w = live(engine, id)?;
        if w.secret.is_none() {
            return Err(ApiError::Conflict(format!("watch {id} has no webhook")));
        }
        let data = serde_json::json!({"watch": id, "message": "a test send from unspun"});
        Ok(engine
            .store()
            .add_test_delivery(id, &matcher::new_delivery_id(), &data.to_string())?)
    })
    .await?;
    state.wake.delivery_due();
    Ok((StatusCode::ACCEPTED, Json(delivery_record(d))).into_response())
}

#[cfg(test)]
mod tests {
    use super::redacted_url;

    #[test]
    fn webhook_urls_are_cut_to_their_host_and_never_grow() {
        assert_eq!(
            redacted_url("https://hooks.example/services/T0/B0/secret"),
            "https://hooks.example/…"
        );
        assert_eq!(
            redacted_url("https://user:pw@hooks.example:8443/x?token=1"),
            "https://hooks.example:8443/…"
        );
        assert_eq!(redacted_url("http://h.example/"), "http://h.example/");
        assert_eq!(redacted_url("http://h.example"), "http://h.example");
        for url in ["http://h/", "http://h/ab", "http://h?a", "http://u@h/x"] {
            assert!(
                redacted_url(url).chars().count() <= url.chars().count(),
                "{url}"
            );
        }
    }
}
