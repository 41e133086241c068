// Tests of the block_focus analyzer: hand-built cases with every expected number worked out
// in the comments, both sides of every finding's threshold, and the constructed dataset of
// tests/data/paper_figures/ that must give the six figures of Lindgren (2012), sec. 3.1.2.
#include "plugins/analyzer_harness.hpp"

#include <bmil/case_io.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
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

// The row of `table` whose first cell is `key`.
const Json* RowOf(const Json& table, const std::string& key) {
  for (const auto& row : table.at("rows"))
    if (row.at(0) == key) return &row;
  return nullptr;
}

// The column index of `id` in `table`.
std::size_t ColumnOf(const Json& table, const std::string& id) {
  const auto& columns = table.at("columns");
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].at("id") == id) return i;
  ADD_FAILURE() << "no column " << id;
  return 0;
}

// b1: one AS IS model m1, one TO BE model m2, five tasks.
//   t1 m1 {value_proposition, customers}
//   t2 m1 {value_proposition, value_chain}
//   t3 m1 {network}
//   t4 m2 {customers, network}
//   t5 m2 {relations}
// Mentions (task x block):
//   AS IS: VP 2, CU 1, VC 1, NE 1                       = 5
//   TO BE: CU 1, NE 1, RE 1                             = 3
//   all:   VP 2, CU 2, VC 1, NE 2, RE 1, CO 0, VF 0     = 8
Case HandCase() {
  Case c = MakeCase("b1");
  AddModel(c, "m1", State::kAsIs);
  AddModel(c, "m2", State::kToBe);
  AddTask(c, "t1", "m1", {"value_proposition", "customers"}, {"value"});
  AddTask(c, "t2", "m1", {"value_proposition", "value_chain"}, {"value"});
  AddTask(c, "t3", "m1", {"network"}, {"network"});
  AddTask(c, "t4", "m2", {"customers", "network"}, {"customer"});
  AddTask(c, "t5", "m2", {"relations"}, {"relation"});
  return c;
}

// A business whose tasks each touch one block: `as_is[block]` tasks on an AS IS model and
// `to_be[block]` tasks on a TO BE model (a model only when it gets tasks).
Case OneBlockTasks(const std::string& id, const std::map<std::string, int>& as_is,
                   const std::map<std::string, int>& to_be) {
  Case c = MakeCase(id);
  int t = 0;
  auto add = [&](const std::string& model, State state, const std::map<std::string, int>& blocks) {
    if (blocks.empty()) return;
    AddModel(c, model, state);
    for (const auto& [block, n] : blocks)
      for (int i = 0; i < n; ++i) AddTask(c, "t" + std::to_string(++t), model, {block}, {"value"});
  };
  add("now", State::kAsIs, as_is);
  add("next", State::kToBe, to_be);
  if (c.business_models.empty()) AddModel(c, "now", State::kAsIs);
  return c;
}

TEST(BlockFocus, CountsMentionsPerBlockAndState) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("block_focus", cases);
  EXPECT_EQ(Metric(r, "businesses"), 1);
  EXPECT_EQ(Metric(r, "tasks"), 5);
  EXPECT_EQ(Metric(r, "tasks_as_is"), 3);
  EXPECT_EQ(Metric(r, "tasks_to_be"), 2);
  EXPECT_EQ(Metric(r, "mentions"), 8);
  EXPECT_EQ(Metric(r, "mentions_as_is"), 5);
  EXPECT_EQ(Metric(r, "mentions_to_be"), 3);
  EXPECT_DOUBLE_EQ(Metric(r, "blocks_per_task"), 8.0 / 5.0);
  // Pair = VP + CU; trio = + VC.
  EXPECT_DOUBLE_EQ(Metric(r, "pair_share"), 4.0 / 8.0);        // 2 + 2 of 8
  EXPECT_DOUBLE_EQ(Metric(r, "trio_share"), 5.0 / 8.0);        // 2 + 2 + 1 of 8
  EXPECT_DOUBLE_EQ(Metric(r, "pair_share_as_is"), 3.0 / 5.0);  // 2 + 1 of 5
  EXPECT_DOUBLE_EQ(Metric(r, "trio_share_as_is"), 4.0 / 5.0);  // 2 + 1 + 1 of 5
  EXPECT_DOUBLE_EQ(Metric(r, "pair_share_to_be"), 1.0 / 3.0);  // 0 + 1 of 3
  EXPECT_DOUBLE_EQ(Metric(r, "trio_share_to_be"), 1.0 / 3.0);  // 0 + 1 + 0 of 3
  // Network + relations: AS IS 1 of 5, TO BE 2 of 3.
  EXPECT_DOUBLE_EQ(Metric(r, "network_relations_share_as_is"), 1.0 / 5.0);
  EXPECT_DOUBLE_EQ(Metric(r, "network_relations_share_to_be"), 2.0 / 3.0);
}

