//! `embed-bench`: what the embedding modes cost in the pipeline.
//!
//! 1. **Ingest** articles/s per `--model` on all cores: lexical and static
//!    over BBC News 2,225; MiniLM over a 300-article BBC sample (it embeds
//!    every sentence and caches the vectors).
//! 2. **Cache** bytes per article (MiniLM and static rows), and the time to
//!    read one cached article against recomputing its static vectors.
//! 3. **Trace latency** per mode, one thread, models loaded, against a
//!    store of BBC + Reuters-21578 + the seeds (about 21k articles): the
//!    seed rewrite plus stored articles picked with a fixed stride. MiniLM
//!    is timed without cached MiniLM rows: each trace embeds only the
//!    sentences of its borderline pairs (nothing is written to the cache,
//!    so a second run costs the same).
//!
//! Prints Markdown; with `--write` appends it to docs/EMBED-BENCH.md under
//! "Pipeline cost" (replacing an earlier such section).
//! Run: `cargo run --release -p unspun-bench --bin embed-bench -- --write`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use clap::Parser;
use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};
use unspun_article::{Article, ArticleId};
use unspun_embed::{models_dir, Embedder, MiniLm, StaticEmbedder};
use unspun_engine::{Engine, EngineBuilder, Semantics};
use unspun_store::{CachedVectors, EmbeddedStore, OnConflict, Store};

#[derive(Parser)]
struct Args {
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// The bundled seeds.
    #[arg(long, default_value = "examples/seeds")]
    seeds: PathBuf,
    /// Traces to time per mode (besides the seed rewrite).
    #[arg(long, default_value_t = 40)]
    traces: usize,
    /// BBC articles for the MiniLM ingest.
    #[arg(long, default_value_t = 300)]
    minilm_sample: usize,
    /// Append the report to docs/EMBED-BENCH.md.
    #[arg(long)]
    write: bool,
}

fn read(paths: &[PathBuf], format: Format) -> Vec<Article> {
    let opts = ReadOptions {
        format,
        latin1_fallback: true,
        ..ReadOptions::default()
    };
    let mut out = Vec::new();
    read_paths(paths, &opts, &mut |ev| {
        if let ReadEvent::Article { article, .. } = ev {
            out.push(article)
        }
    });
    out
}

