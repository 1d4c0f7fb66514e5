//! Evaluation and calibration of the sentence-pair scorer (issue 3).
//!
//! Modes:
//! - `lexical`: [`PairSimilarity`]'s combined score alone, over all
//!   sentences of each side (`score_groups`);
//! - `lexical-lr`: logistic regression over the lexical features only (what
//!   unspun can do without models);
//! - `static`, `minilm`: the embedding cosine alone;
//! - `lexical+static`, `lexical+minilm`: logistic regression over the
//!   lexical features and the cosine.
//!
//! Every threshold and weight is fitted on MRPC train only (4,076 pairs):
//! raw scores get the threshold that maximises train accuracy; logistic
//! modes are fitted by Newton's method on standardised features (small L2),
//! then their probability threshold is chosen the same way. The fitted
//! scorers are then applied, unchanged, to
//! 1. MRPC test (accuracy, F1 of the paraphrase class),
//! 2. STS Benchmark test (Pearson and Spearman of the score or probability
//!    with the gold similarity),
//! 3. the PAN 2025 generated-plagiarism sample (does the true source
//!    paragraph rank first among the source paper's paragraphs; how many
//!    unlabelled candidate paragraphs clear the threshold anyway),
//! 4. speed (sentence pairs per second, from raw text, 2 cores).
//!
//! Paragraph scores (PAN): lexical features come from one
//! [`PairSimilarity`] over the two whole papers (as the aligner sees them),
//! scoring each paragraph's sentences as a group; embeddings are the mean of
//! the paragraph's sentence embeddings (MiniLM truncates at 256 word pieces).
//!
//! Run: `cargo run --release -p unspun-bench --bin similarity-eval [-- --write]`;
//! `--write` stores the tables in `docs/SIMILARITY-BENCH.md`. `--cache FILE`
//! keeps MiniLM vectors between runs (the speed table never uses it).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;
use rayon::prelude::*;
use unspun_align::pair::{lexical_features, PairSide, LEXICAL_FEATURES};
use unspun_align::{AnalyzedArticle, PairSimilarity};
use unspun_article::{Article, ArticleId};
use unspun_embed::{
    cosine, models_dir, token_features, Embedder, MiniLm, PairModel, StaticEmbedder, TOKEN_FEATURES,
};
use unspun_segment::{Analyzer, Segmenter};
use xxhash_rust::xxh3::xxh3_64;

#[derive(Parser, Debug)]
#[command(about = "Accuracy, correlation, ranking and speed of the sentence-pair scorer")]
struct Args {
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// The models folder (default: $UNSPUN_MODELS or ./models).
    #[arg(long)]
    models: Option<PathBuf>,
    /// File caching MiniLM vectors between runs (not used for speed).
    #[arg(long)]
    cache: Option<PathBuf>,
    /// MRPC test pairs timed per mode for the speed table.
    #[arg(long, default_value_t = 600)]
    speed_pairs: usize,
    /// L2 penalty of the logistic regressions (on standardised features).
    #[arg(long, default_value_t = 1e-3)]
    l2: f64,
    /// Write docs/SIMILARITY-BENCH.md.
    #[arg(long)]
    write: bool,
    /// Cross-validate feature sets on MRPC train only, print, and stop.
    #[arg(long)]
    explore: bool,
    /// Write every MRPC pair's features as TSV to this file, and stop
    /// (for prototyping scorers outside Rust).
    #[arg(long)]
    dump: Option<PathBuf>,
}

/// Gradient-boosted regression trees with logistic loss (Newton leaves,
/// histogram splits on train quantiles).
#[derive(Clone, Debug)]
struct Gbdt {
    base: f64,
    /// Nodes of all trees: `(feature, threshold, left, right)` or a leaf
    /// `(usize::MAX, value, 0, 0)`.
    trees: Vec<Vec<(usize, f64, usize, usize)>>,
}

#[derive(Clone, Copy, Debug)]
struct GbdtParams {
    rounds: usize,
    depth: usize,
    rate: f64,
    lambda: f64,
    min_hess: f64,
    bins: usize,
}

impl Gbdt {
    fn fit(x: &[Vec<f64>], y: &[bool], prm: GbdtParams) -> Gbdt {
        let (n, d) = (x.len(), x[0].len());
        // Candidate thresholds per feature: quantiles of the training values.
        let cuts: Vec<Vec<f64>> = (0..d)
            .map(|k| {
                let mut v: Vec<f64> = x.iter().map(|r| r[k]).collect();
                v.sort_by(f64::total_cmp);
                let mut c: Vec<f64> = (1..prm.bins).map(|q| v[q * (n - 1) / prm.bins]).collect();
                c.dedup();
                c
            })
            .collect();
        // Bin index of every value: value <= cuts[b] goes left of split b.
        let bin: Vec<Vec<u8>> = x
            .iter()
            .map(|r| {
                (0..d)
                    .map(|k| cuts[k].partition_point(|&c| c < r[k]) as u8)
                    .collect()
            })
            .collect();
        let pos = y.iter().filter(|&&v| v).count() as f64 / n as f64;
        let base = (pos / (1.0 - pos)).ln();
        let mut f = vec![base; n];
        let mut trees = Vec::with_capacity(prm.rounds);
        for _ in 0..prm.rounds {
            let g: Vec<f64> = (0..n)
                .map(|i| sigmoid(f[i]) - if y[i] { 1.0 } else { 0.0 })
                .collect();
            let h: Vec<f64> = (0..n)
                .map(|i| (sigmoid(f[i]) * (1.0 - sigmoid(f[i]))).max(1e-6))
                .collect();
            let mut nodes = Vec::new();
            let all: Vec<usize> = (0..n).collect();
            Self::grow(&all, 0, &bin, &cuts, &g, &h, prm, &mut nodes);
            for (i, r) in x.iter().enumerate() {
                f[i] += Self::eval(&nodes, r);
            }
            trees.push(nodes);
        }
        Gbdt { base, trees }
    }

