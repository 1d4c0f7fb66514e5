//! A real `unspun ingest` process killed with SIGKILL mid-ingest leaves a
//! consistent store, and re-running the same command completes the job.

mod common;

use std::time::{Duration, Instant};

use common::*;

#[test]
fn killed_ingest_leaves_whole_batches_and_rerun_completes() {
    let env = Env::new();
    let reuters = shared_data().join("reuters21578");
    let reuters = reuters.to_str().unwrap();
    let batch = 250u64;
    let args = [
        "ingest",
        "--format",
        "reuters-sgml",
        "--batch-size",
        "250",
        "--quiet",
        reuters,
    ];

    let mut child = env.cmd().args(args).spawn().unwrap();
    // Wait until at least one batch is committed, then kill without warning.
    let deadline = Instant::now() + Duration::from_secs(120);
    let stored_before_kill = loop {
        std::thread::sleep(Duration::from_millis(50));
        let out = env.run(&["stats", "--json"]);
        if out.status.success() {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let n = v["articles"].as_u64().unwrap();
            if n > 0 {
                break n;
            }
        }
        assert!(Instant::now() < deadline, "ingest stored nothing in 120 s");
        assert!(
            child.try_wait().unwrap().is_none(),
            "ingest finished before it could be killed"
        );
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(stored_before_kill > 0);

    // Consistent: the store opens, whole batches only, every stored article is indexed.
    let stats = env.stats();
    let stored = stats["articles"].as_u64().unwrap();
    assert!(stored > 0);
    assert_eq!(
        stored % batch,
        0,
        "a partial batch is visible: {stored} articles"
    );
    // The index may briefly hold documents of the batch that was being
    // committed (they are ignored until the re-run replaces them), never fewer.
    assert!(stats["index_docs"].as_u64().unwrap() >= stored, "{stats}");
    // What is stored is whole and readable.
    let first = env.ok(&["show", "reuters-1", "--json"]);
    assert!(first.contains("\"source\":\"Reuters\""), "{first}");

    // Re-running completes the job: what was stored is unchanged, the rest is added.
    let out = env.ok(&args);
    let total = REUTERS_WITH_BODY;
    let expected = format!(
        "{} added, {stored} unchanged, 0 replaced, 0 failed",
        total - stored
    );
    assert!(out.contains(&expected), "expected {expected:?} in {out}");
    let stats = env.stats();
    assert_eq!(stats["articles"].as_u64().unwrap(), total);
    assert_eq!(stats["index_docs"].as_u64().unwrap(), total, "{stats}");
}
