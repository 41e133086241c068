#include <bmil/flat_case.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace bmil {
namespace {

std::string S(bmil_str s) { return s.size == 0 ? std::string() : std::string(s.data, s.size); }

// Built-in blocks (0..6), then "sustainability" (7); lines value (0), customer (1), network (2).
Registry TestRegistry() {
  Registry registry;
  registry.AddBlock({"sustainability", "Sustainability", "", "green"});
  registry.AddLine({"value", "Value innovation leadership", "VIL", "value"});
  registry.AddLine({"customer", "Customer innovation leadership", "CIL", "customer"});
  registry.AddLine({"network", "Network innovation leadership", "NIL", "network"});
  return registry;
}

BmiTask Task(std::string id, std::string business_model, std::vector<std::string> blocks,
             std::vector<std::string> lines) {
  BmiTask t;
  t.id = std::move(id);
  t.business_model = std::move(business_model);
  t.building_blocks = std::move(blocks);
  t.leadership_lines = std::move(lines);
  return t;
}

// A case with three business models (bm_a in no portfolio, bm_b in both, bm_c in "new"),
// three tasks (the last on an unknown model) and a strategy.
Case TestCase() {
  Case c;
  c.business.id = "acme";
  c.business.name = "Acme ApS";
  c.business.industry = "manufacturing";
  c.business.country = "DK";
  c.business.size = Size::kSmall;
  c.business.founded = 1987;
  c.business.attributes = {{"b", 1}, {"a", "x"}};

  c.portfolios = {{"core", "Core business", "", {"bm_b"}},
                  {"new", "New ventures", "", {"bm_c", "bm_b"}}};

  BusinessModel a;
  a.id = "bm_a";
  a.name = "Shop";
  a.description = "The web shop.";
  a.state = State::kAsIs;
  a.stage = Stage::kMarket;
  a.industries = {{"retail", IndustryStatus::kHome}, {"food", IndustryStatus::kAttempted}};
  a.building_blocks["customers"] = {BMIL_FORM_PHYSICAL | BMIL_FORM_DIGITAL, "SMEs", {"a", "bc"}};
  a.building_blocks["value_formula"] = {0, "fees", {}};
  a.building_blocks["unknown_block"] = {BMIL_FORM_VIRTUAL, "dropped", {"z"}};
  a.value_formula.revenue = 1.5e6;
  a.value_formula.users = 200;
  a.value_formula.currency = "EUR";

  BusinessModel b;
  b.id = "bm_b";
  b.name = "Platform";
  b.state = State::kToBe;
  b.stage = Stage::kIdea;
  b.carried_by = {"bm_a", "unknown", "bm_c"};
  b.value_formula.cost = 10.0;
  b.value_formula.customers = 3;

  BusinessModel m3;
  m3.id = "bm_c";
  m3.name = "Green";
  m3.building_blocks["sustainability"] = {BMIL_FORM_VIRTUAL, "", {"recycling"}};
  m3.attributes = {{"k", {1, 2}}};

  c.business_models = {a, b, m3};

  BmiTask t1 = Task("t1", "bm_b", {"customers", "value_formula"}, {"customer"});
  t1.description = "Add a web shop";
  t1.action = Action::kCreate;
  t1.level = Level::kBusinessModel;
  t1.phase = Phase::kDuring;
  t1.period = {"2009-05", ""};
  t1.status = TaskStatus::kOngoing;
  t1.effort = 3.5;
  t1.stance = Stance::kProactive;
  t1.perspective = Perspective::kInsideOut;
  t1.attributes = {{"owner", "CEO"}};
  BmiTask t2 = Task("t2", "bm_a", {"sustainability", "value_proposition", "bogus"},
                    {"value", "network", "bogus"});
  t2.period = {"2010", "2012-12-31"};
  t2.action = Action::kDiminish;
  t2.level = Level::kBusiness;
  t2.phase = Phase::kAfter;
  t2.status = TaskStatus::kAbandoned;
  t2.stance = Stance::kReactive;
  t2.perspective = Perspective::kInsideIn;
  BmiTask t3 = Task("t3", "nope", {"network"}, {"network"});
  c.bmi_tasks = {t1, t2, t3};

  Strategy s;
  s.explicit_strategy = true;
  s.structured_process = false;
  s.skills = Skills::kMedium;
  s.goals = {"grow", "export"};
  s.leadership_lines = {"customer", "value", "bogus"};
  c.strategy = s;
  return c;
}

TEST(FlatCase, LaysOutTheBusinessAndTheRegistry) {
  const Registry registry = TestRegistry();
  const FlatCase flat(TestCase(), registry);
  const bmil_case_view& v = flat.view();
  EXPECT_EQ(v.struct_size, sizeof(bmil_case_view));
  EXPECT_EQ(v.format_major, 1);
  EXPECT_EQ(v.format_minor, 0);
  EXPECT_EQ(S(v.id), "acme");
  EXPECT_EQ(S(v.name), "Acme ApS");
  EXPECT_EQ(S(v.industry), "manufacturing");
  EXPECT_EQ(S(v.country), "DK");
  EXPECT_EQ(v.size, static_cast<uint32_t>(BMIL_SIZE_SMALL));
  EXPECT_EQ(v.founded, 1987);
  EXPECT_EQ(S(v.attributes_json), R"({"a":"x","b":1})");

  ASSERT_EQ(v.block_count, 8u);
  const std::vector<std::string> blocks = {"value_proposition", "customers",     "value_chain",
                                           "competences",       "network",       "relations",
                                           "value_formula",     "sustainability"};
  for (uint32_t i = 0; i < v.block_count; ++i) EXPECT_EQ(S(v.block_ids[i]), blocks[i]) << i;
  ASSERT_EQ(v.line_count, 3u);
  EXPECT_EQ(S(v.line_ids[0]), "value");
  EXPECT_EQ(S(v.line_ids[1]), "customer");
  EXPECT_EQ(S(v.line_ids[2]), "network");

  ASSERT_EQ(v.portfolio_count, 2u);
  EXPECT_EQ(v.portfolio_size, sizeof(bmil_portfolio_view));
  EXPECT_EQ(S(v.portfolios[0].id), "core");
  EXPECT_EQ(S(v.portfolios[0].name), "Core business");
  EXPECT_EQ(S(v.portfolios[1].id), "new");
  EXPECT_EQ(S(v.portfolios[1].name), "New ventures");

  EXPECT_EQ(v.business_model_count, 3u);
  EXPECT_EQ(v.business_model_size, sizeof(bmil_business_model_view));
  EXPECT_EQ(v.task_count, 3u);
  EXPECT_EQ(v.task_size, sizeof(bmil_task_view));
}

TEST(FlatCase, LaysOutBusinessModels) {
  const FlatCase flat(TestCase(), TestRegistry());
  const bmil_case_view& v = flat.view();
  ASSERT_EQ(v.business_model_count, 3u);
  const bmil_business_model_view& a = v.business_models[0];
  const bmil_business_model_view& b = v.business_models[1];
  const bmil_business_model_view& c = v.business_models[2];

  EXPECT_EQ(a.struct_size, sizeof(bmil_business_model_view));
  EXPECT_EQ(S(a.id), "bm_a");
  EXPECT_EQ(S(a.name), "Shop");
  EXPECT_EQ(S(a.description), "The web shop.");
  EXPECT_EQ(a.state, static_cast<uint32_t>(BMIL_STATE_AS_IS));
  EXPECT_EQ(a.stage, static_cast<uint32_t>(BMIL_STAGE_MARKET));
  EXPECT_EQ(b.state, static_cast<uint32_t>(BMIL_STATE_TO_BE));
  EXPECT_EQ(b.stage, static_cast<uint32_t>(BMIL_STAGE_IDEA));
  EXPECT_EQ(c.state, static_cast<uint32_t>(BMIL_STATE_UNSTATED));
  EXPECT_EQ(c.stage, static_cast<uint32_t>(BMIL_STAGE_UNSTATED));

  // Portfolio: the first portfolio listing the model.
  EXPECT_EQ(a.portfolio, BMIL_NO_INDEX);
  EXPECT_EQ(b.portfolio, 0u);
  EXPECT_EQ(c.portfolio, 1u);

  ASSERT_EQ(a.industry_count, 2u);
  EXPECT_EQ(S(a.industries[0].id), "retail");
  EXPECT_EQ(a.industries[0].status, static_cast<uint32_t>(BMIL_INDUSTRY_HOME));
  EXPECT_EQ(S(a.industries[1].id), "food");
  EXPECT_EQ(a.industries[1].status, static_cast<uint32_t>(BMIL_INDUSTRY_ATTEMPTED));
  EXPECT_EQ(b.industry_count, 0u);

  // Blocks: one entry per registered block; unknown block ids are left out.
  for (uint32_t i = 0; i < 8; ++i) EXPECT_EQ(a.blocks[i].struct_size, sizeof(bmil_block_view));
  const bmil_block_view& customers = a.blocks[1];
  EXPECT_EQ(customers.present, 1u);
  EXPECT_EQ(customers.forms, BMIL_FORM_PHYSICAL | BMIL_FORM_DIGITAL);
  EXPECT_EQ(S(customers.description), "SMEs");
  ASSERT_EQ(customers.item_count, 2u);
  EXPECT_EQ(S(customers.items[0]), "a");
  EXPECT_EQ(S(customers.items[1]), "bc");
  EXPECT_EQ(a.blocks[6].present, 1u);
  EXPECT_EQ(a.blocks[6].forms, 0u);
  EXPECT_EQ(S(a.blocks[6].description), "fees");
  EXPECT_EQ(a.blocks[6].item_count, 0u);
  for (uint32_t i : {0u, 2u, 3u, 4u, 5u, 7u}) {
    EXPECT_EQ(a.blocks[i].present, 0u) << i;
    EXPECT_EQ(a.blocks[i].item_count, 0u) << i;
    EXPECT_EQ(a.blocks[i].description.size, 0u) << i;
  }
  EXPECT_EQ(c.blocks[7].present, 1u);
  EXPECT_EQ(c.blocks[7].forms, BMIL_FORM_VIRTUAL);
  ASSERT_EQ(c.blocks[7].item_count, 1u);
  EXPECT_EQ(S(c.blocks[7].items[0]), "recycling");

  // Value formula: has_* says which figures are stated; absent ones read 0.
  const bmil_value_formula_view& af = a.value_formula;
  EXPECT_EQ(af.struct_size, sizeof(bmil_value_formula_view));
  EXPECT_EQ(af.has_revenue, 1u);
  EXPECT_EQ(af.has_cost, 0u);
  EXPECT_EQ(af.has_users, 1u);
  EXPECT_EQ(af.has_customers, 0u);
  EXPECT_EQ(af.revenue, 1500000.0);
  EXPECT_EQ(af.cost, 0.0);
  EXPECT_EQ(af.users, 200.0);
  EXPECT_EQ(af.customers, 0.0);
  EXPECT_EQ(S(af.currency), "EUR");
  const bmil_value_formula_view& bf = b.value_formula;
  EXPECT_EQ(bf.has_revenue, 0u);
  EXPECT_EQ(bf.has_cost, 1u);
  EXPECT_EQ(bf.has_users, 0u);
  EXPECT_EQ(bf.has_customers, 1u);
  EXPECT_EQ(bf.cost, 10.0);
  EXPECT_EQ(bf.customers, 3.0);
  EXPECT_EQ(S(bf.currency), "");

  // carried_by: indices of the known models, in the case's order; unknown ids left out.
  ASSERT_EQ(b.carried_by_count, 2u);
  EXPECT_EQ(b.carried_by[0], 0u);
  EXPECT_EQ(b.carried_by[1], 2u);
  EXPECT_EQ(a.carried_by_count, 0u);

  EXPECT_EQ(S(a.attributes_json), "{}");
  EXPECT_EQ(S(c.attributes_json), R"({"k":[1,2]})");
}

TEST(FlatCase, LaysOutTasks) {
  const FlatCase flat(TestCase(), TestRegistry());
  const bmil_case_view& v = flat.view();
  ASSERT_EQ(v.task_count, 3u);
  const bmil_task_view& t1 = v.tasks[0];
  const bmil_task_view& t2 = v.tasks[1];
  const bmil_task_view& t3 = v.tasks[2];

  EXPECT_EQ(t1.struct_size, sizeof(bmil_task_view));
  EXPECT_EQ(S(t1.id), "t1");
  EXPECT_EQ(t1.business_model, 1u);
  // customers (bit 1) and value_formula (bit 6): 2 + 64.
  EXPECT_EQ(t1.blocks, bmil_set{66});
  // customer is line 1.
  EXPECT_EQ(t1.lines, bmil_set{2});
  EXPECT_EQ(t1.action, static_cast<uint32_t>(BMIL_ACTION_CREATE));
  EXPECT_EQ(t1.level, static_cast<uint32_t>(BMIL_LEVEL_BUSINESS_MODEL));
  EXPECT_EQ(t1.phase, static_cast<uint32_t>(BMIL_PHASE_DURING));
  EXPECT_EQ(t1.status, static_cast<uint32_t>(BMIL_TASK_STATUS_ONGOING));
  EXPECT_EQ(t1.stance, static_cast<uint32_t>(BMIL_STANCE_PROACTIVE));
  EXPECT_EQ(t1.perspective, static_cast<uint32_t>(BMIL_PERSPECTIVE_INSIDE_OUT));
  EXPECT_EQ(t1.start_year, 2009);
  EXPECT_EQ(t1.end_year, 0);
  EXPECT_EQ(t1.effort, 3.5);
  EXPECT_EQ(S(t1.description), "Add a web shop");
  EXPECT_EQ(S(t1.attributes_json), R"({"owner":"CEO"})");

  EXPECT_EQ(t2.business_model, 0u);
  // sustainability (bit 7) and value_proposition (bit 0): 128 + 1; "bogus" left out.
  EXPECT_EQ(t2.blocks, bmil_set{129});
  // value (bit 0) and network (bit 2): 1 + 4.
  EXPECT_EQ(t2.lines, bmil_set{5});
  EXPECT_EQ(t2.action, static_cast<uint32_t>(BMIL_ACTION_DIMINISH));
  EXPECT_EQ(t2.level, static_cast<uint32_t>(BMIL_LEVEL_BUSINESS));
  EXPECT_EQ(t2.phase, static_cast<uint32_t>(BMIL_PHASE_AFTER));
  EXPECT_EQ(t2.status, static_cast<uint32_t>(BMIL_TASK_STATUS_ABANDONED));
  EXPECT_EQ(t2.stance, static_cast<uint32_t>(BMIL_STANCE_REACTIVE));
  EXPECT_EQ(t2.perspective, static_cast<uint32_t>(BMIL_PERSPECTIVE_INSIDE_IN));
  EXPECT_EQ(t2.start_year, 2010);
  EXPECT_EQ(t2.end_year, 2012);
  EXPECT_EQ(t2.effort, -1.0);  // not stated
  EXPECT_EQ(S(t2.description), "");
  EXPECT_EQ(S(t2.attributes_json), "{}");

  // A task on a model the case does not have.
  EXPECT_EQ(t3.business_model, BMIL_NO_INDEX);
  EXPECT_EQ(t3.blocks, bmil_set{16});  // network, bit 4
  EXPECT_EQ(t3.lines, bmil_set{4});    // network, bit 2
  EXPECT_EQ(t3.action, static_cast<uint32_t>(BMIL_ACTION_UNSTATED));
  EXPECT_EQ(t3.start_year, 0);
}

TEST(FlatCase, LaysOutTheStrategy) {
  const FlatCase flat(TestCase(), TestRegistry());
  const bmil_strategy_view& s = flat.view().strategy;
  EXPECT_EQ(s.struct_size, sizeof(bmil_strategy_view));
  EXPECT_EQ(s.explicit_strategy, static_cast<uint32_t>(BMIL_FLAG_YES));
  EXPECT_EQ(s.structured_process, static_cast<uint32_t>(BMIL_FLAG_NO));
  EXPECT_EQ(s.skills, 2u);
  EXPECT_EQ(s.lines, bmil_set{3});  // customer (bit 1) and value (bit 0)
  ASSERT_EQ(s.goal_count, 2u);
  EXPECT_EQ(S(s.goals[0]), "grow");
  EXPECT_EQ(S(s.goals[1]), "export");
}

TEST(FlatCase, LeavesUnstatedStrategyFlagsAtZero) {
  Case c = TestCase();
  c.strategy = Strategy{};
  c.strategy->skills = Skills::kHigh;
  const FlatCase flat(c, TestRegistry());
  const bmil_strategy_view& s = flat.view().strategy;
  EXPECT_EQ(s.explicit_strategy, static_cast<uint32_t>(BMIL_FLAG_UNSTATED));
  EXPECT_EQ(s.structured_process, static_cast<uint32_t>(BMIL_FLAG_UNSTATED));
  EXPECT_EQ(s.skills, 3u);
  EXPECT_EQ(s.lines, bmil_set{0});
  EXPECT_EQ(s.goal_count, 0u);

  c.strategy.reset();
  const FlatCase none(c, TestRegistry());
  const bmil_strategy_view& n = none.view().strategy;
  EXPECT_EQ(n.struct_size, sizeof(bmil_strategy_view));
  EXPECT_EQ(n.explicit_strategy, 0u);
  EXPECT_EQ(n.structured_process, 0u);
  EXPECT_EQ(n.skills, 0u);
  EXPECT_EQ(n.lines, bmil_set{0});
  EXPECT_EQ(n.goal_count, 0u);
}

TEST(FlatCase, NumbersBitsByTheRegistryGiven) {
  // The same case with the lines registered in another order: the bits follow the registry.
  Registry registry;
  registry.AddLine({"network", "", "", ""});
  registry.AddLine({"customer", "", "", ""});
  const FlatCase flat(TestCase(), registry);
  const bmil_case_view& v = flat.view();
  EXPECT_EQ(v.block_count, 7u);
  EXPECT_EQ(v.tasks[0].lines, bmil_set{2});   // customer is now bit 1
  EXPECT_EQ(v.tasks[1].lines, bmil_set{1});   // network is bit 0; value is unknown
  EXPECT_EQ(v.tasks[1].blocks, bmil_set{1});  // sustainability is unknown here
  EXPECT_EQ(v.strategy.lines, bmil_set{2});
}

TEST(FlatCase, KeepsStringsValidAfterTheCaseIsGone) {
  auto flat = [] {
    Case c = TestCase();
    // Long enough not to fit a small-string buffer.
    c.business.name = std::string(100, 'n');
    c.business_models[0].building_blocks["customers"].items = std::vector<std::string>(50, "x");
    return std::make_unique<FlatCase>(c, TestRegistry());
  }();
  EXPECT_EQ(S(flat->view().name), std::string(100, 'n'));
  ASSERT_EQ(flat->view().business_models[0].blocks[1].item_count, 50u);
  EXPECT_EQ(S(flat->view().business_models[0].blocks[1].items[49]), "x");
  EXPECT_EQ(S(flat->view().tasks[0].id), "t1");
}

TEST(FlatCase, LaysOutAnEmptyCase) {
  const FlatCase flat(Case{}, Registry{});
  const bmil_case_view& v = flat.view();
  EXPECT_EQ(v.business_model_count, 0u);
  EXPECT_EQ(v.task_count, 0u);
  EXPECT_EQ(v.portfolio_count, 0u);
  EXPECT_EQ(v.block_count, 7u);
  EXPECT_EQ(v.line_count, 0u);
  EXPECT_EQ(v.founded, 0);
  EXPECT_EQ(v.size, 0u);
  EXPECT_EQ(S(v.attributes_json), "{}");
}

TEST(YearOf, ReadsTheYearOfEachDateForm) {
  EXPECT_EQ(YearOf("2009"), 2009);
  EXPECT_EQ(YearOf("2009-05"), 2009);
  EXPECT_EQ(YearOf("2009-05-17"), 2009);
  EXPECT_EQ(YearOf("0999"), 999);
}

TEST(YearOf, ReturnsZeroForEmptyOrMalformedDates) {
  for (const char* date : {"", "209", "20a9", "-123", "-123-01", "+200", " 2009", "2009x", "20091",
                           "2009/05", "year"}) {
    EXPECT_EQ(YearOf(date), 0) << '"' << date << '"';
  }
}

}  // namespace
}  // namespace bmil
