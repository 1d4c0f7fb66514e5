//! Review: a reviewer's verdict on a pair (`confirmed`, `dismissed`,
//! `licensed`) with its reason and history, and the outlets whose reuse is
//! licensed. Both are kept in the store (`unspun_store::review`), so a
//! restart keeps them, and every trace the API or `unspun trace --json`
//! reports carries them on its sources (`review`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{Map, Value};
use unspun_article::ArticleId;
use unspun_store::{LicensedOutlet, Verdict, VerdictKind};
use utoipa::ToSchema;

use crate::api::{blocking, WriteAccess};
use crate::input::{self, Body};
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// The longest reason accepted, in characters.
pub const MAX_REASON_CHARS: usize = 2000;

type PairPath = Result<Path<(String, String)>, axum::extract::rejection::PathRejection>;

/// The body of `POST /v1/pairs/{article}/{source}/verdict`.
#[derive(ToSchema, serde::Deserialize)]
#[serde(deny_unknown_fields)]
// Documents the schema; read field by field in `post_verdict`.
pub struct VerdictRequest {
    /// `confirmed`, `dismissed` or `licensed`.
    #[schema(value_type = String, pattern = "^(confirmed|dismissed|licensed)$")]
    pub verdict: String,
    /// Why: what the reviewer saw. 1 to 2000 characters, not blank.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub reason: String,
}

/// A recorded verdict.
#[derive(Clone, Serialize, ToSchema)]
pub struct VerdictRecord {
    /// Order of recording, across all pairs.
    pub seq: u64,
    /// The article.
    pub article: String,
    /// Its source.
    pub source: String,
    /// `confirmed`, `dismissed` or `licensed`.
    pub verdict: String,
    /// Why.
    pub reason: String,
    /// When (RFC 3339, UTC).
    pub at: String,
}

impl From<Verdict> for VerdictRecord {
    fn from(v: Verdict) -> VerdictRecord {
        VerdictRecord {
            seq: v.seq,
            article: v.article.to_string(),
            source: v.source.to_string(),
            verdict: v.verdict.as_str().to_string(),
            reason: v.reason,
            at: v.at,
        }
    }
}

/// A pair's verdicts.
#[derive(Serialize, ToSchema)]
pub struct VerdictHistory {
    /// The article.
    pub article: String,
    /// Its source.
    pub source: String,
    /// The verdict in force (the last recorded), or null.
    pub current: Option<VerdictRecord>,
    /// Every verdict, oldest first.
    pub history: Vec<VerdictRecord>,
}

/// A licensed outlet.
#[derive(Serialize, ToSchema)]
pub struct LicensedRecord {
    /// The outlet, as articles name it.
    pub outlet: String,
    /// Why (the licence).
    pub reason: String,
    /// When it was added (RFC 3339, UTC).
    pub at: String,
}

impl From<LicensedOutlet> for LicensedRecord {
    fn from(l: LicensedOutlet) -> LicensedRecord {
        LicensedRecord {
            outlet: l.outlet,
            reason: l.reason,
            at: l.at,
        }
    }
}

/// The licensed outlets.
#[derive(Serialize, ToSchema)]
pub struct LicensedList {
    /// By name.
    pub outlets: Vec<LicensedRecord>,
}

