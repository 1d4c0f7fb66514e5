//! Errors of the embedding crate.
//!
//! A missing model is its own variant so that callers (the CLI, the engine)
//! can fall back to lexical-only mode and print one clear line, while every
//! other failure stays an error.

use std::path::PathBuf;

/// Everything that can go wrong while loading or running an embedder.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// The model directory or one of its files is missing: the models have
    /// not been prepared. Nothing is ever downloaded at run time.
    #[error("model not found at {}: {hint}", dir.display())]
    ModelMissing {
        /// The directory that was looked at.
        dir: PathBuf,
        /// What to do about it (always names `scripts/setup.sh`).
        hint: String,
    },
    /// A model file exists but could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A model file exists but its content is not what was expected.
    #[error("bad model file {}: {reason}", path.display())]
    BadModel {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The tokenizer failed to load or to encode a text.
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    /// The tensor library failed (shape error, bad weights, ...).
    #[error("candle: {0}")]
    Candle(#[from] candle_core::Error),
    /// Invalid argument (for example zero PCA dimensions).
    #[error("{0}")]
    Invalid(String),
}

/// Result type of this crate.
pub type Result<T, E = EmbedError> = std::result::Result<T, E>;

impl EmbedError {
    /// The error for a model directory that lacks `file`.
    pub(crate) fn missing(dir: &std::path::Path) -> Self {
        EmbedError::ModelMissing {
            dir: dir.to_path_buf(),
            hint: "run scripts/setup.sh".to_string(),
        }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        EmbedError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn tokenizer(e: impl std::fmt::Display) -> Self {
        EmbedError::Tokenizer(e.to_string())
    }
}
