//! A watch's matches as an Atom feed (RFC 4287), for feed readers and the
//! newsroom tools that poll them.

use atom_syndication::{EntryBuilder, FeedBuilder, FixedDateTime, LinkBuilder, Text};
use serde_json::Value;
use unspun_store::{Watch, WatchMatch};

fn time(rfc3339: &str) -> FixedDateTime {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|_| chrono::DateTime::UNIX_EPOCH.fixed_offset())
}

/// One line saying what matched: "copy of reuters-1 by Outlet, uncredited,
/// 3 changes".
fn summary(m: &WatchMatch, data: &Value) -> String {
    let s = |p: &str| data.pointer(p).and_then(Value::as_str);
    let mut line = format!(
        "{} {} {}",
        m.article,
        s("/relation").unwrap_or("reuses"),
        m.source
    );
    if let Some(outlet) = s("/article/source") {
        line.push_str(&format!(" ({outlet})"));
    }
    if data.get("credited").and_then(Value::as_bool) == Some(false) {
        line.push_str(", without credit");
    }
    if let Some(c) = data.get("coverage").and_then(Value::as_f64) {
        line.push_str(&format!(", {:.0}% of the article", c * 100.0));
    }
    let changes = data
        .get("changes")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if changes > 0 {
        line.push_str(&format!(", {changes} changes"));
    }
    line
}

/// The Atom document of `watch`'s `matches` (newest last as stored; feed
/// readers sort by `updated`). `base` prefixes the links: the server's
/// public URL, or empty for links relative to the server.
pub fn feed(watch: &Watch, name: &str, matches: &[WatchMatch], base: &str) -> String {
    let entries = matches
        .iter()
        .map(|m| {
            let data: Value = serde_json::from_str(&m.payload).unwrap_or(Value::Null);
            let title = data
                .pointer("/article/title")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| m.article.to_string());
            let link = data
                .get("trace")
                .and_then(Value::as_str)
                .map(|p| format!("{base}{p}"))
                .unwrap_or_default();
            EntryBuilder::default()
                .id(format!("urn:unspun:watch:{}:match:{}", watch.id, m.seq))
                .title(Text::plain(title))
                .updated(time(&m.at))
                .summary(Some(Text::plain(summary(m, &data))))
                .links(vec![LinkBuilder::default()
                    .href(link)
                    .rel("alternate")
                    .build()])
                .build()
        })
        .collect::<Vec<_>>();
    let updated = matches
        .last()
        .map_or_else(|| time(&watch.created), |m| time(&m.at));
    FeedBuilder::default()
        .id(format!("urn:unspun:watch:{}", watch.id))
        .title(Text::plain(format!("unspun watch {}: {name}", watch.id)))
        .updated(updated)
        .links(vec![LinkBuilder::default()
            .href(format!("{base}/v1/watches/{}/feed", watch.id))
            .rel("self")
            .build()])
        .entries(entries)
        .build()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspun_article::ArticleId;

    #[test]
    fn the_feed_reads_back_with_one_entry_per_match() {
        let watch = Watch {
            id: 7,
            spec: "{}".into(),
            secret: None,
            created: "2026-12-06T10:00:00Z".into(),
            after_key: 0,
        };
        let m = WatchMatch {
            seq: 3,
            watch: 7,
            article: ArticleId::new("000_rewrite").unwrap(),
            source: ArticleId::new("003_reuters").unwrap(),
            payload: serde_json::json!({
                "relation": "rewrite", "credited": false, "coverage": 0.5,
                "article": {"title": "A <b>rewrite</b> & more", "source": "Outlet"},
                "changes": [{"type": "quote_altered"}],
                "trace": "/v1/articles/000_rewrite/trace",
            })
            .to_string(),
            at: "2026-12-06T11:00:00Z".into(),
        };
        let xml = feed(&watch, "Reuters copies", &[m], "http://127.0.0.1:8080");
        let parsed: atom_syndication::Feed = xml.parse().unwrap();
        assert_eq!(parsed.entries().len(), 1);
        let e = &parsed.entries()[0];
        // Markup in a title is text, escaped, never markup.
        assert_eq!(e.title().as_str(), "A <b>rewrite</b> & more");
        assert_eq!(
            e.summary().unwrap().as_str(),
            "000_rewrite rewrite 003_reuters (Outlet), without credit, 50% of the article, 1 changes"
        );
        assert_eq!(
            e.links()[0].href(),
            "http://127.0.0.1:8080/v1/articles/000_rewrite/trace"
        );
    }
}
