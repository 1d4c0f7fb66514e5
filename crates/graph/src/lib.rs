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

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use unspun_article::ArticleId;
use unspun_changes::{ChangeDetector, ChangeType};
use unspun_engine::{Engine, EngineError, Retrieval, Statistics};
use unspun_store::{ArticleKey, FrozenStats, StoreError};

pub mod cluster;
pub mod eval;
pub mod export;
pub mod lineage;
pub mod pairs;
pub mod summary;

/// Where the graph's incremental state is kept, inside the store
/// directory `store`: `unspun graph` saves it there, `unspun serve` reads it.
pub fn state_path(store: &std::path::Path) -> std::path::PathBuf {
    store.join("graph").join("state.json")
}

pub use cluster::{transitive_components, Cluster};
pub use lineage::{BeyondCommon, Edge, NodeInfo};
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
    /// Articles listed at the start of an update were gone when read
    /// (stores never delete, so another program changed the store).
    #[error("{0} article(s) vanished from the store during the graph update")]
    Vanished(usize),
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
/// rebuilt from scratch. 3: a retrieval keeps the residual query, the hits
/// its cut took (`unspun_engine::cut`) and the floor of their pool. 4: a
/// pair view's sentence pairs keep their information (the sibling rule).
const STATE_VERSION: u32 = 4;

/// What looking an older article's candidates up again found.
enum Looked {
    /// The same candidates: the new retrieval, to keep.
    Same(ArticleId, Retrieval),
    /// Other candidates: trace it again.
    Retrace(TraceJob),
}

/// Articles fetched from the store per round trip.
const FETCH_CHUNK: usize = 1000;

/// The statistics are taken again (and everything traced again) once the
/// store holds more than this many times the articles they counted: by
/// then IDF weights of new vocabulary are stale. Doubling keeps the cost
/// of these rebuilds amortised to a constant per article.
const REFRESH_GROWTH: u64 = 2;

/// Relative slack on a newcomer's BM25 score as computed here: tantivy
/// sums in f32 in its own order, so its score may differ in the last bits.
const SCORE_SLACK: f32 = 1e-3;

/// The incremental state of a corpus graph: the corpus statistics every
/// trace used, the traced pair views, how each article's candidates were
/// found, and the metadata of every article, as of the last update.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GraphState {
    version: u32,
    /// The statistics all traces of this state were made with (none before
    /// the first update).
    stats: Option<FrozenStats>,
    /// Every stored article, with the revision traced.
    nodes: BTreeMap<ArticleId, NodeInfo>,
    /// How each article's trace found its candidates.
    retrieved: BTreeMap<ArticleId, Retrieval>,
    /// The pair views.
    book: PairBook,
}

/// What an update did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UpdateStats {
    /// Articles in the store.
    pub articles: usize,
    /// Articles new or changed since the last update (all on a full build).
    pub new_or_changed: usize,
    /// Older articles whose candidates a newcomer might have entered, whose
    /// candidates were therefore looked up again.
    pub rechecked: usize,
    /// Of those, the articles whose candidates did change, traced again.
    pub retraced: usize,
    /// Whether the corpus statistics were taken afresh, which traces
    /// everything (first build, `rebuild` with new statistics, or a store
    /// grown past twice the size the statistics counted).
    pub statistics_refreshed: bool,
    /// Unordered pairs in the book after the update.
    pub pairs: usize,
}

/// One article traced for the graph: its id, sentence count, views, how
/// its candidates were found, and, for a newcomer, its index terms with
/// counts, length and band keys (to find the older articles whose
/// candidates it may enter).
struct Traced {
    id: ArticleId,
    sentences: usize,
    views: Vec<PairView>,
    retrieval: Retrieval,
    terms: Vec<(String, u32)>,
    length: u32,
    bands: Vec<u64>,
}

