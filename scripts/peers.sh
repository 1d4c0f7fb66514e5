#!/usr/bin/env bash
# Runs the Python peers of the scale benchmark (datasketch, rensa, and
# optionally sentence-transformers) on a corpus directory.
#
#   scripts/peers.sh [--with-sentence-transformers] [--with-matplotlib] CORPUS_DIR [run_peers.py options]
#   scripts/peers.sh [--with-...] --install-only     (only create/check the venv)
#
# Creates bench/.venv (git-ignored) once with `python3 -m venv` and installs the
# pinned PyPI packages below into it; later runs only check the pins. With
# --with-sentence-transformers it also installs sentence-transformers and the
# torch it needs (PyPI's torch is the CUDA build: ~5.8 GB installed, about a
# minute to install here; it runs on the CPU). Everything else is passed on
# to bench/peers/run_peers.py; see `scripts/peers.sh --help`. Relative paths
# are taken from the current directory.
#
# Only PyPI is used, and only here: run_peers.py downloads nothing (the MiniLM
# weights come from models/minilm, made by scripts/setup.sh).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

DATASKETCH="datasketch==2.0.0"
RENSA="rensa==0.5.0"
# sentence-transformers needs torch. PyPI has only the CUDA build of torch for
# Linux x86_64 (with its nvidia-* wheels the venv grows to ~5.8 GB); it runs
# on the CPU here. The CPU-only wheels live on another index, which is not
# reachable, so this is the build that can be installed.
TORCH="torch==2.15.0"
ST_PKGS=("sentence-transformers==6.2.0" "transformers==5.23.0")
# For the cost-growth plot of scripts/bench.sh.
MATPLOTLIB="matplotlib==3.11.2"

venv="$repo/bench/.venv"
py="$venv/bin/python"

say() { echo "peers.sh: $*" >&2; }
die() { echo "peers.sh: error: $*" >&2; exit 1; }

with_st=0
with_plot=0
install_only=0
args=()
for a in "$@"; do
  case "$a" in
    --with-sentence-transformers) with_st=1 ;;
    --with-matplotlib) with_plot=1 ;;
    --install-only) install_only=1 ;;
    *) args+=("$a") ;;
  esac
done

if [ ! -x "$py" ]; then
  command -v python3 >/dev/null || die "python3 is required"
  say "creating $venv"
  python3 -m venv "$venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "$py" -m pip install --quiet --upgrade pip
fi

# pip is quick when the pins are already satisfied, so just ask it each time.
have() { "$py" -m pip show "$1" 2>/dev/null | sed -n 's/^Version: //p'; }
want() { # want SPEC...: installs the specs whose pinned version is not there
  local s missing=()
  for s in "$@"; do
    [ "$(have "${s%%==*}")" = "${s##*==}" ] || missing+=("$s")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    "$py" -m pip install --quiet "${missing[@]}"
  fi
}

want "$DATASKETCH" "$RENSA"
if [ "$with_st" = 1 ]; then
  want "$TORCH"
  want "${ST_PKGS[@]}"
fi
if [ "$with_plot" = 1 ]; then
  want "$MATPLOTLIB"
fi
[ "$install_only" = 1 ] && exit 0

exec "$py" "$repo/bench/peers/run_peers.py" "${args[@]}"
