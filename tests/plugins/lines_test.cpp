// Tests of the seven leadership-line plugins of Lindgren (2012), loaded from the build's
// plugin directory through the host (scan, load, C ABI), as the bmil program loads them.
// Every expected value below is written out by hand from the paper's order, the line
// descriptors and the hand-built cases; the only values read from a plugin are its threat
// rules' thresholds, and each threshold is then checked from both sides.
#include <bmil/flat_case.hpp>
#include <bmil/model.hpp>
#include <bmil/plugin_host.hpp>
#include <bmil/registry.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace bmil {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// The seven built-in blocks in the paper's order (Lindgren 2012, Table 1).
const std::array<std::string, 7> kBlocks = {"value_proposition", "customers", "value_chain",
                                            "competences",       "network",   "relations",
                                            "value_formula"};

// One line as the paper and its plugin define it, written out by hand.
struct LineCase {
  std::string id;
  std::string code;
  std::string name;
  int order;                       // the manifest's canvas position
  std::size_t position;            // index in the registry (lines sorted by order)
  std::string focus_block;         // a built-in block
  std::string perspective;         // inside_out, outside_in, both or horizontal
  std::set<std::string> unstated;  // SWOT cells Table 2 leaves empty for this line
  std::size_t threat_rules;        // how many threat rules the plugin declares
  std::string test_name;           // for GoogleTest: CamelCase, no underscores
};

const std::vector<LineCase>& Lines() {
  // clang-format off
  static const std::vector<LineCase> kLines = {
      // id, code, name, order, position, focus_block, perspective, unstated SWOT cells,
      // threat rules, test name
      {"value", "VIL", "Value innovation leadership", 10, 0, "value_proposition", "inside_out",
       {"weaknesses", "opportunities"}, 2, "Value"},
      {"customer", "CIL", "Customer innovation leadership", 20, 1, "customers", "outside_in",
       {"opportunities"}, 2, "Customer"},
      {"value_chain", "VCIL", "Value chain innovation leadership", 30, 2, "value_chain",
       "inside_out", {"weaknesses"}, 1, "ValueChain"},
      {"competence", "CoIL", "Competence innovation leadership", 40, 3, "competences",
       "inside_out", {"opportunities"}, 1, "Competence"},
      {"network", "NIL", "Network innovation leadership", 50, 4, "network", "both",
       {"weaknesses"}, 1, "Network"},
      {"relation", "RIL", "Relation innovation leadership", 60, 5, "relations", "both",
       {}, 1, "Relation"},
      // The paper ties PIL to no block; its plugin takes the value chain as nearest focus.
      {"process", "PIL", "Process innovation leadership", 70, 6, "value_chain", "horizontal",
       {}, 1, "Process"},
  };
  // clang-format on
  return kLines;
}

bool IsBuiltinBlock(const std::string& id) {
  return std::find(kBlocks.begin(), kBlocks.end(), id) != kBlocks.end();
}

// ------------------------------------------------------------------------------- the host

// The build's plugin directory, scanned and loaded once for the whole program.
const PluginHost& Host() {
  static const PluginHost host = [] {
    const std::vector<fs::path> dirs = {fs::path(BMIL_BINARY_DIR) / "lib/bmil/plugins"};
    PluginHost h = PluginHost::Scan(dirs);
    h.LoadAll();
    return h;
  }();
  return host;
}

const LoadedPlugin& Plugin(const std::string& id) {
  const LoadedPlugin* p = Host().Find(id);
  if (p == nullptr) throw std::runtime_error("plugin " + id + " is not loaded");
  return *p;
}

PluginInstance MustCreate(const LoadedPlugin& plugin) {
  auto result = plugin.Create("{}");
  if (auto* error = std::get_if<CallError>(&result)) throw std::runtime_error(error->ToString());
  return std::move(std::get<PluginInstance>(result));
}

Json Must(CallResult<Json> result) {
  if (auto* error = std::get_if<CallError>(&result)) throw std::runtime_error(error->ToString());
  return std::move(std::get<Json>(result));
}

