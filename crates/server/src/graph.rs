//! The derivation graph over the API: `GET /v1/pairs` (its edges, filtered,
//! a page at a time or streamed as NDJSON), `GET /v1/stories/{id}` (one
//! story's graph) and `GET /v1/outlets` (the per-outlet table).
//!
//! These serve the graph `unspun graph` last built and saved in the store
//! (`graph/state.json`); building it traces every article, which is batch
//! work, not a request's. The server reloads the graph when that file
//! changes, and says how many articles it covers next to how many the store
//! holds, so a stale graph shows.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::json;
use unspun_article::ArticleId;
use unspun_engine::Engine;
use unspun_graph::summary::{outlet_summary, OutletSummary};
use unspun_graph::{DerivationGraph, Edge, EdgeRelation, GraphState};
use utoipa::{IntoParams, ToSchema};

use crate::api::{blocking, path_id, Params};
use crate::problem::{ApiError, Problem};
use crate::query;
use crate::AppState;

/// Edges per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 100;
/// The most edges one page may ask for.
pub const MAX_LIMIT: usize = 1000;

/// The graph last loaded, and the modification time of the state file it
/// was loaded from.
pub struct GraphCache {
    path: Option<PathBuf>,
    loaded: Mutex<Option<(SystemTime, Arc<DerivationGraph>)>>,
}

impl GraphCache {
    /// A cache of the graph saved at `path` (`None`: the server has no
    /// store directory, so no graph).
    pub fn new(path: Option<PathBuf>) -> GraphCache {
        GraphCache {
            path,
            loaded: Mutex::new(None),
        }
    }

    /// The graph as last saved, loaded again if the file changed.
    pub(crate) fn current(&self, engine: &Engine) -> Result<Arc<DerivationGraph>, ApiError> {
        let Some(path) = &self.path else {
            return Err(ApiError::NoGraph(
                "this server was started without a store directory to read a graph from".into(),
            ));
        };
        let modified = match std::fs::metadata(path).and_then(|m| m.modified()) {
            Ok(t) => t,
            Err(_) => {
                return Err(ApiError::NoGraph(format!(
                    "no derivation graph has been built for this store yet ({} is missing): \
                     run `unspun graph` on it",
                    path.display()
                )))
            }
        };
        let mut loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((at, graph)) = loaded.as_ref() {
            if *at == modified {
                return Ok(graph.clone());
            }
        }
        let mut state = GraphState::load(path).map_err(|e| ApiError::Internal(format!("{e}")))?;
        let graph = Arc::new(
            state
                .graph(engine)
                .map_err(|e| ApiError::Internal(format!("{e}")))?,
        );
        *loaded = Some((modified, graph.clone()));
        Ok(graph)
    }
}

/// How many articles the store holds, for the staleness note.
fn stored_articles(engine: &Engine) -> Result<u64, ApiError> {
    engine
        .store()
        .stats()
        .map(|s| s.articles)
        .map_err(ApiError::from)
}

/// The per-outlet table.
#[derive(Serialize, ToSchema)]
pub struct OutletsResponse {
    /// Articles the graph covers.
    pub graph_articles: usize,
    /// Articles the store holds now (more than `graph_articles`: the graph
    /// is older than the last ingest; run `unspun graph`).
    pub store_articles: u64,
    /// `derived_from` edges.
    pub edges: usize,
    /// One line per outlet, by derived articles then name: articles,
    /// derived, copies, rewrites, partial, mean_coverage, from (source
    /// outlets with counts), from_other_outlets, credit_missing,
    /// quotes_altered, republished_by_others.
    #[schema(value_type = Vec<Object>)]
    pub outlets: Vec<OutletSummary>,
}

