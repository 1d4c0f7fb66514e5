//! Rule-based paraphrase: what an AI rewrite does to a news article, done
//! with rules instead of a language model.
//!
//! Per sentence, in order:
//!
//! 1. **Numbers and amounts** are re-formatted: `10 percent` ↔ `10%`,
//!    `$1.5bn` → `1.5 billion dollars`, `£600m` → `600 million pounds`,
//!    Reuters' `5.6 mln dlrs` → `$5.6 million`, `pct` → `%`.
//! 2. **Trimming and reshaping**: a short parenthesis or a `, which ...,`
//!    clause left out; `has agreed to` → `agreed to`; `France and Germany`
//!    → `Germany and France`; `the start of the season` → `the season's
//!    start`; `April 5` ↔ `5 April`; `, saying` → `and said`; `two years` ↔
//!    `2 years`; `will` → `is set to` / `are going to`.
//! 3. **One or two clause moves**, where a reliable pattern exists: a
//!    trailing attribution moves to the front (`A, the company said.` →
//!    `The company said that A.`), a quotation becomes reported speech
//!    (`"We will win," he said.` → `He said they would win.`, only without
//!    `I`/`you`), or `S said A.` becomes `A, S said.` or `According to S,
//!    A.`; a leading phrase or subordinate clause moves to the end (`On
//!    Tuesday, X did Y.` → `X did Y on Tuesday.`) or a trailing time phrase
//!    to the front; a passive with an agent becomes active (`A was acquired
//!    by B.` → `B acquired A.`); or a long sentence is split at `, and`,
//!    `, but`, `;`, `, which`, `, while`.
//! 4. **Word and phrase rewrites** from the table in `data/rewrites.txt`
//!    (~715 rules and 70 blockers: `rose` → `climbed`, `company` → `firm`,
//!    `because` → `as`, contractions expanded, `very` dropped, Reuters
//!    abbreviations expanded), skipping names (and, in 15% of sentences,
//!    the words inside quotation marks).
//! 5. **Compression**: if more than 35% of the sentence's word 5-grams
//!    survived all that, a trailing phrase (`, including ...`) is cut or,
//!    sometimes, the sentence is left out, as a rewrite that shortens would.
//!
//! Then, per article, some short sentences are merged (`; ` or `, and`) and
//! some sentences dropped. Names, most numbers and rare content words
//! survive, as they do in real rewrites.

use rand::seq::SliceRandom;
use rand::Rng;

use crate::doc::{Doc, Sent};
use crate::rules::{CaseMode, Rewrites};
use crate::words::{capitalize, fix_articles, join, match_case, split, Lexicon, Word};

/// Probability that one sentence gets a clause move when one applies.
const P_STRUCTURE: f64 = 0.9;
/// Probability that each table match is applied.
const P_SWAP: f64 = 0.95;
/// Probability that the words inside a quotation are kept as they are.
const P_KEEP_QUOTE: f64 = 0.15;

/// Above this share of a sentence's word 5-grams surviving its rewrite,
/// the rewrite is cut or dropped.
const MAX_OVERLAP: f64 = 0.35;

/// Words opening a trailing phrase that a compressing rewrite may cut.
const TAIL_STARTS: &[&str] = &[
    "including",
    "which",
    "who",
    "where",
    "while",
    "with",
    "as",
    "after",
    "before",
    "according",
    "following",
    "despite",
    "amid",
    "compared",
    "up",
    "down",
    "bringing",
    "making",
    "taking",
    "giving",
    "leaving",
    "saying",
    "adding",
    "in",
    "at",
    "on",
    "for",
    "from",
    "although",
    "though",
    "since",
    "because",
    "when",
    "led",
    "mainly",
    "partly",
    "particularly",
    "especially",
];

