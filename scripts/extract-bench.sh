#!/usr/bin/env bash
# Body-text extraction on the article-extraction-benchmark (181 saved pages
# with the body a person marked): unspun's HTML reader and its peer
# trafilatura (Python), scored by the benchmark's own evaluate.py.
#
#   scripts/extract-bench.sh [DATA_DIR]      (default ../shared/data)
#
# Creates .venv-bench (git-ignored) once with `python3 -m venv` and installs
# the pinned trafilatura from PyPI into it. Builds and runs
# `extract-eval` (crates/bench/src/bin/extract_eval.rs), runs
# bench/extract/run_trafilatura.py, then evaluate.py from a scratch copy of
# the benchmark folder, and prints its table; then scores headline and date
# on the pages that declare them (bench/extract/score_metadata.py).
# Figures: docs/EXTRACT-BENCH.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
data=$(cd "${1:-$repo/../shared/data}" && pwd)
bench="$data/article-extraction-benchmark"
TRAFILATURA="trafilatura==2.3.1"
# trafilatura imports lxml.html.clean, which lxml 6 moved to its own package.
LXML_CLEAN="lxml_html_clean==0.4.7"

venv="$repo/.venv-bench"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/pip" freeze 2>/dev/null | grep -qx "$TRAFILATURA"; then
    "$venv/bin/pip" install -q "$TRAFILATURA" "$LXML_CLEAN"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/output"
cp "$bench/ground-truth.json" "$bench/evaluate.py" "$work/"

cd "$repo"
# The dev profile: the extractor and its dependencies are built at opt-level 2
# there too (see Cargo.toml), and the scores do not depend on the profile.
cargo build -q -p unspun-bench --bin extract-eval
./target/debug/extract-eval --data "$data" --out "$work/output/unspun.json"
"$venv/bin/python" bench/extract/run_trafilatura.py "$bench/html" "$work/output/trafilatura.json"
cd "$work"
"$venv/bin/python" evaluate.py --n-bootstrap 1000
echo
"$venv/bin/python" "$repo/bench/extract/score_metadata.py" "$bench/html" output
