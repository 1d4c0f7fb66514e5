//! Behaviour of the embedded store through the `Store` trait: round trips,
//! idempotency, conflicts, retrieval, persistence and concurrent reads.

mod common;

use std::sync::Arc;

use chrono::NaiveDate;
use common::{id, new_article, q};
use proptest::prelude::*;
use unspun_article::{Article, ArticleId};
use unspun_store::{
    ArticleKey, EmbeddedStore, NewArticle, OnConflict, PutOutcome, Store, StoreError,
};

fn open() -> (tempfile::TempDir, EmbeddedStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    (dir, store)
}

fn full_article(id: &str) -> Article {
    Article {
        id: ArticleId::new(id).unwrap(),
        date: Some(NaiveDate::from_ymd_opt(2017, 1, 20).unwrap()),
        source: Some("Reuters".into()),
        title: Some("Ünïcödé — “quotes” 日本語".into()),
        url: Some("https://example.com/a?b=c&d=e".into()),
        fetched_url: Some("https://example.com/a?utm=1".into()),
        extraction: Some("WARC record at offset 0; html: rs-trafilatura main content".into()),
        page_spans: vec![unspun_article::read::PageSpan {
            text_start: 0,
            text_end: 9,
            page_start: 120,
            page_end: 131,
        }],
        text:
            "Line one.\r\n\tLine two with emoji 🦀 and NUL-free\u{200b}zero width.\n\n  trailing  "
                .into(),
    }
}

#[test]
fn round_trip_keeps_every_field_byte_exact() {
    let (_d, store) = open();
    let a = full_article("rt-1");
    let b = Article::new(id("rt-2"), "");
    let out = store
        .put_batch(
            &[
                NewArticle {
                    article: a.clone(),
                    index_terms: vec!["unicode".into()],
                    band_keys: vec![u64::MAX, 0, 1 << 63],
                    sentence_shapes: vec![],
                },
                NewArticle {
                    article: b.clone(),
                    index_terms: vec![],
                    band_keys: vec![],
                    sentence_shapes: vec![],
                },
            ],
            OnConflict::Reject,
        )
        .unwrap();
    let (PutOutcome::Added(ka), PutOutcome::Added(kb)) = (out[0].clone(), out[1].clone()) else {
        panic!("{out:?}")
    };
    assert_ne!(ka, kb);

    let got = store.get(ka).unwrap().unwrap();
    assert_eq!(got.article, a);
    assert_eq!(got.key, ka);
    assert_eq!(got.revision, 1);
    assert_eq!(store.get(kb).unwrap().unwrap().article, b);
    assert_eq!(store.key_of(&id("rt-1")).unwrap(), Some(ka));
    assert_eq!(store.key_of(&id("nope")).unwrap(), None);
    assert!(store.get(ArticleKey(9999)).unwrap().is_none());
    assert!(store.get(ArticleKey(u64::MAX)).unwrap().is_none());

    // get_many: order of the request, missing keys dropped.
    let many = store.get_many(&[kb, ArticleKey(777), ka, kb]).unwrap();
    let keys: Vec<_> = many.iter().map(|s| s.key).collect();
    assert_eq!(keys, vec![kb, ka, kb]);

    // Band keys at the edges of u64 survive the i64 bit-cast.
    assert_eq!(
        store.band_matches(&[u64::MAX, 1 << 63], 10, None).unwrap(),
        vec![(ka, 2)]
    );

    let mut keys = vec![ka, kb];
    keys.sort();
    assert_eq!(store.keys().unwrap(), keys);

    let stats = store.stats().unwrap();
    assert_eq!(stats.articles, 2);
    assert_eq!(stats.with_date, 1);
    assert_eq!(stats.sources, vec![("Reuters".to_string(), 1)]);
    assert_eq!(stats.index_docs, 2);
    assert_eq!(stats.schema_version, 2);
    assert!(stats.disk_bytes > 0);
}

