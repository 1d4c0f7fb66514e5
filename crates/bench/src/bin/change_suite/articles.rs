//! The suite's inputs: real articles drawn from Reuters-21578 and BBC News,
//! and the real rewordings (SummEdits consistent edits, MRPC paraphrases).

use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;
use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};
use unspun_article::Article;

use crate::rng::{Rng, SEED};

/// `per_corpus` articles of 400 to 8,000 bytes from each corpus under
/// `data`, drawn with the fixed generator (BBC ones dated and credited).
pub fn load(data: &Path, per_corpus: usize) -> Vec<Article> {
    let mut out = Vec::new();
    let mut rng = Rng(SEED);
    let corpora = [
        (data.join("reuters21578"), Format::ReutersSgml, None),
        (
            data.join("bbc-news-2225/bbc"),
            Format::Text,
            NaiveDate::from_ymd_opt(2005, 6, 17),
        ),
    ];
    for (path, format, date) in corpora {
        let opts = ReadOptions {
            format,
            latin1_fallback: true,
            ..ReadOptions::default()
        };
        let mut arts = Vec::new();
        read_paths(&[path], &opts, &mut |ev| {
            if let ReadEvent::Article { mut article, .. } = ev {
                if article.text.len() < 400 || article.text.len() > 8000 {
                    return;
                }
                if let Some(d) = date {
                    article.date = Some(d);
                    article.source = Some("BBC News".into());
                }
                arts.push(article);
            }
        });
        // Fisher-Yates with the fixed generator, then the first n.
        for i in (1..arts.len()).rev() {
            let j = rng.below(i + 1);
            arts.swap(i, j);
        }
        arts.truncate(per_corpus);
        out.extend(arts);
    }
    out
}

/// Harmless real rewordings: the SummEdits edits annotators judged
/// consistent with their document (all 8 domains: the seed summary and its
/// edit), and the MRPC pairs (train and test) labelled paraphrase.
pub fn real_rewordings(data: &Path) -> Result<Vec<(&'static str, String, String)>> {
    let mut out = Vec::new();
    let dir = data.join("summedits/data");
    for entry in std::fs::read_dir(&dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))? {
        let path = entry?.path();
        let items: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        for v in items {
            if v["label"].as_i64() == Some(1) {
                if let (Some(a), Some(b)) = (v["original_summary"].as_str(), v["summary"].as_str())
                {
                    out.push(("SummEdits consistent edit", a.to_string(), b.to_string()));
                }
            }
        }
    }
    for file in ["msr_paraphrase_train.txt", "msr_paraphrase_test.txt"] {
        let path = data.join("mrpc").join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() == 5 && f[0].trim_start_matches('\u{feff}') == "1" {
                out.push(("MRPC paraphrase pair", f[3].to_string(), f[4].to_string()));
            }
        }
    }
    Ok(out)
}
