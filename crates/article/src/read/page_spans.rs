//! Where each paragraph of an extracted article sits in its web page.
//!
//! The extractor returns text, not positions. To let a report point back
//! into the page, each paragraph is found again in the page's HTML by its
//! words: the page's visible words (outside tags, comments, scripts and
//! styles) are listed with their byte offsets, and a paragraph's span runs
//! from where its first words occur to where its last words end, in page
//! order. Words are runs of letters and digits, which HTML writes literally;
//! a character reference (`&#8217;`, `&amp;`) separates words, as the
//! punctuation it stands for does in the extracted text. A paragraph whose
//! words cannot be found in order (a letter written as a reference,
//! `caf&eacute;`) gets no span rather than a wrong one.

use serde::{Deserialize, Serialize};

/// Where one paragraph of an article's text sits in the page it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageSpan {
    /// Start of the paragraph in the article text (byte offset).
    pub text_start: usize,
    /// End of the paragraph in the article text (byte offset, exclusive).
    pub text_end: usize,
    /// Start of its first word in the page's HTML, as decoded to UTF-8
    /// (for a UTF-8 page, the byte offset in the file after gunzip; for a
    /// WARC record, in the record's HTML payload).
    pub page_start: usize,
    /// End of its last word in the page's HTML (exclusive).
    pub page_end: usize,
}

/// How many words at each end of a paragraph must match in sequence.
const ANCHOR_WORDS: usize = 4;

/// The page spans of the paragraphs of `text` (blocks separated by blank
/// lines) in `html`; paragraphs not found are left out.
pub(crate) fn locate_paragraphs(text: &str, html: &str) -> Vec<PageSpan> {
    let page = visible_words(html);
    let page_words: Vec<&str> = page.iter().map(|&(s, e)| &html[s..e]).collect();
    let mut spans = Vec::new();
    let mut cursor = 0;
    for (start, end) in paragraph_ranges(text) {
        let words: Vec<&str> = words(&text[start..end])
            .map(|(s, e)| &text[start + s..start + e])
            .collect();
        if words.is_empty() {
            continue;
        }
        let found = find_in_order(&page_words, &words, cursor)
            .or_else(|| find_in_order(&page_words, &words, 0));
        if let Some((first, last)) = found {
            spans.push(PageSpan {
                text_start: start,
                text_end: end,
                page_start: page[first].0,
                page_end: page[last].1,
            });
            cursor = last + 1;
        }
    }
    spans
}

/// The byte ranges of the blank-line-separated blocks of `text`.
fn paragraph_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    for block in text.split("\n\n") {
        let trimmed = block.trim();
        if !trimmed.is_empty() {
            let lead = block.len() - block.trim_start().len();
            out.push((at + lead, at + lead + trimmed.len()));
        }
        at += block.len() + 2;
    }
    out
}

/// The word-index range in `page` of `words`: the first [`ANCHOR_WORDS`]
/// in sequence at or after `from`, then the last ones in sequence after
/// those, no further than the paragraph's length allows (the page may hold
/// a few more words inside it: a caption, a link's note; not twice as
/// many). `None` when either anchor is missing.
fn find_in_order(page: &[&str], words: &[&str], from: usize) -> Option<(usize, usize)> {
    let n = words.len().min(ANCHOR_WORDS);
    let head = &words[..n];
    let tail = &words[words.len() - n..];
    let starts = page.len().checked_sub(n)? + 1;
    let first = (from..starts).find(|&i| page[i..i + n] == *head)?;
    let earliest = first + (words.len() - n);
    let latest = (first + 2 * words.len() + 20).min(starts);
    let last_start = (earliest..latest).find(|&i| page[i..i + n] == *tail)?;
    Some((first, last_start + n - 1))
}

/// The byte ranges of the words of `s`: maximal runs of letters and digits.
fn words(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = s.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = chars.peek() {
            if c.is_alphanumeric() {
                break;
            }
            chars.next();
        }
        let (start, _) = *chars.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        Some((start, end))
    })
}

