//! # unspun-engine: ingest, trace and scan over the pipeline crates
//!
//! The engine is the glue between the stages: it reads nothing itself (that
//! is `unspun-article`) and renders nothing (that is `unspun-report`). It
//!
//! - **ingests** batches of articles: segments and fingerprints them in
//!   parallel, then stores each batch atomically ([`Engine::ingest_batch`]);
//! - **traces** one article: retrieves candidate sources from the store by
//!   BM25 over its most distinctive terms, by a second query for what the
//!   best hit does not explain ([`Retrieval::residual_query`], the earliest
//!   hits taken: [`cut`]) and by MinHash bands, aligns the
//!   article to each candidate sentence by sentence, classifies each pair,
//!   and attributes every sentence to its best source ([`Engine::trace`]);
//!   It also says what the article changed relative to each source it
//!   derives from (`unspun-changes`);
//! - **scans** the whole store for derived pairs ([`Engine::scan`]).
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use unspun_article::{Article, ArticleId};
//! use unspun_engine::Engine;
//! use unspun_store::{EmbeddedStore, OnConflict};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));
//! let wire = Article::new(ArticleId::new("wire").unwrap(),
//!     "The central bank raised interest rates by a quarter point on Tuesday, its governor said.");
//! engine.ingest_batch(vec![wire], OnConflict::Reject).unwrap();
//! let copy = Article::new(ArticleId::new("blog").unwrap(),
//!     "On Tuesday the central bank raised interest rates by a quarter point, its governor said.");
//! let trace = engine.trace(copy).unwrap();
//! assert_eq!(trace.sources[0].source.article.id.as_str(), "wire");
//! ```
#![deny(missing_docs)]

pub mod attribution;
pub mod cut;
pub mod pool;
pub mod rank;
pub mod siblings;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use unspun_align::{
    classify, direction, Aligner, Alignment, AnalyzedArticle, Direction, EmbeddingKind, Original,
    Relation, Semantic, Specificity, TermRarity,
};
use unspun_article::{Article, ArticleId};
use unspun_changes::{ChangeDetector, ChangeReport};
use unspun_embed::{EmbedError, Embedder};
use unspun_fingerprint::{index_terms, MinHasher};
use unspun_segment::{Analyzer, Segmenter, Sentence};
use unspun_store::CachedVectors;
use unspun_store::{
    ArticleKey, FrozenStats, NewArticle, OnConflict, PutOutcome, SearchHit, Store, StoreError,
};

/// Errors of the engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No article with this id is stored.
    #[error("no article with id {0:?} in the store")]
    NotFound(String),
    /// An embedder failed.
    #[error(transparent)]
    Embed(#[from] EmbedError),
}

/// How sentences are compared: the `--model` of `trace` and `scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Lexical evidence only.
    Lexical,
    /// Lexical evidence plus the static embedding (first pass only).
    Static,
    /// As `Static`, with MiniLM re-scoring the borderline pairs.
    MiniLm,
}

impl Mode {
    /// The name used in flags and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Lexical => "lexical",
            Mode::Static => "static",
            Mode::MiniLm => "minilm",
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Mode, String> {
        match s {
            "lexical" => Ok(Mode::Lexical),
            "static" => Ok(Mode::Static),
            "minilm" => Ok(Mode::MiniLm),
            _ => Err(format!(
                "unknown model {s:?}: expected lexical, static or minilm"
            )),
        }
    }
}

/// The embedders an engine uses, which decide its [`Mode`].
#[derive(Clone, Default)]
pub enum Semantics {
    /// No embedder: lexical alignment.
    #[default]
    Lexical,
    /// Lexical alignment plus matches on static-embedding evidence.
    Static(Arc<dyn Embedder>),
    /// As `Static`; `minilm` re-scores the borderline pairs.
    MiniLm {
        /// The static embedder (first pass).
        fast: Arc<dyn Embedder>,
        /// MiniLM (borderline pairs).
        minilm: Arc<dyn Embedder>,
    },
}

impl Semantics {
    /// The mode these embedders give.
    pub fn mode(&self) -> Mode {
        match self {
            Semantics::Lexical => Mode::Lexical,
            Semantics::Static(_) => Mode::Static,
            Semantics::MiniLm { .. } => Mode::MiniLm,
        }
    }

    fn fast(&self) -> Option<&Arc<dyn Embedder>> {
        match self {
            Semantics::Lexical => None,
            Semantics::Static(f) | Semantics::MiniLm { fast: f, .. } => Some(f),
        }
    }
}

/// The engine's result type.
pub type Result<T> = std::result::Result<T, EngineError>;

/// Where retrieval and alignment read their corpus statistics (document
/// frequencies, document count, average length).
#[derive(Clone, Copy, Debug, Default)]
pub enum Statistics<'a> {
    /// The store as it is now: the best weights, but an answer about two
    /// articles can change when others are added.
    #[default]
    Live,
    /// A snapshot: whether two articles find each other, and how their pair
    /// is judged, depend on the two articles and the snapshot only (what
    /// an incremental graph needs; see [`FrozenStats`]).
    Frozen(&'a FrozenStats),
}

