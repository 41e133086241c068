#!/usr/bin/env python3
"""Opens bmil's HTML reports in headless Chromium and checks what a reader would see.

For the Kellpo case and for the cross-case report of examples/cases/ it writes the report
with the built `bmil`, opens it in Chromium (driven over the DevTools protocol through a
pipe: no port, no extra package) and checks that

  - the page logs no console error, throws no exception and makes no network request
    (nothing but the report file itself is requested);
  - every section is there (by id) with its heading;
  - every cell of the three canvas heatmaps carries the count of BMI tasks in that cell,
    counted here from the case files (independently of bmil), and the same count as the
    canvas rows of `bmil report -o x.csv`; on the one-business report, each cell names the
    business models with tasks in it;
  - nothing is wider than the window (1200 px on screen, the A4 text width in print);
  - printing gives a PDF whose pages are what its content needs (sections do not each start
    a page), within a page budget; every printed table fits portrait A4; and the title with
    the summary fits on the first A4 page.

It writes a full-page screenshot of each report (<name>.png), the page as printed on A4
(<name>.print.png, the print stylesheet at the A4 text width) and the PDF (<name>.pdf) to
--out-dir, for people to look at.

Exit status: 0 all checks pass, 1 a check fails, 77 Chromium is not installed (CTest
reports the test as skipped; with CI=true that is a failure instead).
"""

import argparse
import base64
import csv
import json
import os
import pathlib
import select
import shutil
import subprocess
import sys
import tempfile
import time

SECTIONS = {
    "one": ["summary", "business", "canvas", "figures", "vertical", "horizontal", "findings",
            "analyzers", "failures"],
    "many": ["summary", "businesses", "canvas", "figures", "vertical", "horizontal", "findings",
             "analyzers", "failures"],
}
CANVASES = {"canvas": None, "canvas.as_is": "as_is", "canvas.to_be": "to_be"}
A4_TEXT_WIDTH_PX = 703  # 210 mm - 2 x 12 mm margins, at 96 px per inch
A4_TEXT_HEIGHT_PX = 1009  # 297 mm - 14 mm - 16 mm margins: the first page holds the summary
PAGE_BUDGET = {"one": 36, "many": 50}  # A4 pages: Kellpo prints on 34, the five cases on 48
TIMEOUT_S = 90


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Chromium:
    """Chromium with --remote-debugging-pipe: JSON messages, NUL-terminated, on fds 3/4."""

    def __init__(self, executable, profile_dir):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def child_fds():
            # Duplicate first: os.dup2 onto a descriptor's own number keeps its close-on-exec.
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self._log = open(os.path.join(profile_dir, "chromium.log"), "w")
        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-default-apps", "--disable-extensions", "--disable-sync",
             "--no-first-run", "--no-default-browser-check", "--mute-audio",
             "--hide-scrollbars", "--font-render-hinting=none",
             # Containers often have a tiny /dev/shm; Chromium then crashes on big pages.
             "--disable-dev-shm-usage",
             # Any host name fails to resolve: even a request we failed to notice goes nowhere.
             "--host-resolver-rules=MAP * ~NOTFOUND",
             "--remote-debugging-pipe", "--user-data-dir=" + os.path.join(profile_dir, "profile"),
             "about:blank"],
            preexec_fn=child_fds, close_fds=False, stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=self._log)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Failure("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_chrome], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise Failure("Chromium closed the DevTools pipe (see chromium.log)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=None, timeout=TIMEOUT_S):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise Failure(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, session, timeout=TIMEOUT_S):
        deadline = time.monotonic() + timeout
        for i, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            event = self._read_message(deadline)
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            self.events.append(event)

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except Exception:  # noqa: BLE001 - closing is best effort; we kill it below
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        self._log.close()


def run_bmil(bmil, source_dir, args):
    result = subprocess.run([bmil, "report", *args], cwd=source_dir, capture_output=True,
                            text=True, timeout=300,
                            env={k: v for k, v in os.environ.items() if k != "BMIL_PLUGIN_PATH"})
    check(result.returncode == 0, f"bmil report {' '.join(args)} exited {result.returncode}:\n"
                                  f"{result.stderr}")


def count_canvas(case_files):
    """(state or None) -> {(line, block): tasks}, and {(line, block): set(model ids)} per
    state, counted from the case files themselves."""
    counts = {state: {} for state in CANVASES.values()}
    models = {state: {} for state in CANVASES.values()}
    for path in case_files:
        case = json.loads(pathlib.Path(path).read_text())
        state_of = {bm["id"]: bm["state"] for bm in case["business_models"]}
        for task in case["bmi_tasks"]:
            state = state_of[task["business_model"]]
            for line in task["leadership_lines"]:
                for block in task["building_blocks"]:
                    for s in (None, state):
                        counts[s][(line, block)] = counts[s].get((line, block), 0) + 1
                        models[s].setdefault((line, block), set()).add(task["business_model"])
    return counts, models


