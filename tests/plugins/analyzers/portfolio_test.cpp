// Tests of the portfolio analyzer on hand-built cases. Every expected number is worked out
// by hand in the comments.
#include "plugins/analyzer_harness.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace bmil::test {
namespace {

using Json = nlohmann::json;

const Json* FindingOf(const Json& result, const std::string& code) {
  for (const auto& f : result.at("findings"))
    if (f.at("code") == code) return &f;
  return nullptr;
}

// The row of `table` whose cell `column` equals `value`.
const Json* RowWhere(const Json& table, std::size_t column, const std::string& value) {
  for (const auto& row : table.at("rows"))
    if (row.at(column) == value) return &row;
  return nullptr;
}

// Column positions of the business_models table.
constexpr std::size_t kModelId = 1, kProfit = 7, kInPortfolio = 12, kTasks = 13, kCandidate = 19;

BusinessModel& Figures(BusinessModel& bm, std::optional<double> revenue, std::optional<double> cost,
                       std::optional<double> users = std::nullopt,
                       std::optional<double> customers = std::nullopt) {
  bm.value_formula.revenue = revenue;
  bm.value_formula.cost = cost;
  bm.value_formula.users = users;
  bm.value_formula.customers = customers;
  bm.value_formula.currency = "EUR";
  bm.building_blocks["value_formula"];
  return bm;
}

BmiTask& With(BmiTask& task, Action action, const std::string& end = "",
              Level level = Level::kUnstated) {
  task.action = action;
  task.period.end = end;
  task.level = level;
  return task;
}

// p1: seven models, five tasks; horizon (latest year named) = 2012.
//   m_win   AS IS  rev 1000 cost 600  -> +400, 10 customers; t1 upgrade 2010-2010 (not 2012)
//   m_keep  AS IS  rev  800 cost 700  -> +100, 50 users;     t2 keep 2012, open
//   m_even  AS IS  rev  300 cost 300  ->    0 (break-even)
//   m_loss  AS IS  rev  100 cost 250  -> -150, not carried
//   m_gone  AS IS retired, rev 0 cost 90 -> -90; t3 exclude at portfolio level 2011-2011
//   m_new   TO BE concept, carried by m_win, rev 0 cost 50 -> -50, 20 users, 0 customers;
//           t4 create 2012, open
//   m_proto TO BE prototype, carried by m_even, rev 10 cost 40 -> -30; t5 (no action) 2011-2012
Case HandCase(const std::string& id = "p1") {
  Case c = MakeCase(id);
  Figures(AddModel(c, "m_win", State::kAsIs, Stage::kMarket), 1000, 600, std::nullopt, 10);
  Figures(AddModel(c, "m_keep", State::kAsIs, Stage::kMarket), 800, 700, 50);
  Figures(AddModel(c, "m_even", State::kAsIs, Stage::kMarket), 300, 300);
  Figures(AddModel(c, "m_loss", State::kAsIs, Stage::kMarket), 100, 250);
  Figures(AddModel(c, "m_gone", State::kAsIs, Stage::kRetired), 0, 90);
  Figures(AddModel(c, "m_new", State::kToBe, Stage::kConcept), 0, 50, 20, 0).carried_by = {"m_win"};
  Figures(AddModel(c, "m_proto", State::kToBe, Stage::kPrototype), 10, 40).carried_by = {"m_even"};
  With(AddTask(c, "t1", "m_win", {"value_proposition"}, {"value"}, "2010"), Action::kUpgrade,
       "2010");
  With(AddTask(c, "t2", "m_keep", {"value_chain"}, {"value_chain"}, "2012"), Action::kKeep);
  With(AddTask(c, "t3", "m_gone", {"value_proposition"}, {"value"}, "2011"), Action::kExclude,
       "2011", Level::kPortfolio);
  With(AddTask(c, "t4", "m_new", {"customers"}, {"customer"}, "2012"), Action::kCreate);
  With(AddTask(c, "t5", "m_proto", {"network"}, {"network"}, "2011"), Action::kUnstated, "2012");
  return c;
}

TEST(Portfolio, CountsModelsAndProfitByHand) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("portfolio", cases);
  EXPECT_EQ(Metric(r, "businesses"), 1);
  EXPECT_EQ(Metric(r, "business_models"), 7);
  EXPECT_EQ(Metric(r, "as_is_models"), 5);  // win, keep, even, loss, gone
  EXPECT_EQ(Metric(r, "to_be_models"), 2);  // new, proto
  EXPECT_EQ(Metric(r, "taken_out"), 1);     // gone (retired, and excluded at portfolio level)
  EXPECT_EQ(Metric(r, "models_with_profit"), 7);
  EXPECT_EQ(Metric(r, "profitable"), 2);               // win +400, keep +100
  EXPECT_EQ(Metric(r, "break_even"), 1);               // even
  EXPECT_EQ(Metric(r, "loss_makers"), 4);              // loss -150, gone -90, new -50, proto -30
  EXPECT_EQ(Metric(r, "loss_makers_taken_out"), 1);    // gone
  EXPECT_EQ(Metric(r, "loss_makers_active"), 3);       // 4 - 1
  EXPECT_EQ(Metric(r, "users_without_customers"), 1);  // new: 20 users, 0 customers
  EXPECT_EQ(Metric(r, "carried_models"), 2);           // new, proto
  EXPECT_EQ(Metric(r, "carry_links"), 2);
  EXPECT_EQ(Metric(r, "as_is_carries_to_be"), 2);  // win -> new, even -> proto

