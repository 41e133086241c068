// Tests of the blind_spots analyzer on hand-built cases: every expected number is worked out
// by hand in the comments, on the 7 lines x 7 blocks canvas of the bundled plugins.
#include "plugins/analyzer_harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace bmil::test {
namespace {

using Json = nlohmann::json;

const std::vector<std::string> kAllLines = {"value",   "customer", "value_chain", "competence",
                                            "network", "relation", "process"};
const std::vector<std::string> kAllBlocks = {"value_proposition", "customers", "value_chain",
                                             "competences",       "network",   "relations",
                                             "value_formula"};

std::size_t Count(const std::vector<std::string>& codes, const std::string& code) {
  return static_cast<std::size_t>(std::count(codes.begin(), codes.end(), code));
}

const Json* FindingOf(const Json& result, const std::string& code) {
  for (const auto& f : result.at("findings"))
    if (f.at("code") == code) return &f;
  return nullptr;
}

// The row of `table` whose first cells equal `key`.
const Json* RowOf(const Json& table, const std::vector<std::string>& key) {
  for (const auto& row : table.at("rows")) {
    bool match = true;
    for (std::size_t i = 0; i < key.size(); ++i) match = match && row.at(i) == key[i];
    if (match) return &row;
  }
  return nullptr;
}

// The guiding question of `line` for `block`, as the line plugin describes it.
std::string QuestionOf(const std::string& line, const std::string& block) {
  const Json config = Json::parse(BuiltAnalyzerConfig());
  for (const auto& l : config.at("lines"))
    if (l.at("id") == line)
      for (const auto& q : l.at("questions"))
        if (q.at("block") == block) return q.at("question");
  return {};
}

// b1: four models and three tasks.
//   m1 AS IS, describes value_proposition and customers
//   m2 TO BE, describes network
//   m3 AS IS, no task                 -> a model without BMI
//   m4 AS IS retired, no task         -> not counted (retired)
//   t1 m1 {value_proposition, customers} x {value, customer} -> 4 cells
//   t2 m2 {network} x {network}                              -> 1 cell
//   t3 m1 {value_proposition} x {value}                      -> (value, VP) again
Case HandCase() {
  Case c = MakeCase("b1");
  AddModel(c, "m1", State::kAsIs).building_blocks = {{"value_proposition", {}}, {"customers", {}}};
  AddModel(c, "m2", State::kToBe).building_blocks = {{"network", {}}};
  AddModel(c, "m3", State::kAsIs);
  AddModel(c, "m4", State::kAsIs, Stage::kRetired);
  AddTask(c, "t1", "m1", {"value_proposition", "customers"}, {"value", "customer"});
  AddTask(c, "t2", "m2", {"network"}, {"network"});
  AddTask(c, "t3", "m1", {"value_proposition"}, {"value"});
  return c;
}

// A business whose tasks use exactly `cells` cells: lines x blocks of one task filling
// the first rows, then single cells.
Case CaseUsingCells(const std::string& id, int cells) {
  Case c = MakeCase(id);
  AddModel(c, "m1", State::kAsIs);
  int t = 0;
  for (int i = 0; i < cells; ++i) {
    // Cell i: line i / 7, block i % 7.
    AddTask(c, "t" + std::to_string(t++), "m1", {kAllBlocks[i % 7]}, {kAllLines[i / 7]});
  }
  return c;
}

TEST(BlindSpots, RegistryIsTheSevenBySevenCanvas) {
  ASSERT_EQ(BuiltRegistry().lines().size(), 7u);
  ASSERT_EQ(BuiltRegistry().blocks().size(), 7u);
}

TEST(BlindSpots, HandCaseMetrics) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("blind_spots", cases);
  EXPECT_EQ(Metric(r, "businesses"), 1);
  EXPECT_EQ(Metric(r, "business_models"), 4);
  EXPECT_EQ(Metric(r, "tasks"), 3);
  EXPECT_EQ(Metric(r, "cells"), 49);  // 7 x 7
  // (value,VP) (value,CU) (customer,VP) (customer,CU) (network,NE) = 5
  EXPECT_EQ(Metric(r, "cells_used"), 5);
  EXPECT_EQ(Metric(r, "cells_unused"), 44);  // 49 - 5
  EXPECT_DOUBLE_EQ(Metric(r, "coverage"), 5.0 / 49.0);
  // value_chain, competence, relation, process
  EXPECT_EQ(Metric(r, "lines_unused"), 4);
  // value_chain, competences, relations, value_formula
  EXPECT_EQ(Metric(r, "blocks_unused"), 4);
  EXPECT_EQ(Metric(r, "models_without_bmi"), 1);          // m3
  EXPECT_EQ(Metric(r, "retired_models_without_bmi"), 1);  // m4
  EXPECT_DOUBLE_EQ(Metric(r, "business_coverage"), 5.0 / 49.0);
  EXPECT_EQ(Metric(r, "businesses_low_coverage"), 1);  // 5 * 3 = 15 < 49
  EXPECT_EQ(Metric(r, "proposals"), 44);               // one per unused cell
}

