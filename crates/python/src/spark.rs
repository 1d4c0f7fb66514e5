//! The Rust stages of the Spark job (`unspun.spark`): Arrow record batches
//! in, Arrow record batches out, one call per batch, single-threaded (Spark
//! runs one task per core).
//!
//! The job finds what `unspun graph` finds without a search index, so that
//! it can run on many machines; every judgement is the engine's own:
//!
//! 1. [`SparkWorker::parse`]: JSON Lines records to articles, read and
//!    segmented as `Store.ingest` reads them;
//! 2. [`SparkWorker::fingerprint`]: each article's index terms with their
//!    counts, its BM25 length and its MinHash band keys;
//! 3. (Spark) document frequencies, frozen into [`FrozenStats`] by
//!    [`stats_json`]; then [`SparkWorker::queries`]: each article's terms
//!    weighted as its retrieval query weighs them;
//! 4. (Spark) a pool per article, by joining its weighted terms with every
//!    article's terms and its bands with every article's bands; then
//!    [`SparkWorker::candidates`]: the candidates a trace would retrieve
//!    ([`Engine::retrieve_in_pool`]);
//! 5. [`SparkWorker::judge`]: each candidate pair judged next to both texts,
//!    from each side whose candidates hold the other
//!    ([`Engine::judge_frozen`]): the pair views a trace records;
//! 6. [`derive_component`]: the graph of one connected component of pairs
//!    ([`unspun_graph::derive`]), as JSON Lines; [`cluster_lines`] numbers
//!    the clusters across components.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanArray, Float32Array, Float32Builder, Int32Array, Int32Builder,
    Int64Array, Int64Builder, ListArray, ListBuilder, StringArray, StringBuilder,
};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use serde::Deserialize;
use serde_json::{json, Value};
use unspun_article::{Article, ArticleId};
use unspun_engine::pool::PoolEntry;
use unspun_engine::{Engine, Statistics};
use unspun_graph::{Cluster, NodeInfo, PairBook, PairView};
use unspun_store::{ArticleKey, EmbeddedStore, FrozenStats};

use crate::CoreError;

/// How many weighted terms of each article the pool is gathered for: the
/// BM25 query takes the first 30; the residual query takes the next terms
/// the best hit lacks, which lie beyond them.
pub const QUERY_PREFIX: usize = 120;

/// The engine and the frozen statistics of one Spark worker process, made
/// once per process and kept.
pub struct SparkWorker {
    engine: Engine,
    stats: Option<FrozenStats>,
    // The engine needs a store; these stages never read or write it.
    _dir: tempfile::TempDir,
}

fn input(m: impl std::fmt::Display) -> CoreError {
    CoreError::Input(m.to_string())
}

