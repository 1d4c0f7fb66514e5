#!/usr/bin/env python3
"""Assembles the scale benchmark's results (scripts/bench.sh) into one table,
docs/BENCH.md and the cost-growth plot docs/bench-growth.png.

Reads, per size N, OUT/results-N/: the /usr/bin/time -v reports of each
ingest (`ingest-MODE.time`), the store sizes (`ingest-MODE.bytes`), the
scale-bench JSON of each trace mode and of the scan, the peers' JSON
(bench/peers/run_peers.py) and the load averages recorded next to each step.
Every figure printed comes from those files; nothing is typed in here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTES = "<!-- notes: kept by bench/report.py when it rewrites this file -->"
KINDS = ["copy", "light_edit", "reorder", "blend", "paraphrase", "chain"]


def num(s: str) -> int:
    s = s.lower()
    if s.endswith("k"):
        return int(s[:-1]) * 1000
    if s.endswith("m"):
        return int(s[:-1]) * 1_000_000
    return int(s)


def short(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def read_time(path: Path) -> dict | None:
    """Wall seconds, peak RSS (MiB) and CPU share of a /usr/bin/time -v report."""
    if not path.exists():
        return None
    t = path.read_text()
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", t)
    parts = [float(x) for x in m.group(1).split(":")] if m else [0.0]
    wall = 0.0
    for p in parts:
        wall = wall * 60 + p
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
    cpu = re.search(r"Percent of CPU this job got: (\d+)%", t)
    user = re.search(r"User time \(seconds\): ([\d.]+)", t)
    system = re.search(r"System time \(seconds\): ([\d.]+)", t)
    cpu_s = float(user.group(1)) + float(system.group(1)) if user and system else None
    return {"wall_s": wall, "rss_mib": int(rss.group(1)) / 1024 if rss else None,
            "cpu_pct": int(cpu.group(1)) if cpu else None, "cpu_s": cpu_s}


def load(path: Path) -> str:
    if not path.exists():
        return "?"
    t = path.read_text()
    if "load average:" in t:
        return " ".join(t.split("load average:")[1].replace(",", " ").split()[:3])
    if t.split() and t.split()[0].replace(".", "").isdigit():
        return " ".join(t.split()[:3])
    return t.strip()


def jload(path: Path) -> dict | None:
    return json.loads(path.read_text()) if path.exists() else None


def f(x, fmt="{:,.0f}", none="–") -> str:
    return none if x is None else fmt.format(x)


def collect(out: Path, sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        r = out / f"results-{n}"
        row: dict = {"n": n, "ingest": {}, "trace": {}}
        for m in ("lexical", "static", "minilm"):
            t = read_time(r / f"ingest-{m}.time")
            if t is None:
                continue
            arts = n
            if (r / f"ingest-{m}.articles").exists():
                arts = int((r / f"ingest-{m}.articles").read_text())
            b = int((r / f"ingest-{m}.bytes").read_text()) if (r / f"ingest-{m}.bytes").exists() else None
            t.update({"articles": arts, "per_s": arts / t["wall_s"] if t["wall_s"] else None,
                      "bytes_per_article": b / arts if b else None,
                      "load": load(r / f"ingest-{m}.load"),
                      "reused": (r / f"ingest-{m}.reused").exists()})
            row["ingest"][m] = t
            tr = jload(r / f"trace-{m}.json")
            if tr:
                row["trace"][m] = tr
        for m in ("lexical", "static", "minilm"):
            tr = jload(r / f"trace-{m}.json")
            if tr:
                row["trace"][m] = tr
        row["scan"] = jload(r / "scan.json")
        row["peers"] = jload(r / "peers.json")
        row["manifest"] = jload(r / "manifest.json")
        rows.append(row)
    return rows


def peer_runs(row: dict) -> list[dict]:
    p = row.get("peers") or {}
    return [x for x in p.get("runs", []) if x.get("banding") == "native" or x["peer"] == "rensa"]


def peer_recall(run: dict) -> dict:
    q = run["quality"].get("raw") or run["quality"].get("verified")
    return q


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, {mem} RAM, {platform.system()} {platform.release()}"


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def tables(rows: list[dict]) -> str:
    L: list[str] = []
    # Ingest
    L.append("### Ingest (`unspun ingest --format jsonl`, reading included; peak RSS of the process)\n")
    L.append("`articles per CPU-second` (user + system time) does not depend on how busy the "
             "machine was; 2 free cores can give at most twice that per second.\n")
    L.append("| articles | mode | articles/s | wall s | CPU used | articles per CPU-second | peak RSS MiB | store bytes/article | load avg (1/5/15 min) at end |")
    L.append("|---:|---|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        for m, t in row["ingest"].items():
            label = m if m != "minilm" else f"minilm (first {t['articles']:,} articles)"
            if t.get("reused"):
                label += " (earlier run, see notes)"
            per_cpu = t["articles"] / t["cpu_s"] if t.get("cpu_s") else None
            L.append(f"| {row['n']:,} | {label} | {f(t['per_s'])} | {t['wall_s']:.1f} | "
                     f"{t['cpu_pct']}% | {f(per_cpu)} | {f(t['rss_mib'])} | "
                     f"{f(t['bytes_per_article'])} | {t['load']} |")
    # Peers speed
    L.append("\n### Peers: MinHash LSH, 128 permutations, word 5-grams (bench/peers/run_peers.py)\n")
    L.append("`docs/s` is MinHash + LSH insert (the peers' own figure); `incl. shingling` adds the "
             "Python shingling (JSON reading excluded); unspun's articles/s above includes reading, "
             "segmenting, stemming, fingerprinting and storing the full text.\n")
    L.append("| articles | peer | threshold | bands x rows | docs/s | docs/s incl. shingling | peak RSS MiB | recall (parent, any kind) | precision |")
    L.append("|---:|---|---:|---|---:|---:|---:|---:|---:|")
    for row in rows:
        for run in peer_runs(row):
            q = peer_recall(run)
            L.append(f"| {row['n']:,} | {run['peer']} | {run['threshold']} | {run['bands']}x{run['rows']} | "
                     f"{f(run['docs_per_s'])} | {f(run['docs_per_s_incl_shingling'])} | "
                     f"{f((row['peers']['peer_processes'].get(run['peer']) or {}).get('process_peak_rss_mb'))} | "
                     f"{f(q['recall_parent'], '{:.3f}')} | {f(q['precision'], '{:.3f}')} |")
    # Ratio
    L.append("\n### unspun ingest against datasketch in the same run\n")
    L.append("| articles | unspun lexical art/s | datasketch docs/s (0.5, incl. shingling) | ratio | datasketch docs/s (0.5, MinHash + insert only) | ratio |")
    L.append("|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        u = row["ingest"].get("lexical", {}).get("per_s")
        ds = [x for x in peer_runs(row) if x["peer"] == "datasketch" and x["threshold"] == 0.5]
        if u and ds:
            d = ds[0]
            L.append(f"| {row['n']:,} | {f(u)} | {f(d['docs_per_s_incl_shingling'])} | "
                     f"{u / d['docs_per_s_incl_shingling']:.1f}x | {f(d['docs_per_s'])} | {u / d['docs_per_s']:.1f}x |")
    # Trace
    L.append("\n### Trace latency, one thread, models loaded (`scale-bench trace`, derived articles picked by a seeded hash)\n")
    L.append("Wall time is what a user waits on this shared machine; on-CPU time (the tracing "
             "thread's run time from /proc/thread-self/schedstat) leaves out waiting for a core "
             "that other work held. MiniLM runs partly on candle's own threads, which on-CPU time "
             "of the tracing thread does not count.\n")
    L.append("| articles | mode | traces | wall p50 ms | p95 | p99 | max | on-CPU p50 ms | p95 | p99 | waited for a CPU (share of wall) | peak RSS MiB | load avg at end |")
    L.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        for m, t in row["trace"].items():
            lat = t["latency_ms"]
            cpu = t.get("on_cpu_ms") or {}
            wait = t.get("waited_for_cpu_ms_total")
            share = wait / (lat["mean"] * t["traces"]) if wait is not None and lat["mean"] else None
            L.append(f"| {row['n']:,} | {m} | {t['traces']} | {lat['p50']:.1f} | {lat['p95']:.1f} | "
                     f"{lat['p99']:.1f} | {lat['max']:.1f} | {f(cpu.get('p50'), '{:.1f}')} | "
                     f"{f(cpu.get('p95'), '{:.1f}')} | {f(cpu.get('p99'), '{:.1f}')} | "
                     f"{f(share, '{:.0%}')} | {f(t['peak_rss_mib'])} | "
                     f"{' '.join(str(x) for x in t['loadavg'])} |")
    # Quality
    L.append("\n### Quality per derivation kind: recall of a true parent\n")
    L.append("unspun: a parent among `trace`'s top 5 sources (traced derived articles), and among all "
             "the sources it reports (any rank: what the peers' figure counts); peers: a parent "
             "in the LSH candidate set (raw, unverified: the peers' most generous reading), every "
             "derived article queried (a 20,000 sample at 1M); sentence-transformers: a parent among "
             "the 5 nearest articles by mean sentence embedding, in a pool of the sample, its "
             "parents and as many distractors.\n")
    L.append("| articles | tool | " + " | ".join(KINDS) + " | all |")
    L.append("|---:|---|" + "---:|" * (len(KINDS) + 1))
    for row in rows:
        for m, t in row["trace"].items():
            pk = t["per_kind"]
            L.append(f"| {row['n']:,} | unspun {m}, parent in top 5 | " + " | ".join(
                f(pk.get(k, {}).get("recall_top5"), "{:.3f}") for k in KINDS)
                + f" | {f(t['recall_top5'], '{:.3f}')} |")
            if t.get("recall_any_rank") is not None:
                L.append(f"| {row['n']:,} | unspun {m}, parent among all sources | " + " | ".join(
                    f(pk.get(k, {}).get("recall_any_rank"), "{:.3f}") for k in KINDS)
                    + f" | {f(t['recall_any_rank'], '{:.3f}')} |")
        for run in peer_runs(row):
            q = peer_recall(run)
            L.append(f"| {row['n']:,} | {run['peer']} {run['threshold']} | " + " | ".join(
                f(q["per_kind"].get(k, {}).get("recall_parent"), "{:.3f}") for k in KINDS)
                + f" | {f(q['recall_parent'], '{:.3f}')} |")
        st = (row.get("peers") or {}).get("sentence_transformers") or {}
        if "recall" in st:
            L.append(f"| {row['n']:,} | sentence-transformers (sample) | " + " | ".join(
                f(st["per_kind"].get(k, {}).get("parent@5"), "{:.3f}") for k in KINDS)
                + f" | {f(st['recall'].get('parent@5'), '{:.3f}')} |")
    L.append("\n### Precision of the pairs unspun reports (traced articles)\n")
    L.append("A reported pair is right when the two articles share lineage (the peers' rule: one is "
             "an ancestor of the other, or they share an ancestor or an original). `all` counts every "
             "source with relation `copy`, `rewrite` or `partial`; `copy/rewrite` only the derivation "
             "claims. The BBC set holds several articles on the same story, which unspun reports as "
             "`partial` and the truth does not link.\n")
    L.append("| articles | mode | " + " | ".join(KINDS) + " | all | copy/rewrite only |")
    L.append("|---:|---|" + "---:|" * (len(KINDS) + 2))
    for row in rows:
        for m, t in row["trace"].items():
            pk = t["per_kind"]
            L.append(f"| {row['n']:,} | {m} | " + " | ".join(
                f(pk.get(k, {}).get("precision"), "{:.3f}") for k in KINDS)
                + f" | {f(t['precision'], '{:.3f}')} | {f(t.get('precision_copy_rewrite'), '{:.3f}')} |")
    # Scan
    L.append("\n### Scan (static mode, all cores)\n")
    L.append("| articles | what | wall s | articles/s | projected full scan | pairs | recall of truth pairs | precision (all / copy-rewrite) | peak RSS MiB |")
    L.append("|---:|---|---:|---:|---:|---:|---:|---|---:|")
    for row in rows:
        s = row.get("scan")
        if not s:
            continue
        if s["what"] == "scan":
            L.append(f"| {row['n']:,} | full `Engine::scan` | {s['wall_s']:.0f} | {f(s['articles_per_s'])} | – | "
                     f"{s['pairs']:,} | {f(s['recall'], '{:.3f}')} | {f(s['precision'], '{:.3f}')} / "
                     f"{f(s.get('precision_copy_rewrite'), '{:.3f}')} | {f(s['peak_rss_mib'])} |")
        else:
            proj = s["projected_full_scan_s"]
            L.append(f"| {row['n']:,} | {s['sampled']:,}-article sample | {s['sample_wall_s']:.0f} | "
                     f"{f(s['articles_per_s'])} | {proj / 60:.0f} min | – | – | – | {f(s['peak_rss_mib'])} |")
    # sentence-transformers
    for row in rows:
        st = (row.get("peers") or {}).get("sentence_transformers") or {}
        if "sentences_per_s" in st:
            L.append(f"\n### sentence-transformers (all-MiniLM-L6-v2, CPU, {st.get('torch_threads')} threads) at {row['n']:,}\n")
            L.append(f"{st['sample_queries']} derived articles, pool of {st['pool_articles']:,} articles "
                     f"({st['sentences']:,} sentences): **{st['sentences_per_s']:.0f} sentences/s** "
                     f"({st['sentences'] / st['encode_s']:.0f} measured), recall of a parent at 1 / 5: "
                     f"{st['recall']['parent@1']:.3f} / {st['recall']['parent@5']:.3f}; its "
                     f"peak RSS {f(st.get('process_peak_rss_mb'))} MiB. At that speed 1M articles "
                     f"(~{st['sentences'] / st['pool_articles']:.0f} sentences each) would take "
                     f"{1e6 * st['sentences'] / st['pool_articles'] / st['sentences_per_s'] / 3600:.0f} h to embed.")
        elif st:
            L.append(f"\nsentence-transformers at {row['n']:,}: {st}")
    return "\n".join(L)


def targets(rows: list[dict]) -> str:
    """The issue's done-when floors, checked against the measured figures."""
    L = ["### Targets of issue 5, checked against these figures\n",
         "| target | measured | met |", "|---|---|---|"]

    def yes(ok) -> str:
        return "–" if ok is None else ("yes" if ok else "**no**")

    big = max(rows, key=lambda r: r["n"]) if rows else None
    for row in rows:
        u = row["ingest"].get("lexical", {}).get("per_s")
        if u:
            L.append(f"| ingest ≥ 5,000 articles/s (fast mode: lexical ingest, static vectors at trace time), {row['n']:,} | "
                     f"{u:,.0f}/s | {yes(u >= 5000)} |")
        ds = [x for x in peer_runs(row) if x["peer"] == "datasketch" and x["threshold"] == 0.5]
        if u and ds:
            d = ds[0]["docs_per_s_incl_shingling"]
            L.append(f"| ingest ≥ 20x datasketch docs/s in the same run, {row['n']:,} | "
                     f"{u / d:.1f}x ({u:,.0f} vs {d:,.0f} incl. shingling) | {yes(u >= 20 * d)} |")
    if big:
        t = big["trace"].get("static")
        if t:
            lat, cpu = t["latency_ms"], t.get("on_cpu_ms") or {}
            L.append(f"| trace p50 ≤ 50 ms at {big['n']:,}, fast mode (static) | wall {lat['p50']:.1f} ms, "
                     f"on-CPU {f(cpu.get('p50'), '{:.1f}')} ms | {yes(lat['p50'] <= 50)} (wall) |")
            L.append(f"| trace p99 ≤ 250 ms at {big['n']:,}, fast mode (static) | wall {lat['p99']:.1f} ms, "
                     f"on-CPU {f(cpu.get('p99'), '{:.1f}')} ms | {yes(lat['p99'] <= 250)} (wall) |")
        ing = big["ingest"].get("lexical")
        peak = max([x for x in [ing and ing["rss_mib"]] + [tr.get("peak_rss_mib") for tr in big["trace"].values()]
                    if x is not None], default=None)
        if peak is not None:
            L.append(f"| peak RSS < 4 GiB ingesting and tracing at {big['n']:,} | {peak:,.0f} MiB | {yes(peak < 4096)} |")
    for row in rows:
        t = row["trace"].get("static")
        ds = [x for x in peer_runs(row) if x["threshold"] == 0.5]
        if t and ds:
            ur = t["per_kind"].get("paraphrase", {}).get("recall_top5")
            pr = ", ".join(f"{x['peer']} {peer_recall(x)['per_kind'].get('paraphrase', {}).get('recall_parent', 0):.3f}"
                           for x in ds)
            ua = t["per_kind"].get("paraphrase", {}).get("recall_any_rank")
            L.append(f"| paraphrase recall ≥ 0.95 where MinHash peers are near zero, {row['n']:,} | unspun static "
                     f"{f(ur, '{:.3f}')} in the top 5, {f(ua, '{:.3f}')} among all sources; peers at 0.5: {pr} | "
                     f"{yes(ur is not None and ur >= 0.95)} (top 5), {yes(ua is not None and ua >= 0.95)} (all sources) |")
    return "\n".join(L)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(16, 7))
    series = {}

    def add(name, n, t, m):
        s = series.setdefault(name, {"n": [], "t": [], "m": []})
        s["n"].append(n), s["t"].append(t), s["m"].append(m)

    for row in rows:
        n = row["n"]
        for m, t in row["ingest"].items():
            if m == "minilm":
                continue
            add(f"unspun ingest ({m})", n, t["wall_s"], t["rss_mib"])
        for run in peer_runs(row):
            if run["threshold"] != 0.5:
                continue
            proc = row["peers"]["peer_processes"].get(run["peer"], {})
            wall = run["articles"] / run["docs_per_s_incl_shingling"]
            add(f"{run['peer']} (0.5, shingle + MinHash + insert)", n, wall, proc.get("process_peak_rss_mb"))
    styles = {"unspun ingest (lexical)": ("tab:blue", "o", "-"),
              "unspun ingest (static)": ("tab:cyan", "s", "-")}
    for name, s in series.items():
        c, mk, ls = styles.get(name, ("tab:red" if "datasketch" in name else "tab:orange", "^", "--"))
        axes[0].plot(s["n"], s["t"], marker=mk, color=c, ls=ls, label=name)
        axes[1].plot(s["n"], [x / 1024 if x else None for x in s["m"]], marker=mk, color=c, ls=ls, label=name)
    # Trace latency
    for mode, c in (("lexical", "tab:blue"), ("static", "tab:cyan"), ("minilm", "tab:purple")):
        ns = [r["n"] for r in rows if mode in r["trace"]]
        if not ns:
            continue
        p50 = [r["trace"][mode]["latency_ms"]["p50"] for r in rows if mode in r["trace"]]
        p99 = [r["trace"][mode]["latency_ms"]["p99"] for r in rows if mode in r["trace"]]
        axes[2].plot(ns, p50, marker="o", color=c, label=f"unspun trace {mode} p50 (wall)")
        axes[2].plot(ns, p99, marker="v", color=c, ls=":", label=f"unspun trace {mode} p99 (wall)")
        if mode == "static":
            cpu = [r["trace"][mode].get("on_cpu_ms", {}).get("p50") for r in rows if mode in r["trace"]]
            axes[2].plot(ns, cpu, marker="x", color="tab:green", ls="-.",
                         label="unspun trace static p50 (on-CPU)")
    axes[2].axhline(50, color="grey", lw=0.8, ls="--")
    axes[2].axhline(250, color="grey", lw=0.8, ls="--")
    axes[1].axhline(4, color="grey", lw=0.8, ls="--")
    axes[1].text(min(r["n"] for r in rows), 4.3, "4 GiB target", color="grey", fontsize=8)
    axes[2].text(min(r["n"] for r in rows), 53, "50 ms (p50 target)", color="grey", fontsize=8)
    axes[2].text(min(r["n"] for r in rows), 265, "250 ms (p99 target)", color="grey", fontsize=8)
    titles = ["Ingest / index build time (s)", "Peak RSS while building (GiB)",
              "Trace latency (ms), one article against the store"]
    from matplotlib.ticker import FuncFormatter, NullFormatter
    for ax, title in zip(axes, titles):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("articles in the corpus (log scale)")
        ax.set_title(title, fontsize=11)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=1, frameon=False)
        ax.set_xticks([r["n"] for r in rows])
        ax.set_xticklabels([short(r["n"]) for r in rows])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
        lo, hi = min(r["n"] for r in rows), max(r["n"] for r in rows)
        ax.set_xlim(lo / 1.6, hi * 1.6)
    fig.suptitle("unspun vs Python MinHash peers: cost growth (2 shared cores; see docs/BENCH.md for load)",
                 fontsize=12)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--sizes", default="20k,100k,1m")
    ap.add_argument("--command", default="scripts/bench.sh")
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    out = Path(a.out)
    sizes = [num(s) for s in a.sizes.split(",")]
    rows = [r for r in collect(out, sizes) if r["ingest"] or r["peers"]]
    body = tables(rows) + "\n\n" + targets(rows)
    print(body)
    if not a.write:
        return
    pk = next((r["peers"]["packages"] for r in rows if r.get("peers")), {})
    versions = ", ".join(f"{k} {v}" for k, v in pk.items() if v)
    ver = subprocess.run([str(out / "bin" / "unspun"), "--version"], capture_output=True,
                         text=True).stdout.strip() or "unspun ?"
    def corpus_of(r: dict) -> str:
        m = r.get("manifest") or {}
        base = (m.get("counts") or {}).get("base")
        return (f"{r['n']:,}: corpus format {m.get('format', 1)}, "
                f"{'?' if base is None else f'{base:,}'} originals")
    corpus_line = "; ".join(corpus_of(r) for r in rows)
    doc = f"""# Scale benchmark: unspun next to the Python peers

Measured with `{a.command}`; report written {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC.
The notes at the end say which rows, if any, come from another run.

- **Machine:** {machine()}. The two cores are shared with other work
  (builds of other sessions): the load averages next to each figure say how
  busy the machine was; a load above 2 means unspun got less than its 2 cores.
- **Versions:** {ver} (commit `{git('rev-parse', '--short', 'HEAD')}`{' + uncommitted changes' if git('status', '--porcelain', '--untracked-files=no') else ''}); peers: {versions}.
- **Corpus:** `unspun-corpus generate --size N --seed 1` (crates/corpus: the
  usable BBC + Reuters-21578 articles as originals, exact and near
  duplicates removed, 25% derived articles of known lineage, the rest
  Markov filler; {corpus_line}). Its rule-based
  paraphrases are not AI rewrites; the seeds and the PAN 2025 sample remain
  the real check for paraphrase.
- **What each step measures** is in the header of `scripts/bench.sh`,
  `crates/bench/src/bin/scale_bench.rs` and `bench/peers/run_peers.py`;
  raw results are JSON under `bench/out/results-N/`.

![cost growth](bench-growth.png)

{body}
"""
    # Hand-written notes (analysis of the figures) below the marker survive
    # a re-run.
    path = REPO / "docs" / "BENCH.md"
    if path.exists() and NOTES in path.read_text():
        doc += "\n" + NOTES + path.read_text().split(NOTES, 1)[1]
    path.write_text(doc)
    plot(rows, REPO / "docs" / "bench-growth.png")
    print(f"\nwrote docs/BENCH.md and docs/bench-growth.png")


if __name__ == "__main__":
    main()
