#!/usr/bin/python3
"""Checks that a floor program's statistics equal bmil's analyzer results, number by number.

The floor programs (bmil_floor_simdjson, bmil_floor_nlohmann) print the statistics of
bench/floor/floor_stats.hpp; bmil prints an "analyzers" array (`bmil analyze FILE --format
json`, and `bmil batch FILE` with the same array). Every count must be equal and every share
within 1e-12:

  floor                      bmil
  businesses, tasks, ...     block_focus metrics businesses, tasks, tasks_as_is, tasks_to_be,
                             mentions; line_mix metrics tasks, mentions, tasks_year_not_stated,
                             mentions_year_not_stated; canvas metrics tasks, placements;
                             orchestration metric tasks; batch summary "analyzed" if present
  blocks                     block_focus table "blocks": rank, mentions, share, cumulative share
  lines                      line_mix table "lines": rank, mentions, share, year not stated
  lines_by_year              line_mix table "lines_by_year": tasks, mentions, each line's share
  canvas                     canvas matrix "canvas" (all business models), cell by cell
  line_cooccurrence          orchestration matrix "line_cooccurrence", cell by cell

Usage:
  compare_with_bmil.py FLOOR.json BMIL.json
      compare two outputs ("-" reads one of them from standard input)
  compare_with_bmil.py --run --bmil BMIL --workdir DIR [--companies 300] [--seed 7] FLOOR_PROGRAM...
      generate a data set with bench/generate_cases.py, run `bmil analyze` and every floor
      program on it, and compare each floor program's output with bmil's (the CTest test
      bench.floor_matches_bmil)

Prints every mismatch (the first 50 per comparison) and "N passed, M failed"; exits with 1 when
anything differs or is missing, 2 on a usage or run error.
"""

import argparse
import json
import math
import os
import subprocess
import sys

SHARE_TOLERANCE = 1e-12
MAX_PRINTED = 50


class Checker:
    """Counts and reports the checks of one comparison."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failures = []

    def fail(self, what, message):
        self.failures.append("%s: %s" % (what, message))

    def count(self, what, floor, bmil):
        """An exact count; bmil writes matrix cells as floats (377.0)."""
        if is_number(floor) and is_number(bmil) and float(bmil).is_integer() and \
                int(floor) == floor and int(floor) == int(bmil):
            self.passed += 1
        else:
            self.fail(what, "floor %r, bmil %r" % (floor, bmil))

    def share(self, what, floor, bmil):
        """A share: both null, or both numbers within SHARE_TOLERANCE."""
        if floor is None and bmil is None:
            self.passed += 1
        elif is_number(floor) and is_number(bmil) and abs(floor - bmil) <= SHARE_TOLERANCE:
            self.passed += 1
        else:
            self.fail(what, "floor %r, bmil %r" % (floor, bmil))

    def report(self):
        for line in self.failures[:MAX_PRINTED]:
            print("  FAIL %s" % line)
        if len(self.failures) > MAX_PRINTED:
            print("  ... and %d more" % (len(self.failures) - MAX_PRINTED))
        print("%s: %d passed, %d failed" % (self.name, self.passed, len(self.failures)))
        return not self.failures


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and \
        math.isfinite(value)


def load(path):
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def results_by_plugin(bmil):
    """The result of each analyzer in bmil's "analyzers" array, by plugin id."""
    out = {}
    for entry in bmil.get("analyzers", []):
        result = entry.get("result", {})
        out[entry.get("plugin") or result.get("analyzer")] = result
    return out


def metric(result, metric_id):
    for m in result.get("metrics", []):
        if m.get("id") == metric_id:
            return m.get("value")
    return "<missing metric %s>" % metric_id


def table_rows(result, table_id):
    """The rows of a table as dicts by column id, or None when there is no such table."""
    for table in result.get("tables", []):
        if table.get("id") == table_id:
            ids = [c["id"] for c in table["columns"]]
            return [dict(zip(ids, row)) for row in table["rows"]]
    return None


def matrix_cells(result, matrix_id):
    """{(row id, column id): value} of a matrix, or None when there is no such matrix."""
    for matrix in result.get("matrices", []):
        if matrix.get("id") == matrix_id:
            rows = [r["id"] for r in matrix["rows"]]
            columns = [c["id"] for c in matrix["columns"]]
            return {(r, c): matrix["values"][i][j]
                    for i, r in enumerate(rows) for j, c in enumerate(columns)}
    return None


def floor_cells(matrix):
    return {(r, c): matrix["values"][i][j]
            for i, r in enumerate(matrix["rows"]) for j, c in enumerate(matrix["columns"])}


def compare_keyed(check, what, floor_rows, bmil_rows, key, fields):
    """Rows matched by `key`; `fields` maps a floor field to (bmil column, kind)."""
    if bmil_rows is None:
        check.fail(what, "missing in bmil's output")
        return
    floor_by_key = {r[key]: r for r in floor_rows}
    bmil_by_key = {r[key]: r for r in bmil_rows}
    for k in sorted(set(floor_by_key) | set(bmil_by_key), key=str):
        if k not in bmil_by_key or k not in floor_by_key:
            check.fail("%s[%s]" % (what, k),
                       "only in %s" % ("the floor" if k in floor_by_key else "bmil"))
            continue
        for floor_field, (bmil_field, kind) in fields.items():
            getattr(check, kind)("%s[%s].%s" % (what, k, floor_field),
                                 floor_by_key[k][floor_field], bmil_by_key[k].get(bmil_field))


