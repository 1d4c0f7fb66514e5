//! # unspun-changes: what a rewrite changed
//!
//! The aligner says which sentences of a derived article restate which
//! sentences of its source. This crate reads the aligned pairs (and the
//! articles as wholes) and says, with evidence, what the rewrite changed:
//!
//! * **quotes** kept, altered (with a word diff of the quoted words),
//!   dropped, added, or given to another speaker ([`quotes`]);
//! * **numbers** whose value or hedge ("at least", "about") changed, with
//!   equivalent forms ("twelve" / "12", "1.2 million" / "1,200,000") not
//!   counted ([`numbers`]);
//! * **names and places** replaced, dropped or added, and places made less
//!   or more precise ("Kyiv" → "Ukraine") through a [`Gazetteer`]
//!   ([`entities`]);
//! * **dates** whose resolved day differs, relative expressions ("Friday",
//!   "yesterday") resolved against each article's own date ([`dates`]);
//! * **negation** added or removed and **antonym** swaps ("raised" / "cut")
//!   ([`polarity`]);
//! * ordinary **content words** swapped for an antonym or another member of
//!   their class ("one-year" → "one-month", "yellow" → "pink"), and words
//!   added that the source has nowhere, judged with WordNet ([`content`],
//!   [`wordnet`]);
//! * source sentences **dropped**, ranked by what they carry, and the
//!   source's **credit** (to Reuters, say) kept or missing ([`attribution`]).
//!
//! Every [`Change`] carries the exact byte spans of its evidence in both
//! articles (`&article.text[span.start..span.end] == span.text`), a short
//! explanation and a [`Severity`].
//!
//! ## Severity
//!
//! * [`Severity::Info`]: something kept or recognised (a quote kept, also
//!   one respelled in the other side's US / UK spelling; a credit present).
//! * [`Severity::Minor`]: drift a careful editor would allow but a reader may
//!   want to know: a place made less precise, a hedge added or removed, a
//!   name dropped or added, background dropped, words inserted into a kept
//!   sentence that the source has nowhere.
//! * [`Severity::Major`]: what changes what the text claims: a misquote, a
//!   quote given to another speaker, a changed number, date or place, a
//!   negation or antonym swap, a word swapped for another of its class
//!   ("year" → "month"), a place made more precise than the source, a
//!   dropped sentence carrying a quote or figures, a missing credit.
//!
//! ## JSON
//!
//! A change serialises as
//! `{"type", "severity", "detail", "derived": {start, end, text} | null,
//! "source": {start, end, text} | null, "derived_sentences", "source_sentences",
//! "diff"?}`, for example
//!
//! ```json
//! {"type": "place_generalised", "severity": "minor",
//!  "detail": "place generalised: \"Kyiv\" became \"Ukraine\" (Kyiv is in Ukraine)",
//!  "derived": {"start": 1460, "end": 1467, "text": "Ukraine"},
//!  "source": {"start": 1493, "end": 1497, "text": "Kyiv"},
//!  "derived_sentences": [12], "source_sentences": [12]}
//! ```
//!
//! # Example
//!
//! ```
//! use unspun_align::{Aligner, AnalyzedArticle};
//! use unspun_article::{Article, ArticleId};
//! use unspun_changes::{ChangeDetector, ChangeType};
//! use unspun_segment::{Analyzer, Segmenter};
//!
//! let (seg, an) = (Segmenter::new(), Analyzer::new());
//! let article = |id: &str, text: &str| {
//!     let mut a = Article::new(ArticleId::new(id).unwrap(), text);
//!     a.date = chrono::NaiveDate::from_ymd_opt(2025, 4, 26);
//!     AnalyzedArticle::new(a, &seg, &an)
//! };
//! let source = article("wire",
//!     "A missile attack on Kyiv killed at least 12 people on Friday, officials said. \
//!      “We will not give up,” the mayor said.");
//! let derived = article("blog",
//!     "A missile attack on Ukraine killed at least twelve people yesterday, officials said. \
//!      “We will never give up,” the mayor said.");
//! let alignment = Aligner::new().align(&derived, &source);
//! let report = ChangeDetector::new().detect(&derived, &source, &alignment);
//! let kinds: Vec<ChangeType> = report.all().map(|c| c.kind).collect();
//! assert!(kinds.contains(&ChangeType::PlaceGeneralised));
//! assert!(kinds.contains(&ChangeType::QuoteAltered));
//! // "twelve" is 12 and "yesterday" is Friday: no number or date change.
//! assert!(!kinds.contains(&ChangeType::NumberChanged));
//! assert!(!kinds.contains(&ChangeType::DateChanged));
//! ```
#![deny(missing_docs)]

