#!/usr/bin/env bash
# Load benchmark of `unspun serve` on the real BBC News + Reuters-21578
# corpus (issue 17; figures in docs/LOAD-BENCH.md). Needs wrk (Debian's
# package: apt-get install wrk) and ../shared/data.
#
#   scripts/load-bench.sh [SECONDS]     (default 60)
#
# 1. The corpus store: bench/out/reuse-store, made by reuse-eval when
#    missing; copied to bench/out/load-store (the benchmark writes to it),
#    with its derivation graph built by `unspun graph`.
# 2. 10,000 generated articles to post (unspun-corpus, seed 11).
# 3. `unspun serve` on a loopback port; bench/load/run.py drives wrk.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
seconds=${1:-60}
command -v wrk >/dev/null || { echo "load-bench.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }
cargo build -q --release --locked -p unspun-cli -p unspun-corpus -p unspun-bench
if [ ! -f bench/out/reuse-store/articles.sqlite3 ]; then
  ./target/release/reuse-eval --limit 1 >/dev/null
fi
rm -rf bench/out/load-store
cp -r bench/out/reuse-store bench/out/load-store
echo "load-bench.sh: building the derivation graph of the corpus" >&2
./target/release/unspun graph --store bench/out/load-store >/dev/null
./target/release/unspun-corpus generate --quiet --size 10000 --seed 11 --out bench/out/load-corpus
work=$(mktemp -d)
server=""
trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
token=load-bench-token
printf '%s\n' "$token" > "$work/token"
./target/release/unspun serve --store bench/out/load-store --bind 127.0.0.1:0 --token-file "$work/token" \
  > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 1 300); do
  if grep -q '^listening on ' "$work/serve.out" 2>/dev/null; then break; fi
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$url" ] || { cat "$work/serve.err" >&2; exit 1; }
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') ($(nproc) cores); date: $(date -u +%Y-%m-%dT%H:%MZ); commit: $(git rev-parse --short HEAD)"
python3 bench/load/run.py --url "$url" --token "$token" --corpus bench/out/load-corpus/articles.jsonl \
  --seconds "$seconds" --work "$work"
