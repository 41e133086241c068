#!/usr/bin/env python3
"""Opens the HTML page of `bmil scenario compare` in headless Chromium and checks it.

For the Aikon base of examples/scenarios/ and its two alternatives it writes the page and
the JSON of the same comparison (same seed and draws) with the built `bmil`, opens the page
in Chromium (report_in_browser.py's DevTools-over-a-pipe driver) and checks that

  - the page logs no console error, throws no exception, runs no script and requests
    nothing from the network;
  - every section is there with its heading, and every scenario column is present in the
    NPV table, the head-to-head table, both fan charts, the tornados and the canvases;
  - the NPV table shows the JSON's P10, P50 and P90 (rounded) and P(best);
  - the canvas marks exactly the cells the JSON says each scenario covers;
  - nothing is wider than the window, and printing gives a PDF with a page per section.

It leaves compare.png, compare.print.png and compare.pdf in --out-dir for people to look at.
Exit status: 0 all checks pass, 1 a check fails, 77 Chromium is not installed (a failure
with CI=true).
"""

import argparse
import base64
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from report_in_browser import (A4_TEXT_WIDTH_PX, Chromium, Failure, check, evaluate,  # noqa: E402
                               open_page, problems_logged, screenshot)

SECTIONS = ["value", "trajectories", "drivers", "canvases", "structure", "assumptions", "notes"]
COLUMNS = ["base", "aikon-focus", "aikon-keep"]

FACTS = """(() => {
  const ids = sel => [...document.querySelectorAll(sel)].map(e => e.dataset.scenario);
  const npv = [...document.querySelectorAll('#npv tbody tr')].map(tr => ({
    id: tr.dataset.scenario,
    cells: [...tr.querySelectorAll('td')].map(td => td.textContent)}));
  const canvases = {};
  for (const fig of document.querySelectorAll('#canvases figure')) {
    canvases[fig.dataset.scenario] = [...fig.querySelectorAll('g.cell')]
      .filter(g => (g.dataset.markers || '').includes('covered'))
      .map(g => [g.dataset.row, g.dataset.column]);
  }
  const wide = [...document.querySelectorAll('main *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > document.documentElement.clientWidth + 1 &&
           !e.closest('.table-wrap');
  }).slice(0, 5).map(e => e.tagName + '.' + (e.className.baseVal || e.className));
  return {
    sections: [...document.querySelectorAll('main > section')].map(s => ({
      id: s.id, heading: (s.querySelector('h2') || {}).textContent || ''})),
    npv, canvases, wide,
    beats: ids('#beats thead th[data-scenario]'),
    fans: [...document.querySelectorAll('svg.fan')].map(s => ({
      kpi: s.dataset.kpi, series: [...s.querySelectorAll('g.series')].map(g => g.dataset.scenario)})),
    tornados: ids('#drivers figure'),
    scripts: document.scripts.length,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    height: document.documentElement.scrollHeight};
})()"""


