//! Step 2: each article's parents chosen among its candidate edges, two
//! candidates at a time (see `choice.rs`), then the primary parent,
//! sentence attribution and confidence.

use std::collections::{BTreeMap, BTreeSet};

use unspun_article::ArticleId;

use super::choice::{carried_beyond, choose, sentence_scores, Choice};
use super::{BeyondCommon, Candidate, Edge};

/// Orders candidate sources of one article: more coverage, then more
/// evidence weight, then the smaller id.
fn stronger(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    a.edge
        .coverage
        .total_cmp(&b.edge.coverage)
        .then(a.weight.total_cmp(&b.weight))
        .then(b.edge.source.cmp(&a.edge.source))
}

/// Chooses each article's parents among its candidate edges, sets
/// `primary`, `via`, `notes`, `attributed` and `confidence`.
pub(crate) fn choose_parents(candidates: Vec<Candidate>) -> Vec<Edge> {
    // Candidate edges by derived article, and an index of the pairs.
    let mut by_derived: BTreeMap<ArticleId, Vec<Candidate>> = BTreeMap::new();
    let mut index: BTreeMap<(ArticleId, ArticleId), Candidate> = BTreeMap::new();
    for c in candidates {
        index.insert((c.edge.derived.clone(), c.edge.source.clone()), c.clone());
        by_derived
            .entry(c.edge.derived.clone())
            .or_default()
            .push(c);
    }
    // Each article's own candidate sources.
    let mut sources_of: BTreeMap<&ArticleId, Vec<&ArticleId>> = BTreeMap::new();
    for (d, src) in index.keys() {
        sources_of.entry(d).or_default().push(src);
    }
    let mut out = Vec::new();
    for (x, mut cands) in by_derived.iter().map(|(x, c)| (x, c.clone())) {
        cands.sort_by(|a, b| a.edge.source.cmp(&b.edge.source));
        let n = cands.len();
        let mut dropped: Vec<Option<String>> = vec![None; n];
        let mut via: Vec<Vec<ArticleId>> = vec![Vec::new(); n];
        let mut notes: Vec<Vec<String>> = vec![Vec::new(); n];
        let mut uncertain = vec![false; n];
        let mut beyond: Vec<Option<BeyondCommon>> = vec![None; n];
        for zi in 0..n {
            for yi in 0..n {
                if zi == yi {
                    continue;
                }
                let (z, y) = (&cands[zi].edge.source, &cands[yi].edge.source);
                let Some(zy) = index.get(&(z.clone(), y.clone())) else {
                    continue;
                };
                // X's sentences aligned to a candidate W other than Z, Y
                // and Z's descendants.
                let mut elsewhere = vec![false; cands[zi].derived_matched.len()];
                for (wi, w) in cands.iter().enumerate() {
                    if wi == zi
                        || wi == yi
                        || index.contains_key(&(w.edge.source.clone(), z.clone()))
                    {
                        continue;
                    }
                    for (i, m) in w.derived_matched.iter().enumerate() {
                        if *m && i < elsewhere.len() {
                            elsewhere[i] = true;
                        }
                    }
                }
                let (choice, why, carried) = choose(&cands[zi], &cands[yi], zy, &elsewhere);
                if !carried.is_empty() && beyond[zi].is_none() {
                    beyond[zi] = Some(BeyondCommon {
                        common: y.clone(),
                        carried,
                    });
                }
                match choice {
                    Choice::Intermediate => {
                        dropped[yi].get_or_insert(format!("via {z}: {why}"));
                        via[zi].push(y.clone());
                        notes[zi].push(format!("second-hand reuse of {y}: {why}"));
                    }
                    Choice::Upstream => {
                        dropped[zi].get_or_insert(format!("sibling: {why}"));
                        notes[yi].push(format!("not through {z}: {why}"));
                    }
                    Choice::Both => {}
                    Choice::Tie => {
                        dropped[zi].get_or_insert(format!("tie: {why}"));
                        uncertain[yi] = true;
                        notes[yi].push(format!("could also be through {z}: {why}"));
                    }
                }
            }
        }
        // A candidate Z whose own source Y is not a candidate of X: X and
        // Z may both be rewrites of Y that X's alignment to Y missed (heavy
        // paraphrase). X keeps Z only if it carries material of Z that Y
        // lacks; otherwise it has nothing it could only have from Z.
        let mine: BTreeSet<&ArticleId> = cands.iter().map(|c| &c.edge.source).collect();
        let mut sibling_only = vec![false; n];
        for zi in 0..n {
            if dropped[zi].is_some() {
                continue;
            }
            let z = &cands[zi].edge.source;
            for &y in sources_of.get(z).into_iter().flatten() {
                if y == x || mine.contains(y) {
                    continue;
                }
                let zy = &index[&(z.clone(), y.clone())];
                let mut elsewhere = vec![false; cands[zi].derived_matched.len()];
                for (wi, w) in cands.iter().enumerate() {
                    if wi == zi || index.contains_key(&(w.edge.source.clone(), z.clone())) {
                        continue;
                    }
                    for (i, m) in w.derived_matched.iter().enumerate() {
                        if *m && i < elsewhere.len() {
                            elsewhere[i] = true;
                        }
                    }
                }
                let carried = carried_beyond(&cands[zi], None, zy, &elsewhere);
                if carried.is_empty() {
                    dropped[zi] = Some(format!(
                        "sibling: shares with {z} only material {z} took from {y}"
                    ));
                    sibling_only[zi] = true;
                    break;
                }
                beyond[zi].get_or_insert(BeyondCommon {
                    common: y.clone(),
                    carried,
                });
            }
        }
        // Never drop every candidate: a cycle of decisions keeps the best.
        // A sibling is not kept that way: an article whose only candidates
        // are fellow rewrites of a source it was not aligned to has no
        // parent (a missed edge, not a false one).
        if dropped.iter().all(Option::is_some) {
            if let Some(keep) = (0..n)
                .filter(|&i| !sibling_only[i])
                .max_by(|&a, &b| stronger(&cands[a], &cands[b]))
            {
                dropped[keep] = None;
                uncertain[keep] = true;
            }
        }
        let kept: Vec<usize> = (0..n).filter(|&i| dropped[i].is_none()).collect();
        if kept.is_empty() {
            continue;
        }
        let primary = *kept
            .iter()
            .max_by(|&&a, &&b| stronger(&cands[a], &cands[b]))
            .expect("one kept");
        // Attribution: each derived sentence to the kept source whose group
        // explains it best.
        let scores: Vec<Vec<f32>> = kept.iter().map(|&i| sentence_scores(&cands[i])).collect();
        let len = scores.iter().map(Vec::len).max().unwrap_or(0);
        let mut attributed: Vec<Vec<usize>> = vec![Vec::new(); kept.len()];
        for s in 0..len {
            let best = (0..kept.len())
                .filter(|&k| scores[k].get(s).is_some_and(|&v| v > 0.0))
                .max_by(|&a, &b| scores[a][s].total_cmp(&scores[b][s]).then(b.cmp(&a)));
            if let Some(k) = best {
                attributed[k].push(s);
            }
        }
        for (k, &i) in kept.iter().enumerate() {
            let c = &cands[i];
            let mut e = c.edge.clone();
            e.primary = i == primary;
            e.parent_certain = !uncertain[i];
            let mut v = std::mem::take(&mut via[i]);
            v.sort();
            v.dedup();
            e.via = v;
            let mut nt = std::mem::take(&mut notes[i]);
            nt.sort();
            nt.dedup();
            e.notes = nt;
            e.attributed = std::mem::take(&mut attributed[k]);
            e.beyond_common = beyond[i].take();
            let strength = 1.0 - (-c.weight / 2.0).exp();
            let direction = if e.direction_certain { 1.0 } else { 0.6 };
            let parent = if e.parent_certain { 1.0 } else { 0.7 };
            e.confidence = ((strength * direction * parent) * 1000.0).round() / 1000.0;
            out.push(e);
        }
    }
    out.sort_by(|a, b| a.derived.cmp(&b.derived).then(a.source.cmp(&b.source)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pairs::{EdgeRelation, SentencePair};

    fn id(s: &str) -> ArticleId {
        ArticleId::new(s).unwrap()
    }

    /// A candidate edge `d → s` whose groups align derived sentence `i` to
    /// source sentence `j` for each `(i, j, score)`.
    fn cand(d: &str, s: &str, nd: usize, ns: usize, groups: &[(usize, usize, f32)]) -> Candidate {
        let mut dm = vec![false; nd];
        let mut sm = vec![false; ns];
        for &(i, j, _) in groups {
            dm[i] = true;
            sm[j] = true;
        }
        Candidate {
            weight: groups.iter().map(|g| g.2).sum(),
            derived_matched: dm.clone(),
            source_matched: sm.clone(),
            edge: Edge {
                derived: id(d),
                source: id(s),
                relation: EdgeRelation::Copy,
                coverage: dm.iter().filter(|&&m| m).count() as f32 / nd as f32,
                source_coverage: sm.iter().filter(|&&m| m).count() as f32 / ns as f32,
                confidence: 0.0,
                direction_certain: true,
                direction_evidence: vec![],
                parent_certain: true,
                primary: false,
                credited: false,
                changes: None,
                evidence: groups
                    .iter()
                    .map(|&(i, j, sc)| SentencePair {
                        derived: vec![i],
                        source: vec![j],
                        kind: "edited".into(),
                        score: sc,
                        info: 30.0,
                    })
                    .collect(),
                attributed: vec![],
                via: vec![],
                notes: vec![],
                beyond_common: None,
            },
        }
    }
    #[test]
    fn second_hand_copy_goes_to_its_real_parent() {
        // A has 4 sentences. B copies A's 0..3 with edits and adds sentence 3
        // of its own. C copies B, new sentence included.
        let ba = cand("b", "a", 4, 4, &[(0, 0, 0.9), (1, 1, 0.9), (2, 2, 0.9)]);
        let cb = cand(
            "c",
            "b",
            4,
            4,
            &[(0, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0), (3, 3, 1.0)],
        );
        let ca = cand("c", "a", 4, 4, &[(0, 0, 0.9), (1, 1, 0.9), (2, 2, 0.9)]);
        let edges = choose_parents(vec![ba, cb, ca]);
        let parents: Vec<(&str, &str)> = edges
            .iter()
            .map(|e| (e.derived.as_str(), e.source.as_str()))
            .collect();
        assert_eq!(parents, [("b", "a"), ("c", "b")]);
        assert_eq!(edges[1].via, [id("a")]);
        assert!(edges[1].primary && edges[1].parent_certain);
    }

    #[test]
    fn sibling_copy_of_the_original_is_not_sent_through_the_sibling() {
        // B edits A and drops A's sentence 3. D copies A verbatim, later than
        // B, so the pair D-B is oriented D → B by date.
        let ba = cand("b", "a", 3, 4, &[(0, 0, 0.8), (1, 1, 0.8), (2, 2, 0.8)]);
        let da = cand(
            "d",
            "a",
            4,
            4,
            &[(0, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0), (3, 3, 1.0)],
        );
        let db = cand("d", "b", 4, 3, &[(0, 0, 0.8), (1, 1, 0.8), (2, 2, 0.8)]);
        let edges = choose_parents(vec![ba, da, db]);
        let d: Vec<&str> = edges
            .iter()
            .filter(|e| e.derived.as_str() == "d")
            .map(|e| e.source.as_str())
            .collect();
        assert_eq!(d, ["a"]);
    }

    #[test]
    fn closer_wording_decides_when_no_material_tells() {
        // B is A with every sentence edited; C copies B word for word.
        let ba = cand("b", "a", 3, 3, &[(0, 0, 0.7), (1, 1, 0.7), (2, 2, 0.7)]);
        let cb = cand("c", "b", 3, 3, &[(0, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0)]);
        let ca = cand("c", "a", 3, 3, &[(0, 0, 0.7), (1, 1, 0.7), (2, 2, 0.7)]);
        let edges = choose_parents(vec![ba, cb, ca]);
        assert!(edges
            .iter()
            .any(|e| e.derived.as_str() == "c" && e.source.as_str() == "b" && e.parent_certain));
        assert!(!edges
            .iter()
            .any(|e| e.derived.as_str() == "c" && e.source.as_str() == "a"));
    }

    #[test]
    fn indistinguishable_parents_keep_the_upstream_and_say_so() {
        let ba = cand("b", "a", 3, 3, &[(0, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0)]);
        let cb = cand("c", "b", 3, 3, &[(0, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0)]);
        let ca = cand("c", "a", 3, 3, &[(0, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0)]);
        let edges = choose_parents(vec![ba, cb, ca]);
        let c: Vec<&Edge> = edges.iter().filter(|e| e.derived.as_str() == "c").collect();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].source.as_str(), "a");
        assert!(!c[0].parent_certain);
        assert!(c[0].notes[0].contains("could also be through b"));
    }

    #[test]
    fn a_blend_keeps_both_sources_and_attributes_sentences() {
        let xa = cand("x", "a", 4, 3, &[(0, 0, 0.9), (1, 1, 0.9)]);
        let xb = cand("x", "b", 4, 3, &[(2, 0, 0.9), (3, 2, 0.9)]);
        let edges = choose_parents(vec![xa, xb]);
        assert_eq!(edges.len(), 2);
        assert_eq!(edges[0].attributed, [0, 1]);
        assert_eq!(edges[1].attributed, [2, 3]);
        assert_eq!(edges.iter().filter(|e| e.primary).count(), 1);
    }
}
