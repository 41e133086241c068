// Tests of the strategy_profile analyzer on hand-built cases: every expected number is worked
// out by hand in the comments (the canvas of the bundled plugins has 7 x 7 = 49 cells), and
// every finding's threshold is checked from both sides.
#include "plugins/analyzer_harness.hpp"

#include <gtest/gtest.h>

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

bool Has(const std::vector<Case>& cases, const std::string& code) {
  const Json result = RunAnalyzer("strategy_profile", cases);
  return FindingOf(result, code) != nullptr;
}

Strategy MakeStrategy(std::optional<bool> explicit_strategy, std::optional<bool> structured,
                      Skills skills) {
  Strategy s;
  s.explicit_strategy = explicit_strategy;
  s.structured_process = structured;
  s.skills = skills;
  return s;
}

BmiTask& WithStance(BmiTask& t, Stance stance, Perspective perspective) {
  t.stance = stance;
  t.perspective = perspective;
  return t;
}

// b1: explicit = false, structured = true, skills = medium; one model m1 and four tasks:
//   t1 {VP, CU} via customer, reactive  outside_in
//   t2 {VP}     via value,    reactive  inside_in
//   t3 {CU, NE} via network,  proactive inside_out
//   t4 {VF}     via value,    stance not stated, outside_in
// block mentions: VP 2, CU 2, NE 1, VF 1 = 6; top 3 = 2 + 2 + 1 = 5; 5 * 3 = 15 >= 6 * 2 = 12
//   -> few-blocks focus: yes
// cells: (CIL,VP) (CIL,CU) (VIL,VP) (NIL,CU) (NIL,NE) (VIL,VF) = 6; 6 * 3 = 18 < 49
//   -> untapped potential: yes
// answers: explicit no (trait), structured yes, focus yes (trait), untapped yes (trait),
//   lacks skills no -> 3 traits
// stance: reactive 2, proactive 1 -> 2 * 2 = 4 > 3 -> reactive finding
Case HandCase() {
  Case c = MakeCase("b1");
  c.strategy = MakeStrategy(false, true, Skills::kMedium);
  AddModel(c, "m1", State::kAsIs);
  WithStance(AddTask(c, "t1", "m1", {"value_proposition", "customers"}, {"customer"}),
             Stance::kReactive, Perspective::kOutsideIn);
  WithStance(AddTask(c, "t2", "m1", {"value_proposition"}, {"value"}), Stance::kReactive,
             Perspective::kInsideIn);
  WithStance(AddTask(c, "t3", "m1", {"customers", "network"}, {"network"}), Stance::kProactive,
             Perspective::kInsideOut);
  WithStance(AddTask(c, "t4", "m1", {"value_formula"}, {"value"}), Stance::kUnstated,
             Perspective::kOutsideIn);
  return c;
}

// A business with the given strategy flags, one model and no task (so that only the
// strategy findings can fire).
Case FlagCase(const std::string& id, std::optional<bool> explicit_strategy,
              std::optional<bool> structured, Skills skills) {
  Case c = MakeCase(id);
  c.strategy = MakeStrategy(explicit_strategy, structured, skills);
  AddModel(c, "m1", State::kAsIs);
  return c;
}

// A business with `reactive` reactive and `proactive` proactive tasks (outside-in).
Case StanceCase(const std::string& id, int reactive, int proactive) {
  Case c = MakeCase(id);
  AddModel(c, "m1", State::kAsIs);
  int t = 0;
  for (int i = 0; i < reactive; ++i)
    WithStance(AddTask(c, "t" + std::to_string(t++), "m1", {"customers"}, {"customer"}),
               Stance::kReactive, Perspective::kOutsideIn);
  for (int i = 0; i < proactive; ++i)
    WithStance(AddTask(c, "t" + std::to_string(t++), "m1", {"customers"}, {"customer"}),
               Stance::kProactive, Perspective::kInsideOut);
  return c;
}

// A business whose three tasks touch these blocks (one line, value).
Case BlocksCase(const std::vector<std::vector<std::string>>& tasks) {
  Case c = MakeCase("b");
  AddModel(c, "m1", State::kAsIs);
  for (std::size_t i = 0; i < tasks.size(); ++i)
    AddTask(c, "t" + std::to_string(i), "m1", tasks[i], {"value"});
  return c;
}

