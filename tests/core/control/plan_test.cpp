// The plan format, the decision reader and adoption (core/src/control/plan.hpp, adopt.hpp):
// dates, located problems, the plan's round trip, and baselines, targets and milestones
// computed by hand from a small case and decision.
#include "control/plan.hpp"
#include "control/adopt.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace bmil::control {
namespace {

using ::testing::HasSubstr;

std::string AllProblems(const std::vector<Diagnostic>& problems) {
  std::string out;
  for (const Diagnostic& d : problems) out += d.ToString() + "\n";
  return out;
}

TEST(ControlDates, DaysThatExistAndTheirNumbers) {
  EXPECT_TRUE(IsDay("2012-02-29"));
  EXPECT_FALSE(IsDay("2011-02-29"));
  EXPECT_FALSE(IsDay("2011-13-01"));
  EXPECT_FALSE(IsDay("2011-1-01"));
  EXPECT_FALSE(IsDay("2011-04-31"));
  EXPECT_EQ(DayNumber("1970-01-01"), 0);
  // 1970..1999 are 30 years with 7 leap days: 10957 days; then January and a leap February.
  EXPECT_EQ(DayNumber("2000-01-01"), 10957);
  EXPECT_EQ(DayNumber("2000-03-01"), 10957 + 31 + 29);
  EXPECT_EQ(DayNumber("1969-12-31"), -1);
}

TEST(ControlDates, APartialDateBecomesItsFirstOrLastDay) {
  EXPECT_EQ(DayOf("2011", false), "2011-01-01");
  EXPECT_EQ(DayOf("2011", true), "2011-12-31");
  EXPECT_EQ(DayOf("2012-02", true), "2012-02-29");
  EXPECT_EQ(DayOf("2011-02", true), "2011-02-28");
  EXPECT_EQ(DayOf("2011-03", false), "2011-03-01");
  EXPECT_EQ(DayOf("2011-03-05", true), "2011-03-05");
  EXPECT_EQ(DayOf("2011-3", false), "");
  EXPECT_EQ(DayOf("2011-02-30", false), "");
}

TEST(ControlGlob, StarMatchesAnyRun) {
  EXPECT_TRUE(GlobMatch("profit*", "profit"));
  EXPECT_TRUE(GlobMatch("profit*", "profit.water_cleaning"));
  EXPECT_TRUE(GlobMatch("*.water_cleaning", "revenue.water_cleaning"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYc"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_FALSE(GlobMatch("profit*", "revenue"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbY"));
  EXPECT_FALSE(GlobMatch("profit", "profit.x"));
}

TEST(ControlKpiSpec, ReadsAManualKpi) {
  std::string error;
  auto kpi = ParseKpiSpec(
      "id=nps,label=Net promoter score,unit=points,direction=up,target=2012-12-31:40,"
      "target=2013-12-31:45.5",
      error);
  ASSERT_TRUE(kpi) << error;
  EXPECT_EQ(kpi->id, "nps");
  EXPECT_EQ(kpi->label, "Net promoter score");
  EXPECT_TRUE(kpi->manual);
  ASSERT_EQ(kpi->targets.size(), 2u);
  EXPECT_EQ(kpi->targets[1].date, "2013-12-31");
  EXPECT_DOUBLE_EQ(kpi->targets[1].value, 45.5);
  EXPECT_FALSE(kpi->targets[0].p10);
}

TEST(ControlKpiSpec, SaysWhatIsWrong) {
  std::string error;
  EXPECT_FALSE(ParseKpiSpec("id=nps,unit=p,direction=sideways,target=2012-12-31:1", error));
  EXPECT_THAT(error, HasSubstr("up or down"));
  EXPECT_FALSE(ParseKpiSpec("id=nps,unit=p,direction=up,target=2012-12-31:x", error));
  EXPECT_THAT(error, HasSubstr("YYYY-MM-DD:NUMBER"));
  EXPECT_FALSE(ParseKpiSpec("id=nps,unit=p,direction=up", error));
  EXPECT_THAT(error, HasSubstr("at least one target"));
  EXPECT_FALSE(
      ParseKpiSpec("id=nps,unit=p,direction=up,target=2013-12-31:1,target=2012-12-31:2", error));
  EXPECT_THAT(error, HasSubstr("not after"));
  EXPECT_FALSE(ParseKpiSpec("id=NPS,unit=p,direction=up,target=2012-12-31:1", error));
  EXPECT_FALSE(ParseKpiSpec("id=nps,colour=red", error));
  EXPECT_THAT(error, HasSubstr("unknown key \"colour\""));
}

constexpr const char* kPlan = R"({
  "bmil_plan": "1.0",
  "id": "p",
  "name": "Plan P",
  "business": "t",
  "adopted": "2011-01-15",
  "decision": null,
  "strategy": {"leadership_lines": ["customer"],
               "cells": [{"business_model": "shop", "line": "customer", "block": "customers"}]},
  "kpis": [
    {"id": "profit", "label": "Profit", "unit": "currency", "direction": "up",
     "business_model": null, "source": "scenario",
     "baseline": {"date": "2011-01-15", "value": 300},
     "targets": [{"date": "2011-12-31", "value": 400, "p10": 350, "p90": 460},
                 {"date": "2012-12-31", "value": 500, "p10": 420, "p90": 600}]},
    {"id": "nps", "label": "NPS", "unit": "points", "direction": "up",
     "business_model": "shop", "source": "manual", "baseline": null,
     "targets": [{"date": "2012-12-31", "value": 40, "p10": null, "p90": null}]}
  ],
  "milestones": [
    {"id": "t1", "business_model": "shop", "leadership_lines": ["customer"],
     "building_blocks": ["customers"], "status": "planned", "start": "2011-02-01",
     "due": "2011-06-30", "effort": 6}
  ]
}
)";

