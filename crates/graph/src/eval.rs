//! Scoring a graph against a corpus with known lineage (the `truth.jsonl`
//! written by `unspun-corpus`).
//!
//! - **Edge precision**: of the graph's edges that touch a generated
//!   derived article, the share that are true `derived → parent` edges.
//!   Edges between two real articles are left out: the real corpora have
//!   duplicates of their own that no truth file lists. For the same reason
//!   an edge `X → R` to a real article `R` that itself shares text with one
//!   of `X`'s true parents or originals (an edge between them in the graph)
//!   is counted apart, as `real_overlap`, and left out of precision.
//! - **Edge recall**: of the true `derived → parent` edges, the share found
//!   with the right direction.
//! - **Original accuracy**: derived articles whose originals are exactly
//!   the true ones. An article's originals are the first real articles
//!   reached from each of its parents by following main parents up
//!   through generated articles. The walk stops at the first real
//!   article because the truth knows nothing above it: when the graph says
//!   that real article itself derives from another real one (Reuters-21578
//!   repeats stories under new ids, and earnings tables share their form),
//!   no truth file can say whether that is right. Those claims are counted
//!   apart, as `real_with_parent`.
//! - **Parent accuracy**: second- and third-generation articles whose main
//!   parent is their real parent, not the original or a sibling.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use unspun_article::ArticleId;

use crate::DerivationGraph;

/// One line of a truth file: a generated derived article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TruthRecord {
    /// The derived article.
    pub id: ArticleId,
    /// How it was made (`copy`, `light_edit`, `paraphrase`, `blend`, `chain`, ...).
    pub kind: String,
    /// Its immediate sources.
    pub parents: Vec<ArticleId>,
    /// The real articles at the root of its lineage.
    pub original: Vec<ArticleId>,
    /// 1 for a direct derivation of an original, 2 or 3 down a chain.
    pub generation: u8,
}

/// Reads a truth file (JSON Lines).
pub fn read_truth(path: &Path) -> std::io::Result<Vec<TruthRecord>> {
    let text = std::fs::read_to_string(path)?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}:{}: {e}", path.display(), i + 1),
                )
            })
        })
        .collect()
}

/// Counts behind one ratio.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Ratio {
    /// Hits.
    pub hit: usize,
    /// Out of.
    pub of: usize,
}

impl Ratio {
    /// `hit / of`, or 1 when there is nothing to count.
    pub fn value(self) -> f64 {
        if self.of == 0 {
            1.0
        } else {
            self.hit as f64 / self.of as f64
        }
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} ({}/{})", self.value(), self.hit, self.of)
    }
}

/// The scores of a graph against the truth.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LineageScores {
    /// Edge precision.
    pub edge_precision: Ratio,
    /// Edge recall.
    pub edge_recall: Ratio,
    /// Edge recall per derivation kind.
    pub recall_by_kind: BTreeMap<String, Ratio>,
    /// Original accuracy.
    pub original_accuracy: Ratio,
    /// Parent accuracy for generations 2 and 3.
    pub parent_accuracy: Ratio,
    /// Edges to real articles that share text with a true parent (see the
    /// module docs), left out of precision.
    pub real_overlap: usize,
    /// Real (not generated) articles the graph gives a parent, itself
    /// real: outside what the truth can judge (see the module docs).
    pub real_with_parent: usize,
    /// Some wrong edges, for reading.
    pub false_edges: Vec<(ArticleId, ArticleId)>,
    /// Some missed edges.
    pub missed_edges: Vec<(ArticleId, ArticleId)>,
}

