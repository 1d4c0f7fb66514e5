//! The distilled static embedder: deterministic, normalised, and it ranks the
//! seeds' paraphrase pairs above unrelated pairs.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use unspun_embed::{cosine, Embedder, StaticEmbedder};

fn model() -> &'static StaticEmbedder {
    static M: OnceLock<StaticEmbedder> = OnceLock::new();
    M.get_or_init(|| {
        let dir = common::models().join("static");
        StaticEmbedder::load(&dir).unwrap_or_else(|e| panic!("{e} (scripts/test.sh runs setup.sh)"))
    })
}

/// Sentences of seed 003 (Reuters) and their AI rewrites in seed 000.
const PARAPHRASES: [(&str, &str); 5] = [
    (
        "U.S. President Donald Trump's envoy Steve Witkoff met Russian President Vladimir Putin for three hours in Moscow on Friday to discuss the U.S. plan to end the war in Ukraine.",
        "US President Donald Trump's envoy, Steve Witkoff, had a three-hour meeting with Russian President Vladimir Putin yesterday in Russia to discuss the US plan to conclude the war in Ukraine.",
    ),
    (
        "Trump said in a social media post after Witkoff's meeting concluded that it was a good day of talks and called for a high-level meeting between Kyiv and Moscow to close a deal.",
        "After the conclusion of Mr. Witkoff's meeting, Mr. Trump stated in a social media post that the discussions were productive and called for a high-level gathering between Ukraine and Russia to finalize an agreement.",
    ),
    (
        "Ukrainian President Volodymyr Zelenskiy was also expected to attend the funeral, although he said on Friday he was not certain he could make it.",
        "Ukrainian President Volodymyr Zelensky was anticipated to attend the funeral, although he expressed uncertainty about his attendance yesterday.",
    ),
    (
        "Kremlin foreign policy aide Yuri Ushakov, who took part in Friday's meeting and briefed reporters on the details, earlier described it as constructive and very useful.",
        "Kremlin foreign policy aide Yuri Ushakov, who participated in the meeting and later briefed reporters, characterized it as constructive and notably beneficial.",
    ),
    (
        "met Putin for three hours",
        "had a three-hour meeting with Putin",
    ),
];

/// Sentences on other subjects (MRPC test and made up), to pair with the above.
const UNRELATED: [&str; 5] = [
    "PCCW's chief operating officer, Mike Butcher, and Alex Arena, the chief financial officer, will report directly to Mr So.",
    "The central bank raised interest rates by half a point to curb inflation.",
    "Shares of the software maker fell 4 percent in early trading on the Nasdaq.",
    "Heavy rain flooded several villages in the north of the country overnight.",
    "The striker scored twice as the home side won the cup final 3-1.",
];

#[test]
fn paraphrases_score_above_unrelated_pairs() {
    let m = model();
    let mut best_unrelated = f32::MIN;
    for (a, b) in PARAPHRASES {
        for u in UNRELATED {
            let v = m.embed(&[a, u, b]).unwrap();
            best_unrelated = best_unrelated.max(cosine(&v[0], &v[1]));
            best_unrelated = best_unrelated.max(cosine(&v[2], &v[1]));
        }
    }
    for (a, b) in PARAPHRASES {
        let v = m.embed(&[a, b]).unwrap();
        let s = cosine(&v[0], &v[1]);
        eprintln!("paraphrase {s:.3}: {a:?}");
        assert!(
            s > best_unrelated,
            "paraphrase scored {s:.3}, not above the best unrelated pair {best_unrelated:.3}: {a:?} / {b:?}"
        );
    }
    eprintln!("best unrelated pair {best_unrelated:.3}");
}

#[test]
fn deterministic_and_normalised() {
    let dir = common::models().join("static");
    let again = StaticEmbedder::load(&dir).unwrap();
    let texts: Vec<&str> = PARAPHRASES
        .iter()
        .flat_map(|(a, b)| [*a, *b])
        .chain(UNRELATED)
        .collect();
    // Many copies, so the parallel path runs too.
    let many: Vec<&str> = texts.iter().cycle().take(500).copied().collect();
    let first = model().embed(&many).unwrap();
    let second = again.embed(&many).unwrap();
    assert_eq!(first, second, "same model, same texts, same bits");
    for (t, v) in many.iter().zip(&first) {
        assert_eq!(v.len(), model().dim());
        let single = &model().embed(&[t]).unwrap()[0];
        assert_eq!(single, v, "batch and single agree");
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "norm {norm} for {t:?}");
    }
    assert_eq!(model().name(), "static");
    assert_eq!(model().dim(), 256);
}

#[test]
fn empty_text_is_the_zero_vector() {
    let v = model().embed(&["", "   ", "a"]).unwrap();
    assert!(v[0].iter().all(|&x| x == 0.0));
    assert!(v[1].iter().all(|&x| x == 0.0));
    assert!(v[2].iter().any(|&x| x != 0.0));
    assert_eq!(cosine(&v[0], &v[2]), 0.0);
}

#[test]
fn missing_model_is_a_clear_error() {
    let dir = std::env::temp_dir().join("unspun-embed-no-such-static");
    let err = StaticEmbedder::load(&dir).err().expect("load must fail");
    assert_eq!(
        err.to_string(),
        format!("model not found at {}: run scripts/setup.sh", dir.display())
    );
}

/// The fast ASCII tokeniser gives exactly the ids of the `tokenizers`
/// pipeline, on real news sentences and on awkward strings.
#[test]
fn fast_tokenizer_matches_tokenizers() {
    let dir = common::models().join("static");
    let mut reference = tokenizers::Tokenizer::from_file(dir.join("tokenizer.json")).unwrap();
    reference.with_padding(None);
    reference.with_truncation(None).unwrap();

    let mut texts: Vec<String> = Vec::new();
    for file in ["msr_paraphrase_test.txt", "msr_paraphrase_train.txt"] {
        let path = common::shared_data().join("mrpc").join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        for line in text.lines().skip(1) {
            texts.extend(line.split('\t').skip(3).map(str::to_string));
        }
    }
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        texts.extend(text.lines().map(str::to_string));
    }
    for odd in [
        "",
        " \t\n ",
        "[CLS] hello [SEP]",
        "[cls] [Source: Reuters]",
        "a\u{b}b\u{c}c\u{7f}d",
        "don't U.S. $12,000 e-mail 3.5% (AP) -- \"quoted\" #tag @user ~x^y_z`",
        "supercalifragilisticexpialidocious antidisestablishmentarianism",
        &"x".repeat(100),
        &"x".repeat(101),
        "café naïve — “curly” 😀 ﬁ",
        "MiXeD CaSe WORDS",
    ] {
        texts.push(odd.to_string());
    }
    assert!(texts.len() > 10_000, "{} texts", texts.len());
    let mut mismatches = 0;
    for t in &texts {
        let want = reference
            .encode(t.as_str(), false)
            .unwrap()
            .get_ids()
            .to_vec();
        let have = model().token_ids(t).unwrap();
        if want != have {
            mismatches += 1;
            eprintln!("mismatch on {t:?}:\n  tokenizers {want:?}\n  fast       {have:?}");
        }
    }
    assert_eq!(
        mismatches,
        0,
        "{mismatches} of {} texts differ",
        texts.len()
    );
}
