#!/usr/bin/env python3
"""Python peers of unspun's scale benchmark: datasketch, rensa, sentence-transformers.

What
    Runs the usual Python tools for finding derived news articles on a corpus
    in the scale benchmark's format and measures speed, memory and quality
    against the corpus's ground truth:

        CORPUS/articles.jsonl  {"id", "date", "source", "title", "text"} per line
        CORPUS/truth.jsonl     {"id", "kind", "parents", "original",
                                "generation", "credited"} per derived article

    * datasketch ``MinHash`` + ``MinHashLSH`` and rensa ``RMinHash`` +
      ``RMinHashLSH``, 128 permutations by default, at each threshold of
      ``--thresholds`` (default 0.5 and 0.8);
    * optionally sentence-transformers (all-MiniLM-L6-v2 from local files,
      ``--st-model``) with encode + cosine on a sample of derived articles.

How
    Shingling, the same for both MinHash peers: the article ``text`` (not the
    title) is lower-cased, tokenised with Python's ``re.findall(r"\\w+")``
    (Unicode word characters), and every run of 5 consecutive tokens joined by
    one space is a shingle; a text of fewer than 5 tokens gives one shingle of
    all its tokens; duplicates are removed (first occurrence order). datasketch
    gets the shingles UTF-8 encoded (its default SHA-1 hash needs bytes);
    rensa gets the str. Seeds are fixed (``--seed``, default 1), so runs are
    deterministic.

    Each MinHash peer runs in its own child process (so that its memory is its
    own) that streams the corpus in chunks: JSON parsing (``read_s``, not
    counted), shingling (``shingle_s``, shared Python code, reported apart),
    MinHash computation with the peer's bulk/idiomatic API (``minhash_s``:
    ``MinHash.generator`` for datasketch, ``RMinHash(...).update`` per article
    for rensa). Then for each LSH configuration an index of ALL articles is
    built (``insert_s``) and every derived article (or ``--limit-queries`` of
    them, a seeded sample) is queried once, each query timed alone.
    ``build_s = minhash_s + insert_s`` and ``docs_per_s = articles / build_s``.

    LSH configurations: datasketch picks its own bands x rows for a threshold
    (25 x 5 at 0.5, 9 x 13 at 0.8 with 128 permutations); rensa needs a band
    count that divides the permutations, so it gets the divisor that minimises
    datasketch's own criterion (false positive + false negative area of the
    S-curve, equal weights): 32 x 4 at 0.5, 8 x 16 at 0.8. datasketch is also
    run at that banding ("pow2"), so that the two peers can be compared at
    identical banding; the rows marked "native" are datasketch's defaults.

    Quality, for each queried derived article q and its LSH result set R
    (q itself removed): ``recall_parent`` = share of q with some truth
    ``parents`` id in R, ``recall_original`` = the same for ``original``;
    both overall and per ``kind``. Precision = share of all result pairs
    (q, c) that are lineage pairs, where (q, c) is a lineage pair when c is an
    ancestor of q (transitive ``parents``), q is an ancestor of c, the two
    share an ancestor, or they share an original (the originals of an article
    not in truth.jsonl are itself). Filler articles that happen to be near
    duplicates of each other in the source data count as false positives.
    "raw" is the LSH candidate set as returned; "verified" keeps candidates
    whose MinHash-estimated Jaccard is >= the threshold (the filter both
    libraries' docs suggest; not timed).

    Memory: ``peak_rss_mb`` per configuration is the process's VmHWM after it
    was reset (``/proc/self/clear_refs``) just before the index was built, so
    it covers the stored MinHashes plus that index and its queries;
    ``process_peak_rss_mb`` is the child's peak over its whole life (the
    largest of ``resource.getrusage().ru_maxrss`` and the per-configuration
    peaks, since resetting VmHWM also resets what ru_maxrss reports).
    Both libraries run their per-article work in one thread (``cpu_s`` vs wall
    time shows it); ``--ds-procs N`` adds a separate measurement of datasketch
    shingling + MinHash with a ``multiprocessing`` pool of N processes.

    sentence-transformers: ``--st-sample`` derived articles (seeded sample),
    plus their parents and originals, plus ``--st-distractors`` other articles
    (seeded reservoir sample) form the pool. Every article is split into
    sentences (paragraph breaks, then ``[.!?]`` followed by space and an upper
    case letter or quote) and all sentences are encoded with MiniLM (mean
    pooling, normalised, max 256 word pieces). The article embedding is the
    mean of its sentence embeddings, normalised; each sample article is
    matched by cosine against every other pool article, and recall@1/@5 of
    parents and originals is reported. Only local files are read; the hub is
    switched off (HF_HUB_OFFLINE=1).

Usage
    scripts/peers.sh CORPUS_DIR [--out FILE] [--limit-queries N]
        [--thresholds 0.5,0.8] [--perms 128] [--st-sample N] ...
    (or bench/.venv/bin/python bench/peers/run_peers.py ... directly)
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import gc
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import numpy as np

REPO = Path(__file__).resolve().parents[2]
WORD_RE = re.compile(r"\w+")
SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'\u201c\u2018])")
SHINGLE_WORDS = 5
SHINGLING = ("text only, lower-cased, tokens = re.findall(r'\\w+') (Unicode), word 5-grams "
             "joined by one space, a text under 5 tokens gives one shingle of all its tokens, "
             "duplicates removed")
LINEAGE_RULE = ("(q, c) is a lineage pair when c is a transitive parent of q, q is a transitive "
                "parent of c, they share an ancestor, or their originals intersect (an article "
                "not in truth.jsonl is its own original)")
PACKAGES = ["datasketch", "rensa", "numpy", "scipy", "sentence-transformers", "transformers",
            "torch", "tokenizers"]


# ---------------------------------------------------------------- corpus & truth

def shingles(text: str) -> list[str]:
    """The word 5-gram shingle set of a text (see SHINGLING), in first-seen order."""
    toks = WORD_RE.findall(text.lower())
    if not toks:
        return []
    k = min(SHINGLE_WORDS, len(toks))
    return list(dict.fromkeys(" ".join(toks[i:i + k]) for i in range(len(toks) - k + 1)))


def read_chunks(path: Path, size: int) -> Iterator[list[tuple[str, str]]]:
    """(id, text) per article of a JSON Lines file, in chunks of `size`."""
    chunk: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            a = json.loads(line)
            chunk.append((str(a["id"]), a.get("text") or ""))
            if len(chunk) == size:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


@dataclass
class Truth:
    """The derived articles of a corpus and their lineage."""

    kind: dict[str, str] = field(default_factory=dict)
    parents: dict[str, list[str]] = field(default_factory=dict)
    original: dict[str, list[str]] = field(default_factory=dict)
    _anc: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Truth:
        t = cls()
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    i = str(r["id"])
                    t.kind[i] = str(r.get("kind", "?"))
                    t.parents[i] = [str(p) for p in r.get("parents", [])]
                    t.original[i] = [str(o) for o in r.get("original", [])]
        return t

    def ancestors(self, x: str) -> frozenset[str]:
        """Transitive parents of x (empty for an article not in truth)."""
        if x in self._anc:
            return self._anc[x]
        out: set[str] = set()
        stack = list(self.parents.get(x, []))
        while stack:
            p = stack.pop()
            if p not in out:
                out.add(p)
                stack.extend(self.parents.get(p, []))
        self._anc[x] = frozenset(out)
        return self._anc[x]

    def roots(self, x: str) -> set[str]:
        return set(self.original[x]) if self.original.get(x) else {x}

    def related(self, q: str, c: str) -> bool:
        """Whether (q, c) is a lineage pair (LINEAGE_RULE)."""
        aq, ac = self.ancestors(q), self.ancestors(c)
        return (c in aq or q in ac or not aq.isdisjoint(ac)
                or not self.roots(q).isdisjoint(self.roots(c)))


def pick_queries(truth: Truth, ids_present: set[str], limit: int | None, seed: int) -> list[str]:
    """Derived articles to query: all present ones, or a seeded sample of `limit`."""
    q = sorted(i for i in truth.kind if i in ids_present)
    if limit is not None and limit < len(q):
        q = sorted(random.Random(seed).sample(q, limit))
    return q


def quality(truth: Truth, queries: list[str], results: dict[str, list[str]]) -> dict[str, Any]:
    """Recall of parents / originals (overall and per kind) and pair precision."""
    per_kind: dict[str, Counter] = defaultdict(Counter)
    pairs = true_pairs = 0
    for q in queries:
        res = set(results.get(q, ()))
        c = per_kind[truth.kind[q]]
        c["n"] += 1
        c["parent"] += bool(res.intersection(truth.parents[q]))
        c["original"] += bool(res.intersection(truth.original[q]))
        for r in res:
            pairs += 1
            true_pairs += truth.related(q, r)
    n = sum(c["n"] for c in per_kind.values())
    ratio = lambda a, b: round(a / b, 4) if b else None  # noqa: E731
    return {
        "queries": n,
        "recall_parent": ratio(sum(c["parent"] for c in per_kind.values()), n),
        "recall_original": ratio(sum(c["original"] for c in per_kind.values()), n),
        "per_kind": {k: {"n": c["n"], "recall_parent": ratio(c["parent"], c["n"]),
                         "recall_original": ratio(c["original"], c["n"])}
                     for k, c in sorted(per_kind.items())},
        "pairs": pairs,
        "precision": ratio(true_pairs, pairs),
        "mean_results": ratio(pairs, n),
    }


# ---------------------------------------------------------------- memory

def status_mb(field_name: str) -> float | None:
    """A field of /proc/self/status (VmRSS, VmHWM) in MB."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith(field_name + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def reset_peak_rss() -> bool:
    """Frees what can be freed and resets VmHWM to the current RSS."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def loadavg() -> list[float]:
    """The 1, 5 and 15 minute load averages (the machine may be shared)."""
    return [round(x, 2) for x in os.getloadavg()]


def maxrss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# ---------------------------------------------------------------- LSH banding

def lsh_error(threshold: float, bands: int, rows: int) -> float:
    """datasketch's criterion: false positive + false negative area of the S-curve."""
    s = np.linspace(0.0, 1.0, 20001)
    p = 1.0 - (1.0 - s ** rows) ** bands
    fp = np.trapezoid(np.where(s <= threshold, p, 0.0), s)
    fn = np.trapezoid(np.where(s >= threshold, 1.0 - p, 0.0), s)
    return float(fp + fn)


