//! The sentence-pair paraphrase classifier behind `unspun similarity`.
//!
//! A logistic regression over lexical features of the pair (the lexical
//! score and its parts, word n-gram overlap of all tokens, containment of
//! the less-covered side, number and negation agreement), optionally with
//! the cosine of static sentence embeddings. Weights and thresholds were
//! fitted on MRPC train only (4,076 pairs) by
//! `crates/bench/src/bin/similarity_eval/main.rs`; its report,
//! `docs/SIMILARITY-BENCH.md`, has the test figures (MRPC test accuracy /
//! F1: lexical 0.753 / 0.823, lexical + static 0.763 / 0.829, and with the
//! margin of the MiniLM pair model as well 0.812 / 0.865).
//!
//! The number and negation features are what an embedding cannot see:
//! "12,000" against "1,200" or "not back down" against "back down".

// The fitted constants are kept exactly as the fitting tool printed them,
// so they can be compared with docs/SIMILARITY-BENCH.md digit for digit.
#![allow(clippy::excessive_precision)]

use std::collections::BTreeSet;

use unspun_article::{Article, ArticleId};
use unspun_segment::{Analyzer, Segmenter, TokenKind};
use xxhash_rust::xxh3::xxh3_64;

use crate::analyzed::AnalyzedArticle;
use crate::similarity::{dice, PairSimilarity, SentenceScore};

/// Names of the lexical features, in order.
pub const LEXICAL_FEATURES: [&str; 16] = [
    "score",
    "terms",
    "chars",
    "contained_min",
    "contained_max",
    "shared_ln1p",
    "numbers_equal",
    "numbers_differ",
    "numbers_one_side",
    "negation_mismatch",
    "terms_len_ratio",
    "terms_plain_dice",
    "words_dice",
    "bigrams_dice",
    "trigrams_dice",
    "tokens_len_ratio",
];

/// A fitted logistic model: `p = sigmoid(bias + Σ w·(x − mean)/std)`.
struct Logistic {
    means: &'static [f32],
    stds: &'static [f32],
    weights: &'static [f32],
    bias: f32,
    threshold: f32,
}

impl Logistic {
    fn probability(&self, x: &[f64]) -> f32 {
        let z: f64 = x
            .iter()
            .zip(self.means.iter().zip(self.stds.iter().zip(self.weights)))
            .map(|(&x, (&m, (&s, &w)))| w as f64 * (x - m as f64) / s as f64)
            .sum::<f64>()
            + self.bias as f64;
        (1.0 / (1.0 + (-z).exp())) as f32
    }
}

/// `lexical-lr`, fitted on MRPC train (docs/SIMILARITY-BENCH.md).
const LEXICAL: Logistic = Logistic {
    means: &[
        0.462613, 0.406488, 0.630988, 0.349537, 0.513749, 2.144570, 0.159470, 0.170510, 0.086114,
        0.042444, 0.844792, 0.676891, 0.668475, 0.479707, 0.371913, 0.851030,
    ],
    stds: &[
        0.181434, 0.191893, 0.164958, 0.179027, 0.248169, 0.381671, 0.366114, 0.376080, 0.280532,
        0.201599, 0.116519, 0.160815, 0.146977, 0.200368, 0.223565, 0.099996,
    ],
    weights: &[
        -0.080100, -0.156607, 0.194137, 0.458157, -0.038199, -0.150327, -0.003435, -0.233052,
        -0.060590, -0.240788, -0.137381, 0.279496, 1.016190, 0.255442, -0.805418, 0.425600,
    ],
    bias: 0.990577,
    threshold: 0.536552,
};

/// `lexical+static`, fitted on MRPC train (docs/SIMILARITY-BENCH.md); the
/// last feature is the static-embedding cosine.
const LEXICAL_STATIC: Logistic = Logistic {
    means: &[
        0.462613, 0.406488, 0.630988, 0.349537, 0.513749, 2.144570, 0.159470, 0.170510, 0.086114,
        0.042444, 0.844792, 0.676891, 0.668475, 0.479707, 0.371913, 0.851030, 0.873847,
    ],
    stds: &[
        0.181434, 0.191893, 0.164958, 0.179027, 0.248169, 0.381671, 0.366114, 0.376080, 0.280532,
        0.201599, 0.116519, 0.160815, 0.146977, 0.200368, 0.223565, 0.099996, 0.077108,
    ],
    weights: &[
        -0.129812, -0.191857, 0.098443, 0.447026, -0.038344, -0.217865, -0.026995, -0.348722,
        -0.046024, -0.242551, -0.138367, 0.305098, 0.804458, 0.282904, -0.831056, 0.424527,
        0.489926,
    ],
    bias: 0.995048,
    threshold: 0.520796,
};

