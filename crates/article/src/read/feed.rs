//! RSS and Atom feeds (`.rss`, `.atom`, optionally gzipped; `--format feed`
//! for a feed with another name), parsed with `feed-rs`.
//!
//! Each entry that carries its article's text becomes an article: the
//! entry's full content (`content:encoded`, Atom `<content>`), else its
//! description or summary when that holds at least the HTML reader's body
//! floor. An entry with only a teaser is an error naming the entry: its
//! article is on the linked page, which this reader does not fetch.
//!
//! Ids come from the entry's guid (RSS) or id (Atom), else its link, so
//! reading the same feed again gives the same ids and changes nothing in the
//! store. The outlet is the link's domain; the date is the entry's
//! publication date, else its update date.

use std::path::Path;

use dom_query::Document;
use feed_rs::model::{Entry, Link};

use super::charset::gunzip_if_needed;
use super::html::{clean, host_name, BodySize};
use super::{emit_article, error, io_kind, ArticleReader, Format, ReadEvent, ReadOptions};
use crate::{Article, ArticleId, ReadErrorKind};

/// Reads RSS 2.0, RSS 1.0/0.9x and Atom feeds (and JSON Feed, which
/// `feed-rs` reads too).
#[derive(Clone, Copy, Debug, Default)]
pub struct FeedReader;

/// A feed holds many articles: it may be this many times the per-article cap.
const FEED_SIZE_FACTOR: u64 = 16;

impl ArticleReader for FeedReader {
    fn format(&self) -> Format {
        Format::Feed
    }

    fn read_file(&self, path: &Path, opts: &ReadOptions, emit: &mut dyn FnMut(ReadEvent)) {
        let fail = |kind| ReadEvent::Error(error(path, None, kind));
        let limit = opts.max_article_bytes.saturating_mul(FEED_SIZE_FACTOR);
        let bytes = match std::fs::File::open(path)
            .map_err(|e| io_kind(&e))
            .and_then(|f| super::charset::read_capped(f, limit))
            .and_then(|b| gunzip_if_needed(b, limit))
        {
            Ok(bytes) => bytes,
            Err(kind) => return emit(fail(kind)),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return emit(fail(ReadErrorKind::Empty));
        }
        let items = match parse_feed(&bytes, None) {
            Ok(items) => items,
            Err(kind) => return emit(fail(kind)),
        };
        for item in items {
            match item {
                FeedItem::Article(article, warnings) => emit_article(path, article, warnings, emit),
                FeedItem::Teaser(teaser) => emit(fail(ReadErrorKind::Feed(format!(
                    "{}: {} (its text is on the linked page, which is not fetched)",
                    teaser.name,
                    teaser.what()
                )))),
                FeedItem::Invalid { name, why } => {
                    emit(fail(ReadErrorKind::Feed(format!("{name}: {why}"))))
                }
            }
        }
    }
}

/// One entry of a feed, as [`parse_feed`] reads it.
#[derive(Clone, Debug)]
pub enum FeedItem {
    /// The entry carries its article's text.
    Article(Article, Vec<ReadErrorKind>),
    /// The entry carries only a teaser; the article is on its linked page.
    Teaser(FeedTeaser),
    /// The entry cannot be an article (no id or link, no text).
    Invalid {
        /// How errors name the entry: `entry N ("title")`.
        name: String,
        /// Why it is not an article.
        why: String,
    },
}

/// An entry whose article is on its linked page: what the feed says of it.
#[derive(Clone, Debug)]
pub struct FeedTeaser {
    /// How errors name the entry: `entry N ("title")`.
    pub name: String,
    /// The entry's id (guid, id, else link).
    pub id: ArticleId,
    /// The linked page, if the entry has a link.
    pub link: Option<String>,
    /// The entry's title.
    pub title: Option<String>,
    /// The entry's publication (else update) date.
    pub date: Option<chrono::NaiveDate>,
    /// Words in the teaser.
    pub words: usize,
}

