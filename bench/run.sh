#!/usr/bin/env bash
# Runs every benchmark of a build tree (default build/release) and prints its table.
# Usage: bench/run.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build/release}
for bench in "$build"/bin/bmil_bench_*; do
  echo "== $(basename "$bench")"
  "$bench" --benchmark_min_time=0.2
done