/// The byte ranges of the words of `html`'s text: outside tags, comments,
/// and the contents of elements that are not the page's text (`script`,
/// `style`, `noscript`, `template`, `svg`, and `title`, which would
/// otherwise catch the headline before the page's `<h1>`), with character
/// references as separators.
fn visible_words(html: &str) -> Vec<(usize, usize)> {
    const HIDDEN: [&str; 6] = ["script", "style", "noscript", "template", "svg", "title"];
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut text_start = 0;
    let push_text = |from: usize, to: usize, out: &mut Vec<(usize, usize)>| {
        let chunk = &html[from..to];
        let mut at = 0;
        // Split at character references, then into words.
        for piece in chunk.split('&') {
            let skip = if at == 0 { 0 } else { reference_len(piece) };
            let body = &piece[skip..];
            let base = from + at + skip;
            out.extend(words(body).map(|(s, e)| (base + s, base + e)));
            at += piece.len() + 1;
        }
    };
    while i < bytes.len() {
        // `<` opens markup only before a letter, `/`, `!` or `?`; otherwise
        // it is text ("a < b").
        let opens = bytes[i] == b'<'
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'));
        if !opens {
            i += 1;
            continue;
        }
        push_text(text_start, i, &mut out);
        let rest = &html[i..];
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map_or(html.len(), |e| i + e + 3)
        } else {
            let close = rest.find('>').map_or(html.len(), |e| i + e + 1);
            let name: String = rest[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if HIDDEN.contains(&name.as_str()) && !rest[..close - i].ends_with("/>") {
                // Skip to the matching end tag.
                end_tag(html, close, &name)
                    .and_then(|e| html[e..].find('>').map(|g| e + g + 1))
                    .unwrap_or(html.len())
            } else {
                close
            }
        };
        i = end;
        text_start = end;
    }
    push_text(text_start, html.len(), &mut out);
    out
}

/// Where the first `</name` (any case) at or after `from` starts.
fn end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memmem::find(&bytes[at..], b"</") {
        let start = at + i;
        let candidate = bytes.get(start + 2..start + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name.as_bytes()) {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// The length of the character reference at the start of `s` (what follows
/// an `&`): `#8217;`, `#x2019;`, `amp;`; 0 when `s` does not start with one.
fn reference_len(s: &str) -> usize {
    let name_len = s
        .char_indices()
        .take_while(|&(_, c)| c.is_ascii_alphanumeric() || c == '#')
        .count();
    if name_len > 0 && name_len <= 32 && s[name_len..].starts_with(';') {
        name_len + 1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_point_at_their_words_in_the_page() {
        let html = "<html><head><title>Rates rise</title><style>p{x:1}</style>\
            <script>var Rates = 'rise again';</script></head><body>\
            <nav><a href=/>Home</a></nav><!-- The bank raised rates -->\
            <p>The bank raised rates on <b>Tuesday</b>, its third rise.</p>\
            <p>Officials said &#8220;more&#8221; may follow &amp; markets were calm.</p>\
            </body></html>";
        let text = "The bank raised rates on Tuesday, its third rise.\n\n\
                    Officials said \u{201c}more\u{201d} may follow & markets were calm.";
        let spans = locate_paragraphs(text, html);
        assert_eq!(spans.len(), 2, "{spans:?}");
        let page = |s: &PageSpan| &html[s.page_start..s.page_end];
        assert_eq!(
            page(&spans[0]),
            "The bank raised rates on <b>Tuesday</b>, its third rise"
        );
        assert_eq!(
            page(&spans[1]),
            "Officials said &#8220;more&#8221; may follow &amp; markets were calm"
        );
        assert_eq!(
            &text[spans[1].text_start..spans[1].text_end],
            text.split("\n\n").nth(1).unwrap()
        );
    }

    #[test]
    fn a_paragraph_not_in_the_page_gets_no_span() {
        let html = "<p>One two three four five.</p><p>Caf&eacute; society returns.</p>";
        let text = "One two three four five.\n\nCafé society returns.\n\nNowhere in the page.";
        let spans = locate_paragraphs(text, html);
        assert_eq!(spans.len(), 1, "{spans:?}");
        assert_eq!(
            &html[spans[0].page_start..spans[0].page_end],
            "One two three four five"
        );
    }

    #[test]
    fn repeated_paragraph_text_is_found_in_page_order() {
        let html = "<p>Read more about it.</p><div>menu</div><p>Read more about it.</p>";
        let text = "Read more about it.\n\nRead more about it.";
        let spans = locate_paragraphs(text, html);
        assert_eq!(spans.len(), 2);
        assert!(spans[1].page_start > spans[0].page_end, "{spans:?}");
    }
}