pub mod attribution;
mod content;
pub mod dates;
mod diff;
pub mod entities;
mod figures;
pub mod gazetteer;
pub mod numbers;
pub mod polarity;
pub mod quotes;
mod relation;
mod roles;
mod spelling;
mod text;
pub mod wordnet;

use std::sync::Arc;

use serde::Serialize;
use unspun_align::{Alignment, AnalyzedArticle};
use unspun_segment::Span;

pub use diff::DiffOp;
pub use gazetteer::{Gazetteer, GazetteerError, Place, PlaceKind};
pub use wordnet::{WordNet, WordNetError};

/// The type of a change, serialised in `snake_case` (`quote_altered`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeType {
    /// A source quote is quoted with the same words (or an excerpt of them).
    QuoteKept,
    /// A source quote is quoted with different words: a misquote.
    QuoteAltered,
    /// A source quote does not appear in the derived article.
    QuoteDropped,
    /// A derived quote matches no source quote.
    QuoteAdded,
    /// A kept or altered quote is given to a different speaker.
    QuoteSpeakerChanged,
    /// A number's value changed in an aligned sentence.
    NumberChanged,
    /// The same number with a different hedge ("at least" → "about").
    HedgeChanged,
    /// A name was replaced by another in an aligned sentence.
    EntityReplaced,
    /// A name of the source sentence is missing from the aligned derived sentence.
    EntityDropped,
    /// A name of the derived sentence is absent from its aligned source sentence.
    EntityAdded,
    /// A place was made less precise (city → its country).
    PlaceGeneralised,
    /// A place was made more precise (country → one of its cities).
    PlaceSpecified,
    /// A date resolves to a different day (week, month, year).
    DateChanged,
    /// A negation was added or removed.
    NegationChanged,
    /// A verb was swapped for its antonym (raised → cut).
    PolarityChanged,
    /// A source sentence has no counterpart in the derived article.
    SentenceDropped,
    /// The source credits an outlet; the derived article does not.
    AttributionMissing,
    /// The derived article credits the source's outlet.
    AttributionKept,
    /// A figure of a restated sentence that the source gives nowhere, in no
    /// form, and that no source figure of its sentence was changed into.
    NumberAdded,
    /// A sentence the source does not have carries a figure or a name the
    /// source gives nowhere, or a restated sentence gains words the source
    /// has nowhere: a claim added.
    ClaimAdded,
    /// An ordinary content word was swapped for another member of its class
    /// (WordNet sisters: "year" → "month", "yellow" → "pink", "chairman" →
    /// "treasurer").
    ContentChanged,
}

impl ChangeType {
    /// Every type, in declaration order.
    pub const ALL: [ChangeType; 21] = [
        ChangeType::QuoteKept,
        ChangeType::QuoteAltered,
        ChangeType::QuoteDropped,
        ChangeType::QuoteAdded,
        ChangeType::QuoteSpeakerChanged,
        ChangeType::NumberChanged,
        ChangeType::HedgeChanged,
        ChangeType::EntityReplaced,
        ChangeType::EntityDropped,
        ChangeType::EntityAdded,
        ChangeType::PlaceGeneralised,
        ChangeType::PlaceSpecified,
        ChangeType::DateChanged,
        ChangeType::NegationChanged,
        ChangeType::PolarityChanged,
        ChangeType::SentenceDropped,
        ChangeType::AttributionMissing,
        ChangeType::AttributionKept,
        ChangeType::NumberAdded,
        ChangeType::ClaimAdded,
        ChangeType::ContentChanged,
    ];

    /// The `snake_case` name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::QuoteKept => "quote_kept",
            ChangeType::QuoteAltered => "quote_altered",
            ChangeType::QuoteDropped => "quote_dropped",
            ChangeType::QuoteAdded => "quote_added",
            ChangeType::QuoteSpeakerChanged => "quote_speaker_changed",
            ChangeType::NumberChanged => "number_changed",
            ChangeType::HedgeChanged => "hedge_changed",
            ChangeType::EntityReplaced => "entity_replaced",
            ChangeType::EntityDropped => "entity_dropped",
            ChangeType::EntityAdded => "entity_added",
            ChangeType::PlaceGeneralised => "place_generalised",
            ChangeType::PlaceSpecified => "place_specified",
            ChangeType::DateChanged => "date_changed",
            ChangeType::NegationChanged => "negation_changed",
            ChangeType::PolarityChanged => "polarity_changed",
            ChangeType::SentenceDropped => "sentence_dropped",
            ChangeType::AttributionMissing => "attribution_missing",
            ChangeType::AttributionKept => "attribution_kept",
            ChangeType::NumberAdded => "number_added",
            ChangeType::ClaimAdded => "claim_added",
            ChangeType::ContentChanged => "content_changed",
        }
    }
}

