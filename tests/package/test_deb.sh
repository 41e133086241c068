#!/usr/bin/env bash
# Makes the .deb with CPack from a built tree, checks its control fields and contents,
# extracts it into a scratch root (dpkg-deb -x, no root needed) and runs what it installs:
# the extracted `bmil` must find its bundled plugins relative to itself and analyze an
# example case exactly as the build tree's `bmil` does, and its CMake package must build a
# plugin from where it was extracted (it is relocatable).
#
# Usage: test_deb.sh <build-dir> <source-dir>
# Exits 77 (skipped) without dpkg-deb. Prints "N passed, M failed"; non-zero on failure.
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 <build-dir> <source-dir>" >&2
  exit 2
fi
build=$(cd "$1" && pwd) || exit 2
src=$(cd "$2" && pwd) || exit 2
for tool in cpack dpkg-deb dpkg-shlibdeps; do
  if ! command -v "$tool" >/dev/null; then
    echo "skipped: $tool not found (a Debian package cannot be made here)"
    exit 77
  fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bmil-deb.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
unset BMIL_PLUGIN_PATH
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:[A-Z]*=//p' "$build/CMakeCache.txt")
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$build/CMakeCache.txt")

. "$(dirname "$0")/checks.sh"

# -------------------------------------------------------------------- the package
step "cpack -G DEB"
check "cpack -G DEB succeeds" \
  bash -c 'cd "$1" && cpack -G DEB --config CPackConfig.cmake -B "$2"' _ "$build" "$tmp/pkg"
debs=("$tmp"/pkg/*.deb)
arch=$(dpkg --print-architecture)
expect_eq "one package, named by Debian's convention" "${debs[*]##*/}" \
  "bmil_${version}_${arch}.deb"
deb=${debs[0]}
expect_eq "Package" "$(dpkg-deb -f "$deb" Package 2>&1)" "bmil"
expect_eq "Version" "$(dpkg-deb -f "$deb" Version 2>&1)" "$version"
expect_match "Maintainer is set" "$(dpkg-deb -f "$deb" Maintainer 2>&1)" '^.+ <.+@.+>$'
depends=$(dpkg-deb -f "$deb" Depends 2>&1)
for package in libc6 libstdc\\+\\+6 nlohmann-json3-dev; do
  expect_match "Depends names $package" "$depends" "(^|, )$package( |,|$)"
done

listing=$(dpkg-deb -c "$deb")
contents=$(awk '{print $6}' <<<"$listing")
for f in ./usr/bin/bmil ./usr/include/bmil/abi.h ./usr/include/bmil/sdk/plugin.hpp \
  "./usr/$libdir/libbmil_core.a" "./usr/$libdir/cmake/bmil/bmilConfig.cmake" \
  "./usr/$libdir/bmil/plugins/canvas/canvas.so" ./usr/share/doc/bmil/examples/cases/kellpo.json; do
  expect_match "contains $f" "$contents" "^${f//+/\\+}$"
done
expect_eq "usr/bin holds only bmil (no test or bench programs)" \
  "$(grep -E '^\./usr/bin/.+[^/]$' <<<"$contents")" "./usr/bin/bmil"
expect_eq "the packaged plugins are exactly the bundled ones (no test fixtures)" \
  "$(grep -oE "^\./usr/$libdir/bmil/plugins/[^/]+/$" <<<"$contents" |
    sed 's|.*/plugins/||; s|/$||' | sort)" "$(ls "$build/$libdir/bmil/plugins" | sort)"
expect_no_match "no file or directory is group- or world-writable (bmil would refuse it)" \
  "$(awk '{print $1}' <<<"$listing")" '^(.{5}w|.{8}w)'
expect_eq "everything is owned by root/root" "$(awk '{print $2}' <<<"$listing" | sort -u)" \
  "root/root"

