#!/usr/bin/python3
"""pandas (Debian's python3-pandas) reads `bmil report -o x.csv` as is and recomputes figures
from it: the canvas's placements metric equals the sum of its matrix cells, and the tasks
metric equals the tasks counted in the case files; the block_focus pair share equals
(value proposition + customers mentions) / all mentions from its own table.

Usage: csv_with_pandas.py --bmil PATH --root REPO
The last line reads "N passed, M failed"; exit status 0 when nothing failed.
"""

import glob
import json
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
        out = os.path.join(tmp, "report.csv")
        run = subprocess.run([args.bmil, "report", os.path.join(args.root, "examples/cases"),
                              "-o", out], capture_output=True, text=True, env=env)
        check(run.returncode == 0, "bmil report exit %d: %s" % (run.returncode, run.stderr))
        if run.returncode != 0:
            return checks.finish()
        df = pd.read_csv(out, dtype={"row": str, "column": str, "value": str},
                         keep_default_na=False)
        check(list(df.columns) == ["analyzer", "table", "row", "column", "value"],
              "columns are analyzer, table, row, column, value: %s" % list(df.columns))

        def metric(analyzer, metric_id):
            rows = df[(df.analyzer == analyzer) & (df.table == "metrics") & (df.row == metric_id)]
            return float(rows.value.iloc[0])

        canvas = df[(df.analyzer == "canvas") & (df.table == "canvas")]
        check(len(canvas) == 7 * 7, "the canvas matrix has 49 cells (found %d)" % len(canvas))
        check(canvas.value.astype(float).sum() == metric("canvas", "placements"),
              "canvas cells sum to the placements metric")

        tasks = sum(len(json.load(open(f))["bmi_tasks"])
                    for f in glob.glob(os.path.join(args.root, "examples/cases/*.json")))
        check(metric("canvas", "tasks") == tasks, "canvas tasks metric equals the case files' tasks")

        # block_focus: recompute the classic pair share from the per-block table.
        blocks = df[(df.analyzer == "block_focus") & (df.table == "blocks")]
        wide = blocks.pivot(index="row", columns="column", values="value")
        block_col = [c for c in wide.columns if c in ("block", "block_id", "id")]
        mentions_col = [c for c in wide.columns if "mention" in c]
        check(bool(block_col) and bool(mentions_col),
              "block_focus's blocks table has a block and a mentions column: %s" % list(wide.columns))
        if block_col and mentions_col:
            m = wide[mentions_col[0]].astype(float)
            pair = m[wide[block_col[0]].isin(["value_proposition", "customers"])].sum() / m.sum()
            check(abs(pair - metric("block_focus", "pair_share")) < 1e-9,
                  "pair share from the table (%.6f) equals the metric (%.6f)"
                  % (pair, metric("block_focus", "pair_share")))

    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
