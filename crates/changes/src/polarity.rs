//! Negation and antonym swaps.
//!
//! A negation ("not", "no", "never", "n't", "without", "nobody", ...) counts
//! once per occurrence; a group whose two sides hold different numbers of
//! negations had one added or removed. Some are not: "not only" / "not just"
//! / "not least" do not negate, "No. 10" is a number, and a negation folded
//! into a prefixed word ("not certain" / "uncertain", "did not agree" /
//! "disagreed") says the same thing.
//!
//! An antonym swap is a word of one side of a pair ("raised") on one side of
//! the group and a word of the other side ("cut") on the other, where
//! neither side also has the other's word. The list is small and built in:
//! directions of change, decisions, outcomes.

use unspun_segment::{Token, TokenKind};

use crate::text::Doc;
use crate::{Change, ChangeType, Severity};

const NEGATIONS: &[&str] = &[
    "cannot", "neither", "never", "no", "nobody", "none", "nor", "not", "nothing", "nowhere",
    "without",
];

/// Whether token `k` of `toks` negates.
fn negates(toks: &[&Token], k: usize) -> bool {
    let t = toks[k];
    if t.kind != TokenKind::Word {
        return false;
    }
    let n = t.norm.as_str();
    if n.ends_with("n't") {
        return true;
    }
    if !NEGATIONS.contains(&n) {
        return false;
    }
    let next = toks.get(k + 1);
    match n {
        "not" => {
            !next.is_some_and(|x| matches!(x.norm.as_str(), "only" | "just" | "least" | "merely"))
        }
        "no" => !next.is_some_and(|x| x.kind == TokenKind::Number || x.norm == "doubt"),
        _ => true,
    }
}

/// How many negations `toks` hold (the content-change detector asks: an
/// antonym with a negation added or removed says the same thing, "not
/// eligible" / "ineligible").
pub(crate) fn negations(toks: &[&Token]) -> usize {
    (0..toks.len()).filter(|&k| negates(toks, k)).count()
}

const NEG_PREFIXES: &[&str] = &["un", "in", "im", "ir", "il", "dis", "non"];

/// Whether the negation at `k` of `toks` is said by a prefixed word in `other`
/// ("not certain" → "uncertainty").
fn folded(toks: &[&Token], k: usize, other: &[&Token]) -> bool {
    toks[k + 1..].iter().take(3).filter(|t| !t.stop).any(|w| {
        other.iter().any(|o| {
            NEG_PREFIXES.iter().any(|p| {
                o.norm.strip_prefix(p).is_some_and(|rest| {
                    let common = rest
                        .chars()
                        .zip(w.norm.chars())
                        .take_while(|(a, b)| a == b)
                        .count();
                    common >= 5 || (common >= 4 && common == w.norm.len().min(rest.len()))
                })
            })
        })
    })
}

