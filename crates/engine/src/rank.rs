//! The order in which a trace lists its sources.
//!
//! Ranking by score alone answers "which candidate looks most like this
//! article", and that is not the question once a story has been
//! republished. A wire story copied by twenty outlets gives twenty
//! candidates that score as high as the wire itself (higher when a copy
//! left out a sentence the traced article also left out), and ties were
//! broken by id; an article published after the traced one, which copied
//! it, scores as high as its source. The list fills with copies and the
//! original falls out of the top. At 1M generated articles, with about 17
//! copies, edits and rewrites of each original, the true source of a
//! paraphrase was in the top 5 for 32% of the traces although it was among
//! the reported sources for 94% (docs/BENCH.md).
//!
//! The order uses the direction evidence the trace already has. Three
//! tiers, in this order:
//!
//! 1. **Sources**: candidates with reuse (`copy`, `rewrite`, `partial`)
//!    that are not certainly later than the traced article.
//! 2. **Later articles**: reuse where the direction is certain and the
//!    traced article is the original (the candidate is dated after it, or
//!    names its outlet). An article published after this one is not where
//!    it came from, however well it matches; it is still listed.
//! 3. **Related**: the same story, no reuse.
//!
//! Inside a tier, candidates go by score, with two exceptions. Both rest on
//! "`a` is more original than `b`": decisively, by the evidence
//! [`unspun_align::direction`] weighs without an alignment (the earlier
//! date; on the same day, `b` naming `a`'s outlet, or `a` being a wire
//! agency and `b` not). Containment would need an alignment of the two
//! candidates to each other, which the trace does not compute; what each
//! candidate explains of the traced article stands in for it.
//!
//! - **A copy goes after its original.** `b` is a copy of `a` (as far as
//!   this article can tell) when `a` is more original and explains at least
//!   [`COVERED`] of the article's sentences that `b` explains, each at least
//!   as literally (verbatim, then edited, then paraphrase). Then `b` gives
//!   the article nothing `a` does not, not even its wording: a syndicated
//!   copy of the wire story, or a word-for-word repost. Copies are listed
//!   after every candidate that is not a copy of another one, so that the
//!   top of the list shows different texts (the wire, not twenty copies of
//!   it), each copy after its original.
//! - **The origin goes right after the best match it fed.** `a` is the
//!   likely source of `b` when `a` is more original, what `a` explains lies
//!   within what `b` explains ([`COVERED`]), and makes up at least
//!   [`UPSTREAM`] of it. `b` then passed on `a`'s material, with wording or
//!   material of its own that the traced article shares, so `b` may well be
//!   the direct source (it keeps its place) and `a` where the material came
//!   from: `a` is listed right below the best-scoring such `b` when its own
//!   score would put it lower. Only the first link of such a line is
//!   raised, not a candidate that is a copy of another or has a likely
//!   source of its own among the candidates (another outlet's rewrite of the
//!   same wire story), so intermediates do not push the origin down.
//!
//! Candidates that explain different parts of the article (the two sources
//! of a blend) are ordered by neither rule.

use std::cmp::Ordering;

use unspun_align::{credited, is_wire_agency, MatchKind, Original};
use unspun_article::Article;

use crate::SourceMatch;

/// Share of the sentences one candidate explains in the traced article
/// that another must also explain (for a copy: at least as literally; for
/// a likely source: of its own). Below 1 so that one sentence matched by
/// only one of two copies (a headline line, a byline, a borderline
/// paraphrase) does not decide; high enough that a candidate which gives
/// the article material of its own (a chain link's new paragraph, the
/// other half of a blend) is not taken for a copy of one that lacks it.
pub const COVERED: f32 = 0.8;

/// Least share of a later candidate's explained sentences that an earlier
/// candidate must explain to be taken for its likely source: most of what
/// the later one gives the article, not a shared quote.
pub const UPSTREAM: f32 = 0.5;

/// Orders the sources of a trace (see the module docs). The result does
/// not depend on the order of `sources`.
pub fn order(sources: Vec<SourceMatch>) -> Vec<SourceMatch> {
    let mut tiers: [Vec<SourceMatch>; 3] = Default::default();
    for s in sources {
        tiers[tier(&s)].push(s);
    }
    tiers.into_iter().flat_map(order_tier).collect()
}

fn tier(s: &SourceMatch) -> usize {
    if !s.relation.is_derivation() {
        2
    } else if is_later(s) {
        1
    } else {
        0
    }
}