    #[allow(clippy::too_many_arguments)]
    fn grow(
        rows: &[usize],
        depth: usize,
        bin: &[Vec<u8>],
        cuts: &[Vec<f64>],
        g: &[f64],
        h: &[f64],
        prm: GbdtParams,
        nodes: &mut Vec<(usize, f64, usize, usize)>,
    ) -> usize {
        let (gs, hs): (f64, f64) = rows
            .iter()
            .fold((0.0, 0.0), |a, &i| (a.0 + g[i], a.1 + h[i]));
        let me = nodes.len();
        nodes.push((usize::MAX, -gs / (hs + prm.lambda) * prm.rate, 0, 0));
        if depth >= prm.depth {
            return me;
        }
        let parent = gs * gs / (hs + prm.lambda);
        let mut best = (0.0, usize::MAX, 0usize);
        for (k, ck) in cuts.iter().enumerate() {
            let nb = ck.len() + 1;
            let mut hg = vec![0.0; nb];
            let mut hh = vec![0.0; nb];
            for &i in rows {
                let b = bin[i][k] as usize;
                hg[b] += g[i];
                hh[b] += h[i];
            }
            let (mut gl, mut hl) = (0.0, 0.0);
            for b in 0..nb - 1 {
                gl += hg[b];
                hl += hh[b];
                let (gr, hr) = (gs - gl, hs - hl);
                if hl < prm.min_hess || hr < prm.min_hess {
                    continue;
                }
                let gain = gl * gl / (hl + prm.lambda) + gr * gr / (hr + prm.lambda) - parent;
                if gain > best.0 {
                    best = (gain, k, b);
                }
            }
        }
        if best.1 == usize::MAX {
            return me;
        }
        let (k, b) = (best.1, best.2);
        let (l, r): (Vec<usize>, Vec<usize>) =
            rows.iter().partition(|&&i| (bin[i][k] as usize) <= b);
        let li = Self::grow(&l, depth + 1, bin, cuts, g, h, prm, nodes);
        let ri = Self::grow(&r, depth + 1, bin, cuts, g, h, prm, nodes);
        nodes[me] = (k, cuts[k][b], li, ri);
        me
    }

    fn eval(nodes: &[(usize, f64, usize, usize)], x: &[f64]) -> f64 {
        let mut at = 0;
        loop {
            let (k, t, l, r) = nodes[at];
            if k == usize::MAX {
                return t;
            }
            at = if x[k] <= t { l } else { r };
        }
    }

    fn prob(&self, x: &[f64]) -> f64 {
        sigmoid(self.base + self.trees.iter().map(|t| Self::eval(t, x)).sum::<f64>())
    }
}

/// Out-of-fold probabilities (5 interleaved folds): `fit` trains a model
/// on the other folds and returns its probability function.
fn out_of_fold<P: Fn(&[f64]) -> f64>(
    x: &[Vec<f64>],
    y: &[bool],
    fit: impl Fn(&[Vec<f64>], &[bool]) -> P,
) -> Vec<f64> {
    let k = 5;
    let mut out = vec![0.0; x.len()];
    for fold in 0..k {
        let (mut xt, mut yt) = (Vec::new(), Vec::new());
        for i in (0..x.len()).filter(|i| i % k != fold) {
            xt.push(x[i].clone());
            yt.push(y[i]);
        }
        let prob = fit(&xt, &yt);
        for i in (0..x.len()).filter(|i| i % k == fold) {
            out[i] = prob(&x[i]);
        }
    }
    out
}

/// Out-of-fold probabilities of boosted trees.
fn cv_gbdt(x: &[Vec<f64>], y: &[bool], prm: GbdtParams) -> Vec<f64> {
    out_of_fold(x, y, |xt, yt| {
        let m = Gbdt::fit(xt, yt, prm);
        move |v: &[f64]| m.prob(v)
    })
}

