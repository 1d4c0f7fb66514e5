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
    /// Whether every aligned group is a genre's frame sentence matched to
    /// the same frame, one at least filled with other figures: the pair
    /// shares the corpus's fixed wording and no sentence of its own (see
    /// [`frame_only`]).
    pub frame_only: bool,
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
                verbatim_quote_words = verbatim_quote_words.max(derived.words(&g.derived));
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
            frame_only: rarity.is_some_and(|r| frame_only(derived, source, alignment, r)),
        }
    }
}

/// How an aligned group stands against the corpus's sentence shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GroupShape {
    /// No sentence of the derived side is long enough to have a shape
    /// (`unspun_fingerprint::MIN_SHAPE_WORDS`) or to say anything alone.
    Short,
    /// Every shaped derived sentence is matched to a source sentence of the
    /// same shape, which the corpus fills other ways too; `differs` when
    /// one of them is filled differently.
    Frame { differs: bool },
    /// A sentence of its own: no shape, or one the corpus does not hold
    /// with other fillers.
    Own,
}

/// Whether the pair's aligned groups are all frames of the corpus, at
/// least one filled with other figures (two days' grain-ship tables, two
/// companies' "Qtly div 10 cts vs 10 cts prior" notices): the genre's
/// wording, not a story. A group that is a sentence of its own, number-free
/// or with a shape the corpus does not fill other ways, makes the pair
/// something else, so a story and its update (whose sentences keep the
/// story's names and wording) are never frame-only.
fn frame_only(
    derived: &AnalyzedArticle,
    source: &AnalyzedArticle,
    alignment: &Alignment,
    rarity: &TermRarity,
) -> bool {
    if !rarity.knows_frames() {
        return false;
    }
    let mut differs = false;
    for g in &alignment.groups {
        match group_shape(derived, source, &g.derived, &g.source, rarity) {
            GroupShape::Own => return false,
            GroupShape::Frame { differs: true } => differs = true,
            GroupShape::Frame { differs: false } | GroupShape::Short => {}
        }
    }
    differs
}

