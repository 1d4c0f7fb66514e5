//! Word-level view of a sentence for rule-based rewriting.
//!
//! A sentence is split on white space into [`Word`]s; each keeps its leading
//! and trailing punctuation apart from its core (`"(Reuters)` → pre `"(`,
//! core `Reuters`, post `)`), so rules match cores and the punctuation
//! travels with the word. Joining the words with single spaces gives the
//! sentence back.

use std::collections::HashSet;

/// One white-space separated word with its punctuation split off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    /// Leading punctuation (quotes, brackets).
    pub pre: String,
    /// The word itself.
    pub core: String,
    /// Trailing punctuation (`.,;:!?`, quotes, brackets).
    pub post: String,
}

fn is_lead(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '(' | '[' | '`')
}

fn is_trail(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']'
    )
}

impl Word {
    /// Splits one white-space free chunk.
    pub fn parse(chunk: &str) -> Word {
        let start = chunk
            .char_indices()
            .find(|&(_, c)| !is_lead(c))
            .map_or(chunk.len(), |(i, _)| i);
        let (pre, rest) = chunk.split_at(start);
        let mut end = rest.len();
        for (i, c) in rest.char_indices().rev() {
            if is_trail(c) {
                end = i;
            } else {
                break;
            }
        }
        // Keep the possessive "'s" and abbreviation dots ("U.S.") in the core.
        let (mut core, mut post) = rest.split_at(end);
        if core.contains('.') && post.starts_with('.') && core.len() <= 6 {
            core = &rest[..end + 1];
            post = &rest[end + 1..];
        }
        Word {
            pre: pre.to_string(),
            core: core.to_string(),
            post: post.to_string(),
        }
    }

    /// A word with no punctuation.
    pub fn plain(core: impl Into<String>) -> Word {
        Word {
            pre: String::new(),
            core: core.into(),
            post: String::new(),
        }
    }

    /// Whether the core starts with an upper-case letter.
    pub fn is_capitalized(&self) -> bool {
        self.core.chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether the core is a number (`12`, `1,200`, `3.5`).
    pub fn is_number(&self) -> bool {
        is_number(&self.core)
    }

    /// Whether the word opens or closes a quotation.
    pub fn has_quote(&self) -> bool {
        self.pre.contains(['"', '“']) || self.post.contains(['"', '”'])
    }
}

/// Whether `s` is a number: digits with `,` or `.` between digits.
pub(crate) fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_digit()
        && b[b.len() - 1].is_ascii_digit()
        && b.iter()
            .all(|&c| c.is_ascii_digit() || c == b',' || c == b'.')
}

/// Splits a sentence into words.
pub(crate) fn split(sentence: &str) -> Vec<Word> {
    sentence.split_whitespace().map(Word::parse).collect()
}

/// Joins words back into a sentence.
pub(crate) fn join(words: &[Word]) -> String {
    let mut out = String::new();
    for w in words {
        if w.pre.is_empty() && w.core.is_empty() && w.post.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.pre);
        out.push_str(&w.core);
        out.push_str(&w.post);
    }
    out
}

/// `replacement` with the letter case of `original`: all capitals stay
/// all capitals (headlines), a capital first letter stays capital.
pub(crate) fn match_case(original: &str, replacement: &str) -> String {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return replacement.to_uppercase();
    }
    if original.chars().next().is_some_and(char::is_uppercase) {
        return capitalize(replacement);
    }
    replacement.to_string()
}

/// The first letter upper-cased.
pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The first letter lower-cased.
pub(crate) fn decapitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What is known about words from the base corpus: which capitalised words
/// are ordinary words (so "The" may become "the" when a clause moves) and
/// which are names (kept capitalised).
#[derive(Clone, Debug, Default)]
pub(crate) struct Lexicon {
    common: HashSet<String>,
}

