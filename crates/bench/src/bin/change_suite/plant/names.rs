//! Names, in the generator's order: a two-word name replaced by one from
//! nowhere in the article (`entity_replaced`), a new name joined to one
//! (`entity_added`), a name dropped with a minimal edit (`entity_dropped`),
//! and a country made one of its cities (`place_specified`).

use unspun_changes::ChangeType;
use unspun_segment::TokenKind;

use super::{Ctx, CALENDAR};
use crate::case::{splice, Case, Side};
use crate::rng::Rng;

/// Names planted where none of their words is in the article.
const NEW_NAMES: &[&str] = &[
    "Henrik Larsen",
    "Maria Gonzalez",
    "Kwame Mensah",
    "Olga Petrova",
    "Rahul Mehta",
    "Ingrid Svensson",
    "Tomasz Nowak",
    "Aiko Tanaka",
];

/// Capitalised words that start no planted name.
const NOT_NAMES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "lord",
    "president",
    "minister",
    "prime",
    "chairman",
    "secretary",
    "general",
    "chief",
    "the",
    "and",
    "inc",
    "corp",
    "co",
    "ltd",
    "plc",
    "bank",
    "group",
    "state",
    "states",
    "national",
    "international",
    "new",
    "north",
    "south",
    "east",
    "west",
    "january",
    "government",
    "reuters",
];

impl Ctx<'_> {
    /// Whether a token may be one word of a planted name: capitalised, all
    /// ASCII letters with a lowercase one after the first, outside quotes,
    /// not a place, title or calendar word.
    pub(super) fn name_ok(&self, t: &unspun_segment::Token) -> bool {
        let text = self.text;
        t.kind == TokenKind::Word
            && t.capitalized
            && t.norm.len() >= 2
            && !self.in_quote(t.span.start)
            && t.span.text(text).chars().all(|c| c.is_ascii_alphabetic())
            && t.span
                .text(text)
                .chars()
                .skip(1)
                .any(|c| c.is_ascii_lowercase())
            && self.gaz.lookup(&t.norm).is_none()
            && !CALENDAR.contains(&t.norm.as_str())
            && !NOT_NAMES.contains(&t.norm.as_str())
    }

    /// A name none of whose words is in the article.
    pub(super) fn fresh(&self, rng: &mut Rng) -> Option<&'static str> {
        let ok: Vec<&&str> = NEW_NAMES
            .iter()
            .filter(|n| !n.split(' ').any(|w| self.text.contains(w)))
            .collect();
        rng.pick(&ok).map(|n| **n)
    }
}

