// `bmil scenario compare|decide` on real files with real plugins (issue 15): consequences by
// hand for fixed drivers, common random numbers, reproducibility for any thread count, a
// consequence model the host has never seen (in a child process), a model that returns NaN,
// and the structural deltas of the paper's Aikon alternatives.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>

namespace bmil::cli_test {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

const fs::path kDir = fs::path(BMIL_SOURCE_DIR) / "examples" / "scenarios";
const std::string kAikon = Quote((kDir / "aikon-2010.json").string());
const std::string kFocus = Quote((kDir / "aikon-focus.scenario.json").string());
const std::string kKeep = Quote((kDir / "aikon-keep.scenario.json").string());

void Write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

const Json& Column(const Json& report, const std::string& id) {
  for (const Json& c : report.at("columns"))
    if (c.at("id") == id) return c;
  throw std::runtime_error("no column " + id);
}

const Json& Series(const Json& column, const std::string& id) {
  for (const Json& s : column.at("financial").at("series"))
    if (s.at("id") == id) return s;
  throw std::runtime_error("no series " + id);
}

// A two-model business for hand computation: shop earns 1,000 and costs 600; old earns 100
// and costs 300.
constexpr const char* kShopCase = R"({
  "bmil": "1.0",
  "business": {"id": "t", "name": "T"},
  "business_models": [
    {"id": "shop", "name": "Shop", "state": "as_is", "stage": "market",
     "building_blocks": {"value_formula": {"revenue": 1000, "cost": 600}}},
    {"id": "old", "name": "Old", "state": "as_is", "stage": "market",
     "building_blocks": {"value_formula": {"revenue": 100, "cost": 300}}}
  ],
  "bmi_tasks": [
    {"id": "t1", "business_model": "shop", "building_blocks": ["customers"],
     "leadership_lines": ["customer"], "period": {"start": "2020"}, "status": "completed"}
  ]
}
)";

// Exclude old (exit cost 50), upgrade shop's revenue by 20%, with every driver that matters
// fixed: growth 10%, no cost growth, changes phased in over two years; planned effort of 3
// person-months in 2021 at 10 a month.
constexpr const char* kShopScenario = R"({
  "bmil_scenario": "1.0", "id": "fix", "name": "Fix", "base": {"path": "t.json", "xxh3": "00000000000000000000000000000000"},
  "moves": [
    {"move": "exclude", "business_model": "old", "exit_cost": 50},
    {"move": "upgrade", "business_model": "shop", "changes": {"revenue": 0.2}},
    {"move": "add_tasks", "tasks": [
      {"id": "p1", "business_model": "shop", "building_blocks": ["customers"],
       "leadership_lines": ["customer"], "period": {"start": "2021"}, "status": "planned",
       "effort": 3}]}
  ],
  "assumptions": {"horizon_years": 2, "discount_rate": 0,
    "drivers": [
      {"id": "growth.shop", "distribution": "fixed", "value": 0.1},
      {"id": "cost_growth", "distribution": "fixed", "value": 0},
      {"id": "change_ramp_years", "distribution": "fixed", "value": 2},
      {"id": "cost_per_person_month", "distribution": "fixed", "value": 10}
    ]}
})";

