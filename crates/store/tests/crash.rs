//! Crash consistency: a real child process killed with SIGKILL mid-ingest,
//! and the window between the index commit and the SQLite commit simulated
//! deterministically with a test hook.
//!
//! The child is this test binary re-executed with `--exact kill_child` and an
//! environment variable naming the store directory; without the variable
//! `kill_child` does nothing, so a normal test run just passes it.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{new_article, q};
use unspun_store::{ArticleKey, EmbeddedStore, NewArticle, OnConflict, PutOutcome, Store};

const CHILD_ENV: &str = "UNSPUN_STORE_KILL_CHILD_DIR";
const N: u64 = 1000;
const BATCH: usize = 50;

/// The unique term of article `i` in version `v`.
fn own_term(i: u64, v: u32) -> String {
    format!("v{v}u{i}")
}

/// Article `i` in version `v` (1 or 2): a unique term, shared vocabulary,
/// and band keys derived from both.
fn article(i: u64, v: u32) -> NewArticle {
    let mut text = own_term(i, v);
    for w in 0..40 {
        text.push_str(&format!(" w{} c{}", (i * 7 + w) % 500, w % 10));
    }
    new_article(
        &format!("k{i:05}"),
        &text,
        &[i % 50, 1000 + i, 100_000 * u64::from(v) + i],
    )
}

/// Pass 1 writes version 1 of every article, pass 2 version 2 of the odd
/// ones, both with `Replace`. After both, even articles are v1, odd ones v2.
fn pass(store: &EmbeddedStore, p: u32) {
    let items: Vec<u64> = (0..N).filter(|i| p == 1 || i % 2 == 1).collect();
    for chunk in items.chunks(BATCH) {
        let batch: Vec<_> = chunk.iter().map(|&i| article(i, p)).collect();
        store.put_batch(&batch, OnConflict::Replace).unwrap();
    }
}

/// Child mode: ingest forever, until killed.
#[test]
fn kill_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = EmbeddedStore::open(Path::new(&dir)).unwrap();
    loop {
        pass(&store, 1);
        pass(&store, 2);
    }
}

/// Parses "k00042" back to 42 and the version from the text.
fn decode(s: &unspun_store::StoredArticle) -> (u64, u32) {
    let i: u64 = s.article.id.as_str()[1..].parse().unwrap();
    let first = s.article.text.split_whitespace().next().unwrap();
    let v: u32 = first[1..first.find('u').unwrap()].parse().unwrap();
    assert_eq!(
        s.article,
        article(i, v).article,
        "stored text is a version we wrote"
    );
    (i, v)
}

/// Checks everything a reader can observe; returns stored (key, revision).
fn check_consistent(store: &EmbeddedStore) -> BTreeMap<ArticleKey, (u64, u32, u32)> {
    let keys = store.keys().unwrap();
    let stored = store.get_many(&keys).unwrap();
    assert_eq!(stored.len(), keys.len(), "every key resolves");
    let ids: HashSet<_> = stored.iter().map(|s| s.article.id.clone()).collect();
    assert_eq!(ids.len(), stored.len(), "no duplicate ids");

    let mut by_key = BTreeMap::new();
    for s in &stored {
        let (i, v) = decode(s);
        assert_eq!(store.key_of(&s.article.id).unwrap(), Some(s.key));
        // Found by search on its own terms, and only it.
        let hits = store.search_terms(&q(&[&own_term(i, v)]), 5, None).unwrap();
        assert_eq!(
            hits.iter().map(|h| h.0).collect::<Vec<_>>(),
            vec![s.key],
            "article {i} v{v} must be found by its own term"
        );
        // The other version's document, if one exists (orphan or
        // superseded), is never returned.
        let other = 3 - v;
        assert!(
            store
                .search_terms(&q(&[&own_term(i, other)]), 5, None)
                .unwrap()
                .is_empty(),
            "article {i}: stale version v{other} returned"
        );
        // Bands follow the stored version.
        let bm = store
            .band_matches(&[100_000 * u64::from(v) + i], 5, None)
            .unwrap();
        assert_eq!(bm, vec![(s.key, 1)]);
        assert!(store
            .band_matches(&[100_000 * u64::from(other) + i], 5, None)
            .unwrap()
            .is_empty());
        by_key.insert(s.key, (i, v, s.revision));
    }

    // Every live index document is either the current revision of a stored
    // row, or an orphan (its key absent, or a revision SQLite does not hold)
    // — which the searches above showed are filtered.
    let docs = store.index_documents().unwrap();
    let current: BTreeSet<(ArticleKey, u32)> = by_key.iter().map(|(k, v)| (*k, v.2)).collect();
    let docs_set: BTreeSet<_> = docs.iter().copied().collect();
    assert_eq!(docs_set.len(), docs.len(), "no duplicate index documents");
    assert!(
        current.is_subset(&docs_set),
        "every stored row has its document"
    );
    by_key
}

