//! Credits to the source's outlet, and source sentences left out.
//!
//! **Credit.** The source credits its origin when its `source` field names
//! an outlet (`[Source: Reuters]` in the examples' header) or its text does:
//! "(Reuters)", "Reuters reported", "reported by Reuters", "according to
//! Reuters", "Reuters contributed", "reporting by Reuters", "Source:
//! Reuters", "via Reuters", "courtesy of Reuters". Mentions that only show
//! the outlet doing its reporting are *not* credits for the story: "texts
//! reviewed by Reuters", "told Reuters", "Reuters could not verify". The
//! derived article keeps the credit when its own `source` is that outlet or
//! its text credits the outlet in one of those forms (`attribution_kept`);
//! otherwise the credit is missing (`attribution_missing`, major).
//!
//! **Omissions.** Every unaligned source sentence is `sentence_dropped`,
//! ranked by what it carries: a quote, then figures (numbers and dates),
//! then an attribution (a speech verb), then names; what carries none of
//! these is context and background. Quotes and figures make it major,
//! attributions and names minor, the rest (and headings) info.

use unspun_align::Alignment;
use unspun_segment::{Span, Token, TokenKind};

use crate::numbers::Quantity;
use crate::text::{inside, Doc};
use crate::{Change, ChangeType, Severity};

/// Outlets with the other names they go by (first: the canonical name).
const OUTLETS: &[&[&str]] = &[
    &["Reuters", "Reuter", "Thomson Reuters"],
    &["Associated Press", "AP"],
    &["Agence France-Presse", "AFP", "Agence France Presse"],
    &["Bloomberg", "Bloomberg News"],
    &["BBC", "BBC News"],
    &["dpa", "Deutsche Presse-Agentur"],
    &["Xinhua"],
    &["TASS", "Tass"],
    &["Interfax"],
    &["Kyodo", "Kyodo News"],
    &["ANSA"],
    &["EFE"],
    &["PA Media", "Press Association"],
    &["UPI", "United Press International"],
];

/// The names an outlet goes by: its known aliases, or just itself.
fn names_of(outlet: &str) -> Vec<String> {
    let o = outlet.trim();
    OUTLETS
        .iter()
        .find(|names| names.iter().any(|n| n.eq_ignore_ascii_case(o)))
        .map(|names| names.iter().map(|n| n.to_string()).collect())
        .unwrap_or_else(|| vec![o.to_string()])
}

const BEFORE: &[&[&str]] = &[
    &["according", "to"],
    &["reported", "by"],
    &["reporting", "by"],
    &["reports", "by"],
    &["source"],
    &["sources"],
    &["via"],
    &["courtesy", "of"],
    &["copyright"],
    &["c"],
];

const AFTER: &[&[&str]] = &[
    &["reported"],
    &["reports"],
    &["contributed"],
    &["reporting"],
    &["news", "agency", "reported"],
    &["news", "reported"],
];

/// Spans in `text` (tokens `tokens`) that credit one of `names` as the
/// origin of the story.
pub fn credits(text: &str, tokens: &[&Token], names: &[String]) -> Vec<Span> {
    let analyzer = unspun_segment::Analyzer::new();
    let mut out = Vec::new();
    for name in names {
        let pat: Vec<String> = analyzer
            .tokens(name, Span::new(0, name.len()))
            .into_iter()
            .map(|t| t.norm)
            .collect();
        if pat.is_empty() || pat.len() > tokens.len() {
            continue;
        }
        for p in 0..=tokens.len() - pat.len() {
            if !tokens[p..p + pat.len()]
                .iter()
                .zip(&pat)
                .all(|(t, n)| &t.norm == n)
            {
                continue;
            }
            let q = p + pat.len();
            let span = Span::new(tokens[p].span.start, tokens[q - 1].span.end);
            // The name must be written as a name: "AP" not "ap".
            if !tokens[p].capitalized {
                continue;
            }
            let norms = |from: usize, len: usize| -> Option<Vec<&str>> {
                tokens
                    .get(from..from + len)
                    .map(|ts| ts.iter().map(|t| t.norm.as_str()).collect())
            };
            let paren = text[..span.start].trim_end().ends_with('(')
                && text[span.end..].trim_start().starts_with(')');
            let before = BEFORE
                .iter()
                .any(|b| p >= b.len() && norms(p - b.len(), b.len()).as_deref() == Some(*b));
            let after = AFTER
                .iter()
                .any(|a| norms(q, a.len()).as_deref() == Some(*a));
            if paren || before || after {
                out.push(span);
            }
        }
    }
    out.sort_by_key(|s| s.start);
    out.dedup();
    out
}