  const Json& models = Table(r, "business_models");
  ASSERT_EQ(models.at("rows").size(), 7u);
  const Json expected1 =
      Json::parse(R"x(["p1", "m_win", "m_win", "as_is", "market", 1000.0, 600.0, 400.0,
                            "EUR", null, 10.0, "", "yes", 1, 0, 0, 0, 1, 0, "upgrade"])x");
  EXPECT_EQ(models.at("rows")[0], expected1);
  const Json* gone = RowWhere(models, kModelId, "m_gone");
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(gone->at(kProfit), -90.0);  // 0 - 90
  EXPECT_EQ(gone->at(kInPortfolio), "taken out");
  EXPECT_EQ(gone->at(kCandidate), "");
  EXPECT_EQ(RowWhere(models, kModelId, "m_even")->at(kCandidate), "");  // profit 0: no rule
  EXPECT_EQ(RowWhere(models, kModelId, "m_proto")->at(kTasks), 1);
  EXPECT_EQ(models.at("chart").at("y"), Json::parse(R"x(["profit"])x"));
}

TEST(Portfolio, ActionsTakenAndCandidatesByHand) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("portfolio", cases);
  // Tasks per action: t1 upgrade, t2 keep, t3 exclude, t4 create, t5 not stated.
  EXPECT_EQ(Metric(r, "tasks_create"), 1);
  EXPECT_EQ(Metric(r, "tasks_exclude"), 1);
  EXPECT_EQ(Metric(r, "tasks_keep"), 1);
  EXPECT_EQ(Metric(r, "tasks_upgrade"), 1);
  EXPECT_EQ(Metric(r, "tasks_diminish"), 0);
  EXPECT_EQ(Metric(r, "tasks_action_unstated"), 1);
  // One candidate per rule: exclude m_loss, create m_new, diminish m_proto, upgrade m_win,
  // keep m_keep.
  for (const char* a : {"create", "exclude", "keep", "upgrade", "diminish"})
    EXPECT_EQ(Metric(r, std::string("candidates_") + a), 1) << a;

  const Json& candidates = Table(r, "candidates");
  ASSERT_EQ(candidates.at("rows").size(), 5u);  // in case order
  const Json expected2 = Json::parse(R"x(["p1", "m_win", "as_is", "upgrade", "raise",
              "profitable (revenue 1,000 EUR, cost 600 EUR, profit 400 EUR) with 10 customers, but no BMI task active in 2012, the latest year of the business's tasks",
              1])x");
  EXPECT_EQ(candidates.at("rows")[0], expected2);
  const Json expected3 = Json::parse(R"x(["p1", "m_keep", "as_is", "keep", "none",
              "profitable (revenue 800 EUR, cost 700 EUR, profit 100 EUR)", 1])x");
  EXPECT_EQ(candidates.at("rows")[1], expected3);
  const Json expected4 = Json::parse(R"x(["p1", "m_loss", "as_is", "exclude", "eliminate",
              "loses money (revenue 100 EUR, cost 250 EUR, profit -150 EUR) and no other model carries it",
              0])x");
  EXPECT_EQ(candidates.at("rows")[2], expected4);
  const Json expected5 = Json::parse(R"x(["p1", "m_new", "to_be", "create", "create",
              "TO BE model at concept stage, financed by profitable m_win", 1])x");
  EXPECT_EQ(candidates.at("rows")[3], expected5);
  const Json expected6 = Json::parse(R"x(["p1", "m_proto", "to_be", "diminish", "reduce",
              "loses money (revenue 10 EUR, cost 40 EUR, profit -30 EUR) and lives on the earnings of m_even",
              0])x");
  EXPECT_EQ(candidates.at("rows")[4], expected6);

  // Actions table in ERRC order, keep last, then tasks without an action.
  const Json& actions = Table(r, "actions");
  ASSERT_EQ(actions.at("rows").size(), 6u);
  EXPECT_EQ(actions.at("rows")[0], Json::parse(R"x(["exclude", "eliminate", 1, 1, 1])x"));
  EXPECT_EQ(actions.at("rows")[1], Json::parse(R"x(["diminish", "reduce", 0, 0, 1])x"));
  EXPECT_EQ(actions.at("rows")[4], Json::parse(R"x(["keep", "none", 1, 1, 1])x"));
  EXPECT_EQ(actions.at("rows")[5], Json::parse(R"x(["not stated", "", 1, 1, 0])x"));

  // ERRC grid: eliminate, reduce, raise, create (no keep).
  const Json& errc = Table(r, "errc");
  ASSERT_EQ(errc.at("rows").size(), 4u);
  EXPECT_EQ(errc.at("rows")[0],
            Json::parse(R"x(["eliminate", "exclude", 1, "m_gone", 1, "m_loss"])x"));
  EXPECT_EQ(errc.at("rows")[1], Json::parse(R"x(["reduce", "diminish", 0, "", 1, "m_proto"])x"));
  EXPECT_EQ(errc.at("rows")[2], Json::parse(R"x(["raise", "upgrade", 1, "m_win", 1, "m_win"])x"));
  EXPECT_EQ(errc.at("rows")[3], Json::parse(R"x(["create", "create", 1, "m_new", 1, "m_new"])x"));

  // Carry links.
  const Json& links = Table(r, "carried_models");
  ASSERT_EQ(links.at("rows").size(), 2u);
  EXPECT_EQ(
      links.at("rows")[0],
      Json::parse(R"x(["p1", "m_new", "to_be", -50.0, "EUR", "m_win", "as_is", 400.0, "EUR"])x"));
}

