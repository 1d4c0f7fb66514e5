//! The outlets and watches pages.

use axum::extract::State;
use axum::response::Response;
use maud::html;
use unspun_graph::summary::outlet_summary;

use super::{error_page, page, token_box};
use crate::api::blocking;
use crate::problem::ApiError;
use crate::AppState;

/// `GET /outlets`: the per-outlet table of the derivation graph.
pub async fn outlets(State(state): State<AppState>) -> Response {
    let cache = state.graph.clone();
    let rows = blocking(&state, move |engine| {
        let graph = cache.current(engine)?;
        Ok((graph.nodes.len(), graph.edges.len(), outlet_summary(&graph)))
    })
    .await;
    let (articles, edges, rows) = match rows {
        Ok(r) => r,
        Err(ApiError::NoGraph(why)) => {
            return page("outlets", html! { h1 { "Outlets" } p.error { (why) } })
        }
        Err(e) => return error_page(e),
    };
    page(
        "outlets",
        html! {
            h1 { "Outlets" }
            p.meta { (articles) " articles in the graph, " (edges) " derivations. Export: " a href="/v1/outlets" { "JSON" } " · " a href="/v1/outlets?format=csv" { "CSV" } " · every pair as " a href="/v1/pairs?format=csv" { "CSV" } }
            table {
                tr {
                    th { "outlet" } th { "articles" } th { "derived" } th { "copies" } th { "rewrites" }
                    th { "partial" } th { "mean coverage" } th { "derives from" } th { "without credit" }
                    th { "quotes altered" } th { "republished by others" }
                }
                @for o in &rows {
                    tr {
                        td { (o.outlet) } td { (o.articles) } td { (o.derived) } td { (o.copies) }
                        td { (o.rewrites) } td { (o.partial) } td { (format!("{:.0}%", o.mean_coverage * 100.0)) }
                        td { @for (i, (from, n)) in o.from.iter().enumerate() { @if i > 0 { ", " } (from) " (" (n) ")" } }
                        td { (o.credit_missing) " of " (o.from_other_outlets) }
                        td { (o.quotes_altered) } td { (o.republished_by_others) }
                    }
                }
            }
        },
    )
}

/// `GET /watches`: the watches and their latest alerts.
pub async fn watches(State(state): State<AppState>) -> Response {
    let listed = blocking(&state, |engine| {
        let store = engine.store();
        let mut out = Vec::new();
        for w in store.watches()? {
            let latest = store.latest_matches(w.id, 10)?;
            out.push((w, latest));
        }
        Ok(out)
    })
    .await;
    let listed = match listed {
        Ok(l) => l,
        Err(e) => return error_page(e),
    };
    page(
        "watches",
        html! {
            h1 { "Watches" }
            p.muted { "Each article stored after a watch exists is matched against it: reuse of the watched outlet's stories without credit is an alert, here, in the watch's Atom feed and, if it has one, at its webhook. The same through the API: " code { "POST /v1/watches" } "." }
            (token_box())
            h2 { "New watch" }
            form.api data-method="POST" data-path="/v1/watches" data-stay {
                div {
                    label { "Name " input type="text" name="name" maxlength="200"; }
                    label { "Outlet " input type="text" name="outlet" required maxlength="200" placeholder="Reuters"; }
                }
                div {
                    "Relations: "
                    label { input type="checkbox" name="relations" value="copy" data-list checked; " copy" }
                    label { input type="checkbox" name="relations" value="rewrite" data-list checked; " rewrite" }
                    label { input type="checkbox" name="relations" value="partial" data-list checked; " partial" }
                    label { "Least coverage " input type="number" name="min_coverage" min="0" max="1" step="0.05" value="0"; }
                    label { input type="checkbox" name="only_uncredited" checked; " only without credit" }
                }
                div { label { "Webhook URL (optional) " input type="text" name="url" data-object="webhook" size="50" placeholder="https://newsroom.example/hooks/unspun"; } }
                button type="submit" { "Create the watch" }
                " " output {}
            }
            @if listed.is_empty() { p { "No watches yet." } }
            @for (w, matches) in &listed {
                @let spec: serde_json::Value = serde_json::from_str(&w.spec).unwrap_or_default();
                h2 { "Watch " (w.id) @if let Some(n) = spec.get("name").and_then(|n| n.as_str()) { ": " (n) } }
                p.meta {
                    @if let Some(o) = spec.get("outlet").and_then(|o| o.as_str()) { "outlet " b { (o) } " · " }
                    "since " (w.created) " · "
                    a href={"/v1/watches/" (w.id) "/matches"} { "alerts (JSON)" } " · "
                    a href={"/v1/watches/" (w.id) "/matches?format=csv"} { "CSV" } " · "
                    a href={"/v1/watches/" (w.id) "/feed"} { "Atom feed" } " · "
                    a href={"/v1/watches/" (w.id) "/deliveries"} { "webhook deliveries" }
                }
                @if spec.get("webhook").is_some_and(|h| !h.is_null()) {
                    form.api data-method="POST" data-path={"/v1/watches/" (w.id) "/test"} data-stay style="display:inline" {
                        button type="submit" { "Test send" } " " output {}
                    }
                }
                form.api data-method="DELETE" data-path={"/v1/watches/" (w.id)} style="display:inline" {
                    " " button type="submit" { "Delete" } " " output {}
                }
                @if matches.is_empty() { p.muted { "No alerts yet." } }
                ul {
                    @for m in matches.iter().rev() {
                        @let alert: serde_json::Value = serde_json::from_str(&m.payload).unwrap_or_default();
                        li {
                            a href={"/check?id=" (super::encoded(m.article.as_str()))} { (m.article.as_str()) }
                            " " (alert.get("relation").and_then(|r| r.as_str()).unwrap_or("reuses")) " "
                            (m.source.as_str())
                            @if alert.get("credited").and_then(|c| c.as_bool()) == Some(false) { " without credit" }
                            span.muted { " · " (m.at) }
                        }
                    }
                }
            }
        },
    )
}
