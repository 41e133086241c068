#!/usr/bin/python3
"""Deterministic generator of realistic case JSONL for benchmarks (case format v1).

Each line is one company: 1-6 business models (AS IS and TO BE, stages, industries with
vertical moves, value formulas), 0-15 BMI tasks over 2008-2012 with a skewed mix like
Lindgren (2012)'s: value proposition and customers dominate the blocks (about half of the
mentions), customer, network and value lead most tasks, network rising over the years; plus
portfolios, carried models, a strategy and company attributes. The same --seed and
--companies always give the same bytes.

Usage: generate_cases.py --companies N [--seed S] [-o FILE]   (default: stdout)
"""

import argparse
import json
import random
import sys

BLOCKS = ["value_proposition", "customers", "value_chain", "competences", "network",
          "relations", "value_formula"]
BLOCK_WEIGHTS = [30, 22, 14, 9, 11, 7, 7]
LINES = ["value", "customer", "value_chain", "competence", "network", "relation", "process"]
INDUSTRIES = ["machinery", "software", "water_treatment", "education", "retail", "health",
              "food", "construction", "energy", "logistics"]
COUNTRIES = ["DK", "DE", "SE", "US", "NL", "FI", "NO", "UK"]
SIZES = ["micro", "small", "medium"]
ACTIONS = ["create", "exclude", "keep", "upgrade", "diminish"]
LEVELS = ["building_block", "business_model", "portfolio", "business"]
PHASES = ["before", "during", "after"]
STATUSES = ["planned", "ongoing", "completed", "abandoned"]
STAGES_AS_IS = ["market", "market", "market", "retired"]
STAGES_TO_BE = ["idea", "concept", "prototype"]


def line_weights(year):
    # customer, network, value lead; network gains share from 2009 on (Figs. 4-5).
    network = 10 + 4 * (year - 2008)
    return [24, 28, 8, 6, network, 6, 5]


def pick_distinct(rng, items, weights, count):
    chosen = []
    while len(chosen) < count:
        item = rng.choices(items, weights)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


def company(rng, index):
    cid = "c%07d" % index
    models = []
    for m in range(rng.randint(1, 6)):
        to_be = rng.random() < 0.35
        home = rng.choice(INDUSTRIES)
        industries = [{"id": home, "status": "home"}]
        if rng.random() < 0.2:
            other = rng.choice([i for i in INDUSTRIES if i != home])
            industries.append({"id": other, "status": rng.choice(["attempted", "succeeded", "failed"])})
        blocks = {}
        for block in pick_distinct(rng, BLOCKS, BLOCK_WEIGHTS, rng.randint(2, 6)):
            blocks[block] = {"forms": pick_distinct(rng, ["physical", "digital", "virtual"], [3, 2, 1],
                                                    rng.randint(1, 2)),
                             "items": ["%s item %d" % (block.replace("_", " "), k) for k in range(rng.randint(1, 3))]}
        vf = blocks.setdefault("value_formula", {})
        revenue = rng.randint(0, 2000) * 1000
        vf.update({"revenue": revenue, "cost": int(revenue * rng.uniform(0.6, 1.3)), "currency": "EUR",
                   "users": rng.randint(0, 5000), "customers": rng.randint(0, 400)})
        model = {"id": "bm%d" % m, "name": "Model %d of %s" % (m, cid),
                 "state": "to_be" if to_be else "as_is",
                 "stage": rng.choice(STAGES_TO_BE if to_be else STAGES_AS_IS),
                 "industries": industries, "building_blocks": blocks}
        if to_be and m > 0 and rng.random() < 0.5:
            model["carried_by"] = ["bm0"]
        models.append(model)
    tasks = []
    for t in range(rng.randint(0, 15)):
        year = rng.randint(2008, 2012)
        model = rng.choice(models)
        nblocks = rng.choices([1, 2, 3], [50, 35, 15])[0]
        nlines = rng.choices([1, 2, 3], [60, 30, 10])[0]
        task = {"id": "t%d" % t, "business_model": model["id"],
                "building_blocks": pick_distinct(rng, BLOCKS, BLOCK_WEIGHTS, nblocks),
                "leadership_lines": pick_distinct(rng, LINES, line_weights(year), nlines),
                "action": rng.choice(ACTIONS), "level": rng.choice(LEVELS),
                "phase": rng.choices(PHASES, [25, 55, 20])[0],
                "period": {"start": "%d-%02d" % (year, rng.randint(1, 12))},
                "status": rng.choice(STATUSES),
                "stance": rng.choices(["reactive", "proactive"], [65, 35])[0],
                "perspective": rng.choices(["outside_in", "inside_out", "inside_in"], [50, 20, 30])[0],
                "effort": rng.randint(1, 36)}
        tasks.append(task)
    doc = {"bmil": "1.0",
           "business": {"id": cid, "name": "Company %d" % index, "industry": rng.choice(INDUSTRIES),
                        "country": rng.choice(COUNTRIES), "size": rng.choice(SIZES),
                        "founded": rng.randint(1950, 2011), "employees": rng.randint(1, 249),
                        "attributes": {"revenue_by_segment": {"public": rng.randint(0, 900) * 1000,
                                                              "industry": rng.randint(0, 900) * 1000}}},
           "business_models": models, "bmi_tasks": tasks,
           "strategy": {"explicit": rng.random() < 0.2, "structured_process": rng.random() < 0.25,
                        "skills": rng.choices(["low", "medium", "high"], [55, 35, 10])[0]}}
    if len(models) > 1:
        doc["portfolios"] = [{"id": "main", "name": "Main portfolio",
                              "business_models": [m["id"] for m in models if m["stage"] != "retired"] or ["bm0"]}]
    return doc


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--companies", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    for i in range(args.companies):
        out.write(json.dumps(company(rng, i), separators=(",", ":")) + "\n")
    if out is not sys.stdout:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
