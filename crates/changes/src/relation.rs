//! How two words relate in WordNet: the same lemma, synonyms, one more
//! general than the other, antonyms, sisters under a close common class
//! ("year" / "month": time periods; "chairman" / "treasurer"), or
//! unrelated. The content-change detector ([`crate::content`]) asks this of
//! each word a rewrite put in place of another.
//!
//! Synonymy and generality are judged generously (any sense of either
//! word), so that a rewording is not taken for a change; sisterhood is
//! judged strictly (the two most frequent noun senses of each, a common
//! hypernym at most two steps up from both and specific enough), so that
//! only a swap within a narrow class counts.

use crate::wordnet::{Pos, SynsetId, WordNet};

/// The relation of two words, from most to least harmless.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Relation {
    /// One lemma ("rose" / "rising"), or the same word.
    Same,
    /// They share a synset in some sense.
    Synonym,
    /// One is a more general kind of the other in some sense ("dog" /
    /// "animal").
    Broader,
    /// Antonyms (directly, or an adjective of a cluster against the other
    /// cluster's head: "huge" / "small"), as this part of speech.
    Antonym(Pos),
    /// Different members of one narrow class: the common hypernym.
    Sister(SynsetId),
    /// One word is the other with a negating prefix ("uncrewed" /
    /// "crewed"): an antonym WordNet rarely lists. Judged by
    /// [`crate::content`] on the words themselves, not by [`relation`].
    NegatingPrefix,
    /// Two units of time ("hours" / "minutes"): sisters WordNet's senses
    /// blur ("minute" is also "a short time"). Judged by
    /// [`crate::content`] on the words' stems, not by [`relation`].
    OtherUnitOfTime,
    /// Both known, no relation found.
    Unrelated,
    /// WordNet does not know one of them.
    Unknown,
}

/// How many of a noun lemma's senses (most frequent first) count for
/// sisterhood.
const SISTER_SENSES: usize = 2;
/// How far up (hypernym steps) a common class may be from either word.
const SISTER_HOPS: usize = 2;
/// How many hypernym steps up "more general" may look.
const BROADER_HOPS: usize = 4;

/// The lexicographer files (`lexnames(5WN)`) whose classes hold members a
/// fact can name: `noun.time` (durations, months, days), `noun.person`
/// (roles), `noun.animal`, `noun.plant`, `noun.food`, `noun.object`,
/// `noun.body`. Abstract files (`noun.act`, `noun.event`, `noun.cognition`,
/// `noun.phenomenon`, ...) are left out: there sisters are near-synonyms
/// ("fallout" / "aftermath", "goals" / "plans"), and so is `noun.Tops`
/// ("person", "artifact": too general to be a class).
const FACT_CLASSES: &[u8] = &[28, 18, 5, 20, 13, 17, 8];
/// `noun.attribute` holds colours ("chromatic color", depth 6) but also
/// near-synonyms under shallow classes ("worth": "value" / "merit"): only
/// its classes this deep count.
const ATTRIBUTE: (u8, usize) = (7, 6);
/// The least depth of a class in the files above ("time unit": 3).
const MIN_FACT_DEPTH: usize = 3;

/// The lemmas of `w` in each part of speech.
fn lemmas(wn: &WordNet, w: &str) -> [Vec<String>; 4] {
    Pos::ALL.map(|p| wn.lemmas(w, p))
}

