//! The word and phrase rewrite table (`data/rewrites.txt`) and its matcher.
//!
//! See the header of `data/rewrites.txt` for the rule format. The table is
//! parsed once ([`Rewrites::builtin`]); [`Rewrites::matches`] finds the
//! non-overlapping matches in a sentence, longest phrase first at each word,
//! and [`Rewrites::apply`] replaces a chosen subset of them.

use std::collections::HashMap;
use std::sync::OnceLock;

use rand::Rng;

use crate::words::{match_case, Word};

/// The built-in table.
const TABLE: &str = include_str!("../data/rewrites.txt");

/// When a rule applies, judged on the word after the matched phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cond {
    Always,
    /// The next word is a number or an amount.
    Number,
    /// The next word is a determiner, a name or a number.
    Determiner,
    /// The matched words are in lower case (`may`, not the month `May`).
    Lower,
    /// The previous word has no trailing punctuation (restrictive `which`).
    AfterPlain,
}

/// A replacement that deletes the matched words.
const DELETE: &str = "∅";

/// One rule of the table.
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    /// The words matched (lower case unless `case_sensitive`).
    from: Vec<String>,
    case_sensitive: bool,
    /// The replacements; empty for a blocker.
    to: Vec<String>,
    cond: Cond,
}

impl Rule {
    /// Number of words matched.
    pub fn len(&self) -> usize {
        self.from.len()
    }
}

/// A match of a rule in a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Match {
    /// Index of the first word.
    pub start: usize,
    /// Number of words.
    pub len: usize,
    rule: usize,
}

/// The parsed table, indexed by the lower-cased first word of each rule.
#[derive(Debug)]
pub(crate) struct Rewrites {
    rules: Vec<Rule>,
    by_first: HashMap<String, Vec<usize>>,
}

/// Where matching may touch capitalised words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CaseMode {
    /// A sentence: a capitalised word is a name unless it is the first word.
    Sentence,
    /// An all-capitals headline: every word may be rewritten.
    AllCaps,
}

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "these", "those",
    "last", "next", "some", "several", "two", "three", "four", "five",
];

