//! `unspun upgrade`: brings a store written by an older unspun up to date,
//! and the note the other commands print while it is not.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use unspun_align::MIN_FRAME_DOCS;
use unspun_engine::Engine;
use unspun_store::{EmbeddedStore, Store};

use crate::{open_existing, progress_bar};

pub(crate) fn upgrade(dir: &std::path::Path) -> Result<ExitCode> {
    // Opened read-only first, so that a mistyped path is an error, not a
    // new empty store.
    drop(open_existing(dir)?);
    let store = Arc::new(
        EmbeddedStore::open(dir)
            .with_context(|| format!("cannot open the store at {} to write", dir.display()))?,
    );
    let engine = Engine::new(store);
    let pb = progress_bar(
        0,
        "{bar:40} {pos}/{len} articles: sentence shapes ({per_sec}, {eta} left)",
    );
    let read = engine
        .complete_shapes(&mut |done, total| {
            pb.set_length(total as u64);
            pb.set_position(done as u64);
        })
        .with_context(|| format!("upgrading the store at {}", dir.display()))?;
    pb.finish_and_clear();
    if read == 0 {
        println!("{}: up to date", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}: recorded the sentence shapes of {read} articles; frames are now told",
        dir.display()
    );
    if unspun_graph::state_path(dir).exists() {
        // The saved graph judges every pair under the statistics of its
        // first build, taken without frames.
        println!(
            "the saved graph keeps the statistics it was built with: run `unspun --store {} graph --refresh-statistics` to judge it with frames",
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A note on stderr when `store` is large enough for frames to matter but
/// holds articles whose sentence shapes were never recorded: its pairs are
/// judged without frames until `unspun upgrade` runs.
pub(crate) fn note_if_outdated(dir: &std::path::Path, store: &dyn Store) -> Result<()> {
    if store.shapes_complete()? {
        return Ok(());
    }
    // The index's document count: a store's full statistics scan it all.
    let (articles, _) = store.doc_freqs(&[])?;
    if articles >= MIN_FRAME_DOCS {
        eprintln!(
            "note: the store at {} was written by an older unspun and lacks the sentence shapes of \
             its articles, so genre frames (the same notice filled with other figures) are not told \
             apart from reuse; run `unspun --store {} upgrade` once to add them",
            dir.display(),
            dir.display()
        );
    }
    Ok(())
}
