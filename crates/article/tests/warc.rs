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

    // Its HTML record (whose URL holds spaces) declares 12 bytes more than
    // the file holds: the page is read as far as it goes, as warcio reads
    // it, after a warning naming the record.
    let events = read("example-space-in-url.arc");
    let [ReadEvent::Warning(w), ReadEvent::Article { article, location }] = events.as_slice()
    else {
        panic!("{events:?}")
    };
    assert_eq!(w.location.offset, Some(151));
    assert!(
        matches!(&w.kind, ReadErrorKind::Warc(m) if m.contains("truncated")
            && m.contains("read as far as it goes")),
        "{w}"
    );
    assert_eq!(location.offset, Some(151));
    assert_eq!(
        article.id.as_str(),
        "http://example.com/index.cfm?FuseAction=Email&EmailTitle=Examples From The Live Web&IsPopUp=False"
    );
    assert!(
        article.text.contains("illustrative examples"),
        "{}",
        article.text
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
    // 8 good pages, and the truncated page of example-space-in-url.arc.
    assert_eq!(articles(&events).len(), 9);
    assert_eq!(WarcReader.format(), Format::Warc);
}

/// A benchmark news page captured in a WARC written here: the HTTP response
/// chunked and gzip-encoded, the record gzipped, after a request record and
/// between two other members. The article must be the one the HTML reader
/// reads from the saved page, with the capture's URI as id.
#[test]
fn news_page_in_a_written_warc_reads_like_the_html_file() {
    use std::io::Write;
    use unspun_article::read::HtmlReader;

    let hash = "374ac9a59a85196cdacc1679fb8993521a7b7d9d6533720f102300be1c7face4";
    let page_path = data_dir("article-extraction-benchmark")
        .unwrap()
        .join(format!("html/{hash}.html.gz"));
    let mut html = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(&page_path).unwrap()),
        &mut html,
    )
    .unwrap();

    let gzip = |bytes: &[u8]| {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    };
    let uri = "https://www.cnbc.com/2019/11/20/emirates.html";
    let record = |kind: &str, content_type: &str, block: &[u8]| {
        let mut r = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
             WARC-Date: 2019-11-21T08:00:00Z\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        gzip(&r)
    };
    // The payload: gzip content encoding, sent in 1000-byte chunks.
    let encoded = gzip(&html);
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
        Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
        .to_vec();
    for chunk in encoded.chunks(1000) {
        http.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        http.extend_from_slice(chunk);
        http.extend_from_slice(b"\r\n");
    }
    http.extend_from_slice(b"0\r\n\r\n");

    let mut warc = record("warcinfo", "application/warc-fields", b"software: test\r\n");
    warc.extend(record(
        "request",
        "application/http; msgtype=request",
        b"GET / HTTP/1.1\r\n\r\n",
    ));
    let response_at = warc.len() as u64;
    warc.extend(record(
        "response",
        "application/http; msgtype=response",
        &http,
    ));
    warc.extend(record("metadata", "application/warc-fields", b"x: y\r\n"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("news.warc.gz");
    std::fs::write(&path, &warc).unwrap();

    let events = read_with(&WarcReader, &path, &ReadOptions::default());
    assert!(errors(&events).is_empty(), "{events:?}");
    let [ReadEvent::Article { article, location }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(location.offset, Some(response_at));
    let from_file = read_with(&HtmlReader, &page_path, &ReadOptions::default());
    let from_file = articles(&from_file)[0];
    assert_eq!(article.id.as_str(), uri);
    assert_eq!(article.text, from_file.text);
    assert_eq!(article.title, from_file.title);
    // The page's own date and canonical URL win over the capture's.
    assert_eq!(article.date, ymd(2019, 11, 20));
    assert_eq!(article.url, from_file.url);

    // A damaged member (bytes in the middle of its deflate stream zeroed)
    // is an error at its offset, and the next member is still read.
    let mut damaged = record("response", "application/http; msgtype=response", &http);
    let mid = damaged.len() / 2;
    damaged[mid..mid + 64].fill(0);
    let second_at = damaged.len() as u64;
    damaged.extend(record(
        "response",
        "application/http; msgtype=response",
        &http,
    ));
    std::fs::write(&path, &damaged).unwrap();
    let events = read_with(&WarcReader, &path, &ReadOptions::default());
    let errs = errors(&events);
    assert!(!errs.is_empty(), "{events:?}");
    assert!(
        errs.iter().all(|e| e.location.offset == Some(0)),
        "{errs:?}"
    );
    let arts: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            ReadEvent::Article { article, location } => Some((article, location.offset)),
            _ => None,
        })
        .collect();
    assert_eq!(arts.len(), 1, "{events:?}");
    assert_eq!(arts[0].1, Some(second_at));
    assert_eq!(arts[0].0.text, from_file.text);
}