TEST(StrategyProfile, HandCaseMetrics) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("strategy_profile", cases);
  EXPECT_EQ(Metric(r, "businesses"), 1);
  EXPECT_EQ(Metric(r, "tasks"), 4);
  EXPECT_EQ(Metric(r, "explicit_strategy_trait"), 1);   // explicit = false
  EXPECT_EQ(Metric(r, "structured_process_trait"), 0);  // structured = true
  EXPECT_EQ(Metric(r, "few_blocks_focus_trait"), 1);
  EXPECT_EQ(Metric(r, "untapped_potential_trait"), 1);
  EXPECT_EQ(Metric(r, "lacks_skills_trait"), 0);  // medium
  EXPECT_EQ(Metric(r, "reactive_tasks"), 2);
  EXPECT_EQ(Metric(r, "proactive_tasks"), 1);
  EXPECT_DOUBLE_EQ(Metric(r, "reactive_share"), 2.0 / 3.0);
  // outside-in: t1, t4 = 2 of 4 tasks with a stated perspective
  EXPECT_DOUBLE_EQ(Metric(r, "outside_in_share"), 0.5);
}

TEST(StrategyProfile, HandCaseTables) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("strategy_profile", cases);

  // traits: indicator, question, trait, answer showing it, yes, no, not stated, share
  const Json& traits = Table(r, "traits").at("rows");
  ASSERT_EQ(traits.size(), 5u);
  EXPECT_EQ(traits[0][0], "explicit_strategy");
  EXPECT_EQ(traits[0][3], "no");
  EXPECT_EQ(Json({traits[0][4], traits[0][5], traits[0][6]}), Json::parse("[0,1,0]"));
  EXPECT_DOUBLE_EQ(traits[0][7].get<double>(), 1.0);  // 1 of 1 stated shows the trait
  EXPECT_EQ(Json({traits[1][4], traits[1][5], traits[1][6]}), Json::parse("[1,0,0]"));
  EXPECT_DOUBLE_EQ(traits[1][7].get<double>(), 0.0);
  EXPECT_EQ(traits[2][0], "few_blocks_focus");
  EXPECT_EQ(Json({traits[2][4], traits[2][5], traits[2][6]}), Json::parse("[1,0,0]"));
  EXPECT_EQ(Json({traits[3][4], traits[3][5], traits[3][6]}), Json::parse("[1,0,0]"));
  EXPECT_EQ(traits[4][0], "lacks_skills");
  EXPECT_EQ(Json({traits[4][4], traits[4][5], traits[4][6]}), Json::parse("[0,1,0]"));

  // the stance mix: rows reactive, proactive, not stated; columns outside_in, inside_out,
  // inside_in, not stated (+ total in the table)
  const Json& m = r.at("matrices").at(0);
  EXPECT_EQ(m.at("id"), "stance_mix");
  EXPECT_EQ(m.at("values"), Json::parse("[[1,0,1,0],[0,1,0,0],[1,0,0,0]]"));
  EXPECT_EQ(Table(r, "stance_mix").at("rows"),
            Json::parse(R"j([["reactive",1,0,1,0,2],["proactive",0,1,0,0,1],
                             ["not_stated",1,0,0,0,1]])j"));

  // per business: answers, top-3 share 5/6, coverage 6/49, 3 traits, reactive 2/3
  const Json& row = Table(r, "businesses").at("rows").at(0);
  EXPECT_EQ(row[0], "b1");
  EXPECT_EQ(row[1], "no");
  EXPECT_EQ(row[2], "yes");
  EXPECT_EQ(row[3], "yes");
  EXPECT_DOUBLE_EQ(row[4].get<double>(), 5.0 / 6.0);
  EXPECT_EQ(row[5], "yes");
  EXPECT_DOUBLE_EQ(row[6].get<double>(), 6.0 / 49.0);
  EXPECT_EQ(row[7], "no");
  EXPECT_EQ(row[8], 3);
  EXPECT_DOUBLE_EQ(row[9].get<double>(), 2.0 / 3.0);
}

TEST(StrategyProfile, HandCaseFindings) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("strategy_profile", cases);
  EXPECT_EQ(FindingCodes(r), (std::vector<std::string>{"strategy_profile.no_explicit_strategy",
                                                       "strategy_profile.few_blocks_focus",
                                                       "strategy_profile.reactive_outside_in"}));
  EXPECT_EQ(r.at("findings")[0].at("evidence"),
            Json::parse(R"j(["b1: strategy.explicit = false"])j"));
  // 5 of 6 = 83%
  EXPECT_EQ(
      r.at("findings")[1].at("evidence"),
      Json::parse(
          R"j(["b1: 5 of 6 block mentions (83%) are on its three most mentioned blocks (threshold: at least 2/3)"])j"));
  // 2 of 3 = 67%; reactive: t1 outside_in, t2 inside_in
  EXPECT_EQ(
      r.at("findings")[2].at("evidence"),
      Json::parse(
          R"j(["2 of 3 BMI tasks with a stated stance are reactive (67%; threshold: more than half)",
                             "reactive tasks by perspective: 1 outside_in, 0 inside_out, 1 inside_in, 0 perspective not stated"])j"));
}

