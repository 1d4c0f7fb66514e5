//! Ingest fingerprints an article without building its alignment analysis
//! (`Engine::prepare` tokenises sentence by sentence into one vector). What
//! it stores must be exactly what the analysis-based path gives, which
//! `trace` uses for the article it traces: the same index terms, in the same
//! order with the same repeats, and the same band keys.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{bbc, read};
use unspun_article::read::Format;
use unspun_engine::Engine;
use unspun_store::EmbeddedStore;

#[test]
fn prepare_gives_the_terms_and_bands_of_the_analysis() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The seeds (headings, captions, quotations) and real news: BBC
    // business and politics, hard-wrapped Reuters-21578 wire copy.
    let mut articles = read(&root.join("examples/seeds"), Format::Text);
    articles.extend(bbc("business"));
    articles.extend(bbc("politics"));
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