/// Share of the word 5-grams of `a` found in `b` (letters and digits,
/// lower case); 0 when `a` has fewer than five words.
fn overlap(a: &str, b: &str) -> f64 {
    fn grams(s: &str) -> Vec<u64> {
        let words: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let mut g: Vec<u64> = words
            .windows(5)
            .map(|w| xxhash_rust::xxh3::xxh3_64(w.join(" ").as_bytes()))
            .collect();
        g.sort_unstable();
        g.dedup();
        g
    }
    let (ga, gb) = (grams(a), grams(b));
    if ga.is_empty() {
        return 0.0;
    }
    ga.iter().filter(|g| gb.binary_search(g).is_ok()).count() as f64 / ga.len() as f64
}

/// `sentence` without its last trailing phrase (`, including ...`,
/// `, which ...`), if the head keeps six words or more.
fn cut_tail(sentence: &str) -> Option<String> {
    let words = split(sentence);
    let n = words.len();
    if words.iter().any(Word::has_quote) || words.last().is_none_or(|w| w.post != ".") {
        return None;
    }
    let k = (5..n.saturating_sub(3)).rev().find(|&k| {
        words[k].post == ","
            && words[k + 1].pre.is_empty()
            && TAIL_STARTS.contains(&words[k + 1].core.as_str())
    })?;
    let mut head = words[..=k].to_vec();
    head[k].post = ".".into();
    Some(join(&head))
}

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

/// The paraphraser: the rewrite table plus what the corpus says about words.
pub(crate) struct Paraphraser<'a> {
    rewrites: &'static Rewrites,
    lexicon: &'a Lexicon,
}

impl<'a> Paraphraser<'a> {
    pub fn new(lexicon: &'a Lexicon) -> Paraphraser<'a> {
        Paraphraser {
            rewrites: Rewrites::builtin(),
            lexicon,
        }
    }

    /// The rewrite table.
    pub fn rewrites(&self) -> &'static Rewrites {
        self.rewrites
    }

    /// Paraphrases a whole article: every sentence, then merges and drops.
    pub fn doc(&self, doc: &Doc, rng: &mut impl Rng) -> Doc {
        let mut paras: Vec<Vec<Sent>> = Vec::with_capacity(doc.paras.len());
        let mut first = true;
        for p in &doc.paras {
            let mut out = Vec::with_capacity(p.len());
            for s in p {
                if s.fixed {
                    out.push(s.clone());
                    continue;
                }
                let mut rewritten = self.sentence(&s.text, s.heading, first, rng);
                if s.heading {
                    // Table lines and captions: a rewrite keeps some of them.
                    if !first
                        && overlap(&s.text, &rewritten.join(" ")) > MAX_OVERLAP
                        && rng.random_bool(0.3)
                    {
                        rewritten.clear();
                    }
                } else if overlap(&s.text, &rewritten.join(" ")) > MAX_OVERLAP {
                    // Too close to the source: cut a trailing phrase, or
                    // leave the sentence out, as a rewrite that compresses would.
                    if let Some(cut) = cut_tail(&rewritten[0]).filter(|_| rng.random_bool(0.6)) {
                        rewritten[0] = cut;
                    } else if !first && rng.random_bool(0.5) {
                        rewritten.clear();
                    }
                }
                let parts = rewritten.len();
                for (k, t) in rewritten.into_iter().enumerate() {
                    let mut n = Sent::new(t);
                    n.heading = s.heading;
                    n.leads = k + 1 < parts;
                    out.push(n);
                }
                first = false;
            }
            paras.push(out);
        }
        let mut d = Doc {
            title: self.title(&doc.title, rng),
            byline: None,
            paras,
        };
        merge_and_drop(&mut d, self.lexicon, rng);
        d
    }

    /// A paraphrased headline.
    pub fn title(&self, title: &str, rng: &mut impl Rng) -> String {
        let mut w = split(title);
        numbers(&mut w, rng, 1.0);
        let letters: Vec<char> = title.chars().filter(|c| c.is_alphabetic()).collect();
        let mode = if letters.len() > 3 && letters.iter().all(|c| c.is_uppercase()) {
            CaseMode::AllCaps
        } else {
            CaseMode::Sentence
        };
        let m = self.rewrites.matches(&w, mode, &|_| false);
        let w = self.rewrites.apply(&w, &m, rng);
        join(&w)
    }

