//! Judging a pair: align an article to one candidate (lexically or with
//! sentence vectors), classify the relation, orient it, score it, and
//! detect changes where it is a derivation; with the corpus rarity tables
//! the judgement weighs terms by.

use std::collections::HashSet;
use std::sync::Arc;

use unspun_align::{
    classify, direction, Alignment, AnalyzedArticle, EmbeddingKind, Original, Relation, Semantic,
    Specificity, TermRarity,
};
use unspun_changes::ChangeReport;
use unspun_embed::Embedder;
use unspun_store::{ArticleKey, FrozenStats};

use crate::trace::SourceMatch;
use crate::vectors::{Borderline, DerivedSide};
use crate::{Engine, Result, Semantics};

impl Engine {
    /// Aligns `derived` (with its fast vectors and MiniLM memo) to `source`
    /// with sentence vectors and judges the pair: one source of a trace in
    /// a semantic mode. A pair that shares nothing worth reporting gives
    /// `source` back (see [`Engine::judged`]).
    pub(crate) fn judge_semantic(
        &self,
        fast: &Arc<dyn Embedder>,
        derived: DerivedSide<'_>,
        source: AnalyzedArticle,
        stored: Option<(ArticleKey, u32)>,
        rarity: &TermRarity,
    ) -> Result<std::result::Result<SourceMatch, Box<AnalyzedArticle>>> {
        let DerivedSide {
            analyzed,
            stored: own,
            fast: derived_fast,
            full: derived_full,
        } = derived;
        let source_fast = self.vectors_of(fast.as_ref(), &source, stored)?;
        let source_full = Borderline::new();
        let rescore = |pairs: &[(usize, usize)]| -> Vec<Option<f32>> {
            let Semantics::MiniLm { minilm, .. } = &self.semantics else {
                return vec![None; pairs.len()];
            };
            self.rescore_borderline(
                minilm.as_ref(),
                (analyzed, own, derived_full),
                (&source, stored, &source_full),
                pairs,
            )
        };
        let semantic = Semantic {
            kind: EmbeddingKind::Static,
            derived: derived_fast,
            source: &source_fast,
            rescore: match self.semantics {
                Semantics::MiniLm { .. } => Some(&rescore),
                _ => None,
            },
        };
        let alignment =
            self.aligner
                .align_semantic(analyzed, &source, Some(rarity), Some(&semantic));
        Ok(self.judged(analyzed, source, alignment, Some(rarity)))
    }

    /// Judges one pair under frozen statistics exactly as a trace of
    /// `derived` judges `source` when it is among its candidates: with the
    /// pair's own rarity table and, in a semantic mode, sentence vectors.
    /// Neither article needs to be stored: `derived_key` and `source_key`
    /// are the keys the statistics counted them under. For a caller that
    /// finds the candidates itself (a distributed job, see
    /// [`Engine::retrieve_in_pool`]); the result is the [`SourceMatch`] the
    /// trace would list, templates included.
    pub fn judge_frozen(
        &self,
        derived: &AnalyzedArticle,
        derived_key: ArticleKey,
        source: AnalyzedArticle,
        source_key: ArticleKey,
        stats: &FrozenStats,
    ) -> Result<Option<SourceMatch>> {
        let rarity = self.frozen_rarity(
            &[(derived, Some(derived_key)), (&source, Some(source_key))],
            stats,
        );
        match self.semantics.fast() {
            None => Ok(self.judge(derived, source, Some(&rarity))),
            Some(fast) => {
                let derived_fast = self.vectors_of(fast.as_ref(), derived, None)?;
                let memo = Borderline::new();
                Ok(self
                    .judge_semantic(
                        fast,
                        DerivedSide {
                            analyzed: derived,
                            stored: None,
                            fast: &derived_fast,
                            full: &memo,
                        },
                        source,
                        None,
                        &rarity,
                    )?
                    .ok())
            }
        }
    }