/// Antonym pairs: (one side, the other side), as surface norms. The first
/// two are poles rather than pairs: any word of a direction of change
/// against any word of the other ("Tensions have risen" / "Tensions have
/// eased", "will taper off" / "will climb further"), and any word of
/// approval against any of refusal ("flatly rejected" / "firmly
/// endorsed"). A rewrite words a rise as "climbed" as often as "rose", so a
/// pair of two words would miss most reversals (llm-rewrites-dev).
const ANTONYMS: &[(&[&str], &[&str])] = &[
    (
        &[
            "rise",
            "rises",
            "rose",
            "risen",
            "rising",
            "raise",
            "raises",
            "raised",
            "raising",
            "increase",
            "increases",
            "increased",
            "increasing",
            "climb",
            "climbs",
            "climbed",
            "climbing",
            "grow",
            "grows",
            "grew",
            "grown",
            "growing",
            "jump",
            "jumps",
            "jumped",
            "jumping",
            "surge",
            "surges",
            "surged",
            "surging",
            "soar",
            "soars",
            "soared",
            "soaring",
            "strengthen",
            "strengthens",
            "strengthened",
            "strengthening",
            "expand",
            "expands",
            "expanded",
            "expanding",
            "higher",
            "rebound",
            "rebounded",
            "rebounding",
            "accelerate",
            "accelerated",
            "accelerating",
        ],
        &[
            "fall",
            "falls",
            "fell",
            "fallen",
            "falling",
            "cut",
            "cuts",
            "cutting",
            "lower",
            "lowers",
            "lowered",
            "lowering",
            "decrease",
            "decreases",
            "decreased",
            "decreasing",
            "reduce",
            "reduces",
            "reduced",
            "reducing",
            "decline",
            "declines",
            "declined",
            "declining",
            "drop",
            "drops",
            "dropped",
            "dropping",
            "ease",
            "eases",
            "eased",
            "plunge",
            "plunges",
            "plunged",
            "plunging",
            "slump",
            "slumps",
            "slumped",
            "slumping",
            "tumble",
            "tumbles",
            "tumbled",
            "tumbling",
            "weaken",
            "weakens",
            "weakened",
            "weakening",
            "shrink",
            "shrinks",
            "shrank",
            "shrunk",
            "shrinking",
            "contract",
            "contracted",
            "contracting",
            "taper",
            "tapered",
            "tapering",
            "slow",
            "slowed",
            "slowing",
            "decelerate",
            "decelerated",
            "decelerating",
        ],
    ),
    (
        &[
            "approve",
            "approves",
            "approved",
            "approving",
            "accept",
            "accepts",
            "accepted",
            "accepting",
            "support",
            "supports",
            "supported",
            "supporting",
            "endorse",
            "endorses",
            "endorsed",
            "endorsing",
        ],
        &[
            "reject",
            "rejects",
            "rejected",
            "rejecting",
            "refuse",
            "refuses",
            "refused",
            "refusing",
            "oppose",
            "opposes",
            "opposed",
            "opposing",
        ],
    ),
    (
        &["improve", "improves", "improved", "improving"],
        &[
            "worsen",
            "worsens",
            "worsened",
            "worsening",
            "deteriorate",
            "deteriorates",
            "deteriorated",
            "deteriorating",
        ],
    ),
    (&["sure", "certain", "likely"], &["unlikely", "doubtful"]),
    (
        &["gain", "gains", "gained", "gaining"],
        &["loss", "losses", "lose", "loses", "lost", "losing"],
    ),
    (
        &["win", "wins", "won", "winning"],
        &["lose", "loses", "lost", "losing"],
    ),
    (
        &["confirm", "confirms", "confirmed", "confirming"],
        &["deny", "denies", "denied", "denying"],
    ),
    (
        &["allow", "allows", "allowed", "allowing"],
        &[
            "ban",
            "bans",
            "banned",
            "banning",
            "forbid",
            "forbade",
            "prohibit",
            "prohibited",
        ],
    ),
    (&["acquit", "acquitted"], &["convict", "convicted"]),
    (
        &["agree", "agrees", "agreed"],
        &["disagree", "disagrees", "disagreed"],
    ),
    (&["profit", "profits"], &["loss", "losses"]),
];