/// Whether the direction of the pair is certain and the traced article is
/// the original: the candidate was published after it, or names its
/// outlet.
pub fn is_later(s: &SourceMatch) -> bool {
    s.direction.certain && s.direction.original == Original::Derived
}

/// One tier: Kahn's algorithm over "is a copy of", taking each time the
/// free candidate with the best [`Key`].
fn order_tier(tier: Vec<SourceMatch>) -> Vec<SourceMatch> {
    let n = tier.len();
    let explained: Vec<Explained> = tier.iter().map(explained).collect();
    let original: Vec<Vec<bool>> = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| a != b && more_original(&tier[a].source.article, &tier[b].source.article))
                .collect()
        })
        .collect();
    // before[b]: candidates that b is a copy of and that are not placed yet.
    let mut before = vec![0usize; n];
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); n];
    for a in 0..n {
        for b in 0..n {
            if original[a][b] && copies(&explained[a], &explained[b]) {
                after[a].push(b);
                before[b] += 1;
            }
        }
    }
    let copy: Vec<bool> = before.iter().map(|&k| k > 0).collect();
    let source_of = |a: usize, b: usize| original[a][b] && feeds(&explained[a], &explained[b]);
    let anchor: Vec<f32> = (0..n)
        .map(|a| {
            let own = tier[a].score;
            if copy[a] || (0..n).any(|c| source_of(c, a)) {
                return own;
            }
            (0..n)
                .filter(|&b| source_of(a, b))
                .map(|b| tier[b].score)
                .fold(own, f32::max)
        })
        .collect();
    let key = |i: usize| Key {
        copy: copy[i],
        anchor: anchor[i],
        raised: anchor[i] > tier[i].score,
        source: &tier[i],
    };
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for _ in 0..n {
        let best = |free_only: bool| {
            (0..n)
                .filter(|&i| !placed[i] && (!free_only || before[i] == 0))
                .min_by(|&x, &y| key(x).cmp(&key(y)))
        };
        // "More original" can in principle go round in a circle (two
        // same-day articles naming each other's outlets): then no candidate
        // is free, and the best remaining one goes next.
        let next = best(true).or_else(|| best(false)).expect("one is left");
        placed[next] = true;
        for &b in &after[next] {
            before[b] = before[b].saturating_sub(1);
        }
        order.push(next);
    }
    let mut slots: Vec<Option<SourceMatch>> = tier.into_iter().map(Some).collect();
    order
        .into_iter()
        .map(|i| slots[i].take().expect("each placed once"))
        .collect()
}

/// Where a candidate goes among the free ones of its tier.
struct Key<'a> {
    /// A copy of another candidate.
    copy: bool,
    /// The score it is listed at: its own, or that of the best match it is
    /// the likely source of.
    anchor: f32,
    /// Whether `anchor` is another candidate's score.
    raised: bool,
    source: &'a SourceMatch,
}

impl Key<'_> {
    /// `Less` when `self` goes first: not a copy; the higher anchor; a
    /// candidate at its own score before one raised to it; the higher own
    /// score; the earlier date, a wire agency; then id, so that the order
    /// is total and does not depend on the order candidates were found in.
    fn cmp(&self, other: &Key) -> Ordering {
        let (a, b) = (&self.source.source.article, &other.source.source.article);
        self.copy
            .cmp(&other.copy)
            .then_with(|| other.anchor.total_cmp(&self.anchor))
            .then_with(|| self.raised.cmp(&other.raised))
            .then_with(|| other.source.score.total_cmp(&self.source.score))
            .then_with(|| match (a.date, b.date) {
                (Some(da), Some(db)) => da.cmp(&db),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| wire(b).cmp(&wire(a)))
            .then_with(|| a.id.cmp(&b.id))
    }
}

fn wire(a: &Article) -> bool {
    a.source.as_deref().is_some_and(is_wire_agency)
}

/// Whether `a` is decisively more original than `b`: the earlier date
/// decides; on the same day (or with a date missing), a credit of `a`'s
/// outlet in `b` and not the other way, else a wire agency against another
/// outlet. The same evidence as [`unspun_align::direction`], in the same
/// order of strength, without containment.
pub(crate) fn more_original(a: &Article, b: &Article) -> bool {
    if let (Some(da), Some(db)) = (a.date, b.date) {
        if da != db {
            return da < db;
        }
    }
    let (b_credits_a, a_credits_b) = (credited(b, a).is_some(), credited(a, b).is_some());
    if b_credits_a != a_credits_b {
        return b_credits_a;
    }
    wire(a) && !wire(b)
}

