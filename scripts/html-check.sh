#!/usr/bin/env bash
# Headless-browser check of the HTML report: renders the seed trace in
# Chromium, checks the rendered DOM, and stores a screenshot in docs/.
# Not part of the test command (it needs a browser: installs Debian's
# chromium when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
  echo "installing chromium (Debian package)..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
cargo build --release --locked -q -p unspun-cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/unspun --store "$work/store" ingest examples/seeds >/dev/null
./target/release/unspun --store "$work/store" trace --id 000_8f16aa07f174a1e7 --html "$work/trace.html" >/dev/null
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$work/profile")
chromium "${flags[@]}" --dump-dom "file://$work/trace.html" 2>/dev/null > "$work/dom.html"
fail=0
check() { if grep -q "$1" "$work/dom.html"; then echo "ok: $2"; else echo "FAIL: $2" >&2; fail=1; fi; }
check '<table>' "the side-by-side table rendered"
check 'mark class="major"' "misquotes are highlighted"
check 'quote_altered' "changes are listed"
check 'href="#s0d0"' "aligned sentences are linked"
rows=$(grep -o '<tr id="s0d' "$work/dom.html" | wc -l)
if [ "$rows" -eq 29 ]; then echo "ok: one row per sentence of 000 (29)"; else echo "FAIL: $rows rows, expected 29" >&2; fail=1; fi
chromium "${flags[@]}" --window-size=1400,1800 --screenshot="docs/trace-000-html.png" "file://$work/trace.html" 2>/dev/null >/dev/null
echo "screenshot: docs/trace-000-html.png"
exit $fail
