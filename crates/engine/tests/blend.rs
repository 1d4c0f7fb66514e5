//! An article blended from two real BBC stories is traced to both, and
//! each of its sentences is attributed to the story it came from.

use std::path::Path;
use std::sync::Arc;

use unspun_align::Relation;
use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};
use unspun_article::{Article, ArticleId};
use unspun_engine::Engine;
use unspun_store::{EmbeddedStore, OnConflict};

fn bbc(category: &str) -> Vec<Article> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/bbc-news-2225/bbc")
        .join(category);
    assert!(
        dir.is_dir(),
        "{} missing: tests need ../shared/data",
        dir.display()
    );
    let mut out = Vec::new();
    let opts = ReadOptions {
        format: Format::Text,
        latin1_fallback: true,
        ..ReadOptions::default()
    };
    read_paths(&[dir], &opts, &mut |ev| {
        if let ReadEvent::Article { article, .. } = ev {
            out.push(article);
        }
    });
    out
}

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
