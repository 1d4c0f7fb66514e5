//! Measuring how far a derived article is from its parent: exact Jaccard
//! similarity of word 5-gram sets, with the same tokens and shingles that
//! unspun's MinHash LSH uses (`unspun_fingerprint::MinHasher::shingles`),
//! so the figure says directly whether LSH at a given threshold can find
//! the pair. Also the share of the parent's content words that survive.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use unspun_fingerprint::MinHasher;
use unspun_segment::{Analyzer, Span};

/// The 5-gram shingles and content words of one text.
pub(crate) struct Profile {
    shingles: Vec<u64>,
    content: Vec<String>,
}

/// Shingles and content words of `text`.
pub(crate) fn profile(analyzer: &Analyzer, hasher: &MinHasher, text: &str) -> Profile {
    let tokens = analyzer.tokens(text, Span::new(0, text.len()));
    let shingles = hasher.shingles(&tokens);
    let mut content: Vec<String> = tokens
        .into_iter()
        .filter(|t| !t.stop)
        .map(|t| t.norm)
        .collect();
    content.sort_unstable();
    content.dedup();
    Profile { shingles, content }
}

/// Exact Jaccard similarity of two sorted, deduplicated lists.
fn jaccard_sorted<T: Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let inter = intersection(a, b);
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// Size of the intersection of two sorted, deduplicated lists.
pub(crate) fn intersection<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
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
    n
}

/// Word 5-gram Jaccard similarity of two profiles.
pub(crate) fn jaccard(a: &Profile, b: &Profile) -> f64 {
    jaccard_sorted(&a.shingles, &b.shingles)
}

/// Share of `parent`'s distinct content words found in `child`.
pub(crate) fn survival(child: &Profile, parent: &Profile) -> f64 {
    if parent.content.is_empty() {
        return 1.0;
    }
    intersection(&child.content, &parent.content) as f64 / parent.content.len() as f64
}

/// Word 5-gram Jaccard similarity of two texts, as unspun's MinHash sees them.
///
/// ```
/// let a = "Shares of the company rose sharply on Tuesday after the results.";
/// assert_eq!(unspun_corpus::jaccard_5gram(a, a), 1.0);
/// assert!(unspun_corpus::jaccard_5gram(a, "Something else entirely, said nobody at all.") < 0.01);
/// ```
pub fn jaccard_5gram(a: &str, b: &str) -> f64 {
    let analyzer = Analyzer::new();
    let hasher = MinHasher::new();
    jaccard(
        &profile(&analyzer, &hasher, a),
        &profile(&analyzer, &hasher, b),
    )
}

/// Summary of a set of measurements.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Number of pairs measured.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Minimum.
    pub min: f64,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Maximum.
    pub max: f64,
    /// Share of pairs at or above 0.5, the usual MinHash LSH threshold.
    pub share_at_least_0_5: f64,
    /// Counts in ten buckets of width 0.1: `[0, 0.1)`, ..., `[0.9, 1.0]`.
    pub histogram: [usize; 10],
}

impl Distribution {
    /// Summarises `values` (any order).
    pub fn of(values: &[f64]) -> Option<Distribution> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let q = |p: f64| v[((n - 1) as f64 * p).round() as usize];
        let mut histogram = [0usize; 10];
        for &x in &v {
            histogram[((x * 10.0).floor() as usize).min(9)] += 1;
        }
        let r = |x: f64| (x * 10_000.0).round() / 10_000.0;
        Some(Distribution {
            n,
            mean: r(v.iter().sum::<f64>() / n as f64),
            min: r(v[0]),
            p10: r(q(0.1)),
            p50: r(q(0.5)),
            p90: r(q(0.9)),
            max: r(v[n - 1]),
            share_at_least_0_5: r(v.iter().filter(|&&x| x >= 0.5).count() as f64 / n as f64),
            histogram,
        })
    }
}

/// Measurements collected while generating, by label (`copy`, `chain_gen2`,
/// `chain_vs_original`, ...).
#[derive(Clone, Debug, Default)]
pub(crate) struct Collector {
    pub jaccard: BTreeMap<String, Vec<f64>>,
    pub survival: BTreeMap<String, Vec<f64>>,
}

impl Collector {
    pub fn add(&mut self, label: &str, jaccard: f64, survival: f64) {
        self.jaccard
            .entry(label.to_string())
            .or_default()
            .push(jaccard);
        self.survival
            .entry(label.to_string())
            .or_default()
            .push(survival);
    }

    pub fn summarise(
        &self,
    ) -> (
        BTreeMap<String, Distribution>,
        BTreeMap<String, Distribution>,
    ) {
        let f = |m: &BTreeMap<String, Vec<f64>>| {
            m.iter()
                .filter_map(|(k, v)| Distribution::of(v).map(|d| (k.clone(), d)))
                .collect()
        };
        (f(&self.jaccard), f(&self.survival))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_summary() {
        let d = Distribution::of(&[0.0, 0.05, 0.1, 0.5, 1.0]).unwrap();
        assert_eq!(d.n, 5);
        assert_eq!(d.p50, 0.1);
        assert_eq!(d.histogram[0], 2);
        assert_eq!(d.histogram[9], 1);
        assert_eq!(d.share_at_least_0_5, 0.4);
        assert!(Distribution::of(&[]).is_none());
    }
}
