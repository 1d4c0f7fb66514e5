//! The matcher: traces each article stored since it last ran and records
//! the pairs the live watches match.
//!
//! It follows the store's article keys (new articles get larger keys), so
//! it sees every article whether the API, `unspun ingest` or another
//! process stored it. Its progress is kept in the store in the same
//! transaction as the matches it found, so a crash neither loses an alert
//! nor records one twice. On a store it has never run on, it starts after
//! the articles already there: a watch is about new reuse. An article
//! replaced under its id keeps its key and is not judged again.

use std::collections::HashSet;

use serde_json::{json, Value};
use unspun_engine::Engine;
use unspun_report::{SourceInfo, TraceReport};
use unspun_store::{ArticleKey, ListFilter, NewMatch, Store, StoreError, Watch, WatchMatch};

use super::rules::WatchSpec;

/// Articles judged per transaction.
const PAGE: usize = 64;

/// A live watch with its rules read.
struct LiveWatch {
    id: u64,
    spec: WatchSpec,
    webhook: bool,
}

/// Why a matcher pass stopped.
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored watch's rules no longer read (stored by another build).
    #[error("watch {id}: its stored rules do not read: {reason}")]
    BadWatch {
        /// The watch.
        id: u64,
        /// Why.
        reason: String,
    },
}

fn live_watches(store: &dyn Store) -> Result<Vec<LiveWatch>, MatchError> {
    store
        .watches()?
        .into_iter()
        .map(|w: Watch| {
            let spec: WatchSpec =
                serde_json::from_str(&w.spec).map_err(|e| MatchError::BadWatch {
                    id: w.id,
                    reason: e.to_string(),
                })?;
            Ok(LiveWatch {
                id: w.id,
                webhook: spec.webhook.is_some() && w.secret.is_some(),
                spec,
            })
        })
        .collect()
}

/// The last article key stored, paging from `after`.
fn last_key(store: &dyn Store, mut after: Option<ArticleKey>) -> Result<Option<u64>, StoreError> {
    loop {
        let page = store.list(&ListFilter::default(), after, 1000)?;
        match page.last() {
            Some(a) => after = Some(a.key),
            None => return Ok(after.map(|k| k.0)),
        }
    }
}

/// The JSON an alert carries (the match's payload and the webhook body's
/// `data`).
pub fn alert_data(watch: u64, report: &TraceReport, source: &SourceInfo) -> Value {
    let changes: Vec<Value> = source
        .changes
        .iter()
        .chain(source.alignments.iter().flat_map(|a| a.changes.iter()))
        .map(|c| json!({"type": c.kind.as_str(), "severity": c.severity.as_str(), "detail": c.detail}))
        .collect();
    let credited = !source
        .changes
        .iter()
        .any(|c| c.kind == unspun_changes::ChangeType::AttributionMissing);
    json!({
        "watch": watch,
        "article": {
            "id": report.article.id,
            "date": report.article.date,
            "source": report.article.source,
            "title": report.article.title,
            "url": report.article.provenance.url,
        },
        "source": {
            "id": source.id,
            "date": source.date,
            "source": source.source,
        },
        "relation": source.relation.as_str(),
        "coverage": source.coverage,
        "credited": credited,
        "changes": changes,
        "trace": format!("/v1/articles/{}/trace", crate::api::url_component(&report.article.id)),
    })
}

/// One pass: judges every article stored since the last pass, up to
/// `max_articles`, and returns the matches recorded. An article that fails
/// to trace is logged and passed over: one bad article does not stop the
/// watches.
pub fn match_new(engine: &Engine, max_articles: usize) -> Result<Vec<WatchMatch>, MatchError> {
    let store = engine.store().as_ref();
    let Some(through) = store.matched_through()? else {
        // First run on this store: start after what is there (keys start
        // at 1, so 0 is before any article).
        let start = last_key(store, None)?.unwrap_or(0);
        store.record_matches(&[], Some(start))?;
        return Ok(Vec::new());
    };
    let mut after = ArticleKey(through);
    let mut recorded = Vec::new();
    let mut judged = 0;
    while judged < max_articles {
        let page = store.list(&ListFilter::default(), Some(after), PAGE)?;
        let Some(last) = page.last() else { break };
        let last = last.key;
        judged += page.len();
        let watches = live_watches(store)?;
        let mut found = Vec::new();
        if !watches.is_empty() {
            let licensed: HashSet<String> = store
                .licensed_outlets()?
                .into_iter()
                .map(|l| l.outlet)
                .collect();
            for listed in &page {
                let report = match engine.trace_id(&listed.id) {
                    Ok(t) => TraceReport::from_trace(&t),
                    Err(e) => {
                        tracing::warn!(article = %listed.id, error = %e, "watch matcher: the article does not trace; passed over");
                        continue;
                    }
                };
                for source in &report.sources {
                    let verdict = match unspun_article::ArticleId::new(source.id.clone()) {
                        Ok(sid) => store.verdicts(&listed.id, &sid)?.last().map(|v| v.verdict),
                        Err(_) => None,
                    };
                    for w in &watches {
                        if w.spec.matches(&report, source, &licensed, verdict) {
                            let Ok(sid) = unspun_article::ArticleId::new(source.id.clone()) else {
                                continue;
                            };
                            let data = alert_data(w.id, &report, source);
                            found.push(NewMatch {
                                watch: w.id,
                                article: listed.id.clone(),
                                source: sid,
                                payload: data.to_string(),
                                webhook: w.webhook,
                            });
                        }
                    }
                }
            }
        }
        recorded.extend(store.record_matches(&found, Some(last.0))?);
        after = last;
    }
    Ok(recorded)
}