TEST(ControlPlan, ReadsAPlanAndWritesItBackTheSame) {
  PlanReadResult read = ReadPlan(kPlan, "plan.json");
  ASSERT_TRUE(read.value) << AllProblems(read.problems);
  const Plan& plan = *read.value;
  EXPECT_EQ(plan.id, "p");
  EXPECT_FALSE(plan.decision);
  ASSERT_EQ(plan.kpis.size(), 2u);
  EXPECT_EQ(*plan.kpis[0].baseline, 300);
  EXPECT_EQ(*plan.kpis[0].targets[1].p90, 600);
  EXPECT_TRUE(plan.kpis[1].manual);
  EXPECT_EQ(plan.kpis[1].business_model, "shop");
  EXPECT_FALSE(plan.kpis[1].baseline);
  ASSERT_EQ(plan.milestones.size(), 1u);
  EXPECT_EQ(*plan.milestones[0].effort, 6);
  const std::string once = PlanJson(plan).dump(2);
  PlanReadResult again = ReadPlan(once, "again.json");
  ASSERT_TRUE(again.value) << AllProblems(again.problems);
  EXPECT_EQ(PlanJson(*again.value).dump(2), once);
}

// The plan text with `from` replaced by `to` (which must occur once).
std::string Edited(std::string from, std::string to) {
  std::string text = kPlan;
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(ControlPlan, LocatesEveryProblem) {
  struct Case {
    std::string from, to, expected;
  };
  const std::vector<Case> cases = {
      {R"("bmil_plan": "1.0")", R"("bmil_plan": "2.0")",
       "plan.json:2:16 /bmil_plan: unsupported plan format version \"2.0\""},
      {R"("milestones": [)", R"("milestone": [)",
       "plan.json:20:3 /milestone: unknown member \"milestone\" (did you mean \"milestones\"?)"},
      {R"("adopted": "2011-01-15")", R"("adopted": "2011-02-30")",
       "plan.json:6:14 /adopted: expected a date YYYY-MM-DD, found \"2011-02-30\""},
      {R"("value": 400, "p10": 350)", R"("value": 300, "p10": 350)",
       "plan.json:14:18 /kpis/0/targets/0: expected p10 <= value <= p90"},
      {R"("date": "2012-12-31", "value": 500)", R"("date": "2011-12-31", "value": 500)",
       "/kpis/0/targets/1: date 2011-12-31 is not after the previous target's 2011-12-31"},
      {R"("id": "nps")", R"("id": "profit")", "/kpis/1: KPI \"profit\" is given twice"},
      {R"("p10": null, "p90": null)", R"("p10": 30, "p90": null)",
       "/kpis/1/targets/0/p10: a manual KPI's target has no band"},
      {R"("due": "2011-06-30")", R"("due": "2011-01-30")",
       "/milestones/0/due: due 2011-01-30 is before the start 2011-02-01"},
      {R"("status": "planned")", R"("status": "plannd")",
       "/milestones/0/status: unknown value \"plannd\" (did you mean \"planned\"?)"},
      {R"("decision": null)", R"("decision": 7)",
       "/decision: expected object or null, found number"},
      {R"("direction": "up",
     "business_model": null)",
       R"("direction": "dwon",
     "business_model": null)",
       "/kpis/0/direction: unknown value \"dwon\" (did you mean \"down\"?)"},
  };
  for (const Case& c : cases) {
    PlanReadResult read = ReadPlan(Edited(c.from, c.to), "plan.json");
    EXPECT_FALSE(read.value) << c.to;
    EXPECT_THAT(AllProblems(read.problems), HasSubstr(c.expected)) << c.to;
  }
}

