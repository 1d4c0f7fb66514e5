//! `unspun-corpus`: generate a benchmark corpus with known lineage.
//!
//! Thin glue over the `unspun-corpus` library: load the base articles,
//! stream the corpus into a directory, write the manifest, and print a
//! progress line on stderr.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use unspun_corpus::{
    default_bbc_dir, default_reuters_dir, load_base, write_manifest, CorpusSpec, Generator,
    KindMix, Progress, ARTICLES_FILE, TRUTH_FILE,
};

#[derive(Parser)]
#[command(
    name = "unspun-corpus",
    version,
    about = "Generate a deterministic benchmark corpus with known lineage"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write DIR/articles.jsonl, DIR/truth.jsonl and DIR/manifest.json.
    Generate {
        /// Number of articles.
        #[arg(long)]
        size: usize,
        /// Seed of every random choice.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Output directory (created if needed; files in it are replaced).
        #[arg(long)]
        out: PathBuf,
        /// The BBC News `bbc/` folder [default: ../shared/data/bbc-news-2225/bbc].
        #[arg(long)]
        bbc: Option<PathBuf>,
        /// The Reuters-21578 folder [default: ../shared/data/reuters21578].
        #[arg(long)]
        reuters: Option<PathBuf>,
        /// Leave out the BBC articles.
        #[arg(long)]
        no_bbc: bool,
        /// Leave out the Reuters articles.
        #[arg(long)]
        no_reuters: bool,
        /// Share of derived articles.
        #[arg(long, default_value_t = 0.25)]
        derived_share: f64,
        /// Weights of the derivation kinds, e.g.
        /// `copy=0.12,light_edit=0.18,reorder=0.10,blend=0.15,paraphrase=0.25,chain=0.15`
        /// (the default); kinds not named get 0.
        #[arg(long)]
        mix: Option<KindMix>,
        /// Share of derived articles that credit their source.
        #[arg(long, default_value_t = 0.4)]
        credit_share: f64,
        /// Opaque ids (`a-<hex>`) for derived and filler articles, instead of
        /// `d-<kind>-<n>` and `f-<n>`, which give the answer away.
        #[arg(long)]
        opaque_ids: bool,
        /// Derived articles measured per kind for the manifest.
        #[arg(long, default_value_t = 5000)]
        measure: usize,
        /// No progress line.
        #[arg(long, short)]
        quiet: bool,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let Command::Generate {
        size,
        seed,
        out,
        bbc,
        reuters,
        no_bbc,
        no_reuters,
        derived_share,
        mix,
        credit_share,
        opaque_ids,
        measure,
        quiet,
    } = cli.command;
    let started = Instant::now();
    let bbc = (!no_bbc).then(|| bbc.unwrap_or_else(default_bbc_dir));
    let reuters = (!no_reuters).then(|| reuters.unwrap_or_else(default_reuters_dir));
    let base = load_base(bbc.as_deref(), reuters.as_deref()).context("loading base articles")?;
    if !quiet {
        eprintln!(
            "unspun-corpus: {} base articles loaded in {:.1}s",
            base.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let mut spec = CorpusSpec::new(size, seed);
    spec.derived_share = derived_share;
    spec.credit_share = credit_share;
    spec.opaque_ids = opaque_ids;
    spec.measure_per_kind = measure;
    if let Some(mix) = mix {
        spec.mix = mix;
    }
    let generator = Generator::new(&spec, &base)?;
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let open = |name: &str| -> Result<BufWriter<File>> {
        let path = out.join(name);
        let f = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(BufWriter::with_capacity(1 << 20, f))
    };
    let articles = open(ARTICLES_FILE)?;
    let truth = open(TRUTH_FILE)?;
    let terminal = std::io::stderr().is_terminal();
    let gen_start = Instant::now();
    let mut last_print = Instant::now();
    let mut progress = |p: Progress| {
        // Every second on a terminal (one line, redrawn), every ten otherwise.
        let every = if terminal { 1000 } else { 10_000 };
        if quiet || (p.done < p.total && last_print.elapsed().as_millis() < every) {
            return;
        }
        last_print = Instant::now();
        let secs = gen_start.elapsed().as_secs_f64();
        let rate = p.done as f64 / secs.max(1e-9);
        let line = format!(
            "generating: {}/{} articles ({:.0}%), {:.0} articles/s",
            p.done,
            p.total,
            100.0 * p.done as f64 / p.total.max(1) as f64,
            rate
        );
        if terminal {
            eprint!("\r{line}");
            if p.done >= p.total {
                eprintln!();
            }
        } else {
            eprintln!("{line}");
        }
        let _ = std::io::stderr().flush();
    };
    let mut manifest = generator.write_to(articles, truth, &mut progress)?;
    for (name, path) in [("bbc", &bbc), ("reuters", &reuters)] {
        if let Some(p) = path {
            let shown = p.canonicalize().unwrap_or_else(|_| p.clone());
            manifest
                .inputs
                .insert(name.to_string(), shown.display().to_string());
        }
    }
    write_manifest(&manifest, &out)?;
    if !quiet {
        let c = &manifest.counts;
        let get = |k: &str| c.get(k).copied().unwrap_or(0);
        eprintln!(
            "unspun-corpus: wrote {} articles ({} base, {} derived, {} unrelated) to {} in {:.1}s",
            get("total"),
            get("base"),
            get("derived"),
            get("unrelated"),
            out.display(),
            started.elapsed().as_secs_f64()
        );
        for (kind, d) in &manifest.jaccard_5gram {
            eprintln!(
                "  5-gram Jaccard {kind:<18} n={:<5} mean {:.3}  p10 {:.3}  p50 {:.3}  p90 {:.3}  >=0.5: {:.1}%",
                d.n,
                d.mean,
                d.p10,
                d.p50,
                d.p90,
                100.0 * d.share_at_least_0_5
            );
        }
    }
    Ok(())
}
