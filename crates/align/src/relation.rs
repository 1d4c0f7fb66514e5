//! What one article is to another: relation, coverage and direction.
//!
//! The relation is read off the alignment:
//!
//! | relation   | rule |
//! |------------|------|
//! | `copy`     | at least half of one article is reused (`max(coverage, source_coverage) >= 0.5`) and at least 80% of the aligned sentences are verbatim or edited |
//! | `rewrite`  | at least half of one article is reused, mostly in other words |
//! | `partial`  | less than that, but at least two sentences, or one verbatim or edited sentence of ten words or more |
//! | `related`  | no reuse to speak of, but the same story: many shared names and numbers |
//! | `template` | the same format filled with other facts: sentences match, their specifics do not (see [`crate::Specificity`]) |
//!
//! The first three are derivations (an edge of the graph, changes
//! reported); they need specific shared content once the frame is set aside
//! ([`is_specific`]). A pair that aligns without it is a `template` when its
//! aligned sentences are mostly literal with other fillers, else `related`
//! (the same story told independently) or nothing.
//!
//! Direction (which article is the original) weighs independent evidence,
//! each item stated in the report: publication dates (decisive when they
//! differ), a credit to the other's outlet in the text ("Reuters reported",
//! or the outlet's name where the article is not that outlet's own), a wire
//! agency as the outlet, and containment (the article that is more fully
//! explained by the other is taken for the original, as rewrites add
//! material from elsewhere). Dates or a credit make the direction certain;
//! otherwise it is reported as uncertain.

use serde::Serialize;

use crate::align::{Alignment, MatchKind};
use crate::analyzed::AnalyzedArticle;
use crate::specific::Specificity;

/// The kind of relation between two articles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Republished word for word or lightly edited.
    Copy,
    /// Substantially reused, in other words.
    Rewrite,
    /// Only some passages reused.
    Partial,
    /// The same story, written independently.
    Related,
    /// The same format filled with other facts (two companies' bond
    /// issues, two weeks' money-market figures): not reuse.
    Template,
}

impl Relation {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Copy => "copy",
            Relation::Rewrite => "rewrite",
            Relation::Partial => "partial",
            Relation::Related => "related",
            Relation::Template => "template",
        }
    }

    /// Whether the relation is a derivation: an edge of the graph, with
    /// changes reported. `related` and `template` pairs are not.
    pub fn is_derivation(self) -> bool {
        matches!(self, Relation::Copy | Relation::Rewrite | Relation::Partial)
    }
}

/// Which article of a pair is the original.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Original {
    /// The article being traced is the original; the other derives from it.
    Derived,
    /// The other article (the candidate source) is the original.
    Source,
}

/// The judged direction of a pair, with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Direction {
    /// Which article is the original.
    pub original: Original,
    /// Whether the evidence is decisive (dates or an explicit credit).
    pub certain: bool,
    /// Human-readable evidence, strongest first.
    pub evidence: Vec<String>,
}

/// Wire agencies: their copy is the usual origin of republished news.
const WIRE_AGENCIES: &[&str] = &[
    "reuters",
    "ap",
    "associated press",
    "afp",
    "agence france-presse",
    "bloomberg",
    "dpa",
    "ansa",
    "efe",
    "pa",
    "press association",
    "xinhua",
    "tass",
    "kyodo",
    "yonhap",
    "upi",
    "anadolu",
];

/// Whether an outlet name is a wire agency.
pub fn is_wire_agency(source: &str) -> bool {
    let s = source.trim().to_lowercase();
    WIRE_AGENCIES.iter().any(|w| *w == s)
}

/// Least corpus information (nats) all aligned groups together must carry
/// for a pair to count as reuse: about five rare words. Two unrelated
/// earnings reports that share "Year" and "Qtr ended March 31" carry less.
pub const MIN_PAIR_INFO: f32 = 25.0;

