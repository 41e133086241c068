#!/usr/bin/env bash
# The demo (make demo): the manager's summary of the bundled example cases in the terminal,
# then an HTML report of each case and one across them, written to build/demo/ (or
# $BMIL_DEMO_OUT) and listed.
# Usage: scripts/demo.sh [BUILD_DIR]   (default build/release; bmil must be built there)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
bmil="$build/bin/bmil"
out=${BMIL_DEMO_OUT:-build/demo}
[[ -x "$bmil" ]] || { echo "demo: $bmil is not built (run make demo)" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

echo "== bmil analyze examples/cases  (the five example businesses together)"
"$bmil" analyze examples/cases

reports=()
for c in examples/cases/*.json; do
  name=$(basename "$c" .json)
  "$bmil" report "$c" -o "$out/$name.html"
  reports+=("$out/$name.html")
done
"$bmil" report examples/cases -o "$out/all-cases.html"
reports+=("$out/all-cases.html")

echo
echo "== HTML reports (open in a browser, or print them):"
for r in "${reports[@]}"; do echo "  file://$r"; done
echo
echo "One business in the terminal (add --full for every analysis):"
echo "  $bmil analyze examples/cases/kellpo.json"
echo "Every command: $bmil --help (docs/cli.md)"
