//! Fetching, only when asked, from a server this test starts on loopback:
//! a wire RSS feed (the Reuters seed in full, plus a teaser-only item whose
//! article is the seed rewrite's web page), the page itself, an outlet's
//! Atom feed, a robots.txt that disallows one folder. Nothing here reaches
//! beyond 127.0.0.1.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use common::*;

/// The ids of the two feed items: bare guids, named under their links' hosts.
const HERALD: &str = "127.0.0.1/herald-witkoff-putin";
const WIRE: &str = "wire.example.test/wire-2025-04-25-witkoff-putin";

/// A loopback HTTP/1.1 server of fixed responses on `listener`; returns its
/// base URL and the log of request paths.
fn serve_on(
    listener: TcpListener,
    routes: Vec<(&'static str, &'static str, String)>,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            seen.lock().unwrap().push(path.clone());
            let response = match routes.iter().find(|(p, _, _)| *p == path) {
                // A route of type "error500" answers 500.
                Some((_, "error500", _)) => {
                    "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .to_string()
                }
                // A route of type "redirect" answers 302 to its body.
                Some((_, "redirect", location)) => format!(
                    "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                ),
                Some((_, content_type, body)) => format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                ),
                None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_string(),
            };
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (base, log)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(repo().join("crates/cli/tests/fixtures").join(name)).unwrap()
}

/// The wire feed with, as its second item, a teaser-only one linking to `page`.
fn feed_with_teaser(page: &str) -> String {
    let teaser = format!(
        "<item><title>Trump envoy meets Putin as Trump says sides are very close to a deal</title>\
         <link>{page}</link><guid isPermaLink=\"false\">herald-witkoff-putin</guid>\
         <pubDate>Sat, 26 Apr 2025 10:30:00 +0000</pubDate>\
         <description>Witkoff met Putin in Moscow.</description></item>\n</channel>"
    );
    let rss = fixture("seed-wire.rss");
    // Without the wire's own teaser item, whose page is on no server here.
    let start = rss.find("<item>\n<title>Markets wrap").unwrap();
    let end = start + rss[start..].find("</item>").unwrap() + "</item>".len();
    format!("{}{}", &rss[..start], &rss[end..]).replace("</channel>", &teaser)
}

#[test]
fn feed_and_page_fetched_politely_and_traced() {
    // The feed's link names the server's own address, known once it listens.
    let page_path = "/world/witkoff-putin-talks.html";
    let (base, log) = {
        let placeholder = "http://PLACEHOLDER";
        let feed = feed_with_teaser(&format!("{placeholder}{page_path}"));
        let routes = vec![
            (
                "/robots.txt",
                "text/plain",
                // The group naming unspun's product token applies, not `*`.
                "User-agent: unspun\nDisallow: /private/\n\nUser-agent: *\nAllow: /\n".to_string(),
            ),
            ("/feed.rss", "application/rss+xml", feed),
            ("/go/page", "redirect", page_path.to_string()),
            ("/go/private", "redirect", "/private/story.html".to_string()),
            (
                "/herald.atom",
                "application/atom+xml",
                fixture("seed-herald.atom"),
            ),
            (
                page_path,
                "text/html; charset=utf-8",
                fixture("seed-000-page.html"),
            ),
            (
                "/private/story.html",
                "text/html",
                fixture("seed-000-page.html"),
            ),
        ];
        serve_with_base(routes, placeholder)
    };
    let env = Env::new();

    // Without --fetch a URL is an error naming it, and nothing is fetched.
    let out = env.run(&["ingest", &format!("{base}/feed.rss")]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/feed.rss") && stderr.contains("--fetch"),
        "{stderr}"
    );
    assert!(log.lock().unwrap().is_empty());

    // With --fetch: the wire item from the feed, the teaser item from its
    // page, under the entry's id; twice, with no duplicates.
    let first = env.ok(&["ingest", "--fetch", &format!("{base}/feed.rss")]);
    assert!(first.contains("2 added"), "{first}");
    let again = env.ok(&["ingest", "--fetch", &format!("{base}/feed.rss")]);
    assert!(again.contains("0 added, 2 unchanged"), "{again}");
    let requests = log.lock().unwrap().clone();
    // robots.txt once per run, before anything else of the host.
    assert_eq!(requests[0], "/robots.txt", "{requests:?}");
    assert_eq!(
        requests.iter().filter(|p| *p == "/robots.txt").count(),
        2,
        "{requests:?}"
    );
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", HERALD, "--json"])).unwrap();
    let text = show["text"].as_str().unwrap();
    assert!(text.starts_with("US President Donald Trump"), "{text}");
    assert!(!text.contains("We use cookies"), "{text}");
    assert_eq!(show["date"], "2025-04-26");
    // Its provenance: the page's canonical URL, the address it was fetched
    // from, and how its text was found.
    assert_eq!(
        show["url"],
        "https://www.example-herald.test/world/2025/04/26/witkoff-putin-talks"
    );
    assert_eq!(show["fetched_url"], format!("{base}{page_path}"));
    let how = show["extraction"].as_str().unwrap();
    assert!(
        how.starts_with("fetched over HTTP; html: rs-trafilatura main content"),
        "{how}"
    );

    // The stored page traces to the wire story.
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["trace", "--id", HERALD, "--json"])).unwrap();
    assert_eq!(json["sources"][0]["id"], WIRE, "{json:#}");

    // trace URL fetches the page and traces it.
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["trace", &format!("{base}{page_path}"), "--json"])).unwrap();
    assert_eq!(json["article"]["id"], format!("{base}{page_path}"));
    // Its source is the same page, stored from the feed, which explains it
    // whole (the wire story behind it is that copy's source).
    let sources: Vec<&str> = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(sources, [HERALD], "{json:#}");
    let top = &json["sources"][0];
    assert_eq!(top["relation"], "copy", "{json:#}");

    // robots.txt is obeyed: the disallowed page is an error naming it, and
    // it is never requested.
    let out = env.run(&["trace", &format!("{base}/private/story.html")]);
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("robots.txt"), "{stderr}");
    assert!(!log
        .lock()
        .unwrap()
        .iter()
        .any(|p| p.starts_with("/private/")));

    // A redirect is followed hop by hop: to the page, and never into the
    // disallowed folder.
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["trace", &format!("{base}/go/page"), "--json"])).unwrap();
    assert_eq!(json["article"]["id"], format!("{base}/go/page"));
    assert_eq!(json["sources"][0]["id"], HERALD, "{json:#}");
    // Fetched from where the redirect led, not the address asked for.
    assert_eq!(
        json["article"]["provenance"]["fetched_url"],
        format!("{base}{page_path}")
    );
    let out = env.run(&["trace", &format!("{base}/go/private")]);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("robots.txt"));
    assert!(!log
        .lock()
        .unwrap()
        .iter()
        .any(|p| p.starts_with("/private/")));

    // An Atom feed too (full content in its entries): twice, no duplicates.
    let atom = format!("{base}/herald.atom");
    let first = env.ok(&["ingest", "--fetch", &atom]);
    assert!(first.contains("2 added"), "{first}");
    let again = env.ok(&["ingest", "--fetch", &atom]);
    assert!(again.contains("0 added, 2 unchanged"), "{again}");
}

