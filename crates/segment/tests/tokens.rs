//! Tokeniser tests: offsets, norms, stems, stopwords, kinds.

use unspun_segment::{check_tokens, fold, is_stopword, Analyzer, Span, Token, TokenKind};

fn toks(text: &str) -> Vec<Token> {
    let span = Span::new(0, text.len());
    let t = Analyzer::new().tokens(text, span);
    check_tokens(text, span, &t).unwrap();
    for tok in &t {
        assert_eq!(&text[tok.span], tok.span.text(text));
    }
    t
}

fn surfaces(text: &str) -> Vec<&str> {
    Analyzer::new()
        .tokens(text, Span::new(0, text.len()))
        .iter()
        .map(|t| &text[t.span])
        .collect()
}

fn norms(text: &str) -> Vec<String> {
    toks(text).into_iter().map(|t| t.norm).collect()
}

#[test]
fn surfaces_and_splitting() {
    assert_eq!(
        surfaces("A high-level, three-hour meeting; 25-year-old (2014—) U.S.-led."),
        [
            "A", "high", "level", "three", "hour", "meeting", "25", "year", "old", "2014", "U.S.",
            "led"
        ]
    );
    assert_eq!(
        surfaces("don't O’Brien’s workers' rock’n’roll"),
        ["don't", "O’Brien’s", "workers", "rock’n’roll"]
    );
    assert_eq!(
        surfaces("12,000 3.5 1987 0.25 2,225 3.5bn"),
        ["12,000", "3.5", "1987", "0.25", "2,225", "3.5", "bn"]
    );
    assert_eq!(surfaces("1st 3pm 1990s G7"), ["1st", "3pm", "1990s", "G7"]);
    assert_eq!(surfaces("in 2014. Then"), ["in", "2014", "Then"]);
    assert_eq!(
        surfaces("reuters.com x.y.z"),
        ["reuters", "com", "x", "y", "z"]
    );
    assert_eq!(
        surfaces("U.N. J.D. a.m. Ph.D. U.S.A."),
        ["U.N.", "J.D.", "a.m.", "Ph.D.", "U.S.A."]
    );
    assert_eq!(surfaces("“...” — ! ?"), Vec::<&str>::new());
}

#[test]
fn kinds() {
    let t = toks("12,000 people aged 25-year 1st");
    let kinds: Vec<TokenKind> = t.iter().map(|t| t.kind).collect();
    use TokenKind::*;
    assert_eq!(kinds, [Number, Word, Word, Number, Word, Word]);
}

#[test]
fn norms_fold_and_strip() {
    assert_eq!(norms("Trump’s Trump's"), ["trump", "trump"]);
    assert_eq!(norms("U.S. U.N. a.m."), ["us", "un", "am"]);
    assert_eq!(norms("12,000 0.25 2,225"), ["12000", "0.25", "2225"]);
    assert_eq!(
        norms("Zelenskiy Café naïve Straße"),
        ["zelenskiy", "cafe", "naive", "strasse"]
    );
    assert_eq!(norms("don’t"), ["don't"]);
    // Decomposed accent (e + U+0301) stays in the word.
    assert_eq!(norms("Cafe\u{301} au lait"), ["cafe", "au", "lait"]);
    assert_eq!(fold("“Élysée” Palace’s"), "\"elysee\" palace's");
    assert_eq!(fold("Plain ASCII"), "plain ascii");
}

#[test]
fn stems() {
    let t = toks("meetings negotiations criticised Numbers 12,000");
    let stems: Vec<&str> = t.iter().map(|t| t.stem.as_str()).collect();
    assert_eq!(stems, ["meet", "negoti", "criticis", "number", "12000"]);
}

#[test]
fn stopwords() {
    assert!(is_stopword("the"));
    assert!(is_stopword("us"));
    assert!(is_stopword("mr"));
    assert!(!is_stopword("said"));
    assert!(!is_stopword("not"));
    assert!(!is_stopword("trump"));
    let t = toks("The U.S. told us it said US troops won't NOT");
    let stop: Vec<(&str, bool)> = t.iter().map(|t| (t.norm.as_str(), t.stop)).collect();
    assert_eq!(
        stop,
        [
            ("the", true),
            ("us", false),
            ("told", false),
            ("us", true),
            ("it", true),
            ("said", false),
            ("us", false),
            ("troops", false),
            ("won't", false),
            ("not", false),
        ]
    );
}

#[test]
fn capitalized_and_offsets_in_sub_span() {
    let text = "Intro. Mr. Trump’s envoy met 12,000 people.";
    let span = Span::new(7, text.len());
    let t = Analyzer::new().tokens(text, span);
    check_tokens(text, span, &t).unwrap();
    assert_eq!(t[0].span, Span::new(7, 9));
    assert_eq!(&text[t[0].span], "Mr");
    assert!(t[0].capitalized);
    assert_eq!(&text[t[1].span], "Trump’s");
    assert_eq!(t[1].norm, "trump");
    assert!(!t[2].capitalized);
    assert_eq!(&text[t[4].span], "12,000");
    assert_eq!(t[4].kind, TokenKind::Number);
}
