// How two versions of one case differ (core/src/control/case_diff.hpp), on pairs of cases
// built by hand: each kind of change with its from and to, matching by id and not by
// position, the summary counted by hand, and the text, Markdown and JSON written from it.
#include "control/case_diff.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace bmil::control {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::ordered_json;

BusinessModel Model(const std::string& id, const std::string& name, State state, Stage stage) {
  BusinessModel m;
  m.id = id;
  m.name = name;
  m.state = state;
  m.stage = stage;
  return m;
}

BmiTask Task(const std::string& id, const std::string& model, TaskStatus status) {
  BmiTask t;
  t.id = id;
  t.business_model = model;
  t.building_blocks = {"customers", "network"};
  t.leadership_lines = {"customer"};
  t.status = status;
  return t;
}

// Nordtool, after the example of docs/data-format.md: three models, four tasks, a portfolio
// and a strategy.
Case Base() {
  Case c;
  c.business.id = "nordtool";
  c.business.name = "Nordtool";
  BusinessModel tools = Model("tools", "Tools", State::kAsIs, Stage::kMarket);
  tools.industries = {{"machinery", IndustryStatus::kHome}, {"mining", IndustryStatus::kAttempted}};
  tools.building_blocks["customers"] = {BMIL_FORM_PHYSICAL, "", {"workshops", "dealers"}};
  tools.building_blocks["relations"] = {BMIL_FORM_PHYSICAL, "", {"visits"}};
  tools.value_formula.revenue = 6500000;
  tools.value_formula.cost = 6100000;
  tools.value_formula.currency = "DKK";
  tools.value_formula.customers = 140;
  BusinessModel rental = Model("rental", "Tool rental", State::kToBe, Stage::kConcept);
  rental.carried_by = {"tools"};
  c.business_models = {tools, rental, Model("kiosk", "Kiosk", State::kAsIs, Stage::kMarket)};
  c.bmi_tasks = {
      Task("t1", "tools", TaskStatus::kOngoing), Task("t2", "rental", TaskStatus::kOngoing),
      Task("t3", "tools", TaskStatus::kPlanned), Task("t4", "kiosk", TaskStatus::kPlanned)};
  c.portfolios = {{"main", "Tools and services", "", {"tools", "rental"}}};
  Strategy s;
  s.explicit_strategy = false;
  s.structured_process = false;
  s.skills = Skills::kLow;
  s.goals = {"more dealers"};
  s.leadership_lines = {"value"};
  c.strategy = s;
  return c;
}

BusinessModel& ModelIn(Case& c, const std::string& id) {
  return *std::find_if(c.business_models.begin(), c.business_models.end(),
                       [&](const BusinessModel& m) { return m.id == id; });
}

BmiTask& TaskIn(Case& c, const std::string& id) {
  return *std::find_if(c.bmi_tasks.begin(), c.bmi_tasks.end(),
                       [&](const BmiTask& t) { return t.id == id; });
}

const FieldChange* Change(const std::vector<FieldChange>& changes, const std::string& field) {
  const auto it = std::find_if(changes.begin(), changes.end(),
                               [&](const FieldChange& c) { return c.field == field; });
  return it == changes.end() ? nullptr : &*it;
}

std::vector<std::string> Fields(const std::vector<FieldChange>& changes) {
  std::vector<std::string> out;
  for (const FieldChange& c : changes) out.push_back(c.field);
  return out;
}

std::vector<std::string> ModelIds(const CaseDiff& diff) {
  std::vector<std::string> out;
  for (const ModelDiff& m : diff.models) out.push_back(m.id);
  return out;
}

std::vector<std::string> TaskIds(const CaseDiff& diff) {
  std::vector<std::string> out;
  for (const TaskDiff& t : diff.tasks) out.push_back(t.id);
  return out;
}

TEST(DiffCases, IdenticalCasesGiveNoDifference) {
  const CaseDiff diff = DiffCases(Base(), Base());
  EXPECT_TRUE(diff.Empty());
  EXPECT_EQ(diff.Counts(), CaseDiffCounts{});
  EXPECT_EQ(SummaryLine(diff.Counts()), "no differences");
  EXPECT_EQ(diff.old_business, "nordtool");
  EXPECT_EQ(diff.new_business, "nordtool");
  EXPECT_EQ(diff.business_name, "Nordtool");
}

