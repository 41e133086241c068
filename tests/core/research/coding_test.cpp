// Coders' cases to agreement (core/src/research/coding.hpp, agree_report.hpp,
// reconcile.hpp): matching by id and by content, the units and values of each variable
// worked out by hand, disagreements each listed once, the degenerate cases explained, and
// consensus cases that keep every agreed value and are valid cases.
#include "research/coding.hpp"
#include "research/agree_report.hpp"
#include "research/reconcile.hpp"

#include <bmil/case_io.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace bmil::research {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Two lines (value, customer) and the seven built-in blocks: 14 cells per model.
Registry TwoLines() {
  Registry registry;
  registry.AddLine({"value", "Value", "VIL", ""});
  registry.AddLine({"customer", "Customer", "CIL", ""});
  return registry;
}

BusinessModel Model(const std::string& id, const std::string& name, State state, Stage stage) {
  BusinessModel m;
  m.id = id;
  m.name = name;
  m.state = state;
  m.stage = stage;
  return m;
}

BmiTask Task(const std::string& id, const std::string& model, const std::string& description,
             std::vector<std::string> blocks, std::vector<std::string> lines, Action action,
             Phase phase) {
  BmiTask t;
  t.id = id;
  t.business_model = model;
  t.description = description;
  t.building_blocks = std::move(blocks);
  t.leadership_lines = std::move(lines);
  t.action = action;
  t.phase = phase;
  t.stance = Stance::kProactive;
  return t;
}

// Coder A's case of "acme": two models, three tasks.
Case CoderA() {
  Case c;
  c.business.id = "acme";
  c.business.name = "Acme";
  c.business_models = {Model("shop", "Web shop", State::kAsIs, Stage::kMarket),
                       Model("rent", "Rental of machines", State::kToBe, Stage::kConcept)};
  c.bmi_tasks = {
      Task("t1", "shop", "Open the shop to business customers in Norway", {"customers"},
           {"customer"}, Action::kCreate, Phase::kDuring),
      Task("t2", "shop", "Cut the delivery cost with a new carrier", {"value_chain"}, {"value"},
           Action::kDiminish, Phase::kAfter),
      Task("t3", "rent", "Test the rental price with three contractors", {"value_formula"},
           {"value"}, Action::kCreate, Phase::kBefore),
  };
  c.source = Source{"Interview 2026", "", "coded by A"};
  return c;
}

// Coder B: the same business with planted differences: the rental model named "rental"
// (same name: matched by content), t2 numbered "x2" (matched by content), t1's action
// upgrade, t3's phase not stated, the shop's stage prototype, and a task t4 of B only on
// (value, customers), a cell no task of A covers.
Case CoderB() {
  Case c = CoderA();
  c.business_models[1].id = "rental";
  c.business_models[0].stage = Stage::kPrototype;
  c.bmi_tasks[0].action = Action::kUpgrade;
  c.bmi_tasks[1].id = "x2";
  c.bmi_tasks[2].business_model = "rental";
  c.bmi_tasks[2].phase = Phase::kUnstated;
  c.bmi_tasks.push_back(Task("t4", "shop", "Ask ten customers what the shop lacks", {"customers"},
                             {"value"}, Action::kKeep, Phase::kDuring));
  c.source = Source{"Interview 2026", "", "coded by B"};
  return c;
}

const VariableData& Variable(const std::vector<VariableData>& all, const std::string& id) {
  return *std::find_if(all.begin(), all.end(),
                       [&](const VariableData& v) { return v.variable.id == id; });
}

const CodedUnit& Unit(const VariableData& v, const std::string& unit) {
  const auto it = std::find_if(v.units.begin(), v.units.end(),
                               [&](const CodedUnit& u) { return u.unit == unit; });
  EXPECT_NE(it, v.units.end()) << unit;
  return *it;
}

