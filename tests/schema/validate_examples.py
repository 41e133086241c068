#!/usr/bin/python3
"""Holds the case format's JSON Schema, the example cases and the user documentation together.

Checks, with Debian's python3-jsonschema (4.10 or newer):
  1. docs/schema/case.schema.json is a valid draft 2020-12 schema;
  2. every examples/cases/*.json, and every complete case shown in docs/data-format.md, is
     accepted by the schema and passes the cross-field rules the schema cannot express
     (unique ids, references, period order, known block and line ids, duplicate keys);
     the cases of Lindgren (2012) there also keep the paper facts that
     examples/cases/README.md lists for them;
  3. a list of small bad documents, each breaking one rule, is rejected by the schema for the
     expected reason.
With --write-bad DIR the bad documents are also written to DIR as bad_<nn>_<slug>.json (and
the document they were derived from as good_base.json), so that a C++ test can check that the
bmil loader rejects the same documents.

Usage: validate_examples.py [--root REPO] [--write-bad DIR]
Exit status 0 when everything passed; the last line reads "N passed, M failed".
"""

import argparse
import copy
import glob
import json
import os
import re
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover - depends on the machine
    print("python3-jsonschema is missing (apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(2)

BUILTIN_BLOCKS = ["value_proposition", "customers", "value_chain", "competences", "network",
                  "relations", "value_formula"]
# The lines registered by the built-in line plugins (Lindgren 2012, Appendix 1).
BUILTIN_LINES = ["value", "customer", "value_chain", "competence", "network", "relation",
                 "process"]


# ------------------------------------------------------------------ helpers

class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey('duplicate key "%s"' % key)
        seen[key] = value
    return seen


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=_no_duplicates)


def _date_key(text):
    parts = [int(p) for p in text.split("-")]
    while len(parts) < 3:
        parts.append(0)  # a missing month or day counts as the lowest
    return tuple(parts)


def semantic_problems(doc):
    """Cross-field rules of the spec that a JSON Schema cannot express."""
    problems = []
    models = doc.get("business_models", [])
    model_ids = [m.get("id") for m in models]

    def check_unique(ids, what):
        seen = set()
        for i in ids:
            if i in seen:
                problems.append('duplicate %s id "%s"' % (what, i))
            seen.add(i)

    check_unique(model_ids, "business model")
    check_unique([t.get("id") for t in doc.get("bmi_tasks", [])], "task")
    check_unique([p.get("id") for p in doc.get("portfolios", [])], "portfolio")
    known = set(model_ids)
    for p in doc.get("portfolios", []):
        for m in p.get("business_models", []):
            if m not in known:
                problems.append('portfolio "%s": unknown business model "%s"' % (p["id"], m))
    for m in models:
        for c in m.get("carried_by", []):
            if c not in known:
                problems.append('model "%s": carried_by unknown model "%s"' % (m["id"], c))
            if c == m.get("id"):
                problems.append('model "%s" is carried by itself' % m["id"])
        industry_ids = [i.get("id") for i in m.get("industries", [])]
        if len(industry_ids) != len(set(industry_ids)):
            problems.append('model "%s": an industry is listed twice' % m["id"])
        for block in m.get("building_blocks", {}):
            if block not in BUILTIN_BLOCKS:
                problems.append('model "%s": unknown building block "%s"' % (m["id"], block))
    for t in doc.get("bmi_tasks", []):
        if t.get("business_model") not in known:
            problems.append('task "%s": unknown business model "%s"'
                            % (t.get("id"), t.get("business_model")))
        for b in t.get("building_blocks", []):
            if b not in BUILTIN_BLOCKS:
                problems.append('task "%s": unknown building block "%s"' % (t.get("id"), b))
        for line in t.get("leadership_lines", []):
            if line not in BUILTIN_LINES:
                problems.append('task "%s": unknown leadership line "%s"' % (t.get("id"), line))
        period = t.get("period", {})
        if "end" in period and _date_key(period["end"]) < _date_key(period["start"]):
            problems.append('task "%s": period ends before it starts' % t.get("id"))
    for line in doc.get("strategy", {}).get("leadership_lines", []):
        if line not in BUILTIN_LINES:
            problems.append('strategy: unknown leadership line "%s"' % line)
    return problems


