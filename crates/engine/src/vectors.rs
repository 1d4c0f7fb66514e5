//! Sentence vectors during a trace: read from the store's cache when it
//! holds them, else computed; MiniLM only for the borderline pairs of
//! `--model minilm`.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use unspun_align::AnalyzedArticle;
use unspun_embed::Embedder;
use unspun_segment::Sentence;
use unspun_store::ArticleKey;

use crate::{Engine, Result};

/// The traced side of a pair judged with sentence vectors: the article,
/// its store key and revision when stored, its fast vectors, and its
/// MiniLM memo (shared by all the sources of one trace).
pub(crate) struct DerivedSide<'a> {
    pub(crate) analyzed: &'a AnalyzedArticle,
    pub(crate) stored: Option<(ArticleKey, u32)>,
    pub(crate) fast: &'a [Vec<f32>],
    pub(crate) full: &'a Borderline,
}

/// One side's MiniLM vectors during a trace in `minilm` mode: its cached
/// row (looked up once), or the sentences embedded so far for borderline
/// pairs.
pub(crate) struct Borderline {
    cached: OnceLock<Option<Vec<Vec<f32>>>>,
    embedded: Mutex<HashMap<usize, Vec<f32>>>,
}

impl Borderline {
    pub(crate) fn new() -> Borderline {
        Borderline {
            cached: OnceLock::new(),
            embedded: Mutex::new(HashMap::new()),
        }
    }
}

impl Engine {
    /// The sentence vectors of `article` by `model`: from the store's cache
    /// when the article is stored (`stored` = key, revision) and cached,
    /// else computed, never cached here.
    ///
    /// Why: traces read cached sentence vectors of stored articles but never write
    /// them. Static: measured (docs/EMBED-BENCH.md, 500 BBC articles), reading
    /// and decoding a cached row takes ~33 µs, recomputing ~450 µs, so a row is
    /// worth reading; but a trace recomputes only its ~30 candidates (a few ms
    /// of a ~14 ms trace), while caching every stored article would add ~4.7 KB
    /// per article (~100 MB for the 21k-article corpus) and a write to every
    /// trace. MiniLM: a trace embeds only the sentences of borderline pairs
    /// (`Engine::rescore_borderline`), not whole articles, so it has no row to
    /// write. Rows of either model are written on request (`ingest --model`).
    pub(crate) fn vectors_of(
        &self,
        model: &dyn Embedder,
        article: &AnalyzedArticle,
        stored: Option<(ArticleKey, u32)>,
    ) -> Result<Vec<Vec<f32>>> {
        if let Some(v) = stored.and_then(|s| self.cached_vectors(model, article, s)) {
            return Ok(v);
        }
        let texts: Vec<&str> = (0..article.sentences.len())
            .map(|i| article.sentence_text(i))
            .collect();
        Ok(model.embed(&texts)?)
    }

    /// MiniLM cosines of borderline sentence pairs `(derived, source)`. Each
    /// side's vectors come from its cached row when the article is stored
    /// and cached (`ingest --model minilm`); otherwise only the sentences
    /// the pairs need are embedded (one batch per call), kept in the side's
    /// [`Borderline`] memo for later pairs, and not written to the cache (a
    /// row holds a whole article). A failure is logged and gives `None`.
    pub(crate) fn rescore_borderline(
        &self,
        model: &dyn Embedder,
        derived: (&AnalyzedArticle, Option<(ArticleKey, u32)>, &Borderline),
        source: (&AnalyzedArticle, Option<(ArticleKey, u32)>, &Borderline),
        pairs: &[(usize, usize)],
    ) -> Vec<Option<f32>> {
        let sides = [derived, source];
        for (article, stored, memo) in sides {
            memo.cached
                .get_or_init(|| stored.and_then(|s| self.cached_vectors(model, article, s)));
        }
        // The sentences to embed now: needed, not cached, not yet embedded.
        let mut todo: Vec<(usize, usize)> = Vec::new(); // (side, sentence)
        for &(i, j) in pairs {
            for (side, k) in [(0, i), (1, j)] {
                let memo = sides[side].2;
                if memo.cached.get().is_some_and(|c| c.is_some())
                    || memo.embedded.lock().is_ok_and(|m| m.contains_key(&k))
                    || todo.contains(&(side, k))
                {
                    continue;
                }
                todo.push((side, k));
            }
        }
        if !todo.is_empty() {
            let texts: Vec<&str> = todo
                .iter()
                .map(|&(side, k)| sides[side].0.sentence_text(k))
                .collect();
            match model.embed(&texts) {
                Ok(vectors) => {
                    for (&(side, k), v) in todo.iter().zip(vectors) {
                        if let Ok(mut m) = sides[side].2.embedded.lock() {
                            m.insert(k, v);
                        }
                    }
                }
                Err(e) => {
                    log::warn!("{}: no MiniLM re-scoring: {e}", derived.0.article.id);
                    return vec![None; pairs.len()];
                }
            }
        }
        let vector = |side: usize, k: usize| -> Option<Vec<f32>> {
            let memo = sides[side].2;
            match memo.cached.get() {
                Some(Some(rows)) => rows.get(k).cloned(),
                _ => memo.embedded.lock().ok()?.get(&k).cloned(),
            }
        };
        pairs
            .iter()
            .map(|&(i, j)| Some(unspun_align::semantic::dot(&vector(0, i)?, &vector(1, j)?)))
            .collect()
    }

    /// The cached sentence vectors of a stored article by `model`, if its
    /// row is there and matches the article's segmentation.
    fn cached_vectors(
        &self,
        model: &dyn Embedder,
        article: &AnalyzedArticle,
        (key, revision): (ArticleKey, u32),
    ) -> Option<Vec<Vec<f32>>> {
        let checksum = segmentation_checksum(&article.sentences);
        match self
            .store
            .sentence_vectors(key, revision, checksum, model.name())
        {
            Ok(Some(v)) if v.len() == article.sentences.len() => Some(v),
            Ok(_) => None,
            Err(e) => {
                log::warn!("reading the embedding cache failed: {e}");
                None
            }
        }
    }
}

/// A fingerprint of how an article was cut into `sentences` (their byte
/// spans): cached vectors are valid only for the same segmentation.
pub(crate) fn segmentation_checksum(sentences: &[Sentence]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for s in sentences {
        h.update(&(s.span.start as u64).to_le_bytes());
        h.update(&(s.span.end as u64).to_le_bytes());
    }
    h.digest()
}