TEST(BlindSpots, HandCaseTables) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("blind_spots", cases);

  // lines: id, code, tasks, businesses using, businesses not using, cells unused
  const Json& lines = Table(r, "lines");
  ASSERT_EQ(lines.at("rows").size(), 7u);
  EXPECT_EQ(*RowOf(lines, {"value"}), Json::parse(R"j(["value","VIL",2,1,0,5])j"));  // t1, t3
  EXPECT_EQ(*RowOf(lines, {"customer"}), Json::parse(R"j(["customer","CIL",1,1,0,5])j"));
  EXPECT_EQ(*RowOf(lines, {"network"}), Json::parse(R"j(["network","NIL",1,1,0,6])j"));
  EXPECT_EQ(*RowOf(lines, {"process"}), Json::parse(R"j(["process","PIL",0,0,1,7])j"));

  // blocks: id, tasks, businesses using, not using, models describing, AS IS describing
  const Json& blocks = Table(r, "blocks");
  EXPECT_EQ(*RowOf(blocks, {"value_proposition"}),
            Json::parse(R"j(["value_proposition",2,1,0,1,1])j"));                     // t1, t3; m1
  EXPECT_EQ(*RowOf(blocks, {"network"}), Json::parse(R"j(["network",1,1,0,1,0])j"));  // m2 TO BE
  EXPECT_EQ(*RowOf(blocks, {"value_formula"}), Json::parse(R"j(["value_formula",0,0,1,0,0])j"));

  // businesses: id, tasks, used, cells, coverage, below a third
  const Json& business = Table(r, "businesses").at("rows").at(0);
  EXPECT_EQ(business[0], "b1");
  EXPECT_EQ(business[1], 3);
  EXPECT_EQ(business[2], 5);
  EXPECT_EQ(business[3], 49);
  EXPECT_DOUBLE_EQ(business[4].get<double>(), 5.0 / 49.0);
  EXPECT_EQ(business[5], "yes");

  // models without BMI: m3 only (m4 is retired)
  EXPECT_EQ(Table(r, "models_without_bmi").at("rows"),
            Json::parse(R"j([["b1","m3","m3","as_is",""]])j"));

  // proposals: one per unused cell, line-major in registry order; the action follows
  // LeadershipLine::Propose lifted to the business.
  const Json& proposals = Table(r, "proposals");
  ASSERT_EQ(proposals.at("rows").size(), 44u);
  // The value line uses VP and CU, so the first unused cell is (value, value_chain): no
  // model describes value_chain -> create.
  EXPECT_EQ(proposals.at("rows")[0][0], "value");
  EXPECT_EQ(proposals.at("rows")[0][2], "value_chain");
  EXPECT_EQ(proposals.at("rows")[0][3], "create");
  // (value, network): only m2 (TO BE) describes network -> create
  const Json* value_network = RowOf(proposals, {"value", "VIL", "network"});
  ASSERT_NE(value_network, nullptr);
  EXPECT_EQ((*value_network)[3], "create");
  EXPECT_NE((*value_network)[5].get<std::string>().find("only TO BE"), std::string::npos);
  // (network, customers): m1 (AS IS) describes customers -> upgrade, with NIL's question
  const Json* network_customers = RowOf(proposals, {"network", "NIL", "customers"});
  ASSERT_NE(network_customers, nullptr);
  EXPECT_EQ((*network_customers)[3], "upgrade");
  EXPECT_EQ((*network_customers)[4], QuestionOf("network", "customers"));
  EXPECT_FALSE((*network_customers)[4].get<std::string>().empty());
  // used cells get no proposal
  EXPECT_EQ(RowOf(proposals, {"value", "VIL", "value_proposition"}), nullptr);

  // the matrix: 1 where the (one) business never uses the cell
  const Json& m = r.at("matrices").at(0);
  EXPECT_EQ(m.at("id"), "blind_spots.cells");
  EXPECT_EQ(m.at("values")[0], Json::parse("[0,0,1,1,1,1,1]"));  // value: VP, CU used
  EXPECT_EQ(m.at("values")[4], Json::parse("[1,1,1,1,0,1,1]"));  // network: NE used
  EXPECT_EQ(m.at("values")[6], Json::parse("[1,1,1,1,1,1,1]"));  // process: unused
  // Issue 17: for one business the cells are categories, labelled for the renderers.
  EXPECT_EQ(m.at("value_labels"),
            Json::parse(R"j({"0": "used by a BMI task", "1": "blind spot: no BMI task"})j"));
}

