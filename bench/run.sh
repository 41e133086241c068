#!/usr/bin/env bash
# Runs the benchmarks of a build tree (default build/release) and prints their tables:
#   1. every Google Benchmark program bmil_bench_* of the tree;
#   2. batch throughput on a generated case JSONL, every program timed in this same run:
#      the simdjson floor, a simdjson DOM parse of every record with nothing computed, the
#      nlohmann DOM program, `bmil batch --threads 1` with no
#      analyzer (parsing and validation only: the line plugins alone),
#      `bmil batch --threads 1` and `bmil batch` on all cores, as MB/s, ratios to the floor
#      and to nlohmann, CPU seconds (user + system: what a busy machine's wall time hides)
#      and peak RSS; then the all-cores / 1-thread speedup of bmil batch, and the plugin
#      boundary's overhead on one analyzer add (from bmil_bench_boundary's output in step 1),
#      and the one-thread bound: DOM parse + the analyzers' adds (from bmil_bench_batch's
#      output in step 1) against the floor;
#   3. start-up: `bmil plugins list` against `bmil --version` (median of 20 runs each).
# bench/README.md says what each program measures and how to read the tables.
#
# Usage: bench/run.sh [BUILD_DIR]
# Environment:
#   BMIL_BENCH_COMPANIES  companies in the data set (default 100000, about 470 MB)
#   BMIL_BENCH_RUNS       runs per program; the best time counts (default 3)
#   BMIL_BENCH_MICRO=0    skip the Google Benchmark programs
# The data set is generated once (bench/generate_cases.py, seed 1) and kept under
# BUILD_DIR/bench-data, named after the company count and the generator's checksum.
# Exit status 1 when a program fails (`bmil batch` not existing yet is not a failure).
set -euo pipefail
export LC_ALL=C  # "." as the decimal point in $EPOCHREALTIME, awk and printf

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build/release}
bin=$build/bin
bmil=$bin/bmil
companies=${BMIL_BENCH_COMPANIES:-100000}
runs=${BMIL_BENCH_RUNS:-3}
seed=1
cores=$(nproc)
failed=0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- 1. Google Benchmark programs
if [[ ${BMIL_BENCH_MICRO:-1} != 0 ]]; then
  shopt -s nullglob
  for bench in "$bin"/bmil_bench_*; do
    echo "== $(basename "$bench")"
    # Kept for the summary lines below (bmil_bench_boundary's overhead line).
    "$bench" --benchmark_min_time=0.2 | tee "$tmp/$(basename "$bench").out"
  done
  shopt -u nullglob
  echo
fi

# ---- 2. Batch throughput
generator=$here/generate_cases.py
checksum=$(sha1sum "$generator" | cut -c1-8)
data_dir=$build/bench-data
data=$data_dir/cases_${companies}_seed${seed}_${checksum}.jsonl
mkdir -p "$data_dir"
if [[ ! -s $data ]]; then
  # Data sets of an older generator are stale: remove them (they are large).
  find "$data_dir" -maxdepth 1 -name 'cases_*_seed*_*.jsonl' ! -name "*_${checksum}.jsonl" -delete
  echo "generating $companies companies (seed $seed) into $data ..." >&2
  /usr/bin/python3 "$generator" --companies "$companies" --seed "$seed" -o "$data.partial"
  mv "$data.partial" "$data"
fi
bytes=$(stat -c %s "$data")

declare -A secs cpu rss status