impl SparkWorker {
    /// A worker with the models in `models` (as `unspun.Store(path,
    /// models=...)`: the static model and WordNet; lexical without) and the
    /// statistics in `stats` (written by [`stats_json`]; stages 1 to 3 run
    /// without).
    pub fn new(models: Option<&Path>, stats: Option<&Path>) -> Result<SparkWorker, CoreError> {
        let dir = tempfile::tempdir().map_err(|e| CoreError::Engine(format!("temp dir: {e}")))?;
        let store = EmbeddedStore::open(dir.path()).map_err(crate::engine_error)?;
        let engine = crate::engine(Arc::new(store), models)?;
        let stats = match stats {
            None => None,
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| input(format!("statistics {}: {e}", p.display())))?;
                Some(
                    serde_json::from_str(&text)
                        .map_err(|e| input(format!("statistics {}: {e}", p.display())))?,
                )
            }
        };
        Ok(SparkWorker {
            engine,
            stats,
            _dir: dir,
        })
    }

    fn stats(&self) -> Result<&FrozenStats, CoreError> {
        self.stats
            .as_ref()
            .ok_or_else(|| input("this stage needs the corpus statistics (stats=...)"))
    }

    /// Stage 1. Columns `key` (long) and `line` (string: one JSON Lines
    /// record) to `key`, `id`, `record` (the article as a normalised JSON
    /// record: id, text, date, source, title, url), `date`, `source`,
    /// `title`, `sentences` and `error` (why the record is not an article;
    /// the other columns are then null).
    pub fn parse(&self, batch: &RecordBatch) -> Result<RecordBatch, CoreError> {
        let keys = i64_col(batch, "key")?;
        let lines = str_col(batch, "line")?;
        let n = batch.num_rows();
        let mut ids = StringBuilder::new();
        let mut records = StringBuilder::new();
        let mut dates = StringBuilder::new();
        let mut sources = StringBuilder::new();
        let mut titles = StringBuilder::new();
        let mut sentences = Int32Builder::new();
        let mut errors = StringBuilder::new();
        for i in 0..n {
            let parsed = serde_json::from_str::<Value>(lines.value(i))
                .map_err(|e| format!("not JSON: {e}"))
                .and_then(|v| crate::record_of(&v));
            match parsed {
                Ok(a) => {
                    let analyzed = self.engine.analyze(a.clone());
                    ids.append_value(a.id.as_str());
                    records.append_value(record_json(&a).to_string());
                    dates.append_option(a.date.map(|d| d.to_string()));
                    sources.append_option(a.source.as_deref());
                    titles.append_option(a.title.as_deref());
                    sentences.append_value(analyzed.sentences.len() as i32);
                    errors.append_null();
                }
                Err(e) => {
                    ids.append_null();
                    records.append_null();
                    dates.append_null();
                    sources.append_null();
                    titles.append_null();
                    sentences.append_null();
                    errors.append_value(e);
                }
            }
        }
        batch_of(vec![
            ("key", Arc::new(keys.clone()) as ArrayRef),
            ("id", Arc::new(ids.finish())),
            ("record", Arc::new(records.finish())),
            ("date", Arc::new(dates.finish())),
            ("source", Arc::new(sources.finish())),
            ("title", Arc::new(titles.finish())),
            ("sentences", Arc::new(sentences.finish())),
            ("error", Arc::new(errors.finish())),
        ])
    }

    /// Stage 2. Columns `key` and `record` to `key`, `terms` and `tfs`
    /// (the index terms, sorted, with their counts), `length` (the BM25
    /// document length), `bands` (the MinHash band keys, as signed
    /// longs), and `shapes` and `fillers` (each distinct sentence shape
    /// with its filler, as signed longs: what the store counts to tell a
    /// frame).
    pub fn fingerprint(&self, batch: &RecordBatch) -> Result<RecordBatch, CoreError> {
        let keys = i64_col(batch, "key")?;
        let records = str_col(batch, "record")?;
        let mut terms = ListBuilder::new(StringBuilder::new());
        let mut tfs = ListBuilder::new(Int32Builder::new());
        let mut lengths = Int32Builder::new();
        let mut bands = ListBuilder::new(Int64Builder::new());
        let mut shapes = ListBuilder::new(Int64Builder::new());
        let mut fillers = ListBuilder::new(Int64Builder::new());
        for i in 0..batch.num_rows() {
            let article = article_at(&records, i)?;
            let analyzed = self.engine.analyze(article);
            let (counts, length) = self.engine.index_term_counts(&analyzed);
            for (t, n) in &counts {
                terms.values().append_value(t);
                tfs.values().append_value(*n as i32);
            }
            terms.append(true);
            tfs.append(true);
            lengths.append_value(length as i32);
            for b in self.engine.band_keys(&analyzed) {
                bands.values().append_value(b as i64);
            }
            bands.append(true);
            for (shape, filler) in self.engine.sentence_shapes(&analyzed) {
                shapes.values().append_value(shape as i64);
                fillers.values().append_value(filler as i64);
            }
            shapes.append(true);
            fillers.append(true);
        }
        batch_of(vec![
            ("key", Arc::new(keys.clone()) as ArrayRef),
            ("terms", Arc::new(terms.finish())),
            ("tfs", Arc::new(tfs.finish())),
            ("length", Arc::new(lengths.finish())),
            ("bands", Arc::new(bands.finish())),
            ("shapes", Arc::new(shapes.finish())),
            ("fillers", Arc::new(fillers.finish())),
        ])
    }

    /// Stage 3. Columns `key`, `terms`, `tfs` to `key`, `qterms` and
    /// `qweights`: the article's first [`QUERY_PREFIX`] terms weighted as
    /// its retrieval query weighs them, most distinctive first.
    pub fn queries(&self, batch: &RecordBatch) -> Result<RecordBatch, CoreError> {
        let stats = self.stats()?;
        let keys = i64_col(batch, "key")?;
        let terms = list_col(batch, "terms", DataType::Utf8)?;
        let tfs = list_col(batch, "tfs", DataType::Int32)?;
        let mut qterms = ListBuilder::new(StringBuilder::new());
        let mut qweights = ListBuilder::new(Float32Builder::new());
        for i in 0..batch.num_rows() {
            let ts = terms.value(i);
            let ts = ts.as_any().downcast_ref::<StringArray>().expect("cast");
            let ns = tfs.value(i);
            let ns = ns.as_any().downcast_ref::<Int32Array>().expect("cast");
            let counts: Vec<(String, u32)> = (0..ts.len())
                .map(|j| (ts.value(j).to_string(), ns.value(j).max(0) as u32))
                .collect();
            let key = ArticleKey(keys.value(i) as u64);
            let weighted = self
                .engine
                .weighted_terms(counts, Some(key), Statistics::Frozen(stats))
                .map_err(crate::engine_error)?;
            for (t, w) in weighted.iter().take(QUERY_PREFIX) {
                qterms.values().append_value(t);
                qweights.values().append_value(*w);
            }
            qterms.append(true);
            qweights.append(true);
        }
        batch_of(vec![
            ("key", Arc::new(keys.clone()) as ArrayRef),
            ("qterms", Arc::new(qterms.finish())),
            ("qweights", Arc::new(qweights.finish())),
        ])
    }

    /// Stage 4. Columns `key`, `qterms`, `qweights` and `pool` (JSON: a
    /// list of `{key, length, date, source, tf: {term: count}, bands}`, the
    /// articles sharing a weighted term or a band) to `key` and
    /// `candidates`: the keys a trace under the statistics retrieves.
    pub fn candidates(&self, batch: &RecordBatch) -> Result<RecordBatch, CoreError> {
        let stats = self.stats()?;
        let keys = i64_col(batch, "key")?;
        let qterms = list_col(batch, "qterms", DataType::Utf8)?;
        let qweights = list_col(batch, "qweights", DataType::Float32)?;
        let pools = str_col(batch, "pool")?;
        let mut out = ListBuilder::new(Int64Builder::new());
        for i in 0..batch.num_rows() {
            let ts = qterms.value(i);
            let ts = ts.as_any().downcast_ref::<StringArray>().expect("cast");
            let ws = qweights.value(i);
            let ws = ws.as_any().downcast_ref::<Float32Array>().expect("cast");
            let by_weight: Vec<(String, f32)> = (0..ts.len())
                .map(|j| (ts.value(j).to_string(), ws.value(j)))
                .collect();
            let pool: Vec<PoolRow> = if pools.is_null(i) {
                Vec::new()
            } else {
                serde_json::from_str(pools.value(i))
                    .map_err(|e| input(format!("pool of key {}: {e}", keys.value(i))))?
            };
            let pool: Vec<PoolEntry> = pool.into_iter().map(PoolRow::entry).collect();
            let own = ArticleKey(keys.value(i) as u64);
            let r = self
                .engine
                .retrieve_in_pool(&by_weight, &pool, Some(own), stats);
            for k in r.candidates() {
                out.values().append_value(k.0 as i64);
            }
            out.append(true);
        }
        batch_of(vec![
            ("key", Arc::new(keys.clone()) as ArrayRef),
            ("candidates", Arc::new(out.finish())),
        ])
    }

    /// Stage 5. Columns `a`, `a_record`, `b`, `b_record`, `a_sees_b`,
    /// `b_sees_a` (whether `b` is among `a`'s candidates, and the reverse)
    /// to `a`, `b`, `views` (JSON list of the pair views the traces
    /// record: templates left out) and `changes` (JSON list of `[derived,
    /// source, counts]`, the changes of each orientation, for an edge the
    /// graph orients the other way than a view computed them: only for
    /// pairs with a derivation view).
    pub fn judge(&self, batch: &RecordBatch) -> Result<RecordBatch, CoreError> {
        let stats = self.stats()?;
        let a_keys = i64_col(batch, "a")?;
        let b_keys = i64_col(batch, "b")?;
        let a_records = str_col(batch, "a_record")?;
        let b_records = str_col(batch, "b_record")?;
        let a_sees = bool_col(batch, "a_sees_b")?;
        let b_sees = bool_col(batch, "b_sees_a")?;
        let mut views_out = StringBuilder::new();
        let mut changes_out = StringBuilder::new();
        for i in 0..batch.num_rows() {
            let a = self.engine.analyze(article_at(&a_records, i)?);
            let b = self.engine.analyze(article_at(&b_records, i)?);
            let (ak, bk) = (
                ArticleKey(a_keys.value(i) as u64),
                ArticleKey(b_keys.value(i) as u64),
            );
            let mut views: Vec<PairView> = Vec::new();
            let sides = [
                (a_sees.value(i), &a, ak, &b, bk),
                (b_sees.value(i), &b, bk, &a, ak),
            ];
            for (sees, traced, tk, other, ok) in sides {
                if !sees {
                    continue;
                }
                let m = self
                    .engine
                    .judge_frozen(traced, tk, other.clone(), ok, stats)
                    .map_err(crate::engine_error)?;
                if let Some(m) = m.filter(|m| m.relation != unspun_align::Relation::Template) {
                    views.push(PairView::of(&traced.article, &m));
                }
            }
            let mut changes: Vec<Value> = Vec::new();
            if views
                .iter()
                .any(|v| v.relation != unspun_graph::EdgeRelation::Related)
            {
                for (d, dk, s, sk) in [(&a, ak, &b, bk), (&b, bk, &a, ak)] {
                    // An edge oriented as this view's trace carries the
                    // view's own changes; the graph reads none of ours.
                    let carried = views
                        .iter()
                        .any(|v| v.traced == d.article.id && v.changes.is_some());
                    if carried {
                        continue;
                    }
                    let c = unspun_graph::edge_changes(
                        &self.engine,
                        (d, dk),
                        (s.clone(), sk),
                        Some(stats),
                    )
                    .map_err(crate::engine_error)?;
                    if let Some(c) = c {
                        changes.push(json!([d.article.id, s.article.id, c]));
                    }
                }
            }
            views_out.append_value(serde_json::to_string(&views).map_err(crate::engine_error)?);
            changes_out.append_value(Value::Array(changes).to_string());
        }
        batch_of(vec![
            ("a", Arc::new(a_keys.clone()) as ArrayRef),
            ("b", Arc::new(b_keys.clone())),
            ("views", Arc::new(views_out.finish())),
            ("changes", Arc::new(changes_out.finish())),
        ])
    }
}

