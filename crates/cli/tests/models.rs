//! `--model` on `trace`: missing models mean lexical-only with one note
//! when no model was asked for, and an error naming the directory when one
//! was. `--model` on `graph`: the saved graph keeps its mode.

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

/// `graph --model`: a fresh graph is lexical by default; another mode
/// traces everything again and is kept by the next run without `--model`;
/// a requested model that is missing is an error naming the directory.
#[test]
fn graph_keeps_its_mode_and_a_new_mode_traces_everything_again() {
    let env = Env::new();
    env.ok(&["ingest", &seeds()]);
    let summary = |args: &[&str]| -> (serde_json::Value, String) {
        let out = env.run(args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        (
            serde_json::from_slice(&out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (json, stderr) = summary(&["graph", "--json"]);
    assert_eq!(json["mode"], "lexical");
    assert!(stderr.contains("graph (lexical mode)"), "{stderr}");

    let (json, stderr) = summary(&["graph", "--model", "static", "--json"]);
    assert_eq!(json["mode"], "static");
    assert!(
        stderr.contains("2 new or changed traced")
            && stderr.contains("the saved graph was of another mode: everything traced again"),
        "{stderr}"
    );
    // The corpus statistics are kept.
    assert!(!stderr.contains("taken afresh"), "{stderr}");
    // The seed edge holds in either mode.
    assert_eq!(json["edges"], 1, "{json}");

    // Without --model, the saved graph's mode; nothing to trace.
    let (json, stderr) = summary(&["graph", "--json"]);
    assert_eq!(json["mode"], "static");
    assert!(stderr.contains("0 new or changed traced"), "{stderr}");
    assert!(!stderr.contains("another mode"), "{stderr}");

    let empty = env.dir.path().join("no-models");
    let out = env
        .cmd()
        .env("UNSPUN_MODELS", &empty)
        .args(["graph", "--model", "minilm"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&empty.display().to_string()) && stderr.contains("--model lexical"),
        "{stderr}"
    );
    // The failed run left the saved graph as it was.
    let state_file = env.store().join("graph").join("state.json");
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state_file).unwrap()).unwrap();
    assert_eq!(saved["mode"], "static");

    // --rebuild in another mode says so, and keeps the statistics.
    let (json, stderr) = summary(&["graph", "--rebuild", "--model", "lexical", "--json"]);
    assert_eq!(json["mode"], "lexical");
    assert!(
        stderr.contains("2 new or changed traced")
            && stderr.contains("another mode")
            && !stderr.contains("taken afresh"),
        "{stderr}"
    );

    // --refresh-statistics gets past a damaged state file.
    std::fs::write(&state_file, b"{ not json").unwrap();
    assert_eq!(env.run(&["graph", "--json"]).status.code(), Some(2));
    let (json, stderr) = summary(&["graph", "--refresh-statistics", "--json"]);
    assert_eq!(json["mode"], "lexical");
    assert!(
        stderr.contains("starting afresh") && stderr.contains("taken afresh"),
        "{stderr}"
    );
}
