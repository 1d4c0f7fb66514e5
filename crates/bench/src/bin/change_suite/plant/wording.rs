//! Edits of the wording, in the generator's order: a word inside a quote
//! (`quote_altered`), a city made its country (`place_generalised`), `not`
//! after an auxiliary (`negation_changed`), an antonym (`polarity_changed`),
//! a weekday shifted (`date_changed`) or said relative to the article's
//! date, a sentence removed (`sentence_dropped`), the credit removed
//! (`attribution_missing`), a long name respelled and "said" outside quotes
//! made "stated" (harmless variants).

use chrono::Datelike;
use unspun_changes::ChangeType;
use unspun_segment::TokenKind;

use super::{Ctx, CALENDAR};
use crate::case::{splice, window, Case, Expect, Side};
use crate::rng::Rng;

const ANTONYMS: &[(&str, &str)] = &[
    ("rose", "fell"),
    ("fell", "rose"),
    ("raised", "cut"),
    ("increased", "decreased"),
    ("decreased", "increased"),
    ("won", "lost"),
    ("confirmed", "denied"),
    ("denied", "confirmed"),
    ("approved", "rejected"),
    ("rejected", "approved"),
    ("rise", "fall"),
    ("fall", "rise"),
    ("gained", "lost"),
    ("higher", "lower"),
    ("lower", "higher"),
];

const SUBSTITUTES: &[&str] = &[
    "remarkable",
    "terrible",
    "complicated",
    "essential",
    "ridiculous",
];

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Negation words, never replaced inside a quote.
const NEGATIONS: &[&str] = &[
    "never", "without", "nothing", "nobody", "none", "neither", "nor", "cannot", "cant", "dont",
    "doesnt", "didnt", "wont", "isnt", "wasnt", "arent", "werent",
];

