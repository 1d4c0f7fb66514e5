//! MiniLM against the sentence-transformers reference embeddings.
//!
//! `shared/data/minilm-reference/reference.jsonl` was written once by the
//! reference implementation (sentence-transformers 6.2.0, torch 2.15.0, CPU,
//! `encode(texts, normalize_embeddings=True)`, 7 decimals); see its README.

mod common;

use std::sync::OnceLock;

use unspun_embed::{cosine, Embedder, MiniLm};

const TOLERANCE: f32 = 1e-4;

fn model() -> &'static MiniLm {
    static M: OnceLock<MiniLm> = OnceLock::new();
    M.get_or_init(|| {
        let dir = common::models().join("minilm");
        MiniLm::load(&dir).unwrap_or_else(|e| panic!("{e} (scripts/test.sh runs setup.sh)"))
    })
}

fn reference() -> Vec<(String, Vec<f32>)> {
    let path = common::shared_data().join("minilm-reference/reference.jsonl");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("reference line is JSON");
            let t = v["text"].as_str().expect("text").to_string();
            let e = v["embedding"]
                .as_array()
                .expect("embedding")
                .iter()
                .map(|x| x.as_f64().expect("float") as f32)
                .collect();
            (t, e)
        })
        .collect()
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn matches_reference_within_1e4() {
    let refs = reference();
    assert_eq!(refs.len(), 56, "the reference file holds 56 texts");
    let texts: Vec<&str> = refs.iter().map(|(t, _)| t.as_str()).collect();
    let got = model().embed(&texts).unwrap();
    assert_eq!(got.len(), refs.len());
    let mut worst = (0f32, 0usize);
    for (i, ((text, want), have)) in refs.iter().zip(&got).enumerate() {
        assert_eq!(have.len(), 384);
        let d = max_abs_diff(want, have);
        assert!(
            d <= TOLERANCE,
            "text {i} ({:?}...): max |diff| {d} > {TOLERANCE}",
            text.chars().take(40).collect::<String>()
        );
        if d > worst.0 {
            worst = (d, i);
        }
    }
    eprintln!("worst max |diff| {} (text {})", worst.0, worst.1);
}

#[test]
fn batch_equals_one_by_one() {
    let refs = reference();
    // Mixed lengths in one batch, so padding is exercised.
    let texts: Vec<&str> = refs.iter().take(40).map(|(t, _)| t.as_str()).collect();
    let batched = model().embed(&texts).unwrap();
    for (t, b) in texts.iter().zip(&batched) {
        let single = model().embed(&[t]).unwrap();
        let d = max_abs_diff(&single[0], b);
        assert!(d <= 1e-5, "batch vs single differ by {d} on {t:?}");
    }
}

#[test]
fn edge_cases_behave_as_reference() {
    let refs = reference();
    let find = |pred: &dyn Fn(&str) -> bool| {
        refs.iter()
            .find(|(t, _)| pred(t))
            .expect("edge case present in the reference")
            .clone()
    };
    let empty = find(&|t| t.is_empty());
    let long = find(&|t| t.starts_with("word word") && t.split_whitespace().count() == 300);
    for (text, want) in [empty, long] {
        let have = &model().embed(&[text.as_str()]).unwrap()[0];
        let d = max_abs_diff(&want, have);
        assert!(d <= TOLERANCE, "{} chars: max |diff| {d}", text.len());
        let norm: f32 = have.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "normalised, got {norm}");
    }
    // Truncation: 300 words and 1,000 words are the same 256 word pieces.
    let longer = "word ".repeat(1000);
    let v = model().embed(&[&"word ".repeat(300), &longer]).unwrap();
    assert!(max_abs_diff(&v[0], &v[1]) <= 1e-6);
    assert!(model().embed(&[]).unwrap().is_empty());
}

#[test]
fn paraphrase_scores_above_unrelated() {
    let v = model()
        .embed(&[
            "Witkoff met Putin for three hours.",
            "Witkoff had a three-hour meeting with Putin.",
            "The central bank raised interest rates by half a point.",
        ])
        .unwrap();
    assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]) + 0.3);
    assert_eq!(model().name(), "minilm");
    assert_eq!(model().dim(), 384);
}

#[test]
fn missing_model_is_a_clear_error() {
    let dir = std::env::temp_dir().join("unspun-embed-no-such-model");
    let err = MiniLm::load(&dir).err().expect("load must fail");
    assert!(matches!(err, unspun_embed::EmbedError::ModelMissing { .. }));
    assert_eq!(
        err.to_string(),
        format!("model not found at {}: run scripts/setup.sh", dir.display())
    );
}