fn ingest(engine: &Engine, articles: &[Article]) -> Result<f64> {
    let t = Instant::now();
    for chunk in articles.chunks(1000) {
        engine.ingest_batch(chunk.to_vec(), OnConflict::Reject)?;
    }
    Ok(articles.len() as f64 / t.elapsed().as_secs_f64())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() -> Result<()> {
    let args = Args::parse();
    let dir = models_dir();
    let fast: Arc<dyn Embedder> = Arc::new(StaticEmbedder::load(&dir.join("static"))?);
    let minilm: Arc<dyn Embedder> = Arc::new(MiniLm::load(&dir.join("minilm"))?);
    let bbc = read(&[args.data.join("bbc-news-2225/bbc")], Format::Auto);
    let reuters = read(&[args.data.join("reuters21578")], Format::ReutersSgml);
    let seeds = read(std::slice::from_ref(&args.seeds), Format::Auto);
    let mut md = String::new();
    let _ = writeln!(md, "## Pipeline cost\n");
    let _ = writeln!(
        md,
        "Measured {} on {}, by `cargo run --release -p unspun-bench --bin embed-bench -- --write` ({} rayon threads).\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        unspun_bench::machine(),
        rayon::current_num_threads()
    );

    // 1. Ingest per model.
    let _ = writeln!(
        md,
        "### Ingest (`unspun ingest --model`), reading excluded\n"
    );
    let _ = writeln!(
        md,
        "| model | articles | articles/s | cache bytes / article |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|");
    let sample: Vec<Article> = bbc
        .iter()
        .step_by((bbc.len() / args.minilm_sample).max(1))
        .take(args.minilm_sample)
        .cloned()
        .collect();
    for (name, model, articles) in [
        ("lexical (default)", None, &bbc),
        ("static", Some(fast.clone()), &bbc),
        ("minilm", Some(minilm.clone()), &sample),
    ] {
        let tmp = tempfile::tempdir()?;
        let store = Arc::new(EmbeddedStore::open(tmp.path())?);
        let engine = EngineBuilder::new(store.clone()).precompute(model).build();
        let rate = ingest(&engine, articles)?;
        drop(engine);
        let bytes = cache_bytes(tmp.path())?;
        let _ = writeln!(
            md,
            "| {name} | {} | {rate:.0} | {} |",
            articles.len(),
            if bytes > 0 {
                format!("{:.0}", bytes as f64 / articles.len() as f64)
            } else {
                "–".into()
            }
        );
        eprintln!("ingest {name}: {rate:.0}/s");
    }
    let _ = writeln!(md);

    // 2. Static: read a cached row or recompute?
    {
        let tmp = tempfile::tempdir()?;
        let store = Arc::new(EmbeddedStore::open(tmp.path())?);
        let engine = EngineBuilder::new(store.clone())
            .precompute(Some(fast.clone()))
            .build();
        let few: Vec<Article> = bbc.iter().take(500).cloned().collect();
        ingest(&engine, &few)?;
        let keys = store.keys()?;
        let analyzed: Vec<_> = store
            .get_many(&keys)?
            .into_iter()
            .map(|s| (s.key, s.revision, engine.analyze(s.article)))
            .collect();
        let sentences: usize = analyzed.iter().map(|a| a.2.sentences.len()).sum();
        // Recompute, one article at a time as trace does.
        let t = Instant::now();
        for (_, _, a) in &analyzed {
            let texts: Vec<&str> = (0..a.sentences.len()).map(|i| a.sentence_text(i)).collect();
            std::hint::black_box(fast.embed(&texts)?);
        }
        let recompute = t.elapsed().as_secs_f64() / analyzed.len() as f64;
        // Read: rows exist (precomputed); the checksum is not known here,
        // so read the row by a put-then-get of identical content.
        let entries: Vec<CachedVectors> = analyzed
            .iter()
            .map(|(k, r, a)| {
                let texts: Vec<&str> = (0..a.sentences.len()).map(|i| a.sentence_text(i)).collect();
                CachedVectors {
                    key: *k,
                    revision: *r,
                    checksum: 1,
                    vectors: fast.embed(&texts).unwrap(),
                }
            })
            .collect();
        store.put_sentence_vectors("bench", &entries)?;
        let t = Instant::now();
        for (k, r, _) in &analyzed {
            std::hint::black_box(store.sentence_vectors(*k, *r, 1, "bench")?);
        }
        let read = t.elapsed().as_secs_f64() / analyzed.len() as f64;
        let _ = writeln!(
            md,
            "### Static vectors of a stored article: recompute or read the cache?\n"
        );
        let _ = writeln!(
            md,
            "{} BBC articles ({:.1} sentences each), one thread: recomputing takes {:.0} µs per article, reading and decoding its cached row {:.0} µs.\n",
            analyzed.len(),
            sentences as f64 / analyzed.len() as f64,
            recompute * 1e6,
            read * 1e6
        );
    }

    // 3. Trace latency per mode.
    let tmp = tempfile::tempdir()?;
    let store = Arc::new(EmbeddedStore::open(tmp.path())?);
    let base = Engine::new(store.clone());
    let mut all = bbc.clone();
    all.extend(reuters);
    all.extend(seeds);
    ingest(&base, &all)?;
    let keys = store.keys()?;
    let stride = (keys.len() / args.traces.max(1)).max(1);
    let mut ids: Vec<ArticleId> = vec![ArticleId::new("000_8f16aa07f174a1e7")?];
    for k in keys.iter().step_by(stride).take(args.traces) {
        if let Some(s) = store.get(*k)? {
            ids.push(s.article.id);
        }
    }
    let _ = writeln!(
        md,
        "### Trace latency, one thread, models loaded ({} articles in the store; {} traces: the seed rewrite and stored articles at a fixed stride)\n",
        keys.len(),
        ids.len()
    );
    let _ = writeln!(md, "| mode | seed rewrite | p50 | p90 | max |");
    let _ = writeln!(md, "|---|---:|---:|---:|---:|");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    for (name, semantics) in [
        ("lexical", Semantics::Lexical),
        ("static", Semantics::Static(fast.clone())),
        (
            "minilm, no MiniLM rows cached",
            Semantics::MiniLm {
                fast: fast.clone(),
                minilm: minilm.clone(),
            },
        ),
    ] {
        let engine = EngineBuilder::new(store.clone())
            .semantics(semantics)
            .build();
        let mut times = Vec::new();
        pool.install(|| -> Result<()> {
            for id in &ids {
                let t = Instant::now();
                engine.trace_id(id)?;
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
            Ok(())
        })?;
        let seed = times[0];
        times.sort_by(f64::total_cmp);
        let _ = writeln!(
            md,
            "| {name} | {seed:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms |",
            percentile(&times, 0.5),
            percentile(&times, 0.9),
            times[times.len() - 1]
        );
        eprintln!("trace {name}: seed {seed:.0} ms");
    }
    let _ = writeln!(
        md,
        "\nMiniLM inside one trace still uses candle's own threads.\n"
    );

    print!("{md}");
    if args.write {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/EMBED-BENCH.md");
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        let kept = match old.find("## Pipeline cost") {
            Some(i) => old[..i].to_string(),
            None => format!("{}\n", old.trim_end()),
        };
        std::fs::write(&path, format!("{kept}{md}"))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// Bytes of the embedding cache in a store: the sum of its blob lengths
/// (0 when there is no cache table).
fn cache_bytes(dir: &Path) -> Result<u64> {
    let conn = rusqlite::Connection::open(dir.join("articles.sqlite3"))?;
    let n: i64 = conn
        .query_row(
            "SELECT coalesce(sum(length(vectors)), 0) FROM sentence_vectors",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    Ok(n as u64)
}
