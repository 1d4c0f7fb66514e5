//! Rule-based paraphrase: what an AI rewrite does to a news article, done
//! with rules instead of a language model.
//!
//! Per sentence, in order:
//!
//! 1. **Numbers and amounts** are re-formatted: `10 percent` ↔ `10%`,
//!    `$1.5bn` → `1.5 billion dollars`, `£600m` → `600 million pounds`,
//!    Reuters' `5.6 mln dlrs` → `$5.6 million`, `pct` → `%`.
//! 2. **Trimming and reshaping**: a short parenthesis or a `, which ...,`
//!    clause left out; `has agreed to` → `agreed to`; `France and Germany`
//!    → `Germany and France`; `the start of the season` → `the season's
//!    start`; `April 5` ↔ `5 April`; `, saying` → `and said`; `two years` ↔
//!    `2 years`; `will` → `is set to` / `are going to`.
//! 3. **One or two clause moves**, where a reliable pattern exists: a
//!    trailing attribution moves to the front (`A, the company said.` →
//!    `The company said that A.`), a quotation becomes reported speech
//!    (`"We will win," he said.` → `He said they would win.`, only without
//!    `I`/`you`), or `S said A.` becomes `A, S said.` or `According to S,
//!    A.`; a leading phrase or subordinate clause moves to the end (`On
//!    Tuesday, X did Y.` → `X did Y on Tuesday.`) or a trailing time phrase
//!    to the front; a passive with an agent becomes active (`A was acquired
//!    by B.` → `B acquired A.`); or a long sentence is split at `, and`,
//!    `, but`, `;`, `, which`, `, while`.
//! 4. **Word and phrase rewrites** from the table in `data/rewrites.txt`
//!    (~715 rules and 70 blockers: `rose` → `climbed`, `company` → `firm`,
//!    `because` → `as`, contractions expanded, `very` dropped, Reuters
//!    abbreviations expanded), skipping names (and, in 15% of sentences,
//!    the words inside quotation marks).
//! 5. **Compression**: if more than 35% of the sentence's word 5-grams
//!    survived all that, a trailing phrase (`, including ...`) is cut or,
//!    sometimes, the sentence is left out, as a rewrite that shortens would.
//!
//! Then, per article, some short sentences are merged (`; ` or `, and`) and
//! some sentences dropped. Names, most numbers and rare content words
//! survive, as they do in real rewrites.

mod amounts;
mod grammar;
mod moves;
mod reshape;

use rand::Rng;

use crate::doc::{Doc, Sent};
use crate::rules::{CaseMode, Rewrites};
use crate::words::{capitalize, fix_articles, join, split, Lexicon, Word};

use amounts::numbers;
use reshape::{reshape, trim};

/// Probability that one sentence gets a clause move when one applies.
const P_STRUCTURE: f64 = 0.9;
/// Probability that each table match is applied.
const P_SWAP: f64 = 0.95;
/// Probability that the words inside a quotation are kept as they are.
const P_KEEP_QUOTE: f64 = 0.15;

/// Above this share of a sentence's word 5-grams surviving its rewrite,
/// the rewrite is cut or dropped.
const MAX_OVERLAP: f64 = 0.35;

/// Words opening a trailing phrase that a compressing rewrite may cut.
const TAIL_STARTS: &[&str] = &[
    "including",
    "which",
    "who",
    "where",
    "while",
    "with",
    "as",
    "after",
    "before",
    "according",
    "following",
    "despite",
    "amid",
    "compared",
    "up",
    "down",
    "bringing",
    "making",
    "taking",
    "giving",
    "leaving",
    "saying",
    "adding",
    "in",
    "at",
    "on",
    "for",
    "from",
    "although",
    "though",
    "since",
    "because",
    "when",
    "led",
    "mainly",
    "partly",
    "particularly",
    "especially",
];

/// Share of the word 5-grams of `a` found in `b` (letters and digits,
/// lower case); 0 when `a` has fewer than five words.
fn overlap(a: &str, b: &str) -> f64 {
    fn grams(s: &str) -> Vec<u64> {
        let words: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let mut g: Vec<u64> = words
            .windows(5)
            .map(|w| xxhash_rust::xxh3::xxh3_64(w.join(" ").as_bytes()))
            .collect();
        g.sort_unstable();
        g.dedup();
        g
    }
    let (ga, gb) = (grams(a), grams(b));
    if ga.is_empty() {
        return 0.0;
    }
    ga.iter().filter(|g| gb.binary_search(g).is_ok()).count() as f64 / ga.len() as f64
}

