#!/usr/bin/python3
"""docs/schema/scenario.schema.json against the example scenarios, their applied cases
against docs/schema/case.schema.json, and edits that both the schema and
`bmil scenario apply` refuse (exit 1, located)."""
import argparse, copy, glob, json, os, subprocess, sys, tempfile

import jsonschema


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bmil", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()
    schema_dir = os.path.join(args.root, "docs/schema")
    case_schema = json.load(open(os.path.join(schema_dir, "case.schema.json")))
    schema = json.load(open(os.path.join(schema_dir, "scenario.schema.json")))
    jsonschema.Draft202012Validator.check_schema(schema)
    resolver = jsonschema.RefResolver.from_schema(
        schema, store={case_schema["$id"]: case_schema, schema["$id"]: schema})
    validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
    case_validator = jsonschema.Draft202012Validator(case_schema)
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        passed += ok
        failed += not ok
        print(("PASS" if ok else "FAIL") + " - " + what)

    examples = sorted(glob.glob(os.path.join(args.root, "examples/scenarios/*.scenario.json")))
    check(len(examples) == 4, f"four example scenarios ({len(examples)})")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, BMIL_SCAN_RECORD="")
        for path in examples:
            name = os.path.basename(path)
            doc = json.load(open(path))
            errors = list(validator.iter_errors(doc))
            check(not errors, f"{name} validates" + ("" if not errors else f": {errors[0].message}"))
            base = os.path.join(os.path.dirname(path), doc["base"]["path"])
            out = os.path.join(tmp, name + ".case.json")
            r = subprocess.run([args.bmil, "scenario", "apply", base, path, "-o", out],
                               env=env, capture_output=True, text=True)
            check(r.returncode == 0, f"{name} applies" + ("" if r.returncode == 0 else ": " + r.stderr))
            if r.returncode == 0:
                errors = list(case_validator.iter_errors(json.load(open(out))))
                check(not errors, f"{name}: the applied case validates against the case schema"
                      + ("" if not errors else f": {errors[0].message}"))

        focus = json.load(open(os.path.join(args.root, "examples/scenarios/aikon-focus.scenario.json")))
        base = os.path.join(args.root, "examples/scenarios/aikon-2010.json")
        edits = {
            "version 2.0": lambda d: d.__setitem__("bmil_scenario", "2.0"),
            "an unknown member": lambda d: d.__setitem__("junk", 1),
            "an unknown verb": lambda d: d["moves"][0].__setitem__("move", "exlcude"),
            "an upper-case hash": lambda d: d["base"].__setitem__("xxh3", "A" * 32),
            "a negative exit cost": lambda d: d["moves"][0].__setitem__("exit_cost", -1),
            "a move without its model": lambda d: d["moves"][0].pop("business_model"),
            "a change of -100%": lambda d: d["moves"].append(
                {"move": "diminish", "business_model": "design_products", "changes": {"cost": -1}}),
            "an unknown distribution": lambda d: d["assumptions"]["drivers"][0].__setitem__(
                "distribution", "gaussian"),
            "a parameter of another distribution": lambda d: d["assumptions"]["drivers"][2].__setitem__(
                "mode", 0.2),
            "a rank of 1": lambda d: d["assumptions"]["correlations"][0].__setitem__("rank", 1),
            "a horizon of 0 years": lambda d: d["assumptions"].__setitem__("horizon_years", 0),
            "a task without lines": lambda d: d["moves"][3]["tasks"][0].pop("leadership_lines"),
            "a created model said to be AS IS": lambda d: d["moves"].append(
                {"move": "create", "business_model": {"id": "x", "name": "X", "state": "as_is"}}),
        }
        for what, edit in edits.items():
            doc = copy.deepcopy(focus)
            edit(doc)
            errors = list(validator.iter_errors(doc))
            check(bool(errors), f"the schema refuses {what}")
            path = os.path.join(tmp, "edited.scenario.json")
            json.dump(doc, open(path, "w"), indent=2)
            r = subprocess.run([args.bmil, "scenario", "apply", base, path],
                               env=env, capture_output=True, text=True)
            located = r.stderr.startswith(path + ":") and " /" in r.stderr
            check(r.returncode == 1 and located,
                  f"bmil refuses {what}, located (exit {r.returncode}: {r.stderr.strip()[:200]})")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
