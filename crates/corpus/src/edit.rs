//! The non-paraphrase derivations: light word-level edits, reordering and
//! blending, plus the small operations they are made of (change a number,
//! swap words, drop a sentence, add a sentence of new material).
//!
//! Sentences marked [`Sent::fixed`] (material an ancestor in a chain added
//! or changed) are never edited or dropped, so a descendant keeps them.

use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;

use crate::doc::{Doc, Sent};
use crate::filler::{Filler, Window};
use crate::rules::{CaseMode, Rewrites};
use crate::words::{fix_articles, is_number, join, split};

/// Positions of sentences that may be edited: not fixed, not headings.
fn editable(doc: &Doc) -> Vec<(usize, usize)> {
    doc.positions()
        .into_iter()
        .filter(|&(p, i)| !doc.paras[p][i].fixed && !doc.paras[p][i].heading)
        .collect()
}

/// Whether a number looks like a year (kept: changing one is rarely plausible).
fn is_year(core: &str) -> bool {
    core.len() == 4
        && core
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y))
}

/// A different but plausible value for the number `core`, in the same format.
fn other_number(core: &str, rng: &mut impl Rng) -> String {
    let digits: Vec<usize> = core
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    // Change one of the last two significant digits, keeping the format
    // (separators, decimal places, number of digits).
    let candidates: Vec<usize> = digits.iter().rev().take(2).copied().collect();
    let at = if candidates.len() > 1 && rng.random_bool(0.5) {
        candidates[1]
    } else {
        candidates[0]
    };
    let old = core.as_bytes()[at] - b'0';
    let leading = at == digits[0] && digits.len() > 1;
    let mut new = old;
    while new == old || (leading && new == 0) {
        new = rng.random_range(0..10u8);
    }
    let mut out = core.to_string();
    out.replace_range(at..at + 1, &char::from(b'0' + new).to_string());
    out
}

/// Changes one number in one editable sentence; returns where.
pub(crate) fn change_number(doc: &mut Doc, rng: &mut impl Rng) -> Option<(usize, usize)> {
    let mut cands: Vec<((usize, usize), usize)> = Vec::new();
    for (p, i) in editable(doc) {
        for (k, w) in split(&doc.paras[p][i].text).iter().enumerate() {
            let core = w
                .core
                .trim_start_matches(['$', '£', '€'])
                .trim_end_matches('%');
            if is_number(core) && !is_year(core) {
                cands.push(((p, i), k));
            }
        }
    }
    let &((p, i), k) = cands.choose(rng)?;
    let mut words = split(&doc.paras[p][i].text);
    let w = &mut words[k];
    let prefix: String = w
        .core
        .chars()
        .take_while(|c| matches!(c, '$' | '£' | '€'))
        .collect();
    let suffix = if w.core.ends_with('%') { "%" } else { "" };
    let num = &w.core[prefix.len()..w.core.len() - suffix.len()];
    w.core = format!("{prefix}{}{suffix}", other_number(num, rng));
    doc.paras[p][i].text = join(&words);
    Some((p, i))
}

/// Replaces up to `n` words or phrases from the rewrite table, in editable
/// sentences; returns the sentences changed.
pub(crate) fn swap_words(
    doc: &mut Doc,
    rewrites: &Rewrites,
    n: usize,
    rng: &mut impl Rng,
) -> Vec<(usize, usize)> {
    let mut all = Vec::new();
    for (p, i) in editable(doc) {
        let words = split(&doc.paras[p][i].text);
        for m in rewrites.matches(&words, CaseMode::Sentence, &|_| false) {
            all.push(((p, i), m));
        }
    }
    all.shuffle(rng);
    all.truncate(n);
    all.sort_by_key(|&((p, i), m)| (p, i, m.start));
    let mut changed: Vec<(usize, usize)> = Vec::new();
    for (pos, group) in all.chunk_by(|a, b| a.0 == b.0).map(|g| (g[0].0, g)) {
        let (p, i) = pos;
        let words = split(&doc.paras[p][i].text);
        let chosen: Vec<_> = group.iter().map(|&(_, m)| m).collect();
        let mut words = rewrites.apply(&words, &chosen, rng);
        fix_articles(&mut words);
        doc.paras[p][i].text = join(&words);
        changed.push(pos);
    }
    changed
}

/// Drops one editable sentence other than the first; false if the article
/// is too short to lose one.
pub(crate) fn drop_sentence(doc: &mut Doc, rng: &mut impl Rng) -> bool {
    if doc.sentence_count() < 5 {
        return false;
    }
    let cands: Vec<(usize, usize)> = editable(doc)
        .into_iter()
        .filter(|&pos| pos != (0, 0))
        .collect();
    let Some(&(p, i)) = cands.choose(rng) else {
        return false;
    };
    doc.paras[p].remove(i);
    doc.tidy();
    true
}