TEST(Portfolio, FindingsByHand) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("portfolio", cases);
  const Json* loss = FindingOf(r, "portfolio.loss_maker");
  ASSERT_NE(loss, nullptr);
  EXPECT_EQ(loss->at("severity"), "warning");
  // m_gone loses money too but is taken out: not listed.
  const Json expected7 = Json::parse(R"x([
      "m_loss (AS IS): revenue 100 EUR, cost 250 EUR, profit -150 EUR",
      "m_new (TO BE): revenue 0 EUR, cost 50 EUR, profit -50 EUR; carried by m_win",
      "m_proto (TO BE): revenue 10 EUR, cost 40 EUR, profit -30 EUR; carried by m_even"])x");
  EXPECT_EQ(loss->at("evidence"), expected7);
  EXPECT_EQ(loss->at("message").get<std::string>().rfind("3 business models cost more", 0), 0u);

  const Json* users = FindingOf(r, "portfolio.users_without_customers");
  ASSERT_NE(users, nullptr);
  EXPECT_EQ(users->at("severity"), "warning");
  EXPECT_EQ(users->at("evidence"), Json::parse(R"x(["m_new (TO BE): 20 users, 0 customers"])x"));
  EXPECT_EQ(users->at("source"), "Lindgren 2012, sec. 3.2 (Katalabs)");

  const Json* carried = FindingOf(r, "portfolio.carried_models");
  ASSERT_NE(carried, nullptr);
  EXPECT_EQ(carried->at("severity"), "info");
  const Json expected8 = Json::parse(R"x([
      "m_new (TO BE) lives on the earnings of m_win (profit 400 EUR); its own profit -50 EUR",
      "m_proto (TO BE) lives on the earnings of m_even (profit 0 EUR); its own profit -30 EUR"])x");
  EXPECT_EQ(carried->at("evidence"), expected8);
}

// One business with a single model `m` of the given figures (and an AS IS carrier when
// `carried`).
Case OneModel(std::optional<double> revenue, std::optional<double> cost,
              std::optional<double> users = std::nullopt,
              std::optional<double> customers = std::nullopt, bool carried = false) {
  Case c = MakeCase("one");
  Figures(AddModel(c, "m", State::kAsIs, Stage::kMarket), revenue, cost, users, customers);
  if (carried) {
    Figures(AddModel(c, "carrier", State::kAsIs, Stage::kMarket), 10, 5);
    c.business_models[0].carried_by = {"carrier"};
  }
  return c;
}

Json RunOne(const Case& c) {
  const std::vector<Case> cases = {c};
  return RunAnalyzer("portfolio", cases);
}

