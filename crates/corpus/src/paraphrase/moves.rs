//! Step 3, clause moves: an attribution moved to the front or the back, a
//! quotation made reported speech, a leading phrase moved to the end or a
//! trailing time phrase to the front, a passive made active, a long
//! sentence split at a conjunction.

use rand::seq::SliceRandom;
use rand::Rng;

use super::grammar::{indirect_speech, passive_to_active};
use super::reshape::MONTHS;
use super::Paraphraser;
use crate::words::{capitalize, Word};

/// Words that show what follows `said` is not the reported clause
/// (`said in a statement that ...`, `said on Friday ...`).
const NOT_CLAUSE_START: &[&str] = &[
    "in",
    "on",
    "at",
    "to",
    "after",
    "before",
    "during",
    "for",
    "with",
    "from",
    "by",
    "about",
    "late",
    "earlier",
    "yesterday",
    "today",
    "tomorrow",
    "last",
    "this",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "through",
    "via",
    "recently",
    "separately",
    "however",
    "also",
    "further",
    "previously",
    "there",
    "without",
    "under",
];

/// Reporting verbs that can head a moved attribution.
const SAY_VERBS: &[&str] = &[
    "said",
    "says",
    "added",
    "stated",
    "explained",
    "noted",
    "warned",
    "told",
    "insisted",
    "argued",
    "claimed",
];

/// Words opening a leading phrase that can move to the end of its sentence.
const LEAD_PREPS: &[&str] = &[
    "on",
    "in",
    "at",
    "by",
    "during",
    "after",
    "before",
    "since",
    "following",
    "despite",
    "under",
    "within",
    "over",
    "for",
    "throughout",
    "last",
    "earlier",
    "with",
    "amid",
    "as",
    "from",
    "according",
    "until",
    "without",
    "through",
    "among",
    "unlike",
    "like",
    "to",
];

