//! Polite fetching of web pages and feeds, only when the user asks for it
//! (`unspun trace URL`, `unspun ingest --fetch URL...`). Nothing else in
//! unspun touches the network.
//!
//! A [`Fetcher`] sends its user agent, obeys each site's `robots.txt`
//! (fetched once per origin; a missing one allows everything, a failing one
//! allows nothing), waits a minimum interval between requests to one host
//! (longer when `Crawl-delay` asks), times out, caps the size of a response
//! and follows at most a few redirects. A page becomes an article through
//! the HTML reader's extraction; a feed's entries become articles, and an
//! entry that carries only a teaser is read from its linked page.
//!
//! ```no_run
//! use unspun_article::read::{ReadEvent, ReadOptions};
//! use unspun_fetch::{FetchOptions, Fetcher};
//!
//! let fetcher = Fetcher::new(FetchOptions::default());
//! fetcher.read_url("https://www.example.com/news/story", &ReadOptions::default(), &mut |event| {
//!     if let ReadEvent::Article { article, .. } = event {
//!         println!("{}: {} words", article.id, article.text.split_whitespace().count());
//!     }
//! });
//! ```

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use texting_robots::Robot;
use unspun_article::read::{
    decode_html_bytes, emit_article, extraction, parse_feed, FeedItem, HtmlPage, ReadEvent,
    ReadOptions,
};
use unspun_article::{Article, ArticleId, ReadError, ReadErrorKind};
use ureq::ResponseExt;

/// How a [`Fetcher`] behaves.
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// The `User-Agent` sent, and the agent `robots.txt` rules are read for.
    pub user_agent: String,
    /// The whole of one request, connection to last byte.
    pub timeout: Duration,
    /// The largest response body read; a larger one is an error.
    pub max_bytes: u64,
    /// The least time between two requests to one host.
    pub min_interval: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
}

impl Default for FetchOptions {
    /// `unspun/VERSION`, 30 s, 10 MiB, 1 s between requests to a host, 5 redirects.
    fn default() -> FetchOptions {
        FetchOptions {
            user_agent: format!(
                "unspun/{} (+https://github.com/unspun; news provenance)",
                env!("CARGO_PKG_VERSION")
            ),
            timeout: Duration::from_secs(30),
            max_bytes: 10 * 1024 * 1024,
            min_interval: Duration::from_secs(1),
            max_redirects: 5,
        }
    }
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not an absolute http(s) URL.
    #[error("not an http(s) URL: {0}")]
    InvalidUrl(String),
    /// The site's robots.txt disallows the URL for our user agent.
    #[error("robots.txt of {0} disallows fetching it")]
    Disallowed(String),
    /// The site's robots.txt could not be read (server error, network), so
    /// nothing of the site is fetched.
    #[error("robots.txt of {0} could not be read ({1}), so nothing of the site is fetched")]
    RobotsUnavailable(String, String),
    /// robots.txt asks for a crawl delay over [`MAX_CRAWL_DELAY`].
    #[error("robots.txt of {0} asks for a crawl delay of {1} s (over 60 s), so nothing of the site is fetched")]
    CrawlDelay(String, f32),
    /// The server answered with an error status.
    #[error("HTTP status {0}")]
    Status(u16),
    /// The body is over [`FetchOptions::max_bytes`].
    #[error("the response is over {0} bytes")]
    TooLarge(u64),
    /// Connection, TLS, timeout, too many redirects.
    #[error("{0}")]
    Network(String),
    /// Neither a web page nor a feed.
    #[error("unsupported content type {0:?} (expected an HTML page or an RSS/Atom feed)")]
    UnsupportedType(String),
}

/// A fetched response.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// The URL after redirects.
    pub url: String,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body, content encoding undone.
    pub body: Vec<u8>,
}

/// The longest `Crawl-delay` honoured; a site asking for more is not fetched
/// (rather than stalling a run for hours).
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// One request's outcome.
enum Hop {
    Done(Fetched),
    Redirect(String),
}

/// The product token of a User-Agent string, which robots.txt groups name
/// (`unspun` of `unspun/0.1.0 (+...)`).
fn product_token(user_agent: &str) -> &str {
    user_agent
        .split(['/', ' '])
        .next()
        .filter(|t| !t.is_empty())
        .unwrap_or(user_agent)
}

/// What was learnt of one origin's robots.txt.
enum Rules {
    /// Parsed rules.
    Robot(Box<Robot>),
    /// No robots.txt (4xx) or one that does not parse: everything allowed.
    AllowAll,
    /// robots.txt failed (5xx, network): nothing allowed; why.
    DenyAll(String),
}

