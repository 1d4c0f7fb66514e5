//! What is measured about each pair of texts: the lexical features, the
//! cosines of both embedders, the token-level features and the pair
//! model's margin.

use anyhow::Result;
use rayon::prelude::*;
use unspun_align::pair::{lexical_features, PairSide};
use unspun_align::{AnalyzedArticle, PairSimilarity};
use unspun_article::{Article, ArticleId};
use unspun_embed::{cosine, token_features, MiniLm, PairModel, StaticEmbedder};
use unspun_segment::{Analyzer, Segmenter};
use xxhash_rust::xxh3::xxh3_64;

use crate::cache::{embed_all, Cache};
use crate::data::Pair;

/// One text as an analysed article.
pub fn analyze(id: &str, text: &str, seg: &Segmenter, an: &Analyzer) -> AnalyzedArticle {
    AnalyzedArticle::new(
        Article::new(ArticleId::new(id).expect("valid id"), text),
        seg,
        an,
    )
}

/// Lexical features of two texts scored as one pair.
pub fn lexical_pair(a: &str, b: &str, seg: &Segmenter, an: &Analyzer) -> Vec<f64> {
    let da = analyze("a", a, seg, an);
    let db = analyze("b", b, seg, an);
    let sim = PairSimilarity::new(&da, &db);
    let ia: Vec<usize> = (0..da.sentences.len()).collect();
    let ib: Vec<usize> = (0..db.sentences.len()).collect();
    let score = sim.score_groups(&da, &ia, &db, &ib);
    let sa = PairSide::of(&da, &ia);
    let sb = PairSide::of(&db, &ib);
    lexical_features(&score, &sa, &sb)
}

/// Lexical features of every pair (rayon over pairs).
pub fn lexical_all(pairs: &[Pair], seg: &Segmenter, an: &Analyzer) -> Vec<Vec<f64>> {
    pairs
        .par_iter()
        .map(|p| lexical_pair(&p.a, &p.b, seg, an))
        .collect()
}

/// Everything measured about one pair of texts.
#[derive(Clone, Debug)]
pub struct PairFeatures {
    pub lex: Vec<f64>,
    pub cos_static: f64,
    pub cos_minilm: f64,
    /// Token-level features from MiniLM's contextual token vectors
    /// ([`TOKEN_FEATURES`]); empty where not computed.
    pub tok_minilm: Vec<f64>,
    /// The same from the static model's token vectors.
    pub tok_static: Vec<f64>,
    /// The cross-encoder's margin ([`PairModel::margins`]).
    pub margin: f64,
}

pub struct Models {
    pub fast: StaticEmbedder,
    pub minilm: MiniLm,
    pub cache: Cache,
    pub tok_cache: Cache,
    pub pair: PairModel,
    pub pair_cache: Cache,
}

impl Models {
    /// Cosines of each pair under both models.
    pub fn pair_features(
        &mut self,
        pairs: &[Pair],
        lex: Vec<Vec<f64>>,
    ) -> Result<Vec<PairFeatures>> {
        let texts: Vec<&str> = pairs
            .iter()
            .flat_map(|p| [p.a.as_str(), p.b.as_str()])
            .collect();
        let vs = embed_all(&self.fast, &texts, None)?;
        let vm = embed_all(&self.minilm, &texts, Some(&mut self.cache))?;
        self.cache.save()?;
        Ok(pairs
            .iter()
            .zip(lex)
            .map(|(p, lex)| PairFeatures {
                lex,
                cos_static: cosine(&vs[&p.a], &vs[&p.b]) as f64,
                cos_minilm: cosine(&vm[&p.a], &vm[&p.b]) as f64,
                tok_minilm: Vec::new(),
                tok_static: Vec::new(),
                margin: f64::NAN,
            })
            .collect())
    }

    /// Fills each pair's cross-encoder margin (through `pair_cache`, keyed by
    /// the adapter and the pair's text).
    pub fn pair_level(&mut self, pairs: &[Pair], feats: &mut [PairFeatures]) -> Result<()> {
        let id = self.pair.adapter_id();
        let pair = &self.pair;
        let rows = self.pair_cache.pair_rows(
            pairs,
            |p| xxh3_64(format!("{id:x}\t{}\t{}", p.a, p.b).as_bytes()),
            "minilm pair model",
            |chunk| {
                let texts: Vec<(&str, &str)> =
                    chunk.iter().map(|p| (p.a.as_str(), p.b.as_str())).collect();
                Ok(pair.margins(&texts)?.into_iter().map(|m| vec![m]).collect())
            },
        )?;
        for (f, row) in feats.iter_mut().zip(rows) {
            f.margin = f64::from(row[0]);
        }
        Ok(())
    }

    /// Fills the token-level features of each pair (MiniLM's through
    /// `tok_cache`, keyed by the pair's text).
    pub fn token_level(&mut self, pairs: &[Pair], feats: &mut [PairFeatures]) -> Result<()> {
        let minilm = &self.minilm;
        let rows = self.tok_cache.pair_rows(
            pairs,
            |p| xxh3_64(format!("{}\t{}", p.a, p.b).as_bytes()),
            "minilm tokens",
            |chunk| {
                let texts: Vec<&str> = chunk
                    .iter()
                    .flat_map(|p| [p.a.as_str(), p.b.as_str()])
                    .collect();
                let te = minilm.embed_with_tokens(&texts)?;
                Ok(te
                    .chunks(2)
                    .map(|e| {
                        token_features(&e[0].tokens, &e[0].ids, &e[1].tokens, &e[1].ids)
                            .iter()
                            .map(|&x| x as f32)
                            .collect()
                    })
                    .collect())
            },
        )?;
        let static_tok: Vec<Vec<f64>> = pairs
            .par_iter()
            .map(|p| {
                let side = |t: &str| self.fast.token_vectors(t).unwrap_or_default();
                let (va, ia) = side(&p.a);
                let (vb, ib) = side(&p.b);
                token_features(&va, &ia, &vb, &ib)
            })
            .collect();
        for ((f, row), st) in feats.iter_mut().zip(rows).zip(static_tok) {
            f.tok_minilm = row.iter().map(|&x| x as f64).collect();
            f.tok_static = st;
        }
        Ok(())
    }
}
