//! Scoring of change reports on `llm-rewrites-dev` (whole-article LLM
//! rewrites of real Reuters and BBC stories with recorded fact changes), as
//! the set's README defines it. Shared by the `rewrite-eval` command and
//! the fast subset in `tests/rewrites.rs`.
//!
//! * **Planted change flagged**: a reported minor or major change whose span
//!   in the rewrite (or in the original) overlaps the recorded words, give
//!   or take [`SLACK`] bytes. **Typed**: its type also names the planted
//!   kind ([`names_kind`]).
//! * **Unexplained change**: a reported minor or major change that overlaps
//!   no planted change, no recorded dropped sentence, is not the missing
//!   credit, is not the same relative date words read on the later day, and
//!   is not judged `real`. Reports no verdict covers are listed as
//!   unjudged: they must be read and judged (in `docs/rewrite-eval-judged.jsonl`)
//!   before the figures stand; until then they count as unexplained.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};
use unspun_article::{Article, ArticleId};
use unspun_changes::{Change, ChangeType, Severity};
use unspun_engine::Engine;

/// Bytes of give either side of a recorded span.
pub const SLACK: usize = 20;

/// The date given to the BBC originals (the corpus has none).
pub const BBC_DATE: (i32, u32, u32) = (2005, 3, 1);

/// One planted change.
#[derive(Clone, Debug)]
pub struct Planted {
    /// The recorded kind (`number_changed`, `meaning_reversed`, ...).
    pub kind: String,
    /// Where the recorded source words are in the original.
    pub source: Vec<Range<usize>>,
    /// Where the recorded rewrite words are in the rewrite.
    pub rewrite: Vec<Range<usize>>,
}

/// One rewrite of the set.
#[derive(Clone, Debug)]
pub struct Rewrite {
    /// The original's id in the corpus.
    pub id: String,
    /// The original's date (BBC ones get [`BBC_DATE`]).
    pub original_date: NaiveDate,
    /// The original text.
    pub original: String,
    /// The rewrite.
    pub rewrite: String,
    /// The planted changes (empty for a control).
    pub planted: Vec<Planted>,
    /// Where the dropped sentences are in the original.
    pub dropped: Vec<Range<usize>>,
}

impl Rewrite {
    /// A control: nothing planted.
    pub fn is_control(&self) -> bool {
        self.planted.is_empty()
    }
}

/// Reads `rewrites.jsonl`.
pub fn read_rewrites(path: &Path) -> Result<Vec<Rewrite>> {
    let bbc = NaiveDate::from_ymd_opt(BBC_DATE.0, BBC_DATE.1, BBC_DATE.2).expect("valid date");
    let mut out = Vec::new();
    for (n, v) in crate::read_jsonl(path)? {
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        let original = s("original");
        let rewrite = s("rewrite");
        let original_date = match v["original_date"].as_str() {
            Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .with_context(|| format!("{} line {}: date {d}", path.display(), n))?,
            None => bbc,
        };
        let planted = v["changes"]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or(&[])
            .iter()
            .map(|c| Planted {
                kind: c["type"].as_str().unwrap_or("").to_string(),
                source: c["source_text"]
                    .as_str()
                    .map(|t| find_all(&original, t))
                    .unwrap_or_default(),
                rewrite: c["rewrite_text"]
                    .as_str()
                    .map(|t| find_all(&rewrite, t))
                    .unwrap_or_default(),
            })
            .collect();
        let dropped = v["dropped"]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or(&[])
            .iter()
            .filter_map(|d| d.as_str())
            .flat_map(|d| find_all(&original, d))
            .collect();
        out.push(Rewrite {
            id: s("id"),
            original_date,
            original,
            rewrite,
            planted,
            dropped,
        });
    }
    Ok(out)
}

