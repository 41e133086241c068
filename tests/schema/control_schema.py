#!/usr/bin/python3
"""docs/schema/plan.schema.json and docs/schema/checkin.schema.json (docs/control.md) against
the documentation's examples and against what bmil writes: a plan `bmil plan adopt` makes from
the decision record of an example scenario, and the log of three check-ins on it (KPI actuals,
task changes, a rebaseline), whose events validate one by one and form a whole hash chain
(seq 1, 2, 3; each prev the previous hash, the first the plan's XXH3-128; each hash the
XXH3-128 of its line up to `,"hash":`, computed by `bmil scenario hash`). Edits the schemas
must refuse; edited plans that `bmil checkin` refuses too (exit 1, located, nothing written);
event contents `bmil checkin` refuses before writing; edited, removed and cut events that
stop it appending, named by their line."""
import argparse, copy, json, os, re, shutil, subprocess, sys, tempfile

import jsonschema

HEX32 = "0123456789abcdef" * 2


def doc_examples(root):
    """The plan and the check-in events shown in docs/control.md, placeholders filled in."""
    text = open(os.path.join(root, "docs/control.md"), encoding="utf-8").read()
    blocks = re.findall(r"```json\n(.*?)```", text, re.S)
    fill = lambda s: re.sub(r"<(32 hex digits|32 hex|hash of event 1)>", HEX32, s)
    plans = [json.loads(fill(b)) for b in blocks if '"bmil_plan"' in b]
    events = [json.loads(fill(line)) for b in blocks if '"bmil_checkin"' in b
              for line in b.splitlines() if line.strip()]
    return plans, events


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bmil", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()
    schema_dir = os.path.join(args.root, "docs/schema")
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        ok = bool(ok)
        passed += ok
        failed += not ok
        print(("PASS" if ok else "FAIL") + " - " + what)
        return ok

    def finish():
        print(f"{passed} passed, {failed} failed")
        return 1 if failed else 0

    # ---- (a) the schemas are schemas, and the documentation's examples follow them
    validators = {}
    for name in ("plan", "checkin"):
        schema = json.load(open(os.path.join(schema_dir, f"{name}.schema.json")))
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
            check(True, f"{name}.schema.json is a valid draft 2020-12 schema")
        except jsonschema.SchemaError as e:
            check(False, f"{name}.schema.json is a valid draft 2020-12 schema: {e.message}")
            return finish()
        check(schema["$id"] == f"https://bmil.dev/schema/{name}-1.0.json", f"{name}: its $id")
        validators[name] = jsonschema.Draft202012Validator(schema)
    plan_v, event_v = validators["plan"], validators["checkin"]

    def first_error(validator, doc):
        errors = sorted(validator.iter_errors(doc), key=lambda e: [str(x) for x in e.absolute_path])
        return "" if not errors else f": /{'/'.join(map(str, errors[0].absolute_path))}: {errors[0].message}"

    # The bundled example (examples/control/) follows the schemas.
    example = os.path.join(args.root, "examples/control")
    e = first_error(plan_v, json.load(open(os.path.join(example, "provital.plan.json"))))
    check(not e, "examples/control/provital.plan.json validates" + e)
    with open(os.path.join(example, "provital.plan.checkins.jsonl")) as log:
        lines = log.read().splitlines()
    check(len(lines) == 14, f"the example log has 14 check-ins ({len(lines)})")
    for n, line in enumerate(lines, 1):
        e = first_error(event_v, json.loads(line))
        check(not e, f"examples/control: check-in {n} validates" + e)

    plans, events = doc_examples(args.root)
    check(len(plans) == 1 and len(events) == 2,
          f"docs/control.md shows one plan and two events ({len(plans)}, {len(events)})")
    for p in plans:
        e = first_error(plan_v, p)
        check(not e, "docs/control.md's plan validates" + e)
    for i, ev in enumerate(events):
        e = first_error(event_v, ev)
        check(not e, f"docs/control.md's event {i + 1} validates" + e)

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, BMIL_SCAN_RECORD="")

        def bmil(*argv):
            return subprocess.run([args.bmil, *argv], cwd=args.root, env=env,
                                  capture_output=True, text=True)

        def xxh3(path):
            r = bmil("scenario", "hash", path)
            return r.stdout.strip() if r.returncode == 0 else f"(bmil scenario hash failed: {r.stderr})"

        def read(path):
            with open(path, "rb") as f:
                return f.read()

        # ---- (b) a plan as bmil adopts it
        decision = os.path.join(tmp, "decision.json")
        plan_path = os.path.join(tmp, "plan.json")
        log_path = os.path.join(tmp, "plan.checkins.jsonl")
        r = bmil("scenario", "decide", "examples/scenarios/aikon-2010.json",
                 "examples/scenarios/aikon-focus.scenario.json", "--why", "test",
                 "--date", "2011-01-15", "--draws", "200", "-o", decision)
        if not check(r.returncode == 0, f"bmil scenario decide (exit {r.returncode}: {r.stderr.strip()[:200]})"):
            return finish()
        r = bmil("plan", "adopt", decision, "-o", plan_path)
        if not check(r.returncode == 0 and os.path.isfile(plan_path),
                     f"bmil plan adopt (exit {r.returncode}: {r.stderr.strip()[:200]})"):
            return finish()
        plan = json.load(open(plan_path))
        e = first_error(plan_v, plan)
        check(not e, "the adopted plan validates" + e)
        if e:
            return finish()
        check(plan["id"] == "aikon-focus" and plan["business"] == "aikon"
              and plan["adopted"] == "2011-01-15",
              f"the plan's id, business and adoption day ({plan['id']}, {plan['business']}, {plan['adopted']})")
        check(plan["decision"] is not None and plan["decision"]["scenario"] == "aikon-focus"
              and plan["decision"]["why"] == "test" and plan["decision"]["xxh3"] == xxh3(decision),
              "the plan names the decision record by its XXH3-128")
        ids = [k["id"] for k in plan["kpis"]]
        check("profit" in ids and len(ids) == len(set(ids)), "the KPIs are unique and include profit")
        ordered = all(all(a["date"] < b["date"] for a, b in zip(k["targets"], k["targets"][1:]))
                      for k in plan["kpis"])
        check(ordered, "every KPI's target dates increase")
        banded = all(t["p10"] <= t["value"] <= t["p90"]
                     for k in plan["kpis"] if k["source"] == "scenario" for t in k["targets"])
        check(banded, "every scenario KPI's band holds its target (p10 <= value <= p90)")
        check(all(k["direction"] == ("down" if k["id"].split(".")[0] in ("cost", "bmi_cost", "carry")
                                     else "up") for k in plan["kpis"]),
              "cost, bmi_cost and carry go down, the others up")
        if not check(plan["milestones"], "the plan has milestones"):
            return finish()
        m = plan["milestones"][0]["id"]
        plan_bytes = read(plan_path)

        # ---- (c) three check-ins
        checkins = [
            ["--kpi", "profit=1000", "--date", "2011-03-31", "--at", "2011-04-01T09:00:00Z",
             "--author", "t", "--note", "n"],
            ["--task", f"{m}=ongoing", "--progress", f"{m}=0.5", "--spent", f"{m}=2",
             "--confidence", "0.6", "--date", "2011-05-01", "--at", "2011-05-01T09:00:00Z",
             "--author", "t"],
            ["--rebaseline", "profit", "--target", "2013-12-31=500", "--reason", "r",
             "--date", "2011-06-01", "--at", "2011-06-01T09:00:00Z", "--author", "t"],
        ]
        outputs = []
        for i, extra in enumerate(checkins):
            r = bmil("checkin", plan_path, *extra)
            outputs.append(r.stdout + r.stderr)
            if not check(r.returncode == 0, f"check-in {i + 1} (exit {r.returncode}: {r.stderr.strip()[:200]})"):
                return finish()
        check(read(plan_path) == plan_bytes, "checkin leaves the plan as it was")
        if not check(os.path.isfile(log_path), "the log is plan.checkins.jsonl beside the plan"):
            return finish()
        log_bytes = read(log_path)
        check(log_bytes.endswith(b"\n"), "the log's last line ends with a newline")
        lines = log_bytes.decode("utf-8").splitlines()
        if not check(len(lines) == 3, f"three events ({len(lines)})"):
            return finish()
        events = []
        prev = xxh3(plan_path)
        for n, line in enumerate(lines, 1):
            ev = json.loads(line)
            events.append(ev)
            e = first_error(event_v, ev)
            check(not e, f"event {n} validates" + e)
            check(ev.get("seq") == n, f"event {n}: seq {ev.get('seq')}")
            check(ev.get("prev") == prev, f"event {n}: prev is the " + ("plan's XXH3-128" if n == 1 else f"hash of event {n - 1}"))
            h = ev.get("hash", "")
            cut = line.rfind(',"hash":')
            ends = cut >= 0 and line[cut:] == f',"hash":"{h}"}}'
            head = os.path.join(tmp, "line-head")
            with open(head, "wb") as f:
                f.write(line[:cut].encode("utf-8") if cut >= 0 else b"")
            check(ends and xxh3(head) == h,
                  f"event {n}: hash ends the line and is the XXH3-128 of the line up to it")
            check(h in outputs[n - 1], f"check-in {n} prints the log's head (its hash)")
            prev = h
        e1, e2, e3 = events
        check(e1.get("kpis") == {"profit": 1000} and e1.get("date") == "2011-03-31"
              and e1.get("at") == "2011-04-01T09:00:00Z" and e1.get("author") == "t"
              and e1.get("note") == "n", "event 1 holds the KPI actual, date, time, author and note")
        check(e2.get("tasks") == {m: {"status": "ongoing", "progress": 0.5, "spent": 2}}
              and e2.get("confidence") == 0.6, "event 2 holds the task change and the confidence")
        check(e3.get("rebaseline") == {"kpi": "profit", "targets": [{"date": "2013-12-31", "value": 500}],
                                       "reason": "r"}, "event 3 holds the rebaseline")

        # Event contents bmil refuses before anything is written.
        refused = {
            "a confidence of 1.5": ["--confidence", "1.5"],
            "a task status done": ["--task", f"{m}=done"],
            "a progress above 1": ["--progress", f"{m}=1.5"],
            "an unknown KPI": ["--kpi", "proft=1"],
            "an unknown milestone": ["--task", "no-such-task=ongoing"],
            "a rebaseline without a reason": ["--rebaseline", "profit", "--target", "2013-12-31=1"],
            "a rebaseline without targets": ["--rebaseline", "profit", "--reason", "r"],
            "a date after the day recorded": ["--confidence", "0.5", "--date", "2011-07-02",
                                              "--at", "2011-07-01T09:00:00Z"],
        }
        for what, extra in refused.items():
            argv = ["checkin", plan_path, "--author", "t", *extra]
            if "--at" not in extra:
                argv += ["--date", "2011-07-01", "--at", "2011-07-01T09:00:00Z"]
            r = bmil(*argv)
            check(r.returncode in (1, 2) and r.stderr.strip() and read(log_path) == log_bytes,
                  f"bmil checkin refuses {what}, writing nothing (exit {r.returncode}: {r.stderr.strip()[:160]})")

        # A broken chain stops the append; the first broken line is named.
        broken = {
            "an edited event": (lines[0] + "\n" + lines[1].replace('"author":"t"', '"author":"u"')
                                + "\n" + lines[2] + "\n", 2),
            "a removed event": (lines[0] + "\n" + lines[2] + "\n", 2),
            "reordered events": (lines[1] + "\n" + lines[0] + "\n" + lines[2] + "\n", 1),
            "a cut last line": (lines[0] + "\n" + lines[1] + "\n" + lines[2][:-10], 3),
        }
        for what, (text, line_no) in broken.items():
            bad_log = os.path.join(tmp, "broken.checkins.jsonl")
            with open(bad_log, "wb") as f:
                f.write(text.encode("utf-8"))
            r = bmil("checkin", plan_path, "--log", bad_log, "--confidence", "0.5", "--author", "t",
                     "--date", "2011-07-01", "--at", "2011-07-01T09:00:00Z")
            located = re.search(rf"^{re.escape(bad_log)}:{line_no}:\d+", r.stderr, re.M)
            check(r.returncode == 1 and located and read(bad_log) == text.encode("utf-8"),
                  f"bmil checkin does not append to a log with {what}, naming line {line_no} "
                  f"(exit {r.returncode}: {r.stderr.strip()[:160]})")

        # ---- (d) edits the schemas refuse; bmil refuses the edited plans, located
        kpi0 = next(i for i, k in enumerate(plan["kpis"]) if k["source"] == "scenario")
        plan_edits = {
            "another format version": lambda d: d.__setitem__("bmil_plan", "2.0"),
            "an unknown member": lambda d: d.__setitem__("junk", 1),
            "an unknown KPI member": lambda d: d["kpis"][0].__setitem__("traget", []),
            "an adoption date that is not YYYY-MM-DD": lambda d: d.__setitem__("adopted", "15.1.2011"),
            "a target date that is not YYYY-MM-DD": lambda d: d["kpis"][0]["targets"][0].__setitem__(
                "date", "2013"),
            "a milestone of status done": lambda d: d["milestones"][0].__setitem__("status", "done"),
            "a milestone of status completed": lambda d: d["milestones"][0].__setitem__(
                "status", "completed"),
            "a KPI direction sideways": lambda d: d["kpis"][0].__setitem__("direction", "sideways"),
            "an upper-case KPI id": lambda d: d["kpis"][0].__setitem__("id", "Profit"),
            "a KPI of another source": lambda d: d["kpis"][0].__setitem__("source", "model"),
            "a manual KPI with a band": lambda d: d["kpis"][kpi0].__setitem__("source", "manual"),
            "a baseline without its value": lambda d: d["kpis"][0].__setitem__(
                "baseline", {"date": "2011-01-15"}),
            "a negative effort": lambda d: d["milestones"][0].__setitem__("effort", -1),
            "a short decision hash": lambda d: d["decision"].__setitem__("xxh3", "12"),
            "no milestones": lambda d: d.pop("milestones"),
        }
        edits_dir = os.path.join(tmp, "edited")
        os.mkdir(edits_dir)
        for n, (what, edit) in enumerate(plan_edits.items()):
            doc = copy.deepcopy(plan)
            edit(doc)
            check(not plan_v.is_valid(doc), f"the plan schema refuses {what}")
            path = os.path.join(edits_dir, f"plan-{n}.json")
            with open(path, "w") as f:
                json.dump(doc, f, indent=2)
            r = bmil("checkin", path, "--confidence", "0.5", "--author", "t",
                     "--date", "2011-07-01", "--at", "2011-07-01T09:00:00Z")
            located = re.search(rf"^{re.escape(path)}:\d+:\d+", r.stderr, re.M)
            check(r.returncode == 1 and located and not os.path.exists(
                      os.path.join(edits_dir, f"plan-{n}.checkins.jsonl")),
                  f"bmil checkin refuses a plan with {what}, located, writing no log "
                  f"(exit {r.returncode}: {r.stderr.strip()[:160]})")

        task_of = lambda d: d["tasks"][m]
        event_edits = {
            "another format version": (0, lambda d: d.__setitem__("bmil_checkin", "2.0")),
            "an unknown member": (0, lambda d: d.__setitem__("junk", 1)),
            "a date that is not YYYY-MM-DD": (0, lambda d: d.__setitem__("date", "31.3.2011")),
            "a time without its Z": (0, lambda d: d.__setitem__("at", "2011-04-01T09:00:00")),
            "a seq of 0": (0, lambda d: d.__setitem__("seq", 0)),
            "an upper-case hash": (0, lambda d: d.__setitem__("hash", d["hash"].upper())),
            "no prev": (0, lambda d: d.pop("prev")),
            "a KPI value that is not a number": (0, lambda d: d["kpis"].__setitem__("profit", "1000")),
            "a note of 4001 characters": (0, lambda d: d.__setitem__("note", "x" * 4001)),
            "a confidence of 1.5": (1, lambda d: d.__setitem__("confidence", 1.5)),
            "a task status done": (1, lambda d: task_of(d).__setitem__("status", "done")),
            "a progress above 1": (1, lambda d: task_of(d).__setitem__("progress", 1.5)),
            "negative person-months spent": (1, lambda d: task_of(d).__setitem__("spent", -1)),
            "an unknown member of a task change": (1, lambda d: task_of(d).__setitem__("stauts", "ongoing")),
            "an empty task change": (1, lambda d: d["tasks"].__setitem__(m, {})),
            "a completed task of progress 0.5": (1, lambda d: task_of(d).__setitem__("status", "completed")),
            "a rebaseline without its reason": (2, lambda d: d["rebaseline"].pop("reason")),
            "a rebaseline with an empty reason": (2, lambda d: d["rebaseline"].__setitem__("reason", "")),
            "a rebaseline without targets": (2, lambda d: d["rebaseline"].__setitem__("targets", [])),
            "a rebaseline target without its value": (2, lambda d: d["rebaseline"]["targets"][0].pop("value")),
        }
        for what, (index, edit) in event_edits.items():
            doc = copy.deepcopy(events[index])
            edit(doc)
            check(not event_v.is_valid(doc), f"the check-in schema refuses {what}")

    return finish()


if __name__ == "__main__":
    sys.exit(main())