/// Fetches pages and feeds politely; see the crate docs. One fetcher keeps
/// the robots.txt rules and the last request time of every host it met.
pub struct Fetcher {
    agent: ureq::Agent,
    opts: FetchOptions,
    robots: Mutex<HashMap<String, std::sync::Arc<Rules>>>,
    last_request: Mutex<HashMap<String, Instant>>,
}

impl Fetcher {
    /// A fetcher with `opts`.
    pub fn new(opts: FetchOptions) -> Fetcher {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            // Redirects are followed by `get`, hop by hop (robots.txt and
            // the rate limit apply to every hop).
            .max_redirects(0)
            .user_agent(opts.user_agent.as_str())
            .http_status_as_error(false)
            .build()
            .into();
        Fetcher {
            agent,
            opts,
            robots: Mutex::new(HashMap::new()),
            last_request: Mutex::new(HashMap::new()),
        }
    }

    /// Fetches `url` if the site's robots.txt allows it. Redirects are
    /// followed here, hop by hop, so that every hop is checked against its
    /// own site's robots.txt and spaced from that host's other requests.
    pub fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        self.follow(url, |hop| self.permission(hop))
    }

    /// GETs `url`, following redirects up to the limit; `permission` is
    /// asked before every hop and gives its crawl delay.
    fn follow(
        &self,
        url: &str,
        permission: impl Fn(&str) -> Result<Option<Duration>, FetchError>,
    ) -> Result<Fetched, FetchError> {
        let mut current = url.to_string();
        for _ in 0..=self.opts.max_redirects {
            let delay = permission(&current)?;
            match self.hop(&current, delay)? {
                Hop::Done(fetched) => return Ok(fetched),
                Hop::Redirect(next) => current = next,
            }
        }
        Err(FetchError::Network(format!(
            "more than {} redirects from {url}",
            self.opts.max_redirects
        )))
    }

    /// Whether robots.txt lets us fetch `url`, and the crawl delay it asks.
    fn permission(&self, url: &str) -> Result<Option<Duration>, FetchError> {
        let origin = parse_url(url)?.origin().ascii_serialization();
        let rules = self.rules(&origin);
        let robot = match rules.as_ref() {
            Rules::Robot(robot) => robot,
            Rules::AllowAll => return Ok(None),
            Rules::DenyAll(why) => return Err(FetchError::RobotsUnavailable(origin, why.clone())),
        };
        if !robot.allowed(url) {
            return Err(FetchError::Disallowed(origin));
        }
        match robot.delay {
            None => Ok(None),
            Some(d) => match Duration::try_from_secs_f32(d) {
                Ok(delay) if delay <= MAX_CRAWL_DELAY => Ok(Some(delay)),
                _ => Err(FetchError::CrawlDelay(origin, d)),
            },
        }
    }

    /// The robots.txt rules of `origin`, fetched on first use (following up
    /// to the redirect limit, as RFC 9309 asks).
    fn rules(&self, origin: &str) -> std::sync::Arc<Rules> {
        if let Some(rules) = self.robots.lock().expect("robots lock").get(origin) {
            return rules.clone();
        }
        // robots.txt itself is fetched without asking robots.txt.
        let outcome = self.follow(&format!("{origin}/robots.txt"), |_| Ok(None));
        let rules = match outcome {
            // Rules are matched on the product token ("unspun"), not the
            // whole User-Agent string.
            Ok(fetched) => match Robot::new(product_token(&self.opts.user_agent), &fetched.body) {
                Ok(robot) => Rules::Robot(Box::new(robot)),
                Err(_) => Rules::AllowAll,
            },
            Err(FetchError::Status(s)) if (400..500).contains(&s) && s != 429 => Rules::AllowAll,
            Err(e) => Rules::DenyAll(e.to_string()),
        };
        let rules = std::sync::Arc::new(rules);
        self.robots
            .lock()
            .expect("robots lock")
            .insert(origin.to_string(), rules.clone());
        rules
    }

    /// One GET without following redirects, after waiting out the host's
    /// interval.
    fn hop(&self, url: &str, crawl_delay: Option<Duration>) -> Result<Hop, FetchError> {
        let parsed = parse_url(url)?;
        let host = parsed.host_str().unwrap_or_default().to_string();
        let interval =
            crawl_delay.map_or(self.opts.min_interval, |d| d.max(self.opts.min_interval));
        self.wait_for(&host, interval);
        let mut response = self
            .agent
            .get(url)
            .call()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        let status = response.status().as_u16();
        if (300..400).contains(&status) {
            if let Some(location) = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
            {
                let next = parsed
                    .join(location)
                    .map_err(|_| FetchError::InvalidUrl(location.to_string()))?;
                return Ok(Hop::Redirect(next.to_string()));
            }
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Status(status));
        }
        let final_url = response.get_uri().to_string();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response
            .body_mut()
            .with_config()
            .limit(self.opts.max_bytes)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(self.opts.max_bytes),
                e => FetchError::Network(e.to_string()),
            })?;
        Ok(Hop::Done(Fetched {
            url: final_url,
            content_type,
            body,
        }))
    }

    /// Sleeps until `interval` has passed since the last request to `host`,
    /// and books this one.
    fn wait_for(&self, host: &str, interval: Duration) {
        let wait = {
            let mut last = self.last_request.lock().expect("rate lock");
            let now = Instant::now();
            let next = last.get(host).map_or(now, |t| (*t + interval).max(now));
            last.insert(host.to_string(), next);
            next - now
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }

    /// Fetches `url` and emits what it holds, as a reader does for a file:
    /// a page's article (id: the URL as given), or a feed's entries (an
    /// entry with only a teaser is read from its linked page). Errors are
    /// located at the URL.
    pub fn read_url(&self, url: &str, opts: &ReadOptions, emit: &mut dyn FnMut(ReadEvent)) {
        let at = PathBuf::from(url);
        let fail = |kind: ReadErrorKind| ReadEvent::Error(ReadError::in_file(&at, kind));
        let fetched = match self.get(url) {
            Ok(f) => f,
            Err(e) => return emit(fail(ReadErrorKind::Io(format!("cannot fetch: {e}")))),
        };
        match kind_of(&fetched) {
            Some(Kind::Page) => match self.page_article(url, &fetched) {
                Ok((article, warnings)) => emit_article(&at, article, warnings, emit),
                Err(kind) => emit(fail(kind)),
            },
            Some(Kind::Feed) => self.read_feed(&at, &fetched, opts, emit),
            None => emit(fail(ReadErrorKind::Io(
                FetchError::UnsupportedType(fetched.content_type.unwrap_or_default()).to_string(),
            ))),
        }
    }

    /// The article of a fetched page, named `id`.
    fn page_article(
        &self,
        id: &str,
        fetched: &Fetched,
    ) -> Result<(Article, Vec<ReadErrorKind>), ReadErrorKind> {
        let html = decode_html_bytes(&fetched.body, fetched.content_type.as_deref());
        let page = HtmlPage::extract(&html, Some(&fetched.url))?;
        let id = ArticleId::new(id).map_err(|e| ReadErrorKind::InvalidId(e.to_string()))?;
        let (mut article, warnings) = page.into_article(id);
        fetched_from(&mut article, fetched);
        Ok((article, warnings))
    }

    fn read_feed(
        &self,
        at: &std::path::Path,
        fetched: &Fetched,
        _opts: &ReadOptions,
        emit: &mut dyn FnMut(ReadEvent),
    ) {
        let items = match parse_feed(&fetched.body, Some(&fetched.url)) {
            Ok(items) => items,
            Err(kind) => return emit(ReadEvent::Error(ReadError::in_file(at, kind))),
        };
        for item in items {
            let result = match item {
                FeedItem::Article(mut article, warnings) => {
                    fetched_from(&mut article, fetched);
                    Ok((article, warnings))
                }
                FeedItem::Invalid { name, why } => {
                    Err(ReadErrorKind::Feed(format!("{name}: {why}")))
                }
                FeedItem::Teaser(teaser) => {
                    // The article is on the linked page: fetch it, keep the
                    // entry's id (so re-reading the feed changes nothing),
                    // title and date when the page lacks them.
                    let Some(link) = teaser.link.clone() else {
                        emit(ReadEvent::Error(ReadError::in_file(
                            at,
                            ReadErrorKind::Feed(format!(
                                "{}: {} and no link",
                                teaser.name,
                                teaser.what()
                            )),
                        )));
                        continue;
                    };
                    self.get(&link)
                        .map_err(|e| {
                            ReadErrorKind::Feed(format!(
                                "{}: cannot fetch {link}: {e}",
                                teaser.name
                            ))
                        })
                        .and_then(|page| {
                            self.page_article(teaser.id.as_str(), &page).map_err(|k| {
                                ReadErrorKind::Feed(format!("{}: {link}: {k}", teaser.name))
                            })
                        })
                        .map(|(mut article, mut warnings)| {
                            if article.date.is_none() {
                                article.date = teaser.date;
                                warnings.retain(|w| !matches!(w, ReadErrorKind::MissingDate));
                            }
                            article.title = article.title.or(teaser.title.clone());
                            (article, warnings)
                        })
                }
            };
            match result {
                Ok((article, warnings)) => emit_article(at, article, warnings, emit),
                Err(kind) => emit(ReadEvent::Error(ReadError::in_file(at, kind))),
            }
        }
    }
}

