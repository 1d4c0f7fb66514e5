//! HTML input end to end: the seed rewrite `000` published as a web page
//! (its text, paragraph by paragraph, inside a cookie banner, a navigation
//! menu, a "related stories" box and a footer: `tests/fixtures/seed-000-page.html`)
//! is traced against the Reuters seed, as the `.txt` seed is.

mod common;

use common::*;

/// Sentences of the page around the article; none may reach the article text.
const BOILERPLATE: [&str; 8] = [
    "We use cookies",
    "Accept all cookies",
    "Subscribe to the Herald",
    "Business and markets",
    "Related stories",
    "World leaders gather in Rome",
    "what recognising Crimea as Russian would mean",
    "All rights reserved",
];

fn page() -> String {
    repo()
        .join("crates/cli/tests/fixtures/seed-000-page.html")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn html_page_of_the_rewrite_traces_to_reuters() {
    let env = Env::new();
    env.ok(&["ingest", &format!("{}/{REUTERS}.txt", seeds())]);
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["trace", &page(), "--json"])).unwrap();

    // The page's metadata.
    let article = &json["article"];
    assert_eq!(article["id"], "seed-000-page");
    assert_eq!(article["in_store"], false);
    assert_eq!(article["date"], "2025-04-26");
    // Where the text came from and how it was found, in the report.
    let provenance = &article["provenance"];
    assert_eq!(
        provenance["url"],
        "https://www.example-herald.test/world/2025/04/26/witkoff-putin-talks"
    );
    assert_eq!(provenance["fetched_url"], serde_json::Value::Null);
    let how = provenance["extraction"].as_str().unwrap();
    assert!(
        how.starts_with("html: rs-trafilatura main content"),
        "{how}"
    );
    assert_eq!(json["sources"][0]["provenance"]["extraction"], "text file");
    // Each paragraph points back into the page: the first one at the
    // article's opening words, not at the menu or the headline.
    let spans = provenance["page_spans"].as_array().unwrap();
    let page_html = std::fs::read_to_string(page()).unwrap();
    let first = &spans[0];
    let at = |k: &str| first[k].as_u64().unwrap() as usize;
    assert_eq!(at("text_start"), 0);
    assert!(
        page_html[at("page_start")..at("page_end")].starts_with("US President Donald Trump"),
        "{first}"
    );
    assert!(spans.len() >= 20, "{}", spans.len());
    let text = env.ok(&["trace", &page()]);
    assert!(
        text.contains("\nfrom: https://www.example-herald.test/world/2025/04/26/witkoff-putin-talks; html: rs-trafilatura main content"),
        "{text}"
    );

    // The same source as the .txt seed gets.
    let src = &json["sources"][0];
    assert_eq!(src["id"], REUTERS, "{json:#}");
    assert_eq!(src["relation"], "rewrite");
    assert_eq!(src["original"], REUTERS);
    let txt: serde_json::Value =
        serde_json::from_str(&env.ok(&["trace", &format!("{}/{REWRITE}.txt", seeds()), "--json"]))
            .unwrap();
    let aligned = |j: &serde_json::Value| -> usize {
        j["sources"][0]["alignments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["derived"].as_array().unwrap().len())
            .sum()
    };
    assert_eq!(aligned(&json), aligned(&txt));

    // The article's own sentences are there, the page's furniture is not.
    let sentences: Vec<&str> = json["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(sentences
        .iter()
        .any(|s| s.starts_with("US President Donald Trump\u{2019}s envoy, Steve Witkoff")));
    assert!(sentences
        .iter()
        .any(|s| s.contains("Crimea will stay with Russia")));
    for boiler in BOILERPLATE {
        assert!(
            !sentences.iter().any(|s| s.contains(boiler)),
            "{boiler:?} in the extracted text: {sentences:#?}"
        );
    }
}

#[test]
fn html_page_is_ingested_with_its_metadata() {
    let env = Env::new();
    let out = env.ok(&["ingest", &page()]);
    assert!(out.contains("1 added"), "{out}");
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "seed-000-page", "--json"])).unwrap();
    assert_eq!(show["date"], "2025-04-26");
    assert_eq!(show["source"], "The Example Herald");
    assert_eq!(
        show["title"],
        "Trump envoy meets Putin as Trump says sides are very close to a deal"
    );
    assert_eq!(
        show["url"],
        "https://www.example-herald.test/world/2025/04/26/witkoff-putin-talks"
    );
    assert!(show["extraction"]
        .as_str()
        .unwrap()
        .starts_with("html: rs-trafilatura main content"));
    let text = show["text"].as_str().unwrap();
    assert!(text.starts_with("US President Donald Trump"), "{text}");
    // Paragraphs stay paragraphs.
    assert!(text.contains("\u{201C}very close to a deal,\u{201D} despite clear differences in their perspectives.\n\nAfter the conclusion"), "{text}");
    for boiler in BOILERPLATE {
        assert!(!text.contains(boiler), "{boiler:?} in {text}");
    }
}