#[test]
fn same_batch_twice_is_unchanged() {
    let (_d, store) = open();
    let batch: Vec<_> = (0..50)
        .map(|i| new_article(&format!("id{i}"), &format!("common word{i}"), &[i]))
        .collect();
    let first = store.put_batch(&batch, OnConflict::Reject).unwrap();
    assert!(first.iter().all(|o| matches!(o, PutOutcome::Added(_))));
    let stats1 = store.stats().unwrap();

    for mode in [OnConflict::Reject, OnConflict::Replace] {
        let again = store.put_batch(&batch, mode).unwrap();
        let expected: Vec<_> = first
            .iter()
            .map(|o| PutOutcome::Unchanged(o.key()))
            .collect();
        assert_eq!(again, expected);
        let stats2 = store.stats().unwrap();
        assert_eq!(stats2.articles, stats1.articles);
        assert_eq!(stats2.index_docs, stats1.index_docs);
        for o in &first {
            assert_eq!(store.get(o.key()).unwrap().unwrap().revision, 1);
        }
    }
    // Index terms and bands are not part of the identity: only the article.
    let mut changed_terms = batch[0].clone();
    changed_terms.index_terms = vec!["other".into()];
    assert_eq!(
        store
            .put_batch(&[changed_terms], OnConflict::Replace)
            .unwrap(),
        vec![PutOutcome::Unchanged(first[0].key())]
    );
}

#[test]
fn metadata_change_is_a_conflict() {
    let (_d, store) = open();
    let a = full_article("m");
    let k = store
        .put_batch(
            &[NewArticle {
                article: a.clone(),
                index_terms: vec![],
                band_keys: vec![],
                sentence_shapes: vec![],
            }],
            OnConflict::Reject,
        )
        .unwrap()[0]
        .key();
    let mut b = a.clone();
    b.title = None;
    b.url = Some("https://example.com/a?b=c&d=e".into());
    let out = store
        .put_batch(
            &[NewArticle {
                article: b,
                index_terms: vec![],
                band_keys: vec![],
                sentence_shapes: vec![],
            }],
            OnConflict::Reject,
        )
        .unwrap();
    assert_eq!(out, vec![PutOutcome::Conflict(k)]);
    assert_eq!(store.get(k).unwrap().unwrap().article, a);
}

#[test]
fn reject_and_replace() {
    let (_d, store) = open();
    let k = store
        .put_batch(
            &[new_article("x", "alpha beta gamma", &[1, 2, 3])],
            OnConflict::Reject,
        )
        .unwrap()[0]
        .key();
    let other = store
        .put_batch(
            &[new_article("y", "beta delta", &[3, 4])],
            OnConflict::Reject,
        )
        .unwrap()[0]
        .key();

    // Reject: nothing changes.
    let out = store
        .put_batch(&[new_article("x", "omega psi", &[9])], OnConflict::Reject)
        .unwrap();
    assert_eq!(out, vec![PutOutcome::Conflict(k)]);
    let got = store.get(k).unwrap().unwrap();
    assert_eq!(got.article.text, "alpha beta gamma");
    assert_eq!(got.revision, 1);
    assert_eq!(
        store.search_terms(&q(&["alpha"]), 10, None).unwrap()[0].0,
        k
    );
    assert!(store
        .search_terms(&q(&["omega"]), 10, None)
        .unwrap()
        .is_empty());
    assert_eq!(store.band_matches(&[1], 10, None).unwrap(), vec![(k, 1)]);

    // Replace: same key, revision 2, bands and index follow the new text.
    let out = store
        .put_batch(
            &[new_article("x", "omega psi", &[9, 4])],
            OnConflict::Replace,
        )
        .unwrap();
    assert_eq!(out, vec![PutOutcome::Replaced(k)]);
    let got = store.get(k).unwrap().unwrap();
    assert_eq!(got.article.text, "omega psi");
    assert_eq!(got.revision, 2);
    assert!(store
        .search_terms(&q(&["alpha"]), 10, None)
        .unwrap()
        .is_empty());
    assert_eq!(
        store
            .search_terms(&q(&["gamma", "beta"]), 10, None)
            .unwrap()
            .iter()
            .map(|h| h.0)
            .collect::<Vec<_>>(),
        vec![other]
    );
    assert_eq!(
        store.search_terms(&q(&["omega"]), 10, None).unwrap()[0].0,
        k
    );
    assert!(store.band_matches(&[1, 2], 10, None).unwrap().is_empty());
    assert_eq!(
        store.band_matches(&[9, 4, 3], 10, None).unwrap(),
        vec![(k, 2), (other, 2)]
    );
    // Old documents are gone from the index, not merely filtered.
    assert_eq!(store.stats().unwrap().index_docs, 2);
    assert_eq!(store.doc_freqs(&["alpha".into()]).unwrap().0, 2);

    // A third revision.
    store
        .put_batch(&[new_article("x", "third", &[])], OnConflict::Replace)
        .unwrap();
    assert_eq!(store.get(k).unwrap().unwrap().revision, 3);
    assert!(store.band_matches(&[9, 4], 10, None).unwrap() == vec![(other, 1)]);
}

