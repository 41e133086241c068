#!/usr/bin/env bash
# Builds the libFuzzer targets (the fuzz preset: clang, ASan + UBSan), makes their seed corpora
# from the repository's real inputs, replays every seed and kept regression, then fuzzes each
# target for a bounded time and prints what it did. Exit 1 when any target crashed, leaked,
# hung or ran out of memory; its input is kept in build/fuzz/crashes/<target>/. docs/fuzzing.md.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]     default 15 when CI=true, else 60
# Environment:
#   FUZZ_TARGETS="case_loader part_reader"  only these targets (default: all of them)
#   FUZZ_JOBS=N                             targets fuzzed at once (default: one per core)
#   BMIL_RELEASE_DIR=dir                    the release build whose bmil and plugins make seeds
#                                           (default build/release, as `make build` leaves it)
# Writes only under build/fuzz/: corpus/<target>/ (seeds and what fuzzing adds to them; kept
# from run to run), crashes/<target>/, logs/<target>.{replay,fuzz}.log, seeds/ (scratch).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${CI:-}" == "true" ]]; then default_seconds=15; else default_seconds=60; fi
seconds="${1:-$default_seconds}"
if ! [[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]]; then
  echo "fuzz.sh: SECONDS_PER_TARGET must be a positive integer, not '$seconds'" >&2
  exit 2
fi
all_targets=(case_loader json_document fast_path_differential elf_manifest part_reader runner_frame
  reproducer scenario plan checkin_log decision instrument answers)
read -r -a targets <<<"${FUZZ_TARGETS:-${all_targets[*]}}"
jobs="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
release="${BMIL_RELEASE_DIR:-build/release}"
out=build/fuzz
bin="$out/bin"
started=$SECONDS

# Longest input each target is given: JSON texts up to 1 MiB, plugin files up to 4 MiB.
declare -A max_len=(
  [case_loader]=1048576 [json_document]=1048576 [fast_path_differential]=1048576
  [elf_manifest]=4194304 [part_reader]=1048576 [runner_frame]=1048576 [reproducer]=1048576
  [scenario]=1048576 [plan]=1048576 [checkin_log]=1048576 [decision]=1048576
  [instrument]=1048576 [answers]=1048576
)
for t in "${targets[@]}"; do
  [[ -n "${max_len[$t]:-}" ]] || { echo "fuzz.sh: no target '$t' (${all_targets[*]})" >&2; exit 2; }
done

say() { printf '\n== fuzz: %s\n' "$*"; }

