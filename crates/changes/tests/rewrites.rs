//! Regression tests on whole-article LLM rewrites of real Reuters and BBC
//! stories (`../shared/data/llm-rewrites-dev`): each false alarm fixed there
//! stays fixed, and the planted changes next to it are still reported.
//! The pair is aligned by the lexical aligner, then compared; every span is
//! checked against the texts.

use unspun_align::{Aligner, AnalyzedArticle};
use unspun_article::{Article, ArticleId};
use unspun_changes::{Change, ChangeDetector, ChangeType, Severity};
use unspun_segment::{Analyzer, Segmenter};

/// The data folder: tests fail, never skip, when it is missing.
fn rewrites() -> Vec<serde_json::Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/llm-rewrites-dev/rewrites.jsonl"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e} (the tests read ../shared/data)"));
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The detector `unspun trace` uses: with the repository's WordNet
/// (`$UNSPUN_MODELS/wordnet`, else `<repo>/models/wordnet`; missing, the
/// tests fail: `scripts/test.sh` runs setup first).
fn detector() -> ChangeDetector {
    let dir = match std::env::var_os("UNSPUN_MODELS") {
        Some(d) if !d.is_empty() => std::path::PathBuf::from(d),
        _ => std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models")),
    };
    let wn = unspun_changes::wordnet::shared_in(&dir.join("wordnet"))
        .unwrap_or_else(|e| panic!("WordNet in {}: {e}", dir.display()));
    ChangeDetector::builder().wordnet(Some(wn)).build()
}

/// The changes of minor or major severity the rewrite `id` gets against
/// its original (dated as rewrite-eval dates them).
fn changes(id: &str) -> Vec<Change> {
    let all = rewrites();
    let rw = all
        .iter()
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in the set"));
    let date: chrono::NaiveDate = rw["original_date"]
        .as_str()
        .unwrap_or("2005-03-01")
        .parse()
        .unwrap();
    let article = |name: &str, text: &str, date| {
        let mut a = Article::new(ArticleId::new(name).unwrap(), text);
        a.date = Some(date);
        AnalyzedArticle::new(a, &Segmenter::new(), &Analyzer::new())
    };
    let s = article("src", rw["original"].as_str().unwrap(), date);
    let d = article(
        "der",
        rw["rewrite"].as_str().unwrap(),
        date.succ_opt().unwrap(),
    );
    let alignment = Aligner::new().align(&d, &s);
    let report = detector().detect(&d, &s, &alignment);
    for c in report.all() {
        if let Some(x) = &c.derived {
            assert_eq!(&d.article.text[x.start..x.end], x.text);
        }
        if let Some(x) = &c.source {
            assert_eq!(&s.article.text[x.start..x.end], x.text);
        }
    }
    report
        .all()
        .filter(|c| c.severity >= Severity::Minor)
        .cloned()
        .collect()
}

fn text(span: &Option<unspun_changes::TextSpan>) -> &str {
    span.as_ref().map_or("", |s| s.text.as_str())
}

/// Whether a change of `kind` has `words` in its derived or source text.
fn has(cs: &[Change], kind: ChangeType, words: &str) -> bool {
    cs.iter().any(|c| {
        c.kind == kind && (text(&c.derived).contains(words) || text(&c.source).contains(words))
    })
}

fn none_of(cs: &[Change], kind: ChangeType) -> bool {
    !cs.iter().any(|c| c.kind == kind)
}

#[test]
fn merged_and_split_quotes_are_kept() {
    // Desailly's quotes run together ("... mistakes. It would not happen
    // now."), and the original reopens straight quotes without closing them.
    let cs = changes("bbc-sport-182");
    assert!(none_of(&cs, ChangeType::QuoteAltered), "{cs:#?}");
    assert!(none_of(&cs, ChangeType::QuoteAdded), "{cs:#?}");
    // Lindsay's quotes, split with "He added:".
    let cs = changes("bbc-sport-399");
    assert!(none_of(&cs, ChangeType::QuoteAdded), "{cs:#?}");
    assert!(none_of(&cs, ChangeType::QuoteAltered), "{cs:#?}");
}

