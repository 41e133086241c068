// `bmil report`: the format from the extension or --format, the HTML report of real cases
// (canvas counts recomputed from the case files, escaping, no URLs or scripts), the
// cross-case layout, and a plugin the host has never seen showing up in HTML, Markdown
// and CSV alike.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_runner.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace bmil::cli_test;  // NOLINT: test helpers
using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

using Cells = std::map<std::pair<std::string, std::string>, std::string>;

// The part of `html` from the element with id `id` to the end of its figure.
std::string Figure(const std::string& html, const std::string& id) {
  const auto begin = html.find("id=\"" + id + "\"");
  if (begin == std::string::npos) return "";
  return html.substr(begin, html.find("</figure>", begin) - begin);
}

Cells HeatmapCells(const std::string& figure) {
  Cells cells;
  const std::regex re("data-row=\"([^\"]*)\" data-column=\"([^\"]*)\" data-value=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(figure.begin(), figure.end(), re);
       it != std::sregex_iterator(); ++it)
    cells[{(*it)[1], (*it)[2]}] = (*it)[3];
  return cells;
}

// (series, category) -> value of every bar in a chart figure.
Cells Bars(const std::string& figure) {
  Cells bars;
  const std::regex re(
      "class=\"bar\" data-series=\"([^\"]*)\" data-category=\"([^\"]*)\" data-value=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(figure.begin(), figure.end(), re);
       it != std::sregex_iterator(); ++it)
    bars[{(*it)[1], (*it)[2]}] = (*it)[3];
  return bars;
}

std::string Text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// The novel_analyzer fixture's figures, counted here from the case file: tasks and effort
// per action, tasks per (action, phase).
struct NovelCounts {
  std::map<std::string, int> tasks;
  std::map<std::string, double> effort;
  std::map<std::pair<std::string, std::string>, int> by_phase;
};

NovelCounts CountNovel(const std::string& file) {
  const auto doc = nlohmann::json::parse(Slurp(fs::path(BMIL_SOURCE_DIR) / file));
  NovelCounts n;
  for (const auto& task : doc["bmi_tasks"]) {
    const std::string action = task.value("action", "not_stated");
    const std::string phase = task.value("phase", "not_stated");
    ++n.tasks[action];
    n.effort[action] += task.value("effort", 0.0);
    ++n.by_phase[{action, phase}];
  }
  return n;
}

// A plugin directory holding only the novel_analyzer fixture.
fs::path NovelPluginDir(const TempDir& dir) {
  return FixturePluginDir(dir.path(), "novel_analyzer");
}

TEST(ReportCommand, FormatComesFromTheExtensionOrTheOption) {
  TempDir dir;
  for (const char* name : {"r.html", "r.htm", "R.HTML"}) {
    RunResult r = RunBmil("report " + kKellpo + " -o " + Quote((dir.path() / name).string()));
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_EQ(Slurp(dir.path() / name).rfind("<!DOCTYPE html>", 0), 0u) << name;
  }
  RunResult forced =
      RunBmil("report " + kKellpo + " --format html -o " + Quote((dir.path() / "r.txt").string()));
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(Slurp(dir.path() / "r.txt").rfind("<!DOCTYPE html>", 0), 0u);
  RunResult to_stdout = RunBmil("report " + kKellpo + " --format html -o -");
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  EXPECT_THAT(to_stdout.out, HasSubstr("<h1>BMIL report: Kellpo</h1>"));

  RunResult unknown =
      RunBmil("report " + kKellpo + " -o " + Quote((dir.path() / "r.pdf").string()));
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("use a .html, .md or .csv file"));
  EXPECT_FALSE(fs::exists(dir.path() / "r.pdf"));
  EXPECT_EQ(RunBmil("report " + kKellpo + " --format pdf -o x.pdf").exit_code, 2);
  EXPECT_THAT(RunBmil("report --help").out, HasSubstr("html, md or csv"));
}

