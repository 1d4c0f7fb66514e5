//! Ingest: segment and fingerprint a batch of articles in parallel, store
//! it atomically, and cache sentence vectors when asked to.

use rayon::prelude::*;
use unspun_align::AnalyzedArticle;
use unspun_article::{Article, ArticleId};
use unspun_embed::Embedder;
use unspun_fingerprint::{index_terms, sentence_shapes};
use unspun_segment::Sentence;
use unspun_store::{ArticleKey, CachedVectors, NewArticle, OnConflict, PutOutcome};

use crate::vectors::segmentation_checksum;
use crate::{Engine, Result};

/// A batch of articles fingerprinted by [`Engine::prepare_batch`], ready
/// for [`Engine::store_batch`].
#[derive(Debug)]
pub struct PreparedBatch {
    articles: Vec<NewArticle>,
    /// Sentence texts and segmentation checksum per article, kept only when
    /// the engine precomputes embeddings.
    texts: Vec<(Vec<String>, u64)>,
}

impl PreparedBatch {
    /// The articles' ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = &ArticleId> {
        self.articles.iter().map(|a| &a.article.id)
    }
}

/// Counts of what an ingest did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IngestCounts {
    /// Articles stored for the first time.
    pub added: usize,
    /// Articles already stored with identical content.
    pub unchanged: usize,
    /// Articles whose stored version was replaced (`--replace`).
    pub replaced: usize,
    /// Ids stored with different content and left as they were.
    pub conflicts: Vec<ArticleId>,
}

impl IngestCounts {
    /// Adds the outcomes of one batch.
    pub fn add(&mut self, batch: &[Article], outcomes: &[PutOutcome]) {
        self.add_ids(batch.iter().map(|a| &a.id), outcomes);
    }

    /// Adds the outcomes of one batch given by its ids, in batch order, so
    /// a caller need not keep a copy of the articles (their texts) that
    /// [`Engine::ingest_batch`] consumed.
    pub fn add_ids<'a>(
        &mut self,
        ids: impl IntoIterator<Item = &'a ArticleId>,
        outcomes: &[PutOutcome],
    ) {
        for (id, o) in ids.into_iter().zip(outcomes) {
            match o {
                PutOutcome::Added(_) => self.added += 1,
                PutOutcome::Unchanged(_) => self.unchanged += 1,
                PutOutcome::Replaced(_) => self.replaced += 1,
                PutOutcome::Conflict(_) => self.conflicts.push(id.clone()),
            }
        }
    }
}

impl Engine {
    /// Segments, tokenises and computes features for an article.
    pub fn analyze(&self, article: Article) -> AnalyzedArticle {
        AnalyzedArticle::new(article, &self.segmenter, &self.analyzer)
    }

    /// Fingerprints an article for the store.
    pub fn prepare(&self, article: Article) -> NewArticle {
        self.fingerprint(article, false).0
    }

    /// Fingerprints an article: its index terms, band keys and sentence
    /// shapes, and, when
    /// `sentences` is set, its sentence texts and segmentation checksum
    /// (what the embedding cache needs).
    ///
    /// The tokens are the same as [`Engine::analyze`]'s, sentence by
    /// sentence, but nothing else of an [`AnalyzedArticle`] is built: the
    /// store needs none of the alignment features (char 4-grams, norms,
    /// salient terms), which were a tenth of a lexical ingest's CPU samples
    /// (perf, 20k articles), and the tokens are not copied into a second
    /// vector.
    fn fingerprint(&self, article: Article, sentences: bool) -> (NewArticle, Vec<String>, u64) {
        let (split, tokens) = self.tokens(&article.text);
        let (texts, checksum) = if sentences {
            let texts = split
                .iter()
                .map(|s| s.span.text(&article.text).to_string())
                .collect();
            (texts, segmentation_checksum(&split))
        } else {
            (Vec::new(), 0)
        };
        let new = NewArticle {
            index_terms: index_terms(&tokens),
            band_keys: self.hasher.band_keys(&tokens),
            sentence_shapes: shapes_of(&split, &tokens),
            article,
        };
        (new, texts, checksum)
    }

    /// The sentences of `text` and its tokens, sentence by sentence in one
    /// vector: the tokens of [`Engine::analyze`] without the rest of an
    /// [`AnalyzedArticle`].
    pub(crate) fn tokens(&self, text: &str) -> (Vec<Sentence>, Vec<unspun_segment::Token>) {
        let split = self.segmenter.split(text);
        let mut tokens = Vec::with_capacity(text.len() / 6 + 1);
        for s in &split {
            self.analyzer.tokens_into(text, s.span, &mut tokens);
        }
        (split, tokens)
    }

