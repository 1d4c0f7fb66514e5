//! Distillation of the static model from MiniLM (model2vec's recipe).
//!
//! The exact recipe, run once by `scripts/setup.sh` (through the
//! `unspun-distill` binary):
//! 1. **One forward pass per vocabulary token.** For every id `t` of the
//!    30,522-entry WordPiece vocabulary, MiniLM reads `[CLS] t [SEP]` and the
//!    three output vectors are mean-pooled (as model2vec does: special tokens
//!    included, no normalisation). Batches of [`DISTILL_BATCH`] sequences.
//! 2. **PCA** to `dims` (256) dimensions: the 384-d token vectors are centred
//!    on their mean, their 384 x 384 covariance is decomposed with nalgebra's
//!    symmetric eigensolver (exact, in f64, a fraction of a second at this
//!    size, where power iteration with deflation would lose precision on the
//!    tail components), and each vector is projected on the `dims` leading
//!    eigenvectors. Each eigenvector's sign is fixed so that its largest
//!    component is positive, so the output does not depend on the solver's
//!    sign choice. Centring removes the direction shared by all tokens, which
//!    otherwise makes every pair of texts look alike.
//! 3. **Frequency (SIF) weighting with Zipf probabilities**: the vocabulary's
//!    order stands in for frequency rank, a token of rank `r` (its id, from 0)
//!    gets the probability `p(r) = (1/(r+2)) / Σ_k 1/(k+2)` and its vector is
//!    multiplied by `1e-4 / (1e-4 + p(r))` (model2vec's `sif_coefficient`
//!    1e-4). Frequent pieces ("the", ",", ".") thus weigh less in a text's mean.
//!
//! The result is written as model2vec's layout (see [`crate::static_embed`]).

use std::path::Path;

use candle_core::Tensor;
use nalgebra::{DMatrix, SymmetricEigen};
use safetensors::tensor::TensorView;
use safetensors::Dtype;

use crate::error::{EmbedError, Result};
use crate::minilm::MiniLm;
use crate::static_embed::EMBEDDINGS_TENSOR;

/// Token sequences per forward pass during distillation. Sequences are 3
/// tokens long, so a large batch keeps the matrix products big enough for
/// both cores.
pub const DISTILL_BATCH: usize = 1024;

/// model2vec's SIF coefficient.
pub const SIF_COEFFICIENT: f64 = 1e-4;

/// Distils a static model from `minilm` into `out_dir` (created if needed):
/// `model.safetensors`, `tokenizer.json`, `config.json`. `dims` is the PCA
/// output size (256 in unspun; at most 384).
pub fn distill(minilm: &MiniLm, out_dir: &Path, dims: usize) -> Result<()> {
    let hidden = crate::Embedder::dim(minilm);
    if dims == 0 || dims > hidden {
        return Err(EmbedError::Invalid(format!(
            "PCA dimensions must be within 1..={hidden}, got {dims}"
        )));
    }
    let tok = minilm.tokenizer();
    let special = |name: &str| {
        tok.token_to_id(name)
            .ok_or_else(|| EmbedError::Tokenizer(format!("no {name} token in the vocabulary")))
    };
    let (cls, sep) = (special("[CLS]")?, special("[SEP]")?);
    let vocab = minilm.vocab_size();

    // 1. One forward pass per token.
    let started = std::time::Instant::now();
    let mut raw: Vec<f32> = Vec::with_capacity(vocab * hidden);
    for start in (0..vocab).step_by(DISTILL_BATCH) {
        let end = (start + DISTILL_BATCH).min(vocab);
        let ids: Vec<u32> = (start as u32..end as u32)
            .flat_map(|t| [cls, t, sep])
            .collect();
        let rows = end - start;
        let ids = Tensor::from_vec(ids, (rows, 3), &candle_core::Device::Cpu)?;
        let mask = ids.ones_like()?;
        for v in minilm.forward_mean(&ids, &mask)? {
            raw.extend_from_slice(&v);
        }
    }
    log::info!(
        "distill: {vocab} token vectors in {:.1}s",
        started.elapsed().as_secs_f64()
    );

    // 2. PCA.
    let projected = pca(&raw, vocab, hidden, dims);

    // 3. SIF weighting with Zipf probabilities by vocabulary rank.
    let norm: f64 = (0..vocab).map(|r| 1.0 / (r as f64 + 2.0)).sum();
    let mut weighted = projected;
    for (r, row) in weighted.chunks_exact_mut(dims).enumerate() {
        let p = (1.0 / (r as f64 + 2.0)) / norm;
        let w = (SIF_COEFFICIENT / (SIF_COEFFICIENT + p)) as f32;
        row.iter_mut().for_each(|x| *x *= w);
    }

    write_model(minilm, out_dir, &weighted, vocab, dims)
}

