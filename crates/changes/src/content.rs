//! Ordinary content words a rewrite changed inside an aligned sentence pair
//! (issue 15): "one-year" → "one-month", "yellow and blue" → "pink and
//! green", "rose" → "fell", a clause added ("to celebrate Russian culture").
//!
//! The words of the two sides are diffed (the longest common subsequence of
//! their norms, [`crate::diff::steps`]); each run of differing words is a
//! *hunk*: source words replaced by derived words, or words inserted. Only
//! content words count: not stopwords, numbers, or words inside a name,
//! figure, date or quotation (those detectors report them with their more
//! specific types), and not words the other side has anyway (a word that
//! moved). Each derived word of a hunk is judged against each source word
//! of it with WordNet ([`crate::relation`]):
//!
//! * the same lemma, a synonym or a more general word explains it: a
//!   rewording, not reported;
//! * an **antonym** is a reversed meaning: `polarity_changed`, major
//!   (unless the negation and antonym detector already reported it);
//! * a **sister** under a narrow common class (time periods, colours,
//!   roles) is another member of the class: `content_changed`, major;
//! * an unrelated or unknown word is left alone: WordNet cannot tell a
//!   paraphrase from a change there.
//!
//! A hunk that only inserts words, in a pair whose other words are kept,
//! and whose content words the source has nowhere (no word of the same stem
//! in the whole source) adds a claim: `claim_added`, minor. In a heavy
//! paraphrase (most content words reworded) insertions are not reported:
//! there the rewrite's new words are how it rewords, not what it adds.

use std::collections::HashSet;

use unspun_segment::{Span, Token, TokenKind};

use crate::diff::{steps, Step};
use crate::relation::{self, Relation};
use crate::text::Doc;
use crate::wordnet::WordNet;
use crate::{Change, ChangeType, Severity};

/// The share of the derived side's content words kept verbatim above which
/// a pair is an edit (a few words changed) rather than a paraphrase: only
/// there are inserted words a claim added.
const EDIT_KEPT: f64 = 0.8;
/// The share of kept content words under which two kinds of finding are
/// not reported: antonym verbs ("the Boston shutdown coming early next
/// year" / "Boston going first") and swapped roles ("the United boss" /
/// "the United manager", "colleagues" / "mates"). WordNet's sisters among
/// roles are often near-synonyms, and its verb antonyms idioms; in a
/// sentence reworded throughout they are how it is reworded.
const LOOSE_KEPT: f64 = 0.6;
/// `noun.person`: the lexicographer file of roles.
const PERSON: u8 = 18;
/// How many content words an inserted phrase needs to be a claim.
const MIN_CLAIM_WORDS: usize = 2;

/// The spans of a document's sentences `idx` that other detectors own:
/// names, figures, dates and quotations.
fn owned(doc: &Doc, idx: &[usize]) -> Vec<Span> {
    let mut v: Vec<Span> = Vec::new();
    for &i in idx {
        v.extend(
            doc.entities[i]
                .iter()
                .filter(|e| !e.tentative)
                .map(|e| e.span),
        );
        // Ranks and bare magnitudes stay content words here: the number
        // detector reports a changed one, but they weigh in how much of a
        // sentence is kept ("Boston going first" is a reworded sentence).
        v.extend(
            doc.numbers[i]
                .iter()
                .filter(|q| q.is_figure())
                .map(|q| q.span),
        );
        v.extend(doc.dates[i].iter().map(|x| x.span));
    }
    v.extend(doc.quotes.iter().map(|q| q.span));
    v
}

/// Whether `t` is a content word this detector may judge.
fn content(t: &Token, owned: &[Span]) -> bool {
    t.kind == TokenKind::Word
        && !t.stop
        && t.norm.chars().count() >= 3
        && t.norm.chars().all(|c| c.is_alphabetic() || c == '\'')
        && !crate::numbers::is_number_word(&t.norm)
        && !owned
            .iter()
            .any(|s| s.start < t.span.end && t.span.start < s.end)
}

/// Words after which a word is a verb.
const VERB_CUES: &[&str] = &[
    "to", "will", "would", "can", "could", "may", "might", "should", "must", "shall", "not",
];

