//! Which source each sentence of a traced article came from, and against
//! which sources its changes are reported.
//!
//! A story often reaches the store in several versions: the wire's first
//! take and its update, a syndicated copy, a later rewrite. A traced
//! article aligns to all of them, and the changes against each are true
//! differences of text. But "X changed the figures of Y" is a claim about
//! what X did, and where X took a sentence from Y's update, the update's
//! own edits are not X's. So a sentence's changes are reported only
//! against its **closest** sources: those whose aligned group scores best
//! for it (all of them on a tie, as a sentence found word for word in two
//! versions was changed from both alike). A source that is closest for no
//! sentence of the article (an earlier take the article did not copy from)
//! keeps its relation and alignment but reports no change. A change the
//! closest source also shows (the same words of the article, the same
//! words of the source) stays against a farther version too: it is a
//! difference of the article from both. And a `partial`
//! source lent a passage: the sentences it holds outside that passage were
//! never taken, so they are not reported as dropped.

use std::collections::HashSet;

use unspun_align::{AnalyzedArticle, Relation};
use unspun_changes::Change;

use crate::{rank, siblings, SourceMatch};

/// Scores closer than this are a tie.
const TIE: f32 = 1e-4;

/// Whether source `si` can carry changes: a derivation whose original is
/// the source (not a later article), not a sibling.
fn carries_changes(si: usize, s: &SourceMatch, siblings: &[siblings::Sibling]) -> bool {
    s.relation.is_derivation() && !rank::is_later(s) && !siblings.iter().any(|x| x.sibling == si)
}

/// Drops, from each source's change report, the changes of sentences that
/// another source explains better (see the module header). Per aligned
/// group: its changes stay when the group is the best (or tied best) for
/// one of its derived sentences. Article level: a change with derived
/// evidence stays when its sentences are closest to this source or to
/// none. One with source evidence only (a dropped sentence, a dropped
/// quote, a missing credit) stays only against the **primary** source, the
/// one closest for most sentences: "dropped" says what the article left
/// out of the story it was made from, not of every story it borrowed a
/// line from; and against a `partial` primary, only inside the passage it
/// lent (between its first and last aligned sentence). A source closest
/// for no sentence reports no change at all.
pub fn keep_closest_changes(sources: &mut [SourceMatch], siblings: &[siblings::Sibling]) {
    let n = sources
        .iter()
        .map(|s| s.alignment.derived_matched.len())
        .max()
        .unwrap_or(0);
    let mut best = vec![f32::NEG_INFINITY; n];
    for (si, s) in sources.iter().enumerate() {
        if !carries_changes(si, s, siblings) {
            continue;
        }
        for g in &s.alignment.groups {
            for &i in &g.derived {
                best[i] = best[i].max(g.score);
            }
        }
    }
    // For each source, the derived sentences it is closest for.
    let closest: Vec<Vec<bool>> = sources
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let mut closest = vec![false; n];
            if carries_changes(si, s, siblings) {
                for g in &s.alignment.groups {
                    for &i in &g.derived {
                        closest[i] |= g.score >= best[i] - TIE;
                    }
                }
            }
            closest
        })
        .collect();
    let count = |c: &[bool]| c.iter().filter(|&&x| x).count();
    let primary = (0..sources.len())
        .filter(|&si| count(&closest[si]) > 0)
        .max_by(|&a, &b| count(&closest[a]).cmp(&count(&closest[b])).then(b.cmp(&a)));
    // The changes the closest sources report of their sentences. The same
    // change found against a farther version (both versions say "risen",
    // the article "eased") is true of that version too, and stays: only a
    // difference the versions do not share, an update's own edit, is not
    // the article's (llm-rewrites-dev reuters-12942: the article fixed a
    // typo and a possessive the way another version words them, which
    // made that version closer).
    let key = |c: &Change| {
        (
            c.kind,
            c.derived.as_ref().map(|x| (x.start, x.end)),
            c.source.as_ref().map(|x| x.text.clone()),
        )
    };
    let mut confirmed = HashSet::new();
    for (si, s) in sources.iter().enumerate() {
        if !carries_changes(si, s, siblings) {
            continue;
        }
        for (changes, g) in s.changes.per_group.iter().zip(&s.alignment.groups) {
            if g.derived.iter().any(|&i| g.score >= best[i] - TIE) {
                confirmed.extend(changes.iter().map(key));
            }
        }
    }
    // New material (a sentence no source explains) is new against every
    // closest source alike.
    let unexplained = |i: usize| best.get(i).is_none_or(|b| *b == f32::NEG_INFINITY);
    for (si, s) in sources.iter_mut().enumerate() {
        if !carries_changes(si, s, siblings) {
            continue;
        }
        let closest = &closest[si];
        if !closest.contains(&true) {
            s.changes.per_group.iter_mut().for_each(Vec::clear);
            s.changes.article.clear();
            continue;
        }
        for (changes, g) in s.changes.per_group.iter_mut().zip(&s.alignment.groups) {
            if !g.derived.iter().any(|&i| g.score >= best[i] - TIE) {
                changes.retain(|c| confirmed.contains(&key(c)));
            }
        }
        // A partial source lent a passage: what it holds outside that
        // passage was never taken, so not dropped either.
        let passage = (s.relation == Relation::Partial)
            .then(|| {
                let aligned = s
                    .alignment
                    .groups
                    .iter()
                    .flat_map(|g| g.source.iter().copied());
                Some((aligned.clone().min()?, aligned.max()?))
            })
            .flatten();
        let is_primary = primary == Some(si);
        s.changes.article.retain(|c| {
            if c.derived_sentences.is_empty() {
                return is_primary
                    && passage.is_none_or(|(first, last)| {
                        c.source_sentences.iter().all(|&j| first <= j && j <= last)
                    });
            }
            c.derived_sentences
                .iter()
                .any(|&i| closest.get(i).copied().unwrap_or(false) || unexplained(i))
        });
    }
}

/// For each sentence of `article`, the index of the source whose alignment
/// explains it best (highest group score), or `None`. Articles that may be
/// the article's source come first: one published after it (see
/// [`rank`]) gets a sentence only when no earlier article explains it, as
/// a copy of this article matches its sentences word for word. A sibling
/// (a fellow rewrite of the article's original) likewise gets a sentence
/// only when no other source explains it. On equal scores the source
/// listed first wins (the original before its copies).
pub fn attribute(
    article: &AnalyzedArticle,
    sources: &[SourceMatch],
    siblings: &[siblings::Sibling],
) -> Vec<Option<usize>> {
    let mut best: Vec<Option<(usize, bool, f32)>> = vec![None; article.sentences.len()];
    for (si, s) in sources.iter().enumerate() {
        if !s.relation.is_derivation() {
            continue;
        }
        let later = rank::is_later(s) || siblings.iter().any(|x| x.sibling == si);
        for g in &s.alignment.groups {
            for &i in &g.derived {
                let better = match best[i] {
                    None => true,
                    Some((_, best_later, sc)) => {
                        (best_later && !later) || (best_later == later && g.score > sc)
                    }
                };
                if better {
                    best[i] = Some((si, later, g.score));
                }
            }
        }
    }
    best.into_iter().map(|b| b.map(|(si, _, _)| si)).collect()
}
