//! `--model` on `trace`: missing models mean lexical-only with one note
//! when no model was asked for, and an error naming the directory when one
//! was.

mod common;

use common::*;

#[test]
fn missing_models_fall_back_to_lexical_only_with_one_note() {
    let env = Env::new();
    env.ok(&["ingest", &seeds()]);
    let empty = env.dir.path().join("no-models");
    let out = env
        .cmd()
        .env("UNSPUN_MODELS", &empty)
        .args(["trace", "--id", REWRITE, "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("note:")).count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "note: models not found in {} (run scripts/setup.sh); lexical-only",
            empty.display()
        )),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["mode"], "lexical-only");
    assert_eq!(json["sources"][0]["id"], REUTERS);

    // The text report says so too.
    let out = env
        .cmd()
        .env("UNSPUN_MODELS", &empty)
        .args(["trace", "--id", REWRITE])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("lexical-only similarity"), "{text}");

    // An explicitly requested model that is missing is an error naming the
    // directory.
    for model in ["static", "minilm"] {
        let out = env
            .cmd()
            .env("UNSPUN_MODELS", &empty)
            .args(["trace", "--id", REWRITE, "--model", model])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(&empty.display().to_string()), "{stderr}");
        assert!(stderr.contains("scripts/setup.sh"), "{stderr}");
    }
    // Lexical needs no model.
    let json: serde_json::Value = serde_json::from_slice(
        &env.cmd()
            .env("UNSPUN_MODELS", &empty)
            .args(["trace", "--id", REWRITE, "--json", "--model", "lexical"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(json["mode"], "lexical");
}

#[test]
fn ingest_with_minilm_caches_vectors_and_trace_uses_them() {
    let env = Env::new();
    env.ok(&["ingest", "--model", "minilm", &seeds()]);
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["trace", "--id", REWRITE, "--json", "--model", "minilm"]))
            .unwrap();
    assert_eq!(json["mode"], "minilm");
    assert_eq!(json["sources"][0]["id"], REUTERS);
    // Re-ingesting is a no-op for the cache (already there) and the store.
    let out = env.ok(&["ingest", "--model", "minilm", &seeds()]);
    assert!(out.contains("0 added, 2 unchanged"), "{out}");
}

/// `graph --models DIR`: the edges' changes use WordNet from DIR/wordnet;
/// a directory without it is one note, and the graph is still built (its
/// other changes need no model).
#[test]
fn graph_reads_wordnet_from_models_and_notes_when_it_is_missing() {
    let env = Env::new();
    env.ok(&["ingest", &seeds()]);
    let empty = env.dir.path().join("no-models");
    let out = env
        .cmd()
        .args(["graph", "--json", "--models"])
        .arg(&empty)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let notes: Vec<&str> = stderr.lines().filter(|l| l.starts_with("note:")).collect();
    assert_eq!(notes.len(), 1, "{stderr}");
    assert!(
        notes[0].contains("content words are not checked"),
        "{stderr}"
    );
    assert!(notes[0].contains(&empty.display().to_string()), "{stderr}");
    // With the models that scripts/setup.sh installs, no note.
    let out = env
        .cmd()
        .args(["graph", "--json", "--rebuild", "--models"])
        .arg(models())
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("note:"), "{stderr}");
}
