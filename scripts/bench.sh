#!/usr/bin/env bash
# The scale benchmark (issue 5): unspun next to the Python peers, same corpus,
# same run, at each corpus size. Not part of `cargo test`.
#
#   scripts/bench.sh [--sizes 20k,100k,1m] [--seed 1] [--out bench/out]
#                    [--static-ingest-max 100k] [--full-scan-max 20k]
#                    [--minilm-ingest 1000] [--minilm-traces 50] [--traces 200]
#                    [--scan-sample 2000] [--st-sample 200] [--no-st] [--no-write]
#                    [--reuse-stores]
#
# For each size N it
#   1. generates the corpus with unspun-corpus (fixed seed; reused when its
#      manifest says the same size, seed and corpus format);
#   2. ingests it with `unspun ingest` under /usr/bin/time -v: the default
#      lexical ingest (what `trace --model static`, the fast mode, reads), and
#      `ingest --model static` (vectors precomputed) up to --static-ingest-max;
#      `ingest --model minilm` on the first --minilm-ingest articles of the
#      smallest size only (MiniLM embeds every sentence: ~100 sentences/s);
#   3. times `trace` per mode over --traces derived articles (scale-bench
#      trace): lexical and static at every size, minilm at the smallest;
#   4. scans: a full `Engine::scan` up to --full-scan-max articles, above that
#      the same per-article work on --scan-sample articles, projected;
#   5. runs the peers (scripts/peers.sh: datasketch and rensa, 128
#      permutations, word 5-grams; thresholds 0.5 and 0.8 up to 100k, 0.5 at
#      1M where datasketch needs ~9 GB per index; sentence-transformers
#      paraphrase search on a sample at the smallest size).
# --reuse-stores keeps the lexical stores, and skips an ingest whose store
# and /usr/bin/time report are both there from an earlier run (the report
# then shows that earlier ingest's figures; BENCH.md says which).
# Then bench/report.py prints one table, writes docs/BENCH.md and the plot
# docs/bench-growth.png (unless --no-write). All results stay as JSON under
# the --out directory (git-ignored).
#
# Needs: the models (scripts/setup.sh), python3 with venv, /usr/bin/time.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

sizes="20k,100k,1m"
seed=1
out="bench/out"
static_max="100k"
scan_max="20k"
minilm_ingest=1000
minilm_traces=50
traces=200
scan_sample=2000
st_sample=200
with_st=1
write=1
reuse=0
cmdline="scripts/bench.sh $*"

while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --static-ingest-max) static_max=$2; shift 2 ;;
    --full-scan-max) scan_max=$2; shift 2 ;;
    --minilm-ingest) minilm_ingest=$2; shift 2 ;;
    --minilm-traces) minilm_traces=$2; shift 2 ;;
    --traces) traces=$2; shift 2 ;;
    --scan-sample) scan_sample=$2; shift 2 ;;
    --st-sample) st_sample=$2; shift 2 ;;
    --no-st) with_st=0; shift ;;
    --no-write) write=0; shift ;;
    --reuse-stores) reuse=1; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

say() { echo "bench.sh [$(date +%T)] $*" >&2; }
num() { # 20k -> 20000, 1m -> 1000000
  local s=${1,,}
  case "$s" in
    *k) echo $(( ${s%k} * 1000 )) ;;
    *m) echo $(( ${s%m} * 1000000 )) ;;
    *) echo "$s" ;;
  esac
}

[ -x /usr/bin/time ] || { echo "bench.sh: /usr/bin/time is required (apt-get install time)" >&2; exit 2; }
[ -f models/static/model.safetensors ] || [ -d models/static ] \
  || { echo "bench.sh: models/ missing: run scripts/setup.sh" >&2; exit 2; }

mkdir -p "$out/bin"
say "building release binaries"
cargo build --release --locked -p unspun-cli -p unspun-corpus -p unspun-bench --bin unspun \
  --bin unspun-corpus --bin scale-bench >&2
target=${CARGO_TARGET_DIR:-$repo/target}
# Private copies: a concurrent build into a shared target dir must not swap
# the binary under a running measurement.
cp "$target/release/unspun" "$target/release/unspun-corpus" "$target/release/scale-bench" "$out/bin/"
bin="$repo/$out/bin"
[ "${out:0:1}" = / ] && bin="$out/bin"

say "installing the peers into bench/.venv (idempotent)"
st_flag=()
[ "$with_st" = 1 ] && st_flag=(--with-sentence-transformers)
scripts/peers.sh "${st_flag[@]}" --with-matplotlib --install-only

# A corpus written by an older generator format is made again.
corpus_format=$(sed -n 's/^pub const CORPUS_FORMAT: u32 = \([0-9]*\);/\1/p' crates/corpus/src/lib.rs)
[ -n "$corpus_format" ] || { echo "bench.sh: CORPUS_FORMAT not found in crates/corpus/src/lib.rs" >&2; exit 2; }
static_max_n=$(num "$static_max")
scan_max_n=$(num "$scan_max")
IFS=, read -r -a size_list <<< "$sizes"
smallest=$(for s in "${size_list[@]}"; do num "$s"; done | sort -n | head -1)

