//! Scan: every derived pair in the store, each traced from both sides and
//! reported once ([`ScanPair`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use unspun_align::{Original, Relation};
use unspun_article::ArticleId;
use unspun_store::ArticleKey;

use crate::{Engine, Result, Statistics};

/// One derived pair found by [`Engine::scan`].
#[derive(Clone, Debug)]
pub struct ScanPair {
    /// The article judged derived.
    pub derived: ArticleId,
    /// The article judged the original.
    pub source: ArticleId,
    /// The relation.
    pub relation: Relation,
    /// Share of the derived article's sentences explained by the source.
    pub coverage: f32,
    /// Share of the source's sentences reused.
    pub source_coverage: f32,
    /// Ranking score of the pair.
    pub score: f32,
    /// Whether the direction is certain.
    pub direction_certain: bool,
    /// The direction evidence.
    pub evidence: Vec<String>,
    /// Number of aligned groups.
    pub aligned: usize,
}

impl Engine {
    /// Finds every derived pair in the store. `progress` is called with the
    /// number of articles done and the total, from worker threads.
    ///
    /// Each unordered pair is reported once, oriented by its judged
    /// direction, sorted by derived id then source id.
    pub fn scan(&self, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<Vec<ScanPair>> {
        let keys = self.store.keys()?;
        let total = keys.len();
        let done = AtomicUsize::new(0);
        let found: Vec<Result<Vec<ScanPair>>> = keys
            .par_iter()
            .map(|&key| {
                let r = self.scan_one(key);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                r
            })
            .collect();
        // Each pair may be seen from both sides; keep the view from the
        // side judged derived, else the first by id.
        let mut best: HashMap<(ArticleId, ArticleId), ScanPair> = HashMap::new();
        for pairs in found {
            for p in pairs? {
                let key = if p.derived < p.source {
                    (p.derived.clone(), p.source.clone())
                } else {
                    (p.source.clone(), p.derived.clone())
                };
                match best.get(&key) {
                    Some(old) if old.score >= p.score => {}
                    _ => {
                        best.insert(key, p);
                    }
                }
            }
        }
        let mut pairs: Vec<ScanPair> = best.into_values().collect();
        pairs.sort_by(|a, b| a.derived.cmp(&b.derived).then(a.source.cmp(&b.source)));
        Ok(pairs)
    }

    fn scan_one(&self, key: ArticleKey) -> Result<Vec<ScanPair>> {
        let Some(stored) = self.store.get(key)? else {
            return Ok(Vec::new());
        };
        let trace = self.trace_inner(
            stored.article,
            Some(key),
            Some(stored.revision),
            Statistics::Live,
            None,
        )?;
        let me = &trace.article.article.id;
        Ok(trace
            .sources
            .iter()
            .filter(|s| s.relation.is_derivation())
            .map(|s| {
                let other = s.source.article.id.clone();
                let (derived, source, coverage, source_coverage) = match s.direction.original {
                    Original::Source => (
                        me.clone(),
                        other,
                        s.alignment.coverage(),
                        s.alignment.source_coverage(),
                    ),
                    Original::Derived => (
                        other,
                        me.clone(),
                        s.alignment.source_coverage(),
                        s.alignment.coverage(),
                    ),
                };
                ScanPair {
                    derived,
                    source,
                    relation: s.relation,
                    coverage,
                    source_coverage,
                    score: s.score,
                    direction_certain: s.direction.certain,
                    evidence: s.direction.evidence.clone(),
                    aligned: s.alignment.groups.len(),
                }
            })
            .collect())
    }
}
