//! Retrieval: the candidate sources of an article, from BM25 over its most
//! distinctive terms, a residual query for what the best hit leaves
//! unexplained, and MinHash bands; kept with how they were found
//! ([`Retrieval`]).

use std::collections::HashSet;

use unspun_align::AnalyzedArticle;
use unspun_fingerprint::index_terms;
use unspun_store::{ArticleKey, SearchHit};

use crate::{cut, Engine, Result, Statistics};

/// How a trace found its candidates: enough to tell, without tracing it
/// again, whether a newly stored article could enter its candidate list.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Retrieval {
    /// The BM25 query: the article's most distinctive terms, with boosts.
    pub query: Vec<(String, f32)>,
    /// BM25 hits, best first, with their scores.
    pub bm25: Vec<(ArticleKey, f32)>,
    /// Whether `bm25` holds as many hits as asked for: then a newcomer must
    /// score above the last one to enter; otherwise any hit enters.
    pub bm25_full: bool,
    /// The query for what the best BM25 hit does not explain: the
    /// article's most distinctive terms that hit lacks (the material of a
    /// blend's second source). Empty when the best hit is no source (it
    /// holds under 30% of the query's weight) or fewer than 5 terms are
    /// left.
    pub residual_query: Vec<(String, f32)>,
    /// Candidates of `residual_query` that `bm25` does not hold, with their
    /// scores: the [`cut`] of its pool of hits (the earliest of the good
    /// matches, not the best).
    pub residual: Vec<(ArticleKey, f32)>,
    /// The score of the residual pool's last hit.
    pub residual_floor: Option<f32>,
    /// Whether the residual pool holds as many hits as asked for: then a
    /// newcomer must score at least `residual_floor` to change the cut;
    /// otherwise any hit can.
    pub residual_full: bool,
    /// Articles sharing MinHash bands, most shared bands first.
    pub bands: Vec<(ArticleKey, u32)>,
    /// Whether `bands` holds as many matches as asked for.
    pub bands_full: bool,
}

impl Retrieval {
    /// The candidates, BM25 hits first, then the residual query's, then
    /// band matches, each once.
    pub fn candidates(&self) -> Vec<ArticleKey> {
        let mut seen: HashSet<ArticleKey> = HashSet::new();
        self.bm25
            .iter()
            .chain(&self.residual)
            .map(|h| h.0)
            .chain(self.bands.iter().map(|b| b.0))
            .filter(|k| seen.insert(*k))
            .collect()
    }
}

/// The residual query and what it found ([`Engine::residual_retrieval`]).
#[derive(Default)]
struct Residual {
    query: Vec<(String, f32)>,
    picked: Vec<(ArticleKey, f32)>,
    floor: Option<f32>,
    full: bool,
}

/// Share of the query's weight the best hit must hold for a residual
/// query to be made.
const SOURCE_SHARE: f32 = 0.3;

/// Fewest terms a residual query needs: fewer are an edit's leftovers
/// (a changed name, a new number), not another source.
const MIN_RESIDUAL_TERMS: usize = 5;

impl Engine {
    /// Candidate sources: BM25 over the article's most distinctive terms,
    /// plus articles sharing a MinHash band.
    pub fn candidates(
        &self,
        article: &AnalyzedArticle,
        own_key: Option<ArticleKey>,
    ) -> Result<Vec<ArticleKey>> {
        Ok(self
            .retrieve(article, own_key, Statistics::Live)?
            .candidates())
    }

    /// The terms `article` is indexed under, each with its count, sorted;
    /// and the document length BM25 sees (all of them, counted).
    pub fn index_term_counts(&self, article: &AnalyzedArticle) -> (Vec<(String, u32)>, u32) {
        let tokens: Vec<_> = article.all_tokens().cloned().collect();
        term_counts(&tokens)
    }

    /// The MinHash band keys of `article`.
    pub fn band_keys(&self, article: &AnalyzedArticle) -> Vec<u64> {
        let tokens: Vec<_> = article.all_tokens().cloned().collect();
        self.hasher.band_keys(&tokens)
    }