TEST(BlindSpots, HandCaseFindings) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("blind_spots", cases);
  EXPECT_EQ(FindingCodes(r),
            (std::vector<std::string>{
                "blind_spots.unused_line", "blind_spots.unused_line", "blind_spots.unused_line",
                "blind_spots.unused_line", "blind_spots.unused_block", "blind_spots.unused_block",
                "blind_spots.unused_block", "blind_spots.unused_block",
                "blind_spots.models_without_bmi", "blind_spots.low_coverage"}));
  const Json& findings = r.at("findings");
  // The first unused line is value_chain (VCIL): 0 of 3 tasks, all 7 cells unused.
  EXPECT_EQ(findings[0].at("evidence")[0], "0 of 3 BMI tasks are led through VCIL");
  EXPECT_EQ(findings[0].at("evidence")[1], "all 7 of its canvas cells are unused");
  EXPECT_NE(findings[0].at("message").get<std::string>().find("Value chain innovation leadership"),
            std::string::npos);
  // The first unused block is value_chain: described by no model.
  EXPECT_EQ(findings[4].at("evidence"), Json::parse(R"j(["0 of 3 BMI tasks touch value_chain",
                            "0 business model(s) describe value_chain (0 AS IS)"])j"));
  EXPECT_EQ(findings[8].at("evidence"),
            Json::parse(R"j(["1 of 4 business models have no BMI task (retired models not counted)",
                            "without BMI: m3"])j"));
  // 5 / 49 = 10.2% -> "10%"
  EXPECT_EQ(findings[9].at("evidence"),
            Json::parse(R"j(["5 of 49 canvas cells used (10%), below a third"])j"));
  EXPECT_EQ(findings[9].at("severity"), "warning");
}

