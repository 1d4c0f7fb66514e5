//! # unspun-python: the Python package `unspun`
//!
//! A store to ingest articles into and trace them from, two texts compared
//! without a store, and the derivation graph, for notebooks and data teams.
//! Built by maturin with the `python` feature (the repository's
//! `pyproject.toml` turns it on: `pip install .`); without the feature the
//! crate holds only the plain Rust functions below, so the workspace's
//! tests need no Python.
//!
//! Every answer is the JSON contract of the command line (`unspun trace
//! --json`, `unspun graph --jsonl`), returned to Python as a string that the
//! package's Python layer (`python/unspun/__init__.py`) turns into typed
//! objects. The engine runs with the GIL released.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let store = _unspun::PyStoreCore::open(dir.path(), None).unwrap();
//! let records = r#"[{"id": "a", "text": "Alpha beta gamma delta.", "date": "2025-01-01"}]"#;
//! let counts: serde_json::Value =
//!     serde_json::from_str(&store.ingest_json(records).unwrap()).unwrap();
//! assert_eq!(counts["stored"], 1);
//! ```

pub mod spark;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};
use unspun_article::{Article, ArticleId};
use unspun_engine::{Engine, EngineBuilder, Semantics};
use unspun_report::TraceReport;
use unspun_store::{EmbeddedStore, OnConflict, PutOutcome};

/// What went wrong, for Python: bad input (`ValueError`) or a failure of
/// the store or engine (`unspun.UnspunError`).
#[derive(Debug)]
pub enum CoreError {
    /// The input is not what the call takes; the message names the record
    /// or argument.
    Input(String),
    /// The store or the engine failed.
    Engine(String),
}

impl std::fmt::Display for CoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CoreError::Input(m) | CoreError::Engine(m) => f.write_str(m),
        }
    }
}

fn engine_error(e: impl std::fmt::Display) -> CoreError {
    CoreError::Engine(e.to_string())
}

/// A store and the engine over it: the Rust side of `unspun.Store`.
pub struct PyStoreCore {
    dir: PathBuf,
    engine: Arc<Engine>,
}

/// The engine over `store`: the static model and WordNet from `models`
/// when given (as `unspun trace` with `--models`), else lexical only.
fn engine(store: Arc<EmbeddedStore>, models: Option<&Path>) -> Result<Engine, CoreError> {
    let Some(models) = models else {
        return Ok(EngineBuilder::new(store)
            .semantics(Semantics::Lexical)
            .build());
    };
    let embedder = unspun_embed::StaticEmbedder::load(&models.join("static")).map_err(|e| {
        CoreError::Input(format!(
            "models={}: cannot load the static model: {e} (run scripts/setup.sh)",
            models.display()
        ))
    })?;
    let wordnet = unspun_changes::wordnet::shared_in(&models.join("wordnet")).ok();
    Ok(EngineBuilder::new(store)
        .semantics(Semantics::Static(Arc::new(embedder)))
        .change_detector(
            unspun_changes::ChangeDetector::builder()
                .wordnet(wordnet)
                .build(),
        )
        .build())
}

/// One record of an ingest: `id`, `text`, and optional `date`, `source`,
/// `title`, `url`, as in a JSON Lines file.
fn record(i: usize, v: &Value) -> Result<Article, CoreError> {
    record_of(v).map_err(|m| CoreError::Input(format!("record {i}: {m}")))
}

