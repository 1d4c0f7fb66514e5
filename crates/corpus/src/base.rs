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
/// (the first by id is kept); the result is sorted by id. Unreadable records
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
    Ok(out)
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
    Some(Article {
        id,
        date,
        source: Some(source.to_string()),
        title: Some(doc.title.clone()),
        url: None,
        text: doc.render(),
    })
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

    #[test]
    fn missing_input_is_an_error() {
        let err = load_base(Some(Path::new("/nonexistent/bbc")), None).unwrap_err();
        assert!(matches!(err, CorpusError::Input { .. }));
    }
}