TEST(BlindSpots, LowCoverageThreshold) {
  // 16 cells: 16 * 3 = 48 < 49 -> below a third -> finding.
  {
    const std::vector<Case> cases = {CaseUsingCells("b", 16)};
    const Json r = RunAnalyzer("blind_spots", cases);
    EXPECT_EQ(Metric(r, "cells_used"), 16);
    const Json* f = FindingOf(r, "blind_spots.low_coverage");
    ASSERT_NE(f, nullptr);
    // 16 / 49 = 32.65% -> "33%"
    EXPECT_EQ(f->at("evidence"),
              Json::parse(R"j(["16 of 49 canvas cells used (33%), below a third"])j"));
  }
  // 17 cells: 17 * 3 = 51 >= 49 -> no finding.
  {
    const std::vector<Case> cases = {CaseUsingCells("b", 17)};
    const Json r = RunAnalyzer("blind_spots", cases);
    EXPECT_EQ(Metric(r, "cells_used"), 17);
    EXPECT_EQ(Metric(r, "businesses_low_coverage"), 0);
    EXPECT_EQ(FindingOf(r, "blind_spots.low_coverage"), nullptr);
  }
}

TEST(BlindSpots, LowCoverageAcrossBusinessesNeedsAMajority) {
  // Two businesses, one low (5 cells) and one not (20): 1 * 2 > 2 is false -> no finding.
  {
    const std::vector<Case> cases = {CaseUsingCells("a", 5), CaseUsingCells("b", 20)};
    const Json r = RunAnalyzer("blind_spots", cases);
    EXPECT_EQ(Metric(r, "businesses_low_coverage"), 1);
    EXPECT_EQ(FindingOf(r, "blind_spots.low_coverage"), nullptr);
  }
  // Three businesses, two low (5 and 16 cells): 2 * 2 > 3 -> finding.
  {
    const std::vector<Case> cases = {CaseUsingCells("a", 5), CaseUsingCells("b", 20),
                                     CaseUsingCells("c", 16)};
    const Json r = RunAnalyzer("blind_spots", cases);
    EXPECT_EQ(Metric(r, "businesses_low_coverage"), 2);
    // pooled: (5 + 20 + 16) / (3 * 49) = 41 / 147
    EXPECT_DOUBLE_EQ(Metric(r, "business_coverage"), 41.0 / 147.0);
    // union: cells 0..19 are used by b, so 20 of 49
    EXPECT_EQ(Metric(r, "cells_used"), 20);
    const Json* f = FindingOf(r, "blind_spots.low_coverage");
    ASSERT_NE(f, nullptr);
    // 41 / 147 = 27.9% -> "28%"
    EXPECT_EQ(f->at("evidence"),
              Json::parse(R"j(["2 of 3 businesses use less than a third of their canvas cells",
                              "together they use 41 of 147 of their cells (28%)"])j"));
    // matrix: cell (value, VP) is used by all three; (process, VF) (cell 48) by none
    const Json& m = r.at("matrices").at(0);
    EXPECT_EQ(m.at("values")[0][0], 0);
    EXPECT_EQ(m.at("values")[6][6], 3);
    // cell 17 = (value_chain, competences): used by b (cells 0-19) only, not by a (0-4)
    // nor c (0-15) -> 2 businesses never use it
    EXPECT_EQ(m.at("values")[2][3], 2);
  }
}

TEST(BlindSpots, UnusedLineThreshold) {
  // Every line leads one task -> no unused line.
  Case all = MakeCase("b");
  AddModel(all, "m1", State::kAsIs);
  AddTask(all, "t1", "m1", {"value_proposition"}, kAllLines);
  // The same without the process line -> exactly one unused line.
  Case six = MakeCase("b");
  AddModel(six, "m1", State::kAsIs);
  AddTask(six, "t1", "m1", {"value_proposition"},
          {"value", "customer", "value_chain", "competence", "network", "relation"});
  const std::vector<Case> a = {all}, b = {six};
  EXPECT_EQ(Count(FindingCodes(RunAnalyzer("blind_spots", a)), "blind_spots.unused_line"), 0u);
  const Json r = RunAnalyzer("blind_spots", b);
  ASSERT_EQ(Count(FindingCodes(r), "blind_spots.unused_line"), 1u);
  const Json* f = FindingOf(r, "blind_spots.unused_line");
  EXPECT_EQ(f->at("evidence")[0], "0 of 1 BMI tasks are led through PIL");
  EXPECT_EQ(f->at("severity"), "notice");
}

