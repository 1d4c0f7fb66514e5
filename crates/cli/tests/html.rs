//! `trace --html`: one self-contained page, with every piece of article
//! text escaped, including hostile text.

mod common;

use common::*;

#[test]
fn seed_report_page() {
    let env = Env::new();
    env.ok(&["ingest", &seeds()]);
    let page = env.dir.path().join("trace.html");
    env.ok(&["trace", "--id", REWRITE, "--html", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Self-contained: no scripts, no external resources.
    assert!(!html.contains("<script"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    // The changes are highlighted and listed.
    assert!(html.contains("quote_altered"));
    assert!(html.contains("place_generalised"));
    assert!(html.contains("attribution_missing"));
    assert!(html.contains("<mark class=\"major\""));
    // Aligned sentences link to each other.
    assert!(html.contains("href=\"#s0d0\""));
    insta::assert_snapshot!("trace_000_html", html);
}

#[test]
fn hostile_text_is_escaped() {
    let env = Env::new();
    let wire = "date 2025-05-01 [Source: Wire <b>Agency</b>]\n\
        The minister said \"<script>alert('x')</script> we will not resign\" on Monday in Paris.\n\n\
        Officials <img src=x onerror=alert(1)> confirmed 12 arrests in the capital on Monday.\n";
    let copy = "date 2025-05-01 The minister said \"<script>alert('y')</script> we will resign\" on Monday in France.\n\n\
        Officials <img src=x onerror=alert(1)> confirmed 21 arrests in the capital on Monday.\n\n\
        <a href=\"javascript:alert(2)\" onclick='alert(3)'>click</a> & more.\n";
    let w = env.write("wire.txt", wire.as_bytes());
    env.ok(&["ingest", w.to_str().unwrap()]);
    let c = env.write("copy.txt", copy.as_bytes());
    let page = env.dir.path().join("hostile.html");
    env.ok(&[
        "trace",
        c.to_str().unwrap(),
        "--html",
        page.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    for bad in [
        "<script",
        "<img",
        "<a href=\"javascript",
        "onclick='",
        "<b>Agency",
    ] {
        assert!(!html.contains(bad), "unescaped {bad:?} in the page");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;y&#39;)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // Outside text, only our own markup: every tag is one we write.
    let allowed = [
        "!DOCTYPE", "html", "/html", "head", "/head", "meta", "title", "/title", "style", "/style",
        "body", "/body", "h1", "/h1", "h2", "/h2", "h3", "/h3", "div", "/div", "table", "/table",
        "tr", "/tr", "td", "/td", "th", "/th", "span", "/span", "a", "/a", "mark", "/mark", "ul",
        "/ul", "li", "/li", "b", "/b",
    ];
    let style_end = html.find("</style>").unwrap();
    for tag in html[style_end..].split('<').skip(1) {
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>')
            .collect();
        assert!(allowed.contains(&name.as_str()), "unexpected tag <{name}");
    }
}

#[test]
fn gazetteer_file_extends_place_changes() {
    let env = Env::new();
    let wire = "date 2025-05-01 [Source: Wire]\nShelling hit Huliaipole on Monday, regional officials said, \
                and at least 4 people were hurt in the attack on the city centre.\n";
    let copy = "date 2025-05-01 Shelling hit Ukraine on Monday, regional officials said, \
                and at least 4 people were hurt in the attack on the city centre.\n";
    let w = env.write("wire.txt", wire.as_bytes());
    env.ok(&["ingest", w.to_str().unwrap()]);
    let c = env.write("copy.txt", copy.as_bytes());
    let changes = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["trace", c.to_str().unwrap(), "--json"];
        args.extend_from_slice(extra);
        let v: serde_json::Value = serde_json::from_str(&env.ok(&args)).unwrap();
        v["sources"][0]["alignments"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["changes"].as_array().unwrap().clone())
            .map(|c| c["type"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!changes(&[]).contains(&"place_generalised".to_string()));
    let g = env.write("places.tsv", b"# extra places\ncity\tHuliaipole\tUkraine\n");
    let with = changes(&["--gazetteer", g.to_str().unwrap()]);
    assert!(with.contains(&"place_generalised".to_string()), "{with:?}");
    let bad = env.write("bad.tsv", b"town\tNowhere\n");
    let out = env.run(&[
        "trace",
        c.to_str().unwrap(),
        "--gazetteer",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.tsv:1"));
}
