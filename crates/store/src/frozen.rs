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

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::Bm25Weight;

use crate::ArticleKey;

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
    /// Every sentence shape held with two or more distinct fillers, with up
    /// to three of them (see [`crate::Store::shape_fillers`]); `None` when
    /// the store could not tell (a store holding articles from before it
    /// kept shapes, or statistics saved before they existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    frames: Option<BTreeMap<u64, Vec<u64>>>,
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
            frames: None,
        }
    }

    /// The same statistics with the shapes held with two or more fillers
    /// (shape hash -> up to three fillers), as [`crate::Store::frozen_stats`]
    /// reads them; a distributed job that counts them itself sets them
    /// here.
    pub fn with_frames(mut self, frames: BTreeMap<u64, Vec<u64>>) -> FrozenStats {
        self.frames = Some(frames);
        self
    }

    /// Whether these statistics know the corpus's sentence shapes: without
    /// them, no sentence can be told for a frame.
    pub fn knows_frames(&self) -> bool {
        self.frames.is_some()
    }

    /// The fillers counted for `shape` when it was held with two or more
    /// (up to three); empty otherwise, or when shapes are not known.
    pub fn frame_fillers(&self, shape: u64) -> &[u64] {
        self.frames
            .as_ref()
            .and_then(|f| f.get(&shape))
            .map_or(&[], Vec::as_slice)
    }

    /// The largest article key counted, if any.
    pub fn max_key(&self) -> Option<u64> {
        self.max_key
    }

    /// Statistics counted outside a store, for a distributed job that
    /// computes them itself (the Spark job of the Python package): `docs`
    /// articles, `tokens` index terms in all, `max_key` the largest key
    /// among them, `df` the document frequency of every index term. Equal
    /// to what [`crate::Store::frozen_stats`] gives for a store holding the
    /// same articles under the same keys, with no deletion.
    pub fn from_counts(
        docs: u64,
        tokens: u64,
        max_key: Option<u64>,
        df: BTreeMap<String, u64>,
    ) -> FrozenStats {
        FrozenStats::new(docs, docs, tokens, max_key, df)
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

    /// What one query term of boost `boost` adds to the BM25 score of a
    /// document of `doc_len` index terms that holds it `tf` times, under
    /// these statistics, computed as tantivy does (its `Bm25Weight` and
    /// field-norm quantisation). Lets a caller tell, without searching,
    /// whether an article would score above a given hit; the sum over
    /// terms may differ from the search's in the last bits (tantivy adds in
    /// f32, in its own order), so compare with some slack.
    pub fn bm25_term_score(&self, term: &str, boost: f32, tf: u32, doc_len: u32) -> f32 {
        let avg = self.bm25_tokens as f32 / self.bm25_docs.max(1) as f32;
        let weight = Bm25Weight::for_one_term(self.bm25_doc_freq(term), self.bm25_docs.max(1), avg);
        weight.score(FieldNormReader::fieldnorm_to_id(doc_len), tf) * boost
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
