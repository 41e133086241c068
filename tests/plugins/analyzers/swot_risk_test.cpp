// Tests of the swot_risk analyzer: hand-built cases with every expected number worked out in
// the comments, each threat rule's thresholds from both sides, and agreement with the line
// plugins' own assess() (called through the host) on the paper's five example cases and on
// seeded random cases.
#include "plugins/analyzer_harness.hpp"

#include <bmil/case_io.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

namespace bmil::test {
namespace {

using Json = nlohmann::json;

// The bundled lines' threat rules (plugins/lines/*/*_line.cpp), written out by hand:
//   value        value.isolated_business_model        0.6, 3, absent customers
//                value.internal_perception_bmi        0.6, 3, absent network
//   customer     customer.too_much_customer_driven_bmi 0.6, 3
//                customer.no_business_in_bmi          0.5, 2, absent value_formula
//   value_chain  value_chain.too_much_value_chain_bmi 0.6, 3
//   competence   competence.too_much_competence_bmi   0.6, 3
//   network      network.too_much_network_bmi         0.6, 3
//   relation     relation.too_much_relation_bmi       0.6, 3
//   process      process.breaking_core_business       0.5, 3
// = 9 rules over 7 lines.
constexpr int kRules = 9;

const Json* FindingOf(const Json& result, const std::string& code) {
  for (const auto& f : result.at("findings"))
    if (f.at("code") == code) return &f;
  return nullptr;
}

const Json* RowOf(const Json& table, const std::string& first) {
  for (const auto& row : table.at("rows"))
    if (row.at(0) == first) return &row;
  return nullptr;
}

std::vector<std::string> TriggeredCodes(const std::vector<Case>& cases) {
  const Json result = RunAnalyzer("swot_risk", cases);
  std::vector<std::string> codes;
  for (const auto& row : Table(result, "threats_triggered").at("rows"))
    codes.push_back(row.at(3).get<std::string>());
  return codes;
}

// b1:
//   m1 AS IS: t1 {customers} via customer; t2 {value_proposition} via customer;
//             t3 {value_proposition} via value
//     -> 3 tasks, 2 through CIL (2/3 = 0.67): too_much_customer_driven (>= 0.6, >= 3) and
//        no_business_in_bmi (>= 0.5, >= 2, no task on value_formula) are triggered;
//        VIL has 1/3 < 0.6: no value threat.
//   m2 TO BE: t4 {value_formula} via customer; t5 {customers} via customer
//     -> 2 of 2 through CIL: too_much needs 3 tasks (no); no_business sees 1 task on
//        value_formula (no).
Case HandCase() {
  Case c = MakeCase("b1");
  AddModel(c, "m1", State::kAsIs);
  AddModel(c, "m2", State::kToBe);
  AddTask(c, "t1", "m1", {"customers"}, {"customer"});
  AddTask(c, "t2", "m1", {"value_proposition"}, {"customer"});
  AddTask(c, "t3", "m1", {"value_proposition"}, {"value"});
  AddTask(c, "t4", "m2", {"value_formula"}, {"customer"});
  AddTask(c, "t5", "m2", {"customers"}, {"customer"});
  return c;
}

// A business with one model and `n` tasks, the first `through` led through `line` and the
// rest through `other`, each on `blocks`.
Case ModelWith(int n, int through, const std::string& line, const std::string& other,
               std::vector<std::string> blocks) {
  Case c = MakeCase("b");
  AddModel(c, "m", State::kAsIs);
  for (int i = 0; i < n; ++i)
    AddTask(c, "t" + std::to_string(i), "m", blocks, {i < through ? line : other});
  return c;
}

TEST(SwotRisk, HandCaseMetrics) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("swot_risk", cases);
  EXPECT_EQ(Metric(r, "businesses"), 1);
  EXPECT_EQ(Metric(r, "business_models"), 2);
  EXPECT_EQ(Metric(r, "lines"), 7);
  EXPECT_EQ(Metric(r, "rules"), kRules);
  EXPECT_EQ(Metric(r, "checks"), 2 * kRules);  // 2 models x 9 rules = 18
  EXPECT_EQ(Metric(r, "threats_triggered"), 2);
  EXPECT_EQ(Metric(r, "models_with_threat"), 1);                 // m1
  EXPECT_DOUBLE_EQ(Metric(r, "models_with_threat_share"), 0.5);  // 1 of 2
  EXPECT_EQ(Metric(r, "businesses_with_threat"), 1);
}

TEST(SwotRisk, HandCaseTables) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("swot_risk", cases);
  const Json& rows = Table(r, "threats_triggered").at("rows");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "b1");
  EXPECT_EQ(rows[0][1], "m1");
  EXPECT_EQ(rows[0][2], "CIL");
  EXPECT_EQ(rows[0][3], "customer.too_much_customer_driven_bmi");
  EXPECT_EQ(rows[0][5], "2 of 3 BMI tasks on m1 are led through CIL");
  EXPECT_EQ(rows[1][3], "customer.no_business_in_bmi");
  EXPECT_EQ(rows[1][5],
            "2 of 3 BMI tasks on m1 are led through CIL; 0 BMI tasks touch value_formula");

  // per line: id, code, rules, threats, models with a threat, share of models
  const Json& per_line = Table(r, "threats_per_line");
  ASSERT_EQ(per_line.at("rows").size(), 7u);
  EXPECT_EQ(*RowOf(per_line, "customer"), Json::parse(R"j(["customer","CIL",2,2,1,0.5])j"));
  EXPECT_EQ(*RowOf(per_line, "value"), Json::parse(R"j(["value","VIL",2,0,0,0.0])j"));
  EXPECT_EQ(*RowOf(per_line, "process"), Json::parse(R"j(["process","PIL",1,0,0,0.0])j"));
  EXPECT_EQ(per_line.at("chart").at("type"), "bar");

  // rules: one row per rule, with its thresholds and how often it was triggered
  const Json& rules = Table(r, "threat_rules");
  ASSERT_EQ(rules.at("rows").size(), static_cast<std::size_t>(kRules));
  for (const auto& row : rules.at("rows")) {
    if (row[1] == "customer.no_business_in_bmi") {
      EXPECT_EQ(row[0], "CIL");
      EXPECT_DOUBLE_EQ(row[3].get<double>(), 0.5);
      EXPECT_EQ(row[4], 2);
      EXPECT_EQ(row[5], "value_formula");
      EXPECT_EQ(row[6], 1);
    }
  }

  // SWOT: strengths, weaknesses and opportunities only, each line's as described.
  const Json config = Json::parse(BuiltAnalyzerConfig());
  std::size_t expected_rows = 0;
  for (const auto& line : config.at("lines"))
    for (const char* key : {"strengths", "weaknesses", "opportunities"})
      expected_rows += line.at("swot").at(key).size();
  const Json& swot = Table(r, "swot");
  EXPECT_EQ(swot.at("rows").size(), expected_rows);
  for (const auto& row : swot.at("rows")) EXPECT_NE(row[2], "threat");
  const Json* customer_strength = RowOf(swot, "customer");
  ASSERT_NE(customer_strength, nullptr);
  EXPECT_EQ((*customer_strength)[2], "strength");
  EXPECT_EQ((*customer_strength)[3],
            "Looks at each building block through the eyes of users and customers.");
}