def canvas_from_csv(path):
    """matrix id -> {(line, block): value} from the canvas analyzer's rows of the CSV."""
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["analyzer"] == "canvas" and row["table"] in CANVASES:
                out.setdefault(row["table"], {})[(row["row"], row["column"])] = float(row["value"])
    return out


PAGE_FACTS = """(() => {
  const sections = [...document.querySelectorAll('main > section')].map(s => ({
    id: s.id, heading: (s.querySelector('h2') || {}).textContent || ''}));
  const canvases = {};
  for (const fig of document.querySelectorAll('figure[data-matrix]')) {
    if (!fig.id.startsWith('fig-canvas-')) continue;
    canvases[fig.dataset.matrix] = [...fig.querySelectorAll('g.cell')].map(g => ({
      row: g.dataset.row, column: g.dataset.column, value: Number(g.dataset.value),
      markers: g.dataset.markers || ''}));
  }
  const wide = [...document.querySelectorAll('main *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > document.documentElement.clientWidth + 1 &&
           !e.closest('.table-wrap');
  }).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className.baseVal + e.className);
  const empty_figures = [...document.querySelectorAll('figure svg')].filter(s => {
    const r = s.getBoundingClientRect(); return r.width < 50 || r.height < 50; }).length;
  const tables = [...document.querySelectorAll('.table-wrap')].map(w => {
    const t = w.querySelector('table') || w;
    return {id: t.id, shown: w.offsetParent !== null, width: t.scrollWidth};
  });
  return {title: document.title, sections, canvases, wide, tables,
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          svgs: document.querySelectorAll('svg').length, empty_figures,
          scripts: document.scripts.length, height: document.documentElement.scrollHeight};
})()"""


