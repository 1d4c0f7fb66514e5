//! `unspun scan`: every derived pair of the store as JSON Lines.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use unspun_engine::EngineBuilder;
use unspun_store::Store;

use crate::models::{change_detector, semantics, ModelChoice};
use crate::{open_existing_with_cache, progress_bar};

pub(crate) fn scan(dir: &std::path::Path, model: &ModelChoice) -> Result<ExitCode> {
    let store = open_existing_with_cache(dir)?;
    crate::upgrade::note_if_outdated(dir, store.as_ref())?;
    let total = store.keys()?.len() as u64;
    let (semantics, lexical_only) = semantics(model)?;
    let engine = EngineBuilder::new(store)
        .semantics(semantics)
        .lexical_only(lexical_only)
        .change_detector(change_detector(&model.models.models, None, lexical_only)?)
        .build();
    let pb = progress_bar(
        total,
        "{bar:40} {pos}/{len} articles scanned ({per_sec}, eta {eta})",
    );
    let pairs = engine.scan(&|done, _| pb.set_position(done as u64))?;
    pb.finish_and_clear();
    let mut out = std::io::stdout().lock();
    for p in &pairs {
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({
                "derived": p.derived.as_str(),
                "source": p.source.as_str(),
                "relation": p.relation,
                "coverage": (p.coverage * 1000.0).round() / 1000.0,
                "source_coverage": (p.source_coverage * 1000.0).round() / 1000.0,
                "score": (p.score * 1000.0).round() / 1000.0,
                "aligned": p.aligned,
                "direction_certain": p.direction_certain,
                "direction_evidence": p.evidence,
            }),
        )?;
        writeln!(out)?;
    }
    eprintln!(
        "scan: {} derived pairs among {} articles",
        pairs.len(),
        total
    );
    Ok(ExitCode::SUCCESS)
}
