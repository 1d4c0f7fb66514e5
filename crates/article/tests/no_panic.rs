//! Property tests: no reader panics on any input, and every error names the file.

use std::path::Path;

use proptest::prelude::*;
use unspun_article::read::{
    ArticleReader, FeedReader, Format, HtmlReader, JsonlReader, ReadEvent, ReadOptions,
    ReutersSgmlReader, TextReader, WarcReader,
};

/// Reads `bytes` with every reader, under several options, checking the events.
fn read_everything(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input");
    std::fs::write(&path, bytes).unwrap();
    let readers: [&dyn ArticleReader; 6] = [
        &TextReader,
        &JsonlReader,
        &ReutersSgmlReader,
        &HtmlReader,
        &WarcReader,
        &FeedReader,
    ];
    for reader in readers {
        for (latin1_fallback, max_article_bytes) in [(false, 1 << 20), (true, 1 << 20), (true, 16)]
        {
            let opts = ReadOptions {
                latin1_fallback,
                max_article_bytes,
                ..ReadOptions::default()
            };
            let mut n = 0;
            reader.read_file(&path, &opts, &mut |e| {
                n += 1;
                check(&e, &path);
            });
            // SGML stories without a body, WARC records that hold no HTML
            // page and feeds without entries are skipped silently; the
            // others always report something.
            if !matches!(
                reader.format(),
                Format::ReutersSgml | Format::Warc | Format::Feed
            ) {
                assert!(n > 0, "a reader must say something about every file");
            }
        }
    }
}

fn check(event: &ReadEvent, path: &Path) {
    match event {
        ReadEvent::Article { article, location } => {
            assert_eq!(location.path, path);
            assert!(!article.text.trim().is_empty());
        }
        ReadEvent::Warning(e) | ReadEvent::Error(e) => {
            assert_eq!(e.location.path, path);
            let _ = e.to_string();
        }
        ReadEvent::SkippedFile { .. } => panic!("readers do not skip files"),
    }
}

/// Fragments that steer random input into the parsers' interesting paths.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"<REUTERS NEWID=\"1\">".to_vec()),
        Just(b"<REUTERS".to_vec()),
        Just(b"</REUTERS>".to_vec()),
        Just(b"<BODY>".to_vec()),
        Just(b"</BODY>".to_vec()),
        Just(b"<DATE>26-FEB-1987 15:01:01.79</DATE>".to_vec()),
        Just(b"<TITLE>".to_vec()),
        Just(b"&#3;".to_vec()),
        Just(b"&#".to_vec()),
        Just(b"&lt;".to_vec()),
        Just(b" Reuter\n".to_vec()),
        Just(b" date 2025-04-26 ".to_vec()),
        Just(b"date 9".to_vec()),
        Just(b"[Source: X]".to_vec()),
        Just(b"[Source:".to_vec()),
        Just(b"{\"id\":\"a\",\"text\":\"t\"}".to_vec()),
        Just(b"\"date\":\"2025-04-26\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
        Just("é€".as_bytes().to_vec()),
        Just(b"WARC/1.0\r\n".to_vec()),
        Just(b"WARC-Type: response\r\n".to_vec()),
        Just(b"WARC-Target-URI: http://x.test/a\r\n".to_vec()),
        Just(b"Content-Type: application/http; msgtype=response\r\n".to_vec()),
        Just(b"Content-Length: 40\r\n".to_vec()),
        Just(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n".to_vec()),
        Just(b"Transfer-Encoding: chunked\r\n\r\n5\r\n".to_vec()),
        Just(b"http://x.test/ 1.2.3.4 20140216050221 text/html 12\n".to_vec()),
        Just(b"\x1f\x8b\x08".to_vec()),
        Just(b"<html><head><meta charset=latin1><title>T</title></head>".to_vec()),
        Just(b"<p>Words and more words in a paragraph of an article body.</p>".to_vec()),
        Just(b"<time datetime=\"2024-13-01\">".to_vec()),
        Just(b"<rss version=\"2.0\"><channel><item><guid>g1</guid>".to_vec()),
        Just(b"<content:encoded><![CDATA[<p>Text".to_vec()),
        Just(b"</item></channel></rss>".to_vec()),
        Just(b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>e</id>".to_vec()),
        Just(b"<content type=\"html\">&lt;p&gt;".to_vec()),
        Just(b"</entry></feed>".to_vec()),
        prop::collection::vec(any::<u8>(), 0..8),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        read_everything(&bytes);
    }

    #[test]
    fn structured_noise_never_panics(parts in prop::collection::vec(fragment(), 0..40)) {
        read_everything(&parts.concat());
    }
}
