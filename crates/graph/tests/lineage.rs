//! The graph against a generated corpus with known lineage (real BBC and
//! Reuters text; copies, edits, reorderings, blends of two sources,
//! rule-based paraphrases, and chains three generations deep), and the
//! incremental update against a full rebuild.

use std::sync::Arc;

use unspun_article::Article;
use unspun_corpus::{CorpusSpec, KindMix};
use unspun_engine::Engine;
use unspun_graph::eval::{score, TruthRecord};
use unspun_graph::{DerivationGraph, GraphState};
use unspun_store::{EmbeddedStore, OnConflict};

/// Articles in the generated corpus, and how many arrive after the first
/// build in the incremental check.
const SIZE: usize = 2000;
const LATE: usize = 1000;

fn corpus() -> (Vec<Article>, Vec<TruthRecord>) {
    let base = unspun_corpus::load_base(
        Some(&unspun_corpus::default_bbc_dir()),
        Some(&unspun_corpus::default_reuters_dir()),
    )
    .expect("the BBC and Reuters data under ../shared/data");
    let spec = CorpusSpec {
        size: SIZE,
        seed: 20261122,
        derived_share: 0.4,
        mix: KindMix {
            copy: 0.12,
            light_edit: 0.15,
            reorder: 0.10,
            blend: 0.15,
            paraphrase: 0.18,
            chain: 0.30,
        },
        ..CorpusSpec::default()
    };
    let corpus = unspun_corpus::generate(&spec, &base).expect("generation");
    let truth = corpus
        .truth
        .iter()
        .map(|t| serde_json::from_value(serde_json::to_value(t).unwrap()).unwrap())
        .collect();
    (corpus.articles, truth)
}

fn ingest(engine: &Engine, articles: &[Article]) {
    for chunk in articles.chunks(500) {
        engine
            .ingest_batch(chunk.to_vec(), OnConflict::Reject)
            .expect("ingest");
    }
}

/// Shares of identical answers between two graphs: edges as
/// `(derived, source, relation)` (Jaccard), and each article's original.
#[derive(Debug)]
#[allow(dead_code)]
struct Agreement {
    edges: f64,
    originals: f64,
    edges_only_in_update: usize,
    edges_only_in_rebuild: usize,
}

fn agreement(a: &DerivationGraph, b: &DerivationGraph) -> Agreement {
    use std::collections::BTreeSet;
    let set = |g: &DerivationGraph| -> BTreeSet<(String, String, &'static str)> {
        g.edges
            .iter()
            .map(|e| {
                (
                    e.derived.to_string(),
                    e.source.to_string(),
                    e.relation.as_str(),
                )
            })
            .collect()
    };
    let (x, y) = (set(a), set(b));
    let both = x.intersection(&y).count();
    let (oa, ob) = (a.originals(), b.originals());
    let same = oa.iter().filter(|(k, v)| ob.get(*k) == Some(*v)).count();
    Agreement {
        edges: both as f64 / x.union(&y).count().max(1) as f64,
        originals: same as f64 / oa.len().max(1) as f64,
        edges_only_in_update: x.len() - both,
        edges_only_in_rebuild: y.len() - both,
    }
}

