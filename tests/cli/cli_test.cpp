// Runs the built `bmil` program on real files and checks output and exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_runner.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

namespace {

using namespace bmil::cli_test;  // NOLINT: test helpers
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
namespace fs = std::filesystem;

TEST(Cli, VersionNamesReleaseAndAbi) {
  RunResult r = RunBmil("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "bmil 0.1.0 (plugin ABI 1.2)\n");
}

TEST(Cli, HelpOnEveryCommandExitsZero) {
  for (const char* command :
       {"", "analyze", "validate", "plugins", "plugins list", "plugins info"}) {
    RunResult r = RunBmil(std::string(command) + " --help");
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_THAT(r.out, HasSubstr("Usage")) << command;
  }
  EXPECT_THAT(RunBmil("--help").out, HasSubstr("4  a plugin call failed"));
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(RunBmil("frobnicate").exit_code, 2);
  EXPECT_EQ(RunBmil("analyze").exit_code, 2);
  EXPECT_EQ(RunBmil("analyze does/not/exist.json").exit_code, 2);
  EXPECT_EQ(RunBmil("analyze " + kKellpo + " --format yaml").exit_code, 2);
}

TEST(Cli, ValidatesExampleCase) {
  RunResult r = RunBmil("validate examples/cases/*.json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(kKellpo + ": ok\n"));
  EXPECT_THAT(r.out, HasSubstr("examples/cases/aikon.json: ok\n"));
}

TEST(Cli, ValidateReportsEveryProblemWithLocation) {
  TempDir dir;
  const fs::path file = dir.path() / "typo.json";
  std::ofstream(file) << R"({
  "bmil": "1.0",
  "business": {"id": "acme", "name": "Acme"},
  "business_models": [{"id": "bm1", "name": "Shop", "state": "asis"}],
  "bmi_tasks": [
    {"id": "t1", "business_model": "bm1", "building_blocks": ["custmers"],
     "leadership_lines": ["customer"]}
  ]
}
)";
  RunResult r = RunBmil("validate " + Quote(file.string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr(file.string() +
                               ":4:62 /business_models/0/state: unknown state "
                               "\"asis\"; expected one of as_is, to_be (did you mean \"as_is\"?)"));
  EXPECT_THAT(r.err, HasSubstr(file.string() +
                               ":6:63 /bmi_tasks/0/building_blocks/0: unknown "
                               "building block \"custmers\" (did you mean \"customers\"?)"));
  EXPECT_THAT(r.err, HasSubstr("\n2 problems in 1 of 1 case\n"));
}

TEST(Cli, AnalyzeRefusesInvalidCaseAndPrintsNothing) {
  TempDir dir;
  const fs::path file = dir.path() / "broken.json";
  std::ofstream(file) << "{\"bmil\": \"1.0\",";
  RunResult r = RunBmil("analyze " + Quote(file.string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr(file.string() + ":1:16"));
}

TEST(Cli, AnalyzePrintsCanvasComputedByPluginLoadedFromDisk) {
  RunResult r = RunBmil("analyze --full " + kKellpo);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("BMIL strategy canvas [canvas]"));
  EXPECT_THAT(r.out, HasSubstr("Canvas: all business models (tasks)"));
  EXPECT_THAT(r.out, HasSubstr("CIL   Customer innovation leadership"));
  EXPECT_THAT(r.out, HasSubstr("\nFindings\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("\033[")));  // piped: no colour codes
  // The manager's summary comes first: Kellpo by name, its 3 AS IS and 2 TO BE models and 14
  // tasks (examples/cases/kellpo.json), and the canvas's 23 used cells of 49.
  EXPECT_THAT(r.out, StartsWith("Summary\n  Kellpo (machinery, DK): 5 business models (3 AS IS, "
                                "2 TO BE), 14 BMI tasks.\n  Canvas: 23 of 49 cells used;"));
}

TEST(Cli, AnalyzeJsonCanvasEqualsIndependentCount) {
  TempDir dir;
  const fs::path out = dir.path() / "kellpo.result.json";
  RunResult r = RunBmil("analyze " + kKellpo + " --format json -o " + Quote(out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  const auto report = nlohmann::json::parse(Slurp(out));
  EXPECT_TRUE(report["failures"].empty());
  const nlohmann::json* canvas = FindAnalyzer(report, "canvas");
  ASSERT_NE(canvas, nullptr);
  for (const auto& [matrix_id, state] :
       {std::pair{"canvas", ""}, std::pair{"canvas.as_is", "as_is"},
        std::pair{"canvas.to_be", "to_be"}}) {
    const nlohmann::json* matrix = FindMatrix(canvas->at("result"), matrix_id);
    ASSERT_NE(matrix, nullptr) << matrix_id;
    auto expected = CountCanvas(kKellpo, state);
    int total = 0;
    for (std::size_t r = 0; r < matrix->at("rows").size(); ++r) {
      for (std::size_t c = 0; c < matrix->at("columns").size(); ++c) {
        const std::string line = matrix->at("rows")[r]["id"];
        const std::string block = matrix->at("columns")[c]["id"];
        const int value = matrix->at("values")[r][c].get<int>();
        EXPECT_EQ(value, (expected[{line, block}])) << matrix_id << " " << line << " x " << block;
        total += value;
      }
    }
    int expected_total = 0;
    for (const auto& [cell, n] : expected) expected_total += n;
    EXPECT_EQ(total, expected_total) << matrix_id << ": a cell outside the registered ids";
  }
  // Every line plugin assessed every business model of the case.
  const auto doc = nlohmann::json::parse(Slurp(fs::path(BMIL_SOURCE_DIR) / kKellpo));
  ASSERT_FALSE(report["lines"].empty());
  for (const auto& line : report["lines"]) {
    EXPECT_EQ(line["assessments"].size(), doc["business_models"].size()) << line["plugin"];
  }
}

TEST(Cli, PluginsListReadsManifestsWithoutLoading) {
  RunResult r = RunBmil("plugins list --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto list = nlohmann::json::parse(r.out);
  std::set<std::string> ids;
  for (const auto& p : list) {
    ids.insert(p["id"].get<std::string>());
    EXPECT_EQ(p["status"], "available") << p["id"];  // never "loaded": nothing ran
  }
  EXPECT_TRUE(ids.count("customer"));
  EXPECT_TRUE(ids.count("canvas"));
  RunResult text = RunBmil("plugins list");
  EXPECT_THAT(text.out, ::testing::ContainsRegex("^ID +KIND +VERSION +STATUS +PATH\n"));
  // The id column fits the longest id ("strategy_profile", 16 characters) with room to spare.
  EXPECT_THAT(text.out,
              ::testing::ContainsRegex("\nstrategy_profile  analyzer  1\\.0\\.0 +available  /"));
}

TEST(Cli, PluginsInfoDescribesLine) {
  RunResult r = RunBmil("plugins info customer --describe");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto info = nlohmann::json::parse(r.out);
  EXPECT_EQ(info["kind"], "line");
  EXPECT_EQ(info["status"], "loaded");
  EXPECT_EQ(info["descriptor"]["code"], "CIL");
  EXPECT_EQ(info["descriptor"]["questions"].size(), 7u);
  const nlohmann::json not_stated = nlohmann::json::array({"not stated in the source"});
  EXPECT_EQ(info["descriptor"]["swot"]["opportunities"], not_stated);
  EXPECT_EQ(RunBmil("plugins info nosuchplugin").exit_code, 1);
}

TEST(Cli, FailingPluginDoesNotTakeOtherResultsWithIt) {
  TempDir dir;
  fs::copy(fs::path(BMIL_FIXTURE_PLUGIN_DIR) / "throwing_analyzer",
           dir.path() / "throwing_analyzer", fs::copy_options::recursive);
  const fs::path out = dir.path() / "result.json";
  RunResult r = RunBmil("--plugin-dir " + Quote(dir.path().string()) + " analyze " + kKellpo +
                        " --format json -o " + Quote(out.string()));
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.err,
              HasSubstr("plugin \"throwing_analyzer\": add failed (internal error): boom in add"));
  const auto report = nlohmann::json::parse(Slurp(out));
  ASSERT_EQ(report["failures"].size(), 1u);
  EXPECT_EQ(report["failures"][0]["call"], "add");
  const nlohmann::json* canvas = FindAnalyzer(report, "canvas");
  ASSERT_NE(canvas, nullptr);
  EXPECT_NE(FindMatrix(canvas->at("result"), "canvas"), nullptr);
}

// Issue 17: the terminal shows the manager's summary and the canvas by default, a screen
// of text (Kellpo: 5 actions of 19 findings, the 7 x 7 canvas), and says how to see the
// rest; --full adds every analyzer's section and every finding after the same summary.
TEST(Cli, AnalyzePrintsTheSummaryByDefaultAndEverythingWithFull) {
  const RunResult brief = RunBmil("analyze " + kKellpo);
  ASSERT_EQ(brief.exit_code, 0) << brief.err;
  EXPECT_EQ(brief.out.rfind("Summary\n  Kellpo (machinery, DK)", 0), 0u) << brief.out;
  EXPECT_THAT(brief.out, HasSubstr("Act on first (5 of 19 findings"));
  EXPECT_THAT(brief.out,
              HasSubstr("CIL   Customer innovation leadership    |  3  5  .  .  1  .  1"));
  EXPECT_THAT(brief.out, HasSubstr("Every finding (19) and the metrics and tables of 10 "
                                   "analyzers: add --full."));
  EXPECT_THAT(brief.out, Not(HasSubstr("[canvas]")));
  EXPECT_THAT(brief.out, Not(HasSubstr("\nFindings\n")));
  const auto lines = std::count(brief.out.begin(), brief.out.end(), '\n');
  EXPECT_LE(lines, 50) << brief.out;
  std::istringstream text(brief.out);
  for (std::string line; std::getline(text, line);) EXPECT_LE(line.size(), 80u) << line;

  const RunResult full = RunBmil("analyze --full " + kKellpo);
  ASSERT_EQ(full.exit_code, 0) << full.err;
  // The same summary, up to where the brief output says how to see the rest.
  const std::size_t canvas = brief.out.find("\nCanvas: all business models");
  EXPECT_EQ(full.out.substr(0, brief.out.find("evidence: --full")),
            brief.out.substr(0, brief.out.find("evidence: --full")));
  EXPECT_NE(canvas, std::string::npos);
  EXPECT_THAT(full.out, HasSubstr("BMIL strategy canvas [canvas]"));
  EXPECT_THAT(full.out, HasSubstr("\nFindings\n"));
  EXPECT_GT(std::count(full.out.begin(), full.out.end(), '\n'), 10 * lines);
}

TEST(Cli, RefusedPluginIsReportedAndRunGoesOn) {
  TempDir dir;
  std::ofstream(dir.path() / "fake.so") << "not a shared library";
  RunResult r = RunBmil("--plugin-dir " + Quote(dir.path().string()) + " analyze " + kKellpo);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("plugin refused: " + (dir.path() / "fake.so").string() +
                               ": cannot read manifest: "));
  EXPECT_THAT(r.out, HasSubstr("Canvas: all business models (tasks)"));
}

TEST(Cli, NeverSearchesCurrentDirectory) {
  TempDir dir;
  fs::copy(fs::path(BMIL_FIXTURE_PLUGIN_DIR) / "counting_analyzer" / "counting_analyzer.so",
           dir.path() / "counting_analyzer.so");
  const std::string command = "cd " + Quote(dir.path().string()) + " && " + Quote(BmilExe()) +
                              " plugins list --format json > " +
                              Quote((dir.path() / "out.json").string());
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_THAT(Slurp(dir.path() / "out.json"), Not(HasSubstr("counting_analyzer")));
}

TEST(Cli, PluginPathFromEnvironmentIsSearched) {
  TempDir dir;
  fs::copy(fs::path(BMIL_FIXTURE_PLUGIN_DIR) / "counting_analyzer" / "counting_analyzer.so",
           dir.path() / "counting_analyzer.so");
  RunResult r = RunBmil("plugins list --format json",
                        "BMIL_PLUGIN_PATH=" + Quote(std::string(":").append(dir.path().string())));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"counting_analyzer\""));
}

}  // namespace
