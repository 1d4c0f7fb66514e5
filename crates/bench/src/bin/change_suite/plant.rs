//! Every case for one article, planted in a fixed order (the order of the
//! generator's draws): figures, then wording, then names, then quotes.

mod figures;
mod names;
mod quotes;
mod wording;

use unspun_align::AnalyzedArticle;
use unspun_changes::Gazetteer;
use unspun_segment::{Span, Token};

use crate::case::Case;
use crate::rng::Rng;

/// Calendar words: never a respelled name nor part of a planted one.
const CALENDAR: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// One article as the planting stages read it.
struct Ctx<'a> {
    a: &'a AnalyzedArticle,
    text: &'a str,
    toks: Vec<&'a Token>,
    quotes: Vec<Span>,
    gaz: &'a Gazetteer,
}

impl Ctx<'_> {
    /// Whether byte `p` is inside a quote.
    fn in_quote(&self, p: usize) -> bool {
        self.quotes.iter().any(|q| q.start <= p && p < q.end)
    }

    /// The sentence holding byte `p`.
    fn sentence_of(&self, p: usize) -> Option<usize> {
        self.a
            .sentences
            .iter()
            .position(|s| s.span.start <= p && p < s.span.end)
    }
}

/// Every case for one article.
pub fn cases(a: &AnalyzedArticle, gaz: &Gazetteer, rng: &mut Rng) -> Vec<Case> {
    let text = &a.article.text;
    let cx = Ctx {
        a,
        text,
        toks: a.all_tokens().collect(),
        quotes: unspun_changes::quotes::extract(text),
        gaz,
    };
    let mut out = Vec::new();
    figures::plant(&cx, rng, &mut out);
    wording::plant(&cx, rng, &mut out);
    names::plant(&cx, rng, &mut out);
    quotes::plant(&cx, rng, &mut out);
    out
}
