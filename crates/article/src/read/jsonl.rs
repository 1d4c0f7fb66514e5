//! JSON Lines reader: one article per line, streamed with a per-line size cap
//! so corpora of any size can be read in constant memory.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;

use super::decode::{self, find_nul};
use super::{
    error, io_kind, parse_iso_date, read_line_capped, ArticleReader, Format, ReadEvent, ReadOptions,
};
use crate::{Article, ArticleId, Location, ReadErrorKind};

/// A NUL byte this close to the start of a file marks the whole file as binary.
const BINARY_SNIFF_BYTES: u64 = 8 * 1024;

/// Reads JSON Lines files: one JSON object per line.
///
/// Fields: `id` (string; an integer is accepted and used in decimal), `text`
/// (string), and optionally `date` (`YYYY-MM-DD` or an RFC 3339 date-time, whose
/// date as written is taken), `source`, `title`, `url`. Other fields are
/// ignored; blank lines are skipped. Each bad line is one
/// [`ReadEvent::Error`] carrying the file and the 1-based line number, and
/// reading goes on with the next line. An absent, null or blank `date` gives
/// a [`ReadErrorKind::MissingDate`] warning before the article; an invalid one
/// rejects the line. Lines longer than [`ReadOptions::max_article_bytes`] are
/// rejected without being held in memory. A NUL byte in the first 8 KiB rejects
/// the whole file as binary; a file with no records at all is
/// [`ReadErrorKind::Empty`].
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonlReader;

/// One JSON Lines record, as written.
#[derive(Deserialize)]
struct JsonArticle {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

impl ArticleReader for JsonlReader {
    fn format(&self) -> Format {
        Format::Jsonl
    }

    fn read_file(&self, path: &Path, opts: &ReadOptions, emit: &mut dyn FnMut(ReadEvent)) {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return emit(ReadEvent::Error(error(path, None, io_kind(&e)))),
        };
        match file.metadata() {
            Ok(m) if m.is_dir() => {
                let kind = ReadErrorKind::Io("is a directory".to_string());
                return emit(ReadEvent::Error(error(path, None, kind)));
            }
            _ => {}
        }
        read_lines(path, BufReader::with_capacity(64 * 1024, file), opts, emit);
    }
}

/// Reads records from `reader`, reporting them against `path`.
fn read_lines(
    path: &Path,
    mut reader: impl BufRead,
    opts: &ReadOptions,
    emit: &mut dyn FnMut(ReadEvent),
) {
    let limit = opts.max_article_bytes;
    let cap = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut line_start = 0u64;
    let mut records = 0usize;
    loop {
        line_no += 1;
        let size = match read_line_capped(&mut reader, &mut buf, cap) {
            Ok(Some(size)) => size,
            Ok(None) => break,
            Err(e) => return emit(ReadEvent::Error(error(path, Some(line_no), io_kind(&e)))),
        };
        let offset = line_start;
        line_start += size + 1;
        let fail = |kind| ReadEvent::Error(error(path, Some(line_no), kind));
        if size > limit {
            records += 1;
            emit(fail(ReadErrorKind::TooLarge { size, limit }));
            continue;
        }
        if let Some(at) = find_nul(&buf) {
            let at_file = offset + at as u64;
            let kind = ReadErrorKind::Binary(usize::try_from(at_file).unwrap_or(usize::MAX));
            if at_file < BINARY_SNIFF_BYTES {
                return emit(ReadEvent::Error(error(path, None, kind)));
            }
            records += 1;
            emit(fail(kind));
            continue;
        }
        let (line, fallback) = match decode::decode(&buf, opts.latin1_fallback) {
            Ok(decoded) => decoded,
            Err(issue) => {
                records += 1;
                emit(fail(ReadErrorKind::InvalidUtf8 {
                    offset: usize::try_from(offset).unwrap_or(usize::MAX) + issue.offset,
                    line: line_no,
                }));
                continue;
            }
        };
        let line = if line_no == 1 {
            line.strip_prefix('\u{feff}').unwrap_or(&line)
        } else {
            &line
        };
        if line.trim().is_empty() {
            continue;
        }
        records += 1;
        let article = match parse_record(line) {
            Ok(article) => article,
            Err(kind) => {
                emit(fail(kind));
                continue;
            }
        };
        if let Some(issue) = fallback {
            let kind = ReadErrorKind::DecodedAsLatin1 {
                offset: usize::try_from(offset).unwrap_or(usize::MAX) + issue.offset,
                line: line_no,
            };
            emit(ReadEvent::Warning(error(path, Some(line_no), kind)));
        }
        if article.date.is_none() {
            let kind = ReadErrorKind::MissingDate;
            emit(ReadEvent::Warning(error(path, Some(line_no), kind)));
        }
        emit(ReadEvent::Article {
            article,
            location: Location {
                path: path.to_path_buf(),
                line: Some(line_no),
                offset: None,
            },
        });
    }
    if records == 0 {
        emit(ReadEvent::Error(error(path, None, ReadErrorKind::Empty)));
    }
}