/// [`serve_on`] a fresh loopback port, with `placeholder` (unless empty) in
/// every body replaced by the server's base URL.
fn serve_with_base(
    routes: Vec<(&'static str, &'static str, String)>,
    placeholder: &str,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let routes: Vec<_> = routes
        .into_iter()
        .map(|(p, t, b)| match placeholder {
            "" => (p, t, b),
            _ => (p, t, b.replace(placeholder, &base)),
        })
        .collect();
    serve_on(listener, routes)
}

#[test]
fn unreadable_robots_txt_and_oversized_pages_are_errors() {
    // A site whose robots.txt fails (500): nothing of it is fetched.
    let (down, down_log) = serve_with_base(
        vec![
            ("/robots.txt", "error500", String::new()),
            ("/a.html", "text/html", fixture("seed-000-page.html")),
        ],
        "",
    );
    let env = Env::new();
    env.ok(&["ingest", &format!("{}/{REUTERS}.txt", seeds())]);
    let out = env.run(&["trace", &format!("{down}/a.html")]);
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/a.html") && stderr.contains("could not be read"),
        "{stderr}"
    );
    assert_eq!(*down_log.lock().unwrap(), ["/robots.txt"]);

    // A site that asks for a crawl delay of more than a minute is not
    // fetched (rather than stalling the run), and says why.
    let (slow, slow_log) = serve_with_base(
        vec![
            (
                "/robots.txt",
                "text/plain",
                "User-agent: *\nCrawl-delay: 86400\n".to_string(),
            ),
            ("/a.html", "text/html", fixture("seed-000-page.html")),
        ],
        "",
    );
    let out = env.run(&["trace", &format!("{slow}/a.html")]);
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("crawl delay of 86400 s"), "{stderr}");
    assert_eq!(*slow_log.lock().unwrap(), ["/robots.txt"]);

    // A page over the 10 MiB cap is an error naming it, and nothing is stored.
    let big = format!(
        "<html><body><p>{}</p></body></html>",
        "word ".repeat(2_200_000)
    );
    let (site, _) = serve_with_base(vec![("/big.html", "text/html", big)], "");
    let out = env.run(&["ingest", "--fetch", &format!("{site}/big.html")]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/big.html") && stderr.contains("over 10485760 bytes"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 added"));
}

#[test]
fn unreachable_host_is_an_error_and_the_rest_of_the_batch_goes_on() {
    // A port nothing listens on: bound, then released.
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let (site, _) = serve_with_base(
        vec![(
            "/page.html",
            "text/html; charset=utf-8",
            fixture("seed-000-page.html"),
        )],
        "",
    );
    let env = Env::new();
    let out = env.run(&[
        "ingest",
        "--fetch",
        &format!("{closed}/gone.html"),
        &format!("{site}/page.html"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{closed}/gone.html")),
        "the error names the URL: {stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 added"), "{stdout}");
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", &format!("{site}/page.html"), "--json"])).unwrap();
    assert!(show["text"]
        .as_str()
        .unwrap()
        .starts_with("US President Donald Trump"));
}
