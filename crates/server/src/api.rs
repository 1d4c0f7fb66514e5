//! The handlers of API v1. Each one checks its input, runs the engine on a
//! blocking thread (traces and ingests are CPU-bound, and the store does
//! blocking file I/O) and renders the answer; what a trace says is
//! decided by `unspun-engine` and rendered by `unspun-report`, as for the
//! command line.

use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use subtle::ConstantTimeEq;
use unspun_article::{Article, ArticleId};
use unspun_report::{render_csv, render_html_reviewed, TraceReport};
use unspun_store::{OnConflict, PutOutcome};
use utoipa::{IntoParams, ToSchema};

use crate::input::{self, ArticleInput, Body, IdInput};
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// The id given to a traced text posted without one.
pub const SUBMITTED_ID: &str = "(submitted)";

/// Runs `f` on a blocking thread with the engine.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&unspun_engine::Engine) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let engine = state.engine.clone();
    tokio::task::spawn_blocking(move || f(&engine))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
}

/// The path's article id, validated.
pub(crate) fn path_id(
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<ArticleId, ApiError> {
    let Path(id) = id.map_err(|r| ApiError::field("id", r.body_text()))?;
    ArticleId::new(id).map_err(|e| ApiError::field("id", e.to_string()))
}

/// `s` as one URL path segment or query value, percent-encoded: every
/// byte but the unreserved characters is escaped (ids may hold `/`, `&`,
/// spaces).
pub fn url_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A numeric id of the path (a watch's, a job's): digits only, 1 to
/// 2^31 - 1, as the schema says; `what` names it in a refusal.
pub(crate) fn numeric_path_id(
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
    what: &str,
) -> Result<u64, ApiError> {
    let Path(raw) = id.map_err(|r| ApiError::field("id", r.body_text()))?;
    Some(&raw)
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|&n| (1..=i32::MAX as u64).contains(&n))
        .ok_or_else(|| {
            ApiError::field("id", format!("{raw:?} is not a {what} id (a whole number)"))
        })
}

/// The query string's parameters. Unknown parameters are ignored; each
/// known one is read by [`param`], so that a refusal names it.
pub(crate) type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

/// The value of parameter `name`, if given, as `T` (an enum of lowercase
/// names), or a refusal naming the parameter.
fn param<T: DeserializeOwned>(params: &Params, name: &str) -> Result<Option<T>, ApiError> {
    let Query(map) = params
        .as_ref()
        .map_err(|r| ApiError::field("query", r.body_text()))?;
    match map.get(name) {
        None => Ok(None),
        Some(v) => serde_json::from_value(Value::String(v.clone()))
            .map(Some)
            .map_err(|e| ApiError::field(name, e.to_string())),
    }
}

/// Proof that a request may write: it carries the configured bearer token.
/// An extractor, so that it runs before the body is read: a client without
/// the token cannot make the server buffer a large body.
pub struct WriteAccess;

impl FromRequestParts<AppState> for WriteAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(token) = state.config.token.as_deref() else {
            return Err(ApiError::WritesDisabled);
        };
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| {
                ApiError::Unauthorized(
                    "this endpoint writes: send `Authorization: Bearer <token>`".into(),
                )
            })?
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| {
                ApiError::Unauthorized("the Authorization header is not `Bearer <token>`".into())
            })?;
        // Constant-time, so that response times do not reveal how much of
        // a guess was right.
        if bool::from(given.trim().as_bytes().ct_eq(token.as_bytes())) {
            Ok(WriteAccess)
        } else {
            Err(ApiError::Unauthorized("the bearer token is wrong".into()))
        }
    }
}

/// `GET /healthz`.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: String,
    /// The server's version.
    pub version: String,
    /// The similarity mode of its traces (`lexical`, `static`, `minilm`,
    /// or `lexical-only` when the models are missing).
    pub mode: String,
}

/// Whether the server is up, and how it traces.
#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "The server is up", body = Health)))]
pub async fn healthz(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        mode: state.mode.into(),
    })
}

/// What to do with an id already stored with different content.
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConflictPolicy {
    /// Keep the stored version and report a conflict.
    #[default]
    Reject,
    /// Replace it (its revision goes up by one).
    Replace,
}

