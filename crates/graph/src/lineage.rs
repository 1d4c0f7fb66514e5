//! From pair views to a derivation graph: orientation, parents, originals.
//!
//! Three steps, each a pure function of the [`PairBook`] and the node
//! metadata, so the graph does not depend on the order articles arrived in:
//!
//! 1. **Orient** every reuse pair (copy, rewrite, partial) into a candidate
//!    edge `derived → source`. A view with certain direction (dates, a
//!    credit) decides. Otherwise, if both views agree, their weaker evidence
//!    (wire agency, containment) is used; if they disagree, containment
//!    decides (the article more fully reused by the other is the original);
//!    failing that the ids are ordered and the edge says its direction is
//!    not certain. Nothing is guessed silently.
//! 2. **Choose parents.** An article `X` with candidate sources `Z` and `Y`,
//!    where `Z` itself derives from `Y`, copied either `Z` (second hand) or
//!    `Y` (first hand, `Z` a sibling). What tells them apart:
//!    - `X` carries `Z`'s own material (sentences of `Z` that `Y` lacks): `Z`;
//!    - `X` carries material of `Y` that `Z` dropped: `Y`;
//!    - both: `X` draws on both (two edges);
//!    - neither: `X` keeps the wording of the one it is closer to, over the
//!      sentences it shares with both (a copy keeps its parent's edits);
//!    - a tie: the two are indistinguishable in `X`; the upstream `Y` is
//!      kept and the edge says `parent_certain: false`.
//!
//!    The edge not chosen is not reported as a parent; the chosen one lists
//!    it under `via` (second hand) or notes the sibling.
//! 3. **Originals and stories** (see [`crate::cluster`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use unspun_article::ArticleId;

use crate::pairs::{ChangeCounts, EdgeRelation, PairBook, PairView, SentencePair};

/// Metadata of one article in the graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeInfo {
    /// The article id.
    pub id: ArticleId,
    /// Publication date, if known.
    pub date: Option<chrono::NaiveDate>,
    /// The outlet.
    pub source: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// Number of sentences.
    pub sentences: usize,
    /// The store revision traced.
    pub revision: u32,
}

/// A `derived_from` edge of the graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// The article that reuses.
    pub derived: ArticleId,
    /// The article reused.
    pub source: ArticleId,
    /// Copy, rewrite or partial.
    pub relation: EdgeRelation,
    /// Share of the derived article's sentences explained by the source.
    pub coverage: f32,
    /// Share of the source's sentences reused.
    pub source_coverage: f32,
    /// How sure the graph is that `derived` took this material from
    /// `source`: evidence strength × direction certainty × parent certainty.
    pub confidence: f32,
    /// Whether the direction is decided by dates or an explicit credit.
    pub direction_certain: bool,
    /// The direction evidence, strongest first.
    pub direction_evidence: Vec<String>,
    /// Whether this parent was told apart from an indistinguishable
    /// alternative (see `notes`).
    pub parent_certain: bool,
    /// Whether this is the derived article's main source (highest coverage).
    pub primary: bool,
    /// Whether the derived article names the source's outlet.
    pub credited: bool,
    /// Changes of the derived article relative to the source; `None` when
    /// they were not computed.
    pub changes: Option<ChangeCounts>,
    /// The sentence pairs that support the edge.
    pub evidence: Vec<SentencePair>,
    /// Derived sentences attributed to this source (best explained by it
    /// among the article's sources).
    pub attributed: Vec<usize>,
    /// Upstream articles the derived article reaches through this source
    /// (second-hand reuse, not reported as edges of their own).
    pub via: Vec<ArticleId>,
    /// Why other candidate parents were set aside, if any.
    pub notes: Vec<String>,
    /// When `source` itself derives from an article `derived` also draws
    /// on (the two are rewrites of a common source), what makes `source` a
    /// parent and not a sibling: the sentences of `source` that the common
    /// source lacks and `derived` carries. `None` when there is no such
    /// common source among `derived`'s candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beyond_common: Option<BeyondCommon>,
}

/// The evidence for an edge between two articles that derive from a
/// common source: what the derived one took from the other that the common
/// source lacks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BeyondCommon {
    /// The common source.
    pub common: ArticleId,
    /// Sentences of the edge's source, absent from the common source,
    /// that the derived article carries (indices into the source).
    pub carried: Vec<usize>,
}

