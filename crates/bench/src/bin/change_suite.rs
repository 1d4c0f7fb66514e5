//! The change suite: precision and recall of `unspun-changes` per change
//! type, on copies of real articles with known edits planted in them.
//!
//! Articles: Reuters-21578 (SGML, dated 1987) and BBC News (plain text,
//! undated: every BBC article is given the date 2005-06-17, a Friday, and
//! the outlet "BBC News"). A fixed number of articles of each corpus is
//! drawn with a SplitMix64 generator seeded with [`SEED`], so every run
//! plants the same edits in the same places.
//!
//! Each case is the source article and one copy of it with **one** edit:
//!
//! * planted changes, each expected as one change of its type at the edit:
//!   a word inside a quote replaced (`quote_altered`), a figure changed
//!   (`number_changed`), a hedge added (`hedge_changed`), a city replaced by
//!   its country (`place_generalised`), `not` inserted after an auxiliary
//!   (`negation_changed`), a verb swapped for its antonym
//!   (`polarity_changed`), a weekday shifted by two days (`date_changed`), a
//!   sentence removed (`sentence_dropped`), the copy published without the
//!   source's credit (`attribution_missing`);
//! * harmless variants, where nothing may be reported: a figure written in
//!   words or with a scale word ("12" → "twelve", "1,200,000" → "1.2
//!   million"), a weekday replaced by "yesterday"/"today" when that is the
//!   same day, a long name respelled with one letter doubled, and "said"
//!   outside quotes replaced by "stated".
//!
//! Every copy except the credit case is published by the source's own
//! outlet, so credits are kept. A reported change counts as a true positive
//! when it has the planted type and its evidence overlaps the edit; any
//! other change of a non-`info` severity is a false positive of its type.
//!
//! Run: `cargo run --release -p unspun-bench --bin change-suite [-- --write]`;
//! `--write` stores the table in `docs/CHANGES-BENCH.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use clap::Parser;
use rayon::prelude::*;
use unspun_align::{Aligner, AnalyzedArticle};
use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};
use unspun_article::{Article, ArticleId};
use unspun_changes::{ChangeDetector, ChangeType, Gazetteer, Severity};
use unspun_segment::{Analyzer, Segmenter, TokenKind};

/// The generator's seed: fixed, so that the suite is the same on every run.
const SEED: u64 = 0x5EED_C4A9_2025;

#[derive(Parser, Debug)]
#[command(about = "Precision and recall of change detection on planted edits")]
struct Args {
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Articles drawn from each corpus.
    #[arg(long, default_value_t = 300)]
    per_corpus: usize,
    /// Write docs/CHANGES-BENCH.md.
    #[arg(long)]
    write: bool,
}

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> Option<&'a T> {
        (!v.is_empty()).then(|| &v[self.below(v.len())])
    }
}

