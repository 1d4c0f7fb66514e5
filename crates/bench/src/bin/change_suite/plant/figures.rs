//! Figures: one changed (`number_changed`), one hedged (`hedge_changed`),
//! and one written another way for the same value (a harmless variant).

use unspun_changes::ChangeType;
use unspun_segment::TokenKind;

use super::Ctx;
use crate::case::{splice, window, Case, Side};
use crate::rng::Rng;

const WORDS: &[&str] = &[
    "",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

pub(super) fn plant(cx: &Ctx, rng: &mut Rng, out: &mut Vec<Case>) {
    let (text, toks) = (cx.text, &cx.toks);
    let in_quote = |p: usize| cx.in_quote(p);
    let sentence_of = |p: usize| cx.sentence_of(p);
    // Figures: plain integers not next to a month (days) and not years.
    let figures: Vec<&&unspun_segment::Token> = toks
        .iter()
        .filter(|t| {
            t.kind == TokenKind::Number
                && !t.norm.contains('.')
                && t.norm
                    .parse::<u64>()
                    .is_ok_and(|v| (2..1_000_000_000).contains(&v) && !(1800..=2100).contains(&v))
                && !in_quote(t.span.start)
                && sentence_of(t.span.start).is_some()
        })
        .collect();
    let month_near = |t: &unspun_segment::Token| {
        let before = window(text, t.span.start.saturating_sub(12), t.span.start);
        let after = window(text, t.span.end, t.span.end + 10);
        [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .iter()
        .any(|m| before.contains(m) || after.trim_start().starts_with(m))
    };
    let figures: Vec<_> = figures
        .into_iter()
        .filter(|t| !month_near(t) && text.is_char_boundary(t.span.start))
        .collect();
    if let Some(t) = rng.pick(&figures) {
        let v: u64 = t.norm.parse().unwrap();
        let new = v * 3 + 7;
        let s = if t.span.text(text).contains(',') {
            commas(new)
        } else {
            new.to_string()
        };
        let (txt, r) = splice(text, t.span.range(), &s);
        let mut c = Case::planted(txt, ChangeType::NumberChanged, Side::Derived, r.clone());
        // A short line ("Shr 94 cts") may no longer align once its figure
        // changed: the new figure is then a claim the source does not make.
        c.also
            .push((ChangeType::ClaimAdded, Side::Derived, r.clone()));
        c.also.push((ChangeType::NumberAdded, Side::Derived, r));
        out.push(c);
    }
    // A hedge added to a bare figure.
    let bare: Vec<_> = figures
        .iter()
        .filter(|t| {
            let before = text[..t.span.start].trim_end();
            let last = before
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_lowercase();
            ![
                "least",
                "than",
                "about",
                "around",
                "nearly",
                "almost",
                "to",
                "over",
                "some",
                "under",
                "approximately",
                "roughly",
                "estimated",
                "below",
                "above",
                "of",
            ]
            .contains(&last.as_str())
                && !before.ends_with(['$', '£'])
        })
        .collect();
    if let Some(t) = rng.pick(&bare) {
        let (txt, r) = splice(text, t.span.start..t.span.start, "about ");
        out.push(Case::planted(
            txt,
            ChangeType::HedgeChanged,
            Side::Derived,
            r.start..r.end + t.span.len(),
        ));
    }
    // Equivalent forms: a small count in words, or a round figure with a scale.
    let small: Vec<_> = figures
        .iter()
        .filter(|t| t.norm.parse::<usize>().is_ok_and(|v| (2..20).contains(&v)))
        .collect();
    if let Some(t) = rng.pick(&small) {
        let v: usize = t.norm.parse().unwrap();
        let (txt, _) = splice(text, t.span.range(), WORDS[v]);
        out.push(Case::harmless(txt, "number in words"));
    } else if let Some(t) = rng.pick(
        &figures
            .iter()
            .filter(|t| {
                t.norm
                    .parse::<u64>()
                    .is_ok_and(|v| v >= 1_000_000 && v % 100_000 == 0)
            })
            .collect::<Vec<_>>(),
    ) {
        let v: u64 = t.norm.parse().unwrap();
        let s = format!("{} million", v as f64 / 1e6);
        let (txt, _) = splice(text, t.span.range(), &s);
        out.push(Case::harmless(txt, "number with a scale word"));
    }
}

fn commas(v: u64) -> String {
    let digits: Vec<char> = v.to_string().chars().rev().collect();
    let groups: Vec<String> = digits.chunks(3).map(|c| c.iter().rev().collect()).collect();
    groups.into_iter().rev().collect::<Vec<_>>().join(",")
}
