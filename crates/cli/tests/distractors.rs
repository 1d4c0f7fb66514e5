//! The seed answer must not change when the corpus holds 21k unrelated
//! stories (BBC News 2,225 and Reuters-21578).

mod common;

use common::*;

#[test]
fn seed_trace_is_stable_among_distractors() {
    let env = Env::new();
    let data = shared_data();
    let bbc = data.join("bbc-news-2225/bbc");
    let reuters = data.join("reuters21578");
    // The BBC folder has one Latin-1 file, and a README that is skipped.
    env.ok(&[
        "ingest",
        "--quiet",
        "--latin1-fallback",
        bbc.to_str().unwrap(),
    ]);
    env.ok(&[
        "ingest",
        "--quiet",
        "--format",
        "reuters-sgml",
        reuters.to_str().unwrap(),
    ]);
    env.ok(&["ingest", &seeds()]);
    let stats = env.stats();
    assert_eq!(
        stats["articles"].as_u64().unwrap(),
        2_225 + REUTERS_WITH_BODY + 2
    );

    for model in ["lexical", "static", "minilm"] {
        let json: serde_json::Value =
            serde_json::from_str(&env.ok(&["trace", "--id", REWRITE, "--json", "--model", model]))
                .unwrap();
        assert_eq!(json["mode"], model);
        check_seed_trace(&json);
    }
    // The default mode is static (the models are set up).
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["trace", "--id", REWRITE, "--json"])).unwrap();
    assert_eq!(json["mode"], "static");
}

fn check_seed_trace(json: &serde_json::Value) {
    let sources = json["sources"].as_array().unwrap();
    assert_eq!(sources[0]["id"], REUTERS);
    assert_eq!(sources[0]["relation"], "rewrite");
    assert_eq!(sources[0]["original"], REUTERS);
    // No distractor explains any sentence of 000.
    for s in json["sentences"].as_array().unwrap() {
        assert!(
            s["source"].is_null() || s["source"] == REUTERS,
            "sentence attributed to a distractor: {s}"
        );
    }
    let aligned: usize = sources[0]["alignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["derived"].as_array().unwrap().len())
        .sum();
    assert_eq!(aligned, 15);
    assert_eq!(json["dropped"].as_array().unwrap().len(), 1);
    // Nothing else is a copy, rewrite or partial source.
    for s in &sources[1..] {
        assert_eq!(
            s["relation"], "related",
            "distractor reported as a source: {s}"
        );
    }
}