# The cases of Lindgren (2012) encoded in examples/cases/, checked by paper_problems.
PAPER_CASES = ("kellpo", "aikon", "katalabs", "infolink", "provital")

TASK_FIELDS = ["building_blocks", "leadership_lines", "action", "level", "phase", "period",
               "status", "stance", "perspective"]


def paper_problems(name, doc):
    """Facts of Lindgren (2012) that the example cases must keep (examples/cases/README.md)."""
    problems = []
    models = {m["id"]: m for m in doc["business_models"]}
    tasks = doc.get("bmi_tasks", [])
    source = doc.get("source", {})
    if "10.5539/ijbm.v7n14p53" not in source.get("citation", ""):
        problems.append("source.citation does not cite Lindgren (2012)")
    if "ILLUSTRATIVE" not in source.get("notes", ""):
        problems.append("source.notes does not say which details are illustrative")
    if doc.get("strategy", {}).get("explicit") is not False:
        problems.append("strategy.explicit is not false (the paper's first common trait)")
    if not 10 <= len(tasks) <= 20:
        problems.append("%d tasks, expected 10 to 20" % len(tasks))
    for t in tasks:
        missing = [f for f in TASK_FIELDS if f not in t]
        if missing:
            problems.append('task "%s" lacks %s' % (t["id"], ", ".join(missing)))
        elif not 2008 <= int(t["period"]["start"][:4]) <= 2012:
            problems.append('task "%s" starts outside 2008-2012' % t["id"])
    if {m["state"] for m in models.values()} != {"as_is", "to_be"}:
        problems.append("expected both AS IS and TO BE business models")
    blocks = [b for t in tasks for b in t["building_blocks"]]
    lines = [x for t in tasks for x in t["leadership_lines"]]
    if blocks and sum(b in ("value_proposition", "customers") for b in blocks) * 2 <= len(blocks):
        problems.append("value proposition and customers blocks do not dominate (section 3.1.2)")
    if lines and sum(x in ("customer", "network", "value") for x in lines) * 2 <= len(lines):
        problems.append("customer, network and value lines do not dominate (section 3.1.2)")

    if doc["business"]["id"] == "kellpo":
        if doc["business"].get("country") != "DK":
            problems.append("Kellpo is Danish (section 3.1.2)")
        if len(models) < 4:
            problems.append("Kellpo needs at least 4 business models")
        per_model = {}
        for t in tasks:
            per_model.setdefault(t["business_model"], set()).update(t["leadership_lines"])
        line_sets = [frozenset(v) for v in per_model.values()]
        if len(line_sets) < 4 or len(set(line_sets)) != len(line_sets):
            problems.append("each Kellpo model should call for different lines (section 3.1.2)")
        if len(set(blocks)) < 6 or len(set(lines)) < 6:
            problems.append("Kellpo's tasks should spread over the canvas (Figure 6)")
    if doc["business"]["id"] == "aikon":
        members = {m for p in doc.get("portfolios", []) for m in p["business_models"]}
        for excluded in ("glass_kitchen", "health_info_system"):
            m = models.get(excluded)
            if m is None:
                problems.append('Aikon lacks the "%s" model (section 3.2.1)' % excluded)
                continue
            vf = m.get("building_blocks", {}).get("value_formula", {})
            if not vf.get("revenue", 0) < vf.get("cost", 0):
                problems.append('"%s" should make no profit (revenue < cost)' % excluded)
            if excluded in members:
                problems.append('"%s" was taken out of the portfolio' % excluded)
            if not any(t["business_model"] == excluded and t.get("action") == "exclude"
                       for t in tasks):
                problems.append('"%s" lacks its exclude task' % excluded)
        orchestrated = {t["business_model"] for t in tasks
                        if {"customer", "network"} <= set(t["leadership_lines"])
                        and "customers" in t["building_blocks"]}
        if len(orchestrated) < 3:
            problems.append("Aikon should orchestrate customer and network lines on the "
                            "customers block of several models (section 3.2.1)")
    if doc["business"]["id"] == "katalabs":
        problems += _katalabs_problems(models, tasks)
    if doc["business"]["id"] == "infolink":
        problems += _infolink_problems(doc, models, tasks)
    if doc["business"]["id"] == "provital":
        problems += _provital_problems(models, tasks)
    return problems


