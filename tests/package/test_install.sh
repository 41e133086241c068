#!/usr/bin/env bash
# Installs a built bmil into a temporary prefix, builds every example under
# examples/plugins/ against it the way an outsider would (their own CMake project,
# find_package(bmil) only, from the copy the install ships), loads each with the installed
# `bmil` and checks the output against values computed by hand or counted from the case
# files. Also checks that the installed `bmil` finds its bundled plugins relative to itself,
# that nothing of the tests is installed, and that bmil::core links from outside.
#
# Usage: test_install.sh <build-dir> <source-dir>
#   The build directory must be configured and built. BMIL_CONSUMER_CXX_FLAGS (optional)
#   are passed to the project that links bmil::core (the sanitizer flags of an ASan build).
# Prints one line per check and "N passed, M failed"; exits non-zero when a check fails.
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 <build-dir> <source-dir>" >&2
  exit 2
fi
build=$(cd "$1" && pwd) || exit 2
src=$(cd "$2" && pwd) || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bmil-install.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
bmil=$prefix/bin/bmil
unset BMIL_PLUGIN_PATH
jobs=$(nproc 2>/dev/null || echo 2)

. "$(dirname "$0")/checks.sh"

# ------------------------------------------------------------------------ install
step "cmake --install $build --prefix <tmp>/prefix"
check "cmake --install succeeds" cmake --install "$build" --prefix "$prefix"

# CMAKE_INSTALL_LIBDIR as the build configured it (lib, lib64, lib/<multiarch>).
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$build/CMakeCache.txt")
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:[A-Z]*=//p' "$build/CMakeCache.txt")
plugin_dir=$prefix/$libdir/bmil/plugins

for f in bin/bmil include/bmil/abi.h include/bmil/sdk/plugin.hpp include/bmil/plugin_host.hpp \
  "$libdir/libbmil_core.a" "$libdir/cmake/bmil/bmilConfig.cmake" \
  "$libdir/cmake/bmil/bmilConfigVersion.cmake" "$libdir/cmake/bmil/BmilPlugin.cmake" \
  share/doc/bmil/LICENSE share/doc/bmil/examples/cases/kellpo.json \
  share/doc/bmil/examples/plugins/c_minimal/CMakeLists.txt; do
  check "installed: $f" test -f "$prefix/$f"
