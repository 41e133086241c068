// Tests of the line_mix analyzer: hand-built cases with every expected number worked out in
// the comments (shares, least-squares slopes), both sides of every finding's threshold, and
// the constructed dataset of tests/data/paper_figures/ (network leadership rising).
#include "plugins/analyzer_harness.hpp"

#include <bmil/case_io.hpp>

#include <gtest/gtest.h>

#include <cmath>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace bmil::test {
namespace {

using Json = nlohmann::json;

const Json* FindingOf(const Json& result, const std::string& code, const std::string& text = "") {
  for (const auto& f : result.at("findings"))
    if (f.at("code") == code && f.at("message").get<std::string>().find(text) != std::string::npos)
      return &f;
  return nullptr;
}

std::size_t CountOf(const Json& result, const std::string& code) {
  const auto codes = FindingCodes(result);
  return static_cast<std::size_t>(std::count(codes.begin(), codes.end(), code));
}

const Json* RowOf(const Json& table, const Json& key) {
  for (const auto& row : table.at("rows"))
    if (row.at(0) == key) return &row;
  return nullptr;
}

std::size_t ColumnOf(const Json& table, const std::string& id) {
  const auto& columns = table.at("columns");
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].at("id") == id) return i;
  ADD_FAILURE() << "no column " << id;
  return 0;
}

bool IsNullMetric(const Json& result, const std::string& id) {
  for (const auto& m : result.at("metrics"))
    if (m.at("id") == id) return m.at("value").is_null();
  ADD_FAILURE() << "no metric " << id;
  return false;
}

// b1: AS IS model m1, TO BE model m2, six tasks.
//   t1 m1 [customer, value]  2010
//   t2 m1 [customer]         2011
//   t3 m1 [network]          2012
//   t4 m2 [network, customer] 2012
//   t5 m2 [process]          (no year)
//   t6 m2 [value_chain]      2010
// Mentions: customer 3, network 2, value 1, value_chain 1, process 1 = 8.
//   AS IS (t1-t3): customer 2, value 1, network 1 = 4; TO BE (t4-t6): network 1,
//   customer 1, process 1, value_chain 1 = 4.
//   2010: customer 1, value 1, value_chain 1 = 3 (2 tasks); 2011: customer 1 = 1 (1 task);
//   2012: network 2, customer 1 = 3 (2 tasks); year not stated: process 1 (1 task).
Case HandCase() {
  Case c = MakeCase("b1");
  AddModel(c, "m1", State::kAsIs);
  AddModel(c, "m2", State::kToBe);
  AddTask(c, "t1", "m1", {"customers"}, {"customer", "value"}, "2010");
  AddTask(c, "t2", "m1", {"customers"}, {"customer"}, "2011-04");
  AddTask(c, "t3", "m1", {"network"}, {"network"}, "2012");
  AddTask(c, "t4", "m2", {"customers", "network"}, {"network", "customer"}, "2012-09-01");
  AddTask(c, "t5", "m2", {"value_proposition"}, {"process"});
  AddTask(c, "t6", "m2", {"value_chain"}, {"value_chain"}, "2010");
  return c;
}

// A business with one AS IS model and, per year, `lines[line]` one-line tasks.
Case YearlyCase(const std::string& id, const std::map<int, std::map<std::string, int>>& years) {
  Case c = MakeCase(id);
  AddModel(c, "m", State::kAsIs);
  int t = 0;
  for (const auto& [year, lines] : years)
    for (const auto& [line, n] : lines)
      for (int i = 0; i < n; ++i)
        AddTask(c, "t" + std::to_string(++t), "m", {"customers"}, {line}, std::to_string(year));
  return c;
}