def _block_items(model):
    return {item for block in model.get("building_blocks", {}).values()
            for item in block.get("items", [])}


def _katalabs_problems(models, tasks):
    """Section 3.1.1 (Figure 2) and section 3.2."""
    problems = []
    for needed in ("cancer", "open_space_system", "kataspace", "bornholm"):
        if needed not in models:
            problems.append('Katalabs lacks the "%s" model (sections 3.1.1, 3.2)' % needed)
    if problems:
        return problems
    if not any(m.get("building_blocks", {}).get("value_formula", {}).get("users", 0) > 0
               and m["building_blocks"]["value_formula"].get("customers") == 0
               for m in models.values()):
        problems.append("Katalabs should have a model with users but no customers (section 3.2)")
    if not {"cancer", "bornholm"} <= set(models["kataspace"].get("carried_by", [])):
        problems.append("Kataspace should be carried by the cancer and Bornholm models "
                        "(section 3.2)")
    for carrier in ("cancer", "bornholm"):
        vf = models[carrier].get("building_blocks", {}).get("value_formula", {})
        if not vf.get("revenue", 0) > vf.get("cost", 0):
            problems.append('"%s" should earn money for the others (section 3.2)' % carrier)

    def uses(model, line):
        return any(t["business_model"] == model and line in t["leadership_lines"]
                   for t in tasks)
    if not uses("cancer", "network"):
        problems.append("the cancer model called for network-based BMI (section 3.1.1)")
    if not uses("open_space_system", "customer"):
        problems.append("the open space system model called for customer innovation "
                        "(section 3.1.1)")

    def share(first, last):
        picked = [x for t in tasks if first <= int(t["period"]["start"][:4]) <= last
                  for x in t["leadership_lines"]]
        if not picked:
            return None
        return sum(x in ("customer", "network") for x in picked) / len(picked)
    early, late = share(2008, 2009), share(2011, 2012)
    if early is None or late is None or not late > early:
        problems.append("Katalabs' tasks of 2011-2012 should use the customer and network "
                        "lines more than those of 2008-2009 (section 3.2)")
    return problems


def _infolink_problems(doc, models, tasks):
    """Section 3.2.2 (Figure 8) and section 3.3.2."""
    problems = []
    phases = {t["phase"] for t in tasks}
    for phase in ("before", "during", "after"):
        if phase not in phases:
            problems.append('Infolink has no task in phase "%s" (section 3.3.2)' % phase)
    for line in ("network", "relation", "process"):
        if sum(line in t["leadership_lines"] for t in tasks) < 3:
            problems.append('Infolink leads through the "%s" line on fewer than 3 tasks '
                            "(section 3.2.2)" % line)
    if not any(len({"network", "relation", "process"} & set(t["leadership_lines"])) >= 2
               for t in tasks):
        problems.append("Infolink should orchestrate network, relation and process lines "
                        "(section 3.2.2)")
    if any(m.get("attributes", {}).get("pays_network_partners") is not False
           for m in models.values() if m["state"] == "as_is"):
        problems.append("Infolink's AS IS models should not pay network partners "
                        "(section 3.2.2)")
    members = {m for p in doc.get("portfolios", []) for m in p["business_models"]}
    in_scope = set()
    for m in members:
        in_scope |= _block_items(models[m])
    outside = [m for m in models.values()
               if m["state"] == "to_be" and m["id"] not in members
               and any(t["business_model"] == m["id"] and t["phase"] == "after"
                       for t in tasks)]
    if not outside:
        problems.append('Infolink should have a TO BE model, found in the "after" phase, '
                        "outside every portfolio (section 3.3.2)")
    for m in outside:
        if _block_items(m) & in_scope:
            problems.append('"%s" should share no block item with the portfolio\'s models '
                            "(section 3.3.2)" % m["id"])
    return problems


