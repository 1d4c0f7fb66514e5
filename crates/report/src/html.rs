//! One self-contained HTML page per trace: the article and each source side
//! by side, aligned sentences linked, changes highlighted and listed.
//!
//! Every piece of article text goes through [`escape`]: articles are
//! untrusted input, and a page that runs a `<script>` from a scraped
//! article would be an attack on the person reading the report.

use std::fmt::Write as _;

use unspun_align::{AnalyzedArticle, Original};
use unspun_changes::{Change, Severity};
use unspun_engine::Trace;

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const STYLE: &str = r#"
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d1d1f;background:#fafafa}
h1{font-size:20px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
.meta{color:#555;margin-bottom:16px}
table{border-collapse:collapse;width:100%;background:#fff}
td,th{border:1px solid #ddd;padding:6px 8px;vertical-align:top;text-align:left}
th{background:#f0f0f3;font-weight:600}
td.n{width:3em;color:#777;font-variant-numeric:tabular-nums}
td.k{width:7em;white-space:nowrap}
.verbatim{background:#e7f6e7}.edited{background:#eef6ff}.paraphrase{background:#fff8e1}.new{background:#f3f3f3}.dropped{background:#fdecec}
.tag{display:inline-block;border-radius:3px;padding:0 5px;font-size:12px;font-weight:600}
.tag.verbatim{color:#1e6b1e}.tag.edited{color:#1d4f91}.tag.paraphrase{color:#8a6100}.tag.new{color:#555}.tag.dropped{color:#a11}
mark{padding:0 1px;border-radius:2px}
mark.major{background:#ffb3b3}mark.minor{background:#ffe08a}mark.info{background:#c8f0c8}
ul.changes{margin:6px 0 0;padding-left:18px;font-size:13px}
li.major{color:#a11}li.minor{color:#7a5a00}li.info{color:#2d6b2d}
a{color:#1d4f91;text-decoration:none} a:hover{text-decoration:underline}
tr:target{outline:2px solid #1d4f91}
.summary td{border:none;padding:2px 10px 2px 0;background:none}
"#;

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Major => "major",
        Severity::Minor => "minor",
        Severity::Info => "info",
    }
}

/// Sentence text with the given byte spans (absolute offsets into the
/// article text) wrapped in `<mark>`; overlapping spans keep the first.
fn highlighted(
    article: &AnalyzedArticle,
    i: usize,
    marks: &[(usize, usize, Severity, String)],
) -> String {
    let span = article.sentences[i].span;
    let text = &article.article.text;
    let mut inside: Vec<&(usize, usize, Severity, String)> = marks
        .iter()
        .filter(|(s, e, _, _)| *s >= span.start && *e <= span.end && s < e)
        .collect();
    inside.sort_by_key(|m| (m.0, std::cmp::Reverse(m.1)));
    let mut o = String::new();
    let mut at = span.start;
    for (s, e, sev, title) in inside {
        if *s < at || !text.is_char_boundary(*s) || !text.is_char_boundary(*e) {
            continue;
        }
        o.push_str(&escape(&text[at..*s]));
        let _ = write!(
            o,
            "<mark class=\"{}\" title=\"{}\">{}</mark>",
            severity_class(*sev),
            escape(title),
            escape(&text[*s..*e])
        );
        at = *e;
    }
    o.push_str(&escape(&text[at..span.end]));
    o
}

fn change_li(c: &Change, link: &str) -> String {
    format!(
        "<li class=\"{}\"><b>{}</b> {} {}</li>",
        severity_class(c.severity),
        escape(c.kind.as_str()),
        escape(&c.detail),
        link
    )
}

/// An article's provenance as HTML: its URL (a link when it is http(s)),
/// where it was fetched from, how it was extracted; `None` when nothing is
/// known.
fn provenance_html(article: &unspun_article::Article) -> Option<String> {
    let link = |u: &str| {
        let lower = u.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            format!("<a href=\"{}\">{}</a>", escape(u), escape(u))
        } else {
            escape(u)
        }
    };
    let parts: Vec<String> = [
        article.url.as_deref().map(link),
        article
            .fetched_url
            .as_deref()
            .map(|u| format!("fetched from {}", link(u))),
        article.extraction.as_deref().map(escape),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Renders a trace as one self-contained HTML page (inline CSS, no
/// scripts, no external resources).
pub fn render_html(trace: &Trace) -> String {
    render_html_reviewed(trace, &[])
}

/// [`render_html`] with the reviewers' decisions on each source
/// (`reviews[i]` for the trace's source `i`, from
/// [`crate::TraceReport::reviews`]), shown under the source's heading.
pub fn render_html_reviewed(trace: &Trace, reviews: &[Option<crate::ReviewInfo>]) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>unspun trace: {}</title><style>{}</style></head><body>\n",
        escape(trace.article.article.id.as_str()),
        STYLE
    );
    o.push_str(&render_html_fragment(trace, reviews));
    o.push_str("</body></html>\n");
    o
}

/// The style sheet of the report's markup ([`render_html_fragment`]), for
/// a page that embeds it.
pub const REPORT_STYLE: &str = STYLE;

/// The report's body markup, without the page around it: the heading, the
/// source summary (linking `#src{n}`) and one side-by-side table per
/// derived source. For pages that embed a trace (the web app); style it
/// with [`REPORT_STYLE`].
pub fn render_html_fragment(trace: &Trace, reviews: &[Option<crate::ReviewInfo>]) -> String {
    let a = &trace.article;
    let art = &a.article;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<h1>{}</h1>",
        escape(art.title.as_deref().unwrap_or(art.id.as_str()))
    );
    let _ = writeln!(
        o,
        "<div class=\"meta\">{} · {} · {} · {} sentences · {} similarity</div>",
        escape(art.id.as_str()),
        escape(
            &art.date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "undated".into())
        ),
        escape(art.source.as_deref().unwrap_or("unknown outlet")),
        a.sentences.len(),
        escape(trace.mode)
    );
    if let Some(from) = provenance_html(art) {
        let _ = writeln!(o, "<div class=\"meta\">from: {from}</div>");
    }
    if trace.sources.is_empty() {
        o.push_str("<p>No sources found: every sentence is new.</p>\n");
        return o;
    }
    o.push_str("<table class=\"summary\">");
    for (si, s) in trace.sources.iter().enumerate() {
        let src = &s.source.article;
        let original = match s.direction.original {
            Original::Source => src.id.as_str(),
            Original::Derived => art.id.as_str(),
        };
        let _ = write!(
            o,
            "<tr><td><a href=\"#src{si}\">S{}</a></td><td>{}</td><td>{}</td><td><b>{}</b></td>\
             <td>covers {:.0}% of the article, reuses {:.0}% of the source</td>\
             <td>original: {} ({})</td>",
            si + 1,
            escape(src.id.as_str()),
            escape(src.source.as_deref().unwrap_or("")),
            s.relation.as_str(),
            s.alignment.coverage() * 100.0,
            s.alignment.source_coverage() * 100.0,
            escape(original),
            if s.direction.certain {
                "certain"
            } else {
                "uncertain"
            }
        );
        if let Some(c) = trace.sibling_of(si) {
            // A sibling is not a source: say whose fellow rewrite it is.
            let _ = write!(
                o,
                "<td>sibling rewrite of {}</td>",
                escape(trace.sources[c].source.article.id.as_str())
            );
        }
        o.push_str("</tr>");
    }
    o.push_str("</table>\n");

    for (si, s) in trace.sources.iter().enumerate() {
        if !s.relation.is_derivation() {
            continue;
        }
        let src = &s.source;
        let _ = writeln!(
            o,
            "<h2 id=\"src{si}\">S{}: {} <span class=\"tag\">{}</span></h2>",
            si + 1,
            escape(src.article.id.as_str()),
            s.relation.as_str()
        );
        if let Some(from) = provenance_html(&src.article) {
            let _ = writeln!(o, "<div class=\"meta\">from: {from}</div>");
        }
        if let Some(review) = reviews.get(si).and_then(Option::as_ref) {
            let _ = writeln!(
                o,
                "<div class=\"meta\">review: {}</div>",
                escape(&review.summary())
            );
        }
        // Change spans to highlight, per side.
        let mut dmarks = Vec::new();
        let mut smarks = Vec::new();
        for c in s
            .changes
            .per_group
            .iter()
            .flatten()
            .chain(&s.changes.article)
        {
            let title = format!("{}: {}", c.kind.as_str(), c.detail);
            if let Some(d) = &c.derived {
                dmarks.push((d.start, d.end, c.severity, title.clone()));
            }
            if let Some(x) = &c.source {
                smarks.push((x.start, x.end, c.severity, title));
            }
        }
        o.push_str("<table><tr><th></th><th>this article</th><th></th><th>source</th></tr>\n");
        for i in 0..a.sentences.len() {
            let group = s
                .alignment
                .groups
                .iter()
                .enumerate()
                .find(|(_, g)| g.derived.contains(&i));
            match group {
                None => {
                    let _ = writeln!(
                        o,
                        "<tr id=\"s{si}d{i}\" class=\"new\"><td class=\"n\">{i}</td><td>{}</td>\
                         <td class=\"k\"><span class=\"tag new\">new</span></td><td></td></tr>",
                        highlighted(a, i, &dmarks)
                    );
                }
                Some((gi, g)) => {
                    let kind = g.kind.as_str();
                    let sources: Vec<String> = g
                        .source
                        .iter()
                        .map(|&j| {
                            format!(
                                "<div id=\"s{si}s{j}\"><a href=\"#s{si}d{}\">{j}</a> {}</div>",
                                g.derived[0],
                                highlighted(src, j, &smarks)
                            )
                        })
                        .collect();
                    let changes: String = if g.derived[0] == i {
                        s.changes
                            .per_group
                            .get(gi)
                            .into_iter()
                            .flatten()
                            .map(|c| change_li(c, ""))
                            .collect()
                    } else {
                        String::new()
                    };
                    let _ = writeln!(
                        o,
                        "<tr id=\"s{si}d{i}\" class=\"{kind}\"><td class=\"n\">{i}</td><td>{}{}</td>\
                         <td class=\"k\"><span class=\"tag {kind}\">{kind}</span> {:.2}</td><td>{}</td></tr>",
                        highlighted(a, i, &dmarks),
                        if changes.is_empty() {
                            String::new()
                        } else {
                            format!("<ul class=\"changes\">{changes}</ul>")
                        },
                        g.score,
                        sources.join("")
                    );
                }
            }
        }
        for (j, &m) in s.alignment.source_matched.iter().enumerate() {
            if !m && s.direction.original == Original::Source {
                let _ = writeln!(
                    o,
                    "<tr id=\"s{si}s{j}\" class=\"dropped\"><td class=\"n\"></td><td></td>\
                     <td class=\"k\"><span class=\"tag dropped\">dropped</span></td><td>{j} {}</td></tr>",
                    highlighted(src, j, &smarks)
                );
            }
        }
        o.push_str("</table>\n");
        if !s.changes.article.is_empty() {
            o.push_str("<h3>Article-level changes</h3><ul class=\"changes\">");
            for c in &s.changes.article {
                let link = match (&c.derived_sentences.first(), &c.source_sentences.first()) {
                    (Some(i), _) => format!("<a href=\"#s{si}d{i}\">→ sentence {i}</a>"),
                    (None, Some(j)) => format!("<a href=\"#s{si}s{j}\">→ source sentence {j}</a>"),
                    _ => String::new(),
                };
                o.push_str(&change_li(c, &link));
            }
            o.push_str("</ul>\n");
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_can_open_markup() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y' onload="z""#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; onload=&quot;z&quot;"
        );
    }
}