pub(super) fn plant(cx: &Ctx, rng: &mut Rng, out: &mut Vec<Case>) {
    let (text, toks, gaz) = (cx.text, &cx.toks, cx.gaz);
    let in_quote = |p: usize| cx.in_quote(p);
    let sentence_of = |p: usize| cx.sentence_of(p);
    let name_ok = |t: &unspun_segment::Token| cx.name_ok(t);
    let fresh = |rng: &mut Rng| cx.fresh(rng);
    // Names: two capitalised words after a lowercase word, not followed by
    // a third ("said Otto Schlecht on"), outside quotes, not places, titles
    // or calendar words.
    let runs: Vec<usize> = (1..toks.len().saturating_sub(2))
        .filter(|&k| {
            let (p, x, y, n) = (toks[k - 1], toks[k], toks[k + 1], toks[k + 2]);
            name_ok(x)
                && name_ok(y)
                && &text[x.span.end..y.span.start] == " "
                && p.kind == TokenKind::Word
                && p.span
                    .text(text)
                    .starts_with(|c: char| c.is_ascii_lowercase())
                && text[p.span.end..x.span.start].trim().is_empty()
                && !(n.capitalized
                    || text[y.span.end..n.span.start].trim().is_empty()
                        && n.kind != TokenKind::Word)
                && sentence_of(p.span.start) == sentence_of(y.span.start)
                && sentence_of(p.span.start).is_some()
                && gaz.lookup(&format!("{} {}", x.norm, y.norm)).is_none()
                // Mentioned once: replacing one of several mentions leaves
                // the person named ("Paul Koether ... Koether said").
                && [x, y].iter().all(|w| text.matches(w.span.text(text)).count() == 1)
        })
        .collect();
    // A name replaced by a name from nowhere in the article.
    if let (Some(&k), Some(new)) = (rng.pick(&runs), fresh(rng)) {
        let r = toks[k].span.start..toks[k + 1].span.end;
        let (txt, r) = splice(text, r, new);
        let mut c = Case::planted(txt, ChangeType::EntityReplaced, Side::Derived, r);
        c.speaker = Some(new);
        out.push(c);
    }
    // A name added to another ("X and <new>").
    if let (Some(&k), Some(new)) = (rng.pick(&runs), fresh(rng)) {
        let at = toks[k + 1].span.end;
        let (txt, r) = splice(text, at..at, &format!(" and {new}"));
        let mut c = Case::planted(
            txt,
            ChangeType::EntityAdded,
            Side::Derived,
            r.start + 5..r.end,
        );
        c.speaker = Some(new);
        out.push(c);
    }
    // A name dropped with a minimal edit: the second of two names joined
    // by "and", with its "and" ("A and X said" -> "A said"), or a name in
    // apposition ("its chairman, X, said" -> "its chairman said").
    let mut drops: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = runs
        .iter()
        .copied()
        .filter(|&k| {
            k >= 2
                && toks[k - 1].norm == "and"
                && toks[k - 2].capitalized
                && !in_quote(toks[k - 2].span.start)
        })
        .map(|k| {
            (
                toks[k - 2].span.end..toks[k + 1].span.end,
                toks[k].span.start..toks[k + 1].span.end,
            )
        })
        .collect();
    drops.extend((1..toks.len().saturating_sub(2)).filter_map(|k| {
        let (p, x, y) = (toks[k - 1], toks[k], toks[k + 1]);
        let ok = name_ok(x)
            && name_ok(y)
            && &text[x.span.end..y.span.start] == " "
            && p.kind == TokenKind::Word
            && p.span
                .text(text)
                .starts_with(|c: char| c.is_ascii_lowercase())
            && &text[p.span.end..x.span.start] == ", "
            && text[y.span.end..].starts_with(", ")
            && sentence_of(p.span.start) == sentence_of(y.span.start)
            && sentence_of(p.span.start).is_some()
            && gaz.lookup(&format!("{} {}", x.norm, y.norm)).is_none()
            && [x, y]
                .iter()
                .all(|w| text.matches(w.span.text(text)).count() == 1);
        ok.then(|| (p.span.end..y.span.end + 1, x.span.start..y.span.end))
    }));
    if let Some((cut, name)) = rng.pick(&drops) {
        let (txt, _) = splice(text, cut.clone(), "");
        out.push(Case::planted(
            txt,
            ChangeType::EntityDropped,
            Side::Source,
            name.clone(),
        ));
    }
    // A country made a city of it ("Japan" -> "Tokyo").
    let countries: Vec<_> = toks
        .iter()
        .filter(|t| {
            t.capitalized
                && !in_quote(t.span.start)
                && sentence_of(t.span.start).is_some()
                && gaz
                    .lookup(&t.norm)
                    .is_some_and(|p| p.kind == unspun_changes::PlaceKind::Country)
        })
        .filter(|t| {
            // Not part of a longer name ("Bank of Canada", "Northern
            // Ireland"), and the only mention of its country in its sentence
            // (no "Colombian", no second "Japan"): otherwise the sentence
            // still names the country and nothing was made more specific.
            let after = text[t.span.end..].trim_start_matches([' ']);
            let before = text[..t.span.start].trim_end();
            let prev_word = before
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            let country = &gaz.lookup(&t.norm).unwrap().country;
            let j = sentence_of(t.span.start);
            !after.starts_with(|c: char| c.is_uppercase())
                && !prev_word.starts_with(|c: char| c.is_uppercase())
                && !before.ends_with(" of")
                && !toks.iter().any(|o| {
                    o.span.start != t.span.start
                        && sentence_of(o.span.start) == j
                        && gaz.lookup(&o.norm).is_some_and(|p| &p.country == country)
                })
        })
        .collect();
    if let Some(t) = rng.pick(&countries) {
        let country = gaz.lookup(&t.norm).unwrap().country.clone();
        let mut cities: Vec<String> = gaz
            .places()
            .filter(|(k, p)| {
                p.kind == unspun_changes::PlaceKind::City
                    && p.country == country
                    && k.chars().all(|c| c.is_ascii_lowercase() || c == ' ')
                    && !k.starts_with("the ")
            })
            .map(|(k, _)| title_case(k))
            .filter(|c| !text.contains(c.as_str()))
            .collect();
        cities.sort();
        if let Some(city) = rng.pick(&cities) {
            let (txt, r) = splice(text, t.span.range(), city);
            out.push(Case::planted(
                txt,
                ChangeType::PlaceSpecified,
                Side::Derived,
                r,
            ));
        }
    }
}

/// "new york" -> "New York".
fn title_case(key: &str) -> String {
    key.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
