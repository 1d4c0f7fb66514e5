//! Pair views: what tracing one article said about one other article.
//!
//! Every stored article is traced once (and again when a newcomer enters
//! its candidates). A trace of `X` that finds `Y` yields one [`PairView`] "as seen
//! from `X`". The same pair is usually seen from both sides; the
//! [`PairBook`] keeps every view keyed by the unordered pair and by the
//! article traced, so that re-tracing one article replaces exactly the views
//! it produced. The graph is then a pure function of the book.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use unspun_align::{Alignment, MatchKind, Original, Relation};
use unspun_article::{Article, ArticleId};
use unspun_changes::{ChangeReport, ChangeType, Severity};
use unspun_engine::SourceMatch;

/// The relation of a pair, as the graph stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeRelation {
    /// Republished word for word or lightly edited.
    Copy,
    /// Substantially reused, in other words.
    Rewrite,
    /// Only some passages reused.
    Partial,
    /// The same story, written independently.
    Related,
}

impl EdgeRelation {
    /// The lowercase name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeRelation::Copy => "copy",
            EdgeRelation::Rewrite => "rewrite",
            EdgeRelation::Partial => "partial",
            EdgeRelation::Related => "related",
        }
    }
}

impl From<Relation> for EdgeRelation {
    fn from(r: Relation) -> Self {
        match r {
            Relation::Copy => EdgeRelation::Copy,
            Relation::Rewrite => EdgeRelation::Rewrite,
            Relation::Partial => EdgeRelation::Partial,
            // Templates never reach the graph (`GraphState` leaves them
            // out); were one given, it is no more than related.
            Relation::Related | Relation::Template => EdgeRelation::Related,
        }
    }
}

/// One aligned group, the evidence of an edge: which sentences of the
/// derived article restate which sentences of the source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentencePair {
    /// Sentence indices in the derived article.
    pub derived: Vec<usize>,
    /// Sentence indices in the source.
    pub source: Vec<usize>,
    /// `verbatim`, `edited` or `paraphrase`.
    pub kind: String,
    /// Similarity of the group, 0..1.
    pub score: f32,
    /// Corpus information (nats) of the terms the group shares: what
    /// tells carried material from a stock phrase (see
    /// [`crate::lineage`], siblings).
    #[serde(default)]
    pub info: f32,
}

/// Change counts of a derived article relative to one source.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeCounts {
    /// Source quotes quoted with different words.
    pub quotes_altered: usize,
    /// Every change of minor or major severity (quotes altered included).
    pub changes: usize,
    /// Of those, the major ones.
    pub major: usize,
    /// Count per change type (`number_changed`, ...), all severities.
    pub by_type: BTreeMap<String, usize>,
}

impl ChangeCounts {
    /// Counts the changes of a report.
    pub fn of(report: &ChangeReport) -> ChangeCounts {
        let mut c = ChangeCounts::default();
        for ch in report.all() {
            *c.by_type.entry(ch.kind.as_str().to_string()).or_default() += 1;
            if ch.kind == ChangeType::QuoteAltered {
                c.quotes_altered += 1;
            }
            if ch.severity != Severity::Info {
                c.changes += 1;
            }
            if ch.severity == Severity::Major {
                c.major += 1;
            }
        }
        c
    }
}

/// What the trace of one article (`traced`) said about another (`other`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairView {
    /// The article traced.
    pub traced: ArticleId,
    /// The candidate it was compared with.
    pub other: ArticleId,
    /// The relation judged.
    pub relation: EdgeRelation,
    /// Whether the trace took `other` for the original.
    pub other_is_original: bool,
    /// Whether that direction is certain (dates or an explicit credit).
    pub direction_certain: bool,
    /// The direction evidence, strongest first.
    pub direction_evidence: Vec<String>,
    /// Share of `traced`'s sentences explained by `other`.
    pub traced_coverage: f32,
    /// Share of `other`'s sentences reused in `traced`.
    pub other_coverage: f32,
    /// The engine's ranking score of the pair.
    pub score: f32,
    /// Sentence counts of `traced` and `other`.
    pub sentences: (usize, usize),
    /// Aligned groups, with `traced` on the `derived` side.
    pub groups: Vec<SentencePair>,
    /// For each sentence of `traced`, whether it is aligned.
    pub traced_matched: Vec<bool>,
    /// For each sentence of `other`, whether it is aligned.
    pub other_matched: Vec<bool>,
    /// Changes of `traced` relative to `other`, when the trace computed them
    /// (only when `other` was judged the original).
    pub changes: Option<ChangeCounts>,
    /// Whether `traced`'s text names `other`'s outlet (a credit).
    pub traced_credits_other: bool,
    /// Whether `other`'s text names `traced`'s outlet.
    pub other_credits_traced: bool,
}