#[test]
fn duplicate_ids_in_one_batch_apply_in_order() {
    let (_d, store) = open();
    let batch = [
        new_article("d", "first version", &[1]),
        new_article("e", "unrelated", &[5]),
        new_article("d", "second version", &[2]),
        new_article("d", "second version", &[2]),
    ];
    let out = store.put_batch(&batch, OnConflict::Replace).unwrap();
    let k = out[0].key();
    assert_eq!(
        out,
        vec![
            PutOutcome::Added(k),
            PutOutcome::Added(out[1].key()),
            PutOutcome::Replaced(k),
            PutOutcome::Unchanged(k)
        ]
    );
    let got = store.get(k).unwrap().unwrap();
    assert_eq!(got.article.text, "second version");
    assert_eq!(got.revision, 2);
    assert!(store
        .search_terms(&q(&["first"]), 10, None)
        .unwrap()
        .is_empty());
    assert_eq!(
        store.search_terms(&q(&["second"]), 10, None).unwrap()[0].0,
        k
    );
    assert!(store.band_matches(&[1], 10, None).unwrap().is_empty());
    assert_eq!(store.stats().unwrap().index_docs, 2);
    assert_eq!(store.index_documents().unwrap().len(), 2);

    // With Reject the later duplicate is a conflict and the first wins.
    let out = store
        .put_batch(
            &[new_article("f", "one", &[]), new_article("f", "two", &[])],
            OnConflict::Reject,
        )
        .unwrap();
    assert_eq!(out[1], PutOutcome::Conflict(out[0].key()));
    assert_eq!(
        store.get(out[0].key()).unwrap().unwrap().article.text,
        "one"
    );
}

#[test]
fn rare_terms_rank_above_common_ones() {
    let (_d, store) = open();
    let mut batch = Vec::new();
    // "the" and "said" are everywhere; "zelensky" is rare.
    for i in 0..40 {
        batch.push(new_article(
            &format!("filler{i}"),
            "the said the said news",
            &[],
        ));
    }
    batch.push(new_article("common", "the said the said the said", &[]));
    batch.push(new_article("rare", "zelensky spoke", &[]));
    let out = store.put_batch(&batch, OnConflict::Reject).unwrap();
    let common = out[40].key();
    let rare = out[41].key();

    let hits = store
        .search_terms(&q(&["the", "said", "zelensky"]), 5, None)
        .unwrap();
    assert_eq!(hits.len(), 5);
    assert_eq!(hits[0].0, rare, "{hits:?}");
    assert!(hits.windows(2).all(|w| w[0].1 >= w[1].1));
    assert_eq!(hits[1].0, common, "higher tf of common terms ranks next");

    // exclude removes exactly that key and still fills the limit.
    let hits = store
        .search_terms(&q(&["the", "said", "zelensky"]), 5, Some(rare))
        .unwrap();
    assert_eq!(hits.len(), 5);
    assert!(hits.iter().all(|h| h.0 != rare));

    // Boosts weight the query side; zero and negative boosts are ignored.
    let hits = store
        .search_terms(
            &[("said".into(), 100.0), ("zelensky".into(), 0.01)],
            1,
            None,
        )
        .unwrap();
    assert_ne!(hits[0].0, rare);
    assert!(store
        .search_terms(&[("zelensky".into(), 0.0), ("said".into(), -1.0)], 5, None)
        .unwrap()
        .is_empty());
    assert!(store
        .search_terms(&q(&["absent"]), 5, None)
        .unwrap()
        .is_empty());
    assert!(store
        .search_terms(&q(&["said"]), 0, None)
        .unwrap()
        .is_empty());
    assert!(store.search_terms(&[], 5, None).unwrap().is_empty());

    // All matches when the limit is larger than the corpus.
    assert_eq!(
        store.search_terms(&q(&["said"]), 1000, None).unwrap().len(),
        41
    );

    let (n, dfs) = store
        .doc_freqs(&["the".into(), "zelensky".into(), "absent".into()])
        .unwrap();
    assert_eq!(n, 42);
    assert_eq!(dfs, vec![41, 1, 0]);
}

