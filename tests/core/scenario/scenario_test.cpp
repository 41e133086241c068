// Scenario files (core/src/scenario/): reading with located errors, applying every move to
// a hand-built base (expected case by hand), contradictions with the base, and the diff.
#include "scenario/scenario.hpp"
#include "io/digest.hpp"
#include "scenario/apply.hpp"
#include "scenario/diff.hpp"

#include <bmil/case_io.hpp>
#include <bmil/registry.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bmil::scenario {
namespace {

using ::testing::HasSubstr;

Registry Lines() {
  Registry registry;
  for (const char* id :
       {"value", "customer", "value_chain", "competence", "network", "relation", "process"}) {
    EXPECT_TRUE(registry.AddLine({id, id, "", "test"}));
  }
  return registry;
}

// The base of the apply tests: two models, one portfolio, one task.
const std::string kBase = R"({
  "bmil": "1.0",
  "business": {"id": "nordtool", "name": "Nordtool"},
  "portfolios": [{"id": "main", "name": "Main", "business_models": ["tools"]}],
  "business_models": [
    {"id": "tools", "name": "Tools", "state": "as_is", "stage": "market",
     "industries": [{"id": "machinery", "status": "home"}],
     "building_blocks": {"value_formula": {"revenue": 1000, "cost": 800, "customers": 40}}},
    {"id": "rental", "name": "Rental", "state": "to_be", "stage": "concept",
     "building_blocks": {"value_formula": {"revenue": 100, "cost": 300}}},
    {"id": "old", "name": "Old", "state": "as_is", "stage": "retired"}
  ],
  "bmi_tasks": [{"id": "t1", "business_model": "tools", "building_blocks": ["customers"],
                 "leadership_lines": ["customer"]}]
})";

// A scenario on kBase with `moves` (JSON text of the array's items) and `assumptions`.
std::string ScenarioText(const std::string& moves, const std::string& assumptions = "") {
  return R"({"bmil_scenario": "1.0", "id": "s", "name": "S", "base": {"path": "base.json", "xxh3": ")" +
         DigestHex(kBase) + R"("}, "moves": [)" + moves + "]" +
         (assumptions.empty() ? "" : R"(, "assumptions": )" + assumptions) + "}";
}

std::string Joined(const std::vector<Diagnostic>& problems) {
  std::string out;
  for (const auto& d : problems) out += d.ToString() + "\n";
  return out;
}

// The one problem reading `text` gives, or a failure.
Diagnostic OneProblem(const std::string& text) {
  const ReadResult read = ReadScenario(text, "s.scenario.json");
  EXPECT_EQ(read.problems.size(), 1u) << Joined(read.problems);
  return read.problems.empty() ? Diagnostic{} : read.problems.front();
}

// The 1-based column of the first `token` in one-line `text`.
std::uint32_t ColumnOf(const std::string& text, const std::string& token) {
  const auto at = text.find(token);
  EXPECT_NE(at, std::string::npos) << token;
  return static_cast<std::uint32_t>(at + 1);
}

ApplyResult ApplyText(const std::string& text) {
  const ReadResult read = ReadScenario(text, "s.scenario.json");
  EXPECT_TRUE(read.value.has_value()) << Joined(read.problems);
  if (!read.value) return {};
  return Apply(*read.value, kBase, "base.json", Lines());
}

