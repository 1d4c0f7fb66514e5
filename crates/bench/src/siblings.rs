//! The sibling evaluation (issue 14, "Siblings"): a store of the l2r-dev
//! human texts and their LLM rewrites (optionally among distractors), in
//! one of two date settings, traced and graphed; for every rewrite,
//! whether its human text is the first source of its trace and the
//! graph's parent, and every edge from one rewrite to another with
//! whether it states what it carries that the common source lacks.
//! Shared by `sibling-eval` and the bench crate's test.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;
use unspun_article::{Article, ArticleId};
use unspun_engine::{Engine, EngineBuilder, Semantics};
use unspun_graph::GraphState;
use unspun_store::{EmbeddedStore, OnConflict};

use crate::l2r::Family;

/// How the family members are dated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// Human texts a day before their rewrites.
    OriginalEarlier,
    /// All on the same day.
    SameDay,
}

impl Setting {
    /// The name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Setting::OriginalEarlier => "human texts a day earlier",
            Setting::SameDay => "all the same day",
        }
    }
}

/// Counts for one domain (or all).
#[derive(Clone, Debug, Default)]
pub struct Counts {
    /// Rewrites traced.
    pub rewrites: usize,
    /// Rewrites whose trace lists their human text first.
    pub original_first: usize,
    /// Rewrites whose trace lists their human text at all.
    pub original_listed: usize,
    /// Rewrites whose primary graph parent is their human text.
    pub graph_parent: usize,
    /// Rewrite → rewrite edges within a family.
    pub sibling_edges: usize,
    /// Of those, edges that state what they carry beyond the common source.
    pub sibling_edges_with_evidence: usize,
    /// Rewrite → rewrite edges across families.
    pub cross_edges: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.rewrites += o.rewrites;
        self.original_first += o.original_first;
        self.original_listed += o.original_listed;
        self.graph_parent += o.graph_parent;
        self.sibling_edges += o.sibling_edges;
        self.sibling_edges_with_evidence += o.sibling_edges_with_evidence;
        self.cross_edges += o.cross_edges;
    }
}

/// The outcome of one setting.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Counts per domain, and `"all"`.
    pub by_domain: BTreeMap<String, Counts>,
    /// One line per failure (trace not first, graph parent wrong, sibling
    /// edge), to read.
    pub failures: Vec<String>,
    /// Seconds spent tracing the rewrites (wall).
    pub trace_s: f64,
    /// Seconds spent building the graph (wall).
    pub graph_s: f64,
}

/// Evaluates `families` in `setting`, with `distractors` stored beside
/// them. `semantics` is what `trace` uses; the graph is lexical, the
/// default of `unspun graph` (see [`evaluate_with`]).
pub fn evaluate(
    families: &[Family],
    distractors: &[Article],
    setting: Setting,
    semantics: Semantics,
) -> Result<Outcome> {
    evaluate_with(
        families,
        distractors,
        setting,
        semantics,
        Semantics::Lexical,
    )
}

