//! Lexical similarity of sentences within one pair of articles.
//!
//! The unit of evidence is the content term (a stem, a name, a number).
//! Terms are weighted by how rare they are among the sentences of the two
//! articles being compared (a sentence-level IDF), so a name that appears in
//! every sentence ("Trump" in a Trump story) says little about which
//! sentence matches which, while "billionaire" or "Ushakov" says a lot.
//! Names and numbers weigh more, because rewrites keep them.
//!
//! Spelling variants ("Zelenskiy"/"Zelensky", "conclusion"/"concluded")
//! are merged before weighting: two word terms that share a long prefix are
//! one term. Numbers only ever match exactly: 12,000 is not 1,200.
//!
//! This is the seam for semantic similarity: [`PairSimilarity::score`] is a
//! lexical score in `[0, 1]`; an embedding cosine can be blended in by the
//! caller without changing how alignment works.

use std::collections::HashMap;

use crate::analyzed::{AnalyzedArticle, SentenceFeatures};

/// Extra weight of names and numbers relative to other content terms.
const SALIENT_BOOST: f32 = 1.5;
/// Shortest common prefix (bytes) for two stems to count as one term.
const FUZZY_PREFIX: usize = 5;
/// Share of the shorter stem the common prefix must cover.
const FUZZY_SHARE: f32 = 0.8;

/// Information (in nats) assumed for a term when no corpus statistics are
/// given: about the inverse document frequency of an ordinary content word.
pub const DEFAULT_TERM_INFO: f32 = 4.0;

/// How rare each term is in the corpus: `ln(1 + N / df)`.
///
/// Sentence-level IDF within a pair says which terms tell sentences apart;
/// corpus rarity says which shared terms are evidence of reuse at all.
/// "net loss ... mln vs profit" is shared by thousands of unrelated earnings
/// reports; "Ushakov" is not.
///
/// It also carries what the corpus knows of the pair's sentence shapes
/// ([`TermRarity::with_frames`]): a sentence is a genre's frame when the
/// corpus fills its shape three or more ways, which the same store counts.
#[derive(Clone, Debug, Default)]
pub struct TermRarity {
    info: HashMap<String, f32>,
    docs: u64,
    /// Up to three fillers the corpus holds for each sentence shape of the
    /// articles judged; `None` when the corpus cannot tell.
    frames: Option<HashMap<u64, Vec<u64>>>,
}

impl TermRarity {
    /// Rarity from document frequencies in a corpus of `docs` documents.
    ///
    /// Smoothed with a prior of [`RARITY_PRIOR_DOCS`] documents in which the
    /// term is as common as an ordinary content word:
    /// `ln(1 + (N + N0) / (df + N0 * p0))` with `p0` chosen so that an empty
    /// corpus gives [`DEFAULT_TERM_INFO`]. A small store then behaves like no
    /// corpus at all (two articles sharing a word say nothing about its
    /// rarity), and a large one like plain IDF.
    pub fn from_doc_freqs(docs: u64, dfs: impl IntoIterator<Item = (String, u64)>) -> TermRarity {
        TermRarity {
            info: dfs
                .into_iter()
                .map(|(t, df)| (t, smoothed_info(docs, df)))
                .collect(),
            docs,
            frames: None,
        }
    }

    /// The same rarity with the fillers the corpus holds for each sentence
    /// shape of the articles judged (shape hash -> up to three filler
    /// hashes; see `unspun_fingerprint::sentence_shape`). Shapes left out
    /// are taken as not held by the corpus at all.
    pub fn with_frames(mut self, frames: HashMap<u64, Vec<u64>>) -> TermRarity {
        self.frames = Some(frames);
        self
    }

    /// Whether the corpus knows its sentence shapes (see
    /// [`TermRarity::with_frames`]).
    pub fn knows_frames(&self) -> bool {
        self.frames.is_some()
    }

    /// Whether the shape `shape`, filled with `a` on one side of a pair and
    /// `b` on the other, is a frame: with the corpus's own fillings, it is
    /// filled at least three ways. Two alone are a story and its copy with
    /// a figure changed, not a genre.
    pub fn is_frame(&self, shape: u64, a: u64, b: u64) -> bool {
        let Some(frames) = &self.frames else {
            return false;
        };
        let mut ways = vec![a];
        if b != a {
            ways.push(b);
        }
        for &f in frames.get(&shape).map_or(&[][..], Vec::as_slice) {
            if !ways.contains(&f) {
                ways.push(f);
            }
        }
        ways.len() >= 3
    }

