//! The crate's error type.

use unspun_engine::EngineError;
use unspun_store::StoreError;

/// Errors of graph building.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// The engine failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Articles listed at the start of an update were gone when read
    /// (stores never delete, so another program changed the store).
    #[error("{0} article(s) vanished from the store during the graph update")]
    Vanished(usize),
    /// The saved graph state could not be read or written.
    #[error("graph state {path}: {message}")]
    State {
        /// The state file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// Result of graph operations.
pub type Result<T> = std::result::Result<T, GraphError>;
