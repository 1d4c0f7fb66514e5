"""unspun: find where a news story really came from.

    >>> import unspun
    >>> store = unspun.Store("unspun-data")
    >>> store.ingest([{"id": "wire-1", "text": "...", "date": "2025-04-26", "source": "Reuters"}])
    >>> trace = store.trace("rewrite-1")          # a stored id, or store.trace(text="...")
    >>> trace.sources[0].id, trace.sources[0].relation
    >>> trace.to_dict()                            # the JSON of `unspun trace --json`
    >>> unspun.compare(original_text, rewritten_text).sources[0].changes

Every result carries the JSON contract of the command line (`to_dict()`),
and its fields are attributes. The engine runs with the GIL released, so
threads trace in parallel.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Mapping, Optional, Union

from ._unspun import UnspunError, __version__, _Store, compare_json

__all__ = ["Store", "Trace", "Graph", "IngestResult", "compare", "read_graph", "UnspunError", "__version__"]


class _Record:
    """A JSON object whose fields are attributes (nested objects too)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]):
        self._data = dict(data)

    def __getattr__(self, name: str) -> Any:
        try:
            return _wrap(self._data[name])
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return _wrap(self._data[name])

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def keys(self):
        return self._data.keys()

    def to_dict(self) -> dict:
        """The object as plain JSON data (dicts, lists, strings, numbers)."""
        return json.loads(json.dumps(self._data))

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in list(self._data.items())[:4])
        return f"{type(self).__name__}({fields}{', ...' if len(self._data) > 4 else ''})"


def _wrap(v: Any) -> Any:
    if isinstance(v, dict):
        return _Record(v)
    if isinstance(v, list):
        return [_wrap(x) for x in v]
    return v


class Trace(_Record):
    """Where an article came from: `article`, `sentences`, `sources` (each
    with `relation`, `coverage`, `original`, `alignments`, `changes`),
    `new`, `dropped`. `to_dict()` is the JSON of `unspun trace --json`."""

    def to_json(self) -> str:
        return json.dumps(self._data, ensure_ascii=False)


class Graph(_Record):
    """The derivation graph: `articles`, `edges` (who derives from whom,
    with relation, coverage, direction, credit and change counts),
    `related`, `clusters`."""


class IngestResult(_Record):
    """What an ingest did: `stored`, `unchanged`, `replaced`, `conflicts`,
    and `conflicting_ids` (ids stored before with other content, kept)."""


def _records(records: Union[Iterable[Mapping[str, Any]], Any]) -> list:
    # A pyarrow Table or RecordBatch, or a pandas DataFrame, gives its rows.
    if hasattr(records, "to_pylist"):
        records = records.to_pylist()
    elif hasattr(records, "to_dict") and hasattr(records, "columns"):
        records = records.to_dict(orient="records")
    out = []
    for i, r in enumerate(records):
        if not isinstance(r, Mapping):
            raise ValueError(f"record {i}: not a mapping (a dict with id and text)")
        out.append({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()})
    return out


def _ROWS_SCHEMA(pa):
    return pa.schema([
        ("article", pa.string()), ("source", pa.string()), ("relation", pa.string()),
        ("coverage", pa.float32()), ("source_coverage", pa.float32()), ("original", pa.string()),
        ("direction_certain", pa.bool_()), ("credited", pa.bool_()), ("changes", pa.int32()),
        ("major_changes", pa.int32()), ("error", pa.string()),
    ])


