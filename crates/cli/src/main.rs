//! `unspun`: find where a news story came from.
//!
//! Thin glue over `unspun-engine`: argument parsing, progress bars, and
//! exit codes. Exit status: 0 on success, 1 when some inputs failed (the
//! rest were processed), 2 on a fatal error.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use unspun_article::read::{Format, ReadEvent, ReadOptions};
use unspun_article::{Article, ArticleId};
use unspun_changes::{wordnet, ChangeDetector, Gazetteer};
use unspun_embed::{EmbedError, Embedder, MiniLm, StaticEmbedder};
use unspun_engine::{EngineBuilder, IngestCounts, Mode, PreparedBatch, Semantics};
use unspun_fetch::{FetchOptions, Fetcher};
use unspun_report::{render_html_reviewed, render_text_reviewed, TraceReport};
use unspun_store::{EmbeddedStore, OnConflict, Store};

mod graph;
mod inputs;
mod serve;

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
        /// Where the models are (see scripts/setup.sh): the change detector
        /// reads WordNet from DIR/wordnet for the edges' changes.
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
}

/// Where the embedding models are.
#[derive(clap::Args)]
struct ModelsDir {
    /// Where the models are (see scripts/setup.sh).
    #[arg(long, env = "UNSPUN_MODELS", default_value = "./models")]
    models: PathBuf,
}

/// `--model` of `trace` and `scan`.
#[derive(clap::Args)]
struct ModelChoice {
    /// Sentence similarity: `lexical`, `static` (plus static-embedding
    /// evidence) or `minilm` (static, with MiniLM re-scoring borderline
    /// pairs). Default: static when the models are set up, else lexical
    /// with a note.
    #[arg(long, value_parser = ["lexical", "static", "minilm"])]
    model: Option<String>,
    #[command(flatten)]
    models: ModelsDir,
}

/// The mode used when `--model` is not given: the most accurate one that
/// stays interactive (under one second for one article against the 21k
/// BBC + Reuters-21578 corpus; docs/EMBED-BENCH.md has the measurements).
const DEFAULT_MODE: Mode = Mode::Static;

fn load_static(models: &std::path::Path) -> Result<Arc<dyn Embedder>, EmbedError> {
    Ok(Arc::new(StaticEmbedder::load(&models.join("static"))?))
}

fn load_minilm(models: &std::path::Path) -> Result<Arc<dyn Embedder>, EmbedError> {
    Ok(Arc::new(MiniLm::load(&models.join("minilm"))?))
}

fn load_semantics(mode: Mode, models: &std::path::Path) -> Result<Semantics, EmbedError> {
    Ok(match mode {
        Mode::Lexical => Semantics::Lexical,
        Mode::Static => Semantics::Static(load_static(models)?),
        Mode::MiniLm => Semantics::MiniLm {
            fast: load_static(models)?,
            minilm: load_minilm(models)?,
        },
    })
}

/// The engine settings for `--model`: an explicitly requested model that is
/// missing is an error naming the directory; without `--model`, missing
/// models mean lexical-only, said once on stderr.
fn semantics(choice: &ModelChoice) -> Result<(Semantics, bool)> {
    let dir = &choice.models.models;
    match choice.model.as_deref() {
        Some(name) => {
            let mode: Mode = name.parse().map_err(anyhow::Error::msg)?;
            let s = load_semantics(mode, dir).with_context(|| {
                format!(
                    "--model {name}: cannot load the models from {} (run scripts/setup.sh)",
                    dir.display()
                )
            })?;
            Ok((s, false))
        }
        None => match load_semantics(DEFAULT_MODE, dir) {
            Ok(s) => Ok((s, false)),
            Err(EmbedError::ModelMissing { .. }) => {
                eprintln!(
                    "note: models not found in {} (run scripts/setup.sh); lexical-only",
                    dir.display()
                );
                Ok((Semantics::Lexical, true))
            }
            Err(e) => Err(anyhow::Error::new(e)
                .context(format!("cannot load the models from {}", dir.display()))),
        },
    }
}