/// Reports whether the derived article credits the outlets its source credits.
pub(crate) fn compare(d: &Doc, s: &Doc, out: &mut Vec<Change>) {
    let st: Vec<&Token> = s.a.all_tokens().collect();
    let dt: Vec<&Token> = d.a.all_tokens().collect();
    // The source's own outlet comes first: readers of the report take the
    // first attribution change for the credit of the source itself
    // (`SourceInfo::own_outlet_credit`), and the ones after it for the
    // outlets the source credits in turn.
    let mut outlets: Vec<(String, Option<Span>)> = Vec::new();
    if let Some(src) =
        s.a.article
            .source
            .as_deref()
            .filter(|x| !x.trim().is_empty())
    {
        let names = names_of(src);
        let first = credits(s.text(), &st, &names).first().copied();
        outlets.push((names[0].clone(), first));
    }
    for names in OUTLETS {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        if outlets.iter().any(|(o, _)| *o == names[0]) {
            continue;
        }
        if let Some(&span) = credits(s.text(), &st, &names).first() {
            outlets.push((names[0].clone(), Some(span)));
        }
    }
    for (outlet, source_span) in outlets {
        let names = names_of(&outlet);
        let own =
            d.a.article
                .source
                .as_deref()
                .is_some_and(|x| names.iter().any(|n| n.eq_ignore_ascii_case(x.trim())));
        let found = credits(d.text(), &dt, &names);
        let mut c = if own || !found.is_empty() {
            let how = if own {
                "the article is published by"
            } else {
                "the article credits"
            };
            let mut c = Change::new(
                ChangeType::AttributionKept,
                Severity::Info,
                format!("{how} {outlet}"),
            );
            if let Some(&sp) = found.first() {
                c = c.derived_span(d.a, sp);
            }
            c
        } else {
            Change::new(
                ChangeType::AttributionMissing,
                Severity::Major,
                format!("the source is credited to {outlet}; the article does not credit {outlet}"),
            )
        };
        if let Some(sp) = source_span {
            c = c.source_span(s.a, sp);
        }
        out.push(c);
    }
}

/// Reports the unaligned source sentences, most important first.
pub(crate) fn omissions(d: &Doc, s: &Doc, alignment: &Alignment, out: &mut Vec<Change>) {
    let quote_spans: Vec<Span> = s.quotes.iter().map(|q| q.span).collect();
    let mut dropped: Vec<(u8, usize, Change)> = Vec::new();
    for (j, sentence) in s.a.sentences.iter().enumerate() {
        if alignment.source_matched.get(j).copied().unwrap_or(false) {
            continue;
        }
        let toks = &s.a.tokens[j];
        let quote = s
            .quotes
            .iter()
            .any(|q| q.words.len() >= 2 && q.sentences.contains(&j));
        let figures = s.numbers[j].iter().any(Quantity::is_figure) || !s.dates[j].is_empty();
        let attribution = toks.iter().any(|t| {
            !inside(&quote_spans, t.span.start)
                && matches!(
                    t.norm.as_str(),
                    "said" | "says" | "told" | "according" | "stated" | "added" | "reported"
                )
        });
        let names = !s.entities[j].is_empty();
        let heading = sentence.kind == unspun_segment::SentenceKind::Heading;
        let mut carries = Vec::new();
        if quote {
            carries.push("a quote");
        }
        if figures {
            carries.push("figures");
        }
        if attribution {
            carries.push("an attribution");
        }
        if names {
            carries.push("names");
        }
        let rank = 8 * u8::from(quote)
            + 4 * u8::from(figures)
            + 2 * u8::from(attribution)
            + u8::from(names);
        // The headline (a heading that opens the article) is rewritten more
        // often than restated, so its loss is only noted; a heading further
        // on (a subheading, a line of a results table) is content, reported
        // at most as minor. Dropped background is minor too: a reader may
        // want to know, but it changes no claim.
        // A fragment of fewer than three words ("more", a stray ".", "Henry
        // 2, 29.") is too short for the aligner to match and says too little
        // to miss: noted only.
        let words = toks.iter().filter(|t| t.kind == TokenKind::Word).count();
        let restated = restated_elsewhere(d, s, j);
        let severity = if (heading && j == 0) || words < 3 || restated {
            Severity::Info
        } else if heading {
            Severity::Minor
        } else if quote || (figures && !figures_elsewhere(d, s, j)) {
            // Its figures are what makes the loss major; when the rewrite
            // gives them all elsewhere, what is lost is the wording.
            Severity::Major
        } else {
            Severity::Minor
        };
        let what = if restated {
            "its names, figures and most of its words are elsewhere in the rewrite".to_string()
        } else if carries.is_empty() {
            "context and background".to_string()
        } else {
            format!("context carrying {}", carries.join(", "))
        };
        dropped.push((
            rank,
            j,
            Change::new(
                ChangeType::SentenceDropped,
                severity,
                format!("source sentence dropped: {what}"),
            )
            .source_span(s.a, sentence.span),
        ));
    }
    dropped.sort_by(|a, b| {
        b.2.severity
            .cmp(&a.2.severity)
            .then(b.0.cmp(&a.0))
            .then(a.1.cmp(&b.1))
    });
    out.extend(dropped.into_iter().map(|x| x.2));
}

