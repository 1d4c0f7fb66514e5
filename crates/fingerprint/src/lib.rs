//! # unspun-fingerprint: what an article is looked up by
//!
//! Two fingerprints are taken from an article's tokens (see `unspun-segment`):
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

/// The Mersenne prime 2^61 - 1: universal hashing modulo it keeps the
/// permutations pairwise independent, as MinHash's estimate requires.
const MERSENNE_61: u64 = (1 << 61) - 1;

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
    /// Per-permutation (a, b) of `h -> (a*h + b) mod p`.
    perms: Vec<(u64, u64)>,
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
        let perms = (0..n as u64)
            .map(|i| {
                let a = xxh3_64_with_seed(&i.to_le_bytes(), self.seed) % (MERSENNE_61 - 1) + 1;
                let b = xxh3_64_with_seed(&i.to_le_bytes(), !self.seed) % MERSENNE_61;
                (a, b)
            })
            .collect();
        MinHasher {
            shingle: self.shingle,
            bands: self.bands,
            rows: self.rows,
            perms,
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

    /// The MinHash signature of a set of shingle hashes: one minimum per permutation.
    pub fn signature(&self, shingles: &[u64]) -> Vec<u64> {
        let mut sig = vec![u64::MAX; self.perms.len()];
        for &h in shingles {
            let h = h % MERSENNE_61;
            // `min` rather than a compare-and-branch: whether a slot changes
            // is a coin flip early on, and a mispredicted branch per
            // permutation cost more than the multiply.
            for (slot, &(a, b)) in sig.iter_mut().zip(&self.perms) {
                *slot = (*slot).min(mul_add_mod61(a, h, b));
            }
        }
        sig
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
    pub fn band_keys_of_signature(&self, sig: &[u64]) -> Vec<u64> {
        sig.chunks(self.rows)
            .enumerate()
            .map(|(band, rows)| {
                let mut bytes = Vec::with_capacity(8 * (rows.len() + 1));
                bytes.extend_from_slice(&(band as u64).to_le_bytes());
                for r in rows {
                    bytes.extend_from_slice(&r.to_le_bytes());
                }
                xxh3_64(&bytes)
            })
            .collect()
    }

    /// Estimated Jaccard similarity of two signatures (share of equal slots).
    pub fn estimate_jaccard(a: &[u64], b: &[u64]) -> f64 {
        if a.is_empty() || a.len() != b.len() {
            return 0.0;
        }
        a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
    }
}

/// `(a * x + b) mod (2^61 - 1)` without overflow, via 128-bit arithmetic.
fn mul_add_mod61(a: u64, x: u64, b: u64) -> u64 {
    let v = (a as u128) * (x as u128) + b as u128;
    let lo = (v & MERSENNE_61 as u128) as u64;
    let hi = (v >> 61) as u64;
    let mut r = lo + hi;
    // hi can exceed 2^61 once more; fold twice to be fully reduced.
    r = (r & MERSENNE_61) + (r >> 61);
    if r >= MERSENNE_61 {
        r - MERSENNE_61
    } else {
        r
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
    fn mod61_matches_naive() {
        for &(a, x, b) in &[
            (1u64, 2u64, 3u64),
            (MERSENNE_61 - 1, MERSENNE_61 - 1, MERSENNE_61 - 1),
            (123_456_789, u64::MAX % MERSENNE_61, 42),
        ] {
            let naive = ((a as u128 * x as u128 + b as u128) % MERSENNE_61 as u128) as u64;
            assert_eq!(mul_add_mod61(a, x, b), naive);
        }
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
