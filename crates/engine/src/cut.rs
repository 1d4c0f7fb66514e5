//! Which hits of the residual query a trace aligns: the earliest of those
//! that match well, not the best-scoring.
//!
//! The residual query ([`crate::Retrieval::residual_query`]) asks for
//! the terms of the traced article that its best BM25 hit lacks: the
//! material of a second source. Every article that carries that material
//! matches it about equally well, and at scale there are many: at 1M
//! generated articles a story has ~17 copies, edits and rewrites, and a
//! short one that quotes just the paragraph in question outscores the
//! original (BM25 favours short documents). Where the material came from
//! is better told by time: of the articles that match it, the one published
//! first. So the cut keeps the hits scoring at least [`RELEVANT`] of the
//! best one and takes them earliest first: the earlier date; on the same
//! day a wire agency's story before others (wire copy is what outlets
//! republish); then the article stored first.
//!
//! Measured on the 1M-article benchmark corpus (2026-11-23, 200 traces,
//! docs/BENCH.md): with the residual query cut by score, both sources of a
//! blend were in the top 5 for 90% of the blends; cut by time, 97%
//! (without the residual query: 23%).

use unspun_align::is_wire_agency;
use unspun_store::{ArticleKey, SearchHit};

/// How many hits the residual query fetches per candidate it keeps.
pub const POOL_FACTOR: usize = 4;

/// Share of the best hit's score a hit needs to be taken: half, so that a
/// long original, whose BM25 score is diluted by its length, is not left
/// out behind short excerpts of it.
pub const RELEVANT: f32 = 0.5;

/// At most `n` hits of `pool` (best score first): those scoring at least
/// [`RELEVANT`] of the first, earliest first (see the module docs), with
/// their scores.
pub fn earliest(pool: &[SearchHit], n: usize) -> Vec<(ArticleKey, f32)> {
    let Some(top) = pool.first().map(|h| h.score) else {
        return Vec::new();
    };
    let mut kept: Vec<&SearchHit> = pool.iter().filter(|h| h.score >= RELEVANT * top).collect();
    kept.sort_by(|a, b| {
        let wire = |h: &SearchHit| h.source.as_deref().is_some_and(is_wire_agency);
        // Dated before undated; then by date, wire first, key.
        (a.date.is_none(), a.date, !wire(a), a.key).cmp(&(
            b.date.is_none(),
            b.date,
            !wire(b),
            b.key,
        ))
    });
    kept.into_iter().take(n).map(|h| (h.key, h.score)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn hit(key: u64, score: f32, day: Option<u32>, source: &str) -> SearchHit {
        SearchHit {
            key: ArticleKey(key),
            score,
            date: day.map(|d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap()),
            source: Some(source.to_string()),
        }
    }

    fn keys(v: &[(ArticleKey, f32)]) -> Vec<u64> {
        v.iter().map(|(k, _)| k.0).collect()
    }

    #[test]
    fn the_earliest_of_the_good_matches_come_first() {
        let pool = vec![
            hit(5, 9.0, Some(4), "Daily Ledger"), // a short excerpt, best score
            hit(7, 8.0, Some(3), "Metro Wire"),
            hit(9, 6.0, None, "Blog"),           // undated: after the dated
            hit(2, 5.0, Some(2), "Reuters"),     // the original, long
            hit(3, 4.0, Some(1), "Other Story"), // earliest, but a weak match
        ];
        assert_eq!(keys(&earliest(&pool, 10)), [2, 7, 5, 9]);
        assert_eq!(keys(&earliest(&pool, 2)), [2, 7]);
        assert!(earliest(&pool, 0).is_empty());
        assert!(earliest(&[], 3).is_empty());
    }

    #[test]
    fn same_day_goes_to_the_wire_then_to_the_first_stored() {
        let pool = vec![
            hit(8, 5.0, Some(2), "Harbour Times"),
            hit(6, 5.0, Some(2), "Capital Dispatch"),
            hit(9, 4.0, Some(2), "Reuters"),
        ];
        assert_eq!(keys(&earliest(&pool, 3)), [9, 6, 8]);
    }
}