// Issue 17: a retired model (stage retired, state as_is as it was coded) is history, not AS
// IS innovation: its tasks count among all the BMI, never among the AS IS counts or shares.
TEST(BlockFocus, RetiredModelsAreNotAsIsInnovation) {
  Case c = HandCase();
  AddModel(c, "old", State::kAsIs, Stage::kRetired);
  AddTask(c, "r1", "old", {"value_proposition", "customers"}, {"value"});
  AddTask(c, "r2", "old", {"value_proposition"}, {"value"});
  const std::vector<Case> cases = {c};
  const Json r = RunAnalyzer("block_focus", cases);
  EXPECT_EQ(Metric(r, "tasks"), 7);        // 5 + 2
  EXPECT_EQ(Metric(r, "mentions"), 11);    // 8 + 3
  EXPECT_EQ(Metric(r, "tasks_as_is"), 3);  // as in HandCase: the retired model's are not
  EXPECT_EQ(Metric(r, "mentions_as_is"), 5);
  EXPECT_DOUBLE_EQ(Metric(r, "pair_share_as_is"), 3.0 / 5.0);
  EXPECT_DOUBLE_EQ(Metric(r, "pair_share"), 7.0 / 11.0);  // 4 + 3 of 11
  const std::vector<std::size_t> split = {0, 1};
  for (std::size_t k : split) EXPECT_EQ(RunAnalyzerSplit("block_focus", cases, k), r) << k;
}

TEST(BlockFocus, RanksBlocksAndTopSharesDifferFromTheTrio) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("block_focus", cases);
  // Ranked: VP 2, CU 2, NE 2 (ties in registration order), VC 1, RE 1, CO 0, VF 0.
  const Json& blocks = Table(r, "blocks");
  const std::vector<std::string> order = {"value_proposition", "customers", "network",
                                          "value_chain",       "relations", "competences",
                                          "value_formula"};
  ASSERT_EQ(blocks.at("rows").size(), order.size());
  const std::vector<int> counts = {2, 2, 2, 1, 1, 0, 0};
  const std::vector<int> cumulative = {2, 4, 6, 7, 8, 8, 8};
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Json& row = blocks.at("rows").at(i);
    EXPECT_EQ(row.at(0), static_cast<int>(i + 1));
    EXPECT_EQ(row.at(1), order[i]);
    EXPECT_EQ(row.at(3), counts[i]);
    EXPECT_DOUBLE_EQ(row.at(4).get<double>(), counts[i] / 8.0);
    EXPECT_DOUBLE_EQ(row.at(5).get<double>(), cumulative[i] / 8.0);
  }
  EXPECT_EQ(blocks.at("chart").at("type"), "bar");
  // Top 2 = VP + CU = 4/8; top 3 = VP + CU + NE = 6/8, while the trio is 5/8.
  EXPECT_DOUBLE_EQ(Metric(r, "top2_share"), 4.0 / 8.0);
  EXPECT_DOUBLE_EQ(Metric(r, "top3_share"), 6.0 / 8.0);
  const Json& conc = Table(r, "concentration");
  const Json* all = RowOf(conc, "All business models");
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(all->at(ColumnOf(conc, "top3_blocks")), "value_proposition, customers, network");
  EXPECT_DOUBLE_EQ(all->at(ColumnOf(conc, "trio_share")).get<double>(), 5.0 / 8.0);
  EXPECT_DOUBLE_EQ(all->at(ColumnOf(conc, "top3_share")).get<double>(), 6.0 / 8.0);
  // TO BE: CU 1, NE 1, RE 1 -> top 3 = 3/3, trio = 1/3.
  const Json* to_be = RowOf(conc, "TO BE");
  ASSERT_NE(to_be, nullptr);
  EXPECT_EQ(to_be->at(ColumnOf(conc, "top3_blocks")), "customers, network, relations");
  EXPECT_DOUBLE_EQ(to_be->at(ColumnOf(conc, "top3_share")).get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(to_be->at(ColumnOf(conc, "trio_share")).get<double>(), 1.0 / 3.0);
}

