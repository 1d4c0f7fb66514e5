//! Sibling rewrites in a trace: fellow rewrites of the traced article's
//! original are listed after it, and marked, not taken for its source.
//!
//! Several outlets (or several LLMs) rewrite one story. Traced, each
//! rewrite finds the original and its fellow rewrites as candidates, and
//! a fellow rewrite often scores higher than the original: rewrites share
//! the rewriters' habits, and a fellow rewrite may keep the very sentences
//! the traced one kept. On the l2r-dev families (four LLM rewrites of each
//! of 800 human texts) a fellow rewrite came first in a third of the
//! traces with the human text dated a day earlier (docs/SIBLINGS.md).
//!
//! A candidate `A` is a **sibling** of the traced article `R`, with common
//! original `O` (another candidate), when:
//!
//! - `A` derives from `O`: aligned to each other, `A` and `O` are reuse
//!   and `O` is judged the original (by date, credit, wire agency or
//!   containment; an `O` certainly later than `A` never is);
//! - `A` holds no material that `O` lacks and `R` shares: no sentence of
//!   `R` is aligned word for word (verbatim or edited) to a sentence of `A`
//!   that `O` does not hold, unless `O` explains that sentence of `R` too
//!   (see [`carried`] for why paraphrase is not enough).
//!
//! - `R` does not carry `A`'s wording where `O` words it otherwise: no
//!   sentence of `R` is word for word from `A` where `O` holds it edited,
//!   with another figure or word (see `copies_wording`).
//!
//! Then `R` has nothing it could only have taken from `A`, and `A` is
//! where `R`'s material went, not where it came from. Wording alone is not
//! material: two rewrites may word a sentence alike by chance (the same
//! model, the same habits), and a false "copied from" costs more than a
//! missed one. If `R` does carry `A`'s own material, `A` may be its
//! source (a chain), and `A` is left where the score put it.
//!
//! Only pairs that could be siblings are aligned: `A` among the first
//! [`MAX_TESTED`] candidates and `O` explaining at least [`OVERLAP`] of
//! what `A` explains in `R` (siblings explain the same sentences of `R`,
//! from their common original), at most [`MAX_PAIRS`] pairs per trace.
//! Where `R` mostly paraphrases `A` (fewer than half of the sentences `A`
//! explains are word for word) and `O` is dated before `A`, the pair is
//! aligned whatever the overlap, and `O` may even be only `related` to
//! `R`: heavy paraphrases of one text explain different sentences of `R`
//! each, and a fellow paraphrase is no better evidence of where `R` came
//! from than the older text (on l2r-dev, original first 0.823 → 0.871 with
//! the human texts a day earlier; docs/SIBLINGS.md). An article that takes
//! `A`'s sentences word for word keeps `A` as its likely source. A
//! trace with one source, or with sources that explain different parts
//! (a blend), aligns nothing more; the cost does not grow with the corpus.
//!
//! The common original may also be a candidate the trace retrieved but
//! did not list: `R` paraphrased it too freely to show even a relation.
//! When the first source `A` is such a paraphrase and nothing listed is
//! behind it, those candidates are tested as `A`'s original within the
//! same budget of pairs, and one that passes is listed first as `related`
//! (see `through_fellow`; on l2r-dev, original first 0.871 → 0.891).
//!
//! When nothing says which of `A` and `O` is the original (same day, no
//! credit, no wire, no containment), `A` is not marked; but if `R` carries
//! material of `O` that `A` lacks, and nothing of `A`'s own, `O` explains
//! more of `R` and goes first all the same.
//!
//! A sibling goes after the sources that are not siblings (in its tier);
//! its common original takes the place of the first sibling that was
//! ahead of it. Changes are not reported against a sibling (the traced
//! article did not change a text it did not take), and a sentence goes to
//! a sibling only when no other source explains it.

use unspun_align::{
    classify, AlignedGroup, Alignment, AnalyzedArticle, EmbeddingKind, MatchKind, Relation,
    Semantic, Specificity, TermRarity, MIN_PAIR_INFO,
};

use crate::rank;
use crate::{Engine, SourceMatch};

/// How many of the first candidates are tested for being siblings.
pub const MAX_TESTED: usize = 4;

/// Most candidate pairs aligned to each other per trace.
pub const MAX_PAIRS: usize = 6;

/// Least share of the traced article's sentences explained by a candidate
/// `A` that a possible common original must also explain before the pair
/// is aligned: a sibling's sentences in `R` come from the common original,
/// so nearly all of them are explained by it too; the share is below 1 as
/// each alignment misses some paraphrases.
pub const OVERLAP: f32 = 0.5;

