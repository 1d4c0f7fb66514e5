//! Tokenisation and normalisation.
//!
//! Tokens are what the aligner compares between an article sentence and a
//! source sentence, so the normal form erases differences that do not change
//! meaning (case, accents, curly vs straight apostrophes, possessive `'s`,
//! dots in `U.S.`, thousands separators) while the span keeps the surface
//! form for display.
//!
//! The token rules are documented on [`Analyzer`].

use crate::Span;
use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Whether a token is a word or a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Letters, possibly mixed with digits (`1st`, `G7`).
    Word,
    /// ASCII digits with optional `,`/`.` separators between digits.
    Number,
}

/// One token of a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Token {
    /// Absolute byte offsets of the surface form in the full text.
    pub span: Span,
    /// Word or number.
    pub kind: TokenKind,
    /// Normal form: [`fold`]ed, possessive `'s` removed, dots removed from
    /// dotted abbreviations; for numbers, the surface without commas.
    pub norm: String,
    /// English Snowball stem of `norm`; for numbers, equal to `norm`.
    pub stem: String,
    /// Whether `norm` is a stopword ([`is_stopword`]). An acronym-shaped token
    /// (two or more letters, all uppercase: `U.S.`, `US`, `IT`) is never one.
    pub stop: bool,
    /// Whether the first char of the surface form is uppercase.
    pub capitalized: bool,
}

/// Tokeniser, normaliser and stemmer. Build once and reuse; it is
/// `Send + Sync`.
///
/// # Token rules
///
/// One pass over the chars:
///
/// * A token is a maximal run of letters, digits and combining marks. An
///   apostrophe (`'` or `’`) between a letter or digit and a letter stays in
///   the word: `don't` has norm `don't`, `O’Brien` has norm `o'brien`. A final
///   `'s` is then removed from the norm (`Trump’s` → `trump`; this also
///   turns `it's` into `it`, harmless as both are stopwords).
/// * Everything else separates tokens, in particular hyphens and dashes
///   (`high-level` → `high`, `level`; `25-year` → `25`, `year`) and slashes.
/// * A dotted abbreviation, two or more groups of 1–3 letters each followed by
///   a dot (`U.S.`, `U.N.`, `J.D.`, `a.m.`, `Ph.D.`), is one
///   [`TokenKind::Word`] whose span includes the final dot and whose norm has
///   no dots (`us`).
/// * A run of ASCII digits with `,` or `.` between digits is one
///   [`TokenKind::Number`] (`12,000` → norm `12000`; `3.5` → `3.5`). A number
///   without separators immediately followed by letters is one mixed Word
///   (`1st`, `3pm`, `90s`, `G7` likewise); one with separators is split off
///   (`3.5bn` → Number `3.5`, Word `bn`).
pub struct Analyzer {
    stemmer: Stemmer,
}

/// Stems of [`STOPWORDS`], same order, computed once per process: the word
/// cache is seeded with them on every thread, and analyzers are made in
/// passing (a gazetteer lookup, an attribution check), where stemming the
/// list each time was ~11% of a trace.
static STOP_STEMS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    let stemmer = Stemmer::create(Algorithm::English);
    STOPWORDS
        .iter()
        .map(|w| stemmer.stem(w).into_owned())
        .collect()
});

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").finish_non_exhaustive()
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

/// How many norms the word cache holds before it starts anew.
const MAX_CACHED: usize = 100_000;

/// What the word cache knows of one norm.
struct KnownWord {
    stem: String,
    stopword: bool,
}

/// foldhash with a fixed seed: keys are short words, for which SipHash's
/// set-up cost dominates, and HashDoS is no concern for a bounded per-thread
/// cache. What a lookup still costs is mostly reading the key from the heap
/// to compare it (a cache miss); inline keys (`compact_str`) measured no
/// better.
type WordCache = HashMap<String, KnownWord, foldhash::fast::FixedState>;