/// Whether `t` (a token of `toks`) reads as a verb: after "to" or a modal,
/// or an "-ing" / "-ed" form of a verb WordNet knows ("meeting", "buried";
/// not "red").
fn verbal(wn: &WordNet, toks: &[Token], t: &Token) -> bool {
    let k = toks.iter().position(|x| x.span == t.span).unwrap_or(0);
    let inflected = (t.norm.ends_with("ing") || t.norm.ends_with("ed"))
        && wn
            .lemmas(&t.norm, crate::wordnet::Pos::Verb)
            .iter()
            .any(|l| *l != t.norm);
    (k > 0 && VERB_CUES.contains(&toks[k - 1].norm.as_str())) || inflected
}

/// One run of differing words: source indices deleted, derived inserted.
#[derive(Default)]
struct Hunk {
    deleted: Vec<usize>,
    inserted: Vec<usize>,
}

/// Compares the content words of derived sentences `ds` and source
/// sentences `ss`, after the other per-group detectors wrote `out`.
pub(crate) fn compare(
    wn: &WordNet,
    d: &Doc,
    ds: &[usize],
    s: &Doc,
    ss: &[usize],
    out: &mut Vec<Change>,
) {
    let dt: Vec<Token> = d.tokens_of(ds).cloned().collect();
    let st: Vec<Token> = s.tokens_of(ss).cloned().collect();
    let (d_owned, s_owned) = (owned(d, ds), owned(s, ss));
    let d_stems: HashSet<&str> = dt.iter().map(|t| t.stem.as_str()).collect();
    let s_stems: HashSet<&str> = st.iter().map(|t| t.stem.as_str()).collect();
    let mut hunks: Vec<Hunk> = Vec::new();
    let mut open = false;
    let (mut kept, mut d_content) = (0usize, 0usize);
    for (step, k) in steps(&st, &dt) {
        match step {
            Step::Equal => {
                open = false;
                if content(&dt[k], &d_owned) {
                    kept += 1;
                    d_content += 1;
                }
            }
            Step::Delete | Step::Insert => {
                if !open {
                    hunks.push(Hunk::default());
                    open = true;
                }
                let h = hunks.last_mut().expect("pushed above");
                if step == Step::Delete {
                    h.deleted.push(k);
                } else {
                    h.inserted.push(k);
                    if content(&dt[k], &d_owned) {
                        d_content += 1;
                    }
                }
            }
        }
    }
    // An antonym with a negation added or removed keeps the meaning ("did
    // not make the list" / "missed the list" is for the negation detector
    // to weigh; "not on the left" / "on the right" says one thing).
    let negation_differs = {
        let (dr, sr): (Vec<&Token>, Vec<&Token>) = (dt.iter().collect(), st.iter().collect());
        crate::polarity::negations(&dr) != crate::polarity::negations(&sr)
    };
    let implicit = |toks: &[Token]| {
        toks.iter()
            .filter(|t| crate::polarity::implicit_negative(t))
            .count()
    };
    let implicit_differs = implicit(&dt) != implicit(&st);
    let kept_share = if d_content == 0 {
        0.0
    } else {
        kept as f64 / d_content as f64
    };
    let edit = kept_share >= EDIT_KEPT;
    let reported = |out: &[Change], span: Span| {
        out.iter().any(|c| {
            c.derived
                .as_ref()
                .is_some_and(|x| x.start < span.end && span.start < x.end)
        })
    };
    for h in &hunks {
        nationality_swapped(h, &dt, &st, d, ds, s, ss, out);
    }
    for h in hunks {
        // Content words of the hunk that the other side does not carry.
        let del: Vec<&Token> = h
            .deleted
            .iter()
            .map(|&k| &st[k])
            .filter(|t| content(t, &s_owned) && !d_stems.contains(t.stem.as_str()))
            .collect();
        let ins: Vec<&Token> = h
            .inserted
            .iter()
            .map(|&k| &dt[k])
            .filter(|t| content(t, &d_owned) && !s_stems.contains(t.stem.as_str()))
            .collect();
        if ins.is_empty() {
            continue;
        }
        if del.is_empty() {
            claim(d, s, ss, &ins, edit, out);
            continue;
        }
        let rel: Vec<Vec<Relation>> = ins
            .iter()
            .map(|i| {
                del.iter()
                    .map(|j| {
                        closed_class(j, i)
                            .unwrap_or_else(|| relation::relation(wn, &j.norm, &i.norm))
                    })
                    .collect()
            })
            .collect();
        let harmless =
            |r: &Relation| matches!(r, Relation::Same | Relation::Synonym | Relation::Broader);
        let explained_d: Vec<bool> = rel.iter().map(|row| row.iter().any(harmless)).collect();
        let explained_s: Vec<bool> = (0..del.len())
            .map(|j| rel.iter().any(|row| harmless(&row[j])))
            .collect();
        for (a, row) in rel.iter().enumerate() {
            if explained_d[a] {
                continue;
            }
            let pick = row
                .iter()
                .enumerate()
                .filter(|&(b, _)| !explained_s[b])
                .find(|(_, r)| matches!(r, Relation::Antonym(_) | Relation::NegatingPrefix))
                .or_else(|| {
                    row.iter()
                        .enumerate()
                        .filter(|&(b, _)| !explained_s[b])
                        .find(|(_, r)| matches!(r, Relation::Sister(_) | Relation::OtherUnitOfTime))
                });
            let Some((b, r)) = pick else { continue };
            let (dw, sw) = (ins[a], del[b]);
            // Sisters are nouns: a word used as a verb ("to peer inside")
            // is not judged by its noun senses.
            if matches!(r, Relation::Sister(_) | Relation::OtherUnitOfTime)
                && (verbal(wn, &dt, dw) || verbal(wn, &st, sw))
            {
                continue;
            }
            if matches!(r, Relation::Antonym(_) | Relation::NegatingPrefix) && negation_differs {
                continue;
            }
            // "remains undisbursed" / "has yet to be disbursed": the
            // negation the prefix carried is said by another word.
            if *r == Relation::NegatingPrefix && implicit_differs {
                continue;
            }
            let loose = match r {
                Relation::Antonym(p) => *p == crate::wordnet::Pos::Verb,
                Relation::Sister(c) => wn.synset(*c).lexfile == PERSON,
                _ => false,
            };
            if loose && kept_share < LOOSE_KEPT {
                continue;
            }
            if reported(out, dw.span) {
                continue;
            }
            let (dtext, stext) = (dw.span.text(d.text()), sw.span.text(s.text()));
            let change = match r {
                Relation::NegatingPrefix => Change::new(
                    ChangeType::PolarityChanged,
                    Severity::Major,
                    format!("antonym: \"{stext}\" became \"{dtext}\" (a negating prefix)"),
                ),
                Relation::OtherUnitOfTime => Change::new(
                    ChangeType::ContentChanged,
                    Severity::Major,
                    format!("\"{stext}\" became \"{dtext}\": another unit of time"),
                ),
                Relation::Antonym(_) => Change::new(
                    ChangeType::PolarityChanged,
                    Severity::Major,
                    format!("antonym: \"{stext}\" became \"{dtext}\" (WordNet antonyms)"),
                ),
                Relation::Sister(c) => Change::new(
                    ChangeType::ContentChanged,
                    Severity::Major,
                    format!(
                        "\"{stext}\" became \"{dtext}\": another {} (WordNet)",
                        relation::name(wn, *c)
                    ),
                ),
                _ => continue,
            };
            out.push(change.derived_span(d.a, dw.span).source_span(s.a, sw.span));
        }
    }
}