TEST(ControlPlan, RefusesWhatIsOverItsLimits) {
  PlanLimits limits;
  limits.max_kpis = 1;
  PlanReadResult read = ReadPlan(kPlan, "plan.json", limits);
  EXPECT_THAT(AllProblems(read.problems), HasSubstr("2 KPIs, more than the limit of 1"));
  limits = {};
  limits.max_depth = 3;
  read = ReadPlan(kPlan, "plan.json", limits);
  EXPECT_FALSE(read.value);
  limits = {};
  limits.max_bytes = 100;
  read = ReadPlan(kPlan, "plan.json", limits);
  EXPECT_THAT(AllProblems(read.problems), HasSubstr("refused unread"));
}

// A decision with two series over 2011 and 2012, decided on 2011-06-15, and three tasks.
constexpr const char* kDecision = R"({
  "bmil_decision": "1.0", "decided": "2011-06-15", "why": "Grow",
  "scenario": {"id": "grow", "name": "Grow the shop", "file": "grow.scenario.json",
               "xxh3": "0123456789abcdef0123456789abcdef"},
  "base": {"file": "t.json", "xxh3": "00112233445566778899aabbccddeeff", "business": "t"},
  "model": {"id": "value_formula", "version": "1.0.0"},
  "sampling": {"method": "lhs", "seed": 1, "draws": 100, "first_year": 2011, "years": 2,
               "discount_rate": 0.08},
  "strategy": {"explicit": null, "leadership_lines": ["customer", "network"], "goals": []},
  "tasks": [
    {"id": "a", "business_model": "shop", "building_blocks": ["customers", "value_proposition"],
     "leadership_lines": ["customer"], "status": "planned", "start": "2011-03", "end": "2012",
     "effort": 4},
    {"id": "b", "business_model": "web", "building_blocks": ["customers"],
     "leadership_lines": ["network", "customer"], "status": "ongoing", "start": null,
     "end": null, "effort": null}
  ],
  "expected": {"npv": null, "loss_probability": null, "kpis": [
    {"id": "profit", "kpi": "profit", "business_model": null, "unit": "currency",
     "label": "Profit", "years": [
       {"year": 2011, "mean": 1, "p10": 0, "p50": 1, "p90": 2},
       {"year": 2012, "mean": 5, "p10": 3, "p50": 4, "p90": 9}]},
    {"id": "cost.shop", "kpi": "cost", "business_model": "shop", "unit": "currency",
     "label": "Cost of Shop", "years": [
       {"year": 2011, "mean": 10, "p10": 8, "p50": 10, "p90": 12}]},
    {"id": "revenue.web", "kpi": "revenue", "business_model": "web", "unit": "currency",
     "label": "Revenue of Web", "years": [
       {"year": 2012, "mean": 10, "p10": 8, "p50": 10, "p90": 12}]}
  ]}
}
)";

