//! [`EngineBuilder`]: the engine's settings (candidate counts, aligner,
//! change detector, embedders) and their defaults, with why each is what
//! it is.

use std::sync::Arc;

use unspun_align::Aligner;
use unspun_changes::ChangeDetector;
use unspun_embed::Embedder;
use unspun_fingerprint::MinHasher;
use unspun_segment::{Analyzer, Segmenter};
use unspun_store::Store;

use crate::{Engine, Mode, Semantics};

/// Builds an [`Engine`].
pub struct EngineBuilder {
    store: Arc<dyn Store>,
    query_terms: usize,
    bm25_candidates: usize,
    residual_candidates: usize,
    band_candidates: usize,
    aligner: Aligner,
    changes: ChangeDetector,
    semantics: Semantics,
    lexical_only: bool,
    precompute: Option<Arc<dyn Embedder>>,
}

impl EngineBuilder {
    /// A builder over `store` with the default settings.
    pub fn new(store: Arc<dyn Store>) -> Self {
        EngineBuilder {
            store,
            query_terms: 30,
            bm25_candidates: 16,
            residual_candidates: 6,
            band_candidates: 20,
            aligner: Aligner::new(),
            changes: ChangeDetector::new(),
            semantics: Semantics::Lexical,
            lexical_only: false,
            precompute: None,
        }
    }

    /// An embedder whose sentence vectors [`Engine::ingest_batch`] computes
    /// and caches in the store for every article of a batch (`unspun ingest
    /// --model`). Default none: ingest stays lexical and fast.
    pub fn precompute(mut self, model: Option<Arc<dyn Embedder>>) -> Self {
        self.precompute = model;
        self
    }

    /// The embedders to use (default none: lexical). See [`Mode`].
    pub fn semantics(mut self, semantics: Semantics) -> Self {
        self.semantics = semantics;
        self
    }

    /// Marks lexical mode as a fallback because the models are missing:
    /// traces then say `lexical-only` as their mode.
    pub fn lexical_only(mut self, yes: bool) -> Self {
        self.lexical_only = yes;
        self
    }

    /// How many of an article's most distinctive terms make its retrieval
    /// query. Default 30: enough to find a rewrite, few enough to stay fast
    /// (a whole article as one query is slow and no better).
    pub fn query_terms(mut self, n: usize) -> Self {
        self.query_terms = n.max(1);
        self
    }

    /// How many BM25 hits are aligned. Default 16: at 1M generated articles
    /// a story has ~17 near relatives (copies, edits, rewrites), and 12 hits
    /// missed the source of 5.3% of paraphrases (docs/BENCH.md, "Recall at
    /// 1M"); 16 cost ~4 ms more per trace there, and 20 found no more.
    pub fn bm25_candidates(mut self, n: usize) -> Self {
        self.bm25_candidates = n;
        self
    }

    /// How many hits of the residual query (see [`Retrieval::residual_query`](crate::Retrieval::residual_query))
    /// are aligned besides the BM25 ones. Default 6; 0 turns it off.
    pub fn residual_candidates(mut self, n: usize) -> Self {
        self.residual_candidates = n;
        self
    }

    /// How many MinHash band matches are aligned. Default 20.
    pub fn band_candidates(mut self, n: usize) -> Self {
        self.band_candidates = n;
        self
    }

    /// The change detector to use (e.g. with an extended gazetteer).
    /// Default [`ChangeDetector::new`].
    pub fn change_detector(mut self, detector: ChangeDetector) -> Self {
        self.changes = detector;
        self
    }

    /// The aligner to use. Default [`Aligner::new`].
    pub fn aligner(mut self, aligner: Aligner) -> Self {
        self.aligner = aligner;
        self
    }

    /// Builds the engine.
    pub fn build(self) -> Engine {
        Engine {
            store: self.store,
            segmenter: Segmenter::new(),
            analyzer: Analyzer::new(),
            hasher: MinHasher::new(),
            aligner: self.aligner,
            changes: self.changes,
            query_terms: self.query_terms,
            bm25_candidates: self.bm25_candidates,
            residual_candidates: self.residual_candidates,
            band_candidates: self.band_candidates,
            lexical_only: self.lexical_only && self.semantics.mode() == Mode::Lexical,
            semantics: self.semantics,
            precompute: self.precompute,
        }
    }
}
