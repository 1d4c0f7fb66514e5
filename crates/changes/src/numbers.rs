//! Numbers and quantities, with their hedges and what they count.
//!
//! Numbers are read in figures (`12`, `12,000`, `1.2`, `3.5bn`, `5m`) and in
//! words (`twelve`, `twenty-five`, `three hundred`, `a quarter`, `a dozen`),
//! scaled by `hundred`/`thousand`/`million`/`mln`/`billion`/`bn`/...
//! Units are percent (`%`, `percent`, `per cent`, `pct`), points
//! (`percentage points`, `points`, and `basis points` as hundredths),
//! money (`$`, `£`, `€`, `dollars`, `dlrs`, ...) and years (four figures
//! between 1800 and 2100). The hedge is the phrase right before the number,
//! grouped by meaning: "at least" / "no fewer than"; "more than" / "over";
//! "about" / "around" / "some"; "nearly" / "almost"; "up to" / "as many
//! as"; "less than" / "fewer than". What a number counts is the next content
//! word.
//!
//! Within an aligned group, a number equal in value (to 0.5 %, for
//! rounding) and unit to one of the other side is the same number, however
//! written ("twelve people" / "12 deaths"); its hedge may still have changed.
//! A number left over is paired with a left-over number of the same unit
//! counting the same thing (or either counting nothing named, or the only
//! one left): `number_changed`. A hedged rounding of the source's figure
//! ("about 12,000" for "12,345") is a hedge change, not a number change.

use unspun_segment::{Span, Token, TokenKind};

mod compare;

pub(crate) use compare::{compare, same_value, scale_apart};

/// How a number is hedged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Hedge {
    /// "at least", "no fewer than", "a minimum of".
    AtLeast,
    /// "more than", "over", "above", "upwards of", "in excess of".
    MoreThan,
    /// "about", "around", "approximately", "roughly", "some", "an estimated".
    About,
    /// "nearly", "almost", "close to", "just under".
    Nearly,
    /// "up to", "as many as", "at most", "a maximum of".
    UpTo,
    /// "less than", "fewer than", "under", "below".
    LessThan,
}

impl Hedge {
    fn as_str(self) -> &'static str {
        match self {
            Hedge::AtLeast => "at least",
            Hedge::MoreThan => "more than",
            Hedge::About => "about",
            Hedge::Nearly => "nearly",
            Hedge::UpTo => "up to",
            Hedge::LessThan => "less than",
        }
    }
}

const HEDGES: &[(&str, Hedge)] = &[
    ("at least", Hedge::AtLeast),
    ("no fewer than", Hedge::AtLeast),
    ("no less than", Hedge::AtLeast),
    ("a minimum of", Hedge::AtLeast),
    ("more than", Hedge::MoreThan),
    ("over", Hedge::MoreThan),
    ("above", Hedge::MoreThan),
    ("upwards of", Hedge::MoreThan),
    ("in excess of", Hedge::MoreThan),
    ("just over", Hedge::MoreThan),
    ("about", Hedge::About),
    ("around", Hedge::About),
    ("approximately", Hedge::About),
    ("roughly", Hedge::About),
    ("some", Hedge::About),
    ("an estimated", Hedge::About),
    ("estimated", Hedge::About),
    ("nearly", Hedge::Nearly),
    ("almost", Hedge::Nearly),
    ("close to", Hedge::Nearly),
    ("just under", Hedge::Nearly),
    ("up to", Hedge::UpTo),
    ("as much as", Hedge::UpTo),
    ("as high as", Hedge::UpTo),
    ("as long as", Hedge::UpTo),
    ("as many as", Hedge::UpTo),
    ("at most", Hedge::UpTo),
    ("a maximum of", Hedge::UpTo),
    ("less than", Hedge::LessThan),
    ("fewer than", Hedge::LessThan),
    ("under", Hedge::LessThan),
    ("below", Hedge::LessThan),
];

/// What a number measures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A count or a bare figure.
    Plain,
    /// A percentage.
    Percent,
    /// Percentage points, points.
    Points,
    /// Money, with its currency when known (`"$"`, `"dlrs"` → `"usd"`).
    Money(Option<String>),
    /// A calendar year.
    Year,
    /// A rank or place in a series ("fourth quarter", "second straight
    /// session", "3rd"): compared only with another ordinal.
    Ordinal,
}

impl Unit {
    fn compatible(&self, other: &Unit) -> bool {
        match (self, other) {
            (Unit::Money(a), Unit::Money(b)) => a.is_none() || b.is_none() || a == b,
            (a, b) => a == b,
        }
    }
}

