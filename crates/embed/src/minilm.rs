//! all-MiniLM-L6-v2 run by candle, on the CPU, in pure Rust.
//!
//! Reproduces `SentenceTransformer(dir).encode(texts, normalize_embeddings=True)`:
//! WordPiece with `[CLS]`/`[SEP]`, truncation at 256 word pieces (the model's
//! `max_seq_length`, special tokens included), the 6-layer BERT encoder, mean
//! pooling over the attention mask, then L2 normalisation.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use rayon::prelude::*;
use tokenizers::{Encoding, PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use crate::error::{EmbedError, Result};
use crate::{l2_normalize, Embedder};

/// Longest input in word pieces, `[CLS]` and `[SEP]` included: the
/// `max_seq_length` of the model's `sentence_bert_config.json`.
pub const MAX_TOKENS: usize = 256;

/// Texts per forward pass. 32 is what sentence-transformers uses and where the
/// measured throughput on 2 cores levels off (STACK.md: 90/s at 32, 100/s at 64).
pub const BATCH_SIZE: usize = 32;

/// Files `MiniLm::load` needs in its directory.
pub const MINILM_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// A text's MiniLM sentence vector with its contextual token vectors.
#[derive(Clone, Debug)]
pub struct TokenEmbedding {
    /// The sentence vector (mean-pooled, L2-normalised), as `embed` gives it.
    pub sentence: Vec<f32>,
    /// One L2-normalised vector per word piece, `[CLS]` and `[SEP]` left out.
    pub tokens: Vec<Vec<f32>>,
    /// The word-piece ids of `tokens`, in order.
    pub ids: Vec<u32>,
}

/// all-MiniLM-L6-v2 sentence embedder (384 dimensions).
pub struct MiniLm {
    model: BertModel,
    /// Truncates at [`MAX_TOKENS`] and pads each batch to its longest text.
    tokenizer: Tokenizer,
    device: Device,
    hidden: usize,
    vocab_size: usize,
    parallel_batches: bool,
    dir: PathBuf,
}

impl MiniLm {
    /// Loads the model from a directory holding `config.json`,
    /// `tokenizer.json` and `model.safetensors` (as `scripts/setup.sh` leaves
    /// them in `models/minilm/`). Only local files are read.
    pub fn load(dir: &Path) -> Result<MiniLm> {
        let (config, tokenizer) = load_config_and_tokenizer(dir)?;

        let device = Device::Cpu;
        let weights = dir.join("model.safetensors");
        // SAFETY: the file is memory-mapped read-only; it must not be modified
        // while loaded, which holds for the model directory setup.sh writes.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &device)? };
        let model = BertModel::load(vb, &config)?;
        Ok(MiniLm {
            model,
            tokenizer,
            device,
            hidden: config.hidden_size,
            vocab_size: config.vocab_size,
            parallel_batches: false,
            dir: dir.to_path_buf(),
        })
    }

    /// Chooses how `embed` uses the cores when given more than one batch:
    /// `false` (the default) runs batches one after the other and leaves both
    /// cores to candle's multi-threaded matrix products; `true` runs batches
    /// in parallel on rayon. Measured on 2 cores (example `speed`, 3 runs of
    /// 256-512 MRPC sentences): 107/90/71 sentences/s in sequence against
    /// 96/88/74 in parallel, i.e. no gain, so the simpler way is the default.
    pub fn set_parallel_batches(&mut self, on: bool) {
        self.parallel_batches = on;
    }

    /// The directory the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Size of the WordPiece vocabulary (30,522).
    pub fn vocab_size(&self) -> usize {
        self.vocab_size
    }

    /// The tokenizer as configured for the model (truncation, padding).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Embeds one batch of texts (any size; callers keep it near
    /// [`BATCH_SIZE`]). Vectors are L2-normalised.
    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let (_, ids, mask) = self.encode(texts)?;
        let pooled = self.forward_mean(&ids, &mask)?;
        Ok(pooled
            .into_iter()
            .map(|mut v| {
                l2_normalize(&mut v);
                v
            })
            .collect())
    }

    /// Embeds `texts` and also returns each text's contextual token vectors
    /// (the last hidden state of every word piece except `[CLS]` and `[SEP]`,
    /// L2-normalised), for token-level similarity such as BERTScore's greedy
    /// matching. The sentence vectors are those of [`Embedder::embed`].
    pub fn embed_with_tokens(&self, texts: &[&str]) -> Result<Vec<TokenEmbedding>> {
        let mut out = Vec::with_capacity(texts.len());
        for chunk in texts.chunks(BATCH_SIZE) {
            let (encodings, ids_t, mask_t) = self.encode(chunk)?;
            let hidden = self.forward_hidden(&ids_t, &mask_t)?;
            for (e, h) in encodings.iter().zip(hidden) {
                let n = e.get_attention_mask().iter().filter(|&&m| m == 1).count();
                let mut sentence = vec![0f32; self.hidden];
                for row in &h[..n] {
                    for (s, x) in sentence.iter_mut().zip(row) {
                        *s += x;
                    }
                }
                sentence.iter_mut().for_each(|s| *s /= n.max(1) as f32);
                l2_normalize(&mut sentence);
                // Without [CLS] (first) and [SEP] (last of the unpadded part).
                let inner = if n >= 2 { 1..n - 1 } else { 0..0 };
                let tokens = h[inner.clone()]
                    .iter()
                    .map(|row| {
                        let mut v = row.clone();
                        l2_normalize(&mut v);
                        v
                    })
                    .collect();
                out.push(TokenEmbedding {
                    sentence,
                    tokens,
                    ids: e.get_ids()[inner].to_vec(),
                });
            }
        }
        Ok(out)
    }

    /// Tokenizes one batch (padded to its longest text) into the token id
    /// and attention mask tensors `[rows, len]` the encoder takes.
    fn encode(&self, texts: &[&str]) -> Result<(Vec<Encoding>, Tensor, Tensor)> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(EmbedError::tokenizer)?;
        let rows = encodings.len();
        let len = encodings.first().map_or(0, |e| e.get_ids().len());
        let mut ids = Vec::with_capacity(rows * len);
        let mut mask = Vec::with_capacity(rows * len);
        for e in &encodings {
            ids.extend_from_slice(e.get_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        let ids = Tensor::from_vec(ids, (rows, len), &self.device)?;
        let mask = Tensor::from_vec(mask, (rows, len), &self.device)?;
        Ok((encodings, ids, mask))
    }

    /// The last hidden state `[rows][len][hidden]` for token ids `[rows, len]`.
    fn forward_hidden(&self, ids: &Tensor, mask: &Tensor) -> Result<Vec<Vec<Vec<f32>>>> {
        let token_types = ids.zeros_like()?;
        let hidden = self.model.forward(ids, &token_types, Some(mask))?;
        Ok(hidden.to_vec3::<f32>()?)
    }

    /// Runs the encoder on token ids `[rows, len]` (u32) with an attention
    /// mask of the same shape, and mean-pools the last hidden state over the
    /// mask. Returns unnormalised `[rows][hidden]` vectors.
    pub(crate) fn forward_mean(&self, ids: &Tensor, mask: &Tensor) -> Result<Vec<Vec<f32>>> {
        let token_types = ids.zeros_like()?;
        let hidden = self.model.forward(ids, &token_types, Some(mask))?; // [rows, len, hidden]
        Ok(mean_pool(&hidden, mask)?.to_vec2::<f32>()?)
    }
}

/// Checks that `dir` holds the model files, reads its `config.json`, and
/// loads its tokenizer configured as the reference runs it: truncation at
/// [`MAX_TOKENS`] (longest first for a pair) and padding to the longest
/// input of each batch. Shared by [`MiniLm`] and [`crate::PairModel`], which
/// read the same directory.
pub(crate) fn load_config_and_tokenizer(dir: &Path) -> Result<(Config, Tokenizer)> {
    for f in MINILM_FILES {
        if !dir.join(f).is_file() {
            return Err(EmbedError::missing(dir));
        }
    }
    let config_path = dir.join("config.json");
    let text =
        std::fs::read_to_string(&config_path).map_err(|e| EmbedError::io(&config_path, e))?;
    let config: Config = serde_json::from_str(&text).map_err(|e| EmbedError::BadModel {
        path: config_path.clone(),
        reason: e.to_string(),
    })?;

    let mut tokenizer =
        Tokenizer::from_file(dir.join("tokenizer.json")).map_err(EmbedError::tokenizer)?;
    // The shipped tokenizer.json pads and truncates to a fixed 128; the
    // reference (sentence-transformers) truncates at 256 and pads to the
    // longest text of the batch.
    tokenizer
        .with_truncation(Some(TruncationParams {
            max_length: MAX_TOKENS,
            ..Default::default()
        }))
        .map_err(EmbedError::tokenizer)?;
    tokenizer.with_padding(Some(PaddingParams {
        strategy: PaddingStrategy::BatchLongest,
        ..Default::default()
    }));
    Ok((config, tokenizer))
}

/// The mean of the last hidden state `[rows, len, hidden]` over the
/// attention mask `[rows, len]`: `[rows, hidden]`, unnormalised.
pub(crate) fn mean_pool(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?; // [rows, len, 1]
    let summed = hidden.broadcast_mul(&mask)?.sum(1)?; // [rows, hidden]
    let counts = mask.sum(1)?; // [rows, 1]; >= 2 thanks to [CLS] and [SEP]
    summed.broadcast_div(&counts)
}

impl Embedder for MiniLm {
    fn name(&self) -> &str {
        "minilm"
    }

    fn dim(&self) -> usize {
        self.hidden
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let chunks: Vec<&[&str]> = texts.chunks(BATCH_SIZE).collect();
        let per_chunk: Vec<Vec<Vec<f32>>> = if self.parallel_batches && chunks.len() > 1 {
            chunks
                .par_iter()
                .map(|c| self.embed_batch(c))
                .collect::<Result<_>>()?
        } else {
            chunks
                .iter()
                .map(|c| self.embed_batch(c))
                .collect::<Result<_>>()?
        };
        Ok(per_chunk.into_iter().flatten().collect())
    }
}