def _provital_problems(models, tasks):
    """Section 3.3.1 (Figure 9)."""
    problems = []
    vertical = [m for m in models.values()
                if {"home", "succeeded", "failed"}
                <= {i["status"] for i in m.get("industries", [])}]
    if not vertical:
        problems.append("Provital needs a model with a home, a succeeded and a failed "
                        "industry (section 3.3.1)")
        return problems
    m = vertical[0]
    status = {i["id"]: i["status"] for i in m["industries"]}
    if status.get("water_treatment") != "home" or status.get("smoke_cleaning") != "succeeded" \
            or status.get("car_wash") != "failed":
        problems.append("water cleaning home, smoke cleaning succeeded, car wash failed "
                        "(section 3.3.1)")
    history = m.get("attributes", {}).get("stage_history", [])

    def stage_at(date):
        stage = None
        for step in history:
            if _date_key(step["from"]) <= _date_key(date):
                stage = step["stage"]
        return stage
    for industry, outcome in (("smoke_cleaning", "succeeded"), ("car_wash", "failed")):
        moves = [t for t in tasks if t["business_model"] == m["id"]
                 and t.get("attributes", {}).get("industry") == industry
                 and t.get("attributes", {}).get("outcome") == outcome]
        if not moves:
            problems.append('no task moves "%s" into %s with outcome %s (section 3.3.1)'
                            % (m["id"], industry, outcome))
            continue
        at_start = stage_at(moves[0]["period"]["start"])
        if outcome == "failed" and at_start == "market":
            problems.append("the car-wash move failed because the model was not developed "
                            "enough: its stage should be before market (section 3.3.1)")
        if outcome == "succeeded":
            if at_start != "market":
                problems.append("the smoke-cleaning move should start once the model is "
                                "in the market")
            if not moves[0]["period"].get("end", moves[0]["period"]["start"]).startswith("2012"):
                problems.append("Provital moved into smoke cleaning in 2012 (section 3.3.1)")
    return problems


def doc_examples(markdown_path):
    """Every ```json block of the user documentation that is a whole case document."""
    with open(markdown_path, encoding="utf-8") as f:
        text = f.read()
    cases = []
    for block in re.findall(r"```json\n(.*?)```", text, flags=re.S):
        try:
            doc = json.loads(block, object_pairs_hook=_no_duplicates)
        except ValueError:
            continue  # a fragment, shown for illustration only
        if isinstance(doc, dict) and "bmil" in doc and "business" in doc:
            cases.append(doc)
    return cases


# ------------------------------------------------------------ bad documents

BASE = {
    "bmil": "1.0",
    "business": {"id": "acme", "name": "Acme", "industry": "machinery", "country": "DK",
                 "size": "small", "founded": 1990, "employees": 20},
    "portfolios": [{"id": "main", "name": "Main", "business_models": ["shop", "webshop"]}],
    "business_models": [
        {
            "id": "shop",
            "name": "Shop",
            "state": "as_is",
            "stage": "market",
            "industries": [{"id": "retail", "status": "home"}],
            "building_blocks": {
                "value_proposition": {"forms": ["physical"], "items": ["tools"]},
                "customers": {"forms": ["physical", "digital"], "description": "Workshops"},
                "value_formula": {"revenue": 100, "cost": 80, "currency": "DKK",
                                  "customers": 10},
            },
        },
        {
            "id": "webshop",
            "name": "Web shop",
            "state": "to_be",
            "carried_by": ["shop"],
            "building_blocks": {"value_proposition": {"forms": ["digital"]}},
        },
    ],
    "bmi_tasks": [
        {
            "id": "t1",
            "business_model": "shop",
            "description": "Reach more workshops through dealers.",
            "building_blocks": ["customers"],
            "leadership_lines": ["customer", "network"],
            "action": "create",
            "level": "building_block",
            "phase": "during",
            "period": {"start": "2010", "end": "2011-06"},
            "status": "completed",
            "effort": 2,
            "stance": "reactive",
            "perspective": "outside_in",
            "attributes": {"owner": "sales"},
        }
    ],
    "strategy": {"explicit": False, "structured_process": False, "skills": "low",
                 "goals": ["more customers"], "leadership_lines": ["customer"]},
    "source": {"citation": "synthetic test document", "notes": "not a real business"},
}


def _bm(d, i=0):
    return d["business_models"][i]


def _task(d):
    return d["bmi_tasks"][0]


def _set(path, value):
    """A mutation that sets the value at `path` (list of keys/indices)."""
    def apply(d):
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return apply


