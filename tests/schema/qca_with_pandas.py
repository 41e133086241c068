#!/usr/bin/python3
"""pandas (Debian's python3-pandas) reads `bmil export qca -o qca.csv` as R's QCA package
would (the first column as row names) with every condition numeric: crisp columns as
integers, fuzzy ones as floats. From the raw measures in qca.calibration.json it recomputes
each membership (the crisp rule; Ragin's direct method with ln(19) per anchor distance)
and every truth-table row's consistency and coverage, independently of bmil's C++.

Usage: qca_with_pandas.py --bmil PATH --root REPO
The last line reads "N passed, M failed"; exit status 0 when nothing failed.
"""

import json
import math
import os
import subprocess
import sys
import tempfile

import pandas as pd

import check_run


def main():
    args = check_run.arguments(__doc__.split("\n")[0])
    env = check_run.bundled_only_env()
    checks = check_run.Checks()
    check = checks.check

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "qca.csv")
        run = subprocess.run(
            [args.bmil, "export", "qca", os.path.join(args.root, "examples/cases"),
             "--conditions", "lines_used>=4,proactive_share=0.2/0.5/0.8",
             "--conditions", "classic_share", "--outcome", "cells_used=8/12/16", "-o", out],
            capture_output=True, text=True, env=env)
        check(run.returncode == 0, "bmil export qca exit %d: %s" % (run.returncode, run.stderr))
        if run.returncode != 0:
            return checks.finish()
        df = pd.read_csv(out, index_col=0, float_precision="round_trip")
        check(df.index.name == "case", "the first column is the case names: %s" % df.index.name)
        check(sorted(df.index) == ["aikon", "infolink", "katalabs", "kellpo", "provital"],
              "one row per business: %s" % list(df.index))
        check(list(df.columns) == ["lines_used", "proactive_share", "classic_share", "cells_used"],
              "columns: %s" % list(df.columns))
        check(str(df.lines_used.dtype) == "int64", "crisp column is int64: %s" % df.lines_used.dtype)
        for col in ["proactive_share", "classic_share", "cells_used"]:
            check(str(df[col].dtype) == "float64", "%s is float64: %s" % (col, df[col].dtype))

        cal = json.load(open(os.path.join(tmp, "qca.calibration.json")))
        raw = pd.DataFrame({c["case"]: c["raw"] for c in cal["cases"]}).T

        def fuzzy(x, e, c, i):
            scale = math.log(19) / ((i - c) if (x - c) * (i - c) >= 0 else (c - e))
            return 1 / (1 + math.exp(-scale * (x - c)))

        for case in df.index:
            check(df.lines_used[case] == int(raw.lines_used[case] >= 4),
                  "%s: lines_used crisp from raw %s" % (case, raw.lines_used[case]))
            check(abs(df.proactive_share[case] - fuzzy(raw.proactive_share[case], 0.2, 0.5, 0.8))
                  < 1e-12, "%s: proactive_share fuzzy" % case)
            check(df.classic_share[case] == raw.classic_share[case], "%s: classic_share as is" % case)
            check(abs(df.cells_used[case] - fuzzy(raw.cells_used[case], 8, 12, 16)) < 1e-12,
                  "%s: cells_used fuzzy" % case)

        conds = ["lines_used", "proactive_share", "classic_share"]
        y = df.cells_used
        for row in cal["truth_table"]["rows"]:
            x = pd.concat([df[c] if row["configuration"][c] == 1 else 1 - df[c] for c in conds],
                          axis=1).min(axis=1)
            xy = pd.concat([x, y], axis=1).min(axis=1)
            check(abs(xy.sum() / x.sum() - row["consistency"]) < 1e-12,
                  "consistency of %s" % row["configuration"])
            check(abs(xy.sum() / y.sum() - row["coverage"]) < 1e-12,
                  "coverage of %s" % row["configuration"])
            members = sorted(x[x > 0.5].index)
            check(members == sorted(row["cases"]), "cases of %s: %s" % (row["configuration"], members))

    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