impl<'a> Statistics<'a> {
    fn frozen(self) -> Option<&'a FrozenStats> {
        match self {
            Statistics::Live => None,
            Statistics::Frozen(f) => Some(f),
        }
    }
}

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

    /// How many hits of the residual query (see [`Retrieval::residual_query`])
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

/// A batch of articles fingerprinted by [`Engine::prepare_batch`], ready
/// for [`Engine::store_batch`].
#[derive(Debug)]
pub struct PreparedBatch {
    articles: Vec<NewArticle>,
    /// Sentence texts and segmentation checksum per article, kept only when
    /// the engine precomputes embeddings.
    texts: Vec<(Vec<String>, u64)>,
}

impl PreparedBatch {
    /// The articles' ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = &ArticleId> {
        self.articles.iter().map(|a| &a.article.id)
    }
}

/// The unspun engine over one store.
pub struct Engine {
    store: Arc<dyn Store>,
    segmenter: Segmenter,
    analyzer: Analyzer,
    hasher: MinHasher,
    aligner: Aligner,
    changes: ChangeDetector,
    query_terms: usize,
    bm25_candidates: usize,
    residual_candidates: usize,
    band_candidates: usize,
    semantics: Semantics,
    lexical_only: bool,
    precompute: Option<Arc<dyn Embedder>>,
}

/// One candidate source of a traced article, aligned and judged.
#[derive(Clone, Debug)]
pub struct SourceMatch {
    /// The candidate, analysed.
    pub source: AnalyzedArticle,
    /// The relation of the pair.
    pub relation: Relation,
    /// What the pair shares once the frame is set aside (templates).
    pub specificity: Specificity,
    /// The sentence alignment of the traced article to this candidate.
    pub alignment: Alignment,
    /// Which of the two is the original, and why.
    pub direction: Direction,
    /// A single score for ranking sources: reuse weighted by alignment quality.
    pub score: f32,
    /// What the traced article changed relative to this source. Empty when
    /// the traced article is judged the original (it changed nothing of a
    /// later article) or the pair is only `related`.
    pub changes: ChangeReport,
}

/// The trace of one article.
#[derive(Clone, Debug)]
pub struct Trace {
    /// The traced article, analysed.
    pub article: AnalyzedArticle,
    /// Whether the article was read from the store (else it was given as a file).
    pub in_store: bool,
    /// Its sources and related articles, best first: by score, but articles
    /// published after this one after its possible sources, related ones
    /// last, and the original of copied material before its copies (see
    /// [`rank`]).
    pub sources: Vec<SourceMatch>,
    /// Sources that are fellow rewrites of the article's original, listed
    /// after it, with the index of that original (see [`siblings`]).
    pub siblings: Vec<siblings::Sibling>,
    /// For each sentence of the article, the index in `sources` of its best
    /// source, or `None` when the sentence is new.
    pub attribution: Vec<Option<usize>>,
    /// The similarity mode used: `"lexical"`, `"static"`, `"minilm"`, or
    /// `"lexical-only"` when lexical was a fallback for missing models.
    pub mode: &'static str,
    /// How the candidates were found.
    pub retrieval: Retrieval,
}

impl Trace {
    /// If source `si` is a sibling (a fellow rewrite of the article's
    /// original), the index in `sources` of that original.
    pub fn sibling_of(&self, si: usize) -> Option<usize> {
        self.siblings
            .iter()
            .find(|s| s.sibling == si)
            .map(|s| s.common)
    }

    /// Indices of the article's sentences aligned to no source.
    pub fn new_sentences(&self) -> Vec<usize> {
        self.attribution
            .iter()
            .enumerate()
            .filter(|(_, a)| a.is_none())
            .map(|(i, _)| i)
            .collect()
    }
}

/// Counts of what an ingest did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IngestCounts {
    /// Articles stored for the first time.
    pub added: usize,
    /// Articles already stored with identical content.
    pub unchanged: usize,
    /// Articles whose stored version was replaced (`--replace`).
    pub replaced: usize,
    /// Ids stored with different content and left as they were.
    pub conflicts: Vec<ArticleId>,
}

impl IngestCounts {
    /// Adds the outcomes of one batch.
    pub fn add(&mut self, batch: &[Article], outcomes: &[PutOutcome]) {
        self.add_ids(batch.iter().map(|a| &a.id), outcomes);
    }

    /// Adds the outcomes of one batch given by its ids, in batch order, so
    /// a caller need not keep a copy of the articles (their texts) that
    /// [`Engine::ingest_batch`] consumed.
    pub fn add_ids<'a>(
        &mut self,
        ids: impl IntoIterator<Item = &'a ArticleId>,
        outcomes: &[PutOutcome],
    ) {
        for (id, o) in ids.into_iter().zip(outcomes) {
            match o {
                PutOutcome::Added(_) => self.added += 1,
                PutOutcome::Unchanged(_) => self.unchanged += 1,
                PutOutcome::Replaced(_) => self.replaced += 1,
                PutOutcome::Conflict(_) => self.conflicts.push(id.clone()),
            }
        }
    }
}

