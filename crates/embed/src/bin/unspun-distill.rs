//! `unspun-distill`: builds the static model from MiniLM (run by `scripts/setup.sh`).
//!
//! Usage: `unspun-distill --minilm models/minilm --out models/static [--dims 256]`.
//! Writes into a temporary sibling directory first and renames it at the end,
//! so an interrupted run never leaves a half-written model behind.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use unspun_embed::{distill, MiniLm};

/// Distil a model2vec-style static embedder from all-MiniLM-L6-v2.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Directory of the MiniLM model (config.json, tokenizer.json, model.safetensors).
    #[arg(long)]
    minilm: PathBuf,
    /// Output directory (replaced if it exists).
    #[arg(long)]
    out: PathBuf,
    /// PCA dimensions.
    #[arg(long, default_value_t = 256)]
    dims: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let started = std::time::Instant::now();
    let minilm = MiniLm::load(&args.minilm)?;
    let name = args
        .out
        .file_name()
        .context("--out must name a directory")?
        .to_string_lossy()
        .into_owned();
    let tmp = args.out.with_file_name(format!(".{name}.tmp"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).with_context(|| format!("removing {}", tmp.display()))?;
    }
    distill(&minilm, &tmp, args.dims)?;
    if args.out.exists() {
        std::fs::remove_dir_all(&args.out)
            .with_context(|| format!("removing {}", args.out.display()))?;
    }
    std::fs::rename(&tmp, &args.out)
        .with_context(|| format!("renaming {} to {}", tmp.display(), args.out.display()))?;
    eprintln!(
        "unspun-distill: static model ({} dims) written to {} in {:.0}s",
        args.dims,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