TEST(ScenarioCompare, ValueFormulaTrajectoryMatchesTheHandComputation) {
  TempDir dir;
  Write(dir.path() / "t.json", kShopCase);
  Write(dir.path() / "fix.scenario.json", kShopScenario);
  const RunResult r = RunBmil("scenario compare " + Quote((dir.path() / "t.json").string()) + " " +
                              Quote((dir.path() / "fix.scenario.json").string()) +
                              " --any-base --no-base --draws 3 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json report = Json::parse(r.out);
  // The last task year of the base is 2020, so the years are 2021 and 2022.
  EXPECT_EQ(report.at("sampling").at("first_year"), 2021);
  const Json& fix = Column(report, "fix");
  // shop: revenue 1,000 -> 1,200, half of the change in year 1: 1,100 x 1.1 = 1,210; all of
  // it in year 2: 1,200 x 1.21 = 1,452. Cost 600 plus 3 person-months x 10 in 2021.
  const Json& revenue = Series(fix, "revenue.shop").at("years");
  EXPECT_NEAR(revenue[0].at("p50").get<double>(), 1210, 1e-9);
  EXPECT_NEAR(revenue[1].at("p50").get<double>(), 1452, 1e-9);
  const Json& cost = Series(fix, "cost.shop").at("years");
  EXPECT_NEAR(cost[0].at("p50").get<double>(), 630, 1e-9);
  EXPECT_NEAR(cost[1].at("p50").get<double>(), 600, 1e-9);
  // old: excluded, its exit cost in the first year only.
  EXPECT_NEAR(Series(fix, "cost.old").at("years")[0].at("p50").get<double>(), 50, 1e-9);
  EXPECT_NEAR(Series(fix, "revenue.old").at("years")[1].at("p50").get<double>(), 0, 1e-9);
  // Business profit 1,210 - 680 = 530, then 1,452 - 600 = 852; NPV at 0%: 1,382.
  const Json& profit = Series(fix, "profit").at("years");
  EXPECT_NEAR(profit[0].at("p10").get<double>(), 530, 1e-9);
  EXPECT_NEAR(profit[1].at("p90").get<double>(), 852, 1e-9);
  EXPECT_NEAR(fix.at("financial").at("npv").at("mean").get<double>(), 1382, 1e-9);
  EXPECT_EQ(fix.at("financial").at("loss_probability"), 0);
  // Bmi cost: the 30 of the planned task.
  EXPECT_NEAR(Series(fix, "bmi_cost").at("years")[0].at("p50").get<double>(), 30, 1e-9);
}

// A TO BE kiosk at prototype stage, carried by the shop and serving its customers, with
// every driver that matters fixed: one year to market, two years of adoption, half its cost
// while it does not earn, 20% of its revenue taken from the shop.
TEST(ScenarioCompare, AdoptionCannibalisationAndCarryMatchTheHandComputation) {
  TempDir dir;
  Write(dir.path() / "k.json", R"({
    "bmil": "1.0", "business": {"id": "k", "name": "K"},
    "business_models": [
      {"id": "shop", "name": "Shop", "state": "as_is", "stage": "market",
       "building_blocks": {"customers": {"items": ["Families"]},
                           "value_formula": {"revenue": 1000, "cost": 600}}},
      {"id": "kiosk", "name": "Kiosk", "state": "to_be", "stage": "prototype",
       "carried_by": ["shop"],
       "building_blocks": {"customers": {"items": ["families", "tourists"]},
                           "value_formula": {"revenue": 500, "cost": 200}}}
    ]})");
  Write(dir.path() / "k.scenario.json", R"({
    "bmil_scenario": "1.0", "id": "k", "name": "K",
    "base": {"path": "k.json", "xxh3": "00000000000000000000000000000000"}, "moves": [],
    "assumptions": {"horizon_years": 3, "discount_rate": 0, "drivers": [
      {"id": "growth.shop", "distribution": "fixed", "value": 0},
      {"id": "growth.kiosk", "distribution": "fixed", "value": 0},
      {"id": "cost_growth", "distribution": "fixed", "value": 0},
      {"id": "time_to_market.prototype", "distribution": "fixed", "value": 1},
      {"id": "adoption_years", "distribution": "fixed", "value": 2},
      {"id": "development_cost_share", "distribution": "fixed", "value": 0.5},
      {"id": "cannibalisation", "distribution": "fixed", "value": 0.2}]}})");
  const RunResult r = RunBmil("scenario compare " + Quote((dir.path() / "k.json").string()) + " " +
                              Quote((dir.path() / "k.scenario.json").string()) +
                              " --any-base --no-base --draws 2 --first-year 2030 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json report = Json::parse(r.out);
  const Json& k = Column(report, "k");
  auto values = [&](const std::string& series) {
    std::vector<double> out;
    for (const Json& y : Series(k, series).at("years")) {
      EXPECT_EQ(y.at("p10"), y.at("p90")) << series;  // every driver that matters is fixed
      out.push_back(y.at("p50").get<double>());
    }
    return out;
  };
  // Kiosk adoption: (t - 1) / 2 clamped: 0, 0.5, 1. Revenue 0, 250, 500; cost 200 x max(a,
  // 0.5): 100, 100, 200.
  EXPECT_EQ(values("revenue.kiosk"), (std::vector<double>{0, 250, 500}));
  EXPECT_EQ(values("cost.kiosk"), (std::vector<double>{100, 100, 200}));
  // The shop loses 20% of the kiosk's revenue (they share "families", in any case).
  EXPECT_EQ(values("revenue.shop"), (std::vector<double>{1000, 950, 900}));
  // The kiosk's loss of 100 in the first year is charged to the shop that carries it.
  EXPECT_EQ(values("carry.shop"), (std::vector<double>{100, 0, 0}));
  // Business profit: 400 - 100, 350 + 150, 300 + 300.
  EXPECT_EQ(values("profit"), (std::vector<double>{300, 500, 600}));
  EXPECT_EQ(report.at("sampling").at("first_year"), 2030);
}

