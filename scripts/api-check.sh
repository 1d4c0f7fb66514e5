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
cargo build -q --locked -p unspun-cli
unspun="$repo/target/debug/unspun"
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
"$unspun" ingest --store "$work/store" "$repo/examples/seeds" >/dev/null 2>&1
"$unspun" graph --store "$work/store" >/dev/null 2>&1
printf 'api-check-token\n' > "$work/token"
"$unspun" serve --store "$work/store" --bind 127.0.0.1:0 --token-file "$work/token" \
  > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 1 100); do
  if grep -q '^listening on ' "$work/serve.out" 2>/dev/null; then break; fi
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
if [ -z "$url" ]; then
  echo "api-check.sh: the server did not start:" >&2
  cat "$work/serve.err" >&2
  exit 1
fi
cd "$work"
"$venv/bin/st" --config-file "$repo/scripts/api-check/schemathesis.toml" run "$url/openapi.json" \
  -H "Authorization: Bearer api-check-token" --seed 42 --max-examples 50 --no-color
