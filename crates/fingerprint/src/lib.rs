//! # unspun-fingerprint: what an article is looked up by
//!
//! Three fingerprints are taken from an article's tokens (see `unspun-segment`):
//!
//! - **Index terms** ([`index_terms`]): the stems of its content words, names
//!   and numbers, with repeats. The store indexes them for BM25 retrieval,
//!   which finds sources through paraphrase, because a rewrite keeps most of
//!   the names, numbers and rare words of its source even when no sentence
//!   survives.
//! - **MinHash band keys** ([`MinHasher`]): locality-sensitive keys over word
//!   5-gram shingles. Two articles share a band key with high probability
//!   when their shingle sets overlap heavily, so near-verbatim copies are
//!   found by an exact key lookup, whatever their length.
//! - **Sentence shapes** ([`sentence_shape`]): each sentence's words with its
//!   numbers masked, and the numbers that fill them. The store counts the
//!   fillers of each shape, so that a genre's fixed sentences (a frame)
//!   can be told from a story's own.
//!
//! # Example
//!
//! ```
//! use unspun_fingerprint::{index_terms, MinHasher};
//! use unspun_segment::{Analyzer, Span};
//!
//! let text = "Trump's envoy met Putin for three hours in Moscow on Friday.";
//! let tokens = Analyzer::new().tokens(text, Span::new(0, text.len()));
//! let terms = index_terms(&tokens);
//! assert!(terms.contains(&"putin".to_string()));
//! assert!(!terms.contains(&"for".to_string()));
//!
//! let hasher = MinHasher::new();
//! let same = hasher.band_keys(&tokens);
//! assert_eq!(same, hasher.band_keys(&tokens));
//! assert_eq!(same.len(), hasher.bands());
//! ```
#![deny(missing_docs)]

mod shape;

pub use shape::{sentence_shape, sentence_shapes, SentenceShape, MIN_SHAPE_WORDS};

use unspun_segment::{Token, TokenKind};
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// The analysed terms of `tokens` for the retrieval index, in text order
/// with repeats (repeats carry term frequency).
///
/// Kept: the stem of every word that is not a stop word, and every number.
/// Numbers are prefixed with `#` so that "2025" the year and a word stem can
/// never collide, and so retrieval can tell them apart.
pub fn index_terms(tokens: &[Token]) -> Vec<String> {
    tokens
        .iter()
        .filter_map(|t| match t.kind {
            TokenKind::Number => Some(format!("#{}", t.norm)),
            TokenKind::Word if !t.stop && !t.stem.is_empty() => Some(t.stem.clone()),
            TokenKind::Word => None,
        })
        .collect()
}

/// MinHash signatures over word shingles, cut into LSH bands.
///
/// With the defaults (128 permutations, 32 bands of 4 rows, word 5-grams) two
/// articles whose shingle sets have Jaccard similarity `J` share at least one
/// band key with probability `1 - (1 - J^4)^32`: 0.87 at J = 0.5, 0.998 at
/// J = 0.7, 0.23 at J = 0.3. Bands serve near-verbatim copies; paraphrases are
/// left to BM25 retrieval over [`index_terms`].
#[derive(Clone, Debug)]
pub struct MinHasher {
    shingle: usize,
    bands: usize,
    rows: usize,
    /// Per-permutation multiplier `a` of `x -> (a*x + b) mod 2^64 >> 32`
    /// (see [`MinHasher::signature`]).
    mul: Vec<u64>,
    /// Per-permutation addend `b`.
    add: Vec<u64>,
}

/// Builds a [`MinHasher`].
#[derive(Clone, Debug)]
pub struct MinHasherBuilder {
    shingle: usize,
    bands: usize,
    rows: usize,
    seed: u64,
}

impl Default for MinHasherBuilder {
    fn default() -> Self {
        MinHasherBuilder {
            shingle: 5,
            bands: 32,
            rows: 4,
            seed: 0x756e_7370_756e, // "unspun"
        }
    }
}