class Store:
    """A store of articles on disk (created if missing), with the engine
    over it.

    `models`: the directory `scripts/setup.sh` fills (the static embedding
    model and WordNet), as `unspun trace --models`; without it, traces are
    lexical (the seeds' answer is the same). Defaults to `$UNSPUN_MODELS`.
    """

    def __init__(self, path: Union[str, os.PathLike], models: Optional[Union[str, os.PathLike]] = None):
        models = models if models is not None else os.environ.get("UNSPUN_MODELS")
        self.path = os.fspath(path)
        self._store = _Store(self.path, os.fspath(models) if models else None)

    def ingest(self, records) -> IngestResult:
        """Stores articles: an iterable of dicts with `id` and `text` and
        optional `date` (YYYY-MM-DD), `source`, `title`, `url`; or a pyarrow
        Table / RecordBatch or pandas DataFrame with those columns. One
        atomic batch: a bad record raises ValueError naming it, and nothing
        is stored."""
        return IngestResult(json.loads(self._store.ingest_json(json.dumps(_records(records)))))

    def trace(self, id: Optional[str] = None, *, text: Optional[str] = None, date: Optional[str] = None,
              source: Optional[str] = None, title: Optional[str] = None) -> Trace:
        """Traces a stored article by `id`, or a `text` that is not stored
        (with its optional date, outlet and headline)."""
        if text is None:
            if id is None:
                raise ValueError("give the id of a stored article, or text=")
            return Trace(json.loads(self._store.trace_id(str(id))))
        record = {"id": id, "text": text, "date": date, "source": source, "title": title}
        return Trace(json.loads(self._store.trace_text(json.dumps(record))))

    def trace_batch(self, ids):
        """Traces many stored articles, in parallel on every core with the
        GIL released, and returns a `pyarrow.RecordBatch` with one row per
        (article, source) pair: `article`, `source`, `relation`, `coverage`,
        `source_coverage`, `original`, `direction_certain`, `credited`
        (null when the source's outlet is unknown), `changes`,
        `major_changes`, `error`. `ids` is any iterable of ids, or a pyarrow
        Array, Table or RecordBatch (its `id` column). An id that does not
        trace gives one row with its `error`; the others go on."""
        import pyarrow as pa

        if hasattr(ids, "column") and hasattr(ids, "schema"):
            ids = ids.column("id")
        if hasattr(ids, "to_pylist"):
            ids = ids.to_pylist()
        rows = json.loads(self._store.trace_rows_json([str(i) for i in ids]))
        return pa.RecordBatch.from_pylist(rows, schema=_ROWS_SCHEMA(pa))

    def graph(self) -> Graph:
        """The derivation graph of the whole store, brought up to date and
        saved as `unspun graph` does (only new or changed articles are
        traced again)."""
        return Graph(json.loads(self._store.graph_json()))

    def __repr__(self) -> str:
        return f"Store({self.path!r})"


# The tables of a graph read back, their keys (the order `unspun graph
# --jsonl` writes them in), and the JSON Lines `type` of each.
_GRAPH_TABLES = (("edges", "edge", ("derived", "source")), ("related", "related", ("a", "b")),
                 ("clusters", "cluster", ("cluster",)))


def read_graph(path: Union[str, os.PathLike]) -> Graph:
    """Loads a derivation graph written elsewhere: the output directory of
    the Spark job (`unspun.spark`; its `edges`, `related` and `clusters`
    Parquet tables), or a JSON Lines file as `unspun graph --jsonl` and the
    Spark job write it. The `Graph` has `edges`, `related` and `clusters`,
    each a list of the JSON Lines objects (without their `type`), in the
    order `unspun graph --jsonl` writes them. For tables too big to load
    whole, read the Parquet directly: the same fields are typed columns
    there, and `json` holds each whole line."""
    p = os.fspath(path)
    parts: dict = {name: [] for name, _, _ in _GRAPH_TABLES}
    if os.path.isdir(p):
        try:
            import pyarrow.parquet as pq
        except ImportError as e:
            raise ImportError(
                f"{p}: reading Parquet tables needs pyarrow (pip install 'unspun[arrow]')"
            ) from e

        for name, _, keys in _GRAPH_TABLES:
            d = os.path.join(p, name)
            if not os.path.exists(os.path.join(d, "_SUCCESS")):
                raise FileNotFoundError(f"{d}: no finished `{name}` table (did the Spark job run to its end?)")
            t = pq.read_table(d, columns=["json", *keys]).sort_by([(k, "ascending") for k in keys])
            parts[name] = [json.loads(line) for line in t.column("json").to_pylist()]
    else:
        kinds = {kind: name for name, kind, _ in _GRAPH_TABLES}
        with open(p, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    o = json.loads(line)
                except json.JSONDecodeError as e:
                    raise ValueError(f"{p}:{n}: not JSON: {e}") from None
                if not isinstance(o, dict) or o.get("type") not in kinds:
                    raise ValueError(f"{p}:{n}: not a graph line (its `type` is not edge, related or cluster)")
                parts[kinds[o["type"]]].append(o)
    for lines in parts.values():
        for o in lines:
            o.pop("type", None)
    return Graph(parts)


def compare(a: str, b: str) -> Trace:
    """Compares two texts with no store: `a` is taken for the original and
    `b` traced against it. `compare(a, b).sources` is empty when `b` does
    not reuse `a`; else its one source has the relation, the aligned
    sentences and what `b` changed."""
    return Trace(json.loads(compare_json(a, b)))
