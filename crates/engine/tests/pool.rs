//! Retrieval from a pool gathered outside the index (what the Spark job
//! does) finds the same candidates as retrieval from the store, on real
//! BBC stories under the same frozen statistics.

mod common;
use common::bbc;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use unspun_engine::pool::PoolEntry;
use unspun_engine::{Engine, Statistics};
use unspun_store::{EmbeddedStore, OnConflict, Store};

#[test]
fn pool_retrieval_equals_index_retrieval() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
    let engine = Engine::new(store.clone());
    let corpus = bbc("business");
    assert!(corpus.len() > 400);
    engine.ingest_batch(corpus, OnConflict::Reject).unwrap();
    let stats = store.frozen_stats().unwrap();

    // Every stored article, analysed once: its key, terms and bands.
    struct Doc {
        key: unspun_store::ArticleKey,
        analyzed: unspun_align::AnalyzedArticle,
        terms: HashMap<String, u32>,
        length: u32,
        bands: HashSet<u64>,
    }
    let keys = store.keys().unwrap();
    let docs: Vec<Doc> = store
        .get_many(&keys)
        .unwrap()
        .into_iter()
        .map(|s| {
            let analyzed = engine.analyze(s.article);
            let (counts, length) = engine.index_term_counts(&analyzed);
            let bands = engine.band_keys(&analyzed).into_iter().collect();
            Doc {
                key: s.key,
                analyzed,
                terms: counts.into_iter().collect(),
                length,
                bands,
            }
        })
        .collect();

    let mut same = 0;
    let mut differ = Vec::new();
    for d in &docs {
        let by_index = engine
            .retrieve(&d.analyzed, Some(d.key), Statistics::Frozen(&stats))
            .unwrap();
        let counts: Vec<(String, u32)> = {
            let mut c: Vec<_> = d.terms.iter().map(|(t, n)| (t.clone(), *n)).collect();
            c.sort();
            c
        };
        let by_weight = engine
            .weighted_terms(counts, Some(d.key), Statistics::Frozen(&stats))
            .unwrap();
        let pool: Vec<PoolEntry> = docs
            .iter()
            .map(|o| PoolEntry {
                key: o.key,
                length: o.length,
                date: o.analyzed.article.date,
                source: o.analyzed.article.source.clone(),
                tf: by_weight
                    .iter()
                    .filter_map(|(t, _)| o.terms.get(t).map(|n| (t.clone(), *n)))
                    .collect(),
                bands: d.bands.intersection(&o.bands).count() as u32,
            })
            .collect();
        let by_pool = engine.retrieve_in_pool(&by_weight, &pool, Some(d.key), &stats);
        let set = |c: Vec<unspun_store::ArticleKey>| c.into_iter().collect::<BTreeSet<_>>();
        if set(by_index.candidates()) == set(by_pool.candidates()) {
            same += 1;
        } else {
            differ.push(d.analyzed.article.id.to_string());
        }
        assert_eq!(by_index.query, by_pool.query, "{}", d.analyzed.article.id);
        assert_eq!(by_index.residual_query, by_pool.residual_query);
    }
    // Scores are summed in another order than tantivy's, so a swap at the
    // edge of a list is possible in principle; on these 510 stories there
    // is none.
    assert!(
        differ.is_empty(),
        "{same} same, {} differ: {differ:?}",
        differ.len()
    );
}
