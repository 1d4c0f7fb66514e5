//! The static embedder: one vector per WordPiece token, distilled from MiniLM.
//!
//! A text's embedding is the mean of the vectors of its word pieces (the
//! MiniLM tokenizer, without `[CLS]`/`[SEP]`; `[UNK]` pieces are skipped),
//! then L2-normalised. The token vectors carry their frequency weight in their
//! length (see [`mod@crate::distill`]), so the plain mean is already the weighted
//! mean. No neural network runs: it costs one table look-up per word piece.
//!
//! Tokenising dominates the cost, so plain-ASCII texts (nearly all news)
//! take [`FastWordPiece`], an exact re-implementation of the BERT
//! normaliser, pre-tokeniser and WordPiece for ASCII, about 5x faster than the
//! general `tokenizers` pipeline; any other text goes through `tokenizers`.
//! A test checks that both give the same ids on thousands of news sentences.
//!
//! Directory layout, written by [`crate::distill()`] (compatible with model2vec):
//! - `model.safetensors`: one f32 tensor `embeddings`, `[vocab_size, dims]`;
//! - `tokenizer.json`: a copy of MiniLM's;
//! - `config.json`: `{"model_type": "model2vec", "hidden_dim": dims, "normalize": true, ...}`.

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use safetensors::{Dtype, SafeTensors};
use tokenizers::Tokenizer;

use crate::error::{EmbedError, Result};
use crate::{l2_normalize, Embedder};

/// Files `StaticEmbedder::load` needs in its directory.
pub const STATIC_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// Name of the token-vector tensor in `model.safetensors` (model2vec's name).
pub const EMBEDDINGS_TENSOR: &str = "embeddings";

/// Texts per rayon task: a task of 16 news sentences takes about 80 µs, far
/// above rayon's scheduling cost, and a batch of 32 already splits over 2 cores.
const PAR_CHUNK: usize = 16;

/// Static (model2vec-style) sentence embedder.
pub struct StaticEmbedder {
    tokenizer: Tokenizer,
    /// Row-major `[vocab_size, dims]`.
    vectors: Vec<f32>,
    dims: usize,
    unk_id: Option<u32>,
    fast: Option<FastWordPiece>,
}

impl StaticEmbedder {
    /// Loads a static model directory (as `scripts/setup.sh` leaves it in
    /// `models/static/`). Only local files are read.
    pub fn load(dir: &Path) -> Result<StaticEmbedder> {
        for f in STATIC_FILES {
            if !dir.join(f).is_file() {
                return Err(EmbedError::missing(dir));
            }
        }
        let mut tokenizer =
            Tokenizer::from_file(dir.join("tokenizer.json")).map_err(EmbedError::tokenizer)?;
        // One text at a time, so no padding; no truncation either, since a
        // long text costs only look-ups and every word should count.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(EmbedError::tokenizer)?;

        let path = dir.join("model.safetensors");
        let bytes = std::fs::read(&path).map_err(|e| EmbedError::io(&path, e))?;
        let bad = |reason: String| EmbedError::BadModel {
            path: path.clone(),
            reason,
        };
        let st = SafeTensors::deserialize(&bytes).map_err(|e| bad(e.to_string()))?;
        let view = st
            .tensor(EMBEDDINGS_TENSOR)
            .map_err(|e| bad(e.to_string()))?;
        let shape = view.shape();
        if view.dtype() != Dtype::F32 || shape.len() != 2 {
            return Err(bad(format!(
                "`{EMBEDDINGS_TENSOR}` must be a 2-d f32 tensor, found {:?} {:?}",
                view.dtype(),
                shape
            )));
        }
        let (rows, dims) = (shape[0], shape[1]);
        let vocab = tokenizer.get_vocab_size(true);
        if rows < vocab {
            return Err(bad(format!(
                "{rows} token vectors for a vocabulary of {vocab}"
            )));
        }
        let vectors: Vec<f32> = view
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let unk_id = tokenizer.token_to_id("[UNK]");
        let fast = FastWordPiece::from_tokenizer_json(&dir.join("tokenizer.json"), &tokenizer);
        if fast.is_none() {
            log::warn!(
                "static model: tokenizer is not the expected BERT WordPiece; slow path only"
            );
        }
        Ok(StaticEmbedder {
            tokenizer,
            vectors,
            dims,
            unk_id,
            fast,
        })
    }

