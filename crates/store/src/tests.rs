//! Unit tests of the internals: content hashing, format versioning, error
//! messages, and damaged stores.

use std::path::Path;

use chrono::NaiveDate;
use unspun_article::{Article, ArticleId};

use crate::sql::{content_hash, DB_FILE};
use crate::{EmbeddedStore, ListFilter, NewArticle, OnConflict, PutOutcome, Store, StoreError};

fn article(text: &str) -> Article {
    Article::new(ArticleId::new("x").unwrap(), text)
}

fn new(id: &str, text: &str) -> NewArticle {
    NewArticle {
        article: Article::new(ArticleId::new(id).unwrap(), text),
        index_terms: text.split_whitespace().map(String::from).collect(),
        band_keys: vec![],
        sentence_shapes: vec![],
    }
}

#[test]
fn content_hash_separates_fields() {
    let base = article("text");
    let mut title = base.clone();
    title.title = Some("a".into());
    let mut url = base.clone();
    url.url = Some("a".into());
    let mut empty_title = base.clone();
    empty_title.title = Some(String::new());
    let mut dated = base.clone();
    dated.date = NaiveDate::from_ymd_opt(2020, 2, 29);
    let mut moved = article("tex");
    moved.title = Some("t".into());
    let mut other_id = base.clone();
    other_id.id = ArticleId::new("y").unwrap();

    let hashes = [&base, &title, &url, &empty_title, &dated, &moved].map(content_hash);
    for i in 0..hashes.len() {
        for j in 0..i {
            assert_ne!(hashes[i], hashes[j], "{i} vs {j}");
        }
    }
    // The id is the identity, not content.
    assert_eq!(content_hash(&base), content_hash(&other_id));
    assert_eq!(content_hash(&base), content_hash(&base.clone()));
}

fn set_version(dir: &Path, v: &str) {
    let conn = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE name = 'schema_version'",
        [v],
    )
    .unwrap();
}

/// Opens `dir` read-write and read-only; both must fail, with a message
/// that names the store and says `advice`. Returns the two errors.
fn refused_both_ways(dir: &Path, advice: &str) -> [StoreError; 2] {
    [EmbeddedStore::open(dir), EmbeddedStore::open_read_only(dir)].map(|result| {
        let err = result.unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(&dir.display().to_string()), "{msg}");
        assert!(msg.contains(advice), "{msg}");
        err
    })
}

#[test]
fn newer_and_older_formats_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(EmbeddedStore::open(dir.path()).unwrap());
    set_version(dir.path(), "3");
    for err in refused_both_ways(dir.path(), "upgrade") {
        match err {
            StoreError::NewerFormat {
                found, supported, ..
            } => assert_eq!((found, supported), (3, 2)),
            other => panic!("{other:?}"),
        }
    }
    set_version(dir.path(), "1");
    for err in refused_both_ways(dir.path(), "ingest the articles again") {
        match err {
            StoreError::OlderFormat {
                found, supported, ..
            } => assert_eq!((found, supported), (1, 2)),
            other => panic!("{other:?}"),
        }
    }
    set_version(dir.path(), "banana");
    assert!(matches!(
        EmbeddedStore::open(dir.path()),
        Err(StoreError::Damaged { .. })
    ));
}

#[test]
fn foreign_sqlite_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    conn.execute_batch("CREATE TABLE other (x)").unwrap();
    drop(conn);
    let err = EmbeddedStore::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    assert!(err.to_string().contains("not an unspun store"));
}

#[test]
fn missing_index_with_articles_is_damage_without_is_repaired() {
    let dir = tempfile::tempdir().unwrap();
    drop(EmbeddedStore::open(dir.path()).unwrap());
    // Empty store, index gone (as if creation was interrupted): recreated.
    std::fs::remove_dir_all(dir.path().join("retrieval")).unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    store
        .put_batch(&[new("a", "alpha")], OnConflict::Reject)
        .unwrap();
    drop(store);
    // With articles, a lost index cannot be rebuilt from SQLite.
    std::fs::remove_dir_all(dir.path().join("retrieval")).unwrap();
    let err = EmbeddedStore::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    assert!(err.to_string().contains("retrieval index"), "{err}");
    assert!(matches!(
        EmbeddedStore::open_read_only(dir.path()),
        Err(StoreError::Damaged { .. })
    ));
}