TEST(Portfolio, LossMakerThresholdIsProfitBelowZero) {
  // Profit 100 - 100 = 0: not a loss-maker.
  Json r = RunOne(OneModel(100, 100));
  EXPECT_EQ(Metric(r, "loss_makers"), 0);
  EXPECT_EQ(FindingOf(r, "portfolio.loss_maker"), nullptr);
  // Profit 99 - 100 = -1: a loss-maker.
  r = RunOne(OneModel(99, 100));
  EXPECT_EQ(Metric(r, "loss_makers"), 1);
  const Json* f = FindingOf(r, "portfolio.loss_maker");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence")[0], "m (AS IS): revenue 99 EUR, cost 100 EUR, profit -1 EUR");
  // Cost not stated: no profit, no finding.
  r = RunOne(OneModel(0, std::nullopt));
  EXPECT_EQ(Metric(r, "models_with_profit"), 0);
  EXPECT_EQ(FindingOf(r, "portfolio.loss_maker"), nullptr);
  EXPECT_TRUE(Table(r, "business_models").at("rows")[0].at(kProfit).is_null());
}

TEST(Portfolio, AmountsKeepTheirFormatting) {
  // Cents only when there are some; thousands separated; minus only on a nonzero amount.
  Json r = RunOne(OneModel(1234.5, 1234567.895));
  EXPECT_EQ(FindingOf(r, "portfolio.loss_maker")->at("evidence")[0],
            "m (AS IS): revenue 1,234.50 EUR, cost 1,234,567.90 EUR, profit -1,233,333.40 EUR");
  r = RunOne(OneModel(0, 0.004));
  EXPECT_EQ(FindingOf(r, "portfolio.loss_maker")->at("evidence")[0],
            "m (AS IS): revenue 0 EUR, cost 0 EUR, profit 0 EUR");
  // An amount of 61 digits or more was printed into 64 bytes, which cut it to 63 characters;
  // the last three of those are read as the decimals. 2^203 has 62 digits:
  // "12855504354071922204335696738729300820177623950262342682411008.00" is cut to its first
  // 63 characters, "...11008." (decimals "08."), and grouped as "...,824,110" + "08.".
  const std::string cut =
      "128,555,043,540,719,222,043,356,967,387,293,008,201,776,239,502,623,426,824,11008.";
  r = RunOne(OneModel(0, std::ldexp(1.0, 203)));
  EXPECT_EQ(FindingOf(r, "portfolio.loss_maker")->at("evidence")[0],
            "m (AS IS): revenue 0 EUR, cost " + cut + " EUR, profit -" + cut + " EUR");
}

TEST(Portfolio, UsersWithoutCustomersNeedsUsersAndZeroCustomers) {
  // 0 users, 0 customers: no finding.
  EXPECT_EQ(FindingOf(RunOne(OneModel(0, 0, 0, 0)), "portfolio.users_without_customers"), nullptr);
  // 1 user, 1 customer: no finding.
  EXPECT_EQ(FindingOf(RunOne(OneModel(0, 0, 1, 1)), "portfolio.users_without_customers"), nullptr);
  // 1 user, customers not stated: unknown, no finding.
  EXPECT_EQ(FindingOf(RunOne(OneModel(0, 0, 1)), "portfolio.users_without_customers"), nullptr);
  // 1 user, 0 customers: finding.
  const Json r = RunOne(OneModel(0, 0, 1, 0));
  const Json* f = FindingOf(r, "portfolio.users_without_customers");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence"), Json::parse(R"x(["m (AS IS): 1 user, 0 customers"])x"));
}

TEST(Portfolio, CarriedModelsNeedALinkAndAModelInThePortfolio) {
  // No carried_by: no finding.
  EXPECT_EQ(FindingOf(RunOne(OneModel(10, 20)), "portfolio.carried_models"), nullptr);
  // One link: finding.
  const Json r = RunOne(OneModel(10, 20, std::nullopt, std::nullopt, true));
  const Json* f = FindingOf(r, "portfolio.carried_models");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence")[0],
            "m (AS IS) lives on the earnings of carrier (profit 5 EUR); its own profit -10 EUR");
  // The same model retired (taken out): no finding, but the link is still counted.
  Case retired = OneModel(10, 20, std::nullopt, std::nullopt, true);
  retired.business_models[0].stage = Stage::kRetired;
  const Json rr = RunOne(retired);
  EXPECT_EQ(FindingOf(rr, "portfolio.carried_models"), nullptr);
  EXPECT_EQ(Metric(rr, "carry_links"), 1);
}

// The candidate action of model `model` in `c`.
std::string CandidateOf(const Case& c, const std::string& model) {
  const Json r = RunOne(c);
  const Json* row = RowWhere(Table(r, "business_models"), kModelId, model);
  return row == nullptr ? "<no row>" : row->at(kCandidate).get<std::string>();
}