Case ShopCase() {
  Case c;
  c.business.id = "t";
  BusinessModel shop;
  shop.id = "shop";
  shop.state = State::kAsIs;
  shop.value_formula.revenue = 1000;
  shop.value_formula.cost = 600;
  BusinessModel old;
  old.id = "old";
  old.state = State::kAsIs;
  old.stage = Stage::kMarket;
  old.value_formula.revenue = 100;
  old.value_formula.cost = 300;
  BusinessModel web;  // TO BE: not on the market, earns nothing yet
  web.id = "web";
  web.state = State::kToBe;
  web.stage = Stage::kPrototype;
  web.value_formula.revenue = 500;
  BusinessModel gone;  // retired: left out
  gone.id = "gone";
  gone.state = State::kAsIs;
  gone.stage = Stage::kRetired;
  gone.value_formula.revenue = 9999;
  gone.value_formula.cost = 1;
  c.business_models = {shop, old, web, gone};
  return c;
}

TEST(ControlAdopt, BaselinesTargetsAndMilestonesByHand) {
  DecisionReadResult read = ReadDecision(kDecision, "d.json");
  ASSERT_TRUE(read.value) << AllProblems(read.problems);
  AdoptOptions options;
  std::string error;
  options.manual_kpis.push_back(
      *ParseKpiSpec("id=nps,unit=points,direction=up,baseline=31,target=2012-12-31:40", error));
  AdoptResult adopted = Adopt(*read.value, "d.json", std::string(32, 'a'), ShopCase(), options);
  ASSERT_TRUE(adopted.value) << (adopted.problems.empty() ? "" : adopted.problems[0]);
  const Plan& plan = *adopted.value;
  EXPECT_EQ(plan.id, "grow");
  EXPECT_EQ(plan.adopted, "2011-06-15");
  EXPECT_EQ(plan.decision->xxh3, std::string(32, 'a'));
  ASSERT_EQ(plan.kpis.size(), 4u);
  // Business profit: shop 1000 - 600 and old 100 - 300 (web is not on the market, gone is
  // retired): 400 - 200 = 200.
  const Kpi& profit = *plan.FindKpi("profit");
  EXPECT_EQ(*profit.baseline, 200);
  EXPECT_EQ(profit.baseline_date, "2011-06-15");
  EXPECT_EQ(profit.direction, Direction::kUp);
  ASSERT_EQ(profit.targets.size(), 2u);
  EXPECT_EQ(profit.targets[0].date, "2011-12-31");
  EXPECT_EQ(profit.targets[0].value, 1);
  EXPECT_EQ(profit.targets[1].value, 4);
  EXPECT_EQ(*profit.targets[1].p10, 3);
  EXPECT_EQ(*profit.targets[1].p90, 9);
  const Kpi& cost = *plan.FindKpi("cost.shop");
  EXPECT_EQ(*cost.baseline, 600);
  EXPECT_EQ(cost.direction, Direction::kDown);
  // A model not on the market earns nothing today.
  EXPECT_EQ(*plan.FindKpi("revenue.web")->baseline, 0);
  EXPECT_TRUE(plan.FindKpi("nps")->manual);
  EXPECT_EQ(*plan.FindKpi("nps")->baseline, 31);
  EXPECT_EQ(plan.FindKpi("nps")->baseline_date, "2011-06-15");
  // Milestones: a from March 2011 to the end of 2012; b from the decision, no due date.
  ASSERT_EQ(plan.milestones.size(), 2u);
  EXPECT_EQ(plan.milestones[0].start, "2011-03-01");
  EXPECT_EQ(plan.milestones[0].due, "2012-12-31");
  EXPECT_EQ(*plan.milestones[0].effort, 4);
  EXPECT_EQ(plan.milestones[1].start, "2011-06-15");
  EXPECT_EQ(plan.milestones[1].due, "");
  EXPECT_EQ(plan.milestones[1].status, TaskStatus::kOngoing);
  // Cells: a leads customer on 2 blocks of shop, b network and customer on web's customers.
  const std::vector<CanvasCell> cells = {{"shop", "customer", "customers"},
                                         {"shop", "customer", "value_proposition"},
                                         {"web", "customer", "customers"},
                                         {"web", "network", "customers"}};
  EXPECT_EQ(plan.cells, cells);
  EXPECT_EQ(plan.leadership_lines, (std::vector<std::string>{"customer", "network"}));
  // The plan reads back.
  PlanReadResult back = ReadPlan(PlanJson(plan).dump(), "plan.json");
  EXPECT_TRUE(back.value) << AllProblems(back.problems);
}