    /// Fingerprints a batch in parallel and stores it atomically. With an
    /// embedder to precompute (see [`EngineBuilder::precompute`](crate::EngineBuilder::precompute)), the
    /// sentence vectors of the batch's articles are then cached in the
    /// store, in a separate write: a failure there is logged and never
    /// affects the stored batch. The same as [`Engine::prepare_batch`]
    /// followed by [`Engine::store_batch`].
    pub fn ingest_batch(
        &self,
        batch: Vec<Article>,
        on_conflict: OnConflict,
    ) -> Result<Vec<PutOutcome>> {
        self.store_batch(self.prepare_batch(batch), on_conflict)
    }

    /// The CPU half of ingest: segments, stems and fingerprints a batch in
    /// parallel, touching no store. Callers that pipeline ingest (the CLI)
    /// prepare the next batch while the previous one is being stored.
    pub fn prepare_batch(&self, batch: Vec<Article>) -> PreparedBatch {
        let sentences = self.precompute.is_some();
        let (articles, texts) = batch
            .into_par_iter()
            .map(|a| {
                let (new, texts, checksum) = self.fingerprint(a, sentences);
                (new, (texts, checksum))
            })
            .unzip();
        PreparedBatch { articles, texts }
    }

    /// The store half of ingest: writes a prepared batch atomically (and,
    /// with an embedder to precompute, caches its sentence vectors; see
    /// [`Engine::ingest_batch`]). One outcome per article, in order.
    pub fn store_batch(
        &self,
        batch: PreparedBatch,
        on_conflict: OnConflict,
    ) -> Result<Vec<PutOutcome>> {
        let outcomes = self.store.put_batch(&batch.articles, on_conflict)?;
        if let Some(model) = &self.precompute {
            if let Err(e) = self.precompute_vectors(model.as_ref(), &batch.texts, &outcomes) {
                log::warn!("embedding cache not filled for this batch: {e}");
            }
        }
        Ok(outcomes)
    }

    /// Embeds the stored articles of a batch whose vectors are not cached
    /// yet (all their sentences in one call, so the embedder can batch and
    /// use every core) and caches them.
    fn precompute_vectors(
        &self,
        model: &dyn Embedder,
        batch: &[(Vec<String>, u64)],
        outcomes: &[PutOutcome],
    ) -> Result<()> {
        let mut todo: Vec<(ArticleKey, u32, u64, &[String])> = Vec::new();
        for ((texts, checksum), outcome) in batch.iter().zip(outcomes) {
            let key = match outcome {
                PutOutcome::Added(k) | PutOutcome::Replaced(k) | PutOutcome::Unchanged(k) => *k,
                PutOutcome::Conflict(_) => continue,
            };
            let revision = match outcome {
                PutOutcome::Added(_) => 1,
                _ => match self.store.get(key)? {
                    Some(s) => s.revision,
                    None => continue,
                },
            };
            if self
                .store
                .sentence_vectors(key, revision, *checksum, model.name())?
                .is_some()
            {
                continue;
            }
            todo.push((key, revision, *checksum, texts));
        }
        let all: Vec<&str> = todo
            .iter()
            .flat_map(|t| t.3.iter().map(String::as_str))
            .collect();
        if all.is_empty() {
            return Ok(());
        }
        let mut vectors = model.embed(&all)?.into_iter();
        let entries: Vec<CachedVectors> = todo
            .iter()
            .map(|&(key, revision, checksum, texts)| CachedVectors {
                key,
                revision,
                checksum,
                vectors: vectors.by_ref().take(texts.len()).collect(),
            })
            .collect();
        self.store.put_sentence_vectors(model.name(), &entries)?;
        Ok(())
    }
}

/// The stored sentence shapes of an article split into `sentences`, whose
/// tokens, sentence by sentence, are `tokens` ([`Engine::tokens`]): what
/// ingest records and what an older store's upgrade records for it.
pub(crate) fn shapes_of(
    sentences: &[Sentence],
    tokens: &[unspun_segment::Token],
) -> Vec<(u64, u64)> {
    stored_shapes(sentence_shapes(
        tokens,
        sentences.iter().map(|s| (s.span.start, s.span.end)),
    ))
}

/// Sentence shapes as the store takes them ([`NewArticle::sentence_shapes`]):
/// distinct `(shape, filler)` pairs, sorted.
pub(crate) fn stored_shapes(
    shapes: impl IntoIterator<Item = unspun_fingerprint::SentenceShape>,
) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = shapes.into_iter().map(|s| (s.shape, s.filler)).collect();
    out.sort_unstable();
    out.dedup();
    out
}