TEST(Portfolio, ExcludeRule) {
  EXPECT_EQ(CandidateOf(OneModel(99, 100), "m"), "exclude");  // loses 1, not carried
  EXPECT_EQ(CandidateOf(OneModel(99, 100, std::nullopt, std::nullopt, true), "m"),
            "diminish");  // loses 1, carried
  // Excluded at model level: taken out, no candidate. At block level: still in.
  Case excluded = OneModel(99, 100);
  With(AddTask(excluded, "t", "m", {"value_proposition"}, {"value"}, "2010"), Action::kExclude, "",
       Level::kBusinessModel);
  EXPECT_EQ(CandidateOf(excluded, "m"), "");
  excluded.bmi_tasks[0].level = Level::kBuildingBlock;
  EXPECT_EQ(CandidateOf(excluded, "m"), "exclude");
}

TEST(Portfolio, CreateRule) {
  // A TO BE model carried by a profitable (+5) carrier.
  auto make = [](Stage stage, double carrier_cost) {
    Case c = MakeCase("c");
    Figures(AddModel(c, "carrier", State::kAsIs, Stage::kMarket), 10, carrier_cost);
    AddModel(c, "m", State::kToBe, stage).carried_by = {"carrier"};
    return c;
  };
  EXPECT_EQ(CandidateOf(make(Stage::kIdea, 5), "m"), "create");
  EXPECT_EQ(CandidateOf(make(Stage::kConcept, 5), "m"), "create");
  EXPECT_EQ(CandidateOf(make(Stage::kPrototype, 5), "m"), "");  // past concept
  EXPECT_EQ(CandidateOf(make(Stage::kConcept, 10), "m"), "");   // carrier breaks even
  // Create comes before diminish: a concept model that loses money while carried.
  Case losing = make(Stage::kConcept, 5);
  Figures(losing.business_models[1], 0, 50);
  EXPECT_EQ(CandidateOf(losing, "m"), "create");
}

TEST(Portfolio, UpgradeAndKeepRules) {
  // Profitable (+5) AS IS with 3 customers; another model's task sets the last year to 2012.
  auto make = [](const std::string& own_task_year, std::optional<double> customers) {
    Case c = OneModel(10, 5, std::nullopt, customers);
    AddModel(c, "other", State::kAsIs);
    AddTask(c, "t0", "other", {"network"}, {"network"}, "2012");
    if (!own_task_year.empty()) {
      BmiTask& t = AddTask(c, "t1", "m", {"customers"}, {"customer"}, own_task_year);
      t.period.end = own_task_year;
    }
    return c;
  };
  EXPECT_EQ(CandidateOf(make("2011", 3), "m"), "upgrade");  // no task in 2012
  EXPECT_EQ(CandidateOf(make("", 3), "m"), "upgrade");      // no task at all
  EXPECT_EQ(CandidateOf(make("2012", 3), "m"), "keep");     // a task in 2012
  EXPECT_EQ(CandidateOf(make("2011", 0), "m"), "keep");     // no users or customers
  EXPECT_EQ(CandidateOf(make("2011", std::nullopt), "m"), "keep");
  // Profit 0: neither keep nor upgrade.
  EXPECT_EQ(CandidateOf(OneModel(5, 5, 3, 3), "m"), "");
  // No dated task in the business: any task counts as recent.
  Case undated = OneModel(10, 5, std::nullopt, 3);
  AddTask(undated, "t", "m", {"customers"}, {"customer"});
  EXPECT_EQ(CandidateOf(undated, "m"), "keep");
  EXPECT_EQ(CandidateOf(OneModel(10, 5, std::nullopt, 3), "m"), "upgrade");
}

TEST(Portfolio, ManyBusinessesQualifyModels) {
  const std::vector<Case> cases = {HandCase("p1"), HandCase("p2")};
  const Json r = RunAnalyzer("portfolio", cases);
  EXPECT_EQ(Metric(r, "business_models"), 14);    // 7 + 7
  EXPECT_EQ(Metric(r, "loss_makers_active"), 6);  // 3 + 3
  const Json* loss = FindingOf(r, "portfolio.loss_maker");
  ASSERT_NE(loss, nullptr);
  EXPECT_EQ(loss->at("evidence")[0],
            "p1/m_loss (AS IS): revenue 100 EUR, cost 250 EUR, profit -150 EUR");
  EXPECT_EQ(loss->at("evidence")[3],
            "p2/m_loss (AS IS): revenue 100 EUR, cost 250 EUR, profit -150 EUR");
  EXPECT_EQ(loss->at("message").get<std::string>().rfind(
                "In 2 of 2 businesses, 6 business models cost more than they earn", 0),
            0u);
  EXPECT_EQ(Table(r, "errc").at("rows")[0].at(5), "p1/m_loss, p2/m_loss");
}