    /// One sentence paraphrased; a split gives two.
    pub fn sentence(
        &self,
        text: &str,
        heading: bool,
        first_of_article: bool,
        rng: &mut impl Rng,
    ) -> Vec<String> {
        let (dateline, rest) = split_dateline(text);
        let mut words = split(rest);
        if words.is_empty() {
            return vec![text.to_string()];
        }
        numbers(&mut words, rng, 0.9);
        if !heading {
            trim(&mut words, rng);
            reshape(&mut words, self.lexicon, rng);
        }
        let mut parts: Vec<Vec<Word>> = vec![words];
        if !heading && rng.random_bool(P_STRUCTURE) {
            parts = self.restructure(parts.pop().unwrap_or_default(), rng);
        }
        let keep_quotes = rng.random_bool(P_KEEP_QUOTE);
        let mut out = Vec::with_capacity(parts.len());
        for (k, words) in parts.into_iter().enumerate() {
            let quoted = quote_mask(&words);
            let protect = |i: usize| keep_quotes && quoted[i];
            let m = self.rewrites.matches(&words, CaseMode::Sentence, &protect);
            let chosen: Vec<_> = m.into_iter().filter(|_| rng.random_bool(P_SWAP)).collect();
            let mut words = self.rewrites.apply(&words, &chosen, rng);
            fix_articles(&mut words);
            if let Some(w) = words.first_mut() {
                if !heading {
                    w.core = capitalize(&w.core);
                }
            }
            let mut s = join(&words);
            if k == 0 {
                if let Some(d) = dateline {
                    // Rewrites usually drop the wire dateline; keep it sometimes.
                    if first_of_article && rng.random_bool(0.4) {
                        s = format!("{d}{s}");
                    }
                }
            }
            out.push(s);
        }
        out
    }

