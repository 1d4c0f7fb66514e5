//! Every kind of bad input gives a clear error naming the file (and, for JSON
//! Lines, the line), and never stops the batch.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use unspun_article::read::{JsonlReader, ReadEvent, ReadOptions, ReutersSgmlReader, TextReader};
use unspun_article::ReadErrorKind;

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn text_error(content: &[u8], opts: &ReadOptions) -> ReadErrorKind {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "a.txt", content);
    let events = read_with(&TextReader, &path, opts);
    let err = single_error(&events);
    assert_eq!(err.location.path, path);
    assert_eq!(err.location.line, None);
    assert!(
        err.to_string().starts_with(&path.display().to_string()),
        "{err}"
    );
    err.kind.clone()
}

#[test]
fn text_invalid_utf8() {
    let kind = text_error(
        b"date 2025-01-01 Hello\nworld \xff\xfe\n",
        &ReadOptions::default(),
    );
    assert_eq!(
        kind,
        ReadErrorKind::InvalidUtf8 {
            offset: 28,
            line: 2
        }
    );
}

#[test]
fn text_latin1_fallback_warns() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "a.txt",
        b"date 2025-01-01 \x93Quoted\x94 caf\xe9\n",
    );
    let opts = ReadOptions {
        latin1_fallback: true,
        ..ReadOptions::default()
    };
    let events = read_with(&TextReader, &path, &opts);
    let [ReadEvent::Warning(w), ReadEvent::Article { article, .. }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        w.kind,
        ReadErrorKind::DecodedAsLatin1 {
            offset: 16,
            line: 1
        }
    );
    assert_eq!(w.location.path, path);
    assert!(w.to_string().contains("Latin-1"), "{w}");
    assert_eq!(article.text, "\u{201C}Quoted\u{201D} café\n");
}

#[test]
fn text_empty_and_blank() {
    let opts = ReadOptions::default();
    assert_eq!(text_error(b"", &opts), ReadErrorKind::Empty);
    assert_eq!(text_error(b"  \n\t\r\n", &opts), ReadErrorKind::Empty);
    assert_eq!(
        text_error(b" date 2025-04-26 [Source: Reuters]\n\n", &opts),
        ReadErrorKind::Empty
    );
}

#[test]
fn text_binary() {
    let opts = ReadOptions::default();
    assert_eq!(text_error(b"abc\0def", &opts), ReadErrorKind::Binary(3));
    let mut late = vec![b'a'; 20_000];
    late[15_000] = 0;
    assert_eq!(text_error(&late, &opts), ReadErrorKind::Binary(15_000));
}

#[test]
fn text_too_large() {
    let opts = ReadOptions {
        max_article_bytes: 10,
        ..ReadOptions::default()
    };
    assert_eq!(
        text_error(&[b'x'; 100], &opts),
        ReadErrorKind::TooLarge {
            size: 100,
            limit: 10
        }
    );
    // Exactly at the limit is fine.
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "ok.txt", b"date 2025-01-01 x");
    let opts = ReadOptions {
        max_article_bytes: 17,
        ..ReadOptions::default()
    };
    assert_eq!(articles(&read_with(&TextReader, &path, &opts)).len(), 1);
}

#[test]
fn text_dates() {
    let opts = ReadOptions::default();
    assert_eq!(
        text_error(b" date 2025-13-45 Text.", &opts),
        ReadErrorKind::InvalidDate("2025-13-45".into())
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "nodate.txt", b"Just text.\n");
    let events = read_with(&TextReader, &path, &opts);
    let [ReadEvent::Warning(w), ReadEvent::Article { article, .. }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(w.kind, ReadErrorKind::MissingDate);
    assert_eq!(w.location.path, path);
    assert_eq!(article.text, "Just text.\n");
    assert_eq!(article.date, None);
}

#[test]
fn text_invalid_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), " padded.txt", b"date 2025-01-01 Text");
    let events = read_with(&TextReader, &path, &ReadOptions::default());
    assert!(
        matches!(&single_error(&events).kind, ReadErrorKind::InvalidId(m) if m.contains("white space"))
    );
}

#[test]
fn missing_and_unreadable_paths() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.txt");
    for reader in [
        &TextReader as &dyn unspun_article::read::ArticleReader,
        &JsonlReader,
        &ReutersSgmlReader,
    ] {
        let events = read_with(reader, &missing, &ReadOptions::default());
        let err = single_error(&events);
        assert!(matches!(err.kind, ReadErrorKind::Io(_)), "{err}");
        assert_eq!(err.location.path, missing);
        // A directory is not a file.
        let events = read_with(reader, dir.path(), &ReadOptions::default());
        assert!(matches!(single_error(&events).kind, ReadErrorKind::Io(_)));
    }
    // read_paths reports the missing path and goes on.
    let ok = write(dir.path(), "ok.txt", b"date 2025-01-01 fine");
    let events = read_all(&[missing.clone(), ok], &ReadOptions::default());
    assert_eq!(errors(&events).len(), 1);
    assert_eq!(errors(&events)[0].location.path, missing);
    assert_eq!(articles(&events).len(), 1);
}

