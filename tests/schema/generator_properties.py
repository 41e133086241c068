#!/usr/bin/python3
"""bench/generate_cases.py: deterministic, valid, and skewed like the paper's data; and
`bmil analyze` on its output gives the block shares counted here from the same records.

Usage: generator_properties.py --bmil PATH --root REPO
The last line reads "N passed, M failed"; exit status 0 when nothing failed.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bmil", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    generator = os.path.join(args.root, "bench", "generate_cases.py")
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

    def generate(companies, seed, path):
        subprocess.run([sys.executable, generator, "--companies", str(companies), "--seed", str(seed),
                        "-o", path], check=True)
        with open(path, "rb") as f:
            return f.read()

    with tempfile.TemporaryDirectory() as tmp:
        a = generate(300, 7, os.path.join(tmp, "a.jsonl"))
        b = generate(300, 7, os.path.join(tmp, "b.jsonl"))
        c = generate(300, 8, os.path.join(tmp, "c.jsonl"))
        check(a == b, "the same seed gives the same bytes")
        check(a != c, "another seed gives other data")
        records = [json.loads(line) for line in a.decode("utf-8").splitlines()]
        check(len(records) == 300, "300 records, one per line")
        check(all(1 <= len(r["business_models"]) <= 6 for r in records), "1-6 models per company")

        path = os.path.join(tmp, "a.jsonl")
        run = subprocess.run([args.bmil, "validate", path], capture_output=True, text=True, env=env)
        check(run.returncode == 0 and run.stdout == path + ": 300 valid cases\n",
              "bmil validate accepts every record: %s %s" % (run.stdout, run.stderr[-500:]))

        mentions = [b for r in records for t in r["bmi_tasks"] for b in t["building_blocks"]]
        pair = sum(b in ("value_proposition", "customers") for b in mentions)
        check(0.4 <= pair / len(mentions) <= 0.65,
              "value proposition + customers hold about half the mentions: %.3f" % (pair / len(mentions)))
        lines = [l for r in records for t in r["bmi_tasks"] for l in t["leadership_lines"]]
        lead = sum(l in ("customer", "network", "value") for l in lines)
        check(lead / len(lines) > 0.5, "customer, network and value lead most: %.3f" % (lead / len(lines)))

        run = subprocess.run([args.bmil, "analyze", path, "--format", "json"], capture_output=True,
                             text=True, env=env)
        check(run.returncode == 0, "bmil analyze exit %d: %s" % (run.returncode, run.stderr[-500:]))
        if run.returncode == 0:
            report = json.loads(run.stdout)
            focus = [a["result"] for a in report["analyzers"] if a["plugin"] == "block_focus"][0]
            value = [m["value"] for m in focus["metrics"] if m["id"] == "pair_share"][0]
            check(abs(value - pair / len(mentions)) < 1e-12,
                  "block_focus pair share %.12f equals the count here %.12f" % (value, pair / len(mentions)))

    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