const BusinessModel* Model(const Case& c, const std::string& id) {
  for (const auto& m : c.business_models) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

TEST(ScenarioRead, TheExamplesRead) {
  struct Row {
    const char* file;
    std::size_t moves, drivers, correlations;
  };
  for (const Row& row : {Row{"aikon-focus", 5, 3, 1}, Row{"aikon-keep", 5, 3, 1},
                         Row{"provital-carwash-prototype", 2, 2, 0},
                         Row{"provital-carwash-after-market", 4, 2, 0}}) {
    const ReadResult read = ReadScenarioFile(std::string(BMIL_SOURCE_DIR) + "/examples/scenarios/" +
                                             row.file + ".scenario.json");
    ASSERT_TRUE(read.value) << Joined(read.problems);
    EXPECT_EQ(read.value->moves.size(), row.moves) << row.file;
    EXPECT_EQ(read.value->assumptions.drivers.size(), row.drivers) << row.file;
    EXPECT_EQ(read.value->assumptions.correlations.size(), row.correlations) << row.file;
  }
}

TEST(ScenarioRead, EachBadScenarioGetsItsMessageWhereItIs) {
  struct Row {
    std::string text;
    std::string token;  // the problem is located at its first occurrence
    std::string pointer;
    std::string message;
  };
  const std::string uniform = R"({"id": "g", "distribution": "uniform", )";
  const std::vector<Row> rows = {
      {ScenarioText(R"({"move": "exclude", "business_model": "tools", "exit_kost": 5})"),
       "\"exit_kost\"", "/moves/0/exit_kost",
       "unknown member \"exit_kost\" (did you mean \"exit_cost\"?)"},
      {ScenarioText(R"({"move": "exlcude", "business_model": "tools"})"), "\"exlcude\"",
       "/moves/0/move", "unknown value \"exlcude\" (did you mean \"exclude\"?)"},
      {ScenarioText(R"({"move": "upgrade", "business_model": "tools", "changes": {}})"), "{}",
       "/moves/0/changes", "no change given"},
      {ScenarioText(
           R"({"move": "upgrade", "business_model": "tools", "changes": {"revenue": -1}})"),
       "-1", "/moves/0/changes/revenue", "expected a number from -0.99 to 100, found -1"},
      {ScenarioText(R"({"move": "upgrade", "business_model": "tools"})"), R"({"move": "upgrade")",
       "/moves/0", "missing required member \"changes\""},
      {ScenarioText(R"({"move": "add_tasks", "tasks": []})"), "[]", "/moves/0/tasks",
       "no task given"},
      {ScenarioText(R"({"move": "keep", "business_model": "Tools"})"), "\"Tools\"",
       "/moves/0/business_model", "\"Tools\" is not an id"},
      {ScenarioText("", R"({"drivers": [)" + uniform + R"("min": 2, "max": 1}]})"), "1}",
       "/assumptions/drivers/0/max", "max must be greater than min"},
      {ScenarioText(
           "",
           R"({"drivers": [{"id": "g", "distribution": "pert", "min": 0, "mode": 5, "max": 1}]})"),
       "5,", "/assumptions/drivers/0/mode", "mode must lie between min and max"},
      {ScenarioText("",
                    R"({"drivers": [{"id": "g", "distribution": "normal", "mean": 0, "sd": 0}]})"),
       "0}", "/assumptions/drivers/0/sd", "sd must be greater than 0"},
      {ScenarioText(
           "", R"({"drivers": [{"id": "g", "distribution": "lognormal", "median": 1, "gsd": 1}]})"),
       "1}", "/assumptions/drivers/0/gsd",
       "gsd (the geometric standard deviation) must be greater than 1"},
      {ScenarioText(
           "",
           R"({"drivers": [{"id": "g", "distribution": "discrete", "values": [1, 2], "weights": [1]}]})"),
       "[1]", "/assumptions/drivers/0/weights", "expected as many weights as values (2), found 1"},
      {ScenarioText("", R"({"drivers": [)" + uniform + R"("min": 0, "mode": 1, "max": 2}]})"),
       "\"mode\"", "/assumptions/drivers/0/mode", "unknown member \"mode\""},
      {ScenarioText("", R"({"drivers": [{"id": "g", "distribution": "gaussian", "mean": 0}]})"),
       "\"gaussian\"", "/assumptions/drivers/0/distribution", "unknown value \"gaussian\""},
      {ScenarioText(
           "",
           R"({"drivers": [{"id": "g", "distribution": "fixed", "value": 1}, {"id": "g", "distribution": "fixed", "value": 2}]})"),
       R"({"id": "g", "distribution": "fixed", "value": 2})", "/assumptions/drivers/1/id",
       "driver \"g\" is defined twice"},
      {ScenarioText(
           "",
           R"({"drivers": [{"id": "growth", "distribution": "fixed", "value": 1}], "correlations": [{"drivers": ["growth", "grwoth"], "rank": 0.5}]})"),
       "\"grwoth\"", "/assumptions/correlations/0/drivers/1",
       "no driver \"grwoth\" (did you mean \"growth\"?)"},
      {ScenarioText(
           "",
           R"({"drivers": [{"id": "a", "distribution": "fixed", "value": 1}, {"id": "b", "distribution": "fixed", "value": 1}, {"id": "c", "distribution": "fixed", "value": 1}], "correlations": [{"drivers": ["a", "b"], "rank": 0.9}, {"drivers": ["b", "c"], "rank": 0.9}, {"drivers": ["a", "c"], "rank": -0.9}]})"),
       R"([{"drivers": ["a", "b"])", "/assumptions/correlations",
       "these rank correlations cannot hold together"},
      {ScenarioText("", R"({"horizon_years": 0})"), "0}", "/assumptions/horizon_years",
       "expected an integer from 1 to 50, found 0"},
      {R"({"bmil_scenario": "2.0", "id": "s", "name": "S", "base": {"path": "b", "xxh3": "00000000000000000000000000000000"}, "moves": []})",
       "\"2.0\"", "/bmil_scenario", "unsupported scenario format version \"2.0\""},
      {R"({"bmil_scenario": "1.0", "id": "s", "name": "S", "base": {"path": "b", "xxh3": "ABC"}, "moves": []})",
       "\"ABC\"", "/base/xxh3", "expected the base file's XXH3-128 as 32 lower-case hex digits"},
      {R"({"bmil_scenario": "1.0", "id": "s", "id": "t", "name": "S", "base": {"path": "b", "xxh3": "00000000000000000000000000000000"}, "moves": []})",
       "\"id\": \"t\"", "/id", "duplicate key \"id\""},
      {ScenarioText(
           R"({"move": "add_tasks", "tasks": [{"id": "t2", "business_model": "tools", "building_blocks": ["customers"], "leadership_lines": ["value"], "id": "t3"}]})"),
       "\"id\": \"t3\"", "/moves/0/tasks/0/id", "duplicate key \"id\""},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.text);
    const Diagnostic d = OneProblem(row.text);
    EXPECT_EQ(d.file, "s.scenario.json");
    EXPECT_EQ(d.line, 1u);
    EXPECT_EQ(d.column, ColumnOf(row.text, row.token));
    EXPECT_EQ(d.pointer, row.pointer);
    EXPECT_THAT(d.message, HasSubstr(row.message));
  }
}

