//! Comparing the quantities of aligned sentences: the same number however
//! written, a hedged rounding, or a changed number (see the parent module).

use unspun_segment::Span;

use super::{Hedge, Quantity, Unit, TIME_UNITS};
use crate::text::Doc;
use crate::{Change, ChangeType, Severity};

/// The unit of time a quantity counts, if it counts one.
fn time_unit(q: &Quantity) -> Option<&str> {
    q.noun.as_deref().filter(|n| TIME_UNITS.contains(n))
}

/// The same figure counting another unit of time ("30 days" / "30
/// years"): a `number_changed` spanning each figure and the word after it.
fn another_unit_of_time(x: &Quantity, d: &Doc, y: &Quantity, s: &Doc) -> Option<Change> {
    if time_unit(x)? == time_unit(y)? {
        return None;
    }
    let with_unit = |q: &Quantity, doc: &Doc| {
        let rest = &doc.text()[q.span.end..];
        let lead = rest.len() - rest.trim_start().len();
        let word = rest[lead..]
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len() - lead);
        Span::new(q.span.start, q.span.end + lead + word)
    };
    let (xs, ys) = (with_unit(x, d), with_unit(y, s));
    Some(
        Change::new(
            ChangeType::NumberChanged,
            Severity::Major,
            format!(
                "number changed: \"{}\" became \"{}\" (another unit of time)",
                ys.text(s.text()),
                xs.text(d.text())
            ),
        )
        .derived_span(d.a, xs)
        .source_span(s.a, ys),
    )
}

/// Whether two values of one unit are the same number: equal to 0.5 %
/// ([`same_value`]) and, where both are figures, one the other rounded to
/// its written step ([`Quantity::precision`]).
fn same_quantity(x: &Quantity, y: &Quantity) -> bool {
    let step = x.precision.max(y.precision);
    x.vague == y.vague
        && same_value(x.value, y.value)
        && (!step.is_finite() || (x.value - y.value).abs() <= step / 2.0 * (1.0 + 1e-9))
}

/// Whether two figures differ only by a scale word the smaller one's text
/// has a word or two later ("1.2 Canadian billion dlrs" / "1.2 billion
/// Canadian dollars"): the same figure, its scale read apart.
pub(crate) fn scale_apart(x: &Quantity, xd: &Doc, y: &Quantity, yd: &Doc) -> bool {
    let (small, doc, big) = if x.value < y.value {
        (x, xd, y)
    } else {
        (y, yd, x)
    };
    if small.value <= 0.0 {
        return false;
    }
    let ratio = big.value / small.value;
    let words: &[&str] = if same_value(ratio, 1e3) {
        &["thousand"]
    } else if same_value(ratio, 1e6) {
        &["million", "mln"]
    } else if same_value(ratio, 1e9) {
        &["billion", "bln"]
    } else {
        return false;
    };
    doc.text()[small.span.end..]
        .split_whitespace()
        .take(3)
        .any(|w| {
            words.contains(
                &w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
                    .as_str(),
            )
        })
}

pub(crate) fn same_value(a: f64, b: f64) -> bool {
    // Whole numbers below 100,000 (counts, years, prices in whole units)
    // are the same only when equal: half a percent of 1985 is ten years.
    if a.fract() == 0.0 && b.fract() == 0.0 && a.abs() < 1e5 && b.abs() < 1e5 {
        return a == b;
    }
    (a - b).abs() <= 0.005 * a.abs().max(b.abs()).max(1e-9)
}

