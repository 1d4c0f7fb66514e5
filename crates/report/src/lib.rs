//! # unspun-report: traces as readable text and as JSON
//!
//! The last stage of the pipeline. [`TraceReport`] is the JSON contract of
//! `unspun trace --json` (documented with a full example in the README);
//! [`render_text`] is the default human-readable output, with each source
//! sentence shown under the article sentence it was aligned to.
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use unspun_article::{Article, ArticleId};
//! use unspun_engine::Engine;
//! use unspun_report::{render_text, TraceReport};
//! use unspun_store::{EmbeddedStore, OnConflict};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));
//! engine.ingest_batch(vec![Article::new(ArticleId::new("wire").unwrap(),
//!     "The central bank raised interest rates by a quarter point on Tuesday.")],
//!     OnConflict::Reject).unwrap();
//! let trace = engine.trace(Article::new(ArticleId::new("blog").unwrap(),
//!     "On Tuesday the central bank raised interest rates by a quarter point.")).unwrap();
//! let report = TraceReport::from_trace(&trace);
//! assert_eq!(report.sources[0].id, "wire");
//! assert!(render_text(&trace).contains("wire"));
//! ```
#![deny(missing_docs)]

use std::fmt::Write as _;

use serde::Serialize;
use unspun_align::{AnalyzedArticle, MatchKind, Original, Relation};
use unspun_article::ArticleId;
use unspun_changes::{Change, Severity};
use unspun_engine::Trace;
use unspun_store::{Store, VerdictKind};

mod csv;
mod html;

pub use crate::csv::{render_csv, CSV_HEADER};
pub use html::{render_html, render_html_fragment, render_html_reviewed, REPORT_STYLE};

/// `article` of the JSON report.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleInfo {
    /// Article id.
    pub id: String,
    /// Publication date, `YYYY-MM-DD`, or null.
    pub date: Option<String>,
    /// Outlet, or null.
    pub source: Option<String>,
    /// Headline, or null.
    pub title: Option<String>,
    /// Whether the article was read from the store.
    pub in_store: bool,
    /// Where its text came from and how it was extracted.
    pub provenance: ProvenanceInfo,
}

/// Where an article's text came from: its address, where it was fetched
/// from, and how the text was extracted, so that a reader can check the
/// text compared is the article and not a page's menu or a teaser.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProvenanceInfo {
    /// Where it was published (the page's canonical URL when it names one),
    /// or null.
    pub url: Option<String>,
    /// Where the text was fetched from, when known and not `url` (the
    /// address asked for, a WARC record's target URI), or null.
    pub fetched_url: Option<String>,
    /// How the text was obtained (`text file`, `WARC record at offset 0;
    /// html: rs-trafilatura main content, 2 link blocks dropped`), or null
    /// for articles stored before unspun kept it.
    pub extraction: Option<String>,
    /// For a web page, where each paragraph of the text sits in the page:
    /// `[{text_start, text_end, page_start, page_end}]`, byte offsets into
    /// the article text and into the page's HTML (decoded to UTF-8). A
    /// sentence's offsets fall inside its paragraph's text range. Empty for
    /// other inputs.
    pub page_spans: Vec<unspun_article::read::PageSpan>,
}

impl ProvenanceInfo {
    /// The provenance of `article`.
    pub fn of(article: &unspun_article::Article) -> ProvenanceInfo {
        ProvenanceInfo {
            url: article.url.clone(),
            fetched_url: article.fetched_url.clone(),
            extraction: article.extraction.clone(),
            page_spans: article.page_spans.clone(),
        }
    }
}

/// One sentence with its byte offsets.
#[derive(Clone, Debug, Serialize)]
pub struct SentenceInfo {
    /// 0-based index in its article.
    pub index: usize,
    /// Byte offset of the first byte (inclusive) into the article text.
    pub start: usize,
    /// Byte offset after the last byte (exclusive).
    pub end: usize,
    /// The sentence text, `text[start..end]`.
    pub text: String,
}

/// One sentence of the traced article, with its attribution.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleSentence {
    /// Index, offsets and text.
    #[serde(flatten)]
    pub sentence: SentenceInfo,
    /// `prose` or `heading` (a line without final punctuation).
    pub kind: &'static str,
    /// Id of the best source of this sentence, or null when it is new.
    pub source: Option<String>,
}