TEST(MatchCases, IdsFirstThenContentWithinTheSameModel) {
  const std::vector<Coder> coders = {{"a", "a/", {CoderA()}}, {"b", "b/", {CoderB()}}};
  const Matching m = MatchCases(coders);
  ASSERT_EQ(m.businesses.size(), 1u);
  const MatchedBusiness& b = m.businesses[0];
  ASSERT_EQ(b.models.size(), 2u);
  EXPECT_EQ(b.models[1].id, "rent");
  EXPECT_EQ(b.models[1].members[1]->id, "rental");
  ASSERT_EQ(b.tasks.size(), 4u);  // t1, t2 = x2, t3, t4 (B only)
  EXPECT_EQ(b.tasks[1].id, "t2");
  EXPECT_EQ(b.tasks[1].members[1]->id, "x2");
  EXPECT_EQ(b.tasks[3].id, "t4");
  EXPECT_EQ(b.tasks[3].coded_by(), 1u);
  ASSERT_EQ(m.notes.size(), 2u);
  EXPECT_EQ(m.notes[0].how, "same name (\"Rental of machines\")");
  EXPECT_EQ(m.notes[1].coder_id, "x2");
  EXPECT_THAT(m.notes[1].how, HasSubstr("score 100/100"));
}

TEST(MatchCases, ContentNeverPairsTasksOfDifferentModels) {
  Case a = CoderA(), b = CoderA();
  b.bmi_tasks[2].id = "other";             // same content as t3 ...
  b.bmi_tasks[2].business_model = "shop";  // ... but on the shop, where A has no such task
  const std::vector<Coder> coders = {{"a", "", {a}}, {"b", "", {b}}};
  const Matching m = MatchCases(coders);
  EXPECT_EQ(m.businesses[0].tasks.size(), 4u);  // t3 (A only), other (B only)
  EXPECT_TRUE(m.notes.empty());
}

TEST(BuildVariables, ValuesOfEachUnitAsCoded) {
  const std::vector<Coder> coders = {{"a", "", {CoderA()}}, {"b", "", {CoderB()}}};
  const std::vector<VariableData> v = BuildVariables(MatchCases(coders), TwoLines());
  EXPECT_EQ(Variable(v, "model.state").units.size(), 2u);
  EXPECT_EQ(Variable(v, "cell.bmi").units.size(), 28u);  // 2 models x 2 lines x 7 blocks
  EXPECT_EQ(Variable(v, "task.action").units.size(), 4u);
  // Stage: market (4) and prototype (3).
  EXPECT_THAT(Unit(Variable(v, "model.stage"), "model shop").values,
              ElementsAre(std::optional<double>(4), std::optional<double>(3)));
  // (value, customers) of the shop: only B's t4 -> A "no" (2), B "yes" (1).
  EXPECT_THAT(Unit(Variable(v, "cell.bmi"), "cell shop value x customers").values,
              ElementsAre(std::optional<double>(2), std::optional<double>(1)));
  // (customer, customers): t1 in both.
  EXPECT_THAT(Unit(Variable(v, "cell.bmi"), "cell shop customer x customers").values,
              ElementsAre(std::optional<double>(1), std::optional<double>(1)));
  // t3's phase: before (1) against not stated (missing, yet coded).
  const CodedUnit& phase = Unit(Variable(v, "task.phase"), "task t3");
  EXPECT_THAT(phase.values, ElementsAre(std::optional<double>(1), std::nullopt));
  EXPECT_THAT(phase.coded, ElementsAre(true, true));
  // t4: B only.
  const CodedUnit& t4 = Unit(Variable(v, "task.action"), "task t4");
  EXPECT_THAT(t4.coded, ElementsAre(false, true));
}