/// Parameters of `POST /v1/articles`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
// Documents the parameters; read by `param`.
pub struct IngestParams {
    /// What to do with an id already stored with different content
    /// (default `reject`).
    #[param(inline)]
    pub on_conflict: Option<ConflictPolicy>,
    /// `true`: store the body as a job (202, followed at
    /// `GET /v1/jobs/{id}`) however small. Bodies of more than 1,000
    /// records always are.
    pub job: Option<bool>,
}

/// What happened to one record of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RecordStatus {
    /// Stored for the first time.
    Stored,
    /// Already stored with identical content: nothing done.
    Unchanged,
    /// Already stored with different content, replaced (`on_conflict=replace`).
    Replaced,
    /// Already stored with different content, left as it was.
    Conflict,
    /// Not an article: see `detail`.
    Error,
}

/// One record's result.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RecordResult {
    /// 1-based position of the record in the body.
    pub record: usize,
    /// 1-based line, for a JSON Lines body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The article id, when the record has a valid one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What happened.
    pub status: RecordStatus,
    /// Why, for a conflict or an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The field at fault, for an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The answer to an ingest: counts, and one result per record, in order.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IngestResponse {
    /// Records stored for the first time.
    pub stored: usize,
    /// Records already stored with identical content.
    pub unchanged: usize,
    /// Records that replaced a stored version.
    pub replaced: usize,
    /// Records in conflict with a stored version.
    pub conflicts: usize,
    /// Records that are not valid articles.
    pub errors: usize,
    /// One result per record, in body order.
    pub results: Vec<RecordResult>,
}

/// The body of `POST /v1/articles` as JSON: one article or an array.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
// Documents the schema; bodies are read by `input::records`.
pub enum ArticleBatch {
    /// One article.
    One(ArticleInput),
    /// Several, stored as one atomic batch.
    Many(Vec<ArticleInput>),
}

/// Stores articles. The valid records of one request are stored as one
/// atomic batch; a record that is not a valid article is reported with its
/// number and does not stop the others.
#[utoipa::path(post, path = "/v1/articles", tag = "articles",
    params(IngestParams),
    request_body(description = "One article or an array of them (JSON), or one article per line (JSON Lines)",
        content((ArticleBatch = "application/json"), (String = "application/x-ndjson"))),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One result per record", body = IngestResponse),
        (status = 202, description = "A large body: stored as a job, followed at the `Location` (`GET /v1/jobs/{id}`)", body = crate::jobs::JobStatus),
        (status = 429, description = "As many jobs are running as the server runs at once", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "The body cannot be read as records", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token, or the wrong one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Writes are disabled (no token configured)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON nor JSON Lines", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn post_articles(
    _: WriteAccess,
    State(state): State<AppState>,
    params: Params,
    body: Body,
) -> Result<Response, ApiError> {
    let policy: ConflictPolicy = param(&params, "on_conflict")?.unwrap_or_default();
    let as_job = match params.as_ref() {
        Ok(q) => crate::query::flag(&q.0, "job")?,
        Err(r) => return Err(ApiError::field("query", r.body_text())),
    };
    let records = input::records(&body)?;
    let on_conflict = match policy {
        ConflictPolicy::Reject => OnConflict::Reject,
        ConflictPolicy::Replace => OnConflict::Replace,
    };
    if as_job || records.len() > state.config.job_threshold {
        // Each job holds a worker thread and its records: a bound keeps a
        // burst of large posts from taking the server's memory and threads.
        if state.jobs.running() >= state.config.max_jobs {
            return Err(ApiError::TooBusy(format!(
                "{} ingest jobs are running, the most this server runs at once; \
                 post again when one has finished (GET /v1/jobs/{{id}})",
                state.config.max_jobs
            )));
        }
        return Ok(start_job(&state, records, on_conflict));
    }
    let results = blocking(&state, move |engine| {
        store_records(engine, records, on_conflict)
    })
    .await?;
    let counts = IngestCounts::of(&results);
    if counts.stored > 0 {
        state.wake.articles_stored();
    }
    Ok(Json(IngestResponse {
        stored: counts.stored,
        unchanged: counts.unchanged,
        replaced: counts.replaced,
        conflicts: counts.conflicts,
        errors: counts.errors,
        results,
    })
    .into_response())
}

