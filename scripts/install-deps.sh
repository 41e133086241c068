#!/usr/bin/env bash
# Installs the dependencies of bmil from Debian 12 packages.
# Idempotent: when everything is already installed it only runs dpkg-query and exits.
# Usage: scripts/install-deps.sh          everything: building, tests, benchmarks, fuzzing
#        scripts/install-deps.sh --demo   only what building bmil and its plugins needs
#                                          (make demo; make test installs the rest)
# As root, or with sudo available.
set -euo pipefail

# Building bmil, its plugin runner and the bundled plugins.
build_packages=(
  build-essential cmake make pkg-config git
  libboost-dev            # Boost.DLL (header-only with std::filesystem)
  nlohmann-json3-dev
  libspdlog-dev libfmt-dev
  libcli11-dev
  libsimdjson-dev
  libxxhash-dev           # XXH3 checksums of .bmilpart files and input identities (header-only use)
  libseccomp-dev          # the plugin runner's seccomp filter: no network for plugins in a child
)
# The tests, benchmarks, fuzz targets and formatting.
test_packages=(
  clang-format
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
  python3 python3-jsonschema python3-pandas
  time                    # bench/memory.sh: peak memory of a run (GNU time)
  python3-distributed     # tests/scaling: bmil on a local Dask cluster
  chromium                # headless browser test of the HTML report (tests/browser/)
  clang libclang-rt-14-dev llvm-14  # make fuzz: clang++, libFuzzer + sanitizer runtimes, llvm-symbolizer
)

case "${1:-}" in
  "") packages=("${build_packages[@]}" "${test_packages[@]}") ;;
  --demo) packages=("${build_packages[@]}") ;;
  *) echo "usage: scripts/install-deps.sh [--demo]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