TEST(BlindSpots, UnusedBlockThreshold) {
  Case all = MakeCase("b");
  AddModel(all, "m1", State::kAsIs);
  AddTask(all, "t1", "m1", kAllBlocks, {"value"});
  Case six = MakeCase("b");
  AddModel(six, "m1", State::kAsIs);
  AddTask(six, "t1", "m1",
          {"value_proposition", "customers", "value_chain", "competences", "network", "relations"},
          {"value"});
  const std::vector<Case> a = {all}, b = {six};
  EXPECT_EQ(Count(FindingCodes(RunAnalyzer("blind_spots", a)), "blind_spots.unused_block"), 0u);
  const Json r = RunAnalyzer("blind_spots", b);
  ASSERT_EQ(Count(FindingCodes(r), "blind_spots.unused_block"), 1u);
  EXPECT_EQ(FindingOf(r, "blind_spots.unused_block")->at("evidence")[0],
            "0 of 1 BMI tasks touch value_formula");
}

TEST(BlindSpots, ModelsWithoutBmiThreshold) {
  // Every model has one task -> no finding; a retired model without a task -> still none;
  // a market model without a task -> finding.
  Case with = MakeCase("b");
  AddModel(with, "m1", State::kAsIs);
  AddTask(with, "t1", "m1", {"customers"}, {"customer"});
  Case retired = with;
  AddModel(retired, "old", State::kAsIs, Stage::kRetired);
  Case without = with;
  AddModel(without, "m2", State::kToBe, Stage::kIdea);
  const std::vector<Case> a = {with}, b = {retired}, c = {without};
  EXPECT_EQ(FindingOf(RunAnalyzer("blind_spots", a), "blind_spots.models_without_bmi"), nullptr);
  EXPECT_EQ(FindingOf(RunAnalyzer("blind_spots", b), "blind_spots.models_without_bmi"), nullptr);
  const Json r = RunAnalyzer("blind_spots", c);
  const Json* f = FindingOf(r, "blind_spots.models_without_bmi");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence"),
            Json::parse(R"j(["1 of 2 business models have no BMI task (retired models not counted)",
                            "without BMI: m2"])j"));
  EXPECT_EQ(Table(r, "models_without_bmi").at("rows"),
            Json::parse(R"j([["b","m2","m2","to_be","idea"]])j"));
}

TEST(BlindSpots, ModelsAcrossBusinessesAreNamedWithTheirBusiness) {
  Case a = MakeCase("a");
  AddModel(a, "m1", State::kAsIs);
  Case b = MakeCase("b");
  AddModel(b, "m1", State::kAsIs);
  AddModel(b, "m2", State::kAsIs);
  AddTask(b, "t1", "m2", {"customers"}, {"customer"});
  const std::vector<Case> cases = {a, b};
  const Json r = RunAnalyzer("blind_spots", cases);
  const Json* f = FindingOf(r, "blind_spots.models_without_bmi");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence")[1], "without BMI: a/m1, b/m1");
}

TEST(BlindSpots, NoTasksGivesNoLineOrBlockFindings) {
  Case c = MakeCase("b");
  AddModel(c, "m1", State::kAsIs);
  const std::vector<Case> cases = {c};
  EXPECT_EQ(
      FindingCodes(RunAnalyzer("blind_spots", cases)),
      (std::vector<std::string>{"blind_spots.models_without_bmi", "blind_spots.low_coverage"}));
}

TEST(BlindSpots, SplitRunsEqualOneRun) {
  const std::vector<Case> cases = {HandCase(), CaseUsingCells("a", 5), CaseUsingCells("b", 20),
                                   CaseUsingCells("c", 16)};
  const Json whole = RunAnalyzer("blind_spots", cases);
  ExpectEverySplitEquals("blind_spots", cases, whole);
}