TEST(DiffCases, MatchesByIdNotByPosition) {
  Case reordered = Base();
  std::reverse(reordered.business_models.begin(), reordered.business_models.end());
  std::reverse(reordered.bmi_tasks.begin(), reordered.bmi_tasks.end());
  for (BmiTask& t : reordered.bmi_tasks) {
    std::reverse(t.building_blocks.begin(), t.building_blocks.end());
  }
  auto& items = ModelIn(reordered, "tools").building_blocks["customers"].items;
  std::reverse(items.begin(), items.end());
  std::reverse(reordered.portfolios[0].business_models.begin(),
               reordered.portfolios[0].business_models.end());
  std::reverse(ModelIn(reordered, "tools").industries.begin(),
               ModelIn(reordered, "tools").industries.end());
  EXPECT_TRUE(DiffCases(Base(), reordered).Empty());

  // A change on the model that moved is found on it, not on the one now at its place.
  ModelIn(reordered, "tools").name = "Hand tools";
  const CaseDiff diff = DiffCases(Base(), reordered);
  ASSERT_EQ(diff.models.size(), 1u);
  EXPECT_EQ(diff.models[0].id, "tools");
  EXPECT_THAT(Fields(diff.models[0].changes), ElementsAre("name"));
}

TEST(DiffCases, ModelsCreatedThenExcludedInOrder) {
  Case after = Base();
  after.business_models.erase(after.business_models.begin() + 2);  // kiosk
  after.business_models.insert(after.business_models.begin(),
                               Model("app", "Tool app", State::kToBe, Stage::kIdea));
  ModelIn(after, "rental").stage = Stage::kRetired;
  const CaseDiff diff = DiffCases(Base(), after);
  // NEW's order (app, tools unchanged, rental), then kiosk, which only OLD has.
  EXPECT_THAT(ModelIds(diff), ElementsAre("app", "rental", "kiosk"));
  EXPECT_EQ(diff.models[0].kind, ModelDiff::Kind::kCreated);
  EXPECT_EQ(diff.models[0].name, "Tool app");
  EXPECT_EQ(diff.models[0].stage, Stage::kIdea);
  EXPECT_THAT(diff.models[0].changes, IsEmpty());
  EXPECT_EQ(diff.models[1].kind, ModelDiff::Kind::kExcluded);
  EXPECT_TRUE(diff.models[1].retired);
  ASSERT_THAT(Fields(diff.models[1].changes), ElementsAre("stage"));
  EXPECT_EQ(diff.models[1].changes[0].from, Json("concept"));
  EXPECT_EQ(diff.models[1].changes[0].to, Json("retired"));
  EXPECT_EQ(diff.models[1].changes[0].direction, "");  // the kind says it
  EXPECT_EQ(diff.models[2].kind, ModelDiff::Kind::kExcluded);
  EXPECT_FALSE(diff.models[2].retired);
  EXPECT_EQ(diff.models[2].name, "Kiosk");
  CaseDiffCounts counts;
  counts.models_created = 1;
  counts.models_excluded = 2;
  EXPECT_EQ(diff.Counts(), counts);
}