/// Classifies the relation of a pair from its alignment. `None` when the
/// articles share nothing worth reporting.
pub fn classify(
    derived: &AnalyzedArticle,
    source: &AnalyzedArticle,
    alignment: &Alignment,
    specificity: &Specificity,
) -> Option<Relation> {
    let relation = classify_alignment(derived, source, alignment)?;
    if relation.is_derivation() && specificity.frame_only {
        // The genre's fixed sentences, one at least filled with other
        // figures, and nothing else: however literal, not reuse.
        return Some(Relation::Template);
    }
    if !relation.is_derivation() || is_specific(alignment, specificity) {
        return Some(relation);
    }
    if is_frame(alignment, specificity) {
        return Some(Relation::Template);
    }
    same_story(derived, source).then_some(Relation::Related)
}

/// Fewest specific word 3-grams the aligned groups must share to show reuse
/// on their own (names with their context, figures with their units).
const MIN_SPECIFIC_GRAMS: usize = 5;

/// Fewest shared numbers, with [`MIN_SPECIFIC_INFO`], to show reuse: the
/// same figures in matching sentences (results tables, deal terms).
const MIN_SHARED_NUMBERS: usize = 3;

/// Least information (nats) of the specific terms shared with
/// [`MIN_SHARED_NUMBERS`]: about three rare terms.
const MIN_SPECIFIC_INFO: f32 = 15.0;

/// Least reuse (coverage of either side) at which a pair whose fillers
/// agree is reuse without specific sequences: a paraphrase of most of an
/// article keeps its facts, not its word sequences.
const MIN_PARAPHRASE_REUSE: f32 = 0.7;

/// Highest ratio of differing fillers to shared specific terms at which a
/// paraphrase's fillers are said to agree.
const MAX_PARAPHRASE_DIFFERING: f32 = 0.3;

/// Ratio of differing fillers (numbers and specific names one side of an
/// aligned group has and the other article lacks) to shared specific terms
/// above which the aligned sentences are a frame filled with other facts.
const FRAME_DIFFERING: f32 = 0.8;

/// Fewest words of one quoting sentence carried over word for word, with
/// every number and name it holds found in the other article, to show
/// reuse on its own: someone's words reproduced whole are a specific
/// passage (the labels' guidelines say so), however common the words.
/// Unquoted sentences are not taken on length alone: a genre's fixed
/// sentence ("The bond will be issued in denominations of 1,000 and 10,000
/// marks") and a columnist's tagline recur verbatim across a corpus.
const MIN_VERBATIM_QUOTE_WORDS: usize = 12;

/// Whether the aligned groups share specific content, once the frame is set
/// aside: enough specific word sequences, or the same figures, with
/// fillers that mostly agree; or a paraphrase of most of one article whose
/// fillers agree and that shares at least one specific term. Fitted on
/// `../shared/data/reuse-labels` (docs/REUSE.md).
///
/// Fillers that agree because there are none prove nothing: a routine
/// notice in its genre's fixed wording (two weeks' Bank of France tenders
/// "left its intervention rate unchanged at 7-3/4 pct", two companies'
/// "Qtly div 10 cts vs 10 cts prior / Pay April 10 / Record March 27")
/// shares no name, no rare word, nothing that says which notice it is.
/// Two bodies identical word for word, every sentence of each, are still
/// taken for one text: such duplicates are how a wire item is re-sent.
pub fn is_specific(alignment: &Alignment, s: &Specificity) -> bool {
    if !s.frames_known {
        // A small store cannot tell a rare name from a common word, nor a
        // frame's fillers from a rewrite's changed facts: the pair is judged
        // on its alignment alone (and the name-overlap template test).
        return true;
    }
    let differing = s.differing_ratio();
    let frame = is_frame(alignment, s);
    let reuse = alignment.coverage().max(alignment.source_coverage());
    (s.shared_grams >= MIN_SPECIFIC_GRAMS && !frame)
        || (s.shared_info >= MIN_SPECIFIC_INFO && s.numbers_shared >= MIN_SHARED_NUMBERS && !frame)
        || (s.verbatim_quote_words >= MIN_VERBATIM_QUOTE_WORDS && !frame)
        || (reuse >= MIN_PARAPHRASE_REUSE
            && (s.shared_terms > 0 || identical(alignment))
            && (alignment.groups.len() >= 2 || brief(alignment) || all_verbatim(alignment))
            && differing <= MAX_PARAPHRASE_DIFFERING)
}

