//! A person's role as the rewrite gives it (issue 15): "chief financial
//! officer Tim Howard" → "chief operating officer Tim Howard", "Central Bank
//! Governor Chang" → "Central Bank Deputy Governor Chang", "William Plante,
//! director of corporate security" → "William Plante, vice president of
//! corporate security".
//!
//! Why a detector of its own: the content-word detector ([`crate::content`])
//! judges the words a diff of two sentences lines up, and in a sentence
//! reworded throughout it leaves roles alone, because there "boss" /
//! "manager" is how the sentence was reworded. A role written next to the
//! same person's name on both sides is anchored by that name: whatever else
//! the rewrite did to the sentence, it says who that person is. On
//! llm-rewrites-dev, 9 of the 11 planted content-word changes the detectors
//! missed were such roles.
//!
//! A role is the run of role words right before a name ("BCC director
//! general David Frost") or the appositive right after it ("William Plante,
//! director of corporate security and fraud protection,"). Role words are
//! titles, nouns WordNet files as persons (`noun.person`), and the words
//! that qualify titles ("chief", "financial", "deputy"). For one person
//! named in both sides of an aligned group:
//!
//! * a rank added or removed ("deputy", "vice", "acting", "former") is a
//!   change;
//! * a word put in place of another is a change unless WordNet relates the
//!   two as one lemma, synonyms or one more general than the other, or the
//!   new word is a generic head ("boss", "head", "chief");
//! * a role only shortened or lengthened ("chief executive" / "chief
//!   executive officer", "finance minister" / "minister") is not: it says
//!   less or more, not something else.

use unspun_segment::{Span, Token, TokenKind};

use crate::entities::{is_title, Entity};
use crate::relation::{self, Relation};
use crate::text::{same_name, Doc};
use crate::wordnet::{Pos, SynsetId, WordNet};
use crate::{Change, ChangeType, Severity};

/// `noun.person`: the lexicographer file of roles.
const PERSON: u8 = 18;

/// Words that rank a role: one added or removed makes another post
/// ("Governor" / "Deputy Governor", "president" / "former president").
const RANKS: &[&str] = &[
    "deputy",
    "vice",
    "assistant",
    "acting",
    "interim",
    "associate",
    "former",
    "co",
    "under",
];

/// Words that qualify a title without being one: kept in a role so that
/// "chief financial officer" and "chief operating officer" differ.
const QUALIFIERS: &[&str] = &[
    "chief",
    "general",
    "executive",
    "senior",
    "managing",
    "financial",
    "finance",
    "operating",
    "technical",
    "technology",
    "commercial",
    "marketing",
    "foreign",
    "prime",
    "home",
    "economic",
    "political",
    "legal",
    "press",
    "principal",
    "lead",
    "head",
    "top",
    "news",
    "trade",
    "defence",
    "defense",
    "health",
    "education",
    "justice",
    "interior",
    "treasury",
];

/// Heads that name no post of their own: "the United boss" is the manager,
/// "the bank's chief" its governor. Put in place of a role, or a role in
/// place of them, they are a rewording.
const GENERIC: &[&str] = &["boss", "head", "chief", "leader", "official", "executive"];

/// Initials of roles, expanded before comparing ("CEO" / "chief executive").
const INITIALS: &[(&str, &[&str])] = &[
    ("ceo", &["chief", "executive", "officer"]),
    ("cfo", &["chief", "financial", "officer"]),
    ("coo", &["chief", "operating", "officer"]),
    ("cto", &["chief", "technology", "officer"]),
    ("md", &["managing", "director"]),
    ("pm", &["prime", "minister"]),
];

/// Words that end an appositive role ("Smith, director of X, said").
const APPOSITIVE_END: &[&str] = &["said", "says", "told", "who", "which", "whose"];

/// Most tokens of a role.
const MAX_ROLE: usize = 10;

/// A role given to a person: its words (normalised, initials expanded) and
/// where it is written.
#[derive(Debug)]
struct Role {
    words: Vec<String>,
    span: Span,
}

/// Whether `norm` is a role noun: a title, or a noun whose most frequent
/// sense is a person ("economist", "producer", "accountant").
fn role_noun(wn: &WordNet, norm: &str) -> bool {
    if is_title(norm) || INITIALS.iter().any(|(i, _)| *i == norm) {
        return true;
    }
    wn.senses(norm, Pos::Noun)
        .first()
        .is_some_and(|&s| wn.synset(s).lexfile == PERSON)
}

/// Whether `t` can stand in a role before a name. A capitalised word must
/// be a title or one of the lists: WordNet files "Moore" (the sculptor)
/// and "Michael" (the archangel) as persons.
fn role_word(wn: &WordNet, t: &Token) -> bool {
    if t.kind != TokenKind::Word {
        return false;
    }
    let n = t.norm.as_str();
    if is_title(n) || RANKS.contains(&n) || QUALIFIERS.contains(&n) {
        return true;
    }
    !t.capitalized && role_noun(wn, n)
}