def compare_matrix(check, what, floor_matrix, bmil_cells):
    if bmil_cells is None:
        check.fail(what, "missing in bmil's output")
        return
    floor = floor_cells(floor_matrix)
    for cell in sorted(set(floor) | set(bmil_cells)):
        if cell not in bmil_cells or cell not in floor:
            check.fail("%s[%s,%s]" % ((what,) + cell),
                       "only in %s" % ("the floor" if cell in floor else "bmil"))
        else:
            check.count("%s[%s,%s]" % ((what,) + cell), floor[cell], bmil_cells[cell])


def compare(floor, bmil, name):
    """Checks `floor` (a floor program's JSON) against `bmil` (bmil's JSON); True if equal."""
    check = Checker(name)
    results = results_by_plugin(bmil)
    for plugin in ("block_focus", "line_mix", "canvas", "orchestration"):
        if plugin not in results:
            check.fail(plugin, "analyzer missing in bmil's output")
    block_focus = results.get("block_focus", {})
    line_mix = results.get("line_mix", {})
    canvas = results.get("canvas", {})
    orchestration = results.get("orchestration", {})

    summary = bmil.get("summary")
    if isinstance(summary, dict) and "analyzed" in summary:
        check.count("summary.analyzed", floor["businesses"], summary["analyzed"])
    for floor_key, bmil_metric in (("businesses", "businesses"), ("tasks", "tasks"),
                                   ("tasks_as_is", "tasks_as_is"), ("tasks_to_be", "tasks_to_be"),
                                   ("block_mentions", "mentions")):
        check.count("block_focus." + bmil_metric, floor[floor_key], metric(block_focus, bmil_metric))
    for floor_key, bmil_metric in (("tasks", "tasks"), ("line_mentions", "mentions"),
                                   ("tasks_year_not_stated", "tasks_year_not_stated"),
                                   ("line_mentions_year_not_stated", "mentions_year_not_stated")):
        check.count("line_mix." + bmil_metric, floor[floor_key], metric(line_mix, bmil_metric))
    check.count("canvas.tasks", floor["tasks"], metric(canvas, "tasks"))
    check.count("canvas.placements", sum(sum(row) for row in floor["canvas"]["values"]),
                metric(canvas, "placements"))
    check.count("orchestration.tasks", floor["tasks"], metric(orchestration, "tasks"))

    compare_keyed(check, "block_focus.blocks", floor["blocks"], table_rows(block_focus, "blocks"),
                  "block", {"rank": ("rank", "count"), "mentions": ("mentions", "count"),
                            "share": ("share", "share"),
                            "cumulative_share": ("cumulative_share", "share")})
    compare_keyed(check, "line_mix.lines", floor["lines"], table_rows(line_mix, "lines"), "line",
                  {"rank": ("rank", "count"), "mentions": ("mentions", "count"),
                   "share": ("share", "share"), "year_not_stated": ("year_not_stated", "count")})
    floor_years = []
    for row in floor["lines_by_year"]:
        flat = {"year": row["year"], "tasks": row["tasks"], "mentions": row["mentions"]}
        flat.update({"share_" + line: share for line, share in row["shares"].items()})
        floor_years.append(flat)
    year_fields = {"tasks": ("tasks", "count"), "mentions": ("mentions", "count")}
    for line in floor["lines"]:
        year_fields["share_" + line["line"]] = (line["line"], "share")
    compare_keyed(check, "line_mix.lines_by_year", floor_years,
                  table_rows(line_mix, "lines_by_year"), "year", year_fields)
    compare_matrix(check, "canvas.canvas", floor["canvas"], matrix_cells(canvas, "canvas"))
    compare_matrix(check, "orchestration.line_cooccurrence", floor["line_cooccurrence"],
                   matrix_cells(orchestration, "line_cooccurrence"))
    return check.report()


def run(args):
    """Generates a data set, runs bmil and the floor programs on it and compares them."""
    os.makedirs(args.workdir, exist_ok=True)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    cases = os.path.join(args.workdir, "cases_%d_seed%d.jsonl" % (args.companies, args.seed))
    subprocess.run([sys.executable, os.path.join(root, "bench", "generate_cases.py"),
                    "--companies", str(args.companies), "--seed", str(args.seed), "-o", cases],
                   check=True)
    outputs = {}
    for program in [args.bmil] + args.programs:
        name = os.path.basename(program)
        command = [program, "analyze", cases, "--format", "json"] if program == args.bmil \
            else [program, cases]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write("%s exited with %d:\n%s" % (" ".join(command), done.returncode,
                                                         done.stderr[-4000:]))
            return 2
        if program != args.bmil:
            sys.stderr.write("%s: %s" % (name, done.stderr))
        outputs[program] = json.loads(done.stdout)
    ok = True
    for program in args.programs:
        ok = compare(outputs[program], outputs[args.bmil],
                     "%s vs bmil analyze" % os.path.basename(program)) and ok
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run", action="store_true",
                        help="generate data, run bmil and the floor programs, compare")
    parser.add_argument("--bmil", help="the bmil program (with --run)")
    parser.add_argument("--workdir", help="where to write the data set (with --run)")
    parser.add_argument("--companies", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("files", nargs="+",
                        help="FLOOR.json BMIL.json, or with --run the floor programs")
    args = parser.parse_args()
    if args.run:
        if not args.bmil or not args.workdir:
            parser.error("--run needs --bmil and --workdir")
        args.programs = args.files
        return run(args)
    if len(args.files) != 2:
        parser.error("expected FLOOR.json BMIL.json")
    ok = compare(load(args.files[0]), load(args.files[1]), "%s vs %s" % tuple(args.files))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
