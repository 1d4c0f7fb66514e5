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
//!   traced. [`GraphState::update`] traces only articles that are new or
//!   changed since the last update, plus their neighbours (whose candidate
//!   lists the newcomers may have entered), and replaces exactly the views
//!   those traces produced. The result is close to a full rebuild but not
//!   equal to it (0.968 of edges on the lineage test): candidates are a
//!   BM25 top-k cut over the whole corpus, so an old article whose list the
//!   newcomers changed without becoming its neighbours keeps its old views
//!   (`--rebuild` traces everything; docs/GRAPH.md);
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

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use unspun_article::ArticleId;
use unspun_changes::ChangeDetector;
use unspun_engine::{Engine, EngineError};
use unspun_store::StoreError;

pub mod cluster;
pub mod eval;
pub mod export;
pub mod lineage;
pub mod pairs;
pub mod summary;

pub use cluster::{transitive_components, Cluster};
pub use lineage::{Edge, NodeInfo};
pub use pairs::{ChangeCounts, EdgeRelation, PairBook, PairView, SentencePair};

/// Errors of graph building.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// The engine failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The saved graph state could not be read or written.
    #[error("graph state {path}: {message}")]
    State {
        /// The state file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// Result of graph operations.
pub type Result<T> = std::result::Result<T, GraphError>;

/// Format version of the saved state; a state of another version is
/// rebuilt from scratch.
const STATE_VERSION: u32 = 1;

/// Articles fetched from the store per round trip.
const FETCH_CHUNK: usize = 1000;

/// The incremental state of a corpus graph: the traced pair views and the
/// metadata of every article, as of the last update.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GraphState {
    version: u32,
    /// Every stored article, with the revision traced.
    nodes: BTreeMap<ArticleId, NodeInfo>,
    /// The pair views.
    book: PairBook,
}

/// What an update did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UpdateStats {
    /// Articles in the store.
    pub articles: usize,
    /// Articles new or changed since the last update (all on a first build).
    pub new_or_changed: usize,
    /// Articles traced again because a newcomer is among their neighbours.
    pub neighbours_retraced: usize,
    /// Unordered pairs in the book after the update.
    pub pairs: usize,
}

/// The derivation graph of a corpus.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DerivationGraph {
    /// Every article, by id.
    pub nodes: BTreeMap<ArticleId, NodeInfo>,
    /// `derived_from` edges, sorted by derived then source id.
    pub edges: Vec<Edge>,
    /// Independent coverage of the same story: unordered pairs with score.
    pub related: Vec<(ArticleId, ArticleId, f32)>,
    /// Story clusters of two or more articles, largest first.
    pub clusters: Vec<Cluster>,
}

impl DerivationGraph {
    /// The cluster containing `id`, if it is in one.
    pub fn cluster_of(&self, id: &ArticleId) -> Option<&Cluster> {
        self.clusters
            .iter()
            .find(|c| c.members.binary_search(id).is_ok())
    }

    /// The original each article leads to through its primary parents.
    pub fn originals(&self) -> BTreeMap<ArticleId, ArticleId> {
        cluster::roots(&self.nodes, &self.edges)
    }

    /// Sizes of the components transitive closure over every reuse and
    /// related pair would give, largest first (for comparison).
    pub fn closure_sizes(&self) -> Vec<usize> {
        transitive_components(
            &self.nodes,
            self.edges
                .iter()
                .map(|e| (e.derived.clone(), e.source.clone()))
                .chain(self.related.iter().map(|r| (r.0.clone(), r.1.clone()))),
        )
    }
}

impl GraphState {
    /// An empty state: the first update traces everything.
    pub fn new() -> GraphState {
        GraphState {
            version: STATE_VERSION,
            ..GraphState::default()
        }
    }

