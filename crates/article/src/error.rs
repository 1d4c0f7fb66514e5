//! Errors of the readers: each names the file and, for line-based formats, the
//! line, for WARC and ARC the byte offset of the record.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where an article, a warning or an error came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file read.
    pub path: PathBuf,
    /// 1-based line number, for line-based formats (JSON Lines, SGML).
    pub line: Option<usize>,
    /// Byte offset of the record in the file, for WARC and ARC (in a gzipped
    /// file, of the gzip member holding it).
    pub offset: Option<u64>,
}

impl Location {
    /// The whole of `path` (no line or offset): a file, or a fetched URL.
    pub fn file(path: &Path) -> Location {
        Location {
            path: path.to_path_buf(),
            line: None,
            offset: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.offset) {
            (Some(line), _) => write!(f, "{}:{}", self.path.display(), line),
            (None, Some(offset)) => write!(f, "{} (record at byte {offset})", self.path.display()),
            (None, None) => write!(f, "{}", self.path.display()),
        }
    }
}

/// A problem with one input: a whole file, or one record of it.
///
/// Displayed as `PATH[:LINE]: MESSAGE`, ready to print.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {kind}")]
pub struct ReadError {
    /// The file, and the line where there is one.
    pub location: Location,
    /// What went wrong.
    pub kind: ReadErrorKind,
}

impl ReadError {
    /// An error about the whole of `path` (no line or offset).
    pub fn in_file(path: &Path, kind: ReadErrorKind) -> ReadError {
        ReadError {
            location: Location::file(path),
            kind,
        }
    }
}

/// What went wrong while reading an input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// The file could not be opened or read.
    #[error("cannot read: {0}")]
    Io(String),
    /// The bytes are not UTF-8 (and no Latin-1 fallback was asked for).
    #[error("invalid UTF-8 at byte {offset} (line {line}); re-encode as UTF-8 or pass --latin1-fallback")]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte in the file.
        offset: usize,
        /// 1-based line of the first invalid byte.
        line: usize,
    },
    /// Warning: the bytes are not UTF-8 and were decoded as Windows-1252/Latin-1
    /// because the Latin-1 fallback was asked for.
    #[error("not valid UTF-8 (first invalid byte at offset {offset}, line {line}); decoded as Windows-1252/Latin-1")]
    DecodedAsLatin1 {
        /// Byte offset of the first invalid byte in the file.
        offset: usize,
        /// 1-based line of the first invalid byte.
        line: usize,
    },
    /// The file or record holds NUL bytes: it is binary, not text. The offset is from the start of the file.
    #[error("binary data (NUL byte at offset {0}); expected text")]
    Binary(usize),
    /// The file or record has no text at all.
    #[error("empty: no article text")]
    Empty,
    /// The article is larger than the configured limit.
    #[error("too large: {size} bytes, the limit for one article is {limit} bytes")]
    TooLarge {
        /// Size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A JSON Lines record is not valid JSON, or lacks a required field.
    #[error("malformed JSON: {0}")]
    Json(String),
    /// A date is present but not an ISO 8601 date.
    #[error("invalid date {0:?}: expected ISO 8601 (YYYY-MM-DD or RFC 3339)")]
    InvalidDate(String),
    /// The article has no date; it is still read, but direction will rest on other evidence.
    #[error("no date: relative dates cannot be resolved and direction rests on other evidence")]
    MissingDate,
    /// The id is not a valid article id.
    #[error("invalid id: {0}")]
    InvalidId(String),
    /// An SGML document is malformed.
    #[error("malformed SGML: {0}")]
    Sgml(String),
    /// An HTML page holds no article body (a home page, an index, an error
    /// page, a page whose text is all menus and links).
    #[error("no article body found in the HTML: {0}")]
    NoArticleBody(String),
    /// A WARC or ARC record is malformed (bad header, truncated block, bad
    /// chunked or compressed payload).
    #[error("malformed WARC/ARC record: {0}")]
    Warc(String),
    /// A feed that does not parse, or an entry that cannot be an article
    /// (no id or link, or only a teaser of the article).
    #[error("feed: {0}")]
    Feed(String),
}
