//! `news-jsonl`: the real-news corpus of the evaluations (all of BBC News,
//! then Reuters-21578, read as `news_store` reads them) as JSON Lines, one
//! article per line (`id`, `text`, `date`, `source`, `title`, `url`), in
//! the order the news store ingests them. What the Spark job and `unspun
//! ingest` both read when they are compared (docs/SPARK.md).

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Parser;
use serde_json::json;
use unspun_article::read::Format;

#[derive(Parser)]
#[command(about = "Write BBC News + Reuters-21578 as JSON Lines, in the news store's order")]
struct Args {
    /// The shared data directory (holds bbc-news-2225 and reuters21578).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Where to write.
    #[arg(long)]
    out: PathBuf,
    /// Keep only the first N articles.
    #[arg(long)]
    limit: Option<usize>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let file = std::fs::File::create(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let mut w = BufWriter::new(file);
    let mut n = 0usize;
    let limit = args.limit.unwrap_or(usize::MAX);
    for (path, format) in [
        (args.data.join("bbc-news-2225/bbc"), Format::Text),
        (args.data.join("reuters21578"), Format::ReutersSgml),
    ] {
        let articles = unspun_bench::rewrites::read_articles(&path, format);
        if articles.is_empty() {
            bail!("no articles read from {}", path.display());
        }
        for a in articles {
            if n == limit {
                break;
            }
            let line = json!({
                "id": a.id, "text": a.text, "date": a.date.map(|d| d.to_string()),
                "source": a.source, "title": a.title, "url": a.url,
            });
            serde_json::to_writer(&mut w, &line)?;
            w.write_all(b"\n")?;
            n += 1;
        }
    }
    w.flush()?;
    eprintln!("{n} articles written to {}", args.out.display());
    Ok(())
}
