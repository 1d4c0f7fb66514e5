"""How two derivation graphs in JSON Lines (`unspun graph --jsonl`, the
Spark job's graph.jsonl) differ: edges, related pairs, clusters and pairs
of articles put in one story; and, when the corpus holds them, each
graph's edge precision and recall on the labelled pairs of
../shared/data/reuse-labels. Prints one JSON object.

    python compare_graphs.py REFERENCE.jsonl OTHER.jsonl [--labels pairs.jsonl]
"""

import argparse
import json
import re


def parse(path):
    edges, related, clusters = {}, set(), []
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if o["type"] == "edge":
                edges[(o["derived"], o["source"])] = line
            elif o["type"] == "related":
                related.add((o["a"], o["b"]))
            else:
                clusters.append(o)
    return edges, related, clusters


def co_members(clusters):
    out = set()
    for c in clusters:
        m = c["members"]
        out.update((m[i], m[j]) for i in range(len(m)) for j in range(i + 1, len(m)))
    return out


def label_id(i):
    """reuse-labels' bbc-CATEGORY-NNN is the reader's CATEGORY/NNN."""
    m = re.match(r"bbc-([a-z]+)-(\d+)$", i)
    return f"{m.group(1)}/{m.group(2)}" if m else i


def labelled(edges, pairs):
    linked = {frozenset(k) for k in edges}
    called = [(p["reuse"], frozenset((label_id(p["a"]["id"]), label_id(p["b"]["id"]))) in linked) for p in pairs]
    tp = sum(1 for r, c in called if r and c)
    fp = sum(1 for r, c in called if c and not r)
    reuse = sum(1 for r, _ in called if r)
    return {"precision": round(tp / max(tp + fp, 1), 3), "recall": round(tp / max(reuse, 1), 3), "tp": tp, "fp": fp, "reuse": reuse}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("reference")
    p.add_argument("other")
    p.add_argument("--labels")
    a = p.parse_args()
    re_, rr, rc = parse(a.reference)
    ge, gr, gc = parse(a.other)
    both = set(re_) & set(ge)
    unordered = lambda e: {frozenset(k) for k in e}  # noqa: E731
    ca, cb = co_members(rc), co_members(gc)
    out = {
        "identical": open(a.reference, encoding="utf-8").read() == open(a.other, encoding="utf-8").read(),
        "edges": {"reference": len(re_), "other": len(ge), "both": len(both),
                  "same_pair_either_direction": len(unordered(re_) & unordered(ge)),
                  "identical_lines": sum(1 for k in both if re_[k] == ge[k])},
        "related": {"reference": len(rr), "other": len(gr), "both": len(rr & gr)},
        "clusters": {"reference": len(rc), "other": len(gc),
                     "same_members": len({tuple(c["members"]) for c in rc} & {tuple(c["members"]) for c in gc})},
        "story_pairs": {"reference": len(ca), "other": len(cb), "both": len(ca & cb)},
    }
    if a.labels:
        pairs = [json.loads(l) for l in open(a.labels, encoding="utf-8")]
        out["labels"] = {"reference": labelled(re_, pairs), "other": labelled(ge, pairs)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
