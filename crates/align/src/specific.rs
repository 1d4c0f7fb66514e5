//! What a pair shares once the frame is set aside.
//!
//! Two articles are reuse only when they share *specific* content: the same
//! issuer, deal, figures, quote or event. A template (two companies'
//! eurobond issues, two weeks' money-market figures) shares a frame, the
//! fixed wording of its genre, filled with other names, numbers and dates.
//! An aligner sees the frame as matching sentences; this module looks at
//! what is left of each aligned group once the frame is set aside:
//!
//! - the **specific terms** both sides of a group share: names, numbers and
//!   words rare in the corpus (at least [`SPECIFIC_INFO`] nats), which a
//!   frame does not carry and a reused story keeps;
//! - the **specific word sequences** both sides share: word 3-grams that
//!   hold at least one specific term ("retained Salomon Brothers", "16.39
//!   mln barrels"), where a frame's own sequences ("the lower dividend
//!   reflects") hold none;
//! - the **slot fillers that differ**: numbers and names in one side of a
//!   group that the other article carries nowhere. A template changes its
//!   fillers in every sentence; a rewrite keeps most of its story's and
//!   changes a few.
//!
//! Corpus rarity is the store's document frequency of each term (unigram
//! frequencies: the index has them at any scale, and they grow with the
//! store without a rebuild). A frame's words are common across the corpus
//! because its genre recurs, which is the document-frequency cut of passim,
//! applied to the terms that fill a sequence rather than to the sequences.

use std::collections::HashSet;

use serde::Serialize;

use crate::align::Alignment;
use crate::analyzed::AnalyzedArticle;
use crate::similarity::TermRarity;

/// Least corpus information (nats) of a term for it to count as specific.
/// `ln(1 + N/df)` with the store's smoothing: in the 21k BBC + Reuters
/// corpus, a term found in at most about 60 articles ("Koether", "Gelco",
/// "1,113,500"); not "dividend", "Bank", "England", "mln" or "pct".
pub const SPECIFIC_INFO: f32 = 5.5;

/// Fewest documents of a corpus whose rarity can tell a frame: below about
/// 5,000, the smoothed rarity of even a term seen once stays under
/// [`SPECIFIC_INFO`] (see `TermRarity`), so no term could be specific.
pub const MIN_FRAME_DOCS: u64 = 5_000;

/// Length of the word sequences compared.
const GRAM: usize = 3;

/// What a pair's aligned groups share and where their fillers differ.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Specificity {
    /// Distinct specific terms shared within aligned groups.
    pub shared_terms: usize,
    /// Their corpus information, in nats.
    pub shared_info: f32,
    /// Distinct word 3-grams shared within aligned groups that hold a
    /// specific term.
    pub shared_grams: usize,
    /// Distinct numbers shared within aligned groups.
    pub numbers_shared: usize,
    /// Distinct numbers of an aligned group that the other article carries
    /// nowhere (either side).
    pub numbers_differing: usize,
    /// Distinct specific names of an aligned group that the other article
    /// carries nowhere (either side).
    pub names_differing: usize,
    /// Words of the longest word-for-word aligned group that quotes someone
    /// and whose own numbers and names all appear in the other article: a
    /// quote carried over whole, which a frame filled with other facts
    /// does not give.
    pub verbatim_quote_words: usize,
    /// Whether the corpus rarity could tell a frame (a store of at least
    /// [`MIN_FRAME_DOCS`] articles). Without it, the pair is judged on its
    /// alignment alone.
    pub frames_known: bool,
}

impl Specificity {
    /// Differing fillers per shared specific term (plus one): high for a
    /// frame filled with other facts, low for a rewrite of one story.
    pub fn differing_ratio(&self) -> f32 {
        (self.numbers_differing + self.names_differing) as f32 / (1 + self.shared_terms) as f32
    }

