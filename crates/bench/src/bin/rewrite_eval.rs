//! `rewrite-eval`: change reports on whole-article LLM rewrites
//! (`llm-rewrites-dev`), scored as the set's README defines it
//! (`unspun_bench::rewrites`).
//!
//! Ingests the 19k BBC + Reuters-21578 corpus into a temporary store (BBC
//! files as `bbc-CATEGORY-NNN`, Reuters stories as `reuters-NEWID`; the 80
//! originals dated, BBC ones 2005-03-01), traces each rewrite dated a day
//! after its original in the chosen mode (default `static`, the CLI's
//! default), and scores the minor and major changes reported against the
//! original. Reports no verdict covers are printed as JSON lines to judge
//! (`--unjudged FILE` writes them); verdicts are read from the set's
//! `judged.jsonl` and then from `docs/rewrite-eval-judged.jsonl`.
//!
//! Run: `cargo run --release -p unspun-bench --bin rewrite-eval [-- --write]`;
//! `--write` stores the figures in `docs/REWRITE-EVAL.md`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use clap::Parser;
use unspun_article::{Article, ArticleId};
use unspun_bench::rewrites::{
    corpus, evaluate, read_rewrites, Fate, Key, Outcome, Summary, Verdicts,
};
use unspun_engine::{Engine, EngineBuilder};
use unspun_store::{EmbeddedStore, OnConflict};

