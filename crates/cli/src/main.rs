//! `unspun`: find where a news story came from.
//!
//! Thin glue over `unspun-engine`: argument parsing, progress bars, and
//! exit codes. Exit status: 0 on success, 1 when some inputs failed (the
//! rest were processed), 2 on a fatal error.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use unspun_article::read::{Format, ReadOptions};
use unspun_fetch::{FetchOptions, Fetcher};
use unspun_store::{EmbeddedStore, OnConflict};

use ingest::{ingest, BatchSizes};
use inspect::{show, stats};
use models::{load_minilm, load_static, ModelChoice, ModelsDir};
use scan::scan;
use similarity::similarity;
use trace::trace;

mod graph;
mod ingest;
mod inputs;
mod inspect;
mod models;
mod scan;
mod serve;
mod similarity;
mod trace;
mod upgrade;

#[derive(Parser)]
#[command(name = "unspun", version, about = "Find where a news story really came from", long_about = None)]
struct Cli {
    /// The store directory.
    #[arg(
        long,
        global = true,
        env = "UNSPUN_STORE",
        default_value = "./unspun-data"
    )]
    store: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles from files and directories into the store.
    Ingest {
        /// Files or directories (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Input format: auto (by extension), text, jsonl, reuters-sgml, html, warc, feed.
        #[arg(long, default_value = "auto")]
        format: Format,
        /// Replace stored articles whose id comes again with different content
        /// (default: keep the stored version and report a conflict).
        #[arg(long)]
        replace: bool,
        /// Decode files that are not valid UTF-8 as Latin-1 instead of rejecting them.
        #[arg(long)]
        latin1_fallback: bool,
        /// Articles per atomic batch (default: 5000, doubling batch by batch
        /// up to 20000; 1000 with --model).
        #[arg(long)]
        batch_size: Option<usize>,
        /// Do not print warnings (errors are always printed).
        #[arg(long, short)]
        quiet: bool,
        /// Also compute and cache each article's sentence vectors with this
        /// model (`static` or `minilm`), so later traces need not embed them.
        #[arg(long, value_parser = ["static", "minilm"])]
        model: Option<String>,
        #[command(flatten)]
        models: ModelsDir,
        /// Fetch the inputs that are http(s) URLs (pages and RSS/Atom
        /// feeds; a feed entry with only a teaser is read from its page):
        /// robots.txt obeyed, one request per second per host, 30 s
        /// timeout, 10 MiB cap, 5 redirects. Without it a URL is an error.
        #[arg(long)]
        fetch: bool,
    },
    /// Trace an article to its sources, sentence by sentence.
    Trace {
        /// A file holding the article(s) to trace (any input format), or
        /// the http(s) URL of a page or feed to fetch (politely: see
        /// `ingest --fetch`).
        #[arg(required_unless_present = "id", conflicts_with = "id")]
        file: Option<PathBuf>,
        /// The id of a stored article.
        #[arg(long)]
        id: Option<String>,
        /// Print JSON (one object per traced article) instead of text.
        #[arg(long)]
        json: bool,
        /// Also write a self-contained HTML report (the article and each
        /// source side by side, changes highlighted) to this file.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Extra places for the change detector's gazetteer: one
        /// `KIND<TAB>NAME<TAB>COUNTRY` per line (KIND: country, alias,
        /// demonym, city, region; or part, for a country that lay within a
        /// larger one of the period: part<TAB>Russia<TAB>Soviet Union),
        /// added to the built-in one.
        #[arg(long, value_name = "FILE")]
        gazetteer: Option<PathBuf>,
        /// Input format of FILE.
        #[arg(long, default_value = "auto")]
        format: Format,
        #[command(flatten)]
        model: ModelChoice,
    },
    /// Print every derived pair in the store as JSON Lines.
    Scan {
        #[command(flatten)]
        model: ModelChoice,
    },
    /// Score sentence pairs read from standard input, one per line: TSV
    /// (`A<TAB>B`) or JSON Lines (`{"a": ..., "b": ...}`). Prints one JSON
    /// object per input line, in order: `{"score", "paraphrase", "model"}`.
    Similarity {
        /// `lexical`, `static` (lexical + static-embedding cosine),
        /// `minilm` (the same plus the MiniLM pair model reading both texts
        /// together: the most accurate on sentence pairs, about 40-100
        /// pairs/s; not meant for whole paragraphs), or `auto`: static when
        /// the model is set up, else lexical.
        #[arg(long, default_value = "auto", value_parser = ["auto", "lexical", "static", "minilm"])]
        model: String,
        /// Where the models are (see scripts/setup.sh).
        #[arg(long, env = "UNSPUN_MODELS", default_value = "./models")]
        models: PathBuf,
    },
    /// Build or update the derivation graph of the store: who copies whom,
    /// story clusters and originals. Prints an overview and the per-outlet
    /// summary unless an output goes to standard output. Incremental: the
    /// articles new or changed since the last run are traced, and the older
    /// ones whose candidates they enter; the result equals `--rebuild`.
    /// Every trace uses the corpus statistics taken at the first run; they
    /// are taken again (and everything traced again) when the store has
    /// grown past twice that size, or on `--refresh-statistics`.
    Graph {
        /// Sentence similarity of the graph's traces: `lexical`, `static`
        /// or `minilm` (as `trace --model`). Default: the mode the saved
        /// graph was built in, else lexical (the fastest; a graph traces
        /// every article). Another mode than the saved graph's traces
        /// every article again.
        #[arg(long, value_parser = ["lexical", "static", "minilm"])]
        model: Option<String>,
        /// Trace every article again (with the saved corpus statistics)
        /// instead of updating the saved graph.
        #[arg(long)]
        rebuild: bool,
        /// Take the corpus statistics afresh, then trace every article again.
        #[arg(long)]
        refresh_statistics: bool,
        /// Write edges, related pairs and clusters as JSON Lines (`-`: stdout).
        #[arg(long, value_name = "FILE")]
        jsonl: Option<PathBuf>,
        /// Write GraphML, for Gephi (`-`: stdout).
        #[arg(long, value_name = "FILE")]
        graphml: Option<PathBuf>,
        /// Write Graphviz DOT (`-`: stdout).
        #[arg(long, value_name = "FILE")]
        dot: Option<PathBuf>,
        /// Restrict the outputs to the story of this article.
        #[arg(long, value_name = "ID")]
        story: Option<String>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// Where the models are (see scripts/setup.sh): the embedders of
        /// `--model static|minilm`, and WordNet (DIR/wordnet) for the edges'
        /// changes.
        #[arg(long, env = "UNSPUN_MODELS", default_value = "./models")]
        models: PathBuf,
    },
    /// Print one stored article.
    Show {
        /// Article id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print what the store holds.
    Stats {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Serve the HTTP API (docs/API.md) over the store until Ctrl-C or
    /// SIGTERM. Prints the URL it listens on.
    Serve(serve::ServeArgs),
    /// Bring a store written by an older unspun up to date: record the
    /// sentence shapes of articles stored before they were counted, so that
    /// genre frames (the same notice filled with other figures) are told
    /// apart from reuse. Does nothing to a store that is up to date.
    Upgrade,
}

fn main() -> ExitCode {
    // html5ever logs every tree-building quirk of a real page at warn
    // ("foster parenting not implemented"): noise for a user ingesting a crawl.
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("warn,html5ever=error"),
    )
    .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Ingest {
            paths,
            format,
            replace,
            latin1_fallback,
            batch_size,
            quiet,
            model,
            models,
            fetch,
        } => ingest(
            &cli.store,
            &inputs::Inputs {
                items: paths,
                fetcher: fetch.then(|| Fetcher::new(FetchOptions::default())),
            },
            ReadOptions {
                format,
                latin1_fallback,
                ..ReadOptions::default()
            },
            if replace {
                OnConflict::Replace
            } else {
                OnConflict::Reject
            },
            // Every batch ends in an index commit, and each commit adds a
            // segment that merges must rewrite later: 5000 instead of 1000
            // took a 20k lexical ingest from 8.0 to 6.0 CPU-seconds (medians
            // of three interleaved runs on a loaded 2-core machine), and
            // 20000 instead of 5000 a 1M ingest from 196 to 156 s (one run
            // each, 2026-11-23). Batches start small, so that storing the
            // first overlaps reading the next even in a small corpus, and
            // double up to 20000 (1.3 GiB peak at 1M).
            // With a model, a batch is also one embedding call, which for
            // MiniLM runs for minutes at 1000 articles already.
            match (batch_size, &model) {
                (Some(n), _) => BatchSizes::fixed(n),
                (None, Some(_)) => BatchSizes::fixed(1000),
                (None, None) => BatchSizes::doubling(5000, 20_000),
            },
            quiet,
            match model.as_deref() {
                None => None,
                Some(name) => {
                    let dir = &models.models;
                    let loaded = match name {
                        "minilm" => load_minilm(dir),
                        _ => load_static(dir),
                    };
                    Some(loaded.with_context(|| {
                        format!(
                            "--model {name}: cannot load the model from {} (run scripts/setup.sh)",
                            dir.display()
                        )
                    })?)
                }
            },
        ),
        Command::Trace {
            file,
            id,
            json,
            html,
            gazetteer,
            format,
            model,
        } => trace(&cli.store, file, id, json, html, gazetteer, format, &model),
        Command::Scan { model } => scan(&cli.store, &model),
        Command::Similarity { model, models } => similarity(&model, &models),
        Command::Graph {
            rebuild,
            refresh_statistics,
            jsonl,
            graphml,
            dot,
            story,
            json,
            models,
            model,
        } => {
            let store = open_existing(&cli.store)?;
            upgrade::note_if_outdated(&cli.store, store.as_ref())?;
            graph::graph(
                &cli.store,
                store,
                graph::GraphOptions {
                    model,
                    models,
                    rebuild,
                    refresh_statistics,
                    jsonl,
                    graphml,
                    dot,
                    story,
                    json,
                },
            )
        }
        Command::Show { id, json } => show(&cli.store, &id, json),
        Command::Stats { json } => stats(&cli.store, json),
        Command::Upgrade => upgrade::upgrade(&cli.store),
        Command::Serve(args) => serve::serve(&cli.store, args),
    }
}

