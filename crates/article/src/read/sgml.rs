//! Reuters-21578 SGML reader: one article per `<REUTERS>` story that has a
//! `<BODY>`, streamed story by story.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use chrono::NaiveDate;
use memchr::memmem;

use super::decode::{self, find_nul};
use super::{error, io_kind, read_line_capped, ArticleReader, Format, ReadEvent, ReadOptions};
use crate::{Article, ArticleId, Location, ReadErrorKind};

/// A NUL byte this close to the start of a file marks the whole file as binary.
const BINARY_SNIFF_BYTES: u64 = 8 * 1024;

/// Room for a story's markup and metadata on top of its body.
const STORY_MARKUP_BYTES: u64 = 1024 * 1024;

/// Reads Reuters-21578 SGML files (`reut2-NNN.sgm`).
///
/// Bytes are decoded as Latin-1. Each `<REUTERS ... NEWID="n">` element with a
/// `<BODY>` becomes one article:
///
/// - id `reuters-<NEWID>`, source `Reuters`;
/// - date from `<DATE>26-FEB-1987 15:01:01.79</DATE>` (day-month-year; an
///   unparsable date rejects the story, a missing one gives a
///   [`ReadErrorKind::MissingDate`] warning);
/// - title from `<TITLE>`, entities decoded and white space collapsed;
/// - text: the `<BODY>` content with the entities `&lt; &gt; &amp; &quot;
///   &apos; &#N; &#xN;` decoded, control characters coming from numeric
///   entities (such as the `&#3;` end-of-text mark, `&#127;`) dropped, the
///   trailing `Reuter`/`REUTER` signature removed and trailing white space
///   trimmed. Leading white space and line breaks inside the body are kept.
///
/// Stories without a `<BODY>` (the `TYPE="BRIEF"` headlines and
/// `TYPE="UNPROC"` tables) are skipped without any event; see
/// [`ReutersSgmlReader::read_file_with_stats`] for counts. Article locations
/// carry the line of the `<REUTERS` tag.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReutersSgmlReader;

/// Counts from reading one SGML file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SgmlStats {
    /// `<REUTERS>` elements seen.
    pub stories: usize,
    /// Articles emitted.
    pub articles: usize,
    /// Stories skipped quietly because they have no (or an empty) `<BODY>`.
    pub without_body: usize,
    /// Errors emitted (for stories or for the whole file).
    pub errors: usize,
}

impl ArticleReader for ReutersSgmlReader {
    fn format(&self) -> Format {
        Format::ReutersSgml
    }

    fn read_file(&self, path: &Path, opts: &ReadOptions, emit: &mut dyn FnMut(ReadEvent)) {
        self.read_file_with_stats(path, opts, emit);
    }
}

/// A story being collected.
struct Story {
    /// Line of its `<REUTERS` tag.
    line: usize,
    /// Its bytes, from `<REUTERS`, lines joined with `\n`.
    bytes: Vec<u8>,
    /// It grew beyond the size cap; only its start was kept.
    too_large: bool,
    /// Its full size in bytes.
    size: u64,
    /// Offset in the file of a NUL byte inside it.
    nul: Option<u64>,
}