/// As [`record`], the error without the record's number.
fn record_of(v: &Value) -> Result<Article, String> {
    let map = v
        .as_object()
        .ok_or_else(|| "not an object (a dict with id and text)".to_string())?;
    let text_of = |k: &str| -> Result<Option<String>, String> {
        match map.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{k}` must be a string")),
        }
    };
    let id = match map.get("id") {
        Some(Value::Number(n)) if n.is_i64() => n.to_string(),
        _ => text_of("id")?.ok_or_else(|| "`id` is missing".to_string())?,
    };
    let id = ArticleId::new(id).map_err(|e| format!("`id`: {e}"))?;
    let text = text_of("text")?.ok_or_else(|| "`text` is missing or blank".to_string())?;
    let mut article = Article::new(id, text);
    if let Some(d) = text_of("date")? {
        let day = d.get(..10).unwrap_or(&d);
        article.date =
            Some(chrono_day(day).ok_or_else(|| format!("`date` {d:?} is not YYYY-MM-DD"))?);
    }
    article.source = text_of("source")?;
    article.title = text_of("title")?;
    article.url = text_of("url")?;
    Ok(article)
}

fn chrono_day(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

impl PyStoreCore {
    /// Opens the store in `dir` (created if missing).
    pub fn open(dir: &Path, models: Option<&Path>) -> Result<PyStoreCore, CoreError> {
        let store = EmbeddedStore::open(dir).map_err(|e| {
            CoreError::Engine(format!("cannot open the store at {}: {e}", dir.display()))
        })?;
        Ok(PyStoreCore {
            dir: dir.to_path_buf(),
            engine: Arc::new(engine(Arc::new(store), models)?),
        })
    }

    /// Stores the records of a JSON array (one atomic batch; a record that
    /// is not an article fails the call naming it, before anything is
    /// stored). Returns the counts and per-record outcomes as JSON.
    pub fn ingest_json(&self, records: &str) -> Result<String, CoreError> {
        let values: Vec<Value> =
            serde_json::from_str(records).map_err(|e| CoreError::Input(format!("records: {e}")))?;
        let articles = values
            .iter()
            .enumerate()
            .map(|(i, v)| record(i, v))
            .collect::<Result<Vec<_>, _>>()?;
        let ids: Vec<String> = articles.iter().map(|a| a.id.to_string()).collect();
        let outcomes = self
            .engine
            .ingest_batch(articles, OnConflict::Reject)
            .map_err(engine_error)?;
        let mut counts = json!({"stored": 0, "unchanged": 0, "replaced": 0, "conflicts": 0});
        let mut conflicts = Vec::new();
        for (id, o) in ids.into_iter().zip(outcomes) {
            let key = match o {
                PutOutcome::Added(_) => "stored",
                PutOutcome::Unchanged(_) => "unchanged",
                PutOutcome::Replaced(_) => "replaced",
                PutOutcome::Conflict(_) => {
                    conflicts.push(id);
                    "conflicts"
                }
            };
            counts[key] = json!(counts[key].as_u64().unwrap_or(0) + 1);
        }
        counts["conflicting_ids"] = json!(conflicts);
        Ok(counts.to_string())
    }

    /// The trace of a stored article, as `unspun trace --json` prints it.
    pub fn trace_id(&self, id: &str) -> Result<String, CoreError> {
        let id = ArticleId::new(id).map_err(|e| CoreError::Input(format!("id: {e}")))?;
        let trace = self.engine.trace_id(&id).map_err(|e| match e {
            unspun_engine::EngineError::NotFound(id) => {
                CoreError::Input(format!("no article with id {id:?} in the store"))
            }
            e => engine_error(e),
        })?;
        self.report(TraceReport::from_trace(&trace))
    }

    /// The trace of a text that is not stored (`record` as for ingest,
    /// with `id` defaulting to `(submitted)`).
    pub fn trace_text(&self, record_json: &str) -> Result<String, CoreError> {
        let mut v: Value = serde_json::from_str(record_json)
            .map_err(|e| CoreError::Input(format!("text: {e}")))?;
        if v.get("id").is_none_or(Value::is_null) {
            v["id"] = json!("(submitted)");
        }
        let article = record(0, &v)
            .map_err(|e| CoreError::Input(e.to_string().replacen("record 0: ", "", 1)))?;
        let trace = self.engine.trace(article).map_err(engine_error)?;
        self.report(TraceReport::from_trace(&trace))
    }

    /// Traces many stored articles in parallel and returns one JSON row
    /// per (article, source) pair, for a table: the article, the source,
    /// relation, coverage both ways, the original, direction certainty,
    /// credit (null when unknown), change counts. An id that does not
    /// trace gives one row with its `error`, and the others go on.
    pub fn trace_rows_json(&self, ids: &[String]) -> Result<String, CoreError> {
        use rayon::prelude::*;
        let rows: Vec<Vec<Value>> = ids
            .par_iter()
            .map(|id| {
                let error_row = |e: String| vec![json!({"article": id, "error": e})];
                let Ok(aid) = ArticleId::new(id.as_str()) else {
                    return error_row(format!("{id:?} is not an article id"));
                };
                let trace = match self.engine.trace_id(&aid) {
                    Ok(t) => t,
                    Err(e) => return error_row(e.to_string()),
                };
                let report = TraceReport::from_trace(&trace);
                report
                    .sources
                    .iter()
                    .map(|s| {
                        let all = s
                            .changes
                            .iter()
                            .chain(s.alignments.iter().flat_map(|a| a.changes.iter()));
                        let (mut changes, mut major) = (0, 0);
                        for c in all {
                            changes += 1;
                            if c.severity == unspun_changes::Severity::Major {
                                major += 1;
                            }
                        }
                        let credited = s.own_outlet_credit();
                        json!({
                            "article": id, "source": s.id, "relation": s.relation.as_str(),
                            "coverage": s.coverage, "source_coverage": s.source_coverage,
                            "original": s.original, "direction_certain": s.direction_certain,
                            "credited": credited, "changes": changes, "major_changes": major,
                            "error": Value::Null,
                        })
                    })
                    .collect()
            })
            .collect();
        serde_json::to_string(&rows.concat()).map_err(engine_error)
    }

    fn report(&self, mut report: TraceReport) -> Result<String, CoreError> {
        report
            .attach_reviews(self.engine.store().as_ref())
            .map_err(engine_error)?;
        serde_json::to_string(&report).map_err(engine_error)
    }

    /// The derivation graph of the whole store, built or brought up to
    /// date and saved as `unspun graph` does.
    fn updated_graph(&self) -> Result<unspun_graph::DerivationGraph, CoreError> {
        let path = unspun_graph::state_path(&self.dir);
        unspun_graph::GraphState::update_saved(&path, &self.engine, &|_, _| {})
            .map_err(engine_error)
    }

    /// The graph ([`PyStoreCore::updated_graph`]): its edges and stories as
    /// the JSON of `unspun graph --json`.
    pub fn graph_json(&self) -> Result<String, CoreError> {
        let graph = self.updated_graph()?;
        serde_json::to_string(&json!({
            "articles": graph.nodes.values().collect::<Vec<_>>(),
            "edges": graph.edges,
            "related": graph.related.iter().map(|(a, b, s)| json!({"a": a, "b": b, "score": s})).collect::<Vec<_>>(),
            "clusters": graph.clusters,
        }))
        .map_err(engine_error)
    }

    /// The graph ([`PyStoreCore::updated_graph`]) as `unspun graph --jsonl`
    /// writes it.
    pub fn graph_jsonl(&self) -> Result<String, CoreError> {
        let mut out = Vec::new();
        self.updated_graph()?
            .write_jsonl(&mut out)
            .map_err(engine_error)?;
        String::from_utf8(out).map_err(engine_error)
    }
}

/// Compares two texts with no store of the caller's: `source` is stored
/// (dated a day before `derived` when neither is dated, so that it reads
/// as the original) in a temporary store, and `derived` traced against it.
/// Returns the trace JSON.
pub fn compare_json(source: &str, derived: &str) -> Result<String, CoreError> {
    for (name, t) in [("a", source), ("b", derived)] {
        if t.trim().is_empty() {
            return Err(CoreError::Input(format!("{name} is blank")));
        }
    }
    let dir = tempfile::tempdir().map_err(engine_error)?;
    let core = PyStoreCore::open(dir.path(), None)?;
    core.ingest_json(&json!([{"id": "a", "text": source, "date": "2000-01-01"}]).to_string())?;
    core.trace_text(&json!({"id": "b", "text": derived, "date": "2000-01-02"}).to_string())
}

#[cfg(feature = "python")]
mod python {
    use pyo3::create_exception;
    use pyo3::exceptions::{PyException, PyValueError};
    use pyo3::prelude::*;

    use super::{CoreError, PyStoreCore};

    create_exception!(
        _unspun,
        UnspunError,
        PyException,
        "The store or the engine failed."
    );

    fn py_err(e: CoreError) -> PyErr {
        match e {
            CoreError::Input(m) => PyValueError::new_err(m),
            CoreError::Engine(m) => UnspunError::new_err(m),
        }
    }

    /// A store on disk and the engine over it (the JSON layer; see the
    /// `unspun.Store` class for the typed API).
    #[pyclass(name = "_Store", frozen)]
    struct Store {
        core: PyStoreCore,
    }

    #[pymethods]
    impl Store {
        #[new]
        #[pyo3(signature = (path, models=None))]
        fn new(
            py: Python<'_>,
            path: std::path::PathBuf,
            models: Option<std::path::PathBuf>,
        ) -> PyResult<Store> {
            let core = py
                .detach(|| PyStoreCore::open(&path, models.as_deref()))
                .map_err(py_err)?;
            Ok(Store { core })
        }

        fn ingest_json(&self, py: Python<'_>, records: String) -> PyResult<String> {
            py.detach(|| self.core.ingest_json(&records))
                .map_err(py_err)
        }

        fn trace_id(&self, py: Python<'_>, id: String) -> PyResult<String> {
            py.detach(|| self.core.trace_id(&id)).map_err(py_err)
        }

        fn trace_text(&self, py: Python<'_>, record: String) -> PyResult<String> {
            py.detach(|| self.core.trace_text(&record)).map_err(py_err)
        }

        fn trace_rows_json(&self, py: Python<'_>, ids: Vec<String>) -> PyResult<String> {
            py.detach(|| self.core.trace_rows_json(&ids))
                .map_err(py_err)
        }

        fn graph_json(&self, py: Python<'_>) -> PyResult<String> {
            py.detach(|| self.core.graph_json()).map_err(py_err)
        }

        fn graph_jsonl(&self, py: Python<'_>) -> PyResult<String> {
            py.detach(|| self.core.graph_jsonl()).map_err(py_err)
        }
    }

    /// The Rust stages of the Spark job (`unspun.spark`): one per worker
    /// process, each method a record batch in and out.
    #[pyclass(name = "_SparkWorker", frozen)]
    struct SparkWorker {
        core: super::spark::SparkWorker,
    }

    type Batch = arrow::pyarrow::PyArrowType<arrow::record_batch::RecordBatch>;

    #[pymethods]
    impl SparkWorker {
        #[new]
        #[pyo3(signature = (models=None, stats=None))]
        fn new(
            py: Python<'_>,
            models: Option<std::path::PathBuf>,
            stats: Option<std::path::PathBuf>,
        ) -> PyResult<SparkWorker> {
            let core = py
                .detach(|| super::spark::SparkWorker::new(models.as_deref(), stats.as_deref()))
                .map_err(py_err)?;
            Ok(SparkWorker { core })
        }

        fn parse(&self, py: Python<'_>, batch: Batch) -> PyResult<Batch> {
            py.detach(|| self.core.parse(&batch.0))
                .map(arrow::pyarrow::PyArrowType)
                .map_err(py_err)
        }

        fn fingerprint(&self, py: Python<'_>, batch: Batch) -> PyResult<Batch> {
            py.detach(|| self.core.fingerprint(&batch.0))
                .map(arrow::pyarrow::PyArrowType)
                .map_err(py_err)
        }

        fn queries(&self, py: Python<'_>, batch: Batch) -> PyResult<Batch> {
            py.detach(|| self.core.queries(&batch.0))
                .map(arrow::pyarrow::PyArrowType)
                .map_err(py_err)
        }

        fn candidates(&self, py: Python<'_>, batch: Batch) -> PyResult<Batch> {
            py.detach(|| self.core.candidates(&batch.0))
                .map(arrow::pyarrow::PyArrowType)
                .map_err(py_err)
        }

        fn judge(&self, py: Python<'_>, batch: Batch) -> PyResult<Batch> {
            py.detach(|| self.core.judge(&batch.0))
                .map(arrow::pyarrow::PyArrowType)
                .map_err(py_err)
        }
    }

    #[pyfunction]
    #[pyo3(signature = (docs, tokens, max_key, terms, dfs, frame_shapes=None, frame_fillers=None))]
    #[allow(clippy::too_many_arguments)]
    fn spark_stats_json(
        py: Python<'_>,
        docs: u64,
        tokens: u64,
        max_key: Option<u64>,
        terms: Vec<String>,
        dfs: Vec<u64>,
        frame_shapes: Option<Vec<i64>>,
        frame_fillers: Option<Vec<Vec<i64>>>,
    ) -> PyResult<String> {
        let frames = frame_shapes.zip(frame_fillers);
        py.detach(|| super::spark::stats_json(docs, tokens, max_key, terms, dfs, frames))
            .map_err(py_err)
    }

    #[pyfunction]
    fn spark_derive_component(py: Python<'_>, batch: Batch) -> PyResult<Batch> {
        py.detach(|| super::spark::derive_component(&batch.0))
            .map(arrow::pyarrow::PyArrowType)
            .map_err(py_err)
    }

    #[pyfunction]
    fn spark_cluster_lines(py: Python<'_>, batch: Batch) -> PyResult<Batch> {
        py.detach(|| super::spark::cluster_lines(&batch.0))
            .map(arrow::pyarrow::PyArrowType)
            .map_err(py_err)
    }

    #[pyfunction]
    fn compare_json(py: Python<'_>, a: String, b: String) -> PyResult<String> {
        py.detach(|| super::compare_json(&a, &b)).map_err(py_err)
    }

    #[pymodule]
    fn _unspun(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add_class::<Store>()?;
        m.add_function(wrap_pyfunction!(compare_json, m)?)?;
        m.add_class::<SparkWorker>()?;
        m.add_function(wrap_pyfunction!(spark_stats_json, m)?)?;
        m.add_function(wrap_pyfunction!(spark_derive_component, m)?)?;
        m.add_function(wrap_pyfunction!(spark_cluster_lines, m)?)?;
        m.add("UnspunError", m.py().get_type::<UnspunError>())?;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_many_traces_keep_going_past_a_bad_id() {
        let dir = tempfile::tempdir().unwrap();
        let core = PyStoreCore::open(dir.path(), None).unwrap();
        let text = "The central bank raised its main interest rate by half a point to 4.5 percent on Tuesday, citing inflation in services.";
        core.ingest_json(
            &json!([
                {"id": "wire", "text": text, "date": "2025-01-01", "source": "Wire"},
                {"id": "copy", "text": text, "date": "2025-01-02", "source": "Paper"},
            ])
            .to_string(),
        )
        .unwrap();
        let rows: Vec<Value> = serde_json::from_str(
            &core
                .trace_rows_json(&["copy".into(), "missing".into()])
                .unwrap(),
        )
        .unwrap();
        let copy: Vec<&Value> = rows.iter().filter(|r| r["article"] == "copy").collect();
        assert_eq!(copy[0]["source"], "wire");
        assert_eq!(copy[0]["relation"], "copy");
        assert_eq!(copy[0]["credited"], false);
        let missing: Vec<&Value> = rows.iter().filter(|r| r["article"] == "missing").collect();
        assert_eq!(missing.len(), 1);
        assert!(missing[0]["error"].as_str().unwrap().contains("missing"));
    }

    #[test]
    fn bad_records_are_named_and_nothing_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let core = PyStoreCore::open(dir.path(), None).unwrap();
        let err = core
            .ingest_json(r#"[{"id": "a", "text": "Alpha."}, {"id": "b"}]"#)
            .unwrap_err();
        assert!(
            matches!(&err, CoreError::Input(m) if m.starts_with("record 1: `text`")),
            "{err}"
        );
        assert!(matches!(core.trace_id("a"), Err(CoreError::Input(_))));
    }
}
