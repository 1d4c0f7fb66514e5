//! Feeds end to end: an RSS feed of a wire service carrying the Reuters seed
//! in full (`content:encoded`) and one teaser-only item, and an Atom feed of
//! an outlet carrying the seed rewrite (`tests/fixtures/seed-wire.rss`,
//! `seed-herald.atom`). Each is ingested twice with no duplicates, the
//! teaser is an error naming its entry, and the rewrite traces to the wire
//! story.

mod common;

use common::*;

fn fixture(name: &str) -> String {
    repo()
        .join("crates/cli/tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// The wire item's bare guid, named under its link's host (a bare guid is
/// unique only within its feed).
const WIRE_ID: &str = "wire.example.test/wire-2025-04-25-witkoff-putin";
const HERALD_ID: &str = "tag:example-herald.test,2025:witkoff-putin-talks";

#[test]
fn rss_feed_twice_no_duplicates_and_teaser_is_an_error() {
    let env = Env::new();
    for pass in 0..2 {
        let out = env.run(&["ingest", &fixture("seed-wire.rss")]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The teaser item fails, so the exit status says something failed.
        assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
        assert!(
            stderr.contains("seed-wire.rss")
                && stderr.contains("entry 2 (\"Markets wrap: stocks edge higher\")")
                && stderr.contains("summary of 6 words"),
            "{stderr}"
        );
        let want = if pass == 0 {
            "1 added"
        } else {
            "0 added, 1 unchanged"
        };
        assert!(
            stdout.contains(want) || stderr.contains(want),
            "{stdout}{stderr}"
        );
    }
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", WIRE_ID, "--json"])).unwrap();
    assert_eq!(show["date"], "2025-04-26");
    assert_eq!(show["source"], "wire.example.test");
    assert_eq!(
        show["url"],
        "https://wire.example.test/world/2025/04/25/witkoff-putin"
    );
    let text = show["text"].as_str().unwrap();
    // The full story from content:encoded, not the one-line description,
    // paragraph by paragraph.
    assert!(
        text.starts_with("U.S. President Donald Trump\u{2019}s envoy Steve Witkoff met"),
        "{text}"
    );
    assert!(
        text.contains("their positions.\n\nTrump said in a social media post"),
        "{text}"
    );
}

#[test]
fn atom_feed_twice_no_duplicates_and_rewrite_traces_to_the_wire() {
    let env = Env::new();
    env.run(&["ingest", &fixture("seed-wire.rss")]);
    let first = env.ok(&["ingest", &fixture("seed-herald.atom")]);
    assert!(first.contains("2 added"), "{first}");
    let again = env.ok(&["ingest", &fixture("seed-herald.atom")]);
    assert!(again.contains("0 added, 2 unchanged"), "{again}");

    // An entry without an id is named by its link.
    let no_id: serde_json::Value = serde_json::from_str(&env.ok(&[
        "show",
        "https://www.example-herald.test/world/2025/04/26/no-id",
        "--json",
    ]))
    .unwrap();
    assert_eq!(no_id["source"], "example-herald.test");

    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["trace", "--id", HERALD_ID, "--json"])).unwrap();
    let src = &json["sources"][0];
    assert_eq!(src["id"], WIRE_ID, "{json:#}");
    assert_eq!(src["relation"], "rewrite");
    assert_eq!(json["article"]["date"], "2025-04-26");
    assert_eq!(
        json["article"]["title"],
        "Trump envoy meets Putin as Trump says sides are very close to a deal"
    );
}