TEST(DiffCases, StateAndStageWithTheirDirection) {
  Case after = Base();
  ModelIn(after, "rental").state = State::kAsIs;
  ModelIn(after, "rental").stage = Stage::kPrototype;
  ModelIn(after, "tools").stage = Stage::kConcept;
  const CaseDiff diff = DiffCases(Base(), after);
  EXPECT_THAT(ModelIds(diff), ElementsAre("tools", "rental"));
  const FieldChange* back = Change(diff.models[0].changes, "stage");
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->from, Json("market"));
  EXPECT_EQ(back->to, Json("concept"));
  EXPECT_EQ(back->direction, "went_back");
  EXPECT_THAT(Fields(diff.models[1].changes), ElementsAre("state", "stage"));
  EXPECT_EQ(diff.models[1].changes[0].from, Json("to_be"));
  EXPECT_EQ(diff.models[1].changes[0].to, Json("as_is"));
  EXPECT_EQ(diff.models[1].changes[1].direction, "advanced");
  EXPECT_EQ(diff.models[1].kind, ModelDiff::Kind::kChanged);

  // Out of retirement, and from a stage not stated.
  Case retired = Base();
  ModelIn(retired, "kiosk").stage = Stage::kRetired;
  ModelIn(retired, "rental").stage = Stage::kUnstated;
  Case back_again = Base();
  const CaseDiff reopened = DiffCases(retired, back_again);
  EXPECT_EQ(Change(reopened.models[0].changes, "stage")->from, Json());  // rental
  EXPECT_EQ(Change(reopened.models[0].changes, "stage")->direction, "");
  EXPECT_EQ(Change(reopened.models[1].changes, "stage")->direction, "reopened");  // kiosk
}

TEST(DiffCases, IndustriesAddedRemovedAndStatusChanged) {
  Case after = Base();
  ModelIn(after, "tools").industries = {{"forestry", IndustryStatus::kAttempted},
                                        {"mining", IndustryStatus::kFailed}};
  const CaseDiff diff = DiffCases(Base(), after);
  ASSERT_EQ(diff.models.size(), 1u);
  // NEW's industries in its order, then the one only OLD has.
  EXPECT_THAT(Fields(diff.models[0].changes),
              ElementsAre("industries.forestry", "industries.mining", "industries.machinery"));
  const auto& c = diff.models[0].changes;
  EXPECT_EQ(c[0].from, Json());
  EXPECT_EQ(c[0].to, Json("attempted"));
  EXPECT_EQ(c[1].from, Json("attempted"));
  EXPECT_EQ(c[1].to, Json("failed"));
  EXPECT_EQ(c[2].from, Json("home"));
  EXPECT_EQ(c[2].to, Json());
}

TEST(DiffCases, BuildingBlocksAddedRemovedAndTheirItems) {
  Case after = Base();
  BusinessModel& tools = ModelIn(after, "tools");
  tools.building_blocks["customers"].items = {"workshops", "rental firms", "schools"};
  tools.building_blocks["customers"].forms = BMIL_FORM_PHYSICAL | BMIL_FORM_DIGITAL;
  tools.building_blocks["network"] = {BMIL_FORM_DIGITAL, "", {"logistics partner"}};
  tools.building_blocks.erase("relations");
  const CaseDiff diff = DiffCases(Base(), after);
  ASSERT_EQ(diff.models.size(), 1u);
  const auto& c = diff.models[0].changes;
  // Blocks in the paper's order: customers, network, relations.
  EXPECT_THAT(Fields(c),
              ElementsAre("building_blocks.customers.forms", "building_blocks.customers.items",
                          "building_blocks.network", "building_blocks.relations"));
  EXPECT_THAT(c[0].added, ElementsAre("digital"));
  EXPECT_THAT(c[0].removed, IsEmpty());
  EXPECT_THAT(c[1].added, ElementsAre("rental firms", "schools"));
  EXPECT_THAT(c[1].removed, ElementsAre("dealers"));
  EXPECT_EQ(c[1].from, Json({"workshops", "dealers"}));
  EXPECT_EQ(c[1].to, Json({"workshops", "rental firms", "schools"}));
  EXPECT_EQ(c[2].from, Json());
  EXPECT_EQ(c[2].to, Json::parse(R"({"forms": ["digital"], "items": ["logistics partner"]})"));
  EXPECT_THAT(c[2].added, ElementsAre("logistics partner"));
  EXPECT_EQ(c[3].to, Json());
  EXPECT_THAT(c[3].removed, ElementsAre("visits"));
}

