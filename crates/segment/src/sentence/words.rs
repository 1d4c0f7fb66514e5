//! The word lists sentence boundaries are decided by: abbreviations that
//! bind to the next word or often end a sentence, common sentence starters,
//! and verbs of speech.

/// How an abbreviation ending in `.` affects a following sentence boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Abbrev {
    /// Binds to the next word (titles: `Mr.`, `Gen.`, `Mt.`, `vs.`): never a
    /// boundary.
    Title,
    /// `No.` / `Nos.`: no boundary before a digit (`No. 10`); elsewhere an
    /// ordinary word ("He said no. The").
    Number,
    /// Often ends a sentence (`Inc.`, `Jr.`, `St.`, `Jan.`, `U.S.`, `a.m.`): a
    /// boundary only before a common sentence starter ("The", "He", ...).
    Trailing,
}

/// Titles and other abbreviations that always bind to the next word.
pub(super) const TITLES: &[&str] = &[
    "Adm", "Atty", "Brig", "Capt", "Cmdr", "Col", "Cpl", "Det", "Dr", "Drs", "Fr", "Ft", "Gen",
    "Gens", "Gov", "Govs", "Hon", "Insp", "Lt", "Maj", "Messrs", "Mmes", "Mr", "Mrs", "Ms", "Msgr",
    "Mt", "Mx", "Pres", "Prof", "Pvt", "Rep", "Reps", "Rev", "Sen", "Sens", "Sgt", "Supt", "v",
    "vs",
];

/// Abbreviations that often end a sentence: company suffixes, name suffixes,
/// street types, months, AP-style US state names, and a few others.
pub(super) const TRAILING: &[&str] = &[
    // companies, names, places
    "Inc", "Corp", "Ltd", "Co", "Bros", "Jr", "Sr", "Dept", "Univ", "Ave", "Blvd", "St", "Rd",
    "approx", "est", "etc", "al", // months
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    // AP-style states
    "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Kans",
    "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore",
    "Pa", "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wyo",
];

/// Capitalised words that almost always start a sentence. After a trailing
/// abbreviation (`U.S.`, `p.m.`, `Inc.`) only these make a boundary: "moved to
/// the U.S. The company said" splits, "the U.S. President" does not. Titles
/// are deliberately absent: "U.S. Sen. Graham" is one noun phrase.
pub(super) const STARTERS: &[&str] = &[
    "A",
    "According",
    "After",
    "Also",
    "Although",
    "An",
    "And",
    "Another",
    "As",
    "At",
    "Because",
    "Before",
    "Both",
    "But",
    "By",
    "Despite",
    "During",
    "Each",
    "Earlier",
    "For",
    "From",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "Instead",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "Most",
    "My",
    "No",
    "Now",
    "On",
    "Or",
    "Our",
    "Several",
    "She",
    "Since",
    "So",
    "Some",
    "Still",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "To",
    "Under",
    "Until",
    "We",
    "What",
    "When",
    "Where",
    "Which",
    "While",
    "Who",
    "Why",
    "With",
    "Without",
    "Yet",
    "You",
    "Your",
];

/// Verbs of speech. `“Stop the bloodshed.” Trump said.` is one sentence: a
/// quotation closed after terminal punctuation does not end the sentence when
/// a short capitalised name is followed by one of these.
pub(super) const SPEECH_VERBS: &[&str] = &[
    "added",
    "adds",
    "answered",
    "argued",
    "asked",
    "asks",
    "concluded",
    "continued",
    "declared",
    "explained",
    "insisted",
    "mentioned",
    "noted",
    "posted",
    "recalled",
    "remarked",
    "replied",
    "replies",
    "responded",
    "said",
    "say",
    "says",
    "shouted",
    "stated",
    "tells",
    "told",
    "tweeted",
    "warned",
    "writes",
    "wrote",
];

pub(super) fn is_starter(word: &str) -> bool {
    STARTERS.binary_search(&word).is_ok()
}

/// Whether `s` starts with a short capitalised name followed by a verb of
/// speech ("Trump said", "Mr. Trump wrote", "He told").
pub(super) fn speech_follows(s: &str) -> bool {
    for (k, raw) in s.split_whitespace().take(6).enumerate() {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if k > 0 && SPEECH_VERBS.binary_search(&w).is_ok() {
            return true;
        }
        if !w.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted() {
        for list in [STARTERS, SPEECH_VERBS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }
}
