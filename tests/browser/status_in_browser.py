#!/usr/bin/env python3
"""Opens the HTML page of `bmil control status` in headless Chromium and checks it.

For the bundled example (examples/control/: Provital's plan and a year of check-ins) it
writes the page and the JSON of the same status with the built `bmil`, on a day when alerts
fire, opens the page in Chromium (report_in_browser.py's DevTools-over-a-pipe driver) and
checks that

  - the page logs no console error, throws no exception, runs no script and requests
    nothing from the network;
  - the alerts come first, and every section is there with its heading;
  - the alerts table lists the JSON's alerts in its order with their states;
  - every KPI with actuals has its chart with as many points as the JSON has actuals, the
    KPI table shows the JSON's actual and state, and the milestones table its milestones;
  - the plan-vs-actual canvas marks exactly the JSON's planned and led cells;
  - nothing is wider than the window, also in print on A4.

It leaves status.png, status.print.png and status.pdf in --out-dir for people to look at.
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

SECTIONS = ["alerts", "kpis", "control", "milestones", "drift", "notes"]
AS_OF = "2010-08-31"

FACTS = """(() => {
  const wide = [...document.querySelectorAll('main *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > document.documentElement.clientWidth + 1 &&
           !e.closest('.table-wrap');
  }).slice(0, 5).map(e => e.tagName + '.' + (e.className.baseVal || e.className));
  const cells = {};
  for (const td of document.querySelectorAll('table.drift-canvas td.cell')) {
    const model = td.closest('table').dataset.model;
    const kind = ['both', 'planned', 'unplanned'].find(k => td.classList.contains(k)) || 'none';
    (cells[kind] = cells[kind] || []).push([model, td.dataset.line, td.dataset.block]);
  }
  return {
    sections: [...document.querySelectorAll('main > section')].map(s => ({
      id: s.id, heading: (s.querySelector('h2') || {}).textContent || ''})),
    alerts: [...document.querySelectorAll('table.alerts tbody tr')].map(tr => ({
      id: tr.dataset.alert, state: tr.querySelector('.alert-state').textContent})),
    kpis: [...document.querySelectorAll('table.kpis tbody tr')].map(tr => ({
      id: tr.dataset.kpi, state: tr.dataset.state,
      actual: (tr.querySelectorAll('td')[0] || {}).textContent})),
    charts: [...document.querySelectorAll('svg.kpi-chart')].map(s => ({
      kpi: s.dataset.kpi, points: s.querySelectorAll('circle.actual-point').length,
      target: !!s.querySelector('path.target')})),
    milestones: [...document.querySelectorAll('table.milestones tbody tr')].map(
      tr => tr.dataset.milestone),
    cells, wide,
    scripts: document.scripts.length,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    height: document.documentElement.scrollHeight};
})()"""


def number(text):
    return float(text.replace("\u2212", "-").replace(",", ""))


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
    plan = str(source / "examples/control/provital.plan.json")
    env = {k: v for k, v in os.environ.items() if k != "BMIL_PLUGIN_PATH"}
    with tempfile.TemporaryDirectory(prefix="bmil-status-") as tmp:
        tmp = pathlib.Path(tmp)
        for ext in ("html", "json"):
            done = subprocess.run([args.bmil, "control", "status", plan, "--as-of", AS_OF,
                                   "-o", str(tmp / f"status.{ext}")], cwd=source, env=env,
                                  capture_output=True, text=True, timeout=120)
            if done.returncode != 5:  # alerts fire on that day
                print(f"FAILED: bmil control status -o status.{ext} exited "
                      f"{done.returncode}, expected 5:\n{done.stderr}", file=sys.stderr)
                return 1
        status = json.loads((tmp / "status.json").read_text())
        chrome = Chromium(args.chromium, str(tmp))
        try:
            url = (tmp / "status.html").resolve().as_uri()
            target, session = open_page(chrome, url, 1200)
            facts = evaluate(chrome, session, FACTS)
            problems = problems_logged(chrome, session, url)
            check(not problems, "; ".join(problems))
            check(facts["scripts"] == 0, f"the page has {facts['scripts']} scripts")
            ids = [s["id"] for s in facts["sections"]]
            check(ids == SECTIONS, f"sections {ids}, expected {SECTIONS}")
            for s in facts["sections"]:
                check(s["heading"].strip(), f"section {s['id']} has no heading")
            expected_alerts = [{"id": a["id"], "state": a["state"]} for a in status["alerts"]]
            check([{"id": a["id"], "state": a["state"].lower()} for a in facts["alerts"]]
                  == expected_alerts, f"alerts {facts['alerts']}, the JSON has {expected_alerts}")
            check(any(a["state"] == "firing" for a in expected_alerts), "no alert fires")
            by_id = {k["id"]: k for k in status["kpis"]}
            check([k["id"] for k in facts["kpis"]] == list(by_id), f"KPI rows {facts['kpis']}")
            for row in facts["kpis"]:
                kpi = by_id[row["id"]]
                check(row["state"] == kpi["state"], f"{row['id']}: state {row['state']}")
                if kpi["actual"] is not None:
                    check(abs(number(row["actual"]) - kpi["actual"]["value"]) <= 0.5,
                          f"{row['id']}: shows {row['actual']}, the JSON {kpi['actual']}")
            charted = {c["kpi"]: c for c in facts["charts"]}
            for kpi in status["kpis"]:
                if not kpi["actuals"]:
                    check(kpi["id"] not in charted, f"{kpi['id']} has a chart without actuals")
                    continue
                chart = charted.get(kpi["id"])
                check(chart and chart["points"] == len(kpi["actuals"]) and chart["target"],
                      f"{kpi['id']}: chart {chart}, {len(kpi['actuals'])} actuals")
            check(facts["milestones"] == [m["id"] for m in status["milestones"]],
                  f"milestones {facts['milestones']}")
            drift = status["drift"]
            as_set = lambda cells: sorted(tuple(c) for c in cells)  # noqa: E731
            planned = {(c["business_model"], c["line"], c["block"]) for c in drift["planned"]}
            led = {(c["business_model"], c["line"], c["block"]) for c in drift["led"]}
            check(as_set(facts["cells"].get("both", [])) == sorted(planned & led),
                  f"cells planned and led {facts['cells'].get('both')}")
            check(as_set(facts["cells"].get("planned", [])) == sorted(planned - led),
                  f"cells planned, not led {facts['cells'].get('planned')}")
            check(as_set(facts["cells"].get("unplanned", [])) == sorted(led - planned),
                  f"cells led, not planned {facts['cells'].get('unplanned')}")
            check(facts["scrollWidth"] <= facts["clientWidth"],
                  f"the page is {facts['scrollWidth']} px wide in {facts['clientWidth']} px")
            check(not facts["wide"], f"elements wider than the window: {facts['wide']}")
            screenshot(chrome, session, 1200, facts["height"], out_dir / "status.png")
            pdf = base64.b64decode(chrome.call(
                "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False},
                session=session, timeout=180)["data"])
            check(pdf.startswith(b"%PDF"), "printing did not give a PDF")
            (out_dir / "status.pdf").write_bytes(pdf)
            pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
            chrome.call("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
            chrome.call("Emulation.setDeviceMetricsOverride",
                        {"width": A4_TEXT_WIDTH_PX, "height": 900, "deviceScaleFactor": 1,
                         "mobile": False}, session=session)
            printed = evaluate(chrome, session, FACTS)
            check(not printed["wide"], f"in print, elements wider than A4: {printed['wide']}")
            screenshot(chrome, session, A4_TEXT_WIDTH_PX, printed["height"],
                       out_dir / "status.print.png")
            chrome.call("Target.closeTarget", {"targetId": target})
            print(f"status: ok — {len(ids)} sections, alerts first and as in the JSON, "
                  f"{len(charted)} KPI charts, the canvas as in the JSON, {pages} PDF pages; "
                  f"screenshots in {out_dir}")
        except Failure as failure:
            print(f"FAILED: {failure}", file=sys.stderr)
            return 1
        finally:
            chrome.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
