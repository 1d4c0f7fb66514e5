//! The WARC reader gives the same articles as the HTML reader: the 181 pages
//! of the article-extraction-benchmark, written into one WARC by warcio (an
//! independent writer; `scripts/warc-fixture.py`, run by `scripts/test.sh`),
//! as gzip-encoded, chunked and plain HTTP responses, each read back and
//! compared with the same page read as an `.html.gz` file.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::*;
use unspun_article::read::{HtmlReader, ReadOptions, WarcReader};
use unspun_article::Article;

/// The WARC `scripts/test.sh` writes: `$UNSPUN_WARC_FIXTURE`, or
/// `target/test-data/bench-pages.warc.gz` in the repository.
fn fixture() -> PathBuf {
    let path = std::env::var_os("UNSPUN_WARC_FIXTURE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-data/bench-pages.warc.gz")
        });
    assert!(
        path.is_file(),
        "{} is missing: scripts/test.sh writes it with warcio (scripts/warc-fixture.sh)",
        path.display()
    );
    path
}

#[test]
fn warc_of_the_benchmark_pages_reads_as_the_html_files() {
    let bench = data_dir("article-extraction-benchmark").unwrap();
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(bench.join("ground-truth.json")).unwrap())
            .unwrap();
    let opts = ReadOptions::default();

    let events = read_with(&WarcReader, &fixture(), &opts);
    let errors = errors(&events);
    assert!(errors.is_empty(), "{errors:?}");
    let from_warc: HashMap<String, &Article> = articles(&events)
        .into_iter()
        .map(|a| (a.id.as_str().to_string(), a))
        .collect();
    assert_eq!(from_warc.len(), 181);

    let mut pages: Vec<PathBuf> = std::fs::read_dir(bench.join("html"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 181);
    let capture_day = NaiveDate::from_ymd_opt(2020, 1, 15);
    let mut differences = Vec::new();
    for page in &pages {
        let hash = page
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .trim_end_matches(".html.gz");
        let url = truth[hash]["url"].as_str().unwrap();
        let html_events = read_with(&HtmlReader, page, &opts);
        let html_articles = articles(&html_events);
        let [html] = html_articles.as_slice() else {
            panic!("{}: {html_events:?}", page.display())
        };
        let Some(warc) = from_warc.get(url) else {
            differences.push(format!("{hash}: no WARC article for {url}"));
            continue;
        };
        if warc.text != html.text {
            differences.push(format!("{hash}: text differs"));
        }
        if warc.title != html.title {
            differences.push(format!("{hash}: title {:?} / {:?}", warc.title, html.title));
        }
        // The page's own date wins; a page without one takes the capture date.
        let want_date = html.date.or(capture_day);
        if warc.date != want_date {
            differences.push(format!("{hash}: date {:?} / {want_date:?}", warc.date));
        }
        // The canonical URL the page names, else the capture's target URI.
        let want_url = html.url.clone().unwrap_or_else(|| url.to_string());
        if warc.url.as_deref() != Some(want_url.as_str()) {
            differences.push(format!("{hash}: url {:?} / {want_url}", warc.url));
        }
        // Provenance: the capture's target URI when the page names another
        // URL, and the same extraction behind the record's place.
        let want_fetched = (want_url != url).then(|| url.to_string());
        if warc.fetched_url != want_fetched {
            differences.push(format!(
                "{hash}: fetched_url {:?} / {want_fetched:?}",
                warc.fetched_url
            ));
        }
        let (how, html_how) = (warc.extraction.as_deref(), html.extraction.as_deref());
        let same_extraction = how.zip(html_how).is_some_and(|(how, html_how)| {
            how.starts_with("WARC record at offset ") && how.ends_with(&format!("; {html_how}"))
        });
        if !same_extraction {
            differences.push(format!("{hash}: extraction {how:?} / {html_how:?}"));
        }
    }
    assert!(differences.is_empty(), "{differences:#?}");
}
