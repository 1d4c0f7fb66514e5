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
mod builder;
pub mod cut;
mod ingest;
mod judge;
pub mod pool;
pub mod rank;
mod retrieve;
mod scan;
pub mod siblings;
mod trace;
mod upgrade;
mod vectors;

use std::sync::Arc;

use unspun_align::Aligner;
use unspun_changes::ChangeDetector;
use unspun_embed::{EmbedError, Embedder};
use unspun_fingerprint::MinHasher;
use unspun_segment::{Analyzer, Segmenter};
use unspun_store::{FrozenStats, Store, StoreError};

pub use builder::EngineBuilder;
pub use ingest::{IngestCounts, PreparedBatch};
pub use retrieve::Retrieval;
pub use scan::ScanPair;
pub use trace::{SourceMatch, Trace};

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

impl Engine {
    /// An engine over `store` with the default settings.
    pub fn new(store: Arc<dyn Store>) -> Engine {
        EngineBuilder::new(store).build()
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
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
}