/// One nationality put in place of another, word for word: a hunk of the
/// diff that deletes an adjective of one country and inserts one of
/// another ("the London Russian embassy" / "the London Mexican embassy").
/// The name detector reports a nationality only when neither article
/// names the other's country anywhere; in the same slot of an aligned
/// sentence the swap is plain however often the countries are named.
#[allow(clippy::too_many_arguments)]
fn nationality_swapped<'a>(
    h: &Hunk,
    dt: &[Token],
    st: &[Token],
    d: &'a Doc,
    ds: &[usize],
    s: &'a Doc,
    ss: &[usize],
    out: &mut Vec<Change>,
) {
    // One word for one word (a name of several words is the name detector's).
    if h.deleted.len() != 1 || h.inserted.len() != 1 {
        return;
    }
    let demonym = |doc: &'a Doc, idx: &[usize], t: &Token| {
        idx.iter()
            .flat_map(|&i| &doc.entities[i])
            .find(|e| e.span == t.span && crate::entities::is_demonym(e))
    };
    let (Some(x), Some(y)) = (
        demonym(d, ds, &dt[h.inserted[0]]),
        demonym(s, ss, &st[h.deleted[0]]),
    ) else {
        return;
    };
    if out
        .iter()
        .any(|c| c.derived.as_ref().is_some_and(|z| z.start == x.span.start))
    {
        return;
    }
    out.extend(crate::entities::nationality_replaced(d, x, s, y));
}

