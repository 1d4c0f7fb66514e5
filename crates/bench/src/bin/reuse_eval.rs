//! `reuse-eval`: scores unspun's pair judgements on real news against the
//! labelled candidate pairs of `../shared/data/reuse-labels/` (issue 14).
//!
//! The store holds the whole BBC News + Reuters-21578 corpus (19,159
//! articles with a body), ingested on first use into `--store`. Then:
//!
//! - **trace**: every article of a labelled pair is traced (`Engine::trace_id`,
//!   live statistics, as `unspun trace --id`); a pair is called reuse when
//!   either trace lists the other article as a `copy`, `rewrite` or `partial`
//!   source. The relation reported is the stronger of the two traces'.
//! - **graph** (`--graph`): the derivation graph of the whole store
//!   (`unspun-graph`, as `unspun graph`); a pair is called reuse when an edge
//!   joins its two articles. Also reported: the number of edges and of
//!   articles the graph calls derived.
//!
//! Scores: precision and recall of reuse (labels `copy`, `same-story`,
//! `passage` are reuse; `template`, `topic`, `unrelated` are not), per label
//! and per relation unspun gave, and the share of `template` pairs judged
//! not derived. `--relabel FILE` applies corrections (one JSON object a
//! line, `{pair, label, why}`) made after reading both texts; the README of
//! the results says which. `--limit N` scores only the first N pairs (the
//! fast subset the tests run). `--write FILE` writes the Markdown report.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;
use rayon::prelude::*;
use serde_json::Value;
use unspun_align::Relation;
use unspun_article::ArticleId;
use unspun_engine::EngineBuilder;
use unspun_graph::{EdgeRelation, GraphState};

#[derive(Parser)]
#[command(about = "Scores unspun's reuse judgements against reuse-labels")]
struct Args {
    /// The shared data directory.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// The store holding BBC News + Reuters-21578 (ingested when empty).
    #[arg(long, default_value = "bench/out/reuse-store")]
    store: PathBuf,
    /// Similarity mode: lexical, static or minilm.
    #[arg(long, default_value = "static")]
    model: String,
    /// Also build the derivation graph of the whole store and score it.
    #[arg(long)]
    graph: bool,
    /// Score only the first N pairs.
    #[arg(long)]
    limit: Option<usize>,
    /// Corrections to single labels, made by reading both texts.
    #[arg(long)]
    relabel: Option<PathBuf>,
    /// Write the Markdown report here.
    #[arg(long)]
    write: Option<PathBuf>,
    /// Print every pair unspun gets wrong (id, label, relation, why).
    #[arg(long)]
    errors: bool,
    /// Print one JSON object per pair (the verdicts) to this file.
    #[arg(long)]
    verdicts: Option<PathBuf>,
}

/// One labelled pair.
struct Pair {
    pair: u64,
    label: String,
    reuse: bool,
    why: String,
    proposed_as: String,
    a: ArticleId,
    b: ArticleId,
}

/// What unspun said of a pair: the strongest relation of either trace (or
/// edge), `None` when neither lists the other.
#[derive(Clone, Copy, Default)]
struct Verdict {
    trace: Option<Relation>,
    graph: Option<Relation>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    // The commit is read before the long run: the tree may move meanwhile.
    let commit = unspun_bench::commit();
    let mut pairs = load_pairs(&args.data.join("reuse-labels/pairs.jsonl"))?;
    if let Some(path) = &args.relabel {
        relabel(&mut pairs, path)?;
    }
    if let Some(n) = args.limit {
        pairs.truncate(n);
    }
    let store = unspun_bench::news_store::open(&args.store, &args.data)?;
    let engine = EngineBuilder::new(store.clone())
        .semantics(unspun_bench::semantics(&args.model)?)
        .build();

    // Trace every article of a pair once.
    let ids: BTreeSet<ArticleId> = pairs
        .iter()
        .flat_map(|p| [p.a.clone(), p.b.clone()])
        .collect();
    let t0 = Instant::now();
    let traced: HashMap<ArticleId, Vec<(ArticleId, Relation, Value)>> = ids
        .par_iter()
        .map(|id| -> Result<_> {
            let trace = engine
                .trace_id(id)
                .with_context(|| format!("tracing {id}"))?;
            let sources = trace
                .sources
                .iter()
                .map(|s| {
                    let features = serde_json::json!({
                        "spec": s.specificity,
                        "coverage": s.alignment.coverage(),
                        "source_coverage": s.alignment.source_coverage(),
                        "groups": s.alignment.groups.len(),
                        "literal": s.alignment.groups.iter().filter(|g| matches!(g.kind, unspun_align::MatchKind::Verbatim | unspun_align::MatchKind::Edited)).count(),
                        "info": s.alignment.info(),
                        "score": s.score,
                    });
                    (s.source.article.id.clone(), s.relation, features)
                })
                .collect();
            Ok((id.clone(), sources))
        })
        .collect::<Result<_>>()?;
    let trace_s = t0.elapsed().as_secs_f64();
    let mut verdicts: Vec<Verdict> = pairs
        .iter()
        .map(|p| Verdict {
            trace: strongest(
                [(&p.a, &p.b), (&p.b, &p.a)]
                    .into_iter()
                    .filter_map(|(x, y)| traced[x].iter().find(|s| &s.0 == y).map(|s| s.1)),
            ),
            graph: None,
        })
        .collect();

