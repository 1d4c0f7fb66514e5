//! `GET /v1/articles`: the stored articles, a page at a time, by outlet
//! and date.
//!
//! Pages run in the order articles were first stored (the store's keys), so
//! a cursor stays valid while articles arrive: new ones come after every
//! page already read. The cursor is opaque to clients; here it is the last
//! key of the page.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use unspun_store::{ArticleKey, ListFilter};
use utoipa::{IntoParams, ToSchema};

use crate::api::{blocking, Params};
use crate::problem::{ApiError, Problem};
use crate::query;
use crate::AppState;

/// Articles per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 100;
/// The most articles one page may ask for.
pub const MAX_LIMIT: usize = 1000;

/// The query parameters `GET /v1/articles` reads; any other is refused.
const PARAMETERS: [&str; 5] = ["outlet", "since", "until", "limit", "cursor"];

/// Parameters of `GET /v1/articles`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
// Documents the parameters; read by `list_articles`.
pub struct ListParams {
    /// Only this outlet, exactly as stored (`Reuters`).
    #[param(
        pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub outlet: Option<String>,
    /// Only articles dated on or after this day (`YYYY-MM-DD`); undated
    /// articles are left out.
    #[param(format = Date)]
    pub since: Option<String>,
    /// Only articles dated on or before this day (`YYYY-MM-DD`).
    #[param(format = Date)]
    pub until: Option<String>,
    /// Articles per page, 1 to 1000 (default 100). Out of range is an
    /// error, not clamped.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the page before.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

/// One stored article in a list: what identifies and describes it (its
/// text is at `GET /v1/articles/{id}`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ArticleSummary {
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
    /// 1 when first stored, plus one per replacement.
    pub revision: u32,
}

/// A page of stored articles.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ArticlePage {
    /// The articles, in the order they were first stored.
    pub articles: Vec<ArticleSummary>,
    /// Give as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The stored articles, by outlet and date, a page at a time.
#[utoipa::path(get, path = "/v1/articles", tag = "articles",
    params(ListParams),
    responses(
        (status = 200, description = "A page of articles", body = ArticlePage),
        (status = 400, description = "A parameter is invalid, out of range or unknown", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`since` is after `until`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_articles(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<ArticlePage>, ApiError> {
    let Query(map) = params.map_err(|r| ApiError::field("query", r.body_text()))?;
    let (filter, after, limit) = read_params(&map)?;
    let mut rows = blocking(&state, move |engine| {
        engine
            .store()
            .list(&filter, after, limit + 1)
            .map_err(ApiError::from)
    })
    .await?;
    // One more than asked for tells whether a next page exists.
    let next_cursor = (rows.len() > limit).then(|| {
        rows.truncate(limit);
        rows.last().map(|a| a.key.0.to_string())
    });
    Ok(Json(ArticlePage {
        articles: rows
            .into_iter()
            .map(|a| ArticleSummary {
                id: a.id.to_string(),
                date: a.date.map(|d| d.to_string()),
                source: a.source,
                title: a.title,
                url: a.url,
                revision: a.revision,
            })
            .collect(),
        next_cursor: next_cursor.flatten(),
    }))
}

/// The filter, the key to start after, and the page size the query asks
/// for; a refusal naming the first parameter that fails.
fn read_params(
    map: &HashMap<String, String>,
) -> Result<(ListFilter, Option<ArticleKey>, usize), ApiError> {
    query::only_known(map, &PARAMETERS)?;
    let (since, until) = (query::date(map, "since")?, query::date(map, "until")?);
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            return Err(ApiError::unprocessable(
                "since",
                format!("{s} is after until ({u})"),
            ));
        }
    }
    let outlet = match map.get("outlet") {
        Some(o) if o.trim().is_empty() => {
            return Err(ApiError::field(
                "outlet",
                "is empty; leave it out for every outlet",
            ))
        }
        o => o.cloned(),
    };
    let limit = query::limit(map, DEFAULT_LIMIT, MAX_LIMIT)?;
    let after = map
        .get("cursor")
        .map(|c| query::key_cursor(c).map(ArticleKey))
        .transpose()?;
    Ok((
        ListFilter {
            source: outlet,
            since,
            until,
        },
        after,
        limit,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn refused(pairs: &[(&str, &str)]) -> String {
        match read_params(&params(pairs)) {
            Err(e) => e.to_string(),
            Ok(ok) => panic!("accepted {pairs:?}: {ok:?}"),
        }
    }

    #[test]
    fn out_of_range_and_unknown_parameters_are_refused_not_clamped() {
        assert!(refused(&[("limit", "0")]).starts_with("limit:"));
        assert!(refused(&[("limit", "1001")]).starts_with("limit:"));
        assert!(refused(&[("limit", "ten")]).starts_with("limit:"));
        assert!(refused(&[("since", "2025-02-30")]).starts_with("since:"));
        assert!(refused(&[("since", "2025-04-27"), ("until", "2025-04-26")]).starts_with("since:"));
        assert!(refused(&[("cursor", "abc")]).starts_with("cursor:"));
        assert!(refused(&[("outlet", " ")]).starts_with("outlet:"));
        assert!(refused(&[("page", "2")]).starts_with("page: unknown parameter"));
    }

    #[test]
    fn defaults_and_bounds() {
        let (filter, after, limit) = read_params(&params(&[])).unwrap();
        assert_eq!(
            (filter, after, limit),
            (ListFilter::default(), None, DEFAULT_LIMIT)
        );
        let (filter, after, limit) = read_params(&params(&[
            ("outlet", "Reuters"),
            ("since", "2025-04-26"),
            ("until", "2025-04-26"),
            ("limit", "1000"),
            ("cursor", "7"),
        ]))
        .unwrap();
        assert_eq!(filter.source.as_deref(), Some("Reuters"));
        assert_eq!(filter.since, filter.until);
        assert_eq!((after, limit), (Some(ArticleKey(7)), 1000));
    }
}