/// Out-of-fold probabilities of a logistic model.
fn cv_probs(x: &[Vec<f64>], y: &[bool], names: &[&'static str], l2: f64) -> Vec<f64> {
    out_of_fold(x, y, |xt, yt| {
        let l = Logistic::fit(names.to_vec(), xt, yt, l2);
        move |v: &[f64]| l.prob(v)
    })
}

/// Prints cross-validated accuracy / F1 on MRPC train for candidate
/// feature sets (the test set is not read).
fn explore(train: &[PairFeatures], y: &[bool]) {
    type Pick = fn(&PairFeatures) -> Vec<f64>;
    let sets: Vec<(&str, Pick)> = vec![
        ("lex", |p| p.lex.clone()),
        ("lex+cosm", |p| with_cosine(&p.lex, p.cos_minilm)),
        ("lex+cosm+tokm", |p| {
            let mut v = with_cosine(&p.lex, p.cos_minilm);
            v.extend(&p.tok_minilm);
            v
        }),
        ("lex+coss+toks", |p| {
            let mut v = with_cosine(&p.lex, p.cos_static);
            v.extend(&p.tok_static);
            v
        }),
        ("lex+cosm+tokm+coss+toks", |p| {
            let mut v = with_cosine(&p.lex, p.cos_minilm);
            v.extend(&p.tok_minilm);
            v.push(p.cos_static);
            v.extend(&p.tok_static);
            v
        }),
        ("cosm+tokm", |p| {
            let mut v = vec![p.cos_minilm];
            v.extend(&p.tok_minilm);
            v
        }),
    ];
    for (name, pick) in sets {
        let x: Vec<Vec<f64>> = train.iter().map(pick).collect();
        let names: Vec<&'static str> = vec!["x"; x[0].len()];
        let report = |label: String, probs: &[f64]| {
            let t = best_threshold(probs, y);
            let b = binary(&probs.iter().map(|&p| p >= t).collect::<Vec<_>>(), y);
            let b5 = binary(&probs.iter().map(|&p| p >= 0.5).collect::<Vec<_>>(), y);
            println!(
                "{name:28} {label:32} cv acc {:.3} f1 {:.3} (t {:.3}) | t=0.5 acc {:.3} f1 {:.3}",
                b.acc, b.f1, t, b5.acc, b5.f1
            );
        };
        for (rounds, depth, rate) in [
            (200, 3, 0.05),
            (400, 3, 0.03),
            (300, 4, 0.03),
            (600, 2, 0.05),
        ] {
            let prm = GbdtParams {
                rounds,
                depth,
                rate,
                lambda: 1.0,
                min_hess: 5.0,
                bins: 32,
            };
            report(
                format!("gbdt {rounds}x d{depth} lr{rate}"),
                &cv_gbdt(&x, y, prm),
            );
        }
        for &l2 in &[1e-4, 1e-3] {
            let probs = cv_probs(&x, y, &names, l2);
            let t = best_threshold(&probs, y);
            let b = binary(&probs.iter().map(|&p| p >= t).collect::<Vec<_>>(), y);
            let b5 = binary(&probs.iter().map(|&p| p >= 0.5).collect::<Vec<_>>(), y);
            println!(
                "{name:28} l2={l2:<6} cv acc {:.3} f1 {:.3} (t {:.3}) | t=0.5 acc {:.3} f1 {:.3}",
                b.acc, b.f1, t, b5.acc, b5.f1
            );
        }
    }
}

// ---------------------------------------------------------------- features

fn analyze(id: &str, text: &str, seg: &Segmenter, an: &Analyzer) -> AnalyzedArticle {
    AnalyzedArticle::new(
        Article::new(ArticleId::new(id).expect("valid id"), text),
        seg,
        an,
    )
}

/// Lexical features of two texts scored as one pair.
fn lexical_pair(a: &str, b: &str, seg: &Segmenter, an: &Analyzer) -> Vec<f64> {
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

// ---------------------------------------------------------------- models

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Lexical,
    LexicalLr,
    Static,
    MiniLm,
    LexStatic,
    LexMiniLm,
    LexTokens,
    AlignLexical,
    AlignStatic,
    AlignMiniLm,
    /// The cross-encoder's margin alone ([`PairModel`]).
    Pair,
    /// Lexical features, the static cosine and the cross-encoder's margin:
    /// what `unspun similarity --model minilm` uses.
    LexPair,
}

const MODES: [Mode; 12] = [
    Mode::Lexical,
    Mode::LexicalLr,
    Mode::Static,
    Mode::MiniLm,
    Mode::LexStatic,
    Mode::LexMiniLm,
    Mode::LexTokens,
    Mode::AlignLexical,
    Mode::AlignStatic,
    Mode::AlignMiniLm,
    Mode::Pair,
    Mode::LexPair,
];

/// Indices into `LEXICAL_FEATURES` of the aligner's blend inputs: the
/// lexical score and the containment of the less-covered side (the
/// strongest features the aligner already computes per sentence pair).
const ALIGN_LEXICAL: [usize; 2] = [0, 3];

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Lexical => "lexical",
            Mode::LexicalLr => "lexical-lr",
            Mode::Static => "static",
            Mode::MiniLm => "minilm",
            Mode::LexStatic => "lexical+static",
            Mode::LexMiniLm => "lexical+minilm",
            Mode::LexTokens => "lexical+minilm+tokens",
            Mode::AlignLexical => "align-lexical",
            Mode::AlignStatic => "align-static",
            Mode::AlignMiniLm => "align-minilm",
            Mode::Pair => "minilm-pair",
            Mode::LexPair => "lexical+static+minilm-pair",
        }
    }

    /// Which embedding the mode uses.
    fn embedding(self) -> Option<Emb> {
        match self {
            Mode::Static | Mode::LexStatic | Mode::AlignStatic | Mode::LexPair => Some(Emb::Static),
            Mode::MiniLm | Mode::LexMiniLm | Mode::LexTokens | Mode::AlignMiniLm => {
                Some(Emb::MiniLm)
            }
            Mode::Lexical | Mode::LexicalLr | Mode::AlignLexical | Mode::Pair => None,
        }
    }

    fn uses_lexical(self) -> bool {
        !matches!(self, Mode::Static | Mode::MiniLm | Mode::Pair)
    }

    fn is_logistic(self) -> bool {
        !matches!(
            self,
            Mode::Lexical | Mode::Static | Mode::MiniLm | Mode::Pair
        )
    }

    /// Modes with the cross-encoder, whose adapter was trained on MRPC train
    /// pairs `i % 5 != 4`: they are fitted on the held-out fifth only.
    fn uses_pair_model(self) -> bool {
        matches!(self, Mode::Pair | Mode::LexPair)
    }

    fn is_align(self) -> bool {
        matches!(
            self,
            Mode::AlignLexical | Mode::AlignStatic | Mode::AlignMiniLm
        )
    }

    fn feature_names(self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self == Mode::LexTokens {
            names.extend(LEXICAL_FEATURES);
            names.push("cos_minilm");
            names.extend(
                TOKEN_FEATURES
                    .map(|n| n.trim_start_matches("tok_"))
                    .map(minilm_name),
            );
            names.push("cos_static");
            names.extend(
                TOKEN_FEATURES
                    .map(|n| n.trim_start_matches("tok_"))
                    .map(static_name),
            );
            return names;
        }
        if self.is_align() {
            names.extend(ALIGN_LEXICAL.map(|k| LEXICAL_FEATURES[k]));
        } else if self.uses_lexical() {
            names.extend(LEXICAL_FEATURES);
        }
        if let Some(e) = self.embedding() {
            names.push(e.cos_name());
        }
        if self.uses_pair_model() {
            names.push("pair_margin");
        }
        names
    }

    /// The mode's input vector for one pair.
    fn inputs(self, p: &PairFeatures) -> Vec<f64> {
        match self {
            Mode::Lexical => vec![p.lex[0]],
            Mode::Static => vec![p.cos_static],
            Mode::MiniLm => vec![p.cos_minilm],
            Mode::LexicalLr => p.lex.clone(),
            Mode::LexStatic => with_cosine(&p.lex, p.cos_static),
            Mode::LexMiniLm => with_cosine(&p.lex, p.cos_minilm),
            Mode::LexTokens => {
                let mut v = with_cosine(&p.lex, p.cos_minilm);
                v.extend(&p.tok_minilm);
                v.push(p.cos_static);
                v.extend(&p.tok_static);
                v
            }
            Mode::AlignLexical => ALIGN_LEXICAL.iter().map(|&k| p.lex[k]).collect(),
            Mode::AlignStatic => with_cosine(&Mode::AlignLexical.inputs(p), p.cos_static),
            Mode::AlignMiniLm => with_cosine(&Mode::AlignLexical.inputs(p), p.cos_minilm),
            Mode::Pair => vec![p.margin],
            Mode::LexPair => {
                let mut v = with_cosine(&p.lex, p.cos_static);
                v.push(p.margin);
                v
            }
        }
    }
}