TEST(StrategyProfile, ExplicitStrategyThreshold) {
  // One business: true -> no finding, not stated -> no finding, false -> finding.
  const std::string code = "strategy_profile.no_explicit_strategy";
  EXPECT_FALSE(Has({FlagCase("b", true, std::nullopt, Skills::kUnstated)}, code));
  EXPECT_FALSE(Has({FlagCase("b", std::nullopt, std::nullopt, Skills::kUnstated)}, code));
  EXPECT_TRUE(Has({FlagCase("b", false, std::nullopt, Skills::kUnstated)}, code));
  // Many: 1 of 2 stated without (1 * 2 > 2 is false) -> no; 2 of 3 -> finding.
  EXPECT_FALSE(Has({FlagCase("a", false, std::nullopt, Skills::kUnstated),
                    FlagCase("b", true, std::nullopt, Skills::kUnstated)},
                   code));
  const std::vector<Case> three = {FlagCase("a", false, std::nullopt, Skills::kUnstated),
                                   FlagCase("b", true, std::nullopt, Skills::kUnstated),
                                   FlagCase("c", false, std::nullopt, Skills::kUnstated),
                                   FlagCase("d", std::nullopt, std::nullopt, Skills::kUnstated)};
  const Json r = RunAnalyzer("strategy_profile", three);
  const Json* f = FindingOf(r, code);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(
      f->at("evidence"),
      Json::parse(
          R"j(["2 of 3 businesses that state it show the trait (without an explicit strategy, 67%; threshold: more than half)",
                             "explicit_strategy not stated: 1 business(es)"])j"));
  EXPECT_EQ(f->at("message"),
            "Most businesses have no explicit BMIL strategy: they do BMI rather blindly.");
}

TEST(StrategyProfile, StructuredProcessThreshold) {
  const std::string code = "strategy_profile.unstructured_process";
  EXPECT_FALSE(Has({FlagCase("b", std::nullopt, true, Skills::kUnstated)}, code));
  EXPECT_FALSE(Has({FlagCase("b", std::nullopt, std::nullopt, Skills::kUnstated)}, code));
  EXPECT_TRUE(Has({FlagCase("b", std::nullopt, false, Skills::kUnstated)}, code));
  EXPECT_FALSE(Has({FlagCase("a", std::nullopt, false, Skills::kUnstated),
                    FlagCase("b", std::nullopt, true, Skills::kUnstated)},
                   code));
}

TEST(StrategyProfile, LowSkillsThreshold) {
  const std::string code = "strategy_profile.low_skills";
  EXPECT_FALSE(Has({FlagCase("b", std::nullopt, std::nullopt, Skills::kUnstated)}, code));
  EXPECT_FALSE(Has({FlagCase("b", std::nullopt, std::nullopt, Skills::kMedium)}, code));
  EXPECT_FALSE(Has({FlagCase("b", std::nullopt, std::nullopt, Skills::kHigh)}, code));
  const std::vector<Case> low = {FlagCase("b", std::nullopt, std::nullopt, Skills::kLow)};
  const Json r = RunAnalyzer("strategy_profile", low);
  const Json* f = FindingOf(r, code);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence"), Json::parse(R"j(["b: strategy.skills = low"])j"));
}

TEST(StrategyProfile, FewBlocksFocusThreshold) {
  const std::string code = "strategy_profile.few_blocks_focus";
  // At the threshold: VP 2, CU 2, VC 2, CO 1, NE 1, RE 1 = 9 mentions, top 3 = 6;
  // 6 * 3 = 18 >= 9 * 2 = 18 -> yes.
  const std::vector<Case> at = {BlocksCase({{"value_proposition", "customers", "value_chain"},
                                            {"value_proposition", "customers", "value_chain"},
                                            {"competences", "network", "relations"}})};
  const Json r = RunAnalyzer("strategy_profile", at);
  const Json* f = FindingOf(r, code);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(
      f->at("evidence"),
      Json::parse(
          R"j(["b: 6 of 9 block mentions (67%) are on its three most mentioned blocks (threshold: at least 2/3)"])j"));
  // Just below: VP 2, CU 2, VC 1, CO 1, NE 1, RE 1, VF 1 = 9, top 3 = 5; 15 < 18 -> no.
  EXPECT_FALSE(Has({BlocksCase({{"value_proposition", "customers", "value_chain"},
                                {"value_proposition", "customers", "competences"},
                                {"network", "relations", "value_formula"}})},
                   code));
  // Fewer than three tasks: not stated, even when every mention is on one block.
  const std::vector<Case> two = {BlocksCase({{"customers"}, {"customers"}})};
  const Json r2 = RunAnalyzer("strategy_profile", two);
  EXPECT_EQ(FindingOf(r2, code), nullptr);
  EXPECT_EQ(Table(r2, "traits").at("rows")[2][6], 1);  // not stated
}

