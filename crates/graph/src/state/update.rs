//! Bringing a [`GraphState`] up to date with the store: the newcomers
//! traced, the older articles whose candidates they may enter looked up
//! again, and those whose candidates changed traced again, so that the
//! result equals a rebuild with the same statistics.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::AtomicUsize;

use rayon::prelude::*;
use serde::Serialize;
use unspun_article::ArticleId;
use unspun_engine::{Engine, Retrieval, Statistics};
use unspun_store::{ArticleKey, FrozenStats};

use super::trace::{trace_keys, TraceJob, Traced, FETCH_CHUNK};
use super::GraphState;
use crate::error::Result;
use crate::lineage::NodeInfo;

/// What looking an older article's candidates up again found.
enum Looked {
    /// The same candidates: the new retrieval, to keep.
    Same(ArticleId, Retrieval),
    /// Other candidates: trace it again.
    Retrace(TraceJob),
}

/// The statistics are taken again (and everything traced again) once the
/// store holds more than this many times the articles they counted: by
/// then IDF weights of new vocabulary are stale. Doubling keeps the cost
/// of these rebuilds amortised to a constant per article.
const REFRESH_GROWTH: u64 = 2;

/// Relative slack on a newcomer's BM25 score as computed here: tantivy
/// sums in f32 in its own order, so its score may differ in the last bits.
const SCORE_SLACK: f32 = 1e-3;

/// What an update did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UpdateStats {
    /// Articles in the store.
    pub articles: usize,
    /// Articles new or changed since the last update (all on a full build).
    pub new_or_changed: usize,
    /// Older articles whose candidates a newcomer might have entered, whose
    /// candidates were therefore looked up again.
    pub rechecked: usize,
    /// Of those, the articles whose candidates did change, traced again.
    pub retraced: usize,
    /// Whether the corpus statistics were taken afresh, which traces
    /// everything (first build, `rebuild` with new statistics, or a store
    /// grown past twice the size the statistics counted).
    pub statistics_refreshed: bool,
    /// The similarity mode of the traces (`lexical`, `static`, `minilm`).
    pub mode: String,
    /// Whether the state had been built in another mode, so that
    /// everything was traced again in this one (with the same statistics).
    pub mode_changed: bool,
    /// Unordered pairs in the book after the update.
    pub pairs: usize,
}