TEST(ControlAdopt, KeepsTheSeriesThePatternsNameAndSaysWhenOneMatchesNothing) {
  DecisionReadResult read = ReadDecision(kDecision, "d.json");
  ASSERT_TRUE(read.value);
  AdoptOptions options;
  options.kpi_patterns = {"profit*", "revenue.*"};
  AdoptResult adopted = Adopt(*read.value, "d.json", std::string(32, 'a'), ShopCase(), options);
  ASSERT_TRUE(adopted.value);
  ASSERT_EQ(adopted.value->kpis.size(), 2u);
  EXPECT_EQ(adopted.value->kpis[1].id, "revenue.web");
  options.kpi_patterns = {"margin*"};
  adopted = Adopt(*read.value, "d.json", std::string(32, 'a'), ShopCase(), options);
  EXPECT_FALSE(adopted.value);
  ASSERT_EQ(adopted.problems.size(), 1u);
  EXPECT_THAT(adopted.problems[0], HasSubstr("--kpi margin*: no series"));
}

TEST(ControlAdopt, RefusesABaseOfAnotherBusiness) {
  DecisionReadResult read = ReadDecision(kDecision, "d.json");
  ASSERT_TRUE(read.value);
  Case other = ShopCase();
  other.business.id = "u";
  AdoptResult adopted = Adopt(*read.value, "d.json", std::string(32, 'a'), other, {});
  EXPECT_FALSE(adopted.value);
}

TEST(ControlDecision, LocatesProblems) {
  std::string text = kDecision;
  text.replace(text.find(R"("p50": 4)"), 8, R"("p50": 40)");
  DecisionReadResult read = ReadDecision(text, "d.json");
  EXPECT_FALSE(read.value);
  EXPECT_THAT(AllProblems(read.problems),
              HasSubstr("d.json:22:8 /expected/kpis/0/years/1: expected p10 <= p50 <= p90"));
  text = kDecision;
  text.replace(text.find(R"("why")"), 5, R"("whyy")");
  read = ReadDecision(text, "d.json");
  EXPECT_THAT(AllProblems(read.problems), HasSubstr("unknown member \"whyy\" (did you mean"));
  text = kDecision;
  text.replace(text.find(R"("end": "2012")"), 13, R"("end": "late")");
  read = ReadDecision(text, "d.json");
  EXPECT_THAT(AllProblems(read.problems),
              HasSubstr("/tasks/0/end: expected a date YYYY, YYYY-MM or YYYY-MM-DD"));
}

}  // namespace
}  // namespace bmil::control
