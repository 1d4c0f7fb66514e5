//! `unspun trace`: one article (by id, file or URL) traced and rendered as
//! text, JSON or HTML.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use unspun_article::read::{Format, ReadEvent, ReadOptions};
use unspun_article::ArticleId;
use unspun_engine::EngineBuilder;
use unspun_fetch::{FetchOptions, Fetcher};
use unspun_report::{render_html_reviewed, render_text_reviewed, TraceReport};

use crate::models::{change_detector, semantics, ModelChoice};
use crate::{inputs, open_existing_with_cache};

// One parameter per flag of `trace`: a struct would only repeat the clap variant.
#[allow(clippy::too_many_arguments)]
pub(crate) fn trace(
    dir: &std::path::Path,
    file: Option<PathBuf>,
    id: Option<String>,
    json: bool,
    html: Option<PathBuf>,
    gazetteer: Option<PathBuf>,
    format: Format,
    model: &ModelChoice,
) -> Result<ExitCode> {
    let store = open_existing_with_cache(dir)?;
    crate::upgrade::note_if_outdated(dir, store.as_ref())?;
    let (semantics, lexical_only) = semantics(model)?;
    let engine = EngineBuilder::new(store)
        .semantics(semantics)
        .lexical_only(lexical_only)
        .change_detector(change_detector(
            &model.models.models,
            gazetteer.as_deref(),
            lexical_only,
        )?)
        .build();
    let mut traces = Vec::new();
    let mut failed = 0;
    if let Some(id) = id {
        let id = ArticleId::new(id).context("invalid --id")?;
        traces.push(engine.trace_id(&id)?);
    } else if let Some(file) = file {
        let opts = ReadOptions {
            format,
            ..ReadOptions::default()
        };
        let mut articles = Vec::new();
        let url = file.to_str().is_some_and(unspun_fetch::is_url);
        let inputs = inputs::Inputs {
            items: vec![file.clone()],
            // A URL given to trace is a request to fetch it.
            fetcher: url.then(|| Fetcher::new(FetchOptions::default())),
        };
        inputs.read(&opts, &mut |event| match event {
            ReadEvent::Article { article, .. } => articles.push(article),
            ReadEvent::Error(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
            ReadEvent::Warning(w) => eprintln!("warning: {w}"),
            ReadEvent::SkippedFile { path, reason } => {
                eprintln!("skipped: {}: {reason}", path.display())
            }
        });
        if articles.is_empty() && failed == 0 {
            bail!("{}: no article to trace", file.display());
        }
        for a in articles {
            traces.push(engine.trace(a)?);
        }
    }
    // Every report carries the reviewers' decisions the store holds.
    let reports = traces
        .iter()
        .map(|t| {
            let mut report = TraceReport::from_trace(t);
            report.attach_reviews(engine.store().as_ref())?;
            Ok(report)
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some(path) = &html {
        // One page per traced article: FILE for the first, FILE-2.html, ... after.
        for (n, (t, report)) in traces.iter().zip(&reports).enumerate() {
            let target = if n == 0 {
                path.clone()
            } else {
                path.with_file_name(format!(
                    "{}-{}.html",
                    path.file_stem().unwrap_or_default().to_string_lossy(),
                    n + 1
                ))
            };
            std::fs::write(&target, render_html_reviewed(t, &report.reviews()))
                .with_context(|| format!("cannot write {}", target.display()))?;
            eprintln!("wrote {}", target.display());
        }
    }
    let mut out = std::io::stdout().lock();
    for (n, (t, report)) in traces.iter().zip(&reports).enumerate() {
        if json {
            serde_json::to_writer(&mut out, report)?;
            writeln!(out)?;
        } else {
            if n > 0 {
                writeln!(out, "\n{}\n", "=".repeat(72))?;
            }
            write!(out, "{}", render_text_reviewed(t, &report.reviews()))?;
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