/// `sentence` without its last trailing phrase (`, including ...`,
/// `, which ...`), if the head keeps six words or more.
fn cut_tail(sentence: &str) -> Option<String> {
    let words = split(sentence);
    let n = words.len();
    if words.iter().any(Word::has_quote) || words.last().is_none_or(|w| w.post != ".") {
        return None;
    }
    let k = (5..n.saturating_sub(3)).rev().find(|&k| {
        words[k].post == ","
            && words[k + 1].pre.is_empty()
            && TAIL_STARTS.contains(&words[k + 1].core.as_str())
    })?;
    let mut head = words[..=k].to_vec();
    head[k].post = ".".into();
    Some(join(&head))
}

/// The paraphraser: the rewrite table plus what the corpus says about words.
pub(crate) struct Paraphraser<'a> {
    rewrites: &'static Rewrites,
    lexicon: &'a Lexicon,
}

impl<'a> Paraphraser<'a> {
    pub fn new(lexicon: &'a Lexicon) -> Paraphraser<'a> {
        Paraphraser {
            rewrites: Rewrites::builtin(),
            lexicon,
        }
    }

    /// The rewrite table.
    pub fn rewrites(&self) -> &'static Rewrites {
        self.rewrites
    }

    /// Paraphrases a whole article: every sentence, then merges and drops.
    pub fn doc(&self, doc: &Doc, rng: &mut impl Rng) -> Doc {
        let mut paras: Vec<Vec<Sent>> = Vec::with_capacity(doc.paras.len());
        let mut first = true;
        for p in &doc.paras {
            let mut out = Vec::with_capacity(p.len());
            for s in p {
                if s.fixed {
                    out.push(s.clone());
                    continue;
                }
                let mut rewritten = self.sentence(&s.text, s.heading, first, rng);
                if s.heading {
                    // Table lines and captions: a rewrite keeps some of them.
                    if !first
                        && overlap(&s.text, &rewritten.join(" ")) > MAX_OVERLAP
                        && rng.random_bool(0.3)
                    {
                        rewritten.clear();
                    }
                } else if overlap(&s.text, &rewritten.join(" ")) > MAX_OVERLAP {
                    // Too close to the source: cut a trailing phrase, or
                    // leave the sentence out, as a rewrite that compresses would.
                    if let Some(cut) = cut_tail(&rewritten[0]).filter(|_| rng.random_bool(0.6)) {
                        rewritten[0] = cut;
                    } else if !first && rng.random_bool(0.5) {
                        rewritten.clear();
                    }
                }
                let parts = rewritten.len();
                for (k, t) in rewritten.into_iter().enumerate() {
                    let mut n = Sent::new(t);
                    n.heading = s.heading;
                    n.leads = k + 1 < parts;
                    out.push(n);
                }
                first = false;
            }
            paras.push(out);
        }
        let mut d = Doc {
            title: self.title(&doc.title, rng),
            byline: None,
            paras,
        };
        merge_and_drop(&mut d, self.lexicon, rng);
        d
    }

    /// A paraphrased headline.
    pub fn title(&self, title: &str, rng: &mut impl Rng) -> String {
        let mut w = split(title);
        numbers(&mut w, rng, 1.0);
        let letters: Vec<char> = title.chars().filter(|c| c.is_alphabetic()).collect();
        let mode = if letters.len() > 3 && letters.iter().all(|c| c.is_uppercase()) {
            CaseMode::AllCaps
        } else {
            CaseMode::Sentence
        };
        let m = self.rewrites.matches(&w, mode, &|_| false);
        let w = self.rewrites.apply(&w, &m, rng);
        join(&w)
    }

