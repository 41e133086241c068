// Tests of the orchestration analyzer on hand-built cases. Every expected number is worked
// out by hand in the comments. The bundled lines, in registration order, are value (VIL),
// customer (CIL), value_chain (VCIL), competence (CoIL), network (NIL), relation (RIL) and
// process (PIL).
#include "plugins/analyzer_harness.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace bmil::test {
namespace {

using Json = nlohmann::json;

const Json* FindingOf(const Json& result, const std::string& code) {
  for (const auto& f : result.at("findings"))
    if (f.at("code") == code) return &f;
  return nullptr;
}

const Json& Matrix(const Json& result, const std::string& id) {
  const Json* m = FindById(result.at("matrices"), id);
  EXPECT_NE(m, nullptr) << id;
  static const Json kEmpty = {
      {"rows", Json::array()}, {"columns", Json::array()}, {"values", Json::array()}};
  return m == nullptr ? kEmpty : *m;
}

// The value of matrix cell (row id, column id).
double Cell(const Json& matrix, const std::string& row, const std::string& column) {
  std::size_t r = 0, c = 0;
  for (; r < matrix.at("rows").size(); ++r)
    if (matrix.at("rows")[r].at("id") == row) break;
  for (; c < matrix.at("columns").size(); ++c)
    if (matrix.at("columns")[c].at("id") == column) break;
  return matrix.at("values").at(r).at(c).get<double>();
}

BmiTask& Ends(BmiTask& task, const std::string& end) {
  task.period.end = end;
  return task;
}

// b1: two models, five tasks.
//   t1 A {customers}          {customer, network}          2010-2010   2 lines
//   t2 B {customers, network} {customer, network}          2010-2011   2 lines
//   t3 A {value_proposition}  {value}                      2011-2011   1 line
//   t4 B {value_proposition}  {value, customer, process}   2012, open  3 lines
//   t5 A {value_chain}        {value_chain}                no year     1 line
// Horizon (latest year named) = 2012, so t4 is active in 2012 only.
Case HandCase(const std::string& id = "b1") {
  Case c = MakeCase(id);
  AddModel(c, "a", State::kAsIs);
  AddModel(c, "b", State::kToBe);
  Ends(AddTask(c, "t1", "a", {"customers"}, {"customer", "network"}, "2010"), "2010");
  Ends(AddTask(c, "t2", "b", {"customers", "network"}, {"customer", "network"}, "2010"), "2011");
  Ends(AddTask(c, "t3", "a", {"value_proposition"}, {"value"}, "2011"), "2011");
  AddTask(c, "t4", "b", {"value_proposition"}, {"value", "customer", "process"}, "2012");
  AddTask(c, "t5", "a", {"value_chain"}, {"value_chain"});
  return c;
}

TEST(Orchestration, CountsMultiLineTasksByHand) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("orchestration", cases);
  EXPECT_EQ(Metric(r, "businesses"), 1);
  EXPECT_EQ(Metric(r, "tasks"), 5);
  EXPECT_EQ(Metric(r, "multi_line_tasks"), 3);              // t1, t2, t4
  EXPECT_EQ(Metric(r, "single_line_tasks"), 2);             // t3, t5
  EXPECT_DOUBLE_EQ(Metric(r, "multi_line_share"), 0.6);     // 3 / 5
  EXPECT_DOUBLE_EQ(Metric(r, "mean_lines_per_task"), 1.8);  // (2+2+1+3+1) / 5 = 9 / 5
  EXPECT_EQ(Metric(r, "tasks_without_year"), 1);            // t5

  // Tasks by number of lines: 1 line: t3, t5 (2/5); 2 lines: t1, t2 (2/5); 3 lines: t4 (1/5).
  const Json& per_count = Table(r, "lines_per_task");
  ASSERT_EQ(per_count.at("rows").size(), 3u);
  EXPECT_EQ(per_count.at("rows")[0], Json::parse("[1, 2, 0.4]"));
  EXPECT_EQ(per_count.at("rows")[1], Json::parse("[2, 2, 0.4]"));
  EXPECT_EQ(per_count.at("rows")[2], Json::parse("[3, 1, 0.2]"));
  EXPECT_EQ(per_count.at("chart").at("type"), "bar");

  // Multi-line tasks in case order, lines as codes.
  const Json& multi = Table(r, "multi_line_tasks");
  ASSERT_EQ(multi.at("rows").size(), 3u);
  EXPECT_EQ(multi.at("rows")[0],
            Json::parse(R"(["b1", "a", "t1", "CIL + NIL", 2, "customers", 2010])"));
  EXPECT_EQ(multi.at("rows")[2],
            Json::parse(R"(["b1", "b", "t4", "VIL + CIL + PIL", 3, "value_proposition", 2012])"));
}

