//! `--cross-source`: every copy traced through the whole BBC News +
//! Reuters-21578 store, counting changes reported against any source but
//! the one the edit was planted in (issue 14: changes only where there is
//! derivation).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;
use unspun_align::AnalyzedArticle;
use unspun_article::{Article, ArticleId};
use unspun_changes::{ChangeType, Severity};

use crate::case::{Case, Expect};

/// The copy of case `k` as an article to trace against the store: a day
/// after its source, with the source's outlet when the case keeps credit.
fn suite_copy(s: &Article, case: &Case, k: usize) -> Article {
    let mut copy = Article::new(
        ArticleId::new(format!("suite-copy-{k}-of-{}", s.id)).unwrap(),
        case.text.clone(),
    );
    copy.date = s.date.and_then(|d| d.succ_opt());
    copy.source = if case.keep_credit {
        s.source.clone()
    } else {
        None
    };
    copy
}

/// Every case's copy to trace: its source's index, the planted type (none
/// for a harmless variant), and the copy.
pub fn copies(
    sources: &[AnalyzedArticle],
    all_cases: &[(usize, Case)],
) -> Vec<(usize, Option<ChangeType>, Article)> {
    all_cases
        .iter()
        .enumerate()
        .map(|(k, (i, case))| {
            let s = &sources[*i].article;
            let kind = match &case.expect {
                Expect::Change(kind, ..) => Some(*kind),
                Expect::Nothing(_) => None,
            };
            (*i, kind, suite_copy(s, case, k))
        })
        .collect()
}

/// What `--cross-source` found: per case, whether the planted source was
/// found as a derivation, and which other sources got changes.
#[derive(Default)]
pub struct CrossSource {
    cases: usize,
    planted_found: usize,
    /// Cases with a planted edit, and of them those whose edit is reported
    /// (its type, minor or major) against the planted source.
    edits: usize,
    edits_found: usize,
    /// The same per planted type: (planted, reported against the planted
    /// source).
    edits_by_kind: BTreeMap<ChangeType, (usize, usize)>,
    /// Cases with a minor or major change against another source that the
    /// planted source does not also get.
    other_changed: usize,
    /// Of those, cases where every such source has the planted source's
    /// text word for word (a duplicate in the corpus: the same changes
    /// hold against it).
    only_twins: usize,
    /// Sources with changes, other than the planted one, per relation.
    by_relation: BTreeMap<String, usize>,
    examples: Vec<String>,
    seconds: f64,
    store_articles: u64,
}

/// Another source with a change: its id, relation, whether it is a
/// word-for-word duplicate of the planted source, and the change.
type Other = (String, String, bool, String);

/// One traced copy: the planted source found as a derivation; for a
/// planted edit, whether it was reported against the planted source; the
/// other sources with changes.
type CaseTrace = (bool, Option<bool>, Vec<Other>);

/// Traces every copy through the store at `store_path` (ingesting the
/// corpora under `data` on first use) with the `model` trace semantics.
pub fn cross_source(
    store_path: &Path,
    data: &Path,
    model: &str,
    sources: &[AnalyzedArticle],
    copies: &[(usize, Option<ChangeType>, Article)],
) -> Result<CrossSource> {
    use unspun_store::Store as _;
    let store = unspun_bench::news_store::open(store_path, data)?;
    let engine = unspun_engine::EngineBuilder::new(store.clone())
        .semantics(unspun_bench::semantics(model)?)
        .build();
    let t0 = std::time::Instant::now();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let per_case: Vec<Result<CaseTrace>> = copies
        .par_iter()
        .map(|(i, planted_kind, copy)| {
            let planted = &sources[*i].article;
            // Dated a day after the stored source, and crediting its stored
            // outlet when the case keeps credit (the suite dates and credits
            // BBC articles; the store, like `unspun ingest`, does not).
            let mut copy = copy.clone();
            if let Some(stored) = store.key_of(&planted.id)?.map(|k| store.get(k)).transpose()?.flatten() {
                copy.date = stored.article.date.and_then(|d| d.succ_opt());
                if copy.source.is_some() {
                    copy.source = stored.article.source.clone();
                }
            }
            let copy_date = copy.date;
            let trace = engine.trace(copy)?;
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if n.is_multiple_of(1000) {
                eprintln!("cross-source: {n}/{} traced", copies.len());
            }
            let twin = |m: &unspun_engine::SourceMatch| {
                m.source.article.id == planted.id
                    || m.source.article.text.trim() == planted.text.trim()
            };
            let found = trace
                .sources
                .iter()
                .any(|m| m.source.article.id == planted.id && m.relation.is_derivation());
            // The changes against the planted source (or a word-for-word
            // duplicate of it): the same change against another version of
            // the story that holds the same sentence is the same true claim.
            let key = |c: &unspun_changes::Change| {
                (
                    c.kind,
                    c.derived.as_ref().map(|t| t.text.clone()),
                    c.source.as_ref().map(|t| t.text.clone()),
                )
            };
            let planted_changes: std::collections::HashSet<_> = trace
                .sources
                .iter()
                .filter(|m| twin(m))
                .flat_map(|m| m.changes.all())
                .filter(|c| c.severity != Severity::Info)
                .map(key)
                .collect();
            let planted_found =
                planted_kind.map(|k| planted_changes.iter().any(|(kind, ..)| *kind == k));
            if std::env::var_os("SUITE_VERBOSE").is_some() && planted_found == Some(false) {
                eprintln!(
                    "CROSS-MISSED {:?} in {} (copy dated {:?}, stored source dated {:?})",
                    planted_kind,
                    planted.id,
                    copy_date,
                    trace
                        .sources
                        .iter()
                        .find(|m| m.source.article.id == planted.id)
                        .map(|m| m.source.article.date)
                );
            }
            let others = trace
                .sources
                .iter()
                .filter(|m| m.source.article.id != planted.id)
                .filter_map(|m| {
                    let c = m.changes.all().find(|c| {
                        c.severity != Severity::Info
                            && !planted_changes.contains(&key(c))
                    })?;
                    if std::env::var_os("SUITE_VERBOSE").is_some() {
                        let groups = |x: &unspun_engine::SourceMatch| {
                            x.alignment
                                .groups
                                .iter()
                                .map(|g| format!("{:?}->{:?} {:?} {:.3}", g.derived, g.source, g.kind, g.score))
                                .collect::<Vec<_>>()
                                .join("; ")
                        };
                        let p = trace.sources.iter().find(|x| x.source.article.id == planted.id);
                        eprintln!(
                            "CROSS {} -> {} ({}): {} {:?} | {:?} <- {:?}\n  other: {}\n  planted: {}",
                            planted.id,
                            m.source.article.id,
                            m.relation.as_str(),
                            c.kind,
                            c.derived_sentences,
                            c.derived.as_ref().map(|t| &t.text),
                            c.source.as_ref().map(|t| &t.text),
                            groups(m),
                            p.map(groups).unwrap_or_default()
                        );
                    }
                    Some((
                        m.source.article.id.to_string(),
                        m.relation.as_str().to_string(),
                        twin(m),
                        format!("{}: {}", c.kind, c.detail),
                    ))
                })
                .collect();
            Ok((found, planted_found, others))
        })
        .collect();
    let mut out = CrossSource {
        seconds: t0.elapsed().as_secs_f64(),
        store_articles: store.stats()?.articles,
        ..CrossSource::default()
    };
    for ((i, planted_kind, copy), r) in copies.iter().zip(per_case) {
        let (found, planted_found, others) = r.with_context(|| format!("tracing {}", copy.id))?;
        out.cases += 1;
        out.planted_found += found as usize;
        if let (Some(f), Some(kind)) = (planted_found, planted_kind) {
            out.edits += 1;
            out.edits_found += f as usize;
            let e = out.edits_by_kind.entry(*kind).or_default();
            e.0 += 1;
            e.1 += f as usize;
        }
        if others.is_empty() {
            continue;
        }
        out.other_changed += 1;
        out.only_twins += others.iter().all(|o| o.2) as usize;
        for (id, relation, twin, change) in others {
            *out.by_relation.entry(relation.clone()).or_default() += 1;
            if !twin && out.examples.len() < 12 {
                out.examples.push(format!(
                    "copy of `{}` → `{id}` ({relation}): {}",
                    sources[*i].article.id,
                    change
                        .replace('\n', " ")
                        .chars()
                        .take(160)
                        .collect::<String>()
                ));
            }
        }
    }
    Ok(out)
}