    /// The sentence shapes of `article` as ingest stores them: distinct
    /// `(shape, filler)` pairs, sorted.
    pub fn sentence_shapes(&self, article: &AnalyzedArticle) -> Vec<(u64, u64)> {
        crate::ingest::stored_shapes(
            (0..article.sentences.len()).filter_map(|i| article.sentence_shape(i)),
        )
    }

    /// How many BM25 hits and band matches a trace aligns.
    pub fn candidate_limits(&self) -> (usize, usize) {
        (self.bm25_candidates, self.band_candidates)
    }

    /// Finds the candidate sources of `article` ([`Engine::candidates`]),
    /// keeping how: the query, the hits with their scores, and whether each
    /// list was cut.
    pub fn retrieve(
        &self,
        article: &AnalyzedArticle,
        own_key: Option<ArticleKey>,
        stats: Statistics<'_>,
    ) -> Result<Retrieval> {
        let tokens: Vec<_> = article.all_tokens().cloned().collect();
        // Only terms the index keeps: one it drops can retrieve nothing.
        let (counts, _) = term_counts(&tokens);
        let by_weight = self.weighted_terms(counts, own_key, stats)?;
        let weighted = by_weight[..by_weight.len().min(self.query_terms)].to_vec();
        log::debug!(
            "{}: query {:?}",
            article.article.id,
            &weighted[..weighted.len().min(8)]
        );

        let pool = if weighted.is_empty() {
            Vec::new()
        } else {
            self.store
                .search_hits_with(&weighted, self.bm25_candidates, own_key, stats.frozen())?
        };
        log::debug!("{}: {} BM25 candidates", article.article.id, pool.len());
        let bm25: Vec<(ArticleKey, f32)> = pool.iter().map(|h| (h.key, h.score)).collect();
        let residual =
            self.residual_retrieval(&by_weight, &weighted, &pool, &bm25, own_key, stats)?;
        let band_keys = self.hasher.band_keys(&tokens);
        let bands = if band_keys.is_empty() {
            Vec::new()
        } else {
            self.store
                .band_matches(&band_keys, self.band_candidates, own_key)?
        };
        Ok(Retrieval {
            query: weighted,
            bm25_full: bm25.len() >= self.bm25_candidates,
            bm25,
            residual_query: residual.query,
            residual: residual.picked,
            residual_floor: residual.floor,
            residual_full: residual.full,
            bands_full: bands.len() >= self.band_candidates,
            bands,
        })
    }

