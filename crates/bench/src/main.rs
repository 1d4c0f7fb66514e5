//! `unspun-bench`: the foundation benchmark and evaluation, one command.
//!
//! What's measured, on the shared corpora (BBC News 2,225 + Reuters-21578 +
//! the two seeds, about 21k articles):
//!
//! 1. **Ingest** throughput (articles/s), reading included, into a fresh store.
//! 2. **Trace latency** p50/p95/p99 over stored articles picked with a fixed seed.
//! 3. **Retrieval recall** of the true source among the top-k candidates, for
//!    derived texts whose source is known: the seed rewrite, and the 2,225
//!    BBC extractive summaries (each summary's source is its BBC article),
//!    with BM25+MinHash candidates against MinHash bands alone (what
//!    MinHash deduplicators see).
//! 4. **Scan** wall time over the whole store, and its recall of the
//!    Reuters-21578 duplicate and near-duplicate story pairs, whose ground
//!    truth is computed exactly here (exact word 5-gram Jaccard >= 0.8 over
//!    all pairs sharing a shingle).
//!
//! Prints a Markdown report and, with `--write`, stores it in `docs/`.
//! Not a test: run `cargo run --release -p unspun-bench -- --write`.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use rayon::prelude::*;
use unspun_align::Relation;
use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};
use unspun_article::{Article, ArticleId};
use unspun_engine::Engine;
use unspun_fingerprint::MinHasher;
use unspun_segment::{Analyzer, Span};
use unspun_store::{EmbeddedStore, OnConflict, Store};

#[derive(Parser)]
struct Args {
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// The bundled seeds.
    #[arg(long, default_value = "examples/seeds")]
    seeds: PathBuf,
    /// Traces to time.
    #[arg(long, default_value_t = 300)]
    traces: usize,
    /// Skip the scan (the slowest part).
    #[arg(long)]
    no_scan: bool,
    /// Write the report to docs/FOUNDATION-BENCH.md.
    #[arg(long)]
    write: bool,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let mut report = String::new();
    let machine = unspun_bench::machine();
    let _ = writeln!(report, "# Foundation benchmark and evaluation\n");
    let _ = writeln!(
        report,
        "Measured {} on {machine}, by `cargo run --release -p unspun-bench -- --write`. Lexical similarity only (no embeddings).\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
    );

    // 1. Ingest.
    let dir = tempfile::tempdir()?;
    let store = Arc::new(EmbeddedStore::open(dir.path())?);
    let engine = Engine::new(store.clone());
    let inputs: Vec<(PathBuf, Format)> = vec![
        (args.data.join("bbc-news-2225/bbc"), Format::Text),
        (args.data.join("reuters21578"), Format::ReutersSgml),
        (args.seeds.clone(), Format::Text),
    ];
    let t0 = Instant::now();
    let mut n_articles = 0usize;
    let mut bytes = 0usize;
    for (path, format) in &inputs {
        let opts = ReadOptions {
            format: *format,
            latin1_fallback: true,
            ..ReadOptions::default()
        };
        let mut batch = Vec::new();
        let mut err = None;
        read_paths(std::slice::from_ref(path), &opts, &mut |ev| {
            if let ReadEvent::Article { article, .. } = ev {
                bytes += article.text.len();
                batch.push(article);
                if batch.len() == 1000 {
                    n_articles += batch.len();
                    if let Err(e) =
                        engine.ingest_batch(std::mem::take(&mut batch), OnConflict::Reject)
                    {
                        err = Some(e);
                    }
                }
            }
        });
        if let Some(e) = err {
            return Err(e.into());
        }
        n_articles += batch.len();
        engine.ingest_batch(batch, OnConflict::Reject)?;
    }
    let ingest_s = t0.elapsed().as_secs_f64();
    let stats = store.stats()?;
    let _ = writeln!(report, "## Ingest\n");
    let _ = writeln!(
        report,
        "| articles | MB of text | seconds | articles/s | store MB | bytes/article |"
    );
    let _ = writeln!(report, "|---:|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        report,
        "| {} | {:.1} | {:.2} | {:.0} | {:.1} | {:.0} |\n",
        n_articles,
        bytes as f64 / 1e6,
        ingest_s,
        n_articles as f64 / ingest_s,
        stats.disk_bytes as f64 / 1e6,
        stats.disk_bytes as f64 / n_articles as f64
    );
    eprintln!("ingest done: {n_articles} articles in {ingest_s:.1}s");