#[derive(Parser, Debug)]
#[command(about = "Change reports on whole-article LLM rewrites (llm-rewrites-dev)")]
struct Args {
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// `lexical`, `static` or `minilm`.
    #[arg(long, default_value = "static")]
    model: String,
    /// Our verdicts on reports `judged.jsonl` does not cover.
    #[arg(long, default_value = "docs/rewrite-eval-judged.jsonl")]
    judged: PathBuf,
    /// Write the reports no verdict covers to this file (JSON lines).
    #[arg(long)]
    unjudged: Option<PathBuf>,
    /// Print every unexplained report.
    #[arg(long)]
    verbose: bool,
    /// Also time each trace on one thread (three rounds) and print p50/p99.
    #[arg(long)]
    time: bool,
    /// Write docs/REWRITE-EVAL.md.
    #[arg(long)]
    write: bool,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let set = args.data.join("llm-rewrites-dev");
    let rewrites = read_rewrites(&set.join("rewrites.jsonl"))?;
    let mut verdicts = Verdicts::default();
    verdicts.load(&set.join("judged.jsonl"))?;
    if args.judged.exists() {
        verdicts.load(&args.judged)?;
    }
    let t = Instant::now();
    let corpus = corpus(&args.data, &rewrites, |_| true)?;
    let tmp = tempfile::tempdir()?;
    let store = Arc::new(EmbeddedStore::open(tmp.path())?);
    let engine: Engine = EngineBuilder::new(store)
        .semantics(unspun_bench::semantics(&args.model)?)
        .build();
    for chunk in corpus.chunks(5000) {
        engine.ingest_batch(chunk.to_vec(), OnConflict::Reject)?;
    }
    eprintln!(
        "ingested {} articles in {:.1} s",
        corpus.len(),
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let outcomes: Vec<Outcome> = evaluate(&engine, &rewrites, &verdicts)?;
    eprintln!(
        "traced {} rewrites in {:.1} s",
        outcomes.len(),
        t.elapsed().as_secs_f64()
    );

    if args.time {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
        let ms = pool.install(|| -> Result<Vec<f64>> {
            let mut ms = Vec::new();
            for _ in 0..3 {
                for rw in &rewrites {
                    let mut a = Article::new(ArticleId::new(format!("rw-{}", rw.id))?, &rw.rewrite);
                    a.date = rw.original_date.succ_opt();
                    let t = Instant::now();
                    std::hint::black_box(engine.trace(a)?);
                    ms.push(t.elapsed().as_secs_f64() * 1e3);
                }
            }
            Ok(ms)
        })?;
        let mut ms = ms;
        ms.sort_by(f64::total_cmp);
        let p = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
        println!(
            "trace latency, one thread, {} traces: p50 {:.1} ms, p99 {:.1} ms",
            ms.len(),
            p(0.5),
            p(0.99)
        );
    }
    let mut unjudged = String::new();
    for o in &outcomes {
        if args.verbose {
            for (kind, flagged, typed) in &o.planted {
                if !flagged || !typed {
                    eprintln!("{} planted {kind}: flagged {flagged}, typed {typed}", o.id);
                }
            }
        }
        for (c, fate) in &o.reports {
            if *fate == Fate::Unjudged {
                let _ = writeln!(unjudged, "{}", Key::of(&o.id, c).to_json("?", &c.detail));
            }
            if args.verbose && matches!(fate, Fate::False | Fate::Unjudged) {
                eprintln!(
                    "{} {:?} {} {}: {}",
                    o.id,
                    fate,
                    c.severity.as_str(),
                    c.kind,
                    c.detail
                );
            }
        }
    }
    if let Some(path) = &args.unjudged {
        std::fs::write(path, &unjudged)?;
    }
    let s = Summary::of(&outcomes);
    let md = table(&s, &args.model);
    print!("{md}");
    if !unjudged.is_empty() {
        eprintln!("{} reports no verdict covers:\n{unjudged}", s.unjudged);
    }
    if args.write {
        let doc = format!(
            "# Change reports on whole-article LLM rewrites (llm-rewrites-dev)\n\n\
             Measured {} on {}, commit {}, by \
             `cargo run --release -p unspun-bench --bin rewrite-eval -- --write` \
             (`--model {}`). Scored as `../shared/data/llm-rewrites-dev/README.md` defines it \
             (`crates/bench/src/rewrites.rs`); verdicts on reports the set's `judged.jsonl` \
             does not cover are in [`rewrite-eval-judged.jsonl`](rewrite-eval-judged.jsonl).\n\n{md}",
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
            unspun_bench::machine(),
            unspun_bench::commit(),
            args.model,
        );
        unspun_bench::write_report("docs/REWRITE-EVAL.md", &doc)?;
    }
    Ok(())
}

fn table(s: &Summary, model: &str) -> String {
    let mut md = String::new();
    let n = s.rewrites;
    let _ = writeln!(md, "| figure ({model}) | value | target |");
    let _ = writeln!(md, "|---|---:|---:|");
    let _ = writeln!(
        md,
        "| original first | {:.3} ({} / {n}) | ≥ 0.95 |",
        s.original_first as f64 / n.max(1) as f64,
        s.original_first
    );
    let _ = writeln!(
        md,
        "| planted changes flagged | {:.3} | ≥ 0.85 |",
        s.flagged()
    );
    let _ = writeln!(md, "| planted changes typed | {:.3} | |", s.typed());
    let _ = writeln!(
        md,
        "| rewrites (controls apart) with an unexplained major change | {:.3} ({} / {}) | ≤ 0.05 |",
        s.major_share(),
        s.major_rewrites,
        n - s.controls
    );
    let _ = writeln!(
        md,
        "| controls with an unexplained major change | {} / {} | 0 |",
        s.major_controls, s.controls
    );
    let _ = writeln!(md, "| unexplained major changes | {} | |", s.major_changes);
    let _ = writeln!(
        md,
        "| rewrites with an unexplained minor change | {:.3} ({} / {n}) | ≤ 0.10 |",
        s.minor_share(),
        s.minor_rewrites
    );
    let _ = writeln!(md, "| unexplained minor changes | {} | |", s.minor_changes);
    let _ = writeln!(md, "| reports no verdict covers | {} | 0 |", s.unjudged);
    let _ = writeln!(md, "\n| planted kind | planted | flagged | typed |");
    let _ = writeln!(md, "|---|---:|---:|---:|");
    for (kind, (p, f, t)) in &s.kinds {
        let _ = writeln!(
            md,
            "| {kind} | {p} | {:.2} ({f}) | {:.2} ({t}) |",
            *f as f64 / *p as f64,
            *t as f64 / *p as f64
        );
    }
    md
}
