//! Direct quotes: where they are, who said them, and whether the rewrite
//! quotes the same words.
//!
//! Quotation marks are curly (“ ”), straight (") or guillemets (« »). A quote
//! may run over several sentences. By news convention a quote that runs over
//! several paragraphs has no closing mark at the end of a paragraph and
//! reopens the next one with an opening mark; a quote left open at a
//! paragraph end that is *not* followed by an opening mark ends there (so one
//! stray mark cannot swallow an article).
//!
//! The speaker is read from the sentence around the quote: a speech verb
//! ("said", "told", "stated", "according to") with a name or a pronoun next
//! to it. A pronoun resolves to the last name mentioned outside quotation
//! marks that is not a place; a quote without a speaker of its own continues
//! the previous quote's speaker when it is in the same or the next paragraph.
//!
//! Quotes of one word are scare quotes ("Russophobia") and are not compared.
//! A derived quote matches the source quote sharing most of its words; its
//! words are then compared case- and punctuation-insensitively: the same
//! words, or a contiguous excerpt of them, is `quote_kept`; anything else is
//! `quote_altered`, a misquote, with a word diff.

use std::collections::HashMap;

use unspun_align::{Alignment, AnalyzedArticle};
use unspun_segment::{Analyzer, Span, Token};

use crate::diff::diff;
use crate::entities::Entity;
use crate::text::{inside, same_name, Doc};
use crate::{Change, ChangeReport, ChangeType, Severity};

/// A direct quote with its speaker.
#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    /// The quoted text, without the quotation marks.
    pub span: Span,
    /// Its words.
    pub words: Vec<Token>,
    /// Who said it, when the text says.
    pub speaker: Option<Speaker>,
    /// The sentences it overlaps.
    pub sentences: Vec<usize>,
    /// Whether the speaker is only carried over from the previous quote
    /// (the quote's own sentences name nobody).
    pub inherited: bool,
}

/// Who said a quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Speaker {
    /// The name as written where it was found (for a pronoun, the name it
    /// stands for).
    pub name: String,
    /// The normalised last word of the name ("ushakov"), compared across articles.
    pub key: String,
    /// Whether the name was read through a pronoun ("he said"): the last
    /// name before it, a guess that can land on the wrong name.
    pub via_pronoun: bool,
}

fn opens(c: char) -> bool {
    matches!(c, '“' | '«' | '„')
}

fn closes(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// The quoted spans of `text` (without marks, trimmed), in order.
pub fn extract(text: &str) -> Vec<Span> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    // (start of the quoted text, opened by a straight mark)
    let mut open: Option<(usize, bool)> = None;
    let mut k = 0;
    while k < chars.len() {
        let (pos, c) = chars[k];
        let after = pos + c.len_utf8();
        match open {
            None => {
                if opens(c) {
                    open = Some((after, false));
                } else if c == '"' {
                    let prev = k.checked_sub(1).map(|p| chars[p].1);
                    if prev.is_none_or(|p| p.is_whitespace() || "([{—–-:".contains(p)) {
                        open = Some((after, true));
                    }
                }
            }
            Some((start, straight)) => {
                // A straight mark after a space and before a word opens a
                // quote: the one before was never closed. BBC copy runs a
                // quote on over a lost paragraph break this way ("... for
                // us. "Even if we did ...").
                let reopens = straight
                    && c == '"'
                    && k.checked_sub(1).is_some_and(|p| chars[p].1.is_whitespace())
                    && chars.get(k + 1).is_some_and(|n| n.1.is_alphanumeric());
                if reopens {
                    push(text, &mut out, start, pos);
                    open = Some((after, true));
                } else if (straight && c == '"') || (!straight && closes(c)) {
                    push(text, &mut out, start, pos);
                    open = None;
                } else if c == '\n' {
                    if let Some(next) = paragraph_break(&chars, k) {
                        let reopen = chars[next].1;
                        if (straight && reopen == '"') || (!straight && opens(reopen)) {
                            // The quote goes on in the next paragraph.
                            k = next + 1;
                            continue;
                        }
                        push(text, &mut out, start, pos);
                        open = None;
                    }
                } else if !straight && opens(c) {
                    // A new opening mark inside an open quote: the previous
                    // one was never closed.
                    push(text, &mut out, start, pos);
                    open = Some((after, false));
                }
            }
        }
        k += 1;
    }
    if let Some((start, _)) = open {
        push(text, &mut out, start, text.len());
    }
    out
}