/// Inserts one sentence of new material (from the filler chain of `style`)
/// somewhere after the first sentence, marked fixed. Returns where.
pub(crate) fn add_sentence(
    doc: &mut Doc,
    filler: &Filler,
    style: usize,
    rng: &mut impl Rng,
) -> (usize, usize) {
    let mut w = Window::default();
    let mut s = Sent::new(filler.sentence(style, rng, &mut w, 12, 30));
    s.fixed = true;
    let positions = doc.positions();
    let (p, i) = if positions.len() < 2 {
        (0, positions.len().min(1))
    } else {
        let (p, i) = positions[rng.random_range(1..positions.len())];
        (p, i + usize::from(rng.random_bool(0.5)))
    };
    if doc.paras.is_empty() {
        doc.paras.push(Vec::new());
    }
    let i = i.min(doc.paras[p].len());
    doc.paras[p].insert(i, s);
    (p, i)
}

/// Inserts a new paragraph of two or three sentences of new material,
/// marked fixed, after the first paragraph.
pub(crate) fn add_paragraph(doc: &mut Doc, filler: &Filler, style: usize, rng: &mut impl Rng) {
    let mut w = Window::default();
    let n = rng.random_range(2..=3);
    let para: Vec<Sent> = (0..n)
        .map(|_| {
            let mut s = Sent::new(filler.sentence(style, rng, &mut w, 12, 30));
            s.fixed = true;
            s
        })
        .collect();
    let at = rng.random_range(1..=doc.paras.len().max(1));
    doc.paras.insert(at.min(doc.paras.len()), para);
}

/// A light edit: a few of (change a number, swap 1–3 words, drop one
/// sentence, add one sentence of new material), at least `min_ops` of them.
pub(crate) fn light_edit(
    doc: &Doc,
    rewrites: &Rewrites,
    filler: &Filler,
    style: usize,
    min_ops: usize,
    rng: &mut impl Rng,
) -> Doc {
    let mut d = doc.clone();
    d.byline = None;
    let mut ops = [0u8, 1, 2, 3];
    ops.shuffle(rng);
    let mut done = 0;
    for (k, op) in ops.into_iter().enumerate() {
        let must = 4 - k <= min_ops.saturating_sub(done);
        if !must && !rng.random_bool(0.6) {
            continue;
        }
        let ok = match op {
            0 => change_number(&mut d, rng).is_some(),
            1 => {
                let n = rng.random_range(1..=3);
                !swap_words(&mut d, rewrites, n, rng).is_empty()
            }
            2 => drop_sentence(&mut d, rng),
            _ => {
                add_sentence(&mut d, filler, style, rng);
                true
            }
        };
        done += usize::from(ok);
    }
    if done == 0 {
        add_sentence(&mut d, filler, style, rng);
    }
    d
}

/// Paragraphs shuffled (sentences, regrouped, when there are fewer than
/// three paragraphs), then one or two light edits.
pub(crate) fn reorder(
    doc: &Doc,
    rewrites: &Rewrites,
    filler: &Filler,
    style: usize,
    rng: &mut impl Rng,
) -> Doc {
    let mut d = doc.clone();
    d.byline = None;
    if d.paras.len() >= 3 {
        let before = d.paras.clone();
        for _ in 0..8 {
            d.paras.shuffle(rng);
            if d.paras != before {
                break;
            }
        }
    } else {
        let mut sents: Vec<Sent> = d.paras.drain(..).flatten().collect();
        let before = sents.clone();
        for _ in 0..8 {
            sents.shuffle(rng);
            if sents != before {
                break;
            }
        }
        let mut it = sents.into_iter().peekable();
        while it.peek().is_some() {
            let n = rng.random_range(1..=3);
            d.paras.push(it.by_ref().take(n).collect());
        }
    }
    let min_ops = rng.random_range(1..=2);
    let mut e = light_edit(&d, rewrites, filler, style, min_ops, rng);
    e.title = doc.title.clone();
    e
}

/// Roughly half the sentences of each of `a` and `b`, in blocks of one to
/// three, each source's blocks in their own order, interleaved (a first).
pub(crate) fn blend(a: &Doc, b: &Doc, rng: &mut impl Rng) -> Doc {
    let blocks_a = pick_blocks(a, true, rng);
    let blocks_b = pick_blocks(b, false, rng);
    let mut paras = Vec::with_capacity(blocks_a.len() + blocks_b.len());
    let mut ia = blocks_a.into_iter();
    let mut ib = blocks_b.into_iter();
    loop {
        let x = ia.next();
        let y = ib.next();
        if x.is_none() && y.is_none() {
            break;
        }
        paras.extend(x);
        paras.extend(y);
    }
    Doc {
        title: if rng.random_bool(0.7) {
            a.title.clone()
        } else {
            b.title.clone()
        },
        byline: None,
        paras,
    }
}

