//! The fast subset of the reuse-labels evaluation (issue 14): the real
//! BBC News and Reuters-21578 corpus ingested, the first labelled pairs
//! traced, and their precision, recall and template rejection held to
//! floors a little below what the whole set measures (docs/REUSE.md).
//! Needs `../shared/data`; fails, never skips, when it is missing.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn reuse_labels_subset_holds_precision_and_rejects_templates() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = root.join("../shared/data");
    assert!(
        data.join("reuse-labels/pairs.jsonl").is_file(),
        "{} is missing: the tests read real evaluation data from there",
        data.display()
    );
    let store = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_reuse-eval"))
        .current_dir(&root)
        .args(["--limit", "160", "--model", "lexical", "--data"])
        .arg(&data)
        .arg("--store")
        .arg(store.path())
        .output()
        .expect("reuse-eval runs");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "reuse-eval failed: {}\n{report}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value = |row: &str| -> f64 {
        let line = report
            .lines()
            .find(|l| l.starts_with(&format!("| {row} |")))
            .unwrap_or_else(|| panic!("no row {row:?} in\n{report}"));
        line.split('|')
            .nth(2)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let precision = value("edge precision (reuse among pairs called derived)");
    let recall = value("recall of labelled reuse");
    let templates = value("template pairs judged not derived");
    // Lexical, first 160 pairs (2026-12-07, session 24): precision 0.926
    // (25/27), recall 0.694 (25/36), templates 0.967. The recall floor
    // went from 0.70 to 0.65 when two or three paraphrased sentences
    // stopped making a `partial` pair (pair 46, a results table and its
    // narrative, is `related` in lexical mode; docs/REUSE.md, session 24),
    // and the precision floor from 0.85 to 0.90.
    assert!(precision >= 0.90, "precision {precision}\n{report}");
    assert!(recall >= 0.65, "recall {recall}\n{report}");
    assert!(templates >= 0.95, "templates {templates}\n{report}");
}