/// Every place `needle` occurs in `hay`, whitespace runs matching any
/// whitespace run (the recorded words were copied with their whitespace
/// normalised; the originals keep their hard line breaks).
pub fn find_all(hay: &str, needle: &str) -> Vec<Range<usize>> {
    let words: Vec<&str> = needle.split_whitespace().collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = hay[from..].find(words[0]) {
        let start = from + i;
        let mut end = start + words[0].len();
        let mut ok = true;
        for w in &words[1..] {
            let rest = &hay[end..];
            let trimmed = rest.trim_start();
            let gap = rest.len() - trimmed.len();
            if gap == 0 || !trimmed.starts_with(w) {
                ok = false;
                break;
            }
            end += gap + w.len();
        }
        if ok {
            out.push(start..end);
        }
        from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Whether the type of a reported change names the planted kind.
pub fn names_kind(planted: &str, reported: ChangeType) -> bool {
    use ChangeType as T;
    match planted {
        "number_changed" => matches!(reported, T::NumberChanged | T::HedgeChanged),
        "entity_replaced" => matches!(reported, T::EntityReplaced | T::QuoteSpeakerChanged),
        "place_changed" => matches!(
            reported,
            T::EntityReplaced | T::PlaceGeneralised | T::PlaceSpecified
        ),
        "date_changed" => reported == T::DateChanged,
        "quote_altered" => reported == T::QuoteAltered,
        "meaning_reversed" => matches!(reported, T::NegationChanged | T::PolarityChanged),
        // An ordinary word carrying a fact: another member of its class, or
        // its antonym ("large" → "small").
        "content_word_changed" => matches!(reported, T::ContentChanged | T::PolarityChanged),
        other => reported.as_str() == other,
    }
}

fn near(span: &Range<usize>, recorded: &[Range<usize>]) -> bool {
    recorded
        .iter()
        .any(|r| span.start < r.end + SLACK && r.start < span.end + SLACK)
}

fn overlaps(span: &Range<usize>, recorded: &[Range<usize>]) -> bool {
    recorded
        .iter()
        .any(|r| span.start < r.end && r.start < span.end)
}

/// A verdict on one unexplained report, keyed as in `judged.jsonl`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// The rewrite's id.
    pub id: String,
    /// The change type.
    pub kind: String,
    /// The derived span's text, or "".
    pub derived: String,
    /// The source span's text, or "".
    pub source: String,
}

impl Key {
    /// The key of `change` in rewrite `id`.
    pub fn of(id: &str, change: &Change) -> Key {
        Key {
            id: id.to_string(),
            kind: change.kind.as_str().to_string(),
            derived: change.derived.as_ref().map_or("", |s| &s.text).to_string(),
            source: change.source.as_ref().map_or("", |s| &s.text).to_string(),
        }
    }

    /// The key as a JSON line with a verdict and a reason.
    pub fn to_json(&self, verdict: &str, why: &str) -> String {
        serde_json::json!({
            "id": self.id, "type": self.kind, "derived": self.derived,
            "source": self.source, "verdict": verdict, "why": why,
        })
        .to_string()
    }
}

/// The verdicts of `judged.jsonl`-style files: `true` for `real`.
#[derive(Default)]
pub struct Verdicts(pub HashMap<Key, bool>);

impl Verdicts {
    /// Adds the verdicts of one file (later files override earlier ones).
    pub fn load(&mut self, path: &Path) -> Result<()> {
        for (n, v) in crate::read_jsonl(path)? {
            let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
            let verdict = match v["verdict"].as_str() {
                Some("real") => true,
                Some("false") => false,
                other => anyhow::bail!("{} line {}: verdict {other:?}", path.display(), n),
            };
            let key = Key {
                id: s("id"),
                kind: s("type"),
                derived: s("derived"),
                source: s("source"),
            };
            self.0.insert(key, verdict);
        }
        Ok(())
    }
}

/// What became of one reported change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// It is at a planted change.
    Planted,
    /// Explained otherwise: a dropped sentence, the missing credit, the
    /// same relative date words, or judged real.
    Explained,
    /// Judged a false alarm.
    False,
    /// No verdict yet.
    Unjudged,
}

/// The outcome for one rewrite.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The rewrite's id.
    pub id: String,
    /// Whether it is a control.
    pub control: bool,
    /// Whether the original was the first source.
    pub original_first: bool,
    /// Whether the original was among the sources at all.
    pub original_found: bool,
    /// Per planted change: (kind, flagged, typed).
    pub planted: Vec<(String, bool, bool)>,
    /// Every minor or major change against the original, with its fate.
    pub reports: Vec<(Change, Fate)>,
}

impl Outcome {
    /// Unexplained changes (false or unjudged) of this severity.
    pub fn unexplained(&self, severity: Severity) -> impl Iterator<Item = &(Change, Fate)> {
        self.reports.iter().filter(move |(c, f)| {
            c.severity == severity && matches!(f, Fate::False | Fate::Unjudged)
        })
    }
}

