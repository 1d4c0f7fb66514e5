//! Directory walking: ids, skipped files, format choice and determinism.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use unspun_article::read::{Format, ReadEvent, ReadOptions};

fn put(root: &Path, rel: &str, content: &str) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}

const SGML: &str = "<REUTERS NEWID=\"7\">\n<DATE>2-MAR-1987 10:00:00.00</DATE>\n<TEXT><TITLE>T</TITLE><BODY>Wire.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n";

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, "b/002.txt", "date 2025-01-02 Two.");
    put(root, "b/001.txt", "date 2025-01-01 One.");
    put(root, "a.TXT", "date 2025-01-03 Upper-case extension.");
    put(root, "c/deep/x.y.text", "date 2025-01-04 Dotted stem.");
    put(
        root,
        "feed.jsonl",
        "{\"id\":\"j1\",\"text\":\"From JSONL.\",\"date\":\"2025-01-05\"}\n",
    );
    put(root, "wire.sgm", SGML);
    put(root, "README.md", "# not an article");
    put(root, "readme.txt", "not an article either");
    put(root, "LICENSE", "license");
    put(root, "notes.md", "unknown extension");
    put(root, ".hidden.txt", "date 2025-01-01 hidden");
    put(root, ".git/HEAD.txt", "date 2025-01-01 hidden dir");
    dir
}

fn summary(events: &[ReadEvent], root: &Path) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            ReadEvent::Article { article, .. } => format!("article {}", article.id),
            ReadEvent::Warning(w) => format!("warning {}", w.kind),
            ReadEvent::Error(e) => format!("error {e}"),
            ReadEvent::SkippedFile { path, reason } => {
                format!(
                    "skipped {} ({reason})",
                    path.strip_prefix(root).unwrap().display()
                )
            }
        })
        .collect()
}

#[test]
fn auto_walk() {
    let dir = corpus();
    let root = dir.path();
    let events = read_all(&[root.to_path_buf()], &ReadOptions::default());
    assert_eq!(
        summary(&events, root),
        [
            "skipped .git (hidden directory)",
            "skipped .hidden.txt (hidden file)",
            "skipped LICENSE (README or LICENSE file)",
            "skipped README.md (README or LICENSE file)",
            "article a",
            "article b/001",
            "article b/002",
            "article c/deep/x.y",
            "article j1",
            "skipped notes.md (unknown extension)",
            "skipped readme.txt (README or LICENSE file)",
            "article reuters-7",
        ]
    );
    let wire = articles(&events)
        .into_iter()
        .find(|a| a.id.as_str() == "reuters-7")
        .unwrap();
    assert_eq!(wire.text, "Wire.");
    assert_eq!(wire.title.as_deref(), Some("T"));
}

#[test]
fn walk_is_deterministic() {
    let dir = corpus();
    let paths = [dir.path().to_path_buf()];
    let first = read_all(&paths, &ReadOptions::default());
    for _ in 0..3 {
        assert_eq!(read_all(&paths, &ReadOptions::default()), first);
    }
}

#[test]
fn explicit_format_filters_directory_files() {
    let dir = corpus();
    let root = dir.path();
    let opts = ReadOptions {
        format: Format::Jsonl,
        ..ReadOptions::default()
    };
    let events = read_all(&[root.to_path_buf()], &opts);
    let ids: Vec<_> = articles(&events).iter().map(|a| a.id.to_string()).collect();
    assert_eq!(ids, ["j1"]);
    assert!(summary(&events, root)
        .contains(&"skipped b/001.txt (not a jsonl file (its extension is for text))".to_string()));
    assert!(errors(&events).is_empty());
}

#[test]
fn explicit_files() {
    let dir = corpus();
    let root = dir.path();
    // Named explicitly, an unknown extension is read as text under Auto, with the stem as id,
    // and README files are read too.
    let events = read_all(
        &[root.join("notes.md"), root.join("b/001.txt")],
        &ReadOptions::default(),
    );
    assert_eq!(
        summary(&events, root),
        ["warning no date: relative dates cannot be resolved and direction rests on other evidence", "article notes", "article 001"]
    );
    // An explicit format applies to an explicitly named file whatever its extension.
    let odd = put(root, "wire.dat", SGML);
    let opts = ReadOptions {
        format: Format::ReutersSgml,
        ..ReadOptions::default()
    };
    let events = read_all(&[odd], &opts);
    assert_eq!(summary(&events, root), ["article reuters-7"]);
}

#[test]
fn paths_are_read_in_the_order_given() {
    let dir = corpus();
    let root = dir.path();
    let events = read_all(
        &[root.join("b"), root.join("a.TXT")],
        &ReadOptions::default(),
    );
    let ids: Vec<_> = articles(&events).iter().map(|a| a.id.to_string()).collect();
    // Inside `b`, ids are relative to `b`.
    assert_eq!(ids, ["001", "002", "a"]);
}
