//! Output: the JSON lines of `articles.jsonl` and `truth.jsonl`, and the
//! whole corpus in memory or streamed.

use std::io::Write;

use serde::Serialize;
use unspun_article::Article;

use super::{Generator, Progress};
use crate::spec::Truth;
use crate::{Corpus, Manifest, Result};

/// One line of `articles.jsonl`, in the field order `unspun ingest` documents.
#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    text: &'a str,
}

/// Writes one article as a JSON line.
pub(crate) fn write_article(w: &mut impl Write, a: &Article) -> Result<()> {
    let line = Line {
        id: a.id.as_str(),
        date: a.date.map(|d| d.format("%Y-%m-%d").to_string()),
        source: a.source.as_deref(),
        title: a.title.as_deref(),
        text: &a.text,
    };
    serde_json::to_writer(&mut *w, &line).map_err(std::io::Error::from)?;
    w.write_all(b"\n")?;
    Ok(())
}

/// Writes one truth record as a JSON line.
pub(crate) fn write_truth(w: &mut impl Write, t: &Truth) -> Result<()> {
    serde_json::to_writer(&mut *w, t).map_err(std::io::Error::from)?;
    w.write_all(b"\n")?;
    Ok(())
}

impl Generator<'_> {
    /// Generates the whole corpus in memory.
    pub fn generate(&self) -> Corpus {
        let mut articles = Vec::with_capacity(self.len());
        let manifest = self
            .run(
                &mut |batch| {
                    articles.extend(batch);
                    Ok(())
                },
                &mut |_| {},
            )
            .expect("an in-memory sink does not fail");
        Corpus {
            articles,
            truth: self.truths().collect(),
            manifest,
        }
    }

    /// Streams the corpus: truth lines first (plan order), then the
    /// articles (shuffled order), batch by batch, calling `progress` after
    /// each batch.
    pub fn write_to(
        &self,
        mut articles: impl Write,
        mut truth: impl Write,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Manifest> {
        for t in self.truths() {
            write_truth(&mut truth, &t)?;
        }
        truth.flush()?;
        let manifest = self.run(
            &mut |batch| {
                for a in &batch {
                    write_article(&mut articles, a)?;
                }
                Ok(())
            },
            progress,
        )?;
        articles.flush()?;
        Ok(manifest)
    }
}