/// A candidate edge before parent selection.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    pub edge: Edge,
    pub derived_matched: Vec<bool>,
    pub source_matched: Vec<bool>,
    /// Evidence weight: similarity-weighted aligned sentences.
    pub weight: f32,
}

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

/// Per-derived-sentence score of a candidate edge (0 where unaligned).
fn sentence_scores(c: &Candidate) -> Vec<f32> {
    let mut s = vec![0.0f32; c.derived_matched.len()];
    for g in &c.edge.evidence {
        for &i in &g.derived {
            if i < s.len() {
                s[i] = s[i].max(g.score);
            }
        }
    }
    s
}

/// Margin of mean similarity by which a copy is judged closer to one of
/// two candidate parents.
const CLOSER_MARGIN: f32 = 0.02;

/// Least corpus information (nats) the material `X` carries of `Z` beyond
/// their common source must hold to count: the floor a pair needs to be
/// reuse at all ([`unspun_align::MIN_PAIR_INFO`]), so a stock phrase two
/// rewrites both added ("risk analysis plays a crucial role") is not
/// evidence that one copied the other.
const MIN_CARRIED_INFO: f32 = unspun_align::MIN_PAIR_INFO;

/// What one two-parent comparison decided.
enum Choice {
    /// Keep the intermediate `Z` only: `X` reuses `Y` second hand.
    Intermediate,
    /// Keep the upstream `Y` only: `Z` is a sibling.
    Upstream,
    /// Keep both: `X` draws on both.
    Both,
    /// Indistinguishable: keep the upstream `Y`, uncertain.
    Tie,
}

/// Whether a sentence pair is literal (verbatim or edited): what copying
/// leaves, where two independent rewrites of one sentence leave a
/// paraphrase.
fn literal(g: &SentencePair) -> bool {
    g.kind == "verbatim" || g.kind == "edited"
}