#[test]
fn terms_are_case_sensitive_and_not_tokenised_further() {
    let (_d, store) = open();
    let k = store
        .put_batch(
            &[NewArticle {
                article: Article::new(id("t"), "x"),
                index_terms: vec!["U.S.".into(), "Trump".into(), "3.5%".into()],
                band_keys: vec![],
                sentence_shapes: vec![],
            }],
            OnConflict::Reject,
        )
        .unwrap()[0]
        .key();
    assert_eq!(store.search_terms(&q(&["U.S."]), 5, None).unwrap()[0].0, k);
    assert_eq!(store.search_terms(&q(&["3.5%"]), 5, None).unwrap()[0].0, k);
    assert!(store
        .search_terms(&q(&["trump"]), 5, None)
        .unwrap()
        .is_empty());
    assert!(store.search_terms(&q(&["U"]), 5, None).unwrap().is_empty());
}

#[test]
fn band_matches_counts_shared_keys() {
    let (_d, store) = open();
    let out = store
        .put_batch(
            &[
                new_article("a", "a", &[1, 2, 3, 4]),
                new_article("b", "b", &[1, 2, 9]),
                new_article("c", "c", &[4, 4, 4]),
                new_article("d", "d", &[100]),
            ],
            OnConflict::Reject,
        )
        .unwrap();
    let [a, b, c, _d] = [0, 1, 2, 3].map(|i| out[i].key());
    assert_eq!(
        store.band_matches(&[1, 2, 3, 4, 4], 10, None).unwrap(),
        vec![(a, 4), (b, 2), (c, 1)]
    );
    assert_eq!(
        store.band_matches(&[1, 2, 3, 4], 10, Some(a)).unwrap(),
        vec![(b, 2), (c, 1)]
    );
    assert_eq!(
        store.band_matches(&[1, 2, 3, 4], 1, None).unwrap(),
        vec![(a, 4)]
    );
    assert!(store.band_matches(&[55], 10, None).unwrap().is_empty());
    assert!(store.band_matches(&[], 10, None).unwrap().is_empty());
}

#[test]
fn reopen_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let (ka, kb);
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        let out = store
            .put_batch(
                &[
                    new_article("a", "persist me", &[7]),
                    new_article("b", "and me", &[8]),
                ],
                OnConflict::Reject,
            )
            .unwrap();
        ka = out[0].key();
        kb = out[1].key();
        store
            .put_batch(&[new_article("b", "changed", &[8])], OnConflict::Replace)
            .unwrap();
    }
    for store in [
        EmbeddedStore::open(dir.path()).unwrap(),
        EmbeddedStore::open_read_only(dir.path()).unwrap(),
    ] {
        assert_eq!(store.get(ka).unwrap().unwrap().article.text, "persist me");
        let b = store.get(kb).unwrap().unwrap();
        assert_eq!((b.article.text.as_str(), b.revision), ("changed", 2));
        assert_eq!(
            store.search_terms(&q(&["persist"]), 5, None).unwrap()[0].0,
            ka
        );
        assert_eq!(
            store.search_terms(&q(&["changed"]), 5, None).unwrap()[0].0,
            kb
        );
        assert_eq!(store.band_matches(&[7, 8], 5, None).unwrap().len(), 2);
        assert_eq!(store.stats().unwrap().index_docs, 2);
        drop(store);
    }
    // Keys keep growing after a reopen.
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let kc = store
        .put_batch(&[new_article("c", "new", &[])], OnConflict::Reject)
        .unwrap()[0]
        .key();
    assert!(kc > kb);
}

