#!/usr/bin/python3
"""Holds our loader to the JSON Schema, and our results to the result schema.

1. Every document the schema rejects (the bad_*.json written by validate_examples.py) is
   rejected by `bmil validate` too (exit 1, with a located diagnostic on stderr); the
   document they were derived from (good_base.json) is accepted.
2. `bmil analyze --format json` on every example case produces analyzer results that the
   result schema (docs/schema/result.schema.json) accepts.

Usage: loader_agrees.py --bmil PATH --root REPO --bad DIR
The last line reads "N passed, M failed"; exit status 0 when nothing failed.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys

from jsonschema import Draft202012Validator


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bmil", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--bad", required=True)
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("BMIL_PLUGIN_PATH", None)
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL: " + what)

    def validate(path):
        return subprocess.run([args.bmil, "validate", path], capture_output=True, text=True,
                              env=env)

    good = os.path.join(args.bad, "good_base.json")
    check(os.path.exists(good), "good_base.json was written by validate_examples.py")
    if os.path.exists(good):
        run = validate(good)
        check(run.returncode == 0, "good_base.json is accepted: " + run.stderr.strip())

    bad_files = sorted(glob.glob(os.path.join(args.bad, "bad_*.json")))
    check(len(bad_files) >= 15, "at least 15 bad documents (found %d)" % len(bad_files))
    located = re.compile(r"^.+\.json(:\d+:\d+)? (/\S*|/): .+|^.+\.json: .+", re.M)
    for path in bad_files:
        run = validate(path)
        name = os.path.basename(path)
        check(run.returncode == 1, "%s: loader exit %d, expected 1 (stderr: %s)"
              % (name, run.returncode, run.stderr.strip()))
        check(located.search(run.stderr) is not None,
              "%s: no located diagnostic in: %s" % (name, run.stderr.strip()))

    with open(os.path.join(args.root, "docs/schema/result.schema.json"), encoding="utf-8") as f:
        result_schema = json.load(f)
    validator = Draft202012Validator(result_schema)
    for case in sorted(glob.glob(os.path.join(args.root, "examples/cases/*.json"))):
        run = subprocess.run([args.bmil, "analyze", case, "--format", "json"],
                             capture_output=True, text=True, env=env)
        check(run.returncode == 0, "analyze %s: exit %d: %s" % (case, run.returncode, run.stderr))
        if run.returncode != 0:
            continue
        report = json.loads(run.stdout)
        check(len(report["analyzers"]) >= 1, "analyze %s: no analyzer ran" % case)
        for analyzer in report["analyzers"]:
            errors = sorted(validator.iter_errors(analyzer["result"]), key=str)
            check(not errors, "%s: result of %s breaks the result schema: %s"
                  % (case, analyzer["plugin"], "; ".join(e.message for e in errors[:3])))

    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