/// If the newline at `k` ends a paragraph (a blank line follows, or an
/// indented line as in wire copy), the index of the next non-space char.
fn paragraph_break(chars: &[(usize, char)], k: usize) -> Option<usize> {
    let mut j = k + 1;
    let mut blank = false;
    let indented = chars.get(j).is_some_and(|&(_, c)| c == ' ' || c == '\t');
    while j < chars.len() && chars[j].1.is_whitespace() {
        if chars[j].1 == '\n' {
            blank = true;
        }
        j += 1;
    }
    ((blank || indented) && j < chars.len()).then_some(j)
}

fn push(text: &str, out: &mut Vec<Span>, start: usize, end: usize) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if !trimmed.is_empty() {
        out.push(Span::new(start + lead, start + lead + trimmed.len()));
    }
}

const SPEECH_VERBS: &[&str] = &[
    "according",
    "acknowledged",
    "added",
    "adding",
    "adds",
    "admitted",
    "announced",
    "argued",
    "asked",
    "asserted",
    "claimed",
    "commented",
    "continued",
    "declared",
    "explained",
    "indicated",
    "insisted",
    "mentioned",
    "noted",
    "posted",
    "posting",
    "remarked",
    "replied",
    "said",
    "say",
    "saying",
    "says",
    "stated",
    "states",
    "stating",
    "tells",
    "telling",
    "told",
    "tweeted",
    "warned",
    "wrote",
    "writes",
];

const PRONOUNS: &[&str] = &["he", "she", "they"];

/// Attaches speakers to the quotes at `spans`.
pub(crate) fn with_speakers(
    a: &AnalyzedArticle,
    spans: Vec<Span>,
    entities: &[Vec<Entity>],
    analyzer: &Analyzer,
) -> Vec<Quote> {
    let text = &a.article.text;
    // A speech verb is never a speaker: a sentence-initial "According" reads
    // as a capitalised word, not a name.
    let agents: Vec<&Entity> = entities
        .iter()
        .flatten()
        .filter(|e| e.is_agent() && !e.norms.iter().any(|n| SPEECH_VERBS.contains(&n.as_str())))
        .collect();
    let mut out: Vec<Quote> = Vec::with_capacity(spans.len());
    for &span in &spans {
        let sentences = crate::text::sentences_of(a, span);
        let words = analyzer.tokens(text, span);
        let mut speaker = find_speaker(a, &sentences, span, &spans, &agents);
        let inherited = speaker.is_none();
        if speaker.is_none() {
            // A quote on its own continues the previous quote's speaker.
            if let Some(prev) = out.last() {
                let para = |q: &[usize]| q.first().map(|&i| a.sentences[i].paragraph);
                if let (Some(p), Some(c)) = (para(&prev.sentences), para(&sentences)) {
                    if c == p || c == p + 1 {
                        speaker = prev.speaker.clone();
                    }
                }
            }
        }
        out.push(Quote {
            span,
            words,
            speaker,
            sentences,
            inherited,
        });
    }
    out
}