/// `lexical+static+minilm-pair`, fitted on the fifth of MRPC train the pair
/// model's adapter never saw (docs/SIMILARITY-BENCH.md); the last two
/// features are the static-embedding cosine and the pair model's margin.
const LEXICAL_STATIC_PAIR: Logistic = Logistic {
    means: &[
        0.462190, 0.405741, 0.631535, 0.346799, 0.516967, 2.150247, 0.160736, 0.161963, 0.104294,
        0.039264, 0.841785, 0.676272, 0.668317, 0.479178, 0.370187, 0.850696, 0.872486, 3.583269,
    ],
    stds: &[
        0.180247, 0.191422, 0.161642, 0.176783, 0.250716, 0.374362, 0.367287, 0.368417, 0.305642,
        0.194222, 0.113370, 0.160791, 0.145541, 0.192873, 0.216354, 0.099185, 0.077232, 5.767853,
    ],
    weights: &[
        0.069077, 0.117520, -0.109400, -0.163928, 0.021877, -0.037294, -0.133668, -0.077472,
        -0.059076, -0.168954, -0.008066, 0.464654, -0.183604, 0.023461, 0.017408, 0.338724,
        0.322573, 1.213251,
    ],
    bias: 1.109116,
    threshold: 0.461110,
};

/// The verdict on one pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairVerdict {
    /// Probability that the pair is a paraphrase, in `[0, 1]`.
    pub score: f32,
    /// Whether `score` clears the threshold fitted on MRPC train.
    pub paraphrase: bool,
    /// Both texts hold numbers, and not the same ones: "12,000" against
    /// "1,200". Reported apart from the score, which is fitted to MRPC's
    /// labels and weighs this lightly.
    pub numbers_differ: bool,
    /// One text is negated and the other is not.
    pub negation_differs: bool,
}

/// Scores sentence pairs: lexical features, plus an embedding cosine when
/// the caller has one (see [`PairClassifier::classify`]).
pub struct PairClassifier {
    segmenter: Segmenter,
    analyzer: Analyzer,
}

impl Default for PairClassifier {
    fn default() -> Self {
        PairClassifier {
            segmenter: Segmenter::new(),
            analyzer: Analyzer::new(),
        }
    }
}

impl PairClassifier {
    /// A classifier with the default segmenter and analyzer.
    pub fn new() -> PairClassifier {
        PairClassifier::default()
    }

    /// The lexical feature vector of two texts (see [`LEXICAL_FEATURES`]).
    pub fn features(&self, a: &str, b: &str) -> Vec<f64> {
        let analyzed = |text: &str| {
            AnalyzedArticle::new(
                Article::new(ArticleId::new("pair").expect("a valid id"), text),
                &self.segmenter,
                &self.analyzer,
            )
        };
        let (da, db) = (analyzed(a), analyzed(b));
        let sim = PairSimilarity::new(&da, &db);
        let ia: Vec<usize> = (0..da.sentences.len()).collect();
        let ib: Vec<usize> = (0..db.sentences.len()).collect();
        let score = sim.score_groups(&da, &ia, &db, &ib);
        lexical_features(&score, &PairSide::of(&da, &ia), &PairSide::of(&db, &ib))
    }

    /// Classifies a pair. With `cosine` (the static-embedding cosine of the
    /// two texts) the `lexical+static` model is used, else `lexical`.
    pub fn classify(&self, a: &str, b: &str, cosine: Option<f32>) -> PairVerdict {
        let mut x = self.features(a, b);
        let model = match cosine {
            Some(c) => {
                x.push(c as f64);
                &LEXICAL_STATIC
            }
            None => &LEXICAL,
        };
        verdict(model, &x)
    }

    /// Classifies a pair with the most evidence: lexical features, the
    /// static-embedding `cosine` and the `margin` of
    /// `unspun_embed::PairModel` (MiniLM reading both texts together).
    pub fn classify_with_pair_model(
        &self,
        a: &str,
        b: &str,
        cosine: f32,
        margin: f32,
    ) -> PairVerdict {
        let mut x = self.features(a, b);
        x.push(cosine as f64);
        x.push(margin as f64);
        verdict(&LEXICAL_STATIC_PAIR, &x)
    }
}

fn verdict(model: &Logistic, x: &[f64]) -> PairVerdict {
    let score = model.probability(x);
    PairVerdict {
        score,
        paraphrase: score >= model.threshold,
        // Indices into LEXICAL_FEATURES.
        numbers_differ: x[7] > 0.5,
        negation_differs: x[9] > 0.5,
    }
}

/// What the features need of one side of a pair: some sentences of an
/// analysed article. Built once per side when one side meets many others.
#[derive(Clone, Debug, Default)]
pub struct PairSide {
    numbers: BTreeSet<String>,
    negated: bool,
    terms: Vec<u64>,
    /// Word 1-, 2- and 3-grams of all token norms, stop words included.
    grams: [Vec<u64>; 3],
    tokens: usize,
}

