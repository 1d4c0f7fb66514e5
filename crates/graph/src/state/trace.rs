//! Tracing articles for the graph: jobs run in parallel under the frozen
//! statistics, each giving the article's pair views, how its candidates
//! were found and, for a newcomer, what to look older articles up with.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use unspun_article::ArticleId;
use unspun_engine::{Engine, Retrieval, Statistics};
use unspun_store::{ArticleKey, FrozenStats};

use crate::error::{GraphError, Result};
use crate::pairs::PairView;

/// Articles fetched from the store per round trip.
pub(super) const FETCH_CHUNK: usize = 1000;

/// One article traced for the graph: its id, sentence count, views, how
/// its candidates were found, and, for a newcomer, its index terms with
/// counts, length and band keys (to find the older articles whose
/// candidates it may enter).
pub(super) struct Traced {
    pub(super) id: ArticleId,
    pub(super) sentences: usize,
    pub(super) views: Vec<PairView>,
    pub(super) retrieval: Retrieval,
    pub(super) terms: Vec<(String, u32)>,
    pub(super) length: u32,
    pub(super) bands: Vec<u64>,
}

/// An article to trace: all its candidates, or (`known`) only those its
/// last trace did not judge.
pub(super) struct TraceJob {
    pub(super) key: ArticleKey,
    pub(super) known: Option<HashSet<ArticleKey>>,
}

/// Runs `jobs` with `stats`, in parallel; one result per job, in order.
pub(super) fn trace_keys(
    engine: &Engine,
    stats: &FrozenStats,
    jobs: &[TraceJob],
    done: &AtomicUsize,
    total: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<Traced>> {
    let mut out = Vec::with_capacity(jobs.len());
    for chunk in jobs.chunks(FETCH_CHUNK) {
        let ks: Vec<_> = chunk.iter().map(|j| j.key).collect();
        let stored = engine.store().get_many(&ks)?;
        if stored.len() != chunk.len() {
            return Err(GraphError::Vanished(chunk.len() - stored.len()));
        }
        let traced: Vec<Result<Traced>> = stored
            .into_par_iter()
            .zip(chunk)
            .map(|(s, job)| {
                let trace = match &job.known {
                    None => engine.trace_with(s.article, Statistics::Frozen(stats))?,
                    Some(known) => engine.trace_skipping(s.article, stats, known)?,
                };
                let me = &trace.article.article;
                // Templates are kept out of edges and stories alike.
                let views = trace
                    .sources
                    .iter()
                    .filter(|m| m.relation != unspun_align::Relation::Template)
                    .map(|m| PairView::of(me, m))
                    .collect();
                // Only newcomers are looked up against older articles.
                let ((terms, length), bands) = match job.known {
                    None => (
                        engine.index_term_counts(&trace.article),
                        engine.band_keys(&trace.article),
                    ),
                    Some(_) => ((Vec::new(), 0), Vec::new()),
                };
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                Ok(Traced {
                    id: me.id.clone(),
                    sentences: trace.article.sentences.len(),
                    views,
                    terms,
                    length,
                    bands,
                    retrieval: trace.retrieval,
                })
            })
            .collect();
        for t in traced {
            out.push(t?);
        }
    }
    Ok(out)
}
