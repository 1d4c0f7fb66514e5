//! What the engine's integration tests share: real articles read from
//! `../shared/data` (and the repository's examples).

use std::path::Path;

use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};
use unspun_article::Article;

/// The articles under `dir` in `format`, as `unspun ingest` reads them
/// (Latin-1 files accepted). Fails, never skips, when `dir` is missing.
pub fn read(dir: &Path, format: Format) -> Vec<Article> {
    assert!(
        dir.exists(),
        "{} missing: tests need ../shared/data",
        dir.display()
    );
    let mut out = Vec::new();
    let opts = ReadOptions {
        format,
        latin1_fallback: true,
        ..ReadOptions::default()
    };
    read_paths(&[dir.to_path_buf()], &opts, &mut |ev| {
        if let ReadEvent::Article { article, .. } = ev {
            out.push(article);
        }
    });
    out
}

/// The BBC News stories of one category (ids are the file stems, so they
/// repeat across categories).
pub fn bbc(category: &str) -> Vec<Article> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/bbc-news-2225/bbc")
        .join(category);
    assert!(
        dir.is_dir(),
        "{} missing: tests need ../shared/data",
        dir.display()
    );
    read(&dir, Format::Text)
}