/// Counts of a batch's record results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IngestCounts {
    /// Stored for the first time.
    pub stored: usize,
    /// Already stored with identical content.
    pub unchanged: usize,
    /// Replaced a stored version.
    pub replaced: usize,
    /// In conflict with a stored version.
    pub conflicts: usize,
    /// Not valid articles.
    pub errors: usize,
}

impl IngestCounts {
    /// The counts of `results`.
    pub fn of(results: &[RecordResult]) -> IngestCounts {
        let count = |s: RecordStatus| results.iter().filter(|r| r.status == s).count();
        IngestCounts {
            stored: count(RecordStatus::Stored),
            unchanged: count(RecordStatus::Unchanged),
            replaced: count(RecordStatus::Replaced),
            conflicts: count(RecordStatus::Conflict),
            errors: count(RecordStatus::Error),
        }
    }
}

/// Stores the valid articles of `records` as one atomic batch and returns
/// one result per record, in order.
fn store_records(
    engine: &unspun_engine::Engine,
    records: Vec<input::Record>,
    on_conflict: OnConflict,
) -> Result<Vec<RecordResult>, ApiError> {
    let mut results = Vec::with_capacity(records.len());
    let mut batch: Vec<Article> = Vec::new();
    // Index in `results` of each article of `batch`.
    let mut slots: Vec<usize> = Vec::new();
    for r in records {
        let mut result = RecordResult {
            record: r.number,
            line: r.line,
            id: None,
            status: RecordStatus::Error,
            detail: None,
            field: None,
        };
        match r.article {
            Ok(a) => {
                result.id = Some(a.id.to_string());
                slots.push(results.len());
                batch.push(a);
            }
            Err(e) => {
                let p = e.problem();
                result.detail = Some(p.detail);
                result.field = p.field;
            }
        }
        results.push(result);
    }
    if !batch.is_empty() {
        let outcomes = engine.ingest_batch(batch, on_conflict)?;
        for (slot, outcome) in slots.into_iter().zip(outcomes) {
            let r = &mut results[slot];
            r.status = match outcome {
                PutOutcome::Added(_) => RecordStatus::Stored,
                PutOutcome::Unchanged(_) => RecordStatus::Unchanged,
                PutOutcome::Replaced(_) => RecordStatus::Replaced,
                PutOutcome::Conflict(_) => {
                    r.detail = Some(
                        "already stored with different content; kept the stored version \
                         (post with ?on_conflict=replace to update it)"
                            .into(),
                    );
                    RecordStatus::Conflict
                }
            };
        }
    }
    Ok(results)
}

