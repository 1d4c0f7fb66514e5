//! Grammatical transforms the clause moves use: direct speech made
//! reported speech, and a passive with an agent made active.

use crate::words::{capitalize, match_case, Lexicon, Word};

/// A quotation (`"We will win,"`) as reported speech (`they would win.`):
/// quotation marks removed, first person plural to third, verbs shifted
/// back. `None` for quotations in the first person singular or addressed
/// to someone (which need a speaker's name or gender), and for questions.
pub(super) fn indirect_speech(quote: &[Word]) -> Option<Vec<Word>> {
    let mut out: Vec<Word> = Vec::with_capacity(quote.len());
    for (i, w) in quote.iter().enumerate() {
        let lower = w.core.to_lowercase();
        if matches!(
            lower.as_str(),
            "i" | "me"
                | "my"
                | "mine"
                | "myself"
                | "i'm"
                | "i've"
                | "i'd"
                | "i'll"
                | "you"
                | "your"
                | "yours"
                | "you're"
                | "you've"
        ) || w.post.contains('?')
            || (i > 0 && w.pre.contains(['"', '“']))
            || (i + 1 < quote.len() && w.post.contains(['"', '”']))
        {
            return None;
        }
        let shifted = match lower.as_str() {
            "we" => "they",
            "us" => "them",
            "our" => "their",
            "ours" => "theirs",
            "ourselves" => "themselves",
            "we're" => "they were",
            "we've" => "they had",
            "we'll" => "they would",
            "is" => "was",
            "are" => "were",
            "am" => "was",
            "has" => "had",
            "have" => "had",
            "will" => "would",
            "can" => "could",
            "shall" => "should",
            "may" => "might",
            "won't" => "would not",
            "can't" => "could not",
            "isn't" => "was not",
            "aren't" => "were not",
            "don't" => "did not",
            "doesn't" => "did not",
            "do" => "did",
            "does" => "did",
            "it's" => "it was",
            "there's" => "there was",
            "that's" => "that was",
            _ => "",
        };
        let mut core = if shifted.is_empty() {
            w.core.clone()
        } else {
            match_case(&w.core, shifted)
        };
        if i == 0 && !shifted.is_empty() {
            core = crate::words::decapitalize(&core);
        }
        let pre: String = w.pre.chars().filter(|c| !matches!(c, '"' | '“')).collect();
        let post: String = w.post.chars().filter(|c| !matches!(c, '"' | '”')).collect();
        let parts: Vec<&str> = core.split(' ').collect();
        let k = parts.len();
        for (j, part) in parts.into_iter().enumerate() {
            out.push(Word {
                pre: if j == 0 { pre.clone() } else { String::new() },
                core: part.to_string(),
                post: if j + 1 == k {
                    post.clone()
                } else {
                    String::new()
                },
            });
        }
    }
    let last = out.len().checked_sub(1)?;
    out[last].post = ".".into();
    Some(out)
}

/// Past participles whose simple past differs, for passive → active.
const IRREGULAR: &[(&str, &str)] = &[
    ("taken", "took"),
    ("given", "gave"),
    ("written", "wrote"),
    ("seen", "saw"),
    ("chosen", "chose"),
    ("driven", "drove"),
    ("beaten", "beat"),
    ("shown", "showed"),
    ("known", "knew"),
    ("broken", "broke"),
    ("won", "won"),
    ("bought", "bought"),
    ("sold", "sold"),
    ("made", "made"),
    ("held", "held"),
    ("led", "led"),
    ("hit", "hit"),
    ("built", "built"),
    ("paid", "paid"),
    ("caught", "caught"),
    ("brought", "brought"),
    ("sent", "sent"),
    ("set", "set"),
    ("cut", "cut"),
    ("run", "ran"),
    ("struck", "struck"),
    ("found", "found"),
    ("told", "told"),
    ("backed", "backed"),
];

/// `A was acquired by B.` → `B acquired A.`
pub(super) fn passive_to_active(words: &[Word], lexicon: &Lexicon) -> Option<Vec<Word>> {
    let n = words.len();
    if n < 6 || words[n - 1].post != "." || words.iter().any(Word::has_quote) {
        return None;
    }
    let aux = (1..n.min(9)).find(|&i| matches!(words[i].core.as_str(), "was" | "were"))?;
    let part = words.get(aux + 1)?;
    let by = words.get(aux + 2)?;
    if by.core != "by" || words[..aux + 2].iter().any(|w| !w.post.is_empty()) {
        return None;
    }
    let p = part.core.to_lowercase();
    let past = if let Some(&(_, past)) = IRREGULAR.iter().find(|(pp, _)| *pp == p) {
        past.to_string()
    } else if p.ends_with("ed") && p.len() > 4 {
        p.clone()
    } else {
        return None;
    };
    let agent = &words[aux + 3..];
    if agent.is_empty()
        || agent.len() > 8
        || agent[..agent.len() - 1].iter().any(|w| !w.post.is_empty())
    {
        return None;
    }
    let mut out: Vec<Word> = agent.to_vec();
    out[0].core = capitalize(&out[0].core);
    let al = out.len() - 1;
    out[al].post.clear();
    out.push(Word::plain(match_case(&part.core, &past)));
    let mut patient = words[..aux].to_vec();
    lexicon.demote(&mut patient[0]);
    let pl = patient.len() - 1;
    patient[pl].post = ".".into();
    out.extend(patient);
    Some(out)
}