/// Kept blocks of `doc`: about half of its sentences.
fn pick_blocks(doc: &Doc, keep_lead: bool, rng: &mut impl Rng) -> Vec<Vec<Sent>> {
    let sents: Vec<Sent> = doc.sentences().cloned().collect();
    let n = sents.len();
    let mut best: Vec<Vec<Sent>> = Vec::new();
    for _ in 0..12 {
        let mut blocks: Vec<Vec<Sent>> = Vec::new();
        let mut i = 0;
        let mut kept = 0;
        while i < n {
            let len = rng.random_range(1..=3).min(n - i);
            let keep = (keep_lead && i == 0) || rng.random_bool(0.5);
            if keep {
                blocks.push(sents[i..i + len].to_vec());
                kept += len;
            }
            i += len;
        }
        let share = kept as f64 / n.max(1) as f64;
        best = blocks;
        if (0.35..=0.65).contains(&share) && !best.is_empty() {
            break;
        }
    }
    if best.is_empty() && n > 0 {
        best.push(sents[..n.min(2)].to_vec());
    }
    best
}

/// A new headline for a copy: a wire-style prefix, or the start of the
/// first sentence.
pub(crate) fn retitle(doc: &Doc, rewrites: &Rewrites, rng: &mut impl Rng) -> String {
    match rng.random_range(0..3) {
        0 => {
            let w = split(&doc.title);
            let letters: Vec<char> = doc.title.chars().filter(|c| c.is_alphabetic()).collect();
            let mode = if letters.len() > 3 && letters.iter().all(|c| c.is_uppercase()) {
                CaseMode::AllCaps
            } else {
                CaseMode::Sentence
            };
            let m = rewrites.matches(&w, mode, &|_| false);
            let t = join(&rewrites.apply(&w, &m, rng));
            if t == doc.title {
                format!("UPDATE 1-{}", doc.title)
            } else {
                t
            }
        }
        1 => format!("UPDATE 1-{}", doc.title),
        _ => {
            let first = doc
                .sentences()
                .find(|s| !s.heading)
                .map_or(doc.title.as_str(), |s| s.text.as_str());
            let mut words: Vec<&str> = first
                .split_whitespace()
                .take(rng.random_range(6..=10))
                .collect();
            // Do not end a headline on "a" or "of the" (nor, below, on a comma).
            while words.len() > 3 {
                let last = words[words.len() - 1].trim_end_matches([',', ';', ':']);
                let dangling = matches!(
                    last.to_lowercase().as_str(),
                    "a" | "an"
                        | "the"
                        | "of"
                        | "and"
                        | "to"
                        | "in"
                        | "for"
                        | "on"
                        | "with"
                        | "by"
                        | "at"
                        | "or"
                        | "from"
                        | "its"
                        | "their"
                        | "his"
                        | "her"
                        | "that"
                        | "as"
                );
                if !dangling {
                    break;
                }
                words.pop();
            }
            let t = words
                .join(" ")
                .trim_end_matches(['.', ',', ';', ':', '"', '\''])
                .to_string();
            if t.is_empty() {
                doc.title.clone()
            } else {
                t
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use unspun_segment::Segmenter;

    fn doc() -> Doc {
        Doc::parse(
            &Segmenter::new(),
            "Firm profits rise",
            "Profits rose 12% to $1,250m in 2004, the company said. Sales rose sharply.\n\n\
             The firm has 3,400 staff. Analysts expected more.\n\nShares fell 2.5% on Friday. \
             The company will report again in May.",
        )
    }

    #[test]
    fn numbers_change_but_not_years() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for _ in 0..50 {
            let mut d = doc();
            let (p, i) = change_number(&mut d, &mut rng).unwrap();
            assert_ne!(d.paras[p][i].text, doc().paras[p][i].text);
            assert!(d.render().contains("2004"));
        }
        assert_eq!(other_number("5", &mut rng).len(), 1);
        let n = other_number("1,250", &mut rng);
        assert!(n.starts_with("1,2") && n.len() == 5, "{n}");
    }

    #[test]
    fn blends_keep_order_and_take_both() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let a = doc();
        let b = Doc::parse(
            &Segmenter::new(),
            "Other",
            "One thing happened. Two things happened. Three happened. Four happened. Five.",
        );
        for _ in 0..20 {
            let m = blend(&a, &b, &mut rng);
            let texts: Vec<&str> = m.sentences().map(|s| s.text.as_str()).collect();
            assert_eq!(texts[0], a.paras[0][0].text);
            let from_a: Vec<usize> = texts
                .iter()
                .filter_map(|t| a.sentences().position(|s| s.text == *t))
                .collect();
            let from_b: Vec<usize> = texts
                .iter()
                .filter_map(|t| b.sentences().position(|s| s.text == *t))
                .collect();
            assert!(!from_b.is_empty() && from_a.len() >= 2);
            assert!(from_a.windows(2).all(|w| w[0] < w[1]));
            assert!(from_b.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