/// Starts storing `records` as a job, chunk by chunk on a worker thread,
/// and answers 202 with the job and where to follow it.
fn start_job(state: &AppState, records: Vec<input::Record>, on_conflict: OnConflict) -> Response {
    let job = state.jobs.start(records.len());
    let (id, jobs, wake, engine) = (
        job.id,
        state.jobs.clone(),
        state.wake.clone(),
        state.engine.clone(),
    );
    tokio::task::spawn_blocking(move || {
        let mut results: Vec<RecordResult> = Vec::with_capacity(records.len());
        let mut rest = records.into_iter().peekable();
        while rest.peek().is_some() {
            let chunk: Vec<input::Record> = rest.by_ref().take(crate::jobs::CHUNK).collect();
            let stored = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                store_records(&engine, chunk, on_conflict)
            }))
            .unwrap_or_else(|_| Err(ApiError::Internal("storing a chunk panicked".into())));
            match stored {
                Ok(r) => {
                    let stored = r.iter().any(|x| x.status == RecordStatus::Stored);
                    results.extend(r);
                    jobs.progress(id, results.len(), IngestCounts::of(&results));
                    if stored {
                        wake.articles_stored();
                    }
                }
                Err(e) => {
                    tracing::error!(job = id, error = %e, "ingest job failed");
                    jobs.finish(id, Err(e.to_string()));
                    return;
                }
            }
        }
        jobs.finish(id, Ok(results));
    });
    let mut response = (StatusCode::ACCEPTED, Json(job)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/v1/jobs/{id}")) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// An ingest job: its progress, and every record's result once done.
#[utoipa::path(get, path = "/v1/jobs/{id}", tag = "articles",
    params(("id" = u32, Path, description = "The job id", minimum = 1, maximum = 2147483647)),
    responses(
        (status = 200, description = "The job", body = crate::jobs::JobStatus),
        (status = 400, description = "Not a job id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job (jobs are forgotten on restart)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_job(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Json<crate::jobs::JobStatus>, ApiError> {
    let id = numeric_path_id(id, "job")?;
    state.jobs.get(id).map(Json).ok_or_else(|| {
        ApiError::NoSuchThing(format!(
            "no job {id} (jobs are forgotten when the server restarts)"
        ))
    })
}

/// A stored article (the JSON of `unspun show --json`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StoredArticle {
    /// Its id.
    pub id: String,
    /// Publication date, `YYYY-MM-DD`, or null.
    pub date: Option<String>,
    /// Outlet, or null.
    pub source: Option<String>,
    /// Headline, or null.
    pub title: Option<String>,
    /// Where it was published, or null.
    pub url: Option<String>,
    /// Where its text was fetched from, when known and not `url` (the
    /// address asked for, a WARC record's target URI), or null.
    pub fetched_url: Option<String>,
    /// How its text was obtained (`text file`, `html: rs-trafilatura main
    /// content`, ...), or null for articles stored before unspun kept it.
    pub extraction: Option<String>,
    /// The body text.
    pub text: String,
    /// 1 when first stored, plus one per replacement.
    pub revision: u32,
}

/// A stored article.
#[utoipa::path(get, path = "/v1/articles/{id}", tag = "articles",
    params(("id" = String, Path, description = "The article id (percent-encode `/` as %2F)", pattern = r"^[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?$", min_length = 1, max_length = 512)),
    responses(
        (status = 200, description = "The article", body = StoredArticle),
        (status = 400, description = "The id is not a valid article id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No article with this id", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_article(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Json<StoredArticle>, ApiError> {
    let id = path_id(id)?;
    let stored = blocking(&state, move |engine| {
        let store = engine.store();
        let key = store
            .key_of(&id)
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::NotFound(id.to_string()))?;
        store
            .get(key)
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::NotFound(id.to_string()))
    })
    .await?;
    let a = stored.article;
    Ok(Json(StoredArticle {
        id: a.id.to_string(),
        date: a.date.map(|d| d.to_string()),
        source: a.source,
        title: a.title,
        url: a.url,
        fetched_url: a.fetched_url,
        extraction: a.extraction,
        text: a.text,
        revision: stored.revision,
    }))
}

/// The body of `POST /v1/traces`: a stored article's id, or a text.
#[derive(ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
// Documents the schema; read field by field in `post_trace`.
pub struct TraceRequest {
    /// With no `text`: the id of the stored article to trace. With `text`:
    /// the id the traced text goes by (default `(submitted)`); a stored
    /// article with this id is then not its own candidate.
    pub id: Option<IdInput>,
    /// The text to trace (not blank).
    #[schema(
        min_length = 1,
        pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub text: Option<String>,
    /// With `text`: its publication date (`YYYY-MM-DD` or RFC 3339).
    #[schema(pattern = r"^\s*(\d{4}-\d{2}-\d{2}.*)?$")]
    pub date: Option<String>,
    /// With `text`: its outlet.
    pub source: Option<String>,
    /// With `text`: its headline.
    pub title: Option<String>,
    /// With `text`: its URL.
    pub url: Option<String>,
}

/// `report` with the reviewers' decisions the store holds on its pairs.
fn reviewed(
    engine: &unspun_engine::Engine,
    mut report: TraceReport,
) -> Result<TraceReport, ApiError> {
    report
        .attach_reviews(engine.store().as_ref())
        .map_err(ApiError::from)?;
    Ok(report)
}

/// The trace JSON (`TraceReport`, the contract of `unspun trace --json`),
/// serialised once so that the bytes are the command line's.
fn trace_json(report: &TraceReport) -> Response {
    let body = serde_json::to_vec(report).expect("a trace report serialises");
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// Traces an article: a stored one by `id`, or a posted `text`. The answer
/// is the JSON of `unspun trace --json` for the same article and store.
#[utoipa::path(post, path = "/v1/traces", tag = "traces",
    request_body(content = TraceRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The trace: the JSON of `unspun trace --json` (see the README for its fields)", body = Object),
        (status = 400, description = "Invalid request", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No stored article with this id", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither `id` nor `text`, metadata without `text`, or a date that is no day", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn post_trace(State(state): State<AppState>, body: Body) -> Result<Response, ApiError> {
    let map = input::json_object(
        &body,
        "a trace request is one JSON object: send application/json",
    )?;
    input::only_fields(&map, &["id", "text", "date", "source", "title", "url"])?;
    let id = input::id_field(&map)?;
    let text = input::text_field(&map)?;
    let report = match (id, text) {
        (Some(id), None) => {
            if let Some(f) = ["date", "source", "title", "url"]
                .into_iter()
                .find(|f| map.get(*f).is_some_and(|v| !v.is_null()))
            {
                return Err(ApiError::unprocessable(
                    f,
                    "is only read with `text`: a stored article is traced with its stored metadata",
                ));
            }
            blocking(&state, move |engine| {
                reviewed(engine, TraceReport::from_trace(&engine.trace_id(&id)?))
            })
            .await?
        }
        (id, Some(text)) => {
            let id = match id {
                Some(id) => id,
                None => ArticleId::new(SUBMITTED_ID).expect("a valid id"),
            };
            let article = input::article_with(&map, id, text)?;
            blocking(&state, move |engine| {
                reviewed(engine, TraceReport::from_trace(&engine.trace(article)?))
            })
            .await?
        }
        (None, None) => {
            return Err(ApiError::unprocessable(
                "text",
                "give `text` to trace a text, or only `id` to trace a stored article",
            ))
        }
    };
    Ok(trace_json(&report))
}

/// How to render a trace.
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TraceFormat {
    /// The JSON of `unspun trace --json`.
    #[default]
    Json,
    /// A self-contained HTML page (`unspun trace --html`).
    Html,
    /// CSV, one row per match (`unspun_report::render_csv`).
    Csv,
}

/// Parameters of `GET /v1/articles/{id}/trace`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
// Documents the parameters; read by `param`.
pub struct TraceParams {
    /// `json` (default), `html` or `csv`.
    #[param(inline)]
    pub format: Option<TraceFormat>,
}

/// The trace of a stored article, as JSON, as a self-contained HTML page, or
/// as CSV with one row per match.
#[utoipa::path(get, path = "/v1/articles/{id}/trace", tag = "traces",
    params(("id" = String, Path, description = "The article id (percent-encode `/` as %2F)", pattern = r"^[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?$", min_length = 1, max_length = 512), TraceParams),
    responses(
        (status = 200, description = "The trace", content(
            (Object = "application/json"),
            (String = "text/html"),
            (String = "text/csv"))),
        (status = 400, description = "Invalid id or parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No article with this id", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_trace(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
    params: Params,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    let format: TraceFormat = param(&params, "format")?.unwrap_or_default();
    let (trace, report) = blocking(&state, move |engine| {
        let trace = engine.trace_id(&id)?;
        let report = reviewed(engine, TraceReport::from_trace(&trace))?;
        Ok((trace, report))
    })
    .await?;
    Ok(match format {
        TraceFormat::Json => trace_json(&report),
        TraceFormat::Html => {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            // The page is self-contained (inline style, no script): forbid
            // everything else, so that hostile article text stays inert
            // even if escaping ever failed.
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
            );
            (headers, render_html_reviewed(&trace, &report.reviews())).into_response()
        }
        TraceFormat::Csv => {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            // A download named after the article (its id made file-safe).
            let name: String = report
                .article
                .id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            if let Ok(v) =
                HeaderValue::from_str(&format!("attachment; filename=\"trace-{name}.csv\""))
            {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            (headers, render_csv(&report)).into_response()
        }
    })
}

/// Any path no route has.
pub async fn no_route(uri: axum::http::Uri) -> ApiError {
    ApiError::NoRoute(format!(
        "{}: see /openapi.json for the endpoints",
        uri.path()
    ))
}