/// Records in `article`'s provenance that its text was fetched as `fetched`:
/// the address it came from after redirects (unless that is the article's
/// own URL) and "fetched over HTTP" before how it was extracted.
fn fetched_from(article: &mut Article, fetched: &Fetched) {
    if article.url.as_deref() != Some(fetched.url.as_str()) {
        article.fetched_url = Some(fetched.url.clone());
    }
    article.extraction = Some(match article.extraction.take() {
        Some(how) => extraction::within(extraction::FETCHED, &how),
        None => extraction::FETCHED.to_string(),
    });
}

/// Whether `input` (a command-line argument) is a URL to fetch.
pub fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

enum Kind {
    Page,
    Feed,
}

/// A page or a feed, by content type, else by the body's first tag.
fn kind_of(fetched: &Fetched) -> Option<Kind> {
    let ct = fetched
        .content_type
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if ct.contains("html") {
        return Some(Kind::Page);
    }
    if ct.contains("rss") || ct.contains("atom") || ct.contains("xml") || ct.contains("feed+json") {
        return Some(Kind::Feed);
    }
    let head =
        String::from_utf8_lossy(&fetched.body[..fetched.body.len().min(512)]).to_ascii_lowercase();
    if head.contains("<rss") || head.contains("<feed") || head.contains("<rdf") {
        Some(Kind::Feed)
    } else if head.contains("<html") || head.contains("<!doctype html") {
        Some(Kind::Page)
    } else {
        None
    }
}