#[test]
fn not_found_message_names_the_directory() {
    let err = EmbeddedStore::open_read_only(Path::new("/nonexistent/corpus")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no unspun store at /nonexistent/corpus: the directory does not exist or holds no articles.sqlite3"
    );
}

#[test]
fn open_creates_nested_directories() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/c");
    let store = EmbeddedStore::open(&nested).unwrap();
    assert_eq!(store.dir(), nested);
    assert!(nested.join(DB_FILE).is_file());
    assert!(nested.join("retrieval/meta.json").is_file());
    assert!(format!("{store:?}").contains("read_only: false"));
}

#[test]
fn long_and_odd_terms() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let huge = "x".repeat(100_000);
    let k = store
        .put_batch(
            &[NewArticle {
                article: article("body"),
                index_terms: vec![huge.clone(), "ok".into(), "two words".into()],
                band_keys: vec![],
                sentence_shapes: vec![],
            }],
            OnConflict::Reject,
        )
        .unwrap()[0]
        .key();
    let q = |t: &str| vec![(t.to_string(), 1.0f32)];
    assert!(store.search_terms(&q(&huge), 5, None).unwrap().is_empty());
    assert_eq!(store.search_terms(&q("ok"), 5, None).unwrap()[0].0, k);
    // A term with white space was split on indexing.
    assert_eq!(store.search_terms(&q("words"), 5, None).unwrap()[0].0, k);
    assert!(store
        .search_terms(&q("two words"), 5, None)
        .unwrap()
        .is_empty());
}

#[test]
fn sentence_vector_cache_round_trip_and_staleness() {
    use crate::{ArticleKey, CachedVectors};
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let out = store
        .put_batch(&[new("a", "one two three")], OnConflict::Reject)
        .unwrap();
    let key = out[0].key();
    // Nothing cached yet (and no table yet).
    assert_eq!(store.sentence_vectors(key, 1, 7, "static").unwrap(), None);
    let v = vec![vec![0.6f32, -0.8, 0.0], vec![0.0, 0.0, 1.0]];
    store
        .put_sentence_vectors(
            "static",
            &[CachedVectors {
                key,
                revision: 1,
                checksum: 7,
                vectors: v.clone(),
            }],
        )
        .unwrap();
    let got = store
        .sentence_vectors(key, 1, 7, "static")
        .unwrap()
        .unwrap();
    for (a, b) in got.iter().flatten().zip(v.iter().flatten()) {
        assert!((a - b).abs() < 0.01);
    }
    // Another model, revision or segmentation misses.
    assert_eq!(store.sentence_vectors(key, 1, 7, "minilm").unwrap(), None);
    assert_eq!(store.sentence_vectors(key, 2, 7, "static").unwrap(), None);
    assert_eq!(store.sentence_vectors(key, 1, 8, "static").unwrap(), None);
    assert_eq!(
        store
            .sentence_vectors(ArticleKey(999), 1, 7, "static")
            .unwrap(),
        None
    );
    drop(store);

    // Read-only: readable, not writable unless allowed; articles untouched.
    let ro = EmbeddedStore::open_read_only(dir.path()).unwrap();
    assert!(ro.sentence_vectors(key, 1, 7, "static").unwrap().is_some());
    let entry = CachedVectors {
        key,
        revision: 1,
        checksum: 7,
        vectors: v.clone(),
    };
    assert!(matches!(
        ro.put_sentence_vectors("minilm", std::slice::from_ref(&entry)),
        Err(StoreError::ReadOnly(_))
    ));
    let ro = ro.with_cache_writes();
    ro.put_sentence_vectors("minilm", &[entry]).unwrap();
    assert!(ro.sentence_vectors(key, 1, 7, "minilm").unwrap().is_some());
    assert_eq!(ro.stats().unwrap().articles, 1);
    assert_eq!(ro.get(key).unwrap().unwrap().article.text, "one two three");
}