impl FeedTeaser {
    /// What the entry carries instead of the article.
    pub fn what(&self) -> String {
        match self.words {
            0 => "the entry carries no text".to_string(),
            n => format!("the entry carries a summary of {n} words, not the article"),
        }
    }
}

/// Parses a feed (RSS, Atom or JSON Feed) into its entries, in feed order.
/// An entry without guid or id is named by its link (feed-rs would hash
/// link and title, which changes when a headline is edited).
///
/// `base` is the feed's own URL, if known: relative links are resolved
/// against it. Dates are taken as written (the calendar date in the
/// feed's own time zone, as the other readers take them), not in UTC.
pub fn parse_feed(bytes: &[u8], base: Option<&str>) -> Result<Vec<FeedItem>, ReadErrorKind> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base)
        .id_generator(|links: &[Link], _, _| {
            alternate_link(links)
                .map(str::to_string)
                .unwrap_or_default()
        })
        .timestamp_parser(date_as_written)
        .build();
    let feed = parser
        .parse(bytes)
        .map_err(|e| ReadErrorKind::Feed(format!("cannot parse the feed: {e}")))?;
    let feed_host = alternate_link(&feed.links).and_then(host_name);
    Ok(feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(n, entry)| {
            let name = format!("entry {} ({})", n + 1, entry_name(&entry));
            match entry_article(&entry, feed_host.as_deref()) {
                Ok(article) => FeedItem::Article(article.0, article.1),
                Err(EntryProblem::Teaser { id, words }) => FeedItem::Teaser(FeedTeaser {
                    name,
                    id,
                    link: alternate_link(&entry.links).map(str::to_string),
                    title: entry_title(&entry),
                    date: entry_date(&entry),
                    words,
                }),
                Err(EntryProblem::Invalid(why)) => FeedItem::Invalid { name, why },
            }
        })
        .collect())
}

/// Why an entry is not an article.
enum EntryProblem {
    Teaser { id: ArticleId, words: usize },
    Invalid(String),
}

/// The entry as an article, with its warnings; or why it is not one.
/// `feed_host` is the host of the feed's own link: a bare guid ("12345",
/// unique only within its feed) is named under the entry's host, else the
/// feed's, so that two outlets' guids do not collide in one store.
fn entry_article(
    entry: &Entry,
    feed_host: Option<&str>,
) -> Result<(Article, Vec<ReadErrorKind>), EntryProblem> {
    let id = entry.id.trim();
    if id.is_empty() {
        return Err(EntryProblem::Invalid(
            "no guid, id or link to name it by".to_string(),
        ));
    }
    let id = match (
        id.contains(':'),
        alternate_link(&entry.links).and_then(host_name),
    ) {
        // A URL, URN or tag: unique by itself.
        (true, _) => id.to_string(),
        (false, Some(host)) => format!("{host}/{id}"),
        (false, None) => feed_host.map_or_else(|| id.to_string(), |h| format!("{h}/{id}")),
    };
    let id = ArticleId::new(id).map_err(|e| EntryProblem::Invalid(format!("{e}")))?;
    let full = entry.content.as_ref().and_then(|c| c.body.as_deref());
    let summary = entry.summary.as_ref().map(|t| t.content.as_str());
    // The full content, else the summary; either must clear the HTML
    // reader's body floor ("<p>Read more…</p>" is a teaser too).
    let candidates = [
        (full, super::extraction::FEED_CONTENT),
        (summary, super::extraction::FEED_SUMMARY),
    ]
    .into_iter()
    .filter_map(|(body, how)| body.map(|b| (html_text(b), how)));
    let mut words = 0;
    let mut text = None;
    for (candidate, how) in candidates {
        let size = BodySize::of(&candidate);
        if size.is_body() {
            text = Some((candidate, how));
            break;
        }
        words = words.max(size.words);
    }
    let Some((text, how)) = text else {
        return Err(EntryProblem::Teaser { id, words });
    };
    let mut warnings = Vec::new();
    let mut article = Article::new(id, text);
    article.extraction = Some(how.to_string());
    article.title = entry_title(entry);
    article.url = alternate_link(&entry.links).map(str::to_string);
    article.source = article.url.as_deref().and_then(host_name);
    article.date = entry_date(entry);
    if article.date.is_none() {
        warnings.push(ReadErrorKind::MissingDate);
    }
    Ok((article, warnings))
}

