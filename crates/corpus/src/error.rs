//! The crate's error type.

use std::path::PathBuf;

/// What can go wrong when loading inputs or writing a corpus.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// An input path does not exist or cannot be read.
    #[error("cannot read input {}: {message}", path.display())]
    Input {
        /// The path given.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// No usable base article was found in the inputs.
    #[error("no base article with at least {min_sentences} sentences was found in the inputs")]
    NoBase {
        /// The minimum number of sentences a base article needs.
        min_sentences: usize,
    },
    /// The specification is not usable (for example a share outside 0..=1).
    #[error("invalid corpus specification: {0}")]
    Spec(String),
    /// Writing an output file failed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file being written.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Writing to a caller's writer failed.
    #[error("write failed: {0}")]
    Io(#[from] std::io::Error),
}

/// The crate-wide result type.
pub type Result<T> = std::result::Result<T, CorpusError>;