/// One derived pair found by [`Engine::scan`].
#[derive(Clone, Debug)]
pub struct ScanPair {
    /// The article judged derived.
    pub derived: ArticleId,
    /// The article judged the original.
    pub source: ArticleId,
    /// The relation.
    pub relation: Relation,
    /// Share of the derived article's sentences explained by the source.
    pub coverage: f32,
    /// Share of the source's sentences reused.
    pub source_coverage: f32,
    /// Ranking score of the pair.
    pub score: f32,
    /// Whether the direction is certain.
    pub direction_certain: bool,
    /// The direction evidence.
    pub evidence: Vec<String>,
    /// Number of aligned groups.
    pub aligned: usize,
}

impl Engine {
    /// An engine over `store` with the default settings.
    pub fn new(store: Arc<dyn Store>) -> Engine {
        EngineBuilder::new(store).build()
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Segments, tokenises and computes features for an article.
    pub fn analyze(&self, article: Article) -> AnalyzedArticle {
        AnalyzedArticle::new(article, &self.segmenter, &self.analyzer)
    }

    /// Fingerprints an article for the store.
    pub fn prepare(&self, article: Article) -> NewArticle {
        self.fingerprint(article, false).0
    }

    /// Fingerprints an article: its index terms and band keys, and, when
    /// `sentences` is set, its sentence texts and segmentation checksum
    /// (what the embedding cache needs).
    ///
    /// The tokens are the same as [`Engine::analyze`]'s, sentence by
    /// sentence, but nothing else of an [`AnalyzedArticle`] is built: the
    /// store needs none of the alignment features (char 4-grams, norms,
    /// salient terms), which were a tenth of a lexical ingest's CPU samples
    /// (perf, 20k articles), and the tokens are not copied into a second
    /// vector.
    fn fingerprint(&self, article: Article, sentences: bool) -> (NewArticle, Vec<String>, u64) {
        let (split, tokens) = self.tokens(&article.text);
        let (texts, checksum) = if sentences {
            let texts = split
                .iter()
                .map(|s| s.span.text(&article.text).to_string())
                .collect();
            (texts, segmentation_checksum(&split))
        } else {
            (Vec::new(), 0)
        };
        let new = NewArticle {
            index_terms: index_terms(&tokens),
            band_keys: self.hasher.band_keys(&tokens),
            article,
        };
        (new, texts, checksum)
    }

    /// The sentences of `text` and its tokens, sentence by sentence in one
    /// vector: the tokens of [`Engine::analyze`] without the rest of an
    /// [`AnalyzedArticle`].
    fn tokens(&self, text: &str) -> (Vec<Sentence>, Vec<unspun_segment::Token>) {
        let split = self.segmenter.split(text);
        let mut tokens = Vec::with_capacity(text.len() / 6 + 1);
        for s in &split {
            self.analyzer.tokens_into(text, s.span, &mut tokens);
        }
        (split, tokens)
    }

    /// Fingerprints a batch in parallel and stores it atomically. With an
    /// embedder to precompute (see [`EngineBuilder::precompute`]), the
    /// sentence vectors of the batch's articles are then cached in the
    /// store, in a separate write: a failure there is logged and never
    /// affects the stored batch. The same as [`Engine::prepare_batch`]
    /// followed by [`Engine::store_batch`].
    pub fn ingest_batch(
        &self,
        batch: Vec<Article>,
        on_conflict: OnConflict,
    ) -> Result<Vec<PutOutcome>> {
        self.store_batch(self.prepare_batch(batch), on_conflict)
    }

    /// The CPU half of ingest: segments, stems and fingerprints a batch in
    /// parallel, touching no store. Callers that pipeline ingest (the CLI)
    /// prepare the next batch while the previous one is being stored.
    pub fn prepare_batch(&self, batch: Vec<Article>) -> PreparedBatch {
        let sentences = self.precompute.is_some();
        let (articles, texts) = batch
            .into_par_iter()
            .map(|a| {
                let (new, texts, checksum) = self.fingerprint(a, sentences);
                (new, (texts, checksum))
            })
            .unzip();
        PreparedBatch { articles, texts }
    }

    /// The store half of ingest: writes a prepared batch atomically (and,
    /// with an embedder to precompute, caches its sentence vectors; see
    /// [`Engine::ingest_batch`]). One outcome per article, in order.
    pub fn store_batch(
        &self,
        batch: PreparedBatch,
        on_conflict: OnConflict,
    ) -> Result<Vec<PutOutcome>> {
        let outcomes = self.store.put_batch(&batch.articles, on_conflict)?;
        if let Some(model) = &self.precompute {
            if let Err(e) = self.precompute_vectors(model.as_ref(), &batch.texts, &outcomes) {
                log::warn!("embedding cache not filled for this batch: {e}");
            }
        }
        Ok(outcomes)
    }

    /// Embeds the stored articles of a batch whose vectors are not cached
    /// yet (all their sentences in one call, so the embedder can batch and
    /// use every core) and caches them.
    fn precompute_vectors(
        &self,
        model: &dyn Embedder,
        batch: &[(Vec<String>, u64)],
        outcomes: &[PutOutcome],
    ) -> Result<()> {
        let mut todo: Vec<(ArticleKey, u32, u64, &[String])> = Vec::new();
        for ((texts, checksum), outcome) in batch.iter().zip(outcomes) {
            let key = match outcome {
                PutOutcome::Added(k) | PutOutcome::Replaced(k) | PutOutcome::Unchanged(k) => *k,
                PutOutcome::Conflict(_) => continue,
            };
            let revision = match outcome {
                PutOutcome::Added(_) => 1,
                _ => match self.store.get(key)? {
                    Some(s) => s.revision,
                    None => continue,
                },
            };
            if self
                .store
                .sentence_vectors(key, revision, *checksum, model.name())?
                .is_some()
            {
                continue;
            }
            todo.push((key, revision, *checksum, texts));
        }
        let all: Vec<&str> = todo
            .iter()
            .flat_map(|t| t.3.iter().map(String::as_str))
            .collect();
        if all.is_empty() {
            return Ok(());
        }
        let mut vectors = model.embed(&all)?.into_iter();
        let entries: Vec<CachedVectors> = todo
            .iter()
            .map(|&(key, revision, checksum, texts)| CachedVectors {
                key,
                revision,
                checksum,
                vectors: vectors.by_ref().take(texts.len()).collect(),
            })
            .collect();
        self.store.put_sentence_vectors(model.name(), &entries)?;
        Ok(())
    }

    /// The engine's similarity mode.
    pub fn mode(&self) -> Mode {
        self.semantics.mode()
    }

    /// What traces report as their mode: [`Engine::mode`]'s name, or
    /// `lexical-only` when lexical mode is a fallback for missing models.
    pub fn mode_label(&self) -> &'static str {
        if self.lexical_only {
            "lexical-only"
        } else {
            self.mode().as_str()
        }
    }

