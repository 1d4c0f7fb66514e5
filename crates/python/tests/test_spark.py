"""The Spark job (`unspun.spark`) on real text, on `local[2]`: its graph
equals the graph `unspun graph` builds of the same records, byte for byte;
a run resumes from the stages already written; bad records are listed with
their file and line while the rest go on."""

import json
import os
import pathlib
import sys

import pytest

import unspun
import unspun.spark

REPO = pathlib.Path(__file__).resolve().parents[3]
DATA = REPO.parent / "shared" / "data"
MODELS = REPO / "models"
# Per domain, the first FAMILIES l2r-dev human texts with two LLM rewrites
# each (dated a day later), and the first BBC_PER_CATEGORY stories of each
# BBC category: about 2,000 real texts with copies, rewrites, sibling
# rewrites, same-topic reports and unrelated stories.
FAMILIES = 150
BBC_PER_CATEGORY = 220


def corpus_records():
    assert DATA.is_dir(), f"{DATA} missing: the tests need ../shared/data"
    out = []
    for dom in ["Sports", "Environmental"]:
        root = DATA / "l2r-dev" / dom
        human = json.loads((root / "human.json").read_text())
        rewrites = {m: json.loads((root / f"{m}.json").read_text()) for m in ["GPT-4o", "Llama-3-70B"]}
        for i, h in enumerate(human[:FAMILIES]):
            if len(h.split()) < 15:
                continue
            out.append({"id": f"{dom}-{i}-human", "text": h, "date": "2024-05-01", "source": "human"})
            for m, texts in rewrites.items():
                if i < len(texts) and len(texts[i].split()) >= 15:
                    out.append({"id": f"{dom}-{i}-{m}", "text": texts[i], "date": "2024-05-02", "source": m})
    for cat in sorted(p for p in (DATA / "bbc-news-2225" / "bbc").iterdir() if p.is_dir()):
        for f in sorted(cat.glob("*.txt"))[:BBC_PER_CATEGORY]:
            title, _, body = f.read_bytes().decode("latin-1").partition("\n")
            out.append({"id": f"bbc-{cat.name}-{f.stem}", "text": body.strip(), "title": title.strip()})
    return out


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    s = (
        SparkSession.builder.master("local[2]")
        .appName("unspun-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The corpus as JSON Lines, with two bad lines the job must list and
    skip: one not JSON, one repeating an id."""
    records = corpus_records()
    assert len(records) > 1500
    d = tmp_path_factory.mktemp("corpus")
    path = d / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i, r in enumerate(records):
            f.write(json.dumps(r) + "\n")
            if i == 10:
                f.write("{not json\n")
            if i == 20:
                f.write(json.dumps({"id": records[0]["id"], "text": "A second record with the first id."}) + "\n")
    return path, records


@pytest.fixture(scope="module")
def job(spark, corpus, tmp_path_factory):
    path, _ = corpus
    out = tmp_path_factory.mktemp("spark") / "out"
    logs = []
    # No bucket capped: the job must then equal unspun graph exactly.
    summary = unspun.spark.run(spark, [str(path)], str(out), models=str(MODELS), bucket_cap=None, log=logs.append)
    return summary, logs


def test_graph_equals_unspun_graph(job, corpus, tmp_path):
    summary, _ = job
    _, records = corpus
    store = unspun.Store(tmp_path / "store", models=MODELS)
    store.ingest(records)
    expected = store._store.graph_jsonl()
    got = pathlib.Path(summary.graph_jsonl).read_text()
    # Not an empty agreement: the corpus has edges and stories of all kinds.
    kinds = [json.loads(line)["type"] for line in expected.splitlines()]
    assert kinds.count("edge") > 300 and kinds.count("related") > 10 and kinds.count("cluster") > 100
    assert got == expected


def test_the_tables_load_back_as_the_graph(job):
    """The Parquet output loads back (`unspun.read_graph`) as the graph the
    JSON Lines hold, and its typed columns say what the lines say."""
    import pyarrow.parquet as pq

    summary, _ = job
    tables = unspun.read_graph(summary.output).to_dict()
    assert tables == unspun.read_graph(summary.graph_jsonl).to_dict()
    assert len(tables["edges"]) == summary.edges > 300
    assert len(tables["clusters"]) == summary.clusters > 100
    edges = pq.read_table(os.path.join(summary.output, "edges")).sort_by([("derived", "ascending"), ("source", "ascending")])
    for col in ["derived", "source", "relation", "coverage", "changes", "credited", "via"]:
        assert edges.column(col).to_pylist() == [e[col] for e in tables["edges"]], col
    clusters = pq.read_table(os.path.join(summary.output, "clusters")).sort_by("cluster")
    assert clusters.column("cluster").to_pylist() == list(range(1, summary.clusters + 1))
    assert clusters.column("members").to_pylist() == [c["members"] for c in tables["clusters"]]


def test_read_graph_names_a_bad_line_and_a_missing_table(tmp_path):
    bad = tmp_path / "graph.jsonl"
    bad.write_text('{"type": "related", "a": "x", "b": "y", "score": 0.1}\n{"type": "edge"\n')
    with pytest.raises(ValueError, match=r"graph.jsonl:2: not JSON"):
        unspun.read_graph(bad)
    bad.write_text('{"type": "story"}\n')
    with pytest.raises(ValueError, match=r"graph.jsonl:1: not a graph line"):
        unspun.read_graph(bad)
    with pytest.raises(FileNotFoundError, match="no finished `edges` table"):
        unspun.read_graph(tmp_path)


def test_bad_records_are_listed_with_file_and_line(job, corpus):
    summary, _ = job
    path, records = corpus
    assert summary.articles == len(records)
    assert summary.errors == 2
    errors = [json.loads(line) for line in open(os.path.join(summary.output, "errors.jsonl"))]
    assert [(e["file"], e["line"]) for e in errors] == [(str(path), 12), (str(path), 23)]
    assert errors[0]["error"].startswith("not JSON")
    assert errors[1]["error"] == "an earlier record has this id" and errors[1]["id"] == records[0]["id"]


def test_a_run_resumes_from_the_stages_written(spark, job, corpus):
    summary, _ = job
    path, _ = corpus
    before = pathlib.Path(summary.graph_jsonl).read_text()
    # A run that stopped after the pairs: its later stages are gone.
    import shutil

    shutil.rmtree(os.path.join(summary.output, "components"))
    logs = []
    again = unspun.spark.run(spark, [str(path)], summary.output, models=str(MODELS), bucket_cap=None, log=logs.append)
    assert again.skipped == ["articles", "fingerprints", "stats", "queries", "candidates", "pairs"]
    # The stages after the one built again are built again too, never
    # taken from the earlier run.
    assert set(again.seconds) == {"components", "graph", "edges", "related", "clusters"}
    assert pathlib.Path(again.graph_jsonl).read_text() == before


def test_missing_input_is_a_clear_error(spark, tmp_path):
    with pytest.raises(FileNotFoundError, match="nothere.jsonl"):
        unspun.spark.run(spark, [str(tmp_path / "nothere.jsonl")], str(tmp_path / "out"))


def test_capped_buckets_stay_close_to_the_exact_graph(spark, job, corpus, tmp_path):
    """Where the bucket cap binds, the pools miss pairs that share only
    common terms; the edges must stay nearly all the same."""
    import shutil

    summary, _ = job
    path, _ = corpus
    out = tmp_path / "capped"
    out.mkdir()
    # The stages before the candidates do not depend on the cap.
    for name in ["articles", "fingerprints", "stats", "queries"]:
        shutil.copytree(os.path.join(summary.output, name), out / name)
    shutil.copy(os.path.join(summary.output, "stats.json"), out / "stats.json")
    capped = unspun.spark.run(spark, [str(path)], str(out), models=str(MODELS), bucket_cap=50, log=lambda m: None)
    assert capped.skipped == ["articles", "fingerprints", "stats", "queries"]

    def edges(p):
        return {
            (o["derived"], o["source"])
            for o in map(json.loads, open(p, encoding="utf-8"))
            if o["type"] == "edge"
        }

    exact, near = edges(summary.graph_jsonl), edges(capped.graph_jsonl)
    assert near != exact, "a cap of 50 binds on this corpus; the test would show nothing"
    assert len(exact & near) >= 0.9 * len(exact)
    assert len(exact & near) >= 0.9 * len(near)


def test_the_command_exits_1_on_bad_records(spark, tmp_path):
    src = tmp_path / "few.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "The council approved the budget on Monday after a long debate."}) + "\n"
        + '{"id": "b"}\n'
    )
    out = tmp_path / "out"
    assert unspun.spark.main([str(src), "--output", str(out)]) == 1
    errors = [json.loads(line) for line in open(out / "errors.jsonl")]
    assert errors == [{"file": str(src), "line": 2, "id": None, "error": "`text` is missing or blank"}]
    assert (out / "graph.jsonl").exists()
