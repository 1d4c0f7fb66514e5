"""The Python package on the seeds: the README's answer, bad input, the
JSON contract, compare, the graph, pyarrow rows and the GIL released."""

import json
import pathlib
import subprocess
import threading
import time

import pytest

import unspun

REPO = pathlib.Path(__file__).resolve().parents[3]
SEEDS = REPO / "examples" / "seeds"
REWRITE = "000_8f16aa07f174a1e7"
REUTERS = "003_741671edce2820d1"


def seed(stem):
    """A seed as `unspun ingest` reads it: `date YYYY-MM-DD [Source: X]`
    on the first line, then the text."""
    raw = (SEEDS / f"{stem}.txt").read_text()
    first, _, text = raw.partition("\n")
    record = {"id": stem, "text": text.strip()}
    parts = first.split()
    if parts and parts[0] == "date":
        record["date"] = parts[1]
    if "[Source:" in first:
        record["source"] = first.split("[Source:")[1].split("]")[0].strip()
    return record


@pytest.fixture()
def store(tmp_path):
    s = unspun.Store(tmp_path / "store")
    result = s.ingest([seed(REUTERS), seed(REWRITE)])
    assert result.stored == 2
    return s


def test_the_seed_rewrite_traces_to_its_reuters_source(store):
    trace = store.trace(REWRITE)
    top = trace.sources[0]
    assert top.id == REUTERS
    assert top.source == "Reuters"
    assert top.relation == "rewrite"
    assert top.original == REUTERS
    kinds = [c.type for a in top.alignments for c in a.changes] + [c.type for c in top.changes]
    assert kinds.count("quote_altered") == 3
    assert "attribution_missing" in kinds
    assert "sentence_dropped" in kinds
    assert any(c.type == "place_generalised" and "Kyiv" in c.detail for a in top.alignments for c in a.changes)


def test_the_json_is_the_command_lines(store, tmp_path):
    """to_dict() is what `unspun trace --json` prints for the same store."""
    binary = REPO / "target" / "debug" / "unspun"
    if not binary.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "unspun-cli"], cwd=REPO, check=True)
    out = subprocess.run(
        [str(binary), "trace", "--id", REWRITE, "--json", "--store", store.path, "--model", "lexical"],
        capture_output=True, text=True, check=True,
    ).stdout
    cli = json.loads(out)
    ours = store.trace(REWRITE).to_dict()
    assert ours["sources"] == cli["sources"]
    assert ours["sentences"] == cli["sentences"]


def test_a_text_that_is_not_stored(store):
    text = seed(REWRITE)["text"]
    trace = store.trace(text=text, date="2025-04-26")
    assert trace.article.id == "(submitted)"
    assert trace.sources[0].relation in ("copy", "rewrite")


def test_bad_input_raises_a_clear_error(tmp_path, store):
    s = unspun.Store(tmp_path / "other")
    with pytest.raises(ValueError, match=r"record 1: `text`"):
        s.ingest([{"id": "a", "text": "Alpha."}, {"id": "b"}])
    with pytest.raises(ValueError, match="record 0: `date`"):
        s.ingest([{"id": "a", "text": "Alpha.", "date": "26/04/2025"}])
    with pytest.raises(ValueError, match="no article with id"):
        store.trace("nope")
    with pytest.raises(ValueError, match="give the id"):
        store.trace()
    with pytest.raises(ValueError, match="b is blank"):
        unspun.compare("Some text.", "  ")
    # Nothing of the failed batch was stored.
    with pytest.raises(ValueError):
        s.trace("a")


def test_compare_two_texts_without_a_store():
    a, b = seed(REUTERS)["text"], seed(REWRITE)["text"]
    trace = unspun.compare(a, b)
    assert trace.sources[0].relation == "rewrite"
    assert trace.sources[0].original == "a"
    assert unspun.compare(a, "Completely unrelated words about gardening tomatoes.").sources == []


def test_the_graph(store):
    graph = store.graph()
    edges = [e for e in graph.edges if e.derived == REWRITE]
    assert len(edges) == 1
    assert edges[0].source == REUTERS
    assert edges[0].credited is False


def test_pyarrow_rows_are_read():
    import tempfile

    import pyarrow as pa  # pinned in scripts/python-check.sh

    with tempfile.TemporaryDirectory() as d:
        s = unspun.Store(d)
        table = pa.Table.from_pylist([seed(REUTERS), seed(REWRITE)])
        assert s.ingest(table).stored == 2
        assert s.trace(REWRITE).sources[0].id == REUTERS


def test_many_traces_come_back_as_an_arrow_batch(store):
    import pyarrow as pa

    batch = store.trace_batch([REWRITE, REUTERS, "not-stored"])
    assert isinstance(batch, pa.RecordBatch)
    rows = batch.to_pylist()
    pair = [r for r in rows if r["article"] == REWRITE and r["source"] == REUTERS]
    assert len(pair) == 1
    assert pair[0]["relation"] == "rewrite"
    assert pair[0]["credited"] is False
    assert pair[0]["changes"] > 10
    bad = [r for r in rows if r["article"] == "not-stored"]
    assert len(bad) == 1 and "not-stored" in bad[0]["error"]
    # An Arrow table's id column works too.
    again = store.trace_batch(pa.table({"id": [REWRITE]}))
    assert again.num_rows == len([r for r in rows if r["article"] == REWRITE])


def test_the_gil_is_released_while_tracing(store):
    """A Python thread keeps running while another thread traces."""
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.0005)

    t = threading.Thread(target=tick)
    t.start()
    try:
        start = time.perf_counter()
        for _ in range(20):
            store.trace(REWRITE)
        end = time.perf_counter()
    finally:
        stop.set()
        t.join()
    during = [x for x in ticks if start < x < end]
    # Holding the GIL through 20 traces would let the ticker run only
    # between calls; released, it ticks all along.
    assert len(during) > 20, (len(during), end - start)