/// Words opening a subordinate clause that can move to the end.
const SUBORDINATORS: &[&str] = &[
    "although", "while", "when", "because", "if", "after", "before", "since", "unless", "though",
    "whereas", "once", "as",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Words that can start an independent clause after `, and` / `, but`.
const SUBJECT_STARTS: &[&str] = &[
    "the",
    "a",
    "an",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "this",
    "that",
    "these",
    "those",
    "its",
    "his",
    "her",
    "their",
    "there",
    "some",
    "many",
    "most",
    "analysts",
    "officials",
    "prices",
    "shares",
    "sales",
    "profits",
    "other",
    "several",
    "both",
    "no",
    "one",
    "our",
];

impl Paraphraser<'_> {
    /// Applies one clause-level move, chosen at random among those that
    /// fit, and sometimes a second one that does not undo the first.
    pub(super) fn restructure(&self, words: Vec<Word>, rng: &mut impl Rng) -> Vec<Vec<Word>> {
        let Some((first, out)) = self.one_move(&words, None, rng) else {
            return vec![words];
        };
        if out.len() == 1 && rng.random_bool(0.6) {
            if let Some((_, again)) = self.one_move(&out[0], Some(first), rng) {
                return again;
            }
        }
        out
    }

    /// One clause move (op 0–5), never `avoid` nor its inverse.
    fn one_move(
        &self,
        words: &[Word],
        avoid: Option<u8>,
        rng: &mut impl Rng,
    ) -> Option<(u8, Vec<Vec<Word>>)> {
        // Inverse pairs: attribution front/back (0, 1), lead back/time front (2, 3).
        let family = |op: u8| match op {
            0 | 1 => 0,
            2 | 3 => 1,
            4 => 2,
            _ => 3,
        };
        let allowed = |op: u8| avoid.is_none_or(|a| family(a) != family(op));
        // Attribution moves are the most common and most telling; try them first.
        if allowed(0) {
            if let Some(w) = self.attribution_to_front(words, rng) {
                return Some((0, vec![w]));
            }
        }
        let mut order = [1u8, 2, 3, 4, 5];
        order.shuffle(rng);
        for op in order.into_iter().filter(|&op| allowed(op)) {
            let r = match op {
                1 => self.attribution_to_back(words, rng).map(|w| vec![w]),
                2 => self.lead_to_back(words).map(|w| vec![w]),
                3 => self.time_to_front(words).map(|w| vec![w]),
                4 => passive_to_active(words, self.lexicon).map(|w| vec![w]),
                _ => self.split_at_conjunction(words, rng),
            };
            if let Some(r) = r {
                return Some((op, r));
            }
        }
        None
    }

    /// `A, S said [on Tuesday].` → `S said [on Tuesday] [that] A.`, and
    /// `"Q," S said.` → `S said: "Q."`; also `A, said S.`
    fn attribution_to_front(&self, words: &[Word], rng: &mut impl Rng) -> Option<Vec<Word>> {
        let n = words.len();
        if n < 6 || words[n - 1].post != "." {
            return None;
        }
        // The comma closing clause A.
        let k = (3..n - 2).rev().find(|&k| {
            words[k].post.starts_with(',') || words[k].post == "\"," || words[k].post == "”,"
        })?;
        let comma_quote = words[k].post.contains(['"', '”']);
        let tail = &words[k + 1..];
        if tail.len() > 9 || tail[..tail.len() - 1].iter().any(|w| !w.post.is_empty()) {
            return None;
        }
        if tail.iter().any(|w| !w.pre.is_empty()) {
            return None;
        }
        let v = tail
            .iter()
            .position(|w| SAY_VERBS.contains(&w.core.to_lowercase().as_str()))?;
        let (subject, verb, after): (Vec<Word>, Word, Vec<Word>) = if v == 0 {
            // "A, said the company." (inverted): subject follows.
            if tail.len() < 2 || tail.len() > 6 {
                return None;
            }
            (tail[1..].to_vec(), tail[0].clone(), Vec::new())
        } else {
            if v > 5 || tail.len() - v - 1 > 4 {
                return None;
            }
            (tail[..v].to_vec(), tail[v].clone(), tail[v + 1..].to_vec())
        };
        let mut clause: Vec<Word> = words[..=k].to_vec();
        let is_quote = clause[0].pre.contains(['"', '“']) && comma_quote;
        let mut out: Vec<Word> = Vec::with_capacity(n + 2);
        let mut subject = subject;
        for w in &mut subject {
            w.post.clear();
        }
        if let Some(f) = subject.first_mut() {
            f.core = capitalize(&f.core);
        }
        out.extend(subject);
        let mut verb = verb;
        verb.post.clear();
        verb.core = verb.core.to_lowercase();
        out.push(verb);
        let mut after = after;
        for w in &mut after {
            w.post.clear();
        }
        let had_after = !after.is_empty();
        out.extend(after);
        let last = clause.len() - 1;
        if is_quote {
            if let Some(indirect) = indirect_speech(&clause).filter(|_| rng.random_bool(0.7)) {
                if rng.random_bool(0.5) {
                    out.push(Word::plain("that"));
                }
                out.extend(indirect);
                return Some(out);
            }
            if let Some(o) = out.last_mut() {
                o.post = ":".into();
            }
            let close = if clause[last].post.contains('”') {
                "”"
            } else {
                "\""
            };
            clause[last].post = format!(".{close}");
        } else {
            if clause.iter().any(Word::has_quote) {
                return None;
            }
            if had_after || rng.random_bool(0.5) {
                out.push(Word::plain("that"));
            }
            self.lexicon.demote(&mut clause[0]);
            clause[last].post = ".".into();
        }
        out.extend(clause);
        Some(out)
    }

    /// `S said [that] A.` → `A, S said.` or `According to S, A.` (S short,
    /// A long, no quotation).
    fn attribution_to_back(&self, words: &[Word], rng: &mut impl Rng) -> Option<Vec<Word>> {
        let n = words.len();
        if n < 7 || words[n - 1].post != "." || words.iter().any(Word::has_quote) {
            return None;
        }
        let v = (1..=6).find(|&v| {
            v < n
                && matches!(
                    words[v].core.to_lowercase().as_str(),
                    "said" | "says" | "stated" | "added" | "noted"
                )
        })?;
        if words[..=v]
            .iter()
            .any(|w| !w.post.is_empty() || !w.pre.is_empty())
        {
            return None;
        }
        let mut a_start = v + 1;
        if words.get(a_start).is_some_and(|w| w.core == "that") {
            a_start += 1;
        }
        let mut clause = words.get(a_start..)?.to_vec();
        if clause.len() < 5 || NOT_CLAUSE_START.contains(&clause[0].core.to_lowercase().as_str()) {
            return None;
        }
        clause[0].core = capitalize(&clause[0].core);
        let mut subject = words[..v].to_vec();
        let pronoun = subject.len() == 1
            && matches!(
                subject[0].core.to_lowercase().as_str(),
                "he" | "she" | "it" | "they" | "we" | "i"
            );
        if !pronoun && rng.random_bool(0.4) {
            // According to S, A.
            self.lexicon.demote(&mut subject[0]);
            let mut out = vec![Word::plain("According"), Word::plain("to")];
            let sl = subject.len() - 1;
            subject[sl].post = ",".into();
            out.extend(subject);
            out.extend(clause);
            return Some(out);
        }
        let last = clause.len() - 1;
        clause[last].post = ",".into();
        self.lexicon.demote(&mut subject[0]);
        let mut verb = words[v].clone();
        verb.post = ".".into();
        clause.extend(subject);
        clause.push(verb);
        Some(clause)
    }

    /// `On Tuesday, X did Y.` → `X did Y on Tuesday.`; also leading
    /// subordinate clauses (`Although A, B.` → `B, although A.`).
    fn lead_to_back(&self, words: &[Word]) -> Option<Vec<Word>> {
        let n = words.len();
        if n < 6 || words[n - 1].post != "." {
            return None;
        }
        let first = words[0].core.to_lowercase();
        let sub = SUBORDINATORS.contains(&first.as_str());
        let prep = LEAD_PREPS.contains(&first.as_str());
        if !(sub || prep) || !words[0].pre.is_empty() {
            return None;
        }
        let limit = if sub { 14 } else { 8 };
        let k = (1..n.min(limit + 1)).find(|&k| !words[k].post.is_empty())?;
        if words[k].post != "," || words[..k].iter().any(|w| !w.pre.is_empty()) {
            return None;
        }
        let rest = &words[k + 1..];
        if rest.len() < 4 || rest.iter().any(Word::has_quote) {
            return None;
        }
        let mut out: Vec<Word> = rest.to_vec();
        out[0].core = capitalize(&out[0].core);
        let last = out.len() - 1;
        let comma = sub && matches!(first.as_str(), "although" | "while" | "though" | "whereas");
        out[last].post = if comma { ",".into() } else { String::new() };
        let mut phrase = words[..=k].to_vec();
        self.lexicon.demote(&mut phrase[0]);
        phrase[k].post = ".".into();
        out.extend(phrase);
        Some(out)
    }

    /// `X did Y on Tuesday.` → `On Tuesday, X did Y.`
    fn time_to_front(&self, words: &[Word]) -> Option<Vec<Word>> {
        let n = words.len();
        if n < 8 || words[n - 1].post != "." || words.iter().any(Word::has_quote) {
            return None;
        }
        let last = words[n - 1].core.to_lowercase();
        let prev = words[n - 2].core.to_lowercase();
        let prev2 = words[n - 3].core.to_lowercase();
        let is_month = |w: &Word| MONTHS.contains(&w.core.as_str());
        let period = matches!(last.as_str(), "week" | "month" | "year" | "quarter");
        let len = if (WEEKDAYS.contains(&last.as_str()) && prev == "on")
            || (period && matches!(prev.as_str(), "last" | "this" | "next"))
            || (is_month(&words[n - 1]) && matches!(prev.as_str(), "in" | "since" | "until"))
        {
            2
        } else if (period && prev == "the" && matches!(prev2.as_str(), "during" | "in" | "over"))
            || (words[n - 1]
                .core
                .parse::<u32>()
                .is_ok_and(|d| (1..=31).contains(&d))
                && is_month(&words[n - 2])
                && prev2 == "on")
        {
            3
        } else if matches!(last.as_str(), "yesterday" | "today") {
            1
        } else {
            return None;
        };
        if !words[n - len - 1].post.is_empty()
            || words[n - len..n - 1].iter().any(|w| !w.post.is_empty())
        {
            return None;
        }
        let mut phrase: Vec<Word> = words[n - len..].to_vec();
        phrase[0].core = capitalize(&phrase[0].core);
        phrase[len - 1].post = ",".into();
        let mut rest: Vec<Word> = words[..n - len].to_vec();
        self.lexicon.demote(&mut rest[0]);
        let rl = rest.len() - 1;
        rest[rl].post = ".".into();
        phrase.extend(rest);
        Some(phrase)
    }

    /// Splits a long sentence in two: `A, and B.` → `A. B.`; `A, but B.` →
    /// `A. However, B.` (B with a subject); `A; B.` → `A. B.`; `A, which
    /// B.` → `A. This B.`; `A, while B.` → `A. Meanwhile, B.`
    fn split_at_conjunction(&self, words: &[Word], rng: &mut impl Rng) -> Option<Vec<Vec<Word>>> {
        let n = words.len();
        if n < 12 || words.iter().any(Word::has_quote) {
            return None;
        }
        let k = (4..n.saturating_sub(5)).find(|&k| {
            let next = &words[k + 1];
            (words[k].post == ";" && next.pre.is_empty())
                || (words[k].post == ","
                    && next.pre.is_empty()
                    && next.post.is_empty()
                    && (matches!(next.core.as_str(), "which" | "while")
                        || (matches!(next.core.as_str(), "and" | "but")
                            && (SUBJECT_STARTS
                                .contains(&words[k + 2].core.to_lowercase().as_str())
                                || words[k + 2].is_capitalized()))))
        })?;
        let mut a = words[..=k].to_vec();
        a[k].post = ".".into();
        let opener = |text: &str, comma: bool| {
            let mut w = Word::plain(text);
            if comma {
                w.post = ",".into();
            }
            w
        };
        let mut b: Vec<Word> = Vec::new();
        match (words[k].post.as_str(), words[k + 1].core.as_str()) {
            (";", _) => b.extend(words[k + 1..].iter().cloned()),
            (_, "but") => {
                let o = ["However", "Still", "Yet"][rng.random_range(0..3)];
                b.push(opener(o, o != "Yet"));
                b.extend(words[k + 2..].iter().cloned());
            }
            (_, "which") => {
                b.push(opener(
                    if rng.random_bool(0.7) { "It" } else { "This" },
                    false,
                ));
                b.extend(words[k + 2..].iter().cloned());
            }
            (_, "while") => {
                b.push(opener("Meanwhile", true));
                b.extend(words[k + 2..].iter().cloned());
            }
            _ => b.extend(words[k + 2..].iter().cloned()),
        }
        if b.len() < 4 {
            return None;
        }
        if b[0].post.is_empty() && b[0].core.chars().next().is_some_and(char::is_lowercase) {
            b[0].core = capitalize(&b[0].core);
        } else if b.len() > 1 && b[0].post == "," {
            self.lexicon.demote(&mut b[1]);
        }
        Some(vec![a, b])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::{join, split, Lexicon};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn lex() -> Lexicon {
        Lexicon::learn(
            [
                "x The company rose.",
                "x the firm and the shares and on this in that",
            ]
            .into_iter(),
        )
    }

    fn structural(s: &str) -> Vec<String> {
        let l = lex();
        let p = Paraphraser::new(&l);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let words = split(s);
        p.restructure(words, &mut rng)
            .iter()
            .map(|w| join(w))
            .collect()
    }

    #[test]
    fn attribution_moves() {
        let out = structural("Sales rose 5% in the quarter, the company said on Tuesday.");
        assert!(
            out[0].starts_with("The company said on Tuesday "),
            "{out:?}"
        );
        assert!(out[0].ends_with("sales rose 5% in the quarter."), "{out:?}");
        let out = structural("\"We are very pleased with the result,\" he said.");
        assert!(
            out == ["He said: \"We are very pleased with the result.\""]
                || out == ["He said that they were very pleased with the result."]
                || out == ["He said they were very pleased with the result."],
            "{out:?}"
        );
        let out = structural("Prices fell sharply in early trade, said Mr Smith.");
        assert!(out[0].starts_with("Mr Smith said "), "{out:?}");
    }

    #[test]
    fn clause_moves() {
        let out = structural("On Tuesday, the company announced a new plan for growth.");
        assert_eq!(
            out,
            ["The company announced a new plan for growth on Tuesday."]
        );
        let out = structural("The unit was acquired by General Electric Co.");
        assert_eq!(out, ["General Electric Co acquired the unit."]);
        let out = structural("The company announced a big new plan for growth on Tuesday.");
        assert_eq!(
            out,
            ["On Tuesday, the company announced a big new plan for growth."]
        );
    }
}

#[cfg(test)]
mod op_stats {
    use super::*;
    use crate::base::tests::sample_base;
    use crate::doc::Doc;
    use crate::words::{split, Lexicon};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use unspun_segment::Segmenter;

    #[test]
    #[ignore = "diagnostic: prints how often each clause move applies"]
    fn print_op_stats() {
        let base = sample_base();
        let seg = Segmenter::new();
        let docs: Vec<Doc> = base.iter().map(|a| Doc::parse(&seg, "", &a.text)).collect();
        let lex = Lexicon::learn(
            docs.iter()
                .flat_map(|d| d.sentences().map(|s| s.text.as_str())),
        );
        let p = Paraphraser::new(&lex);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = [0usize; 7];
        let mut total = 0;
        for (a, d) in base.iter().zip(&docs) {
            let src = if a.id.as_str().starts_with("bbc") {
                0
            } else {
                1
            };
            let _ = src;
            for s in d.sentences().filter(|s| !s.heading) {
                total += 1;
                let w = split(&s.text);
                let ops: [bool; 6] = [
                    p.attribution_to_front(&w, &mut rng).is_some(),
                    p.attribution_to_back(&w, &mut rng).is_some(),
                    p.lead_to_back(&w).is_some(),
                    p.time_to_front(&w).is_some(),
                    passive_to_active(&w, &lex).is_some(),
                    p.split_at_conjunction(&w, &mut rng).is_some(),
                ];
                for (c, o) in counts.iter_mut().zip(ops) {
                    *c += usize::from(o);
                }
                counts[6] += usize::from(ops.iter().any(|&o| o));
            }
        }
        eprintln!("sentences {total}; attr_front attr_back lead_back time_front passive split any: {counts:?}");
    }
}
