//! Gradient-boosted trees, tried by `--explore` beside the logistic
//! regressions (no mode uses them).

use crate::logistic::sigmoid;

/// Gradient-boosted regression trees with logistic loss (Newton leaves,
/// histogram splits on train quantiles).
#[derive(Clone, Debug)]
pub struct Gbdt {
    base: f64,
    /// Nodes of all trees: `(feature, threshold, left, right)` or a leaf
    /// `(usize::MAX, value, 0, 0)`.
    trees: Vec<Vec<(usize, f64, usize, usize)>>,
}

#[derive(Clone, Copy, Debug)]
pub struct GbdtParams {
    pub rounds: usize,
    pub depth: usize,
    pub rate: f64,
    pub lambda: f64,
    pub min_hess: f64,
    pub bins: usize,
}

impl Gbdt {
    pub fn fit(x: &[Vec<f64>], y: &[bool], prm: GbdtParams) -> Gbdt {
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

    pub fn prob(&self, x: &[f64]) -> f64 {
        sigmoid(self.base + self.trees.iter().map(|t| Self::eval(t, x)).sum::<f64>())
    }
}