Json Describe(const std::string& id) {
  PluginInstance line = MustCreate(Plugin(id));
  return Must(line.Describe());
}

Json Assess(const std::string& id, const Case& c, std::uint32_t business_model) {
  const Registry registry = Host().MakeRegistry();
  const FlatCase flat(c, registry);
  PluginInstance line = MustCreate(Plugin(id));
  return Must(line.Assess(flat.view(), business_model));
}

Json Propose(const std::string& id, const Case& c, std::uint32_t business_model) {
  const Registry registry = Host().MakeRegistry();
  const FlatCase flat(c, registry);
  PluginInstance line = MustCreate(Plugin(id));
  return Must(line.Propose(flat.view(), business_model));
}

// ---------------------------------------------------------------------- hand-built cases

BmiTask Task(std::string id, std::string business_model, std::vector<std::string> blocks,
             std::vector<std::string> lines) {
  BmiTask t;
  t.id = std::move(id);
  t.business_model = std::move(business_model);
  t.building_blocks = std::move(blocks);
  t.leadership_lines = std::move(lines);
  return t;
}

BusinessModel Model(std::string id, State state, const std::vector<std::string>& described) {
  BusinessModel bm;
  bm.id = std::move(id);
  bm.name = bm.id;
  bm.state = state;
  for (const auto& block : described) bm.building_blocks[block].description = "described";
  return bm;
}

// A line other than `id`, for tasks that must not go through `id`.
std::string OtherLine(const std::string& id) { return id == "value" ? "customer" : "value"; }

// One AS IS model "bm1" with `tasks` tasks, the first `line_tasks` of them led through
// `line` and the rest through another line. Each task touches `block`; task t<i> (1-based)
// also touches `extra_block` when i == `extra_task`.
Case ShareCase(const std::string& line, std::size_t tasks, std::size_t line_tasks,
               const std::string& block, std::size_t extra_task = 0,
               const std::string& extra_block = "") {
  Case c;
  c.business.id = "biz";
  c.business_models = {Model("bm1", State::kAsIs, {})};
  for (std::size_t i = 1; i <= tasks; ++i) {
    std::vector<std::string> blocks = {block};
    if (i == extra_task) blocks.push_back(extra_block);
    c.bmi_tasks.push_back(
        Task("t" + std::to_string(i), "bm1", blocks, {i <= line_tasks ? line : OtherLine(line)}));
  }
  return c;
}

const Json* Threat(const Json& assessment, const std::string& code) {
  for (const auto& t : assessment.at("threats")) {
    if (t.at("code") == code) return &t;
  }
  return nullptr;
}

std::string LedThrough(std::size_t line_tasks, std::size_t tasks, const std::string& code) {
  return std::to_string(line_tasks) + " of " + std::to_string(tasks) +
         " BMI tasks on bm1 are led through " + code;
}

// ------------------------------------------------------------------------ the line table

class LinePlugin : public ::testing::TestWithParam<LineCase> {};

TEST_P(LinePlugin, IsLoadedWithTheManifestsLineEntry) {
  const LineCase& line = GetParam();
  const LoadedPlugin& plugin = Plugin(line.id);
  EXPECT_TRUE(plugin.is_line());
  EXPECT_EQ(plugin.path(),
            fs::path(BMIL_BINARY_DIR) / "lib/bmil/plugins" / line.id / (line.id + ".so"));
  const Manifest& m = plugin.manifest();
  EXPECT_EQ(m.id, line.id);
  EXPECT_EQ(m.kind, "line");
  EXPECT_EQ(m.name, line.name + " (" + line.code + ")");
  EXPECT_TRUE(m.blocks.empty());
  ASSERT_EQ(m.lines.size(), 1u);
  EXPECT_EQ(m.lines[0].id, line.id);
  EXPECT_EQ(m.lines[0].code, line.code);
  EXPECT_EQ(m.lines[0].name, line.name);
  EXPECT_EQ(m.lines[0].order, line.order);

  // The registry sorts lines by order: the paper's seven take positions 0..6.
  const Registry registry = Host().MakeRegistry();
  EXPECT_EQ(registry.LineIndex(line.id), line.position);
  ASSERT_LT(line.position, registry.lines().size());
  EXPECT_EQ(registry.lines()[line.position].code, line.code);
  EXPECT_EQ(registry.lines()[line.position].plugin, line.id);
}

