//! `scale-bench`: unspun's half of the scale benchmark (issue 5), run by
//! `scripts/bench.sh` on a store ingested from a generated corpus
//! (`unspun-corpus`, which writes `articles.jsonl` and `truth.jsonl`).
//!
//! What's measured:
//! - `trace`: latency of `Engine::trace_id` (one thread, models loaded,
//!   store opened as `unspun trace` opens it) over `--n` derived articles
//!   picked by a seeded hash of their ids, after `--warmup` untimed traces
//!   of other derived articles; recall of a true parent among the top 5
//!   sources, per derivation kind (a blend counts when either parent is
//!   there; `both_parents` says how often both are); precision of the
//!   reported pairs (sources whose relation is not `related`), by the same
//!   lineage rule as the Python peers (bench/peers/run_peers.py): the pair
//!   is right when one is an ancestor of the other, they share an ancestor,
//!   or they share an original; and the process's peak RSS (VmHWM).
//! - `scan`: `Engine::scan` over the whole store (wall time, pairs, recall
//!   of every (derived, parent) truth pair per kind, precision), or with
//!   `--sample N` the same per-article work (a trace of each article, in
//!   parallel on all cores, as `scan` does) on a seeded sample of N stored
//!   articles, from which the full scan's time is projected.
//! - `diagnose`: not a measurement for the report but the tool that finds
//!   what loses a parent: for each sampled derived article (optionally of
//!   one kind), whether each parent is among the retrieved candidates
//!   (`Engine::candidates`, BM25 hits then MinHash band matches), its rank
//!   among the reported sources, and every source with its lineage role
//!   (parent, ancestor, descendant, sibling, unrelated), date, outlet,
//!   score and direction.
//!
//! `--bm25-candidates K` changes how many BM25 hits a trace aligns, to
//! measure the candidate cut; the reported figures use the engine's default.
//!
//! Output: one JSON object on stdout (or `--out FILE`). Nothing here is
//! asserted; the numbers go to docs/BENCH.md through bench/report.py.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use rayon::prelude::*;
use serde_json::{json, Value};
use unspun_align::Relation;
use unspun_article::ArticleId;
use unspun_embed::{models_dir, Embedder, MiniLm, StaticEmbedder};
use unspun_engine::{Engine, EngineBuilder, Semantics};
use unspun_store::{EmbeddedStore, Store};

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(clap::Args)]
struct Common {
    /// The store (made by `unspun ingest` from the corpus).
    #[arg(long)]
    store: PathBuf,
    /// The generated corpus directory (its `truth.jsonl` is read).
    #[arg(long)]
    corpus: PathBuf,
    /// Similarity mode: lexical, static or minilm.
    #[arg(long, default_value = "static")]
    mode: String,
    /// The models directory (default as `unspun`: UNSPUN_MODELS or ./models).
    #[arg(long)]
    models: Option<PathBuf>,
    /// Seed of the sample.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the JSON here instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
    /// How many BM25 hits a trace aligns (default: the engine's default).
    /// For measuring the candidate cut, not for the reported figures.
    #[arg(long)]
    bm25_candidates: Option<usize>,
    /// How many residual-query hits a trace aligns (default: the engine's
    /// default; 0 turns the residual query off). For measuring it, not for
    /// the reported figures.
    #[arg(long)]
    residual_candidates: Option<usize>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Trace latency and top-5 recall over a sample of derived articles.
    Trace {
        #[command(flatten)]
        common: Common,
        /// Derived articles to trace (timed).
        #[arg(long, default_value_t = 200)]
        n: usize,
        /// Untimed traces first (other derived articles).
        #[arg(long, default_value_t = 10)]
        warmup: usize,
    },
    /// Where each sampled derived article's parents end up: among the
    /// retrieved candidates or not, judged or not, and at which rank, with
    /// every reported source's lineage role. One JSON line per trace.
    Diagnose {
        #[command(flatten)]
        common: Common,
        /// Derived articles to trace.
        #[arg(long, default_value_t = 200)]
        n: usize,
        /// Only derived articles of this kind (e.g. paraphrase).
        #[arg(long)]
        kind: Option<String>,
    },
    /// Scan wall time and pair recall/precision (full, or projected from a sample).
    Scan {
        #[command(flatten)]
        common: Common,
        /// Trace only this many stored articles (0: a full `Engine::scan`).
        #[arg(long, default_value_t = 0)]
        sample: usize,
    },
}

/// The lineage of a generated corpus (`truth.jsonl`).
struct Truth {
    kind: HashMap<String, String>,
    parents: HashMap<String, Vec<String>>,
    original: HashMap<String, Vec<String>>,
}

