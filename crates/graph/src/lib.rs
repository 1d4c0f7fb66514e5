//! # unspun-graph: the derivation graph of a corpus
//!
//! One article's sources are half the answer; wire services and
//! researchers ask about the corpus: which articles are the same story,
//! which one is the original, who republishes whom, how heavily rewritten,
//! with or without credit, and who picked a story up second hand.
//!
//! The graph is built in two layers:
//!
//! - a [`PairBook`] of *views*: every stored article is traced by the
//!   engine (retrieval, alignment, relation, direction, changes), and what
//!   the trace said about each other article is kept, keyed by the article
//!   traced. All traces of a state use corpus statistics frozen at its
//!   first build ([`unspun_store::FrozenStats`]), so a pair's fate depends
//!   on the two articles alone. [`GraphState::update`] traces the articles
//!   that are new or changed since the last update, and of the older ones
//!   exactly those whose candidate lists the newcomers enter; the result
//!   equals a full rebuild with the same statistics ([`GraphState::rebuild`],
//!   tested on a generated corpus and through the CLI). Statistics are
//!   taken afresh, and everything traced again, when the store has grown
//!   past twice what they counted;
//! - the [`DerivationGraph`], a pure function of the book and the article
//!   metadata ([`GraphState::graph`]): reuse pairs oriented into
//!   `derived_from` edges, second-hand copies sent to their real parent
//!   ([`mod@lineage`]), and story clusters that never chain unrelated stories
//!   ([`mod@cluster`]).
//!
//! Outputs: JSON Lines, GraphML and DOT ([`mod@export`]), and a per-outlet
//! summary ([`mod@summary`]). [`mod@eval`] scores a graph against a corpus
//! with known lineage.
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use unspun_article::{Article, ArticleId};
//! use unspun_engine::Engine;
//! use unspun_graph::GraphState;
//! use unspun_store::{EmbeddedStore, OnConflict};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));
//! let text = "The central bank raised interest rates by a quarter point on Tuesday. \
//!             Governor Ana Ruiz said inflation in Lisbon had stayed above target for months.";
//! let mut wire = Article::new(ArticleId::new("wire").unwrap(), text);
//! wire.date = chrono::NaiveDate::from_ymd_opt(2025, 3, 4);
//! let mut copy = Article::new(ArticleId::new("blog").unwrap(), text);
//! copy.date = chrono::NaiveDate::from_ymd_opt(2025, 3, 5);
//! engine.ingest_batch(vec![wire, copy], OnConflict::Reject).unwrap();
//!
//! let mut state = GraphState::new();
//! state.update(&engine, &|_, _| {}).unwrap();
//! let graph = state.graph(&engine).unwrap();
//! assert_eq!(graph.edges[0].derived.as_str(), "blog");
//! assert_eq!(graph.edges[0].source.as_str(), "wire");
//! assert_eq!(graph.clusters[0].original.as_str(), "wire");
//! ```
#![deny(missing_docs)]

pub mod cluster;
mod error;
pub mod eval;
pub mod export;
mod graph;
pub mod lineage;
pub mod pairs;
mod state;
pub mod summary;

pub use cluster::{transitive_components, Cluster};
pub use error::{GraphError, Result};
pub use graph::{derive, edge_changes, DerivationGraph};
pub use lineage::{BeyondCommon, Edge, NodeInfo};
pub use pairs::{ChangeCounts, EdgeRelation, PairBook, PairView, SentencePair};
pub use state::{state_path, GraphState, UpdateStats};
