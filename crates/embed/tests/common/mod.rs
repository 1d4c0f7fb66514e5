//! Shared helpers of the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The models directory: `$UNSPUN_MODELS`, else `<repo>/models` (where
/// `scripts/setup.sh` puts them; `scripts/test.sh` runs it first). Tests fail,
/// never skip, when the models are missing.
pub fn models() -> PathBuf {
    match std::env::var_os("UNSPUN_MODELS") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models"),
    }
}

/// `../shared/data` beside the repository.
pub fn shared_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}
