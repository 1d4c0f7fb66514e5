//! Reading the data: MRPC, the STS Benchmark and the PAN 2025 sample.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

pub struct Pair {
    pub a: String,
    pub b: String,
    /// MRPC: 1/0; STS: gold similarity 0..5.
    pub gold: f64,
}

fn read_text(path: &Path) -> Result<String> {
    let s = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(s.trim_start_matches('\u{feff}').to_string())
}

pub fn read_mrpc(path: &Path) -> Result<Vec<Pair>> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            bail!("{}: bad line {line:?}", path.display());
        }
        out.push(Pair {
            a: f[3].to_string(),
            b: f[4].to_string(),
            gold: f[0].trim().parse()?,
        });
    }
    Ok(out)
}

pub fn read_sts(path: &Path) -> Result<Vec<Pair>> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 7 {
            continue;
        }
        out.push(Pair {
            a: f[5].to_string(),
            b: f[6].to_string(),
            gold: f[4].trim().parse()?,
        });
    }
    Ok(out)
}

/// One paragraph of a PAN paper.
pub struct Paragraph {
    pub id: String,
    pub text: String,
    /// `Some(source id)` for `type: plagiarism`; `None` inside `labelled`
    /// for `altered`.
    pub source: Option<String>,
    pub labelled: bool,
}

pub struct PanDoc {
    pub name: String,
    pub candidate: Vec<Paragraph>,
    pub source: Vec<Paragraph>,
}

fn pan_paragraphs(doc: &serde_json::Value) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut push = |p: &serde_json::Value| {
        let text = p["content"].as_str().unwrap_or("").to_string();
        let label = p.get("plagiarism").filter(|v| !v.is_null());
        out.push(Paragraph {
            id: p["id"].as_str().unwrap_or("").to_string(),
            text,
            source: label
                .filter(|l| l["type"] == "plagiarism")
                .and_then(|l| l["source_paragraph_id"].as_str())
                .map(str::to_string),
            labelled: label.is_some(),
        });
    };
    for p in doc["abstract"].as_array().into_iter().flatten() {
        push(p);
    }
    for s in doc["sections"].as_array().into_iter().flatten() {
        for p in s["paragraphs"].as_array().into_iter().flatten() {
            push(p);
        }
    }
    out
}

pub fn read_pan(dir: &Path) -> Result<Vec<PanDoc>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let v: serde_json::Value = serde_json::from_str(&read_text(&f)?)?;
        out.push(PanDoc {
            name: f
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            candidate: pan_paragraphs(&v["candidate"]),
            source: pan_paragraphs(&v["source"]),
        });
    }
    Ok(out)
}