    /// Traces a stored article by id.
    pub fn trace_id(&self, id: &ArticleId) -> Result<Trace> {
        let key = self
            .store
            .key_of(id)?
            .ok_or_else(|| EngineError::NotFound(id.to_string()))?;
        let stored = self
            .store
            .get(key)?
            .ok_or_else(|| EngineError::NotFound(id.to_string()))?;
        self.trace_inner(
            stored.article,
            Some(key),
            Some(stored.revision),
            Statistics::Live,
            None,
        )
    }

    /// Traces an article, stored or not. If an article with the same id is
    /// stored, it is not its own candidate.
    pub fn trace(&self, article: Article) -> Result<Trace> {
        self.trace_with(article, Statistics::Live)
    }

    /// As [`Engine::trace`], with the corpus statistics given.
    pub fn trace_with(&self, article: Article, stats: Statistics<'_>) -> Result<Trace> {
        let key = self.store.key_of(&article.id)?;
        self.trace_inner(article, key, None, stats, None)
    }

    /// As [`Engine::trace_with`], but candidates in `known` are neither
    /// aligned nor reported: for a caller that keeps what earlier traces
    /// said about them. Only sound with frozen statistics, under which a
    /// pair's judgement depends on the pair alone. `retrieval` still lists
    /// every candidate, and `attribution` covers the reported sources only.
    pub fn trace_skipping(
        &self,
        article: Article,
        stats: &FrozenStats,
        known: &HashSet<ArticleKey>,
    ) -> Result<Trace> {
        let key = self.store.key_of(&article.id)?;
        self.trace_inner(article, key, None, Statistics::Frozen(stats), Some(known))
    }