#[test]
fn search_hits_carry_date_and_outlet_and_a_damaged_row_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let mut wire = new("wire", "kyiv envoy talks ceasefire");
    wire.article.date = NaiveDate::from_ymd_opt(2025, 12, 5);
    wire.article.source = Some("Reuters".into());
    let blog = new("blog", "kyiv talks");
    store.put_batch(&[wire, blog], OnConflict::Reject).unwrap();
    let query = vec![("kyiv".to_string(), 1.0), ("envoy".to_string(), 2.0)];
    let hits = store.search_hits_with(&query, 10, None, None).unwrap();
    assert_eq!(hits.len(), 2);
    let wire = &hits[0];
    assert_eq!(
        wire.key,
        store
            .key_of(&ArticleId::new("wire").unwrap())
            .unwrap()
            .unwrap()
    );
    assert_eq!(wire.date, NaiveDate::from_ymd_opt(2025, 12, 5));
    assert_eq!(wire.source.as_deref(), Some("Reuters"));
    assert_eq!((hits[1].date, hits[1].source.as_deref()), (None, None));
    // The same hits, scores and order as `search_terms_with`.
    let plain = store.search_terms_with(&query, 10, None, None).unwrap();
    let from_hits: Vec<_> = hits.iter().map(|h| (h.key, h.score)).collect();
    assert_eq!(plain, from_hits);
    drop(store);

    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    conn.execute("UPDATE articles SET date = 'Friday' WHERE id = 'wire'", [])
        .unwrap();
    drop(conn);
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let err = store.search_hits_with(&query, 10, None, None).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    assert!(err.to_string().contains("invalid date"), "{err}");
}

#[test]
fn provenance_is_kept_but_is_not_content() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let mut item = new("a", "alpha beta");
    item.article.url = Some("https://news.example/a".into());
    item.article.fetched_url = Some("https://news.example/a?utm=feed".into());
    item.article.extraction = Some("html: rs-trafilatura main content".into());
    item.article.page_spans = vec![unspun_article::read::PageSpan {
        text_start: 0,
        text_end: 10,
        page_start: 55,
        page_end: 65,
    }];
    let first = store
        .put_batch(&[item.clone()], OnConflict::Replace)
        .unwrap();
    let key = first[0].key();
    let got = store.get(key).unwrap().unwrap();
    assert_eq!(got.article, item.article);

    // The same page read again from a crawl: not a new revision, and the
    // provenance of the stored version stays.
    let mut again = item.clone();
    again.article.fetched_url = Some("https://news.example/a".into());
    again.article.extraction = Some("WARC record at offset 0; html".into());
    let second = store.put_batch(&[again], OnConflict::Replace).unwrap();
    assert!(matches!(second[0], PutOutcome::Unchanged(_)), "{second:?}");
    let got = store.get(key).unwrap().unwrap();
    assert_eq!(got.revision, 1);
    assert_eq!(got.article.extraction, item.article.extraction);
}

#[test]
fn store_without_provenance_columns_is_read_and_then_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        store
            .put_batch(&[new("a", "alpha beta")], OnConflict::Reject)
            .unwrap();
    }
    // As a store written before the columns existed.
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    conn.execute_batch(
        "ALTER TABLE articles DROP COLUMN fetched_url; ALTER TABLE articles DROP COLUMN extraction;
         ALTER TABLE articles DROP COLUMN page_spans;
         DROP TABLE verdicts; DROP TABLE licensed_outlets;",
    )
    .unwrap();
    drop(conn);

    let read_only = EmbeddedStore::open_read_only(dir.path()).unwrap();
    let key = read_only.keys().unwrap()[0];
    let got = read_only.get(key).unwrap().unwrap();
    assert_eq!(got.article.text, "alpha beta");
    assert_eq!(got.article.extraction, None);
    // Nor review tables: no verdicts, no licences.
    let id = ArticleId::new("a").unwrap();
    assert!(read_only.verdicts(&id, &id).unwrap().is_empty());
    assert!(read_only.licensed_outlets().unwrap().is_empty());
    drop(read_only);

    // A writer adds the columns; what was stored stays, now with room for
    // provenance.
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let mut item = new("b", "gamma delta");
    item.article.extraction = Some("text file".into());
    store.put_batch(&[item], OnConflict::Reject).unwrap();
    let keys = store.keys().unwrap();
    let texts: Vec<_> = keys
        .iter()
        .map(|k| store.get(*k).unwrap().unwrap().article)
        .map(|a| (a.text, a.extraction))
        .collect();
    assert_eq!(
        texts,
        [
            ("alpha beta".to_string(), None),
            ("gamma delta".to_string(), Some("text file".to_string()))
        ]
    );
}

