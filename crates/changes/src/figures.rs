//! Figures and names accounted over the whole article: what the rewrite
//! states that the source gives nowhere.
//!
//! The per-group detectors compare a figure with the figures of its aligned
//! source sentences; a figure with no counterpart there (a year changed in
//! a sentence whose other figures match, a new figure in a reworded
//! sentence) is not reported by them. Here a figure of the rewrite is a
//! change only when the *whole* source has no figure of that value in any
//! form ("1.2 million" / "1,200,000", a scale word read apart), and no
//! per-group change already covers it. In a restated sentence it is
//! `number_added`; in a new sentence set inside this source's material it
//! is a `claim_added`. So is a month or year the source names nowhere, in
//! either kind of sentence ("The survey was conducted online in
//! November.", "plans to close a refinery next year"). A new name alone is not: captions and credits
//! ("Handout") name people and agencies the story never did.
//!
//! Figures are written with digits only: a rewrite says "two clubs" where
//! the source said "both", and that is no new fact.

use unspun_align::Alignment;
use unspun_segment::Span;

use crate::numbers::{same_value, scale_apart};
use crate::text::{inside, Doc};
use crate::{Change, ChangeReport, ChangeType, Severity};

/// Reports the rewrite's figures the source gives nowhere.
pub(crate) fn compare(d: &Doc, s: &Doc, alignment: &Alignment, report: &mut ChangeReport) {
    let mut group_of: Vec<Option<usize>> = vec![None; d.a.sentences.len()];
    for (g, group) in alignment.groups.iter().enumerate() {
        for &i in &group.derived {
            if i < group_of.len() {
                group_of[i] = Some(g);
            }
        }
    }
    let covered: Vec<Span> = report
        .all()
        .filter_map(|c| c.derived.as_ref().map(|t| Span::new(t.start, t.end)))
        .collect();
    let quotes: Vec<Span> = d.quotes.iter().map(|q| q.span).collect();
    // A new sentence is a claim added to this source's material only when
    // it sits inside that material: in a paragraph with a sentence aligned
    // to this source, or between two such sentences. A block of new
    // sentences (a section of the writer's own, the part of a blend taken
    // from another source, captions) is material of its own, not a claim
    // slipped into this source's.
    let sentences = &d.a.sentences;
    let embedded = |i: usize| {
        let para = sentences[i].paragraph;
        (0..sentences.len())
            .any(|k| k != i && group_of[k].is_some() && sentences[k].paragraph == para)
            || (i > 0
                && i + 1 < sentences.len()
                && group_of[i - 1].is_some()
                && group_of[i + 1].is_some())
    };
    let s_all: Vec<_> = s.numbers.iter().flatten().collect();
    let mut new_in_group: Vec<(usize, Change)> = Vec::new();
    let mut new_claims: Vec<Change> = Vec::new();
    for (i, qs) in d.numbers.iter().enumerate() {
        // One claim per sentence: its first new figure.
        let mut claimed = false;
        for q in qs {
            let text = q.span.text(d.text());
            if !text.chars().any(|c| c.is_ascii_digit())
                || !q.is_figure()
                // Quoted words are the quote detector's.
                || inside(&quotes, q.span.start)
                || covered
                    .iter()
                    .any(|c| c.start < q.span.end && q.span.start < c.end)
                || s_all
                    .iter()
                    .any(|y| same_value(q.value, y.value) || scale_apart(q, d, y, s))
            {
                continue;
            }
            match group_of[i] {
                Some(g) => {
                    let ss = &alignment.groups[g].source;
                    new_in_group.push((
                        g,
                        Change::new(
                            ChangeType::NumberAdded,
                            Severity::Major,
                            format!("\"{text}\": the source gives this figure nowhere"),
                        )
                        .derived_span(d.a, q.span)
                        .with_source_sentences(ss),
                    ));
                }
                None if !claimed && embedded(i) => {
                    claimed = true;
                    new_claims.push(
                        Change::new(
                            ChangeType::ClaimAdded,
                            Severity::Major,
                            format!(
                                "a sentence the source does not have states \"{text}\", a figure the source gives nowhere"
                            ),
                        )
                        .derived_span(d.a, q.span),
                    );
                }
                None => {}
            }
        }
    }
    // A time the source never names (a month or a year, nor any day of
    // it, nor the source's own date), in a restated sentence or in a new
    // one inside the source's material: "The survey was conducted online
    // in November.", "plans to close one of its refineries next year".
    // Days are left out: a weekday or "today" resolves against each
    // article's own date, and a rewrite dated later reads them as other
    // days.
    let s_dates: Vec<crate::dates::Resolved> = s
        .dates
        .iter()
        .flatten()
        .map(|x| x.resolved)
        .chain(s.a.article.date.map(crate::dates::Resolved::Day))
        .collect();
    let in_sentence = |i: usize, c: &Change| {
        c.derived
            .as_ref()
            .is_some_and(|t| span_in(sentences[i].span, t))
    };
    for (i, xs) in d.dates.iter().enumerate() {
        if (group_of[i].is_none() && !embedded(i))
            || new_claims.iter().any(|c| in_sentence(i, c))
            || new_in_group.iter().any(|(_, c)| in_sentence(i, c))
        {
            continue;
        }
        let new = xs.iter().find(|x| {
            matches!(
                x.resolved,
                crate::dates::Resolved::Month(..) | crate::dates::Resolved::Year(_)
            ) && !inside(&quotes, x.span.start)
                && !covered
                    .iter()
                    .any(|c| c.start < x.span.end && x.span.start < c.end)
                && !s_dates.iter().any(|y| x.resolved.overlaps(*y))
        });
        let Some(x) = new else { continue };
        let text = x.span.text(d.text());
        match group_of[i] {
            Some(g) => new_in_group.push((
                g,
                Change::new(
                    ChangeType::ClaimAdded,
                    Severity::Major,
                    format!("\"{text}\": the source names this time nowhere"),
                )
                .derived_span(d.a, x.span)
                .with_source_sentences(&alignment.groups[g].source),
            )),
            None => new_claims.push(
                Change::new(
                    ChangeType::ClaimAdded,
                    Severity::Major,
                    format!(
                        "a sentence the source does not have dates something to \"{text}\", a time the source names nowhere"
                    ),
                )
                .derived_span(d.a, x.span),
            ),
        }
    }
    for (g, c) in new_in_group {
        report.per_group[g].push(c);
    }
    report.article.extend(new_claims);
}

/// Whether `t` lies within sentence span `sentence`.
fn span_in(sentence: Span, t: &crate::TextSpan) -> bool {
    sentence.start <= t.start && t.end <= sentence.end
}