TEST_P(LinePlugin, DescribesItsDefinitionAndSwot) {
  const LineCase& line = GetParam();
  const Json d = Describe(line.id);
  EXPECT_EQ(d.at("id"), line.id);
  EXPECT_EQ(d.at("kind"), "line");
  EXPECT_EQ(d.at("code"), line.code);
  EXPECT_EQ(d.at("name"), line.name);
  EXPECT_FALSE(d.at("definition").get<std::string>().empty());
  EXPECT_EQ(d.at("focus_block"), line.focus_block);
  EXPECT_TRUE(IsBuiltinBlock(d.at("focus_block").get<std::string>()));
  const std::set<std::string> perspectives = {"inside_out", "outside_in", "both", "horizontal"};
  EXPECT_TRUE(perspectives.contains(d.at("perspective").get<std::string>())) << d["perspective"];
  EXPECT_EQ(d.at("perspective"), line.perspective);

  const Json& swot = d.at("swot");
  for (const std::string cell : {"strengths", "weaknesses", "opportunities", "threats"}) {
    SCOPED_TRACE(cell);
    const Json& items = swot.at(cell);
    ASSERT_TRUE(items.is_array());
    ASSERT_FALSE(items.empty());
    if (line.unstated.contains(cell)) {
      EXPECT_EQ(items, Json::array({"not stated in the source"}));
    } else {
      for (const auto& item : items) {
        ASSERT_TRUE(item.is_string());
        EXPECT_FALSE(item.get<std::string>().empty());
        EXPECT_NE(item, "not stated in the source");
      }
    }
  }
  EXPECT_NE(swot.at("source").get<std::string>().find("Table 2"), std::string::npos)
      << swot.at("source");
}

TEST_P(LinePlugin, AsksOneQuestionPerBlockInThePapersOrder) {
  const LineCase& line = GetParam();
  const Json d = Describe(line.id);
  const Json& questions = d.at("questions");
  ASSERT_EQ(questions.size(), 7u);
  for (std::size_t i = 0; i < kBlocks.size(); ++i) {
    SCOPED_TRACE(kBlocks[i]);
    EXPECT_EQ(questions[i].at("block"), kBlocks[i]);
    const std::string question = questions[i].at("question");
    ASSERT_FALSE(question.empty());
    EXPECT_EQ(question.back(), '?') << question;
  }
}

TEST_P(LinePlugin, DeclaresWellFormedThreatRules) {
  const LineCase& line = GetParam();
  const Json d = Describe(line.id);
  const Json& rules = d.at("threats");
  ASSERT_EQ(rules.size(), line.threat_rules);
  std::set<std::string> codes;
  for (const auto& rule : rules) {
    const std::string code = rule.at("code");
    SCOPED_TRACE(code);
    EXPECT_TRUE(codes.insert(code).second) << "duplicate code";
    EXPECT_TRUE(code.starts_with(line.id + ".")) << code;
    EXPECT_GT(code.size(), line.id.size() + 1);
    EXPECT_FALSE(rule.at("threat").get<std::string>().empty());
    const double min_share = rule.at("min_share");
    EXPECT_GT(min_share, 0.0);
    EXPECT_LE(min_share, 1.0);
    EXPECT_GE(rule.at("min_tasks").get<std::size_t>(), 1u);
    EXPECT_NE(rule.at("source").get<std::string>().find("Table 2"), std::string::npos)
        << rule.at("source");
    const std::string absent = rule.at("absent_block");
    EXPECT_TRUE(absent.empty() || IsBuiltinBlock(absent)) << absent;
  }
}