fn parse_url(url: &str) -> Result<url::Url, FetchError> {
    url::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| FetchError::InvalidUrl(url.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths() {
        assert!(is_url("https://www.reuters.com/world/"));
        assert!(is_url("HTTP://example.com"));
        assert!(!is_url("examples/seeds/000.txt"));
        assert!(!is_url("ftp://example.com/a"));
        assert!(matches!(
            parse_url("file:///etc/passwd"),
            Err(FetchError::InvalidUrl(_))
        ));
    }

    #[test]
    fn robots_rules_are_matched_on_the_product_token() {
        assert_eq!(
            product_token("unspun/0.1.0 (+https://x.test; news)"),
            "unspun"
        );
        assert_eq!(product_token("unspun"), "unspun");
        let robot = Robot::new(
            product_token(&FetchOptions::default().user_agent),
            b"User-agent: unspun\nDisallow: /private/\n\nUser-agent: *\nAllow: /\n",
        )
        .unwrap();
        assert!(!robot.allowed("https://x.test/private/a"));
        assert!(robot.allowed("https://x.test/public/a"));
    }

    #[test]
    fn content_type_decides_page_or_feed() {
        let fetched = |ct: Option<&str>, body: &str| Fetched {
            url: "http://x.test/".into(),
            content_type: ct.map(str::to_string),
            body: body.as_bytes().to_vec(),
        };
        assert!(matches!(
            kind_of(&fetched(Some("text/html; charset=utf-8"), "")),
            Some(Kind::Page)
        ));
        assert!(matches!(
            kind_of(&fetched(Some("application/rss+xml"), "")),
            Some(Kind::Feed)
        ));
        assert!(matches!(
            kind_of(&fetched(Some("text/xml"), "")),
            Some(Kind::Feed)
        ));
        // No or a generic content type: the first tag decides.
        assert!(matches!(
            kind_of(&fetched(None, "<?xml version=\"1.0\"?><rss>")),
            Some(Kind::Feed)
        ));
        assert!(matches!(
            kind_of(&fetched(
                Some("application/octet-stream"),
                "<!DOCTYPE html><html>"
            )),
            Some(Kind::Page)
        ));
        assert!(kind_of(&fetched(Some("image/png"), "\u{89}PNG")).is_none());
    }
}