TEST(ScenarioCompare, SameSeedSameBytesForAnyThreadCountAndAnotherSeedDiffers) {
  const std::string args = "scenario compare " + kAikon + " " + kFocus + " " + kKeep +
                           " --draws 400 --format json --threads ";
  const RunResult one = RunBmil(args + "1");
  const RunResult two = RunBmil(args + "2");
  const RunResult again = RunBmil(args + "2");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(two.out, again.out);
  const RunResult other = RunBmil(args + "1 --seed 7");
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_NE(one.out, other.out);
  const RunResult sobol = RunBmil(args + "2 --sampling sobol");
  ASSERT_EQ(sobol.exit_code, 0) << sobol.err;
  EXPECT_EQ(Json::parse(sobol.out).at("sampling").at("method"), "sobol");
}

// Common random numbers: a copy of a scenario under another id is sampled draw by draw
// with the same values, so A - B is exactly zero and neither beats the other.
TEST(ScenarioCompare, IdenticalScenariosDifferByExactlyZero) {
  TempDir dir;
  Json focus = Json::parse(Slurp(kDir / "aikon-focus.scenario.json"));
  focus["id"] = "focus-copy";
  Write(dir.path() / "copy.scenario.json", focus.dump());
  const RunResult r = RunBmil("scenario compare " + kAikon + " " + kFocus + " " +
                              Quote((dir.path() / "copy.scenario.json").string()) +
                              " --no-base --draws 500 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json report = Json::parse(r.out);
  const Json& a = report.at("comparison")[0];
  EXPECT_EQ(a.at("id"), "aikon-focus");
  const Json& beats = a.at("beats").at("focus-copy");
  EXPECT_EQ(beats.at("probability"), 0);
  EXPECT_EQ(beats.at("npv_difference").at("p10"), 0);
  EXPECT_EQ(beats.at("npv_difference").at("p90"), 0);
  EXPECT_EQ(a.at("max_regret"), 0);
  EXPECT_EQ(a.at("p_best"), 0.5);
}

// The regret table: per draw, each column's regret is the draw's best NPV minus its own, the
// best column's regret is 0, and the mean over the draws is the regret's mean.
TEST(ScenarioCompare, PerDrawRegretTableAddsUp) {
  const RunResult r = RunBmil("scenario compare " + kAikon + " " + kFocus + " " + kKeep +
                              " --draws 300 --per-draw --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json report = Json::parse(r.out);
  const Json& draws = report.at("draws");
  ASSERT_EQ(draws.size(), 300u);
  std::map<std::string, double> sum;
  for (const Json& d : draws) {
    double best = -INFINITY, smallest = INFINITY;
    for (const auto& [id, v] : d.at("npv").items()) best = std::max(best, v.get<double>());
    for (const auto& [id, v] : d.at("regret").items()) {
      EXPECT_DOUBLE_EQ(v.get<double>(), best - d.at("npv").at(id).get<double>());
      smallest = std::min(smallest, v.get<double>());
      sum[id] += v.get<double>();
    }
    EXPECT_EQ(smallest, 0);
  }
  for (const Json& row : report.at("comparison"))
    EXPECT_NEAR(row.at("regret").at("mean").get<double>(), sum[row.at("id")] / 300,
                1e-6 * (1 + std::fabs(sum[row.at("id")])));
}

TEST(ScenarioCompare, StructuralDeltasOfTheAikonAlternatives) {
  const RunResult r = RunBmil("scenario compare " + kAikon + " " + kFocus + " " + kKeep +
                              " --draws 50 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json report = Json::parse(r.out);
  const Json& focus = Column(report, "aikon-focus").at("structural");
  auto metric = [](const Json& s, const std::string& analyzer, const std::string& id) {
    for (const Json& m : s.at("metrics"))
      if (m.at("analyzer") == analyzer && m.at("metric") == id) return m;
    throw std::runtime_error("no metric " + id);
  };
  // Focus takes the two loss makers out: of the three, one stays active (online_shop).
  EXPECT_EQ(metric(focus, "portfolio", "loss_makers_active").at("base"), 3);
  EXPECT_EQ(metric(focus, "portfolio", "loss_makers_active").at("scenario"), 1);
  // It states an explicit strategy: the trait clears.
  EXPECT_EQ(metric(focus, "strategy_profile", "explicit_strategy_trait").at("delta"), -1);
  // Its two tasks lead customer and network on blocks the base already uses: no new cell.
  EXPECT_TRUE(focus.at("cells_added").empty());
  // Keep's tasks lead the value line on customers and value formula, blind in the base.
  const Json& keep = Column(report, "aikon-keep").at("structural");
  ASSERT_EQ(keep.at("cells_added").size(), 2u);
  EXPECT_EQ(keep.at("cells_added")[0].at("line"), "value");
  EXPECT_EQ(keep.at("cells_added")[0].at("block"), "customers");
  EXPECT_EQ(keep.at("cells_added")[1].at("block"), "value_formula");
  // Every findings change names its kind.
  for (const Json& f : focus.at("findings"))
    EXPECT_THAT(std::string(f.at("change")), ::testing::AnyOf("raised", "changed", "cleared"));
}

// A consequence model bmil has never seen, from another directory (so in a child process):
// sampled, summarised and shown in every format.
TEST(ScenarioCompare, AFixtureModelIsSampledAndShownInEveryFormat) {
  TempDir dir;
  fs::create_directory(dir.path() / "plugins");
  fs::copy(fs::path(BMIL_FIXTURE_PLUGIN_DIR) / "subscription_model",
           dir.path() / "plugins" / "subscription_model", fs::copy_options::recursive);
  Json focus = Json::parse(Slurp(kDir / "aikon-focus.scenario.json"));
  focus["assumptions"]["drivers"] =
      Json::parse(R"([{"id": "price", "distribution": "fixed", "value": 12}])");
  focus["assumptions"].erase("correlations");
  Write(dir.path() / "f.scenario.json", focus.dump());
  const std::string args =
      "--plugin-dir " + Quote((dir.path() / "plugins").string()) + " scenario compare " + kAikon +
      " " + Quote((dir.path() / "f.scenario.json").string()) +
      " --model subscription_model --draws 4000 --horizon 5 --discount-rate 0.08";
  const RunResult r = RunBmil(args + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json report = Json::parse(r.out);
  EXPECT_EQ(report.at("model").at("id"), "subscription_model");
  // The fixture counts every model of the case, retired ones too: 5 x 100 subscribers at a
  // fixed price of 12, revenue 6,000 and profit 5,500 a year.
  const Json& f = Column(report, "aikon-focus").at("financial");
  const double annuity = (1 - std::pow(1.08, -5)) / 0.08;
  EXPECT_NEAR(f.at("npv").at("p50").get<double>(), 5500 * annuity, 1e-6);
  // Base: price lognormal (median 10, gsd 1.5): mean revenue 500 x 10 x exp(ln(1.5)^2 / 2).
  const Json& base = Column(report, "base").at("financial");
  const double mean = 500 * 10 * std::exp(std::pow(std::log(1.5), 2) / 2);
  EXPECT_NEAR(Series(Column(report, "base"), "revenue").at("years")[0].at("mean").get<double>(),
              mean, mean * 0.01);
  EXPECT_NEAR(Series(Column(report, "base"), "revenue").at("years")[0].at("p50").get<double>(),
              5000, 5000 * 0.01);
  // The price is the only driver that varies: it tops the tornado of the base.
  EXPECT_EQ(base.at("tornado")[0].at("driver"), "price");
  // The scenario's drivers the fixture does not read are named.
  for (const char* format : {"md", "csv", "text", "html"}) {
    const RunResult other = RunBmil(args + " --format " + format);
    ASSERT_EQ(other.exit_code, 0) << format << other.err;
    EXPECT_THAT(other.out,
                HasSubstr(std::string(format) == "csv" ? "subscribers" : "subscription_model"))
        << format;
  }
}

TEST(ScenarioCompare, AModelThatReturnsNaNFailsAloneAndTheRestIsWritten) {
  TempDir dir;
  fs::create_directory(dir.path() / "plugins");
  fs::copy(fs::path(BMIL_FIXTURE_PLUGIN_DIR) / "subscription_model",
           dir.path() / "plugins" / "subscription_model", fs::copy_options::recursive);
  Json base = Json::parse(kShopCase);
  base["business_models"][1]["id"] = "poison";
  Write(dir.path() / "t.json", base.dump());
  Json s = Json::parse(kShopScenario);
  s["moves"] = Json::array();
  Write(dir.path() / "s.scenario.json", s.dump());
  const fs::path out = dir.path() / "out.json";
  const RunResult r =
      RunBmil("--plugin-dir " + Quote((dir.path() / "plugins").string()) + " scenario compare " +
              Quote((dir.path() / "t.json").string()) + " " +
              Quote((dir.path() / "s.scenario.json").string()) +
              " --any-base --model subscription_model --draws 10 -o " + Quote(out.string()));
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_THAT(r.err,
              HasSubstr("plugin \"subscription_model\": evaluate failed: returned a value "
                        "that is not finite (nan) for series \"revenue\" in 2022 on draw 1"));
  const Json report = Json::parse(Slurp(out));
  EXPECT_TRUE(Column(report, "fix").at("financial").is_null());
  EXPECT_FALSE(Column(report, "fix").at("structural").is_null());
}

// The paper's Provital (sec. 3.3.1): taking water cleaning into car wash at prototype risks
// the move (failure.before_market, 0.6) where bringing it to the market first does not
// (failure.at_market, 0.2). With common random numbers the same draw decides both moves:
// where it lies between the two probabilities only the prototype move fails.
TEST(ScenarioCompare, ProvitalMovingAfterMarketEntryIsWorthMoreOnAverage) {
  const RunResult r =
      RunBmil("scenario compare " + Quote((kDir / "provital-2009.json").string()) + " " +
              Quote((kDir / "provital-carwash-prototype.scenario.json").string()) + " " +
              Quote((kDir / "provital-carwash-after-market.scenario.json").string()) +
              " --no-base --draws 2000 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json report = Json::parse(r.out);
  const Json& early = Column(report, "provital-carwash-prototype").at("financial");
  const Json& later = Column(report, "provital-carwash-after-market").at("financial");
  EXPECT_GT(later.at("npv").at("mean").get<double>(), early.at("npv").at("mean").get<double>());
  // LHS puts exactly 800 of 2,000 points of the chance driver in [0.2, 0.6): there only the
  // early move fails, and the later one is ahead by the uplift.
  const Json& later_row = report.at("comparison")[1];
  EXPECT_EQ(later_row.at("id"), "provital-carwash-after-market");
  EXPECT_NEAR(
      later_row.at("beats").at("provital-carwash-prototype").at("probability").get<double>(), 0.4,
      1e-9);
}

TEST(ScenarioDecide, RecordsTheChoiceWithItsExpectedTrajectory) {
  TempDir dir;
  const fs::path out = dir.path() / "decision.json";
  const RunResult r =
      RunBmil("scenario decide " + kAikon + " " + kFocus +
              " --why 'Stop the losses' --date 2011-01-15 --draws 200 -o " + Quote(out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json d = Json::parse(Slurp(out));
  EXPECT_EQ(d.at("bmil_decision"), "1.0");
  EXPECT_EQ(d.at("decided"), "2011-01-15");
  EXPECT_EQ(d.at("why"), "Stop the losses");
  EXPECT_EQ(d.at("scenario").at("id"), "aikon-focus");
  EXPECT_EQ(d.at("scenario").at("xxh3").get<std::string>().size(), 32u);
  EXPECT_EQ(d.at("strategy").at("leadership_lines"), Json::parse(R"(["customer", "network"])"));
  // The base's ongoing a06, a08, a11 and planned a12, then the scenario's planned f1, f2.
  ASSERT_EQ(d.at("tasks").size(), 6u);
  EXPECT_EQ(d.at("tasks")[0].at("id"), "a06");
  EXPECT_EQ(d.at("tasks")[4].at("id"), "f1");
  EXPECT_EQ(d.at("tasks")[4].at("status"), "planned");
  EXPECT_EQ(d.at("tasks")[4].at("effort"), 6);
  // Each KPI's band is ordered.
  for (const Json& k : d.at("expected").at("kpis")) {
    for (const Json& y : k.at("years")) {
      EXPECT_LE(y.at("p10").get<double>(), y.at("p50").get<double>());
      EXPECT_LE(y.at("p50").get<double>(), y.at("p90").get<double>());
    }
  }
  const RunResult bad =
      RunBmil("scenario decide " + kAikon + " " + kFocus + " --why x --date 15.1.2011");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--date must be YYYY-MM-DD"));
}

TEST(ScenarioCompare, DifferentHorizonsNeedOne) {
  TempDir dir;
  Json keep = Json::parse(Slurp(kDir / "aikon-keep.scenario.json"));
  keep["assumptions"]["horizon_years"] = 7;
  Write(dir.path() / "k.scenario.json", keep.dump());
  const std::string args = "scenario compare " + kAikon + " " + kFocus + " " +
                           Quote((dir.path() / "k.scenario.json").string());
  const RunResult r = RunBmil(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("the scenarios assume different horizons (aikon-focus: 5 years, "
                               "aikon-keep: 7)"));
  EXPECT_EQ(RunBmil(args + " --horizon 6 --draws 20").exit_code, 0);
}

// A scenario's name (and any plugin's text) reaches the terminal without its escape
// sequences: ESC is shown as "\x1b", never sent.
TEST(ScenarioCompare, TextFromFilesAndPluginsCannotDriveTheTerminal) {
  TempDir dir;
  Json focus = Json::parse(Slurp(kDir / "aikon-focus.scenario.json"));
  focus["name"] =
      "Focus \x1b[31mred\x1b[0m \u202e"
      "evil";
  Write(dir.path() / "e.scenario.json", focus.dump());
  for (const char* format : {"text", "md"}) {
    const RunResult r = RunBmil("scenario compare " + kAikon + " " +
                                Quote((dir.path() / "e.scenario.json").string()) +
                                " --draws 10 --format " + format);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << format;
    EXPECT_EQ(r.out.find("\u202e"), std::string::npos) << format;
    EXPECT_THAT(r.out, HasSubstr("Focus \\x1b[31mred\\x1b[0m \\u202eevil")) << format;
  }
}

// Columns are named by scenario id: the same id twice, or a scenario called "base" beside
// the base's column, would make two columns of one name.
TEST(ScenarioCompare, ColumnIdsAreUnique) {
  TempDir dir;
  Json focus = Json::parse(Slurp(kDir / "aikon-focus.scenario.json"));
  focus["id"] = "base";
  Write(dir.path() / "b.scenario.json", focus.dump());
  const std::string b = Quote((dir.path() / "b.scenario.json").string());
  RunResult r = RunBmil("scenario compare " + kAikon + " " + b + " --draws 10");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("is the id of the base's column; rename the scenario or give "
                               "--no-base"));
  EXPECT_EQ(RunBmil("scenario compare " + kAikon + " " + b + " --draws 10 --no-base").exit_code, 0);
  r = RunBmil("scenario compare " + kAikon + " " + kFocus + " " + kFocus + " --draws 10");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("scenario id \"aikon-focus\" is given twice"));
}

}  // namespace
}  // namespace bmil::cli_test
