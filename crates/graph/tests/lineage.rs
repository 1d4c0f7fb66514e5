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

/// Articles in the generated corpus; of them, how many arrive after the
/// first build in the incremental check, and how many after that.
const SIZE: usize = 2100;
const LATE: usize = 1000;
const TAIL: usize = 50;

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

/// Prints the edges only one of two graphs has (`UNSPUN_DEBUG_LINEAGE`).
fn print_differences(a: &DerivationGraph, b: &DerivationGraph, late: &[Article]) {
    let key = |e: &unspun_graph::Edge| {
        (
            e.derived.to_string(),
            e.source.to_string(),
            e.relation.as_str(),
        )
    };
    let xa: std::collections::BTreeMap<_, _> = a.edges.iter().map(|e| (key(e), e)).collect();
    let xb: std::collections::BTreeMap<_, _> = b.edges.iter().map(|e| (key(e), e)).collect();
    let late_ids: std::collections::BTreeSet<String> =
        late.iter().map(|a| a.id.to_string()).collect();
    for (label, x, y) in [("ONLY-UPDATE", &xa, &xb), ("ONLY-REBUILD", &xb, &xa)] {
        for (k, e) in x {
            if !y.contains_key(k) {
                println!(
                    "{label} {k:?} late {}/{} cov {:.2}",
                    late_ids.contains(&k.0),
                    late_ids.contains(&k.1),
                    e.coverage
                );
            }
        }
    }
}

fn jsonl(g: &DerivationGraph) -> String {
    let mut out = Vec::new();
    g.write_jsonl(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn lineage_is_recovered_and_incremental_update_equals_rebuild() {
    let (articles, truth) = corpus();
    assert_eq!(articles.len(), SIZE);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));

    // Build once on the first part, add 1,000 articles and update, then
    // add a few more and update again.
    let early = &articles[..SIZE - LATE - TAIL];
    let late = &articles[SIZE - LATE - TAIL..SIZE - TAIL];
    let tail = &articles[SIZE - TAIL..];
    ingest(&engine, early);
    let mut incremental = GraphState::new();
    let first = incremental.update(&engine, &|_, _| {}).unwrap();
    assert_eq!(first.new_or_changed, early.len());
    assert!(first.statistics_refreshed);
    let check = |incremental: &mut GraphState, added: &[Article]| -> DerivationGraph {
        let updated = incremental.graph(&engine).unwrap();
        // A full rebuild: every article traced again, same statistics.
        let mut full = incremental.rebuild();
        let stats = full.update(&engine, &|_, _| {}).unwrap();
        assert_eq!(stats.new_or_changed, incremental.articles());
        assert!(!stats.statistics_refreshed);
        let rebuilt = full.graph(&engine).unwrap();
        if std::env::var_os("UNSPUN_DEBUG_LINEAGE").is_some() {
            print_differences(&updated, &rebuilt, added);
        }
        assert_eq!(
            jsonl(&updated),
            jsonl(&rebuilt),
            "the incremental update equals the rebuild"
        );
        assert_eq!(updated, rebuilt);
        assert_eq!(incremental.book(), full.book());
        rebuilt
    };

    // 1,000 articles on a corpus of 1,050: nearly every older article's
    // candidate list takes newcomers (the corpus doubles), so most are
    // traced again; what matters here is that the result is the rebuild.
    ingest(&engine, late);
    let second = incremental.update(&engine, &|_, _| {}).unwrap();
    println!("update with {} articles: {second:?}", late.len());
    assert_eq!(second.new_or_changed, LATE);
    assert!(!second.statistics_refreshed);
    check(&mut incremental, late);

    // 50 more on 2,050: only the older articles whose candidates the
    // newcomers enter are traced again. On a corpus this small that is
    // still many: the 16th BM25 hit scores low, and the corpus is shuffled,
    // so newcomers are often earlier than what they join (what the
    // residual query's cut prefers). Measured 2026-11-23: 834 retraced
    // (722 without the residual query; the base then lost its
    // near-duplicates, which changed the corpus).
    ingest(&engine, tail);
    let third = incremental.update(&engine, &|_, _| {}).unwrap();
    println!("update with {} articles: {third:?}", tail.len());
    assert_eq!(third.new_or_changed, TAIL);
    assert!(!third.statistics_refreshed);
    assert!(third.retraced < (SIZE - TAIL) / 2, "{third:?}");
    let updated = check(&mut incremental, tail);

    // Lineage quality is judged on the graph `unspun graph` builds on the
    // whole corpus: statistics taken from all of it.
    let mut whole = GraphState::new();
    whole.update(&engine, &|_, _| {}).unwrap();
    let built = whole.graph(&engine).unwrap();
    // The incremental graph above used statistics taken at half the corpus
    // (the most the refresh rule allows): weaker down-weighting of
    // template terms lets a few more weak `partial` links through. Printed
    // for the record (measured 2026-11-23, with the residual query:
    // agreement 0.906 of edges, 0.964 of originals; precision 0.951,
    // recall 0.982, originals 0.963).
    println!(
        "incremental (statistics of half the corpus) vs whole-corpus build: {:?}\n{}",
        agreement(&updated, &built),
        score(&updated, &truth)
    );
    let s = score(&built, &truth);
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
            for e in built.edges.iter().filter(|e| &e.derived == d) {
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
            for v in whole.book().iter().flatten().filter(|v| &v.traced == d) {
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
    // The goal, 0.95 for each (measured 2026-11-23 on 2,100
    // articles with 16 BM25 candidates per trace: 0.956, 0.986, 0.958,
    // 1.000; the corpus and the graph are deterministic).

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