#[test]
fn read_only_store() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    match EmbeddedStore::open_read_only(&missing) {
        Err(StoreError::NotFound(p)) => assert_eq!(p, missing),
        other => panic!("{other:?}"),
    }
    assert!(!missing.exists(), "read-only open must not create");
    // An empty existing directory is not a store either.
    assert!(matches!(
        EmbeddedStore::open_read_only(dir.path()),
        Err(StoreError::NotFound(_))
    ));

    let writer = EmbeddedStore::open(dir.path()).unwrap();
    writer
        .put_batch(&[new_article("a", "one", &[])], OnConflict::Reject)
        .unwrap();
    let reader = EmbeddedStore::open_read_only(dir.path()).unwrap();
    assert!(reader.is_read_only());
    let err = reader
        .put_batch(&[new_article("b", "two", &[])], OnConflict::Reject)
        .unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly(_)), "{err}");
    assert!(err.to_string().contains(&dir.path().display().to_string()));

    // The reader sees the writer's later commits (SQLite at once, the index
    // after a reload, which the watcher does within a second or so).
    let kb = writer
        .put_batch(&[new_article("b", "two", &[])], OnConflict::Reject)
        .unwrap()[0]
        .key();
    assert_eq!(reader.get(kb).unwrap().unwrap().article.text, "two");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while reader
        .search_terms(&q(&["two"]), 1, None)
        .unwrap()
        .is_empty()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "reader never saw the commit"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn second_writer_is_locked_out() {
    let dir = tempfile::tempdir().unwrap();
    let first = EmbeddedStore::open(dir.path()).unwrap();
    first
        .put_batch(&[new_article("a", "one", &[])], OnConflict::Reject)
        .unwrap();
    let second = EmbeddedStore::open(dir.path()).unwrap();
    // Reading is fine.
    assert_eq!(second.keys().unwrap().len(), 1);
    let err = second
        .put_batch(&[new_article("b", "two", &[])], OnConflict::Reject)
        .unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    drop(first);
    second
        .put_batch(&[new_article("b", "two", &[])], OnConflict::Reject)
        .unwrap();
}

#[test]
fn concurrent_reads_during_writes() {
    let (_d, store) = open();
    let store = Arc::new(store);
    let first: Vec<_> = (0..100)
        .map(|i| new_article(&format!("p{i}"), &format!("shared p{i}"), &[1, i]))
        .collect();
    store.put_batch(&first, OnConflict::Reject).unwrap();

    let writer = {
        let store = Arc::clone(&store);
        std::thread::spawn(move || {
            for b in 0..20 {
                let batch: Vec<_> = (0..50)
                    .map(|i| {
                        let n = 1000 + b * 50 + i;
                        new_article(&format!("w{n}"), &format!("shared w{n}"), &[1, n])
                    })
                    .collect();
                store.put_batch(&batch, OnConflict::Reject).unwrap();
            }
        })
    };
    let readers: Vec<_> = (0..4)
        .map(|t| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                for i in 0..200u64 {
                    let k = ArticleKey(1 + (i * 7 + t) % 100);
                    assert!(store.get(k).unwrap().is_some());
                    let hits = store.search_terms(&q(&["shared"]), 50, None).unwrap();
                    // Every hit resolves to a stored article.
                    let keys: Vec<_> = hits.iter().map(|h| h.0).collect();
                    assert_eq!(store.get_many(&keys).unwrap().len(), keys.len());
                    assert!(!store.band_matches(&[1], 10, None).unwrap().is_empty());
                }
            })
        })
        .collect();
    writer.join().unwrap();
    for r in readers {
        r.join().unwrap();
    }
    assert_eq!(store.keys().unwrap().len(), 1100);
    assert_eq!(store.stats().unwrap().index_docs, 1100);
}