impl std::fmt::Display for ChangeType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a change matters; see the crate docs for the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Kept or recognised.
    Info,
    /// Wording drift, loss of precision, background dropped.
    Minor,
    /// Changes what the text claims.
    Major,
}

impl Severity {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Minor => "minor",
            Severity::Major => "major",
        }
    }
}

/// A span of one article's text: byte offsets and the text they cover.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextSpan {
    /// Inclusive start byte offset into the article text.
    pub start: usize,
    /// Exclusive end byte offset.
    pub end: usize,
    /// `&text[start..end]`.
    pub text: String,
}

impl TextSpan {
    /// The span `span` of `text`.
    ///
    /// # Panics
    ///
    /// Panics, like slicing, if `span` is out of bounds of `text` or not on
    /// char boundaries.
    pub fn of(text: &str, span: Span) -> TextSpan {
        TextSpan {
            start: span.start,
            end: span.end,
            text: text[span.start..span.end].to_string(),
        }
    }
}

/// One typed change with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// What changed.
    #[serde(rename = "type")]
    pub kind: ChangeType,
    /// How much it matters.
    pub severity: Severity,
    /// A short human-readable explanation.
    pub detail: String,
    /// The evidence in the derived article, if any.
    pub derived: Option<TextSpan>,
    /// The evidence in the source, if any.
    pub source: Option<TextSpan>,
    /// Derived sentences involved (indices into `AnalyzedArticle::sentences`).
    pub derived_sentences: Vec<usize>,
    /// Source sentences involved.
    pub source_sentences: Vec<usize>,
    /// For an altered quote, the word diff from the source's words to the
    /// derived article's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<Vec<DiffOp>>,
}

impl Change {
    /// A change without spans, sentences or diff.
    pub(crate) fn new(kind: ChangeType, severity: Severity, detail: impl Into<String>) -> Change {
        Change {
            kind,
            severity,
            detail: detail.into(),
            derived: None,
            source: None,
            derived_sentences: Vec::new(),
            source_sentences: Vec::new(),
            diff: None,
        }
    }

    pub(crate) fn derived_span(mut self, a: &AnalyzedArticle, span: Span) -> Change {
        self.derived = Some(TextSpan::of(&a.article.text, span));
        self.derived_sentences = text::sentences_of(a, span);
        self
    }

    pub(crate) fn source_span(mut self, a: &AnalyzedArticle, span: Span) -> Change {
        self.source = Some(TextSpan::of(&a.article.text, span));
        self.source_sentences = text::sentences_of(a, span);
        self
    }

    pub(crate) fn with_derived_sentences(mut self, idx: &[usize]) -> Change {
        self.derived_sentences = idx.to_vec();
        self
    }

    pub(crate) fn with_source_sentences(mut self, idx: &[usize]) -> Change {
        self.source_sentences = idx.to_vec();
        self
    }

    fn sort_key(&self) -> (usize, usize, ChangeType) {
        (
            self.derived.as_ref().map_or(usize::MAX, |s| s.start),
            self.source.as_ref().map_or(usize::MAX, |s| s.start),
            self.kind,
        )
    }
}

/// The changes between a derived article and one source.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ChangeReport {
    /// Changes within each aligned group, parallel to `Alignment::groups`,
    /// in derived-text order.
    pub per_group: Vec<Vec<Change>>,
    /// Article-level changes: quotes dropped or added, quotes outside aligned
    /// sentences, dropped sentences (most important first) and attribution.
    pub article: Vec<Change>,
}

impl ChangeReport {
    /// Every change: per group in group order, then the article level.
    pub fn all(&self) -> impl Iterator<Item = &Change> {
        self.per_group.iter().flatten().chain(self.article.iter())
    }

    /// Number of changes of each type, for every type that occurs.
    pub fn counts(&self) -> std::collections::BTreeMap<ChangeType, usize> {
        let mut m = std::collections::BTreeMap::new();
        for c in self.all() {
            *m.entry(c.kind).or_insert(0) += 1;
        }
        m
    }
}

/// Builds a [`ChangeDetector`].
#[derive(Clone, Debug)]
pub struct ChangeDetectorBuilder {
    gazetteer: Gazetteer,
    /// `None`: not set, [`wordnet::shared`] at build time.
    wordnet: Option<Option<Arc<WordNet>>>,
}

impl ChangeDetectorBuilder {
    /// Uses `gazetteer` instead of [`Gazetteer::builtin`] (merge them with
    /// [`Gazetteer::merge`] to extend the built-in list).
    pub fn gazetteer(mut self, gazetteer: Gazetteer) -> Self {
        self.gazetteer = gazetteer;
        self
    }