TEST(DiffCases, ValueFormulaFiguresWithTheirRelativeChange) {
  Case after = Base();
  ValueFormula& f = ModelIn(after, "tools").value_formula;
  f.revenue = 7800000;  // +20%
  f.cost.reset();
  f.users = 500;
  f.customers = 0;  // -100%
  f.currency = "EUR";
  const CaseDiff diff = DiffCases(Base(), after);
  ASSERT_EQ(diff.models.size(), 1u);
  const auto& c = diff.models[0].changes;
  EXPECT_THAT(Fields(c),
              ElementsAre("value_formula.revenue", "value_formula.cost", "value_formula.currency",
                          "value_formula.users", "value_formula.customers"));
  EXPECT_EQ(c[0].from, Json(6500000));
  EXPECT_EQ(c[0].to, Json(7800000));
  EXPECT_TRUE(c[0].from.is_number_integer());
  ASSERT_TRUE(c[0].relative.has_value());
  EXPECT_DOUBLE_EQ(*c[0].relative, 0.2);
  EXPECT_EQ(c[1].to, Json());
  EXPECT_FALSE(c[1].relative.has_value());  // not stated on one side
  EXPECT_EQ(c[2].from, Json("DKK"));
  EXPECT_FALSE(c[3].relative.has_value());
  EXPECT_DOUBLE_EQ(*c[4].relative, -1.0);

  // From zero there is no relative change.
  Case zero = Base();
  ModelIn(zero, "tools").value_formula.customers = 0;
  Case some = Base();
  ModelIn(some, "tools").value_formula.customers = 3;
  EXPECT_FALSE(DiffCases(zero, some).models[0].changes[0].relative.has_value());
}

TEST(DiffCases, NameDescriptionCarriedByAndAttributes) {
  Case after = Base();
  BusinessModel& rental = ModelIn(after, "rental");
  rental.name = "Tool rental by subscription";
  rental.description = "Monthly fee.";
  rental.carried_by = {"kiosk"};
  rental.attributes = {{"owner", "CEO"}};
  const CaseDiff diff = DiffCases(Base(), after);
  ASSERT_EQ(diff.models.size(), 1u);
  const auto& c = diff.models[0].changes;
  EXPECT_THAT(Fields(c), ElementsAre("name", "description", "carried_by", "attributes.owner"));
  EXPECT_EQ(c[0].from, Json("Tool rental"));
  EXPECT_TRUE(c[0].text);
  EXPECT_EQ(c[1].from, Json());
  EXPECT_EQ(c[1].to, Json("Monthly fee."));
  EXPECT_THAT(c[2].added, ElementsAre("kiosk"));
  EXPECT_THAT(c[2].removed, ElementsAre("tools"));
  EXPECT_FALSE(c[2].text);
  EXPECT_EQ(c[3].from, Json());
  EXPECT_EQ(c[3].to, Json("CEO"));
  EXPECT_EQ(diff.models[0].name, "Tool rental by subscription");
}

TEST(DiffCases, TasksAddedCompletedAbandonedDroppedAndChanged) {
  Case after = Base();
  TaskIn(after, "t1").status = TaskStatus::kCompleted;
  TaskIn(after, "t1").period = {"2011-03", "2012"};
  TaskIn(after, "t2").status = TaskStatus::kAbandoned;
  TaskIn(after, "t3").status = TaskStatus::kOngoing;
  after.bmi_tasks.erase(after.bmi_tasks.begin() + 3);  // t4
  after.bmi_tasks.insert(after.bmi_tasks.begin() + 1, Task("t5", "rental", TaskStatus::kPlanned));
  const CaseDiff diff = DiffCases(Base(), after);
  EXPECT_THAT(TaskIds(diff), ElementsAre("t1", "t5", "t2", "t3", "t4"));
  EXPECT_EQ(diff.tasks[0].kind, TaskDiff::Kind::kCompleted);
  EXPECT_THAT(Fields(diff.tasks[0].changes), ElementsAre("period.start", "period.end", "status"));
  EXPECT_EQ(diff.tasks[0].changes[2].from, Json("ongoing"));
  EXPECT_EQ(diff.tasks[0].changes[2].to, Json("completed"));
  EXPECT_EQ(diff.tasks[1].kind, TaskDiff::Kind::kAdded);
  EXPECT_EQ(diff.tasks[1].business_model, "rental");
  EXPECT_EQ(diff.tasks[1].status, TaskStatus::kPlanned);
  EXPECT_EQ(diff.tasks[2].kind, TaskDiff::Kind::kAbandoned);
  EXPECT_EQ(diff.tasks[3].kind, TaskDiff::Kind::kChanged);
  EXPECT_EQ(diff.tasks[3].changes[0].to, Json("ongoing"));
  EXPECT_EQ(diff.tasks[4].kind, TaskDiff::Kind::kDropped);
  EXPECT_EQ(diff.tasks[4].business_model, "kiosk");
  CaseDiffCounts counts;
  counts.tasks_added = 1;
  counts.tasks_completed = 1;
  counts.tasks_abandoned = 1;
  counts.tasks_dropped = 1;
  counts.tasks_changed = 1;
  EXPECT_EQ(diff.Counts(), counts);
  EXPECT_EQ(SummaryLine(counts), "1 task added, 1 completed, 1 abandoned, 1 dropped, 1 changed");
}