// The smallest task count n >= min_tasks at which some k of n tasks give a share of exactly
// `min_share` in double arithmetic (0.6 -> 3 of 5, 0.5 with 3 tasks -> 2 of 4).
std::pair<std::size_t, std::size_t> ExactShare(double min_share, std::size_t min_tasks) {
  for (std::size_t n = std::max<std::size_t>(min_tasks, 1); n <= 1000; ++n) {
    const auto k = static_cast<std::size_t>(std::llround(min_share * static_cast<double>(n)));
    if (static_cast<double>(k) / static_cast<double>(n) == min_share) return {k, n};
  }
  throw std::runtime_error("no k/n <= 1000 equals min_share " + std::to_string(min_share));
}

// Checks one assessment: the model's counts and the rule's verdict and evidence.
void ExpectVerdict(const Json& a, const LineCase& line, const std::string& code, std::size_t tasks,
                   std::size_t line_tasks, bool triggered,
                   const std::vector<std::string>& evidence) {
  EXPECT_EQ(a.at("line"), line.id);
  EXPECT_EQ(a.at("business_model"), "bm1");
  EXPECT_EQ(a.at("state"), "as_is");
  EXPECT_EQ(a.at("tasks"), tasks);
  EXPECT_EQ(a.at("line_tasks"), line_tasks);
  EXPECT_EQ(a.at("share").get<double>(),
            static_cast<double>(line_tasks) / static_cast<double>(tasks));
  const Json* threat = Threat(a, code);
  ASSERT_NE(threat, nullptr);
  EXPECT_EQ(threat->at("triggered"), triggered);
  EXPECT_EQ(threat->at("evidence"), Json(evidence));
}

