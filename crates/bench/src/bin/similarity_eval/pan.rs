//! The PAN 2025 sample: does each plagiarised paragraph's true source rank
//! first among its source paper's paragraphs, and how many unlabelled
//! paragraphs clear the threshold anyway.

use std::collections::HashMap;

use anyhow::Result;
use rayon::prelude::*;
use unspun_align::pair::{lexical_features, PairSide};
use unspun_align::{AnalyzedArticle, PairSimilarity};
use unspun_embed::{cosine, Embedder as _};
use unspun_segment::{Analyzer, Segmenter};

use crate::cache::embed_all;
use crate::data::{PanDoc, Paragraph};
use crate::features::{analyze, Models, PairFeatures};
use crate::mode::Mode;
use crate::scorer::Scorer;

pub struct PanResult {
    pub labelled: usize,
    pub first: usize,
    pub first_and_above: usize,
    pub unlabelled: usize,
    pub aligned_anyway: usize,
}

/// A paper as one analysed article, with each sentence's paragraph.
struct Paper {
    article: AnalyzedArticle,
    /// Sentence indices of each paragraph.
    sentences: Vec<Vec<usize>>,
}

fn paper(id: &str, paras: &[Paragraph], seg: &Segmenter, an: &Analyzer) -> Paper {
    let mut text = String::new();
    let mut starts = Vec::new();
    for p in paras {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        starts.push(text.len());
        // Paragraph-internal blank lines would only split paragraphs further.
        text.push_str(p.text.trim());
    }
    let article = analyze(id, &text, seg, an);
    let mut sentences = vec![Vec::new(); paras.len()];
    for (i, s) in article.sentences.iter().enumerate() {
        let k = starts.partition_point(|&st| st <= s.span.start).max(1) - 1;
        sentences[k].push(i);
    }
    Paper { article, sentences }
}

/// Mean of the paragraph's sentence vectors (unnormalised; cosine rescales).
fn paragraph_vectors(p: &Paper, vecs: &HashMap<String, Vec<f32>>, dim: usize) -> Vec<Vec<f32>> {
    p.sentences
        .iter()
        .map(|ss| {
            let mut m = vec![0f32; dim];
            for &i in ss {
                for (x, y) in m.iter_mut().zip(&vecs[p.article.sentence_text(i)]) {
                    *x += y;
                }
            }
            m
        })
        .collect()
}

