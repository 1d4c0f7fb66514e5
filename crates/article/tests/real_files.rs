//! Readers on real files: the bundled seeds, the BBC corpus and Reuters-21578
//! (the last two only where the shared data sets are present).

mod common;

use std::path::PathBuf;

use chrono::NaiveDate;
use common::*;
use unspun_article::read::{
    ArticleReader, Format, ReadEvent, ReadOptions, ReutersSgmlReader, TextReader,
};
use unspun_article::ReadErrorKind;

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn seed_000_header_with_text_on_the_same_line() {
    let path = seeds_dir().join("000_8f16aa07f174a1e7.txt");
    let events = read_with(&TextReader, &path, &ReadOptions::default());
    let [ReadEvent::Article { article, location }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(article.id.as_str(), "000_8f16aa07f174a1e7");
    assert_eq!(article.date, ymd(2025, 4, 26));
    assert_eq!(article.source, None);
    assert_eq!(article.title, None);
    assert!(article
        .text
        .starts_with("US President Donald Trump\u{2019}s envoy"));
    // Byte-exact: the text is the file minus " date 2025-04-26 ".
    let raw = std::fs::read_to_string(&path).unwrap();
    assert_eq!(raw.strip_prefix(" date 2025-04-26 ").unwrap(), article.text);
    assert_eq!(location.path, path);
    assert_eq!(location.line, None);
}

#[test]
fn seed_003_header_with_source() {
    let path = seeds_dir().join("003_741671edce2820d1.txt");
    let events = read_with(&TextReader, &path, &ReadOptions::default());
    let [ReadEvent::Article { article, .. }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(article.id.as_str(), "003_741671edce2820d1");
    assert_eq!(article.date, ymd(2025, 4, 26));
    assert_eq!(article.source.as_deref(), Some("Reuters"));
    assert!(article.text.starts_with("U.S. President Donald Trump"));
    let raw = std::fs::read_to_string(&path).unwrap();
    assert!(raw.ends_with(&article.text));
}

#[test]
fn seeds_directory() {
    let events = read_all(&[seeds_dir()], &ReadOptions::default());
    let ids: Vec<_> = articles(&events).iter().map(|a| a.id.to_string()).collect();
    assert_eq!(ids, ["000_8f16aa07f174a1e7", "003_741671edce2820d1"]);
    assert!(errors(&events).is_empty());
    assert!(warnings(&events).is_empty());
}

#[test]
fn bbc_files() {
    let Some(bbc) = data_dir("bbc-news-2225/bbc") else {
        return;
    };
    let path = bbc.join("business/001.txt");
    let events = read_with(&TextReader, &path, &ReadOptions::default());
    let [ReadEvent::Warning(w), ReadEvent::Article { article, .. }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(w.kind, ReadErrorKind::MissingDate);
    assert_eq!(article.id.as_str(), "001");
    assert_eq!(article.date, None);
    assert!(article
        .text
        .starts_with("Ad sales boost Time Warner profit\n\nQuarterly profits"));
    assert_eq!(article.text, std::fs::read_to_string(&path).unwrap());
}

#[test]
fn bbc_latin1_file() {
    let Some(bbc) = data_dir("bbc-news-2225/bbc") else {
        return;
    };
    let path = bbc.join("sport/199.txt");
    let err = single_error(&read_with(&TextReader, &path, &ReadOptions::default())).clone();
    assert_eq!(
        err.kind,
        ReadErrorKind::InvalidUtf8 {
            offset: 257,
            line: 5
        }
    );
    assert_eq!(err.location.path, path);
    assert!(err.to_string().contains("sport/199.txt"), "{err}");

    let opts = ReadOptions {
        latin1_fallback: true,
        ..ReadOptions::default()
    };
    let events = read_with(&TextReader, &path, &opts);
    let [ReadEvent::Warning(w1), ReadEvent::Warning(w2), ReadEvent::Article { article, .. }] =
        events.as_slice()
    else {
        panic!("{events:?}")
    };
    assert_eq!(
        w1.kind,
        ReadErrorKind::DecodedAsLatin1 {
            offset: 257,
            line: 5
        }
    );
    assert_eq!(w2.kind, ReadErrorKind::MissingDate);
    assert!(article.text.contains('£'), "{}", &article.text[..400]);
}

#[test]
fn bbc_whole_corpus() {
    let Some(bbc) = data_dir("bbc-news-2225/bbc") else {
        return;
    };
    let events = read_all(std::slice::from_ref(&bbc), &ReadOptions::default());
    let ids: Vec<_> = articles(&events).iter().map(|a| a.id.to_string()).collect();
    assert_eq!(ids.len(), 2224);
    assert_eq!(ids[0], "business/001");
    assert_eq!(ids.last().unwrap(), "tech/401");
    assert!(!ids.contains(&"sport/199".to_string()));
    let errs = errors(&events);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].location.path, bbc.join("sport/199.txt"));
    let skipped: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            ReadEvent::SkippedFile { path, .. } => Some(path.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(skipped, [bbc.join("README.TXT")]);

    let opts = ReadOptions {
        latin1_fallback: true,
        ..ReadOptions::default()
    };
    let events = read_all(&[bbc], &opts);
    assert_eq!(articles(&events).len(), 2225);
    assert!(errors(&events).is_empty());
}

/// Reuters-21578 stories read from one file, with the stats.
fn reuters(file: &str) -> Option<(PathBuf, Vec<ReadEvent>)> {
    let dir = data_dir("reuters21578")?;
    let path = dir.join(file);
    Some((
        path.clone(),
        read_with(&ReutersSgmlReader, &path, &ReadOptions::default()),
    ))
}

#[test]
fn reuters_000() {
    let Some((path, events)) = reuters("reut2-000.sgm") else {
        return;
    };
    assert!(errors(&events).is_empty(), "{:?}", errors(&events));
    assert!(warnings(&events).is_empty());
    let all = articles(&events);
    assert_eq!(all.len(), 925);

    let ReadEvent::Article { article, location } = &events[0] else {
        panic!()
    };
    assert_eq!(article.id.as_str(), "reuters-1");
    assert_eq!(article.date, ymd(1987, 2, 26));
    assert_eq!(article.source.as_deref(), Some("Reuters"));
    assert_eq!(article.title.as_deref(), Some("BAHIA COCOA REVIEW"));
    assert!(article
        .text
        .starts_with("Showers continued throughout the week in\nthe Bahia cocoa zone"));
    assert!(
        article
            .text
            .ends_with("carnival which ends midday on February 27."),
        "{}",
        article.text
    );
    assert_eq!(location.path, path);
    assert_eq!(location.line, Some(2));

    let second = all[1];
    assert_eq!(second.id.as_str(), "reuters-2");
    assert_eq!(
        second.title.as_deref(),
        Some("STANDARD OIL <SRD> TO FORM FINANCIAL UNIT")
    );
    assert!(second.text.contains("Plc <BP>, which"));
    assert!(second.text.ends_with("joint management committee."));

    // No control characters or entity leftovers in any body.
    for a in &all {
        assert!(!a.text.contains(['\u{3}', '\u{7f}']), "{}", a.id);
        assert!(!a.text.contains("&#"), "{}", a.id);
        assert!(!a.text.to_ascii_lowercase().ends_with("reuter"), "{}", a.id);
        assert_eq!(a.text.trim_end(), a.text);
    }
    // reuters-30 is a BRIEF (title only): skipped quietly.
    assert!(all.iter().all(|a| a.id.as_str() != "reuters-30"));
}

#[test]
fn reuters_stats() {
    let Some(dir) = data_dir("reuters21578") else {
        return;
    };
    let stats = ReutersSgmlReader.read_file_with_stats(
        &dir.join("reut2-000.sgm"),
        &ReadOptions::default(),
        &mut |_| {},
    );
    assert_eq!(stats.stories, 1000);
    assert_eq!(stats.articles, 925);
    assert_eq!(stats.without_body, 75);
    assert_eq!(stats.errors, 0);
}

#[test]
fn reuters_all_files() {
    let Some(dir) = data_dir("reuters21578") else {
        return;
    };
    let opts = ReadOptions {
        format: Format::ReutersSgml,
        ..ReadOptions::default()
    };
    let start = std::time::Instant::now();
    let events = read_all(&[dir], &opts);
    eprintln!("read all Reuters files in {:?}", start.elapsed());
    assert!(errors(&events).is_empty(), "{:?}", errors(&events));
    let all = articles(&events);
    assert_eq!(all.len(), 19043);
    let mut ids: Vec<_> = all.iter().map(|a| a.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 19043, "ids are unique");
    assert!(all.iter().all(|a| a.date.is_some()));
    assert_eq!(Format::ReutersSgml, ReutersSgmlReader.format());
}
