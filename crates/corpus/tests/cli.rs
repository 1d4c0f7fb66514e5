//! Runs the real `unspun-corpus` binary on the shared data in a temp dir.

use std::process::Command;

/// One Reuters file (and all of BBC) keeps the test quick.
fn reuters_sample() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/reuters21578/reut2-000.sgm")
}

fn run(out: &std::path::Path, seed: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_unspun-corpus"))
        .args([
            "generate",
            "--size",
            "400",
            "--seed",
            seed,
            "--measure",
            "50",
        ])
        .arg("--reuters")
        .arg(reuters_sample())
        .arg("--out")
        .arg(out)
        .output()
        .expect("runs")
}

#[test]
fn generate_writes_three_files_deterministically() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let out = run(a.path(), "9");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("wrote 400 articles"), "{stderr}");
    assert!(run(b.path(), "9").status.success());
    for f in ["articles.jsonl", "truth.jsonl", "manifest.json"] {
        let x = std::fs::read(a.path().join(f)).unwrap();
        let y = std::fs::read(b.path().join(f)).unwrap();
        assert!(!x.is_empty(), "{f} is empty");
        assert!(x == y, "{f} differs between two runs with the same seed");
    }
    let articles = std::fs::read_to_string(a.path().join("articles.jsonl")).unwrap();
    assert_eq!(articles.lines().count(), 400);
    let truth = std::fs::read_to_string(a.path().join("truth.jsonl")).unwrap();
    assert_eq!(truth.lines().count(), 100);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.path().join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["size"], 400);
    assert_eq!(manifest["seed"], 9);
    assert!(manifest["inputs"]["bbc"].is_string());
    assert!(manifest["jaccard_5gram"]["paraphrase"]["mean"].is_number());
}

#[test]
fn bad_arguments_fail_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_unspun-corpus"))
        .args([
            "generate",
            "--size",
            "10",
            "--bbc",
            "/nonexistent/bbc",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/bbc"));
}
