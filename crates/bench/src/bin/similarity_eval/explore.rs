//! `--explore`: cross-validated accuracy / F1 of candidate feature sets and
//! models on MRPC train only.

use crate::features::PairFeatures;
use crate::gbdt::{Gbdt, GbdtParams};
use crate::logistic::Logistic;
use crate::metrics::binary;
use crate::mode::with_cosine;
use crate::scorer::best_threshold;

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
pub fn explore(train: &[PairFeatures], y: &[bool]) {
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