fn senses(wn: &WordNet, lemmas: &[String], pos: Pos) -> Vec<SynsetId> {
    let mut out = Vec::new();
    for l in lemmas {
        for &s in wn.synsets(l, pos) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// The hypernyms of `s` up to `hops` steps, with their distance.
pub(crate) fn ancestors(wn: &WordNet, s: SynsetId, hops: usize) -> Vec<(SynsetId, usize)> {
    let mut out = vec![(s, 0)];
    let mut frontier = vec![s];
    for d in 1..=hops {
        let mut next = Vec::new();
        for f in frontier {
            for &h in &wn.synset(f).hypernyms {
                if !out.iter().any(|&(x, _)| x == h) {
                    out.push((h, d));
                    next.push(h);
                }
            }
        }
        frontier = next;
    }
    out
}

/// Steps from `s` to a root along first hypernyms.
fn depth(wn: &WordNet, mut s: SynsetId) -> usize {
    let mut d = 0;
    while let Some(&h) = wn.synset(s).hypernyms.first() {
        d += 1;
        s = h;
        if d > 40 {
            break;
        }
    }
    d
}

/// Whether a word of `la` in some sense has an antonym that is a word of
/// `lb` (directly, a pointer between the two words), or, for adjectives,
/// whether the first sense of a lemma of `la` is a satellite of a head whose
/// antonym is the first sense of a lemma of `lb` or that sense's head
/// ("huge" → large ↔ small). Indirect antonyms through other senses are
/// left out: "previous" and "earlier" meet that way.
fn antonyms(wn: &WordNet, pos: Pos, la: &[String], lb: &[String]) -> bool {
    let word_in = |s: SynsetId, k: u8, ls: &[String]| {
        wn.synset(s)
            .words
            .get(k as usize)
            .is_some_and(|w| ls.contains(w))
    };
    let sb = senses(wn, lb, pos);
    for a in senses(wn, la, pos) {
        for &(k, t, tk) in &wn.synset(a).antonyms {
            if word_in(a, k, la) && sb.contains(&t) && word_in(t, tk, lb) {
                return true;
            }
        }
    }
    if pos != Pos::Adj {
        return false;
    }
    let first = |ls: &[String]| -> Vec<SynsetId> {
        ls.iter()
            .filter_map(|l| wn.synsets(l, pos).first().copied())
            .collect()
    };
    let fb = first(lb);
    first(la).iter().any(|&a| {
        wn.synset(a).similar.iter().any(|&h| {
            wn.synset(h).antonyms.iter().any(|&(_, t, _)| {
                fb.iter()
                    .any(|&b| b == t || wn.synset(b).similar.contains(&t))
            })
        })
    })
}

/// Whether synset `c` is a class whose members name different facts.
fn fact_class(wn: &WordNet, c: SynsetId) -> bool {
    let lex = wn.synset(c).lexfile;
    let d = depth(wn, c);
    (FACT_CLASSES.contains(&lex) && d >= MIN_FACT_DEPTH) || (lex == ATTRIBUTE.0 && d >= ATTRIBUTE.1)
}

/// The relation of words `a` and `b` (normalised, lower case).
pub(crate) fn relation(wn: &WordNet, a: &str, b: &str) -> Relation {
    if a == b {
        return Relation::Same;
    }
    let la = lemmas(wn, a);
    let lb = lemmas(wn, b);
    if la.iter().all(Vec::is_empty) || lb.iter().all(Vec::is_empty) {
        return Relation::Unknown;
    }
    if Pos::ALL
        .iter()
        .any(|&p| la[p as usize].iter().any(|l| lb[p as usize].contains(l)))
    {
        return Relation::Same;
    }
    let sa: [Vec<SynsetId>; 4] = Pos::ALL.map(|p| senses(wn, &la[p as usize], p));
    let sb: [Vec<SynsetId>; 4] = Pos::ALL.map(|p| senses(wn, &lb[p as usize], p));
    for p in Pos::ALL {
        let (x, y) = (&sa[p as usize], &sb[p as usize]);
        if x.iter().any(|s| y.contains(s)) {
            return Relation::Synonym;
        }
    }
    for p in Pos::ALL {
        let (x, y) = (&la[p as usize], &lb[p as usize]);
        if antonyms(wn, p, x, y) || antonyms(wn, p, y, x) {
            return Relation::Antonym(p);
        }
    }
    for p in [Pos::Noun, Pos::Verb] {
        let (x, y) = (&sa[p as usize], &sb[p as usize]);
        let up = |v: &[SynsetId]| -> Vec<SynsetId> {
            v.iter()
                .flat_map(|&s| ancestors(wn, s, BROADER_HOPS))
                .map(|(s, _)| s)
                .collect()
        };
        let (ux, uy) = (up(x), up(y));
        if x.iter().any(|s| uy.contains(s)) || y.iter().any(|s| ux.contains(s)) {
            return Relation::Broader;
        }
    }
    // The most frequent senses of each lemma ("minutes": the record of a
    // meeting, and "minute": the time unit).
    let top = |ls: &[String]| -> Vec<(SynsetId, usize)> {
        ls.iter()
            .flat_map(|l| wn.synsets(l, Pos::Noun).iter().take(SISTER_SENSES))
            .flat_map(|&s| ancestors(wn, s, SISTER_HOPS))
            .collect()
    };
    let (tx, ty) = (top(&la[Pos::Noun as usize]), top(&lb[Pos::Noun as usize]));
    let mut best: Option<(usize, SynsetId)> = None;
    for &(c, dx) in &tx {
        if dx == 0 {
            continue;
        }
        if let Some(&(_, dy)) = ty.iter().find(|&&(s, d)| s == c && d > 0) {
            if fact_class(wn, c) && best.is_none_or(|(b, _)| dx + dy < b) {
                best = Some((dx + dy, c));
            }
        }
    }
    match best {
        Some((_, c)) => Relation::Sister(c),
        None => Relation::Unrelated,
    }
}

/// A readable name for synset `s`: its first word, spaces for `_`.
pub(crate) fn name(wn: &WordNet, s: SynsetId) -> String {
    wn.synset(s)
        .words
        .first()
        .map_or_else(String::new, |w| w.replace('_', " "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wordnet::tests::wordnet;

    #[test]
    fn relations_of_real_edits() {
        let wn = wordnet();
        let r = |a: &str, b: &str| relation(&wn, a, b);
        // SummEdits and llm-rewrites-dev edits.
        assert!(matches!(r("year", "month"), Relation::Sister(_)));
        assert!(matches!(r("yellow", "pink"), Relation::Sister(_)));
        assert!(matches!(r("blue", "green"), Relation::Sister(_)));
        assert!(matches!(r("rose", "fell"), Relation::Antonym(_)));
        assert!(matches!(r("increased", "decreased"), Relation::Antonym(_)));
        assert!(matches!(r("large", "small"), Relation::Antonym(_)));
        assert!(matches!(r("overseas", "domestic"), Relation::Antonym(_)));
        assert!(matches!(r("highest", "lowest"), Relation::Antonym(_)));
        // Indirect antonyms through rarer senses are not counted
        // (llm-rewrites-dev bbc-business-044, bbc-tech-250).
        assert!(!matches!(r("previous", "earlier"), Relation::Antonym(_)));
        assert!(!matches!(r("latest", "newest"), Relation::Antonym(_)));
        assert!(matches!(r("days", "weeks"), Relation::Sister(_)));
        assert!(matches!(r("hour", "day"), Relation::Sister(_)));
        // "hour" and "minute" share a synset ("moment"): synonyms, generously.
        assert_eq!(r("hours", "minutes"), Relation::Synonym);
        assert!(matches!(r("chairman", "secretary"), Relation::Sister(_)));
        assert!(matches!(r("boss", "manager"), Relation::Sister(_)));
        // Near-synonyms under abstract or too general classes.
        for (a, b) in [
            ("fallout", "aftermath"),
            ("goals", "plans"),
            ("value", "merit"),
            ("collapse", "accident"),
            ("road", "pavement"),
            ("buying", "procurement"),
        ] {
            assert!(!matches!(r(a, b), Relation::Sister(_)), "{a} / {b}");
        }
        // Rewordings.
        assert_eq!(r("talks", "negotiations"), Relation::Synonym);
        assert_eq!(r("firm", "business"), Relation::Broader);
        assert_eq!(r("dog", "animal"), Relation::Broader);
        // Cousins in WordNet (business → enterprise; company → institution):
        // unrelated, which the detector leaves alone.
        assert_eq!(r("firm", "company"), Relation::Unrelated);
        assert_eq!(r("rose", "rising"), Relation::Same);
        assert_eq!(r("xqzv", "month"), Relation::Unknown);
    }
}

#[cfg(test)]
mod debug {
    use super::*;
    use crate::wordnet::tests::wordnet;

    /// A diagnostic, not a check: prints the relation of each pair in
    /// `WN_PAIRS` ("year/month,boss/manager") with the first noun senses'
    /// hypernyms. `WN_PAIRS=a/b cargo test -p unspun-changes --lib wn_debug
    /// -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn wn_debug() {
        let wn = wordnet();
        let pairs = std::env::var("WN_PAIRS").unwrap_or_default();
        for p in pairs.split(',') {
            let mut it = p.split('/');
            let (a, b) = (it.next().unwrap(), it.next().unwrap());
            let r = relation(&wn, a, b);
            let show = |w: &str| {
                wn.senses(w, Pos::Noun)
                    .iter()
                    .take(3)
                    .map(|&s| {
                        let anc: Vec<String> = ancestors(&wn, s, 3)
                            .iter()
                            .map(|&(x, d)| format!("{}:{}", name(&wn, x), d))
                            .collect();
                        format!("[lex {} {}]", wn.synset(s).lexfile, anc.join(" "))
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let r = match r {
                Relation::Sister(c) => format!(
                    "Sister({} lex {} depth {})",
                    name(&wn, c),
                    wn.synset(c).lexfile,
                    depth(&wn, c)
                ),
                r => format!("{r:?}"),
            };
            println!("{a}/{b}: {r}\n  {a}: {}\n  {b}: {}", show(a), show(b));
        }
    }
}
