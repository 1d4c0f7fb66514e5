"""The derivation graph of a corpus on Apache Spark.

``unspun graph`` traces every article of a store on one machine. This job
finds the same edges and stories with DataFrame stages that run on
``local[*]`` or unchanged on a cluster (no RDD, so Spark Connect too); every
judgement in it is the Rust engine's own, called through ``mapInArrow``::

    from pyspark.sql import SparkSession
    import unspun.spark

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    summary = unspun.spark.run(spark, ["corpus.jsonl"], "out/", models="models")
    # out/graph.jsonl is what `unspun graph --jsonl` prints for the same corpus

Stages, each written under ``output`` and skipped when already there (a
failed run resumes where it stopped):

1. ``articles``: JSON Lines records read and segmented; a bad record is
   listed in ``errors.jsonl`` with its file and line, and the rest go on;
2. ``fingerprints``: each article's index terms and MinHash band keys;
3. ``stats`` / ``queries``: document frequencies, frozen into
   ``stats.json``; each article's terms weighted as its retrieval query
   weighs them;
4. ``candidates``: a pool per article, by shuffling its weighted terms and
   its band keys against every article's (buckets above ``bucket_cap``
   articles are boilerplate and skipped), then the candidates a trace would
   retrieve from that pool;
5. ``pairs``: each candidate pair aligned and judged next to both texts;
6. ``components``: connected components of the judged pairs;
7. ``graph``: each component's graph derived apart (``applyInArrow``);
8. ``edges``, ``related``, ``clusters``: the graph as Parquet tables, the
   fields of ``unspun graph --jsonl``'s lines as typed columns and each
   whole line in ``json`` (``unspun.read_graph(output)`` loads them), then
   ``graph.jsonl`` in the order ``unspun graph --jsonl`` writes.

A stage built again removes the outputs of the stages after it.

Executors need the ``unspun`` package (``PYSPARK_PYTHON`` pointing at a
Python that has it, or a venv-pack archive; see docs/SPARK.md), and read the
models and ``stats.json`` from paths they can reach.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Union

import pyarrow as pa

from . import _GRAPH_TABLES, _unspun

__all__ = ["run", "Summary", "STAGES"]

STAGES = [
    "articles", "fingerprints", "stats", "queries", "candidates", "pairs", "components", "graph",
    "edges", "related", "clusters",
]

# The output tables, as `unspun.read_graph` reads them: the stage (and
# directory) of each kind of graph line, and the keys its lines are
# ordered by, as `unspun graph --jsonl` writes them.
TABLES = {kind: name for name, kind, _ in _GRAPH_TABLES}
_TABLE_KEYS = {kind: list(keys) for _, kind, keys in _GRAPH_TABLES}

# Their typed columns: the fields of `unspun graph --jsonl`'s lines that fit
# a column (every table also keeps the whole line in `json`).
_TABLE_COLUMNS = {
    "edge": (
        "derived string, source string, relation string, confidence double, coverage double, "
        "source_coverage double, direction_certain boolean, parent_certain boolean, `primary` boolean, "
        "credited boolean, quotes_altered int, changes int, major_changes int, "
        "change_types map<string,int>, via array<string>, notes array<string>"
    ),
    "related": "a string, b string, score double",
    "cluster": (
        "cluster long, original string, size long, members array<string>, "
        "related_originals array<string>, edges long, also_draws_on array<string>"
    ),
}

# Terms and band keys held by more articles than this are not shuffled into
# pools: their buckets are quadratic (passim's max document frequency plays
# the same part). On the 21k news corpus, 200 keeps the candidates stage to
# ~20M shuffled rows; docs/SPARK.md measures what it changes.
DEFAULT_BUCKET_CAP = 200

# Connected components: label propagation gives up after this many rounds.
MAX_COMPONENT_ROUNDS = 200

_workers: Dict[tuple, "_unspun._SparkWorker"] = {}


def _worker(models: Optional[str], stats: Optional[str]) -> "_unspun._SparkWorker":
    """One Rust worker per executor process and settings (models load once)."""
    k = (models, stats)
    w = _workers.get(k)
    if w is None:
        w = _workers[k] = _unspun._SparkWorker(models, stats)
    return w


def _map(method: str, models: Optional[str], stats: Optional[str], schema: pa.Schema):
    """A mapInArrow function calling one stage of the Rust worker."""

    def f(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        w = _worker(models, stats)
        call = getattr(w, method)
        for b in batches:
            if b.num_rows:
                yield _conform(call(b), schema)

    return f


def _describe(spark, text: Optional[str]) -> None:
    """Names the Spark jobs of a stage (the UI and its REST API group them
    by it; the benchmark reads shuffle sizes per stage from there). Spark
    Connect has no SparkContext: nothing to name there."""
    try:
        spark.sparkContext.setJobDescription(text)
    except Exception:  # noqa: BLE001 - Spark Connect: no SparkContext
        pass


def _local(uri: str) -> str:
    """A Spark file URI as the path a user gave (file:///a/b -> /a/b)."""
    from urllib.parse import unquote, urlparse

    u = urlparse(uri)
    return unquote(u.path) if u.scheme in ("file", "") else uri


def _conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """The batch with Spark's field names and types (list item names and
    nullability differ between arrow-rs and Spark)."""
    return pa.RecordBatch.from_arrays(
        [batch.column(i).cast(schema.field(i).type) for i in range(batch.num_columns)], schema=schema
    )


@dataclass
class Summary:
    """What a run did: counts and seconds per stage (a skipped stage has
    none), and where its outputs are."""

    output: str
    articles: int = 0
    errors: int = 0
    pairs: int = 0
    edges: int = 0
    clusters: int = 0
    component_rounds: int = 0
    seconds: Dict[str, float] = field(default_factory=dict)
    skipped: List[str] = field(default_factory=list)

    @property
    def graph_jsonl(self) -> str:
        return os.path.join(self.output, "graph.jsonl")

    def to_dict(self) -> dict:
        return {
            "output": self.output,
            "articles": self.articles,
            "errors": self.errors,
            "pairs": self.pairs,
            "edges": self.edges,
            "clusters": self.clusters,
            "component_rounds": self.component_rounds,
            "seconds": self.seconds,
            "skipped": self.skipped,
        }


def run(
    spark,
    inputs: Union[str, Sequence[str]],
    output: str,
    *,
    models: Optional[str] = None,
    bucket_cap: Optional[int] = DEFAULT_BUCKET_CAP,
    until: Optional[str] = None,
    log: Callable[[str], None] = print,
) -> Summary:
    """Builds the derivation graph of the JSON Lines files ``inputs`` (one
    record per line: ``id``, ``text``, optional ``date``, ``source``,
    ``title``, ``url``, as ``unspun ingest`` reads them) into ``output``.

    ``models`` is the models directory (the static model and WordNet, as
    ``unspun.Store(path, models=...)``); without it the judgement is
    lexical. Keys follow the files in the order given, then their lines, as
    ``unspun ingest`` of the same files in the same order stores them.
    A record whose id an earlier record already has is refused (as
    ``unspun ingest`` refuses a conflicting id).

    ``bucket_cap`` bounds the terms and band keys shuffled into the
    candidate pools: one held by more articles is left out. ``None`` leaves
    none out; then the graph equals ``unspun graph``'s exactly, at a cost
    quadratic in the commonest term's document frequency (docs/SPARK.md).

    ``until`` names the last stage to run (one of ``STAGES``); the default
    runs them all and writes ``graph.jsonl``."""
    from pyspark.sql import functions as F
    from pyspark.sql import Window

    if isinstance(inputs, str):
        inputs = [inputs]
    inputs = [os.path.abspath(p) for p in inputs]
    for p in inputs:
        if not os.path.exists(p):
            raise FileNotFoundError(f"input {p} does not exist")
    if bucket_cap is not None and bucket_cap < 2:
        raise ValueError("bucket_cap must be at least 2 (or None: no cap)")
    if until is not None and until not in STAGES:
        raise ValueError(f"until={until!r} is not a stage; the stages are {', '.join(STAGES)}")
    models = os.path.abspath(models) if models else None
    os.makedirs(output, exist_ok=True)
    output = os.path.abspath(output)
    summary = Summary(output=output)
    path = lambda name: os.path.join(output, name)  # noqa: E731
    stats_path = path("stats.json")

    def done(name: str) -> bool:
        written = os.path.exists(os.path.join(path(name), "_SUCCESS"))
        # The statistics stage ends with stats.json, written last.
        return written and (name != "stats" or os.path.exists(stats_path))

    def stage(name: str, build: Callable[[], None]) -> None:
        if done(name):
            summary.skipped.append(name)
            log(f"unspun.spark: {name}: already in {path(name)}, skipped")
            return
        # A stage that failed half way, and what later stages made of an
        # earlier run's output: stale once this stage is built again.
        for later in STAGES[STAGES.index(name):]:
            if os.path.exists(path(later)):
                shutil.rmtree(path(later))
        if os.path.exists(summary.graph_jsonl):
            os.remove(summary.graph_jsonl)
        t = time.perf_counter()
        log(f"unspun.spark: {name} ...")
        _describe(spark, f"unspun.spark {name}")
        build()
        _describe(spark, None)
        summary.seconds[name] = round(time.perf_counter() - t, 3)
        log(f"unspun.spark: {name}: {summary.seconds[name]:.1f} s")

    def read(name: str):
        return spark.read.parquet(path(name))

    def schema_of(ddl: str) -> pa.Schema:
        from pyspark.sql.pandas.types import to_arrow_schema
        from pyspark.sql.types import _parse_datatype_string

        return to_arrow_schema(_parse_datatype_string(ddl))

    # 1. articles
    def articles() -> None:
        raw = (
            spark.read.text(inputs)
            .withColumn("file", F.input_file_name())
            .withColumn("pos", F.monotonically_increasing_id())
        )
        raw = raw.withColumn("line", F.row_number().over(Window.partitionBy("file").orderBy("pos")))
        # Keys: the files in the order given, then their lines.
        order = {os.path.abspath(p): i for i, p in enumerate(inputs)}

        def rank(f: str) -> int:
            local = _local(f)
            for p, i in order.items():
                if local == p or local.startswith(p.rstrip("/") + "/"):
                    return i
            return len(order)

        sizes = {r["file"]: r["n"] for r in raw.groupBy("file").agg(F.max("line").alias("n")).collect()}
        offsets, total = {}, 0
        for f in sorted(sizes, key=lambda f: (rank(f), f)):
            offsets[f] = total
            total += sizes[f]
        offset_df = spark.createDataFrame([(f, o) for f, o in offsets.items()], "file string, offset long")
        lines = (
            raw.join(F.broadcast(offset_df), "file")
            .withColumn("key", F.col("offset") + F.col("line"))
            .where(F.trim(F.col("value")) != "")
            .select("key", F.col("value").alias("line"), "file", F.col("line").alias("lineno"))
        )
        ddl = (
            "key long, id string, record string, date string, source string, title string, "
            "sentences int, error string"
        )
        parsed = lines.select("key", "line").mapInArrow(_map("parse", models, None, schema_of(ddl)), ddl)
        parsed = parsed.join(lines.select("key", "file", "lineno"), "key")
        first = Window.partitionBy("id").orderBy("key")
        parsed = parsed.withColumn(
            "error",
            F.when(F.col("error").isNotNull(), F.col("error")).otherwise(
                F.when(F.row_number().over(first) > 1, F.lit("an earlier record has this id"))
            ),
        )
        parsed.write.parquet(path("articles"))

    stage("articles", articles)
    art_all = read("articles")
    errors = art_all.where(F.col("error").isNotNull())
    summary.errors = errors.count()
    if summary.errors:
        with open(path("errors.jsonl"), "w", encoding="utf-8") as out:
            for r in errors.orderBy("key").select("file", "lineno", "id", "error").toLocalIterator():
                where = _local(r["file"])
                out.write(json.dumps({"file": where, "line": r["lineno"], "id": r["id"], "error": r["error"]}) + "\n")
        log(f"unspun.spark: {summary.errors} bad record(s), listed in {path('errors.jsonl')}")
    art = art_all.where(F.col("error").isNull()).drop("error")
    summary.articles = art.count()
    if until == "articles":
        return summary

    # 2. fingerprints
    def fingerprints() -> None:
        ddl = (
            "key long, terms array<string>, tfs array<int>, length int, bands array<long>, "
            "shapes array<long>, fillers array<long>"
        )
        art.select("key", "record").mapInArrow(
            _map("fingerprint", models, None, schema_of(ddl)), ddl
        ).write.parquet(path("fingerprints"))

    stage("fingerprints", fingerprints)
    if until == "fingerprints":
        return summary
    fp = read("fingerprints")
    postings = fp.select("key", F.explode(F.arrays_zip("terms", "tfs")).alias("p")).select(
        "key", F.col("p.terms").alias("term"), F.col("p.tfs").alias("tf")
    )

    # 3. statistics and weighted queries
    def stats() -> None:
        agg = fp.agg(F.count("*").alias("docs"), F.sum("length").alias("tokens"), F.max("key").alias("max_key")).first()
        df = postings.groupBy("term").agg(F.count("*").alias("df"))
        df.write.parquet(path("stats"))
        terms, dfs = [], []
        for r in spark.read.parquet(path("stats")).toLocalIterator():
            terms.append(r["term"])
            dfs.append(r["df"])
        # Sentence shapes the corpus fills two or more ways, with up to
        # three fillers each: how the store tells a genre's frame.
        shapes = (
            fp.select(F.explode(F.arrays_zip("shapes", "fillers")).alias("s"))
            .select(F.col("s.shapes").alias("shape"), F.col("s.fillers").alias("filler"))
            .distinct()
            .groupBy("shape")
            .agg(F.slice(F.sort_array(F.collect_list("filler")), 1, 3).alias("fillers"), F.count("*").alias("n"))
            .where(F.col("n") >= 2)
        )
        frame_shapes, frame_fillers = [], []
        for r in shapes.toLocalIterator():
            frame_shapes.append(r["shape"])
            frame_fillers.append(list(r["fillers"]))
        text = _unspun.spark_stats_json(
            agg["docs"], agg["tokens"] or 0, agg["max_key"], terms, dfs, frame_shapes, frame_fillers
        )
        tmp = stats_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, stats_path)

    stage("stats", stats)
    if until == "stats":
        return summary

    def queries() -> None:
        ddl = "key long, qterms array<string>, qweights array<float>"
        fp.select("key", "terms", "tfs").mapInArrow(
            _map("queries", models, stats_path, schema_of(ddl)), ddl
        ).write.parquet(path("queries"))

    stage("queries", queries)
    if until == "queries":
        return summary

    # 4. candidates
    def candidates() -> None:
        df = spark.read.parquet(path("stats"))
        if bucket_cap is not None:
            df = df.where(F.col("df") <= bucket_cap)
        q = read("queries")
        qt = q.select(F.col("key").alias("x"), F.explode("qterms").alias("term")).join(df.select("term"), "term")
        shared = qt.join(postings.withColumnRenamed("key", "y"), "term").where(F.col("x") != F.col("y"))
        tf = shared.groupBy("x", "y").agg(F.map_from_entries(F.collect_list(F.struct("term", "tf"))).alias("tf"))
        bk = fp.select("key", F.explode(F.array_distinct("bands")).alias("band"))
        if bucket_cap is not None:
            small = bk.groupBy("band").agg(F.count("*").alias("n")).where(F.col("n") <= bucket_cap)
            bk = bk.join(small.select("band"), "band")
        bands = (
            bk.withColumnRenamed("key", "x")
            .join(bk.withColumnRenamed("key", "y"), "band")
            .where(F.col("x") != F.col("y"))
            .groupBy("x", "y")
            .agg(F.count("*").alias("bands"))
        )
        info = fp.select(F.col("key").alias("y"), "length").join(
            art.select(F.col("key").alias("y"), "date", "source"), "y"
        )
        pool = (
            tf.join(bands, ["x", "y"], "full_outer")
            .join(info, "y")
            .groupBy("x")
            .agg(
                F.to_json(
                    F.collect_list(
                        F.struct(F.col("y").alias("key"), "length", "date", "source", "tf", "bands")
                    )
                ).alias("pool")
            )
        )
        rows = q.join(pool.withColumnRenamed("x", "key"), "key", "left")
        ddl = "key long, candidates array<long>"
        rows.mapInArrow(_map("candidates", models, stats_path, schema_of(ddl)), ddl).select(
            F.col("key").alias("x"), F.explode("candidates").alias("y")
        ).write.parquet(path("candidates"))

    stage("candidates", candidates)
    if until == "candidates":
        return summary

    # 5. pairs
    def pairs() -> None:
        c = read("candidates")
        unordered = (
            c.select(
                F.least("x", "y").alias("a"),
                F.greatest("x", "y").alias("b"),
                (F.col("x") < F.col("y")).alias("a_sees_b"),
                (F.col("x") > F.col("y")).alias("b_sees_a"),
            )
            .groupBy("a", "b")
            .agg(F.max("a_sees_b").alias("a_sees_b"), F.max("b_sees_a").alias("b_sees_a"))
        )
        rec = art.select("key", "record")
        rows = unordered.join(
            rec.select(F.col("key").alias("a"), F.col("record").alias("a_record")), "a"
        ).join(rec.select(F.col("key").alias("b"), F.col("record").alias("b_record")), "b")
        rows = rows.select("a", "a_record", "b", "b_record", "a_sees_b", "b_sees_a")
        ddl = "a long, b long, views string, changes string"
        rows.mapInArrow(_map("judge", models, stats_path, schema_of(ddl)), ddl).where(
            F.col("views") != "[]"
        ).write.parquet(path("pairs"))

    stage("pairs", pairs)
    if until == "pairs":
        return summary
    judged = read("pairs")
    summary.pairs = judged.count()

    # 6. connected components (label propagation, each round written out)
    def components() -> None:
        links = judged.select("a", "b")
        both = links.union(links.select(F.col("b").alias("a"), F.col("a").alias("b")))
        labels = both.groupBy("a").agg(F.least(F.min("b"), F.first("a")).alias("label")).withColumnRenamed("a", "key")
        work = path("components.work")
        rounds = 0
        current = f"{work}/0"
        labels.write.parquet(current)
        while True:
            rounds += 1
            if rounds > MAX_COMPONENT_ROUNDS:
                raise RuntimeError(f"components did not settle in {MAX_COMPONENT_ROUNDS} rounds")
            lab = spark.read.parquet(current)
            spread = both.join(lab.withColumnRenamed("key", "a"), "a").groupBy("b").agg(F.min("label").alias("l2"))
            nxt = (
                lab.join(spread.withColumnRenamed("b", "key"), "key", "left")
                .select("key", F.least("label", F.coalesce("l2", "label")).alias("label"))
            )
            out = f"{work}/{rounds}"
            nxt.write.parquet(out)
            changed = (
                spark.read.parquet(out)
                .join(lab.withColumnRenamed("label", "old"), "key")
                .where(F.col("label") != F.col("old"))
                .limit(1)
                .count()
            )
            current = out
            if not changed:
                break
        spark.read.parquet(current).withColumnRenamed("label", "component").write.parquet(path("components"))
        with open(path("components.rounds"), "w") as f:
            f.write(str(rounds))
        shutil.rmtree(work, ignore_errors=True)

    stage("components", components)
    if until == "components":
        return summary
    try:
        with open(path("components.rounds")) as f:
            summary.component_rounds = int(f.read())
    except OSError:
        pass
    comp = read("components")

    # 7. graph
    def graph() -> None:
        nodes = art.join(comp, "key").select(
            "component",
            F.lit("node").alias("kind"),
            F.to_json(
                F.struct(
                    "id", "date", "source", "title", "sentences", F.lit(1).alias("revision")
                )
            ).alias("json"),
        )
        with_comp = judged.join(comp.withColumnRenamed("key", "a"), "a")
        views = with_comp.select("component", F.lit("views").alias("kind"), F.col("views").alias("json"))
        changes = with_comp.where(F.col("changes") != "[]").select(
            "component", F.lit("changes").alias("kind"), F.col("changes").alias("json")
        )
        rows = nodes.union(views).union(changes)
        ddl = "kind string, k1 string, k2 string, size long, line string"
        schema = schema_of(ddl)

        def derive(table: pa.Table) -> pa.Table:
            b = table.select(["kind", "json"]).combine_chunks().to_batches()
            batch = b[0] if b else pa.RecordBatch.from_pydict({"kind": [], "json": []})
            return pa.Table.from_batches([_conform(_unspun.spark_derive_component(batch), schema)])

        rows.groupBy("component").applyInArrow(derive, ddl).write.parquet(path("graph"))

    stage("graph", graph)
    if until == "graph":
        return summary
    g = read("graph")

    # 8. the graph as typed tables (unspun.read_graph loads them back)
    def table(kind: str):
        def build() -> None:
            rows = g.where(F.col("kind") == kind)
            if kind == "cluster":
                # Clusters numbered across components as `unspun graph`
                # numbers them: by size, largest first, then original.
                lines = (
                    rows.withColumn("number", F.row_number().over(Window.orderBy(F.col("size").desc(), F.col("k1"))))
                    .select("line", "number")
                    .mapInArrow(_cluster_lines, "line string")
                )
            else:
                lines = rows.select("line")
            typed = lines.select(F.from_json("line", _TABLE_COLUMNS[kind]).alias("t"), F.col("line").alias("json"))
            typed.select("t.*", "json").orderBy(*_TABLE_KEYS[kind]).write.parquet(path(TABLES[kind]))

        return build

    for kind, name in TABLES.items():
        stage(name, table(kind))
    summary.edges = read("edges").count()
    summary.clusters = read("clusters").count()
    if not os.path.exists(summary.graph_jsonl):
        _write_jsonl({kind: read(name) for kind, name in TABLES.items()}, summary.graph_jsonl)
    with open(path("summary.json"), "w", encoding="utf-8") as out:
        json.dump(summary.to_dict(), out, indent=2)
    log(
        f"unspun.spark: {summary.articles} articles, {summary.errors} bad, {summary.pairs} pairs judged, "
        f"{summary.edges} edges, {summary.clusters} clusters; {summary.graph_jsonl}"
    )
    return summary


