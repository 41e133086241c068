// The manager's summary: the ranking rule of docs/reports.md ("The summary") on hand-made
// findings, findings of one code merged, the canvas at a glance and the headline, each
// worked out by hand.
#include "report/manager_summary.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bmil {
namespace {

using Json = nlohmann::json;

Json Finding(const std::string& severity, const std::string& code, const std::string& source,
             std::vector<std::string> businesses) {
  Json f = {{"severity", severity},
            {"code", code},
            {"message", "Do something about " + code},
            {"evidence", Json::array()},
            {"source", source}};
  if (!businesses.empty()) f["businesses"] = businesses;
  return f;
}

Json Result(const std::string& id, Json findings) {
  return {{"analyzer", id},
          {"title", id},
          {"metrics", Json::array()},
          {"tables", Json::array()},
          {"matrices", Json::array()},
          {"findings", std::move(findings)}};
}

AnalysisReport Report() {
  AnalysisReport report;
  report.cases = {"b1", "b2", "b3"};
  Json canvas = Result("canvas", Json::array());
  canvas["matrices"].push_back(
      {{"id", "canvas"},
       {"title", "Canvas"},
       {"rows",
        {{{"id", "value"}, {"label", "value"}}, {{"id", "customer"}, {"label", "customer"}}}},
       {"columns",
        {{{"id", "customers"}, {"label", "customers"}}, {{"id", "network"}, {"label", "network"}}}},
       {"values", {{3, 0}, {5, 0}}}});
  report.analyzers.push_back({"canvas", Json::object(), canvas});
  report.analyzers.push_back(
      {"first", Json::object(),
       Result("first", {Finding("info", "x.info", "s", {"b1"}),
                        Finding("notice", "x.trait", "Lindgren 2012, sec. 5 (trait 1)", {"b1"}),
                        Finding("notice", "x.wide", "s", {"b1", "b2", "b3"}),
                        Finding("warning", "x.twice", "s", {"b1"})})});
  report.analyzers.push_back(
      {"second", Json::object(),
       Result("second",
              {Finding("warning", "x.twice", "s", {"b2", "b1"}),
               Finding("warning", "x.once", "s", {"b3"}), Finding("info", "x.last", "s", {}),
               Json{{"severity", "loud"}}})});  // malformed: left out
  report.analyzers.push_back({"failed", Json::object(), nullptr});
  return report;
}

Registry TwoLines() {
  Registry r;
  r.AddLine({"value", "Value innovation leadership", "VIL", "value"});
  r.AddLine({"customer", "Customer innovation leadership", "CIL", "customer"});
  return r;
}

TEST(ManagerSummary, RanksBySeverityThenTraitThenReachThenCount) {
  const ManagerSummary s = Summarize(Report(), TwoLines(), {}, {});
  EXPECT_EQ(s.findings, 7u);  // the malformed one is not counted
  std::vector<std::string> codes;
  for (const auto& item : s.actions) codes.push_back(item.code);
  // Warnings first: x.twice (2 businesses, 2 findings) before x.once (1 business); then the
  // notices: the trait before the one on 3 businesses; then the first info. x.last is the
  // sixth: left out.
  EXPECT_EQ(codes, (std::vector<std::string>{"x.twice", "x.once", "x.trait", "x.wide", "x.info"}));
  const SummaryItem& twice = s.actions[0];
  EXPECT_EQ(twice.findings, 2u);
  EXPECT_EQ(twice.businesses, (std::vector<std::string>{"b1", "b2"}));
  EXPECT_EQ(twice.analyzer, "first");
  EXPECT_EQ(twice.message, "Do something about x.twice");
  EXPECT_TRUE(s.actions[2].trait);
  EXPECT_FALSE(s.actions[3].trait);
  EXPECT_EQ(ItemReachText(twice, true), "2 businesses, 2 findings");
  EXPECT_EQ(ItemReachText(twice, false), "2 findings");
  EXPECT_EQ(ItemReachText(s.actions[1], false), "");
  EXPECT_EQ(ItemReachText(s.actions[2], true), "1 business, one of the paper's five traits");
}

TEST(ManagerSummary, CanvasAtAGlanceAndHeadline) {
  const Registry registry = TwoLines();
  const ManagerSummary s = Summarize(Report(), registry, {}, {});
  ASSERT_TRUE(s.has_canvas);
  EXPECT_EQ(s.canvas.cells, 4u);
  EXPECT_EQ(s.canvas.used, 2u);
  EXPECT_EQ(CanvasGlanceText(s.canvas),
            "2 of 4 cells used; busiest: CIL x Customers (5 tasks), VIL x Customers (3 tasks); "
            "never used: blocks Network");
  // Without the cases: the count of businesses (no canvas metrics here).
  EXPECT_EQ(s.headline, "3 businesses: 0 business models, 0 BMI tasks.");
  // One case, given whole.
  Case c;
  c.business.id = "k";
  c.business.name = "Kay";
  c.business.industry = "machinery";
  c.business_models.resize(3);
  c.business_models[0].state = State::kAsIs;
  c.business_models[1].state = State::kAsIs;
  c.business_models[2].state = State::kToBe;
  c.bmi_tasks.resize(1);
  AnalysisReport one = Report();
  one.cases = {"k"};
  const std::vector<Case> cases = {c};
  EXPECT_EQ(Summarize(one, registry, cases, CaseTotals::Of(cases)).headline,
            "Kay (machinery): 3 business models (2 AS IS, 1 TO BE), 1 BMI task.");
}

}  // namespace
}  // namespace bmil
