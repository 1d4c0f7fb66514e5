//! Logistic regression on standardised features, fitted by Newton's method.

/// Logistic regression on standardised features.
#[derive(Clone, Debug)]
pub struct Logistic {
    pub names: Vec<&'static str>,
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
    pub w: Vec<f64>,
    pub b: f64,
}

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Logistic {
    /// Fits by Newton's method (IRLS) with an L2 penalty `l2 * n` on the
    /// weights (not the bias).
    pub fn fit(names: Vec<&'static str>, x: &[Vec<f64>], y: &[bool], l2: f64) -> Logistic {
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

    pub fn prob(&self, x: &[f64]) -> f64 {
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
