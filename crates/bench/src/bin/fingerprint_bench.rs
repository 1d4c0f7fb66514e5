//! `fingerprint-bench`: the Spark job's fingerprint stage run by Rust
//! alone, one thread: the JSON Lines articles (as the job's articles stage
//! normalises them) in Arrow batches of 10,000, through
//! `SparkWorker::fingerprint`, the very function the job calls through
//! `mapInArrow`. Prints articles per second; `scripts/spark-bench.sh` puts
//! it beside the same stage run by Spark on one core.

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use arrow::array::{ArrayRef, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use clap::Parser;

#[derive(Parser)]
#[command(about = "Articles per second of the Spark job's fingerprint stage, in Rust alone")]
struct Args {
    /// JSON Lines articles (`news-jsonl` writes the real corpus).
    jsonl: PathBuf,
    /// Use at most N articles.
    #[arg(long)]
    limit: Option<usize>,
    /// Runs; the best is reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let file = std::fs::File::open(&args.jsonl)
        .with_context(|| format!("opening {}", args.jsonl.display()))?;
    let lines: Vec<String> = std::io::BufReader::new(file)
        .lines()
        .take(args.limit.unwrap_or(usize::MAX))
        .collect::<std::io::Result<_>>()?;
    // The articles stage first (not timed): the normalised records.
    let worker =
        _unspun::spark::SparkWorker::new(None, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    let schema = Arc::new(Schema::new(vec![
        Field::new("key", DataType::Int64, false),
        Field::new("line", DataType::Utf8, false),
    ]));
    let mut batches = Vec::new();
    for (c, chunk) in lines.chunks(10_000).enumerate() {
        let keys = Int64Array::from_iter_values((0..chunk.len()).map(|i| (c * 10_000 + i) as i64));
        let raw = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(keys) as ArrayRef,
                Arc::new(StringArray::from_iter_values(chunk)),
            ],
        )?;
        let parsed = worker.parse(&raw).map_err(|e| anyhow::anyhow!("{e}"))?;
        batches.push(parsed);
    }
    let n: usize = batches.iter().map(|b| b.num_rows()).sum();
    let mut best = f64::INFINITY;
    for _ in 0..args.runs.max(1) {
        let t = Instant::now();
        let mut terms = 0usize;
        for b in &batches {
            let out = worker.fingerprint(b).map_err(|e| anyhow::anyhow!("{e}"))?;
            terms += out.num_rows();
        }
        assert_eq!(terms, n);
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{{\"articles\": {n}, \"seconds\": {best:.3}, \"per_second\": {:.1}}}",
        n as f64 / best
    );
    Ok(())
}