/// Per outlet: how many of its articles derive from others, from whom, how
/// heavily rewritten, how often without credit, and how often others
/// republish it.
#[utoipa::path(get, path = "/v1/outlets", tag = "graph",
    params(("format" = Option<String>, Query, description = "`json` (default) or `csv`", pattern = "^(json|csv)$")),
    responses(
        (status = 200, description = "The per-outlet table of the derivation graph: JSON, or CSV with `format=csv`", content(
            (OutletsResponse = "application/json"),
            (String = "text/csv"))),
        (status = 400, description = "An unknown parameter or format", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No graph has been built for this store yet", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_outlets(
    State(state): State<AppState>,
    params: Params,
) -> Result<Response, ApiError> {
    let axum::extract::Query(map) = params
        .as_ref()
        .map_err(|r| ApiError::field("query", r.body_text()))?;
    query::only_known(map, &["format"])?;
    let csv = crate::export::wants_csv(map)?;
    let cache = state.graph.clone();
    let response = blocking(&state, move |engine| {
        let graph = cache.current(engine)?;
        Ok(OutletsResponse {
            graph_articles: graph.nodes.len(),
            store_articles: stored_articles(engine)?,
            edges: graph.edges.len(),
            outlets: outlet_summary(&graph),
        })
    })
    .await?;
    if csv {
        let rows = response
            .outlets
            .iter()
            .map(|o| {
                vec![
                    o.outlet.clone(),
                    o.articles.to_string(),
                    o.derived.to_string(),
                    o.copies.to_string(),
                    o.rewrites.to_string(),
                    o.partial.to_string(),
                    format!("{:.3}", o.mean_coverage),
                    o.from
                        .iter()
                        .map(|(f, n)| format!("{f} ({n})"))
                        .collect::<Vec<_>>()
                        .join("; "),
                    o.from_other_outlets.to_string(),
                    o.credit_missing.to_string(),
                    o.quotes_altered.to_string(),
                    o.republished_by_others.to_string(),
                ]
            })
            .collect();
        return Ok(crate::export::csv_response(
            "outlets",
            &[
                "outlet",
                "articles",
                "derived",
                "copies",
                "rewrites",
                "partial",
                "mean_coverage",
                "derives_from",
                "from_other_outlets",
                "credit_missing",
                "quotes_altered",
                "republished_by_others",
            ],
            rows,
        ));
    }
    Ok(Json(response).into_response())
}

/// One story: the articles linked to an article by derivation, their
/// edges, the independent reports of the same story, and its cluster.
#[utoipa::path(get, path = "/v1/stories/{id}", tag = "graph",
    params(("format" = Option<String>, Query, description = "`json` (default) or `csv`", pattern = "^(json|csv)$"), ("id" = String, Path, description = "Any article of the story", pattern = r"^[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?$", min_length = 1, max_length = 512)),
    responses(
        (status = 200, description = "The story's graph: `articles`, `edges` (as in `GET /v1/pairs`), `related` pairs, `clusters`; or its edges as CSV with `format=csv`", content(
            (Object = "application/json"),
            (String = "text/csv"))),
        (status = 400, description = "Invalid id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The article is not in the graph", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No graph has been built for this store yet", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_story(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
    params: Params,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    let axum::extract::Query(map) = params
        .as_ref()
        .map_err(|r| ApiError::field("query", r.body_text()))?;
    query::only_known(map, &["format"])?;
    let csv = crate::export::wants_csv(map)?;
    let cache = state.graph.clone();
    let story = blocking(&state, move |engine| {
        let graph = cache.current(engine)?;
        if !graph.nodes.contains_key(&id) {
            return Err(ApiError::NotFound(id.to_string()));
        }
        let story = graph.story_of(&id);
        if csv {
            return Ok(pairs_csv("story", &story, story.edges.iter()));
        }
        Ok(Json(json!({
            "story_of": id,
            "articles": story.nodes.values().collect::<Vec<_>>(),
            "edges": story.edges,
            "related": story.related.iter()
                .map(|(a, b, s)| json!({"a": a, "b": b, "score": s}))
                .collect::<Vec<_>>(),
            "clusters": story.clusters,
        }))
        .into_response())
    })
    .await?;
    Ok(story)
}

/// The columns of a pairs CSV.
const PAIR_CSV_HEADER: [&str; 15] = [
    "derived",
    "derived_outlet",
    "derived_date",
    "source",
    "source_outlet",
    "source_date",
    "relation",
    "coverage",
    "source_coverage",
    "confidence",
    "direction_certain",
    "credited",
    "changes",
    "major_changes",
    "quotes_altered",
];

/// `edges` of `graph` as a CSV download named `name.csv`, one row each.
fn pairs_csv<'a>(
    name: &str,
    graph: &DerivationGraph,
    edges: impl Iterator<Item = &'a Edge>,
) -> Response {
    let node = |id: &ArticleId| graph.nodes.get(id);
    let rows = edges
        .map(|e| {
            let outlet = |id| node(id).and_then(|n| n.source.clone()).unwrap_or_default();
            let date = |id| {
                node(id)
                    .and_then(|n| n.date)
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            };
            let counts = e.changes.as_ref();
            vec![
                e.derived.to_string(),
                outlet(&e.derived),
                date(&e.derived),
                e.source.to_string(),
                outlet(&e.source),
                date(&e.source),
                e.relation.as_str().to_string(),
                format!("{:.3}", e.coverage),
                format!("{:.3}", e.source_coverage),
                format!("{:.3}", e.confidence),
                e.direction_certain.to_string(),
                e.credited.to_string(),
                counts.map_or(0, |c| c.changes).to_string(),
                counts.map_or(0, |c| c.major).to_string(),
                counts.map_or(0, |c| c.quotes_altered).to_string(),
            ]
        })
        .collect();
    crate::export::csv_response(name, &PAIR_CSV_HEADER, rows)
}

/// Parameters of `GET /v1/pairs`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
// Documents the parameters; read by `read_pair_params`.
pub struct PairParams {
    /// Only this relation: `copy`, `rewrite` or `partial`.
    #[param(pattern = "^(copy|rewrite|partial)$")]
    pub relation: Option<String>,
    /// Only pairs whose derived article is of this outlet.
    #[param(
        pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub outlet: Option<String>,
    /// Only pairs whose source is of this outlet.
    #[param(
        pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub source_outlet: Option<String>,
    /// `true`: only pairs where the derived article does not credit the
    /// source's outlet.
    pub uncredited: Option<bool>,
    /// Only pairs with a change of this type (`number_changed`, ...).
    #[param(
        pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub change_type: Option<String>,
    /// Only pairs whose derived article is dated on or after this day.
    #[param(format = Date)]
    pub since: Option<String>,
    /// Edges per page, 1 to 1000 (default 100); not for NDJSON, which
    /// streams every match.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the page before.
    #[param(pattern = "^([0-9a-fA-F]{2})+$")]
    pub cursor: Option<String>,
    /// `json` (default) or `csv`: every matching pair (from `cursor`), one
    /// row each, as a download.
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// What `GET /v1/pairs` asks for.
struct PairQuery {
    relation: Option<EdgeRelation>,
    outlet: Option<String>,
    source_outlet: Option<String>,
    uncredited: bool,
    change_type: Option<String>,
    since: Option<chrono::NaiveDate>,
    limit: usize,
    after: Option<(ArticleId, ArticleId)>,
    csv: bool,
}

const PAIR_PARAMETERS: [&str; 9] = [
    "format",
    "relation",
    "outlet",
    "source_outlet",
    "uncredited",
    "change_type",
    "since",
    "limit",
    "cursor",
];

fn read_pair_params(params: &Params) -> Result<PairQuery, ApiError> {
    let axum::extract::Query(map) = params
        .as_ref()
        .map_err(|r| ApiError::field("query", r.body_text()))?;
    query::only_known(map, &PAIR_PARAMETERS)?;
    let text = |name: &str| -> Result<Option<String>, ApiError> {
        match map.get(name) {
            Some(v) if v.trim().is_empty() => Err(ApiError::field(name, "is empty")),
            v => Ok(v.cloned()),
        }
    };
    let relation = match map.get("relation").map(String::as_str) {
        None => None,
        Some("copy") => Some(EdgeRelation::Copy),
        Some("rewrite") => Some(EdgeRelation::Rewrite),
        Some("partial") => Some(EdgeRelation::Partial),
        Some(other) => {
            return Err(ApiError::field(
                "relation",
                format!("{other:?} is not an edge relation: copy, rewrite or partial"),
            ))
        }
    };
    let uncredited = query::flag(map, "uncredited")?;
    let since = query::date(map, "since")?;
    let limit = query::limit(map, DEFAULT_LIMIT, MAX_LIMIT)?;
    let after = map.get("cursor").map(|c| decode_cursor(c)).transpose()?;
    let csv = crate::export::wants_csv(map)?;
    Ok(PairQuery {
        csv,
        relation,
        outlet: text("outlet")?,
        source_outlet: text("source_outlet")?,
        uncredited,
        change_type: text("change_type")?,
        since,
        limit,
        after,
    })
}

/// A cursor: the last edge of a page, `derived` and `source` ids, hex
/// encoded (ids may hold any character but control ones).
fn encode_cursor(e: &Edge) -> String {
    format!("{}\n{}", e.derived, e.source)
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode_cursor(c: &str) -> Result<(ArticleId, ArticleId), ApiError> {
    if c.is_empty() || !c.len().is_multiple_of(2) || !c.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::field(
            "cursor",
            "is not a cursor this server gave",
        ));
    }
    // Shaped like one, but not one this server gave.
    let bad = || ApiError::unprocessable("cursor", "is not a cursor this server gave");
    let bytes: Vec<u8> = (0..c.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&c[i..i + 2], 16))
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let s = String::from_utf8(bytes).map_err(|_| bad())?;
    let (d, s) = s.split_once('\n').ok_or_else(bad)?;
    Ok((
        ArticleId::new(d).map_err(|_| bad())?,
        ArticleId::new(s).map_err(|_| bad())?,
    ))
}