TEST(ScenarioRead, MalformedJsonAndLimitsAreLocated) {
  const ReadResult syntax = ReadScenario("{\n  \"id\": ,\n}", "s.scenario.json");
  ASSERT_EQ(syntax.problems.size(), 1u);
  EXPECT_EQ(syntax.problems[0].line, 2u);
  EXPECT_EQ(syntax.problems[0].column, 9u);
  ScenarioLimits limits;
  limits.max_bytes = 100;
  const ReadResult big = ReadScenario(std::string(101, ' '), "s.scenario.json", limits);
  ASSERT_EQ(big.problems.size(), 1u);
  EXPECT_THAT(big.problems[0].message, HasSubstr("refused unread"));
  limits = {};
  limits.max_depth = 4;
  const ReadResult deep = ReadScenario("[[[[[[1]]]]]]", "s.scenario.json", limits);
  ASSERT_EQ(deep.problems.size(), 1u);
  EXPECT_THAT(deep.problems[0].message, HasSubstr("deep"));
}

TEST(ScenarioApply, EveryMoveGivesTheCaseExpectedByHand) {
  const ApplyResult r = ApplyText(ScenarioText(R"(
    {"move": "create", "portfolio": "main", "business_model": {"id": "kits", "name": "Kits", "stage": "idea"}},
    {"move": "upgrade", "business_model": "tools", "changes": {"revenue": 0.1, "customers": 0.5}},
    {"move": "diminish", "business_model": "tools", "changes": {"cost": -0.25}},
    {"move": "upgrade", "business_model": "rental", "stage": "market"},
    {"move": "exclude", "business_model": "rental", "exit_cost": 50},
    {"move": "keep", "business_model": "tools"},
    {"move": "add_tasks", "tasks": [{"id": "t2", "business_model": "kits", "building_blocks": ["value_proposition"], "leadership_lines": ["value", "process"]}]},
    {"move": "enter_industry", "business_model": "tools", "industry": "car_wash"},
    {"move": "open", "from": "tools", "phase": "after", "business_model": {"id": "service", "name": "Service"}},
    {"move": "set_strategy", "strategy": {"explicit": true, "leadership_lines": ["customer", "network"]}})"));
  ASSERT_TRUE(r.value) << Joined(r.problems);
  const Case& c = *r.value;
  ASSERT_EQ(c.business_models.size(), 5u);  // tools, rental, old, kits, service

  const BusinessModel* kits = Model(c, "kits");
  ASSERT_NE(kits, nullptr);
  EXPECT_EQ(kits->state, State::kToBe);  // set: a created model is TO BE
  EXPECT_EQ(kits->stage, Stage::kIdea);
  ASSERT_EQ(c.portfolios.size(), 1u);
  EXPECT_EQ(c.portfolios[0].business_models, (std::vector<std::string>{"tools", "kits"}));

  const BusinessModel* tools = Model(c, "tools");
  ASSERT_NE(tools, nullptr);
  const ValueFormula& formula = tools->value_formula;
  EXPECT_DOUBLE_EQ(formula.revenue.value_or(0), 1100);  // 1000 x 1.1
  EXPECT_DOUBLE_EQ(formula.cost.value_or(0), 600);      // 800 x 0.75
  EXPECT_DOUBLE_EQ(formula.customers.value_or(0), 60);  // 40 x 1.5
  ASSERT_EQ(tools->industries.size(), 2u);
  EXPECT_EQ(tools->industries[1].id, "car_wash");
  EXPECT_EQ(tools->industries[1].status, IndustryStatus::kAttempted);
  // For the consequence model: each figure before the scenario's first change and after its
  // last (the upgrade, then the diminish).
  const auto& changes = tools->attributes.at("bmil_scenario").at("changes");
  EXPECT_EQ(changes.at("revenue"), (nlohmann::json{{"from", 1000.0}, {"to", 1100.0}}));
  EXPECT_EQ(changes.at("customers"), (nlohmann::json{{"from", 40.0}, {"to", 60.0}}));
  EXPECT_EQ(changes.at("cost"), (nlohmann::json{{"from", 800.0}, {"to", 600.0}}));

  const BusinessModel* rental = Model(c, "rental");
  ASSERT_NE(rental, nullptr);
  EXPECT_EQ(rental->stage, Stage::kRetired);  // excluded after reaching the market
  EXPECT_EQ(rental->state, State::kAsIs);     // it reached the market first
  EXPECT_EQ(rental->attributes.at("bmil_scenario").at("exit_cost"), 50);

  const BusinessModel* service = Model(c, "service");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->state, State::kToBe);
  EXPECT_EQ(service->attributes.at("bmil_scenario").at("opened_from"), "tools");
  EXPECT_EQ(service->attributes.at("bmil_scenario").at("phase"), "after");

  ASSERT_EQ(c.bmi_tasks.size(), 2u);
  EXPECT_EQ(c.bmi_tasks[1].id, "t2");
  EXPECT_EQ(c.bmi_tasks[1].business_model, "kits");
  ASSERT_TRUE(c.strategy.has_value());
  EXPECT_EQ(c.strategy->explicit_strategy, true);
  EXPECT_EQ(c.strategy->leadership_lines, (std::vector<std::string>{"customer", "network"}));
  EXPECT_EQ(c.business.attributes.at("bmil_scenario").at("id"), "s");

  // The text apply returns is the case it loaded, in the canonical form.
  EXPECT_EQ(r.case_text, WriteCaseText(c));
}

