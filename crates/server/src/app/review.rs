//! The review queue: the derivation graph's pairs, the ones without a
//! credit first, each with its verdict in force and a form to confirm,
//! dismiss or mark it licensed with a reason; and the licensed outlets.
//! The forms write through the API with the write token (see
//! [`super::WRITE_SCRIPT`]).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup};
use unspun_graph::Edge;
use unspun_store::Verdict;

use super::{encoded, error_page, page, token_box};
use crate::api::blocking;
use crate::problem::ApiError;
use crate::AppState;

/// Pairs per page of the queue.
const PAGE: usize = 50;

/// `GET /review`: the queue. `?all=true` also lists credited pairs;
/// `?reviewed=true` also lists pairs with a verdict.
pub async fn queue(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let all = params.get("all").is_some_and(|v| v == "true");
    let reviewed = params.get("reviewed").is_some_and(|v| v == "true");
    let cache = state.graph.clone();
    let listed = blocking(&state, move |engine| {
        let graph = cache.current(engine)?;
        let store = engine.store();
        let licensed = store.licensed_outlets()?;
        let mut rows: Vec<(Edge, Option<Verdict>, Option<String>)> = Vec::new();
        let mut edges: Vec<&Edge> = graph.edges.iter().filter(|e| all || !e.credited).collect();
        // Uncredited first, then the most reused.
        edges.sort_by(|a, b| {
            a.credited
                .cmp(&b.credited)
                .then(b.coverage.total_cmp(&a.coverage))
        });
        for e in edges {
            let verdict = store.verdicts(&e.derived, &e.source)?.pop();
            if verdict.is_some() && !reviewed {
                continue;
            }
            let outlet = graph.nodes.get(&e.derived).and_then(|n| n.source.clone());
            rows.push((e.clone(), verdict, outlet));
            if rows.len() == PAGE {
                break;
            }
        }
        Ok((rows, licensed))
    })
    .await;
    let (rows, licensed) = match listed {
        Ok(l) => l,
        Err(ApiError::NoGraph(why)) => {
            return page("review", html! { h1 { "Review" } p.error { (why) } })
        }
        Err(e) => return error_page(e),
    };
    page(
        "review",
        html! {
            h1 { "Review" }
            p.muted {
                "The graph's pairs " @if !all { "without credit " } @if !reviewed { "that no one has reviewed yet" }
                ", the most reused first (at most " (PAGE) "). "
                a href="/review?all=true&reviewed=true" { "Every pair" } " · "
                a href="/v1/pairs?format=csv" { "all pairs as CSV" } " · "
                a href="/v1/pairs" { "JSON" }
            }
            (token_box())
            @if rows.is_empty() { p { "Nothing to review." } }
            table.queue {
                tr { th { "article" } th { "source" } th { "relation" } th { "coverage" } th { "credit" } th { "verdict" } th { "decide" } }
                @for (e, verdict, outlet) in &rows { (row(e, verdict.as_ref(), outlet.as_deref())) }
            }
            h2 { "Licensed outlets" }
            p.muted { "Reuse between a licensed outlet and any other is not an alert, and reports mark it." }
            ul {
                @for l in &licensed {
                    li {
                        b { (l.outlet) } " · " (l.reason) " · " span.muted { (l.at) } " "
                        form.api data-method="DELETE" data-path={"/v1/licensed/" (encoded(&l.outlet))} style="display:inline" {
                            button type="submit" { "Remove" }
                            output {}
                        }
                    }
                }
            }
            form.api data-method="PUT" data-path-from="outlet" data-path-prefix="/v1/licensed/" {
                label { "Outlet " input type="text" name="outlet" required data-skip; }
                label { " Why (the licence) " input type="text" name="reason" required; }
                " " button type="submit" { "License" }
                output {}
            }
        },
    )
}

fn row(e: &Edge, verdict: Option<&Verdict>, outlet: Option<&str>) -> Markup {
    let a = e.derived.as_str();
    let s = e.source.as_str();
    html! {
        tr data-pair={(a) " " (s)} {
            td { a href={"/check?id=" (encoded(a)) "&source=" (encoded(s))} { (a) } br; span.muted { (outlet.unwrap_or("unknown outlet")) } }
            td { (s) }
            td { (e.relation.as_str()) }
            td { (format!("{:.0}%", e.coverage * 100.0)) }
            td { @if e.credited { span.credit-yes { "credited" } } @else { span.credit-no { "no credit" } } }
            td {
                @if let Some(v) = verdict { b { (v.verdict.as_str()) } " " span.muted { (v.reason) } } @else { span.muted { "none" } }
            }
            td {
                form.api data-method="POST" data-path={"/v1/pairs/" (encoded(a)) "/" (encoded(s)) "/verdict"} {
                    select name="verdict" {
                        option value="confirmed" { "confirmed" }
                        option value="dismissed" { "dismissed" }
                        option value="licensed" { "licensed" }
                    }
                    " " input type="text" name="reason" placeholder="why" required;
                    " " button type="submit" { "Record" }
                    output {}
                }
            }
        }
    }
}
