//! `summedits-eval`: change reports on SummEdits (LLM edits of summaries,
//! labelled by annotators as consistent rewordings or fact changes), all 8
//! domains here, news reported on its own.
//!
//! Each item's seed summary is the source and its edit the rewrite, both
//! dated 2023-01-10 (an edit is not published on another day, so
//! "Wednesday" stays the same day on both sides); the pair is aligned by the lexical
//! aligner and compared by the change detector, as `change-suite` does (a
//! trace through the store would find the seed as the only candidate and
//! align it the same way). The edited words are the tokens outside the
//! longest common subsequence of the two summaries' words.
//!
//! * A **fact-changing** edit (label 0) is flagged when it gets a minor or
//!   major change, and flagged **at the edited words** when that change's
//!   span overlaps the edited words of either side.
//! * A **rewording** (label 1) should get none.
//!
//! Run: `cargo run --release -p unspun-bench --bin summedits-eval [-- --write]`;
//! `--write` stores the tables in `docs/SUMMEDITS-BENCH.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Parser;
use rayon::prelude::*;
use unspun_align::{Aligner, AnalyzedArticle};
use unspun_article::{Article, ArticleId};
use unspun_changes::{Change, ChangeDetector, Severity};
use unspun_segment::{Analyzer, Segmenter, Span, Token};

#[derive(Parser, Debug)]
#[command(about = "Change reports on SummEdits edits of summaries")]
struct Args {
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Print the news items the detector gets wrong.
    #[arg(long)]
    verbose: bool,
    /// Write docs/SUMMEDITS-BENCH.md.
    #[arg(long)]
    write: bool,
    /// Write one JSON line per item (domain, id, label, edit types, flagged,
    /// flagged at the edited words, changes) to this file, to compare the
    /// detector item by item with another judge.
    #[arg(long)]
    items: Option<PathBuf>,
}

const DOMAINS: [&str; 8] = [
    "news",
    "podcast",
    "samsum",
    "qmsumm",
    "ectsum",
    "sales_call",
    "sales_email",
    "scitldr",
];

/// The outcome of one item.
#[derive(serde::Serialize)]
struct Item {
    id: String,
    consistent: bool,
    edit_types: Vec<String>,
    /// A minor or major change was reported.
    flagged: bool,
    /// One of them is at the edited words.
    at_edit: bool,
    summary: String,
    changes: Vec<String>,
}

fn analyzed(id: &str, text: &str, date: &str) -> AnalyzedArticle {
    let mut a = Article::new(ArticleId::new(id).expect("valid id"), text);
    a.date = date.parse().ok();
    AnalyzedArticle::new(a, &Segmenter::new(), &Analyzer::new())
}