impl ReutersSgmlReader {
    /// Reads one file like [`ArticleReader::read_file`], and returns counts
    /// of what was read and skipped.
    pub fn read_file_with_stats(
        &self,
        path: &Path,
        opts: &ReadOptions,
        emit: &mut dyn FnMut(ReadEvent),
    ) -> SgmlStats {
        let mut stats = SgmlStats::default();
        let mut emit = |event: ReadEvent| {
            match &event {
                ReadEvent::Article { .. } => stats.articles += 1,
                ReadEvent::Error(_) => stats.errors += 1,
                _ => {}
            }
            emit(event);
        };
        let fail = |line, kind| ReadEvent::Error(error(path, line, kind));
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                emit(fail(None, io_kind(&e)));
                return stats;
            }
        };
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            emit(fail(None, ReadErrorKind::Io("is a directory".to_string())));
            return stats;
        }
        let mut reader = BufReader::with_capacity(64 * 1024, file);
        let cap = opts.max_article_bytes.saturating_add(STORY_MARKUP_BYTES);
        let cap_usize = usize::try_from(cap).unwrap_or(usize::MAX);
        let open_tag = memmem::Finder::new(b"<REUTERS");
        let close_tag = memmem::Finder::new(b"</REUTERS>");

        let mut line = Vec::new();
        let mut line_no = 0usize;
        let mut offset = 0u64;
        let mut story: Option<Story> = None;
        let mut stray_text = false;
        loop {
            line_no += 1;
            let size = match read_line_capped(&mut reader, &mut line, cap_usize) {
                Ok(Some(size)) => size,
                Ok(None) => break,
                Err(e) => {
                    emit(fail(Some(line_no), io_kind(&e)));
                    return stats;
                }
            };
            let line_offset = offset;
            offset += size + 1;
            let nul = find_nul(&line).map(|i| line_offset + i as u64);
            if let Some(at) = nul.filter(|&at| at < BINARY_SNIFF_BYTES) {
                emit(fail(None, binary(at)));
                return stats;
            }

            let mut rest: &[u8] = &line;
            let mut rest_size = size;
            loop {
                if let Some(s) = story.as_mut() {
                    // Inside a story: look for its end, or a new story starting too early.
                    let close = close_tag.find(rest).map(|i| i + b"</REUTERS>".len());
                    let reopen = open_tag.find(rest).filter(|&o| close.is_none_or(|c| o < c));
                    if let Some(o) = reopen {
                        let s = story.take().unwrap_or_else(|| unreachable!());
                        let kind = ReadErrorKind::Sgml(format!(
                            "<REUTERS> element not closed before the next one (line {line_no})"
                        ));
                        emit(fail(Some(s.line), kind));
                        rest = &rest[o..];
                        rest_size = rest_size.saturating_sub(o as u64);
                        continue;
                    }
                    let end = close.unwrap_or(rest.len());
                    // A line cut at the size cap counts with its full size.
                    let full_size = if close.is_some() {
                        end as u64
                    } else {
                        rest_size
                    };
                    s.push(&rest[..end], full_size, cap, nul);
                    if close.is_none() {
                        s.push(b"\n", 1, cap, None);
                        break;
                    }
                    let s = story.take().unwrap_or_else(|| unreachable!());
                    finish_story(path, &s, opts, &mut stats.without_body, &mut emit);
                    rest = &rest[end..];
                    rest_size = rest_size.saturating_sub(end as u64);
                } else {
                    match open_tag.find(rest) {
                        Some(o) => {
                            stats.stories += 1;
                            let tag_len = b"<REUTERS".len();
                            let mut s = Story {
                                line: line_no,
                                bytes: Vec::new(),
                                too_large: false,
                                size: 0,
                                nul: None,
                            };
                            s.push(&rest[o..o + tag_len], tag_len as u64, cap, None);
                            story = Some(s);
                            rest = &rest[o + tag_len..];
                            rest_size = rest_size.saturating_sub((o + tag_len) as u64);
                        }
                        None => {
                            let rest = rest.trim_ascii();
                            stray_text |= !rest.is_empty() && !rest.starts_with(b"<!");
                            break;
                        }
                    }
                }
            }
        }
        if let Some(s) = story {
            let kind =
                ReadErrorKind::Sgml("<REUTERS> element not closed at end of file".to_string());
            emit(fail(Some(s.line), kind));
        }
        if stats.stories == 0 {
            let kind = if stray_text {
                ReadErrorKind::Sgml("no <REUTERS> elements found".to_string())
            } else {
                ReadErrorKind::Empty
            };
            emit(fail(None, kind));
        }
        stats
    }
}

impl Story {
    /// Appends `bytes` (part of a line that was `size` bytes long in full).
    fn push(&mut self, bytes: &[u8], size: u64, cap: u64, nul: Option<u64>) {
        self.size += size;
        self.nul = self.nul.or(nul);
        self.too_large |= self.size > cap;
        if !self.too_large {
            self.bytes.extend_from_slice(bytes);
        }
    }
}

/// [`ReadErrorKind::Binary`] at file offset `at`.
fn binary(at: u64) -> ReadErrorKind {
    ReadErrorKind::Binary(usize::try_from(at).unwrap_or(usize::MAX))
}

