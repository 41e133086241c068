// `bmil diff` on real files (issue 18, docs/control.md "Snapshots"): the paper's Provital
// against a copy edited as a year could change it (a task added, one completed, a revenue
// figure up, the strategy made explicit), in JSON, text and Markdown; two businesses
// refused; a broken case located; --exit-code; an output onto an input refused.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

namespace bmil::cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

const std::string kProvital = "examples/cases/provital.json";

nlohmann::json Provital() {
  return nlohmann::json::parse(Slurp(fs::path(BMIL_SOURCE_DIR) / kProvital));
}

nlohmann::json& ById(nlohmann::json& list, const std::string& id) {
  return *std::find_if(list.begin(), list.end(),
                       [&](const nlohmann::json& item) { return item.at("id") == id; });
}

// `c` written to `dir`/`name`, as text whose positions the tests can find.
std::string Write(const TempDir& dir, const std::string& name, const nlohmann::json& c) {
  const fs::path path = dir.path() / name;
  std::ofstream(path, std::ios::binary) << c.dump(2) << "\n";
  return path.string();
}

// Provital a year on: pv08 completed in February 2013, a new task on the mobile units, the
// water cleaning revenue from 6,200,000 to 7,000,000 DKK, an explicit strategy with one
// more goal.
nlohmann::json AYearOn() {
  nlohmann::json c = Provital();
  nlohmann::json& pv08 = ById(c["bmi_tasks"], "pv08");
  pv08["status"] = "completed";
  pv08["period"]["end"] = "2013-02";
  c["bmi_tasks"].push_back(
      {{"id", "pv14"},
       {"business_model", "mobile_units"},
       {"description", "Test the rental model with two contractors."},
       {"building_blocks", nlohmann::json::array({"customers", "value_formula"})},
       {"leadership_lines", nlohmann::json::array({"customer"})},
       {"status", "planned"}});
  ById(c["business_models"], "water_cleaning")["building_blocks"]["value_formula"]["revenue"] =
      7000000;
  c["strategy"]["explicit"] = true;
  c["strategy"]["goals"].push_back("rent out mobile units from 2014");
  return c;
}

TEST(CaseDiffCommand, AYearOfProvitalAsJson) {
  TempDir dir;
  const std::string edited = Write(dir, "provital-2013.json", AYearOn());
  const RunResult r = RunBmil("diff " + kProvital + " " + Quote(edited) + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("bmil_case_diff"), "1.0");
  EXPECT_EQ(j.at("old"), (nlohmann::json{{"file", kProvital}, {"business", "provital"}}));
  EXPECT_EQ(j.at("new").at("file"), edited);
  const auto& summary = j.at("summary");
  EXPECT_EQ(summary.at("differ"), true);
  EXPECT_EQ(summary.at("models_changed"), 1);
  EXPECT_EQ(summary.at("models_created"), 0);
  EXPECT_EQ(summary.at("tasks_added"), 1);
  EXPECT_EQ(summary.at("tasks_completed"), 1);
  EXPECT_EQ(summary.at("tasks_changed"), 0);
  EXPECT_EQ(summary.at("strategy_changed"), true);
  EXPECT_EQ(summary.at("text"), "1 model changed; 1 task added, 1 completed; strategy changed");

  ASSERT_EQ(j.at("models").size(), 1u);
  const auto& water = j.at("models")[0];
  EXPECT_EQ(water.at("id"), "water_cleaning");
  EXPECT_EQ(water.at("kind"), "changed");
  ASSERT_EQ(water.at("changes").size(), 1u);
  const auto& revenue = water.at("changes")[0];
  EXPECT_EQ(revenue.at("field"), "value_formula.revenue");
  EXPECT_EQ(revenue.at("from"), 6200000);
  EXPECT_EQ(revenue.at("to"), 7000000);
  EXPECT_DOUBLE_EQ(revenue.at("relative_change").get<double>(), 800000.0 / 6200000.0);

  // NEW's order: pv08 stands before the appended pv14.
  const auto& tasks = j.at("tasks");
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].at("id"), "pv08");
  EXPECT_EQ(tasks[0].at("kind"), "completed");
  EXPECT_EQ(tasks[0].at("changes"),
            nlohmann::json::parse(R"([{"field": "period.end", "from": null, "to": "2013-02"},
                                      {"field": "status", "from": "ongoing", "to": "completed"}])"));
  EXPECT_EQ(tasks[1].at("id"), "pv14");
  EXPECT_EQ(tasks[1].at("kind"), "added");
  EXPECT_EQ(tasks[1].at("business_model"), "mobile_units");
  EXPECT_EQ(tasks[1].at("status"), "planned");

  EXPECT_EQ(j.at("strategy"), nlohmann::json::parse(R"([
      {"field": "explicit", "from": false, "to": true},
      {"field": "goals",
       "from": ["sell the water cleaning model in more industries",
                "earn more from installed units"],
       "to": ["sell the water cleaning model in more industries",
              "earn more from installed units", "rent out mobile units from 2014"],
       "added": ["rent out mobile units from 2014"], "removed": []}])"));
  EXPECT_EQ(j.at("portfolios"), nlohmann::json::array());
  EXPECT_EQ(j.at("other"), nlohmann::json::array());
}