TEST(BlockFocus, Concentration) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("block_focus", cases);
  // Shares 2/8, 2/8, 2/8, 1/8, 1/8, 0, 0.
  // HHI = 3 * (1/4)^2 + 2 * (1/8)^2 = 3/16 + 2/64 = 14/64.
  EXPECT_DOUBLE_EQ(Metric(r, "hhi"), 14.0 / 64.0);
  // H = 3 * (1/4) ln 4 + 2 * (1/8) ln 8 = (3/4)(2 ln 2) + (1/4)(3 ln 2) = 2.25 ln 2;
  // normalized over the k = 7 registered blocks: 2.25 ln 2 / ln 7 = 0.8015.
  EXPECT_NEAR(Metric(r, "entropy_normalized"), 2.25 * std::log(2.0) / std::log(7.0), 1e-12);
  EXPECT_NEAR(Metric(r, "entropy_normalized"), 0.8015, 1e-4);

  // One block only: HHI 1, entropy 0.
  const std::vector<Case> single = {OneBlockTasks("b2", {{"customers", 3}}, {})};
  const Json s = RunAnalyzer("block_focus", single);
  EXPECT_DOUBLE_EQ(Metric(s, "hhi"), 1.0);
  EXPECT_DOUBLE_EQ(Metric(s, "entropy_normalized"), 0.0);
  // Even spread over all seven blocks: HHI 7 * (1/7)^2 = 1/7, entropy 1.
  std::map<std::string, int> each;
  for (const auto& b : {"value_proposition", "customers", "value_chain", "competences", "network",
                        "relations", "value_formula"})
    each[b] = 1;
  const std::vector<Case> even = {OneBlockTasks("b3", each, {})};
  const Json e = RunAnalyzer("block_focus", even);
  EXPECT_NEAR(Metric(e, "hhi"), 1.0 / 7.0, 1e-12);
  EXPECT_NEAR(Metric(e, "entropy_normalized"), 1.0, 1e-12);
}

TEST(BlockFocus, AsIsVersusToBeTable) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("block_focus", cases);
  const Json& t = Table(r, "blocks_by_state");
  EXPECT_EQ(t.at("rows").size(), 7u);  // every registered block, in registration order
  EXPECT_EQ(t.at("rows").at(0).at(0), "value_proposition");
  EXPECT_EQ(t.at("chart").at("type"), "bar");
  EXPECT_EQ(t.at("chart").at("y"), Json({"as_is_share", "to_be_share"}));
  // Network: AS IS 1 of 5, TO BE 1 of 3, difference 1/3 - 1/5 = 2/15.
  const Json* network = RowOf(t, "network");
  ASSERT_NE(network, nullptr);
  EXPECT_EQ(network->at(ColumnOf(t, "as_is_mentions")), 1);
  EXPECT_DOUBLE_EQ(network->at(ColumnOf(t, "as_is_share")).get<double>(), 1.0 / 5.0);
  EXPECT_EQ(network->at(ColumnOf(t, "to_be_mentions")), 1);
  EXPECT_DOUBLE_EQ(network->at(ColumnOf(t, "to_be_share")).get<double>(), 1.0 / 3.0);
  EXPECT_NEAR(network->at(ColumnOf(t, "difference")).get<double>(), 2.0 / 15.0, 1e-12);
  // The state x block matrix: AS IS row VP 2 CU 1 VC 1 CO 0 NE 1 RE 0 VF 0.
  const Json& m = r.at("matrices").at(0);
  EXPECT_EQ(m.at("id"), "mentions_by_state");
  EXPECT_EQ(m.at("values").at(0), Json({2, 1, 1, 0, 1, 0, 0}));
  EXPECT_EQ(m.at("values").at(1), Json({0, 1, 0, 0, 1, 1, 0}));
}