/// The traced article's sentences a candidate's alignment explains,
/// ascending, each with how literally.
type Explained = Vec<(usize, MatchKind)>;

fn explained(s: &SourceMatch) -> Explained {
    let mut v: Explained = s
        .alignment
        .groups
        .iter()
        .flat_map(|g| g.derived.iter().map(|&i| (i, g.kind)))
        .collect();
    v.sort_unstable();
    v.dedup_by_key(|x| x.0);
    v
}

fn kind_at(x: &Explained, i: usize) -> Option<MatchKind> {
    x.binary_search_by_key(&i, |e| e.0).ok().map(|k| x[k].1)
}

/// Whether `a` explains at least [`COVERED`] of the sentences `b`
/// explains, each at least as literally (`MatchKind` orders verbatim,
/// edited, paraphrase): `b` gives the article nothing of its own.
fn copies(a: &Explained, b: &Explained) -> bool {
    if b.is_empty() {
        return false;
    }
    let kept = b
        .iter()
        .filter(|&&(i, kb)| kind_at(a, i).is_some_and(|ka| ka <= kb))
        .count();
    kept as f32 >= COVERED * b.len() as f32
}

/// Whether what `a` explains lies within what `b` explains ([`COVERED`] of
/// it) and makes up at least [`UPSTREAM`] of it.
fn feeds(a: &Explained, b: &Explained) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let shared = a.iter().filter(|&&(i, _)| kind_at(b, i).is_some()).count() as f32;
    shared >= COVERED * a.len() as f32 && shared >= UPSTREAM * b.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspun_align::{
        AlignedGroup, Alignment, AnalyzedArticle, Direction, Relation, Specificity,
    };
    use unspun_article::ArticleId;
    use unspun_changes::ChangeReport;
    use unspun_segment::{Analyzer, Segmenter};

    /// The traced article has 10 sentences; `explains` lists which of them
    /// a candidate explains and how.
    fn cand(
        id: &str,
        date: &str,
        outlet: &str,
        score: f32,
        explains: &[(std::ops::Range<usize>, MatchKind)],
    ) -> SourceMatch {
        let mut article = Article::new(ArticleId::new(id).unwrap(), "A sentence.");
        article.date = Some(date.parse().unwrap());
        article.source = Some(outlet.to_string());
        let source = AnalyzedArticle::new(article, &Segmenter::new(), &Analyzer::new());
        let groups: Vec<AlignedGroup> = explains
            .iter()
            .flat_map(|(r, kind)| {
                r.clone().map(|i| AlignedGroup {
                    derived: vec![i],
                    source: vec![i],
                    kind: *kind,
                    score: 0.9,
                    info: 10.0,
                })
            })
            .collect();
        let mut derived_matched = vec![false; 10];
        for g in &groups {
            derived_matched[g.derived[0]] = true;
        }
        SourceMatch {
            source,
            relation: Relation::Copy,
            specificity: Specificity::default(),
            changes: ChangeReport {
                per_group: vec![Vec::new(); groups.len()],
                article: Vec::new(),
            },
            alignment: Alignment {
                groups,
                derived_matched,
                source_matched: vec![true; 10],
            },
            direction: Direction {
                original: Original::Source,
                certain: false,
                evidence: Vec::new(),
            },
            score,
        }
    }

    fn ids(sources: &[SourceMatch]) -> Vec<&str> {
        sources
            .iter()
            .map(|s| s.source.article.id.as_str())
            .collect()
    }

    /// `order` of the candidates, checked to give the same list from the
    /// reversed input.
    fn ordered(sources: Vec<SourceMatch>) -> Vec<SourceMatch> {
        let mut reversed = sources.clone();
        reversed.reverse();
        let (a, b) = (order(sources), order(reversed));
        assert_eq!(ids(&a), ids(&b), "the order depends on the input order");
        a
    }

    use MatchKind::{Edited, Paraphrase, Verbatim};

    #[test]
    fn syndicated_copies_go_after_the_wire_story() {
        // Copies that scored higher (one left out a sentence the traced
        // article also left out) and one whose id sorts first.
        let out = ordered(vec![
            cand(
                "a-copy",
                "1987-03-02",
                "Daily Ledger",
                0.99,
                &[(0..8, Verbatim)],
            ),
            cand(
                "b-copy",
                "1987-03-02",
                "Market Pulse",
                0.97,
                &[(0..8, Verbatim)],
            ),
            cand("wire", "1987-03-02", "Reuters", 0.95, &[(0..8, Verbatim)]),
            cand("other", "1987-03-01", "BBC", 0.40, &[(8..10, Paraphrase)]),
        ]);
        assert_eq!(ids(&out), ["wire", "other", "a-copy", "b-copy"]);
    }

    #[test]
    fn a_copy_that_adds_wording_keeps_its_place() {
        // The traced article copies "edit", a light edit of "wire": "edit"
        // matches it verbatim where "wire" only matches edited, so it is not
        // a copy of "wire"; "wire" is its likely source, listed next.
        let out = ordered(vec![
            cand("wire", "1987-03-02", "Reuters", 0.90, &[(0..8, Edited)]),
            cand(
                "edit",
                "1987-03-04",
                "Daily Ledger",
                0.99,
                &[(0..8, Verbatim)],
            ),
            cand(
                "z",
                "1987-03-03",
                "Market Pulse",
                0.95,
                &[(0..3, Paraphrase)],
            ),
        ]);
        assert_eq!(ids(&out), ["edit", "wire", "z"]);
    }

    #[test]
    fn the_origin_goes_right_after_the_best_match_it_fed() {
        // Two rewrites of the wire story that the traced article matches
        // nearly word for word, and the wire story, matched as paraphrase
        // on fewer sentences (the rewrites' own wording is shared).
        let out = ordered(vec![
            cand(
                "rw1",
                "1987-03-03",
                "Daily Ledger",
                0.98,
                &[(0..8, Verbatim)],
            ),
            cand("rw2", "1987-03-03", "Market Pulse", 0.97, &[(0..8, Edited)]),
            cand("wire", "1987-03-02", "Reuters", 0.75, &[(0..5, Paraphrase)]),
            cand("partial", "1987-03-01", "BBC", 0.80, &[(8..10, Paraphrase)]),
        ]);
        assert_eq!(ids(&out), ["rw1", "wire", "rw2", "partial"]);
    }

    #[test]
    fn intermediates_do_not_push_the_origin_down() {
        // "mid" is a same-day rewrite of the wire that also fed "best": only
        // the wire story is raised.
        let out = ordered(vec![
            cand(
                "best",
                "1987-03-04",
                "Daily Ledger",
                0.98,
                &[(0..8, Verbatim)],
            ),
            cand("mid", "1987-03-02", "Market Pulse", 0.96, &[(0..7, Edited)]),
            cand("wire", "1987-03-02", "Reuters", 0.70, &[(0..6, Paraphrase)]),
            cand("x", "1987-03-01", "BBC", 0.97, &[(8..10, Verbatim)]),
        ]);
        assert_eq!(ids(&out), ["best", "wire", "x", "mid"]);
    }

    #[test]
    fn the_sources_of_a_blend_are_ordered_by_score() {
        let out = ordered(vec![
            cand(
                "first-half",
                "1987-03-01",
                "Reuters",
                0.70,
                &[(0..5, Verbatim)],
            ),
            cand(
                "second-half",
                "1987-03-03",
                "BBC",
                0.75,
                &[(5..10, Verbatim)],
            ),
        ]);
        assert_eq!(ids(&out), ["second-half", "first-half"]);
    }

    #[test]
    fn later_articles_and_related_ones_come_after_the_sources() {
        let mut later = cand(
            "later",
            "1987-03-09",
            "Daily Ledger",
            0.99,
            &[(0..10, Verbatim)],
        );
        later.direction = Direction {
            original: Original::Derived,
            certain: true,
            evidence: Vec::new(),
        };
        let mut related = cand("related", "1987-03-01", "BBC", 0.05, &[]);
        related.relation = Relation::Related;
        let source = cand(
            "source",
            "1987-03-01",
            "Market Pulse",
            0.50,
            &[(0..5, Edited)],
        );
        let out = ordered(vec![related, later, source]);
        assert_eq!(ids(&out), ["source", "later", "related"]);
    }

    #[test]
    fn a_credit_decides_between_same_day_articles() {
        let mut credited = cand(
            "credits",
            "1987-03-02",
            "Daily Ledger",
            0.99,
            &[(0..8, Verbatim)],
        );
        credited.source.article.text = "A sentence, Market Pulse reported.".into();
        let out = ordered(vec![
            credited,
            cand(
                "pulse",
                "1987-03-02",
                "Market Pulse",
                0.90,
                &[(0..8, Verbatim)],
            ),
        ]);
        assert_eq!(ids(&out), ["pulse", "credits"]);
    }
}
