#!/usr/bin/env bash
# Memory of `unspun ingest` on a large WARC: the article-extraction-benchmark
# pages written REPEAT times (default 40, ~1 GB uncompressed, gzip per
# record) by warcio, ingested into a fresh store; prints the WARC's size and
# record count, ingest wall time and peak RSS (/usr/bin/time -v).
# Figures: docs/EXTRACT-BENCH.md.
#
#   scripts/warc-bench.sh [WORK_DIR] [REPEAT]   (default /tmp/unspun-warc-bench, 40)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
data=$(cd "${UNSPUN_DATA:-$repo/../shared/data}" && pwd)
work=${1:-/tmp/unspun-warc-bench}
repeat=${2:-40}
mkdir -p "$work"
bash "$repo/scripts/warc-fixture.sh" "$data" >/dev/null   # the pinned warcio venv
warc="$work/bench-pages-x$repeat.warc.gz"
if [ ! -s "$warc" ]; then
  "$repo/target/test-venv/bin/python" "$repo/scripts/warc-fixture.py" \
    "$data/article-extraction-benchmark" "$warc" "$repeat"
fi
cd "$repo"
cargo build -q --release --locked -p unspun-cli --bin unspun
rm -rf "$work/store"
/usr/bin/time -v ./target/release/unspun --store "$work/store" ingest --quiet "$warc" \
  2> "$work/time.txt" | tail -1
records=$(zcat "$warc" | grep -ac '^WARC-Type: response')
raw=$(zcat "$warc" | wc -c)
rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
grep -v -e '^	' "$work/time.txt" | tail -3 || true
printf '| WARC (gzip per record) | uncompressed | records | ingest wall | peak RSS |\n|---|---:|---:|---:|---:|\n'
printf '| %s MiB | %s MiB | %s | %s | %s MiB |\n' \
  "$(( $(stat -c %s "$warc") / 1048576 ))" "$(( raw / 1048576 ))" "$records" "$wall" "$rss"