/// Whether one word is the other with a negating prefix ("uncrewed" /
/// "crewed", "unnamed" / "named", "non-binding" written "nonbinding" /
/// "binding").
fn prefixed(a: &Token, b: &Token) -> bool {
    let strip = |long: &str, short: &str| {
        ["un", "non"]
            .iter()
            .any(|p| long.strip_prefix(p) == Some(short))
    };
    b.norm.len() >= 4 && strip(&a.norm, &b.norm) || a.norm.len() >= 4 && strip(&b.norm, &a.norm)
}

/// Relations of closed classes that WordNet's senses blur: a word and the
/// same word with a negating prefix are antonyms ([`prefixed`]), and two
/// units of time are sisters ("hours" / "minutes": WordNet's "minute" is
/// also "a short time", broader than any unit).
fn closed_class(source: &Token, derived: &Token) -> Option<Relation> {
    if prefixed(source, derived) {
        return Some(Relation::NegatingPrefix);
    }
    let unit = |t: &Token| crate::numbers::TIME_UNITS.contains(&t.stem.as_str());
    (unit(source) && unit(derived) && source.stem != derived.stem)
        .then_some(Relation::OtherUnitOfTime)
}

/// Reports inserted words `ins` (content words, in order) as a claim added
/// when the pair is an edit and the source has none of them anywhere.
fn claim(d: &Doc, s: &Doc, ss: &[usize], ins: &[&Token], edit: bool, out: &mut Vec<Change>) {
    if !edit || ins.len() < MIN_CLAIM_WORDS {
        return;
    }
    if ins
        .iter()
        .any(|t| s.stems.contains(&t.stem) || s.words.contains(&t.norm))
    {
        return;
    }
    let span = Span::new(ins[0].span.start, ins[ins.len() - 1].span.end);
    if out.iter().any(|c| {
        c.derived
            .as_ref()
            .is_some_and(|x| x.start < span.end && span.start < x.end)
    }) {
        return;
    }
    out.push(
        Change::new(
            ChangeType::ClaimAdded,
            Severity::Minor,
            format!(
                "words added that the source has nowhere: \"{}\"",
                span.text(d.text())
            ),
        )
        .derived_span(d.a, span)
        .with_source_sentences(ss),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lib_tests::pair_changes;
    use crate::wordnet::tests::wordnet;

    #[test]
    fn one_year_to_one_month_is_a_content_change_with_spans_in_both_texts() {
        let wn = wordnet();
        let src = "On the eve of the one-year anniversary of Russia's invasion of Ukraine, \
                   U.K. activists dumped gallons of yellow and blue paint on the road.";
        let der = "On the eve of the one-month anniversary of Russia's invasion of Ukraine, \
                   U.K. activists dumped gallons of pink and green paint on the road.";
        let (cs, dtext, stext) = pair_changes(&wn, der, src);
        let content: Vec<&Change> = cs
            .iter()
            .filter(|c| c.kind == ChangeType::ContentChanged)
            .collect();
        let words: Vec<(&str, &str)> = content
            .iter()
            .map(|c| {
                let (dx, sx) = (c.derived.as_ref().unwrap(), c.source.as_ref().unwrap());
                // Spans are byte offsets into each original text.
                assert_eq!(&dtext[dx.start..dx.end], dx.text);
                assert_eq!(&stext[sx.start..sx.end], sx.text);
                (sx.text.as_str(), dx.text.as_str())
            })
            .collect();
        assert!(words.contains(&("year", "month")), "{cs:#?}");
        assert!(
            words.contains(&("yellow", "pink")) || words.contains(&("blue", "pink")),
            "{cs:#?}"
        );
        assert!(content.iter().all(|c| c.severity == Severity::Major));
    }

    #[test]
    fn antonyms_are_polarity_changes() {
        let wn = wordnet();
        let (cs, _, _) = pair_changes(
            &wn,
            "Exports to Asia weakened sharply in the last quarter, the ministry said.",
            "Exports to Asia strengthened sharply in the last quarter, the ministry said.",
        );
        assert!(
            cs.iter().any(|c| c.kind == ChangeType::PolarityChanged
                && c.derived.as_ref().unwrap().text == "weakened"),
            "{cs:#?}"
        );
    }

    #[test]
    fn synonyms_and_moved_words_are_not_changes() {
        let wn = wordnet();
        let (cs, _, _) = pair_changes(
            &wn,
            "The firm said the negotiations would resume next week in the capital.",
            "The company said talks would resume in the capital next week.",
        );
        assert!(cs.is_empty(), "{cs:#?}");
    }

    #[test]
    fn an_antonym_with_a_negation_removed_keeps_the_meaning() {
        // llm-rewrites-dev reuters-12943.
        let wn = wordnet();
        let (cs, _, _) = pair_changes(
            &wn,
            "In the past, plywood has been ineligible for GSM-102 credit guarantees.",
            "Plywood in the past has not been eligible for GSM-102 credit guarantees.",
        );
        assert!(
            !cs.iter().any(|c| c.kind == ChangeType::PolarityChanged),
            "{cs:#?}"
        );
    }

    #[test]
    fn roles_and_verb_antonyms_in_a_reworded_sentence_are_not_changes() {
        // llm-rewrites-dev bbc-sport-200 and reuters-674: the whole
        // sentence is reworded; "boss" / "manager" and "coming" / "going"
        // are how.
        let wn = wordnet();
        let (cs, _, _) = pair_changes(
            &wn,
            "The United manager said the incident was worse than the foul by Ruud van \
             Nistelrooy on Ashley Cole that earned van Nistelrooy a three-game ban.",
            "The United boss said it was worse than Ruud van Nistelrooy's foul on Ashley Cole \
             for which he got a three-game ban.",
        );
        assert!(
            !cs.iter().any(|c| c.kind == ChangeType::ContentChanged),
            "{cs:#?}"
        );
        let (cs, _, _) = pair_changes(
            &wn,
            "Centers in Boston, Atlanta, Memphis and Minneapolis will close, with Boston going \
             first early next year.",
            "Distribution centers will be closed in Boston, Atlanta, Memphis and Minneapolis, \
             with the Boston shutdown coming early next year.",
        );
        assert!(
            !cs.iter().any(|c| c.kind == ChangeType::PolarityChanged),
            "{cs:#?}"
        );
    }

    #[test]
    fn a_role_swapped_in_a_kept_sentence_is_a_change() {
        let wn = wordnet();
        let (cs, _, _) = pair_changes(
            &wn,
            "Police Federation secretary Jan Berry said the plans would put officers at risk.",
            "Police Federation chairman Jan Berry said the plans would put officers at risk.",
        );
        assert!(
            cs.iter().any(|c| c.kind == ChangeType::ContentChanged
                && c.derived.as_ref().unwrap().text == "secretary"),
            "{cs:#?}"
        );
    }

    #[test]
    fn a_word_used_as_a_verb_is_not_judged_by_its_noun_senses() {
        // SummEdits: "to peer inside" / "to witness inside", both nouns
        // under "person".
        let wn = wordnet();
        let (cs, _, _) = pair_changes(
            &wn,
            "Astronomers have used the James Webb Space Telescope to witness inside the heart of \
             spiral galaxies.",
            "Astronomers have used the James Webb Space Telescope to peer inside the heart of \
             spiral galaxies.",
        );
        assert!(
            !cs.iter().any(|c| c.kind == ChangeType::ContentChanged),
            "{cs:#?}"
        );
    }

    #[test]
    fn words_inserted_in_a_reworded_sentence_are_not_a_claim() {
        // llm-rewrites-dev reuters-372.
        let wn = wordnet();
        let (cs, _, _) = pair_changes(
            &wn,
            "Hutton said the so-called bridge financing would later give way to long-term debt, \
             most likely bank loans.",
            "This so-called bridge financing will be replaced later with long-term debt most \
             likely in the form of bank loans, Hutton said.",
        );
        assert!(
            !cs.iter().any(|c| c.kind == ChangeType::ClaimAdded),
            "{cs:#?}"
        );
    }

    #[test]
    fn an_inserted_clause_in_an_edit_is_a_claim() {
        let wn = wordnet();
        let (cs, _, _) = pair_changes(
            &wn,
            "U.K. activists spilled gallons of yellow and blue paint in front of the London \
             embassy to celebrate Russian culture.",
            "U.K. activists spilled gallons of yellow and blue paint in front of the London \
             embassy.",
        );
        let claim = cs
            .iter()
            .find(|c| c.kind == ChangeType::ClaimAdded)
            .unwrap_or_else(|| panic!("{cs:#?}"));
        assert!(claim.derived.as_ref().unwrap().text.contains("celebrate"));
        assert_eq!(claim.severity, Severity::Minor);
    }

    #[test]
    fn another_unit_of_time_and_a_dropped_negating_prefix_are_changes() {
        // SummEdits news.
        let wn = wordnet();
        let src =
            "Previously, the airlines had to fly a roundabout route to parts of Asia, adding \
                   hours to journey times.";
        let (cs, _, _) = pair_changes(&wn, &src.replace("hours", "minutes"), src);
        assert!(
            cs.iter().any(|c| c.kind == ChangeType::ContentChanged
                && c.derived.as_ref().unwrap().text == "minutes"),
            "{cs:#?}"
        );
        let src = "NASA said the uncrewed spacecraft would launch next year.";
        let (cs, _, _) = pair_changes(&wn, &src.replace("uncrewed", "crewed"), src);
        assert!(
            cs.iter().any(|c| c.kind == ChangeType::PolarityChanged
                && c.derived.as_ref().unwrap().text == "crewed"),
            "{cs:#?}"
        );
    }

    #[test]
    fn a_prefix_negation_said_another_way_is_not_a_reversal() {
        // llm-rewrites-dev reuters-7595.
        let wn = wordnet();
        let (cs, _, _) = pair_changes(
            &wn,
            "The money has been spread across more than 100 loans, and about $1.2 billion has \
             yet to be disbursed.",
            "The money has been spread out over more than 100 loans and about 1.2 billion dlrs \
             remains undisbursed.",
        );
        assert!(
            !cs.iter().any(|c| c.kind == ChangeType::PolarityChanged),
            "{cs:#?}"
        );
    }

    #[test]
    fn one_nationality_for_another_in_the_same_slot_is_a_replacement() {
        // SummEdits news: both texts name Russia elsewhere, so the name
        // detector's whole-article test cannot see it.
        let wn = wordnet();
        let src = "On the eve of the one-year anniversary of Russia's invasion of Ukraine, U.K. \
                   activists dumped paint on the road in front of the London Russian embassy.";
        let (cs, _, _) = pair_changes(&wn, &src.replace("Russian embassy", "Mexican embassy"), src);
        let c = cs
            .iter()
            .find(|c| c.kind == ChangeType::EntityReplaced)
            .unwrap_or_else(|| panic!("{cs:#?}"));
        assert_eq!(c.derived.as_ref().unwrap().text, "Mexican");
        assert_eq!(c.source.as_ref().unwrap().text, "Russian");
        // The same country's adjective for its name is not.
        let (cs, _, _) = pair_changes(
            &wn,
            &src.replace("Russian embassy", "embassy of Russia"),
            src,
        );
        assert!(
            !cs.iter().any(|c| c.kind == ChangeType::EntityReplaced),
            "{cs:#?}"
        );
    }
}
