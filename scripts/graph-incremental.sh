#!/usr/bin/env bash
# Measures the graph's incremental update on Reuters-21578 (docs/GRAPH.md,
# "On Reuters-21578"): builds the graph on reut2-000..020, ingests
# reut2-021 and updates, then rebuilds with the same statistics and checks
# that both JSON Lines are byte-identical, then builds with statistics taken
# afresh. Times and peak RSS come from /usr/bin/time -v.
#
# usage: scripts/graph-incremental.sh [WORK_DIR]   (default: a temporary dir)
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/reuters21578
[ -d "$data" ] || { echo "error: $data is missing" >&2; exit 2; }
cargo build --release --locked -p unspun-cli
bin="${CARGO_TARGET_DIR:-target}/release/unspun"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
store="$work/store"
rm -rf "$store"
run() { # label, then the unspun arguments
  local label=$1; shift
  /usr/bin/time -v "$bin" --store "$store" "$@" 2> "$work/$label.time" > /dev/null
  grep -E "^graph:" "$work/$label.time" || true
  grep -E "Elapsed|User time|Maximum resident" "$work/$label.time" | sed 's/^\s*/  /'
}
"$bin" --store "$store" ingest --quiet --format reuters-sgml "$data"/reut2-0{00..20}.sgm
echo "== first build"; run first graph --jsonl "$work/first.jsonl"
"$bin" --store "$store" ingest --quiet --format reuters-sgml "$data/reut2-021.sgm"
echo "== update"; run update graph --jsonl "$work/update.jsonl"
echo "== rebuild (same statistics)"; run rebuild graph --rebuild --jsonl "$work/rebuild.jsonl"
if cmp -s "$work/update.jsonl" "$work/rebuild.jsonl"; then echo "update == rebuild"; else echo "update != rebuild"; exit 1; fi
echo "== statistics taken afresh"; run fresh graph --refresh-statistics --jsonl "$work/fresh.jsonl"
ls -l "$store/graph/state.json"
echo "outputs in $work"