TEST(Orchestration, CooccurrenceMatrixByHand) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("orchestration", cases);
  const Json& m = Matrix(r, "line_cooccurrence");
  EXPECT_EQ(m.at("chart"), "heatmap");
  ASSERT_EQ(m.at("rows").size(), 7u);  // every registered line
  ASSERT_EQ(m.at("columns").size(), 7u);
  EXPECT_EQ(m.at("rows")[1].at("label"), "CIL Customer innovation leadership");
  // Diagonal: tasks led through the line.
  EXPECT_EQ(Cell(m, "value", "value"), 2);              // t3, t4
  EXPECT_EQ(Cell(m, "customer", "customer"), 3);        // t1, t2, t4
  EXPECT_EQ(Cell(m, "network", "network"), 2);          // t1, t2
  EXPECT_EQ(Cell(m, "process", "process"), 1);          // t4
  EXPECT_EQ(Cell(m, "value_chain", "value_chain"), 1);  // t5
  EXPECT_EQ(Cell(m, "relation", "relation"), 0);
  // Off the diagonal: tasks led through both; symmetric.
  EXPECT_EQ(Cell(m, "customer", "network"), 2);  // t1, t2
  EXPECT_EQ(Cell(m, "network", "customer"), 2);
  EXPECT_EQ(Cell(m, "value", "customer"), 1);    // t4
  EXPECT_EQ(Cell(m, "value", "process"), 1);     // t4
  EXPECT_EQ(Cell(m, "customer", "process"), 1);  // t4
  EXPECT_EQ(Cell(m, "value", "network"), 0);

  // Pairs, most frequent first, ties in line order; share of the 3 multi-line tasks.
  const Json& pairs = Table(r, "line_pairs");
  ASSERT_EQ(pairs.at("rows").size(), 4u);
  EXPECT_EQ(pairs.at("rows")[0].at(0), "CIL + NIL");
  EXPECT_EQ(pairs.at("rows")[0].at(3), 2);
  EXPECT_DOUBLE_EQ(pairs.at("rows")[0].at(4).get<double>(), 2.0 / 3.0);
  EXPECT_EQ(pairs.at("rows")[1].at(0), "VIL + CIL");
  EXPECT_EQ(pairs.at("rows")[2].at(0), "VIL + PIL");
  EXPECT_EQ(pairs.at("rows")[3].at(0), "CIL + PIL");
  EXPECT_DOUBLE_EQ(pairs.at("rows")[3].at(4).get<double>(), 1.0 / 3.0);
}

TEST(Orchestration, CrossModelOrchestrationByHand) {
  // customers 2010: A {CIL, NIL} (t1), B {CIL, NIL} (t2): the pair is used by 2 models.
  // customers 2011 and network 2010/2011: only B. value_proposition: A in 2011, B in 2012.
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("orchestration", cases);
  EXPECT_EQ(Metric(r, "cross_model_orchestrations"), 1);
  EXPECT_EQ(Metric(r, "businesses_with_cross_model_orchestration"), 1);
  const Json& cross = Table(r, "cross_model_orchestrations");
  ASSERT_EQ(cross.at("rows").size(), 1u);
  EXPECT_EQ(cross.at("rows")[0],
            Json::parse(R"(["b1", "customers", 2010, "a, b", "CIL + NIL", 2, 2, 2])"));
  const Json* f = FindingOf(r, "orchestration.cross_model_orchestration");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("severity"), "info");
  EXPECT_EQ(f->at("evidence"),
            Json::parse(R"(["customers block in 2010: 2 business models (a, b) led through CIL + )"
                        R"(NIL in 2 tasks"])"));
  // 3 of 5 tasks are multi-line (60% >= 50%): not a single-line business.
  EXPECT_EQ(FindingOf(r, "orchestration.single_line_bmi"), nullptr);
  EXPECT_EQ(Table(r, "businesses").at("rows")[0], Json::parse(R"(["b1", 5, 3, 0.6, 1])"));
}

// Two models on the customers block in 2010; model B's lines vary.
Case PairCase(const std::vector<std::vector<std::string>>& b_tasks, const std::string& b_year) {
  Case c = MakeCase("p");
  AddModel(c, "a", State::kAsIs);
  AddModel(c, "b", State::kAsIs);
  Ends(AddTask(c, "ta", "a", {"customers"}, {"customer", "network"}, "2010"), "2010");
  int i = 0;
  for (const auto& lines : b_tasks)
    Ends(AddTask(c, "tb" + std::to_string(i++), "b", {"customers"}, lines, b_year), b_year);
  return c;
}