/// Feature names of the MiniLM token features (`minilm_p`, …).
fn minilm_name(n: &str) -> &'static str {
    match n {
        "p" => "minilm_p",
        "r" => "minilm_r",
        "f" => "minilm_f",
        "wp" => "minilm_wp",
        "wr" => "minilm_wr",
        "wf" => "minilm_wf",
        "unmatched" => "minilm_unmatched",
        _ => "minilm_min",
    }
}

/// Feature names of the static token features (`static_p`, …).
fn static_name(n: &str) -> &'static str {
    match n {
        "p" => "static_p",
        "r" => "static_r",
        "f" => "static_f",
        "wp" => "static_wp",
        "wr" => "static_wr",
        "wf" => "static_wf",
        "unmatched" => "static_unmatched",
        _ => "static_min",
    }
}

/// Lexical features followed by the cosine.
fn with_cosine(lex: &[f64], cos: f64) -> Vec<f64> {
    let mut v = lex.to_vec();
    v.push(cos);
    v
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Emb {
    Static,
    MiniLm,
}

impl Emb {
    fn cos_name(self) -> &'static str {
        match self {
            Emb::Static => "cos_static",
            Emb::MiniLm => "cos_minilm",
        }
    }
}

/// Everything measured about one pair of texts.
#[derive(Clone, Debug)]
struct PairFeatures {
    lex: Vec<f64>,
    cos_static: f64,
    cos_minilm: f64,
    /// Token-level features from MiniLM's contextual token vectors
    /// ([`TOKEN_FEATURES`]); empty where not computed.
    tok_minilm: Vec<f64>,
    /// The same from the static model's token vectors.
    tok_static: Vec<f64>,
    /// The cross-encoder's margin ([`PairModel::margins`]).
    margin: f64,
}

/// Logistic regression on standardised features.
#[derive(Clone, Debug)]
struct Logistic {
    names: Vec<&'static str>,
    mean: Vec<f64>,
    std: Vec<f64>,
    w: Vec<f64>,
    b: f64,
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Logistic {
    /// Fits by Newton's method (IRLS) with an L2 penalty `l2 * n` on the
    /// weights (not the bias).
    fn fit(names: Vec<&'static str>, x: &[Vec<f64>], y: &[bool], l2: f64) -> Logistic {
        let d = names.len();
        let n = x.len() as f64;
        let mut mean = vec![0.0; d];
        for row in x {
            for (m, v) in mean.iter_mut().zip(row) {
                *m += v / n;
            }
        }
        let mut std = vec![0.0; d];
        for row in x {
            for k in 0..d {
                std[k] += (row[k] - mean[k]).powi(2) / n;
            }
        }
        for s in &mut std {
            *s = if *s > 1e-12 { s.sqrt() } else { 1.0 };
        }
        let z: Vec<Vec<f64>> = x
            .iter()
            .map(|row| {
                let mut r: Vec<f64> = (0..d).map(|k| (row[k] - mean[k]) / std[k]).collect();
                r.push(1.0);
                r
            })
            .collect();
        let mut theta = vec![0.0; d + 1];
        for _ in 0..50 {
            let mut grad = vec![0.0; d + 1];
            let mut hess = vec![vec![0.0; d + 1]; d + 1];
            for (r, &yi) in z.iter().zip(y) {
                let p = sigmoid(dot(r, &theta));
                let e = p - if yi { 1.0 } else { 0.0 };
                let w = (p * (1.0 - p)).max(1e-9);
                for a in 0..=d {
                    grad[a] += e * r[a];
                    for b in 0..=d {
                        hess[a][b] += w * r[a] * r[b];
                    }
                }
            }
            for k in 0..d {
                grad[k] += l2 * n * theta[k];
                hess[k][k] += l2 * n;
            }
            let step = solve(hess, grad);
            let mut change: f64 = 0.0;
            for (t, s) in theta.iter_mut().zip(&step) {
                *t -= s;
                change = change.max(s.abs());
            }
            if change < 1e-10 {
                break;
            }
        }
        let b = theta.pop().unwrap_or(0.0);
        Logistic {
            names,
            mean,
            std,
            w: theta,
            b,
        }
    }

    fn prob(&self, x: &[f64]) -> f64 {
        let z: f64 = x
            .iter()
            .enumerate()
            .map(|(k, v)| self.w[k] * (v - self.mean[k]) / self.std[k])
            .sum();
        sigmoid(z + self.b)
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap_or(c);
        a.swap(c, p);
        b.swap(c, p);
        let piv = if a[c][c].abs() < 1e-12 {
            1e-12
        } else {
            a[c][c]
        };
        let (top, rest) = a.split_at_mut(c + 1);
        let pivot_row = &top[c];
        for (r, row) in rest.iter_mut().enumerate() {
            let f = row[c] / piv;
            if f != 0.0 {
                for (x, p) in row[c..].iter_mut().zip(&pivot_row[c..]) {
                    *x -= f * p;
                }
                b[c + 1 + r] -= f * b[c];
            }
        }
    }
    let mut x = vec![0.0; n];
    for c in (0..n).rev() {
        let s: f64 = (c + 1..n).map(|k| a[c][k] * x[k]).sum();
        let piv = if a[c][c].abs() < 1e-12 {
            1e-12
        } else {
            a[c][c]
        };
        x[c] = (b[c] - s) / piv;
    }
    x
}

/// A fitted scorer: a raw score or a logistic probability, and the
/// decision threshold (`score >= threshold` is a paraphrase).
#[derive(Clone, Debug)]
struct Scorer {
    mode: Mode,
    logistic: Option<Logistic>,
    threshold: f64,
}

impl Scorer {
    fn fit(mode: Mode, train: &[PairFeatures], y: &[bool], l2: f64) -> Scorer {
        let x: Vec<Vec<f64>> = train.iter().map(|p| mode.inputs(p)).collect();
        let logistic = mode
            .is_logistic()
            .then(|| Logistic::fit(mode.feature_names(), &x, y, l2));
        let mut scorer = Scorer {
            mode,
            logistic,
            threshold: 0.5,
        };
        let scores: Vec<f64> = x.iter().map(|v| scorer.score_inputs(v)).collect();
        scorer.threshold = best_threshold(&scores, y);
        scorer
    }