/// One number in a sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    /// From the hedge (if any) to the unit.
    pub span: Span,
    /// The value, scaled (`1.2 million` → 1 200 000; basis points → points).
    pub value: f64,
    /// The hedge.
    pub hedge: Option<Hedge>,
    /// The unit.
    pub unit: Unit,
    /// The stem of the word it counts, if one follows.
    pub noun: Option<String>,
    /// The step of the figure as written, scaled like `value` ("0.505" →
    /// 0.001, "12,000" → 1,000, "3.5bn" → 10^8); infinite for numbers in
    /// words. Two values closer than 0.5 % are the same number only when
    /// one is the other rounded to its step: "12,345" / "12,300" are, but
    /// "0.505%" / "0.503%", written to the same step, are not.
    pub precision: f64,
    /// A bare order of magnitude ("billions", "thousands of"): compared only
    /// with another such, never with a figure it could be a vague form of.
    pub vague: bool,
}

impl Quantity {
    /// Whether this is a figure of the story (a count, an amount, a share,
    /// a year): not a rank ("fourth quarter") or a bare order of magnitude
    /// ("billions"), which only the number comparison looks at.
    pub fn is_figure(&self) -> bool {
        !self.vague && self.unit != Unit::Ordinal
    }
}

/// Whether `w` (a norm) is a number word ("one", "twelve", "million",
/// "half"): the number detector's, not a content word.
pub(crate) fn is_number_word(w: &str) -> bool {
    w == "one" || word_value(w).is_some() || scale_value(w).is_some() || fraction_value(w).is_some()
}

fn word_value(w: &str) -> Option<f64> {
    Some(match w {
        "zero" => 0.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        _ => return None,
    })
}

fn scale_value(w: &str) -> Option<f64> {
    Some(match w {
        "hundred" => 1e2,
        "thousand" | "k" => 1e3,
        "million" | "mln" | "m" | "mn" => 1e6,
        "billion" | "bln" | "bn" => 1e9,
        "trillion" | "tn" | "trn" => 1e12,
        _ => return None,
    })
}

fn fraction_value(w: &str) -> Option<f64> {
    Some(match w {
        "quarter" => 0.25,
        "half" => 0.5,
        "third" => 1.0 / 3.0,
        "dozen" => 12.0,
        _ => return None,
    })
}

fn currency_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "dollar" | "dollars" | "dlr" | "dlrs" => "usd",
        "pound" | "pounds" | "sterling" => "gbp",
        "euro" | "euros" => "eur",
        "yen" => "jpy",
        "cent" | "cents" | "cts" => "cents",
        _ => return None,
    })
}

fn currency_sign(c: char) -> Option<&'static str> {
    Some(match c {
        '$' => "usd",
        '£' => "gbp",
        '€' => "eur",
        '¥' => "jpy",
        _ => return None,
    })
}

/// The step of a figure as written: a unit in its last decimal place
/// ("0.505" → 0.001), or the power of ten of its trailing zeros ("12000" →
/// 1000; "0" → 1).
fn figure_step(norm: &str) -> f64 {
    let digits = norm.trim_start_matches(['-', '+']);
    if let Some((_, frac)) = digits.split_once('.') {
        return 10f64.powi(-(frac.len() as i32));
    }
    let zeros = digits.len() - digits.trim_end_matches('0').len();
    if zeros == digits.len() {
        1.0
    } else {
        10f64.powi(zeros as i32)
    }
}

/// Whether the fraction word at `k` is an ordinal there: "a third quarter",
/// "a third straight session" (a word follows) against "a third of the
/// shares", "a third." ("third" is the only word that is both).
fn ordinal_here(tokens: &[Token], k: usize) -> bool {
    tokens[k].norm == "third"
        && tokens
            .get(k + 1)
            .is_some_and(|n| n.kind == TokenKind::Word && n.norm != "of")
}

/// The stems of units of time: a figure counting one of them, or a bare
/// unit, put for another is another length of time ("30 days" / "30
/// years", "adding hours" / "adding minutes").
pub(crate) const TIME_UNITS: &[&str] = &[
    "second", "minut", "hour", "day", "week", "month", "year", "decad", "centuri",
];

