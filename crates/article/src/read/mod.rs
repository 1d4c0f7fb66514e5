//! Readers: turn files and directories into a stream of [`ReadEvent`]s.
//!
//! One [`ArticleReader`] per input format ([`TextReader`], [`JsonlReader`],
//! [`ReutersSgmlReader`], [`HtmlReader`], [`WarcReader`]); [`read_paths`] walks files and directories and picks
//! the reader for each file. Readers never stop a batch because of one bad
//! input: a bad file or record becomes a [`ReadEvent::Error`] and reading goes on.
//!
//! # Example
//!
//! ```no_run
//! use std::path::PathBuf;
//! use unspun_article::read::{read_paths, ReadEvent, ReadOptions};
//!
//! let mut articles = Vec::new();
//! read_paths(&[PathBuf::from("corpus/")], &ReadOptions::default(), &mut |event| match event {
//!     ReadEvent::Article { article, .. } => articles.push(article),
//!     ReadEvent::Warning(w) => eprintln!("warning: {w}"),
//!     ReadEvent::Error(e) => eprintln!("error: {e}"),
//!     ReadEvent::SkippedFile { path, reason } => eprintln!("skipped {}: {reason}", path.display()),
//! });
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveDate;

use crate::{Article, Location, ReadError, ReadErrorKind};

mod charset;
mod decode;
mod feed;
mod html;
mod html_body;
mod jsonl;
mod page_spans;
mod sgml;
mod text;
mod walk;
mod warc;
mod web_date;

pub use feed::{parse_feed, FeedItem, FeedReader, FeedTeaser};
pub use html::{HtmlPage, HtmlReader, MIN_BODY_CHARS, MIN_BODY_WORDS};
pub use jsonl::JsonlReader;
pub use page_spans::PageSpan;
pub use sgml::{ReutersSgmlReader, SgmlStats};
pub use text::TextReader;
pub use walk::read_paths;
pub use warc::WarcReader;

/// An input format, or [`Format::Auto`] to choose one by file extension.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// Choose by extension (see [`Format::from_extension`]); unknown
    /// extensions are read as text when the file was named explicitly.
    #[default]
    Auto,
    /// Plain text, with an optional `date YYYY-MM-DD [Source: NAME]` header.
    Text,
    /// JSON Lines: one JSON object per line.
    Jsonl,
    /// Reuters-21578 SGML (`reut2-NNN.sgm`).
    ReutersSgml,
    /// A saved web page (`.html`, `.htm`, optionally gzipped).
    Html,
    /// A web crawl: WARC (`.warc`) or the older ARC (`.arc`), optionally gzipped.
    Warc,
    /// A news feed: RSS or Atom (`.rss`, `.atom`, optionally gzipped).
    Feed,
}

impl Format {
    /// Every format, [`Format::Auto`] first.
    pub const ALL: [Format; 7] = [
        Format::Auto,
        Format::Text,
        Format::Jsonl,
        Format::ReutersSgml,
        Format::Html,
        Format::Warc,
        Format::Feed,
    ];

