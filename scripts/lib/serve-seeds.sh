# Sourced by scripts/api-check.sh and scripts/browser-check.sh: serves a
# new store holding the seeds (examples/seeds) and their derivation graph,
# with a write token, on a free loopback port, and stops it on exit.
#
# After `serve_seeds`: $url is the server's base URL, $token its write
# token, $work a scratch directory removed on exit.
serve_seeds() {
  local repo=$1
  cargo build -q --locked -p unspun-cli
  local unspun="$repo/target/debug/unspun"
  work=$(mktemp -d)
  server=""
  trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
  "$unspun" ingest --store "$work/store" "$repo/examples/seeds" >/dev/null 2>&1
  "$unspun" graph --store "$work/store" >/dev/null 2>&1
  token=seeds-check-token
  printf '%s\n' "$token" > "$work/token"
  # Webhooks to loopback allowed: the browser tests make one.
  "$unspun" serve --store "$work/store" --bind 127.0.0.1:0 --token-file "$work/token" --allow-private-webhooks \
    > "$work/serve.out" 2> "$work/serve.err" &
  server=$!
  for _ in $(seq 1 100); do
    if grep -q '^listening on ' "$work/serve.out" 2>/dev/null; then break; fi
    sleep 0.1
  done
  url=$(sed -n 's/^listening on //p' "$work/serve.out")
  if [ -z "$url" ]; then
    echo "the server did not start:" >&2
    cat "$work/serve.err" >&2
    exit 1
  fi
}
