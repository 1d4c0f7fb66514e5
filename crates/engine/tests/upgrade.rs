//! An older store, written before sentence shapes were counted, brought up
//! to date by `Engine::complete_shapes`: its frame statistics must be
//! exactly those of the same articles ingested into a new store.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{bbc, read};
use unspun_article::read::Format;
use unspun_engine::Engine;
use unspun_store::{EmbeddedStore, OnConflict};

#[test]
fn an_older_store_upgraded_counts_the_shapes_a_new_store_counts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // Real wire copy full of frames (results tables, dividend notices),
    // and BBC stories.
    let reuters = root.join("../shared/data/reuters21578/reut2-000.sgm");
    let mut articles = read(&reuters, Format::ReutersSgml);
    articles.extend(bbc("business"));
    assert!(articles.len() > 500, "only {} articles", articles.len());
    let (first, later) = articles.split_at(600);

    let new_dir = tempfile::tempdir().unwrap();
    let new = Engine::new(Arc::new(EmbeddedStore::open(new_dir.path()).unwrap()));
    new.ingest_batch(articles.to_vec(), OnConflict::Reject)
        .unwrap();
    let want = new.store().frozen_stats().unwrap();
    assert!(want.knows_frames());

    // The older store: its first 600 articles stored before the shape
    // table existed (dropped here, as an older build left it), the rest
    // after it was added, marked incomplete.
    let old_dir = tempfile::tempdir().unwrap();
    let old = Engine::new(Arc::new(EmbeddedStore::open(old_dir.path()).unwrap()));
    old.ingest_batch(first.to_vec(), OnConflict::Reject)
        .unwrap();
    drop(old);
    let db = old_dir.path().join("articles.sqlite3");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TABLE shape_fillers; DELETE FROM meta WHERE name = 'shape_fillers_complete';",
    )
    .unwrap();
    drop(conn);
    let old = Engine::new(Arc::new(EmbeddedStore::open(old_dir.path()).unwrap()));
    old.ingest_batch(later.to_vec(), OnConflict::Reject)
        .unwrap();
    assert!(!old.store().shapes_complete().unwrap());
    assert!(!old.store().frozen_stats().unwrap().knows_frames());

    let mut reports = Vec::new();
    let read = old
        .complete_shapes(&mut |done, total| reports.push((done, total)))
        .unwrap();
    assert_eq!(read, articles.len());
    assert_eq!(reports.last(), Some(&(articles.len(), articles.len())));
    assert!(old.store().shapes_complete().unwrap());
    assert_eq!(old.store().frozen_stats().unwrap(), want);
    // Done once: a second run reads nothing.
    assert_eq!(old.complete_shapes(&mut |_, _| {}).unwrap(), 0);
}