    /// The number of documents of the corpus the rarity was read from.
    pub fn docs(&self) -> u64 {
        self.docs
    }

    /// The information of `term`; unseen terms are as rare as a term seen once.
    pub fn info(&self, term: &str) -> Option<f32> {
        self.info.get(term).copied()
    }

    /// Number of terms known.
    pub fn len(&self) -> usize {
        self.info.len()
    }

    /// Whether no term is known.
    pub fn is_empty(&self) -> bool {
        self.info.is_empty()
    }
}

/// Prior weight (in documents) of the rarity smoothing of [`TermRarity`].
pub const RARITY_PRIOR_DOCS: f64 = 1000.0;

fn smoothed_info(docs: u64, df: u64) -> f32 {
    let p0 = 1.0 / ((DEFAULT_TERM_INFO as f64).exp() - 1.0);
    let n0 = RARITY_PRIOR_DOCS;
    (1.0 + (docs as f64 + n0) / (df as f64 + n0 * p0)).ln() as f32
}

/// The interned, weighted vocabulary of one (derived, source) pair, and each
/// sentence's terms as sorted term ids.
#[derive(Debug)]
pub struct PairSimilarity {
    weights: Vec<f32>,
    /// Corpus information of each term id (nats).
    info: Vec<f32>,
    derived: Vec<Vec<u32>>,
    source: Vec<Vec<u32>>,
    derived_weight: Vec<f32>,
    source_weight: Vec<f32>,
    /// Salient term ids (names and numbers) of each sentence, sorted.
    derived_salient: Vec<Vec<u32>>,
    source_salient: Vec<Vec<u32>>,
    /// Whether each term id is a number.
    is_number: Vec<bool>,
}

/// How two sentences (or groups of sentences) compare.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SentenceScore {
    /// Weighted Dice of the content terms.
    pub terms: f32,
    /// Dice of character 4-grams of the content words.
    pub chars: f32,
    /// The combined score in `[0, 1]`.
    pub score: f32,
    /// Weight of the derived side's terms found in the source side, as a share of the derived side.
    pub derived_contained: f32,
    /// Weight of the source side's terms found in the derived side, as a share of the source side.
    pub source_contained: f32,
    /// Number of distinct shared terms.
    pub shared: usize,
    /// Corpus information of the shared terms (nats): how unlikely it is
    /// that two unrelated texts share them.
    pub shared_info: f32,
}

impl PairSimilarity {
    /// Interns the vocabulary of both articles and weighs it, without
    /// corpus statistics (every term carries [`DEFAULT_TERM_INFO`]).
    pub fn new(derived: &AnalyzedArticle, source: &AnalyzedArticle) -> PairSimilarity {
        PairSimilarity::with_rarity(derived, source, None)
    }