    let mut graph_line = String::new();
    if args.graph {
        let t0 = Instant::now();
        let mut state = GraphState::new();
        state.update(&engine, &|_, _| {})?;
        let graph = state.graph(&engine)?;
        let edges: HashMap<(ArticleId, ArticleId), Relation> = graph
            .edges
            .iter()
            .map(|e| {
                let relation = match e.relation {
                    EdgeRelation::Copy => Relation::Copy,
                    EdgeRelation::Rewrite => Relation::Rewrite,
                    EdgeRelation::Partial => Relation::Partial,
                    EdgeRelation::Related => Relation::Related,
                };
                ((e.derived.clone(), e.source.clone()), relation)
            })
            .collect();
        let derived: BTreeSet<&ArticleId> = graph.edges.iter().map(|e| &e.derived).collect();
        graph_line = format!(
            "Graph of the whole store ({} articles): {} `derived_from` edges, {} articles called derived ({:.1}%), {} related pairs; built in {:.0} s.",
            graph.nodes.len(),
            graph.edges.len(),
            derived.len(),
            100.0 * derived.len() as f64 / graph.nodes.len().max(1) as f64,
            graph.related.len(),
            t0.elapsed().as_secs_f64()
        );
        for (p, v) in pairs.iter().zip(verdicts.iter_mut()) {
            v.graph = strongest(
                [(&p.a, &p.b), (&p.b, &p.a)]
                    .into_iter()
                    .filter_map(|(x, y)| edges.get(&(x.clone(), y.clone())).copied()),
            );
        }
    }

    let report = render(
        &args,
        &commit,
        &pairs,
        &verdicts,
        trace_s,
        ids.len(),
        &graph_line,
    );
    print!("{report}");
    if args.errors {
        for (p, v) in pairs.iter().zip(&verdicts) {
            let called = derivation(v.trace);
            if called != p.reuse || (args.graph && derivation(v.graph) != p.reuse) {
                println!(
                    "WRONG pair {} {} ({}), trace {}, graph {}: {} / {}: {}",
                    p.pair,
                    p.label,
                    p.proposed_as,
                    name(v.trace),
                    if args.graph { name(v.graph) } else { "-" },
                    p.a,
                    p.b,
                    p.why
                );
            }
        }
    }
    if let Some(path) = &args.verdicts {
        let mut out = String::new();
        for (p, v) in pairs.iter().zip(&verdicts) {
            let features: Vec<Option<(&str, Value)>> = [(&p.a, &p.b), (&p.b, &p.a)]
                .iter()
                .map(|(x, y)| {
                    traced[*x]
                        .iter()
                        .find(|s| &s.0 == *y)
                        .map(|s| (s.1.as_str(), s.2.clone()))
                })
                .collect();
            let line = serde_json::json!({
                "pair": p.pair, "label": p.label, "reuse": p.reuse, "a": p.a, "b": p.b,
                "trace": name(v.trace), "graph": if args.graph { Some(name(v.graph)) } else { None },
                "features": features,
            });
            let _ = writeln!(out, "{line}");
        }
        std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = &args.write {
        std::fs::write(path, &report).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Whether a relation is a derivation (an edge), not `related` or a template.
fn derivation(r: Option<Relation>) -> bool {
    matches!(
        r,
        Some(Relation::Copy | Relation::Rewrite | Relation::Partial)
    )
}

fn name(r: Option<Relation>) -> &'static str {
    r.map(Relation::as_str).unwrap_or("none")
}

/// The strongest of several relations: derivations before the rest, copy
/// first.
fn strongest(rs: impl Iterator<Item = Relation>) -> Option<Relation> {
    rs.min_by_key(|r| (!derivation(Some(*r)), *r))
}

fn load_pairs(path: &Path) -> Result<Vec<Pair>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let v: Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not JSON", path.display(), n + 1))?;
        let side = |k: &str| -> Result<ArticleId> {
            let id = v[k]["id"]
                .as_str()
                .with_context(|| format!("{}:{}: no {k}.id", path.display(), n + 1))?;
            store_id(id).with_context(|| format!("{}:{}: id {id}", path.display(), n + 1))
        };
        out.push(Pair {
            pair: v["pair"].as_u64().context("pair")?,
            label: v["label"].as_str().context("label")?.to_string(),
            reuse: v["reuse"].as_bool().context("reuse")?,
            why: v["why"].as_str().unwrap_or("").to_string(),
            proposed_as: v["proposed_as"].as_str().unwrap_or("").to_string(),
            a: side("a")?,
            b: side("b")?,
        });
    }
    Ok(out)
}

