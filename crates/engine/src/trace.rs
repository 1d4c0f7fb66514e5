//! Trace: one article's candidates retrieved, aligned and judged, ranked,
//! siblings marked, and each sentence attributed to its closest source
//! ([`Trace`]).

use std::collections::HashSet;

use unspun_align::{Alignment, AnalyzedArticle, Direction, Relation, Specificity, TermRarity};
use unspun_article::{Article, ArticleId};
use unspun_changes::ChangeReport;
use unspun_store::{ArticleKey, FrozenStats};

use crate::retrieve::Retrieval;
use crate::vectors::{Borderline, DerivedSide};
use crate::{attribution, rank, siblings, Engine, EngineError, Result, Statistics};

/// One candidate source of a traced article, aligned and judged.
#[derive(Clone, Debug)]
pub struct SourceMatch {
    /// The candidate, analysed.
    pub source: AnalyzedArticle,
    /// The relation of the pair.
    pub relation: Relation,
    /// What the pair shares once the frame is set aside (templates).
    pub specificity: Specificity,
    /// The sentence alignment of the traced article to this candidate.
    pub alignment: Alignment,
    /// Which of the two is the original, and why.
    pub direction: Direction,
    /// A single score for ranking sources: reuse weighted by alignment quality.
    pub score: f32,
    /// What the traced article changed relative to this source. Empty when
    /// the traced article is judged the original (it changed nothing of a
    /// later article) or the pair is only `related`.
    pub changes: ChangeReport,
}

/// The trace of one article.
#[derive(Clone, Debug)]
pub struct Trace {
    /// The traced article, analysed.
    pub article: AnalyzedArticle,
    /// Whether the article was read from the store (else it was given as a file).
    pub in_store: bool,
    /// Its sources and related articles, best first: by score, but articles
    /// published after this one after its possible sources, related ones
    /// last, and the original of copied material before its copies (see
    /// [`rank`]).
    pub sources: Vec<SourceMatch>,
    /// Sources that are fellow rewrites of the article's original, listed
    /// after it, with the index of that original (see [`siblings`]).
    pub siblings: Vec<siblings::Sibling>,
    /// For each sentence of the article, the index in `sources` of its best
    /// source, or `None` when the sentence is new.
    pub attribution: Vec<Option<usize>>,
    /// The similarity mode used: `"lexical"`, `"static"`, `"minilm"`, or
    /// `"lexical-only"` when lexical was a fallback for missing models.
    pub mode: &'static str,
    /// How the candidates were found.
    pub retrieval: Retrieval,
}

impl Trace {
    /// If source `si` is a sibling (a fellow rewrite of the article's
    /// original), the index in `sources` of that original.
    pub fn sibling_of(&self, si: usize) -> Option<usize> {
        self.siblings
            .iter()
            .find(|s| s.sibling == si)
            .map(|s| s.common)
    }

    /// Indices of the article's sentences aligned to no source.
    pub fn new_sentences(&self) -> Vec<usize> {
        self.attribution
            .iter()
            .enumerate()
            .filter(|(_, a)| a.is_none())
            .map(|(i, _)| i)
            .collect()
    }
}

impl Engine {
    /// Traces a stored article by id.
    pub fn trace_id(&self, id: &ArticleId) -> Result<Trace> {
        let key = self
            .store
            .key_of(id)?
            .ok_or_else(|| EngineError::NotFound(id.to_string()))?;
        let stored = self
            .store
            .get(key)?
            .ok_or_else(|| EngineError::NotFound(id.to_string()))?;
        self.trace_inner(
            stored.article,
            Some(key),
            Some(stored.revision),
            Statistics::Live,
            None,
        )
    }

    /// Traces an article, stored or not. If an article with the same id is
    /// stored, it is not its own candidate.
    pub fn trace(&self, article: Article) -> Result<Trace> {
        self.trace_with(article, Statistics::Live)
    }

    /// As [`Engine::trace`], with the corpus statistics given.
    pub fn trace_with(&self, article: Article, stats: Statistics<'_>) -> Result<Trace> {
        let key = self.store.key_of(&article.id)?;
        self.trace_inner(article, key, None, stats, None)
    }

    /// As [`Engine::trace_with`], but candidates in `known` are neither
    /// aligned nor reported: for a caller that keeps what earlier traces
    /// said about them. Only sound with frozen statistics, under which a
    /// pair's judgement depends on the pair alone. `retrieval` still lists
    /// every candidate, and `attribution` covers the reported sources only.
    pub fn trace_skipping(
        &self,
        article: Article,
        stats: &FrozenStats,
        known: &HashSet<ArticleKey>,
    ) -> Result<Trace> {
        let key = self.store.key_of(&article.id)?;
        self.trace_inner(article, key, None, Statistics::Frozen(stats), Some(known))
    }

