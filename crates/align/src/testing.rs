//! What the crate's unit tests share: an analysed article from a text and
//! a corpus rarity table.

use crate::analyzed::AnalyzedArticle;
use crate::similarity::TermRarity;

/// `text` segmented and analysed as the engine does, under id `id`.
pub(crate) fn analyzed(id: &str, text: &str) -> AnalyzedArticle {
    use unspun_article::{Article, ArticleId};
    use unspun_segment::{Analyzer, Segmenter};
    AnalyzedArticle::new(
        Article::new(ArticleId::new(id).unwrap(), text),
        &Segmenter::new(),
        &Analyzer::new(),
    )
}

/// Corpus rarity for every term of `a` and `b`, in a store the size of the
/// 21k BBC + Reuters one, each term found in `df(term)` articles.
pub(crate) fn rarity_of(
    a: &AnalyzedArticle,
    b: &AnalyzedArticle,
    df: impl Fn(&str) -> u64,
) -> TermRarity {
    let terms = a
        .features
        .iter()
        .chain(&b.features)
        .flat_map(|f| f.terms.iter());
    TermRarity::from_doc_freqs(21_000, terms.map(|t| (t.clone(), df(t))))
}
