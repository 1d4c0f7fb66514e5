//! Running the detector on one case (or one real rewording) and judging
//! what it reports: the planted change, a consequence of the edit (neither
//! counted nor false), or a false change.

use chrono::NaiveDate;
use unspun_align::{Aligner, AnalyzedArticle};
use unspun_article::{Article, ArticleId};
use unspun_changes::{ChangeDetector, ChangeType, Severity};
use unspun_segment::{Analyzer, Segmenter};

use crate::case::{window, Case, Expect, Side};

/// A case's expectation and the changes reported (type, matches the plant, text).
pub type Outcome = (Expect, Vec<(ChangeType, bool, String)>);

/// Whether the change's evidence on `side` overlaps `r`.
fn overlaps(c: &unspun_changes::Change, side: Side, r: &std::ops::Range<usize>) -> bool {
    let on = |t: &Option<unspun_changes::TextSpan>| {
        t.as_ref()
            .is_some_and(|t| t.start < r.end.max(r.start + 1) && r.start < t.end.max(t.start + 1))
    };
    match side {
        Side::Derived => on(&c.derived),
        Side::Source => on(&c.source),
        Side::Any => true,
    }
}

/// The copy of `case` (dated as its source, credited when the case keeps
/// credit) traced against its source `s`, and what was reported.
pub fn run_case(
    case: &Case,
    s: &AnalyzedArticle,
    det: &ChangeDetector,
    aligner: &Aligner,
) -> Outcome {
    let mut copy = Article::new(
        ArticleId::new(format!("{}-copy", s.article.id)).unwrap(),
        case.text.clone(),
    );
    copy.date = s.article.date;
    copy.source = if case.keep_credit {
        s.article.source.clone()
    } else {
        None
    };
    let d = AnalyzedArticle::new(copy, &Segmenter::new(), &Analyzer::new());
    let al = aligner.align(&d, s);
    let report = det.detect(&d, s, &al);
    let mut hit = false;
    let mut seen = Vec::new();
    for c in report.all() {
        if c.severity == Severity::Info {
            continue;
        }
        // What a dropped sentence carried (its quote) goes with it.
        let inside_dropped = matches!(&case.expect, Expect::Change(ChangeType::SentenceDropped, _, r)
            if c.derived.is_none() && c.source.as_ref().is_some_and(|t| r.start <= t.start && t.end <= r.end));
        if inside_dropped && c.kind != ChangeType::SentenceDropped {
            continue;
        }
        let ok = match &case.expect {
            Expect::Change(kind, side, r) if !hit && c.kind == *kind => overlaps(c, *side, r),
            _ => false,
        };
        let consequence = case
            .also
            .iter()
            .any(|(kind, side, r)| c.kind == *kind && overlaps(c, *side, r))
            || case.speaker.is_some_and(|n| {
                c.kind == ChangeType::QuoteSpeakerChanged
                    && c.detail.starts_with(&format!("quote attributed to {n} "))
            });
        if !ok && consequence {
            continue;
        }
        hit |= ok;
        seen.push((
            c.kind,
            ok,
            format!(
                "{} | {:?} <- {:?}",
                c.detail,
                c.derived.as_ref().map(|x| &x.text),
                c.source.as_ref().map(|x| &x.text)
            ),
        ));
    }
    if std::env::var_os("SUITE_VERBOSE").is_some() && !hit {
        if let Expect::Change(kind, side, r) = &case.expect {
            let t = match side {
                Side::Source => window(&s.article.text, r.start, r.end),
                _ => window(&case.text, r.start, r.end),
            };
            let all: Vec<String> = report
                .all()
                .map(|c| format!("{}/{:?}: {}", c.kind, c.severity, c.detail))
                .collect();
            let src = window(&s.article.text, r.start.saturating_sub(80), r.start + 80);
            eprintln!(
                "MISSED {kind} at {t:?} in {} (source around it: {src:?}); all reported: {all:?}",
                s.article.id
            );
        }
    }
    (case.expect.clone(), seen)
}

/// A plain article for a real rewording pair, both sides dated alike.
fn plain(id: &str, text: &str, seg: &Segmenter, an: &Analyzer) -> AnalyzedArticle {
    let mut a = Article::new(ArticleId::new(id).unwrap(), text);
    a.date = NaiveDate::from_ymd_opt(2023, 1, 10);
    AnalyzedArticle::new(a, seg, an)
}

/// The non-`info` change types reported on a real rewording (`source` →
/// `copy`), labelled `why`.
pub fn run_rewording(
    why: &'static str,
    source: &str,
    copy: &str,
    seg: &Segmenter,
    an: &Analyzer,
    det: &ChangeDetector,
    aligner: &Aligner,
) -> (&'static str, Vec<ChangeType>) {
    let s = plain("reworded-source", source, seg, an);
    let d = plain("reworded-copy", copy, seg, an);
    let al = aligner.align(&d, &s);
    let report = det.detect(&d, &s, &al);
    if std::env::var_os("SUITE_VERBOSE").is_some() {
        for c in report.all().filter(|c| c.severity != Severity::Info) {
            eprintln!("REWORDING {why} {}: {}", c.kind, c.detail);
        }
    }
    let kinds = report
        .all()
        .filter(|c| c.severity != Severity::Info)
        .map(|c| c.kind)
        .collect();
    (why, kinds)
}