TEST(SwotRisk, HandCaseFindings) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("swot_risk", cases);
  EXPECT_EQ(FindingCodes(r), (std::vector<std::string>{"customer.too_much_customer_driven_bmi",
                                                       "customer.no_business_in_bmi"}));
  const Json& f = r.at("findings")[1];
  EXPECT_EQ(f.at("severity"), "warning");
  EXPECT_EQ(f.at("source"), "Lindgren 2012, Table 2");
  EXPECT_EQ(f.at("evidence"), Json::parse(R"j(["2 of 3 BMI tasks on m1 are led through CIL",
                                               "0 BMI tasks touch value_formula"])j"));
  EXPECT_EQ(f.at("message").get<std::string>().rfind("m1: ", 0), 0u);
}

TEST(SwotRisk, ShareThreshold) {
  // customer.too_much_customer_driven_bmi: share >= 0.6 with >= 3 tasks. One task on
  // value_formula keeps customer.no_business_in_bmi quiet.
  // 2 of 4 through CIL = 0.5 < 0.6 -> not triggered
  EXPECT_EQ(TriggeredCodes({ModelWith(4, 2, "customer", "value", {"value_formula"})}),
            std::vector<std::string>{});
  // 3 of 5 = 0.6 -> triggered (exactly at the threshold)
  EXPECT_EQ(TriggeredCodes({ModelWith(5, 3, "customer", "value", {"value_formula"})}),
            std::vector<std::string>{"customer.too_much_customer_driven_bmi"});
}

