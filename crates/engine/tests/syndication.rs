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

/// Reuters-21578 NEWID 2008 (5 March 1987) and 7957 (20 March 1987): two
/// sales under one export programme, the second worded after the first.
const SEMOLINA_MARCH_5: &str = "The Commodity Credit Corporation, CCC, has accepted a bid for an export bonus to cover a sale of 2,000 tonnes of semolina to Egypt, the U.S. Agriculture Department said.\n\nThe department said the bonus was 233.91 dlrs per tonne and was made to International Multifoods Corp. The bonus will be paid in the form of commodities from CCC stocks.\n\nThe semolina is for shipment during June 1987, it said.\n\nAn additional 13,000 tonnes of semolina are still available to Egypt under the Export Enhancement Program initiative announced on August 6, 1986, it said.";
const SEMOLINA_MARCH_20: &str = "The Commodity Credit Corporation, CCC, has accepted a bid for an export bonus to cover a sale of 6,000 tonnes of semolina to Egypt, the U.S. Agriculture Department said.\n\nThe department said the semolina is for shipment April-October, 1987, and the bonus awarded was 224.87 dlrs per tonne.\n\nThe bonus was made to International Multifoods Corp and will paid to the exporter in the form of commodities from CCC stocks, the department said.\n\nAn additional 7,000 tonnes of semolina are still available to Egypt under the Export Enhancement Program initiative announced August 1, 1986, it said.";

/// Regression (change-suite `--cross-source`): a word-for-word copy of the
/// 20 March story, with one figure changed, was taken for a fellow rewrite
/// of the 5 March one (each of its sentences a paraphrase of that story),
/// and "6,000 became 2,000"-style changes were reported against a story it
/// never took. A copy carries its source's wording: the 20 March story is
/// its source, and the figure it changed is reported against that story
/// alone.
#[test]
fn a_copy_of_a_rewrite_is_traced_to_the_rewrite_not_its_original() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));
    engine
        .ingest_batch(
            vec![
                article("reuters-2008", "1987-03-05", "Reuters", SEMOLINA_MARCH_5),
                article("reuters-7957", "1987-03-20", "Reuters", SEMOLINA_MARCH_20),
            ],
            OnConflict::Reject,
        )
        .unwrap();
    let copy_text = SEMOLINA_MARCH_20.replace("224.87", "226.87");
    let copy = article("copy", "1987-03-21", "Reuters", &copy_text);
    let trace = engine.trace(copy).unwrap();
    let ids: Vec<&str> = trace
        .sources
        .iter()
        .map(|s| s.source.article.id.as_str())
        .collect();
    assert_eq!(ids[0], "reuters-7957", "{ids:?}");
    assert_eq!(trace.sibling_of(0), None, "the copied story is no sibling");
    for s in &trace.sources {
        let kinds: Vec<String> = s.changes.all().map(|c| c.detail.clone()).collect();
        if s.source.article.id.as_str() == "reuters-7957" {
            assert!(
                kinds.iter().any(|d| d.contains("224.87")),
                "the changed figure is reported: {kinds:?}"
            );
        } else {
            assert!(
                kinds.is_empty(),
                "no change against {}: {kinds:?}",
                s.source.article.id
            );
        }
    }
}
