//! Per-outlet summary: how many of each outlet's articles derive from
//! others, from whom, how heavily rewritten, and how often without credit.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::{DerivationGraph, EdgeRelation};

/// Name used for articles without an outlet.
pub const UNKNOWN_OUTLET: &str = "(unknown)";

/// One outlet's line of the summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutletSummary {
    /// The outlet (the articles' `source` field).
    pub outlet: String,
    /// Its articles in the corpus.
    pub articles: usize,
    /// Of those, how many derive from another article.
    pub derived: usize,
    /// Edges from its articles, by relation.
    pub copies: usize,
    /// Rewrites.
    pub rewrites: usize,
    /// Partial reuse.
    pub partial: usize,
    /// Mean coverage of its derived articles by their sources.
    pub mean_coverage: f32,
    /// Source outlets its articles derive from, with edge counts, most
    /// frequent first.
    pub from: Vec<(String, usize)>,
    /// Edges to another outlet's article.
    pub from_other_outlets: usize,
    /// Of those, how many do not name the source's outlet.
    pub credit_missing: usize,
    /// Source quotes its articles quote with different words.
    pub quotes_altered: usize,
    /// Other articles that derive from its articles.
    pub republished_by_others: usize,
}

/// The summary, one line per outlet, by number of derived articles then
/// name.
pub fn outlet_summary(graph: &DerivationGraph) -> Vec<OutletSummary> {
    let outlet_of = |id: &unspun_article::ArticleId| -> String {
        graph
            .nodes
            .get(id)
            .and_then(|n| n.source.clone())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| UNKNOWN_OUTLET.to_string())
    };
    let mut lines: BTreeMap<String, OutletSummary> = BTreeMap::new();
    for id in graph.nodes.keys() {
        let o = outlet_of(id);
        lines
            .entry(o.clone())
            .or_insert_with(|| OutletSummary {
                outlet: o,
                articles: 0,
                derived: 0,
                copies: 0,
                rewrites: 0,
                partial: 0,
                mean_coverage: 0.0,
                from: Vec::new(),
                from_other_outlets: 0,
                credit_missing: 0,
                quotes_altered: 0,
                republished_by_others: 0,
            })
            .articles += 1;
    }
    let mut coverage: BTreeMap<String, (f32, usize)> = BTreeMap::new();
    let mut from: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut derived_ids: BTreeMap<String, std::collections::BTreeSet<&unspun_article::ArticleId>> =
        BTreeMap::new();
    for e in &graph.edges {
        let (od, os) = (outlet_of(&e.derived), outlet_of(&e.source));
        let l = lines.get_mut(&od).expect("every node has a line");
        match e.relation {
            EdgeRelation::Copy => l.copies += 1,
            EdgeRelation::Rewrite => l.rewrites += 1,
            EdgeRelation::Partial | EdgeRelation::Related => l.partial += 1,
        }
        if let Some(c) = &e.changes {
            l.quotes_altered += c.quotes_altered;
        }
        if od != os {
            l.from_other_outlets += 1;
            if !e.credited {
                l.credit_missing += 1;
            }
        }
        if e.primary {
            let c = coverage.entry(od.clone()).or_default();
            c.0 += e.coverage;
            c.1 += 1;
        }
        derived_ids
            .entry(od.clone())
            .or_default()
            .insert(&e.derived);
        *from.entry(od).or_default().entry(os.clone()).or_default() += 1;
        lines
            .get_mut(&os)
            .expect("every node has a line")
            .republished_by_others += 1;
    }
    for (o, l) in lines.iter_mut() {
        l.derived = derived_ids.get(o).map_or(0, |s| s.len());
        if let Some((sum, n)) = coverage.get(o) {
            l.mean_coverage = sum / *n as f32;
        }
        let mut f: Vec<(String, usize)> = from.remove(o).unwrap_or_default().into_iter().collect();
        f.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        l.from = f;
    }
    let mut out: Vec<OutletSummary> = lines.into_values().collect();
    out.sort_by(|a, b| b.derived.cmp(&a.derived).then(a.outlet.cmp(&b.outlet)));
    out
}

/// The summary as a fixed-width text table.
pub fn render_summary(lines: &[OutletSummary]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<22} {:>8} {:>8} {:>6} {:>6} {:>7} {:>8} {:>9} {:>7} {:>9}  derives from (edges)",
        "outlet",
        "articles",
        "derived",
        "copy",
        "rewr.",
        "partial",
        "mean cov",
        "no credit",
        "quotes",
        "reused by"
    );
    for l in lines {
        let credit = if l.from_other_outlets > 0 {
            format!("{}/{}", l.credit_missing, l.from_other_outlets)
        } else {
            "-".to_string()
        };
        let from: Vec<String> = l
            .from
            .iter()
            .take(3)
            .map(|(o, n)| format!("{o} {n}"))
            .collect();
        let more = if l.from.len() > 3 {
            format!(", +{} more", l.from.len() - 3)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "{:<22} {:>8} {:>8} {:>6} {:>6} {:>7} {:>8} {:>9} {:>7} {:>9}  {}{}",
            truncate(&l.outlet, 22),
            l.articles,
            l.derived,
            l.copies,
            l.rewrites,
            l.partial,
            if l.derived > 0 {
                format!("{:.0}%", l.mean_coverage * 100.0)
            } else {
                "-".to_string()
            },
            credit,
            l.quotes_altered,
            l.republished_by_others,
            from.join(", "),
            more
        );
    }
    s
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
