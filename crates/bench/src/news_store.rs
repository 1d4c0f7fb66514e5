//! The real-news store the evaluations trace against: all of BBC News and
//! Reuters-21578 (19,159 articles with a body), ingested once into a
//! directory and reused by later runs (`reuse-eval`, `change-suite
//! --cross-source`).
//!
//! Articles keep the ids and dates their readers give them (`reuters-NEWID`
//! dated 1987; BBC files by path, undated), so a figure measured against
//! this store names the same articles as `unspun ingest` of the same files.

use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use unspun_article::read::Format;
use unspun_engine::Engine;
use unspun_store::{EmbeddedStore, OnConflict, Store};

/// Opens the store in `dir`, ingesting BBC News and Reuters-21578 from the
/// shared `data` folder when it is empty.
pub fn open(dir: &Path, data: &Path) -> Result<Arc<EmbeddedStore>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let store = Arc::new(EmbeddedStore::open(dir)?);
    let stats = store.stats()?;
    if stats.articles > 0 {
        if !stats.shapes_complete {
            // Written by an older build: without its sentence shapes the
            // frame rules are off, and every figure would be another
            // build's. What `unspun upgrade` does.
            eprintln!(
                "recording the sentence shapes of {} (an older build's store; once)",
                dir.display()
            );
            Engine::new(store.clone()).complete_shapes(&mut |_, _| {})?;
        }
        return Ok(store);
    }
    eprintln!(
        "ingesting BBC News and Reuters-21578 into {} (once; later runs reuse it)",
        dir.display()
    );
    let engine = Engine::new(store.clone());
    for (path, format) in [
        (data.join("bbc-news-2225/bbc"), Format::Text),
        (data.join("reuters21578"), Format::ReutersSgml),
    ] {
        let articles = crate::rewrites::read_articles(&path, format);
        if articles.is_empty() {
            bail!("no articles read from {}", path.display());
        }
        for batch in articles.chunks(5000) {
            engine.ingest_batch(batch.to_vec(), OnConflict::Reject)?;
        }
    }
    Ok(store)
}
