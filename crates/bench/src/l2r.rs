//! The l2r-dev sibling families (`../shared/data/l2r-dev`): human texts,
//! each with its rewrites by four LLMs, read into articles with known
//! lineage for `sibling-eval` and its test.
//!
//! The GPT and Llama lists are index-aligned with `human.json` in nearly
//! every case and the Gemini lists not at all (the data's README), so every
//! rewrite is matched to its human text by content: the human text whose
//! word set it overlaps most (Jaccard), taken only when that overlap is
//! clearly the best one. A rewrite that matches no human text that way is
//! left out, as are empty and very short items.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result};
use unspun_article::{Article, ArticleId};

/// The four domains of l2r-dev.
pub const DOMAINS: [&str; 4] = [
    "EducationMaterial",
    "Environmental",
    "GovernmentPublic",
    "Sports",
];

/// The rewriting models, with the short name used in ids.
pub const MODELS: [(&str, &str); 4] = [
    ("GPT-3-Turbo", "gpt35"),
    ("GPT-4o", "gpt4o"),
    ("Gemini-1.5-Pro", "gemini"),
    ("Llama-3-70B", "llama"),
];

/// Fewest words a text needs to be used: shorter items are fragments
/// (the data's README says to skip them).
pub const MIN_WORDS: usize = 15;

/// Least word-set Jaccard between a rewrite and its human text, and the
/// least margin over the second-best human text: below either the match
/// is not clear and the rewrite is left out.
const MIN_JACCARD: f64 = 0.15;
const MIN_MARGIN: f64 = 0.05;

/// One human text and its rewrites.
#[derive(Clone, Debug)]
pub struct Family {
    /// The domain folder.
    pub domain: &'static str,
    /// The human text, as an article (no date set).
    pub original: Article,
    /// Its rewrites, one per model at most (no date set).
    pub rewrites: Vec<Article>,
}

/// The families of one domain with at least one rewrite.
pub fn read_domain(root: &Path, domain: &'static str) -> Result<Vec<Family>> {
    let dir = root.join(domain);
    let human = read_list(&dir.join("human.json"))?;
    let human_words: Vec<Option<BTreeSet<String>>> = human
        .iter()
        .map(|t| {
            let w = words(t);
            (word_count(t) >= MIN_WORDS).then_some(w)
        })
        .collect();
    // (human index) -> (model short name, text, jaccard)
    let mut rewrites: BTreeMap<usize, Vec<(&str, String)>> = BTreeMap::new();
    for (file, short) in MODELS {
        let list = read_list(&dir.join(format!("{file}.json")))?;
        // Per human text, the best-matching rewrite of this model.
        let mut best: BTreeMap<usize, (f64, String)> = BTreeMap::new();
        for text in list {
            if word_count(&text) < MIN_WORDS {
                continue;
            }
            let w = words(&text);
            let mut scores: Vec<(f64, usize)> = human_words
                .iter()
                .enumerate()
                .filter_map(|(i, h)| h.as_ref().map(|h| (jaccard(&w, h), i)))
                .collect();
            scores.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let (top, i) = scores[0];
            let second = scores.get(1).map_or(0.0, |s| s.0);
            if top < MIN_JACCARD || top - second < MIN_MARGIN {
                continue;
            }
            if best.get(&i).is_none_or(|(j, _)| top > *j) {
                best.insert(i, (top, text));
            }
        }
        for (i, (_, text)) in best {
            rewrites.entry(i).or_default().push((short, text));
        }
    }
    let tag = domain.to_lowercase();
    let mut out = Vec::new();
    for (i, list) in rewrites {
        let original = Article::new(ArticleId::new(format!("{tag}-{i:03}-human"))?, &human[i]);
        let rewrites = list
            .into_iter()
            .map(|(short, text)| {
                Ok(Article::new(
                    ArticleId::new(format!("{tag}-{i:03}-{short}"))?,
                    text,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        out.push(Family {
            domain,
            original,
            rewrites,
        });
    }
    Ok(out)
}

/// All families of the four domains.
pub fn read_all(root: &Path) -> Result<Vec<Family>> {
    let mut out = Vec::new();
    for d in DOMAINS {
        out.extend(read_domain(root, d)?);
    }
    Ok(out)
}

fn read_list(path: &Path) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let shared = a.intersection(b).count();
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f64 / union as f64
    }
}
