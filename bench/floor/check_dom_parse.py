#!/usr/bin/python3
"""Checks bmil_floor_dom_parse on small hand-made inputs (the CTest test bench.dom_parse).

Usage: check_dom_parse.py PROGRAM WORKDIR
Exits with 1 when a check fails.
"""

import json
import os
import subprocess
import sys


def run(program, path):
    done = subprocess.run([program, path], capture_output=True, text=True, check=False)
    return done.returncode, done.stdout, done.stderr


def main():
    program, workdir = sys.argv[1], sys.argv[2]
    os.makedirs(workdir, exist_ok=True)
    failures = []

    # Two objects, an array and a blank line (not a record); the last line has no newline.
    good = os.path.join(workdir, "good.jsonl")
    with open(good, "w", encoding="utf-8") as f:
        f.write('{"bmil": "1.0", "a": [1, 2.5, "x\\u00e9"]}\n\n[1, 2]\n{"b": {}}')
    code, out, err = run(program, good)
    if code != 0 or json.loads(out) != {"records": 3, "objects": 2}:
        failures.append("good input: exit %d, output %r, errors %r" % (code, out, err))

    # Record 2 is cut short and record 3 has a bad escape: both refused, by number.
    bad = os.path.join(workdir, "bad.jsonl")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('{"a": 1}\n{"a": \n{"a": "\\q"}\n{}\n')
    code, out, err = run(program, bad)
    if code != 1 or json.loads(out) != {"records": 4, "objects": 2} or \
            "record 2:" not in err or "record 3:" not in err or "record 1:" in err:
        failures.append("bad input: exit %d, output %r, errors %r" % (code, out, err))

    for failure in failures:
        print(failure)
    print("%d passed, %d failed" % (2 - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