#[test]
fn list_pages_through_filtered_articles_in_key_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let day = |d: u32| NaiveDate::from_ymd_opt(2025, 4, d);
    let dated = |id: &str, d: Option<NaiveDate>, outlet: &str| {
        let mut item = new(id, "alpha beta");
        item.article.date = d;
        item.article.source = Some(outlet.to_string());
        item.article.title = Some(format!("title {id}"));
        item
    };
    let batch = [
        dated("a", day(24), "Reuters"),
        dated("b", day(25), "BBC"),
        dated("c", day(26), "Reuters"),
        dated("d", None, "Reuters"),
        dated("e", day(27), "Reuters"),
    ];
    store.put_batch(&batch, OnConflict::Reject).unwrap();
    let ids = |page: &[crate::ListedArticle]| -> Vec<String> {
        page.iter().map(|a| a.id.to_string()).collect()
    };

    // Everything, two at a time: each page starts after the last key.
    let all = ListFilter::default();
    let first = store.list(&all, None, 2).unwrap();
    assert_eq!(ids(&first), ["a", "b"]);
    assert_eq!(first[0].title.as_deref(), Some("title a"));
    assert_eq!(first[0].revision, 1);
    let second = store.list(&all, Some(first[1].key), 2).unwrap();
    assert_eq!(ids(&second), ["c", "d"]);
    let third = store.list(&all, Some(second[1].key), 2).unwrap();
    assert_eq!(ids(&third), ["e"]);
    assert!(store.list(&all, Some(third[0].key), 2).unwrap().is_empty());

    // One outlet, a date range (the undated article falls out).
    let reuters_from_26 = ListFilter {
        source: Some("Reuters".into()),
        since: day(26),
        until: None,
    };
    assert_eq!(
        ids(&store.list(&reuters_from_26, None, 10).unwrap()),
        ["c", "e"]
    );
    let until_25 = ListFilter {
        until: day(25),
        ..ListFilter::default()
    };
    assert_eq!(ids(&store.list(&until_25, None, 10).unwrap()), ["a", "b"]);
    // A page of a filtered list resumes after its last key.
    let page = store.list(&reuters_from_26, None, 1).unwrap();
    assert_eq!(
        ids(&store.list(&reuters_from_26, Some(page[0].key), 1).unwrap()),
        ["e"]
    );
}

#[test]
fn verdicts_and_licences_are_kept_with_their_history_across_a_restart() {
    use crate::VerdictKind;
    let dir = tempfile::tempdir().unwrap();
    let (blog, wire) = (
        ArticleId::new("blog").unwrap(),
        ArticleId::new("wire").unwrap(),
    );
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        assert!(store.verdicts(&blog, &wire).unwrap().is_empty());
        store
            .add_verdict(
                &blog,
                &wire,
                VerdictKind::Confirmed,
                "same quotes, same figures",
            )
            .unwrap();
        let second = store
            .add_verdict(
                &blog,
                &wire,
                VerdictKind::Licensed,
                "syndication deal of 2024",
            )
            .unwrap();
        assert_eq!(second.verdict, VerdictKind::Licensed);
        assert!(!store
            .set_licensed("Reuters", Some("wire contract"))
            .unwrap());
        assert!(store
            .set_licensed("Reuters", Some("wire contract, renewed"))
            .unwrap());
        assert!(!store.set_licensed("AP", Some("trial")).unwrap());
        assert!(store.set_licensed("AP", None).unwrap());
    }
    // Reopened, read-only: all of it is there.
    let store = EmbeddedStore::open_read_only(dir.path()).unwrap();
    let history = store.verdicts(&blog, &wire).unwrap();
    let kinds: Vec<_> = history.iter().map(|v| v.verdict).collect();
    assert_eq!(kinds, [VerdictKind::Confirmed, VerdictKind::Licensed]);
    assert_eq!(history[0].reason, "same quotes, same figures");
    assert!(history[0].seq < history[1].seq);
    assert!(
        store.verdicts(&wire, &blog).unwrap().is_empty(),
        "pairs are ordered"
    );
    let licensed = store.licensed_outlets().unwrap();
    assert_eq!(licensed.len(), 1);
    assert_eq!(licensed[0].outlet, "Reuters");
    assert_eq!(licensed[0].reason, "wire contract, renewed");
    // Read-only stores record nothing.
    assert!(matches!(
        store.add_verdict(&blog, &wire, VerdictKind::Dismissed, "x"),
        Err(StoreError::ReadOnly(_))
    ));
}