/// Emits the article (or error) of one complete story.
fn finish_story(
    path: &Path,
    story: &Story,
    opts: &ReadOptions,
    without_body: &mut usize,
    emit: &mut dyn FnMut(ReadEvent),
) {
    let fail = |kind| ReadEvent::Error(error(path, Some(story.line), kind));
    if let Some(at) = story.nul {
        return emit(fail(binary(at)));
    }
    if story.too_large {
        return emit(fail(ReadErrorKind::TooLarge {
            size: story.size,
            limit: opts.max_article_bytes,
        }));
    }
    match parse_story(&story.bytes, opts.max_article_bytes) {
        Ok(Some(article)) => {
            if article.date.is_none() {
                emit(ReadEvent::Warning(error(
                    path,
                    Some(story.line),
                    ReadErrorKind::MissingDate,
                )));
            }
            emit(ReadEvent::Article {
                article,
                location: Location {
                    path: path.to_path_buf(),
                    line: Some(story.line),
                    offset: None,
                },
            });
        }
        Ok(None) => *without_body += 1,
        Err(kind) => emit(fail(kind)),
    }
}

/// The content between `open` and `close` in `hay`: `None` if `open` is
/// absent, an error if it is not closed.
fn element<'a>(hay: &'a [u8], open: &str, close: &str) -> Result<Option<&'a [u8]>, ReadErrorKind> {
    let Some(start) = memmem::find(hay, open.as_bytes()) else {
        return Ok(None);
    };
    let content = &hay[start + open.len()..];
    match memmem::find(content, close.as_bytes()) {
        Some(end) => Ok(Some(&content[..end])),
        None => Err(ReadErrorKind::Sgml(format!("{open} not closed"))),
    }
}

/// Parses one story (`<REUTERS ...>` ... `</REUTERS>`); `Ok(None)` when it
/// has no body text.
fn parse_story(story: &[u8], max_body: u64) -> Result<Option<Article>, ReadErrorKind> {
    let tag_end = memchr::memchr(b'>', story)
        .ok_or_else(|| ReadErrorKind::Sgml("unterminated <REUTERS tag".to_string()))?;
    let tag = &story[..tag_end];
    let newid = attribute(tag, b"NEWID").ok_or_else(|| {
        ReadErrorKind::Sgml("<REUTERS> tag without a NEWID attribute".to_string())
    })?;
    let newid = decode::latin1(newid);
    let id = format!("reuters-{newid}");
    let id = ArticleId::new(id.as_str())
        .map_err(|e| ReadErrorKind::InvalidId(format!("{e} ({id:?})")))?;

    let Some(body) = element(story, "<BODY>", "</BODY>")? else {
        return Ok(None);
    };
    if body.len() as u64 > max_body {
        return Err(ReadErrorKind::TooLarge {
            size: body.len() as u64,
            limit: max_body,
        });
    }
    let text = clean_body(&decode_entities(&decode::latin1(body)));
    if text.trim().is_empty() {
        return Ok(None);
    }

    let date = match element(story, "<DATE>", "</DATE>")? {
        None => None,
        Some(raw) => {
            let raw = decode_entities(&decode::latin1(raw));
            let raw = raw.trim();
            let day = raw.split_whitespace().next().unwrap_or("");
            Some(
                NaiveDate::parse_from_str(day, "%d-%b-%Y")
                    .map_err(|_| ReadErrorKind::InvalidDate(raw.to_string()))?,
            )
        }
    };
    let title = element(story, "<TITLE>", "</TITLE>")?
        .map(|t| {
            decode_entities(&decode::latin1(t))
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty());

    Ok(Some(Article {
        id,
        date,
        source: Some("Reuters".to_string()),
        title,
        url: None,
        fetched_url: None,
        extraction: Some(super::extraction::REUTERS_SGML.to_string()),
        page_spans: Vec::new(),
        text,
    }))
}

/// The value of attribute `name` (`NAME="value"`) in a tag.
fn attribute<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(i) = memmem::find(&tag[from..], name) {
        let at = from + i;
        from = at + name.len();
        let preceded_ok = at == 0 || tag[at - 1].is_ascii_whitespace();
        if !preceded_ok {
            continue;
        }
        let Some(value) = tag[from..].strip_prefix(b"=\"") else {
            continue;
        };
        let end = memchr::memchr(b'"', value)?;
        return Some(&value[..end]);
    }
    None
}

