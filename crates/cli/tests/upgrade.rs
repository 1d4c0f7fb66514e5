//! `unspun upgrade` on a store written before sentence shapes were
//! counted: the other commands say what it lacks, the upgrade records the
//! shapes once, and the store then tells frames like a new one.

mod common;

use common::*;

/// The first six Reuters-21578 files: over 5,000 real articles, the least
/// at which the corpus's rarity can tell a frame, so the note matters.
fn reuters_files() -> Vec<String> {
    (0..6)
        .map(|i| {
            shared_data()
                .join(format!("reuters21578/reut2-00{i}.sgm"))
                .display()
                .to_string()
        })
        .collect()
}

#[test]
fn an_older_store_is_noted_and_upgraded_once() {
    let env = Env::new();
    let mut ingest = vec!["ingest", "--quiet"];
    let files = reuters_files();
    ingest.extend(files.iter().map(String::as_str));
    env.ok(&ingest);
    let stats = env.stats();
    assert!(stats["articles"].as_u64().unwrap() >= 5000, "{stats}");
    assert_eq!(stats["sentence_shapes_complete"], true);
    let fresh = env.run(&["trace", "--id", "reuters-5", "--model", "lexical"]);
    assert!(fresh.status.success());
    assert!(
        !String::from_utf8_lossy(&fresh.stderr).contains("older unspun"),
        "a new store needs no upgrade"
    );

    // The store as a build before the shape table left it.
    let conn = rusqlite::Connection::open(env.store().join("articles.sqlite3")).unwrap();
    conn.execute_batch(
        "DROP TABLE shape_fillers; DELETE FROM meta WHERE name = 'shape_fillers_complete';",
    )
    .unwrap();
    drop(conn);
    assert_eq!(env.stats()["sentence_shapes_complete"], false);
    let old = env.run(&["trace", "--id", "reuters-5", "--model", "lexical"]);
    assert!(old.status.success());
    let err = String::from_utf8_lossy(&old.stderr);
    assert!(
        err.contains("written by an older unspun") && err.contains("upgrade"),
        "{err}"
    );

    let out = env.ok(&["upgrade"]);
    assert!(
        out.contains(&format!(
            "recorded the sentence shapes of {} articles",
            stats["articles"]
        )),
        "{out}"
    );
    assert_eq!(env.stats()["sentence_shapes_complete"], true);
    let after = env.run(&["trace", "--id", "reuters-5", "--model", "lexical"]);
    assert!(!String::from_utf8_lossy(&after.stderr).contains("older unspun"));
    assert_eq!(
        after.stdout, fresh.stdout,
        "the same trace as a new store's"
    );
    assert!(env.ok(&["upgrade"]).contains("up to date"));
}

#[test]
fn upgrading_a_missing_store_names_it_and_creates_nothing() {
    let env = Env::new();
    let out = env.run(&["upgrade"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&env.store().display().to_string()), "{err}");
    assert!(!env.store().exists());
}