    fn score_inputs(&self, x: &[f64]) -> f64 {
        match &self.logistic {
            Some(l) => l.prob(x),
            None => x[0],
        }
    }

    fn score(&self, p: &PairFeatures) -> f64 {
        self.score_inputs(&self.mode.inputs(p))
    }
}

/// The threshold maximising accuracy of `score >= t` (midway between
/// neighbouring scores; the lower one on ties).
fn best_threshold(scores: &[f64], y: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let negatives = y.iter().filter(|&&v| !v).count();
    // Threshold above everything: all negative.
    let (mut correct, mut best, mut best_t) = (negatives, negatives, f64::INFINITY);
    for (k, &i) in order.iter().enumerate() {
        if y[i] {
            correct += 1;
        } else {
            correct -= 1;
        }
        let next = order.get(k + 1).map(|&j| scores[j]);
        if next == Some(scores[i]) {
            continue;
        }
        if correct > best {
            best = correct;
            best_t = match next {
                Some(s) => (scores[i] + s) / 2.0,
                None => scores[i] - 1e-9,
            };
        }
    }
    best_t
}

#[derive(Clone, Copy, Debug, Default)]
struct Binary {
    acc: f64,
    f1: f64,
    precision: f64,
    recall: f64,
}

fn binary(pred: &[bool], y: &[bool]) -> Binary {
    let (mut tp, mut fp, mut fne, mut ok) = (0.0, 0.0, 0.0, 0.0);
    for (&p, &t) in pred.iter().zip(y) {
        match (p, t) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fne += 1.0,
            (false, false) => {}
        }
        if p == t {
            ok += 1.0;
        }
    }
    let precision = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let recall = if tp + fne > 0.0 { tp / (tp + fne) } else { 0.0 };
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Binary {
        acc: ok / y.len().max(1) as f64,
        f1,
        precision,
        recall,
    }
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    if sxx == 0.0 || syy == 0.0 {
        return 0.0;
    }
    sxy / (sxx * syy).sqrt()
}

/// Ranks (1-based, ties get their mean rank).
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = mean;
        }
        i = j + 1;
    }
    r
}

fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

// ---------------------------------------------------------------- data

struct Pair {
    a: String,
    b: String,
    /// MRPC: 1/0; STS: gold similarity 0..5.
    gold: f64,
}

fn read_text(path: &Path) -> Result<String> {
    let s = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(s.trim_start_matches('\u{feff}').to_string())
}

fn read_mrpc(path: &Path) -> Result<Vec<Pair>> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            bail!("{}: bad line {line:?}", path.display());
        }
        out.push(Pair {
            a: f[3].to_string(),
            b: f[4].to_string(),
            gold: f[0].trim().parse()?,
        });
    }
    Ok(out)
}

fn read_sts(path: &Path) -> Result<Vec<Pair>> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 7 {
            continue;
        }
        out.push(Pair {
            a: f[5].to_string(),
            b: f[6].to_string(),
            gold: f[4].trim().parse()?,
        });
    }
    Ok(out)
}

/// One paragraph of a PAN paper.
struct Paragraph {
    id: String,
    text: String,
    /// `Some(source id)` for `type: plagiarism`; `None` inside `labelled`
    /// for `altered`.
    source: Option<String>,
    labelled: bool,
}

struct PanDoc {
    name: String,
    candidate: Vec<Paragraph>,
    source: Vec<Paragraph>,
}

fn pan_paragraphs(doc: &serde_json::Value) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut push = |p: &serde_json::Value| {
        let text = p["content"].as_str().unwrap_or("").to_string();
        let label = p.get("plagiarism").filter(|v| !v.is_null());
        out.push(Paragraph {
            id: p["id"].as_str().unwrap_or("").to_string(),
            text,
            source: label
                .filter(|l| l["type"] == "plagiarism")
                .and_then(|l| l["source_paragraph_id"].as_str())
                .map(str::to_string),
            labelled: label.is_some(),
        });
    };
    for p in doc["abstract"].as_array().into_iter().flatten() {
        push(p);
    }
    for s in doc["sections"].as_array().into_iter().flatten() {
        for p in s["paragraphs"].as_array().into_iter().flatten() {
            push(p);
        }
    }
    out
}

