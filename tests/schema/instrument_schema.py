#!/usr/bin/env python3
"""The instrument format's JSON Schema (docs/schema/instrument.schema.json, Debian's
python3-jsonschema) accepts the example instruments and the documentation's example, and
refuses each of a list of edits of them: an unknown key, an unknown item type, a Likert
item without a scale, a choice item without its list, a condition without an item, a
construct that measures a trait and a line, an unknown trait, a negative weight. The
answers format's schema (answers.schema.json) accepts the documentation's answers and
refuses a missing hash, an unknown status, an object as an answer and a repeated choice.

Exit status: 0 all checks pass, 1 a check fails.
"""

import argparse
import copy
import json
import pathlib
import re
import sys

import jsonschema

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def docs_example(root):
    text = (root / "docs" / "instruments.md").read_text()
    block = re.search(r"## An example\n\n```json\n(.*?)```", text, re.S)
    return json.loads(block.group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    schema = json.loads((root / "docs" / "schema" / "instrument.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    examples = {p.name: json.loads(p.read_text())
                for p in sorted((root / "examples" / "instruments").glob("*.json"))}
    examples["docs/instruments.md"] = docs_example(root)
    check(len(examples) >= 2, "no example instruments found")
    for name, doc in examples.items():
        errors = [e.message for e in validator.iter_errors(doc)]
        check(not errors, f"{name}: the schema refuses it: {errors[:3]}")

    base = examples["small.json"]

    def edit(path, value):
        doc = copy.deepcopy(base)
        target = doc
        for key in path[:-1]:
            target = target[key]
        if value is None:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return doc

    bad = {
        "unknown top-level key": edit(["titel"], "x"),
        "unknown item type": edit(["sections", 0, "items", 0, "type"], "essay"),
        "likert item without a scale": edit(["sections", 0, "items", 1, "scale"], None),
        "choice item without its list": edit(["sections", 1, "items", 0, "choices"], None),
        "a text item with a scale": edit(["sections", 0, "items", 0, "scale"], "agree3"),
        "condition without an item": edit(["sections", 0, "items", 2, "when"], [{"any_of": [1]}]),
        "trait and line": edit(["scoring", "constructs", 0, "measures"],
                               {"trait": "explicit_strategy", "line": "value"}),
        "unknown trait": edit(["scoring", "constructs", 0, "measures"], {"trait": "blind"}),
        "negative weight": edit(["scoring", "constructs", 1, "items", 0, "weight"], -1),
        "format version 2.0": edit(["bmil_instrument"], "2.0"),
        "no sections": edit(["sections"], []),
    }
    for name, doc in bad.items():
        check(not validator.is_valid(doc), f"the schema accepts a document with: {name}")

    answers_schema = json.loads((root / "docs" / "schema" / "answers.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(answers_schema)
    answers_validator = jsonschema.Draft202012Validator(answers_schema)
    text = (root / "docs" / "instruments.md").read_text()
    block = re.search(r"## Answers\n\nOne respondent.*?```json\n(.*?)```", text, re.S)
    answers = json.loads(block.group(1).replace("<32 hex digits>", "0" * 32))
    errors = [e.message for e in answers_validator.iter_errors(answers)]
    check(not errors, f"docs/instruments.md answers: the schema refuses it: {errors[:3]}")
    bad_answers = {
        "no hash": {**answers, "instrument": {"id": "small", "version": "1.0.0"}},
        "unknown status": {**answers, "status": "done"},
        "an object as an answer": {**answers, "answers": {"name": {"x": 1}}},
        "a choice picked twice": {**answers, "answers": {"kinds": ["as_is", "as_is"]}},
    }
    for name, doc in bad_answers.items():
        check(not answers_validator.is_valid(doc), f"the answers schema accepts: {name}")

    if failures:
        for f in failures:
            print("FAILED:", f, file=sys.stderr)
        return 1
    print(f"instrument schema: ok — {len(examples)} examples accepted, {len(bad)} edits refused; "
          f"answers schema: the example accepted, {len(bad_answers)} edits refused")
    return 0


if __name__ == "__main__":
    sys.exit(main())