/// Scores one rewrite: `first` is whether the original came first, and
/// `changes` the changes reported against the original (`None` when the
/// original was not among the sources).
pub fn score(
    rw: &Rewrite,
    first: bool,
    changes: Option<Vec<Change>>,
    verdicts: &Verdicts,
) -> Outcome {
    let found = changes.is_some();
    let changes: Vec<Change> = changes
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.severity >= Severity::Minor)
        .collect();
    let at = |c: &Change, p: &Planted| {
        c.derived
            .as_ref()
            .is_some_and(|d| near(&(d.start..d.end), &p.rewrite))
            || c.source
                .as_ref()
                .is_some_and(|s| near(&(s.start..s.end), &p.source))
    };
    let planted = rw
        .planted
        .iter()
        .map(|p| {
            let hits: Vec<&Change> = changes.iter().filter(|c| at(c, p)).collect();
            let typed = hits.iter().any(|c| names_kind(&p.kind, c.kind));
            (p.kind.clone(), !hits.is_empty(), typed)
        })
        .collect();
    let reports = changes
        .into_iter()
        .map(|c| {
            let fate = if rw.planted.iter().any(|p| at(&c, p)) {
                Fate::Planted
            } else if explained(rw, &c) {
                Fate::Explained
            } else {
                match verdicts.0.get(&Key::of(&rw.id, &c)) {
                    Some(true) => Fate::Explained,
                    Some(false) => Fate::False,
                    None => Fate::Unjudged,
                }
            };
            (c, fate)
        })
        .collect();
    Outcome {
        id: rw.id.clone(),
        control: rw.is_control(),
        original_first: first,
        original_found: found,
        planted,
        reports,
    }
}

fn explained(rw: &Rewrite, c: &Change) -> bool {
    if c.kind == ChangeType::AttributionMissing {
        return true;
    }
    if let Some(s) = &c.source {
        if overlaps(&(s.start..s.end), &rw.dropped) {
            return true;
        }
    }
    // The rewrite is dated a day later: the same relative words ("today",
    // "Tuesday") then resolve to another day by construction.
    if c.kind == ChangeType::DateChanged {
        if let (Some(d), Some(s)) = (&c.derived, &c.source) {
            // "on Sunday" / "Sunday": the same relative word, read from
            // another day.
            let words = |t: &str| -> Vec<String> {
                t.split_whitespace()
                    .map(|w| {
                        w.trim_matches(|c: char| !c.is_alphanumeric())
                            .to_lowercase()
                    })
                    .filter(|w| !matches!(w.as_str(), "on" | "last" | "this" | "next" | "the"))
                    .collect()
            };
            if words(&d.text) == words(&s.text) {
                return true;
            }
        }
    }
    false
}

/// The figures over a set of outcomes.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Rewrites scored.
    pub rewrites: usize,
    /// Controls among them.
    pub controls: usize,
    /// Original first.
    pub original_first: usize,
    /// Per planted kind: (planted, flagged, typed).
    pub kinds: BTreeMap<String, (usize, usize, usize)>,
    /// Non-control rewrites with an unexplained major change.
    pub major_rewrites: usize,
    /// Controls with an unexplained major change.
    pub major_controls: usize,
    /// Unexplained major changes in all.
    pub major_changes: usize,
    /// Rewrites (controls included) with an unexplained minor change.
    pub minor_rewrites: usize,
    /// Unexplained minor changes in all.
    pub minor_changes: usize,
    /// Reports no verdict covers.
    pub unjudged: usize,
}

impl Summary {
    /// Adds up `outcomes`.
    pub fn of(outcomes: &[Outcome]) -> Summary {
        let mut s = Summary::default();
        for o in outcomes {
            s.rewrites += 1;
            s.controls += o.control as usize;
            s.original_first += o.original_first as usize;
            for (kind, flagged, typed) in &o.planted {
                let e = s.kinds.entry(kind.clone()).or_default();
                e.0 += 1;
                e.1 += *flagged as usize;
                e.2 += *typed as usize;
            }
            let major = o.unexplained(Severity::Major).count();
            let minor = o.unexplained(Severity::Minor).count();
            s.major_changes += major;
            s.minor_changes += minor;
            if major > 0 {
                if o.control {
                    s.major_controls += 1;
                } else {
                    s.major_rewrites += 1;
                }
            }
            s.minor_rewrites += (minor > 0) as usize;
            s.unjudged += o
                .reports
                .iter()
                .filter(|(_, f)| *f == Fate::Unjudged)
                .count();
        }
        s
    }