    /// Loads a saved state; an absent file, or one of another format
    /// version, gives an empty state (a full build).
    pub fn load(path: &Path) -> Result<GraphState> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(GraphState::new()),
            Err(e) => return Err(state_err(path, e)),
        };
        let state: GraphState = serde_json::from_slice(&bytes).map_err(|e| state_err(path, e))?;
        if state.version != STATE_VERSION {
            log::info!(
                "{}: state version {} is stale; rebuilding",
                path.display(),
                state.version
            );
            return Ok(GraphState::new());
        }
        Ok(state)
    }

    /// Saves the state atomically (write to a temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| state_err(path, e))?;
        }
        let tmp = path.with_extension("tmp");
        let file = std::fs::File::create(&tmp).map_err(|e| state_err(&tmp, e))?;
        let mut w = std::io::BufWriter::new(file);
        serde_json::to_writer(&mut w, self).map_err(|e| state_err(&tmp, e))?;
        use std::io::Write;
        w.flush().map_err(|e| state_err(&tmp, e))?;
        w.get_ref().sync_all().map_err(|e| state_err(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| state_err(path, e))?;
        Ok(())
    }

    /// Number of articles known.
    pub fn articles(&self) -> usize {
        self.nodes.len()
    }

    /// The pair views.
    pub fn book(&self) -> &PairBook {
        &self.book
    }

    /// Brings the state up to date with the engine's store: traces articles
    /// that are new or changed (a new revision) since the last update, then
    /// traces again their neighbours, whose candidate lists the newcomers
    /// may have entered. `progress(done, total)` is called from worker
    /// threads.
    pub fn update(
        &mut self,
        engine: &Engine,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<UpdateStats> {
        let store = engine.store();
        let keys = store.keys()?;
        let mut dirty: Vec<(unspun_store::ArticleKey, ArticleId)> = Vec::new();
        // Every stored id with its key: neighbours are looked up here
        // rather than asked of the store again.
        let mut key_of: BTreeMap<ArticleId, unspun_store::ArticleKey> = BTreeMap::new();
        for chunk in keys.chunks(FETCH_CHUNK) {
            for stored in store.get_many(chunk)? {
                let a = &stored.article;
                key_of.insert(a.id.clone(), stored.key);
                let known = self.nodes.get(&a.id).map(|n| n.revision);
                if known == Some(stored.revision) {
                    continue;
                }
                if known.is_some() {
                    // A replaced article: every view of it is stale.
                    self.book.forget_article(&a.id);
                }
                self.nodes.insert(
                    a.id.clone(),
                    NodeInfo {
                        id: a.id.clone(),
                        date: a.date,
                        source: a.source.clone(),
                        title: a.title.clone(),
                        // Filled in by the trace below.
                        sentences: 0,
                        revision: stored.revision,
                    },
                );
                dirty.push((stored.key, a.id.clone()));
            }
        }
        // Stores never delete, but a state may outlive a store it was not
        // made from: drop what the store no longer has.
        let gone: Vec<ArticleId> = self
            .nodes
            .keys()
            .filter(|id| !key_of.contains_key(*id))
            .cloned()
            .collect();
        for id in gone {
            self.nodes.remove(&id);
            self.book.forget_article(&id);
        }
        let first = self.book.is_empty();
        let dirty_ids: BTreeSet<ArticleId> = dirty.iter().map(|(_, id)| id.clone()).collect();
        let mut stats = UpdateStats {
            articles: self.nodes.len(),
            new_or_changed: dirty.len(),
            ..UpdateStats::default()
        };
        let neighbours_total = if first { 0 } else { dirty.len() };
        let total = dirty.len() + neighbours_total;
        let done = AtomicUsize::new(0);
        let traced = self.trace_keys(engine, &dirty, &done, total, progress)?;
        let mut neighbours: BTreeSet<ArticleId> = BTreeSet::new();
        for (id, sentences, views) in traced {
            if let Some(n) = self.nodes.get_mut(&id) {
                n.sentences = sentences;
            }
            if !first {
                neighbours.extend(views.iter().map(|v| v.other.clone()));
                neighbours.extend(self.book.partners(&id));
            }
            self.book.replace_traced(&id, views);
        }
        neighbours.retain(|n| !dirty_ids.contains(n) && self.nodes.contains_key(n));
        if !neighbours.is_empty() {
            let again: Vec<_> = neighbours
                .iter()
                .filter_map(|id| key_of.get(id).map(|&k| (k, id.clone())))
                .collect();
            stats.neighbours_retraced = again.len();
            let total = dirty.len() + again.len();
            let traced = self.trace_keys(engine, &again, &done, total, progress)?;
            for (id, _, views) in traced {
                self.book.replace_traced(&id, views);
            }
        }
        stats.pairs = self.book.len();
        Ok(stats)
    }

    fn trace_keys(
        &self,
        engine: &Engine,
        keys: &[(unspun_store::ArticleKey, ArticleId)],
        done: &AtomicUsize,
        total: usize,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Vec<(ArticleId, usize, Vec<PairView>)>> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(FETCH_CHUNK) {
            let ks: Vec<_> = chunk.iter().map(|(k, _)| *k).collect();
            let stored = engine.store().get_many(&ks)?;
            let traced: Vec<Result<(ArticleId, usize, Vec<PairView>)>> = stored
                .into_par_iter()
                .map(|s| {
                    let trace = engine.trace(s.article)?;
                    let me = &trace.article.article;
                    let views = trace.sources.iter().map(|m| PairView::of(me, m)).collect();
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                    Ok((me.id.clone(), trace.article.sentences.len(), views))
                })
                .collect();
            for t in traced {
                out.push(t?);
            }
        }
        Ok(out)
    }

    /// The derivation graph of the current state. Edges whose changes were
    /// not computed by a trace from the derived side (the pair was seen
    /// only from the original's side) get them computed here, once: they
    /// are remembered in the state until either article is traced again.
    pub fn graph(&mut self, engine: &Engine) -> Result<DerivationGraph> {
        let (candidates, mut related) = lineage::orient(&self.book, &self.nodes);
        let mut edges = lineage::choose_parents(candidates);
        for e in edges.iter_mut().filter(|e| e.changes.is_none()) {
            e.changes = self.book.computed_changes(&e.derived, &e.source).cloned();
        }
        for (d, s, c) in fill_changes(engine, &mut edges)? {
            self.book.remember_changes(&d, &s, c);
        }
        related.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        let clusters = cluster::clusters(&self.nodes, &edges, &related);
        Ok(DerivationGraph {
            nodes: self.nodes.clone(),
            edges,
            related,
            clusters,
        })
    }
}