/// An ordinal in words ("first" … "twentieth", "thirtieth" …
/// "hundredth") or figures ("1st", "22nd", "4th").
fn ordinal_value(w: &str) -> Option<f64> {
    if let Some(v) = figure_ordinal(w) {
        return Some(v);
    }
    Some(match w {
        "first" => 1.0,
        "second" => 2.0,
        "third" => 3.0,
        "fourth" => 4.0,
        "fifth" => 5.0,
        "sixth" => 6.0,
        "seventh" => 7.0,
        "eighth" => 8.0,
        "ninth" => 9.0,
        "tenth" => 10.0,
        "eleventh" => 11.0,
        "twelfth" => 12.0,
        "thirteenth" => 13.0,
        "fourteenth" => 14.0,
        "fifteenth" => 15.0,
        "sixteenth" => 16.0,
        "seventeenth" => 17.0,
        "eighteenth" => 18.0,
        "nineteenth" => 19.0,
        "twentieth" => 20.0,
        "thirtieth" => 30.0,
        "fortieth" => 40.0,
        "fiftieth" => 50.0,
        "hundredth" => 100.0,
        _ => return None,
    })
}

/// An ordinal in figures: digits and the suffix their last digit takes.
fn figure_ordinal(w: &str) -> Option<f64> {
    let digits = w.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let (n, suffix) = w.split_at(digits);
    let v: u64 = n.parse().ok()?;
    let want = match (v % 100, v % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
    (suffix == want).then_some(v as f64)
}

/// A bare plural scale word, an order of magnitude: "hundreds",
/// "thousands", "millions", "billions", "trillions", "dozens".
fn vague_scale(w: &str) -> Option<f64> {
    match w {
        "dozens" => Some(12.0),
        _ => scale_value(w.strip_suffix('s')?).filter(|_| w.len() > 3),
    }
}

/// Splits a mixed token like `5m` or `3bn` into value and scale.
fn mixed(norm: &str) -> Option<f64> {
    let digits = norm.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let (n, suffix) = norm.split_at(digits);
    Some(n.parse::<f64>().ok()? * scale_value(suffix)?)
}

/// Whether only white space (or a hyphen) lies between two byte offsets.
fn adjacent(text: &str, a: usize, b: usize) -> bool {
    text.get(a..b)
        .is_some_and(|g| g.len() <= 3 && g.chars().all(|c| c.is_whitespace() || c == '-'))
}

/// The quantities among one sentence's `tokens`.
pub fn extract(text: &str, tokens: &[Token]) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let t = &tokens[k];
        let norm = t.norm.as_str();
        let next_norm = tokens.get(k + 1).map(|n| n.norm.as_str()).unwrap_or("");
        let mut start_k = k;
        let mut end = k + 1;
        let mut value;
        let mut words = false;
        let mut ordinal = false;
        let mut vague = false;
        // The figure's step as written, before any scale word.
        let mut step = f64::INFINITY;
        if t.kind == TokenKind::Number {
            let Ok(v) = norm.parse::<f64>() else {
                k += 1;
                continue;
            };
            value = v;
            step = figure_step(norm);
        } else if let Some(v) = mixed(norm) {
            value = v;
            let digits: String = norm.chars().take_while(char::is_ascii_digit).collect();
            step = figure_step(&digits) * v / digits.parse::<f64>().unwrap_or(1.0).max(1.0);
        } else if let Some(v) = ordinal_value(norm) {
            // A rank is a whole number: equal or not, whatever its step.
            value = v;
            ordinal = true;
        } else if let Some(v) = vague_scale(norm) {
            value = v;
            vague = true;
            words = true;
        } else if let Some(v) = word_value(norm) {
            value = v;
            words = true;
        } else if matches!(norm, "a" | "one")
            && (fraction_value(next_norm).is_some_and(|_| !ordinal_here(tokens, k + 1))
                || scale_value(next_norm).is_some_and(|s| s >= 100.0))
            && adjacent(text, t.span.end, tokens[k + 1].span.start)
        {
            // "a million", "one thousand": the scale multiplies this.
            value = 1.0;
            let f = fraction_value(next_norm).unwrap_or(1.0);
            if fraction_value(next_norm).is_some() {
                value = f;
                end = k + 2;
            }
            words = true;
        } else if norm == "half"
            && matches!(next_norm, "a" | "an")
            && adjacent(text, t.span.end, tokens[k + 1].span.start)
        {
            // "half a point", "half an hour": a half of the unit that follows.
            value = 0.5;
            end = k + 2;
            words = true;
        } else {
            k += 1;
            continue;
        }
        // Number words combine: "twenty five", "three hundred thousand".
        let base = value;
        let mut scaled = false;
        while !ordinal
            && !vague
            && end < tokens.len()
            && adjacent(text, tokens[end - 1].span.end, tokens[end].span.start)
        {
            let w = tokens[end].norm.as_str();
            if words
                && word_value(w).is_some_and(|v| v < 10.0)
                && value >= 20.0
                && value % 10.0 == 0.0
            {
                value += word_value(w).unwrap_or(0.0);
            } else if let Some(s) = scale_value(w) {
                if w == "m" || w == "k" {
                    // "5 m" is five metres as often as five million.
                    break;
                }
                value *= s;
                scaled = true;
            } else if w == "dozen" && value >= 1.0 {
                value *= 12.0;
            } else {
                break;
            }
            end += 1;
        }
        // A day of a month is a date, not a quantity.
        let prev_norm = k
            .checked_sub(1)
            .map(|p| tokens[p].norm.as_str())
            .unwrap_or("");
        let is_day = (t.kind == TokenKind::Number || ordinal)
            && !scaled
            && value.fract() == 0.0
            && (1.0..=31.0).contains(&value)
            && (crate::dates::month(prev_norm).is_some()
                || crate::dates::month(tokens.get(end).map(|n| n.norm.as_str()).unwrap_or(""))
                    .is_some());
        if is_day {
            k = end;
            continue;
        }
        // Unit.
        let mut unit = Unit::Plain;
        let after = &text[tokens[end - 1].span.end..];
        if ordinal {
            unit = Unit::Ordinal;
        } else if after.starts_with('%') {
            unit = Unit::Percent;
        } else if let Some(w) = tokens.get(end).map(|n| n.norm.as_str()) {
            let w2 = tokens.get(end + 1).map(|n| n.norm.as_str()).unwrap_or("");
            match w {
                "percent" | "pct" => {
                    unit = Unit::Percent;
                    end += 1;
                }
                "per" if w2 == "cent" => {
                    unit = Unit::Percent;
                    end += 2;
                }
                "percentage" if matches!(w2, "point" | "points") => {
                    unit = Unit::Points;
                    end += 2;
                }
                "point" | "points" => {
                    unit = Unit::Points;
                    end += 1;
                }
                "basis" if matches!(w2, "point" | "points") => {
                    unit = Unit::Points;
                    value /= 100.0;
                    end += 2;
                }
                _ => {
                    if let Some(c) = currency_word(w) {
                        unit = Unit::Money(Some(c.to_string()));
                        end += 1;
                    }
                }
            }
        }
        let before = &text[..tokens[start_k].span.start];
        if let Some(c) = before
            .trim_end_matches(['U', 'S', 'A'])
            .chars()
            .next_back()
            .and_then(currency_sign)
        {
            if before.len() - before.trim_end().len() == 0 {
                unit = Unit::Money(Some(c.to_string()));
            }
        }
        // The step scales with the value ("3.5bn": 10^8; basis points:
        // hundredths of a point).
        let precision = if step.is_finite() && base != 0.0 {
            step * (value / base).abs()
        } else {
            step
        };
        if unit == Unit::Plain
            && t.kind == TokenKind::Number
            && !scaled
            && !t.span.text(text).contains([',', '.'])
            && (1800.0..=2100.0).contains(&value)
        {
            unit = Unit::Year;
        }
        // Hedge: up to three words right before.
        let mut hedge = None;
        for n in (1..=3).rev() {
            if start_k < n {
                continue;
            }
            let ws = &tokens[start_k - n..start_k];
            // "about $25": a currency sign may stand between hedge and figure.
            let before_figure = text
                .get(ws[n - 1].span.end..tokens[start_k].span.start)
                .map(|g| g.trim_end_matches(|c: char| currency_sign(c).is_some()));
            let contiguous = ws
                .windows(2)
                .all(|p| adjacent(text, p[0].span.end, p[1].span.start))
                && before_figure.is_some_and(|g| {
                    g.len() <= 3 && g.chars().all(|c| c.is_whitespace() || c == '-')
                });
            if !contiguous {
                continue;
            }
            let phrase = ws
                .iter()
                .map(|t| t.norm.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            if let Some(&(_, h)) = HEDGES.iter().find(|(p, _)| *p == phrase) {
                if phrase == "over" && !over_hedges(text, tokens, start_k - 1, end) {
                    break;
                }
                hedge = Some(h);
                start_k -= n;
                break;
            }
        }
        let noun = tokens[end..]
            .iter()
            .take(2)
            .find(|t| t.kind == TokenKind::Word && !t.stop)
            .map(|t| t.stem.clone());
        let mut span_start = tokens[start_k].span.start;
        if matches!(unit, Unit::Money(_)) {
            // Include a currency sign written before the figure.
            if let Some(c) = text[..span_start].chars().next_back() {
                if currency_sign(c).is_some() {
                    span_start -= c.len_utf8();
                }
            }
        }
        let mut span_end = tokens[end - 1].span.end;
        if unit == Unit::Percent && text[span_end..].starts_with('%') {
            span_end += 1;
        }
        out.push(Quantity {
            span: Span::new(span_start, span_end),
            value,
            hedge,
            unit,
            noun,
            precision,
            vague,
        });
        k = end;
    }
    out
}

