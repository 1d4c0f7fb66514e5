//! Names, places and organisations, and how a rewrite changed them.
//!
//! A name is a run of capitalised words that are not stop words, titles
//! ("President", "Mr."), weekdays or months. The first word of a sentence (or
//! of a quotation) is capitalised by position, so it starts a name only when
//! the gazetteer knows it or another capitalised word follows. Words inside
//! quotation marks are left to the quote detector.
//!
//! Within an aligned group, a name is kept when the other side has the same
//! name, a spelling variant of it (Zelenskiy / Zelensky), another mention of
//! the same person (Mr. Trump / Donald Trump: a shared word), or another name
//! of the same country (U.S. / United States, Ukrainian / Ukraine). What is
//! left is a place generalised (a city or region became its country) or
//! specified (the reverse), a name replaced, dropped or added.

use unspun_align::AnalyzedArticle;
use unspun_segment::{Span, Token, TokenKind};

use crate::gazetteer::Place;
use crate::text::inside;
use crate::Gazetteer;

mod compare;

pub(crate) use compare::{carried, compare, is_demonym, nationality_replaced};

/// One name in a sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// From the first to the last word of the name.
    pub span: Span,
    /// The words' normalised forms (`["donald", "trump"]`).
    pub norms: Vec<String>,
    /// The norms joined by spaces: the gazetteer key.
    pub key: String,
    /// What the gazetteer knows of it.
    pub place: Option<Place>,
    /// The sentence it is in.
    pub sentence: usize,
    /// A lone word capitalised only by its position (first in the
    /// sentence: "Trump has warned"): it may or may not be a name, so it
    /// explains a name of the other side but is never reported itself.
    pub tentative: bool,
}

impl Entity {
    /// Whether it is a person or organisation rather than a place (or a
    /// place adjective): what a speaker can be.
    pub fn is_agent(&self) -> bool {
        self.place.is_none()
    }
}

/// Titles and honorifics: not part of a name, and they end a run
/// ("U.S. President Donald Trump" holds "U.S." and "Donald Trump").
const TITLES: &[&str] = &[
    "acting",
    "adm",
    "admiral",
    "ambassador",
    "archbishop",
    "bishop",
    "capt",
    "captain",
    "ceo",
    "chair",
    "chairman",
    "chairwoman",
    "chancellor",
    "chief",
    "col",
    "colonel",
    "commissioner",
    "congressman",
    "congresswoman",
    "deputy",
    "director",
    "dr",
    "emperor",
    "envoy",
    "executive",
    "foreign",
    "former",
    "gen",
    "general",
    "gov",
    "governor",
    "judge",
    "justice",
    "king",
    "lady",
    "lord",
    "lt",
    "madam",
    "mayor",
    "minister",
    "miss",
    "mr",
    "mrs",
    "ms",
    "officer",
    "pope",
    "premier",
    "president",
    "prime",
    "prince",
    "princess",
    "professor",
    "prof",
    "queen",
    "rep",
    "representative",
    "sec",
    "secretary",
    "sen",
    "senator",
    "sgt",
    "sir",
    "speaker",
    "special",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "vice",
];

pub(crate) fn is_title(norm: &str) -> bool {
    TITLES.contains(&norm)
}

/// A capitalised word that could be part of a name.
fn name_like(t: &Token) -> bool {
    t.kind == TokenKind::Word
        && t.capitalized
        && !t.stop
        && crate::dates::weekday(&t.norm).is_none()
        && crate::dates::month(&t.norm).is_none()
        && t.norm.chars().any(char::is_alphabetic)
}

/// Whether only white space (or a hyphen) separates two tokens.
fn joined(text: &str, a: &Token, b: &Token) -> bool {
    text.get(a.span.end..b.span.start)
        .is_some_and(|g| g.len() <= 3 && g.chars().all(|c| c.is_whitespace() || c == '-'))
}

/// Whether the token is part of a wire ticker code (`<CAWL.L>`, `<IBM>`) or
/// is a code in parentheses after a name ("TransCanada Pipelines Ltd
/// (TRP)"): a code, not a name of its own.
fn in_ticker(text: &str, span: Span) -> bool {
    let word = &text[span.start..span.end];
    if text[..span.start].ends_with('(')
        && text[span.end..].starts_with(')')
        && word.len() >= 2
        && word.chars().all(|c| c.is_ascii_uppercase())
    {
        return true;
    }
    let before = &text[..span.start];
    let after = &text[span.end..];
    let open = before
        .char_indices()
        .rev()
        .take(12)
        .take_while(|(_, c)| !c.is_whitespace())
        .any(|(_, c)| c == '<');
    let close = after
        .chars()
        .take(12)
        .take_while(|c| !c.is_whitespace())
        .any(|c| c == '>');
    open && close
}

/// Whether the token is capitalised because of where it stands: first in
/// its sentence, or first after an opening quotation mark or a colon.
fn positional(text: &str, tokens: &[Token], k: usize, sentence_start: usize) -> bool {
    let from = if k == 0 {
        sentence_start
    } else {
        tokens[k - 1].span.end
    };
    if k == 0 {
        return true;
    }
    text.get(from..tokens[k].span.start)
        .is_some_and(|g| g.contains(['“', '"', ':', '‘', '—']))
}