/// One aligned group.
#[derive(Clone, Debug, Serialize)]
pub struct AlignmentInfo {
    /// Indices of the traced article's sentences.
    pub derived: Vec<usize>,
    /// The source sentences they restate.
    pub source: Vec<SentenceInfo>,
    /// `verbatim`, `edited` or `paraphrase`.
    pub kind: MatchKind,
    /// Similarity in `[0, 1]`.
    pub score: f32,
    /// What the traced article changed in this group (quotes, numbers,
    /// names, places, dates, negation, polarity), with byte spans in both texts.
    pub changes: Vec<Change>,
}

/// One source (or related article) of the traced article.
#[derive(Clone, Debug, Serialize)]
pub struct SourceInfo {
    /// Source article id.
    pub id: String,
    /// Its date, or null.
    pub date: Option<String>,
    /// Its outlet, or null.
    pub source: Option<String>,
    /// Where its text came from and how it was extracted.
    pub provenance: ProvenanceInfo,
    /// `copy`, `rewrite`, `partial` or `related`.
    pub relation: Relation,
    /// Share of the traced article's sentences explained by this source.
    pub coverage: f32,
    /// Share of this source's sentences reused by the traced article.
    pub source_coverage: f32,
    /// Ranking score.
    pub score: f32,
    /// Id of whichever article of the pair is judged the original.
    pub original: String,
    /// Whether that judgement rests on decisive evidence (dates, credits).
    pub direction_certain: bool,
    /// The evidence for the direction.
    pub direction_evidence: Vec<String>,
    /// Present only when this candidate is a sibling: a fellow rewrite of
    /// the article's original (the id given), which it derives from too,
    /// holding nothing the article shares that the original lacks. Not a
    /// source of the article; listed after the original, without changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sibling_of: Option<String>,
    /// Present only when a reviewer gave the pair a verdict or the
    /// source's outlet is licensed ([`TraceReport::attach_reviews`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewInfo>,
    /// The sentence alignment.
    pub alignments: Vec<AlignmentInfo>,
    /// Article-level changes relative to this source: quotes dropped or
    /// added, source sentences dropped (most important first), attribution.
    pub changes: Vec<Change>,
}

/// What reviewers decided about a pair: the verdict in force (the last one
/// recorded) and whether the source's outlet is licensed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewInfo {
    /// `confirmed`, `dismissed` or `licensed`, or null when only the
    /// outlet is licensed.
    pub verdict: Option<VerdictKind>,
    /// The verdict's reason, or null.
    pub reason: Option<String>,
    /// When the verdict was recorded (RFC 3339), or null.
    pub at: Option<String>,
    /// How many verdicts the pair has had (its history is at
    /// `GET /v1/pairs/{article}/{source}/verdicts`).
    pub verdicts: usize,
    /// Whether the source's outlet is on the licensed list.
    pub licensed_outlet: bool,
}

impl ReviewInfo {
    /// One line for the text and HTML reports: `licensed: syndication
    /// agreement (2026-12-06T02:40:11Z; 2 verdicts); outlet licensed`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(v) = self.verdict {
            parts.push(format!(
                "{}: {} ({}; {} verdict{})",
                v.as_str(),
                self.reason.as_deref().unwrap_or(""),
                self.at.as_deref().unwrap_or(""),
                self.verdicts,
                if self.verdicts == 1 { "" } else { "s" }
            ));
        }
        if self.licensed_outlet {
            parts.push("outlet licensed".to_string());
        }
        parts.join("; ")
    }

    /// Whether the pair is not a finding: dismissed, or licensed (by
    /// verdict or by outlet). Alerts and exports leave such pairs out.
    pub fn settles(&self) -> bool {
        self.licensed_outlet
            || matches!(
                self.verdict,
                Some(VerdictKind::Dismissed | VerdictKind::Licensed)
            )
    }
}

/// A source sentence that the traced article did not reuse.
#[derive(Clone, Debug, Serialize)]
pub struct DroppedInfo {
    /// The source it belongs to.
    pub source_id: String,
    /// Its index in that source.
    pub index: usize,
    /// Byte offsets into the source text.
    pub start: usize,
    /// End offset (exclusive).
    pub end: usize,
    /// Its text.
    pub text: String,
}