impl PairView {
    /// The view of one source match of a trace of `traced`.
    pub fn of(traced: &Article, m: &SourceMatch) -> PairView {
        let a = &m.alignment;
        let other = &m.source.article;
        let other_is_original = m.direction.original == Original::Source;
        PairView {
            traced: traced.id.clone(),
            other: other.id.clone(),
            relation: m.relation.into(),
            other_is_original,
            direction_certain: m.direction.certain,
            direction_evidence: m.direction.evidence.clone(),
            traced_coverage: a.coverage(),
            other_coverage: a.source_coverage(),
            score: m.score,
            sentences: (a.derived_matched.len(), a.source_matched.len()),
            groups: groups_of(a),
            traced_matched: a.derived_matched.clone(),
            other_matched: a.source_matched.clone(),
            changes: (other_is_original && m.relation.is_derivation())
                .then(|| ChangeCounts::of(&m.changes)),
            traced_credits_other: credits(traced, other),
            other_credits_traced: credits(other, traced),
        }
    }

    /// Total similarity-weighted number of aligned derived sentences: how
    /// much evidence the view carries.
    pub fn weight(&self) -> f32 {
        self.groups
            .iter()
            .map(|g| g.score * g.derived.len() as f32)
            .sum()
    }
}

/// Whether `a`'s text names `b`'s outlet, `a` being from another outlet:
/// the same rule the direction judgment uses ([`unspun_align::credited`]).
pub fn credits(a: &Article, b: &Article) -> bool {
    unspun_align::credited(a, b).is_some()
}

/// The evidence groups of an alignment.
pub fn groups_of(a: &Alignment) -> Vec<SentencePair> {
    a.groups
        .iter()
        .map(|g| SentencePair {
            derived: g.derived.clone(),
            source: g.source.clone(),
            kind: match g.kind {
                MatchKind::Verbatim => "verbatim",
                MatchKind::Edited => "edited",
                MatchKind::Paraphrase => "paraphrase",
            }
            .to_string(),
            score: g.score,
            info: g.info,
        })
        .collect()
}

/// An unordered pair of ids, smaller first.
pub type PairKey = (ArticleId, ArticleId);

/// The unordered key of a pair.
pub fn pair_key(a: &ArticleId, b: &ArticleId) -> PairKey {
    if a <= b {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    }
}

/// Every view of every pair, keyed so that re-tracing an article replaces
/// exactly the views it produced.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PairBook {
    /// Views per unordered pair, keyed by the article traced.
    pairs: BTreeMap<String, BTreeMap<String, PairView>>,
    /// For each traced article, the pairs its trace produced.
    by_traced: BTreeMap<String, BTreeSet<String>>,
    /// Changes computed at graph time for pairs seen only from the
    /// original's side, keyed by pair then derived id; dropped with the
    /// pair's views.
    #[serde(default)]
    computed_changes: BTreeMap<String, BTreeMap<String, ChangeCounts>>,
}

/// Key of an unordered pair in the book: both ids joined by a NUL, which
/// no article id contains.
fn book_key(a: &ArticleId, b: &ArticleId) -> String {
    let (x, y) = pair_key(a, b);
    format!("{}\u{0}{}", x.as_str(), y.as_str())
}

impl PairBook {
    /// An empty book.
    pub fn new() -> PairBook {
        PairBook::default()
    }

    /// Replaces every view produced by tracing `traced` with `views`.
    pub fn replace_traced(&mut self, traced: &ArticleId, views: Vec<PairView>) {
        self.forget_traced(traced);
        let mut keys = BTreeSet::new();
        for v in views {
            let k = book_key(&v.traced, &v.other);
            self.computed_changes.remove(&k);
            keys.insert(k.clone());
            self.pairs
                .entry(k)
                .or_default()
                .insert(traced.as_str().to_string(), v);
        }
        self.by_traced.insert(traced.as_str().to_string(), keys);
    }

    /// Removes the views produced by tracing `traced`.
    pub fn forget_traced(&mut self, traced: &ArticleId) {
        if let Some(keys) = self.by_traced.remove(traced.as_str()) {
            for k in keys {
                self.computed_changes.remove(&k);
                if let Some(views) = self.pairs.get_mut(&k) {
                    views.remove(traced.as_str());
                    if views.is_empty() {
                        self.pairs.remove(&k);
                    }
                }
            }
        }
    }

