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
    /// Only articles with larger keys are matched against it.
    after_key: u64,
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

/// The live watches whose rules read; one that does not (stored by
/// another build) is logged and left out, not a stop to the others.
fn live_watches(store: &dyn Store) -> Result<Vec<LiveWatch>, MatchError> {
    Ok(store
        .watches()?
        .into_iter()
        .filter_map(|w: Watch| match serde_json::from_str::<WatchSpec>(&w.spec) {
            Ok(spec) => Some(LiveWatch {
                id: w.id,
                after_key: w.after_key,
                webhook: spec.webhook.is_some() && w.secret.is_some(),
                spec,
            }),
            Err(e) => {
                tracing::error!(watch = w.id, error = %e, "watch matcher: the watch's stored rules do not read; left out");
                None
            }
        })
        .collect())
}

/// A delivery id unique beyond this store (`webhook-id`): receivers drop
/// ids they have seen, and two stores (or a store restored from a backup)
/// would repeat sequence numbers.
pub fn new_delivery_id() -> String {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("msg_{hex}")
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
    let credited = source.own_outlet_credit();
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
        let start = store.last_key()?.map_or(0, |k| k.0);
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
        // Another process (`unspun ingest`) commits its index before its
        // database: once the page is listed, a refresh makes every listed
        // article's candidates searchable.
        store.refresh()?;
        let watches = live_watches(store)?;
        let mut found = Vec::new();
        if !watches.is_empty() {
            let licensed: HashSet<String> = store
                .licensed_outlets()?
                .into_iter()
                .map(|l| l.outlet)
                .collect();
            for listed in &page {
                let judging: Vec<&LiveWatch> = watches
                    .iter()
                    .filter(|w| listed.key.0 > w.after_key)
                    .collect();
                if judging.is_empty() {
                    continue;
                }
                let traced = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    engine.trace_id(&listed.id)
                }));
                let report = match traced {
                    Ok(Ok(t)) => TraceReport::from_trace(&t),
                    // The store failing is not the article's fault: the
                    // page is judged again on the next pass.
                    Ok(Err(unspun_engine::EngineError::Store(e))) => return Err(e.into()),
                    Ok(Err(e)) => {
                        tracing::warn!(article = %listed.id, error = %e, "watch matcher: the article does not trace; passed over");
                        continue;
                    }
                    Err(_) => {
                        tracing::error!(article = %listed.id, "watch matcher: tracing the article panicked; passed over");
                        continue;
                    }
                };
                for source in &report.sources {
                    let Ok(sid) = unspun_article::ArticleId::new(source.id.clone()) else {
                        continue;
                    };
                    let verdict = store.verdicts(&listed.id, &sid)?.last().map(|v| v.verdict);
                    for w in &judging {
                        if w.spec.matches(&report, source, &licensed, verdict) {
                            let data = alert_data(w.id, &report, source);
                            found.push(NewMatch {
                                watch: w.id,
                                article: listed.id.clone(),
                                source: sid.clone(),
                                payload: data.to_string(),
                                delivery_id: w.webhook.then(new_delivery_id),
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