/// Turns one non-blank line into an article.
fn parse_record(line: &str) -> Result<Article, ReadErrorKind> {
    let rec: JsonArticle =
        serde_json::from_str(line).map_err(|e| ReadErrorKind::Json(json_message(&e)))?;
    let id = match rec.id {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
        other => {
            return Err(ReadErrorKind::Json(format!(
                "field `id` must be a string, found {}",
                json_type(&other)
            )))
        }
    };
    let id = ArticleId::new(id.as_str())
        .map_err(|e| ReadErrorKind::InvalidId(format!("{e} ({id:?})")))?;
    if rec.text.trim().is_empty() {
        return Err(ReadErrorKind::Empty);
    }
    let date = match rec.date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => {
            Some(parse_iso_date(s).ok_or_else(|| ReadErrorKind::InvalidDate(s.to_string()))?)
        }
    };
    let non_blank = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    Ok(Article {
        id,
        date,
        source: non_blank(rec.source),
        title: non_blank(rec.title),
        url: non_blank(rec.url),
        fetched_url: None,
        extraction: Some(super::extraction::JSON_LINES.to_string()),
        page_spans: Vec::new(),
        text: rec.text,
    })
}

/// serde's message, with its "at line 1 column N" (always line 1 within one
/// record) turned into "at column N".
fn json_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match msg.strip_suffix(&suffix) {
        Some(head) if e.column() > 0 => format!("{head} at column {}", e.column()),
        Some(head) => head.to_string(),
        None => msg,
    }
}

