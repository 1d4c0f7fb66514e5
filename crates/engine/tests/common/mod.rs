//! What the engine's integration tests share: real articles read from
//! `../shared/data`.

use std::path::Path;

use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};
use unspun_article::Article;

/// The BBC News stories of one category, as `unspun ingest` reads the
/// files (ids are the file stems, so they repeat across categories).
pub fn bbc(category: &str) -> Vec<Article> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/bbc-news-2225/bbc")
        .join(category);
    assert!(
        dir.is_dir(),
        "{} missing: tests need ../shared/data",
        dir.display()
    );
    let mut out = Vec::new();
    let opts = ReadOptions {
        format: Format::Text,
        latin1_fallback: true,
        ..ReadOptions::default()
    };
    read_paths(&[dir], &opts, &mut |ev| {
        if let ReadEvent::Article { article, .. } = ev {
            out.push(article);
        }
    });
    out
}