TEST(StrategyProfile, FewBlocksFocusTopThreeWithTiesAndFewBlocks) {
  const std::string code = "strategy_profile.few_blocks_focus";
  // VP 2, CU 1, VC 1, NE 2 = 6 mentions; top 3 = 2 + 2 + 1 = 5 (a tie for third place
  // counts once); 15 >= 12 -> yes.
  const std::vector<Case> ties = {BlocksCase({{"value_proposition", "customers"},
                                              {"value_chain", "network"},
                                              {"value_proposition", "network"}})};
  const Json r = RunAnalyzer("strategy_profile", ties);
  const Json* f = FindingOf(r, code);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence")[0],
            "b: 5 of 6 block mentions (83%) are on its three most mentioned blocks (threshold: "
            "at least 2/3)");
  // Two blocks mentioned (CU 2, VP 1): the top 3 hold all 3 mentions -> yes.
  const std::vector<Case> two_blocks = {
      BlocksCase({{"customers"}, {"customers"}, {"value_proposition"}})};
  const Json r2 = RunAnalyzer("strategy_profile", two_blocks);
  f = FindingOf(r2, code);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence")[0],
            "b: 3 of 3 block mentions (100%) are on its three most mentioned blocks (threshold: "
            "at least 2/3)");
}

TEST(StrategyProfile, ReactiveThreshold) {
  const std::string code = "strategy_profile.reactive_outside_in";
  // 1 reactive of 2 stated: 1 * 2 > 2 is false -> no finding.
  EXPECT_FALSE(Has({StanceCase("b", 1, 1)}, code));
  // 2 of 3: 4 > 3 -> finding.
  EXPECT_TRUE(Has({StanceCase("b", 2, 1)}, code));
  // Counted over tasks across businesses: 1 + 2 reactive of 2 + 3 = 5 stated -> 6 > 5.
  const std::vector<Case> two = {StanceCase("a", 1, 1), StanceCase("b", 2, 1)};
  const Json r = RunAnalyzer("strategy_profile", two);
  const Json* f = FindingOf(r, code);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("evidence")[0],
            "3 of 5 BMI tasks with a stated stance are reactive (60%; threshold: more than half)");
  // No stated stance at all: no finding.
  EXPECT_FALSE(Has({BlocksCase({{"customers"}})}, code));
}

TEST(StrategyProfile, UntappedPotentialThreshold) {
  // 16 cells used: 48 < 49 -> yes; 17: 51 >= 49 -> no. Counted in the traits table.
  auto cells_case = [](int cells) {
    Case c = MakeCase("b");
    AddModel(c, "m1", State::kAsIs);
    const std::vector<std::string> lines = {"value",   "customer", "value_chain", "competence",
                                            "network", "relation", "process"};
    const std::vector<std::string> blocks = {"value_proposition", "customers", "value_chain",
                                             "competences",       "network",   "relations",
                                             "value_formula"};
    for (int i = 0; i < cells; ++i)
      AddTask(c, "t" + std::to_string(i), "m1", {blocks[i % 7]}, {lines[i / 7]});
    return c;
  };
  const std::vector<Case> sixteen = {cells_case(16)}, seventeen = {cells_case(17)};
  const Json r16 = RunAnalyzer("strategy_profile", sixteen);
  const Json r17 = RunAnalyzer("strategy_profile", seventeen);
  EXPECT_EQ(Table(r16, "traits").at("rows")[3][4], 1);  // yes
  EXPECT_EQ(Table(r17, "traits").at("rows")[3][5], 1);  // no
}

TEST(StrategyProfile, SplitRunsEqualOneRun) {
  const std::vector<Case> cases = {HandCase(), FlagCase("a", false, true, Skills::kLow),
                                   StanceCase("s", 2, 1),
                                   FlagCase("c", std::nullopt, false, Skills::kHigh)};
  const Json whole = RunAnalyzer("strategy_profile", cases);
  ExpectEverySplitEquals("strategy_profile", cases, whole);
}