TEST(SwotRisk, MinTasksThreshold) {
  // network.too_much_network_bmi: 2 of 2 (share 1.0) but only 2 tasks < 3 -> no;
  // 3 of 3 -> triggered.
  EXPECT_EQ(TriggeredCodes({ModelWith(2, 2, "network", "value", {"network"})}),
            std::vector<std::string>{});
  EXPECT_EQ(TriggeredCodes({ModelWith(3, 3, "network", "value", {"network"})}),
            std::vector<std::string>{"network.too_much_network_bmi"});
}

TEST(SwotRisk, AbsentBlockCondition) {
  // customer.no_business_in_bmi: 1 of 2 through CIL (0.5 >= 0.5, 2 tasks >= 2).
  // With a task on value_formula -> no; without -> triggered.
  Case with = MakeCase("b");
  AddModel(with, "m", State::kAsIs);
  AddTask(with, "t1", "m", {"customers"}, {"customer"});
  AddTask(with, "t2", "m", {"value_formula"}, {"value"});
  Case without = MakeCase("b");
  AddModel(without, "m", State::kAsIs);
  AddTask(without, "t1", "m", {"customers"}, {"customer"});
  AddTask(without, "t2", "m", {"value_proposition"}, {"value"});
  EXPECT_EQ(TriggeredCodes({with}), std::vector<std::string>{});
  EXPECT_EQ(TriggeredCodes({without}), std::vector<std::string>{"customer.no_business_in_bmi"});
  // ...and with only 1 task (< 2), even 1 of 1 through CIL is not enough.
  Case one = MakeCase("b");
  AddModel(one, "m", State::kAsIs);
  AddTask(one, "t1", "m", {"customers"}, {"customer"});
  EXPECT_EQ(TriggeredCodes({one}), std::vector<std::string>{});
}

TEST(SwotRisk, ManyBusinessesNameModelsWithTheirBusiness) {
  Case a = HandCase();
  Case b = HandCase();
  b.business.id = "b2";
  const std::vector<Case> cases = {a, b};
  const Json r = RunAnalyzer("swot_risk", cases);
  EXPECT_EQ(Metric(r, "threats_triggered"), 4);  // 2 per business
  EXPECT_EQ(Metric(r, "businesses_with_threat"), 2);
  ASSERT_EQ(r.at("findings").size(), 4u);
  EXPECT_EQ(r.at("findings")[2].at("message").get<std::string>().rfind("b2/m1: ", 0), 0u);
}

TEST(SwotRisk, FindingsAreCappedButCountsAreNot) {
  // 60 businesses x 2 threats = 120 triggered; 50 listed as findings plus one that says so.
  std::vector<Case> cases;
  for (int i = 0; i < 60; ++i) {
    cases.push_back(HandCase());
    cases.back().business.id = "b" + std::to_string(i);
  }
  const Json r = RunAnalyzer("swot_risk", cases);
  EXPECT_EQ(Metric(r, "threats_triggered"), 120);
  EXPECT_EQ(Table(r, "threats_triggered").at("rows").size(), 120u);  // under the 200 cap
  ASSERT_EQ(r.at("findings").size(), 51u);
  const Json* more = FindingOf(r, "swot_risk.unlisted_threats");
  ASSERT_NE(more, nullptr);
  EXPECT_EQ(more->at("evidence")[0], "120 threats triggered, 50 listed as findings");
}