TEST(DiffCases, EachTaskFieldWithItsFromAndTo) {
  struct Row {
    std::string field;
    void (*edit)(BmiTask&);
    Json from, to;
  };
  const std::vector<Row> rows = {
      {"business_model", [](BmiTask& t) { t.business_model = "rental"; }, "tools", "rental"},
      {"description", [](BmiTask& t) { t.description = "Reach dealers."; }, nullptr,
       "Reach dealers."},
      {"building_blocks", [](BmiTask& t) { t.building_blocks = {"customers"}; },
       Json({"customers", "network"}), Json({"customers"})},
      {"leadership_lines",
       [](BmiTask& t) {
         t.leadership_lines = {"customer", "network"};
       },
       Json({"customer"}), Json({"customer", "network"})},
      {"action", [](BmiTask& t) { t.action = Action::kUpgrade; }, nullptr, "upgrade"},
      {"level", [](BmiTask& t) { t.level = Level::kPortfolio; }, nullptr, "portfolio"},
      {"phase", [](BmiTask& t) { t.phase = Phase::kAfter; }, nullptr, "after"},
      {"period.start", [](BmiTask& t) { t.period.start = "2012-06"; }, nullptr, "2012-06"},
      {"effort", [](BmiTask& t) { t.effort = 4.5; }, nullptr, 4.5},
      {"stance", [](BmiTask& t) { t.stance = Stance::kProactive; }, nullptr, "proactive"},
      {"perspective", [](BmiTask& t) { t.perspective = Perspective::kInsideIn; }, nullptr,
       "inside_in"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.field);
    Case after = Base();
    row.edit(TaskIn(after, "t1"));
    const CaseDiff diff = DiffCases(Base(), after);
    ASSERT_EQ(diff.tasks.size(), 1u);
    EXPECT_EQ(diff.tasks[0].kind, TaskDiff::Kind::kChanged);
    ASSERT_THAT(Fields(diff.tasks[0].changes), ElementsAre(row.field));
    EXPECT_EQ(diff.tasks[0].changes[0].from, row.from);
    EXPECT_EQ(diff.tasks[0].changes[0].to, row.to);
  }
  // Effort from 4 to 6 person-months: +50%.
  Case four = Base();
  TaskIn(four, "t1").effort = 4;
  Case six = Base();
  TaskIn(six, "t1").effort = 6;
  EXPECT_DOUBLE_EQ(*DiffCases(four, six).tasks[0].changes[0].relative, 0.5);
}