/// The byte ranges of the words of `a` and `b` outside their longest
/// common subsequence (by normalised word).
fn edited(a: &[Token], b: &[Token]) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (n, m) = (a.len(), b.len());
    let mut l = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            l[i][j] = if a[i].norm == b[j].norm {
                l[i + 1][j + 1] + 1
            } else {
                l[i + 1][j].max(l[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut ea, mut eb) = (Vec::new(), Vec::new());
    while i < n && j < m {
        if a[i].norm == b[j].norm {
            i += 1;
            j += 1;
        } else if l[i + 1][j] >= l[i][j + 1] {
            ea.push(a[i].span.range());
            i += 1;
        } else {
            eb.push(b[j].span.range());
            j += 1;
        }
    }
    ea.extend(a[i..].iter().map(|t| t.span.range()));
    eb.extend(b[j..].iter().map(|t| t.span.range()));
    (ea, eb)
}

fn overlaps(span: Option<Range<usize>>, ranges: &[Range<usize>]) -> bool {
    span.is_some_and(|s| {
        ranges
            .iter()
            .any(|r| s.start < r.end && r.start < s.end.max(s.start + 1))
    })
}

fn run_item(det: &ChangeDetector, v: &serde_json::Value) -> Option<Item> {
    let seed = v["original_summary"].as_str()?;
    let edit = v["summary"].as_str()?;
    let consistent = v["label"].as_i64()? == 1;
    let s = analyzed("seed", seed, "2023-01-10");
    let d = analyzed("edit", edit, "2023-01-10");
    let alignment = Aligner::new().align(&d, &s);
    let report = det.detect(&d, &s, &alignment);
    let an = Analyzer::new();
    let (es, ed) = edited(
        &an.tokens(seed, Span::new(0, seed.len())),
        &an.tokens(edit, Span::new(0, edit.len())),
    );
    let changes: Vec<&Change> = report
        .all()
        .filter(|c| c.severity >= Severity::Minor)
        .collect();
    let at_edit = changes.iter().any(|c| {
        overlaps(c.derived.as_ref().map(|t| t.start..t.end), &ed)
            || overlaps(c.source.as_ref().map(|t| t.start..t.end), &es)
    });
    Some(Item {
        id: v["id"]
            .as_str()
            .map(str::to_string)
            .or_else(|| v["id"].as_i64().map(|n| n.to_string()))
            .unwrap_or_default(),
        consistent,
        edit_types: v["edit_types"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        flagged: !changes.is_empty(),
        at_edit,
        summary: format!("{seed}\n  => {edit}"),
        changes: changes
            .iter()
            .map(|c| format!("{} {}: {}", c.severity.as_str(), c.kind, c.detail))
            .collect(),
    })
}

fn share(n: usize, d: usize) -> String {
    if d == 0 {
        "–".into()
    } else {
        format!("{:.3} ({n} / {d})", n as f64 / d as f64)
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    let det = ChangeDetector::new();
    let mut md = String::new();
    let _ = writeln!(
        md,
        "| domain | fact-changing edits | flagged | flagged at the edited words | rewordings | rewordings flagged |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|");
    let mut news_types: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut news_wrong = Vec::new();
    let mut item_lines = String::new();
    for domain in DOMAINS {
        let path = args
            .data
            .join(format!("summedits/data/summedits_{domain}.json"));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let items: Vec<serde_json::Value> = serde_json::from_str(&text)?;
        let out: Vec<Item> = items.par_iter().filter_map(|v| run_item(&det, v)).collect();
        if args.items.is_some() {
            for i in &out {
                let mut line = serde_json::to_value(i)?;
                line["domain"] = domain.into();
                item_lines.push_str(&line.to_string());
                item_lines.push('\n');
            }
        }
        let fact: Vec<&Item> = out.iter().filter(|i| !i.consistent).collect();
        let same: Vec<&Item> = out.iter().filter(|i| i.consistent).collect();
        let _ = writeln!(
            md,
            "| {domain} | {} | {} | {} | {} | {} |",
            fact.len(),
            share(fact.iter().filter(|i| i.flagged).count(), fact.len()),
            share(fact.iter().filter(|i| i.at_edit).count(), fact.len()),
            same.len(),
            share(same.iter().filter(|i| i.flagged).count(), same.len()),
        );
        if domain == "news" {
            for i in &fact {
                for t in &i.edit_types {
                    let e = news_types.entry(t.clone()).or_default();
                    e.0 += 1;
                    e.1 += i.flagged as usize;
                    e.2 += i.at_edit as usize;
                }
            }
            news_wrong.extend(
                out.iter()
                    .filter(|i| i.consistent == i.flagged)
                    .map(|i| (i.consistent, i.summary.clone(), i.changes.clone())),
            );
        }
    }
    let _ = writeln!(
        md,
        "\nNews, per edit type (an item may carry several):\n\n| edit type | items | flagged | at the edited words |\n|---|---:|---:|---:|"
    );
    for (t, (n, f, a)) in &news_types {
        let _ = writeln!(md, "| {t} | {n} | {} | {} |", share(*f, *n), share(*a, *n));
    }
    print!("{md}");
    if let Some(path) = &args.items {
        std::fs::write(path, &item_lines).with_context(|| format!("writing {}", path.display()))?;
    }
    if args.verbose {
        for (consistent, s, cs) in &news_wrong {
            eprintln!(
                "{}\n  {s}\n  {cs:?}\n",
                if *consistent {
                    "REWORDING FLAGGED"
                } else {
                    "FACT CHANGE MISSED"
                }
            );
        }
    }
    if args.write {
        let doc = format!(
            "# Change reports on SummEdits\n\n\
             Measured {} on {}, commit {}, by \
             `cargo run --release -p unspun-bench --bin summedits-eval -- --write`. \
             Each seed summary is the source and its LLM edit the rewrite; see the command's header \
             (`crates/bench/src/bin/summedits_eval.rs`) for how items are scored. Targets (issue 15): \
             news fact-changing edits flagged at the edited words ≥ 0.85, each edit type ≥ 0.75, \
             rewordings flagged ≤ 0.10.\n\n{md}",
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
            unspun_bench::machine(),
            unspun_bench::commit(),
        );
        unspun_bench::write_report("docs/SUMMEDITS-BENCH.md", &doc)?;
    }
    Ok(())
}