/// Whether one of the pair is a one-sentence brief (whose one sentence is
/// all there is to reuse).
fn brief(alignment: &Alignment) -> bool {
    alignment
        .derived_matched
        .len()
        .min(alignment.source_matched.len())
        == 1
}

/// Whether every aligned group is word for word (a one-sentence brief filed
/// twice is a copy, however common its words).
fn all_verbatim(alignment: &Alignment) -> bool {
    !alignment.groups.is_empty()
        && alignment
            .groups
            .iter()
            .all(|g| g.kind == MatchKind::Verbatim)
}

/// Whether the two articles are the same text: every sentence of each
/// aligned, word for word.
fn identical(alignment: &Alignment) -> bool {
    all_verbatim(alignment) && alignment.coverage() >= 1.0 && alignment.source_coverage() >= 1.0
}

/// Whether the aligned sentences are a frame with other fillers: mostly
/// literal matches whose numbers and names differ more than they agree.
fn is_frame(alignment: &Alignment, s: &Specificity) -> bool {
    let groups = alignment.groups.len();
    let literal = alignment
        .groups
        .iter()
        .filter(|g| matches!(g.kind, MatchKind::Verbatim | MatchKind::Edited))
        .count();
    groups > 0 && 2 * literal > groups && s.differing_ratio() > FRAME_DIFFERING
}

/// The relation the alignment alone shows, before specifics are weighed.
fn classify_alignment(
    derived: &AnalyzedArticle,
    source: &AnalyzedArticle,
    alignment: &Alignment,
) -> Option<Relation> {
    let aligned = alignment.groups.len();
    // Too little shared information is coincidence or boilerplate, however
    // well the few shared sentences match.
    if alignment.info() < MIN_PAIR_INFO {
        return same_story(derived, source).then_some(Relation::Related);
    }
    // The same form filled with another story's names (two eurobond
    // announcements by different banks, two results by different firms)
    // is a template, not reuse.
    // Nor the same story: the numbers such forms share would make
    // `same_story` say so.
    if is_template(derived, source, alignment) {
        return Some(Relation::Template);
    }
    let reuse = alignment.coverage().max(alignment.source_coverage());
    let literal = alignment
        .groups
        .iter()
        .filter(|g| matches!(g.kind, MatchKind::Verbatim | MatchKind::Edited))
        .count();
    // Substantial reuse needs more than one sentence, unless the article is a
    // one-sentence brief.
    let enough = aligned >= 2 || derived.sentences.len().min(source.sentences.len()) == 1;
    if aligned > 0 && reuse >= 0.5 && enough {
        if literal as f32 >= 0.8 * aligned as f32 {
            return Some(Relation::Copy);
        }
        return Some(Relation::Rewrite);
    }
    // Words of the longest group kept literally (verbatim or edited).
    let longest_literal = alignment
        .groups
        .iter()
        .filter(|g| matches!(g.kind, MatchKind::Verbatim | MatchKind::Edited))
        .map(|g| derived.words(&g.derived))
        .max()
        .unwrap_or(0);
    // A passage is carried over in its words: at least one sentence kept
    // literally, or a run of paraphrased sentences long enough to be a
    // passage rewritten. A few paraphrased facts are what two reports of
    // one event share (the labels' guidelines call that `topic`: "the
    // facts agree", no shared passage): the pair is related, the same
    // story or subject told apart.
    let passage =
        longest_literal >= MIN_LITERAL_PASSAGE_WORDS || aligned >= MIN_PARAPHRASED_PASSAGE;
    if aligned >= 2 || longest_literal >= 10 {
        return Some(if passage {
            Relation::Partial
        } else {
            Relation::Related
        });
    }
    if same_story(derived, source) {
        return Some(Relation::Related);
    }
    None
}

/// Fewest words of a sentence kept word for word (verbatim or edited) for
/// it to be a carried-over passage: a wire sign-off ("REUTER") or a
/// dateline kept alike is not one.
const MIN_LITERAL_PASSAGE_WORDS: usize = 5;

