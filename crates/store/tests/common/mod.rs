//! Helpers shared by the integration tests: article builders.
#![allow(dead_code)]

use unspun_article::{Article, ArticleId};
use unspun_store::NewArticle;

/// An article whose index terms are the white-space separated words of
/// `text`, and whose band keys are given.
pub fn new_article(id: &str, text: &str, bands: &[u64]) -> NewArticle {
    NewArticle {
        article: Article::new(ArticleId::new(id).unwrap(), text),
        index_terms: text.split_whitespace().map(String::from).collect(),
        band_keys: bands.to_vec(),
        sentence_shapes: vec![],
    }
}

/// Query terms with boost 1.
pub fn q(terms: &[&str]) -> Vec<(String, f32)> {
    terms.iter().map(|t| (t.to_string(), 1.0)).collect()
}

/// The id of an article as an `ArticleId`.
pub fn id(s: &str) -> ArticleId {
    ArticleId::new(s).unwrap()
}
