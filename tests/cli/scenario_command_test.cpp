// `bmil scenario apply|diff|hash` on real files (issue 15, docs/scenarios.md): the example
// scenarios apply to their bases and give valid cases, the base is never written, another
// base is refused, and two alternatives are compared move by move.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

namespace bmil::cli_test {
namespace {

using ::testing::HasSubstr;

const fs::path kDir = fs::path(BMIL_SOURCE_DIR) / "examples" / "scenarios";

struct Example {
  std::string scenario;
  std::string base;
};
const std::vector<Example> kExamples = {{"aikon-focus", "aikon-2010.json"},
                                        {"aikon-keep", "aikon-2010.json"},
                                        {"provital-carwash-prototype", "provital-2009.json"},
                                        {"provital-carwash-after-market", "provital-2009.json"}};

std::string ScenarioPath(const std::string& name) {
  return (kDir / (name + ".scenario.json")).string();
}

const nlohmann::json* ModelIn(const nlohmann::json& c, const std::string& id) {
  for (const auto& m : c.at("business_models")) {
    if (m.at("id") == id) return &m;
  }
  return nullptr;
}

TEST(ScenarioCommand, EachExampleAppliesToAValidCaseAndTheBaseIsUntouched) {
  TempDir dir;
  for (const Example& e : kExamples) {
    SCOPED_TRACE(e.scenario);
    const std::string base = (kDir / e.base).string();
    const std::string before = Slurp(base);
    const fs::path out = dir.path() / (e.scenario + ".json");
    const RunResult r = RunBmil("scenario apply " + Quote(base) + " " +
                                Quote(ScenarioPath(e.scenario)) + " -o " + Quote(out.string()));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Slurp(base), before);
    const RunResult valid = RunBmil("validate " + Quote(out.string()));
    EXPECT_EQ(valid.exit_code, 0) << valid.err;
    const auto applied = nlohmann::json::parse(Slurp(out));
    EXPECT_EQ(applied.at("business").at("attributes").at("bmil_scenario").at("id"), e.scenario);
  }
  // What the two Aikon alternatives do to the loss-making models, and Provital's stage.
  const auto focus = nlohmann::json::parse(Slurp(dir.path() / "aikon-focus.json"));
  EXPECT_EQ(ModelIn(focus, "glass_kitchen")->at("stage"), "retired");
  EXPECT_EQ(ModelIn(focus, "health_info_system")->at("stage"), "retired");
  EXPECT_EQ(focus.at("strategy").at("explicit"), true);
  const auto keep = nlohmann::json::parse(Slurp(dir.path() / "aikon-keep.json"));
  EXPECT_EQ(ModelIn(keep, "glass_kitchen")->at("stage"), "market");
  // 600,000 x 1.4 and 1,400,000 x 1.05 (examples/scenarios/aikon-2010.json).
  const auto& kitchen = ModelIn(keep, "glass_kitchen")->at("building_blocks").at("value_formula");
  EXPECT_DOUBLE_EQ(kitchen.at("revenue").get<double>(), 840000);
  EXPECT_DOUBLE_EQ(kitchen.at("cost").get<double>(), 1470000);
  const auto after =
      nlohmann::json::parse(Slurp(dir.path() / "provital-carwash-after-market.json"));
  const nlohmann::json* water = ModelIn(after, "water_cleaning");
  EXPECT_EQ(water->at("stage"), "market");
  EXPECT_EQ(water->at("industries").back(),
            (nlohmann::json{{"id", "car_wash"}, {"status", "attempted"}}));
}

TEST(ScenarioCommand, WithoutOutputTheCaseGoesToStdout) {
  const RunResult r = RunBmil("scenario apply " + Quote((kDir / "provital-2009.json").string()) +
                              " " + Quote(ScenarioPath("provital-carwash-prototype")));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto applied = nlohmann::json::parse(r.out);
  EXPECT_EQ(ModelIn(applied, "water_cleaning")->at("stage"), "prototype");
}

TEST(ScenarioCommand, TheBaseHashIsTheOneHashPrints) {
  for (const Example& e : kExamples) {
    const RunResult r = RunBmil("scenario hash " + Quote((kDir / e.base).string()));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto scenario = nlohmann::json::parse(Slurp(ScenarioPath(e.scenario)));
    EXPECT_EQ(r.out, scenario.at("base").at("xxh3").get<std::string>() + "\n") << e.scenario;
  }
}

TEST(ScenarioCommand, AnEditedBaseIsRefusedUnlessAnyBaseIsGiven) {
  TempDir dir;
  const fs::path base = dir.path() / "aikon-2010.json";
  { std::ofstream(base, std::ios::binary) << Slurp(kDir / "aikon-2010.json") << "\n"; }
  const std::string edited_hash = RunBmil("scenario hash " + Quote(base.string())).out;
  ASSERT_EQ(edited_hash.size(), 33u);
  const fs::path out = dir.path() / "out.json";
  const std::string command = "scenario apply " + Quote(base.string()) + " " +
                              Quote(ScenarioPath("aikon-focus")) + " -o " + Quote(out.string());
  const RunResult r = RunBmil(command);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("aikon-focus.scenario.json:"));
  EXPECT_THAT(r.err, HasSubstr(" /base/xxh3: the scenario applies to a base whose XXH3-128 is "));
  EXPECT_THAT(r.err, HasSubstr("set base.xxh3 to " + edited_hash.substr(0, 32)));
  EXPECT_FALSE(fs::exists(out));
  const RunResult any = RunBmil(command + " --any-base");
  EXPECT_EQ(any.exit_code, 0) << any.err;
  EXPECT_TRUE(fs::exists(out));
}

