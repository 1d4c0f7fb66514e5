//! From pair views to a derivation graph: orientation, parents, originals.
//!
//! Three steps, each a pure function of the [`PairBook`] and the node
//! metadata, so the graph does not depend on the order articles arrived in:
//!
//! 1. **Orient** every reuse pair (copy, rewrite, partial) into a candidate
//!    edge `derived → source`. A view with certain direction (dates, a
//!    credit) decides. Otherwise, if both views agree, their weaker evidence
//!    (wire agency, containment) is used; if they disagree, containment
//!    decides (the article more fully reused by the other is the original);
//!    failing that the ids are ordered and the edge says its direction is
//!    not certain. Nothing is guessed silently.
//! 2. **Choose parents.** An article `X` with candidate sources `Z` and `Y`,
//!    where `Z` itself derives from `Y`, copied either `Z` (second hand) or
//!    `Y` (first hand, `Z` a sibling). What tells them apart:
//!    - `X` carries `Z`'s own material (sentences of `Z` that `Y` lacks): `Z`;
//!    - `X` carries material of `Y` that `Z` dropped: `Y`;
//!    - both: `X` draws on both (two edges);
//!    - neither: `X` keeps the wording of the one it is closer to, over the
//!      sentences it shares with both (a copy keeps its parent's edits);
//!    - a tie: the two are indistinguishable in `X`; the upstream `Y` is
//!      kept and the edge says `parent_certain: false`.
//!
//!    The edge not chosen is not reported as a parent; the chosen one lists
//!    it under `via` (second hand) or notes the sibling.
//! 3. **Originals and stories** (see [`crate::cluster`]).
//!
//! [`PairBook`]: crate::PairBook

use serde::{Deserialize, Serialize};
use unspun_article::ArticleId;

use crate::pairs::{ChangeCounts, EdgeRelation, SentencePair};

mod choice;
mod orient;
mod parents;

pub use orient::natural_cmp;
pub(crate) use orient::orient;
pub(crate) use parents::choose_parents;

/// Metadata of one article in the graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeInfo {
    /// The article id.
    pub id: ArticleId,
    /// Publication date, if known.
    pub date: Option<chrono::NaiveDate>,
    /// The outlet.
    pub source: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// Number of sentences.
    pub sentences: usize,
    /// The store revision traced.
    pub revision: u32,
}

/// A `derived_from` edge of the graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// The article that reuses.
    pub derived: ArticleId,
    /// The article reused.
    pub source: ArticleId,
    /// Copy, rewrite or partial.
    pub relation: EdgeRelation,
    /// Share of the derived article's sentences explained by the source.
    pub coverage: f32,
    /// Share of the source's sentences reused.
    pub source_coverage: f32,
    /// How sure the graph is that `derived` took this material from
    /// `source`: evidence strength × direction certainty × parent certainty.
    pub confidence: f32,
    /// Whether the direction is decided by dates or an explicit credit.
    pub direction_certain: bool,
    /// The direction evidence, strongest first.
    pub direction_evidence: Vec<String>,
    /// Whether this parent was told apart from an indistinguishable
    /// alternative (see `notes`).
    pub parent_certain: bool,
    /// Whether this is the derived article's main source (highest coverage).
    pub primary: bool,
    /// Whether the derived article names the source's outlet.
    pub credited: bool,
    /// Changes of the derived article relative to the source; `None` when
    /// they were not computed.
    pub changes: Option<ChangeCounts>,
    /// The sentence pairs that support the edge.
    pub evidence: Vec<SentencePair>,
    /// Derived sentences attributed to this source (best explained by it
    /// among the article's sources).
    pub attributed: Vec<usize>,
    /// Upstream articles the derived article reaches through this source
    /// (second-hand reuse, not reported as edges of their own).
    pub via: Vec<ArticleId>,
    /// Why other candidate parents were set aside, if any.
    pub notes: Vec<String>,
    /// When `source` itself derives from an article `derived` also draws
    /// on (the two are rewrites of a common source), what makes `source` a
    /// parent and not a sibling: the sentences of `source` that the common
    /// source lacks and `derived` carries. `None` when there is no such
    /// common source among `derived`'s candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beyond_common: Option<BeyondCommon>,
}

/// The evidence for an edge between two articles that derive from a
/// common source: what the derived one took from the other that the common
/// source lacks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BeyondCommon {
    /// The common source.
    pub common: ArticleId,
    /// Sentences of the edge's source, absent from the common source,
    /// that the derived article carries (indices into the source).
    pub carried: Vec<usize>,
}

/// A candidate edge before parent selection.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    pub edge: Edge,
    pub derived_matched: Vec<bool>,
    pub source_matched: Vec<bool>,
    /// Evidence weight: similarity-weighted aligned sentences.
    pub weight: f32,
}
