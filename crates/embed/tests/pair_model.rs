//! The sentence-pair model against the margins PyTorch gave when the adapter
//! was fitted (`crates/embed/pair-model/reference.json`, written by
//! `bench/pair-model/train.py` for 16 MRPC train pairs the adapter never saw),
//! and on pairs whose answer a reader knows.

mod common;

use std::sync::OnceLock;

use unspun_embed::PairModel;

/// Margins are log-odds; the reference was computed in f32 by another
/// implementation of the same graph, so they agree to float rounding.
const TOLERANCE: f32 = 1e-3;

fn model() -> &'static PairModel {
    static M: OnceLock<PairModel> = OnceLock::new();
    M.get_or_init(|| {
        let dir = common::models().join("minilm");
        PairModel::load(&dir).unwrap_or_else(|e| panic!("{e} (scripts/test.sh runs setup.sh)"))
    })
}

#[test]
fn margins_match_the_pytorch_reference() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("pair-model/reference.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(rows.len(), 16);
    let pairs: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["a"].as_str().unwrap(), r["b"].as_str().unwrap()))
        .collect();
    // In one batch (padded to the longest pair) and one by one: padding
    // must not change a margin.
    let batched = model().margins(&pairs).unwrap();
    for (i, (r, m)) in rows.iter().zip(&batched).enumerate() {
        let want = r["margin"].as_f64().unwrap() as f32;
        assert!(
            (m - want).abs() < TOLERANCE,
            "pair {i}: {m} against the reference {want}"
        );
        let alone = model().margins(&pairs[i..=i]).unwrap()[0];
        assert!((alone - want).abs() < TOLERANCE, "pair {i} alone: {alone}");
    }
}

#[test]
fn paraphrases_score_positive_and_unrelated_pairs_negative() {
    let m = model()
        .margins(&[
            (
                "Witkoff met Putin for three hours on Friday.",
                "On Friday Witkoff had a three-hour meeting with Putin.",
            ),
            (
                "Kremlin aide Yuri Ushakov, who took part in Friday's meeting, described it as constructive and very useful.",
                "Kremlin aide Yuri Ushakov, who participated in the meeting, characterized it as constructive and notably beneficial.",
            ),
            (
                "Witkoff met Putin for three hours on Friday.",
                "Heavy rain is expected across the north of England tomorrow.",
            ),
            (
                "Russia and Ukraine have not held direct talks since the early weeks of the war.",
                "Mr. Putin denies any intentions regarding NATO territory.",
            ),
        ])
        .unwrap();
    assert!(m[0] > 0.0 && m[1] > 0.0, "paraphrases: {m:?}");
    assert!(m[2] < 0.0 && m[3] < 0.0, "unrelated: {m:?}");
}

/// What the pair model does not see, kept as a test so that a refitted
/// adapter that changes it is noticed: like MRPC's annotators, it calls a
/// sentence with one fact flipped a paraphrase ("raised" / "cut" scores as
/// high as a true restatement). That is why `unspun similarity` reports
/// `numbers_differ` and `negation_differs` apart from the score, and why
/// traces leave changed facts to the change detector.
#[test]
fn a_flipped_fact_still_reads_as_a_paraphrase() {
    let m = model()
        .margins(&[(
            "The central bank raised interest rates by half a point.",
            "The central bank cut interest rates by half a point.",
        )])
        .unwrap();
    assert!(m[0] > 0.0, "{m:?}");
}

#[test]
fn empty_input_gives_no_margins() {
    assert!(model().margins(&[]).unwrap().is_empty());
}