#[test]
fn store_is_object_safe_send_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<EmbeddedStore>();
    let (_d, store) = open();
    let dyn_store: Box<dyn Store> = Box::new(store);
    assert!(dyn_store.keys().unwrap().is_empty());
    let s = dyn_store.stats().unwrap();
    assert_eq!((s.articles, s.index_docs, s.with_date), (0, 0, 0));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any sequence of batches (with repeated ids, changed texts, both
    /// conflict modes) leaves the store equal to a sequential model.
    #[test]
    fn matches_sequential_model(
        batches in prop::collection::vec(
            (prop::collection::vec((0u8..6, 0u8..3), 0..8), any::<bool>()),
            1..6,
        )
    ) {
        let (_d, store) = open();
        let mut model: std::collections::BTreeMap<String, (String, u32)> = Default::default();
        for (items, replace) in batches {
            let mode = if replace { OnConflict::Replace } else { OnConflict::Reject };
            let batch: Vec<_> = items
                .iter()
                .map(|(i, v)| new_article(&format!("id{i}"), &format!("t{i}v{v} common"), &[u64::from(*v)]))
                .collect();
            let out = store.put_batch(&batch, mode).unwrap();
            for (item, o) in batch.iter().zip(&out) {
                let id = item.article.id.to_string();
                let text = item.article.text.clone();
                let expected = match model.get(&id) {
                    None => { model.insert(id, (text, 1)); "added" }
                    Some((t, _)) if *t == text => "unchanged",
                    Some(_) if !replace => "conflict",
                    Some((_, r)) => { let r = *r + 1; model.insert(id, (text, r)); "replaced" }
                };
                let got = match o {
                    PutOutcome::Added(_) => "added",
                    PutOutcome::Unchanged(_) => "unchanged",
                    PutOutcome::Conflict(_) => "conflict",
                    PutOutcome::Replaced(_) => "replaced",
                };
                prop_assert_eq!(got, expected);
            }
        }
        prop_assert_eq!(store.keys().unwrap().len(), model.len());
        for (id, (text, rev)) in &model {
            let k = store.key_of(&common::id(id)).unwrap().unwrap();
            let got = store.get(k).unwrap().unwrap();
            prop_assert_eq!(&got.article.text, text);
            prop_assert_eq!(got.revision, *rev);
            let own_term = text.split_whitespace().next().unwrap();
            let hits = store.search_terms(&q(&[own_term]), 10, None).unwrap();
            prop_assert_eq!(hits.len(), 1);
            prop_assert_eq!(hits[0].0, k);
        }
        prop_assert_eq!(store.stats().unwrap().index_docs, model.len() as u64);
    }
}

#[test]
fn frozen_statistics_score_as_live_when_taken_and_ignore_later_articles() {
    let (_d, store) = open();
    let mut batch = Vec::new();
    for i in 0..20 {
        batch.push(new_article(
            &format!("old{i}"),
            &format!("ceasefire talks envoy report{i} the said"),
            &[],
        ));
    }
    batch.push(new_article("kyiv", "kyiv ceasefire talks envoy kyiv", &[]));
    let keys: Vec<ArticleKey> = store
        .put_batch(&batch, OnConflict::Reject)
        .unwrap()
        .iter()
        .map(|o| o.key())
        .collect();
    let query = q(&["kyiv", "ceasefire", "envoy", "said"]);

    let frozen = store.frozen_stats().unwrap();
    assert_eq!(frozen.docs(), 21);
    assert_eq!(frozen.doc_freq("ceasefire"), 21);
    assert_eq!(frozen.doc_freq("kyiv"), 1);
    assert_eq!(frozen.doc_freq("absent"), 0);
    assert!(keys.iter().all(|&k| frozen.counts(k)));
    // One query term: the search's score is what `bm25_term_score` says.
    let one = store
        .search_terms_with(&[("kyiv".into(), 1.7)], 1, None, Some(&frozen))
        .unwrap();
    assert_eq!(one[0].0, keys[20]);
    let predicted = frozen.bm25_term_score("kyiv", 1.7, 2, 5);
    assert!(
        (one[0].1 - predicted).abs() <= 1e-5 * predicted,
        "{one:?} {predicted}"
    );
    let live = store.search_terms(&query, 30, None).unwrap();
    assert_eq!(
        store
            .search_terms_with(&query, 30, None, Some(&frozen))
            .unwrap(),
        live,
        "a fresh snapshot scores exactly as the live index"
    );

    // Later articles make "kyiv" common: live scores of the old articles
    // move, frozen ones do not, and the newcomers are not counted.
    let later: Vec<NewArticle> = (0..30)
        .map(|i| new_article(&format!("new{i}"), "kyiv kyiv drone strike", &[]))
        .collect();
    let added = store.put_batch(&later, OnConflict::Reject).unwrap();
    assert!(!frozen.counts(added[0].key()));
    let score_of = |hits: &[(ArticleKey, f32)], k: ArticleKey| {
        hits.iter().find(|h| h.0 == k).map(|h| h.1).unwrap()
    };
    let live_after = store.search_terms(&query, 60, None).unwrap();
    let frozen_after = store
        .search_terms_with(&query, 60, None, Some(&frozen))
        .unwrap();
    let kyiv = keys[20];
    assert!(score_of(&live_after, kyiv) < score_of(&live, kyiv));
    for &k in &keys {
        assert_eq!(score_of(&frozen_after, k), score_of(&live, k));
    }
}