TEST(Orchestration, CrossModelThresholdNeedsThePairInTwoModels) {
  // Below: B is led through CIL only, so the pair CIL + NIL is used by A alone (1 model < 2).
  std::vector<Case> below = {PairCase({{"customer"}}, "2010")};
  Json r = RunAnalyzer("orchestration", below);
  EXPECT_EQ(Metric(r, "cross_model_orchestrations"), 0);
  EXPECT_EQ(FindingOf(r, "orchestration.cross_model_orchestration"), nullptr);

  // Below: two models each led through one different line are not orchestrated.
  Case different = MakeCase("p");
  AddModel(different, "a", State::kAsIs);
  AddModel(different, "b", State::kAsIs);
  AddTask(different, "ta", "a", {"customers"}, {"customer"}, "2010");
  AddTask(different, "tb", "b", {"customers"}, {"network"}, "2010");
  std::vector<Case> different_lines = {different};
  EXPECT_EQ(Metric(RunAnalyzer("orchestration", different_lines), "cross_model_orchestrations"), 0);

  // Below: the pair in both models, but in different years (2010 and 2011).
  std::vector<Case> other_year = {PairCase({{"customer", "network"}}, "2011")};
  EXPECT_EQ(Metric(RunAnalyzer("orchestration", other_year), "cross_model_orchestrations"), 0);

  // At: B gets NIL through a second task in the same year, so B uses the pair too (2 models).
  std::vector<Case> at = {PairCase({{"customer"}, {"network"}}, "2010")};
  r = RunAnalyzer("orchestration", at);
  EXPECT_EQ(Metric(r, "cross_model_orchestrations"), 1);
  const Json* f = FindingOf(r, "orchestration.cross_model_orchestration");
  ASSERT_NE(f, nullptr);
  // Tasks: ta, tb0, tb1 = 3.
  EXPECT_EQ(f->at("evidence")[0],
            "customers block in 2010: 2 business models (a, b) led through CIL + NIL in 3 tasks");
}

TEST(Orchestration, OpenTasksRunToTheLatestYearAndCompletedOnesEndAtTheirStart) {
  // A's task starts in 2010 with no end year; B's runs in 2011. Horizon = 2011.
  auto make = [](TaskStatus a_status) {
    Case c = MakeCase("y");
    AddModel(c, "a", State::kAsIs);
    AddModel(c, "b", State::kAsIs);
    AddTask(c, "ta", "a", {"customers"}, {"customer", "network"}, "2010").status = a_status;
    Ends(AddTask(c, "tb", "b", {"customers"}, {"customer", "network"}, "2011"), "2011");
    return c;
  };
  // Completed without an end year: active in 2010 only, no overlap with B (2011).
  std::vector<Case> completed = {make(TaskStatus::kCompleted)};
  EXPECT_EQ(Metric(RunAnalyzer("orchestration", completed), "cross_model_orchestrations"), 0);
  // Ongoing: active 2010 to the horizon 2011, so both models work the block in 2011.
  std::vector<Case> ongoing = {make(TaskStatus::kOngoing)};
  const Json r = RunAnalyzer("orchestration", ongoing);
  EXPECT_EQ(Metric(r, "cross_model_orchestrations"), 1);
  EXPECT_EQ(Table(r, "cross_model_orchestrations").at("rows")[0].at(2), 2011);
}

// A business with `tasks` tasks on one model, the first `multi` of them led through two lines.
Case LineShareCase(const std::string& id, int tasks, int multi) {
  Case c = MakeCase(id);
  AddModel(c, "m", State::kAsIs);
  for (int t = 0; t < tasks; ++t) {
    std::vector<std::string> lines = {"value"};
    if (t < multi) lines.push_back("customer");
    AddTask(c, "t" + std::to_string(t), "m", {"value_proposition"}, lines, "2010");
  }
  return c;
}