    /// `own_revision` is given when `article` is the stored article
    /// `own_key` itself (so its cached vectors may be used).
    fn trace_inner(
        &self,
        article: Article,
        own_key: Option<ArticleKey>,
        own_revision: Option<u32>,
        stats: Statistics<'_>,
        known: Option<&HashSet<ArticleKey>>,
    ) -> Result<Trace> {
        let analyzed = self.analyze(article);
        let retrieval = self.retrieve(&analyzed, own_key, stats)?;
        let mut wanted = retrieval.candidates();
        if let Some(known) = known {
            wanted.retain(|k| !known.contains(k));
        }
        let stored = self.store.get_many(&wanted)?;
        let others: Vec<(AnalyzedArticle, Option<(ArticleKey, u32)>)> = stored
            .into_iter()
            .filter(|s| s.article.id != analyzed.article.id)
            .map(|s| (self.analyze(s.article), Some((s.key, s.revision))))
            .collect();
        // Live statistics: one table for the whole trace. Frozen ones: one
        // per pair, so that a pair's judgement depends on the pair alone
        // (see `Engine::frozen_rarity`).
        let shared_rarity = match stats.frozen() {
            None => {
                Some(self.rarity(std::iter::once(&analyzed).chain(others.iter().map(|o| &o.0)))?)
            }
            Some(_) => None,
        };
        let rarity_for = |source: &AnalyzedArticle,
                          stored: Option<(ArticleKey, u32)>|
         -> std::borrow::Cow<'_, TermRarity> {
            match (&shared_rarity, stats.frozen()) {
                (Some(r), _) => std::borrow::Cow::Borrowed(r),
                (None, Some(f)) => std::borrow::Cow::Owned(
                    self.frozen_rarity(&[(&analyzed, own_key), (source, stored.map(|s| s.0))], f),
                ),
                (None, None) => unreachable!("live statistics have a shared table"),
            }
        };
        let own = own_key.zip(own_revision);
        // Candidates that share too little with the article to be listed:
        // kept (live statistics only) for the sibling rule, which may find
        // one to be the original of a listed fellow rewrite.
        let keep_unlisted = shared_rarity.is_some();
        let mut unlisted: Vec<AnalyzedArticle> = Vec::new();
        let sources: Vec<SourceMatch> = match self.semantics.fast() {
            None => {
                let mut out = Vec::new();
                for (source, stored) in others {
                    let rarity = rarity_for(&source, stored);
                    match self.judge_lexical(&analyzed, source, Some(&rarity)) {
                        Ok(m) => out.push(m),
                        Err(rejected) if keep_unlisted => unlisted.push(*rejected),
                        Err(_) => {}
                    }
                }
                out
            }
            Some(fast) => {
                let derived_fast = self.vectors_of(fast.as_ref(), &analyzed, own)?;
                // MiniLM vectors of the traced article: its cached row if
                // stored and cached, else only the sentences that some
                // borderline pair needs, embedded then and shared by all
                // sources.
                let derived_full = Borderline::new();
                let mut out = Vec::new();
                for (source, stored) in others {
                    let rarity = rarity_for(&source, stored);
                    let derived = DerivedSide {
                        analyzed: &analyzed,
                        stored: own,
                        fast: &derived_fast,
                        full: &derived_full,
                    };
                    match self.judge_semantic(fast, derived, source, stored, &rarity)? {
                        Ok(m) => out.push(m),
                        Err(rejected) if keep_unlisted => unlisted.push(*rejected),
                        Err(_) => {}
                    }
                }
                out
            }
        };
        // By score, but the original of copied material before its copies,
        // and articles published after this one after its possible sources
        // (see `rank`).
        let sources = rank::order(sources);
        // Fellow rewrites of the article's original after it (see
        // `siblings`). Not under frozen statistics: the graph, their only
        // user, judges siblings from its pair book, which holds each
        // candidate's own alignment to the common source already.
        let (sources, siblings) = match &shared_rarity {
            Some(rarity) => siblings::mark(
                sources,
                &unlisted,
                &|a, o| self.align_candidates(a, o, rarity),
                &|o| self.unlisted_original(&analyzed, o, rarity),
            ),
            None => (sources, Vec::new()),
        };
        // Changes against each sentence's closest sources (see
        // `attribution`). Not under frozen statistics either: there a
        // pair's judgement must depend on the pair alone (the graph's
        // incremental update keeps pairs from earlier traces, and reports
        // each edge's own changes, parent against child).
        let mut sources = sources;
        if shared_rarity.is_some() {
            attribution::keep_closest_changes(&mut sources, &siblings);
        }
        let attribution = attribution::attribute(&analyzed, &sources, &siblings);
        Ok(Trace {
            article: analyzed,
            in_store: own_key.is_some(),
            sources,
            siblings,
            attribution,
            mode: self.mode_label(),
            retrieval,
        })
    }

    /// Aligns `derived` (with its fast vectors and MiniLM memo) to `source`
    /// with sentence vectors and judges the pair: one source of a trace in
    /// a semantic mode. A pair that shares nothing worth reporting gives
    /// `source` back (see [`Engine::judged`]).
    fn judge_semantic(
        &self,
        fast: &Arc<dyn Embedder>,
        derived: DerivedSide<'_>,
        source: AnalyzedArticle,
        stored: Option<(ArticleKey, u32)>,
        rarity: &TermRarity,
    ) -> Result<std::result::Result<SourceMatch, Box<AnalyzedArticle>>> {
        let DerivedSide {
            analyzed,
            stored: own,
            fast: derived_fast,
            full: derived_full,
        } = derived;
        let source_fast = self.vectors_of(fast.as_ref(), &source, stored)?;
        let source_full = Borderline::new();
        let rescore = |pairs: &[(usize, usize)]| -> Vec<Option<f32>> {
            let Semantics::MiniLm { minilm, .. } = &self.semantics else {
                return vec![None; pairs.len()];
            };
            self.rescore_borderline(
                minilm.as_ref(),
                (analyzed, own, derived_full),
                (&source, stored, &source_full),
                pairs,
            )
        };
        let semantic = Semantic {
            kind: EmbeddingKind::Static,
            derived: derived_fast,
            source: &source_fast,
            rescore: match self.semantics {
                Semantics::MiniLm { .. } => Some(&rescore),
                _ => None,
            },
        };
        let alignment =
            self.aligner
                .align_semantic(analyzed, &source, Some(rarity), Some(&semantic));
        Ok(self.judged(analyzed, source, alignment, Some(rarity)))
    }

    /// Judges one pair under frozen statistics exactly as a trace of
    /// `derived` judges `source` when it is among its candidates: with the
    /// pair's own rarity table and, in a semantic mode, sentence vectors.
    /// Neither article needs to be stored: `derived_key` and `source_key`
    /// are the keys the statistics counted them under. For a caller that
    /// finds the candidates itself (a distributed job, see
    /// [`Engine::retrieve_in_pool`]); the result is the [`SourceMatch`] the
    /// trace would list, templates included.
    pub fn judge_frozen(
        &self,
        derived: &AnalyzedArticle,
        derived_key: ArticleKey,
        source: AnalyzedArticle,
        source_key: ArticleKey,
        stats: &FrozenStats,
    ) -> Result<Option<SourceMatch>> {
        let rarity = self.frozen_rarity(
            &[(derived, Some(derived_key)), (&source, Some(source_key))],
            stats,
        );
        match self.semantics.fast() {
            None => Ok(self.judge(derived, source, Some(&rarity))),
            Some(fast) => {
                let derived_fast = self.vectors_of(fast.as_ref(), derived, None)?;
                let memo = Borderline::new();
                Ok(self
                    .judge_semantic(
                        fast,
                        DerivedSide {
                            analyzed: derived,
                            stored: None,
                            fast: &derived_fast,
                            full: &memo,
                        },
                        source,
                        None,
                        &rarity,
                    )?
                    .ok())
            }
        }
    }

    /// The sentence vectors of `article` by `model`: from the store's cache
    /// when the article is stored (`stored` = key, revision) and cached,
    /// else computed, never cached here.
    ///
    /// Why: traces read cached sentence vectors of stored articles but never write
    /// them. Static: measured (docs/EMBED-BENCH.md, 500 BBC articles), reading
    /// and decoding a cached row takes ~33 µs, recomputing ~450 µs, so a row is
    /// worth reading; but a trace recomputes only its ~30 candidates (a few ms
    /// of a ~14 ms trace), while caching every stored article would add ~4.7 KB
    /// per article (~100 MB for the 21k-article corpus) and a write to every
    /// trace. MiniLM: a trace embeds only the sentences of borderline pairs
    /// (`Engine::rescore_borderline`), not whole articles, so it has no row to
    /// write. Rows of either model are written on request (`ingest --model`).
    fn vectors_of(
        &self,
        model: &dyn Embedder,
        article: &AnalyzedArticle,
        stored: Option<(ArticleKey, u32)>,
    ) -> Result<Vec<Vec<f32>>> {
        if let Some(v) = stored.and_then(|s| self.cached_vectors(model, article, s)) {
            return Ok(v);
        }
        let texts: Vec<&str> = (0..article.sentences.len())
            .map(|i| article.sentence_text(i))
            .collect();
        Ok(model.embed(&texts)?)
    }

    /// MiniLM cosines of borderline sentence pairs `(derived, source)`. Each
    /// side's vectors come from its cached row when the article is stored
    /// and cached (`ingest --model minilm`); otherwise only the sentences
    /// the pairs need are embedded (one batch per call), kept in the side's
    /// [`Borderline`] memo for later pairs, and not written to the cache (a
    /// row holds a whole article). A failure is logged and gives `None`.
    fn rescore_borderline(
        &self,
        model: &dyn Embedder,
        derived: (&AnalyzedArticle, Option<(ArticleKey, u32)>, &Borderline),
        source: (&AnalyzedArticle, Option<(ArticleKey, u32)>, &Borderline),
        pairs: &[(usize, usize)],
    ) -> Vec<Option<f32>> {
        let sides = [derived, source];
        for (article, stored, memo) in sides {
            memo.cached
                .get_or_init(|| stored.and_then(|s| self.cached_vectors(model, article, s)));
        }
        // The sentences to embed now: needed, not cached, not yet embedded.
        let mut todo: Vec<(usize, usize)> = Vec::new(); // (side, sentence)
        for &(i, j) in pairs {
            for (side, k) in [(0, i), (1, j)] {
                let memo = sides[side].2;
                if memo.cached.get().is_some_and(|c| c.is_some())
                    || memo.embedded.lock().is_ok_and(|m| m.contains_key(&k))
                    || todo.contains(&(side, k))
                {
                    continue;
                }
                todo.push((side, k));
            }
        }
        if !todo.is_empty() {
            let texts: Vec<&str> = todo
                .iter()
                .map(|&(side, k)| sides[side].0.sentence_text(k))
                .collect();
            match model.embed(&texts) {
                Ok(vectors) => {
                    for (&(side, k), v) in todo.iter().zip(vectors) {
                        if let Ok(mut m) = sides[side].2.embedded.lock() {
                            m.insert(k, v);
                        }
                    }
                }
                Err(e) => {
                    log::warn!("{}: no MiniLM re-scoring: {e}", derived.0.article.id);
                    return vec![None; pairs.len()];
                }
            }
        }
        let vector = |side: usize, k: usize| -> Option<Vec<f32>> {
            let memo = sides[side].2;
            match memo.cached.get() {
                Some(Some(rows)) => rows.get(k).cloned(),
                _ => memo.embedded.lock().ok()?.get(&k).cloned(),
            }
        };
        pairs
            .iter()
            .map(|&(i, j)| Some(unspun_align::semantic::dot(&vector(0, i)?, &vector(1, j)?)))
            .collect()
    }

    /// The cached sentence vectors of a stored article by `model`, if its
    /// row is there and matches the article's segmentation.
    fn cached_vectors(
        &self,
        model: &dyn Embedder,
        article: &AnalyzedArticle,
        (key, revision): (ArticleKey, u32),
    ) -> Option<Vec<Vec<f32>>> {
        let checksum = segmentation_checksum(&article.sentences);
        match self
            .store
            .sentence_vectors(key, revision, checksum, model.name())
        {
            Ok(Some(v)) if v.len() == article.sentences.len() => Some(v),
            Ok(_) => None,
            Err(e) => {
                log::warn!("reading the embedding cache failed: {e}");
                None
            }
        }
    }

    /// Corpus rarity of every content term of `articles`, from the store's
    /// document frequencies.
    pub fn rarity<'a>(
        &self,
        articles: impl Iterator<Item = &'a AnalyzedArticle>,
    ) -> Result<TermRarity> {
        let terms = content_terms(articles);
        let (docs, dfs) = self.store.doc_freqs(&terms)?;
        Ok(TermRarity::from_doc_freqs(docs, terms.into_iter().zip(dfs)))
    }

    /// Rarity of the content terms of `articles` (each with its store key,
    /// if stored) under frozen statistics: the snapshot's document
    /// frequencies, plus each of `articles` the snapshot did not count.
    ///
    /// Why the additions: live, every stored article counts in the
    /// frequencies, so a term two stored articles share has a document
    /// frequency of at least 2. A snapshot has never seen the vocabulary
    /// of articles stored after it; without the additions, two such
    /// articles would share "unseen" terms as if they were the rarest in
    /// the corpus, and weak pairs would pass. Given one pair, the result
    /// depends on the pair and the snapshot only.
    pub fn frozen_rarity(
        &self,
        articles: &[(&AnalyzedArticle, Option<ArticleKey>)],
        stats: &FrozenStats,
    ) -> TermRarity {
        let terms = content_terms(articles.iter().map(|a| a.0));
        let uncounted: Vec<HashSet<&str>> = articles
            .iter()
            .filter(|(_, key)| !key.is_some_and(|k| stats.counts(k)))
            .map(|(a, _)| {
                a.features
                    .iter()
                    .flat_map(|f| f.terms.iter().map(String::as_str))
                    .collect()
            })
            .collect();
        let docs = stats.docs() + uncounted.len() as u64;
        let dfs: Vec<u64> = terms
            .iter()
            .map(|t| {
                stats.doc_freq(t)
                    + uncounted.iter().filter(|u| u.contains(t.as_str())).count() as u64
            })
            .collect();
        TermRarity::from_doc_freqs(docs, terms.into_iter().zip(dfs))
    }

    /// Aligns `derived` to `source` and judges the pair; `None` when they
    /// share nothing worth reporting. `rarity` weighs terms by how rare they
    /// are in the corpus (see [`Engine::rarity`]).
    pub fn judge(
        &self,
        derived: &AnalyzedArticle,
        source: AnalyzedArticle,
        rarity: Option<&TermRarity>,
    ) -> Option<SourceMatch> {
        self.judge_lexical(derived, source, rarity).ok()
    }

    /// [`Engine::judge`], giving `source` back when the pair shares
    /// nothing worth reporting (see [`Engine::judged`]).
    fn judge_lexical(
        &self,
        derived: &AnalyzedArticle,
        source: AnalyzedArticle,
        rarity: Option<&TermRarity>,
    ) -> std::result::Result<SourceMatch, Box<AnalyzedArticle>> {
        let alignment = self.aligner.align_with(derived, &source, rarity);
        self.judged(derived, source, alignment, rarity)
    }

    /// Judges a pair from its alignment; `None` when they share nothing
    /// worth reporting.
    pub fn judge_alignment(
        &self,
        derived: &AnalyzedArticle,
        source: AnalyzedArticle,
        alignment: Alignment,
        rarity: Option<&TermRarity>,
    ) -> Option<SourceMatch> {
        self.judged(derived, source, alignment, rarity).ok()
    }

    /// [`Engine::judge_alignment`], giving `source` back when the pair
    /// shares nothing worth reporting: a trace keeps such candidates for
    /// the sibling rule ([`siblings`]) without copying every candidate.
    fn judged(
        &self,
        derived: &AnalyzedArticle,
        source: AnalyzedArticle,
        alignment: Alignment,
        rarity: Option<&TermRarity>,
    ) -> std::result::Result<SourceMatch, Box<AnalyzedArticle>> {
        let specificity = Specificity::of(derived, &source, &alignment, rarity);
        let Some(relation) = classify(derived, &source, &alignment, &specificity) else {
            // Boxed to keep the result small: the move copies no text.
            return Err(Box::new(source));
        };
        let direction = direction(derived, &source, &alignment);
        let reuse = alignment.coverage().max(alignment.source_coverage());
        let score = match relation {
            Relation::Template => 0.02,
            Relation::Related => 0.05,
            _ => reuse * 0.5 + alignment.mean_score() * 0.5,
        };
        // Changes only where there is derivation: never against a template
        // or an independent report of the same story.
        let changes = if relation.is_derivation() && direction.original == Original::Source {
            self.changes.detect(derived, &source, &alignment)
        } else {
            ChangeReport {
                per_group: vec![Vec::new(); alignment.groups.len()],
                article: Vec::new(),
            }
        };
        Ok(SourceMatch {
            source,
            relation,
            specificity,
            alignment,
            direction,
            score,
            changes,
        })
    }

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
    fn residual_terms(
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

    /// Finds every derived pair in the store. `progress` is called with the
    /// number of articles done and the total, from worker threads.
    ///
    /// Each unordered pair is reported once, oriented by its judged
    /// direction, sorted by derived id then source id.
    pub fn scan(&self, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<Vec<ScanPair>> {
        let keys = self.store.keys()?;
        let total = keys.len();
        let done = AtomicUsize::new(0);
        let found: Vec<Result<Vec<ScanPair>>> = keys
            .par_iter()
            .map(|&key| {
                let r = self.scan_one(key);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                r
            })
            .collect();
        // Each pair may be seen from both sides; keep the view from the
        // side judged derived, else the first by id.
        let mut best: HashMap<(ArticleId, ArticleId), ScanPair> = HashMap::new();
        for pairs in found {
            for p in pairs? {
                let key = if p.derived < p.source {
                    (p.derived.clone(), p.source.clone())
                } else {
                    (p.source.clone(), p.derived.clone())
                };
                match best.get(&key) {
                    Some(old) if old.score >= p.score => {}
                    _ => {
                        best.insert(key, p);
                    }
                }
            }
        }
        let mut pairs: Vec<ScanPair> = best.into_values().collect();
        pairs.sort_by(|a, b| a.derived.cmp(&b.derived).then(a.source.cmp(&b.source)));
        Ok(pairs)
    }

    fn scan_one(&self, key: ArticleKey) -> Result<Vec<ScanPair>> {
        let Some(stored) = self.store.get(key)? else {
            return Ok(Vec::new());
        };
        let trace = self.trace_inner(
            stored.article,
            Some(key),
            Some(stored.revision),
            Statistics::Live,
            None,
        )?;
        let me = &trace.article.article.id;
        Ok(trace
            .sources
            .iter()
            .filter(|s| s.relation.is_derivation())
            .map(|s| {
                let other = s.source.article.id.clone();
                let (derived, source, coverage, source_coverage) = match s.direction.original {
                    Original::Source => (
                        me.clone(),
                        other,
                        s.alignment.coverage(),
                        s.alignment.source_coverage(),
                    ),
                    Original::Derived => (
                        other,
                        me.clone(),
                        s.alignment.source_coverage(),
                        s.alignment.coverage(),
                    ),
                };
                ScanPair {
                    derived,
                    source,
                    relation: s.relation,
                    coverage,
                    source_coverage,
                    score: s.score,
                    direction_certain: s.direction.certain,
                    evidence: s.direction.evidence.clone(),
                    aligned: s.alignment.groups.len(),
                }
            })
            .collect())
    }
}

/// The traced side of a pair judged with sentence vectors: the article,
/// its store key and revision when stored, its fast vectors, and its
/// MiniLM memo (shared by all the sources of one trace).
struct DerivedSide<'a> {
    analyzed: &'a AnalyzedArticle,
    stored: Option<(ArticleKey, u32)>,
    fast: &'a [Vec<f32>],
    full: &'a Borderline,
}

/// One side's MiniLM vectors during a trace in `minilm` mode: its cached
/// row (looked up once), or the sentences embedded so far for borderline
/// pairs.
struct Borderline {
    cached: OnceLock<Option<Vec<Vec<f32>>>>,
    embedded: Mutex<HashMap<usize, Vec<f32>>>,
}

impl Borderline {
    fn new() -> Borderline {
        Borderline {
            cached: OnceLock::new(),
            embedded: Mutex::new(HashMap::new()),
        }
    }
}

/// A fingerprint of how an article was cut into `sentences` (their byte
/// spans): cached vectors are valid only for the same segmentation.
fn segmentation_checksum(sentences: &[Sentence]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for s in sentences {
        h.update(&(s.span.start as u64).to_le_bytes());
        h.update(&(s.span.end as u64).to_le_bytes());
    }
    h.digest()
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

/// The distinct content terms of `articles`, sorted.
fn content_terms<'a>(articles: impl Iterator<Item = &'a AnalyzedArticle>) -> Vec<String> {
    let mut terms: Vec<String> = articles
        .flat_map(|a| a.features.iter().flat_map(|f| f.terms.iter().cloned()))
        .collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}