    /// Planted changes flagged, as a share.
    pub fn flagged(&self) -> f64 {
        let (n, f) = self
            .kinds
            .values()
            .fold((0, 0), |(n, f), k| (n + k.0, f + k.1));
        f as f64 / n.max(1) as f64
    }

    /// Planted changes typed, as a share.
    pub fn typed(&self) -> f64 {
        let (n, t) = self
            .kinds
            .values()
            .fold((0, 0), |(n, t), k| (n + k.0, t + k.2));
        t as f64 / n.max(1) as f64
    }

    /// Share of the non-control rewrites with an unexplained major change.
    pub fn major_share(&self) -> f64 {
        self.major_rewrites as f64 / (self.rewrites - self.controls).max(1) as f64
    }

    /// Share of all rewrites with an unexplained minor change.
    pub fn minor_share(&self) -> f64 {
        self.minor_rewrites as f64 / self.rewrites.max(1) as f64
    }
}

/// The corpus id of a file read from the BBC folder: `business/001` →
/// `bbc-business-001`, the ids the set uses.
pub fn bbc_id(id: &str) -> String {
    format!("bbc-{}", id.replace('/', "-"))
}

/// Every article under `path` (Latin-1 accepted where UTF-8 fails); files
/// that cannot be read are left out, as the evaluations' corpora allow.
pub fn read_articles(path: &Path, format: Format) -> Vec<Article> {
    let opts = ReadOptions {
        format,
        latin1_fallback: true,
        ..ReadOptions::default()
    };
    let mut out = Vec::new();
    read_paths(&[path.to_path_buf()], &opts, &mut |ev| {
        if let ReadEvent::Article { article, .. } = ev {
            out.push(article)
        }
    });
    out
}

/// The BBC + Reuters-21578 corpus under `data`, with the originals of
/// `rewrites` dated. `keep(i)` picks the other articles by their index
/// (all of them for the evaluation, a sample for the fast test).
pub fn corpus(
    data: &Path,
    rewrites: &[Rewrite],
    keep: impl Fn(usize) -> bool,
) -> Result<Vec<Article>> {
    let dates: std::collections::HashMap<&str, NaiveDate> = rewrites
        .iter()
        .map(|r| (r.id.as_str(), r.original_date))
        .collect();
    let mut all = read_articles(&data.join("reuters21578"), Format::ReutersSgml);
    for mut a in read_articles(&data.join("bbc-news-2225/bbc"), Format::Auto) {
        a.id = ArticleId::new(bbc_id(a.id.as_str()))?;
        all.push(a);
    }
    let mut out = Vec::new();
    let mut dated = 0;
    for (i, mut a) in all.into_iter().enumerate() {
        if let Some(d) = dates.get(a.id.as_str()) {
            a.date = Some(*d);
            dated += 1;
            out.push(a);
        } else if keep(i) {
            out.push(a);
        }
    }
    anyhow::ensure!(
        dated == rewrites.len(),
        "only {dated} of the {} originals are in the corpus under {}",
        rewrites.len(),
        data.display()
    );
    Ok(out)
}

/// Traces each rewrite, dated a day after its original, with `engine`
/// (whose store holds the corpus) and scores it.
pub fn evaluate(
    engine: &Engine,
    rewrites: &[Rewrite],
    verdicts: &Verdicts,
) -> Result<Vec<Outcome>> {
    rewrites
        .par_iter()
        .map(|rw| -> Result<Outcome> {
            let mut article = Article::new(ArticleId::new(format!("rw-{}", rw.id))?, &rw.rewrite);
            article.date = rw.original_date.succ_opt();
            let trace = engine.trace(article)?;
            let first = trace
                .sources
                .first()
                .is_some_and(|s| s.source.article.id.as_str() == rw.id);
            let changes = trace
                .sources
                .iter()
                .find(|s| s.source.article.id.as_str() == rw.id)
                .map(|s| s.changes.all().cloned().collect());
            Ok(score(rw, first, changes, verdicts))
        })
        .collect()
}