TEST(ScenarioApply, MovesThatContradictTheBaseOrEachOtherAreLocated) {
  struct Row {
    std::string moves;
    std::string pointer;
    std::string message;
  };
  const std::vector<Row> rows = {
      {R"({"move": "keep", "business_model": "tols"})", "/moves/0/business_model",
       "no business model \"tols\" in the base or created before this move (did you mean "
       "\"tools\"?)"},
      {R"({"move": "exclude", "business_model": "rental"}, {"move": "upgrade", "business_model": "rental", "changes": {"revenue": 0.1}})",
       "/moves/1/business_model",
       "business model \"rental\" is excluded by /moves/0; a later move cannot act on it"},
      {R"({"move": "upgrade", "business_model": "old", "changes": {"revenue": 0.1}})",
       "/moves/0/business_model", "business model \"old\" is retired in the base"},
      {R"({"move": "create", "business_model": {"id": "new", "name": "N"}}, {"move": "exclude", "business_model": "new"})",
       "/moves/1/business_model", "is created by /moves/0 of this scenario"},
      {R"({"move": "create", "business_model": {"id": "tools", "name": "T"}})",
       "/moves/0/business_model/id", "business model \"tools\" exists in the base"},
      {R"({"move": "create", "business_model": {"id": "x", "name": "X", "state": "as_is"}})",
       "/moves/0/business_model/state", "its state is \"to_be\""},
      {R"({"move": "create", "portfolio": "mian", "business_model": {"id": "x", "name": "X"}})",
       "/moves/0/portfolio", "no portfolio \"mian\" in the base (did you mean \"main\"?)"},
      {R"({"move": "upgrade", "business_model": "rental", "changes": {"customers": 0.1}})",
       "/moves/0/changes/customers",
       "business model \"rental\" states no customers in its value formula"},
      {R"({"move": "upgrade", "business_model": "tools", "stage": "prototype"})", "/moves/0/stage",
       "is at stage market already"},
      {R"({"move": "enter_industry", "business_model": "tools", "industry": "machinery"})",
       "/moves/0/industry", "already in industry \"machinery\" (status home)"},
      {R"({"move": "add_tasks", "tasks": [{"id": "t9", "business_model": "rentl", "building_blocks": ["customers"], "leadership_lines": ["customer"]}]})",
       "/moves/0/tasks/0/business_model", "(did you mean \"rental\"?)"},
      // Problems the case loader finds in what the scenario wrote, located in the scenario.
      {R"({"move": "add_tasks", "tasks": [{"id": "t9", "business_model": "tools", "building_blocks": ["customers"], "leadership_lines": ["netwrk"]}]})",
       "/moves/0/tasks/0/leadership_lines/0", "(did you mean \"network\"?)"},
      {R"({"move": "add_tasks", "tasks": [{"id": "t1", "business_model": "tools", "building_blocks": ["customers"], "leadership_lines": ["value"]}]})",
       "/moves/0/tasks/0/id", "t1"},
      {R"({"move": "set_strategy", "strategy": {"skills": "great"}})", "/moves/0/strategy/skills",
       "great"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.moves);
    const std::string text = ScenarioText(row.moves);
    const ApplyResult r = ApplyText(text);
    EXPECT_FALSE(r.value.has_value());
    ASSERT_EQ(r.problems.size(), 1u) << Joined(r.problems);
    const Diagnostic& d = r.problems[0];
    EXPECT_EQ(d.file, "s.scenario.json");
    EXPECT_EQ(d.line, 1u);
    EXPECT_GT(d.column, 1u);  // at the member, not the file
    EXPECT_EQ(d.pointer, row.pointer);
    EXPECT_THAT(d.message, HasSubstr(row.message));
  }
}

