//! `sibling-eval`: sibling rewrites (issue 14). Stores the l2r-dev human
//! texts and their LLM rewrites (by default among the BBC and
//! Reuters-21578 articles as distractors), once with the human texts
//! dated a day before the rewrites and once with all on the same day, and
//! measures per domain: the human text first in the `trace` of each
//! rewrite, the human text the graph's parent of each rewrite, and every
//! rewrite → rewrite edge with whether it states what it carries beyond
//! the common source. Writes a Markdown report (`--out`).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Parser;
use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};
use unspun_article::Article;
use unspun_bench::l2r;
use unspun_bench::siblings::{evaluate_with, Outcome, Setting};
use unspun_embed::{Embedder, MiniLm, StaticEmbedder};
use unspun_engine::Semantics;

#[derive(Parser)]
#[command(about = "Sibling rewrites on l2r-dev: trace order, graph parents, sibling edges")]
struct Args {
    /// The shared data directory (holds l2r-dev, bbc-news-2225, reuters21578).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// The embedding models (see scripts/setup.sh).
    #[arg(long, default_value = "./models")]
    models: PathBuf,
    /// The traces' similarity mode (`unspun trace --model`): lexical,
    /// static (its default) or minilm.
    #[arg(long, default_value = "static", value_parser = ["lexical", "static", "minilm"])]
    model: String,
    /// The graph's similarity mode (`unspun graph --model`): lexical
    /// (its default), static or minilm.
    #[arg(long, default_value = "lexical", value_parser = ["lexical", "static", "minilm"])]
    graph_model: String,
    /// Leave the BBC and Reuters distractors out.
    #[arg(long)]
    no_distractors: bool,
    /// Use only the first N families of each domain.
    #[arg(long)]
    limit: Option<usize>,
    /// Failures listed per setting in the report.
    #[arg(long, default_value_t = 40)]
    show: usize,
    /// Write the Markdown report here (else stdout only).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let mut families = Vec::new();
    for d in l2r::DOMAINS {
        let mut f = l2r::read_domain(&args.data.join("l2r-dev"), d)?;
        if let Some(n) = args.limit {
            f.truncate(n);
        }
        families.extend(f);
    }
    let distractors = if args.no_distractors {
        Vec::new()
    } else {
        read_distractors(&args)?
    };
    // Each model loaded once, if the trace or the graph uses it.
    let uses = |m: &str| [args.model.as_str(), args.graph_model.as_str()].contains(&m);
    let fast: Option<Arc<dyn Embedder>> = if uses("static") || uses("minilm") {
        Some(Arc::new(
            StaticEmbedder::load(&args.models.join("static"))
                .with_context(|| format!("static model in {}", args.models.display()))?,
        ))
    } else {
        None
    };
    let minilm: Option<Arc<dyn Embedder>> = if uses("minilm") {
        Some(Arc::new(
            MiniLm::load(&args.models.join("minilm"))
                .with_context(|| format!("MiniLM model in {}", args.models.display()))?,
        ))
    } else {
        None
    };
    let with_model = |mode: &str| match (mode, &fast, &minilm) {
        ("static", Some(f), _) => Semantics::Static(f.clone()),
        ("minilm", Some(f), Some(m)) => Semantics::MiniLm {
            fast: f.clone(),
            minilm: m.clone(),
        },
        _ => Semantics::Lexical,
    };
    let semantics = with_model(&args.model);
    let graph_semantics = with_model(&args.graph_model);
    let rewrites: usize = families.iter().map(|f| f.rewrites.len()).sum();
    let mut report = String::new();
    let _ = writeln!(report, "# Sibling rewrites: measured\n");
    let _ = writeln!(
        report,
        "Date: {} UTC. Machine: {}. Commit: {}.\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M"),
        unspun_bench::machine(),
        unspun_bench::commit()
    );
    let _ = writeln!(
        report,
        "Command: `cargo run --release -p unspun-bench --bin sibling-eval -- {}`\n",
        std::env::args().skip(1).collect::<Vec<_>>().join(" ")
    );
    let _ = writeln!(
        report,
        "Corpus: {} l2r-dev families ({} human texts, {} rewrites matched to them by content), {} distractor articles; trace mode {}, graph {} (as `unspun graph --model {}`).\n",
        families.len(),
        families.len(),
        rewrites,
        distractors.len(),
        args.model,
        args.graph_model,
        args.graph_model
    );
    for setting in [Setting::OriginalEarlier, Setting::SameDay] {
        eprintln!("sibling-eval: {}", setting.name());
        let o = evaluate_with(
            &families,
            &distractors,
            setting,
            semantics.clone(),
            graph_semantics.clone(),
        )?;
        write_setting(&mut report, setting, &o, args.show);
    }
    print!("{report}");
    if let Some(path) = &args.out {
        std::fs::write(path, &report).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn write_setting(report: &mut String, setting: Setting, o: &Outcome, show: usize) {
    let _ = writeln!(report, "## {}\n", setting.name());
    let _ = writeln!(
        report,
        "| domain | rewrites | original first in trace | original listed | graph parent = original | sibling edges | with stated evidence | cross-family edges |"
    );
    let _ = writeln!(report, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for (d, c) in &o.by_domain {
        let r = |k: usize| {
            if c.rewrites == 0 {
                "-".to_string()
            } else {
                format!("{:.3} ({k})", k as f64 / c.rewrites as f64)
            }
        };
        let _ = writeln!(
            report,
            "| {d} | {} | {} | {} | {} | {} | {} | {} |",
            c.rewrites,
            r(c.original_first),
            r(c.original_listed),
            r(c.graph_parent),
            c.sibling_edges,
            c.sibling_edges_with_evidence,
            c.cross_edges
        );
    }
    let _ = writeln!(
        report,
        "\nTrace of the rewrites {:.1} s wall, graph {:.1} s wall.\n",
        o.trace_s, o.graph_s
    );
    let _ = writeln!(
        report,
        "Failures and sibling edges ({} in all, the first {show}):\n",
        o.failures.len()
    );
    for f in o.failures.iter().take(show) {
        let _ = writeln!(report, "- {f}");
    }
    let _ = writeln!(report);
}

/// The BBC and Reuters-21578 articles, as `unspun-bench` reads them.
fn read_distractors(args: &Args) -> Result<Vec<Article>> {
    let mut out = Vec::new();
    for (path, format) in [
        (args.data.join("bbc-news-2225/bbc"), Format::Text),
        (args.data.join("reuters21578"), Format::ReutersSgml),
    ] {
        anyhow::ensure!(path.exists(), "{} is missing", path.display());
        let opts = ReadOptions {
            format,
            latin1_fallback: true,
            ..ReadOptions::default()
        };
        read_paths(std::slice::from_ref(&path), &opts, &mut |ev| {
            if let ReadEvent::Article { article, .. } = ev {
                out.push(article);
            }
        });
    }
    Ok(out)
}