fn find_speaker(
    a: &AnalyzedArticle,
    sentences: &[usize],
    quote: Span,
    all_quotes: &[Span],
    agents: &[&Entity],
) -> Option<Speaker> {
    let text = &a.article.text;
    // The words of the quote's sentences outside any quotation.
    let outside: Vec<&Token> = sentences
        .iter()
        .flat_map(|&i| a.tokens[i].iter())
        .filter(|t| !inside(all_quotes, t.span.start))
        .collect();
    let is_verb = |t: &&Token| SPEECH_VERBS.contains(&t.norm.as_str());
    // A verb after the quote ("...,” he said) wins over one before it.
    let v = outside
        .iter()
        .position(|t| t.span.start >= quote.end && is_verb(t))
        .or_else(|| {
            outside
                .iter()
                .rposition(|t| t.span.end <= quote.start && is_verb(t))
        })?;
    let agent_at = |t: &Token| {
        agents
            .iter()
            .find(|e| e.span.start <= t.span.start && t.span.end <= e.span.end)
            .copied()
    };
    let speaker_of = |e: &Entity| Speaker {
        name: e.span.text(text).to_string(),
        key: e.norms.last().cloned().unwrap_or_default(),
        via_pronoun: false,
    };
    let resolve = |t: &Token| {
        // The last name before the pronoun, outside quotation marks.
        agents
            .iter()
            .rev()
            .find(|e| e.span.end <= t.span.start && !inside(all_quotes, e.span.start))
            .map(|e| Speaker {
                via_pronoun: true,
                ..speaker_of(e)
            })
    };
    let verb = outside[v];
    if verb.norm == "according" {
        return outside[v + 1..]
            .iter()
            .take(5)
            .find_map(|t| agent_at(t))
            .map(speaker_of);
    }
    // "Trump said", "he told reporters": the nearest name or pronoun before.
    for t in outside[..v].iter().rev().take(4) {
        if let Some(e) = agent_at(t) {
            return Some(speaker_of(e));
        }
        if PRONOUNS.contains(&t.norm.as_str()) {
            return resolve(t);
        }
    }
    // "said Yuri Ushakov, a Kremlin aide": the nearest name after.
    for t in outside[v + 1..].iter().take(5) {
        if let Some(e) = agent_at(t) {
            return Some(speaker_of(e));
        }
        if PRONOUNS.contains(&t.norm.as_str()) {
            return resolve(t);
        }
    }
    // "... posted a message that read: ..." : the sentence's first person.
    outside.iter().find_map(|t| agent_at(t)).map(speaker_of)
}

/// Quotes of at least two words: one quoted word is a scare quote.
fn comparable(q: &Quote) -> bool {
    q.words.len() >= 2
}

/// Word overlap of two quotes: Dice over the multisets of norms, and the
/// share of the shorter quote found in the longer.
fn overlap(a: &Quote, b: &Quote) -> (f32, f32) {
    let mut counts: HashMap<&str, i32> = HashMap::new();
    for t in &a.words {
        *counts.entry(t.norm.as_str()).or_insert(0) += 1;
    }
    let mut shared = 0;
    for t in &b.words {
        if let Some(c) = counts.get_mut(t.norm.as_str()) {
            if *c > 0 {
                *c -= 1;
                shared += 1;
            }
        }
    }
    let (n, m) = (a.words.len() as f32, b.words.len() as f32);
    (2.0 * shared as f32 / (n + m), shared as f32 / n.min(m))
}

/// Whether `needle` is a contiguous run of `hay` (by norms).
fn excerpt(needle: &[Token], hay: &[Token]) -> bool {
    needle.is_empty()
        || hay
            .windows(needle.len())
            .any(|w| w.iter().zip(needle).all(|(x, y)| x.norm == y.norm))
}

