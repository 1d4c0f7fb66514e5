//! A watch's rules, and whether a traced source matches them.
//!
//! A watch names what it guards (an outlet, or some of its stories by id)
//! and what counts as news about it: the relations, the least coverage,
//! only uncredited reuse, change types, a least severity. A pair is never
//! an alert when a reviewer dismissed it or marked it licensed, nor when
//! either outlet is on the licensed list: a partner that licenses the
//! copy is not a finding.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use unspun_align::Relation;
use unspun_changes::{ChangeType, Severity};
use unspun_report::{SourceInfo, TraceReport};
use unspun_store::VerdictKind;
use utoipa::ToSchema;

use crate::problem::ApiError;

/// The most story ids one watch may list.
pub const MAX_STORIES: usize = 10_000;

/// Where a watch's alerts are posted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookSpec {
    /// An `http` or `https` URL. Each alert is POSTed there as JSON,
    /// signed by the Standard Webhooks scheme (`webhook-id`,
    /// `webhook-timestamp`, `webhook-signature`).
    #[schema(
        pattern = r"^https?://[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$",
        max_length = 2000
    )]
    pub url: String,
}

/// A watch's rules: what it guards and which reuse of it is an alert.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WatchSpec {
    /// A name for people (at most 200 characters).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name: Option<String>,
    /// The outlet whose stories are watched, as articles name it
    /// (`source`). Give it, or `stories`, or both.
    #[serde(default)]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub outlet: Option<String>,
    /// Ids of the stories watched (at most 10,000).
    #[serde(default)]
    #[schema(inline, max_items = 10000)]
    pub stories: Vec<crate::input::IdText>,
    /// Which relations alert (default: copy, rewrite, partial). `related`
    /// and `template` are not reuse and cannot be watched.
    #[serde(default = "default_relations")]
    #[schema(inline, min_items = 1)]
    pub relations: Vec<WatchedRelation>,
    /// The least share of the new article that reuses the story, 0 to 1
    /// (default 0).
    #[serde(default)]
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub min_coverage: f32,
    /// Alert only when the new article does not credit the watched outlet
    /// (default true). Credit is known only for sources with an outlet.
    #[serde(default = "yes")]
    pub only_uncredited: bool,
    /// Alert only when the rewrite made one of these changes (the trace's
    /// change types, e.g. `quote_altered`, `number_changed`). Empty: any.
    #[serde(default)]
    #[schema(inline)]
    pub change_types: Vec<ChangeTypeName>,
    /// Alert only when some change is at least this severe (`info`,
    /// `minor`, `major`). None: no condition.
    #[serde(default)]
    #[schema(inline)]
    pub min_severity: Option<WatchedSeverity>,
    /// Where to post alerts, if anywhere (they are also in the watch's
    /// matches and Atom feed).
    #[serde(default)]
    pub webhook: Option<WebhookSpec>,
}

/// The name of a change type of the trace (`quote_altered`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChangeTypeName(pub String);

impl utoipa::PartialSchema for ChangeTypeName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(ChangeType::ALL.iter().map(|t| t.as_str())))
            .into()
    }
}

impl ToSchema for ChangeTypeName {}

/// A relation a watch can alert on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WatchedRelation {
    /// Republished word for word or lightly edited.
    Copy,
    /// Substantially reused in other words.
    Rewrite,
    /// Some passages reused.
    Partial,
}

impl WatchedRelation {
    fn of(r: Relation) -> Option<WatchedRelation> {
        match r {
            Relation::Copy => Some(WatchedRelation::Copy),
            Relation::Rewrite => Some(WatchedRelation::Rewrite),
            Relation::Partial => Some(WatchedRelation::Partial),
            Relation::Related | Relation::Template => None,
        }
    }
}

/// A least severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WatchedSeverity {
    /// Any change.
    Info,
    /// Minor or major.
    Minor,
    /// Major only.
    Major,
}

impl WatchedSeverity {
    fn admits(self, s: Severity) -> bool {
        let least = match self {
            WatchedSeverity::Info => Severity::Info,
            WatchedSeverity::Minor => Severity::Minor,
            WatchedSeverity::Major => Severity::Major,
        };
        s >= least
    }
}

fn default_relations() -> Vec<WatchedRelation> {
    vec![
        WatchedRelation::Copy,
        WatchedRelation::Rewrite,
        WatchedRelation::Partial,
    ]
}

fn yes() -> bool {
    true
}

impl WatchSpec {
    /// Reads and validates a posted watch: unknown fields, values out of
    /// range and unknown names are refused (never clamped), each naming its
    /// field.
    pub fn from_json(value: Value) -> Result<WatchSpec, ApiError> {
        let spec: WatchSpec =
            serde_json::from_value(value).map_err(|e| ApiError::field("body", e.to_string()))?;
        spec.validate()?;
        Ok(spec)
    }

