#include <bmil/conformance.hpp>

namespace bmil {

std::vector<Case> SampleCases(const Registry& registry) {
  std::vector<std::string> blocks, lines;
  for (const auto& b : registry.blocks()) blocks.push_back(b.id);
  for (const auto& l : registry.lines()) lines.push_back(l.id);

  std::vector<Case> cases;

  // A business with one model and no BMI at all.
  Case quiet;
  quiet.business.id = "sample_quiet";
  quiet.business.name = "Quiet sample";
  BusinessModel only;
  only.id = "shop";
  only.name = "Shop";
  only.state = State::kAsIs;
  only.stage = Stage::kMarket;
  quiet.business_models.push_back(only);
  cases.push_back(quiet);

  // A business whose tasks touch every block through every line.
  Case busy;
  busy.business.id = "sample_busy";
  busy.business.name = "Busy sample";
  busy.business.industry = "machinery";
  busy.business.country = "DK";
  busy.business.size = Size::kSmall;
  busy.business.founded = 1990;
  busy.business.attributes = {{"revenue_by_segment", {{"public", 600000}, {"industry", 400000}}}};

  BusinessModel core;
  core.id = "core";
  core.name = "Core machines";
  core.state = State::kAsIs;
  core.stage = Stage::kMarket;
  core.industries = {{"machinery", IndustryStatus::kHome}, {"food", IndustryStatus::kSucceeded}};
  for (const auto& b : blocks) core.building_blocks[b].items = {b + " item"};
  core.value_formula.revenue = 1200000;
  core.value_formula.cost = 900000;
  core.value_formula.currency = "EUR";
  core.value_formula.users = 50;
  core.value_formula.customers = 40;
  core.attributes = {{"note", "sample"}};

  BusinessModel future;
  future.id = "platform";
  future.name = "Service platform";
  future.state = State::kToBe;
  future.stage = Stage::kConcept;
  future.industries = {{"machinery", IndustryStatus::kHome}, {"car_wash", IndustryStatus::kFailed}};
  future.building_blocks["value_proposition"].items = {"remote monitoring"};
  future.building_blocks["value_formula"];
  future.value_formula.users = 120;
  future.value_formula.customers = 0;
  future.carried_by = {"core"};

  BusinessModel old;
  old.id = "legacy";
  old.name = "Legacy kitchens";
  old.state = State::kAsIs;
  old.stage = Stage::kRetired;
  old.building_blocks["value_formula"];
  old.value_formula.revenue = 100000;
  old.value_formula.cost = 250000;

  busy.business_models = {core, future, old};
  Portfolio portfolio;
  portfolio.id = "main";
  portfolio.name = "Main portfolio";
  portfolio.business_models = {"core", "platform"};
  busy.portfolios.push_back(portfolio);

  const std::vector<std::string> models = {"core", "platform", "legacy"};
  for (std::size_t i = 0; i < std::max(lines.size(), blocks.size()); ++i) {
    BmiTask task;
    task.id = "t" + std::to_string(i + 1);
    task.business_model = models[i % models.size()];
    task.building_blocks = {blocks[i % blocks.size()]};
    if (blocks.size() > 1) task.building_blocks.push_back(blocks[(i + 1) % blocks.size()]);
    if (!lines.empty()) task.leadership_lines = {lines[i % lines.size()]};
    task.action = static_cast<Action>(1 + i % 5);
    task.level = static_cast<Level>(1 + i % 4);
    task.phase = static_cast<Phase>(1 + i % 3);
    task.period.start = std::to_string(2008 + i % 5);
    task.status = static_cast<TaskStatus>(1 + i % 4);
    task.stance = static_cast<Stance>(1 + i % 2);
    task.perspective = static_cast<Perspective>(1 + i % 3);
    task.effort = static_cast<double>(1 + i);
    busy.bmi_tasks.push_back(task);
  }
  if (lines.size() >= 2) {
    BmiTask both;
    both.id = "orchestrated";
    both.business_model = "core";
    both.building_blocks = {blocks[0], blocks.size() > 1 ? blocks[1] : blocks[0]};
    both.leadership_lines = {lines[0], lines[1]};
    both.period.start = "2011-06";
    busy.bmi_tasks.push_back(both);
  }
  Strategy strategy;
  strategy.explicit_strategy = false;
  strategy.structured_process = false;
  strategy.skills = Skills::kLow;
  if (!lines.empty()) strategy.leadership_lines = {lines[0]};
  busy.strategy = strategy;
  if (!lines.empty()) cases.push_back(busy);  // tasks need at least one line
  return cases;
}

}  // namespace bmil
