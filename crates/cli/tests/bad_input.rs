//! Bad input never aborts a batch: each bad file or line gets a message
//! naming it, the rest is ingested, nothing stored is lost, and the exit
//! status says something failed.

mod common;

use common::*;

#[test]
fn each_bad_input_is_named_and_the_rest_is_ingested() {
    let env = Env::new();
    // Something already stored must survive.
    env.ok(&["ingest", &seeds()]);

    let good = "date 2025-05-01 [Source: Example]\nThe council approved the budget on Monday. \
                Spending on schools rises by 4%.\n";
    env.write("in/good.txt", good.as_bytes());
    env.write(
        "in/invalid_utf8.txt",
        b"date 2025-05-01 Caf\xe9 owners protested on Monday.\n",
    );
    env.write("in/empty.txt", b"");
    env.write("in/binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00binary");
    env.write("in/bad_date.txt", b"date 2025-13-45 Something happened.\n");
    env.write(
        "in/feed.jsonl",
        concat!(
            r#"{"id": "j1", "text": "Ministers met in Brussels on Tuesday.", "date": "2025-05-02"}"#,
            "\n",
            r#"{"id": "j2", "text": "broken"#,
            "\n",
            r#"{"id": "j3", "text": "No date on this one, but it is fine."}"#,
            "\n",
            r#"{"id": "j4", "text": "A bad date.", "date": "yesterday"}"#,
            "\n",
            r#"{"text": "No id."}"#,
            "\n",
        )
        .as_bytes(),
    );
    // A 50 MB file: rejected without being read into memory.
    let big = env.dir.path().join("in/huge.txt");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();

    let out = env.run(&["ingest", env.dir.path().join("in").to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    for needle in [
        "invalid_utf8.txt: invalid UTF-8",
        "empty.txt: empty",
        "binary.txt: binary data",
        "bad_date.txt: invalid date",
        "feed.jsonl:2: malformed JSON",
        "feed.jsonl:4: invalid date",
        "feed.jsonl:5: malformed JSON",
        "huge.txt: too large",
        "feed.jsonl:3: no date",
    ] {
        assert!(stderr.contains(needle), "missing {needle:?} in:\n{stderr}");
    }
    // good.txt, j1 and j3 are stored; the seeds are still there.
    assert!(stdout.contains("3 added"), "{stdout}");
    assert_eq!(env.stats()["articles"], 5);
    env.ok(&["show", "good"]);
    env.ok(&["show", "j3"]);
    env.ok(&["show", REWRITE]);
}

#[test]
fn latin1_fallback_is_opt_in() {
    let env = Env::new();
    let p = env.write("cafe.txt", b"Caf\xe9 owners in Lyon protested on Monday.\n");
    let out = env.run(&["ingest", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let out = env.ok(&["ingest", "--latin1-fallback", p.to_str().unwrap()]);
    assert!(out.contains("1 added"), "{out}");
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "cafe", "--json"])).unwrap();
    assert!(show["text"].as_str().unwrap().starts_with("Café"));
}

#[test]
fn same_id_with_new_text_is_a_conflict_unless_replace() {
    let env = Env::new();
    let p = env.write(
        "a/story.txt",
        b"date 2025-05-01 The mayor resigned on Friday.\n",
    );
    env.ok(&["ingest", p.to_str().unwrap()]);
    let p2 = env.write(
        "b/story.txt",
        b"date 2025-05-01 The mayor resigned on Friday evening.\n",
    );
    let out = env.run(&["ingest", p2.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("story: already stored with different content"));
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "story", "--json"])).unwrap();
    assert_eq!(show["text"], "The mayor resigned on Friday.\n");
    let out = env.ok(&["ingest", "--replace", p2.to_str().unwrap()]);
    assert!(out.contains("1 replaced"), "{out}");
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "story", "--json"])).unwrap();
    assert_eq!(show["text"], "The mayor resigned on Friday evening.\n");
    assert_eq!(show["revision"], 2);
}

#[test]
fn missing_path_is_an_error_not_a_crash() {
    let env = Env::new();
    let out = env.run(&["ingest", "/definitely/not/here.txt", &seeds()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/definitely/not/here.txt"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 added"));
}