TEST(BlockFocus, NoTasksGivesNullShares) {
  const std::vector<Case> cases = {OneBlockTasks("b0", {}, {})};
  const Json r = RunAnalyzer("block_focus", cases);
  EXPECT_EQ(Metric(r, "mentions"), 0);
  for (const char* id : {"pair_share", "trio_share", "hhi", "entropy_normalized", "blocks_per_task",
                         "pair_share_to_be"}) {
    const Json* m = nullptr;
    for (const auto& x : r.at("metrics"))
      if (x.at("id") == id) m = &x;
    ASSERT_NE(m, nullptr) << id;
    EXPECT_TRUE(m->at("value").is_null()) << id;
  }
  EXPECT_TRUE(r.at("findings").empty());
  EXPECT_EQ(r.at("summary"), "No BMI tasks, so no building-block focus to show.");
}

// block_focus.classic_focus: trio share > 1/2.
TEST(BlockFocus, ClassicFocusThreshold) {
  // At the threshold: 10 of 20 mentions on the trio -> exactly 1/2, not "most": no finding.
  const std::vector<Case> at = {
      OneBlockTasks("b1", {{"value_proposition", 4}, {"customers", 3}, {"value_chain", 3}},
                    {{"network", 6}, {"competences", 4}})};
  const Json r_at = RunAnalyzer("block_focus", at);
  EXPECT_DOUBLE_EQ(Metric(r_at, "trio_share"), 0.5);
  EXPECT_EQ(FindingOf(r_at, "block_focus.classic_focus"), nullptr);
  // Below: 10 of 21 = 0.476: no finding.
  const std::vector<Case> below = {
      OneBlockTasks("b1", {{"value_proposition", 4}, {"customers", 3}, {"value_chain", 3}},
                    {{"network", 7}, {"competences", 4}})};
  EXPECT_EQ(FindingOf(RunAnalyzer("block_focus", below), "block_focus.classic_focus"), nullptr);
  // Just above: 11 of 21 = 0.524: finding, with the numbers.
  const std::vector<Case> above = {
      OneBlockTasks("b1", {{"value_proposition", 5}, {"customers", 3}, {"value_chain", 3}},
                    {{"network", 6}, {"competences", 4}})};
  const Json r = RunAnalyzer("block_focus", above);
  EXPECT_DOUBLE_EQ(Metric(r, "trio_share"), 11.0 / 21.0);
  const Json* f = FindingOf(r, "block_focus.classic_focus");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("severity"), "notice");
  EXPECT_EQ(f->at("source"), "Lindgren 2012, Fig. 3 and sec. 3.1.2");
  // Evidence: 11 of 21 (52%); pair VP + CU = 8 of 21 (38%); AS IS 8/11 = 73% / 11/11 = 100%;
  // TO BE 0% / 0%.
  EXPECT_EQ(f->at("evidence").at(0),
            "11 of 21 block mentions (52%) are on value proposition, customers or value chain "
            "(threshold: more than 50%)");
  EXPECT_EQ(f->at("evidence").at(1), "value proposition + customers alone: 8 (38%)");
  EXPECT_EQ(f->at("evidence").at(2),
            "AS IS models: 73% / 100%; TO BE models: 0% / 0% (pair / with value chain)");
}

// block_focus.to_be_network_relations: TO BE share of network + relations minus the AS IS
// one >= 0.05, with >= 20 mentions in each state.
TEST(BlockFocus, ToBeNetworkRelationsThreshold) {
  const std::string code = "block_focus.to_be_network_relations";
  // At the threshold: AS IS 2 of 20 (0.10), TO BE 2 + 1 of 20 (0.15): +0.05 -> finding.
  const std::vector<Case> at = {
      OneBlockTasks("b1", {{"network", 2}, {"value_proposition", 18}},
                    {{"network", 2}, {"relations", 1}, {"value_proposition", 17}})};
  const Json r = RunAnalyzer("block_focus", at);
  const Json* f = FindingOf(r, code);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->at("severity"), "info");
  EXPECT_EQ(f->at("evidence").at(0),
            "network + relations: 3 of 20 TO BE mentions (15%) vs 2 of 20 AS IS mentions (10%)");
  EXPECT_EQ(f->at("evidence").at(1),
            "+5.0 share points (threshold: at least +5, with at least 20 mentions in each state)");
  // Just below: TO BE 3 of 21 (0.1429): +0.043 -> no finding.
  const std::vector<Case> below = {
      OneBlockTasks("b1", {{"network", 2}, {"value_proposition", 18}},
                    {{"network", 2}, {"relations", 1}, {"value_proposition", 18}})};
  EXPECT_EQ(FindingOf(RunAnalyzer("block_focus", below), code), nullptr);
  // The minimum of 20 mentions per state: AS IS 1 of 20 (0.05) vs TO BE 3 of 20 (0.15)
  // fires; AS IS 1 of 19 (0.053) vs the same TO BE (+0.097) does not, for want of mentions.
  const std::vector<Case> enough = {
      OneBlockTasks("b1", {{"network", 1}, {"value_proposition", 19}},
                    {{"network", 2}, {"relations", 1}, {"value_proposition", 17}})};
  EXPECT_NE(FindingOf(RunAnalyzer("block_focus", enough), code), nullptr);
  const std::vector<Case> few = {
      OneBlockTasks("b1", {{"network", 1}, {"value_proposition", 18}},
                    {{"network", 2}, {"relations", 1}, {"value_proposition", 17}})};
  EXPECT_EQ(FindingOf(RunAnalyzer("block_focus", few), code), nullptr);
}