// A cross-case finding counts the businesses that have such models, not every business
// added (issue 17: "In 5 businesses, 2 business models" when both were Katalabs'). p1 has
// the hand case's 3 loss-makers; the two one-model businesses earn 5 each.
TEST(Portfolio, CrossCaseFindingsCountTheBusinessesConcerned) {
  const std::vector<Case> cases = {OneModel(10, 5), HandCase("p1"), OneModel(10, 5)};
  const Json r = RunAnalyzer("portfolio", cases);
  const Json* loss = FindingOf(r, "portfolio.loss_maker");
  ASSERT_NE(loss, nullptr);
  EXPECT_EQ(loss->at("message").get<std::string>().rfind(
                "In 1 of 3 businesses, 3 business models cost more than they earn", 0),
            0u)
      << loss->at("message");
  // The same after a split run (the count is saved, loaded and merged).
  ExpectEverySplitEquals("portfolio", cases, r);
}

TEST(Portfolio, SplitRunsEqualOneRun) {
  const std::vector<Case> cases = {HandCase("p1"), OneModel(99, 100), HandCase("p2"),
                                   OneModel(0, 0, 1, 0)};
  const Json whole = RunAnalyzer("portfolio", cases);
  ExpectEverySplitEquals("portfolio", cases, whole);
}

TEST(Portfolio, ListingsAreCappedButCountsCoverEveryCase) {
  // 40 businesses x 7 models = 280 models; the model listing keeps the first 200, the
  // finding 10 evidence lines and a count of the rest; the ERRC names 10 and "and N more".
  std::vector<Case> cases;
  for (int i = 0; i < 40; ++i) cases.push_back(HandCase("p" + std::to_string(i)));
  const Json whole = RunAnalyzer("portfolio", cases);
  EXPECT_EQ(Metric(whole, "business_models"), 280);
  EXPECT_EQ(Metric(whole, "loss_makers_active"), 120);  // 40 x 3
  EXPECT_EQ(Table(whole, "business_models").at("rows").size(), 200u);
  // Row 200 (index 199) is business p28's 4th model: 28 x 7 = 196 rows before it.
  EXPECT_EQ(Table(whole, "business_models").at("rows")[199].at(0), "p28");
  EXPECT_EQ(Table(whole, "business_models").at("rows")[199].at(1), "m_loss");
  const Json* loss = FindingOf(whole, "portfolio.loss_maker");
  ASSERT_NE(loss, nullptr);
  ASSERT_EQ(loss->at("evidence").size(), 11u);
  EXPECT_EQ(loss->at("evidence")[10], "... and 110 more");
  EXPECT_EQ(Table(whole, "errc").at("rows")[0].at(5),
            "p0/m_loss, p1/m_loss, p2/m_loss, p3/m_loss, p4/m_loss, p5/m_loss, p6/m_loss, "
            "p7/m_loss, p8/m_loss, p9/m_loss and 30 more");
  for (std::size_t k : {std::size_t{3}, std::size_t{28}, std::size_t{35}})
    EXPECT_EQ(RunAnalyzerSplit("portfolio", cases, k), whole) << "split " << k;
}

// Business `id` with 70 AS IS models m0..m69 without figures (more than a 64-bit set of
// models holds); model k has one task, whose action is create, exclude, keep, upgrade,
// diminish for k % 5 = 0, 1, 2, 3, 4: 14 tasks on 14 models per action.
Case SeventyModels(const std::string& id) {
  constexpr std::array<Action, 5> kInTurn = {Action::kCreate, Action::kExclude, Action::kKeep,
                                             Action::kUpgrade, Action::kDiminish};
  Case c = MakeCase(id);
  for (int k = 0; k < 70; ++k) {
    const std::string model = "m" + std::to_string(k);
    AddModel(c, model, State::kAsIs);
    With(AddTask(c, "t" + std::to_string(k), model, {"customers"}, {"customer"}), kInTurn[k % 5]);
  }
  return c;
}

