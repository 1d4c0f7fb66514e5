//! Helpers shared by the integration tests: collecting events, locating the
//! bundled seeds and the shared data sets.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use unspun_article::read::{read_paths, ArticleReader, ReadEvent, ReadOptions};
use unspun_article::{Article, ReadError};

/// The repository's bundled seed examples.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds")
}

/// A shared data set directory: `$UNSPUN_DATA`, or `../shared/data` beside
/// the repository (where CI has it). Missing data fails the test: tests
/// never skip silently. (The `Option` lets call sites stay `let Some(..)`.)
pub fn data_dir(name: &str) -> Option<PathBuf> {
    let base = std::env::var_os("UNSPUN_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let dir = base.join(name);
    assert!(
        dir.is_dir(),
        "data set {} not found: the tests need ../shared/data (or $UNSPUN_DATA)",
        dir.display()
    );
    Some(dir)
}

/// Every event of reading one file with `reader`.
pub fn read_with(reader: &dyn ArticleReader, path: &Path, opts: &ReadOptions) -> Vec<ReadEvent> {
    let mut events = Vec::new();
    reader.read_file(path, opts, &mut |e| events.push(e));
    events
}

/// Every event of [`read_paths`].
pub fn read_all(paths: &[PathBuf], opts: &ReadOptions) -> Vec<ReadEvent> {
    let mut events = Vec::new();
    read_paths(paths, opts, &mut |e| events.push(e));
    events
}

/// The articles among `events`.
pub fn articles(events: &[ReadEvent]) -> Vec<&Article> {
    events
        .iter()
        .filter_map(|e| match e {
            ReadEvent::Article { article, .. } => Some(article),
            _ => None,
        })
        .collect()
}

/// The errors among `events`.
pub fn errors(events: &[ReadEvent]) -> Vec<&ReadError> {
    events
        .iter()
        .filter_map(|e| match e {
            ReadEvent::Error(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// The warnings among `events`.
pub fn warnings(events: &[ReadEvent]) -> Vec<&ReadError> {
    events
        .iter()
        .filter_map(|e| match e {
            ReadEvent::Warning(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// The only error of `events`, which must hold nothing else.
pub fn single_error(events: &[ReadEvent]) -> &ReadError {
    match events {
        [ReadEvent::Error(e)] => e,
        other => panic!("expected exactly one error, got {other:?}"),
    }
}
