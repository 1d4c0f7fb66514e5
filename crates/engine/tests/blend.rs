//! An article blended from two real BBC stories is traced to both, and
//! each of its sentences is attributed to the story it came from.

mod common;
use common::bbc;

use std::sync::Arc;

use unspun_align::Relation;
use unspun_article::{Article, ArticleId};
use unspun_engine::Engine;
use unspun_store::{EmbeddedStore, OnConflict};

#[test]
fn blend_of_two_stories_is_attributed_sentence_by_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));
    let mut corpus = bbc("business");
    corpus.extend(bbc("tech"));
    let a = corpus
        .iter()
        .find(|a| a.id.as_str() == "001")
        .unwrap()
        .clone();
    let b = corpus
        .iter()
        .rev()
        .find(|a| a.id.as_str() == "001")
        .unwrap()
        .clone();
    // Ids repeat across categories; give the two sources distinct ids.
    let (mut a, mut b) = (a, b);
    a.id = ArticleId::new("business-001").unwrap();
    b.id = ArticleId::new("tech-001").unwrap();
    let others: Vec<Article> = corpus
        .into_iter()
        .filter(|x| x.id.as_str() != "001")
        .map(|mut x| {
            x.id = ArticleId::new(format!("other-{}", x.id)).unwrap();
            x
        })
        .take(600)
        .collect();
    engine.ingest_batch(others, OnConflict::Reject).unwrap();
    engine
        .ingest_batch(vec![a.clone(), b.clone()], OnConflict::Reject)
        .unwrap();

    // Take the 2nd-4th paragraphs of each and interleave them, with a
    // sentence of our own in the middle.
    let paras = |t: &str| -> Vec<String> {
        t.split("\n\n")
            .map(|p| p.trim().to_string())
            .filter(|p| p.len() > 40)
            .skip(1)
            .take(3)
            .collect()
    };
    let (pa, pb) = (paras(&a.text), paras(&b.text));
    let mut text = String::new();
    let mut origin = Vec::new();
    for i in 0..3 {
        text.push_str(&pa[i]);
        text.push_str("\n\n");
        origin.push(("business-001", pa[i].clone()));
        if i == 1 {
            text.push_str(
                "Our correspondent in the region adds that none of this was expected.\n\n",
            );
        }
        text.push_str(&pb[i]);
        text.push_str("\n\n");
        origin.push(("tech-001", pb[i].clone()));
    }
    let blend = Article::new(ArticleId::new("blend").unwrap(), text);
    let trace = engine.trace(blend).unwrap();

    let ids: Vec<&str> = trace
        .sources
        .iter()
        .filter(|s| s.relation != Relation::Related)
        .map(|s| s.source.article.id.as_str())
        .collect();
    assert!(
        ids.contains(&"business-001") && ids.contains(&"tech-001"),
        "{ids:?}"
    );
    for (i, attributed) in trace.attribution.iter().enumerate() {
        let sentence = trace.article.sentence_text(i);
        let expected = origin
            .iter()
            .find(|(_, p)| p.contains(sentence))
            .map(|(id, _)| *id);
        let got = attributed.map(|s| trace.sources[s].source.article.id.as_str());
        assert_eq!(got, expected, "sentence {i}: {sentence}");
    }
}

/// The second source of a blend is found although the copies of the first
/// fill the BM25 list: what the best hit leaves unexplained is searched
/// again, and the earliest article carrying it is taken, not one of its
/// own copies.
#[test]
fn the_minor_source_of_a_blend_is_found_past_the_copies_of_the_major_one() {
    use chrono::NaiveDate;
    let mut corpus = bbc("business");
    corpus.extend(bbc("tech"));
    let pick = |n: usize| {
        let mut a = corpus[n].clone();
        a.id = ArticleId::new(format!("src-{n}")).unwrap();
        a
    };
    let day = |d: u32| Some(NaiveDate::from_ymd_opt(2005, 3, d).unwrap());
    let (mut major, mut minor) = (pick(10), pick(700));
    major.date = day(1);
    minor.date = day(2);
    major.source = Some("BBC".into());
    minor.source = Some("BBC".into());
    // Twenty outlets republish each story, with a line of their own.
    let copies: Vec<Article> = (0..40)
        .map(|i| {
            let story = if i < 20 { &major } else { &minor };
            let mut c = story.clone();
            c.id = ArticleId::new(format!("copy-{i}")).unwrap();
            c.source = Some(format!("Outlet {}", i % 20));
            c.date = day(3 + i % 5);
            c.text = format!("{}\n\nOutlet {i} will follow the story.", story.text);
            c
        })
        .collect();
    let others: Vec<Article> = corpus
        .iter()
        .enumerate()
        .filter(|(n, _)| *n != 10 && *n != 700)
        .take(600)
        .map(|(n, x)| {
            let mut x = x.clone();
            x.id = ArticleId::new(format!("other-{n}")).unwrap();
            x
        })
        .collect();
    // The blend: the major story, and one paragraph of the minor one.
    let paragraph = minor
        .text
        .split("\n\n")
        .map(str::trim)
        .find(|p| p.len() > 200)
        .unwrap()
        .to_string();
    let mut blend = Article::new(
        ArticleId::new("blend").unwrap(),
        format!("{}\n\n{paragraph}", major.text),
    );
    blend.date = day(9);

    let sources_of = |residual: usize| -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
        let engine = unspun_engine::EngineBuilder::new(store)
            .residual_candidates(residual)
            .build();
        engine
            .ingest_batch(others.clone(), OnConflict::Reject)
            .unwrap();
        let mut stories = vec![major.clone(), minor.clone()];
        stories.extend(copies.clone());
        engine.ingest_batch(stories, OnConflict::Reject).unwrap();
        let trace = engine.trace(blend.clone()).unwrap();
        assert!(trace.retrieval.bm25_full);
        trace
            .sources
            .iter()
            .filter(|s| s.relation != Relation::Related)
            .map(|s| s.source.article.id.as_str().to_string())
            .collect()
    };
    let with = sources_of(6);
    assert!(with.iter().any(|id| id == "src-700"), "{with:?}");
    assert_eq!(with.first().map(String::as_str), Some("src-10"), "{with:?}");
    // Without the residual query the minor source is crowded out.
    let without = sources_of(0);
    assert!(!without.iter().any(|id| id == "src-700"), "{without:?}");
}