fn jsonl(g: &DerivationGraph) -> String {
    let mut out = Vec::new();
    g.write_jsonl(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn lineage_is_recovered_and_incremental_update_is_close_to_rebuild() {
    let (articles, truth) = corpus();
    assert_eq!(articles.len(), SIZE);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));

    // Build once on the first part, then add the rest and update.
    let (early, late) = articles.split_at(SIZE - LATE);
    ingest(&engine, early);
    let mut incremental = GraphState::new();
    let first = incremental.update(&engine, &|_, _| {}).unwrap();
    assert_eq!(first.new_or_changed, SIZE - LATE);
    ingest(&engine, late);
    let second = incremental.update(&engine, &|_, _| {}).unwrap();
    assert_eq!(second.new_or_changed, LATE);
    assert!(second.neighbours_retraced < SIZE - LATE);
    let updated = incremental.graph(&engine).unwrap();

    let mut full = GraphState::new();
    full.update(&engine, &|_, _| {}).unwrap();
    let rebuilt = full.graph(&engine).unwrap();

    // The update against the rebuild. Not yet identical (measured 0.968 of
    // edges, 0.985 of originals): each trace's candidates are a BM25 top-k
    // cut that depends on the whole corpus, so a pair seen from one side
    // when the corpus was half its size can drop out of both lists later
    // (docs/GRAPH.md). Held to a floor until discovery depends on the
    // pair alone.
    if std::env::var_os("UNSPUN_DEBUG_LINEAGE").is_some() {
        let key = |e: &unspun_graph::Edge| {
            (
                e.derived.to_string(),
                e.source.to_string(),
                e.relation.as_str(),
            )
        };
        let a: std::collections::BTreeMap<_, _> =
            updated.edges.iter().map(|e| (key(e), e)).collect();
        let b: std::collections::BTreeMap<_, _> =
            rebuilt.edges.iter().map(|e| (key(e), e)).collect();
        let late_ids: std::collections::BTreeSet<String> =
            late.iter().map(|a| a.id.to_string()).collect();
        for (k, e) in &a {
            if !b.contains_key(k) {
                println!(
                    "ONLY-UPDATE {k:?} late {}/{} cov {:.2}",
                    late_ids.contains(&k.0),
                    late_ids.contains(&k.1),
                    e.coverage
                );
            }
        }
        for (k, e) in &b {
            if !a.contains_key(k) {
                println!(
                    "ONLY-REBUILD {k:?} late {}/{} cov {:.2}",
                    late_ids.contains(&k.0),
                    late_ids.contains(&k.1),
                    e.coverage
                );
            }
        }
    }
    let agreement = agreement(&updated, &rebuilt);
    println!("incremental vs rebuild: {agreement:?}");
    assert!(agreement.edges >= 0.95, "{agreement:?}");
    assert!(agreement.originals >= 0.98, "{agreement:?}");

    // Lineage quality on the full graph.
    let s = score(&rebuilt, &truth);
    println!("{s}");
    println!("false edges: {:?}", s.false_edges);
    println!("missed edges: {:?}", s.missed_edges);
    if std::env::var_os("UNSPUN_DEBUG_LINEAGE").is_some() {
        for (d, _) in s.false_edges.iter().take(6) {
            let t = truth.iter().find(|t| &t.id == d);
            println!(
                "== {d} truth {:?}",
                t.map(|t| (&t.parents, &t.original, t.generation))
            );
            for e in rebuilt.edges.iter().filter(|e| &e.derived == d) {
                println!(
                    "  -> {} {:?} cov {:.2} primary {} certain {} notes {:?} evid {:?}",
                    e.source,
                    e.relation,
                    e.coverage,
                    e.primary,
                    e.direction_certain,
                    e.notes,
                    e.direction_evidence
                );
            }
            for v in full.book().iter().flatten().filter(|v| &v.traced == d) {
                println!(
                    "  view {} -> {} {:?} other_orig {} cov {:.2}/{:.2} groups {}",
                    v.traced,
                    v.other,
                    v.relation,
                    v.other_is_original,
                    v.traced_coverage,
                    v.other_coverage,
                    v.groups.len()
                );
            }
        }
    }
    // The goal, 0.95 for each (measured 2026-11-22: 0.963, 0.984,
    // 0.964, 1.000; the corpus and the graph are deterministic).
    assert!(s.edge_precision.value() >= 0.95, "{s}");
    assert!(s.edge_recall.value() >= 0.95, "{s}");
    assert!(s.original_accuracy.value() >= 0.95, "{s}");
    assert!(s.parent_accuracy.value() >= 0.95, "{s}");
    assert!(s.parent_accuracy.of >= 50, "enough chain articles: {s}");

    // Saved and loaded, the state gives the same graph.
    let path = dir.path().join("graph").join("state.json");
    incremental.save(&path).unwrap();
    let mut loaded = GraphState::load(&path).unwrap();
    assert_eq!(
        jsonl(&loaded.graph(&engine).unwrap()),
        jsonl(&incremental.graph(&engine).unwrap())
    );
}
