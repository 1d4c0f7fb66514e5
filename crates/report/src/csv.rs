//! A trace as CSV: one row per match, for spreadsheets and bulk review.
//!
//! Each row is one aligned group of one source: the article's sentences and
//! the source's sentences they restate, with byte offsets into each text,
//! how literal the match is, and the changes found in it. Sources that are
//! not derivations (`related`, `template`) and siblings have no rows: they
//! are no reuse. Fields are quoted as RFC 4180 asks (the `csv` crate).

use crate::TraceReport;

/// The header row of [`render_csv`].
pub const CSV_HEADER: [&str; 17] = [
    "article_id",
    "source_id",
    "source_outlet",
    "relation",
    "original",
    "kind",
    "score",
    "article_sentences",
    "article_start",
    "article_end",
    "article_text",
    "source_sentences",
    "source_start",
    "source_end",
    "source_text",
    "changes",
    "review",
];

/// `report` as CSV: [`CSV_HEADER`], then one row per aligned group of each
/// derivation source, best source first. Sentence lists are space
/// separated; changes are `type (severity): detail`, separated by ` | `;
/// `review` is the pair's verdict in force (`dismissed: reason`) and
/// `licensed outlet` when its outlet is licensed, if the report has reviews
/// attached ([`TraceReport::attach_reviews`]).
pub fn render_csv(report: &TraceReport) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail but for a broken record, which the
    // fixed-width rows below never are.
    out.write_record(CSV_HEADER).expect("CSV header");
    let article = &report.article;
    for source in &report.sources {
        if !source.relation.is_derivation() || source.sibling_of.is_some() {
            continue;
        }
        let review = source.review.as_ref().map_or(String::new(), |r| {
            let verdict = r
                .verdict
                .map(|v| format!("{}: {}", v.as_str(), r.reason.as_deref().unwrap_or("")));
            let outlet = r.licensed_outlet.then(|| "licensed outlet".to_string());
            [verdict, outlet]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; ")
        });
        for group in &source.alignments {
            let sentences: Vec<_> = group
                .derived
                .iter()
                .filter_map(|&i| report.sentences.get(i))
                .collect();
            let join = |v: Vec<String>, sep: &str| v.join(sep);
            let changes = group
                .changes
                .iter()
                .map(|c| {
                    format!(
                        "{} ({}): {}",
                        c.kind.as_str(),
                        c.severity.as_str(),
                        c.detail
                    )
                })
                .collect::<Vec<_>>()
                .join(" | ");
            out.write_record([
                article.id.clone(),
                source.id.clone(),
                source.source.clone().unwrap_or_default(),
                source.relation.as_str().to_string(),
                source.original.clone(),
                group.kind.as_str().to_string(),
                format!("{:.3}", group.score),
                join(group.derived.iter().map(usize::to_string).collect(), " "),
                sentences
                    .first()
                    .map_or(String::new(), |s| s.sentence.start.to_string()),
                sentences
                    .last()
                    .map_or(String::new(), |s| s.sentence.end.to_string()),
                join(
                    sentences.iter().map(|s| s.sentence.text.clone()).collect(),
                    " ",
                ),
                join(
                    group.source.iter().map(|s| s.index.to_string()).collect(),
                    " ",
                ),
                group
                    .source
                    .first()
                    .map_or(String::new(), |s| s.start.to_string()),
                group
                    .source
                    .last()
                    .map_or(String::new(), |s| s.end.to_string()),
                join(group.source.iter().map(|s| s.text.clone()).collect(), " "),
                changes,
                review.clone(),
            ])
            .expect("CSV row");
        }
    }
    String::from_utf8(out.into_inner().expect("CSV flush")).expect("CSV of UTF-8 text is UTF-8")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use unspun_article::{Article, ArticleId};
    use unspun_engine::Engine;
    use unspun_store::{EmbeddedStore, OnConflict};

    use super::*;

    #[test]
    fn one_row_per_match_with_offsets_that_point_at_the_texts() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::new(Arc::new(EmbeddedStore::open(dir.path()).unwrap()));
        let wire = "The central bank raised interest rates by 25 basis points on Tuesday. \
                    \"Inflation is still too high,\" the governor said, adding that more moves may follow.";
        engine
            .ingest_batch(
                vec![Article::new(ArticleId::new("wire").unwrap(), wire)],
                OnConflict::Reject,
            )
            .unwrap();
        let blog = "On Tuesday the central bank raised interest rates by 50 basis points. \
                    \"Inflation is still too high,\" the governor said, adding that more moves may follow.";
        let trace = engine
            .trace(Article::new(ArticleId::new("blog").unwrap(), blog))
            .unwrap();
        let csv_text = render_csv(&TraceReport::from_trace(&trace));
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        assert_eq!(
            reader.headers().unwrap(),
            &csv::StringRecord::from(CSV_HEADER.to_vec())
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(!rows.is_empty(), "{csv_text}");
        let col = |name: &str| CSV_HEADER.iter().position(|h| *h == name).unwrap();
        for row in &rows {
            assert_eq!(&row[col("article_id")], "blog");
            assert_eq!(&row[col("source_id")], "wire");
            // The offsets name the very text in each article.
            let (s, e): (usize, usize) = (
                row[col("article_start")].parse().unwrap(),
                row[col("article_end")].parse().unwrap(),
            );
            assert_eq!(&blog[s..e], &row[col("article_text")]);
            let (s, e): (usize, usize) = (
                row[col("source_start")].parse().unwrap(),
                row[col("source_end")].parse().unwrap(),
            );
            assert_eq!(&wire[s..e], &row[col("source_text")]);
        }
        // The changed figure is in its row.
        assert!(
            rows.iter()
                .any(|r| r[col("changes")].contains("number_changed")),
            "{csv_text}"
        );

        // A review shows in the CSV's last column and in the text report.
        let mut report = TraceReport::from_trace(&trace);
        report.sources[0].review = Some(crate::ReviewInfo {
            verdict: Some(unspun_store::VerdictKind::Dismissed),
            reason: Some("a rate decision both took from the bank".into()),
            at: Some("2026-12-06T03:00:00Z".into()),
            verdicts: 1,
            licensed_outlet: false,
        });
        let csv_text = render_csv(&report);
        assert!(csv_text
            .lines()
            .nth(1)
            .unwrap()
            .ends_with("dismissed: a rate decision both took from the bank"));
        let text = crate::render_text_reviewed(&trace, &report.reviews());
        assert!(
            text.contains(
                "       review: dismissed: a rate decision both took from the bank \
                 (2026-12-06T03:00:00Z; 1 verdict)"
            ),
            "{text}"
        );
    }
}
