//! Step 1: every reuse pair oriented into a candidate edge
//! `derived → source`, saying how certain the direction is.

use std::collections::{BTreeMap, BTreeSet};

use unspun_article::ArticleId;

use super::{Candidate, Edge, NodeInfo};
use crate::pairs::{EdgeRelation, PairBook, PairView, SentencePair};

/// Orients every reuse pair of the book into a candidate edge; also returns
/// the `related` pairs (unordered, with the better view's score).
pub(crate) fn orient(
    book: &PairBook,
    nodes: &BTreeMap<ArticleId, NodeInfo>,
) -> (Vec<Candidate>, Vec<(ArticleId, ArticleId, f32)>) {
    let mut candidates = Vec::new();
    let mut related = Vec::new();
    for views in book.iter() {
        // Views of articles no longer in the graph are ignored.
        if views
            .iter()
            .any(|v| !nodes.contains_key(&v.traced) || !nodes.contains_key(&v.other))
        {
            continue;
        }
        let best = *views
            .iter()
            .max_by(|a, b| {
                (a.relation != EdgeRelation::Related)
                    .cmp(&(b.relation != EdgeRelation::Related))
                    .then(a.score.total_cmp(&b.score))
                    .then(b.traced.cmp(&a.traced))
            })
            .expect("a pair has at least one view");
        if best.relation == EdgeRelation::Related {
            let (x, y) = crate::pairs::pair_key(&best.traced, &best.other);
            related.push((x, y, best.score));
            continue;
        }
        let (derived, source, certain, evidence) = orientation(&views, best);
        // The view traced from the derived side carries its changes.
        let from_derived = views
            .iter()
            .find(|v| v.traced == derived && v.relation != EdgeRelation::Related);
        let view = from_derived.copied().unwrap_or(best);
        let flipped = view.traced != derived;
        let (coverage, source_coverage) = if flipped {
            (view.other_coverage, view.traced_coverage)
        } else {
            (view.traced_coverage, view.other_coverage)
        };
        let evidence_groups: Vec<SentencePair> = view
            .groups
            .iter()
            .map(|g| {
                if flipped {
                    SentencePair {
                        derived: g.source.clone(),
                        source: g.derived.clone(),
                        kind: g.kind.clone(),
                        score: g.score,
                        info: g.info,
                    }
                } else {
                    g.clone()
                }
            })
            .collect();
        let (derived_matched, source_matched) = if flipped {
            (view.other_matched.clone(), view.traced_matched.clone())
        } else {
            (view.traced_matched.clone(), view.other_matched.clone())
        };
        let credited = if flipped {
            view.other_credits_traced
        } else {
            view.traced_credits_other
        };
        let changes = if flipped || !view.other_is_original {
            None
        } else {
            view.changes.clone()
        };
        candidates.push(Candidate {
            weight: view.weight(),
            derived_matched,
            source_matched,
            edge: Edge {
                derived,
                source,
                relation: view.relation,
                coverage,
                source_coverage,
                confidence: 0.0,
                direction_certain: certain,
                direction_evidence: evidence,
                parent_certain: true,
                primary: false,
                credited,
                changes,
                evidence: evidence_groups,
                attributed: Vec::new(),
                via: Vec::new(),
                notes: Vec::new(),
                beyond_common: None,
            },
        });
    }
    (candidates, related)
}

/// `(derived, source, certain, evidence)` of a pair.
fn orientation(views: &[&PairView], best: &PairView) -> (ArticleId, ArticleId, bool, Vec<String>) {
    let oriented = |v: &PairView| {
        if v.other_is_original {
            (v.traced.clone(), v.other.clone())
        } else {
            (v.other.clone(), v.traced.clone())
        }
    };
    let reuse: Vec<&&PairView> = views
        .iter()
        .filter(|v| v.relation != EdgeRelation::Related)
        .collect();
    if let Some(v) = reuse
        .iter()
        .filter(|v| v.direction_certain)
        .max_by(|a, b| a.score.total_cmp(&b.score).then(b.traced.cmp(&a.traced)))
    {
        let (d, s) = oriented(v);
        return (d, s, true, v.direction_evidence.clone());
    }
    let ways: BTreeSet<(ArticleId, ArticleId)> = reuse.iter().map(|v| oriented(v)).collect();
    let mut evidence = Vec::new();
    if ways.len() == 1 && reuse.len() == 2 {
        // Both sides agree on weaker evidence (wire agency, containment).
        let (d, s) = oriented(best);
        evidence.extend(best.direction_evidence.iter().cloned());
        return (d, s, false, evidence);
    }
    // The two traces disagree, or only one side saw the pair: containment,
    // else the order of the ids.
    let (a, b) = (&best.traced, &best.other);
    let (ca, cb) = (best.traced_coverage, best.other_coverage);
    if (ca - cb).abs() >= 0.2 {
        let (orig, der, share) = if ca > cb { (a, b, ca) } else { (b, a, cb) };
        evidence.push(format!(
            "{:.0}% of {orig} is contained in {der}, which adds material of its own",
            share * 100.0
        ));
        evidence.push("direction not certain: no dates or credits decide it".into());
        return (der.clone(), orig.clone(), false, evidence);
    }
    let (orig, der) = if natural_cmp(a.as_str(), b.as_str()).is_le() {
        (a, b)
    } else {
        (b, a)
    };
    evidence.push(format!(
        "no evidence of direction: {orig} is taken as the source by id order only"
    ));
    (der.clone(), orig.clone(), false, evidence)
}

/// Compares ids with runs of digits taken as numbers, so `reuters-9` comes
/// before `reuters-10` (wire ids are usually numbered in order of
/// publication).
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let nx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let ny = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, dy) = (&x[..nx], &y[..ny]);
                let strip = |d: &[u8]| -> usize { d.iter().take_while(|&&c| c == b'0').count() };
                let (tx, ty) = (&dx[strip(dx)..], &dy[strip(dy)..]);
                let o = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if o != Ordering::Equal {
                    return o;
                }
                x = &x[nx..];
                y = &y[ny..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_reads_numbers_as_numbers() {
        use std::cmp::Ordering::*;
        assert_eq!(natural_cmp("reuters-9", "reuters-10"), Less);
        assert_eq!(natural_cmp("reuters-10", "reuters-9"), Greater);
        assert_eq!(natural_cmp("a2b", "a10a"), Less);
        assert_eq!(natural_cmp("x", "x1"), Less);
        assert_eq!(natural_cmp("a", "b"), Less);
        assert_eq!(natural_cmp("a01", "a1"), Less, "ties broken by plain order");
    }
}