/// The JSON report of one trace.
#[derive(Clone, Debug, Serialize)]
pub struct TraceReport {
    /// The traced article.
    pub article: ArticleInfo,
    /// Similarity mode: `lexical`, `static` or `minilm`; `lexical-only`
    /// when the embedding models were missing and lexical was the fallback.
    pub mode: &'static str,
    /// Its sentences.
    pub sentences: Vec<ArticleSentence>,
    /// Its sources, best first.
    pub sources: Vec<SourceInfo>,
    /// Indices of sentences aligned to no source.
    pub new: Vec<usize>,
    /// Source sentences not reused, for sources the article copies or rewrites.
    pub dropped: Vec<DroppedInfo>,
}

fn sentence_info(a: &AnalyzedArticle, i: usize) -> SentenceInfo {
    let span = a.sentences[i].span;
    SentenceInfo {
        index: i,
        start: span.start,
        end: span.end,
        text: a.sentence_text(i).to_string(),
    }
}

impl SourceInfo {
    /// Whether the article credits this source's own outlet: `Some(true)`
    /// when the trace kept the attribution, `Some(false)` when it found it
    /// missing, `None` when the source has no known outlet. Credits the
    /// source itself gives to other outlets (a BBC story crediting
    /// Reuters) are not this: the attribution check reports the source's
    /// own outlet first (`unspun_changes` attribution), and only that one
    /// is read here.
    pub fn own_outlet_credit(&self) -> Option<bool> {
        use unspun_changes::ChangeType;
        self.source.as_deref().filter(|o| !o.trim().is_empty())?;
        self.changes.iter().find_map(|c| match c.kind {
            ChangeType::AttributionKept => Some(true),
            ChangeType::AttributionMissing => Some(false),
            _ => None,
        })
    }
}

impl TraceReport {
    /// Adds to each source the reviewers' decisions `store` holds: the
    /// verdict in force on the pair, and whether the source's outlet is
    /// licensed. Sources with neither keep no `review`.
    pub fn attach_reviews(&mut self, store: &dyn Store) -> unspun_store::Result<()> {
        let licensed: std::collections::HashSet<String> = store
            .licensed_outlets()?
            .into_iter()
            .map(|l| l.outlet)
            .collect();
        let Ok(article) = ArticleId::new(self.article.id.clone()) else {
            return Ok(());
        };
        for source in &mut self.sources {
            let Ok(source_id) = ArticleId::new(source.id.clone()) else {
                continue;
            };
            let history = store.verdicts(&article, &source_id)?;
            let licensed_outlet = source.source.as_ref().is_some_and(|o| licensed.contains(o));
            let last = history.last();
            if last.is_none() && !licensed_outlet {
                continue;
            }
            source.review = Some(ReviewInfo {
                verdict: last.map(|v| v.verdict),
                reason: last.map(|v| v.reason.clone()),
                at: last.map(|v| v.at.clone()),
                verdicts: history.len(),
                licensed_outlet,
            });
        }
        Ok(())
    }

    /// The review of each source, in the order of the trace's sources (for
    /// [`render_text_reviewed`] and [`render_html_reviewed`]).
    pub fn reviews(&self) -> Vec<Option<ReviewInfo>> {
        self.sources.iter().map(|s| s.review.clone()).collect()
    }

