//! `unspun graph`: the derivation graph of the store.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use unspun_article::ArticleId;
use unspun_engine::{EngineBuilder, Mode};
use unspun_graph::summary::{outlet_summary, render_summary};
use unspun_graph::{DerivationGraph, EdgeRelation, GraphState};
use unspun_store::EmbeddedStore;

use crate::models::{change_detector, load_semantics};

/// What `unspun graph` does and writes.
pub struct GraphOptions {
    /// `--model`: the traces' similarity mode; `None` keeps the saved
    /// state's, else lexical.
    pub model: Option<String>,
    /// Where the models are (embedders, WordNet).
    pub models: PathBuf,
    /// Trace every article again, with the saved corpus statistics.
    pub rebuild: bool,
    /// Take the corpus statistics afresh, and trace every article again.
    pub refresh_statistics: bool,
    /// Write edges, related pairs and clusters as JSON Lines here (`-`: stdout).
    pub jsonl: Option<PathBuf>,
    /// Write GraphML here.
    pub graphml: Option<PathBuf>,
    /// Write Graphviz DOT here.
    pub dot: Option<PathBuf>,
    /// Restrict GraphML and DOT to the story of this article.
    pub story: Option<String>,
    /// Print the per-outlet summary as JSON instead of a table.
    pub json: bool,
}

pub use unspun_graph::state_path;

pub fn graph(dir: &Path, store: Arc<EmbeddedStore>, opts: GraphOptions) -> Result<ExitCode> {
    let path = state_path(dir);
    // The saved state, and the mode it was built in. `--refresh-statistics`
    // starts afresh: it reads the saved state only for its mode (when no
    // `--model` is given), and one that cannot be read does not stop it, so
    // it stays the way out of a damaged state file. A state rebuilt is
    // dropped before the traces start, not kept beside the new one.
    let (mut state, saved_mode) = if opts.refresh_statistics {
        let saved_mode = match &opts.model {
            Some(_) => None,
            None => match GraphState::load(&path) {
                Ok(saved) => saved.mode().map(str::to_owned),
                Err(e) => {
                    eprintln!("note: {e}; starting afresh");
                    None
                }
            },
        };
        (GraphState::new(), saved_mode)
    } else {
        let saved = GraphState::load(&path)?;
        let saved_mode = saved.mode().map(str::to_owned);
        let state = if opts.rebuild { saved.rebuild() } else { saved };
        (state, saved_mode)
    };
    let mode: Mode = match opts.model.as_deref().or(saved_mode.as_deref()) {
        Some(m) => m.parse().map_err(anyhow::Error::msg)?,
        None => Mode::Lexical,
    };
    let mode_changed = saved_mode.as_deref().is_some_and(|m| m != mode.as_str());
    let semantics = load_semantics(mode, &opts.models).with_context(|| {
        format!(
            "graph in {} mode: cannot load the models from {} (run scripts/setup.sh, or pass \
             --model lexical)",
            mode.as_str(),
            opts.models.display()
        )
    })?;
    let engine = EngineBuilder::new(store)
        .semantics(semantics)
        .change_detector(change_detector(&opts.models, None, false)?)
        .build();
    let engine = &engine;
    // The update reports its own total (new articles plus those traced
    // again).
    let pb = crate::progress_bar(
        0,
        "{bar:40} {pos}/{len} articles traced ({per_sec}, eta {eta})",
    );
    let stats = state.update(engine, &|done, all| {
        pb.set_length(all as u64);
        pb.set_position(done as u64);
    })?;
    pb.finish_and_clear();
    let graph = state.graph(engine)?;
    state
        .save(&path)
        .with_context(|| format!("saving the graph state to {}", path.display()))?;
    eprintln!(
        "graph ({} mode): {} articles, {} new or changed traced, {} older ones looked up again \
         and {} of them traced again, {} pairs{}{}",
        stats.mode,
        stats.articles,
        stats.new_or_changed,
        stats.rechecked,
        stats.retraced,
        stats.pairs,
        if stats.statistics_refreshed {
            " (corpus statistics taken afresh)"
        } else {
            ""
        },
        if mode_changed {
            " (the saved graph was of another mode: everything traced again)"
        } else {
            ""
        }
    );

    let story = match &opts.story {
        Some(id) => {
            let id = ArticleId::new(id.as_str()).context("invalid --story id")?;
            anyhow::ensure!(
                graph.nodes.contains_key(&id),
                "no article with id {:?} in the store",
                id.as_str()
            );
            Some(graph.story_of(&id))
        }
        None => None,
    };
    let view = story.as_ref().unwrap_or(&graph);
    let mut wrote_stdout = false;
    if let Some(p) = &opts.jsonl {
        wrote_stdout |= write_to(p, |w| view.write_jsonl(w))?;
    }
    if let Some(p) = &opts.graphml {
        wrote_stdout |= write_to(p, |w| view.write_graphml(w))?;
    }
    if let Some(p) = &opts.dot {
        wrote_stdout |= write_to(p, |w| view.write_dot(w))?;
    }
    if !wrote_stdout {
        let mut out = std::io::stdout().lock();
        let lines = outlet_summary(view);
        if opts.json {
            serde_json::to_writer_pretty(
                &mut out,
                &serde_json::json!({
                    "mode": engine.mode().as_str(),
                    "articles": view.nodes.len(),
                    "edges": view.edges.len(),
                    "edges_by_relation": by_relation(view),
                    "clusters": view.clusters.len(),
                    "largest_cluster": view.clusters.first().map_or(0, |c| c.members.len()),
                    "largest_transitive_component": view.closure_sizes().first().copied().unwrap_or(0),
                    "outlets": lines,
                }),
            )?;
            writeln!(out)?;
        } else {
            write!(out, "{}", overview(view))?;
            writeln!(out)?;
            write!(out, "{}", render_summary(&lines))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn by_relation(g: &DerivationGraph) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for e in &g.edges {
        *m.entry(e.relation.as_str()).or_default() += 1;
    }
    m
}

/// A few lines on the whole graph.
pub fn overview(g: &DerivationGraph) -> String {
    let rel = by_relation(g);
    let uncertain = g.edges.iter().filter(|e| !e.direction_certain).count();
    let second_hand = g.edges.iter().filter(|e| !e.via.is_empty()).count();
    let closure = g.closure_sizes();
    let mut s = format!(
        "{} articles; {} derived_from edges ({} copy, {} rewrite, {} partial), {} with uncertain direction, {} second-hand; {} related pairs\n",
        g.nodes.len(),
        g.edges.len(),
        rel.get(EdgeRelation::Copy.as_str()).unwrap_or(&0),
        rel.get(EdgeRelation::Rewrite.as_str()).unwrap_or(&0),
        rel.get(EdgeRelation::Partial.as_str()).unwrap_or(&0),
        uncertain,
        second_hand,
        g.related.len(),
    );
    s.push_str(&format!(
        "{} stories of two or more articles (largest {}); transitive closure would give {} (largest {})\n",
        g.clusters.len(),
        g.clusters.first().map_or(0, |c| c.members.len()),
        closure.len(),
        closure.first().copied().unwrap_or(0),
    ));
    s
}

/// Writes with `f` to `path`, or to stdout for `-`; says whether it was stdout.
fn write_to(path: &Path, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<bool> {
    if path.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        f(&mut out)?;
        out.flush()?;
        return Ok(true);
    }
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = BufWriter::new(file);
    f(&mut w).with_context(|| format!("writing {}", path.display()))?;
    w.flush()?;
    Ok(false)
}