/// Fewest aligned groups, all paraphrases, that make a `partial` pair: a
/// passage rewritten sentence by sentence. Read from real news: in a
/// random sample of 40 edges of the BBC + Reuters graph, the `partial`
/// edges made of two or three paraphrased groups were four reports of the
/// same event written independently for one carried-over background
/// paragraph (docs/REUSE.md, session 24).
const MIN_PARAPHRASED_PASSAGE: usize = 4;

/// Fewest distinct names on each side before their overlap can call a pair
/// a template: a few names (a weekday, "Ltd") say nothing either way.
const TEMPLATE_MIN_NAMES: usize = 4;

/// Highest Dice overlap of the names of the aligned sentences at which the
/// pair is a template. Rewrites keep their story's people, places and
/// firms (an AI rewrite that turns "Kyiv" into "Ukraine" keeps "Putin" and
/// "Witkoff"); a template shares at most a "Ltd" or a month.
const TEMPLATE_MAX_NAME_DICE: f32 = 0.2;

/// Whether the aligned sentences of the pair name different things: both
/// sides hold several names and share almost none. Numbers are left out:
/// templates share terms ("5/8 pct", "1,000 and 10,000") as often as
/// rewrites change them.
fn is_template(derived: &AnalyzedArticle, source: &AnalyzedArticle, alignment: &Alignment) -> bool {
    let d = aligned_names(
        derived,
        alignment
            .groups
            .iter()
            .flat_map(|g| g.derived.iter().copied()),
    );
    let s = aligned_names(
        source,
        alignment
            .groups
            .iter()
            .flat_map(|g| g.source.iter().copied()),
    );
    if d.len() < TEMPLATE_MIN_NAMES || s.len() < TEMPLATE_MIN_NAMES {
        return false;
    }
    crate::similarity::dice(&d, &s) <= TEMPLATE_MAX_NAME_DICE
}

