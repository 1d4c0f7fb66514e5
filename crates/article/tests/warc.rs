//! The WARC/ARC reader on warcio's test files (good and broken): each good
//! file gives its captured HTML pages as articles, each broken one errors
//! naming the byte offset of the bad record, and none panics.

mod common;

use std::path::PathBuf;

use chrono::NaiveDate;
use common::*;
use unspun_article::read::{ArticleReader, Format, ReadEvent, ReadOptions, WarcReader};
use unspun_article::ReadErrorKind;

fn file(name: &str) -> PathBuf {
    data_dir("warcio-test-data").unwrap().join(name)
}

/// Reads `name`, checking that every event names the file and a record offset.
fn read(name: &str) -> Vec<ReadEvent> {
    let path = file(name);
    let events = read_with(&WarcReader, &path, &ReadOptions::default());
    for e in &events {
        let location = match e {
            ReadEvent::Article { location, .. } => location,
            ReadEvent::Warning(e) | ReadEvent::Error(e) => &e.location,
            ReadEvent::SkippedFile { .. } => panic!("{e:?}"),
        };
        assert_eq!(location.path, path);
        assert!(location.offset.is_some(), "{name}: {e:?}");
    }
    events
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The one example.com page of `name`, captured on `date`, at record `offset`.
fn example_page(name: &str, date: Option<NaiveDate>, offset: u64) {
    let events = read(name);
    assert!(errors(&events).is_empty(), "{name}: {events:?}");
    let [ReadEvent::Article { article, location }] = events.as_slice() else {
        panic!("{name}: {events:?}")
    };
    assert_eq!(article.id.as_str(), "http://example.com/", "{name}");
    assert_eq!(article.url.as_deref(), Some("http://example.com/"));
    assert_eq!(article.title.as_deref(), Some("Example Domain"));
    assert_eq!(article.source.as_deref(), Some("example.com"));
    // The page has no date of its own: the capture date stands in.
    assert_eq!(article.date, date, "{name}");
    assert!(
        article
            .text
            .starts_with("This domain is established to be used for illustrative examples"),
        "{name}: {}",
        article.text
    );
    assert_eq!(location.offset, Some(offset), "{name}");
}

#[test]
fn good_warc_and_arc_files() {
    // Uncompressed: the response record's own offset; gzipped: its member's.
    let warc_response = {
        let raw = std::fs::read(file("example.warc")).unwrap();
        let at = raw
            .windows(14)
            .position(|w| w == b"WARC-Type: res")
            .unwrap();
        raw[..at]
            .windows(9)
            .rposition(|w| w == b"WARC/1.0\r")
            .unwrap() as u64
    };
    assert!(warc_response > 0);
    example_page("example.warc", ymd(2017, 3, 6), warc_response);
    example_page("example.warc.gz", ymd(2017, 3, 6), 784);
    example_page("example-resource.warc.gz", ymd(2017, 4, 29), 802);
    example_page("example-wget-bad-target-uri.warc.gz", ymd(2018, 2, 9), 824);
    example_page("example-bad-non-chunked.warc.gz", ymd(2017, 3, 6), 0);
    example_page("example.arc", ymd(2014, 2, 16), 151);
    example_page("example.arc.gz", ymd(2014, 2, 16), 171);
}

#[test]
fn example_arc_offset_is_the_record_line() {
    // The ARC record follows the 75-byte file description block.
    let raw = std::fs::read(file("example.arc")).unwrap();
    let at = raw
        .windows(20)
        .position(|w| w == b"http://example.com/ ")
        .unwrap() as u64;
    let events = read("example.arc");
    let [ReadEvent::Article { location, .. }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(location.offset, Some(at));
}

#[test]
fn chunked_response() {
    let events = read("example-iana.org-chunked.warc");
    assert!(errors(&events).is_empty(), "{events:?}");
    let arts = articles(&events);
    let [article] = arts.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(article.id.as_str(), "http://www.iana.org/");
    assert_eq!(article.source.as_deref(), Some("iana.org"));
    assert!(
        article.text.contains("Management of the DNS Root Zone"),
        "{}",
        article.text
    );
    assert_eq!(
        article.title.as_deref(),
        Some("Internet Assigned Numbers Authority")
    );
    assert!(article.text.split_whitespace().count() > 100);
    // Dechunked: no chunk-size lines left in the text.
    assert!(!article.text.lines().any(|l| l.trim() == "0"));
}

#[test]
fn files_without_html_pages_give_nothing() {
    for name in [
        "example-digest.warc",
        "post-test.warc.gz",
        "example-space-in-target-uri.warc.gz",
    ] {
        let events = read(name);
        assert!(events.is_empty(), "{name}: {events:?}");
    }
}

#[test]
fn broken_files_name_the_offset() {
    // The first line of bad.arc is a file description with length -1.
    let events = read("bad.arc");
    let [ReadEvent::Error(e)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(e.location.offset, Some(0));
    assert!(e.to_string().contains("bad length"), "{e}");
    assert!(e.to_string().contains("(record at byte 0)"), "{e}");

    // Its HTML record declares 12 bytes more than the file holds.
    let events = read("example-space-in-url.arc");
    let [ReadEvent::Error(e)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(e.location.offset, Some(151));
    assert!(
        matches!(&e.kind, ReadErrorKind::Warc(m) if m.contains("truncated")),
        "{e}"
    );

    // Truncated inside the gzip-encoded payload of the response.
    let events = read("example-trunc.warc");
    assert!(articles(&events).is_empty(), "{events:?}");
    let first = errors(&events)[0];
    assert!(first.to_string().contains("gzip"), "{first}");
    assert!(first.location.offset.unwrap() > 0);

    // A record split across gzip members: the first member is cut short, and
    // the next starts in the middle of the page.
    let events = read("example-wrong-chunks.warc.gz");
    assert!(articles(&events).is_empty(), "{events:?}");
    let errs = errors(&events);
    assert!(errs[0].to_string().contains("truncated"), "{}", errs[0]);
    assert!(errs.len() >= 2);
}

#[test]
fn explicit_warc_format_reads_any_name() {
    // example-bad.warc.gz.bad: a gzipped WARC whose name has no known extension.
    let path = file("example-bad.warc.gz.bad");
    assert_eq!(Format::from_path(&path), None);
    let opts = ReadOptions {
        format: Format::Warc,
        ..ReadOptions::default()
    };
    let events = read_all(&[path], &opts);
    let arts = articles(&events);
    assert_eq!(arts.len(), 1, "{events:?}");
    assert_eq!(arts[0].id.as_str(), "http://example.com?example=1");
}

#[test]
fn every_file_of_the_directory_is_read_without_panic() {
    let dir = data_dir("warcio-test-data").unwrap();
    let events = read_all(&[dir], &ReadOptions::default());
    // LICENSE and README are skipped; .bad has no known extension.
    let skipped = events
        .iter()
        .filter(|e| matches!(e, ReadEvent::SkippedFile { .. }))
        .count();
    assert_eq!(skipped, 3, "{events:?}");
    assert_eq!(articles(&events).len(), 8);
    assert_eq!(WarcReader.format(), Format::Warc);
}