/// The JSON type name of `v`, for messages.
fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a non-integer number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], opts: &ReadOptions) -> Vec<ReadEvent> {
        let mut events = Vec::new();
        // A tiny buffer exercises lines spanning several refills.
        let reader = BufReader::with_capacity(7, input);
        read_lines(Path::new("t.jsonl"), reader, opts, &mut |e| events.push(e));
        events
    }

    fn kinds(events: &[ReadEvent]) -> Vec<(String, Option<usize>)> {
        events
            .iter()
            .map(|e| match e {
                ReadEvent::Article { article, location } => {
                    (format!("article {}", article.id), location.line)
                }
                ReadEvent::Warning(w) => (format!("warning {:?}", w.kind), w.location.line),
                ReadEvent::Error(w) => (format!("error {:?}", w.kind), w.location.line),
                ReadEvent::SkippedFile { reason, .. } => (format!("skipped {reason}"), None),
            })
            .collect()
    }

    #[test]
    fn good_records_and_blank_lines() {
        let input = concat!(
            "{\"id\":\"a\",\"text\":\"Alpha.\",\"date\":\"2025-04-26\",\"source\":\"Reuters\",\"title\":\"T\",\"url\":\"http://x\",\"extra\":1}\n",
            "\n",
            "   \r\n",
            "{\"id\":7,\"text\":\"Beta.\",\"date\":\"2025-04-26T23:30:00-05:00\"}\r\n",
            "{\"id\":\"c\",\"text\":\"Gamma.\",\"date\":null}",
        );
        let events = read(input.as_bytes(), &ReadOptions::default());
        assert_eq!(
            kinds(&events),
            vec![
                ("article a".into(), Some(1)),
                ("article 7".into(), Some(4)),
                ("warning MissingDate".into(), Some(5)),
                ("article c".into(), Some(5)),
            ]
        );
        let ReadEvent::Article { article, .. } = &events[0] else {
            panic!()
        };
        assert_eq!(article.source.as_deref(), Some("Reuters"));
        assert_eq!(article.title.as_deref(), Some("T"));
        assert_eq!(article.url.as_deref(), Some("http://x"));
        assert_eq!(article.date, chrono::NaiveDate::from_ymd_opt(2025, 4, 26));
        let ReadEvent::Article { article, .. } = &events[1] else {
            panic!()
        };
        assert_eq!(article.date, chrono::NaiveDate::from_ymd_opt(2025, 4, 26));
    }

    #[test]
    fn bad_lines_do_not_stop_the_file() {
        let input = concat!(
            "{\"id\":\"a\",\"text\":\"ok\",\"date\":\"2025-01-01\"}\n",
            "{\"id\":\"b\",\"text\":\n",
            "{\"text\":\"no id\"}\n",
            "{\"id\":\"d\"}\n",
            "{\"id\":\"\",\"text\":\"empty id\"}\n",
            "{\"id\":\"f\",\"text\":\"  \"}\n",
            "{\"id\":\"g\",\"text\":\"x\",\"date\":\"2025-13-45\"}\n",
            "{\"id\":null,\"text\":\"x\"}\n",
            "[1,2]\n",
            "{\"id\":\"j\",\"text\":\"last\",\"date\":\"2025-01-01\"}\n",
        );
        let events = read(input.as_bytes(), &ReadOptions::default());
        let k = kinds(&events);
        assert_eq!(k.len(), 10, "{k:?}");
        assert_eq!(k[0], ("article a".into(), Some(1)));
        assert!(
            k[1].0.starts_with("error Json(\"EOF while parsing"),
            "{:?}",
            k[1]
        );
        assert_eq!(k[1].1, Some(2));
        assert!(k[2].0.contains("missing field `id`"), "{:?}", k[2]);
        assert!(k[3].0.contains("missing field `text`"), "{:?}", k[3]);
        assert!(k[4].0.starts_with("error InvalidId"), "{:?}", k[4]);
        assert_eq!(k[5], ("error Empty".into(), Some(6)));
        assert_eq!(k[6], ("error InvalidDate(\"2025-13-45\")".into(), Some(7)));
        assert!(
            k[7].0.contains("`id` must be a string, found null"),
            "{:?}",
            k[7]
        );
        assert!(k[8].0.starts_with("error Json"), "{:?}", k[8]);
        assert_eq!(k[9], ("article j".into(), Some(10)));
        for (i, e) in events.iter().enumerate().skip(1).take(8) {
            let ReadEvent::Error(e) = e else {
                panic!("{e:?}")
            };
            assert_eq!(e.location.line, Some(i + 1));
            assert_eq!(e.location.path, Path::new("t.jsonl"));
        }
    }

    #[test]
    fn json_message_has_no_misleading_line() {
        let events = read(b"{\"id\":\"a\",\"text\":\"x\"\n", &ReadOptions::default());
        let ReadEvent::Error(e) = &events[0] else {
            panic!()
        };
        let ReadErrorKind::Json(msg) = &e.kind else {
            panic!()
        };
        assert!(!msg.contains("line 1"), "{msg}");
        assert!(
            e.to_string()
                .starts_with("t.jsonl:1: malformed JSON: EOF while parsing"),
            "{e}"
        );
    }

    #[test]
    fn too_long_line_is_skipped() {
        let long = format!("{{\"id\":\"a\",\"text\":\"{}\"}}", "x".repeat(100));
        let input = format!("{long}\n{{\"id\":\"b\",\"text\":\"short\"}}\n");
        let opts = ReadOptions {
            max_article_bytes: 50,
            ..ReadOptions::default()
        };
        let k = kinds(&read(input.as_bytes(), &opts));
        assert_eq!(
            k,
            vec![
                (
                    format!("error TooLarge {{ size: {}, limit: 50 }}", long.len()),
                    Some(1)
                ),
                ("warning MissingDate".into(), Some(2)),
                ("article b".into(), Some(2)),
            ]
        );
    }

    #[test]
    fn invalid_utf8_and_fallback() {
        let input = b"{\"id\":\"a\",\"text\":\"ok\",\"date\":\"2025-01-01\"}\n{\"id\":\"b\",\"text\":\"\xa3600m\",\"date\":\"2025-01-01\"}\n";
        let at = input.iter().position(|&b| b == 0xa3).unwrap();
        assert_eq!(at, 61);
        let k = kinds(&read(input, &ReadOptions::default()));
        assert_eq!(
            k[1],
            ("error InvalidUtf8 { offset: 61, line: 2 }".into(), Some(2))
        );
        let opts = ReadOptions {
            latin1_fallback: true,
            ..ReadOptions::default()
        };
        let events = read(input, &opts);
        let k = kinds(&events);
        assert_eq!(
            k[1],
            (
                "warning DecodedAsLatin1 { offset: 61, line: 2 }".into(),
                Some(2)
            )
        );
        let ReadEvent::Article { article, .. } = &events[2] else {
            panic!()
        };
        assert_eq!(article.text, "£600m");
    }

    #[test]
    fn binary_and_empty() {
        let k = kinds(&read(b"{\"id\":\"a\",\0}\n{}", &ReadOptions::default()));
        assert_eq!(k, vec![("error Binary(10)".into(), None)]);
        let mut late = format!(
            "{}\n",
            "{\"id\":\"a\",\"text\":\"x\",\"date\":\"2025-01-01\"}\n".repeat(300)
        )
        .into_bytes();
        late.extend_from_slice(
            b"{\"id\":\0}\n{\"id\":\"z\",\"text\":\"x\",\"date\":\"2025-01-01\"}\n",
        );
        let k = kinds(&read(&late, &ReadOptions::default()));
        assert_eq!(k.len(), 302);
        assert!(k[300].0.starts_with("error Binary("), "{:?}", k[300]);
        assert_eq!(k[300].1, Some(302));
        assert_eq!(k[301], ("article z".into(), Some(303)));
        assert_eq!(
            kinds(&read(b"", &ReadOptions::default())),
            vec![("error Empty".into(), None)]
        );
        assert_eq!(
            kinds(&read(b"\n \n\t\n", &ReadOptions::default())),
            vec![("error Empty".into(), None)]
        );
    }
}