fn entry_title(entry: &Entry) -> Option<String> {
    entry
        .title
        .as_ref()
        .map(|t| html_text(&t.content))
        .filter(|t| !t.is_empty())
}

fn entry_date(entry: &Entry) -> Option<chrono::NaiveDate> {
    entry.published.or(entry.updated).map(|d| d.date_naive())
}

/// How an error names an entry: its title, else its id.
fn entry_name(entry: &Entry) -> String {
    entry
        .title
        .as_ref()
        .map(|t| format!("{:?}", t.content.trim()))
        .filter(|t| t != "\"\"")
        .unwrap_or_else(|| format!("id {:?}", entry.id))
}

/// The entry's page: its `alternate` link (Atom), else its first link.
fn alternate_link(links: &[Link]) -> Option<&str> {
    links
        .iter()
        .find(|l| l.rel.as_deref() == Some("alternate"))
        .or_else(|| links.first())
        .map(|l| l.href.trim())
        .filter(|h| !h.is_empty())
}

/// The text of an HTML fragment (an entry's content), one paragraph per
/// block element, joined with blank lines as the HTML reader joins blocks;
/// plain text comes back with its white space runs collapsed per line.
fn html_text(fragment: &str) -> String {
    if !fragment.contains('<') {
        return paragraphs_of(&decode_entities(fragment));
    }
    // Every block boundary and line break becomes a line end, so that
    // paragraphs stay apart whatever the markup (`<p>`, `<div>`, `<li>`,
    // `<br>`, any case); then the text is read line by line.
    let doc = Document::from(fragment);
    doc.select("br").replace_with_html("\n");
    for block in BLOCKS {
        for node in doc.select(block).nodes() {
            node.before_html("\n");
            node.after_html("\n");
        }
    }
    paragraphs_of(&doc.select("body").text())
}

/// Elements that start a new paragraph.
const BLOCKS: [&str; 17] = [
    "p",
    "div",
    "li",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "dd",
    "dt",
    "figcaption",
    "section",
    "article",
];

