//! The working form of an article while it is rewritten: a title, an
//! optional byline, and paragraphs of sentences, each sentence a plain
//! string with its white space collapsed.
//!
//! Texts are rendered back with one space between the sentences of a
//! paragraph and a blank line (`"\n\n"`) between paragraphs, so every article
//! of a corpus, base or derived, has the same layout and a verbatim copy is
//! byte-identical to its source body.

use unspun_segment::{Segmenter, SentenceKind};

/// One sentence of a [`Doc`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sent {
    /// The sentence, white space collapsed.
    pub text: String,
    /// Material a descendant in a chain must keep unchanged: new sentences
    /// and distinctive changes introduced by an ancestor.
    pub fixed: bool,
    /// A heading, caption or table line (no final punctuation).
    pub heading: bool,
    /// The next sentence leans on this one ("This ...", "However, ..."
    /// after a split), so it must not be dropped alone.
    pub leads: bool,
}

impl Sent {
    /// A prose sentence that may be edited.
    pub fn new(text: impl Into<String>) -> Sent {
        Sent {
            text: text.into(),
            fixed: false,
            heading: false,
            leads: false,
        }
    }

    /// Number of white-space separated words.
    pub fn words(&self) -> usize {
        self.text.split_whitespace().count()
    }
}

/// An article being built: title, optional byline line, paragraphs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Doc {
    /// The headline.
    pub title: String,
    /// A byline line shown above the body ("By Jane Doe, Daily Ledger").
    pub byline: Option<String>,
    /// Paragraphs, each a non-empty list of sentences.
    pub paras: Vec<Vec<Sent>>,
}

impl Doc {
    /// Segments `text` into paragraphs of sentences.
    pub fn parse(segmenter: &Segmenter, title: &str, text: &str) -> Doc {
        let mut paras: Vec<Vec<Sent>> = Vec::new();
        let mut current = usize::MAX;
        for s in segmenter.split(text) {
            let t = collapse(s.span.text(text));
            if t.is_empty() {
                continue;
            }
            if s.paragraph != current || paras.is_empty() {
                paras.push(Vec::new());
                current = s.paragraph;
            }
            let mut sent = Sent::new(t);
            sent.heading = s.kind == SentenceKind::Heading;
            if let Some(p) = paras.last_mut() {
                p.push(sent);
            }
        }
        Doc {
            title: collapse(title),
            byline: None,
            paras,
        }
    }

    /// The published article of this document: its title and rendered text,
    /// with no URL nor page provenance (the corpus has no pages).
    pub fn to_article(
        &self,
        id: unspun_article::ArticleId,
        date: Option<chrono::NaiveDate>,
        source: &str,
    ) -> unspun_article::Article {
        unspun_article::Article {
            id,
            date,
            source: Some(source.to_string()),
            title: Some(self.title.clone()),
            url: None,
            fetched_url: None,
            extraction: None,
            page_spans: Vec::new(),
            text: self.render(),
        }
    }

    /// The body text: byline (if any), then paragraphs separated by blank
    /// lines. A heading (or table line) always stands in a paragraph of its
    /// own, as the segmenter found it, so it reads back as one sentence.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.len_hint());
        if let Some(b) = &self.byline {
            out.push_str(b);
        }
        for p in &self.paras {
            let mut open = false;
            for s in p {
                if !open || s.heading {
                    if !out.is_empty() {
                        out.push_str("\n\n");
                    }
                } else {
                    out.push(' ');
                }
                out.push_str(&s.text);
                open = !s.heading;
            }
        }
        out
    }

    fn len_hint(&self) -> usize {
        self.paras
            .iter()
            .flatten()
            .map(|s| s.text.len() + 1)
            .sum::<usize>()
            + 2 * self.paras.len()
            + 64
    }

    /// Number of sentences.
    pub fn sentence_count(&self) -> usize {
        self.paras.iter().map(Vec::len).sum()
    }

    /// All sentences in order, flattened.
    pub fn sentences(&self) -> impl Iterator<Item = &Sent> {
        self.paras.iter().flatten()
    }

    /// (paragraph, index) of every sentence, in order.
    pub fn positions(&self) -> Vec<(usize, usize)> {
        self.paras
            .iter()
            .enumerate()
            .flat_map(|(p, para)| (0..para.len()).map(move |i| (p, i)))
            .collect()
    }

    /// Removes empty paragraphs.
    pub fn tidy(&mut self) {
        self.paras.retain(|p| !p.is_empty());
    }
}

/// Collapses runs of white space to one space and trims.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_render_round_trip() {
        let text = "First   sentence here. Second one\nwraps.\n\nNew paragraph starts. It ends.";
        let doc = Doc::parse(&Segmenter::new(), " A  title ", text);
        assert_eq!(doc.title, "A title");
        assert_eq!(doc.paras.len(), 2);
        assert_eq!(doc.sentence_count(), 4);
        let rendered = doc.render();
        assert_eq!(
            rendered,
            "First sentence here. Second one wraps.\n\nNew paragraph starts. It ends."
        );
        let again = Doc::parse(&Segmenter::new(), "A title", &rendered);
        assert_eq!(again, doc);
    }
}