impl Truth {
    fn load(corpus: &Path) -> Result<Truth> {
        let path = corpus.join("truth.jsonl");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let mut t = Truth {
            kind: HashMap::new(),
            parents: HashMap::new(),
            original: HashMap::new(),
        };
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line)?;
            let id = v["id"]
                .as_str()
                .context("truth line without id")?
                .to_string();
            t.kind
                .insert(id.clone(), v["kind"].as_str().unwrap_or("?").to_string());
            t.parents.insert(id.clone(), strings(&v["parents"]));
            t.original.insert(id, strings(&v["original"]));
        }
        Ok(t)
    }

    fn ancestors(&self, x: &str) -> HashSet<&str> {
        let mut out = HashSet::new();
        let mut stack: Vec<&str> = self
            .parents
            .get(x)
            .map(|p| p.iter().map(String::as_str).collect())
            .unwrap_or_default();
        while let Some(p) = stack.pop() {
            if out.insert(p) {
                if let Some(pp) = self.parents.get(p) {
                    stack.extend(pp.iter().map(String::as_str));
                }
            }
        }
        out
    }

    fn roots<'a>(&'a self, x: &'a str) -> HashSet<&'a str> {
        match self.original.get(x) {
            Some(o) if !o.is_empty() => o.iter().map(String::as_str).collect(),
            _ => std::iter::once(x).collect(),
        }
    }

    /// The peers' lineage rule (bench/peers/run_peers.py `LINEAGE_RULE`).
    fn related(&self, q: &str, c: &str) -> bool {
        let (aq, ac) = (self.ancestors(q), self.ancestors(c));
        aq.contains(c)
            || ac.contains(q)
            || !aq.is_disjoint(&ac)
            || !self.roots(q).is_disjoint(&self.roots(c))
    }

    /// What `c` is to `q` in the lineage: parent, ancestor, descendant,
    /// sibling (shares an ancestor or an original) or unrelated.
    fn role(&self, q: &str, c: &str) -> &'static str {
        if self
            .parents
            .get(q)
            .is_some_and(|p| p.iter().any(|p| p == c))
        {
            "parent"
        } else if self.ancestors(q).contains(c) {
            "ancestor"
        } else if self.ancestors(c).contains(q) {
            "descendant"
        } else if self.related(q, c) {
            "sibling"
        } else {
            "unrelated"
        }
    }

    /// Derived ids ordered by a seeded hash: a reproducible random sample.
    fn sample(&self, seed: u64) -> Vec<&str> {
        let mut ids: Vec<&str> = self.kind.keys().map(String::as_str).collect();
        ids.sort_by_key(|id| {
            (
                xxhash_rust::xxh3::xxh3_64_with_seed(id.as_bytes(), seed),
                *id,
            )
        });
        ids
    }
}

fn semantics(mode: &str, models: &Path) -> Result<Semantics> {
    let fast = || -> Result<Arc<dyn Embedder>> {
        Ok(Arc::new(StaticEmbedder::load(&models.join("static"))?))
    };
    Ok(match mode {
        "lexical" => Semantics::Lexical,
        "static" => Semantics::Static(fast()?),
        "minilm" => Semantics::MiniLm {
            fast: fast()?,
            minilm: Arc::new(MiniLm::load(&models.join("minilm"))?),
        },
        other => anyhow::bail!("unknown mode {other:?}"),
    })
}

fn open(common: &Common) -> Result<(Arc<EmbeddedStore>, Engine)> {
    let models = common.models.clone().unwrap_or_else(models_dir);
    let store = Arc::new(
        EmbeddedStore::open_read_only(&common.store)
            .with_context(|| format!("opening {}", common.store.display()))?
            .with_cache_writes(),
    );
    let mut builder =
        EngineBuilder::new(store.clone()).semantics(semantics(&common.mode, &models)?);
    // The change detector `unspun trace` uses: WordNet from the models
    // directory when it is there (the content-word detector's cost belongs
    // in the trace latency of the default mode).
    match unspun_changes::wordnet::shared_in(&models.join("wordnet")) {
        Ok(wn) => {
            builder = builder.change_detector(
                unspun_changes::ChangeDetector::builder()
                    .wordnet(Some(wn))
                    .build(),
            )
        }
        Err(e) => eprintln!("note: {e}; content words are not checked"),
    }
    if let Some(k) = common.residual_candidates {
        builder = builder.residual_candidates(k);
    }
    if let Some(k) = common.bm25_candidates {
        builder = builder.bm25_candidates(k);
    }
    let engine = builder.build();
    Ok((store, engine))
}

