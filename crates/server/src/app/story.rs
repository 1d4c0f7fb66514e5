//! A story's derivation graph on a time axis: each article a point at its
//! date (one row per outlet), each derivation an arrow from source to
//! article; an arrow opens the article's side by side with that source.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Datelike;
use maud::{html, Markup};
use unspun_graph::EdgeRelation;

use super::{encoded, error_page, page};
use crate::api::blocking;
use crate::problem::ApiError;
use crate::AppState;

const WIDTH: f32 = 1100.0;
const LEFT: f32 = 170.0;
const ROW: f32 = 56.0;

fn colour(r: EdgeRelation) -> &'static str {
    match r {
        EdgeRelation::Copy => "#c0392b",
        EdgeRelation::Rewrite => "#d68910",
        EdgeRelation::Partial => "#2471a3",
        EdgeRelation::Related => "#999999",
    }
}

/// The segment from `a` to `b` with `gap` taken off both ends, so that an
/// arrow's head is not hidden under the article's point.
fn short_of(a: (f32, f32), b: (f32, f32), gap: f32) -> ((f32, f32), (f32, f32)) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len <= 2.0 * gap {
        return (a, b);
    }
    let (ux, uy) = (dx / len * gap, dy / len * gap);
    ((a.0 + ux, a.1 + uy), (b.0 - ux, b.1 - uy))
}

/// `GET /stories/{id}`.
pub async fn story(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let id = match crate::api::path_id(id) {
        Ok(id) => id,
        Err(e) => return error_page(e),
    };
    let cache = state.graph.clone();
    let wanted = id.clone();
    let story = blocking(&state, move |engine| {
        let graph = cache.current(engine)?;
        if !graph.nodes.contains_key(&wanted) {
            return Err(ApiError::NotFound(wanted.to_string()));
        }
        Ok(graph.story_of(&wanted))
    })
    .await;
    let story = match story {
        Ok(s) => s,
        Err(ApiError::NoGraph(why)) => {
            return page("story", html! { h1 { "Story" } p.error { (why) } })
        }
        Err(e) => return error_page(e),
    };
    // Rows: outlets in order of their first article; x: days from the
    // first date (undated articles at the left edge).
    let nodes: Vec<_> = story.nodes.values().collect();
    let mut outlets: Vec<String> = Vec::new();
    for n in &nodes {
        let o = n.source.clone().unwrap_or_else(|| "unknown outlet".into());
        if !outlets.contains(&o) {
            outlets.push(o);
        }
    }
    let days: Vec<i64> = nodes
        .iter()
        .filter_map(|n| n.date.map(|d| d.num_days_from_ce() as i64))
        .collect();
    let (first, last) = (
        days.iter().copied().min().unwrap_or(0),
        days.iter().copied().max().unwrap_or(0),
    );
    let span = (last - first).max(1) as f32;
    // Articles of one outlet and day are spread a little so none hides
    // another.
    let mut taken: std::collections::HashMap<(usize, i64), usize> = Default::default();
    let mut at: std::collections::HashMap<&unspun_article::ArticleId, (f32, f32)> =
        Default::default();
    for n in &nodes {
        let o = n.source.clone().unwrap_or_else(|| "unknown outlet".into());
        let row = outlets.iter().position(|x| *x == o).unwrap_or(0);
        let day = n.date.map(|d| d.num_days_from_ce() as i64).unwrap_or(first);
        let k = taken.entry((row, day)).or_default();
        let x =
            LEFT + 30.0 + (day - first) as f32 / span * (WIDTH - LEFT - 90.0) + *k as f32 * 14.0;
        *k += 1;
        at.insert(&n.id, (x, 40.0 + row as f32 * ROW));
    }
    let height = 60.0 + outlets.len() as f32 * ROW;
    let svg: Markup = html! {
        svg.story xmlns="http://www.w3.org/2000/svg" width=(WIDTH) height=(height) viewBox={"0 0 " (WIDTH) " " (height)} {
            defs {
                @for r in [EdgeRelation::Copy, EdgeRelation::Rewrite, EdgeRelation::Partial] {
                    marker id={"arrow-" (r.as_str())} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" {
                        path d="M 0 0 L 10 5 L 0 10 z" fill=(colour(r)) {}
                    }
                }
            }
            @for (i, o) in outlets.iter().enumerate() {
                text x="8" y=(44.0 + i as f32 * ROW) { (o) }
                line x1=(LEFT) y1=(40.0 + i as f32 * ROW) x2=(WIDTH - 10.0) y2=(40.0 + i as f32 * ROW) stroke="#eee" {}
            }
            @for e in &story.edges {
                @if let (Some(&a), Some(&b)) = (at.get(&e.source), at.get(&e.derived)) {
                    @let ((x1, y1), (x2, y2)) = short_of(a, b, 9.0);
                    a href={"/check?id=" (encoded(e.derived.as_str())) "&source=" (encoded(e.source.as_str()))} {
                        title { (e.derived.as_str()) " " (e.relation.as_str()) " of " (e.source.as_str()) @if !e.credited { ", without credit" } }
                        line.edge x1=(x1) y1=(y1) x2=(x2) y2=(y2) stroke=(colour(e.relation)) stroke-width="2.5"
                            stroke-dasharray=(if e.credited { "none" } else { "6 3" })
                            marker-end={"url(#arrow-" (e.relation.as_str()) ")"} data-derived=(e.derived.as_str()) data-source=(e.source.as_str()) {}
                    }
                }
            }
            @for n in &nodes {
                @if let Some(&(x, y)) = at.get(&n.id) {
                    a href={"/check?id=" (encoded(n.id.as_str()))} {
                        title { (n.id.as_str()) @if let Some(t) = &n.title { ": " (t) } }
                        circle cx=(x) cy=(y) r=(if n.id == id { 8 } else { 6 }) fill=(if n.id == id { "#1d4f91" } else { "#555" }) {}
                    }
                    text x=(x - 10.0) y=(y + 20.0) { (n.id.as_str().chars().take(18).collect::<String>()) }
                }
            }
        }
    };
    let first_date = nodes.iter().filter_map(|n| n.date).min();
    let last_date = nodes.iter().filter_map(|n| n.date).max();
    page(
        &format!("story of {id}"),
        html! {
            h1 { "Story of " (id.as_str()) }
            p.meta {
                (story.nodes.len()) " articles, " (story.edges.len()) " derivations"
                @if let (Some(a), Some(b)) = (first_date, last_date) { ", " (a) " to " (b) }
                ". Arrows run from source to article: red copy, orange rewrite, blue partial; dashed without credit. "
                "Click an arrow for the side by side. Export: " a href={"/v1/stories/" (encoded(id.as_str()))} { "JSON" } " · " a href={"/v1/stories/" (encoded(id.as_str())) "?format=csv"} { "CSV" }
            }
            (svg)
        },
    )
}