/// Whether "over" at token `k`, before the number ending at token `end`,
/// means "more than". It does not after a content word ("have taken over
/// 80%", "spread over 10 years"), nor before a distance or a span of time
/// ("over 1,000m", "over five to 10 years"): there it is a preposition.
fn over_hedges(text: &str, tokens: &[Token], k: usize, end: usize) -> bool {
    let prev = k.checked_sub(1).map(|p| &tokens[p]);
    // Only a word right before it (no comma between) governs "over".
    let governed = prev.is_some_and(|p| {
        p.kind == TokenKind::Word
            && !p.stop
            && p.norm != "just"
            && text[p.span.end..tokens[k].span.start].trim().is_empty()
    });
    if governed {
        return false;
    }
    // "for over 20 years", "by over 10 pct": a quantity, so a hedge.
    if prev.is_some_and(|p| matches!(p.norm.as_str(), "for" | "by")) {
        return true;
    }
    let unit = tokens[end..]
        .iter()
        .take(3)
        .find(|t| t.kind == TokenKind::Word && t.norm != "to")
        .map(|t| t.norm.as_str());
    let glued = tokens
        .get(end - 1)
        .is_some_and(|t| text[t.span.end..].starts_with(|c: char| c.is_alphabetic()));
    !glued
        && !unit.is_some_and(|u| {
            matches!(
                u,
                "year"
                    | "years"
                    | "month"
                    | "months"
                    | "week"
                    | "weeks"
                    | "day"
                    | "days"
                    | "hour"
                    | "hours"
                    | "minute"
                    | "minutes"
                    | "decade"
                    | "decades"
                    | "period"
                    | "m"
                    | "km"
                    | "metres"
                    | "meters"
                    | "miles"
                    | "kilometres"
                    | "yards"
                    | "seasons"
                    | "games"
                    | "matches"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspun_segment::Analyzer;

    type Row<'a> = (f64, Option<Hedge>, Unit, Option<String>, &'a str);

    fn q(text: &str) -> Vec<Row<'_>> {
        let toks = Analyzer::new().tokens(text, Span::new(0, text.len()));
        extract(text, &toks)
            .into_iter()
            .map(|x| {
                (
                    x.value,
                    x.hedge,
                    x.unit,
                    x.noun,
                    &text[x.span.start..x.span.end],
                )
            })
            .collect()
    }

    #[test]
    fn figures_words_scales_and_units() {
        let v = q("at least 12 people; twelve people; 12,000 troops; 1.2 million barrels; 3.5bn");
        let vals: Vec<f64> = v.iter().map(|x| x.0).collect();
        assert_eq!(vals, [12.0, 12.0, 12000.0, 1.2e6, 3.5e9]);
        assert_eq!(v[0].1, Some(Hedge::AtLeast));
        assert_eq!(v[0].4, "at least 12");
        assert_eq!(v[0].3.as_deref(), Some("peopl"));
        let v = q("a quarter point, 0.25 percentage points, 25 basis points, 5% and 5 per cent");
        assert_eq!(
            v.iter().map(|x| x.0).collect::<Vec<_>>(),
            [0.25, 0.25, 0.25, 5.0, 5.0]
        );
        assert_eq!(v[0].2, Unit::Points);
        assert_eq!(v[3].2, Unit::Percent);
        let half = q("half a point, half an hour");
        assert_eq!(half.iter().map(|x| x.0).collect::<Vec<_>>(), [0.5, 0.5]);
        assert_eq!(half[0].2, Unit::Points);
        assert_eq!(half[0].4, "half a point");
        assert_eq!(v[3].4, "5%");
        let v = q("twenty-five dogs, three hundred cats, a dozen eggs, $5 million, 40 mln dlrs");
        assert_eq!(
            v.iter().map(|x| x.0).collect::<Vec<_>>(),
            [25.0, 300.0, 12.0, 5e6, 40e6]
        );
        assert_eq!(v[3].2, Unit::Money(Some("usd".into())));
        assert_eq!(v[3].4, "$5 million");
        assert_eq!(v[4].2, Unit::Money(Some("usd".into())));
        let v = q("In February 2022, on April 26, nearly 25 years");
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].2, Unit::Year);
        assert_eq!(v[1].1, Some(Hedge::Nearly));
        // "one" alone is too often not a number.
        assert!(q("one of the officials said no one came").is_empty());
    }
}