/// Computes the changes of edges that lack them, from the derived side;
/// returns what it computed.
fn fill_changes(
    engine: &Engine,
    edges: &mut [Edge],
) -> Result<Vec<(ArticleId, ArticleId, ChangeCounts)>> {
    let missing: Vec<usize> = (0..edges.len())
        .filter(|&i| edges[i].changes.is_none())
        .collect();
    let mut out = Vec::new();
    if missing.is_empty() {
        return Ok(out);
    }
    let detector = ChangeDetector::new();
    let store = engine.store();
    let computed: Vec<Result<(usize, Option<ChangeCounts>)>> = missing
        .par_iter()
        .map(|&i| {
            let e = &edges[i];
            let (Some(dk), Some(sk)) = (store.key_of(&e.derived)?, store.key_of(&e.source)?) else {
                return Ok((i, None));
            };
            let mut got = store.get_many(&[dk, sk])?;
            if got.len() != 2 {
                return Ok((i, None));
            }
            let s = got.pop().expect("two");
            let d = got.pop().expect("two");
            let derived = engine.analyze(d.article);
            let source = engine.analyze(s.article);
            let rarity = engine.rarity([&derived, &source].into_iter())?;
            Ok((
                i,
                engine
                    .judge(&derived, source, Some(&rarity))
                    .map(|m| ChangeCounts::of(&detector.detect(&derived, &m.source, &m.alignment))),
            ))
        })
        .collect();
    for c in computed {
        let (i, counts) = c?;
        if let Some(c) = &counts {
            out.push((edges[i].derived.clone(), edges[i].source.clone(), c.clone()));
        }
        edges[i].changes = counts;
    }
    Ok(out)
}

fn state_err(path: &Path, e: impl std::fmt::Display) -> GraphError {
    GraphError::State {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}