/// As [`evaluate`], with the graph built in `graph_semantics`' mode (as
/// `unspun graph --model`) instead of lexically.
pub fn evaluate_with(
    families: &[Family],
    distractors: &[Article],
    setting: Setting,
    semantics: Semantics,
    graph_semantics: Semantics,
) -> Result<Outcome> {
    let dir = tempfile::tempdir()?;
    let store = Arc::new(EmbeddedStore::open(dir.path())?);
    let lexical = Engine::new(store.clone());
    for chunk in distractors.chunks(5000) {
        lexical.ingest_batch(chunk.to_vec(), OnConflict::Reject)?;
    }
    let earlier = chrono::NaiveDate::from_ymd_opt(2024, 5, 1);
    let later = chrono::NaiveDate::from_ymd_opt(2024, 5, 2);
    // rewrite id -> (domain, original id, family index)
    let mut family_of: BTreeMap<ArticleId, (&'static str, ArticleId, usize)> = BTreeMap::new();
    let mut batch = Vec::new();
    for (k, f) in families.iter().enumerate() {
        let mut o = f.original.clone();
        o.date = match setting {
            Setting::OriginalEarlier => earlier,
            Setting::SameDay => later,
        };
        batch.push(o);
        for r in &f.rewrites {
            let mut r = r.clone();
            r.date = later;
            family_of.insert(r.id.clone(), (f.domain, f.original.id.clone(), k));
            batch.push(r);
        }
    }
    lexical.ingest_batch(batch, OnConflict::Reject)?;

    let tracer = EngineBuilder::new(store.clone())
        .semantics(semantics)
        .build();
    let t0 = std::time::Instant::now();
    let ids: Vec<&ArticleId> = family_of.keys().collect();
    let traced: Vec<Result<(Vec<String>, String)>> = ids
        .par_iter()
        .map(|id| {
            let t = tracer.trace_id(id)?;
            let list: Vec<String> = t
                .sources
                .iter()
                .map(|s| s.source.article.id.to_string())
                .collect();
            let shown: Vec<String> = t
                .sources
                .iter()
                .take(4)
                .map(|s| {
                    format!(
                        "{} ({} {:.2})",
                        s.source.article.id,
                        s.relation.as_str(),
                        s.score
                    )
                })
                .collect();
            Ok((list, shown.join(", ")))
        })
        .collect();
    let trace_s = t0.elapsed().as_secs_f64();

    let t0 = std::time::Instant::now();
    let grapher = EngineBuilder::new(store.clone())
        .semantics(graph_semantics)
        .build();
    let mut state = GraphState::new();
    state.update(&grapher, &|_, _| {})?;
    let graph = state.graph(&grapher)?;
    let graph_s = t0.elapsed().as_secs_f64();

    let mut out = Outcome {
        trace_s,
        graph_s,
        ..Outcome::default()
    };
    let mut per: BTreeMap<String, Counts> = BTreeMap::new();
    for (id, t) in ids.iter().zip(traced) {
        let (list, shown) = t?;
        let (domain, original, _) = &family_of[*id];
        let c = per.entry(domain.to_string()).or_default();
        c.rewrites += 1;
        if list.first().map(String::as_str) == Some(original.as_str()) {
            c.original_first += 1;
        } else {
            out.failures.push(format!(
                "trace {id}: original {original} not first: {shown}"
            ));
        }
        if list.iter().any(|s| s == original.as_str()) {
            c.original_listed += 1;
        }
    }
    for id in &ids {
        let (domain, original, _) = &family_of[*id];
        let parents: Vec<&unspun_graph::Edge> =
            graph.edges.iter().filter(|e| &e.derived == *id).collect();
        let primary = parents.iter().find(|e| e.primary);
        if primary.is_some_and(|e| &e.source == original) {
            per.get_mut(*domain).expect("traced").graph_parent += 1;
        } else {
            let shown: Vec<String> = parents
                .iter()
                .map(|e| {
                    format!(
                        "{}{} ({} cov {:.2}; {})",
                        e.source,
                        if e.primary { "*" } else { "" },
                        e.relation.as_str(),
                        e.coverage,
                        e.notes.join("; ")
                    )
                })
                .collect();
            out.failures.push(format!(
                "graph {id}: parent is not {original}: [{}]",
                shown.join(" | ")
            ));
        }
    }
    for e in &graph.edges {
        let (Some(d), Some(s)) = (family_of.get(&e.derived), family_of.get(&e.source)) else {
            continue;
        };
        let c = per.get_mut(d.0).expect("traced");
        if d.2 != s.2 {
            c.cross_edges += 1;
            out.failures
                .push(format!("cross-family edge {} -> {}", e.derived, e.source));
            continue;
        }
        c.sibling_edges += 1;
        let stated = e
            .beyond_common
            .as_ref()
            .is_some_and(|b| !b.carried.is_empty());
        if stated {
            c.sibling_edges_with_evidence += 1;
        }
        out.failures.push(format!(
            "sibling edge {} -> {} ({}, cov {:.2}, evidence stated: {stated}; {})",
            e.derived,
            e.source,
            e.relation.as_str(),
            e.coverage,
            e.notes.join("; ")
        ));
    }
    let mut all = Counts::default();
    for c in per.values() {
        all.add(c);
    }
    per.insert("all".into(), all);
    out.by_domain = per;
    Ok(out)
}
