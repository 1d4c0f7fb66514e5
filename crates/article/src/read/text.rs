//! Plain text reader: one article per file, with an optional one-line
//! `date YYYY-MM-DD [Source: NAME]` header, as in the bundled seed examples.

use std::fs::File;
use std::io::Read;
use std::path::{Component, Path};

use chrono::NaiveDate;

use super::decode::{self, find_nul};
use super::{
    emit_article, error, io_kind, parse_iso_date, ArticleReader, Format, ReadEvent, ReadOptions,
};
use crate::{Article, ArticleId, ReadErrorKind};

/// Reads plain text files: one article per file.
///
/// The first line may carry a header: optional white space, `date` and an
/// ISO 8601 date (`date 2025-04-26`), then optionally `[Source: NAME]`, then
/// optionally the start of the text on the same line. The header and the white
/// space right after it are removed; the rest of the file is the article text,
/// byte for byte. A header is recognised only when the word after `date` starts
/// with a digit; if it does not then parse as a date the file is rejected with
/// [`ReadErrorKind::InvalidDate`]. Without a header the whole file is the text
/// (a leading UTF-8 byte-order mark is dropped) and a
/// [`ReadErrorKind::MissingDate`] warning precedes the article.
///
/// No title is set: headline conventions (such as the BBC corpus's "first
/// line, then a blank line") cannot be told apart from an ordinary first
/// paragraph reliably.
///
/// The id is the file stem (`003_741671edce2820d1` for
/// `seeds/003_741671edce2820d1.txt`), or, for a file found while walking a
/// directory, its path relative to that directory without the extension, with
/// `/` separators (`business/001`).
#[derive(Clone, Copy, Debug, Default)]
pub struct TextReader;

impl TextReader {
    /// Reads the text file `path` as the article `id`.
    pub fn read_file_with_id(
        &self,
        path: &Path,
        id: &str,
        opts: &ReadOptions,
        emit: &mut dyn FnMut(ReadEvent),
    ) {
        let fail = |kind| ReadEvent::Error(error(path, None, kind));
        let id = match ArticleId::new(id) {
            Ok(id) => id,
            Err(e) => return emit(fail(ReadErrorKind::InvalidId(format!("{e} ({id:?})")))),
        };
        let bytes = match read_capped(path, opts.max_article_bytes) {
            Ok(bytes) => bytes,
            Err(kind) => return emit(fail(kind)),
        };
        if let Some(at) = find_nul(&bytes) {
            return emit(fail(ReadErrorKind::Binary(at)));
        }
        let (content, fallback) = match decode::decode(&bytes, opts.latin1_fallback) {
            Ok(decoded) => decoded,
            Err(issue) => {
                return emit(fail(ReadErrorKind::InvalidUtf8 {
                    offset: issue.offset,
                    line: issue.line,
                }))
            }
        };
        let content = content.strip_prefix('\u{feff}').unwrap_or(&content);
        let (date, source, text) = match parse_header(content) {
            Some(header) => match header.date {
                Ok(date) => (Some(date), header.source, &content[header.body_start..]),
                Err(bad) => return emit(fail(ReadErrorKind::InvalidDate(bad.to_string()))),
            },
            None => (None, None, content),
        };
        if text.trim().is_empty() {
            return emit(fail(ReadErrorKind::Empty));
        }
        if let Some(issue) = fallback {
            emit(ReadEvent::Warning(error(
                path,
                None,
                ReadErrorKind::DecodedAsLatin1 {
                    offset: issue.offset,
                    line: issue.line,
                },
            )));
        }
        if date.is_none() {
            emit(ReadEvent::Warning(error(
                path,
                None,
                ReadErrorKind::MissingDate,
            )));
        }
        let mut article = Article::new(id, text);
        article.date = date;
        article.source = source.map(str::to_string);
        article.extraction = Some(super::extraction::TEXT.to_string());
        emit_article(path, article, Vec::new(), emit);
    }
}

impl ArticleReader for TextReader {
    fn format(&self) -> Format {
        Format::Text
    }

    fn read_file(&self, path: &Path, opts: &ReadOptions, emit: &mut dyn FnMut(ReadEvent)) {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        self.read_file_with_id(path, &stem, opts, emit);
    }

    fn read_file_in_dir(
        &self,
        path: &Path,
        root: &Path,
        opts: &ReadOptions,
        emit: &mut dyn FnMut(ReadEvent),
    ) {
        let id = relative_id(path, root);
        self.read_file_with_id(path, &id, opts, emit);
    }
}