/// A store that held articles before it counted sentence shapes says it
/// cannot tell frames (its earlier articles have no rows), live and in its
/// snapshots; a store that counted from its first article answers, and
/// keeps in snapshots only the shapes filled two or more ways.
#[test]
fn shape_counts_are_known_only_from_a_stores_first_article() {
    let shaped = |id: &str, filler: u64| NewArticle {
        sentence_shapes: vec![(7, filler), (9, filler)],
        ..new(id, "text")
    };
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    store
        .put_batch(
            &[shaped("a", 1), shaped("b", 2), shaped("c", 2)],
            OnConflict::Reject,
        )
        .unwrap();
    let fillers = store.shape_fillers(&[7, 8]).unwrap().unwrap();
    assert_eq!(fillers.len(), 1, "an unseen shape is left out: {fillers:?}");
    let mut seven = fillers[&7].clone();
    seven.sort_unstable();
    assert_eq!(seven, [1, 2]);
    let frozen = store.frozen_stats().unwrap();
    assert!(frozen.knows_frames());
    assert_eq!(frozen.frame_fillers(9).len(), 2);
    drop(store);

    // The same store as an older build left it: no table, no mark.
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    conn.execute_batch(
        "DROP TABLE shape_fillers; DELETE FROM meta WHERE name = 'shape_fillers_complete';",
    )
    .unwrap();
    drop(conn);
    let read_only = EmbeddedStore::open_read_only(dir.path()).unwrap();
    assert_eq!(read_only.shape_fillers(&[7]).unwrap(), None);
    drop(read_only);
    let store = EmbeddedStore::open(dir.path()).unwrap();
    store
        .put_batch(&[shaped("d", 3)], OnConflict::Reject)
        .unwrap();
    assert_eq!(store.shape_fillers(&[7]).unwrap(), None);
    assert!(!store.frozen_stats().unwrap().knows_frames());
    assert!(!store.stats().unwrap().shapes_complete);

    // The upgrade records the earlier articles' shapes under their own
    // keys. "d" (key 4) recorded (7, 3) itself at ingest; given the pair
    // again under a smaller key, the smaller key stays.
    let key = |id: &str| store.key_of(&ArticleId::new(id).unwrap()).unwrap().unwrap();
    let shapes = |f: u64| vec![(7, f), (9, f)];
    store
        .add_stored_shapes(&[(key("a"), shapes(1)), (key("b"), shapes(2))], false)
        .unwrap();
    assert_eq!(store.shape_fillers(&[7]).unwrap(), None, "not done yet");
    store
        .add_stored_shapes(&[(key("c"), shapes(2)), (key("a"), vec![(7, 3)])], true)
        .unwrap();
    assert!(store.shapes_complete().unwrap());
    assert!(store.stats().unwrap().shapes_complete);
    let mut seven = store.shape_fillers(&[7]).unwrap().unwrap()[&7].clone();
    seven.sort_unstable();
    assert_eq!(seven, [1, 2, 3]);
    let frozen = store.frozen_stats().unwrap();
    assert!(frozen.knows_frames());
    assert_eq!(frozen.frame_fillers(7).len(), 3);
    drop(store);
    // Complete for every later opener too.
    let read_only = EmbeddedStore::open_read_only(dir.path()).unwrap();
    assert!(read_only.shapes_complete().unwrap());
    // Read-only stores record nothing.
    assert!(matches!(
        read_only.add_stored_shapes(&[], true),
        Err(StoreError::ReadOnly(_))
    ));
}