/// A sibling found in a trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Sibling {
    /// Index of the sibling in the ordered sources.
    pub sibling: usize,
    /// Index of the common original in the ordered sources.
    pub common: usize,
}

/// Finds the siblings among `sources` (ranked by [`rank::order`]) of the
/// traced article. `align(a, o)` aligns candidate `a` (derived)
/// to candidate `o` (source). Returns the sources reordered (see the
/// module docs) and the siblings, indexed into the new order.
pub fn mark(
    mut sources: Vec<SourceMatch>,
    unlisted: &[AnalyzedArticle],
    align: &dyn Fn(&AnalyzedArticle, &AnalyzedArticle) -> Alignment,
    promote: &dyn Fn(&AnalyzedArticle) -> SourceMatch,
) -> (Vec<SourceMatch>, Vec<Sibling>) {
    let n = sources.len();
    let mut possible: Vec<bool> = sources
        .iter()
        .map(|s| s.relation != Relation::Related && !rank::is_later(s))
        .collect();
    // For each candidate set behind another: that other, and whether it
    // is a sibling (else only known to explain more of the article).
    let mut behind: Vec<Option<(usize, bool)>> = vec![None; n];
    let mut aligned = 0usize;
    'outer: for a in (0..n).filter(|&a| possible[a]).take(MAX_TESTED) {
        // Relaxed tests below hold only where `R` paraphrases `a`: an
        // article that takes `a`'s sentences word for word has `a` for its
        // likely source, whatever older text `a` itself came from.
        let paraphrased = mostly_paraphrase(&sources[a]);
        let earlier = |o: usize| {
            !rank::is_later(&sources[o])
                && rank::more_original(&sources[o].source.article, &sources[a].source.article)
        };
        // Candidate common originals, best score first.
        let mut os: Vec<usize> = (0..n)
            .filter(|&o| o != a && behind[o].is_none())
            .filter(|&o| {
                // A `related` candidate dated before `a` can be the common
                // original too: `R` paraphrased it too freely to show
                // reuse on its own, and a fellow paraphrase `a` is no
                // better evidence of where `R` came from.
                possible[o]
                    || (paraphrased && sources[o].relation == Relation::Related && earlier(o))
            })
            .filter(|&o| {
                // An `o` dated before `a` is tested whatever the overlap
                // when `R` only paraphrases `a`: heavy paraphrases of one
                // text explain different sentences of `R` each, and the
                // date already says which of the two is the original.
                overlap(&sources[a], &sources[o]) >= OVERLAP || (paraphrased && earlier(o))
            })
            .filter(|&o| {
                !rank::more_original(&sources[a].source.article, &sources[o].source.article)
            })
            .filter(|&o| !copies_wording(&sources[a], &sources[o]))
            .collect();
        os.sort_by(|&x, &y| {
            sources[y]
                .score
                .total_cmp(&sources[x].score)
                .then(x.cmp(&y))
        });
        for o in os {
            if aligned == MAX_PAIRS {
                break 'outer;
            }
            aligned += 1;
            let (sa, so) = (&sources[a].source, &sources[o].source);
            let ao = align(sa, so);
            if !carried(&sources[a], &sources[o], &ao).is_empty() {
                // The article has material of `a` that `o` lacks.
                continue;
            }
            if derives_from(sa, so, &ao) {
                behind[a] = Some((o, true));
                break;
            }
            if !lacked(&sources[a], &sources[o], &ao).is_empty() {
                behind[a] = Some((o, false));
                break;
            }
        }
    }
    // The first source, a paraphrase, with no listed original behind it:
    // its own original may be a candidate the article paraphrased too
    // freely to list (see `through_fellow`).
    if n > 0 && possible[0] && behind[0].is_none() && mostly_paraphrase(&sources[0]) {
        let budget = MAX_PAIRS.saturating_sub(aligned);
        if let Some(o) = through_fellow(&sources[0], unlisted, budget, align, promote) {
            sources.push(o);
            possible.push(false);
            behind.push(None);
            behind[0] = Some((n, true));
        }
    }
    let n = sources.len();
    let common: Vec<Option<usize>> = behind.iter().map(|b| b.map(|(o, _)| o)).collect();
    if common.iter().all(Option::is_none) {
        return (sources, Vec::new());
    }
    // The new order: within the possible sources, a sibling's common
    // original takes the place of the first sibling ahead of it, and the
    // siblings follow the possible sources that are not siblings; later
    // and related articles keep their places after them.
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    let mut push = |i: usize, order: &mut Vec<usize>| {
        if !placed[i] {
            placed[i] = true;
            order.push(i);
        }
    };
    // Where a line of candidates set behind one another ends (a candidate
    // set behind one that is itself behind another goes behind the last).
    let root = |mut i: usize| {
        for _ in 0..n {
            match common[i] {
                Some(o) => i = o,
                None => break,
            }
        }
        i
    };
    for i in (0..n).filter(|&i| possible[i]) {
        push(root(i), &mut order);
    }
    for i in (0..n).filter(|&i| common[i].is_some()) {
        push(i, &mut order);
    }
    for i in 0..n {
        push(i, &mut order);
    }
    let mut at = vec![0usize; n];
    for (k, &i) in order.iter().enumerate() {
        at[i] = k;
    }
    let siblings: Vec<Sibling> = (0..n)
        .filter_map(|i| match behind[i] {
            Some((o, true)) => Some(Sibling {
                sibling: at[i],
                common: at[o],
            }),
            _ => None,
        })
        .collect();
    for i in (0..n).filter(|&i| behind[i].is_some_and(|b| b.1)) {
        // The traced article changed nothing of a text it did not take.
        let s = &mut sources[i];
        s.changes.per_group = vec![Vec::new(); s.alignment.groups.len()];
        s.changes.article.clear();
    }
    let mut slots: Vec<Option<SourceMatch>> = sources.into_iter().map(Some).collect();
    let sources = order
        .into_iter()
        .map(|i| slots[i].take().expect("each placed once"))
        .collect();
    let mut siblings = siblings;
    siblings.sort_by_key(|s| s.sibling);
    (sources, siblings)
}