/// One article of a pool, as the Spark job writes it.
#[derive(Deserialize)]
struct PoolRow {
    key: i64,
    length: i64,
    date: Option<String>,
    source: Option<String>,
    #[serde(default)]
    tf: Option<HashMap<String, i64>>,
    #[serde(default)]
    bands: Option<i64>,
}

impl PoolRow {
    fn entry(self) -> PoolEntry {
        PoolEntry {
            key: ArticleKey(self.key as u64),
            length: self.length.max(0) as u32,
            date: self.date.as_deref().and_then(crate::chrono_day),
            source: self.source,
            tf: self
                .tf
                .unwrap_or_default()
                .into_iter()
                .map(|(t, n)| (t, n.max(0) as u32))
                .collect(),
            bands: self.bands.unwrap_or(0).max(0) as u32,
        }
    }
}

/// The statistics file of a corpus (what [`SparkWorker::new`] reads):
/// `docs` articles, `tokens` index terms in all, keys up to `max_key`, and
/// each term's document frequency; with `frames`, every sentence shape the
/// corpus fills two or more ways, with up to three of its fillers (signed
/// longs, as the fingerprint stage writes them), as the store counts them
/// ([`FrozenStats::with_frames`]).
pub fn stats_json(
    docs: u64,
    tokens: u64,
    max_key: Option<u64>,
    terms: Vec<String>,
    dfs: Vec<u64>,
    frames: Option<(Vec<i64>, Vec<Vec<i64>>)>,
) -> Result<String, CoreError> {
    if terms.len() != dfs.len() {
        return Err(input("terms and dfs differ in length"));
    }
    let df: BTreeMap<String, u64> = terms.into_iter().zip(dfs).collect();
    let mut stats = FrozenStats::from_counts(docs, tokens, max_key, df);
    if let Some((shapes, fillers)) = frames {
        if shapes.len() != fillers.len() {
            return Err(input("frame shapes and fillers differ in length"));
        }
        let mut map = BTreeMap::new();
        for (shape, mut fillers) in shapes.into_iter().zip(fillers) {
            fillers.sort_unstable();
            fillers.dedup();
            fillers.truncate(3);
            if fillers.len() >= 2 {
                map.insert(
                    shape as u64,
                    fillers.into_iter().map(|f| f as u64).collect(),
                );
            }
        }
        stats = stats.with_frames(map);
    }
    serde_json::to_string(&stats).map_err(crate::engine_error)
}