TEST(Orchestration, SingleLineThresholdIsHalfOfTheTasks) {
  // At the threshold: 2 of 4 tasks multi-line = 50%, not below 50%: no finding.
  std::vector<Case> half = {LineShareCase("s", 4, 2)};
  Json r = RunAnalyzer("orchestration", half);
  EXPECT_EQ(FindingOf(r, "orchestration.single_line_bmi"), nullptr);
  EXPECT_EQ(Metric(r, "single_line_businesses"), 0);

  // Just below: 2 of 5 = 40% < 50%: finding.
  std::vector<Case> below = {LineShareCase("s", 5, 2)};
  r = RunAnalyzer("orchestration", below);
  EXPECT_EQ(Metric(r, "single_line_businesses"), 1);
  const Json* f = FindingOf(r, "orchestration.single_line_bmi");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("severity"), "notice");
  EXPECT_EQ(f->at("evidence"),
            Json::parse(R"(["2 of 5 BMI tasks (40%) are led through two or more lines, below )"
                        R"(50%"])"));
  EXPECT_EQ(f->at("source"), "Lindgren 2012, sec. 3.2.1 and sec. 4");
}

TEST(Orchestration, SingleLineNeedsThreeTasks) {
  // 2 tasks, both single-line (0%): below the minimum of 3 tasks, no finding.
  std::vector<Case> two = {LineShareCase("s", 2, 0)};
  EXPECT_EQ(FindingOf(RunAnalyzer("orchestration", two), "orchestration.single_line_bmi"), nullptr);
  // 3 tasks, all single-line: finding, "0 of 3 ... (0%)".
  std::vector<Case> three = {LineShareCase("s", 3, 0)};
  const Json r = RunAnalyzer("orchestration", three);
  const Json* f = FindingOf(r, "orchestration.single_line_bmi");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence")[0],
            "0 of 3 BMI tasks (0%) are led through two or more lines, below 50%");
}

TEST(Orchestration, SharesOfNoTasksAreNull) {
  Case c = MakeCase("empty");
  AddModel(c, "m", State::kAsIs);
  const std::vector<Case> cases = {c};
  const Json r = RunAnalyzer("orchestration", cases);
  EXPECT_EQ(Metric(r, "tasks"), 0);
  EXPECT_TRUE(FindById(r.at("metrics"), "multi_line_share")->at("value").is_null());
  EXPECT_TRUE(FindById(r.at("metrics"), "mean_lines_per_task")->at("value").is_null());
  EXPECT_TRUE(r.at("findings").empty());
  EXPECT_TRUE(Table(r, "businesses").at("rows")[0].at(3).is_null());
}

TEST(Orchestration, ManyBusinessesQualifyModelsAndCountBusinesses) {
  // b1 (hand case: 1 orchestration, 60% multi-line) and s (2 of 5 = 40%: single-line).
  const std::vector<Case> cases = {HandCase("b1"), LineShareCase("s", 5, 2)};
  const Json r = RunAnalyzer("orchestration", cases);
  EXPECT_EQ(Metric(r, "businesses"), 2);
  EXPECT_EQ(Metric(r, "tasks"), 10);            // 5 + 5
  EXPECT_EQ(Metric(r, "multi_line_tasks"), 5);  // 3 + 2
  EXPECT_DOUBLE_EQ(Metric(r, "multi_line_share"), 0.5);
  const Json* cross = FindingOf(r, "orchestration.cross_model_orchestration");
  ASSERT_NE(cross, nullptr);
  EXPECT_EQ(cross->at("evidence")[0],
            "customers block in 2010: 2 business models (b1/a, b1/b) led through CIL + NIL in 2 "
            "tasks");
  EXPECT_EQ(cross->at("message").get<std::string>().rfind("1 of 2 businesses lead", 0), 0u);
  const Json* single = FindingOf(r, "orchestration.single_line_bmi");
  ASSERT_NE(single, nullptr);
  EXPECT_EQ(single->at("evidence")[0],
            "s: 2 of 5 BMI tasks (40%) are led through two or more lines, below 50%");
  EXPECT_EQ(single->at("message").get<std::string>().rfind("In 1 of 2 businesses, most", 0), 0u);
}

TEST(Orchestration, SplitRunsEqualOneRun) {
  const std::vector<Case> cases = {HandCase("b1"), LineShareCase("s", 5, 2),
                                   PairCase({{"customer"}, {"network"}}, "2010"),
                                   LineShareCase("t", 3, 0)};
  const Json whole = RunAnalyzer("orchestration", cases);
  ExpectEverySplitEquals("orchestration", cases, whole);
}