    /// The vector of one token id (weighted, not normalised).
    pub fn token_vector(&self, id: u32) -> Option<&[f32]> {
        let start = id as usize * self.dims;
        self.vectors.get(start..start + self.dims)
    }

    /// The word-piece ids of `text` as the static model sees them: MiniLM's
    /// tokenizer without special tokens, untruncated.
    pub fn token_ids(&self, text: &str) -> Result<Vec<u32>> {
        let mut ids = Vec::new();
        self.token_ids_into(text, &mut ids)?;
        Ok(ids)
    }

    fn token_ids_into(&self, text: &str, ids: &mut Vec<u32>) -> Result<()> {
        ids.clear();
        if let Some(fast) = &self.fast {
            if fast.encode(text, ids) {
                return Ok(());
            }
            ids.clear();
        }
        let enc = self
            .tokenizer
            .encode_fast(text, false)
            .map_err(EmbedError::tokenizer)?;
        ids.extend_from_slice(enc.get_ids());
        Ok(())
    }

    /// The unit-length vector of each known word piece of `text`, with its
    /// id (unknown pieces and zero vectors left out), for token-level
    /// matching ([`crate::tokens::token_features`]).
    pub fn token_vectors(&self, text: &str) -> Result<(Vec<Vec<f32>>, Vec<u32>)> {
        let mut ids = Vec::new();
        self.token_ids_into(text, &mut ids)?;
        let (mut vecs, mut kept) = (Vec::new(), Vec::new());
        for id in ids {
            if Some(id) == self.unk_id {
                continue;
            }
            if let Some(v) = self.token_vector(id) {
                let mut v = v.to_vec();
                if v.iter().any(|&x| x != 0.0) {
                    l2_normalize(&mut v);
                    vecs.push(v);
                    kept.push(id);
                }
            }
        }
        Ok((vecs, kept))
    }

    /// Embeds one text. A text without any known word piece (empty, only
    /// unknown symbols) gets the zero vector: it is similar to nothing.
    fn embed_one(&self, text: &str) -> Result<Vec<f32>> {
        let mut ids = Vec::new();
        self.token_ids_into(text, &mut ids)?;
        let mut acc = vec![0f32; self.dims];
        let mut n = 0usize;
        for &id in &ids {
            if Some(id) == self.unk_id {
                continue;
            }
            if let Some(v) = self.token_vector(id) {
                acc.iter_mut().zip(v).for_each(|(a, x)| *a += x);
                n += 1;
            }
        }
        if n > 0 {
            // The mean's scale vanishes in the normalisation; kept for clarity.
            let inv = 1.0 / n as f32;
            acc.iter_mut().for_each(|a| *a *= inv);
            l2_normalize(&mut acc);
        }
        Ok(acc)
    }
}

impl Embedder for StaticEmbedder {
    fn name(&self) -> &str {
        "static"
    }

    fn dim(&self) -> usize {
        self.dims
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        if texts.len() <= PAR_CHUNK {
            // Not worth waking the thread pool.
            return texts.iter().map(|t| self.embed_one(t)).collect();
        }
        let chunks: Vec<Vec<Vec<f32>>> = texts
            .par_chunks(PAR_CHUNK)
            .map(|c| c.iter().map(|t| self.embed_one(t)).collect::<Result<_>>())
            .collect::<Result<_>>()?;
        Ok(chunks.into_iter().flatten().collect())
    }
}