/// Whether only spaces separate byte `a` from byte `b` (not a hyphen:
/// "anti-Bush" is no role of Bush).
fn adjacent(text: &str, a: usize, b: usize) -> bool {
    text.get(a..b)
        .is_some_and(|g| !g.is_empty() && g.chars().all(char::is_whitespace))
}

/// The person's name without role words the name run took in
/// ("Accountant Clarence Sampson" → "Clarence Sampson"), and how many
/// leading words were roles.
fn bare_name<'e>(wn: &WordNet, e: &'e Entity) -> (&'e [String], usize) {
    let mut k = 0;
    while e.norms.len() - k > 2
        && (role_noun(wn, &e.norms[k]) || RANKS.contains(&e.norms[k].as_str()))
    {
        k += 1;
    }
    (&e.norms[k..], k)
}

/// The role written with entity `e` in sentence tokens `toks` (of text
/// `text`): role words right before it (with the role words its run took
/// in), else an appositive right after it.
fn role_of(wn: &WordNet, text: &str, toks: &[&Token], e: &Entity) -> Option<Role> {
    let first = toks.iter().position(|t| t.span.start >= e.span.start)?;
    let last = toks.iter().rposition(|t| t.span.end <= e.span.end)?;
    let (_, taken) = bare_name(wn, e);
    // Before: walk back over adjacent role words.
    let mut start = first;
    let mut end_before = first + taken;
    while start > 0
        && first - start < MAX_ROLE
        && role_word(wn, toks[start - 1])
        && adjacent(text, toks[start - 1].span.end, toks[start].span.start)
    {
        start -= 1;
    }
    if start == first && taken == 0 {
        end_before = first;
    }
    let before: Vec<&Token> = toks[start..end_before].to_vec();
    if before.iter().any(|t| role_noun(wn, &t.norm)) {
        return Some(role(&before));
    }
    // After: ", director of corporate security and fraud protection,".
    // Tokens are words and numbers; punctuation lies in the gaps.
    let gap = |a: &Token, b: &Token| text.get(a.span.end..b.span.start).unwrap_or("");
    let next = toks.get(last + 1)?;
    if !gap(toks[last], next).trim().starts_with(',') {
        return None;
    }
    let mut words: Vec<&Token> = Vec::new();
    for (k, t) in toks.iter().enumerate().skip(last + 1).take(MAX_ROLE) {
        if k > last + 1 && !gap(toks[k - 1], t).trim().is_empty() {
            break;
        }
        if t.kind == TokenKind::Number {
            return None;
        }
        if t.kind != TokenKind::Word || APPOSITIVE_END.contains(&t.norm.as_str()) {
            break;
        }
        words.push(t);
    }
    // Leading articles aside, the appositive opens with a role.
    let open = words
        .iter()
        .position(|t| !matches!(t.norm.as_str(), "a" | "an" | "the"))?;
    let words: Vec<&Token> = words[open..].to_vec();
    if !role_word(wn, words[0]) || !words.iter().any(|t| role_noun(wn, &t.norm)) {
        return None;
    }
    Some(role(&words))
}

fn role(toks: &[&Token]) -> Role {
    let mut words: Vec<String> = Vec::new();
    for t in toks
        .iter()
        .filter(|t| !t.stop || RANKS.contains(&t.norm.as_str()))
    {
        match INITIALS.iter().find(|(i, _)| *i == t.norm) {
            Some((_, full)) => words.extend(full.iter().map(|w| w.to_string())),
            None => words.push(t.norm.clone()),
        }
    }
    Role {
        words,
        span: Span::new(toks[0].span.start, toks[toks.len() - 1].span.end),
    }
}

/// Whether two entities name one person: the same surname (or a spelling
/// of it), and the same first name when both give one.
fn same_person(wn: &WordNet, a: &Entity, b: &Entity) -> bool {
    if a.tentative || b.tentative || !a.is_agent() || !b.is_agent() {
        return false;
    }
    let ((na, _), (nb, _)) = (bare_name(wn, a), bare_name(wn, b));
    let (Some(la), Some(lb)) = (na.last(), nb.last()) else {
        return false;
    };
    if !same_name(la, lb) {
        return false;
    }
    na.len() < 2 || nb.len() < 2 || same_name(&na[0], &nb[0])
}

/// How many hypernym steps apart a role and a more general one may be
/// ("striker" / "player").
const ROLE_HOPS: usize = 2;

