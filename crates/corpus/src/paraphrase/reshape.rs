//! Step 2, trimming and reshaping: a short parenthesis or a `, which ...,`
//! clause left out; `has agreed to` → `agreed to`; two nouns joined by
//! `and` swapped; `the start of the season` → `the season's start`; dates
//! reordered; `, saying` → `and said`; small numbers in words or figures;
//! `will` → `is set to` / `are going to`.

use rand::Rng;

use crate::words::{Lexicon, Word};

/// Leaves out what rewrites often leave out: a short parenthesis
/// (`(SEC)`), a non-restrictive `, which ...,` clause.
pub(super) fn trim(words: &mut Vec<Word>, rng: &mut impl Rng) {
    let n = words.len();
    // A parenthesis of up to eight words, not at the start, not a credit.
    if let Some(open) = (1..n).find(|&i| words[i].pre.starts_with('(')) {
        if let Some(close) = (open..n.min(open + 8)).find(|&i| words[i].post.contains(')')) {
            let inner: Vec<&str> = words[open..=close]
                .iter()
                .map(|w| w.core.as_str())
                .collect();
            if close + 1 < n && !inner.contains(&"Reuters") && rng.random_bool(0.6) {
                let rest = words[close].post.replacen(')', "", 1);
                words[open - 1].post.push_str(&rest);
                words.drain(open..=close);
            }
        }
    }
    let n = words.len();
    // ", which ... ," closed before the end of the sentence.
    if let Some(k) = (1..n.saturating_sub(3)).find(|&k| {
        words[k].post == "," && words[k + 1].core == "which" && words[k + 1].pre.is_empty()
    }) {
        if let Some(m) = (k + 2..n.min(k + 14)).find(|&m| !words[m].post.is_empty()) {
            if words[m].post == ","
                && m + 2 < n
                && !words[k + 1..=m].iter().any(Word::has_quote)
                && rng.random_bool(0.5)
            {
                words[k].post.clear();
                words.drain(k + 1..=m);
            }
        }
    }
}

pub(super) const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const SMALL_NUMBERS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// Words a possessive may be followed by (so `the start of the season` is
/// a whole noun phrase).
const AFTER_NP: &[&str] = &[
    "in", "on", "at", "to", "and", "was", "were", "is", "are", "has", "have", "had", "will",
    "would", "for", "by", "with", "from", "as", "that", "which", "said", "rose", "fell", "could",
    "may", "might", "after", "before", "since", "but", "or", "than", "this", "last", "next",
];

