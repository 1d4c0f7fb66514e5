//! # unspun-article: what an article is, and how articles are read
//!
//! This is the first stage of the unspun pipeline
//! (article → segment → fingerprint → store → align → report). It defines
//! [`Article`], the validated [`ArticleId`], and the readers that turn files
//! into articles: plain text in the examples' format, JSON Lines,
//! Reuters-21578 SGML, saved web pages (HTML, the body found by
//! rs-trafilatura, headline, date, outlet and URL from the page's metadata)
//! and web crawls (WARC and ARC, streamed record by record), plus recursive
//! directory walking.
//!
//! Readers never abort a batch on one bad input: they stream
//! [`read::ReadEvent`]s (articles, warnings, errors, skipped files), and each
//! [`ReadError`] names the file and, where there is one, the line (for WARC,
//! the byte offset of the record). See the [`read`] module.
//!
//! # Example
//!
//! ```
//! use unspun_article::{Article, ArticleId};
//!
//! let article = Article::new(ArticleId::new("003_741671edce2820d1").unwrap(), "Trump said.");
//! assert_eq!(article.id.as_str(), "003_741671edce2820d1");
//! assert!(article.date.is_none());
//! ```
#![deny(missing_docs)]

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod error;
pub mod read;

pub use error::{Location, ReadError, ReadErrorKind};

/// The longest article id accepted, in bytes.
pub const MAX_ID_LEN: usize = 512;

/// A validated article identifier.
///
/// Ids are non-empty, at most [`MAX_ID_LEN`] characters, carry no control
/// characters and no leading or trailing white space. They are compared
/// byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ArticleId(String);

impl ArticleId {
    /// Validates `id` and wraps it.
    pub fn new(id: impl Into<String>) -> Result<ArticleId, InvalidId> {
        let id = id.into();
        if id.is_empty() {
            return Err(InvalidId::Empty);
        }
        let chars = id.chars().count();
        if chars > MAX_ID_LEN {
            return Err(InvalidId::TooLong(chars));
        }
        if id.chars().any(char::is_control) {
            return Err(InvalidId::Control);
        }
        if id.trim() != id {
            return Err(InvalidId::Whitespace);
        }
        Ok(ArticleId(id))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ArticleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ArticleId::new(s).map_err(serde::de::Error::custom)
    }
}

/// Why a string is not a valid [`ArticleId`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidId {
    /// The id is empty.
    #[error("article id is empty")]
    Empty,
    /// The id is longer than [`MAX_ID_LEN`] characters.
    #[error("article id is {0} characters long; the limit is {MAX_ID_LEN}")]
    TooLong(usize),
    /// The id contains a control character (newline, tab, NUL, ...).
    #[error("article id contains a control character")]
    Control,
    /// The id starts or ends with white space.
    #[error("article id starts or ends with white space")]
    Whitespace,
}

/// One news article: its text and what is known about it.
///
/// `text` is the article body exactly as read (after the reader removed its
/// own header lines); every byte offset unspun reports points into it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier, unique within a store.
    pub id: ArticleId,
    /// Publication date, if known. Relative dates ("yesterday") resolve against it.
    pub date: Option<NaiveDate>,
    /// The outlet or agency that published it ("Reuters"), if known.
    pub source: Option<String>,
    /// Headline, if known.
    pub title: Option<String>,
    /// Where it was published, if known: the page's canonical URL when the
    /// page names one.
    pub url: Option<String>,
    /// Where its text was fetched from, when that is known and is not
    /// `url`: the address asked for (after redirects), or a WARC record's
    /// target URI. Provenance, not identity: it is not part of the stored
    /// content, so reading the same page from elsewhere changes nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched_url: Option<String>,
    /// How the text was obtained from what was read: the reader, and for a
    /// web page the extractor and what it kept (see
    /// [`read::extraction`]). Provenance, like `fetched_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extraction: Option<String>,
    /// For a web page: where each paragraph of `text` sits in the page's
    /// HTML, so that a report can point back into the page. Empty for other
    /// inputs, and for paragraphs the reader could not place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub page_spans: Vec<read::PageSpan>,
    /// The body text.
    pub text: String,
}

impl Article {
    /// An article with only an id and a text.
    pub fn new(id: ArticleId, text: impl Into<String>) -> Article {
        Article {
            id,
            date: None,
            source: None,
            title: None,
            url: None,
            fetched_url: None,
            extraction: None,
            page_spans: Vec::new(),
            text: text.into(),
        }
    }
}