/// The distinct names (salient terms that are not numbers) of `sentences`.
fn aligned_names(x: &AnalyzedArticle, sentences: impl Iterator<Item = usize>) -> Vec<&str> {
    let mut v: Vec<&str> = sentences
        .flat_map(|i| x.features[i].salient.iter())
        .filter(|t| !t.starts_with('#'))
        .map(String::as_str)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Whether two articles tell the same story without sharing sentences: the
/// Dice overlap of their names and numbers is high.
fn same_story(a: &AnalyzedArticle, b: &AnalyzedArticle) -> bool {
    let (sa, sb) = (salient_set(a), salient_set(b));
    if sa.len() < 4 || sb.len() < 4 {
        return false;
    }
    let shared = sa.iter().filter(|t| sb.binary_search(t).is_ok()).count();
    shared >= 4 && 2.0 * shared as f32 / (sa.len() + sb.len()) as f32 >= 0.35
}

fn salient_set(x: &AnalyzedArticle) -> Vec<&str> {
    let mut v: Vec<&str> = x
        .features
        .iter()
        .flat_map(|f| f.salient.iter().map(String::as_str))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Judges which of the pair is the original.
pub fn direction(
    derived: &AnalyzedArticle,
    source: &AnalyzedArticle,
    alignment: &Alignment,
) -> Direction {
    // Positive favours "source is the original".
    let mut score = 0.0f32;
    let mut certain = false;
    let mut evidence = Vec::new();
    let (d, s) = (&derived.article, &source.article);
    if let (Some(dd), Some(sd)) = (d.date, s.date) {
        if sd < dd {
            score += 3.0;
            certain = true;
            evidence.push(format!("{} is dated {sd}, before {} ({dd})", s.id, d.id));
        } else if dd < sd {
            score -= 3.0;
            certain = true;
            evidence.push(format!("{} is dated {dd}, before {} ({sd})", d.id, s.id));
        } else {
            evidence.push(format!("both are dated {dd}"));
        }
    }
    if let Some(outlet) = credited(d, s) {
        score += 2.0;
        certain = true;
        evidence.push(format!("{} names {outlet}, the outlet of {}", d.id, s.id));
    }
    if let Some(outlet) = credited(s, d) {
        score -= 2.0;
        certain = true;
        evidence.push(format!("{} names {outlet}, the outlet of {}", s.id, d.id));
    }
    let wire = |a: &unspun_article::Article| a.source.as_deref().is_some_and(is_wire_agency);
    if wire(s) && !wire(d) {
        score += 1.0;
        evidence.push(format!(
            "{} is wire copy ({})",
            s.id,
            s.source.as_deref().unwrap_or_default()
        ));
    } else if wire(d) && !wire(s) {
        score -= 1.0;
        evidence.push(format!(
            "{} is wire copy ({})",
            d.id,
            d.source.as_deref().unwrap_or_default()
        ));
    }
    let (cd, cs) = (alignment.coverage(), alignment.source_coverage());
    if (cs - cd).abs() >= 0.2 {
        let (more, less, share) = if cs > cd {
            (&s.id, &d.id, cs)
        } else {
            (&d.id, &s.id, cd)
        };
        score += if cs > cd { 0.5 } else { -0.5 };
        evidence.push(format!(
            "{:.0}% of {more} is contained in {less}, which adds material of its own",
            share * 100.0
        ));
    }
    if score == 0.0 {
        evidence.push("no evidence of direction; the candidate is taken as the source".into());
    }
    // Conflicting decisive evidence (a later date but a credit the other way)
    // is not certain.
    let decisive = certain && score.abs() >= 2.0;
    Direction {
        original: if score >= 0.0 {
            Original::Source
        } else {
            Original::Derived
        },
        certain: decisive,
        evidence,
    }
}

/// If `a`'s text credits `b`'s outlet, that outlet's name.
///
/// A mention counts when `a` is not itself from that outlet: an article
/// naming Reuters in its body ("texts reviewed by Reuters", "Reuters
/// reported") took that material from Reuters, directly or not.
pub fn credited<'b>(
    a: &unspun_article::Article,
    b: &'b unspun_article::Article,
) -> Option<&'b str> {
    let outlet = b.source.as_deref()?.trim();
    if outlet.len() < 2 {
        return None;
    }
    if a.source
        .as_deref()
        .is_some_and(|own| own.trim().eq_ignore_ascii_case(outlet))
    {
        return None;
    }
    contains_word(&a.text, outlet).then_some(outlet)
}