    // 2. Trace latency over stored articles (fixed-seed sample).
    let keys = store.keys()?;
    let mut ids = Vec::new();
    let mut state = 0x2545F4914F6CDD1Du64;
    for _ in 0..args.traces.min(keys.len()) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let key = keys[(state % keys.len() as u64) as usize];
        ids.push(store.get(key)?.context("sampled key vanished")?.article.id);
    }
    let mut lat: Vec<f64> = Vec::new();
    for id in &ids {
        let t = Instant::now();
        engine.trace_id(id)?;
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    lat.sort_by(f64::total_cmp);
    let pc = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
    let _ = writeln!(report, "## Trace latency (one thread, stored articles)\n");
    let _ = writeln!(report, "| traces | p50 ms | p95 ms | p99 ms | max ms |");
    let _ = writeln!(report, "|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        report,
        "| {} | {:.1} | {:.1} | {:.1} | {:.1} |\n",
        lat.len(),
        pc(0.5),
        pc(0.95),
        pc(0.99),
        lat[lat.len() - 1]
    );
    eprintln!("trace latency done");

    // 3. Retrieval recall.
    let queries = derived_queries(&args)?;
    let hasher = MinHasher::new();
    let analyzer = Analyzer::new();
    let ks = [1usize, 5, 10];
    let results: Vec<(Vec<bool>, Vec<bool>, bool)> = queries
        .par_iter()
        .map(|(article, truth, exclude)| {
            let analyzed = engine.analyze(article.clone());
            // The seed query is stored too (as 000): it must not count as its own source.
            let own = exclude
                .as_ref()
                .and_then(|id| store.key_of(id).ok().flatten());
            let cands = engine.candidates(&analyzed, own).unwrap_or_default();
            // The BBC set holds some articles twice under two ids: an
            // identical text counts as the true source.
            let truth_text = store
                .key_of(truth)
                .ok()
                .flatten()
                .and_then(|k| store.get(k).ok().flatten())
                .map(|s| s.article.text)
                .unwrap_or_default();
            let same = |a: &Article| &a.id == truth || a.text == truth_text;
            let cand_hits: Vec<bool> = store
                .get_many(&cands)
                .unwrap_or_default()
                .iter()
                .map(|s| same(&s.article))
                .collect();
            let hit_at = |hits: &[bool]| -> Vec<bool> {
                ks.iter()
                    .map(|&k| hits.iter().take(k).any(|&h| h))
                    .collect()
            };
            let tokens = analyzer.tokens(&article.text, Span::new(0, article.text.len()));
            let bands = hasher.band_keys(&tokens);
            let band_hits: Vec<bool> = store
                .band_matches(&bands, 10, own)
                .ok()
                .map(|m| m.into_iter().map(|(k, _)| k).collect::<Vec<_>>())
                .and_then(|keys| store.get_many(&keys).ok())
                .unwrap_or_default()
                .iter()
                .map(|s| same(&s.article))
                .collect();
            let mut traced = article.clone();
            if let Some(id) = exclude {
                traced.id = id.clone();
            }
            let trace_top = engine
                .trace(traced)
                .ok()
                .and_then(|t| t.sources.first().map(|s| same(&s.source.article)))
                .unwrap_or(false);
            (hit_at(&cand_hits), hit_at(&band_hits), trace_top)
        })
        .collect();
    let n = results.len() as f64;
    let _ = writeln!(report, "## Retrieval recall of the true source\n");
    let _ = writeln!(
        report,
        "{} derived texts with a known source: the seed rewrite (000 → 003) and the 2,225 BBC extractive summaries (summary → its article; summary sentences re-spaced after their periods, which the data set glues together). Candidates are ranked BM25 hits first, then MinHash band matches.\n",
        queries.len()
    );
    let _ = writeln!(report, "| retrieval | recall@1 | recall@5 | recall@10 |");
    let _ = writeln!(report, "|---|---:|---:|---:|");
    for (name, idx) in [
        ("unspun candidates (BM25 + MinHash bands)", 0),
        ("MinHash bands alone (32x4, word 5-grams)", 1),
    ] {
        let r: Vec<f64> = (0..ks.len())
            .map(|k| {
                results
                    .iter()
                    .filter(|r| if idx == 0 { r.0[k] } else { r.1[k] })
                    .count() as f64
                    / n
            })
            .collect();
        let _ = writeln!(
            report,
            "| {name} | {:.3} | {:.3} | {:.3} |",
            r[0], r[1], r[2]
        );
    }
    let top = results.iter().filter(|r| r.2).count() as f64 / n;
    let _ = writeln!(report, "\nAfter alignment, the true source is the top-ranked source of the trace in {:.1}% of cases.\n", top * 100.0);
    let seed_ok = results[0].0[0];
    let _ = writeln!(report, "Seed rewrite: true source ranked first by retrieval: {seed_ok}; by MinHash bands alone: {}.\n", results[0].1[0]);
    eprintln!("recall done");

    // 4. Scan and Reuters duplicates.
    if !args.no_scan {
        let t = Instant::now();
        let pairs = engine.scan(&|_, _| {})?;
        let scan_s = t.elapsed().as_secs_f64();
        let truth = reuters_near_duplicates(&args.data.join("reuters21578"))?;
        let found: HashSet<(String, String)> = pairs
            .iter()
            .filter(|p| {
                p.derived.as_str().starts_with("reuters-")
                    && p.source.as_str().starts_with("reuters-")
            })
            .filter(|p| p.relation != Relation::Related)
            .map(|p| ordered(p.derived.as_str(), p.source.as_str()))
            .collect();
        let exact: HashSet<_> = truth
            .iter()
            .filter(|(_, j)| *j >= 0.999)
            .map(|(p, _)| p.clone())
            .collect();
        let near: HashSet<_> = truth.iter().map(|(p, _)| p.clone()).collect();
        let hit_exact = exact.iter().filter(|p| found.contains(*p)).count();
        let hit_near = near.iter().filter(|p| found.contains(*p)).count();
        let mut by_rel: HashMap<&str, usize> = HashMap::new();
        for p in &pairs {
            *by_rel.entry(p.relation.as_str()).or_default() += 1;
        }
        let _ = writeln!(report, "## Scan\n");
        let _ = writeln!(
            report,
            "Scan of all {} articles: {:.1} s on 2 threads ({:.0} articles/s), {} derived pairs ({}).\n",
            keys.len(),
            scan_s,
            keys.len() as f64 / scan_s,
            pairs.len(),
            {
                let mut v: Vec<_> = by_rel.into_iter().collect();
                v.sort();
                v.iter().map(|(r, n)| format!("{n} {r}")).collect::<Vec<_>>().join(", ")
            }
        );
        let _ = writeln!(report, "Reuters-21578 duplicate pairs (ground truth computed exactly over word 5-gram shingles):\n");
        let _ = writeln!(report, "| pairs | exist | found by scan | recall |");
        let _ = writeln!(report, "|---|---:|---:|---:|");
        let _ = writeln!(
            report,
            "| identical bodies (Jaccard 1.0) | {} | {} | {:.3} |",
            exact.len(),
            hit_exact,
            hit_exact as f64 / exact.len().max(1) as f64
        );
        let _ = writeln!(
            report,
            "| near-duplicates (Jaccard >= 0.8, incl. identical) | {} | {} | {:.3} |",
            near.len(),
            hit_near,
            hit_near as f64 / near.len().max(1) as f64
        );
        let mut missed: Vec<_> = truth.iter().filter(|(p, _)| !found.contains(p)).collect();
        missed.sort_by(|a, b| a.0.cmp(&b.0));
        if !missed.is_empty() {
            let _ = writeln!(
                report,
                "\nMissed near-duplicate pairs (word 5-gram Jaccard of the bodies; the titles, which are not part of the body, name the company):\n"
            );
            let title = |id: &str| -> String {
                ArticleId::new(id)
                    .ok()
                    .and_then(|id| store.key_of(&id).ok().flatten())
                    .and_then(|k| store.get(k).ok().flatten())
                    .and_then(|s| s.article.title)
                    .unwrap_or_default()
            };
            for ((a, b), j) in &missed {
                let _ = writeln!(
                    report,
                    "- {a} ~ {b} ({j:.2}): \"{}\" / \"{}\"",
                    title(a),
                    title(b)
                );
            }
        }
        let extra = found.iter().filter(|p| !near.contains(*p)).count();
        let _ = writeln!(report, "\nScan also reports {extra} Reuters–Reuters pairs below Jaccard 0.8 (partial reuse and rewrites of the same story: not errors by themselves).\n");
    }

    print!("{report}");
    if args.write {
        let path = Path::new("docs/FOUNDATION-BENCH.md");
        std::fs::create_dir_all("docs")?;
        std::fs::write(path, &report)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// Derived texts with a known source: the seed rewrite and the BBC summaries.
fn derived_queries(args: &Args) -> Result<Vec<(Article, ArticleId, Option<ArticleId>)>> {
    let mut out = Vec::new();
    let mut seed = None;
    read_paths(
        &[args.seeds.join("000_8f16aa07f174a1e7.txt")],
        &ReadOptions::default(),
        &mut |ev| {
            if let ReadEvent::Article { article, .. } = ev {
                seed = Some(article);
            }
        },
    );
    let seed = seed.context("seed 000 not readable")?;
    let own = seed.id.clone();
    out.push((seed, ArticleId::new("003_741671edce2820d1")?, Some(own)));
    let root = args.data.join("bbc-news-summary/Summaries");
    for cat in ["business", "entertainment", "politics", "sport", "tech"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(cat))?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f)?;
            let text: String = match String::from_utf8(bytes.clone()) {
                Ok(s) => s,
                Err(_) => bytes.iter().map(|&b| b as char).collect(),
            };
            let stem = f.file_stem().unwrap().to_string_lossy().to_string();
            let text = respace(&text);
            out.push((
                Article::new(ArticleId::new(format!("summary-{cat}/{stem}"))?, text),
                ArticleId::new(format!("{cat}/{stem}"))?,
                None,
            ));
        }
    }
    Ok(out)
}