/// Decides between `Z` and `Y` as the parent of `X`, where `Z` derives from
/// `Y`: `X` and `Z` are siblings (both from `Y`) unless `X` carries
/// material of `Z` that `Y` lacks. `explained_elsewhere[i]` says whether
/// derived sentence `i` of `X` is also aligned to a candidate source other
/// than `Z` and `Z`'s own descendants: material `Z` took from a third
/// article `W` is evidence for `W`, not for `Z`. Also returns the sentences
/// of `Z` that are the evidence for keeping `Z` (empty unless the choice
/// keeps it).
///
/// Material of `Z` counts only when `X` holds it word for word (verbatim
/// or edited), does not have it from `Y` as well, and it carries
/// [`MIN_CARRIED_INFO`]: two rewrites of one text match each other as
/// paraphrase where their alignment to it missed a sentence, and add the
/// same stock lines; on the l2r-dev families (four LLM rewrites of each
/// human text) such matches drew most sibling → sibling edges. Likewise
/// "closer wording" keeps `Z` only when `X` keeps `Z`'s wording literally
/// (a copy of an edit); otherwise `Y` is kept.
fn choose(
    xz: &Candidate,
    xy: &Candidate,
    zy: &Candidate,
    explained_elsewhere: &[bool],
) -> (Choice, String, Vec<usize>) {
    let y_not_in_z = |t: usize| zy.source_matched.get(t).is_some_and(|m| !m);
    let carried = carried_beyond(xz, Some(xy), zy, explained_elsewhere);
    let has_z_own = !carried.is_empty();
    let has_y_only = xy
        .edge
        .evidence
        .iter()
        .any(|g| g.source.iter().any(|&t| y_not_in_z(t)));
    let (z, y) = (&xz.edge.source, &xy.edge.source);
    let list = |v: &[usize]| {
        v.iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (has_z_own, has_y_only) {
        (true, false) => {
            let why = format!(
                "carries material {z} added to {y} (its sentences {})",
                list(&carried)
            );
            return (Choice::Intermediate, why, carried);
        }
        (false, true) => {
            return (
                Choice::Upstream,
                format!("carries material of {y} that {z} dropped"),
                Vec::new(),
            )
        }
        (true, true) => {
            let why = format!(
                "carries material of {z} (its sentences {}) and material of {y} that {z} lacks",
                list(&carried)
            );
            return (Choice::Both, why, carried);
        }
        (false, false) => {}
    }
    let (sz, sy) = (sentence_scores(xz), sentence_scores(xy));
    let (mut tz, mut ty, mut n) = (0.0, 0.0, 0usize);
    for i in 0..sz.len().min(sy.len()) {
        if sz[i] > 0.0 && sy[i] > 0.0 {
            tz += sz[i];
            ty += sy[i];
            n += 1;
        }
    }
    if n == 0 {
        // X shares with Z only what Z took from Y (else it would carry Z's
        // own material): a sibling, whatever the two alignments missed.
        return (
            Choice::Upstream,
            format!("shares with {z} only material {z} took from {y}"),
            Vec::new(),
        );
    }
    let d = (tz - ty) / n as f32;
    // The sentences X shares with both, aligned to Z literally.
    let kept: Vec<&SentencePair> = xz
        .edge
        .evidence
        .iter()
        .filter(|g| literal(g))
        .filter(|g| {
            g.derived
                .iter()
                .any(|&i| sy.get(i).is_some_and(|&v| v > 0.0))
        })
        .collect();
    let literal_share = kept.iter().map(|g| g.derived.len()).sum::<usize>() as f32 / n as f32;
    if d > CLOSER_MARGIN && literal_share >= LITERAL_SHARE {
        let mut carried: Vec<usize> = kept.iter().flat_map(|g| g.source.iter().copied()).collect();
        carried.sort_unstable();
        carried.dedup();
        (
            Choice::Intermediate,
            format!(
                "keeps the wording of {z} over {y} ({:+.2} mean similarity; its sentences {})",
                d,
                list(&carried)
            ),
            carried,
        )
    } else if d > CLOSER_MARGIN {
        (
            Choice::Upstream,
            format!(
                "closer to the wording of {z} ({:+.2} mean similarity) but not word for word, and carries nothing {z} added to {y}",
                d
            ),
            Vec::new(),
        )
    } else if d < -CLOSER_MARGIN {
        (
            Choice::Upstream,
            format!(
                "keeps the wording of {y} over {z} ({:+.2} mean similarity)",
                -d
            ),
            Vec::new(),
        )
    } else {
        (
            Choice::Tie,
            format!("{z} and {y} are indistinguishable in it; the upstream {y} is taken"),
            Vec::new(),
        )
    }
}

/// The sentences of `Z` that `X` carries and `Z`'s source `Y` lacks
/// (unaligned in `zy`), held word for word, not from `Y` as well (`xy`,
/// when `Y` is a candidate of `X`) nor from another candidate
/// (`explained_elsewhere`), with [`MIN_CARRIED_INFO`] over all of them;
/// else none.
fn carried_beyond(
    xz: &Candidate,
    xy: Option<&Candidate>,
    zy: &Candidate,
    explained_elsewhere: &[bool],
) -> Vec<usize> {
    let z_own = |s: usize| zy.derived_matched.get(s).is_some_and(|m| !m);
    let from_z_only = |i: usize| {
        !explained_elsewhere.get(i).copied().unwrap_or(false)
            && !xy.is_some_and(|xy| xy.derived_matched.get(i).copied().unwrap_or(false))
    };
    let own: Vec<&SentencePair> = xz
        .edge
        .evidence
        .iter()
        .filter(|g| literal(g))
        .filter(|g| g.source.iter().any(|&s| z_own(s)))
        .filter(|g| g.derived.iter().any(|&i| from_z_only(i)))
        .collect();
    if own.iter().map(|g| g.info).sum::<f32>() < MIN_CARRIED_INFO {
        return Vec::new();
    }
    let mut v: Vec<usize> = own
        .iter()
        .flat_map(|g| g.source.iter().copied().filter(|&s| z_own(s)))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Least share of the sentences `X` shares with both `Z` and `Y` that `X`
/// must hold word for word (verbatim or edited) from `Z` for "closer
/// wording" to make `Z` the parent: most of them, as a copy of `Z` would.
pub(crate) const LITERAL_SHARE: f32 = 0.8;

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
    fn natural_order_reads_numbers_as_numbers() {
        use std::cmp::Ordering::*;
        assert_eq!(natural_cmp("reuters-9", "reuters-10"), Less);
        assert_eq!(natural_cmp("reuters-10", "reuters-9"), Greater);
        assert_eq!(natural_cmp("a2b", "a10a"), Less);
        assert_eq!(natural_cmp("x", "x1"), Less);
        assert_eq!(natural_cmp("a", "b"), Less);
        assert_eq!(natural_cmp("a01", "a1"), Less, "ties broken by plain order");
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
