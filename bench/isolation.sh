#!/usr/bin/env bash
# End-to-end cost of plugin isolation (docs/plugin-isolation.md): `bmil batch` over generated
# companies with every bundled plugin in-process, then with every one in a child
# (--isolation child), best of 3 runs each; prints both times and the slowdown.
#   bash bench/isolation.sh [COMPANIES]   (default 20000, about 94 MB of JSONL)
set -euo pipefail
cd "$(dirname "$0")/.."
companies="${1:-20000}"
bmil=build/release/bin/bmil
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/generate_cases.py --companies "$companies" --seed 1 -o "$work/cases.jsonl"
best() {
  local best=""
  for _ in 1 2 3; do
    local start end t
    start=$(date +%s.%N)
    "$bmil" --isolation "$1" batch -q "$work/cases.jsonl" -o "$work/out-$1.json"
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  echo "$best"
}
in_process=$(best in-process)
child=$(best child)
# The results must be the same, but for where each plugin ran.
if ! diff -q <(grep -v '"isolation"' "$work/out-in-process.json") \
             <(grep -v '"isolation"' "$work/out-child.json") >/dev/null; then
  echo "isolation.sh: the results differ between the two levels" >&2
  exit 1
fi
printf 'bmil batch, %s companies (%s bytes), best of 3:\n' "$companies" \
  "$(stat -c %s "$work/cases.jsonl")"
printf '  in-process %.3f s\n  child      %.3f s\n  slowdown   %+.0f%%\n' \
  "$in_process" "$child" "$(echo "($child / $in_process - 1) * 100" | bc -l)"