fn group_shape(
    derived: &AnalyzedArticle,
    source: &AnalyzedArticle,
    d_sentences: &[usize],
    s_sentences: &[usize],
    rarity: &TermRarity,
) -> GroupShape {
    let source_shapes: Vec<_> = s_sentences
        .iter()
        .filter_map(|&j| source.sentence_shape(j))
        .collect();
    let mut frame = false;
    let mut differs = false;
    for &i in d_sentences {
        let Some(d) = derived.sentence_shape(i) else {
            if derived.tokens[i].len() >= unspun_fingerprint::MIN_SHAPE_WORDS {
                return GroupShape::Own;
            }
            continue;
        };
        let Some(s) = source_shapes.iter().find(|s| s.shape == d.shape) else {
            return GroupShape::Own;
        };
        if !rarity.is_frame(d.shape, d.filler, s.filler) {
            // The corpus does not fill the shape three ways: the sentence is
            // this story's (or its copy's, a figure changed), not a genre's.
            return GroupShape::Own;
        }
        differs |= s.filler != d.filler;
        frame = true;
    }
    // Checked last, as the dearest test: most groups of a real story end
    // above, at a sentence of their own.
    if shares_specific_number(derived, source, d_sentences, s_sentences, rarity) {
        // A rare figure on both sides ("Net 1,914,388 vs 1,906,095") is
        // this story's, however fixed the wording around it: a corrected
        // results table keeps all its figures but one.
        return GroupShape::Own;
    }
    if frame {
        GroupShape::Frame { differs }
    } else {
        GroupShape::Short
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

/// Whether the two sides of a group share a number rare in the corpus (at
/// least [`SPECIFIC_INFO`] nats): a figure that tells one notice from
/// another, where "Qtly div 10 cts vs 10 cts prior" or "1 0" in a
/// grain-ship table fill a thousand.
fn shares_specific_number(
    derived: &AnalyzedArticle,
    source: &AnalyzedArticle,
    d_sentences: &[usize],
    s_sentences: &[usize],
    rarity: &TermRarity,
) -> bool {
    let numbers = |x: &AnalyzedArticle, sentences: &[usize]| -> HashSet<String> {
        sentences
            .iter()
            .flat_map(|&i| x.tokens[i].iter())
            .filter(|t| t.kind == unspun_segment::TokenKind::Number)
            .map(|t| format!("#{}", t.norm))
            .collect()
    };
    let theirs = numbers(source, s_sentences);
    numbers(derived, d_sentences)
        .intersection(&theirs)
        .any(|n| rarity.info(n).is_none_or(|info| info >= SPECIFIC_INFO))
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::relation::{classify, Relation};
    use crate::testing::{analyzed, rarity_of};

    /// Rarity of every term of `a` and `b` in a corpus of 21,000 articles,
    /// each term in `df(term)` of them, and the fillers the corpus holds
    /// for each sentence shape: those of `corpus`, plus, with `other_ways`,
    /// two more for every shape (a genre filled many ways).
    fn corpus(
        a: &AnalyzedArticle,
        b: &AnalyzedArticle,
        df: impl Fn(&str) -> u64,
        corpus: &[&AnalyzedArticle],
        other_ways: bool,
    ) -> TermRarity {
        let mut frames: HashMap<u64, Vec<u64>> = HashMap::new();
        for x in corpus {
            for s in (0..x.sentences.len()).filter_map(|i| x.sentence_shape(i)) {
                let fillers = frames.entry(s.shape).or_default();
                if !fillers.contains(&s.filler) {
                    fillers.push(s.filler);
                }
                if other_ways && fillers.len() < 3 {
                    fillers.extend([1, 2]);
                }
            }
        }
        rarity_of(a, b, df).with_frames(frames)
    }

    /// Three days' Portland grain-ship notices of Reuters-21578
    /// (reuters-3386, reuters-12327, reuters-106): one sentence, its
    /// counts written in words.
    const PORTLAND: [&str; 3] = [
        "There were three grain ships loading\nand two ships were waiting to load at Portland, according to\nthe Portland Merchants Exchange.",
        "There were five grain ships loading and\nthree ships were waiting to load at Portland, according to the\nPortland Merchants Exchange.",
        "There were seven grain ships loading and\nsix ships were waiting to load at Portland, according to the\nPortland Merchants Exchange.",
    ];

    #[test]
    fn a_frame_the_corpus_fills_three_ways_is_a_template() {
        let [a, b, c] = [0, 1, 2].map(|i| analyzed(&format!("portland-{i}"), PORTLAND[i]));
        let alignment = crate::Aligner::new().align(&b, &a);
        // "Portland" and "Merchants" are rare in the corpus: without the
        // frames, the two days' notices share specific words.
        let df = |t: &str| {
            if t.starts_with("portland") || t == "merchant" {
                40
            } else {
                2_000
            }
        };
        let two_ways = corpus(&a, &b, df, &[&a, &b], false);
        let spec = Specificity::of(&b, &a, &alignment, Some(&two_ways));
        assert!(
            !spec.frame_only,
            "a shape filled two ways is a story and its edit: {spec:?}"
        );
        let three_ways = corpus(&a, &b, df, &[&a, &b, &c], false);
        let spec = Specificity::of(&b, &a, &alignment, Some(&three_ways));
        assert!(spec.frame_only, "{spec:?}");
        assert_eq!(
            classify(&b, &a, &alignment, &spec),
            Some(Relation::Template)
        );
        // The same day's notice sent twice is filled alike: not a template.
        let again = analyzed("portland-0-again", PORTLAND[0]);
        let alignment = crate::Aligner::new().align(&again, &a);
        let spec = Specificity::of(&again, &a, &alignment, Some(&three_ways));
        assert!(!spec.frame_only, "{spec:?}");
    }

    /// A results table and its correction (reuters-9364, reuters-9405):
    /// every line is the genre's, and one figure changed.
    const LILLY: &str = "Feb 28 end\n    Shr 18 cts vs 13 cts\n    Net 1,541,000 vs 1,122,000\n    Sales 36.7 mln vs 33.5 mln\n    Avg shrs 8,517,000 vs 8,441,000\n    NOTE: Share adjusted for five pct stock dividend in August\n1986.";
    const LILLY_CORRECTED: &str = "1st qtr Feb 28 end\n    Shr 18 cts vs 13 cts\n    Net 1,541,000 vs 1,122,000\n    Sales 39.7 mln vs 33.5 mln\n    Avg shrs 8,517,000 vs 8,441,000\n    NOTE: Share adjusted for five pct stock dividend in August\n1986.\n    Company corrects current year sales.";

    #[test]
    fn a_corrected_table_keeps_its_rare_figures_and_is_not_a_frame() {
        let (a, b) = (
            analyzed("reuters-9364", LILLY),
            analyzed("reuters-9405", LILLY_CORRECTED),
        );
        let alignment = crate::Aligner::new().align(&b, &a);
        // The corpus fills every shape of both other ways too; the net and
        // share counts are the company's own (found in two articles).
        let df = |t: &str| match t {
            "#1541000" | "#1122000" | "#8517000" | "#8441000" => 2,
            _ => 3_000,
        };
        let rarity = corpus(&a, &b, df, &[&a, &b], true);
        let spec = Specificity::of(&b, &a, &alignment, Some(&rarity));
        assert!(!spec.frame_only, "{spec:?}");
        assert!(classify(&b, &a, &alignment, &spec).is_some_and(Relation::is_derivation));
        // Were those figures common, nothing would tell it from another
        // company's table of the same genre.
        let rarity = corpus(&a, &b, |_| 3_000, &[&a, &b], true);
        let spec = Specificity::of(&b, &a, &alignment, Some(&rarity));
        assert!(spec.frame_only, "{spec:?}");
    }
}