/// Stage 6. One connected component's rows, columns `kind` (`node`,
/// `views` or `changes`) and `json` (a [`NodeInfo`]; the JSON list of
/// views of one pair; the JSON list of changes of one pair) to its graph:
/// `kind` (`edge`, `related`, `cluster`), `k1`, `k2` (the sort keys of
/// `unspun graph --jsonl`: derived and source; a and b; the cluster's size
/// and original), and `line` (the JSON Lines object; a cluster's is its
/// serialised [`Cluster`], numbered by [`cluster_lines`]).
pub fn derive_component(batch: &RecordBatch) -> Result<RecordBatch, CoreError> {
    let kinds = str_col(batch, "kind")?;
    let jsons = str_col(batch, "json")?;
    let mut nodes: BTreeMap<ArticleId, NodeInfo> = BTreeMap::new();
    let mut by_traced: BTreeMap<ArticleId, Vec<PairView>> = BTreeMap::new();
    let mut changes: Vec<(ArticleId, ArticleId, unspun_graph::ChangeCounts)> = Vec::new();
    for i in 0..batch.num_rows() {
        let text = jsons.value(i);
        let bad = |e: serde_json::Error| input(format!("component row {i}: {e}"));
        match kinds.value(i) {
            "node" => {
                let n: NodeInfo = serde_json::from_str(text).map_err(bad)?;
                nodes.insert(n.id.clone(), n);
            }
            "views" => {
                for v in serde_json::from_str::<Vec<PairView>>(text).map_err(bad)? {
                    by_traced.entry(v.traced.clone()).or_default().push(v);
                }
            }
            "changes" => changes.extend(serde_json::from_str::<Vec<_>>(text).map_err(bad)?),
            other => return Err(input(format!("component row {i}: unknown kind {other:?}"))),
        }
    }
    let mut book = PairBook::new();
    for (traced, views) in by_traced {
        book.replace_traced(&traced, views);
    }
    for (d, s, c) in changes {
        book.remember_changes(&d, &s, c);
    }
    let graph =
        unspun_graph::derive(&book, &nodes, &mut |_| Ok(())).map_err(crate::engine_error)?;
    let mut kind = StringBuilder::new();
    let mut k1 = StringBuilder::new();
    let mut k2 = StringBuilder::new();
    let mut size = Int64Builder::new();
    let mut line = StringBuilder::new();
    for e in &graph.edges {
        kind.append_value("edge");
        k1.append_value(e.derived.as_str());
        k2.append_value(e.source.as_str());
        size.append_null();
        line.append_value(unspun_graph::export::edge_line(e).to_string());
    }
    for (a, b, s) in &graph.related {
        kind.append_value("related");
        k1.append_value(a.as_str());
        k2.append_value(b.as_str());
        size.append_null();
        line.append_value(unspun_graph::export::related_line(a, b, *s).to_string());
    }
    for c in &graph.clusters {
        kind.append_value("cluster");
        k1.append_value(c.original.as_str());
        k2.append_null();
        size.append_value(c.members.len() as i64);
        line.append_value(serde_json::to_string(c).map_err(crate::engine_error)?);
    }
    batch_of(vec![
        ("kind", Arc::new(kind.finish()) as ArrayRef),
        ("k1", Arc::new(k1.finish())),
        ("k2", Arc::new(k2.finish())),
        ("size", Arc::new(size.finish())),
        ("line", Arc::new(line.finish())),
    ])
}