    /// One sentence paraphrased; a split gives two.
    pub fn sentence(
        &self,
        text: &str,
        heading: bool,
        first_of_article: bool,
        rng: &mut impl Rng,
    ) -> Vec<String> {
        let (dateline, rest) = split_dateline(text);
        let mut words = split(rest);
        if words.is_empty() {
            return vec![text.to_string()];
        }
        numbers(&mut words, rng, 0.9);
        if !heading {
            trim(&mut words, rng);
            reshape(&mut words, self.lexicon, rng);
        }
        let mut parts: Vec<Vec<Word>> = vec![words];
        if !heading && rng.random_bool(P_STRUCTURE) {
            parts = self.restructure(parts.pop().unwrap_or_default(), rng);
        }
        let keep_quotes = rng.random_bool(P_KEEP_QUOTE);
        let mut out = Vec::with_capacity(parts.len());
        for (k, words) in parts.into_iter().enumerate() {
            let quoted = quote_mask(&words);
            let protect = |i: usize| keep_quotes && quoted[i];
            let m = self.rewrites.matches(&words, CaseMode::Sentence, &protect);
            let chosen: Vec<_> = m.into_iter().filter(|_| rng.random_bool(P_SWAP)).collect();
            let mut words = self.rewrites.apply(&words, &chosen, rng);
            fix_articles(&mut words);
            if let Some(w) = words.first_mut() {
                if !heading {
                    w.core = capitalize(&w.core);
                }
            }
            let mut s = join(&words);
            if k == 0 {
                if let Some(d) = dateline {
                    // Rewrites usually drop the wire dateline; keep it sometimes.
                    if first_of_article && rng.random_bool(0.4) {
                        s = format!("{d}{s}");
                    }
                }
            }
            out.push(s);
        }
        out
    }
}

/// Which words are inside a quotation.
fn quote_mask(words: &[Word]) -> Vec<bool> {
    let mut inside = false;
    words
        .iter()
        .map(|w| {
            if w.pre.contains(['"', '“']) {
                inside = true;
            }
            let here = inside;
            if w.post.contains(['"', '”']) {
                inside = false;
            }
            here
        })
        .collect()
}

/// A Reuters dateline (`NEW YORK, March 2 - `) at the start of `text`.
pub(crate) fn split_dateline(text: &str) -> (Option<&str>, &str) {
    if let Some(pos) = text.find(" - ") {
        let head = &text[..pos];
        if pos < 60
            && head.contains(',')
            && head
                .chars()
                .filter(|c| c.is_alphabetic())
                .take(3)
                .all(char::is_uppercase)
        {
            let (d, rest) = text.split_at(pos + 3);
            if !rest.is_empty() {
                return (Some(d), rest);
            }
        }
    }
    (None, text)
}

/// Merges some pairs of short neighbouring sentences and drops some short
/// ones (never the first sentence, never fixed material).
fn merge_and_drop(doc: &mut Doc, lexicon: &Lexicon, rng: &mut impl Rng) {
    let total = doc.sentence_count();
    for (pi, p) in doc.paras.iter_mut().enumerate() {
        let mut out: Vec<Sent> = Vec::with_capacity(p.len());
        for s in p.drain(..) {
            let short = s.words() <= 12;
            let plain = !s.heading && !s.fixed && !s.text.contains(['"', '“', '”']);
            if let Some(prev) = out.last_mut() {
                let prev_ok = !prev.heading
                    && !prev.fixed
                    && prev.words() <= 14
                    && prev.text.ends_with('.')
                    && !prev.text.contains(['"', '“', '”']);
                if short && plain && prev_ok && !prev.leads && rng.random_bool(0.5) {
                    let mut w = split(&s.text);
                    if let Some(f) = w.first_mut() {
                        lexicon.demote(f);
                    }
                    prev.text.pop();
                    let glue = if rng.random_bool(0.5) { ", and " } else { "; " };
                    prev.text.push_str(glue);
                    prev.text.push_str(&join(&w));
                    continue;
                }
            }
            let not_first = pi > 0 || !out.is_empty();
            let p_drop = if short { 0.25 } else { 0.15 };
            if plain && !s.leads && not_first && total > 6 && rng.random_bool(p_drop) {
                continue;
            }
            out.push(s);
        }
        *p = out;
    }
    doc.tidy();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        let (d, r) = split_dateline("NEW YORK, March 2 - Shares rose.");
        assert_eq!(d, Some("NEW YORK, March 2 - "));
        assert_eq!(r, "Shares rose.");
        assert_eq!(split_dateline("He said - no.").0, None);
    }
}