/// The store's id of a labelled article: `reuters-NEWID` as is,
/// `bbc-CATEGORY-NNN` as the BBC reader names it (`CATEGORY/NNN`).
fn store_id(label_id: &str) -> Result<ArticleId> {
    let id = match label_id.strip_prefix("bbc-") {
        Some(rest) => {
            let (cat, n) = rest.rsplit_once('-').context("expected bbc-CATEGORY-NNN")?;
            format!("{cat}/{n}")
        }
        None => label_id.to_string(),
    };
    Ok(ArticleId::new(id)?)
}

/// Corrections: `{pair, label, why}` per line; `reuse` follows the label.
fn relabel(pairs: &mut [Pair], path: &Path) -> Result<()> {
    for (n, v) in unspun_bench::read_jsonl(path)? {
        let id = v["pair"].as_u64().context("pair")?;
        let label = v["label"].as_str().context("label")?;
        let Some(p) = pairs.iter_mut().find(|p| p.pair == id) else {
            bail!("{}:{}: no pair {id}", path.display(), n);
        };
        p.reuse = matches!(label, "copy" | "same-story" | "passage");
        p.label = label.to_string();
    }
    Ok(())
}

/// Counts of one row: pairs, of which reuse, called derived, both.
#[derive(Default, Clone, Copy)]
struct Counts {
    pairs: usize,
    reuse: usize,
    called: usize,
    hit: usize,
}

impl Counts {
    fn add(&mut self, reuse: bool, called: bool) {
        self.pairs += 1;
        self.reuse += reuse as usize;
        self.called += called as usize;
        self.hit += (reuse && called) as usize;
    }
}

fn ratio(a: usize, b: usize) -> String {
    if b == 0 {
        "–".into()
    } else {
        format!("{:.3} ({a}/{b})", a as f64 / b as f64)
    }
}

/// Which of a verdict's relations a table reads.
type RelationOf = fn(&Verdict) -> Option<Relation>;

fn render(
    args: &Args,
    commit: &str,
    pairs: &[Pair],
    verdicts: &[Verdict],
    trace_s: f64,
    traced: usize,
    graph_line: &str,
) -> String {
    let mut r = String::new();
    let _ = writeln!(r, "# Reuse on real news: unspun against reuse-labels\n");
    let _ = writeln!(
        r,
        "Measured {} on {}, commit {}, `cargo run --release -p unspun-bench --bin reuse-eval -- --model {}{}{}`: {} labelled pairs, {} articles traced in {:.1} s.\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        unspun_bench::machine(),
        commit,
        args.model,
        if args.graph { " --graph" } else { "" },
        if args.relabel.is_some() { " --relabel docs/reuse-relabel.jsonl" } else { "" },
        pairs.len(),
        traced,
        trace_s
    );
    if !graph_line.is_empty() {
        let _ = writeln!(r, "{graph_line}\n");
    }
    let views: Vec<(&str, RelationOf)> = if args.graph {
        vec![("trace", |v| v.trace), ("graph", |v| v.graph)]
    } else {
        vec![("trace", |v| v.trace)]
    };
    for (view, get) in views {
        let mut all = Counts::default();
        let mut by_label: BTreeMap<&str, Counts> = BTreeMap::new();
        let mut by_relation: BTreeMap<&str, Counts> = BTreeMap::new();
        for (p, v) in pairs.iter().zip(verdicts) {
            let rel = get(v);
            let called = derivation(rel);
            all.add(p.reuse, called);
            by_label.entry(&p.label).or_default().add(p.reuse, called);
            by_relation
                .entry(name(rel))
                .or_default()
                .add(p.reuse, called);
        }
        let template = by_label.get("template").copied().unwrap_or_default();
        let _ = writeln!(r, "## {view}\n");
        let _ = writeln!(
            r,
            "| measure | value |\n|---|---:|\n| edge precision (reuse among pairs called derived) | {} |\n| recall of labelled reuse | {} |\n| template pairs judged not derived | {} |\n",
            ratio(all.hit, all.called),
            ratio(all.hit, all.reuse),
            ratio(template.pairs - template.called, template.pairs),
        );
        let _ = writeln!(r, "By label (how many unspun called derived):\n");
        let _ = writeln!(r, "| label | pairs | called derived |\n|---|---:|---:|");
        for (label, c) in &by_label {
            let _ = writeln!(
                r,
                "| {label} | {} | {} |",
                c.pairs,
                ratio(c.called, c.pairs)
            );
        }
        let _ = writeln!(
            r,
            "\nBy the relation unspun gave (how many are labelled reuse):\n"
        );
        let _ = writeln!(r, "| relation | pairs | labelled reuse |\n|---|---:|---:|");
        for (rel, c) in &by_relation {
            let _ = writeln!(r, "| {rel} | {} | {} |", c.pairs, ratio(c.reuse, c.pairs));
        }
        let _ = writeln!(r);
    }
    r
}
