//! `unspun graph` on the seeds among real distractors (BBC News 2,225 and
//! the first two files of Reuters-21578): the seed edge, its story, the
//! per-outlet summary and the GraphML export (snapshots), and the
//! incremental update after more articles arrive.

mod common;

use common::*;

fn edges_and_clusters(jsonl: &str) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let lines: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let of = |t: &str| -> Vec<serde_json::Value> {
        lines.iter().filter(|l| l["type"] == t).cloned().collect()
    };
    (of("edge"), of("cluster"))
}

#[test]
fn seed_story_among_distractors_and_incremental_update() {
    let env = Env::new();
    let data = shared_data();
    let reuters = data.join("reuters21578");
    env.ok(&["ingest", &seeds()]);
    env.ok(&[
        "ingest",
        "--quiet",
        "--latin1-fallback",
        data.join("bbc-news-2225/bbc").to_str().unwrap(),
    ]);
    env.ok(&[
        "ingest",
        "--quiet",
        "--format",
        "reuters-sgml",
        reuters.join("reut2-000.sgm").to_str().unwrap(),
    ]);

    // First build: the summary table.
    let out = env.cmd().args(["graph"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("(corpus statistics taken afresh)"));
    let summary = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("graph_summary", summary);

    // 000 derives from 003, direction certain; their story has no one else.
    let (edges, clusters) = edges_and_clusters(&env.ok(&["graph", "--jsonl", "-"]));
    let seed: Vec<&serde_json::Value> = edges
        .iter()
        .filter(|e| e["derived"] == REWRITE || e["source"] == REWRITE)
        .collect();
    assert_eq!(seed.len(), 1, "{seed:?}");
    assert_eq!(seed[0]["derived"], REWRITE);
    assert_eq!(seed[0]["source"], REUTERS);
    assert_eq!(seed[0]["relation"], "rewrite");
    assert_eq!(seed[0]["direction_certain"], true);
    assert!(seed[0]["quotes_altered"].as_u64().unwrap() >= 1);
    let story: Vec<&serde_json::Value> = clusters
        .iter()
        .filter(|c| {
            c["members"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m == REWRITE)
        })
        .collect();
    assert_eq!(story.len(), 1);
    assert_eq!(story[0]["original"], REUTERS);
    assert_eq!(story[0]["members"], serde_json::json!([REWRITE, REUTERS]));
    // No cluster is a transitive-closure giant.
    let largest = clusters
        .iter()
        .map(|c| c["size"].as_u64().unwrap())
        .max()
        .unwrap();
    assert!(largest < 50, "largest story has {largest} articles");

    // The story of the seeds as GraphML.
    let graphml = env.ok(&["graph", "--story", REWRITE, "--graphml", "-"]);
    insta::assert_snapshot!("graph_seed_story_graphml", graphml);
    let dot = env.ok(&["graph", "--story", REWRITE, "--dot", "-"]);
    assert!(dot.starts_with("digraph unspun {"));
    assert!(dot.contains(&format!("\"{REUTERS}\" -> \"{REWRITE}\"")));

    // More articles arrive: the update traces them, and the older articles
    // whose candidates they enter; the result equals a rebuild.
    env.ok(&[
        "ingest",
        "--quiet",
        "--format",
        "reuters-sgml",
        reuters.join("reut2-001.sgm").to_str().unwrap(),
    ]);
    let out = env.cmd().args(["graph", "--jsonl", "-"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(" 930 new or changed traced"), "{stderr}");
    assert!(!stderr.contains("taken afresh"), "{stderr}");
    let updated = String::from_utf8(out.stdout).unwrap();
    let rebuilt = env.ok(&["graph", "--rebuild", "--jsonl", "-"]);
    assert!(updated == rebuilt, "the update differs from a rebuild");
    let (edges, _) = edges_and_clusters(&updated);
    assert!(edges
        .iter()
        .any(|e| e["derived"] == REWRITE && e["source"] == REUTERS));

    // An unknown story id is a clear error.
    let out = env.run(&["graph", "--story", "no-such-article"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article with id \"no-such-article\""));
}
