//! Embedding evidence for the aligner: a calibrated blend of the lexical
//! score and a sentence-embedding cosine.
//!
//! The aligner's lexical rules stay as they are; embeddings can only *add*
//! matches that lexical evidence alone misses (a paraphrase that shares few
//! words), never take one away. A pair is admitted on embedding evidence when
//! all of these hold:
//!
//! 1. **The blend says paraphrase.** `p = sigmoid(bias + Σ w·(x − mean)/std)`
//!    over `[lexical score, containment of the less-covered side, cosine]`,
//!    fitted on MRPC train only (4,076 pairs) by
//!    `crates/bench/src/bin/similarity_eval/main.rs` (modes `align-static` and
//!    `align-minilm`, docs/SIMILARITY-BENCH.md), must clear its fitted
//!    threshold. The lexical inputs are the two the aligner already computes
//!    per sentence pair; the containment one is the strongest lexical
//!    feature of the stand-alone pair classifier.
//! 2. **The cosine is high on its own:** at least the embedder's fitted
//!    cosine-alone threshold. Only then are the lexical floors lowered
//!    (`min_shared` to [`SEMANTIC_MIN_SHARED`], `min_info` to
//!    [`SEMANTIC_MIN_INFO`]).
//! 3. **Nothing lexical contradicts it.** Both sentences hold numbers and
//!    share none, or both hold names and share none: a cosine cannot tell
//!    12,000 from 1,200 or one minister from another, so it is not allowed
//!    to decide. (Pairs that already align lexically, such as "raised" vs
//!    "cut", still align: the change detector reports what changed.)
//!
//! With no shared content word at all, the blend stays below its threshold
//! up to a cosine of 0.95 (the fitted weights make the lexical inputs
//! necessary), and rule 2's floor of [`SEMANTIC_MIN_SHARED`] shared terms
//! forbids it at any cosine: cosine alone never aligns two sentences.
//!
//! In `minilm` mode the static model does the first pass and MiniLM re-scores
//! the *borderline* pairs: those that pass the gates of rules 2–3 for the
//! static model's blend within [`BORDERLINE_BAND`] of its threshold. Their
//! decision is then taken by the MiniLM blend alone.

// The fitted constants are kept exactly as the fitting tool printed them.
#![allow(clippy::excessive_precision)]

/// Which embedding a cosine came from: each has its own fitted blend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmbeddingKind {
    /// The static (model2vec-style) embedder.
    Static,
    /// all-MiniLM-L6-v2.
    MiniLm,
}

/// Fewest distinct shared content terms for a match on embedding evidence
/// (lexical matches need `min_shared`, default 3).
pub const SEMANTIC_MIN_SHARED: usize = 2;

/// Least corpus information (nats) of the shared terms for a match on
/// embedding evidence (lexical matches need `min_info`, default 10).
pub const SEMANTIC_MIN_INFO: f32 = 6.0;

/// Half-width (in probability) of the band around the static blend's
/// threshold within which `minilm` mode re-scores a pair with MiniLM.
pub const BORDERLINE_BAND: f32 = 0.2;

/// A fitted blend: `p = sigmoid(bias + Σ w·(x − mean)/std)` over
/// `[score, contained_min, cosine]`.
#[derive(Clone, Copy, Debug)]
pub struct Blend {
    means: [f32; 3],
    stds: [f32; 3],
    weights: [f32; 3],
    bias: f32,
    /// Paraphrase when `p >=` this (best accuracy on MRPC train).
    pub threshold: f32,
    /// The embedder's cosine-alone threshold on MRPC train: below it the
    /// lexical floors are not lowered.
    pub min_cosine: f32,
}

/// `align-static`, fitted on MRPC train (docs/SIMILARITY-BENCH.md).
pub const STATIC_BLEND: Blend = Blend {
    means: [0.462613, 0.349537, 0.873847],
    stds: [0.181434, 0.179027, 0.077108],
    weights: [0.170400, 0.695712, 0.439051],
    bias: 0.964068,
    threshold: 0.494067,
    min_cosine: 0.783129,
};

/// `align-minilm`, fitted on MRPC train (docs/SIMILARITY-BENCH.md).
pub const MINILM_BLEND: Blend = Blend {
    means: [0.462613, 0.349537, 0.793791],
    stds: [0.181434, 0.179027, 0.141022],
    weights: [0.163211, 0.638960, 0.599656],
    bias: 0.968293,
    threshold: 0.523032,
    min_cosine: 0.687399,
};

impl Blend {
    /// The blend of one kind of embedding.
    pub fn of(kind: EmbeddingKind) -> &'static Blend {
        match kind {
            EmbeddingKind::Static => &STATIC_BLEND,
            EmbeddingKind::MiniLm => &MINILM_BLEND,
        }
    }

    /// The calibrated probability that a pair with this lexical `score`,
    /// containment of the less-covered side `contained_min` and `cosine`
    /// is a paraphrase.
    pub fn probability(&self, score: f32, contained_min: f32, cosine: f32) -> f32 {
        let x = [score, contained_min, cosine];
        let z: f32 = (0..3)
            .map(|k| self.weights[k] * (x[k] - self.means[k]) / self.stds[k])
            .sum::<f32>()
            + self.bias;
        1.0 / (1.0 + (-z).exp())
    }
}

/// Re-scores sentence pairs `(derived index, source index)` with a second
/// embedder, returning one cosine per pair (in order), or `None` for a pair
/// it could not score. Used by `minilm` mode for the borderline pairs.
pub type Rescore<'a> = dyn Fn(&[(usize, usize)]) -> Vec<Option<f32>> + Sync + 'a;

/// Sentence vectors of both articles, for [`crate::Aligner::align_with`].
#[derive(Clone, Copy)]
pub struct Semantic<'a> {
    /// Which embedder made `derived` and `source`.
    pub kind: EmbeddingKind,
    /// One L2-normalised vector per sentence of the derived article.
    pub derived: &'a [Vec<f32>],
    /// One L2-normalised vector per sentence of the source.
    pub source: &'a [Vec<f32>],
    /// MiniLM cosines for borderline pairs (`minilm` mode), if any.
    pub rescore: Option<&'a Rescore<'a>>,
}

impl std::fmt::Debug for Semantic<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Semantic")
            .field("kind", &self.kind)
            .field("derived", &self.derived.len())
            .field("source", &self.source.len())
            .field("rescore", &self.rescore.is_some())
            .finish()
    }
}

/// Dot product: the cosine of two L2-normalised vectors.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_alone_never_clears_the_blend() {
        for blend in [&STATIC_BLEND, &MINILM_BLEND] {
            assert!(blend.probability(0.0, 0.0, 0.95) < blend.threshold);
            assert!(blend.probability(0.1, 0.1, 0.85) < blend.threshold);
        }
    }

    #[test]
    fn probability_rises_with_every_input() {
        let b = &STATIC_BLEND;
        let p = b.probability(0.3, 0.3, 0.8);
        assert!(b.probability(0.4, 0.3, 0.8) > p);
        assert!(b.probability(0.3, 0.4, 0.8) > p);
        assert!(b.probability(0.3, 0.3, 0.9) > p);
    }
}