/// An article to trace: all its candidates, or (`known`) only those its
/// last trace did not judge.
struct TraceJob {
    key: ArticleKey,
    known: Option<HashSet<ArticleKey>>,
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
    /// An empty state: the first update takes the corpus statistics and
    /// traces everything.
    pub fn new() -> GraphState {
        GraphState {
            version: STATE_VERSION,
            ..GraphState::default()
        }
    }

    /// An empty state that keeps this state's corpus statistics: its first
    /// update traces everything again, exactly as this state's updates did
    /// (`unspun graph --rebuild`). What an incremental update must equal.
    pub fn rebuild(&self) -> GraphState {
        GraphState {
            stats: self.stats.clone(),
            ..GraphState::new()
        }
    }

    /// The corpus statistics the traces use, once the first update took
    /// them.
    pub fn statistics(&self) -> Option<&FrozenStats> {
        self.stats.as_ref()
    }

    /// Loads a saved state; an absent file, or one of another format
    /// version, gives an empty state (a full build).
    pub fn load(path: &Path) -> Result<GraphState> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(GraphState::new()),
            Err(e) => return Err(state_err(path, e)),
        };
        // Read the version alone first: a state of another version may not
        // parse as this one.
        #[derive(Deserialize)]
        struct Version {
            #[serde(default)]
            version: u32,
        }
        let version: Version = serde_json::from_slice(&bytes).map_err(|e| state_err(path, e))?;
        if version.version != STATE_VERSION {
            log::info!(
                "{}: state version {} is stale; rebuilding",
                path.display(),
                version.version
            );
            return Ok(GraphState::new());
        }
        serde_json::from_slice(&bytes).map_err(|e| state_err(path, e))
    }

    /// Brings the state saved at `path` up to date with the store (new and
    /// changed articles traced, `progress` told of each), derives the
    /// graph and saves the state again: `unspun graph` without options.
    pub fn update_saved(
        path: &Path,
        engine: &Engine,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<DerivationGraph> {
        let mut state = GraphState::load(path)?;
        state.update(engine, progress)?;
        let graph = state.graph(engine)?;
        state.save(path)?;
        Ok(graph)
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

    /// Brings the state up to date with the engine's store, so that the
    /// result equals a [`GraphState::rebuild`] on the same store.
    ///
    /// Every trace uses the state's frozen corpus statistics, so whether an
    /// article finds another, and how the pair is judged, depend on the two
    /// articles alone. An update then traces the articles that are new or
    /// changed (a new revision), and of the older articles exactly those
    /// whose candidate list a newcomer enters: an older article is looked
    /// up again when a newcomer shares one of its MinHash bands, or would
    /// score (BM25 over its stored queries, computed as the search does) at
    /// least as high as its last BM25 hit, or as the last hit of its
    /// residual query's pool (the hits that query's cut chose from); it is
    /// traced again only if its
    /// candidates did change, and then against the new candidates only.
    /// Everything else a trace depends on is unchanged, so its views are
    /// what a rebuild would produce.
    ///
    /// The first update, and one that finds the store grown past twice the
    /// articles the statistics counted, takes the statistics afresh and
    /// traces everything. `progress(done, total)` is called from worker
    /// threads.
    pub fn update(
        &mut self,
        engine: &Engine,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<UpdateStats> {
        let store = engine.store();
        let keys = store.keys()?;
        let mut refresh = match &self.stats {
            None => true,
            Some(s) => keys.len() as u64 > REFRESH_GROWTH * s.docs().max(1),
        };
        loop {
            if refresh {
                *self = GraphState {
                    stats: Some(store.frozen_stats()?),
                    ..GraphState::new()
                };
            }
            // Taken out for the update so that the rest of the state can
            // change while traces read it; put back whatever happens.
            let stats = self.stats.take().expect("statistics are set above");
            let result = self.update_with(engine, &keys, &stats, progress);
            self.stats = Some(stats);
            match result? {
                Some(mut done) => {
                    done.statistics_refreshed = refresh;
                    return Ok(done);
                }
                None if !refresh => {
                    log::info!(
                        "the graph state knows articles the store does not have; rebuilding"
                    );
                    refresh = true;
                }
                None => unreachable!("a fresh state knows no article"),
            }
        }
    }

    fn update_with(
        &mut self,
        engine: &Engine,
        keys: &[ArticleKey],
        stats: &FrozenStats,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Option<UpdateStats>> {
        let store = engine.store();
        let mut dirty: Vec<(ArticleKey, ArticleId)> = Vec::new();
        let mut replaced: BTreeSet<ArticleKey> = BTreeSet::new();
        // Every stored id with its key, both ways.
        let mut key_of: BTreeMap<ArticleId, ArticleKey> = BTreeMap::new();
        let mut id_of: HashMap<ArticleKey, ArticleId> = HashMap::new();
        for chunk in keys.chunks(FETCH_CHUNK) {
            for stored in store.get_many(chunk)? {
                let a = &stored.article;
                key_of.insert(a.id.clone(), stored.key);
                id_of.insert(stored.key, a.id.clone());
                let known = self.nodes.get(&a.id).map(|n| n.revision);
                if known == Some(stored.revision) {
                    continue;
                }
                if known.is_some() {
                    // A replaced article: every view of it is stale.
                    self.book.forget_article(&a.id);
                    replaced.insert(stored.key);
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
        // Stores never delete; a state that knows articles the store does
        // not have was made from another store, and nothing of it holds,
        // its statistics included: the caller starts afresh.
        if self.nodes.keys().any(|id| !key_of.contains_key(id)) {
            return Ok(None);
        }
        let first = self.retrieved.is_empty();
        let dirty_ids: BTreeSet<ArticleId> = dirty.iter().map(|(_, id)| id.clone()).collect();
        let mut out = UpdateStats {
            articles: self.nodes.len(),
            new_or_changed: dirty.len(),
            ..UpdateStats::default()
        };
        let done = AtomicUsize::new(0);
        let jobs: Vec<TraceJob> = dirty
            .iter()
            .map(|(key, _)| TraceJob {
                key: *key,
                known: None,
            })
            .collect();
        let traced = trace_keys(engine, stats, &jobs, &done, dirty.len(), progress)?;

        // The older articles whose candidates a newcomer may enter.
        let mut suspects: BTreeSet<ArticleId> = BTreeSet::new();
        if !first {
            // Each term of each older article's queries: (article, whether
            // the residual query, boost).
            let mut by_term: HashMap<&str, Vec<(&ArticleId, bool, f32)>> = HashMap::new();
            for (id, r) in &self.retrieved {
                if dirty_ids.contains(id) {
                    continue;
                }
                // Replaced articles were candidates under their old text.
                if r.candidates().iter().any(|k| replaced.contains(k)) {
                    suspects.insert(id.clone());
                }
                for (t, boost) in &r.query {
                    by_term
                        .entry(t.as_str())
                        .or_default()
                        .push((id, false, *boost));
                }
                for (t, boost) in &r.residual_query {
                    by_term
                        .entry(t.as_str())
                        .or_default()
                        .push((id, true, *boost));
                }
            }
            for t in &traced {
                // The newcomer's BM25 score for each older article's query,
                // as the search would compute it.
                let mut score: HashMap<(&ArticleId, bool), f32> = HashMap::new();
                for (term, tf) in &t.terms {
                    for &(id, residual, boost) in by_term.get(term.as_str()).into_iter().flatten() {
                        *score.entry((id, residual)).or_insert(0.0) +=
                            stats.bm25_term_score(term, boost, *tf, t.length);
                    }
                }
                for ((id, residual), b) in score {
                    let r = &self.retrieved[id];
                    // The residual query's cut is by time among its pool,
                    // so entering its pool is what counts.
                    let (full, last) = if residual {
                        (r.residual_full, r.residual_floor)
                    } else {
                        (r.bm25_full, r.bm25.last().map(|h| h.1))
                    };
                    let enters = match (full, last) {
                        (true, Some(last)) => b * (1.0 + SCORE_SLACK) >= last,
                        _ => true,
                    };
                    if enters {
                        suspects.insert(id.clone());
                    }
                }
                if !t.bands.is_empty() {
                    for (k, _) in
                        store.band_matches(&t.bands, usize::MAX, key_of.get(&t.id).copied())?
                    {
                        if let Some(id) = id_of.get(&k) {
                            if !dirty_ids.contains(id) {
                                suspects.insert(id.clone());
                            }
                        }
                    }
                }
            }
        }
        for t in traced {
            self.record(t);
        }
        if suspects.is_empty() {
            out.pairs = self.book.len();
            return Ok(Some(out));
        }

        // Look their candidates up again; trace again those that changed.
        out.rechecked = suspects.len();
        let suspects: Vec<(ArticleKey, ArticleId)> =
            suspects.into_iter().map(|id| (key_of[&id], id)).collect();
        // A changed article is traced against its new candidates only:
        // what its last trace said of the others still holds, since a
        // pair's judgement depends on the pair alone (replaced articles
        // excepted: their text changed).
        // An article whose candidates are the same set keeps its trace (a
        // trace depends on the set, not on its order or the scores) and
        // takes the new retrieval, whose pools' floors may have moved.
        let mut changed: Vec<TraceJob> = Vec::new();
        let mut same: Vec<(ArticleId, Retrieval)> = Vec::new();
        for chunk in suspects.chunks(FETCH_CHUNK) {
            let ks: Vec<_> = chunk.iter().map(|(k, _)| *k).collect();
            let looked: Vec<Result<Looked>> = store
                .get_many(&ks)?
                .into_par_iter()
                .map(|s| {
                    let id = s.article.id.clone();
                    let before = self.retrieved.get(&id);
                    let analyzed = engine.analyze(s.article);
                    let now = engine.retrieve(&analyzed, Some(s.key), Statistics::Frozen(stats))?;
                    let forced = now.candidates().iter().any(|k| replaced.contains(k));
                    let set = |r: &Retrieval| {
                        let mut c = r.candidates();
                        c.sort_unstable();
                        c
                    };
                    if !forced && before.is_some_and(|b| set(b) == set(&now)) {
                        return Ok(Looked::Same(id, now));
                    }
                    let known: HashSet<ArticleKey> = before
                        .map(|b| b.candidates())
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|k| !replaced.contains(k))
                        .collect();
                    Ok(Looked::Retrace(TraceJob {
                        key: s.key,
                        known: Some(known),
                    }))
                })
                .collect();
            for l in looked {
                match l? {
                    Looked::Same(id, r) => same.push((id, r)),
                    Looked::Retrace(job) => changed.push(job),
                }
            }
        }
        for (id, r) in same {
            self.retrieved.insert(id, r);
        }
        out.retraced = changed.len();
        let total = dirty.len() + changed.len();
        for (job, mut t) in changed
            .iter()
            .zip(trace_keys(engine, stats, &changed, &done, total, progress)?)
        {
            // Keep the views of candidates that are still candidates and
            // were judged before.
            let still: HashSet<ArticleKey> = t.retrieval.candidates().into_iter().collect();
            let known = job
                .known
                .as_ref()
                .expect("retrace jobs know their candidates");
            let kept = self.book.views_traced_by(&t.id).into_iter().filter(|v| {
                key_of
                    .get(&v.other)
                    .is_some_and(|k| known.contains(k) && still.contains(k))
            });
            t.views.extend(kept.cloned().collect::<Vec<_>>());
            self.record(t);
        }
        out.pairs = self.book.len();
        Ok(Some(out))
    }

    /// Puts one trace into the state.
    fn record(&mut self, t: Traced) {
        if let Some(n) = self.nodes.get_mut(&t.id) {
            n.sentences = t.sentences;
        }
        self.book.replace_traced(&t.id, t.views);
        self.retrieved.insert(t.id, t.retrieval);
    }

    /// The derivation graph of the current state. Edges whose changes were
    /// not computed by a trace from the derived side (the pair was seen
    /// only from the original's side) get them computed here, once: they
    /// are remembered in the state until either article is traced again.
    pub fn graph(&mut self, engine: &Engine) -> Result<DerivationGraph> {
        let stats = self.stats.as_ref();
        let mut computed = Vec::new();
        let graph = derive(&self.book, &self.nodes, &mut |edges| {
            computed = fill_changes(engine, stats, edges)?;
            Ok(())
        })?;
        for (d, s, c) in computed {
            self.book.remember_changes(&d, &s, c);
        }
        Ok(graph)
    }
}

/// The derivation graph of a pair book and the article metadata: a pure
/// function of the two ([`GraphState::graph`] over a state's book, the
/// Spark job over one connected component's views). Edges whose changes
/// no trace from the derived side computed take those the book remembers;
/// `fill` is given the edges still without, to compute them.
pub fn derive(
    book: &PairBook,
    nodes: &BTreeMap<ArticleId, NodeInfo>,
    fill: &mut dyn FnMut(&mut [Edge]) -> Result<()>,
) -> Result<DerivationGraph> {
    let (candidates, mut related) = lineage::orient(book, nodes);
    let mut edges = lineage::choose_parents(candidates);
    for e in edges.iter_mut().filter(|e| e.changes.is_none()) {
        e.changes = book.computed_changes(&e.derived, &e.source).cloned();
    }
    fill(&mut edges)?;
    for e in &mut edges {
        // A mention of the source's outlet is not always a credit for
        // the story ("texts reviewed by Reuters"): where the trace's
        // attribution check found the credit missing, so does the edge,
        // so that the graph and `trace` say the same.
        let missing = e
            .changes
            .as_ref()
            .and_then(|c| c.by_type.get(ChangeType::AttributionMissing.as_str()))
            .is_some_and(|n| *n > 0);
        if missing {
            e.credited = false;
        }
    }
    related.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let clusters = cluster::clusters(nodes, &edges, &related);
    Ok(DerivationGraph {
        nodes: nodes.clone(),
        edges,
        related,
        clusters,
    })
}

/// The changes of `derived` relative to `source` for an edge whose
/// changes no trace from the derived side computed: the pair judged from
/// the derived side (lexically, with the pair's rarity under `stats` when
/// frozen; each article with its key) and its changes counted.
pub fn edge_changes(
    engine: &Engine,
    (derived, derived_key): (&unspun_align::AnalyzedArticle, ArticleKey),
    (source, source_key): (unspun_align::AnalyzedArticle, ArticleKey),
    stats: Option<&FrozenStats>,
) -> Result<Option<ChangeCounts>> {
    let rarity = match stats {
        Some(f) => engine.frozen_rarity(
            &[(derived, Some(derived_key)), (&source, Some(source_key))],
            f,
        ),
        None => engine.rarity([derived, &source].into_iter())?,
    };
    let detector = ChangeDetector::new();
    Ok(engine
        .judge(derived, source, Some(&rarity))
        .map(|m| ChangeCounts::of(&detector.detect(derived, &m.source, &m.alignment))))
}

/// Runs `jobs` with `stats`, in parallel; one result per job, in order.
fn trace_keys(
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

/// Computes the changes of edges that lack them, from the derived side;
/// returns what it computed.
fn fill_changes(
    engine: &Engine,
    stats: Option<&FrozenStats>,
    edges: &mut [Edge],
) -> Result<Vec<(ArticleId, ArticleId, ChangeCounts)>> {
    let missing: Vec<usize> = (0..edges.len())
        .filter(|&i| edges[i].changes.is_none())
        .collect();
    let mut out = Vec::new();
    if missing.is_empty() {
        return Ok(out);
    }
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
            Ok((
                i,
                edge_changes(engine, (&derived, dk), (source, sk), stats)?,
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