impl Rewrites {
    /// The built-in table, parsed once.
    pub fn builtin() -> &'static Rewrites {
        static TABLE_RULES: OnceLock<Rewrites> = OnceLock::new();
        TABLE_RULES.get_or_init(|| Rewrites::parse(TABLE))
    }

    /// Parses a table in the format of `data/rewrites.txt`.
    pub fn parse(table: &str) -> Rewrites {
        let mut rules = Vec::new();
        for line in table.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((lhs, rhs)) = line.split_once("=>") else {
                continue;
            };
            let mut lhs = lhs.trim();
            let mut cond = Cond::Always;
            if let Some(rest) = lhs.strip_prefix("@num ") {
                cond = Cond::Number;
                lhs = rest.trim();
            } else if let Some(rest) = lhs.strip_prefix("@det ") {
                cond = Cond::Determiner;
                lhs = rest.trim();
            } else if let Some(rest) = lhs.strip_prefix("@lc ") {
                cond = Cond::Lower;
                lhs = rest.trim();
            } else if let Some(rest) = lhs.strip_prefix("@plain ") {
                cond = Cond::AfterPlain;
                lhs = rest.trim();
            }
            let case_sensitive = lhs.chars().any(char::is_uppercase);
            let from: Vec<String> = lhs
                .split_whitespace()
                .map(|w| {
                    if case_sensitive {
                        w.to_string()
                    } else {
                        w.to_lowercase()
                    }
                })
                .collect();
            if from.is_empty() {
                continue;
            }
            let to: Vec<String> = rhs
                .split('|')
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case(lhs))
                .collect();
            rules.push(Rule {
                from,
                case_sensitive,
                to,
                cond,
            });
        }
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in rules.iter().enumerate() {
            by_first
                .entry(r.from[0].to_lowercase())
                .or_default()
                .push(i);
        }
        for list in by_first.values_mut() {
            // Longest first; among equals, table order.
            list.sort_by(|&a, &b| rules[b].len().cmp(&rules[a].len()).then(a.cmp(&b)));
        }
        Rewrites { rules, by_first }
    }

    /// Number of rules (blockers included).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// The non-overlapping rewritable matches in `words`, left to right.
    /// Blockers consume their words without being returned. `protect(i)`
    /// marks words that must not be touched (inside a kept quotation, a
    /// dateline).
    pub fn matches(
        &self,
        words: &[Word],
        mode: CaseMode,
        protect: &dyn Fn(usize) -> bool,
    ) -> Vec<Match> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let mut advanced = false;
            if let Some(list) = self.by_first.get(&words[i].core.to_lowercase()) {
                for &ri in list {
                    let rule = &self.rules[ri];
                    if !self.rule_matches(rule, words, i, mode, protect) {
                        continue;
                    }
                    if !rule.to.is_empty() {
                        out.push(Match {
                            start: i,
                            len: rule.len(),
                            rule: ri,
                        });
                    }
                    i += rule.len();
                    advanced = true;
                    break;
                }
            }
            if !advanced {
                i += 1;
            }
        }
        out
    }

    fn rule_matches(
        &self,
        rule: &Rule,
        words: &[Word],
        at: usize,
        mode: CaseMode,
        protect: &dyn Fn(usize) -> bool,
    ) -> bool {
        let n = rule.len();
        if at + n > words.len() {
            return false;
        }
        for (k, f) in rule.from.iter().enumerate() {
            let w = &words[at + k];
            if protect(at + k) {
                return false;
            }
            if k > 0 && !w.pre.is_empty() {
                return false;
            }
            if k + 1 < n && !w.post.is_empty() {
                return false;
            }
            let same = if rule.case_sensitive {
                if k == 0 {
                    let mut a = w.core.chars();
                    let mut b = f.chars();
                    match (a.next(), b.next()) {
                        (Some(x), Some(y)) => {
                            x.to_lowercase().eq(y.to_lowercase()) && a.as_str() == b.as_str()
                        }
                        _ => false,
                    }
                } else {
                    w.core == *f
                }
            } else {
                w.core.to_lowercase() == *f
            };
            if !same {
                return false;
            }
            // A capitalised word inside a sentence is a name ("Academy
            // Awards"), unless the rule names it explicitly.
            if !rule.case_sensitive
                && mode == CaseMode::Sentence
                && at + k > 0
                && w.is_capitalized()
            {
                return false;
            }
        }
        let next = words.get(at + n);
        let deletes = rule.to.iter().any(|t| t == DELETE);
        if deletes && (!words[at].pre.is_empty() || !words[at + n - 1].post.is_empty() || at == 0) {
            return false;
        }
        match rule.cond {
            Cond::Always => true,
            Cond::Lower => words[at..at + n]
                .iter()
                .all(|w| !w.core.chars().any(char::is_uppercase)),
            Cond::AfterPlain => at > 0 && words[at - 1].post.is_empty(),
            Cond::Number => next.is_some_and(|w| {
                let c = w.core.trim_start_matches(['$', '£', '€']);
                c.chars().next().is_some_and(|c| c.is_ascii_digit())
            }),
            Cond::Determiner => next.is_some_and(|w| {
                w.pre.is_empty()
                    && (DETERMINERS.contains(&w.core.to_lowercase().as_str())
                        || w.is_capitalized()
                        || w.core.chars().next().is_some_and(|c| c.is_ascii_digit()))
            }),
        }
    }

    /// `words` with the chosen matches replaced (one replacement drawn at
    /// random per match). `chosen` must be sorted and non-overlapping, as
    /// returned by [`Rewrites::matches`].
    pub fn apply(&self, words: &[Word], chosen: &[Match], rng: &mut impl Rng) -> Vec<Word> {
        let mut out = Vec::with_capacity(words.len() + 4);
        let mut i = 0;
        for m in chosen {
            out.extend_from_slice(&words[i..m.start]);
            let rule = &self.rules[m.rule];
            let repl = &rule.to[rng.random_range(0..rule.to.len())];
            let first = &words[m.start];
            let last = &words[m.start + m.len - 1];
            let all_caps = {
                let letters: Vec<char> = words
                    .iter()
                    .flat_map(|w| w.core.chars())
                    .filter(|c| c.is_alphabetic())
                    .collect();
                letters.len() > 3 && letters.iter().all(|c| c.is_uppercase())
            };
            if repl == DELETE {
                i = m.start + m.len;
                continue;
            }
            let parts: Vec<&str> = repl.split_whitespace().collect();
            let count = parts.len();
            for (k, p) in parts.into_iter().enumerate() {
                let core = if all_caps {
                    p.to_uppercase()
                } else if k == 0 && !rule.case_sensitive {
                    match_case(&first.core, p)
                } else {
                    p.to_string()
                };
                out.push(Word {
                    pre: if k == 0 {
                        first.pre.clone()
                    } else {
                        String::new()
                    },
                    core,
                    post: if k + 1 == count {
                        last.post.clone()
                    } else {
                        String::new()
                    },
                });
            }
            i = m.start + m.len;
        }
        out.extend_from_slice(&words[i..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::{join, split};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn rewrite_all(s: &str) -> String {
        let r = Rewrites::builtin();
        let w = split(s);
        let m = r.matches(&w, CaseMode::Sentence, &|_| false);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        join(&r.apply(&w, &m, &mut rng))
    }

    #[test]
    fn table_is_large_and_well_formed() {
        let r = Rewrites::builtin();
        assert!(r.len() >= 300, "{}", r.len());
        let real = r.rules.iter().filter(|r| !r.to.is_empty()).count();
        assert!(real >= 300, "{real}");
    }

    #[test]
    fn rewrites_keep_names_and_punctuation() {
        let out = rewrite_all("Shares rose sharply, the company said on Tuesday.");
        assert!(out.starts_with("Stocks "), "{out}");
        assert!(!out.contains(" rose "), "{out}");
        assert!(out.contains(" firm "), "{out}");
        assert!(out.ends_with(" Tuesday."), "{out}");
        // "Academy Awards" is a name; "New York" is blocked.
        let out = rewrite_all("The film won at the Academy Awards in New York.");
        assert!(out.contains("Academy Awards"), "{out}");
        assert!(out.contains("New York"), "{out}");
        assert!(out.contains("movie"), "{out}");
    }

    #[test]
    fn conditions_and_blockers() {
        let out = rewrite_all("He talked about the plan for about 10 minutes.");
        assert!(out.contains("talked about the"), "{out}");
        assert!(!out.contains("about 10"), "{out}");
        assert_eq!(rewrite_all("how many"), "how many");
        let out = rewrite_all("The report is due to be published.");
        assert!(out.contains("is due to be"), "{out}");
        let out = rewrite_all("May sales may rise, which the plan that, which is good.");
        assert!(out.starts_with("May sales might "), "{out}");
        assert!(out.contains(", which is"), "{out}");
    }
}