#[test]
fn jsonl_bad_lines_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let long_text = "y".repeat(500);
    let content = format!(
        concat!(
            "{{\"id\":\"a\",\"text\":\"fine\",\"date\":\"2025-04-26\"}}\n", // 1
            "{{\"id\":\"b\",\"text\":\"no date\"}}\n",                      // 2
            "\n",                                                           // 3
            "garbage\n",                                                    // 4
            "{{\"text\":\"no id\"}}\n",                                     // 5
            "{{\"id\":\"c\"}}\n",                                           // 6
            "{{\"id\":\"\",\"text\":\"x\"}}\n",                             // 7
            "{{\"id\":\"d\",\"text\":\"x\",\"date\":\"2025-13-45\"}}\n",    // 8
            "{{\"id\":\"e\",\"text\":\"{}\"}}\n",                           // 9: too large
            "{{\"id\":\"f\",\"text\":\"\"}}\n",                             // 10
            "{{\"id\":\"g\",\"text\":\"caf\u{e9}\",\"date\":\"2025-04-26T09:00:00Z\"}}\n", // 11
        ),
        long_text
    );
    let mut bytes = content.into_bytes();
    bytes.extend_from_slice(b"{\"id\":\"h\",\"text\":\"\xff\"}\n"); // 12
    let path = write(dir.path(), "corpus.jsonl", &bytes);
    let opts = ReadOptions {
        max_article_bytes: 200,
        ..ReadOptions::default()
    };
    let events = read_with(&JsonlReader, &path, &opts);

    let ids: Vec<_> = articles(&events).iter().map(|a| a.id.to_string()).collect();
    assert_eq!(ids, ["a", "b", "g"]);
    let warns = warnings(&events);
    assert_eq!(warns.len(), 1);
    assert_eq!(warns[0].kind, ReadErrorKind::MissingDate);
    assert_eq!(warns[0].location.line, Some(2));

    let errs: Vec<_> = errors(&events)
        .into_iter()
        .map(|e| {
            assert_eq!(e.location.path, path);
            (e.location.line.unwrap(), e.kind.clone())
        })
        .collect();
    assert_eq!(errs.len(), 8, "{errs:?}");
    assert_eq!(errs[0].0, 4);
    assert!(
        matches!(&errs[0].1, ReadErrorKind::Json(m) if m.starts_with("expected value")),
        "{:?}",
        errs[0]
    );
    assert!(matches!(&errs[1], (5, ReadErrorKind::Json(m)) if m.contains("missing field `id`")));
    assert!(matches!(&errs[2], (6, ReadErrorKind::Json(m)) if m.contains("missing field `text`")));
    assert!(matches!(&errs[3], (7, ReadErrorKind::InvalidId(_))));
    assert_eq!(
        errs[4],
        (8, ReadErrorKind::InvalidDate("2025-13-45".into()))
    );
    assert!(
        matches!(
            errs[5],
            (
                9,
                ReadErrorKind::TooLarge {
                    size: 520,
                    limit: 200
                }
            )
        ),
        "{:?}",
        errs[5]
    );
    assert_eq!(errs[6], (10, ReadErrorKind::Empty));
    assert!(matches!(
        errs[7],
        (12, ReadErrorKind::InvalidUtf8 { line: 12, .. })
    ));

    let shown = errors(&events)[0].to_string();
    assert_eq!(
        shown,
        format!(
            "{}:4: malformed JSON: expected value at column 1",
            path.display()
        )
    );
}

#[test]
fn jsonl_binary_and_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    let bin = write(dir.path(), "bin.jsonl", b"\x00\x01\x02garbage\n{}\n");
    let err = single_error(&read_with(&JsonlReader, &bin, &ReadOptions::default())).clone();
    assert_eq!(err.kind, ReadErrorKind::Binary(0));
    assert_eq!(err.location.path, bin);
    let empty = write(dir.path(), "empty.jsonl", b"\n\n   \n");
    let err = single_error(&read_with(&JsonlReader, &empty, &ReadOptions::default())).clone();
    assert_eq!(err.kind, ReadErrorKind::Empty);
}

#[test]
fn sgml_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.sgm", b"");
    let err = single_error(&read_with(
        &ReutersSgmlReader,
        &empty,
        &ReadOptions::default(),
    ))
    .clone();
    assert_eq!(err.kind, ReadErrorKind::Empty);
    let junk = write(dir.path(), "junk.sgm", b"<html>not reuters</html>\n");
    let err = single_error(&read_with(
        &ReutersSgmlReader,
        &junk,
        &ReadOptions::default(),
    ))
    .clone();
    assert!(matches!(err.kind, ReadErrorKind::Sgml(_)));
    assert_eq!(err.location.path, junk);
    let bad_date = write(
        dir.path(),
        "bad.sgm",
        b"\n\n<REUTERS NEWID=\"9\">\n<DATE>40-FEB-1987 10:00:00.00</DATE>\n<BODY>x</BODY>\n</REUTERS>\n",
    );
    let err = single_error(&read_with(
        &ReutersSgmlReader,
        &bad_date,
        &ReadOptions::default(),
    ))
    .clone();
    assert_eq!(
        err.kind,
        ReadErrorKind::InvalidDate("40-FEB-1987 10:00:00.00".into())
    );
    assert_eq!(err.location.line, Some(3));
}
