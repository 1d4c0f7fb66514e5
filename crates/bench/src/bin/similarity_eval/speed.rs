//! Speed: sentence pairs per second for each mode, from raw text.

use std::collections::HashMap;
use std::time::Instant;

use anyhow::Result;
use unspun_embed::{cosine, token_features, Embedder};
use unspun_segment::{Analyzer, Segmenter};

use crate::data::Pair;
use crate::features::{lexical_all, Models, PairFeatures};
use crate::mode::{Emb, Mode};
use crate::scorer::Scorer;

/// Sentence pairs per second for each mode, from raw text.
pub fn speed(
    pairs: &[Pair],
    scorers: &[Scorer],
    models: &Models,
    seg: &Segmenter,
    an: &Analyzer,
) -> Result<Vec<f64>> {
    let texts: Vec<&str> = pairs
        .iter()
        .flat_map(|p| [p.a.as_str(), p.b.as_str()])
        .collect();
    let t = Instant::now();
    let lex = lexical_all(pairs, seg, an);
    let t_lex = t.elapsed().as_secs_f64();
    let mut t_emb = HashMap::new();
    for (e, model) in [
        (Emb::Static, &models.fast as &dyn Embedder),
        (Emb::MiniLm, &models.minilm),
    ] {
        let t = Instant::now();
        let v = model.embed(&texts)?;
        let cos: f64 = v.chunks(2).map(|c| cosine(&c[0], &c[1]) as f64).sum();
        std::hint::black_box(cos);
        t_emb.insert(e, t.elapsed().as_secs_f64());
    }
    // `lexical+minilm+tokens`: MiniLM with token vectors (replaces the plain
    // MiniLM pass), the static cosine and static token matching.
    let t = Instant::now();
    let te = models.minilm.embed_with_tokens(&texts)?;
    let mut acc = 0.0;
    for c in te.chunks(2) {
        acc += cosine(&c[0].sentence, &c[1].sentence) as f64;
        acc += token_features(&c[0].tokens, &c[0].ids, &c[1].tokens, &c[1].ids)[0];
    }
    for p in pairs {
        let (a, b) = (
            models.fast.token_vectors(&p.a)?,
            models.fast.token_vectors(&p.b)?,
        );
        acc += token_features(&a.0, &a.1, &b.0, &b.1)[0];
    }
    std::hint::black_box(acc);
    let t_tokens = t.elapsed().as_secs_f64() + t_emb[&Emb::Static];
    let t = Instant::now();
    let pair_texts: Vec<(&str, &str)> =
        pairs.iter().map(|p| (p.a.as_str(), p.b.as_str())).collect();
    std::hint::black_box(models.pair.margins(&pair_texts)?);
    let t_pair = t.elapsed().as_secs_f64();
    let n = pairs.len() as f64;
    Ok(scorers
        .iter()
        .map(|sc| {
            let mut secs = 0.0;
            if sc.mode == Mode::LexTokens {
                secs += t_tokens - t_emb[&Emb::MiniLm];
            }
            if sc.mode.uses_lexical() {
                secs += t_lex;
            }
            if sc.mode.uses_pair_model() {
                secs += t_pair;
            }
            if let Some(e) = sc.mode.embedding() {
                secs += t_emb[&e];
            }
            if sc.logistic.is_some() {
                let t = Instant::now();
                let dummy = PairFeatures {
                    lex: Vec::new(),
                    cos_static: 0.0,
                    cos_minilm: 0.0,
                    tok_minilm: Vec::new(),
                    tok_static: Vec::new(),
                    margin: 0.0,
                };
                let s: f64 = lex
                    .iter()
                    .map(|l| {
                        sc.score(&PairFeatures {
                            lex: l.clone(),
                            ..dummy.clone()
                        })
                    })
                    .sum();
                std::hint::black_box(s);
                secs += t.elapsed().as_secs_f64();
            }
            n / secs
        })
        .collect())
}
