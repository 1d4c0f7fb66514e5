#!/usr/bin/env python3
"""Sentence shapes that recur with other fillers: a measurement, not a product.

Issue 14 asks for frames found from the corpus itself: "sentence shapes that
recur across many articles with different names, numbers and dates in their
slots". This script measures, before anything is built into the store,
how far the simplest such shape would go on real news:

- every sentence (6 words or more) of every stored article is reduced to its
  shape: lowercased words in order, each number (digits or a number word)
  replaced by `#` (with `--names`, capitalised words after the first too);
- a shape is a **frame** when at least `--min-docs` articles hold it with at
  least two different fillers;
- a pair is **frame-only** when every shape its two articles share is a
  frame and at least one of them is filled differently in the two.

It reports, for the labelled pairs of `reuse-labels`, how the frame-only
test falls against the labels and against what `trace` called them (the
JSON Lines of `reuse-eval --verdicts`), and, given a graph's JSON Lines
(`unspun graph --jsonl`), how many of its edges are frame-only, with a
sample to read.

Usage:
    python3 bench/frames/shapes.py --store bench/out/reuse-store \
        --labels ../shared/data/reuse-labels/pairs.jsonl \
        --verdicts verdicts.jsonl [--graph graph.jsonl] [--names]
"""
import argparse
import collections
import json
import re
import sqlite3

NUMBER_WORDS = set(
    "one two three four five six seven eight nine ten eleven twelve half quarter".split()
)


def sentences(text):
    text = re.sub(r"\s+", " ", text)
    parts = re.split(r'(?<=[.!?])\s+(?=[A-Z"])', text)
    return [s for s in parts if len(s.split()) >= 6]


def shape(sentence, names):
    """The sentence's shape and its fillers, each a string."""
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*|\d[\d.,/\-]*", sentence)
    out, fill = [], []
    for i, w in enumerate(words):
        if w[0].isdigit() or w.lower() in NUMBER_WORDS:
            out.append("#")
            fill.append(w.lower())
        elif names and i > 0 and w[0].isupper():
            out.append("N")
            fill.append(w.lower())
        else:
            out.append(w.lower())
    return " ".join(out), " ".join(fill)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--verdicts", required=True)
    ap.add_argument("--graph")
    ap.add_argument("--names", action="store_true")
    ap.add_argument("--min-docs", type=int, default=3)
    ap.add_argument("--show", type=int, default=15)
    args = ap.parse_args()

    db = sqlite3.connect(f"{args.store}/articles.sqlite3")
    shapes_of = {}
    docs = collections.Counter()
    fillers = collections.defaultdict(set)
    for article_id, text in db.execute("SELECT id, text FROM articles"):
        mine = dict(shape(s, args.names) for s in sentences(text))
        shapes_of[article_id] = mine
        for k, f in mine.items():
            docs[k] += 1
            if len(fillers[k]) < 50:
                fillers[k].add(f)
    print(f"{len(shapes_of)} articles, {len(docs)} shapes, "
          f"{sum(1 for k in docs if docs[k] >= args.min_docs and len(fillers[k]) >= 2)} frames")

    def frame_only(a, b):
        x, y = shapes_of.get(a, {}), shapes_of.get(b, {})
        shared = [k for k in x if k in y]
        if not shared:
            return None
        frames = all(docs[k] >= args.min_docs and len(fillers[k]) >= 2 for k in shared)
        return frames and any(x[k] != y[k] for k in shared)

    verdicts = {}
    with open(args.verdicts) as f:
        for line in f:
            v = json.loads(line)
            verdicts[v["pair"]] = v
    table = collections.Counter()
    hits = []
    with open(args.labels) as f:
        for line in f:
            p = json.loads(line)
            fo = frame_only(p["a"]["id"], p["b"]["id"])
            if fo is None:
                table[("no shared shape", p["reuse"], None)] += 1
                continue
            called = verdicts[p["pair"]]["trace"] in ("copy", "rewrite", "partial")
            table[("frame-only" if fo else "shares a non-frame shape", p["reuse"], called)] += 1
            if fo:
                hits.append((p["pair"], p["label"], verdicts[p["pair"]]["trace"]))
    print("\nlabelled pairs: shapes shared | labelled reuse | trace called derived | pairs")
    for k in sorted(table, key=str):
        print(" | ".join(str(x) for x in k), "|", table[k])
    print("frame-only pairs (pair, label, trace):", hits)

    if args.graph:
        edges = []
        with open(args.graph) as f:
            for line in f:
                d = json.loads(line)
                if "derived" in d and "source" in d:
                    edges.append(d)
        flagged = [e for e in edges if frame_only(e["derived"], e["source"])]
        by_rel = collections.Counter(e["relation"] for e in flagged)
        print(f"\ngraph: {len(edges)} edges, {len(flagged)} frame-only {dict(by_rel)}")
        for e in flagged[: args.show]:
            print(f"  {e['derived']} <- {e['source']} ({e['relation']})")


if __name__ == "__main__":
    main()
