//! Invented outlets, bylines and credit lines.
//!
//! Derived and filler articles are published by one of [`OUTLETS`], outlets
//! that do not exist, so no real publication is implied to have copied
//! anything. A credit names the outlet of the source in one of the forms
//! real rewrites use: a wire prefix (`(Reuters) - `), a trailing
//! attribution (`..., the BBC reported.`), or `according to ...`.

use rand::Rng;

use crate::doc::{Doc, Sent};

/// The invented outlets: (name, how it is mentioned in running text).
pub(crate) const OUTLETS: &[(&str, &str)] = &[
    ("Daily Ledger", "the Daily Ledger"),
    ("Metro Wire", "Metro Wire"),
    ("The Northern Courier", "the Northern Courier"),
    ("Harbour Times", "the Harbour Times"),
    ("Capital Dispatch", "Capital Dispatch"),
    ("Evening Sentinel", "the Evening Sentinel"),
    ("Market Pulse", "Market Pulse"),
    ("Global Bulletin", "Global Bulletin"),
    ("The Weekly Record", "the Weekly Record"),
    ("City Observer", "the City Observer"),
    ("Newsline Today", "Newsline Today"),
    ("Riverside Gazette", "the Riverside Gazette"),
    ("Continental Post", "the Continental Post"),
    ("Valley Herald", "the Valley Herald"),
    ("Coastal Chronicle", "the Coastal Chronicle"),
    ("Summit Report", "Summit Report"),
    ("Union Press Service", "Union Press Service"),
    ("Beacon News", "Beacon News"),
    ("Frontline Digest", "Frontline Digest"),
    ("Open Record", "Open Record"),
];

const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Clara", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "James", "Kemi",
    "Liam", "Maya", "Nikhil", "Olga", "Peter", "Rosa", "Sam", "Tara", "Victor",
];

const LAST_NAMES: &[&str] = &[
    "Ashworth",
    "Brennan",
    "Castillo",
    "Doyle",
    "Eriksen",
    "Fletcher",
    "Gallo",
    "Hartley",
    "Iqbal",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Okafor",
    "Pereira",
    "Quinn",
    "Rahman",
    "Sato",
    "Whitfield",
];

/// How an outlet named `source` is mentioned in running text.
pub(crate) fn mention(source: &str) -> String {
    match source {
        "BBC" => "the BBC".to_string(),
        "Reuters" => "Reuters".to_string(),
        other => OUTLETS
            .iter()
            .find(|(name, _)| *name == other)
            .map_or_else(|| other.to_string(), |(_, m)| (*m).to_string()),
    }
}

/// A byline line for an article of `outlet`.
pub(crate) fn byline(rng: &mut impl Rng, outlet: &str) -> String {
    let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];
    match rng.random_range(0..3) {
        0 => format!("By {first} {last}, {outlet}"),
        1 => format!("By {first} {last} | {outlet}"),
        _ => format!("{outlet} staff"),
    }
}

/// Adds a credit naming `sources` (the outlets of the parents) to `doc`.
pub(crate) fn credit(rng: &mut impl Rng, doc: &mut Doc, sources: &[&str]) {
    let names: Vec<String> = sources.iter().map(|s| mention(s)).collect();
    let joined = match names.as_slice() {
        [] => return,
        [one] => one.clone(),
        [a, b, ..] if a == b => a.clone(),
        [a, b, ..] => format!("{a} and {b}"),
    };
    let form = rng.random_range(0..3);
    // The sentence a trailing attribution can go on: prose ending in a
    // plain full stop, not inside a quotation.
    let target = doc.positions().into_iter().take(3).find(|&(p, i)| {
        let s = &doc.paras[p][i];
        let t = &s.text;
        !s.heading
            && !s.fixed
            && t.ends_with('.')
            && !t.ends_with("..")
            && t.len() > 30
            && !t.ends_with(" reported.")
            && !t.contains("according to")
            && !t.contains(") - ")
    });
    match (form, target) {
        (0, _) if sources.len() == 1 => wire_prefix(doc, sources[0]),
        (1, Some((p, i))) => {
            let s = &mut doc.paras[p][i].text;
            s.pop();
            s.push_str(&format!(", {joined} reported."));
        }
        (2, Some((p, i))) => {
            let s = &mut doc.paras[p][i].text;
            s.pop();
            s.push_str(&format!(", according to {joined}."));
        }
        _ => {
            let line = match rng.random_range(0..3) {
                0 => format!("The story was first reported by {joined}."),
                1 => format!("This report draws on reporting by {joined}."),
                _ => format!("Additional reporting by {joined}."),
            };
            doc.paras.push(vec![Sent::new(line)]);
        }
    }
}

/// Puts `(<source>) - ` at the start of the body, after a wire dateline
/// (`NEW YORK, March 2 - `) when there is one.
fn wire_prefix(doc: &mut Doc, source: &str) {
    let Some(first) = doc.paras.first_mut().and_then(|p| p.first_mut()) else {
        return;
    };
    let t = &first.text;
    if let Some(pos) = t.find(" - ").filter(|&p| p < 60 && t[..p].contains(',')) {
        let head = &t[..pos];
        if head
            .chars()
            .filter(|c| c.is_alphabetic())
            .take(3)
            .all(char::is_uppercase)
        {
            first.text = format!("{head} ({source}){}", &t[pos..]);
            return;
        }
    }
    first.text = format!("({source}) - {t}");
}

/// Whether `text` names `source` the way [`credit`] does.
#[cfg(test)]
pub(crate) fn is_credited(text: &str, source: &str) -> bool {
    let m = mention(source);
    let bare = m.strip_prefix("the ").unwrap_or(&m);
    text.contains(&format!("({source})")) || text.contains(bare)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use unspun_segment::Segmenter;

    #[test]
    fn credits_name_the_source() {
        let text = "NEW YORK, March 2 - Shares of the company rose sharply on the news. It said more.\n\nAnother paragraph here with words.";
        for seed in 0..30 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut doc = Doc::parse(&Segmenter::new(), "T", text);
            credit(&mut rng, &mut doc, &["Reuters"]);
            let out = doc.render();
            assert!(is_credited(&out, "Reuters"), "{out}");
            if out.contains("(Reuters)") {
                assert!(
                    out.starts_with("NEW YORK, March 2 (Reuters) - Shares"),
                    "{out}"
                );
            }
            let mut doc = Doc::parse(&Segmenter::new(), "T", text);
            credit(&mut rng, &mut doc, &["BBC", "Daily Ledger"]);
            let out = doc.render();
            assert!(out.contains("the BBC and the Daily Ledger"), "{out}");
        }
    }

    #[test]
    fn outlets_are_distinct() {
        let mut names: Vec<&str> = OUTLETS.iter().map(|o| o.0).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OUTLETS.len());
        assert!(!names.contains(&"BBC") && !names.contains(&"Reuters"));
    }
}
