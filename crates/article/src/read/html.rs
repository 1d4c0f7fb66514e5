//! HTML reader: one saved web page per file. The article body is found by
//! rs-trafilatura (a Rust port of trafilatura, measured in
//! `docs/EXTRACT-BENCH.md`); headline, date, outlet and canonical URL are read
//! here from the page's own metadata, so that each can be validated and a bad
//! one reported as a warning.

use std::path::Path;

use chrono::NaiveDate;
use dom_query::Document;

use super::charset::{decode_html, gunzip_if_needed};
use super::decode::line_at;
use super::html_body::{extract_article_node, paragraphs, without_link_blocks};
use super::page_spans::{locate_paragraphs, PageSpan};
use super::web_date::parse_web_date;
use super::{emit_article, error, io_kind, ArticleReader, Format, ReadEvent, ReadOptions};
use crate::{Article, ArticleId, ReadErrorKind};

/// `<meta name>`s that hold a page's publication date where it has no
/// JSON-LD, Open Graph or microdata one: Dublin Core, and the names of news
/// CMSs and analytics tags (Parse.ly, Sailthru).
const PUBLICATION_DATE_METAS: &str = r#"meta[name="pubdate"], meta[name="publishdate"],
    meta[name="date"], meta[name="DC.date.issued"], meta[name="dc.date.issued"],
    meta[name="DC.date"], meta[name="dc.date"], meta[name="dcterms.created"],
    meta[name="parsely-pub-date"], meta[name="sailthru.date"]"#;

/// Fewer words than this, and fewer than [`MIN_BODY_CHARS`] characters, is
/// not an article body but what an extractor returns from a page without one
/// (a menu, a "page not found" line).
pub const MIN_BODY_WORDS: usize = 20;

/// Characters (not counting white space) that make a body even with fewer
/// than [`MIN_BODY_WORDS`] words: Chinese or Japanese text has no spaces
/// between words.
pub const MIN_BODY_CHARS: usize = 200;

/// A text's size as the body floor counts it: white-space separated words,
/// and characters other than white space.
#[derive(Clone, Copy, Debug)]
pub(super) struct BodySize {
    pub words: usize,
    pub chars: usize,
}

impl BodySize {
    pub fn of(text: &str) -> BodySize {
        BodySize {
            words: text.split_whitespace().count(),
            chars: text.chars().filter(|c| !c.is_whitespace()).count(),
        }
    }

    /// Whether it is an article body: at least [`MIN_BODY_WORDS`] words or
    /// [`MIN_BODY_CHARS`] characters.
    pub fn is_body(self) -> bool {
        self.words >= MIN_BODY_WORDS || self.chars >= MIN_BODY_CHARS
    }
}

/// Reads saved web pages (`.html`, `.htm`, optionally gzipped: `.html.gz`).
///
/// * **text**: the main content as rs-trafilatura finds it, navigation, menus,
///   related-story boxes, cookie banners and comments left out. Its blocks
///   (paragraphs, headings, list items) are joined with blank lines, so
///   unspun's segmenter sees the page's paragraphs. A page where no body of
///   at least [`MIN_BODY_WORDS`] words or [`MIN_BODY_CHARS`] characters is found is a
///   [`ReadErrorKind::NoArticleBody`] error, never an empty article.
/// * **title**: JSON-LD `headline`, else `og:title`, else microdata
///   `itemprop="headline"`, else `<title>`.
/// * **date**: the first valid one of JSON-LD `datePublished`,
///   `<meta property="article:published_time">`, microdata
///   `itemprop="datePublished"`, the Dublin Core and CMS meta names
///   ([`PUBLICATION_DATE_METAS`]), `<time datetime>`; ISO 8601, RFC 2822 or
///   English (`November 19, 2019`), the calendar date as written
///   (`read/web_date.rs`). Each present but invalid
///   or implausible value is a [`ReadErrorKind::InvalidDate`] warning; no date
///   at all is a [`ReadErrorKind::MissingDate`] warning.
/// * **source**: `og:site_name`, else the host of the canonical URL without `www.`.
/// * **url**: `<link rel="canonical">`, else `og:url`.
///
/// The character set is taken from a byte-order mark, else `<meta charset>`,
/// else UTF-8 when the bytes are valid UTF-8, else Windows-1252 with a
/// [`ReadErrorKind::DecodedAsLatin1`] warning. Ids are made as for plain text:
/// the file name without its extensions (`.html`, `.html.gz`), or for a file
/// found in a directory its relative path without them.
#[derive(Clone, Copy, Debug, Default)]
pub struct HtmlReader;