TEST(LineMix, CountsMentionsOverallAndByState) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("line_mix", cases);
  EXPECT_EQ(Metric(r, "tasks"), 6);
  EXPECT_EQ(Metric(r, "tasks_as_is"), 3);
  EXPECT_EQ(Metric(r, "tasks_to_be"), 3);
  EXPECT_EQ(Metric(r, "tasks_year_not_stated"), 1);
  EXPECT_EQ(Metric(r, "mentions"), 8);
  EXPECT_EQ(Metric(r, "mentions_as_is"), 4);
  EXPECT_EQ(Metric(r, "mentions_to_be"), 4);
  EXPECT_EQ(Metric(r, "mentions_year_not_stated"), 1);
  EXPECT_DOUBLE_EQ(Metric(r, "share_customer"), 3.0 / 8.0);
  EXPECT_DOUBLE_EQ(Metric(r, "share_network"), 2.0 / 8.0);
  EXPECT_DOUBLE_EQ(Metric(r, "share_process"), 1.0 / 8.0);  // counted without a year
  EXPECT_DOUBLE_EQ(Metric(r, "share_relation"), 0.0);
  // CIL + NIL + VIL = 3 + 2 + 1 = 6 of 8.
  EXPECT_DOUBLE_EQ(Metric(r, "dominant_share"), 6.0 / 8.0);

  // Ranked: customer 3, network 2, then value, value_chain, process 1 each, competence and
  // relation 0 (ties in registration order: value, customer, value_chain, competence,
  // network, relation, process).
  const Json& lines = Table(r, "lines");
  const std::vector<std::string> order = {"customer", "network",    "value",   "value_chain",
                                          "process",  "competence", "relation"};
  const std::vector<int> counts = {3, 2, 1, 1, 1, 0, 0};
  const std::vector<int> no_year = {0, 0, 0, 0, 1, 0, 0};
  ASSERT_EQ(lines.at("rows").size(), order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Json& row = lines.at("rows").at(i);
    EXPECT_EQ(row.at(1), order[i]);
    EXPECT_EQ(row.at(ColumnOf(lines, "mentions")), counts[i]);
    EXPECT_DOUBLE_EQ(row.at(ColumnOf(lines, "share")).get<double>(), counts[i] / 8.0);
    EXPECT_EQ(row.at(ColumnOf(lines, "year_not_stated")), no_year[i]);
  }
  // Labels come from the line plugins' descriptors.
  EXPECT_EQ(lines.at("rows").at(0).at(2), "Customer innovation leadership (CIL)");

  // AS IS vs TO BE: customer 2 of 4 vs 1 of 4 (difference -1/4); network 1/4 vs 1/4.
  const Json& by_state = Table(r, "lines_by_state");
  EXPECT_EQ(by_state.at("chart").at("y"), Json({"as_is_share", "to_be_share"}));
  const Json* customer = RowOf(by_state, "customer");
  ASSERT_NE(customer, nullptr);
  EXPECT_EQ(customer->at(ColumnOf(by_state, "as_is_mentions")), 2);
  EXPECT_DOUBLE_EQ(customer->at(ColumnOf(by_state, "as_is_share")).get<double>(), 0.5);
  EXPECT_EQ(customer->at(ColumnOf(by_state, "to_be_mentions")), 1);
  EXPECT_DOUBLE_EQ(customer->at(ColumnOf(by_state, "to_be_share")).get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(customer->at(ColumnOf(by_state, "difference")).get<double>(), -0.25);
}

// Issue 17: tasks on a retired model are BMI that happened, but not AS IS innovation.
TEST(LineMix, RetiredModelsAreNotAsIsInnovation) {
  const std::vector<Case> before = {HandCase()};
  const Json r0 = RunAnalyzer("line_mix", before);
  Case c = HandCase();
  AddModel(c, "old", State::kAsIs, Stage::kRetired);
  AddTask(c, "r1", "old", {"value_proposition"}, {"value", "customer"}, "2010");
  const std::vector<Case> cases = {c};
  const Json r = RunAnalyzer("line_mix", cases);
  EXPECT_EQ(Metric(r, "tasks"), Metric(r0, "tasks") + 1);
  EXPECT_EQ(Metric(r, "mentions"), Metric(r0, "mentions") + 2);
  EXPECT_EQ(Metric(r, "tasks_as_is"), Metric(r0, "tasks_as_is"));
  EXPECT_EQ(Metric(r, "mentions_as_is"), Metric(r0, "mentions_as_is"));
  EXPECT_EQ(Metric(r, "tasks_to_be"), Metric(r0, "tasks_to_be"));
}