/// A word cache holding the stopwords, which are close to half of running
/// news text: one hash lookup then answers both "is it a stopword" and "what
/// is its stem" (a binary search of the list per word was ~3% of ingest).
fn seeded_word_cache() -> WordCache {
    let mut cache = WordCache::default();
    for (word, stem) in STOPWORDS.iter().zip(STOP_STEMS.iter()) {
        cache.insert(
            (*word).to_string(),
            KnownWord {
                stem: stem.clone(),
                stopword: true,
            },
        );
    }
    cache
}

thread_local! {
    /// Stems and stopword flags by norm; only English Snowball stems are
    /// stored, so it can be shared by all analyzers on the thread.
    static WORD_CACHE: RefCell<WordCache> = RefCell::new(seeded_word_cache());
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Part of a word: letters, digits and combining marks (so decomposed accents
/// do not split a word).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

impl Analyzer {
    /// An analyzer with the English Snowball stemmer.
    pub fn new() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    /// The tokens of `text[span]`, in order, with absolute offsets.
    ///
    /// # Panics
    ///
    /// Panics, like slicing, if `span` is out of bounds or not on char
    /// boundaries of `text`.
    pub fn tokens(&self, text: &str, span: Span) -> Vec<Token> {
        let mut out = Vec::with_capacity(span.len() / 6 + 1);
        self.tokens_into(text, span, &mut out);
        out
    }

    /// Appends the tokens of `text[span]` to `out`, as [`Analyzer::tokens`]
    /// returns them. Ingest tokenises an article sentence by sentence into
    /// one vector: a vector per sentence, copied into one afterwards, was
    /// a measurable share of ingest time.
    ///
    /// # Panics
    ///
    /// As [`Analyzer::tokens`].
    pub fn tokens_into(&self, text: &str, span: Span, out: &mut Vec<Token>) {
        let s = &text[span.start..span.end];
        let mut i = 0;
        while i < s.len() {
            let c = s[i..].chars().next().unwrap_or('\0');
            if !c.is_alphanumeric() {
                i += c.len_utf8();
                continue;
            }
            let (end, kind, dotted) = scan_token(s, i);
            out.push(self.make_token(s, i, end, kind, dotted, span.start));
            i = end;
        }
    }

    /// The stem of a word's `norm`, and whether it is a stopword
    /// ([`is_stopword`]), through a per-thread cache: news vocabulary is
    /// Zipfian, so most words repeat and a hash lookup is several times
    /// cheaper than Snowball. The cache starts anew, stopwords seeded, when
    /// it grows past a bound.
    fn stem_and_stopword(&self, norm: &str) -> (String, bool) {
        WORD_CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if let Some(known) = cache.get(norm) {
                return (known.stem.clone(), known.stopword);
            }
            // Not seeded, so not a stopword. Snowball English leaves words
            // of one or two letters alone.
            let stem = if norm.len() <= 2 {
                norm.to_string()
            } else {
                self.stemmer.stem(norm).into_owned()
            };
            if cache.len() >= MAX_CACHED {
                *cache = seeded_word_cache();
            }
            cache.insert(
                norm.to_string(),
                KnownWord {
                    stem: stem.clone(),
                    stopword: false,
                },
            );
            (stem, false)
        })
    }

    fn make_token(
        &self,
        s: &str,
        start: usize,
        end: usize,
        kind: TokenKind,
        dotted: bool,
        base: usize,
    ) -> Token {
        let surface = &s[start..end];
        let capitalized = surface.chars().next().is_some_and(char::is_uppercase);
        let (norm, stem, stop) = match kind {
            TokenKind::Number => {
                let norm: String = surface.chars().filter(|&c| c != ',').collect();
                (norm.clone(), norm, false)
            }
            TokenKind::Word => {
                let mut norm = fold(surface);
                if dotted {
                    norm.retain(|c| c != '.');
                }
                if norm.len() > 2 && norm.ends_with("'s") {
                    norm.truncate(norm.len() - 2);
                }
                if norm.is_empty() {
                    // Only possible for a lone alphabetic combining mark.
                    norm = surface.to_lowercase();
                }
                let (stem, listed) = self.stem_and_stopword(&norm);
                let stop = listed && {
                    let letters = surface.chars().filter(|c| c.is_alphabetic());
                    let acronym =
                        letters.clone().nth(1).is_some() && letters.clone().all(char::is_uppercase);
                    !acronym
                };
                (norm, stem, stop)
            }
        };
        Token {
            span: Span::new(base + start, base + end),
            kind,
            norm,
            stem,
            stop,
            capitalized,
        }
    }
}