# ---- Build
if ! command -v clang++ >/dev/null || [[ ! -f "$(clang++ -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]]; then
  echo "fuzz.sh: needs clang++ and libFuzzer (Debian: clang libclang-rt-14-dev; scripts/install-deps.sh)" >&2
  exit 2
fi
if [[ ! -x "$release/bin/bmil" || ! -d "$release/lib/bmil/plugins" ]]; then
  echo "fuzz.sh: $release/bin/bmil and its plugins make the seeds; build them first (make build)" >&2
  exit 2
fi
say "build ($(clang++ --version | head -n 1))"
[[ -f "$out/CMakeCache.txt" ]] || cmake --preset fuzz >/dev/null
if [[ "${targets[*]}" == "${all_targets[*]}" ]]; then
  build_targets=(bmil_fuzz)  # every fuzzer and the seed tool
else
  build_targets=("${targets[@]/%/_fuzzer}" bmil_fuzz_seed_tool)
fi
cmake --build --preset fuzz -j "$(nproc 2>/dev/null || echo 2)" --target "${build_targets[@]}"
build_seconds=$((SECONDS - started))

# ---- Seeds: real inputs of each format, written under build/fuzz/seeds, then copied into the
# corpus directories (seed-<name>), next to what earlier runs found.
say "seeds"
seeds="$out/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{cases,records,parts,json,elf,frames,repro}

case_files=(examples/cases/*.json)
mapfile -t more_cases < <(find tests/fixtures/cases tests/data/paper_figures -name '*.json' | sort)
case_files+=("${more_cases[@]}")
cp "${case_files[@]}" "$seeds/cases/"

# JSONL records, one case per line, as `bmil batch` reads them (one file per record).
python3 bench/generate_cases.py --companies 24 --seed 2012 -o "$seeds/generated.jsonl"
split -l 1 -d -a 3 "$seeds/generated.jsonl" "$seeds/records/generated_"
for f in examples/cases/*.json; do  # the examples as one-line records
  python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])),ensure_ascii=False,separators=(",",":")))' \
    "$f" >"$seeds/records/example_$(basename "$f" .json)"
done

# .bmilpart files as bmil writes them (a clean run, one with rejected records, their merge)
# and the bodies they seal.
bmil="$release/bin/bmil"
"$bmil" batch examples/cases --partial "$seeds/parts/examples.bmilpart" -q
{ head -n 8 "$seeds/generated.jsonl"; echo '{"bmil":"1.0","business":{}}'; echo 'not json'; } \
  >"$seeds/with_rejects.jsonl"
"$bmil" batch "$seeds/with_rejects.jsonl" --partial "$seeds/parts/with_rejects.bmilpart" -q \
  2>/dev/null || true  # exit 1: records were rejected, on purpose
"$bmil" merge "$seeds/parts/examples.bmilpart" "$seeds/parts/with_rejects.bmilpart" \
  --partial "$seeds/parts/merged.bmilpart" -o "$seeds/merged.json"
# A part with its per-business rows and listing caps (business_metrics, listing).
"$bmil" batch examples/cases/kellpo.json examples/cases/aikon.json --max-rows 3 -q \
  --partial "$seeds/parts/rows.bmilpart" --metrics "$seeds/rows.csv"
for p in "$seeds"/parts/*.bmilpart; do
  "$bin/bmil_fuzz_seed_tool" unseal "$p" "${p%.bmilpart}.body.json"
done

# Other JSON texts: schemas, plugin manifests.
cp docs/schema/*.json "$seeds/json/"
for f in plugins/*/*/plugin.json tests/fixtures/plugins/*.json tests/fixtures/plugins/*/*.json; do
  cp "$f" "$seeds/json/$(echo "${f%.json}" | tr / _).json"
done

# Plugin files: each bundled and fixture plugin cut down to its manifest section (a small
# ELF file the fuzzer can work on), the smallest whole ones, the manifest in every ELF class
# and byte order, and extended section numbering.
mapfile -t plugin_files < <(find "$release/lib/bmil/plugins" "$release/tests/fixtures/plugins" \
  -name '*.so' 2>/dev/null | sort)
for so in "${plugin_files[@]}"; do
  objcopy -j .bmil_manifest "$so" "$seeds/elf/manifest_only_$(basename "$so")" 2>/dev/null || true
done
mapfile -t smallest < <(find "${plugin_files[@]}" -printf '%s %p\n' | sort -n | head -n 2 |
  cut -d ' ' -f 2-)
for so in "${smallest[@]}"; do cp "$so" "$seeds/elf/whole_$(basename "$so")"; done
objcopy -O binary -j .bmil_manifest "${plugin_files[0]}" "$seeds/manifest.json"
for format in elf32-little elf32-big elf64-little elf64-big; do
  objcopy -I binary -O "$format" --rename-section .data=.bmil_manifest \
    "$seeds/manifest.json" "$seeds/elf/manifest_$format.o"
done
"$bin/bmil_fuzz_seed_tool" elf-extended "$seeds/elf/manifest_elf64-little.o" \
  "$seeds/elf/manifest_extended_numbering.o"

# Runner-protocol conversations carrying the cases' flat views (the cases that use only the
# bundled lines).
"$bin/bmil_fuzz_seed_tool" frames "$seeds/frames" examples/cases/*.json \
  tests/data/paper_figures/sme0*.json

# Reproducers as bmil writes them: a crash in add (cut down to its one record), a crash in
# finish, a hang in add; from the hostile fixtures of the release build's tests.
fixtures="$release/tests/fixtures/plugins"
if [[ -d "$fixtures/hostile_segv" ]]; then
  python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); c["business"]["id"]="trigger-kellpo"; print(json.dumps(c))' \
    examples/cases/kellpo.json >"$seeds/trigger.jsonl"
  for f in hostile_segv hostile_abort hostile_hang; do
    BMIL_REPRODUCERS="$seeds/repro" BMIL_SCAN_RECORD="" "$bmil" --plugin-dir "$fixtures/$f" \
      --isolation "$f=child" --call-timeout 1 batch -q examples/cases/aikon.json "$seeds/trigger.jsonl" \
      >/dev/null 2>&1 || true  # exit 4: the plugin failed, on purpose
  done
fi

# Scenarios: the examples, and each with its moves one at a time.
mkdir -p "$seeds/scenarios"
cp examples/scenarios/*.scenario.json "$seeds/scenarios/"
python3 - "$seeds/scenarios" examples/scenarios/*.scenario.json <<'PY'
import json, os, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    s = json.load(open(path))
    for i, move in enumerate(s["moves"]):
        one = dict(s, moves=[move])
        name = os.path.basename(path).replace(".scenario.json", "")
        open(os.path.join(out, f"{name}-move{i}.json"), "w").write(json.dumps(one))
PY

# Decision records `bmil scenario decide` writes for each example scenario, and the plans
# `bmil plan adopt` makes of them (one with a manual KPI); the plan and the check-in log of
# docs/control.md; the checkin_log target's fixed plan and logs of it, as whole hash chains,
# cut, edited and of another plan (bmil_fuzz_seed_tool control).
mkdir -p "$seeds"/{decisions,plans,checkins}
for pair in aikon-2010:aikon-focus aikon-2010:aikon-keep provital-2009:provital-carwash-prototype \
  provital-2009:provital-carwash-after-market; do
  base="examples/scenarios/${pair%%:*}.json"
  scenario="${pair#*:}"
  "$bmil" scenario decide "$base" "examples/scenarios/$scenario.scenario.json" \
    --why "a fuzz seed" --date 2011-01-15 --draws 100 -o "$seeds/decisions/$scenario.json"
  "$bmil" plan adopt "$seeds/decisions/$scenario.json" --base "$base" \
    -o "$seeds/plans/$scenario.json"
done
nps='id=nps,label=Net promoter score,unit=points,direction=up'
nps+=',target=2012-12-31:40,target=2013-12-31:45'
"$bmil" plan adopt "$seeds/decisions/aikon-focus.json" --base examples/scenarios/aikon-2010.json \
  --kpi 'profit*' --add-kpi "$nps" -o "$seeds/plans/aikon-focus-manual.json"
python3 - "$seeds" docs/control.md <<'PY'
import os, re, sys
seeds, doc = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
fill = lambda s: re.sub(r"<(32 hex digits|32 hex|hash of event 1)>", "0123456789abcdef" * 2, s)
for block in re.findall(r"```json\n(.*?)```", doc, re.S):
    if '"bmil_plan"' in block:
        open(os.path.join(seeds, "plans", "doc_example.json"), "w").write(fill(block))
    elif '"bmil_checkin"' in block:
        open(os.path.join(seeds, "checkins", "doc_example.jsonl"), "w").write(fill(block))
PY
"$bin/bmil_fuzz_seed_tool" control "$seeds/plans" "$seeds/checkins"

# The example instruments and the documentation's (docs/instruments.md).
mkdir -p "$seeds/instruments"
cp examples/instruments/*.json "$seeds/instruments/"
python3 - "$seeds/instruments" docs/instruments.md <<'PY'
import os, re, sys
doc = open(sys.argv[2], encoding="utf-8").read()
block = re.search(r"## An example\n\n```json\n(.*?)```", doc, re.S)
open(os.path.join(sys.argv[1], "doc_example.json"), "w").write(block.group(1))
PY
# Answers to the answers target's fixed instrument (the small example), with its real hash:
# the documentation's, one in progress, one with unanswered (null) items.
mkdir -p "$seeds/answers"
hash=$("$release/bin/bmil" instrument lint examples/instruments/small.json |
  sed -n 's/.*(\([0-9a-f]\{32\}\)).*/\1/p')
python3 - "$seeds/answers" docs/instruments.md "$hash" <<'PY'
import json, os, re, sys
out, doc, digest = sys.argv[1], open(sys.argv[2], encoding="utf-8").read(), sys.argv[3]
block = re.search(r"## Answers\n\nOne respondent.*?```json\n(.*?)```", doc, re.S).group(1)
answers = json.loads(block.replace("<32 hex digits>", digest))
open(os.path.join(out, "doc_example.json"), "w").write(json.dumps(answers, indent=2))
answers["status"] = "in_progress"
del answers["answers"]["name"]
open(os.path.join(out, "in_progress.json"), "w").write(json.dumps(answers))
answers["answers"]["blind"] = None
answers["repeats"]["models"].append({"model_state": None})
open(os.path.join(out, "nulls.json"), "w").write(json.dumps(answers))
PY

declare -A seed_dirs=(
  [case_loader]="cases records"
  [json_document]="cases records json parts"
  [fast_path_differential]="records cases"
  [elf_manifest]="elf"
  [part_reader]="parts"
  [runner_frame]="frames"
  [reproducer]="repro json"
  [scenario]="scenarios"
  [plan]="plans"
  [checkin_log]="checkins"
  [decision]="decisions"
  [instrument]="instruments"
  [answers]="answers"
)
for t in "${targets[@]}"; do
  corpus="$out/corpus/$t"
  mkdir -p "$corpus" "$out/crashes/$t" "$out/logs"
  rm -f "$corpus"/seed-*
  for d in ${seed_dirs[$t]}; do
    for f in "$seeds/$d"/*; do cp "$f" "$corpus/seed-$d-$(basename "$f")"; done
  done
done

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
symbolizer=$(command -v llvm-symbolizer || echo /usr/lib/llvm-14/bin/llvm-symbolizer)
[[ -x "$symbolizer" ]] && export ASAN_SYMBOLIZER_PATH="$symbolizer"

# The directories a target reads: its corpus (first: new inputs are written there) and the
# crashes kept in the source tree, which must stay fixed.
inputs_of() {
  local dirs=("$out/corpus/$1")
  [[ -d "fuzz/regressions/$1" ]] && dirs+=("fuzz/regressions/$1")
  echo "${dirs[@]}"
}
common_flags() {
  echo "-max_len=${max_len[$1]} -timeout=10 -rss_limit_mb=2048 -print_final_stats=1" \
    "-artifact_prefix=$out/crashes/$1/"
}

# ---- Replay: every seed and regression once, no mutation.
say "replay"
replay_failed=()
for t in "${targets[@]}"; do
  # shellcheck disable=SC2046
  if "$bin/${t}_fuzzer" -runs=0 $(common_flags "$t") $(inputs_of "$t") \
    >"$out/logs/$t.replay.log" 2>&1; then
    printf '  %-24s %6s inputs ok\n' "$t" \
      "$(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/logs/$t.replay.log" | grep -o '[0-9]*$')"
  else
    replay_failed+=("$t")
    printf '  %-24s FAILED, log %s\n' "$t" "$out/logs/$t.replay.log"
  fi
done

# ---- Fuzz: each target for `seconds`, `jobs` of them at a time.
say "fuzz: ${seconds}s per target, $jobs at a time"
fuzz_one() {
  local t=$1 status=0
  # shellcheck disable=SC2046
  "$bin/${t}_fuzzer" -max_total_time="$seconds" -dict="fuzz/dict/$t.dict" $(common_flags "$t") \
    $(inputs_of "$t") >"$out/logs/$t.fuzz.log" 2>&1 || status=$?
  echo "$status" >"$out/logs/$t.status"
}
fuzz_started=$SECONDS
running=0
for t in "${targets[@]}"; do
  rm -f "$out/logs/$t.status"
  fuzz_one "$t" &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true
fuzz_seconds=$((SECONDS - fuzz_started))

# ---- Summary
stat() { grep -o "stat::$2: *[0-9]*" "$1" 2>/dev/null | tail -n 1 | grep -o '[0-9]*$' || echo "?"; }
say "summary"
printf '%-24s %12s %10s %9s %8s %8s  %s\n' target executions exec/s "new units" corpus "rss MB" result
failed=()
for t in "${targets[@]}"; do
  log="$out/logs/$t.fuzz.log"
  status=$(cat "$out/logs/$t.status" 2>/dev/null || echo "?")
  result=ok
  if [[ "$status" != 0 ]]; then
    result="FAILED (exit $status)"
    failed+=("$t")
  fi
  if [[ " ${replay_failed[*]} " == *" $t "* ]]; then
    result="$result; replay FAILED"
    [[ " ${failed[*]} " == *" $t "* ]] || failed+=("$t")
  fi
  printf '%-24s %12s %10s %9s %8s %8s  %s\n' "$t" "$(stat "$log" number_of_executed_units)" \
    "$(stat "$log" average_exec_per_sec)" "$(stat "$log" new_units_added)" \
    "$(find "$out/corpus/$t" -type f | wc -l)" "$(stat "$log" peak_rss_mb)" "$result"
done
printf '\nbuild %ds, fuzzing %ds, total %ds\n' "$build_seconds" "$fuzz_seconds" $((SECONDS - started))

if ((${#failed[@]} > 0)); then
  for t in "${failed[@]}"; do
    for log in "$out/logs/$t.replay.log" "$out/logs/$t.fuzz.log"; do
      # The report: from its first line (a broken property, a sanitizer or libFuzzer error).
      first=$(grep -n -m 1 -E '==bmil-fuzz==|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' \
        "$log" 2>/dev/null | cut -d : -f 1 || true)
      if [[ -n "$first" ]]; then
        say "$t: $log"
        tail -n +"$first" "$log" | grep -v -E '^(0x|MS: |Base64: )' | head -n 50 || true
      fi
    done
    echo "inputs kept: $(find "$out/crashes/$t" -type f -printf '%f ' 2>/dev/null)"
    echo "reproduce:   $bin/${t}_fuzzer $out/crashes/$t/<file>   (docs/fuzzing.md)"
  done
  exit 1
fi