TEST(DiffCases, PortfoliosAddedRemovedAndMembersChanged) {
  Case after = Base();
  after.portfolios[0].business_models = {"tools", "kiosk"};
  after.portfolios.push_back({"retail", "Retail", "", {"kiosk"}});
  Case before = Base();
  before.portfolios.push_back({"old", "Old", "", {"rental"}});
  const CaseDiff diff = DiffCases(before, after);
  ASSERT_EQ(diff.portfolios.size(), 3u);
  EXPECT_EQ(diff.portfolios[0].id, "main");
  EXPECT_EQ(diff.portfolios[0].kind, PortfolioDiff::Kind::kChanged);
  ASSERT_THAT(Fields(diff.portfolios[0].changes), ElementsAre("business_models"));
  EXPECT_THAT(diff.portfolios[0].changes[0].added, ElementsAre("kiosk"));
  EXPECT_THAT(diff.portfolios[0].changes[0].removed, ElementsAre("rental"));
  EXPECT_EQ(diff.portfolios[1].id, "retail");
  EXPECT_EQ(diff.portfolios[1].kind, PortfolioDiff::Kind::kAdded);
  EXPECT_THAT(diff.portfolios[1].business_models, ElementsAre("kiosk"));
  EXPECT_EQ(diff.portfolios[2].id, "old");
  EXPECT_EQ(diff.portfolios[2].kind, PortfolioDiff::Kind::kRemoved);
  EXPECT_EQ(SummaryLine(diff.Counts()), "1 portfolio added, 1 removed, 1 changed");
}

TEST(DiffCases, StrategyFieldsGoalsAndLines) {
  Case after = Base();
  Strategy& s = *after.strategy;
  s.explicit_strategy = true;
  s.structured_process.reset();
  s.skills = Skills::kMedium;
  s.goals = {"enter forestry"};
  s.leadership_lines = {"value", "network"};
  s.description = "Written in 2012.";
  const CaseDiff diff = DiffCases(Base(), after);
  EXPECT_THAT(Fields(diff.strategy), ElementsAre("explicit", "structured_process", "skills",
                                                 "goals", "leadership_lines", "description"));
  EXPECT_EQ(diff.strategy[0].from, Json(false));
  EXPECT_EQ(diff.strategy[0].to, Json(true));
  EXPECT_EQ(diff.strategy[1].to, Json());
  EXPECT_EQ(diff.strategy[2].to, Json("medium"));
  EXPECT_THAT(diff.strategy[3].added, ElementsAre("enter forestry"));
  EXPECT_THAT(diff.strategy[3].removed, ElementsAre("more dealers"));
  EXPECT_THAT(diff.strategy[4].added, ElementsAre("network"));
  EXPECT_THAT(diff.strategy[4].removed, IsEmpty());
  EXPECT_TRUE(diff.Counts().strategy_changed);

  // A strategy only NEW states: each of its stated fields, from nothing.
  Case without = Base();
  without.strategy.reset();
  const CaseDiff stated = DiffCases(without, Base());
  EXPECT_THAT(Fields(stated.strategy),
              ElementsAre("explicit", "structured_process", "skills", "goals", "leadership_lines"));
  EXPECT_EQ(stated.strategy[0].from, Json());
  EXPECT_EQ(stated.strategy[0].to, Json(false));
}

TEST(DiffCases, BusinessAndSourceFieldsAreOtherChanges) {
  Case after = Base();
  after.business.employees = 30;
  after.business.name = "Nordtool A/S";
  after.source = Source{"", "", "Interview 2013."};
  Case before = Base();
  before.business.employees = 24;
  const CaseDiff diff = DiffCases(before, after);
  EXPECT_THAT(Fields(diff.other),
              ElementsAre("business.name", "business.employees", "source.notes"));
  EXPECT_DOUBLE_EQ(*diff.other[1].relative, 0.25);
  EXPECT_EQ(diff.other[2].to, Json("Interview 2013."));
  EXPECT_EQ(SummaryLine(diff.Counts()), "3 other fields changed");
}