/// Scans the token starting at byte `i` of `s` (an alphanumeric char);
/// returns its end, kind and whether it is a dotted abbreviation.
fn scan_token(s: &str, i: usize) -> (usize, TokenKind, bool) {
    let b = s.as_bytes();
    if b[i].is_ascii_digit() {
        let mut j = i;
        let mut sep = false;
        loop {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j + 1 < b.len() && (b[j] == b',' || b[j] == b'.') && b[j + 1].is_ascii_digit() {
                sep = true;
                j += 1;
            } else {
                break;
            }
        }
        let next = s[j..].chars().next();
        let word_follows =
            next.is_some_and(|c| is_word_char(c) || (is_apostrophe(c) && letter_after(s, j)));
        if sep || !word_follows {
            return (j, TokenKind::Number, false);
        }
        return (scan_word(s, j), TokenKind::Word, false);
    }
    if let Some(end) = scan_dotted(s, i) {
        return (end, TokenKind::Word, true);
    }
    (scan_word(s, i), TokenKind::Word, false)
}

/// Whether a letter follows the char (an apostrophe) at byte `j`.
fn letter_after(s: &str, j: usize) -> bool {
    let mut it = s[j..].chars();
    it.next();
    it.next().is_some_and(char::is_alphabetic)
}

/// The end of the word continuing at byte `j`.
fn scan_word(s: &str, mut j: usize) -> usize {
    while let Some(c) = s[j..].chars().next() {
        if is_word_char(c) || (is_apostrophe(c) && letter_after(s, j)) {
            j += c.len_utf8();
        } else {
            break;
        }
    }
    j
}

/// The end (after the final dot) of a dotted abbreviation starting at byte
/// `i`, if there is one.
fn scan_dotted(s: &str, i: usize) -> Option<usize> {
    let mut j = i;
    let mut groups = 0;
    loop {
        let mut n = 0;
        let mut k = j;
        for c in s[j..].chars() {
            if !c.is_alphabetic() {
                break;
            }
            n += 1;
            k += c.len_utf8();
        }
        if n == 0 || n > 3 || !s[k..].starts_with('.') {
            break;
        }
        groups += 1;
        j = k + 1;
    }
    let after_ok = s[j..].chars().next().is_none_or(|c| !is_word_char(c));
    (groups >= 2 && after_ok).then_some(j)
}

/// Normalises `s` the way token norms are: lowercase, accents removed
/// (`é` → `e`, via NFKD), a few letters spelled out (`ß` → `ss`, `æ` → `ae`,
/// `ø` → `o`, `œ` → `oe`, `ł` → `l`, `đ` → `d`), curly single quotes and
/// primes → `'`, curly double quotes and guillemets → `"`. Other characters,
/// including white space and punctuation, are kept.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        match c {
            '‘' | '’' | '‛' | 'ʼ' | '′' | '`' | '´' => out.push('\''),
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => out.push('"'),
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            c if is_combining_mark(c) => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// English stopwords for news: articles, pronouns, auxiliaries, prepositions,
/// conjunctions and a few adverbs, plus the titles `mr`, `mrs`, `ms` (one
/// source writes "Mr. Trump", another "Trump"). Negations (`no`, `not`,
/// `nor`, `never`, `n't` forms) and reporting verbs (`said`) are deliberately
/// *not* stopwords: they change or carry meaning. Sorted for binary search.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "he'd",
    "he'll",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "might",
    "more",
    "most",
    "mr",
    "mrs",
    "ms",
    "must",
    "my",
    "myself",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "shall",
    "she",
    "she'd",
    "she'll",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "they'd",
    "they'll",
    "they're",
    "they've",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "within",
    "would",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether `norm` (an already [`fold`]ed word) is an English stopword. `said`