/// Columns `line` (a serialised [`Cluster`]) and `number` (its number
/// across the corpus: by size, largest first, then original) to `line`:
/// its JSON Lines object.
pub fn cluster_lines(batch: &RecordBatch) -> Result<RecordBatch, CoreError> {
    let lines = str_col(batch, "line")?;
    let numbers = i64_col(batch, "number")?;
    let mut out = StringBuilder::new();
    for i in 0..batch.num_rows() {
        let mut c: Cluster = serde_json::from_str(lines.value(i))
            .map_err(|e| input(format!("cluster row {i}: {e}")))?;
        c.cluster = numbers.value(i).max(0) as usize;
        out.append_value(unspun_graph::export::cluster_line(&c).to_string());
    }
    batch_of(vec![("line", Arc::new(out.finish()) as ArrayRef)])
}

/// The normalised JSON record of an article.
fn record_json(a: &Article) -> Value {
    json!({
        "id": a.id, "text": a.text, "date": a.date.map(|d| d.to_string()),
        "source": a.source, "title": a.title, "url": a.url,
    })
}

fn article_at(records: &StringArray, i: usize) -> Result<Article, CoreError> {
    let v: Value = serde_json::from_str(records.value(i))
        .map_err(|e| input(format!("record row {i}: {e}")))?;
    crate::record_of(&v).map_err(|e| input(format!("record row {i}: {e}")))
}

