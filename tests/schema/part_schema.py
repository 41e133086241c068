#!/usr/bin/python3
"""docs/schema/part.schema.json against real parts: every part bmil writes (one input, an
empty input, a merged part) validates, and edits that bmil merge refuses for their shape are
refused by the schema too."""
import argparse, copy, json, os, subprocess, sys, tempfile

import jsonschema


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bmil", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()
    schema = json.load(open(os.path.join(args.root, "docs/schema/part.schema.json")))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        def run(*cmd):
            subprocess.run([args.bmil, *cmd], check=True, cwd=args.root,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        empty = os.path.join(tmp, "empty.jsonl")
        open(empty, "w").close()
        parts = {
            "kellpo": os.path.join(tmp, "kellpo.bmilpart"),
            "empty": os.path.join(tmp, "empty.bmilpart"),
            "merged": os.path.join(tmp, "merged.bmilpart"),
            "with rows": os.path.join(tmp, "rows.bmilpart"),
            "capped": os.path.join(tmp, "capped.bmilpart"),
        }
        run("batch", "examples/cases/kellpo.json", "-q", "--partial", parts["kellpo"])
        run("batch", empty, "-q", "--partial", parts["empty"])
        aikon = os.path.join(tmp, "aikon.bmilpart")
        run("batch", "examples/cases/aikon.json", "-q", "--partial", aikon)
        run("merge", parts["kellpo"], aikon, "--partial", parts["merged"])
        run("batch", "examples/cases/kellpo.json", "-q", "--partial", parts["capped"],
            "--max-rows", "3")
        run("batch", "examples/cases/kellpo.json", "-q", "--partial", parts["with rows"],
            "--metrics", os.path.join(tmp, "kellpo.csv"))
        for name, path in parts.items():
            part = json.loads(open(path).read())
            errors = list(validator.iter_errors(part))
            ok = not errors
            failed += not ok
            print(("PASS" if ok else "FAIL") + f" - the {name} part validates"
                  + ("" if ok else f": {errors[0].message}"))
        base = json.loads(open(parts["with rows"]).read())
        ok = len(base["business_metrics"]["rows"]) == 1 and base["business_metrics"]["rows"][0][0] == "kellpo"
        failed += not ok
        print(("PASS" if ok else "FAIL") + " - the part of batch --metrics holds kellpo's row")
        edits = {
            "bmil_partial 1": lambda p: p.__setitem__("bmil_partial", 1),
            "a negative count": lambda p: p["counts"].__setitem__("bytes", -1),
            "an unknown member": lambda p: p.__setitem__("junk", []),
            "a failure's plugin not a string": lambda p: p["failures"].append({"plugin": 5}),
            "no checksum": lambda p: p.pop("checksum"),
            "a short hash": lambda p: p["inputs"][0].__setitem__("xxh3", "12"),
            "a row without its business":
                lambda p: p["business_metrics"]["rows"][0].__setitem__(0, 7),
            "a business_metrics without columns": lambda p: p["business_metrics"].pop("columns"),
            "listing max_rows 0": lambda p: p.__setitem__("listing", {"max_rows": 0}),
            "listing all false": lambda p: p.__setitem__("listing", {"all": False}),
        }
        for what, edit in edits.items():
            part = copy.deepcopy(base)
            edit(part)
            ok = not validator.is_valid(part)
            failed += not ok
            print(("PASS" if ok else "FAIL") + f" - the schema refuses {what}")
    print(f"{len(parts) + len(edits) + 1 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
