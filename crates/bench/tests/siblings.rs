//! Sibling rewrites on real text: a fast subset of `sibling-eval` (the
//! first families of each l2r-dev domain, no distractors), checking the
//! rule of issue 14 in both date settings. Reads `../shared/data` and the
//! static model in `models/` (set up by `scripts/setup.sh`); fails, never
//! skips, when they are missing.

use std::path::PathBuf;
use std::sync::Arc;

use unspun_bench::l2r;
use unspun_bench::siblings::{evaluate, Counts, Setting};
use unspun_embed::StaticEmbedder;
use unspun_engine::Semantics;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn families(per_domain: usize) -> Vec<l2r::Family> {
    let data = root().join("../shared/data/l2r-dev");
    assert!(data.is_dir(), "{} is missing", data.display());
    let mut out = Vec::new();
    for d in l2r::DOMAINS {
        let mut f = l2r::read_domain(&data, d).expect("l2r-dev readable");
        // Environmental has the most short items (136 families kept).
        assert!(f.len() > 120, "{d}: only {} families matched", f.len());
        f.truncate(per_domain);
        out.extend(f);
    }
    out
}

fn semantics() -> Semantics {
    let dir = root().join("models/static");
    Semantics::Static(Arc::new(
        StaticEmbedder::load(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())),
    ))
}

fn all(o: &unspun_bench::siblings::Outcome) -> &Counts {
    &o.by_domain["all"]
}

#[test]
fn rewrites_are_matched_to_their_human_text_by_content() {
    // The Gemini lists are not index-aligned and are matched by content
    // like the others; nearly every human text keeps rewrites by most of
    // the four models, each named after its human text.
    let fams = families(200);
    let rewrites: usize = fams.iter().map(|f| f.rewrites.len()).sum();
    assert!(rewrites as f64 >= 3.5 * fams.len() as f64, "{rewrites}");
    for f in &fams {
        let stem = f.original.id.as_str().trim_end_matches("human");
        assert!(f.rewrites.iter().all(|r| r.id.as_str().starts_with(stem)));
    }
    let gemini = fams
        .iter()
        .filter(|f| f.rewrites.iter().any(|r| r.id.as_str().ends_with("gemini")))
        .count();
    // 574 measured: the Gemini lists hold fewer items (167 to 192 a domain).
    assert!(gemini >= 550, "Gemini rewrites matched: {gemini}");
}

/// Measured on this subset (the first 12 families of each domain, 181
/// rewrites; docs/SIBLINGS.md has the full set): with the human texts a
/// day earlier, original first 0.923 (0.890 before a gap of spaces where
/// extraction lost a full stop ended a sentence; 0.856 before a retrieved
/// but unlisted human text was tested as the original of the first fellow
/// rewrite; 0.807 before an earlier-dated common original was tested
/// whatever the overlap, and when only `related`; main at 8a59a4e: 0.63
/// on the full set), graph parent 0.773 (0.57), 15 sibling edges of which
/// 12 without stated evidence; all on one day, 100 sibling edges, 93
/// without. Since two or three paraphrased sentences make a pair `related`,
/// not `partial` (docs/REUSE.md, session 24), a fellow rewrite whose own
/// pair with the human text went that way has no source left in the
/// graph, so the sibling test has no common source to test against: 11 /
/// 8 before, graph parent 0.779. These
/// bars guard what the rule achieves; the floors (0.98, 0.98, and
/// no sibling edge without evidence) are not met yet, for the reasons
/// docs/SIBLINGS.md gives.
#[test]
fn the_human_text_comes_first_and_sibling_edges_are_few() {
    let fams = families(12);
    let earlier = evaluate(&fams, &[], Setting::OriginalEarlier, semantics()).unwrap();
    let c = all(&earlier);
    let failures = earlier.failures.join("\n");
    assert!(c.rewrites >= 150, "{c:?}");
    assert!(
        c.original_first as f64 >= 0.91 * c.rewrites as f64,
        "{c:?}\n{failures}"
    );
    assert!(
        c.graph_parent as f64 >= 0.75 * c.rewrites as f64,
        "{c:?}\n{failures}"
    );
    assert!(
        c.sibling_edges - c.sibling_edges_with_evidence <= 12,
        "sibling edges without evidence:\n{failures}"
    );
    // Regressions. Every rewrite of educationmaterial-001 listed a fellow
    // rewrite (Llama's or GPT-3.5's) above the human text before the rule.
    // educationmaterial-007-gemini explains other sentences of the traced
    // rewrite through each fellow rewrite than through the human text
    // (heavy paraphrase: overlap under `OVERLAP`); environmental-002-gpt35 is
    // only `related` to its human text, and was listed under three fellow
    // rewrites it paraphrases. The human text of the last four was
    // retrieved but not listed at all (too loosely paraphrased to be even
    // `related`), under a fellow rewrite that derives from it. The
    // human texts of the last six lost their full stops in extraction
    // (gaps of two spaces left), and each was one run-on sentence.
    for traced in [
        "educationmaterial-001-",
        "educationmaterial-007-gemini",
        "environmental-002-gpt35",
        "environmental-000-llama",
        "governmentpublic-005-llama",
        "governmentpublic-008-gemini",
        "sports-010-gemini",
        "environmental-007-llama",
        "environmental-018-gpt35",
        "environmental-019-gpt35",
        "environmental-019-gpt4o",
        "environmental-021-gpt4o",
        "environmental-021-llama",
    ] {
        assert!(
            !earlier
                .failures
                .iter()
                .any(|f| f.starts_with(&format!("trace {traced}"))),
            "{traced}:\n{failures}"
        );
    }
    let same = evaluate(&fams, &[], Setting::SameDay, semantics()).unwrap();
    let c = all(&same);
    assert!(
        c.sibling_edges - c.sibling_edges_with_evidence <= 100,
        "sibling edges without evidence ({c:?}):\n{}",
        same.failures.join("\n")
    );
}