def _cluster_lines(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Cluster lines with their final numbers (a mapInArrow function)."""
    for b in batches:
        if b.num_rows:
            yield _unspun.spark_cluster_lines(b)


def _write_jsonl(tables: Dict[str, object], target: str) -> None:
    """graph.jsonl from the output tables (by kind of line), in the order
    `unspun graph --jsonl` writes: edges by derived then source, related
    pairs by a then b, clusters by number."""
    tmp = target + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        for kind, df in tables.items():
            keys = _TABLE_KEYS[kind]
            for r in df.select(*keys, "json").orderBy(*keys).toLocalIterator():
                out.write(r["json"] + "\n")
    os.replace(tmp, target)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m unspun.spark INPUT... --output DIR [--models DIR]``."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m unspun.spark", description=__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="+", help="JSON Lines files of articles")
    p.add_argument("--output", required=True, help="output directory (stages already there are skipped)")
    p.add_argument("--models", help="models directory (static model and WordNet); lexical without")
    p.add_argument("--master", default=None, help="Spark master, e.g. local[2] (default: spark-submit's)")
    p.add_argument("--bucket-cap", type=int, default=DEFAULT_BUCKET_CAP,
                   help="leave out of the candidate pools terms held by more articles (0: no cap)")
    a = p.parse_args(argv)
    from pyspark.sql import SparkSession

    b = SparkSession.builder.appName("unspun-graph")
    if a.master:
        b = b.master(a.master)
    spark = b.getOrCreate()
    s = run(spark, a.inputs, a.output, models=a.models, bucket_cap=a.bucket_cap or None)
    return 1 if s.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