    /// The name used on the command line: `auto`, `text`, `jsonl`, `reuters-sgml`, `html`, `warc`, `feed`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Text => "text",
            Format::Jsonl => "jsonl",
            Format::ReutersSgml => "reuters-sgml",
            Format::Html => "html",
            Format::Warc => "warc",
            Format::Feed => "feed",
        }
    }

    /// The file extensions (lower case, without the dot) of this format;
    /// empty for [`Format::Auto`].
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Auto => &[],
            Format::Text => &["txt", "text"],
            Format::Jsonl => &["jsonl", "ndjson"],
            Format::ReutersSgml => &["sgm", "sgml"],
            Format::Html => &["html", "htm"],
            Format::Warc => &["warc", "arc"],
            Format::Feed => &["rss", "atom"],
        }
    }

    /// The format whose extensions include `ext` (compared case-insensitively,
    /// without the dot), if any.
    pub fn from_extension(ext: &str) -> Option<Format> {
        Format::ALL[1..]
            .iter()
            .copied()
            .find(|f| f.extensions().iter().any(|e| e.eq_ignore_ascii_case(ext)))
    }

    /// The format implied by the extension of `path`, if it is a known one.
    /// A `.gz` extension counts for the formats whose readers unwrap gzip
    /// (`page.html.gz` is HTML); `notes.txt.gz` has no format.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension().and_then(|e| e.to_str())?;
        if ext.eq_ignore_ascii_case("gz") {
            let inner = Path::new(path.file_stem()?).extension()?.to_str()?;
            return Format::from_extension(inner).filter(|f| f.reads_gzip());
        }
        Format::from_extension(ext)
    }

    /// Whether this format's reader unwraps gzip itself.
    pub fn reads_gzip(self) -> bool {
        matches!(self, Format::Html | Format::Warc | Format::Feed)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing a [`Format`] from a string.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {0:?}: expected one of auto, text, jsonl, reuters-sgml, html, warc, feed")]
pub struct ParseFormatError(pub String);

impl FromStr for Format {
    type Err = ParseFormatError;

    /// Parses `auto`, `text`, `jsonl`, `reuters-sgml`, `html`, `warc` or `feed`
    /// (case-insensitive; `txt`, `ndjson`, `sgml`, `htm`, `arc`, `rss` and `atom` are accepted
    /// as aliases).
    fn from_str(s: &str) -> Result<Format, ParseFormatError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Format::Auto),
            "text" | "txt" => Ok(Format::Text),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            "reuters-sgml" | "sgml" | "sgm" => Ok(Format::ReutersSgml),
            "html" | "htm" => Ok(Format::Html),
            "warc" | "arc" => Ok(Format::Warc),
            "feed" | "rss" | "atom" => Ok(Format::Feed),
            _ => Err(ParseFormatError(s.to_string())),
        }
    }
}

/// How to read inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// Which reader to use; [`Format::Auto`] chooses by extension.
    pub format: Format,
    /// Decode text that is not valid UTF-8 as Windows-1252/Latin-1 (with a
    /// warning) instead of rejecting it.
    pub latin1_fallback: bool,
    /// The largest article accepted, in bytes: a plain text file, one JSON
    /// Lines line, or one Reuters body.
    pub max_article_bytes: u64,
}

/// The default for [`ReadOptions::max_article_bytes`]: 10 MiB.
pub const DEFAULT_MAX_ARTICLE_BYTES: u64 = 10 * 1024 * 1024;

impl Default for ReadOptions {
    /// [`Format::Auto`], no Latin-1 fallback, 10 MiB per article.
    fn default() -> ReadOptions {
        ReadOptions {
            format: Format::Auto,
            latin1_fallback: false,
            max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
        }
    }
}

/// What reading produces, one event at a time, in file order.
///
/// Warnings about an article come just before the article itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadEvent {
    /// An article was read.
    Article {
        /// The article.
        article: Article,
        /// The file, and for JSON Lines and SGML the line where the record starts.
        location: Location,
    },
    /// Something is off, but the article is still emitted (for example
    /// [`ReadErrorKind::MissingDate`] or [`ReadErrorKind::DecodedAsLatin1`]).
    Warning(ReadError),
    /// The file or record was rejected; reading goes on with the next one.
    Error(ReadError),
    /// A file met inside a directory was not read (unknown extension, hidden
    /// file, README or LICENSE file).
    SkippedFile {
        /// The file.
        path: PathBuf,
        /// Why it was not read.
        reason: String,
    },
}

/// The plug-in seam: one implementation per input format.
pub trait ArticleReader: Send + Sync {
    /// The format this reader reads.
    fn format(&self) -> Format;

    /// Reads one file. `emit` receives every event, in file order.
    fn read_file(&self, path: &Path, opts: &ReadOptions, emit: &mut dyn FnMut(ReadEvent));