TEST(LineMix, YearlySharesAndTrends) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("line_mix", cases);
  EXPECT_EQ(Metric(r, "years"), 3);
  EXPECT_EQ(Metric(r, "first_year"), 2010);
  EXPECT_EQ(Metric(r, "last_year"), 2012);
  // Only stated years are on the time axis.
  const Json& yearly = Table(r, "lines_by_year");
  EXPECT_EQ(yearly.at("chart").at("type"), "line");
  EXPECT_EQ(yearly.at("chart").at("x"), "year");
  ASSERT_EQ(yearly.at("rows").size(), 3u);
  // 2010: 2 tasks, 3 mentions; value 1/3, customer 1/3, value_chain 1/3, others 0.
  const Json* y2010 = RowOf(yearly, 2010);
  ASSERT_NE(y2010, nullptr);
  EXPECT_EQ(y2010->at(ColumnOf(yearly, "tasks")), 2);
  EXPECT_EQ(y2010->at(ColumnOf(yearly, "mentions")), 3);
  EXPECT_DOUBLE_EQ(y2010->at(ColumnOf(yearly, "customer")).get<double>(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(y2010->at(ColumnOf(yearly, "network")).get<double>(), 0.0);
  // 2012: network 2 of 3.
  EXPECT_DOUBLE_EQ(RowOf(yearly, 2012)->at(ColumnOf(yearly, "network")).get<double>(), 2.0 / 3.0);
  // Slopes over x = 2010, 2011, 2012 (x - mean = -1, 0, 1; sum of squares 2):
  //   network  0, 0, 2/3     -> (2/3) / 2       = 1/3
  //   customer 1/3, 1, 1/3   -> (1/3 - 1/3) / 2 = 0
  //   value    1/3, 0, 0     -> (-1/3) / 2      = -1/6
  EXPECT_NEAR(Metric(r, "trend_network"), 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(Metric(r, "trend_customer"), 0.0, 1e-12);
  EXPECT_NEAR(Metric(r, "trend_value"), -1.0 / 6.0, 1e-12);
  EXPECT_NEAR(Metric(r, "trend_process"), 0.0, 1e-12);  // its one mention has no year
  // NIL's slope is steep, but from 2 mentions (< 5): no finding, and the table says why.
  EXPECT_EQ(CountOf(r, "line_mix.rising_line"), 0u);
  EXPECT_EQ(CountOf(r, "line_mix.falling_line"), 0u);
  const Json& trends = Table(r, "line_trends");
  const Json* network = RowOf(trends, "network");
  ASSERT_NE(network, nullptr);
  EXPECT_EQ(network->at(ColumnOf(trends, "years")), 3);
  EXPECT_EQ(network->at(ColumnOf(trends, "mentions")), 2);
  EXPECT_EQ(network->at(ColumnOf(trends, "first_year")), 2010);
  EXPECT_EQ(network->at(ColumnOf(trends, "last_year")), 2012);
  EXPECT_DOUBLE_EQ(network->at(ColumnOf(trends, "last_share")).get<double>(), 2.0 / 3.0);
  EXPECT_EQ(network->at(ColumnOf(trends, "trend")), "too few mentions");
  // The line x year matrix of mentions: network row 0, 0, 2.
  const Json& m = r.at("matrices").at(0);
  EXPECT_EQ(m.at("id"), "mentions_by_year");
  ASSERT_EQ(m.at("columns").size(), 3u);
  EXPECT_EQ(m.at("columns").at(0).at("id"), "2010");
  EXPECT_EQ(m.at("values").at(4), Json({0, 0, 2}));  // network is the fifth line
}

// The brief's hand example: shares 0.1, 0.2, 0.3 over 2010-2012 give slope 0.1.
TEST(LineMix, SlopeOfRisingShares) {
  // 10 mentions a year: network 1, 2, 3; value 9, 8, 7.
  const std::vector<Case> cases = {YearlyCase("b1", {{2010, {{"network", 1}, {"value", 9}}},
                                                     {2011, {{"network", 2}, {"value", 8}}},
                                                     {2012, {{"network", 3}, {"value", 7}}}})};
  const Json r = RunAnalyzer("line_mix", cases);
  // network: (-1 * 0.1 + 0 * 0.2 + 1 * 0.3) / 2 = 0.1; value: (-0.9 + 0.7) / 2 = -0.1.
  EXPECT_NEAR(Metric(r, "trend_network"), 0.1, 1e-12);
  EXPECT_NEAR(Metric(r, "trend_value"), -0.1, 1e-12);
  const Json* rising = FindingOf(r, "line_mix.rising_line");
  ASSERT_NE(rising, nullptr);
  EXPECT_EQ(rising->at("severity"), "info");
  EXPECT_EQ(rising->at("message"),
            "Network innovation leadership (NIL) is rising: its share of the BMI grew by about "
            "10.0 share points a year over 2010-2012.");
  EXPECT_EQ(rising->at("evidence").at(0),
            "share of line mentions per year: 2010 10%, 2011 20%, 2012 30%");
  EXPECT_EQ(rising->at("evidence").at(1),
            "least-squares slope +10.0 share points per year over 3 years, from 6 mentions of "
            "the line (threshold: at least 5.0 a year, over at least 3 years, from at least 5 "
            "mentions)");
  const Json* falling = FindingOf(r, "line_mix.falling_line");
  ASSERT_NE(falling, nullptr);
  EXPECT_NE(falling->at("message").get<std::string>().find("(VIL) is falling"), std::string::npos);
  // Four-year example with gaps in x: shares 0.1 (2009), 0.1 (2010), 0.4 (2012).
  // mean x = 2010.333; dx = -4/3, -1/3, 5/3; sum dx^2 = (16 + 1 + 25) / 9 = 42/9;
  // sum dx * y = -0.4/3 - 0.1/3 + 2/3 = 1.5/3 = 0.5; slope = 0.5 / (42/9) = 4.5/42 = 0.10714.
  const std::vector<Case> gaps = {YearlyCase("b2", {{2009, {{"network", 1}, {"value", 9}}},
                                                    {2010, {{"network", 1}, {"value", 9}}},
                                                    {2012, {{"network", 4}, {"value", 6}}}})};
  EXPECT_NEAR(Metric(RunAnalyzer("line_mix", gaps), "trend_network"), 4.5 / 42.0, 1e-12);
}

// Not "traditional" when network, relation and process carry most of the weight (issue 17;
// Infolink, Lindgren 2012 sec. 3.3.2): Infolink's mix, network 9, relation 6, process 5,
// customer 4, value 4 of 28: CIL + NIL + VIL = 17 (61%), but NIL + RIL + PIL = 20 (71%).
TEST(LineMix, NetworkRelationProcessLeadershipIsNotCalledTraditional) {
  const std::string code = "line_mix.dominant_lines";
  const std::vector<Case> infolink = {YearlyCase(
      "b1",
      {{2011, {{"network", 9}, {"relation", 6}, {"process", 5}, {"customer", 4}, {"value", 4}}}})};
  const Json r = RunAnalyzer("line_mix", infolink);
  EXPECT_NEAR(Metric(r, "dominant_share"), 17.0 / 28.0, 1e-12);
  EXPECT_EQ(FindingOf(r, code), nullptr);
  // At exactly half for network, relation and process (14 of 28), the finding stays:
  // network 9, relation 3, process 2, customer 7, value 7: CIL + NIL + VIL = 23 of 28.
  const std::vector<Case> half = {YearlyCase(
      "b1",
      {{2011, {{"network", 9}, {"relation", 3}, {"process", 2}, {"customer", 7}, {"value", 7}}}})};
  EXPECT_NE(FindingOf(RunAnalyzer("line_mix", half), code), nullptr);
}

// A slope that is zero in exact arithmetic is reported as 0, not as floating-point noise
// (issue 17: "a slope of 1.39e-18 is 0"). Network's shares 1/7, 1/2, 3/7, 1/6 over four
// years: -3/7 - 1/2 + 3/7 + 3/6 = 0, but summed in doubles the slope is about -5.6e-18.
TEST(LineMix, AnExactlyFlatTrendIsZeroNotNoise) {
  const std::vector<Case> cases = {YearlyCase("b1", {{2010, {{"network", 1}, {"value", 6}}},
                                                     {2011, {{"network", 1}, {"value", 1}}},
                                                     {2012, {{"network", 3}, {"value", 4}}},
                                                     {2013, {{"network", 1}, {"value", 5}}}})};
  const Json r = RunAnalyzer("line_mix", cases);
  EXPECT_EQ(Metric(r, "trend_network"), 0.0);
  EXPECT_FALSE(std::signbit(Metric(r, "trend_network")));
}

// line_mix.rising_line / falling_line: |slope| >= 0.05 per year.
TEST(LineMix, TrendSlopeThreshold) {
  // At: 100 mentions a year, network 10, 15, 20 -> slope (0.20 - 0.10) / 2 = 0.05: rising;
  // value 90, 85, 80 -> -0.05: falling.
  const std::vector<Case> at = {YearlyCase("b1", {{2010, {{"network", 10}, {"value", 90}}},
                                                  {2011, {{"network", 15}, {"value", 85}}},
                                                  {2012, {{"network", 20}, {"value", 80}}}})};
  const Json r_at = RunAnalyzer("line_mix", at);
  EXPECT_NEAR(Metric(r_at, "trend_network"), 0.05, 1e-12);
  EXPECT_NE(FindingOf(r_at, "line_mix.rising_line", "(NIL)"), nullptr);
  EXPECT_NE(FindingOf(r_at, "line_mix.falling_line", "(VIL)"), nullptr);
  // Just below: network 10, 15, 19 of 100 -> 0.045; value 90, 85, 81 -> -0.045: none.
  const std::vector<Case> below = {YearlyCase("b1", {{2010, {{"network", 10}, {"value", 90}}},
                                                     {2011, {{"network", 15}, {"value", 85}}},
                                                     {2012, {{"network", 19}, {"value", 81}}}})};
  const Json r_below = RunAnalyzer("line_mix", below);
  EXPECT_NEAR(Metric(r_below, "trend_network"), 0.045, 1e-12);
  EXPECT_EQ(CountOf(r_below, "line_mix.rising_line"), 0u);
  EXPECT_EQ(CountOf(r_below, "line_mix.falling_line"), 0u);
  const Json& trends = Table(r_below, "line_trends");
  EXPECT_EQ(RowOf(trends, "network")->at(ColumnOf(trends, "trend")), "steady");
}

// ... over at least 3 years.
TEST(LineMix, TrendYearsThreshold) {
  // Two years: network 1 of 10, then 5 of 10 -> slope 0.4 from 6 mentions, but 2 years.
  const std::vector<Case> two = {YearlyCase(
      "b1", {{2011, {{"network", 1}, {"value", 9}}}, {2012, {{"network", 5}, {"value", 5}}}})};
  const Json r_two = RunAnalyzer("line_mix", two);
  EXPECT_NEAR(Metric(r_two, "trend_network"), 0.4, 1e-12);
  EXPECT_EQ(CountOf(r_two, "line_mix.rising_line"), 0u);
  const Json& trends = Table(r_two, "line_trends");
  EXPECT_EQ(RowOf(trends, "network")->at(ColumnOf(trends, "trend")), "too few years");
  // Three years: 0 of 10 in 2010 added -> shares 0, 0.1, 0.5: slope 0.5 / 2 = 0.25.
  const std::vector<Case> three = {YearlyCase("b1", {{2010, {{"value", 10}}},
                                                     {2011, {{"network", 1}, {"value", 9}}},
                                                     {2012, {{"network", 5}, {"value", 5}}}})};
  const Json r_three = RunAnalyzer("line_mix", three);
  EXPECT_NEAR(Metric(r_three, "trend_network"), 0.25, 1e-12);
  EXPECT_NE(FindingOf(r_three, "line_mix.rising_line", "(NIL)"), nullptr);
  // One year: no slope at all (null).
  const std::vector<Case> one = {YearlyCase("b1", {{2011, {{"network", 5}}}})};
  EXPECT_TRUE(IsNullMetric(RunAnalyzer("line_mix", one), "trend_network"));
}

// ... from at least 5 mentions of the line.
TEST(LineMix, TrendMentionsThreshold) {
  // 10 mentions a year. Network 0, 1, 3 -> 4 mentions, slope 0.3 / 2 = 0.15: no finding.
  const std::vector<Case> four = {YearlyCase("b1", {{2010, {{"value", 10}}},
                                                    {2011, {{"network", 1}, {"value", 9}}},
                                                    {2012, {{"network", 3}, {"value", 7}}}})};
  const Json r_four = RunAnalyzer("line_mix", four);
  EXPECT_NEAR(Metric(r_four, "trend_network"), 0.15, 1e-12);
  EXPECT_EQ(FindingOf(r_four, "line_mix.rising_line", "(NIL)"), nullptr);
  // Network 1, 1, 3 -> 5 mentions, slope (0.3 - 0.1) / 2 = 0.1: finding.
  const std::vector<Case> five = {YearlyCase("b1", {{2010, {{"network", 1}, {"value", 9}}},
                                                    {2011, {{"network", 1}, {"value", 9}}},
                                                    {2012, {{"network", 3}, {"value", 7}}}})};
  const Json r_five = RunAnalyzer("line_mix", five);
  EXPECT_NEAR(Metric(r_five, "trend_network"), 0.1, 1e-12);
  EXPECT_NE(FindingOf(r_five, "line_mix.rising_line", "(NIL)"), nullptr);
}

// line_mix.dominant_lines: (CIL + NIL + VIL) / all mentions > 1/2.
TEST(LineMix, DominantLinesThreshold) {
  const std::string code = "line_mix.dominant_lines";
  // At: customer 4, network 3, value 3 = 10 of 20 (relation 6, process 4): exactly 1/2.
  const std::vector<Case> at = {YearlyCase(
      "b1",
      {{2011, {{"customer", 4}, {"network", 3}, {"value", 3}, {"relation", 6}, {"process", 4}}}})};
  const Json r_at = RunAnalyzer("line_mix", at);
  EXPECT_DOUBLE_EQ(Metric(r_at, "dominant_share"), 0.5);
  EXPECT_EQ(FindingOf(r_at, code), nullptr);
  // Below: 10 of 21.
  const std::vector<Case> below = {YearlyCase(
      "b1",
      {{2011, {{"customer", 4}, {"network", 3}, {"value", 3}, {"relation", 7}, {"process", 4}}}})};
  EXPECT_EQ(FindingOf(RunAnalyzer("line_mix", below), code), nullptr);
  // Just above: customer 5 + 3 + 3 = 11 of 21 (52%): finding (network, relation and process
  // together 3 + 4 + 2 = 9 of 21, not the Infolink profile).
  const std::vector<Case> above = {YearlyCase("b1", {{2011,
                                                      {{"customer", 5},
                                                       {"network", 3},
                                                       {"value", 3},
                                                       {"relation", 4},
                                                       {"process", 2},
                                                       {"value_chain", 4}}}})};
  const Json r = RunAnalyzer("line_mix", above);
  const Json* f = FindingOf(r, code);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("severity"), "notice");
  EXPECT_EQ(f->at("source"), "Lindgren 2012, Fig. 4 and sec. 3.1.2");
  // CIL 5/21 = 24%, NIL 3/21 = 14%, VIL 3/21 = 14%; the other lines 10/21 = 48%.
  EXPECT_EQ(f->at("evidence").at(0),
            "CIL 24%, NIL 14%, VIL 14%: together 11 of 21 line mentions (52%; threshold: more "
            "than 50%)");
  EXPECT_NE(f->at("message").get<std::string>().find("(VCIL, CoIL, RIL, PIL) lead only 48%"),
            std::string::npos);
}

TEST(LineMix, WorksWithoutLineDescriptors) {
  // An empty config (no line plugin described): ids serve as labels and codes.
  auto created = Analyzer("line_mix").Create("{}");
  ASSERT_TRUE(std::holds_alternative<PluginInstance>(created));
  PluginInstance instance = std::move(std::get<PluginInstance>(created));
  const std::vector<Case> cases = {HandCase()};
  AddAll(instance, cases);
  const Json r = FinishOf(instance);
  const Json& lines = Table(r, "lines");
  EXPECT_EQ(lines.at("rows").at(0).at(2), "customer");
  EXPECT_NE(FindingOf(r, "line_mix.dominant_lines"), nullptr);
  EXPECT_EQ(FindingOf(r, "line_mix.dominant_lines")->at("evidence").at(0),
            "customer 38%, network 25%, value 13%: together 6 of 8 line mentions (75%; "
            "threshold: more than 50%)");
}

TEST(LineMix, SplitRunEqualsOneRun) {
  std::vector<Case> cases = {HandCase(),
                             YearlyCase("b2", {{2009, {{"network", 1}, {"value", 9}}},
                                               {2010, {{"network", 1}, {"value", 9}}},
                                               {2012, {{"network", 4}, {"value", 6}}}}),
                             YearlyCase("b3", {{2010, {{"relation", 3}}}})};
  const Json whole = RunAnalyzer("line_mix", cases);
  ExpectEverySplitEquals("line_mix", cases, whole);
  EXPECT_EQ(Metric(whole, "mentions"), 8 + 30 + 3);
  EXPECT_EQ(Metric(whole, "years"), 4);  // 2009, 2010, 2011, 2012
}

// The saved counts of HandCase() (see there), ordered by state, year (0: not stated) and
// line; a key only when counted.
TEST(LineMix, SavedStateCountsByStateYearAndLine) {
  PluginInstance instance = NewInstance("line_mix");
  const std::vector<Case> cases = {HandCase()};
  AddAll(instance, cases);
  const Json saved = SavedState(instance);
  EXPECT_EQ(saved.at("tasks"), Json::parse(R"([["as_is", 2010, 1], ["as_is", 2011, 1],
      ["as_is", 2012, 1], ["to_be", 0, 1], ["to_be", 2010, 1], ["to_be", 2012, 1]])"));
  EXPECT_EQ(saved.at("mentions"), Json::parse(R"([["as_is", 2010, "customer", 1],
      ["as_is", 2010, "value", 1], ["as_is", 2011, "customer", 1], ["as_is", 2012, "network", 1],
      ["to_be", 0, "process", 1], ["to_be", 2010, "value_chain", 1],
      ["to_be", 2012, "customer", 1], ["to_be", 2012, "network", 1]])"));
}

// Merging instances without saving them (as the batch engine does) and adding cases to a
// loaded state give the state and the result of one run. b4's model has no state: its
// task counts as "not_stated".
TEST(LineMix, MergingInMemoryAndAddingAfterLoadEqualOneRun) {
  Case b4 = MakeCase("b4");
  AddModel(b4, "m", State::kUnstated);
  AddTask(b4, "t1", "m", {"customers"}, {"process", "network"}, "2008");
  const std::vector<Case> cases = {HandCase(),
                                   YearlyCase("b2", {{2009, {{"network", 1}, {"value", 9}}},
                                                     {2010, {{"network", 1}, {"value", 9}}},
                                                     {2012, {{"network", 4}, {"value", 6}}}}),
                                   b4, YearlyCase("b3", {{2010, {{"relation", 3}}}})};
  PluginInstance whole = NewInstance("line_mix");
  AddAll(whole, cases);
  const Json whole_state = SavedState(whole);
  const Json whole_result = FinishOf(whole);
  EXPECT_EQ(whole_state.at("tasks")[0], Json::parse(R"(["as_is", 2009, 10])"));
  EXPECT_EQ(whole_state.at("mentions").back(), Json::parse(R"(["to_be", 2012, "network", 1])"));
  ExpectEverySplitMergesAndLoadsLikeOneRun("line_mix", cases, whole_state, whole_result);
}

TEST(LineMix, RefusesForeignState) {
  PluginInstance instance = NewInstance("line_mix");
  EXPECT_TRUE(instance.Load(R"({"format": "block_focus/1"})").has_value());
  EXPECT_TRUE(instance
                  .Load(R"({"format": "line_mix/1", "cases": 1, "lines": [],
                                "tasks": [["as_is"]], "mentions": []})")
                  .has_value());
  EXPECT_FALSE(instance
                   .Load(R"({"format": "line_mix/1", "cases": 1, "lines": ["value"],
                             "tasks": [["as_is", 2010, 1]],
                             "mentions": [["as_is", 2010, "value", 1]]})")
                   .has_value());
}