    /// Builds the report of a trace.
    pub fn from_trace(trace: &Trace) -> TraceReport {
        let a = &trace.article;
        let art = &a.article;
        let sentences = (0..a.sentences.len())
            .map(|i| ArticleSentence {
                sentence: sentence_info(a, i),
                kind: match a.sentences[i].kind {
                    unspun_segment::SentenceKind::Heading => "heading",
                    _ => "prose",
                },
                source: trace.attribution[i]
                    .map(|si| trace.sources[si].source.article.id.to_string()),
            })
            .collect();
        let sources = trace
            .sources
            .iter()
            .enumerate()
            .map(|(si, s)| {
                let src = &s.source.article;
                SourceInfo {
                    sibling_of: trace
                        .sibling_of(si)
                        .map(|c| trace.sources[c].source.article.id.to_string()),
                    review: None,
                    id: src.id.to_string(),
                    date: src.date.map(|d| d.to_string()),
                    source: src.source.clone(),
                    provenance: ProvenanceInfo::of(src),
                    relation: s.relation,
                    coverage: round3(s.alignment.coverage()),
                    source_coverage: round3(s.alignment.source_coverage()),
                    score: round3(s.score),
                    original: match s.direction.original {
                        Original::Source => src.id.to_string(),
                        Original::Derived => art.id.to_string(),
                    },
                    direction_certain: s.direction.certain,
                    direction_evidence: s.direction.evidence.clone(),
                    changes: s.changes.article.clone(),
                    alignments: s
                        .alignment
                        .groups
                        .iter()
                        .enumerate()
                        .map(|(gi, g)| AlignmentInfo {
                            derived: g.derived.clone(),
                            source: g
                                .source
                                .iter()
                                .map(|&j| sentence_info(&s.source, j))
                                .collect(),
                            kind: g.kind,
                            score: round3(g.score),
                            changes: s.changes.per_group.get(gi).cloned().unwrap_or_default(),
                        })
                        .collect(),
                }
            })
            .collect();
        TraceReport {
            article: ArticleInfo {
                id: art.id.to_string(),
                date: art.date.map(|d| d.to_string()),
                source: art.source.clone(),
                title: art.title.clone(),
                in_store: trace.in_store,
                provenance: ProvenanceInfo::of(art),
            },
            mode: trace.mode,
            sentences,
            sources,
            new: trace.new_sentences(),
            dropped: dropped(trace),
        }
    }
}

/// Source sentences left out, for sources the traced article derives from
/// as a copy or rewrite (for a partial reuse most of the source is left out
/// by definition, so listing it would bury the signal).
fn dropped(trace: &Trace) -> Vec<DroppedInfo> {
    let mut out = Vec::new();
    for (si, s) in trace.sources.iter().enumerate() {
        if !matches!(s.relation, Relation::Copy | Relation::Rewrite)
            || s.direction.original != Original::Source
            || trace.sibling_of(si).is_some()
        {
            continue;
        }
        for (j, &m) in s.alignment.source_matched.iter().enumerate() {
            if !m {
                let info = sentence_info(&s.source, j);
                out.push(DroppedInfo {
                    source_id: s.source.article.id.to_string(),
                    index: j,
                    start: info.start,
                    end: info.end,
                    text: info.text,
                });
            }
        }
    }
    out
}

/// `! type` for changes that matter, `= type` for what was kept.
fn change_mark(c: &Change) -> String {
    let sign = match c.severity {
        Severity::Major => "!!",
        Severity::Minor => "! ",
        Severity::Info => "= ",
    };
    format!("{sign} {:<20}", c.kind.as_str())
}