TEST(Orchestration, ListingsAreCappedButCountsCoverEveryCase) {
  // 30 businesses x 10 two-line tasks = 300 multi-line tasks; the listing keeps 200.
  std::vector<Case> cases;
  for (int i = 0; i < 30; ++i) cases.push_back(LineShareCase("c" + std::to_string(i), 10, 10));
  const Json whole = RunAnalyzer("orchestration", cases);
  EXPECT_EQ(Metric(whole, "multi_line_tasks"), 300);
  EXPECT_EQ(Table(whole, "multi_line_tasks").at("rows").size(), 200u);
  // The 200th row is business c19's last task (businesses c0..c19, 10 tasks each).
  EXPECT_EQ(Table(whole, "multi_line_tasks").at("rows")[199].at(0), "c19");
  EXPECT_EQ(Table(whole, "multi_line_tasks").at("rows")[199].at(2), "t9");
  for (std::size_t k : {std::size_t{7}, std::size_t{20}, std::size_t{25}})
    EXPECT_EQ(RunAnalyzerSplit("orchestration", cases, k), whole) << "split " << k;
}

TEST(Orchestration, WorksWithoutLineDescriptors) {
  // An empty configuration: line ids serve as labels.
  auto created = Analyzer("orchestration").Create("{}");
  ASSERT_TRUE(std::holds_alternative<PluginInstance>(created));
  PluginInstance instance = std::move(std::get<PluginInstance>(created));
  const std::vector<Case> cases = {HandCase()};
  AddAll(instance, cases);
  const Json r = FinishOf(instance);
  EXPECT_EQ(Table(r, "line_pairs").at("rows")[0].at(0), "customer + network");
  EXPECT_EQ(Matrix(r, "line_cooccurrence").at("rows")[1].at("label"), "customer");
}

TEST(Orchestration, CrossModelPairsMayDifferBetweenModels) {
  // customers 2010, four models:
  //   a: ta1 {customer, network}, ta2 {value}   S_a = {value, customer, network}
  //   b: tb {customer, network}                 S_b = {customer, network}
  //   c: tc {value, relation}                   S_c = {value, relation}
  //   d: td {value, network, process}           S_d = {value, network, process}
  // Pairs shared by two models: customer + network (a, b), value + network (a, d). c shares
  // only value with a and d: not orchestrated. Lines VIL + CIL + NIL (registration order),
  // models a, b, d; tasks of a, b, d through one of those lines: ta1, ta2, tb, td = 4.
  Case c = MakeCase("t");
  for (const char* m : {"a", "b", "c", "d"}) AddModel(c, m, State::kAsIs);
  auto task = [&](const std::string& id, const std::string& model, std::vector<std::string> lines) {
    Ends(AddTask(c, id, model, {"customers"}, std::move(lines), "2010"), "2010");
  };
  task("ta1", "a", {"customer", "network"});
  task("ta2", "a", {"value"});
  task("tb", "b", {"customer", "network"});
  task("tc", "c", {"value", "relation"});
  task("td", "d", {"value", "network", "process"});
  const std::vector<Case> cases = {c};
  const Json r = RunAnalyzer("orchestration", cases);
  EXPECT_EQ(Metric(r, "cross_model_orchestrations"), 1);
  EXPECT_EQ(Table(r, "cross_model_orchestrations").at("rows"),
            Json::parse(R"([["t", "customers", 2010, "a, b, d", "VIL + CIL + NIL", 3, 3, 4]])"));
}

// Cases that register other line ids, in another order: co-occurrence goes by id.
//   a: lines [l1, l2]      task {l1, l2}
//   b: lines [l2, l3, l1]  task {l3, l1} (bits 1 and 2)
// Lines in first-seen order l1, l2, l3: (l1, l1) 2, (l2, l2) 1, (l3, l3) 1, l1 with l2 1,
// l1 with l3 1, l2 with l3 0.
TEST(Orchestration, CasesWithOtherRegisteredIdsCountById) {
  RawCase a("a", {"l1", "l2"}, {"b1"});
  a.AddModel("m");
  a.AddTask(0, 0b011, 0b1);
  RawCase b("b", {"l2", "l3", "l1"}, {"b1"});
  b.AddModel("m");
  b.AddTask(0, 0b110, 0b1);
  const Json expected = Json::parse("[[2, 1, 1], [1, 1, 0], [1, 0, 1]]");
  PluginInstance one = NewInstance("orchestration");
  ASSERT_FALSE(one.Add(a.view()).has_value());
  ASSERT_FALSE(one.Add(b.view()).has_value());
  const Json whole = FinishOf(one);
  EXPECT_EQ(Matrix(whole, "line_cooccurrence").at("values"), expected);
  EXPECT_EQ(Metric(whole, "multi_line_tasks"), 2);
  EXPECT_EQ(Metric(whole, "tasks_without_year"), 2);
  // Split, saved, loaded and merged: b's instance numbers the lines in its own order.
  PluginInstance first = MergedThroughSavedStates(
      "orchestration", [&](PluginInstance& i) { EXPECT_FALSE(i.Add(a.view()).has_value()); },
      [&](PluginInstance& i) { EXPECT_FALSE(i.Add(b.view()).has_value()); });
  EXPECT_EQ(FinishOf(first), whole);
}