def _del(path):
    def apply(d):
        target = d
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return apply


BM0 = ["business_models", 0]
T0 = ["bmi_tasks", 0]
BLOCKS0 = BM0 + ["building_blocks"]

# (slug, expected schema keyword, mutation of BASE). Each breaks exactly one rule.
BAD = [
    ("missing_bmil", "required", _del(["bmil"])),
    ("bmil_newer_minor", "const", _set(["bmil"], "1.1")),
    ("bmil_as_number", "const", _set(["bmil"], 1.0)),
    ("missing_business", "required", _del(["business"])),
    ("business_name_empty", "minLength", _set(["business", "name"], "")),
    ("business_id_not_an_id", "pattern", _set(["business", "id"], "Acme A/S")),
    ("unknown_root_key", "additionalProperties", _set(["notes"], "free text belongs in source")),
    ("unknown_key_in_model", "additionalProperties", _set(BM0 + ["stat"], "as_is")),
    ("missing_state", "required", _del(BM0 + ["state"])),
    ("bad_state_enum", "enum", _set(BM0 + ["state"], "asis")),
    ("null_value", "enum", _set(BM0 + ["stage"], None)),
    ("bad_form", "enum", _set(BLOCKS0 + ["value_proposition", "forms"], ["online"])),
    ("duplicate_forms", "uniqueItems",
     _set(BLOCKS0 + ["customers", "forms"], ["digital", "digital"])),
    ("revenue_outside_value_formula", "additionalProperties",
     _set(BLOCKS0 + ["customers", "revenue"], 5)),
    ("negative_revenue", "minimum", _set(BLOCKS0 + ["value_formula", "revenue"], -1)),
    ("bad_currency", "pattern", _set(BLOCKS0 + ["value_formula", "currency"], "kr")),
    ("uppercase_block_key", "additionalProperties",
     _set(BLOCKS0 + ["Customers"], {"forms": ["physical"]})),
    ("bad_country", "pattern", _set(["business", "country"], "dk")),
    ("bad_size", "enum", _set(["business", "size"], "sme")),
    ("founded_out_of_range", "minimum", _set(["business", "founded"], 1700)),
    ("employees_not_integer", "type", _set(["business", "employees"], 12.5)),
    ("empty_business_models", "minItems", _set(["business_models"], [])),
    ("portfolio_without_members", "minItems", _set(["portfolios", 0, "business_models"], [])),
    ("portfolio_member_twice", "uniqueItems",
     _set(["portfolios", 0, "business_models"], ["shop", "shop"])),
    ("industry_missing_status", "required", _del(BM0 + ["industries", 0, "status"])),
    ("bad_industry_status", "enum", _set(BM0 + ["industries", 0, "status"], "lost")),
    ("empty_leadership_lines", "minItems", _set(T0 + ["leadership_lines"], [])),
    ("missing_leadership_lines", "required", _del(T0 + ["leadership_lines"])),
    ("empty_task_blocks", "minItems", _set(T0 + ["building_blocks"], [])),
    ("task_block_not_an_id", "pattern", _set(T0 + ["building_blocks"], ["Value Proposition"])),
    ("duplicate_line_in_task", "uniqueItems",
     _set(T0 + ["leadership_lines"], ["customer", "customer"])),
    ("errc_verb_as_action", "enum", _set(T0 + ["action"], "eliminate")),
    ("bad_perspective", "enum", _set(T0 + ["perspective"], "outside-in")),
    ("bad_date_month", "pattern", _set(T0 + ["period", "start"], "2010-13")),
    ("bad_date_format", "pattern", _set(T0 + ["period", "end"], "06/2011")),
    ("year_out_of_range", "pattern", _set(T0 + ["period", "start"], "1899")),
    ("period_without_start", "required", _del(T0 + ["period", "start"])),
    ("negative_effort", "minimum", _set(T0 + ["effort"], -3)),
    ("attributes_not_object", "type", _set(T0 + ["attributes"], ["sales"])),
    ("strategy_explicit_as_string", "type", _set(["strategy", "explicit"], "no")),
    ("bad_skills", "enum", _set(["strategy", "skills"], "expert")),
    ("text_too_long", "maxLength", _set(T0 + ["description"], "x" * 10001)),
]


