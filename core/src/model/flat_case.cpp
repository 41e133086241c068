#include <bmil/flat_case.hpp>

#include <algorithm>
#include "model/view_tables.hpp"

namespace bmil {
namespace {

template <typename E>
uint32_t U(E value) {
  return static_cast<uint32_t>(value);
}

uint32_t IndexOfModel(const Case& c, const std::string& id) {
  for (std::size_t i = 0; i < c.business_models.size(); ++i) {
    if (c.business_models[i].id == id) return static_cast<uint32_t>(i);
  }
  return BMIL_NO_INDEX;
}

bmil_set LineSet(const Registry& registry, const std::vector<std::string>& ids) {
  bmil_set set = 0;
  for (const auto& id : ids) {
    if (auto index = registry.LineIndex(id)) set |= bmil_set{1} << *index;
  }
  return set;
}

uint32_t Flag(const std::optional<bool>& flag) {
  if (!flag) return BMIL_FLAG_UNSTATED;
  return *flag ? BMIL_FLAG_YES : BMIL_FLAG_NO;
}

}  // namespace

int YearOf(const std::string& date) {
  // Four digits, then the end or "-": from_chars alone would take "-123" or "20091".
  if (date.size() < 4 || (date.size() > 4 && date[4] != '-')) return 0;
  if (!std::all_of(date.begin(), date.begin() + 4, [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  int year = 0;
  for (std::size_t i = 0; i < 4; ++i) year = year * 10 + (date[i] - '0');
  return year;
}

bmil_str FlatCase::Keep(std::string_view text) {
  // Chunks of 4 KiB, 8 KiB, ... up to 1 MiB (a small case stays small), or the text's size.
  constexpr std::size_t kFirstChunk = std::size_t{4} << 10;
  constexpr std::size_t kLargestChunk = std::size_t{1} << 20;
  if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < text.size()) {
    const std::size_t grown =
        std::min(kLargestChunk, kFirstChunk << std::min<std::size_t>(chunks_.size(), 8));
    chunks_.emplace_back().reserve(std::max(grown, text.size()));
  }
  std::string& chunk = chunks_.back();
  const std::size_t at = chunk.size();
  chunk.append(text);  // within the capacity: the chunk's earlier strings stay put
  return {chunk.data() + at, text.size()};
}

FlatCase::FlatCase(const Case& c, const Registry& registry) {
  for (const auto& block : registry.blocks()) block_ids_.push_back(Keep(block.id));
  for (const auto& line : registry.lines()) line_ids_.push_back(Keep(line.id));

  for (const auto& p : c.portfolios) portfolios_.push_back({Keep(p.id), Keep(p.name)});

  const std::size_t model_count = c.business_models.size();
  industries_.resize(model_count);
  blocks_.resize(model_count);
  block_items_.resize(model_count);
  carried_by_.resize(model_count);
  business_models_.resize(model_count);
  for (std::size_t m = 0; m < model_count; ++m) {
    const BusinessModel& bm = c.business_models[m];
    for (const auto& industry : bm.industries) {
      industries_[m].push_back({Keep(industry.id), U(industry.status)});
    }
    const std::size_t block_count = registry.blocks().size();
    blocks_[m].resize(block_count);
    block_items_[m].resize(block_count);
    for (std::size_t b = 0; b < block_count; ++b) {
      bmil_block_view& out = blocks_[m][b];
      out.struct_size = sizeof(bmil_block_view);
      auto it = bm.building_blocks.find(registry.blocks()[b].id);
      if (it == bm.building_blocks.end()) continue;
      out.present = 1;
      out.forms = it->second.forms;
      out.description = Keep(it->second.description);
      block_items_[m][b].reserve(it->second.items.size());
      for (const auto& item : it->second.items) block_items_[m][b].push_back(Keep(item));
      out.items = block_items_[m][b].data();
      out.item_count = static_cast<uint32_t>(block_items_[m][b].size());
    }
    for (const auto& id : bm.carried_by) {
      const uint32_t index = IndexOfModel(c, id);
      if (index != BMIL_NO_INDEX) carried_by_[m].push_back(index);
    }

    bmil_business_model_view& v = business_models_[m];
    v.struct_size = sizeof(bmil_business_model_view);
    v.id = Keep(bm.id);
    v.name = Keep(bm.name);
    v.state = U(bm.state);
    v.stage = U(bm.stage);
    v.portfolio = BMIL_NO_INDEX;
    for (std::size_t p = 0; p < c.portfolios.size() && v.portfolio == BMIL_NO_INDEX; ++p) {
      const auto& members = c.portfolios[p].business_models;
      if (std::find(members.begin(), members.end(), bm.id) != members.end()) {
        v.portfolio = static_cast<uint32_t>(p);
      }
    }
    v.industries = industries_[m].data();
    v.industry_count = static_cast<uint32_t>(industries_[m].size());
    v.blocks = blocks_[m].data();
    const ValueFormula& vf = bm.value_formula;
    v.value_formula.struct_size = sizeof(bmil_value_formula_view);
    v.value_formula.has_revenue = vf.revenue.has_value();
    v.value_formula.has_cost = vf.cost.has_value();
    v.value_formula.has_users = vf.users.has_value();
    v.value_formula.has_customers = vf.customers.has_value();
    v.value_formula.revenue = vf.revenue.value_or(0);
    v.value_formula.cost = vf.cost.value_or(0);
    v.value_formula.users = vf.users.value_or(0);
    v.value_formula.customers = vf.customers.value_or(0);
    v.value_formula.currency = Keep(vf.currency);
    v.carried_by = carried_by_[m].data();
    v.carried_by_count = static_cast<uint32_t>(carried_by_[m].size());
    v.description = Keep(bm.description);
    v.attributes_json = Keep(bm.attributes.dump());
  }

  tasks_.resize(c.bmi_tasks.size());
  for (std::size_t t = 0; t < c.bmi_tasks.size(); ++t) {
    const BmiTask& task = c.bmi_tasks[t];
    bmil_task_view& v = tasks_[t];
    v.struct_size = sizeof(bmil_task_view);
    v.id = Keep(task.id);
    v.business_model = IndexOfModel(c, task.business_model);
    for (const auto& id : task.building_blocks) {
      if (auto index = registry.BlockIndex(id)) v.blocks |= bmil_set{1} << *index;
    }
    v.lines = LineSet(registry, task.leadership_lines);
    v.action = U(task.action);
    v.level = U(task.level);
    v.phase = U(task.phase);
    v.status = U(task.status);
    v.stance = U(task.stance);
    v.perspective = U(task.perspective);
    v.start_year = YearOf(task.period.start);
    v.end_year = YearOf(task.period.end);
    v.effort = task.effort.value_or(-1.0);
    v.description = Keep(task.description);
    v.attributes_json = Keep(task.attributes.dump());
  }

  view_.struct_size = sizeof(bmil_case_view);
  view_.format_major = 1;
  view_.format_minor = 0;
  view_.id = Keep(c.business.id);
  view_.name = Keep(c.business.name);
  view_.industry = Keep(c.business.industry);
  view_.country = Keep(c.business.country);
  view_.size = U(c.business.size);
  view_.founded = c.business.founded.value_or(0);
  view_.attributes_json = Keep(c.business.attributes.dump());
  PointViewAt(view_, block_ids_, line_ids_, portfolios_, business_models_, tasks_);

  bmil_strategy_view& s = view_.strategy;
  s.struct_size = sizeof(bmil_strategy_view);
  if (c.strategy) {
    s.explicit_strategy = Flag(c.strategy->explicit_strategy);
    s.structured_process = Flag(c.strategy->structured_process);
    s.skills = U(c.strategy->skills);
    s.lines = LineSet(registry, c.strategy->leadership_lines);
    for (const auto& goal : c.strategy->goals) goals_.push_back(Keep(goal));
    s.goals = goals_.data();
    s.goal_count = static_cast<uint32_t>(goals_.size());
  }
}

}  // namespace bmil
