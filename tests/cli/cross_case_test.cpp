// `bmil analyze` and `bmil validate` over many businesses: directories, JSONL files, group-by.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_runner.hpp"

#include <set>
#include <sstream>
#include <string>

namespace {

using namespace bmil::cli_test;  // NOLINT: test helpers
using ::testing::HasSubstr;
namespace fs = std::filesystem;

const std::vector<std::string> kCases = {"aikon", "infolink", "katalabs", "kellpo", "provital"};

nlohmann::json ReadCase(const std::string& name) {
  return nlohmann::json::parse(
      Slurp(fs::path(BMIL_SOURCE_DIR) / "examples" / "cases" / (name + ".json")));
}

double MetricOf(const nlohmann::json& report, const std::string& analyzer, const std::string& id) {
  const nlohmann::json* a = FindAnalyzer(report, analyzer);
  if (a == nullptr) return -1;
  for (const auto& m : a->at("result").at("metrics"))
    if (m["id"] == id) return m["value"].get<double>();
  return -1;
}

// The five cases as one JSONL file, one minified case per line, in kCases order.
fs::path WriteJsonl(const fs::path& dir, int bad_line = 0) {
  const fs::path file = dir / "cases.jsonl";
  std::ofstream out(file);
  int line = 0;
  for (const auto& name : kCases) {
    nlohmann::json doc = ReadCase(name);
    if (++line == bad_line) doc["business_models"][0]["state"] = "asis";
    out << doc.dump() << "\n";
  }
  return file;
}

TEST(CrossCase, DirectoryCountsEveryCaseOnce) {
  RunResult r = RunBmil("analyze examples/cases --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["cases"], nlohmann::json(kCases));  // sorted path order
  int tasks = 0, models = 0, placements = 0;
  for (const auto& name : kCases) {
    const auto doc = ReadCase(name);
    tasks += static_cast<int>(doc["bmi_tasks"].size());
    models += static_cast<int>(doc["business_models"].size());
    for (const auto& [cell, n] : CountCanvas("examples/cases/" + name + ".json", ""))
      placements += n;
  }
  EXPECT_EQ(MetricOf(report, "canvas", "businesses"), 5);
  EXPECT_EQ(MetricOf(report, "canvas", "business_models"), models);
  EXPECT_EQ(MetricOf(report, "canvas", "tasks"), tasks);
  EXPECT_EQ(MetricOf(report, "canvas", "placements"), placements);
}

TEST(CrossCase, JsonlGivesTheSameResultsAsTheFiles) {
  TempDir dir;
  const fs::path jsonl = WriteJsonl(dir.path());
  RunResult from_jsonl = RunBmil("analyze " + Quote(jsonl.string()) + " --format json");
  RunResult from_dir = RunBmil("analyze examples/cases --format json");
  ASSERT_EQ(from_jsonl.exit_code, 0) << from_jsonl.err;
  ASSERT_EQ(from_dir.exit_code, 0) << from_dir.err;
  auto a = nlohmann::json::parse(from_jsonl.out);
  auto b = nlohmann::json::parse(from_dir.out);
  EXPECT_EQ(a["analyzers"], b["analyzers"]);
  EXPECT_EQ(a["lines"], b["lines"]);
  RunResult valid = RunBmil("validate " + Quote(jsonl.string()));
  EXPECT_EQ(valid.exit_code, 0);
  EXPECT_EQ(valid.out, jsonl.string() + ": 5 valid cases\n");
}

TEST(CrossCase, JsonlProblemsCarryTheRecordsLineNumber) {
  TempDir dir;
  const fs::path jsonl = WriteJsonl(dir.path(), /*bad_line=*/2);
  RunResult r = RunBmil("analyze " + Quote(jsonl.string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  // Line 2 is infolink; the bad value's column is where "asis" starts in that line.
  std::ifstream in(jsonl);
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  const std::size_t column = line.find("\"asis\"") + 1;
  EXPECT_THAT(r.err, HasSubstr(jsonl.string() + ":2:" + std::to_string(column) +
                               " /business_models/0/state: unknown state \"asis\""));
  EXPECT_THAT(r.err, HasSubstr("1 problem in 1 of 5 cases"));
}

TEST(CrossCase, RefusesTheSameBusinessTwice) {
  RunResult r = RunBmil("analyze examples/cases examples/cases/kellpo.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("examples/cases/kellpo.json: duplicate business id \"kellpo\" "
                               "(first in examples/cases/kellpo.json)"));
}

TEST(CrossCase, GroupByGivesEachGroupItsOwnResults) {
  RunResult r = RunBmil("analyze examples/cases --by size --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto grouped = nlohmann::json::parse(r.out);
  EXPECT_EQ(grouped["group_by"], "size");
  // Independently: businesses and tasks per size.
  std::map<std::string, std::pair<int, int>> expected;
  for (const auto& name : kCases) {
    const auto doc = ReadCase(name);
    auto& e = expected[doc["business"].value("size", "(not stated)")];
    ++e.first;
    e.second += static_cast<int>(doc["bmi_tasks"].size());
  }
  ASSERT_EQ(grouped["groups"].size(), expected.size());
  for (const auto& group : grouped["groups"]) {
    const auto& e = expected[group["group"].get<std::string>()];
    EXPECT_EQ(group["cases"], e.first) << group["group"];
    EXPECT_EQ(MetricOf(group["report"], "canvas", "businesses"), e.first) << group["group"];
    EXPECT_EQ(MetricOf(group["report"], "canvas", "tasks"), e.second) << group["group"];
  }
  RunResult text = RunBmil("analyze examples/cases --by size");
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.out,
              HasSubstr("Grouped by size: " + std::to_string(expected.size()) + " groups"));
  EXPECT_THAT(text.out, HasSubstr("Findings per group"));
}

}  // namespace

namespace {

// The rows of table `table` of analyzer `analyzer` in an analyze JSON document.
std::size_t ListedRows(const nlohmann::json& doc, const std::string& analyzer,
                       const std::string& table) {
  for (const auto& a : doc.at("analyzers")) {
    if (a.at("plugin") != analyzer) continue;
    for (const auto& t : a.at("result").at("tables"))
      if (t.at("id") == table) return t.at("rows").size();
  }
  ADD_FAILURE() << analyzer << " has no table " << table;
  return 0;
}

// Lines of `text` that start with `prefix`.
std::size_t LinesStartingWith(const std::string& text, const std::string& prefix) {
  std::size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) n += line.rfind(prefix, 0) == 0;
  return n;
}

}  // namespace

// Issue 20 through the CLI: --max-rows N and --all reach the analyzers of analyze and
// report, and over several businesses each finding that names its businesses says so in
// the text and the Markdown report, as many as the JSON has.
TEST(CrossCase, ListingCapsAndFindingBusinessesReachTheOutputs) {
  TempDir dir;
  // The five example cases hold 21 business models: vertical lists one row each.
  RunResult capped = RunBmil("analyze examples/cases --format json --max-rows 2");
  ASSERT_EQ(capped.exit_code, 0) << capped.err;
  EXPECT_EQ(ListedRows(nlohmann::json::parse(capped.out), "vertical", "business_models"), 2u);
  RunResult all = RunBmil("analyze examples/cases --format json --all");
  ASSERT_EQ(all.exit_code, 0) << all.err;
  const auto doc = nlohmann::json::parse(all.out);
  EXPECT_EQ(ListedRows(doc, "vertical", "business_models"), 21u);
  const fs::path md = dir.path() / "cases.md";
  ASSERT_EQ(RunBmil("report examples/cases --max-rows 2 -o " + Quote(md.string())).exit_code, 0);
  EXPECT_THAT(Slurp(md), HasSubstr("(first 2 models)"));

  std::size_t named = 0;  // analyzer findings with businesses, by default caps
  RunResult json = RunBmil("analyze examples/cases --format json");
  const auto analysis = nlohmann::json::parse(json.out);
  for (const auto& a : analysis.at("analyzers"))
    for (const auto& f : a.at("result").at("findings")) named += f.contains("businesses");
  ASSERT_GT(named, 0u);
  RunResult text = RunBmil("analyze examples/cases --full");
  EXPECT_EQ(LinesStartingWith(text.out, "      businesses: "), named);
  ASSERT_EQ(RunBmil("report examples/cases -o " + Quote(md.string())).exit_code, 0);
  EXPECT_EQ(LinesStartingWith(Slurp(md), "  - *Businesses:* "), named);
}
