//! Ingest fingerprints an article without building its alignment analysis
//! (`Engine::prepare` tokenises sentence by sentence into one vector). What
//! it stores must be exactly what the analysis-based path gives, which
//! `trace` uses for the article it traces: the same index terms, in the same
//! order with the same repeats, and the same band keys.

use std::path::Path;
use std::sync::Arc;

use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};
use unspun_article::Article;
use unspun_engine::Engine;
use unspun_store::EmbeddedStore;

fn read(dir: &Path, format: Format) -> Vec<Article> {
    assert!(
        dir.exists(),
        "{} missing: tests need ../shared/data",
        dir.display()
    );
    let mut out = Vec::new();
    let opts = ReadOptions {
        format,
        latin1_fallback: true,
        ..ReadOptions::default()
    };
    read_paths(&[dir.to_path_buf()], &opts, &mut |ev| {
        if let ReadEvent::Article { article, .. } = ev {
            out.push(article);
        }
    });
    out
}

#[test]
fn prepare_gives_the_terms_and_bands_of_the_analysis() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The seeds (headings, captions, quotations) and real news: BBC
    // business and politics, hard-wrapped Reuters-21578 wire copy.
    let mut articles = read(&root.join("examples/seeds"), Format::Text);
    let bbc = root.join("../shared/data/bbc-news-2225/bbc");
    articles.extend(read(&bbc.join("business"), Format::Text));
    articles.extend(read(&bbc.join("politics"), Format::Text));
    let reuters = root.join("../shared/data/reuters21578/reut2-000.sgm");
    articles.extend(read(&reuters, Format::ReutersSgml));
    assert!(
        articles.len() > 500,
        "only {} articles read",
        articles.len()
    );

    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));
    for article in articles {
        let analyzed = engine.analyze(article.clone());
        let tokens: Vec<_> = analyzed.all_tokens().cloned().collect();
        let prepared = engine.prepare(article.clone());
        assert_eq!(prepared.article, article);
        assert_eq!(
            prepared.index_terms,
            unspun_fingerprint::index_terms(&tokens),
            "index terms of {}",
            article.id
        );
        assert_eq!(
            prepared.band_keys,
            engine.band_keys(&analyzed),
            "band keys of {}",
            article.id
        );
    }
}