# ------------------------------------------------------------- extract and run it
step "dpkg-deb -x into a scratch root and run the extracted bmil"
check "dpkg-deb -x" dpkg-deb -x "$deb" "$tmp/root"
usr=$tmp/root/usr
bmil=$usr/bin/bmil
plugin_dir=$usr/$libdir/bmil/plugins
bundled_count=$(ls "$plugin_dir" | wc -l)
list=$(cd / && "$bmil" plugins list 2>&1)
for id in canvas customer value; do
  expect_match "plugins list (no --plugin-dir) shows $id from the extracted tree" "$list" \
    "^$id +(line|analyzer) +[0-9.]+ +available +$plugin_dir/$id/$id.so$"
done
expect_eq "every bundled plugin is available (stripping kept the manifests)" \
  "$(grep -c ' available ' <<<"$list")" "$bundled_count"

# After `dpkg -i` every file is owned by root and bmil runs as some user. Extracted as root,
# the tree is root-owned, so running it as an unprivileged user is that situation.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  chmod 755 "$tmp"
  list=$(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups "$bmil" plugins list 2>&1)
  what="as an unprivileged user (as after dpkg -i) the root-owned bundled plugins are available"
  n=$(grep -c ' available ' <<<"$list")
  if [ "$n" = "$bundled_count" ]; then
    pass "$what"
  else
    fail "$what" "$n of $bundled_count available:"$'\n'"$list"
  fi
else
  echo "skip - running as a user other than root: the dpkg -i ownership case cannot be built"
fi

kellpo=$usr/share/doc/bmil/examples/cases/kellpo.json
check "the extracted bmil analyzes the packaged kellpo.json" \
  "$bmil" analyze --full "$kellpo" -o "$tmp/extracted.txt"
check "the build tree's bmil analyzes it too" \
  "$build/bin/bmil" analyze --full "$kellpo" -o "$tmp/built.txt"
check "both give the same report" diff -u "$tmp/built.txt" "$tmp/extracted.txt"
expect_match "the report holds the canvas" "$(cat "$tmp/extracted.txt")" \
  '^BMIL strategy canvas \[canvas\]$'

# Every shared library the package's programs need comes from a package it depends on.
if command -v ldd >/dev/null && command -v dpkg >/dev/null; then
  missing=
  libs=$(for elf in "$bmil" "$plugin_dir"/*/*.so; do
    ldd "$elf" | awk '$3 ~ /^\// {print $3}'
  done | sort -u)
  for lib in $libs; do
    owner=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null ||
      dpkg -S "${lib#/usr}" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null)
    owner=${owner%%:*}
    owner=${owner%%,*}
    if [ -z "$owner" ]; then
      missing+="$lib (no package owns it)"$'\n'
    else
      # The package or a name it provides (libspdlog1.10 provides libspdlog1.10-fmt9).
      names="$owner $(dpkg-query -W -f='${Provides}' "$owner" 2>/dev/null |
        sed 's/([^)]*)//g; s/,/ /g')"
      found=
      for name in $names; do
        grep -qE "(^|, )${name//+/\\+}( |,|$)" <<<"$depends" && found=1
      done
      [ -n "$found" ] || missing+="$lib from $owner"$'\n'
    fi
  done
  expect_eq "Depends covers every shared library bmil and its plugins need" "$missing" ""
fi

# ------------------------------------------------- the CMake package, relocated
step "build examples/plugins/c_minimal against the extracted package"
cp -r "$usr/share/doc/bmil/examples/plugins/c_minimal" "$tmp/c_minimal"
check "configure with CMAKE_PREFIX_PATH=<root>/usr" cmake -S "$tmp/c_minimal" \
  -B "$tmp/c_minimal/build" -DCMAKE_PREFIX_PATH="$usr" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
expect_eq "it found the extracted package" \
  "$(sed -n 's/^bmil_DIR:[A-Z]*=//p' "$tmp/c_minimal/build/CMakeCache.txt")" \
  "$usr/$libdir/cmake/bmil"
check "build" cmake --build "$tmp/c_minimal/build"
out=$tmp/c_minimal.json
check "the extracted bmil loads it and analyzes kellpo" "$bmil" \
  --plugin-dir "$tmp/c_minimal/build/plugins" analyze "$kellpo" --format json -o "$out"
expect_eq "c_minimal: business models of kellpo" "$(metric "$out" c_minimal business_models)" \
  "$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["business_models"]))' \
    "$src/examples/cases/kellpo.json")"

summary
