//! Property tests: the sentence and token invariants hold for any input,
//! random or assembled from real news text.

use proptest::prelude::*;
use unspun_segment::{check_cover, check_tokens, split_sentences, Analyzer, Span};

const REAL: &[&str] = &[
    include_str!("data/seed_000.txt"),
    include_str!("data/seed_003.txt"),
    include_str!("data/reuters_cocoa.txt"),
];

fn check_all(text: &str) -> Result<(), TestCaseError> {
    let sentences = split_sentences(text);
    check_cover(text, &sentences).map_err(TestCaseError::fail)?;
    let analyzer = Analyzer::new();
    for s in &sentences {
        let tokens = analyzer.tokens(text, s.span);
        check_tokens(text, s.span, &tokens).map_err(TestCaseError::fail)?;
    }
    let whole = Span::new(0, text.len());
    check_tokens(text, whole, &analyzer.tokens(text, whole)).map_err(TestCaseError::fail)?;
    Ok(())
}

/// Pieces that exercise the rules: abbreviations, quotes, breaks, numbers.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Mr.", "U.S.", "p.m.", "J.D.", "No.", "Inc.", "St.", "3.5", "12,000", "...", "…", ".",
            "!", "?", "\"", "“", "”", "’", "'", "(", ")", "[", "]", "\n", "\n\n", "\n    ", "\r\n",
            " ", "\t", "The", "he", "said", "Trump", "\u{2029}", "\u{a0}", "e\u{301}", "—", "-",
        ])
        .prop_map(String::from),
        "[a-zA-Z]{1,8}",
        any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_unicode(s in any::<String>()) {
        check_all(&s)?;
    }

    #[test]
    fn random_newsy(s in "[a-zA-Z0-9 .,!?\"“”’'()\n\t…—-]{0,200}") {
        check_all(&s)?;
    }

    #[test]
    fn assembled_pieces(parts in prop::collection::vec(piece(), 0..60)) {
        check_all(&parts.concat())?;
    }

    #[test]
    fn real_text_slices(doc in 0..REAL.len(), a in 0usize..20_000, b in 0usize..20_000) {
        let text = REAL[doc];
        let (mut a, mut b) = (a % (text.len() + 1), b % (text.len() + 1));
        if a > b { std::mem::swap(&mut a, &mut b); }
        while !text.is_char_boundary(a) { a -= 1; }
        while !text.is_char_boundary(b) { b += 1; }
        check_all(&text[a..b])?;
    }

    #[test]
    fn real_words_shuffled(idx in prop::collection::vec(any::<prop::sample::Index>(), 0..80)) {
        let words: Vec<&str> = REAL[0].split(' ').chain(REAL[2].split(' ')).collect();
        let text: Vec<&str> = idx.iter().map(|i| *i.get(&words)).collect();
        check_all(&text.join(" "))?;
    }
}
