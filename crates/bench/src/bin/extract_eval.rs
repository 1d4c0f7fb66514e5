//! `extract-eval`: unspun's HTML reader on the article-extraction-benchmark
//! (181 saved pages with the body text a person marked).
//!
//! Reads every `html/*.html.gz` page of the benchmark with
//! [`HtmlReader`] and writes the predictions in the form the benchmark's
//! `evaluate.py` reads (`{"version": ..., "output": {hash: {"articleBody": ...}}}`);
//! a page the reader rejects is predicted as an empty body, so it counts
//! against recall. The headline and date found are written next to the body
//! (`headline`, `datePublished`). The benchmark's ground truth has neither;
//! `bench/extract/score_metadata.py` scores them against what each page
//! declares in its metadata, and this prints a second check of dates on the
//! pages whose ground-truth URL holds a `/YYYY/MM/DD/` date: same day, one
//! day off (a time zone, or a story updated after midnight), other, or
//! missing.
//! `scripts/extract-bench.sh` runs this,
//! trafilatura and `evaluate.py`, and prints the table of
//! `docs/EXTRACT-BENCH.md`.
//!
//! Run: `cargo run -p unspun-bench --bin extract-eval -- --out PATH`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use serde_json::json;
use unspun_article::read::{ArticleReader, HtmlReader, ReadEvent, ReadOptions};

#[derive(Parser, Debug)]
#[command(about = "unspun's HTML reader on the article-extraction-benchmark")]
struct Args {
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Where to write the predictions (evaluate.py's output/NAME.json).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let html_dir = args.data.join("article-extraction-benchmark/html");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&html_dir)
        .with_context(|| format!("reading {}", html_dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    pages.retain(|p| p.to_string_lossy().ends_with(".html.gz"));
    pages.sort();
    anyhow::ensure!(!pages.is_empty(), "no pages in {}", html_dir.display());

    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            args.data
                .join("article-extraction-benchmark/ground-truth.json"),
        )
        .context("reading ground-truth.json")?,
    )?;
    let opts = ReadOptions::default();
    // [url-dated pages, same day, one day off, other, missing]
    let mut url_dates = [0usize; 5];
    let mut output = BTreeMap::new();
    let (mut rejected, mut titles, mut dates, mut bad_dates) = (0, 0, 0, 0);
    // Paragraphs of the extracted text, and those placed in their page.
    let (mut paragraphs, mut placed) = (0usize, 0usize);
    let start = Instant::now();
    for page in &pages {
        let hash = page
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".html.gz"))
            .context("page name")?
            .to_string();
        let mut prediction = json!({"articleBody": ""});
        let url_date = truth[&hash]["url"].as_str().and_then(date_in_url);
        let mut found_date = None;
        HtmlReader.read_file(page, &opts, &mut |event| match event {
            ReadEvent::Article { article, .. } => {
                titles += usize::from(article.title.is_some());
                paragraphs += article
                    .text
                    .split("\n\n")
                    .filter(|p| !p.trim().is_empty())
                    .count();
                placed += article.page_spans.len();
                dates += usize::from(article.date.is_some());
                found_date = article.date;
                prediction = json!({
                    "articleBody": article.text,
                    "headline": article.title,
                    "datePublished": article.date.map(|d| d.to_string()),
                    "url": article.url,
                    "source": article.source,
                });
            }
            ReadEvent::Warning(w) => {
                if matches!(w.kind, unspun_article::ReadErrorKind::InvalidDate(_)) {
                    bad_dates += 1;
                }
            }
            ReadEvent::Error(e) => {
                rejected += 1;
                eprintln!("extract-eval: {e}");
            }
            ReadEvent::SkippedFile { .. } => {}
        });
        if let Some(want) = url_date {
            url_dates[0] += 1;
            let slot = match found_date {
                None => 4,
                Some(d) if d == want => 1,
                Some(d) if (d - want).num_days().abs() <= 1 => 2,
                Some(_) => 3,
            };
            url_dates[slot] += 1;
        }
        output.insert(hash, prediction);
    }
    let elapsed = start.elapsed();
    let n = pages.len();
    let version = format!("unspun {}", env!("CARGO_PKG_VERSION"));
    let doc = json!({"version": version, "output": output});
    std::fs::write(&args.out, serde_json::to_string_pretty(&doc)?)
        .with_context(|| format!("writing {}", args.out.display()))?;
    println!(
        "extract-eval: {n} pages, {rejected} rejected, headline on {titles}, date on {dates} \
         ({bad_dates} invalid dates reported), {:.1} ms/page",
        elapsed.as_secs_f64() * 1000.0 / n as f64
    );
    println!(
        "extract-eval: {placed} of {paragraphs} paragraphs ({:.1}%) placed in their page (page spans)",
        100.0 * placed as f64 / paragraphs.max(1) as f64
    );
    let [dated, same, near, other, missing] = url_dates;
    println!(
        "extract-eval: dates on the {dated} pages with a /YYYY/MM/DD/ URL: {same} same day, \
         {near} one day off, {other} other, {missing} missing"
    );
    Ok(())
}

/// The date in a URL path like `/2019/11/19/`.
fn date_in_url(url: &str) -> Option<chrono::NaiveDate> {
    let parts: Vec<&str> = url.split('/').collect();
    parts.windows(3).find_map(|w| {
        let y = w[0]
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=2100).contains(y))?;
        let (m, d) = (w[1], w[2]);
        if m.len() != 2 || d.len() != 2 {
            return None;
        }
        chrono::NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?)
    })
}