    /// The index terms of an article (`counts`, from
    /// [`Engine::index_term_counts`]) weighted as its retrieval query weighs
    /// them, most distinctive first: tf-idf against the corpus without the
    /// article itself (`own_key`, when stored). The first
    /// `query_terms` are the BM25 query; the rest feed the residual query.
    pub fn weighted_terms(
        &self,
        counts: Vec<(String, u32)>,
        own_key: Option<ArticleKey>,
        stats: Statistics<'_>,
    ) -> Result<Vec<(String, f32)>> {
        let (terms, tf): (Vec<String>, Vec<u32>) = counts.into_iter().unzip();
        // A stored article counts in its own document frequencies: take it
        // out, or its unique terms (df 1, itself) would fill the query.
        let (docs, dfs, own) = match stats.frozen() {
            Some(f) => {
                let counted = own_key.is_some_and(|k| f.counts(k));
                let (docs, mut dfs) = f.doc_freqs(&terms);
                if !counted {
                    // A term the snapshot never saw: live, it would be
                    // weighed as soon as one other article had it; as if
                    // one had, or two newcomers of a new story could not
                    // find each other by its names.
                    for df in dfs.iter_mut() {
                        *df = (*df).max(1);
                    }
                }
                (docs, dfs, u64::from(counted))
            }
            None => {
                let (docs, dfs) = self.store.doc_freqs(&terms)?;
                (docs, dfs, u64::from(own_key.is_some()))
            }
        };
        let n = docs.saturating_sub(own).max(1) as f32;
        let mut by_weight: Vec<(String, f32)> = terms
            .into_iter()
            .zip(tf)
            .zip(dfs)
            .map(|((t, tf), df)| (t, tf, df.saturating_sub(own)))
            // A term no other article has cannot retrieve anything.
            .filter(|(_, _, df)| *df > 0)
            .map(|(t, tf, df)| {
                let idf = (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln();
                let w = (1.0 + (tf as f32).ln()) * idf;
                (t, w)
            })
            .collect();
        by_weight.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(by_weight)
    }

    /// The residual query of an article whose weighted terms are
    /// `by_weight` (of which `main` is the BM25 query), given which terms
    /// its best hit has; `None` when the best hit is no source (it holds
    /// under [`SOURCE_SHARE`] of the query's weight) or fewer than
    /// [`MIN_RESIDUAL_TERMS`] terms are left.
    pub(crate) fn residual_terms(
        &self,
        by_weight: &[(String, f32)],
        main: &[(String, f32)],
        has: &dyn Fn(&str) -> bool,
    ) -> Option<Vec<(String, f32)>> {
        // Only when the best hit is a source: it holds most of the query's
        // weight. Otherwise (an article with no source, whose best hit is
        // a chance match) the leftover is the article itself again.
        let total: f32 = main.iter().map(|(_, w)| w).sum();
        let held: f32 = main.iter().filter(|(t, _)| has(t)).map(|(_, w)| w).sum();
        if held < SOURCE_SHARE * total {
            return None;
        }
        let query: Vec<(String, f32)> = by_weight
            .iter()
            .filter(|(t, _)| !has(t))
            .take(self.query_terms)
            .cloned()
            .collect();
        (query.len() >= MIN_RESIDUAL_TERMS).then_some(query)
    }

    /// The residual query of an article whose terms, most distinctive
    /// first, are `by_weight` (of which `main` is the BM25 query), and its
    /// candidates (see [`Retrieval::residual_query`]).
    ///
    /// Why: one query cannot serve two sources. When most of an article
    /// comes from one story, its distinctive terms are that story's, and at
    /// scale the story's own copies and rewrites fill the pool; a second
    /// source that gave a paragraph or two scores below all of them. At 1M
    /// generated articles the second source of a blend was not among the
    /// candidates in most of the blends that missed it (docs/BENCH.md). The
    /// terms the best hit lacks are what is left to explain.
    fn residual_retrieval(
        &self,
        by_weight: &[(String, f32)],
        main: &[(String, f32)],
        pool: &[SearchHit],
        taken: &[(ArticleKey, f32)],
        own_key: Option<ArticleKey>,
        stats: Statistics<'_>,
    ) -> Result<Residual> {
        let none = Residual::default();
        let Some(best) = pool.first() else {
            return Ok(none);
        };
        if self.residual_candidates == 0 {
            return Ok(none);
        }
        let Some(stored) = self.store.get(best.key)? else {
            return Ok(none);
        };
        // Its terms only: the trace analyses it in full as a candidate.
        let (counts, _) = term_counts(&self.tokens(&stored.article.text).1);
        let has: HashSet<&str> = counts.iter().map(|(t, _)| t.as_str()).collect();
        let Some(query) = self.residual_terms(by_weight, main, &|t| has.contains(t)) else {
            return Ok(none);
        };
        let pool_size = self.residual_candidates.saturating_mul(cut::POOL_FACTOR);
        let hits = self
            .store
            .search_hits_with(&query, pool_size, own_key, stats.frozen())?;
        let full = hits.len() >= pool_size;
        let floor = hits.last().map(|h| h.score);
        let picked = cut::earliest(&hits, hits.len())
            .into_iter()
            .filter(|(k, _)| !taken.iter().any(|(t, _)| t == k))
            .take(self.residual_candidates)
            .collect();
        Ok(Residual {
            picked,
            query,
            floor,
            full,
        })
    }
}

/// The terms `tokens` are indexed under (those the index keeps), each
/// with its count, sorted; and their total, the document length BM25 sees.
fn term_counts(tokens: &[unspun_segment::Token]) -> (Vec<(String, u32)>, u32) {
    let mut terms = index_terms(tokens);
    terms.sort_unstable();
    let mut counts: Vec<(String, u32)> = Vec::new();
    let mut length = 0u32;
    for t in terms {
        if !unspun_store::indexes_term(&t) {
            continue;
        }
        length += 1;
        match counts.last_mut() {
            Some((last, n)) if *last == t => *n += 1,
            _ => counts.push((t, 1)),
        }
    }
    (counts, length)
}