fn open_existing(dir: &std::path::Path) -> Result<Arc<EmbeddedStore>> {
    let store = EmbeddedStore::open_read_only(dir).with_context(|| {
        format!(
            "cannot open the store at {} (run `unspun ingest` first, or pass --store)",
            dir.display()
        )
    })?;
    Ok(Arc::new(store))
}

/// A store opened for reading whose embedding cache may be written
/// (`trace` and `scan` cache the MiniLM vectors they compute).
fn open_existing_with_cache(dir: &std::path::Path) -> Result<Arc<EmbeddedStore>> {
    let store = EmbeddedStore::open_read_only(dir).with_context(|| {
        format!(
            "cannot open the store at {} (run `unspun ingest` first, or pass --store)",
            dir.display()
        )
    })?;
    Ok(Arc::new(store.with_cache_writes()))
}

/// A progress bar of `total` steps on stderr, hidden when stderr is not a
/// terminal.
fn progress_bar(total: u64, template: &str) -> ProgressBar {
    let pb = if std::io::stderr().is_terminal() {
        ProgressBar::new(total)
    } else {
        ProgressBar::hidden()
    };
    pb.set_style(ProgressStyle::with_template(template).expect("valid progress template"));
    pb
}

fn spinner(template: &str) -> ProgressBar {
    let pb = if std::io::stderr().is_terminal() {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    pb.set_style(ProgressStyle::with_template(template).expect("valid progress template"));
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}