def number(text):
    return float(text.replace("\u2212", "-").replace(",", "").replace("%", ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bmil", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    if not os.access(args.chromium, os.X_OK):
        message = f"Chromium not found at {args.chromium} (scripts/install-deps.sh installs it)"
        if os.environ.get("CI") == "true":
            print(f"FAILED: {message}", file=sys.stderr)
            return 1
        print(f"skipped: {message}")
        return 77
    source = pathlib.Path(args.source_dir)
    out_dir = pathlib.Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    scenarios = source / "examples/scenarios"
    inputs = [str(scenarios / "aikon-2010.json"), str(scenarios / "aikon-focus.scenario.json"),
              str(scenarios / "aikon-keep.scenario.json")]
    env = {k: v for k, v in os.environ.items() if k != "BMIL_PLUGIN_PATH"}
    with tempfile.TemporaryDirectory(prefix="bmil-compare-") as tmp:
        tmp = pathlib.Path(tmp)
        for ext in ("html", "json"):
            done = subprocess.run([args.bmil, "scenario", "compare", *inputs, "--draws", "2000",
                                   "-o", str(tmp / f"compare.{ext}")], cwd=source, env=env,
                                  capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                print(f"FAILED: bmil scenario compare -o compare.{ext} exited "
                      f"{done.returncode}:\n{done.stderr}", file=sys.stderr)
                return 1
        report = json.loads((tmp / "compare.json").read_text())
        chrome = Chromium(args.chromium, str(tmp))
        try:
            url = (tmp / "compare.html").resolve().as_uri()
            target, session = open_page(chrome, url, 1200)
            facts = evaluate(chrome, session, FACTS)
            problems = problems_logged(chrome, session, url)
            check(not problems, "; ".join(problems))
            check(facts["scripts"] == 0, f"the page has {facts['scripts']} scripts")
            ids = [s["id"] for s in facts["sections"]]
            check(ids == SECTIONS, f"sections {ids}, expected {SECTIONS}")
            for s in facts["sections"]:
                check(s["heading"].strip(), f"section {s['id']} has no heading")
            check([r["id"] for r in facts["npv"]] == COLUMNS, f"NPV rows {facts['npv']}")
            check(facts["beats"] == COLUMNS, f"head-to-head columns {facts['beats']}")
            check([f["kpi"] for f in facts["fans"]] == ["profit", "revenue"],
                  f"fan charts {facts['fans']}")
            for fan in facts["fans"]:
                check(fan["series"] == COLUMNS, f"{fan['kpi']} fan chart shows {fan['series']}")
            check(facts["tornados"] == COLUMNS, f"tornados for {facts['tornados']}")
            check(sorted(facts["canvases"]) == sorted(COLUMNS), f"canvases {list(facts['canvases'])}")
            by_id = {c["id"]: c for c in report["columns"]}
            best = {row["id"]: row["p_best"] for row in report["comparison"]}
            for row in facts["npv"]:
                npv = by_id[row["id"]]["financial"]["npv"]
                shown = [number(t) for t in row["cells"]]
                for k, key in enumerate(("p10", "p50", "p90", "mean")):
                    check(abs(shown[k] - round(npv[key])) <= 1,
                          f"{row['id']}: {key} shows {shown[k]}, the JSON has {npv[key]}")
                check(abs(shown[5] - round(best[row["id"]] * 100)) <= 0.5,
                      f"{row['id']}: P(best) shows {shown[5]}%, the JSON has {best[row['id']]}")
            for column in COLUMNS:
                structural = by_id[column]["structural"]
                expected = [] if structural is None else [
                    [c["line"], c["block"]] for c in structural["cells_added"]]
                check(sorted(facts["canvases"][column]) == sorted(expected),
                      f"{column}: the canvas marks {facts['canvases'][column]}, the JSON says "
                      f"{expected}")
            check(facts["scrollWidth"] <= facts["clientWidth"],
                  f"the page is {facts['scrollWidth']} px wide in {facts['clientWidth']} px")
            check(not facts["wide"], f"elements wider than the window: {facts['wide']}")
            screenshot(chrome, session, 1200, facts["height"], out_dir / "compare.png")
            pdf = base64.b64decode(chrome.call(
                "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False},
                session=session, timeout=180)["data"])
            check(pdf.startswith(b"%PDF"), "printing did not give a PDF")
            (out_dir / "compare.pdf").write_bytes(pdf)
            pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
            check(pages >= len(SECTIONS), f"the PDF has {pages} pages, fewer than the sections")
            chrome.call("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
            chrome.call("Emulation.setDeviceMetricsOverride",
                        {"width": A4_TEXT_WIDTH_PX, "height": 900, "deviceScaleFactor": 1,
                         "mobile": False}, session=session)
            printed = evaluate(chrome, session, FACTS)
            check(not printed["wide"], f"in print, elements wider than A4: {printed['wide']}")
            screenshot(chrome, session, A4_TEXT_WIDTH_PX, printed["height"],
                       out_dir / "compare.print.png")
            chrome.call("Target.closeTarget", {"targetId": target})
            print(f"compare: ok — {len(ids)} sections, {len(COLUMNS)} columns in every table and "
                  f"figure, NPVs and canvas marks as in the JSON, {pages} PDF pages; "
                  f"screenshots in {out_dir}")
        except Failure as failure:
            print(f"FAILED: {failure}", file=sys.stderr)
            return 1
        finally:
            chrome.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
