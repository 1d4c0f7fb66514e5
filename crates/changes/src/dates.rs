//! Dates: relative expressions resolved against the article's own date.
//!
//! News writes dates relative to the day of publication, so "Friday" in a
//! story dated Saturday 2025-04-26 and "yesterday" in a rewrite dated the same
//! day are the same day. Expressions read:
//!
//! * `today`, `tonight`, `yesterday`, `tomorrow`;
//! * a weekday, optionally after `on`, `last` or `next` (also `Friday’s`):
//!   by news convention the most recent such day on or before the article
//!   date (the article's own weekday is that day); after `last`, strictly
//!   before; after `next`, or within four words after `will`, on or after;
//! * `this`/`last`/`next` `week`/`month`/`year`;
//! * a month with a day (`April 25`, `25 April`, `Jan 3`), with an optional
//!   year; a month alone after `in`, `since`, `until`, `by`, `last`, `early`,
//!   `late`, `mid` (`in February 2022`).
//!
//! Each expression resolves to a day, a week (its Monday), a month or a
//! year. Within an aligned group, a derived expression is a change only when
//! it resolves to a different value of the same granularity as a source
//! expression that nothing on the derived side matches; a day becoming its
//! week is not a change. Without an article date, relative expressions are
//! not resolved and not compared.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use unspun_segment::{Span, Token, TokenKind};

use crate::text::Doc;
use crate::{Change, ChangeType, Severity};

/// What a date expression resolves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resolved {
    /// One day.
    Day(NaiveDate),
    /// The week starting on this Monday.
    Week(NaiveDate),
    /// A month of a year.
    Month(i32, u32),
    /// A year.
    Year(i32),
}

impl Resolved {
    fn granularity(self) -> u8 {
        match self {
            Resolved::Day(_) => 0,
            Resolved::Week(_) => 1,
            Resolved::Month(..) => 2,
            Resolved::Year(_) => 3,
        }
    }

    /// The first and last day it spans.
    fn days(self) -> (NaiveDate, NaiveDate) {
        match self {
            Resolved::Day(d) => (d, d),
            Resolved::Week(d) => (d, d + Duration::days(6)),
            Resolved::Month(y, m) => {
                let first = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN);
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(y + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(y, m + 1, 1)
                };
                (
                    first,
                    next.and_then(|n| n.pred_opt()).unwrap_or(NaiveDate::MAX),
                )
            }
            Resolved::Year(y) => (
                NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN),
                NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MAX),
            ),
        }
    }

    /// Whether the two share a day ("November" and "November 15", "2004"
    /// and "November").
    pub(crate) fn overlaps(self, other: Resolved) -> bool {
        let ((a0, a1), (b0, b1)) = (self.days(), other.days());
        a0 <= b1 && b0 <= a1
    }

    fn show(self) -> String {
        match self {
            Resolved::Day(d) => format!("{} {}", d.format("%Y-%m-%d"), d.weekday()),
            Resolved::Week(d) => format!("week of {}", d.format("%Y-%m-%d")),
            Resolved::Month(y, m) => format!("{y}-{m:02}"),
            Resolved::Year(y) => format!("{y}"),
        }
    }
}

/// One date expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateExpr {
    /// The words of the expression.
    pub span: Span,
    /// What it resolves to.
    pub resolved: Resolved,
}

