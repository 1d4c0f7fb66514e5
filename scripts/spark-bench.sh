#!/usr/bin/env bash
# The Spark job's fingerprint stage (issue 18): the same Rust function run
# by Rust alone (`fingerprint-bench`) and by Spark through mapInArrow
# (crates/python/bench/fingerprint_spark.py, local[1]), both pinned to one
# core with taskset, on the same JSON Lines articles; prints a Markdown
# table. Usage: scripts/spark-bench.sh [ARTICLES.jsonl] (default: the BBC +
# Reuters corpus written by news-jsonl into target/spark-bench/).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
venv="$repo/target/py-venv"
out="$repo/target/spark-bench"
mkdir -p "$out"
cargo build -q --release --locked -p unspun-bench --bin fingerprint-bench --bin news-jsonl
jsonl=${1:-$out/news.jsonl}
[ -s "$jsonl" ] || ./target/release/news-jsonl --out "$jsonl"
[ -x "$venv/bin/python" ] || { echo "spark-bench.sh: run scripts/python-check.sh first (it makes $venv)" >&2; exit 2; }
# The package built in release, as a user's pip install builds it.
VIRTUAL_ENV="$venv" "$venv/bin/maturin" develop --release --quiet --locked
export PYSPARK_PYTHON="$venv/bin/python"
rust=$(taskset -c 0 ./target/release/fingerprint-bench "$jsonl")
spark=$(taskset -c 0 "$venv/bin/python" crates/python/bench/fingerprint_spark.py "$jsonl" 2>/dev/null | tail -n1)
"$venv/bin/python" - "$rust" "$spark" <<'PY'
import json, sys, subprocess, platform, datetime
r, s = json.loads(sys.argv[1]), json.loads(sys.argv[2])
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
print(f"Fingerprint stage, one core (taskset -c 0), {r['articles']} articles; {cpu}; "
      f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; commit {commit}\n")
print("| run | articles/s | seconds |\n|---|---:|---:|")
print(f"| Rust alone (`fingerprint-bench`) | {r['per_second']:.0f} | {r['seconds']:.2f} |")
print(f"| Spark `mapInArrow`, local[1] | {s['per_second']:.0f} | {s['seconds']:.2f} |")
print(f"\nSpark takes {s['seconds'] / r['seconds']:.2f}x the time of Rust alone (issue 18: at most 1.5x).")
PY
