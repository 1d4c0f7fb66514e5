//! `--model` and `--models`: which embedders and WordNet a command loads,
//! and what it says when they are missing.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use unspun_changes::{wordnet, ChangeDetector, Gazetteer};
use unspun_embed::{EmbedError, Embedder, MiniLm, StaticEmbedder};
use unspun_engine::{Mode, Semantics};

/// Where the embedding models are.
#[derive(clap::Args)]
pub(crate) struct ModelsDir {
    /// Where the models are (see scripts/setup.sh).
    #[arg(long, env = "UNSPUN_MODELS", default_value = "./models")]
    pub(crate) models: PathBuf,
}

/// `--model` of `trace` and `scan`.
#[derive(clap::Args)]
pub(crate) struct ModelChoice {
    /// Sentence similarity: `lexical`, `static` (plus static-embedding
    /// evidence) or `minilm` (static, with MiniLM re-scoring borderline
    /// pairs). Default: static when the models are set up, else lexical
    /// with a note.
    #[arg(long, value_parser = ["lexical", "static", "minilm"])]
    pub(crate) model: Option<String>,
    #[command(flatten)]
    pub(crate) models: ModelsDir,
}

/// The mode used when `--model` is not given: the most accurate one that
/// stays interactive (under one second for one article against the 21k
/// BBC + Reuters-21578 corpus; docs/EMBED-BENCH.md has the measurements).
const DEFAULT_MODE: Mode = Mode::Static;

pub(crate) fn load_static(models: &std::path::Path) -> Result<Arc<dyn Embedder>, EmbedError> {
    Ok(Arc::new(StaticEmbedder::load(&models.join("static"))?))
}

pub(crate) fn load_minilm(models: &std::path::Path) -> Result<Arc<dyn Embedder>, EmbedError> {
    Ok(Arc::new(MiniLm::load(&models.join("minilm"))?))
}

pub(crate) fn load_semantics(
    mode: Mode,
    models: &std::path::Path,
) -> Result<Semantics, EmbedError> {
    Ok(match mode {
        Mode::Lexical => Semantics::Lexical,
        Mode::Static => Semantics::Static(load_static(models)?),
        Mode::MiniLm => Semantics::MiniLm {
            fast: load_static(models)?,
            minilm: load_minilm(models)?,
        },
    })
}

/// The engine settings for `--model`: an explicitly requested model that is
/// missing is an error naming the directory; without `--model`, missing
/// models mean lexical-only, said once on stderr.
pub(crate) fn semantics(choice: &ModelChoice) -> Result<(Semantics, bool)> {
    let dir = &choice.models.models;
    match choice.model.as_deref() {
        Some(name) => {
            let mode: Mode = name.parse().map_err(anyhow::Error::msg)?;
            let s = load_semantics(mode, dir).with_context(|| {
                format!(
                    "--model {name}: cannot load the models from {} (run scripts/setup.sh)",
                    dir.display()
                )
            })?;
            Ok((s, false))
        }
        None => match load_semantics(DEFAULT_MODE, dir) {
            Ok(s) => Ok((s, false)),
            Err(EmbedError::ModelMissing { .. }) => {
                eprintln!(
                    "note: models not found in {} (run scripts/setup.sh); lexical-only",
                    dir.display()
                );
                Ok((Semantics::Lexical, true))
            }
            Err(e) => Err(anyhow::Error::new(e)
                .context(format!("cannot load the models from {}", dir.display()))),
        },
    }
}

/// The change detector of `trace` and `scan`: the built-in gazetteer (plus
/// `--gazetteer`) and WordNet from `models/wordnet`. Without WordNet the
/// content-word detector is off, said once on stderr unless the models note
/// (which already asks for scripts/setup.sh) was printed.
pub(crate) fn change_detector(
    models: &std::path::Path,
    gazetteer: Option<&std::path::Path>,
    models_noted: bool,
) -> Result<ChangeDetector> {
    let mut builder = ChangeDetector::builder();
    if let Some(path) = gazetteer {
        let extra = Gazetteer::from_file(path)?;
        builder = builder.gazetteer(Gazetteer::builtin().merge(extra));
    }
    let dir = models.join("wordnet");
    let wordnet = match wordnet::shared_in(&dir) {
        Ok(wn) => Some(wn),
        Err(e) => {
            if !models_noted {
                eprintln!("note: {e}; content words are not checked");
            }
            None
        }
    };
    Ok(builder.wordnet(wordnet).build())
}