impl GraphState {
    /// Brings the state up to date with the engine's store, so that the
    /// result equals a [`GraphState::rebuild`] on the same store.
    ///
    /// Every trace uses the state's frozen corpus statistics, so whether an
    /// article finds another, and how the pair is judged, depend on the two
    /// articles alone. An update then traces the articles that are new or
    /// changed (a new revision), and of the older articles exactly those
    /// whose candidate list a newcomer enters: an older article is looked
    /// up again when a newcomer shares one of its MinHash bands, or would
    /// score (BM25 over its stored queries, computed as the search does) at
    /// least as high as its last BM25 hit, or as the last hit of its
    /// residual query's pool (the hits that query's cut chose from); it is
    /// traced again only if its
    /// candidates did change, and then against the new candidates only.
    /// Everything else a trace depends on is unchanged, so its views are
    /// what a rebuild would produce.
    ///
    /// The first update, and one that finds the store grown past twice the
    /// articles the statistics counted, takes the statistics afresh and
    /// traces everything. So does one by an engine of another similarity
    /// mode than the state's (as [`GraphState::rebuild`]: the statistics
    /// are kept). `progress(done, total)` is called from worker threads.
    pub fn update(
        &mut self,
        engine: &Engine,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<UpdateStats> {
        let store = engine.store();
        let keys = store.keys()?;
        let mode = engine.mode().as_str();
        let mode_changed = self.mode.as_deref().is_some_and(|m| m != mode);
        if mode_changed {
            log::info!(
                "the graph state was built in {} mode; tracing everything again in {mode} mode",
                self.mode.as_deref().unwrap_or_default()
            );
            *self = self.rebuild();
        }
        self.mode = Some(mode.to_string());
        let mut refresh = match &self.stats {
            None => true,
            Some(s) => keys.len() as u64 > REFRESH_GROWTH * s.docs().max(1),
        };
        loop {
            if refresh {
                *self = GraphState {
                    stats: Some(store.frozen_stats()?),
                    mode: Some(mode.to_string()),
                    ..GraphState::new()
                };
            }
            // Taken out for the update so that the rest of the state can
            // change while traces read it; put back whatever happens.
            let stats = self.stats.take().expect("statistics are set above");
            let result = self.update_with(engine, &keys, &stats, progress);
            self.stats = Some(stats);
            match result? {
                Some(mut done) => {
                    done.statistics_refreshed = refresh;
                    done.mode = mode.to_string();
                    done.mode_changed = mode_changed;
                    return Ok(done);
                }
                None if !refresh => {
                    log::info!(
                        "the graph state knows articles the store does not have; rebuilding"
                    );
                    refresh = true;
                }
                None => unreachable!("a fresh state knows no article"),
            }
        }
    }

    fn update_with(
        &mut self,
        engine: &Engine,
        keys: &[ArticleKey],
        stats: &FrozenStats,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Option<UpdateStats>> {
        let store = engine.store();
        let mut dirty: Vec<(ArticleKey, ArticleId)> = Vec::new();
        let mut replaced: BTreeSet<ArticleKey> = BTreeSet::new();
        // Every stored id with its key, both ways.
        let mut key_of: BTreeMap<ArticleId, ArticleKey> = BTreeMap::new();
        let mut id_of: HashMap<ArticleKey, ArticleId> = HashMap::new();
        for chunk in keys.chunks(FETCH_CHUNK) {
            for stored in store.get_many(chunk)? {
                let a = &stored.article;
                key_of.insert(a.id.clone(), stored.key);
                id_of.insert(stored.key, a.id.clone());
                let known = self.nodes.get(&a.id).map(|n| n.revision);
                if known == Some(stored.revision) {
                    continue;
                }
                if known.is_some() {
                    // A replaced article: every view of it is stale.
                    self.book.forget_article(&a.id);
                    replaced.insert(stored.key);
                }
                self.nodes.insert(
                    a.id.clone(),
                    NodeInfo {
                        id: a.id.clone(),
                        date: a.date,
                        source: a.source.clone(),
                        title: a.title.clone(),
                        // Filled in by the trace below.
                        sentences: 0,
                        revision: stored.revision,
                    },
                );
                dirty.push((stored.key, a.id.clone()));
            }
        }
        // Stores never delete; a state that knows articles the store does
        // not have was made from another store, and nothing of it holds,
        // its statistics included: the caller starts afresh.
        if self.nodes.keys().any(|id| !key_of.contains_key(id)) {
            return Ok(None);
        }
        let first = self.retrieved.is_empty();
        let dirty_ids: BTreeSet<ArticleId> = dirty.iter().map(|(_, id)| id.clone()).collect();
        let mut out = UpdateStats {
            articles: self.nodes.len(),
            new_or_changed: dirty.len(),
            ..UpdateStats::default()
        };
        let done = AtomicUsize::new(0);
        let jobs: Vec<TraceJob> = dirty
            .iter()
            .map(|(key, _)| TraceJob {
                key: *key,
                known: None,
            })
            .collect();
        let traced = trace_keys(engine, stats, &jobs, &done, dirty.len(), progress)?;

        // The older articles whose candidates a newcomer may enter.
        let mut suspects: BTreeSet<ArticleId> = BTreeSet::new();
        if !first {
            // Each term of each older article's queries: (article, whether
            // the residual query, boost).
            let mut by_term: HashMap<&str, Vec<(&ArticleId, bool, f32)>> = HashMap::new();
            for (id, r) in &self.retrieved {
                if dirty_ids.contains(id) {
                    continue;
                }
                // Replaced articles were candidates under their old text.
                if r.candidates().iter().any(|k| replaced.contains(k)) {
                    suspects.insert(id.clone());
                }
                for (t, boost) in &r.query {
                    by_term
                        .entry(t.as_str())
                        .or_default()
                        .push((id, false, *boost));
                }
                for (t, boost) in &r.residual_query {
                    by_term
                        .entry(t.as_str())
                        .or_default()
                        .push((id, true, *boost));
                }
            }
            for t in &traced {
                // The newcomer's BM25 score for each older article's query,
                // as the search would compute it.
                let mut score: HashMap<(&ArticleId, bool), f32> = HashMap::new();
                for (term, tf) in &t.terms {
                    for &(id, residual, boost) in by_term.get(term.as_str()).into_iter().flatten() {
                        *score.entry((id, residual)).or_insert(0.0) +=
                            stats.bm25_term_score(term, boost, *tf, t.length);
                    }
                }
                for ((id, residual), b) in score {
                    let r = &self.retrieved[id];
                    // The residual query's cut is by time among its pool,
                    // so entering its pool is what counts.
                    let (full, last) = if residual {
                        (r.residual_full, r.residual_floor)
                    } else {
                        (r.bm25_full, r.bm25.last().map(|h| h.1))
                    };
                    let enters = match (full, last) {
                        (true, Some(last)) => b * (1.0 + SCORE_SLACK) >= last,
                        _ => true,
                    };
                    if enters {
                        suspects.insert(id.clone());
                    }
                }
                if !t.bands.is_empty() {
                    for (k, _) in
                        store.band_matches(&t.bands, usize::MAX, key_of.get(&t.id).copied())?
                    {
                        if let Some(id) = id_of.get(&k) {
                            if !dirty_ids.contains(id) {
                                suspects.insert(id.clone());
                            }
                        }
                    }
                }
            }
        }
        for t in traced {
            self.record(t);
        }
        if suspects.is_empty() {
            out.pairs = self.book.len();
            return Ok(Some(out));
        }

        // Look their candidates up again; trace again those that changed.
        out.rechecked = suspects.len();
        let suspects: Vec<(ArticleKey, ArticleId)> =
            suspects.into_iter().map(|id| (key_of[&id], id)).collect();
        // A changed article is traced against its new candidates only:
        // what its last trace said of the others still holds, since a
        // pair's judgement depends on the pair alone (replaced articles
        // excepted: their text changed).
        // An article whose candidates are the same set keeps its trace (a
        // trace depends on the set, not on its order or the scores) and
        // takes the new retrieval, whose pools' floors may have moved.
        let mut changed: Vec<TraceJob> = Vec::new();
        let mut same: Vec<(ArticleId, Retrieval)> = Vec::new();
        for chunk in suspects.chunks(FETCH_CHUNK) {
            let ks: Vec<_> = chunk.iter().map(|(k, _)| *k).collect();
            let looked: Vec<Result<Looked>> = store
                .get_many(&ks)?
                .into_par_iter()
                .map(|s| {
                    let id = s.article.id.clone();
                    let before = self.retrieved.get(&id);
                    let analyzed = engine.analyze(s.article);
                    let now = engine.retrieve(&analyzed, Some(s.key), Statistics::Frozen(stats))?;
                    let forced = now.candidates().iter().any(|k| replaced.contains(k));
                    let set = |r: &Retrieval| {
                        let mut c = r.candidates();
                        c.sort_unstable();
                        c
                    };
                    if !forced && before.is_some_and(|b| set(b) == set(&now)) {
                        return Ok(Looked::Same(id, now));
                    }
                    let known: HashSet<ArticleKey> = before
                        .map(|b| b.candidates())
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|k| !replaced.contains(k))
                        .collect();
                    Ok(Looked::Retrace(TraceJob {
                        key: s.key,
                        known: Some(known),
                    }))
                })
                .collect();
            for l in looked {
                match l? {
                    Looked::Same(id, r) => same.push((id, r)),
                    Looked::Retrace(job) => changed.push(job),
                }
            }
        }
        for (id, r) in same {
            self.retrieved.insert(id, r);
        }
        out.retraced = changed.len();
        let total = dirty.len() + changed.len();
        for (job, mut t) in changed
            .iter()
            .zip(trace_keys(engine, stats, &changed, &done, total, progress)?)
        {
            // Keep the views of candidates that are still candidates and
            // were judged before.
            let still: HashSet<ArticleKey> = t.retrieval.candidates().into_iter().collect();
            let known = job
                .known
                .as_ref()
                .expect("retrace jobs know their candidates");
            let kept = self.book.views_traced_by(&t.id).into_iter().filter(|v| {
                key_of
                    .get(&v.other)
                    .is_some_and(|k| known.contains(k) && still.contains(k))
            });
            t.views.extend(kept.cloned().collect::<Vec<_>>());
            self.record(t);
        }
        out.pairs = self.book.len();
        Ok(Some(out))
    }

    /// Puts one trace into the state.
    fn record(&mut self, t: Traced) {
        if let Some(n) = self.nodes.get_mut(&t.id) {
            n.sentences = t.sentences;
        }
        self.book.replace_traced(&t.id, t.views);
        self.retrieved.insert(t.id, t.retrieval);
    }
}
