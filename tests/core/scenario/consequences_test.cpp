// The host side of consequence models (core/src/scenario/consequences.hpp): reading a
// model's layout, net present values, and the cross-scenario comparison, on values worked
// out by hand. The sampling and the model calls are tested with real plugins in
// tests/cli/scenario_compare_test.cpp.
#include "scenario/consequences.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace bmil::scenario {
namespace {

using Json = nlohmann::json;

Json Layout2() {
  return Json::parse(R"({
    "drivers": [{"id": "price", "distribution": "uniform", "min": 1, "max": 2},
                {"id": "growth.shop", "distribution": "fixed", "value": 0.1}],
    "series": [{"id": "revenue.shop", "kpi": "revenue", "business_model": "shop"},
               {"id": "profit", "kpi": "profit"}]})");
}

std::string ProblemOf(const Json& j) {
  auto parsed = ParseLayout(j);
  return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
}

TEST(ParseLayout, ReadsDriversSeriesAndTheBusinessProfit) {
  auto parsed = ParseLayout(Layout2());
  ASSERT_TRUE(std::holds_alternative<Layout>(parsed)) << std::get<std::string>(parsed);
  const Layout& layout = std::get<Layout>(parsed);
  ASSERT_EQ(layout.drivers.size(), 2u);
  EXPECT_EQ(layout.drivers[0].distribution.kind, Distribution::Kind::kUniform);
  EXPECT_EQ(layout.drivers[0].distribution.max, 2);
  EXPECT_EQ(layout.drivers[1].distribution.value, 0.1);
  ASSERT_EQ(layout.series.size(), 2u);
  EXPECT_EQ(layout.series[0].business_model, "shop");
  // The business's profit is the series without a business model, not revenue.shop.
  ASSERT_TRUE(layout.profit.has_value());
  EXPECT_EQ(*layout.profit, 1u);
}

TEST(ParseLayout, NamesWhatIsWrong) {
  Json j = Layout2();
  j["drivers"][1]["id"] = "price";
  EXPECT_EQ(ProblemOf(j), "/drivers/1/id: driver \"price\" twice");
  j = Layout2();
  j["drivers"][0]["min"] = 3;
  EXPECT_EQ(ProblemOf(j), "/drivers/0 (price): max must be greater than min");
  j = Layout2();
  j["drivers"][0]["distribution"] = "gamma";
  EXPECT_EQ(ProblemOf(j),
            "/drivers/0 (price): \"distribution\" must be one of fixed, uniform, triangular, "
            "pert, normal, lognormal, discrete; found \"gamma\"");
  j = Layout2();
  j["drivers"][1]["value"] = "0.1";
  EXPECT_EQ(ProblemOf(j), "/drivers/1 (growth.shop): \"value\" must be a number");
  j = Layout2();
  j.erase("series");
  EXPECT_EQ(ProblemOf(j), "the layout needs \"series\", an array of at least one");
  j = Layout2();
  j["series"][0]["id"] = "Revenue Shop";
  EXPECT_EQ(ProblemOf(j), "/series/0/id: \"Revenue Shop\" is not a series id");
  ModelLimits limits;
  limits.max_drivers = 1;
  auto parsed = ParseLayout(Layout2(), limits);
  ASSERT_TRUE(std::holds_alternative<std::string>(parsed));
  EXPECT_EQ(std::get<std::string>(parsed),
            "the layout declares 2 drivers, more than the limit of 1");
}

TEST(ParseLayout, NoProfitSeriesMeansNoNpv) {
  Json j = Layout2();
  j["series"].erase(1);
  auto parsed = ParseLayout(j);
  ASSERT_TRUE(std::holds_alternative<Layout>(parsed));
  EXPECT_FALSE(std::get<Layout>(parsed).profit.has_value());
}

TEST(NetPresentValue, DiscountsEachYearFromItsEnd) {
  const std::vector<double> series = {100, 100};
  // 100 / 1.1 + 100 / 1.21
  EXPECT_NEAR(NetPresentValue(series, 0.1), 90.909090909090 + 82.644628099173, 1e-9);
  EXPECT_EQ(NetPresentValue(series, 0.0), 200);
  EXPECT_EQ(NetPresentValue(std::vector<double>{}, 0.1), 0);
}

Consequences WithNpv(std::vector<double> npv) {
  Consequences c;
  c.npv = std::move(npv);
  return c;
}

TEST(Compare, BestRegretAndBeatsWorkedByHand) {
  // Draw 0: B best by 1; draw 1: A best by 1; draw 2: a tie (each half a win).
  const Consequences a = WithNpv({1, 5, 3});
  const Consequences b = WithNpv({2, 4, 3});
  const Comparison c = Compare({&a, &b});
  EXPECT_DOUBLE_EQ(c.p_best[0], 0.5);
  EXPECT_DOUBLE_EQ(c.p_best[1], 0.5);
  EXPECT_DOUBLE_EQ(c.p_beats[0][1], 1.0 / 3);  // a tie is not a win
  EXPECT_DOUBLE_EQ(c.p_beats[1][0], 1.0 / 3);
  EXPECT_DOUBLE_EQ(c.regret[0].mean, 1.0 / 3);  // {1, 0, 0}
  EXPECT_DOUBLE_EQ(c.max_regret[0], 1);
  EXPECT_DOUBLE_EQ(c.max_regret[1], 1);
  EXPECT_DOUBLE_EQ(c.difference[0][1].mean, 0);  // {-1, 1, 0}
  EXPECT_DOUBLE_EQ(c.difference[0][1].p50, 0);
  EXPECT_DOUBLE_EQ(c.difference[0][1].p10, -0.8);  // type 7 on {-1, 0, 1}: -1 + 0.2 * 1
}

TEST(Compare, IdenticalScenariosDifferByExactlyZero) {
  const Consequences a = WithNpv({-3, 7, 2.5, 11});
  const Consequences b = a;
  const Comparison c = Compare({&a, &b});
  EXPECT_EQ(c.p_beats[0][1], 0);
  EXPECT_EQ(c.p_beats[1][0], 0);
  EXPECT_EQ(c.difference[0][1].p10, 0);
  EXPECT_EQ(c.difference[0][1].p90, 0);
  EXPECT_EQ(c.max_regret[0], 0);
  EXPECT_DOUBLE_EQ(c.p_best[0], 0.5);
}

TEST(DistributionProblem, MatchesTheScenarioRules) {
  Distribution d;
  d.kind = Distribution::Kind::kTriangular;
  d.min = 0;
  d.mode = 2;
  d.max = 1;
  EXPECT_EQ(DistributionProblem(d), "mode must lie between min and max");
  d.kind = Distribution::Kind::kLognormal;
  d.median = 1;
  d.gsd = 1;
  EXPECT_EQ(DistributionProblem(d), "gsd must be greater than 1");
  d.kind = Distribution::Kind::kDiscrete;
  d.values = {1, 2};
  d.weights = {1};
  EXPECT_EQ(DistributionProblem(d), "values and weights must be as many");
}

}  // namespace
}  // namespace bmil::scenario
