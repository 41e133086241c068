# shellcheck shell=bash
# Check helpers shared by the package tests (sourced, not run). Each check prints one line,
# "ok   - <what>" or "FAIL - <what>" followed by what was seen; summary prints the counts
# and exits non-zero when a check failed.

passed=0
failed=0

step() { printf '\n== %s\n' "$1"; }
pass() {
  passed=$((passed + 1))
  printf 'ok   - %s\n' "$1"
}
fail() {
  failed=$((failed + 1))
  printf 'FAIL - %s\n' "$1"
  if [ $# -gt 1 ]; then printf '%s\n' "$2" | head -n 40 | sed 's/^/       | /'; fi
}

# check <what> <command>...: passes when the command exits 0.
check() {
  local what=$1 out
  shift
  if out=$("$@" 2>&1); then pass "$what"; else fail "$what" "exit $?: $*"$'\n'"$out"; fi
}

# grep_out <fixed text> <command>...: the command succeeds and prints the text.
grep_out() {
  local text=$1 out
  shift
  out=$("$@" 2>&1) || {
    printf '%s\n' "$out"
    return 1
  }
  grep -qF -- "$text" <<<"$out" || {
    printf 'no "%s" in:\n%s\n' "$text" "$out"
    return 1
  }
}

expect_eq() { # expect_eq <what> <actual> <expected>
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected: $3"$'\n'"actual:   $2"; fi
}
expect_ne() { # expect_ne <what> <actual> <unexpected>
  if [ "$2" != "$3" ]; then pass "$1"; else fail "$1" "unexpected: $2"; fi
}
expect_match() { # expect_match <what> <text> <extended regex matching one line>
  if grep -qE -- "$3" <<<"$2"; then
    pass "$1"
  else
    fail "$1" "no line matches /$3/ in:"$'\n'"$2"
  fi
}
expect_no_match() { # expect_no_match <what> <text> <extended regex>
  if grep -qE -- "$3" <<<"$2"; then fail "$1" "a line matches /$3/ in:"$'\n'"$2"; else pass "$1"; fi
}

# metric <analyze --format json output> <analyzer> <metric id>: its value ("" if absent).
metric() {
  python3 - "$@" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
for a in doc["analyzers"]:
    if a["plugin"] == sys.argv[2]:
        for m in a["result"]["metrics"]:
            if m["id"] == sys.argv[3]:
                v = m["value"]
                print(int(v) if float(v).is_integer() else v)
EOF
}

# findings <analyze --format json output> <analyzer>: "severity code first-word" per finding.
findings() {
  python3 - "$@" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
for a in doc["analyzers"]:
    if a["plugin"] == sys.argv[2]:
        for f in a["result"]["findings"]:
            print(f["severity"], f["code"], f["message"].split()[0])
EOF
}

summary() {
  printf '\n%d passed, %d failed\n' "$passed" "$failed"
  [ "$failed" -eq 0 ]
  exit
}