// OLD and NEW with two models created, one excluded, three changed; four tasks added, two
// completed, one dropped; and the strategy changed.
std::pair<Case, Case> ManyChanges() {
  Case before = Base();
  before.business_models.push_back(Model("shop", "Shop", State::kAsIs, Stage::kMarket));
  Case after = before;
  after.business_models.erase(after.business_models.begin() + 2);  // kiosk: excluded
  after.business_models.push_back(Model("app", "App", State::kToBe, Stage::kIdea));
  after.business_models.push_back(Model("web", "Web shop", State::kToBe, Stage::kConcept));
  ModelIn(after, "tools").value_formula.revenue = 7800000;
  ModelIn(after, "rental").stage = Stage::kPrototype;
  ModelIn(after, "shop").name = "Tool shop";
  TaskIn(after, "t1").status = TaskStatus::kCompleted;
  TaskIn(after, "t2").status = TaskStatus::kCompleted;
  after.bmi_tasks.erase(after.bmi_tasks.begin() + 2);  // t3: dropped
  TaskIn(after, "t4").business_model = "tools";        // kiosk is gone
  for (const char* id : {"t5", "t6", "t7", "t8"}) {
    after.bmi_tasks.push_back(Task(id, "app", TaskStatus::kPlanned));
  }
  after.strategy->explicit_strategy = true;
  return {before, after};
}

TEST(CaseDiffSummary, CountedByHand) {
  const auto [before, after] = ManyChanges();
  const CaseDiff diff = DiffCases(before, after);
  CaseDiffCounts counts;
  counts.models_created = 2;
  counts.models_excluded = 1;
  counts.models_changed = 3;
  counts.tasks_added = 4;
  counts.tasks_completed = 2;
  counts.tasks_dropped = 1;
  counts.tasks_changed = 1;  // t4, moved to another model
  counts.strategy_changed = true;
  EXPECT_EQ(diff.Counts(), counts);
  EXPECT_EQ(SummaryLine(counts),
            "2 models created, 1 excluded, 3 changed; 4 tasks added, 2 completed, 1 dropped, 1 "
            "changed; strategy changed");
  CaseDiffCounts one;
  one.models_changed = 1;
  one.tasks_completed = 1;
  EXPECT_EQ(SummaryLine(one), "1 model changed; 1 task completed");
}

// The lines of `text` wider than 80 columns (UTF-8 code points).
std::vector<std::string> Wide(const std::string& text) {
  std::vector<std::string> wide;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const auto columns = std::count_if(line.begin(), line.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
    if (columns > 80) wide.push_back(line);
  }
  return wide;
}

TEST(CaseDiffText, EachChangeOnItsLineWithinEightyColumns) {
  const auto [before, after] = ManyChanges();
  const std::string text = CaseDiffText(DiffCases(before, after), "old.json", "new.json", false);
  EXPECT_THAT(text, ::testing::StartsWith(
                        "2 models created, 1 excluded, 3 changed; 4 tasks added, 2 completed, 1 "
                        "dropped,\n  1 changed; strategy changed\nCase: nordtool (Nordtool)\n"
                        "Old:  old.json\nNew:  new.json\n\nBusiness models\n"));
  EXPECT_THAT(text, HasSubstr("\n  changed    tools: Tools\n"
                              "             value_formula.revenue: 6,500,000 -> 7,800,000 "
                              "(+20.0%)\n"));
  EXPECT_THAT(text, HasSubstr("\n  changed    rental: Tool rental\n"
                              "             stage: concept -> prototype (advanced)\n"));
  EXPECT_THAT(text, HasSubstr("\n  changed    shop: Tool shop\n"
                              "             name: \"Shop\" -> \"Tool shop\"\n"));
  EXPECT_THAT(text, HasSubstr("\n  created    app: App (to_be, idea)\n"));
  EXPECT_THAT(text, HasSubstr("\n  excluded   kiosk: Kiosk (removed)\n"));
  EXPECT_THAT(text, HasSubstr("\nBMI tasks\n  completed  t1 on tools\n"
                              "             status: ongoing -> completed\n"));
  EXPECT_THAT(text, HasSubstr("\n  added      t5 on app, planned\n"));
  EXPECT_THAT(text, HasSubstr("\n  dropped    t3 on tools, planned\n"));
  EXPECT_THAT(text, HasSubstr("\n  changed    t4 on tools\n"
                              "             business_model: kiosk -> tools\n"));
  EXPECT_THAT(text, HasSubstr("\nStrategy\n  explicit: false -> true\n"));
  EXPECT_THAT(Wide(text), IsEmpty());

  const std::string same = CaseDiffText(DiffCases(Base(), Base()), "a.json", "b.json", false);
  EXPECT_EQ(same, "No differences\nCase: nordtool (Nordtool)\nOld:  a.json\nNew:  b.json\n");
}

