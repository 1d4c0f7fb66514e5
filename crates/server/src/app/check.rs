//! "Check an article": the form, and the page of a checked article.
//!
//! Each sentence of the article is coloured by how it was reused: copied
//! (verbatim or lightly edited) or rewritten (paraphrased) from a source,
//! with or without credit to the source's outlet, or new. Credit is the
//! trace's own finding about the source's own outlet
//! (`SourceInfo::own_outlet_credit`, as the watches read it), and a source
//! with no known outlet leaves it unknown. Below come the source cards and, for every derived
//! source, the side-by-side table of the trace report.

use std::collections::HashMap;

use axum::extract::{Form, Query, State};
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use serde_json::{Map, Value};
use unspun_align::MatchKind;
use unspun_article::ArticleId;
use unspun_engine::Trace;
use unspun_report::{SourceInfo, TraceReport};

use super::{encoded, error_page, page};
use crate::api::{blocking, SUBMITTED_ID};
use crate::input;
use crate::problem::ApiError;
use crate::AppState;

/// `GET /`: the check form.
pub async fn form() -> Response {
    page("check an article", form_markup(None))
}

fn form_markup(error: Option<&str>) -> Markup {
    html! {
        h1 { "Check an article" }
        p.muted { "Paste an article to see where it came from, sentence by sentence, and what the rewrite changed. Nothing you paste is stored." }
        @if let Some(e) = error { p.error { (e) } }
        form.check method="post" action="/check" {
            div { label { "Or load a text file " input #file type="file" accept=".txt,text/plain"; } }
            textarea name="text" placeholder="Paste the article's text here" required {}
            div {
                label { "Headline " input type="text" name="title"; }
                label { "Outlet " input type="text" name="source"; }
                label { "Date " input type="text" name="date" placeholder="YYYY-MM-DD"; }
            }
            button type="submit" { "Check" }
        }
        h2 { "Or a stored article" }
        form.check method="get" action="/check" {
            label { "Article id " input type="text" name="id" required; }
            button type="submit" { "Check" }
        }
    }
}

/// `GET /check?id=`: a stored article.
pub async fn stored(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let id = match params.get("id").map(|s| s.trim()) {
        Some(id) if !id.is_empty() => id.to_string(),
        _ => return page("check an article", form_markup(Some("Give an article id."))),
    };
    let id = match ArticleId::new(id) {
        Ok(id) => id,
        Err(e) => return error_page(ApiError::field("id", e.to_string())),
    };
    let stored_id = id.clone();
    match blocking(&state, move |engine| {
        let trace = engine.trace_id(&id)?;
        checked(engine, trace)
    })
    .await
    {
        Ok((trace, report)) => result_page(
            &trace,
            &report,
            Some(&stored_id),
            params.get("source").map(String::as_str),
        ),
        Err(e) => error_page(e),
    }
}

/// `POST /check`: a pasted text (form fields `text`, `title`, `source`,
/// `date`), traced and not stored.
pub async fn posted(
    State(state): State<AppState>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let map: Map<String, Value> = fields
        .into_iter()
        .filter(|(k, _)| ["text", "title", "source", "date"].contains(&k.as_str()))
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let article = input::text_field(&map)
        .and_then(|t| t.ok_or_else(|| ApiError::field("text", "is required: paste the article")))
        .and_then(|text| {
            let id = ArticleId::new(SUBMITTED_ID).expect("a valid id");
            input::article_with(&map, id, text)
        });
    let article = match article {
        Ok(a) => a,
        Err(e) => return page("check an article", form_markup(Some(&e.problem().detail))),
    };
    match blocking(&state, move |engine| {
        let trace = engine.trace(article)?;
        checked(engine, trace)
    })
    .await
    {
        Ok((trace, report)) => result_page(&trace, &report, None, None),
        Err(e) => error_page(e),
    }
}

/// The trace and its report with the reviewers' decisions.
fn checked(engine: &unspun_engine::Engine, trace: Trace) -> Result<(Trace, TraceReport), ApiError> {
    let mut report = TraceReport::from_trace(&trace);
    report.attach_reviews(engine.store().as_ref())?;
    Ok((trace, report))
}

/// How a sentence was reused: its colour on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reuse {
    /// Copied (verbatim or edited) from a source it does not credit.
    CopiedUncredited,
    /// Rewritten (paraphrased) from a source it does not credit.
    RewrittenUncredited,
    /// Copied from a source whose credit is unknown (no outlet known).
    Copied,
    /// Rewritten from a source whose credit is unknown.
    Rewritten,
    /// Reused from a source it credits.
    Credited,
    /// New: no source.
    New,
}

impl Reuse {
    /// Every class, in legend order.
    pub const ALL: [Reuse; 6] = [
        Reuse::CopiedUncredited,
        Reuse::RewrittenUncredited,
        Reuse::Copied,
        Reuse::Rewritten,
        Reuse::Credited,
        Reuse::New,
    ];

    /// The CSS class (and `data-reuse` value).
    pub fn class(self) -> &'static str {
        match self {
            Reuse::CopiedUncredited => "copied-uncredited",
            Reuse::RewrittenUncredited => "rewritten-uncredited",
            Reuse::Copied => "copied",
            Reuse::Rewritten => "rewritten",
            Reuse::Credited => "credited",
            Reuse::New => "new",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Reuse::CopiedUncredited => "copied without credit",
            Reuse::RewrittenUncredited => "rewritten without credit",
            Reuse::Copied => "copied (credit unknown)",
            Reuse::Rewritten => "rewritten (credit unknown)",
            Reuse::Credited => "reused with credit",
            Reuse::New => "new",
        }
    }
}