TEST(BlindSpots, ListingsAreCappedButCountsAreNot) {
  // 205 businesses, each with one model without BMI and one cell used: the listing tables
  // keep the first 200 in case order, merged or not; the metrics count all 205.
  std::vector<Case> cases;
  for (int i = 0; i < 205; ++i) {
    Case c = CaseUsingCells("b" + std::to_string(i), 1);
    AddModel(c, "idle", State::kToBe);
    cases.push_back(std::move(c));
  }
  const Json whole = RunAnalyzer("blind_spots", cases);
  EXPECT_EQ(Metric(whole, "businesses"), 205);
  EXPECT_EQ(Metric(whole, "models_without_bmi"), 205);
  EXPECT_EQ(Metric(whole, "businesses_low_coverage"), 205);
  EXPECT_EQ(Table(whole, "businesses").at("rows").size(), 200u);
  EXPECT_EQ(Table(whole, "models_without_bmi").at("rows").size(), 200u);
  EXPECT_EQ(Table(whole, "models_without_bmi").at("rows")[199][0], "b199");
  // 205 - 5 quoted = 200 more
  EXPECT_EQ(FindingOf(whole, "blind_spots.models_without_bmi")->at("evidence")[1],
            "without BMI: b0/idle, b1/idle, b2/idle, b3/idle, b4/idle and 200 more");
  EXPECT_EQ(RunAnalyzerSplit("blind_spots", cases, 150), whole);
}

TEST(BlindSpots, WorksWithoutLineDescriptors) {
  auto created = Analyzer("blind_spots").Create("{}");
  ASSERT_TRUE(std::holds_alternative<PluginInstance>(created));
  PluginInstance instance = std::move(std::get<PluginInstance>(created));
  const std::vector<Case> cases = {HandCase()};
  AddAll(instance, cases);
  const Json r = FinishOf(instance);
  EXPECT_EQ(Metric(r, "cells_used"), 5);
  // ids stand in for codes; no questions
  EXPECT_EQ(*RowOf(Table(r, "lines"), {"value"}), Json::parse(R"j(["value","value",2,1,0,5])j"));
  EXPECT_EQ(Table(r, "proposals").at("rows")[0][4], "");
}