/// Exact BERT uncased tokenisation (`BertNormalizer` + `BertPreTokenizer` +
/// `WordPiece`, as configured in MiniLM's `tokenizer.json`) for texts made of
/// printable ASCII, tabs and newlines; [`FastWordPiece::encode`] declines any
/// other text. For such texts the normaliser only lowercases (no accents, no
/// CJK, no control characters to drop), whitespace splits, and each ASCII
/// punctuation character is a word of its own.
pub struct FastWordPiece {
    /// Pieces that start a word.
    heads: FxHashMap<Box<str>, u32>,
    /// Pieces that continue a word, stored without their `##` prefix.
    tails: FxHashMap<Box<str>, u32>,
    unk: u32,
    max_chars: usize,
}

/// Added (special) tokens the `tokenizers` pipeline would match verbatim in a
/// text; such a text is left to it.
const ADDED_TOKENS: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

impl FastWordPiece {
    /// Builds the fast path from a `tokenizer.json`, or `None` when that file
    /// is not the BERT uncased WordPiece set-up it reproduces.
    pub fn from_tokenizer_json(path: &Path, tokenizer: &Tokenizer) -> Option<FastWordPiece> {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
        let (model, norm, pre) = (&json["model"], &json["normalizer"], &json["pre_tokenizer"]);
        let expected = model["type"] == "WordPiece"
            && model["continuing_subword_prefix"] == "##"
            && norm["type"] == "BertNormalizer"
            && norm["lowercase"] == true
            && norm["clean_text"] == true
            && pre["type"] == "BertPreTokenizer";
        if !expected {
            return None;
        }
        let unk = tokenizer.token_to_id(model["unk_token"].as_str()?)?;
        let max_chars = model["max_input_chars_per_word"].as_u64()? as usize;
        let mut heads = FxHashMap::default();
        let mut tails = FxHashMap::default();
        for (piece, id) in tokenizer.get_vocab(false) {
            match piece.strip_prefix("##") {
                Some(tail) => tails.insert(tail.into(), id),
                None => heads.insert(piece.into_boxed_str(), id),
            };
        }
        Some(FastWordPiece {
            heads,
            tails,
            unk,
            max_chars,
        })
    }

    /// Appends the ids of `text` to `ids` and returns `true`, or returns
    /// `false` (with `ids` possibly half-filled) for a text outside the fast
    /// path's scope.
    pub fn encode(&self, text: &str, ids: &mut Vec<u32>) -> bool {
        let bytes = text.as_bytes();
        if bytes.iter().any(|&b| {
            !(b == b' ' || b == b'\t' || b == b'\n' || b == b'\r' || b.is_ascii_graphic())
        }) {
            return false;
        }
        if bytes.contains(&b'[') && ADDED_TOKENS.iter().any(|t| text.contains(t)) {
            return false;
        }
        let mut word = String::with_capacity(32);
        let flush = |word: &mut String, ids: &mut Vec<u32>| {
            if !word.is_empty() {
                self.word_pieces(word, ids);
                word.clear();
            }
        };
        for &b in bytes {
            if b.is_ascii_whitespace() {
                flush(&mut word, ids);
            } else if b.is_ascii_punctuation() {
                flush(&mut word, ids);
                word.push(b as char);
                flush(&mut word, ids);
            } else {
                word.push(b.to_ascii_lowercase() as char);
            }
        }
        flush(&mut word, ids);
        true
    }

    /// Greedy longest-match-first WordPiece of one ASCII word; a word with a
    /// part that matches nothing, or longer than `max_chars`, is one `[UNK]`.
    fn word_pieces(&self, word: &str, ids: &mut Vec<u32>) {
        if word.len() > self.max_chars {
            ids.push(self.unk);
            return;
        }
        let mark = ids.len();
        let mut start = 0;
        while start < word.len() {
            let map = if start == 0 { &self.heads } else { &self.tails };
            let mut end = word.len();
            let found = loop {
                if let Some(&id) = map.get(&word[start..end]) {
                    break Some(id);
                }
                end -= 1;
                if end == start {
                    break None;
                }
            };
            match found {
                Some(id) => {
                    ids.push(id);
                    start = end;
                }
                None => {
                    ids.truncate(mark);
                    ids.push(self.unk);
                    return;
                }
            }
        }
    }
}
