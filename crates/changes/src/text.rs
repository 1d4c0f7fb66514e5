//! Per-article analysis shared by the detectors: quotes, names, numbers and
//! dates of every sentence, computed once per `detect` call.

use std::collections::HashSet;

use unspun_align::AnalyzedArticle;
use unspun_segment::{Analyzer, Span, Token};

use crate::dates::{self, DateExpr};
use crate::entities::{self, Entity};
use crate::numbers::{self, Quantity};
use crate::quotes::{self, Quote};
use crate::Gazetteer;

/// One article with what the detectors look at.
pub(crate) struct Doc<'a> {
    pub a: &'a AnalyzedArticle,
    /// Direct quotes, in text order.
    pub quotes: Vec<Quote>,
    /// Names of each sentence.
    pub entities: Vec<Vec<Entity>>,
    /// Quantities of each sentence.
    pub numbers: Vec<Vec<Quantity>>,
    /// Date expressions of each sentence.
    pub dates: Vec<Vec<DateExpr>>,
    /// Every word norm of the article, in any case: whether the article
    /// carries a name's words anywhere.
    pub words: HashSet<String>,
    /// Every word stem of the article.
    pub stems: HashSet<String>,
    /// The norms of words written in capitals ("OPEC", "U.S."): where
    /// initials can be found.
    pub acronyms: HashSet<String>,
}

impl<'a> Doc<'a> {
    pub fn new(a: &'a AnalyzedArticle, gaz: &'a Gazetteer, analyzer: &'a Analyzer) -> Doc<'a> {
        let spans = quotes::extract(&a.article.text);
        let entities: Vec<Vec<Entity>> = (0..a.sentences.len())
            .map(|i| entities::extract(a, i, gaz, &spans))
            .collect();
        let numbers = a
            .tokens
            .iter()
            .map(|t| numbers::extract(&a.article.text, t))
            .collect();
        let dates = a
            .tokens
            .iter()
            .map(|t| dates::extract(&a.article.text, t, a.article.date))
            .collect();
        let words: HashSet<String> = a.tokens.iter().flatten().map(|t| t.norm.clone()).collect();
        let stems: HashSet<String> = a.tokens.iter().flatten().map(|t| t.stem.clone()).collect();
        let acronyms: HashSet<String> = a
            .tokens
            .iter()
            .flatten()
            .filter(|t| {
                let w = t.span.text(&a.article.text);
                w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && !w.chars().any(char::is_lowercase)
            })
            .map(|t| t.norm.clone())
            .collect();
        // A lone capitalised word the article also writes in lower case
        // ("Official", "Hopes", "Dlrs" in a headline) is a word, not a name.
        let lower: HashSet<&str> = a
            .tokens
            .iter()
            .flatten()
            .filter(|t| t.span.text(&a.article.text).starts_with(char::is_lowercase))
            .map(|t| t.norm.as_str())
            .collect();
        let mut entities = entities;
        for e in entities.iter_mut().flatten() {
            if e.norms.len() == 1 && lower.contains(e.norms[0].as_str()) && e.place.is_none() {
                e.tentative = true;
            }
        }
        let quotes = quotes::with_speakers(a, spans, &entities, analyzer);
        Doc {
            a,
            quotes,
            entities,
            numbers,
            dates,
            words,
            stems,
            acronyms,
        }
    }

    pub fn text(&self) -> &'a str {
        &self.a.article.text
    }

    /// The tokens of sentences `idx`, in order.
    pub fn tokens_of<'b>(&'b self, idx: &'b [usize]) -> impl Iterator<Item = &'b Token> + 'b {
        idx.iter().flat_map(move |&i| self.a.tokens[i].iter())
    }
}

/// Indices of the sentences that overlap `span` (or contain it, when empty).
pub(crate) fn sentences_of(a: &AnalyzedArticle, span: Span) -> Vec<usize> {
    a.sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            (s.span.start < span.end && span.start < s.span.end)
                || (span.is_empty() && s.span.start <= span.start && span.start <= s.span.end)
        })
        .map(|(i, _)| i)
        .collect()
}

/// Whether byte `pos` lies inside one of `spans` (sorted, non-overlapping).
pub(crate) fn inside(spans: &[Span], pos: usize) -> bool {
    let i = spans.partition_point(|s| s.end <= pos);
    i < spans.len() && spans[i].start <= pos
}

/// Levenshtein distance over chars, stopping early past `max`.
pub(crate) fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut best = cur[0];
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
            best = best.min(cur[j]);
        }
        if best > max {
            return max + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Whether two normalised names are spellings of one name: transliteration
/// variants (Zelenskiy / Zelensky, Kiev / Kyiv is *not* one: that is the
/// gazetteer's job) differ by an edit or two in a long word.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let n = a.chars().count().min(b.chars().count());
    let len_diff = a.chars().count().abs_diff(b.chars().count());
    let max = match n {
        0..=4 => return false,
        5..=6 => 1,
        // Two edits only between words of (nearly) the same length, so that
        // Austria / Australia stay apart.
        _ if len_diff <= 1 => 2,
        _ => 1,
    };
    // The first letter rarely changes between spellings, and requiring it
    // keeps short distinct names (Bush / Rush) apart.
    a.chars().next() == b.chars().next() && edit_distance(a, b, max) <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants() {
        assert!(same_name("zelenskiy", "zelensky"));
        assert!(same_name("witkoff", "witkof"));
        assert!(same_name("gaddafi", "gadhafi"));
        assert!(!same_name("bush", "rush"));
        assert!(!same_name("putin", "trump"));
        assert!(!same_name("austria", "australia"));
        assert_eq!(edit_distance("kitten", "sitting", 5), 3);
    }

    #[test]
    fn inside_spans() {
        let spans = [Span::new(2, 5), Span::new(8, 9)];
        assert!(!inside(&spans, 1));
        assert!(inside(&spans, 2));
        assert!(inside(&spans, 4));
        assert!(!inside(&spans, 5));
        assert!(inside(&spans, 8));
        assert!(!inside(&spans, 9));
    }
}