/// Matches the quotes of `d` to those of `s` and reports them.
pub(crate) fn compare(d: &Doc, s: &Doc, alignment: &Alignment, report: &mut ChangeReport) {
    let group_of_d = group_index(alignment, true, d.a.sentences.len());
    let group_of_s = group_index(alignment, false, s.a.sentences.len());
    let dq: Vec<usize> = (0..d.quotes.len())
        .filter(|&i| comparable(&d.quotes[i]))
        .collect();
    let sq: Vec<usize> = (0..s.quotes.len())
        .filter(|&j| comparable(&s.quotes[j]))
        .collect();
    let aligned_together = |qd: &Quote, qs: &Quote| {
        qd.sentences.iter().any(|&i| {
            group_of_d[i].is_some() && qs.sentences.iter().any(|&j| group_of_s[j] == group_of_d[i])
        })
    };
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for &i in &dq {
        for &j in &sq {
            let (qd, qs) = (&d.quotes[i], &s.quotes[j]);
            let (dice, contained) = overlap(qd, qs);
            let bonus = if aligned_together(qd, qs) { 0.15 } else { 0.0 };
            let score = dice + bonus;
            let excerpt_like = contained >= 0.8 && qd.words.len().min(qs.words.len()) >= 3;
            if score >= 0.5 || excerpt_like {
                pairs.push((score.max(if excerpt_like { 0.5 } else { 0.0 }), i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut d_match: Vec<Option<usize>> = vec![None; d.quotes.len()];
    let mut s_used = vec![false; s.quotes.len()];
    for &(_, i, j) in &pairs {
        if d_match[i].is_none() && !s_used[j] {
            d_match[i] = Some(j);
            s_used[j] = true;
        }
    }
    // Two excerpts of one source quote: the second matches it too.
    for &(_, i, j) in &pairs {
        if d_match[i].is_none() {
            let (_, contained) = overlap(&d.quotes[i], &s.quotes[j]);
            if contained >= 0.8 {
                d_match[i] = Some(j);
            }
        }
    }
    // Quotes merged, split or interrupted ("..., he added, ...") are kept
    // quotes when their words run in the other side's quotes: a misquote
    // needs different words inside the quotation marks.
    let s_quotes: Vec<&Quote> = sq.iter().map(|&j| &s.quotes[j]).collect();
    let d_quotes: Vec<&Quote> = dq.iter().map(|&i| &d.quotes[i]).collect();
    for &i in &dq {
        let qd = &d.quotes[i];
        let target = qd
            .sentences
            .first()
            .and_then(|&k| group_of_d[k])
            .filter(|&g| g < report.per_group.len());
        let covered_by = covering(&qd.words, &s_quotes);
        let Some(j) = d_match[i].or(covered_by.map(|k| sq[k])) else {
            let severity = if target.is_some() {
                Severity::Major
            } else {
                Severity::Minor
            };
            let why = if target.is_some() {
                "words in quotation marks that the source does not quote"
            } else {
                "a quote the source does not have"
            };
            report.article.push(
                Change::new(
                    ChangeType::QuoteAdded,
                    severity,
                    format!("{why}: “{}”", qd.span.text(d.text())),
                )
                .derived_span(d.a, qd.span),
            );
            continue;
        };
        let qs = &s.quotes[j];
        let same = qd.words.len() == qs.words.len()
            && qd
                .words
                .iter()
                .zip(&qs.words)
                .all(|(x, y)| x.norm == y.norm);
        let mut changes = Vec::new();
        if same || excerpt(&qd.words, &qs.words) || covered_by.is_some() {
            let what = if same {
                "quote kept"
            } else if excerpt(&qd.words, &qs.words) {
                "quote kept (an excerpt)"
            } else {
                "quote kept (merged or split)"
            };
            changes.push(
                Change::new(
                    ChangeType::QuoteKept,
                    Severity::Info,
                    format!("{what}: “{}”", qd.span.text(d.text())),
                )
                .derived_span(d.a, qd.span)
                .source_span(s.a, qs.span),
            );
        } else if let Some(respelled) = respelled(&diff(s.text(), &qs.words, d.text(), &qd.words)) {
            // House style may respell a quotation (issue 15): kept.
            changes.push(
                Change::new(
                    ChangeType::QuoteKept,
                    Severity::Info,
                    format!(
                        "quote kept (respelled: {}): “{}”",
                        respelled.join("; "),
                        qd.span.text(d.text())
                    ),
                )
                .derived_span(d.a, qd.span)
                .source_span(s.a, qs.span),
            );
        } else {
            let ops = diff(s.text(), &qs.words, d.text(), &qd.words);
            let mut edits = Vec::new();
            let mut last_delete: Option<String> = None;
            for op in &ops {
                match op {
                    crate::DiffOp::Delete { text } => last_delete = Some(text.clone()),
                    crate::DiffOp::Insert { text } => match last_delete.take() {
                        Some(del) => edits.push(format!("“{del}” → “{text}”")),
                        None => edits.push(format!("added “{text}”")),
                    },
                    crate::DiffOp::Equal { .. } => {
                        if let Some(del) = last_delete.take() {
                            edits.push(format!("removed “{del}”"));
                        }
                    }
                }
            }
            if let Some(del) = last_delete {
                edits.push(format!("removed “{del}”"));
            }
            let mut c = Change::new(
                ChangeType::QuoteAltered,
                Severity::Major,
                format!("misquote: {}", edits.join("; ")),
            )
            .derived_span(d.a, qd.span)
            .source_span(s.a, qs.span);
            c.diff = Some(ops);
            changes.push(c);
        }
        if let (Some(sd), Some(ss)) = (&qd.speaker, &qs.speaker) {
            // Only a speaker the source does not name within three sentences
            // of its quote is a
            // different speaker: reading a speaker off a sentence can go
            // wrong in both texts alike, but not introduce a new name.
            let near = |doc: &Doc, sentences: &[usize], key: &str| {
                let first = sentences.first().copied().unwrap_or(0);
                let last = sentences.last().copied().unwrap_or(0);
                (first.saturating_sub(3)..=last + 3)
                    .filter(|&i| i < doc.entities.len())
                    .flat_map(|i| &doc.entities[i])
                    .any(|e| e.norms.iter().any(|n| same_name(n, key)))
            };
            // A speaker the rewrite only carries over from its previous
            // quote is a reading, not a statement: dropping the sentence
            // between two quotes changes what the second continues, not who
            // the text says spoke it.
            // A source speaker read through a pronoun is a guess: then only
            // a speaker the source names nowhere is another speaker.
            let named_in_source = || {
                s.entities
                    .iter()
                    .flatten()
                    .any(|e| e.norms.iter().any(|n| same_name(n, &sd.key)))
            };
            let same_speaker = qd.inherited
                || same_name(&sd.key, &ss.key)
                || near(s, &qs.sentences, &sd.key)
                || (ss.via_pronoun && named_in_source());
            if !same_speaker {
                changes.push(
                    Change::new(
                        ChangeType::QuoteSpeakerChanged,
                        Severity::Major,
                        format!("quote attributed to {} instead of {}", sd.name, ss.name),
                    )
                    .derived_span(d.a, qd.span)
                    .source_span(s.a, qs.span),
                );
            }
        }
        match target {
            Some(g) => report.per_group[g].extend(changes),
            None => report.article.extend(changes),
        }
    }
    for &j in &sq {
        if !s_used[j]
            && !d_match.contains(&Some(j))
            && covering(&s.quotes[j].words, &d_quotes).is_none()
        {
            let qs = &s.quotes[j];
            let who = qs
                .speaker
                .as_ref()
                .map(|sp| format!(" ({})", sp.name))
                .unwrap_or_default();
            report.article.push(
                Change::new(
                    ChangeType::QuoteDropped,
                    Severity::Minor,
                    format!("quote not reused{who}: “{}”", qs.span.text(s.text())),
                )
                .source_span(s.a, qs.span),
            );
        }
    }
}

/// Whether `words` run, in pieces of at least three words (or the whole
/// rest), through the quotes `others`: a quote merged from two, split in
/// two, or cut by "he added". Returns the index of the quote holding its
/// first piece.
fn covering(words: &[Token], others: &[&Quote]) -> Option<usize> {
    const PIECE: usize = 3;
    if words.len() < 2 {
        return None;
    }
    let mut first = None;
    let mut p = 0;
    while p < words.len() {
        // The longest run from `p` found in one of the other quotes.
        let mut best = (0, 0);
        for (k, q) in others.iter().enumerate() {
            for start in 0..q.words.len() {
                let n = words[p..]
                    .iter()
                    .zip(&q.words[start..])
                    .take_while(|(x, y)| x.norm == y.norm)
                    .count();
                if n > best.0 {
                    best = (n, k);
                }
            }
        }
        if best.0 < PIECE.min(words.len() - p) {
            return None;
        }
        first.get_or_insert(best.1);
        p += best.0;
    }
    first
}

/// For each sentence of one side, the aligned group it is in.
fn group_index(alignment: &Alignment, derived: bool, n: usize) -> Vec<Option<usize>> {
    let mut out = vec![None; n];
    for (g, group) in alignment.groups.iter().enumerate() {
        let idx = if derived {
            &group.derived
        } else {
            &group.source
        };
        for &i in idx {
            if i < n {
                out[i] = Some(g);
            }
        }
    }
    out
}

/// The respellings of a quote diff whose every edit is one word written in
/// the other side's US / UK spelling ("“program” → “programme”"), or `None`
/// when any edit changes a word.
fn respelled(ops: &[crate::DiffOp]) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut pending: Option<&str> = None;
    for op in ops {
        match op {
            crate::DiffOp::Equal { .. } if pending.is_none() => {}
            crate::DiffOp::Delete { text } if pending.is_none() && !text.contains(' ') => {
                pending = Some(text)
            }
            crate::DiffOp::Insert { text } if !text.contains(' ') => {
                let del = pending.take()?;
                if !crate::spelling::variants(del, text) {
                    return None;
                }
                out.push(format!("“{del}” → “{text}”"));
            }
            _ => return None,
        }
    }
    (pending.is_none() && !out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        extract(text).into_iter().map(|s| s.text(text)).collect()
    }

    #[test]
    fn a_quote_respelled_in_house_style_is_kept() {
        // Issue 15: "program" → "programme" inside a quotation.
        use unspun_align::Aligner;
        let s = crate::tests::analyzed(
            "s",
            "\"The program will be expanded to every school next year,\" the minister said.",
            Some("2025-04-26"),
        );
        let d = crate::tests::analyzed(
            "d",
            "\"The programme will be expanded to every school next year,\" the minister said.",
            Some("2025-04-26"),
        );
        let al = Aligner::new().align(&d, &s);
        let r = crate::ChangeDetector::builder()
            .wordnet(None)
            .build()
            .detect(&d, &s, &al);
        let quotes: Vec<&Change> = r
            .all()
            .filter(|c| c.kind.as_str().starts_with("quote"))
            .collect();
        assert_eq!(quotes.len(), 1, "{quotes:#?}");
        assert_eq!(quotes[0].kind, ChangeType::QuoteKept);
        assert_eq!(quotes[0].severity, Severity::Info);
        assert!(quotes[0].detail.contains("“program” → “programme”"));
        // A word changed is still a misquote.
        let d = crate::tests::analyzed(
            "d",
            "\"The programme will be cut in every school next year,\" the minister said.",
            Some("2025-04-26"),
        );
        let al = Aligner::new().align(&d, &s);
        let r = crate::ChangeDetector::new().detect(&d, &s, &al);
        assert!(r.all().any(|c| c.kind == ChangeType::QuoteAltered));
    }

    #[test]
    fn curly_straight_and_paragraph_spanning_quotes() {
        assert_eq!(
            texts(
                "“Most of the major points are agreed to,” Trump said. “Stop the bloodshed, NOW.”"
            ),
            [
                "Most of the major points are agreed to,",
                "Stop the bloodshed, NOW."
            ]
        );
        assert_eq!(texts("He said \"we won\" and left."), ["we won"]);
        assert_eq!(texts("It's 5\" long, he said \"no.\""), ["no."]);
        let para = "“We will rebuild.\n\n“It will take years,” she said.";
        assert_eq!(texts(para), ["We will rebuild.\n\n“It will take years,"]);
        // An unclosed quote stops at the end of its paragraph.
        assert_eq!(
            texts("“We will rebuild.\n\nOfficials disagreed, citing “costs”."),
            ["We will rebuild.", "costs"]
        );
        // Reuters-21578 paragraphs are indented lines.
        assert_eq!(
            texts("    \"Rates will rise\n    \"soon,\" he said."),
            ["Rates will rise\n    \"soon,"]
        );
        assert_eq!(texts("unclosed “at the end"), ["at the end"]);
        assert!(texts("” stray ” closers").is_empty());
    }

    #[test]
    fn speakers_with_pronouns_and_continuations() {
        let text = "Kremlin foreign policy aide Yuri Ushakov, who took part in Friday’s meeting, \
                    described it as useful.\n\n“This conversation allowed Russia and the United States \
                    to bring their positions closer,” he told reporters.\n\n“As for the crisis itself, \
                    the discussion focused on talks.”\n\n“Stop the bloodshed,” said Donald Trump. \
                    According to Mr. Witkoff, “the talks went well.”";
        let a = crate::tests::analyzed("t", text, None);
        let g = crate::Gazetteer::builtin();
        let an = Analyzer::new();
        let d = Doc::new(&a, &g, &an);
        let who: Vec<Option<&str>> = d
            .quotes
            .iter()
            .map(|q| q.speaker.as_ref().map(|s| s.key.as_str()))
            .collect();
        assert_eq!(
            who,
            [
                Some("ushakov"),
                Some("ushakov"),
                Some("trump"),
                Some("witkoff")
            ]
        );
    }
}