/// Whether every figure of source sentence `j` is in the rewrite.
fn figures_elsewhere(d: &Doc, s: &Doc, j: usize) -> bool {
    s.numbers[j].iter().filter(|q| q.is_figure()).all(|q| {
        d.numbers
            .iter()
            .flatten()
            .any(|x| crate::numbers::same_value(x.value, q.value))
    }) && s.dates[j].iter().all(|y| {
        d.dates.iter().flatten().any(|x| {
            x.resolved == y.resolved
                || x.span
                    .text(d.text())
                    .eq_ignore_ascii_case(y.span.text(s.text()))
        })
    })
}

/// Whether source sentence `j`, left unaligned, is restated elsewhere in
/// the rewrite in other words: every name and figure it carries is in the
/// rewrite, and at least four in five of its content words (by stem). The
/// aligner matches sentence to sentence; a sentence spread over two others
/// or reworded past its threshold is still there.
fn restated_elsewhere(d: &Doc, s: &Doc, j: usize) -> bool {
    let content: Vec<&str> = s.a.tokens[j]
        .iter()
        .filter(|t| t.kind == TokenKind::Word && !t.stop)
        .map(|t| t.stem.as_str())
        .collect();
    if content.len() < 2 {
        return false;
    }
    let found = content.iter().filter(|w| d.stems.contains(**w)).count();
    let figures = s.numbers[j].iter().filter(|q| q.is_figure()).all(|q| {
        d.numbers
            .iter()
            .flatten()
            .any(|x| crate::numbers::same_value(x.value, q.value))
    });
    let names = s.entities[j]
        .iter()
        .all(|e| e.tentative || crate::entities::carried(e, d));
    figures && names && found * 5 >= content.len() * 4
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspun_segment::Analyzer;

    fn found<'a>(text: &'a str, outlet: &str) -> Vec<&'a str> {
        let toks = Analyzer::new().tokens(text, Span::new(0, text.len()));
        let refs: Vec<&Token> = toks.iter().collect();
        let names = names_of(outlet);
        credits(text, &refs, &names)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn credits_and_non_credits() {
        assert_eq!(
            found("MOSCOW (Reuters) - Talks went on.", "Reuters"),
            ["Reuters"]
        );
        assert_eq!(
            found("Talks went on, Reuters reported.", "Reuters"),
            ["Reuters"]
        );
        assert_eq!(
            found("Talks went on, according to Reuters.", "Reuters"),
            ["Reuters"]
        );
        assert_eq!(
            found("Additional reporting by Reuters.", "Reuters"),
            ["Reuters"]
        );
        assert_eq!(
            found("Talks went on, the AP reported.", "Associated Press"),
            ["AP"]
        );
        assert!(found(
            "According to texts reviewed by Reuters, the plan...",
            "Reuters"
        )
        .is_empty());
        assert!(found("An official told Reuters the plan was dead.", "Reuters").is_empty());
        assert!(found("Reuters could not verify the report.", "Reuters").is_empty());
    }
}