// A view registering more lines than the analyzer counts by line set (8) is counted task by
// task; both ways add up, in either order.
//   a: lines l1..l9; tasks {l1, l9}, {l9}
//   b: lines [l9, l1]; task {l9, l1}
// Co-occurrence: (l1, l1) 1 + 1 = 2, (l9, l9) 2 + 1 = 3, l1 with l9 1 + 1 = 2. Tasks by number
// of lines: one line 1 task, two lines 2 tasks; mean (2 + 1 + 2) / 3 = 5 / 3.
TEST(Orchestration, ManyRegisteredLinesCountAlike) {
  std::vector<std::string> nine;
  for (int i = 1; i <= 9; ++i) nine.push_back("l" + std::to_string(i));
  RawCase a("a", nine, {"b1"});
  a.AddModel("m");
  a.AddTask(0, 0b100000001, 0b1);
  a.AddTask(0, 0b100000000, 0b1);
  RawCase b("b", {"l9", "l1"}, {"b1"});
  b.AddModel("m");
  b.AddTask(0, 0b11, 0b1);
  for (const std::vector<RawCase*>& order :
       {std::vector<RawCase*>{&a, &b}, std::vector<RawCase*>{&b, &a}}) {
    PluginInstance instance = NewInstance("orchestration");
    for (RawCase* c : order) ASSERT_FALSE(instance.Add(c->view()).has_value());
    const Json r = FinishOf(instance);
    const Json& m = Matrix(r, "line_cooccurrence");
    EXPECT_EQ(Cell(m, "l1", "l1"), 2);
    EXPECT_EQ(Cell(m, "l9", "l9"), 3);
    EXPECT_EQ(Cell(m, "l1", "l9"), 2);
    EXPECT_EQ(Cell(m, "l9", "l1"), 2);
    EXPECT_EQ(Cell(m, "l2", "l2"), 0);
    EXPECT_EQ(Table(r, "lines_per_task").at("rows"),
              Json::parse("[[1, 1, 0.3333333333333333], [2, 2, 0.6666666666666666]]"));
    EXPECT_DOUBLE_EQ(Metric(r, "mean_lines_per_task"), 5.0 / 3.0);
  }
}

// Load() replaces the state: a case added after it is counted against the loaded lines, even
// when the instance saw the same view before.
TEST(Orchestration, CasesAddedAfterALoadCountAgainstTheLoadedLines) {
  RawCase a("a", {"l1", "l2"}, {"b1"});
  a.AddModel("m");
  a.AddTask(0, 0b01, 0b1);
  RawCase b("b", {"l2", "l3", "l1"}, {"b1"});
  b.AddModel("m");
  b.AddTask(0, 0b110, 0b1);
  PluginInstance saved = NewInstance("orchestration");  // lines l2, l3, l1
  ASSERT_FALSE(saved.Add(b.view()).has_value());
  ASSERT_FALSE(saved.Add(a.view()).has_value());
  PluginInstance instance = NewInstance("orchestration");
  ASSERT_FALSE(instance.Add(a.view()).has_value());  // replaced by the load
  ASSERT_FALSE(instance.Load(std::get<std::string>(saved.Save())).has_value());
  ASSERT_FALSE(instance.Add(a.view()).has_value());
  // b, a, a: (l1, l1) 1 + 1 + 1 = 3, (l3, l3) 1, l1 with l3 1, l2 0.
  const Json r = FinishOf(instance);
  const Json& m = Matrix(r, "line_cooccurrence");
  EXPECT_EQ(Cell(m, "l1", "l1"), 3);
  EXPECT_EQ(Cell(m, "l3", "l3"), 1);
  EXPECT_EQ(Cell(m, "l1", "l3"), 1);
  EXPECT_EQ(Cell(m, "l2", "l2"), 0);
  EXPECT_EQ(Metric(r, "businesses"), 3);
}

