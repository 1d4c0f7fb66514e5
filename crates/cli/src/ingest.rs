//! `unspun ingest`: read inputs in batches, store each atomically, report
//! what failed with its file and line.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use unspun_article::read::{ReadEvent, ReadOptions};
use unspun_article::{Article, ArticleId};
use unspun_embed::Embedder;
use unspun_engine::{EngineBuilder, IngestCounts, PreparedBatch};
use unspun_store::{EmbeddedStore, OnConflict};

use crate::{inputs, spinner};

/// How many articles go into each atomic ingest batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BatchSizes {
    current: usize,
    max: usize,
}

impl BatchSizes {
    pub(crate) fn fixed(n: usize) -> BatchSizes {
        BatchSizes {
            current: n.max(1),
            max: n.max(1),
        }
    }

    pub(crate) fn doubling(first: usize, max: usize) -> BatchSizes {
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

pub(crate) fn ingest(
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