/// Whether word `new` in place of `old` names the same post: the same
/// lemma or synonyms, or in their person senses one more general
/// than the other. Not WordNet's generous "more general in any sense":
/// through their rarer senses "producer" and "director" are one the
/// other's kind.
fn explains(wn: &WordNet, old: &str, new: &str) -> bool {
    if matches!(
        relation::relation(wn, old, new),
        Relation::Same | Relation::Synonym
    ) {
        return true;
    }
    // The most frequent person sense only: WordNet files a film director
    // under "producer" two steps up.
    let person = |w: &str| -> Vec<SynsetId> {
        wn.senses(w, Pos::Noun)
            .into_iter()
            .filter(|&s| wn.synset(s).lexfile == PERSON)
            .take(1)
            .collect()
    };
    let (a, b) = (person(old), person(new));
    let up = |v: &[SynsetId]| -> Vec<SynsetId> {
        v.iter()
            .flat_map(|&s| relation::ancestors(wn, s, ROLE_HOPS))
            .map(|(s, _)| s)
            .collect()
    };
    let (ua, ub) = (up(&a), up(&b));
    a.iter().any(|s| ub.contains(s)) || b.iter().any(|s| ua.contains(s))
}

/// How the derived role differs from the source role, if it names another
/// post: a rank added or removed, or a word put in place of another that
/// nothing explains.
fn differs(wn: &WordNet, s: &Role, d: &Role) -> bool {
    // The same word, the same lemma ("governors"), or a spelling of it
    // ("Philllips" / "Phillips": a typo in the name of an employer is no
    // other post).
    let has = |r: &Role, w: &str| {
        r.words
            .iter()
            .any(|x| same_name(x, w) || matches!(relation::relation(wn, x, w), Relation::Same))
    };
    let del: Vec<&str> = s
        .words
        .iter()
        .map(String::as_str)
        .filter(|w| !has(d, w))
        .collect();
    let ins: Vec<&str> = d
        .words
        .iter()
        .map(String::as_str)
        .filter(|w| !has(s, w))
        .collect();
    if del.iter().chain(&ins).any(|w| RANKS.contains(w)) {
        return true;
    }
    if del.is_empty() || ins.is_empty() {
        return false;
    }
    // A generic head in place of a role says less, not something else, and
    // a role in place of one says more ("boss" / "CEO", SummEdits); either
    // way it explains no word of the other role.
    let ins: Vec<&str> = ins.into_iter().filter(|w| !GENERIC.contains(w)).collect();
    let del: Vec<&str> = del.into_iter().filter(|w| !GENERIC.contains(w)).collect();
    let new: Vec<&&str> = ins
        .iter()
        .filter(|n| !del.iter().any(|o| explains(wn, o, n)))
        .collect();
    let old: Vec<&&str> = del
        .iter()
        .filter(|o| !ins.iter().any(|n| explains(wn, o, n)))
        .collect();
    !new.is_empty() && !old.is_empty()
}

