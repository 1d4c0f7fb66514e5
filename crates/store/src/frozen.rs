//! Corpus statistics frozen at one moment.
//!
//! Every weight retrieval and alignment give a term (BM25's IDF and length
//! normalisation, the query's choice of distinctive terms, alignment
//! rarity) comes from corpus statistics. Read live, they drift with every
//! article added, so an answer about two old articles can change because
//! a third one arrived. A [`FrozenStats`] pins them: with it, whether two
//! articles find each other and how their pair is judged depend on the
//! two articles and the snapshot only. That is what lets the derivation
//! graph be updated incrementally and still equal a rebuild (unspun-graph).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ArticleKey;

/// tantivy's BM25 `k1`.
const BM25_K1: f32 = 1.2;

/// Document frequencies and sizes of the retrieval index at one moment;
/// taken by [`crate::Store::frozen_stats`].
///
/// The numbers are exactly those live queries would have used at that
/// moment, so a query answered with a fresh snapshot gives the live answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenStats {
    /// Live documents (what query weighting and rarity count).
    docs: u64,
    /// Documents as BM25 counts them (including deletions not yet merged
    /// away, as tantivy does).
    bm25_docs: u64,
    /// Tokens of the terms field, for BM25's average document length.
    bm25_tokens: u64,
    /// The largest article key counted; articles stored later have larger
    /// keys (keys are never reused once committed).
    max_key: Option<u64>,
    /// Document frequency of every indexed term.
    df: BTreeMap<String, u64>,
}

impl FrozenStats {
    pub(crate) fn new(
        docs: u64,
        bm25_docs: u64,
        bm25_tokens: u64,
        max_key: Option<u64>,
        df: BTreeMap<String, u64>,
    ) -> FrozenStats {
        FrozenStats {
            docs,
            bm25_docs,
            bm25_tokens,
            max_key,
            df,
        }
    }

    /// Live documents counted.
    pub fn docs(&self) -> u64 {
        self.docs
    }

    /// Distinct terms known.
    pub fn terms(&self) -> usize {
        self.df.len()
    }

    /// The document frequency of `term`; 0 for a term the snapshot never saw.
    pub fn doc_freq(&self, term: &str) -> u64 {
        self.df.get(term).copied().unwrap_or(0).min(self.docs)
    }

    /// As [`crate::Store::doc_freqs`], from the snapshot.
    pub fn doc_freqs(&self, terms: &[String]) -> (u64, Vec<u64>) {
        (self.docs, terms.iter().map(|t| self.doc_freq(t)).collect())
    }

    /// Whether the article stored under `key` was counted: whether it was
    /// stored when the snapshot was taken.
    pub fn counts(&self, key: ArticleKey) -> bool {
        self.max_key.is_some_and(|m| key.0 <= m)
    }

    /// An upper bound of what one query term of boost `boost` can add to a
    /// document's BM25 score under these statistics: `boost · idf · (1 + k1)`
    /// (tantivy's k1 = 1.2; the term-frequency factor is below 1). Lets a
    /// caller rule out, without searching, that an article scores above a
    /// given hit.
    pub fn bm25_term_bound(&self, term: &str, boost: f32) -> f32 {
        let n = self.bm25_docs as f32;
        let df = self.bm25_doc_freq(term) as f32;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        boost * idf * (1.0 + BM25_K1)
    }

    pub(crate) fn bm25_docs(&self) -> u64 {
        self.bm25_docs
    }

    pub(crate) fn bm25_tokens(&self) -> u64 {
        self.bm25_tokens
    }

    /// BM25's document frequency: as tantivy counts it, never above the
    /// document count (tantivy asserts that).
    pub(crate) fn bm25_doc_freq(&self, term: &str) -> u64 {
        self.df.get(term).copied().unwrap_or(0).min(self.bm25_docs)
    }
}