TEST(ScenarioCommand, AnOutputOntoAnInputIsRefused) {
  TempDir dir;
  const fs::path base = dir.path() / "aikon-2010.json";
  fs::copy_file(kDir / "aikon-2010.json", base);
  const std::string before = Slurp(base);
  const RunResult r =
      RunBmil("scenario apply " + Quote(base.string()) + " " + Quote(ScenarioPath("aikon-focus")) +
              " --any-base -o " + Quote(base.string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Slurp(base), before);
}

TEST(ScenarioCommand, AMoveOnAModelThatIsNotThereIsLocated) {
  TempDir dir;
  auto scenario = nlohmann::json::parse(Slurp(ScenarioPath("aikon-focus")));
  scenario["moves"][0]["business_model"] = "glass_kitchn";
  const fs::path file = dir.path() / "typo.scenario.json";
  const std::string text = scenario.dump(2) + "\n";
  std::ofstream(file) << text;
  // Where the misspelt id's value stands in the file.
  const std::size_t at = text.find("\"glass_kitchn\"");
  const std::size_t line = 1 + std::count(text.begin(), text.begin() + at, '\n');
  const std::size_t column = at - text.rfind('\n', at);
  const fs::path out = dir.path() / "out.json";
  const RunResult r = RunBmil("scenario apply " + Quote((kDir / "aikon-2010.json").string()) + " " +
                              Quote(file.string()) + " -o " + Quote(out.string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err,
              HasSubstr(file.string() + ":" + std::to_string(line) + ":" + std::to_string(column) +
                        " /moves/0/business_model: no business model "
                        "\"glass_kitchn\" in the base or created before this move (did "
                        "you mean \"glass_kitchen\"?)"));
  EXPECT_FALSE(fs::exists(out));
}

TEST(ScenarioCommand, DiffComparesTheAikonAlternativesMoveByMove) {
  const std::string args = "scenario diff " + Quote(ScenarioPath("aikon-focus")) + " " +
                           Quote(ScenarioPath("aikon-keep"));
  const RunResult text = RunBmil(args);
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("\n  only in A  exclude glass_kitchen\n"));
  EXPECT_THAT(text.out, HasSubstr("\n  only in B  upgrade glass_kitchen\n"));
  EXPECT_THAT(text.out, HasSubstr("\n  only in A  strategy explicit\n"));
  // A: two exclusions, a keep, two tasks, four strategy members; B: two keeps, two upgrades,
  // two tasks. No move in common, the same assumptions.
  EXPECT_THAT(text.out, HasSubstr("\n15 differences.\n"));
  EXPECT_THAT(LinesOver80(text.out), ::testing::IsEmpty());
  const RunResult json = RunBmil(args + " --format json");
  EXPECT_EQ(json.exit_code, 0) << json.err;
  const auto diff = nlohmann::json::parse(json.out);
  EXPECT_EQ(diff.at("differences").size(), 15u);
  EXPECT_EQ(diff.at("a").at("id"), "aikon-focus");
  const RunResult same = RunBmil("scenario diff " + Quote(ScenarioPath("aikon-keep")) + " " +
                                 Quote(ScenarioPath("aikon-keep")));
  EXPECT_THAT(same.out,
              HasSubstr("The two scenarios make the same moves on the same assumptions."));
}

}  // namespace
}  // namespace bmil::cli_test
