//! Errors of the store.
//!
//! Every variant names the store directory, because an end user running the
//! command line tool may have several corpora and needs to know which one is
//! at fault. Lock contention (another process writing) is its own variant,
//! because the remedy — wait, or close the other process — differs from that
//! of real failures.

use std::path::{Path, PathBuf};

/// Result type of the store.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Anything that can go wrong while opening, reading or writing a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No store exists at this directory (only from
    /// [`EmbeddedStore::open_read_only`](crate::EmbeddedStore::open_read_only)).
    #[error("no unspun store at {}: the directory does not exist or holds no articles.sqlite3", .0.display())]
    NotFound(PathBuf),

    /// The SQLite database failed.
    #[error("store at {}: database error: {source}", dir.display())]
    Sqlite {
        /// The store directory.
        dir: PathBuf,
        /// The underlying error.
        #[source]
        source: rusqlite::Error,
    },

    /// The tantivy retrieval index failed.
    #[error("store at {}: retrieval index error: {source}", dir.display())]
    Index {
        /// The store directory.
        dir: PathBuf,
        /// The underlying error.
        #[source]
        source: tantivy::TantivyError,
    },

    /// A file system operation failed.
    #[error("store at {}: cannot access {}: {source}", dir.display(), path.display())]
    Io {
        /// The store directory.
        dir: PathBuf,
        /// The file or directory the operation was about.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// The store was written by a newer version of unspun.
    #[error(
        "store at {} has format version {found}, but this unspun supports only up to version {supported}; \
         upgrade unspun to open it",
        dir.display()
    )]
    NewerFormat {
        /// The store directory.
        dir: PathBuf,
        /// The version found on disk.
        found: u32,
        /// The newest version this build understands.
        supported: u32,
    },

    /// The store was written by an older version of unspun whose format
    /// this one no longer reads (see the store crate docs, "Format
    /// versions"). There is no in-place upgrade: the index terms are not
    /// kept, so the articles must be ingested again.
    #[error(
        "store at {} has format version {found}, which this unspun (format {supported}) no longer reads: \
         the MinHash band keys changed; ingest the articles again into a new store",
        dir.display()
    )]
    OlderFormat {
        /// The store directory.
        dir: PathBuf,
        /// The version found on disk.
        found: u32,
        /// The only version this build reads.
        supported: u32,
    },

    /// Another process (or another handle in this process) is writing to the store.
    #[error(
        "store at {} is being written by another process ({detail}); wait for it to finish or close it, then retry",
        dir.display()
    )]
    Locked {
        /// The store directory.
        dir: PathBuf,
        /// What was locked.
        detail: String,
    },

    /// A write was attempted on a store opened with
    /// [`EmbeddedStore::open_read_only`](crate::EmbeddedStore::open_read_only).
    #[error("store at {} was opened read-only; it cannot be written", .0.display())]
    ReadOnly(PathBuf),

    /// The backend does not keep what was asked of it.
    #[error("this store backend does not keep {0}")]
    Unsupported(&'static str),

    /// The store's files are inconsistent in a way the store cannot repair
    /// (for example the retrieval index directory was deleted).
    #[error("store at {} is damaged: {reason}", dir.display())]
    Damaged {
        /// The store directory.
        dir: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// Attaches the store directory to lower-level errors.
pub(crate) trait Ctx<T> {
    /// Converts the error, naming `dir`.
    fn ctx(self, dir: &Path) -> Result<T>;
}

impl<T> Ctx<T> for rusqlite::Result<T> {
    fn ctx(self, dir: &Path) -> Result<T> {
        self.map_err(|e| sqlite_error(dir, e))
    }
}

impl<T> Ctx<T> for tantivy::Result<T> {
    fn ctx(self, dir: &Path) -> Result<T> {
        self.map_err(|e| index_error(dir, e))
    }
}

/// Classifies a SQLite error: busy/locked becomes [`StoreError::Locked`].
pub(crate) fn sqlite_error(dir: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Locked {
            dir: dir.to_path_buf(),
            detail: "the article database is locked".into(),
        },
        _ => StoreError::Sqlite {
            dir: dir.to_path_buf(),
            source: e,
        },
    }
}

/// Classifies a tantivy error: a held writer lock becomes [`StoreError::Locked`].
pub(crate) fn index_error(dir: &Path, e: tantivy::TantivyError) -> StoreError {
    match e {
        tantivy::TantivyError::LockFailure(..) => StoreError::Locked {
            dir: dir.to_path_buf(),
            detail: "the retrieval index is locked".into(),
        },
        other => StoreError::Index {
            dir: dir.to_path_buf(),
            source: other,
        },
    }
}

/// Builds a [`StoreError::Io`].
pub(crate) fn io_error(dir: &Path, path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        dir: dir.to_path_buf(),
        path: path.to_path_buf(),
        source,
    }
}
