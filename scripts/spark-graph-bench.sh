#!/usr/bin/env bash
# The Spark job against `unspun graph` on one corpus (issue 18), same
# machine, same run: `unspun ingest` + `unspun graph --jsonl` (release,
# /usr/bin/time for wall time and peak memory), then the Spark job on
# local[2] (crates/python/bench/spark_graph.py: wall time per stage, peak
# memory of the process tree, shuffle bytes per stage), then how the two
# graphs differ (crates/python/bench/compare_graphs.py; with the labelled
# pairs of reuse-labels when the corpus is the news corpus). Prints JSON.
#
#   scripts/spark-graph-bench.sh [CORPUS.jsonl] [BUCKET_CAP]
# Default corpus: BBC News + Reuters-21578 (news-jsonl), 21,268 articles.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
venv="$repo/target/py-venv"
work="$repo/target/spark-bench"
mkdir -p "$work"
cargo build -q --release --locked -p unspun-cli -p unspun-bench --bin news-jsonl
corpus=${1:-$work/news.jsonl}
cap=${2:-}
[ -s "$corpus" ] || ./target/release/news-jsonl --out "$corpus"
[ -x "$venv/bin/python" ] || { echo "spark-graph-bench.sh: run scripts/python-check.sh first (it makes $venv)" >&2; exit 2; }
VIRTUAL_ENV="$venv" "$venv/bin/maturin" develop --release --quiet --locked
export PYSPARK_PYTHON="$venv/bin/python"
name=$(basename "$corpus" .jsonl)
store="$work/$name.store"
rm -rf "$store" "$work/$name.spark"
# Wall seconds and peak resident KB of a command, by /usr/bin/time.
t() { /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>&1; tail -n1 "$work/time.txt"; }
ingest=$(t ./target/release/unspun --store "$store" ingest "$corpus")
graph=$(t ./target/release/unspun --store "$store" graph --models models --jsonl "$work/$name.graph.jsonl")
spark=$("$venv/bin/python" crates/python/bench/spark_graph.py "$corpus" "$work/$name.spark" --models models ${cap:+--cap "$cap"} 2>/dev/null | tail -n1)
labels=()
[ "$name" = news ] && labels=(--labels ../shared/data/reuse-labels/pairs.jsonl)
diff=$("$venv/bin/python" crates/python/bench/compare_graphs.py "$work/$name.graph.jsonl" "$work/$name.spark/graph.jsonl" "${labels[@]}")
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
printf '{"corpus": "%s", "machine": "%s, %s cores", "date": "%s", "commit": "%s",\n "unspun_ingest": {"seconds": %s, "peak_kb": %s},\n "unspun_graph": {"seconds": %s, "peak_kb": %s},\n "spark": %s,\n "difference": %s}\n' \
  "$corpus" "$cpu" "$(nproc)" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(git rev-parse --short HEAD)" \
  ${ingest% *} ${ingest#* } ${graph% *} ${graph#* } "$spark" "$diff"