impl CrossSource {
    pub fn write(&self, md: &mut String) {
        let frac = |n: usize| {
            format!(
                "{:.4} ({n}/{})",
                n as f64 / self.cases.max(1) as f64,
                self.cases
            )
        };
        let _ = writeln!(md, "\n## Changes only against the planted source\n");
        let _ = writeln!(md, "Every copy above (planted edits and harmless variants), dated a day after its source, traced against the whole BBC News + Reuters-21578 store ({} articles, as `unspun trace`; `--cross-source`, {:.0} s). A case fails when a source other than the planted one carries a minor or major change that the planted source does not also get (the same type and the same words on both sides: the planted edit seen against another version of the story that holds the same sentence is the same true claim). Reuters-21578 holds word-for-word duplicates of some stories; a duplicate carries the same (true) changes as the planted source and is counted apart. Floor (issue 14): ≤ 1%.\n", self.store_articles, self.seconds);
        let _ = writeln!(md, "| measure | value |\n|---|---:|");
        let _ = writeln!(
            md,
            "| planted source found as a derivation | {} |",
            frac(self.planted_found)
        );
        let _ = writeln!(
            md,
            "| planted edit reported against the planted source | {:.4} ({}/{}) |",
            self.edits_found as f64 / self.edits.max(1) as f64,
            self.edits_found,
            self.edits
        );
        let _ = writeln!(
            md,
            "| cases with a change against another source | {} |",
            frac(self.other_changed)
        );
        let _ = writeln!(
            md,
            "| of which every such source is a word-for-word duplicate of the planted one | {} |",
            frac(self.only_twins)
        );
        let _ = writeln!(
            md,
            "| cases with a change against another, non-duplicate source | {} |",
            frac(self.other_changed - self.only_twins)
        );
        let kinds: Vec<String> = self
            .edits_by_kind
            .iter()
            .map(|(k, (n, f))| format!("`{k}` {:.2}", *f as f64 / (*n).max(1) as f64))
            .collect();
        let _ = writeln!(md, "\nPlanted edits reported against the planted source, by type: {}. Lower than in the pairwise table above where the trace's own judgement enters: the store's BBC articles have no outlet (so a copy without credit drops none) and no date, and a copy traced through the whole store may be judged the original of an undated source (no changes then). `date_changed` is not measured here: a weekday is resolved against the article's date, and the store's BBC articles have none (122 of the 123 date edits missed are in BBC articles).", kinds.join(", "));
        if !self.by_relation.is_empty() {
            let rel: Vec<String> = self
                .by_relation
                .iter()
                .map(|(r, n)| format!("{r} {n}"))
                .collect();
            let _ = writeln!(
                md,
                "\nOther sources with changes, by relation: {}.",
                rel.join(", ")
            );
        }
        if !self.examples.is_empty() {
            let _ = writeln!(md, "\nExamples (non-duplicate sources):\n");
            for e in &self.examples {
                let _ = writeln!(md, "- {e}");
            }
        }
    }
}