    /// Applies one clause-level move, chosen at random among those that
    /// fit, and sometimes a second one that does not undo the first.
    fn restructure(&self, words: Vec<Word>, rng: &mut impl Rng) -> Vec<Vec<Word>> {
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

/// A quotation (`"We will win,"`) as reported speech (`they would win.`):
/// quotation marks removed, first person plural to third, verbs shifted
/// back. `None` for quotations in the first person singular or addressed
/// to someone (which need a speaker's name or gender), and for questions.
fn indirect_speech(quote: &[Word]) -> Option<Vec<Word>> {
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

/// `A was acquired by B.` → `B acquired A.`
fn passive_to_active(words: &[Word], lexicon: &Lexicon) -> Option<Vec<Word>> {
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

/// Leaves out what rewrites often leave out: a short parenthesis
/// (`(SEC)`), a non-restrictive `, which ...,` clause.
fn trim(words: &mut Vec<Word>, rng: &mut impl Rng) {
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

const MONTHS: &[&str] = &[
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
fn reshape(words: &mut Vec<Word>, lexicon: &Lexicon, rng: &mut impl Rng) {
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

/// Which words are inside a quotation.
fn quote_mask(words: &[Word]) -> Vec<bool> {
    let mut inside = false;
    words
        .iter()
        .map(|w| {
            if w.pre.contains(['"', '“']) {
                inside = true;
            }
            let here = inside;
            if w.post.contains(['"', '”']) {
                inside = false;
            }
            here
        })
        .collect()
}

/// A Reuters dateline (`NEW YORK, March 2 - `) at the start of `text`.
pub(crate) fn split_dateline(text: &str) -> (Option<&str>, &str) {
    if let Some(pos) = text.find(" - ") {
        let head = &text[..pos];
        if pos < 60
            && head.contains(',')
            && head
                .chars()
                .filter(|c| c.is_alphabetic())
                .take(3)
                .all(char::is_uppercase)
        {
            let (d, rest) = text.split_at(pos + 3);
            if !rest.is_empty() {
                return (Some(d), rest);
            }
        }
    }
    (None, text)
}

/// Re-formats numbers and amounts, each with probability `p`.
pub(crate) fn numbers(words: &mut Vec<Word>, rng: &mut impl Rng, p: f64) {
    let mut out: Vec<Word> = Vec::with_capacity(words.len());
    let mut i = 0;
    let n = words.len();
    while i < n {
        let w = &words[i];
        let next = words.get(i + 1);
        let next2 = words.get(i + 2);
        let next_core = next.map(|x| x.core.to_lowercase()).unwrap_or_default();
        let next2_core = next2.map(|x| x.core.to_lowercase()).unwrap_or_default();
        let plain_next = w.post.is_empty();
        if !rng.random_bool(p) {
            out.push(w.clone());
            i += 1;
            continue;
        }
        // 10 pct / 10 percent / 10 per cent → 10%
        if w.is_number() && plain_next && matches!(next_core.as_str(), "pct" | "percent") {
            let nx = next.expect("checked");
            out.push(Word {
                pre: w.pre.clone(),
                core: format!("{}%", w.core),
                post: nx.post.clone(),
            });
            i += 2;
            continue;
        }
        if w.is_number()
            && plain_next
            && next_core == "per"
            && next2_core == "cent"
            && next.is_some_and(|x| x.post.is_empty())
        {
            let nx = next2.expect("checked");
            out.push(Word {
                pre: w.pre.clone(),
                core: format!("{}%", w.core),
                post: nx.post.clone(),
            });
            i += 3;
            continue;
        }
        // 10% → 10 percent
        if let Some(num) = w
            .core
            .strip_suffix('%')
            .filter(|n| crate::words::is_number(n))
        {
            out.push(Word {
                pre: w.pre.clone(),
                core: num.to_string(),
                post: String::new(),
            });
            out.push(Word {
                pre: String::new(),
                core: "percent".into(),
                post: w.post.clone(),
            });
            i += 1;
            continue;
        }
        // $1.5bn / £600m / $5 / $1.5 billion
        if let Some((cur, amount, scale)) = money(&w.core) {
            let mut scale = scale.map(str::to_string);
            let mut consumed = 1;
            let mut post = w.post.clone();
            if scale.is_none() && plain_next {
                if let Some(s) = scale_word(&next_core) {
                    scale = Some(s.to_string());
                    post = next.map(|x| x.post.clone()).unwrap_or_default();
                    consumed = 2;
                }
            }
            let mut parts = vec![amount.to_string()];
            if let Some(s) = scale {
                parts.push(s);
            }
            parts.push(cur.to_string());
            push_parts(&mut out, &w.pre, &parts, &post);
            i += consumed;
            continue;
        }
        // Reuters: 5.6 mln dlrs → $5.6 million; 5 dlrs → $5; 20 cts → 20 cents;
        // 40 mln stg → £40 million.
        if w.is_number() && plain_next {
            if let Some(scale) = scale_word(&next_core) {
                let unit = next2_core.as_str();
                let cur = match unit {
                    "dlrs" | "dlr" => Some("$"),
                    "stg" => Some("£"),
                    _ => None,
                };
                if let (Some(cur), true) = (cur, next.is_some_and(|x| x.post.is_empty())) {
                    let post = next2.map(|x| x.post.clone()).unwrap_or_default();
                    push_parts(
                        &mut out,
                        &w.pre,
                        &[format!("{cur}{}", w.core), scale.to_string()],
                        &post,
                    );
                    i += 3;
                    continue;
                }
                let post = next.map(|x| x.post.clone()).unwrap_or_default();
                push_parts(
                    &mut out,
                    &w.pre,
                    &[w.core.clone(), scale.to_string()],
                    &post,
                );
                i += 2;
                continue;
            }
            if matches!(next_core.as_str(), "dlrs" | "dlr") {
                let post = next.map(|x| x.post.clone()).unwrap_or_default();
                push_parts(&mut out, &w.pre, &[format!("${}", w.core)], &post);
                i += 2;
                continue;
            }
            if next_core == "cts" {
                let post = next.map(|x| x.post.clone()).unwrap_or_default();
                push_parts(&mut out, &w.pre, &[w.core.clone(), "cents".into()], &post);
                i += 2;
                continue;
            }
        }
        out.push(w.clone());
        i += 1;
    }
    *words = out;
}

fn push_parts(out: &mut Vec<Word>, pre: &str, parts: &[String], post: &str) {
    let n = parts.len();
    for (k, p) in parts.iter().enumerate() {
        out.push(Word {
            pre: if k == 0 {
                pre.to_string()
            } else {
                String::new()
            },
            core: p.clone(),
            post: if k + 1 == n {
                post.to_string()
            } else {
                String::new()
            },
        });
    }
}

fn scale_word(w: &str) -> Option<&'static str> {
    match w {
        "mln" | "million" => Some("million"),
        "bln" | "billion" => Some("billion"),
        "trillion" => Some("trillion"),
        _ => None,
    }
}

/// `$1.5bn` → ("dollars", "1.5", Some("billion")).
fn money(core: &str) -> Option<(&'static str, &str, Option<&'static str>)> {
    let (cur, rest) = if let Some(r) = core.strip_prefix('$') {
        ("dollars", r)
    } else if let Some(r) = core.strip_prefix('£') {
        ("pounds", r)
    } else if let Some(r) = core.strip_prefix('€') {
        ("euros", r)
    } else {
        return None;
    };
    let digits_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(rest.len());
    let (amount, suffix) = rest.split_at(digits_end);
    if !crate::words::is_number(amount) {
        return None;
    }
    let scale = match suffix {
        "" => None,
        "bn" | "b" => Some("billion"),
        "m" | "mn" => Some("million"),
        "tn" => Some("trillion"),
        "k" => Some("thousand"),
        _ => return None,
    };
    Some((cur, amount, scale))
}

/// Merges some pairs of short neighbouring sentences and drops some short
/// ones (never the first sentence, never fixed material).
fn merge_and_drop(doc: &mut Doc, lexicon: &Lexicon, rng: &mut impl Rng) {
    let total = doc.sentence_count();
    for (pi, p) in doc.paras.iter_mut().enumerate() {
        let mut out: Vec<Sent> = Vec::with_capacity(p.len());
        for s in p.drain(..) {
            let short = s.words() <= 12;
            let plain = !s.heading && !s.fixed && !s.text.contains(['"', '“', '”']);
            if let Some(prev) = out.last_mut() {
                let prev_ok = !prev.heading
                    && !prev.fixed
                    && prev.words() <= 14
                    && prev.text.ends_with('.')
                    && !prev.text.contains(['"', '“', '”']);
                if short && plain && prev_ok && !prev.leads && rng.random_bool(0.5) {
                    let mut w = split(&s.text);
                    if let Some(f) = w.first_mut() {
                        lexicon.demote(f);
                    }
                    prev.text.pop();
                    let glue = if rng.random_bool(0.5) { ", and " } else { "; " };
                    prev.text.push_str(glue);
                    prev.text.push_str(&join(&w));
                    continue;
                }
            }
            let not_first = pi > 0 || !out.is_empty();
            let p_drop = if short { 0.25 } else { 0.15 };
            if plain && !s.leads && not_first && total > 6 && rng.random_bool(p_drop) {
                continue;
            }
            out.push(s);
        }
        *p = out;
    }
    doc.tidy();
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn numbers_reformatted() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut w = split("Profit rose 10 pct to 5.6 mln dlrs, or $1.5bn, up 7% from 20 cts.");
        numbers(&mut w, &mut rng, 1.0);
        assert_eq!(
            join(&w),
            "Profit rose 10% to $5.6 million, or 1.5 billion dollars, up 7 percent from 20 cents."
        );
    }

    #[test]
    fn datelines() {
        let (d, r) = split_dateline("NEW YORK, March 2 - Shares rose.");
        assert_eq!(d, Some("NEW YORK, March 2 - "));
        assert_eq!(r, "Shares rose.");
        assert_eq!(split_dateline("He said - no.").0, None);
    }
}

#[cfg(test)]
mod op_stats {
    use super::*;
    use crate::base::tests::sample_base;
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