    /// Interns the vocabulary of both articles and weighs it: sentence-level
    /// IDF within the pair, times corpus rarity when `rarity` is given.
    pub fn with_rarity(
        derived: &AnalyzedArticle,
        source: &AnalyzedArticle,
        rarity: Option<&TermRarity>,
    ) -> PairSimilarity {
        // Canonical term per fuzzy cluster: variants are grouped by their
        // first FUZZY_PREFIX bytes, then merged when their common prefix is
        // long enough. Sorting makes the grouping a linear scan.
        let mut vocab: Vec<&str> = derived
            .features
            .iter()
            .chain(&source.features)
            .flat_map(|f| f.terms.iter().map(String::as_str))
            .collect();
        vocab.sort_unstable();
        vocab.dedup();
        let mut id_of: HashMap<&str, u32> = HashMap::with_capacity(vocab.len());
        let mut next: u32 = 0;
        let mut i = 0;
        while i < vocab.len() {
            let head = vocab[i];
            let mut j = i + 1;
            if fuzzy_eligible(head) {
                let key = &head.as_bytes()[..FUZZY_PREFIX];
                while j < vocab.len()
                    && vocab[j].len() >= FUZZY_PREFIX
                    && &vocab[j].as_bytes()[..FUZZY_PREFIX] == key
                {
                    j += 1;
                }
            }
            // Within a bucket, a term joins the first earlier cluster it is
            // close enough to; clusters stay small.
            let mut reps: Vec<(&str, u32)> = Vec::new();
            for &term in &vocab[i..j] {
                let found = reps
                    .iter()
                    .find(|(rep, _)| fuzzy_same(rep, term))
                    .map(|&(_, id)| id);
                let id = found.unwrap_or_else(|| {
                    let id = next;
                    next += 1;
                    reps.push((term, id));
                    id
                });
                id_of.insert(term, id);
            }
            i = j;
        }
        // Corpus information per id: the rarest spelling of a merged cluster.
        let mut info = vec![0.0f32; next as usize];
        for (term, &id) in &id_of {
            let v = match rarity {
                Some(r) => r.info(term).unwrap_or(DEFAULT_TERM_INFO * 2.5),
                None => DEFAULT_TERM_INFO,
            };
            if v > info[id as usize] {
                info[id as usize] = v;
            }
        }
        let intern = |f: &SentenceFeatures| -> Vec<u32> {
            let mut ids: Vec<u32> = f.terms.iter().map(|t| id_of[t.as_str()]).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let d: Vec<Vec<u32>> = derived.features.iter().map(intern).collect();
        let s: Vec<Vec<u32>> = source.features.iter().map(intern).collect();

        // Sentence-level IDF over both articles' sentences.
        let mut df = vec![0u32; next as usize];
        for ids in d.iter().chain(&s) {
            for &id in ids {
                df[id as usize] += 1;
            }
        }
        let n = (d.len() + s.len()) as f32;
        let mut weights: Vec<f32> = df
            .iter()
            .map(|&df| ((n + 1.0) / (df as f32 + 0.5)).ln().max(0.05))
            .collect();
        if rarity.is_some() {
            // Scale by corpus rarity relative to an ordinary content word,
            // so the weights stay comparable to the corpus-free ones.
            for (w, i) in weights.iter_mut().zip(&info) {
                *w *= i / DEFAULT_TERM_INFO;
            }
        }
        let mut boosted = vec![false; weights.len()];
        for f in derived.features.iter().chain(&source.features) {
            for t in &f.salient {
                let id = id_of[t.as_str()] as usize;
                if !boosted[id] {
                    weights[id] *= SALIENT_BOOST;
                    boosted[id] = true;
                }
            }
        }
        let total = |ids: &Vec<u32>| ids.iter().map(|&i| weights[i as usize]).sum::<f32>();
        let derived_weight = d.iter().map(total).collect();
        let source_weight = s.iter().map(total).collect();
        let salient = |f: &SentenceFeatures| -> Vec<u32> {
            let mut ids: Vec<u32> = f.salient.iter().map(|t| id_of[t.as_str()]).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let mut is_number = vec![false; weights.len()];
        for (term, &id) in &id_of {
            if term.starts_with('#') {
                is_number[id as usize] = true;
            }
        }
        PairSimilarity {
            weights,
            info,
            derived: d,
            source: s,
            derived_weight,
            source_weight,
            derived_salient: derived.features.iter().map(salient).collect(),
            source_salient: source.features.iter().map(salient).collect(),
            is_number,
        }
    }

    /// Whether names or numbers of derived sentence `i` and source sentence
    /// `j` disagree: both hold numbers and share none, or both hold names
    /// and share none. What an embedding cannot see (12,000 against 1,200,
    /// one minister against another), so embedding evidence must not
    /// decide such a pair.
    pub fn salient_conflict(&self, i: usize, j: usize) -> bool {
        let (a, b) = (&self.derived_salient[i], &self.source_salient[j]);
        let split = |ids: &[u32]| -> (Vec<u32>, Vec<u32>) {
            ids.iter().partition(|&&id| self.is_number[id as usize])
        };
        let ((an, aw), (bn, bw)) = (split(a), split(b));
        let disjoint = |x: &[u32], y: &[u32]| {
            !x.is_empty() && !y.is_empty() && x.iter().all(|id| y.binary_search(id).is_err())
        };
        disjoint(&an, &bn) || disjoint(&aw, &bw)
    }

    /// Term ids of derived sentence `i`.
    pub fn derived_terms(&self, i: usize) -> &[u32] {
        &self.derived[i]
    }

    /// Term ids of source sentence `j`.
    pub fn source_terms(&self, j: usize) -> &[u32] {
        &self.source[j]
    }

    /// Weight of a term id.
    pub fn weight(&self, id: u32) -> f32 {
        self.weights[id as usize]
    }

    /// Total weight of a sorted set of term ids.
    pub fn total(&self, ids: &[u32]) -> f32 {
        ids.iter().map(|&i| self.weights[i as usize]).sum()
    }

    /// Corpus information of the ids of `a` that are in `b` (both sorted).
    pub fn shared_info(&self, a: &[u32], b: &[u32]) -> f32 {
        let (mut i, mut j, mut w) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    w += self.info[a[i] as usize];
                    i += 1;
                    j += 1;
                }
            }
        }
        w
    }

    /// Weight of the ids of `a` that are in `b` (both sorted).
    pub fn shared_weight(&self, a: &[u32], b: &[u32]) -> (f32, usize) {
        let (mut i, mut j, mut w, mut n) = (0, 0, 0.0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    w += self.weights[a[i] as usize];
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        (w, n)
    }

    /// Scores derived sentence `i` against source sentence `j`.
    pub fn score(
        &self,
        derived: &AnalyzedArticle,
        i: usize,
        source: &AnalyzedArticle,
        j: usize,
    ) -> SentenceScore {
        self.score_sets(
            &self.derived[i],
            self.derived_weight[i],
            &self.source[j],
            self.source_weight[j],
            &derived.features[i].char_grams,
            &source.features[j].char_grams,
        )
    }

    /// Scores two groups of sentences as if each group were one text
    /// (used for splits and merges).
    pub fn score_groups(
        &self,
        derived: &AnalyzedArticle,
        di: &[usize],
        source: &AnalyzedArticle,
        sj: &[usize],
    ) -> SentenceScore {
        let d = union(di.iter().map(|&i| self.derived[i].as_slice()));
        let s = union(sj.iter().map(|&j| self.source[j].as_slice()));
        let dc = union(
            di.iter()
                .map(|&i| derived.features[i].char_grams.as_slice()),
        );
        let sc = union(sj.iter().map(|&j| source.features[j].char_grams.as_slice()));
        self.score_sets(&d, self.total(&d), &s, self.total(&s), &dc, &sc)
    }

    fn score_sets(
        &self,
        d: &[u32],
        dw: f32,
        s: &[u32],
        sw: f32,
        dc: &[u32],
        sc: &[u32],
    ) -> SentenceScore {
        let (shared_w, shared) = self.shared_weight(d, s);
        let terms = if dw + sw > 0.0 {
            2.0 * shared_w / (dw + sw)
        } else {
            0.0
        };
        let chars = dice(dc, sc);
        SentenceScore {
            terms,
            chars,
            score: 0.75 * terms + 0.25 * chars,
            derived_contained: if dw > 0.0 { shared_w / dw } else { 0.0 },
            source_contained: if sw > 0.0 { shared_w / sw } else { 0.0 },
            shared,
            shared_info: self.shared_info(d, s),
        }
    }
}

