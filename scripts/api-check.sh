#!/usr/bin/env bash
# The API against its own OpenAPI document with Schemathesis (PyPI,
# pinned): every check, a fixed seed. Run by scripts/test.sh (so by CI).
#
# It serves a store holding the seeds and their derivation graph, with a
# write token, on a free loopback port, and stops the server afterwards.
# Settings: scripts/api-check/schemathesis.toml. Exits non-zero on any
# failure.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
SCHEMATHESIS="schemathesis==4.32.5"
venv="$repo/target/test-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/pip" freeze 2>/dev/null | grep -qx "$SCHEMATHESIS"; then
  "$venv/bin/pip" install -q "$SCHEMATHESIS"
fi
. "$repo/scripts/lib/serve-seeds.sh"
serve_seeds "$repo"
cd "$work"
"$venv/bin/st" --config-file "$repo/scripts/api-check/schemathesis.toml" run "$url/openapi.json" \
  -H "Authorization: Bearer $token" --seed 42 --max-examples 50 --no-color