/// Compares negation and polarity of derived sentences `ds` and source sentences `ss`.
pub(crate) fn compare(d: &Doc, ds: &[usize], s: &Doc, ss: &[usize], out: &mut Vec<Change>) {
    let dt: Vec<&Token> = d.tokens_of(ds).collect();
    let st: Vec<&Token> = s.tokens_of(ss).collect();
    let dn: Vec<usize> = (0..dt.len()).filter(|&k| negates(&dt, k)).collect();
    let sn: Vec<usize> = (0..st.len()).filter(|&k| negates(&st, k)).collect();
    let dn: Vec<usize> = dn.into_iter().filter(|&k| !folded(&dt, k, &st)).collect();
    let sn: Vec<usize> = sn.into_iter().filter(|&k| !folded(&st, k, &dt)).collect();
    // Pair negations of the same word, first in the same context (the word
    // after), then anywhere; what is left on the longer side was added or
    // removed. Different negating words on both sides ("no" / "never")
    // balance each other: the count is what matters.
    let (rd, rs) = unpaired(&dt, &dn, &st, &sn);
    let d_all: Vec<&Token> = d.a.tokens.iter().flatten().collect();
    let s_all: Vec<&Token> = s.a.tokens.iter().flatten().collect();
    if rd.len() > rs.len() {
        for &k in rd[..rd.len() - rs.len()]
            .iter()
            .filter(|&&k| flips(&dt, k, &st, &d_all, &s_all))
        {
            out.push(
                Change::new(
                    ChangeType::NegationChanged,
                    Severity::Major,
                    format!("negation added: \"{}\"", dt[k].span.text(d.text())),
                )
                .derived_span(d.a, dt[k].span)
                .with_source_sentences(ss),
            );
        }
    } else if rs.len() > rd.len() {
        for &k in rs[..rs.len() - rd.len()]
            .iter()
            .filter(|&&k| flips(&st, k, &dt, &s_all, &d_all))
        {
            out.push(
                Change::new(
                    ChangeType::NegationChanged,
                    Severity::Major,
                    format!("negation removed: \"{}\"", st[k].span.text(s.text())),
                )
                .source_span(s.a, st[k].span)
                .with_derived_sentences(ds),
            );
        }
    }
    for (a, b) in ANTONYMS {
        for (x, y) in [(a, b), (b, a)] {
            // One y became x ("rose ... fell" -> "fell ... fell").
            let at = |toks: &[&Token], w: &[&str]| -> Vec<usize> {
                (0..toks.len())
                    .filter(|&k| w.contains(&toks[k].norm.as_str()))
                    .collect()
            };
            let (dx_all, dy_all) = (at(&dt, x), at(&dt, y));
            let (sx_all, sy_all) = (at(&st, x), at(&st, y));
            // The derived side says x more often than the source, and says
            // y less often. Or no more often, when a y word of the source is
            // gone from it: a rewrite that words "up 0.7%" as "0.7% higher"
            // adds a y elsewhere (llm-rewrites-dev bbc-business-156,
            // reuters-20264), but one that keeps the source's "lower
            // prices" and adds "sharply higher" for "a sharp boost" turned
            // no y into an x (reuters-17187).
            let gone: Vec<usize> = sy_all
                .iter()
                .copied()
                .filter(|&j| !dy_all.iter().any(|&k| dt[k].norm == st[j].norm))
                .collect();
            let fewer = dy_all.len() < sy_all.len();
            if !(dx_all.len() > sx_all.len()
                && (fewer || (!gone.is_empty() && dy_all.len() == sy_all.len())))
            {
                continue;
            }
            // The new x is one whose neighbours no source x has; the old y
            // a y word gone from the derived side, else one whose
            // neighbours no derived y has.
            let ctx = |toks: &[&Token], k: usize| {
                (
                    k.checked_sub(1).map(|p| toks[p].norm.clone()),
                    toks.get(k + 1).map(|t| t.norm.clone()),
                )
            };
            let dx = dx_all
                .iter()
                .copied()
                .find(|&k| !sx_all.iter().any(|&j| ctx(&st, j) == ctx(&dt, k)))
                .unwrap_or(dx_all[0]);
            let sy = gone.first().copied().unwrap_or_else(|| {
                sy_all
                    .iter()
                    .copied()
                    .find(|&j| !dy_all.iter().any(|&k| ctx(&dt, k) == ctx(&st, j)))
                    .unwrap_or(sy_all[0])
            });
            // The same thing must go the other way: a content word next to
            // the new word is next to the old one too ("exports rose" /
            // "exports fell"). Two directions of two different things in a
            // merged sentence are no reversal.
            let around = |toks: &[&Token], k: usize| -> Vec<String> {
                toks[k.saturating_sub(4)..(k + 5).min(toks.len())]
                    .iter()
                    .filter(|t| t.kind == TokenKind::Word && !t.stop && t.span != toks[k].span)
                    .map(|t| t.stem.clone())
                    .collect()
            };
            let (da, sa) = (around(&dt, dx), around(&st, sy));
            if !da.iter().any(|w| sa.contains(w)) {
                continue;
            }
            let (dx, sy) = (dt[dx], st[sy]);
            out.push(
                Change::new(
                    ChangeType::PolarityChanged,
                    Severity::Major,
                    format!(
                        "antonym: \"{}\" became \"{}\"",
                        sy.span.text(s.text()),
                        dx.span.text(d.text())
                    ),
                )
                .derived_span(d.a, dx.span)
                .source_span(s.a, sy.span),
            );
        }
    }
    // One word can sit in two pairs (lost: win/lose and gain/loss): report once.
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| {
        c.kind != ChangeType::PolarityChanged
            || seen.insert((
                c.derived.as_ref().map(|x| x.start),
                c.source.as_ref().map(|x| x.start),
            ))
    });
}

