//! The derivation graph: the type, [`derive`] (a pure function of a
//! [`PairBook`] and the article metadata), and the changes of edges that
//! no trace from the derived side computed.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use unspun_article::ArticleId;
use unspun_changes::{ChangeDetector, ChangeType};
use unspun_engine::Engine;
use unspun_store::{ArticleKey, FrozenStats};

use crate::cluster::{self, transitive_components, Cluster};
use crate::error::Result;
use crate::lineage::{self, Edge, NodeInfo};
use crate::pairs::{ChangeCounts, PairBook};

/// The derivation graph of a corpus.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DerivationGraph {
    /// Every article, by id.
    pub nodes: BTreeMap<ArticleId, NodeInfo>,
    /// `derived_from` edges, sorted by derived then source id.
    pub edges: Vec<Edge>,
    /// Independent coverage of the same story: unordered pairs with score.
    pub related: Vec<(ArticleId, ArticleId, f32)>,
    /// Story clusters of two or more articles, largest first.
    pub clusters: Vec<Cluster>,
}

impl DerivationGraph {
    /// The cluster containing `id`, if it is in one.
    pub fn cluster_of(&self, id: &ArticleId) -> Option<&Cluster> {
        self.clusters
            .iter()
            .find(|c| c.members.binary_search(id).is_ok())
    }

    /// The original each article leads to through its primary parents.
    pub fn originals(&self) -> BTreeMap<ArticleId, ArticleId> {
        cluster::roots(&self.nodes, &self.edges)
    }

    /// Sizes of the components transitive closure over every reuse and
    /// related pair would give, largest first (for comparison).
    pub fn closure_sizes(&self) -> Vec<usize> {
        transitive_components(
            &self.nodes,
            self.edges
                .iter()
                .map(|e| (e.derived.clone(), e.source.clone()))
                .chain(self.related.iter().map(|r| (r.0.clone(), r.1.clone()))),
        )
    }
}

/// The derivation graph of a pair book and the article metadata: a pure
/// function of the two ([`GraphState::graph`] over a state's book, the
/// Spark job over one connected component's views). Edges whose changes
/// no trace from the derived side computed take those the book remembers;
/// `fill` is given the edges still without, to compute them.
///
/// [`GraphState::graph`]: crate::GraphState::graph
pub fn derive(
    book: &PairBook,
    nodes: &BTreeMap<ArticleId, NodeInfo>,
    fill: &mut dyn FnMut(&mut [Edge]) -> Result<()>,
) -> Result<DerivationGraph> {
    let (candidates, mut related) = lineage::orient(book, nodes);
    let mut edges = lineage::choose_parents(candidates);
    for e in edges.iter_mut().filter(|e| e.changes.is_none()) {
        e.changes = book.computed_changes(&e.derived, &e.source).cloned();
    }
    fill(&mut edges)?;
    for e in &mut edges {
        // A mention of the source's outlet is not always a credit for
        // the story ("texts reviewed by Reuters"): where the trace's
        // attribution check found the credit missing, so does the edge,
        // so that the graph and `trace` say the same.
        let missing = e
            .changes
            .as_ref()
            .and_then(|c| c.by_type.get(ChangeType::AttributionMissing.as_str()))
            .is_some_and(|n| *n > 0);
        if missing {
            e.credited = false;
        }
    }
    related.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let clusters = cluster::clusters(nodes, &edges, &related);
    Ok(DerivationGraph {
        nodes: nodes.clone(),
        edges,
        related,
        clusters,
    })
}

/// The changes of `derived` relative to `source` for an edge whose
/// changes no trace from the derived side computed: the pair judged from
/// the derived side (lexically, with the pair's rarity under `stats` when
/// frozen; each article with its key) and its changes counted.
pub fn edge_changes(
    engine: &Engine,
    (derived, derived_key): (&unspun_align::AnalyzedArticle, ArticleKey),
    (source, source_key): (unspun_align::AnalyzedArticle, ArticleKey),
    stats: Option<&FrozenStats>,
) -> Result<Option<ChangeCounts>> {
    let rarity = match stats {
        Some(f) => engine.frozen_rarity(
            &[(derived, Some(derived_key)), (&source, Some(source_key))],
            f,
        ),
        None => engine.rarity([derived, &source].into_iter())?,
    };
    let detector = ChangeDetector::new();
    Ok(engine
        .judge(derived, source, Some(&rarity))
        .map(|m| ChangeCounts::of(&detector.detect(derived, &m.source, &m.alignment))))
}

/// Computes the changes of edges that lack them, from the derived side;
/// returns what it computed.
pub(crate) fn fill_changes(
    engine: &Engine,
    stats: Option<&FrozenStats>,
    edges: &mut [Edge],
) -> Result<Vec<(ArticleId, ArticleId, ChangeCounts)>> {
    let missing: Vec<usize> = (0..edges.len())
        .filter(|&i| edges[i].changes.is_none())
        .collect();
    let mut out = Vec::new();
    if missing.is_empty() {
        return Ok(out);
    }
    let store = engine.store();
    let computed: Vec<Result<(usize, Option<ChangeCounts>)>> = missing
        .par_iter()
        .map(|&i| {
            let e = &edges[i];
            let (Some(dk), Some(sk)) = (store.key_of(&e.derived)?, store.key_of(&e.source)?) else {
                return Ok((i, None));
            };
            let mut got = store.get_many(&[dk, sk])?;
            if got.len() != 2 {
                return Ok((i, None));
            }
            let s = got.pop().expect("two");
            let d = got.pop().expect("two");
            let derived = engine.analyze(d.article);
            let source = engine.analyze(s.article);
            Ok((
                i,
                edge_changes(engine, (&derived, dk), (source, sk), stats)?,
            ))
        })
        .collect();
    for c in computed {
        let (i, counts) = c?;
        if let Some(c) = &counts {
            out.push((edges[i].derived.clone(), edges[i].source.clone(), c.clone()));
        }
        edges[i].changes = counts;
    }
    Ok(out)
}