def divisor_banding(threshold: float, perms: int) -> tuple[int, int]:
    """Bands x rows with bands * rows == perms (rensa's constraint), least error."""
    options = [(b, perms // b) for b in range(2, perms + 1) if perms % b == 0]
    return min(options, key=lambda br: lsh_error(threshold, *br))


# ---------------------------------------------------------------- peers

class Peer(Protocol):
    """A MinHash + LSH library under test."""

    name: str

    def minhash_batch(self, shingle_sets: list[list[str]]) -> list[Any]: ...
    def native_banding(self, threshold: float) -> tuple[int, int] | None: ...
    def new_index(self, threshold: float, bands: int, rows: int) -> Any: ...
    def insert(self, index: Any, key: int, mh: Any) -> None: ...
    def query(self, index: Any, mh: Any) -> list[int]: ...
    def jaccard(self, a: Any, b: Any) -> float: ...


class Datasketch:
    name = "datasketch"

    def __init__(self, perms: int, seed: int) -> None:
        from datasketch import MinHash, MinHashLSH
        self.MinHash, self.MinHashLSH = MinHash, MinHashLSH
        self.perms, self.seed = perms, seed

    def minhash_batch(self, shingle_sets: list[list[str]]) -> list[Any]:
        return list(self.MinHash.generator(
            ([s.encode("utf-8") for s in sh] for sh in shingle_sets),
            num_perm=self.perms, seed=self.seed))

    def native_banding(self, threshold: float) -> tuple[int, int]:
        lsh = self.MinHashLSH(threshold=threshold, num_perm=self.perms)
        return lsh.b, lsh.r

    def new_index(self, threshold: float, bands: int, rows: int) -> Any:
        return self.MinHashLSH(threshold=threshold, num_perm=self.perms, params=(bands, rows))

    def insert(self, index: Any, key: int, mh: Any) -> None:
        index.insert(key, mh)

    def query(self, index: Any, mh: Any) -> list[int]:
        return index.query(mh)

    def jaccard(self, a: Any, b: Any) -> float:
        return a.jaccard(b)


class Rensa:
    name = "rensa"

    def __init__(self, perms: int, seed: int) -> None:
        import rensa
        self.rensa, self.perms, self.seed = rensa, perms, seed

    def minhash_batch(self, shingle_sets: list[list[str]]) -> list[Any]:
        out = []
        for sh in shingle_sets:
            m = self.rensa.RMinHash(self.perms, self.seed)
            m.update(sh)
            out.append(m)
        return out

    def native_banding(self, threshold: float) -> None:
        return None  # rensa takes the band count from the caller

    def new_index(self, threshold: float, bands: int, rows: int) -> Any:
        return self.rensa.RMinHashLSH(threshold, self.perms, bands)

    def insert(self, index: Any, key: int, mh: Any) -> None:
        index.insert(key, mh)

    def query(self, index: Any, mh: Any) -> list[int]:
        return index.query(mh)

    def jaccard(self, a: Any, b: Any) -> float:
        return a.jaccard(b)


PEERS: dict[str, Callable[[int, int], Peer]] = {"datasketch": Datasketch, "rensa": Rensa}


def _ds_worker(args: tuple[list[str], int, int]) -> np.ndarray:
    """multiprocessing worker: texts -> datasketch signature matrix."""
    texts, perms, seed = args
    from datasketch import MinHash
    mhs = MinHash.generator(([s.encode("utf-8") for s in shingles(t)] for t in texts),
                            num_perm=perms, seed=seed)
    return np.stack([m.hashvalues for m in mhs])


def ds_parallel(corpus: Path, procs: int, perms: int, seed: int, chunk: int) -> dict[str, Any]:
    """Wall time of datasketch shingling + MinHash over the corpus with `procs` processes."""
    import multiprocessing as mp
    t0 = time.perf_counter()
    n = 0
    first: np.ndarray | None = None
    with mp.get_context("fork").Pool(procs) as pool:
        jobs = (([t for _, t in c], perms, seed)
                for c in read_chunks(corpus / "articles.jsonl", chunk))
        for sig in pool.imap(_ds_worker, jobs):
            n += len(sig)
            if first is None:
                first = sig[:3]
    wall = time.perf_counter() - t0
    return {"processes": procs, "articles": n, "wall_s": round(wall, 2),
            "docs_per_s": round(n / wall, 1),
            "what": f"read + shingle + MinHash, chunks of {chunk} articles sent to a Pool.imap",
            "_first": first.tolist() if first is not None else None}


def run_minhash_peer(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """Child process body: one MinHash peer, all its LSH configurations."""
    corpus = Path(args.corpus)
    peer = PEERS[name](args.perms, args.seed)
    truth = Truth.load(corpus / "truth.jsonl")
    ids: list[str] = []
    mhs: list[Any] = []
    read_s = shingle_s = minhash_s = 0.0
    n_shingles = 0
    cpu0 = cpu_s()
    t = time.perf_counter()
    for chunk in read_chunks(corpus / "articles.jsonl", args.chunk):
        t1 = time.perf_counter()
        read_s += t1 - t
        sets = [shingles(text) for _, text in chunk]
        t2 = time.perf_counter()
        mhs.extend(peer.minhash_batch(sets))
        t = time.perf_counter()
        shingle_s += t2 - t1
        minhash_s += t - t2
        ids.extend(i for i, _ in chunk)
        n_shingles += sum(map(len, sets))
        del sets
        print(f"  {name}: {len(ids)} articles hashed", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    cpu_hash = cpu_s() - cpu0
    index_of = {i: k for k, i in enumerate(ids)}
    queries = pick_queries(truth, set(index_of), args.limit_queries, args.seed)
    n = len(ids)

    configs: list[tuple[float, int, int, str]] = []
    for th in args.thresholds:
        native = peer.native_banding(th)
        pow2 = divisor_banding(th, args.perms)
        if native and "native" in args.bandings:
            configs.append((th, *native, "native"))
        pow2_wanted = "pow2" in args.bandings and not (native == pow2 and "native" in args.bandings)
        if not native or pow2_wanted:
            configs.append((th, *pow2, "pow2"))

    # Resetting VmHWM also resets what ru_maxrss reports for this process, so
    # the process's peak is tracked here across the resets.
    hash_peak = status_mb("VmHWM")
    peaks = [hash_peak or 0.0, maxrss_mb()]
    runs = []
    for th, bands, rows, banding in configs:
        hwm_ok = reset_peak_rss()
        rss_base = status_mb("VmRSS")
        c0 = cpu_s()
        t0 = time.perf_counter()
        index = peer.new_index(th, bands, rows)
        for k, m in enumerate(mhs):
            peer.insert(index, k, m)
        insert_s = time.perf_counter() - t0
        cpu_insert = cpu_s() - c0
        lat: list[float] = []
        raw: dict[str, list[str]] = {}
        verified: dict[str, list[str]] = {}
        for q in queries:
            k = index_of[q]
            t0 = time.perf_counter()
            res = peer.query(index, mhs[k])
            lat.append(time.perf_counter() - t0)
            others = [r for r in res if r != k]
            raw[q] = [ids[r] for r in others]
            verified[q] = [ids[r] for r in others if peer.jaccard(mhs[k], mhs[r]) >= th]
        peak = status_mb("VmHWM") if hwm_ok else None
        peaks.append(peak or 0.0)
        del index
        build_s = minhash_s + insert_s
        lat_ms = sorted(x * 1000 for x in lat)
        runs.append({
            "peer": name, "threshold": th, "bands": bands, "rows": rows, "banding": banding,
            "articles": n, "docs_per_s": round(n / build_s, 1),
            "docs_per_s_incl_shingling": round(n / (build_s + shingle_s), 1),
            "build_s": round(build_s, 3), "minhash_s": round(minhash_s, 3),
            "insert_s": round(insert_s, 3), "shingle_s": round(shingle_s, 3),
            "read_s": round(read_s, 3),
            "cpu_s_read_shingle_minhash": round(cpu_hash, 2),
            "cpu_s_insert": round(cpu_insert, 2),
            "query_p50_ms": round(statistics.median(lat_ms), 4) if lat_ms else None,
            "query_p99_ms": round(lat_ms[min(len(lat_ms) - 1, int(0.99 * len(lat_ms)))], 4)
            if lat_ms else None,
            "query_mean_ms": round(statistics.fmean(lat_ms), 4) if lat_ms else None,
            "rss_before_index_mb": rss_base, "peak_rss_mb": peak,
            "loadavg": loadavg(),
            "quality": {"raw": quality(truth, queries, raw),
                        "verified": quality(truth, queries, verified)},
        })
        print(f"  {name} t={th} {bands}x{rows}: insert {insert_s:.1f}s, "
              f"{len(queries)} queries", file=sys.stderr)
    out: dict[str, Any] = {
        "peer": name, "articles": n, "queries": len(queries),
        "avg_shingles": round(n_shingles / n, 1) if n else 0,
        "hash_phase_peak_rss_mb": hash_peak,
        "process_peak_rss_mb": max(*peaks, maxrss_mb()), "loadavg_end": loadavg(), "runs": runs,
    }
    if name == "datasketch" and args.ds_procs > 1:
        # Small chunks so that every process has work even on a small corpus.
        par_chunk = max(50, min(1000, n // (4 * args.ds_procs)))
        par = ds_parallel(corpus, args.ds_procs, args.perms, args.seed, par_chunk)
        first = par.pop("_first")
        par["signatures_equal_single_process"] = first == [m.hashvalues.tolist() for m in mhs[:3]]
        par["single_process_docs_per_s"] = round(n / (read_s + shingle_s + minhash_s), 1)
        out["parallel_minhash"] = par
    return out


# ---------------------------------------------------------------- sentence-transformers

def split_sentences(text: str) -> list[str]:
    """Sentences of a text: paragraph breaks, then SENT_RE."""
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(s.strip() for s in SENT_RE.split(para.strip()) if s.strip())
    return out


def run_st(args: argparse.Namespace) -> dict[str, Any]:
    """Child process body: MiniLM encode + cosine on a sample of derived articles."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    model_dir = Path(args.st_model)
    need = ["config.json", "tokenizer.json", "model.safetensors", "1_Pooling/config.json"]
    missing = [f for f in need if not (model_dir / f).is_file()]
    if missing:
        return {"skipped": f"{model_dir} lacks {missing}; run scripts/setup.sh"}
    try:
        import torch
        from sentence_transformers import SentenceTransformer
        try:  # the module path of sentence-transformers >= 6
            from sentence_transformers.sentence_transformer import modules as models
        except ImportError:
            from sentence_transformers import models  # type: ignore[no-redef]
    except ImportError as e:
        return {"skipped": f"sentence-transformers not installed ({e}); "
                           "run scripts/peers.sh --with-sentence-transformers"}
    if args.st_threads:
        torch.set_num_threads(args.st_threads)
    corpus = Path(args.corpus)
    truth = Truth.load(corpus / "truth.jsonl")
    rng = random.Random(args.seed)
    derived = sorted(truth.kind)
    sample = sorted(rng.sample(derived, min(args.st_sample, len(derived))))
    lineage = set(sample)
    for q in sample:
        lineage.update(truth.parents[q], truth.original[q])
    # One pass: texts of the lineage articles, a reservoir sample of the others.
    texts: dict[str, str] = {}
    reservoir: list[tuple[str, str]] = []
    seen_other = 0
    for chunk in read_chunks(corpus / "articles.jsonl", args.chunk):
        for i, text in chunk:
            if i in lineage:
                texts[i] = text
            elif args.st_distractors > 0:
                seen_other += 1
                if len(reservoir) < args.st_distractors:
                    reservoir.append((i, text))
                else:
                    j = rng.randrange(seen_other)
                    if j < args.st_distractors:
                        reservoir[j] = (i, text)
    texts.update(reservoir)
    sample = [q for q in sample if q in texts]
    pool = sorted(texts)
    sents: list[str] = []
    owner: list[int] = []
    for k, i in enumerate(pool):
        ss = split_sentences(texts[i]) or [texts[i] or " "]
        sents.extend(ss)
        owner.extend([k] * len(ss))
    del texts, reservoir

    t0 = time.perf_counter()
    tr = models.Transformer(str(model_dir), max_seq_length=256)
    dim_of = getattr(tr, "get_embedding_dimension", None) or tr.get_word_embedding_dimension
    model = SentenceTransformer(
        modules=[tr, models.Pooling(dim_of(), "mean"), models.Normalize()], device="cpu")
    load_s = time.perf_counter() - t0
    c0 = cpu_s()
    t0 = time.perf_counter()
    emb = model.encode(sents, batch_size=args.st_batch, convert_to_numpy=True,
                       normalize_embeddings=True, show_progress_bar=False)
    encode_s = time.perf_counter() - t0
    cpu_encode = cpu_s() - c0
    own = np.asarray(owner)
    art = np.zeros((len(pool), emb.shape[1]), dtype=np.float32)
    np.add.at(art, own, emb)
    art /= np.maximum(np.linalg.norm(art, axis=1, keepdims=True), 1e-12)

    pos = {i: k for k, i in enumerate(pool)}
    t0 = time.perf_counter()
    qk = np.asarray([pos[q] for q in sample])
    scores = art[qk] @ art.T
    scores[np.arange(len(qk)), qk] = -np.inf
    top = np.argsort(-scores, axis=1)[:, :5]
    search_s = time.perf_counter() - t0
    per_kind: dict[str, Counter] = defaultdict(Counter)
    related_at1 = 0
    for row, q in zip(top, sample, strict=True):
        hits = [pool[j] for j in row]
        c = per_kind[truth.kind[q]]
        c["n"] += 1
        for k_ in (1, 5):
            c[f"parent@{k_}"] += bool(set(hits[:k_]).intersection(truth.parents[q]))
            c[f"original@{k_}"] += bool(set(hits[:k_]).intersection(truth.original[q]))
        related_at1 += truth.related(q, hits[0])
    n = len(sample)
    ratio = lambda a, b: round(a / b, 4) if b else None  # noqa: E731
    keys = ["parent@1", "parent@5", "original@1", "original@5"]
    return {
        "model": str(model_dir), "pooling": "mean of token embeddings (MiniLM), normalised",
        "article_embedding": "mean of the article's sentence embeddings, normalised",
        "max_seq_length": 256, "torch_threads": torch.get_num_threads(),
        "sample_queries": n, "pool_articles": len(pool), "distractors": args.st_distractors,
        "sentences": len(sents), "model_load_s": round(load_s, 2),
        "encode_s": round(encode_s, 2), "cpu_s_encode": round(cpu_encode, 2),
        "sentences_per_s": round(len(sents) / encode_s, 1),
        "search_s": round(search_s, 3),
        "recall": {k: ratio(sum(c[k] for c in per_kind.values()), n) for k in keys},
        "precision_at_1": ratio(related_at1, n),
        "per_kind": {kd: {"n": c["n"], **{k: ratio(c[k], c["n"]) for k in keys}}
                     for kd, c in sorted(per_kind.items())},
        "process_peak_rss_mb": maxrss_mb(), "loadavg_end": loadavg(),
    }


# ---------------------------------------------------------------- parent

def machine_info() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return {"cpu_model": cpu, "logical_cpus": os.cpu_count(),
            "usable_cpus": len(os.sched_getaffinity(0)), "mem_total_mb": mem,
            "python": platform.python_version(), "platform": platform.platform(),
            "loadavg_start": loadavg(),
            "note": "figures are wall clock on a machine that may be shared; see loadavg"}


def versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = None
    return out


def corpus_info(corpus: Path, truth: Truth) -> dict[str, Any]:
    n = sum(1 for line in open(corpus / "articles.jsonl", encoding="utf-8") if line.strip())
    return {"dir": str(corpus), "articles": n, "derived": len(truth.kind),
            "kinds": dict(sorted(Counter(truth.kind.values()).items())),
            "articles_bytes": (corpus / "articles.jsonl").stat().st_size}


def run_child(peer: str, argv: list[str]) -> dict[str, Any]:
    """Runs one peer in a fresh interpreter and returns its JSON result."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    cmd = [sys.executable, os.path.abspath(__file__), *argv, "--child", peer, "--child-out", out]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd)
    wall = time.perf_counter() - t0
    try:
        if proc.returncode != 0:
            return {"failed": f"exit status {proc.returncode}", "wall_s": round(wall, 1)}
        res = json.loads(Path(out).read_text())
        res["child_wall_s"] = round(wall, 1)
        return res
    finally:
        os.unlink(out)


def fmt(x: Any, nd: int = 3) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def print_table(res: dict[str, Any]) -> None:
    c = res["corpus"]
    m = res["machine"]
    print(f"\ncorpus {c['dir']}: {c['articles']} articles, {c['derived']} derived; "
          f"{m['cpu_model']}, {m['usable_cpus']} cpus, load average {m['loadavg_start'][0]:.1f} "
          "at start")
    print("docs/s = articles / (MinHash + LSH insert); +shingle also counts the shared Python "
          "shingling; R = recall of parents / originals; v = verified (est. Jaccard >= thr)")
    head = ["peer", "thr", "b x r", "banding", "docs/s", "+shingle", "build s", "q p50 ms",
            "peak MB",
            "R parent", "R orig", "prec", "res/q", "R parent v", "prec v"]
    rows = []
    for r in res["runs"]:
        q, v = r["quality"]["raw"], r["quality"]["verified"]
        rows.append([r["peer"], fmt(r["threshold"], 2), f"{r['bands']}x{r['rows']}", r["banding"],
                     fmt(r["docs_per_s"], 0), fmt(r["docs_per_s_incl_shingling"], 0),
                     fmt(r["build_s"], 1), fmt(r["query_p50_ms"], 3),
                     fmt(r["peak_rss_mb"], 0), fmt(q["recall_parent"]), fmt(q["recall_original"]),
                     fmt(q["precision"]), fmt(q["mean_results"], 2), fmt(v["recall_parent"]),
                     fmt(v["precision"])])
    if rows:
        print_rows(head, rows)
    kinds = sorted({k for r in res["runs"] for k in r["quality"]["raw"]["per_kind"]})
    if kinds:
        print("\nrecall of parents (raw LSH candidates) per kind")
        rows = [[r["peer"], fmt(r["threshold"], 2), f"{r['bands']}x{r['rows']}"]
                + [fmt(r["quality"]["raw"]["per_kind"].get(k, {}).get("recall_parent"))
                   for k in kinds] for r in res["runs"]]
        print_rows(["peer", "thr", "b x r", *kinds], rows)
    for p in res.get("peer_processes", {}).values():
        par = p.get("parallel_minhash")
        if par:
            print("\ndatasketch read+shingle+MinHash: "
                  f"{par['single_process_docs_per_s']:.0f} docs/s "
                  f"in 1 process, {par['docs_per_s']:.0f} docs/s with {par['processes']}")
    st = res.get("sentence_transformers")
    if st and "skipped" not in st and "failed" not in st:
        print(f"\nsentence-transformers MiniLM: {st['sentences_per_s']:.0f} sentences/s "
              f"({st['torch_threads']} threads), {st['sample_queries']} queries in a pool of "
              f"{st['pool_articles']}; recall {st['recall']}; precision@1 {st['precision_at_1']}")
        rows = [[k, v["n"], fmt(v["parent@1"]), fmt(v["parent@5"]), fmt(v["original@1"])]
                for k, v in st["per_kind"].items()]
        print_rows(["kind", "n", "parent@1", "parent@5", "original@1"], rows)
    elif st:
        print(f"\nsentence-transformers: {st.get('skipped') or st.get('failed')}")


def print_rows(head: list[str], rows: list[list[Any]]) -> None:
    cells = [head] + [[str(x) for x in r] for r in rows]
    w = [max(len(r[i]) for r in cells) for i in range(len(head))]
    for j, r in enumerate(cells):
        print("  ".join(x.rjust(w[i]) if i else x.ljust(w[i]) for i, x in enumerate(r)))
        if j == 0:
            print("  ".join("-" * x for x in w))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description="Run the Python peers (datasketch, rensa, sentence-transformers) on a corpus.",
        epilog="See the module docstring for what is measured and how.")
    ap.add_argument("corpus", help="directory with articles.jsonl and truth.jsonl")
    ap.add_argument("--out", help="results JSON (default bench/out/peers-<corpus name>.json)")
    ap.add_argument("--limit-queries", type=int, help="query a seeded sample of N derived articles")
    ap.add_argument("--thresholds", default="0.5,0.8", help="LSH thresholds (default 0.5,0.8)")
    ap.add_argument("--perms", type=int, default=128, help="MinHash permutations (default 128)")
    ap.add_argument("--seed", type=int, default=1, help="MinHash and sampling seed (default 1)")
    ap.add_argument("--peers", default="datasketch,rensa,st",
                    help="comma list of datasketch, rensa, st (default all)")
    ap.add_argument("--chunk", type=int, default=5000, help="articles per streamed chunk")
    ap.add_argument("--bandings", default="native,pow2",
                    help="datasketch bandings to run: native (its own bands x rows), pow2 "
                         "(rensa's; rensa always runs pow2)")
    ap.add_argument("--ds-procs", type=int, default=2,
                    help="also time datasketch MinHash with N processes (0 or 1: skip)")
    ap.add_argument("--st-sample", type=int, default=500,
                    help="derived articles for sentence-transformers (0: skip)")
    ap.add_argument("--st-distractors", type=int, default=500,
                    help="other articles added to the sentence-transformers pool")
    ap.add_argument("--st-model", default=str(REPO / "models" / "minilm"),
                    help="local all-MiniLM-L6-v2 directory (default models/minilm)")
    ap.add_argument("--st-batch", type=int, default=64)
    ap.add_argument("--st-threads", type=int, default=0, help="torch threads (0: torch default)")
    ap.add_argument("--no-table", action="store_true", help="do not print the table")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--child-out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.thresholds = [float(x) for x in str(args.thresholds).split(",") if x.strip()]
    args.peer_list = [p.strip() for p in args.peers.split(",") if p.strip()]
    args.bandings = {b.strip() for b in args.bandings.split(",") if b.strip()}
    if not args.bandings or not args.bandings <= {"native", "pow2"}:
        ap.error("--bandings takes native, pow2 or both")
    bad = [p for p in args.peer_list if p not in (*PEERS, "st")]
    if bad:
        ap.error(f"unknown peers {bad}")
    return args


def main() -> None:
    argv = sys.argv[1:]
    args = parse_args(argv)
    corpus = Path(args.corpus)
    for f in ("articles.jsonl", "truth.jsonl"):
        if not (corpus / f).is_file():
            sys.exit(f"run_peers.py: {corpus / f} not found")
    if args.child:
        child = run_st(args) if args.child == "st" else run_minhash_peer(args.child, args)
        Path(args.child_out).write_text(json.dumps(child))
        return

    truth = Truth.load(corpus / "truth.jsonl")
    res: dict[str, Any] = {
        "schema": "unspun-peers/1",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(), "packages": versions(),
        "corpus": corpus_info(corpus, truth),
        "settings": {"num_perm": args.perms, "seed": args.seed, "thresholds": args.thresholds,
                     "shingling": SHINGLING, "lineage_rule": LINEAGE_RULE,
                     "limit_queries": args.limit_queries, "chunk": args.chunk,
                     "bandings": sorted(args.bandings)},
        "runs": [], "peer_processes": {},
    }
    for peer in args.peer_list:
        if peer == "st":
            if args.st_sample > 0:
                print("sentence-transformers ...", file=sys.stderr)
                res["sentence_transformers"] = run_child("st", argv)
            continue
        print(f"{peer} ...", file=sys.stderr)
        r = run_child(peer, argv)
        res["runs"].extend(r.pop("runs", []))
        res["peer_processes"][peer] = r
    default_out = REPO / "bench" / "out" / f"peers-{corpus.resolve().name}.json"
    out = Path(args.out) if args.out else default_out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1) + "\n")
    if not args.no_table:
        print_table(res)
    print(f"\nwrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
