//! Loading the real base articles: the BBC News 2,225 files and
//! Reuters-21578, read with `unspun-article`, normalised, filtered and
//! sorted so that a corpus built on them is reproducible.

use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};
use unspun_article::{Article, ArticleId};
use unspun_segment::Segmenter;
use xxhash_rust::xxh3::xxh3_64;

use crate::doc::Doc;
use crate::{CorpusError, Result};

/// Base articles with fewer sentences than this are skipped.
pub const MIN_SENTENCES: usize = 4;

/// The prefix given to BBC ids (`bbc/business/001`), so that they cannot
/// collide with other inputs.
pub const BBC_PREFIX: &str = "bbc/";

/// The default data directory: `../shared/data` beside the workspace.
pub fn default_data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// The default BBC directory: `<data>/bbc-news-2225/bbc`.
pub fn default_bbc_dir() -> PathBuf {
    default_data_dir().join("bbc-news-2225/bbc")
}

/// The default Reuters-21578 directory: `<data>/reuters21578`.
pub fn default_reuters_dir() -> PathBuf {
    default_data_dir().join("reuters21578")
}

/// Loads the base articles.
///
/// - `bbc`: the `bbc/` folder of the BBC News dataset (`<category>/<NNN>.txt`,
///   first line the headline; read with the Latin-1 fallback). Ids become
///   `bbc/<category>/<NNN>`, source `BBC`, and since the files carry no date
///   each gets a deterministic date in 2005 from a hash of its id.
/// - `reuters`: the Reuters-21578 folder (or one `.sgm` file). Ids stay
///   `reuters-<NEWID>`, source `Reuters`, dates from the stories (1987).
///
/// Texts are normalised (white space collapsed inside sentences, paragraphs
/// separated by a blank line); articles with fewer than [`MIN_SENTENCES`]
/// sentences are skipped, and so are exact duplicates of an earlier body
/// (the first by id is kept) and near-duplicates of an earlier article
/// ([`NEAR_DUPLICATE_JACCARD`], [`NEAR_DUPLICATE_CONTAINMENT`]); the result
/// is sorted by id. Unreadable records
/// inside an input are skipped; an input path that cannot be read at all,
/// or inputs that yield no article, are errors.
pub fn load_base(bbc: Option<&Path>, reuters: Option<&Path>) -> Result<Vec<Article>> {
    let segmenter = Segmenter::new();
    let mut out = Vec::new();
    if let Some(dir) = bbc {
        let opts = ReadOptions {
            format: Format::Text,
            latin1_fallback: true,
            ..ReadOptions::default()
        };
        read_input(dir, &opts, &mut |a| {
            if let Some(a) = bbc_article(&segmenter, a) {
                out.push(a);
            }
        })?;
    }
    if let Some(path) = reuters {
        let opts = ReadOptions {
            format: Format::ReutersSgml,
            latin1_fallback: true,
            ..ReadOptions::default()
        };
        read_input(path, &opts, &mut |a| {
            if let Some(a) = reuters_article(&segmenter, a) {
                out.push(a);
            }
        })?;
    }
    if out.is_empty() {
        return Err(CorpusError::NoBase {
            min_sentences: MIN_SENTENCES,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    // Exact duplicate bodies (100 in the BBC set, some 280 in Reuters-21578)
    // would be copies the truth does not list: keep the first by id.
    let mut seen = std::collections::HashSet::new();
    out.retain(|a| seen.insert(xxh3_64(a.text.as_bytes())));
    Ok(drop_near_duplicates(out))
}

/// Word 5-gram Jaccard similarity at or above which two base articles are
/// one text for the truth.
pub const NEAR_DUPLICATE_JACCARD: f64 = 0.8;

/// Share of the shorter article's word 5-grams found in the longer one at
/// or above which the shorter is a near-duplicate (a story and its longer
/// update).
pub const NEAR_DUPLICATE_CONTAINMENT: f64 = 0.9;

/// Rare shingles only find the candidates: a 5-gram in more kept articles
/// than this ("said in a statement that") is boilerplate, and looking it up
/// would make the pass quadratic in the template stories that share it.
const CANDIDATE_POSTINGS: usize = 64;

/// Removes base articles that are near-duplicates of an earlier one (by id):
/// [`NEAR_DUPLICATE_JACCARD`] or [`NEAR_DUPLICATE_CONTAINMENT`] on the word
/// 5-grams MinHash sees.
///
/// Why: the truth lists each derived article's parents and nothing else, so
/// a second base article with the parent's text (BBC News holds some pairs
/// of the same story filed twice, Reuters-21578 stories repeated with a
/// correction) is an equally right answer that the benchmark would score
/// as a wrong source, and that pushes the listed parent out of the top 5.
/// Measured on the 1M corpus of 2026-11-23: 3 of the 11 paraphrases (of
/// 300) whose parent missed the top 5 had such a twin ranked above it.
fn drop_near_duplicates(articles: Vec<Article>) -> Vec<Article> {
    use std::collections::HashMap;
    let shingles = shingles_of(&articles);
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    let mut keep = vec![true; articles.len()];
    let mut shared: HashMap<u32, u32> = HashMap::new();
    for (i, mine) in shingles.iter().enumerate() {
        shared.clear();
        for h in mine {
            if let Some(p) = postings.get(h).filter(|p| p.len() <= CANDIDATE_POSTINGS) {
                for &j in p {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        let twin = shared
            .keys()
            .any(|&j| near_duplicates(mine, &shingles[j as usize]));
        if twin {
            keep[i] = false;
            continue;
        }
        for &h in mine {
            postings.entry(h).or_default().push(i as u32);
        }
    }
    let mut keep = keep.into_iter();
    let mut out = articles;
    out.retain(|_| keep.next().unwrap_or(true));
    out
}

/// The word 5-gram hashes of each article, as MinHash sees them (sorted).
fn shingles_of(articles: &[Article]) -> Vec<Vec<u64>> {
    use rayon::prelude::*;
    let analyzer = unspun_segment::Analyzer::new();
    let hasher = unspun_fingerprint::MinHasher::new();
    articles
        .par_iter()
        .map(|a| {
            let tokens = analyzer.tokens(&a.text, unspun_segment::Span::new(0, a.text.len()));
            hasher.shingles(&tokens)
        })
        .collect()
}

/// Whether two articles' sorted shingle sets make them one text
/// ([`NEAR_DUPLICATE_JACCARD`], [`NEAR_DUPLICATE_CONTAINMENT`]).
fn near_duplicates(a: &[u64], b: &[u64]) -> bool {
    let inter = crate::measure::intersection(a, b) as f64;
    let union = (a.len() + b.len()) as f64 - inter;
    let shorter = a.len().min(b.len()).max(1) as f64;
    inter / union.max(1.0) >= NEAR_DUPLICATE_JACCARD
        || inter / shorter >= NEAR_DUPLICATE_CONTAINMENT
}

/// Reads one input path, handing every article to `f`.
fn read_input(path: &Path, opts: &ReadOptions, f: &mut dyn FnMut(Article)) -> Result<()> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(CorpusError::Input {
            path: path.to_path_buf(),
            message: e.to_string(),
        });
    }
    read_paths(&[path.to_path_buf()], opts, &mut |event| {
        if let ReadEvent::Article { article, .. } = event {
            f(article);
        }
    });
    Ok(())
}

/// A BBC file as a base article: first line the title, the rest the body.
fn bbc_article(segmenter: &Segmenter, a: Article) -> Option<Article> {
    let text = a.text.trim_start();
    let (title, body) = text.split_once('\n').unwrap_or((text, ""));
    let id = ArticleId::new(format!("{BBC_PREFIX}{}", a.id.as_str())).ok()?;
    let date = bbc_date(id.as_str());
    finish(segmenter, id, Some(date), "BBC", title, body)
}

/// A Reuters story as a base article.
fn reuters_article(segmenter: &Segmenter, a: Article) -> Option<Article> {
    let title = a.title.clone().unwrap_or_default();
    let body = unwrap_wire(&a.text);
    finish(segmenter, a.id, a.date, "Reuters", &title, &body)
}

/// Undoes the hard wrapping of Reuters-21578 bodies: a line starting with
/// white space starts a paragraph (prose or a table line), any other line
/// continues the one before. Without this, a wrapped line that happens to
/// start with a capital ("...formerly Massey-Ferguson\nLtd, said ...") can
/// be taken for a heading and the sentence cut in two.
fn unwrap_wire(text: &str) -> String {
    let mut paras: Vec<String> = Vec::new();
    for line in text.lines() {
        let starts_para = line.starts_with([' ', '\t']) || paras.is_empty();
        let line = line.trim();
        if line.is_empty() {
            paras.push(String::new());
            continue;
        }
        match paras.last_mut() {
            Some(p) if !starts_para && !p.is_empty() => {
                p.push(' ');
                p.push_str(line);
            }
            _ => paras.push(line.to_string()),
        }
    }
    paras.retain(|p| !p.is_empty());
    paras.join("\n\n")
}

/// Normalises the body and applies the sentence filter.
fn finish(
    segmenter: &Segmenter,
    id: ArticleId,
    date: Option<NaiveDate>,
    source: &str,
    title: &str,
    body: &str,
) -> Option<Article> {
    let mut doc = Doc::parse(segmenter, title, body);
    if doc.sentence_count() < MIN_SENTENCES {
        return None;
    }
    if doc.title.is_empty() {
        doc.title = doc.paras[0][0].text.clone();
    }
    Some(doc.to_article(id, date, source))
}

/// A deterministic date in 2005 for an undated BBC article.
pub(crate) fn bbc_date(id: &str) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(2005, 1, 1).expect("valid date");
    start
        .checked_add_days(Days::new(xxh3_64(id.as_bytes()) % 365))
        .unwrap_or(start)
}

/// The topic group of a base article, used to pick blend partners: the
/// folder part of the id for BBC-style ids (`bbc/business`), else the source.
pub(crate) fn category(a: &Article) -> String {
    match a.id.as_str().rsplit_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => a.source.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// A few real articles from `../shared/data`: BBC business and sport
    /// folders and the first Reuters file. Loaded once per test binary.
    pub(crate) fn sample_base() -> &'static [Article] {
        static BASE: OnceLock<Vec<Article>> = OnceLock::new();
        BASE.get_or_init(|| {
            let data = default_data_dir();
            let mut all = Vec::new();
            let bbc = load_base(Some(&data.join("bbc-news-2225/bbc")), None).expect("BBC sample");
            for cat in ["business", "politics", "tech"] {
                let prefix = format!("{BBC_PREFIX}{cat}/");
                all.extend(
                    bbc.iter()
                        .filter(|a| a.id.as_str().starts_with(&prefix))
                        .take(60)
                        .cloned(),
                );
            }
            let sgm = data.join("reuters21578/reut2-000.sgm");
            let mut part = load_base(None, Some(&sgm)).expect("Reuters sample");
            part.truncate(240);
            all.extend(part);
            all.sort_by(|a, b| a.id.cmp(&b.id));
            all
        })
    }

    #[test]
    fn loads_and_normalises() {
        let base = sample_base();
        assert!(base.len() > 300, "{}", base.len());
        assert!(base.windows(2).all(|w| w[0].id < w[1].id));
        for a in base {
            assert!(a.date.is_some());
            assert!(a.title.as_deref().is_some_and(|t| !t.is_empty()));
            assert!(!a.text.contains("\n\n\n"));
            assert!(!a.text.contains("  "));
            let doc = Doc::parse(&Segmenter::new(), "", &a.text);
            assert!(doc.sentence_count() >= MIN_SENTENCES);
        }
        let bbc = base
            .iter()
            .find(|a| a.id.as_str().starts_with("bbc/business/"))
            .unwrap();
        assert_eq!(bbc.source.as_deref(), Some("BBC"));
        assert_eq!(bbc.date.unwrap().format("%Y").to_string(), "2005");
        assert_eq!(category(bbc), "bbc/business");
        let r = base
            .iter()
            .find(|a| a.id.as_str().starts_with("reuters-"))
            .unwrap();
        assert_eq!(r.source.as_deref(), Some("Reuters"));
        assert_eq!(r.date.unwrap().format("%Y").to_string(), "1987");
    }

    #[test]
    fn wire_text_is_unwrapped() {
        let raw = "Varity Corp, formerly Massey-Ferguson\nLtd, said it expected a loss.\n    A company spokesman said\nfigures were unavailable.\n    Shr 1.20 dlrs vs 1.10 dlrs\n    Net 5.6 mln vs 4.3 mln";
        assert_eq!(
            unwrap_wire(raw),
            "Varity Corp, formerly Massey-Ferguson Ltd, said it expected a loss.\n\n\
             A company spokesman said figures were unavailable.\n\n\
             Shr 1.20 dlrs vs 1.10 dlrs\n\nNet 5.6 mln vs 4.3 mln"
        );
    }

    /// The paragraphs of `a`'s text.
    fn paragraphs(a: &Article) -> Vec<&str> {
        a.text.split("\n\n").collect()
    }

    fn with_text(a: &Article, id: &str, text: String) -> Article {
        Article {
            id: ArticleId::new(id).unwrap(),
            text,
            ..a.clone()
        }
    }

    #[test]
    fn near_duplicates_are_dropped_and_the_first_by_id_kept() {
        let base = sample_base();
        let long = base
            .iter()
            .find(|a| a.id.as_str().starts_with("bbc/business/") && paragraphs(a).len() >= 6)
            .unwrap();
        let other = base
            .iter()
            .find(|a| a.id.as_str().starts_with("bbc/tech/"))
            .unwrap();
        let paras = paragraphs(long);
        // One paragraph rewritten: the same story filed twice.
        let mut edited = paras.clone();
        let last = edited.len() - 1;
        edited[last] = "A spokesman declined to comment on the figures.";
        // The first half only: an earlier, shorter version of the story.
        let half = paras[..paras.len() / 2].join("\n\n");
        let articles = vec![
            with_text(long, "a-original", long.text.clone()),
            with_text(long, "b-filed-twice", edited.join("\n\n")),
            with_text(long, "c-first-half", half),
            with_text(other, "d-other-story", other.text.clone()),
        ];
        let kept: Vec<String> = drop_near_duplicates(articles)
            .iter()
            .map(|a| a.id.as_str().to_string())
            .collect();
        assert_eq!(kept, ["a-original", "d-other-story"]);
    }

    #[test]
    fn the_loaded_base_holds_no_near_duplicates() {
        // Checked pair by pair, exactly: the pass itself finds candidates
        // through rare shingles only.
        let base = sample_base();
        let sh = shingles_of(base);
        for i in 0..sh.len() {
            for j in i + 1..sh.len() {
                assert!(
                    !near_duplicates(&sh[i], &sh[j]),
                    "{} and {}",
                    base[i].id,
                    base[j].id
                );
            }
        }
    }

    #[test]
    fn missing_input_is_an_error() {
        let err = load_base(Some(Path::new("/nonexistent/bbc")), None).unwrap_err();
        assert!(matches!(err, CorpusError::Input { .. }));
    }
}
