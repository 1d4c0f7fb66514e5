//! The incremental update equals a rebuild with the same statistics when
//! articles are added *and* stored articles are replaced by new revisions
//! (`ingest --replace`), on a small generated corpus of real BBC and
//! Reuters text.

use std::sync::Arc;

use unspun_article::Article;
use unspun_corpus::CorpusSpec;
use unspun_engine::Engine;
use unspun_graph::{DerivationGraph, GraphState};
use unspun_store::{EmbeddedStore, OnConflict};

fn jsonl(g: &DerivationGraph) -> String {
    let mut out = Vec::new();
    g.write_jsonl(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn update_with_new_and_replaced_articles_equals_rebuild() {
    let base = unspun_corpus::load_base(
        Some(&unspun_corpus::default_bbc_dir()),
        Some(&unspun_corpus::default_reuters_dir()),
    )
    .expect("the BBC and Reuters data under ../shared/data");
    let spec = CorpusSpec {
        size: 400,
        seed: 7,
        derived_share: 0.4,
        ..CorpusSpec::default()
    };
    let articles = unspun_corpus::generate(&spec, &base)
        .expect("generation")
        .articles;
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));
    let (early, late) = articles.split_at(340);
    engine
        .ingest_batch(early.to_vec(), OnConflict::Reject)
        .unwrap();
    let mut state = GraphState::new();
    state.update(&engine, &|_, _| {}).unwrap();

    // New articles, and three stored ones replaced: one by another
    // article's text (it becomes a copy), one cut to its first half, one
    // given a different date.
    engine
        .ingest_batch(late.to_vec(), OnConflict::Reject)
        .unwrap();
    let mut replaced: Vec<Article> = Vec::new();
    let mut a = early[10].clone();
    a.text = early[11].text.clone();
    replaced.push(a);
    let mut b = early[20].clone();
    let cut = b.text.len() / 2;
    let cut = (cut..b.text.len())
        .find(|&i| b.text.is_char_boundary(i))
        .unwrap();
    b.text.truncate(cut);
    replaced.push(b);
    let mut c = early[30].clone();
    c.date = c.date.map(|d| d + chrono::Days::new(400));
    replaced.push(c);
    let outcomes = engine.ingest_batch(replaced, OnConflict::Replace).unwrap();
    assert!(outcomes
        .iter()
        .all(|o| matches!(o, unspun_store::PutOutcome::Replaced(_))));

    let stats = state.update(&engine, &|_, _| {}).unwrap();
    assert_eq!(stats.new_or_changed, late.len() + 3);
    assert!(!stats.statistics_refreshed);
    assert!(stats.retraced < early.len(), "{stats:?}");
    let updated = state.graph(&engine).unwrap();

    let mut full = state.rebuild();
    full.update(&engine, &|_, _| {}).unwrap();
    let rebuilt = full.graph(&engine).unwrap();
    assert_eq!(jsonl(&updated), jsonl(&rebuilt));
    assert_eq!(state.book(), full.book());
}

#[test]
fn a_state_from_another_store_starts_afresh() {
    let open = || {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));
        (dir, engine)
    };
    let article =
        |id: &str, text: &str| Article::new(unspun_article::ArticleId::new(id).unwrap(), text);
    let text = "The central bank raised interest rates by a quarter point on Tuesday. \
                Governor Ana Ruiz said inflation in Lisbon had stayed above target.";
    let (_a, first) = open();
    first
        .ingest_batch(
            vec![article("wire", text), article("blog", text)],
            OnConflict::Reject,
        )
        .unwrap();
    let mut state = GraphState::new();
    state.update(&first, &|_, _| {}).unwrap();
    assert_eq!(state.articles(), 2);

    // The same state against a store without "wire" and "blog".
    let (_b, second) = open();
    second
        .ingest_batch(
            vec![article("other", text), article("copy", text)],
            OnConflict::Reject,
        )
        .unwrap();
    let stats = state.update(&second, &|_, _| {}).unwrap();
    assert!(stats.statistics_refreshed);
    assert_eq!(stats.new_or_changed, 2);
    let graph = state.graph(&second).unwrap();
    let ids: Vec<&str> = graph.nodes.keys().map(|id| id.as_str()).collect();
    assert_eq!(ids, ["copy", "other"]);
    assert_eq!(state.statistics().unwrap().docs(), 2);
}