/// A feed date as written: its calendar date and time in its own zone
/// (stored as if UTC, which is all the readers keep of it).
fn date_as_written(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = s.trim();
    chrono::DateTime::parse_from_rfc2822(s)
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(s))
        .map(|d| d.naive_local().and_utc())
        .ok()
        .or_else(|| {
            super::parse_iso_date(s)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}

/// `text`'s non-blank lines, white space collapsed, joined with blank lines.
fn paragraphs_of(text: &str) -> String {
    text.lines()
        .map(clean)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The few entities a plain-text RSS description may still hold.
fn decode_entities(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> Vec<ReadEvent> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.rss");
        std::fs::write(&path, xml).unwrap();
        let mut events = Vec::new();
        FeedReader.read_file(&path, &ReadOptions::default(), &mut |e| events.push(e));
        events
    }

    const STORY: &str = "The central bank raised its main interest rate by a quarter \
        point on Tuesday, the third increase this year, saying inflation was still too \
        high for comfort and that further moves would depend on the data.";

    #[test]
    fn html_fragments_become_paragraphs() {
        assert_eq!(
            html_text("<p>One  two.</p><p>Three<BR>four.</p>"),
            "One two.\n\nThree\n\nfour."
        );
        assert_eq!(
            html_text("Plain &amp; simple\n\nsecond"),
            "Plain & simple\n\nsecond"
        );
        assert_eq!(
            html_text("<div>Line one<br/>line two</div>"),
            "Line one\n\nline two"
        );
        // Text outside <p> is kept, blocks are not glued, nothing is doubled.
        assert_eq!(
            html_text("<p>Intro.</p><ul><li>Point.</li></ul>"),
            "Intro.\n\nPoint."
        );
        assert_eq!(html_text("<div>One.</div><div>Two.</div>"), "One.\n\nTwo.");
        assert_eq!(
            html_text("<blockquote><p>Quoted.</p></blockquote>Tail."),
            "Quoted.\n\nTail."
        );
    }

    #[test]
    fn bare_guids_are_named_under_their_host() {
        let item = |host: &str, guid: &str| {
            format!(
                "<rss version=\"2.0\"><channel><title>T</title><link>https://{host}/</link>\
                 <item><title>X</title><guid>{guid}</guid><link>https://www.{host}/a</link>\
                 <description>&lt;p&gt;{STORY}&lt;/p&gt;</description></item></channel></rss>"
            )
        };
        let id = |xml: String| match read(&xml).as_slice() {
            [ReadEvent::Warning(_), ReadEvent::Article { article, .. }] => {
                article.id.as_str().to_string()
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(id(item("one.test", "12345")), "one.test/12345");
        assert_eq!(id(item("two.test", "12345")), "two.test/12345");
        // A URL or URN guid is unique by itself.
        assert_eq!(
            id(item("one.test", "urn:uuid:1225c695")),
            "urn:uuid:1225c695"
        );
    }

    #[test]
    fn dates_are_taken_as_written() {
        let d = date_as_written("Fri, 25 Apr 2025 22:00:00 -0400").unwrap();
        assert_eq!(
            d.date_naive(),
            chrono::NaiveDate::from_ymd_opt(2025, 4, 25).unwrap()
        );
        let d = date_as_written("2025-04-25T23:30:00+09:00").unwrap();
        assert_eq!(
            d.date_naive(),
            chrono::NaiveDate::from_ymd_opt(2025, 4, 25).unwrap()
        );
        assert!(date_as_written("yesterday").is_none());
    }

    #[test]
    fn a_short_full_content_is_a_teaser() {
        let xml = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\
                   <entry><id>e1</id><title>X</title><link href=\"https://a.test/x\"/>\
                   <content type=\"html\">&lt;p&gt;Read more&lt;/p&gt;</content></entry></feed>";
        let events = read(xml);
        let [ReadEvent::Error(e)] = events.as_slice() else {
            panic!("{events:?}")
        };
        assert!(e.to_string().contains("summary of 2 words"), "{e}");
    }

    #[test]
    fn rss_item_with_description_only_is_read_when_it_holds_the_story() {
        let xml = format!(
            "<rss version=\"2.0\"><channel><title>T</title>\
             <item><title>Rates &amp; inflation</title><link>https://www.bank-news.test/a</link>\
             <pubDate>Tue, 05 Mar 2024 09:30:00 +0000</pubDate>\
             <description>&lt;p&gt;{STORY}&lt;/p&gt;</description></item>\
             <item><title>Teaser</title><guid>t1</guid><description>Rates rose.</description></item>\
             </channel></rss>"
        );
        let events = read(&xml);
        let [ReadEvent::Article { article, .. }, ReadEvent::Error(e)] = events.as_slice() else {
            panic!("{events:?}")
        };
        // No guid: the link names the entry.
        assert_eq!(article.id.as_str(), "https://www.bank-news.test/a");
        assert_eq!(article.text, STORY);
        assert_eq!(article.title.as_deref(), Some("Rates & inflation"));
        assert_eq!(article.source.as_deref(), Some("bank-news.test"));
        assert_eq!(article.date, chrono::NaiveDate::from_ymd_opt(2024, 3, 5));
        let msg = e.to_string();
        assert!(
            msg.contains("entry 2 (\"Teaser\")") && msg.contains("2 words"),
            "{msg}"
        );
    }

    #[test]
    fn broken_feed_is_one_error_naming_the_file() {
        let events = read("<rss><channel><item><title>x</title>");
        let [ReadEvent::Error(e)] = events.as_slice() else {
            panic!("{events:?}")
        };
        assert!(e.to_string().contains("news.rss"), "{e}");
        assert!(matches!(e.kind, ReadErrorKind::Feed(_)), "{e}");
    }
}