/// The reuse class of each sentence of `report`, in order: from its best
/// source, the kind of the aligned group holding it, and the credit.
pub fn sentence_reuse(report: &TraceReport) -> Vec<Reuse> {
    report
        .sentences
        .iter()
        .map(|s| {
            let Some(source) = s
                .source
                .as_ref()
                .and_then(|id| report.sources.iter().find(|x| &x.id == id))
            else {
                return Reuse::New;
            };
            let copied = source
                .alignments
                .iter()
                .find(|a| a.derived.contains(&s.sentence.index))
                .is_some_and(|a| matches!(a.kind, MatchKind::Verbatim | MatchKind::Edited));
            match (source.own_outlet_credit(), copied) {
                (Some(true), _) => Reuse::Credited,
                (Some(false), true) => Reuse::CopiedUncredited,
                (Some(false), false) => Reuse::RewrittenUncredited,
                (None, true) => Reuse::Copied,
                (None, false) => Reuse::Rewritten,
            }
        })
        .collect()
}

fn percent(x: f32) -> String {
    format!("{:.0}%", x * 100.0)
}

fn source_card(index: usize, s: &SourceInfo, article_id: &str) -> Markup {
    let derived = s.relation.is_derivation();
    html! {
        div.card data-source=(s.id) {
            h3 {
                @if derived { a href={"#src" (index)} { "S" (index + 1) " · " (s.id) } }
                @else { "S" (index + 1) " · " (s.id) }
            }
            div { (s.source.as_deref().unwrap_or("unknown outlet")) " · " (s.date.as_deref().unwrap_or("undated")) }
            div { b { (s.relation.as_str()) } " · covers " (percent(s.coverage)) " of the article, reuses " (percent(s.source_coverage)) " of the source" }
            div.why {
                @if s.original == article_id { "this article is the original" } @else { "the original is " (s.original) }
                " (" @if s.direction_certain { "certain" } @else { "uncertain" } "): "
                (s.direction_evidence.join("; "))
            }
            @if let Some(of) = &s.sibling_of { div.why { "a fellow rewrite of " (of) ", not a source" } }
            @if derived {
                div {
                    @match s.own_outlet_credit() {
                        Some(true) => span.credit-yes { "credits " (s.source.as_deref().unwrap_or("the source")) },
                        Some(false) => span.credit-no { "no credit to " (s.source.as_deref().unwrap_or("the source")) },
                        None => span.muted { "credit unknown (no outlet known)" },
                    }
                }
                div.why { (s.changes.len() + s.alignments.iter().map(|a| a.changes.len()).sum::<usize>()) " changes; " (s.alignments.len()) " aligned passages" }
            }
            @if let Some(r) = &s.review {
                div.why {
                    @if let Some(v) = r.verdict { "review: " (v.as_str()) @if let Some(why) = &r.reason { " (" (why) ")" } }
                    @if r.licensed_outlet { " licensed outlet" }
                }
            }
        }
    }
}

/// The page of a checked article.
/// The page of a checked article; `open` names a source whose side by
/// side the page opens at (a link from the story or the review queue).
fn result_page(
    trace: &Trace,
    report: &TraceReport,
    stored: Option<&ArticleId>,
    open: Option<&str>,
) -> Response {
    let open_at = open.and_then(|id| {
        report
            .sources
            .iter()
            .position(|s| s.id == id && s.relation.is_derivation())
    });
    let reuse = sentence_reuse(report);
    let count = |r: Reuse| reuse.iter().filter(|x| **x == r).count();
    let title = report
        .article
        .title
        .clone()
        .unwrap_or_else(|| report.article.id.clone());
    let body = html! {
        h1 { (title) }
        div.meta {
            (report.article.id) " · " (report.article.date.as_deref().unwrap_or("undated"))
            " · " (report.article.source.as_deref().unwrap_or("unknown outlet"))
            " · " (report.sentences.len()) " sentences"
        }
        @if let Some(id) = stored {
            div.meta {
                "Export: "
                a href={"/v1/articles/" (encoded(id.as_str())) "/trace"} { "JSON" } " · "
                a href={"/v1/articles/" (encoded(id.as_str())) "/trace?format=csv"} { "CSV" } " · "
                a href={"/v1/articles/" (encoded(id.as_str())) "/trace?format=html"} { "one HTML file" }
            }
        } @else {
            div.meta { "This page holds everything it shows: save it from the browser to keep or send it." }
        }
        div.legend {
            @for r in Reuse::ALL {
                @let n = count(r);
                @if n > 0 { span class=(r.class()) data-reuse=(r.class()) data-count=(n) { (r.label()) ": " (n) } }
            }
        }
        div.article {
            @for (s, r) in report.sentences.iter().zip(&reuse) {
                span class={"s " (r.class())} data-reuse=(r.class()) title=(r.label()) { (s.sentence.text) }
                " "
            }
        }
        h2 { "Sources" }
        @if report.sources.is_empty() { p { "No sources found: every sentence is new." } }
        div.cards {
            @for (i, s) in report.sources.iter().enumerate() { (source_card(i, s, &report.article.id)) }
        }
        h2 { "Side by side" }
        p.muted { "Keys: n and p step to the next and previous change." }
        (PreEscaped(unspun_report::render_html_fragment(trace, &report.reviews())))
    };
    let open = open_at.map(|i| format!("#src{i}"));
    super::page_opening(&title, body, open.as_deref())
}