/// After a writer has opened the index, it holds exactly the stored rows.
fn check_exact(store: &EmbeddedStore) {
    store.put_batch(&[], OnConflict::Reject).unwrap();
    let by_key = check_consistent(store);
    let current: Vec<(ArticleKey, u32)> = by_key.iter().map(|(k, v)| (*k, v.2)).collect();
    assert_eq!(store.index_documents().unwrap(), current);
    assert_eq!(store.stats().unwrap().index_docs, by_key.len() as u64);
}

/// A small xorshift generator seeded from the clock: a different kill point
/// on every run, printed for reproduction.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn killed_mid_ingest_stays_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("kill test seed {seed}");
    let mut rng = Rng(seed);
    let exe = std::env::current_exe().unwrap();

    for round in 0..5 {
        let mut child = Command::new(&exe)
            .args(["kill_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the child has stored something, then a random while
        // more, so the kill lands at a random point of the write protocol.
        let start = Instant::now();
        loop {
            if let Ok(s) = EmbeddedStore::open_read_only(dir.path()) {
                if s.keys().map(|k| k.len()).unwrap_or(0) > 0 {
                    break;
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "child stored nothing"
            );
            assert!(child.try_wait().unwrap().is_none(), "child exited early");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(rng.next() % 1500));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        // What a reader sees right after the crash, before any repair.
        let ro = EmbeddedStore::open_read_only(dir.path()).unwrap();
        let by_key = check_consistent(&ro);
        let v2 = by_key.values().filter(|v| v.1 == 2).count();
        eprintln!(
            "round {round}: {} articles stored at kill ({v2} at v2), {} index documents",
            by_key.len(),
            ro.index_documents().unwrap().len()
        );
        drop(ro);
        // A writer removes orphans and leaves an exact index.
        let rw = EmbeddedStore::open(dir.path()).unwrap();
        check_exact(&rw);
    }

    // Re-running the full ingest completes and yields exactly the expected set.
    let store = EmbeddedStore::open(dir.path()).unwrap();
    pass(&store, 1);
    pass(&store, 2);
    let by_key = check_consistent(&store);
    let got: BTreeMap<u64, u32> = by_key.values().map(|&(i, v, _)| (i, v)).collect();
    let expected: BTreeMap<u64, u32> = (0..N)
        .map(|i| (i, if i % 2 == 1 { 2 } else { 1 }))
        .collect();
    assert_eq!(got, expected);
    check_exact(&store);
}

#[test]
fn crash_between_index_and_sqlite_commit() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let out = store
        .put_batch(
            &[
                new_article("a", "alpha1 shared", &[1]),
                new_article("b", "beta1 shared", &[2]),
            ],
            OnConflict::Reject,
        )
        .unwrap();
    let (ka, kb) = (out[0].key(), out[1].key());
    let before = store.index_documents().unwrap();
    assert_eq!(before, vec![(ka, 1), (kb, 1)]);

    // New c, changed a, unchanged b; killed after the index commit.
    let batch = [
        new_article("c", "gamma1 shared", &[3]),
        new_article("a", "alpha2 shared", &[4]),
        new_article("b", "beta1 shared", &[2]),
    ];
    store
        .put_batch_crash_after_index(&batch, OnConflict::Replace)
        .unwrap();

    let check_rolled_back = |store: &EmbeddedStore| {
        // SQLite: nothing of the batch.
        assert_eq!(store.keys().unwrap(), vec![ka, kb]);
        assert!(store.key_of(&common::id("c")).unwrap().is_none());
        let a = store.get(ka).unwrap().unwrap();
        assert_eq!((a.article.text.as_str(), a.revision), ("alpha1 shared", 1));
        // Search: orphans filtered, the old version of a still found.
        assert!(store
            .search_terms(&q(&["gamma1"]), 5, None)
            .unwrap()
            .is_empty());
        assert!(store
            .search_terms(&q(&["alpha2"]), 5, None)
            .unwrap()
            .is_empty());
        assert_eq!(
            store.search_terms(&q(&["alpha1"]), 5, None).unwrap()[0].0,
            ka
        );
        let all: BTreeSet<_> = store
            .search_terms(&q(&["shared"]), 10, None)
            .unwrap()
            .into_iter()
            .map(|h| h.0)
            .collect();
        assert_eq!(all, BTreeSet::from([ka, kb]));
        // `limit` is still met although orphans score among the top.
        assert_eq!(
            store.search_terms(&q(&["shared"]), 2, None).unwrap().len(),
            2
        );
        assert!(store.band_matches(&[3, 4], 5, None).unwrap().is_empty());
        assert_eq!(store.band_matches(&[1], 5, None).unwrap(), vec![(ka, 1)]);
    };
    check_rolled_back(&store);
    // The orphans really are in the index: c's new key and a's revision 2.
    let docs = store.index_documents().unwrap();
    assert_eq!(docs.len(), 4, "{docs:?}");
    assert!(docs.contains(&(ka, 2)));
    let kc_orphan = docs
        .iter()
        .map(|d| d.0)
        .find(|k| *k != ka && *k != kb)
        .unwrap();

    // Also after a reopen, read-only (no repair possible) ...
    drop(store);
    let ro = EmbeddedStore::open_read_only(dir.path()).unwrap();
    check_rolled_back(&ro);
    drop(ro);

    // ... and the re-run fixes it: same rowid reused, orphans replaced.
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let out = store.put_batch(&batch, OnConflict::Replace).unwrap();
    assert_eq!(
        out,
        vec![
            PutOutcome::Added(kc_orphan),
            PutOutcome::Replaced(ka),
            PutOutcome::Unchanged(kb)
        ]
    );
    assert_eq!(
        store.index_documents().unwrap(),
        vec![(ka, 2), (kb, 1), (kc_orphan, 1)]
    );
    assert!(store
        .search_terms(&q(&["alpha1"]), 5, None)
        .unwrap()
        .is_empty());
    assert_eq!(
        store.search_terms(&q(&["alpha2"]), 5, None).unwrap()[0].0,
        ka
    );
    assert_eq!(
        store.search_terms(&q(&["gamma1"]), 5, None).unwrap()[0].0,
        kc_orphan
    );
}

#[test]
fn crash_then_different_batch_reusing_the_rowid() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    store
        .put_batch(&[new_article("a", "alpha", &[])], OnConflict::Reject)
        .unwrap();
    store
        .put_batch_crash_after_index(&[new_article("c", "gamma", &[])], OnConflict::Reject)
        .unwrap();
    // Same process, no reopen: a different article gets the orphan's rowid.
    let kd = store
        .put_batch(&[new_article("d", "delta", &[])], OnConflict::Reject)
        .unwrap()[0]
        .key();
    assert!(store
        .search_terms(&q(&["gamma"]), 5, None)
        .unwrap()
        .is_empty());
    assert_eq!(
        store.search_terms(&q(&["delta"]), 5, None).unwrap()[0].0,
        kd
    );
    let docs = store.index_documents().unwrap();
    assert_eq!(
        docs.len(),
        2,
        "the orphan was removed before the next write: {docs:?}"
    );
    assert!(docs.contains(&(kd, 1)));
}

#[test]
fn reopen_after_crash_removes_orphans() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        store
            .put_batch(
                &[
                    new_article("a", "alpha", &[]),
                    new_article("b", "beta", &[]),
                ],
                OnConflict::Reject,
            )
            .unwrap();
        store
            .put_batch_crash_after_index(
                &[
                    new_article("a", "alpha2", &[]),
                    new_article("x", "xi", &[]),
                    new_article("y", "ypsilon", &[]),
                ],
                OnConflict::Replace,
            )
            .unwrap();
        assert_eq!(store.index_documents().unwrap().len(), 5);
    }
    let store = EmbeddedStore::open(dir.path()).unwrap();
    assert_eq!(
        store.stats().unwrap().index_docs,
        5,
        "no repair before a write"
    );
    store.put_batch(&[], OnConflict::Reject).unwrap();
    assert_eq!(
        store.index_documents().unwrap(),
        vec![(ArticleKey(1), 1), (ArticleKey(2), 1)]
    );
    assert_eq!(store.stats().unwrap().index_docs, 2);
    assert_eq!(
        store.search_terms(&q(&["alpha"]), 5, None).unwrap()[0].0,
        ArticleKey(1)
    );
}