/// Compares the roles of the people named in derived sentences `ds` and
/// source sentences `ss`, after the other per-group detectors wrote `out`.
pub(crate) fn compare(
    wn: &WordNet,
    d: &Doc,
    ds: &[usize],
    s: &Doc,
    ss: &[usize],
    out: &mut Vec<Change>,
) {
    let dt: Vec<&Token> = d.tokens_of(ds).collect();
    let st: Vec<&Token> = s.tokens_of(ss).collect();
    let d_names: Vec<&Entity> = ds.iter().flat_map(|&i| d.entities[i].iter()).collect();
    let s_names: Vec<&Entity> = ss.iter().flat_map(|&j| s.entities[j].iter()).collect();
    let mut done: Vec<Span> = Vec::new();
    for de in &d_names {
        let Some(dr) = role_of(wn, d.text(), &dt, de) else {
            continue;
        };
        for se in s_names.iter().filter(|se| same_person(wn, de, se)) {
            let Some(sr) = role_of(wn, s.text(), &st, se) else {
                continue;
            };
            if !differs(wn, &sr, &dr) {
                continue;
            }
            let overlaps = |x: &Span| x.start < dr.span.end && dr.span.start < x.end;
            if done.iter().any(overlaps)
                || out.iter().any(|c| {
                    c.derived
                        .as_ref()
                        .is_some_and(|x| overlaps(&Span::new(x.start, x.end)))
                })
            {
                continue;
            }
            done.push(dr.span);
            let (dtext, stext) = (dr.span.text(d.text()), sr.span.text(s.text()));
            let who = de.span.text(d.text());
            out.push(
                Change::new(
                    ChangeType::ContentChanged,
                    Severity::Major,
                    format!("role of {who}: \"{stext}\" became \"{dtext}\""),
                )
                .derived_span(d.a, dr.span)
                .source_span(s.a, sr.span),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lib_tests::pair_changes;
    use crate::wordnet::tests::wordnet;
    use crate::{Change, ChangeType};

    fn roles(derived: &str, source: &str) -> Vec<Change> {
        let wn = wordnet();
        let (cs, dtext, stext) = pair_changes(&wn, derived, source);
        let roles: Vec<Change> = cs
            .into_iter()
            .filter(|c| c.kind == ChangeType::ContentChanged && c.detail.starts_with("role of"))
            .collect();
        for c in &roles {
            // Spans are byte offsets into each original text.
            let (dx, sx) = (c.derived.as_ref().unwrap(), c.source.as_ref().unwrap());
            assert_eq!(&dtext[dx.start..dx.end], dx.text);
            assert_eq!(&stext[sx.start..sx.end], sx.text);
        }
        roles
    }

    #[test]
    fn a_title_put_in_place_of_another_is_a_change() {
        // llm-rewrites-dev bbc-business-326, reworded around the name.
        let cs = roles(
            "Fannie Mae has sacked its chief operating officer Tim Howard over the accounting \
             scandal, the firm said on Wednesday.",
            "Fannie Mae said on Wednesday that chief financial officer Tim Howard had been \
             ousted over the accounting scandal.",
        );
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!(
            cs[0].derived.as_ref().unwrap().text,
            "chief operating officer"
        );
        assert_eq!(
            cs[0].source.as_ref().unwrap().text,
            "chief financial officer"
        );
    }

    #[test]
    fn a_rank_added_is_a_change() {
        let cs = roles(
            "Central Bank Deputy Governor Chang Chi-cheng told reporters reserves had risen.",
            "Reserves rose, Central Bank Governor Chang Chi-cheng told reporters.",
        );
        assert_eq!(cs.len(), 1, "{cs:#?}");
    }

    #[test]
    fn a_generic_head_in_the_new_role_explains_nothing_of_the_old() {
        // llm-rewrites-dev bbc-business-289: "chief" is generic, and
        // "economist" is no director general.
        let cs = roles(
            "\"Taxes remain serious problems,\" said BCC chief economist David Frost.",
            "\"Taxes remain serious problems,\" BCC director general David Frost said.",
        );
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!(cs[0].derived.as_ref().unwrap().text, "chief economist");
    }

    #[test]
    fn an_appositive_role_is_compared() {
        let cs = roles(
            "William Plante, vice president of corporate security and fraud protection, said \
             users were worried.",
            "Users were worried, said William Plante, director of corporate security and fraud \
             protection.",
        );
        assert_eq!(cs.len(), 1, "{cs:#?}");
        // llm-rewrites-dev reuters-14881, the role split over two lines.
        let cs = roles(
            "At a press conference, Michael Armacost, Under Secretary of State for Economic \
             Affairs, was asked whether Japan's steps might convince the U.S.",
            "Michael Armacost, Under Secretary of State for Political\nAffairs, was asked at a \
             press conference whether Japan's moves could persuade the U.S.",
        );
        assert_eq!(cs.len(), 1, "{cs:#?}");
        assert_eq!(
            cs[0].derived.as_ref().unwrap().text,
            "Under Secretary of State for Economic Affairs"
        );
    }

    #[test]
    fn rewordings_of_a_role_are_not_changes() {
        for (d, s) in [
            (
                "The United boss Alex Ferguson said the foul was worse.",
                "United manager Alex Ferguson said the foul was worse.",
            ),
            (
                "Chief executive Jeff Immelt said profits would rise.",
                "CEO Jeff Immelt said profits would rise.",
            ),
            (
                "Spokeswoman Jane Smith said the plant would close.",
                "Spokesman Jane Smith said the plant would close.",
            ),
            (
                "Finance minister Gordon Brown said growth was strong.",
                "Minister Gordon Brown said growth was strong.",
            ),
            (
                "Chairman Alan Greenspan said rates would stay on hold.",
                "Fed chair Alan Greenspan said rates would stay on hold.",
            ),
            (
                // SummEdits: a consistent edit.
                "Domino's CEO Don Meij said the chain would open 100 stores.",
                "Domino's boss Don Meij said the chain would open 100 stores.",
            ),
        ] {
            let cs = roles(d, s);
            assert!(cs.is_empty(), "{d} / {s}: {cs:#?}");
        }
    }

    #[test]
    fn another_person_role_is_not_compared() {
        let cs = roles(
            "Producer Robert Evans and director Roman Polanski met in 1973.",
            "Producer Robert Evans and director Roman Polanski met in 1973.",
        );
        assert!(cs.is_empty(), "{cs:#?}");
        // Swapped in a kept sentence, the content-word detector reports
        // them first; either way both are changes.
        let (cs, _, _) = pair_changes(
            &wordnet(),
            "Director Roman Polanski met producer Robert Evans.",
            "Producer Roman Polanski met director Robert Evans.",
        );
        let content = cs
            .iter()
            .filter(|c| c.kind == ChangeType::ContentChanged)
            .count();
        assert_eq!(content, 2, "{cs:#?}");
    }
}