/// and negations are not stopwords.
pub fn is_stopword(norm: &str) -> bool {
    STOPWORDS.binary_search(&norm).is_ok()
}

/// Checks the token invariants of the crate docs for `tokens` of
/// `text[span]`; returns a description of the first violation. For tests.
#[doc(hidden)]
pub fn check_tokens(text: &str, span: Span, tokens: &[Token]) -> Result<(), String> {
    let mut pos = span.start;
    for (k, t) in tokens.iter().enumerate() {
        let Span { start, end } = t.span;
        if start < pos || end <= start || end > span.end {
            return Err(format!(
                "token {k} has bad span {start}..{end} (prev end {pos})"
            ));
        }
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(format!(
                "token {k} span {start}..{end} not on char boundaries"
            ));
        }
        let gap = &text[pos..start];
        if gap.chars().any(char::is_alphanumeric) {
            return Err(format!(
                "alphanumeric text between tokens before {k}: {gap:?}"
            ));
        }
        if t.norm.is_empty() {
            return Err(format!("token {k} has empty norm"));
        }
        pos = end;
    }
    let tail = &text[pos..span.end];
    if tail.chars().any(char::is_alphanumeric) {
        return Err(format!("alphanumeric text after last token: {tail:?}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cache's answer, computed without it.
    fn uncached(stemmer: &Stemmer, norm: &str) -> (String, bool) {
        if let Ok(i) = STOPWORDS.binary_search(&norm) {
            return (STOP_STEMS[i].clone(), true);
        }
        let stem = if norm.len() <= 2 {
            norm.to_string()
        } else {
            stemmer.stem(norm).into_owned()
        };
        (stem, false)
    }

    #[test]
    fn cached_stems_and_stopword_flags_equal_snowball_and_the_list() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/seeds/003_741671edce2820d1.txt"
        ))
        .unwrap();
        let analyzer = Analyzer::new();
        let stemmer = Stemmer::create(Algorithm::English);
        // Twice: the first pass fills the cache, the second reads it.
        for _ in 0..2 {
            let tokens = analyzer.tokens(&text, Span::new(0, text.len()));
            assert!(tokens.len() > 300, "{}", tokens.len());
            let mut stopwords = 0;
            for t in tokens.iter().filter(|t| t.kind == TokenKind::Word) {
                let (stem, listed) = uncached(&stemmer, &t.norm);
                assert_eq!(t.stem, stem, "{:?}", t.norm);
                let surface = &text[t.span.start..t.span.end];
                let acronym = surface.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && surface
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase);
                assert_eq!(t.stop, listed && !acronym, "{surface:?}");
                stopwords += usize::from(t.stop);
            }
            assert!(stopwords > 100, "{stopwords}");
        }
    }

    #[test]
    fn a_full_word_cache_starts_anew_with_the_stopwords() {
        let analyzer = Analyzer::new();
        for n in 0..=MAX_CACHED {
            analyzer.stem_and_stopword(&format!("zqx{n}ings"));
        }
        let len = WORD_CACHE.with(|c| c.borrow().len());
        assert!(len < MAX_CACHED / 2, "the cache did not start anew: {len}");
        assert_eq!(
            analyzer.stem_and_stopword("the"),
            (
                STOP_STEMS[STOPWORDS.binary_search(&"the").unwrap()].clone(),
                true
            )
        );
        assert_eq!(
            analyzer.stem_and_stopword("said"),
            ("said".to_string(), false)
        );
        let tokens = analyzer.tokens("The minister was not there.", Span::new(0, 27));
        let stops: Vec<bool> = tokens.iter().map(|t| t.stop).collect();
        assert_eq!(stops, [true, false, true, false, true]);
    }

    #[test]
    fn stopwords_sorted() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOPWORDS.len() >= 150, "{}", STOPWORDS.len());
    }
}