    fn validate(&self) -> Result<(), ApiError> {
        let blank = |s: &Option<String>| s.as_deref().is_some_and(|s| s.trim().is_empty());
        if blank(&self.outlet) {
            return Err(ApiError::field("outlet", "is blank"));
        }
        if self
            .outlet
            .as_deref()
            .is_some_and(|s| s.chars().count() > 200)
        {
            return Err(ApiError::field("outlet", "is over 200 characters"));
        }
        if self
            .name
            .as_deref()
            .is_some_and(|s| s.chars().count() > 200)
        {
            return Err(ApiError::field("name", "is over 200 characters"));
        }
        if self.outlet.is_none() && self.stories.is_empty() {
            return Err(ApiError::unprocessable(
                "outlet",
                "a watch needs an `outlet` or a list of `stories` to guard",
            ));
        }
        if self.stories.len() > MAX_STORIES {
            return Err(ApiError::field(
                "stories",
                format!(
                    "lists {} ids; the limit is {MAX_STORIES}",
                    self.stories.len()
                ),
            ));
        }
        for crate::input::IdText(id) in &self.stories {
            unspun_article::ArticleId::new(id.clone())
                .map_err(|e| ApiError::field("stories", format!("{id:?}: {e}")))?;
        }
        if self.relations.is_empty() {
            return Err(ApiError::field(
                "relations",
                "is empty: no pair could match (leave it out for copy, rewrite and partial)",
            ));
        }
        if !(0.0..=1.0).contains(&self.min_coverage) {
            return Err(ApiError::field(
                "min_coverage",
                format!("is {}; it is a share, 0 to 1", self.min_coverage),
            ));
        }
        for t in &self.change_types {
            if !ChangeType::ALL.iter().any(|c| c.as_str() == t.0) {
                return Err(ApiError::field(
                    "change_types",
                    format!("{:?} is not a change type of the trace", t.0),
                ));
            }
        }
        if let Some(w) = &self.webhook {
            let ok = w.url.starts_with("http://") || w.url.starts_with("https://");
            if !ok || w.url.chars().count() > 2000 || w.url.chars().any(char::is_whitespace) {
                return Err(ApiError::field(
                    "webhook.url",
                    "must be an http:// or https:// URL of at most 2000 characters",
                ));
            }
        }
        Ok(())
    }

    /// Whether the source `source` of `report` (the trace of a newly stored
    /// article) is an alert under these rules. `licensed` holds the
    /// licensed outlets; `verdict` is a reviewer's verdict in force on the
    /// pair.
    pub fn matches(
        &self,
        report: &TraceReport,
        source: &SourceInfo,
        licensed: &HashSet<String>,
        verdict: Option<VerdictKind>,
    ) -> bool {
        if source.id == report.article.id
            || source.original != source.id
            || source.sibling_of.is_some()
        {
            // Only reuse *of* the watched story: not the story itself, not
            // a source the new article is older than, and not a fellow
            // rewrite of a common source (no source of the article).
            return false;
        }
        let watched = self.outlet.as_deref().is_some_and(|o| {
            source
                .source
                .as_deref()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case(o.trim()))
        }) || self.stories.iter().any(|s| s.0 == source.id);
        if !watched {
            return false;
        }
        if !WatchedRelation::of(source.relation).is_some_and(|r| self.relations.contains(&r)) {
            return false;
        }
        if source.coverage < self.min_coverage {
            return false;
        }
        if matches!(
            verdict,
            Some(VerdictKind::Dismissed) | Some(VerdictKind::Licensed)
        ) {
            return false;
        }
        let is_licensed = |o: &Option<String>| o.as_ref().is_some_and(|o| licensed.contains(o));
        if is_licensed(&report.article.source) || is_licensed(&source.source) {
            return false;
        }
        let changes: Vec<&unspun_changes::Change> = source
            .changes
            .iter()
            .chain(source.alignments.iter().flat_map(|a| a.changes.iter()))
            .collect();
        // The watched outlet's own credit, not the credits the source gives
        // to others.
        if self.only_uncredited && source.own_outlet_credit() != Some(false) {
            return false;
        }
        if !self.change_types.is_empty()
            && !changes
                .iter()
                .any(|c| self.change_types.iter().any(|t| t.0 == c.kind.as_str()))
        {
            return false;
        }
        if let Some(least) = self.min_severity {
            if !changes.iter().any(|c| least.admits(c.severity)) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_watch_is_validated_not_clamped() {
        let ok = WatchSpec::from_json(json!({"outlet": "Reuters"})).unwrap();
        assert_eq!(ok.relations.len(), 3);
        assert!(ok.only_uncredited);
        for (body, field) in [
            (json!({}), "outlet"),
            (json!({"outlet": " "}), "outlet"),
            (
                json!({"outlet": "Reuters", "min_coverage": 1.5}),
                "min_coverage",
            ),
            (json!({"outlet": "Reuters", "relations": []}), "relations"),
            (
                json!({"outlet": "Reuters", "change_types": ["made_up"]}),
                "change_types",
            ),
            (
                json!({"outlet": "Reuters", "webhook": {"url": "ftp://x"}}),
                "webhook.url",
            ),
            (json!({"outlet": "Reuters", "colour": "red"}), "body"),
            (
                json!({"outlet": "Reuters", "relations": ["related"]}),
                "body",
            ),
            (json!({"stories": ["bad id with\nnewline"]}), "stories"),
        ] {
            let err = WatchSpec::from_json(body.clone()).unwrap_err();
            let p = err.problem();
            assert_eq!(p.field.as_deref(), Some(field), "{body}: {}", p.detail);
        }
    }
}