    /// The WordNet that judges content words ([`content`]); `None` turns
    /// that detector off. Default [`wordnet::shared`]: the database in
    /// `$UNSPUN_MODELS/wordnet` or `models/wordnet`, if `scripts/setup.sh`
    /// put it there.
    pub fn wordnet(mut self, wordnet: Option<Arc<WordNet>>) -> Self {
        self.wordnet = Some(wordnet);
        self
    }

    /// The detector.
    pub fn build(self) -> ChangeDetector {
        ChangeDetector {
            gazetteer: self.gazetteer,
            wordnet: self.wordnet.unwrap_or_else(wordnet::shared),
            analyzer: unspun_segment::Analyzer::new(),
        }
    }
}

/// Finds the changes between a derived article and its source, given their
/// alignment. Build once and reuse.
#[derive(Debug)]
pub struct ChangeDetector {
    gazetteer: Gazetteer,
    wordnet: Option<Arc<WordNet>>,
    analyzer: unspun_segment::Analyzer,
}

impl Default for ChangeDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl ChangeDetector {
    /// A detector with the built-in gazetteer.
    pub fn new() -> ChangeDetector {
        ChangeDetector::builder().build()
    }

    /// A builder starting from the defaults.
    pub fn builder() -> ChangeDetectorBuilder {
        ChangeDetectorBuilder {
            gazetteer: Gazetteer::builtin(),
            wordnet: None,
        }
    }

    /// The WordNet in use, if any (`None`: content words are not judged).
    pub fn wordnet(&self) -> Option<&WordNet> {
        self.wordnet.as_deref()
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The changes from `source` to `derived` under `alignment` (computed
    /// with `derived` first, as `Aligner::align(derived, source)` does).
    ///
    /// Never panics on an alignment of these two articles; indices out of
    /// range are ignored.
    pub fn detect(
        &self,
        derived: &AnalyzedArticle,
        source: &AnalyzedArticle,
        alignment: &Alignment,
    ) -> ChangeReport {
        let d = text::Doc::new(derived, &self.gazetteer, &self.analyzer);
        let s = text::Doc::new(source, &self.gazetteer, &self.analyzer);
        let mut report = ChangeReport {
            per_group: vec![Vec::new(); alignment.groups.len()],
            article: Vec::new(),
        };
        for (gi, g) in alignment.groups.iter().enumerate() {
            let ds: Vec<usize> = g
                .derived
                .iter()
                .copied()
                .filter(|&i| i < d.a.sentences.len())
                .collect();
            let ss: Vec<usize> = g
                .source
                .iter()
                .copied()
                .filter(|&j| j < s.a.sentences.len())
                .collect();
            if ds.is_empty() || ss.is_empty() {
                continue;
            }
            let out = &mut report.per_group[gi];
            numbers::compare(&d, &ds, &s, &ss, out);
            dates::compare(&d, &ds, &s, &ss, out);
            entities::compare(&d, &ds, &s, &ss, out);
            polarity::compare(&d, &ds, &s, &ss, out);
            if let Some(wn) = &self.wordnet {
                content::compare(wn, &d, &ds, &s, &ss, out);
                roles::compare(wn, &d, &ds, &s, &ss, out);
            }
        }
        quotes::compare(&d, &s, alignment, &mut report);
        figures::compare(&d, &s, alignment, &mut report);
        attribution::omissions(&d, &s, alignment, &mut report.article);
        attribution::compare(&d, &s, &mut report.article);
        for g in &mut report.per_group {
            g.sort_by_key(|c| c.sort_key());
        }
        report
    }
}

#[cfg(test)]
pub(crate) mod lib_tests {
    use unspun_align::Aligner;

    use super::*;

    /// The changes of a one-sentence (or few-sentence) pair, derived and
    /// source dated the same day, with the two texts.
    pub(crate) fn pair_changes(
        wn: &Arc<WordNet>,
        derived: &str,
        source: &str,
    ) -> (Vec<Change>, String, String) {
        let d = tests::analyzed("d", derived, Some("2025-04-26"));
        let s = tests::analyzed("s", source, Some("2025-04-26"));
        let al = Aligner::new().align(&d, &s);
        let det = ChangeDetector::builder().wordnet(Some(wn.clone())).build();
        let r = det.detect(&d, &s, &al);
        (
            r.all().cloned().collect(),
            derived.to_string(),
            source.to_string(),
        )
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use unspun_align::AnalyzedArticle;
    use unspun_article::{Article, ArticleId};
    use unspun_segment::{Analyzer, Segmenter};

    /// An analysed article with an optional date (`"2025-04-26"`).
    pub(crate) fn analyzed(id: &str, text: &str, date: Option<&str>) -> AnalyzedArticle {
        let mut a = Article::new(ArticleId::new(id).unwrap(), text);
        a.date = date.map(|d| d.parse().unwrap());
        AnalyzedArticle::new(a, &Segmenter::new(), &Analyzer::new())
    }
}