/// The body of `PUT /v1/licensed/{outlet}`.
#[derive(ToSchema, serde::Deserialize)]
#[serde(deny_unknown_fields)]
// Documents the schema; read field by field in `put_licensed`.
pub struct LicenceRequest {
    /// Why the outlet's reuse is licensed. 1 to 2000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// The two ids of a pair path, validated.
fn pair_ids(path: PairPath) -> Result<(ArticleId, ArticleId), ApiError> {
    let Path((article, source)) = path.map_err(|r| ApiError::field("path", r.body_text()))?;
    let article = ArticleId::new(article).map_err(|e| ApiError::field("article", e.to_string()))?;
    let source = ArticleId::new(source).map_err(|e| ApiError::field("source", e.to_string()))?;
    if article == source {
        return Err(ApiError::unprocessable("source", "is the article itself"));
    }
    Ok((article, source))
}

/// The `reason` field: present, not blank, at most [`MAX_REASON_CHARS`].
fn reason(map: &Map<String, Value>) -> Result<String, ApiError> {
    let reason = input::string_field(map, "reason")?
        .ok_or_else(|| ApiError::field("reason", "is required: say why"))?;
    let n = reason.chars().count();
    if n > MAX_REASON_CHARS {
        return Err(ApiError::field(
            "reason",
            format!("is {n} characters; the limit is {MAX_REASON_CHARS}"),
        ));
    }
    Ok(reason.trim().to_string())
}

/// Records a verdict on a pair: the article and its source, both stored.
#[utoipa::path(post, path = "/v1/pairs/{article}/{source}/verdict", tag = "review",
    params(
        ("article" = String, Path, description = "The article's id (percent-encode `/` as %2F)", pattern = r"^[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?$", min_length = 1, max_length = 512),
        ("source" = String, Path, description = "Its source's id", pattern = r"^[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?$", min_length = 1, max_length = 512),
    ),
    request_body(content = VerdictRequest, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The verdict, recorded", body = VerdictRecord),
        (status = 400, description = "Invalid verdict, reason or id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token, or the wrong one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Writes are disabled (no token configured)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Either article is not stored", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The article and the source are one article", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn post_verdict(
    State(state): State<AppState>,
    _write: WriteAccess,
    path: PairPath,
    body: Body,
) -> Result<Response, ApiError> {
    let (article, source) = pair_ids(path)?;
    let map = input::json_object(&body, "send one JSON object as application/json")?;
    input::only_fields(&map, &["verdict", "reason"])?;
    let verdict: VerdictKind = input::string_field(&map, "verdict")?
        .ok_or_else(|| ApiError::field("verdict", "is required: confirmed, dismissed or licensed"))?
        .parse()
        .map_err(|e: String| ApiError::field("verdict", e))?;
    let reason = reason(&map)?;
    let recorded = blocking(&state, move |engine| {
        let store = engine.store();
        for id in [&article, &source] {
            let stored = store.key_of(id).map_err(ApiError::from)?;
            if stored.is_none() {
                return Err(ApiError::NotFound(id.to_string()));
            }
        }
        store
            .add_verdict(&article, &source, verdict, &reason)
            .map_err(ApiError::from)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(VerdictRecord::from(recorded))).into_response())
}

/// A pair's verdicts: the one in force and the whole history.
#[utoipa::path(get, path = "/v1/pairs/{article}/{source}/verdicts", tag = "review",
    params(
        ("article" = String, Path, description = "The article's id", pattern = r"^[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?$", min_length = 1, max_length = 512),
        ("source" = String, Path, description = "Its source's id", pattern = r"^[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?$", min_length = 1, max_length = 512),
    ),
    responses(
        (status = 200, description = "The pair's verdicts (none yet: an empty history)", body = VerdictHistory),
        (status = 400, description = "Invalid id", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The article and the source are one article", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_verdicts(
    State(state): State<AppState>,
    path: PairPath,
) -> Result<Json<VerdictHistory>, ApiError> {
    let (article, source) = pair_ids(path)?;
    let (a, s) = (article.to_string(), source.to_string());
    let history = blocking(&state, move |engine| {
        engine
            .store()
            .verdicts(&article, &source)
            .map_err(ApiError::from)
    })
    .await?;
    let history: Vec<VerdictRecord> = history.into_iter().map(VerdictRecord::from).collect();
    let current = history.last().cloned();
    Ok(Json(VerdictHistory {
        article: a,
        source: s,
        current,
        history,
    }))
}

/// The licensed outlets: their reuse is marked `licensed_outlet` in traces.
#[utoipa::path(get, path = "/v1/licensed", tag = "review",
    responses((status = 200, description = "The licensed outlets", body = LicensedList)))]
pub async fn get_licensed(State(state): State<AppState>) -> Result<Json<LicensedList>, ApiError> {
    let outlets = blocking(&state, |engine| {
        engine.store().licensed_outlets().map_err(ApiError::from)
    })
    .await?;
    Ok(Json(LicensedList {
        outlets: outlets.into_iter().map(LicensedRecord::from).collect(),
    }))
}

/// Licenses an outlet (or changes its reason).
#[utoipa::path(put, path = "/v1/licensed/{outlet}", tag = "review",
    params(("outlet" = String, Path, description = "The outlet, as articles name it (`Reuters`)", pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]", max_length = 200)),
    request_body(content = LicenceRequest, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The outlet is licensed", body = LicensedList),
        (status = 400, description = "Invalid reason or outlet", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token, or the wrong one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Writes are disabled (no token configured)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_licensed(
    State(state): State<AppState>,
    _write: WriteAccess,
    outlet: Result<Path<String>, axum::extract::rejection::PathRejection>,
    body: Body,
) -> Result<Json<LicensedList>, ApiError> {
    let outlet = outlet_name(outlet)?;
    let map = input::json_object(&body, "send one JSON object as application/json")?;
    input::only_fields(&map, &["reason"])?;
    let reason = reason(&map)?;
    let outlets = blocking(&state, move |engine| {
        let store = engine.store();
        store
            .set_licensed(&outlet, Some(&reason))
            .and_then(|_| store.licensed_outlets())
            .map_err(ApiError::from)
    })
    .await?;
    Ok(Json(LicensedList {
        outlets: outlets.into_iter().map(LicensedRecord::from).collect(),
    }))
}

/// Takes an outlet off the licensed list.
#[utoipa::path(delete, path = "/v1/licensed/{outlet}", tag = "review",
    params(("outlet" = String, Path, description = "The outlet", pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]", max_length = 200)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No bearer token, or the wrong one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Writes are disabled (no token configured)", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Invalid outlet", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The outlet was not licensed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_licensed(
    State(state): State<AppState>,
    _write: WriteAccess,
    outlet: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<StatusCode, ApiError> {
    let outlet = outlet_name(outlet)?;
    let name = outlet.clone();
    let existed = blocking(&state, move |engine| {
        engine
            .store()
            .set_licensed(&outlet, None)
            .map_err(ApiError::from)
    })
    .await?;
    if existed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NoSuchThing(format!("{name:?} is not licensed")))
    }
}

/// The outlet of the path: not blank, at most 200 characters.
fn outlet_name(
    outlet: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<String, ApiError> {
    let Path(outlet) = outlet.map_err(|r| ApiError::field("outlet", r.body_text()))?;
    let trimmed = outlet.trim();
    if trimmed.is_empty() || outlet.chars().count() > 200 {
        return Err(ApiError::field(
            "outlet",
            "must be 1 to 200 characters, not all white space",
        ));
    }
    Ok(trimmed.to_string())
}