    /// Reads one file found while walking the directory `root`.
    ///
    /// Readers that derive ids from file names (plain text) use the path
    /// relative to `root`; the default ignores `root` and calls
    /// [`ArticleReader::read_file`].
    fn read_file_in_dir(
        &self,
        path: &Path,
        root: &Path,
        opts: &ReadOptions,
        emit: &mut dyn FnMut(ReadEvent),
    ) {
        let _ = root;
        self.read_file(path, opts, emit);
    }
}

/// The reader for `format`, or `None` for [`Format::Auto`].
pub fn reader_for(format: Format) -> Option<&'static dyn ArticleReader> {
    match format {
        Format::Auto => None,
        Format::Text => Some(&TextReader),
        Format::Jsonl => Some(&JsonlReader),
        Format::ReutersSgml => Some(&ReutersSgmlReader),
        Format::Html => Some(&HtmlReader),
        Format::Warc => Some(&WarcReader),
        Format::Feed => Some(&FeedReader),
    }
}

/// An HTML page's bytes as text, as the HTML and WARC readers decode them:
/// a BOM, else the charset of `content_type` (an HTTP `Content-Type`),
/// else `<meta charset>`, else UTF-8 when valid, else Windows-1252. For
/// pages fetched elsewhere.
pub fn decode_html_bytes(bytes: &[u8], content_type: Option<&str>) -> String {
    let charset = content_type.and_then(charset::content_type_charset);
    charset::decode_html(bytes, charset).text
}

/// What [`Article::extraction`] says for each way of reading an article.
///
/// Web pages say more: the extractor and what unspun changed in its answer
/// (`html: rs-trafilatura main content, 2 link blocks dropped`, see
/// [`HtmlPage`]), after where the page came from when that is a container
/// ([`warc_record`]) or a fetch ([`FETCHED`]).
pub mod extraction {
    /// A plain text file, its header lines removed.
    pub const TEXT: &str = "text file";
    /// A JSON Lines record's `text` field.
    pub const JSON_LINES: &str = "JSON Lines record";
    /// A Reuters-21578 `<BODY>`.
    pub const REUTERS_SGML: &str = "Reuters-21578 SGML record";
    /// A feed entry's own full text (`content:encoded`, Atom `content`).
    pub const FEED_CONTENT: &str = "feed entry content";
    /// A feed entry's description or summary, long enough to be a body.
    pub const FEED_SUMMARY: &str = "feed entry summary";
    /// A record posted to `unspun serve`'s API (JSON or JSON Lines).
    pub const API: &str = "posted to the API";
    /// The prefix for a page fetched over HTTP(S).
    pub const FETCHED: &str = "fetched over HTTP";

    /// The prefix for a page read from the WARC (or ARC) record at
    /// `offset` of its file (the record's byte offset, or in a gzipped file
    /// its gzip member's, as errors report it).
    pub fn warc_record(offset: u64) -> String {
        format!("WARC record at offset {offset}")
    }

    /// `page`'s extraction read from where `prefix` says.
    pub fn within(prefix: &str, page: &str) -> String {
        format!("{prefix}; {page}")
    }
}

/// Parses an ISO 8601 date: `YYYY-MM-DD`, or an RFC 3339 date-time (or one
/// without offset, `YYYY-MM-DDTHH:MM:SS`), whose calendar date as written is taken.
pub fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(dt.date_naive());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(dt.date());
        }
    }
    None
}

/// Emits `article`, read from the whole of `path` (a file, or a fetched
/// URL), after the warnings about it.
pub fn emit_article(
    path: &Path,
    article: Article,
    warnings: Vec<ReadErrorKind>,
    emit: &mut dyn FnMut(ReadEvent),
) {
    for kind in warnings {
        emit(ReadEvent::Warning(ReadError::in_file(path, kind)));
    }
    emit(ReadEvent::Article {
        article,
        location: Location::file(path),
    });
}

/// A [`ReadError`] at `path` (and `line`, if any).
fn error(path: &Path, line: Option<usize>, kind: ReadErrorKind) -> ReadError {
    ReadError {
        location: Location {
            path: path.to_path_buf(),
            line,
            offset: None,
        },
        kind,
    }
}

