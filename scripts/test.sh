#!/usr/bin/env bash
# The project's test command (README, command 2; CI calls it too).
# Prepares what the tests need, then runs every test of the workspace.
# Tests read the evaluation data in ../shared/data; they fail, never skip,
# when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d ../shared/data ]; then
  echo "error: ../shared/data is missing: the tests read real evaluation data from there" >&2
  exit 2
fi
bash scripts/setup.sh   # models for unspun-embed (quick when already there)
bash scripts/warc-fixture.sh   # the benchmark pages as a WARC written by warcio
cargo test --workspace --locked "$@"
bash scripts/api-check.sh   # the API against its OpenAPI document (Schemathesis)
bash scripts/browser-check.sh   # the web app in headless Chromium
bash scripts/python-check.sh   # the Python package (maturin, pytest)