# measure NAME COMMAND...: runs COMMAND $runs times under /usr/bin/time; keeps the best wall
# time (taken around the run from $EPOCHREALTIME, to the microsecond: %e has 10 ms steps)
# and the highest peak RSS (%M, KiB); cpu[NAME] is the user + system time of the best run.
# On a failed run: status[NAME] = "failed (exit N)".
measure() {
  local name=$1
  shift
  local best="" best_cpu="" peak=0 run t0 t1 elapsed rc kib
  for ((run = 0; run < runs; run++)); do
    t0=$EPOCHREALTIME
    rc=0
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr" || rc=$?
    t1=$EPOCHREALTIME
    if ((rc != 0)); then
      status[$name]="failed (exit $rc)"
      echo "$name: $* exited with $rc:" >&2
      tail -n 5 "$tmp/stderr" | sed 's/^/  /' >&2
      failed=1
      return
    fi
    kib=$(tail -n 1 "$tmp/time" | awk '{print $2}')
    elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
    if [[ -z $best ]] || awk -v b="$best" -v e="$elapsed" 'BEGIN { exit !(e < b) }'; then
      best=$elapsed
      best_cpu=$(tail -n 1 "$tmp/time" | awk '{ printf "%.2f", $3 + $4 }')
    fi
    if ((kib > peak)); then peak=$kib; fi
  done
  secs[$name]=$best
  cpu[$name]=$best_cpu
  rss[$name]=$peak
  status[$name]=ok
}

# `bmil batch --help` alone is no test: CLI11 prints the main help, with status 0, for a
# subcommand it does not know. The subcommand's own help names it in its usage line.
has_batch() {
  "$bmil" batch --help 2>/dev/null | grep -q '^Usage:.* batch'
}

names=(floor domparse nlohmann parse1 batch1 batchN)
declare -A label=(
  [floor]="simdjson floor (1 thread)"
  [domparse]="simdjson DOM parse only"
  [nlohmann]="nlohmann DOM (1 thread)"
  [parse1]="bmil batch, no analyzer, 1t"
  [batch1]="bmil batch --threads 1"
  [batchN]="bmil batch (all $cores cores)"
)
# The line plugins alone (their ids and kinds from `bmil plugins list`, which opens none):
# cases are parsed and validated as usual, and no analyzer runs.
lines_only=$tmp/line-plugins
mkdir -p "$lines_only"
"$bmil" plugins list 2>/dev/null | awk '$2 == "line" { print $NF }' | while read -r so; do
  ln -s "$(dirname "$so")" "$lines_only/$(basename "$(dirname "$so")")"
done
measure floor "$bin/bmil_floor_simdjson" "$data"
measure domparse "$bin/bmil_floor_dom_parse" "$data"
measure nlohmann "$bin/bmil_floor_nlohmann" "$data"
if has_batch; then
  measure parse1 "$bmil" --no-default-plugins --plugin-dir "$lines_only" batch "$data" \
    --threads 1 -o "$tmp/results.json" --quiet
  measure batch1 "$bmil" batch "$data" --threads 1 -o "$tmp/results.json" --quiet
  measure batchN "$bmil" batch "$data" -o "$tmp/results.json" --quiet
else
  status[parse1]="n/a (no bmil batch yet)"
  status[batch1]="n/a (no bmil batch yet)"
  status[batchN]="n/a (no bmil batch yet)"
fi

mbps() {  # MB/s of a measured program (MB = 10^6 bytes), or empty
  [[ ${status[$1]} == ok ]] && awk -v b="$bytes" -v s="${secs[$1]}" 'BEGIN { printf "%.1f", b / 1e6 / s }'
  return 0
}
ratio() {  # speed of $1 / speed of $2 (= time of $2 / time of $1), or "n/a"
  if [[ ${status[$1]} == ok && ${status[$2]} == ok ]]; then
    awk -v a="${secs[$1]}" -v b="${secs[$2]}" 'BEGIN { printf "%.2f", b / a }'
  else
    echo "n/a"
  fi
}

printf '== Batch throughput: %d companies, %.1f MB (seed %d), best of %d runs, %d cores\n' \
  "$companies" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$seed" "$runs" "$cores"
printf '%-28s %9s %9s %11s %7s %13s\n' program MB/s "vs floor" "vs nlohmann" "CPU s" \
  "peak RSS MiB"
