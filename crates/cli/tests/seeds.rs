//! The README's example flow on the bundled seeds, end to end through the binary.

mod common;

use common::*;

#[test]
fn ingest_is_idempotent_and_reports_counts() {
    let env = Env::new();
    let out = env.ok(&["ingest", &seeds()]);
    assert!(
        out.contains("2 added, 0 unchanged, 0 replaced, 0 failed"),
        "{out}"
    );
    let out = env.ok(&["ingest", &seeds()]);
    assert!(
        out.contains("0 added, 2 unchanged, 0 replaced, 0 failed"),
        "{out}"
    );
    let stats = env.stats();
    assert_eq!(stats["articles"], 2);
    assert_eq!(stats["index_docs"], 2);
}

#[test]
fn trace_names_reuters_as_source_of_the_rewrite() {
    let env = Env::new();
    env.ok(&["ingest", &seeds()]);
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["trace", "--id", REWRITE, "--json"])).unwrap();
    let src = &json["sources"][0];
    assert_eq!(src["id"], REUTERS);
    assert_eq!(src["relation"], "rewrite");
    assert_eq!(src["original"], REUTERS);
    assert_eq!(src["direction_certain"], true);
    assert_eq!(json["article"]["id"], REWRITE);
    assert_eq!(json["article"]["date"], "2025-04-26");
    // 15 sentences of 000 restate 003.
    let aligned: usize = src["alignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["derived"].as_array().unwrap().len())
        .sum();
    assert_eq!(aligned, 15);
    // The direct-talks sentence is the one dropped.
    let dropped = json["dropped"].as_array().unwrap();
    assert_eq!(dropped.len(), 1);
    assert!(dropped[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Russia and Ukraine have not held direct talks"));
    // Offsets point into the article text.
    let text =
        std::fs::read_to_string(repo().join("examples/seeds/000_8f16aa07f174a1e7.txt")).unwrap();
    let body_start = text.find("US President").unwrap();
    let body = &text[body_start..];
    for s in json["sentences"].as_array().unwrap() {
        let (start, end) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&body[start..end], s["text"].as_str().unwrap());
    }
    // The material from elsewhere is new.
    let new: Vec<String> = json["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            json["sentences"][i.as_u64().unwrap() as usize]["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(new.iter().any(|s| s == "Newcomer to diplomacy"));
    assert!(new
        .iter()
        .any(|s| s.starts_with("US Special Envoy Steve Witkoff meets")));
    assert!(new.iter().any(|s| s.starts_with("Footage from the start")));
}

#[test]
fn trace_snapshots_text_and_json() {
    let env = Env::new();
    env.ok(&["ingest", &seeds()]);
    insta::assert_snapshot!("trace_000_text", env.ok(&["trace", "--id", REWRITE]));
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["trace", "--id", REWRITE, "--json"])).unwrap();
    insta::assert_json_snapshot!("trace_000_json", json);
}

#[test]
fn trace_a_file_that_is_not_stored() {
    let env = Env::new();
    env.ok(&["ingest", &format!("{}/{REUTERS}.txt", seeds())]);
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["trace", &format!("{}/{REWRITE}.txt", seeds()), "--json"]))
            .unwrap();
    assert_eq!(json["article"]["in_store"], false);
    assert_eq!(json["sources"][0]["id"], REUTERS);
}

#[test]
fn the_original_traced_shows_its_derivative() {
    let env = Env::new();
    env.ok(&["ingest", &seeds()]);
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["trace", "--id", REUTERS, "--json"])).unwrap();
    assert_eq!(json["sources"][0]["id"], REWRITE);
    assert_eq!(json["sources"][0]["original"], REUTERS);
    // The original dropped nothing from its derivative.
    assert!(json["dropped"].as_array().unwrap().is_empty());
}

#[test]
fn show_and_stats() {
    let env = Env::new();
    env.ok(&["ingest", &seeds()]);
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", REUTERS, "--json"])).unwrap();
    assert_eq!(show["source"], "Reuters");
    assert_eq!(show["date"], "2025-04-26");
    assert!(show["text"].as_str().unwrap().starts_with("U.S. President"));
    let text = env.ok(&["show", REUTERS]);
    assert!(text.contains("source:   Reuters"));
    let out = env.run(&["show", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article with id \"nope\""));
}

#[test]
fn scan_finds_the_seed_pair() {
    let env = Env::new();
    env.ok(&["ingest", &seeds()]);
    let out = env.ok(&["scan"]);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert_eq!(lines[0]["derived"], REWRITE);
    assert_eq!(lines[0]["source"], REUTERS);
    assert_eq!(lines[0]["relation"], "rewrite");
}

#[test]
fn missing_store_is_a_clear_error() {
    let env = Env::new();
    let out = env.run(&["trace", "--id", REWRITE]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("run `unspun ingest` first"), "{err}");
}