/// The change detector of `trace` and `scan`: the built-in gazetteer (plus
/// `--gazetteer`) and WordNet from `models/wordnet`. Without WordNet the
/// content-word detector is off, said once on stderr unless the models note
/// (which already asks for scripts/setup.sh) was printed.
fn change_detector(
    models: &std::path::Path,
    gazetteer: Option<&std::path::Path>,
    models_noted: bool,
) -> Result<ChangeDetector> {
    let mut builder = ChangeDetector::builder();
    if let Some(path) = gazetteer {
        let extra = Gazetteer::from_file(path)?;
        builder = builder.gazetteer(Gazetteer::builtin().merge(extra));
    }
    let dir = models.join("wordnet");
    let wordnet = match wordnet::shared_in(&dir) {
        Ok(wn) => Some(wn),
        Err(e) => {
            if !models_noted {
                eprintln!("note: {e}; content words are not checked");
            }
            None
        }
    };
    Ok(builder.wordnet(wordnet).build())
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
        } => {
            let engine = EngineBuilder::new(open_existing(&cli.store)?)
                .change_detector(change_detector(&models, None, false)?)
                .build();
            graph::graph(
                &cli.store,
                &engine,
                graph::GraphOptions {
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

/// How many articles go into each atomic ingest batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct BatchSizes {
    current: usize,
    max: usize,
}

impl BatchSizes {
    fn fixed(n: usize) -> BatchSizes {
        BatchSizes {
            current: n.max(1),
            max: n.max(1),
        }
    }

    fn doubling(first: usize, max: usize) -> BatchSizes {
        BatchSizes {
            current: first.max(1),
            max: max.max(first).max(1),
        }
    }

    /// Called after each full batch.
    fn grow(&mut self) {
        self.current = self.current.saturating_mul(2).min(self.max);
    }
}

fn ingest(
    dir: &std::path::Path,
    inputs: &inputs::Inputs,
    opts: ReadOptions,
    on_conflict: OnConflict,
    mut batch_size: BatchSizes,
    quiet: bool,
    precompute: Option<Arc<dyn Embedder>>,
) -> Result<ExitCode> {
    let store = Arc::new(
        EmbeddedStore::open(dir)
            .with_context(|| format!("cannot open or create the store at {}", dir.display()))?,
    );
    let engine = EngineBuilder::new(store).precompute(precompute).build();
    let pb = spinner("{spinner} {pos} articles read ({per_sec}) {msg}");
    let mut failed = 0usize;
    let mut warnings = 0usize;
    let mut skipped = 0usize;
    let mut batch: Vec<Article> = Vec::with_capacity(batch_size.current);

    // A two-stage pipeline: this thread reads and fingerprints a batch
    // (fingerprinting runs on all cores) while a second thread stores the
    // batch before it (SQLite and tantivy writes are sequential). The channel
    // holds one batch, so at most three are in memory.
    let (to_store, batches) = std::sync::mpsc::sync_channel::<PreparedBatch>(1);
    let counts = std::thread::scope(|scope| -> Result<IngestCounts> {
        let storer = scope.spawn(|| -> Result<IngestCounts> {
            let mut counts = IngestCounts::default();
            for prepared in batches {
                let ids: Vec<ArticleId> = prepared.ids().cloned().collect();
                let outcomes = engine
                    .store_batch(prepared, on_conflict)
                    .context("storing a batch failed; earlier batches are stored")?;
                counts.add_ids(&ids, &outcomes);
            }
            Ok(counts)
        });
        // False once the storer has stopped on an error: reading stops too.
        let storing = std::cell::Cell::new(true);
        let send = |batch: &mut Vec<Article>| {
            if storing.get() && !batch.is_empty() {
                let prepared = engine.prepare_batch(std::mem::take(batch));
                storing.set(to_store.send(prepared).is_ok());
            }
        };
        let mut send_full = |batch: &mut Vec<Article>| {
            if batch.len() >= batch_size.current {
                send(batch);
                batch_size.grow();
            }
        };
        inputs.read(&opts, &mut |event| {
            if !storing.get() {
                return;
            }
            match event {
                ReadEvent::Article { article, .. } => {
                    pb.inc(1);
                    batch.push(article);
                    send_full(&mut batch);
                }
                ReadEvent::Warning(w) => {
                    warnings += 1;
                    if !quiet {
                        pb.suspend(|| eprintln!("warning: {w}"));
                    }
                }
                ReadEvent::Error(e) => {
                    failed += 1;
                    pb.suspend(|| eprintln!("error: {e}"));
                }
                ReadEvent::SkippedFile { path, reason } => {
                    skipped += 1;
                    if !quiet {
                        pb.suspend(|| eprintln!("skipped: {}: {reason}", path.display()));
                    }
                }
            }
        });
        send(&mut batch);
        drop(to_store);
        storer.join().expect("the store thread panicked")
    });
    let counts = match counts {
        Ok(c) => c,
        Err(e) => {
            pb.finish_and_clear();
            return Err(e);
        }
    };
    pb.finish_and_clear();
    for id in &counts.conflicts {
        eprintln!(
            "error: {id}: already stored with different content; kept the stored version (use --replace to update it)"
        );
    }
    let failed_total = failed + counts.conflicts.len();
    println!(
        "ingest: {} added, {} unchanged, {} replaced, {} failed ({} warnings, {} files skipped)",
        counts.added, counts.unchanged, counts.replaced, failed_total, warnings, skipped
    );
    Ok(if failed_total > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

// One parameter per flag of `trace`: a struct would only repeat the clap variant.
#[allow(clippy::too_many_arguments)]
fn trace(
    dir: &std::path::Path,
    file: Option<PathBuf>,
    id: Option<String>,
    json: bool,
    html: Option<PathBuf>,
    gazetteer: Option<PathBuf>,
    format: Format,
    model: &ModelChoice,
) -> Result<ExitCode> {
    let store = open_existing_with_cache(dir)?;
    let (semantics, lexical_only) = semantics(model)?;
    let engine = EngineBuilder::new(store)
        .semantics(semantics)
        .lexical_only(lexical_only)
        .change_detector(change_detector(
            &model.models.models,
            gazetteer.as_deref(),
            lexical_only,
        )?)
        .build();
    let mut traces = Vec::new();
    let mut failed = 0;
    if let Some(id) = id {
        let id = ArticleId::new(id).context("invalid --id")?;
        traces.push(engine.trace_id(&id)?);
    } else if let Some(file) = file {
        let opts = ReadOptions {
            format,
            ..ReadOptions::default()
        };
        let mut articles = Vec::new();
        let url = file.to_str().is_some_and(unspun_fetch::is_url);
        let inputs = inputs::Inputs {
            items: vec![file.clone()],
            // A URL given to trace is a request to fetch it.
            fetcher: url.then(|| Fetcher::new(FetchOptions::default())),
        };
        inputs.read(&opts, &mut |event| match event {
            ReadEvent::Article { article, .. } => articles.push(article),
            ReadEvent::Error(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
            ReadEvent::Warning(w) => eprintln!("warning: {w}"),
            ReadEvent::SkippedFile { path, reason } => {
                eprintln!("skipped: {}: {reason}", path.display())
            }
        });
        if articles.is_empty() && failed == 0 {
            bail!("{}: no article to trace", file.display());
        }
        for a in articles {
            traces.push(engine.trace(a)?);
        }
    }
    // Every report carries the reviewers' decisions the store holds.
    let reports = traces
        .iter()
        .map(|t| {
            let mut report = TraceReport::from_trace(t);
            report.attach_reviews(engine.store().as_ref())?;
            Ok(report)
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some(path) = &html {
        // One page per traced article: FILE for the first, FILE-2.html, ... after.
        for (n, (t, report)) in traces.iter().zip(&reports).enumerate() {
            let target = if n == 0 {
                path.clone()
            } else {
                path.with_file_name(format!(
                    "{}-{}.html",
                    path.file_stem().unwrap_or_default().to_string_lossy(),
                    n + 1
                ))
            };
            std::fs::write(&target, render_html_reviewed(t, &report.reviews()))
                .with_context(|| format!("cannot write {}", target.display()))?;
            eprintln!("wrote {}", target.display());
        }
    }
    let mut out = std::io::stdout().lock();
    for (n, (t, report)) in traces.iter().zip(&reports).enumerate() {
        if json {
            serde_json::to_writer(&mut out, report)?;
            writeln!(out)?;
        } else {
            if n > 0 {
                writeln!(out, "\n{}\n", "=".repeat(72))?;
            }
            write!(out, "{}", render_text_reviewed(t, &report.reviews()))?;
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn scan(dir: &std::path::Path, model: &ModelChoice) -> Result<ExitCode> {
    let store = open_existing_with_cache(dir)?;
    let total = store.keys()?.len() as u64;
    let (semantics, lexical_only) = semantics(model)?;
    let engine = EngineBuilder::new(store)
        .semantics(semantics)
        .lexical_only(lexical_only)
        .change_detector(change_detector(&model.models.models, None, lexical_only)?)
        .build();
    let pb = progress_bar(
        total,
        "{bar:40} {pos}/{len} articles scanned ({per_sec}, eta {eta})",
    );
    let pairs = engine.scan(&|done, _| pb.set_position(done as u64))?;
    pb.finish_and_clear();
    let mut out = std::io::stdout().lock();
    for p in &pairs {
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({
                "derived": p.derived.as_str(),
                "source": p.source.as_str(),
                "relation": p.relation,
                "coverage": (p.coverage * 1000.0).round() / 1000.0,
                "source_coverage": (p.source_coverage * 1000.0).round() / 1000.0,
                "score": (p.score * 1000.0).round() / 1000.0,
                "aligned": p.aligned,
                "direction_certain": p.direction_certain,
                "direction_evidence": p.evidence,
            }),
        )?;
        writeln!(out)?;
    }
    eprintln!(
        "scan: {} derived pairs among {} articles",
        pairs.len(),
        total
    );
    Ok(ExitCode::SUCCESS)
}

/// One line of `unspun similarity`'s input: its number, and the pair or why
/// it is not one.
type ParsedLine = (usize, std::result::Result<(String, String), String>);

fn similarity(model: &str, models: &std::path::Path) -> Result<ExitCode> {
    use std::io::BufRead;
    use unspun_align::PairClassifier;
    use unspun_embed::{cosine, Embedder, PairModel, StaticEmbedder};

    let static_dir = models.join("static");
    let load_static = || {
        StaticEmbedder::load(&static_dir)
            .with_context(|| format!("cannot load the static model from {}", static_dir.display()))
    };
    let (embedder, pair_model) = match model {
        "lexical" => (None, None),
        "static" => (Some(load_static()?), None),
        "minilm" => {
            let dir = models.join("minilm");
            let pair = PairModel::load(&dir).with_context(|| {
                format!("cannot load the MiniLM pair model from {}", dir.display())
            })?;
            (Some(load_static()?), Some(pair))
        }
        _ => match StaticEmbedder::load(&static_dir) {
            Ok(e) => (Some(e), None),
            Err(e) => {
                eprintln!(
                    "note: {e}; scoring lexically (run scripts/setup.sh for the static model)"
                );
                (None, None)
            }
        },
    };
    let name = match (&embedder, &pair_model) {
        (_, Some(_)) => "lexical+static+minilm-pair",
        (Some(_), None) => "lexical+static",
        (None, None) => "lexical",
    };
    let classifier = PairClassifier::new();
    let parse = |line: &str| -> std::result::Result<(String, String), String> {
        if line.trim_start().starts_with('{') {
            #[derive(serde::Deserialize)]
            struct Pair {
                a: String,
                b: String,
            }
            serde_json::from_str::<Pair>(line)
                .map(|p| (p.a, p.b))
                .map_err(|e| format!("malformed JSON: {e}"))
        } else {
            match line.split_once('\t') {
                Some((a, b)) => Ok((a.to_string(), b.to_string())),
                None => {
                    Err("expected two tab-separated texts or a JSON object {\"a\", \"b\"}".into())
                }
            }
        }
    };
    let mut out = std::io::stdout().lock();
    let mut failed = 0usize;
    // Lines are scored in batches (the pair model runs a batch in one pass)
    // and printed in input order.
    let mut batch: Vec<ParsedLine> = Vec::new();
    let mut flush = |batch: &mut Vec<ParsedLine>, out: &mut std::io::StdoutLock| -> Result<()> {
        let ok: Vec<(&str, &str)> = batch
            .iter()
            .filter_map(|(_, p)| p.as_ref().ok().map(|(a, b)| (a.as_str(), b.as_str())))
            .collect();
        let margins = match &pair_model {
            Some(m) => Some(m.margins(&ok)?),
            None => None,
        };
        let mut k = 0;
        for (n, pair) in batch.drain(..) {
            let value = match pair {
                Ok((a, b)) => {
                    let cos = match &embedder {
                        Some(e) => {
                            let v = e.embed(&[a.as_str(), b.as_str()])?;
                            Some(cosine(&v[0], &v[1]))
                        }
                        None => None,
                    };
                    let verdict = match (&margins, cos) {
                        (Some(m), Some(c)) => classifier.classify_with_pair_model(&a, &b, c, m[k]),
                        _ => classifier.classify(&a, &b, cos),
                    };
                    k += 1;
                    serde_json::json!({
                        "score": (f64::from(verdict.score) * 10000.0).round() / 10000.0,
                        "paraphrase": verdict.paraphrase,
                        "model": name,
                        "numbers_differ": verdict.numbers_differ,
                        "negation_differs": verdict.negation_differs,
                    })
                }
                Err(msg) => {
                    failed += 1;
                    eprintln!("error: stdin:{n}: {msg}");
                    serde_json::json!({ "line": n, "error": msg })
                }
            };
            serde_json::to_writer(&mut *out, &value)?;
            writeln!(out)?;
        }
        Ok(())
    };
    for (n, line) in std::io::stdin().lock().lines().enumerate() {
        let n = n + 1;
        let line = line.with_context(|| format!("stdin:{n}: cannot read"))?;
        batch.push((n, parse(&line)));
        if batch.len() == unspun_embed::minilm::BATCH_SIZE {
            flush(&mut batch, &mut out)?;
        }
    }
    flush(&mut batch, &mut out)?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn show(dir: &std::path::Path, id: &str, json: bool) -> Result<ExitCode> {
    let store = open_existing(dir)?;
    let id = ArticleId::new(id).context("invalid id")?;
    let Some(key) = store.key_of(&id)? else {
        bail!("no article with id {:?} in {}", id.as_str(), dir.display());
    };
    let stored = store
        .get(key)?
        .with_context(|| format!("article {id} vanished while reading"))?;
    let a = &stored.article;
    if json {
        let mut v = serde_json::to_value(a)?;
        v["revision"] = stored.revision.into();
        println!("{}", serde_json::to_string(&v)?);
    } else {
        println!("id:       {}", a.id);
        println!(
            "date:     {}",
            a.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
        );
        println!("source:   {}", a.source.as_deref().unwrap_or("-"));
        println!("title:    {}", a.title.as_deref().unwrap_or("-"));
        println!("url:      {}", a.url.as_deref().unwrap_or("-"));
        if let Some(fetched) = &a.fetched_url {
            println!("fetched:  {fetched}");
        }
        println!("extraction: {}", a.extraction.as_deref().unwrap_or("-"));
        println!("revision: {}", stored.revision);
        println!("bytes:    {}", a.text.len());
        println!();
        println!("{}", a.text);
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(dir: &std::path::Path, json: bool) -> Result<ExitCode> {
    let store = open_existing(dir)?;
    let s = store.stats()?;
    if json {
        println!(
            "{}",
            serde_json::json!({
                "store": dir.display().to_string(),
                "articles": s.articles,
                "with_date": s.with_date,
                "index_docs": s.index_docs,
                "disk_bytes": s.disk_bytes,
                "schema_version": s.schema_version,
                "sources": s.sources.iter().map(|(n, c)| serde_json::json!({"source": n, "articles": c})).collect::<Vec<_>>(),
            })
        );
    } else {
        println!("store:          {}", dir.display());
        println!("articles:       {}", s.articles);
        println!("with a date:    {}", s.with_date);
        println!("indexed:        {}", s.index_docs);
        println!("disk:           {:.1} MB", s.disk_bytes as f64 / 1e6);
        println!("schema version: {}", s.schema_version);
        if !s.sources.is_empty() {
            println!("top outlets:");
            for (name, n) in &s.sources {
                println!("  {n:>8}  {name}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::BatchSizes;

    #[test]
    fn batches_double_up_to_the_cap() {
        let mut b = BatchSizes::doubling(5000, 20_000);
        let mut seen = vec![b.current];
        for _ in 0..4 {
            b.grow();
            seen.push(b.current);
        }
        assert_eq!(seen, vec![5000, 10_000, 20_000, 20_000, 20_000]);
        let mut f = BatchSizes::fixed(0);
        f.grow();
        assert_eq!(f.current, 1, "a zero batch size would never send");
    }
}