/// Whether `e` passes the query's filters.
fn matches(graph: &DerivationGraph, q: &PairQuery, e: &Edge) -> bool {
    let node = |id: &ArticleId| graph.nodes.get(id);
    let outlet = |id: &ArticleId| node(id).and_then(|n| n.source.as_deref());
    q.relation.is_none_or(|r| e.relation == r)
        && q.outlet
            .as_deref()
            .is_none_or(|o| outlet(&e.derived) == Some(o))
        && q.source_outlet
            .as_deref()
            .is_none_or(|o| outlet(&e.source) == Some(o))
        && (!q.uncredited || !e.credited)
        && q.change_type.as_deref().is_none_or(|t| {
            e.changes
                .as_ref()
                .is_some_and(|c| c.by_type.get(t).is_some_and(|n| *n > 0))
        })
        && q.since.is_none_or(|s| {
            node(&e.derived)
                .and_then(|n| n.date)
                .is_some_and(|d| d >= s)
        })
}

/// A page of pairs.
#[derive(Serialize, ToSchema)]
pub struct PairPage {
    /// The edges, ordered by derived then source id: `derived`, `source`,
    /// `relation`, `coverage`, `source_coverage`, `confidence`,
    /// `direction_certain` and `direction_evidence`, `parent_certain`,
    /// `primary`, `credited`, `changes` (`quotes_altered`, `changes`,
    /// `major`, `by_type`), `evidence` (the aligned sentence groups),
    /// `attributed`, `via`, `notes`, and `beyond_common` on an edge between
    /// two rewrites of a common source.
    #[schema(value_type = Vec<Object>)]
    pub pairs: Vec<Edge>,
    /// Give as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// Articles the graph covers.
    pub graph_articles: usize,
    /// Articles the store holds now.
    pub store_articles: u64,
}