TEST(BlockFocus, SplitRunEqualsOneRun) {
  std::vector<Case> cases = {HandCase(),
                             OneBlockTasks("b2", {{"network", 2}, {"value_proposition", 18}},
                                           {{"relations", 3}, {"customers", 17}}),
                             OneBlockTasks("b3", {{"value_chain", 4}}, {})};
  const Json whole = RunAnalyzer("block_focus", cases);
  ExpectEverySplitEquals("block_focus", cases, whole);
  // Three businesses: 8 + 40 + 4 mentions.
  EXPECT_EQ(Metric(whole, "businesses"), 3);
  EXPECT_EQ(Metric(whole, "mentions"), 52);
}

// The saved counts of HandCase() (see there): tasks and mentions by state, a state or block
// only when counted (no "not_stated", no block without a mention).
TEST(BlockFocus, SavedStateCountsByStateAndBlock) {
  PluginInstance instance = NewInstance("block_focus");
  const std::vector<Case> cases = {HandCase()};
  AddAll(instance, cases);
  const Json saved = SavedState(instance);
  EXPECT_EQ(saved.at("tasks"), Json::parse(R"({"as_is": 3, "to_be": 2})"));
  EXPECT_EQ(saved.at("mentions"), Json::parse(R"({
      "as_is": {"customers": 1, "network": 1, "value_chain": 1, "value_proposition": 2},
      "to_be": {"customers": 1, "network": 1, "relations": 1}})"));
}

// Merging instances without saving them (as the batch engine does) and adding cases to a
// loaded state give the state and the result of one run. b4's model has no state: its
// two mentions count as "not_stated".
TEST(BlockFocus, MergingInMemoryAndAddingAfterLoadEqualOneRun) {
  Case b4 = MakeCase("b4");
  AddModel(b4, "m", State::kUnstated);
  AddTask(b4, "t1", "m", {"competences", "value_formula"}, {"value"});
  const std::vector<Case> cases = {HandCase(),
                                   OneBlockTasks("b2", {{"network", 2}, {"value_proposition", 18}},
                                                 {{"relations", 3}, {"customers", 17}}),
                                   b4, OneBlockTasks("b3", {{"value_chain", 4}}, {})};
  PluginInstance whole = NewInstance("block_focus");
  AddAll(whole, cases);
  const Json whole_state = SavedState(whole);
  const Json whole_result = FinishOf(whole);
  EXPECT_EQ(whole_state.at("tasks").at("not_stated"), 1);
  EXPECT_EQ(whole_state.at("mentions").at("not_stated"),
            Json::parse(R"({"competences": 1, "value_formula": 1})"));
  ExpectEverySplitMergesAndLoadsLikeOneRun("block_focus", cases, whole_state, whole_result);
}

TEST(BlockFocus, RefusesForeignState) {
  PluginInstance instance = NewInstance("block_focus");
  EXPECT_TRUE(instance.Load(R"({"format": "canvas/1"})").has_value());
  EXPECT_TRUE(instance.Load(R"({"format": "block_focus/1", "cases": "x"})").has_value());
  EXPECT_FALSE(instance
                   .Load(R"({"format": "block_focus/1", "cases": 1, "blocks": [], "tasks": {},
                             "mentions": {}})")
                   .has_value());
}

// ------------------------------------------------------------------ the paper's figures

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

long Rounded(double share) { return std::lround(share * 100.0); }