pub(super) fn plant(cx: &Ctx, rng: &mut Rng, out: &mut Vec<Case>) {
    let (a, text, toks, quotes, gaz) = (cx.a, cx.text, &cx.toks, &cx.quotes, cx.gaz);
    let in_quote = |p: usize| cx.in_quote(p);
    let sentence_of = |p: usize| cx.sentence_of(p);
    // A word inside a quote of four or more words.
    let qwords: Vec<_> = toks
        .iter()
        .filter(|t| {
            t.kind == TokenKind::Word
                && !t.stop
                && t.norm.len() >= 4
                && !t.capitalized
                // A negation replaced is also a negation removed.
                && !t.norm.contains("n't")
                && !NEGATIONS.contains(&t.norm.as_str())
                && quotes.iter().any(|q| {
                    q.start <= t.span.start
                        && t.span.end <= q.end
                        && text[q.start..q.end].split_whitespace().count() >= 4
                })
        })
        .collect();
    if let Some(t) = rng.pick(&qwords) {
        let sub = SUBSTITUTES.iter().find(|s| **s != t.norm).unwrap();
        let (txt, r) = splice(text, t.span.range(), sub);
        out.push(Case::planted(
            txt,
            ChangeType::QuoteAltered,
            Side::Derived,
            r,
        ));
    }
    // A city replaced by its country.
    let cities: Vec<_> = toks
        .iter()
        .filter(|t| {
            t.capitalized
                && !in_quote(t.span.start)
                && gaz
                    .lookup(&t.norm)
                    .is_some_and(|p| p.kind == unspun_changes::PlaceKind::City)
                && !t.span.text(text).ends_with('s')
        })
        .filter(|t| {
            // Not part of a longer name ("New York Stock Exchange", "Washington Post").
            let after = text[t.span.end..].trim_start_matches([' ']);
            !after.starts_with(|c: char| c.is_uppercase())
                && !text[..t.span.start]
                    .trim_end_matches(' ')
                    .ends_with(|c: char| c.is_alphabetic() && c.is_uppercase())
        })
        .collect();
    if let Some(t) = rng.pick(&cities) {
        let country = gaz.lookup(&t.norm).unwrap().country_name.clone();
        let (txt, r) = splice(text, t.span.range(), &country);
        out.push(Case::planted(
            txt,
            ChangeType::PlaceGeneralised,
            Side::Derived,
            r,
        ));
    }
    // "not" after an auxiliary.
    let aux: Vec<_> = toks
        .iter()
        .enumerate()
        .filter(|(k, t)| {
            matches!(
                t.norm.as_str(),
                "is" | "was" | "are" | "were" | "will" | "would" | "could" | "has" | "had"
            ) && !in_quote(t.span.start)
                && sentence_of(t.span.start).is_some()
                && toks.get(k + 1).is_some_and(|n| {
                    !matches!(n.norm.as_str(), "not" | "no" | "never") && n.kind == TokenKind::Word
                })
        })
        .map(|(_, t)| t)
        .collect();
    if let Some(t) = rng.pick(&aux) {
        let (txt, r) = splice(text, t.span.end..t.span.end, " not");
        out.push(Case::planted(
            txt,
            ChangeType::NegationChanged,
            Side::Derived,
            r.start + 1..r.end,
        ));
    }
    // An antonym swap.
    let anto: Vec<_> = toks
        .iter()
        .filter(|t| {
            !in_quote(t.span.start)
                && t.span.text(text).chars().all(|c| c.is_lowercase())
                && ANTONYMS.iter().any(|(a, _)| *a == t.norm)
        })
        .collect();
    if let Some(t) = rng.pick(&anto) {
        let to = ANTONYMS.iter().find(|(a, _)| *a == t.norm).unwrap().1;
        let (txt, r) = splice(text, t.span.range(), to);
        out.push(Case::planted(
            txt,
            ChangeType::PolarityChanged,
            Side::Derived,
            r,
        ));
    }
    // Weekdays: shifted (a change) or said relative to the article date (not one).
    let days: Vec<_> = toks
        .iter()
        .filter(|t| {
            !in_quote(t.span.start)
                && t.capitalized
                && WEEKDAYS.iter().any(|w| w.eq_ignore_ascii_case(&t.norm))
        })
        .collect();
    if let Some(t) = rng.pick(&days) {
        let i = WEEKDAYS
            .iter()
            .position(|w| w.eq_ignore_ascii_case(&t.norm))
            .unwrap();
        let (txt, r) = splice(text, t.span.range(), WEEKDAYS[(i + 2) % 7]);
        out.push(Case::planted(
            txt,
            ChangeType::DateChanged,
            Side::Derived,
            r,
        ));
        if let Some(date) = a.article.date {
            let back = (7 + date.weekday().num_days_from_monday() as i64 - i as i64) % 7;
            let prev = &text[..t.span.start];
            let on = prev.trim_end().ends_with("on") && prev.len() - prev.trim_end().len() == 1;
            let from = if on { t.span.start - 3 } else { t.span.start };
            let next_is_name = text[t.span.end..].starts_with(['\'', '’']);
            let future =
                window(text, t.span.start.saturating_sub(40), t.span.start).contains("will");
            let rel = match back {
                0 => Some("today"),
                1 => Some("yesterday"),
                _ => None,
            };
            let qualified = ["last", "next", "this", "past", "coming", "every", "each"]
                .iter()
                .any(|w| prev.trim_end().to_lowercase().ends_with(w));
            if let (Some(rel), false, false, false) = (rel, next_is_name, future, qualified) {
                let (txt, _) = splice(text, from..t.span.end, rel);
                out.push(Case::harmless(txt, "same-day relative date"));
            }
        }
    }
    // A sentence removed (not the first, at least six words).
    let droppable: Vec<usize> = (1..a.sentences.len())
        .filter(|&j| a.tokens[j].len() >= 6)
        .collect();
    if a.sentences.len() >= 4 {
        if let Some(&j) = rng.pick(&droppable) {
            let sp = a.sentences[j].span;
            let end = a.sentences.get(j + 1).map_or(text.len(), |n| n.span.start);
            let (txt, _) = splice(text, sp.start..end, "");
            out.push(Case::planted(
                txt,
                ChangeType::SentenceDropped,
                Side::Source,
                sp.range(),
            ));
        }
    }
    // The credit removed.
    out.push(Case {
        text: text.to_string(),
        keep_credit: false,
        expect: Expect::Change(ChangeType::AttributionMissing, Side::Any, 0..0),
        also: Vec::new(),
        speaker: None,
    });
    // A long name respelled.
    let names: Vec<_> = toks
        .iter()
        .filter(|t| {
            t.capitalized
                && t.norm.len() >= 7
                && !in_quote(t.span.start)
                && t.span.text(text).chars().all(|c| c.is_ascii_alphabetic())
                && gaz.lookup(&t.norm).is_none()
                && !CALENDAR.contains(&t.norm.as_str())
        })
        .filter(|t| {
            let prev = text[..t.span.start].trim_end();
            !prev.is_empty() && !prev.ends_with(['.', '"', '\n', ':'])
        })
        .collect();
    if let Some(t) = rng.pick(&names) {
        let s = t.span.text(text);
        let k = s.len() / 2;
        let respelled = format!("{}{}", &s[..k], &s[k - 1..]);
        let (txt, _) = splice(text, t.span.range(), &respelled);
        out.push(Case::harmless(txt, "spelling variant"));
    }
    // Paraphrase outside quotes.
    let said: Vec<_> = toks
        .iter()
        .filter(|t| t.norm == "said" && !in_quote(t.span.start))
        .collect();
    if !said.is_empty() {
        let mut txt = text.to_string();
        for t in said.iter().rev() {
            txt = splice(&txt, t.span.range(), "stated").0;
        }
        out.push(Case::harmless(txt, "paraphrase outside quotes"));
    }
}
