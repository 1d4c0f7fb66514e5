//! Step 1, numbers and amounts re-formatted: `10 percent` ↔ `10%`,
//! `$1.5bn` → `1.5 billion dollars`, Reuters' `5.6 mln dlrs` → `$5.6
//! million`, `pct` → `%`.

use rand::Rng;

use crate::words::Word;

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
        // 10 pct / 10 percent / 10 per cent → 10%: the words the percent
        // sign stands for, the last of which keeps its punctuation.
        let percent_words = if !(w.is_number() && plain_next) {
            0
        } else if matches!(next_core.as_str(), "pct" | "percent") {
            1
        } else if next_core == "per"
            && next2_core == "cent"
            && next.is_some_and(|x| x.post.is_empty())
        {
            2
        } else {
            0
        };
        if percent_words > 0 {
            let last = &words[i + percent_words];
            out.push(Word {
                pre: w.pre.clone(),
                core: format!("{}%", w.core),
                post: last.post.clone(),
            });
            i += 1 + percent_words;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::{join, split};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

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
}