TEST(CaseDiffText, ListsAndLongTextAreWrappedAndNamesMadeSafe) {
  Case after = Base();
  BusinessModel& tools = ModelIn(after, "tools");
  tools.name = "Tools\x1b[2J";
  tools.building_blocks["customers"].items = {"workshops",
                                              "dealers",
                                              "schools in Jutland",
                                              "schools in Funen",
                                              "rental firms in the north",
                                              "rental firms in the south",
                                              "*bold* [link](x)"};
  tools.description = std::string(120, 'x') + " and a long text after a word longer than a line";
  const CaseDiff diff = DiffCases(Base(), after);
  const std::string text = CaseDiffText(diff, "old.json", "new.json", false);
  EXPECT_THAT(Wide(text), IsEmpty());
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_THAT(text, HasSubstr("tools: Tools\\x1b[2J\n"));
  EXPECT_THAT(text, HasSubstr("building_blocks.customers.items: added \"schools in Jutland\",\n"
                              "               \"schools in Funen\","));
  const std::string md = CaseDiffText(diff, "old.json", "new.json", true);
  EXPECT_EQ(md.find('\x1b'), std::string::npos);
  EXPECT_THAT(md, ::testing::StartsWith("# Case nordtool (Nordtool): what changed\n\n1 model "
                                        "changed\n\n- Old: old.json\n- New: new.json\n"));
  EXPECT_THAT(md, HasSubstr("\n## Business models\n\n- **changed** tools: Tools\\\\x1b\\[2J\n"));
  EXPECT_THAT(md, HasSubstr("\"\\*bold\\* \\[link\\](x)\""));
}

TEST(CaseDiffJson, FixedKeysAndEachChangeAsFieldFromTo) {
  const auto [before, after] = ManyChanges();
  const Json j = CaseDiffJson(DiffCases(before, after), "old.json", "new.json");
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  EXPECT_THAT(keys, ElementsAre("bmil_case_diff", "old", "new", "summary", "models", "tasks",
                                "portfolios", "strategy", "other"));
  EXPECT_EQ(j["bmil_case_diff"], "1.0");
  EXPECT_EQ(j["old"], Json({{"file", "old.json"}, {"business", "nordtool"}}));
  EXPECT_EQ(j["summary"]["differ"], true);
  EXPECT_EQ(j["summary"]["models_created"], 2);
  EXPECT_EQ(j["summary"]["tasks_dropped"], 1);
  EXPECT_EQ(j["summary"]["text"], SummaryLine(DiffCases(before, after).Counts()));
  const Json& tools = j["models"][0];
  EXPECT_EQ(tools["id"], "tools");
  EXPECT_EQ(tools["kind"], "changed");
  EXPECT_EQ(
      tools["changes"][0].dump(),
      R"({"field":"value_formula.revenue","from":6500000,"to":7800000,"relative_change":0.2})");
  const Json& rental = j["models"][1];
  EXPECT_EQ(rental["changes"][0].dump(),
            R"({"field":"stage","from":"concept","to":"prototype","direction":"advanced"})");
  const Json& kiosk = j["models"].back();
  EXPECT_EQ(kiosk["id"], "kiosk");
  EXPECT_EQ(kiosk["how"], "removed");
  EXPECT_EQ(j["tasks"][0]["kind"], "completed");
  EXPECT_EQ(j["tasks"][0]["changes"][0].dump(),
            R"({"field":"status","from":"ongoing","to":"completed"})");
  EXPECT_EQ(j["strategy"][0].dump(), R"({"field":"explicit","from":false,"to":true})");
  EXPECT_EQ(j["portfolios"], Json::array());

  const Json same = CaseDiffJson(DiffCases(Base(), Base()), "a.json", "b.json");
  EXPECT_EQ(same["summary"]["differ"], false);
  EXPECT_EQ(same["summary"]["text"], "no differences");
  EXPECT_EQ(same["models"], Json::array());
}

}  // namespace
}  // namespace bmil::control