    /// Measures the aligned groups of `alignment` between `derived` and
    /// `source`. Without `rarity`, or with one from a corpus smaller than
    /// [`MIN_FRAME_DOCS`], every term counts as specific that is a name or a
    /// number (no corpus to tell a frame by).
    pub fn of(
        derived: &AnalyzedArticle,
        source: &AnalyzedArticle,
        alignment: &Alignment,
        rarity: Option<&TermRarity>,
    ) -> Specificity {
        let rarity = rarity.filter(|r| r.docs() >= MIN_FRAME_DOCS);
        let specific = |term: &str, salient: bool| match rarity.and_then(|r| r.info(term)) {
            Some(info) => info >= SPECIFIC_INFO,
            None => salient,
        };
        let all_d = all_terms(derived);
        let all_s = all_terms(source);
        let mut shared: HashSet<&str> = HashSet::new();
        let mut grams: HashSet<Vec<&str>> = HashSet::new();
        let mut numbers_shared: HashSet<&str> = HashSet::new();
        let mut numbers_differing: HashSet<&str> = HashSet::new();
        let mut names_differing: HashSet<&str> = HashSet::new();
        let mut verbatim_quote_words = 0;
        for g in &alignment.groups {
            let d = group_terms(derived, &g.derived);
            let s = group_terms(source, &g.source);
            for t in d.iter().filter(|t| s.contains(*t)) {
                if specific(t, is_salient(derived, &g.derived, t)) {
                    shared.insert(t);
                }
                if t.starts_with('#') {
                    numbers_shared.insert(t);
                }
            }
            for (side, other_all, x, idx) in [
                (&d, &all_s, derived, &g.derived),
                (&s, &all_d, source, &g.source),
            ] {
                for t in side.iter().filter(|t| !other_all.contains(*t)) {
                    if !is_salient(x, idx, t) {
                        continue;
                    }
                    if t.starts_with('#') {
                        numbers_differing.insert(t);
                    } else if specific(t, true) {
                        names_differing.insert(t);
                    }
                }
            }
            if g.kind == crate::align::MatchKind::Verbatim
                && quotes(derived, &g.derived)
                && fillers_agree(&d, derived, &g.derived, &all_s)
                && fillers_agree(&s, source, &g.source, &all_d)
            {
                let words = g
                    .derived
                    .iter()
                    .map(|&i| derived.features[i].norms.len())
                    .sum::<usize>();
                verbatim_quote_words = verbatim_quote_words.max(words);
            }
            let dg = group_grams(derived, &g.derived, &specific);
            let sg = group_grams(source, &g.source, &specific);
            grams.extend(dg.intersection(&sg).cloned());
        }
        let shared_info = shared
            .iter()
            .map(|t| {
                rarity
                    .and_then(|r| r.info(t))
                    .unwrap_or(crate::similarity::DEFAULT_TERM_INFO)
            })
            .sum();
        Specificity {
            shared_terms: shared.len(),
            shared_info,
            shared_grams: grams.len(),
            numbers_shared: numbers_shared.len(),
            numbers_differing: numbers_differing.len(),
            names_differing: names_differing.len(),
            verbatim_quote_words,
            frames_known: rarity.is_some(),
        }
    }
}

/// Every content term of an article.
fn all_terms(x: &AnalyzedArticle) -> HashSet<&str> {
    x.features
        .iter()
        .flat_map(|f| f.terms.iter().map(String::as_str))
        .collect()
}

/// The content terms of some sentences.
fn group_terms<'a>(x: &'a AnalyzedArticle, sentences: &[usize]) -> HashSet<&'a str> {
    sentences
        .iter()
        .flat_map(|&i| x.features[i].terms.iter().map(String::as_str))
        .collect()
}

/// Whether one of `sentences` quotes someone (straight or curly quotation
/// marks).
fn quotes(x: &AnalyzedArticle, sentences: &[usize]) -> bool {
    sentences.iter().any(|&i| {
        let text = x.sentence_text(i);
        text.contains('"') || text.contains('\u{201c}')
    })
}

/// Whether every name and number of a group's `terms` is found somewhere in
/// the other article (`other_all`).
fn fillers_agree(
    terms: &HashSet<&str>,
    x: &AnalyzedArticle,
    sentences: &[usize],
    other_all: &HashSet<&str>,
) -> bool {
    terms
        .iter()
        .all(|t| other_all.contains(*t) || !is_salient(x, sentences, t))
}

/// Whether `term` is a name or number in one of `sentences`.
fn is_salient(x: &AnalyzedArticle, sentences: &[usize], term: &str) -> bool {
    sentences.iter().any(|&i| {
        x.features[i]
            .salient
            .binary_search_by(|s| s.as_str().cmp(term))
            .is_ok()
    })
}

/// The word 3-grams (normal forms) of some sentences that hold at least one
/// specific term.
fn group_grams<'a>(
    x: &'a AnalyzedArticle,
    sentences: &[usize],
    specific: &dyn Fn(&str, bool) -> bool,
) -> HashSet<Vec<&'a str>> {
    let mut out = HashSet::new();
    for &i in sentences {
        let tokens = &x.tokens[i];
        let flags: Vec<bool> = tokens
            .iter()
            .enumerate()
            .map(|(k, t)| {
                if t.stop || t.stem.is_empty() {
                    return false;
                }
                let number = t.kind == unspun_segment::TokenKind::Number;
                let term = if number {
                    format!("#{}", t.norm)
                } else {
                    t.stem.clone()
                };
                specific(&term, number || (t.capitalized && k > 0))
            })
            .collect();
        for w in 0..tokens.len().saturating_sub(GRAM - 1) {
            if flags[w..w + GRAM].iter().any(|&f| f) {
                out.insert(
                    tokens[w..w + GRAM]
                        .iter()
                        .map(|t| t.norm.as_str())
                        .collect(),
                );
            }
        }
    }
    out
}