TEST(Portfolio, CountsModelsActedOnAsTheirListsFill) {
  // One business: 14 tasks and 14 models per action; no figures, so no candidates. The lists
  // of models acted on fill in the middle of the case: the ERRC table names the first 10
  // models acted on and counts the other 4.
  const std::vector<Case> one = {SeventyModels("b1")};
  const Json r1 = RunAnalyzer("portfolio", one);
  EXPECT_EQ(Metric(r1, "business_models"), 70);
  const Json& actions1 = Table(r1, "actions");
  EXPECT_EQ(actions1.at("rows")[0], Json::parse(R"x(["exclude", "eliminate", 14, 14, 0])x"));
  EXPECT_EQ(actions1.at("rows")[1], Json::parse(R"x(["diminish", "reduce", 14, 14, 0])x"));
  EXPECT_EQ(actions1.at("rows")[4], Json::parse(R"x(["keep", "none", 14, 14, 0])x"));
  EXPECT_EQ(actions1.at("rows")[5], Json::parse(R"x(["not stated", "", 0, 0, 0])x"));
  EXPECT_EQ(Table(r1, "errc").at("rows")[3].at(3),
            "m0, m5, m10, m15, m20, m25, m30, m35, m40, m45 and 4 more");

  // Two businesses: 28 per action. The second business finds the lists of models acted on
  // full (10 each) and only counts its 14 models per action: 28 - 10 = 18 more.
  const std::vector<Case> two = {SeventyModels("b1"), SeventyModels("b2")};
  const Json r2 = RunAnalyzer("portfolio", two);
  const Json& actions2 = Table(r2, "actions");
  EXPECT_EQ(actions2.at("rows")[0], Json::parse(R"x(["exclude", "eliminate", 28, 28, 0])x"));
  EXPECT_EQ(actions2.at("rows")[1], Json::parse(R"x(["diminish", "reduce", 28, 28, 0])x"));
  EXPECT_EQ(actions2.at("rows")[2], Json::parse(R"x(["upgrade", "raise", 28, 28, 0])x"));
  EXPECT_EQ(actions2.at("rows")[3], Json::parse(R"x(["create", "create", 28, 28, 0])x"));
  EXPECT_EQ(actions2.at("rows")[4], Json::parse(R"x(["keep", "none", 28, 28, 0])x"));
  EXPECT_EQ(Table(r2, "errc").at("rows")[0].at(3),
            "b1/m1, b1/m6, b1/m11, b1/m16, b1/m21, b1/m26, b1/m31, b1/m36, b1/m41, b1/m46 and "
            "18 more");
  for (std::size_t k = 0; k <= two.size(); ++k)
    EXPECT_EQ(RunAnalyzerSplit("portfolio", two, k), r2) << "split " << k;
}

TEST(Portfolio, LoadRefusesAnotherFormat) {
  PluginInstance instance = NewInstance("portfolio");
  const auto error = instance.Load(R"x({"format": "orchestration/1"})x");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status, BMIL_ERROR_INVALID_STATE);
  const auto malformed = instance.Load(R"x({"format": "portfolio/1"})x");
  ASSERT_TRUE(malformed.has_value());
  EXPECT_EQ(malformed->status, BMIL_ERROR_INVALID_STATE);
}

// ------------------------------------------------------------------ listing caps (bmil
// --max-rows, --all) and the businesses of the findings

TEST(Portfolio, MaxRowsCapsEveryListingButNotTheCounts) {
  // p1, p2, p3: the hand case, 7 models each (21); 3 active loss-makers each (m_loss, m_new,
  // m_proto: 9), 2 carried (6), 2 links (6), 5 candidates (15).
  const std::vector<Case> cases = {HandCase("p1"), HandCase("p2"), HandCase("p3")};
  const std::string config = ListingConfig({{"max_rows", 2}});
  const Json r = RunAnalyzer("portfolio", cases, config);
  EXPECT_EQ(Metric(r, "business_models"), 21);
  EXPECT_EQ(Metric(r, "loss_makers_active"), 9);
  EXPECT_EQ(Metric(r, "carried_models"), 6);
  const Json& models = Table(r, "business_models");
  ASSERT_EQ(models.at("rows").size(), 2u);
  EXPECT_EQ(models.at("title"), "Profit, users and actions per business model (first 2)");
  EXPECT_EQ(models.at("rows")[1].at(kModelId), "m_keep");
  EXPECT_EQ(Table(r, "carried_models").at("rows").size(), 2u);
  EXPECT_EQ(Table(r, "carried_models").at("title"), "Which models carry which (first 2 links)");
  EXPECT_EQ(Table(r, "candidates").at("rows").size(), 2u);
  // Evidence: min(10, 2) = 2 lines (both of p1), then the other 7.
  const Json* loss = FindingOf(r, "portfolio.loss_maker");
  ASSERT_NE(loss, nullptr);
  ASSERT_EQ(loss->at("evidence").size(), 3u);
  EXPECT_EQ(loss->at("evidence")[1].get<std::string>().rfind("p1/m_new (TO BE)", 0), 0u);
  EXPECT_EQ(loss->at("evidence")[2], "... and 7 more");
  EXPECT_EQ(BusinessesOf(*loss), std::vector<std::string>{"p1"});
  // The ERRC table names min(10, 2) = 2 models per action: the eliminate candidates are the
  // three m_loss.
  EXPECT_EQ(Table(r, "errc").at("rows")[0].at(5), "p1/m_loss, p2/m_loss and 1 more");
  ExpectEverySplitEquals("portfolio", cases, r, config);

  // By default nothing is cut here: 9 evidence lines, no "more", all three businesses.
  const Json default_result = RunAnalyzer("portfolio", cases);
  const Json* all_listed = FindingOf(default_result, "portfolio.loss_maker");
  ASSERT_NE(all_listed, nullptr);
  EXPECT_EQ(all_listed->at("evidence").size(), 9u);
  EXPECT_EQ(BusinessesOf(*all_listed), (std::vector<std::string>{"p1", "p2", "p3"}));
}

