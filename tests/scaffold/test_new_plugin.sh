#!/usr/bin/env bash
# `bmil new-plugin` end to end: install bmil to a temporary prefix, generate a line, an
# analyzer and a consequence model project, build each with only find_package(bmil), run its
# own test (bmil plugins check), and load it with the installed bmil.
# Usage: test_new_plugin.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() {  # check "what" command...
  local what=$1
  shift
  if "$@" >"$tmp/out" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $what"
    sed 's/^/    /' "$tmp/out" | tail -20
  fi
}

check "install bmil" cmake --install "$build" --prefix "$tmp/prefix"
bmil="$tmp/prefix/bin/bmil"

for kind in line analyzer model; do
  id="scaffold_$kind"
  project="$tmp/projects/$id"
  check "$kind: new-plugin" "$bmil" new-plugin "$id" --kind "$kind" --dir "$tmp/projects"
  # The build command it prints names the installation's real prefix.
  cp "$tmp/out" "$tmp/new-plugin.out"
  check "$kind: prints the prefix" grep -qF -- "-DCMAKE_PREFIX_PATH=$tmp/prefix" "$tmp/new-plugin.out"
  check "$kind: files" test -f "$project/CMakeLists.txt" -a -f "$project/plugin.json" \
    -a -f "$project/$id.cpp" -a -f "$project/README.md"
  check "$kind: configure" cmake -S "$project" -B "$project/build" -DCMAKE_PREFIX_PATH="$tmp/prefix"
  check "$kind: build" cmake --build "$project/build"
  # Unfilled, the scaffold fails its own conformance test on its TODO placeholders ...
  ctest --test-dir "$project/build" --output-on-failure >"$tmp/unfilled.out" 2>&1
  check "$kind: its conformance test refuses the unfilled scaffold" test $? -ne 0
  check "$kind: ... naming the placeholders" grep -qE \
    "FAIL scaffold.filled: [0-9]+ TODO placeholders of bmil new-plugin are still there" \
    "$tmp/unfilled.out"
  # ... and passes once they are filled in (here: every "TODO" string replaced).
  sed -i 's/"TODO: /"Filled: /g; s/"TODO"/"FILL"/g' "$project/plugin.json" "$project/$id.cpp"
  check "$kind: rebuild" cmake --build "$project/build"
  check "$kind: its conformance test, filled in" ctest --test-dir "$project/build" \
    --output-on-failure
  "$bmil" --plugin-dir "$project/build/plugins" plugins list --format json >"$tmp/list.json"
  check "$kind: listed as available" /usr/bin/python3 -c "
import json, sys
rows = [r for r in json.load(open('$tmp/list.json')) if r['id'] == '$id']
sys.exit(0 if len(rows) == 1 and rows[0]['status'] == 'available' and rows[0]['kind'] == '$kind' else 1)"
done

# The generated analyzer runs in `bmil analyze` and counts BMI tasks per block: compare its
# table with a count made here from the case file.
"$bmil" --plugin-dir "$tmp/projects/scaffold_analyzer/build/plugins" analyze \
  "$src/examples/cases/kellpo.json" --format json >"$tmp/analyze.json"
check "analyzer: tasks per block equal an independent count" /usr/bin/python3 -c "
import json, sys, collections
case = json.load(open('$src/examples/cases/kellpo.json'))
expected = collections.Counter(b for t in case['bmi_tasks'] for b in t['building_blocks'])
report = json.load(open('$tmp/analyze.json'))
result = [a['result'] for a in report['analyzers'] if a['plugin'] == 'scaffold_analyzer'][0]
table = [t for t in result['tables'] if t['id'] == 'tasks_per_block'][0]
got = {row[0]: row[1] for row in table['rows']}
sys.exit(0 if got == dict(expected) else 1)"

# The generated consequence model drives `scenario compare`: its first-year revenue is the
# summed value formula of the models the scenario keeps, times 1 + growth (triangular 0,
# 0.03, 0.06: mean 0.03), computed here from the applied case.
scenarios="$src/examples/scenarios"
"$bmil" scenario apply "$scenarios/aikon-2010.json" "$scenarios/aikon-focus.scenario.json" \
  -o "$tmp/focus.json" >/dev/null 2>&1
"$bmil" --plugin-dir "$tmp/projects/scaffold_model/build/plugins" scenario compare \
  "$scenarios/aikon-2010.json" "$scenarios/aikon-focus.scenario.json" --no-base \
  --model scaffold_model --draws 4000 --format json >"$tmp/compare.json" 2>"$tmp/compare.err"
check "model: scenario compare's first-year revenue equals an independent computation" \
  /usr/bin/python3 -c "
import json, sys
case = json.load(open('$tmp/focus.json'))
revenue = sum(m['building_blocks'].get('value_formula', {}).get('revenue', 0)
              for m in case['business_models'] if m.get('stage') != 'retired')
report = json.load(open('$tmp/compare.json'))
series = [s for s in report['columns'][0]['financial']['series'] if s['id'] == 'revenue'][0]
got = series['years'][0]['mean']
sys.exit(0 if abs(got - revenue * 1.03) <= 1e-6 * revenue else 1)"

# The generated line becomes a canvas row (its code and name as filled in above).
cat >"$tmp/case.json" <<'CASE'
{"bmil": "1.0", "business": {"id": "s", "name": "S"},
 "business_models": [{"id": "m", "name": "M", "state": "as_is"}],
 "bmi_tasks": [{"id": "t", "business_model": "m", "building_blocks": ["network"],
                "leadership_lines": ["scaffold_line"]}]}
CASE
"$bmil" --plugin-dir "$tmp/projects/scaffold_line/build/plugins" canvas "$tmp/case.json" >"$tmp/canvas.txt"
check "line: a canvas row with the task on network" grep -q "^FILL  Filled: the line's full name *|  .  .  .  .  1  .  .$" "$tmp/canvas.txt"

# Refusals.
"$bmil" new-plugin scaffold_line --kind line --dir "$tmp/projects" >/dev/null 2>&1
check "refuses a non-empty project folder (exit 1)" test $? -eq 1
"$bmil" new-plugin Bad-Id --kind line --dir "$tmp/projects" >/dev/null 2>&1
check "refuses a bad id (exit 2)" test $? -eq 2

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