/// The names of sentence `i`; `quotes` are the article's quote spans.
pub(crate) fn extract(
    a: &AnalyzedArticle,
    i: usize,
    gaz: &Gazetteer,
    quotes: &[Span],
) -> Vec<Entity> {
    let text = &a.article.text;
    let tokens = &a.tokens[i];
    let start = a.sentences[i].span.start;
    // A shouted sentence (a wire headline) has no names to tell apart.
    let words = tokens.iter().filter(|t| t.kind == TokenKind::Word).count();
    let caps = tokens
        .iter()
        .filter(|t| {
            t.kind == TokenKind::Word
                && t.norm.len() > 1
                && !t.span.text(text).chars().any(char::is_lowercase)
        })
        .count();
    if words >= 4 && caps * 2 > words {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let t = &tokens[k];
        if !name_like(t)
            || is_title(&t.norm)
            || inside(quotes, t.span.start)
            || in_ticker(text, t.span)
        {
            k += 1;
            continue;
        }
        let mut end = k + 1;
        while end < tokens.len()
            && name_like(&tokens[end])
            && !is_title(&tokens[end].norm)
            && joined(text, &tokens[end - 1], &tokens[end])
            && !inside(quotes, tokens[end].span.start)
        {
            end += 1;
        }
        let run = &tokens[k..end];
        // A lone word capitalised by its position is a name for sure only
        // if the gazetteer knows it ("Moscow said"); "Footage from" is not.
        let tentative = positional(text, tokens, k, start)
            && run.len() == 1
            && gaz.lookup_key(&run[0].norm).is_none();
        let mut found = split_places(text, run, gaz, i);
        let first_positional = positional(text, tokens, k, start);
        for e in &mut found {
            e.tentative = tentative
                // A single letter ("V", "A") is a label or an initial, not a
                // name to account for.
                || (e.norms.len() == 1 && e.norms[0].chars().count() < 2)
                // "Although Germany": a word capitalised by its position
                // that the gazetteer split from a place.
                || (first_positional
                    && e.span.start == run[0].span.start
                    && e.norms.len() == 1
                    && e.place.is_none());
        }
        out.extend(found);
        k = end;
    }
    out
}

fn key_of(run: &[Token]) -> String {
    run.iter()
        .map(|t| t.norm.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits a run into entities: the whole run if the gazetteer knows it or
/// knows none of its parts; otherwise the known places are cut out
/// ("Moscow Kremlin" stays one name, "Ukraine Russia" becomes two).
fn split_places(text: &str, run: &[Token], gaz: &Gazetteer, sentence: usize) -> Vec<Entity> {
    let text_ends_with = |t: &Token, suffix: &str| t.span.text(text).ends_with(suffix);
    let make = |r: &[Token]| {
        let key = key_of(r);
        let last = &r[r.len() - 1];
        // "Washington’s": the name ends before the possessive.
        let mut end = last.span.end;
        if !last.norm.ends_with("'s") {
            if let Some(suffix) = ["’s", "'s", "ʼs"]
                .into_iter()
                .find(|x| text_ends_with(last, x))
            {
                end -= suffix.len();
            }
        }
        Entity {
            span: Span::new(r[0].span.start, end),
            norms: r.iter().map(|t| t.norm.clone()).collect(),
            place: gaz.lookup_key(&key).cloned(),
            key,
            sentence,
            tentative: false,
        }
    };
    if run.is_empty() {
        return Vec::new();
    }
    if gaz.lookup_key(&key_of(run)).is_some() || run.len() == 1 {
        return vec![make(run)];
    }
    // Greedy longest known place from each position.
    let mut out = Vec::new();
    let mut k = 0;
    let mut rest_from = 0;
    let mut found = false;
    while k < run.len() {
        let longest = (1..=gaz.max_tokens().min(run.len() - k))
            .rev()
            .find(|&n| gaz.lookup_key(&key_of(&run[k..k + n])).is_some());
        match longest {
            Some(n) if n < run.len() => {
                if rest_from < k {
                    out.push(make(&run[rest_from..k]));
                }
                out.push(make(&run[k..k + n]));
                k += n;
                rest_from = k;
                found = true;
            }
            _ => k += 1,
        }
    }
    if !found {
        return vec![make(run)];
    }
    if rest_from < run.len() {
        out.push(make(&run[rest_from..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::analyzed;

    fn names(text: &str) -> Vec<String> {
        let a = analyzed("t", text, None);
        let g = Gazetteer::builtin();
        let q = crate::quotes::extract(text);
        (0..a.sentences.len())
            .flat_map(|i| extract(&a, i, &g, &q))
            .filter(|e| !e.tentative)
            .map(|e| e.span.text(text).to_string())
            .collect()
    }

    #[test]
    fn names_skip_titles_positions_and_quotes() {
        assert_eq!(
            names("U.S. President Donald Trump’s envoy met Russian President Vladimir Putin in Moscow on Friday."),
            ["U.S.", "Donald Trump", "Russian", "Vladimir Putin", "Moscow"]
        );
        assert_eq!(
            names("Kremlin foreign policy aide Yuri Ushakov said “Stop the war, Vladimir” to Mr. Witkoff."),
            ["Yuri Ushakov", "Witkoff"]
        );
        assert_eq!(names("Moscow and Kyiv traded blame."), ["Moscow", "Kyiv"]);
        assert_eq!(
            names("THE DOLLAR FELL SHARPLY IN TOKYO TODAY."),
            Vec::<String>::new()
        );
    }
}