TEST(SwotRisk, SplitRunsEqualOneRun) {
  Case b = HandCase();
  b.business.id = "b2";
  const std::vector<Case> cases = {HandCase(), ModelWith(5, 3, "customer", "value", {"network"}), b,
                                   ModelWith(3, 3, "network", "value", {"network"})};
  const Json whole = RunAnalyzer("swot_risk", cases);
  ExpectEverySplitEquals("swot_risk", cases, whole);
}

TEST(SwotRisk, WorksWithoutLineDescriptors) {
  auto created = Analyzer("swot_risk").Create("{}");
  ASSERT_TRUE(std::holds_alternative<PluginInstance>(created));
  PluginInstance instance = std::move(std::get<PluginInstance>(created));
  const std::vector<Case> cases = {HandCase()};
  AddAll(instance, cases);
  const Json r = FinishOf(instance);
  EXPECT_EQ(Metric(r, "rules"), 0);
  EXPECT_EQ(Metric(r, "threats_triggered"), 0);
  EXPECT_TRUE(r.at("findings").empty());
}

// Cases that register the lines and blocks in other orders: each rule is checked through the
// bit indices of its line and absent block in the case at hand.
//   x: lines [customer, value], blocks [customers, value_formula]
//      t0 {customer} x {customers}, t1 {value} x {value_formula}
//   y: lines [value, customer], blocks [value_formula, customers]
//      t0 {customer} x {customers}, t1 {value} x {customers}
// customer.no_business_in_bmi (share >= 0.5 of >= 2 tasks, no task on value_formula): CIL
// leads 1 of 2 tasks in both; only y has no task on value_formula -> triggered on y alone.
// No other rule: every other one needs 3 tasks.
TEST(SwotRisk, CasesWithOtherRegisteredIdsUseTheirOwnIndices) {
  RawCase x("x", {"customer", "value"}, {"customers", "value_formula"});
  x.AddModel("m");
  x.AddTask(0, 0b01, 0b01);
  x.AddTask(0, 0b10, 0b10);
  RawCase y("y", {"value", "customer"}, {"value_formula", "customers"});
  y.AddModel("m");
  y.AddTask(0, 0b10, 0b10);
  y.AddTask(0, 0b01, 0b10);
  PluginInstance instance = NewInstance("swot_risk");
  for (RawCase* c : {&x, &y, &x}) ASSERT_FALSE(instance.Add(c->view()).has_value());
  const Json r = FinishOf(instance);
  EXPECT_EQ(Metric(r, "business_models"), 3);
  EXPECT_EQ(Metric(r, "threats_triggered"), 1);
  const Json& rows = Table(r, "threats_triggered").at("rows");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at(0), "y");
  EXPECT_EQ(rows[0].at(3), "customer.no_business_in_bmi");
  EXPECT_EQ(rows[0].at(5),
            "1 of 2 BMI tasks on m are led through CIL; 0 BMI tasks touch value_formula");
}

TEST(SwotRisk, LoadRefusesAForeignState) {
  PluginInstance instance = NewInstance("swot_risk");
  auto error = instance.Load(R"j({"format":"blind_spots/1"})j");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status, BMIL_ERROR_INVALID_STATE);
}

// ------------------------------------------------------- agreement with the line plugins

// (business, model, line code, rule code, threat, evidence joined by "; ")
using Threat =
    std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>;

