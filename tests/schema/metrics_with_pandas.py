#!/usr/bin/python3
"""`bmil analyze --metrics metrics.csv` (and `bmil batch --metrics`, and `bmil merge --metrics`
over shards: the same bytes) read by pandas (Debian's python3-pandas): one row per business, every column numeric, and each row equal to the metrics `bmil analyze CASE.json
--format json` gives for that business alone; the number of tasks per row equals the case
file's. Missing values (null metrics) are NaN, never text.

Usage: metrics_with_pandas.py --bmil PATH --root REPO
The last line reads "N passed, M failed"; exit status 0 when nothing failed.
"""

import glob
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

    cases = sorted(glob.glob(os.path.join(args.root, "examples/cases/*.json")))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "metrics.csv")
        run = subprocess.run([args.bmil, "analyze", os.path.join(args.root, "examples/cases"),
                              "--metrics", out, "-o", os.path.join(tmp, "analysis.txt")],
                             capture_output=True, text=True, env=env)
        check(run.returncode == 0, "bmil analyze --metrics exit %d: %s" % (run.returncode, run.stderr))
        if run.returncode != 0:
            return checks.finish()
        batch_out = os.path.join(tmp, "batch-metrics.csv")
        batch = subprocess.run([args.bmil, "batch", os.path.join(args.root, "examples/cases"), "-q",
                                "-o", os.path.join(tmp, "batch.json"), "--metrics", batch_out],
                               capture_output=True, text=True, env=env)
        check(batch.returncode == 0, "bmil batch --metrics exit %d: %s" % (batch.returncode, batch.stderr))
        check(batch.returncode == 0 and open(batch_out).read() == open(out).read(),
              "batch --metrics writes the same table as analyze --metrics")
        # Shards in case order, each a part with its rows; merged directly and in a tree.
        def bmil(*arguments):
            return subprocess.run([args.bmil] + list(arguments), capture_output=True, text=True,
                                  env=env)
        parts = []
        for i, shard in enumerate([cases[:2], cases[2:4], cases[4:]]):
            part = os.path.join(tmp, "shard%d.bmilpart" % i)
            run = bmil("batch", "-q", *shard, "--partial", part,
                       "--metrics", os.path.join(tmp, "shard%d.csv" % i))
            check(run.returncode == 0, "shard %d: exit %d: %s" % (i, run.returncode, run.stderr))
            parts.append(part)
        merged_out = os.path.join(tmp, "merged.csv")
        run = bmil("merge", *parts, "-o", os.path.join(tmp, "merged.json"), "--metrics", merged_out)
        check(run.returncode == 0 and open(merged_out).read() == open(out).read(),
              "merge --metrics of three shards writes the table of one run: %s" % run.stderr)
        tree = os.path.join(tmp, "tree.bmilpart")
        run = bmil("merge", parts[0], parts[1], "-o", os.path.join(tmp, "t.json"), "--partial", tree)
        tree_out = os.path.join(tmp, "tree.csv")
        run = bmil("merge", tree, parts[2], "-o", os.path.join(tmp, "t2.json"), "--metrics", tree_out)
        check(run.returncode == 0 and open(tree_out).read() == open(out).read(),
              "a merged part carries the rows on (tree merge): %s" % run.stderr)
        # A part without rows: refused, nothing written.
        bare = os.path.join(tmp, "bare.bmilpart")
        bmil("batch", "-q", cases[4], "--partial", bare)
        refused_out = os.path.join(tmp, "refused.csv")
        run = bmil("merge", parts[0], parts[1], bare, "-o", os.path.join(tmp, "r.json"),
                   "--metrics", refused_out)
        check(run.returncode == 1 and "bare.bmilpart: has no per-business rows" in run.stderr
              and not os.path.exists(refused_out) and not os.path.exists(os.path.join(tmp, "r.json")),
              "a part without rows is named and nothing is written: %d %s"
              % (run.returncode, run.stderr))
        df = pd.read_csv(out, index_col=0, float_precision="round_trip")
        check(df.index.name == "business", "first column is business: %s" % df.index.name)
        check(len(df) == len(cases), "one row per case file: %d" % len(df))
        non_numeric = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
        check(not non_numeric, "every column numeric: %s" % non_numeric)
        for path in cases:
            case = json.load(open(path))
            business = case["business"]["id"]
            check(df.loc[business, "canvas.tasks"] == len(case["bmi_tasks"]),
                  "%s: canvas.tasks equals the file's tasks" % business)
            alone = subprocess.run([args.bmil, "analyze", path, "--format", "json"],
                                   capture_output=True, text=True, env=env)
            report = json.loads(alone.stdout)
            compared = 0
            for analyzer in report["analyzers"]:
                result = analyzer["result"]
                for metric in result["metrics"]:
                    column = result["analyzer"] + "." + metric["id"]
                    value = df.loc[business, column]
                    if metric["value"] is None:
                        ok = math.isnan(value)
                    else:
                        ok = value == metric["value"]
                    check(ok, "%s %s: table %r, alone %r" % (business, column, value, metric["value"]))
                    compared += 1
            check(compared == len(df.columns), "%s: every column compared (%d of %d)"
                  % (business, compared, len(df.columns)))

    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