TEST(StrategyProfile, ListingIsCappedButCountsAreNot) {
  // 205 businesses without an explicit strategy: 200 rows listed (case order, merged or not),
  // all 205 counted.
  std::vector<Case> cases;
  for (int i = 0; i < 205; ++i)
    cases.push_back(FlagCase("b" + std::to_string(i), false, std::nullopt, Skills::kUnstated));
  const Json whole = RunAnalyzer("strategy_profile", cases);
  EXPECT_EQ(Metric(whole, "businesses"), 205);
  EXPECT_EQ(Metric(whole, "explicit_strategy_trait"), 205);
  EXPECT_EQ(Table(whole, "businesses").at("rows").size(), 200u);
  EXPECT_EQ(Table(whole, "businesses").at("rows")[199][0], "b199");
  EXPECT_EQ(RunAnalyzerSplit("strategy_profile", cases, 120), whole);
}

TEST(StrategyProfile, LoadRefusesAForeignState) {
  PluginInstance instance = NewInstance("strategy_profile");
  auto error = instance.Load(R"j({"format":"swot_risk/1"})j");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status, BMIL_ERROR_INVALID_STATE);
}

// ------------------------------------------------------------------ listing caps (bmil
// --max-rows, --all) and the businesses of the findings

// b0..b<n-1> without an explicit strategy.
std::vector<Case> NoStrategy(int n) {
  std::vector<Case> cases;
  for (int i = 0; i < n; ++i)
    cases.push_back(FlagCase("b" + std::to_string(i), false, std::nullopt, Skills::kUnstated));
  return cases;
}

TEST(StrategyProfile, MaxRowsCapsTheListingButNotTheCounts) {
  const std::vector<Case> cases = NoStrategy(3);
  const std::string config = ListingConfig({{"max_rows", 2}});
  const Json r = RunAnalyzer("strategy_profile", cases, config);
  EXPECT_EQ(Metric(r, "businesses"), 3);
  EXPECT_EQ(Metric(r, "explicit_strategy_trait"), 3);
  const Json& table = Table(r, "businesses");
  ASSERT_EQ(table.at("rows").size(), 2u);
  EXPECT_EQ(table.at("title"), "Traits per business (first 2)");
  EXPECT_EQ(table.at("rows")[1][0], "b1");
  ExpectEverySplitEquals("strategy_profile", cases, r, config);
}

TEST(StrategyProfile, AllLiftsTheCap) {
  const std::vector<Case> cases = NoStrategy(250);
  const std::string config = ListingConfig({{"all", true}});
  const Json r = RunAnalyzer("strategy_profile", cases, config);
  const Json& table = Table(r, "businesses");
  ASSERT_EQ(table.at("rows").size(), 250u);
  EXPECT_EQ(table.at("title"), "Traits per business (all)");
  EXPECT_EQ(table.at("rows")[249][0], "b249");
  for (std::size_t k : {std::size_t{0}, std::size_t{120}})
    EXPECT_EQ(RunAnalyzerSplit("strategy_profile", cases, k, config), r) << "split " << k;
  EXPECT_EQ(Table(RunAnalyzer("strategy_profile", cases), "businesses").at("title"),
            "Traits per business (first 200)");
}

TEST(StrategyProfile, FindingsOnOneBusinessCarryIt) {
  // One business (the hand case): the trait findings give its own answers and carry it; the
  // stance finding counts tasks and carries none.
  const std::vector<Case> one = {HandCase()};
  const Json r = RunAnalyzer("strategy_profile", one);
  ASSERT_NE(FindingOf(r, "strategy_profile.no_explicit_strategy"), nullptr);
  EXPECT_EQ(BusinessesOf(*FindingOf(r, "strategy_profile.no_explicit_strategy")),
            std::vector<std::string>{"b1"});
  ASSERT_NE(FindingOf(r, "strategy_profile.few_blocks_focus"), nullptr);
  EXPECT_EQ(BusinessesOf(*FindingOf(r, "strategy_profile.few_blocks_focus")),
            std::vector<std::string>{"b1"});
  ASSERT_NE(FindingOf(r, "strategy_profile.reactive_outside_in"), nullptr);
  EXPECT_EQ(BusinessesOf(*FindingOf(r, "strategy_profile.reactive_outside_in")),
            std::vector<std::string>{});
  // Several businesses: the findings count them and carry none.
  const Json many = RunAnalyzer("strategy_profile", NoStrategy(2));
  ASSERT_NE(FindingOf(many, "strategy_profile.no_explicit_strategy"), nullptr);
  EXPECT_EQ(BusinessesOf(*FindingOf(many, "strategy_profile.no_explicit_strategy")),
            std::vector<std::string>{});
}

}  // namespace
}  // namespace bmil::test
