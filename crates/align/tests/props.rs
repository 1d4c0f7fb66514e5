//! Properties of the aligner on real sentences: reordering and dropping
//! never confuse a verbatim copy, and the alignment is always well formed.

use proptest::prelude::*;
use unspun_align::{Aligner, AnalyzedArticle, MatchKind};
use unspun_article::{Article, ArticleId};
use unspun_segment::{Analyzer, Segmenter};

fn reuters_sentences() -> Vec<String> {
    let path = format!(
        "{}/../../examples/seeds/003_741671edce2820d1.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let raw = std::fs::read_to_string(path).unwrap();
    let body = raw.split_once("[Source: Reuters]").unwrap().1;
    let seg = Segmenter::new();
    seg.split(body)
        .iter()
        .map(|s| s.span.text(body).to_string())
        .collect()
}

fn analyzed(id: &str, text: String) -> AnalyzedArticle {
    AnalyzedArticle::new(
        Article::new(ArticleId::new(id).unwrap(), text),
        &Segmenter::new(),
        &Analyzer::new(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A shuffled subset of the source's own sentences aligns each one,
    /// verbatim, to the sentence it is; the left-out ones are dropped.
    #[test]
    fn shuffled_subset_aligns_verbatim(
        keep in proptest::collection::vec(any::<bool>(), 15),
        order in Just((0..15usize).collect::<Vec<_>>()).prop_shuffle(),
    ) {
        let sentences = reuters_sentences();
        prop_assert_eq!(sentences.len(), 15);
        let picked: Vec<usize> = order.into_iter().filter(|&i| keep[i]).collect();
        prop_assume!(!picked.is_empty());
        let text = picked.iter().map(|&i| sentences[i].as_str()).collect::<Vec<_>>().join("\n\n");
        let source = analyzed("src", sentences.join("\n\n"));
        let derived = analyzed("der", text);
        prop_assert_eq!(derived.sentences.len(), picked.len());
        let alignment = Aligner::new().align(&derived, &source);
        for (d, &s) in picked.iter().enumerate() {
            let g = alignment.groups.iter().find(|g| g.derived.contains(&d));
            prop_assert!(g.is_some(), "derived {} unaligned", d);
            let g = g.unwrap();
            prop_assert_eq!(&g.source, &vec![s]);
            prop_assert_eq!(g.kind, MatchKind::Verbatim);
        }
        for j in 0..15 {
            prop_assert_eq!(alignment.source_matched[j], picked.contains(&j));
        }
    }

    /// Any mix of real sentences gives a well-formed alignment: groups are
    /// disjoint, flags agree with groups, scores lie in [0, 1].
    #[test]
    fn alignment_is_well_formed(
        a in proptest::collection::vec(0..15usize, 0..12),
        b in proptest::collection::vec(0..15usize, 0..12),
    ) {
        let sentences = reuters_sentences();
        let join = |v: &[usize]| v.iter().map(|&i| sentences[i].as_str()).collect::<Vec<_>>().join(" ");
        let derived = analyzed("der", join(&a));
        let source = analyzed("src", join(&b));
        let al = Aligner::new().align(&derived, &source);
        let mut seen_d = vec![false; derived.sentences.len()];
        let mut seen_s = vec![false; source.sentences.len()];
        for g in &al.groups {
            prop_assert!(!g.derived.is_empty() && !g.source.is_empty());
            prop_assert!((0.0..=1.0).contains(&g.score));
            for &i in &g.derived { prop_assert!(!seen_d[i]); seen_d[i] = true; }
            for &j in &g.source { prop_assert!(!seen_s[j]); seen_s[j] = true; }
        }
        prop_assert_eq!(seen_d, al.derived_matched);
        prop_assert_eq!(seen_s, al.source_matched);
    }
}