/// What a case expects.
#[derive(Clone, Debug)]
enum Expect {
    /// One change of this type, whose derived evidence overlaps this range
    /// of the copy (or, for source-side evidence, this range of the source).
    Change(ChangeType, Side, std::ops::Range<usize>),
    /// Nothing (a harmless variant).
    Nothing(&'static str),
}

#[derive(Clone, Copy, Debug)]
enum Side {
    Derived,
    Source,
    Any,
}

struct Case {
    text: String,
    keep_credit: bool,
    expect: Expect,
}

fn load(args: &Args) -> Vec<Article> {
    let mut out = Vec::new();
    let mut rng = Rng(SEED);
    let corpora = [
        (args.data.join("reuters21578"), Format::ReutersSgml, None),
        (
            args.data.join("bbc-news-2225/bbc"),
            Format::Text,
            NaiveDate::from_ymd_opt(2005, 6, 17),
        ),
    ];
    for (path, format, date) in corpora {
        let opts = ReadOptions {
            format,
            latin1_fallback: true,
            ..ReadOptions::default()
        };
        let mut arts = Vec::new();
        read_paths(&[path], &opts, &mut |ev| {
            if let ReadEvent::Article { mut article, .. } = ev {
                if article.text.len() < 400 || article.text.len() > 8000 {
                    return;
                }
                if let Some(d) = date {
                    article.date = Some(d);
                    article.source = Some("BBC News".into());
                }
                arts.push(article);
            }
        });
        // Fisher-Yates with the fixed generator, then the first n.
        for i in (1..arts.len()).rev() {
            let j = rng.below(i + 1);
            arts.swap(i, j);
        }
        arts.truncate(args.per_corpus);
        out.extend(arts);
    }
    out
}

fn splice(text: &str, r: std::ops::Range<usize>, new: &str) -> (String, std::ops::Range<usize>) {
    let mut s = String::with_capacity(text.len() + new.len());
    s.push_str(&text[..r.start]);
    s.push_str(new);
    s.push_str(&text[r.end..]);
    (s, r.start..r.start + new.len())
}

const WORDS: &[&str] = &[
    "",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const ANTONYMS: &[(&str, &str)] = &[
    ("rose", "fell"),
    ("fell", "rose"),
    ("raised", "cut"),
    ("increased", "decreased"),
    ("decreased", "increased"),
    ("won", "lost"),
    ("confirmed", "denied"),
    ("denied", "confirmed"),
    ("approved", "rejected"),
    ("rejected", "approved"),
    ("rise", "fall"),
    ("fall", "rise"),
    ("gained", "lost"),
    ("higher", "lower"),
    ("lower", "higher"),
];

const SUBSTITUTES: &[&str] = &[
    "remarkable",
    "terrible",
    "complicated",
    "essential",
    "ridiculous",
];

const CALENDAR: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Every case for one article.
fn cases(a: &AnalyzedArticle, gaz: &Gazetteer, rng: &mut Rng) -> Vec<Case> {
    let text = &a.article.text;
    let mut out = Vec::new();
    let toks: Vec<&unspun_segment::Token> = a.all_tokens().collect();
    let quotes = unspun_changes::quotes::extract(text);
    let in_quote = |p: usize| quotes.iter().any(|q| q.start <= p && p < q.end);
    let sentence_of = |p: usize| {
        a.sentences
            .iter()
            .position(|s| s.span.start <= p && p < s.span.end)
    };
    let planted = |text: String, kind, side, r| Case {
        text,
        keep_credit: true,
        expect: Expect::Change(kind, side, r),
    };
    let harmless = |text: String, why| Case {
        text,
        keep_credit: true,
        expect: Expect::Nothing(why),
    };
    // Figures: plain integers not next to a month (days) and not years.
    let figures: Vec<&&unspun_segment::Token> = toks
        .iter()
        .filter(|t| {
            t.kind == TokenKind::Number
                && !t.norm.contains('.')
                && t.norm
                    .parse::<u64>()
                    .is_ok_and(|v| (2..1_000_000_000).contains(&v) && !(1800..=2100).contains(&v))
                && !in_quote(t.span.start)
                && sentence_of(t.span.start).is_some()
        })
        .collect();
    let month_near = |t: &unspun_segment::Token| {
        let before = window(text, t.span.start.saturating_sub(12), t.span.start);
        let after = window(text, t.span.end, t.span.end + 10);
        [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .iter()
        .any(|m| before.contains(m) || after.trim_start().starts_with(m))
    };
    let figures: Vec<_> = figures
        .into_iter()
        .filter(|t| !month_near(t) && text.is_char_boundary(t.span.start))
        .collect();
    if let Some(t) = rng.pick(&figures) {
        let v: u64 = t.norm.parse().unwrap();
        let new = v * 3 + 7;
        let s = if t.span.text(text).contains(',') {
            commas(new)
        } else {
            new.to_string()
        };
        let (txt, r) = splice(text, t.span.range(), &s);
        out.push(planted(txt, ChangeType::NumberChanged, Side::Derived, r));
    }
    // A hedge added to a bare figure.
    let bare: Vec<_> = figures
        .iter()
        .filter(|t| {
            let before = text[..t.span.start].trim_end();
            let last = before
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_lowercase();
            ![
                "least",
                "than",
                "about",
                "around",
                "nearly",
                "almost",
                "to",
                "over",
                "some",
                "under",
                "approximately",
                "roughly",
                "estimated",
                "below",
                "above",
                "of",
            ]
            .contains(&last.as_str())
                && !before.ends_with(['$', '£'])
        })
        .collect();
    if let Some(t) = rng.pick(&bare) {
        let (txt, r) = splice(text, t.span.start..t.span.start, "about ");
        out.push(planted(
            txt,
            ChangeType::HedgeChanged,
            Side::Derived,
            r.start..r.end + t.span.len(),
        ));
    }
    // Equivalent forms: a small count in words, or a round figure with a scale.
    let small: Vec<_> = figures
        .iter()
        .filter(|t| t.norm.parse::<usize>().is_ok_and(|v| (2..20).contains(&v)))
        .collect();
    if let Some(t) = rng.pick(&small) {
        let v: usize = t.norm.parse().unwrap();
        let (txt, _) = splice(text, t.span.range(), WORDS[v]);
        out.push(harmless(txt, "number in words"));
    } else if let Some(t) = rng.pick(
        &figures
            .iter()
            .filter(|t| {
                t.norm
                    .parse::<u64>()
                    .is_ok_and(|v| v >= 1_000_000 && v % 100_000 == 0)
            })
            .collect::<Vec<_>>(),
    ) {
        let v: u64 = t.norm.parse().unwrap();
        let s = format!("{} million", v as f64 / 1e6);
        let (txt, _) = splice(text, t.span.range(), &s);
        out.push(harmless(txt, "number with a scale word"));
    }
    // A word inside a quote of four or more words.
    let qwords: Vec<_> = toks
        .iter()
        .filter(|t| {
            t.kind == TokenKind::Word
                && !t.stop
                && t.norm.len() >= 4
                && !t.capitalized
                && quotes.iter().any(|q| {
                    q.start <= t.span.start
                        && t.span.end <= q.end
                        && text[q.start..q.end].split_whitespace().count() >= 4
                })
        })
        .collect();
    if let Some(t) = rng.pick(&qwords) {
        let sub = SUBSTITUTES.iter().find(|s| **s != t.norm).unwrap();
        let (txt, r) = splice(text, t.span.range(), sub);
        out.push(planted(txt, ChangeType::QuoteAltered, Side::Derived, r));
    }
    // A city replaced by its country.
    let cities: Vec<_> = toks
        .iter()
        .filter(|t| {
            t.capitalized
                && !in_quote(t.span.start)
                && gaz
                    .lookup(&t.norm)
                    .is_some_and(|p| p.kind == unspun_changes::PlaceKind::City)
                && !t.span.text(text).ends_with('s')
        })
        .filter(|t| {
            // Not part of a longer name ("New York Stock Exchange", "Washington Post").
            let after = text[t.span.end..].trim_start_matches([' ']);
            !after.starts_with(|c: char| c.is_uppercase())
                && !text[..t.span.start]
                    .trim_end_matches(' ')
                    .ends_with(|c: char| c.is_alphabetic() && c.is_uppercase())
        })
        .collect();
    if let Some(t) = rng.pick(&cities) {
        let country = gaz.lookup(&t.norm).unwrap().country_name.clone();
        let (txt, r) = splice(text, t.span.range(), &country);
        out.push(planted(txt, ChangeType::PlaceGeneralised, Side::Derived, r));
    }
    // "not" after an auxiliary.
    let aux: Vec<_> = toks
        .iter()
        .enumerate()
        .filter(|(k, t)| {
            matches!(
                t.norm.as_str(),
                "is" | "was" | "are" | "were" | "will" | "would" | "could" | "has" | "had"
            ) && !in_quote(t.span.start)
                && sentence_of(t.span.start).is_some()
                && toks.get(k + 1).is_some_and(|n| {
                    !matches!(n.norm.as_str(), "not" | "no" | "never") && n.kind == TokenKind::Word
                })
        })
        .map(|(_, t)| t)
        .collect();
    if let Some(t) = rng.pick(&aux) {
        let (txt, r) = splice(text, t.span.end..t.span.end, " not");
        out.push(planted(
            txt,
            ChangeType::NegationChanged,
            Side::Derived,
            r.start + 1..r.end,
        ));
    }
    // An antonym swap.
    let anto: Vec<_> = toks
        .iter()
        .filter(|t| {
            !in_quote(t.span.start)
                && t.span.text(text).chars().all(|c| c.is_lowercase())
                && ANTONYMS.iter().any(|(a, _)| *a == t.norm)
        })
        .collect();
    if let Some(t) = rng.pick(&anto) {
        let to = ANTONYMS.iter().find(|(a, _)| *a == t.norm).unwrap().1;
        let (txt, r) = splice(text, t.span.range(), to);
        out.push(planted(txt, ChangeType::PolarityChanged, Side::Derived, r));
    }
    // Weekdays: shifted (a change) or said relative to the article date (not one).
    let days: Vec<_> = toks
        .iter()
        .filter(|t| {
            !in_quote(t.span.start)
                && t.capitalized
                && WEEKDAYS.iter().any(|w| w.eq_ignore_ascii_case(&t.norm))
        })
        .collect();
    if let Some(t) = rng.pick(&days) {
        let i = WEEKDAYS
            .iter()
            .position(|w| w.eq_ignore_ascii_case(&t.norm))
            .unwrap();
        let (txt, r) = splice(text, t.span.range(), WEEKDAYS[(i + 2) % 7]);
        out.push(planted(txt, ChangeType::DateChanged, Side::Derived, r));
        if let Some(date) = a.article.date {
            let back = (7 + date.weekday().num_days_from_monday() as i64 - i as i64) % 7;
            let prev = &text[..t.span.start];
            let on = prev.trim_end().ends_with("on") && prev.len() - prev.trim_end().len() == 1;
            let from = if on { t.span.start - 3 } else { t.span.start };
            let next_is_name = text[t.span.end..].starts_with(['\'', '’']);
            let future =
                window(text, t.span.start.saturating_sub(40), t.span.start).contains("will");
            let rel = match back {
                0 => Some("today"),
                1 => Some("yesterday"),
                _ => None,
            };
            let qualified = ["last", "next", "this", "past", "coming", "every", "each"]
                .iter()
                .any(|w| prev.trim_end().to_lowercase().ends_with(w));
            if let (Some(rel), false, false, false) = (rel, next_is_name, future, qualified) {
                let (txt, _) = splice(text, from..t.span.end, rel);
                out.push(harmless(txt, "same-day relative date"));
            }
        }
    }
    // A sentence removed (not the first, at least six words).
    let droppable: Vec<usize> = (1..a.sentences.len())
        .filter(|&j| a.tokens[j].len() >= 6)
        .collect();
    if a.sentences.len() >= 4 {
        if let Some(&j) = rng.pick(&droppable) {
            let sp = a.sentences[j].span;
            let end = a.sentences.get(j + 1).map_or(text.len(), |n| n.span.start);
            let (txt, _) = splice(text, sp.start..end, "");
            out.push(planted(
                txt,
                ChangeType::SentenceDropped,
                Side::Source,
                sp.range(),
            ));
        }
    }
    // The credit removed.
    out.push(Case {
        text: text.clone(),
        keep_credit: false,
        expect: Expect::Change(ChangeType::AttributionMissing, Side::Any, 0..0),
    });
    // A long name respelled.
    let names: Vec<_> = toks
        .iter()
        .filter(|t| {
            t.capitalized
                && t.norm.len() >= 7
                && !in_quote(t.span.start)
                && t.span.text(text).chars().all(|c| c.is_ascii_alphabetic())
                && gaz.lookup(&t.norm).is_none()
                && !CALENDAR.contains(&t.norm.as_str())
        })
        .filter(|t| {
            let prev = text[..t.span.start].trim_end();
            !prev.is_empty() && !prev.ends_with(['.', '"', '\n', ':'])
        })
        .collect();
    if let Some(t) = rng.pick(&names) {
        let s = t.span.text(text);
        let k = s.len() / 2;
        let respelled = format!("{}{}", &s[..k], &s[k - 1..]);
        let (txt, _) = splice(text, t.span.range(), &respelled);
        out.push(harmless(txt, "spelling variant"));
    }
    // Paraphrase outside quotes.
    let said: Vec<_> = toks
        .iter()
        .filter(|t| t.norm == "said" && !in_quote(t.span.start))
        .collect();
    if !said.is_empty() {
        let mut txt = text.clone();
        for t in said.iter().rev() {
            txt = splice(&txt, t.span.range(), "stated").0;
        }
        out.push(harmless(txt, "paraphrase outside quotes"));
    }
    out
}

/// `text[a..b]`, widened to char boundaries and clamped to the text.
fn window(text: &str, mut a: usize, mut b: usize) -> &str {
    b = b.min(text.len());
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    while !text.is_char_boundary(b) {
        b += 1;
    }
    &text[a..b]
}

fn commas(v: u64) -> String {
    let digits: Vec<char> = v.to_string().chars().rev().collect();
    let groups: Vec<String> = digits.chunks(3).map(|c| c.iter().rev().collect()).collect();
    groups.into_iter().rev().collect::<Vec<_>>().join(",")
}

/// A case's expectation and the changes reported (type, matches the plant, text).
type Outcome = (Expect, Vec<(ChangeType, bool, String)>);

#[derive(Default, Clone, Copy)]
struct Tally {
    planted: usize,
    found: usize,
    tp: usize,
    fp: usize,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let started = std::time::Instant::now();
    let articles = load(&args);
    let (seg, an) = (Segmenter::new(), Analyzer::new());
    let det = ChangeDetector::new();
    let aligner = Aligner::new();
    let mut rng = Rng(SEED ^ 0xCA5E);
    let sources: Vec<AnalyzedArticle> = articles
        .into_iter()
        .map(|a| AnalyzedArticle::new(a, &seg, &an))
        .collect();
    let all_cases: Vec<(usize, Case)> = sources
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            cases(a, det.gazetteer(), &mut rng)
                .into_iter()
                .map(move |c| (i, c))
        })
        .collect();
    eprintln!("{} articles, {} cases", sources.len(), all_cases.len());
    let results: Vec<Outcome> = all_cases
        .par_iter()
        .map(|(i, case)| {
            let s = &sources[*i];
            let mut copy = Article::new(
                ArticleId::new(format!("{}-copy", s.article.id)).unwrap(),
                case.text.clone(),
            );
            copy.date = s.article.date;
            copy.source = if case.keep_credit {
                s.article.source.clone()
            } else {
                None
            };
            let d = AnalyzedArticle::new(copy, &Segmenter::new(), &Analyzer::new());
            let al = aligner.align(&d, s);
            let report = det.detect(&d, s, &al);
            let mut hit = false;
            let mut seen = Vec::new();
            for c in report.all() {
                if c.severity == Severity::Info {
                    continue;
                }
                // What a dropped sentence carried (its quote) goes with it.
                let inside_dropped = matches!(&case.expect, Expect::Change(ChangeType::SentenceDropped, _, r)
                    if c.derived.is_none() && c.source.as_ref().is_some_and(|t| r.start <= t.start && t.end <= r.end));
                if inside_dropped && c.kind != ChangeType::SentenceDropped {
                    continue;
                }
                let ok = match &case.expect {
                    Expect::Change(kind, side, r) if !hit && c.kind == *kind => {
                        let overlaps = |t: &Option<unspun_changes::TextSpan>| {
                            t.as_ref().is_some_and(|t| {
                                t.start < r.end.max(r.start + 1) && r.start < t.end.max(t.start + 1)
                            })
                        };
                        match side {
                            Side::Derived => overlaps(&c.derived),
                            Side::Source => overlaps(&c.source),
                            Side::Any => true,
                        }
                    }
                    _ => false,
                };
                hit |= ok;
                seen.push((
                    c.kind,
                    ok,
                    format!(
                        "{} | {:?} <- {:?}",
                        c.detail,
                        c.derived.as_ref().map(|x| &x.text),
                        c.source.as_ref().map(|x| &x.text)
                    ),
                ));
            }
            (case.expect.clone(), seen)
        })
        .collect();
    let mut tally: BTreeMap<ChangeType, Tally> = BTreeMap::new();
    let mut harmless: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut examples: BTreeMap<ChangeType, Vec<String>> = BTreeMap::new();
    for (expect, seen) in &results {
        match expect {
            Expect::Change(kind, ..) => {
                let t = tally.entry(*kind).or_default();
                t.planted += 1;
                if seen.iter().any(|x| x.1) {
                    t.found += 1;
                } else if std::env::var_os("SUITE_VERBOSE").is_some() {
                    eprintln!("MISSED {kind}: {seen:?}");
                }
            }
            Expect::Nothing(why) => {
                let h = harmless.entry(why).or_default();
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
                let ex = examples.entry(*kind).or_default();
                if ex.len() < 3 {
                    ex.push(what.clone());
                }
            }
        }
    }
    let mut md = String::new();
    let _ = writeln!(md, "# Change detection benchmark\n");
    let _ = writeln!(
        md,
        "Measured {} on {}, by `cargo run --release -p unspun-bench --bin change-suite -- --write` (seed `{SEED:#x}`, {} articles per corpus from Reuters-21578 and BBC News, {} cases, {:.0} s).\n",
        chrono::Local::now().format("%Y-%m-%d"),
        machine(),
        args.per_corpus,
        results.len(),
        started.elapsed().as_secs_f64()
    );
    let _ = writeln!(md, "Each case is a real article and a copy of it with one planted edit or one harmless variant; see the generator's header (`crates/bench/src/bin/change_suite.rs`) for the rules. Recall: planted edits reported at their place. Precision: reported changes (severity above `info`) that are a planted edit.\n");
    let _ = writeln!(md, "| type | planted | recall | reported | precision |");
    let _ = writeln!(md, "|---|---:|---:|---:|---:|");
    for (kind, t) in &tally {
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
    for (why, (n, clean)) in &harmless {
        let _ = writeln!(
            md,
            "| {why} | {n} | {:.3} |",
            *clean as f64 / (*n).max(1) as f64
        );
    }
    if !examples.is_empty() {
        let _ = writeln!(md, "\n## Examples of false positives\n");
        for (kind, ex) in &examples {
            for e in ex {
                let _ = writeln!(
                    md,
                    "- `{kind}`: {}",
                    e.replace('\n', " ").chars().take(220).collect::<String>()
                );
            }
        }
    }
    print!("{md}");
    if args.write {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/CHANGES-BENCH.md");
        std::fs::write(&path, &md)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!(
        "{} ({} cores)",
        cpu,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    )
}