impl MinHasherBuilder {
    /// A builder with the defaults: word 5-grams, 32 bands of 4 rows, fixed seed.
    pub fn new() -> Self {
        Self::default()
    }

    /// Words per shingle. Default 5, the usual setting of MinHash deduplicators.
    pub fn shingle(mut self, words: usize) -> Self {
        self.shingle = words.max(1);
        self
    }

    /// Number of bands and rows per band; permutations = bands x rows.
    /// Default 32 x 4. Changing it changes every key: a store must be
    /// re-ingested with the same setting.
    pub fn bands(mut self, bands: usize, rows: usize) -> Self {
        self.bands = bands.max(1);
        self.rows = rows.max(1);
        self
    }

    /// The seed of the permutations. Default fixed, so keys are stable across runs.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Builds the hasher.
    pub fn build(self) -> MinHasher {
        let n = self.bands * self.rows;
        let seeded = |i: usize, seed: u64| xxh3_64_with_seed(&(i as u64).to_le_bytes(), seed);
        // `a` odd: an even multiplier would lose the top bit of the product.
        MinHasher {
            shingle: self.shingle,
            bands: self.bands,
            rows: self.rows,
            mul: (0..n).map(|i| seeded(i, self.seed) | 1).collect(),
            add: (0..n).map(|i| seeded(i, !self.seed)).collect(),
        }
    }
}

impl Default for MinHasher {
    fn default() -> Self {
        MinHasherBuilder::new().build()
    }
}

impl MinHasher {
    /// The default hasher (see [`MinHasherBuilder`]).
    pub fn new() -> MinHasher {
        MinHasherBuilder::new().build()
    }

    /// Number of bands, which is the number of keys per article.
    pub fn bands(&self) -> usize {
        self.bands
    }