/// Decodes SGML character entities; control characters that entities stand
/// for (other than tab and line breaks) are dropped, unknown entities kept as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let window = &rest.as_bytes()[..rest.len().min(12)];
        let decoded = window
            .iter()
            .position(|&b| b == b';')
            .and_then(|semi| entity(&rest[1..semi]).map(|c| (c, semi)));
        match decoded {
            Some((c, semi)) => {
                if !c.is_control() || matches!(c, '\t' | '\n' | '\r') {
                    out.push(c);
                }
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity name (between `&` and `;`) stands for.
fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Removes the trailing wire signature (`Reuter`, `REUTER`, `Reuters...` on
/// its own last line, or ` REUTER` ending the last line) and trailing white space.
fn clean_body(body: &str) -> String {
    let text = body.trim_end();
    let line_start = text.rfind('\n').map_or(0, |i| i + 1);
    let last_line = &text[line_start..];
    let token_start = last_line.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let token = last_line[token_start..].trim_end_matches('.');
    let is_signature =
        token.eq_ignore_ascii_case("reuter") || token.eq_ignore_ascii_case("reuters");
    let alone = last_line[..token_start].trim().is_empty();
    let cut = if is_signature && alone {
        line_start
    } else if is_signature && token == "REUTER" {
        line_start + token_start
    } else {
        text.len()
    };
    text[..cut].trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(content: &[u8], opts: &ReadOptions) -> (Vec<ReadEvent>, SgmlStats) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.sgm");
        std::fs::write(&path, content).unwrap();
        let mut events = Vec::new();
        let stats = ReutersSgmlReader.read_file_with_stats(&path, opts, &mut |e| events.push(e));
        (events, stats)
    }

    fn lines(events: &[ReadEvent]) -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                ReadEvent::Article { article, location } => {
                    format!("{}@{:?}: {}", article.id, location.line, article.text)
                }
                ReadEvent::Warning(w) => format!("warning@{:?}: {:?}", w.location.line, w.kind),
                ReadEvent::Error(w) => format!("error@{:?}: {:?}", w.location.line, w.kind),
                ReadEvent::SkippedFile { .. } => "skipped".to_string(),
            })
            .collect()
    }

    #[test]
    fn stream_layouts() {
        let content = b"<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n\
<REUTERS NEWID=\"1\"><DATE>1-MAR-1987</DATE><BODY>one</BODY></REUTERS><REUTERS NEWID=\"2\">\n\
<BODY>two\nlines\n Reuter\n&#3;</BODY>\n\
</REUTERS>\n\
<REUTERS NEWID=\"3\"><DATE>1-MAR-1987</DATE><TEXT TYPE=\"BRIEF\"><TITLE>T</TITLE></TEXT></REUTERS>\n\
<REUTERS NEWID=\"4\"><BODY>not closed\n\
<REUTERS NEWID=\"5\"><DATE>2-MAR-1987</DATE><BODY>five</BODY>\n\
</REUTERS>\n\
<REUTERS NEWID=\"6\"><BODY>eof\n";
        let (events, stats) = read_str(content, &ReadOptions::default());
        assert_eq!(
            lines(&events),
            [
                "reuters-1@Some(2): one",
                "warning@Some(2): MissingDate",
                "reuters-2@Some(2): two\nlines",
                "error@Some(9): Sgml(\"<REUTERS> element not closed before the next one (line 10)\")",
                "reuters-5@Some(10): five",
                "error@Some(12): Sgml(\"<REUTERS> element not closed at end of file\")",
            ]
        );
        assert_eq!(
            stats,
            SgmlStats {
                stories: 6,
                articles: 3,
                without_body: 1,
                errors: 2
            }
        );
    }

    #[test]
    fn whole_file_problems() {
        let (events, _) = read_str(b"", &ReadOptions::default());
        assert_eq!(lines(&events), ["error@None: Empty"]);
        let (events, _) = read_str(b" \n\n", &ReadOptions::default());
        assert_eq!(lines(&events), ["error@None: Empty"]);
        let (events, _) = read_str(b"just some text\n", &ReadOptions::default());
        assert_eq!(
            lines(&events),
            ["error@None: Sgml(\"no <REUTERS> elements found\")"]
        );
        let (events, _) = read_str(b"<REUTERS NEWID=\"1\">\0", &ReadOptions::default());
        assert_eq!(lines(&events), ["error@None: Binary(19)"]);
    }

    #[test]
    fn oversized_story() {
        let opts = ReadOptions {
            max_article_bytes: 10,
            ..ReadOptions::default()
        };
        let content = b"<REUTERS NEWID=\"1\"><BODY>0123456789 too long</BODY></REUTERS>\n\
<REUTERS NEWID=\"2\"><DATE>1-MAR-1987</DATE><BODY>short</BODY></REUTERS>\n";
        let (events, _) = read_str(content, &opts);
        assert_eq!(
            lines(&events),
            [
                "error@Some(1): TooLarge { size: 19, limit: 10 }",
                "reuters-2@Some(2): short",
            ]
        );
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a &lt;SRD> &amp; b&#3;"), "a <SRD> & b");
        assert_eq!(decode_entities("x&#127;y &#9;&#65;&#x42;"), "xy \tAB");
        assert_eq!(
            decode_entities("AT&T &unknown; & &#99999999; &#;"),
            "AT&T &unknown; & &#99999999; &#;"
        );
        assert_eq!(decode_entities("é&"), "é&");
    }

    #[test]
    fn signatures() {
        assert_eq!(clean_body("Text here.\n Reuter\n"), "Text here.");
        assert_eq!(clean_body("Text here.\n\n REUTER...\r\n"), "Text here.");
        assert_eq!(clean_body("Text.\n reuters\n"), "Text.");
        assert_eq!(
            clean_body("LUIZ GONZAGA NIL. REUTER\n"),
            "LUIZ GONZAGA NIL."
        );
        assert_eq!(
            clean_body("The company told Reuters.\n"),
            "The company told Reuters."
        );
        assert_eq!(clean_body("  indented\nbody   \n  "), "  indented\nbody");
        assert_eq!(clean_body(" Reuter\n"), "");
        assert_eq!(clean_body("No signature.\n More\n"), "No signature.\n More");
    }

    #[test]
    fn attributes() {
        let tag = br#"<REUTERS TOPICS="YES" OLDID="5544" NEWID="1""#;
        assert_eq!(attribute(tag, b"NEWID"), Some(&b"1"[..]));
        assert_eq!(attribute(tag, b"OLDID"), Some(&b"5544"[..]));
        assert_eq!(attribute(br#"<REUTERS XNEWID="3""#, b"NEWID"), None);
    }

    #[test]
    fn story_parsing() {
        let story = b"<REUTERS NEWID=\"2\">\n<DATE> 5-MAR-1987 15:02:20.00&#9;&#9;F</DATE>\n<TEXT>&#2;\n<TITLE>STANDARD OIL &lt;SRD> TO\nFORM UNIT</TITLE>\n<BODY>Standard Oil &lt;SRD> said.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>";
        let a = parse_story(story, 1000).unwrap().unwrap();
        assert_eq!(a.id.as_str(), "reuters-2");
        assert_eq!(a.date, NaiveDate::from_ymd_opt(1987, 3, 5));
        assert_eq!(a.title.as_deref(), Some("STANDARD OIL <SRD> TO FORM UNIT"));
        assert_eq!(a.text, "Standard Oil <SRD> said.");
        assert_eq!(a.source.as_deref(), Some("Reuters"));
        assert!(matches!(
            parse_story(story, 10),
            Err(ReadErrorKind::TooLarge { .. })
        ));

        let brief = b"<REUTERS NEWID=\"30\">\n<DATE>26-FEB-1987 15:43:14.36</DATE><TEXT TYPE=\"BRIEF\">&#2;\n******<TITLE>ASSETS</TITLE>Blah blah blah.\n&#3;\n</TEXT>\n</REUTERS>";
        assert_eq!(parse_story(brief, 1000), Ok(None));

        let bad_date = b"<REUTERS NEWID=\"4\"><DATE>31-FOO-1987</DATE><BODY>x</BODY></REUTERS>";
        assert_eq!(
            parse_story(bad_date, 1000),
            Err(ReadErrorKind::InvalidDate("31-FOO-1987".into()))
        );
        let no_id = b"<REUTERS OLDID=\"4\"><BODY>x</BODY></REUTERS>";
        assert!(matches!(
            parse_story(no_id, 1000),
            Err(ReadErrorKind::Sgml(_))
        ));
        let unclosed = b"<REUTERS NEWID=\"4\"><BODY>x</REUTERS>";
        assert!(
            matches!(parse_story(unclosed, 1000), Err(ReadErrorKind::Sgml(m)) if m.contains("<BODY>"))
        );
    }
}
