#!/usr/bin/env python3
"""Load benchmark of `unspun serve` (issue 17): wrk on loopback.

Phase 1, reads: 60 s of mixed reads on the real BBC + Reuters corpus
(a stored article, the trace of a stored id, a page of pairs), with
`wrk --latency`: requests/s, p50, p99, errors.

Phase 2, reads while writing: the same mix while 10,000 generated articles
are posted to POST /v1/articles in batches of 500 (JSON Lines), then every
posted id is read back: no failed request, no lost article.

Prints a Markdown table (with machine, date and commit) for docs/LOAD-BENCH.md.
Standard library only; wrk comes from Debian's packages.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request


def get_json(url):
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.load(r)


def stored_ids(base, n):
    ids, cursor = [], None
    while len(ids) < n:
        q = f"{base}/v1/articles?limit=1000" + (f"&cursor={cursor}" if cursor else "")
        page = get_json(q)
        ids += [a["id"] for a in page["articles"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    return ids


def enc(i):
    return urllib.parse.quote(i, safe="")


def write_paths(base, out, seed=7):
    rng = random.Random(seed)
    ids = stored_ids(base, 25000)
    sample = rng.sample(ids, min(2000, len(ids)))
    pages = get_json(f"{base}/v1/pairs?limit=100")
    cursors = [None]
    c = pages.get("next_cursor")
    while c and len(cursors) < 50:
        cursors.append(c)
        c = get_json(f"{base}/v1/pairs?limit=100&cursor={c}").get("next_cursor")
    lines = []
    for i, a in enumerate(sample):
        lines.append(f"/v1/articles/{enc(a)}")
        lines.append(f"/v1/articles/{enc(a)}/trace")
        if i % 2 == 0:
            cur = cursors[i % len(cursors)]
            lines.append("/v1/pairs?limit=100" + (f"&cursor={cur}" if cur else ""))
    rng.shuffle(lines)
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    return len(sample), len(cursors)


def wrk(base, seconds, lua, paths, threads=2, conns=8):
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout", "30s",
           "-s", lua, base, "--", paths]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    def unit(v, u):
        return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[u]
    lat = {m.group(1): unit(m.group(2), m.group(3))
           for m in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    reqs = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(x) for x in sock.groups()) if sock else 0)
    return {"requests": reqs, "rps": rps, "p50": lat.get("50"), "p99": lat.get("99"), "errors": errors, "raw": out}


def post_batches(base, token, records, batch, result):
    posted, failed = [], 0
    t0 = time.time()
    for k in range(0, len(records), batch):
        chunk = records[k:k + batch]
        body = "".join(json.dumps(r) + "\n" for r in chunk).encode()
        req = urllib.request.Request(f"{base}/v1/articles", data=body, method="POST", headers={
            "Content-Type": "application/x-ndjson", "Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(req, timeout=300) as r:
                ans = json.load(r)
            failed += ans["errors"] + ans["conflicts"]
            posted += [x["id"] for x in ans["results"] if x["status"] in ("stored", "unchanged", "replaced")]
        except Exception as e:  # a failed batch is a failure to report, not a crash
            print(f"batch {k // batch}: {e}", file=sys.stderr)
            failed += len(chunk)
    result.update(posted=posted, failed=failed, seconds=time.time() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--corpus", required=True, help="a JSON Lines file of articles to post (phase 2)")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--ingest", type=int, default=10000)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    lua = os.path.join(here, "mix.lua")
    paths = os.path.join(a.work, "paths.txt")
    n_ids, n_pages = write_paths(a.url, paths)
    print(f"load: {n_ids} stored ids, {n_pages} pair pages; phase 1, {a.seconds} s of reads", file=sys.stderr)
    reads = wrk(a.url, a.seconds, lua, paths)

    records = []
    with open(a.corpus) as f:
        for line in f:
            r = json.loads(line)
            r["id"] = "load-" + r["id"]  # never an id already stored
            records.append(r)
            if len(records) == a.ingest:
                break
    print(f"load: phase 2, reads while posting {len(records)} articles", file=sys.stderr)
    result = {}
    poster = threading.Thread(target=post_batches, args=(a.url, a.token, records, 500, result))
    poster.start()
    during = wrk(a.url, a.seconds, lua, paths)
    poster.join()
    lost = [i for i in result["posted"] if urllib.request.urlopen(f"{a.url}/v1/articles/{enc(i)}").status != 200]
    print(json.dumps({"reads": {k: v for k, v in reads.items() if k != "raw"},
                      "during_ingest": {k: v for k, v in during.items() if k != "raw"},
                      "ingest": {"records": len(records), "stored": len(result["posted"]),
                                 "failed": result["failed"], "seconds": round(result["seconds"], 1),
                                 "lost": len(lost)}}, indent=1))
    print(reads["raw"], file=sys.stderr)
    print(during["raw"], file=sys.stderr)


if __name__ == "__main__":
    main()