fn is_negation(norm: &str) -> bool {
    matches!(
        norm,
        "not" | "no" | "never" | "nor" | "neither" | "none" | "nobody" | "nothing" | "cannot"
    ) || norm.ends_with("n't")
}

fn sorted(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

impl PairSide {
    /// The side made of `sentences` of `a`.
    pub fn of(a: &AnalyzedArticle, sentences: &[usize]) -> PairSide {
        let mut side = PairSide::default();
        let mut norms: Vec<&str> = Vec::new();
        let mut terms = Vec::new();
        for &i in sentences {
            for t in &a.tokens[i] {
                if t.kind == TokenKind::Number {
                    side.numbers.insert(t.norm.clone());
                } else if is_negation(&t.norm) {
                    side.negated = true;
                }
                norms.push(&t.norm);
            }
            terms.extend(a.features[i].terms.iter().map(|t| xxh3_64(t.as_bytes())));
        }
        side.terms = sorted(terms);
        side.tokens = norms.len();
        for n in 1..=3 {
            side.grams[n - 1] = sorted(
                norms
                    .windows(n)
                    .map(|w| xxh3_64(w.join("\u{1}").as_bytes()))
                    .collect(),
            );
        }
        side
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if a.max(b) == 0 {
        1.0
    } else {
        a.min(b) as f64 / a.max(b) as f64
    }
}

/// The lexical feature vector (see [`LEXICAL_FEATURES`]) of two sides
/// scored as one pair by [`PairSimilarity::score_groups`].
pub fn lexical_features(s: &SentenceScore, a: &PairSide, b: &PairSide) -> Vec<f64> {
    let flag = |x: bool| if x { 1.0 } else { 0.0 };
    let (na, nb) = (&a.numbers, &b.numbers);
    let both = !na.is_empty() && !nb.is_empty();
    vec![
        s.score as f64,
        s.terms as f64,
        s.chars as f64,
        s.derived_contained.min(s.source_contained) as f64,
        s.derived_contained.max(s.source_contained) as f64,
        (s.shared as f64).ln_1p(),
        flag(both && na == nb),
        flag(both && na != nb),
        flag(na.is_empty() != nb.is_empty()),
        flag(a.negated != b.negated),
        ratio(a.terms.len(), b.terms.len()),
        dice(&a.terms, &b.terms) as f64,
        dice(&a.grams[0], &b.grams[0]) as f64,
        dice(&a.grams[1], &b.grams[1]) as f64,
        dice(&a.grams[2], &b.grams[2]) as f64,
        ratio(a.tokens, b.tokens),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_paraphrase_and_non_paraphrase() {
        let c = PairClassifier::new();
        let yes = c.classify(
            "Kremlin foreign policy aide Yuri Ushakov, who took part in Friday's meeting and briefed reporters on the details, earlier described it as constructive and very useful.",
            "Kremlin foreign policy aide Yuri Ushakov, who participated in the meeting and later briefed reporters, characterized it as constructive and notably beneficial.",
            None,
        );
        assert!(yes.paraphrase, "{yes:?}");
        let no = c.classify(
            "Russia and Ukraine have not held direct talks since the early weeks of the war.",
            "Mr. Putin denies any intentions regarding NATO territory.",
            None,
        );
        assert!(!no.paraphrase, "{no:?}");
        assert!(yes.score > no.score);
    }

    #[test]
    fn a_changed_number_lowers_the_score() {
        let c = PairClassifier::new();
        let same = c.classify(
            "The fire destroyed 12,000 acres of forest on Tuesday.",
            "On Tuesday the fire destroyed 12,000 acres of forest.",
            None,
        );
        let changed = c.classify(
            "The fire destroyed 12,000 acres of forest on Tuesday.",
            "On Tuesday the fire destroyed 1,200 acres of forest.",
            None,
        );
        assert!(same.score > changed.score, "{same:?} vs {changed:?}");
        assert!(!same.numbers_differ && changed.numbers_differ);
        let negated = c.classify("We will back down.", "We will not back down.", None);
        assert!(negated.negation_differs);
    }

    #[test]
    fn feature_count_matches_the_models() {
        let x = PairClassifier::new().features("a b c", "a b d");
        assert_eq!(x.len(), LEXICAL_FEATURES.len());
        assert_eq!(LEXICAL.weights.len(), x.len());
        assert_eq!(LEXICAL_STATIC.weights.len(), x.len() + 1);
        assert_eq!(LEXICAL_STATIC_PAIR.weights.len(), x.len() + 2);
        assert_eq!(LEXICAL_STATIC_PAIR.means.len(), x.len() + 2);
    }
}