/// Small word-order and form changes: `has agreed` → `agreed`, `France and
/// Germany` → `Germany and France`, `the start of the season` → `the
/// season's start`, `the president of France` → `France's president`,
/// `two years` ↔ `2 years`.
pub(super) fn reshape(words: &mut Vec<Word>, lexicon: &Lexicon, rng: &mut impl Rng) {
    let mut i = 0;
    while i < words.len() {
        let n = words.len();
        let plain = |w: &Word| w.pre.is_empty() && w.post.is_empty();
        let lower_alpha =
            |w: &Word| !w.core.is_empty() && w.core.chars().all(|c| c.is_ascii_lowercase());
        // has/have + participle → simple past.
        if i + 1 < n
            && matches!(words[i].core.as_str(), "has" | "have")
            && plain(&words[i])
            && words[i + 1].pre.is_empty()
            && lower_alpha_ed(&words[i + 1].core)
            && (!words[i + 1].post.is_empty()
                || words.get(i + 2).is_some_and(|w| {
                    w.pre.is_empty()
                        && (AFTER_VERB.contains(&w.core.as_str())
                            || w.core.starts_with(|c: char| c.is_ascii_digit()))
                }))
            && rng.random_bool(0.7)
        {
            words.remove(i);
            continue;
        }
        // Name and Name → swapped.
        if i > 0
            && i + 3 <= n
            && words[i + 1].core == "and"
            && plain(&words[i])
            && plain(&words[i + 1])
            && words[i + 2].pre.is_empty()
            && words[i].is_capitalized()
            && words[i + 2].is_capitalized()
            && words[i].core.chars().all(char::is_alphabetic)
            && words[i + 2].core.chars().all(char::is_alphabetic)
            && !words[i - 1].is_capitalized()
            && words.get(i + 3).is_none_or(|w| !w.is_capitalized())
            && !lexicon.is_common(&words[i].core)
            && !lexicon.is_common(&words[i + 2].core)
            && rng.random_bool(0.7)
        {
            let post = words[i + 2].post.clone();
            let a = words[i].core.clone();
            words[i].core = words[i + 2].core.clone();
            words[i + 2].core = a;
            words[i + 2].post = post;
            i += 3;
            continue;
        }
        // the X of the Y → the Y's X ; the X of Name → Name's X.
        if i + 4 < n
            && words[i].core == "the"
            && plain(&words[i])
            && plain(&words[i + 1])
            && lower_alpha(&words[i + 1])
            && words[i + 2].core == "of"
            && plain(&words[i + 2])
        {
            let np_end = |k: usize| {
                !words[k].post.is_empty()
                    || words
                        .get(k + 1)
                        .is_none_or(|w| AFTER_NP.contains(&w.core.as_str()) && w.pre.is_empty())
            };
            let name = &words[i + 3];
            if name.is_capitalized()
                && name.pre.is_empty()
                && name.core.chars().all(char::is_alphabetic)
                && !lexicon.is_common(&name.core)
                && np_end(i + 3)
                && rng.random_bool(0.6)
            {
                let post = words[i + 3].post.clone();
                let x = words[i + 1].core.clone();
                let keep_the_cap = words[i].core.clone();
                let _ = keep_the_cap;
                let mut poss = Word::plain(format!("{}'s", words[i + 3].core));
                poss.pre = words[i].pre.clone();
                let mut noun = Word::plain(x);
                noun.post = post;
                words.splice(i..i + 4, [poss, noun]);
                i += 2;
                continue;
            }
            if i + 5 <= n
                && words[i + 3].core == "the"
                && plain(&words[i + 3])
                && words[i + 4].pre.is_empty()
                && lower_alpha(&words[i + 4])
                && np_end(i + 4)
                && rng.random_bool(0.6)
            {
                let post = words[i + 4].post.clone();
                let x = words[i + 1].core.clone();
                let y = words[i + 4].core.clone();
                let poss = if y.ends_with('s') {
                    format!("{y}'")
                } else {
                    format!("{y}'s")
                };
                let mut noun = Word::plain(x);
                noun.post = post;
                words.splice(i..i + 5, [Word::plain("the"), Word::plain(poss), noun]);
                i += 3;
                continue;
            }
        }
        // April 5 ↔ 5 April.
        if i + 1 < n && plain(&words[i]) && words[i + 1].pre.is_empty() {
            let day = words[i + 1]
                .core
                .parse::<u32>()
                .ok()
                .filter(|d| (1..=31).contains(d));
            if MONTHS.contains(&words[i].core.as_str()) && day.is_some() && rng.random_bool(0.7) {
                let post = words[i + 1].post.clone();
                words.swap(i, i + 1);
                words[i + 1].post = post;
                words[i].post.clear();
                i += 2;
                continue;
            }
        }
        // X did Y, saying Z → X did Y and said Z.
        if i + 1 < n && i > 0 && words[i].post == "," && words[i + 1].pre.is_empty() {
            let past = match words[i + 1].core.as_str() {
                "saying" => Some("said"),
                "adding" => Some("added"),
                "citing" => Some("cited"),
                "noting" => Some("noted"),
                "warning" => Some("warned"),
                _ => None,
            };
            if let Some(past) = past.filter(|_| rng.random_bool(0.8)) {
                words[i].post.clear();
                words[i + 1].core = past.to_string();
                words.insert(i + 1, Word::plain("and"));
                i += 3;
                continue;
            }
        }
        // But X → However, X.
        if i == 0 && words[0].core == "But" && plain(&words[0]) && rng.random_bool(0.7) {
            words[0].core = "However".into();
            words[0].post = ",".into();
            if n > 1 {
                lexicon.demote(&mut words[1]);
            }
        }
        // will → is set to / are going to.
        if i > 0 && words[i].core == "will" && plain(&words[i]) && rng.random_bool(0.5) {
            if let Some(form) = will_form(&words[i - 1], rng) {
                let parts: Vec<Word> = form.split(' ').map(Word::plain).collect();
                let k = parts.len();
                words.splice(i..=i, parts);
                i += k;
                continue;
            }
        }
        // two years ↔ 2 years.
        if i + 1 < n
            && plain(&words[i])
            && words[i + 1].core.ends_with('s')
            && words[i + 1].pre.is_empty()
        {
            if let Some(k) = SMALL_NUMBERS.iter().position(|&w| w == words[i].core) {
                if rng.random_bool(0.6) {
                    words[i].core = (k + 2).to_string();
                }
            } else if let Some(d) = words[i]
                .core
                .parse::<usize>()
                .ok()
                .filter(|d| (2..=9).contains(d))
            {
                if i > 0 && rng.random_bool(0.6) {
                    words[i].core = SMALL_NUMBERS[d - 2].to_string();
                }
            }
        }
        i += 1;
    }
}

/// Words that show a participle after `has` is a verb (`has agreed to`,
/// `has raised its`), not an adjective (`has limited resources`).
const AFTER_VERB: &[&str] = &[
    "the", "a", "an", "its", "his", "her", "their", "to", "that", "on", "in", "for", "by", "with",
    "from", "it", "them", "this", "these", "some", "all", "about", "up", "out",
];

/// A lower-case past participle in -ed of five letters or more.
fn lower_alpha_ed(core: &str) -> bool {
    core.len() >= 5 && core.ends_with("ed") && core.chars().all(|c| c.is_ascii_lowercase())
}

/// Words after which `will` has a plural subject.
const PLURAL_SUBJECTS: &[&str] = &[
    "they", "we", "you", "both", "many", "some", "others", "these", "those",
];

/// `will` → `is set to` / `are set to`, the number guessed from the word
/// before (a pronoun, or a noun ending in `s`); `None` when unsure.
fn will_form(prev: &Word, rng: &mut impl Rng) -> Option<&'static str> {
    if !prev.post.is_empty() {
        return None;
    }
    let p = prev.core.to_lowercase();
    let plural = if PLURAL_SUBJECTS.contains(&p.as_str()) {
        true
    } else if matches!(
        p.as_str(),
        "it" | "he"
            | "she"
            | "this"
            | "that"
            | "company"
            | "firm"
            | "government"
            | "group"
            | "bank"
    ) {
        false
    } else if p.ends_with('s')
        && !p.ends_with("ss")
        && !p.ends_with("us")
        && !p.ends_with("is")
        && !p.ends_with('\'')
        && !p.contains('\'')
    {
        true
    } else if p.chars().all(|c| c.is_ascii_lowercase()) && p.len() > 3 && !p.ends_with("ly") {
        false
    } else {
        return None;
    };
    Some(match (plural, rng.random_range(0..2)) {
        (false, 0) => "is set to",
        (false, _) => "is going to",
        (true, 0) => "are set to",
        (true, _) => "are going to",
    })
}