/// Least share of the sentences of `a` that the traced article takes
/// which the alignment of `a` to an unlisted original must cover for that
/// original to be the common one (`through_fellow`): below 1, as each
/// alignment of two paraphrases misses some.
pub const THROUGH_COVER: f32 = 0.8;

/// The common original of the traced article `R` and its first source `a`
/// among the candidates `R` was not listed against (`unlisted`: retrieved,
/// but aligned too loosely to show even a relation), built by `promote`.
///
/// Heavy paraphrases of one text share few words with it: on l2r-dev, in
/// 165 of the 351 traces whose first source was not the human text, a
/// fellow rewrite came first and the human text, though retrieved, was not
/// listed. An unlisted `o` is the common original when `a` derives from it
/// on evidence ([`derives_from`]: reuse, and `o` decisively the older),
/// nearly all the sentences of `a` that `R` took ([`THROUGH_COVER`]) are
/// aligned to `o`, and `R` carries nothing of `a` word for word that `o`
/// lacks ([`carried`]). Then everything `R` has from `a` is `o`'s, and `a`
/// is a fellow rewrite. Candidates are tested in retrieval order, at most
/// `budget` of them.
fn through_fellow(
    a: &SourceMatch,
    unlisted: &[AnalyzedArticle],
    budget: usize,
    align: &dyn Fn(&AnalyzedArticle, &AnalyzedArticle) -> Alignment,
    promote: &dyn Fn(&AnalyzedArticle) -> SourceMatch,
) -> Option<SourceMatch> {
    // The sentences of `a` that `R` took.
    let taken = &a.alignment.source_matched;
    let n_taken = a.alignment.source_aligned();
    if n_taken == 0 {
        return None;
    }
    unlisted
        .iter()
        .filter(|o| rank::more_original(&o.article, &a.source.article))
        .take(budget)
        .find_map(|o| {
            let ao = align(&a.source, o);
            if !derives_from(&a.source, o, &ao) {
                return None;
            }
            let covered = taken
                .iter()
                .zip(&ao.derived_matched)
                .filter(|&(&t, &m)| t && m)
                .count();
            if (covered as f32) < THROUGH_COVER * n_taken as f32 {
                return None;
            }
            let om = promote(o);
            carried(a, &om, &ao).is_empty().then_some(om)
        })
}

/// Whether most of the traced article's sentences that `a` explains are
/// paraphrases of `a`'s, not word for word (verbatim or edited).
fn mostly_paraphrase(a: &SourceMatch) -> bool {
    let (mut literal, mut all) = (0usize, 0usize);
    for g in &a.alignment.groups {
        all += g.derived.len();
        if matches!(g.kind, MatchKind::Verbatim | MatchKind::Edited) {
            literal += g.derived.len();
        }
    }
    2 * literal < all
}

