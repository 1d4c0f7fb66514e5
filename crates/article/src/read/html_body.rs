//! Finding an HTML page's article body: rs-trafilatura's main content,
//! with the article node's own text preferred over the larger stand-ins the
//! extractor may put in its place, and blocks that are mostly link text
//! dropped. Measured on the article-extraction-benchmark
//! (docs/EXTRACT-BENCH.md).

use dom_query::Document;

use super::html::{clean, BodySize};
use crate::ReadErrorKind;

/// rs-trafilatura's main text of `html`, preferring the article node's own
/// text over the larger stand-ins it may put in its place.
///
/// When the text of the node it picks looks short next to another candidate,
/// rs-trafilatura replaces it: with a baseline of every paragraph on the page
/// (go-trafilatura's fallback), with a JSON-LD `articleBody`, or with a merge
/// of several high-scoring nodes (meant for service pages). On news pages the
/// larger candidate is the article plus what surrounds it: a live blog's
/// every entry, a "breaking news" list, the teasers next to the story. On the
/// extraction benchmark every such replacement of a node text that was
/// itself an article body lowered precision (docs/EXTRACT-BENCH.md). So when
/// the crate reports one (its `warnings`), the page is extracted again
/// without it, and the article node's text is kept if it is a body. The
/// second value names the stand-in the article node was kept over.
pub(super) fn extract_article_node(
    html: &str,
    url: Option<String>,
) -> Result<(rs_trafilatura::ExtractResult, Option<&'static str>), ReadErrorKind> {
    let options = rs_trafilatura::Options {
        // The page's own canonical URL helps the extractor as much as
        // the address it was fetched from (its site rules and page type).
        url,
        ..rs_trafilatura::Options::default()
    };
    let extracted = rs_trafilatura::extract_with_options(html, &options)
        .map_err(|e| ReadErrorKind::NoArticleBody(e.to_string()))?;
    // rs-trafilatura's warnings (0.2.2) when it replaces the node's text.
    let stand_in = |w: &String| {
        [
            ("Used fallback extraction", "a page-wide fallback"),
            ("Using JSON-LD content", "the JSON-LD articleBody"),
            ("Used multi-candidate merge", "a merge of several nodes"),
        ]
        .into_iter()
        .find_map(|(warning, name)| w.starts_with(warning).then_some(name))
    };
    let Some(replaced_by) = extracted.warnings.iter().find_map(stand_in) else {
        return Ok((extracted, None));
    };
    let node_only = rs_trafilatura::Options {
        use_fallback_extraction: false,
        ..options
    };
    let without_json_ld = {
        let doc = Document::from(html);
        doc.select(r#"script[type="application/ld+json"]"#).remove();
        doc.html().to_string()
    };
    match rs_trafilatura::extract_with_options(&without_json_ld, &node_only) {
        Ok(node)
            if !node.warnings.iter().any(|w| stand_in(w).is_some())
                && BodySize::of(&node.content_text).is_body() =>
        {
            Ok((node, Some(replaced_by)))
        }
        _ => Ok((extracted, None)),
    }
}

/// The extractor's text with each non-blank line as its own paragraph:
/// rs-trafilatura ends every block with a line break.
pub(super) fn paragraphs(text: &str) -> String {
    let blocks: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    blocks.join("\n\n")
}

/// The share of a block's characters inside links above which the block is
/// navigation (a list of related headlines, a tag cloud, an archive menu), not
/// article text: trafilatura's link-density test, applied to the blocks that
/// rs-trafilatura keeps (it holds the option but does not apply it). On the
/// extraction benchmark it moves body F1 from 0.956 to 0.959 (precision
/// 0.924 to 0.934, recall 0.990 to 0.984); 0.5 and 0.9 both measured 0.958.
const MAX_LINK_SHARE: f64 = 0.75;

/// [`paragraphs`] of `text` without the blocks that are mostly link text in
/// `content_html` (the extractor's HTML of the same content). A page whose
/// every block is link text keeps them all: the floor on the body's length
/// decides then. The second value is how many blocks were dropped.
pub(super) fn without_link_blocks(text: &str, content_html: &str) -> (String, usize) {
    let doc = Document::from(content_html);
    let links: Vec<String> = doc
        .select("a")
        .nodes()
        .iter()
        .map(|n| clean(&n.text()))
        .filter(|t| !t.is_empty())
        .collect();
    if links.is_empty() {
        return (paragraphs(text), 0);
    }
    let blocks: Vec<String> = text.lines().map(clean).filter(|l| !l.is_empty()).collect();
    let kept: Vec<&str> = blocks
        .iter()
        .filter(|block| link_share(block, &links) < MAX_LINK_SHARE)
        .map(String::as_str)
        .collect();
    if kept.is_empty() {
        return (blocks.join("\n\n"), 0);
    }
    (kept.join("\n\n"), blocks.len() - kept.len())
}

/// The share of `block`'s non-space characters covered by occurrences of the
/// link texts `links`.
fn link_share(block: &str, links: &[String]) -> f64 {
    let mut covered = vec![false; block.len()];
    for link in links {
        let mut from = 0;
        while let Some(at) = block[from..].find(link.as_str()) {
            let start = from + at;
            covered[start..start + link.len()]
                .iter_mut()
                .for_each(|c| *c = true);
            from = start + link.len();
        }
    }
    let (mut total, mut inside) = (0usize, 0usize);
    for (i, c) in block.char_indices() {
        if !c.is_whitespace() {
            total += 1;
            inside += usize::from(covered[i]);
        }
    }
    if total == 0 {
        0.0
    } else {
        inside as f64 / total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_share_counts_characters_inside_link_texts() {
        let links = vec!["Liberman: unity talks fail".to_string()];
        assert!((link_share("Liberman: unity talks fail", &links) - 1.0).abs() < 1e-9);
        assert_eq!(link_share("Rates rose on Tuesday.", &links), 0.0);
        let half = link_share(
            "Liberman: unity talks fail and the markets fell sharply",
            &links,
        );
        assert!(half > 0.3 && half < 0.7, "{half}");
    }

    #[test]
    fn blocks_that_are_mostly_links_are_dropped() {
        let text = "The central bank raised its rate on Tuesday.\n\
                    Liberman: unity talks fail\n\
                    Officials said, as Reuters reported, that more moves may follow.\n";
        let html = "<div><p>The central bank raised its rate on Tuesday.</p>\
                    <p><a href=/x>Liberman: unity talks fail</a></p>\
                    <p>Officials said, as <a href=/r>Reuters</a> reported, that more moves may follow.</p></div>";
        assert_eq!(
            without_link_blocks(text, html),
            (
                "The central bank raised its rate on Tuesday.\n\n\
                 Officials said, as Reuters reported, that more moves may follow."
                    .to_string(),
                1
            )
        );
        // Every block a link: nothing is left to call the body, so all stay
        // and the body-length floor decides.
        let all_links = "<p><a href=/a>One</a></p><p><a href=/b>Two</a></p>";
        assert_eq!(
            without_link_blocks("One\nTwo", all_links),
            ("One\n\nTwo".to_string(), 0)
        );
    }
}
