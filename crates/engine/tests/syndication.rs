//! A wire story republished by several outlets: the trace of a rewrite
//! names the wire story first, not one of its copies, and lists an article
//! published after the rewrite below its possible sources.

use std::sync::Arc;

use unspun_article::{Article, ArticleId};
use unspun_engine::Engine;
use unspun_store::{EmbeddedStore, OnConflict};

const WIRE: &str = "Shell Canada Ltd said it will close its Montreal East refinery in March, cutting 380 jobs, because demand for gasoline in Quebec has fallen for six straight years.\n\nThe refinery processes about 70,000 barrels of crude oil a day and supplies service stations in Quebec and eastern Ontario, company spokesman Gerald Tremblay told reporters in Calgary.\n\nTremblay said Shell would supply its Quebec customers from its Sarnia refinery in Ontario and from imports through a marine terminal that will stay open at the Montreal site.\n\nThe union representing the refinery workers said it would ask the Quebec government to delay the closure until a buyer could be found for the plant.";

fn article(id: &str, date: &str, outlet: &str, text: &str) -> Article {
    let mut a = Article::new(ArticleId::new(id).unwrap(), text);
    a.date = Some(date.parse().unwrap());
    a.source = Some(outlet.to_string());
    a
}

#[test]
fn a_rewrite_is_traced_to_the_wire_story_before_its_copies() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));
    // Copies on the wire story's day and the next, under ids that sort
    // before it; one leaves out the last paragraph, as the rewrite does, and
    // so matches the rewrite as well as the wire story or better.
    let shorter = WIRE.rsplit_once("\n\n").unwrap().0;
    let mut stored = vec![
        article("wire-story", "1987-03-02", "Reuters", WIRE),
        article("a-copy", "1987-03-02", "Daily Ledger", WIRE),
        article("b-copy", "1987-03-03", "Market Pulse", shorter),
    ];
    let rewrite_text = "Shell Canada Ltd will shut its Montreal East refinery in March and cut 380 jobs, as demand for gasoline in Quebec has fallen for six straight years.\n\nThe refinery handles about 70,000 barrels of crude oil a day and supplies service stations in Quebec and eastern Ontario, spokesman Gerald Tremblay told reporters in Calgary.\n\nShell would serve its Quebec customers from its Sarnia refinery in Ontario and from imports through a marine terminal that will remain open at the Montreal site, Tremblay said.";
    // Published after the rewrite, and copying it.
    stored.push(article(
        "later-copy",
        "1987-03-06",
        "Coastal Chronicle",
        rewrite_text,
    ));
    engine.ingest_batch(stored, OnConflict::Reject).unwrap();

    let rewrite = article("rewrite", "1987-03-04", "City Observer", rewrite_text);
    let trace = engine.trace(rewrite).unwrap();
    let ids: Vec<&str> = trace
        .sources
        .iter()
        .map(|s| s.source.article.id.as_str())
        .collect();
    assert_eq!(ids.len(), 4, "every stored article is a source: {ids:?}");
    assert_eq!(ids[0], "wire-story", "{ids:?}");
    // The later copy matches best of all, but cannot be where the rewrite
    // came from.
    let best = trace
        .sources
        .iter()
        .max_by(|a, b| a.score.total_cmp(&b.score))
        .unwrap();
    assert_eq!(best.source.article.id.as_str(), "later-copy");
    assert_eq!(ids[3], "later-copy", "{ids:?}");
    // Each sentence the wire story explains is attributed to it, not to a
    // copy with the same sentence.
    for (i, a) in trace.attribution.iter().enumerate() {
        if let Some(si) = a {
            assert_eq!(
                trace.sources[*si].source.article.id.as_str(),
                "wire-story",
                "sentence {i}"
            );
        }
    }
}
