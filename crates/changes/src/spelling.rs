//! US / UK spelling variants ("program" / "programme", "color" / "colour",
//! "organize" / "organise", "traveled" / "travelled", "center" / "centre",
//! "defense" / "defence"): style guides allow a quotation to be respelled in
//! the house style, so a quote whose only differences are these is kept,
//! not altered (issue 15).
//!
//! Both words are brought to one spelling by the regular British → American
//! correspondences and compared; a pair is a variant only when the two
//! differ and meet.

/// Word endings: British → American.
const ENDINGS: &[(&str, &str)] = &[
    ("isation", "ization"),
    ("isations", "izations"),
    ("ise", "ize"),
    ("ises", "izes"),
    ("ised", "ized"),
    ("ising", "izing"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("ysing", "yzing"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("logue", "log"),
    ("logues", "logs"),
    ("tre", "ter"),
    ("tres", "ters"),
    ("ence", "ense"),
    ("ences", "enses"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ller", "ler"),
    ("llers", "lers"),
];

/// `w` (lower case) in American spelling, as far as the rules go.
fn american(w: &str) -> String {
    let mut w = w.to_string();
    // "colour", "favourite", "honours", "labour": "our" before the end or a
    // suffix. "four", "hour", "our", "tour", "pour", "flour" keep theirs.
    if let Some(i) = w.find("our") {
        let before = &w[..i];
        if before.len() >= 3 && !before.ends_with(['f', 'h', 't', 'p', 'y']) {
            w.replace_range(i..i + 3, "or");
        }
    }
    for (uk, us) in ENDINGS {
        if let Some(stem) = w.strip_suffix(uk) {
            // Short endings need a stem ("rise" is no "-ise" word); the
            // whole-word ones ("programme") do not.
            if stem.len() >= 2 || uk.len() >= 6 {
                return format!("{stem}{us}");
            }
        }
    }
    w
}

/// Whether `a` and `b` (normalised words) are two spellings of one word,
/// one American, one British.
pub(crate) fn variants(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a != b && american(&a) == american(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn us_and_uk_spellings_meet() {
        for (a, b) in [
            ("program", "programme"),
            ("programs", "programmes"),
            ("color", "colour"),
            ("favorite", "favourite"),
            ("labor", "labour"),
            ("organize", "organise"),
            ("organization", "organisation"),
            ("analyze", "analyse"),
            ("center", "centre"),
            ("defense", "defence"),
            ("traveled", "travelled"),
            ("catalog", "catalogue"),
        ] {
            assert!(variants(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn different_words_do_not() {
        for (a, b) in [
            ("four", "for"),
            ("hour", "hor"),
            ("rise", "rize"),
            ("program", "programs"),
            ("fell", "fel"),
            ("ten", "tens"),
            ("licence", "licence"),
            ("detour", "detor"),
        ] {
            assert!(!variants(a, b), "{a} / {b}");
        }
    }
}