/// Whether `needle` occurs in `hay` as whole words (case-sensitive: outlet
/// names are proper nouns, and "ap" as a word is not "AP").
fn contains_word(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(pos) = hay[from..].find(needle) {
        let start = from + pos;
        let end = start + needle.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if boundary(before) && boundary(after) {
            return true;
        }
        from = end;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{analyzed, rarity_of};

    #[test]
    fn word_boundaries() {
        assert!(contains_word("texts reviewed by Reuters, the", "Reuters"));
        assert!(!contains_word("Reutersville", "Reuters"));
        assert!(!contains_word("a map shows", "AP"));
        assert!(contains_word("(AP) -", "AP"));
    }

    /// Two eurobond announcements of Reuters-21578 (reuters-453 and
    /// reuters-1475): one form, other banks, currencies and places.
    const EUROBOND_A: &str = "Commerzbank Overseas Finance NV is issuing a 50 mln stg eurobond due March 31, 1992 paying 9-5/8 pct and priced at 101-1/4 pct, joint-lead manager Samuel Montagu and Co Ltd said. Commerzbank AG is the other joint-lead.\n\nThe non-callable bond is available in denominations of 1,000 and 10,000 stg and will be listed in London. The selling concession is 1-1/4 pct while management and underwriting combined pays 5/8 pct.\n\nThe payment date is March 31.";
    const EUROBOND_B: &str = "Hamburgische Landesbank Girozentrale is issuing a 50 mln Australian dlr eurobond due April 2, 1991 paying 15 pct and priced at 101-1/2 pct, lead manager Orion Royal Bank Ltd said.\n\nThe non-callable bond is available in denominations of 1,000 and 10,000 Australian dlrs and will be listed in Luxembourg. The selling concession is 1-1/8 pct while management and underwriting combined pays 5/8 pct.\n\nThe payment date is April 2.";

    #[test]
    fn a_form_filled_with_other_names_is_a_template_not_reuse() {
        let (a, b) = (
            analyzed("reuters-453", EUROBOND_A),
            analyzed("reuters-1475", EUROBOND_B),
        );
        let alignment = crate::Aligner::new().align(&b, &a);
        assert!(
            alignment.groups.len() >= 2,
            "the form aligns: {alignment:?}"
        );
        assert!(is_template(&b, &a, &alignment));
        let spec = Specificity::of(&b, &a, &alignment, None);
        assert_eq!(
            classify(&b, &a, &alignment, &spec),
            Some(Relation::Template)
        );
        // The same announcement lightly edited keeps its names: reuse.
        let edited = analyzed(
            "copy",
            &EUROBOND_A
                .replace("is issuing", "has launched")
                .replace("The payment date", "Payment is due"),
        );
        let alignment = crate::Aligner::new().align(&edited, &a);
        assert!(!is_template(&edited, &a, &alignment));
        let spec = Specificity::of(&edited, &a, &alignment, None);
        assert!(is_specific(&alignment, &spec), "{spec:?}");
        assert_eq!(
            classify(&edited, &a, &alignment, &spec),
            Some(Relation::Copy)
        );
    }

    /// Two BBC sport stories (sport/054, sport/016 of BBC News, excerpts):
    /// the second carries the first's quote over word for word as
    /// background, in a story of its own (reuse-labels pair 373, `passage`).
    const THANOU_HEARING: &str = "Katerina Thanou is confident she and fellow sprinter Kostas Kenteris will not be punished for missing drugs tests before the Athens Olympics.\n\nThe Greek pair appeared at a hearing on Saturday which will determine whether their provisional bans from athletics' ruling body the IAAF should stand. \"After five months we finally had the chance to give explanations. I am confident and optimistic,\" said Thanou. \"We presented new evidence to the committee that they were not aware of.\"";
    const THANOU_DELAY: &str = "Greek athletics' governing body has postponed by two weeks the judgement on sprinters Costas Kenteris and Katerina Thanou for missing doping tests.\n\nThe pair are facing lengthy bans for the missed tests, including one on the eve of last year's Athens Olympics. Following the final hearing in late January, the athletes sounded confident they would be acquitted. \"I am confident and optimistic,\" Thanou had said at the time. \"We presented new evidence to the committee that they were not aware of.\"";

    #[test]
    fn a_quote_carried_over_word_for_word_is_specific() {
        let (a, b) = (
            analyzed("sport/054", THANOU_HEARING),
            analyzed("sport/016", THANOU_DELAY),
        );
        let alignment = crate::Aligner::new().align(&b, &a);
        // A corpus in which every word of both is common: no rare term, no
        // specific sequence; only the quote shows reuse.
        let rarity = rarity_of(&a, &b, |_| 5_000);
        let spec = Specificity::of(&b, &a, &alignment, Some(&rarity));
        assert_eq!(spec.shared_terms, 0, "{spec:?}");
        assert!(
            spec.verbatim_quote_words >= MIN_VERBATIM_QUOTE_WORDS,
            "{spec:?}"
        );
        assert!(is_specific(&alignment, &spec), "{spec:?}");
        assert!(classify(&b, &a, &alignment, &spec).is_some_and(Relation::is_derivation));
        // The same sentence unquoted is not enough on its own.
        let unquoted = |x: &str| x.replace('"', "");
        let (a, b) = (
            analyzed("sport/054", &unquoted(THANOU_HEARING)),
            analyzed("sport/016", &unquoted(THANOU_DELAY)),
        );
        let alignment = crate::Aligner::new().align(&b, &a);
        let spec = Specificity::of(&b, &a, &alignment, Some(&rarity));
        assert_eq!(spec.verbatim_quote_words, 0, "{spec:?}");
    }

    /// Two weeks' Bank of France tenders (Reuters-21578 NEWID 12501 and
    /// 15550, reuse-labels pair 276, `template`): the same routine wording
    /// word for word, nothing in it that says which week it is.
    const TENDER_APRIL_2: &str = "The Bank of France said it left its intervention rate unchanged at 7-3/4 pct when it injected funds to the market against first category paper in todays money market intervention tender.\n\nMoney market dealers had earlier expressed mixed views on a possible quarter point cut.\n\nThe rate was last adjusted on March 9, when it was reduced to 7-3/4 pct from the eight pct rate set in January.";
    const TENDER_APRIL_9: &str = "The Bank of France said it left its intervention rate unchanged at 7-3/4 pct when it injected funds in the market against first category paper in today's money market intervention tender.\n\nMoney market dealers had earlier expressed mixed views on the possibility of quarter point cut.\n\nThe rate was last adjusted on March 9, when it was cut to 7-3/4 pct from the eight pct rate set in January.";

    #[test]
    fn a_routine_notice_with_no_specific_term_is_not_reuse() {
        let (a, b) = (
            analyzed("reuters-12501", TENDER_APRIL_2),
            analyzed("reuters-15550", TENDER_APRIL_9),
        );
        let alignment = crate::Aligner::new().align(&b, &a);
        assert_eq!(alignment.coverage(), 1.0, "{alignment:?}");
        // A corpus in which every word of both is common, as in the 21k
        // BBC + Reuters store (the genre recurs every week).
        let common = rarity_of(&a, &b, |_| 500);
        let spec = Specificity::of(&b, &a, &alignment, Some(&common));
        assert_eq!(spec.shared_terms, 0, "{spec:?}");
        assert!(!is_specific(&alignment, &spec), "{spec:?}");
        assert!(!classify(&b, &a, &alignment, &spec).is_some_and(Relation::is_derivation));
        // The same notice re-sent word for word is one text: reuse.
        let resent = analyzed("reuters-12501-resent", TENDER_APRIL_2);
        let resent_alignment = crate::Aligner::new().align(&resent, &a);
        let spec = Specificity::of(&resent, &a, &resent_alignment, Some(&common));
        assert_eq!(spec.shared_terms, 0, "{spec:?}");
        assert_eq!(
            classify(&resent, &a, &resent_alignment, &spec),
            Some(Relation::Copy)
        );
        // One term rare in the corpus (the notice of one bank's one tender)
        // is something specific to stand on: the copy is reuse.
        let one_rare = rarity_of(&a, &b, |t| if t == "intervent" { 20 } else { 500 });
        let spec = Specificity::of(&b, &a, &alignment, Some(&one_rare));
        assert!(spec.shared_terms >= 1, "{spec:?}");
        assert!(is_specific(&alignment, &spec), "{spec:?}");
        assert_eq!(classify(&b, &a, &alignment, &spec), Some(Relation::Copy));
    }

    /// Reuters-21578 reuters-5841 and reuters-1940 (reuse-labels pair 271,
    /// `topic`): two Taiwan stories, currency curbs and record reserves,
    /// that share the reserves and the trade-surplus figures in other
    /// words. A few paraphrased facts are not a passage.
    const TAIWAN_CURBS: &str = "Taiwan's central bank is considering\nproposals to ease currency restrictions to reduce foreign\nexchange reserves of 51 billion U.S. Dlrs, a local newspaper\nreported today.\n    The China Times, which has close ties with the government,\nquoted central bank governor Chang Chi-cheng as saying the\ngovernment had agreed in principle to liberalise financial\nrestrictions.\n    The bank was considering proposals to allow firms and\nindividuals to hold foreign exchange and invest in foreign\nstocks for the first time, Chang was quoted as saying.\n    All foreign exchange must now be handed to local banks and\nexchanged for local currency. Firms and individuals may only\ninvest in foreign government bonds, treasury bills and\ncertificates of deposit.\n    Central bank and other government officials were not\navailable to comment on the report.\n    Economists said it was likely that the government would\nease foreign exchange controls, but only gradually.\n    They said vast foreign currency reserves, earned mainly\nfrom huge trade surpluses with the United States, made Taiwan a\ntarget for U.S. Protectionism.\n    Taiwan's trade surplus with the U.S. Rose to 13.6 billion\nU.S. Dlrs last year compared with 10.2 billion in 1985.\n    \"The central bank has to go in this direction,\" said Su\nHan-min, chief economist with the International Commercial Bank\nof China. \"If they don't quicken the pace, Washington could\nretaliate and really damage Taiwan.\"\n REUTER";
    const TAIWAN_RESERVES: &str = "Taiwan's foreign exchange reserves hit a\nnew high of more than 51 billion U.S. Dlrs on March 4, compared\nwith 50 billion in mid-February and 25.1 billion a year\nearlier, the central bank said.\n    Bank governor Chang Chi-Cheng told reporters the increase\ncame mainly from the bank's purchases of more than one billion\nU.S. Dlrs on the local interbank market between February 18 and\nMarch 4.\n    He said the rise showed signs of slowing, however, because\nTaiwan has liberalised import policy and expects its trade\nsurplus to decline over the next few months as a result.\n    Chang declined to predict how high the reserves might rise,\nbut local economists have forecast they will hit 60 billion\nU.S. Dlrs by the end of 1987.\n    In January, Taiwan reduced import tariffs of up to 50 pct\non some 1,700 foreign products. It had been under growing U.S.\nPressure to cut its 1986 record 13.6 billion dlr trade surplus\nwith the U.S. Taiwan's 1985 surplus with the U.S. Was 10.2\nbillion, according to official statistics.\n    Wang Chang-Ming, Vice Chairman of the Council for Economic\nPlanning and Development, told Reuters the government is\nplanning another round of deep tariff cuts in the second half\nof this year.\n    The reserves could support imports of more than two years\nfor Taiwan, compared with about three months for Japan and the\nU.S.\n REUTER";

    #[test]
    fn a_few_paraphrased_facts_are_not_a_passage() {
        let (a, b) = (
            analyzed("reuters-5841", TAIWAN_CURBS),
            analyzed("reuters-1940", TAIWAN_RESERVES),
        );
        let alignment = crate::Aligner::new().align(&a, &b);
        let kinds: Vec<MatchKind> = alignment.groups.iter().map(|g| g.kind).collect();
        // The facts align, in other words; only the sign-off is kept alike.
        assert!(
            (2..MIN_PARAPHRASED_PASSAGE).contains(&kinds.len())
                && kinds
                    .iter()
                    .filter(|k| **k == MatchKind::Paraphrase)
                    .count()
                    == kinds.len() - 1,
            "{alignment:?}"
        );
        assert!(alignment.info() >= MIN_PAIR_INFO);
        assert_eq!(
            classify_alignment(&a, &b, &alignment),
            Some(Relation::Related)
        );
    }

    /// BBC News entertainment/372 and entertainment/064 (reuse-labels pair
    /// 63, `passage`): an Oscars preview and the results story carry the
    /// same background paragraph, paraphrased sentence by sentence.
    #[test]
    fn a_paraphrased_background_paragraph_is_a_passage() {
        let bbc = |name: &str| {
            let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data/bbc-news-2225/bbc/entertainment")
                .join(name);
            std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("{}: {e} (tests need ../shared/data)", p.display()))
        };
        let (a, b) = (
            analyzed("entertainment/372", &bbc("372.txt")),
            analyzed("entertainment/064", &bbc("064.txt")),
        );
        let alignment = crate::Aligner::new().align(&a, &b);
        assert!(
            alignment.groups.len() >= MIN_PARAPHRASED_PASSAGE,
            "{alignment:?}"
        );
        assert!(alignment
            .groups
            .iter()
            .all(|g| g.kind == MatchKind::Paraphrase));
        assert_eq!(
            classify_alignment(&a, &b, &alignment),
            Some(Relation::Partial)
        );
    }

    #[test]
    fn wire_agencies() {
        assert!(is_wire_agency("Reuters"));
        assert!(is_wire_agency(" AFP "));
        assert!(!is_wire_agency("The Guardian"));
    }
}