# ---------------------------------------------------------------------- main

class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, label, detail=""):
        if ok:
            self.passed += 1
            print("ok    %s" % label)
        else:
            self.failed += 1
            print("FAIL  %s%s" % (label, (": " + detail) if detail else ""))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..")),
                        help="repository root (default: two levels above this script)")
    parser.add_argument("--write-bad", metavar="DIR",
                        help="also write every bad document to DIR as bad_<nn>_<slug>.json")
    args = parser.parse_args()

    tally = Tally()
    schema_path = os.path.join(args.root, "docs", "schema", "case.schema.json")
    schema = load_json(schema_path)
    try:
        Draft202012Validator.check_schema(schema)
        tally.check(True, "schema: %s is a valid draft 2020-12 schema" % schema_path)
    except Exception as e:  # jsonschema.SchemaError
        tally.check(False, "schema: check_schema", str(e))
        print("%d passed, %d failed" % (tally.passed, tally.failed))
        return 1
    tally.check(schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema",
                "schema: declares draft 2020-12")
    validator = Draft202012Validator(schema)

    def schema_errors(doc):
        return sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))

    def check_good(doc, label):
        errors = schema_errors(doc)
        tally.check(not errors, label + ": accepted by the schema",
                    "; ".join("/%s: %s" % ("/".join(map(str, e.absolute_path)), e.message)
                              for e in errors[:5]))
        problems = semantic_problems(doc)
        tally.check(not problems, label + ": cross-field rules", "; ".join(problems[:5]))

    # Example cases.
    examples = sorted(glob.glob(os.path.join(args.root, "examples", "cases", "*.json")))
    tally.check(len(examples) >= 2, "examples: found %d case files" % len(examples))
    for path in examples:
        name = os.path.relpath(path, args.root)
        try:
            doc = load_json(path)
        except ValueError as e:
            tally.check(False, name + ": parses", str(e))
            continue
        check_good(doc, name)
        if doc.get("business", {}).get("id") in PAPER_CASES:
            problems = paper_problems(name, doc)
            tally.check(not problems, name + ": keeps the paper's facts", "; ".join(problems))

    # Complete cases shown in the user documentation.
    doc_path = os.path.join(args.root, "docs", "data-format.md")
    if os.path.exists(doc_path):
        cases = doc_examples(doc_path)
        tally.check(len(cases) >= 1, "docs/data-format.md: shows a complete case")
        for i, doc in enumerate(cases):
            check_good(doc, "docs/data-format.md example %d" % (i + 1))
    else:
        tally.check(False, "docs/data-format.md exists")

    # Bad documents.
    check_good(BASE, "bad documents' base")
    slugs = [slug for slug, _, _ in BAD]
    tally.check(len(slugs) == len(set(slugs)), "bad documents: slugs are unique")
    bad_docs = []
    for n, (slug, keyword, mutate) in enumerate(BAD, start=1):
        doc = copy.deepcopy(BASE)
        mutate(doc)
        bad_docs.append(("bad_%02d_%s.json" % (n, slug), doc))
        errors = schema_errors(doc)
        keywords = sorted({e.validator for e in errors})
        label = "bad %02d %s: rejected (%s)" % (n, slug, keyword)
        if not errors:
            tally.check(False, label, "the schema accepted it")
        else:
            tally.check(keyword in keywords, label,
                        "rejected for another reason: %s" % ", ".join(keywords))

    if args.write_bad:
        os.makedirs(args.write_bad, exist_ok=True)
        for old in glob.glob(os.path.join(args.write_bad, "bad_*.json")):
            os.remove(old)
        with open(os.path.join(args.write_bad, "good_base.json"), "w", encoding="utf-8") as f:
            f.write(json.dumps(BASE, indent=2) + "\n")
        for name, doc in bad_docs:
            with open(os.path.join(args.write_bad, name), "w", encoding="utf-8") as f:
                f.write(json.dumps(doc, indent=2) + "\n")
        print("wrote %d bad documents (and good_base.json) to %s" % (len(bad_docs), args.write_bad))

    print("%d passed, %d failed" % (tally.passed, tally.failed))
    return 0 if tally.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
