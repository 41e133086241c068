#!/usr/bin/env bash
# Sharding as a cluster does it, with processes on this machine: 2,000 generated companies
# split into 4 consecutive shards, each shard analyzed by its own `bmil batch --partial`
# process (all at once), then `bmil merge` of the parts in shard order. The merged results
# must equal one `bmil batch` over the whole file exactly ("summary" and "analyzers"), and so
# must a tree merge ((1+2) + (3+4)). Merging out of order must differ: the data has more
# business models than the capped listings keep, so the check can see a wrong order.
#
# Usage: shard_merge_test.sh BMIL REPO
# The last line reads "N passed, M failed"; exit status 0 when nothing failed.
set -uo pipefail

bmil=${1:?usage: shard_merge_test.sh BMIL REPO}
root=${2:?usage: shard_merge_test.sh BMIL REPO}
python=/usr/bin/python3
unset BMIL_PLUGIN_PATH

work=$(mktemp -d "${TMPDIR:-/tmp}/bmil-shards-XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
check() {  # check <what> <command>...: a passing command is a passed check
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok: $what"
  else
    failed=$((failed + 1))
    echo "FAIL: $what"
  fi
}
finish() {
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
  exit
}

# same_results A B [differ]: A's and B's "summary" and "analyzers" are equal (or, with
# `differ`, their "analyzers" are not).
same_results() {
  "$python" - "$@" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
if len(sys.argv) > 3:
    sys.exit(0 if a["analyzers"] != b["analyzers"] else 1)
for key in ("summary", "analyzers"):
    if a[key] != b[key]:
        print("  %s differs between %s and %s" % (key, sys.argv[1], sys.argv[2]))
        sys.exit(1)
EOF
}

cases=$work/cases.jsonl
check "generate 2,000 companies" \
  timeout 120 "$python" "$root/bench/generate_cases.py" --companies 2000 --seed 3 -o "$cases"
check "one run over the whole file" \
  timeout 120 "$bmil" batch "$cases" -q -o "$work/single.json"
[[ -s $work/single.json ]] || finish
check "the single run read and analyzed 2,000 records" "$python" -c '
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
sys.exit(0 if (s["records_read"], s["analyzed"], s["rejected"]) == (2000, 2000, 0) else 1)' \
  "$work/single.json"

# Four consecutive shards of whole lines: shard_0.jsonl .. shard_3.jsonl.
(cd "$work" && split -n l/4 -a 1 -d --additional-suffix=.jsonl "$cases" shard_)
check "4 shards that hold every line once, in order" \
  bash -c 'cat "$1"/shard_{0,1,2,3}.jsonl | cmp -s - "$2"' _ "$work" "$cases"

# Each shard in its own process, all running at once.
pids=()
for i in 0 1 2 3; do
  timeout 120 "$bmil" batch "$work/shard_$i.jsonl" --partial "$work/part_$i.bmilpart" -q &
  pids+=($!)
done
for i in 0 1 2 3; do
  check "shard $i: bmil batch --partial exits 0" wait "${pids[$i]}"
done

check "merge of the 4 parts in shard order exits 0" \
  timeout 120 "$bmil" merge "$work"/part_{0,1,2,3}.bmilpart -o "$work/merged.json"
check "the merged results equal the single run's (summary and analyzers)" \
  same_results "$work/merged.json" "$work/single.json"
check "the merged CSV equals the single run's CSV" bash -c '
  "$1" merge "$2"/part_{0,1,2,3}.bmilpart -o "$2/merged.csv" &&
  "$1" batch "$2/cases.jsonl" -q -o "$2/single.csv" && cmp -s "$2/merged.csv" "$2/single.csv"' \
  _ "$bmil" "$work"

# A tree: (1+2) and (3+4) as merged parts, then those two.
check "merge parts 0+1 into a part" \
  timeout 120 "$bmil" merge "$work"/part_{0,1}.bmilpart --partial "$work/p01.bmilpart"
check "merge parts 2+3 into a part" \
  timeout 120 "$bmil" merge "$work"/part_{2,3}.bmilpart --partial "$work/p23.bmilpart"
check "merge the two merged parts" \
  timeout 120 "$bmil" merge "$work/p01.bmilpart" "$work/p23.bmilpart" -o "$work/tree.json"
check "the tree merge equals the single run (summary and analyzers)" \
  same_results "$work/tree.json" "$work/single.json"

check "merge out of shard order exits 0" \
  timeout 120 "$bmil" merge "$work"/part_{1,0,2,3}.bmilpart -o "$work/reordered.json"
check "out of order, the capped listings differ (this test can see a wrong order)" \
  same_results "$work/reordered.json" "$work/single.json" differ

finish