TEST(ReportCommand, HtmlCanvasCellsCountTheCasesTasks) {
  TempDir dir;
  const fs::path out = dir.path() / "kellpo.html";
  RunResult r = RunBmil("report " + kKellpo + " -o " + Quote(out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = Slurp(out);
  for (const auto& [figure, state] :
       std::vector<std::pair<std::string, std::string>>{{"fig-canvas-canvas", ""},
                                                        {"fig-canvas-canvas-as_is", "as_is"},
                                                        {"fig-canvas-canvas-to_be", "to_be"}}) {
    const Cells cells = HeatmapCells(Figure(html, figure));
    ASSERT_EQ(cells.size(), 49u) << figure;
    const auto expected = CountCanvas(kKellpo, state);
    int total = 0;
    for (const auto& [cell, value] : cells) {
      const auto it = expected.find(cell);
      EXPECT_EQ(value, std::to_string(it == expected.end() ? 0 : it->second))
          << figure << " " << cell.first << " x " << cell.second;
      total += std::stoi(value);
    }
    int expected_total = 0;
    for (const auto& [cell, n] : expected) expected_total += n;
    EXPECT_EQ(total, expected_total) << figure;
  }
}

TEST(ReportCommand, HtmlIsSelfContained) {
  TempDir dir;
  const fs::path out = dir.path() / "kellpo.html";
  ASSERT_EQ(RunBmil("report " + kKellpo + " -o " + Quote(out.string())).exit_code, 0);
  const std::string html = Slurp(out);
  for (const char* banned :
       {"http://", "https://", "<script", "<link", "<img", "<iframe", "url(", "@import", " src="}) {
    EXPECT_THAT(html, Not(HasSubstr(banned))) << banned;
  }
  const std::regex href("href=\"([^\"]*)\"");
  std::size_t links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator();
       ++it, ++links) {
    const std::string target = (*it)[1];
    ASSERT_EQ(target.substr(0, 1), "#") << target;
    EXPECT_THAT(html, HasSubstr("id=\"" + target.substr(1) + "\"")) << "dangling link " << target;
  }
  EXPECT_GT(links, 20u);
}

TEST(ReportCommand, HtmlShowsCaseTextAsText) {
  TempDir dir;
  auto doc = nlohmann::json::parse(Slurp(fs::path(BMIL_SOURCE_DIR) / kKellpo));
  doc["business"]["name"] = "<script>alert(\"pwned\")</script> & Sons";
  doc["business_models"][0]["name"] = "<img src=x onerror=alert(1)>";
  const fs::path input = dir.path() / "evil.json";
  std::ofstream(input) << doc.dump();
  const fs::path out = dir.path() / "evil.html";
  RunResult r = RunBmil("report " + Quote(input.string()) + " -o " + Quote(out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = Slurp(out);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html,
              HasSubstr("<h1>BMIL report: &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; "
                        "&amp; Sons</h1>"));
  EXPECT_THAT(html, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
}

TEST(ReportCommand, SeveralBusinessesGetTheCrossCaseLayout) {
  TempDir dir;
  const fs::path html_out = dir.path() / "cases.html";
  const fs::path md_out = dir.path() / "cases.md";
  ASSERT_EQ(RunBmil("report examples/cases -o " + Quote(html_out.string())).exit_code, 0);
  ASSERT_EQ(RunBmil("report examples/cases -o " + Quote(md_out.string())).exit_code, 0);
  const std::string html = Slurp(html_out);
  EXPECT_THAT(html, HasSubstr("<section id=\"businesses\">"));
  EXPECT_THAT(html, Not(HasSubstr("<section id=\"business\">")));
  EXPECT_THAT(html, HasSubstr("<h1>BMIL report: 5 businesses</h1>"));
  for (const char* id : {"aikon", "infolink", "katalabs", "kellpo", "provital"})
    EXPECT_THAT(html, HasSubstr(std::string("<tr data-business=\"") + id + "\">")) << id;
  // The canvas sums every business's tasks.
  std::map<std::pair<std::string, std::string>, int> expected;
  for (const char* file : {"aikon", "infolink", "katalabs", "kellpo", "provital"}) {
    for (const auto& [cell, n] : CountCanvas(std::string("examples/cases/") + file + ".json", ""))
      expected[cell] += n;
  }
  const Cells cells = HeatmapCells(Figure(html, "fig-canvas-canvas"));
  ASSERT_EQ(cells.size(), 49u);
  for (const auto& [cell, value] : cells) {
    const auto it = expected.find(cell);
    EXPECT_EQ(value, std::to_string(it == expected.end() ? 0 : it->second));
  }
  // Markdown: one line per business instead of a business's portfolio.
  const std::string md = Slurp(md_out);
  EXPECT_THAT(md, HasSubstr("\n## Businesses\n"));
  EXPECT_THAT(md, Not(HasSubstr("## Business: ")));
  EXPECT_THAT(md,
              HasSubstr("| 4 | Kellpo (`kellpo`) | machinery | DK | medium | 5 | 3 | 2 | 14 |"));
}

// A plugin nobody told the host about: its metric, bar-chart table, heatmap and finding
// appear in all three formats.
TEST(ReportCommand, UnseenPluginAppearsInEveryFormat) {
  TempDir dir;
  const fs::path plugins = NovelPluginDir(dir);
  const NovelCounts n = CountNovel(kKellpo);
  ASSERT_EQ(n.tasks.size(), 4u);  // Kellpo: create, exclude, upgrade, diminish
  std::map<std::string, std::string> files;
  for (const char* ext : {"html", "md", "csv"}) {
    const fs::path out = dir.path() / (std::string("novel.") + ext);
    RunResult r = RunBmil("--plugin-dir " + Quote(plugins.string()) + " report " + kKellpo +
                          " -o " + Quote(out.string()));
    ASSERT_EQ(r.exit_code, 0) << ext << ": " << r.err;
    files[ext] = Slurp(out);
  }

  const std::string& html = files["html"];
  ASSERT_THAT(html, HasSubstr("<section class=\"analyzer\" id=\"analyzer-novel_analyzer\""));
  const Cells bars = Bars(Figure(html, "chart-novel_analyzer-effort_by_action"));
  ASSERT_EQ(bars.size(), 10u);  // 5 actions x 2 series
  for (const char* action : {"create", "exclude", "keep", "upgrade", "diminish"}) {
    const int tasks = n.tasks.count(action) ? n.tasks.at(action) : 0;
    const double effort = n.effort.count(action) ? n.effort.at(action) : 0;
    EXPECT_EQ(bars.at({"tasks", action}), std::to_string(tasks)) << action;
    EXPECT_EQ(bars.at({"effort", action}), Text(effort)) << action;
    // The same figures in the HTML table.
    EXPECT_THAT(html, HasSubstr(std::string("<tr><td>") + action + "</td><td class=\"num\">" +
                                std::to_string(tasks) + "</td><td class=\"num\">" + Text(effort) +
                                "</td></tr>"));
  }
  const Cells matrix = HeatmapCells(Figure(html, "novel_analyzer-action_by_phase"));
  ASSERT_EQ(matrix.size(), 24u);  // 6 actions x 4 phases
  for (const auto& [cell, value] : matrix) {
    const auto it = n.by_phase.find(cell);
    EXPECT_EQ(value, std::to_string(it == n.by_phase.end() ? 0 : it->second))
        << cell.first << " x " << cell.second;
  }
  double effort_total = 0;
  for (const auto& [action, e] : n.effort) effort_total += e;
  EXPECT_THAT(html, HasSubstr("data-metric=\"effort_total\"><th scope=\"row\">Novel effort "
                              "total</th><td class=\"num\">" +
                              Text(effort_total) + "</td><td>person-months</td>"));
  EXPECT_THAT(html, HasSubstr("Novel finding: effort &lt;counted&gt; &amp; summed over 14 tasks"));
  EXPECT_THAT(html, HasSubstr("Source: Test fixture &lt;novel_analyzer&gt;"));

  const std::string& md = files["md"];
  EXPECT_THAT(md, HasSubstr("## Effort by strategic action (`novel_analyzer`)"));
  EXPECT_THAT(md, HasSubstr("### Novel effort by action"));
  EXPECT_THAT(md, HasSubstr("| upgrade | " + std::to_string(n.tasks.at("upgrade")) + " | " +
                            Text(n.effort.at("upgrade")) + " |"));
  EXPECT_THAT(md, HasSubstr("### Novel tasks by action and phase (tasks)"));
  EXPECT_THAT(md, HasSubstr("**novel_analyzer.effort_counted** (novel_analyzer)"));

  const std::string& csv = files["csv"];
  EXPECT_THAT(
      csv, HasSubstr("novel_analyzer,metrics,effort_total,value," + Text(effort_total) + "\r\n"));
  // Rows in action order (create, exclude, keep, upgrade, diminish): upgrade is row 4.
  EXPECT_THAT(csv, HasSubstr("novel_analyzer,effort_by_action,4,action,upgrade\r\n"));
  EXPECT_THAT(csv, HasSubstr("novel_analyzer,effort_by_action,4,tasks," +
                             std::to_string(n.tasks.at("upgrade")) + "\r\n"));
  EXPECT_THAT(csv, HasSubstr("novel_analyzer,action_by_phase,create,before," +
                             std::to_string(n.by_phase.at({"create", "before"})) + "\r\n"));
  EXPECT_THAT(csv, HasSubstr("novel_analyzer,findings,1,code,novel_analyzer.effort_counted\r\n"));
}

}  // namespace

namespace bmil::cli_test {
namespace {

// One format for shares everywhere (issue 17): a number column of shares (block_focus's
// "TO BE minus AS IS") is a percentage with one decimal in text and Markdown, as the share
// columns beside it, not a raw fraction. Kellpo's value proposition: 7 of 19 AS IS block
// mentions (36.84%), 2 of 9 TO BE (22.22%): -14.62 points, "-14.6%"; network 2/19 = 10.53%,
// 1/9 = 11.11%: +0.58, "0.6%".
TEST(ReportCommand, ShareDifferencesArePercentagesInTextAndMarkdown) {
  TempDir dir;
  const RunResult text = RunBmil("analyze examples/cases/kellpo.json --full");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out,
              ::testing::ContainsRegex(
                  "value_proposition +Value proposition +7 +36\\.8% +2 +22\\.2% +-14\\.6%"));
  EXPECT_THAT(text.out,
              ::testing::ContainsRegex("network +Network +2 +10\\.5% +1 +11\\.1% +0\\.6%"));
  const std::string md = (dir.path() / "k.md").string();
  const RunResult report = RunBmil("report examples/cases/kellpo.json --format md -o " + Quote(md));
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(Slurp(md),
              ::testing::HasSubstr(
                  "| value_proposition | Value proposition | 7 | 36.8% | 2 | 22.2% | -14.6% |"));
}

}  // namespace
}  // namespace bmil::cli_test