/// Least margin by which `o`'s share reused in `a` must exceed `a`'s
/// share explained by `o` for containment to make `o` the original: the
/// margin [`unspun_align::direction`] uses.
const CONTAINMENT: f32 = 0.2;

/// Whether `a` derives from `o`, given `ao`, the alignment of `a` to `o`:
/// the pair is reuse, and `o` is the original on evidence: decisively (the
/// earlier date; a credit; a wire agency against another outlet) or, when
/// that says nothing either way, by containment (`o` is reused in `a` far
/// more fully than `a` is explained by `o`: `a` added material). With no
/// evidence at all, nothing is assumed: [`unspun_align::direction`] would
/// take whichever article it was given as the source, and two same-day
/// rewrites would each be called the other's original.
fn derives_from(a: &AnalyzedArticle, o: &AnalyzedArticle, ao: &Alignment) -> bool {
    // No corpus rarity here (the candidates' own alignment is made without
    // it): names and numbers stand for the specific content.
    let specificity = Specificity::of(a, o, ao, None);
    if !classify(a, o, ao, &specificity).is_some_and(Relation::is_derivation) {
        return false;
    }
    if rank::more_original(&o.article, &a.article) {
        return true;
    }
    if rank::more_original(&a.article, &o.article) {
        return false;
    }
    ao.source_coverage() - ao.coverage() >= CONTAINMENT
}

/// The sentences of the traced article that carry material of `o` that
/// `a` lacks: aligned to sentences of `o` unaligned in `ao` (the alignment
/// of `a` to `o`), not explained by `a`, with at least [`MIN_PAIR_INFO`]
/// nats of corpus information over all of them; else none. Paraphrase
/// counts here: this only says that `o` explains more of the article
/// than `a`, which it then is listed before, not that anyone copied.
fn lacked(a: &SourceMatch, o: &SourceMatch, ao: &Alignment) -> Vec<usize> {
    beyond(
        o.alignment
            .groups
            .iter()
            .filter(|g| g.source.iter().any(|&k| !ao.source_matched[k])),
        a,
    )
}

