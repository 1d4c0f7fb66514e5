//! Sentence shapes: what a sentence says once its figures are taken out.
//!
//! A template story (two days' grain-ship tables, two companies' dividend
//! notices) repeats its genre's fixed sentences with other figures in
//! their slots. Reduced to its words with every number masked, such a
//! sentence has the same **shape** in every instance, and its numbers, the
//! **filler**, change. A shape that the corpus holds with at least three
//! different fillers is a frame: two articles sharing it, filled
//! differently, share the genre's wording, not a story (issue 14). Two
//! fillers alone are not enough: a story and its copy with one figure
//! changed are exactly one shape with two fillers.
//!
//! The slots are numbers, in digits or in words ("Ten grain ships were
//! loading"), and the names of months and weekdays (a notice's dates).
//! Only sentences of [`MIN_SHAPE_WORDS`] tokens or more that hold a slot
//! have a shape: a sentence with no slot cannot be filled differently.

use unspun_segment::{Token, TokenKind};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Fewest tokens of a sentence for its shape to be taken: shorter ones
/// ("Qtr ended March 31") are too generic to tell a genre by.
pub const MIN_SHAPE_WORDS: usize = 6;

/// Words that fill a slot as a number does: cardinal numbers in words,
/// months and weekdays ("may" is left out: far more often a verb). Sorted,
/// for binary search.
const SLOT_WORDS: [&str; 47] = [
    "april",
    "august",
    "december",
    "eight",
    "eighteen",
    "eighty",
    "eleven",
    "february",
    "fifteen",
    "fifty",
    "five",
    "forty",
    "four",
    "fourteen",
    "friday",
    "hundred",
    "january",
    "july",
    "june",
    "march",
    "monday",
    "nine",
    "nineteen",
    "ninety",
    "november",
    "october",
    "one",
    "saturday",
    "september",
    "seven",
    "seventeen",
    "seventy",
    "six",
    "sixteen",
    "sixty",
    "sunday",
    "ten",
    "thirteen",
    "thirty",
    "three",
    "thursday",
    "tuesday",
    "twelve",
    "twenty",
    "two",
    "wednesday",
    "zero",
];

/// Whether `token` fills a slot (see [`SLOT_WORDS`]).
fn is_slot(token: &Token) -> bool {
    token.kind == TokenKind::Number || SLOT_WORDS.binary_search(&token.norm.as_str()).is_ok()
}

/// Seeds of the two hashes, so that a shape and a filler of the same words
/// never collide.
const SHAPE_SEED: u64 = 0x5348_4150_4531;
const FILLER_SEED: u64 = 0x4649_4c4c_4552;

/// The shape of one sentence and what fills its slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SentenceShape {
    /// Hash of the sentence's normal forms in order, every number as `#`.
    pub shape: u64,
    /// Hash of its numbers in order.
    pub filler: u64,
}

/// The shape of a sentence given its tokens; `None` when it is shorter than
/// [`MIN_SHAPE_WORDS`] tokens or holds no number.
pub fn sentence_shape(tokens: &[Token]) -> Option<SentenceShape> {
    if tokens.len() < MIN_SHAPE_WORDS || !tokens.iter().any(is_slot) {
        return None;
    }
    let mut shape = String::new();
    let mut filler = String::new();
    for t in tokens {
        if is_slot(t) {
            shape.push_str("# ");
            filler.push_str(&t.norm);
            filler.push(' ');
        } else {
            shape.push_str(&t.norm);
            shape.push(' ');
        }
    }
    Some(SentenceShape {
        shape: xxh3_64_with_seed(shape.as_bytes(), SHAPE_SEED),
        filler: xxh3_64_with_seed(filler.as_bytes(), FILLER_SEED),
    })
}

/// The shapes of an article's sentences, given its tokens in one vector and
/// the byte range of each sentence: the form ingest has them in. Equal to
/// [`sentence_shape`] over each sentence's own tokens.
pub fn sentence_shapes(
    tokens: &[Token],
    sentences: impl IntoIterator<Item = (usize, usize)>,
) -> Vec<SentenceShape> {
    let mut out = Vec::new();
    let mut at = 0;
    for (start, end) in sentences {
        while at < tokens.len() && tokens[at].span.start < start {
            at += 1;
        }
        let first = at;
        while at < tokens.len() && tokens[at].span.end <= end {
            at += 1;
        }
        out.extend(sentence_shape(&tokens[first..at]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspun_segment::{Analyzer, Segmenter, Span};

    fn shape_of(text: &str) -> Option<SentenceShape> {
        sentence_shape(&Analyzer::new().tokens(text, Span::new(0, text.len())))
    }

    #[test]
    fn one_frame_filled_with_other_figures_has_one_shape() {
        // Two days' New Orleans grain-ship lines (Reuters-21578).
        let a = shape_of("Ships loading at elevators included 12 at Myrtle Grove and 3 at Ama.")
            .unwrap();
        let b = shape_of("Ships loading at elevators included 9 at Myrtle Grove and 4 at Ama.")
            .unwrap();
        assert_eq!(a.shape, b.shape);
        assert_ne!(a.filler, b.filler);
        let c = shape_of("Ships waiting at elevators included 12 at Myrtle Grove and 3 at Ama.")
            .unwrap();
        assert_ne!(a.shape, c.shape, "another word is another shape");
        assert_eq!(a.filler, c.filler);
    }

    #[test]
    fn numbers_in_words_and_dates_are_slots() {
        let words = shape_of("Ten grain ships were loading and 18 were waiting.").unwrap();
        let digits = shape_of("9 grain ships were loading and 16 were waiting.").unwrap();
        assert_eq!(words.shape, digits.shape);
        let april = shape_of("The dividend is payable April 10 to holders of record.").unwrap();
        let june = shape_of("The dividend is payable June 1 to holders of record.").unwrap();
        assert_eq!(april.shape, june.shape);
        assert_ne!(april.filler, june.filler);
        assert!(SLOT_WORDS.windows(2).all(|w| w[0] < w[1]), "sorted");
    }

    #[test]
    fn a_sentence_without_a_slot_or_too_short_has_no_shape() {
        assert_eq!(
            shape_of("The company declined to comment on the report."),
            None
        );
        assert_eq!(shape_of("Qtr ended March 31."), None);
    }

    #[test]
    fn shapes_from_one_token_vector_equal_shapes_per_sentence() {
        let text = "Shr 1.20 dlrs vs 1.05 dlrs in the year. No figures here at all today. \
                    Net profit rose to 4.5 mln dlrs from 3.9 mln.";
        let sentences = Segmenter::new().split(text);
        let analyzer = Analyzer::new();
        let mut all = Vec::new();
        for s in &sentences {
            analyzer.tokens_into(text, s.span, &mut all);
        }
        let per_sentence: Vec<SentenceShape> = sentences
            .iter()
            .filter_map(|s| sentence_shape(&analyzer.tokens(text, s.span)))
            .collect();
        assert_eq!(per_sentence.len(), 2);
        assert_eq!(
            sentence_shapes(&all, sentences.iter().map(|s| (s.span.start, s.span.end))),
            per_sentence
        );
    }
}