TEST(ScenarioApply, AnotherBaseIsRefusedWithBothHashes) {
  const ReadResult read = ReadScenario(ScenarioText(""), "s.scenario.json");
  ASSERT_TRUE(read.value);
  const std::string edited = kBase + " ";
  const ApplyResult r = Apply(*read.value, edited, "base.json", Lines());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].pointer, "/base/xxh3");
  EXPECT_THAT(r.problems[0].message, HasSubstr(DigestHex(kBase)));
  EXPECT_THAT(r.problems[0].message, HasSubstr("base.json has " + DigestHex(edited)));
  // Without the check it applies: the base, unchanged but for the provenance.
  const ApplyResult any = Apply(*read.value, edited, "base.json", Lines(), false);
  ASSERT_TRUE(any.value) << Joined(any.problems);
  EXPECT_EQ(any.value->business_models.size(), 3u);
}

TEST(ScenarioDiff, MovesAreMatchedByWhatTheyActOn) {
  const ReadResult a = ReadScenario(
      ScenarioText(R"({"move": "exclude", "business_model": "rental"},
                      {"move": "upgrade", "business_model": "tools", "changes": {"revenue": 0.1}})",
                   R"({"drivers": [{"id": "g", "distribution": "uniform", "min": 0, "max": 1}]})"),
      "a.scenario.json");
  const ReadResult b = ReadScenario(
      ScenarioText(
          R"({"move": "upgrade", "business_model": "tools", "changes": {"revenue": 0.2}},
                      {"move": "keep", "business_model": "rental"})",
          R"({"horizon_years": 7, "drivers": [{"id": "g", "distribution": "uniform", "min": 0, "max": 2}]})"),
      "b.scenario.json");
  ASSERT_TRUE(a.value && b.value);
  const auto diff = Diff(*a.value, *b.value);
  ASSERT_EQ(diff.size(), 5u) << DiffText(*a.value, *b.value, diff);
  EXPECT_EQ(diff[0].key, "exclude rental");
  EXPECT_EQ(diff[0].kind, Difference::Kind::kOnlyInA);
  EXPECT_EQ(diff[1].key, "upgrade tools");
  EXPECT_EQ(diff[1].kind, Difference::Kind::kChanged);
  EXPECT_EQ(diff[1].details, (std::vector<std::string>{"/changes/revenue: 0.1 -> 0.2"}));
  EXPECT_EQ(diff[2].key, "keep rental");
  EXPECT_EQ(diff[2].kind, Difference::Kind::kOnlyInB);
  EXPECT_EQ(diff[3].key, "horizon_years");
  EXPECT_EQ(diff[3].details, (std::vector<std::string>{"(whole): 5 -> 7"}));
  EXPECT_EQ(diff[4].key, "driver g");
  EXPECT_EQ(diff[4].details, (std::vector<std::string>{"/max: 1.0 -> 2.0"}));
  EXPECT_TRUE(Diff(*a.value, *a.value).empty());
  const std::string text = DiffText(*a.value, *b.value, diff);
  EXPECT_THAT(text, HasSubstr("5 differences."));
}

}  // namespace
}  // namespace bmil::scenario