// Cases that register other ids, in another order: counts go by id, not by bit index, and a
// cell, line or block counts as registered only for the businesses that register it.
//   a: lines [l1, l2],     blocks [b1, b2]; task {l1} x {b2}
//   b: lines [l2, l3, l1], blocks [b2, b1]; task {l3} x {b1} (bits 1 and 1)
// Ids in first-seen order: lines l1, l2, l3; blocks b1, b2.
// Unused cells per business: a (2 x 2 cells) all but (l1, b2); b (3 x 2) all but (l3, b1).
//   businesses never using: (l1,b1) 2, (l1,b2) 1, (l2,b1) 2, (l2,b2) 2, (l3,b1) 0, (l3,b2) 1
// Lines: l1 1 task, used by a, registered by a and b -> 1 not using; cells unused: (l1,b1).
//        l2 0 tasks, registered by both -> 2 not using; cells unused: both.
//        l3 1 task, used and registered by b -> 0 not using; cells unused: (l3,b2).
// Blocks: b1 1 task, used by b, registered by both -> 1 not using; b2 likewise (used by a).
// Coverage: a 1 of 4 cells, b 1 of 6: pooled 2 / 10 = 0.2.
TEST(BlindSpots, CasesWithOtherRegisteredIdsCountById) {
  RawCase a("a", {"l1", "l2"}, {"b1", "b2"});
  a.AddModel("m");
  a.AddTask(0, 0b01, 0b10);
  RawCase b("b", {"l2", "l3", "l1"}, {"b2", "b1"});
  b.AddModel("m");
  b.AddTask(0, 0b010, 0b10);
  auto check = [](const Json& r) {
    EXPECT_EQ(Metric(r, "cells"), 6);
    EXPECT_EQ(Metric(r, "cells_used"), 2);
    EXPECT_DOUBLE_EQ(Metric(r, "business_coverage"), 0.2);
    const Json* matrix = FindById(r.at("matrices"), "blind_spots.cells");
    ASSERT_NE(matrix, nullptr);
    EXPECT_EQ(matrix->at("values"), Json::parse("[[2, 1], [2, 2], [0, 1]]"));
    EXPECT_FALSE(matrix->contains("value_labels"));  // counts of businesses: a count scale
    EXPECT_EQ(Table(r, "lines").at("rows"), Json::parse(R"j([["l1", "l1", 1, 1, 1, 1],
                                                              ["l2", "l2", 0, 0, 2, 2],
                                                              ["l3", "l3", 1, 1, 0, 1]])j"));
    EXPECT_EQ(Table(r, "blocks").at("rows"),
              Json::parse(R"j([["b1", 1, 1, 1, 0, 0], ["b2", 1, 1, 1, 0, 0]])j"));
  };
  // One instance: the registration changes between the cases.
  PluginInstance one = NewInstance("blind_spots");
  ASSERT_FALSE(one.Add(a.view()).has_value());
  ASSERT_FALSE(one.Add(b.view()).has_value());
  const Json whole = FinishOf(one);
  check(whole);
  // Split, saved, loaded and merged: b's instance numbers the ids in its own order.
  PluginInstance first = MergedThroughSavedStates(
      "blind_spots", [&](PluginInstance& i) { EXPECT_FALSE(i.Add(a.view()).has_value()); },
      [&](PluginInstance& i) { EXPECT_FALSE(i.Add(b.view()).has_value()); });
  EXPECT_EQ(FinishOf(first), whole);
  // And a case added after a load continues the loaded counts.
  PluginInstance resumed = NewInstance("blind_spots");
  ASSERT_FALSE(resumed.Load(std::get<std::string>(first.Save())).has_value());
  ASSERT_FALSE(resumed.Add(b.view()).has_value());
  ASSERT_FALSE(one.Add(b.view()).has_value());
  EXPECT_EQ(FinishOf(resumed), FinishOf(one));
}

TEST(BlindSpots, LoadRefusesAForeignState) {
  PluginInstance instance = NewInstance("blind_spots");
  auto error = instance.Load(R"j({"format":"canvas/1"})j");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status, BMIL_ERROR_INVALID_STATE);
  error = instance.Load(R"j({"format":"blind_spots/1"})j");  // right format, no content
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status, BMIL_ERROR_INVALID_STATE);
}

// ------------------------------------------------------------------ listing caps (bmil
// --max-rows, --all) and the businesses of the findings

// b0..b<n-1>: one cell used (value x value_proposition) by model m1, and a model without BMI
// ("idle") each.
std::vector<Case> IdleModels(int n) {
  std::vector<Case> cases;
  for (int i = 0; i < n; ++i) {
    Case c = CaseUsingCells("b" + std::to_string(i), 1);
    AddModel(c, "idle", State::kToBe);
    cases.push_back(std::move(c));
  }
  return cases;
}