TEST(Agree, EachPlantedDisagreementIsListedOnce) {
  const std::vector<Coder> coders = {{"a", "", {CoderA()}}, {"b", "", {CoderB()}}};
  AgreementOptions options;
  options.bootstrap_replicates = 0;
  const AgreeResult r = Agree(coders, TwoLines(), options);
  std::vector<std::string> found;
  for (const Disagreement& d : r.disagreements) {
    found.push_back(d.unit + " " + d.variable + " " + d.values[0] + "/" + d.values[1]);
  }
  EXPECT_THAT(
      found,
      ElementsAre("task t4 coded not coded/coded (t4)", "model shop model.stage market/prototype",
                  "cell shop value x customers cell.bmi no/yes",
                  "task t1 task.action create/upgrade", "task t3 task.phase before/not stated"));
  EXPECT_EQ(r.models.by_id, 1u);
  EXPECT_EQ(r.models.by_content, 1u);
  EXPECT_EQ(r.tasks.by_id, 2u);
  EXPECT_EQ(r.tasks.by_content, 1u);
  EXPECT_EQ(r.tasks.single, 1u);
  // model.state: both coders agree on both models (as_is, to_be): alpha = 1 exactly.
  EXPECT_EQ(r.variables[0].report.alpha.value, 1.0);
  // task.action: units t1 (create, upgrade), t2 (diminish x2), t3 (create x2); t4 excluded.
  // o: create-create 2, diminish-diminish 2, create-upgrade 1 + upgrade-create 1; n = 6,
  // n_create = 3, n_diminish = 2, n_upgrade = 1. Do = 2/6; De = (36 - 9 - 4 - 1) / 30 = 22/30.
  // alpha = 1 - (1/3) / (22/30) = 1 - 10/22 = 6/11.
  const AgreementReport& action = r.variables[3].report;
  EXPECT_EQ(action.units_used, 3u);
  EXPECT_EQ(action.units_single_coder, 1u);
  ASSERT_TRUE(action.alpha.value);
  EXPECT_NEAR(*action.alpha.value, 6.0 / 11.0, 1e-12);
  EXPECT_EQ(action.verdict, Verdict::kUnreliable);
  // The pooled figure counts every variable's pairable values: model.state 4, model.stage 4,
  // cell.bmi 56, task.action 6, task.phase 4 (t3 not stated), task.stance 6,
  // task.perspective 0 (nobody stated one).
  EXPECT_EQ(r.overall.report.pairable_values, 80u);
}

TEST(Agree, DegenerateCasesAreExplainedNeverNaN) {
  AgreementOptions options;
  options.bootstrap_replicates = 50;
  // One coder.
  const std::vector<Coder> one = {{"a", "", {CoderA()}}};
  const AgreeResult alone = Agree(one, TwoLines(), options);
  for (const VariableAgreement& v : alone.variables) {
    EXPECT_FALSE(v.report.alpha.value) << v.variable.id;
    EXPECT_FALSE(v.report.alpha.why.empty()) << v.variable.id;
  }
  EXPECT_TRUE(alone.disagreements.empty());
  // Identical coders: alpha is 1 wherever the values vary, undefined (with a reason) where
  // they do not (task.stance: every task proactive).
  const std::vector<Coder> twins = {{"a", "", {CoderA()}}, {"b", "", {CoderA()}}};
  const AgreeResult same = Agree(twins, TwoLines(), options);
  EXPECT_EQ(same.variables[0].report.alpha.value, 1.0);  // state
  EXPECT_EQ(same.variables[2].report.alpha.value, 1.0);  // cells
  EXPECT_FALSE(same.variables[5].report.alpha.value);    // stance: no variation
  EXPECT_THAT(same.variables[5].report.alpha.why, HasSubstr("variation"));
  EXPECT_TRUE(same.disagreements.empty());
  EXPECT_EQ(same.overall.report.alpha.value, 1.0);
}

TEST(Agree, CodersInAnotherOrderGiveTheSameStatistics) {
  const std::vector<Coder> ab = {{"a", "", {CoderA()}}, {"b", "", {CoderB()}}};
  const std::vector<Coder> ba = {{"b", "", {CoderB()}}, {"a", "", {CoderA()}}};
  AgreementOptions options;
  options.bootstrap_replicates = 200;
  const AgreeResult x = Agree(ab, TwoLines(), options), y = Agree(ba, TwoLines(), options);
  ASSERT_EQ(x.variables.size(), y.variables.size());
  for (std::size_t i = 0; i < x.variables.size(); ++i) {
    EXPECT_EQ(x.variables[i].report.alpha.value, y.variables[i].report.alpha.value) << i;
    EXPECT_EQ(x.variables[i].report.bootstrap.lower, y.variables[i].report.bootstrap.lower) << i;
  }
  EXPECT_EQ(x.disagreements.size(), y.disagreements.size());
}