/// The id of a file found under `root`: its relative path without the
/// extension, components joined with `/`.
pub(crate) fn relative_id(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = rel.with_extension("");
    let parts: Vec<_> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

/// Reads at most `limit` bytes of `path`; a file larger than that (by its
/// metadata, or by what could be read) is [`ReadErrorKind::TooLarge`], and an
/// empty one [`ReadErrorKind::Empty`].
fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, ReadErrorKind> {
    let file = File::open(path).map_err(|e| io_kind(&e))?;
    let meta = file.metadata().map_err(|e| io_kind(&e))?;
    if meta.is_dir() {
        return Err(ReadErrorKind::Io("is a directory".to_string()));
    }
    if meta.len() > limit {
        return Err(ReadErrorKind::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_kind(&e))?;
    let size = bytes.len() as u64;
    if size > limit {
        return Err(ReadErrorKind::TooLarge { size, limit });
    }
    if bytes.is_empty() {
        return Err(ReadErrorKind::Empty);
    }
    Ok(bytes)
}

/// A recognised `date ... [Source: ...]` header.
#[derive(Debug, PartialEq, Eq)]
struct Header<'a> {
    /// The date, or the word that should have been one.
    date: Result<NaiveDate, &'a str>,
    /// The source name, trimmed, if given and not empty.
    source: Option<&'a str>,
    /// Byte offset where the text starts (after the header and the white space following it).
    body_start: usize,
}

/// Parses the optional header at the start of `content`.
fn parse_header(content: &str) -> Option<Header<'_>> {
    let is_blank = |c: char| c == ' ' || c == '\t';
    let start = content.len() - content.trim_start().len();
    let after_kw = content[start..].strip_prefix("date")?;
    let word = after_kw.trim_start_matches(is_blank);
    if word.len() == after_kw.len() || !word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let word_end = word.find(char::is_whitespace).unwrap_or(word.len());
    let date_word = &word[..word_end];
    let mut pos = content.len() - word.len() + word_end;

    let mut source = None;
    let rest = content[pos..].trim_start_matches(is_blank);
    if let Some(inner) = rest.strip_prefix("[Source:") {
        let line = &inner[..inner.find('\n').unwrap_or(inner.len())];
        if let Some(close) = line.find(']') {
            let name = line[..close].trim();
            source = (!name.is_empty()).then_some(name);
            pos = content.len() - inner.len() + close + 1;
        }
    }
    let body = content[pos..].trim_start();
    Some(Header {
        date: parse_iso_date(date_word).ok_or(date_word),
        source,
        body_start: content.len() - body.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn body(content: &str) -> Option<(Result<NaiveDate, &str>, Option<&str>, &str)> {
        parse_header(content).map(|h| (h.date, h.source, &content[h.body_start..]))
    }

    #[test]
    fn header_with_text_on_same_line() {
        let c = " date 2025-04-26 US President Donald Trump\n\nMore.";
        assert_eq!(
            body(c),
            Some((
                Ok(ymd(2025, 4, 26)),
                None,
                "US President Donald Trump\n\nMore."
            ))
        );
    }

    #[test]
    fn header_with_source() {
        let c = " date 2025-04-26 [Source: Reuters]\n\nU.S. President  \n";
        assert_eq!(
            body(c),
            Some((Ok(ymd(2025, 4, 26)), Some("Reuters"), "U.S. President  \n"))
        );
        let c = "date 2025-04-26\t[Source:  Associated Press ] Text";
        assert_eq!(
            body(c),
            Some((Ok(ymd(2025, 4, 26)), Some("Associated Press"), "Text"))
        );
    }

    #[test]
    fn header_edge_cases() {
        assert_eq!(
            body("date 2025-04-26"),
            Some((Ok(ymd(2025, 4, 26)), None, ""))
        );
        assert_eq!(
            body("date 2025-13-45 text"),
            Some((Err("2025-13-45"), None, "text"))
        );
        // Unclosed source bracket: the bracket is text.
        assert_eq!(
            body("date 2025-04-26 [Source: Reuters\nx]"),
            Some((Ok(ymd(2025, 4, 26)), None, "[Source: Reuters\nx]"))
        );
        // Not headers.
        assert_eq!(body("date palms grow in 2025."), None);
        assert_eq!(body("dated 2025-04-26"), None);
        assert_eq!(body("Ad sales boost Time Warner profit\n\nQuarterly"), None);
        assert_eq!(body("date"), None);
        assert_eq!(body(""), None);
    }

    #[test]
    fn relative_ids() {
        let root = Path::new("/data/bbc");
        assert_eq!(
            relative_id(Path::new("/data/bbc/business/001.txt"), root),
            "business/001"
        );
        assert_eq!(relative_id(Path::new("/data/bbc/a.b.txt"), root), "a.b");
        assert_eq!(relative_id(Path::new("/data/bbc/noext"), root), "noext");
    }
}
