//! `unspun show` and `unspun stats`: one stored article, and what the store
//! holds.

use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use unspun_article::ArticleId;
use unspun_store::Store;

use crate::open_existing;

pub(crate) fn show(dir: &std::path::Path, id: &str, json: bool) -> Result<ExitCode> {
    let store = open_existing(dir)?;
    let id = ArticleId::new(id).context("invalid id")?;
    let Some(key) = store.key_of(&id)? else {
        bail!("no article with id {:?} in {}", id.as_str(), dir.display());
    };
    let stored = store
        .get(key)?
        .with_context(|| format!("article {id} vanished while reading"))?;
    let a = &stored.article;
    if json {
        let mut v = serde_json::to_value(a)?;
        v["revision"] = stored.revision.into();
        println!("{}", serde_json::to_string(&v)?);
    } else {
        println!("id:       {}", a.id);
        println!(
            "date:     {}",
            a.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
        );
        println!("source:   {}", a.source.as_deref().unwrap_or("-"));
        println!("title:    {}", a.title.as_deref().unwrap_or("-"));
        println!("url:      {}", a.url.as_deref().unwrap_or("-"));
        if let Some(fetched) = &a.fetched_url {
            println!("fetched:  {fetched}");
        }
        println!("extraction: {}", a.extraction.as_deref().unwrap_or("-"));
        println!("revision: {}", stored.revision);
        println!("bytes:    {}", a.text.len());
        println!();
        println!("{}", a.text);
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn stats(dir: &std::path::Path, json: bool) -> Result<ExitCode> {
    let store = open_existing(dir)?;
    let s = store.stats()?;
    if json {
        println!(
            "{}",
            serde_json::json!({
                "store": dir.display().to_string(),
                "articles": s.articles,
                "with_date": s.with_date,
                "index_docs": s.index_docs,
                "disk_bytes": s.disk_bytes,
                "schema_version": s.schema_version,
                "sentence_shapes_complete": s.shapes_complete,
                "sources": s.sources.iter().map(|(n, c)| serde_json::json!({"source": n, "articles": c})).collect::<Vec<_>>(),
            })
        );
    } else {
        println!("store:          {}", dir.display());
        println!("articles:       {}", s.articles);
        println!("with a date:    {}", s.with_date);
        println!("indexed:        {}", s.index_docs);
        println!("disk:           {:.1} MB", s.disk_bytes as f64 / 1e6);
        println!("schema version: {}", s.schema_version);
        println!(
            "sentence shapes: {}",
            if s.shapes_complete {
                "complete"
            } else {
                "incomplete (written by an older unspun: run `unspun upgrade`)"
            }
        );
        if !s.sources.is_empty() {
            println!("top outlets:");
            for (name, n) in &s.sources {
                println!("  {n:>8}  {name}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
