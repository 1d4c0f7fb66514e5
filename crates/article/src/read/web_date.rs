//! Publication dates as web pages write them in their metadata.
//!
//! Pages mostly write ISO 8601 (`2019-11-19T07:03:25+00:00`), but also RFC
//! 2822 (`Mon, 18 Nov 2019 16:07:38 -0600`) and English prose
//! (`November 19, 2019, 07:47 PM EST`, `19 Nov 2019 07:09 GMT`). The date
//! kept is the calendar day as written: a story dated late in the evening in
//! New York is dated that day, not the next one in UTC, since that is the
//! date its readers saw. All-numeric day-month orders (`11/12/2019`) are
//! ambiguous between US and European use and are not guessed.

use chrono::{Datelike, NaiveDate};

use super::parse_iso_date;

/// Dates outside these years are taken for mistakes (a CMS's `0001-01-01`
/// placeholder, a mistyped `2091`), reported and not used.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// The calendar date of a page's date value `s`, as written, or `None` when
/// it is not a date this reads or not a plausible one.
pub(super) fn parse_web_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let date = parse_iso_date(s)
        .or_else(|| iso_date_prefix(s))
        .or_else(|| {
            chrono::DateTime::parse_from_rfc2822(s)
                .ok()
                .map(|dt| dt.date_naive())
        })
        .or_else(|| english_date(s))?;
    PLAUSIBLE_YEARS.contains(&date.year()).then_some(date)
}

/// `YYYY-MM-DD` at the start of `s`, followed by nothing, a `T` or a space
/// and a time of day in any of the forms pages use (`T10:43Z`,
/// `T01:48:03.835Z`, ` 12:32:13+08:00`).
fn iso_date_prefix(s: &str) -> Option<NaiveDate> {
    let head = s.get(..10)?;
    let rest = &s[10..];
    let time_follows = rest.is_empty()
        || ((rest.starts_with('T') || rest.starts_with(' '))
            && rest[1..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit()));
    if !time_follows {
        return None;
    }
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

/// A date written with an English month name: `November 19, 2019`,
/// `Nov. 19 2019`, `19 Nov 2019`, `19th November 2019`, anywhere in `s`
/// (`01:38:07 PM IST Nov 20, 2019`). The first one found is taken.
fn english_date(s: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(3).find_map(|w| {
        let (month, day) = match (month_number(w[0]), month_number(w[1])) {
            (Some(m), _) => (m, day_number(w[1])?),
            (None, Some(m)) => (m, day_number(w[0])?),
            (None, None) => return None,
        };
        let year: i32 = w[2]
            .parse()
            .ok()
            .filter(|_| w[2].len() == 4 && w[2].bytes().all(|b| b.is_ascii_digit()))?;
        NaiveDate::from_ymd_opt(year, month, day)
    })
}

/// The month an English month name or its abbreviation (`Sep`, `Sept`)
/// stands for.
fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let at = MONTHS
        .iter()
        .position(|m| *m == w || (w.len() <= 4 && m.starts_with(&w)))?;
    u32::try_from(at + 1).ok()
}

/// A day of the month, with or without an ordinal suffix (`19`, `19th`).
fn day_number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn iso_forms_keep_the_day_as_written() {
        // Forms found on the extraction benchmark's pages.
        for (s, want) in [
            ("2019-05-01T10:00:00.000+0200", ymd(2019, 5, 1)),
            (" 2019-05-01 ", ymd(2019, 5, 1)),
            ("2019-11-20T10:43Z", ymd(2019, 11, 20)),
            ("2019-11-19T01:48:03.835Z", ymd(2019, 11, 19)),
            ("2019-11-20 12:32:13+08:00", ymd(2019, 11, 20)),
            ("2019-11-19T23:56:43-05:00", ymd(2019, 11, 19)),
        ] {
            assert_eq!(parse_web_date(s), want, "{s}");
        }
    }

    #[test]
    fn rfc_2822_and_english_forms() {
        for (s, want) in [
            ("Mon, 18 Nov 2019 16:07:38 -0600", ymd(2019, 11, 18)),
            ("November 19, 2019, 07:47 PM EST", ymd(2019, 11, 19)),
            ("19 Nov 2019 07:09 GMT", ymd(2019, 11, 19)),
            ("01:38:07 PM IST Nov 20, 2019", ymd(2019, 11, 20)),
            ("Sept. 3, 2018", ymd(2018, 9, 3)),
            ("3rd March 2020", ymd(2020, 3, 3)),
            ("May 1, 2019", ymd(2019, 5, 1)),
        ] {
            assert_eq!(parse_web_date(s), want, "{s}");
        }
    }

    #[test]
    fn ambiguous_impossible_and_implausible_dates_are_not_guessed() {
        for s in [
            "11/12/2019",
            "2191-05-01",
            "0001-01-01T00:00:00Z",
            "February 30, 2019",
            "2019-11-19 yesterday",
            "Updated 5 hours ago",
            "Mayday 12 2019",
            "",
        ] {
            assert_eq!(parse_web_date(s), None, "{s}");
        }
    }
}
