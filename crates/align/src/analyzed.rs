//! An article cut into sentences, with the per-sentence features alignment needs.
//!
//! Analysis is done once per article and reused against every candidate
//! source, so everything that does not depend on the other article lives here.

use unspun_article::Article;
use unspun_segment::{Analyzer, Segmenter, Sentence, Token, TokenKind};
use xxhash_rust::xxh3::xxh3_64;

/// One sentence's features.
#[derive(Clone, Debug, Default)]
pub struct SentenceFeatures {
    /// Content terms: stems of non-stop words, and numbers prefixed with `#`.
    /// Sorted and deduplicated.
    pub terms: Vec<String>,
    /// Terms that are names (capitalised, not a stop word, not the first
    /// word) or numbers: they weigh more, because a rewrite keeps them.
    pub salient: Vec<String>,
    /// Normalised forms of every token, in order: compared to tell verbatim
    /// and edited copies from paraphrase.
    pub norms: Vec<String>,
    /// Hashes of character 4-grams of the content words, sorted and
    /// deduplicated: they catch spelling variants and light edits.
    pub char_grams: Vec<u32>,
}

/// An article with its sentences, tokens and sentence features.
#[derive(Clone, Debug)]
pub struct AnalyzedArticle {
    /// The article itself.
    pub article: Article,
    /// Its sentences, with byte offsets into `article.text`.
    pub sentences: Vec<Sentence>,
    /// The tokens of each sentence (offsets into `article.text`).
    pub tokens: Vec<Vec<Token>>,
    /// The features of each sentence.
    pub features: Vec<SentenceFeatures>,
}

impl AnalyzedArticle {
    /// Segments, tokenises and computes features for `article`.
    pub fn new(article: Article, segmenter: &Segmenter, analyzer: &Analyzer) -> AnalyzedArticle {
        let sentences = segmenter.split(&article.text);
        let tokens: Vec<Vec<Token>> = sentences
            .iter()
            .map(|s| analyzer.tokens(&article.text, s.span))
            .collect();
        let features = tokens.iter().map(|t| SentenceFeatures::of(t)).collect();
        AnalyzedArticle {
            article,
            sentences,
            tokens,
            features,
        }
    }

    /// The shape of sentence `i` (its words with numbers masked) and its
    /// filler, when it has one (see `unspun_fingerprint::sentence_shape`).
    pub fn sentence_shape(&self, i: usize) -> Option<unspun_fingerprint::SentenceShape> {
        unspun_fingerprint::sentence_shape(&self.tokens[i])
    }

    /// The text of sentence `i`.
    pub fn sentence_text(&self, i: usize) -> &str {
        self.sentences[i].span.text(&self.article.text)
    }

    /// All tokens of the article, in order.
    pub fn all_tokens(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().flatten()
    }

    /// Words (normal forms) of the sentences `sentences`: how long an
    /// aligned group is.
    pub fn words(&self, sentences: &[usize]) -> usize {
        sentences
            .iter()
            .map(|&i| self.features[i].norms.len())
            .sum()
    }
}

impl SentenceFeatures {
    /// Features of one sentence's tokens.
    pub fn of(tokens: &[Token]) -> SentenceFeatures {
        let mut terms = Vec::new();
        let mut salient = Vec::new();
        let mut content_text = String::new();
        for (i, t) in tokens.iter().enumerate() {
            let term = match t.kind {
                TokenKind::Number => format!("#{}", t.norm),
                TokenKind::Word if t.stop || t.stem.is_empty() => continue,
                TokenKind::Word => t.stem.clone(),
            };
            let is_name = t.kind == TokenKind::Word && t.capitalized && i > 0;
            if is_name || t.kind == TokenKind::Number {
                salient.push(term.clone());
            }
            terms.push(term);
            if !content_text.is_empty() {
                content_text.push(' ');
            }
            content_text.push_str(&t.norm);
        }
        terms.sort_unstable();
        terms.dedup();
        salient.sort_unstable();
        salient.dedup();
        let norms = tokens.iter().map(|t| t.norm.clone()).collect();
        SentenceFeatures {
            terms,
            salient,
            norms,
            char_grams: char_grams(&content_text, 4),
        }
    }
}

/// Sorted, deduplicated hashes of the character n-grams of `s` (by chars,
/// not bytes, so accented text is cut on character boundaries).
fn char_grams(s: &str, n: usize) -> Vec<u32> {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return Vec::new();
    }
    let mut buf = String::new();
    let mut out: Vec<u32> = if chars.len() <= n {
        vec![xxh3_64(s.as_bytes()) as u32]
    } else {
        chars
            .windows(n)
            .map(|w| {
                buf.clear();
                buf.extend(w);
                xxh3_64(buf.as_bytes()) as u32
            })
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use unspun_article::ArticleId;

    use super::*;

    #[test]
    fn features_of_a_real_sentence() {
        let text = "Kremlin foreign policy aide Yuri Ushakov, who took part in Friday’s meeting, \
                    said 12,000 troops were there.";
        let a = AnalyzedArticle::new(
            Article::new(ArticleId::new("t").unwrap(), text),
            &Segmenter::new(),
            &Analyzer::new(),
        );
        assert_eq!(a.sentences.len(), 1);
        let f = &a.features[0];
        assert!(f.terms.contains(&"ushakov".to_string()));
        assert!(f.terms.contains(&"#12000".to_string()));
        assert!(!f.terms.contains(&"who".to_string()));
        assert!(f.salient.contains(&"ushakov".to_string()));
        assert!(f.salient.contains(&"friday".to_string()));
        // The first word is capitalised by position, not because it is a name.
        assert!(!f.salient.contains(&"kremlin".to_string()));
        assert!(!f.char_grams.is_empty());
        assert_eq!(a.sentence_text(0), text);
    }
}
