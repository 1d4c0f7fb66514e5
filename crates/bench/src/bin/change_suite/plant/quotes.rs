//! Quotes, in the generator's order: the speaker of a quote replaced
//! (`quote_speaker_changed`), a new quoted sentence appended to a paragraph
//! (`quote_added`), and a sentence carrying a quote dropped
//! (`quote_dropped`).

use unspun_changes::ChangeType;

use super::Ctx;
use crate::case::{splice, Case, Side};
use crate::rng::Rng;

/// Quotes planted as new sentences; none of their words are names.
const NEW_QUOTES: &[&str] = &[
    "We are looking very carefully at every option that is open to us,",
    "Nobody expected the decision to come quite this quickly,",
    "This is a serious matter and we intend to deal with it properly,",
    "Frankly it has been a difficult few months for everybody involved,",
];

pub(super) fn plant(cx: &Ctx, rng: &mut Rng, out: &mut Vec<Case>) {
    let (a, text, toks, quotes) = (cx.a, cx.text, &cx.toks, &cx.quotes);
    let in_quote = |p: usize| cx.in_quote(p);
    let name_ok = |t: &unspun_segment::Token| cx.name_ok(t);
    let fresh = |rng: &mut Rng| cx.fresh(rng);
    // The speaker of a quote replaced ("...," said <new> / "...," <new> said).
    let spoken: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = quotes
        .iter()
        .filter(|q| text[q.start..q.end].split_whitespace().count() >= 4)
        .filter_map(|q| {
            let k = toks.iter().position(|t| t.span.start >= q.end)?;
            let at = |i: usize| toks.get(i).copied();
            let (a, b, c) = (at(k)?, at(k + 1)?, at(k + 2)?);
            let run = |x: &unspun_segment::Token,
                       y: &unspun_segment::Token,
                       z: Option<&unspun_segment::Token>| {
                name_ok(x)
                    && name_ok(y)
                    && &text[x.span.end..y.span.start] == " "
                    && z.is_none_or(|z| !z.capitalized)
            };
            let gap = &text[q.end..a.span.start];
            if gap.chars().any(|ch| ch.is_alphanumeric()) {
                return None;
            }
            if a.norm == "said" && run(b, c, at(k + 3)) {
                Some((q.start..q.end, b.span.start..c.span.end))
            } else if run(a, b, None) && c.norm == "said" {
                Some((q.start..q.end, a.span.start..b.span.end))
            } else {
                None
            }
        })
        .collect();
    if let (Some((q, name)), Some(new)) = (rng.pick(&spoken), fresh(rng)) {
        let (txt, r) = splice(text, name.clone(), new);
        let mut c = Case::planted(
            txt,
            ChangeType::QuoteSpeakerChanged,
            Side::Derived,
            q.clone(),
        );
        c.speaker = Some(new);
        for kind in [
            ChangeType::EntityReplaced,
            ChangeType::EntityAdded,
            ChangeType::EntityDropped,
        ] {
            c.also.push((kind, Side::Derived, r.clone()));
            c.also.push((kind, Side::Source, name.clone()));
        }
        out.push(c);
    }
    // A new quoted sentence at the end of a paragraph.
    let para_ends: Vec<usize> = (1..a.sentences.len())
        .filter(|&j| {
            let sp = a.sentences[j].span;
            a.sentences[j].kind == unspun_segment::SentenceKind::Prose
                && a.sentences
                    .get(j + 1)
                    .is_none_or(|n| n.paragraph != a.sentences[j].paragraph)
                && sp.text(text).ends_with('.')
                && !in_quote(sp.end - 1)
        })
        .collect();
    if let Some(&j) = rng.pick(&para_ends) {
        let at = a.sentences[j].span.end;
        let quote = NEW_QUOTES[rng.below(NEW_QUOTES.len())];
        let ins = format!(" \"{quote}\" the spokesman said.");
        let (txt, r) = splice(text, at..at, &ins);
        out.push(Case::planted(
            txt,
            ChangeType::QuoteAdded,
            Side::Derived,
            r.start + 2..r.start + 2 + quote.len(),
        ));
    }
    // A sentence carrying a quote of four or more words dropped: scored as
    // `quote_dropped`; the `sentence_dropped` that comes with it is a
    // consequence, not a false change.
    let quoting: Vec<(usize, std::ops::Range<usize>)> = (1..a.sentences.len())
        .filter_map(|j| {
            let sp = a.sentences[j].span;
            let q = quotes.iter().find(|q| {
                sp.start <= q.start
                    && q.end <= sp.end
                    && text[q.start..q.end].split_whitespace().count() >= 4
            })?;
            // One balanced pair of marks: a mark left open or closed by the
            // cut would re-pair every later quote of the copy.
            let marks = sp
                .text(text)
                .chars()
                .filter(|c| matches!(c, '"' | '“' | '”'))
                .count();
            (marks == 2).then_some((j, q.start..q.end))
        })
        .collect();
    if a.sentences.len() >= 4 {
        if let Some((j, q)) = rng.pick(&quoting) {
            let sp = a.sentences[*j].span;
            let end = a.sentences.get(j + 1).map_or(text.len(), |n| n.span.start);
            let (txt, _) = splice(text, sp.start..end, "");
            let mut c = Case::planted(txt, ChangeType::QuoteDropped, Side::Source, q.clone());
            c.also
                .push((ChangeType::SentenceDropped, Side::Source, sp.range()));
            c.also
                .push((ChangeType::QuoteDropped, Side::Source, sp.range()));
            out.push(c);
        }
    }
}