fn read_pan(dir: &Path) -> Result<Vec<PanDoc>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let v: serde_json::Value = serde_json::from_str(&read_text(&f)?)?;
        out.push(PanDoc {
            name: f
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            candidate: pan_paragraphs(&v["candidate"]),
            source: pan_paragraphs(&v["source"]),
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------- embeddings

/// MiniLM vectors by hash of the text, persisted between runs.
#[derive(Default)]
struct Cache {
    path: Option<PathBuf>,
    dim: usize,
    map: HashMap<u64, Vec<f32>>,
    dirty: bool,
}

impl Cache {
    fn open(path: Option<PathBuf>, dim: usize) -> Cache {
        let mut map = HashMap::new();
        if let Some(p) = &path {
            if let Ok(mut f) = std::fs::File::open(p) {
                let mut bytes = Vec::new();
                if f.read_to_end(&mut bytes).is_ok() {
                    let rec = 8 + 4 * dim;
                    for r in bytes.chunks_exact(rec) {
                        let key = u64::from_le_bytes(r[..8].try_into().expect("8 bytes"));
                        let v = r[8..]
                            .chunks_exact(4)
                            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
                            .collect();
                        map.insert(key, v);
                    }
                }
            }
        }
        Cache {
            path,
            dim,
            map,
            dirty: false,
        }
    }

    fn save(&self) -> Result<()> {
        let (Some(p), true) = (&self.path, self.dirty) else {
            return Ok(());
        };
        let mut out = Vec::with_capacity(self.map.len() * (8 + 4 * self.dim));
        for (k, v) in &self.map {
            out.extend_from_slice(&k.to_le_bytes());
            for x in v {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        std::fs::File::create(p)?.write_all(&out)?;
        Ok(())
    }

    /// Each pair's row of features, in order: from the cache where `key`
    /// finds it, else from `compute` (given the uncached pairs 256 at a
    /// time, one row per pair, progress on stderr), which fills the cache;
    /// the cache is then saved.
    fn pair_rows(
        &mut self,
        pairs: &[Pair],
        key: impl Fn(&Pair) -> u64,
        label: &str,
        mut compute: impl FnMut(&[&Pair]) -> Result<Vec<Vec<f32>>>,
    ) -> Result<Vec<Vec<f32>>> {
        let todo: Vec<&Pair> = pairs
            .iter()
            .filter(|p| !self.map.contains_key(&key(p)))
            .collect();
        let started = Instant::now();
        for (n, chunk) in todo.chunks(256).enumerate() {
            for (p, row) in chunk.iter().zip(compute(chunk)?) {
                self.map.insert(key(p), row);
                self.dirty = true;
            }
            eprintln!(
                "  {label}: {}/{} pairs, {:.0} s",
                ((n + 1) * 256).min(todo.len()),
                todo.len(),
                started.elapsed().as_secs_f64()
            );
        }
        self.save()?;
        Ok(pairs.iter().map(|p| self.map[&key(p)].clone()).collect())
    }
}

/// Embeds `texts` (deduplicated) with `model`, through `cache` if given.
fn embed_all(
    model: &dyn Embedder,
    texts: &[&str],
    mut cache: Option<&mut Cache>,
) -> Result<HashMap<String, Vec<f32>>> {
    let mut unique: Vec<&str> = texts.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let mut out = HashMap::with_capacity(unique.len());
    let mut todo = Vec::new();
    for t in unique {
        match cache
            .as_ref()
            .and_then(|c| c.map.get(&xxh3_64(t.as_bytes())))
        {
            Some(v) => {
                out.insert(t.to_string(), v.clone());
            }
            None => todo.push(t),
        }
    }
    let started = Instant::now();
    for (k, chunk) in todo.chunks(1024).enumerate() {
        let vs = model.embed(chunk)?;
        for (t, v) in chunk.iter().zip(vs) {
            if let Some(c) = cache.as_deref_mut() {
                c.map.insert(xxh3_64(t.as_bytes()), v.clone());
                c.dirty = true;
            }
            out.insert(t.to_string(), v);
        }
        if todo.len() > 2048 {
            eprintln!(
                "  {}: {}/{} texts, {:.0} s",
                model.name(),
                ((k + 1) * 1024).min(todo.len()),
                todo.len(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(out)
}

struct Models {
    fast: StaticEmbedder,
    minilm: MiniLm,
    cache: Cache,
    tok_cache: Cache,
    pair: PairModel,
    pair_cache: Cache,
}

impl Models {
    /// Cosines of each pair under both models.
    fn pair_features(&mut self, pairs: &[Pair], lex: Vec<Vec<f64>>) -> Result<Vec<PairFeatures>> {
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
    fn pair_level(&mut self, pairs: &[Pair], feats: &mut [PairFeatures]) -> Result<()> {
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
    fn token_level(&mut self, pairs: &[Pair], feats: &mut [PairFeatures]) -> Result<()> {
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

fn lexical_all(pairs: &[Pair], seg: &Segmenter, an: &Analyzer) -> Vec<Vec<f64>> {
    pairs
        .par_iter()
        .map(|p| lexical_pair(&p.a, &p.b, seg, an))
        .collect()
}

// ---------------------------------------------------------------- PAN

struct PanResult {
    labelled: usize,
    first: usize,
    first_and_above: usize,
    unlabelled: usize,
    aligned_anyway: usize,
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

fn pan_eval(
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

// ---------------------------------------------------------------- speed

/// Sentence pairs per second for each mode, from raw text.
fn speed(
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

// ---------------------------------------------------------------- report

fn rust_snippet(sc: &Scorer) -> String {
    let fitted_on = if sc.mode.uses_pair_model() {
        "MRPC train pairs i % 5 == 4 (815, which the pair model's adapter never saw)"
    } else {
        "MRPC train (4,076 pairs)"
    };
    let Some(l) = &sc.logistic else {
        return format!(
            "/// `{}`: paraphrase when the score >= this (fitted on {fitted_on}).\npub const THRESHOLD: f32 = {:.6};\n",
            sc.mode.name(),
            sc.threshold
        );
    };
    let list = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x:.6}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let d = l.names.len();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "// `{}` sentence-pair scorer, fitted on {fitted_on} by\n// crates/bench/src/bin/similarity_eval.rs. p = sigmoid(BIAS + sum WEIGHTS[k] * (x[k] - MEANS[k]) / STDS[k]);\n// paraphrase when p >= THRESHOLD.",
        sc.mode.name()
    );
    let names = l
        .names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(s, "pub const FEATURES: [&str; {d}] = [{names}];");
    let _ = writeln!(s, "pub const MEANS: [f32; {d}] = [{}];", list(&l.mean));
    let _ = writeln!(s, "pub const STDS: [f32; {d}] = [{}];", list(&l.std));
    let _ = writeln!(s, "pub const WEIGHTS: [f32; {d}] = [{}];", list(&l.w));
    let _ = writeln!(s, "pub const BIAS: f32 = {:.6};", l.b);
    let _ = writeln!(s, "pub const THRESHOLD: f32 = {:.6};", sc.threshold);
    s
}

fn main() -> Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let (seg, an) = (Segmenter::new(), Analyzer::new());
    let mdir = args.models.clone().unwrap_or_else(models_dir);
    let minilm = MiniLm::load(&mdir.join("minilm"))?;
    let fast = StaticEmbedder::load(&mdir.join("static"))?;
    let cache = Cache::open(args.cache.clone(), minilm.dim());
    let tok_cache = Cache::open(
        args.cache.as_ref().map(|p| p.with_extension("tok")),
        TOKEN_FEATURES.len(),
    );
    let pair = PairModel::load(&mdir.join("minilm"))?;
    let pair_cache = Cache::open(args.cache.as_ref().map(|p| p.with_extension("pair")), 1);
    let mut models = Models {
        fast,
        minilm,
        cache,
        tok_cache,
        pair,
        pair_cache,
    };

    let mrpc = args.data.join("mrpc");
    let train = read_mrpc(&mrpc.join("msr_paraphrase_train.txt"))?;
    let test = read_mrpc(&mrpc.join("msr_paraphrase_test.txt"))?;
    let sts = read_sts(&args.data.join("stsbenchmark/sts-test.csv"))?;
    let pan = read_pan(&args.data.join("pan25-generated-plagiarism-sample"))?;
    eprintln!(
        "MRPC train {} / test {}, STS test {}, PAN {} pairs of papers",
        train.len(),
        test.len(),
        sts.len(),
        pan.len()
    );

    eprintln!("MRPC train features");
    let mut f_train = models.pair_features(&train, lexical_all(&train, &seg, &an))?;
    models.token_level(&train, &mut f_train)?;
    models.pair_level(&train, &mut f_train)?;
    eprintln!("MRPC test features");
    let mut f_test = models.pair_features(&test, lexical_all(&test, &seg, &an))?;
    models.token_level(&test, &mut f_test)?;
    models.pair_level(&test, &mut f_test)?;
    eprintln!("STS test features");
    let mut f_sts = models.pair_features(&sts, lexical_all(&sts, &seg, &an))?;
    models.token_level(&sts, &mut f_sts)?;
    models.pair_level(&sts, &mut f_sts)?;

    let y_train: Vec<bool> = train.iter().map(|p| p.gold > 0.5).collect();
    if let Some(path) = &args.dump {
        let mut out = String::from("split\tlabel");
        for n in LEXICAL_FEATURES
            .iter()
            .chain(["cos_static", "cos_minilm"].iter())
        {
            let _ = write!(out, "\t{n}");
        }
        for n in TOKEN_FEATURES {
            let _ = write!(out, "\tminilm_{n}");
        }
        for n in TOKEN_FEATURES {
            let _ = write!(out, "\tstatic_{n}");
        }
        out.push_str("\tpair_margin\n");
        for (split, pairs, feats) in [("train", &train, &f_train), ("test", &test, &f_test)] {
            for (p, f) in pairs.iter().zip(feats) {
                let _ = write!(out, "{split}\t{}", u8::from(p.gold > 0.5));
                for v in f
                    .lex
                    .iter()
                    .chain([f.cos_static, f.cos_minilm].iter())
                    .chain(&f.tok_minilm)
                    .chain(&f.tok_static)
                {
                    let _ = write!(out, "\t{v}");
                }
                let _ = writeln!(out, "\t{}", f.margin);
            }
        }
        std::fs::write(path, out)?;
        return Ok(());
    }
    if args.explore {
        explore(&f_train, &y_train);
        return Ok(());
    }
    let y_test: Vec<bool> = test.iter().map(|p| p.gold > 0.5).collect();
    // The pair model's adapter was trained on train pairs i % 5 != 4 (see
    // bench/pair-model/train.py): modes using it are fitted on the rest.
    let held: Vec<usize> = (0..f_train.len()).filter(|i| i % 5 == 4).collect();
    let f_held: Vec<PairFeatures> = held.iter().map(|&i| f_train[i].clone()).collect();
    let y_held: Vec<bool> = held.iter().map(|&i| y_train[i]).collect();
    let scorers: Vec<Scorer> = MODES
        .iter()
        .map(|&m| {
            if m.uses_pair_model() {
                Scorer::fit(m, &f_held, &y_held, args.l2)
            } else {
                Scorer::fit(m, &f_train, &y_train, args.l2)
            }
        })
        .collect();

    let mut md = String::new();
    let _ = writeln!(md, "# Sentence-pair similarity benchmark\n");
    let _ = writeln!(
        md,
        "Measured {} on {}, by `cargo run --release -p unspun-bench --bin similarity-eval -- {}` (ELAPSED s{}).\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        unspun_bench::machine(),
        std::env::args().skip(1).collect::<Vec<_>>().join(" "),
        if args.cache.is_some() {
            "; MiniLM vectors for the accuracy tables may come from the cache, never for speed"
        } else {
            ""
        }
    );
    let _ = writeln!(md, "Modes: `lexical` is `PairSimilarity`'s score over all sentences of each side (a pair scored on its own, so term weights are the pair's own sentence-level IDF, no corpus rarity); `static` / `minilm` the embedding cosine; `lexical-lr` a logistic regression over the lexical features ({}), `lexical+static` / `lexical+minilm` the same plus the cosine; `lexical+minilm+tokens` the same plus BERTScore-style token matching (crates/embed/src/tokens.rs: {}) of MiniLM's contextual token vectors, plus the static cosine and the same token matching of static word-piece vectors (the feature set that did best in 5-fold cross-validation on MRPC train, `--explore`: accuracy 0.770 / F1 0.837 against 0.761 / 0.831 for `lexical+minilm`; same L2 as the other modes; not used by `unspun similarity`, as it does not carry over to test); `align-lexical` / `align-static` / `align-minilm` the aligner's blends (crates/align/src/semantic.rs): a logistic regression over `score` and `contained_min` (plus the cosine), the inputs the aligner has for every sentence pair; `minilm-pair` the margin of the MiniLM pair model (crates/embed/src/pair.rs: all-MiniLM-L6-v2 reading both sentences together as a cross-encoder, with a low-rank adapter that bench/pair-model/train.py fitted on MRPC train pairs `i % 5 != 4`), `lexical+static+minilm-pair` a logistic regression over the lexical features, the static cosine and that margin (what `unspun similarity --model minilm` uses). Every threshold and weight is fitted on MRPC train only (threshold: best accuracy on the pairs fitted); the two `minilm-pair` modes are fitted on the 815 train pairs `i % 5 == 4` that the adapter never saw, and their *train acc* is on those.\n", LEXICAL_FEATURES.map(|n| format!("`{n}`")).join(", "), TOKEN_FEATURES.map(|n| format!("`{n}`")).join(", "));

    // 1. MRPC
    let _ = writeln!(
        md,
        "## MRPC (fit on train, 4,076 pairs; test 1,725 pairs)\n"
    );
    let _ = writeln!(md, "Floors: MiniLM cosine alone 0.720 / 0.807; best published lexical 0.756 / 0.830; goal accuracy >= 0.78 and F1 >= 0.85.\n");
    let _ = writeln!(
        md,
        "| mode | threshold | train acc | test acc | test F1 | precision | recall |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|");
    for sc in &scorers {
        let pred = |f: &[PairFeatures]| -> Vec<bool> {
            f.iter().map(|p| sc.score(p) >= sc.threshold).collect()
        };
        let tr = if sc.mode.uses_pair_model() {
            binary(&pred(&f_held), &y_held)
        } else {
            binary(&pred(&f_train), &y_train)
        };
        let te = binary(&pred(&f_test), &y_test);
        let _ = writeln!(
            md,
            "| {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            sc.mode.name(),
            sc.threshold,
            tr.acc,
            te.acc,
            te.f1,
            te.precision,
            te.recall
        );
    }
    let all_pos = binary(&vec![true; y_test.len()], &y_test);
    let _ = writeln!(
        md,
        "| (always paraphrase) | – | – | {:.3} | {:.3} | {:.3} | {:.3} |\n",
        all_pos.acc, all_pos.f1, all_pos.precision, all_pos.recall
    );

    // 2. STS
    let gold: Vec<f64> = sts.iter().map(|p| p.gold).collect();
    let _ = writeln!(md, "## STS Benchmark test ({} pairs)\n", sts.len());
    let _ = writeln!(md, "Score: the raw score, or the logistic probability fitted on MRPC (no STS data used for fitting).\n");
    let _ = writeln!(md, "| mode | Pearson | Spearman |");
    let _ = writeln!(md, "|---|---:|---:|");
    for sc in &scorers {
        let s: Vec<f64> = f_sts.iter().map(|p| sc.score(p)).collect();
        let _ = writeln!(
            md,
            "| {} | {:.3} | {:.3} |",
            sc.mode.name(),
            pearson(&s, &gold),
            spearman(&s, &gold)
        );
    }
    let _ = writeln!(md);

    // 3. PAN
    eprintln!("PAN 2025 sample");
    // Token matching of whole paragraphs against every paragraph of the
    // source paper is quadratic in tokens (a first run did not finish one
    // paper pair in 25 minutes on the shared 2 cores), so that mode is left out.
    let pan_scorers: Vec<Scorer> = scorers
        .iter()
        .filter(|s| s.mode != Mode::LexTokens)
        .cloned()
        .collect();
    let pan_res = pan_eval(&pan, &pan_scorers, &mut models, &seg, &an)?;
    let _ = writeln!(
        md,
        "## PAN 2025 generated-plagiarism sample ({} paper pairs)\n",
        pan.len()
    );
    let _ = writeln!(md, "Each candidate paragraph labelled `plagiarism` is scored against every paragraph (abstract entries included) of its source paper; *first*: the true source ranks first; *first & above*: and its score clears the MRPC threshold. *Aligned anyway*: unlabelled candidate paragraphs (no plagiarism) whose best source paragraph clears the threshold. `altered` paragraphs are left out. Lexical: one `PairSimilarity` over both whole papers, paragraph = group of its sentences; embeddings: mean of sentence vectors. `lexical+minilm+tokens` is not run here: token matching of whole paragraphs against every paragraph of the source paper is quadratic in tokens and did not finish one paper pair in 25 minutes on the shared 2 cores. The two `minilm-pair` modes read both texts in one MiniLM pass (256 word pieces at most between the two paragraphs), so scoring every source paragraph would take about 12,700 passes (over 20 minutes on 2 cores): they re-score the 5 source paragraphs the `lexical+static` scorer ranks best, as a re-ranker would, so their *first* cannot exceed what that shortlist holds.\n");
    let _ = writeln!(
        md,
        "| mode | first | first & above threshold | aligned anyway |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|");
    for (sc, r) in pan_scorers.iter().zip(&pan_res) {
        let _ = writeln!(
            md,
            "| {} | {}/{} ({:.1}%) | {}/{} | {}/{} ({:.1}%) |",
            sc.mode.name(),
            r.first,
            r.labelled,
            100.0 * r.first as f64 / r.labelled.max(1) as f64,
            r.first_and_above,
            r.labelled,
            r.aligned_anyway,
            r.unlabelled,
            100.0 * r.aligned_anyway as f64 / r.unlabelled.max(1) as f64
        );
    }
    let _ = writeln!(md);

    // 4. Speed
    eprintln!("speed");
    let n_speed = args.speed_pairs.min(test.len());
    let rates = speed(&test[..n_speed], &scorers, &models, &seg, &an)?;
    let _ = writeln!(md, "## Speed ({n_speed} MRPC test pairs, from raw text)\n");
    let _ = writeln!(md, "Everything per pair: segmenting, analysing and scoring both sentences lexically (rayon over pairs), embedding both sentences (no cache; the embedders batch and use both cores themselves), the logistic model. Combined modes are the sum of their parts. In the aligner each sentence is analysed and embedded once per article, not once per pair, so these are lower bounds for alignment.\n");
    let _ = writeln!(md, "| mode | pairs/s |");
    let _ = writeln!(md, "|---|---:|");
    for (sc, r) in scorers.iter().zip(&rates) {
        let _ = writeln!(md, "| {} | {:.0} |", sc.mode.name(), r);
    }
    let _ = writeln!(md);

    // Parameters of the combinations.
    let _ = writeln!(md, "## Fitted parameters\n");
    for sc in &scorers {
        let _ = writeln!(md, "```rust\n{}```\n", rust_snippet(sc));
    }

    let md = md.replacen(
        "ELAPSED",
        &format!("{:.0}", started.elapsed().as_secs_f64()),
        1,
    );
    print!("{md}");
    if args.write {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/SIMILARITY-BENCH.md");
        std::fs::write(&path, &md)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