// More models than the whole-model tests take (64): every block is examined year by year.
// m0 and m64 lead tasks on b1 in 2010 through l1 and l2, m1 through l1 only: one
// orchestration, models m0 and m64, lines l1 + l2, 2 tasks.
TEST(Orchestration, ManyModelsAreCheckedToo) {
  RawCase c("c", {"l1", "l2"}, {"b1"});
  for (int i = 0; i < 65; ++i) c.AddModel("m" + std::to_string(i));
  c.AddTask(0, 0b11, 0b1, 2010, 2010);
  c.AddTask(1, 0b01, 0b1, 2010, 2010);
  c.AddTask(64, 0b11, 0b1, 2010, 2010);
  PluginInstance instance = NewInstance("orchestration");
  ASSERT_FALSE(instance.Add(c.view()).has_value());
  const Json r = FinishOf(instance);
  EXPECT_EQ(Table(r, "cross_model_orchestrations").at("rows"),
            Json::parse(R"([["c", "b1", 2010, "m0, m64", "l1 + l2", 2, 2, 2]])"));
}

TEST(Orchestration, LoadRefusesAnotherFormat) {
  PluginInstance instance = NewInstance("orchestration");
  const auto error = instance.Load(R"({"format": "canvas/1"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status, BMIL_ERROR_INVALID_STATE);
  const auto malformed = instance.Load(R"({"format": "orchestration/1", "cases": "x"})");
  ASSERT_TRUE(malformed.has_value());
  EXPECT_EQ(malformed->status, BMIL_ERROR_INVALID_STATE);
}

// ------------------------------------------------------------------ listing caps (bmil
// --max-rows, --all) and the businesses of the findings

// b1, b2, b3: the hand case (3 multi-line tasks, 1 cross-model orchestration each, 60%
// multi-line); s1, s2, s3: 2 of 5 tasks multi-line (40%, single-line businesses).
std::vector<Case> SixBusinesses() {
  return {HandCase("b1"),
          HandCase("b2"),
          HandCase("b3"),
          LineShareCase("s1", 5, 2),
          LineShareCase("s2", 5, 2),
          LineShareCase("s3", 5, 2)};
}

TEST(Orchestration, MaxRowsCapsEveryListingButNotTheCounts) {
  const std::vector<Case> cases = SixBusinesses();
  const std::string config = ListingConfig({{"max_rows", 2}});
  const Json r = RunAnalyzer("orchestration", cases, config);
  // Multi-line tasks: 3 x 3 + 3 x 2 = 15; listed: b1's t1 and t2.
  EXPECT_EQ(Metric(r, "multi_line_tasks"), 15);
  const Json& multi = Table(r, "multi_line_tasks");
  ASSERT_EQ(multi.at("rows").size(), 2u);
  EXPECT_EQ(multi.at("title"), "Tasks led through two or more lines (first 2)");
  EXPECT_EQ(multi.at("rows")[1].at(2), "t2");
  // Orchestrations: 3 (one per hand case); listed: b1's and b2's.
  EXPECT_EQ(Metric(r, "cross_model_orchestrations"), 3);
  const Json& cross = Table(r, "cross_model_orchestrations");
  ASSERT_EQ(cross.at("rows").size(), 2u);
  EXPECT_EQ(cross.at("rows")[1].at(0), "b2");
  EXPECT_EQ(Metric(r, "businesses"), 6);
  EXPECT_EQ(Table(r, "businesses").at("rows").size(), 2u);
  EXPECT_EQ(Table(r, "businesses").at("title"), "Orchestration per business (first 2)");
  // Evidence: min(10, 2) = 2 lines, then the 1 orchestration (business) left.
  const Json* f = FindingOf(r, "orchestration.cross_model_orchestration");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->at("evidence").size(), 3u);
  EXPECT_EQ(f->at("evidence")[2], "... and 1 more");
  EXPECT_EQ(BusinessesOf(*f), (std::vector<std::string>{"b1", "b2"}));
  EXPECT_EQ(Metric(r, "single_line_businesses"), 3);
  const Json* single = FindingOf(r, "orchestration.single_line_bmi");
  ASSERT_NE(single, nullptr);
  ASSERT_EQ(single->at("evidence").size(), 3u);
  EXPECT_EQ(single->at("evidence")[0],
            "s1: 2 of 5 BMI tasks (40%) are led through two or more lines, below 50%");
  EXPECT_EQ(single->at("evidence")[2], "... and 1 more");
  EXPECT_EQ(BusinessesOf(*single), (std::vector<std::string>{"s1", "s2"}));
  ExpectEverySplitEquals("orchestration", cases, r, config);

  // By default nothing is cut here: no "more" line, every business in the findings.
  const Json all_listed = RunAnalyzer("orchestration", cases);
  const Json* f_default = FindingOf(all_listed, "orchestration.cross_model_orchestration");
  ASSERT_NE(f_default, nullptr);
  EXPECT_EQ(f_default->at("evidence").size(), 3u);
  EXPECT_EQ(f_default->at("evidence")[2].get<std::string>().rfind("customers block", 0), 0u);
  EXPECT_EQ(BusinessesOf(*f_default), (std::vector<std::string>{"b1", "b2", "b3"}));
}