/// Compares the quantities of derived sentences `ds` and source sentences `ss`.
pub(crate) fn compare(d: &Doc, ds: &[usize], s: &Doc, ss: &[usize], out: &mut Vec<Change>) {
    let dq: Vec<&Quantity> = ds.iter().flat_map(|&i| &d.numbers[i]).collect();
    let sq: Vec<&Quantity> = ss.iter().flat_map(|&j| &s.numbers[j]).collect();
    let mut d_used = vec![false; dq.len()];
    let mut s_used = vec![false; sq.len()];
    let show = |q: &Quantity, doc: &Doc| q.span.text(doc.text()).to_string();
    let hedge_name = |h: Option<Hedge>| h.map_or("no hedge", Hedge::as_str);
    // A hedge is changed only when the rewrite carries the figure with the
    // source's hedge fewer times than the source does ("about $25 a
    // barrel" in the lead, "$25" later, for the source's one "about 25
    // dlrs"), and the hedge's own word is not beside it ("was estimated
    // at").
    let count = |doc: &Doc, q: &Quantity, h: Option<Hedge>| {
        doc.numbers
            .iter()
            .flatten()
            .filter(|o| o.hedge == h && o.unit.compatible(&q.unit) && same_value(o.value, q.value))
            .count()
    };
    let estimated = |doc: &Doc, idx: &[usize]| doc.tokens_of(idx).any(|t| t.stem == "estim");
    let report_hedge = |x: &Quantity, y: &Quantity, out: &mut Vec<Change>| {
        // The source's hedge on this figure survives as often as the
        // source gives it: this mention moved it, the rewrite kept it.
        let explained = count(d, x, y.hedge) >= count(s, y, y.hedge)
            || (x.hedge == Some(Hedge::About) && y.hedge.is_none() && estimated(s, ss))
            || (y.hedge == Some(Hedge::About) && x.hedge.is_none() && estimated(d, ds));
        if x.hedge != y.hedge && !explained {
            let severity = if x.hedge.is_some() && y.hedge.is_some() {
                Severity::Major
            } else {
                Severity::Minor
            };
            out.push(
                Change::new(
                    ChangeType::HedgeChanged,
                    severity,
                    format!(
                        "hedge changed: \"{}\" ({}) became \"{}\" ({})",
                        show(y, s),
                        hedge_name(y.hedge),
                        show(x, d),
                        hedge_name(x.hedge)
                    ),
                )
                .derived_span(d.a, x.span)
                .source_span(s.a, y.span),
            );
        }
    };
    // 1. The same value: the same number, however written. Prefer the one
    // counting the same thing.
    for (i, x) in dq.iter().enumerate() {
        let cands = sq.iter().enumerate().filter(|(j, y)| {
            !s_used[*j]
                && y.unit.compatible(&x.unit)
                && (same_quantity(x, y) || (!x.vague && !y.vague && scale_apart(x, d, y, s)))
        });
        if let Some((j, y)) = cands.min_by_key(|(j, y)| (y.noun != x.noun, *j)) {
            d_used[i] = true;
            s_used[j] = true;
            report_hedge(x, y, out);
            out.extend(another_unit_of_time(x, d, y, s));
        }
    }
    // 2. A hedged approximation of a left-over source figure (within 10 %).
    for (i, x) in dq.iter().enumerate() {
        if d_used[i] || x.hedge.is_none() || x.vague {
            continue;
        }
        let cands = sq.iter().enumerate().filter(|(j, y)| {
            !s_used[*j]
                && y.unit.compatible(&x.unit)
                && !y.vague
                && (x.value - y.value).abs() <= 0.1 * y.value.abs()
                && (x.noun == y.noun || x.noun.is_none() || y.noun.is_none())
        });
        if let Some((j, y)) = cands.min_by_key(|(j, _)| *j) {
            d_used[i] = true;
            s_used[j] = true;
            report_hedge(x, y, out);
        }
    }
    // 3. Left-overs of one unit counting one thing: a changed number.
    for (i, x) in dq.iter().enumerate() {
        if d_used[i] {
            continue;
        }
        let left_d = (0..dq.len())
            .filter(|&k| !d_used[k] && dq[k].unit.compatible(&x.unit) && dq[k].vague == x.vague)
            .count();
        let cands: Vec<(usize, &&Quantity)> = sq
            .iter()
            .enumerate()
            .filter(|(j, y)| !s_used[*j] && y.unit.compatible(&x.unit) && y.vague == x.vague)
            .collect();
        let pick = cands
            .iter()
            .find(|(_, y)| y.noun.is_some() && y.noun == x.noun)
            .or_else(|| {
                cands
                    .iter()
                    .find(|(_, y)| y.noun.is_none() || x.noun.is_none())
            })
            .or_else(|| (cands.len() == 1 && left_d == 1).then(|| &cands[0]));
        if let Some(&(j, y)) = pick {
            d_used[i] = true;
            s_used[j] = true;
            // A year is a date: "spent in 1985" / "in 1984" is a date change.
            let (what, kind) = if x.unit == Unit::Year && y.unit == Unit::Year {
                ("year", ChangeType::DateChanged)
            } else {
                ("number", ChangeType::NumberChanged)
            };
            out.push(
                Change::new(
                    kind,
                    Severity::Major,
                    format!(
                        "{what} changed: \"{}\" became \"{}\"",
                        show(y, s),
                        show(x, d)
                    ),
                )
                .derived_span(d.a, x.span)
                .source_span(s.a, y.span),
            );
        }
    }
}