// The triggered threats the line plugins' assess() reports for `cases`, through the host.
std::vector<Threat> AssessedThreats(const std::vector<Case>& cases) {
  std::vector<Threat> out;
  for (const auto& plugin : BuiltPlugins().loaded()) {
    if (!plugin->is_line()) continue;
    auto created = plugin->Create();
    if (!std::holds_alternative<PluginInstance>(created)) {
      ADD_FAILURE() << std::get<CallError>(created).ToString();
      continue;
    }
    PluginInstance line = std::move(std::get<PluginInstance>(created));
    auto described = line.Describe();
    const std::string code = std::get<Json>(described).at("code").get<std::string>();
    for (const Case& c : cases) {
      FlatCase flat(c, BuiltRegistry());
      for (std::uint32_t m = 0; m < flat.view().business_model_count; ++m) {
        auto assessed = line.Assess(flat.view(), m);
        if (!std::holds_alternative<Json>(assessed)) {
          ADD_FAILURE() << std::get<CallError>(assessed).ToString();
          continue;
        }
        const Json& a = std::get<Json>(assessed);
        for (const auto& t : a.at("threats")) {
          if (!t.at("triggered").get<bool>()) continue;
          std::string evidence;
          for (const auto& e : t.at("evidence"))
            evidence += (evidence.empty() ? "" : "; ") + e.get<std::string>();
          out.emplace_back(c.business.id, a.at("business_model").get<std::string>(), code,
                           t.at("code").get<std::string>(), t.at("threat").get<std::string>(),
                           evidence);
        }
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Threat> AnalyzerThreats(const Json& result) {
  std::vector<Threat> out;
  for (const auto& row : Table(result, "threats_triggered").at("rows"))
    out.emplace_back(row[0].get<std::string>(), row[1].get<std::string>(),
                     row[2].get<std::string>(), row[3].get<std::string>(),
                     row[4].get<std::string>(), row[5].get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Case> ExampleCases() {
  std::vector<Case> cases;
  for (const char* name : {"katalabs", "kellpo", "aikon", "infolink", "provital"}) {
    const auto path =
        std::filesystem::path(BMIL_SOURCE_DIR) / "examples/cases" / (std::string(name) + ".json");
    LoadResult loaded = LoadCaseFile(path, BuiltRegistry());
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.diagnostics.front().ToString();
      continue;
    }
    cases.push_back(*loaded.value);
  }
  return cases;
}

TEST(SwotRisk, AgreesWithTheLinePluginsOnTheExampleCases) {
  const std::vector<Case> examples = ExampleCases();
  ASSERT_EQ(examples.size(), 5u);
  std::size_t total = 0;
  for (const Case& c : examples) {
    const std::vector<Case> one = {c};
    const Json r = RunAnalyzer("swot_risk", one);
    const std::vector<Threat> expected = AssessedThreats(one);
    EXPECT_EQ(AnalyzerThreats(r), expected) << c.business.id;
    EXPECT_EQ(Metric(r, "threats_triggered"), static_cast<double>(expected.size()))
        << c.business.id;
    EXPECT_EQ(r.at("findings").size(), expected.size()) << c.business.id;
    total += expected.size();
  }
  // The five together: the same threats, each with its business.
  const Json all = RunAnalyzer("swot_risk", examples);
  EXPECT_EQ(AnalyzerThreats(all), AssessedThreats(examples));
  EXPECT_EQ(Metric(all, "threats_triggered"), static_cast<double>(total));
  EXPECT_GT(total, 0u);  // the examples do trigger threats, so the comparison means something
}

TEST(SwotRisk, AgreesWithTheLinePluginsOnRandomCases) {
  std::mt19937 rng(2012);
  std::size_t total = 0;
  for (int i = 0; i < 40; ++i) {
    const std::vector<Case> one = {RandomCase(rng, "r" + std::to_string(i))};
    const std::vector<Threat> expected = AssessedThreats(one);
    EXPECT_EQ(AnalyzerThreats(RunAnalyzer("swot_risk", one)), expected) << i;
    total += expected.size();
  }
  EXPECT_GT(total, 0u);
}

// ------------------------------------------------------------------ listing caps (bmil
// --max-rows, --all) and the businesses of the findings

// b0..b<n-1>: the hand case, 2 threats each (both on m1).
std::vector<Case> HandCases(int n) {
  std::vector<Case> cases;
  for (int i = 0; i < n; ++i) {
    cases.push_back(HandCase());
    cases.back().business.id = "b" + std::to_string(i);
  }
  return cases;
}

TEST(SwotRisk, MaxRowsCapsEveryListingButNotTheCounts) {
  // 3 x 2 = 6 threats; rows 2; findings min(50, 2) = 2 (both b0's), then the count.
  const std::vector<Case> cases = HandCases(3);
  const std::string config = ListingConfig({{"max_rows", 2}});
  const Json r = RunAnalyzer("swot_risk", cases, config);
  EXPECT_EQ(Metric(r, "threats_triggered"), 6);
  EXPECT_EQ(Table(r, "threats_triggered").at("rows").size(), 2u);
  EXPECT_EQ(Table(r, "threats_triggered").at("title"), "Threats triggered (first 2)");
  ASSERT_EQ(r.at("findings").size(), 3u);
  EXPECT_EQ(FindingBusinesses(r), (std::vector<std::vector<std::string>>{{"b0"}, {"b0"}, {}}));
  const Json* more = FindingOf(r, "swot_risk.unlisted_threats");
  ASSERT_NE(more, nullptr);
  EXPECT_EQ(more->at("evidence")[0], "6 threats triggered, 2 listed as findings");
  ExpectEverySplitEquals("swot_risk", cases, r, config);
  // By default nothing is cut here: 6 findings, no count.
  EXPECT_EQ(RunAnalyzer("swot_risk", cases).at("findings").size(), 6u);
}

TEST(SwotRisk, AllLiftsEveryCap) {
  // 130 x 2 = 260 threats: all listed, each a finding, no count.
  const std::vector<Case> cases = HandCases(130);
  const std::string config = ListingConfig({{"all", true}});
  const Json r = RunAnalyzer("swot_risk", cases, config);
  EXPECT_EQ(Table(r, "threats_triggered").at("rows").size(), 260u);
  EXPECT_EQ(Table(r, "threats_triggered").at("title"), "Threats triggered (all)");
  ASSERT_EQ(r.at("findings").size(), 260u);
  EXPECT_EQ(FindingOf(r, "swot_risk.unlisted_threats"), nullptr);
  EXPECT_EQ(BusinessesOf(r.at("findings")[259]), std::vector<std::string>{"b129"});
  for (std::size_t k : {std::size_t{0}, std::size_t{65}})
    EXPECT_EQ(RunAnalyzerSplit("swot_risk", cases, k, config), r) << "split " << k;
  // By default: 200 rows, 50 findings and the count.
  const Json capped = RunAnalyzer("swot_risk", cases);
  EXPECT_EQ(Table(capped, "threats_triggered").at("rows").size(), 200u);
  EXPECT_EQ(Table(capped, "threats_triggered").at("title"), "Threats triggered (first 200)");
  ASSERT_EQ(capped.at("findings").size(), 51u);
  EXPECT_EQ(capped.at("findings")[50].at("evidence")[0],
            "260 threats triggered, 50 listed as findings");
}

TEST(SwotRisk, FindingsCarryTheBusinessOfTheirModel) {
  // b1: 2 of 4 tasks through CIL, one on value_formula: no threat. b2: the hand case.
  Case b1 = ModelWith(4, 2, "customer", "value", {"value_formula"});
  b1.business.id = "b1";
  Case b2 = HandCase();
  b2.business.id = "b2";
  const std::vector<Case> cases = {b1, b2};
  const Json r = RunAnalyzer("swot_risk", cases);
  EXPECT_EQ(FindingBusinesses(r), (std::vector<std::vector<std::string>>{{"b2"}, {"b2"}}));
}

}  // namespace
}  // namespace bmil::test