    /// `own_revision` is given when `article` is the stored article
    /// `own_key` itself (so its cached vectors may be used).
    pub(crate) fn trace_inner(
        &self,
        article: Article,
        own_key: Option<ArticleKey>,
        own_revision: Option<u32>,
        stats: Statistics<'_>,
        known: Option<&HashSet<ArticleKey>>,
    ) -> Result<Trace> {
        let analyzed = self.analyze(article);
        let retrieval = self.retrieve(&analyzed, own_key, stats)?;
        let mut wanted = retrieval.candidates();
        if let Some(known) = known {
            wanted.retain(|k| !known.contains(k));
        }
        let stored = self.store.get_many(&wanted)?;
        let others: Vec<(AnalyzedArticle, Option<(ArticleKey, u32)>)> = stored
            .into_iter()
            .filter(|s| s.article.id != analyzed.article.id)
            .map(|s| (self.analyze(s.article), Some((s.key, s.revision))))
            .collect();
        // Live statistics: one table for the whole trace. Frozen ones: one
        // per pair, so that a pair's judgement depends on the pair alone
        // (see `Engine::frozen_rarity`).
        let shared_rarity = match stats.frozen() {
            None => {
                Some(self.rarity(std::iter::once(&analyzed).chain(others.iter().map(|o| &o.0)))?)
            }
            Some(_) => None,
        };
        let rarity_for = |source: &AnalyzedArticle,
                          stored: Option<(ArticleKey, u32)>|
         -> std::borrow::Cow<'_, TermRarity> {
            match (&shared_rarity, stats.frozen()) {
                (Some(r), _) => std::borrow::Cow::Borrowed(r),
                (None, Some(f)) => std::borrow::Cow::Owned(
                    self.frozen_rarity(&[(&analyzed, own_key), (source, stored.map(|s| s.0))], f),
                ),
                (None, None) => unreachable!("live statistics have a shared table"),
            }
        };
        let own = own_key.zip(own_revision);
        // Candidates that share too little with the article to be listed:
        // kept (live statistics only) for the sibling rule, which may find
        // one to be the original of a listed fellow rewrite.
        let keep_unlisted = shared_rarity.is_some();
        let mut unlisted: Vec<AnalyzedArticle> = Vec::new();
        let sources: Vec<SourceMatch> = match self.semantics.fast() {
            None => {
                let mut out = Vec::new();
                for (source, stored) in others {
                    let rarity = rarity_for(&source, stored);
                    match self.judge_lexical(&analyzed, source, Some(&rarity)) {
                        Ok(m) => out.push(m),
                        Err(rejected) if keep_unlisted => unlisted.push(*rejected),
                        Err(_) => {}
                    }
                }
                out
            }
            Some(fast) => {
                let derived_fast = self.vectors_of(fast.as_ref(), &analyzed, own)?;
                // MiniLM vectors of the traced article: its cached row if
                // stored and cached, else only the sentences that some
                // borderline pair needs, embedded then and shared by all
                // sources.
                let derived_full = Borderline::new();
                let mut out = Vec::new();
                for (source, stored) in others {
                    let rarity = rarity_for(&source, stored);
                    let derived = DerivedSide {
                        analyzed: &analyzed,
                        stored: own,
                        fast: &derived_fast,
                        full: &derived_full,
                    };
                    match self.judge_semantic(fast, derived, source, stored, &rarity)? {
                        Ok(m) => out.push(m),
                        Err(rejected) if keep_unlisted => unlisted.push(*rejected),
                        Err(_) => {}
                    }
                }
                out
            }
        };
        // By score, but the original of copied material before its copies,
        // and articles published after this one after its possible sources
        // (see `rank`).
        let sources = rank::order(sources);
        // Fellow rewrites of the article's original after it (see
        // `siblings`). Not under frozen statistics: the graph, their only
        // user, judges siblings from its pair book, which holds each
        // candidate's own alignment to the common source already.
        let (sources, siblings) = match &shared_rarity {
            Some(rarity) => siblings::mark(
                sources,
                &unlisted,
                &|a, o| self.align_candidates(a, o, rarity),
                &|o| self.unlisted_original(&analyzed, o, rarity),
            ),
            None => (sources, Vec::new()),
        };
        // Changes against each sentence's closest sources (see
        // `attribution`). Not under frozen statistics either: there a
        // pair's judgement must depend on the pair alone (the graph's
        // incremental update keeps pairs from earlier traces, and reports
        // each edge's own changes, parent against child).
        let mut sources = sources;
        if shared_rarity.is_some() {
            attribution::keep_closest_changes(&mut sources, &siblings);
        }
        let attribution = attribution::attribute(&analyzed, &sources, &siblings);
        Ok(Trace {
            article: analyzed,
            in_store: own_key.is_some(),
            sources,
            siblings,
            attribution,
            mode: self.mode_label(),
            retrieval,
        })
    }
}
