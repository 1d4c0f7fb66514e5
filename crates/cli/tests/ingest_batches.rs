//! `unspun ingest` stores batches through a two-stage pipeline (the next
//! batch is fingerprinted while the previous one is written): the result
//! must not depend on how the input is cut into batches.

mod common;

use common::*;

/// `stats --json` without the fields that describe files on disk.
fn content_stats(env: &Env) -> serde_json::Value {
    let mut v = env.stats();
    let obj = v.as_object_mut().unwrap();
    obj.remove("store");
    obj.remove("disk_bytes");
    v
}

#[test]
fn many_small_batches_store_what_one_batch_stores() {
    let sgm = shared_data().join("reuters21578/reut2-000.sgm");
    let sgm = sgm.to_str().unwrap();
    let (one, many) = (Env::new(), Env::new());
    let out_one = one.ok(&["ingest", "--quiet", "--batch-size", "100000", sgm]);
    // 37 does not divide the file's article count: the last batch is partial.
    let out_many = many.ok(&["ingest", "--quiet", "--batch-size", "37", sgm]);
    assert_eq!(out_one, out_many);
    assert!(
        out_one.contains(" added, 0 unchanged, 0 replaced, 0 failed"),
        "{out_one}"
    );
    assert_eq!(content_stats(&one), content_stats(&many));
    for id in ["reuters-1", "reuters-500", "reuters-1000"] {
        assert_eq!(
            one.ok(&["show", id, "--json"]),
            many.ok(&["show", id, "--json"]),
            "{id}"
        );
    }
    // Same candidates and verdicts: a trace reads the BM25 index and the
    // band keys each batch wrote.
    let trace = |env: &Env| env.ok(&["trace", "--id", "reuters-5", "--json", "--model", "lexical"]);
    assert_eq!(trace(&one), trace(&many));

    // Again, into the same stores: everything is unchanged, whatever the
    // batch size.
    let again = many.ok(&["ingest", "--quiet", "--batch-size", "37", sgm]);
    assert!(again.contains(" 0 added, "), "{again}");
    assert!(
        again.contains(" unchanged, 0 replaced, 0 failed"),
        "{again}"
    );
}