fn column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a ArrayRef, CoreError> {
    batch
        .column_by_name(name)
        .ok_or_else(|| input(format!("the batch has no column {name:?}")))
}

fn cast_to(batch: &RecordBatch, name: &str, to: &DataType) -> Result<ArrayRef, CoreError> {
    cast(column(batch, name)?, to).map_err(|e| input(format!("column {name:?}: {e}")))
}

/// Column `name` cast to `to` and taken as the array type `A` of `to`.
fn typed_col<A: Array + Clone + 'static>(
    batch: &RecordBatch,
    name: &str,
    to: &DataType,
) -> Result<A, CoreError> {
    let a = cast_to(batch, name, to)?;
    Ok(a.as_any()
        .downcast_ref::<A>()
        .expect("an array cast to a type is of that type")
        .clone())
}

fn str_col(batch: &RecordBatch, name: &str) -> Result<StringArray, CoreError> {
    typed_col(batch, name, &DataType::Utf8)
}

fn i64_col(batch: &RecordBatch, name: &str) -> Result<Int64Array, CoreError> {
    typed_col(batch, name, &DataType::Int64)
}

fn bool_col(batch: &RecordBatch, name: &str) -> Result<BooleanArray, CoreError> {
    typed_col(batch, name, &DataType::Boolean)
}

fn list_col(batch: &RecordBatch, name: &str, item: DataType) -> Result<ListArray, CoreError> {
    typed_col(
        batch,
        name,
        &DataType::List(Arc::new(Field::new("item", item, true))),
    )
}