for name in "${names[@]}"; do
  if [[ ${status[$name]} == ok ]]; then
    printf '%-28s %9s %9s %11s %7s %13s\n' "${label[$name]}" "$(mbps "$name")" \
      "$(ratio "$name" floor)" "$(ratio "$name" nlohmann)" "${cpu[$name]}" \
      "$(awk -v k="${rss[$name]}" 'BEGIN { printf "%.1f", k / 1024 }')"
  else
    printf '%-28s %9s   %s\n' "${label[$name]}" n/a "${status[$name]}"
  fi
done
printf 'bmil batch speedup, all %d cores / 1 thread: %s\n' "$cores" "$(ratio batchN batch1)"
# bmil_bench_boundary ends with "boundary overhead: X% (plugin P ns/add, static S ns/add)".
if [[ ${BMIL_BENCH_MICRO:-1} == 0 ]]; then
  boundary="n/a (Google Benchmark programs skipped)"
elif [[ -s $tmp/bmil_bench_boundary.out ]]; then
  boundary=$(sed -n 's/^boundary overhead: //p' "$tmp/bmil_bench_boundary.out" | tail -n 1)
  boundary=${boundary:-"n/a (no overhead line in bmil_bench_boundary's output)"}
else
  boundary="n/a (bmil_bench_boundary not built)"
fi
printf 'plugin boundary, block_focus add via the C ABI vs linked in: %s\n' "$boundary"
# The most one thread could reach with full validation and these analyzers: the DOM parse
# of every record (the least a reader that checks every byte pays) plus every analyzer's
# add as measured alone (BM_AnalyzerAdd, ns per case), with the walk into the case view
# and the engine taken as free.
adds=""
if [[ -s $tmp/bmil_bench_batch.out ]]; then
  adds=$(awk '$1 ~ /^BM_AnalyzerAdd\// {
      ns = $2; if ($3 == "us") ns *= 1000; else if ($3 == "ms") ns *= 1e6; sum += ns; n++ }
    END { if (n > 0) printf "%.0f %d", sum, n }' "$tmp/bmil_bench_batch.out")
fi
if [[ -n $adds && ${status[domparse]} == ok && ${status[floor]} == ok ]]; then
  read -r adds_ns adds_n <<<"$adds"
  awk -v parse="${secs[domparse]}" -v ns="$adds_ns" -v n="$adds_n" -v c="$companies" \
    -v floor="${secs[floor]}" 'BEGIN {
      adds = ns * c / 1e9
      printf "one-thread bound: DOM parse %.3f s + %d analyzer adds %.3f s (%d ns/case) = %.3f s, %.2fx the floor\n",
        parse, n, adds, ns, parse + adds, floor / (parse + adds) }'
else
  echo "one-thread bound: n/a (needs bmil_bench_batch's BM_AnalyzerAdd lines and both simdjson programs)"
fi
echo

# ---- 3. Start-up: plugin discovery and loading against the bare binary
median_ms() {  # median wall time in ms of 20 runs of a command
  local i t0 t1
  for ((i = 0; i < 20; i++)); do
    t0=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || { echo "fail"; break; }
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }'
  done | sort -g | awk '{ v[NR] = $1 } END { if (v[1] == "fail") print "fail"; else printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
version_ms=$(median_ms "$bmil" --version)
plugins_ms=$(median_ms "$bmil" plugins list)
echo "== Start-up: median of 20 runs"
printf '%-28s %9s ms\n' "bmil --version" "$version_ms" "bmil plugins list" "$plugins_ms"
if [[ $version_ms == fail || $plugins_ms == fail ]]; then
  echo "a start-up command failed" >&2
  failed=1
else
  printf '%-28s %9s\n' "plugins list / --version" \
    "$(awk -v a="$plugins_ms" -v b="$version_ms" 'BEGIN { printf "%.2fx", a / b }')"
fi
exit $failed
