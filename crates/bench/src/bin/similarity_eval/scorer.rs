//! A fitted scorer of one mode, and its decision threshold.

use crate::features::PairFeatures;
use crate::logistic::Logistic;
use crate::mode::Mode;

/// A fitted scorer: a raw score or a logistic probability, and the
/// decision threshold (`score >= threshold` is a paraphrase).
#[derive(Clone, Debug)]
pub struct Scorer {
    pub mode: Mode,
    pub logistic: Option<Logistic>,
    pub threshold: f64,
}

impl Scorer {
    pub fn fit(mode: Mode, train: &[PairFeatures], y: &[bool], l2: f64) -> Scorer {
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

    pub fn score(&self, p: &PairFeatures) -> f64 {
        self.score_inputs(&self.mode.inputs(p))
    }
}

/// The threshold maximising accuracy of `score >= t` (midway between
/// neighbouring scores; the lower one on ties).
pub fn best_threshold(scores: &[f64], y: &[bool]) -> f64 {
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