TEST(CaseDiffCommand, AYearOfProvitalAsTextAndMarkdown) {
  TempDir dir;
  nlohmann::json c = AYearOn();
  // A name that would clear the screen if it reached the terminal raw.
  ById(c["business_models"], "mobile_units")["name"] = "Mobile units\u001b[2J";
  const std::string edited = Write(dir, "provital-2013.json", c);
  const RunResult r = RunBmil("diff " + kProvital + " " + Quote(edited));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("2 models changed; 1 task added, 1 completed; strategy changed\n"
                                "Case: provital (Provital)\nOld:  " +
                                kProvital + "\n"));
  EXPECT_THAT(r.out, HasSubstr("\n  changed    water_cleaning: Water cleaning BM\n"
                               "             value_formula.revenue: 6,200,000 -> 7,000,000 "
                               "(+12.9%)\n"));
  EXPECT_THAT(r.out, HasSubstr("\n  changed    mobile_units: Mobile units\\x1b[2J\n"));
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_THAT(r.out, HasSubstr("\nBMI tasks\n  completed  pv08 on water_cleaning\n"
                               "             period.end: (none) -> 2013-02\n"
                               "             status: ongoing -> completed\n"
                               "  added      pv14 on mobile_units, planned\n"
                               "             \"Test the rental model with two contractors.\"\n"));
  EXPECT_THAT(r.out, HasSubstr("\nStrategy\n  explicit: false -> true\n"
                               "  goals: added \"rent out mobile units from 2014\"\n"));
  EXPECT_THAT(LinesOver80(r.out), IsEmpty());

  // Markdown to a file named .md, nothing on stdout.
  const fs::path md = dir.path() / "changes.md";
  const RunResult to_file =
      RunBmil("diff " + kProvital + " " + Quote(edited) + " -o " + Quote(md.string()));
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_EQ(to_file.out, "");
  const std::string markdown = Slurp(md);
  EXPECT_THAT(markdown, StartsWith("# Case provital (Provital): what changed\n\n"));
  EXPECT_THAT(markdown, HasSubstr("\n## BMI tasks\n\n- **completed** pv08 on water_cleaning\n"
                                  "  - period.end: (none) -> 2013-02\n"));
  EXPECT_EQ(markdown.find('\x1b'), std::string::npos);
}

TEST(CaseDiffCommand, ExitCodeSaysWhetherTheCasesDiffer) {
  TempDir dir;
  const std::string edited = Write(dir, "edited.json", AYearOn());
  const std::string same = Write(dir, "same.json", Provital());
  const RunResult differ = RunBmil("diff --exit-code " + kProvital + " " + Quote(edited));
  EXPECT_EQ(differ.exit_code, 1);
  EXPECT_THAT(differ.out, StartsWith("1 model changed; 1 task added, 1 completed"));
  const RunResult equal = RunBmil("diff --exit-code " + kProvital + " " + Quote(same));
  EXPECT_EQ(equal.exit_code, 0) << equal.err;
  EXPECT_THAT(equal.out, StartsWith("No differences\n"));
  const RunResult json = RunBmil("diff " + kProvital + " " + Quote(same) + " --format json");
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out).at("summary").at("differ"), false);
}

TEST(CaseDiffCommand, TwoBusinessesAreRefused) {
  const RunResult r = RunBmil("diff " + kKellpo + " " + kProvital);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr(kKellpo + " and " + kProvital +
                               " are cases of different businesses (\"kellpo\" and "
                               "\"provital\"); bmil diff compares two versions of one case"));
}

TEST(CaseDiffCommand, ABrokenCaseIsLocated) {
  TempDir dir;
  nlohmann::json c = Provital();
  c["business_models"][0]["state"] = "asis";
  const std::string broken = Write(dir, "broken.json", c);
  const std::string text = Slurp(broken);
  // Where the misspelt value stands in the file.
  const std::size_t at = text.find("\"asis\"");
  const std::size_t line = 1 + std::count(text.begin(), text.begin() + at, '\n');
  const std::size_t column = at - text.rfind('\n', at);
  const RunResult r = RunBmil("diff " + kProvital + " " + Quote(broken));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr(broken + ":" + std::to_string(line) + ":" + std::to_string(column) +
                               " /business_models/0/state: unknown state \"asis\""));
}

TEST(CaseDiffCommand, AnOutputOntoAnInputIsRefused) {
  TempDir dir;
  const std::string edited = Write(dir, "edited.json", AYearOn());
  const std::string before = Slurp(edited);
  const RunResult r =
      RunBmil("diff " + kProvital + " " + Quote(edited) + " --format json -o " + Quote(edited));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Slurp(edited), before);
}

}  // namespace
}  // namespace bmil::cli_test