    /// Removes an article entirely: its own views and every view of it.
    pub fn forget_article(&mut self, id: &ArticleId) {
        self.forget_traced(id);
        let partners: Vec<String> = self
            .pairs
            .iter()
            .filter(|(_, views)| views.values().any(|v| &v.other == id))
            .map(|(k, _)| k.clone())
            .collect();
        for k in partners {
            self.computed_changes.remove(&k);
            if let Some(views) = self.pairs.remove(&k) {
                for t in views.keys() {
                    if let Some(set) = self.by_traced.get_mut(t) {
                        set.remove(&k);
                    }
                }
            }
        }
    }

    /// Changes of `derived` relative to `source` computed earlier by
    /// [`PairBook::remember_changes`], if the pair has not been re-traced
    /// since.
    pub fn computed_changes(
        &self,
        derived: &ArticleId,
        source: &ArticleId,
    ) -> Option<&ChangeCounts> {
        self.computed_changes
            .get(&book_key(derived, source))?
            .get(derived.as_str())
    }

    /// Remembers changes computed at graph time.
    pub fn remember_changes(&mut self, derived: &ArticleId, source: &ArticleId, c: ChangeCounts) {
        self.computed_changes
            .entry(book_key(derived, source))
            .or_default()
            .insert(derived.as_str().to_string(), c);
    }

    /// The views the last trace of `traced` produced.
    pub fn views_traced_by(&self, traced: &ArticleId) -> Vec<&PairView> {
        self.by_traced
            .get(traced.as_str())
            .into_iter()
            .flatten()
            .filter_map(|k| self.pairs.get(k)?.get(traced.as_str()))
            .collect()
    }

    /// Whether `id` has been traced into the book.
    pub fn is_traced(&self, id: &ArticleId) -> bool {
        self.by_traced.contains_key(id.as_str())
    }

    /// The articles whose views share a pair with `id`.
    pub fn partners(&self, id: &ArticleId) -> BTreeSet<ArticleId> {
        let mut out = BTreeSet::new();
        for views in self.pairs.values() {
            for v in views.values() {
                if &v.traced == id {
                    out.insert(v.other.clone());
                } else if &v.other == id {
                    out.insert(v.traced.clone());
                }
            }
        }
        out
    }

    /// Every pair with its views (at most two: one from each side), in key
    /// order.
    pub fn iter(&self) -> impl Iterator<Item = Vec<&PairView>> {
        self.pairs.values().map(|v| v.values().collect())
    }

    /// Number of unordered pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether the book is empty.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(traced: &str, other: &str) -> PairView {
        PairView {
            traced: ArticleId::new(traced).unwrap(),
            other: ArticleId::new(other).unwrap(),
            relation: EdgeRelation::Copy,
            other_is_original: true,
            direction_certain: true,
            direction_evidence: vec![],
            traced_coverage: 1.0,
            other_coverage: 1.0,
            score: 1.0,
            sentences: (1, 1),
            groups: vec![],
            traced_matched: vec![true],
            other_matched: vec![true],
            changes: None,
            traced_credits_other: false,
            other_credits_traced: false,
        }
    }

    #[test]
    fn credits_need_the_outlet_as_a_word_from_another_outlet() {
        let mut wire = Article::new(ArticleId::new("w").unwrap(), "Rates rose.");
        wire.source = Some("Reuters".into());
        let mut blog = Article::new(
            ArticleId::new("b").unwrap(),
            "Rates rose, Reuters reported.",
        );
        blog.source = Some("Daily Ledger".into());
        assert!(credits(&blog, &wire));
        assert!(!credits(&wire, &blog));
        blog.text = "Reutersville rates rose.".into();
        assert!(!credits(&blog, &wire));
    }

    #[test]
    fn retracing_replaces_only_own_views() {
        let (a, b) = (ArticleId::new("a").unwrap(), ArticleId::new("b").unwrap());
        let mut book = PairBook::new();
        book.replace_traced(&a, vec![view("a", "b"), view("a", "c")]);
        book.replace_traced(&b, vec![view("b", "a")]);
        assert_eq!(book.len(), 2);
        assert_eq!(book.iter().map(|v| v.len()).collect::<Vec<_>>(), [2, 1]);
        book.replace_traced(&a, vec![view("a", "b")]);
        assert_eq!(book.len(), 1, "a-c was only seen from a");
        assert_eq!(book.partners(&b), BTreeSet::from([a.clone()]));
        book.forget_article(&b);
        assert!(book.is_empty());
        assert!(book.is_traced(&a));
    }
}