    /// Hashes of the word shingles of `tokens`: every run of `shingle`
    /// consecutive token norms (stop words included, as deduplicators do).
    /// A text shorter than one shingle yields one shingle of all its words.
    pub fn shingles(&self, tokens: &[Token]) -> Vec<u64> {
        let words: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let k = self.shingle.min(words.len());
        let mut buf = String::new();
        let mut out: Vec<u64> = words
            .windows(k)
            .map(|w| {
                buf.clear();
                for (i, word) in w.iter().enumerate() {
                    if i > 0 {
                        buf.push(' ');
                    }
                    buf.push_str(word);
                }
                xxh3_64(buf.as_bytes())
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The MinHash signature of a set of shingle hashes: one minimum per
    /// permutation.
    ///
    /// Permutation `i` maps a shingle hash, folded to 32 bits `x`, to the top
    /// 32 bits of `(a_i * x + b_i) mod 2^64`, with `a_i` odd and `b_i` random
    /// 64-bit numbers: Dietzfelbinger's multiply-add-shift, a strongly
    /// universal family (the guarantee the textbook `(a*x + b) mod p` family
    /// gives) that needs no 128-bit product and no modulo. The product
    /// `a*x` is taken as `a_lo*x + (a_hi*x << 32)` from the two 32-bit halves
    /// of each 64-bit `a`, two 32x32->64 multiplies that the compiler
    /// vectorises, so the 128 permutations of a shingle cost
    /// a few dozen instructions; this loop was the largest single cost of
    /// ingest with the mod-p family.
    pub fn signature(&self, shingles: &[u64]) -> Vec<u32> {
        let mut sig = vec![u32::MAX; self.add.len()];
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, as just checked.
            unsafe { self.fold_shingles_avx2(shingles, &mut sig) };
            return sig;
        }
        self.fold_shingles(shingles, &mut sig);
        sig
    }

    /// [`fold_shingles`](Self::fold_shingles) compiled for AVX2, which
    /// does four permutations per instruction where the x86-64 baseline
    /// (SSE2) does two and lacks an unsigned 32-bit `min`: half the time
    /// per signature. Chosen at run time, so one binary serves every CPU.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn fold_shingles_avx2(&self, shingles: &[u64], sig: &mut [u32]) {
        self.fold_shingles(shingles, sig)
    }

    #[inline(always)]
    fn fold_shingles(&self, shingles: &[u64], sig: &mut [u32]) {
        for &h in shingles {
            let x = ((h >> 32) ^ h) as u32 as u64;
            // `min` rather than a compare-and-branch: whether a slot changes
            // is a coin flip early on, and a mispredicted branch per
            // permutation would cost more than the hashing.
            for ((slot, &a), &b) in sig.iter_mut().zip(&self.mul).zip(&self.add) {
                let v = ((a & 0xffff_ffff) * x)
                    .wrapping_add(((a >> 32) * x) << 32)
                    .wrapping_add(b);
                *slot = (*slot).min((v >> 32) as u32);
            }
        }
    }

    /// The band keys of `tokens`: one key per band, hashing the band's index
    /// with its rows so equal rows in different bands never collide.
    /// Empty when the text has no words.
    pub fn band_keys(&self, tokens: &[Token]) -> Vec<u64> {
        let shingles = self.shingles(tokens);
        if shingles.is_empty() {
            return Vec::new();
        }
        self.band_keys_of_signature(&self.signature(&shingles))
    }

    /// The band keys of a signature made by [`MinHasher::signature`].
    ///
    /// A key is a 32-bit hash of the band number and its rows (a `u64`
    /// below 2^32). 32 bits, not 64: the store's inverted index keeps its
    /// keys in a finite-state transducer, whose cost grows with the bytes
    /// that differ between keys; random 64-bit keys made building and merging
    /// it the largest cost of ingesting a million articles. The price is
    /// chance collisions: with `n` articles stored, a query's 32 keys meet
    /// about `32 * 32 * n / 2^32` unrelated articles (0.24 at 1M), each
    /// sharing a single key, while a true near-copy shares many.
    pub fn band_keys_of_signature(&self, sig: &[u32]) -> Vec<u64> {
        sig.chunks(self.rows)
            .enumerate()
            .map(|(band, rows)| {
                let mut bytes = Vec::with_capacity(8 + 4 * rows.len());
                bytes.extend_from_slice(&(band as u64).to_le_bytes());
                for r in rows {
                    bytes.extend_from_slice(&r.to_le_bytes());
                }
                xxh3_64(&bytes) >> 32
            })
            .collect()
    }

    /// Estimated Jaccard similarity of two signatures (share of equal slots).
    pub fn estimate_jaccard(a: &[u32], b: &[u32]) -> f64 {
        if a.is_empty() || a.len() != b.len() {
            return 0.0;
        }
        a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use unspun_segment::{Analyzer, Span};

    use super::*;

    fn toks(text: &str) -> Vec<Token> {
        Analyzer::new().tokens(text, Span::new(0, text.len()))
    }

    const REUTERS: &str =
        "U.S. President Donald Trump’s envoy Steve Witkoff met Russian President \
        Vladimir Putin for three hours in Moscow on Friday to discuss the U.S. plan to end the war \
        in Ukraine, and Trump said the two sides were “very close to a deal,” despite apparent \
        differences in their positions.";
    const REWRITE: &str = "US President Donald Trump’s envoy, Steve Witkoff, had a three-hour \
        meeting with Russian President Vladimir Putin yesterday in Russia to discuss the US plan \
        to conclude the war in Ukraine.";

    #[test]
    fn split_multiply_is_the_64_bit_product() {
        // The signature takes a*x as a_lo*x + (a_hi*x << 32); it must be the
        // wrapping 64-bit product for every 32-bit x, carries included.
        for &(a, x) in &[
            (1u64, 2u64),
            (u64::MAX, u32::MAX as u64),
            (0x9e37_79b9_7f4a_7c15, 0xdead_beef),
            (0xffff_ffff_0000_0001, 0x8000_0000),
        ] {
            let split = ((a & 0xffff_ffff) * x).wrapping_add(((a >> 32) * x) << 32);
            assert_eq!(split, a.wrapping_mul(x), "{a:#x} * {x:#x}");
        }
    }

    #[test]
    fn dispatched_signature_matches_the_portable_loop() {
        // `signature` may take the AVX2 build of the loop; both must agree.
        let h = MinHasher::new();
        let shingles = h.shingles(&toks(REUTERS));
        let mut portable = vec![u32::MAX; h.add.len()];
        h.fold_shingles(&shingles, &mut portable);
        assert_eq!(h.signature(&shingles), portable);
        assert!(portable.iter().all(|&v| v != u32::MAX));
    }

    #[test]
    fn index_terms_keep_names_numbers_and_stems() {
        let terms = index_terms(&toks(
            "Trump's envoy met 12,000 protesters in Kyiv meetings.",
        ));
        assert_eq!(
            terms,
            vec!["trump", "envoy", "met", "#12000", "protest", "kyiv", "meet"]
        );
    }

    #[test]
    fn identical_texts_share_every_band() {
        let h = MinHasher::new();
        let a = h.band_keys(&toks(REUTERS));
        assert_eq!(a.len(), 32);
        assert_eq!(a, h.band_keys(&toks(REUTERS)));
    }

    #[test]
    fn estimate_tracks_true_jaccard() {
        // Real text: the Reuters lead against itself with its second half
        // replaced, so the true Jaccard is known from the shingle sets.
        let h = MinHasher::new();
        let a = h.shingles(&toks(REUTERS));
        let edited = REUTERS.replace("despite apparent differences", "despite clear gaps");
        let b = h.shingles(&toks(&edited));
        let sa: HashSet<_> = a.iter().collect();
        let sb: HashSet<_> = b.iter().collect();
        let truth = sa.intersection(&sb).count() as f64 / sa.union(&sb).count() as f64;
        let est = MinHasher::estimate_jaccard(&h.signature(&a), &h.signature(&b));
        assert!((truth - est).abs() < 0.15, "truth {truth}, estimate {est}");
    }

    #[test]
    fn estimate_is_unbiased_over_many_real_pairs() {
        // The Reuters seed article against windows of itself: pairs that
        // share from all to none of their shingles. With 128 permutations
        // one estimate has a standard error of up to 0.044; over many pairs
        // a sound permutation family has small mean and mean absolute error.
        let text = include_str!("../../../examples/seeds/003_741671edce2820d1.txt");
        let words: Vec<&str> = text.split_whitespace().collect();
        assert!(words.len() > 350, "{}", words.len());
        let h = MinHasher::new();
        let (mut signed, mut absolute, mut pairs) = (0.0, 0.0, 0usize);
        for shift in (0..=200).step_by(5) {
            let a_text = words[..150].join(" ");
            let b_text = words[shift..shift + 150].join(" ");
            let a = h.shingles(&toks(&a_text));
            let b = h.shingles(&toks(&b_text));
            let sa: HashSet<_> = a.iter().collect();
            let sb: HashSet<_> = b.iter().collect();
            let truth = sa.intersection(&sb).count() as f64 / sa.union(&sb).count() as f64;
            let est = MinHasher::estimate_jaccard(&h.signature(&a), &h.signature(&b));
            signed += est - truth;
            absolute += (est - truth).abs();
            pairs += 1;
        }
        let (bias, mae) = (signed / pairs as f64, absolute / pairs as f64);
        assert!(bias.abs() < 0.02, "bias {bias}");
        assert!(mae < 0.04, "mean absolute error {mae}");
    }

    #[test]
    fn rewrite_shares_few_shingles() {
        // The seed pair's opening sentences: a rewrite, not a copy. MinHash
        // is not expected to see it; this pins down why BM25 is needed too.
        let h = MinHasher::new();
        let est = MinHasher::estimate_jaccard(
            &h.signature(&h.shingles(&toks(REUTERS))),
            &h.signature(&h.shingles(&toks(REWRITE))),
        );
        assert!(est < 0.3, "estimate {est}");
    }

    #[test]
    fn short_and_empty_texts() {
        let h = MinHasher::new();
        assert!(h.band_keys(&toks("")).is_empty());
        assert_eq!(h.band_keys(&toks("Stop!")).len(), 32);
    }
}