    /// Corpus rarity of every content term of `articles`, from the store's
    /// document frequencies.
    pub fn rarity<'a>(
        &self,
        articles: impl Iterator<Item = &'a AnalyzedArticle>,
    ) -> Result<TermRarity> {
        let articles: Vec<&AnalyzedArticle> = articles.collect();
        let terms = content_terms(articles.iter().copied());
        let (docs, dfs) = self.store.doc_freqs(&terms)?;
        let rarity = TermRarity::from_doc_freqs(docs, terms.into_iter().zip(dfs));
        let shapes = sentence_shapes(articles.iter().copied());
        Ok(match self.store.shape_fillers(&shapes)? {
            Some(frames) => rarity.with_frames(frames),
            None => rarity,
        })
    }

    /// Rarity of the content terms of `articles` (each with its store key,
    /// if stored) under frozen statistics: the snapshot's document
    /// frequencies, plus each of `articles` the snapshot did not count.
    ///
    /// Why the additions: live, every stored article counts in the
    /// frequencies, so a term two stored articles share has a document
    /// frequency of at least 2. A snapshot has never seen the vocabulary
    /// of articles stored after it; without the additions, two such
    /// articles would share "unseen" terms as if they were the rarest in
    /// the corpus, and weak pairs would pass. Given one pair, the result
    /// depends on the pair and the snapshot only.
    pub fn frozen_rarity(
        &self,
        articles: &[(&AnalyzedArticle, Option<ArticleKey>)],
        stats: &FrozenStats,
    ) -> TermRarity {
        let terms = content_terms(articles.iter().map(|a| a.0));
        let uncounted: Vec<HashSet<&str>> = articles
            .iter()
            .filter(|(_, key)| !key.is_some_and(|k| stats.counts(k)))
            .map(|(a, _)| {
                a.features
                    .iter()
                    .flat_map(|f| f.terms.iter().map(String::as_str))
                    .collect()
            })
            .collect();
        let docs = stats.docs() + uncounted.len() as u64;
        let dfs: Vec<u64> = terms
            .iter()
            .map(|t| {
                stats.doc_freq(t)
                    + uncounted.iter().filter(|u| u.contains(t.as_str())).count() as u64
            })
            .collect();
        let rarity = TermRarity::from_doc_freqs(docs, terms.into_iter().zip(dfs));
        if !stats.knows_frames() {
            return rarity;
        }
        // An article the snapshot did not count brings its own fillers,
        // which the frame test adds to the snapshot's.
        let frames = sentence_shapes(articles.iter().map(|a| a.0))
            .into_iter()
            .filter_map(|shape| {
                let fillers = stats.frame_fillers(shape);
                (!fillers.is_empty()).then(|| (shape, fillers.to_vec()))
            })
            .collect();
        rarity.with_frames(frames)
    }

    /// Aligns `derived` to `source` and judges the pair; `None` when they
    /// share nothing worth reporting. `rarity` weighs terms by how rare they
    /// are in the corpus (see [`Engine::rarity`]).
    pub fn judge(
        &self,
        derived: &AnalyzedArticle,
        source: AnalyzedArticle,
        rarity: Option<&TermRarity>,
    ) -> Option<SourceMatch> {
        self.judge_lexical(derived, source, rarity).ok()
    }

    /// [`Engine::judge`], giving `source` back when the pair shares
    /// nothing worth reporting (see [`Engine::judged`]).
    pub(crate) fn judge_lexical(
        &self,
        derived: &AnalyzedArticle,
        source: AnalyzedArticle,
        rarity: Option<&TermRarity>,
    ) -> std::result::Result<SourceMatch, Box<AnalyzedArticle>> {
        let alignment = self.aligner.align_with(derived, &source, rarity);
        self.judged(derived, source, alignment, rarity)
    }

    /// Judges a pair from its alignment; `None` when they share nothing
    /// worth reporting.
    pub fn judge_alignment(
        &self,
        derived: &AnalyzedArticle,
        source: AnalyzedArticle,
        alignment: Alignment,
        rarity: Option<&TermRarity>,
    ) -> Option<SourceMatch> {
        self.judged(derived, source, alignment, rarity).ok()
    }

    /// [`Engine::judge_alignment`], giving `source` back when the pair
    /// shares nothing worth reporting: a trace keeps such candidates for
    /// the sibling rule ([`siblings`]) without copying every candidate.
    fn judged(
        &self,
        derived: &AnalyzedArticle,
        source: AnalyzedArticle,
        alignment: Alignment,
        rarity: Option<&TermRarity>,
    ) -> std::result::Result<SourceMatch, Box<AnalyzedArticle>> {
        let specificity = Specificity::of(derived, &source, &alignment, rarity);
        let Some(relation) = classify(derived, &source, &alignment, &specificity) else {
            // Boxed to keep the result small: the move copies no text.
            return Err(Box::new(source));
        };
        let direction = direction(derived, &source, &alignment);
        let reuse = alignment.coverage().max(alignment.source_coverage());
        let score = match relation {
            Relation::Template => 0.02,
            Relation::Related => 0.05,
            _ => reuse * 0.5 + alignment.mean_score() * 0.5,
        };
        // Changes only where there is derivation: never against a template
        // or an independent report of the same story.
        let changes = if relation.is_derivation() && direction.original == Original::Source {
            self.changes.detect(derived, &source, &alignment)
        } else {
            ChangeReport {
                per_group: vec![Vec::new(); alignment.groups.len()],
                article: Vec::new(),
            }
        };
        Ok(SourceMatch {
            source,
            relation,
            specificity,
            alignment,
            direction,
            score,
            changes,
        })
    }
}

/// The distinct content terms of `articles`, sorted.
fn content_terms<'a>(articles: impl Iterator<Item = &'a AnalyzedArticle>) -> Vec<String> {
    let mut terms: Vec<String> = articles
        .flat_map(|a| a.features.iter().flat_map(|f| f.terms.iter().cloned()))
        .collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// The distinct sentence-shape hashes of `articles` (see
/// `unspun_fingerprint::sentence_shape`).
fn sentence_shapes<'a>(articles: impl Iterator<Item = &'a AnalyzedArticle>) -> Vec<u64> {
    let mut shapes: Vec<u64> = articles
        .flat_map(|a| (0..a.sentences.len()).filter_map(move |i| a.sentence_shape(i)))
        .map(|s| s.shape)
        .collect();
    shapes.sort_unstable();
    shapes.dedup();
    shapes
}