/// The graph's `derived_from` pairs, filtered; JSON pages, or every match
/// as NDJSON (`Accept: application/x-ndjson`).
#[utoipa::path(get, path = "/v1/pairs", tag = "graph",
    params(PairParams),
    responses(
        (status = 200, description = "A page of pairs (JSON), every matching pair one per line (NDJSON), or every matching pair as CSV (`format=csv`)", content(
            (PairPage = "application/json"),
            (String = "application/x-ndjson"),
            (String = "text/csv"))),
        (status = 400, description = "A parameter is invalid, out of range or unknown", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No graph has been built for this store yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A cursor this server did not give", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_pairs(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Params,
) -> Result<Response, ApiError> {
    let query = read_pair_params(&params)?;
    let ndjson = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/x-ndjson"));
    let cache = state.graph.clone();
    let (graph, store_articles) = blocking(&state, move |engine| {
        Ok((cache.current(engine)?, stored_articles(engine)?))
    })
    .await?;
    // Edges are sorted by derived then source id.
    let start = match &query.after {
        None => 0,
        Some((d, s)) => graph
            .edges
            .partition_point(|e| (&e.derived, &e.source) <= (d, s)),
    };
    if query.csv {
        let edges = graph.edges[start..]
            .iter()
            .filter(|e| matches(&graph, &query, e));
        return Ok(pairs_csv("pairs", &graph, edges));
    }
    if ndjson {
        // Streamed edge by edge as the client reads: the answer is never
        // held whole, however many pairs match.
        let edges = (start..graph.edges.len()).filter_map(move |i| {
            let e = &graph.edges[i];
            matches(&graph, &query, e).then(|| {
                let mut line = serde_json::to_vec(e).expect("an edge serialises");
                line.push(b'\n');
                Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(line))
            })
        });
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-ndjson"),
        );
        let body = axum::body::Body::from_stream(futures_util::stream::iter(edges));
        return Ok((headers, body).into_response());
    }
    let matching = graph.edges[start..]
        .iter()
        .filter(|e| matches(&graph, &query, e));
    let mut page: Vec<Edge> = matching.take(query.limit + 1).cloned().collect();
    let next_cursor = (page.len() > query.limit).then(|| {
        page.truncate(query.limit);
        encode_cursor(page.last().expect("a full page"))
    });
    Ok(Json(PairPage {
        pairs: page,
        next_cursor,
        graph_articles: graph.nodes.len(),
        store_articles,
    })
    .into_response())
}
