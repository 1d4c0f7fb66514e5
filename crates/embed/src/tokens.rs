//! Token-level similarity of two texts: BERTScore-style greedy matching of
//! their word-piece vectors.
//!
//! A sentence cosine summarises each text in one vector; matching tokens
//! says *which* parts of one text have a counterpart in the other, so a
//! sentence that adds a clause ("… and said it would appeal") shows up as
//! unmatched tokens even when the cosine stays high. Used as extra inputs of
//! the `minilm` sentence-pair classifier (`unspun similarity --model minilm`,
//! crates/align/src/pair.rs), fitted on MRPC train by
//! `crates/bench/src/bin/similarity_eval/main.rs`.
//!
//! Token vectors come from [`crate::MiniLm::embed_with_tokens`] (contextual)
//! or [`crate::StaticEmbedder::token_vectors`] (one vector per word piece).

/// Names of [`token_features`]' outputs, in order.
pub const TOKEN_FEATURES: [&str; 8] = [
    "tok_p",
    "tok_r",
    "tok_f",
    "tok_wp",
    "tok_wr",
    "tok_wf",
    "tok_unmatched",
    "tok_min",
];

/// A token counts as unmatched when its best cosine is below this.
pub const UNMATCHED_BELOW: f32 = 0.5;

/// The static model's SIF weight of a word piece ([`mod@crate::distill`]: the
/// id stands for the frequency rank, `p = (1/(id+2)) / Σ_k 1/(k+2)`, weight
/// `1e-4 / (1e-4 + p)`), used like an IDF without needing a table.
pub fn sif_weight(id: u32) -> f64 {
    // Σ_{k=0}^{30521} 1/(k+2) = H(30523) − 1.
    const NORM: f64 = 9.8036;
    let p = 1.0 / (id as f64 + 2.0) / NORM;
    crate::distill::SIF_COEFFICIENT / (crate::distill::SIF_COEFFICIENT + p)
}

/// Greedy token matching of two texts, each given as unit-length token
/// vectors and their word-piece ids. Returns, in [`TOKEN_FEATURES`] order:
/// precision (mean over `a`'s tokens of the best cosine in `b`), recall (the
/// other way), their harmonic mean F, the same three weighted by
/// [`sif_weight`], the weighted share of both sides' tokens whose best match
/// is below [`UNMATCHED_BELOW`], and min(precision, recall). All zeros when
/// either side has no token.
pub fn token_features(a: &[Vec<f32>], ia: &[u32], b: &[Vec<f32>], ib: &[u32]) -> Vec<f64> {
    if a.is_empty() || b.is_empty() {
        return vec![0.0; TOKEN_FEATURES.len()];
    }
    let mut best_a = vec![f32::MIN; a.len()];
    let mut best_b = vec![f32::MIN; b.len()];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            let c: f32 = x.iter().zip(y).map(|(p, q)| p * q).sum();
            best_a[i] = best_a[i].max(c);
            best_b[j] = best_b[j].max(c);
        }
    }
    let mean = |v: &[f32]| v.iter().map(|&x| x as f64).sum::<f64>() / v.len() as f64;
    let wmean = |v: &[f32], ids: &[u32]| {
        let (mut s, mut w) = (0.0, 0.0);
        for (&x, &id) in v.iter().zip(ids) {
            s += sif_weight(id) * x as f64;
            w += sif_weight(id);
        }
        if w > 0.0 {
            s / w
        } else {
            0.0
        }
    };
    let f = |p: f64, r: f64| {
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    };
    let (p, r) = (mean(&best_a), mean(&best_b));
    let (wp, wr) = (wmean(&best_a, ia), wmean(&best_b, ib));
    let (mut unmatched, mut total) = (0.0, 0.0);
    for (v, ids) in [(&best_a, ia), (&best_b, ib)] {
        for (&x, &id) in v.iter().zip(ids) {
            total += sif_weight(id);
            if x < UNMATCHED_BELOW {
                unmatched += sif_weight(id);
            }
        }
    }
    vec![
        p,
        r,
        f(p, r),
        wp,
        wr,
        f(wp, wr),
        unmatched / f64::max(total, 1e-9),
        p.min(r),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn identical_texts_match_fully_and_extra_tokens_lower_precision() {
        let a = vec![unit(&[1.0, 0.0, 0.0]), unit(&[0.0, 1.0, 0.0])];
        let same = token_features(&a, &[2000, 3000], &a, &[2000, 3000]);
        for k in [0, 1, 2, 3, 4, 5, 7] {
            assert!((same[k] - 1.0).abs() < 1e-6, "{k}: {same:?}");
        }
        assert_eq!(same[6], 0.0);
        // `b` adds a token orthogonal to everything in `a`.
        let mut b = a.clone();
        b.push(unit(&[0.0, 0.0, 1.0]));
        let extra = token_features(&a, &[2000, 3000], &b, &[2000, 3000, 4000]);
        assert!(
            (extra[0] - 1.0).abs() < 1e-6,
            "a is fully matched: {extra:?}"
        );
        assert!((extra[1] - 2.0 / 3.0).abs() < 1e-6, "{extra:?}");
        assert!(extra[6] > 0.2 && extra[7] < 0.7, "{extra:?}");
        assert_eq!(token_features(&[], &[], &a, &[1, 2]), vec![0.0; 8]);
    }

    #[test]
    fn frequent_pieces_weigh_less() {
        // id 1012 is "." in the BERT vocabulary, 20000 a rare piece.
        assert!(sif_weight(1012) < 0.5 && sif_weight(20000) > 0.9);
    }
}