#[test]
fn a_planted_misquote_is_still_one() {
    // "little or no basis" style edits: different words inside the marks.
    let all = rewrites();
    let ids: Vec<&str> = all
        .iter()
        .filter(|v| {
            v["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["type"] == "quote_altered")
        })
        .map(|v| v["id"].as_str().unwrap())
        .take(6)
        .collect();
    assert!(ids.len() >= 5);
    for id in ids {
        let cs = changes(id);
        assert!(has(&cs, ChangeType::QuoteAltered, ""), "{id}: {cs:#?}");
    }
}

#[test]
fn negation_is_judged_on_the_negated_word() {
    // "does not expect a quick solution" / "expects no quick end".
    assert!(none_of(
        &changes("bbc-sport-399"),
        ChangeType::NegationChanged
    ));
    // "apparently have yet to feed through" / "do not yet appear to have fed through".
    let cs = changes("bbc-business-006");
    assert!(none_of(&cs, ChangeType::NegationChanged), "{cs:#?}");
    // The planted reversal: "said it was satisfied" / "said it was not satisfied".
    let cs = changes("bbc-politics-082");
    assert!(has(&cs, ChangeType::NegationChanged, "not"), "{cs:#?}");
}

#[test]
fn names_are_accounted_over_the_whole_article() {
    // Ticker fragments of <DRSD.F>, and names that moved to other sentences.
    let cs = changes("reuters-4136");
    assert!(!has(&cs, ChangeType::EntityDropped, "DRSD"), "{cs:#?}");
    assert!(
        !has(&cs, ChangeType::EntityDropped, "Mittendorf"),
        "{cs:#?}"
    );
    assert!(!has(&cs, ChangeType::EntityAdded, "Mittendorf"), "{cs:#?}");
    // "Berlin Film Festival" / "the festival" and "film festival".
    let cs = changes("bbc-entertainment-058");
    assert!(
        !has(&cs, ChangeType::EntityDropped, "Film Festival"),
        "{cs:#?}"
    );
    // "Europe" / "European".
    let cs = changes("bbc-tech-061");
    assert!(!has(&cs, ChangeType::EntityReplaced, "Europe"), "{cs:#?}");
    // "FBI" in the headline spells out "Federal Bureau of Investigation".
    let cs = changes("reuters-7872");
    assert!(!has(&cs, ChangeType::ClaimAdded, "FBI"), "{cs:#?}");
    // The planted replacement is still a replacement.
    let cs = changes("reuters-20811");
    assert!(has(&cs, ChangeType::EntityReplaced, "Whitmore"), "{cs:#?}");
}

#[test]
fn hedges_and_scales_read_in_context() {
    // "about $25 a barrel" keeps "about 25 dlrs".
    let cs = changes("reuters-9639");
    assert!(!has(&cs, ChangeType::HedgeChanged, "25"), "{cs:#?}");
    // "for over 20 years" / "for more than 20 years"; the speaker read
    // through "he" is no other speaker.
    let cs = changes("reuters-3568");
    assert!(!has(&cs, ChangeType::HedgeChanged, "20"), "{cs:#?}");
    assert!(none_of(&cs, ChangeType::QuoteSpeakerChanged), "{cs:#?}");
    // "1.2 Canadian billion dlrs" / "1.2 billion Canadian dollars".
    let cs = changes("reuters-16613");
    assert!(!has(&cs, ChangeType::NumberChanged, "1.2"), "{cs:#?}");
    // The planted figure change in the same article is still reported.
    assert!(has(&cs, ChangeType::NumberChanged, "700"), "{cs:#?}");
}

#[test]
fn an_added_claim_with_a_figure_is_reported() {
    // "Shares in Fannie Mae fell 3% in New York trading on the news."
    let cs = changes("bbc-business-326");
    assert!(has(&cs, ChangeType::ClaimAdded, "3%"), "{cs:#?}");
}

#[test]
fn codes_labels_and_position_words_are_not_names() {
    // "TransCanada Pipelines Ltd (TRP)'s bid for Dome Petroleum Ltd (DMP)".
    let cs = changes("reuters-16613");
    assert!(!has(&cs, ChangeType::EntityDropped, "TRP"), "{cs:#?}");
    assert!(!has(&cs, ChangeType::EntityDropped, "DMP"), "{cs:#?}");
    // "Although Germany cannot entirely shield itself ...".
    let cs = changes("reuters-1959");
    assert!(!has(&cs, ChangeType::EntityDropped, "Although"), "{cs:#?}");
}

#[test]
fn a_year_changed_by_one_is_a_date_change() {
    // "the 1.1 billion dlrs spent in 1985" / "the $1.1 billion spent in
    // 1984": half a percent apart, ten years for 1985.
    let cs = changes("reuters-9639");
    assert!(has(&cs, ChangeType::DateChanged, "1984"), "{cs:#?}");
    // "markedly lower than in 1986" / "... than in 1985".
    let cs = changes("reuters-1959");
    assert!(has(&cs, ChangeType::DateChanged, "1985"), "{cs:#?}");
}

#[test]
fn directions_reversed_in_other_words_are_reported() {
    // "Tensions have risen" / "Tensions have eased".
    let cs = changes("reuters-12942");
    assert!(has(&cs, ChangeType::PolarityChanged, "eased"), "{cs:#?}");
    // "bouyed by rising exports" / "in spite of declining exports", with a
    // "climbed" added elsewhere in the sentence.
    let cs = changes("reuters-20264");
    assert!(
        has(&cs, ChangeType::PolarityChanged, "declining"),
        "{cs:#?}"
    );
    // "up 0.7%" worded "0.7% higher", and "the yen strengthening" / "the
    // yen weakened".
    let cs = changes("bbc-business-156");
    assert!(has(&cs, ChangeType::PolarityChanged, "weakened"), "{cs:#?}");
    // "flatly rejected" / "firmly endorsed".
    let cs = changes("reuters-263");
    assert!(has(&cs, ChangeType::PolarityChanged, "endorsed"), "{cs:#?}");
}

#[test]
fn a_direction_added_beside_a_kept_one_is_no_reversal() {
    // "a sharp boost in the metal's price ... seeking lower prices" / "push
    // the metal's price sharply higher ... looking for lower prices".
    let cs = changes("reuters-17187");
    assert!(none_of(&cs, ChangeType::PolarityChanged), "{cs:#?}");
}

#[test]
fn a_persons_role_changed_is_reported() {
    // "chief financial officer Tim Howard" / "chief operating officer".
    let cs = changes("bbc-business-326");
    assert!(
        has(&cs, ChangeType::ContentChanged, "chief operating officer"),
        "{cs:#?}"
    );
    // "BCC director general David Frost" / "BCC chief economist".
    let cs = changes("bbc-business-289");
    assert!(
        has(&cs, ChangeType::ContentChanged, "chief economist"),
        "{cs:#?}"
    );
    // "Central Bank Governor Chang Chi-cheng" / "Deputy Governor".
    let cs = changes("reuters-20264");
    assert!(has(&cs, ChangeType::ContentChanged, "Deputy"), "{cs:#?}");
}

#[test]
fn a_new_sentence_dating_something_the_source_never_dates_is_a_claim() {
    // "The survey was conducted online in November.", inside the story's
    // material; the source names no November.
    let cs = changes("bbc-tech-398");
    assert!(has(&cs, ChangeType::ClaimAdded, "November"), "{cs:#?}");
}

#[test]
fn a_time_the_source_never_names_in_a_restated_sentence_is_a_claim() {
    // "... and plans to close one of its refineries next year": the source
    // reports only the workforce cut, and names no 1988.
    let cs = changes("reuters-17886");
    assert!(has(&cs, ChangeType::ClaimAdded, "next year"), "{cs:#?}");
}
