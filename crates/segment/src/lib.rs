//! unspun-segment: normalisation, sentence segmentation and tokenisation with
//! byte offsets, built for news text.
//!
//! Aligning an article to its sources sentence by sentence needs two things
//! from raw text: where the sentences are, and which words each one holds, both
//! as byte offsets into the original text so that a report can point back at
//! the exact characters. This crate provides them:
//!
//! * [`Segmenter`] / [`split_sentences`] split text into [`Sentence`]s, with
//!   rules tuned for news: title and dotted abbreviations (`Mr.`, `Gov.`,
//!   `U.S.`, `J.D. Vance`), quotations that contain several sentences,
//!   headlines and captions without final punctuation ([`SentenceKind::Heading`]),
//!   and hard-wrapped wire copy (Reuters-21578) where a single newline is not a
//!   break but a newline followed by indentation starts a paragraph.
//! * [`Analyzer`] turns a sentence into [`Token`]s with a normalised form
//!   ([`fold`]), an English Snowball stem and a stopword flag ([`is_stopword`]).
//!
//! # Invariants
//!
//! For any input, the sentences returned by [`Segmenter::split`] are in order,
//! non-overlapping and non-empty; they start and end on char boundaries; their
//! text has no leading or trailing white space; and every byte of the input
//! that is not inside a sentence is white space. So the sentence spans plus the
//! white space between them reproduce the text exactly.
//!
//! Likewise the tokens of a span are in order, non-overlapping, lie inside the
//! span, and only non-alphanumeric characters lie between them.
//!
//! # Example
//!
//! ```
//! use unspun_segment::{split_sentences, Analyzer, SentenceKind};
//!
//! let text = "Newcomer to diplomacy\n\nMr. Witkoff met Gov. Newsom in the U.S. on Friday. \
//!             “Stop the bloodshed, NOW.”";
//! let sentences = split_sentences(text);
//! let texts: Vec<&str> = sentences.iter().map(|s| s.span.text(text)).collect();
//! assert_eq!(
//!     texts,
//!     [
//!         "Newcomer to diplomacy",
//!         "Mr. Witkoff met Gov. Newsom in the U.S. on Friday.",
//!         "“Stop the bloodshed, NOW.”",
//!     ]
//! );
//! assert_eq!(sentences[0].kind, SentenceKind::Heading);
//! assert_eq!(sentences[1].paragraph, 1);
//!
//! let analyzer = Analyzer::new();
//! let tokens = analyzer.tokens(text, sentences[1].span);
//! let norms: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
//! assert_eq!(norms, ["mr", "witkoff", "met", "gov", "newsom", "in", "the", "us", "on", "friday"]);
//! assert_eq!(&text[tokens[7].span], "U.S.");
//! assert!(!tokens[7].stop); // "U.S." is the country, not the pronoun
//! ```
#![deny(missing_docs)]

mod sentence;
mod token;

use serde::Serialize;
use std::ops::{Index, Range};

pub use sentence::{
    check_cover, split_sentences, Segmenter, SegmenterBuilder, Sentence, SentenceKind,
};
pub use token::{check_tokens, fold, is_stopword, Analyzer, Token, TokenKind};

/// A half-open byte range `start..end` into a text.
///
/// Spans produced by this crate always lie on char boundaries, so
/// [`Span::text`] and `&text[span]` never panic on the text they came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// Inclusive start byte offset.
    pub start: usize,
    /// Exclusive end byte offset.
    pub end: usize,
}

impl Span {
    /// Creates the span `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text this span covers in `s`.
    ///
    /// # Panics
    ///
    /// Panics, like slicing, if the span is out of bounds or not on char
    /// boundaries of `s`.
    pub fn text<'a>(&self, s: &'a str) -> &'a str {
        &s[self.start..self.end]
    }

    /// The span as a `Range<usize>`.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Span> for Range<usize> {
    fn from(s: Span) -> Range<usize> {
        s.start..s.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

/// Lets `&text[span]` be written for a `str`, like a `Range<usize>`.
impl Index<Span> for str {
    type Output = str;
    fn index(&self, span: Span) -> &str {
        &self[span.start..span.end]
    }
}

/// Lets `&text[span]` be written for a `String`, like a `Range<usize>`.
impl Index<Span> for String {
    type Output = str;
    fn index(&self, span: Span) -> &str {
        &self[span.start..span.end]
    }
}