/// The weekday a word names (`friday`), if any.
pub(crate) fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// The month (1-12) a word names, full or abbreviated (`sept`), if any.
pub(crate) fn month(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

fn full_month(w: &str) -> bool {
    w.len() > 4 || matches!(w, "may" | "june" | "july")
}

/// The most recent `day` on or before `date` (strictly before if `strict`).
fn back_to(date: NaiveDate, day: Weekday, strict: bool) -> NaiveDate {
    let mut back =
        (7 + date.weekday().num_days_from_monday() as i64 - day.num_days_from_monday() as i64) % 7;
    if strict && back == 0 {
        back = 7;
    }
    date - Duration::days(back)
}

/// The first `day` on or after `date` (strictly after if `strict`).
fn forward_to(date: NaiveDate, day: Weekday, strict: bool) -> NaiveDate {
    let mut fwd =
        (7 + day.num_days_from_monday() as i64 - date.weekday().num_days_from_monday() as i64) % 7;
    if strict && fwd == 0 {
        fwd = 7;
    }
    date + Duration::days(fwd)
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

fn add_months(y: i32, m: u32, delta: i32) -> (i32, u32) {
    let idx = y * 12 + m as i32 - 1 + delta;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

/// The date expressions among one sentence's `tokens`, resolved against
/// `date` (relative ones are skipped without it).
pub fn extract(text: &str, tokens: &[Token], date: Option<NaiveDate>) -> Vec<DateExpr> {
    let norm = |k: usize| tokens.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    let number = |k: usize| {
        tokens
            .get(k)
            .filter(|t| t.kind == TokenKind::Number)
            .and_then(|t| t.norm.parse::<u32>().ok())
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let w = norm(k);
        let prev = if k > 0 { norm(k - 1) } else { "" };
        let mut start = k;
        let mut end = k + 1;
        // "will meet on Monday": a future verb just before the weekday.
        let future = tokens[k.saturating_sub(4)..k]
            .iter()
            .any(|t| matches!(t.norm.as_str(), "will" | "shall"));
        let resolved = if let (Some(wd), Some(date)) = (weekday(w), date) {
            let r = match prev {
                "last" | "past" => back_to(date, wd, true),
                "next" | "coming" => forward_to(date, wd, true),
                "this" if future => forward_to(date, wd, false),
                _ if future => forward_to(date, wd, false),
                _ => back_to(date, wd, false),
            };
            if matches!(prev, "last" | "past" | "next" | "coming" | "this" | "on") {
                start = k - 1;
            }
            Some(Resolved::Day(r))
        } else if let (Some(date), true) = (
            date,
            matches!(w, "today" | "tonight" | "yesterday" | "tomorrow"),
        ) {
            Some(Resolved::Day(match w {
                "yesterday" => date - Duration::days(1),
                "tomorrow" => date + Duration::days(1),
                _ => date,
            }))
        } else if let (Some(date), true, true) = (
            date,
            matches!(w, "this" | "last" | "next" | "past"),
            matches!(norm(k + 1), "week" | "month" | "year"),
        ) {
            end = k + 2;
            let delta = match w {
                "last" | "past" => -1,
                "next" => 1,
                _ => 0,
            };
            Some(match norm(k + 1) {
                "week" => Resolved::Week(monday_of(date) + Duration::weeks(delta)),
                "month" => {
                    let (y, m) = add_months(date.year(), date.month(), delta as i32);
                    Resolved::Month(y, m)
                }
                _ => Resolved::Year(date.year() + delta as i32),
            })
        } else if let Some(m) = month(w).filter(|_| tokens[k].capitalized) {
            // "April 25[, 2025]" / "25 April [2025]" / "in February 2022".
            let day_after = number(k + 1).filter(|d| (1..=31).contains(d));
            let day_before = k
                .checked_sub(1)
                .and_then(number)
                .filter(|d| (1..=31).contains(d));
            let year_at = |i: usize| {
                number(i)
                    .filter(|y| (1800..=2100).contains(y))
                    .map(|y| y as i32)
            };
            let default_year = |m: u32| {
                date.map(|d| {
                    if m > d.month() + 1 {
                        d.year() - 1
                    } else {
                        d.year()
                    }
                })
            };
            if let Some(day) = day_after {
                end = k + 2;
                let y = year_at(k + 2).inspect(|_| end = k + 3).or(default_year(m));
                y.and_then(|y| NaiveDate::from_ymd_opt(y, m, day))
                    .map(Resolved::Day)
            } else if let Some(day) = day_before {
                start = k - 1;
                let y = year_at(k + 1).inspect(|_| end = k + 2).or(default_year(m));
                y.and_then(|y| NaiveDate::from_ymd_opt(y, m, day))
                    .map(Resolved::Day)
            } else if full_month(w)
                && (matches!(
                    prev,
                    "in" | "since" | "until" | "by" | "last" | "early" | "late" | "mid" | "of"
                ) || year_at(k + 1).is_some())
                && (w != "may" || year_at(k + 1).is_some() || prev == "in")
            {
                let y = year_at(k + 1).inspect(|_| end = k + 2).or(default_year(m));
                y.map(|y| Resolved::Month(y, m))
            } else {
                None
            }
        } else {
            None
        };
        if let Some(resolved) = resolved {
            let span = Span::new(tokens[start].span.start, tokens[end - 1].span.end);
            // Keep the expression's own text: "Friday’s" ends at the name.
            let _ = text;
            out.push(DateExpr { span, resolved });
            k = end;
        } else {
            k += 1;
        }
    }
    out
}

/// Compares the dates of derived sentences `ds` and source sentences `ss`.
pub(crate) fn compare(d: &Doc, ds: &[usize], s: &Doc, ss: &[usize], out: &mut Vec<Change>) {
    let dd: Vec<&DateExpr> = ds.iter().flat_map(|&i| &d.dates[i]).collect();
    let sd: Vec<&DateExpr> = ss.iter().flat_map(|&j| &s.dates[j]).collect();
    // The same weekday in two articles of one date is one day, whichever
    // week the tense around it resolves it to ("is unveiling ... Thursday"
    // / "will unveil ... Thursday", a week apart; SummEdits news).
    let same_day = d.a.article.date.is_some() && d.a.article.date == s.a.article.date;
    let a_week_apart = |x: &DateExpr, y: &DateExpr| match (x.resolved, y.resolved) {
        (Resolved::Day(a), Resolved::Day(b)) => (a - b).num_days().abs() == 7,
        _ => false,
    };
    // Only for a source weekday no derived date matches as resolved: a
    // weekday the rewrite shifted onto another mention's name is a change.
    let resolved_match: Vec<bool> = sd
        .iter()
        .map(|y| dd.iter().any(|x| x.resolved == y.resolved))
        .collect();
    let same = |x: &DateExpr, j: usize| {
        let y = sd[j];
        x.resolved == y.resolved
            || (same_day
                && !resolved_match[j]
                && a_week_apart(x, y)
                && x.span
                    .text(d.text())
                    .eq_ignore_ascii_case(y.span.text(s.text())))
    };
    let mut s_used: Vec<bool> = (0..sd.len())
        .map(|j| dd.iter().any(|x| same(x, j)))
        .collect();
    for x in &dd {
        if (0..sd.len()).any(|j| same(x, j)) {
            continue;
        }
        let g = x.resolved.granularity();
        if let Some(j) = (0..sd.len()).find(|&j| !s_used[j] && sd[j].resolved.granularity() == g) {
            s_used[j] = true;
            let y = sd[j];
            out.push(
                Change::new(
                    ChangeType::DateChanged,
                    Severity::Major,
                    format!(
                        "date changed: \"{}\" ({}) became \"{}\" ({})",
                        y.span.text(s.text()),
                        y.resolved.show(),
                        x.span.text(d.text()),
                        x.resolved.show()
                    ),
                )
                .derived_span(d.a, x.span)
                .source_span(s.a, y.span),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspun_segment::Analyzer;

    fn res(text: &str, date: &str) -> Vec<(String, Resolved)> {
        let toks = Analyzer::new().tokens(text, Span::new(0, text.len()));
        extract(text, &toks, Some(date.parse().unwrap()))
            .into_iter()
            .map(|e| (e.span.text(text).to_string(), e.resolved))
            .collect()
    }

    fn day(s: &str) -> Resolved {
        Resolved::Day(s.parse().unwrap())
    }

    #[test]
    fn weekdays_resolve_back_to_the_most_recent() {
        // 2025-04-26 is a Saturday.
        let sat = "2025-04-26";
        assert_eq!(
            res("He met Putin on Friday.", sat),
            [("on Friday".into(), day("2025-04-25"))]
        );
        assert_eq!(
            res("He met Putin yesterday.", sat),
            [("yesterday".into(), day("2025-04-25"))]
        );
        assert_eq!(
            res("on Saturday", sat),
            [("on Saturday".into(), day("2025-04-26"))]
        );
        assert_eq!(res("today", sat)[0].1, day("2025-04-26"));
        assert_eq!(res("On Thursday, Trump", sat)[0].1, day("2025-04-24"));
        assert_eq!(res("last Saturday", sat)[0].1, day("2025-04-19"));
        assert_eq!(
            res("Friday’s meeting", sat),
            [("Friday’s".into(), day("2025-04-25"))]
        );
        assert_eq!(
            res("They will meet on Monday.", sat)[0].1,
            day("2025-04-28")
        );
        assert_eq!(res("next Saturday", sat)[0].1, day("2025-05-03"));
    }

    #[test]
    fn weeks_months_and_calendar_dates() {
        let sat = "2025-04-26";
        assert_eq!(
            res("talks this week", sat)[0].1,
            Resolved::Week("2025-04-21".parse().unwrap())
        );
        assert_eq!(res("last month", sat)[0].1, Resolved::Month(2025, 3));
        assert_eq!(res("last year", sat)[0].1, Resolved::Year(2024));
        assert_eq!(
            res("on April 25, 2025", sat)[0],
            ("April 25, 2025".into(), day("2025-04-25"))
        );
        assert_eq!(res("on 25 April", sat)[0].1, day("2025-04-25"));
        assert_eq!(res("in February 2022", sat)[0].1, Resolved::Month(2022, 2));
        assert_eq!(res("in December", sat)[0].1, Resolved::Month(2024, 12));
        assert!(res("You may go.", sat).is_empty());
        assert!(res("March of the penguins march", sat).is_empty());
    }

    #[test]
    fn resolved_times_overlap_when_they_share_a_day() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(Resolved::Month(2004, 11).overlaps(Resolved::Day(d("2004-11-15"))));
        assert!(Resolved::Year(2004).overlaps(Resolved::Month(2004, 12)));
        assert!(Resolved::Week(d("2004-11-29")).overlaps(Resolved::Month(2004, 12)));
        assert!(!Resolved::Month(2004, 11).overlaps(Resolved::Day(d("2004-12-01"))));
        assert!(!Resolved::Year(2005).overlaps(Resolved::Month(2004, 12)));
    }
}
