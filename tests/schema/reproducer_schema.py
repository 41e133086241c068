#!/usr/bin/python3
"""docs/schema/reproducer.schema.json against real reproducers: the ones bmil writes for a
crash in add, a crash in finish and a hang validate, and edits that `bmil plugins replay`
refuses (exit 1, located) are refused by the schema too."""
import argparse, copy, glob, json, os, subprocess, sys, tempfile

import jsonschema


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bmil", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--fixtures", required=True, help="the built fixture plugins' directory")
    args = ap.parse_args()
    schema = json.load(open(os.path.join(args.root, "docs/schema/reproducer.schema.json")))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        passed += ok
        failed += not ok
        print(("PASS" if ok else "FAIL") + " - " + what)

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, BMIL_REPRODUCERS=os.path.join(tmp, "repro"),
                   BMIL_SCAN_RECORD=os.path.join(tmp, "scan.json"))
        env.pop("BMIL_PLUGIN_PATH", None)
        kellpo = json.load(open(os.path.join(args.root, "examples/cases/kellpo.json")))
        kellpo["business"]["id"] = "trigger-kellpo"
        trigger = os.path.join(tmp, "trigger.json")
        json.dump(kellpo, open(trigger, "w"))
        for fixture in ("hostile_segv", "hostile_abort", "hostile_hang"):
            r = subprocess.run([args.bmil, "--plugin-dir", os.path.join(args.fixtures, fixture),
                                "--call-timeout", "1", "batch", "-q",
                                "examples/cases/aikon.json", trigger],
                               cwd=args.root, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            check(r.returncode == 4, f"{fixture} fails the run with exit 4")
        files = sorted(glob.glob(os.path.join(tmp, "repro", "*.bmilrepro")))
        check(len(files) == 3, f"three reproducers written ({len(files)})")
        calls = set()
        for path in files:
            doc = json.load(open(path))
            calls.add(doc["call"])
            errors = list(validator.iter_errors(doc))
            check(not errors, f"{os.path.basename(path)} validates"
                  + ("" if not errors else f": {errors[0].message}"))
        check(calls == {"add", "finish"}, f"the calls are add and finish ({sorted(calls)})")

        base = json.load(open(files[0]))
        edits = {
            "a reproducer of version 2": lambda d: d.__setitem__("bmil_reproducer", 2),
            "an unknown call": lambda d: d.__setitem__("call", "finsh"),
            "an unknown member": lambda d: d.__setitem__("junk", 1),
            "an upper-case hash": lambda d: d["plugin"].__setitem__("xxh3_128", "A" * 32),
            "a request that is not base64": lambda d: d.__setitem__("request_base64", "@@@@"),
            "a negative cases_before": lambda d: d.__setitem__("cases_before", -1),
            "no plugin": lambda d: d.pop("plugin"),
        }
        for what, edit in edits.items():
            doc = copy.deepcopy(base)
            edit(doc)
            check(not validator.is_valid(doc), f"the schema refuses {what}")
            bad = os.path.join(tmp, "bad.bmilrepro")
            json.dump(doc, open(bad, "w"), indent=2)
            r = subprocess.run([args.bmil, "plugins", "replay", bad], cwd=args.root, env=env,
                               capture_output=True, text=True)
            check(r.returncode == 1 and r.stderr.startswith(bad + ":"),
                  f"bmil plugins replay refuses {what}, located (exit {r.returncode}: "
                  f"{r.stderr.strip()[:120]})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
