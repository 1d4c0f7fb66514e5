//! # unspun-align: which sentence came from where
//!
//! Given two articles, the aligner says which sentences of the derived one
//! restate which sentences of the source, allowing reordering, splits and
//! merges, and labels each aligned group `verbatim`, `edited` or
//! `paraphrase`. Sentences aligned to nothing are `new` (derived side) or
//! `dropped` (source side). From the alignment it reads the relation of the
//! pair (`copy`, `rewrite`, `partial`, `related`) and which article is the
//! original.
//!
//! Similarity is lexical first: weighted content terms (stems, names,
//! numbers) and character 4-grams, see [`similarity`]. Given sentence
//! embeddings ([`Aligner::align_semantic`]), a calibrated blend of the
//! lexical score and the cosine can add matches lexical evidence misses,
//! never where names or numbers disagree, see [`semantic`].
//!
//! # Example
//!
//! ```
//! use unspun_align::{AnalyzedArticle, Aligner, MatchKind};
//! use unspun_article::{Article, ArticleId};
//! use unspun_segment::{Analyzer, Segmenter};
//!
//! let (seg, an) = (Segmenter::new(), Analyzer::new());
//! let source = AnalyzedArticle::new(
//!     Article::new(ArticleId::new("wire").unwrap(),
//!         "The central bank raised rates by a quarter point on Tuesday. Markets fell sharply."),
//!     &seg, &an);
//! let derived = AnalyzedArticle::new(
//!     Article::new(ArticleId::new("blog").unwrap(),
//!         "Markets fell sharply. On Tuesday the central bank raised its rates by a quarter point."),
//!     &seg, &an);
//! let alignment = Aligner::new().align(&derived, &source);
//! assert_eq!(alignment.groups.len(), 2);
//! assert_eq!(alignment.groups[0].source, vec![1]);
//! assert_eq!(alignment.groups[0].kind, MatchKind::Verbatim);
//! ```
#![deny(missing_docs)]

mod align;
mod analyzed;
pub mod pair;
mod relation;
pub mod semantic;
pub mod similarity;
mod specific;
#[cfg(test)]
mod testing;

pub use align::{AlignedGroup, Aligner, AlignerBuilder, Alignment, MatchKind};
pub use analyzed::{AnalyzedArticle, SentenceFeatures};
pub use pair::{PairClassifier, PairVerdict};
pub use relation::{
    classify, credited, direction, is_specific, is_wire_agency, Direction, Original, Relation,
    MIN_PAIR_INFO,
};
pub use semantic::{EmbeddingKind, Rescore, Semantic};
pub use similarity::{
    PairSimilarity, SentenceScore, TermRarity, DEFAULT_TERM_INFO, RARITY_PRIOR_DOCS,
};
pub use specific::{Specificity, MIN_FRAME_DOCS, SPECIFIC_INFO};