def open_page(chrome, url, width):
    target = chrome.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = chrome.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
        "sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        chrome.call(domain + ".enable", session=session)
    chrome.call("Emulation.setDeviceMetricsOverride",
                {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                session=session)
    chrome.events.clear()
    chrome.call("Page.navigate", {"url": url}, session=session)
    chrome.wait_for("Page.loadEventFired", session)
    return target, session


def problems_logged(chrome, session, url):
    problems = []
    for event in chrome.events:
        if event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            problems.append("console error: " + json.dumps(params.get("args"))[:300])
        elif method == "Runtime.exceptionThrown":
            problems.append("exception: " + json.dumps(params.get("exceptionDetails"))[:300])
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            problems.append("log error: " + params["entry"].get("text", "")[:300])
        elif method == "Network.requestWillBeSent":
            requested = params.get("request", {}).get("url", "")
            if requested != url:
                problems.append("network request: " + requested[:300])
    return problems


def screenshot(chrome, session, width, height, path):
    chrome.call("Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session=session)
    shot = chrome.call("Page.captureScreenshot",
                       {"format": "png", "captureBeyondViewport": True,
                        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
                       session=session, timeout=180)
    data = base64.b64decode(shot["data"])
    check(data.startswith(b"\x89PNG"), f"{path.name} is not a PNG")
    path.write_bytes(data)


def evaluate(chrome, session, expression):
    reply = chrome.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                        session=session)
    check("exceptionDetails" not in reply, f"evaluating page facts failed: {reply}")
    return reply["result"]["value"]


def check_report(chrome, name, html, csv_path, case_files, kind, out_dir):
    url = pathlib.Path(html).resolve().as_uri()
    target, session = open_page(chrome, url, 1200)
    facts = evaluate(chrome, session, PAGE_FACTS)

    problems = problems_logged(chrome, session, url)
    check(not problems, f"{name}: " + "; ".join(problems))
    check(facts["scripts"] == 0, f"{name}: the page has {facts['scripts']} scripts")

    ids = [s["id"] for s in facts["sections"]]
    check(ids == SECTIONS[kind], f"{name}: sections {ids}, expected {SECTIONS[kind]}")
    for s in facts["sections"]:
        check(s["heading"].strip(), f"{name}: section {s['id']} has no heading")

    counts, models = count_canvas(case_files)
    from_csv = canvas_from_csv(csv_path)
    for matrix, state in CANVASES.items():
        cells = facts["canvases"].get(matrix)
        check(cells, f"{name}: no heatmap for {matrix}")
        check(len(cells) == 49, f"{name}: {matrix} has {len(cells)} cells, expected 7 x 7")
        for cell in cells:
            key = (cell["row"], cell["column"])
            expected = counts[state].get(key, 0)
            check(cell["value"] == expected,
                  f"{name}: {matrix} cell {key} shows {cell['value']}, the cases give {expected}")
            check(from_csv[matrix].get(key) == expected,
                  f"{name}: {matrix} cell {key}: the CSV says {from_csv[matrix].get(key)}")
            if kind == "one":
                shown = set(cell["markers"].split()) if cell["markers"] else set()
                check(shown == models[state].get(key, set()),
                      f"{name}: {matrix} cell {key} names {sorted(shown)}, expected "
                      f"{sorted(models[state].get(key, set()))}")
        check(sum(c["value"] for c in cells) == sum(counts[state].values()),
              f"{name}: {matrix} total differs from the cases")

    check(facts["scrollWidth"] <= facts["clientWidth"],
          f"{name}: the page is {facts['scrollWidth']} px wide in a {facts['clientWidth']} px window")
    check(not facts["wide"], f"{name}: elements wider than the window: {facts['wide']}")
    check(facts["empty_figures"] == 0, f"{name}: {facts['empty_figures']} figures drawn empty")

    screenshot(chrome, session, 1200, facts["height"], out_dir / f"{name}.png")

    # Print: the PDF, and the print stylesheet at the A4 text width as a picture.
    pdf = base64.b64decode(chrome.call(
        "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False},
        session=session, timeout=180)["data"])
    check(pdf.startswith(b"%PDF"), f"{name}: printing did not give a PDF")
    (out_dir / f"{name}.pdf").write_bytes(pdf)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    chrome.call("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
    chrome.call("Emulation.setDeviceMetricsOverride",
                {"width": A4_TEXT_WIDTH_PX, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                session=session)
    printed = evaluate(chrome, session, PAGE_FACTS)
    check(not printed["wide"], f"{name}: in print, elements wider than A4: {printed['wide']}")
    # The manager's page: title, contents and summary on the first A4 page.
    summary_bottom = evaluate(chrome, session, "Math.ceil(document.getElementById('summary')"
                              ".getBoundingClientRect().bottom + window.scrollY)")
    check(summary_bottom <= A4_TEXT_HEIGHT_PX,
          f"{name}: in print, the summary ends {summary_bottom} px down, past the first A4 "
          f"page ({A4_TEXT_HEIGHT_PX} px)")
    # Every table printed fits portrait A4 (a very wide one prints in parts of its columns).
    for table in printed["tables"]:
        if not table["shown"]:
            continue
        check(table["width"] <= A4_TEXT_WIDTH_PX,
              f"{name}: in print, table {table['id']} is {table['width']} px wide, more than "
              f"the {A4_TEXT_WIDTH_PX} px of an A4 page")
    # Sections do not each start a page: the pages are what the printed height needs, with
    # room for the pages the summary and the appendix start and for what cannot be split
    # (figures, findings, table rows), and within the page budget of the report.
    needed = -(-printed["height"] // A4_TEXT_HEIGHT_PX)
    check(pages <= needed * 5 // 4 + 2,
          f"{name}: the PDF has {pages} pages for {printed['height']} px of printed content "
          f"({needed} A4 pages' worth): sections start pages of their own")
    check(pages <= PAGE_BUDGET[kind],
          f"{name}: the PDF has {pages} pages, over the budget of {PAGE_BUDGET[kind]}")
    screenshot(chrome, session, A4_TEXT_WIDTH_PX, printed["height"], out_dir / f"{name}.print.png")
    chrome.call("Target.closeTarget", {"targetId": target})
    print(f"{name}: ok — {len(ids)} sections, {facts['svgs']} SVG figures, canvas checked "
          f"against the cases and the CSV, {pages} PDF pages; screenshots in {out_dir}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bmil", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    if not os.access(args.chromium, os.X_OK):
        message = (f"Chromium not found at {args.chromium} (scripts/install-deps.sh installs "
                   "Debian's chromium)")
        if os.environ.get("CI") == "true":
            print(f"FAILED: {message}", file=sys.stderr)
            return 1
        print(f"skipped: {message}")
        return 77
    source = pathlib.Path(args.source_dir)
    out_dir = pathlib.Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="bmil-browser-") as tmp:
        tmp = pathlib.Path(tmp)
        reports = [
            ("kellpo.report", ["examples/cases/kellpo.json"], "one",
             [source / "examples/cases/kellpo.json"]),
            ("cases.report", ["examples/cases"], "many",
             sorted((source / "examples/cases").glob("*.json"))),
        ]
        for name, inputs, _, _ in reports:
            run_bmil(args.bmil, source, [*inputs, "-o", str(tmp / f"{name}.html")])
            run_bmil(args.bmil, source, [*inputs, "-o", str(tmp / f"{name}.csv")])
        chrome = Chromium(args.chromium, str(tmp))
        try:
            chrome.call("Browser.getVersion")
            for name, _, kind, case_files in reports:
                check_report(chrome, name, tmp / f"{name}.html", tmp / f"{name}.csv", case_files,
                             kind, out_dir)
        except Failure as failure:
            print(f"FAILED: {failure}", file=sys.stderr)
            return 1
        finally:
            chrome.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