done
# The plugin guide is read from the install: each of its relative links names a file or
# directory the install has (not one only the source tree has).
links=$(python3 -c '
import os, re, sys
guide = sys.argv[1]
for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", open(guide).read()):
    if "://" in target:
        continue
    if not os.path.exists(os.path.join(os.path.dirname(guide), target)):
        print(target)
' "$prefix/share/doc/bmil/docs/plugin-guide.md")
expect_eq "every relative link of the installed plugin-guide.md resolves in the install" "$links" ""
expect_eq "bin/ holds only bmil (no test or bench programs)" "$(ls "$prefix/bin")" "bmil"
expect_eq "the installed plugins are exactly the bundled ones (no test fixtures)" \
  "$(ls "$plugin_dir")" "$(ls "$build/$libdir/bmil/plugins")"
bundled_count=$(ls "$plugin_dir" | wc -l)
expect_ne "the install has bundled plugins" "$bundled_count" "0"
check "bmil --version says $version" grep_out "bmil $version " "$bmil" --version

# ------------------------------------------------- bundled plugins, relative to bmil
step "the installed bmil finds its bundled plugins by itself"
list=$(cd / && "$bmil" plugins list 2>&1)
for id in canvas customer value; do
  expect_match "plugins list (no --plugin-dir, run from /) shows $id from the prefix" "$list" \
    "^$id +(line|analyzer) +[0-9.]+ +available +$plugin_dir/$id/$id.so$"
done
expect_eq "every bundled plugin is available" "$(grep -c ' available ' <<<"$list")" \
  "$bundled_count"
expect_no_match "no plugin is refused" "$list" "refused"
ln -s "$bmil" "$tmp/bmil-link"
expect_match "bmil started through a symlink finds them too" \
  "$(cd "$tmp" && ./bmil-link plugins list 2>&1)" "^canvas .* $plugin_dir/canvas/canvas.so$"
check "the installed bmil analyzes an installed example case" grep_out "BMIL strategy canvas" \
  "$bmil" analyze --full "$prefix/share/doc/bmil/examples/cases/kellpo.json"

# ---------------------------------------------------------------- package version
step "find_package(bmil <version>) accepts only a compatible version"
mkdir -p "$tmp/version"
cat >"$tmp/version/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.25)
project(version_check LANGUAGES C)
find_package(bmil ${WANT} QUIET)
message(STATUS "bmil_FOUND=${bmil_FOUND} bmil_VERSION=${bmil_VERSION} core=${bmil_core_FOUND}")
EOF
for want in "$version:1" "0.0.1:1" "99.0:0" "1.0:0"; do
  out=$(cmake -S "$tmp/version" -B "$tmp/version/build-${want%%:*}" -DWANT="${want%%:*}" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF 2>&1)
  expect_match "find_package(bmil ${want%%:*}) found: ${want##*:}" "$out" \
    "bmil_FOUND=${want##*:}( |$)"
done

# ------------------------------------------------------------ build the examples
# From the copy the package ships: nothing of the source tree is used.
for example in c_minimal sustainability_line segment_concentration; do
  step "build examples/plugins/$example against the prefix"
  cp -r "$prefix/share/doc/bmil/examples/plugins/$example" "$tmp/src-$example"
  check "configure $example" cmake -S "$tmp/src-$example" -B "$tmp/$example" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    -DCMAKE_COMPILE_WARNING_AS_ERROR=ON  # the examples build warning-free
  expect_eq "$example found bmil in the temporary prefix" \
    "$(sed -n 's/^bmil_DIR:[A-Z]*=//p' "$tmp/$example/CMakeCache.txt")" \
    "$prefix/$libdir/cmake/bmil"
  check "build $example (warnings are errors)" cmake --build "$tmp/$example" -j "$jobs"
done

# ------------------------------------------------------------------- c_minimal
step "c_minimal (plain C99 against bmil/abi.h)"
so=$tmp/c_minimal/plugins/c_minimal/c_minimal.so
expect_eq "c_minimal.so exports only the entry symbol" \
  "$(nm -D --defined-only "$so" | awk '{print $3}')" "bmil_plugin_entry_v1"
expect_no_match "c_minimal.so needs no C++ runtime" "$(readelf -d "$so")" "libstdc\+\+"
expect_match "plugins list shows c_minimal as available" \
  "$("$bmil" --plugin-dir "$tmp/c_minimal/plugins" plugins list 2>&1)" \
  "^c_minimal +analyzer +1\.0\.0 +available +$so$"
count() { # count <python expression over the case documents `docs`> <case file>...
  python3 - "$@" <<'EOF'
import json, sys
docs = [json.load(open(f)) for f in sys.argv[2:]]
print(eval(sys.argv[1]))
EOF
}
kellpo=$src/examples/cases/kellpo.json
out=$tmp/c_minimal.kellpo.json
check "analyze kellpo with c_minimal" \
  "$bmil" --plugin-dir "$tmp/c_minimal/plugins" analyze "$kellpo" --format json -o "$out"
expect_eq "c_minimal: businesses" "$(metric "$out" c_minimal businesses)" 1
expect_eq "c_minimal: business models of kellpo" "$(metric "$out" c_minimal business_models)" \
  "$(count 'len(docs[0]["business_models"])' "$kellpo")"
expect_eq "c_minimal: TO BE business models of kellpo" \
  "$(metric "$out" c_minimal to_be_business_models)" \
  "$(count 'sum(m["state"] == "to_be" for m in docs[0]["business_models"])' "$kellpo")"
expect_eq "c_minimal: BMI tasks of kellpo" "$(metric "$out" c_minimal tasks)" \
  "$(count 'len(docs[0]["bmi_tasks"])' "$kellpo")"
cases=("$src"/examples/cases/*.json)
out=$tmp/c_minimal.all.json
check "analyze all ${#cases[@]} example cases with c_minimal" \
  "$bmil" --plugin-dir "$tmp/c_minimal/plugins" analyze "${cases[@]}" --format json -o "$out"
expect_eq "c_minimal: businesses (all cases)" "$(metric "$out" c_minimal businesses)" \
  "${#cases[@]}"
expect_eq "c_minimal: business models (all cases)" \
  "$(metric "$out" c_minimal business_models)" \
  "$(count 'sum(len(d["business_models"]) for d in docs)' "${cases[@]}")"
expect_eq "c_minimal: BMI tasks (all cases)" "$(metric "$out" c_minimal tasks)" \
  "$(count 'sum(len(d["bmi_tasks"]) for d in docs)' "${cases[@]}")"

# --------------------------------------------------------- sustainability_line
step "sustainability_line (an eighth leadership line in C++)"
sil_dir=$tmp/sustainability_line/plugins
sil_case=$src/examples/plugins/sustainability_line/example_case.json
out=$("$bmil" validate "$sil_case" 2>&1)
expect_match "without the plugin its case is invalid: the line is unknown" "$out" \
  'unknown leadership line "sustainability"'
check "with the plugin its case is valid" "$bmil" --plugin-dir "$sil_dir" validate "$sil_case"
canvas=$("$bmil" --plugin-dir "$sil_dir" canvas "$sil_case" 2>&1)
# By hand, from example_case.json: SIL tasks g1 (VC), g2 (VP, CU), g4 (VP, NE), g5 (CO).
expect_match "bmil canvas shows the SIL row with its counts" "$canvas" \
  '^SIL +Sustainability innovation leadership +\|  2  1  1  1  1  \.  \.$'
expect_match "the SIL row comes last (order 80, after PIL's 70)" \
  "$(grep -E '^[A-Za-z]+ +[A-Z][a-z]+ .*innovation leadership' <<<"$canvas" | tail -n 2 |
    awk '{print $1}' | tr '\n' ' ')" '^PIL SIL $'
info=$tmp/sil.info.json
"$bmil" --plugin-dir "$sil_dir" plugins info sustainability --describe >"$info" 2>&1
expect_eq "its descriptor: code, one question per built-in block, four SWOT cells" \
  "$(python3 - "$info" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["descriptor"]
blocks = ["value_proposition", "customers", "value_chain", "competences", "network",
          "relations", "value_formula"]
swot = d["swot"]
print(d["code"], [q["block"] for q in d["questions"]] == blocks,
      all(swot[c] and "not stated" not in swot[c][0]
          for c in ("strengths", "weaknesses", "opportunities", "threats")))
EOF
)" "SIL True True"
out=$tmp/sil.analyze.json
check "analyze its case" "$bmil" --plugin-dir "$sil_dir" analyze "$sil_case" --format json -o "$out"
# By hand: offset_print has 3 tasks, 2 led through SIL (2/3 >= 0.6, and g3 touches
# value_formula); print_as_a_service has 2, both SIL, none on value_formula.
expect_eq "its threats per business model" "$(python3 - "$out" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
line = next(l for l in doc["lines"] if l["plugin"] == "sustainability")
for a in line["assessments"]:
    print(a["business_model"], a["line_tasks"], a["tasks"],
          *[t["code"].split(".")[1] for t in a["threats"] if t["triggered"]])
EOF
)" "offset_print 2 3 too_much_sustainability_driven_bmi
print_as_a_service 2 2 value_nobody_pays_for"

# ------------------------------------------------------- segment_concentration
step "segment_concentration (a company-specific analyzer reading attributes)"
seg_dir=$tmp/segment_concentration/plugins
seg_case=$src/examples/plugins/segment_concentration/example_case.json
out=$tmp/segment.json
check "analyze its case" "$bmil" --plugin-dir "$seg_dir" analyze "$seg_case" --format json -o "$out"
# By hand (HHI = 10000 * sum of squared shares):
#   solvarme          0.6^2 + 0.16^2 + 0.1^2 + 0.08^2 + 0.06^2 = 0.4056 -> 4056
#   district_heating  0.9^2 + 0.1^2                            = 0.82   -> 8200
#   rooftop_kits      0.25^2 + 0.25^2 + 0.2^2 + 0.15^2 + 0.15^2 = 0.21  -> 2100
#   heat_as_a_service states no figures: no row.
expect_eq "HHI per business and business model" "$(python3 - "$out" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
result = next(a for a in doc["analyzers"] if a["plugin"] == "segment_concentration")["result"]
table = next(t for t in result["tables"] if t["id"] == "concentration")
cols = [c["id"] for c in table["columns"]]
for row in table["rows"]:
    r = dict(zip(cols, row))
    print(r["scope"], r["segments"], "%g" % r["revenue"], r["largest_segment"],
          "%g" % r["largest_share"], "%g" % r["hhi"])
EOF
)" "business 5 1e+06 public 0.6 4056
district_heating 2 600000 public 0.9 8200
rooftop_kits 5 400000 housing 0.25 2100"
expect_eq "mean HHI" "$(metric "$out" segment_concentration mean_hhi)" 4056
expect_eq "concentrated businesses (HHI > 2500)" \
  "$(metric "$out" segment_concentration concentrated_businesses)" 1
expect_eq "findings: the business and district_heating, not rooftop_kits" \
  "$(findings "$out" segment_concentration)" \
  "warning segment_concentration.concentrated_revenue solvarme:
warning segment_concentration.concentrated_revenue solvarme/district_heating:"
out=$tmp/segment.cross.json
check "analyze its case together with kellpo" \
  "$bmil" --plugin-dir "$seg_dir" analyze "$seg_case" "$kellpo" --format json -o "$out"
expect_eq "cross-case: businesses" "$(metric "$out" segment_concentration businesses)" 2
expect_eq "cross-case: kellpo states no segments" \
  "$(metric "$out" segment_concentration businesses_with_segments)" 1
all_dirs=(--plugin-dir "$tmp/c_minimal/plugins" --plugin-dir "$seg_dir")
expect_match "all examples load together with the bundled plugins" \
  "$("$bmil" "${all_dirs[@]}" --plugin-dir "$sil_dir" plugins list 2>&1 | grep -c ' available ')" \
  "^$((bundled_count + 3))$"

# ------------------------------------------------------------ bmil::core consumer
step "a program embedding the host links bmil::core from the prefix"
mkdir -p "$tmp/embed"
cat >"$tmp/embed/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.25)
project(embed LANGUAGES CXX)
find_package(bmil REQUIRED COMPONENTS core)
add_executable(embed main.cpp)
target_link_libraries(embed PRIVATE bmil::core)
EOF
cat >"$tmp/embed/main.cpp" <<'EOF'
// Loads the plugins of one directory, then a case; prints its business models and tasks.
#include <bmil/case_io.hpp>
#include <bmil/plugin_host.hpp>

#include <cstdio>
#include <filesystem>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::vector<std::filesystem::path> dirs{argv[1]};
  bmil::PluginHost host = bmil::PluginHost::Scan(dirs);
  host.LoadAll();
  const bmil::LoadResult loaded = bmil::LoadCaseFile(argv[2], host.MakeRegistry());
  if (!loaded.ok()) return 1;
  std::printf("%zu plugins, %zu business models, %zu tasks\n", host.loaded().size(),
              loaded.value->business_models.size(), loaded.value->bmi_tasks.size());
  return 0;
}
EOF
check "configure (find_package(bmil COMPONENTS core))" cmake -S "$tmp/embed" -B "$tmp/embed/build" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_CXX_FLAGS="${BMIL_CONSUMER_CXX_FLAGS:-}" -DCMAKE_COMPILE_WARNING_AS_ERROR=ON
check "build and link against libbmil_core.a" cmake --build "$tmp/embed/build" -j "$jobs"
models=$(count 'len(docs[0]["business_models"])' "$kellpo")
tasks=$(count 'len(docs[0]["bmi_tasks"])' "$kellpo")
expect_eq "it loads the bundled plugins and kellpo" \
  "$("$tmp/embed/build/embed" "$plugin_dir" "$kellpo" 2>&1)" \
  "$bundled_count plugins, $models business models, $tasks tasks"

summary