pub fn pan_eval(
    docs: &[PanDoc],
    scorers: &[Scorer],
    models: &mut Models,
    seg: &Segmenter,
    an: &Analyzer,
) -> Result<Vec<PanResult>> {
    let mut results: Vec<PanResult> = scorers
        .iter()
        .map(|_| PanResult {
            labelled: 0,
            first: 0,
            first_and_above: 0,
            unlabelled: 0,
            aligned_anyway: 0,
        })
        .collect();
    for doc in docs {
        eprintln!("PAN {}", doc.name);
        let cand = paper("cand", &doc.candidate, seg, an);
        let src = paper("src", &doc.source, seg, an);
        let sim = PairSimilarity::new(&cand.article, &src.article);
        let texts: Vec<&str> = [&cand, &src]
            .iter()
            .flat_map(|p| (0..p.article.sentences.len()).map(|i| p.article.sentence_text(i)))
            .collect();
        let vs = embed_all(&models.fast, &texts, None)?;
        let vm = embed_all(&models.minilm, &texts, Some(&mut models.cache))?;
        models.cache.save()?;
        let (ds, dm) = (models.fast.dim(), models.minilm.dim());
        let (cs, ss) = (
            paragraph_vectors(&cand, &vs, ds),
            paragraph_vectors(&src, &vs, ds),
        );
        let (cm, sm) = (
            paragraph_vectors(&cand, &vm, dm),
            paragraph_vectors(&src, &vm, dm),
        );
        let side = |p: &Paper, k: usize| PairSide::of(&p.article, &p.sentences[k]);
        let src_sides: Vec<PairSide> = (0..src.sentences.len()).map(|k| side(&src, k)).collect();
        let src_index: HashMap<&str, usize> = doc
            .source
            .iter()
            .enumerate()
            .map(|(k, p)| (p.id.as_str(), k))
            .collect();
        // (candidate paragraph, true source index or None when unlabelled)
        let cases: Vec<(usize, Option<usize>)> = doc
            .candidate
            .iter()
            .enumerate()
            .filter(|(k, _)| !cand.sentences[*k].is_empty())
            .filter_map(|(k, p)| match (&p.source, p.labelled) {
                (Some(id), _) => src_index.get(id.as_str()).map(|&j| (k, Some(j))),
                (None, false) => Some((k, None)),
                (None, true) => None,
            })
            .collect();
        let para_text = |p: &Paper, k: usize| -> String {
            p.sentences[k]
                .iter()
                .map(|&i| p.article.sentence_text(i))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let shortlist_by = scorers.iter().position(|s| s.mode == Mode::LexStatic);
        let mut per_case: Vec<CaseScores> = cases
            .par_iter()
            .map(|&(k, _)| {
                let cside = side(&cand, k);
                // For each scorer: (best source paragraph, its score).
                let mut best = vec![(usize::MAX, f64::NEG_INFINITY); scorers.len()];
                // Pair-model modes: the source paragraphs the `lexical+static`
                // scorer ranks in the top PAN_SHORTLIST, to be re-scored.
                let mut shortlist: Vec<(usize, PairFeatures, f64)> = Vec::new();
                for j in 0..src.sentences.len() {
                    if src.sentences[j].is_empty() {
                        continue;
                    }
                    let s = sim.score_groups(
                        &cand.article,
                        &cand.sentences[k],
                        &src.article,
                        &src.sentences[j],
                    );
                    let f = PairFeatures {
                        lex: lexical_features(&s, &cside, &src_sides[j]),
                        cos_static: cosine(&cs[k], &ss[j]) as f64,
                        cos_minilm: cosine(&cm[k], &sm[j]) as f64,
                        tok_minilm: Vec::new(),
                        tok_static: Vec::new(),
                        margin: f64::NAN,
                    };
                    for (b, sc) in best.iter_mut().zip(scorers) {
                        if sc.mode.uses_pair_model() {
                            continue;
                        }
                        let v = sc.score(&f);
                        if v > b.1 {
                            *b = (j, v);
                        }
                    }
                    if let Some(i) = shortlist_by {
                        let v = scorers[i].score(&f);
                        shortlist.push((j, f, v));
                    }
                }
                shortlist.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
                shortlist.truncate(PAN_SHORTLIST);
                (
                    best,
                    shortlist.into_iter().map(|(j, f, _)| (j, f)).collect(),
                )
            })
            .collect();
        if scorers.iter().any(|s| s.mode.uses_pair_model()) {
            // One MiniLM pass per shortlisted (candidate, source) paragraph
            // pair, batched; paragraphs are truncated at 256 word pieces
            // between them, as in any pair model input.
            let texts: Vec<(String, String)> = cases
                .iter()
                .zip(&per_case)
                .flat_map(|(&(k, _), (_, short))| {
                    short.iter().map(move |(j, _)| (k, *j)).collect::<Vec<_>>()
                })
                .map(|(k, j)| (para_text(&cand, k), para_text(&src, j)))
                .collect();
            let refs: Vec<(&str, &str)> = texts
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            let mut margins = models.pair.margins(&refs)?.into_iter();
            for (best, short) in per_case.iter_mut() {
                for (j, f) in short.iter_mut() {
                    f.margin = f64::from(margins.next().expect("one margin per pair"));
                    for (b, sc) in best.iter_mut().zip(scorers) {
                        if sc.mode.uses_pair_model() {
                            let v = sc.score(f);
                            if v > b.1 {
                                *b = (*j, v);
                            }
                        }
                    }
                }
            }
        }
        for ((_, truth), (best, _)) in cases.iter().zip(&per_case) {
            for ((r, sc), &(j, v)) in results.iter_mut().zip(scorers).zip(best) {
                match truth {
                    Some(t) => {
                        r.labelled += 1;
                        if j == *t {
                            r.first += 1;
                            if v >= sc.threshold {
                                r.first_and_above += 1;
                            }
                        }
                    }
                    None => {
                        r.unlabelled += 1;
                        if v >= sc.threshold {
                            r.aligned_anyway += 1;
                        }
                    }
                }
            }
        }
    }
    Ok(results)
}

/// One PAN candidate paragraph: each scorer's best source paragraph and
/// score, and the shortlisted source paragraphs the pair-model modes re-score.
type CaseScores = (Vec<(usize, f64)>, Vec<(usize, PairFeatures)>);

/// Source paragraphs per candidate paragraph that the pair-model modes
/// re-score on PAN (the best by the `lexical+static` scorer).
const PAN_SHORTLIST: usize = 5;