/// The summaries glue sentences together ("$10.9bn.For the"): put the space back.
fn respace(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 64);
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        if matches!(c, '.' | '!' | '?')
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_uppercase() || *n == '"')
            && i > 0
            && chars[i - 1].is_lowercase()
        {
            out.push(' ');
        }
    }
    out
}

/// Reuters story pairs with word 5-gram Jaccard >= 0.8, computed exactly.
fn reuters_near_duplicates(dir: &Path) -> Result<Vec<((String, String), f64)>> {
    let opts = ReadOptions {
        format: Format::ReutersSgml,
        ..ReadOptions::default()
    };
    let mut docs: Vec<(String, String)> = Vec::new();
    read_paths(&[dir.to_path_buf()], &opts, &mut |ev| {
        if let ReadEvent::Article { article, .. } = ev {
            docs.push((article.id.to_string(), article.text));
        }
    });
    let analyzer = Analyzer::new();
    let hasher = MinHasher::new();
    let sets: Vec<Vec<u64>> = docs
        .par_iter()
        .map(|(_, t)| hasher.shingles(&analyzer.tokens(t, Span::new(0, t.len()))))
        .collect();
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, s) in sets.iter().enumerate() {
        for &h in s {
            postings.entry(h).or_default().push(i as u32);
        }
    }
    let out: Vec<((String, String), f64)> = (0..sets.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut shared: HashMap<u32, usize> = HashMap::new();
            for h in &sets[i] {
                for &j in &postings[h] {
                    if (j as usize) > i {
                        *shared.entry(j).or_default() += 1;
                    }
                }
            }
            let sets = &sets;
            let docs = &docs;
            shared.into_iter().filter_map(move |(j, inter)| {
                let j = j as usize;
                let union = sets[i].len() + sets[j].len() - inter;
                let jac = inter as f64 / union as f64;
                (jac >= 0.8).then(|| (ordered(&docs[i].0, &docs[j].0), jac))
            })
        })
        .collect();
    Ok(out)
}
