//! What the server's integration tests share.

use std::path::PathBuf;

use unspun_article::read::{ReadEvent, ReadOptions, TextReader};
use unspun_article::Article;

/// A seed article of `examples/seeds`, read as `unspun ingest` reads it.
pub fn seed(id: &str) -> Article {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/seeds")
        .join(format!("{id}.txt"));
    let mut found = None;
    TextReader.read_file_with_id(&path, id, &ReadOptions::default(), &mut |e| {
        if let ReadEvent::Article { article, .. } = e {
            found = Some(article);
        }
    });
    found.unwrap_or_else(|| panic!("cannot read {}", path.display()))
}
