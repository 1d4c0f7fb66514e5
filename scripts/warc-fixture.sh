#!/usr/bin/env bash
# Writes target/test-data/bench-pages.warc.gz: the article-extraction-benchmark
# pages as a WARC written by warcio (PyPI, pinned), which the WARC reader's
# equivalence test reads (crates/article/tests/warc_equivalence.rs).
# Idempotent: quick when the WARC is there and newer than its writer.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
data=$(cd "${1:-$repo/../shared/data}" && pwd)
WARCIO="warcio==1.8.1"
out="$repo/target/test-data/bench-pages.warc.gz"
writer="$repo/scripts/warc-fixture.py"
if [ -s "$out" ] && [ "$out" -nt "$writer" ]; then
  exit 0
fi
venv="$repo/target/test-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/pip" freeze 2>/dev/null | grep -qx "$WARCIO"; then
  "$venv/bin/pip" install -q "$WARCIO"
fi
mkdir -p "$(dirname "$out")"
"$venv/bin/python" "$writer" "$data/article-extraction-benchmark" "$out"
echo "warc-fixture.sh: wrote $out" >&2