// p0..p39: the hand case, 280 models, 120 active loss-makers.
std::vector<Case> FortyBusinesses() {
  std::vector<Case> cases;
  for (int i = 0; i < 40; ++i) cases.push_back(HandCase("p" + std::to_string(i)));
  return cases;
}

TEST(Portfolio, AllLiftsEveryCap) {
  const std::vector<Case> cases = FortyBusinesses();
  const std::string config = ListingConfig({{"all", true}});
  const Json r = RunAnalyzer("portfolio", cases, config);
  const Json& models = Table(r, "business_models");
  ASSERT_EQ(models.at("rows").size(), 280u);
  EXPECT_EQ(models.at("title"), "Profit, users and actions per business model (all)");
  EXPECT_EQ(models.at("rows")[279].at(0), "p39");
  EXPECT_EQ(Table(r, "candidates").at("rows").size(), 200u);  // 40 x 5: all of them
  const Json* loss = FindingOf(r, "portfolio.loss_maker");
  ASSERT_NE(loss, nullptr);
  ASSERT_EQ(loss->at("evidence").size(), 120u);  // every loss-maker, no "more"
  EXPECT_EQ(loss->at("evidence")[119].get<std::string>().rfind("p39/m_proto", 0), 0u);
  const std::vector<std::string> businesses = BusinessesOf(*loss);
  ASSERT_EQ(businesses.size(), 40u);
  EXPECT_EQ(businesses[39], "p39");
  const std::string names = Table(r, "errc").at("rows")[0].at(5);
  EXPECT_EQ(names.find("more"), std::string::npos);
  EXPECT_EQ(names.substr(names.size() - 10), "p39/m_loss");
  for (std::size_t k : {std::size_t{3}, std::size_t{28}, std::size_t{35}})
    EXPECT_EQ(RunAnalyzerSplit("portfolio", cases, k, config), r) << "split " << k;
}

TEST(Portfolio, ALoadedStateKeepsThePrefixItsCapsAllow) {
  // Saved by an instance with every row (bmil --all), loaded by one with the default caps:
  // the same as a run with the default caps (200 models, 10 names per action).
  const std::vector<Case> cases = FortyBusinesses();
  PluginInstance all = NewInstance("portfolio", ListingConfig({{"all", true}}));
  AddAll(all, cases);
  PluginInstance loaded = NewInstance("portfolio");
  ASSERT_FALSE(loaded.Load(SavedState(all).dump()).has_value());
  EXPECT_EQ(FinishOf(loaded), RunAnalyzer("portfolio", cases));
}

TEST(Portfolio, FindingsCarryTheBusinessesOfTheirModels) {
  // b1 earns 5; b2 loses 1 and has 1 user, 0 customers; b3's model loses 10 and is carried.
  auto named = [](Case c, const std::string& id) {
    c.business.id = id;
    return c;
  };
  const std::vector<Case> cases = {named(OneModel(10, 5), "b1"),
                                   named(OneModel(99, 100, 1, 0), "b2"),
                                   named(OneModel(10, 20, std::nullopt, std::nullopt, true), "b3")};
  const Json r = RunAnalyzer("portfolio", cases);
  const Json* loss = FindingOf(r, "portfolio.loss_maker");
  const Json* users = FindingOf(r, "portfolio.users_without_customers");
  const Json* carried = FindingOf(r, "portfolio.carried_models");
  ASSERT_NE(loss, nullptr);
  ASSERT_NE(users, nullptr);
  ASSERT_NE(carried, nullptr);
  EXPECT_EQ(BusinessesOf(*loss), (std::vector<std::string>{"b2", "b3"}));
  EXPECT_EQ(BusinessesOf(*users), std::vector<std::string>{"b2"});
  EXPECT_EQ(BusinessesOf(*carried), std::vector<std::string>{"b3"});
  // Several models of one business: its id once.
  const std::vector<Case> hand = {HandCase("p1")};
  EXPECT_EQ(BusinessesOf(*FindingOf(RunAnalyzer("portfolio", hand), "portfolio.loss_maker")),
            std::vector<std::string>{"p1"});
}

}  // namespace
}  // namespace bmil::test
