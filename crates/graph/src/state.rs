//! The incremental state of a corpus graph: what it holds, how it is
//! saved and loaded, and the graph derived from it. Bringing it up to date
//! with the store is in `state/update.rs`, tracing the articles for it in
//! `state/trace.rs`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use unspun_article::ArticleId;
use unspun_engine::{Engine, Retrieval};
use unspun_store::FrozenStats;

use crate::error::{GraphError, Result};
use crate::graph::{derive, fill_changes, DerivationGraph};
use crate::lineage::NodeInfo;
use crate::pairs::PairBook;

mod trace;
mod update;

pub use update::UpdateStats;

/// Where the graph's incremental state is kept, inside the store
/// directory `store`: `unspun graph` saves it there, `unspun serve` reads it.
pub fn state_path(store: &std::path::Path) -> std::path::PathBuf {
    store.join("graph").join("state.json")
}

/// Format version of the saved state; a state of another version is
/// rebuilt from scratch. 3: a retrieval keeps the residual query, the hits
/// its cut took (`unspun_engine::cut`) and the floor of their pool. 4: a
/// pair view's sentence pairs keep their information (the sibling rule).
/// 5: the state names the similarity mode its traces used.
const STATE_VERSION: u32 = 5;

/// The incremental state of a corpus graph: the corpus statistics every
/// trace used, the traced pair views, how each article's candidates were
/// found, and the metadata of every article, as of the last update.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GraphState {
    version: u32,
    /// The statistics all traces of this state were made with (none before
    /// the first update).
    stats: Option<FrozenStats>,
    /// The similarity mode every trace of this state used
    /// ([`unspun_engine::Mode::as_str`]; none before the first update). An
    /// update by an engine of another mode traces everything again, so the
    /// pair views never mix two modes' judgements (`unspun graph`, the
    /// server and the Python `Store.graph` may run in different modes on
    /// one store). The changes of an edge that no trace computed are
    /// computed by the engine that derives the graph ([`GraphState::graph`]).
    mode: Option<String>,
    /// Every stored article, with the revision traced.
    nodes: BTreeMap<ArticleId, NodeInfo>,
    /// How each article's trace found its candidates.
    retrieved: BTreeMap<ArticleId, Retrieval>,
    /// The pair views.
    book: PairBook,
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

    /// An empty state that keeps this state's corpus statistics and mode:
    /// its first update traces everything again, exactly as this state's
    /// updates did (`unspun graph --rebuild`). What an incremental update
    /// must equal. (An update by an engine of another mode says so in
    /// [`UpdateStats::mode_changed`].)
    pub fn rebuild(&self) -> GraphState {
        GraphState {
            stats: self.stats.clone(),
            mode: self.mode.clone(),
            ..GraphState::new()
        }
    }

    /// The corpus statistics the traces use, once the first update took
    /// them.
    pub fn statistics(&self) -> Option<&FrozenStats> {
        self.stats.as_ref()
    }

    /// The similarity mode the traces use (`lexical`, `static` or
    /// `minilm`), once the first update set it.
    pub fn mode(&self) -> Option<&str> {
        self.mode.as_deref()
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

fn state_err(path: &Path, e: impl std::fmt::Display) -> GraphError {
    GraphError::State {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}
