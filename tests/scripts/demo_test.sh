#!/usr/bin/env bash
# make demo's last step (scripts/demo.sh) on the built bmil: it prints the summary of the
# five example businesses and the canvas, writes an HTML report of each example case and
# one across them, lists exactly those files, and keeps its own lines within 80 columns.
# Usage: tests/scripts/demo_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }

BMIL_DEMO_OUT="$tmp/out" bash "$src/scripts/demo.sh" "$build" >"$tmp/stdout" 2>"$tmp/stderr" ||
  fail "demo.sh exited $?: $(cat "$tmp/stderr")"
[[ ! -s "$tmp/stderr" ]] || fail "demo.sh wrote to stderr: $(cat "$tmp/stderr")"
grep -q '^Summary$' "$tmp/stdout" || fail "no summary"
grep -q '^  5 businesses' "$tmp/stdout" || fail "the summary does not count the 5 businesses"
grep -q '^Canvas: all business models (tasks)$' "$tmp/stdout" || fail "no canvas"

expected=()
for c in "$src"/examples/cases/*.json; do expected+=("$(basename "$c" .json).html"); done
expected+=(all-cases.html)
listed=$(grep '^  file://' "$tmp/stdout" | sed 's|^  file://||')
[[ $(echo "$listed" | wc -l) -eq ${#expected[@]} ]] ||
  fail "listed $(echo "$listed" | wc -l) reports, expected ${#expected[@]}"
for name in "${expected[@]}"; do
  file="$tmp/out/$name"
  echo "$listed" | grep -qx "$file" || fail "$file is not listed"
  [[ $(head -c 15 "$file") == "<!DOCTYPE html>" ]] || fail "$file is not an HTML page"
  grep -q '<section id="summary"' "$file" || fail "$file has no summary section"
done
# Every line but the file URLs fits an 80-column terminal.
long=$(grep -v '^  file://' "$tmp/stdout" | awk 'length > 80' || true)
[[ -z "$long" ]] || fail "lines over 80 columns: $long"
echo "demo: ok — summary, canvas and ${#expected[@]} reports listed and written"