impl Lexicon {
    /// Learns from sentences: a word is common when, inside sentences, it
    /// appears in lower case at least as often as capitalised.
    pub fn learn<'a>(sentences: impl Iterator<Item = &'a str>) -> Lexicon {
        let mut counts: std::collections::HashMap<String, (u32, u32)> =
            std::collections::HashMap::new();
        for s in sentences {
            for (i, chunk) in s.split_whitespace().enumerate() {
                if i == 0 {
                    continue;
                }
                let w = Word::parse(chunk);
                if !w.core.chars().all(|c| c.is_alphabetic() || c == '\'') || w.core.is_empty() {
                    continue;
                }
                let lower = w.core.to_lowercase();
                let e = counts.entry(lower).or_default();
                if w.is_capitalized() {
                    e.1 += 1;
                } else {
                    e.0 += 1;
                }
            }
        }
        let mut common: HashSet<String> = counts
            .into_iter()
            .filter(|(_, (lo, up))| lo >= up && *lo > 0)
            .map(|(w, _)| w)
            .collect();
        for w in FUNCTION_WORDS {
            common.insert((*w).to_string());
        }
        common.remove("i");
        Lexicon { common }
    }

    /// Whether a capitalised sentence-initial word may be lower-cased when it
    /// stops being sentence-initial.
    pub fn is_common(&self, core: &str) -> bool {
        let letters: Vec<char> = core.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.len() > 1 && letters.iter().skip(1).any(|c| c.is_uppercase()) {
            return false; // "BBC", "McDonald", "iPod"
        }
        self.common.contains(&core.to_lowercase())
    }

    /// `word` as it should appear inside a sentence, having been first.
    pub fn demote(&self, word: &mut Word) {
        if self.is_common(&word.core) {
            word.core = decapitalize(&word.core);
        }
    }
}

/// Words that are always common, whatever the corpus says.
const FUNCTION_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "there",
    "he",
    "she",
    "they",
    "we",
    "his",
    "her",
    "their",
    "our",
    "in",
    "on",
    "at",
    "but",
    "and",
    "some",
    "many",
    "most",
    "analysts",
    "officials",
    "shares",
    "prices",
    "sales",
    "profits",
    "the",
    "one",
    "two",
    "three",
    "however",
    "meanwhile",
    "also",
    "both",
    "all",
    "each",
    "other",
    "such",
    "when",
    "while",
    "if",
    "although",
    "because",
    "after",
    "before",
    "since",
    "as",
    "for",
    "with",
    "by",
    "from",
    "last",
    "earlier",
    "later",
    "following",
    "despite",
    "during",
    "under",
    "over",
    "within",
    "about",
];

/// Fixes "a"/"an" before the following word after words were replaced.
pub(crate) fn fix_articles(words: &mut [Word]) {
    for i in 0..words.len().saturating_sub(1) {
        // "a"/"an", or "A"/"An" opening the sentence ("Model A" is a name).
        let art = words[i].core.as_str();
        let is_article = matches!(art, "a" | "an") || (i == 0 && matches!(art, "A" | "An"));
        if !is_article || !words[i].post.is_empty() {
            continue;
        }
        let art = art.to_lowercase();
        let next = words[i + 1].core.to_lowercase();
        let Some(first) = next.chars().next() else {
            continue;
        };
        let vowel_sound = if next.starts_with("one")
            || next.starts_with("uni")
            || next.starts_with("eu")
            || next.starts_with("use")
            || next.starts_with("usu")
            || next.starts_with("uk")
            || next.starts_with("us-")
        {
            false
        } else if next.starts_with("hour") || next.starts_with("honest") || next.starts_with("heir")
        {
            true
        } else if first.is_ascii_digit() {
            next.starts_with('8') || next.starts_with("11") || next.starts_with("18")
        } else {
            matches!(first, 'a' | 'e' | 'i' | 'o' | 'u')
        };
        let want = if vowel_sound { "an" } else { "a" };
        if art != want {
            words[i].core = match_case(&words[i].core, want);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        let s = "\"We are (very) pleased,\" said Mr. Smith of the U.S. firm's unit.";
        let w = split(s);
        assert_eq!(join(&w), s);
        assert_eq!(w[0].pre, "\"");
        assert_eq!(w[0].core, "We");
        assert_eq!(w[3].post, ",\"");
        let us = w.iter().find(|w| w.core.starts_with("U.S")).unwrap();
        assert_eq!(us.core, "U.S.");
        assert_eq!(w.last().unwrap().post, ".");
        assert!(w.iter().any(|w| w.core == "firm's"));
    }

    #[test]
    fn cases() {
        assert_eq!(match_case("Rose", "climbed"), "Climbed");
        assert_eq!(match_case("ROSE", "climbed"), "CLIMBED");
        assert_eq!(match_case("rose", "climbed"), "climbed");
        assert!(is_number("1,200.5"));
        assert!(!is_number("1,200,"));
        assert!(!is_number("G7"));
    }

    #[test]
    fn articles_fixed() {
        let mut w = split("a increase and an rise and an 8 pct gain and a hour");
        fix_articles(&mut w);
        assert_eq!(
            join(&w),
            "an increase and a rise and an 8 pct gain and an hour"
        );
    }
}