/// Verbs and adjectives that carry a negation in their meaning: "declined
/// to elaborate" is "would not elaborate", "lacked a definition" is "had no
/// definition", "failed to provide" is "did not provide". A closed class
/// (negative implicatives and their adjectives), matched by stem.
const IMPLICIT_NEGATIVES: &[&str] = &[
    "declin", "refus", "fail", "failur", "lack", "unabl", "unavail", "imposs", "unlik", "against",
    "avoid", "absent", "absenc", "instead", "rather", "neglect", "deni", "untouch", "outsid",
    // "have yet to feed through" is "have not fed through".
    "yet",
];

pub(crate) fn implicit_negative(t: &Token) -> bool {
    IMPLICIT_NEGATIVES.contains(&t.stem.as_str())
}

/// The word a negation at `k` negates: the first content word within the
/// next six ("did not *elaborate*", "no *estimate*").
fn scope<'t>(toks: &[&'t Token], k: usize) -> Option<&'t Token> {
    toks[k + 1..]
        .iter()
        .take(6)
        .find(|t| t.kind == TokenKind::Word && !t.stop && !NEGATIONS.contains(&t.norm.as_str()))
        .copied()
}

/// Whether the unpaired negation at `k` of `toks` reverses the meaning of
/// the aligned sentences `other` (of an article whose tokens are
/// `other_all`). Judged on meaning: the negated word must be on the other
/// side, not negated there in other words ("declined to elaborate" /
/// "would not elaborate"), and negated more often in this article than in
/// the other (not a negation that moved to another sentence). A negation whose word the
/// other side does not have is a rewording ("will not affect" / "would
/// leave untouched"), not evidence of a reversal.
fn flips(
    toks: &[&Token],
    k: usize,
    other: &[&Token],
    this_all: &[&Token],
    other_all: &[&Token],
) -> bool {
    // Nothing to judge the meaning on ("it is not."): counted as before.
    let Some(word) = scope(toks, k) else {
        return true;
    };
    if !other.iter().any(|t| t.stem == word.stem) {
        return false;
    }
    // The other side says the negation with a negative word this side does
    // not have ("declined to", "failed to", "lacked").
    if other
        .iter()
        .any(|t| implicit_negative(t) && !toks.iter().any(|x| x.stem == t.stem))
    {
        return false;
    }
    // Negated there too, by a negation or a negative word up to four words
    // before it, or by being one ("not yet" / "yet to").
    let negated_in = |all: &[&Token]| {
        (0..all.len()).any(|i| {
            (negates(all, i) || implicit_negative(all[i]))
                && all[i..].iter().take(5).any(|t| t.stem == word.stem)
        })
    };
    // Over the whole article, the rewrite negates the word more often than
    // the source does: a negation that only moved to another sentence is
    // no reversal.
    let negated_count = |all: &[&Token]| {
        (0..all.len())
            .filter(|&i| all[i].stem == word.stem)
            .filter(|&i| {
                (i.saturating_sub(4)..i).any(|j| negates(all, j) || implicit_negative(all[j]))
                    || implicit_negative(all[i])
            })
            .count()
    };
    !negated_in(other) && negated_count(this_all) > negated_count(other_all)
}

/// Negations of each side left after pairing same words, first by context.
fn unpaired(dt: &[&Token], dn: &[usize], st: &[&Token], sn: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let next = |toks: &[&Token], k: usize| toks.get(k + 1).map(|t| t.norm.clone());
    let mut d_used = vec![false; dn.len()];
    let mut s_used = vec![false; sn.len()];
    for with_context in [true, false] {
        for (a, &k) in dn.iter().enumerate() {
            if d_used[a] {
                continue;
            }
            if let Some(b) = (0..sn.len()).find(|&b| {
                !s_used[b]
                    && st[sn[b]].norm == dt[k].norm
                    && (!with_context || next(st, sn[b]) == next(dt, k))
            }) {
                d_used[a] = true;
                s_used[b] = true;
            }
        }
    }
    (
        dn.iter()
            .zip(&d_used)
            .filter(|x| !*x.1)
            .map(|x| *x.0)
            .collect(),
        sn.iter()
            .zip(&s_used)
            .filter(|x| !*x.1)
            .map(|x| *x.0)
            .collect(),
    )
}
