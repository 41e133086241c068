#!/usr/bin/env python3
"""Writes the constructed dataset of tests/data/paper_figures/ (see README.md there).

Deterministic: no randomness, the same files on every run. Run from anywhere:
    python3 tests/data/paper_figures/generate.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
BUSINESSES = 24

VP, CU, VC, CO, NE, RE, VF = ("value_proposition", "customers", "value_chain", "competences",
                              "network", "relations", "value_formula")
# The line that looks at each block first (its focus block, Table 2).
LINE_OF = {VP: "value", CU: "customer", VC: "value_chain", CO: "competence", NE: "network",
           RE: "relation", VF: "value"}

# (blocks, number of tasks) per state; README.md adds them up.
TEMPLATES = {
    "as_is": [((VP, CU), 22), ((VP, VC), 14), ((VP,), 4), ((CU,), 6), ((VC, CO), 8),
              ((CU, NE), 10), ((VC,), 6), ((VP, VF), 5), ((CU, RE), 2), ((NE, RE), 3),
              ((CO, VC, VF), 4), ((RE,), 1), ((VF,), 1)],
    "to_be": [((VP, CU), 18), ((VP, VC), 10), ((VP, CU, NE), 8), ((CU, NE), 8), ((NE, RE), 6),
              ((CU, RE), 6), ((VC, CO), 8), ((VP, VF), 6), ((VP, CO, VF), 2), ((NE, VC), 4),
              ((VC,), 1), ((CO, VF), 2), ((RE, VF), 2), ((RE,), 1)],
}
# Start years, taken in turn: tasks on the network block lean to the later years (the
# paper's trend towards network leadership over 2009-2012); the others spread evenly.
NETWORK_YEARS = [2012, 2011, 2010, 2012, 2011, 2009, 2012, 2011, 2010, 2012]
OTHER_YEARS = [2008, 2009, 2010, 2011, 2012, 2009, 2010, 2008, 2011, 2009]
# Tasks (state, index within the state) whose start year is not stated.
NO_YEAR = {("as_is", 20), ("as_is", 60), ("to_be", 30), ("to_be", 70)}


def tasks_of(state):
    tasks = []
    network_turn = other_turn = 0
    for blocks, count in TEMPLATES[state]:
        for _ in range(count):
            lines = []
            for b in blocks:
                if LINE_OF[b] not in lines:
                    lines.append(LINE_OF[b])
            # Work on the value proposition and the value chain together is led from the
            # value line alone (VIL's focus is the value proposition, VCIL is left out).
            if sorted(blocks) == sorted((VP, VC)):
                lines = ["value"]
            if NE in blocks:
                year = NETWORK_YEARS[network_turn % len(NETWORK_YEARS)]
                network_turn += 1
            else:
                year = OTHER_YEARS[other_turn % len(OTHER_YEARS)]
                other_turn += 1
            # Customer work in 2011-2012 is partly led with network partners as well
            # (the Aikon pattern, sec. 3.2.1): every second such task adds NIL.
            if CU in blocks and "network" not in lines and year >= 2011 and len(tasks) % 2 == 0:
                lines.append("network")
            if (state, len(tasks)) in NO_YEAR:
                year = None
            tasks.append((list(blocks), lines, year))
    return tasks


def main():
    cases = []
    for b in range(BUSINESSES):
        n = b + 1
        models = [{"id": "core", "name": "Core business", "state": "as_is", "stage": "market"},
                  {"id": "second", "name": "Second business", "state": "as_is",
                   "stage": "market"},
                  {"id": "new", "name": "New business", "state": "to_be", "stage": "concept"}]
        if n % 2 == 0:
            models.append({"id": "next", "name": "Next business", "state": "to_be",
                           "stage": "prototype"})
        cases.append({
            "bmil": "1.0",
            "business": {"id": "sme%02d" % n, "name": "Constructed SME %02d" % n,
                         "size": "small"},
            "business_models": models,
            "bmi_tasks": [],
            "source": {"notes": "Constructed test data for the figures of Lindgren (2012), "
                                "Fig. 3 and sec. 3.1.2; not the paper's data. See README.md."},
        })
    for state in ("as_is", "to_be"):
        for i, (blocks, lines, year) in enumerate(tasks_of(state)):
            case = cases[i % BUSINESSES]
            candidates = [m["id"] for m in case["business_models"] if m["state"] == state]
            model = candidates[(i // BUSINESSES) % len(candidates)]
            task = {"id": "%s%03d" % ("a" if state == "as_is" else "t", i + 1),
                    "business_model": model, "building_blocks": blocks,
                    "leadership_lines": lines}
            if year is not None:
                task["period"] = {"start": str(year)}
            case["bmi_tasks"].append(task)
    for case in cases:
        path = os.path.join(HERE, case["business"]["id"] + ".json")
        with open(path, "w") as f:
            json.dump(case, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