fn batch_of(columns: Vec<(&str, ArrayRef)>) -> Result<RecordBatch, CoreError> {
    let schema = Schema::new(
        columns
            .iter()
            .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
            .collect::<Vec<_>>(),
    );
    RecordBatch::try_new(
        Arc::new(schema),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .map_err(crate::engine_error)
}

#[cfg(test)]
mod tests {
    use arrow::array::{Int64Array, StringArray};
    use unspun_store::OnConflict;

    use super::*;

    /// Real Reuters-21578 texts whose sentences share shapes: three days'
    /// Portland grain-ship notices (reuters-3386, reuters-12327,
    /// reuters-106), one of them twice, and a results table with its
    /// correction (reuters-9364, reuters-9405).
    const TEXTS: [&str; 6] = [
        "There were three grain ships loading\nand two ships were waiting to load at Portland, according to\nthe Portland Merchants Exchange.",
        "There were five grain ships loading and\nthree ships were waiting to load at Portland, according to the\nPortland Merchants Exchange.",
        "There were seven grain ships loading and\nsix ships were waiting to load at Portland, according to the\nPortland Merchants Exchange.",
        "There were seven grain ships loading and\nsix ships were waiting to load at Portland, according to the\nPortland Merchants Exchange.",
        "Feb 28 end\n    Shr 18 cts vs 13 cts\n    Net 1,541,000 vs 1,122,000\n    Sales 36.7 mln vs 33.5 mln\n    NOTE: Share adjusted for five pct stock dividend in August\n1986.",
        "1st qtr Feb 28 end\n    Shr 18 cts vs 13 cts\n    Net 1,541,000 vs 1,122,000\n    Sales 39.7 mln vs 33.5 mln\n    NOTE: Share adjusted for five pct stock dividend in August\n1986.",
    ];

    /// The Spark job's statistics hold the same frames as the store's
    /// frozen statistics for the same articles: the fingerprint stage
    /// gives the shapes ingest stores, and the statistics stage keeps what
    /// the store keeps (shapes filled two or more ways, up to three
    /// fillers, the smallest as signed longs).
    #[test]
    fn spark_statistics_count_the_frames_the_store_counts() {
        let articles: Vec<Article> = TEXTS
            .iter()
            .enumerate()
            .map(|(i, t)| Article::new(ArticleId::new(format!("r{i}")).unwrap(), *t))
            .collect();

        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
        let engine = crate::engine(store, None).unwrap();
        engine
            .ingest_batch(articles.clone(), OnConflict::Reject)
            .unwrap();
        let stored = engine.store().frozen_stats().unwrap();
        assert!(stored.knows_frames());

        let worker = SparkWorker::new(None, None).unwrap();
        let keys = Int64Array::from((1..=articles.len() as i64).collect::<Vec<_>>());
        let records: StringArray = articles
            .iter()
            .map(|a| Some(record_json(a).to_string()))
            .collect();
        let batch = batch_of(vec![
            ("key", Arc::new(keys) as ArrayRef),
            ("record", Arc::new(records)),
        ])
        .unwrap();
        let out = worker.fingerprint(&batch).unwrap();
        let shapes = list_col(&out, "shapes", DataType::Int64).unwrap();
        let fillers = list_col(&out, "fillers", DataType::Int64).unwrap();
        // What the statistics stage does in Spark SQL: distinct (shape,
        // filler), grouped by shape.
        let mut by_shape: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for row in 0..out.num_rows() {
            let s = shapes.value(row);
            let f = fillers.value(row);
            let s = s.as_any().downcast_ref::<Int64Array>().unwrap();
            let f = f.as_any().downcast_ref::<Int64Array>().unwrap();
            for (s, f) in s.values().iter().zip(f.values()) {
                by_shape.entry(*s).or_default().push(*f);
            }
        }
        let (frame_shapes, frame_fillers): (Vec<i64>, Vec<Vec<i64>>) = by_shape.into_iter().unzip();
        let json = stats_json(
            articles.len() as u64,
            100,
            Some(articles.len() as u64),
            Vec::new(),
            Vec::new(),
            Some((frame_shapes.clone(), frame_fillers)),
        )
        .unwrap();
        let spark: FrozenStats = serde_json::from_str(&json).unwrap();
        let mut frames = 0;
        for shape in frame_shapes {
            let shape = shape as u64;
            assert_eq!(
                spark.frame_fillers(shape),
                stored.frame_fillers(shape),
                "shape {shape}"
            );
            frames += usize::from(!spark.frame_fillers(shape).is_empty());
        }
        // The grain-ship sentence (three fillings) and the sales line (two).
        assert_eq!(frames, 2);
    }
}