// c0..c249: 3 tasks, the first of them led through two lines (33%): each a single-line
// business with one multi-line task.
std::vector<Case> ManySingleLineBusinesses() {
  std::vector<Case> cases;
  for (int i = 0; i < 250; ++i) cases.push_back(LineShareCase("c" + std::to_string(i), 3, 1));
  return cases;
}

TEST(Orchestration, AllLiftsEveryCap) {
  const std::vector<Case> cases = ManySingleLineBusinesses();
  const std::string config = ListingConfig({{"all", true}});
  const Json r = RunAnalyzer("orchestration", cases, config);
  EXPECT_EQ(Metric(r, "multi_line_tasks"), 250);
  EXPECT_EQ(Table(r, "multi_line_tasks").at("rows").size(), 250u);
  EXPECT_EQ(Table(r, "multi_line_tasks").at("title"), "Tasks led through two or more lines (all)");
  EXPECT_EQ(Table(r, "businesses").at("rows").size(), 250u);
  EXPECT_EQ(Table(r, "businesses").at("rows")[249].at(0), "c249");
  const Json* single = FindingOf(r, "orchestration.single_line_bmi");
  ASSERT_NE(single, nullptr);
  ASSERT_EQ(single->at("evidence").size(), 250u);  // one line per business, no "more"
  EXPECT_EQ(single->at("evidence")[249],
            "c249: 1 of 3 BMI tasks (33%) are led through two or more lines, below 50%");
  const std::vector<std::string> businesses = BusinessesOf(*single);
  ASSERT_EQ(businesses.size(), 250u);
  EXPECT_EQ(businesses[0], "c0");
  EXPECT_EQ(businesses[249], "c249");
  for (std::size_t k : {std::size_t{0}, std::size_t{100}, std::size_t{250}})
    EXPECT_EQ(RunAnalyzerSplit("orchestration", cases, k, config), r) << "split " << k;

  // By default: 200 rows, 10 evidence lines and the 240 businesses left.
  const Json capped = RunAnalyzer("orchestration", cases);
  EXPECT_EQ(Table(capped, "multi_line_tasks").at("rows").size(), 200u);
  EXPECT_EQ(Table(capped, "multi_line_tasks").at("title"),
            "Tasks led through two or more lines (first 200)");
  const Json* capped_single = FindingOf(capped, "orchestration.single_line_bmi");
  ASSERT_NE(capped_single, nullptr);
  ASSERT_EQ(capped_single->at("evidence").size(), 11u);
  EXPECT_EQ(capped_single->at("evidence")[10], "... and 240 more");
  EXPECT_EQ(BusinessesOf(*capped_single).size(), 10u);
}

TEST(Orchestration, ALoadedStateKeepsThePrefixItsCapsAllow) {
  // Saved by an instance with every row (bmil --all), loaded by one with the default caps:
  // the same as a run with the default caps.
  const std::vector<Case> cases = ManySingleLineBusinesses();
  PluginInstance all = NewInstance("orchestration", ListingConfig({{"all", true}}));
  AddAll(all, cases);
  PluginInstance loaded = NewInstance("orchestration");
  ASSERT_FALSE(loaded.Load(SavedState(all).dump()).has_value());
  EXPECT_EQ(FinishOf(loaded), RunAnalyzer("orchestration", cases));
}

TEST(Orchestration, FindingsCarryTheBusinessesTheyConcern) {
  // One business: the findings concern it, although their evidence does not name it.
  const std::vector<Case> one = {HandCase("b1")};
  const Json r1 = RunAnalyzer("orchestration", one);
  const Json* cross = FindingOf(r1, "orchestration.cross_model_orchestration");
  ASSERT_NE(cross, nullptr);
  EXPECT_EQ(BusinessesOf(*cross), std::vector<std::string>{"b1"});
  // Two businesses, only the second single-line (b1: 2 of 4, 50%; b2: 2 of 5, 40%).
  const std::vector<Case> two = {LineShareCase("b1", 4, 2), LineShareCase("b2", 5, 2)};
  const Json r = RunAnalyzer("orchestration", two);
  const Json* single = FindingOf(r, "orchestration.single_line_bmi");
  ASSERT_NE(single, nullptr);
  EXPECT_EQ(BusinessesOf(*single), std::vector<std::string>{"b2"});
  EXPECT_EQ(FindingOf(r, "orchestration.cross_model_orchestration"), nullptr);
}

}  // namespace
}  // namespace bmil::test
