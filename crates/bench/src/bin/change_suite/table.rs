//! Scoring the outcomes and writing the tables: recall and precision per
//! planted type, clean harmless variants, clean real rewordings, and
//! examples of false changes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use unspun_changes::ChangeType;

use crate::case::Expect;
use crate::detect::Outcome;

#[derive(Default, Clone, Copy)]
struct Tally {
    planted: usize,
    found: usize,
    tp: usize,
    fp: usize,
}

/// The suite's counts, ready to be written.
pub struct Tables {
    tally: BTreeMap<ChangeType, Tally>,
    /// Per harmless variant: cases, and those with nothing reported.
    harmless: BTreeMap<&'static str, (usize, usize)>,
    /// Up to three false changes per type.
    examples: BTreeMap<ChangeType, Vec<String>>,
    /// Per source of real rewordings: pairs, clean pairs, and the types
    /// reported.
    by_source: BTreeMap<&'static str, (usize, usize, BTreeMap<ChangeType, usize>)>,
}

impl Tables {
    /// Counts the planted cases' `results` and the `reworded` pairs.
    pub fn new(results: &[Outcome], reworded: &[(&'static str, Vec<ChangeType>)]) -> Tables {
        let mut tally: BTreeMap<ChangeType, Tally> = BTreeMap::new();
        let mut harmless: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
        let mut examples: BTreeMap<ChangeType, Vec<String>> = BTreeMap::new();
        for (expect, seen) in results {
            match expect {
                Expect::Change(kind, ..) => {
                    let t = tally.entry(*kind).or_default();
                    t.planted += 1;
                    if seen.iter().any(|x| x.1) {
                        t.found += 1;
                    }
                }
                Expect::Nothing(why) => {
                    let h = harmless.entry(*why).or_default();
                    h.0 += 1;
                    if seen.is_empty() {
                        h.1 += 1;
                    }
                }
            }
            for (kind, ok, what) in seen {
                let t = tally.entry(*kind).or_default();
                if *ok {
                    t.tp += 1;
                } else {
                    t.fp += 1;
                    if std::env::var_os("SUITE_VERBOSE").is_some() {
                        eprintln!("FALSE {kind} (case {expect:?}): {what}");
                    }
                    let ex = examples.entry(*kind).or_default();
                    if ex.len() < 3 {
                        ex.push(what.clone());
                    }
                }
            }
        }
        let mut by_source: BTreeMap<&'static str, (usize, usize, BTreeMap<ChangeType, usize>)> =
            BTreeMap::new();
        for (why, kinds) in reworded {
            let e = by_source.entry(*why).or_default();
            e.0 += 1;
            e.1 += kinds.is_empty() as usize;
            for k in kinds {
                *e.2.entry(*k).or_default() += 1;
            }
        }
        Tables {
            tally,
            harmless,
            examples,
            by_source,
        }
    }

    /// The tables, in markdown.
    pub fn write(&self, md: &mut String) {
        let Tables {
            tally,
            harmless,
            examples,
            by_source,
        } = self;
        let _ = writeln!(md, "| type | planted | recall | reported | precision |");
        let _ = writeln!(md, "|---|---:|---:|---:|---:|");
        for (kind, t) in tally {
            let recall = if t.planted > 0 {
                format!("{:.3}", t.found as f64 / t.planted as f64)
            } else {
                "–".into()
            };
            let reported = t.tp + t.fp;
            let precision = if reported > 0 {
                format!("{:.3}", t.tp as f64 / reported as f64)
            } else {
                "–".into()
            };
            let _ = writeln!(
                md,
                "| `{kind}` | {} | {recall} | {reported} | {precision} |",
                t.planted
            );
        }
        let _ = writeln!(
            md,
            "\n| harmless variant | cases | clean (nothing reported) |"
        );
        let _ = writeln!(md, "|---|---:|---:|");
        for (why, (n, clean)) in harmless {
            let _ = writeln!(
                md,
                "| {why} | {n} | {:.3} |",
                *clean as f64 / (*n).max(1) as f64
            );
        }
        let _ = writeln!(
            md,
            "\n| real rewording | pairs | clean (nothing reported) | most reported |\n|---|---:|---:|---|"
        );
        for (why, (n, clean, kinds)) in by_source {
            let mut top: Vec<(&ChangeType, &usize)> = kinds.iter().collect();
            top.sort_by(|a, b| b.1.cmp(a.1));
            let top: Vec<String> = top
                .iter()
                .take(4)
                .map(|(k, n)| format!("`{k}` {n}"))
                .collect();
            let _ = writeln!(
                md,
                "| {why} | {n} | {:.3} | {} |",
                *clean as f64 / (*n).max(1) as f64,
                top.join(", ")
            );
        }
        let _ = writeln!(
            md,
            "\nOn real rewrites: whole-article LLM rewrites of Reuters and BBC stories, [REWRITE-EVAL](REWRITE-EVAL.md); LLM edits of summaries, [SUMMEDITS-BENCH](SUMMEDITS-BENCH.md)."
        );
        if !examples.is_empty() {
            let _ = writeln!(md, "\n## Examples of false positives\n");
            for (kind, ex) in examples {
                for e in ex {
                    let _ = writeln!(
                        md,
                        "- `{kind}`: {}",
                        e.replace('\n', " ").chars().take(220).collect::<String>()
                    );
                }
            }
        }
    }
}