/// The article's sentences in `groups` (groups of another candidate's
/// alignment to the article) that `other` does not explain, when those
/// groups carry at least [`MIN_PAIR_INFO`] nats over all of them; else
/// none. What [`lacked`] and [`carried`] share.
fn beyond<'a>(groups: impl Iterator<Item = &'a AlignedGroup>, other: &SourceMatch) -> Vec<usize> {
    let explained = |i: usize| {
        other
            .alignment
            .derived_matched
            .get(i)
            .copied()
            .unwrap_or(false)
    };
    let groups: Vec<&AlignedGroup> = groups
        .filter(|g| g.derived.iter().any(|&i| !explained(i)))
        .collect();
    if groups.iter().map(|g| g.info).sum::<f32>() < MIN_PAIR_INFO {
        return Vec::new();
    }
    let mut out: Vec<usize> = groups
        .iter()
        .flat_map(|g| g.derived.iter().copied())
        .filter(|&i| !explained(i))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Share of the traced article's sentences explained by `a` that `o`
/// explains too.
fn overlap(a: &SourceMatch, o: &SourceMatch) -> f32 {
    let (mut both, mut of_a) = (0usize, 0usize);
    for (i, &m) in a.alignment.derived_matched.iter().enumerate() {
        if m {
            of_a += 1;
            if o.alignment.derived_matched.get(i).copied().unwrap_or(false) {
                both += 1;
            }
        }
    }
    if of_a == 0 {
        0.0
    } else {
        both as f32 / of_a as f32
    }
}

/// Whether the traced article carries `a`'s wording where `o` words it
/// otherwise: it has a sentence word for word from `a` that `o` holds
/// edited (a figure or a word changed, [`DIFFERENT_WORDING`]), carrying at
/// least [`WORDING_INFO`] nats. Then `a` is its source, not a fellow
/// rewrite: a copy of an update that changed a figure, or of a rewrite
/// that kept the wire story's sentences with edits. [`carried`] alone
/// misses this, as `o` explains each of those sentences. Not "a copy of
/// `a` and not of `o`": on l2r-dev, two LLM rewrites that edit the same
/// text lightly are often a `copy` of each other (39 more rewrites had a
/// fellow rewrite first, docs/SIBLINGS.md).
fn copies_wording(a: &SourceMatch, o: &SourceMatch) -> bool {
    // `o` holds the sentence edited: the same sentence with a figure or a
    // word changed (not a paraphrase, which two rewrites of `o` may share
    // by chance).
    let o_edited = |i: usize| {
        o.alignment.groups.iter().any(|g| {
            g.derived.contains(&i) && g.kind == MatchKind::Edited && g.score < DIFFERENT_WORDING
        })
    };
    a.alignment.groups.iter().any(|g| {
        g.kind == MatchKind::Verbatim
            && g.info >= WORDING_INFO
            && g.derived.iter().any(|&i| o_edited(i))
    })
}

/// Highest score of `o`'s group for a sentence that `a` matches word for
/// word at which `o` is said to word it otherwise (an edited figure or
/// word; not a dropped comma).
const DIFFERENT_WORDING: f32 = 0.97;

/// Least corpus information (nats) of a sentence carried word for word
/// from `a` for its wording to count (a sentence of news, not "Thank you").
const WORDING_INFO: f32 = 15.0;

/// The sentences of the traced article that carry material of `a` absent
/// from `o`: aligned to sentences of `a` that `o` lacks (unaligned in `ao`,
/// the alignment of `a` to `o`), not explained by `o` either, and aligned
/// literally (verbatim or edited), with at least [`MIN_PAIR_INFO`] nats of
/// corpus information over all of them; else none.
///
/// Why literal: two rewrites of one original that paraphrase the same
/// sentence of it, or add the same stock line ("risk analysis plays a
/// crucial role"), match each other as paraphrase where their alignment to
/// the original missed it; on the l2r-dev families that was most of what
/// looked like material of a fellow rewrite. Text carried word for word is
/// what copying leaves. Why the information floor: the one a pair needs to
/// be reuse at all, so a shared stock phrase or a date is not evidence. A
/// paraphrasing chain whose link added material is so taken for siblings:
/// a missed link, not a false one.
pub fn carried(a: &SourceMatch, o: &SourceMatch, ao: &Alignment) -> Vec<usize> {
    beyond(
        a.alignment
            .groups
            .iter()
            .filter(|g| matches!(g.kind, MatchKind::Verbatim | MatchKind::Edited))
            .filter(|g| g.source.iter().any(|&j| !ao.derived_matched[j])),
        o,
    )
}

impl Engine {
    /// The traced article's match against `o`, an unlisted candidate found
    /// to be the common original of it and a fellow rewrite
    /// (`through_fellow`): `related`, as the article alone shows too
    /// little of `o` to be reuse, with no changes (they are reported
    /// against a source the article shows it took).
    pub(crate) fn unlisted_original(
        &self,
        r: &AnalyzedArticle,
        o: &AnalyzedArticle,
        rarity: &TermRarity,
    ) -> SourceMatch {
        let alignment = self.align_candidates(r, o, rarity);
        SourceMatch {
            specificity: Specificity::of(r, o, &alignment, Some(rarity)),
            relation: Relation::Related,
            direction: unspun_align::direction(r, o, &alignment),
            score: 0.05,
            changes: unspun_changes::ChangeReport {
                per_group: vec![Vec::new(); alignment.groups.len()],
                article: Vec::new(),
            },
            alignment,
            source: o.clone(),
        }
    }

    /// Aligns candidate `a` (derived) to candidate `o` (source) as a trace
    /// aligns the article to a candidate: with the static model's evidence
    /// when the engine has one (a lexical alignment misses the paraphrases
    /// the trace found, and would count them as `a`'s own material), never
    /// with MiniLM re-scoring (too slow for an extra pair).
    pub(crate) fn align_candidates(
        &self,
        a: &AnalyzedArticle,
        o: &AnalyzedArticle,
        rarity: &TermRarity,
    ) -> Alignment {
        let Some(fast) = self.semantics.fast() else {
            return self.aligner.align_with(a, o, Some(rarity));
        };
        let embed = |x: &AnalyzedArticle| {
            let texts: Vec<&str> = (0..x.sentences.len()).map(|i| x.sentence_text(i)).collect();
            fast.embed(&texts)
        };
        match (embed(a), embed(o)) {
            (Ok(va), Ok(vo)) => {
                let semantic = Semantic {
                    kind: EmbeddingKind::Static,
                    derived: &va,
                    source: &vo,
                    rescore: None,
                };
                self.aligner
                    .align_semantic(a, o, Some(rarity), Some(&semantic))
            }
            _ => self.aligner.align_with(a, o, Some(rarity)),
        }
    }
}
