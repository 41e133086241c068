#!/usr/bin/python3
"""docs/schema/decision.schema.json against the decision records `bmil scenario decide`
writes (each example scenario, LHS and Sobol'), with each KPI band ordered
(P10 <= P50 <= P90), and edits the schema must refuse."""
import argparse, copy, json, os, subprocess, tempfile

import jsonschema

EXAMPLES = [("aikon-2010.json", "aikon-focus"), ("aikon-2010.json", "aikon-keep"),
            ("provital-2009.json", "provital-carwash-prototype"),
            ("provital-2009.json", "provital-carwash-after-market")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bmil", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()
    schema = json.load(open(os.path.join(args.root, "docs/schema/decision.schema.json")))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failed = passed = 0
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        for base, scenario in EXAMPLES:
            for method in ("lhs", "sobol"):
                out = os.path.join(tmp, f"{scenario}.{method}.json")
                subprocess.run([args.bmil, "scenario", "decide", f"examples/scenarios/{base}",
                                f"examples/scenarios/{scenario}.scenario.json", "--why", "test",
                                "--date", "2011-01-15", "--draws", "300", "--sampling", method,
                                "-o", out], check=True, cwd=args.root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                record = json.load(open(out))
                records.append(record)
                errors = list(validator.iter_errors(record))
                ordered = all(y["p10"] <= y["p50"] <= y["p90"]
                              for k in record["expected"]["kpis"] for y in k["years"])
                ok = not errors and ordered and record["scenario"]["id"] == scenario
                failed += not ok
                passed += ok
                print(("PASS" if ok else "FAIL") + f" - {scenario} ({method}) validates"
                      + ("" if not errors else f": {errors[0].message}")
                      + ("" if ordered else ": a band is not ordered"))
    edits = {
        "another format version": lambda d: d.__setitem__("bmil_decision", "2.0"),
        "a date that is not YYYY-MM-DD": lambda d: d.__setitem__("decided", "15.1.2011"),
        "a short scenario hash": lambda d: d["scenario"].__setitem__("xxh3", "12"),
        "an unknown member": lambda d: d.__setitem__("junk", 1),
        "a task of another status": lambda d: d["tasks"][0].__setitem__("status", "completed"),
        "a probability above 1": lambda d: d["expected"].__setitem__("loss_probability", 1.5),
        "a band without its P50": lambda d: d["expected"]["kpis"][0]["years"][0].pop("p50"),
    }
    for what, edit in edits.items():
        record = copy.deepcopy(records[0])
        edit(record)
        ok = not validator.is_valid(record)
        failed += not ok
        passed += ok
        print(("PASS" if ok else "FAIL") + f" - the schema refuses {what}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