TEST(BlindSpots, MaxRowsCapsEveryListingButNotTheCounts) {
  const std::vector<Case> cases = IdleModels(3);
  const std::string config = ListingConfig({{"max_rows", 2}});
  const Json r = RunAnalyzer("blind_spots", cases, config);
  EXPECT_EQ(Metric(r, "businesses"), 3);
  EXPECT_EQ(Metric(r, "models_without_bmi"), 3);
  EXPECT_EQ(Metric(r, "proposals"), 48);  // 49 cells, 1 used
  EXPECT_EQ(Table(r, "businesses").at("rows").size(), 2u);
  EXPECT_EQ(Table(r, "businesses").at("title"), "Canvas coverage per business (first 2)");
  EXPECT_EQ(Table(r, "models_without_bmi").at("rows").size(), 2u);
  EXPECT_EQ(Table(r, "proposals").at("rows").size(), 2u);
  // Quoted: min(5, 2) = 2 models, then the 1 left.
  const Json* f = FindingOf(r, "blind_spots.models_without_bmi");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence")[1], "without BMI: b0/idle, b1/idle and 1 more");
  EXPECT_EQ(BusinessesOf(*f), (std::vector<std::string>{"b0", "b1"}));
  ExpectEverySplitEquals("blind_spots", cases, r, config);

  // By default nothing is cut here: all three quoted, no "more".
  const Json default_result = RunAnalyzer("blind_spots", cases);
  const Json* all_quoted = FindingOf(default_result, "blind_spots.models_without_bmi");
  ASSERT_NE(all_quoted, nullptr);
  EXPECT_EQ(all_quoted->at("evidence")[1], "without BMI: b0/idle, b1/idle, b2/idle");
  EXPECT_EQ(BusinessesOf(*all_quoted), (std::vector<std::string>{"b0", "b1", "b2"}));
}

TEST(BlindSpots, AllLiftsEveryCap) {
  const std::vector<Case> cases = IdleModels(250);
  const std::string config = ListingConfig({{"all", true}});
  const Json r = RunAnalyzer("blind_spots", cases, config);
  EXPECT_EQ(Table(r, "businesses").at("rows").size(), 250u);
  EXPECT_EQ(Table(r, "businesses").at("title"), "Canvas coverage per business (all)");
  EXPECT_EQ(Table(r, "models_without_bmi").at("rows").size(), 250u);
  EXPECT_EQ(Table(r, "models_without_bmi").at("rows")[249][0], "b249");
  EXPECT_EQ(Table(r, "proposals").at("rows").size(), 48u);
  // Every model quoted, no "more".
  const Json* f = FindingOf(r, "blind_spots.models_without_bmi");
  ASSERT_NE(f, nullptr);
  const std::string quoted = f->at("evidence")[1];
  EXPECT_EQ(quoted.find(" more"), std::string::npos);
  EXPECT_EQ(quoted.substr(quoted.size() - 11), ", b249/idle");
  const std::vector<std::string> businesses = BusinessesOf(*f);
  ASSERT_EQ(businesses.size(), 250u);
  EXPECT_EQ(businesses[249], "b249");
  for (std::size_t k : {std::size_t{0}, std::size_t{150}})
    EXPECT_EQ(RunAnalyzerSplit("blind_spots", cases, k, config), r) << "split " << k;
}

TEST(BlindSpots, FindingsCarryTheBusinessesOfTheirModels) {
  // a: every model has BMI; b: m1 and m2 without BMI (b once); c: none.
  Case a = CaseUsingCells("a", 1);
  Case b = CaseUsingCells("b", 1);
  AddModel(b, "m2", State::kAsIs);
  AddModel(b, "m3", State::kAsIs);
  Case c = CaseUsingCells("c", 1);
  const std::vector<Case> cases = {a, b, c};
  const Json r = RunAnalyzer("blind_spots", cases);
  const Json* f = FindingOf(r, "blind_spots.models_without_bmi");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence")[1], "without BMI: b/m2, b/m3");
  EXPECT_EQ(BusinessesOf(*f), std::vector<std::string>{"b"});
  // The canvas-wide findings concern no business in particular.
  ASSERT_NE(FindingOf(r, "blind_spots.unused_line"), nullptr);
  EXPECT_EQ(BusinessesOf(*FindingOf(r, "blind_spots.unused_line")), std::vector<std::string>{});
  ASSERT_NE(FindingOf(r, "blind_spots.low_coverage"), nullptr);
  EXPECT_EQ(BusinessesOf(*FindingOf(r, "blind_spots.low_coverage")), std::vector<std::string>{});
}

}  // namespace
}  // namespace bmil::test
