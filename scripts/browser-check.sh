#!/usr/bin/env bash
# The web app in real headless Chromium: Debian's `chromium` (installed
# here with apt-get when missing), driven by playwright-core from
# npm (pinned in tests/browser/package-lock.json). Serves the seeds, runs
# tests/browser/*.test.js, and saves screenshots to docs/. Run by
# scripts/test.sh (so by CI).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -x /usr/bin/chromium ]; then
  # Debian's chromium, from the distribution's registry (root, or sudo).
  as_root=""
  if [ "$(id -u)" != 0 ]; then as_root=sudo; fi
  echo "browser-check.sh: installing Debian's chromium for the browser tests" >&2
  if ! { $as_root apt-get update -q && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -q chromium; } >&2; then
    echo "browser-check.sh: cannot install chromium (apt-get install chromium needs root): the browser tests cannot run" >&2
    exit 2
  fi
fi
(cd "$repo/tests/browser" && npm ci --no-audit --no-fund --silent)
. "$repo/scripts/lib/serve-seeds.sh"
serve_seeds "$repo"
cd "$repo/tests/browser"
UNSPUN_URL="$url" UNSPUN_TOKEN="$token" SCREENSHOTS="$repo/docs" node --test