// ------------------------------------------------------------------ the paper's dataset

std::vector<Case> PaperFigureCases() {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(fs::path(BMIL_SOURCE_DIR) / "tests/data/paper_figures"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<Case> cases;
  for (const auto& file : files) {
    LoadResult loaded = LoadCaseFile(file, BuiltRegistry());
    EXPECT_TRUE(loaded.ok()) << loaded.diagnostics.front().ToString();
    if (loaded.ok()) cases.push_back(std::move(*loaded.value));
  }
  return cases;
}

// Counts in tests/data/paper_figures/README.md ("Leadership lines").
TEST(LineMix, PaperDatasetShowsNetworkLeadershipRising) {
  const std::vector<Case> cases = PaperFigureCases();
  ASSERT_EQ(cases.size(), 24u);
  const Json r = RunAnalyzer("line_mix", cases);
  EXPECT_EQ(Metric(r, "mentions"), 302);
  EXPECT_EQ(Metric(r, "mentions_year_not_stated"), 9);
  // VIL 98 + CIL 80 + NIL 48 = 226 of 302 = 74.8%.
  EXPECT_DOUBLE_EQ(Metric(r, "dominant_share"), 226.0 / 302.0);
  EXPECT_NE(FindingOf(r, "line_mix.dominant_lines"), nullptr);
  // NIL more in focus for TO BE: 30 of 158 vs 18 of 144.
  const Json& by_state = Table(r, "lines_by_state");
  const Json* network = RowOf(by_state, "network");
  ASSERT_NE(network, nullptr);
  EXPECT_DOUBLE_EQ(network->at(ColumnOf(by_state, "as_is_share")).get<double>(), 18.0 / 144.0);
  EXPECT_DOUBLE_EQ(network->at(ColumnOf(by_state, "to_be_share")).get<double>(), 30.0 / 158.0);
  // NIL per year 2008-2012: 0/42, 4/72, 7/54, 16/70, 19/55; x - 2010 = -2..2, sum of
  // squares 10: slope = (-1 * 4/72 + 1 * 16/70 + 2 * 19/55) / 10 = 0.0864.
  const double slope = (-4.0 / 72.0 + 16.0 / 70.0 + 2.0 * 19.0 / 55.0) / 10.0;
  EXPECT_NEAR(Metric(r, "trend_network"), slope, 1e-12);
  EXPECT_NEAR(slope, 0.0864, 1e-4);
  EXPECT_NE(FindingOf(r, "line_mix.rising_line", "(NIL)"), nullptr);
  // It is the only line moving by 5 points a year or more.
  EXPECT_EQ(CountOf(r, "line_mix.rising_line"), 1u);
  EXPECT_EQ(CountOf(r, "line_mix.falling_line"), 0u);
  EXPECT_EQ(RunAnalyzerSplit("line_mix", cases, 7), r);
}

// The analyzer lists every line of the registry and nothing per case: the listing caps
// (bmil --max-rows, --all) change nothing, and its findings, on the pooled counts of all
// businesses, concern no business in particular.
TEST(LineMix, HasNoListingsAndFindingsOnThePooledCounts) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("line_mix", cases);
  EXPECT_EQ(RunAnalyzer("line_mix", cases, ListingConfig({{"max_rows", 1}})), r);
  EXPECT_EQ(RunAnalyzer("line_mix", cases, ListingConfig({{"all", true}})), r);
  ASSERT_NE(FindingOf(r, "line_mix.dominant_lines"), nullptr);
  for (const auto& f : r.at("findings")) EXPECT_EQ(BusinessesOf(f), std::vector<std::string>{});
}

}  // namespace
}  // namespace bmil::test
