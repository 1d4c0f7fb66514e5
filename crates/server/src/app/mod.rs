//! The web app: server-rendered pages over the same engine as the API, for
//! the people who do not use a command line (a standards editor, a
//! fact-checker, a licensing desk).
//!
//! | page | what |
//! |---|---|
//! | `GET /` | check an article: paste a text, or give a stored id |
//! | `POST /check`, `GET /check?id=` | the article's sentences coloured by how they were reused, source cards, and each source side by side with its changes (keys `n` / `p` step through the changes) |
//! | `GET /outlets` | who derives from whom, how rewritten, how often without credit (the graph `unspun graph` built) |
//! | `GET /watches` | the watches and their latest alerts |
//!
//! Every asset is in the page (style and a few lines of script): nothing is
//! fetched from elsewhere, so it works offline, and a checked page saved by
//! the browser is one self-contained file. Article text is untrusted: maud
//! escapes everything it renders, and each page is served with a content
//! security policy that allows only its own inline style and script.

pub mod check;
mod pages;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::AppState;

/// The pages of the web app.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(check::form))
        .route("/check", get(check::stored).post(check::posted))
        .route("/outlets", get(pages::outlets))
        .route("/watches", get(pages::watches))
}

/// The app's own style, beside the trace report's.
const APP_STYLE: &str = r#"
nav{display:flex;gap:18px;align-items:baseline;border-bottom:1px solid #ddd;padding:0 0 10px;margin:0 0 18px}
nav b{font-size:18px} nav a{font-weight:600}
form.check textarea{width:100%;min-height:14em;font:14px/1.4 ui-monospace,monospace;box-sizing:border-box}
form.check label{display:inline-block;margin:6px 14px 6px 0}
form.check input[type=text]{width:16em}
button{font:inherit;padding:4px 14px}
.legend span,.s{border-radius:3px;padding:1px 2px}
.s.copied-uncredited,.legend .copied-uncredited{background:#ffc9c9}
.s.rewritten-uncredited,.legend .rewritten-uncredited{background:#ffe3b3}
.s.copied,.legend .copied{background:#d9e4ff}
.s.rewritten,.legend .rewritten{background:#eaf0ff}
.s.credited,.legend .credited{background:#d3f2d3}
.s.new,.legend .new{background:none;color:#333}
.legend span{margin-right:12px;display:inline-block}
.article{background:#fff;border:1px solid #ddd;padding:12px 16px;line-height:1.7}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 12px;min-width:18em;max-width:28em}
.card h3{margin:0 0 4px;font-size:15px} .card .why{font-size:13px;color:#444}
.card .credit-no{color:#a11;font-weight:600} .card .credit-yes{color:#1e6b1e;font-weight:600}
.error{background:#fdecec;border:1px solid #e3a3a3;padding:8px 12px}
.muted{color:#666}
li.current{outline:2px solid #1d4f91}
"#;

/// Steps through the changes of the side-by-side tables with `n` and `p`.
const KEYS_SCRIPT: &str = r#"
(function(){var items=[].slice.call(document.querySelectorAll('ul.changes li'));var i=-1;
function go(d){if(!items.length)return;if(i>=0)items[i].classList.remove('current');i=(i+d+items.length)%items.length;items[i].classList.add('current');items[i].scrollIntoView({block:'center'});}
document.addEventListener('keydown',function(e){if(e.target.tagName==='TEXTAREA'||e.target.tagName==='INPUT')return;if(e.key==='n')go(1);if(e.key==='p')go(-1);});})();
"#;

/// A page of the app: the navigation, then `body`.
fn page(title: &str, body: Markup) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "unspun: " (title) }
                style { (PreEscaped(unspun_report::REPORT_STYLE)) (PreEscaped(APP_STYLE)) }
            }
            body {
                nav {
                    b { "unspun" }
                    a href="/" { "Check an article" }
                    a href="/outlets" { "Outlets" }
                    a href="/watches" { "Watches" }
                    a href="/openapi.json" class="muted" { "API" }
                }
                (body)
                script { (PreEscaped(KEYS_SCRIPT)) }
            }
        }
    };
    let mut response = markup.into_string().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // Only the page's own inline style and script run; forms post back to
    // this server.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'",
        ),
    );
    response
}

/// A page saying what went wrong, with the status of the error.
fn error_page(error: crate::ApiError) -> Response {
    let problem = error.problem();
    let status = problem.status;
    let mut response = page(
        "error",
        html! {
            h1 { (problem.title) }
            p.error { (problem.detail) }
            p { a href="/" { "Back to the check page" } }
        },
    );
    *response.status_mut() = axum::http::StatusCode::from_u16(status)
        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    response
}