TEST_P(LinePlugin, TriggersEachThreatExactlyAtItsThresholds) {
  const LineCase& line = GetParam();
  const Json rules = Describe(line.id).at("threats");
  ASSERT_EQ(rules.size(), line.threat_rules);
  for (const auto& rule : rules) {
    const std::string code = rule.at("code");
    const double min_share = rule.at("min_share");
    const std::size_t min_tasks = rule.at("min_tasks");
    const std::string absent = rule.at("absent_block");
    SCOPED_TRACE(code);
    // Every task touches a block the rule does not ask to be absent.
    const std::string block = absent == kBlocks[0] ? kBlocks[1] : kBlocks[0];
    // With an absent block, the evidence also says how many tasks touch it.
    auto evidence = [&](std::size_t k, std::size_t n, std::size_t touching) {
      std::vector<std::string> e = {LedThrough(k, n, line.code)};
      if (!absent.empty()) e.push_back(std::to_string(touching) + " BMI tasks touch " + absent);
      return e;
    };

    const auto [k, n] = ExactShare(min_share, min_tasks);
    ASSERT_GE(n, min_tasks);
    ASSERT_GE(k, 1u);
    {
      SCOPED_TRACE("at the threshold: " + std::to_string(k) + " of " + std::to_string(n));
      ExpectVerdict(Assess(line.id, ShareCase(line.id, n, k, block), 0), line, code, n, k, true,
                    evidence(k, n, 0));
    }
    {
      SCOPED_TRACE("one line task fewer");
      ExpectVerdict(Assess(line.id, ShareCase(line.id, n, k - 1, block), 0), line, code, n, k - 1,
                    false, evidence(k - 1, n, 0));
    }
    if (min_tasks >= 2) {
      // Every task through the line (share 1, above any min_share), one task too few.
      const std::size_t few = min_tasks - 1;
      SCOPED_TRACE("all of " + std::to_string(few) + " tasks");
      ExpectVerdict(Assess(line.id, ShareCase(line.id, few, few, block), 0), line, code, few, few,
                    false, evidence(few, few, 0));
    }
    if (!absent.empty()) {
      // The threshold case, but one task touches the block that must be absent: first a task
      // of another line (when there is one), then a task of this line.
      if (k < n) {
        SCOPED_TRACE("a task of another line touches " + absent);
        ExpectVerdict(Assess(line.id, ShareCase(line.id, n, k, block, n, absent), 0), line, code, n,
                      k, false, evidence(k, n, 1));
      }
      SCOPED_TRACE("a task of this line touches " + absent);
      ExpectVerdict(Assess(line.id, ShareCase(line.id, n, k, block, 1, absent), 0), line, code, n,
                    k, false, evidence(k, n, 1));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SevenLines, LinePlugin, ::testing::ValuesIn(Lines()),
                         [](const ::testing::TestParamInfo<LineCase>& info) {
                           return info.param.test_name;
                         });

TEST(LinePlugins, AskFortyNineDistinctQuestions) {
  std::set<std::string> questions;
  for (const LineCase& line : Lines()) {
    const Json d = Describe(line.id);
    for (const auto& q : d.at("questions")) questions.insert(q.at("question"));
  }
  EXPECT_EQ(questions.size(), 49u);
}

TEST(LinePlugins, AllSevenAreLoadedFromTheBuildDirectory) {
  for (const LineCase& line : Lines()) {
    SCOPED_TRACE(line.id);
    const PluginRecord* record = nullptr;
    for (const auto& r : Host().records()) {
      if (r.manifest && r.manifest->id == line.id) record = &r;
    }
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(record->status, PluginRecord::Status::kLoaded) << record->reason;
  }
}

// ------------------------------------------------------------------ assess and propose

// Model "shop" (AS IS) describes value_proposition, customers, network and value_formula;
// model "next" (TO BE) describes the same blocks. Both have the same four tasks:
//   1: value_proposition, customers                 x value, customer
//   2: customers, network                           x customer, network
//   3: value_chain, competences, value_formula      x value_chain, process
//   4: relations                                    x relation, customer
// Model "empty" (AS IS) has no task and describes nothing.
Case CanvasCase() {
  const std::vector<std::string> described = {"value_proposition", "customers", "network",
                                              "value_formula"};
  Case c;
  c.business.id = "biz";
  c.business_models = {Model("shop", State::kAsIs, described),
                       Model("next", State::kToBe, described), Model("empty", State::kAsIs, {})};
  for (const std::string model : {"shop", "next"}) {
    c.bmi_tasks.push_back(
        Task(model + "1", model, {"value_proposition", "customers"}, {"value", "customer"}));
    c.bmi_tasks.push_back(
        Task(model + "2", model, {"customers", "network"}, {"customer", "network"}));
    c.bmi_tasks.push_back(Task(model + "3", model, {"value_chain", "competences", "value_formula"},
                               {"value_chain", "process"}));
    c.bmi_tasks.push_back(Task(model + "4", model, {"relations"}, {"relation", "customer"}));
  }
  return c;
}

struct CanvasExpectation {
  std::string line;
  // Tasks of "shop" through the line, per block in kBlocks order.
  std::array<std::size_t, 7> line_tasks_per_block;
  std::size_t line_tasks;  // of 4
  // Blocks no task of the line touches, in block order: the proposals.
  std::vector<std::string> uncovered;
};

// clang-format off
const std::vector<CanvasExpectation> kCanvas = {
    //              vp cu vc co ne re vf   of 4
    {"value",       {1, 1, 0, 0, 0, 0, 0}, 1,
     {"value_chain", "competences", "network", "relations", "value_formula"}},
    {"customer",    {1, 2, 0, 0, 1, 1, 0}, 3,
     {"value_chain", "competences", "value_formula"}},
    {"value_chain", {0, 0, 1, 1, 0, 0, 1}, 1,
     {"value_proposition", "customers", "network", "relations"}},
    {"competence",  {0, 0, 0, 0, 0, 0, 0}, 0,
     {"value_proposition", "customers", "value_chain", "competences", "network", "relations",
      "value_formula"}},
    {"network",     {0, 1, 0, 0, 1, 0, 0}, 1,
     {"value_proposition", "value_chain", "competences", "relations", "value_formula"}},
    {"relation",    {0, 0, 0, 0, 0, 1, 0}, 1,
     {"value_proposition", "customers", "value_chain", "competences", "network",
      "value_formula"}},
    {"process",     {0, 0, 1, 1, 0, 0, 1}, 1,
     {"value_proposition", "customers", "network", "relations"}},
};
// clang-format on

const LineCase& LineById(const std::string& id) {
  for (const LineCase& line : Lines()) {
    if (line.id == id) return line;
  }
  throw std::runtime_error("no line " + id);
}

TEST(LinePlugins, AssessCountsTasksPerBlock) {
  // Tasks of "shop" per block, whatever the line: customers by tasks 1 and 2, the others
  // by one task each.
  const std::array<std::size_t, 7> tasks_per_block = {1, 2, 1, 1, 1, 1, 1};
  const Case c = CanvasCase();
  ASSERT_EQ(kCanvas.size(), 7u);
  for (const CanvasExpectation& row : kCanvas) {
    SCOPED_TRACE(row.line);
    const Json a = Assess(row.line, c, 0);
    EXPECT_EQ(a.at("line"), row.line);
    EXPECT_EQ(a.at("business_model"), "shop");
    EXPECT_EQ(a.at("state"), "as_is");
    EXPECT_EQ(a.at("tasks"), 4);
    EXPECT_EQ(a.at("line_tasks"), row.line_tasks);
    EXPECT_EQ(a.at("share").get<double>(), static_cast<double>(row.line_tasks) / 4.0);
    Json blocks = Json::array();
    for (std::size_t b = 0; b < kBlocks.size(); ++b) {
      blocks.push_back({{"block", kBlocks[b]},
                        {"tasks", tasks_per_block[b]},
                        {"line_tasks", row.line_tasks_per_block[b]}});
    }
    EXPECT_EQ(a.at("blocks"), blocks);
  }
}

TEST(LinePlugins, AssessSharesAreExact) {
  const Case c = CanvasCase();
  // 1, 3 and 0 of 4 tasks: 0.25, 0.75 and 0 exactly.
  EXPECT_EQ(Assess("value", c, 0).at("share").get<double>(), 0.25);
  EXPECT_EQ(Assess("customer", c, 0).at("share").get<double>(), 0.75);
  EXPECT_EQ(Assess("competence", c, 0).at("share").get<double>(), 0.0);
  // A model without tasks: share 0, every block 0 of 0.
  const Json empty = Assess("customer", c, 2);
  EXPECT_EQ(empty.at("business_model"), "empty");
  EXPECT_EQ(empty.at("tasks"), 0);
  EXPECT_EQ(empty.at("line_tasks"), 0);
  EXPECT_EQ(empty.at("share").get<double>(), 0.0);
  for (const auto& block : empty.at("blocks")) {
    EXPECT_EQ(block.at("tasks"), 0);
    EXPECT_EQ(block.at("line_tasks"), 0);
  }
}

TEST(LinePlugins, AssessOnTheCanvasCaseTriggersOnlyTooMuchCustomerDrivenBmi) {
  // Customer: 3 of 4 tasks (>= 0.6 of >= 3) triggers "too much customer-driven BMI", but
  // task 3 works on the value formula, so "no business in BMI" is not triggered.
  const Json customer = Assess("customer", CanvasCase(), 0);
  const Json* too_much = Threat(customer, "customer.too_much_customer_driven_bmi");
  ASSERT_NE(too_much, nullptr);
  EXPECT_EQ(too_much->at("triggered"), true);
  EXPECT_EQ(too_much->at("evidence"),
            Json::array({"3 of 4 BMI tasks on shop are led through CIL"}));
  const Json* no_business = Threat(customer, "customer.no_business_in_bmi");
  ASSERT_NE(no_business, nullptr);
  EXPECT_EQ(no_business->at("triggered"), false);
  EXPECT_EQ(no_business->at("evidence"),
            Json::array({"3 of 4 BMI tasks on shop are led through CIL",
                         "1 BMI tasks touch value_formula"}));
  // Every other line leads at most 1 of 4 tasks: below every threshold.
  for (const LineCase& line : Lines()) {
    if (line.id == "customer") continue;
    SCOPED_TRACE(line.id);
    const Json a = Assess(line.id, CanvasCase(), 0);
    for (const auto& threat : a.at("threats")) {
      EXPECT_EQ(threat.at("triggered"), false) << threat.at("code");
    }
  }
}

// The proposals expected for `model` ("shop", "next" or "empty") from the line of `row`.
Json ExpectedProposals(const CanvasExpectation& row, const Json& described_line,
                       const std::string& model, const std::vector<std::string>& uncovered,
                       const std::set<std::string>& described, bool as_is) {
  std::map<std::string, std::string> questions;
  for (const auto& q : described_line.at("questions")) questions[q.at("block")] = q.at("question");
  const LineCase& line = LineById(row.line);
  Json proposals = Json::array();
  for (const std::string& block : uncovered) {
    const bool is_described = described.contains(block);
    std::string rationale = "No BMI task on " + model + " looks at the " + block +
                            " block from the " + line.name + " viewpoint";
    rationale += is_described ? "." : "; the model does not describe this block yet.";
    proposals.push_back({{"line", row.line},
                         {"block", block},
                         {"action", is_described && as_is ? "upgrade" : "create"},
                         {"question", questions.at(block)},
                         {"rationale", rationale}});
  }
  return Json{{"line", row.line}, {"business_model", model}, {"proposals", proposals}};
}

TEST(LinePlugins, ProposeUpgradesDescribedBlocksOfAnAsIsModel) {
  const std::set<std::string> described = {"value_proposition", "customers", "network",
                                           "value_formula"};
  const Case c = CanvasCase();
  for (const CanvasExpectation& row : kCanvas) {
    SCOPED_TRACE(row.line);
    const Json p = Propose(row.line, c, 0);
    EXPECT_EQ(p, ExpectedProposals(row, Describe(row.line), "shop", row.uncovered, described,
                                   /*as_is=*/true));
    // Spelled out for one line: value covers value_proposition and customers only.
    if (row.line == "value") {
      std::vector<std::pair<std::string, std::string>> got;
      for (const auto& q : p.at("proposals")) got.emplace_back(q.at("block"), q.at("action"));
      EXPECT_EQ(got,
                (std::vector<std::pair<std::string, std::string>>{{"value_chain", "create"},
                                                                  {"competences", "create"},
                                                                  {"network", "upgrade"},
                                                                  {"relations", "create"},
                                                                  {"value_formula", "upgrade"}}));
    }
  }
}

TEST(LinePlugins, ProposeCreatesEveryBlockOfAToBeModel) {
  const std::set<std::string> described = {"value_proposition", "customers", "network",
                                           "value_formula"};
  const Case c = CanvasCase();
  for (const CanvasExpectation& row : kCanvas) {
    SCOPED_TRACE(row.line);
    const Json p = Propose(row.line, c, 1);
    EXPECT_EQ(p, ExpectedProposals(row, Describe(row.line), "next", row.uncovered, described,
                                   /*as_is=*/false));
    for (const auto& proposal : p.at("proposals")) EXPECT_EQ(proposal.at("action"), "create");
  }
}

TEST(LinePlugins, ProposeCreatesEveryBlockOfAModelWithoutTasks) {
  const Case c = CanvasCase();
  const std::vector<std::string> all(kBlocks.begin(), kBlocks.end());
  for (const CanvasExpectation& row : kCanvas) {
    SCOPED_TRACE(row.line);
    const Json p = Propose(row.line, c, 2);
    EXPECT_EQ(p, ExpectedProposals(row, Describe(row.line), "empty", all, {}, /*as_is=*/true));
    ASSERT_EQ(p.at("proposals").size(), 7u);
    EXPECT_EQ(p.at("proposals")[6].at("rationale"),
              "No BMI task on empty looks at the value_formula block from the " +
                  LineById(row.line).name +
                  " viewpoint; the model does not describe this block yet.");
  }
}

}  // namespace
}  // namespace bmil