/// Projects the `n x d` row-major matrix `x` on its `k` principal components
/// (centred, not whitened). Returns `n x k` row-major.
fn pca(x: &[f32], n: usize, d: usize, k: usize) -> Vec<f32> {
    let mut mean = vec![0f64; d];
    for row in x.chunks_exact(d) {
        mean.iter_mut().zip(row).for_each(|(m, &v)| *m += v as f64);
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);

    // Covariance, accumulated in f64: only d x d = 147k cells, n = 30k rows.
    let mut cov = DMatrix::<f64>::zeros(d, d);
    let mut centred = vec![0f64; d];
    for row in x.chunks_exact(d) {
        centred
            .iter_mut()
            .zip(row.iter().zip(&mean))
            .for_each(|(c, (&v, m))| *c = v as f64 - m);
        for i in 0..d {
            let ci = centred[i];
            // Upper triangle only; mirrored below.
            for j in i..d {
                cov[(i, j)] += ci * centred[j];
            }
        }
    }
    for i in 0..d {
        for j in i..d {
            let v = cov[(i, j)] / (n as f64 - 1.0);
            cov[(i, j)] = v;
            cov[(j, i)] = v;
        }
    }

    let eig = SymmetricEigen::new(cov);
    let mut order: Vec<usize> = (0..d).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
    // Components as rows of a k x d matrix, signs fixed.
    let mut comps = vec![0f64; k * d];
    for (c, &col) in order.iter().take(k).enumerate() {
        let v = eig.eigenvectors.column(col);
        let pivot = v
            .iter()
            .copied()
            .fold(0f64, |best, x| if x.abs() > best.abs() { x } else { best });
        let sign = if pivot < 0.0 { -1.0 } else { 1.0 };
        for j in 0..d {
            comps[c * d + j] = sign * v[j];
        }
    }

    let mut out = vec![0f32; n * k];
    for (row, o) in x.chunks_exact(d).zip(out.chunks_exact_mut(k)) {
        for (c, oc) in o.iter_mut().enumerate() {
            let comp = &comps[c * d..(c + 1) * d];
            *oc = row
                .iter()
                .zip(&mean)
                .zip(comp)
                .map(|((&v, m), w)| (v as f64 - m) * w)
                .sum::<f64>() as f32;
        }
    }
    out
}

fn write_model(
    minilm: &MiniLm,
    out_dir: &Path,
    vectors: &[f32],
    vocab: usize,
    dims: usize,
) -> Result<()> {
    std::fs::create_dir_all(out_dir).map_err(|e| EmbedError::io(out_dir, e))?;

    let bytes: Vec<u8> = vectors.iter().flat_map(|v| v.to_le_bytes()).collect();
    let view = TensorView::new(Dtype::F32, vec![vocab, dims], &bytes)
        .map_err(|e| EmbedError::Invalid(format!("static model tensor: {e}")))?;
    let path = out_dir.join("model.safetensors");
    safetensors::tensor::serialize_to_file([(EMBEDDINGS_TENSOR, view)], None, &path).map_err(
        |e| EmbedError::BadModel {
            path: path.clone(),
            reason: e.to_string(),
        },
    )?;

    // A byte-for-byte copy of MiniLM's tokenizer: the static embedder turns
    // its padding and truncation off when it loads it.
    let src = minilm.dir().join("tokenizer.json");
    let tok_path = out_dir.join("tokenizer.json");
    std::fs::copy(&src, &tok_path).map_err(|e| EmbedError::io(&tok_path, e))?;

    let config = serde_json::json!({
        "model_type": "model2vec",
        "architectures": ["StaticModel"],
        "hidden_dim": dims,
        "normalize": true,
        "apply_pca": dims,
        "sif_coefficient": SIF_COEFFICIENT,
        "tokenizer_name": "sentence-transformers/all-MiniLM-L6-v2",
        "distilled_by": "unspun-embed (see crate docs, module distill)",
    });
    let cfg_path = out_dir.join("config.json");
    let text = serde_json::to_string_pretty(&config).expect("static JSON serialises");
    std::fs::write(&cfg_path, text + "\n").map_err(|e| EmbedError::io(&cfg_path, e))?;
    Ok(())
}