/// What was read from one HTML document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HtmlPage {
    /// The body text, blocks separated by blank lines.
    pub text: String,
    /// The headline.
    pub title: Option<String>,
    /// The publication date.
    pub date: Option<NaiveDate>,
    /// The outlet.
    pub source: Option<String>,
    /// The canonical URL.
    pub url: Option<String>,
    /// Dates found but rejected, as written.
    pub rejected_dates: Vec<String>,
    /// How the body was found ([`Article::extraction`]): the extractor and
    /// what unspun changed in its answer.
    pub extraction: String,
    /// Where each paragraph of `text` sits in the page ([`Article::page_spans`]).
    pub page_spans: Vec<PageSpan>,
}

impl HtmlPage {
    /// Extracts the article of an HTML document already decoded to text.
    /// `page_url` is where the page was fetched from, if known: it helps the
    /// extractor and stands in when the page names no canonical URL.
    pub fn extract(html: &str, page_url: Option<&str>) -> Result<HtmlPage, ReadErrorKind> {
        let doc = Document::from(html);
        let json_ld = json_ld(&doc);
        let meta = |selector: &str| {
            doc.select(selector).nodes().iter().find_map(|n| {
                n.attr("content")
                    .map(|v| clean(&v))
                    .filter(|v| !v.is_empty())
            })
        };

        let url = doc
            .select(r#"link[rel="canonical"]"#)
            .nodes()
            .iter()
            .find_map(|n| n.attr("href").map(|v| v.trim().to_string()))
            .filter(|u| is_absolute_url(u))
            .or_else(|| meta(r#"meta[property="og:url"]"#).filter(|u| is_absolute_url(u)))
            .or_else(|| page_url.map(str::to_string));

        let (extracted, kept_over) = extract_article_node(html, url.clone())?;
        let (text, link_blocks) = match extracted.content_html.as_deref() {
            Some(content_html) => without_link_blocks(&extracted.content_text, content_html),
            None => (paragraphs(&extracted.content_text), 0),
        };
        let mut extraction = String::from("html: rs-trafilatura main content");
        if let Some(stand_in) = kept_over {
            extraction.push_str(&format!(", the article node kept over {stand_in}"));
        }
        if link_blocks > 0 {
            let s = if link_blocks == 1 { "" } else { "s" };
            extraction.push_str(&format!(", {link_blocks} link block{s} dropped"));
        }
        let size = BodySize::of(&text);
        if !size.is_body() {
            let BodySize { words, chars } = size;
            return Err(ReadErrorKind::NoArticleBody(format!(
                "the main text found has {words} words ({chars} characters), \
                 fewer than {MIN_BODY_WORDS} ({MIN_BODY_CHARS})"
            )));
        }
        let title = json_ld
            .iter()
            .find_map(|v| find_str(v, "headline"))
            .map(|s| clean(&s))
            .filter(|s| !s.is_empty())
            .or_else(|| meta(r#"meta[property="og:title"], meta[name="og:title"]"#))
            .or_else(|| {
                doc.select(r#"[itemprop="headline"]"#)
                    .nodes()
                    .iter()
                    .map(|n| clean(&n.attr("content").unwrap_or_else(|| n.text())))
                    .find(|s| !s.is_empty())
            })
            .or_else(|| Some(clean(&doc.select("head title").text())).filter(|s| !s.is_empty()))
            .or_else(|| extracted.metadata.title.clone());

        let source = meta(r#"meta[property="og:site_name"], meta[name="og:site_name"]"#)
            .or_else(|| url.as_deref().and_then(host_name));

        let mut candidates: Vec<String> = json_ld
            .iter()
            .filter_map(|v| find_str(v, "datePublished"))
            .collect();
        candidates.extend(meta(
            r#"meta[property="article:published_time"], meta[name="article:published_time"]"#,
        ));
        // Microdata on any element: `<meta itemprop content>`, `<time itemprop
        // datetime>`, `<span itemprop content>`.
        candidates.extend(
            doc.select(r#"[itemprop="datePublished"]"#)
                .nodes()
                .iter()
                .find_map(|n| {
                    n.attr("content")
                        .or_else(|| n.attr("datetime"))
                        .map(|v| v.trim().to_string())
                        .filter(|v| !v.is_empty())
                }),
        );
        // Older and CMS-specific names of the publication date.
        candidates.extend(meta(PUBLICATION_DATE_METAS));
        candidates.extend(
            doc.select("time[datetime]")
                .nodes()
                .first()
                .and_then(|n| n.attr("datetime").map(|v| v.trim().to_string())),
        );
        let mut date = None;
        let mut rejected_dates = Vec::new();
        for candidate in candidates {
            match parse_web_date(&candidate) {
                Some(d) => {
                    date = Some(d);
                    break;
                }
                None => rejected_dates.push(candidate),
            }
        }
        Ok(HtmlPage {
            title,
            date,
            source,
            url,
            rejected_dates,
            extraction,
            page_spans: locate_paragraphs(&text, html),
            text,
        })
    }

    /// The page as an [`Article`] named `id`, with the warnings to emit before it.
    pub fn into_article(self, id: ArticleId) -> (Article, Vec<ReadErrorKind>) {
        let mut warnings: Vec<ReadErrorKind> = self
            .rejected_dates
            .into_iter()
            .map(ReadErrorKind::InvalidDate)
            .collect();
        if self.date.is_none() {
            warnings.push(ReadErrorKind::MissingDate);
        }
        let mut article = Article::new(id, self.text);
        article.date = self.date;
        article.title = self.title;
        article.source = self.source;
        article.url = self.url;
        article.extraction = Some(self.extraction);
        article.page_spans = self.page_spans;
        (article, warnings)
    }
}

impl HtmlReader {
    /// Reads the HTML file `path` as the article `id`.
    pub fn read_file_with_id(
        &self,
        path: &Path,
        id: &str,
        opts: &ReadOptions,
        emit: &mut dyn FnMut(ReadEvent),
    ) {
        let fail = |kind| ReadEvent::Error(error(path, None, kind));
        let id = match ArticleId::new(id) {
            Ok(id) => id,
            Err(e) => return emit(fail(ReadErrorKind::InvalidId(format!("{e} ({id:?})")))),
        };
        let bytes = match std::fs::File::open(path)
            .map_err(|e| io_kind(&e))
            .and_then(|f| super::charset::read_capped(f, opts.max_article_bytes))
            .and_then(|b| gunzip_if_needed(b, opts.max_article_bytes))
        {
            Ok(bytes) => bytes,
            Err(kind) => return emit(fail(kind)),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return emit(fail(ReadErrorKind::Empty));
        }
        let decoded = decode_html(&bytes, None);
        let page = match HtmlPage::extract(&decoded.text, None) {
            Ok(page) => page,
            Err(kind) => return emit(fail(kind)),
        };
        if let Some(offset) = decoded.guessed_windows1252_at {
            let line = line_at(&bytes, offset);
            emit(ReadEvent::Warning(error(
                path,
                None,
                ReadErrorKind::DecodedAsLatin1 { offset, line },
            )));
        }
        let (article, warnings) = page.into_article(id);
        emit_article(path, article, warnings, emit);
    }
}

impl ArticleReader for HtmlReader {
    fn format(&self) -> Format {
        Format::Html
    }

    fn read_file(&self, path: &Path, opts: &ReadOptions, emit: &mut dyn FnMut(ReadEvent)) {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        self.read_file_with_id(path, strip_html_extension(&name), opts, emit);
    }

    fn read_file_in_dir(
        &self,
        path: &Path,
        root: &Path,
        opts: &ReadOptions,
        emit: &mut dyn FnMut(ReadEvent),
    ) {
        let rel = path.strip_prefix(root).unwrap_or(path);
        let parts: Vec<_> = rel
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(part) => Some(part.to_string_lossy()),
                _ => None,
            })
            .collect();
        let joined = parts.join("/");
        self.read_file_with_id(path, strip_html_extension(&joined), opts, emit);
    }
}

/// `name` without a trailing `.html`, `.htm`, `.html.gz` or `.htm.gz` (any case).
fn strip_html_extension(name: &str) -> &str {
    let lower = name.to_ascii_lowercase();
    for ext in [".html.gz", ".htm.gz", ".html", ".htm"] {
        if lower.ends_with(ext) && name.len() > ext.len() {
            return &name[..name.len() - ext.len()];
        }
    }
    name
}

/// White space runs collapsed to one space, ends trimmed.
pub(super) fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_absolute_url(u: &str) -> bool {
    url::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// The host of `url` without a leading `www.`.
pub(super) fn host_name(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_string())
}

/// The JSON-LD blocks of the page that parse; broken ones (common on the
/// web) are ignored, since the same facts usually also sit in meta tags.
///
/// Many CMSs write raw line breaks and tabs inside JSON-LD strings, which
/// JSON forbids; such a block is read again with every control character as
/// a space (outside strings that is white space, inside them a space).
fn json_ld(doc: &Document) -> Vec<serde_json::Value> {
    doc.select(r#"script[type="application/ld+json"]"#)
        .nodes()
        .iter()
        .filter_map(|n| {
            let text = n.text();
            let text = text.trim();
            serde_json::from_str(text).ok().or_else(|| {
                let spaced: String = text
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                serde_json::from_str(&spaced).ok()
            })
        })
        .collect()
}

/// The first string value of `key`, searching objects, `@graph`s and arrays
/// depth first.
fn find_str(value: &serde_json::Value, key: &str) -> Option<String> {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(s)) = map.get(key) {
                if !s.trim().is_empty() {
                    return Some(s.trim().to_string());
                }
            }
            map.values().find_map(|v| find_str(v, key))
        }
        serde_json::Value::Array(items) => items.iter().find_map(|v| find_str(v, key)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "<p>The central bank raised its main interest rate by a quarter point on Tuesday, \
        the third increase this year, saying inflation was still too high for comfort.</p>\
        <p>Officials said further moves would depend on the data, and markets took the decision calmly, \
        with the currency little changed against the dollar by the close of trading.</p>\
        <p>Economists had widely expected the move after figures last week showed prices rising faster \
        than forecast in the services sector for a fourth month in a row.</p>";

    fn page(head: &str, body: &str) -> String {
        format!(
            "<html><head>{head}</head><body><nav><ul><li><a href=/>Home</a></li>\
             <li><a href=/world>World</a></li><li><a href=/business>Business</a></li></ul></nav>\
             <article>{body}</article><footer>Copyright 2024 Example Media</footer></body></html>"
        )
    }

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn body_metadata_and_paragraphs() {
        let head = r#"<title>Rates rise | Example</title>
            <meta property="og:site_name" content="Example News">
            <meta property="article:published_time" content="2024-03-05T09:30:00+0000">
            <link rel="canonical" href="https://www.example.com/rates">"#;
        let p = HtmlPage::extract(&page(head, BODY), None).unwrap();
        assert!(p.text.starts_with("The central bank raised"), "{}", p.text);
        assert_eq!(p.text.matches("\n\n").count(), 2, "{}", p.text);
        assert!(!p.text.contains("Copyright"));
        assert!(!p.text.contains("Business"));
        assert_eq!(p.title.as_deref(), Some("Rates rise | Example"));
        assert_eq!(p.date, ymd(2024, 3, 5));
        assert_eq!(p.source.as_deref(), Some("Example News"));
        assert_eq!(p.url.as_deref(), Some("https://www.example.com/rates"));
        assert!(p.rejected_dates.is_empty());
    }

    #[test]
    fn json_ld_first_and_domain_as_outlet() {
        let head = r#"<title>Site title</title>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"x"},
              {"@type":"NewsArticle","headline":"Rates  rise again","datePublished":"2024-03-04T23:30:00-05:00"}]}</script>
            <meta property="article:published_time" content="2024-01-01">
            <meta property="og:url" content="https://www.example.org/a/b">"#;
        let p = HtmlPage::extract(&page(head, BODY), None).unwrap();
        assert_eq!(p.title.as_deref(), Some("Rates rise again"));
        // The calendar date as written, not converted to UTC.
        assert_eq!(p.date, ymd(2024, 3, 4));
        assert_eq!(p.url.as_deref(), Some("https://www.example.org/a/b"));
        assert_eq!(p.source.as_deref(), Some("example.org"));
    }

    #[test]
    fn json_ld_with_raw_line_breaks_in_strings_is_read() {
        // As a CMS writes it: a line break and a tab inside a string.
        let head = "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\
            \"headline\":\"Rates rise\n\tagain\",\"datePublished\":\"01:38:07 PM IST Nov 20, 2019\"}</script>";
        let p = HtmlPage::extract(&page(head, BODY), None).unwrap();
        assert_eq!(p.title.as_deref(), Some("Rates rise again"));
        assert_eq!(p.date, ymd(2019, 11, 20));
    }

    #[test]
    fn bad_dates_are_warnings_and_the_next_is_used() {
        let head = r#"<meta property="article:published_time" content="0001-01-01T00:00:00Z">"#;
        let body = format!("<time datetime=\"2024-02-30\">x</time>{BODY}");
        let p = HtmlPage::extract(&page(head, &body), None).unwrap();
        assert_eq!(p.date, None);
        assert_eq!(p.rejected_dates, ["0001-01-01T00:00:00Z", "2024-02-30"]);
        let (article, warnings) = p.into_article(ArticleId::new("x").unwrap());
        assert_eq!(article.date, None);
        assert_eq!(
            warnings,
            [
                ReadErrorKind::InvalidDate("0001-01-01T00:00:00Z".into()),
                ReadErrorKind::InvalidDate("2024-02-30".into()),
                ReadErrorKind::MissingDate
            ]
        );
        let body = format!("<time datetime=\"2024-02-03T10:00\">x</time>{BODY}");
        let p = HtmlPage::extract(&page(head, &body), None).unwrap();
        assert_eq!(p.date, ymd(2024, 2, 3));
    }

    #[test]
    fn page_without_body_is_an_error() {
        let html = "<html><head><title>Home</title></head><body><nav><a href=/>Home</a></nav></body></html>";
        assert!(matches!(
            HtmlPage::extract(html, None),
            Err(ReadErrorKind::NoArticleBody(_))
        ));
    }

    #[test]
    fn page_url_is_the_fallback_url_and_outlet() {
        let p = HtmlPage::extract(&page("", BODY), Some("http://news.example.net/x")).unwrap();
        assert_eq!(p.url.as_deref(), Some("http://news.example.net/x"));
        assert_eq!(p.source.as_deref(), Some("news.example.net"));
        assert_eq!(p.title, None);
    }

    #[test]
    fn extensions_stripped_for_ids() {
        assert_eq!(strip_html_extension("a/b.html.gz"), "a/b");
        assert_eq!(strip_html_extension("page.HTM"), "page");
        assert_eq!(strip_html_extension(".html"), ".html");
        assert_eq!(strip_html_extension("x.txt"), "x.txt");
    }
}