/// A field of /proc/self/status in MiB (VmHWM: peak RSS).
fn status_mib(field: &str) -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Nanoseconds this thread has run on a CPU, and waited for one
/// (/proc/thread-self/schedstat). On a shared machine the wall time of a
/// trace includes waiting for a core; the on-CPU time does not.
fn schedstat() -> Option<(u64, u64)> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut it = s.split_whitespace().map(|x| x.parse::<u64>().ok());
    Some((it.next()??, it.next()??))
}

fn loadavg() -> Value {
    let s = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let v: Vec<f64> = s
        .split_whitespace()
        .take(3)
        .filter_map(|x| x.parse().ok())
        .collect();
    json!(v)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ratio(a: usize, b: usize) -> Value {
    if b == 0 {
        Value::Null
    } else {
        json!((a as f64 / b as f64 * 10_000.0).round() / 10_000.0)
    }
}

#[derive(Default)]
struct KindStats {
    n: usize,
    hit: usize,
    both: usize,
    /// A parent anywhere among the reported sources (any rank, any relation).
    hit_any: usize,
    /// An original (root) of the article's lineage in the top 5.
    hit_original: usize,
    pairs: usize,
    true_pairs: usize,
    /// Pairs judged `copy` or `rewrite` (the derivation claims).
    strong: usize,
    true_strong: usize,
}

fn trace_bench(common: &Common, n: usize, warmup: usize) -> Result<Value> {
    let truth = Truth::load(&common.corpus)?;
    let t_open = Instant::now();
    let (store, engine) = open(common)?;
    let open_s = t_open.elapsed().as_secs_f64();
    let docs = store.stats()?.articles;
    // Derived articles in the store, by seeded hash (all of them once the
    // whole corpus is ingested).
    let mut order = Vec::new();
    for id in truth.sample(common.seed) {
        if store.key_of(&ArticleId::new(id)?)?.is_some() {
            order.push(id);
        }
        if order.len() >= n + warmup {
            break;
        }
    }
    let (timed, warm) = order.split_at(n.min(order.len()));
    for id in warm.iter().take(warmup) {
        engine.trace_id(&ArticleId::new(*id)?)?;
    }
    let mut lat = Vec::with_capacity(timed.len());
    let mut on_cpu = Vec::with_capacity(timed.len());
    let mut waited_ms = 0.0;
    let mut per_kind: BTreeMap<String, KindStats> = BTreeMap::new();
    let mut sources_total = 0usize;
    for id in timed {
        let aid = ArticleId::new(*id)?;
        let before = schedstat();
        let t = Instant::now();
        let trace = engine.trace_id(&aid)?;
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
        if let (Some((run0, wait0)), Some((run1, wait1))) = (before, schedstat()) {
            on_cpu.push((run1 - run0) as f64 / 1e6);
            waited_ms += (wait1 - wait0) as f64 / 1e6;
        }
        let parents = &truth.parents[*id];
        let top: Vec<&str> = trace
            .sources
            .iter()
            .take(5)
            .map(|s| s.source.article.id.as_str())
            .collect();
        let k = per_kind.entry(truth.kind[*id].clone()).or_default();
        k.n += 1;
        k.hit += usize::from(parents.iter().any(|p| top.contains(&p.as_str())));
        k.both += usize::from(parents.iter().all(|p| top.contains(&p.as_str())));
        k.hit_any += usize::from(
            trace
                .sources
                .iter()
                .any(|s| parents.contains(&s.source.article.id.as_str().to_string())),
        );
        k.hit_original += usize::from(
            truth.original[*id]
                .iter()
                .any(|o| top.contains(&o.as_str())),
        );
        for s in trace
            .sources
            .iter()
            .filter(|s| s.relation != Relation::Related)
        {
            let right = usize::from(truth.related(id, s.source.article.id.as_str()));
            k.pairs += 1;
            k.true_pairs += right;
            if matches!(s.relation, Relation::Copy | Relation::Rewrite) {
                k.strong += 1;
                k.true_strong += right;
            }
        }
        sources_total += trace.sources.len();
    }
    let mut sorted = lat.clone();
    sorted.sort_by(f64::total_cmp);
    on_cpu.sort_by(f64::total_cmp);
    let all = per_kind.values().fold(KindStats::default(), |mut a, k| {
        a.n += k.n;
        a.hit += k.hit;
        a.both += k.both;
        a.hit_any += k.hit_any;
        a.hit_original += k.hit_original;
        a.pairs += k.pairs;
        a.true_pairs += k.true_pairs;
        a.strong += k.strong;
        a.true_strong += k.true_strong;
        a
    });
    let kinds: serde_json::Map<String, Value> = per_kind
        .iter()
        .map(|(name, k)| {
            (
                name.clone(),
                json!({
                    "n": k.n,
                    "recall_top5": ratio(k.hit, k.n),
                    "both_parents_top5": ratio(k.both, k.n),
                    "recall_any_rank": ratio(k.hit_any, k.n),
                    "original_top5": ratio(k.hit_original, k.n),
                    "pairs": k.pairs,
                    "precision": ratio(k.true_pairs, k.pairs),
                    "copy_rewrite_pairs": k.strong,
                    "precision_copy_rewrite": ratio(k.true_strong, k.strong),
                }),
            )
        })
        .collect();
    Ok(json!({
        "what": "trace",
        "mode": common.mode,
        "articles_in_store": docs,
        "traces": lat.len(),
        "warmup": warmup,
        "open_s": open_s,
        "latency_ms": {
            "p50": percentile(&sorted, 0.50),
            "p95": percentile(&sorted, 0.95),
            "p99": percentile(&sorted, 0.99),
            "max": sorted.last().copied(),
            "mean": lat.iter().sum::<f64>() / lat.len().max(1) as f64,
        },
        // The same traces' time on a CPU (the trace runs on this thread),
        // and how long they waited for one in all.
        "on_cpu_ms": {
            "p50": percentile(&on_cpu, 0.50),
            "p95": percentile(&on_cpu, 0.95),
            "p99": percentile(&on_cpu, 0.99),
            "mean": on_cpu.iter().sum::<f64>() / on_cpu.len().max(1) as f64,
        },
        "waited_for_cpu_ms_total": waited_ms,
        "recall_top5": ratio(all.hit, all.n),
        "recall_any_rank": ratio(all.hit_any, all.n),
        "original_top5": ratio(all.hit_original, all.n),
        "precision": ratio(all.true_pairs, all.pairs),
        "precision_copy_rewrite": ratio(all.true_strong, all.strong),
        "mean_sources": sources_total as f64 / lat.len().max(1) as f64,
        "per_kind": kinds,
        "peak_rss_mib": status_mib("VmHWM:"),
        "loadavg": loadavg(),
    }))
}

fn diagnose(common: &Common, n: usize, kind: Option<&str>) -> Result<Value> {
    let truth = Truth::load(&common.corpus)?;
    let (store, engine) = open(common)?;
    let mut lines = Vec::new();
    for id in truth.sample(common.seed) {
        if lines.len() >= n {
            break;
        }
        if kind.is_some_and(|k| truth.kind[id] != k) {
            continue;
        }
        let aid = ArticleId::new(id)?;
        let Some(key) = store.key_of(&aid)? else {
            continue;
        };
        let stored = store.get(key)?.context("stored article vanished")?;
        let analyzed = engine.analyze(stored.article);
        // The same candidate cut the trace makes (BM25 hits first, then
        // MinHash band matches).
        let cands = engine.candidates(&analyzed, Some(key))?;
        let cand_ids: Vec<String> = store
            .get_many(&cands)?
            .into_iter()
            .map(|s| s.article.id.as_str().to_string())
            .collect();
        let trace = engine.trace_id(&aid)?;
        let parents = &truth.parents[id];
        let parent_info: Vec<Value> = parents
            .iter()
            .map(|p| {
                json!({
                    "id": p,
                    "candidate_pos": cand_ids.iter().position(|c| c == p),
                    "rank": trace.sources.iter().position(|s| s.source.article.id.as_str() == p),
                })
            })
            .collect();
        let sources: Vec<Value> = trace
            .sources
            .iter()
            .map(|s| {
                let a = &s.source.article;
                json!({
                    "id": a.id.as_str(),
                    "role": truth.role(id, a.id.as_str()),
                    "kind": truth.kind.get(a.id.as_str()),
                    "score": s.score,
                    "relation": s.relation.as_str(),
                    "date": a.date.map(|d| d.to_string()),
                    "outlet": a.source,
                    "original": format!("{:?}", s.direction.original),
                    "certain": s.direction.certain,
                    "coverage": s.alignment.coverage(),
                    "source_coverage": s.alignment.source_coverage(),
                    "mean_score": s.alignment.mean_score(),
                })
            })
            .collect();
        lines.push(json!({
            "id": id,
            "kind": truth.kind[id],
            "date": trace.article.article.date.map(|d| d.to_string()),
            "outlet": trace.article.article.source,
            "candidates": cand_ids.len(),
            "parents": parent_info,
            "sources": sources,
        }));
    }
    Ok(Value::Array(lines))
}

fn scan_bench(common: &Common, sample: usize) -> Result<Value> {
    let truth = Truth::load(&common.corpus)?;
    let (store, engine) = open(common)?;
    let docs = store.stats()?.articles;
    if sample > 0 {
        // The per-article work of `Engine::scan` (one trace of each stored
        // article, in parallel), on a seeded sample.
        let mut keys = store.keys()?;
        keys.sort_by_key(|k| xxhash_rust::xxh3::xxh3_64_with_seed(&k.0.to_le_bytes(), common.seed));
        keys.truncate(sample);
        let ids: Vec<ArticleId> = store
            .get_many(&keys)?
            .into_iter()
            .map(|s| s.article.id)
            .collect();
        let t = Instant::now();
        let found: Vec<usize> = ids
            .par_iter()
            .map(|id| -> Result<usize> {
                let tr = engine.trace_id(id)?;
                Ok(tr
                    .sources
                    .iter()
                    .filter(|s| s.relation != Relation::Related)
                    .count())
            })
            .collect::<Result<_>>()?;
        let wall = t.elapsed().as_secs_f64();
        let per_s = ids.len() as f64 / wall;
        return Ok(json!({
            "what": "scan-sample",
            "mode": common.mode,
            "articles_in_store": docs,
            "sampled": ids.len(),
            "sample_wall_s": wall,
            "articles_per_s": per_s,
            "projected_full_scan_s": docs as f64 / per_s,
            "mean_pairs_per_article": found.iter().sum::<usize>() as f64 / ids.len().max(1) as f64,
            "peak_rss_mib": status_mib("VmHWM:"),
            "loadavg": loadavg(),
        }));
    }
    let t = Instant::now();
    let pairs = engine.scan(&|_, _| {})?;
    let wall = t.elapsed().as_secs_f64();
    let found: HashSet<(&str, &str)> = pairs
        .iter()
        .map(|p| {
            let (a, b) = (p.derived.as_str(), p.source.as_str());
            if a < b {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect();
    let mut per_kind: BTreeMap<String, KindStats> = BTreeMap::new();
    for (id, parents) in &truth.parents {
        let k = per_kind.entry(truth.kind[id].clone()).or_default();
        for p in parents {
            let key = if id.as_str() < p.as_str() {
                (id.as_str(), p.as_str())
            } else {
                (p.as_str(), id.as_str())
            };
            k.n += 1;
            k.hit += usize::from(found.contains(&key));
        }
    }
    let true_pairs = pairs
        .iter()
        .filter(|p| truth.related(p.derived.as_str(), p.source.as_str()))
        .count();
    let strong: Vec<_> = pairs
        .iter()
        .filter(|p| matches!(p.relation, Relation::Copy | Relation::Rewrite))
        .collect();
    let true_strong = strong
        .iter()
        .filter(|p| truth.related(p.derived.as_str(), p.source.as_str()))
        .count();
    let kinds: serde_json::Map<String, Value> = per_kind
        .iter()
        .map(|(name, k)| {
            (
                name.clone(),
                json!({"truth_pairs": k.n, "recall": ratio(k.hit, k.n)}),
            )
        })
        .collect();
    let truth_pairs: usize = per_kind.values().map(|k| k.n).sum();
    let hits: usize = per_kind.values().map(|k| k.hit).sum();
    Ok(json!({
        "what": "scan",
        "mode": common.mode,
        "articles_in_store": docs,
        "wall_s": wall,
        "articles_per_s": docs as f64 / wall,
        "pairs": pairs.len(),
        "precision": ratio(true_pairs, pairs.len()),
        "precision_copy_rewrite": ratio(true_strong, strong.len()),
        "recall": ratio(hits, truth_pairs),
        "per_kind": kinds,
        "peak_rss_mib": status_mib("VmHWM:"),
        "loadavg": loadavg(),
    }))
}

fn main() -> Result<()> {
    let args = Args::parse();
    let (common, out) = match &args.command {
        Cmd::Trace { common, n, warmup } => (common, trace_bench(common, *n, *warmup)?),
        Cmd::Scan { common, sample } => (common, scan_bench(common, *sample)?),
        Cmd::Diagnose { common, n, kind } => (common, diagnose(common, *n, kind.as_deref())?),
    };
    let text = serde_json::to_string_pretty(&out)? + "\n";
    match &common.out {
        Some(p) => std::fs::write(p, text).with_context(|| format!("writing {}", p.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}
