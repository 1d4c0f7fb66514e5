//! Retrieval without an index: the candidates [`Engine::retrieve`] finds
//! under frozen statistics, computed from a *pool* of articles that a
//! caller gathered itself.
//!
//! A distributed job (the Spark job of the Python package) has no search
//! index: it joins postings instead. For each traced article it gathers
//! every article that holds one of its weighted terms or shares one of its
//! MinHash bands, with how often each holds each term, and hands that pool
//! here. The BM25 scores are computed term by term as the index computes
//! them ([`FrozenStats::bm25_term_score`]), the residual query and its cut
//! by time are the engine's own ([`cut`]), and band matches are ranked as
//! the store ranks them. So the candidate set is the one a trace under the
//! same statistics finds, with two caveats a caller must bound:
//!
//! - an article the pool lacks cannot be a candidate: the pool must hold
//!   every article sharing a query term, or the caller states what it
//!   left out (terms above a bucket cap);
//! - scores are summed in another order than tantivy's, so two hits whose
//!   scores differ in the last bits may swap at the edge of a list; ties
//!   are broken by key, as the store's own order mostly does.

use std::collections::HashMap;

use unspun_store::{ArticleKey, FrozenStats, SearchHit};

use crate::{cut, Engine, Retrieval};

/// One article of a pool: what retrieval needs to know of it.
#[derive(Clone, Debug)]
pub struct PoolEntry {
    /// Its key (ties are broken by key, and the traced article's own key is
    /// never a candidate).
    pub key: ArticleKey,
    /// Its document length as BM25 sees it ([`Engine::index_term_counts`]).
    pub length: u32,
    /// Its publication date (the residual query's cut is by time).
    pub date: Option<chrono::NaiveDate>,
    /// Its outlet (on one day, wire agencies first).
    pub source: Option<String>,
    /// How often it holds each of the traced article's weighted terms
    /// (terms it lacks may be left out).
    pub tf: HashMap<String, u32>,
    /// How many MinHash bands it shares with the traced article.
    pub bands: u32,
}

impl Engine {
    /// The retrieval of an article whose weighted terms are `by_weight`
    /// ([`Engine::weighted_terms`] under `stats`), found among `pool`
    /// instead of the index (see the module docs). `own_key` is left out.
    pub fn retrieve_in_pool(
        &self,
        by_weight: &[(String, f32)],
        pool: &[PoolEntry],
        own_key: Option<ArticleKey>,
        stats: &FrozenStats,
    ) -> Retrieval {
        let pool: Vec<&PoolEntry> = pool.iter().filter(|e| Some(e.key) != own_key).collect();
        let main = &by_weight[..by_weight.len().min(self.query_terms)];
        let bm25_pool = top_hits(&pool, main, self.bm25_candidates, stats);
        let bm25: Vec<(ArticleKey, f32)> = bm25_pool.iter().map(|h| (h.key, h.score)).collect();

        let mut retrieval = Retrieval {
            query: main.to_vec(),
            bm25_full: bm25.len() >= self.bm25_candidates,
            ..Retrieval::default()
        };
        if let Some(best) = bm25_pool.first() {
            let best = pool
                .iter()
                .find(|e| e.key == best.key)
                .expect("a hit comes from the pool");
            let has = |t: &str| best.tf.get(t).is_some_and(|n| *n > 0);
            if self.residual_candidates > 0 {
                if let Some(query) = self.residual_terms(by_weight, main, &has) {
                    let pool_size = self.residual_candidates.saturating_mul(cut::POOL_FACTOR);
                    let hits = top_hits(&pool, &query, pool_size, stats);
                    retrieval.residual_full = hits.len() >= pool_size;
                    retrieval.residual_floor = hits.last().map(|h| h.score);
                    retrieval.residual = cut::earliest(&hits, hits.len())
                        .into_iter()
                        .filter(|(k, _)| !bm25.iter().any(|(t, _)| t == k))
                        .take(self.residual_candidates)
                        .collect();
                    retrieval.residual_query = query;
                }
            }
        }
        retrieval.bm25 = bm25;

        let mut bands: Vec<(ArticleKey, u32)> = pool
            .iter()
            .filter(|e| e.bands > 0)
            .map(|e| (e.key, e.bands))
            .collect();
        bands.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        bands.truncate(self.band_candidates);
        retrieval.bands_full = bands.len() >= self.band_candidates;
        retrieval.bands = bands;
        retrieval
    }
}

/// The `limit` best-scoring articles of `pool` for `query`, best first
/// (ties by key), as the index's search returns them.
fn top_hits(
    pool: &[&PoolEntry],
    query: &[(String, f32)],
    limit: usize,
    stats: &FrozenStats,
) -> Vec<SearchHit> {
    if query.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut hits: Vec<SearchHit> = pool
        .iter()
        .filter_map(|e| {
            let mut score = 0.0f32;
            let mut any = false;
            for (t, boost) in query {
                if let Some(&tf) = e.tf.get(t.as_str()).filter(|n| **n > 0) {
                    score += stats.bm25_term_score(t, *boost, tf, e.length);
                    any = true;
                }
            }
            any.then(|| SearchHit {
                key: e.key,
                score,
                date: e.date,
                source: e.source.clone(),
            })
        })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.key.cmp(&b.key)));
    hits.truncate(limit);
    hits
}