/// Scores `graph` against `truth`.
pub fn score(graph: &DerivationGraph, truth: &[TruthRecord]) -> LineageScores {
    let derived: BTreeSet<&ArticleId> = truth.iter().map(|t| &t.id).collect();
    let true_edges: BTreeSet<(&ArticleId, &ArticleId)> = truth
        .iter()
        .flat_map(|t| t.parents.iter().map(move |p| (&t.id, p)))
        .collect();
    let ours: BTreeSet<(&ArticleId, &ArticleId)> = graph
        .edges
        .iter()
        .filter(|e| derived.contains(&e.derived) || derived.contains(&e.source))
        .map(|e| (&e.derived, &e.source))
        .collect();
    let linked: BTreeSet<(&ArticleId, &ArticleId)> = graph
        .edges
        .iter()
        .flat_map(|e| [(&e.derived, &e.source), (&e.source, &e.derived)])
        .collect();
    let by_id: BTreeMap<&ArticleId, &TruthRecord> = truth.iter().map(|t| (&t.id, t)).collect();
    let real_overlap = |x: &ArticleId, r: &ArticleId| -> bool {
        !derived.contains(r)
            && by_id.get(x).is_some_and(|t| {
                t.parents
                    .iter()
                    .chain(&t.original)
                    .any(|p| linked.contains(&(r, p)))
            })
    };
    let mut s = LineageScores::default();
    for e in &ours {
        if true_edges.contains(e) {
            s.edge_precision.hit += 1;
            s.edge_precision.of += 1;
        } else if real_overlap(e.0, e.1) {
            s.real_overlap += 1;
        } else {
            s.edge_precision.of += 1;
            if s.false_edges.len() < 20 {
                s.false_edges.push((e.0.clone(), e.1.clone()));
            }
        }
    }
    for t in truth {
        let r = s.recall_by_kind.entry(t.kind.clone()).or_default();
        for p in &t.parents {
            r.of += 1;
            s.edge_recall.of += 1;
            if ours.contains(&(&t.id, p)) {
                r.hit += 1;
                s.edge_recall.hit += 1;
            } else if s.missed_edges.len() < 20 {
                s.missed_edges.push((t.id.clone(), p.clone()));
            }
        }
    }
    let mut parents_of: BTreeMap<&ArticleId, Vec<&ArticleId>> = BTreeMap::new();
    let mut primary_of: BTreeMap<&ArticleId, &ArticleId> = BTreeMap::new();
    for e in &graph.edges {
        parents_of.entry(&e.derived).or_default().push(&e.source);
        if e.primary {
            primary_of.insert(&e.derived, &e.source);
        }
    }
    s.real_with_parent = primary_of
        .iter()
        .filter(|(d, p)| !derived.contains(*d) && !derived.contains(*p))
        .count();
    // The first real article above `a`, following main parents.
    fn first_real<'g>(
        mut a: &'g ArticleId,
        derived: &BTreeSet<&ArticleId>,
        primary_of: &BTreeMap<&ArticleId, &'g ArticleId>,
    ) -> Option<&'g ArticleId> {
        for _ in 0..=derived.len() {
            if !derived.contains(a) {
                return Some(a);
            }
            a = primary_of.get(a)?;
        }
        None
    }
    for t in truth {
        let got: BTreeSet<&ArticleId> = parents_of
            .get(&t.id)
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| first_real(p, &derived, &primary_of))
                    .collect()
            })
            .unwrap_or_default();
        let want: BTreeSet<&ArticleId> = t.original.iter().collect();
        s.original_accuracy.of += 1;
        if got == want {
            s.original_accuracy.hit += 1;
        }
        if t.generation >= 2 {
            s.parent_accuracy.of += 1;
            if primary_of.get(&t.id).is_some_and(|p| t.parents.contains(p)) {
                s.parent_accuracy.hit += 1;
            }
        }
    }
    s
}

impl fmt::Display for LineageScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "edge precision    {} ({} edges to real articles overlapping a true source left out)",
            self.edge_precision, self.real_overlap
        )?;
        writeln!(f, "edge recall       {}", self.edge_recall)?;
        for (k, r) in &self.recall_by_kind {
            writeln!(f, "  recall {k:<12} {r}")?;
        }
        writeln!(
            f,
            "original accuracy {} ({} real articles given a real parent, not judged)",
            self.original_accuracy, self.real_with_parent
        )?;
        writeln!(
            f,
            "parent accuracy   {} (generations 2 and 3)",
            self.parent_accuracy
        )
    }
}