fn fuzzy_eligible(term: &str) -> bool {
    term.len() >= FUZZY_PREFIX && !term.starts_with('#')
}

/// Whether two stems are spelling or inflection variants of one word.
fn fuzzy_same(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if !fuzzy_eligible(a) || !fuzzy_eligible(b) {
        return false;
    }
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let shorter = a.len().min(b.len());
    common >= FUZZY_PREFIX && common as f32 >= FUZZY_SHARE * shorter as f32
}

/// Sorted union of sorted id lists.
fn union<'a>(lists: impl Iterator<Item = &'a [u32]>) -> Vec<u32> {
    let mut out: Vec<u32> = lists.flatten().copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Dice coefficient of two sorted, deduplicated lists.
pub(crate) fn dice<T: Ord>(a: &[T], b: &[T]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut n) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * n as f32 / (a.len() + b.len()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_merge_but_distinct_words_do_not() {
        assert!(fuzzy_same("zelenski", "zelenskiy"));
        assert!(fuzzy_same("conclus", "conclud"));
        assert!(fuzzy_same("ukrain", "ukrainian"));
        assert!(!fuzzy_same("intermediari", "interlocutor"));
        assert!(!fuzzy_same("#2014", "#20145"));
        assert!(!fuzzy_same("trip", "tripl"));
    }

    #[test]
    fn rarity_is_smoothed_towards_the_default() {
        // No corpus: the default information.
        assert!((smoothed_info(0, 0) - DEFAULT_TERM_INFO).abs() < 1e-4);
        // A two-article store says little: close to the default.
        assert!((smoothed_info(2, 2) - DEFAULT_TERM_INFO).abs() < 0.2);
        // A large corpus: rare terms carry much more than common ones.
        let rare = smoothed_info(21_000, 2);
        let common = smoothed_info(21_000, 5_000);
        assert!(rare > 6.5 && common < 2.0, "rare {rare}, common {common}");
    }

    #[test]
    fn dice_of_sorted_lists() {
        assert_eq!(dice(&[1, 2, 3], &[2, 3, 4]), 2.0 * 2.0 / 6.0);
        assert_eq!(dice(&[], &[1]), 0.0);
    }
}