// tests/data/paper_figures/README.md shows the counts; Lindgren 2012, sec. 3.1.2 the figures.
TEST(BlockFocus, ReproducesThePaperFigures) {
  const std::vector<Case> cases = PaperFigureCases();
  ASSERT_EQ(cases.size(), 24u);
  const Json r = RunAnalyzer("block_focus", cases);
  EXPECT_EQ(Metric(r, "tasks"), 168);  // 86 AS IS + 82 TO BE
  EXPECT_EQ(Metric(r, "mentions_as_is"), 158);
  EXPECT_EQ(Metric(r, "mentions_to_be"), 172);
  // AS IS: pair 45 + 40 = 85 of 158 = 53.80%; trio + 32 = 117 of 158 = 74.05%.
  EXPECT_DOUBLE_EQ(Metric(r, "pair_share_as_is"), 85.0 / 158.0);
  EXPECT_DOUBLE_EQ(Metric(r, "trio_share_as_is"), 117.0 / 158.0);
  // TO BE: pair 44 + 40 = 84 of 172 = 48.84%; trio + 23 = 107 of 172 = 62.21%.
  EXPECT_DOUBLE_EQ(Metric(r, "pair_share_to_be"), 84.0 / 172.0);
  EXPECT_DOUBLE_EQ(Metric(r, "trio_share_to_be"), 107.0 / 172.0);
  // All: pair 169 of 330 = 51.21%; trio 224 of 330 = 67.88%.
  EXPECT_DOUBLE_EQ(Metric(r, "pair_share"), 169.0 / 330.0);
  EXPECT_DOUBLE_EQ(Metric(r, "trio_share"), 224.0 / 330.0);
  // The paper's six figures, rounded to whole percent.
  EXPECT_EQ(Rounded(Metric(r, "pair_share")), 51);
  EXPECT_EQ(Rounded(Metric(r, "trio_share")), 68);
  EXPECT_EQ(Rounded(Metric(r, "pair_share_as_is")), 54);
  EXPECT_EQ(Rounded(Metric(r, "trio_share_as_is")), 74);
  EXPECT_EQ(Rounded(Metric(r, "pair_share_to_be")), 49);
  EXPECT_EQ(Rounded(Metric(r, "trio_share_to_be")), 62);
  EXPECT_NE(FindingOf(r, "block_focus.classic_focus"), nullptr);
  // Network + relations matter more for TO BE: 13 + 6 = 19 of 158 (12.0%) AS IS vs
  // 26 + 15 = 41 of 172 (23.8%) TO BE.
  EXPECT_DOUBLE_EQ(Metric(r, "network_relations_share_as_is"), 19.0 / 158.0);
  EXPECT_DOUBLE_EQ(Metric(r, "network_relations_share_to_be"), 41.0 / 172.0);
  EXPECT_NE(FindingOf(r, "block_focus.to_be_network_relations"), nullptr);
  // TO BE ranks network (26) above value chain (23): its top 3 (VP 44 + CU 40 + NE 26 = 110)
  // is not the trio (107).
  const Json& conc = Table(r, "concentration");
  const Json* to_be = RowOf(conc, "TO BE");
  ASSERT_NE(to_be, nullptr);
  EXPECT_EQ(to_be->at(ColumnOf(conc, "top3_blocks")), "value_proposition, customers, network");
  EXPECT_DOUBLE_EQ(to_be->at(ColumnOf(conc, "top3_share")).get<double>(), 110.0 / 172.0);
  // Split anywhere, the same result.
  EXPECT_EQ(RunAnalyzerSplit("block_focus", cases, 10), r);
}

// The analyzer lists every block of the registry and nothing per case: the listing caps
// (bmil --max-rows, --all) change nothing, and its findings, on the pooled counts of all
// businesses, concern no business in particular.
TEST(BlockFocus, HasNoListingsAndFindingsOnThePooledCounts) {
  const std::vector<Case> cases = {HandCase()};
  const Json r = RunAnalyzer("block_focus", cases);
  EXPECT_EQ(RunAnalyzer("block_focus", cases, ListingConfig({{"max_rows", 1}})), r);
  EXPECT_EQ(RunAnalyzer("block_focus", cases, ListingConfig({{"all", true}})), r);
  ASSERT_NE(FindingOf(r, "block_focus.classic_focus"), nullptr);
  for (const auto& f : r.at("findings")) EXPECT_EQ(BusinessesOf(f), std::vector<std::string>{});
}

}  // namespace
}  // namespace bmil::test