/// One line of an article's provenance for the text report: its URL, where
/// it was fetched from, how it was extracted; `None` when nothing is known.
fn provenance_line(article: &unspun_article::Article) -> Option<String> {
    let p = ProvenanceInfo::of(article);
    let parts: Vec<String> = [
        p.url,
        p.fetched_url.map(|u| format!("fetched from {u}")),
        p.extraction,
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

fn pct(x: f32) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Renders a trace as readable text: a summary per source, then the article
/// sentence by sentence, with each aligned source sentence shown under it.
pub fn render_text(trace: &Trace) -> String {
    render_text_reviewed(trace, &[])
}

/// [`render_text`] with the reviewers' decisions on each source
/// (`reviews[i]` for the trace's source `i`, from
/// [`TraceReport::reviews`]), shown under the source's line.
pub fn render_text_reviewed(trace: &Trace, reviews: &[Option<ReviewInfo>]) -> String {
    let mut o = String::new();
    let a = &trace.article;
    let art = &a.article;
    let _ = writeln!(
        o,
        "{}  {}  {}  ({} sentences, {} similarity)",
        art.id,
        art.date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "undated".into()),
        art.source.as_deref().unwrap_or("unknown outlet"),
        a.sentences.len(),
        trace.mode
    );
    if let Some(line) = provenance_line(art) {
        let _ = writeln!(o, "from: {line}");
    }
    if trace.mode == "lexical-only" {
        let _ = writeln!(
            o,
            "note: lexical-only similarity (embedding models not found; run scripts/setup.sh); paraphrases with few shared words may be missed"
        );
    }
    if trace.sources.is_empty() {
        let _ = writeln!(o, "\nNo sources found: every sentence is new.");
        return o;
    }
    let _ = writeln!(o, "\nSources:");
    for (n, s) in trace.sources.iter().enumerate() {
        let src = &s.source.article;
        let original = match s.direction.original {
            Original::Source => src.id.to_string(),
            Original::Derived => art.id.to_string(),
        };
        let _ = writeln!(
            o,
            "  [S{}] {}  {}  {}",
            n + 1,
            src.id,
            src.date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "undated".into()),
            src.source.as_deref().unwrap_or("unknown outlet"),
        );
        if let Some(line) = provenance_line(src) {
            let _ = writeln!(o, "       from: {line}");
        }
        if let Some(review) = reviews.get(n).and_then(Option::as_ref) {
            let _ = writeln!(o, "       review: {}", review.summary());
        }
        if s.relation == Relation::Template {
            let _ = writeln!(
                o,
                "       template: same format, different facts ({} sentences match in form, with other names or figures); not reuse",
                s.alignment.groups.len()
            );
            continue;
        }
        let _ = writeln!(
            o,
            "       {}: covers {} of this article ({}/{} sentences), reuses {} of the source ({}/{}); score {:.2}",
            s.relation.as_str(),
            pct(s.alignment.coverage()),
            s.alignment.derived_aligned(),
            a.sentences.len(),
            pct(s.alignment.source_coverage()),
            s.alignment.source_aligned(),
            s.source.sentences.len(),
            s.score
        );
        let _ = writeln!(
            o,
            "       original: {} ({}) — {}",
            original,
            if s.direction.certain {
                "certain"
            } else {
                "uncertain"
            },
            s.direction.evidence.join("; ")
        );
        if let Some(c) = trace.sibling_of(n) {
            let _ = writeln!(
                o,
                "       sibling rewrite of {} [S{}]: it derives from that article too, and this one shares nothing of it that {} lacks; not a source",
                trace.sources[c].source.article.id,
                c + 1,
                trace.sources[c].source.article.id
            );
        }
    }
    let _ = writeln!(o, "\nSentences:");
    for i in 0..a.sentences.len() {
        let _ = writeln!(o);
        match trace.attribution[i] {
            None => {
                let _ = writeln!(o, "  {:>3} NEW          | {}", i, a.sentence_text(i));
            }
            Some(si) => {
                let s = &trace.sources[si];
                let g = s
                    .alignment
                    .groups
                    .iter()
                    .find(|g| g.derived.contains(&i))
                    .expect("an attributed sentence belongs to a group");
                let _ = writeln!(
                    o,
                    "  {:>3} {:<10} {:.2} | {}",
                    i,
                    g.kind.as_str(),
                    g.score,
                    a.sentence_text(i)
                );
                for &j in &g.source {
                    let _ = writeln!(
                        o,
                        "      S{} {:>3}         | {}",
                        si + 1,
                        j,
                        s.source.sentence_text(j)
                    );
                }
                // Changes are listed once, under the group's first sentence.
                if g.derived[0] == i {
                    let gi = s
                        .alignment
                        .groups
                        .iter()
                        .position(|x| std::ptr::eq(x, g))
                        .unwrap_or(0);
                    for c in s.changes.per_group.get(gi).into_iter().flatten() {
                        let _ = writeln!(o, "      {} {}", change_mark(c), c.detail);
                    }
                }
            }
        }
    }
    for (si, s) in trace.sources.iter().enumerate() {
        if s.changes.article.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "\nChanges relative to S{} ({}):",
            si + 1,
            s.source.article.id
        );
        for c in &s.changes.article {
            let _ = writeln!(o, "      {} {}", change_mark(c), c.detail);
        }
    }
    let dropped = dropped(trace);
    if !dropped.is_empty() {
        let _ = writeln!(o, "\nDropped (source sentences not reused):");
        for d in &dropped {
            let n = trace
                .sources
                .iter()
                .position(|s| s.source.article.id.as_str() == d.source_id)
                .map(|p| p + 1)
                .unwrap_or(0);
            let _ = writeln!(o, "      S{} {:>3}         | {}", n, d.index, d.text);
        }
    }
    o
}