TEST(Agree, ABusinessOneCoderLacksIsNamed) {
  Case other = CoderA();
  other.business.id = "zeta";
  const std::vector<Coder> coders = {{"a", "", {CoderA(), other}}, {"b", "", {CoderA()}}};
  const AgreeResult r = Agree(coders, TwoLines(), {});
  EXPECT_THAT(r.partial_businesses, ElementsAre("zeta (coded by a only)"));
  // Its units have one coder: excluded and counted, not disagreements.
  EXPECT_EQ(r.variables[0].report.units_single_coder, 2u);
  EXPECT_TRUE(r.disagreements.empty());
}

TEST(Reconcile, KeepsEveryAgreedValueAndListsTheRest) {
  const std::vector<Coder> coders = {{"a", "a/", {CoderA()}}, {"b", "b/", {CoderB()}}};
  const Registry registry = TwoLines();
  const std::vector<ConsensusCase> out = Reconcile(coders, MatchCases(coders));
  ASSERT_EQ(out.size(), 1u);
  const Case& c = out[0].value;
  // A valid case.
  const LoadResult check = LoadCaseText(WriteCaseText(c), "consensus.json", registry);
  ASSERT_TRUE(check.ok()) << (check.diagnostics.empty() ? "" : check.diagnostics[0].ToString());
  ASSERT_EQ(c.business_models.size(), 2u);
  EXPECT_EQ(c.business_models[0].state, State::kAsIs);      // agreed
  EXPECT_EQ(c.business_models[0].stage, Stage::kUnstated);  // market / prototype
  EXPECT_EQ(c.business_models[1].id, "rent");               // the first coder's id
  EXPECT_EQ(c.business_models[1].stage, Stage::kConcept);   // agreed
  ASSERT_EQ(c.bmi_tasks.size(), 4u);
  EXPECT_EQ(c.bmi_tasks[0].action, Action::kUnstated);  // create / upgrade
  EXPECT_EQ(c.bmi_tasks[0].phase, Phase::kDuring);      // agreed
  EXPECT_EQ(c.bmi_tasks[1].id, "t2");
  EXPECT_EQ(c.bmi_tasks[1].action, Action::kDiminish);  // agreed through x2
  EXPECT_EQ(c.bmi_tasks[2].business_model, "rent");     // B's "rental" is A's "rent"
  EXPECT_EQ(c.bmi_tasks[2].phase, Phase::kUnstated);    // before / not stated
  EXPECT_EQ(c.bmi_tasks[3].id, "t4");                   // B only: kept, to settle
  // To settle: shop stage, t1 action, t3 phase, t4 coded by b only.
  std::vector<std::string> pointers;
  for (const ToSettle& s : out[0].to_settle) pointers.push_back(s.pointer);
  EXPECT_THAT(pointers, ElementsAre("/business_models/0/stage", "/bmi_tasks/0/action",
                                    "/bmi_tasks/2/phase", "/bmi_tasks/3"));
  // Agreed and kept: states 2, rent's stage 1; blocks and lines of t1-t3 (6); t1 phase,
  // t2 action and phase, t3 action (4); stances of t1-t3 (3). t4 has one coder: its values
  // are not "agreed" (counted as nothing).
  EXPECT_EQ(out[0].agreed, 16u);
  ASSERT_TRUE(c.source);
  EXPECT_THAT(c.source->notes, HasSubstr("a (a/), b (b/)"));
  EXPECT_THAT(c.source->notes,
              HasSubstr("/bmi_tasks/0/action (task t1: action): a create; b upgrade"));
  EXPECT_EQ(c.business.attributes.at("bmil_consensus").at("to_settle").size(), 4u);
}

}  // namespace
}  // namespace bmil::research