# run_time NAME CMD...: runs CMD under /usr/bin/time -v, keeps its report.
run_time() {
  local name=$1; shift
  /usr/bin/time -v -o "$name.time" "$@" > "$name.out" 2> "$name.err" || {
    echo "bench.sh: failed: $* (see $name.err)" >&2; return 1; }
  cat /proc/loadavg > "$name.load"
}

for s in "${size_list[@]}"; do
  n=$(num "$s")
  corpus="$out/corpus-$n"
  res="$out/results-$n"
  mkdir -p "$res"
  if ! grep -q "\"size\": $n," "$corpus/manifest.json" 2>/dev/null \
     || ! grep -q "\"seed\": $seed," "$corpus/manifest.json" 2>/dev/null \
     || ! grep -q "\"format\": $corpus_format," "$corpus/manifest.json" 2>/dev/null; then
    say "$n: generating the corpus (seed $seed)"
    rm -rf "$corpus"
    run_time "$res/generate" "$bin/unspun-corpus" generate --size "$n" --seed "$seed" --out "$corpus" --quiet
  fi
  cp "$corpus/manifest.json" "$res/manifest.json"

  modes=(lexical)
  [ "$n" -le "$static_max_n" ] && modes+=(static)
  for m in "${modes[@]}"; do
    store="$out/store-$n-$m"
    if [ "$reuse" = 1 ] && [ "$m" = lexical ] && [ -d "$store" ] && [ -f "$res/ingest-$m.time" ]; then
      say "$n: reusing $store and its earlier ingest figures"
      echo reused > "$res/ingest-$m.reused"
      continue
    fi
    rm -f "$res/ingest-$m.reused"
    rm -rf "$store"
    say "$n: ingest ($m)"
    model=()
    [ "$m" != lexical ] && model=(--model "$m")
    uptime > "$res/ingest-$m.uptime"
    run_time "$res/ingest-$m" "$bin/unspun" --store "$store" ingest --format jsonl --quiet \
      "${model[@]}" "$corpus/articles.jsonl"
    du -sb "$store" | cut -f1 > "$res/ingest-$m.bytes"
    [ "$m" = static ] && rm -rf "$store"  # traces use the lexical store
  done
  if [ "$n" = "$smallest" ] && [ "$minilm_ingest" -gt 0 ]; then
    say "$n: ingest (minilm) of the first $minilm_ingest articles"
    head -n "$minilm_ingest" "$corpus/articles.jsonl" > "$out/minilm-sample.jsonl"
    rm -rf "$out/store-minilm"
    run_time "$res/ingest-minilm" "$bin/unspun" --store "$out/store-minilm" ingest --format jsonl \
      --quiet --model minilm "$out/minilm-sample.jsonl"
    echo "$minilm_ingest" > "$res/ingest-minilm.articles"
    du -sb "$out/store-minilm" | cut -f1 > "$res/ingest-minilm.bytes"
    rm -rf "$out/store-minilm" "$out/minilm-sample.jsonl"
  fi

  store="$out/store-$n-lexical"
  tmodes=(lexical static)
  [ "$n" = "$smallest" ] && tmodes+=(minilm)
  for m in "${tmodes[@]}"; do
    k=$traces
    [ "$m" = minilm ] && k=$minilm_traces
    say "$n: trace ($m, $k articles)"
    run_time "$res/trace-$m" "$bin/scale-bench" trace --store "$store" --corpus "$corpus" \
      --mode "$m" --n "$k" --seed "$seed" --out "$res/trace-$m.json"
  done

  if [ "$n" -le "$scan_max_n" ]; then
    say "$n: full scan (static)"
    run_time "$res/scan" "$bin/scale-bench" scan --store "$store" --corpus "$corpus" \
      --mode static --out "$res/scan.json"
  else
    say "$n: scan of a $scan_sample-article sample (static), projected"
    run_time "$res/scan" "$bin/scale-bench" scan --store "$store" --corpus "$corpus" \
      --mode static --sample "$scan_sample" --seed "$seed" --out "$res/scan.json"
  fi

  say "$n: peers"
  popts=(--no-table --ds-procs 0 --out "$res/peers.json")
  if [ "$n" -ge 1000000 ]; then
    popts+=(--thresholds 0.5 --bandings native --limit-queries 20000 --peers datasketch,rensa)
  elif [ "$n" = "$smallest" ] && [ "$with_st" = 1 ]; then
    popts+=(--bandings native --peers datasketch,rensa,st --st-sample "$st_sample" \
      --st-distractors "$st_sample")
  else
    popts+=(--bandings native --peers datasketch,rensa)
  fi
  uptime > "$res/peers.uptime"
  run_time "$res/peers-run" scripts/peers.sh "${st_flag[@]}" "$corpus" "${popts[@]}"
  [ "$reuse" = 1 ] || rm -rf "$store"
done

report=(bench/.venv/bin/python bench/report.py --out "$out" --sizes "$sizes" --command "$cmdline")
[ "$write" = 1 ] && report+=(--write)
"${report[@]}"
