//! The web app: server-rendered pages over the same engine as the API, for
//! the people who do not use a command line (a standards editor, a
//! fact-checker, a licensing desk).
//!
//! | page | what |
//! |---|---|
//! | `GET /` | check an article: paste a text, load a text file, or give a stored id |
//! | `POST /check`, `GET /check?id=` | the article's sentences coloured by how they were reused, source cards, and each source side by side with its changes (keys `n` / `p` step through the changes) |
//! | `GET /outlets` | who derives from whom, how rewritten, how often without credit (the graph `unspun graph` built) |
//! | `GET /watches` | the watches, their latest alerts, and forms to add, delete and test them |
//! | `GET /review` | the review queue: the graph's uncredited pairs, each with a verdict form; the licensed outlets |
//! | `GET /stories/{id}` | a story's derivation graph on a time axis; each edge opens its side by side |
//!
//! Writes (verdicts, licences, watches) go through the API with the bearer
//! token, which the reader types once into the page's token box; it is
//! kept in the tab's session storage and sent by the page's script, never
//! put in a URL or a cookie.
//!
//! Every asset is in the page (style and a few lines of script): nothing is
//! fetched from elsewhere, so it works offline, and a checked page saved by
//! the browser is one self-contained file. Article text is untrusted: maud
//! escapes everything it renders, and each page is served with a content
//! security policy that allows only its own inline style and script.

pub mod check;
mod pages;
mod review;
mod story;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::api::url_component as encoded;
use crate::AppState;

/// The pages of the web app.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(check::form))
        .route("/check", get(check::stored).post(check::posted))
        .route("/outlets", get(pages::outlets))
        .route("/watches", get(pages::watches))
        .route("/review", get(review::queue))
        .route("/stories/{id}", get(story::story))
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
output.error{padding:1px 6px} output.ok{color:#1e6b1e;font-weight:600}
.token{background:#fff;border:1px solid #ddd;padding:6px 10px;margin:0 0 14px}
form.api{margin:4px 0} form.api label{margin-right:10px}
svg.story{background:#fff;border:1px solid #ddd}
svg.story text{font:12px system-ui,sans-serif}
svg.story a:hover line{stroke-width:4}
.muted{color:#666}
li.current{outline:2px solid #1d4f91}
"#;

/// Steps through the changes of the side-by-side tables with `n` and `p`,
/// and opens the page at the side by side its `body` names
/// (`data-open`).
const KEYS_SCRIPT: &str = r#"
(function(){var open=document.body.dataset.open;if(open&&!location.hash)location.hash=open;
var items=[].slice.call(document.querySelectorAll('ul.changes li'));var i=-1;
function go(d){if(!items.length)return;if(i>=0)items[i].classList.remove('current');i=(i+d+items.length)%items.length;items[i].classList.add('current');items[i].scrollIntoView({block:'center'});}
document.addEventListener('keydown',function(e){if(e.target.tagName==='TEXTAREA'||e.target.tagName==='INPUT')return;if(e.key==='n')go(1);if(e.key==='p')go(-1);});})();
"#;

/// Reads a chosen text file into the check form's text box (in the page:
/// nothing is uploaded until the form is sent).
const FILE_SCRIPT: &str = r#"
(function(){var f=document.getElementById('file');if(!f)return;f.addEventListener('change',function(){var file=f.files[0];if(!file)return;
var r=new FileReader();r.onload=function(){document.querySelector('textarea[name=text]').value=r.result;};r.readAsText(file);});})();
"#;

/// Sends the `form.api` forms to the API with the token of the token box,
/// and says how it went in the form's `output`.
const WRITE_SCRIPT: &str = r#"
(function(){var box=document.getElementById('token');var key='unspun-token';
if(box){box.value=sessionStorage.getItem(key)||'';box.addEventListener('input',function(){sessionStorage.setItem(key,box.value.trim());});}
[].forEach.call(document.querySelectorAll('form.api'),function(f){f.addEventListener('submit',function(ev){ev.preventDefault();
var out=f.querySelector('output');var body={};
[].forEach.call(f.querySelectorAll('input,select,textarea'),function(el){if(!el.name||el.hasAttribute('data-skip'))return;
if(el.type==='checkbox'){if(el.hasAttribute('data-list')){body[el.name]=body[el.name]||[];if(el.checked)body[el.name].push(el.value);}else{body[el.name]=el.checked;}return;}
if(el.value==='')return;var v=el.type==='number'?Number(el.value):el.value;
if(el.dataset.object){body[el.dataset.object]={};body[el.dataset.object][el.name]=v;}else{body[el.name]=v;}});
var path=f.dataset.path;if(f.dataset.pathFrom){path=f.dataset.pathPrefix+encodeURIComponent(f.querySelector('[name='+f.dataset.pathFrom+']').value.trim());}
var m=f.dataset.method;var init={method:m,headers:{'authorization':'Bearer '+(sessionStorage.getItem(key)||'')}};
if(m!=='DELETE'){init.headers['content-type']='application/json';init.body=JSON.stringify(body);}
fetch(path,init).then(function(r){return r.text().then(function(t){var j=null;try{j=JSON.parse(t);}catch(e){}
if(r.ok){out.className='ok';if(j&&j.secret){out.textContent='created; the webhook secret, shown only now: '+j.secret;return;}
out.textContent='done';if(!f.hasAttribute('data-stay'))setTimeout(function(){location.reload();},300);}
else{out.className='error';out.textContent=r.status+': '+(j&&j.detail?j.detail:t);}});},function(e){out.className='error';out.textContent=String(e);});});});})();
"#;

/// The box where the reader types the write token (kept in the tab's
/// session storage by [`WRITE_SCRIPT`]).
fn token_box() -> Markup {
    html! {
        div.token {
            label { "Write token " input #token type="password" autocomplete="off" placeholder="the server's bearer token"; }
            span.muted { " Needed to record verdicts, licences and watches; kept in this tab only." }
        }
    }
}

/// The page's one script: constant, so that the content security policy
/// allows it by its hash and no other script, inline or not, runs.
fn script() -> String {
    format!("{KEYS_SCRIPT}{WRITE_SCRIPT}{FILE_SCRIPT}")
}

/// The content security policy of every page: its own style, its one
/// script by hash, requests and forms to this server only, no framing.
fn policy() -> &'static str {
    static POLICY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    POLICY.get_or_init(|| {
        use base64::Engine as _;
        use sha2::Digest as _;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script()));
        format!(
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'; \
             connect-src 'self'; form-action 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
    })
}

/// A page of the app: the navigation, then `body`.
fn page(title: &str, body: Markup) -> Response {
    page_opening(title, body, None)
}

/// A page that opens at the element `open` (`#src0`).
fn page_opening(title: &str, body: Markup, open: Option<&str>) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "unspun: " (title) }
                style { (PreEscaped(unspun_report::REPORT_STYLE)) (PreEscaped(APP_STYLE)) }
            }
            body data-open=[open] {
                nav {
                    b { "unspun" }
                    a href="/" { "Check an article" }
                    a href="/outlets" { "Outlets" }
                    a href="/review" { "Review" }
                    a href="/watches" { "Watches" }
                    a href="/openapi.json" class="muted" { "API" }
                }
                (body)
                script { (PreEscaped(script())) }
            }
        }
    };
    let mut response = markup.into_string().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // Only the page's own inline style and script run; forms and the
    // script's requests go to this server only.
    if let Ok(v) = HeaderValue::from_str(policy()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
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
