#!/usr/bin/env bash
# Peak memory of bmil on large and hostile documents, as multiples of the document's size
# (issue 14's goal: validate and analyze at most a small documented multiple of the largest
# document, constant over a JSONL; batch within its 64 MiB bound on hostile records).
# Prints one row per run: what, document MiB, peak RSS MiB, RSS / document, seconds, exit.
#
# Usage: bench/memory.sh [BUILD_DIR]        (default build/release)
# The documents are generated into a temporary directory (Python 3, no packages needed).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build/release}
bmil=$build/bin/bmil
tmp=${KEEP:-$(mktemp -d)}  # KEEP=DIR keeps the documents there
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

/usr/bin/python3 - "$root" "$tmp" <<'PY'
import json, sys
root, out = sys.argv[1], sys.argv[2]
kellpo = json.load(open(f"{root}/examples/cases/kellpo.json"))
limit = 16 * 1024 * 1024 - 64

def dump(doc):
    return json.dumps(doc, separators=(",", ":"))

# Invalid since the attributes limit (100,000 values and names per case): ~8 million zeros in
# attributes, the most JSON values per byte; refused, but parsed whole first.
empty = dict(kellpo, business=dict(kellpo["business"], attributes={"x": []}))
n = (limit - len(dump(empty))) // 2
open(f"{out}/zeros.json", "w").write(dump(dict(kellpo, business=dict(kellpo["business"], attributes={"x": [0] * n}))))
# A valid case of many tasks (text, ids, lists): a realistic large case.
tasks = []
i = 0
doc = dict(kellpo)
base_task = kellpo["bmi_tasks"][0]
while True:
    t = dict(base_task, id=f"t{i}")
    tasks.append(t)
    i += 1
    if i % 1000 == 0 and len(dump(dict(doc, bmi_tasks=tasks))) > limit - 400000:
        break
open(f"{out}/tasks.json", "w").write(dump(dict(doc, bmi_tasks=tasks)))
# A valid case with the most values per byte the format allows: one-letter block items
# (4 bytes each, a string in the case model each) and attributes at their limit.
model = kellpo["business_models"][0]
blocks = dict(model["building_blocks"])
first_block = next(k for k in blocks if k != "value_formula")
attrs = {"x": [0] * 99000}  # with kellpo's own attributes: just under the limit
items_doc = dict(kellpo, business=dict(kellpo["business"], attributes=attrs))
m = (limit - len(dump(items_doc))) // 4
blocks[first_block] = dict(blocks[first_block], items=["a"] * m)
items_doc["business_models"] = [dict(model, building_blocks=blocks)] + kellpo["business_models"][1:]
text = dump(items_doc)
while len(text) > limit:
    m -= (len(text) - limit) // 4 + 1
    blocks[first_block] = dict(blocks[first_block], items=["a"] * m)
    items_doc["business_models"][0] = dict(model, building_blocks=blocks)
    text = dump(items_doc)
open(f"{out}/items.json", "w").write(text)
# An invalid case: the zeros where business models go (refused, with every problem found).
open(f"{out}/bad_zeros.json", "w").write(dump(dict(kellpo, business_models=[0] * n)))
# Nested 60 deep, repeated to 16 MiB, in attributes: over the attributes limit, refused.
unit = "[" * 60 + "0" + "]" * 60
k = (limit - len(dump(empty))) // (len(unit) + 1)
open(f"{out}/nested.json", "w").write(dump(empty).replace('"x":[]', '"x":[' + ",".join([unit] * k) + "]"))
# JSONL of the five as records, for batch.
with open(f"{out}/hostile.jsonl", "w") as f:
    for name in ("zeros", "tasks", "items", "bad_zeros", "nested"):
        f.write(open(f"{out}/{name}.json").read().replace("\n", " ") + "\n")
PY

printf '%-34s %8s %9s %8s %8s %5s\n' "run" "doc MiB" "RSS MiB" "RSS/doc" "seconds" "exit"
measure() {
  local what=$1 doc=$2; shift 2
  local size status start end rss
  size=$(stat -c %s "$doc")
  start=$EPOCHREALTIME
  set +e
  /usr/bin/time -f '%M' -o "$tmp/rss" "$@" >/dev/null 2>&1
  status=$?
  set -e
  end=$EPOCHREALTIME
  rss=$(tail -1 "$tmp/rss")
  awk -v w="$what" -v s="$size" -v r="$rss" -v a="$start" -v b="$end" -v e="$status" 'BEGIN {
    printf "%-34s %8.1f %9.1f %8.1f %8.2f %5d\n", w, s / 1048576, r / 1024, r * 1024 / s, b - a, e }'
}
for name in tasks items zeros bad_zeros nested; do
  measure "validate $name.json" "$tmp/$name.json" "$bmil" validate "$tmp/$name.json"
  measure "analyze $name.json --format json" "$tmp/$name.json" "$bmil" analyze "$tmp/$name.json" --format json
done
measure "batch hostile.jsonl (2 threads)" "$tmp/hostile.jsonl" "$bmil" batch "$tmp/hostile.jsonl" -q
measure "batch hostile.jsonl --threads 1" "$tmp/hostile.jsonl" "$bmil" batch "$tmp/hostile.jsonl" -q --threads 1