/// An [`std::io::Error`] as a [`ReadErrorKind::Io`].
fn io_kind(e: &std::io::Error) -> ReadErrorKind {
    ReadErrorKind::Io(e.to_string())
}

/// Reads one line (without its `\n`) into `buf`, keeping at most `cap` bytes
/// of it. Returns the full length of the line, or `None` at end of input.
pub(crate) fn read_line_capped(
    reader: &mut impl std::io::BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<Option<u64>> {
    buf.clear();
    let mut total = 0u64;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(any.then_some(total));
        }
        any = true;
        let (chunk, used, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..i], i + 1, true),
            None => (available, available.len(), false),
        };
        let room = cap.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        total += chunk.len() as u64;
        reader.consume(used);
        if done {
            return Ok(Some(total));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lines() {
        let mut r = std::io::BufReader::with_capacity(3, &b"abcdef\n\nxy"[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line_capped(&mut r, &mut buf, 4).unwrap(), Some(6));
        assert_eq!(buf, b"abcd");
        assert_eq!(read_line_capped(&mut r, &mut buf, 4).unwrap(), Some(0));
        assert_eq!(read_line_capped(&mut r, &mut buf, 4).unwrap(), Some(2));
        assert_eq!(buf, b"xy");
        assert_eq!(read_line_capped(&mut r, &mut buf, 4).unwrap(), None);
    }

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>().unwrap(), f);
        }
        assert_eq!("NDJSON".parse::<Format>().unwrap(), Format::Jsonl);
        let err = "xml".parse::<Format>().unwrap_err();
        assert!(err.to_string().contains("reuters-sgml"));
    }

    #[test]
    fn format_by_extension() {
        assert_eq!(Format::from_path(Path::new("a/b.TXT")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("a.text")), Some(Format::Text));
        assert_eq!(
            Format::from_path(Path::new("a.ndjson")),
            Some(Format::Jsonl)
        );
        assert_eq!(
            Format::from_path(Path::new("reut2-000.sgm")),
            Some(Format::ReutersSgml)
        );
        assert_eq!(
            Format::from_path(Path::new("x.sgml")),
            Some(Format::ReutersSgml)
        );
        assert_eq!(Format::from_path(Path::new("a.HTM")), Some(Format::Html));
        assert_eq!(
            Format::from_path(Path::new("x/1a2b.html.gz")),
            Some(Format::Html)
        );
        assert_eq!(Format::from_path(Path::new("notes.txt.gz")), None);
        assert_eq!(
            Format::from_path(Path::new("crawl.warc.gz")),
            Some(Format::Warc)
        );
        assert_eq!(Format::from_path(Path::new("old.ARC")), Some(Format::Warc));
        assert_eq!(Format::from_path(Path::new("x.gz")), None);
        assert_eq!(Format::from_path(Path::new("lewis.dtd")), None);
        assert_eq!(Format::from_path(Path::new("README")), None);
    }

    #[test]
    fn defaults() {
        let o = ReadOptions::default();
        assert_eq!(o.format, Format::Auto);
        assert!(!o.latin1_fallback);
        assert_eq!(o.max_article_bytes, 10 * 1024 * 1024);
        assert!(reader_for(Format::Auto).is_none());
        for f in Format::ALL[1..].iter().copied() {
            assert_eq!(reader_for(f).unwrap().format(), f);
        }
    }

    #[test]
    fn iso_dates() {
        let d = NaiveDate::from_ymd_opt(2025, 4, 26).unwrap();
        assert_eq!(parse_iso_date("2025-04-26"), Some(d));
        assert_eq!(parse_iso_date("2025-04-26T23:30:00-05:00"), Some(d));
        assert_eq!(parse_iso_date("2025-04-26T10:00:00Z"), Some(d));
        assert_eq!(parse_iso_date("2025-04-26T10:00:00"), Some(d));
        assert_eq!(parse_iso_date("2025-13-45"), None);
        assert_eq!(parse_iso_date("26/04/2025"), None);
        assert_eq!(parse_iso_date(""), None);
    }
}
