//! A real AI paraphrase that only embeddings align: LLM rewrites from the
//! PAN 2025 generated-plagiarism sample (`../shared/data`), each aligned
//! against the source paragraph its label names. Lexical evidence misses
//! the rewritten sentence (few shared content words: "As power increases
//! … discernible in the Fast Fourier Transform analysis" against "At
//! intermediate powers, the FFT clearly shows"); the static blend and the
//! MiniLM re-scoring must keep finding it, and to the right sentence.

use std::path::{Path, PathBuf};

use unspun_align::{Aligner, Alignment, AnalyzedArticle, EmbeddingKind, Semantic};
use unspun_article::{Article, ArticleId};
use unspun_embed::{Embedder, MiniLm, StaticEmbedder};
use unspun_segment::{Analyzer, Segmenter};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn models() -> PathBuf {
    let dir = match std::env::var_os("UNSPUN_MODELS") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => repo().join("models"),
    };
    assert!(
        dir.join("static").is_dir() && dir.join("minilm").is_dir(),
        "the embedding models are missing in {}: run scripts/setup.sh (scripts/test.sh does)",
        dir.display()
    );
    dir
}

/// The text of paragraph `id` of the `side` ("candidate" or "source") paper
/// of a PAN sample file, checking the candidate's plagiarism label.
fn paragraph(file: &str, side: &str, id: &str) -> (String, Option<String>) {
    let path = repo()
        .join("../shared/data/pan25-generated-plagiarism-sample")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the shared data must be beside the repository)",
            path.display()
        )
    });
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let paper = &doc[side];
    let all = paper["abstract"].as_array().into_iter().flatten().chain(
        paper["sections"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|s| s["paragraphs"].as_array().into_iter().flatten()),
    );
    for p in all {
        if p["id"] == id {
            let source = p["plagiarism"]["source_paragraph_id"]
                .as_str()
                .map(str::to_string);
            return (p["content"].as_str().unwrap().to_string(), source);
        }
    }
    panic!("{file}: no {side} paragraph {id}");
}

fn article(id: &str, text: &str) -> AnalyzedArticle {
    AnalyzedArticle::new(
        Article::new(ArticleId::new(id).unwrap(), text),
        &Segmenter::new(),
        &Analyzer::new(),
    )
}

fn vectors(model: &dyn Embedder, a: &AnalyzedArticle) -> Vec<Vec<f32>> {
    let texts: Vec<&str> = (0..a.sentences.len()).map(|i| a.sentence_text(i)).collect();
    model.embed(&texts).unwrap()
}

/// The source sentences aligned to derived sentence `i`.
fn aligned_to(a: &Alignment, i: usize) -> Vec<usize> {
    a.groups
        .iter()
        .filter(|g| g.derived.contains(&i))
        .flat_map(|g| g.source.clone())
        .collect()
}

/// (file, candidate paragraph, its labelled source paragraph, derived
/// sentence only embeddings align, the source sentence it restates)
const CASES: [(&str, &str, &str, usize, usize); 2] = [
    (
        "000005:1106.3365--1706.00193.json",
        "S4.p4",
        "S5.SS2.p2",
        1,
        1,
    ),
    (
        "000004:1404.6257--2106.16035.json",
        "S3.SS1.SSS2.p2",
        "S2.SS2.p3",
        1,
        1,
    ),
];

#[test]
fn embeddings_align_llm_rewrites_that_lexical_evidence_misses() {
    let dir = models();
    let fast = StaticEmbedder::load(&dir.join("static")).unwrap();
    let minilm = MiniLm::load(&dir.join("minilm")).unwrap();
    let aligner = Aligner::new();
    for (file, cand, src, i, j) in CASES {
        let (derived_text, label) = paragraph(file, "candidate", cand);
        assert_eq!(label.as_deref(), Some(src), "{file} {cand}: label");
        let (source_text, _) = paragraph(file, "source", src);
        let (derived, source) = (article("d", &derived_text), article("s", &source_text));
        eprintln!(
            "{cand}[{i}]: {}\n{src}[{j}]: {}",
            derived.sentence_text(i),
            source.sentence_text(j)
        );

        let lexical = aligner.align(&derived, &source);
        assert!(
            aligned_to(&lexical, i).is_empty(),
            "{cand}: lexical evidence now aligns sentence {i}; pick a case it misses"
        );

        let (df, sf) = (vectors(&fast, &derived), vectors(&fast, &source));
        let (dm, sm) = (vectors(&minilm, &derived), vectors(&minilm, &source));
        let rescore = |pairs: &[(usize, usize)]| -> Vec<Option<f32>> {
            pairs
                .iter()
                .map(|&(a, b)| Some(unspun_align::semantic::dot(&dm[a], &sm[b])))
                .collect()
        };
        let mut sem = Semantic {
            kind: EmbeddingKind::Static,
            derived: &df,
            source: &sf,
            rescore: None,
        };
        for mode in ["static", "minilm"] {
            if mode == "minilm" {
                sem.rescore = Some(&rescore);
            }
            let a = aligner.align_semantic(&derived, &source, None, Some(&sem));
            assert_eq!(aligned_to(&a, i), vec![j], "{mode}, {file} {cand}");
            // Embeddings only add: every lexical match is still there.
            for g in &lexical.groups {
                for &d in &g.derived {
                    assert!(a.derived_matched[d], "{mode}: lost lexical match {d}");
                }
            }
        }
    }
}
